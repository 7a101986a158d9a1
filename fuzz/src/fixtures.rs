//! What the targets run against: the shipped articles, their index opened once.

use std::path::PathBuf;
use std::sync::OnceLock;

use lecteur::article::{Article, load_folder};
use lecteur::{Library, bundle};

/// The repository's article folder.
fn articles_folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../index/articles")
}

/// The shipped articles.
pub fn articles() -> &'static [Article] {
    static ARTICLES: OnceLock<Vec<Article>> = OnceLock::new();
    ARTICLES.get_or_init(|| {
        load_folder(&articles_folder()).expect("the shipped articles (index/articles) load")
    })
}

/// The shipped articles' bundle, as the indexer writes it.
pub fn bundle() -> &'static [u8] {
    static BUNDLE: OnceLock<Vec<u8>> = OnceLock::new();
    BUNDLE.get_or_init(|| bundle::build(articles(), "").expect("the shipped articles index"))
}

/// The shipped articles' library, opened once.
pub fn library() -> &'static Library {
    static LIBRARY: OnceLock<Library> = OnceLock::new();
    LIBRARY.get_or_init(|| Library::open(bundle().to_vec()).expect("the shipped bundle opens"))
}

/// Articles' text files (or an index's parts), by their paths in a site.
pub type TextFiles = Vec<(String, Vec<u8>)>;

/// The shipped articles indexed as an archive's are, their texts and the index's parts apart:
/// the library (which has every part and none of the texts yet), the texts' files and the
/// parts.
pub fn apart() -> &'static (Library, TextFiles, TextFiles) {
    static APART: OnceLock<(Library, TextFiles, TextFiles)> = OnceLock::new();
    APART.get_or_init(|| {
        let built = bundle::build_apart(articles(), "", lecteur::parts::PART_BYTES)
            .expect("the shipped articles index");
        let library = Library::open(built.bundle).expect("the shipped bundle opens");
        for (path, bytes) in &built.parts {
            library.supply_part(path, bytes).expect("its own parts");
        }
        (library, built.texts, built.parts)
    })
}

/// Words of the articles, for inputs that read like French.
pub fn words() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words: Vec<String> = articles()
            .iter()
            .flat_map(|article| {
                let blocks = article.blocks.iter().map(|block| block.text());
                std::iter::once(article.title.as_str())
                    .chain(blocks)
                    .flat_map(str::split_whitespace)
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        words.sort();
        words.dedup();
        words
    })
}
