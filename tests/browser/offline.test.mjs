// Offline and installable (issue 5): after one visit the reader works with no server at all;
// a new deploy is offered to an open page and then runs with its own index; a program and an
// index of different builds refuse each other; Chromium finds the app installable; and the
// single-file edition works from disk.
//
// The first two tests serve the site themselves (site-server.mjs) so that they can stop the
// server — requests the service worker makes then cannot reach any network — and deploy the
// second build `cargo xtask test` made (the same articles but the last one).

import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  ARTICLE,
  ARTICLE_CARD,
  ARTICLE_LIST,
  ERROR,
  RESULT,
  RESULTS,
  SEARCH,
  browserTest,
  markTexts,
  open,
  waitForEngine,
} from './browser.mjs';
import { builtSite, serveSite } from './site-server.mjs';

const SITE = builtSite('LECTEUR_SITE_DIR');
const NEXT_SITE = builtSite('LECTEUR_NEXT_SITE_DIR');
const SINGLE_FILE = builtSite('LECTEUR_SINGLE_FILE');
const OFFLINE = '[data-testid="offline"]';
const UPDATE = '[data-testid="update"]';
const VERSION = '[data-testid="version"]';

/** The build id a built site's service worker caches. */
async function buildOf(dir) {
  const sw = await readFile(path.join(dir, 'sw.js'), 'utf8');
  return sw.match(/"build": "([0-9a-f]+)"/)[1];
}

async function waitForCards(page, count) {
  await page.waitForFunction(
    ({ selector, count }) => document.querySelectorAll(selector).length === count,
    { selector: `${ARTICLE_LIST} ${ARTICLE_CARD}`, count },
  );
}

async function waitForResults(page, count) {
  await page.waitForFunction(
    ({ selector, count }) => document.querySelectorAll(selector).length === count,
    { selector: `${RESULTS} ${RESULT}`, count },
  );
}

/** Opens `url`, waits for the service worker, reloads, and waits until it controls the page. */
async function visitOnce(page, url) {
  await page.goto(url);
  await waitForCards(page, 3);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await waitForCards(page, 3);
}

async function assertUnreachable(url) {
  await assert.rejects(fetch(url), 'the server is stopped');
}

// Each server is made before the tests are declared: their helper must know its origin.
const offlineServer = await serveSite(SITE);
const deployServer = await serveSite(SITE);
/** Two copies of the reader, of two builds, in two folders of one host. */
const OTHER_FOLDER = '/autre-lecteur/';
const twoSitesServer = await serveSite(SITE, { [OTHER_FOLDER]: NEXT_SITE });

/**
 * From the list: types a search in the box, then opens the first result, whose article marks
 * the query (what a reader does offline, or from the single file).
 */
async function searchesAndReads(page) {
  await waitForCards(page, 3);
  assert.equal(await page.locator(ERROR).count(), 0);
  await page.locator(SEARCH).click();
  await page.locator(SEARCH).pressSequentially('hadopi');
  await waitForResults(page, 3);
  await page.locator(`${RESULTS} ${RESULT} a`).first().click();
  await page.locator(ARTICLE).waitFor();
  assert.ok((await markTexts(page.locator(ARTICLE))).some((mark) => mark.includes('hadopi')));
}

