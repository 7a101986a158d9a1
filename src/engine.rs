//! The engine's side of the page's questions ([`lecteur_core::protocol`]): open an index
//! for one build, and answer each [`Request`] from the [`Library`], with the stable error
//! codes a program can act on and the French messages the reader sees.
//!
//! Plain Rust, tested natively; the engine's WebAssembly (`engine/`) and its worker
//! (`www/engine-worker.js`) only carry these answers across.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::anchor::{Anchor, ArticleText, Landing, Position, byte_to_utf16};
use crate::article::{Article, Block};
use crate::bundle;
use crate::found::{ArticleMarks, Filters, SearchResults};
use crate::library::{Library, SearchError};
use crate::page::share_address;
use crate::protocol::{Answer, EngineError, Listing, MAX_EXCERPTS, Request, code, short_build};

/// Opens `bytes` as an index; with `build`, only an index of that build (the page's: the
/// page, its engine and its index come from one publication of the site, or the page says
/// they disagree instead of searching).
pub fn open(bytes: Vec<u8>, build: Option<&str>) -> Result<Library, EngineError> {
    let opening = |error: &dyn std::fmt::Display| EngineError::new(code::OPEN, error.to_string());
    if let Some(build) = build {
        let index_build = bundle::build_id(&bytes).map_err(|error| opening(&error))?;
        if index_build != build {
            return Err(EngineError::new(
                code::OTHER_BUILD,
                format!(
                    "l’index (version « {} ») et le programme du lecteur (version « {} ») \
                     ne viennent pas de la même publication du site",
                    short_build(&index_build),
                    short_build(build)
                ),
            ));
        }
    }
    Library::open(bytes).map_err(|error| opening(&error))
}

/// What the index holds, in the folder's order: the answer to [`Request::List`]. An
/// archive's cards come without their excerpts, asked for as the list shows them
/// ([`excerpts`]), and need its titles file: the error names it (code `index-partiel`).
pub fn opened(library: &Library) -> Result<Listing, EngineError> {
    Ok(Listing {
        cards: library.cards().map_err(searching)?,
        excerpts_apart: library.texts_apart(),
        without_cards: false,
    })
}

/// The answer to `request`.
pub fn answer(library: &Library, request: &Request) -> Result<Answer, EngineError> {
    match request {
        Request::Search {
            query,
            filters,
            limit,
        } => search(library, query, filters, *limit).map(Answer::Found),
        Request::Marks { slug, query } => marks(library, slug, query).map(Answer::Marked),
        Request::Article { slug } => article(library, slug).map(Answer::Article),
        Request::Excerpts { from, to } => {
            excerpts(library, *from, *to).map(|excerpts| Answer::Excerpts {
                from: *from,
                excerpts,
            })
        }
        Request::List => opened(library).map(Answer::Opened),
    }
}

/// The list's excerpts of the articles from `from` to `to` (excluded), at most
/// [`MAX_EXCERPTS`] and within the list ([`Library::excerpts`]); an archive's are filed apart,
/// and the error then names the files to supply (code `index-partiel`).
pub fn excerpts(library: &Library, from: usize, to: usize) -> Result<Vec<String>, EngineError> {
    let count = library.articles().len();
    if from > to || to > count || to - from > MAX_EXCERPTS {
        return Err(EngineError::new(
            code::BAD_REQUEST,
            format!(
                "les extraits demandés ({from} à {to}) ne sont pas dans la liste de {count} articles, \
                 ou sont plus de {MAX_EXCERPTS} à la fois"
            ),
        ));
    }
    library.excerpts(from..to).map_err(searching)
}

/// The articles matching `query` under `filters`, the first `limit` of them with their
/// passages ([`Library::search_with`]).
pub fn search(
    library: &Library,
    query: &str,
    filters: &Filters,
    limit: usize,
) -> Result<SearchResults, EngineError> {
    library
        .search_with(query, filters, limit)
        .map_err(searching)
}

/// The words of `query` marked in the article `slug`.
pub fn marks(library: &Library, slug: &str, query: &str) -> Result<ArticleMarks, EngineError> {
    library
        .marks(known(library, slug)?.as_ref(), query)
        .map_err(searching)
}

/// The article `slug`, whole.
pub fn article(library: &Library, slug: &str) -> Result<Article, EngineError> {
    Ok(Arc::unwrap_or_clone(known(library, slug)?))
}

/// Takes an article's text file (`a/SLUG/texte.json`) for an index that holds the texts apart
/// ([`Library::supply`]); returns its slug. A text of another build is code `autre-version`,
/// a damaged or foreign one `texte-illisible`.
pub fn supply(library: &Library, bytes: &[u8]) -> Result<String, EngineError> {
    library.supply(bytes).map_err(|error| {
        let code = match error {
            bundle::BundleError::TextOfAnotherBuild { .. } => code::OTHER_BUILD,
            _ => code::BAD_TEXT,
        };
        EngineError::new(code, error.to_string())
    })
}

