//! The reader's page: a thin Yew shell around the `lecteur` core, compiled to
//! WebAssembly.
//!
//! The core decides everything that can be decided without a browser (what
//! each URL shows, search, snippets, marks); this crate fetches the index,
//! wires browser events to the core's [`lecteur::page`] reducer, and renders
//! its views. `www/main.js` loads it and calls [`start`]; it also runs the
//! service worker, and tells the page through window events when a new version
//! is ready (see [`app`]).

mod app;
mod browser;
mod views;

use wasm_bindgen::prelude::*;

/// Where the page takes the index from.
#[derive(Clone, PartialEq)]
pub(crate) enum IndexSource {
    /// A file of the site, relative to the page so the site works under any path prefix.
    Url(String),
    /// Bytes carried by the document itself (the single-file edition opened from disk).
    Embedded(std::rc::Rc<Vec<u8>>),
}

/// Renders the reader into `#app`.
///
/// `build` is the id of the build this program belongs to; the index must carry the same
/// one, or the page says they disagree instead of searching. The index is fetched from
/// `index_url`, unless the document carries it (`embedded_index`).
#[wasm_bindgen]
pub fn start(
    build: String,
    index_url: String,
    embedded_index: Option<js_sys::Uint8Array>,
) -> Result<(), JsValue> {
    let root = browser::document()
        .get_element_by_id("app")
        .ok_or_else(|| JsValue::from_str("la page n’a pas d’élément #app"))?;
    root.set_text_content(None);
    let index = match embedded_index {
        Some(bytes) => IndexSource::Embedded(std::rc::Rc::new(bytes.to_vec())),
        None => IndexSource::Url(index_url),
    };
    let props = app::AppProps {
        build: build.into(),
        index,
    };
    yew::Renderer::<app::App>::with_root_and_props(root, props).render();
    Ok(())
}
