//! Results: the articles matching the query, best first (or newest first), each
//! with its best passages (words marked, each linking to its place in the article)
//! and why it matched; a page at a time ("Plus de résultats" adds the next), with
//! the source and year to narrow them to, counted. Arrow keys move between the
//! articles. Before the engine is there, the query waits, saying so.

use lecteur_core::Route;
use lecteur_core::found::{Facets, Filters, MAX_LIMIT, Order, PASSAGE_NOT_HERE};
use lecteur_core::page::count_announcement;
use lecteur_core::protocol::{Answer, Request, code};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use super::{Message, byline, marked, use_show_more};
use crate::browser;
use crate::engine::{EngineLink, unexpected, use_answer};
use crate::router::use_links;

/// The links the arrow keys move between.
pub const RESULT_LINKS: &str = "[data-testid=\"result\"] a.result-link";
/// The results, each naming its article in `data-slug`.
const RESULT_ITEMS: &str = "[data-testid=\"results\"] [data-testid=\"result\"]";

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    /// The engine, once its index is open.
    pub engine: Option<EngineLink>,
    /// Why there will be no engine, if it failed to load.
    pub unavailable: Option<AttrValue>,
    pub query: AttrValue,
    pub filters: Filters,
    /// How many results to show.
    pub shown: usize,
    pub on_more: Callback<()>,
    /// The article the reader came back from: its link gets the focus.
    pub return_to: Option<AttrValue>,
}

