// Content first (issue 12): every page the build wrote reads completely before the program
// runs, or with no JavaScript at all; the program adopts that page without moving anything the
// reader sees; a shared passage shows by the browser's own text fragment before the program;
// and the links of the first address scheme (`#/…`) lead to their new addresses.

import assert from 'node:assert/strict';
import {
  ARTICLE,
  ARTICLE_CARD,
  ARTICLE_LIST,
  ERROR,
  LECTEUR_URL,
  PROGRAM,
  RESULT,
  RESULTS,
  SEARCH,
  addressOf,
  articleSlugs,
  browserTest,
  holdBack,
  open,
  slugOf,
  waitForAddress,
  waitForEngine,
  waitForProgram,
} from './browser.mjs';

const HIGHLIGHT = `${ARTICLE} [data-testid="shared-highlight"]`;

/** Runs before the page's scripts: adds up its layout shifts, as Cumulative Layout Shift does. */
function watchLayoutShifts() {
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) {
        window.__shifts.push({
          value: entry.value,
          nodes: entry.sources.map((source) => source.node?.outerHTML?.slice(0, 80) ?? '?'),
        });
      }
    }
  }).observe({ type: 'layout-shift', buffered: true });
}

/** Two frames: what the program did is laid out and painted. */
async function settle(page) {
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
}

browserTest(
  'with JavaScript off, the list and every article read completely, and their links work',
  async ({ context }) => {
    const on = await context.newPage();
    const slugsInOrder = await articleSlugs(on);
    const blocks = {};
    for (const slug of slugsInOrder) {
      await open(on, `a/${slug}/`);
      await waitForEngine(on);
      blocks[slug] = await on.locator(`${ARTICLE} .body [id^="bloc-"]`).allInnerTexts();
    }
    await on.close();

    const off = await context.browser().newContext({ javaScriptEnabled: false });
    try {
      const page = await off.newPage();
      await open(page);
      assert.equal(await page.locator(ARTICLE_CARD).count(), slugsInOrder.length);
      assert.match(await page.locator('noscript, .noscript').first().innerText(), /JavaScript/);
      for (const [index, slug] of slugsInOrder.entries()) {
        await open(page);
        await page.locator(`${ARTICLE_CARD}:nth-child(${index + 1}) h2 a`).click();
        await page.waitForURL(new URL(`a/${slug}/`, LECTEUR_URL).href);
        // Every block, as the program shows it.
        assert.deepEqual(
          await page.locator(`${ARTICLE} .body [id^="bloc-"]`).allInnerTexts(),
          blocks[slug],
          slug,
        );
        // The links between pages: another article, then back to the list.
        const other = page.locator('.others a').first();
        const otherSlug = slugOf(await other.evaluate((link) => link.href));
        await other.click();
        await page.waitForURL(new URL(`a/${otherSlug}/`, LECTEUR_URL).href);
        await page.locator('.crumbs a').click();
        await page.waitForURL(LECTEUR_URL);
        assert.equal(await page.locator(ARTICLE_CARD).count(), slugsInOrder.length);
      }
      // The search box is a form: submitted, it lands on the results' address.
      await open(page, `a/${slugsInOrder[0]}/`);
      await page.locator(SEARCH).fill('hadopi');
      await page.locator(SEARCH).press('Enter');
      await page.waitForURL(new URL('?q=hadopi', LECTEUR_URL).href);
    } finally {
      await off.close();
    }
  },
);

browserTest('the results of a search submitted before the program come once it runs', async ({
  page,
}) => {
  const release = await holdBack(page, PROGRAM);
  await open(page);
  await page.locator(SEARCH).fill('netflix');
  await page.locator(SEARCH).press('Enter');
  await page.waitForURL(new URL('?q=netflix', LECTEUR_URL).href);
  release();
  await page.locator(`${RESULTS} ${RESULT}`).first().waitFor();
  assert.equal(await page.locator(SEARCH).inputValue(), 'netflix');
});

