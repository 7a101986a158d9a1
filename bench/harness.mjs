// What the browser benchmarks share: a static server for built sites that sends the
// precompressed sibling a host configured for it would send (the project's one server,
// `xtask static`, started through tests/browser/static-server.mjs), Debian's Chromium started in
// a fresh profile, the in-page watch for the first result, and the statistics.
//
// playwright-core comes from tests/browser/node_modules (`cargo xtask setup` installs it from
// that folder's lockfile); it drives /usr/bin/chromium and never downloads a browser.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPOSITORY = path.resolve(here, '..');

const { startStatic } = await import(path.join(REPOSITORY, 'tests/browser/static-server.mjs'));

const { chromium } = await import(
  path.join(REPOSITORY, 'tests/browser/node_modules/playwright-core/index.mjs')
).catch(() => {
  throw new Error('playwright-core is missing: run `cargo xtask setup` (or `npm ci` in tests/browser)');
});

export const CHROMIUM = process.env.LECTEUR_CHROMIUM || '/usr/bin/chromium';
/** Headless as root, and nothing that reaches the internet on its own. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const TIMEOUT_MS = 300_000;

/**
 * Serves `root` on 127.0.0.1: each file from its `.br` (or `.gz`) sibling with
 * `Content-Encoding` when `encoding` is `br` (or `gzip`), the browser accepts it and the
 * sibling exists; the file as is otherwise (and with `identity`). Files are cacheable for an
 * hour, as a host serves long-lived assets, so that a warm page is not slowed by revalidations;
 * a fresh profile starts empty.
 *
 * Every response is logged in `log`: its path, the bytes it put on the wire (status line,
 * headers and body), the size of the file it carried before compression, and when it was sent
 * (milliseconds since the epoch, as the page's `performance.timeOrigin + performance.now()`).
 * The server sees what the page and its workers fetch alike. Entries come through a pipe,
 * within a millisecond of the response; the benchmarks read the log after asking the page when
 * its mark came (a round trip to Chromium), by which time the earlier ones are all in.
 * Returns `{ url, log, close() }`.
 */
export async function serve(root, { encoding = 'br' } = {}) {
  const log = [];
  const server = await startStatic(
    ['--root', path.resolve(root), '--encoding', encoding, '--max-age', '3600', '--log'],
    { onLine: (entry) => log.push(entry) },
  );
  return {
    url: `http://127.0.0.1:${server.port}/`,
    log,
    close() {
      server.stop();
    },
  };
}

/**
 * Starts Chromium in a new, empty profile (no HTTP cache, no compiled-code cache, no service
 * worker), with JavaScript unless `javaScriptEnabled` is false, and service workers unless
 * `serviceWorkers` is `'block'`. Returns
 * `{ context, page, profile, close() }`; `close` also deletes the profile (its folder).
 */
export async function freshBrowser({ javaScriptEnabled = true, serviceWorkers = 'allow' } = {}) {
  const profile = await mkdtemp(path.join(tmpdir(), 'lecteur-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    javaScriptEnabled,
    serviceWorkers,
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    profile,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The networks a page is measured over, applied by Chromium itself through its DevTools
 * protocol (`Network.emulateNetworkConditions`, which also holds back what workers fetch):
 * the loopback as it is, Chrome DevTools' "Slow 4G" and a fast line. Throughputs are in bytes
 * per second, latencies in milliseconds (added to each request's round trip).
 */
export const PROFILES = [
  { name: 'loopback', conditions: null },
  {
    name: 'Slow 4G',
    description: '150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up',
    conditions: { latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 },
  },
  {
    name: 'fast line',
    description: '20 ms RTT, 20 Mbit/s down, 10 Mbit/s up',
    conditions: { latency: 20, downloadThroughput: 20_000_000 / 8, uploadThroughput: 10_000_000 / 8 },
  },
];

/** Applies a profile of PROFILES to `page`, before it navigates. */
export async function throttle(page, profile) {
  if (!profile.conditions) return;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...profile.conditions });
}

/**
 * Starts Chromium once, for loads that each get a new, empty context (no HTTP cache, no
 * compiled code, no service worker, no cookie) in an already running browser, as a reader's
 * browser is when they follow a link. Returns `{ browser, load(options), close() }`, where
 * `load` opens a context and its page, with JavaScript unless `javaScriptEnabled` is false,
 * and returns `{ context, page, close() }`.
 */
export async function runningBrowser() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  return {
    browser,
    async load({ javaScriptEnabled = true } = {}) {
      const context = await browser.newContext({ javaScriptEnabled });
      context.setDefaultTimeout(TIMEOUT_MS);
      const page = await context.newPage();
      return { context, page, close: () => context.close() };
    },
    close: () => browser.close(),
  };
}

/**
 * Runs in the page before its own scripts: records in `window.__firstResult` the time
 * (performance.now(), whose origin is the navigation's start) at which the first
 * `[data-testid="result"]` enters the DOM.
 */
export function watchFirstResult() {
  const seen = () => {
    if (!window.__firstResult && document.querySelector('[data-testid="result"]')) {
      window.__firstResult = performance.now();
    }
  };
  new MutationObserver(seen).observe(document, { subtree: true, childList: true });
}

/**
 * Types `query` into the page's search box at once (an `input` event) and waits until the
 * results heading (`#titre-resultats`, Lecteur's and the peers' page alike) names it and the
 * page has recorded one more User Timing `measure` (each page times its search with its
 * snippets as `lecteur:recherche`). Returns `{ rendered, search }` in milliseconds: typed →
 * on screen, and the search's own measure.
 */
export function typeQuery(page, query, { measure = 'lecteur:recherche', timeout = 30_000 } = {}) {
  return page.evaluate(
    async ({ query, measure, timeout }) => {
      const input = document.querySelector('input[type="search"]');
      const heading = () => document.getElementById('titre-resultats')?.textContent ?? '';
      const searches = () => performance.getEntriesByName(measure).length;
      const before = searches();
      const done = () => heading().includes(`« ${query} »`) && searches() > before;
      const started = performance.now();
      input.value = query;
      input.dispatchEvent(new InputEvent('input', { bubbles: true }));
      await new Promise((resolve, reject) => {
        if (done()) return resolve();
        const observer = new MutationObserver(() => {
          if (!done()) return;
          observer.disconnect();
          clearTimeout(timer);
          resolve();
        });
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`no results for « ${query} » after ${timeout} ms`));
        }, timeout);
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      const rendered = performance.now() - started;
      const entries = performance.getEntriesByName(measure);
      return { rendered, search: entries[entries.length - 1].duration };
    },
    { query, measure, timeout },
  );
}

/** What a served file is, for the size breakdowns: by its name, as each system names its files. */
export function fileKind(file) {
  if (/\.wasm$|(^|\/)wasm\.[a-z-]+\.pagefind$/.test(file)) return 'wasm';
  if (/\.m?js$/.test(file)) return 'js';
  if (/\.bin$|\.json$|\.pf_(meta|index|fragment)$/.test(file)) return 'index';
  return 'page';
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** The nearest-rank percentile `p` (0–100). */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((sorted.length * p) / 100) - 1)];
}
