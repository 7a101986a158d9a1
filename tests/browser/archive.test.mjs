// An archive longer than a page (issue 13, part 2): the list and the results show a page at a
// time and grow on demand with the keyboard's focus following, the return from an article
// lands on the result it came from, and the results narrow to a source and a year and sort by
// date, all in the address; its index holds no article text, and a search fetches the texts of
// the hits it shows. Against the archive site `cargo xtask test` builds (45 articles,
// three sources × three years, each mentioning the Hadopi), served by site-server.mjs.

import assert from 'node:assert/strict';
import {
  ARTICLE,
  ARTICLE_CARD,
  ERROR,
  RESULT,
  RESULTS,
  SEARCH,
  browserTest,
  waitForEngine,
  waitForProgram,
} from './browser.mjs';
import { builtSite, serveSite } from './site-server.mjs';

const archive = await serveSite(builtSite('LECTEUR_ARCHIVE_SITE_DIR'));
const ARTICLES = 45;
const CARDS_PAGE = 30;
const RESULTS_PAGE = 10;
const COUNT = '[data-testid="result-count"]';
const MORE = '[data-testid="more"]';
const RESULT_LINKS = `${RESULTS} ${RESULT} a.result-link`;
const options = { origins: [archive.origin] };

/** The archive's address `relative` to its root. */
const at = (relative = '') => new URL(relative, archive.url).href;

/** The text of the focused element's closest result or card, by its `data-slug`. */
const focusedSlug = (page) =>
  page.evaluate(() => document.activeElement?.closest('[data-slug]')?.dataset.slug ?? null);

/** Waits until `selector` matches exactly `count` elements. */
const showing = (page, selector, count) =>
  page.waitForFunction(
    ([selector, count]) => document.querySelectorAll(selector).length === count,
    [selector, count],
  );

/** Whether the engine's worker has the archive's titles (www/engine-worker.js, `engine`). */
const titlesAtHand = async (page) => {
  for (const worker of page.workers()) {
    if (await worker.evaluate('typeof engine === "object" && engine !== null && engine.titlesAtHand')) return true;
  }
  return false;
};

/** Waits until the focus is in the result or card of `slug`. */
const focusReaches = (page, slug) =>
  page.waitForFunction((slug) => document.activeElement?.closest('[data-slug]')?.dataset.slug === slug, slug);

browserTest(
  'the list of an archive comes as its first page, then grows with the focus on the first new article, excerpts fetched apart',
  async ({ page, context }) => {
    // The page as the server sends it: one page of cards, and the count of all.
    const html = await (await page.request.get(at())).text();
    assert.equal(html.match(/data-testid="article-card"/g)?.length, CARDS_PAGE);
    assert.match(html, new RegExp(`${ARTICLES} articles`));
    // The index lists every article, but not their excerpts (those come by files of a
    // hundred) nor their titles (a file of their own, which a cold link does not wait for).
    const index = await (await page.request.get(at('index.bin'))).body();
    assert.ok(index.includes('chronique-45'), 'the articles are in the index');
    assert.ok(!index.includes(`Chronique numéro ${ARTICLES} de la Hadopi`), 'their titles are not');
    assert.ok(!index.includes('son courriel numéro'), 'nor their excerpts');
    const titles = await (await page.request.get(at('titres.json'))).text();
    assert.ok(titles.includes(`Chronique numéro ${ARTICLES} de la Hadopi`), 'the titles are beside it');
    const excerptFiles = [];
    context.on('request', (request) => {
      const file = request.url().match(/\/(l\/\d+\.json)$/);
      if (file && !request.serviceWorker()) excerptFiles.push(file[1]);
    });
    // Without JavaScript, the list reads and offers no button that could do nothing.
    const noScript = await page.context().browser().newContext({ javaScriptEnabled: false });
    const still = await noScript.newPage();
    await still.goto(at());
    assert.equal(await still.locator(ARTICLE_CARD).count(), CARDS_PAGE);
    assert.equal(await still.locator(MORE).isVisible(), false, 'no dead button');
    await noScript.close();
    await page.goto(at());
    await waitForProgram(page);
    await waitForEngine(page);
    assert.equal(await page.locator(ARTICLE_CARD).count(), CARDS_PAGE);
    assert.ok(await page.locator(MORE).isVisible(), 'the button, once the program runs');
    await page.locator(MORE).focus();
    await page.keyboard.press('Enter');
    await showing(page, ARTICLE_CARD, ARTICLES);
    const slugs = await page.locator(ARTICLE_CARD).evaluateAll((cards) => cards.map((card) => card.dataset.slug));
    assert.equal(new Set(slugs).size, ARTICLES, 'each article once');
    assert.equal(await focusedSlug(page), slugs[CARDS_PAGE], 'the focus is on the first new article');
    assert.equal(await page.locator(MORE).count(), 0, 'nothing more to show');
    // Each new card with its excerpt, from the one file of excerpts the list needed.
    const excerpts = await page.locator(`${ARTICLE_CARD} .excerpt`).allTextContents();
    assert.equal(excerpts.length, ARTICLES, 'every card with its excerpt');
    const last = await page.locator(ARTICLE_CARD).last().getAttribute('data-slug');
    assert.equal(last, `chronique-${ARTICLES}`);
    assert.match(excerpts.at(-1), new RegExp(`son courriel numéro ${ARTICLES} aux abonnés`));
    assert.deepEqual(excerptFiles, ['l/0.json']);
  },
  options,
);

