// Accessibility (issue 7, RGAA / WCAG 2.1 AA): axe-core finds no violation in any state of the
// page, in light and dark, at 320 px and 1280 px; nothing scrolls sideways; every target is at
// least 24 × 24 px; and the keyboard alone does everything, tested by pressing keys.
//
// axe-core comes from npm (tests/browser/node_modules, pinned in package-lock.json) and is put
// into the page as an inline script: nothing is fetched from another origin. Each audited state
// is also photographed at both widths and in both themes, into LECTEUR_SCREENSHOTS (set by
// `cargo xtask test`; by default target/screenshots/ of the repository), as
// STATE-WIDTH-THEME.png.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ARTICLE,
  ARTICLE_CARD,
  ARTICLE_LIST,
  ERROR,
  RESULT,
  RESULTS,
  SEARCH,
  PREPARING,
  PROGRAM,
  addressOf,
  articleSlugs,
  browserTest,
  holdBack,
  open,
  serveIndex,
  waitForAddress,
  waitForEngine,
  waitForProgram,
} from './browser.mjs';
import { builtSite, serveSite } from './site-server.mjs';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_VERSION = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('axe-core/package.json'), 'utf8'),
).version;

/** WCAG 2.0 and 2.1, levels A and AA (RGAA), plus the 2.2 target size, and a few landmark rules. */
const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  rules: {
    'target-size': { enabled: true },
    'landmark-one-main': { enabled: true },
    'landmark-no-duplicate-banner': { enabled: true },
    'landmark-unique': { enabled: true },
    'page-has-heading-one': { enabled: true },
    region: { enabled: true },
  },
  resultTypes: ['violations'],
};

const WIDTHS = [320, 1280];
const THEMES = ['light', 'dark'];

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCREENSHOTS =
  process.env.LECTEUR_SCREENSHOTS || path.resolve(HERE, '..', '..', 'target', 'screenshots');

const SHARE_LINK = '[data-testid="share-link"]';
const SHARE_MESSAGE = '[data-testid="share-message"]';
const HIGHLIGHT = `${ARTICLE} [data-testid="shared-highlight"]`;
const HELP = '[data-testid="help"]';
const HELP_BUTTON = '[data-testid="help-button"]';
const COUNTER = '[data-testid="match-counter"]';

/** Every axe run, for the summary at the end. */
const audits = [];
after(() => {
  const states = new Set(audits.map((audit) => audit.state));
  console.log(
    `axe-core ${AXE_VERSION}: ${audits.length} audits (${states.size} states × ` +
      `${THEMES.length} themes × ${WIDTHS.length} widths), ` +
      `${audits.reduce((sum, audit) => sum + audit.violations, 0)} violations; ` +
      `screenshots in ${SCREENSHOTS}`,
  );
});

/** Lets the page lay itself out again after a change of size or theme. */
async function settle(page) {
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
}