/// A point of an article as the DOM counts it: a block (from 0) and an offset in UTF-16 code
/// units (a JavaScript string's indices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    pub block: usize,
    pub offset: usize,
}

/// A passage made shareable: its `s=` value and the address of the article showing it,
/// relative to the site's root, with a text fragment for browsers without the reader's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedLink {
    pub passage: String,
    pub address: String,
}

/// Where a shared passage lies in an article now: per block, in UTF-16 code units, and how
/// it was found (`hint`: where the link said; `exact`: its text elsewhere; `approximate`: the
/// article changed since).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundPassage {
    pub landing: String,
    pub ranges: Vec<BlockRange>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockRange {
    pub block: usize,
    pub start: usize,
    pub end: usize,
}

/// The shared link of the text between two points of the article `slug` (a selection, in
/// either order): the same anchor and address the reader's "Partager ce passage" makes.
pub fn share_link(
    library: &Library,
    slug: &str,
    from: Point,
    to: Point,
) -> Result<SharedLink, EngineError> {
    let article = known(library, slug)?;
    let at = |point: Point| Position {
        block: point.block,
        utf16_offset: point.offset,
    };
    let anchor = ArticleText::new(article.blocks.iter().map(Block::text))
        .anchor(at(from), at(to))
        .map_err(|error| EngineError::new(code::PASSAGE, error.to_string()))?;
    Ok(SharedLink {
        passage: anchor.encode(),
        address: share_address(&article, anchor),
    })
}

/// Finds the passage of an `s=` value in the article `slug` again; `None` when the article no
/// longer has it. Bounded as a link's passages are ([`ArticleText::locate`]).
pub fn find_passage(
    library: &Library,
    slug: &str,
    passage: &str,
) -> Result<Option<FoundPassage>, EngineError> {
    let article = known(library, slug)?;
    let anchor = Anchor::decode(passage, 1)
        .map_err(|error| EngineError::new(code::PASSAGE, error.to_string()))?;
    let text = ArticleText::new(article.blocks.iter().map(Block::text));
    let Some(found) = text.locate(&anchor) else {
        return Ok(None);
    };
    let ranges = text
        .per_block(found.range)
        .into_iter()
        .filter_map(|(block, range)| {
            let block_text = text.block(block)?;
            Some(BlockRange {
                block,
                start: byte_to_utf16(block_text, range.start)?,
                end: byte_to_utf16(block_text, range.end)?,
            })
        })
        .collect();
    let landing = match found.landing {
        Landing::Hint => "hint",
        Landing::Exact => "exact",
        Landing::Approximate => "approximate",
    };
    Ok(Some(FoundPassage {
        landing: landing.to_string(),
        ranges,
    }))
}

/// The article `slug`, whole; if the index holds it without its text, the error names it
/// ([`EngineError::no_text`]) for the caller to supply.
fn known(library: &Library, slug: &str) -> Result<Arc<Article>, EngineError> {
    if !library.has_article(slug) {
        return Err(EngineError::new(
            code::UNKNOWN_ARTICLE,
            format!("aucun article ne porte le nom « {slug} »"),
        ));
    }
    library
        .article(slug)
        .ok_or_else(|| EngineError::no_text(slug))
}

fn searching(error: SearchError) -> EngineError {
    let code = match &error {
        SearchError::Query(_) => code::QUERY,
        SearchError::Index(_) => code::INDEX,
        SearchError::Parts(parts) => {
            return EngineError {
                missing: parts.clone(),
                ..EngineError::new(
                    code::NO_PARTS,
                    format!(
                        "{} : elles ne sont pas sur cet appareil et n’ont pas pu être téléchargées (réseau indisponible ?)",
                        error
                    ),
                )
            };
        }
    };
    EngineError::new(code, error.to_string())
}

