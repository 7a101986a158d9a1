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
//! const engine = await wasm_bindgen.Engine.fromUrl('index.bin', null); // or new Engine(bytes, null)
//! const { hits, total } = engine.search('hadopi', { year: 2014, limit: 20 });
//! const { address } = engine.shareLink(hits[0].slug, { block: 0, offset: 0 }, { block: 0, offset: 12 });
//! ```
//!
//! An archive's index holds its articles without their texts: a search then names the hits
//! shown without passages in `missing_texts`, and `marks`, `article`, `shareLink` and
//! `findPassage` throw code `texte-absent` with the slugs in `missing`. Give the engine
//! each text file (`Engine.textPath(slug)`, relative to the index's folder) and ask again:
//!
//! ```js
//! let found = engine.search('hadopi');
//! for (const slug of found.missing_texts ?? []) {
//!   const bytes = new Uint8Array(await (await fetch(wasm_bindgen.Engine.textPath(slug))).arrayBuffer());
//!   engine.supplyText(bytes);
//! }
//! found = engine.search('hadopi');               // now with the passages
//! ```
//!
//! Its index may be read by parts too (`readByParts`): then a search or the marks throw code
//! `index-partiel` with the parts they need in `missing`, all those of one step at once (the
//! dictionary, then the postings: two or three rounds for a query):
//!
//! ```js
//! for (;;) {
//!   try { found = engine.search('hadopi'); break; } catch (error) {
//!     if (error.code !== 'index-partiel') throw error;
//!     await Promise.all(error.missing.map(async (path) =>
//!       engine.supplyPart(path, new Uint8Array(await (await fetch(path)).arrayBuffer()))));
//!   }
//! }
//! ```
//!
//! Errors are JavaScript `Error`s whose `message` is French, for the reader, and
//! whose `code` is stable, for programs ([`lecteur::protocol::code`]).
//!
//! It owns nothing but this translation, a thin wasm-bindgen shell: what the
//! answers are is decided by [`lecteur::engine`], natively tested. It depends on
//! `lecteur` and the wasm-bindgen crates only, never on the page's (yew, web-sys).

use lecteur::Library;
use lecteur::engine::{self, Point};
use lecteur::found::{Filters, Order, RESULTS_PAGE};
use lecteur::protocol::{EngineError, Question, Reply, code};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// The version of this API; it changes when a call or a shape changes incompatibly.
#[wasm_bindgen(js_name = apiVersion)]
pub fn api_version() -> u32 {
    1
}

/// The options of [`Engine::search`], flat for JavaScript: `{ source, year, order, limit }`.
#[derive(Deserialize)]
#[serde(default)]
struct SearchOptions {
    source: Option<String>,
    year: Option<u16>,
    order: Order,
    limit: usize,
}

