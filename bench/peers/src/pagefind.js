// The Pagefind peer: its own index and excerpts, loaded through the `pagefind.js` its
// indexer writes next to the index.

import { startSearchPage } from './page.js';

let pagefind;

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };

/** Pagefind's excerpt (escaped text with `<mark>`s) as text parts, without parsing HTML. */
function excerptParts(excerpt) {
  const decode = (text) => text.replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, (entity) => ENTITIES[entity]);
  return excerpt
    .split(/<\/?mark>/)
    .map((text, i) => ({ text: decode(text), mark: i % 2 === 1 }))
    .filter((part) => part.text !== '');
}

startSearchPage({
  async load() {
    // A computed address, so that the bundler leaves the import to the browser.
    const address = new URL('pagefind/pagefind.js', document.baseURI).href;
    pagefind = await import(address);
    await pagefind.options({ excerptLength: 30 });
    await pagefind.init();
  },
  async search(query) {
    const search = await pagefind.search(query);
    // The first page of results, as Lecteur shows (RESULTS_PAGE): Pagefind fetches each
    // result's fragment, so more would weigh on a large archive's figures alone.
    const found = await Promise.all(search.results.slice(0, 10).map((result) => result.data()));
    return found.map((data) => ({
      url: data.url,
      title: [{ text: data.meta.title, mark: false }],
      snippet: excerptParts(data.excerpt),
    }));
  },
});
