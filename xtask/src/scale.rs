//! `cargo xtask scale`: how the reader grows with its corpus.
//!
//! 1. A deterministic generator writes corpora of French-looking articles (100, 1,000 and 10,000
//!    by default) into `target/scale/N/articles`, in the format of `index/README.md`. Its
//!    vocabulary comes from the shipped articles (`index/articles/*.md`): sentences are walks
//!    of a bigram chain over their words (accents, elisions, numbers and punctuation kept), with
//!    paragraph lengths, paragraph counts and headings drawn from theirs. Three articles know
//!    too few words for a large corpus, whose term dictionary would then stay tiny; so some of
//!    the longer lowercase words are replaced by words of a synthetic lexicon (a stem of a real
//!    word, French syllables and a French suffix) drawn with a Zipf law, which makes the
//!    vocabulary keep growing with the corpus as a real one does (Heaps' law). Article `i`
//!    depends only on the seed and `i`, so the corpus of 100 is the first 100 of the corpus of
//!    1,000, and the same seed always writes the same bytes.
//! 2. For each size it runs the release `lecteur-index --stats` (wall time measured here; peak
//!    memory is the indexer's own `VmHWM` from `/proc/self/status`, so Linux only), measures
//!    the bundle and its brotli and gzip sizes (Node.js's zlib, as `cargo xtask build` does),
//!    and runs the release `examples/query_latency.rs` on it (open time, query median and p95).
//! 3. With `--browser`, it also builds the site of each size up to `--browser-max` and runs
//!    `bench/scale-browser.mjs` on it (Chromium: cold load to the first result, warm query).
//! 4. It prints a Markdown table and writes it to `target/scale/results.md`, the figures to
//!    `target/scale/results.json` and a log-log plot to `target/scale/scale.svg`.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::build;
use crate::process::{cargo, command, rel, root, run, say, target_dir};

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 20_141_222;
/// The corpus sizes measured when none are given.
pub const DEFAULT_SIZES: [usize; 3] = [100, 1_000, 10_000];
/// Timed runs of each query (after a warm-up) when none are given.
pub const DEFAULT_RUNS: usize = 50;

/// What `cargo xtask scale` was asked for.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub sizes: Vec<usize>,
    pub seed: u64,
    pub runs: usize,
    /// Measure in Chromium the sizes up to this one (`None`: no browser figures).
    pub browser_max: Option<usize>,
    /// Only write the corpora.
    pub generate_only: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            sizes: DEFAULT_SIZES.to_vec(),
            seed: DEFAULT_SEED,
            runs: DEFAULT_RUNS,
            browser_max: None,
            generate_only: false,
        }
    }
}

/// Parses `100,1000,10000`.
pub fn parse_sizes(text: &str) -> Result<Vec<usize>, String> {
    let sizes: Result<Vec<usize>, _> = text.split(',').map(|n| n.trim().parse()).collect();
    match sizes {
        Ok(sizes) if !sizes.is_empty() && sizes.iter().all(|&n| n > 0) => Ok(sizes),
        _ => Err(format!(
            "`--sizes {text}` is not a list of article counts; write e.g. `--sizes 100,1000,10000`"
        )),
    }
}

