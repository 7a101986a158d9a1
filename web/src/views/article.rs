//! The reading view: one article, its metadata, its blocks with the query's
//! words marked, and the way back. A link naming a passage (`p=`) scrolls to it;
//! a link carrying shared passages (`s=`, see `lecteur::anchor`) marks them and
//! scrolls to the first. Selecting text offers to share it as such a link.

use std::ops::Range;
use std::rc::Rc;

use lecteur::Route;
use lecteur::anchor::{Anchor, ArticleText, Marking, Position, french_spacing, passages_in};
use lecteur::article::Block;
use lecteur::page::{Shortcut, block_anchor};
use lecteur::route::{passage, with_shared};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use super::{Shared, byline, marked};
use crate::browser::{self, Listener};

/// Words read per minute, for the estimated reading time.
const WORDS_PER_MINUTE: usize = 200;
/// How much of a passage a message quotes.
const QUOTE_CHARS: usize = 120;

/// The query's marks in the body, the ones n / N and the buttons step through
/// (the shared passages' own marks are not among them).
const QUERY_MARKS: &str = "[data-testid=\"article\"] .body mark:not(.shared)";

/// Which of the query's marks is current, out of how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Stepper {
    current: usize,
    count: usize,
    /// Whether the reader moved it (then the page scrolls and focuses there).
    stepped: bool,
}

enum Step {
    /// Another article or query: starts over at mark `current` of `count`.
    Reset { current: usize, count: usize },
    /// Moves by `delta` marks, going round at the ends.
    By(isize),
}

impl Reducible for Stepper {
    type Action = Step;

    fn reduce(self: Rc<Self>, action: Step) -> Rc<Self> {
        Rc::new(match action {
            Step::Reset { current, count } => Stepper {
                current,
                count,
                stepped: false,
            },
            Step::By(_) if self.count == 0 => *self,
            Step::By(delta) => Stepper {
                current: (self.current as isize + delta).rem_euclid(self.count as isize) as usize,
                count: self.count,
                stepped: true,
            },
        })
    }
}

/// The estimated reading time of an article, in French.
fn reading_time(article: &lecteur::Article) -> String {
    let words: usize = article
        .blocks
        .iter()
        .map(|block| block.text().split_whitespace().count())
        .sum();
    let minutes = words.div_ceil(WORDS_PER_MINUTE).max(1);
    format!("{minutes} min de lecture")
}

/// The article's text as anchors see it.
fn article_text(article: &lecteur::Article) -> ArticleText {
    ArticleText::new(article.blocks.iter().map(Block::text))
}

/// Renders a block's text with the shared passages as `<mark
/// data-testid="shared-highlight">` and the query's words as `<mark>` inside
/// and around them; all as text nodes, with French spacing on display (which
/// keeps the DOM offsets those of the stored text, see `lecteur::anchor`).
fn marked_with_shared(text: &str, query: &[Range<usize>], shared: &[Range<usize>]) -> Html {
    let with_query_marks = |span: Range<usize>| -> Html {
        let mut pieces = Vec::new();
        let mut at = span.start;
        for mark in query {
            let start = mark.start.max(at);
            let end = mark.end.min(span.end);
            if start >= end {
                continue;
            }
            if start > at {
                pieces.push(html! { { french_spacing(text, at..start) } });
            }
            pieces.push(html! { <mark>{ french_spacing(text, start..end) }</mark> });
            at = end;
        }
        if at < span.end {
            pieces.push(html! { { french_spacing(text, at..span.end) } });
        }
        pieces.into_iter().collect()
    };
    let mut pieces = Vec::new();
    let mut at = 0;
    for range in shared {
        if range.start > at {
            pieces.push(with_query_marks(at..range.start));
        }
        pieces.push(html! {
            <mark class="shared" data-testid="shared-highlight">
                { with_query_marks(range.clone()) }
            </mark>
        });
        at = range.end;
    }
    pieces.push(with_query_marks(at..text.len()));
    pieces.into_iter().collect()
}

