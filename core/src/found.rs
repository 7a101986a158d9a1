//! What a search finds, as the engine hands it to whoever shows it: hits with
//! their passages and match ranges, the marks of a query in an article, and why
//! each word matched. Plain data (byte ranges, never HTML), the same shapes
//! natively, in the engine's worker messages and in its JavaScript API.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::article::ArticleDate;

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
    /// The publication date, where the article gives it.
    #[serde(default)]
    pub date: Option<ArticleDate>,
    pub score: f32,
    /// The best passage with its matched words; `None` when only the title matched.
    pub snippet: Option<Snippet>,
    /// The best passages, best first, the snippet's first; each names its block.
    pub passages: Vec<Snippet>,
    /// Which query word matched which form of the article, and how.
    pub reasons: Vec<Reason>,
}

/// What a hit shows in place of its passage when the engine could not get its article's text
/// (an archive's, offline, neither read nor downloaded): [`SearchResults::missing_texts`].
pub const PASSAGE_NOT_HERE: &str =
    "Passage indisponible : le texte de cet article n’est pas encore sur cet appareil.";

/// How many hits a search shows at first, and adds each time the reader asks for more.
pub const RESULTS_PAGE: usize = 10;

/// Most hits one answer carries: each comes with its passages, worked out on the way. Past
/// it the results say so, and the reader narrows the search (its filters, more words).
pub const MAX_LIMIT: usize = 200;

/// How the results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Order {
    /// Best first.
    #[default]
    Relevance,
    /// Newest first; undated articles last, best first among themselves.
    Date,
}

/// What narrows and orders a search: an archive's source and year, and the order. All of it
/// is in the results' address (`&source=`, `&annee=`, `&tri=date`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Filters {
    /// Only the articles of this source (as the articles name it).
    pub source: Option<String>,
    /// Only the articles published that year.
    pub year: Option<u16>,
    pub order: Order,
}

impl Filters {
    /// Whether an article of that source and date passes.
    pub fn admit(&self, source: Option<&str>, date: Option<ArticleDate>) -> bool {
        self.admit_source(source) && self.admit_year(date)
    }

    pub fn admit_source(&self, source: Option<&str>) -> bool {
        self.source.is_none() || self.source.as_deref() == source
    }

    pub fn admit_year(&self, date: Option<ArticleDate>) -> bool {
        self.year.is_none() || self.year == date.map(|date| date.year)
    }

    pub fn is_narrowed(&self) -> bool {
        self.source.is_some() || self.year.is_some()
    }
}

/// How many of a query's articles each source or year has, each counted with the other
/// filters applied (so each count is what choosing it would show).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Facets {
    /// Most articles first, then by name.
    pub sources: Vec<SourceCount>,
    /// Newest first.
    pub years: Vec<YearCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceCount {
    pub source: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearCount {
    pub year: u16,
    pub count: usize,
}

impl Facets {
    /// Counts the sources and years of `articles` (each an article's source and date that
    /// matched the query), each facet under the other's filter.
    pub fn count<'a>(
        articles: impl IntoIterator<Item = (Option<&'a str>, Option<ArticleDate>)>,
        filters: &Filters,
    ) -> Facets {
        let mut sources = std::collections::HashMap::<&str, usize>::new();
        let mut years = std::collections::HashMap::<u16, usize>::new();
        for (source, date) in articles {
            if let Some(source) = source
                && filters.admit_year(date)
            {
                *sources.entry(source).or_default() += 1;
            }
            if let Some(date) = date
                && filters.admit_source(source)
            {
                *years.entry(date.year).or_default() += 1;
            }
        }
        let mut sources: Vec<SourceCount> = sources
            .into_iter()
            .map(|(source, count)| SourceCount {
                source: source.to_string(),
                count,
            })
            .collect();
        sources.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.source.cmp(&b.source)));
        let mut years: Vec<YearCount> = years
            .into_iter()
            .map(|(year, count)| YearCount { year, count })
            .collect();
        years.sort_by_key(|count| std::cmp::Reverse(count.year));
        Facets { sources, years }
    }
}