/// `cargo xtask scale`.
pub fn all(options: &Options) -> Result<(), String> {
    let out = target_dir().join("scale");
    let model = Model::from_folder(&root().join("index/articles"))?;
    if !options.generate_only {
        say!("building the release indexer and examples/query_latency.rs…");
        run(
            cargo().args([
                "build",
                "--release",
                "--bin",
                "lecteur-index",
                "--example",
                "query_latency",
            ]),
            "fix the compile errors above",
        )?;
    }
    let mut rows = Vec::new();
    for &n in &options.sizes {
        let dir = out.join(n.to_string());
        let articles = dir.join("articles");
        say!(
            "writing {n} articles (seed {}) into {}…",
            options.seed,
            rel(&articles).display()
        );
        let corpus = model.write_corpus(options.seed, n, &articles)?;
        if options.generate_only {
            continue;
        }
        let mut row = measure_native(n, &corpus, &articles, &dir, options.runs)?;
        if options.browser_max.is_some_and(|max| n <= max) {
            row.browser = Some(measure_browser(&articles, &dir)?);
        }
        say!("{}", table_line(&row));
        rows.push(row);
    }
    if options.generate_only {
        return Ok(());
    }
    let table = table(&rows);
    print!("{table}");
    let notes = format!(
        "Seed {}; {} timed runs of each of the {} queries of examples/query_latency.rs after a \
         warm-up.\n\n{table}",
        options.seed, options.runs, QUERY_COUNT
    );
    write(&out.join("results.md"), &notes)?;
    write(&out.join("results.json"), &json(options, &rows))?;
    write(&out.join("scale.svg"), &svg(&rows))?;
    say!(
        "wrote {0}/results.md, {0}/results.json and {0}/scale.svg",
        rel(&out).display()
    );
    Ok(())
}

/// Number of queries in examples/query_latency.rs (for the notes only).
const QUERY_COUNT: usize = 12;

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::create_dir_all(path.parent().expect("a file in a folder"))
        .and_then(|()| fs::write(path, text))
        .map_err(|e| format!("cannot write {}: {e}", rel(path).display()))
}

// ---------------------------------------------------------------------------------------------
// Random numbers

/// splitmix64: tiny, fast, and good enough to pick words; the same on every machine.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// A number in `0..n` (`n > 0`); the modulo bias is negligible for the small `n` used here.
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The finalizer of splitmix64.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