/// Makes the link to `anchor` in article `slug`, copies it, offers the
/// device's share sheet and shows it.
fn share(slug: &str, title: &str, anchor: Anchor, shown: &UseStateHandle<Option<String>>) {
    let route = Route::Article {
        slug: slug.to_string(),
        query: None,
    };
    let link = browser::address_with_hash(&with_shared(&route, &[anchor]));
    browser::copy_to_clipboard(&link);
    browser::share_sheet(title, &link);
    shown.set(Some(link));
}

/// What the reader is told about the link's shared passages, if anything.
fn shared_notices(shared: &Option<Result<Marking, String>>) -> Vec<String> {
    match shared {
        None => Vec::new(),
        Some(Err(reason)) => vec![format!(
            "Ce lien de partage est abîmé : {reason}. Voici l’article, sans passage marqué."
        )],
        Some(Ok(marking)) => marking
            .missing
            .iter()
            .map(|anchor| {
                format!(
                    "Le passage partagé « {} » est introuvable dans cette version de l’article.",
                    anchor.quote(QUOTE_CHARS)
                )
            })
            .chain(marking.approximate.iter().map(|anchor| {
                format!(
                    "L’article a changé depuis le partage : le passage « {} » est marqué là où le texte lui ressemble le plus.",
                    anchor.quote(QUOTE_CHARS)
                )
            }))
            .collect(),
    }
}

#[derive(Properties, PartialEq)]
pub struct ArticleProps {
    pub library: Shared,
    pub slug: AttrValue,
    pub query: Option<AttrValue>,
}