/** Runs axe on the page as it is; returns its violations, readably. */
async function axe(page) {
  // Evaluated by the test's driver, not added as a script: the page's policy allows none.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(AXE_SOURCE);
  }
  const violations = await page.evaluate((options) => window.axe.run(document, options), AXE_OPTIONS);
  return violations.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary}`),
  }));
}

/** How far the page scrolls sideways (0 when it does not). */
function sideways(page) {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}

/** The controls and standalone links smaller than 24 × 24 px (visible ones). */
function smallTargets(page) {
  return page.evaluate(() => {
    const selector =
      'button, input, select, summary, .brand, nav a, .message a, .suggestion a, .help-button';
    return [...document.querySelectorAll(selector)]
      .filter((element) => element.getClientRects().length > 0)
      .filter((element) => !element.closest('.visually-hidden'))
      .map((element) => ({ element, box: element.getBoundingClientRect() }))
      .filter(({ box }) => box.width < 24 || box.height < 24)
      .map(({ element, box }) => `${element.outerHTML.slice(0, 80)} ${box.width}×${box.height}`);
  });
}

/**
 * Audits the page's current state in each theme and at each width: no axe violation, no
 * sideways scrolling, targets of 24 px, `lang="fr"`, one `h1` (`h1s` to say otherwise); and
 * writes a screenshot of each, scrolled to `show` if given. `skip` names axe rules (beyond
 * WCAG A / AA) not to hold against this state.
 */
async function audit(page, state, { h1s = 1, skip = [], show } = {}) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const failures = [];
  for (const width of WIDTHS) {
    for (const theme of THEMES) {
      await page.setViewportSize({ width, height: 800 });
      await page.emulateMedia({ colorScheme: theme });
      await settle(page);
      if (show) await page.locator(show).scrollIntoViewIfNeeded();
      const where = `${state}, ${width} px, ${theme === 'light' ? 'clair' : 'sombre'}`;
      const violations = (await axe(page)).filter((violation) => !skip.includes(violation.rule));
      audits.push({ state, width, theme, violations: violations.length });
      if (violations.length > 0) failures.push({ where, violations });
      const overflow = await sideways(page);
      if (overflow > 0) failures.push({ where, overflow: `${overflow} px sideways` });
      const small = await smallTargets(page);
      if (small.length > 0) failures.push({ where, small });
      await page.screenshot({ path: path.join(SCREENSHOTS, `${state}-${width}-${theme}.png`) });
    }
  }
  assert.deepEqual(failures, [], `${state}: ${JSON.stringify(failures, null, 2)}`);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  const headings = await page.locator('h1:visible').count();
  assert.equal(headings, h1s, `${state}: ${headings} h1`);
}

/** Opens the page on a damaged index and waits for the message. */
async function openOnBadIndex(page) {
  await open(page);
  await page.locator(ERROR).waitFor();
}

/** Waits until the element matching `selector` has the focus. */
async function waitForFocus(page, selector) {
  await page.waitForFunction((selector) => document.activeElement?.matches(selector), selector);
}

/** Whitespace collapsed. */
function squash(text) {
  return text.replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Every state of the page, audited.

browserTest('axe: the home page', async ({ page }) => {
  await open(page);
  await page.locator(`${ARTICLE_LIST} ${ARTICLE_CARD}`).first().waitFor();
  await audit(page, 'accueil');
});

browserTest(
  'axe: the pages as the build wrote them, before the program runs',
  async ({ page }) => {
  const [, slug] = await articleSlugs(page);
  await holdBack(page, PROGRAM); // never released: no program
  for (const [state, address, shown] of [
    ['accueil-sans-programme', '', ARTICLE_CARD],
    ['article-sans-programme', `a/${slug}/`, `${ARTICLE} #bloc-2`],
  ]) {
    await open(page, address);
    await page.locator(shown).first().waitFor();
    assert.equal(await page.locator('html[data-lecteur]').count(), 0, 'no program');
    await audit(page, state);
  }
},
  { noServiceWorker: true },
);

browserTest('axe: a search waiting for the engine', async ({ page }) => {
  const release = await holdBack(page, '**/index.bin');
  await open(page, '?q=hadopi');
  await page.locator(PREPARING).waitFor();
  await audit(page, 'preparation');
  release();
  await page.locator(`${RESULTS} ${RESULT}`).first().waitFor();
});

browserTest('axe: results, partial results and no result', async ({ page }) => {
  await open(page, '?q=hadopi');
  await page.locator(`${RESULTS} ${RESULT}`).first().waitFor();
  // One hit's reasons open, so that they are audited too.
  await page.locator('[data-testid="why"] summary').first().click();
  await audit(page, 'resultats');
  await open(page, '?q=hadopi%20netflix%20zorglub');
  await page.locator('[data-testid="partial"]').waitFor();
  await audit(page, 'resultats-partiels');
  await open(page, '?q=hadopy%20xqzwv');
  await page.locator('[data-testid="result-count"]').waitFor();
  await audit(page, 'aucun-resultat');
});

