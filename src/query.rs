//! The reader's query language, parsed into words and phrases, and the rules
//! that say whether a word of an article matches a word of the query and how.
//!
//! ```text
//! popcorn hadopi          both words (else the best partial match)
//! "popcorn time"          a phrase; "popcorn time"~2 allows two words between
//! -netflix                no article containing "netflix"
//! netflix OR hadopi       either word (OU works too; lowercase "ou" is a word)
//! télécha                 the last word, while typing, is also a prefix
//! ```
//!
//! Anything else is text: unbalanced quotes close at the end of the query,
//! punctuation separates words. Parsing never fails; the worst query is empty.

use crate::analysis::{self, WordKind};

/// Longest query accepted, in characters; far beyond what a person types.
pub const MAX_QUERY_CHARS: usize = 500;

/// Most words a query may hold, counted as parsed: each word of a phrase and each
/// alternative counts, and punctuation separates words ("a,b,c" is three).
pub const MAX_QUERY_WORDS: usize = 40;

/// Why a query is refused before anything is searched or marked, in words for the reader.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("la recherche est trop longue : {MAX_QUERY_CHARS} caractères au plus")]
    TooLong,
    #[error("la recherche a trop de mots : {MAX_QUERY_WORDS} au plus")]
    TooManyWords,
}

/// Largest slop accepted after a phrase (`"…"~N`).
pub const MAX_SLOP: u32 = 10;

/// Shortest prefix (in characters) expanded while typing; shorter ones would
/// expand to half the vocabulary.
const SHORTEST_PREFIX: usize = 3;

/// One analysed word of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// As the reader typed it ("Téléchargés").
    pub typed: String,
    /// Lowercase, as the surface fields hold it ("téléchargés").
    pub surface: String,
    /// Lowercase and without accents ("telecharges").
    pub folded: String,
    /// As the stemmed fields hold it ("telecharg").
    pub stem: String,
    /// The word being typed: any word starting with it matches.
    pub prefix: bool,
    /// Too common to be required on its own ("la", "et").
    pub stop: bool,
    /// Whether near misses count. The library turns this off for words the
    /// index has, so "mails" does not also find "mais".
    pub typos: bool,
    /// Length and letters of `folded`, to pass over words it cannot match.
    pub sketch: Sketch,
    /// The edits forgiven when `typos` is on ([`typo_budget`]).
    edits: usize,
}

pub use lecteur_core::found::MatchKind;

/// Edits forgiven in a word: one from five letters, two from nine, none in
/// numbers (a different number is a different fact).
pub fn typo_budget(folded: &str) -> usize {
    if is_number(folded) {
        return 0;
    }
    match folded.chars().count() {
        0..5 => 0,
        5..9 => 1,
        _ => 2,
    }
}

/// True for a number as the tokenizer keeps it ("440000", "0,09").
pub fn is_number(word: &str) -> bool {
    word.chars().all(|c| c.is_ascii_digit() || c == ',')
}

/// Longest word the typo rules compare, in characters. The index keeps no longer token
/// (see [`analysis::is_too_long`]), so a longer word is never anyone's typo; the bound
/// lets the comparison live on the stack.
pub(crate) const LONGEST_COMPARED: usize = 48;

/// Edit distance with transpositions (optimal string alignment), or `None`
/// when it exceeds `budget` or a word is longer than any the index keeps.
///
/// Hand-written rather than taken from a crate: three rows on the stack, stopping at
/// the first row past the budget, is all the typo rules need, and it runs once per
/// candidate word of every query.
pub fn distance_within(a: &str, b: &str, budget: usize) -> Option<usize> {
    let mut a_chars = ['\0'; LONGEST_COMPARED];
    let mut b_chars = ['\0'; LONGEST_COMPARED];
    let a = fill(&mut a_chars, a)?;
    let b = fill(&mut b_chars, b)?;
    if a.len().abs_diff(b.len()) > budget {
        return None;
    }
    // Rows i, i - 1 and i - 2 (for transpositions), in turn.
    let mut rows = [[0u8; LONGEST_COMPARED + 1]; 3];
    for (j, cell) in rows[0].iter_mut().enumerate().take(b.len() + 1) {
        *cell = j as u8;
    }
    for i in 1..=a.len() {
        let (current, previous, before) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[current][0] = i as u8;
        let mut row_min = i as u8;
        for j in 1..=b.len() {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[previous][j] + 1)
                .min(rows[current][j - 1] + 1)
                .min(rows[previous][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[before][j - 2] + 1);
            }
            rows[current][j] = best;
            row_min = row_min.min(best);
        }
        if usize::from(row_min) > budget {
            return None;
        }
    }
    Some(usize::from(rows[a.len() % 3][b.len()])).filter(|&d| d <= budget)
}