#[component]
pub fn Results(props: &ResultsProps) -> Html {
    let links = use_links();
    let query = props.query.as_str();
    // Asked once per query, in the engine's worker; an answer to a query already replaced
    // is dropped. While the next answer is on its way, the last one stays on screen.
    let answer = use_answer(
        props.engine.clone(),
        Some(Request::Search {
            query: query.to_string(),
            filters: props.filters.clone(),
            limit: props.shown,
        }),
    );
    // Another query or filter on its way (the results on screen are the last one's), or only
    // a longer list of the same.
    let searching = answer.as_ref().is_some_and(|answered| {
        !matches!(&answered.request, Request::Search { query: asked, filters, .. }
            if asked == query && *filters == props.filters)
    });
    let hits_shown = match answer.as_deref().map(|answered| &answered.outcome) {
        Some(Ok(Answer::Found(results))) => results.hits.len(),
        _ => 0,
    };
    let show_more = use_show_more(RESULT_LINKS, hits_shown, props.on_more.clone());
    // Back from an article: once its query's results are on screen, the focus returns to it.
    let shown = answer.is_some() && !searching;
    use_effect_with(
        (props.query.clone(), props.return_to.clone(), shown),
        |(_, return_to, shown)| {
            if let Some(slug) = return_to.as_ref().filter(|_| *shown) {
                browser::focus_item_link(RESULT_ITEMS, slug, "a.result-link");
            }
        },
    );
    // The reader has what a search link asked for once its first answer (or the reason there
    // is none) is on screen.
    let settled = answer.is_some() || props.unavailable.is_some();
    use_effect_with(settled, |&settled| {
        if settled {
            browser::announce(crate::app::READY_EVENT);
        }
    });
    let heading = html! {
        <h1 id="titre-resultats">{ "Résultats pour « " }{ query }{ " »" }</h1>
    };
    let Some(answered) = &answer else {
        let status = match &props.unavailable {
            Some(reason) => reason.to_string(),
            None => "Préparation de la recherche…".to_string(),
        };
        return html! {
            <section class="results" aria-labelledby="titre-resultats">
                { heading }
                <p class="status" role="status" aria-live="polite" data-testid="result-count"
                    data-preparing={props.unavailable.is_none().then_some("")}>
                    { status }
                </p>
            </section>
        };
    };
    let results = match &answered.outcome {
        Ok(Answer::Found(results)) => Ok(results),
        Ok(other) => Err(unexpected(other)),
        Err(error) => Err(error.clone()),
    };
    let results = match results {
        Ok(results) => results,
        Err(error) => {
            let advice = match error.code.as_str() {
                code::QUERY => "Raccourcissez la recherche et réessayez.",
                code::NO_PARTS => {
                    "Ces mots se chercheront avec le réseau, ou hors ligne une fois l’archive \
                     téléchargée (« Télécharger l’archive pour la lecture hors ligne », en bas \
                     de la liste)."
                }
                _ => "Réessayez ; si le problème persiste, rechargez la page.",
            };
            let message = format!("{}. {advice}", first_upper(&error.message));
            return html! {
                <Message title="Recherche impossible" message={message} home_link={true} />
            };
        }
    };
    // The query these results answer (the one typed, or the one before while it is searched).
    let (query, filters) = match &answered.request {
        Request::Search { query, filters, .. } => (query.as_str(), filters),
        _ => (query, &props.filters),
    };
    // The page asked for is on its way, or its passages are (an early answer).
    let loading_more =
        !searching && (results.hits.len() < props.shown.min(results.total) || answered.more);
    let onkeydown = Callback::from(|event: KeyboardEvent| {
        let delta = match event.key().as_str() {
            "ArrowDown" => 1,
            "ArrowUp" => -1,
            _ => return,
        };
        event.prevent_default();
        if !browser::move_focus(RESULT_LINKS, delta) && delta < 0 {
            let _ = browser::document()
                .get_element_by_id("recherche")
                .map(|input| input.unchecked_into::<web_sys::HtmlElement>().focus());
        }
    });
    html! {
        <section class="results" aria-labelledby="titre-resultats"
            aria-busy={(searching || answered.more).then_some("true")}>
            { heading }
            <p class="status" role="status" aria-live="polite" data-testid="result-count">
                { count_announcement(results.total, results.partial) }
            </p>
            { refinements(&links, query, filters, &results.facets, results.total) }
            if results.partial {
                <p class="partial" data-testid="partial">{ "Résultats partiels : aucun article ne contient tous les mots de la recherche." }</p>
            }
            if let Some(suggestion) = &results.suggestion {
                <p class="suggestion" data-testid="suggestion">
                    { "Vouliez-vous dire « " }
                    <a href={links.href(&Route::search(suggestion.as_str()))}>{ suggestion.clone() }</a>
                    { " » ?" }
                </p>
            }
            if results.hits.is_empty() && filters.is_narrowed() {
                <p><a href={links.href(&Route::search(query))}>{ "Chercher dans toutes les sources et années" }</a></p>
            } else if results.hits.is_empty() {
                <p><a href={links.href(&Route::Home)}>{ "Voir tous les articles" }</a></p>
            }
            <ol class="hits" data-testid="results" {onkeydown}>
                { for results.hits.iter().map(|hit| {
                    let route = Route::Article {
                        slug: hit.slug.clone(),
                        query: Some(query.to_string()),
                        filters: filters.clone(),
                        passage: None,
                        shared: Default::default(),
                    };
                    let href = match &hit.snippet {
                        Some(snippet) => links.href(&route.clone().with_passage(snippet.block)),
                        None => links.href(&route),
                    };
                    html! {
                        <li class="hit" data-testid="result" key={hit.slug.clone()} data-slug={hit.slug.clone()}>
                            <h2>
                                <a class="result-link" href={href}>{ marked(&hit.title, &hit.title_marks) }</a>
                            </h2>
                            { byline(hit.source.as_deref(), hit.date) }
                            if let Some(snippet) = &hit.snippet {
                                <p class="snippet">{ marked(&snippet.text, &snippet.marks) }</p>
                            } else if results.missing_texts.contains(&hit.slug) && !answered.more {
                                <p class="passage-absent" data-testid="no-passage">{ PASSAGE_NOT_HERE }</p>
                            }
                            if hit.passages.len() > 1 {
                                <ul class="passages" aria-label="Autres passages">
                                    { for hit.passages.iter().skip(1).map(|passage| html! {
                                        <li>
                                            <a class="passage-link" href={links.href(&route.clone().with_passage(passage.block))}>
                                                { marked(&passage.text, &passage.marks) }
                                            </a>
                                        </li>
                                    }) }
                                </ul>
                            }
                            if !hit.reasons.is_empty() {
                                <details class="why" data-testid="why">
                                    <summary>{ "Pourquoi ce résultat ?" }</summary>
                                    <ul>
                                        { for hit.reasons.iter().map(|reason| html! {
                                            <li>{ reason.sentence() }</li>
                                        }) }
                                    </ul>
                                </details>
                            }
                        </li>
                    }
                }) }
            </ol>
            if results.hits.len() < results.total {
                <p class="more">
                    if results.hits.len() < MAX_LIMIT {
                        <button type="button" data-testid="more" onclick={show_more.onclick}
                            ref={show_more.button}
                            aria-describedby="compte-resultats" disabled={loading_more}>
                            { if loading_more { "Chargement…" } else { "Plus de résultats" } }
                        </button>
                    } else {
                        <span data-testid="limit">{ format!("Les {MAX_LIMIT} premiers résultats sont affichés : précisez la recherche, ou choisissez une source ou une année.") }</span>
                    }
                    <span id="compte-resultats" class="count">{ format!("{} sur {}", results.hits.len(), results.total) }</span>
                </p>
            }
        </section>
    }
}

