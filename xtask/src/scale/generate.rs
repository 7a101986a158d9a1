//! The corpus generator of `cargo xtask scale`: French-looking articles in the format of
//! `index/README.md`.
//!
//! Its vocabulary comes from the shipped articles (`index/articles/*.md`): sentences are walks
//! of a bigram chain over their words (accents, elisions, numbers and punctuation kept), with
//! paragraph lengths, paragraph counts and headings drawn from theirs. Three articles know too
//! few words for a large corpus, whose term dictionary would then stay tiny; so some of the
//! longer lowercase words are replaced by words of a synthetic lexicon (a stem of a real word,
//! French syllables and a French suffix) drawn with a Zipf law, which makes the vocabulary keep
//! growing with the corpus as a real one does (Heaps' law). Article `i` depends only on the
//! seed and `i`, so the corpus of 100 is the first 100 of the corpus of 1,000, and the same seed
//! always writes the same bytes.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::random::{Rng, mix};
use crate::process::rel;

/// Of the lowercase words of at least [`RARE_MIN_CHARS`] characters, the share replaced by a
/// word of the synthetic lexicon.
const RARE_RATE: f64 = 0.25;
const RARE_MIN_CHARS: usize = 5;
/// Size of the synthetic lexicon; ranks are drawn with P(rank) ∝ 1/(rank+1) (Zipf, s = 1).
const LEXICON: f64 = 2_000_000.0;
/// Share of numbers replaced by another number of as many digits.
const NUMBER_RATE: f64 = 0.5;
/// Chance, at each word, to leave the chain for a word drawn from the whole text.
const JUMP_RATE: f64 = 0.2;
/// Longest sentence, in words.
const MAX_SENTENCE: usize = 50;

const SUFFIXES: [&str; 20] = [
    "ation", "ement", "ique", "eur", "iste", "age", "ité", "ance", "oire", "ure", "isme", "eux",
    "ive", "ier", "ière", "ent", "ant", "ée", "ais", "ien",
];
const SYLLABLES: [&str; 20] = [
    "ra", "ti", "lo", "mé", "con", "pré", "ver", "di", "na", "sé", "tri", "gu", "bo", "pa", "fé",
    "cu", "lé", "mo", "ré", "vi",
];
const SOURCE: &str = "Corpus synthétique de Lecteur";

/// What the generator learned from the real articles.
#[derive(Debug)]
pub struct Model {
    /// Every word of the bodies, in order: drawing a position draws a word by its frequency.
    words: Vec<String>,
    /// For each position, the position of the next word in the same paragraph.
    next: Vec<Option<usize>>,
    /// For each word, the positions where it occurs.
    positions: HashMap<String, Vec<usize>>,
    /// Positions that begin a sentence.
    starts: Vec<usize>,
    /// Words per paragraph, one entry per real paragraph.
    paragraph_words: Vec<usize>,
    /// Paragraphs per article, one entry per real article.
    article_paragraphs: Vec<usize>,
    /// Headings per paragraph over the real articles.
    heading_rate: f64,
    /// Beginnings of real words, for the synthetic lexicon.
    stems: Vec<String>,
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corpus {
    pub articles: usize,
    pub bytes: u64,
    pub words: u64,
    /// Distinct lowercase words (letters and digits) of titles and bodies.
    pub distinct_words: usize,
}

impl Model {
    /// Learns from every `*.md` article of `folder`, in name order.
    pub fn from_folder(folder: &Path) -> Result<Model> {
        let mut paths: Vec<PathBuf> = fs::read_dir(folder)
            .with_context(|| format!("cannot list {}", rel(folder).display()))?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
            .collect();
        paths.sort();
        let mut sources = Vec::new();
        for path in &paths {
            sources.push(
                fs::read_to_string(path)
                    .with_context(|| format!("cannot read {}", rel(path).display()))?,
            );
        }
        let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
        Model::learn(&sources).with_context(|| {
            format!(
                "{} has no article to learn French words from",
                rel(folder).display()
            )
        })
    }

