// Builds the peers' sites for bench/peers.mjs from the articles of a built Lecteur site, so
// that every system searches exactly the articles Lecteur shows (titles and blocks, furniture
// already dropped):
//
//   node bench/peers/build.mjs --bundle target/site/index.bin --out target/bench/peers
//                              [--only pagefind,lecteur-api,minisearch,lunr]
//
// writes OUT/minisearch, OUT/lunr, OUT/pagefind and OUT/lecteur-api (Lecteur's engine through its
// JavaScript API, its files copied from the built site), each a static site whose `index.html` is
// the same search page (src/page.js) around one engine, its script bundled and minified by
// esbuild, its index prebuilt here as a real deployment would, and `.br` / `.gz` siblings of its
// compressible files written by tools/precompress.js, as `cargo xtask build` does for Lecteur.
// Pagefind's own index files are already gzip-compressed by Pagefind and are served as they are.

import { execFileSync } from 'node:child_process';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';
import MiniSearch from 'minisearch';
import * as pagefind from 'pagefind';

import { MINISEARCH_OPTIONS } from './src/french.js';
import { buildIndex as buildLunrIndex } from './src/lunr-french.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const REPOSITORY = path.resolve(here, '..', '..');
const MAGIC = 'LECTEUR\0';
const COMPRESSIBLE = new Set(['.html', '.js', '.json', '.css', '.wasm', '.bin']);

function options(argv) {
  const found = { bundle: null, out: null, only: null };
  for (let k = 0; k < argv.length; k += 2) {
    const [name, value] = [argv[k], argv[k + 1]];
    if (name === '--bundle') found.bundle = path.resolve(value);
    else if (name === '--out') found.out = path.resolve(value);
    // Some of the peers only (bench/archive.mjs measures Pagefind alone on the large corpora).
    else if (name === '--only') found.only = new Set(value.split(','));
    else throw new Error(`unknown option ${name}`);
  }
  if (!found.bundle || !found.out) {
    throw new Error('usage: node bench/peers/build.mjs --bundle SITE/index.bin --out DIR');
  }
  return found;
}

/**
 * The articles of a Lecteur index bundle (src/bundle.rs: magic, u32 format, u32 header length,
 * JSON header, its articles by columns): `[{ slug, title, blocks: [text], headings: [is the block a
 * heading] }]`.
 */
async function articlesOfBundle(file) {
  const bytes = await readFile(file);
  if (bytes.subarray(0, 8).toString('latin1') !== MAGIC) {
    throw new Error(`${file} is not a Lecteur index bundle; build the site first (cargo xtask build)`);
  }
  const length = bytes.readUInt32LE(12);
  const header = JSON.parse(bytes.subarray(16, 16 + length).toString('utf8'));
  // One array per field (src/bundle.rs, `by_columns`).
  const { slug, title, blocks } = header.articles;
  return slug.map((slug, at) => ({
    slug,
    title: title[at],
    blocks: blocks[at].map((block) => block.text),
    headings: blocks[at].map((block) => block.kind === 'heading'),
  }));
}

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

/** The search page: the same markup for every peer, only the title and the scripts differ. */
function searchPage(name, scripts = []) {
  return `<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(name)} — banc d’essai de Lecteur</title>
  <link rel="icon" href="data:,">
  <style>
    body { font-family: Georgia, serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
    input { font: inherit; width: 100%; padding: .4rem; }
    mark { background: #ffe27a; }
  </style>
${scripts.map((script) => `  <script src="${script}"></script>\n`).join('')}  <script src="app.js" defer></script>
</head>
<body>
  <main>
    <label for="recherche">Rechercher dans les articles (${escapeHtml(name)})</label>
    <input id="recherche" type="search" autocomplete="off">
    <div id="resultats"></div>
  </main>
</body>
</html>
`;
}

/** An article as its own HTML page, the input Pagefind indexes. */
function articlePage(article) {
  const blocks = article.blocks
    .map((block, i) => (article.headings[i] ? `<h2>${escapeHtml(block)}</h2>` : `<p>${escapeHtml(block)}</p>`))
    .join('\n');
  return `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>${escapeHtml(article.title)}</title><link rel="icon" href="data:,"></head>
<body><main data-pagefind-body><h1>${escapeHtml(article.title)}</h1>
${blocks}
</main></body>
</html>
`;
}

