//! The reader's addresses, a public interface: every state a reader can link to,
//! parsed once into a [`Route`] that carries every parameter.
//!
//! On a web host the addresses are real paths, relative to the site's root so
//! that the site works under any path prefix; servers and crawlers see them,
//! and each article has its own page:
//!
//! | address                   | page                                        |
//! |---------------------------|---------------------------------------------|
//! | `./`                      | home: the article list                      |
//! | `./?q=QUERY`              | the results for QUERY                       |
//! | `./?q=QUERY&source=S&annee=Y&tri=date` | the results, narrowed and ordered (also on an article reached from them) |
//! | `./a/SLUG/`               | the article SLUG                            |
//! | `./a/SLUG/?q=QUERY`       | the article with QUERY's words marked       |
//! | `./a/SLUG/?q=QUERY&p=N`   | the same, scrolled to its passage N         |
//! | `./a/SLUG/?s=PASSAGE`     | the article with a shared passage marked (`s=` may repeat) |
//!
//! The single-file edition, opened from disk, has no server to give each
//! address a page: it keeps the first scheme, in the hash, with the same
//! parameters (`#/`, `#/?q=QUERY`, `#/a/SLUG?q=QUERY&p=N&s=PASSAGE`). Links of
//! that scheme shared before the site had real addresses are sent to their new
//! form by the home page itself, before it shows anything (`www/index.html`).
//!
//! QUERY is percent-encoded UTF-8 (`encodeURIComponent`; `+` reads as a
//! space). N counts the article's blocks from 1, as their `bloc-N` ids do.
//! PASSAGE is a text-quote anchor, whose form [`crate::anchor`] documents.
//! Unknown parameters are ignored, so later versions can add some and older
//! links keep working; a parameter that cannot be read is an error only where
//! nothing sensible can be shown instead (a query that does not decode), while
//! a damaged passage still opens its article, with a message.

use crate::anchor::{Anchor, AnchorError, MAX_PASSAGES};
use crate::found::{Filters, Order};
use crate::percent;

/// Where a link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    Search {
        query: String,
        /// The source, year and order the reader chose (`source=`, `annee=`, `tri=date`).
        filters: Filters,
    },
    Article {
        slug: String,
        /// The search the reader came from: its words are marked.
        query: Option<String>,
        /// That search's source, year and order, for the way back to its results (written
        /// only with a query).
        filters: Filters,
        /// The passage to scroll to, as a block index from 0 (`p=` counts from 1).
        passage: Option<usize>,
        /// Passages a reader shared (`s=`).
        shared: SharedPassages,
    },
}

/// The passages a link shares (its `s=` parameters).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SharedPassages {
    #[default]
    None,
    Passages(Vec<Anchor>),
    /// The link has `s=` parameters that cannot be read: the article still opens, and says so.
    Damaged(AnchorError),
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

/// How the page writes its addresses: real paths on a web host, the hash in the single file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addressing {
    Paths,
    Hash,
}

impl Addressing {
    /// The `href` that leads to `to` from the page showing `here`.
    pub fn href(self, to: &Route, here: &Route) -> String {
        match self {
            Addressing::Paths => to.href_from(here),
            Addressing::Hash => to.to_hash(),
        }
    }
}

impl Route {
    /// An article, with nothing marked.
    pub fn article(slug: impl Into<String>) -> Route {
        Route::Article {
            slug: slug.into(),
            query: None,
            filters: Filters::default(),
            passage: None,
            shared: SharedPassages::None,
        }
    }

    /// Reads a site address: `path` relative to the site's root (`""`, `a/SLUG/`,
    /// `a/SLUG/index.html`…, as in the URL, percent-encoded) and its `search` (with or
    /// without its `?`).
    pub fn from_site(path: &str, search: &str) -> Result<Route, RouteError> {
        let path = path.strip_prefix('/').unwrap_or(path);
        let path = path.strip_suffix("index.html").unwrap_or(path);
        let slug = match path {
            "" => None,
            _ => {
                let slug = path
                    .strip_prefix("a/")
                    .map(|rest| rest.strip_suffix('/').unwrap_or(rest))
                    .filter(|slug| !slug.is_empty() && !slug.contains('/'))
                    .ok_or_else(|| RouteError::UnknownPath(format!("./{path}")))?;
                Some(slug)
            }
        };
        Route::assemble(slug, search.strip_prefix('?').unwrap_or(search))
    }

