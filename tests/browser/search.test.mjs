// The search features as a reader meets them in the page (issue 3): a result or one of its
// other passages opens the article scrolled to that passage, "Pourquoi ce résultat ?" says how
// each word matched, the word being typed already finds, a near miss finds, a query that finds
// nothing suggests a spelling, and a partial match is labelled.

import assert from 'node:assert/strict';
import {
  ARTICLE,
  LECTEUR_URL,
  RESULT,
  RESULTS,
  SEARCH,
  browserTest,
  fold,
  markTexts,
  open,
  waitForProgram,
} from './browser.mjs';

const HITS = `${RESULTS} ${RESULT}`;

/** The 1-based block a link targets (`…&p=N`). */
function passageOf(href) {
  const block = Number(new URL(href, LECTEUR_URL).searchParams.get('p'));
  assert.ok(block >= 1, `the link names its passage: ${href}`);
  return block;
}

/** Clicks `link`, then checks the article shows its passage in the viewport, with a mark. */
async function opensScrolledToPassage(page, link, word) {
  const block = passageOf(await link.getAttribute('href'));
  await link.click();
  await page.locator(ARTICLE).waitFor();
  await page.waitForFunction((id) => {
    const box = document.getElementById(id)?.getBoundingClientRect();
    return box && box.top >= 0 && box.bottom <= window.innerHeight;
  }, `bloc-${block}`);
  const marks = await markTexts(page.locator(`${ARTICLE} #bloc-${block}`));
  assert.ok(marks.some((mark) => mark.includes(word)), `block ${block} marks ${word}: ${marks}`);
}

browserTest('a result opens its article scrolled to the passage that matched', async ({ page }) => {
  // Kebrum appears once, near the end of the Numerama article.
  await open(page, '?q=Kebrum');
  const link = page.locator(`${HITS} a.result-link`).first();
  await link.waitFor();
  assert.ok(passageOf(await link.getAttribute('href')) > 5, 'a passage far down the article');
  await opensScrolledToPassage(page, link, 'kebrum');
});

browserTest('another passage of a hit opens scrolled to that passage', async ({ page }) => {
  await open(page, '?q=telechargement');
  const other = page.locator(`${HITS} a.passage-link`).first();
  await other.waitFor();
  await opensScrolledToPassage(page, other, 'telecharg');
});

browserTest('"Pourquoi ce résultat ?" says how each word matched', async ({ page }) => {
  await open(page, '?q=telechargement');
  const why = page.locator(`${HITS} [data-testid="why"]`).first();
  await why.locator('summary').click();
  const text = fold(await why.innerText());
  assert.match(text, /« telechargement » → « telechargement » : sans accents/);
  assert.match(text, /meme racine/);
});

browserTest('the word being typed already finds, and a near miss finds', async ({ page }) => {
  await open(page);
  await waitForProgram(page);
  await page.locator(SEARCH).click();
  await page.locator(SEARCH).pressSequentially('télécha');
  await page.locator(HITS).first().waitFor();
  assert.ok((await markTexts(page.locator(HITS).first())).some((m) => m.startsWith('telecha')));

  await page.locator(SEARCH).fill('Hadopy');
  await page.waitForFunction((s) => document.querySelectorAll(s).length === 3, HITS);
  assert.ok((await markTexts(page.locator(HITS).first())).includes('hadopi'));
});

browserTest('a query that finds nothing suggests a spelling that does', async ({ page }) => {
  await open(page, '?q=Hadpoy');
  const suggestion = page.locator('[data-testid="suggestion"] a');
  await suggestion.waitFor();
  assert.equal(await page.locator(HITS).count(), 0);
  assert.equal(fold(await suggestion.innerText()), 'hadopi');
  await suggestion.click();
  await page.waitForFunction((s) => document.querySelectorAll(s).length === 3, HITS);
});

browserTest('when no article has every word, the hits are labelled partial', async ({ page }) => {
  await open(page, '?q=hadopi%20ornithorynque');
  await page.locator('[data-testid="partial"]').waitFor();
  assert.ok((await page.locator(HITS).count()) > 0);
});
