//! What the inputs an attacker controls cost, natively: the table of the hardening issue,
//! measured on the shipped articles and on a generated corpus of 300 articles with a
//! 30,000-word vocabulary, against the budget the README states (50 ms and 100 ms).
//!
//! ```text
//! cargo run --release --example attacks
//! ```
//!
//! Each attack goes through the code a link or the search box reaches: the route's parsing,
//! then the article view's marks and shared passages (`Library::marks`,
//! `page::mark_shared`) or the results (`Library::search`). Each is timed over a few runs;
//! the slowest run is reported.

use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use lecteur::article::{Article, Block, load_folder};
use lecteur::page::mark_shared;
use lecteur::route::Route;
use lecteur::{Library, bundle};

/// The budget of any one input, on the shipped articles and on the generated corpus.
const BUDGET_SHIPPED: Duration = Duration::from_millis(50);
const BUDGET_GENERATED: Duration = Duration::from_millis(100);
const RUNS: usize = 3;

/// Seeded random choices (fastrand's generator), so that a failure replays.
struct Generator(fastrand::Rng);

impl Generator {
    fn seeded(seed: u64) -> Generator {
        Generator(fastrand::Rng::with_seed(seed))
    }

    fn below(&mut self, bound: usize) -> usize {
        self.0.usize(..bound)
    }

    /// A made-up word of `shortest` to `shortest + 5` letters.
    fn word(&mut self, shortest: usize) -> String {
        const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzeaiou";
        let length = shortest + self.below(6);
        (0..length)
            .map(|_| char::from(LETTERS[self.below(LETTERS.len())]))
            .collect()
    }
}

fn article(slug: String, title: String, blocks: Vec<Block>) -> Article {
    Article {
        slug,
        title,
        title_origin: None,
        source: None,
        date: None,
        language: "fr".into(),
        original: None,
        blocks,
    }
}

