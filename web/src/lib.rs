//! The reader's page: Yew components around the `lecteur` core, run in two places.
//!
//! - **At build time, natively**, [`prerender`] renders the home page and every
//!   article to HTML with these components (Yew's server-side rendering), and
//!   embeds in each page the data it was rendered from
//!   ([`lecteur::prerendered::Prerendered`]). The `lecteur-pages` binary writes
//!   those documents into the built site. Every page reads completely with no
//!   JavaScript at all.
//! - **In the browser, compiled to WebAssembly**, [`start`] takes over the page:
//!   its first render is the very view the HTML shows, made from the embedded
//!   data, so Yew adopts the HTML (hydration) instead of drawing it again; then
//!   the page follows the address, and opens the search engine (the index) for
//!   what needs it: results, the query's marks, pages the HTML did not bring.
//!
//! The core decides everything that can be decided without a browser (what each
//! address shows, search, snippets, marks); this crate wires browser events to
//! the core's [`lecteur::page`] reducer and renders its views. `www/main.js`
//! loads this program after the first paint and calls [`start`].

mod app;
// Browser calls compile natively too (web-sys), where only effects and event handlers, which
// server-side rendering never runs, call them.
mod browser;
#[cfg(not(target_arch = "wasm32"))]
pub mod prerender;
mod router;
mod views;

/// The id of the element of each prerendered page that carries its data (JSON).
pub const PAGE_DATA_ID: &str = "lecteur-page";

/// Where the page takes the index from.
#[derive(Clone)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    allow(dead_code, reason = "start() is the browser build's")
)]
pub(crate) enum IndexSource {
    /// A file of the site, and the promise of the response to the request `www/main.js`
    /// made for it (`name` is what messages call it).
    Download {
        name: String,
        response: js_sys::Promise,
    },
    /// Bytes carried by the document itself (the single-file edition opened from disk).
    Embedded(std::rc::Rc<Vec<u8>>),
}

impl PartialEq for IndexSource {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (
                IndexSource::Download { name, response },
                IndexSource::Download {
                    name: other_name,
                    response: other_response,
                },
            ) => {
                use wasm_bindgen::JsValue;
                name == other_name
                    && AsRef::<JsValue>::as_ref(response)
                        == AsRef::<JsValue>::as_ref(other_response)
            }
            (IndexSource::Embedded(bytes), IndexSource::Embedded(other_bytes)) => {
                std::rc::Rc::ptr_eq(bytes, other_bytes)
            }
            _ => false,
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use start::start;

#[cfg(target_arch = "wasm32")]
mod start {
    use std::rc::Rc;

    use lecteur::prerendered::Prerendered;
    use lecteur::route::Addressing;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;

    use crate::router::Site;
    use crate::{IndexSource, PAGE_DATA_ID, app, browser};

    /// Takes over the page in `#app`.
    ///
    /// `build` is the id of the build this program belongs to; the index must carry the same
    /// one, or the page says they disagree instead of searching. `root` is the site's root
    /// address (`https://host/prefix/`) where pages have addresses of their own, or `null` in
    /// the single-file edition, whose addresses live in the hash. `index` is the index's bytes
    /// when the document carries them (a `Uint8Array`), or else the promise of the response to
    /// the request for `index_name`, made before the program was loaded.
    #[wasm_bindgen]
    pub fn start(
        build: String,
        root: Option<String>,
        index_name: String,
        index: JsValue,
    ) -> Result<(), JsValue> {
        // A panic stops the program (`panic = "abort"`): first, the page says so (www/main.js).
        std::panic::set_hook(Box::new(|panic| browser::report_stop(&panic.to_string())));
        let element = browser::document()
            .get_element_by_id("app")
            .ok_or_else(|| JsValue::from_str("la page n’a pas d’élément #app"))?;
        let index = if let Some(bytes) = index.dyn_ref::<js_sys::Uint8Array>() {
            IndexSource::Embedded(Rc::new(bytes.to_vec()))
        } else {
            let response = index
                .dyn_into::<js_sys::Promise>()
                .map_err(|_| JsValue::from_str("le programme n’a reçu ni l’index ni sa requête"))?;
            IndexSource::Download {
                name: index_name,
                response,
            }
        };
        let site = match root {
            Some(root) => Site::new(Addressing::Paths, root),
            None => Site::new(Addressing::Hash, String::new()),
        };
        let page = browser::element_text(PAGE_DATA_ID)
            .map(|json| Prerendered::from_json(&json))
            .transpose()
            .map_err(|error| {
                JsValue::from_str(&format!("les données de la page sont illisibles ({error})"))
            })?
            .map(Rc::new);
        let props = app::AppProps {
            build: build.into(),
            site,
            page: page.clone(),
            index: Some(index),
            typed: browser::search_box_text().into(),
        };
        let renderer = yew::Renderer::<app::App>::with_root_and_props(element.clone(), props);
        if page.is_some() {
            // The HTML is this very view: adopt it. Yew rewrites each text node as it does,
            // which collapses a selection made meanwhile: the page puts it back.
            browser::keep_selection();
            renderer.hydrate();
        } else {
            element.set_text_content(None);
            renderer.render();
        }
        Ok(())
    }
}
