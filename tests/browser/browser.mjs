// Shared set-up of the browser tests: Debian's Chromium driven by playwright-core, one fresh
// context per test, and checks every test gets for free (no console error, no page error, no
// request leaving the site's origin).
//
// Run by `cargo xtask test`, which builds and serves the site and sets LECTEUR_URL. By hand:
// `cargo xtask serve` in one terminal, then in tests/browser:
// `LECTEUR_URL=http://localhost:8000/ node --test --test-reporter=spec`.

import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { chromium } from 'playwright-core';

/** The site under test, e.g. `http://localhost:8000/` (any path prefix works). */
export const LECTEUR_URL = process.env.LECTEUR_URL;
if (!LECTEUR_URL) {
  throw new Error(
    'LECTEUR_URL is not set: run the browser tests with `cargo xtask test`, or serve the site ' +
      '(`cargo xtask serve`) and set LECTEUR_URL=http://localhost:PORT/',
  );
}
const ORIGIN = new URL(LECTEUR_URL).origin;

/** Debian's package; LECTEUR_CHROMIUM may point elsewhere. Never downloaded. */
const CHROMIUM = process.env.LECTEUR_CHROMIUM || '/usr/bin/chromium';

/** Per test: generous, as the wasm and the index take a moment to load on a slow machine. */
const TEST_TIMEOUT_MS = 90_000;
/** Per wait (selectors, navigation). */
const WAIT_TIMEOUT_MS = 30_000;

const LAUNCH_OPTIONS = {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

let browserPromise;
function browser() {
  browserPromise ??= chromium.launch(LAUNCH_OPTIONS);
  return browserPromise;
}

/** A context with a real (throw-away) profile: Chromium installs no app from an incognito one. */
async function persistentContext() {
  const profile = await mkdtemp(path.join(tmpdir(), 'lecteur-profil-'));
  const context = await chromium.launchPersistentContext(profile, LAUNCH_OPTIONS);
  const close = context.close.bind(context);
  context.close = async () => {
    await close();
    await rm(profile, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
  };
  return context;
}

after(async () => {
  if (browserPromise) await (await browserPromise).close();
});

/**
 * Declares a test that gets a fresh browser context and page. After the body ran, the test
 * fails if the page logged a console error, threw, or requested anything from another origin
 * (such requests are aborted).
 *
 * @param {string} name
 * @param {(session: {page: import('playwright-core').Page, context:
 *   import('playwright-core').BrowserContext}) => Promise<void>} body
 * @param {{expectedConsoleError?: RegExp, expectedViolation?: RegExp, origins?: string[],
 *   persistent?: boolean, noServiceWorker?: boolean}} options
 *   a console error (or an uncaught one) the test provokes on purpose (Chromium logs every
 *   failed request, e.g. a 404), which then does not count; other origins the test's own pages come from (its own
 *   server, `null` for `file://`), besides the site's; `persistent` for a browser of its own
 *   with a profile on disk instead of an incognito context; `noServiceWorker` for a test that
 *   holds back or alters responses, which the service worker could answer from its cache;
 *   `expectedViolation`, a refusal of the content security policy the test provokes on purpose
 */
export function browserTest(
  name,
  body,
  { expectedConsoleError, expectedViolation, origins = [], persistent, noServiceWorker } = {},
) {
  test(name, { timeout: TEST_TIMEOUT_MS }, async () => {
    const context = persistent
      ? await persistentContext()
      : await (await browser()).newContext(noServiceWorker ? { serviceWorkers: 'block' } : {});
    context.setDefaultTimeout(WAIT_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(WAIT_TIMEOUT_MS);
    const problems = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      const origin = new URL(url).origin;
      if (origin === ORIGIN || origins.includes(origin)) return route.continue();
      problems.push(`request to another origin: ${url}`);
      return route.abort('blockedbyclient');
    });
    // Every page carries a strict content security policy: anything it refuses fails the test.
    await context.exposeBinding('__lecteurViolation', (_source, violation) => {
      if (expectedViolation?.test(violation)) return;
      problems.push(`content security policy: ${violation}`);
    });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        window.__lecteurViolation(
          `${event.violatedDirective} refused ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`,
        );
      });
    });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (expectedConsoleError?.test(message.text())) return;
      problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => {
      if (expectedConsoleError?.test(String(error))) return;
      problems.push(`page error: ${error.stack || error}`);
    });
    try {
      await body({ page, context });
      assert.deepEqual(problems, [], 'the page stayed clean');
    } catch (error) {
      if (problems.length > 0 && error?.code !== 'ERR_ASSERTION') {
        error.message += `\nAlso seen on the page:\n  ${problems.join('\n  ')}`;
      }
      throw error;
    } finally {
      await context.close();
    }
  });
}