    /// Reads a hash address (`#/a/SLUG?q=…`, with or without its `#`).
    pub fn from_hash(hash: &str) -> Result<Route, RouteError> {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        let (path, parameters) = hash.split_once('?').unwrap_or((hash, ""));
        let slug = match path {
            "" | "/" => None,
            _ => Some(
                path.strip_prefix("/a/")
                    .filter(|slug| !slug.is_empty() && !slug.contains('/'))
                    .ok_or_else(|| RouteError::UnknownPath(format!("#{hash}")))?,
            ),
        };
        Route::assemble(slug, parameters)
    }

    /// The route of an article slug (percent-encoded, if any) and the parameters.
    fn assemble(slug: Option<&str>, parameters: &str) -> Result<Route, RouteError> {
        let mut query = None;
        let mut passage = None;
        let mut shared = Vec::new();
        let mut filters = Filters::default();
        for pair in parameters.split('&') {
            if let Some(value) = pair.strip_prefix("q=") {
                let value = percent::decode(value).map_err(|_| RouteError::BadQuery)?;
                query = Some(value).filter(|value| !value.trim().is_empty());
            } else if let Some(value) = pair.strip_prefix("p=") {
                // A number from 1; anything else is ignored, as an unknown parameter is.
                if let Some(block) = value.parse::<usize>().ok().and_then(|n| n.checked_sub(1)) {
                    passage.get_or_insert(block);
                }
            } else if let Some(value) = pair.strip_prefix("s=") {
                shared.push(value);
            } else if let Some(value) = pair.strip_prefix("source=") {
                // An unreadable filter is dropped: the results show without it, and say so
                // by offering every source.
                filters.source = percent::decode(value)
                    .ok()
                    .filter(|value| !value.is_empty());
            } else if let Some(value) = pair.strip_prefix("annee=") {
                filters.year = value.parse().ok();
            } else if let Some(value) = pair.strip_prefix("tri=") {
                filters.order = match value {
                    "date" => Order::Date,
                    _ => Order::Relevance,
                };
            }
        }
        let Some(slug) = slug else {
            return Ok(match query {
                Some(query) => Route::Search { query, filters },
                None => Route::Home,
            });
        };
        let slug = percent::decode(slug).map_err(|_| RouteError::BadSlug)?;
        // Filters without a search have nothing to narrow.
        let filters = if query.is_some() {
            filters
        } else {
            Filters::default()
        };
        Ok(Route::Article {
            slug,
            query,
            filters,
            passage,
            shared: SharedPassages::decode(&shared),
        })
    }

    /// The route's page, relative to the site's root: `""` for the list and the results,
    /// `a/SLUG/` for an article.
    pub fn page_path(&self) -> String {
        match self {
            Route::Home | Route::Search { .. } => String::new(),
            Route::Article { slug, .. } => format!("a/{}/", percent::encode(slug)),
        }
    }

    /// The route's parameters, `?` included (empty when it has none), in the order
    /// `q`, `source`, `annee`, `tri`, `p`, `s`.
    pub fn parameters(&self) -> String {
        let mut pairs = Vec::new();
        if let Some(query) = self.query() {
            pairs.push(format!("q={}", percent::encode(query)));
        }
        if let Some(filters) = self.query().and(self.filters()) {
            if let Some(source) = &filters.source {
                pairs.push(format!("source={}", percent::encode(source)));
            }
            if let Some(year) = filters.year {
                pairs.push(format!("annee={year}"));
            }
            if filters.order == Order::Date {
                pairs.push("tri=date".to_string());
            }
        }
        if let Route::Article {
            passage, shared, ..
        } = self
        {
            if let Some(block) = passage {
                pairs.push(format!("p={}", block + 1));
            }
            if let SharedPassages::Passages(anchors) = shared {
                pairs.extend(
                    anchors
                        .iter()
                        .map(|anchor| format!("s={}", anchor.encode())),
                );
            }
        }
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }

    /// The address of this route relative to the site's root (`./`, `./?q=…`, `./a/SLUG/`).
    pub fn site_address(&self) -> String {
        format!("./{}{}", self.page_path(), self.parameters())
    }

