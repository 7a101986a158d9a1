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

browserTest(
  'a worker that dies with a question pending is started again, and answers it',
  async ({ page }) => {
    let starts = 0;
    // The first worker opens the index, then stops on the first search it is asked, as a
    // trap of its engine would stop it.
    await page.route(ENGINE_WORKER, async (route) => {
      starts += 1;
      if (starts > 1) return route.continue();
      const real = await (await route.fetch()).text();
      const trap =
        'const answering = self.onmessage; self.onmessage = (event) => {' +
        " if (event.data?.request?.search) throw new Error('panne');" +
        ' answering(event); };';
      await route.fulfill({ contentType: 'text/javascript', body: `${real}\n${trap}` });
    });
    await open(page);
    await waitForEngine(page);
    await page.locator(SEARCH).fill('hadopi');
    await page.locator(RESULT).first().waitFor();
    assert.equal(starts, 2, 'started again once');
    assert.ok((await markTexts(page.locator(RESULTS))).some((mark) => /hadopi/i.test(mark)));
    assert.equal(await page.locator(ERROR).count(), 0, 'nothing to report');
  },
  { noServiceWorker: true, expectedConsoleError: /panne/ },
);

browserTest('the page’s main thread never loads the engine', async ({ page }) => {
  await open(page, '?q=hadopi');
  await page.locator(RESULT).first().waitFor();
  const wasmOf = (entries) =>
    entries
      .map((entry) => entry.split('/').pop().replace(/\.[0-9a-f]{12}\./, '.'))
      .filter((name) => name.endsWith('.wasm'));
  const fetched = () => performance.getEntriesByType('resource').map((entry) => entry.name);
  // The page fetched its own program only; the engine's is its worker's.
  assert.deepEqual(wasmOf(await page.evaluate(fetched)), ['lecteur_bg.wasm']);
  const workers = page.workers();
  assert.equal(workers.length, 1, `${workers.map((worker) => worker.url())}`);
  assert.match(new URL(workers[0].url()).pathname, /engine-worker\.[0-9a-f]{12}\.js$/);
  assert.deepEqual(wasmOf(await workers[0].evaluate(fetched)), ['engine_bg.wasm']);
});
