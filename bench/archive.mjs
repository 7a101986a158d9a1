// Lecteur against Pagefind on the generated archives (issue 13, section 4), in one Chromium run:
//
//   node bench/archive.mjs --corpus 1000=SITE,PAGEFIND [--corpus 10000=SITE,PAGEFIND …]
//                          --out DIR [--cold N] [--no-download]
//
// A corpus may come without Pagefind (`--corpus 100000=SITE`: Pagefind's indexer needs tens
// of GiB for 100,000 pages here), and `--no-download` skips the archive's whole download (at
// 100,000 articles, 200,000 files and several GB of storage).
//
// For each corpus, SITE is Lecteur's site built from `cargo xtask scale`'s articles and
// PAGEFIND the Pagefind site of the same articles (bench/peers/build.mjs `--bundle
// SITE/index.bin`, its `pagefind/` folder), each served by the one static server with its brotli
// siblings (Pagefind's own files are gzip already). Per corpus and system:
//
// - cold: `--cold` loads of `./?q=hadopi` per network profile (the loopback, and Slow 4G: 150 ms
//   RTT, 1.6 Mbit/s, Chromium's own emulation), each in a fresh profile: the time from the
//   navigation's start to the first result in the DOM, and the bytes the server had put on the
//   wire by then (headers included, counted on the socket, so a worker's requests count), by
//   kind: the program (wasm and JavaScript), the index, the page;
// - the tab's memory after open: the resident memory of the tab's renderer process (its page
//   and its workers), read from /proc once the first result is on screen and the page idle;
// - warm: in that page, each of QUERIES typed at once into the search box: the time until its
//   results are on screen, the bytes fetched for it, its round trips and the time some request
//   of it was under way (what the rest of that time is not: the engine, the messages, the
//   rendering);
// - a first visit in all: the same link on the loopback with the service worker allowed, and
//   the bytes on the wire until its offline copy is installed (Lecteur's; Pagefind keeps none),
//   what the reader's line carries for the visit, seen or not;
// - Lecteur's archive downloaded whole for offline reading ("Télécharger l'archive…", on the
//   loopback, in a fresh profile): how long, the bytes on the wire, the files and the storage
//   it takes.
//
// Writes OUT/archive.json and OUT/archive.md and prints the latter.

import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import {
  PROFILES,
  TIMEOUT_MS,
  fileKind,
  freshBrowser,
  median,
  percentile,
  serve,
  throttle,
  typeQuery,
  watchFirstResult,
} from './harness.mjs';

const FIRST_QUERY = 'hadopi';
/** Ten French queries the generated corpus answers: words, a phrase, a typo, a prefix. */
const QUERIES = [
  'piratage',
  'téléchargement illégal',
  '"popcorn time"',
  'netflix',
  'utilisateurs',
  'telechargemnt',
  'amendes',
  'internautes',
  'abonnés',
  'pirat',
];
const NETWORK = PROFILES.filter((profile) => ['loopback', 'Slow 4G'].includes(profile.name));
/** A cold link's longest wait: the 100,000-article index alone is 110 MB, 9 minutes on Slow 4G. */
const COLD_TIMEOUT_MS = 20 * 60_000;
/** Lets the last responses' log lines and the page's late work settle. */
const SETTLE_MS = 1_000;

function options(argv) {
  const found = { corpora: [], out: null, cold: 1 };
  for (let k = 0; k < argv.length; k += 2) {
    const [name, value] = [argv[k], argv[k + 1]];
    if (name === '--no-download') {
      found.noDownload = true;
      k -= 1;
    } else if (name === '--corpus') {
      const match = /^(\d+)=([^,]+)(?:,(.+))?$/.exec(value ?? '');
      if (!match) throw new Error(`--corpus N=SITE[,PAGEFIND] expected, not ${value}`);
      found.corpora.push({
        articles: Number(match[1]),
        lecteur: path.resolve(match[2]),
        pagefind: match[3] && path.resolve(match[3]),
      });
    } else if (name === '--out') found.out = path.resolve(value);
    else if (name === '--cold') found.cold = Number(value);
    else throw new Error(`unknown option ${name}`);
  }
  if (found.corpora.length === 0 || !found.out || !(Number.isInteger(found.cold) && found.cold > 0)) {
    throw new Error(
      'usage: node bench/archive.mjs --corpus N=SITE[,PAGEFIND] [--corpus …] --out DIR [--cold N] [--no-download]',
    );
  }
  return found;
}

