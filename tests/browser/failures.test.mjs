// A missing or damaged index: the page says what went wrong, in French, instead of answering
// from a broken index or waiting forever; the articles it came with still read, and a search
// says why it cannot be made. Each test serves the page normally and tampers with the one
// response that carries the index, some as an attacker would, rewriting the bundle's own
// checksums after the damage.

import assert from 'node:assert/strict';
import {
  ARTICLE_CARD,
  ARTICLE_LIST,
  ERROR,
  RESULT,
  SEARCH,
  browserTest,
  open,
  packBundle,
  readBundle,
  serveIndex,
  waitForEngine,
} from './browser.mjs';

/** Opens the page and returns the text of the error it shows. */
async function errorShown(page) {
  await open(page);
  await waitForEngine(page);
  const error = page.locator(ERROR);
  await error.waitFor();
  assert.equal(await page.locator(`${ARTICLE_LIST} ${ARTICLE_CARD}`).count(), 3, 'the list reads');
  const text = await error.innerText();
  // A search says why there are no results, and gives none from a bad index.
  await page.locator(SEARCH).fill('hadopi');
  await page.locator('[data-testid="result-count"]').filter({ hasText: /indisponible/ }).waitFor();
  assert.equal(await page.locator(RESULT).count(), 0, 'no results from a bad index');
  return text;
}

browserTest(
  'an index the server does not have: the error names the answer',
  async ({ page }) => {
    await serveIndex(page, () => ({ status: 404, body: 'Not found' }));
    const text = await errorShown(page);
    assert.match(text, /404/);
    assert.match(text, /index\.bin/);
  },
  { expectedConsoleError: /404/ },
);

browserTest('a file that is not an index (an HTML page): the error says so', async ({ page }) => {
  await serveIndex(page, () => ({ status: 200, body: '<!doctype html><p>Oups</p>' }));
  assert.match(await errorShown(page), /n’est pas un index/);
});

browserTest('a truncated index: the error says it is cut short', async ({ page }) => {
  await serveIndex(page, (bytes) => ({ status: 200, body: bytes.subarray(0, bytes.length - 100) }));
  assert.match(await errorShown(page), /tronqué/);
});

browserTest('a corrupted byte in the index: the error says it is corrupt', async ({ page }) => {
  await serveIndex(page, (bytes) => {
    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 10] ^= 0xff;
    return { status: 200, body: damaged };
  });
  assert.match(await errorShown(page), /corrompu/);
});

browserTest('a segment file damaged, the bundle’s checksum rewritten: tantivy’s own names it', async ({
  page,
}) => {
  await serveIndex(page, (bytes) => {
    const bundle = readBundle(bytes);
    const term = bundle.files.find((file) => file.name.endsWith('.term'));
    term.bytes[Math.floor(term.bytes.length / 2)] ^= 0x5a;
    return { status: 200, body: packBundle(bundle) };
  });
  assert.match(await errorShown(page), /le fichier « [0-9a-f]+\.term » de l’index est corrompu/);
});

browserTest('a length of 2^60 in the bundle’s table: cut short, not a crash', async ({ page }) => {
  await serveIndex(page, (bytes) => {
    const bundle = readBundle(bytes);
    const first = bundle.files[0].bytes.length;
    const body = packBundle(bundle, (text) =>
      text.replace(`"len":${first},`, '"len":1152921504606846976,'),
    );
    return { status: 200, body };
  });
  assert.match(await errorShown(page), /tronqué/);
});

browserTest(
  'two files swapped in the bundle’s table, each whole: the page says so, and stays readable',
  async ({ page }) => {
    await serveIndex(page, (bytes) => {
      const bundle = readBundle(bytes);
      const term = bundle.files.find((file) => file.name.endsWith('.term'));
      const positions = bundle.files.find((file) => file.name.endsWith('.pos'));
      [term.name, positions.name] = [positions.name, term.name];
      return { status: 200, body: packBundle(bundle) };
    });
    await open(page);
    const error = page.locator(ERROR);
    await error.waitFor();
    // tantivy refuses it, or the program stops on it: either way, said in French.
    assert.match(await error.innerText(), /index|lecteur s’est arrêté/);
    assert.equal(await page.locator(`${ARTICLE_LIST} ${ARTICLE_CARD}`).count(), 3, 'the list reads');
  },
  { expectedConsoleError: /RuntimeError|unreachable|panicked|stopped/i },
);

browserTest('the program stops midway: the page says so, with a way to reload', async ({ page }) => {
  await open(page);
  await waitForEngine(page);
  // As a trap from the program would surface: an error out of its wasm, in a promise.
  await page.evaluate(() => {
    Promise.reject(new WebAssembly.RuntimeError('unreachable'));
  });
  const error = page.locator(ERROR);
  await error.waitFor();
  assert.match(await error.innerText(), /Le lecteur s’est arrêté/);
  assert.equal(await page.locator(`${ARTICLE_LIST} ${ARTICLE_CARD}`).count(), 3, 'the list reads');
  await Promise.all([page.waitForEvent('load'), error.getByRole('button', { name: 'Recharger la page' }).click()]);
  await page.locator(`${ARTICLE_LIST} ${ARTICLE_CARD}`).first().waitFor();
  assert.equal(await page.locator(ERROR).count(), 0, 'reloaded, it works');
}, { expectedConsoleError: /RuntimeError|unreachable/ });
