//! What the page shows, decided in plain Rust so it is tested natively.
//!
//! The address is the single source of truth for navigation: the page state
//! holds the route read from it, the articles the page knows (those its
//! prerendered HTML came with, then the engine's list, and the texts it was
//! sent), and how far the search engine got; [`PageState::view`] derives the screen from them. The
//! Yew shell only feeds actions in and renders the [`View`] out.
//!
//! Content comes first: an article or the list shows from the page's own data
//! while the engine loads, and only what needs the engine (results, the
//! query's marks) waits for it.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use crate::anchor::{Anchor, ArticleText, Position};
use crate::article::{Article, Block};
use crate::found::{Filters, MAX_LIMIT, RESULTS_PAGE};
use crate::prerendered::{self, ArticleLink, Card, Prerendered};
use crate::protocol::Listing;
use crate::route::{Route, RouteError, SharedPassages};

/// The excerpts the cards came with, taken out of them: the page keeps them apart, since an
/// archive's list comes without and receives them later.
fn take_excerpts(cards: &mut [Card]) -> Rc<[String]> {
    cards
        .iter_mut()
        .map(|card| std::mem::take(&mut card.excerpt))
        .collect()
}

/// The search engine, which runs apart (a Web Worker), as far as the page knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    Loading,
    Ready,
    Failed(String),
}

#[derive(Clone)]
pub struct PageState {
    pub engine: Engine,
    pub route: Result<Route, RouteError>,
    /// The articles the page can show.
    known: Known,
    /// Whether the keyboard help (the `?` panel) is open.
    pub help_open: bool,
    /// The article the reader just left for the results or the list it came
    /// from: that view puts the focus back on its link.
    pub return_to: Option<String>,
    /// How much of the current list (the articles, or a search's results) shows.
    shown: Shown,
}

/// How much of a list shows: its first page, and a page more each time the reader asks.
/// The count outlives a visit to an article, so that Back returns to the result the reader
/// came from; another list starts again at its first page.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    /// The list, as its route says it (the home list, or a query with its filters).
    list: Option<Route>,
    count: usize,
}

/// How many articles the list shows at first, and adds each time the reader asks for more.
pub const CARDS_PAGE: usize = 30;

impl Shown {
    fn of(route: &Result<Route, RouteError>) -> Shown {
        Shown {
            list: None,
            count: 0,
        }
        .following(route)
    }

    /// The count once the page is at `route`: kept for the same list or an article, a first
    /// page for another list.
    fn following(self, route: &Result<Route, RouteError>) -> Shown {
        match route {
            Ok(list @ (Route::Home | Route::Search { .. })) if self.list.as_ref() != Some(list) => {
                Shown {
                    count: page_size(list),
                    list: Some(list.clone()),
                }
            }
            _ => self,
        }
    }

    fn more(self) -> Shown {
        let Some(list) = &self.list else {
            return self;
        };
        let count = self.count + page_size(list);
        Shown {
            count: match list {
                Route::Search { .. } => count.min(MAX_LIMIT),
                _ => count,
            },
            ..self
        }
    }
}

/// The page of a list: results are heavier than cards (passages, reasons), and fewer fill
/// the screen.
fn page_size(list: &Route) -> usize {
    match list {
        Route::Search { .. } => RESULTS_PAGE,
        _ => CARDS_PAGE,
    }
}

/// What the page knows of the articles: what its HTML came with, then what the engine sent.
#[derive(Clone, Default)]
struct Known {
    /// The articles' cards, in the folder's order: the first of them from the home page's
    /// data, every one once the engine listed them. Their excerpts are in `excerpts`.
    cards: Option<Rc<[Card]>>,
    /// The excerpts of the first cards, in order: every card's once the engine listed them
    /// with theirs; an archive's list comes without, and grows by those the page asks for
    /// ([`PageState::wanted_excerpts`]) as it shows more cards.
    excerpts: Rc<[String]>,
    /// Some excerpts the page asked for could not be had (offline, their files never
    /// downloaded): their cards show without, and the list says so.
    excerpts_missing: bool,
    /// How many articles there are, as far as the page knows.
    total: usize,
    /// The engine listed every card (`cards` is the whole list, not the home page's first).
    listed: bool,
    /// Articles whose text is known.
    articles: HashMap<String, Arc<Article>>,
    /// The other articles an article's page links to, when the cards are not known.
    others: HashMap<String, Rc<[ArticleLink]>>,
}

impl Known {
    fn of(page: Option<&Prerendered>) -> Known {
        let mut known = Known::default();
        match page {
            None => {}
            Some(Prerendered::Home { cards, total }) => {
                let mut cards = cards.clone();
                known.excerpts = take_excerpts(&mut cards);
                known.listed = cards.len() >= *total;
                known.cards = Some(cards.into());
                known.total = *total;
            }
            Some(Prerendered::Article { article, others }) => {
                known
                    .others
                    .insert(article.slug.clone(), others.clone().into());
                known.articles.insert(article.slug.clone(), article.clone());
            }
        }
        known
    }

    /// What the page knows once the engine listed the articles: its list, and the excerpts
    /// that came with it or, for an archive's, those the page already had of the same cards.
    fn listed(self, listing: Listing) -> Known {
        let Listing {
            mut cards,
            excerpts_apart,
            without_cards,
        } = listing;
        if without_cards {
            return self;
        }
        let excerpts = if excerpts_apart {
            let had = self.cards.as_deref().unwrap_or_default();
            had.iter()
                .zip(self.excerpts.iter())
                .zip(&cards)
                .take_while(|((had, _), card)| had.slug == card.slug)
                .map(|((_, excerpt), _)| excerpt.clone())
                .collect()
        } else {
            take_excerpts(&mut cards)
        };
        Known {
            total: cards.len(),
            cards: Some(cards.into()),
            excerpts,
            listed: true,
            ..self
        }
    }