/// The characters of `word` in `buffer`, or `None` when it does not fit.
fn fill<'a>(buffer: &'a mut [char; LONGEST_COMPARED], word: &str) -> Option<&'a [char]> {
    let mut length = 0;
    for c in word.chars() {
        *buffer.get_mut(length)? = c;
        length += 1;
    }
    Some(&buffer[..length])
}

/// What the prefix and typo rules can tell of a folded word without comparing it
/// letter by letter: its length and the set of its letters. A vocabulary keeps one
/// per word, so that a query word passes over the words it cannot match in a few
/// instructions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sketch {
    chars: usize,
    /// One bit per letter present (`a`–`z`, digits, the rest folded onto the last bits).
    letters: u64,
}

impl Sketch {
    pub fn of(folded: &str) -> Sketch {
        let mut sketch = Sketch::default();
        for c in folded.chars() {
            sketch.chars += 1;
            let bit = match c {
                'a'..='z' => c as u32 - 'a' as u32,
                '0'..='9' => 26 + c as u32 - '0' as u32,
                _ => 36 + c as u32 % 28,
            };
            sketch.letters |= 1 << bit;
        }
        sketch
    }

    /// False when `other` cannot begin with a word of this sketch.
    fn may_begin(self, other: Sketch) -> bool {
        other.chars >= self.chars && self.letters & !other.letters == 0
    }

    /// False when the two words cannot be `edits` edits apart: each edit changes the
    /// length by one at most and the set of letters by two at most.
    fn may_be_within(self, other: Sketch, edits: usize) -> bool {
        self.chars.abs_diff(other.chars) <= edits
            && (self.letters ^ other.letters).count_ones() as usize <= 2 * edits
    }
}

impl Word {
    pub(crate) fn new(typed: &str, prefix: bool) -> Word {
        let folded = analysis::fold(typed);
        let stop = analysis::is_stop_word(typed);
        Word {
            typed: typed.to_string(),
            surface: analysis::surface(typed),
            stem: analysis::stem(typed),
            prefix: prefix && folded.chars().count() >= SHORTEST_PREFIX && !stop,
            stop,
            typos: true,
            sketch: Sketch::of(&folded),
            edits: typo_budget(&folded),
            folded,
        }
    }

    /// The edits forgiven in this word: none when typos are off.
    pub(crate) fn typo_edits(&self) -> usize {
        if self.typos { self.edits } else { 0 }
    }

    /// How a text word, given by its surface, folded and stemmed forms,
    /// matches this query word, the closest way first; `None` if it does not.
    pub fn matches(&self, surface: &str, folded: &str, stem: &str) -> Option<MatchKind> {
        self.matches_sketched(surface, folded, stem, Sketch::of(folded))
    }

    /// [`Word::matches`], with the text word's sketch computed once by the caller.
    pub fn matches_sketched(
        &self,
        surface: &str,
        folded: &str,
        stem: &str,
        sketch: Sketch,
    ) -> Option<MatchKind> {
        if surface == self.surface {
            Some(MatchKind::SameWord)
        } else if folded == self.folded {
            Some(MatchKind::WithoutAccents)
        } else if stem == self.stem {
            Some(MatchKind::SameRoot)
        } else if self.prefix && self.sketch.may_begin(sketch) && folded.starts_with(&self.folded) {
            Some(MatchKind::Prefix)
        } else {
            let edits = self.typo_edits();
            (edits > 0 && self.distance_to(folded, sketch, edits).is_some())
                .then_some(MatchKind::Typo)
        }
    }

