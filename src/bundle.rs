//! The index bundle: one file holding the tantivy index and the articles, which
//! the indexer writes and the page fetches.
//!
//! ```text
//! "LECTEUR\0"  magic, 8 bytes
//! u32 LE       format version (FORMAT)
//! u32 LE       header length in bytes
//! header       JSON: analyzer version, builder, build id, articles (by columns), file table
//! files        the tantivy files (meta.json and one segment's files), back to back
//! ```
//!
//! One file rather than tantivy's loose files so that the page makes one
//! request, a cache holds one entry and a half-updated deploy cannot mix files
//! of two builds. Each file carries a CRC32, so corruption is named, not
//! searched.
//!
//! An archive's bundle ([`build_apart`]) holds its articles without their texts,
//! which make most of a whole bundle: the header keeps what lists, filters and
//! titles need, and each text is a file of its own beside the article's page
//! ([`text_path`], a [`TextFile`] stamped with the build), fetched for the hits
//! shown and the article read. The list's excerpts, which would weigh most of the
//! header, are filed apart too, [`EXCERPTS_PER_FILE`] to a file
//! ([`excerpts_path`], an [`ExcerptsFile`]), fetched for the cards the list
//! shows. Its index is read by
//! parts ([`crate::parts`]): the files section holds only the pieces of tantivy's
//! files read at open (each with its `start` in its file), the header the
//! layout of the parts and their CRC32s.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tantivy::directory::OwnedBytes;

use crate::analysis::ANALYZER_VERSION;
pub use crate::article::text_path;
use crate::article::{Article, Block};
use crate::parts::{Layout, Store};
pub use crate::protocol::{TITLES_PATH, excerpts_path};

const MAGIC: &[u8; 8] = b"LECTEUR\0";

/// Version of the layout above; bump it with any change to it, to the header, or to the
/// schema the page expects (3: articles named by a fast field, not the document store; 4:
/// an archive's texts apart; 5: tantivy's sstable dictionary, one segment, an archive's
/// index read by parts; 6: an archive's excerpts filed apart; 7: a document's id is its
/// article's position, which the engine reads without the fast field, and the header's
/// articles by columns).
pub const FORMAT: u32 = 7;

// Where the build tool puts the build id for the indexer; it lives in the core, which the build
// tool (xtask) depends on without tantivy.
pub use lecteur_core::BUILD_ID_VAR;

/// Who wrote a bundle: the crate and its version.
pub const BUILT_BY: &str = concat!(env!("CARGO_PKG_NAME"), " ", env!("CARGO_PKG_VERSION"));

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    analyzer: u32,
    built_by: String,
    /// The build id of the site this bundle belongs to (empty outside a site build).
    build: String,
    /// Whole, or without their texts (empty `blocks`) when `excerpts_per_file` is given.
    #[serde(with = "by_columns")]
    articles: Vec<Article>,
    /// With the texts apart: how many excerpts each [`ExcerptsFile`] holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    excerpts_per_file: Option<u32>,
    /// Whole files; or, for an index read by parts, the hot pieces of its files.
    files: Vec<FileEntry>,
    /// An index read by parts: how they are cut ([`crate::parts`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parts: Option<Layout>,
}

/// The largest text file of an article the engine reads: a bound on what a damaged or forged
/// file costs (the longest article of the generated corpora is a few tens of KB).
pub const MAX_TEXT_BYTES: usize = 4 << 20;

/// An article's text when the bundle holds it apart (`a/SLUG/texte.json`): stamped with the
/// build and the slug, so that a text of another deploy or of another article is refused
/// rather than marked at the wrong places. It carries the title, which the header leaves to
/// the [`TitlesFile`]: a hit whose text is fetched needs nothing more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextFile {
    pub build: String,
    pub slug: String,
    pub title: String,
    pub blocks: Vec<Block>,
}

impl TextFile {
    /// Reads a text file, within [`MAX_TEXT_BYTES`].
    pub fn read(bytes: &[u8]) -> Result<TextFile, BundleError> {
        if bytes.len() > MAX_TEXT_BYTES {
            return Err(BundleError::Text(format!(
                "{} octets, au-delà des {MAX_TEXT_BYTES} permis",
                bytes.len()
            )));
        }
        serde_json::from_slice(bytes).map_err(|error| BundleError::Text(error.to_string()))
    }

    /// The article `head` (from the header, without its text) completed with this text, if
    /// the text is this article's of build `build`.
    pub fn complete(self, head: &Article, build: &str) -> Result<Article, BundleError> {
        if self.build != build {
            return Err(BundleError::TextOfAnotherBuild {
                slug: self.slug,
                found: self.build,
            });
        }
        if self.slug != head.slug {
            return Err(BundleError::Text(format!(
                "le texte de « {} » à la place de celui de « {} »",
                self.slug, head.slug
            )));
        }
        Ok(Article {
            title: self.title,
            blocks: self.blocks,
            ..head.clone()
        })
    }
}

/// The largest titles file the engine reads: a bound on what a damaged or forged file costs
/// (100,000 titles of a hundred characters weigh about 10 MB).
pub const MAX_TITLES_BYTES: usize = 64 << 20;

