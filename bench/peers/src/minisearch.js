// The MiniSearch peer: its index, serialised at build time, and the articles in one JSON file.

import MiniSearch from 'minisearch';

import { MINISEARCH_OPTIONS, processTerm } from './french.js';
import { startSearchPage } from './page.js';
import { matchingWords, parts, snippet } from './snippet.js';

let miniSearch;
let articles;

startSearchPage({
  async load() {
    const data = await (await fetch('index.json')).json();
    articles = new Map(data.articles.map((article) => [article.slug, article]));
    miniSearch = MiniSearch.loadJS(data.index, MINISEARCH_OPTIONS);
  },
  async search(query) {
    return miniSearch.search(query).slice(0, 50).map((result) => {
      const article = articles.get(result.id);
      const terms = new Set(result.terms);
      const matches = (word) => terms.has(processTerm(word));
      return {
        url: `#/a/${article.slug}`,
        title: parts(article.title, matchingWords(article.title, matches)),
        snippet: snippet(article.blocks, article.blocks.map((block) => matchingWords(block, matches))),
      };
    });
  },
});
