//! The index's words a query word may stand for, read from tantivy's term dictionaries when a
//! query asks, never copied into memory at open: the words it begins (the word being typed),
//! the words one or two typos away, the closest word for a suggestion, and whether the index
//! knows its root.
//!
//! The surface fields hold each word lowercased with its accents; the query rules compare
//! folded forms (no accents, no ligatures: [`analysis::fold`]). [`Expansion`] is a tantivy
//! automaton that folds each term as the dictionary walks it and computes the same edit
//! distance as [`crate::query::distance_within`], row by row, so the dictionary prunes every branch no
//! word of which can match. Hand-written: tantivy's Levenshtein automata compare raw bytes, and
//! would miss "telechargement" for "téléchargement". The words it lets through are then judged
//! by [`Word::matches_sketched`], the one rule, as before.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use tantivy::Searcher;
use tantivy::schema::Field;
use tantivy_fst::Automaton;

use crate::analysis::{self, Forms};
use crate::query::{LONGEST_COMPARED, MatchKind, Sketch, Word};

/// One word of the index found for a query word, with what ranking it needs.
#[derive(Debug, Clone)]
pub struct Found {
    pub surface: String,
    pub kind: MatchKind,
    pub doc_freq: u32,
}

/// The words of the surface `fields` that `word` begins (if it is being typed) or is within
/// its typo budget of, judged by [`Word::matches_sketched`]: the closest kind first, then the
/// most frequent, at most `most`. A typo match shares the word's first `anchored` letters
/// (see [`ANCHORED_WHEN_READ_BY_PARTS`]). Cost: the dictionary's branches that can still match.
pub fn expansions(
    searcher: &Searcher,
    fields: &[Field],
    word: &Word,
    most: usize,
    anchored: usize,
) -> Result<Vec<Found>, String> {
    let edits = word.typo_edits();
    if !word.prefix && edits == 0 {
        return Ok(Vec::new());
    }
    let automaton = Expansion::new(word, word.prefix, edits, anchored);
    let candidates = walk(searcher, fields, &automaton)?;
    let mut forms = Forms::default();
    let mut found: Vec<Found> = candidates
        .into_iter()
        .filter_map(|(surface, doc_freq)| {
            let folded = forms.fold(&surface);
            let kind = word.matches_sketched(
                &surface,
                &folded,
                &forms.stem(&surface),
                Sketch::of(&folded),
            )?;
            matches!(kind, MatchKind::Prefix | MatchKind::Typo).then_some(Found {
                surface,
                kind,
                doc_freq,
            })
        })
        .collect();
    found.sort_by(|a, b| {
        (a.kind.cmp(&b.kind))
            .then(b.doc_freq.cmp(&a.doc_freq))
            .then(a.surface.cmp(&b.surface))
    });
    found.truncate(most);
    Ok(found)
}

/// The word of the surface `fields` closest to `word` (at most `edits` edits, sharing its first
/// `anchored` letters), the most frequent on ties.
pub fn closest(
    searcher: &Searcher,
    fields: &[Field],
    word: &Word,
    edits: usize,
    anchored: usize,
) -> Result<Option<String>, String> {
    let candidates = walk(
        searcher,
        fields,
        &Expansion::new(word, false, edits, anchored),
    )?;
    let mut forms = Forms::default();
    Ok(candidates
        .into_iter()
        .filter_map(|(surface, doc_freq)| {
            let folded = forms.fold(&surface);
            let distance = word.distance_to(&folded, Sketch::of(&folded), edits)?;
            Some((distance, std::cmp::Reverse(doc_freq), surface))
        })
        .min()
        .map(|(_, _, surface)| surface))
}

