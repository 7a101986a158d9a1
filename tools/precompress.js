// Writes FILE.br (brotli, quality 11) and FILE.gz (gzip, level 9) beside each FILE named on the
// command line, relative to the current directory. Run by `cargo xtask build` (xtask/src/compress.rs).
'use strict';
const fs = require('node:fs');
const zlib = require('node:zlib');

for (const file of process.argv.slice(2)) {
  const data = fs.readFileSync(file);
  const br = zlib.brotliCompressSync(data, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  fs.writeFileSync(`${file}.br`, br);
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
}