const SEARCH_OPTIONS: [&str; 4] = ["source", "year", "order", "limit"];

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
        let library = engine::open(bytes, build.as_deref()).map_err(to_js_error)?;
        Ok(Engine { library })
    }

    /// Downloads the index bundle at `url` (relative to the page or the worker) and opens it
    /// as [`Engine::new`] does. A failed download is code `ouverture`, its message naming the
    /// server's answer.
    #[wasm_bindgen(js_name = fromUrl)]
    pub async fn from_url(url: String, build: Option<String>) -> Result<Engine, JsValue> {
        let bytes = download(&url).await.map_err(|reason| {
            to_js_error(EngineError::new(
                code::OPEN,
                format!("l’index « {url} » n’a pas pu être téléchargé ({reason})"),
            ))
        })?;
        Engine::new(bytes, build)
    }

    /// Where the text of the article `slug` is, relative to the folder of the index, when the
    /// index holds the texts apart: `a/SLUG/texte.json`.
    #[wasm_bindgen(js_name = textPath)]
    pub fn text_path(slug: String) -> String {
        lecteur::bundle::text_path(&slug)
    }

    /// Whether the index holds its articles without their texts (an archive's), which are then
    /// given with [`Engine::supply_text`].
    #[wasm_bindgen(getter, js_name = textsApart)]
    pub fn texts_apart(&self) -> bool {
        self.library.texts_apart()
    }

    /// Takes the bytes of an article's text file (`Engine.textPath(slug)`), checked to be one
    /// of this index's articles and of its build, for the searches, marks and articles that
    /// need it; the engine keeps the last few hundred. Returns its slug. Code `autre-version`
    /// for a text of another build, `texte-illisible` for a damaged one.
    #[wasm_bindgen(js_name = supplyText)]
    pub fn supply_text(&self, bytes: Vec<u8>) -> Result<String, JsValue> {
        engine::supply(&self.library, &bytes).map_err(to_js_error)
    }

    /// Whether the index is read by parts (an archive's): a search, or the marks, may then
    /// throw code `index-partiel` with the parts it needs in `missing` (`i/N.bin`, relative to
    /// the index's folder), to give with [`Engine::supply_part`] before asking again.
    #[wasm_bindgen(getter, js_name = readByParts)]
    pub fn read_by_parts(&self) -> bool {
        self.library.read_by_parts()
    }

    /// Takes the bytes of the part `path` of an index read by parts, as an error of code
    /// `index-partiel` named it; checked against the index's CRC32 of it, or, for a file of
    /// the list's excerpts (`l/N.json`) or the titles (`titres.json`), against its build and
    /// place (code `partie-illisible` for a damaged one or one of another build).
    #[wasm_bindgen(js_name = supplyPart)]
    pub fn supply_part(&self, path: String, bytes: Vec<u8>) -> Result<(), JsValue> {
        engine::supply_part(&self.library, &path, &bytes).map_err(to_js_error)
    }

    /// The articles, in the folder's order: `[{ slug, title, source, date, excerpt }]`. An
    /// archive's (`textsApart`) come without their excerpts (empty): ask [`Engine::excerpts`]
    /// for those of the cards shown; and need its titles, filed apart: the first ask throws
    /// code `index-partiel` with `titres.json` in `missing`, to give with
    /// [`Engine::supply_part`].
    pub fn articles(&self) -> Result<JsValue, JsValue> {
        to_js(&engine::opened(&self.library).map_err(to_js_error)?.cards)
    }

    /// Whether every article's title is at hand (an archive's come apart, `titres.json`, given
    /// with [`Engine::supply_part`]): without, a search's hits whose texts are missing have no
    /// title either.
    #[wasm_bindgen(getter, js_name = titlesAtHand)]
    pub fn titles_at_hand(&self) -> bool {
        self.library.titles_at_hand()
    }

    /// The list's excerpts of the articles from `from` to `to` (excluded), at most 300 at
    /// once: `[excerpt]`. An archive's are filed apart: the first ask throws code
    /// `index-partiel` with the files in `missing` (`l/N.json`), to give with
    /// [`Engine::supply_part`] as parts are.
    pub fn excerpts(&self, from: usize, to: usize) -> Result<JsValue, JsValue> {
        to_js(&engine::excerpts(&self.library, from, to).map_err(to_js_error)?)
    }

    /// The articles matching `query`: `{ hits: [{ slug, title, title_marks, source, date,
    /// score, snippet, passages: [{ block, text, marks: [{ start, end }] }], reasons }], total,
    /// facets: { sources: [{ source, count }], years: [{ year, count }] }, partial,
    /// suggestion, missing_texts }`. Marks are byte ranges of the UTF-8 text; `missing_texts`
    /// (only for an index whose texts are apart) lists the hits shown without passages, whose
    /// texts to supply before asking again. `options` (all optional):
    /// `{ source, year, order: "relevance" | "date", limit }`; `limit` is 10 by default, at
    /// most 200. A query over its budget throws code `requete`.
    pub fn search(&self, query: String, options: JsValue) -> Result<JsValue, JsValue> {
        let SearchOptions {
            source,
            year,
            order,
            limit,
        } = if options.is_undefined() || options.is_null() {
            SearchOptions::default()
        } else {
            // serde-wasm-bindgen reads the fields it knows and ignores the rest: a misspelt
            // option would silently search without it.
            if let Some(unknown) = js_sys::Object::keys(&js_sys::Object::from(options.clone()))
                .iter()
                .filter_map(|key| key.as_string())
                .find(|key| !SEARCH_OPTIONS.contains(&key.as_str()))
            {
                return Err(to_js_error(EngineError::new(
                    code::BAD_REQUEST,
                    format!(
                        "option de recherche inconnue « {unknown} » (options : {})",
                        SEARCH_OPTIONS.join(", ")
                    ),
                )));
            }
            serde_wasm_bindgen::from_value(options).map_err(|error| {
                to_js_error(EngineError::new(
                    code::BAD_REQUEST,
                    format!("options de recherche illisibles : {error}"),
                ))
            })?
        };
        let filters = Filters {
            source,
            year,
            order,
        };
        to_js(&engine::search(&self.library, &query, &filters, limit).map_err(to_js_error)?)
    }

    /// The words of `query` marked in the article `slug`: `{ title, blocks }`, byte ranges of
    /// the title and of each block.
    pub fn marks(&self, slug: String, query: String) -> Result<JsValue, JsValue> {
        to_js(&engine::marks(&self.library, &slug, &query).map_err(to_js_error)?)
    }

    /// The article `slug`: `{ slug, title, source, date, blocks, … }`.
    pub fn article(&self, slug: String) -> Result<JsValue, JsValue> {
        to_js(&engine::article(&self.library, &slug).map_err(to_js_error)?)
    }

    /// The shared link of a selection in the article `slug`, between two points `{ block,
    /// offset }` (a block from 0, an offset in UTF-16 code units, as the DOM counts them; in
    /// either order): `{ passage, address }`, the `s=` value and the article's address with it
    /// (relative to the site's root). An empty selection throws code `passage`.
    #[wasm_bindgen(js_name = shareLink)]
    pub fn share_link(&self, slug: String, from: JsValue, to: JsValue) -> Result<JsValue, JsValue> {
        let point = |value: JsValue| {
            serde_wasm_bindgen::from_value::<Point>(value).map_err(|error| {
                to_js_error(EngineError::new(
                    code::BAD_REQUEST,
                    format!("un point de la sélection est illisible ({error})"),
                ))
            })
        };
        let link = engine::share_link(&self.library, &slug, point(from)?, point(to)?)
            .map_err(to_js_error)?;
        to_js(&link)
    }

    /// Where the passage of an `s=` value lies in the article `slug` now: `{ landing: "hint" |
    /// "exact" | "approximate", ranges: [{ block, start, end }] }` (UTF-16 offsets), or `null`
    /// when the article no longer has it. A damaged value throws code `passage`.
    #[wasm_bindgen(js_name = findPassage)]
    pub fn find_passage(&self, slug: String, passage: String) -> Result<JsValue, JsValue> {
        to_js(&engine::find_passage(&self.library, &slug, &passage).map_err(to_js_error)?)
    }

    /// The worker's entry: a question `{ id, request: { search: { query } } }` (or `marks`,
    /// `article`) in, a reply
    /// `{ id, answer }` or `{ id, error: { code, message } }` out; never throws for a bad
    /// question (it is an error reply).
    pub fn answer(&self, question: JsValue) -> JsValue {
        let reply = match serde_wasm_bindgen::from_value::<Question>(question) {
            Ok(Question { id, request }) => Reply::new(id, engine::answer(&self.library, &request)),
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
}

/// The bytes at `url`, by the global `fetch` (a page's or a worker's: the engine uses no
/// DOM); the reason it failed, in French, if it did.
async fn download(url: &str) -> Result<Vec<u8>, String> {
    use wasm_bindgen_futures::JsFuture;
    let global = js_sys::global();
    let call = |target: &JsValue, name: &str, arguments: &[JsValue]| -> Result<JsValue, String> {
        let function: js_sys::Function = js_sys::Reflect::get(target, &name.into())
            .ok()
            .and_then(|value| value.dyn_into().ok())
            .ok_or_else(|| format!("« {name} » est indisponible ici"))?;
        function
            .apply(target, &arguments.iter().collect())
            .map_err(|error| describe(&error))
    };
    let pending = |value: JsValue| JsFuture::from(js_sys::Promise::from(value));
    let response = pending(call(&global, "fetch", &[url.into()])?)
        .await
        .map_err(|_| "réseau indisponible ?".to_string())?;
    let ok = js_sys::Reflect::get(&response, &"ok".into())
        .ok()
        .and_then(|ok| ok.as_bool())
        .unwrap_or(false);
    if !ok {
        let status = js_sys::Reflect::get(&response, &"status".into())
            .ok()
            .and_then(|status| status.as_f64())
            .unwrap_or_default();
        return Err(format!("le serveur a répondu {status}"));
    }
    let buffer = pending(call(&response, "arrayBuffer", &[])?)
        .await
        .map_err(|_| "téléchargement interrompu".to_string())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// A JavaScript exception's message.
fn describe(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &"message".into())
        .ok()
        .and_then(|message| message.as_string())
        .unwrap_or_else(|| "erreur inconnue".to_string())
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
    if !error.missing.is_empty() {
        let missing: js_sys::Array = error.missing.iter().map(JsValue::from).collect();
        let _ = js_sys::Reflect::set(&js, &"missing".into(), &missing);
    }
    js.into()
}
