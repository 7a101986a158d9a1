//! Text-quote anchors: a passage of an article that a link can point at, and
//! find again after the article changed.
//!
//! An [`Anchor`] holds the exact text of the passage, a little context before
//! and after it, and a position hint (the block where it started and the offset
//! there, in UTF-16 code units as the DOM counts them). The text it is matched
//! against is the article's blocks joined by `\n` ([`ArticleText`]), so that a
//! passage may span paragraphs.
//!
//! ## In a link
//!
//! Each passage is one `s=` parameter of an article link (`./a/SLUG/?s=…`);
//! several `s=` parameters make a link to several passages (at most
//! [`MAX_PASSAGES`]). One passage is four fields separated by commas:
//!
//! | field      | form                                | example        |
//! |------------|-------------------------------------|----------------|
//! | position   | `BLOCK.OFFSET` (decimal, from 0)    | `4.17`         |
//! | prefix     | percent-encoded UTF-8, may be empty | `la%20loi%20`  |
//! | exact      | percent-encoded UTF-8, not empty    | `Hadopi`       |
//! | suffix     | percent-encoded UTF-8, may be empty | `%20a%20%C3%A9t%C3%A9` |
//!
//! e.g. `s=4.17,la%20loi%20,Hadopi,%20a%20%C3%A9t%C3%A9`. The percent-encoding is
//! `encodeURIComponent`'s, which always escapes `,`, `&` and `#`, so the fields
//! never collide with the separators. OFFSET counts UTF-16 code units in block
//! BLOCK. The exact text is at most [`MAX_EXACT_CHARS`] characters, each context
//! at most [`MAX_CONTEXT_CHARS`].
//!
//! ## Finding a passage again
//!
//! [`ArticleText::locate`] tries, in order: the position hint (the exact text
//! is still there); the exact text anywhere, the occurrence whose surroundings
//! best agree with the context winning; then an approximate match word by word,
//! which survives a changed word or a paragraph split in two. Otherwise the
//! passage is reported as not found.
//!
//! ## Text fragments: the passage before the program runs
//!
//! A shared link also carries a standard text fragment directive
//! (`#:~:text=PREFIX-,START,END,-SUFFIX`, [`ArticleText::text_directive`]):
//! browsers that know it scroll to the passage and highlight it in the page as
//! the server sent it, before the reader's program arrives; the program then
//! marks the passage itself from the `s=` anchor, which survives edits. The
//! browser matches a directive only at word boundaries and against the text as
//! shown, so the directive covers whole words and uses the French spacing below.
//!
//! ## French spacing on display
//!
//! [`french_spacing`] shows the spaces the text has before `; : ! ?` and `»`
//! and after `«` as thin no-break spaces (U+202F). Each replaced space is one
//! UTF-16 code unit, as is its replacement, so the offsets a selection gives in
//! the page are still offsets of the stored text, which is never altered.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;

use crate::percent;

/// At most this many passages in one link.
pub const MAX_PASSAGES: usize = 8;
/// At most this many characters in a passage's exact text.
pub const MAX_EXACT_CHARS: usize = 2000;
/// At most this many characters of context on each side.
pub const MAX_CONTEXT_CHARS: usize = 64;
/// How many characters of context a new anchor keeps on each side.
pub const CONTEXT_CHARS: usize = 32;

/// A point in an article: a block (from 0) and an offset in UTF-16 code units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub block: usize,
    pub utf16_offset: usize,
}

/// A passage, as a quote with its context and where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub prefix: String,
    pub exact: String,
    pub suffix: String,
    pub hint: Position,
}

/// Why a link's passage could not be read, in words for the reader.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnchorError {
    #[error(
        "le passage n° {0} du lien est incomplet (il faut quatre champs séparés par des virgules)"
    )]
    MissingField(usize),
    #[error("la position du passage n° {0} du lien est illisible")]
    BadPosition(usize),
    #[error("le texte du passage n° {0} du lien est mal encodé")]
    BadEncoding(usize),
    #[error("le passage n° {0} du lien est vide")]
    EmptyQuote(usize),
    #[error("le passage n° {0} du lien est trop long")]
    TooLong(usize),
    #[error("le lien désigne plus de {MAX_PASSAGES} passages")]
    TooMany,
    #[error("la sélection est vide ou hors de l’article")]
    BadSelection,
}

/// How a passage was found again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Landing {
    /// Where the position hint said.
    Hint,
    /// Elsewhere, the exact text, chosen by its context.
    Exact,
    /// Words mostly the same: the article changed since the link was made.
    Approximate,
}

/// Where a passage lies now, as a byte range of the [`ArticleText`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub range: Range<usize>,
    pub landing: Landing,
}

impl Anchor {
    /// The `s=` value of this passage (without `s=`).
    pub fn encode(&self) -> String {
        format!(
            "{}.{},{},{},{}",
            self.hint.block,
            self.hint.utf16_offset,
            percent::encode(&self.prefix),
            percent::encode(&self.exact),
            percent::encode(&self.suffix)
        )
    }

