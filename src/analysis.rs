//! The French analyzer: one tokenizer and two chains of filters, registered
//! under the same names by the indexer and by the page.
//!
//! tantivy stores the name of a field's tokenizer in the index, not the
//! tokenizer itself, so both sides must register the very same chains from
//! [`register`]. Any change to a chain changes what the index contains:
//! bump [`ANALYZER_VERSION`] with it, and a page holding an older index says so
//! instead of answering wrongly.
//!
//! The tokenizer ([`FrenchTokenizer`]) knows the words people type in French:
//! elided articles (`l’`, `qu’`, `jusqu’` … with either apostrophe) are dropped,
//! numbers keep their digit groups together ("440.000", "350 000", "0,09"),
//! hyphenated words are indexed whole and by their parts ("États-Unis",
//! "États", "Unis"), and names mixing letters and digits stay one word
//! ("Time4PopCorn"). Two chains run over its tokens:
//!
//! * [`FRENCH`]: lowercase, Snowball French stem, then fold accents and
//!   ligatures. Stemming comes first because Snowball's French rules read the
//!   accents; folding afterwards still makes "telechargement" meet
//!   "téléchargement", and "oeuvres" meet "œuvres".
//! * [`FRENCH_EXACT`]: lowercase only, the surface form, so an exact match can
//!   outrank one on the stem or without accents.
//!
//! Stop words are indexed, not dropped: a phrase of stop words ("Et il ne
//! compte pas s’arrêter là") must still be findable. The query side decides
//! which words to require ([`is_stop_word`]).

use std::borrow::Cow;
use std::ops::Range;

use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// The stemmed and folded chain, for matching words whatever their inflection.
pub const FRENCH: &str = "lecteur_fr";

/// The surface chain (lowercase only), for ranking exact forms first.
pub const FRENCH_EXACT: &str = "lecteur_fr_exact";

/// Version of the chains built here; stored in every bundle.
pub const ANALYZER_VERSION: u32 = 2;

/// Tokens longer than this (in bytes) are noise such as URLs or base64, not words.
const LONGEST_TOKEN: usize = 40;

/// Words that lose their vowel before another word, lowercase and unaccented.
const ELIDED: [&str; 13] = [
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// What a token of [`FrenchTokenizer`] is, for the query side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordKind {
    /// A word on its own.
    Simple,
    /// A hyphenated word taken whole ("e-mails"), at the position of its first part.
    Whole,
    /// One part of a hyphenated word ("mails").
    Part,
}

/// A token before any filter: the text as typed, its byte range and position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawWord {
    pub text: String,
    pub range: Range<usize>,
    pub position: usize,
    pub kind: WordKind,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Spaces that may separate groups of three digits in French numbers.
fn is_digit_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit())
}