/** The resident memory, in bytes, of the largest renderer process of the browser using `profile`. */
async function tabMemory(profile) {
  const processes = new Map();
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ');
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
      processes.set(pid, { cmdline, parent: String(field('PPid')), rss: field('VmRSS') * 1024 });
    } catch {
      // A process that ended meanwhile.
    }
  }
  const underBrowser = (pid) => {
    for (let at = pid, depth = 0; at && depth < 5; depth += 1) {
      const found = processes.get(at);
      if (!found) return false;
      if (found.cmdline.includes(`--user-data-dir=${profile}`)) return true;
      at = found.parent;
    }
    return false;
  };
  const renderers = [...processes.entries()].filter(
    ([pid, found]) => found.cmdline.includes('--type=renderer') && underBrowser(pid),
  );
  return renderers.length > 0 ? Math.max(...renderers.map(([, found]) => found.rss)) : null;
}

/** The log's responses sent from `from` on (and up to `to`), summed by kind. */
function bytes(log, from, to = Infinity) {
  const sum = { wire: 0, program: 0, index: 0, page: 0, files: 0 };
  for (const response of log) {
    if (response.sent < from || response.sent > to) continue;
    const kind = fileKind(response.path);
    sum.wire += response.wire;
    sum[kind === 'wasm' || kind === 'js' ? 'program' : kind] += response.wire;
    sum.files += 1;
  }
  return sum;
}

