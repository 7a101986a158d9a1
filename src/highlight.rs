//! Which words of a text a query matches, and the snippet that shows them.
//!
//! Matching is decided by the analyzer, not by string search: a word is marked
//! when its indexed term equals a term of the query, so "téléchargement" marks
//! "télécharger" and "telechargement" marks "téléchargement", exactly as the
//! index matched them. Ranges are byte ranges into the text; the page renders
//! them as `<mark>` elements around text nodes, never as HTML.

use std::collections::HashSet;
use std::ops::Range;

use crate::analysis;
use crate::article::Block;

/// The terms of a query, ready to find their matches in any text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Highlighter {
    terms: HashSet<String>,
}

/// A short passage of an article with its matched words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// Index of the article block the passage comes from.
    pub block: usize,
    /// The passage, with "…" where it was cut.
    pub text: String,
    /// Byte ranges of the matched words in `text`, in order, not overlapping.
    pub marks: Vec<Range<usize>>,
}

impl Highlighter {
    pub fn new(query: &str) -> Self {
        let terms = analysis::terms(query)
            .into_iter()
            .map(|term| term.text)
            .collect();
        Highlighter { terms }
    }

    /// True when the query has no word that could match (empty, only stop words).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Byte ranges of the words of `text` that match the query.
    pub fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        self.matches(text).map(|term| term.range).collect()
    }

    fn matches(&self, text: &str) -> impl Iterator<Item = analysis::Term> + '_ {
        analysis::terms(text)
            .into_iter()
            .filter(|term| self.terms.contains(&term.text))
    }

    /// Picks the passage that matches the most distinct query words (the first
    /// such, on ties), cut to about `max_chars` characters around its matches.
    pub fn snippet(&self, blocks: &[Block], max_chars: usize) -> Option<Snippet> {
        let mut best: Option<(usize, usize, Vec<analysis::Term>)> = None;
        for (index, block) in blocks.iter().enumerate() {
            let matches: Vec<analysis::Term> = self.matches(block.text()).collect();
            let distinct = matches
                .iter()
                .map(|m| &m.text)
                .collect::<HashSet<_>>()
                .len();
            if distinct > best.as_ref().map_or(0, |(_, d, _)| *d) {
                best = Some((index, distinct, matches));
            }
        }
        let (block, _, matches) = best?;
        Some(cut(block, blocks[block].text(), &matches, max_chars))
    }
}

/// How many characters of context a snippet keeps before its first match.
const LEAD_CHARS: usize = 50;

fn cut(block: usize, text: &str, matches: &[analysis::Term], max_chars: usize) -> Snippet {
    let marks = |range: Range<usize>, shift: isize| -> Vec<Range<usize>> {
        matches
            .iter()
            .filter(|m| m.range.start >= range.start && m.range.end <= range.end)
            .map(|m| {
                let at = |offset: usize| (offset as isize + shift) as usize;
                at(m.range.start)..at(m.range.end)
            })
            .collect()
    };
    if text.chars().count() <= max_chars {
        return Snippet {
            block,
            text: text.to_string(),
            marks: marks(0..text.len(), 0),
        };
    }
    // Try a window leading each match and keep the one covering the most
    // distinct query words.
    let window = matches
        .iter()
        .map(|anchor| {
            let start = chars_before(text, anchor.range.start, LEAD_CHARS);
            let end = chars_after(text, start, max_chars).max(anchor.range.end);
            let covered: HashSet<&str> = matches
                .iter()
                .filter(|m| m.range.start >= start && m.range.end <= end)
                .map(|m| m.text.as_str())
                .collect();
            (covered.len(), start, end, anchor.range.clone())
        })
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, start, end, anchor)| snap_to_words(text, start..end, anchor))
        .unwrap_or_else(|| 0..chars_after(text, 0, max_chars));
    let head = if window.start > 0 { "…" } else { "" };
    let tail = if window.end < text.len() { "…" } else { "" };
    let shift = head.len() as isize - window.start as isize;
    Snippet {
        block,
        text: format!("{head}{}{tail}", &text[window.clone()]),
        marks: marks(window, shift),
    }
}

