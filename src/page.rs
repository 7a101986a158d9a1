//! What the page shows, decided in plain Rust so it is tested natively.
//!
//! The URL is the single source of truth for navigation: the page state holds
//! the loading state of the library and the last route read from the URL, and
//! [`PageState::view`] derives the screen from both. The Yew shell only feeds
//! actions in and renders the [`View`] out.

use std::rc::Rc;

use crate::article::Article;
use crate::library::Library;
use crate::route::{Route, RouteError};

/// The library, while it arrives.
#[derive(Clone)]
pub enum Load {
    Loading,
    Ready(Rc<Library>),
    Failed(String),
}

#[derive(Clone)]
pub struct PageState {
    pub load: Load,
    pub route: Result<Route, RouteError>,
}

/// What can happen to the page.
pub enum Action {
    /// The bundle was fetched and opened, or could not be (with the reason).
    Loaded(Result<Rc<Library>, String>),
    /// The URL's hash changed: a link, back/forward, or the reader typing.
    Navigated(String),
}

/// One screen of the page.
#[derive(Debug, PartialEq)]
pub enum View<'a> {
    Loading,
    /// The library could not be loaded: nothing else can be shown.
    LoadFailed(String),
    Home,
    Results {
        query: &'a str,
    },
    Article {
        article: &'a Article,
        query: Option<&'a str>,
    },
    /// A link that leads nowhere; the message says why.
    BadLink(String),
}

/// How a new route enters the browser's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryEntry {
    /// A new entry, which Back returns from.
    Push,
    /// The current entry rewritten, as keystrokes refine one search.
    Replace,
}

impl PageState {
    pub fn new(hash: &str) -> Self {
        PageState {
            load: Load::Loading,
            route: Route::parse(hash),
        }
    }

    pub fn reduce(self, action: Action) -> Self {
        match action {
            Action::Loaded(Ok(library)) => PageState {
                load: Load::Ready(library),
                ..self
            },
            Action::Loaded(Err(reason)) => PageState {
                load: Load::Failed(reason),
                ..self
            },
            Action::Navigated(hash) => PageState {
                route: Route::parse(&hash),
                ..self
            },
        }
    }

    pub fn library(&self) -> Option<&Rc<Library>> {
        match &self.load {
            Load::Ready(library) => Some(library),
            _ => None,
        }
    }

    /// The text the search box shows for the current route.
    pub fn search_text(&self) -> &str {
        self.route
            .as_ref()
            .ok()
            .and_then(Route::query)
            .unwrap_or_default()
    }

    pub fn view(&self) -> View<'_> {
        let library = match &self.load {
            Load::Loading => return View::Loading,
            Load::Failed(reason) => {
                return View::LoadFailed(format!(
                    "Les articles n’ont pas pu être chargés : {reason}. Rechargez la page ; si le problème persiste, l’index publié est à reconstruire."
                ));
            }
            Load::Ready(library) => library,
        };
        match &self.route {
            Err(error) => View::BadLink(format!("Ce lien ne mène nulle part : {error}.")),
            Ok(Route::Home) => View::Home,
            Ok(Route::Search { query }) => View::Results { query },
            Ok(Route::Article { slug, query }) => match library.article(slug) {
                Some(article) => View::Article {
                    article,
                    query: query.as_deref(),
                },
                None => View::BadLink(format!(
                    "Aucun article ne porte le nom « {slug} » : il a peut-être été renommé ou retiré."
                )),
            },
        }
    }
}

/// Where typing `text` in the search box leads from `current`, and whether it
/// adds a history entry: the first keystroke of a search does, so Back leaves
/// the search; the following ones refine it in place.
pub fn after_typing(current: &Result<Route, RouteError>, text: &str) -> (Route, HistoryEntry) {
    let searching = matches!(current, Ok(Route::Search { .. }));
    let entry = if searching {
        HistoryEntry::Replace
    } else {
        HistoryEntry::Push
    };
    if text.trim().is_empty() {
        return (Route::Home, entry);
    }
    let route = Route::Search {
        query: text.to_string(),
    };
    (route, entry)
}