browserTest('each article page has its own title, description, canonical link and preview', async ({
  page,
  context,
}) => {
  for (const slug of await articleSlugs(page)) {
    const response = await context.request.get(new URL(`a/${slug}/`, LECTEUR_URL).href);
    const html = await response.text();
    await open(page, `a/${slug}/`);
    const title = (await page.locator(`${ARTICLE} h1`).innerText()).trim();
    const head = await page.evaluate(() => {
      const meta = (key) =>
        document.querySelector(`meta[property="${key}"], meta[name="${key}"]`)?.content;
      return {
        title: document.title,
        description: meta('description'),
        canonical: document.querySelector('link[rel="canonical"]')?.href,
        ogTitle: meta('og:title'),
        ogDescription: meta('og:description'),
        ogType: meta('og:type'),
        ogLocale: meta('og:locale'),
        twitterCard: meta('twitter:card'),
        published: meta('article:published_time'),
        time: document.querySelector('[data-testid="article"] time')?.getAttribute('datetime'),
        opening: document.querySelector('[data-testid="article"] .body p')?.textContent,
      };
    });
    assert.equal(head.title, `${title} — Lecteur`);
    assert.equal(head.ogTitle, title);
    assert.equal(head.ogType, 'article');
    assert.equal(head.ogLocale, 'fr_FR');
    assert.equal(head.twitterCard, 'summary');
    assert.equal(head.canonical, new URL(`a/${slug}/`, LECTEUR_URL).href);
    assert.ok(head.description.length > 40, head.description);
    assert.equal(head.ogDescription, head.description);
    // The description is the article's opening (cut at a word, and shown with French spacing).
    const words = (text) => text.replace(/[\s\u202f\u00a0]+/g, ' ').replace('…', '').trim();
    assert.ok(words(head.opening).startsWith(words(head.description)), `${slug}: ${head.description}`);
    assert.equal(head.published, head.time ?? undefined, 'published time where the article has a date');
    // What crawlers read is in the response itself, not made by a program.
    assert.ok(html.includes('<meta property="og:title"'), 'in the HTML a crawler reads');
  }
  // The list has the site's own.
  await open(page);
  assert.equal(await page.title(), 'Lecteur — articles');
  assert.equal(
    await page.locator('meta[property="og:type"]').getAttribute('content'),
    'website',
  );
});

browserTest('the program adopts the page: no layout shift, the scroll and a selection stay', async ({
  page,
}) => {
  const [, slug] = await articleSlugs(page);
  await page.addInitScript(watchLayoutShifts);
  const release = await holdBack(page, PROGRAM);
  await open(page, `a/${slug}/`);
  await page.locator(`${ARTICLE} #bloc-3`).waitFor();
  // The reader scrolls and selects text before the program is there.
  await page.evaluate(() => window.scrollTo(0, 300));
  const selected = await page.evaluate(() => {
    const text = document.querySelector('[data-testid="article"] #bloc-3').firstChild;
    const range = document.createRange();
    range.setStart(text, 4);
    range.setEnd(text, 40);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    return getSelection().toString();
  });
  assert.ok(selected.length > 20, selected);
  const before = await page.evaluate(() => ({
    html: document.querySelector('[data-testid="article"]').outerHTML,
    scroll: window.scrollY,
  }));
  release();
  await waitForProgram(page);
  await waitForEngine(page);
  await settle(page);
  const after = await page.evaluate(() => ({
    html: document.querySelector('[data-testid="article"]').outerHTML,
    scroll: window.scrollY,
    selection: getSelection().toString(),
    inBlock: getSelection().anchorNode?.parentElement?.closest('#bloc-3') !== null,
    shifts: window.__shifts,
  }));
  assert.deepEqual(after.shifts, [], 'Cumulative Layout Shift 0 across hydration');
  assert.equal(after.html, before.html, 'the article is the same markup');
  assert.equal(after.scroll, before.scroll, 'the scroll stays');
  assert.equal(after.selection, selected, 'the selection stays');
  assert.ok(after.inBlock);
  // The list too.
  await page.unrouteAll();
  await page.goto('about:blank');
  await open(page);
  await waitForEngine(page);
  await settle(page);
  assert.deepEqual(await page.evaluate(() => window.__shifts), [], 'the list does not shift');
},
{ noServiceWorker: true });