    /// False when a word of this sketch can be neither a prefix nor a typo match,
    /// told without comparing letters: the vocabulary's words are first sifted by it.
    pub fn may_expand_to(&self, sketch: Sketch) -> bool {
        (self.prefix && self.sketch.may_begin(sketch))
            || self.sketch.may_be_within(sketch, self.typo_edits()) && self.typo_edits() > 0
    }

    /// The edit distance from a folded word to this one's, if at most `edits`.
    pub fn distance_to(&self, folded: &str, sketch: Sketch, edits: usize) -> Option<usize> {
        if !self.sketch.may_be_within(sketch, edits) {
            return None;
        }
        distance_within(folded, &self.folded, edits)
    }
}

/// One alternative of a clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Word(Word),
    /// Words in order, each with its position relative to the first.
    Phrase {
        words: Vec<(usize, Word)>,
        slop: u32,
    },
}

/// A clause: alternatives joined by `OR`, possibly excluded with `-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub alternatives: Vec<Part>,
    pub negated: bool,
    /// Only raises the score of documents that match it, never required:
    /// the words of the query as a loose phrase, so nearby words rank first.
    pub ranking_only: bool,
}

impl Clause {
    fn new(part: Part, negated: bool) -> Clause {
        Clause {
            alternatives: vec![part],
            negated,
            ranking_only: false,
        }
    }
}

/// Slop of the phrase that ranks documents with the query's words close together.
const PROXIMITY_SLOP: u32 = 3;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub clauses: Vec<Clause>,
}

#[derive(Debug)]
enum ItemKind {
    Text,
    Phrase(u32),
}

#[derive(Debug)]
struct Item {
    start: usize,
    end: usize,
    kind: ItemKind,
    negated: bool,
    or: bool,
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '«' | '“' | '„')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '"' | '»' | '”' | '“')
}

fn lex(input: &str) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut or = false;
    let mut at = 0;
    let next_char = |at: usize| input[at..].chars().next();
    while let Some(c) = next_char(at) {
        if c.is_whitespace() {
            at += c.len_utf8();
            continue;
        }
        let mut negated = false;
        if c == '-' && next_char(at + 1).is_some_and(|n| !n.is_whitespace()) {
            negated = true;
            at += 1;
        }
        let c = next_char(at).expect("checked above");
        if is_open_quote(c) {
            let start = at + c.len_utf8();
            let end = input[start..]
                .find(is_close_quote)
                .map_or(input.len(), |offset| start + offset);
            at = input[end..]
                .chars()
                .next()
                .map_or(end, |q| end + q.len_utf8());
            let mut slop = 0;
            if let Some(rest) = input[at..].strip_prefix('~') {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                // No number means "a little"; an absurd one means the most allowed.
                slop = if digits.is_empty() {
                    2
                } else {
                    digits.parse::<u32>().unwrap_or(MAX_SLOP).min(MAX_SLOP)
                };
                at += 1 + digits.len();
            }
            items.push(Item {
                start,
                end,
                kind: ItemKind::Phrase(slop),
                negated,
                or,
            });
            or = false;
            continue;
        }
        let start = at;
        let end = input[start..]
            .find(|c: char| c.is_whitespace() || is_open_quote(c))
            .map_or(input.len(), |offset| start + offset);
        at = end;
        if !negated && matches!(&input[start..end], "OR" | "OU") {
            or = true;
            continue;
        }
        // Plain text next to plain text is one run, so "350 000" stays a number.
        if let Some(last) = items.last_mut()
            && matches!(last.kind, ItemKind::Text)
            && !last.negated
            && !negated
            && !or
        {
            last.end = end;
            continue;
        }
        items.push(Item {
            start,
            end,
            kind: ItemKind::Text,
            negated,
            or,
        });
        or = false;
    }
    items
}

