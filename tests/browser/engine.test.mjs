// The engine in its Web Worker: the page's main thread never runs the search, an answer to a
// query the reader already replaced never reaches the screen, and a worker that dies is
// started again once, then reported in French while the articles stay readable.

import assert from 'node:assert/strict';
import {
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

/** The engine's worker script, as its requests name it. */
const ENGINE_WORKER = '**/engine-worker*.js';

/**
 * Before the page runs: holds back the engine's reply to the first search for `query`, until
 * the test calls `window.releaseHeld()`; `window.held` says whether it came.
 */
function holdReplyTo(query) {
  const NativeWorker = window.Worker;
  const asked = new Set();
  window.held = false;
  window.Worker = class extends NativeWorker {
    postMessage(message, ...rest) {
      if (message?.request?.search?.query === query) asked.add(message.id);
      return super.postMessage(message, ...rest);
    }
    addEventListener(type, listener, options) {
      if (type !== 'message') return super.addEventListener(type, listener, options);
      return super.addEventListener(
        'message',
        (event) => {
          if (!asked.has(event.data?.id) || window.held) return listener(event);
          window.held = true;
          window.releaseHeld = () => listener(event);
        },
        options,
      );
    }
  };
}

browserTest('an answer to a query already replaced is dropped', async ({ page }) => {
  await page.addInitScript(holdReplyTo, 'hadopi');
  await open(page);
  await waitForEngine(page);
  const search = page.locator(SEARCH);
  await search.fill('hadopi');
  // The engine answered "hadopi"; the answer is held on its way to the page.
  await page.waitForFunction(() => window.held);
  await search.fill('popcorn');
  await page.locator('h1', { hasText: '« popcorn »' }).waitFor();
  await page.locator(`section.results:not([aria-busy]) ${RESULT}`).first().waitFor();
  const marks = async () => (await markTexts(page.locator(RESULTS))).map((mark) => mark.toLowerCase());
  assert.ok((await marks()).every((mark) => mark.startsWith('popcorn')), `${await marks()}`);
  // The old answer arrives late: the page keeps the results of what the reader typed.
  await page.evaluate(() => window.releaseHeld());
  await page.waitForTimeout(300);
  assert.ok((await marks()).every((mark) => mark.startsWith('popcorn')), `${await marks()}`);
  assert.ok((await marks()).length > 0);
});

browserTest(
  'a worker that dies once is started again, and the search works',
  async ({ page }) => {
    let starts = 0;
    await page.route(ENGINE_WORKER, async (route) => {
      starts += 1;
      if (starts === 1) {
        await route.fulfill({ contentType: 'text/javascript', body: "throw new Error('panne');" });
      } else {
        await route.continue();
      }
    });
    await open(page, '?q=hadopi');
    await page.locator(RESULT).first().waitFor();
    assert.equal(starts, 2, 'started twice');
    assert.equal(await page.locator(ERROR).count(), 0, 'nothing to report');
  },
  { noServiceWorker: true, expectedConsoleError: /panne/ },
);

browserTest(
  'a worker that dies twice is reported, in French, and the articles stay readable',
  async ({ page }) => {
    await page.route(ENGINE_WORKER, (route) =>
      route.fulfill({ contentType: 'text/javascript', body: "throw new Error('panne');" }),
    );
    await open(page);
    await waitForEngine(page);
    const error = page.locator(ERROR);
    await error.waitFor();
    assert.match(await error.innerText(), /La recherche est indisponible : le moteur de recherche s’est arrêté deux fois/);
    assert.equal(await page.locator(`${ARTICLE_LIST} ${ARTICLE_CARD}`).count(), 3, 'the list reads');
    await page.locator(SEARCH).fill('hadopi');
    await page.locator('[data-testid="result-count"]').filter({ hasText: /indisponible/ }).waitFor();
  },
  { noServiceWorker: true, expectedConsoleError: /panne/ },
);

browserTest('the page’s main thread never loads the engine', async ({ page }) => {
  const wasm = [];
  page.on('request', (request) => {
    if (/\.wasm$/.test(request.url())) wasm.push(new URL(request.url()).pathname);
  });
  await open(page, '?q=hadopi');
  await page.locator(RESULT).first().waitFor();
  // The page's own program is small: its wasm carries no search engine.
  const names = wasm.map((name) => name.split('/').pop().replace(/\.[0-9a-f]{12}\./, '.'));
  assert.ok(names.includes('lecteur_bg.wasm'), `${names}`);
  assert.ok(names.includes('engine_bg.wasm'), `${names}`);
  const workers = page.workers().map((worker) => new URL(worker.url()).pathname);
  assert.equal(workers.length, 1, `${workers}`);
  assert.match(workers[0], /engine-worker\.[0-9a-f]{12}\.js$/);
});
