// Content first, measured as readers live (issue 12), run by `cargo xtask bench`:
//
//   node bench/pages.mjs --site target/site --before DIR --peers target/bench/peers
//                        --out target/bench [--runs 7]
//
// Over each network profile of harness.mjs (the loopback, "Slow 4G", a fast line), applied by
// Chromium through its DevTools protocol, cold loads, interleaved across systems, the median of
// `--runs` of the following. Each load gets a new, empty browser context (no HTTP cache, no
// compiled code, no service worker) in a browser that is already running, as a reader's is when
// they follow a link; a browser started for each load would add its own start-up to the first
// paint of every page alike.
//
// - article text painted: a link to the longest article, until its first block is painted
//   (the Element Timing of `#bloc-1`, whatever draws it);
// - shared passage shown: a link to a paragraph near the end of that article, made by the
//   page's own "share" key, until the paragraph is in view, scrolled to (by the browser's text
//   fragment, or by the page's program marking it);
// - first search result: `./?q=hadopi`, until the first result is in the page.
//
// The systems: Lecteur as built (`--site`), Lecteur as it was (`--before`, the landed build
// the figures are compared with), and a bare static HTML file of each article with the same
// text, written here from Lecteur's own pages as they read with no program; for the search,
// the peers' sites (`--peers`, bench/peers/build.mjs). Every site is served with its brotli
// siblings, and what each load put on the wire until its mark is counted at the server.
//
// Writes OUT/pages.json and OUT/pages.md (the tables of the README) and prints the latter.

import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { PROFILES, REPOSITORY, TIMEOUT_MS, median, runningBrowser, serve, throttle } from './harness.mjs';

const FIRST_QUERY = 'hadopi';

function options(argv) {
  const found = { site: null, before: null, peers: null, out: null, runs: 7 };
  for (let k = 0; k < argv.length; k += 2) {
    const [name, value] = [argv[k], argv[k + 1]];
    if (name === '--site') found.site = path.resolve(value);
    else if (name === '--before') found.before = path.resolve(value);
    else if (name === '--peers') found.peers = path.resolve(value);
    else if (name === '--out') found.out = path.resolve(value);
    else if (name === '--runs') found.runs = Number(value);
    else throw new Error(`unknown option ${name}`);
  }
  if (
    !found.site ||
    !found.before ||
    !found.peers ||
    !found.out ||
    !(Number.isInteger(found.runs) && found.runs > 0)
  ) {
    throw new Error(
      'usage: node bench/pages.mjs --site DIR --before DIR --peers DIR --out DIR [--runs N]',
    );
  }
  return found;
}

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

/** Each article as the site's pages show it with no program: slug, title, blocks. */
async function articlesOf(chromium, server) {
  const browser = await chromium.load({ javaScriptEnabled: false });
  try {
    const { page } = browser;
    await page.goto(server.url);
    const slugs = await page
      .locator('[data-testid="article-card"]')
      .evaluateAll((cards) => cards.map((card) => card.dataset.slug));
    const articles = [];
    for (const slug of slugs) {
      await page.goto(`${server.url}a/${slug}/`);
      articles.push({
        slug,
        ...(await page.evaluate(() => ({
          title: document.querySelector('[data-testid="article"] h1').textContent,
          blocks: [...document.querySelectorAll('[data-testid="article"] .body [id^="bloc-"]')].map(
            (block) => ({ tag: block.tagName.toLowerCase(), text: block.textContent }),
          ),
        }))),
      });
    }
    return articles;
  } finally {
    await browser.close();
  }
}

/** Writes each article as a bare HTML file, `SLUG.html`, with `.br` and `.gz` siblings. */
async function writeBarePages(dir, articles) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const files = [];
  for (const article of articles) {
    const blocks = article.blocks
      .map((block, i) => `<${block.tag} id="bloc-${i + 1}">${escapeHtml(block.text)}</${block.tag}>`)
      .join('\n');
    const html = `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(article.title)}</title><link rel="icon" href="data:,"></head>
<body><h1>${escapeHtml(article.title)}</h1>
${blocks}
</body>
</html>
`;
    const file = path.join(dir, `${article.slug}.html`);
    await writeFile(file, html);
    files.push(file);
  }
  execFileSync('node', [path.join(REPOSITORY, 'tools/precompress.js'), ...files], { stdio: 'inherit' });
}

/**
 * The link the page's own "share this paragraph" key (`p`) makes for block `block` (1-based)
 * of the article `slug`: the address, the `s=` passage and the text fragment.
 */
async function shareLink(chromium, server, slug, block) {
  const browser = await chromium.load();
  try {
    const { page } = browser;
    await page.goto(`${server.url}a/${slug}/`);
    await page.locator('html[data-lecteur]').waitFor({ state: 'attached' });
    for (let k = 0; k < block; k += 1) await page.keyboard.press('j');
    await page.keyboard.press('p');
    const link = new URL(await page.locator('[data-testid="share-link"]').getAttribute('href'));
    if (!link.hash.startsWith('#:~:text=')) throw new Error(`no text fragment in ${link}`);
    return { search: link.search, fragment: link.hash };
  } finally {
    await browser.close();
  }
}