    /// The list's excerpts ran out: the cards from where they end to `to` show without, and
    /// the list says why.
    fn without_excerpts(self, to: usize) -> Known {
        let have = self.excerpts.len();
        let blank = std::iter::repeat_n(String::new(), to.saturating_sub(have));
        Known {
            excerpts: self.excerpts.iter().cloned().chain(blank).collect(),
            excerpts_missing: true,
            ..self
        }
    }

    /// Whether an article of that slug exists, as far as the page knows.
    fn has(&self, slug: &str) -> bool {
        self.articles.contains_key(slug)
            || self
                .cards
                .as_ref()
                .is_some_and(|cards| cards.iter().any(|card| card.slug == slug))
    }

    /// The articles the page of `slug` links to, chosen as its prerendered page chose them.
    fn others(&self, slug: &str) -> Rc<[ArticleLink]> {
        if let Some(others) = self.others.get(slug) {
            return others.clone();
        }
        let Some(cards) = &self.cards else {
            return Rc::from([]);
        };
        let position = cards
            .iter()
            .position(|card| card.slug == slug)
            .unwrap_or(cards.len());
        prerendered::neighbours(cards.len(), position)
            .map(|at| ArticleLink::of(&cards[at]))
            .collect()
    }
}

/// What can happen to the page.
pub enum Action {
    /// The engine opened the index and sent the list of its articles, or could not (with
    /// the reason).
    Loaded(Result<Listing, String>),
    /// The engine sent the excerpts of the cards from `from` on, which the page asked for
    /// ([`PageState::wanted_excerpts`]).
    ExcerptsArrived { from: usize, excerpts: Vec<String> },
    /// The engine could not give the excerpts asked for, from `from` to `to` (offline, their
    /// files never downloaded): those cards show without, and the list says so.
    ExcerptsMissing { from: usize, to: usize },
    /// The engine sent an article's text, which the page asked for.
    ArticleArrived(Arc<Article>),
    /// The engine stopped and will not answer again (the reason, in French).
    Stopped(String),
    /// The address the page was opened at, read once the program took the page over (the
    /// prerendered page may have shown less: no query, no shared passage).
    Opened(Result<Route, RouteError>),
    /// The address changed: a link, back/forward, or the reader typing.
    Navigated(Result<Route, RouteError>),
    /// `?` or the help button: opens the keyboard help, or closes it.
    ToggleHelp,
    /// Escape or the help's close button.
    CloseHelp,
    /// "Plus de résultats", "Plus d'articles": the next page of the list.
    ShowMore,
}

/// One screen of the page.
#[derive(Debug, PartialEq)]
pub enum View<'a> {
    /// Nothing to show until the engine arrives.
    Loading,
    /// The engine could not be loaded, and the page has nothing of its own to show.
    LoadFailed(String),
    Home {
        /// The cards known, in order (the first `shown` show).
        cards: Rc<[Card]>,
        /// The excerpts of the first cards: a card shows once its excerpt is known.
        excerpts: Rc<[String]>,
        /// Some excerpts could not be had: the list says so.
        excerpts_missing: bool,
        /// How many articles there are; the list asks for more up to there.
        total: usize,
        shown: usize,
    },
    Results {
        query: &'a str,
        filters: &'a Filters,
        /// How many results to show (and ask the engine for).
        shown: usize,
    },
    Article {
        article: Arc<Article>,
        others: Rc<[ArticleLink]>,
        query: Option<&'a str>,
        /// The filters of the search the reader came from, for the way back to its results.
        filters: &'a Filters,
        passage: Option<usize>,
        shared: &'a SharedPassages,
    },
    /// A link that leads nowhere; the message says why.
    BadLink(String),
}