impl Query {
    /// Parses a query that came from the reader or a link, within the query budget:
    /// every query the engine runs or marks goes through here, so that none costs
    /// more than [`MAX_QUERY_WORDS`] words can.
    pub fn parse_within_budget(input: &str) -> Result<Query, QueryError> {
        if input.chars().count() > MAX_QUERY_CHARS {
            return Err(QueryError::TooLong);
        }
        let query = Query::parse(input);
        if query.word_count() > MAX_QUERY_WORDS {
            return Err(QueryError::TooManyWords);
        }
        Ok(query)
    }

    /// How many words the query's clauses hold, excluded ones included.
    fn word_count(&self) -> usize {
        self.clauses
            .iter()
            .filter(|clause| !clause.ranking_only)
            .flat_map(|clause| &clause.alternatives)
            .map(|part| match part {
                Part::Word(_) => 1,
                Part::Phrase { words, .. } => words.len(),
            })
            .sum()
    }

    /// Parses what the reader typed; never fails.
    pub fn parse(input: &str) -> Query {
        let typing = input.chars().last().is_some_and(char::is_alphanumeric);
        let mut clauses: Vec<Clause> = Vec::new();
        for item in lex(input) {
            let text = &input[item.start..item.end];
            let mut parts: Vec<Part> = Vec::new();
            match item.kind {
                ItemKind::Text => {
                    for word in analysis::raw_words(text) {
                        if word.kind == WordKind::Part {
                            continue;
                        }
                        let prefix =
                            typing && !item.negated && item.start + word.range.end == input.len();
                        parts.push(Part::Word(Word::new(&word.text, prefix)));
                    }
                }
                ItemKind::Phrase(slop) => {
                    let words: Vec<(usize, Word)> = analysis::raw_words(text)
                        .into_iter()
                        .filter(|word| word.kind != WordKind::Whole)
                        .map(|raw| {
                            let mut word = Word::new(&raw.text, false);
                            word.typos = false;
                            (raw.position, word)
                        })
                        .collect();
                    match words.len() {
                        0 => {}
                        1 => {
                            let (_, mut word) = words.into_iter().next().expect("one word");
                            word.stop = false;
                            parts.push(Part::Word(word));
                        }
                        _ => parts.push(Part::Phrase { words, slop }),
                    }
                }
            }
            let mut parts = parts.into_iter();
            if item.or
                && let Some(previous) = clauses.last_mut().filter(|c| c.negated == item.negated)
                && let Some(first) = parts.next()
            {
                previous.alternatives.push(first);
            }
            for part in parts {
                clauses.push(Clause::new(part, item.negated));
            }
        }
        let mut query = Query { clauses };
        query.settle_stop_words();
        query.add_proximity();
        query
    }

    /// Adds the query's single words, in order, as a loose phrase that only ranks.
    fn add_proximity(&mut self) {
        let words: Vec<Word> = self
            .clauses
            .iter()
            .filter(|c| !c.negated && c.alternatives.len() == 1)
            .filter_map(|c| match &c.alternatives[0] {
                Part::Word(word) if !word.prefix => Some(word.clone()),
                _ => None,
            })
            .collect();
        let ranked = self.clauses.iter().any(|c| c.ranking_only);
        if ranked || words.len() < 2 || words.len() != self.positive().count() {
            return;
        }
        let mut words: Vec<(usize, Word)> = words.into_iter().enumerate().collect();
        for (_, word) in &mut words {
            word.typos = false;
        }
        self.clauses.push(Clause {
            alternatives: vec![Part::Phrase {
                words,
                slop: PROXIMITY_SLOP,
            }],
            negated: false,
            ranking_only: true,
        });
    }

