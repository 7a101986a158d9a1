// How MiniSearch is set up for French, at indexing (build.mjs) and in the page alike: MiniSearch
// has no stemmer, so a term is lowercased and its accents folded, and the commonest French
// words (and the letters an apostrophe leaves, l' d' qu'…) are dropped; prefix search and typo
// tolerance (its own strengths) stand in for stemming.

const STOP_WORDS = new Set(
  (
    'a au aux avec ce ces c d dans de des du elle en est et eux il ils j je l la le les leur lui ' +
    'm ma mais me meme mes moi mon n ne nos notre nous on ou par pas pour qu que qui s sa se ses ' +
    'son sur t ta te tes toi ton tu un une vos votre vous y ete etre avoir sont ont'
  ).split(' '),
);

export function processTerm(term) {
  const folded = term.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
  return STOP_WORDS.has(folded) ? null : folded;
}

export const MINISEARCH_OPTIONS = {
  idField: 'slug',
  fields: ['title', 'body'],
  processTerm,
  searchOptions: { boost: { title: 2 }, prefix: true, fuzzy: 0.2 },
};
