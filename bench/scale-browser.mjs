// In-browser figures of one built site, for `cargo xtask scale --browser-max N`:
//
//   node bench/scale-browser.mjs --site target/scale/1000/site [--cold 3] [--runs 10]
//
// Serves the site on 127.0.0.1 (the .br sibling with `Content-Encoding: br`, as a static host
// configured for precompressed files does), then in Debian's Chromium (bench/harness.mjs):
//
// - cold load, `--cold` times, each in a fresh temporary profile: from the navigation to
//   `./?q=hadopi` to the first result in the DOM (performance.now() in the page, whose origin
//   is the navigation's start), with the index's transfer and decoded sizes;
// - warm query: in the last loaded page, `--runs` passes over a list of queries, each set into
//   the search box with an `input` event, timed in the page until the results heading names it.
//
// Prints one JSON object on stdout. The network is the loopback: transfer time over a real
// link is computed from the sizes (docs/scale.md), not emulated here.

import path from 'node:path';

import { freshBrowser, median, percentile, serve, TIMEOUT_MS, watchFirstResult } from './harness.mjs';

const QUERIES = ['piratage', 'netflix', 'hadopi', 'popcorn time', 'téléchargement', 'utilisateurs'];

function options(argv) {
  const found = { site: null, cold: 3, runs: 10 };
  for (let k = 0; k < argv.length; k += 2) {
    const [name, value] = [argv[k], argv[k + 1]];
    if (name === '--site') found.site = path.resolve(value);
    else if (name === '--cold') found.cold = Number(value);
    else if (name === '--runs') found.runs = Number(value);
    else throw new Error(`unknown option ${name}; usage: --site DIR [--cold N] [--runs N]`);
  }
  if (!found.site) throw new Error('usage: node bench/scale-browser.mjs --site DIR [--cold N] [--runs N]');
  return found;
}

async function coldLoad(url) {
  const browser = await freshBrowser();
  try {
    const { page } = browser;
    await page.addInitScript(watchFirstResult);
    await page.goto(`${url}?q=hadopi`, { timeout: TIMEOUT_MS });
    await page.waitForFunction(() => window.__firstResult, null, { timeout: TIMEOUT_MS });
    // The index is the engine's worker's request (the page's own, before the worker).
    const indexEntry = () =>
      performance
        .getEntriesByType('resource')
        .map(({ name, transferSize, encodedBodySize, decodedBodySize, startTime, responseEnd }) =>
          ({ name, transferSize, encodedBodySize, decodedBodySize, startTime, responseEnd }))
        .find((entry) => /index[^/]*\.bin/.test(entry.name));
    const inWorker = await Promise.all(page.workers().map((worker) => worker.evaluate(indexEntry)));
    const index = inWorker.find(Boolean) ?? (await page.evaluate(indexEntry));
    const figures = await page.evaluate((index) => {
      return {
        first_result_ms: window.__firstResult,
        index_transfer_bytes: index?.transferSize ?? null,
        index_encoded_bytes: index?.encodedBodySize ?? null,
        index_decoded_bytes: index?.decodedBodySize ?? null,
        index_fetch_ms: index ? index.responseEnd - index.startTime : null,
        js_heap_bytes: performance.memory?.usedJSHeapSize ?? null,
      };
    }, index ?? null);
    return { figures, browser };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

async function warmQueries(page, runs) {
  return page.evaluate(
    async ({ queries, runs }) => {
      const input = document.querySelector('input[type="search"]');
      const heading = () => document.getElementById('titre-resultats')?.textContent ?? '';
      const times = [];
      for (let run = 0; run < runs + 1; run += 1) {
        for (const query of queries) {
          const done = () => heading().includes(`« ${query} »`);
          const started = performance.now();
          input.value = query;
          input.dispatchEvent(new InputEvent('input', { bubbles: true }));
          await new Promise((resolve) => {
            if (done()) return resolve();
            const observer = new MutationObserver(() => {
              if (done()) {
                observer.disconnect();
                resolve();
              }
            });
            observer.observe(document.body, { subtree: true, childList: true, characterData: true });
          });
          // The first pass is the warm-up.
          if (run > 0) times.push(performance.now() - started);
        }
      }
      return times;
    },
    { queries: QUERIES, runs },
  );
}

const { site, cold, runs } = options(process.argv.slice(2));
const server = await serve(site, { encoding: 'br' });
try {
  const loads = [];
  let last = null;
  for (let k = 0; k < cold; k += 1) {
    await last?.browser.close();
    last = await coldLoad(server.url);
    loads.push(last.figures);
  }
  const times = await warmQueries(last.browser.page, runs);
  await last.browser.close();
  const firstResults = loads.map((load) => load.first_result_ms);
  console.log(
    JSON.stringify(
      {
        site,
        cold_runs: loads,
        load_median_ms: median(firstResults),
        queries: QUERIES,
        query_runs: times.length,
        query_median_ms: median(times),
        query_p95_ms: percentile(times, 95),
      },
      null,
      2,
    ),
  );
} finally {
  server.close();
}
