//! The reader's page: Yew components around `lecteur-core`, run in two places.
//!
//! - **At build time, natively**, [`prerender`] renders the home page and every
//!   article to HTML with these components (Yew's server-side rendering), and
//!   embeds in each page the data it was rendered from
//!   ([`lecteur_core::prerendered::Prerendered`]). The `lecteur-pages` binary writes
//!   those documents into the built site. Every page reads completely with no
//!   JavaScript at all.
//! - **In the browser, compiled to WebAssembly**, [`start`] takes over the page:
//!   its first render is the very view the HTML shows, made from the embedded
//!   data, so Yew adopts the HTML (hydration) instead of drawing it again; then
//!   the page follows the address, and asks the search engine, which runs in a
//!   Web Worker with its own WebAssembly ([`engine`]), for what needs it:
//!   results, the query's marks, articles the HTML did not bring.
//!
//! The core decides everything that can be decided without a browser (what each
//! address shows, shared passages); the engine searches and marks; this crate
//! wires browser events and the engine's replies to the core's
//! [`lecteur_core::page`] reducer and renders its views. `www/main.js` starts the
//! engine's worker and loads this program after the first paint, then calls
//! [`start`].
//!
//! Compiled to WebAssembly it must never depend on `lecteur` (tantivy), so its
//! wasm is the page's alone: of this workspace's crates, only `lecteur-core`
//! (see `Cargo.toml`). Natively the package also depends on `lecteur`, which only
//! the `lecteur-pages` binary uses, to read the bundle's header.

mod app;
// Browser calls compile natively too (web-sys), where only effects and event handlers, which
// server-side rendering never runs, call them.
mod browser;
mod engine;
#[cfg(not(target_arch = "wasm32"))]
pub mod prerender;
mod router;
mod views;

/// The id of the element of each prerendered page that carries its data (JSON).
pub const PAGE_DATA_ID: &str = "lecteur-page";

/// The connection `www/main.js` made to the engine's worker; equal when it is the same one.
#[derive(Clone)]
pub(crate) struct EngineSource(pub engine::Connection);

impl PartialEq for EngineSource {
    fn eq(&self, other: &Self) -> bool {
        use wasm_bindgen::JsValue;
        AsRef::<JsValue>::as_ref(&self.0) == AsRef::<JsValue>::as_ref(&other.0)
    }
}

#[cfg(target_arch = "wasm32")]
pub use start::start;

#[cfg(target_arch = "wasm32")]
mod start {
    use std::rc::Rc;

    use lecteur_core::prerendered::Prerendered;
    use lecteur_core::route::Addressing;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;

    use crate::router::Site;
    use crate::{EngineSource, PAGE_DATA_ID, app, browser};

    /// Takes over the page in `#app`.
    ///
    /// `build` is the id of the build this program belongs to. `root` is the site's root
    /// address (`https://host/prefix/`) where pages have addresses of their own, or `null` in
    /// the single-file edition, whose addresses live in the hash. `engine` is the connection
    /// `www/main.js` made to the engine's worker, which it already asked to open the index
    /// of the same build.
    #[wasm_bindgen]
    pub fn start(build: String, root: Option<String>, engine: JsValue) -> Result<(), JsValue> {
        // A panic stops the program (`panic = "abort"`): first, the page says so (www/main.js).
        std::panic::set_hook(Box::new(|panic| browser::report_stop(&panic.to_string())));
        let element = browser::document()
            .get_element_by_id("app")
            .ok_or_else(|| JsValue::from_str("la page n’a pas d’élément #app"))?;
        if engine.is_null() || engine.is_undefined() {
            return Err(JsValue::from_str(
                "le programme n’a pas reçu son moteur de recherche",
            ));
        }
        let engine = EngineSource(engine.unchecked_into());
        let site = match root {
            Some(root) => Site::new(Addressing::Paths, root),
            None => Site::new(Addressing::Hash, String::new()),
        };
        // Read by the browser's JSON parser and converted as the engine's messages are: the
        // page's wasm then carries one decoder of articles, and no JSON parser of its own.
        let unreadable = |error: String| {
            JsValue::from_str(&format!("les données de la page sont illisibles ({error})"))
        };
        let page = browser::element_text(PAGE_DATA_ID)
            .map(|json| {
                let value =
                    js_sys::JSON::parse(&json).map_err(|error| unreadable(format!("{error:?}")))?;
                serde_wasm_bindgen::from_value::<Prerendered>(value)
                    .map_err(|error| unreadable(error.to_string()))
            })
            .transpose()?
            .map(Rc::new);
        let props = app::AppProps {
            build: build.into(),
            site,
            page: page.clone(),
            engine: Some(engine),
            typed: browser::search_box_text().into(),
        };
        // Reading the page's data was this task's work; adopting the HTML is the next one's.
        // The browser compiles each function of the program the first time it runs, on this
        // thread: the work of taking the page over comes in three tasks, not one long one.
        browser::in_next_task(move || {
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
        });
        Ok(())
    }
}
