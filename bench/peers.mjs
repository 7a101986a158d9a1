// The benchmark against the peers (issue 6), run by `cargo xtask bench`:
//
//   node bench/peers.mjs --site target/site --peers target/bench/peers --out target/bench
//                        [--cold 7] [--passes 6]
//
// Serves Lecteur's built site and the peers' sites (bench/peers/build.mjs: Pagefind, MiniSearch
// and lunr with lunr-languages' French, on the same articles, and Lecteur's engine through its
// JavaScript API on the same page as theirs) from local static servers, each
// once sending the brotli and once the gzip siblings, and in headless Chromium measures, per
// system:
//
// - cold: `--cold` loads of `./?q=hadopi` per encoding, each in a fresh profile, interleaved
//   across systems so that the machine's load weighs on all alike: the time from the start of
//   the navigation to the first result in the DOM, and what the server had sent by then (bytes
//   on the wire, headers included, counted on the socket, so that a worker's requests count
//   too; and the files' sizes before compression, by kind);
// - warm: in a loaded page, `--passes` passes over QUERIES (after one untimed pass), each query
//   set into the search box with an `input` event: the search with its snippets (the User
//   Timing measure `lecteur:recherche` each page records around it) and the time until the
//   results heading names the query (the search, its snippets and the rendering).
//
// Writes OUT/peers.json and OUT/peers.md (the tables of the README) and prints the latter.

import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import {
  fileKind,
  freshBrowser,
  median,
  percentile,
  serve,
  TIMEOUT_MS,
  typeQuery,
  watchFirstResult,
} from './harness.mjs';

const FIRST_QUERY = 'hadopi';
/** The fixed French queries of the warm runs: single words, phrases, accents, none. */
const QUERIES = [
  'popcorn time',
  'téléchargement',
  'piratage illégal',
  'netflix',
  'hadopi',
  'utilisateurs',
  'amendes',
  'vpn',
  'telecharger',
  'allemagne',
];
/** How long one warm query may take before the run stops, naming it. */
const QUERY_TIMEOUT_MS = 30_000;
const SEARCH_MEASURE = 'lecteur:recherche';
const ENCODINGS = ['br', 'gzip'];

function options(argv) {
  const found = { site: null, peers: null, out: null, cold: 7, passes: 6 };
  for (let k = 0; k < argv.length; k += 2) {
    const [name, value] = [argv[k], argv[k + 1]];
    if (name === '--site') found.site = path.resolve(value);
    else if (name === '--peers') found.peers = path.resolve(value);
    else if (name === '--out') found.out = path.resolve(value);
    else if (name === '--cold') found.cold = Number(value);
    else if (name === '--passes') found.passes = Number(value);
    else throw new Error(`unknown option ${name}`);
  }
  const counts = [found.cold, found.passes];
  if (!found.site || !found.peers || !found.out || !counts.every((n) => Number.isInteger(n) && n > 0)) {
    throw new Error(
      'usage: node bench/peers.mjs --site DIR --peers DIR --out DIR [--cold N] [--passes N] (N a positive whole number)',
    );
  }
  return found;
}

/**
 * One cold load from `server`: a fresh profile, the navigation, the first result; when the
 * first result came, and the responses the server had sent by then.
 */