/// The answer to a query.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SearchResults {
    /// The best hits under the filters, in their order, as many as were asked for.
    pub hits: Vec<Hit>,
    /// How many articles match under the filters (`hits` may hold fewer).
    #[serde(default)]
    pub total: usize,
    /// The sources and years of the matching articles, with their counts.
    #[serde(default)]
    pub facets: Facets,
    /// True when no article has every word of the query, so the hits are the
    /// articles that have some of them.
    pub partial: bool,
    /// When nothing matched: a close query that finds something.
    pub suggestion: Option<String>,
    /// The hits shown without their passages, because the engine holds the articles without
    /// their texts (an archive) and was not given these ones: the slugs whose texts to supply.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_texts: Vec<String>,
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
    split(text, 0..text.len(), &sound(text, marks))
        .into_iter()
        .map(|(range, marked)| (&text[range], marked))
        .collect()
}

/// The marks that can be shown: in order, not overlapping, inside the text, on character
/// boundaries; the others are dropped.
fn sound(text: &str, marks: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut kept: Vec<Range<usize>> = Vec::with_capacity(marks.len());
    for mark in marks {
        let after = kept.last().map_or(0, |last| last.end);
        if mark.start >= after
            && mark.start < mark.end
            && mark.end <= text.len()
            && text.is_char_boundary(mark.start)
            && text.is_char_boundary(mark.end)
        {
            kept.push(mark.clone());
        }
    }
    kept
}

/// `span` of a text cut at sound `marks`: runs, each marked or not, covering it in order.
fn split(text: &str, span: Range<usize>, marks: &[Range<usize>]) -> Vec<(Range<usize>, bool)> {
    let mut runs = Vec::new();
    let mut at = span.start;
    for mark in marks {
        let (start, end) = (mark.start.max(at), mark.end.min(span.end));
        if start >= end {
            continue;
        }
        if start > at {
            runs.push((at..start, false));
        }
        runs.push((start..end, true));
        at = end;
    }
    if at < span.end {
        runs.push((at..span.end, false));
    }
    debug_assert!(
        runs.iter()
            .all(|(range, _)| text.get(range.clone()).is_some())
    );
    runs
}

/// A stretch of an article's block as the reading view shows it: within a shared passage or
/// not, cut into pieces (byte ranges of the block) that the query marks or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    pub shared: bool,
    pub pieces: Vec<(Range<usize>, bool)>,
}

/// A block's text with two kinds of marks, a link's shared passages and a query's words
/// (which may come from the engine: unsound ranges of either are dropped, as [`pieces`]
/// drops them), the query's marks cut where a passage starts or ends.
pub fn layers(text: &str, query: &[Range<usize>], shared: &[Range<usize>]) -> Vec<Layer> {
    let query = sound(text, query);
    split(text, 0..text.len(), &sound(text, shared))
        .into_iter()
        .map(|(span, shared)| Layer {
            shared,
            pieces: split(text, span, &query),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_passage_and_the_query_marks_layer_and_unsound_ranges_are_dropped() {
        let text = "La Hadopi veille, dit-on à Paris.";
        // "Hadopi" is 3..9, "dit-on" 18..24, "à" two bytes, 25..27.
        let passage = 10..25;
        let layers = layers(
            text,
            &[3..9, 18..24, 25..26, 40..50],
            std::slice::from_ref(&passage),
        );
        assert_eq!(
            layers,
            [
                Layer {
                    shared: false,
                    pieces: vec![(0..3, false), (3..9, true), (9..10, false)],
                },
                Layer {
                    shared: true,
                    pieces: vec![(10..18, false), (18..24, true), (24..25, false)],
                },
                Layer {
                    shared: false,
                    pieces: vec![(25..text.len(), false)],
                },
            ]
        );
        // A range cutting "à", or past the end, is dropped rather than cutting a character.
        let covered: String = layers
            .iter()
            .flat_map(|layer| &layer.pieces)
            .map(|(range, _)| &text[range.clone()])
            .collect();
        assert_eq!(covered, text);
        // Overlapping or backwards shared ranges are dropped too.
        #[allow(clippy::reversed_empty_ranges)]
        let backwards = 5..2;
        assert_eq!(layers_of(text, &[backwards, 0..4, 2..6]).len(), 2);
    }

    fn layers_of(text: &str, shared: &[Range<usize>]) -> Vec<Layer> {
        layers(text, &[], shared)
    }

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
