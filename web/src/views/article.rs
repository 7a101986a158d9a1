//! The reading view: one article, its metadata, its blocks with the query's
//! words marked, and the way back. A link naming a passage (`p=`) scrolls to it;
//! a link carrying shared passages (`s=`, see `lecteur_core::anchor`) marks them and
//! scrolls to the first, unless the browser already showed it (a text
//! fragment). Selecting text offers to share it as such a link.
//!
//! The view the page opened with is the reader's: it moves neither the focus
//! nor the scroll but to a passage the link names; the query's marks, which come
//! with the engine, scroll only a page the reader has not scrolled yet.

use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;

use lecteur_core::anchor::{Anchor, ArticleText, Position, french_spacing};
use lecteur_core::article::{Article, Block};
use lecteur_core::found::{Filters, layers};
use lecteur_core::page::{Shortcut, Step, Stepper, block_anchor, mark_shared, share_address};
use lecteur_core::prerendered::ArticleLink;
use lecteur_core::protocol::{Answer, Request};
use lecteur_core::route::SharedPassages;
use lecteur_core::{ArticleMarks, Route};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use super::{byline, marked};
use crate::browser::{self, Listener};
use crate::engine::{Answered, EngineLink, use_answer};
use crate::router::{Site, use_links};

/// Words read per minute, for the estimated reading time.
const WORDS_PER_MINUTE: usize = 200;
/// Sent on the window when an article shows, for `www/main.js` to have it kept offline.
const READ_EVENT: &str = "lecteur:lu";

/// The query's marks in the body, the ones n / N and the buttons step through
/// (the shared passages' own marks are not among them).
const QUERY_MARKS: &str = "[data-testid=\"article\"] .body mark:not(.shared)";
/// The shared passages' marks.
const SHARED_MARKS: &str = "[data-testid=\"article\"] [data-testid=\"shared-highlight\"]";

/// The core's [`Stepper`], made a Yew reducer.
#[derive(Clone, Copy, PartialEq, Default)]
struct MarkStepper(Stepper);

impl Reducible for MarkStepper {
    type Action = Step;

    fn reduce(self: Rc<Self>, step: Step) -> Rc<Self> {
        Rc::new(MarkStepper(self.0.step(step)))
    }
}

/// The estimated reading time of an article, in French.
fn reading_time(article: &Article) -> String {
    let words: usize = article
        .blocks
        .iter()
        .map(|block| block.text().split_whitespace().count())
        .sum();
    let minutes = words.div_ceil(WORDS_PER_MINUTE).max(1);
    format!("{minutes} min de lecture")
}

/// The article's text as anchors see it.
fn article_text(article: &Article) -> ArticleText {
    ArticleText::new(article.blocks.iter().map(Block::text))
}

/// Renders a block's text with the shared passages as `<mark
/// data-testid="shared-highlight">` and the query's words as `<mark>` inside
/// and around them; all as text nodes, with French spacing on display (which
/// keeps the DOM offsets those of the stored text, see `lecteur_core::anchor`).
fn marked_with_shared(text: &str, query: &[Range<usize>], shared: &[Range<usize>]) -> Html {
    layers(text, query, shared)
        .into_iter()
        .map(|layer| {
            let pieces: Html = layer
                .pieces
                .into_iter()
                .map(|(range, marked)| {
                    let shown = french_spacing(text, range);
                    if marked {
                        html! { <mark>{ shown }</mark> }
                    } else {
                        html! { { shown } }
                    }
                })
                .collect();
            if layer.shared {
                html! { <mark class="shared" data-testid="shared-highlight">{ pieces }</mark> }
            } else {
                pieces
            }
        })
        .collect()
}

/// Makes the link to `anchor` of `article`, copies it, offers the device's
/// share sheet and shows it.
fn share(site: &Site, article: &Article, anchor: Anchor, shown: &UseStateHandle<Option<String>>) {
    let route = Route::article(&article.slug).with_shared(vec![anchor.clone()]);
    let link = site.absolute(&share_address(article, anchor), &route);
    browser::copy_to_clipboard(&link);
    browser::share_sheet(&article.title, &link);
    shown.set(Some(link));
}