#[component]
pub fn ArticleView(props: &ArticleProps) -> Html {
    let heading = use_node_ref();
    // The hash is followed here too: the route ignores `p=` and `s=`, so a link
    // to another passage of the same article gives the same props.
    let hash = use_state(browser::hash);
    {
        let hash = hash.clone();
        use_effect_with((), move |_| {
            let listener = Listener::new(&browser::window(), "hashchange", move |_| {
                hash.set(browser::hash());
            });
            move || drop(listener)
        });
    }
    // Stepping through the query's marks: the first one, or the first of the
    // passage a link names; n / N and the buttons move it.
    let stepper = use_reducer(Stepper::default);
    let first_mark_and_count = props
        .library
        .article(&props.slug)
        .map_or((0, 0), |article| {
            let highlighter = props
                .library
                .highlighter(props.query.as_deref().unwrap_or_default());
            let per_block: Vec<usize> = article
                .blocks
                .iter()
                .map(|block| highlighter.ranges(block.text()).len())
                .collect();
            let count: usize = per_block.iter().sum();
            let first = passage(&hash)
                .filter(|&block| per_block.get(block).is_some_and(|&marks| marks > 0))
                .map_or(0, |block| per_block[..block].iter().sum());
            (first, count)
        });
    {
        let stepper = stepper.dispatcher();
        let (current, count) = first_mark_and_count;
        use_effect_with(
            (props.slug.clone(), props.query.clone(), current, count),
            move |_| {
                stepper.dispatch(Step::Reset { current, count });
            },
        );
    }
    // The passage the reader has selected, ready to share, and the last link made.
    let selected = use_state_eq(|| None::<Anchor>);
    let share_link = use_state_eq(|| None::<String>);
    {
        // The article's keys: n / N step through the marks, j / k move the
        // focus through the blocks, p shares the block the reader is on.
        let stepper = stepper.dispatcher();
        let share_link = share_link.clone();
        let library = props.library.clone();
        let slug = props.slug.clone();
        use_effect_with(props.slug.clone(), move |_| {
            let listener = Listener::new(&browser::document(), "keydown", move |event| {
                let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                let modified = event.ctrl_key() || event.meta_key() || event.alt_key();
                let Some(shortcut) =
                    Shortcut::of_key(&event.key(), browser::is_typing(event), modified)
                else {
                    return;
                };
                match shortcut {
                    Shortcut::NextMatch => stepper.dispatch(Step::By(1)),
                    Shortcut::PreviousMatch => stepper.dispatch(Step::By(-1)),
                    Shortcut::NextBlock => {
                        browser::move_focus(browser::ARTICLE_BLOCK, 1);
                    }
                    Shortcut::PreviousBlock => {
                        browser::move_focus(browser::ARTICLE_BLOCK, -1);
                    }
                    Shortcut::ShareBlock => {
                        let Some(article) = library.article(&slug) else {
                            return;
                        };
                        if let Some(anchor) =
                            browser::active_block().and_then(|block| block_anchor(article, block))
                        {
                            event.prevent_default();
                            share(&slug, &article.title, anchor, &share_link);
                        }
                    }
                    _ => {}
                }
            });
            move || drop(listener)
        });
    }
    // Marks the current one; scrolls to it and focuses its block once the reader has stepped.
    use_effect_with(*stepper, move |stepper| {
        if stepper.count > 0 {
            browser::mark_current(QUERY_MARKS, stepper.current, stepper.stepped);
        }
    });
    {
        let selected = selected.clone();
        let share_link = share_link.clone();
        let library = props.library.clone();
        let slug = props.slug.clone();
        use_effect_with(props.slug.clone(), move |_| {
            // Another article: nothing of the previous one is offered.
            selected.set(None);
            share_link.set(None);
            let listener = Listener::new(&browser::document(), "selectionchange", move |_| {
                let anchor = browser::article_selection().and_then(|(from, to)| {
                    let text = article_text(library.article(&slug)?);
                    let at = |(block, utf16_offset)| Position {
                        block,
                        utf16_offset,
                    };
                    text.anchor(at(from), at(to)).ok()
                });
                selected.set(anchor);
            });
            move || drop(listener)
        });
    }
    {
        let heading = heading.clone();
        let title = props
            .library
            .article(&props.slug)
            .map(|article| article.title.clone())
            .unwrap_or_default();
        // The passage is read from the URL, apart from the route, so that
        // links without one keep their meaning; it is a dependency so that
        // following another passage of the same article scrolls again.
        let target = passage(&hash);
        use_effect_with(
            (props.slug.clone(), props.query.clone(), (*hash).clone()),
            move |_| {
                browser::set_title(&format!("{title} — Lecteur"));
                if let Some(heading) = heading.cast::<web_sys::HtmlElement>() {
                    browser::focus_quietly(&heading);
                }
                if browser::scroll_to_first(
                    "[data-testid=\"article\"] [data-testid=\"shared-highlight\"]",
                ) {
                    return;
                }
                let selector = target
                    .map(|block| format!("[data-testid=\"article\"] .body #bloc-{}", block + 1));
                if selector.is_some_and(|selector| browser::scroll_to_first(&selector)) {
                    return;
                }
                if !browser::scroll_to_first("[data-testid=\"article\"] .body mark") {
                    browser::scroll_to_top();
                }
            },
        );
    }
    // Finding the passages again may take a moment (approximately, in a long
    // article): once per article and link, not at every selection change.
    let shared = use_memo(
        (props.library.clone(), props.slug.clone(), (*hash).clone()),
        |(library, slug, hash)| {
            let text = article_text(library.article(slug)?);
            Some(
                passages_in(hash)?
                    .map(|anchors| text.mark(&anchors))
                    .map_err(|error| error.to_string()),
            )
        },
    );
    let Some(article) = props.library.article(&props.slug) else {
        return Html::default();
    };
    let highlighter = props
        .library
        .highlighter(props.query.as_deref().unwrap_or_default());
    let (back_href, back_label) = match &props.query {
        Some(query) => (
            Route::Search {
                query: query.to_string(),
            }
            .to_hash(),
            format!("← Résultats pour « {query} »"),
        ),
        None => ("#/".to_string(), "← Tous les articles".to_string()),
    };
    let notices = shared_notices(&shared);
    let shared_ranges = |index: usize| -> Vec<Range<usize>> {
        match &*shared {
            Some(Ok(marking)) => marking.per_block.get(index).cloned().unwrap_or_default(),
            _ => Vec::new(),
        }
    };
    let on_share = {
        let selected = selected.clone();
        let share_link = share_link.clone();
        let slug = props.slug.clone();
        let title = article.title.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(anchor) = (*selected).clone() {
                share(&slug, &title, anchor, &share_link);
            }
        })
    };
    // Keeps the selection: pressing the button must not collapse it first.
    let keep_selection = Callback::from(|event: MouseEvent| event.prevent_default());
    let mark_count: usize = article
        .blocks
        .iter()
        .map(|block| highlighter.ranges(block.text()).len())
        .sum();
    let others = props
        .library
        .articles()
        .iter()
        .filter(|other| other.slug != article.slug);
    html! {
        <>
            <nav class="crumbs" aria-label="Navigation"><a href={back_href}>{ back_label }</a></nav>
            <article class="reading" data-testid="article" lang="fr">
                <header>
                    <h1 ref={heading} tabindex="-1">{ marked(&article.title, &highlighter.ranges(&article.title)) }</h1>
                    { byline(article) }
                    <p class="reading-time">{ reading_time(article) }</p>
                    if let Some(origin) = &article.title_origin {
                        <p class="title-origin">{ origin.clone() }</p>
                    }
                    if props.query.is_some() {
                        <p class="status" role="status">{ match mark_count {
                            0 => "Aucun mot de la recherche dans le texte.".to_string(),
                            1 => "1 passage marqué.".to_string(),
                            n => format!("{n} passages marqués."),
                        } }</p>
                    }
                    if props.query.is_some() && stepper.count > 0 {
                        <div class="match-stepper" data-testid="match-stepper">
                            <button type="button" data-testid="previous-match" aria-label="Occurrence précédente (N)"
                                onclick={{ let stepper = stepper.dispatcher(); move |_| stepper.dispatch(Step::By(-1)) }}>
                                { "↑" }
                            </button>
                            <span data-testid="match-counter" aria-live="polite">
                                { format!("{} / {}", stepper.current + 1, stepper.count) }
                            </span>
                            <button type="button" data-testid="next-match" aria-label="Occurrence suivante (n)"
                                onclick={{ let stepper = stepper.dispatcher(); move |_| stepper.dispatch(Step::By(1)) }}>
                                { "↓" }
                            </button>
                        </div>
                    }
                    { for notices.into_iter().map(|notice| html! {
                        <p class="share-notice" role="status" data-testid="share-message">{ notice }</p>
                    }) }
                </header>
                <div class="body">
                    { for article.blocks.iter().enumerate().map(|(index, block)| {
                        let id = format!("bloc-{}", index + 1);
                        let text = marked_with_shared(
                            block.text(),
                            &highlighter.ranges(block.text()),
                            &shared_ranges(index),
                        );
                        match block {
                            Block::Heading(_) => html! { <h2 id={id} tabindex="-1">{ text }</h2> },
                            Block::Paragraph(_) => html! { <p id={id} tabindex="-1">{ text }</p> },
                        }
                    }) }
                </div>
            </article>
            if selected.is_some() || share_link.is_some() {
                <aside class="share-bar" aria-label="Partager">
                    if selected.is_some() {
                        <button type="button" class="share-button" data-testid="share-button"
                            onmousedown={keep_selection} onclick={on_share}>
                            { "Partager ce passage" }
                        </button>
                    }
                    if let Some(link) = &*share_link {
                        <p class="share-result">
                            { "Lien copié : " }
                            <a data-testid="share-link" href={link.clone()}>{ link.clone() }</a>
                        </p>
                    }
                </aside>
            }
            // Always in the page, so that screen readers hear it change.
            <p class="visually-hidden" role="status" data-testid="share-announcement">
                if share_link.is_some() { { "Lien du passage copié ; il s’affiche après l’article." } }
            </p>
            <nav class="others" aria-labelledby="autres-articles">
                <h2 id="autres-articles">{ "Autres articles" }</h2>
                <ul>
                    { for others.map(|other| html! {
                        <li><a href={Route::Article { slug: other.slug.clone(), query: None }.to_hash()}>{ other.title.clone() }</a></li>
                    }) }
                </ul>
            </nav>
        </>
    }
}