    /// The relative `href` that leads to this route from the page of `here`.
    pub fn href_from(&self, here: &Route) -> String {
        let up = "../".repeat(here.page_path().matches('/').count());
        let href = format!("{up}{}{}", self.page_path(), self.parameters());
        if href.is_empty() {
            "./".to_string()
        } else {
            href
        }
    }

    /// The hash address of this route, `#` included.
    pub fn to_hash(&self) -> String {
        let path = match self {
            Route::Home | Route::Search { .. } => "/".to_string(),
            Route::Article { slug, .. } => format!("/a/{}", percent::encode(slug)),
        };
        format!("#{path}{}", self.parameters())
    }

    /// The query this route carries, if any.
    pub fn query(&self) -> Option<&str> {
        match self {
            Route::Home => None,
            Route::Search { query, .. } => Some(query),
            Route::Article { query, .. } => query.as_deref(),
        }
    }

    /// The source, year and order of the search this route shows or came from.
    pub fn filters(&self) -> Option<&Filters> {
        match self {
            Route::Home => None,
            Route::Search { filters, .. } | Route::Article { filters, .. } => Some(filters),
        }
    }

    /// The same article route scrolled to `block` (from 0); other routes are unchanged.
    pub fn with_passage(mut self, block: usize) -> Route {
        if let Route::Article { passage, .. } = &mut self {
            *passage = Some(block);
        }
        self
    }

    /// The same article route, sharing `anchors`; other routes are unchanged.
    pub fn with_shared(mut self, anchors: Vec<Anchor>) -> Route {
        if let Route::Article { shared, .. } = &mut self {
            *shared = SharedPassages::Passages(anchors);
        }
        self
    }

    /// A search for `query`, unfiltered, best first.
    pub fn search(query: impl Into<String>) -> Route {
        Route::Search {
            query: query.into(),
            filters: Filters::default(),
        }
    }

    /// The article this route shows, if it shows one.
    pub fn slug(&self) -> Option<&str> {
        match self {
            Route::Article { slug, .. } => Some(slug),
            _ => None,
        }
    }
}

