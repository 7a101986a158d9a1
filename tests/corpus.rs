//! End-to-end tests of the native side on the real articles: the sources keep
//! every sentence of what was received, the indexer builds a bundle from them,
//! and the library opened from that bundle answers French queries.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use lecteur::article::{Article, Block, load_folder};
use lecteur::{Highlighter, Library};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn articles() -> Vec<Article> {
    load_folder(&root().join("index/articles")).expect("the shipped articles parse")
}

/// A library opened from the shipped articles; the bundle is built once.
fn library() -> Library {
    static BUNDLE: OnceLock<Vec<u8>> = OnceLock::new();
    let bundle = BUNDLE.get_or_init(|| lecteur::bundle::build(&articles(), "").unwrap());
    Library::open(bundle.clone()).unwrap()
}

/// The lines of each original that were dropped as page furniture, in order.
fn furniture(original: &str) -> Vec<String> {
    let table = std::fs::read_to_string(root().join("tests/fixtures/furniture.txt")).unwrap();
    let mut lines = table
        .lines()
        .skip_while(|line| *line != format!("# {original}"));
    assert!(
        lines.next().is_some(),
        "furniture.txt has no section for {original}"
    );
    lines
        .take_while(|line| !line.starts_with("# "))
        .map(str::to_string)
        .collect()
}

#[test]
fn each_article_keeps_every_line_of_its_original_but_the_furniture() {
    let articles = articles();
    assert_eq!(articles.len(), 3);
    for article in &articles {
        let name = article
            .original
            .as_deref()
            .expect("each shipped article names its original");
        let original = std::fs::read_to_string(root().join("tests/fixtures/originals").join(name))
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        let furniture = furniture(name);
        let (mut block, mut dropped) = (0, 0);
        for (number, line) in original.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            if article.blocks.get(block).map(Block::text) == Some(line) {
                block += 1;
            } else if furniture.get(dropped).map(String::as_str) == Some(line) {
                dropped += 1;
            } else {
                panic!(
                    "{name}:{}: line neither in {} nor declared furniture: {line:?}",
                    number + 1,
                    article.slug
                );
            }
        }
        assert_eq!(
            block,
            article.blocks.len(),
            "{}: a block is not from {name}",
            article.slug
        );
        assert_eq!(
            dropped,
            furniture.len(),
            "{name}: declared furniture not found in order"
        );
    }
}

#[test]
fn shipped_articles_are_named_after_their_slugs_and_invent_no_metadata() {
    for article in articles() {
        let path = root()
            .join("index/articles")
            .join(format!("{}.md", article.slug));
        assert!(
            path.is_file(),
            "{} should be in {}",
            article.slug,
            path.display()
        );
        if article.title_origin.is_none() {
            let original = std::fs::read_to_string(
                root()
                    .join("tests/fixtures/originals")
                    .join(article.original.as_ref().unwrap()),
            )
            .unwrap();
            assert!(
                original.contains(&article.title),
                "{}: title not in the text and origin not given",
                article.slug
            );
        }
    }
    let by_slug = |slug: &str| articles().into_iter().find(|a| a.slug == slug).unwrap();
    let metronews = by_slug("popcorn-time-n-est-pas-legal");
    assert_eq!(metronews.date.unwrap().to_string(), "2014-12-22 10:47");
    assert_eq!(by_slug("popcorn-time-350-000-utilisateurs").date, None);
    assert_eq!(by_slug("sites-de-telechargement-illegaux").source, None);
}

fn slugs(query: &str) -> Vec<String> {
    let results = library().search(query).unwrap();
    let mut slugs: Vec<String> = results.hits.into_iter().map(|hit| hit.slug).collect();
    slugs.sort();
    slugs
}

#[test]
fn hadopi_finds_the_three_articles_with_marked_snippets() {
    let results = library().search("hadopi").unwrap();
    assert_eq!(results.hits.len(), 3);
    assert!(!results.partial);
    for hit in &results.hits {
        let snippet = hit.snippet.as_ref().expect("the body mentions the Hadopi");
        assert!(!snippet.marks.is_empty(), "{}", hit.slug);
        for mark in &snippet.marks {
            assert_eq!(
                snippet.text[mark.clone()].to_lowercase(),
                "hadopi",
                "{}",
                hit.slug
            );
        }
    }
}

#[test]
fn an_inflected_or_unaccented_query_finds_the_other_forms() {
    let with_accents = slugs("téléchargement");
    assert!(with_accents.contains(&"popcorn-time-n-est-pas-legal".to_string()));
    assert_eq!(slugs("telechargement"), with_accents);
    assert_eq!(slugs("TÉLÉCHARGER"), with_accents);
    // The Metronews article says "télécharger": the query's stem marks it.
    let library = library();
    let article = library.article("popcorn-time-n-est-pas-legal").unwrap();
    let highlighter = Highlighter::new("telechargement");
    let marked: Vec<&str> = article
        .blocks
        .iter()
        .flat_map(|block| {
            let text = block.text();
            highlighter
                .ranges(text)
                .into_iter()
                .map(move |range| &text[range])
        })
        .collect();
    assert!(marked.contains(&"télécharger"), "{marked:?}");
    assert!(marked.contains(&"téléchargement"), "{marked:?}");
}

#[test]
fn words_found_in_one_article_only_find_that_one() {
    assert_eq!(slugs("Numerama"), ["popcorn-time-350-000-utilisateurs"]);
    assert_eq!(slugs("µTorrent"), ["popcorn-time-n-est-pas-legal"]);
    assert_eq!(
        slugs("PopCornInYourBrowser"),
        ["sites-de-telechargement-illegaux"]
    );
    assert!(slugs("ornithorynque").is_empty());
}

fn temporary_folder(name: &str) -> PathBuf {
    let folder = std::env::temp_dir().join(format!("lecteur-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

#[test]
fn the_indexer_writes_a_bundle_the_library_opens() {
    let folder = temporary_folder("indexer-ok");
    let output = folder.join("site/index.bin");
    let run = Command::new(env!("CARGO_BIN_EXE_lecteur-index"))
        .arg(root().join("index/articles"))
        .arg(&output)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("3 articles indexed"));
    let library = Library::open(std::fs::read(&output).unwrap()).unwrap();
    assert_eq!(library.articles().len(), 3);
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn a_bad_article_stops_the_indexer_with_its_file_and_keeps_the_old_bundle() {
    let folder = temporary_folder("indexer-bad");
    let articles = folder.join("articles");
    std::fs::create_dir_all(&articles).unwrap();
    std::fs::copy(
        root().join("index/articles/popcorn-time-n-est-pas-legal.md"),
        articles.join("good.md"),
    )
    .unwrap();
    std::fs::write(
        articles.join("bad.md"),
        "---\nslug: bad\ntitle: T\nlanguage: fr\nauteur: X\n---\n\nTexte.\n",
    )
    .unwrap();
    let output = folder.join("index.bin");
    std::fs::write(&output, b"previous bundle").unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_lecteur-index"))
        .arg(&articles)
        .arg(&output)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("bad.md: line 5: unknown field `auteur`"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&output).unwrap(), b"previous bundle");
    assert_eq!(
        std::fs::read_dir(&folder).unwrap().count(),
        2,
        "no temporary file left"
    );
    std::fs::remove_dir_all(&folder).unwrap();
}
