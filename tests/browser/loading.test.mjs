// The first visit: the page's own HTML paints first; the program, its wasm and the index are
// requested only after that paint, each once; and the service worker, whose install
// downloads the whole site again, is registered only once the reader has the results the link
// asked for.

import assert from 'node:assert/strict';
import { ARTICLE, RESULT, RESULTS, browserTest, open, waitForEngine } from './browser.mjs';

/** Runs before the page's scripts: notes when the first result shows and when the worker is registered. */
function watchStart() {
  const container = navigator.serviceWorker;
  const register = container.register.bind(container);
  container.register = (...args) => {
    window.__registered ??= performance.now();
    return register(...args);
  };
  new MutationObserver(() => {
    if (!window.__firstResult && document.querySelector('[data-testid="result"]')) {
      window.__firstResult = performance.now();
    }
  }).observe(document, { subtree: true, childList: true });
}

browserTest('a first visit downloads each file once, and the offline copy only after the results', async ({
  page,
}) => {
  const requested = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  await page.addInitScript(watchStart);
  await open(page, '?q=hadopi');
  await page.locator(`${RESULTS} ${RESULT}`).first().waitFor();
  await page.waitForFunction(() => window.__registered !== undefined);

  const { firstResult, registered } = await page.evaluate(() => ({
    firstResult: window.__firstResult,
    registered: window.__registered,
  }));
  assert.ok(registered > firstResult, `worker registered at ${registered} ms, first result at ${firstResult} ms`);
  for (const pattern of [
    /\/lecteur_bg\.[0-9a-f]{12}\.wasm$/,
    /\/lecteur\.[0-9a-f]{12}\.js$/,
    /\/engine-worker\.[0-9a-f]{12}\.js$/,
    /\/engine_bg\.[0-9a-f]{12}\.wasm$/,
    /\/index\.bin$/,
  ]) {
    const times = requested.filter((path) => pattern.test(path)).length;
    assert.equal(times, 1, `${pattern} requested ${times} times by the page: ${requested.join(', ')}`);
  }
  // The worker carries the engine's glue: no round trip for it before the wasm and the index.
  const glue = requested.filter((path) => /\/engine\.[0-9a-f]{12}\.js$/.test(path));
  assert.deepEqual(glue, [], 'the engine glue is in the worker script');
});

browserTest('the engine never delays the first paint: it starts after it', async ({ page }) => {
  await page.addInitScript(() => {
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
      constructor(...args) {
        super(...args);
        window.__engineStarted ??= performance.now();
      }
    };
  });
  await open(page, 'a/popcorn-time-n-est-pas-legal/');
  await page.locator(ARTICLE).waitFor();
  await waitForEngine(page);
  const { paint, engineStarted, requests } = await page.evaluate(() => ({
    paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    engineStarted: window.__engineStarted,
    requests: performance
      .getEntriesByType('resource')
      .filter((entry) => /(\.wasm|\.js|index\.bin)$/.test(entry.name))
      .map((entry) => ({ name: entry.name, start: entry.startTime })),
  }));
  assert.ok(paint > 0, 'the page painted');
  // The page's program and its glue; the engine's files are its worker's requests.
  assert.equal(requests.length, 3, JSON.stringify(requests));
  for (const { name, start } of requests) {
    assert.ok(start >= paint, `${name} requested at ${start} ms, before the first paint at ${paint} ms`);
  }
  assert.ok(engineStarted >= paint, `engine started at ${engineStarted} ms, first paint at ${paint} ms`);
});