    /// Reads one `s=` value; `number` (from 1) names the passage in errors.
    pub fn decode(value: &str, number: usize) -> Result<Anchor, AnchorError> {
        let fields: Vec<&str> = value.split(',').collect();
        let [position, prefix, exact, suffix] = fields[..] else {
            return Err(AnchorError::MissingField(number));
        };
        let (block, offset) = position
            .split_once('.')
            .ok_or(AnchorError::BadPosition(number))?;
        let parse = |digits: &str| {
            if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
                return Err(AnchorError::BadPosition(number));
            }
            digits
                .parse::<usize>()
                .map_err(|_| AnchorError::BadPosition(number))
        };
        let hint = Position {
            block: parse(block)?,
            utf16_offset: parse(offset)?,
        };
        let text = |field: &str, limit: usize| {
            let text = percent::decode(field).map_err(|_| AnchorError::BadEncoding(number))?;
            if text.chars().count() > limit {
                return Err(AnchorError::TooLong(number));
            }
            Ok(text)
        };
        let exact = text(exact, MAX_EXACT_CHARS)?;
        if exact.trim().is_empty() {
            return Err(AnchorError::EmptyQuote(number));
        }
        Ok(Anchor {
            prefix: text(prefix, MAX_CONTEXT_CHARS)?,
            exact,
            suffix: text(suffix, MAX_CONTEXT_CHARS)?,
            hint,
        })
    }

    /// The exact text shortened for a message, whole words, with an ellipsis.
    pub fn quote(&self, max_chars: usize) -> String {
        crate::article::shorten(self.exact.trim(), max_chars)
    }
}

/// The byte offset in `text` of `units` UTF-16 code units; `None` past the end
/// or inside a character (between the halves of a surrogate pair).
pub fn utf16_to_byte(text: &str, units: usize) -> Option<usize> {
    let mut counted = 0;
    for (byte, character) in text.char_indices() {
        if counted == units {
            return Some(byte);
        }
        if counted > units {
            return None;
        }
        counted += character.len_utf16();
    }
    (counted == units).then_some(text.len())
}

/// The UTF-16 offset of byte `byte` of `text`; `None` when it is not a
/// character boundary of `text`.
pub fn byte_to_utf16(text: &str, byte: usize) -> Option<usize> {
    text.is_char_boundary(byte)
        .then(|| text[..byte].chars().map(char::len_utf16).sum())
}

/// An article's blocks as one text, joined by `\n`, that anchors are made from
/// and found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleText {
    text: String,
    starts: Vec<usize>,
}