/// An archive's articles' titles ([`TITLES_PATH`]), in the folder's order, stamped with the
/// build. Apart from the header, which a cold link waits for whole: a link's hits take their
/// titles from their texts, fetched anyway; the engine needs the others for the hits it
/// shows before their texts come, and for the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitlesFile {
    pub build: String,
    pub titles: Vec<String>,
}

impl TitlesFile {
    /// Reads the titles of an index of build `build` and `articles` articles, if the file is
    /// theirs. Cost: parsing the file, within [`MAX_TITLES_BYTES`].
    pub fn read(bytes: &[u8], articles: usize, build: &str) -> Result<Vec<String>, BundleError> {
        let file: TitlesFile =
            read_stamped(bytes, MAX_TITLES_BYTES, build, |file: &Self| &file.build)
                .map_err(BundleError::Titles)?;
        if file.titles.len() != articles {
            return Err(BundleError::Titles(format!(
                "il porte {} titres pour {articles} articles",
                file.titles.len()
            )));
        }
        Ok(file.titles)
    }
}

/// How many articles' excerpts an archive files together: the list shows 30 cards at a time,
/// so one file serves a few presses of "Plus d'articles" (about 7 KB of brotli).
pub const EXCERPTS_PER_FILE: u32 = 100;

/// The largest file of excerpts the engine reads: a bound on what a damaged or forged file
/// costs (a hundred excerpts of 220 characters weigh under 100 KB).
pub const MAX_EXCERPTS_BYTES: usize = 1 << 20;

/// A file of an archive's list's excerpts (`l/N.json`, [`excerpts_path`]): those of the
/// articles from `first` on, in the folder's order, stamped with the build, so that a file
/// of another deploy or another place in the list is refused rather than shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExcerptsFile {
    pub build: String,
    pub first: usize,
    pub excerpts: Vec<String>,
}

impl ExcerptsFile {
    /// Reads the file `number` of excerpts for an index of build `build` and `articles`
    /// articles filed `per_file` to a file: its excerpts, if it is that one. Cost: parsing
    /// the file, within [`MAX_EXCERPTS_BYTES`].
    pub fn read(
        bytes: &[u8],
        number: u32,
        per_file: usize,
        articles: usize,
        build: &str,
    ) -> Result<Vec<String>, BundleError> {
        let refused = |why: String| BundleError::Excerpts { number, why };
        let file: ExcerptsFile =
            read_stamped(bytes, MAX_EXCERPTS_BYTES, build, |file: &Self| &file.build)
                .map_err(refused)?;
        let first = (number as usize).saturating_mul(per_file);
        let expected = articles.saturating_sub(first).min(per_file);
        if file.first != first || file.excerpts.len() != expected || expected == 0 {
            return Err(refused(format!(
                "il porte {} extraits à partir du {}ᵉ article, au lieu de {expected} à partir du {first}ᵉ",
                file.excerpts.len(),
                file.first
            )));
        }
        Ok(file.excerpts)
    }
}

/// Parses a file of the build stamped with its id (`stamp`), within `max` bytes; or why it
/// is refused, in French.
fn read_stamped<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    max: usize,
    build: &str,
    stamp: impl Fn(&T) -> &String,
) -> Result<T, String> {
    if bytes.len() > max {
        return Err(format!("{} octets, au-delà des {max} permis", bytes.len()));
    }
    let file: T = serde_json::from_slice(bytes).map_err(|error| error.to_string())?;
    if stamp(&file) != build {
        return Err(format!(
            "il vient d’une autre publication du site (version « {} »)",
            crate::protocol::short_build(stamp(&file))
        ));
    }
    Ok(file)
}

#[derive(Debug, Serialize, Deserialize)]
struct FileEntry {
    name: String,
    /// Where the piece starts in its file: 0 but for the hot pieces of an index read by parts.
    #[serde(default, skip_serializing_if = "is_zero")]
    start: u64,
    len: u64,
    crc32: u32,
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

/// The contents of a bundle, checked and ready for tantivy.
pub(crate) struct Unpacked {
    pub(crate) build: String,
    pub(crate) articles: Vec<Article>,
    /// With the texts apart: how many excerpts each [`ExcerptsFile`] holds.
    pub(crate) excerpts_per_file: Option<usize>,
    pub(crate) files: HashMap<PathBuf, OwnedBytes>,
    /// For an index read by parts (`files` then empty): its hot pieces and the layout of its
    /// parts.
    pub(crate) parted: Option<Store>,
}

/// Why a bundle cannot be opened. Shown to the reader, hence in French.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    #[error("le fichier reçu n’est pas un index du lecteur (signature absente)")]
    NotABundle,
    #[error("l’index est tronqué : il s’arrête avant la fin annoncée")]
    Truncated,
    #[error(
        "l’index est au format {found}, mais cette version du lecteur lit le format {FORMAT} : le site doit être reconstruit"
    )]
    Format { found: u32 },
    #[error("l’en-tête de l’index est illisible ({0})")]
    Header(String),
    #[error(
        "l’index a été construit avec l’analyseur version {found}, mais cette version du lecteur utilise la version {ANALYZER_VERSION} : le site doit être reconstruit"
    )]
    Analyzer { found: u32 },
    #[error("le fichier « {0} » de l’index est corrompu (somme de contrôle incorrecte)")]
    Checksum(String),
    #[error("l’index contient des données après ses fichiers")]
    TrailingBytes,
    #[error("l’index contient un fichier inattendu, « {0} »")]
    UnexpectedFile(String),
    #[error("l’index contient deux fois le fichier « {0} »")]
    DuplicateFile(String),
    #[error("le texte d’un article est illisible ({0})")]
    Text(String),
    #[error("le fichier d’extraits n° {number} de la liste est refusé : {why}")]
    Excerpts { number: u32, why: String },
    #[error("le fichier des titres de la liste est refusé : {0}")]
    Titles(String),
    #[error(
        "le texte de l’article « {slug} » vient d’une autre publication du site (version « {found} ») que l’index : il faut recharger la page"
    )]
    TextOfAnotherBuild { slug: String, found: String },
}