    /// Learns from article sources (front matter, then paragraphs and `##` headings).
    pub fn learn(sources: &[&str]) -> Option<Model> {
        let mut model = Model {
            words: Vec::new(),
            next: Vec::new(),
            positions: HashMap::new(),
            starts: Vec::new(),
            paragraph_words: Vec::new(),
            article_paragraphs: Vec::new(),
            heading_rate: 0.0,
            stems: Vec::new(),
        };
        let mut headings = 0;
        for source in sources {
            let body = body_of(source);
            let mut paragraphs = 0;
            for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
                if line.starts_with('#') {
                    headings += 1;
                    continue;
                }
                paragraphs += 1;
                let tokens: Vec<&str> = line.split_whitespace().collect();
                model.paragraph_words.push(tokens.len());
                let first = model.words.len();
                for (k, token) in tokens.iter().enumerate() {
                    let position = first + k;
                    if k == 0 || ends_sentence(tokens[k - 1]) {
                        model.starts.push(position);
                    }
                    model.words.push(token.to_string());
                    model
                        .next
                        .push((k + 1 < tokens.len()).then_some(position + 1));
                    model
                        .positions
                        .entry(token.to_string())
                        .or_default()
                        .push(position);
                }
            }
            if paragraphs > 0 {
                model.article_paragraphs.push(paragraphs);
            }
        }
        if model.words.is_empty() {
            return None;
        }
        let total: usize = model.article_paragraphs.iter().sum();
        model.heading_rate = headings as f64 / total as f64;
        let mut stems: Vec<String> = model
            .words
            .iter()
            .map(|token| core_of(token).1)
            .filter(|core| is_plain_lowercase(core) && core.chars().count() >= 6)
            .map(|core| core.chars().take(4).collect())
            .collect();
        stems.sort();
        stems.dedup();
        if stems.is_empty() {
            stems.push("lect".to_string());
        }
        model.stems = stems;
        Some(model)
    }

    /// Writes articles `0..n` of `seed` into `folder` (emptied first).
    pub fn write_corpus(&self, seed: u64, n: usize, folder: &Path) -> Result<Corpus> {
        if folder.exists() {
            fs::remove_dir_all(folder)
                .with_context(|| format!("cannot empty {}", rel(folder).display()))?;
        }
        fs::create_dir_all(folder)
            .with_context(|| format!("cannot create {}", rel(folder).display()))?;
        let mut corpus = Corpus::default();
        let mut vocabulary = HashSet::new();
        for i in 0..n {
            let (slug, text) = self.article(seed, i);
            count_words(&text, &mut corpus, &mut vocabulary);
            corpus.bytes += text.len() as u64;
            let path = folder.join(format!("{slug}.md"));
            fs::write(&path, text)
                .with_context(|| format!("cannot write {}", rel(&path).display()))?;
        }
        corpus.articles = n;
        corpus.distinct_words = vocabulary.len();
        Ok(corpus)
    }

    /// Article `i` of `seed`: its slug and its source text.
    pub fn article(&self, seed: u64, i: usize) -> (String, String) {
        let mut rng = Rng::new(mix(seed ^ mix(i as u64 + 1)));
        let length = 5 + rng.below(9);
        let title = self.phrase(&mut rng, length);
        let slug = slug(&title, i + 1);
        let date = format!(
            "{}-{:02}-{:02} {:02}:{:02}",
            2010 + rng.below(15),
            1 + rng.below(12),
            1 + rng.below(28),
            6 + rng.below(16),
            rng.below(60)
        );
        let base = *rng.pick(&self.article_paragraphs);
        let paragraphs = (base + rng.below(5)).saturating_sub(2).max(2);
        let mut text = format!(
            "---\nslug: {slug}\ntitle: {title}\nsource: {SOURCE}\ndate: {date}\nlanguage: fr\n---\n"
        );
        for k in 0..paragraphs {
            if k >= 2 && rng.chance(self.heading_rate) {
                let length = 3 + rng.below(6);
                let heading = self.phrase(&mut rng, length);
                let _ = write!(text, "\n## {heading}\n");
            }
            let _ = write!(text, "\n{}\n", self.paragraph(&mut rng));
        }
        (slug, text)
    }

