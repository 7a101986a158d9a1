//! The engine's side of the page's questions ([`lecteur_core::protocol`]): open an index
//! for one build, and answer each [`Request`] from the [`Library`], with the stable error
//! codes a program can act on and the French messages the reader sees.
//!
//! Plain Rust, tested natively; the engine's WebAssembly (`engine/`) and its worker
//! (`www/engine-worker.js`) only carry these answers across.

use std::sync::Arc;

use crate::bundle;
use crate::library::{Library, SearchError};
use crate::prerendered::Card;
use crate::protocol::{Answer, EngineError, Request, code, short_build};

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

/// What the index holds, in the folder's order: the answer to its opening.
pub fn opened(library: &Library) -> Answer {
    Answer::Opened {
        cards: library
            .articles()
            .iter()
            .map(|article| Card::of(article))
            .collect(),
    }
}

/// The answer to `request`.
pub fn answer(library: &Library, request: &Request) -> Result<Answer, EngineError> {
    match request {
        Request::Search {
            query,
            filters,
            limit,
        } => library
            .search_with(query, filters, *limit)
            .map(Answer::Found)
            .map_err(searching),
        Request::Marks { slug, query } => {
            let article = known(library, slug)?;
            library
                .marks(article, query)
                .map(Answer::Marked)
                .map_err(searching)
        }
        Request::Article { slug } => Ok(Answer::Article(Arc::unwrap_or_clone(
            known(library, slug)?.clone(),
        ))),
    }
}

fn known<'a>(library: &'a Library, slug: &str) -> Result<&'a Arc<crate::Article>, EngineError> {
    library.article(slug).ok_or_else(|| {
        EngineError::new(
            code::UNKNOWN_ARTICLE,
            format!("aucun article ne porte le nom « {slug} »"),
        )
    })
}

fn searching(error: SearchError) -> EngineError {
    let code = match error {
        SearchError::Query(_) => code::QUERY,
        SearchError::Index(_) => code::INDEX,
    };
    EngineError::new(code, error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Article, Block};

    fn library(build: &str) -> Vec<u8> {
        let article = Article {
            slug: "hadopi".into(),
            title: "La Hadopi veille".into(),
            title_origin: None,
            source: None,
            date: None,
            language: "fr".into(),
            original: None,
            blocks: vec![Block::Paragraph("La Hadopi envoie des courriels.".into())],
        };
        bundle::build(&[article], build).unwrap()
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
        let Answer::Opened { cards } = opened(&library) else {
            panic!("expected the list")
        };
        assert_eq!(cards[0].slug, "hadopi");
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
}