/// The result count as a screen reader announces it.
pub fn count_announcement(hits: usize, partial: bool) -> String {
    match (hits, partial) {
        (0, _) => "Aucun article ne correspond à cette recherche.".to_string(),
        (1, false) => "1 article trouvé.".to_string(),
        (n, false) => format!("{n} articles trouvés."),
        (1, true) => "Aucun article n’a tous les mots ; 1 article en a une partie.".to_string(),
        (n, true) => format!("Aucun article n’a tous les mots ; {n} articles en ont une partie."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Block;
    use crate::bundle;

    fn library() -> Rc<Library> {
        let article = Article {
            slug: "hadopi".into(),
            title: "La Hadopi veille".into(),
            title_origin: None,
            source: None,
            date: None,
            language: "fr".into(),
            original: None,
            blocks: vec![Block::Paragraph("Popcorn Time n’est pas légal.".into())],
        };
        Rc::new(Library::open(bundle::build(&[article], "").unwrap()).unwrap())
    }

    fn ready(hash: &str) -> PageState {
        PageState::new(hash).reduce(Action::Loaded(Ok(library())))
    }

    #[test]
    fn nothing_but_loading_shows_until_the_library_arrives() {
        let state = PageState::new("#/a/hadopi");
        assert_eq!(state.view(), View::Loading);
        let failed = state.reduce(Action::Loaded(Err("réponse 404".into())));
        let View::LoadFailed(message) = failed.view() else {
            panic!("expected a load failure")
        };
        assert!(message.contains("réponse 404"), "{message}");
    }

    #[test]
    fn each_route_has_its_screen() {
        assert_eq!(ready("#/").view(), View::Home);
        assert_eq!(
            ready("#/?q=hadopi").view(),
            View::Results { query: "hadopi" }
        );
        let state = ready("#/a/hadopi?q=popcorn");
        let View::Article { article, query } = state.view() else {
            panic!("expected the article")
        };
        assert_eq!((article.slug.as_str(), query), ("hadopi", Some("popcorn")));
        assert_eq!(state.search_text(), "popcorn");
    }

    #[test]
    fn unknown_slugs_and_broken_links_explain_themselves() {
        let View::BadLink(message) = ready("#/a/inconnu").view() else {
            panic!("expected a bad link")
        };
        assert!(message.contains("« inconnu »"), "{message}");
        let View::BadLink(message) = ready("#/?q=%E9%ZZ").view() else {
            panic!("expected a bad link")
        };
        assert!(message.contains("encodage"), "{message}");
        assert_eq!(ready("#/?q=%E9%ZZ").search_text(), "");
    }

    #[test]
    fn navigation_replaces_the_route() {
        let state = ready("#/").reduce(Action::Navigated("#/?q=popcorn".into()));
        assert_eq!(state.view(), View::Results { query: "popcorn" });
    }

    #[test]
    fn the_first_keystroke_pushes_and_the_next_ones_replace() {
        let home = Ok(Route::Home);
        let (route, entry) = after_typing(&home, "h");
        assert_eq!(
            (route.to_hash(), entry),
            ("#/?q=h".to_string(), HistoryEntry::Push)
        );
        let (route, entry) = after_typing(&Ok(route), "ha");
        assert_eq!(
            (route.to_hash(), entry),
            ("#/?q=ha".to_string(), HistoryEntry::Replace)
        );
        let (route, entry) = after_typing(&Ok(route), "");
        assert_eq!((route, entry), (Route::Home, HistoryEntry::Replace));
    }

    #[test]
    fn counts_are_announced_in_french() {
        assert_eq!(count_announcement(3, false), "3 articles trouvés.");
        assert_eq!(count_announcement(1, false), "1 article trouvé.");
        assert!(count_announcement(2, true).contains("une partie"));
        assert!(count_announcement(0, false).starts_with("Aucun"));
    }
}