browserTest(
  'after one visit, everything works with the server stopped',
  async ({ page, context }) => {
    const server = offlineServer;
    await visitOnce(page, server.url);
    // The worker holds exactly the built files (its own script aside, which the browser keeps).
    const cachedFiles = await page.evaluate(async () => {
      const [name, ...others] = await caches.keys();
      const requests = await (await caches.open(name)).keys();
      return { others, files: requests.map((request) => new URL(request.url).pathname) };
    });
    assert.deepEqual(cachedFiles.others, [], 'one cache');
    // The precompressed copies (FILE.br, FILE.gz) are other encodings of the same files.
    const built = (await readdir(SITE, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(SITE, path.join(entry.parentPath ?? entry.path, entry.name)))
      .filter((file) => file !== 'sw.js' && !/\.(br|gz)$/.test(file))
      .sort();
    assert.ok(built.includes('404.html') && built.some((file) => /^a\/[^/]+\/index\.html$/.test(file)));
    const mount = new URL(server.url).pathname;
    assert.deepEqual(cachedFiles.files.map((file) => file.slice(mount.length)).sort(), built);
    await server.stop();
    await assertUnreachable(server.url);

    // The home page, then a search typed in the box, and a result's article.
    await page.reload();
    await searchesAndReads(page);

    await page.goto(new URL('a/inconnu/', server.url).href);
    assert.match(await page.locator(ERROR).innerText(), /Page introuvable/);
    // Every form of address opened afresh: the list, a search, an article, marked and
    // scrolled to a passage, a shared passage, a link of the first scheme, an unknown one.
    const slug = 'popcorn-time-n-est-pas-legal';
    for (const [address, shown] of [
      ['', `${ARTICLE_LIST} ${ARTICLE_CARD}`],
      ['?q=popcorn', `${RESULTS} ${RESULT}`],
      [`a/${slug}/`, ARTICLE],
      [`a/${slug}/?q=hadopi&p=2`, `${ARTICLE} .body mark`],
      [`a/${slug}/?s=2.0,,Hadopi,`, `${ARTICLE} [data-testid="shared-highlight"]`],
      [`#/a/${slug}?q=hadopi`, `${ARTICLE} mark`],
    ]) {
      await page.goto('about:blank');
      await page.goto(new URL(address, server.url).href);
      await page.locator(shown).first().waitFor();
      assert.equal(await page.locator(ERROR).count(), 0, `no error at ./${address}`);
    }

    // The page says it is offline, and that everything still works.
    assert.equal(await page.locator(OFFLINE).count(), 0, 'no offline notice while online');
    await context.setOffline(true);
    const notice = page.locator(OFFLINE);
    await notice.waitFor();
    assert.match(await notice.innerText(), /Hors ligne/);
    assert.match(await notice.innerText(), /fonctionner/);
    await page.reload();
    await page.locator(ARTICLE).waitFor();
    await notice.waitFor();
    await context.setOffline(false);
    await notice.waitFor({ state: 'detached' });
  },
  { origins: [offlineServer.origin] },
);

browserTest(
  'a new deploy is offered to an open page, then runs with its own index',
  async ({ page }) => {
    const server = deployServer;
    const [first, next] = [await buildOf(SITE), await buildOf(NEXT_SITE)];
    assert.notEqual(first, next, 'the two builds differ');
    await visitOnce(page, server.url);
    assert.equal(await page.locator(VERSION).getAttribute('data-build'), first);
    assert.equal(await page.locator(UPDATE).count(), 0, 'nothing to offer yet');

    server.deploy(NEXT_SITE);
    // The reader comes back to the tab: the page asks whether a new version was published.
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    const offer = page.locator(UPDATE);
    await offer.waitFor();
    assert.match(await offer.innerText(), /Nouvelle version disponible — recharger/);
    // Meanwhile the running version keeps working with its own index.
    await waitForCards(page, 3);
    // A reload before accepting gets the new page from the network, which must then run with
    // the new index, not the old version's cached one; the offer stays.
    await page.reload();
    await waitForEngine(page);
    const errors = await page.locator(ERROR).allInnerTexts();
    assert.deepEqual(errors, [], 'no version mismatch');
    await waitForCards(page, 2);
    await offer.waitFor();

    await offer.getByRole('button', { name: 'recharger' }).click();
    await page.waitForFunction(
      (next) => document.querySelector('[data-testid="version"]')?.dataset.build === next,
      next,
    );
    await waitForCards(page, 2);
    assert.equal(await page.locator(ERROR).count(), 0);
    assert.equal(await page.locator(UPDATE).count(), 0, 'the offer is gone');
    // Only the new version's cache remains (polled here: waitForFunction awaits no promise,
    // and an async predicate would pass at once).
    const expected = [`lecteur:${new URL(server.url).pathname}:${next}`];
    for (let tries = 0; ; tries += 1) {
      const keys = await page.evaluate(() => caches.keys());
      if (JSON.stringify(keys) === JSON.stringify(expected)) break;
      assert.ok(tries < 100, `caches left: ${keys}`);
      await page.waitForTimeout(100);
    }
    await server.stop();
  },
  { origins: [deployServer.origin] },
);

browserTest(
  'two copies of the reader on one host keep their own offline copies',
  async ({ page }) => {
    const server = twoSitesServer;
    const other = new URL(OTHER_FOLDER, server.origin).href;
    await visitOnce(page, server.url);
    await page.goto(other);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    // Each copy's worker is active and has its cache; neither deleted the other's.
    const keys = await page.evaluate(() => caches.keys());
    const mount = new URL(server.url).pathname;
    assert.deepEqual(
      keys.map((key) => key.split(':').slice(0, 2).join(':')).sort(),
      [`lecteur:${mount}`, `lecteur:${OTHER_FOLDER}`].sort(),
      JSON.stringify(keys),
    );
    // And the first still works offline.
    await server.stop();
    await page.goto(server.url);
    await waitForCards(page, 3);
  },
  { origins: [twoSitesServer.origin] },
);

browserTest('an index of another build is refused, and the page says so', async ({ page }) => {
  const other = await readFile(path.join(NEXT_SITE, 'index.bin'));
  await page.route('**/index.bin', (route) => route.fulfill({ status: 200, body: other }));
  await open(page);
  const error = page.locator(ERROR);
  await error.waitFor();
  assert.match(await error.innerText(), /ne viennent pas de la même publication/);
  // The list the page came with still reads; only search needs the index.
  await waitForCards(page, 3);
});

browserTest(
  'Chromium finds the app installable, with a French manifest',
  async ({ page, context }) => {
  await open(page);
  await waitForCards(page, 3);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, []);
  const { url, errors, data } = await cdp.send('Page.getAppManifest');
  assert.deepEqual(errors, [], `manifest ${url} parses`);
  const manifest = JSON.parse(data);
  assert.equal(manifest.lang, 'fr');
  assert.equal(manifest.display, 'standalone');
  assert.ok(manifest.short_name && manifest.name && manifest.description && manifest.theme_color);
  const sizes = manifest.icons.map((icon) => icon.sizes).sort();
  assert.deepEqual(sizes, ['192x192', '512x512']);
  },
  { persistent: true },
);

browserTest(
  'the single file opens from disk and finds "hadopi"',
  async ({ page }) => {
    await page.goto(pathToFileURL(SINGLE_FILE).href);
    await searchesAndReads(page);
  },
  { origins: ['null'] },
);