/// Whether any of the stemmed `fields` has the term `stem`: the index knows the word.
pub fn knows(searcher: &Searcher, fields: &[Field], stem: &str) -> Result<bool, String> {
    for segment in searcher.segment_readers() {
        for &field in fields {
            let inverted = segment.inverted_index(field).map_err(|e| e.to_string())?;
            if inverted
                .terms()
                .get(stem.as_bytes())
                .map_err(|e| e.to_string())?
                .is_some()
            {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// How many first letters a typo match shares with the query word over an index read by
/// parts: the dictionary's blocks a typo walk reads are then those of words beginning alike,
/// a few instead of most of the dictionary (on the 10,000-article archive, `examples/parts.rs`:
/// "telechargemnt" read 77 parts, 460 KB of brotli, with none). A typo in the first two
/// letters is not corrected there; a whole index, in memory, corrects it.
pub const ANCHORED_WHEN_READ_BY_PARTS: usize = 2;

/// Walks, without reading them, the dictionary blocks [`expansions`] would read for `word`
/// with `edits` typos (0: its prefixes only): over an index read by parts, run under
/// [`crate::parts::Store::planning`] to name them all at once (tantivy's asynchronous walk
/// gathers a walk's blocks before reading any).
pub(crate) fn plan_expansions(
    searcher: &Searcher,
    fields: &[Field],
    word: &Word,
    edits: usize,
    anchored: usize,
) {
    if word.prefix || edits > 0 {
        plan(
            searcher,
            fields,
            &Expansion::new(word, word.prefix, edits, anchored),
        );
    }
}

/// As [`plan_expansions`], the blocks [`closest`] would read.
pub(crate) fn plan_closest(
    searcher: &Searcher,
    fields: &[Field],
    word: &Word,
    edits: usize,
    anchored: usize,
) {
    plan(
        searcher,
        fields,
        &Expansion::new(word, false, edits, anchored),
    );
}

fn plan(searcher: &Searcher, fields: &[Field], automaton: &Expansion) {
    use futures_util::FutureExt;
    for segment in searcher.segment_readers() {
        for &field in fields {
            if let Ok(inverted) = segment.inverted_index(field) {
                // The stream is dropped unread: its blocks may be the zeros of planning.
                drop(
                    inverted
                        .terms()
                        .search(automaton)
                        .into_stream_async()
                        .now_or_never(),
                );
            }
        }
    }
}

/// The terms of `fields` the automaton accepts, with their document frequencies summed over
/// fields and segments.
fn walk(
    searcher: &Searcher,
    fields: &[Field],
    automaton: &Expansion,
) -> Result<HashMap<String, u32>, String> {
    let mut found: HashMap<String, u32> = HashMap::new();
    for segment in searcher.segment_readers() {
        for &field in fields {
            let inverted = segment.inverted_index(field).map_err(|e| e.to_string())?;
            let mut stream = inverted
                .terms()
                .search(automaton)
                .into_stream()
                .map_err(|e| e.to_string())?;
            while stream.advance() {
                if let Ok(surface) = std::str::from_utf8(stream.key()) {
                    *found.entry(surface.to_string()).or_default() += stream.value().doc_freq;
                }
            }
        }
    }
    Ok(found)
}

/// Accepts the terms whose folded form begins with the query word's (`prefix`), or is within
/// `edits` edits of it, in the distance of [`crate::query::distance_within`] (a transposition of two
/// neighbours is one edit).
pub struct Expansion {
    /// The query word, folded.
    word: Vec<char>,
    prefix: bool,
    edits: usize,
    /// The first letters a typo match must share with the word.
    anchored: usize,
    /// Folded forms of the non-ASCII characters met so far: shared, as the walk reads one
    /// for every byte of every term it passes.
    folds: RefCell<HashMap<char, Rc<[char]>>>,
}

/// Where the walk of one term stands.
#[derive(Clone)]
pub struct State {
    /// Folded characters read so far.
    read: usize,
    /// The characters read so far are the query word's first ones (or all of it, and more).
    prefix: bool,
    /// The edit distance's last two rows (the second for transpositions), while some cell is
    /// within the budget.
    typo: Option<Rows>,
    /// The bytes of a character not complete yet.
    pending: [u8; 4],
    pending_len: u8,
}

#[derive(Clone)]
struct Rows {
    last: [u8; LONGEST_COMPARED + 1],
    before: [u8; LONGEST_COMPARED + 1],
    /// The character of row `last`.
    char: char,
}

impl Expansion {
    fn new(word: &Word, prefix: bool, edits: usize, anchored: usize) -> Expansion {
        Expansion {
            word: word.folded.chars().collect(),
            prefix,
            edits,
            anchored,
            folds: RefCell::default(),
        }
    }

    /// Reads one folded character.
    fn step(&self, state: &mut State, c: char) {
        let position = state.read;
        state.read += 1;
        if position < self.word.len() {
            state.prefix &= self.word[position] == c;
        }
        if position < self.anchored && self.word.get(position) != Some(&c) {
            state.typo = None;
        }
        let Some(rows) = &mut state.typo else { return };
        if state.read > LONGEST_COMPARED {
            state.typo = None;
            return;
        }
        let i = state.read as u8;
        let mut next = [0u8; LONGEST_COMPARED + 1];
        next[0] = i;
        let mut least = i;
        for j in 1..=self.word.len() {
            let cost = u8::from(c != self.word[j - 1]);
            let mut best = (rows.last[j] + 1)
                .min(next[j - 1] + 1)
                .min(rows.last[j - 1] + cost);
            if i > 1 && j > 1 && c == self.word[j - 2] && rows.char == self.word[j - 1] {
                best = best.min(rows.before[j - 2] + 1);
            }
            next[j] = best;
            least = least.min(best);
        }
        if usize::from(least) > self.edits {
            state.typo = None;
        } else {
            rows.before = rows.last;
            rows.last = next;
            rows.char = c;
        }
    }

    /// Reads one character of a term, folded as the index folds words.
    fn read(&self, state: &mut State, c: char) {
        // Most characters of French terms: no fold to look up.
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            return self.step(state, c);
        }
        let folded = self
            .folds
            .borrow_mut()
            .entry(c)
            .or_insert_with(|| analysis::fold(c.encode_utf8(&mut [0; 4])).chars().collect())
            .clone();
        for &folded in folded.iter() {
            self.step(state, folded);
        }
    }
}

impl Automaton for Expansion {
    type State = State;

    fn start(&self) -> State {
        let typos = self.edits > 0 && self.word.len() <= LONGEST_COMPARED;
        let mut first = [0u8; LONGEST_COMPARED + 1];
        for (j, cell) in first.iter_mut().enumerate().take(self.word.len() + 1) {
            *cell = j as u8;
        }
        State {
            read: 0,
            prefix: self.prefix,
            typo: typos.then_some(Rows {
                last: first,
                before: first,
                char: '\0',
            }),
            pending: [0; 4],
            pending_len: 0,
        }
    }

    fn is_match(&self, state: &State) -> bool {
        state.pending_len == 0
            && ((state.prefix && state.read >= self.word.len())
                || state
                    .typo
                    .as_ref()
                    .is_some_and(|rows| usize::from(rows.last[self.word.len()]) <= self.edits))
    }

    fn can_match(&self, state: &State) -> bool {
        state.prefix || state.typo.is_some()
    }

    fn accept(&self, state: &State, byte: u8) -> State {
        let mut next = state.clone();
        next.pending[usize::from(next.pending_len)] = byte;
        next.pending_len += 1;
        let bytes = &next.pending[..usize::from(next.pending_len)];
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                let c = text.chars().next().expect("one character");
                next.pending_len = 0;
                self.read(&mut next, c);
            }
            // A character not complete yet; four bytes that are none end the walk.
            Err(error) if error.error_len().is_none() && next.pending_len < 4 => {}
            Err(_) => {
                next.prefix = false;
                next.typo = None;
            }
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the automaton over `term` as the dictionary would, byte by byte.
    fn accepts(automaton: &Expansion, term: &str) -> bool {
        let mut state = automaton.start();
        for &byte in term.as_bytes() {
            if !automaton.can_match(&state) {
                return false;
            }
            state = automaton.accept(&state, byte);
        }
        automaton.is_match(&state)
    }

    fn word(typed: &str) -> Word {
        Word::new(typed, false)
    }

    #[test]
    fn the_automaton_lets_through_what_the_matching_rule_accepts() {
        let typed = word("telechargemnet");
        let automaton = Expansion::new(&typed, false, 2, 0);
        let mut forms = Forms::default();
        for term in [
            "téléchargement",
            "telechargement",
            "téléchargemnet",
            "téléchargements",
            "chargement",
            "télécharger",
            "œuvre",
            "",
        ] {
            let folded = forms.fold(term);
            let within = crate::query::distance_within(&folded, &typed.folded, 2).is_some();
            assert_eq!(accepts(&automaton, term), within, "{term}");
        }
        let prefix = Expansion::new(&Word::new("oeuv", true), true, 0, 0);
        assert!(
            accepts(&prefix, "œuvres"),
            "a ligature folds as the rule folds it"
        );
        assert!(accepts(&prefix, "oeuvre"));
        assert!(!accepts(&prefix, "ouvre"));
        assert!(!accepts(&prefix, "oeu"));
    }

    #[test]
    fn anchored_typos_share_the_first_letters_folded() {
        let typed = word("telechargemnet");
        let anchored = Expansion::new(&typed, false, 2, ANCHORED_WHEN_READ_BY_PARTS);
        assert!(accepts(&anchored, "téléchargement"), "accents fold first");
        assert!(
            !accepts(&anchored, "elechargement"),
            "a typo in the first letters"
        );
        assert!(!accepts(&anchored, "etlechargement"));
        assert!(accepts(
            &Expansion::new(&typed, false, 2, 0),
            "etlechargement"
        ));
        let prefix = Expansion::new(
            &Word::new("oeuv", true),
            true,
            0,
            ANCHORED_WHEN_READ_BY_PARTS,
        );
        assert!(accepts(&prefix, "œuvres"), "prefixes are not typos");
    }
}