    fn paragraph(&self, rng: &mut Rng) -> String {
        let base = *rng.pick(&self.paragraph_words) as f64;
        let target = ((base * (0.7 + 0.6 * rng.unit())) as usize).max(8);
        let mut words = Vec::new();
        while words.len() < target {
            words.extend(self.sentence(rng, MAX_SENTENCE));
        }
        words.join(" ")
    }

    /// A sentence: a walk of the chain from a sentence start, ended with a full stop.
    fn sentence(&self, rng: &mut Rng, max_words: usize) -> Vec<String> {
        let mut position = *rng.pick(&self.starts);
        let mut words = Vec::new();
        loop {
            let word = &self.words[position];
            words.push(self.vary(rng, word));
            if ends_sentence(word) || words.len() >= max_words {
                break;
            }
            position = match self.next_position(rng, word) {
                Some(next) => next,
                None => break,
            };
        }
        let last = words.last_mut().expect("one word at least");
        if !ends_sentence(last) {
            let kept = last.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
            last.truncate(kept);
            last.push('.');
        }
        capitalize(&mut words[0]);
        words
    }

    /// Where the chain goes after `word`: a word that follows it somewhere in the real text, or
    /// now and then any word of it.
    fn next_position(&self, rng: &mut Rng, word: &str) -> Option<usize> {
        if rng.chance(JUMP_RATE) {
            return Some(rng.below(self.words.len()));
        }
        let followers: Vec<usize> = self.positions[word]
            .iter()
            .filter_map(|&p| self.next[p])
            .collect();
        if followers.is_empty() {
            None
        } else {
            Some(*rng.pick(&followers))
        }
    }

    /// A title or heading: the start of a sentence, without its final punctuation.
    fn phrase(&self, rng: &mut Rng, words: usize) -> String {
        let mut words = self.sentence(rng, words);
        let last = words.last_mut().expect("one word at least");
        let kept = last.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
        last.truncate(kept);
        words.retain(|word| !word.is_empty());
        let phrase = words.join(" ");
        let phrase = phrase.trim_start_matches(['#', '-', ' ']);
        if phrase.is_empty() {
            "Sans titre".to_string()
        } else {
            phrase.to_string()
        }
    }

    /// A word of the real text, or in its place a rare word or another number.
    fn vary(&self, rng: &mut Rng, token: &str) -> String {
        let (lead, core, trail) = core_of(token);
        let replaced = if is_plain_lowercase(core)
            && core.chars().count() >= RARE_MIN_CHARS
            && rng.chance(RARE_RATE)
        {
            let rank = ((rng.unit() * LEXICON.ln()).exp() as u64).saturating_sub(1);
            self.lexicon_word(rank)
        } else if !core.is_empty()
            && core.bytes().all(|b| b.is_ascii_digit())
            && rng.chance(NUMBER_RATE)
        {
            (0..core.len())
                .map(|k| {
                    let low = if k == 0 && core.len() > 1 { 1 } else { 0 };
                    char::from(b'0' + (low + rng.below(10 - low as usize) as u8))
                })
                .collect()
        } else {
            return token.to_string();
        };
        format!("{lead}{replaced}{trail}")
    }

    /// Word `rank` of the synthetic lexicon: a real stem, syllables (more for rarer words), a
    /// French suffix, sometimes a plural `s`.
    fn lexicon_word(&self, rank: u64) -> String {
        let mut rng = Rng::new(mix(rank ^ 0x5EED_0F1E_71C0));
        let mut word = rng.pick(&self.stems).clone();
        let syllables = match rank {
            0..2_000 => 0,
            2_000..80_000 => 1,
            _ => 2,
        };
        for _ in 0..syllables {
            let syllable = rng.pick::<&str>(&SYLLABLES);
            word.push_str(syllable);
        }
        let suffix = rng.pick::<&str>(&SUFFIXES);
        word.push_str(suffix);
        if rng.chance(0.2) {
            word.push('s');
        }
        word
    }
}

/// The text after the front matter of an article source.
fn body_of(source: &str) -> &str {
    let mut fences = 0;
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        offset += line.len();
        if line.trim() == "---" {
            fences += 1;
            if fences == 2 {
                return &source[offset..];
            }
        }
    }
    source
}

