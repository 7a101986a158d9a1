// A missing or damaged index: the page says what went wrong, in French, instead of answering
// from a broken index; the articles it came with still read, and a search says why it cannot
// be made. Each test serves the page normally and tampers with the one response that carries
// the index.

import assert from 'node:assert/strict';
import {
  ARTICLE_CARD,
  ARTICLE_LIST,
  ERROR,
  RESULT,
  SEARCH,
  browserTest,
  open,
  waitForEngine,
} from './browser.mjs';

/** Answers the page's request for the index with `tamper(realBytes)` (or a fixed response). */
async function serveIndex(page, respond) {
  await page.route('**/index.bin', async (route) => {
    const real = await route.fetch();
    await route.fulfill(await respond(await real.body()));
  });
}

/** Opens the page and returns the text of the error it shows. */
async function errorShown(page) {
  await open(page);
  await waitForEngine(page);
  const error = page.locator(ERROR);
  await error.waitFor();
  assert.equal(await page.locator(`${ARTICLE_LIST} ${ARTICLE_CARD}`).count(), 3, 'the list reads');
  const text = await error.innerText();
  // A search says why there are no results, and gives none from a bad index.
  await page.locator(SEARCH).fill('hadopi');
  await page.locator('[data-testid="result-count"]').filter({ hasText: /indisponible/ }).waitFor();
  assert.equal(await page.locator(RESULT).count(), 0, 'no results from a bad index');
  return text;
}

browserTest(
  'an index the server does not have: the error names the answer',
  async ({ page }) => {
    await serveIndex(page, () => ({ status: 404, body: 'Not found' }));
    const text = await errorShown(page);
    assert.match(text, /404/);
    assert.match(text, /index\.bin/);
  },
  { expectedConsoleError: /404/ },
);

browserTest('a file that is not an index (an HTML page): the error says so', async ({ page }) => {
  await serveIndex(page, () => ({ status: 200, body: '<!doctype html><p>Oups</p>' }));
  assert.match(await errorShown(page), /n’est pas un index/);
});

browserTest('a truncated index: the error says it is cut short', async ({ page }) => {
  await serveIndex(page, (bytes) => ({ status: 200, body: bytes.subarray(0, bytes.length - 100) }));
  assert.match(await errorShown(page), /tronqué/);
});

browserTest('a corrupted byte in the index: the error says it is corrupt', async ({ page }) => {
  await serveIndex(page, (bytes) => {
    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 10] ^= 0xff;
    return { status: 200, body: damaged };
  });
  assert.match(await errorShown(page), /corrompu/);
});
