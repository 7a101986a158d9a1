// Runs Lecteur's relevance table against a peer, lunr with lunr-languages'
// French (stemmer and stop words), on the same articles, and writes where the
// peer's answers differ from what the table expects (Lecteur passes every row:
// `cargo test --test relevance` checks it).
//
// The table is read from tests/relevance.rs itself, so the two never drift
// apart. Queries are given to lunr exactly as typed, like a reader would type
// them into a page using lunr; where lunr's own syntax rejects a query, the
// row counts as "no result" and the error is noted.
//
// Usage: npm ci && npm run compare   (writes RESULTS.md beside this file)

import { createRequire } from 'node:module';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const lunr = require('lunr');
require('lunr-languages/lunr.stemmer.support.js')(lunr);
require('lunr-languages/lunr.fr.js')(lunr);

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

/** The shipped articles: slug, title and body blocks, as the Rust parser reads them. */
function articles() {
  const folder = join(root, 'index', 'articles');
  return readdirSync(folder)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => {
      const text = readFileSync(join(folder, name), 'utf8');
      const [, front, body] = text.split(/^---$/m);
      const field = (key) => front.match(new RegExp(`^${key}: (.*)$`, 'm'))?.[1] ?? '';
      const blocks = body
        .split(/\n\s*\n/)
        .map((block) => block.trim().replace(/^## /, ''))
        .filter(Boolean);
      return { slug: field('slug'), title: field('title'), body: blocks.join('\n\n') };
    });
}

/** Unescapes a Rust string literal's contents. */
function rustString(literal) {
  return literal.replace(/\\u\{([0-9a-fA-F]+)\}|\\(.)/g, (_, hex, c) =>
    hex ? String.fromCodePoint(parseInt(hex, 16)) : { n: '\n', t: '\t' }[c] ?? c,
  );
}

/** The rows of `const TABLE` in tests/relevance.rs, with their slugs resolved. */
function table() {
  const source = readFileSync(join(root, 'tests', 'relevance.rs'), 'utf8');
  const constants = Object.fromEntries(
    [...source.matchAll(/^const (\w+): &str = "([^"]+)";/gm)].map(([, name, value]) => [name, value]),
  );
  const all = [...source.matchAll(/^const ALL: &\[&str\] = &\[([^\]]*)\]/gm)][0][1]
    .split(',')
    .map((name) => constants[name.trim()])
    .filter(Boolean);
  const body = source.slice(source.indexOf('const TABLE'));
  const start = body.indexOf('[', body.indexOf('=')) + 1;
  // Top-level parenthesised rows, skipping strings and comments.
  const rows = [];
  let depth = 0;
  let rowStart = -1;
  for (let i = start; i < body.length; i++) {
    const c = body[i];
    if (c === '"') {
      for (i++; body[i] !== '"'; i++) if (body[i] === '\\') i++;
    } else if (c === '/' && body[i + 1] === '/') {
      i = body.indexOf('\n', i);
    } else if (c === '(') {
      if (depth++ === 0) rowStart = i;
    } else if (c === ')') {
      if (--depth === 0) rows.push(body.slice(rowStart + 1, i));
    } else if (c === ']' && depth === 0) {
      break;
    }
  }
  return rows.map((row) => {
    const strings = [...row.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => rustString(m[1]));
    const [rule, query] = strings;
    let literals = 0;
    const afterQuery = row.replace(/"((?:[^"\\]|\\.)*)"/g, (literal) => (literals++ < 2 ? '' : literal));
    const kind = afterQuery.match(/\b(FirstOf|First|Set|Partial|Nothing|Suggests)\b/)[1];
    const slugs = [...afterQuery.matchAll(/\b(ALL|[A-Z]{3,})\b/g)].flatMap(([name]) =>
      name === 'ALL' ? all : constants[name] ? [constants[name]] : [],
    );
    return { rule, query, kind, slugs, raw: afterQuery.replace(/\s+/g, ' ').trim().replace(/^(,\s*)+/, '').replace(/,\s*$/, '') };
  });
}

/** Does a ranked list of slugs meet the row's expectation (passages aside)? */
function meets(row, found) {
  const same = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  switch (row.kind) {
    case 'First':
      return found[0] === row.slugs[0];
    case 'FirstOf':
      return found[0] === row.slugs[0] && same(found, row.slugs.slice(1));
    case 'Set':
    case 'Partial':
      return same(found, row.slugs);
    default:
      return found.length === 0;
  }
}

const docs = articles();
const index = lunr(function () {
  this.use(lunr.fr);
  this.ref('slug');
  this.field('title', { boost: 2 });
  this.field('body');
  for (const doc of docs) this.add(doc);
});

const short = (slug) => slug.split('-').slice(0, 3).join('-');
const lines = [];
let agree = 0;
const rows = table();
for (const row of rows) {
  let found = [];
  let note = '';
  try {
    found = index.search(row.query).map((hit) => hit.ref);
  } catch (error) {
    note = ` (erreur lunr : ${error.message})`;
  }
  const ok = meets(row, found);
  if (ok) agree++;
  lines.push(
    `| ${ok ? '=' : '≠'} | ${row.rule} | \`${row.query.replace(/\|/g, '\\|')}\` | ${row.raw.replace(/\|/g, '\\|')} | ${found.map(short).join(', ') || '—'}${note} |`,
  );
}

const report = `# lunr (lunr-languages, français) face à la table de pertinence

Produit par \`npm run compare\` dans tests/peers/ ; ne pas modifier à la main.
lunr ${require('lunr/package.json').version}, lunr-languages ${require('lunr-languages/package.json').version}.
Lecteur satisfait toutes les lignes (\`cargo test --test relevance\`) ; les
passages attendus ne sont pas comparés (lunr n'en donne pas).

**lunr est d'accord sur ${agree} requêtes sur ${rows.length}.**

| | règle | requête | Lecteur attend | lunr répond |
|---|---|---|---|---|
${lines.join('\n')}
`;
writeFileSync(join(here, 'RESULTS.md'), report);
console.log(`lunr agrees with the relevance table on ${agree} of ${rows.length} queries; see tests/peers/RESULTS.md`);