// ---------------------------------------------------------------------------------------------
// The generator

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
    pub fn from_folder(folder: &Path) -> Result<Model, String> {
        let mut paths: Vec<PathBuf> = fs::read_dir(folder)
            .map_err(|e| format!("cannot list {}: {e}", rel(folder).display()))?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
            .collect();
        paths.sort();
        let mut sources = Vec::new();
        for path in &paths {
            sources.push(
                fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {}: {e}", rel(path).display()))?,
            );
        }
        let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
        Model::learn(&sources).ok_or_else(|| {
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
    pub fn write_corpus(&self, seed: u64, n: usize, folder: &Path) -> Result<Corpus, String> {
        if folder.exists() {
            fs::remove_dir_all(folder)
                .map_err(|e| format!("cannot empty {}: {e}", rel(folder).display()))?;
        }
        fs::create_dir_all(folder)
            .map_err(|e| format!("cannot create {}: {e}", rel(folder).display()))?;
        let mut corpus = Corpus::default();
        let mut vocabulary = HashSet::new();
        for i in 0..n {
            let (slug, text) = self.article(seed, i);
            count_words(&text, &mut corpus, &mut vocabulary);
            corpus.bytes += text.len() as u64;
            let path = folder.join(format!("{slug}.md"));
            fs::write(&path, text)
                .map_err(|e| format!("cannot write {}: {e}", rel(&path).display()))?;
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

// ---------------------------------------------------------------------------------------------
// Measuring

/// The figures of one corpus size.
#[derive(Debug, Clone, Default)]
struct Row {
    corpus: Corpus,
    build_seconds: f64,
    peak_rss_kib: Option<u64>,
    index_bytes: u64,
    /// Bytes of the bundle's JSON header, which holds every article in full.
    header_bytes: u64,
    index_br: u64,
    br_quality: u32,
    index_gz: u64,
    read_ms: f64,
    open_ms: f64,
    query_median_ms: f64,
    query_p95_ms: f64,
    rss_after_open_kib: Option<u64>,
    browser: Option<Browser>,
}

/// Figures measured in Chromium.
#[derive(Debug, Clone, Default)]
struct Browser {
    load_ms: f64,
    query_ms: f64,
}

fn measure_native(
    n: usize,
    corpus: &Corpus,
    articles: &Path,
    dir: &Path,
    runs: usize,
) -> Result<Row, String> {
    let release = target_dir().join("release");
    let bundle = dir.join("index.bin");
    say!("indexing {n} articles…");
    let started = Instant::now();
    let output = stdout(
        Command::new(release.join("lecteur-index"))
            .arg("--stats")
            .arg(articles)
            .arg(&bundle),
    )?;
    let build_seconds = started.elapsed().as_secs_f64();
    let peak_rss_kib = value(&output, "peak_rss_kib").and_then(|v| v.parse().ok());
    let index_bytes = fs::metadata(&bundle)
        .map_err(|e| format!("cannot read {}: {e}", rel(&bundle).display()))?
        .len();
    let header_bytes = header_len(&bundle)?;

    let br_quality = if index_bytes <= BROTLI_11_MAX { 11 } else { 9 };
    say!("compressing the index of {n} articles (brotli {br_quality}, gzip 9)…");
    let sizes = stdout(
        command("node")
            .arg("-e")
            .arg(COMPRESSED_SIZES)
            .arg(&bundle)
            .arg(br_quality.to_string()),
    )?;
    let size = |key| {
        value(&sizes, key)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("node printed no {key} size: {sizes}"))
    };
    let (index_br, index_gz) = (size("br")?, size("gz")?);

    say!("querying the index of {n} articles ({runs} runs per query)…");
    let latency = stdout(
        Command::new(release.join("examples/query_latency"))
            .arg(&bundle)
            .arg("--runs")
            .arg(runs.to_string()),
    )?;
    let number = |key| -> Result<f64, String> {
        value(&latency, key)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("query_latency printed no {key}: {latency}"))
    };
    Ok(Row {
        corpus: corpus.clone(),
        build_seconds,
        peak_rss_kib,
        index_bytes,
        header_bytes,
        index_br,
        br_quality,
        index_gz,
        read_ms: number("read_ms")?,
        open_ms: number("open_ms")?,
        query_median_ms: number("median_ms")?,
        query_p95_ms: number("p95_ms")?,
        rss_after_open_kib: value(&latency, "rss_after_open_kib").and_then(|v| v.parse().ok()),
        browser: None,
    })
}

/// The length of a bundle's JSON header: a `u32` LE after the 8-byte magic and the 4-byte
/// format version (`src/bundle.rs`).
fn header_len(bundle: &Path) -> Result<u64, String> {
    use std::io::Read;
    let mut start = [0u8; 16];
    fs::File::open(bundle)
        .and_then(|mut file| file.read_exact(&mut start))
        .map_err(|e| format!("cannot read {}: {e}", rel(bundle).display()))?;
    if &start[..8] != b"LECTEUR\0" {
        return Err(format!("{} is not an index bundle", rel(bundle).display()));
    }
    Ok(u64::from(u32::from_le_bytes([
        start[12], start[13], start[14], start[15],
    ])))
}

/// Largest bundle compressed with brotli's quality 11, as `tools/precompress.js` does; larger
/// ones get quality 9, since 11 runs at about 1 MB/s (minutes for the largest corpus on a
/// shared 2-core machine). Quality 9 comes out a few percent larger.
const BROTLI_11_MAX: u64 = 16 << 20;

/// Prints `br=N gz=N` for the file named by its first argument, compressed with brotli at the
/// quality of its second argument and gzip 9, as `tools/precompress.js` does.
const COMPRESSED_SIZES: &str = "\
const fs = require('node:fs'); const zlib = require('node:zlib');
const data = fs.readFileSync(process.argv[1]);
const br = zlib.brotliCompressSync(data, { params: {
  [zlib.constants.BROTLI_PARAM_QUALITY]: Number(process.argv[2]),
  [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
console.log(`br=${br.length} gz=${zlib.gzipSync(data, { level: 9 }).length}`);";

fn measure_browser(articles: &Path, dir: &Path) -> Result<Browser, String> {
    let site = dir.join("site");
    build::site(&build::Options {
        articles: articles.to_path_buf(),
        out: site.clone(),
        public_url: None,
    })?;
    let script = root().join("bench/scale-browser.mjs");
    say!("loading the site of {} in Chromium…", rel(&site).display());
    let output = stdout(command("node").arg(&script).arg("--site").arg(&site))?;
    let number = |key: &str| -> Result<f64, String> {
        json_number(&output, key)
            .ok_or_else(|| format!("bench/scale-browser.mjs printed no {key}: {output}"))
    };
    Ok(Browser {
        load_ms: number("load_median_ms")?,
        query_ms: number("query_median_ms")?,
    })
}

/// Runs a command to its end and returns its standard output; its standard error passes through.
fn stdout(cmd: &mut Command) -> Result<String, String> {
    let shown = crate::process::display(cmd);
    let output = cmd
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`{shown}` failed ({}); see its message above",
            output.status
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The value of `key=value` in whitespace-separated output.
fn value<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.split_whitespace()
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
}

/// The number after `"key":` in a JSON text (enough for the flat objects read here).
fn json_number(text: &str, key: &str) -> Option<f64> {
    let quoted = format!("\"{key}\"");
    let rest = &text[text.find(&quoted)? + quoted.len()..];
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E' | '+')))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

// ---------------------------------------------------------------------------------------------
// Reporting

fn mib(bytes: u64) -> String {
    format!("{:.2} MiB", bytes as f64 / 1_048_576.0)
}

fn kib_as_mib(kib: Option<u64>) -> String {
    kib.map_or_else(
        || "—".to_string(),
        |kib| format!("{:.0} MiB", kib as f64 / 1024.0),
    )
}

fn table_line(row: &Row) -> String {
    let browser = row.browser.as_ref().map_or_else(
        || "— | —".to_string(),
        |b| format!("{:.0} ms | {:.1} ms", b.load_ms, b.query_ms),
    );
    format!(
        "| {} | {} | {} | {} | {:.1} s | {} | {} / {}{} / {} | {:.0}% | {:.0} ms | {} | {:.2} ms | {:.2} ms | {} |",
        row.corpus.articles,
        mib(row.corpus.bytes),
        row.corpus.distinct_words,
        row.corpus.words,
        row.build_seconds,
        kib_as_mib(row.peak_rss_kib),
        mib(row.index_bytes),
        mib(row.index_br),
        if row.br_quality == 11 { "" } else { " (q9)" },
        mib(row.index_gz),
        100.0 * row.header_bytes as f64 / row.index_bytes.max(1) as f64,
        row.open_ms,
        kib_as_mib(row.rss_after_open_kib),
        row.query_median_ms,
        row.query_p95_ms,
        browser
    )
}

fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| articles | articles size | distinct words | words | index build | build peak memory \
         | index raw / brotli / gzip | share of the articles' JSON | native open | memory after open | native query median \
         | native query p95 | browser load | browser query |\n\
         | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for row in rows {
        out.push_str(&table_line(row));
        out.push('\n');
    }
    out
}

fn json(options: &Options, rows: &[Row]) -> String {
    let opt = |v: Option<u64>| v.map_or_else(|| "null".to_string(), |v| v.to_string());
    let mut out = format!(
        "{{\n  \"seed\": {},\n  \"runs\": {},\n  \"rows\": [\n",
        options.seed, options.runs
    );
    for (k, row) in rows.iter().enumerate() {
        let browser = row.browser.as_ref().map_or_else(
            || "null".to_string(),
            |b| {
                format!(
                    "{{\"load_median_ms\": {:.1}, \"query_median_ms\": {:.2}}}",
                    b.load_ms, b.query_ms
                )
            },
        );
        let _ = writeln!(
            out,
            "    {{\"articles\": {}, \"articles_bytes\": {}, \"words\": {}, \"distinct_words\": {}, \
             \"build_seconds\": {:.3}, \"build_peak_rss_kib\": {}, \"index_bytes\": {}, \
             \"header_bytes\": {}, \"index_brotli_bytes\": {}, \"brotli_quality\": {}, \"index_gzip_bytes\": {}, \"read_ms\": {:.3}, \
             \"open_ms\": {:.3}, \"rss_after_open_kib\": {}, \"query_median_ms\": {:.3}, \
             \"query_p95_ms\": {:.3}, \"browser\": {browser}}}{}",
            row.corpus.articles,
            row.corpus.bytes,
            row.corpus.words,
            row.corpus.distinct_words,
            row.build_seconds,
            opt(row.peak_rss_kib),
            row.index_bytes,
            row.header_bytes,
            row.index_br,
            row.br_quality,
            row.index_gz,
            row.read_ms,
            row.open_ms,
            opt(row.rss_after_open_kib),
            row.query_median_ms,
            row.query_p95_ms,
            if k + 1 < rows.len() { "," } else { "" }
        );
    }
    out.push_str("  ]\n}\n");
    out
}

/// A plotted line: its legend, its colour and its (articles, value) points.
type Series = (&'static str, &'static str, Vec<(f64, f64)>);

/// A log-log plot of every series against the number of articles, one line each.
fn svg(rows: &[Row]) -> String {
    let mut series: Vec<Series> = vec![
        ("index, raw (MiB)", "#1f77b4", Vec::new()),
        ("index, brotli (MiB)", "#17becf", Vec::new()),
        ("build time (s)", "#d62728", Vec::new()),
        ("build peak memory (MiB)", "#9467bd", Vec::new()),
        ("native open (ms)", "#ff7f0e", Vec::new()),
        ("native query median (ms)", "#2ca02c", Vec::new()),
        ("browser cold load (ms)", "#8c564b", Vec::new()),
        ("browser query (ms)", "#e377c2", Vec::new()),
    ];
    for row in rows {
        let n = row.corpus.articles as f64;
        let mut values = vec![
            Some(row.index_bytes as f64 / 1_048_576.0),
            Some(row.index_br as f64 / 1_048_576.0),
            Some(row.build_seconds),
            row.peak_rss_kib.map(|kib| kib as f64 / 1024.0),
            Some(row.open_ms),
            Some(row.query_median_ms),
        ];
        values.extend(match &row.browser {
            Some(b) => [Some(b.load_ms), Some(b.query_ms)],
            None => [None, None],
        });
        for (serie, value) in series.iter_mut().zip(values) {
            if let Some(v) = value.filter(|v| *v > 0.0) {
                serie.2.push((n, v));
            }
        }
    }
    series.retain(|s| !s.2.is_empty());
    let points = series.iter().flat_map(|s| s.2.iter());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in points {
        x0 = x0.min(x.log10());
        x1 = x1.max(x.log10());
        y0 = y0.min(y.log10());
        y1 = y1.max(y.log10());
    }
    if series.is_empty() {
        (x0, x1, y0, y1) = (2.0, 4.0, 0.0, 1.0);
    }
    let (x0, x1, y0, y1) = (
        x0.floor(),
        x1.ceil().max(x0.floor() + 1.0),
        y0.floor(),
        y1.ceil().max(y0.floor() + 1.0),
    );
    let (left, top, width, height) = (70.0, 30.0, 520.0, 380.0);
    let px = |x: f64| left + (x.log10() - x0) / (x1 - x0) * width;
    let py = |y: f64| top + height - (y.log10() - y0) / (y1 - y0) * height;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"470\" \
         font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"900\" height=\"470\" fill=\"white\"/>\n\
         <text x=\"{}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">Lecteur: growth with the \
         corpus (log-log)</text>\n",
        left + width / 2.0
    );
    for decade in x0 as i32..=x1 as i32 {
        let x = px(10f64.powi(decade));
        let _ = writeln!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#ddd\"/>\
             <text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            top + height,
            top + height + 16.0,
            thousands(10f64.powi(decade) as u64)
        );
    }
    for decade in y0 as i32..=y1 as i32 {
        let y = py(10f64.powi(decade));
        let label = if decade < 0 {
            format!("{}", 10f64.powi(decade))
        } else {
            thousands(10f64.powi(decade) as u64)
        };
        let _ = writeln!(
            out,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{label}</text>",
            left + width,
            left - 6.0,
            y + 4.0
        );
    }
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">articles</text>",
        left + width / 2.0,
        top + height + 34.0
    );
    for (k, (name, color, points)) in series.iter().enumerate() {
        let path: Vec<String> = points
            .iter()
            .map(|&(x, y)| format!("{:.1},{:.1}", px(x), py(y)))
            .collect();
        let _ = writeln!(
            out,
            "<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{}\"/>",
            path.join(" ")
        );
        for &(x, y) in points {
            let _ = writeln!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{color}\"/>",
                px(x),
                py(y)
            );
        }
        let ly = top + 10.0 + k as f64 * 20.0;
        let lx = left + width + 20.0;
        let _ = writeln!(
            out,
            "<line x1=\"{lx}\" y1=\"{ly}\" x2=\"{}\" y2=\"{ly}\" stroke=\"{color}\" \
             stroke-width=\"2\"/><text x=\"{}\" y=\"{}\">{name}</text>",
            lx + 20.0,
            lx + 26.0,
            ly + 4.0
        );
    }
    out.push_str("</svg>\n");
    out
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn written_corpora_are_byte_identical() {
        let model = model();
        let base = std::env::temp_dir().join(format!("lecteur-scale-test-{}", std::process::id()));
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
        fs::remove_dir_all(&base).unwrap();
    }

    /// The rules of index/README.md the generator could break (the indexer checks them all
    /// when `cargo xtask scale` runs it on the corpora).
    #[test]
    fn articles_follow_the_format() {
        let model = model();
        for i in 0..200 {
            let (slug, text) = model.article(11, i);
            assert!(is_slug(&slug), "{slug}");
            let mut parts = text.splitn(3, "---\n");
            assert_eq!(parts.next(), Some(""));
            let front = parts.next().unwrap();
            let body = parts.next().unwrap();
            let keys: Vec<&str> = front
                .lines()
                .map(|l| l.split_once(": ").unwrap().0)
                .collect();
            assert_eq!(keys, ["slug", "title", "source", "date", "language"]);
            assert!(front.contains(&format!("slug: {slug}\n")));
            let title = front
                .lines()
                .nth(1)
                .unwrap()
                .strip_prefix("title: ")
                .unwrap();
            assert!(
                !title.trim().is_empty() && title == title.trim(),
                "{title:?}"
            );
            let date = front
                .lines()
                .nth(3)
                .unwrap()
                .strip_prefix("date: ")
                .unwrap();
            assert!(is_date(date), "{date}");
            assert!(body.starts_with('\n'));
            let mut paragraphs = 0;
            for line in body.lines().filter(|l| !l.trim().is_empty()) {
                if let Some(heading) = line.strip_prefix("## ") {
                    assert!(!heading.trim().is_empty() && !heading.starts_with('#'));
                } else {
                    assert!(!line.starts_with('#'), "{line}");
                    paragraphs += 1;
                }
            }
            assert!(paragraphs >= 2, "{text}");
        }
    }

    fn is_slug(text: &str) -> bool {
        !text.is_empty()
            && text.split('-').all(|word| {
                !word.is_empty()
                    && word
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
    }

    fn is_date(text: &str) -> bool {
        let b = text.as_bytes();
        b.len() == 16
            && text.char_indices().all(|(k, c)| match k {
                4 | 7 => c == '-',
                10 => c == ' ',
                13 => c == ':',
                _ => c.is_ascii_digit(),
            })
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

    #[test]
    fn reads_figures() {
        assert_eq!(value("a=1 open_ms=2.5\nb=3", "open_ms"), Some("2.5"));
        assert_eq!(value("xopen_ms=2", "open_ms"), None);
        assert_eq!(
            json_number("{\"load_median_ms\": 12.5, \"x\": 1}", "load_median_ms"),
            Some(12.5)
        );
        assert_eq!(parse_sizes("100,1000"), Ok(vec![100, 1000]));
        assert!(parse_sizes("100,x").is_err() && parse_sizes("0").is_err());
        assert_eq!(thousands(10000), "10,000");
    }
}
