// The reader in a real browser, against the page's test contract:
//
//   search box            input[type="search"]
//   results list          [data-testid="results"], each hit [data-testid="result"] with a link
//                         (a) to its article and <mark> around matched words
//   article view          [data-testid="article"], <mark> around the query's words
//   home                  [data-testid="article-list"] of [data-testid="article-card"]
//   errors                [data-testid="error"]
//   result count          a [role="status"] (live region)
//   addresses             ./  ·  ./?q=QUERY  ·  ./a/SLUG/  ·  ./a/SLUG/?q=QUERY (relative to
//                         the site's root; those of the first scheme, #/…, lead there)
//
// The index is built from index/articles (three articles, all mentioning Hadopi and Popcorn Time).

import assert from 'node:assert/strict';
import {
  ARTICLE,
  ARTICLE_CARD,
  ARTICLE_LIST,
  ERROR,
  RESULT,
  RESULTS,
  SEARCH,
  browserTest,
  PREPARING,
  PROGRAM,
  addressOf,
  fold,
  holdBack,
  markTexts,
  open,
  slugOf,
  waitForAddress,
  waitForProgram,
} from './browser.mjs';

/** How many articles the test index holds, and how many match each query below. */
const ARTICLES = 3;

/** Types `text` key by key into the search box, as a reader would, once the program runs. */
async function search(page, text) {
  await waitForProgram(page);
  const box = page.locator(SEARCH);
  await box.click();
  await box.pressSequentially(text);
}


/** Waits for `count` results and returns their locator. */
async function expectResults(page, count) {
  const results = page.locator(`${RESULTS} ${RESULT}`);
  await page.waitForFunction(
    ({ selector, count }) => document.querySelectorAll(selector).length === count,
    { selector: `${RESULTS} ${RESULT}`, count },
  );
  assert.equal(await results.count(), count);
  return results;
}

/** Asserts every result (or the one element) marks at least one word containing `word`. */
async function expectMarked(locator, word) {
  for (let i = 0; i < (await locator.count()); i++) {
    const marks = await markTexts(locator.nth(i));
    assert.ok(
      marks.some((mark) => mark.includes(word)),
      `item ${i + 1} should mark "${word}", has marks ${JSON.stringify(marks)}`,
    );
  }
}

/** Waits until the focus is on a link inside the `n`th result (1-based). */
async function waitForFocusOnResult(page, n) {
  await page.waitForFunction(
    ({ selector, n }) => {
      const focused = document.activeElement;
      const result = document.querySelectorAll(selector)[n - 1];
      return focused?.tagName === 'A' && result?.contains(focused);
    },
    { selector: `${RESULTS} ${RESULT}`, n },
  );
}

browserTest('the home page lists the articles, without errors', async ({ page }) => {
  await open(page);
  await page.locator(SEARCH).waitFor();
  await page.locator(ARTICLE_LIST).waitFor();
  await page.waitForFunction(
    ({ selector, count }) => document.querySelectorAll(selector).length === count,
    { selector: `${ARTICLE_LIST} ${ARTICLE_CARD}`, count: ARTICLES },
  );
  assert.equal(await page.locator(`${ARTICLE_LIST} ${ARTICLE_CARD}`).count(), ARTICLES);
  assert.equal(await page.locator(ERROR).count(), 0, 'no error shown');
});

browserTest('while the engine loads, the list reads and a search waits, saying so', async ({ page }) => {
  const release = await holdBack(page, '**/index.bin');
  await open(page);
  await page.locator(`${ARTICLE_LIST} ${ARTICLE_CARD}`).first().waitFor();
  assert.equal(await page.locator(ARTICLE_CARD).count(), ARTICLES, 'the list, before the index');
  await search(page, 'hadopi');
  const waiting = page.locator(PREPARING);
  await waiting.waitFor();
  assert.match(await waiting.innerText(), /Préparation de la recherche/);
  assert.equal(await waiting.getAttribute('role'), 'status', 'announced');
  await waitForAddress(page, '?q=hadopi');
  release();
  const results = await expectResults(page, 3);
  await expectMarked(results, 'hadopi');
});

browserTest('what is typed before the program runs is searched once it does', async ({ page }) => {
  const release = await holdBack(page, PROGRAM);
  await open(page);
  await page.locator(SEARCH).fill('popcorn');
  assert.equal(await page.locator('html[data-lecteur]').count(), 0, 'the program is held back');
  release();
  await waitForAddress(page, '?q=popcorn');
  const results = page.locator(`${RESULTS} ${RESULT}`);
  await results.first().waitFor();
  await expectMarked(results, 'popcorn');
  assert.equal(await page.locator(SEARCH).inputValue(), 'popcorn');
});

browserTest('the wasm is sent as application/wasm, so it compiles while downloading', async ({ page }) => {
  const wasm = page.waitForResponse((response) => response.url().endsWith('.wasm'));
  await open(page);
  const response = await wasm;
  assert.equal(response.status(), 200);
  assert.equal(response.headers()['content-type'], 'application/wasm');
  await page.locator(`${ARTICLE_LIST} ${ARTICLE_CARD}`).first().waitFor();
});

