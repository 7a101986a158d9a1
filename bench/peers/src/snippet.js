// Snippets for the peers that return documents, not passages (MiniSearch and lunr): the block
// with the most matched words, cut to about 180 characters from 50 before its first match at
// word boundaries (what Lecteur's snippets are), as `[{ text, mark }]` parts.

const SNIPPET_CHARS = 180;
const LEAD_CHARS = 50;

/** `ranges`: `[start, end)` UTF-16 offsets in `text`, sorted, not overlapping. */
export function parts(text, ranges) {
  const found = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) found.push({ text: text.slice(at, start), mark: false });
    found.push({ text: text.slice(start, end), mark: true });
    at = end;
  }
  if (at < text.length) found.push({ text: text.slice(at), mark: false });
  return found;
}

/** The `[start, end)` ranges of the words of `text` for which `matches(word)` holds. */
export function matchingWords(text, matches) {
  const ranges = [];
  for (const word of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (matches(word[0])) ranges.push([word.index, word.index + word[0].length]);
  }
  return ranges;
}

/** `rangesByBlock[i]`: the matched ranges of `blocks[i]`. `null` when nothing matched. */
export function snippet(blocks, rangesByBlock) {
  let best = -1;
  for (let i = 0; i < blocks.length; i += 1) {
    if (rangesByBlock[i].length > 0 && (best < 0 || rangesByBlock[i].length > rangesByBlock[best].length)) {
      best = i;
    }
  }
  if (best < 0) return null;
  const text = blocks[best];
  const ranges = rangesByBlock[best];
  if (text.length <= SNIPPET_CHARS) return parts(text, ranges);
  let start = Math.max(0, ranges[0][0] - LEAD_CHARS);
  let end = Math.max(Math.min(text.length, start + SNIPPET_CHARS), ranges[0][1]);
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  if (end < text.length) end = Math.max(ranges[0][1], text.lastIndexOf(' ', end));
  const inside = ranges
    .filter(([s, e]) => s >= start && e <= end)
    .map(([s, e]) => [s - start, e - start]);
  const cut = parts(text.slice(start, end), inside);
  if (start > 0) cut.unshift({ text: '…', mark: false });
  if (end < text.length) cut.push({ text: '…', mark: false });
  return cut;
}