/**
 * Opens the site at `address`, relative to its root: `''` for the list, `?q=popcorn`,
 * `a/SLUG/?q=…`, or an address of the first scheme (`#/a/SLUG?q=…`).
 */
export async function open(page, address = '') {
  await page.goto(new URL(address, LECTEUR_URL).href);
}

/** The page's address relative to the site's root (`?q=hadopi`, `a/SLUG/?p=2`, `''`). */
export function addressOf(page) {
  const url = page.url();
  assert.ok(url.startsWith(LECTEUR_URL), `${url} is in the site`);
  return url.slice(LECTEUR_URL.length);
}

/** Waits until the page's address (as `addressOf` reads it) equals `expected` or matches it. */
export async function waitForAddress(page, expected) {
  const want =
    expected instanceof RegExp
      ? { source: expected.source, flags: expected.flags }
      : { exact: expected };
  await page.waitForFunction(
    ({ root, exact, source, flags }) => {
      const address = location.href.startsWith(root) ? location.href.slice(root.length) : null;
      return source === undefined ? address === exact : new RegExp(source, flags).test(address);
    },
    { root: LECTEUR_URL, ...want },
  );
}

/** Waits until the program has taken the page over (it sets `data-lecteur` on `<html>`). */
export async function waitForProgram(page) {
  await page.locator('html[data-lecteur]').waitFor({ state: 'attached' });
}

/** Waits until the search engine is open, or known to be unusable (`data-moteur`). */
export async function waitForEngine(page) {
  await page.locator('html[data-moteur]').waitFor({ state: 'attached' });
}

/** The slugs of the articles, in the list's order (read from the list page). */
export async function articleSlugs(page) {
  await open(page);
  await page.locator(ARTICLE_CARD).first().waitFor();
  return page.locator(ARTICLE_CARD).evaluateAll((cards) => cards.map((card) => card.dataset.slug));
}

/** Holds back the responses to requests matching `pattern` until `release()` is called. */
export async function holdBack(page, pattern) {
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(pattern, async (route) => {
    await held;
    await route.continue().catch(() => {});
  });
  return release;
}

/** Answers the page's request for the index with `respond(realBytes)` (a route's fulfilment). */
export async function serveIndex(page, respond) {
  await page.route('**/index.bin', async (route) => {
    const real = await route.fetch();
    await route.fulfill(await respond(await real.body()));
  });
}

/**
 * An index bundle (src/bundle.rs: magic, format, header length, JSON header, files) read into
 * `{ prelude, header, files: [{ name, bytes }] }`, for tests that damage it and pack it again.
 */
export function readBundle(bytes) {
  const length = bytes.readUInt32LE(12);
  const header = JSON.parse(bytes.subarray(16, 16 + length).toString('utf8'));
  let at = 16 + length;
  const files = header.files.map(({ name, len }) => {
    const file = { name, bytes: Buffer.from(bytes.subarray(at, at + len)) };
    at += len;
    return file;
  });
  return { prelude: Buffer.from(bytes.subarray(0, 12)), header, files };
}

/**
 * Packs a bundle read by `readBundle` again, with each file's length and CRC32 recomputed, as a
 * tool rewriting a damaged bundle would; `headerText` may rewrite the header's JSON text.
 */
export function packBundle({ prelude, header, files }, headerText = (text) => text) {
  assert.ok(zlib.crc32, 'Node.js 20.15 or later (zlib.crc32) packs test bundles');
  const table = files.map(({ name, bytes }) => ({ name, len: bytes.length, crc32: zlib.crc32(bytes) }));
  const json = Buffer.from(headerText(JSON.stringify({ ...header, files: table })));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  return Buffer.concat([prelude, length, json, ...files.map(({ bytes }) => bytes)]);
}

/** The program's wasm, as its requests name it. */
export const PROGRAM = /lecteur_bg[^/]*\.wasm$/;

/** The slug an article link leads to (`a/SLUG/…`, relative or absolute). */
export function slugOf(href) {
  const slug = new URL(href, LECTEUR_URL).pathname.match(/\/a\/([^/]+)\/$/)?.[1];
  assert.ok(slug, `${href} leads to an article`);
  return decodeURIComponent(slug);
}

/** Lowercase, without accents: `« HADOPI »` and `hadopi` compare alike. */
export function fold(text) {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The folded texts of the `<mark>`s inside `locator`. */
export async function markTexts(locator) {
  const texts = await locator.locator('mark').allTextContents();
  return texts.map(fold);
}

export const SEARCH = 'input[type="search"]';
export const RESULTS = '[data-testid="results"]';
export const RESULT = '[data-testid="result"]';
export const ARTICLE = '[data-testid="article"]';
export const ERROR = '[data-testid="error"]';
export const ARTICLE_LIST = '[data-testid="article-list"]';
export const ARTICLE_CARD = '[data-testid="article-card"]';
export const PREPARING = '[data-testid="result-count"][data-preparing]';