/// Whether a word ends a sentence (closing quotes and brackets aside).
fn ends_sentence(token: &str) -> bool {
    token
        .trim_end_matches(['"', '»', ')', '”', '\u{a0}'])
        .ends_with(['.', '!', '?', '…'])
}

/// Splits a token into what precedes its first letter or digit, the word, and what follows.
fn core_of(token: &str) -> (&str, &str, &str) {
    let start = token
        .find(|c: char| c.is_alphanumeric())
        .unwrap_or(token.len());
    let end = token
        .rfind(|c: char| c.is_alphanumeric())
        .map_or(start, |i| {
            i + token[i..].chars().next().map_or(0, char::len_utf8)
        });
    (&token[..start], &token[start..end], &token[end..])
}

fn is_plain_lowercase(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| c.is_alphabetic() && c.is_lowercase())
}

fn capitalize(word: &mut String) {
    let Some((index, first)) = word.char_indices().find(|(_, c)| c.is_alphanumeric()) else {
        return;
    };
    if first.is_lowercase() {
        let upper: String = first.to_uppercase().collect();
        word.replace_range(index..index + first.len_utf8(), &upper);
    }
}

/// A slug from the title's first words, folded to ASCII, and the article's number (unique).
fn slug(title: &str, number: usize) -> String {
    let folded: String = title.chars().map(fold).collect();
    let mut words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(6)
        .collect();
    let number = number.to_string();
    words.push(&number);
    words.join("-")
}

/// Lowercase ASCII for a French letter (`é` → `e`, `œ` → `oe`); other characters → space.
/// The generator's own, not the search's (`lecteur::analysis::fold`, tantivy's ASCII folding,
/// which xtask does not link): slugs, and so the corpora's file names, must not change with it.
fn fold(c: char) -> String {
    let c = c.to_lowercase().next().unwrap_or(c);
    let folded = match c {
        'à' | 'â' | 'ä' | 'á' => "a",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'î' | 'ï' | 'í' => "i",
        'ô' | 'ö' | 'ó' => "o",
        'ù' | 'û' | 'ü' | 'ú' => "u",
        'ç' => "c",
        'ÿ' => "y",
        'œ' => "oe",
        'æ' => "ae",
        c if c.is_ascii_alphanumeric() => return c.to_string(),
        _ => " ",
    };
    folded.to_string()
}

