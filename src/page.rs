//! What the page shows, decided in plain Rust so it is tested natively.
//!
//! The URL is the single source of truth for navigation: the page state holds
//! the loading state of the library and the last route read from the URL, and
//! [`PageState::view`] derives the screen from both. The Yew shell only feeds
//! actions in and renders the [`View`] out.

use std::rc::Rc;

use crate::anchor::{Anchor, ArticleText, Position};
use crate::article::{Article, Block};
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
    /// Whether the keyboard help (the `?` panel) is open.
    pub help_open: bool,
    /// The article the reader just left for the results or the list it came
    /// from: that view puts the focus back on its link.
    pub return_to: Option<String>,
}

/// What can happen to the page.
pub enum Action {
    /// The bundle was fetched and opened, or could not be (with the reason).
    Loaded(Result<Rc<Library>, String>),
    /// The URL's hash changed: a link, back/forward, or the reader typing.
    Navigated(String),
    /// `?` or the help button: opens the keyboard help, or closes it.
    ToggleHelp,
    /// Escape or the help's close button.
    CloseHelp,
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
            help_open: false,
            return_to: None,
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
            Action::Navigated(hash) => {
                let route = Route::parse(&hash);
                let return_to = match (&self.route, &route) {
                    (Ok(Route::Article { slug, .. }), Ok(Route::Search { .. } | Route::Home)) => {
                        Some(slug.clone())
                    }
                    _ => None,
                };
                PageState {
                    route,
                    return_to,
                    ..self
                }
            }
            Action::ToggleHelp => PageState {
                help_open: !self.help_open,
                ..self
            },
            Action::CloseHelp => PageState {
                help_open: false,
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

/// What a key pressed outside the search box asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    /// `/`: to the search box.
    FocusSearch,
    /// `?`: the keyboard help, opened or closed.
    ToggleHelp,
    /// Escape: closes the help (also from the search box).
    CloseHelp,
    /// `n` / `N`: the next or previous marked word of the article.
    NextMatch,
    PreviousMatch,
    /// `j` / `k`: the focus to the next or previous paragraph of the article.
    NextBlock,
    PreviousBlock,
    /// `p`: shares the paragraph that has the focus (or holds the current mark).
    ShareBlock,
}

impl Shortcut {
    /// The shortcut of a key press (`KeyboardEvent.key`), if any: none while
    /// the reader types in a field (but Escape), none with Ctrl, Alt or Meta,
    /// which belong to the browser.
    pub fn of_key(key: &str, typing: bool, modified: bool) -> Option<Shortcut> {
        if modified {
            return None;
        }
        if key == "Escape" {
            return Some(Shortcut::CloseHelp);
        }
        if typing {
            return None;
        }
        Some(match key {
            "/" => Shortcut::FocusSearch,
            "?" => Shortcut::ToggleHelp,
            "n" => Shortcut::NextMatch,
            "N" => Shortcut::PreviousMatch,
            "j" => Shortcut::NextBlock,
            "k" => Shortcut::PreviousBlock,
            "p" => Shortcut::ShareBlock,
            _ => return None,
        })
    }
}

/// One line of the keyboard help: the keys, and what they do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelpLine {
    pub keys: &'static [&'static str],
    pub what: &'static str,
}

/// Every way the page is used from the keyboard, as the `?` panel lists them.
pub const KEYBOARD_HELP: &[HelpLine] = &[
    HelpLine {
        keys: &["/"],
        what: "Aller à la recherche",
    },
    HelpLine {
        keys: &["↓", "↑"],
        what: "Parcourir les résultats, depuis la recherche",
    },
    HelpLine {
        keys: &["Entrée"],
        what: "Ouvrir le résultat ou le lien qui a le focus",
    },
    HelpLine {
        keys: &["n", "N"],
        what: "Dans un article ouvert depuis une recherche : mot trouvé suivant, précédent",
    },
    HelpLine {
        keys: &["j", "k"],
        what: "Dans un article : paragraphe suivant, précédent",
    },
    HelpLine {
        keys: &["p"],
        what: "Dans un article : partager le paragraphe qui a le focus (le lien est copié)",
    },
    HelpLine {
        keys: &["Tab", "Maj + Tab"],
        what: "Élément suivant, précédent ; le lien « ← Résultats » ramène au résultat ouvert",
    },
    HelpLine {
        keys: &["Alt + ←"],
        what: "Page précédente du navigateur ; le focus revient sur l’article quitté",
    },
    HelpLine {
        keys: &["?"],
        what: "Afficher ou masquer cette aide",
    },
    HelpLine {
        keys: &["Échap"],
        what: "Fermer cette aide",
    },
];