/// Splits `text` into the words the index holds, in order, with positions.
pub fn raw_words(text: &str) -> Vec<RawWord> {
    // Runs of letters and digits, with their byte ranges.
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                runs.push(from..at);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        runs.push(from..text.len());
    }
    let between = |a: &Range<usize>, b: &Range<usize>| &text[a.end..b.start];
    let mut words = Vec::new();
    let mut position = 0;
    let mut index = 0;
    while index < runs.len() {
        let run = runs[index].clone();
        let next = runs.get(index + 1);
        // Elision: "l’industrie" is "industrie".
        if let Some(next) = next {
            let gap = between(&run, next);
            if gap.chars().count() == 1
                && gap.chars().all(is_apostrophe)
                && ELIDED.contains(&text[run.clone()].to_lowercase().as_str())
            {
                index += 1;
                continue;
            }
        }
        // Numbers: digit groups joined by '.', ',' or a space before three digits.
        if is_digits(&text[run.clone()]) {
            let mut end = index;
            let mut normalized = text[run.clone()].to_string();
            while let Some(following) = runs.get(end + 1) {
                let gap = between(&runs[end], following);
                let group = &text[following.clone()];
                let mut gap_chars = gap.chars();
                let (Some(separator), None) = (gap_chars.next(), gap_chars.next()) else {
                    break;
                };
                if !is_digits(group) {
                    break;
                }
                let thousands = group.len() == 3;
                match separator {
                    ',' => normalized.push(','),
                    '.' if !thousands => normalized.push(','),
                    '.' => {}
                    c if is_digit_group_space(c)
                        && thousands
                        && text[runs[end].clone()].len() <= 3 => {}
                    _ => break,
                }
                normalized.push_str(group);
                end += 1;
            }
            if end > index {
                words.push(RawWord {
                    text: normalized,
                    range: run.start..runs[end].end,
                    position,
                    kind: WordKind::Simple,
                });
                position += 1;
                index = end + 1;
                continue;
            }
        }
        // Hyphenated words: whole, then each part.
        let mut end = index;
        while let Some(following) = runs.get(end + 1) {
            let gap = between(&runs[end], following);
            if gap.chars().count() == 1 && gap.chars().all(is_hyphen) {
                end += 1;
            } else {
                break;
            }
        }
        if end > index {
            let whole: Vec<&str> = runs[index..=end].iter().map(|r| &text[r.clone()]).collect();
            words.push(RawWord {
                text: whole.join("-"),
                range: run.start..runs[end].end,
                position,
                kind: WordKind::Whole,
            });
            for part in &runs[index..=end] {
                words.push(RawWord {
                    text: text[part.clone()].to_string(),
                    range: part.clone(),
                    position,
                    kind: WordKind::Part,
                });
                position += 1;
            }
            index = end + 1;
            continue;
        }
        words.push(RawWord {
            text: text[run.clone()].to_string(),
            range: run,
            position,
            kind: WordKind::Simple,
        });
        position += 1;
        index += 1;
    }
    words
}

/// The tokenizer of both chains; see the module documentation.
#[derive(Debug, Clone, Default)]
pub struct FrenchTokenizer;

