//! The French analyzer: one chain of tokenizer and filters, registered under
//! the same name by the indexer and by the page.
//!
//! tantivy stores the name of a field's tokenizer in the index, not the
//! tokenizer itself, so both sides must register the very same chain from
//! [`register`]. Any change to the chain changes what the index contains:
//! bump [`ANALYZER_VERSION`] with it, and a page holding an older index says so
//! instead of answering wrongly.

use std::ops::Range;

use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, TokenStream,
};

/// The name under which the chain is registered and which the schema's text
/// fields refer to.
pub const FRENCH: &str = "lecteur_fr";

/// Version of the chain built by [`french`]; stored in every bundle.
pub const ANALYZER_VERSION: u32 = 1;

/// Tokens longer than this (in bytes) are noise such as URLs or base64, not words.
const LONGEST_TOKEN: usize = 40;

/// Builds the French chain: split on anything that is not a letter or a digit,
/// drop absurdly long tokens, lowercase, drop French stop words, stem with
/// Snowball French, and only then fold accents and ligatures.
///
/// Stemming comes before folding because Snowball's French rules read the
/// accents (`é`, `è`, `ê` endings); folding afterwards still makes
/// "telechargement" and "téléchargement" meet on the same stem.
pub fn french() -> TextAnalyzer {
    let stop_words = StopWordFilter::new(Language::French)
        .expect("tantivy is built with the `stopwords` feature, which has a French list");
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(stop_words)
        .filter(Stemmer::new(Language::French))
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers the French chain on an index, before any reading or writing.
pub fn register(index: &Index) {
    index.tokenizers().register(FRENCH, french());
}

/// One indexed term and where it came from in the analysed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term as the index holds it (stemmed and folded).
    pub text: String,
    /// Byte range of the source word in the analysed text.
    pub range: Range<usize>,
}

/// Runs the French chain over `text` and returns its terms with their byte ranges.
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

    #[test]
    fn inflections_and_missing_accents_meet_on_one_term() {
        let stem = term_texts("téléchargement");
        assert_eq!(stem.len(), 1);
        for form in [
            "télécharger",
            "telechargement",
            "Téléchargement",
            "TÉLÉCHARGER",
        ] {
            assert_eq!(term_texts(form), stem, "{form}");
        }
    }

    #[test]
    fn stop_words_are_dropped_and_content_words_kept() {
        assert_eq!(term_texts("la Hadopi et les internautes").len(), 2);
    }

    #[test]
    fn ranges_point_at_the_source_words_even_with_accents() {
        let text = "Déjà les œuvres téléchargées";
        for term in terms(text) {
            let word = &text[term.range.clone()];
            assert!(word.chars().all(char::is_alphanumeric), "{word:?}");
        }
        let words: Vec<&str> = terms(text).iter().map(|t| &text[t.range.clone()]).collect();
        assert_eq!(words, ["Déjà", "œuvres", "téléchargées"]);
    }

    #[test]
    fn typographic_and_ascii_apostrophes_both_free_the_word() {
        assert_eq!(term_texts("l’industrie"), term_texts("l'industrie"));
        assert_eq!(term_texts("l’industrie"), term_texts("industrie"));
    }
}