async function bundleScript(entry, outfile) {
  await esbuild.build({
    entryPoints: [path.join(here, 'src', entry)],
    outfile,
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2022',
    logLevel: 'warning',
  });
}

async function filesUnder(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/** `.br` and `.gz` siblings of the compressible files under `dir`, with Lecteur's own script. */
async function precompress(dir) {
  const files = (await filesUnder(dir)).filter((file) => COMPRESSIBLE.has(path.extname(file)));
  execFileSync('node', [path.join(REPOSITORY, 'tools/precompress.js'), ...files], { stdio: 'inherit' });
}

async function site(dir, name, entry, data, scripts = []) {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'index.html'), searchPage(name, scripts));
  await bundleScript(entry, path.join(dir, 'app.js'));
  if (data) await writeFile(path.join(dir, 'index.json'), JSON.stringify(data));
}

async function pagefindSite(dir, articles) {
  await site(dir, 'Pagefind', 'pagefind.js', null);
  const { index, errors } = await pagefind.createIndex({ forceLanguage: 'fr' });
  if (errors.length > 0) throw new Error(`Pagefind: ${errors.join('; ')}`);
  for (const article of articles) {
    const url = `/a/${article.slug}/`;
    const content = articlePage(article);
    await mkdir(path.join(dir, 'a', article.slug), { recursive: true });
    await writeFile(path.join(dir, 'a', article.slug, 'index.html'), content);
    const added = await index.addHTMLFile({ url, content });
    if (added.errors.length > 0) throw new Error(`Pagefind: ${added.errors.join('; ')}`);
  }
  const written = await index.writeFiles({ outputPath: path.join(dir, 'pagefind') });
  if (written.errors.length > 0) throw new Error(`Pagefind: ${written.errors.join('; ')}`);
  await pagefind.close();
}

/** Lecteur's engine through its JavaScript API, its files copied from the built site. */
async function lecteurApiSite(dir, bundle) {
  await site(dir, 'Lecteur (API)', 'lecteur-api.js', null, ['engine.js']);
  const built = path.dirname(bundle);
  const files = await readdir(built);
  for (const [pattern, name] of [[/^engine\.[0-9a-f]+\.js$/, 'engine.js'], [/^engine_bg\.[0-9a-f]+\.wasm$/, 'engine_bg.wasm']]) {
    const found = files.find((file) => pattern.test(file));
    if (!found) throw new Error(`${built} has no ${name}; build the site first (cargo xtask build)`);
    await writeFile(path.join(dir, name), await readFile(path.join(built, found)));
  }
  await writeFile(path.join(dir, 'index.bin'), await readFile(bundle));
}

const { bundle, out, only } = options(process.argv.slice(2));
const wanted = (peer) => !only || only.has(peer);
const articles = await articlesOfBundle(bundle);
await rm(out, { recursive: true, force: true });

/** What the MiniSearch and lunr pages fetch besides their index: the text their snippets cut. */
const texts = articles.map(({ slug, title, blocks }) => ({ slug, title, blocks }));
if (wanted('minisearch')) {
  const miniSearch = new MiniSearch(MINISEARCH_OPTIONS);
  miniSearch.addAll(articles.map((a) => ({ slug: a.slug, title: a.title, body: a.blocks.join('\n\n') })));
  await site(path.join(out, 'minisearch'), 'MiniSearch', 'minisearch.js', {
    articles: texts,
    index: miniSearch.toJSON(),
  });
}
if (wanted('lunr')) {
  await site(path.join(out, 'lunr'), 'lunr', 'lunr.js', {
    articles: texts,
    index: buildLunrIndex(articles).toJSON(),
  });
}
if (wanted('pagefind')) await pagefindSite(path.join(out, 'pagefind'), articles);
if (wanted('lecteur-api')) await lecteurApiSite(path.join(out, 'lecteur-api'), bundle);
await precompress(out);
console.log(`peers built into ${path.relative(process.cwd(), out) || '.'} from ${articles.length} articles`);