impl ArticleText {
    pub fn new<'a>(blocks: impl IntoIterator<Item = &'a str>) -> ArticleText {
        let mut text = String::new();
        let mut starts = Vec::new();
        for (index, block) in blocks.into_iter().enumerate() {
            if index > 0 {
                text.push('\n');
            }
            starts.push(text.len());
            text.push_str(block);
        }
        ArticleText { text, starts }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The text of block `index`.
    pub fn block(&self, index: usize) -> Option<&str> {
        let start = *self.starts.get(index)?;
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.text.len(), |next| next - 1);
        Some(&self.text[start..end])
    }

    /// The byte offset of a DOM position in the joined text.
    pub fn byte_of(&self, position: Position) -> Option<usize> {
        let block = self.block(position.block)?;
        Some(self.starts[position.block] + utf16_to_byte(block, position.utf16_offset)?)
    }

    /// The DOM position of a byte offset of the joined text.
    pub fn position_of(&self, byte: usize) -> Option<Position> {
        let block = self
            .starts
            .partition_point(|&start| start <= byte)
            .checked_sub(1)?;
        let local = byte - self.starts[block];
        Some(Position {
            block,
            utf16_offset: byte_to_utf16(self.block(block)?, local)?,
        })
    }

    /// The anchor of the text between two DOM positions (in either order),
    /// without the whitespace at its ends.
    pub fn anchor(&self, from: Position, to: Position) -> Result<Anchor, AnchorError> {
        let a = self.byte_of(from).ok_or(AnchorError::BadSelection)?;
        let b = self.byte_of(to).ok_or(AnchorError::BadSelection)?;
        let (start, end) = (a.min(b), a.max(b));
        let selected = &self.text[start..end];
        let start = start + (selected.len() - selected.trim_start().len());
        let end = end - (selected.len() - selected.trim_end().len());
        if start >= end {
            return Err(AnchorError::BadSelection);
        }
        let exact: String = self.text[start..end]
            .chars()
            .take(MAX_EXACT_CHARS)
            .collect();
        let end = start + exact.len();
        let before = &self.text[..start];
        let prefix_start = before
            .char_indices()
            .rev()
            .nth(CONTEXT_CHARS - 1)
            .map_or(0, |(at, _)| at);
        let suffix: String = self.text[end..].chars().take(CONTEXT_CHARS).collect();
        Ok(Anchor {
            prefix: before[prefix_start..].to_string(),
            exact,
            suffix,
            hint: self.position_of(start).ok_or(AnchorError::BadSelection)?,
        })
    }

    /// Splits a byte range of the joined text into ranges local to each block
    /// it touches, as `(block, range)`, leaving out empty pieces.
    pub fn per_block(&self, range: Range<usize>) -> Vec<(usize, Range<usize>)> {
        (0..self.starts.len())
            .filter_map(|index| {
                let start = self.starts[index];
                let end = start + self.block(index)?.len();
                let from = range.start.max(start);
                let to = range.end.min(end);
                (from < to).then(|| (index, from - start..to - start))
            })
            .collect()
    }

    /// Finds a passage again: by its hint, by its exact text and context, then
    /// approximately; `None` when none of these finds it within [`WORK_PER_LINK`].
    pub fn locate(&self, anchor: &Anchor) -> Option<Located> {
        self.locate_within(anchor, &TextWords::of(&self.text), &mut Work::per_link())
    }

    fn locate_within(
        &self,
        anchor: &Anchor,
        words: &TextWords,
        work: &mut Work,
    ) -> Option<Located> {
        let exact = anchor.exact.as_str();
        if exact.is_empty() {
            return None;
        }
        let hint = self.byte_of(anchor.hint);
        if let Some(at) = hint
            && self.text[at..].starts_with(exact)
        {
            return Some(Located {
                range: at..at + exact.len(),
                landing: Landing::Hint,
            });
        }
        let hint_byte = hint.unwrap_or_else(|| {
            self.starts
                .get(anchor.hint.block)
                .copied()
                .unwrap_or(self.text.len())
        });
        // Linear in the text (the standard library's two-way search); occurrences that
        // overlap an earlier one are skipped, which only matters in a text that repeats
        // itself, where the hint above is what finds a passage.
        let best_exact = self
            .text
            .match_indices(exact)
            .map(|(at, _)| at)
            .max_by_key(|&at| {
                (
                    self.context_agreement(anchor, at..at + exact.len()),
                    std::cmp::Reverse(at.abs_diff(hint_byte)),
                )
            });
        if let Some(at) = best_exact {
            return Some(Located {
                range: at..at + exact.len(),
                landing: Landing::Exact,
            });
        }
        self.approximate(anchor, hint_byte, words, work)
            .map(|range| Located {
                range,
                landing: Landing::Approximate,
            })
    }

    /// How many characters of context agree around `range`.
    fn context_agreement(&self, anchor: &Anchor, range: Range<usize>) -> usize {
        let before = self.text[..range.start]
            .chars()
            .rev()
            .zip(anchor.prefix.chars().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let after = self.text[range.end..]
            .chars()
            .zip(anchor.suffix.chars())
            .take_while(|(a, b)| a == b)
            .count();
        before + after
    }

    /// The run of words most like the quote's, if at least [`APPROXIMATE_THRESHOLD`]
    /// alike (word for word, in order). A quote of more than [`WINDOW_WORDS`] words is
    /// found by its first and its last [`WINDOW_WORDS`] words, in order and about as far
    /// apart as in the quote.
    fn approximate(
        &self,
        anchor: &Anchor,
        hint_byte: usize,
        words: &TextWords,
        work: &mut Work,
    ) -> Option<Range<usize>> {
        let wanted: Vec<u64> = anchor.exact.split_whitespace().map(word_hash).collect();
        let n = wanted.len();
        if n < 2 {
            return None;
        }
        if n <= WINDOW_WORDS {
            let found = self.best_window(anchor, &wanted, words, 0, hint_byte, work)?;
            return Some(words.ranges[found.start].start..words.ranges[found.end - 1].end);
        }
        let head = self.best_window(anchor, &wanted[..WINDOW_WORDS], words, 0, hint_byte, work)?;
        let expected = head.start + n - WINDOW_WORDS;
        let near = words
            .ranges
            .get(expected)
            .map_or(self.text.len(), |range| range.start);
        let tail_words = &wanted[n - WINDOW_WORDS..];
        let tail = self.best_window(anchor, tail_words, words, head.start + 1, near, work)?;
        let span = tail.end.checked_sub(head.start)?;
        let alike = 2.0 * span.min(n) as f64 / (span + n) as f64;
        (alike >= APPROXIMATE_THRESHOLD)
            .then(|| words.ranges[head.start].start..words.ranges[tail.end - 1].end)
    }

    /// The window of the text's words (from word `from` on) most like `wanted` (at most
    /// 64 words), as a range of word indices: the most alike, then the one whose
    /// surroundings agree with the context, then the nearest to `near`.
    ///
    /// Only windows that start with a word of the quote and hold enough of its words
    /// are compared, each by a bit-parallel longest common subsequence (one machine
    /// word per step, every width at once): hand-written because it is the
    /// twenty lines that make a shared link's cost linear in the article.
    fn best_window(
        &self,
        anchor: &Anchor,
        wanted: &[u64],
        words: &TextWords,
        from: usize,
        near: usize,
        work: &mut Work,
    ) -> Option<Range<usize>> {
        let n = wanted.len();
        debug_assert!((1..=WINDOW_WORDS).contains(&n));
        // For each word of the text, the positions of the quote that hold it.
        let mut positions: HashMap<u64, u64> = HashMap::with_capacity(n);
        for (index, &hash) in wanted.iter().enumerate() {
            *positions.entry(hash).or_default() |= 1 << index;
        }
        let count = words.hashes.len();
        work.spend(count)?;
        let masks: Vec<u64> = words
            .hashes
            .iter()
            .map(|hash| positions.get(hash).copied().unwrap_or(0))
            .collect();
        // How many words of the quote the text holds before each word, to pass over the
        // windows that cannot hold enough of them.
        let mut held = Vec::with_capacity(count + 1);
        held.push(0usize);
        for mask in &masks {
            held.push(held.last().copied().unwrap_or(0) + usize::from(*mask != 0));
        }
        let (narrowest, widest) = (n.saturating_sub(2).max(1), n + 2);
        let all = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
        let needed = (APPROXIMATE_THRESHOLD * (n + narrowest) as f64 / 2.0).ceil() as usize;
        let mut best: Option<(f64, usize, usize, Range<usize>)> = None;
        for first in from..count {
            let end = (first + widest).min(count);
            if masks[first] == 0 || held[end] - held[first] < needed {
                continue;
            }
            work.spend(end - first)?;
            let mut row = u64::MAX;
            for (offset, &mask) in masks[first..end].iter().enumerate() {
                let matched = row & mask;
                row = row.wrapping_add(matched) | (row & !matched);
                let width = offset + 1;
                if width < narrowest {
                    continue;
                }
                let common = (!row & all).count_ones() as usize;
                let similarity = 2.0 * common as f64 / (n + width) as f64;
                if similarity < APPROXIMATE_THRESHOLD {
                    continue;
                }
                let range = words.ranges[first].start..words.ranges[first + offset].end;
                let context = self.context_agreement(anchor, range);
                let distance = words.ranges[first].start.abs_diff(near);
                let better = match &best {
                    None => true,
                    Some((s, c, d, _)) => {
                        similarity > *s
                            || (similarity == *s
                                && (context > *c || (context == *c && distance < *d)))
                    }
                };
                if better {
                    best = Some((similarity, context, distance, first..first + width));
                }
            }
        }
        best.map(|(_, _, _, window)| window)
    }
}

