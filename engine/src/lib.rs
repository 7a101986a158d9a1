//! Lecteur's search engine for JavaScript: opens an index bundle and answers
//! searches, marks and articles as plain objects (the shapes of
//! [`lecteur::found`] and [`lecteur::protocol`], converted by
//! serde-wasm-bindgen, never built by hand).
//!
//! The reader's page runs it in a Web Worker (`www/engine-worker.js`), through
//! [`Engine::answer`]; any other page can use the same calls directly:
//!
//! ```js
//! importScripts('engine.js');                  // or <script src="engine.js">
//! await wasm_bindgen({ module_or_path: 'engine_bg.wasm' });
//! const bytes = new Uint8Array(await (await fetch('index.bin')).arrayBuffer());
//! const engine = new wasm_bindgen.Engine(bytes, null);
//! const { hits, total } = engine.search('hadopi', { year: 2014, limit: 20 });
//! ```
//!
//! Errors are JavaScript `Error`s whose `message` is French, for the reader, and
//! whose `code` is stable, for programs ([`lecteur::protocol::code`]).
//!
//! It owns nothing but this translation, a thin wasm-bindgen shell: what the
//! answers are is decided by [`lecteur::engine`], natively tested. It depends on
//! `lecteur` and the wasm-bindgen crates only, never on the page's (yew, web-sys).

use lecteur::Library;
use lecteur::found::{Filters, Order, RESULTS_PAGE};
use lecteur::protocol::{EngineError, Question, Reply, Request, code};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// The version of this API; it changes when a call or a shape changes incompatibly.
#[wasm_bindgen(js_name = apiVersion)]
pub fn api_version() -> u32 {
    1
}

/// The options of [`Engine::search`], flat for JavaScript: `{ source, year, order, limit }`.
#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
struct SearchOptions {
    source: Option<String>,
    year: Option<u16>,
    order: Order,
    limit: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            source: None,
            year: None,
            order: Order::Relevance,
            limit: RESULTS_PAGE,
        }
    }
}

/// An open index.
#[wasm_bindgen]
pub struct Engine {
    library: Library,
}

#[wasm_bindgen]
impl Engine {
    /// Opens the index bundle `bytes`. With `build`, refuses an index of another build
    /// (code `autre-version`); a damaged index is code `ouverture`.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: Vec<u8>, build: Option<String>) -> Result<Engine, JsValue> {
        let library = lecteur::engine::open(bytes, build.as_deref()).map_err(to_js_error)?;
        Ok(Engine { library })
    }

    /// The articles, in the folder's order: `{ opened: { cards: [{ slug, title, source, date,
    /// excerpt }] } }`.
    pub fn articles(&self) -> Result<JsValue, JsValue> {
        to_js(&lecteur::engine::opened(&self.library))
    }

    /// The articles matching `query`: `{ hits: [{ slug, title, title_marks, source, date,
    /// score, snippet, passages: [{ block, text, marks: [{ start, end }] }], reasons }], total,
    /// facets: { sources: [{ source, count }], years: [{ year, count }] }, partial,
    /// suggestion }`. Marks are byte ranges of the UTF-8 text. `options` (all optional):
    /// `{ source, year, order: "relevance" | "date", limit }`; `limit` is 10 by default, at
    /// most 200.
    pub fn search(&self, query: String, options: JsValue) -> Result<JsValue, JsValue> {
        let SearchOptions {
            source,
            year,
            order,
            limit,
        } = if options.is_undefined() || options.is_null() {
            SearchOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options).map_err(|error| {
                to_js_error(EngineError::new(
                    code::BAD_REQUEST,
                    format!("options de recherche illisibles : {error}"),
                ))
            })?
        };
        self.request(Request::Search {
            query,
            filters: Filters {
                source,
                year,
                order,
            },
            limit,
        })
    }

    /// The words of `query` marked in the article `slug`: `{ title, blocks }`.
    pub fn marks(&self, slug: String, query: String) -> Result<JsValue, JsValue> {
        self.request(Request::Marks { slug, query })
    }

    /// The article `slug`: `{ slug, title, source, date, blocks, … }`.
    pub fn article(&self, slug: String) -> Result<JsValue, JsValue> {
        self.request(Request::Article { slug })
    }

    /// The worker's entry: a question `{ id, request: { search: { query } } }` (or `marks`,
    /// `article`) in, a reply
    /// `{ id, answer }` or `{ id, error: { code, message } }` out; never throws for a bad
    /// question (it is an error reply).
    pub fn answer(&self, question: JsValue) -> JsValue {
        let reply = match serde_wasm_bindgen::from_value::<Question>(question) {
            Ok(Question { id, request }) => {
                Reply::new(id, lecteur::engine::answer(&self.library, &request))
            }
            Err(error) => Reply::new(
                lecteur::protocol::OPEN_ID,
                Err(EngineError::new(
                    code::BAD_REQUEST,
                    format!("le moteur a reçu une question illisible ({error})"),
                )),
            ),
        };
        to_js(&reply).unwrap_or_else(|error| error)
    }

    fn request(&self, request: Request) -> Result<JsValue, JsValue> {
        let answer = lecteur::engine::answer(&self.library, &request).map_err(to_js_error)?;
        to_js(&answer)
    }
}

/// `value` as plain JavaScript objects (maps as objects, not `Map`s).
fn to_js(value: &impl Serialize) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| {
            to_js_error(EngineError::new(
                code::INDEX,
                format!("une réponse du moteur n’a pas pu être transmise ({error})"),
            ))
        })
}

/// A JavaScript `Error` with the French message and the stable `code`.
fn to_js_error(error: EngineError) -> JsValue {
    let js = js_sys::Error::new(&error.message);
    let _ = js_sys::Reflect::set(&js, &"code".into(), &error.code.into());
    js.into()
}