/// Where a bundle's articles' texts are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Texts {
    /// In the header, with the rest of each article.
    Inside,
    /// Each in a file of its own ([`TextFile`] at [`text_path`]).
    Apart,
}

/// The header's articles as one array per field: 10,000 articles' heads weigh 247 KB of
/// brotli as objects, 218 KB as columns (their keys and their alternation gone).
mod by_columns {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::article::{Article, ArticleDate, Block};

    #[derive(Serialize, Deserialize)]
    struct Columns<S, B> {
        slug: Vec<S>,
        title: Vec<S>,
        title_origin: Vec<Option<S>>,
        source: Vec<Option<S>>,
        date: Vec<Option<ArticleDate>>,
        language: Vec<S>,
        original: Vec<Option<S>>,
        blocks: Vec<B>,
    }

    pub fn serialize<S: Serializer>(
        articles: &[Article],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let column = |field: fn(&Article) -> &String| articles.iter().map(field).collect();
        let optional = |field: fn(&Article) -> &Option<String>| {
            articles
                .iter()
                .map(|article| field(article).as_ref())
                .collect()
        };
        Columns::<&String, &Vec<Block>> {
            slug: column(|article| &article.slug),
            title: column(|article| &article.title),
            title_origin: optional(|article| &article.title_origin),
            source: optional(|article| &article.source),
            date: articles.iter().map(|article| article.date).collect(),
            language: column(|article| &article.language),
            original: optional(|article| &article.original),
            blocks: articles.iter().map(|article| &article.blocks).collect(),
        }
        .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<Article>, D::Error> {
        let columns = Columns::<String, Vec<Block>>::deserialize(deserializer)?;
        let count = columns.slug.len();
        let lengths = [
            columns.title.len(),
            columns.title_origin.len(),
            columns.source.len(),
            columns.date.len(),
            columns.language.len(),
            columns.original.len(),
            columns.blocks.len(),
        ];
        if lengths.iter().any(|&length| length != count) {
            return Err(D::Error::custom(
                "des colonnes d’articles de longueurs différentes",
            ));
        }
        let mut title = columns.title.into_iter();
        let mut title_origin = columns.title_origin.into_iter();
        let mut source = columns.source.into_iter();
        let mut date = columns.date.into_iter();
        let mut language = columns.language.into_iter();
        let mut original = columns.original.into_iter();
        let mut blocks = columns.blocks.into_iter();
        Ok(columns
            .slug
            .into_iter()
            .filter_map(|slug| {
                Some(Article {
                    slug,
                    title: title.next()?,
                    title_origin: title_origin.next()?,
                    source: source.next()?,
                    date: date.next()?,
                    language: language.next()?,
                    original: original.next()?,
                    blocks: blocks.next()?,
                })
            })
            .collect())
    }
}

/// Packs articles and tantivy files into bundle bytes.
#[cfg(not(target_arch = "wasm32"))]
fn pack(articles: &[Article], build: &str, index: Packed<'_>, texts: Texts) -> Vec<u8> {
    let (pieces, parts): (Vec<(&str, u64, &[u8])>, _) = match index {
        Packed::Whole(files) => (
            files
                .iter()
                .map(|(name, bytes)| (name.as_str(), 0, bytes.as_slice()))
                .collect(),
            None,
        ),
        Packed::Parted { layout, hot } => (
            hot.iter()
                .map(|(name, start, bytes)| (name.as_str(), *start, bytes.as_slice()))
                .collect(),
            Some(layout),
        ),
    };
    let (articles, excerpts_per_file) = match texts {
        Texts::Inside => (articles.to_vec(), None),
        // Titles apart too ([`TitlesFile`]): out of what a cold link waits for.
        Texts::Apart => (
            articles
                .iter()
                .map(|article| Article {
                    title: String::new(),
                    ..article.head()
                })
                .collect(),
            Some(EXCERPTS_PER_FILE),
        ),
    };
    let header = Header {
        analyzer: ANALYZER_VERSION,
        built_by: BUILT_BY.to_string(),
        build: build.to_string(),
        articles,
        excerpts_per_file,
        files: pieces
            .iter()
            .map(|&(name, start, bytes)| FileEntry {
                name: name.to_string(),
                start,
                len: bytes.len() as u64,
                crc32: crc32fast::hash(bytes),
            })
            .collect(),
        parts,
    };
    let header = serde_json::to_vec(&header).expect("the header is plain data");
    let header_len = u32::try_from(header.len()).expect("a header under 4 GiB");
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&header_len.to_le_bytes());
    out.extend_from_slice(&header);
    for (_, _, bytes) in pieces {
        out.extend_from_slice(bytes);
    }
    out
}