/// The whitespace-separated words of a text, with a hash of each, found once per
/// article for all the passages of a link.
struct TextWords {
    ranges: Vec<Range<usize>>,
    hashes: Vec<u64>,
}

impl TextWords {
    fn of(text: &str) -> TextWords {
        let ranges = words(text);
        let hashes = ranges
            .iter()
            .map(|range| word_hash(&text[range.clone()]))
            .collect();
        TextWords { ranges, hashes }
    }
}

/// Words are compared by a 64-bit hash: two different words of one article colliding is
/// as likely as a stray bit flip.
fn word_hash(word: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    word.hash(&mut hasher);
    hasher.finish()
}

/// The work left to find a link's passages, in words compared.
struct Work(usize);

impl Work {
    fn per_link() -> Work {
        Work(WORK_PER_LINK)
    }

    /// Takes `amount` from what is left, or `None` (the passage is then not found) when
    /// it would run out.
    fn spend(&mut self, amount: usize) -> Option<()> {
        self.0 = self.0.checked_sub(amount)?;
        Some(())
    }
}

/// What a link's passages mark in an article: byte ranges per block (sorted,
/// merged), the passages found only approximately, and those not found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marking {
    pub per_block: Vec<Vec<Range<usize>>>,
    pub approximate: Vec<Anchor>,
    pub missing: Vec<Anchor>,
}

impl ArticleText {
    /// Finds every passage and collects the marks they make, block by block.
    pub fn mark(&self, anchors: &[Anchor]) -> Marking {
        let mut marking = Marking {
            per_block: vec![Vec::new(); self.starts.len()],
            ..Marking::default()
        };
        let words = TextWords::of(&self.text);
        let mut work = Work::per_link();
        for anchor in anchors {
            let Some(found) = self.locate_within(anchor, &words, &mut work) else {
                marking.missing.push(anchor.clone());
                continue;
            };
            if found.landing == Landing::Approximate {
                marking.approximate.push(anchor.clone());
            }
            for (block, range) in self.per_block(found.range) {
                marking.per_block[block].push(range);
            }
        }
        for ranges in &mut marking.per_block {
            ranges.sort_by_key(|range| range.start);
            let mut merged: Vec<Range<usize>> = Vec::new();
            for range in ranges.drain(..) {
                match merged.last_mut() {
                    Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
                    _ => merged.push(range),
                }
            }
            *ranges = merged;
        }
        marking
    }
}

/// The thin no-break space of French typography.
pub const THIN_NO_BREAK_SPACE: char = '\u{202F}';

/// `text[range]` for display, with the spaces of `text` before `; : ! ? »` and
/// after `«` (plain or no-break) shown as thin no-break spaces. Reads `text`
/// around `range` so that a piece cut at such a space is shown alike.
pub fn french_spacing(text: &str, range: Range<usize>) -> String {
    let is_space = |character: char| character == ' ' || character == '\u{a0}';
    let mut shown = String::with_capacity(range.len() + 8);
    for (at, character) in text[range.clone()].char_indices() {
        let at = range.start + at;
        let next = text[at + character.len_utf8()..].chars().next();
        let previous = text[..at].chars().next_back();
        let thin = is_space(character)
            && (matches!(next, Some(';' | ':' | '!' | '?' | '»')) || previous == Some('«'));
        shown.push(if thin { THIN_NO_BREAK_SPACE } else { character });
    }
    shown
}

/// Words a text directive quotes at each end of a long passage, and of context.
const DIRECTIVE_WORDS: usize = 4;