browserTest(
  'an archive’s index holds no text: a search fetches the texts of the hits it shows, and their passages show',
  async ({ page, context }) => {
    const index = await (await page.request.get(at('index.bin'))).body();
    assert.ok(!index.includes('ne figure que dans son texte'), 'the texts are not in the index');
    // The texts the engine's worker asks for (the service worker's own fetches left out).
    const texts = [];
    context.on('request', (request) => {
      const text = request.url().match(/\/a\/([^/]+)\/texte\.json$/);
      if (text && !request.serviceWorker()) texts.push(text[1]);
    });
    await page.goto(at('?q=courriel'));
    await showing(page, RESULT_LINKS, RESULTS_PAGE);
    const shownSlugs = () =>
      page.locator(`${RESULTS} ${RESULT}`).evaluateAll((hits) => hits.map((hit) => hit.dataset.slug));
    assert.deepEqual([...texts].sort(), (await shownSlugs()).sort(), 'the texts of the hits shown, once each');
    const snippets = page.locator(`${RESULTS} ${RESULT} .snippet`);
    assert.equal(await snippets.count(), RESULTS_PAGE, 'each hit with its passage');
    assert.match(await snippets.first().innerText(), /courriel numéro \d+ aux abonnés/);
    assert.equal(await page.locator(`${RESULTS} ${RESULT} .snippet mark`).first().innerText(), 'courriel');
    // The next ten hits: ten more texts, none twice. (By the keyboard: a click scrolls the
    // button into view first, and a scroll near it brings the next ten by itself.)
    await page.locator(MORE).focus();
    await page.keyboard.press('Enter');
    await showing(page, RESULT_LINKS, 2 * RESULTS_PAGE);
    await page.waitForFunction(
      ([selector, count]) => document.querySelectorAll(selector).length === count,
      [`${RESULTS} ${RESULT} .snippet`, 2 * RESULTS_PAGE],
    );
    assert.deepEqual([...texts].sort(), (await shownSlugs()).sort());
    // An article opened from the results reads whole, its text already at hand.
    await page.locator(RESULT_LINKS).nth(3).click();
    await page.locator(`${ARTICLE} p`).filter({ hasText: 'ne figure que dans son texte' }).waitFor();
    assert.equal(texts.length, 2 * RESULTS_PAGE, 'no text fetched twice');
  },
  options,
);