/// The tokens of one text, computed up front: texts are articles, not streams.
pub struct FrenchTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for FrenchTokenizer {
    type TokenStream<'a> = FrenchTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FrenchTokenStream {
        let tokens = raw_words(text)
            .into_iter()
            .map(|word| Token {
                offset_from: word.range.start,
                offset_to: word.range.end,
                position: word.position,
                text: word.text,
                position_length: 1,
            })
            .collect();
        FrenchTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for FrenchTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// Builds the stemmed chain: French tokens, drop absurdly long ones,
/// lowercase, stem with Snowball French, and only then fold accents and ligatures.
pub fn french() -> TextAnalyzer {
    TextAnalyzer::builder(FrenchTokenizer)
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(FrenchStemmer)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Builds the surface chain: the same tokens, lowercased and nothing else.
pub fn french_exact() -> TextAnalyzer {
    TextAnalyzer::builder(FrenchTokenizer)
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .build()
}

/// Registers both chains on an index, before any reading or writing.
pub fn register(index: &Index) {
    index.tokenizers().register(FRENCH, french());
    index.tokenizers().register(FRENCH_EXACT, french_exact());
}

fn whole_string(analyzer: &mut TextAnalyzer, word: &str) -> String {
    let mut stream = analyzer.token_stream(word);
    let mut out = String::new();
    while stream.advance() {
        out.push_str(&stream.token().text);
    }
    out
}

/// The folded and stemmed forms of single words, with the chains built once
/// for the many words of an article.
pub struct Forms {
    folder: TextAnalyzer,
    stemmer: TextAnalyzer,
}

impl Default for Forms {
    fn default() -> Self {
        Forms {
            folder: TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .build(),
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .filter(FrenchStemmer)
                .filter(AsciiFoldingFilter)
                .build(),
        }
    }
}

impl Forms {
    /// See [`fold`].
    pub fn fold(&mut self, word: &str) -> String {
        whole_string(&mut self.folder, word)
    }

    /// See [`stem`].
    pub fn stem(&mut self, word: &str) -> String {
        whole_string(&mut self.stemmer, word)
    }
}

/// A word lowercased, as the surface chain indexes it.
pub fn surface(word: &str) -> String {
    word.to_lowercase()
}

/// A word lowercased and without accents or ligatures ("Œuvres" → "oeuvres").
pub fn fold(word: &str) -> String {
    Forms::default().fold(word)
}

/// A single word's term in the stemmed chain ("Téléchargés" → "telecharg").
pub fn stem(word: &str) -> String {
    Forms::default().stem(word)
}

/// True for the French words too common to require in a query ("la", "et", "été").
pub fn is_stop_word(word: &str) -> bool {
    let word = word.to_lowercase();
    STOP_WORDS.contains(&word.as_str())
}

/// Snowball's French stop words (articles, pronouns, prepositions, the forms of
/// "être" and "avoir"), with the demonstratives and a few others added.
const STOP_WORDS: &[&str] = &[
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il",
    "ils", "je", "la", "le", "les", "leur", "lui", "ma", "mais", "me", "même", "mes", "moi", "mon",
    "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se",
    "ses", "son", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre",
    "vous", "c", "d", "j", "l", "à", "m", "n", "s", "t", "y", "été", "étée", "étées", "étés",
    "étant", "étante", "étants", "étantes", "suis", "es", "est", "sommes", "êtes", "sont", "serai",
    "seras", "sera", "serons", "serez", "seront", "serais", "serait", "serions", "seriez",
    "seraient", "étais", "était", "étions", "étiez", "étaient", "fus", "fut", "fûmes", "fûtes",
    "furent", "sois", "soit", "soyons", "soyez", "soient", "fusse", "fusses", "fût", "fussions",
    "fussiez", "fussent", "ayant", "ayante", "ayantes", "ayants", "eu", "eue", "eues", "eus", "ai",
    "as", "avons", "avez", "ont", "aurai", "auras", "aura", "aurons", "aurez", "auront", "aurais",
    "aurait", "aurions", "auriez", "auraient", "avais", "avait", "avions", "aviez", "avaient",
    "eut", "eûmes", "eûtes", "eurent", "aie", "aies", "ait", "ayons", "ayez", "aient", "eusse",
    "eusses", "eût", "eussions", "eussiez", "eussent", "ceci", "cela", "celà", "cet", "cette",
    "ici", "leurs", "quel", "quels", "quelle", "quelles", "sans", "soi",
];

/// Snowball's French stemmer as a tantivy filter. tantivy's own `Stemmer` would
/// do, but its feature compiles in every language's stemmer; the page ships French only.
#[derive(Clone, Copy)]
struct FrenchStemmer;

impl TokenFilter for FrenchStemmer {
    type Tokenizer<T: Tokenizer> = FrenchStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> FrenchStemmerFilter<T> {
        FrenchStemmerFilter { inner }
    }
}

#[derive(Clone)]
struct FrenchStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for FrenchStemmerFilter<T> {
    type TokenStream<'a> = FrenchStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FrenchStemmerStream {
            inner: self.inner.token_stream(text),
            stemmer: frostem::Stemmer::new(frostem::Algorithm::French),
        }
    }
}

struct FrenchStemmerStream<S> {
    inner: S,
    stemmer: frostem::Stemmer,
}

impl<S: TokenStream> TokenStream for FrenchStemmerStream<S> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        let token = self.inner.token_mut();
        // Borrowed means the word is its own stem.
        if let Cow::Owned(stem) = self.stemmer.stem(&token.text) {
            token.text = stem;
        }
        true
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

/// True when a word is too long to be indexed; such words never match.
pub fn is_too_long(word: &str) -> bool {
    word.len() > LONGEST_TOKEN
}

/// One indexed term and where it came from in the analysed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term as the stemmed chain holds it (stemmed and folded).
    pub text: String,
    /// Byte range of the source word in the analysed text.
    pub range: Range<usize>,
}