impl ArticleText {
    /// The value of a text fragment directive (what follows `#:~:text=`) that
    /// points a browser at `range` of this text: the passage widened to whole
    /// words, as shown (French spacing), with up to [`DIRECTIVE_WORDS`] words of
    /// context on each side within its blocks; a passage longer than twice that,
    /// or spanning blocks, is quoted by its first and last words.
    pub fn text_directive(&self, range: Range<usize>) -> Option<String> {
        let selected = self.text.get(range.clone())?;
        let range = range.start + (selected.len() - selected.trim_start().len())
            ..range.end - (selected.len() - selected.trim_end().len());
        let first = self.per_block(range.clone()).first()?.0;
        let last = self.per_block(range.clone()).last()?.0;
        let (first_text, last_text) = (self.block(first)?, self.block(last)?);
        let local_start = range.start.max(self.starts[first]) - self.starts[first];
        let local_end = range.end.min(self.starts[last] + last_text.len()) - self.starts[last];
        // Whole words: out to the whitespace (or the block's edge) on each side.
        let start = first_text[..local_start]
            .rfind(char::is_whitespace)
            .map_or(0, |at| {
                at + first_text[at..].chars().next().map_or(1, char::len_utf8)
            });
        let end = last_text[local_end..]
            .find(char::is_whitespace)
            .map_or(last_text.len(), |at| local_end + at);
        // As the page shows it, spaces collapsed as a browser renders them; the other
        // spaces (no-break, thin) stay inside the words they join.
        let shown = |text: &str, range: Range<usize>| -> String {
            french_spacing(text, range)
                .split(|c: char| c.is_ascii_whitespace())
                .filter(|word| !word.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
                .trim_matches(char::is_whitespace)
                .to_string()
        };
        let words_of = |text: &str, range: Range<usize>| -> Vec<String> {
            shown(text, range).split(' ').map(str::to_string).collect()
        };
        let mut parts = Vec::new();
        let before = words_of(first_text, 0..start);
        let before = &before[before.len().saturating_sub(DIRECTIVE_WORDS)..];
        if !before.concat().is_empty() {
            parts.push(format!(
                "{}-",
                percent::encode_text_directive(&before.join(" "))
            ));
        }
        if first == last && words_of(first_text, start..end).len() <= 2 * DIRECTIVE_WORDS {
            parts.push(percent::encode_text_directive(&shown(
                first_text,
                start..end,
            )));
        } else {
            let head = words_of(first_text, start..first_text.len());
            let tail = words_of(last_text, 0..end);
            let head = &head[..head.len().min(DIRECTIVE_WORDS)];
            let tail = &tail[tail.len().saturating_sub(DIRECTIVE_WORDS)..];
            parts.push(percent::encode_text_directive(&head.join(" ")));
            parts.push(percent::encode_text_directive(&tail.join(" ")));
        }
        let after = words_of(last_text, end..last_text.len());
        let after = &after[..after.len().min(DIRECTIVE_WORDS)];
        if !after.concat().is_empty() {
            parts.push(format!(
                "-{}",
                percent::encode_text_directive(&after.join(" "))
            ));
        }
        Some(parts.join(","))
    }
}

/// How alike the words of an approximate match must be (Dice coefficient).
pub const APPROXIMATE_THRESHOLD: f64 = 0.75;
/// The approximate match compares runs of at most this many words: a longer quote by
/// its first and its last ones.
const WINDOW_WORDS: usize = 64;
/// What finding a link's passages may cost, in words compared: a few milliseconds
/// natively, for any article and link. Past it, the passages left are not found, and
/// the page says so as for any passage it cannot find.
pub const WORK_PER_LINK: usize = 8_000_000;

/// The byte ranges of the whitespace-separated words of `text`.
fn words(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = None;
    for (at, character) in text.char_indices() {
        match (character.is_whitespace(), start) {
            (true, Some(from)) => {
                ranges.push(from..at);
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    if let Some(from) = start {
        ranges.push(from..text.len());
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seeded random choices (fastrand's generator), so that a failure replays.
    struct Generator(fastrand::Rng);

    impl Generator {
        fn seeded(seed: u64) -> Generator {
            Generator(fastrand::Rng::with_seed(seed))
        }

        fn below(&mut self, bound: usize) -> usize {
            self.0.usize(..bound)
        }

        /// Text mixing what breaks codecs: combining accents, emoji, no-break
        /// spaces, separators and escapes of the link itself, newlines.
        fn text(&mut self, max_chars: usize) -> String {
            const PIECES: &[&str] = &[
                "a",
                "é",
                "e\u{301}",
                "😀",
                "👩‍👩‍👧",
                "\u{a0}",
                "\u{202f}",
                ",",
                ".",
                "%",
                "%2C",
                "&",
                "+",
                " ",
                "\n",
                "#",
                "«",
                "»",
                "~",
                "=",
                "?",
                "s=",
                "ß",
                "中",
                "\u{1F1EB}\u{1F1F7}",
                "mot",
                "\u{0}",
                "\\",
            ];
            let count = self.below(max_chars + 1);
            (0..count)
                .map(|_| PIECES[self.below(PIECES.len())])
                .collect()
        }
    }

    fn anchor(prefix: &str, exact: &str, suffix: &str, block: usize, offset: usize) -> Anchor {
        Anchor {
            prefix: prefix.into(),
            exact: exact.into(),
            suffix: suffix.into(),
            hint: Position {
                block,
                utf16_offset: offset,
            },
        }
    }

    #[test]
    fn anchors_round_trip_over_arbitrary_unicode() {
        let mut generator = Generator::seeded(0x5eed_1234_abcd_0001);
        for _ in 0..2000 {
            let mut exact = generator.text(40);
            if exact.trim().is_empty() {
                exact.push('x');
            }
            let original = anchor(
                &generator.text(MAX_CONTEXT_CHARS / 4),
                &exact,
                &generator.text(MAX_CONTEXT_CHARS / 4),
                generator.below(1000),
                generator.below(100_000),
            );
            let encoded = original.encode();
            assert!(
                encoded
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.!~*'()%,".contains(&b)),
                "URL-safe: {encoded}"
            );
            assert_eq!(Anchor::decode(&encoded, 1), Ok(original.clone()));
            let link = format!("#/a/x?q=y&s={encoded}&s={encoded}&p=2");
            let Ok(crate::Route::Article { shared, .. }) = crate::Route::from_hash(&link) else {
                panic!("{link}")
            };
            assert_eq!(
                shared,
                crate::route::SharedPassages::Passages(vec![original.clone(), original])
            );
        }
    }

    #[test]
    fn utf8_and_utf16_offsets_agree() {
        let mut generator = Generator::seeded(42);
        for _ in 0..500 {
            let text = generator.text(30);
            let units: Vec<u16> = text.encode_utf16().collect();
            let mut boundaries = 0;
            for unit in 0..=units.len() {
                match utf16_to_byte(&text, unit) {
                    Some(byte) => {
                        boundaries += 1;
                        assert_eq!(byte_to_utf16(&text, byte), Some(unit));
                        // The same prefix, counted either way.
                        assert_eq!(String::from_utf16(&units[..unit]).unwrap(), text[..byte]);
                    }
                    None => assert!(
                        String::from_utf16(&units[..unit]).is_err(),
                        "{text:?} {unit}"
                    ),
                }
            }
            assert_eq!(boundaries, text.chars().count() + 1);
            assert_eq!(utf16_to_byte(&text, units.len() + 1), None);
        }
        assert_eq!(byte_to_utf16("é😀", 1), None);
        assert_eq!(byte_to_utf16("é😀", 2), Some(1));
        assert_eq!(byte_to_utf16("é😀", 6), Some(3));
        assert_eq!(utf16_to_byte("é😀", 2), None);
    }

    const BLOCKS: &[&str] = &[
        "Popcorn Time : le retour",
        "Le logiciel Popcorn Time permet de regarder des films. Il a été fermé en mars.",
        "Popcorn Time revient, dit-on, « plus fort » que jamais 😀 ! Le logiciel est libre.",
    ];

    fn text_of(blocks: &[&str]) -> ArticleText {
        ArticleText::new(blocks.iter().copied())
    }

    /// The anchor of the first occurrence of `quote` in block `block`.
    fn anchor_of(text: &ArticleText, block: usize, quote: &str) -> Anchor {
        let local = text.block(block).unwrap().find(quote).unwrap();
        let start = text.starts[block] + local;
        let from = text.position_of(start).unwrap();
        let to = text.position_of(start + quote.len()).unwrap();
        text.anchor(from, to).unwrap()
    }

    #[test]
    fn an_anchor_finds_its_passage_where_it_was() {
        let text = text_of(BLOCKS);
        let anchor = anchor_of(&text, 2, "« plus fort » que jamais 😀 !");
        assert_eq!(anchor.hint.block, 2);
        let found = text.locate(&anchor).unwrap();
        assert_eq!(found.landing, Landing::Hint);
        assert_eq!(&text.as_str()[found.range], "« plus fort » que jamais 😀 !");
    }

    #[test]
    fn context_tells_repeated_quotes_apart() {
        let text = text_of(BLOCKS);
        let mut anchor = anchor_of(&text, 2, "Le logiciel");
        anchor.hint = Position {
            block: 0,
            utf16_offset: 0,
        };
        let found = text.locate(&anchor).unwrap();
        assert_eq!(found.landing, Landing::Exact);
        assert_eq!(text.per_block(found.range)[0].0, 2);
    }

    #[test]
    fn a_passage_spanning_paragraphs_is_marked_in_each() {
        let text = text_of(BLOCKS);
        let start = text.as_str().find("fermé").unwrap();
        let end = text.as_str().find("dit-on").unwrap();
        let anchor = text
            .anchor(
                text.position_of(start).unwrap(),
                text.position_of(end).unwrap(),
            )
            .unwrap();
        let found = text.locate(&anchor).unwrap();
        let pieces: Vec<(usize, &str)> = text
            .per_block(found.range)
            .into_iter()
            .map(|(block, range)| (block, &BLOCKS[block][range]))
            .collect();
        assert_eq!(
            pieces,
            vec![(1, "fermé en mars."), (2, "Popcorn Time revient,")]
        );
    }

    #[test]
    fn links_still_land_after_edits() {
        let before = text_of(BLOCKS);
        let anchor = anchor_of(
            &before,
            1,
            "permet de regarder des films. Il a été fermé en mars.",
        );
        let edits: &[(&[&str], &str)] = &[
            // A block inserted above: the hint is off, the exact text is not.
            (
                &[BLOCKS[0], "Un chapeau.", BLOCKS[1], BLOCKS[2]],
                "permet de regarder des films. Il a été fermé en mars.",
            ),
            // A changed word.
            (
                &[
                    BLOCKS[0],
                    "Le logiciel Popcorn Time permet de regarder des séries. Il a été fermé en mars.",
                    BLOCKS[2],
                ],
                "permet de regarder des séries. Il a été fermé en mars.",
            ),
            // The paragraph split in two.
            (
                &[
                    BLOCKS[0],
                    "Le logiciel Popcorn Time permet de regarder des films.",
                    "Il a été fermé en mars.",
                    BLOCKS[2],
                ],
                "permet de regarder des films.\nIl a été fermé en mars.",
            ),
            // A word added.
            (
                &[
                    BLOCKS[0],
                    "Le logiciel Popcorn Time permet de regarder des films gratuitement. Il a été fermé en mars.",
                    BLOCKS[2],
                ],
                "permet de regarder des films gratuitement. Il a été fermé en mars.",
            ),
        ];
        for (blocks, expected) in edits {
            let after = text_of(blocks);
            let found = after
                .locate(&anchor)
                .unwrap_or_else(|| panic!("{blocks:?}"));
            assert_eq!(&after.as_str()[found.range], *expected, "{blocks:?}");
        }
        let rewritten = text_of(&[BLOCKS[0], "Tout autre chose, vraiment, ici.", BLOCKS[2]]);
        assert_eq!(rewritten.locate(&anchor), None);
    }

    #[test]
    fn a_long_passage_edited_is_found_whole_by_its_ends() {
        let sentence = "Le logiciel permet de regarder des films sans les télécharger.";
        let long: String = (0..12).map(|i| format!("{sentence} ({i}) ")).collect();
        let before = text_of(&["Un chapeau.", long.trim_end(), "Une fin."]);
        let anchor = anchor_of(&before, 1, long.trim_end());
        assert!(anchor.exact.split_whitespace().count() > 2 * WINDOW_WORDS);
        let edited = long.replace("(5)", "(cinq)").replace("(6)", "");
        let after = text_of(&[
            "Un autre chapeau, plus long.",
            edited.trim_end(),
            "Une fin.",
        ]);
        let found = after.locate(&anchor).unwrap();
        assert_eq!(found.landing, Landing::Approximate);
        assert_eq!(&after.as_str()[found.range], edited.trim_end());
    }

    #[test]
    fn finding_a_link_s_passages_has_a_bounded_cost() {
        // A text that repeats the quote's words: every window is a candidate.
        let text = text_of(&[&"ab ".repeat(200_000)]);
        let quote = format!("{}zz", "ab ".repeat(60));
        let near = anchor("", &quote, "", 0, 1);
        let marking = text.mark(&vec![near; MAX_PASSAGES]);
        // Past the work a link may cost, the passages left are reported, not searched.
        assert!(!marking.missing.is_empty());
        let small = text_of(&[&"ab ".repeat(1_000)]);
        let found = small.locate(&anchor("", &quote, "", 0, 1)).unwrap();
        assert_eq!(found.landing, Landing::Approximate);
    }

    #[test]
    fn several_passages_mark_merged_ranges_and_report_the_missing() {
        let text = text_of(BLOCKS);
        let first = anchor_of(&text, 1, "Popcorn Time permet");
        let overlapping = anchor_of(&text, 1, "permet de regarder");
        let missing = anchor("", "introuvable ici, vraiment pas", "", 0, 0);
        let marking = text.mark(&[first, overlapping, missing.clone()]);
        let marked: Vec<&str> = marking.per_block[1]
            .iter()
            .map(|range| &BLOCKS[1][range.clone()])
            .collect();
        assert_eq!(marked, ["Popcorn Time permet de regarder"]);
        assert!(marking.per_block[0].is_empty() && marking.per_block[2].is_empty());
        assert_eq!(marking.missing, [missing]);
        assert!(marking.approximate.is_empty());
    }

    #[test]
    fn french_spacing_is_display_only_and_keeps_utf16_offsets() {
        let text = "Il dit : « non ! » Vraiment ? Oui ; 10:30\u{a0}!";
        let shown = french_spacing(text, 0..text.len());
        assert_eq!(
            shown,
            "Il dit\u{202f}: «\u{202f}non\u{202f}!\u{202f}» Vraiment\u{202f}? Oui\u{202f}; 10:30\u{202f}!"
        );
        let mut generator = Generator::seeded(99);
        for _ in 0..500 {
            let text = generator.text(30);
            let shown = french_spacing(&text, 0..text.len());
            assert_eq!(shown.encode_utf16().count(), text.encode_utf16().count());
            // Cut anywhere, the pieces show as the whole does.
            let cut =
                utf16_to_byte(&text, generator.below(text.encode_utf16().count() + 1)).unwrap_or(0);
            assert_eq!(
                french_spacing(&text, 0..cut) + &french_spacing(&text, cut..text.len()),
                shown
            );
        }
    }

    #[test]
    fn malformed_links_are_refused_with_a_reason() {
        let cases = [
            ("", AnchorError::MissingField(1)),
            ("1.2,a,b", AnchorError::MissingField(1)),
            ("1.2,a,b,c,d", AnchorError::MissingField(1)),
            ("1,a,b,c", AnchorError::BadPosition(1)),
            ("x.2,a,b,c", AnchorError::BadPosition(1)),
            ("-1.2,a,b,c", AnchorError::BadPosition(1)),
            ("+1.2,a,b,c", AnchorError::BadPosition(1)),
            (
                "1.99999999999999999999999,a,b,c",
                AnchorError::BadPosition(1),
            ),
            ("1.2,a,%FF,c", AnchorError::BadEncoding(1)),
            ("1.2,a,%E,c", AnchorError::BadEncoding(1)),
            ("1.2,%,b,c", AnchorError::BadEncoding(1)),
            ("1.2,a,,c", AnchorError::EmptyQuote(1)),
            ("1.2,a,%20%0A,c", AnchorError::EmptyQuote(1)),
        ];
        for (value, error) in cases {
            assert_eq!(Anchor::decode(value, 1), Err(error.clone()), "{value}");
            assert!(!error.to_string().is_empty());
        }
        let long = "a".repeat(MAX_EXACT_CHARS + 1);
        assert_eq!(
            Anchor::decode(&format!("0.0,,{long},"), 3),
            Err(AnchorError::TooLong(3))
        );
        // Arbitrary junk never panics.
        let mut generator = Generator::seeded(7);
        for _ in 0..2000 {
            let junk = generator.text(30);
            let _ = Anchor::decode(&junk, 1);
            let _ = crate::Route::from_hash(&format!("#/a/x?s={junk}"));
        }
    }

    #[test]
    fn hints_out_of_range_or_inside_a_character_are_ignored() {
        let text = text_of(BLOCKS);
        for (block, offset) in [(99, 0), (2, 10_000), (2, 60)] {
            let anchor = anchor("", "Le logiciel est libre.", "", block, offset);
            let found = text.locate(&anchor).unwrap();
            assert_eq!(&text.as_str()[found.range], "Le logiciel est libre.");
        }
        // Offset 59 of block 2 falls between the halves of 😀.
        let inside = BLOCKS[2]
            .encode_utf16()
            .position(|unit| (0xD800..0xDC00).contains(&unit));
        assert!(inside.is_some());
        assert_eq!(
            text.byte_of(Position {
                block: 2,
                utf16_offset: inside.unwrap() + 1
            }),
            None
        );
    }

    /// The directive for the first occurrence of `quote` in the text.
    fn directive_of(text: &ArticleText, quote: &str) -> String {
        let start = text.as_str().find(quote).unwrap();
        text.text_directive(start..start + quote.len()).unwrap()
    }

    #[test]
    fn text_directives_quote_whole_words_as_shown_with_their_context() {
        let text = text_of(BLOCKS);
        // A selection that cuts words is widened to them.
        assert_eq!(
            directive_of(&text, "ogiciel Popcorn"),
            "Le-,logiciel%20Popcorn,-Time%20permet%20de%20regarder"
        );
        // `-`, `,` and `&` are the directive's own syntax: escaped in its terms.
        assert_eq!(
            directive_of(&text, "dit-on"),
            "Popcorn%20Time%20revient%2C-,dit%2Don%2C,-%C2%AB%E2%80%AFplus%20fort%E2%80%AF%C2%BB%20que%20jamais"
        );
        // The start of a block has no prefix, its end no suffix.
        assert_eq!(
            directive_of(&text, "Popcorn Time : le retour"),
            "Popcorn%20Time%E2%80%AF%3A%20le%20retour"
        );
        // A passage over two blocks is quoted by its ends, each in its own block.
        let start = text.as_str().find("fermé").unwrap();
        let end = text.as_str().find("dit-on").unwrap();
        assert_eq!(
            text.text_directive(start..end).unwrap(),
            "films.%20Il%20a%20%C3%A9t%C3%A9-,ferm%C3%A9%20en%20mars.,Popcorn%20Time%20revient%2C,\
             -dit%2Don%2C%20%C2%AB%E2%80%AFplus%20fort%E2%80%AF%C2%BB%20que"
        );
        // So is a long one.
        let long = "Le logiciel Popcorn Time permet de regarder des films. Il a été";
        assert_eq!(
            directive_of(&text, long),
            "Le%20logiciel%20Popcorn%20Time,films.%20Il%20a%20%C3%A9t%C3%A9,-ferm%C3%A9%20en%20mars."
        );
        assert_eq!(text.text_directive(3..3), None);
    }

    #[test]
    fn selections_are_trimmed_and_empty_ones_refused() {
        let text = text_of(BLOCKS);
        let at = |block, utf16_offset| Position {
            block,
            utf16_offset,
        };
        assert_eq!(
            text.anchor(at(1, 3), at(1, 3)),
            Err(AnchorError::BadSelection)
        );
        assert_eq!(
            text.anchor(at(9, 0), at(1, 3)),
            Err(AnchorError::BadSelection)
        );
        let anchor = text.anchor(at(1, 11), at(1, 2)).unwrap();
        assert_eq!(anchor.exact, "logiciel");
        assert_eq!(anchor.hint, at(1, 3));
        let anchor = text.anchor(at(0, 24), at(1, 2)).unwrap();
        assert_eq!(anchor.exact, "Le");
        assert_eq!(anchor.prefix, "Popcorn Time : le retour\n");
    }
}