/// A way to narrow or order the results: its label, and the filters it leads to. They come in
/// groups: a test id, the group's words, its choices.
type Choice = (String, Filters);

/// Most sources the results offer to narrow to: an archive may have many.
const MAX_SOURCES_OFFERED: usize = 12;

/// The order, and the sources and years the results can be narrowed to, each a link to the
/// same query under that filter, with the count it would show.
fn refinements(
    links: &crate::router::Links,
    query: &str,
    filters: &Filters,
    facets: &Facets,
    total: usize,
) -> Html {
    let with = |change: &dyn Fn(&mut Filters)| {
        let mut changed = filters.clone();
        change(&mut changed);
        changed
    };
    let mut groups: Vec<(&str, &str, Vec<Choice>)> = Vec::new();
    if total > 1 {
        let orders = [(Order::Relevance, "pertinence"), (Order::Date, "date")]
            .map(|(order, label)| (label.to_string(), with(&|f| f.order = order)));
        groups.push(("order", "Trier par : ", orders.into()));
    }
    if facets.sources.len() > 1 || filters.source.is_some() {
        let each = facets
            .sources
            .iter()
            .take(MAX_SOURCES_OFFERED)
            .map(|count| {
                let label = format!("{} ({})", count.source, count.count);
                (label, with(&|f| f.source = Some(count.source.clone())))
            });
        let every = ("toutes".to_string(), with(&|f| f.source = None));
        groups.push((
            "sources",
            "Source : ",
            std::iter::once(every).chain(each).collect(),
        ));
    }
    if facets.years.len() > 1 || filters.year.is_some() {
        let each = facets.years.iter().map(|count| {
            let label = format!("{} ({})", count.year, count.count);
            (label, with(&|f| f.year = Some(count.year)))
        });
        let every = ("toutes".to_string(), with(&|f| f.year = None));
        groups.push((
            "years",
            "Année : ",
            std::iter::once(every).chain(each).collect(),
        ));
    }
    if groups.is_empty() {
        return Html::default();
    }
    let choice = |(label, target): (String, Filters)| {
        let current = target == *filters;
        let href = links.href(&Route::Search {
            query: query.to_string(),
            filters: target,
        });
        html! {
            <li><a href={href} aria-current={current.then_some("true")}>{ label }</a></li>
        }
    };
    html! {
        <nav class="refine" aria-label="Affiner les résultats" data-testid="refine">
            <ul>
                { for groups.into_iter().map(|(testid, words, choices)| html! {
                    <li data-testid={testid}>{ words }<ul>{ for choices.into_iter().map(choice) }</ul></li>
                }) }
            </ul>
        </nav>
    }
}

fn first_upper(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