async function coldLoad(server) {
  server.log.length = 0;
  const browser = await freshBrowser();
  try {
    await browser.page.addInitScript(watchFirstResult);
    await browser.page.goto(`${server.url}?q=${encodeURIComponent(FIRST_QUERY)}`, { timeout: TIMEOUT_MS });
    await browser.page.waitForFunction(() => window.__firstResult, null, { timeout: TIMEOUT_MS });
    const { first, at } = await browser.page.evaluate(() => ({
      first: window.__firstResult,
      at: performance.timeOrigin + window.__firstResult,
    }));
    const responses = server.log.filter((response) => response.sent <= at);
    return { first_result_ms: first, responses, browser };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** What a cold load transferred before its first result: wire bytes, raw bytes by kind. */
function transfer(load) {
  const raw = { wasm: 0, js: 0, index: 0, page: 0 };
  let wire = 0;
  for (const response of load.responses) {
    wire += response.wire;
    raw[fileKind(response.path)] += response.raw;
  }
  return { wire, raw, files: load.responses.length };
}

/** The transfer of the cold load whose wire bytes are the median (they barely vary). */
function medianTransfer(loads) {
  const transfers = loads.map(transfer).sort((a, b) => a.wire - b.wire);
  const middle = transfers[Math.floor((transfers.length - 1) / 2)];
  return { ...middle, wire_min: transfers[0].wire, wire_max: transfers.at(-1).wire };
}

async function warmQueries(page, passes) {
  // A page searches again only when the query changes (Lecteur's does not redo the search it
  // shows), so no query may follow itself, nor follow the one the page was loaded with.
  const order = [FIRST_QUERY, ...QUERIES, QUERIES[0]];
  if (order.some((query, i) => i > 0 && query === order[i - 1])) {
    throw new Error('bench/peers.mjs: QUERIES must not repeat a query twice in a row');
  }
  const timed = { search: [], rendered: [] };
  for (let pass = 0; pass <= passes; pass += 1) {
    for (const query of QUERIES) {
      const { rendered, search } = await typeQuery(page, query, {
        measure: SEARCH_MEASURE,
        timeout: QUERY_TIMEOUT_MS,
      });
      // The first pass warms the caches and the JIT.
      if (pass > 0) {
        timed.rendered.push(rendered);
        timed.search.push(search);
      }
    }
  }
  return timed;
}

function summary(values) {
  return { median: median(values), p95: percentile(values, 95), runs: values.length };
}

const KB = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const MS = (ms) => (ms < 10 ? `${ms.toFixed(2)} ms` : `${Math.round(ms)} ms`);
const RATIO = (ours, theirs) => (theirs > 0 ? `${(ours / theirs).toFixed(2)}×` : '—');

function markdown(results) {
  const { systems, machine } = results;
  const lines = [];
  lines.push(
    `Measured on ${results.date} on ${machine.description}; Chromium ${machine.chromium}, ` +
      `Node.js ${machine.node}; load average ${machine.load_before.join(' ')} before the run, ` +
      `${machine.load_after.join(' ')} after. ${results.cold_runs} cold runs per system and ` +
      `encoding, ${results.warm_runs} warm queries per system (${QUERIES.length} queries × ` +
      `${results.passes} passes).`,
  );
  lines.push('');
  lines.push(
    '| system | first result: wire, brotli | wire, gzip | files | wasm | JS | index | page | ' +
      'cold navigation → first result (brotli) | (gzip) | warm query + snippets, median | p95 | ' +
      'typed → results on screen, median | p95 |',
  );
  lines.push('| --- |' + ' ---: |'.repeat(13));
  for (const s of systems) {
    const d = s.transfer.br.raw;
    lines.push(
      `| ${s.name} | ${KB(s.transfer.br.wire)} | ${KB(s.transfer.gzip.wire)} | ${s.transfer.br.files} | ` +
        `${KB(d.wasm)} | ${KB(d.js)} | ${KB(d.index)} | ${KB(d.page)} | ` +
        `${MS(s.cold.br.median)} | ${MS(s.cold.gzip.median)} | ` +
        `${MS(s.warm.search.median)} | ${MS(s.warm.search.p95)} | ` +
        `${MS(s.warm.rendered.median)} | ${MS(s.warm.rendered.p95)} |`,
    );
  }
  const [ours, ...peers] = systems;
  lines.push('');
  lines.push(
    `Ratios, ${ours.name} ÷ peer (below 1: ${ours.name} needs less):`,
  );
  lines.push('');
  lines.push(
    '| peer | wire, brotli | wire, gzip | cold navigation (brotli) | warm query median | warm query p95 | ' +
      'typed → on screen, median |',
  );
  lines.push('| --- |' + ' ---: |'.repeat(6));
  for (const peer of peers) {
    lines.push(
      `| ${peer.name} | ${RATIO(ours.transfer.br.wire, peer.transfer.br.wire)} | ` +
        `${RATIO(ours.transfer.gzip.wire, peer.transfer.gzip.wire)} | ` +
        `${RATIO(ours.cold.br.median, peer.cold.br.median)} | ` +
        `${RATIO(ours.warm.search.median, peer.warm.search.median)} | ` +
        `${RATIO(ours.warm.search.p95, peer.warm.search.p95)} | ` +
        `${RATIO(ours.warm.rendered.median, peer.warm.rendered.median)} |`,
    );
  }
  const pagefind = systems.find((s) => s.name === 'Pagefind');
  lines.push('');
  lines.push(`Budgets (issue 6), ${ours.name}:`);
  lines.push('');
  const check = (ok) => (ok ? 'met' : '**not met**');
  lines.push(
    `- first result transfer, gzip: ${KB(ours.transfer.gzip.wire)} of at most 700 KB: ` +
      `${check(ours.transfer.gzip.wire <= 700_000)}; brotli ${KB(ours.transfer.br.wire)} ` +
      `(aim 450 KB: ${ours.transfer.br.wire <= 450_000 ? 'reached' : 'not reached'})`,
  );
  lines.push(
    `- cold navigation: ${MS(ours.cold.br.median)}, ${RATIO(ours.cold.br.median, pagefind.cold.br.median)} ` +
      `Pagefind's ${MS(pagefind.cold.br.median)} (at most 1.5×): ` +
      `${check(ours.cold.br.median <= 1.5 * pagefind.cold.br.median)}`,
  );
  lines.push(
    `- warm query with snippets: median ${MS(ours.warm.search.median)} (at most 2 ms): ` +
      `${check(ours.warm.search.median <= 2)}`,
  );
  return `${lines.join('\n')}\n`;
}

const { site, peers, out, cold, passes } = options(process.argv.slice(2));
const SYSTEMS = [
  { name: 'Lecteur', root: site },
  // Its engine through the JavaScript API, on the peers' page: search and snippets, no Yew.
  { name: 'Lecteur (API)', root: path.join(peers, 'lecteur-api') },
  { name: 'Pagefind', root: path.join(peers, 'pagefind') },
  { name: 'MiniSearch', root: path.join(peers, 'minisearch') },
  { name: 'lunr (fr)', root: path.join(peers, 'lunr') },
];

const loadBefore = os.loadavg().map((x) => x.toFixed(2));
const servers = [];
try {
  for (const system of SYSTEMS) {
    system.servers = {};
    for (const encoding of ENCODINGS) {
      const server = await serve(system.root, { encoding });
      servers.push(server);
      system.servers[encoding] = server;
    }
    system.loads = { br: [], gzip: [] };
  }
  let chromium = null;
  for (let run = 0; run < cold; run += 1) {
    for (const system of SYSTEMS) {
      for (const encoding of ENCODINGS) {
        const load = await coldLoad(system.servers[encoding]);
        chromium ??= load.browser.context.browser()?.version() ?? null;
        system.loads[encoding].push(load);
        const keep = run === cold - 1 && encoding === 'br';
        if (keep) system.page = load.browser;
        else await load.browser.close();
        process.stderr.write(
          `cold ${run + 1}/${cold} ${system.name} (${encoding}): ${MS(load.first_result_ms)}\n`,
        );
      }
    }
  }
  for (const system of SYSTEMS) {
    system.warm = await warmQueries(system.page.page, passes).catch((error) => {
      throw new Error(`${system.name}, warm queries: ${error.message}`);
    });
    await system.page.close();
    process.stderr.write(`warm ${system.name}: median ${MS(median(system.warm.search))}\n`);
  }

  const results = {
    date: new Date().toISOString().slice(0, 10),
    machine: {
      description: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`,
      chromium: chromium ?? 'unknown',
      node: process.versions.node,
      load_before: loadBefore,
      load_after: os.loadavg().map((x) => x.toFixed(2)),
    },
    cold_runs: cold,
    passes,
    warm_runs: passes * QUERIES.length,
    queries: QUERIES,
    systems: SYSTEMS.map((system) => ({
      name: system.name,
      transfer: {
        br: medianTransfer(system.loads.br),
        gzip: medianTransfer(system.loads.gzip),
      },
      cold: {
        br: summary(system.loads.br.map((load) => load.first_result_ms)),
        gzip: summary(system.loads.gzip.map((load) => load.first_result_ms)),
      },
      warm: { search: summary(system.warm.search), rendered: summary(system.warm.rendered) },
      files: system.loads.br[0].responses.map((response) => ({ ...response, kind: fileKind(response.path) })),
    })),
  };
  await writeFile(path.join(out, 'peers.json'), `${JSON.stringify(results, null, 2)}\n`);
  const table = markdown(results);
  await writeFile(path.join(out, 'peers.md'), table);
  process.stdout.write(table);
} finally {
  for (const server of servers) server.close();
}