browserTest('a shared passage shows by its text fragment before the program, once', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const [slug] = await articleSlugs(page);
  // A passage far down the article, shared as a reader would.
  await open(page, `a/${slug}/`);
  await waitForProgram(page);
  const last = await page.locator(`${ARTICLE} .body p`).count();
  await page.evaluate((n) => {
    const text = document.querySelectorAll('[data-testid="article"] .body p')[n - 2].firstChild;
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(text, Math.min(60, text.length));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
  }, last);
  await page.locator('[data-testid="share-button"]').click();
  const link = await page.locator('[data-testid="share-link"]').innerText();
  assert.match(link, /#:~:text=/, 'the link carries a text fragment');
  const block = await page.evaluate(
    (n) => document.querySelectorAll('[data-testid="article"] .body p')[n - 2].id,
    last,
  );

  // Opened afresh, the program held back: the browser scrolls to the passage by itself.
  const fresh = await context.browser().newContext();
  try {
    const other = await fresh.newPage();
    const release = await holdBack(other, PROGRAM);
    await other.goto(link);
    await other.waitForFunction((id) => {
      const box = document.getElementById(id)?.getBoundingClientRect();
      return box && box.top >= 0 && box.bottom <= window.innerHeight;
    }, block);
    assert.ok((await other.evaluate(() => window.scrollY)) > 0, 'scrolled down by the fragment');
    assert.equal(await other.locator('html[data-lecteur]').count(), 0, 'before the program');
    assert.equal(await other.evaluate(() => location.hash), '', 'no directive left in the address');
    const scrolled = await other.evaluate(() => window.scrollY);
    // The program marks the passage itself, without scrolling a second time.
    release();
    await other.locator(HIGHLIGHT).first().waitFor();
    await settle(other);
    assert.equal(await other.evaluate(() => window.scrollY), scrolled, 'no second scroll');
  } finally {
    await fresh.close();
  }
});

browserTest('links of the first address scheme lead to their new address, in place', async ({
  page,
}) => {
  const [slug] = await articleSlugs(page);
  const passage = 's=1.0,,Popcorn,';
  const cases = [
    ['#/', '', ARTICLE_LIST],
    ['#/?q=hadopi', '?q=hadopi', `${RESULTS} ${RESULT}`],
    [`#/a/${slug}`, `a/${slug}/`, ARTICLE],
    [`#/a/${slug}?q=hadopi`, `a/${slug}/?q=hadopi`, `${ARTICLE} mark`],
    [`#/a/${slug}?q=hadopi&p=3`, `a/${slug}/?q=hadopi&p=3`, `${ARTICLE} mark`],
    [`#/a/${slug}?${passage}`, `a/${slug}/?${passage}`, HIGHLIGHT],
  ];
  /** How long the history of a fresh tab is after opening `address`. */
  async function historyAfter(address, expected, shown) {
    const fresh = await page.context().newPage();
    await fresh.goto(new URL(address, LECTEUR_URL).href);
    await waitForAddress(fresh, expected);
    await fresh.locator(shown).first().waitFor();
    assert.equal(await fresh.locator(ERROR).count(), 0, address);
    const length = await fresh.evaluate(() => history.length);
    await fresh.close();
    return length;
  }
  for (const [old, address, shown] of cases) {
    assert.equal(
      await historyAfter(old, address, shown),
      await historyAfter(address, address, shown),
      `${old}: no extra history entry`,
    );
  }
  // Links that lead nowhere still say so.
  await open(page, '#/a/inconnu');
  await waitForAddress(page, 'a/inconnu/');
  await page.locator(ERROR).waitFor();
  assert.equal(addressOf(page), 'a/inconnu/');
},
{ expectedConsoleError: /404/ });