/// Takes a part of an index read by parts (`path`, as an error of code `index-partiel` named
/// it). A part of another build or a damaged one is code `partie-illisible`.
pub fn supply_part(library: &Library, path: &str, bytes: &[u8]) -> Result<(), EngineError> {
    library
        .supply_part(path, bytes)
        .map_err(|error| EngineError::new(code::BAD_PART, error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parts::PART_BYTES;

    fn hadopi() -> Article {
        Article {
            slug: "hadopi".into(),
            title: "La Hadopi veille".into(),
            title_origin: None,
            source: None,
            date: None,
            language: "fr".into(),
            original: None,
            blocks: vec![Block::Paragraph("La Hadopi envoie des courriels.".into())],
        }
    }

    fn library(build: &str) -> Vec<u8> {
        bundle::build(&[hadopi()], build).unwrap()
    }

    #[test]
    fn an_index_of_another_build_is_refused_with_its_code() {
        let error = open(library("aaaa"), Some("bbbb")).err().unwrap();
        assert_eq!(error.code, code::OTHER_BUILD);
        assert!(error.message.contains("même publication"), "{error}");
        assert!(open(library("aaaa"), Some("aaaa")).is_ok());
        assert!(
            open(library("aaaa"), None).is_ok(),
            "the API opens any index"
        );
        let damaged = open(b"not an index".to_vec(), None).err().unwrap();
        assert_eq!(damaged.code, code::OPEN);
    }

    #[test]
    fn each_request_has_its_answer_or_a_coded_error() {
        let library = open(library(""), None).unwrap();
        let listing = opened(&library).unwrap();
        let Listing {
            cards,
            excerpts_apart,
            without_cards,
        } = listing.clone();
        assert_eq!(cards[0].slug, "hadopi");
        assert!(!excerpts_apart && !without_cards && cards[0].excerpt.contains("courriels"));
        assert_eq!(
            answer(&library, &Request::List),
            Ok(Answer::Opened(listing))
        );
        let excerpts = answer(&library, &Request::Excerpts { from: 0, to: 1 });
        assert_eq!(
            excerpts,
            Ok(Answer::Excerpts {
                from: 0,
                excerpts: vec![cards[0].excerpt.clone()]
            })
        );
        for (from, to) in [(0, 2), (1, 0), (0, usize::MAX)] {
            let refused = answer(&library, &Request::Excerpts { from, to }).unwrap_err();
            assert_eq!(refused.code, code::BAD_REQUEST, "{from}..{to}");
        }
        let found = answer(&library, &Request::search("courriel"));
        let Ok(Answer::Found(results)) = found else {
            panic!("expected results, got {found:?}")
        };
        assert_eq!(results.hits[0].slug, "hadopi");
        let marks = answer(
            &library,
            &Request::Marks {
                slug: "hadopi".into(),
                query: "hadopi".into(),
            },
        );
        let Ok(Answer::Marked(marks)) = marks else {
            panic!("expected marks, got {marks:?}")
        };
        assert_eq!(marks.title, std::slice::from_ref(&(3..9)));
        let Ok(Answer::Article(article)) = answer(
            &library,
            &Request::Article {
                slug: "hadopi".into(),
            },
        ) else {
            panic!("expected the article")
        };
        assert_eq!(article.title, "La Hadopi veille");
        let unknown = answer(&library, &Request::Article { slug: "x".into() }).unwrap_err();
        assert_eq!(unknown.code, code::UNKNOWN_ARTICLE);
        let long = answer(&library, &Request::search("mot ".repeat(400))).unwrap_err();
        assert_eq!(long.code, code::QUERY);
    }

    #[test]
    fn an_article_without_its_text_or_the_parts_of_its_index_names_them_until_supplied() {
        let built = bundle::build_apart(&[hadopi()], "b1", PART_BYTES).unwrap();
        let library = open(built.bundle, Some("b1")).unwrap();
        let marks = Request::Marks {
            slug: "hadopi".into(),
            query: "courriel".into(),
        };
        for request in [
            &marks,
            &Request::Article {
                slug: "hadopi".into(),
            },
        ] {
            let error = answer(&library, request).unwrap_err();
            assert_eq!(
                (error.code.as_str(), &error.missing[..]),
                (code::NO_TEXT, &["hadopi".to_string()][..])
            );
        }
        assert_eq!(supply(&library, &built.texts[0].1).unwrap(), "hadopi");
        // The index is read by parts too: the marks need the dictionary's.
        let wanting = answer(&library, &marks).unwrap_err();
        assert_eq!(wanting.code, code::NO_PARTS);
        assert!(!wanting.missing.is_empty());
        let parts: std::collections::HashMap<_, _> = built.parts.iter().cloned().collect();
        assert_eq!(
            supply_part(&library, &wanting.missing[0], b"autre")
                .unwrap_err()
                .code,
            code::BAD_PART
        );
        for path in &wanting.missing {
            supply_part(&library, path, &parts[path]).unwrap();
        }
        assert!(matches!(answer(&library, &marks), Ok(Answer::Marked(_))));
        let other = bundle::build_apart(&[hadopi()], "b2", PART_BYTES).unwrap();
        assert_eq!(
            supply(&library, &other.texts[0].1).unwrap_err().code,
            code::OTHER_BUILD
        );
        assert_eq!(supply(&library, b"{}").unwrap_err().code, code::BAD_TEXT);
    }

    #[test]
    fn an_archives_excerpts_are_named_until_their_files_are_supplied() {
        let articles: Vec<Article> = (0..150)
            .map(|n| Article {
                slug: format!("article-{n}"),
                blocks: vec![Block::Paragraph(format!(
                    "Le texte numéro {n} de la Hadopi."
                ))],
                ..hadopi()
            })
            .collect();
        let built = bundle::build_apart(&articles, "b1", PART_BYTES).unwrap();
        assert_eq!(built.excerpts.len(), 2, "100 excerpts to a file");
        let library = open(built.bundle, Some("b1")).unwrap();
        // The list needs the titles, filed apart: asked for, then supplied.
        let wanting = answer(&library, &Request::List).unwrap_err();
        assert_eq!(
            (wanting.code.as_str(), &wanting.missing[..]),
            (code::NO_PARTS, &["titres.json".to_string()][..])
        );
        let other = bundle::build_apart(&articles, "b2", PART_BYTES).unwrap();
        let foreign = supply_part(&library, "titres.json", &other.titles.1).unwrap_err();
        assert_eq!(foreign.code, code::BAD_PART);
        assert!(foreign.message.contains("titres"), "{foreign:?}");
        supply_part(&library, "titres.json", &built.titles.1).unwrap();
        let listing = opened(&library).unwrap();
        assert!(listing.excerpts_apart);
        assert!(listing.cards.iter().all(|card| card.excerpt.is_empty()));
        assert_eq!(listing.cards[7].title, articles[7].title);
        let asked = Request::Excerpts { from: 95, to: 105 };
        let wanting = answer(&library, &asked).unwrap_err();
        assert_eq!(
            (wanting.code.as_str(), &wanting.missing[..]),
            (
                code::NO_PARTS,
                &["l/0.json".to_string(), "l/1.json".to_string()][..]
            )
        );
        let files: std::collections::HashMap<_, _> = built.excerpts.iter().cloned().collect();
        // A file at another place of the list, or of another build, is refused.
        let refused = supply_part(&library, "l/0.json", &files["l/1.json"]).unwrap_err();
        assert_eq!(refused.code, code::BAD_PART);
        assert!(refused.message.contains("extraits"), "{refused:?}");
        let foreign = supply_part(&library, "l/0.json", &other.excerpts[0].1).unwrap_err();
        assert!(foreign.message.contains("autre publication"), "{foreign:?}");
        for path in &wanting.missing {
            supply_part(&library, path, &files[path]).unwrap();
        }
        let Ok(Answer::Excerpts { from, excerpts }) = answer(&library, &asked) else {
            panic!("expected the excerpts")
        };
        assert_eq!(from, 95);
        assert_eq!(excerpts.len(), 10);
        assert_eq!(excerpts[0], "Le texte numéro 95 de la Hadopi.");
        assert_eq!(excerpts[9], "Le texte numéro 104 de la Hadopi.");
    }

    #[test]
    fn a_selection_becomes_a_shared_link_that_finds_its_passage_again() {
        let library = open(library(""), None).unwrap();
        // « envoie des » in « La Hadopi envoie des courriels. » (UTF-16 offsets 10..20).
        let link = share_link(
            &library,
            "hadopi",
            Point {
                block: 0,
                offset: 20,
            },
            Point {
                block: 0,
                offset: 10,
            },
        )
        .unwrap();
        assert!(link.passage.starts_with("0.10,"), "{link:?}");
        assert!(
            link.address
                .starts_with(&format!("./a/hadopi/?s={}", link.passage)),
            "{link:?}"
        );
        let found = find_passage(&library, "hadopi", &link.passage)
            .unwrap()
            .unwrap();
        assert_eq!(found.landing, "hint");
        assert_eq!(
            found.ranges,
            [BlockRange {
                block: 0,
                start: 10,
                end: 20
            }]
        );
        // A passage the article does not have; a damaged one; an empty selection.
        let elsewhere = find_passage(&library, "hadopi", "0.0,,absent%20ici,").unwrap();
        assert_eq!(elsewhere, None);
        let damaged = find_passage(&library, "hadopi", "x").unwrap_err();
        assert_eq!(damaged.code, code::PASSAGE);
        let at = Point {
            block: 0,
            offset: 3,
        };
        let empty = share_link(&library, "hadopi", at, at).unwrap_err();
        assert_eq!(empty.code, code::PASSAGE);
        let unknown = share_link(&library, "x", at, at).unwrap_err();
        assert_eq!(unknown.code, code::UNKNOWN_ARTICLE);
    }
}
