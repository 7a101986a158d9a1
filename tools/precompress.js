// Writes FILE.br (brotli, quality 11) and FILE.gz (gzip, level 9) beside each FILE named on the
// command line, or, with `-`, on the lines of standard input (a site of 100,000 pages names more
// files than a command line holds), relative to the current directory; a line may give brotli's
// quality after a tab (`FILE<TAB>7`). Run by `cargo xtask build` (xtask/src/compress.rs, which
// decides the qualities). The files are compressed on zlib's thread pool, as many at a time as
// the machine has cores: brotli at quality 11 is the slow part of a large site's build.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const { promisify } = require('node:util');
const zlib = require('node:zlib');

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

const named = process.argv.slice(2);
const lines =
  named.length === 1 && named[0] === '-'
    ? fs.readFileSync(0, 'utf8').split('\n').filter((line) => line !== '')
    : named;
const files = lines.map((line) => {
  const [file, quality = '11'] = line.split('\t');
  const level = Number(quality);
  if (!Number.isInteger(level) || level < 0 || level > 11) {
    console.error(`precompress: brotli's quality for ${file} must be 0 to 11, not "${quality}"`);
    process.exit(1);
  }
  return { file, level };
});

async function compress({ file, level }) {
  const data = await fs.promises.readFile(file);
  const [br, gz] = await Promise.all([
    brotli(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: level,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
    gzip(data, { level: 9 }),
  ]);
  await Promise.all([fs.promises.writeFile(`${file}.br`, br), fs.promises.writeFile(`${file}.gz`, gz)]);
}

let next = 0;
async function worker() {
  while (next < files.length) await compress(files[next++]);
}

const parallel = Math.max(1, Math.min(files.length, os.availableParallelism?.() ?? os.cpus().length));
Promise.all(Array.from({ length: parallel }, worker)).catch((error) => {
  console.error(`precompress: ${error.message}`);
  process.exit(1);
});
