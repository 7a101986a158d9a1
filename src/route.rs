//! The page's URL, a public interface: every state a reader can link to.
//!
//! | hash                 | page                                   |
//! |----------------------|----------------------------------------|
//! | `#/` (or nothing)    | home: the article list                 |
//! | `#/?q=QUERY`         | the results for QUERY                  |
//! | `#/a/SLUG`           | the article SLUG                       |
//! | `#/a/SLUG?q=QUERY`   | the article with QUERY's words marked  |
//! | `#/a/SLUG?q=QUERY&p=N` | the same, scrolled to its passage N    |
//! | `#/a/SLUG?s=PASSAGE` | the article with a shared passage marked (`s=` may repeat) |
//!
//! PASSAGE is a text-quote anchor, whose form [`crate::anchor`] documents; like
//! N it is read apart from the route ([`crate::anchor::passages_in`]).
//!
//! N counts the article's blocks from 1, as their `bloc-N` ids do; it is read
//! apart from the route ([`passage`]) so that links without it stay valid.
//!
//! QUERY is percent-encoded UTF-8 (`encodeURIComponent`; `+` reads as a space).
//! Unknown parameters are ignored, so later versions can add some and older
//! links keep working.

use crate::percent;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    Search { query: String },
    Article { slug: String, query: Option<String> },
}

/// A link the page cannot follow, with words for the reader.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    #[error("l’adresse « {0} » ne correspond à aucune page du lecteur")]
    UnknownPath(String),
    #[error("la recherche contenue dans ce lien est illisible : son encodage est invalide")]
    BadQuery,
    #[error("le nom d’article contenu dans ce lien est illisible : son encodage est invalide")]
    BadSlug,
}

impl Route {
    /// Reads `location.hash` (with or without its `#`).
    pub fn parse(hash: &str) -> Result<Route, RouteError> {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        let (path, parameters) = hash.split_once('?').unwrap_or((hash, ""));
        let mut query = None;
        for pair in parameters.split('&') {
            if let Some(value) = pair.strip_prefix("q=") {
                let value = percent::decode(value).map_err(|_| RouteError::BadQuery)?;
                query = Some(value).filter(|value| !value.trim().is_empty());
            }
        }
        match path {
            "" | "/" => Ok(match query {
                Some(query) => Route::Search { query },
                None => Route::Home,
            }),
            _ => {
                let slug = path
                    .strip_prefix("/a/")
                    .filter(|slug| !slug.is_empty() && !slug.contains('/'))
                    .ok_or_else(|| RouteError::UnknownPath(format!("#{hash}")))?;
                let slug = percent::decode(slug).map_err(|_| RouteError::BadSlug)?;
                Ok(Route::Article { slug, query })
            }
        }
    }

    /// The hash that leads back to this route, `#` included.
    pub fn to_hash(&self) -> String {
        let query = |query: &str| format!("?q={}", percent::encode(query));
        match self {
            Route::Home => "#/".to_string(),
            Route::Search { query: q } => format!("#/{}", query(q)),
            Route::Article { slug, query: q } => format!(
                "#/a/{}{}",
                percent::encode(slug),
                q.as_deref().map(query).unwrap_or_default()
            ),
        }
    }

    /// The query this route carries, if any.
    pub fn query(&self) -> Option<&str> {
        match self {
            Route::Home => None,
            Route::Search { query } => Some(query),
            Route::Article { query, .. } => query.as_deref(),
        }
    }
}

/// The passage (block index from 0) a link to an article points at, if any.
pub fn passage(hash: &str) -> Option<usize> {
    let (_, parameters) = hash.split_once('?')?;
    parameters
        .split('&')
        .filter_map(|pair| pair.strip_prefix("p="))
        .filter_map(|value| value.parse::<usize>().ok())
        .find_map(|number| number.checked_sub(1))
}

/// The hash of an article route that also points at its passage `block` (from 0).
pub fn with_passage(route: &Route, block: usize) -> String {
    let hash = route.to_hash();
    match route {
        Route::Article { .. } => {
            let separator = if hash.contains('?') { '&' } else { '?' };
            format!("{hash}{separator}p={}", block + 1)
        }
        _ => hash,
    }
}