/// The index a bundle packs: its files whole, or the hot pieces of an index read by parts.
#[cfg(not(target_arch = "wasm32"))]
enum Packed<'a> {
    Whole(&'a [(String, Vec<u8>)]),
    Parted {
        layout: Layout,
        hot: &'a [(String, u64, Vec<u8>)],
    },
}

/// The part of the header [`build_id`] needs; the rest is skipped unparsed.
#[derive(Deserialize)]
struct BuildOnly {
    build: String,
}

/// The part of the header [`articles`] needs.
#[derive(Deserialize)]
struct ArticlesOnly {
    build: String,
    #[serde(with = "by_columns")]
    articles: Vec<Article>,
    #[serde(default)]
    excerpts_per_file: Option<u32>,
}

/// Reads the articles of a bundle, whole, without its index: the build writes each
/// article's page from the very bundle the page will search. When the bundle holds the
/// texts apart, `text` gives the bytes of the file at a [`text_path`].
pub fn articles(
    data: &[u8],
    mut text: impl FnMut(&str) -> Result<Vec<u8>, String>,
) -> Result<Vec<Article>, String> {
    let header = header_bytes(data).map_err(|error| error.to_string())?;
    let header: ArticlesOnly = serde_json::from_slice(header)
        .map_err(|error| BundleError::Header(error.to_string()).to_string())?;
    if header.excerpts_per_file.is_none() {
        return Ok(header.articles);
    }
    header
        .articles
        .iter()
        .map(|head| {
            let path = text_path(&head.slug);
            let bytes = text(&path)?;
            TextFile::read(&bytes)
                .and_then(|file| file.complete(head, &header.build))
                .map_err(|error| format!("{path}: {error}"))
        })
        .collect()
}

/// The part of the header [`texts_apart`] needs.
#[derive(Deserialize)]
struct ExcerptsOnly {
    #[serde(default)]
    excerpts_per_file: Option<u32>,
}

/// Whether a bundle holds its articles without their texts (an archive's, [`build_apart`]).
pub fn texts_apart(data: &[u8]) -> Result<bool, BundleError> {
    let header = header_bytes(data)?;
    let header: ExcerptsOnly =
        serde_json::from_slice(header).map_err(|error| BundleError::Header(error.to_string()))?;
    Ok(header.excerpts_per_file.is_some())
}

/// Reads the build id a bundle was stamped with (empty when it was built
/// outside a site build), so that the page can check the index belongs to it
/// before opening it.
pub fn build_id(data: &[u8]) -> Result<String, BundleError> {
    let header = header_bytes(data)?;
    let header: BuildOnly =
        serde_json::from_slice(header).map_err(|error| BundleError::Header(error.to_string()))?;
    Ok(header.build)
}

/// Checks the magic and the format, and returns the header's JSON bytes.
fn header_bytes(data: &[u8]) -> Result<&[u8], BundleError> {
    if data.len() < MAGIC.len() || &data[..MAGIC.len()] != MAGIC {
        return Err(BundleError::NotABundle);
    }
    let word = |at: usize| -> Result<u32, BundleError> {
        let slice = data.get(at..at + 4).ok_or(BundleError::Truncated)?;
        Ok(u32::from_le_bytes(slice.try_into().expect("4 bytes")))
    };
    let format = word(8)?;
    if format != FORMAT {
        return Err(BundleError::Format { found: format });
    }
    let header_start: usize = 16;
    let header_end = usize::try_from(word(12)?)
        .ok()
        .and_then(|len| header_start.checked_add(len))
        .ok_or(BundleError::Truncated)?;
    data.get(header_start..header_end)
        .ok_or(BundleError::Truncated)
}

/// Checks and splits bundle bytes, without copying the files.
pub(crate) fn unpack(bytes: Vec<u8>) -> Result<Unpacked, BundleError> {
    let bytes = OwnedBytes::new(bytes);
    let data = bytes.as_slice();
    let header = header_bytes(data)?;
    let header_end = 16 + header.len();
    let header: Header =
        serde_json::from_slice(header).map_err(|error| BundleError::Header(error.to_string()))?;
    if header.analyzer != ANALYZER_VERSION {
        return Err(BundleError::Analyzer {
            found: header.analyzer,
        });
    }
    let mut files = HashMap::new();
    let mut hot = Vec::new();
    let mut at = header_end;
    for entry in header.files {
        let len = usize::try_from(entry.len).map_err(|_| BundleError::Truncated)?;
        let end = at.checked_add(len).ok_or(BundleError::Truncated)?;
        if end > data.len() {
            return Err(BundleError::Truncated);
        }
        if crc32fast::hash(&data[at..end]) != entry.crc32 {
            return Err(BundleError::Checksum(entry.name));
        }
        if header.parts.is_some() {
            hot.push((entry.name, entry.start, bytes.slice(at..end)));
        } else {
            let path = PathBuf::from(&entry.name);
            if entry.start != 0 {
                return Err(BundleError::UnexpectedFile(entry.name));
            }
            if files.insert(path, bytes.slice(at..end)).is_some() {
                return Err(BundleError::DuplicateFile(entry.name));
            }
        }
        at = end;
    }
    if at != data.len() {
        return Err(BundleError::TrailingBytes);
    }
    let parted = header
        .parts
        .map(|layout| Store::new(layout, hot))
        .transpose()?;
    if header.excerpts_per_file == Some(0) {
        return Err(BundleError::Header("des fichiers de zéro extrait".into()));
    }
    Ok(Unpacked {
        build: header.build,
        articles: header.articles,
        excerpts_per_file: header.excerpts_per_file.map(|count| count as usize),
        files,
        parted,
    })
}