impl SharedPassages {
    /// Reads the values of a link's `s=` parameters.
    pub fn decode(values: &[&str]) -> SharedPassages {
        if values.is_empty() {
            return SharedPassages::None;
        }
        if values.len() > MAX_PASSAGES {
            return SharedPassages::Damaged(AnchorError::TooMany);
        }
        values
            .iter()
            .enumerate()
            .map(|(index, value)| Anchor::decode(value, index + 1))
            .collect::<Result<Vec<_>, _>>()
            .map_or_else(SharedPassages::Damaged, SharedPassages::Passages)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchor::Position;

    fn search(query: &str) -> Route {
        Route::search(query)
    }

    fn article(slug: &str, query: Option<&str>) -> Route {
        Route::Article {
            slug: slug.into(),
            query: query.map(Into::into),
            filters: Filters::default(),
            passage: None,
            shared: SharedPassages::None,
        }
    }

    fn shared_anchor() -> Anchor {
        Anchor {
            prefix: "la loi ".into(),
            exact: "Hadopi & « co » ?".into(),
            suffix: ", dit-on".into(),
            hint: Position {
                block: 4,
                utf16_offset: 17,
            },
        }
    }

    #[test]
    fn the_documented_site_addresses_parse() {
        let cases = [
            ("", "", Route::Home),
            ("index.html", "", Route::Home),
            ("", "?q=", Route::Home),
            ("", "?q=hadopi", search("hadopi")),
            (
                "",
                "?q=t%C3%A9l%C3%A9chargement+ill%C3%A9gal",
                search("téléchargement illégal"),
            ),
            ("", "utm=x&q=popcorn", search("popcorn")),
            ("a/popcorn-time/", "", article("popcorn-time", None)),
            ("a/popcorn-time", "", article("popcorn-time", None)),
            (
                "/a/popcorn-time/index.html",
                "",
                article("popcorn-time", None),
            ),
            (
                "a/popcorn-time/",
                "?q=hadopi",
                article("popcorn-time", Some("hadopi")),
            ),
            (
                "a/popcorn-time/",
                "?q=hadopi&p=3",
                article("popcorn-time", Some("hadopi")).with_passage(2),
            ),
        ];
        for (path, search, route) in cases {
            assert_eq!(Route::from_site(path, search), Ok(route), "{path}{search}");
        }
    }

    #[test]
    fn the_hash_addresses_of_the_single_file_parse_alike() {
        let cases = [
            ("", Route::Home),
            ("#", Route::Home),
            ("#/", Route::Home),
            ("#/?q=", Route::Home),
            ("#/?q=hadopi", search("hadopi")),
            ("#/?utm=x&q=popcorn", search("popcorn")),
            ("#/a/popcorn-time", article("popcorn-time", None)),
            (
                "#/a/popcorn-time?q=hadopi&p=2",
                article("popcorn-time", Some("hadopi")).with_passage(1),
            ),
            ("/a/popcorn-time?q=", article("popcorn-time", None)),
        ];
        for (hash, route) in cases {
            assert_eq!(Route::from_hash(hash), Ok(route), "{hash}");
        }
    }

    #[test]
    fn routes_round_trip_through_both_forms() {
        let routes = [
            Route::Home,
            search("« Popcorn Time » & Hadopi ?"),
            search("a/b#c"),
            Route::Search {
                query: "hadopi".into(),
                filters: Filters {
                    source: Some("Le Monde & co".into()),
                    year: Some(2014),
                    order: Order::Date,
                },
            },
            article("popcorn-time", None),
            article("popcorn-time", Some("l’industrie")),
            article("a&b", Some("p=3 & q")).with_passage(12),
            article("x", Some("hadopi")).with_shared(vec![shared_anchor(), shared_anchor()]),
            Route::Article {
                slug: "x".into(),
                query: Some("hadopi".into()),
                filters: Filters {
                    source: Some("Le Monde & co".into()),
                    year: Some(2014),
                    order: Order::Date,
                },
                passage: Some(4),
                shared: SharedPassages::None,
            },
        ];
        for route in routes {
            assert_eq!(
                Route::from_hash(&route.to_hash()),
                Ok(route.clone()),
                "{route:?}"
            );
            let address = route.site_address();
            let (path, search) = address
                .strip_prefix("./")
                .unwrap()
                .split_once('?')
                .unwrap_or((&address[2..], ""));
            assert_eq!(
                Route::from_site(path, search),
                Ok(route.clone()),
                "{address}"
            );
        }
        assert_eq!(
            search("télé charger").site_address(),
            "./?q=t%C3%A9l%C3%A9%20charger"
        );
        assert_eq!(
            search("télé charger").to_hash(),
            "#/?q=t%C3%A9l%C3%A9%20charger"
        );
        assert_eq!(
            article("x", Some("hadopi")).with_passage(2).site_address(),
            "./a/x/?q=hadopi&p=3"
        );
        let shared = article("x", None).with_shared(vec![shared_anchor()]);
        assert!(
            shared.site_address().starts_with("./a/x/?s=4.17,"),
            "{shared:?}"
        );
    }

    #[test]
    fn an_article_reached_from_filtered_results_leads_back_to_them() {
        let filters = Filters {
            source: Some("Le Monde".into()),
            year: Some(2014),
            order: Order::Date,
        };
        let reached = Route::from_site(
            "a/x/",
            "?q=hadopi&source=Le%20Monde&annee=2014&tri=date&p=2",
        )
        .unwrap();
        assert_eq!(
            reached.site_address(),
            "./a/x/?q=hadopi&source=Le%20Monde&annee=2014&tri=date&p=2"
        );
        assert_eq!(reached.filters(), Some(&filters));
        // Filters with no search narrow nothing: dropped, not written back.
        let unsearched = Route::from_site("a/x/", "?source=Le%20Monde&annee=2014").unwrap();
        assert_eq!(unsearched, article("x", None));
        assert_eq!(unsearched.site_address(), "./a/x/");
    }

    #[test]
    fn a_search_link_carries_its_filters_and_ignores_unreadable_ones() {
        let filtered = Route::from_site("", "?q=hadopi&source=Le%20Monde&annee=2014&tri=date");
        assert_eq!(
            filtered,
            Ok(Route::Search {
                query: "hadopi".into(),
                filters: Filters {
                    source: Some("Le Monde".into()),
                    year: Some(2014),
                    order: Order::Date,
                },
            })
        );
        assert_eq!(
            filtered.unwrap().site_address(),
            "./?q=hadopi&source=Le%20Monde&annee=2014&tri=date"
        );
        // A damaged filter is dropped, not the search.
        assert_eq!(
            Route::from_site("", "?q=hadopi&source=%FF&annee=deux-mille&tri=au-hasard"),
            Ok(search("hadopi"))
        );
        // Filters without a query show the list.
        assert_eq!(Route::from_site("", "?annee=2014"), Ok(Route::Home));
    }

    #[test]
    fn relative_links_climb_out_of_an_article_page() {
        let home = Route::Home;
        let results = search("hadopi");
        let here = article("ici", None);
        let there = article("la-bas", Some("hadopi")).with_passage(1);
        assert_eq!(home.href_from(&home), "./");
        assert_eq!(home.href_from(&results), "./");
        assert_eq!(results.href_from(&home), "?q=hadopi");
        assert_eq!(there.href_from(&home), "a/la-bas/?q=hadopi&p=2");
        assert_eq!(home.href_from(&here), "../../");
        assert_eq!(results.href_from(&here), "../../?q=hadopi");
        assert_eq!(there.href_from(&here), "../../a/la-bas/?q=hadopi&p=2");
        assert_eq!(
            Addressing::Hash.href(&there, &here),
            "#/a/la-bas?q=hadopi&p=2"
        );
        assert_eq!(Addressing::Paths.href(&here, &here), "../../a/ici/");
    }

    #[test]
    fn passages_are_read_apart_and_bad_ones_are_ignored() {
        for (search, passage) in [
            ("?q=hadopi", None),
            ("", None),
            ("?p=0", None),
            ("?p=abc", None),
            ("?p=-2", None),
            ("?p=4&p=9", Some(3)),
        ] {
            let Ok(Route::Article { passage: read, .. }) = Route::from_site("a/x/", search) else {
                panic!("{search}")
            };
            assert_eq!(read, passage, "{search}");
        }
        assert_eq!(Route::from_site("", "?q=p%3D2"), Ok(search("p=2")));
    }

    #[test]
    fn shared_passages_are_decoded_and_damage_is_kept_for_the_message() {
        let encoded = shared_anchor().encode();
        let Ok(Route::Article { shared, .. }) =
            Route::from_site("a/x/", &format!("q=y&s={encoded}&s={encoded}&p=2"))
        else {
            panic!()
        };
        assert_eq!(
            shared,
            SharedPassages::Passages(vec![shared_anchor(), shared_anchor()])
        );
        let Ok(Route::Article { shared, .. }) = Route::from_hash("#/a/x?s=0.0,,a,&s=oops") else {
            panic!()
        };
        assert_eq!(
            shared,
            SharedPassages::Damaged(AnchorError::MissingField(2))
        );
        let many = "&s=0.0,,a,".repeat(MAX_PASSAGES + 1);
        let Ok(Route::Article { shared, .. }) = Route::from_site("a/x/", &many) else {
            panic!()
        };
        assert_eq!(shared, SharedPassages::Damaged(AnchorError::TooMany));
        assert_eq!(
            Route::from_site("", &format!("s={encoded}")),
            Ok(Route::Home),
            "only articles share passages"
        );
    }

    #[test]
    fn broken_links_say_what_is_wrong() {
        assert_eq!(Route::from_site("", "?q=%E9%ZZ"), Err(RouteError::BadQuery));
        assert_eq!(Route::from_hash("#/a/x?q=%FF"), Err(RouteError::BadQuery));
        assert_eq!(Route::from_site("a/%FF/", ""), Err(RouteError::BadSlug));
        assert_eq!(Route::from_hash("#/a/%FF"), Err(RouteError::BadSlug));
        for unknown in ["b/x", "a/", "a/x/y", "nowhere", "a//"] {
            assert!(
                matches!(
                    Route::from_site(unknown, ""),
                    Err(RouteError::UnknownPath(_))
                ),
                "{unknown}"
            );
        }
        for unknown in ["#/b/x", "#/a/", "#/a/x/y", "#nowhere"] {
            assert!(
                matches!(Route::from_hash(unknown), Err(RouteError::UnknownPath(_))),
                "{unknown}"
            );
        }
        let message = Route::from_site("x", "").unwrap_err().to_string();
        assert!(message.contains("« ./x »"), "{message}");
    }
}
