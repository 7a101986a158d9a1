//! The reader's page: a thin Yew shell around the `lecteur` core, compiled to
//! WebAssembly.
//!
//! The core decides everything that can be decided without a browser (what
//! each URL shows, search, snippets, marks); this crate reads the index,
//! wires browser events to the core's [`lecteur::page`] reducer, and renders
//! its views. `www/main.js` requests the index, loads this program and calls
//! [`start`] with the pending response; it also runs the service worker once
//! the page says it is ready, and tells the page through window events when a
//! new version is ready (see [`app`]).

mod app;
mod browser;
mod views;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Where the page takes the index from.
#[derive(Clone)]
pub(crate) enum IndexSource {
    /// A file of the site (relative to the page, so the site works under any path prefix),
    /// and the promise of the response to the request `www/main.js` made for it.
    Download {
        url: String,
        response: js_sys::Promise,
    },
    /// Bytes carried by the document itself (the single-file edition opened from disk).
    Embedded(std::rc::Rc<Vec<u8>>),
}

impl PartialEq for IndexSource {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (
                IndexSource::Download { url, response },
                IndexSource::Download {
                    url: other_url,
                    response: other_response,
                },
            ) => {
                url == other_url
                    && AsRef::<JsValue>::as_ref(response)
                        == AsRef::<JsValue>::as_ref(other_response)
            }
            (IndexSource::Embedded(bytes), IndexSource::Embedded(other_bytes)) => {
                bytes == other_bytes
            }
            _ => false,
        }
    }
}

/// Renders the reader into `#app`.
///
/// `build` is the id of the build this program belongs to; the index must carry the same
/// one, or the page says they disagree instead of searching. `index` is the index's bytes
/// when the document carries them (a `Uint8Array`), or else the promise of the response to
/// the request for `index_url`, made before the program was loaded.
#[wasm_bindgen]
pub fn start(build: String, index_url: String, index: JsValue) -> Result<(), JsValue> {
    let root = browser::document()
        .get_element_by_id("app")
        .ok_or_else(|| JsValue::from_str("la page n’a pas d’élément #app"))?;
    root.set_text_content(None);
    let index = if let Some(bytes) = index.dyn_ref::<js_sys::Uint8Array>() {
        IndexSource::Embedded(std::rc::Rc::new(bytes.to_vec()))
    } else {
        let response = index
            .dyn_into::<js_sys::Promise>()
            .map_err(|_| JsValue::from_str("le programme n’a reçu ni l’index ni sa requête"))?;
        IndexSource::Download {
            url: index_url,
            response,
        }
    };
    let props = app::AppProps {
        build: build.into(),
        index,
    };
    yew::Renderer::<app::App>::with_root_and_props(root, props).render();
    Ok(())
}