impl View<'_> {
    /// The document's title for this screen.
    pub fn title(&self) -> String {
        match self {
            View::Loading => prerendered::SITE_NAME.to_string(),
            View::LoadFailed(_) => prerendered::titled("Chargement impossible"),
            View::Home { .. } => prerendered::home_title(),
            View::Results { query, .. } => prerendered::titled(&format!("« {query} »")),
            View::Article { article, .. } => prerendered::article_title(&article.title),
            View::BadLink(_) => prerendered::titled("Lien introuvable"),
        }
    }
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
    /// The page at `route`, knowing what its prerendered HTML came with, if anything.
    pub fn new(route: Result<Route, RouteError>, page: Option<&Prerendered>) -> Self {
        PageState {
            engine: Engine::Loading,
            known: Known::of(page),
            help_open: false,
            return_to: None,
            shown: Shown::of(&route),
            route,
        }
    }

    pub fn reduce(self, action: Action) -> Self {
        match action {
            Action::Loaded(Ok(listing)) => PageState {
                known: self.known.listed(listing),
                engine: Engine::Ready,
                ..self
            },
            Action::ExcerptsArrived { from, excerpts } => {
                let mut known = self.known;
                // An answer to an older ask, whose excerpts came meanwhile, is dropped.
                if from == known.excerpts.len() {
                    known.excerpts = known.excerpts.iter().cloned().chain(excerpts).collect();
                }
                PageState { known, ..self }
            }
            Action::ExcerptsMissing { from, to } => {
                let known = if from == self.known.excerpts.len() {
                    self.known.without_excerpts(to)
                } else {
                    self.known
                };
                PageState { known, ..self }
            }
            Action::Loaded(Err(reason)) | Action::Stopped(reason) => PageState {
                engine: Engine::Failed(reason),
                ..self
            },
            Action::ArticleArrived(article) => {
                let mut known = self.known;
                known.articles.insert(article.slug.clone(), article);
                PageState { known, ..self }
            }
            Action::Opened(route) => PageState {
                shown: self.shown.following(&route),
                route,
                ..self
            },
            Action::Navigated(route) => {
                let return_to = match (&self.route, &route) {
                    (Ok(Route::Article { slug, .. }), Ok(Route::Search { .. } | Route::Home)) => {
                        Some(slug.clone())
                    }
                    _ => None,
                };
                PageState {
                    shown: self.shown.following(&route),
                    route,
                    return_to,
                    ..self
                }
            }
            Action::ShowMore => PageState {
                shown: self.shown.more(),
                ..self
            },
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

    /// Whether the engine answers questions.
    pub fn engine_ready(&self) -> bool {
        self.engine == Engine::Ready
    }

    /// The article the route shows whose text the page must ask the engine for.
    pub fn wanted_article(&self) -> Option<&str> {
        match &self.route {
            Ok(Route::Article { slug, .. })
                if self.engine_ready()
                    && !self.known.articles.contains_key(slug)
                    && self.known.has(slug) =>
            {
                Some(slug)
            }
            _ => None,
        }
    }

    /// Whether the page must ask the engine for the list of the articles, which the opening
    /// leaves out ([`Listing::without_cards`]): the list shows more cards than the page has,
    /// or the route is an article it has no text of (whose existence and neighbours the list
    /// tells).
    pub fn wanted_list(&self) -> bool {
        let needs_list = match &self.route {
            Ok(Route::Home) => self
                .known
                .cards
                .as_ref()
                .is_none_or(|cards| self.shown.count > cards.len()),
            Ok(Route::Article { slug, .. }) => !self.known.articles.contains_key(slug),
            _ => false,
        };
        self.engine_ready() && !self.known.listed && needs_list
    }

    /// The cards the list shows whose excerpts the page must ask the engine for: an
    /// archive's list comes without them.
    pub fn wanted_excerpts(&self) -> Option<std::ops::Range<usize>> {
        let (Ok(Route::Home), Some(cards)) = (&self.route, &self.known.cards) else {
            return None;
        };
        let have = self.known.excerpts.len();
        let want = self.shown.count.min(cards.len());
        (self.engine_ready() && have < want).then_some(have..want)
    }

    /// The text the search box shows for the current route.
    pub fn search_text(&self) -> &str {
        self.route
            .as_ref()
            .ok()
            .and_then(Route::query)
            .unwrap_or_default()
    }

    /// Whether the page can show `route` itself, without loading that page: it knows
    /// what it shows, or will once the engine answers (results, an article it lists).
    pub fn can_show(&self, route: &Route) -> bool {
        match route {
            Route::Home => self.known.cards.is_some() || self.engine_ready(),
            Route::Search { .. } => true,
            Route::Article { slug, .. } => {
                self.known.articles.contains_key(slug)
                    || (self.engine_ready() && (self.known.has(slug) || !self.known.listed))
            }
        }
    }

    /// Why searching is impossible, when the engine failed to load.
    pub fn search_unavailable(&self) -> Option<String> {
        match &self.engine {
            Engine::Failed(reason) => Some(format!(
                "La recherche est indisponible : {reason}. Les articles restent lisibles ; \
                 rechargez la page pour réessayer. Si le problème persiste, l’index publié est à reconstruire."
            )),
            _ => None,
        }
    }

    pub fn view(&self) -> View<'_> {
        let waiting = || match &self.engine {
            Engine::Failed(reason) => View::LoadFailed(format!(
                "Les articles n’ont pas pu être chargés : {reason}. Rechargez la page ; si le problème persiste, l’index publié est à reconstruire."
            )),
            _ => View::Loading,
        };
        match &self.route {
            Err(error) => View::BadLink(format!("Ce lien ne mène nulle part : {error}.")),
            Ok(Route::Home) => match &self.known.cards {
                Some(cards) => View::Home {
                    cards: cards.clone(),
                    excerpts: self.known.excerpts.clone(),
                    excerpts_missing: self.known.excerpts_missing,
                    total: self.known.total.max(cards.len()),
                    shown: self.shown.count,
                },
                None => waiting(),
            },
            Ok(Route::Search { query, filters }) => View::Results {
                query,
                filters,
                shown: self.shown.count,
            },
            Ok(Route::Article {
                slug,
                query,
                filters,
                passage,
                shared,
            }) => match self.known.articles.get(slug) {
                Some(article) => View::Article {
                    article: article.clone(),
                    others: self.known.others(slug),
                    query: query.as_deref(),
                    filters,
                    passage: *passage,
                    shared,
                },
                None if self.engine_ready() && (self.known.has(slug) || !self.known.listed) => {
                    View::Loading
                }
                None if self.engine_ready() => View::BadLink(format!(
                    "Aucun article ne porte le nom « {slug} » : il a peut-être été renommé ou retiré."
                )),
                None => waiting(),
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
        let shortcut = Shortcut::ALL
            .into_iter()
            .find(|shortcut| shortcut.key() == key)?;
        // Only Escape acts from the search box: the other keys are text there.
        (!typing || shortcut == Shortcut::CloseHelp).then_some(shortcut)
    }

    /// Every shortcut.
    pub const ALL: [Shortcut; 8] = [
        Shortcut::FocusSearch,
        Shortcut::ToggleHelp,
        Shortcut::CloseHelp,
        Shortcut::NextMatch,
        Shortcut::PreviousMatch,
        Shortcut::NextBlock,
        Shortcut::PreviousBlock,
        Shortcut::ShareBlock,
    ];

    /// The key that asks for it, as `KeyboardEvent.key` names it.
    pub fn key(self) -> &'static str {
        match self {
            Shortcut::FocusSearch => "/",
            Shortcut::ToggleHelp => "?",
            Shortcut::CloseHelp => "Escape",
            Shortcut::NextMatch => "n",
            Shortcut::PreviousMatch => "N",
            Shortcut::NextBlock => "j",
            Shortcut::PreviousBlock => "k",
            Shortcut::ShareBlock => "p",
        }
    }

    /// The key as the help writes it, in French.
    pub fn label(self) -> &'static str {
        match self {
            Shortcut::CloseHelp => "Échap",
            other => other.key(),
        }
    }
}

