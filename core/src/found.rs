//! What a search finds, as the engine hands it to whoever shows it: hits with
//! their passages and match ranges, the marks of a query in an article, and why
//! each word matched. Plain data (byte ranges, never HTML), the same shapes
//! natively, in the engine's worker messages and in its JavaScript API.

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// How a word of the text matched a word of the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchKind {
    SameWord,
    WithoutAccents,
    SameRoot,
    Prefix,
    Typo,
}

impl MatchKind {
    /// The reader's words for it.
    pub fn label(self) -> &'static str {
        match self {
            MatchKind::SameWord => "même mot",
            MatchKind::WithoutAccents => "sans accents",
            MatchKind::SameRoot => "même racine",
            MatchKind::Prefix => "début de mot",
            MatchKind::Typo => "faute de frappe",
        }
    }
}

/// A short passage of an article with its matched words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// Index of the article block the passage comes from.
    pub block: usize,
    /// The passage, with "…" where it was cut.
    pub text: String,
    /// Byte ranges of the matched words in `text`, in order, not overlapping.
    pub marks: Vec<Range<usize>>,
}

/// Why a hit matched: a word of the query, the form of the text it found, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// The query word as typed.
    pub query_word: String,
    /// The text's word as written.
    pub text_form: String,
    pub kind: MatchKind,
}

impl Reason {
    /// The reason in one French sentence, e.g. « Hadopy » → « Hadopi » : faute de frappe.
    pub fn sentence(&self) -> String {
        format!(
            "« {} » → « {} » : {}",
            self.query_word,
            self.text_form,
            self.kind.label()
        )
    }
}

/// One article that matched, with what the results show of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub slug: String,
    pub title: String,
    /// The query's words in the title, as byte ranges.
    pub title_marks: Vec<Range<usize>>,
    pub source: Option<String>,
    pub score: f32,
    /// The best passage with its matched words; `None` when only the title matched.
    pub snippet: Option<Snippet>,
    /// The best passages, best first, the snippet's first; each names its block.
    pub passages: Vec<Snippet>,
    /// Which query word matched which form of the article, and how.
    pub reasons: Vec<Reason>,
}

/// The answer to a query.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// True when no article has every word of the query, so the hits are the
    /// articles that have some of them.
    pub partial: bool,
    /// When nothing matched: a close query that finds something.
    pub suggestion: Option<String>,
}

/// The query's words marked in an article, as byte ranges of its title and of each block.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ArticleMarks {
    pub title: Vec<Range<usize>>,
    pub blocks: Vec<Vec<Range<usize>>>,
}

impl ArticleMarks {
    /// How many words are marked in the body.
    pub fn count(&self) -> usize {
        self.blocks.iter().map(Vec::len).sum()
    }
}

/// Splits a text into runs, each marked or not, covering it whole and in order.
/// Ranges that overlap, run backwards, leave the text or cut a character are skipped:
/// they may come from another program (the engine's messages).
pub fn pieces<'a>(text: &'a str, marks: &[Range<usize>]) -> Vec<(&'a str, bool)> {
    let mut pieces = Vec::new();
    let mut at = 0;
    for mark in marks {
        if mark.start < at
            || mark.end > text.len()
            || mark.start >= mark.end
            || !text.is_char_boundary(mark.start)
            || !text.is_char_boundary(mark.end)
        {
            continue;
        }
        if mark.start > at {
            pieces.push((&text[at..mark.start], false));
        }
        pieces.push((&text[mark.clone()], true));
        at = mark.end;
    }
    if at < text.len() {
        pieces.push((&text[at..], false));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cover_the_text_and_skip_ranges_that_do_not_fit_it() {
        let text = "Hadopi évite";
        assert_eq!(
            pieces(text, &[0..6, 3..5, 8..9, 7..50]),
            vec![("Hadopi", true), (" évite", false)],
            "an overlap, a cut character and a range past the end are left out"
        );
        assert_eq!(pieces(text, &[]), vec![(text, false)]);
    }

    #[test]
    fn a_reason_reads_as_one_french_sentence() {
        let reason = Reason {
            query_word: "Hadopy".into(),
            text_form: "Hadopi".into(),
            kind: MatchKind::Typo,
        };
        assert_eq!(
            reason.sentence(),
            "« Hadopy » → « Hadopi » : faute de frappe"
        );
    }
}
