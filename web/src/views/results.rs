//! Results: the articles matching the query, best first, each with its best
//! passages (words marked, each linking to its place in the article) and why
//! it matched. Arrow keys move between the articles. Before the engine is
//! there, the query waits, saying so.

use lecteur::Route;
use lecteur::page::count_announcement;
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use super::{Message, Shared, marked};
use crate::browser;
use crate::router::use_links;

/// The links the arrow keys move between.
pub const RESULT_LINKS: &str = "[data-testid=\"result\"] a.result-link";
/// The User Timing measure each search (with its passages and reasons) records.
const SEARCH_MEASURE: &str = "lecteur:recherche";
/// The results, each naming its article in `data-slug`.
const RESULT_ITEMS: &str = "[data-testid=\"results\"] [data-testid=\"result\"]";

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    /// The engine, once it is there.
    pub library: Option<Shared>,
    /// Why there will be no engine, if it failed to load.
    pub unavailable: Option<AttrValue>,
    pub query: AttrValue,
    /// The article the reader came back from: its link gets the focus.
    pub return_to: Option<AttrValue>,
}

#[component]
pub fn Results(props: &ResultsProps) -> Html {
    let links = use_links();
    let query = props.query.as_str();
    use_effect_with(
        (
            props.query.clone(),
            props.return_to.clone(),
            props.library.is_some(),
        ),
        |(_, return_to, _)| {
            if let Some(slug) = return_to {
                browser::focus_item_link(RESULT_ITEMS, slug, "a.result-link");
            }
        },
    );
    // Searched once per query, not on every render; timed for the benchmark and the profiler.
    let results = use_memo(
        (props.library.clone(), props.query.clone()),
        |(library, query)| {
            library
                .as_ref()
                .map(|library| browser::measured(SEARCH_MEASURE, || library.search(query)))
        },
    );
    let heading = html! {
        <h1 id="titre-resultats">{ "Résultats pour « " }{ query }{ " »" }</h1>
    };
    let Some(results) = &*results else {
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
    let results = match results {
        Ok(results) => results,
        Err(error) => {
            let message = format!(
                "{}. Raccourcissez la recherche et réessayez.",
                first_upper(&error.to_string())
            );
            return html! {
                <Message title="Recherche impossible" message={message} home_link={true} />
            };
        }
    };
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
        <section class="results" aria-labelledby="titre-resultats">
            { heading }
            <p class="status" role="status" aria-live="polite" data-testid="result-count">
                { count_announcement(results.hits.len(), results.partial) }
            </p>
            if results.partial {
                <p class="partial" data-testid="partial">{ "Résultats partiels : aucun article ne contient tous les mots de la recherche." }</p>
            }
            if let Some(suggestion) = &results.suggestion {
                <p class="suggestion" data-testid="suggestion">
                    { "Vouliez-vous dire « " }
                    <a href={links.href(&Route::Search { query: suggestion.clone() })}>{ suggestion.clone() }</a>
                    { " » ?" }
                </p>
            }
            if results.hits.is_empty() {
                <p><a href={links.href(&Route::Home)}>{ "Voir tous les articles" }</a></p>
            }
            <ol class="hits" data-testid="results" {onkeydown}>
                { for results.hits.iter().map(|hit| {
                    let route = Route::Article {
                        slug: hit.slug.clone(),
                        query: Some(query.to_string()),
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
                            <p class="byline">
                                { hit.source.clone().unwrap_or_else(|| "Source non indiquée".to_string()) }
                            </p>
                            if let Some(snippet) = &hit.snippet {
                                <p class="snippet">{ marked(&snippet.text, &snippet.marks) }</p>
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
        </section>
    }
}

fn first_upper(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