browserTest('typing a word lists the matching articles with the word marked', async ({ page }) => {
  await open(page);
  await search(page, 'hadopi');
  const results = await expectResults(page, 3);
  await expectMarked(results, 'hadopi');
  await waitForAddress(page, '?q=hadopi');
  // Each hit links to its article, keeping the query for marking there.
  for (let i = 0; i < (await results.count()); i++) {
    const href = await results.nth(i).locator('a').first().getAttribute('href');
    assert.match(href, /^a\/[^/?]+\/\?(.*&)?q=hadopi(&|$)/, `result ${i + 1} links to its article`);
  }
});

browserTest('a result opens its article with the query marked; Back returns', async ({ page }) => {
  await open(page);
  await search(page, 'hadopi');
  const results = await expectResults(page, 3);
  await waitForAddress(page, '?q=hadopi');

  await results.first().locator('a').first().click();
  const article = page.locator(ARTICLE);
  await article.waitFor();
  await expectMarked(article, 'hadopi');
  assert.match(addressOf(page), /^a\/[^/?]+\/\?/);
  assert.match(addressOf(page), /q=hadopi/);
  assert.equal(await page.locator(RESULTS).count(), 0, 'the results are gone');

  await page.goBack();
  await waitForAddress(page, '?q=hadopi');
  await expectResults(page, 3);
  assert.equal(await page.locator(SEARCH).inputValue(), 'hadopi');
  assert.equal(await page.locator(ARTICLE).count(), 0, 'the article is gone');
});

browserTest('a results link opens directly and survives a reload', async ({ page }) => {
  await open(page, '?q=popcorn');
  const results = page.locator(`${RESULTS} ${RESULT}`);
  await results.first().waitFor();
  assert.ok((await results.count()) > 0);
  await expectMarked(results, 'popcorn');
  assert.equal(await page.locator(SEARCH).inputValue(), 'popcorn');

  await page.reload();
  await results.first().waitFor();
  assert.ok((await results.count()) > 0);
  await expectMarked(results, 'popcorn');
  assert.equal(addressOf(page), '?q=popcorn');
});

browserTest(
  'an unknown article shows an error with a link home',
  async ({ page }) => {
    for (const address of ['a/no-such-article/', 'a/no-such-article/?q=hadopi', 'nulle/part']) {
      await open(page, address);
      const error = page.locator(ERROR);
      await error.waitFor();
      assert.match(await error.innerText(), /Page introuvable/, address);
      const home = page.locator(`${ERROR} a`);
      assert.equal(await home.count(), 1, 'a link back home');
      await home.click();
      await page.locator(`${ARTICLE_LIST} ${ARTICLE_CARD}`).first().waitFor();
      assert.equal(addressOf(page), '', `home from ${address}`);
    }
  },
  { expectedConsoleError: /404/ },
);

browserTest('an undecodable query shows an error', async ({ page }) => {
  await open(page, '?q=%E9%ZZ');
  const error = page.locator(ERROR);
  await error.waitFor();
  assert.notEqual((await error.innerText()).trim(), '', 'the error says something');
  assert.equal(await page.locator(`${RESULTS} ${RESULT}`).count(), 0, 'no results');
});

browserTest('the keyboard alone finds and opens an article', async ({ page }) => {
  await open(page);
  await page.locator(`${ARTICLE_LIST} ${ARTICLE_CARD}`).first().waitFor();
  await waitForProgram(page);

  await page.keyboard.press('/');
  await page.waitForFunction((selector) => document.activeElement?.matches(selector), SEARCH);
  await page.keyboard.type('hadopi');
  await expectResults(page, 3);
  assert.equal(await page.locator(SEARCH).inputValue(), 'hadopi', '"/" is not typed in the box');

  await page.keyboard.press('ArrowDown');
  await waitForFocusOnResult(page, 1);
  await page.keyboard.press('ArrowDown');
  await waitForFocusOnResult(page, 2);

  const second = await page.evaluate(() => document.activeElement.href);
  const slug = slugOf(second.split('?')[0]);
  await page.keyboard.press('Enter');
  await page.locator(ARTICLE).waitFor();
  assert.ok(addressOf(page).startsWith(`a/${slug}/`), `opened ${slug}, at ${addressOf(page)}`);
});

browserTest('a live region announces the number of results', async ({ page }) => {
  await open(page);
  await search(page, 'hadopi');
  await expectResults(page, 3);
  const status = page.locator('[role="status"]').filter({ hasText: '3' });
  await status.first().waitFor();
  const live = await status.first().getAttribute('aria-live');
  assert.ok(live === null || live === 'polite' || live === 'assertive', `aria-live=${live}`);
});

// Sanity check of the helper the tests above rely on.
assert.equal(fold('« HADOPI » Élysée'), '« hadopi » elysee');
