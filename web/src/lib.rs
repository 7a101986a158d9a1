//! The reader's page: a thin Yew shell around the `lecteur` core, compiled to
//! WebAssembly.
//!
//! The core decides everything that can be decided without a browser (what
//! each URL shows, search, snippets, marks); this crate fetches the index,
//! wires browser events to the core's [`lecteur::page`] reducer, and renders
//! its views. `www/main.js` loads it and calls [`start`].

mod app;
mod browser;
mod views;

use wasm_bindgen::prelude::*;

/// The bundle the indexer wrote, relative to the page so the site works under
/// any path prefix.
const INDEX_URL: &str = "index.bin";

/// Renders the reader into `#app`.
#[wasm_bindgen]
pub fn start() -> Result<(), JsValue> {
    let root = browser::document()
        .get_element_by_id("app")
        .ok_or_else(|| JsValue::from_str("la page n’a pas d’élément #app"))?;
    root.set_text_content(None);
    yew::Renderer::<app::App>::with_root(root).render();
    Ok(())
}
