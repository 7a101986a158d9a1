// Sharing a passage (issue 4): selecting text in an article offers "Partager ce passage", which
// makes a link (shown in [data-testid="share-link"]); that link, opened in a fresh browser,
// shows the article scrolled to the passage, marked with [data-testid="shared-highlight"] (in
// each paragraph it spans). A link whose passage is gone, or that is malformed, still shows the
// article with a message ([data-testid="share-message"]). Every link also carries a text
// fragment (`#:~:text=`), with which the browser shows the passage before the program runs.

import assert from 'node:assert/strict';
import { ARTICLE, articleSlugs, browserTest, open, waitForProgram } from './browser.mjs';

const SHARE_BUTTON = '[data-testid="share-button"]';
const SHARE_LINK = '[data-testid="share-link"]';
const HIGHLIGHT = `${ARTICLE} [data-testid="shared-highlight"]`;
const MESSAGE = '[data-testid="share-message"]';

/** Whitespace collapsed: a selection across paragraphs reads "a.\n\nb", the marks "a." and "b". */
function squash(text) {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Selects, with a DOM Range, from `startOffset` of block `startBlock` to `endOffset` of block
 * `endBlock` (1-based blocks, offsets clamped to the text), as a reader's mouse would, and
 * returns the selected text.
 */
async function select(page, { startBlock, startOffset, endBlock, endOffset }) {
  return page.evaluate(
    ({ startBlock, startOffset, endBlock, endOffset }) => {
      const textNode = (block) => {
        const element = document.querySelector(`[data-testid="article"] #bloc-${block}`);
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        return walker.nextNode();
      };
      const start = textNode(startBlock);
      const end = textNode(endBlock);
      const range = document.createRange();
      range.setStart(start, Math.min(startOffset, start.length));
      range.setEnd(end, Math.min(endOffset, end.length));
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return selection.toString();
    },
    { startBlock, startOffset, endBlock, endOffset },
  );
}

/** Makes a share link for the selection, checks it is shown and copied, and returns it. */
async function share(page, selection) {
  const selected = await select(page, selection);
  assert.ok(squash(selected).length > 0, 'something is selected');
  await page.locator(SHARE_BUTTON).click();
  const link = page.locator(SHARE_LINK);
  await link.waitFor();
  const url = await link.innerText();
  assert.equal(await link.getAttribute('href'), url);
  assert.match(url, /\/a\/[^/?]+\/\?s=\d+\.\d+,[^#]*#:~:text=[^#&]+$/);
  return { selected, url };
}

/** Opens `url` in a new context (nothing cached, nothing shared) and returns its page. */
async function openFresh(context, url) {
  const fresh = await context.browser().newContext();
  const page = await fresh.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(url);
  await page.locator(ARTICLE).waitFor();
  return { page, fresh, errors };
}

/** Checks the fresh page marks exactly `selected`, with its first mark in the viewport. */
async function marksTheSelection(page, selected) {
  await page.locator(HIGHLIGHT).first().waitFor();
  const marked = await page.locator(HIGHLIGHT).allInnerTexts();
  assert.equal(squash(marked.join(' ')), squash(selected));
  await page.waitForFunction((selector) => {
    const box = document.querySelector(selector)?.getBoundingClientRect();
    return box && box.top >= 0 && box.top < window.innerHeight;
  }, HIGHLIGHT);
  assert.equal(await page.locator(MESSAGE).count(), 0, 'no message when the passage is found');
}

browserTest('a passage selected in each article is shared and lands in a fresh browser', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const articles = await articleSlugs(page);
  assert.equal(articles.length, 3);
  for (const [index, slug] of articles.entries()) {
    await open(page, `a/${encodeURIComponent(slug)}/`);
    await page.locator(`${ARTICLE} #bloc-4`).waitFor();
    await waitForProgram(page);
    // The first selection spans two paragraphs; the others lie inside one, further down.
    const selection =
      index === 0
        ? { startBlock: 2, startOffset: 12, endBlock: 3, endOffset: 25 }
        : { startBlock: 3 + index, startOffset: 5, endBlock: 3 + index, endOffset: 70 };
    const { selected, url } = await share(page, selection);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url, 'copied');
    const { page: other, fresh, errors } = await openFresh(context, url);
    try {
      await marksTheSelection(other, selected);
      if (index === 0) {
        assert.equal(await other.locator(HIGHLIGHT).count(), 2, 'marked in each paragraph');
      }
      assert.deepEqual(errors, []);
    } finally {
      await fresh.close();
    }
  }
});

browserTest('a link whose passage is gone opens the article and quotes the passage', async ({
  page,
}) => {
  const [slug] = await articleSlugs(page);
  const quote = 'Une phrase qui n’a jamais été écrite ici';
  await open(page, `a/${slug}/?s=3.0,,${encodeURIComponent(quote)},`);
  await page.locator(ARTICLE).waitFor();
  const message = await page.locator(MESSAGE).innerText();
  assert.match(message, /introuvable/);
  assert.ok(message.includes(`« ${quote} »`), message);
  assert.equal(await page.locator(HIGHLIGHT).count(), 0);
});

browserTest('a malformed or tampered link shows the article and says so', async ({ page }) => {
  const [slug] = await articleSlugs(page);
  for (const broken of ['s=garbage', 's=1.2,a,%FF,b', 's=x.1,,mot,']) {
    await open(page, `a/${slug}/?${broken}`);
    await page.locator(ARTICLE).waitFor();
    assert.match(await page.locator(MESSAGE).innerText(), /lien de partage est abîmé/, broken);
  }
  // Markup in a link is text, never parsed.
  const markup = '<img src=x onerror="window.pwned=1">';
  await open(page, `a/${slug}/?s=0.0,,${encodeURIComponent(markup)},`);
  const message = await page.locator(MESSAGE).innerText();
  assert.ok(message.includes(markup), message);
  assert.equal(await page.locator(`${ARTICLE} img`).count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
});

browserTest('coming from a search, n / N and the buttons step through the marks', async ({
  page,
}) => {
  const [slug] = await articleSlugs(page);
  await open(page, `a/${slug}/?q=hadopi`);
  const counter = page.locator('[data-testid="match-counter"]');
  await counter.waitFor();
  const total = Number((await counter.innerText()).match(/^1 \/ (\d+)$/)?.[1]);
  assert.ok(total >= 2, `several marks: ${await counter.innerText()}`);
  const current = `${ARTICLE} .body mark[data-current]`;
  /** The counter reads `expected`, and the current mark is that one, in the viewport. */
  async function at(expected) {
    await page.waitForFunction(
      ({ text, selector }) => document.querySelector(selector)?.textContent === text,
      { text: `${expected} / ${total}`, selector: '[data-testid="match-counter"]' },
    );
    const index = await page.evaluate(
      (selector) =>
        [...document.querySelectorAll('[data-testid="article"] .body mark:not(.shared)')].indexOf(
          document.querySelector(selector),
        ),
      current,
    );
    assert.equal(index, expected - 1);
    await page.waitForFunction((selector) => {
      const box = document.querySelector(selector)?.getBoundingClientRect();
      return box && box.top >= 0 && box.bottom <= window.innerHeight;
    }, current);
  }
  await page.keyboard.press('n');
  await at(2);
  await page.keyboard.press('Shift+N');
  await at(1);
  await page.keyboard.press('Shift+N');
  await at(total);
  await page.locator('[data-testid="next-match"]').click();
  await at(1);
});

/** A link to block `block` (1-based) quoting `exact`, with no context, as if made earlier. */
function linkQuoting(slug, block, exact) {
  return `a/${slug}/?s=${block - 1}.0,,${encodeURIComponent(exact)},`;
}

browserTest('a link made before an edit of the article still lands after it', async ({ page }) => {
  const [slug] = await articleSlugs(page);
  await open(page, `a/${slug}/`);
  const words = (await page.locator(`${ARTICLE} #bloc-3`).innerText()).trim().split(/\s+/);
  assert.ok(words.length >= 14, 'a long enough paragraph');
  const passage = words.slice(2, 14);
  // The link quotes a word the article no longer has (the word was changed since).
  const before = [...passage];
  before[5] = 'autrefois';
  await open(page, linkQuoting(slug, 3, before.join(' ')));
  await page.locator(HIGHLIGHT).first().waitFor();
  assert.equal(squash((await page.locator(HIGHLIGHT).allInnerTexts()).join(' ')), passage.join(' '));
  assert.match(await page.locator(MESSAGE).innerText(), /a changé depuis le partage/);

  // The link quotes across what was one paragraph and is now two.
  const end = (await page.locator(`${ARTICLE} #bloc-2`).innerText()).trim().split(/\s+/).slice(-4);
  const start = words.slice(0, 4);
  await open(page, linkQuoting(slug, 2, [...end, ...start].join(' ')));
  await page.waitForFunction((selector) => document.querySelectorAll(selector).length === 2, HIGHLIGHT);
  assert.deepEqual(
    (await page.locator(HIGHLIGHT).allInnerTexts()).map(squash),
    [end.join(' '), start.join(' ')],
  );
});