    /// Drops lone stop words when the query has other words; a query of stop
    /// words only keeps them all, ranked by their phrase, so it still works.
    fn settle_stop_words(&mut self) {
        let is_stop = |clause: &Clause| {
            clause
                .alternatives
                .iter()
                .all(|part| matches!(part, Part::Word(word) if word.stop))
        };
        let has_content = self.clauses.iter().any(|c| !c.negated && !is_stop(c));
        if has_content {
            self.clauses.retain(|clause| !is_stop(clause));
            return;
        }
        let stop_words: Vec<Word> = self
            .clauses
            .iter()
            .filter(|c| !c.negated)
            .flat_map(|c| c.alternatives.iter())
            .filter_map(|part| match part {
                Part::Word(word) => Some(word.clone()),
                Part::Phrase { .. } => None,
            })
            .collect();
        if stop_words.len() < 2 {
            return;
        }
        // Each stop word stays required; their phrase ranks the sentence first.
        self.clauses.push(Clause {
            alternatives: vec![Part::Phrase {
                words: stop_words.into_iter().enumerate().collect(),
                slop: 0,
            }],
            negated: false,
            ranking_only: true,
        });
    }

    /// The clauses a document must (or may) match, excluded and ranking ones left out.
    pub fn positive(&self) -> impl Iterator<Item = &Clause> {
        self.clauses
            .iter()
            .filter(|clause| !clause.negated && !clause.ranking_only)
    }

    /// True when the query looks for nothing (it may still exclude words).
    pub fn is_empty(&self) -> bool {
        self.positive().next().is_none()
    }

    /// Every word the reader wants to see marked, phrases' words included.
    pub fn marked_words(&self) -> Vec<Word> {
        let mut words: Vec<Word> = Vec::new();
        for part in self.positive().flat_map(|clause| &clause.alternatives) {
            match part {
                Part::Word(word) => words.push(word.clone()),
                Part::Phrase { words: phrase, .. } => {
                    words.extend(phrase.iter().map(|(_, word)| word.clone()));
                }
            }
        }
        words.dedup_by(|a, b| a.surface == b.surface && a.prefix == b.prefix);
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(input: &str) -> Vec<String> {
        Query::parse(input)
            .clauses
            .iter()
            .filter(|clause| !clause.ranking_only)
            .map(|clause| {
                let parts: Vec<String> = clause
                    .alternatives
                    .iter()
                    .map(|part| match part {
                        Part::Word(w) => {
                            format!("{}{}", w.surface, if w.prefix { "*" } else { "" })
                        }
                        Part::Phrase { words, slop } => {
                            let w: Vec<&str> =
                                words.iter().map(|(_, w)| w.surface.as_str()).collect();
                            format!("\"{}\"~{slop}", w.join(" "))
                        }
                    })
                    .collect();
                format!(
                    "{}{}",
                    if clause.negated { "-" } else { "" },
                    parts.join("|")
                )
            })
            .collect()
    }

    #[test]
    fn words_phrases_exclusions_and_alternatives() {
        assert_eq!(shape("Popcorn Time "), ["popcorn", "time"]);
        assert_eq!(
            shape("\"popcorn time\"~2 -netflix"),
            ["\"popcorn time\"~2", "-netflix"]
        );
        assert_eq!(
            shape("netflix OR hadopi piratage "),
            ["netflix|hadopi", "piratage"]
        );
        assert_eq!(
            shape("« la Hadopi » et le piratage "),
            ["\"la hadopi\"~0", "piratage"]
        );
    }

    #[test]
    fn the_last_word_typed_is_a_prefix() {
        assert_eq!(shape("popcorn télécha"), ["popcorn", "télécha*"]);
        assert_eq!(shape("popcorn télécha "), ["popcorn", "télécha"]);
        assert_eq!(shape("popcorn ha"), ["popcorn", "ha"]);
    }

    #[test]
    fn stop_words_only_are_all_required_and_ranked_as_a_phrase() {
        assert_eq!(shape("la et"), ["la", "et"]);
        let query = Query::parse("la et");
        assert!(query.clauses.last().unwrap().ranking_only);
        assert_eq!(shape("le"), ["le"]);
        assert_eq!(shape("la Hadopi"), ["hadopi*"]);
    }

    #[test]
    fn numbers_survive_the_query_syntax() {
        assert_eq!(shape("350 000 utilisateurs "), ["350000", "utilisateurs"]);
        assert_eq!(shape("e-mails "), ["e-mails"]);
    }

    #[test]
    fn odd_input_never_panics() {
        for odd in [
            "",
            "\"",
            "\"\"",
            "-",
            "--",
            "-\"",
            "OR",
            "OR OR x",
            "~",
            "\"a\"~",
            "\"a b\"~999",
            "«",
            "🙂-",
            "x -",
        ] {
            let _ = Query::parse(odd);
        }
        assert_eq!(shape("\"popcorn ti"), ["\"popcorn ti\"~0"]);
        assert_eq!(shape("\"a b\"~999"), [format!("\"a b\"~{MAX_SLOP}")]);
    }

    #[test]
    fn the_budget_counts_words_as_parsed() {
        let words = |count: usize, separator: &str| vec!["mot"; count].join(separator);
        assert!(Query::parse_within_budget(&words(MAX_QUERY_WORDS, ",")).is_ok());
        let too_many = Err(QueryError::TooManyWords);
        assert_eq!(
            Query::parse_within_budget(&words(MAX_QUERY_WORDS + 1, ",")),
            too_many
        );
        let phrase = format!("\"{}\"", words(MAX_QUERY_WORDS + 1, " "));
        assert_eq!(Query::parse_within_budget(&phrase), too_many);
        let long = "é".repeat(MAX_QUERY_CHARS + 1);
        assert_eq!(Query::parse_within_budget(&long), Err(QueryError::TooLong));
    }

    #[test]
    fn the_sketch_never_hides_a_word_the_rules_match() {
        // Every word of up to four letters of a small alphabet, against every other: a
        // sketch may only pass over pairs that the full comparison rejects.
        let letters = ['a', 'b', 'é', '1'];
        let mut words = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = words
                .iter()
                .flat_map(|word| letters.iter().map(move |c| format!("{word}{c}")))
                .collect();
            words.extend(longer);
        }
        words.dedup();
        for a in &words {
            for b in &words {
                for edits in 0..=2 {
                    if distance_within(a, b, edits).is_some() {
                        assert!(Sketch::of(a).may_be_within(Sketch::of(b), edits), "{a} {b}");
                    }
                }
                if b.starts_with(a.as_str()) {
                    assert!(Sketch::of(a).may_begin(Sketch::of(b)), "{a} {b}");
                }
            }
        }
        let long = "a".repeat(LONGEST_COMPARED + 1);
        assert_eq!(distance_within(&long, &long, 2), None);
    }

