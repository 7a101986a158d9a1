// What moving the engine into a Web Worker changed (issue 16), for this build and the
// single-program build before it, in one run of Chromium (bench/harness.mjs):
//
//   node bench/worker.mjs --site DIR --before DIR --archive DIR --archive-before DIR [--cold N]
//
// - The page's program: the wasm the main thread compiles, raw and brotli (the site's files).
// - Time to interactive of an article link, cold, each load in a fresh profile (no HTTP cache,
//   no compiled code), on the loopback and on Slow 4G, with the CPU slowed 4× (a mid-range
//   phone, as Lighthouse's mobile preset assumes): from the navigation's start to the page
//   taken over (`data-lecteur` on the root element, set once its key handlers listen), then the
//   latency of its answer to a key (`?` opens the keyboard help: the Event Timing duration, from
//   the key to the next paint).
// - The cold first result of `./?q=hadopi`, the same way.
// - Typing on the archive (the generated corpus of 10,000 articles, `cargo xtask scale`): once
//   the engine is open, each query typed letter by letter into the search box, 150 ms apart
//   (a brisk typist); every keystroke's interaction latency (Event Timing: the longest entry of
//   the interaction, from the key to the next paint; entries under 16 ms are not reported and
//   count as 16), their 95th percentile and worst (what Interaction to Next Paint reports), the
//   95th percentile of the letters after each query's first (which also takes the list of
//   10,000 articles off the page for the results), and
//   the time from the last letter to its results on screen. At CPU 1× and 4×, without the
//   service worker (whose first install of the archive would run beside the typing).
//
// Prints the tables (Markdown) and writes them, with the raw figures, to
// target/bench/worker.{md,json}.

import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';

import {
  PROFILES,
  REPOSITORY,
  TIMEOUT_MS,
  freshBrowser,
  median,
  percentile,
  serve,
  throttle,
  watchFirstResult,
} from './harness.mjs';

const ARTICLE = 'a/popcorn-time-n-est-pas-legal/';
const TYPED = ['piratage', 'téléchargement illégal', 'popcorn time'];
const KEY_GAP_MS = 150;
/** Event Timing's smallest reported duration: a keystroke without an entry took less. */
const UNREPORTED_MS = 16;
const NETWORK = PROFILES.filter((profile) => ['loopback', 'Slow 4G'].includes(profile.name));

