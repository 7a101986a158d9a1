// The site is served precompressed: `cargo xtask build` writes brotli and gzip copies beside
// the files and the xtask server sends the brotli one to Chromium, which accepts it. The page
// must work as before, with the wasm still `application/wasm` (compiled while it downloads).

import assert from 'node:assert/strict';
import { ARTICLE_LIST, browserTest, open, waitForEngine } from './browser.mjs';

browserTest('the page, its program and its index arrive brotli-compressed', async ({ page }) => {
  const responses = [];
  page.on('response', (response) => responses.push(response));
  await open(page);
  await page.locator(ARTICLE_LIST).waitFor();
  await waitForEngine(page);

  const find = (pattern) => {
    const response = responses.find((r) => pattern.test(new URL(r.url()).pathname));
    assert.ok(response, `no response for ${pattern}`);
    return response;
  };
  for (const pattern of [/\/$/, /\/lecteur\.[0-9a-f]{12}\.js$/, /\.wasm$/, /\/index\.bin$/]) {
    const headers = await find(pattern).allHeaders();
    assert.equal(headers['content-encoding'], 'br', `${pattern}: ${JSON.stringify(headers)}`);
    assert.equal(headers.vary, 'Accept-Encoding', `${pattern}`);
  }
  const wasm = await find(/\.wasm$/).allHeaders();
  assert.equal(wasm['content-type'], 'application/wasm');
});