    #[test]
    fn matching_rules_rank_closest_first() {
        let word = |text: &str, prefix| Word::new(text, prefix);
        let check = |w: &Word, text: &str| {
            w.matches(
                &analysis::surface(text),
                &analysis::fold(text),
                &analysis::stem(text),
            )
        };
        let mut known = word("mails", false);
        assert_eq!(check(&known, "mais"), Some(MatchKind::Typo));
        known.typos = false;
        assert_eq!(check(&known, "mais"), None);
        let download = word("téléchargement", false);
        assert_eq!(
            check(&download, "Téléchargement"),
            Some(MatchKind::SameWord)
        );
        assert_eq!(
            check(&download, "telechargement"),
            Some(MatchKind::WithoutAccents)
        );
        assert_eq!(check(&download, "téléchargés"), Some(MatchKind::SameRoot));
        assert_eq!(
            check(&word("télécha", true), "téléchargés"),
            Some(MatchKind::Prefix)
        );
        assert_eq!(
            check(&word("Hadopy", false), "Hadopi"),
            Some(MatchKind::Typo)
        );
        assert_eq!(
            check(&word("piratge", false), "piratage"),
            Some(MatchKind::Typo)
        );
        assert_eq!(check(&word("film", false), "filé"), None);
        assert_eq!(check(&word("2014", false), "2015"), None);
        assert_eq!(distance_within("abcd", "abdc", 1), Some(1));
        assert_eq!(distance_within("abcdef", "ghijkl", 2), None);
    }
}