browserTest('axe: an article with its marks, and the keyboard help', async ({ page }) => {
  const [slug] = await articleSlugs(page);
  await open(page, `a/${slug}/?q=hadopi`);
  await page.locator(COUNTER).waitFor();
  assert.ok((await page.locator(`${ARTICLE} mark`).count()) > 0);
  await page.keyboard.press('n');
  await audit(page, 'article-marques');
  await page.keyboard.press('?');
  await page.locator(`${HELP}:visible`).waitFor();
  await audit(page, 'aide-clavier');
});

browserTest('axe: a passage shared from the keyboard, and the link opened', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const [, slug] = await articleSlugs(page);
  await open(page, `a/${slug}/`);
  await page.locator(`${ARTICLE} #bloc-3`).waitFor();
  await waitForProgram(page);
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('p');
  const link = await page.locator(SHARE_LINK).getAttribute('href');
  await audit(page, 'partage-fait');
  await page.goto(link);
  await page.locator(HIGHLIGHT).first().waitFor();
  await audit(page, 'passage-partage');
});

browserTest('axe: shared links that miss: the passage is gone, the link is damaged', async ({
  page,
}) => {
  const [slug] = await articleSlugs(page);
  const quote = encodeURIComponent('Une phrase qui n’a jamais été écrite ici');
  await open(page, `a/${slug}/?s=3.0,,${quote},`);
  await page.locator(SHARE_MESSAGE).waitFor();
  await audit(page, 'passage-introuvable');
  await open(page, `a/${slug}/?s=garbage`);
  await page.waitForFunction(
    (selector) => /abîmé/.test(document.querySelector(selector)?.textContent ?? ''),
    SHARE_MESSAGE,
  );
  await audit(page, 'lien-de-partage-abime');
});

browserTest(
  'axe: links that lead nowhere',
  async ({ page }) => {
    for (const [state, address] of [
      ['article-inconnu', 'a/inconnu/'],
      ['recherche-illisible', '?q=%E9%ZZ'],
      ['adresse-inconnue', 'nulle/part'],
    ]) {
      await open(page, address);
      await page.locator(ERROR).waitFor();
      await audit(page, state);
    }
  },
  { expectedConsoleError: /404/ },
);

browserTest('axe: a query too long to search', async ({ page }) => {
  await open(page, `?q=${encodeURIComponent('mot '.repeat(60).trim())}`);
  await page.locator(ERROR).waitFor();
  assert.match(await page.locator(ERROR).innerText(), /Recherche impossible/);
  await audit(page, 'recherche-trop-longue');
});

browserTest(
  'axe: an index the server does not have',
  async ({ page }) => {
    await serveIndex(page, () => ({ status: 404, body: 'Not found' }));
    await openOnBadIndex(page);
    await audit(page, 'index-absent');
  },
  { expectedConsoleError: /404/ },
);

// One test each: a page that once loaded the index has it cached by the service worker.
for (const [state, damage] of [
  ['index-pas-un-index', () => ({ status: 200, body: '<!doctype html><p>Oups</p>' })],
  ['index-tronque', (bytes) => ({ status: 200, body: bytes.subarray(0, bytes.length - 100) })],
  [
    'index-corrompu',
    (bytes) => {
      const damaged = Buffer.from(bytes);
      damaged[damaged.length - 10] ^= 0xff;
      return { status: 200, body: damaged };
    },
  ],
]) {
  browserTest(`axe: a damaged index (${state})`, async ({ page }) => {
    await serveIndex(page, damage);
    await openOnBadIndex(page);
    await audit(page, state);
  });
}

