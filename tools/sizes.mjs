// Sizes of a built site: raw, gzip -9 and brotli (quality 11), per file, and the transfer to
// the first result (index.html, whose styles and loader are inline, + lecteur.js + wasm +
// index.bin; a site built before the pages were rendered ahead of time also had main.js and
// style.css).
// Usage: node tools/sizes.mjs [SITE_DIR]   (default target/site)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const site = process.argv[2] || 'target/site';
const files = fs
  .readdirSync(site, { recursive: true })
  .filter((f) => fs.statSync(path.join(site, f)).isFile() && !/\.(br|gz)$/.test(f))
  .sort();
const gzip = (b) => zlib.gzipSync(b, { level: 9 }).length;
const brotli = (b) =>
  zlib.brotliCompressSync(b, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length,
    },
  }).length;
const first =
  /^(index\.html|main\..*js|lecteur\..*js|lecteur_bg\..*wasm|engine-worker\..*js|engine\..*js|engine_bg\..*wasm|style\..*css|index\.bin)$/;
const total = { raw: 0, gz: 0, br: 0 };
const n = (x) => x.toLocaleString('en-US');
console.log('| file | raw | gzip -9 | brotli 11 |\n| --- | ---: | ---: | ---: |');
for (const f of files) {
  const b = fs.readFileSync(path.join(site, f));
  const row = { raw: b.length, gz: gzip(b), br: brotli(b) };
  console.log(`| \`${f}\` | ${n(row.raw)} | ${n(row.gz)} | ${n(row.br)} |`);
  if (first.test(f)) for (const k in total) total[k] += row[k];
}
console.log(
  `| **first result** (page + glue + wasm + index) | ${n(total.raw)} | ${n(total.gz)} | ${n(total.br)} |`,
);
