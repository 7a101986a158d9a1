// The lunr peer, with lunr-languages' French: its index,
// serialised at build time with the matched positions kept, and the articles in one JSON file.

import { BLOCK_SEPARATOR, lunr } from './lunr-french.js';
import { startSearchPage } from './page.js';
import { parts, snippet } from './snippet.js';

let index;
let articles;

/** lunr's `[start, length]` positions of each field, for every matched term. */
function positions(result, field) {
  const found = [];
  for (const fields of Object.values(result.matchData.metadata)) {
    for (const [start, length] of fields[field]?.position ?? []) found.push([start, start + length]);
  }
  return found.sort((a, b) => a[0] - b[0]);
}

/** Body positions split into the blocks they fall in, relative to each block. */
function byBlock(blocks, ranges) {
  const result = blocks.map(() => []);
  let offset = 0;
  blocks.forEach((block, i) => {
    for (const [start, end] of ranges) {
      if (start >= offset && end <= offset + block.length) result[i].push([start - offset, end - offset]);
    }
    offset += block.length + BLOCK_SEPARATOR.length;
  });
  return result;
}

startSearchPage({
  async load() {
    const data = await (await fetch('index.json')).json();
    articles = new Map(data.articles.map((article) => [article.slug, article]));
    index = lunr.Index.load(data.index);
  },
  async search(query) {
    let results;
    try {
      results = index.search(query);
    } catch {
      // lunr's own query syntax refuses some input (a lone `:` or `~`): no result.
      results = [];
    }
    return results.slice(0, 50).map((result) => {
      const article = articles.get(result.ref);
      return {
        url: `#/a/${article.slug}`,
        title: parts(article.title, positions(result, 'title')),
        snippet: snippet(article.blocks, byBlock(article.blocks, positions(result, 'body'))),
      };
    });
  },
});