/// Moves a window's edges inwards to whole words, never past its anchor match.
fn snap_to_words(text: &str, window: Range<usize>, anchor: Range<usize>) -> Range<usize> {
    let mut start = window.start;
    if start > 0 {
        if let Some(space) = text[start..anchor.start].find(char::is_whitespace) {
            start += space;
        }
        start += text[start..].len() - text[start..].trim_start().len();
    }
    let mut end = window.end;
    if end < text.len() {
        if let Some(space) = text[anchor.end..end].rfind(char::is_whitespace) {
            end = anchor.end + space;
        }
        end = start + text[start..end].trim_end().len();
    }
    start..end
}

fn chars_before(text: &str, at: usize, count: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .nth(count.saturating_sub(1))
        .map_or(0, |(index, _)| index)
}

fn chars_after(text: &str, at: usize, count: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(count)
        .map_or(text.len(), |(index, _)| at + index)
}

/// Splits a text into runs, each marked or not, covering it whole and in order.
pub fn pieces<'a>(text: &'a str, marks: &[Range<usize>]) -> Vec<(&'a str, bool)> {
    let mut pieces = Vec::new();
    let mut at = 0;
    for mark in marks {
        if mark.start < at || mark.end > text.len() || mark.start >= mark.end {
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

    fn marked(text: &str, marks: &[Range<usize>]) -> Vec<String> {
        marks.iter().map(|m| text[m.clone()].to_string()).collect()
    }

    #[test]
    fn stems_and_missing_accents_are_marked_but_not_other_words() {
        let text = "Télécharger un film, c’est du téléchargement : la Hadopi veille.";
        let highlighter = Highlighter::new("telechargement hadopi");
        assert_eq!(
            marked(text, &highlighter.ranges(text)),
            ["Télécharger", "téléchargement", "Hadopi"]
        );
    }

    #[test]
    fn a_query_of_stop_words_matches_nothing() {
        assert!(Highlighter::new("la et les").is_empty());
        assert!(Highlighter::new("").ranges("La Hadopi").is_empty());
    }

    #[test]
    fn the_snippet_comes_from_the_block_matching_most_query_words() {
        let blocks = [
            Block::Paragraph("Popcorn Time est un logiciel.".into()),
            Block::Heading("La Hadopi veille".into()),
            Block::Paragraph("Popcorn Time inquiète la Hadopi.".into()),
        ];
        let snippet = Highlighter::new("hadopi popcorn")
            .snippet(&blocks, 200)
            .unwrap();
        assert_eq!(snippet.block, 2);
        assert_eq!(snippet.text, "Popcorn Time inquiète la Hadopi.");
        assert_eq!(marked(&snippet.text, &snippet.marks), ["Popcorn", "Hadopi"]);
        assert_eq!(Highlighter::new("netflix").snippet(&blocks, 200), None);
    }

    #[test]
    fn a_long_block_is_cut_at_words_around_its_matches() {
        let filler = "Des mots sans rapport avec la question posée ici. ".repeat(8);
        let text = format!("{filler}La Hadopi a envoyé des courriers d’avertissement. {filler}");
        let blocks = [Block::Paragraph(text)];
        let snippet = Highlighter::new("hadopi courrier")
            .snippet(&blocks, 120)
            .unwrap();
        assert!(
            snippet.text.starts_with('…') && snippet.text.ends_with('…'),
            "{}",
            snippet.text
        );
        assert!(snippet.text.chars().count() <= 125, "{}", snippet.text);
        assert_eq!(
            marked(&snippet.text, &snippet.marks),
            ["Hadopi", "courriers"]
        );
        let inner = snippet.text.trim_matches('…');
        assert!(
            !inner.starts_with(' ') && !inner.ends_with(' '),
            "{}",
            snippet.text
        );
        let at = blocks[0].text().find(inner).expect("a slice of the block");
        assert!(
            blocks[0].text()[..at].ends_with(' '),
            "cut mid-word: {}",
            snippet.text
        );
    }

    #[test]
    fn pieces_cover_the_text_in_order() {
        let text = "la Hadopi veille";
        let pieces = pieces(text, std::slice::from_ref(&(3..9)));
        assert_eq!(
            pieces,
            [("la ", false), ("Hadopi", true), (" veille", false)]
        );
        let beyond = 0..100;
        assert_eq!(
            super::pieces(text, std::slice::from_ref(&beyond)),
            [(text, false)]
        );
    }
}