#[derive(Properties, PartialEq)]
pub struct ArticleProps {
    /// The engine, once its index is open: it marks the query's words.
    pub engine: Option<EngineLink>,
    pub article: Arc<Article>,
    pub others: Rc<[ArticleLink]>,
    pub query: Option<AttrValue>,
    /// The source, year and order of that search: "← Résultats" returns to them.
    pub filters: Filters,
    /// The block a link names (from 0).
    pub passage: Option<usize>,
    pub shared: SharedPassages,
    pub site: Site,
    /// Whether this is the view the page opened with.
    pub arrived: bool,
}

#[component]
pub fn ArticleView(props: &ArticleProps) -> Html {
    let links = use_links();
    let heading = use_node_ref();
    let article = &props.article;
    // The query's words, marked as the search marks them, asked of the engine once per
    // article and query; only the marks of this very article and query are shown (ranges
    // of another text would be wrong).
    let request = props.query.as_ref().map(|query| Request::Marks {
        slug: article.slug.clone(),
        query: query.to_string(),
    });
    let answer = use_answer(props.engine.clone(), request.clone());
    let marks: Option<&ArticleMarks> = match answer.as_deref() {
        Some(Answered {
            request: asked,
            outcome: Ok(Answer::Marked(marks)),
            ..
        }) if Some(asked) == request.as_ref() => Some(marks),
        _ => None,
    };
    // Finding the shared passages again may take a moment (approximately, in a long
    // article): once per article and link, not at every render.
    let shared = use_memo(
        (article.clone(), props.shared.clone()),
        |(article, shared)| mark_shared(article, shared),
    );
    // Stepping through the query's marks: the first one, or the first of the passage a
    // link names; n / N and the buttons move it.
    let stepper = use_reducer(MarkStepper::default);
    let (first_mark, mark_count) = match marks {
        Some(marks) => {
            let first = props
                .passage
                .filter(|&block| {
                    marks
                        .blocks
                        .get(block)
                        .is_some_and(|ranges| !ranges.is_empty())
                })
                .map_or(0, |block| marks.blocks[..block].iter().map(Vec::len).sum());
            (first, marks.count())
        }
        None => (0, 0),
    };
    {
        let stepper = stepper.dispatcher();
        use_effect_with(
            (
                article.slug.clone(),
                props.query.clone(),
                first_mark,
                mark_count,
            ),
            move |&(_, _, current, count)| {
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
        let article = article.clone();
        let site = props.site.clone();
        use_effect_with(article.slug.clone(), move |_| {
            // An archive keeps the articles read for offline reading (`www/sw.js`, `garder`).
            browser::announce(READ_EVENT);
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
                        if let Some(anchor) =
                            browser::active_block().and_then(|block| block_anchor(&article, block))
                        {
                            event.prevent_default();
                            share(&site, &article, anchor, &share_link);
                        }
                    }
                    _ => {}
                }
            });
            move || drop(listener)
        });
    }
    // Marks the current one; scrolls to it and focuses its block once the reader has stepped.
    use_effect_with(stepper.0, move |stepper| {
        if stepper.count > 0 {
            browser::mark_current(QUERY_MARKS, stepper.current, stepper.stepped);
        }
    });
    {
        let selected = selected.clone();
        let share_link = share_link.clone();
        let article = article.clone();
        use_effect_with(article.slug.clone(), move |_| {
            // Another article: nothing of the previous one is offered.
            selected.set(None);
            share_link.set(None);
            let text = article_text(&article);
            let listener = Listener::new(&browser::document(), "selectionchange", move |_| {
                let anchor = browser::article_selection().and_then(|(from, to)| {
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
        // Where the view goes: the passage the link names, else (after a link was
        // followed) the first mark or the top, with the focus on the heading.
        let heading = heading.clone();
        let marked = marks.is_some();
        use_effect_with(
            (
                article.slug.clone(),
                props.query.clone(),
                props.passage,
                props.shared.clone(),
                props.arrived,
            ),
            move |(_, _, passage, _, arrived)| {
                let arrived = *arrived;
                if !arrived && let Some(heading) = heading.cast::<web_sys::HtmlElement>() {
                    browser::focus_quietly(&heading);
                }
                if browser::scroll_to_first(SHARED_MARKS, arrived) {
                    return;
                }
                let block = passage
                    .map(|block| format!("[data-testid=\"article\"] .body #bloc-{}", block + 1));
                if block.is_some_and(|block| browser::scroll_to_first(&block, arrived)) {
                    return;
                }
                if marked && !arrived {
                    browser::scroll_to_first(QUERY_MARKS, false);
                } else if !arrived {
                    browser::scroll_to_top();
                }
            },
        );
    }
    {
        // The query's marks came later than the page: they scroll it only if the reader
        // has not, and nothing else was asked for.
        let elsewhere = props.passage.is_some() || props.shared != SharedPassages::None;
        let arrived = props.arrived;
        use_effect_with(marks.is_some(), move |&marked| {
            if marked && arrived && !elsewhere && browser::scroll_y() == 0.0 {
                browser::scroll_to_first(QUERY_MARKS, false);
            }
        });
    }
    let (back_href, back_label) = match &props.query {
        Some(query) => (
            links.href(&Route::Search {
                query: query.to_string(),
                filters: props.filters.clone(),
            }),
            format!("← Résultats pour « {query} »"),
        ),
        None => (links.href(&Route::Home), "← Tous les articles".to_string()),
    };
    let on_share = {
        let selected = selected.clone();
        let share_link = share_link.clone();
        let article = article.clone();
        let site = props.site.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(anchor) = (*selected).clone() {
                share(&site, &article, anchor, &share_link);
            }
        })
    };
    // Keeps the selection: pressing the button must not collapse it first.
    let keep_selection = Callback::from(|event: MouseEvent| event.prevent_default());
    let no_marks = ArticleMarks::default();
    let query_marks = marks.unwrap_or(&no_marks);
    let block_marks = |index: usize| query_marks.blocks.get(index).map_or(&[][..], Vec::as_slice);
    html! {
        <>
            <nav class="crumbs" aria-label="Navigation"><a href={back_href}>{ back_label }</a></nav>
            <article class="reading" data-testid="article" lang="fr">
                <header>
                    <h1 ref={heading} tabindex="-1">{ marked(&article.title, &query_marks.title) }</h1>
                    { byline(article.source.as_deref(), article.date) }
                    <p class="reading-time">{ reading_time(article) }</p>
                    if let Some(origin) = &article.title_origin {
                        <p class="title-origin">{ origin.clone() }</p>
                    }
                    if props.query.is_some() && marks.is_some() {
                        <p class="status" role="status">{ match mark_count {
                            0 => "Aucun mot de la recherche dans le texte.".to_string(),
                            1 => "1 passage marqué.".to_string(),
                            n => format!("{n} passages marqués."),
                        } }</p>
                    }
                    if props.query.is_some() && stepper.0.count > 0 {
                        <div class="match-stepper" data-testid="match-stepper">
                            <button type="button" data-testid="previous-match" aria-label="Occurrence précédente (N)"
                                onclick={{ let stepper = stepper.dispatcher(); move |_| stepper.dispatch(Step::By(-1)) }}>
                                { "↑" }
                            </button>
                            <span data-testid="match-counter" aria-live="polite">
                                { format!("{} / {}", stepper.0.current + 1, stepper.0.count) }
                            </span>
                            <button type="button" data-testid="next-match" aria-label="Occurrence suivante (n)"
                                onclick={{ let stepper = stepper.dispatcher(); move |_| stepper.dispatch(Step::By(1)) }}>
                                { "↓" }
                            </button>
                        </div>
                    }
                    { for shared.notices.iter().map(|notice| html! {
                        <p class="share-notice" role="status" data-testid="share-message">{ notice.clone() }</p>
                    }) }
                </header>
                <div class="body">
                    { for article.blocks.iter().enumerate().map(|(index, block)| {
                        let id = format!("bloc-{}", index + 1);
                        let text = marked_with_shared(block.text(), block_marks(index), shared.block(index));
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
                    { for props.others.iter().map(|other| html! {
                        <li><a href={links.href(&Route::article(&other.slug))}>{ other.title.clone() }</a></li>
                    }) }
                </ul>
            </nav>
        </>
    }
}
