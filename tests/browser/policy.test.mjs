// The content security policy (issue 15): every page the site serves carries one that allows
// its own inline scripts and styles by their hashes and nothing else inline, and requires
// Trusted Types for script sinks; so an HTML injection is refused by the browser itself. Every
// browser test fails on any refusal of that policy (browser.mjs), on every page and state.

import assert from 'node:assert/strict';
import { ARTICLE, ERROR, LECTEUR_URL, articleSlugs, browserTest, open, waitForEngine } from './browser.mjs';

/** The policy of the page as its `<meta>` states it. */
function policyOf(page) {
  return page.evaluate(
    () => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? '',
  );
}

browserTest(
  'every page carries the policy, and the browser refuses an injection',
  async ({ page }) => {
    const [slug] = await articleSlugs(page);
    for (const [address, shown] of [
      ['', '[data-testid="article-list"]'],
      ['?q=hadopi', '[data-testid="result"]'],
      [`a/${slug}/`, ARTICLE],
      ['a/inconnu/', ERROR],
    ]) {
      await open(page, address);
      await page.locator(shown).first().waitFor();
      const policy = await policyOf(page);
      for (const directive of [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "require-trusted-types-for 'script'",
      ]) {
        assert.ok(policy.includes(directive), `./${address}: ${directive} in ${policy}`);
      }
      assert.ok(!policy.includes('unsafe-inline'), `./${address}: ${policy}`);
      // Markup from a string cannot enter the page, whatever put it there.
      const injected = await page.evaluate(() => {
        try {
          document.body.insertAdjacentHTML('beforeend', '<img src="x" onerror="window.pwned = 1">');
          return 'allowed';
        } catch (error) {
          return error.name;
        }
      });
      assert.equal(injected, 'TypeError', `./${address}: the injection is refused`);
      assert.equal(await page.evaluate(() => window.pwned), undefined);
    }
    // The program runs under it: the engine opens, the service worker registers.
    await open(page);
    await waitForEngine(page);
    assert.equal(await page.locator(ERROR).count(), 0);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    assert.equal(new URL(page.url()).origin, new URL(LECTEUR_URL).origin);
  },
  { expectedViolation: /trusted-types|require-trusted-types-for/, expectedConsoleError: /404|TrustedHTML|Trusted Type/ },
);
