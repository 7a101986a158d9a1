//! Which words of a text a query matches, how, and the passages that show them.
//!
//! Matching follows the query's rules ([`crate::query::Word::matches`]), not
//! string search: "téléchargement" marks "télécharger" (same root),
//! "telechargement" marks "téléchargement" (without accents), "Hadopy" marks
//! "Hadopi" (typo) and, while typing, "télécha" marks "téléchargés" (prefix),
//! exactly as the index matched them. Ranges are byte ranges into the text; the
//! page renders them as `<mark>` elements around text nodes, never as HTML.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::analysis::{self, WordKind};
use crate::article::{Article, Block};
use crate::query::{MatchKind, Query, Sketch, Word};
pub use lecteur_core::found::{Reason, Snippet, pieces};

/// The words of a query, ready to find their matches in any text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Highlighter {
    words: Vec<Word>,
}

/// The distinct words seen in texts, each analysed once (lowercased, folded,
/// stemmed): stemming every word of every hit for every query was most of a
/// search's time. The library keeps one for its articles across queries.
#[derive(Default)]
pub struct Lexicon {
    ids: HashMap<String, u32>,
    forms: Vec<WordForms>,
    analyser: analysis::Forms,
}

/// The forms of one word that matching compares.
struct WordForms {
    surface: String,
    folded: String,
    stem: String,
    sketch: Sketch,
}

/// A word of an analysed text: where it is, what kind, and which word of the lexicon.
#[derive(Debug, Clone)]
pub struct WordAt {
    range: Range<usize>,
    kind: WordKind,
    id: u32,
}

impl Lexicon {
    /// The words of `text` worth matching, in order, their forms added to the lexicon.
    pub fn words(&mut self, text: &str) -> Vec<WordAt> {
        analysis::raw_words(text)
            .into_iter()
            .filter(|raw| !analysis::is_too_long(&raw.text))
            .map(|raw| WordAt {
                id: self.id(raw.text),
                range: raw.range,
                kind: raw.kind,
            })
            .collect()
    }

    fn id(&mut self, text: String) -> u32 {
        if let Some(&id) = self.ids.get(&text) {
            return id;
        }
        let id = self.forms.len() as u32;
        let folded = self.analyser.fold(&text);
        self.forms.push(WordForms {
            surface: analysis::surface(&text),
            sketch: Sketch::of(&folded),
            folded,
            stem: self.analyser.stem(&text),
        });
        self.ids.insert(text, id);
        id
    }
}

/// An article's title and blocks as analysed words.
pub struct ArticleWords {
    title: Vec<WordAt>,
    blocks: Vec<Vec<WordAt>>,
}

impl ArticleWords {
    pub fn new(lexicon: &mut Lexicon, article: &Article) -> Self {
        ArticleWords {
            title: lexicon.words(&article.title),
            blocks: article
                .blocks
                .iter()
                .map(|block| lexicon.words(block.text()))
                .collect(),
        }
    }
}

/// What each word of a lexicon matched, decided once per query and word.
#[derive(Default)]
struct Verdicts(Vec<Option<Option<(MatchKind, usize)>>>);

/// One matched word of a text.
#[derive(Debug, Clone)]
struct Match {
    range: Range<usize>,
    /// Index of the query word it matched.
    word: usize,
    kind: MatchKind,
}

impl Highlighter {
    /// The highlighter of a query as typed, every rule on. The library's
    /// [`crate::Library::highlighter`] also knows which words need no typo tolerance.
    pub fn new(query: &str) -> Self {
        Highlighter::for_query(&Query::parse(query))
    }

    /// The highlighter of a parsed (and possibly adjusted) query.
    pub fn for_query(query: &Query) -> Self {
        Highlighter {
            words: query.marked_words(),
        }
    }