function options(argv) {
  const found = { site: null, before: null, archive: null, archiveBefore: null, cold: 5 };
  const names = { '--site': 'site', '--before': 'before', '--archive': 'archive', '--archive-before': 'archiveBefore' };
  for (let k = 0; k < argv.length; k += 2) {
    const [name, value] = [argv[k], argv[k + 1]];
    if (names[name]) found[names[name]] = path.resolve(value);
    else if (name === '--cold') found.cold = Number(value);
    else throw new Error(`unknown option ${name}; usage: --site DIR --before DIR --archive DIR --archive-before DIR [--cold N]`);
  }
  for (const key of ['site', 'before', 'archive', 'archiveBefore']) {
    if (!found[key]) throw new Error(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} DIR is required`);
  }
  return found;
}

/** The page's wasm of a site: raw and brotli bytes. */
async function pageProgram(site) {
  const name = (await readdir(site)).find((file) => /^lecteur_bg\.[0-9a-f]+\.wasm$/.test(file));
  const bytes = await readFile(path.join(site, name));
  const brotli = zlib.brotliCompressSync(bytes, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  return { raw: bytes.length, brotli: brotli.length };
}

/** Runs in the page before its scripts: the take-over time and every interaction's latency. */
function watchPage() {
  window.__interactions = new Map();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!entry.interactionId) continue;
      const longest = window.__interactions.get(entry.interactionId) ?? 0;
      window.__interactions.set(entry.interactionId, Math.max(longest, entry.duration));
    }
  }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  new MutationObserver(() => {
    if (!window.__takenOver && document.documentElement.hasAttribute('data-lecteur')) {
      window.__takenOver = performance.now();
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-lecteur'] });
}

async function slowCpu(page, rate) {
  if (rate === 1) return;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
}

/** One cold load of an article: when the page is taken over, and its answer to `?`. */
async function articleLoad(url, profile) {
  const browser = await freshBrowser();
  try {
    const { page } = browser;
    await throttle(page, profile);
    await slowCpu(page, 4);
    await page.addInitScript(watchPage);
    await page.goto(url + ARTICLE, { timeout: TIMEOUT_MS });
    await page.waitForFunction(() => window.__takenOver, null, { timeout: TIMEOUT_MS });
    const takenOver = await page.evaluate(() => window.__takenOver);
    await page.keyboard.press('?');
    await page.locator('[data-testid="help"]:not([hidden])').waitFor({ timeout: TIMEOUT_MS });
    await page.waitForTimeout(200); // the entry is reported after the next paint
    const key = await page.evaluate(() => Math.max(0, ...window.__interactions.values()));
    return { taken_over_ms: takenOver, key_ms: key || UNREPORTED_MS };
  } finally {
    await browser.close();
  }
}

/** One cold load of `?q=hadopi`: when its first result is in the page. */
async function searchLoad(url, profile) {
  const browser = await freshBrowser();
  try {
    const { page } = browser;
    await throttle(page, profile);
    await slowCpu(page, 4);
    await page.addInitScript(watchFirstResult);
    await page.goto(`${url}?q=hadopi`, { timeout: TIMEOUT_MS });
    await page.waitForFunction(() => window.__firstResult, null, { timeout: TIMEOUT_MS });
    return { first_result_ms: await page.evaluate(() => window.__firstResult) };
  } finally {
    await browser.close();
  }
}

/**
 * Typing the queries into the archive's search box, letter by letter, at CPU `rate`. Without
 * the service worker: its first install downloads and hashes the whole archive (10,000 pages,
 * the index), beside the page, which is the offline copy's cost (issue 13), not typing's.
 */
async function typing(url, rate) {
  const browser = await freshBrowser({ serviceWorkers: 'block' });
  try {
    const { page } = browser;
    await slowCpu(page, rate);
    await page.addInitScript(watchPage);
    await page.goto(url, { timeout: TIMEOUT_MS });
    await page.locator('html[data-moteur]').waitFor({ state: 'attached', timeout: TIMEOUT_MS });
    const latencies = [];
    const withinQueries = [];
    const lastLetter = [];
    for (const query of TYPED) {
      const box = page.locator('input[type="search"]');
      await box.click();
      await box.fill('');
      await page.waitForTimeout(500);
      await page.evaluate(() => window.__interactions.clear());
      let sent = 0;
      for (const letter of query) {
        sent = await page.evaluate(() => performance.now());
        await page.keyboard.type(letter);
        await page.waitForTimeout(KEY_GAP_MS);
      }
      // The last letter's results: the heading names the whole query and nothing is pending.
      const shown = await page.waitForFunction(
        (typed) => {
          const heading = document.querySelector('#titre-resultats');
          const section = document.querySelector('section.results');
          const settled = section && !section.hasAttribute('aria-busy');
          const counted = document.querySelector('[data-testid="result-count"]:not([data-preparing])');
          return heading?.textContent.includes(`« ${typed} »`) && settled && counted && performance.now();
        },
        query,
        { timeout: TIMEOUT_MS, polling: 'raf' },
      );
      lastLetter.push(Math.max(0, (await shown.jsonValue()) - sent));
      await page.waitForTimeout(300);
      const reported = await page.evaluate(() => [...window.__interactions.values()]);
      // One interaction per key (a click and the clearing are outside the window).
      const keys = [...query].length;
      const all = [...reported, ...Array(Math.max(0, keys - reported.length)).fill(UNREPORTED_MS)];
      latencies.push(...all);
      // The first letter also leaves the list for the results (10,000 cards to take down).
      withinQueries.push(...all.slice(1));
    }
    return {
      keystrokes: latencies.length,
      p95_ms: percentile(latencies, 95),
      worst_ms: Math.max(...latencies),
      p95_after_first_letter_ms: percentile(withinQueries, 95),
      last_letter_to_results_ms: median(lastLetter),
    };
  } finally {
    await browser.close();
  }
}

async function main() {
  const opts = options(process.argv.slice(2));
  const builds = [
    { name: 'worker (this build)', site: opts.site, archive: opts.archive },
    { name: 'one program (before)', site: opts.before, archive: opts.archiveBefore },
  ];
  const figures = [];
  for (const build of builds) {
    const server = await serve(build.site);
    const archive = await serve(build.archive);
    try {
      const row = { build: build.name, program: await pageProgram(build.site), network: {}, typing: {} };
      for (const profile of NETWORK) {
        const articles = [];
        const searches = [];
        for (let run = 0; run < opts.cold; run++) {
          articles.push(await articleLoad(server.url, profile));
          searches.push(await searchLoad(server.url, profile));
        }
        row.network[profile.name] = {
          taken_over_ms: median(articles.map((a) => a.taken_over_ms)),
          key_ms: median(articles.map((a) => a.key_ms)),
          first_result_ms: median(searches.map((s) => s.first_result_ms)),
        };
      }
      for (const rate of [1, 4]) row.typing[`${rate}x`] = await typing(archive.url, rate);
      figures.push(row);
      console.error(JSON.stringify(row));
    } finally {
      server.close();
      archive.close();
    }
  }
  const n = (x) => Math.round(x).toLocaleString('en-US');
  let md = '| build | page wasm raw | brotli |';
  for (const profile of NETWORK) md += ` article interactive, ${profile.name} | key answered | first result, ${profile.name} |`;
  md += ' typing p95, CPU 1× | after the 1st letter | worst | typing p95, CPU 4× | after the 1st letter | worst | last letter → results, 4× |\n';
  md += `| --- | ---: | ---: |${' ---: | ---: | ---: |'.repeat(NETWORK.length)}${' ---: | ---: | ---: |'.repeat(2)} ---: |\n`;
  for (const row of figures) {
    md += `| ${row.build} | ${n(row.program.raw)} | ${n(row.program.brotli)} |`;
    for (const profile of NETWORK) {
      const cell = row.network[profile.name];
      md += ` ${n(cell.taken_over_ms)} ms | ${n(cell.key_ms)} ms | ${n(cell.first_result_ms)} ms |`;
    }
    const [one, four] = [row.typing['1x'], row.typing['4x']];
    for (const cpu of [one, four]) {
      md += ` ${n(cpu.p95_ms)} ms | ${n(cpu.p95_after_first_letter_ms)} ms | ${n(cpu.worst_ms)} ms |`;
    }
    md += ` ${n(four.last_letter_to_results_ms)} ms |\n`;
  }
  console.log(md);
  const out = path.join(REPOSITORY, 'target/bench');
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'worker.md'), md);
  await writeFile(path.join(out, 'worker.json'), JSON.stringify({ cold: opts.cold, figures }, null, 2));
}

await main();