/// The text of block `block` of `article`, whole, as a shared passage: the
/// anchor the keyboard's "share this paragraph" puts in an `s=` link, the same
/// kind a selection of the whole block makes.
pub fn block_anchor(article: &Article, block: usize) -> Option<Anchor> {
    let text = article.blocks.get(block)?.text();
    let article_text = ArticleText::new(article.blocks.iter().map(Block::text));
    let at = |utf16_offset| Position {
        block,
        utf16_offset,
    };
    article_text
        .anchor(at(0), at(text.encode_utf16().count()))
        .ok()
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
    fn the_help_opens_and_closes() {
        let state = ready("#/");
        assert!(!state.help_open);
        let state = state.reduce(Action::ToggleHelp);
        assert!(state.help_open);
        let state = state.reduce(Action::Navigated("#/?q=popcorn".into()));
        assert!(state.help_open, "navigating keeps it open");
        assert!(!state.clone().reduce(Action::ToggleHelp).help_open);
        let state = state.reduce(Action::CloseHelp);
        assert!(!state.help_open);
        assert!(!state.reduce(Action::CloseHelp).help_open);
    }

    #[test]
    fn leaving_an_article_for_its_results_or_the_list_returns_to_it() {
        let state = ready("#/?q=popcorn");
        assert_eq!(state.return_to, None);
        let state = state.reduce(Action::Navigated("#/a/hadopi?q=popcorn&p=1".into()));
        assert_eq!(state.return_to, None);
        let back = state
            .clone()
            .reduce(Action::Navigated("#/?q=popcorn".into()));
        assert_eq!(back.return_to.as_deref(), Some("hadopi"));
        let home = state.clone().reduce(Action::Navigated("#/".into()));
        assert_eq!(home.return_to.as_deref(), Some("hadopi"));
        // Typing a new search forgets it; so does another article or a bad link.
        let typed = back.reduce(Action::Navigated("#/?q=popcorn%20t".into()));
        assert_eq!(typed.return_to, None);
        let other = state.clone().reduce(Action::Navigated("#/a/autre".into()));
        assert_eq!(other.return_to, None);
        let bad = state.reduce(Action::Navigated("#/?q=%E9%ZZ".into()));
        assert_eq!(bad.return_to, None);
    }

    #[test]
    fn shortcuts_wait_while_typing_and_leave_modified_keys_alone() {
        assert_eq!(
            Shortcut::of_key("?", false, false),
            Some(Shortcut::ToggleHelp)
        );
        assert_eq!(Shortcut::of_key("?", true, false), None);
        assert_eq!(Shortcut::of_key("/", true, false), None);
        assert_eq!(Shortcut::of_key("p", false, true), None);
        assert_eq!(
            Shortcut::of_key("Escape", true, false),
            Some(Shortcut::CloseHelp)
        );
        assert_eq!(
            Shortcut::of_key("N", false, false),
            Some(Shortcut::PreviousMatch)
        );
        assert_eq!(Shortcut::of_key("x", false, false), None);
    }

    #[test]
    fn the_help_lists_every_shortcut() {
        let listed: Vec<&str> = KEYBOARD_HELP
            .iter()
            .flat_map(|line| line.keys.iter().copied())
            .collect();
        for key in ["/", "?", "n", "N", "j", "k", "p"] {
            assert!(Shortcut::of_key(key, false, false).is_some(), "{key}");
            assert!(listed.contains(&key), "{key} is in the help");
        }
        assert!(listed.contains(&"Échap"));
    }

    #[test]
    fn a_whole_block_is_shared_as_a_passage_that_lands_on_it() {
        let library = library();
        let article = library.article("hadopi").unwrap();
        let anchor = block_anchor(article, 0).unwrap();
        assert_eq!(anchor.exact, "Popcorn Time n’est pas légal.");
        assert_eq!(
            anchor.hint,
            Position {
                block: 0,
                utf16_offset: 0
            }
        );
        let text = ArticleText::new(article.blocks.iter().map(Block::text));
        let marking = text.mark(std::slice::from_ref(&anchor));
        assert!(marking.missing.is_empty());
        assert_eq!(
            marking.per_block[0],
            vec![0..article.blocks[0].text().len()]
        );
        assert!(block_anchor(article, 1).is_none());
    }

    #[test]
    fn counts_are_announced_in_french() {
        assert_eq!(count_announcement(3, false), "3 articles trouvés.");
        assert_eq!(count_announcement(1, false), "1 article trouvé.");
        assert!(count_announcement(2, true).contains("une partie"));
        assert!(count_announcement(0, false).starts_with("Aucun"));
    }
}
