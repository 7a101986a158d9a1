// lunr with lunr-languages' French (stemmer, stop words, trimmer) registered, and how an
// article becomes a lunr document: shared by build.mjs, which builds the index, and the page.

import lunr from 'lunr';
import stemmerSupport from 'lunr-languages/lunr.stemmer.support.js';
import french from 'lunr-languages/lunr.fr.js';

stemmerSupport(lunr);
french(lunr);

export { lunr };

/** How an article's blocks are joined into lunr's `body` field. */
export const BLOCK_SEPARATOR = '\n\n';

/** The index of `articles`, title weighing double, keeping the matched positions. */
export function buildIndex(articles) {
  return lunr(function configure() {
    this.use(lunr.fr);
    this.ref('slug');
    this.field('title', { boost: 2 });
    this.field('body');
    this.metadataWhitelist = ['position'];
    for (const article of articles) {
      this.add({ slug: article.slug, title: article.title, body: article.blocks.join(BLOCK_SEPARATOR) });
    }
  });
}