/// Which of the query's marks in an article is current, out of how many: n / N and the
/// buttons step through them, going round at the ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stepper {
    pub current: usize,
    pub count: usize,
    /// Whether the reader moved it (then the page scrolls and focuses there).
    pub stepped: bool,
}

pub enum Step {
    /// Another article or query: starts over at mark `current` of `count`.
    Reset { current: usize, count: usize },
    /// Moves by `delta` marks, going round at the ends.
    By(isize),
}

impl Stepper {
    pub fn step(self, step: Step) -> Stepper {
        match step {
            Step::Reset { current, count } => Stepper {
                current,
                count,
                stepped: false,
            },
            Step::By(_) if self.count == 0 => self,
            Step::By(delta) => Stepper {
                current: (self.current as isize + delta).rem_euclid(self.count as isize) as usize,
                count: self.count,
                stepped: true,
            },
        }
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
    // Refining a query keeps the filters the reader chose for it.
    let filters = match current {
        Ok(Route::Search { filters, .. }) => filters.clone(),
        _ => Filters::default(),
    };
    let route = Route::Search {
        query: text.to_string(),
        filters,
    };
    (route, entry)
}

/// How much of a passage a message quotes.
const QUOTE_CHARS: usize = 120;

/// What the reading view marks of a link's shared passages, block by block, and
/// what it tells the reader about them (a damaged link, a passage not found, or
/// found only approximately).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SharedMarking {
    pub per_block: Vec<Vec<std::ops::Range<usize>>>,
    pub notices: Vec<String>,
}

impl SharedMarking {
    /// The marks of block `index` (byte ranges of its text).
    pub fn block(&self, index: usize) -> &[std::ops::Range<usize>] {
        self.per_block.get(index).map_or(&[], Vec::as_slice)
    }
}

/// Finds a link's shared passages in `article` (see [`crate::anchor`]).
pub fn mark_shared(article: &Article, shared: &SharedPassages) -> SharedMarking {
    match shared {
        SharedPassages::None => SharedMarking::default(),
        SharedPassages::Damaged(reason) => SharedMarking {
            per_block: Vec::new(),
            notices: vec![format!(
                "Ce lien de partage est abîmé : {reason}. Voici l’article, sans passage marqué."
            )],
        },
        SharedPassages::Passages(anchors) => {
            let marking = ArticleText::new(article.blocks.iter().map(Block::text)).mark(anchors);
            let missing = marking.missing.iter().map(|anchor| {
                format!(
                    "Le passage partagé « {} » est introuvable dans cette version de l’article.",
                    anchor.quote(QUOTE_CHARS)
                )
            });
            let approximate = marking.approximate.iter().map(|anchor| {
                format!(
                    "L’article a changé depuis le partage : le passage « {} » est marqué là où le texte lui ressemble le plus.",
                    anchor.quote(QUOTE_CHARS)
                )
            });
            SharedMarking {
                notices: missing.chain(approximate).collect(),
                per_block: marking.per_block,
            }
        }
    }
}

