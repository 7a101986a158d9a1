// Minifies, in place, the JavaScript modules and stylesheets named on the command line, relative
// to the current directory, with esbuild (its own defaults: whitespace, comments, identifiers).
// Run by `cargo xtask build` (xtask/src/build.rs) on the page's loader, the wasm-bindgen glue and
// the stylesheet, which are on the way to a first paint or a first result; the sources in www/
// stay as they are written.
import { readFileSync, writeFileSync } from 'node:fs';
import { transformSync } from 'esbuild';

for (const file of process.argv.slice(2)) {
  const css = file.endsWith('.css');
  // No `format`: a module stays a module, a classic script a classic script.
  const { code } = transformSync(readFileSync(file, 'utf8'), {
    loader: css ? 'css' : 'js',
    minify: true,
    target: 'es2022',
    legalComments: 'none',
  });
  writeFileSync(file, code);
}