/// The files of a bundle, in order, for the tests and the fuzzer that damage one and
/// pack them again ([`repack`]).
pub fn files_of(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, BundleError> {
    let header = header_bytes(bytes)?;
    let mut at = 16 + header.len();
    let header: Header =
        serde_json::from_slice(header).map_err(|error| BundleError::Header(error.to_string()))?;
    header
        .files
        .into_iter()
        .map(|entry| {
            let end = usize::try_from(entry.len)
                .ok()
                .and_then(|len| at.checked_add(len))
                .ok_or(BundleError::Truncated)?;
            let file = bytes.get(at..end).ok_or(BundleError::Truncated)?;
            at = end;
            Ok((entry.name, file.to_vec()))
        })
        .collect()
}

/// Packs `files` again, each with its CRC recomputed, as a tool rewriting a damaged
/// bundle would.
#[cfg(not(target_arch = "wasm32"))]
pub fn repack(articles: &[Article], files: &[(String, Vec<u8>)]) -> Vec<u8> {
    pack(articles, "", Packed::Whole(files), Texts::Inside)
}

#[cfg(not(target_arch = "wasm32"))]
pub use native::{Apart, BuildError, build, build_apart, write_atomically};

/// Index building needs threads (tantivy's writer spawns them), so it is native only.
#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::io::Write;
    use std::path::{Path, PathBuf};

    use tantivy::directory::Directory;
    use tantivy::index::{SegmentComponent, SegmentId};
    use tantivy::indexer::NoMergePolicy;
    use tantivy::{Index, IndexWriter, TantivyDocument, doc};

    use crate::analysis;
    use crate::article::Article;
    use crate::library::Library;
    use crate::parts::{Layout, hot_pieces, part_path};
    use crate::schema::{POSITION, schema};

    /// The writer's memory budget; tantivy's minimum, ample for articles.
    const WRITER_MEMORY: usize = 15_000_000;

    #[derive(Debug, thiserror::Error)]
    pub enum BuildError {
        #[error("tantivy could not index the articles: {0}")]
        Tantivy(#[from] tantivy::TantivyError),
        #[error("tantivy listed {0} but did not write it")]
        MissingFile(String),
        #[error("the index just built does not open: {0}")]
        Open(String),
        #[error(
            "the index just built is not in the folder's order ({0}): tantivy's merge may have \
             changed, see `segments_in_order` in src/bundle.rs"
        )]
        Order(String),
    }

    /// The components of a segment a reader may open; a component the segment
    /// does not have (no deletes, say) has no file and is skipped.
    const SEGMENT_FILES: [SegmentComponent; 7] = [
        SegmentComponent::Postings,
        SegmentComponent::Positions,
        SegmentComponent::Terms,
        SegmentComponent::Store,
        SegmentComponent::FastFields,
        SegmentComponent::FieldNorms,
        SegmentComponent::Delete,
    ];

    /// Indexes the articles into bundle bytes, in memory: one writer thread, so
    /// one segment, and only the files a reader needs. `build` is the id of the
    /// site build the bundle belongs to (empty outside a site build).
    pub fn build(articles: &[Article], build: &str) -> Result<Vec<u8>, BuildError> {
        Ok(super::pack(
            articles,
            build,
            super::Packed::Whole(&index_files(articles)?),
            super::Texts::Inside,
        ))
    }

    /// An archive's bundle, its articles' texts and its index's parts apart: what
    /// [`build_apart`] writes.
    pub struct Apart {
        /// The bundle, its articles without their texts.
        pub bundle: Vec<u8>,
        /// Each article's text file, by its path in the site ([`super::text_path`]).
        pub texts: Vec<(String, Vec<u8>)>,
        /// The parts of the index, by their paths beside the bundle ([`part_path`]).
        pub parts: Vec<(String, Vec<u8>)>,
        /// The list's excerpts, by their paths beside the bundle ([`super::excerpts_path`]).
        pub excerpts: Vec<(String, Vec<u8>)>,
        /// The titles, at their path beside the bundle ([`super::TITLES_PATH`]).
        pub titles: (String, Vec<u8>),
    }

    impl Apart {
        /// Every file beside the bundle, by its path: texts, parts, excerpts and titles.
        pub fn files(&self) -> impl Iterator<Item = &(String, Vec<u8>)> {
            self.texts
                .iter()
                .chain(&self.parts)
                .chain(&self.excerpts)
                .chain(std::iter::once(&self.titles))
        }
    }

    /// Indexes the articles as [`build`] does, into a bundle that holds them without their
    /// texts and only the hot pieces of the index ([`crate::parts`]), the texts' files and the
    /// index's parts of `part_bytes` ([`crate::parts::PART_BYTES`] but to test or measure).
    pub fn build_apart(
        articles: &[Article],
        build: &str,
        part_bytes: usize,
    ) -> Result<Apart, BuildError> {
        let files = index_files(articles)?;
        let (layout, parts) = Layout::cut(&files, part_bytes.max(1));
        let read =
            Library::read_at_open(articles, layout.clone(), &parts).map_err(BuildError::Open)?;
        let hot = hot_pieces(&files, read);
        let bundle = super::pack(
            articles,
            build,
            super::Packed::Parted { layout, hot: &hot },
            super::Texts::Apart,
        );
        let texts = articles
            .iter()
            .map(|article| {
                let file = super::TextFile {
                    build: build.to_string(),
                    slug: article.slug.clone(),
                    title: article.title.clone(),
                    blocks: article.blocks.clone(),
                };
                let bytes = serde_json::to_vec(&file).expect("a text is plain data");
                (super::text_path(&article.slug), bytes)
            })
            .collect();
        let parts = parts
            .into_iter()
            .enumerate()
            .map(|(number, bytes)| (part_path(number as u32), bytes))
            .collect();
        let per_file = super::EXCERPTS_PER_FILE as usize;
        let excerpts = articles
            .chunks(per_file)
            .enumerate()
            .map(|(number, chunk)| {
                let file = super::ExcerptsFile {
                    build: build.to_string(),
                    first: number * per_file,
                    excerpts: chunk
                        .iter()
                        .map(|article| crate::prerendered::Card::of(article).excerpt)
                        .collect(),
                };
                let bytes = serde_json::to_vec(&file).expect("excerpts are plain data");
                (super::excerpts_path(number as u32), bytes)
            })
            .collect();
        let titles = super::TitlesFile {
            build: build.to_string(),
            titles: articles
                .iter()
                .map(|article| article.title.clone())
                .collect(),
        };
        let titles = (
            super::TITLES_PATH.to_string(),
            serde_json::to_vec(&titles).expect("titles are plain data"),
        );
        Ok(Apart {
            bundle,
            texts,
            parts,
            excerpts,
            titles,
        })
    }

    /// The index of the articles: tantivy's files, by name.
    fn index_files(articles: &[Article]) -> Result<Vec<(String, Vec<u8>)>, BuildError> {
        let (index, _) = indexed(articles)?;
        let directory = index.directory();
        let mut names = vec![PathBuf::from("meta.json")];
        for segment in index.searchable_segment_metas()? {
            names.extend(SEGMENT_FILES.map(|component| segment.relative_path(component)));
        }
        names.sort();
        names.dedup();
        let mut files = Vec::new();
        for name in names {
            if !directory.exists(&name).unwrap_or(false) {
                continue;
            }
            let bytes = directory
                .atomic_read(&name)
                .map_err(|_| BuildError::MissingFile(name.display().to_string()))?;
            files.push((name.display().to_string(), bytes));
        }
        Ok(files)
    }

    /// The articles indexed in memory, one segment in the folder's order, and how many
    /// segments the writer wrote before they were merged into it.
    pub(super) fn indexed(articles: &[Article]) -> Result<(Index, usize), BuildError> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        analysis::register(&index);
        let mut writer: IndexWriter<TantivyDocument> =
            index.writer_with_num_threads(1, WRITER_MEMORY)?;
        // The segments are merged into one below, at once: none is merged meanwhile.
        writer.set_merge_policy(Box::new(NoMergePolicy));
        for (position, article) in articles.iter().enumerate() {
            writer.add_document(doc!(
                fields.position => position as u64,
                fields.title => article.title.as_str(),
                fields.body => article.body_text(),
                fields.title_exact => article.title.as_str(),
                fields.body_exact => article.body_text(),
            ))?;
        }
        writer.commit()?;
        // One segment: a query then looks each term up once, which an index read by parts
        // pays in round trips. Its documents in the folder's order, so that a document's id is
        // its article's position (the engine reads no fast field): one writer thread fills
        // each segment with the articles that follow the previous one's, and tantivy stacks
        // the segments it merges in the order given.
        let segments = segments_in_order(&index)?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
        }
        writer.wait_merging_threads()?;
        check_folder_order(&index, articles.len())?;
        Ok((index, segments.len()))
    }

    /// The index's segments, by the position of their first article.
    fn segments_in_order(index: &Index) -> Result<Vec<SegmentId>, BuildError> {
        let searcher = index.reader()?.searcher();
        let mut segments = searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                let first = segment.fast_fields().u64(POSITION)?.first(0);
                Ok((first, segment.segment_id()))
            })
            .collect::<tantivy::Result<Vec<_>>>()?;
        segments.sort();
        Ok(segments.into_iter().map(|(_, id)| id).collect())
    }

    /// Checks that the index is one segment whose document `n` is the article at position `n`
    /// in the folder, as the engine takes it to be.
    fn check_folder_order(index: &Index, articles: usize) -> Result<(), BuildError> {
        let searcher = index.reader()?.searcher();
        let out_of_order = |why: String| BuildError::Order(why);
        match searcher.segment_readers() {
            [] if articles == 0 => Ok(()),
            [segment] => {
                let positions = segment.fast_fields().u64(POSITION)?;
                let max_doc = segment.max_doc() as usize;
                if max_doc != articles {
                    return Err(out_of_order(format!(
                        "{max_doc} documents for {articles} articles"
                    )));
                }
                match (0..segment.max_doc()).find(|&doc| positions.first(doc) != Some(doc as u64)) {
                    Some(doc) => Err(out_of_order(format!(
                        "document {doc} holds the article at {:?}",
                        positions.first(doc)
                    ))),
                    None => Ok(()),
                }
            }
            segments => Err(out_of_order(format!("{} segments", segments.len()))),
        }
    }

    /// Writes `bytes` to `path` through a temporary file in the same folder, so
    /// the path holds either the old bundle or the new one, never half of one.
    pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(folder)?;
        let file_name = path.file_name().unwrap_or_default().to_string_lossy();
        let temporary = folder.join(format!(".{file_name}.{}.tmp", std::process::id()));
        let written = (|| {
            let mut file = std::fs::File::create(&temporary)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            std::fs::rename(&temporary, path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        written
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Block;
    use crate::parts::PART_BYTES;

    #[test]
    fn a_file_of_excerpts_is_taken_only_whole_at_its_place_and_within_its_bound() {
        let file = |first: usize, count: usize| {
            serde_json::to_vec(&ExcerptsFile {
                build: "b".into(),
                first,
                excerpts: vec!["Un extrait.".into(); count],
            })
            .unwrap()
        };
        // 250 articles, 100 to a file: the third holds 50.
        assert_eq!(
            ExcerptsFile::read(&file(200, 50), 2, 100, 250, "b")
                .unwrap()
                .len(),
            50
        );
        for (bytes, number) in [
            (file(200, 49), 2),  // one short
            (file(100, 100), 2), // another place's
            (file(300, 0), 3),   // past the list's end
        ] {
            let refused = ExcerptsFile::read(&bytes, number, 100, 250, "b").unwrap_err();
            assert!(matches!(refused, BundleError::Excerpts { .. }), "{refused}");
        }
        let huge = vec![b' '; MAX_EXCERPTS_BYTES + 1];
        let refused = ExcerptsFile::read(&huge, 0, 100, 250, "b").unwrap_err();
        assert!(refused.to_string().contains("permis"), "{refused}");
    }

    fn article() -> Article {
        Article {
            slug: "essai".into(),
            title: "Essai".into(),
            title_origin: None,
            source: None,
            date: None,
            language: "fr".into(),
            original: None,
            blocks: vec![Block::Paragraph("La Hadopi veille.".into())],
        }
    }

    fn sample() -> Vec<u8> {
        pack(
            &[article()],
            "",
            Packed::Whole(&[("a".into(), b"abc".to_vec()), ("b".into(), b"de".to_vec())]),
            Texts::Inside,
        )
    }

    #[test]
    fn packed_files_and_articles_come_back() {
        let unpacked = unpack(sample()).unwrap();
        assert_eq!(unpacked.articles, [article()]);
        assert_eq!(unpacked.files[&PathBuf::from("a")].as_slice(), b"abc");
        assert_eq!(unpacked.files[&PathBuf::from("b")].as_slice(), b"de");
    }

    #[test]
    fn each_kind_of_damage_is_named() {
        let good = sample();
        let header_end = good.len() - 5;
        let mut flipped = good.clone();
        flipped[header_end + 1] ^= 0xff;
        let mut future = good.clone();
        future[8] = 9;
        let mut extra = good.clone();
        extra.push(0);
        let mut garbled = good.clone();
        garbled[16] = b'!';
        let cases = [
            (b"<!doctype html>".to_vec(), BundleError::NotABundle),
            (good[..good.len() - 1].to_vec(), BundleError::Truncated),
            (good[..12].to_vec(), BundleError::Truncated),
            (future, BundleError::Format { found: 9 }),
            (flipped, BundleError::Checksum("a".into())),
            (extra, BundleError::TrailingBytes),
        ];
        let twice = pack(
            &[article()],
            "",
            Packed::Whole(&[("a".into(), b"abc".to_vec()), ("a".into(), b"de".to_vec())]),
            Texts::Inside,
        );
        assert_eq!(
            unpack(twice).err(),
            Some(BundleError::DuplicateFile("a".into()))
        );
        // A header length past the end, up to the largest one, is cut short, not a panic.
        for length in [u32::MAX, u32::MAX - 15, 1 << 31] {
            let mut huge = good.clone();
            huge[12..16].copy_from_slice(&length.to_le_bytes());
            assert_eq!(unpack(huge).err(), Some(BundleError::Truncated), "{length}");
        }
        for (bytes, expected) in cases {
            assert_eq!(unpack(bytes).err(), Some(expected));
        }
        assert!(matches!(unpack(garbled), Err(BundleError::Header(_))));
    }

    #[test]
    fn the_build_id_is_read_without_opening_the_index() {
        assert_eq!(build_id(&sample()).unwrap(), "");
        let stamped =
            String::from_utf8_lossy(&sample()).replace("\"build\":\"\"", "\"build\":\"b1\"");
        // The header grew by two bytes: its length word must say so.
        let mut stamped = stamped.into_bytes();
        let header_len = u32::from_le_bytes(stamped[12..16].try_into().unwrap()) + 2;
        stamped[12..16].copy_from_slice(&header_len.to_le_bytes());
        assert_eq!(build_id(&stamped).unwrap(), "b1");
        assert!(unpack(stamped).is_ok());
        assert_eq!(build_id(b"<!doctype html>"), Err(BundleError::NotABundle));
    }

    #[test]
    fn an_index_from_another_analyzer_is_refused() {
        let bundle = String::from_utf8_lossy(&sample()).replace(
            &format!("\"analyzer\":{ANALYZER_VERSION}"),
            &format!("\"analyzer\":{}", ANALYZER_VERSION + 1),
        );
        let error = unpack(bundle.into_bytes()).err().unwrap();
        assert_eq!(
            error,
            BundleError::Analyzer {
                found: ANALYZER_VERSION + 1
            }
        );
        assert!(error.to_string().contains("reconstruit"));
    }

    #[test]
    fn the_articles_are_columns_of_one_length() {
        let two = pack(
            &[article(), article()],
            "",
            Packed::Whole(&[("a".into(), b"abc".to_vec())]),
            Texts::Inside,
        );
        let header = String::from_utf8_lossy(header_bytes(&two).unwrap()).into_owned();
        assert!(header.contains(r#""slug":["essai","essai"],"title":["Essai","Essai"]"#));
        assert_eq!(
            unpack(two.clone()).unwrap().articles,
            [article(), article()]
        );
        // One title short (the same length, so that only the columns differ).
        let (whole, short) = (
            br#""title":["Essai","Essai"]"#,
            br#""title":["Essai"]        "#,
        );
        let at = two
            .windows(whole.len())
            .position(|bytes| bytes == whole)
            .unwrap();
        let mut damaged = two;
        damaged[at..at + whole.len()].copy_from_slice(short);
        let error = unpack(damaged).err().unwrap();
        assert!(
            error.to_string().contains("longueurs différentes"),
            "{error}"
        );
    }

    #[test]
    fn an_archive_bundle_holds_its_articles_without_texts_and_the_build_reads_them_whole() {
        let built = build_apart(&[article()], "b1", PART_BYTES).unwrap();
        assert!(texts_apart(&built.bundle).unwrap());
        assert!(!texts_apart(&build(&[article()], "b1").unwrap()).unwrap());
        let text = String::from_utf8(built.bundle.clone()).unwrap_or_default();
        assert!(!text.contains("La Hadopi veille"), "no text in the bundle");
        assert!(!text.contains("Essai"), "no title either: they are apart");
        assert_eq!(built.titles.0, TITLES_PATH);
        assert_eq!(
            TitlesFile::read(&built.titles.1, 1, "b1").unwrap(),
            ["Essai"]
        );
        let refused = TitlesFile::read(&built.titles.1, 2, "b1").unwrap_err();
        assert!(
            refused.to_string().contains("1 titres pour 2 articles"),
            "{refused}"
        );
        let huge = vec![b' '; MAX_TITLES_BYTES + 1];
        assert!(TitlesFile::read(&huge, 1, "b1").is_err());
        assert_eq!(built.texts.len(), 1);
        assert_eq!(built.texts[0].0, "a/essai/texte.json");
        let files: HashMap<String, Vec<u8>> = built.texts.into_iter().collect();
        let read = |path: &str| files.get(path).cloned().ok_or(format!("{path} absent"));
        assert_eq!(articles(&built.bundle, read).unwrap(), [article()]);
        let lost = articles(&built.bundle, |path| Err(format!("{path} absent"))).unwrap_err();
        assert!(lost.contains("a/essai/texte.json"), "{lost}");
        let other = build_apart(&[article()], "b2", PART_BYTES).unwrap();
        let foreign = articles(&built.bundle, |_| Ok(other.texts[0].1.clone())).unwrap_err();
        assert!(foreign.contains("autre publication"), "{foreign}");
    }

    #[test]
    fn a_document_is_the_article_at_its_position_even_past_one_segment() {
        // Each article a word of its own ("xylbk", "xylck"…) among enough words that the
        // writer's memory fills several segments before they are merged.
        let letters = b"bcdfghjklmnpqrstvwxz";
        let own_word = |position: usize| {
            let mut word = String::from("xyl");
            let mut rest = position;
            loop {
                word.push(letters[rest % letters.len()] as char);
                rest /= letters.len();
                if rest == 0 {
                    break word + "k";
                }
            }
        };
        let filler = (0..1500)
            .map(|at| format!("mot{}", own_word(at)))
            .collect::<Vec<_>>()
            .join(" ");
        let articles: Vec<Article> = (0..600)
            .map(|position| Article {
                slug: format!("article-{position}"),
                blocks: vec![Block::Paragraph(format!("{} {filler}", own_word(position)))],
                ..article()
            })
            .collect();
        let (_, written) = native::indexed(&articles).unwrap();
        assert!(written > 1, "{written} segment: the test needs more words");
        let library = crate::library::Library::open(build(&articles, "").unwrap()).unwrap();
        for position in [0, 1, 299, 300, 599] {
            let found = library.search(&own_word(position)).unwrap();
            // First: the others are typos of its word.
            let first = found.hits.first().map(|hit| hit.slug.as_str());
            let expected = format!("article-{position}");
            assert_eq!(first, Some(expected.as_str()), "{}", own_word(position));
        }
    }

    #[test]
    fn writing_atomically_replaces_the_file_and_leaves_no_temporary() {
        let folder = std::env::temp_dir().join(format!("lecteur-bundle-{}", std::process::id()));
        let path = folder.join("index.bin");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1);
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