/** One cold load of the first query over `profile`; keeps the browser when `keep`. */
async function coldLoad(server, profile, keep) {
  const browser = await freshBrowser({ serviceWorkers: 'block' });
  try {
    await throttle(browser.page, profile);
    await browser.page.addInitScript(watchFirstResult);
    const started = Date.now();
    await browser.page.goto(`${server.url}?q=${encodeURIComponent(FIRST_QUERY)}`, { timeout: COLD_TIMEOUT_MS });
    await browser.page.waitForFunction(() => window.__firstResult, null, { timeout: COLD_TIMEOUT_MS });
    const { first, at } = await browser.page.evaluate(() => ({
      first: window.__firstResult,
      at: performance.timeOrigin + window.__firstResult,
    }));
    const load = { first_result_ms: first, transfer: bytes(server.log, started - 1, at) };
    if (!keep) {
      await browser.close();
      return load;
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    load.memory_bytes = await tabMemory(browser.profile);
    return { ...load, browser };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/**
 * A first visit with the service worker allowed, on the loopback: the bytes on the wire from
 * the navigation until the worker's install is done (`navigator.serviceWorker.ready`), or until
 * the page is idle where there is none.
 */
async function firstVisit(server) {
  const browser = await freshBrowser();
  try {
    await browser.page.addInitScript(watchFirstResult);
    const started = Date.now();
    await browser.page.goto(`${server.url}?q=${encodeURIComponent(FIRST_QUERY)}`, { timeout: COLD_TIMEOUT_MS });
    await browser.page.waitForFunction(() => window.__firstResult, null, { timeout: COLD_TIMEOUT_MS });
    const installed = await browser.page.evaluate(async (settle) => {
      const registrations = await navigator.serviceWorker.getRegistrations();
      await new Promise((resolve) => setTimeout(resolve, settle));
      if (registrations.length === 0 && (await navigator.serviceWorker.getRegistrations()).length === 0) {
        return false;
      }
      // An install that fails never makes the worker ready: given up after two minutes.
      const timeout = new Promise((resolve) => setTimeout(() => resolve(false), 120_000));
      return Promise.race([navigator.serviceWorker.ready.then(() => true), timeout]);
    }, SETTLE_MS);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    return { wire: bytes(server.log, started - 1).wire, offline_copy: installed };
  } finally {
    await browser.close();
  }
}

/**
 * The archive downloaded whole from its page's button, on the loopback: the time from the click
 * to the page saying the whole archive is on the device, the bytes on the wire meanwhile, and
 * the files and storage it then takes. Null where the page offers no download (a site below
 * the archive size, or another system).
 */
async function wholeDownload(server) {
  const browser = await freshBrowser();
  try {
    const { page } = browser;
    await page.goto(server.url, { timeout: TIMEOUT_MS });
    const action = page.locator('[data-testid="archive-action"]');
    await action.waitFor({ timeout: 60_000 });
    const started = Date.now();
    await action.click();
    await page.waitForFunction(
      () => /^L’archive entière/.test(document.querySelector('[data-testid="archive-status"]')?.textContent ?? ''),
      null,
      { timeout: TIMEOUT_MS, polling: 250 },
    );
    const seconds = (Date.now() - started) / 1000;
    const { files, usage } = await page.evaluate(async () => {
      // A large build's copy spans several caches (www/sw.js, FILES_PER_CACHE).
      let files = 0;
      for (const name of await caches.keys()) files += (await (await caches.open(name)).keys()).length;
      return { files, usage: (await navigator.storage.estimate()).usage };
    });
    return { seconds, wire: bytes(server.log, started).wire, files, storage_bytes: usage };
  } catch (error) {
    process.stderr.write(`the archive was not downloaded whole: ${error.message}\n`);
    return null;
  } finally {
    await browser.close();
  }
}

/**
 * Each query typed into the loaded page: time to results on screen, bytes fetched for it, and
 * how that time went: its requests (the engine worker's included, as Chromium reports them),
 * the round trips they made (a round begins with a request started once every earlier one had
 * finished: Lecteur's dictionary blocks, then postings, then the hits' texts) and the time
 * some request was under way.
 */
async function warmQueries(page, server) {
  const requests = [];
  const started = new Map();
  const context = page.context();
  const onRequest = (request) => started.set(request, performance.now());
  const onDone = (request) => {
    if (started.has(request)) requests.push({ start: started.get(request), end: performance.now() });
  };
  context.on('request', onRequest);
  context.on('requestfinished', onDone);
  context.on('requestfailed', onDone);
  const queries = [];
  try {
    for (const query of QUERIES) {
      const from = Date.now();
      const since = performance.now();
      const { rendered } = await typeQuery(page, query, { timeout: TIMEOUT_MS });
      const until = since + rendered;
      await new Promise((resolve) => setTimeout(resolve, 50));
      const own = requests.filter((request) => request.start >= since && request.start <= until);
      queries.push({
        query,
        rendered_ms: rendered,
        wire: bytes(server.log, from).wire,
        requests: own.length,
        ...roundTrips(own, until),
      });
    }
  } finally {
    context.off('request', onRequest);
    context.off('requestfinished', onDone);
    context.off('requestfailed', onDone);
  }
  return queries;
}

/** Requests in rounds (a round starts when none is under way) and the time some was, up to `until`. */
function roundTrips(requests, until) {
  let rounds = 0;
  let network_ms = 0;
  let busyUntil = -Infinity;
  for (const { start, end } of [...requests].sort((a, b) => a.start - b.start)) {
    const stop = Math.min(end, until);
    if (start >= busyUntil) {
      rounds += 1;
      network_ms += Math.max(0, stop - start);
    } else {
      network_ms += Math.max(0, stop - busyUntil);
    }
    busyUntil = Math.max(busyUntil, stop);
  }
  return { rounds, network_ms };
}

const KB = (n) => (n == null ? '—' : `${(n / 1000).toFixed(1)} KB`);
const MB = (n) => (n == null ? '—' : `${(n / 1e6).toFixed(0)} MB`);
const MS = (ms) => (ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms).toLocaleString('en')} ms`);

function markdown(results) {
  const lines = [
    `Measured on ${results.date} on ${results.machine}; Chromium, ${results.cold} cold load(s) per ` +
      `system and profile (median), warm: ${QUERIES.length} queries once each in the loaded page.`,
    '',
    '| articles | system | first result: wire | program | index | page | cold first result, loopback | Slow 4G | warm query, median | p95 | round trips per warm query, median | on the network, median | bytes per warm query, median | most | tab memory after open | first visit in all, offline copy included |',
    '| ---: | --- |' + ' ---: |'.repeat(14),
  ];
  for (const corpus of results.corpora) {
    for (const system of corpus.systems) {
      const loopback = system.cold.loopback;
      const times = system.warm.map((query) => query.rendered_ms);
      const wires = system.warm.map((query) => query.wire);
      lines.push(
        `| ${corpus.articles.toLocaleString('en')} | ${system.name} | ${KB(loopback.transfer.wire)} | ` +
          `${KB(loopback.transfer.program)} | ${KB(loopback.transfer.index)} | ${KB(loopback.transfer.page)} | ` +
          `${MS(loopback.first_result_ms)} | ${MS(system.cold['Slow 4G'].first_result_ms)} | ` +
          `${MS(median(times))} | ${MS(percentile(times, 95))} | ` +
          `${median(system.warm.map((query) => query.rounds))} | ${MS(median(system.warm.map((query) => query.network_ms)))} | ` +
          `${KB(median(wires))} | ${KB(Math.max(...wires))} | ` +
          `${MB(system.memory_bytes)} | ${KB(system.first_visit.wire)}${system.first_visit.offline_copy ? '' : ' (no offline copy)'} |`,
      );
    }
  }
  const downloads = results.corpora.flatMap((corpus) =>
    corpus.systems
      .filter((system) => system.whole_download)
      .map((system) => {
        const { seconds, wire, files, storage_bytes } = system.whole_download;
        return `| ${corpus.articles.toLocaleString('en')} | ${system.name} | ${seconds.toFixed(1)} s | ${MB(wire)} | ${files.toLocaleString('en')} | ${MB(storage_bytes)} |`;
      }),
  );
  if (downloads.length > 0) {
    lines.push(
      '',
      'The archive downloaded whole for offline reading (its page\'s button, on the loopback):',
      '',
      '| articles | system | time | on the wire | files | storage |',
      '| ---: | --- | ---: | ---: | ---: | ---: |',
      ...downloads,
    );
  }
  return `${lines.join('\n')}\n`;
}

const { corpora, out, cold, noDownload } = options(process.argv.slice(2));
const results = {
  date: new Date().toISOString().slice(0, 10),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  cold,
  queries: QUERIES,
  corpora: [],
};
for (const corpus of corpora) {
  const systems = [
    { name: 'Lecteur', root: corpus.lecteur },
    { name: 'Pagefind', root: corpus.pagefind },
  ].filter((system) => system.root);
  const measured = [];
  for (const system of systems) {
    const server = await serve(system.root, { encoding: 'br' });
    try {
      const found = { name: system.name, cold: {} };
      for (const profile of NETWORK) {
        const loads = [];
        for (let run = 0; run < cold; run += 1) {
          const keep = profile.name === 'loopback' && run === cold - 1;
          const load = await coldLoad(server, profile, keep);
          process.stderr.write(`${corpus.articles} ${system.name} ${profile.name}: ${MS(load.first_result_ms)}\n`);
          if (load.browser) {
            found.memory_bytes = load.memory_bytes;
            found.warm = await warmQueries(load.browser.page, server);
            await load.browser.close();
            delete load.browser;
          }
          loads.push(load);
        }
        loads.sort((a, b) => a.first_result_ms - b.first_result_ms);
        found.cold[profile.name] = loads[Math.floor((loads.length - 1) / 2)];
      }
      found.first_visit = await firstVisit(server);
      if (system.name === 'Lecteur' && !noDownload) found.whole_download = await wholeDownload(server);
      process.stderr.write(`${corpus.articles} ${system.name} first visit: ${KB(found.first_visit.wire)}\n`);
      measured.push(found);
    } finally {
      server.close();
    }
  }
  results.corpora.push({ articles: corpus.articles, systems: measured });
}
await mkdir(out, { recursive: true });
await writeFile(path.join(out, 'archive.json'), `${JSON.stringify(results, null, 2)}\n`);
const table = markdown(results);
await writeFile(path.join(out, 'archive.md'), table);
process.stdout.write(table);
