// The engine's JavaScript API (issue 14), on the example page the site ships (`api/`, from
// www/api/): a page without the reader's program opens the index, searches with filters, makes
// and resolves a shared passage, and gets French errors with stable codes.

import assert from 'node:assert/strict';
import { ARTICLE, browserTest, markTexts, open } from './browser.mjs';

const STATUS = '#etat';

/** Opens the example page and waits for its engine. */
async function ready(page) {
  await open(page, 'api/');
  await page.locator(STATUS).filter({ hasText: 'Prêt.' }).waitFor();
}

browserTest('the example page searches with the engine alone, as the reader types', async ({ page }) => {
  const requests = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await ready(page);
  await page.locator('#q').fill('hadopi');
  await page.locator('#resultats li').first().waitFor();
  const items = await page.locator('#resultats li').allTextContents();
  assert.ok(items.length >= 1 && items.some((item) => /Hadopi/.test(item)), items.join('\n'));
  assert.match(await page.locator(STATUS).textContent(), /^\d+ article\(s\)$/);
  // The reader's own program is not part of it.
  assert.ok(!requests.some((path) => /lecteur_bg/.test(path)), requests.join('\n'));
  // A query over its budget: the French message and its code, not a crash.
  await page.locator('#q').fill('mot '.repeat(400));
  await page.locator(STATUS).filter({ hasText: '(requete)' }).waitFor();
});

browserTest('the API answers plain objects: filters, articles, shared passages, coded errors', async ({ page }) => {
  await ready(page);
  const answers = await page.evaluate(async () => {
    const found = await engine;
    const coded = (call) => {
      try {
        call();
        return null;
      } catch (error) {
        return { code: error.code, message: error.message, isError: error instanceof Error };
      }
    };
    const all = found.search('popcorn');
    const source = all.facets.sources[0].source;
    const narrowed = found.search('popcorn', { source, limit: 1 });
    const slug = narrowed.hits[0].slug;
    const article = found.article(slug);
    const link = found.shareLink(slug, { block: 0, offset: 0 }, { block: 0, offset: 12 });
    return {
      version: wasm_bindgen.apiVersion(),
      articles: found.articles().length,
      all: { total: all.total, hits: all.hits.length, marks: all.hits[0].snippet?.marks },
      narrowed: { total: narrowed.total, hits: narrowed.hits.length, sources: narrowed.hits.map((hit) => hit.source), source },
      firstBlock: article.blocks[0],
      link,
      found: found.findPassage(slug, link.passage),
      gone: found.findPassage(slug, '0.0,,texte%20absent%20de%20l%E2%80%99article,'),
      unknown: coded(() => found.article('nulle-part')),
      damaged: coded(() => found.findPassage(slug, 'abîmé')),
      empty: coded(() => found.shareLink(slug, { block: 0, offset: 3 }, { block: 0, offset: 3 })),
      badOptions: coded(() => found.search('popcorn', { tri: 'date' })),
      fromUrl: (await wasm_bindgen.Engine.fromUrl('../index.bin', null)).search('popcorn').total,
      missing: await wasm_bindgen.Engine.fromUrl('../absent.bin', null).then(
        () => null,
        (error) => ({ code: error.code, message: error.message }),
      ),
    };
  });
  assert.equal(answers.version, 1);
  assert.equal(answers.articles, 3);
  assert.ok(answers.all.total >= 2 && answers.all.hits === answers.all.total, JSON.stringify(answers.all));
  assert.ok(Array.isArray(answers.all.marks) && 'start' in answers.all.marks[0], JSON.stringify(answers.all));
  assert.equal(answers.narrowed.hits, 1);
  assert.ok(answers.narrowed.total < answers.all.total);
  assert.deepEqual(answers.narrowed.sources, [answers.narrowed.source]);
  assert.match(answers.link.address, /^\.\/a\/[^/]+\/\?s=0\.0,/);
  assert.equal(answers.found.landing, 'hint');
  assert.deepEqual(answers.found.ranges, [{ block: 0, start: 0, end: answers.found.ranges[0].end }]);
  assert.equal(answers.gone, null);
  assert.ok(answers.unknown && answers.damaged && answers.empty && answers.badOptions, JSON.stringify(answers));
  assert.deepEqual(
    [answers.unknown.code, answers.damaged.code, answers.empty.code, answers.badOptions.code],
    ['article-inconnu', 'passage', 'passage', 'requete-illisible'],
  );
  assert.ok(answers.unknown.isError && /nulle-part/.test(answers.unknown.message));
  // Opened from its address: the same index; a missing one names the server's answer.
  assert.equal(answers.fromUrl, answers.all.total);
  assert.equal(answers.missing?.code, 'ouverture');
  assert.match(answers.missing.message, /absent\.bin.*404/);
}, { expectedConsoleError: /status of 404/ });

browserTest('<lecteur-recherche> drops the search into another page, its engine in a worker', async ({ page }) => {
  await open(page, 'api/element/');
  const input = page.locator('lecteur-recherche input');
  await input.fill('hadopi');
  const items = page.locator('lecteur-recherche li');
  await items.first().waitFor();
  assert.match(await page.locator('lecteur-recherche [role="status"]').textContent(), /^\d+ articles?\.$/);
  const marks = await page.locator('lecteur-recherche li mark').allTextContents();
  assert.ok(marks.length > 0 && marks.every((mark) => /hadopi/i.test(mark)), marks.join());
  // Styled by the page's custom properties (--lecteur-accent: #1b5fc1).
  const link = items.first().locator('a');
  assert.equal(await link.evaluate((a) => getComputedStyle(a).color), 'rgb(27, 95, 193)');
  // The engine ran in the worker: the page's own timeline has no engine wasm.
  const mainThread = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
  assert.ok(!mainThread.some((name) => /engine_bg/.test(name)), mainThread.join('\n'));
  // A result leads to its article in the reader, the query marked.
  assert.match(await link.getAttribute('href'), /\/a\/[^/]+\/\?q=hadopi$/);
  await link.click();
  await page.locator(`${ARTICLE} mark`).first().waitFor();
  assert.ok((await markTexts(page.locator(ARTICLE))).some((mark) => /hadopi/i.test(mark)));
});

browserTest(
  '<lecteur-recherche> says why it cannot search when the index cannot be opened',
  async ({ page }) => {
    await page.route('**/index.bin', (route) => route.fulfill({ status: 404, body: 'Not found' }));
    await open(page, 'api/element/');
    await page.locator('lecteur-recherche input').fill('hadopi');
    const status = page.locator('lecteur-recherche [role="status"]');
    await status.filter({ hasText: 'Recherche impossible' }).waitFor();
    assert.match(await status.textContent(), /404.*index\.bin/);
    assert.equal(await page.locator('lecteur-recherche li').count(), 0);
  },
  { expectedConsoleError: /status of 404/, noServiceWorker: true },
);