browserTest(
  'an archive’s hits show as soon as they are ranked where results are on screen, their passages filling in as their texts come; a link’s first results wait for theirs',
  async ({ page, context }) => {
    // The texts held back until released, counted as the worker (or its service worker) asks.
    let release;
    let held;
    const hold = () => {
      held = new Promise((resolve) => {
        release = resolve;
      });
    };
    const asked = [];
    await context.route(/\/a\/[^/]+\/texte\.json$/, async (route) => {
      asked.push(route.request().url());
      await held;
      await route.continue();
    });
    const textsAsked = async (count) => {
      for (let waited = 0; new Set(asked).size < count; waited += 20) {
        assert.ok(waited < 30_000, `${new Set(asked).size} texts asked, not ${count}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const snippets = `${RESULTS} ${RESULT} .snippet`;
    const titlesAsked = [];
    context.on('request', (request) => {
      if (/\/titres\.json$/.test(request.url())) titlesAsked.push(request.url());
    });
    hold();
    await page.goto(at('?q=courriel'));
    await textsAsked(RESULTS_PAGE);
    // The hits are ranked (the worker posts them before fetching their texts): a page just
    // opened still shows none until their passages can show too.
    await page.waitForTimeout(300);
    assert.equal(await page.locator(`${RESULTS} ${RESULT}`).count(), 0, 'nothing moves on a page just opened');
    assert.deepEqual(titlesAsked, [], 'a link’s first answer waits for no titles: its texts carry theirs');
    release();
    await showing(page, snippets, RESULTS_PAGE);
    // Once the first answer is in, the worker fetches the titles (titres.json), which hits
    // shown before their texts need.
    for (let waited = 0; !(await titlesAtHand(page)); waited += 20) {
      assert.ok(waited < 30_000, 'the titles never came');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Ten more hits over those on screen: they show at once, without passages and without
    // saying their texts are missing, then their passages fill in.
    hold();
    await page.locator(MORE).focus();
    await page.keyboard.press('Enter');
    await textsAsked(2 * RESULTS_PAGE);
    await showing(page, RESULT_LINKS, 2 * RESULTS_PAGE);
    assert.equal(await page.locator(snippets).count(), RESULTS_PAGE, 'the new hits wait for their passages');
    assert.equal(await page.locator('[data-testid="no-passage"]').count(), 0, 'and do not say their texts are missing');
    // The page is still coming: the button waits (a scroll near it asks for nothing more), and
    // the focus is already on the first new result.
    assert.ok(await page.locator(MORE).isDisabled(), 'the button waits for the passages');
    const slugs = await page.locator(`${RESULTS} ${RESULT}`).evaluateAll((hits) => hits.map((hit) => hit.dataset.slug));
    await focusReaches(page, slugs[RESULTS_PAGE]);
    release();
    await showing(page, snippets, 2 * RESULTS_PAGE);
    assert.ok(await page.locator(MORE).isEnabled(), 'then the next page may be asked for');
    assert.equal(await focusedSlug(page), slugs[RESULTS_PAGE], 'the focus stays');
    assert.equal(await page.locator(ERROR).count(), 0);
  },
  options,
);

browserTest(
  'an archive’s index is read by parts: a search fetches those it needs, not all, and a word typed next none twice',
  async ({ page, context }) => {
    const list = await (await page.request.get(at('sw.js'))).text();
    const parts = new Set(list.match(/"i\/\d+\.bin"/g));
    assert.ok(parts.size > 3, `the index in ${parts.size} parts`);
    // The parts the engine's worker asks for (the service worker's own fetches left out).
    const fetched = [];
    const excerpts = [];
    context.on('request', (request) => {
      const part = request.url().match(/\/(i\/\d+\.bin)$/);
      if (part && !request.serviceWorker()) fetched.push(part[1]);
      if (/\/l\/\d+\.json$/.test(request.url())) excerpts.push(request.url());
    });
    await page.goto(at('?q=courriel'));
    await showing(page, RESULT_LINKS, RESULTS_PAGE);
    assert.equal(await page.locator(COUNT).textContent(), `${ARTICLES} articles trouvés.`);
    const first = fetched.length;
    assert.ok(first > 0 && first < parts.size, `one word read ${first} of ${parts.size} parts`);
    // A word typed letter by letter: its prefixes walk the dictionary, the rest is at hand.
    await page.locator(SEARCH).fill('');
    await page.locator(SEARCH).pressSequentially('chroniq');
    await page.locator(COUNT).filter({ hasText: `${ARTICLES} articles trouvés.` }).waitFor();
    await page.locator(`${RESULTS} ${RESULT} .snippet mark`).filter({ hasText: 'Chronique' }).first().waitFor();
    assert.equal(new Set(fetched).size, fetched.length, `no part fetched twice: ${fetched}`);
    assert.deepEqual(excerpts, [], 'results need no excerpt of the list');
  },
  options,
);

browserTest(
  'a search whose parts of the index cannot be fetched says so, and what to do',
  async ({ page, context }) => {
    await context.route(/\/i\/\d+\.bin$/, (route) => route.abort('internetdisconnected'));
    await page.goto(at('?q=courriel'));
    await page.locator(ERROR).filter({ hasText: 'Recherche impossible' }).waitFor();
    const message = await page.locator(ERROR).innerText();
    assert.match(message, /L’index n’a pas encore reçu \d+ de ses parties/);
    assert.match(message, /Télécharger l’archive pour la lecture hors ligne/);
    assert.equal(await page.locator(`${RESULTS} ${RESULT}`).count(), 0, 'no result without its index');
  },
  { ...options, expectedConsoleError: /ERR_INTERNET_DISCONNECTED|Failed to load resource/ },
);

browserTest(
  'the API’s example page searches an archive, fetching the parts its engine names',
  async ({ page }) => {
    await page.goto(at('api/'));
    await page.locator('#etat').filter({ hasText: 'Prêt.' }).waitFor();
    await page.locator('#q').fill('courriel');
    await page.locator('#etat').filter({ hasText: `${ARTICLES} article(s)` }).waitFor();
    assert.equal(await page.locator('#resultats li').count(), RESULTS_PAGE);
  },
  options,
);

browserTest(
  'results come ten at a time, "Plus de résultats" adds ten, and Back from an article returns to its result',
  async ({ page }) => {
    await page.goto(at('?q=hadopi'));
    await page.locator(RESULT_LINKS).first().waitFor();
    assert.equal(await page.locator(RESULT_LINKS).count(), RESULTS_PAGE);
    assert.equal(await page.locator(COUNT).textContent(), `${ARTICLES} articles trouvés.`);
    await page.locator(MORE).focus();
    await page.keyboard.press('Enter');
    await showing(page, RESULT_LINKS, 2 * RESULTS_PAGE);
    const slugs = await page.locator(`${RESULTS} ${RESULT}`).evaluateAll((hits) => hits.map((hit) => hit.dataset.slug));
    assert.equal(new Set(slugs).size, 2 * RESULTS_PAGE, 'no result twice');
    assert.equal(await focusedSlug(page), slugs[RESULTS_PAGE], 'the focus is on the first new result');
    // The reader goes on down the list with the arrow keys, opens a result, and comes back.
    for (let k = 0; k < 4; k += 1) await page.keyboard.press('ArrowDown');
    assert.equal(await focusedSlug(page), slugs[RESULTS_PAGE + 4]);
    await page.keyboard.press('Enter');
    await page.locator(ARTICLE).waitFor();
    await page.goBack();
    await showing(page, RESULT_LINKS, 2 * RESULTS_PAGE);
    await focusReaches(page, slugs[RESULTS_PAGE + 4]);
  },
  options,
);

browserTest(
  'an archive’s engine opens without the list of the articles; going on to an article or to more of the list asks for it, in the same page',
  async ({ page }) => {
    // What the worker answers the opening, and whether the page asks for the list after it.
    await page.addInitScript(() => {
      window.__opening = null;
      window.__listAsked = 0;
      const Native = window.Worker;
      window.Worker = class extends Native {
        constructor(...args) {
          super(...args);
          this.addEventListener('message', ({ data }) => {
            const opened = data.answer?.opened;
            if (data.id === 0 && opened) window.__opening = { cards: opened.cards.length, without: !!opened.without_cards };
          });
        }
        postMessage(message, ...rest) {
          if (message?.request === 'list') window.__listAsked += 1;
          return super.postMessage(message, ...rest);
        }
      };
    });
    await page.goto(at('?q=hadopi'));
    await page.locator(RESULT_LINKS).first().waitFor();
    assert.deepEqual(await page.evaluate(() => window.__opening), { cards: 0, without: true });
    assert.equal(await page.evaluate(() => window.__listAsked), 0, 'results need no list');
    // The last result of the page: an article the home page's first cards may not hold.
    await page.evaluate(() => (window.__samePage = true));
    const slug = await page.locator(`${RESULTS} ${RESULT}`).last().getAttribute('data-slug');
    await page.locator(RESULT_LINKS).last().click();
    await page.locator(ARTICLE).waitFor();
    assert.match(page.url(), new RegExp(`/a/${slug}/`));
    assert.equal(await page.evaluate(() => window.__samePage), true, 'followed in the page, not loaded');
    assert.equal(await page.evaluate(() => window.__listAsked), 1);
    assert.ok((await page.locator('nav.others a').count()) > 0, 'the article links to its neighbours');
    // The list: its first page as the home page's HTML brought it, the rest once asked for.
    await page.goto(at('?q=hadopi'));
    await page.locator(RESULT_LINKS).first().waitFor();
    await page.locator(SEARCH).fill('');
    await showing(page, ARTICLE_CARD, CARDS_PAGE);
    assert.equal(await page.evaluate(() => window.__listAsked), 0, 'the first page needs no list');
    await page.locator(MORE).focus();
    await page.keyboard.press('Enter');
    await showing(page, ARTICLE_CARD, ARTICLES);
    assert.equal(await page.evaluate(() => window.__listAsked), 1);
  },
  options,
);

browserTest(
  'scrolling near the end of the results brings the next ten, without moving the focus',
  async ({ page }) => {
    await page.goto(at('?q=hadopi'));
    await page.locator(RESULT_LINKS).first().waitFor();
    assert.equal(await page.locator(RESULT_LINKS).count(), RESULTS_PAGE);
    // Nothing more comes before the reader scrolls.
    await page.waitForTimeout(300);
    assert.equal(await page.locator(RESULT_LINKS).count(), RESULTS_PAGE);
    for (const n of [2 * RESULTS_PAGE, 3 * RESULTS_PAGE]) {
      await page.mouse.wheel(0, 10_000);
      await showing(page, RESULT_LINKS, n);
      assert.equal(await focusedSlug(page), null, 'the focus stays where it was');
    }
    // One page per approach of the end, however many scroll events it takes.
    await page.waitForTimeout(300);
    assert.equal(await page.locator(RESULT_LINKS).count(), 3 * RESULTS_PAGE);
    assert.equal(await page.locator(COUNT).textContent(), `${ARTICLES} articles trouvés.`);
  },
  options,
);

browserTest(
  'results narrow to a source and a year, with counts, sort by date, and say so in the address',
  async ({ page }) => {
    await page.goto(at('?q=hadopi'));
    const sources = page.locator('[data-testid="sources"] a');
    await sources.first().waitFor();
    assert.deepEqual(await sources.allTextContents(), [
      'toutes',
      'Le Monde (15)',
      'Libération (15)',
      'Numerama (15)',
    ]);
    await page.getByRole('link', { name: 'Le Monde (15)' }).click();
    await page.waitForURL(at('?q=hadopi&source=Le%20Monde'));
    await page.locator(COUNT).filter({ hasText: '15 articles trouvés.' }).waitFor();
    const bylines = await page.locator(`${RESULTS} ${RESULT} .source`).allTextContents();
    assert.ok(bylines.length > 0 && bylines.every((source) => source === 'Le Monde'), bylines.join());
    // The years are counted within Le Monde, the sources as if each were chosen.
    assert.deepEqual(await page.locator('[data-testid="years"] a').allTextContents(), [
      'toutes',
      '2014 (5)',
      '2013 (5)',
      '2012 (5)',
    ]);
    await page.getByRole('link', { name: '2014 (5)' }).click();
    await page.waitForURL(at('?q=hadopi&source=Le%20Monde&annee=2014'));
    await page.locator(COUNT).filter({ hasText: /(^|\D)5 articles trouvés\./ }).waitFor();
    assert.equal(await page.locator('[data-testid="sources"] a[aria-current]').textContent(), 'Le Monde (5)');
    await page.getByRole('link', { name: 'date' }).click();
    await page.waitForURL(at('?q=hadopi&source=Le%20Monde&annee=2014&tri=date'));
    // A link to that address, opened afresh, shows the same: newest first.
    await page.reload();
    await waitForProgram(page);
    await page.locator(`${RESULTS} ${RESULT}`).first().waitFor();
    await page.locator(COUNT).filter({ hasText: /(^|\D)5 articles trouvés\./ }).waitFor();
    const dates = await page.locator(`${RESULTS} ${RESULT} time`).evaluateAll((times) => times.map((time) => time.dateTime));
    assert.equal(dates.length, 5);
    assert.deepEqual(dates, [...dates].sort().reverse(), `newest first: ${dates}`);
    assert.equal(await page.locator('[data-testid="order"] a[aria-current]').textContent(), 'date');
    // A result opened from there, and its "← Résultats" link, keep the source, year and order.
    const second = await page.locator(`${RESULTS} ${RESULT}`).nth(1).getAttribute('data-slug');
    await page.locator(RESULT_LINKS).nth(1).click();
    await page.locator(ARTICLE).waitFor();
    assert.match(page.url(), /\?q=hadopi&source=Le%20Monde&annee=2014&tri=date(&p=\d+)?$/);
    const back = page.getByRole('link', { name: '← Résultats pour « hadopi »' });
    assert.equal(await back.getAttribute('href'), '../../?q=hadopi&source=Le%20Monde&annee=2014&tri=date');
    await back.click();
    await page.waitForURL(at('?q=hadopi&source=Le%20Monde&annee=2014&tri=date'));
    await page.locator(COUNT).filter({ hasText: /(^|\D)5 articles trouvés\./ }).waitFor();
    await focusReaches(page, second);
  },
  options,
);