/// 300 articles of 150 words each: the 30,000 made-up words of a lexicon, a hundred
/// per article, each article also drawing fifty at random, so that the index's
/// vocabulary holds all 30,000.
fn generated() -> Vec<Article> {
    let mut generator = Generator::seeded(0x1234_5678_9abc_def1);
    let lexicon: Vec<String> = (0..30_000).map(|_| generator.word(4)).collect();
    (0..300)
        .map(|n| {
            let mut own = lexicon[n * 100..(n + 1) * 100].iter();
            let mut words = || -> String {
                (0..50)
                    .map(|i| match own.next() {
                        Some(word) if i % 3 != 2 => word.as_str(),
                        _ => lexicon[generator.below(lexicon.len())].as_str(),
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let blocks = (0..3).map(|_| Block::Paragraph(words())).collect();
            article(format!("article-{n}"), format!("Article {n}"), blocks)
        })
        .collect()
}

/// An article of `words` words: the shipped text repeated.
fn long_article(base: &Article, words: usize) -> Article {
    let text: Vec<&str> = base
        .blocks
        .iter()
        .flat_map(|block| block.text().split_whitespace())
        .collect();
    let blocks = text
        .iter()
        .cycle()
        .take(words)
        .collect::<Vec<_>>()
        .chunks(80)
        .map(|chunk| Block::Paragraph(chunk.iter().map(|w| **w).collect::<Vec<_>>().join(" ")))
        .collect();
    article("longue".into(), "Un long article".into(), blocks)
}

/// The slowest of a few runs of `work`.
fn slowest(mut work: impl FnMut()) -> Duration {
    (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .max()
        .unwrap_or_default()
}

/// The article view of `link` (`a/SLUG/?…`): its route parsed, its marks and shared passages.
fn article_view(library: &Library, article: &Article, link: &str) {
    let (path, search) = link.split_once('?').unwrap_or((link, ""));
    let Ok(Route::Article { query, shared, .. }) = Route::from_site(path, search) else {
        return;
    };
    if let Some(query) = query {
        let _ = library.marks(article, &query);
    }
    let _ = mark_shared(article, &shared);
}

fn main() -> ExitCode {
    let shipped = match load_folder(std::path::Path::new("index/articles")) {
        Ok(articles) => articles,
        Err(error) => {
            eprintln!("attacks: {error} (run from the repository's root)");
            return ExitCode::FAILURE;
        }
    };
    let open = |articles: &[Article]| {
        Library::open(bundle::build(articles, "").expect("the articles index")).expect("it opens")
    };
    let library = open(&shipped);
    let longest = library
        .articles()
        .iter()
        .max_by_key(|article| article.body_text().len())
        .cloned()
        .expect("articles");
    let generated = generated();
    let large = open(&generated);

    let mut generator = Generator::seeded(7);
    let many_words: Vec<String> = (0..5_000).map(|_| generator.word(6)).collect();
    let q_5000 = format!("a/x/?q={}", many_words.join("+"));
    let absent: Vec<String> = (0..8)
        .map(|_| {
            let quote: Vec<String> = (0..64).map(|_| generator.word(6)).collect();
            format!("s=0.0,,{},", quote.join("%20"))
        })
        .collect();
    let shared_absent = format!("a/x/?{}", absent.join("&"));
    let repetitive = article(
        "repetitive".into(),
        "Répétitif".into(),
        vec![Block::Paragraph("ab ".repeat(16_667))],
    );
    let quotes: Vec<String> = (0..8)
        .map(|_| format!("s=0.1,,{},", "ab%20".repeat(400).trim_end_matches("%20")))
        .collect();
    let shared_repetitive = format!("a/x/?{}", quotes.join("&"));
    // 83 words of five letters joined by commas: 497 characters, one "word" between spaces.
    let commas: String = (0..83)
        .map(|_| generator.word(5)[..5].to_string())
        .collect::<Vec<_>>()
        .join(",");
    // The largest query accepted: 40 words of the vocabulary, each with two letters
    // swapped, so that every one expands by typo and nothing has them all.
    let typos: Vec<String> = large
        .articles()
        .iter()
        .take(40)
        .filter_map(|article| article.blocks[0].text().split_whitespace().next())
        .map(|word| {
            let mut letters: Vec<char> = word.chars().collect();
            letters.swap(1, 2);
            letters.into_iter().collect()
        })
        .collect();
    let typos_query = typos.join(" ");
    let typos_commas = typos.join(",");
    let typos_link = format!("a/x/?q={}", typos.join("+"));
    // 8 quotes of 2,000 characters, one word changed, in a text that repeats their words:
    // every window of the text is a candidate for an approximate match.
    let near = format!("{}zz", "ab%20".repeat(399));
    let near_quotes: Vec<String> = (0..8).map(|_| format!("s=0.1,,{near},")).collect();
    let shared_near = format!("a/x/?{}", near_quotes.join("&"));

    let long_10k = long_article(&longest, 10_000);
    let long_40k = long_article(&longest, 40_000);
    let rows: Vec<(&str, &str, Duration, Duration)> = vec![
        (
            "an article link whose q= holds 5,000 distinct words",
            "shipped",
            slowest(|| article_view(&library, &longest, &q_5000)),
            BUDGET_SHIPPED,
        ),
        (
            "8 shared passages of 64 words not in the article, the longest shipped one",
            "shipped",
            slowest(|| article_view(&library, &longest, &shared_absent)),
            BUDGET_SHIPPED,
        ),
        (
            "the same, on a 10,000-word article",
            "generated",
            slowest(|| article_view(&library, &long_10k, &shared_absent)),
            BUDGET_GENERATED,
        ),
        (
            "the same, on a 40,000-word article",
            "generated",
            slowest(|| article_view(&library, &long_40k, &shared_absent)),
            BUDGET_GENERATED,
        ),
        (
            "8 exact quotes of 2,000 chars in a repetitive 50,000-char text",
            "generated",
            slowest(|| article_view(&library, &repetitive, &shared_repetitive)),
            BUDGET_GENERATED,
        ),
        (
            "8 quotes of 2,000 chars, one word changed, in the same text",
            "generated",
            slowest(|| article_view(&library, &repetitive, &shared_near)),
            BUDGET_GENERATED,
        ),
        (
            "40 misspelt words, searched",
            "generated",
            slowest(|| {
                let _ = large.search(&typos_query);
            }),
            BUDGET_GENERATED,
        ),
        (
            "the same, joined by commas",
            "generated",
            slowest(|| {
                let _ = large.search(&typos_commas);
            }),
            BUDGET_GENERATED,
        ),
        (
            "the same, marked in a 40,000-word article",
            "generated",
            slowest(|| article_view(&large, &long_40k, &typos_link)),
            BUDGET_GENERATED,
        ),
        (
            "83 words joined by commas, searched",
            "shipped",
            slowest(|| {
                let _ = library.search(&commas);
            }),
            BUDGET_SHIPPED,
        ),
        (
            "83 words joined by commas, searched",
            "generated",
            slowest(|| {
                let _ = large.search(&commas);
            }),
            BUDGET_GENERATED,
        ),
    ];
    let mut table = String::from(
        "| input | corpus | slowest of 3 | budget | |\n| --- | --- | ---: | ---: | --- |\n",
    );
    let mut over = 0;
    for (input, corpus, took, budget) in &rows {
        let within = took <= budget;
        over += usize::from(!within);
        let _ = writeln!(
            table,
            "| {input} | {corpus} | {:.1} ms | {} ms | {} |",
            took.as_secs_f64() * 1000.0,
            budget.as_millis(),
            if within { "within" } else { "**over**" }
        );
    }
    print!("{table}");
    if over > 0 {
        eprintln!("attacks: {over} inputs over the budget");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