/// Runs the stemmed chain over `text` and returns its terms with their byte ranges.
pub fn terms(text: &str) -> Vec<Term> {
    let mut analyzer = french();
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while stream.advance() {
        let token = stream.token();
        terms.push(Term {
            text: token.text.clone(),
            range: token.offset_from..token.offset_to,
        });
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term_texts(text: &str) -> Vec<String> {
        terms(text).into_iter().map(|term| term.text).collect()
    }

    fn raw(text: &str) -> Vec<String> {
        raw_words(text).into_iter().map(|word| word.text).collect()
    }

    #[test]
    fn inflections_and_missing_accents_meet_on_one_term() {
        let stem = term_texts("téléchargement");
        assert_eq!(stem.len(), 1);
        for form in [
            "télécharger",
            "telechargement",
            "Téléchargement",
            "TÉLÉCHARGER",
            "téléchargés",
        ] {
            assert_eq!(term_texts(form), stem, "{form}");
        }
        assert_eq!(term_texts("oeuvres"), term_texts("œuvres"));
        assert_eq!(stem[0], super::stem("Téléchargés"));
    }

    #[test]
    fn stop_words_are_indexed_but_known() {
        assert_eq!(term_texts("la Hadopi et les internautes").len(), 5);
        assert!(is_stop_word("la") && is_stop_word("Et") && !is_stop_word("hadopi"));
        assert!(is_stop_word("été") && is_stop_word("À") && !is_stop_word("ete"));
    }

    #[test]
    fn ranges_point_at_the_source_words_even_with_accents() {
        let text = "Déjà les œuvres téléchargées";
        let words: Vec<&str> = terms(text).iter().map(|t| &text[t.range.clone()]).collect();
        assert_eq!(words, ["Déjà", "les", "œuvres", "téléchargées"]);
    }

    #[test]
    fn every_elision_with_either_apostrophe_frees_the_word() {
        assert_eq!(term_texts("l’industrie"), term_texts("l'industrie"));
        assert_eq!(term_texts("l’industrie"), term_texts("industrie"));
        for elided in [
            "d’",
            "j’",
            "m’",
            "n’",
            "s’",
            "t’",
            "c’",
            "qu’",
            "jusqu’",
            "lorsqu'",
            "puisqu’",
            "quoiqu'",
            "L’",
        ] {
            assert_eq!(raw(&format!("{elided}arrêter")), ["arrêter"], "{elided}");
        }
        assert_eq!(raw("aujourd’hui"), ["aujourd", "hui"]);
    }

    #[test]
    fn numbers_keep_their_digit_groups() {
        assert_eq!(raw("440.000 internautes"), ["440000", "internautes"]);
        assert_eq!(raw("350 000 utilisateurs"), ["350000", "utilisateurs"]);
        assert_eq!(raw("350\u{a0}000"), ["350000"]);
        assert_eq!(raw("0,09 euro"), ["0,09", "euro"]);
        assert_eq!(raw("815€"), ["815"]);
        assert_eq!(raw("en 2014 300 fois"), ["en", "2014", "300", "fois"]);
    }

    #[test]
    fn hyphenated_words_are_whole_and_in_parts() {
        let words = raw_words("les États-Unis");
        let texts: Vec<(&str, usize, WordKind)> = words
            .iter()
            .map(|w| (w.text.as_str(), w.position, w.kind))
            .collect();
        assert_eq!(
            texts,
            [
                ("les", 0, WordKind::Simple),
                ("États-Unis", 1, WordKind::Whole),
                ("États", 1, WordKind::Part),
                ("Unis", 2, WordKind::Part),
            ]
        );
        assert_eq!(raw("e-mails"), ["e-mails", "e", "mails"]);
    }

    #[test]
    fn names_people_type_stay_one_word() {
        assert_eq!(term_texts("Time4PopCorn"), ["time4popcorn"]);
        assert_eq!(term_texts("µTorrent"), term_texts("µtorrent"));
        assert_eq!(raw("iOS et Mac OS X"), ["iOS", "et", "Mac", "OS", "X"]);
    }

    #[test]
    fn folding_and_surface_forms() {
        assert_eq!(fold("Œuvres"), "oeuvres");
        assert_eq!(fold("États"), "etats");
        assert_eq!(surface("États"), "états");
    }
}