browserTest('axe: an index of another publication of the site', async ({ page }) => {
  const next = process.env.LECTEUR_NEXT_SITE_DIR;
  assert.ok(next, 'LECTEUR_NEXT_SITE_DIR names another build (set by `cargo xtask test`)');
  const other = await readFile(path.join(next, 'index.bin'));
  await page.route('**/index.bin', (route) => route.fulfill({ status: 200, body: other }));
  await openOnBadIndex(page);
  assert.match(await page.locator(ERROR).innerText(), /même publication/);
  await audit(page, 'index-autre-publication');
});

browserTest(
  'axe: a program that cannot start',
  async ({ page }) => {
    await page.route(PROGRAM, (route) =>
      route.fulfill({ status: 404, body: 'Not found' }),
    );
    await openOnBadIndex(page);
    assert.match(await page.locator(ERROR).innerText(), /n’a pas pu démarrer/);
    // `www/main.js` writes this message in place of the whole page, without a `main`.
    await audit(page, 'programme-absent');
  },
  { expectedConsoleError: /404|WebAssembly|wasm/i },
);

browserTest(
  'axe: a program that stopped midway',
  async ({ page }) => {
    await open(page);
    await waitForEngine(page);
    await page.evaluate(() => {
      Promise.reject(new WebAssembly.RuntimeError('unreachable'));
    });
    await page.locator(ERROR).waitFor();
    assert.match(await page.locator(ERROR).innerText(), /Le lecteur s’est arrêté/);
    await audit(page, 'programme-arrete');
  },
  { expectedConsoleError: /RuntimeError|unreachable/ },
);

browserTest('axe: offline', async ({ page, context }) => {
  await open(page, '?q=popcorn');
  await page.locator(`${RESULTS} ${RESULT}`).first().waitFor();
  // The offline copy is made once the results show; the network goes after it is made (a
  // registration cut off by the network is reported by Chromium itself on the console).
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await context.setOffline(true);
  await page.locator('[data-testid="offline"]').waitFor();
  await audit(page, 'hors-ligne');
  await context.setOffline(false);
});

const archive = await serveSite(builtSite('LECTEUR_ARCHIVE_SITE_DIR'));

browserTest(
  'axe: an archive offered for offline reading, downloading, and an article not kept yet',
  async ({ page, context }) => {
    await page.goto(archive.url);
    const action = page.locator('[data-testid="archive-action"]');
    await action.filter({ hasText: 'Télécharger l’archive' }).waitFor();
    const panel = { show: '[data-testid="offline-copy"]' };
    await audit(page, 'archive-a-telecharger', panel);
    // Its articles held back, so that the download stays under way while audited.
    const held = [];
    const hold = (route) => held.push(route);
    await context.route(/\/a\/[^/]+\/index\.html$/, hold);
    await action.click();
    await page.locator('[data-testid="archive-progress"]').waitFor();
    await audit(page, 'archive-en-telechargement', panel);
    await action.click();
    await context.unroute(/\/a\/[^/]+\/index\.html$/, hold);
    for (const route of held) await route.fallback().catch(() => {});
    await page.locator('[data-testid="archive-problem"]').filter({ hasText: 'annulé' }).waitFor();
    await context.setOffline(true);
    await page.goto(new URL('a/chronique-20/', archive.url).href);
    await page.locator(ERROR).filter({ hasText: 'pas encore enregistré' }).waitFor();
    await audit(page, 'article-pas-enregistre');
    await context.setOffline(false);
  },
  { origins: [archive.origin], expectedConsoleError: /ERR_INTERNET_DISCONNECTED/ },
);

// ---------------------------------------------------------------------------------------------
// What a screen reader hears: Chromium's own accessibility tree.

/** The names of the accessibility tree's nodes, as Chromium gives them to screen readers. */
async function accessibleNames(page, context) {
  const cdp = await context.newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  return nodes.map((node) => node.name?.value ?? '').filter(Boolean);
}