/// The link that shares `anchor` of `article` (relative to the site's root), with the text
/// fragment directive that lets a browser show the passage before the program runs.
pub fn share_address(article: &Article, anchor: Anchor) -> String {
    let text = ArticleText::new(article.blocks.iter().map(Block::text));
    let directive = text
        .locate(&anchor)
        .and_then(|found| text.text_directive(found.range));
    let route = Route::article(&article.slug).with_shared(vec![anchor]);
    match directive {
        Some(directive) => format!("{}#:~:text={directive}", route.site_address()),
        None => route.site_address(),
    }
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

    fn article() -> Article {
        Article {
            slug: "hadopi".into(),
            title: "La Hadopi veille".into(),
            title_origin: None,
            source: None,
            date: None,
            language: "fr".into(),
            original: None,
            blocks: vec![
                Block::Paragraph("Popcorn Time n’est pas légal.".into()),
                Block::Paragraph("La Hadopi le sait bien, dit-on.".into()),
            ],
        }
    }

    /// The list the engine sends once its index is open.
    fn listed() -> Listing {
        Listing {
            cards: vec![Card::of(&article())],
            excerpts_apart: false,
            without_cards: false,
        }
    }

    /// A page whose engine is open and has sent every article's text it was asked for.
    fn with_texts(state: PageState) -> PageState {
        match state.wanted_article() {
            Some(_) => state.reduce(Action::ArticleArrived(Arc::new(article()))),
            None => state,
        }
    }

    /// The route of an address relative to the site's root (`a/SLUG/?q=…`, `?q=…`, ``).
    fn at(address: &str) -> Result<Route, RouteError> {
        let (path, search) = address.split_once('?').unwrap_or((address, ""));
        Route::from_site(path, search)
    }

    fn ready(address: &str) -> PageState {
        with_texts(PageState::new(at(address), None).reduce(Action::Loaded(Ok(listed()))))
    }

    fn article_page() -> Prerendered {
        let article = Arc::new(article());
        Prerendered::article(std::slice::from_ref(&article), 0)
    }

    #[test]
    fn without_a_prerendered_page_nothing_shows_until_the_library_arrives() {
        let state = PageState::new(at("a/hadopi/"), None);
        assert_eq!(state.view(), View::Loading);
        let failed = state.reduce(Action::Loaded(Err("réponse 404".into())));
        let View::LoadFailed(message) = failed.view() else {
            panic!("expected a load failure")
        };
        assert!(message.contains("réponse 404"), "{message}");
    }

    #[test]
    fn a_prerendered_page_shows_at_once_and_stays_readable_if_the_engine_fails() {
        let page = article_page();
        let state = PageState::new(Ok(page.route()), Some(&page));
        let View::Article {
            article: shown,
            others,
            ..
        } = state.view()
        else {
            panic!("expected the article")
        };
        assert_eq!(shown.slug, "hadopi");
        assert!(others.is_empty());
        assert_eq!(state.search_unavailable(), None);
        // The reader types before the engine is there: the results wait for it.
        let typed = state.reduce(Action::Navigated(Ok(Route::search("hadopi"))));
        assert!(matches!(
            typed.view(),
            View::Results {
                query: "hadopi",
                ..
            }
        ));
        // Back to the article; then the engine fails: the article still reads, search says why.
        let back = typed
            .reduce(Action::Navigated(Ok(page.route())))
            .reduce(Action::Loaded(Err("l’index est tronqué".into())));
        assert!(matches!(back.view(), View::Article { .. }));
        assert!(
            back.search_unavailable()
                .unwrap()
                .contains("l’index est tronqué")
        );
        // The list was not part of that page: it waits for the engine, which failed.
        let home = back.reduce(Action::Navigated(Ok(Route::Home)));
        assert!(matches!(home.view(), View::LoadFailed(_)));

        let articles = [Arc::new(article())];
        let list = Prerendered::home(&articles);
        let state = PageState::new(Ok(Route::Home), Some(&list));
        let View::Home { cards, .. } = state.view() else {
            panic!("expected the list")
        };
        assert_eq!(cards[0].title, "La Hadopi veille");
        assert_eq!(state.view().title(), "Lecteur — articles");
        // An article the list links to is left to the browser until the engine is there.
        assert!(state.can_show(&Route::Home));
        assert!(!state.can_show(&Route::article("hadopi")));
        let state = state.reduce(Action::Navigated(at("a/hadopi/")));
        assert_eq!(state.view(), View::Loading);
        let state = state.reduce(Action::Loaded(Ok(listed())));
        // The engine lists the article; its text is asked for, and shows once it comes.
        assert_eq!(state.wanted_article(), Some("hadopi"));
        assert_eq!(state.view(), View::Loading);
        let state = state.reduce(Action::ArticleArrived(Arc::new(article())));
        assert_eq!(state.wanted_article(), None);
        assert_eq!(state.view().title(), "La Hadopi veille — Lecteur");
        assert!(state.can_show(&Route::article("hadopi")));
        // Reading the address the page was opened at is not leaving it.
        let opened = state
            .reduce(Action::Navigated(at("a/hadopi/")))
            .reduce(Action::Opened(at("?q=hadopi")));
        assert_eq!(opened.return_to, None);
    }

    /// `count` articles, as the engine lists them.
    fn many(count: usize) -> Vec<Arc<Article>> {
        (0..count)
            .map(|n| {
                Arc::new(Article {
                    slug: format!("article-{n}"),
                    ..article()
                })
            })
            .collect()
    }

    #[test]
    fn an_archive_home_page_carries_one_page_and_the_list_grows_on_demand() {
        let articles = many(70);
        let page = Prerendered::home(&articles);
        let state = PageState::new(Ok(Route::Home), Some(&page));
        let View::Home {
            cards,
            total,
            shown,
            ..
        } = state.view()
        else {
            panic!("expected the list")
        };
        assert_eq!((cards.len(), total, shown), (CARDS_PAGE, 70, CARDS_PAGE));
        // Asked for more before the engine listed the rest: the count waits for the cards.
        let state = state.reduce(Action::ShowMore);
        let View::Home { cards, shown, .. } = state.view() else {
            panic!("expected the list")
        };
        assert_eq!((cards.len(), shown), (CARDS_PAGE, 2 * CARDS_PAGE));
        let state = state.reduce(Action::Loaded(Ok(Listing {
            cards: articles.iter().map(|article| Card::of(article)).collect(),
            excerpts_apart: false,
            without_cards: false,
        })));
        let View::Home {
            cards,
            excerpts,
            shown,
            ..
        } = state.view()
        else {
            panic!("expected the list")
        };
        assert_eq!(
            (cards.len(), excerpts.len(), shown),
            (70, 70, 2 * CARDS_PAGE)
        );
        assert_eq!(
            state.wanted_excerpts(),
            None,
            "the list came with its excerpts"
        );
    }

    #[test]
    fn a_page_opened_without_the_list_asks_for_it_to_show_more_of_it_or_an_article() {
        let articles = many(70);
        let page = Prerendered::home(&articles);
        let unlisted = Listing {
            cards: Vec::new(),
            excerpts_apart: true,
            without_cards: true,
        };
        let state =
            PageState::new(at("?q=hadopi"), Some(&page)).reduce(Action::Loaded(Ok(unlisted)));
        assert!(state.engine_ready());
        assert!(!state.wanted_list(), "results need no list");
        // A result's article, past the home page's first cards: shown here, once listed.
        let slug = articles[50].slug.clone();
        let article = Route::article(slug.as_str());
        assert!(state.can_show(&article));
        let state = state.reduce(Action::Navigated(Ok(article)));
        assert!(matches!(state.view(), View::Loading));
        assert!(state.wanted_list());
        assert_eq!(
            state.wanted_article(),
            None,
            "not before the list says it exists"
        );
        let listing = Listing {
            cards: articles.iter().map(|article| Card::of(article)).collect(),
            excerpts_apart: false,
            without_cards: false,
        };
        let state = state.reduce(Action::Loaded(Ok(listing)));
        assert!(!state.wanted_list());
        assert_eq!(state.wanted_article(), Some(slug.as_str()));
        // Once listed, a slug no article has is a bad link, not a page that loads forever.
        let state = state.reduce(Action::Navigated(Ok(Route::article("nulle-part"))));
        assert!(matches!(state.view(), View::BadLink(_)));
        // The list: the home page's own cards, then every card once the reader asks for more.
        let home = PageState::new(at("?q=hadopi"), Some(&page))
            .reduce(Action::Loaded(Ok(Listing {
                cards: Vec::new(),
                excerpts_apart: false,
                without_cards: true,
            })))
            .reduce(Action::Navigated(Ok(Route::Home)));
        assert!(!home.wanted_list(), "its first page is the HTML's");
        let View::Home { cards, total, .. } = home.view() else {
            panic!("expected the list")
        };
        assert_eq!((cards.len(), total), (CARDS_PAGE, 70));
        assert!(home.reduce(Action::ShowMore).wanted_list());
        // A page whose HTML brought no list (an article's) shows it once asked for.
        let from_article = PageState::new(
            Ok(Route::article("article-0")),
            Some(&Prerendered::article(&articles, 0)),
        )
        .reduce(Action::Loaded(Ok(Listing {
            cards: Vec::new(),
            excerpts_apart: false,
            without_cards: true,
        })));
        assert!(!from_article.wanted_list(), "the article is the HTML's");
        assert!(from_article.can_show(&Route::Home));
        let home = from_article.reduce(Action::Navigated(Ok(Route::Home)));
        assert!(matches!(home.view(), View::Loading));
        assert!(home.wanted_list());
    }

    #[test]
    fn an_archives_list_shows_its_cards_as_their_excerpts_arrive() {
        let articles = many(70);
        let page = Prerendered::home(&articles);
        let excerpt = Card::of(&articles[0]).excerpt;
        let state = PageState::new(Ok(Route::Home), Some(&page))
            .reduce(Action::ShowMore)
            .reduce(Action::Loaded(Ok(Listing {
                cards: articles
                    .iter()
                    .map(|article| Card {
                        excerpt: String::new(),
                        ..Card::of(article)
                    })
                    .collect(),
                excerpts_apart: true,
                without_cards: false,
            })));
        // The prerendered page's excerpts are kept; the next page's are asked for.
        let View::Home { excerpts, .. } = state.view() else {
            panic!("expected the list")
        };
        assert_eq!((excerpts.len(), &excerpts[0]), (CARDS_PAGE, &excerpt));
        assert_eq!(state.wanted_excerpts(), Some(CARDS_PAGE..2 * CARDS_PAGE));
        // A stale answer (not where the excerpts end) is dropped; the right one is taken.
        let stale = state.clone().reduce(Action::ExcerptsArrived {
            from: 0,
            excerpts: vec!["ancien".into(); CARDS_PAGE],
        });
        assert_eq!(stale.wanted_excerpts(), Some(CARDS_PAGE..2 * CARDS_PAGE));
        let state = state.reduce(Action::ExcerptsArrived {
            from: CARDS_PAGE,
            excerpts: vec!["suite".into(); CARDS_PAGE],
        });
        assert_eq!(state.wanted_excerpts(), None);
        let View::Home { excerpts, .. } = state.view() else {
            panic!("expected the list")
        };
        assert_eq!(
            (excerpts.len(), &excerpts[CARDS_PAGE]),
            (2 * CARDS_PAGE, &"suite".to_string())
        );
        // The last page asks only for the cards there are.
        let state = state.reduce(Action::ShowMore);
        assert_eq!(state.wanted_excerpts(), Some(2 * CARDS_PAGE..70));
        // Without them (offline), the cards show without, asked no more, and the list says so.
        let View::Home {
            excerpts_missing, ..
        } = state.view()
        else {
            panic!("expected the list")
        };
        assert!(!excerpts_missing);
        let offline = state.clone().reduce(Action::ExcerptsMissing {
            from: 2 * CARDS_PAGE,
            to: 70,
        });
        assert_eq!(offline.wanted_excerpts(), None);
        let View::Home {
            excerpts,
            excerpts_missing,
            ..
        } = offline.view()
        else {
            panic!("expected the list")
        };
        assert!(excerpts_missing);
        assert_eq!((excerpts.len(), excerpts[69].as_str()), (70, ""));
        // Away from the list, nothing is asked.
        let away = state.reduce(Action::Navigated(Ok(Route::article("article-3"))));
        assert_eq!(away.wanted_excerpts(), None);
    }

    #[test]
    fn results_grow_page_by_page_and_keep_their_length_for_the_return() {
        let shown = |state: &PageState| match state.view() {
            View::Results { shown, .. } => shown,
            other => panic!("expected results, got {other:?}"),
        };
        let state = ready("?q=hadopi");
        assert_eq!(shown(&state), RESULTS_PAGE);
        let state = state.reduce(Action::ShowMore).reduce(Action::ShowMore);
        assert_eq!(shown(&state), 3 * RESULTS_PAGE);
        // To an article and back: the reader returns to the same length of list.
        let back = state
            .reduce(Action::Navigated(at("a/hadopi/?q=hadopi")))
            .reduce(Action::Navigated(at("?q=hadopi")));
        assert_eq!(shown(&back), 3 * RESULTS_PAGE);
        assert_eq!(back.return_to.as_deref(), Some("hadopi"));
        // Another query, or the same under another filter, starts at its first page.
        let (typed, _) = after_typing(&back.route, "hadopi loi");
        let typed = back.clone().reduce(Action::Navigated(Ok(typed)));
        assert_eq!(shown(&typed), RESULTS_PAGE);
        let filtered = back.reduce(Action::Navigated(at("?q=hadopi&annee=2014")));
        assert_eq!(shown(&filtered), RESULTS_PAGE);
        // The engine answers at most MAX_LIMIT hits; asking for more stops there.
        let far = (0..MAX_LIMIT).fold(filtered, |state, _| state.reduce(Action::ShowMore));
        assert_eq!(shown(&far), MAX_LIMIT);
    }

    #[test]
    fn typing_keeps_the_filters_of_the_search_it_refines() {
        let (route, entry) = after_typing(&at("?q=hadopi&source=Numerama&tri=date"), "hadopi loi");
        assert_eq!(entry, HistoryEntry::Replace);
        assert_eq!(
            route.site_address(),
            "./?q=hadopi%20loi&source=Numerama&tri=date"
        );
        let (route, _) = after_typing(&at(""), "hadopi");
        assert_eq!(route, Route::search("hadopi"));
    }

    #[test]
    fn the_engine_lists_the_articles_sends_their_texts_and_may_stop() {
        let state = PageState::new(at("a/inconnu/"), None).reduce(Action::Loaded(Ok(listed())));
        assert_eq!(
            state.wanted_article(),
            None,
            "not asked: the engine does not list it"
        );
        assert!(matches!(state.view(), View::BadLink(_)));
        let state = state.reduce(Action::Navigated(at("a/hadopi/")));
        assert!(
            state.can_show(&Route::article("hadopi")),
            "the engine will send it"
        );
        assert_eq!(state.wanted_article(), Some("hadopi"));
        // The engine stops: what the page has still reads, and the search says why it cannot.
        let state = state
            .reduce(Action::ArticleArrived(Arc::new(article())))
            .reduce(Action::Stopped("le moteur s’est arrêté deux fois".into()));
        assert!(matches!(state.view(), View::Article { .. }));
        assert!(!state.engine_ready());
        assert!(
            state
                .search_unavailable()
                .unwrap()
                .contains("le moteur s’est arrêté deux fois")
        );
    }

    #[test]
    fn each_route_has_its_screen() {
        assert!(matches!(ready("").view(), View::Home { .. }));
        assert!(matches!(
            ready("?q=hadopi").view(),
            View::Results {
                query: "hadopi",
                ..
            }
        ));
        let state = ready("a/hadopi/?q=popcorn&p=2");
        let View::Article {
            article,
            query,
            passage,
            ..
        } = state.view()
        else {
            panic!("expected the article")
        };
        assert_eq!(
            (article.slug.as_str(), query, passage),
            ("hadopi", Some("popcorn"), Some(1))
        );
        assert_eq!(state.search_text(), "popcorn");
        assert_eq!(ready("?q=hadopi").view().title(), "« hadopi » — Lecteur");
    }

    #[test]
    fn unknown_slugs_and_broken_links_explain_themselves() {
        let View::BadLink(message) = ready("a/inconnu/").view() else {
            panic!("expected a bad link")
        };
        assert!(message.contains("« inconnu »"), "{message}");
        let View::BadLink(message) = ready("?q=%E9%ZZ").view() else {
            panic!("expected a bad link")
        };
        assert!(message.contains("encodage"), "{message}");
        assert_eq!(ready("?q=%E9%ZZ").search_text(), "");
        // A broken link says so at once, engine or not.
        let early = PageState::new(Route::from_site("", "q=%FF"), None);
        assert!(matches!(early.view(), View::BadLink(_)));
    }

    #[test]
    fn navigation_replaces_the_route() {
        let state = ready("").reduce(Action::Navigated(at("?q=popcorn")));
        assert!(matches!(
            state.view(),
            View::Results {
                query: "popcorn",
                ..
            }
        ));
    }

    #[test]
    fn the_first_keystroke_pushes_and_the_next_ones_replace() {
        let home = Ok(Route::Home);
        let (route, entry) = after_typing(&home, "h");
        assert_eq!(
            (route.site_address(), entry),
            ("./?q=h".to_string(), HistoryEntry::Push)
        );
        let (route, entry) = after_typing(&Ok(route), "ha");
        assert_eq!(
            (route.site_address(), entry),
            ("./?q=ha".to_string(), HistoryEntry::Replace)
        );
        let (route, entry) = after_typing(&Ok(route), "");
        assert_eq!((route, entry), (Route::Home, HistoryEntry::Replace));
    }

    #[test]
    fn the_help_opens_and_closes() {
        let state = ready("");
        assert!(!state.help_open);
        let state = state.reduce(Action::ToggleHelp);
        assert!(state.help_open);
        let state = state.reduce(Action::Navigated(at("?q=popcorn")));
        assert!(state.help_open, "navigating keeps it open");
        assert!(!state.clone().reduce(Action::ToggleHelp).help_open);
        let state = state.reduce(Action::CloseHelp);
        assert!(!state.help_open);
        assert!(!state.reduce(Action::CloseHelp).help_open);
    }

    #[test]
    fn leaving_an_article_for_its_results_or_the_list_returns_to_it() {
        let state = ready("?q=popcorn");
        assert_eq!(state.return_to, None);
        let state = state.reduce(Action::Navigated(at("a/hadopi/?q=popcorn&p=1")));
        assert_eq!(state.return_to, None);
        let back = state.clone().reduce(Action::Navigated(at("?q=popcorn")));
        assert_eq!(back.return_to.as_deref(), Some("hadopi"));
        let home = state.clone().reduce(Action::Navigated(at("")));
        assert_eq!(home.return_to.as_deref(), Some("hadopi"));
        // Typing a new search forgets it; so does another article or a bad link.
        let typed = back.reduce(Action::Navigated(at("?q=popcorn%20t")));
        assert_eq!(typed.return_to, None);
        let other = state.clone().reduce(Action::Navigated(at("a/autre/")));
        assert_eq!(other.return_to, None);
        let bad = state.reduce(Action::Navigated(at("?q=%E9%ZZ")));
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
    fn the_marks_are_stepped_through_round_and_round() {
        let start = Stepper::default().step(Step::Reset {
            current: 1,
            count: 3,
        });
        assert_eq!((start.current, start.stepped), (1, false));
        let forward = start.step(Step::By(1)).step(Step::By(1));
        assert_eq!((forward.current, forward.stepped), (0, true));
        assert_eq!(forward.step(Step::By(-1)).current, 2);
        // No marks: nothing moves, and nothing says the reader stepped.
        let none = Stepper::default().step(Step::By(1));
        assert_eq!(none, Stepper::default());
    }

    #[test]
    fn the_help_lists_every_shortcut() {
        let listed: Vec<&str> = KEYBOARD_HELP
            .iter()
            .flat_map(|line| line.keys.iter().copied())
            .collect();
        for shortcut in Shortcut::ALL {
            assert_eq!(
                Shortcut::of_key(shortcut.key(), false, false),
                Some(shortcut)
            );
            assert!(
                listed.contains(&shortcut.label()),
                "{shortcut:?} is in the help"
            );
        }
    }

    #[test]
    fn a_whole_block_is_shared_as_a_passage_that_lands_on_it() {
        let article = &article();
        let anchor = block_anchor(article, 0).unwrap();
        assert_eq!(anchor.exact, "Popcorn Time n’est pas légal.");
        assert_eq!(
            anchor.hint,
            Position {
                block: 0,
                utf16_offset: 0
            }
        );
        let marking = mark_shared(article, &SharedPassages::Passages(vec![anchor.clone()]));
        assert!(marking.notices.is_empty());
        let whole = 0..article.blocks[0].text().len();
        assert_eq!(marking.block(0), std::slice::from_ref(&whole));
        assert!(marking.block(1).is_empty());
        assert!(block_anchor(article, 2).is_none());
        // The link also points browsers at the passage with a text fragment.
        assert_eq!(
            share_address(article, anchor),
            "./a/hadopi/?s=0.0,,Popcorn%20Time%20n%E2%80%99est%20pas%20l%C3%A9gal.,%0ALa%20Hadopi%20le%20sait%20bien%2C%20dit-on.\
             #:~:text=Popcorn%20Time%20n%E2%80%99est%20pas%20l%C3%A9gal."
        );
    }

    #[test]
    fn shared_passages_that_miss_or_are_damaged_are_told_to_the_reader() {
        let article = article();
        let missing = Anchor {
            prefix: String::new(),
            exact: "Une phrase jamais écrite ici".into(),
            suffix: String::new(),
            hint: Position {
                block: 0,
                utf16_offset: 0,
            },
        };
        let marking = mark_shared(&article, &SharedPassages::Passages(vec![missing]));
        assert_eq!(
            marking.notices,
            [
                "Le passage partagé « Une phrase jamais écrite ici » est introuvable dans cette version de l’article."
            ]
        );
        let damaged = mark_shared(
            &article,
            &SharedPassages::Damaged(crate::anchor::AnchorError::TooMany),
        );
        assert!(
            damaged.notices[0].starts_with("Ce lien de partage est abîmé"),
            "{damaged:?}"
        );
        assert_eq!(
            mark_shared(&article, &SharedPassages::None),
            SharedMarking::default()
        );
    }

    #[test]
    fn counts_are_announced_in_french() {
        assert_eq!(count_announcement(3, false), "3 articles trouvés.");
        assert_eq!(count_announcement(1, false), "1 article trouvé.");
        assert!(count_announcement(2, true).contains("une partie"));
        assert!(count_announcement(0, false).starts_with("Aucun"));
    }
}
