//! Results: the articles matching the query, best first, each with the passage
//! that matched and its words marked. Arrow keys move between them.

use lecteur::page::count_announcement;
use lecteur::{Highlighter, Route};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use super::{Shared, marked};
use crate::browser;

/// The links the arrow keys move between.
pub const RESULT_LINKS: &str = "[data-testid=\"result\"] a.result-link";

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub library: Shared,
    pub query: AttrValue,
}

#[component]
pub fn Results(props: &ResultsProps) -> Html {
    let library = &props.library;
    let query = props.query.as_str();
    use_effect_with(props.query.clone(), |query| {
        browser::set_title(&format!("« {query} » — Lecteur"));
    });
    let results = match library.search(query) {
        Ok(results) => results,
        Err(error) => {
            return html! {
                <section class="message" data-testid="error" role="alert">
                    <h1>{ "Recherche impossible" }</h1>
                    <p>{ format!("{}.", first_upper(&error.to_string())) }</p>
                    <p>{ "Raccourcissez la recherche et réessayez." }</p>
                </section>
            };
        }
    };
    let highlighter = Highlighter::new(query);
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
            <h1 id="titre-resultats">{ "Résultats pour « " }{ query }{ " »" }</h1>
            <p class="status" role="status" aria-live="polite" data-testid="result-count">
                { count_announcement(results.hits.len(), results.partial) }
            </p>
            if results.hits.is_empty() {
                <p><a href="#/">{ "Voir tous les articles" }</a></p>
            }
            <ol class="hits" data-testid="results" {onkeydown}>
                { for results.hits.iter().filter_map(|hit| {
                    let article = library.article(&hit.slug)?;
                    let href = Route::Article { slug: hit.slug.clone(), query: Some(query.to_string()) }.to_hash();
                    let title_marks = highlighter.ranges(&article.title);
                    Some(html! {
                        <li class="hit" data-testid="result" key={hit.slug.clone()}>
                            <h2>
                                <a class="result-link" href={href}>{ marked(&article.title, &title_marks) }</a>
                            </h2>
                            <p class="byline">
                                { article.source.clone().unwrap_or_else(|| "Source non indiquée".to_string()) }
                            </p>
                            if let Some(snippet) = &hit.snippet {
                                <p class="snippet">{ marked(&snippet.text, &snippet.marks) }</p>
                            }
                        </li>
                    })
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