browserTest('screen readers hear where each marked word starts and ends; copies do not', async ({
  page,
  context,
}) => {
  const announced = /début de correspondance,\s*Hadopi\s*, fin de correspondance/;
  await open(page, '?q=hadopi');
  await page.locator(`${RESULTS} ${RESULT}`).first().waitFor();
  const inResults = await accessibleNames(page, context);
  assert.ok(
    inResults.some((name) => announced.test(name)),
    `no result announces its match: ${inResults.slice(0, 12).join(' | ')}`,
  );

  await page.locator(`${RESULT} a.result-link`).first().click();
  await page.locator(`${ARTICLE} mark`).first().waitFor();
  const inArticle = await accessibleNames(page, context);
  assert.ok(inArticle.some((name) => announced.test(name)), 'the article announces its matches');
  // The announcement is generated, not text: what is selected, copied or shared is the article's.
  const selected = await page.evaluate((selector) => {
    const block = document.querySelector(`${selector} [id^="bloc-"] mark`).closest('[id^="bloc-"]');
    const range = document.createRange();
    range.selectNodeContents(block);
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return selection.toString();
  }, ARTICLE);
  assert.match(selected, /Hadopi/);
  assert.doesNotMatch(selected, /correspondance/);
});

// ---------------------------------------------------------------------------------------------
// The keyboard alone, by pressing keys.

browserTest('keyboard: search, results, article, marks, share, back to the result', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page);
  await waitForEngine(page);

  // The skip link comes first, and leads to the content.
  await page.keyboard.press('Tab');
  await waitForFocus(page, '.skip-link');
  assert.ok(await page.locator('.skip-link').isVisible(), 'the skip link shows when focused');
  await page.keyboard.press('Enter');
  await waitForFocus(page, 'main');

  await page.keyboard.press('/');
  await waitForFocus(page, SEARCH);
  await page.keyboard.type('hadopi');
  await page.waitForFunction((s) => document.querySelectorAll(s).length === 3, `${RESULTS} ${RESULT}`);
  // `?` is text in the search box, not the help.
  await page.keyboard.press('?');
  assert.equal(await page.locator(SEARCH).inputValue(), 'hadopi?');
  assert.equal(await page.locator(`${HELP}:visible`).count(), 0, 'no help while typing');
  await page.keyboard.press('Backspace');
  await waitForAddress(page, '?q=hadopi');

  await page.keyboard.press('ArrowDown');
  await waitForFocus(page, `${RESULT}:nth-child(1) a.result-link`);
  await page.keyboard.press('ArrowDown');
  await waitForFocus(page, `${RESULT}:nth-child(2) a.result-link`);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowDown');
  await waitForFocus(page, `${RESULT}:nth-child(2) a.result-link`);
  const slug = await page.evaluate(() => document.activeElement.closest('[data-slug]').dataset.slug);

  // Enter opens it, with the focus on its heading.
  await page.keyboard.press('Enter');
  await page.locator(ARTICLE).waitFor();
  await waitForFocus(page, `${ARTICLE} h1`);
  assert.ok(addressOf(page).startsWith(`a/${encodeURIComponent(slug)}/`), addressOf(page));

  // n / N step through the marks, and focus the paragraph of the current one.
  const counter = page.locator(COUNTER);
  const total = Number((await counter.innerText()).match(/^1 \/ (\d+)$/)[1]);
  assert.ok(total > 1, `${total} marks`);
  await page.keyboard.press('n');
  await page.waitForFunction((s) => document.querySelector(s)?.textContent.startsWith('2 /'), COUNTER);
  await page.waitForFunction(() =>
    document.activeElement?.matches('[id^="bloc-"]') &&
    document.activeElement.querySelector('mark[data-current]'),
  );
  await page.keyboard.press('N');
  await page.waitForFunction((s) => document.querySelector(s)?.textContent.startsWith('1 /'), COUNTER);

  // j moves to the next paragraph; p shares the focused one.
  await page.keyboard.press('j');
  const block = await page.evaluate(() => document.activeElement.id);
  assert.match(block, /^bloc-\d+$/);
  const paragraph = await page.locator(`${ARTICLE} #${block}`).innerText();
  await page.keyboard.press('p');
  const link = await page.locator(SHARE_LINK).getAttribute('href');
  const blockNumber = Number(block.slice('bloc-'.length));
  assert.match(link, new RegExp(`/a/[^/?]+/\\?s=${blockNumber - 1}\\.0,`), link);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link, 'copied');
  assert.match(
    await page.locator('[data-testid="share-announcement"][role="status"]').textContent(),
    /Lien du passage copié/,
    'the link is announced',
  );

  // Back to the results by the "← Résultats" link, reached by Shift+Tab: focus on the result.
  for (let i = 0; i < 10; i++) {
    if (await page.evaluate(() => document.activeElement?.matches('.crumbs a'))) break;
    await page.keyboard.press('Shift+Tab');
  }
  await waitForFocus(page, '.crumbs a');
  await page.keyboard.press('Enter');
  await waitForAddress(page, '?q=hadopi');
  await waitForFocus(page, `${RESULT}[data-slug="${slug}"] a.result-link`);

  // The same after the browser's Back.
  await page.keyboard.press('Enter');
  await waitForFocus(page, `${ARTICLE} h1`);
  await page.goBack();
  await waitForAddress(page, '?q=hadopi');
  await waitForFocus(page, `${RESULT}[data-slug="${slug}"] a.result-link`);

  // The shared link lands on the paragraph, marked whole.
  await page.goto(link);
  await page.locator(HIGHLIGHT).first().waitFor();
  const marked = await page.locator(HIGHLIGHT).allInnerTexts();
  assert.equal(squash(marked.join(' ')), squash(paragraph));
  assert.equal(await page.locator(SHARE_MESSAGE).count(), 0, 'found where it was');
});