/// The hash of an article route that also marks the shared `passages`.
pub fn with_shared(route: &Route, passages: &[crate::anchor::Anchor]) -> String {
    let mut hash = route.to_hash();
    if let Route::Article { .. } = route {
        for passage in passages {
            let separator = if hash.contains('?') { '&' } else { '?' };
            hash = format!("{hash}{separator}s={}", passage.encode());
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchor::{Anchor, Position, passages_in};

    #[test]
    fn shared_passages_round_trip_and_leave_the_route_alone() {
        let shared = Anchor {
            prefix: "la loi ".into(),
            exact: "Hadopi & « co » ?".into(),
            suffix: ", dit-on".into(),
            hint: Position {
                block: 4,
                utf16_offset: 17,
            },
        };
        let route = article("popcorn-time", Some("hadopi"));
        let hash = with_shared(&route, &[shared.clone(), shared.clone()]);
        assert_eq!(Route::parse(&hash), Ok(route));
        assert_eq!(
            passages_in(&hash),
            Some(Ok(vec![shared.clone(), shared.clone()]))
        );
        assert_eq!(passage(&hash), None);
        let bare = with_shared(&article("x", None), std::slice::from_ref(&shared));
        assert!(bare.starts_with("#/a/x?s=4.17,"), "{bare}");
        assert_eq!(with_shared(&search("x"), &[shared]), "#/?q=x");
    }

    fn search(query: &str) -> Route {
        Route::Search {
            query: query.into(),
        }
    }

    fn article(slug: &str, query: Option<&str>) -> Route {
        Route::Article {
            slug: slug.into(),
            query: query.map(Into::into),
        }
    }

    #[test]
    fn the_documented_links_parse() {
        let cases = [
            ("", Route::Home),
            ("#", Route::Home),
            ("#/", Route::Home),
            ("#/?q=", Route::Home),
            ("#/?q=hadopi", search("hadopi")),
            (
                "#/?q=t%C3%A9l%C3%A9chargement+ill%C3%A9gal",
                search("téléchargement illégal"),
            ),
            ("#/?utm=x&q=popcorn", search("popcorn")),
            ("#/a/popcorn-time", article("popcorn-time", None)),
            (
                "#/a/popcorn-time?q=hadopi",
                article("popcorn-time", Some("hadopi")),
            ),
            ("/a/popcorn-time?q=", article("popcorn-time", None)),
        ];
        for (hash, route) in cases {
            assert_eq!(Route::parse(hash), Ok(route), "{hash}");
        }
    }

    #[test]
    fn routes_round_trip_through_their_hash() {
        let routes = [
            Route::Home,
            search("« Popcorn Time » & Hadopi ?"),
            search("a/b#c"),
            article("popcorn-time", None),
            article("popcorn-time", Some("l’industrie")),
        ];
        for route in routes {
            assert_eq!(
                Route::parse(&route.to_hash()),
                Ok(route.clone()),
                "{route:?}"
            );
        }
        assert_eq!(
            search("télé charger").to_hash(),
            "#/?q=t%C3%A9l%C3%A9%20charger"
        );
    }

    #[test]
    fn passages_round_trip_and_old_links_have_none() {
        for (route, block) in [
            (article("popcorn-time", Some("hadopi")), 4),
            (article("popcorn-time", None), 0),
            (article("a&b", Some("p=3 & q")), 12),
        ] {
            let hash = with_passage(&route, block);
            assert_eq!(Route::parse(&hash), Ok(route.clone()), "{hash}");
            assert_eq!(passage(&hash), Some(block), "{hash}");
        }
        assert_eq!(
            with_passage(&article("x", Some("hadopi")), 2),
            "#/a/x?q=hadopi&p=3"
        );
        for old in [
            "#/a/x?q=hadopi",
            "#/a/x",
            "#/a/x?p=0",
            "#/a/x?p=abc",
            "#/?q=p%3D2",
        ] {
            assert_eq!(passage(old), None, "{old}");
        }
        assert_eq!(with_passage(&search("hadopi"), 3), "#/?q=hadopi");
    }

    #[test]
    fn broken_links_say_what_is_wrong() {
        assert_eq!(Route::parse("#/?q=%E9%ZZ"), Err(RouteError::BadQuery));
        assert_eq!(Route::parse("#/a/x?q=%FF"), Err(RouteError::BadQuery));
        assert_eq!(Route::parse("#/a/%FF"), Err(RouteError::BadSlug));
        for unknown in ["#/b/x", "#/a/", "#/a/x/y", "#nowhere"] {
            assert!(
                matches!(Route::parse(unknown), Err(RouteError::UnknownPath(_))),
                "{unknown}"
            );
        }
        let message = Route::parse("#/x").unwrap_err().to_string();
        assert!(message.contains("« #/x »"), "{message}");
    }
}