    /// True when the query has no word that could match (empty, only exclusions).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Byte ranges of the words of `text` that match the query.
    pub fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        self.ranges_of_each([text]).pop().unwrap_or_default()
    }

    /// [`Highlighter::ranges`] of several texts (an article's title and blocks), each
    /// distinct word analysed and matched once for all of them.
    pub fn ranges_of_each<'a>(
        &self,
        texts: impl IntoIterator<Item = &'a str>,
    ) -> Vec<Vec<Range<usize>>> {
        let mut lexicon = Lexicon::default();
        let words: Vec<Vec<WordAt>> = texts.into_iter().map(|text| lexicon.words(text)).collect();
        let mut verdicts = Verdicts::default();
        words
            .iter()
            .map(|words| {
                self.matches(&lexicon, &mut verdicts, words)
                    .into_iter()
                    .map(|m| m.range)
                    .collect()
            })
            .collect()
    }

    /// The matches of an analysed text, in order and not overlapping: a
    /// hyphenated word matched whole hides its parts.
    fn matches(&self, lexicon: &Lexicon, verdicts: &mut Verdicts, words: &[WordAt]) -> Vec<Match> {
        if self.words.is_empty() {
            return Vec::new();
        }
        if verdicts.0.len() < lexicon.forms.len() {
            verdicts.0.resize(lexicon.forms.len(), None);
        }
        let mut found: Vec<Match> = Vec::new();
        for word in words {
            let verdict = verdicts.0[word.id as usize].get_or_insert_with(|| {
                let forms = &lexicon.forms[word.id as usize];
                self.words
                    .iter()
                    .enumerate()
                    .filter_map(|(index, query_word)| {
                        let kind = query_word.matches_sketched(
                            &forms.surface,
                            &forms.folded,
                            &forms.stem,
                            forms.sketch,
                        )?;
                        Some((kind, index))
                    })
                    .min()
            });
            if let Some((kind, index)) = *verdict {
                if word.kind == WordKind::Part
                    && found.last().is_some_and(|m| m.range.end >= word.range.end)
                {
                    continue;
                }
                found.push(Match {
                    range: word.range.clone(),
                    word: index,
                    kind,
                });
            }
        }
        found
    }

    /// Why the texts matched: each query word with the forms it found and how,
    /// closest first, without repeats.
    pub fn reasons<'a>(&self, texts: impl IntoIterator<Item = &'a str>) -> Vec<Reason> {
        let mut lexicon = Lexicon::default();
        let texts: Vec<(&str, Vec<WordAt>)> = texts
            .into_iter()
            .map(|text| (text, lexicon.words(text)))
            .collect();
        let texts = texts.iter().map(|(text, words)| (*text, words.as_slice()));
        self.reasons_in(&lexicon, &mut Verdicts::default(), texts)
    }

    fn reasons_in<'a>(
        &self,
        lexicon: &Lexicon,
        verdicts: &mut Verdicts,
        texts: impl IntoIterator<Item = (&'a str, &'a [WordAt])>,
    ) -> Vec<Reason> {
        let mut seen = HashSet::new();
        let mut reasons = Vec::new();
        for (text, words) in texts {
            for found in self.matches(lexicon, verdicts, words) {
                let form = &text[found.range.clone()];
                if seen.insert((found.word, analysis::surface(form))) {
                    reasons.push(Reason {
                        query_word: self.words[found.word].typed.clone(),
                        text_form: form.to_string(),
                        kind: found.kind,
                    });
                }
            }
        }
        reasons.sort_by_key(|reason| reason.kind);
        reasons
    }

    /// The `count` passages matching the most distinct query words (then the
    /// closest matches, then the earliest), best first, each cut to about
    /// `max_chars` characters around its matches.
    pub fn passages(&self, blocks: &[Block], max_chars: usize, count: usize) -> Vec<Snippet> {
        let mut lexicon = Lexicon::default();
        let words: Vec<Vec<WordAt>> = blocks
            .iter()
            .map(|block| lexicon.words(block.text()))
            .collect();
        let mut verdicts = Verdicts::default();
        self.passages_in(&lexicon, &mut verdicts, blocks, &words, max_chars, count)
    }

    fn passages_in(
        &self,
        lexicon: &Lexicon,
        verdicts: &mut Verdicts,
        blocks: &[Block],
        words: &[Vec<WordAt>],
        max_chars: usize,
        count: usize,
    ) -> Vec<Snippet> {
        let mut scored: Vec<(usize, usize, usize, Vec<Match>)> = Vec::new();
        for (index, block_words) in words.iter().enumerate() {
            let matches = self.matches(lexicon, verdicts, block_words);
            if matches.is_empty() {
                continue;
            }
            let distinct = matches.iter().map(|m| m.word).collect::<HashSet<_>>().len();
            let closeness: usize = matches
                .iter()
                .map(|m| 5 - m.kind as usize)
                .sum::<usize>()
                .min(20);
            scored.push((distinct, closeness, index, matches));
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        scored
            .into_iter()
            .take(count)
            .map(|(_, _, block, matches)| cut(block, blocks[block].text(), &matches, max_chars))
            .collect()
    }

    /// An article's passages and reasons (as [`Highlighter::passages`] and
    /// [`Highlighter::reasons`]), from its words analysed once in `lexicon`.
    pub fn hit_details(
        &self,
        lexicon: &Lexicon,
        article: &Article,
        words: &ArticleWords,
        max_chars: usize,
        count: usize,
    ) -> (Vec<Snippet>, Vec<Reason>) {
        let mut verdicts = Verdicts::default();
        let passages = self.passages_in(
            lexicon,
            &mut verdicts,
            &article.blocks,
            &words.blocks,
            max_chars,
            count,
        );
        let blocks = article.blocks.iter().map(Block::text);
        let texts = std::iter::once((article.title.as_str(), words.title.as_slice()))
            .chain(blocks.zip(words.blocks.iter().map(Vec::as_slice)));
        let reasons = self.reasons_in(lexicon, &mut verdicts, texts);
        (passages, reasons)
    }

    /// The best passage, as [`Highlighter::passages`] ranks them.
    pub fn snippet(&self, blocks: &[Block], max_chars: usize) -> Option<Snippet> {
        self.passages(blocks, max_chars, 1).into_iter().next()
    }
}