browserTest('keyboard: back to the list puts the focus on the article left', async ({ page }) => {
  await open(page);
  await waitForEngine(page);
  // Tab past the skip link, the brand, the search box and the help button to the articles.
  let slug;
  for (let i = 0; i < 12 && !slug; i++) {
    await page.keyboard.press('Tab');
    slug = await page.evaluate(
      () => document.activeElement?.closest('[data-testid="article-card"]')?.dataset.slug,
    );
  }
  assert.ok(slug, 'Tab reaches an article');
  await page.keyboard.press('Enter');
  await waitForFocus(page, `${ARTICLE} h1`);
  await page.keyboard.press('Shift+Tab');
  await waitForFocus(page, '.crumbs a');
  await page.keyboard.press('Enter');
  await waitForAddress(page, '');
  await waitForFocus(page, `${ARTICLE_CARD}[data-slug="${slug}"] h2 a`);
});

browserTest('keyboard: ? opens the help, Escape closes it, the focus comes back', async ({
  page,
}) => {
  await open(page, '?q=popcorn');
  await page.locator(`${RESULTS} ${RESULT}`).first().waitFor();
  await page.keyboard.press('/');
  await page.keyboard.press('ArrowDown');
  await waitForFocus(page, `${RESULT}:nth-child(1) a.result-link`);

  await page.keyboard.press('?');
  await waitForFocus(page, `${HELP} h2`);
  assert.equal(await page.getAttribute(HELP_BUTTON, 'aria-expanded'), 'true');
  // The help names the keys this test presses (that it lists every shortcut is
  // core/src/page.rs's `the_help_lists_every_shortcut`, derived from the shortcuts).
  const keys = await page.locator(`${HELP} kbd`).allTextContents();
  for (const key of ['/', '?', 'Échap']) assert.ok(keys.includes(key), `the help lists ${key}: ${keys}`);
  await page.keyboard.press('Tab');
  await waitForFocus(page, '[data-testid="help-close"]');
  await page.keyboard.press('Escape');
  await page.locator(HELP).waitFor({ state: 'hidden' });
  assert.equal(await page.getAttribute(HELP_BUTTON, 'aria-expanded'), 'false');
  await waitForFocus(page, `${RESULT}:nth-child(1) a.result-link`);

  // ? again toggles it closed; the button works from the keyboard too.
  await page.keyboard.press('?');
  await waitForFocus(page, `${HELP} h2`);
  await page.keyboard.press('?');
  await page.locator(HELP).waitFor({ state: 'hidden' });
  await waitForFocus(page, `${RESULT}:nth-child(1) a.result-link`);
  await page.locator(HELP_BUTTON).focus();
  await page.keyboard.press('Enter');
  await waitForFocus(page, `${HELP} h2`);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.locator(HELP).waitFor({ state: 'hidden' });
  await waitForFocus(page, HELP_BUTTON);
});

