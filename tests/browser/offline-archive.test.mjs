// An archive offline (issue 13, part 3): its service worker installs the program and the list,
// not the articles nor the index; it keeps what the reader reads and searches; on request it
// downloads the rest with its progress, can be cancelled, resumes after a cancel or a lost
// network where it stopped, and refuses to start without room. Then every article reads with
// the server stopped. Against the archive site `cargo xtask test` builds (45 articles, built as
// an archive whatever its size), served by site-server.mjs.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import {
  ARTICLE,
  ARTICLE_CARD,
  ERROR,
  RESULT,
  RESULTS,
  browserTest,
  waitForEngine,
} from './browser.mjs';
import { builtSite, serveSite } from './site-server.mjs';

const SITE = builtSite('LECTEUR_ARCHIVE_SITE_DIR');
const PANEL = '[data-testid="offline-copy"]';
const STATUS = '[data-testid="archive-status"]';
const ACTION = '[data-testid="archive-action"]';
const PROBLEM = '[data-testid="archive-problem"]';
const PROGRESS = '[data-testid="archive-progress"]';

/** The build's list, as its service worker reads it. */
const PRECACHE = JSON.parse(
  (await readFile(path.join(SITE, 'sw.js'), 'utf8')).match(/const PRECACHE = (\{[\s\S]*?\n\});/)[1],
);
const LATER = PRECACHE.files.filter((file) => !file.install).map((file) => file.path);
/** The parts of the archive's index (src/parts.rs), fetched as searches need them. */
const PARTS = LATER.filter((file) => /^i\/\d+\.bin$/.test(file));
/** The files of the list's excerpts (src/bundle.rs, ExcerptsFile), fetched as the list grows. */
const EXCERPTS = LATER.filter((file) => /^l\/\d+\.json$/.test(file));

/** The paths (relative to the site) the service worker's caches hold (one build's, spread
 * over several for a large one: www/sw.js, FILES_PER_CACHE). */
async function cachedPaths(page, mount) {
  return page.evaluate(async (mount) => {
    const paths = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) {
        paths.push(new URL(request.url).pathname.slice(mount.length));
      }
    }
    return paths.sort();
  }, mount);
}

/** Waits until the cache holds every file of `wanted` (waitForFunction awaits no promise). */
async function kept(page, mount, wanted) {
  for (let tries = 0; ; tries += 1) {
    const paths = await cachedPaths(page, mount);
    if (wanted.every((file) => paths.includes(file))) return;
    assert.ok(tries < 100, `never kept: ${wanted.filter((file) => !paths.includes(file))}`);
    await page.waitForTimeout(100);
  }
}

/** Waits until the panel's sentence matches `pattern`. */
const says = (page, pattern) =>
  page.waitForFunction(
    ([selector, source]) =>
      new RegExp(source).test(document.querySelector(selector)?.textContent ?? ''),
    [STATUS, pattern.source],
  );

const server = await serveSite(SITE);
const cramped = await serveSite(SITE);