/** In the page, before its scripts: `__shown` once the first block's text is painted. */
function watchText() {
  new MutationObserver(() => {
    const block = document.getElementById('bloc-1');
    if (block && !block.hasAttribute('elementtiming')) block.setAttribute('elementtiming', 'texte');
  }).observe(document, { subtree: true, childList: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.identifier === 'texte') window.__shown ??= entry.renderTime || entry.loadTime;
    }
  }).observe({ type: 'element', buffered: true });
}

/** In the page, before its scripts: `__shown` once block `id` is in view, scrolled to. */
function watchPassage(id) {
  const check = () => {
    const box = document.getElementById(id)?.getBoundingClientRect();
    if (box && window.scrollY > 0 && box.top >= 0 && box.top < window.innerHeight) {
      window.__shown = performance.now();
    } else {
      requestAnimationFrame(check);
    }
  };
  requestAnimationFrame(check);
}

/** In the page, before its scripts: `__shown` once a search result is in the page. */
function watchResult() {
  new MutationObserver(() => {
    if (!window.__shown && document.querySelector('[data-testid="result"]')) {
      window.__shown = performance.now();
    }
  }).observe(document, { subtree: true, childList: true });
}

/**
 * One cold load of `address` from `server` over `profile`, in a fresh Chromium profile: when
 * the watched mark came (ms from the start of the navigation), and the bytes the server had
 * put on the wire by then.
 */
async function coldLoad(chromium, server, address, profile, watch, argument) {
  server.log.length = 0;
  const browser = await chromium.load();
  try {
    await throttle(browser.page, profile);
    await browser.page.addInitScript(watch, argument);
    await browser.page.goto(server.url + address, { waitUntil: 'commit', timeout: TIMEOUT_MS });
    await browser.page.waitForFunction(() => window.__shown, null, { timeout: TIMEOUT_MS });
    const { shown, at } = await browser.page.evaluate(() => ({
      shown: window.__shown,
      at: performance.timeOrigin + window.__shown,
    }));
    const responses = server.log.filter((response) => response.sent <= at);
    return {
      ms: shown,
      wire: responses.reduce((sum, response) => sum + response.wire, 0),
      files: responses.length,
    };
  } finally {
    await browser.close();
  }
}

const KB = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const MS = (ms) => `${Math.round(ms)} ms`;
const RATIO = (ours, theirs) => (theirs > 0 ? `${(ours / theirs).toFixed(2)}×` : '—');