// ---------------------------------------------------------------------------------------------
// Zoom, small screens and motion.

browserTest('200 % zoom and 320 px: nothing scrolls sideways, nothing is cut', async ({ page }) => {
  const [slug] = await articleSlugs(page);
  const views = ['', '?q=hadopi', `a/${slug}/?q=hadopi`];
  // Text zoom (root font at 200 %) at both widths, and page zoom (1280 px at 200 % is 640 CSS px).
  for (const [width, text] of [
    [320, '100%'],
    [320, '200%'],
    [1280, '200%'],
    [640, '100%'],
  ]) {
    await page.setViewportSize({ width, height: 800 });
    for (const hash of views) {
      await open(page, hash);
      await page.locator(`${ARTICLE_LIST}, ${RESULTS} ${RESULT}, ${ARTICLE}`).first().waitFor();
      // Set from the test's driver: the page's policy allows no style element but its own.
      await page.evaluate((size) => document.documentElement.style.setProperty('font-size', size, 'important'), text);
      await settle(page);
      const where = `./${hash} at ${width} px, text ${text}`;
      assert.equal(await sideways(page), 0, `${where}: scrolls sideways`);
      // The search box stays usable, and no text sticks out of the page.
      const box = await page.locator(SEARCH).boundingBox();
      assert.ok(box.width >= 100, `${where}: search box ${box.width} px wide`);
      const outside = await page.evaluate(() =>
        [...document.querySelectorAll('h1, h2, p, li, a, button, input')]
          .filter((element) => element.getClientRects().length > 0)
          .filter((element) => !element.closest('.visually-hidden, .skip-link'))
          .filter((element) => {
            const box = element.getBoundingClientRect();
            return box.left < -1 || box.right > document.documentElement.clientWidth + 1;
          })
          .map((element) => element.outerHTML.slice(0, 80)),
      );
      assert.deepEqual(outside, [], `${where}: outside the page`);
    }
  }
});

browserTest('prefers-reduced-motion: no animation, no transition', async ({ page }) => {
  const [slug] = await articleSlugs(page);
  const motion = async () => {
    await open(page, `a/${slug}/`);
    await page.locator(`${ARTICLE} #bloc-2`).waitFor();
    await waitForProgram(page);
    await page.keyboard.press('j');
    await page.keyboard.press('p');
    await page.locator(SHARE_LINK).waitFor();
    return page.evaluate(() => {
      const styles = [...document.querySelectorAll('*')].map((element) => getComputedStyle(element));
      return {
        animated: styles.filter((style) => style.animationName !== 'none').length,
        transitions: styles.filter((style) =>
          style.transitionDuration.split(',').some((duration) => parseFloat(duration) > 0),
        ).length,
        smooth: styles.filter((style) => style.scrollBehavior === 'smooth').length,
      };
    });
  };
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  const moving = await motion();
  assert.ok(moving.animated + moving.transitions > 0, 'some motion by default');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  assert.deepEqual(await motion(), { animated: 0, transitions: 0, smooth: 0 });
});