browserTest(
  'an archive keeps what is read, downloads the rest on request, and then reads offline',
  async ({ page, context }) => {
    const mount = new URL(server.url).pathname;
    assert.equal(PRECACHE.archive, true, 'the test site is built as an archive');
    assert.ok(PARTS.length > 3, `the index in ${PARTS.length} parts`);
    assert.deepEqual(EXCERPTS, ['l/0.json'], 'the excerpts of 45 articles in one file');
    assert.ok(LATER.includes('titres.json'), 'the titles wait too');
    assert.equal(
      LATER.length,
      92 + PARTS.length + EXCERPTS.length,
      'the 45 articles (pages and texts), the index, its parts, the excerpts and the titles wait',
    );

    await page.goto(server.url);
    await waitForEngine(page);
    // Once installed: the program and the list, and of the rest only the index this visit
    // opened and the titles its worker fetched once idle, kept once the worker runs (no
    // article).
    await says(page, /^Sur cet appareil : .* de l’archive sur /);
    await kept(page, mount, ['index.bin', 'titres.json']);
    const installed = await cachedPaths(page, mount);
    for (const file of ['index.html', '404.html', 'hors-ligne.html']) {
      assert.ok(installed.includes(file), `${file} in ${installed}`);
    }
    assert.deepEqual(installed.filter((file) => LATER.includes(file)).sort(), ['index.bin', 'titres.json']);
    const offer = await page.locator(ACTION).innerText();
    assert.match(offer, /^Télécharger l’archive pour la lecture hors ligne \(\d/);

    // Read once the worker runs: kept, whether the article was opened by its address or from
    // the results.
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await waitForEngine(page);
    await page.goto(new URL('a/chronique-07/', server.url).href);
    await page.locator(ARTICLE).waitFor();
    await page.goto(new URL('?q=%22courriel+num%C3%A9ro+12%22', server.url).href);
    await page.locator(`${RESULTS} ${RESULT} a.result-link`).first().click();
    await page.locator(`${ARTICLE} h1`).filter({ hasText: 'Chronique numéro 12 de' }).waitFor();
    // The search fetched the text of its one hit, for its passage: kept too.
    const readFiles = [
      'a/chronique-07/index.html',
      'a/chronique-12/index.html',
      'a/chronique-12/texte.json',
      'index.bin',
      'titres.json',
    ];
    await kept(page, mount, readFiles);
    // And the parts of the index the search read: some, not all.
    const partsRead = (await cachedPaths(page, mount)).filter((file) => PARTS.includes(file));
    assert.ok(
      partsRead.length > 0 && partsRead.length < PARTS.length,
      `the search read ${partsRead.length} of ${PARTS.length} parts`,
    );
    // Offline, both open from their addresses; one never read says it is not kept yet.
    await context.setOffline(true);
    for (const slug of ['chronique-07', 'chronique-12']) {
      await page.goto(new URL(`a/${slug}/`, server.url).href);
      await page.locator(ARTICLE).waitFor();
      const title = `Chronique numéro ${Number(slug.slice(-2))} de la Hadopi`;
      assert.equal(await page.locator(`${ARTICLE} h1`).innerText(), title);
    }
    await page.goto(new URL('a/chronique-13/', server.url).href);
    assert.equal(await page.locator('h1').innerText(), 'Article pas encore enregistré');
    assert.match(await page.locator(ERROR).innerText(), /téléchargez l’archive/);
    await page.getByRole('link', { name: 'Revenir à la liste des articles' }).click();
    await page.waitForURL(server.url);
    await says(page, /^Sur cet appareil/);
    // The list's next page: its excerpts' file was never kept, so its cards show their titles
    // alone, and the list says why.
    await waitForEngine(page);
    await page.locator('[data-testid="more"]').click();
    await page.locator('[data-testid="excerpts-missing"]').waitFor();
    assert.equal(await page.locator(ARTICLE_CARD).count(), 45);
    assert.equal(await page.locator(`${ARTICLE_CARD} .excerpt`).count(), 30);
    // A search offline lists every hit; only the one whose text was kept shows its passage.
    await page.goto(new URL('?q=%22courriel+num%C3%A9ro%22', server.url).href);
    await page.locator(`${RESULTS} ${RESULT}`).first().waitFor();
    assert.equal(await page.locator(ERROR).count(), 0);
    assert.equal(await page.locator(`${RESULTS} ${RESULT}`).count(), 10);
    const withPassage = await page
      .locator(`${RESULTS} ${RESULT}:has(.snippet)`)
      .evaluateAll((hits) => hits.map((hit) => hit.dataset.slug));
    assert.ok(withPassage.every((slug) => slug === 'chronique-12'), `${withPassage}`);
    // The others say why they have none.
    const absent = page.locator(`${RESULTS} ${RESULT} [data-testid="no-passage"]`);
    assert.equal(await absent.count(), 10 - withPassage.length);
    assert.match(await absent.first().innerText(), /pas encore sur cet appareil/);
    await context.setOffline(false);

    const read = (await cachedPaths(page, mount)).filter((file) => LATER.includes(file)).length;
    assert.equal(
      read,
      readFiles.length + partsRead.length,
      'the index, its titles, the parts searched and the two articles read',
    );
    // The download, slowed so that it can be cancelled halfway.
    const slowly = async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      await route.fallback();
    };
    await context.route(/\/a\/chronique-\d+\/index\.html$/, slowly);
    await page.reload();
    await says(page, /^Sur cet appareil/);
    await page.locator(ACTION).click();
    await page.locator(PROGRESS).waitFor();
    await says(page, /^Téléchargement de l’archive pour la lecture hors ligne : .* sur /);
    // Cancelled once a few files have come (a report at least every quarter of a second).
    const start = Number(await page.locator(PROGRESS).getAttribute('value'));
    await page.waitForFunction(
      ([selector, start]) => Number(document.querySelector(selector)?.value) > start,
      [PROGRESS, start],
    );
    assert.equal(await page.locator(ACTION).innerText(), 'Annuler le téléchargement');
    await page.locator(ACTION).click();
    await page.locator(PROBLEM).filter({ hasText: 'Téléchargement annulé' }).waitFor();
    assert.match(await page.locator(ACTION).innerText(), /^Reprendre le téléchargement \(reste \d/);
    const halfway = (await cachedPaths(page, mount)).filter((file) => LATER.includes(file));
    // More than was read before it, less than all.
    assert.ok(halfway.length > read && halfway.length < LATER.length, `${halfway.length} kept`);

    // The network goes while resuming: said, and resumed again once it is back.
    await context.unroute(/\/a\/chronique-\d+\/index\.html$/, slowly);
    const lost = (route) => route.abort('internetdisconnected');
    await context.route(/\/a\/chronique-\d+\/index\.html$/, lost);
    await page.locator(ACTION).click();
    await page.locator(PROBLEM).filter({ hasText: 'le réseau ne répond pas' }).waitFor();
    await context.unroute(/\/a\/chronique-\d+\/index\.html$/, lost);
    await page.locator(ACTION).click();
    await says(page, /^L’archive entière est sur cet appareil \(/);
    assert.equal(await page.locator(ACTION).count(), 0, 'nothing left to download');
    const all = await cachedPaths(page, mount);
    assert.deepEqual(LATER.filter((file) => !all.includes(file)), [], 'every file kept');

    // Every article reads with the server stopped, a search too.
    await server.stop();
    for (const slug of ['chronique-31', 'chronique-44']) {
      await page.goto(new URL(`a/${slug}/`, server.url).href);
      await page.locator(ARTICLE).waitFor();
      assert.match(await page.locator(`${ARTICLE} h1`).innerText(), /Chronique numéro/);
    }
    await page.goto(new URL('?q=courriel', server.url).href);
    await page.locator(`${RESULTS} ${RESULT}`).first().waitFor();
    assert.equal(await page.locator(ERROR).count(), 0);
    // Every text was downloaded: every hit shows its passage.
    assert.equal(await page.locator(`${RESULTS} ${RESULT} .snippet`).count(), 10);
    // And the whole list, each card with its excerpt (their files were downloaded too).
    await page.goto(server.url);
    await waitForEngine(page);
    await page.locator('[data-testid="more"]').click();
    await page.waitForFunction((selector) => document.querySelectorAll(selector).length === 45, ARTICLE_CARD);
    assert.equal(await page.locator(`${ARTICLE_CARD} .excerpt`).count(), 45);
  },
  {
    origins: [server.origin],
    // The download's requests aborted on purpose, and the pages of the stopped server.
    expectedConsoleError:
      /ERR_INTERNET_DISCONNECTED|Failed to load resource|ERR_CONNECTION_REFUSED/,
  },
);

browserTest(
  'without room for the rest of the archive, its download is not offered',
  async ({ page, context }) => {
    await page.goto(cramped.url);
    await says(page, /^Sur cet appareil/);
    assert.equal(await page.locator(ACTION).isDisabled(), false);
    // The browser grants the site 100 KB more than it uses. Chromium's own override
    // (DevTools' Storage.overrideQuotaForOrigin) leaves estimate() as it was here, so the
    // page is told so by the estimate it reads.
    await context.addInitScript(() => {
      const estimate = StorageManager.prototype.estimate;
      StorageManager.prototype.estimate = async function () {
        const { usage } = await estimate.call(this);
        return { usage, quota: usage + 100_000 };
      };
    });
    await page.reload();
    await page.locator(PROBLEM).filter({ hasText: 'Il manque de la place sur cet appareil' }).waitFor();
    assert.equal(await page.locator(ACTION).isDisabled(), true);
    assert.match(
      await page.locator(PROBLEM).innerText(),
      /le reste de l’archive demande \d,\d\sMo, et le navigateur n’accorde plus que 100\sKo à ce site/,
    );
    await cramped.stop();
  },
  { origins: [cramped.origin] },
);