fn count_words(text: &str, corpus: &mut Corpus, vocabulary: &mut HashSet<String>) {
    for line in body_of(text)
        .lines()
        .chain(text.lines().filter_map(|line| line.strip_prefix("title: ")))
    {
        for word in line
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            corpus.words += 1;
            if !vocabulary.contains(word) {
                vocabulary.insert(word.to_lowercase());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use lecteur_core::article::{Article, Block, is_slug};

    use super::*;

    const SOURCE_A: &str = "---\nslug: a\ntitle: Un titre\nlanguage: fr\n---\n\n\
        La Hadopi a envoyé 350 000 avertissements aux internautes français. Popcorn Time \
        n'est pas légal, rappelle l’autorité.\n\n## Un intertitre\n\n\
        Le logiciel permet de télécharger des films et des séries sans autorisation, \
        gratuitement. Les ayants droit s'inquiètent : « c'est du piratage », disent-ils.\n";
    const SOURCE_B: &str = "---\nslug: b\ntitle: Autre\nlanguage: fr\n---\n\n\
        Netflix doit être lancé en France le 15 septembre prochain. Et il ne compte pas \
        s'arrêter là.\n";

    fn model() -> Model {
        Model::learn(&[SOURCE_A, SOURCE_B]).expect("articles to learn from")
    }

    #[test]
    fn same_seed_same_bytes_and_corpora_nest() {
        let model = model();
        let first: Vec<_> = (0..30).map(|i| model.article(7, i)).collect();
        let again: Vec<_> = (0..30).map(|i| model.article(7, i)).collect();
        assert_eq!(first, again);
        let other: Vec<_> = (0..30).map(|i| model.article(8, i)).collect();
        assert_ne!(first, other);
        // Article i depends on the seed and i only, so a smaller corpus is a prefix of a larger.
        assert_eq!(model.article(7, 12), first[12]);
    }

    /// The bytes of the corpus generated before the generator was split into modules: they
    /// change only if the generator does (or its random numbers), never with a refactoring.
    #[test]
    fn the_corpus_bytes_do_not_change() {
        let model = model();
        let mut all = Vec::new();
        for i in 0..200 {
            let (slug, text) = model.article(super::super::DEFAULT_SEED, i);
            all.extend_from_slice(slug.as_bytes());
            all.push(0);
            all.extend_from_slice(text.as_bytes());
        }
        assert_eq!(
            crate::fingerprint::sha256_hex(&all),
            "45d7e6912ed96027f77a4d5703b863065d4216f3f15b14e1cb186aed5e9c97aa"
        );
    }

    #[test]
    fn written_corpora_are_byte_identical() {
        let model = model();
        let scratch = tempfile::tempdir().unwrap();
        let base = scratch.path();
        let read_all = |dir: &Path| {
            let mut files: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(dir)
                .unwrap()
                .map(|e| {
                    let path = e.unwrap().path();
                    let bytes = fs::read(&path).unwrap();
                    (path.file_name().unwrap().into(), bytes)
                })
                .collect();
            files.sort();
            files
        };
        let one = model.write_corpus(3, 40, &base.join("one")).unwrap();
        let two = model.write_corpus(3, 40, &base.join("two")).unwrap();
        assert_eq!(one, two);
        assert_eq!(one.articles, 40);
        let files = read_all(&base.join("one"));
        assert_eq!(files.len(), 40, "slugs are unique");
        assert_eq!(files, read_all(&base.join("two")));
    }

    /// The rules of index/README.md the generator could break, checked by the reader's own
    /// parser (the indexer checks them all when `cargo xtask scale` runs it on the corpora).
    #[test]
    fn articles_follow_the_format() {
        let model = model();
        for i in 0..200 {
            let (slug, text) = model.article(11, i);
            assert!(is_slug(&slug), "{slug}");
            let article = Article::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert_eq!(article.slug, slug);
            // Front matter keys in the order the shipped articles write them.
            let front = text.split("---\n").nth(1).unwrap();
            let keys: Vec<&str> = front
                .lines()
                .map(|l| l.split_once(": ").unwrap().0)
                .collect();
            assert_eq!(keys, ["slug", "title", "source", "date", "language"]);
            let title = &article.title;
            assert!(
                !title.trim().is_empty() && title == title.trim(),
                "{title:?}"
            );
            let date = article.date.expect("a date");
            assert!(date.time.is_some(), "{text}");
            assert!(front.contains(&format!("date: {}\n", date.machine().replace('T', " "))));
            let paragraphs = article
                .blocks
                .iter()
                .filter(|block| matches!(block, Block::Paragraph(_)))
                .count();
            assert!(paragraphs >= 2, "{text}");
        }
    }

    #[test]
    fn words_keep_their_accents_and_elisions() {
        let model = model();
        let text: String = (0..50).map(|i| model.article(5, i).1).collect();
        assert!(text.contains('é'));
        assert!(
            text.contains("n'est") || text.contains("l’autorité") || text.contains("s'arrêter")
        );
    }

    #[test]
    fn the_rare_words_follow_zipf() {
        let model = model();
        assert_eq!(model.lexicon_word(42), model.lexicon_word(42));
        // Rarer words get more syllables, so there are more of them to draw from.
        let distinct: HashSet<String> = (100_000..101_000).map(|k| model.lexicon_word(k)).collect();
        assert!(distinct.len() > 500, "{}", distinct.len());
    }

    #[test]
    fn splits_words_from_punctuation() {
        assert_eq!(core_of("«piratage»,"), ("«", "piratage", "»,"));
        assert_eq!(core_of("l’outil."), ("", "l’outil", "."));
        assert_eq!(core_of("..."), ("...", "", ""));
        assert!(ends_sentence("France.") && ends_sentence("là.\"") && !ends_sentence("France,"));
        assert_eq!(
            slug("Non, Popcorn Time n'est pas légal", 3),
            "non-popcorn-time-n-est-pas-3"
        );
    }
}