function markdown(results) {
  const { machine } = results;
  const lines = [];
  lines.push(
    `Measured on ${results.date} on ${machine.description}; Chromium ${machine.chromium}, ` +
      `Node.js ${machine.node}; load average ${machine.load_before.join(' ')} before the run, ` +
      `${machine.load_after.join(' ')} after. Cold loads, each in a new browser context (empty ` +
      `caches, no service worker) of a running Chromium, brotli; the median of ${results.runs} ` +
      `runs per cell, with what crossed the wire by then. ` +
      `"Before": the build of ${results.before}, the figures' reference. The article is ` +
      `« ${results.article.title} » (${results.article.blocks} blocks); the passage is its ` +
      `block ${results.passage.block}.`,
  );
  for (const profile of results.profiles) {
    lines.push('');
    lines.push(`**${profile.name}**${profile.description ? ` (${profile.description})` : ''}`);
    lines.push('');
    const names = [...new Set(profile.cells.map((cell) => cell.system))];
    lines.push(`| | ${names.join(' | ')} |`);
    lines.push(`| --- |${' ---: |'.repeat(names.length)}`);
    for (const metric of results.metrics) {
      const row = names.map((name) => {
        const cell = profile.cells.find((c) => c.metric === metric.key && c.system === name);
        return cell ? `${MS(cell.ms)} · ${KB(cell.wire)}` : '';
      });
      lines.push(`| ${metric.label} | ${row.join(' | ')} |`);
    }
  }
  lines.push('');
  lines.push('Floors (issue 12), on Slow 4G:');
  lines.push('');
  for (const floor of results.floors) {
    lines.push(
      `- ${floor.what}: ${MS(floor.ours)}, ${RATIO(floor.ours, floor.reference)} ${floor.of} ` +
        `(${MS(floor.reference)}; at most ${floor.limit}×): ${floor.met ? 'met' : '**not met**'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const { site, before, peers, out, runs } = options(process.argv.slice(2));
const loadBefore = os.loadavg().map((x) => x.toFixed(2));
const servers = {};
const chromium = await runningBrowser();
try {
  for (const [name, root] of [
    ['Lecteur', site],
    ['Lecteur before', before],
    ['Pagefind', path.join(peers, 'pagefind')],
    ['MiniSearch', path.join(peers, 'minisearch')],
    ['lunr (fr)', path.join(peers, 'lunr')],
  ]) {
    servers[name] = await serve(root, { encoding: 'br' });
  }
  const articles = await articlesOf(chromium, servers.Lecteur);
  const bare = path.join(out, 'nu');
  await writeBarePages(bare, articles);
  servers['bare HTML'] = await serve(bare, { encoding: 'br' });

  // The longest article, and a paragraph near its end.
  const article = articles.reduce((a, b) => (b.blocks.length > a.blocks.length ? b : a));
  const paragraphs = article.blocks
    .map((block, i) => ({ ...block, number: i + 1 }))
    .filter((block) => block.tag === 'p');
  const passage = paragraphs[paragraphs.length - 2];
  const link = await shareLink(chromium, servers.Lecteur, article.slug, passage.number);
  const passageId = `bloc-${passage.number}`;

  const metrics = [
    {
      key: 'text',
      label: 'article text painted',
      watch: watchText,
      addresses: {
        'bare HTML': `${article.slug}.html`,
        Lecteur: `a/${article.slug}/`,
        'Lecteur before': `#/a/${article.slug}`,
      },
    },
    {
      key: 'passage',
      label: 'shared passage shown',
      watch: watchPassage,
      argument: passageId,
      addresses: {
        'bare HTML': `${article.slug}.html${link.fragment}`,
        Lecteur: `a/${article.slug}/${link.search}${link.fragment}`,
        'Lecteur before': `#/a/${article.slug}${link.search}`,
      },
    },
    {
      key: 'result',
      label: `first result of ./?q=${FIRST_QUERY}`,
      watch: watchResult,
      addresses: {
        Lecteur: `?q=${FIRST_QUERY}`,
        'Lecteur before': `#/?q=${FIRST_QUERY}`,
        Pagefind: `?q=${FIRST_QUERY}`,
        MiniSearch: `?q=${FIRST_QUERY}`,
        'lunr (fr)': `?q=${FIRST_QUERY}`,
      },
    },
  ];

  const samples = [];
  const version = chromium.browser.version();
  for (let run = 0; run < runs; run += 1) {
    for (const profile of PROFILES) {
      for (const metric of metrics) {
        for (const [system, address] of Object.entries(metric.addresses)) {
          const load = await coldLoad(
            chromium,
            servers[system],
            address,
            profile,
            metric.watch,
            metric.argument,
          );
          samples.push({ profile: profile.name, metric: metric.key, system, ...load });
          process.stderr.write(
            `run ${run + 1}/${runs} ${profile.name}, ${metric.key}, ${system}: ${MS(load.ms)}, ${KB(load.wire)}\n`,
          );
        }
      }
    }
  }

  const cell = (profile, metric, system) => {
    const mine = samples.filter(
      (s) => s.profile === profile && s.metric === metric && s.system === system,
    );
    return {
      metric,
      system,
      ms: median(mine.map((s) => s.ms)),
      wire: median(mine.map((s) => s.wire)),
      runs: mine.map((s) => s.ms),
    };
  };
  const profiles = PROFILES.map((profile) => ({
    name: profile.name,
    description: profile.description ?? null,
    cells: metrics.flatMap((metric) =>
      Object.keys(metric.addresses).map((system) => cell(profile.name, metric.key, system)),
    ),
  }));
  const slow = (metric, system) => cell('Slow 4G', metric, system).ms;
  const floor = (what, metric, of, limit) => {
    const ours = slow(metric, 'Lecteur');
    const reference = slow(metric, of);
    return { what, ours, of, reference, limit, met: ours <= limit * reference };
  };
  const results = {
    date: new Date().toISOString().slice(0, 10),
    machine: {
      description: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`,
      chromium: version,
      node: process.versions.node,
      load_before: loadBefore,
      load_after: os.loadavg().map((x) => x.toFixed(2)),
    },
    runs,
    before: path.basename(path.dirname(before)),
    article: { slug: article.slug, title: article.title, blocks: article.blocks.length },
    passage: { block: passage.number, link },
    metrics: metrics.map(({ key, label }) => ({ key, label })),
    profiles,
    floors: [
      floor('article text painted', 'text', 'bare HTML', 1.3),
      floor('shared passage shown', 'passage', 'bare HTML', 1.5),
      floor('first search result', 'result', 'Lecteur before', 1.0),
    ],
    samples,
  };
  await writeFile(path.join(out, 'pages.json'), `${JSON.stringify(results, null, 2)}\n`);
  const table = markdown(results);
  await writeFile(path.join(out, 'pages.md'), table);
  process.stdout.write(table);
} finally {
  for (const server of Object.values(servers)) server.close();
  await chromium.close();
}