/// How many characters of context a snippet keeps before its first match.
const LEAD_CHARS: usize = 50;

fn cut(block: usize, text: &str, matches: &[Match], max_chars: usize) -> Snippet {
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
            let covered: HashSet<usize> = matches
                .iter()
                .filter(|m| m.range.start >= start && m.range.end <= end)
                .map(|m| m.word)
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
    fn a_query_of_stop_words_marks_them_and_an_empty_one_nothing() {
        assert_eq!(
            marked(
                "Et la Hadopi",
                &Highlighter::new("la et").ranges("Et la Hadopi")
            ),
            ["Et", "la"]
        );
        assert!(Highlighter::new("").ranges("La Hadopi").is_empty());
        assert!(Highlighter::new("-hadopi").is_empty());
    }

    #[test]
    fn typos_prefixes_and_hyphenated_words_are_marked_once() {
        let text = "Les e-mails de la Hadopi aux États-Unis, téléchargés.";
        assert_eq!(
            marked(
                text,
                &Highlighter::new("Hadopy mails unis télécha").ranges(text)
            ),
            ["mails", "Hadopi", "Unis", "téléchargés"]
        );
        assert_eq!(
            marked(text, &Highlighter::new("e-mails ").ranges(text)),
            ["e-mails"]
        );
    }

    #[test]
    fn reasons_say_how_each_word_matched() {
        let text = "Télécharger un film : la Hadopi veille sur le téléchargement.";
        let reasons = Highlighter::new("téléchargement Hadopy").reasons([text]);
        let sentences: Vec<String> = reasons.iter().map(Reason::sentence).collect();
        assert_eq!(
            sentences,
            [
                "« téléchargement » → « téléchargement » : même mot",
                "« téléchargement » → « Télécharger » : même racine",
                "« Hadopy » → « Hadopi » : faute de frappe",
            ]
        );
    }

    #[test]
    fn passages_rank_blocks_by_the_words_they_match() {
        let blocks = [
            Block::Paragraph("La Hadopi.".into()),
            Block::Paragraph("Rien.".into()),
            Block::Paragraph("Popcorn Time et la Hadopi.".into()),
        ];
        let passages = Highlighter::new("hadopi popcorn").passages(&blocks, 200, 3);
        let order: Vec<usize> = passages.iter().map(|p| p.block).collect();
        assert_eq!(order, [2, 0]);
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
