// In-browser figures of one built site, for `cargo xtask scale --browser-max N`:
//
//   node bench/scale-browser.mjs --site target/scale/1000/site [--cold 3] [--runs 10]
//
// Serves the site on 127.0.0.1 (the .br sibling with `Content-Encoding: br`, as a static host
// configured for precompressed files does), then in Debian's Chromium driven by playwright-core
// (from tests/browser/node_modules: run `npm ci` there first; no browser is downloaded):
//
// - cold load, `--cold` times, each in a fresh temporary profile: from the navigation to
//   `#/?q=hadopi` to the first result in the DOM (performance.now() in the page, whose origin
//   is the navigation's start), with the index's transfer and decoded sizes;
// - warm query: in the last loaded page, `--runs` passes over a list of queries, each set into
//   the search box with an `input` event, timed in the page until the results heading names it.
//
// Prints one JSON object on stdout. The network is the loopback: transfer time over a real
// link is computed from the sizes (docs/scale.md), not emulated here.

import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { chromium } = await import(
  path.join(here, '../tests/browser/node_modules/playwright-core/index.mjs')
).catch(() => {
  throw new Error('playwright-core is missing: run `npm ci` in tests/browser');
});

const CHROMIUM = process.env.LECTEUR_CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const QUERIES = ['piratage', 'netflix', 'hadopi', 'popcorn time', 'téléchargement', 'utilisateurs'];
const TIMEOUT_MS = 300_000;

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

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

async function isFile(file) {
  return (await stat(file).catch(() => null))?.isFile() ?? false;
}

async function serve(root) {
  const server = http.createServer(async (request, response) => {
    let relative = decodeURIComponent(new URL(request.url, 'http://localhost').pathname).slice(1);
    if (relative === '') relative = 'index.html';
    const file = path.join(root, relative);
    if (!file.startsWith(root + path.sep) || !(await isFile(file))) {
      response.writeHead(404).end();
      return;
    }
    const headers = {
      'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
      'Cache-Control': 'no-cache',
    };
    let body = file;
    if (/\bbr\b/.test(request.headers['accept-encoding'] || '') && (await isFile(`${file}.br`))) {
      body = `${file}.br`;
      headers['Content-Encoding'] = 'br';
    }
    response.writeHead(200, headers);
    createReadStream(body).pipe(response);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, server };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((sorted.length * p) / 100) - 1)];
}

/** Records, from the page's first script on, when the first result enters the DOM. */
function watchFirstResult() {
  const seen = () => {
    if (!window.__firstResult && document.querySelector('[data-testid="result"]')) {
      window.__firstResult = performance.now();
    }
  };
  new MutationObserver(seen).observe(document, { subtree: true, childList: true });
}

async function coldLoad(url) {
  const profile = await mkdtemp(path.join(tmpdir(), 'lecteur-scale-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
  });
  try {
    context.setDefaultTimeout(TIMEOUT_MS);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.addInitScript(watchFirstResult);
    await page.goto(`${url}#/?q=hadopi`, { timeout: TIMEOUT_MS });
    await page.waitForFunction(() => window.__firstResult, null, { timeout: TIMEOUT_MS });
    const figures = await page.evaluate(() => {
      const index = performance
        .getEntriesByType('resource')
        .find((entry) => /index[^/]*\.bin/.test(entry.name));
      return {
        first_result_ms: window.__firstResult,
        index_transfer_bytes: index?.transferSize ?? null,
        index_encoded_bytes: index?.encodedBodySize ?? null,
        index_decoded_bytes: index?.decodedBodySize ?? null,
        index_fetch_ms: index ? index.responseEnd - index.startTime : null,
        js_heap_bytes: performance.memory?.usedJSHeapSize ?? null,
      };
    });
    return { figures, page, context, profile };
  } catch (error) {
    await context.close();
    await rm(profile, { recursive: true, force: true });
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
const { url, server } = await serve(site);
try {
  const loads = [];
  let last = null;
  for (let k = 0; k < cold; k += 1) {
    if (last) {
      await last.context.close();
      await rm(last.profile, { recursive: true, force: true });
    }
    last = await coldLoad(url);
    loads.push(last.figures);
  }
  const times = await warmQueries(last.page, runs);
  await last.context.close();
  await rm(last.profile, { recursive: true, force: true });
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
  server.closeAllConnections();
}
