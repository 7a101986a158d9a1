//! Lecteur's search: the French analyzer, the index bundle, and the library that
//! answers queries, on top of the engine-free [`lecteur_core`].
//!
//! Compiled natively for the indexer (`lecteur-index`), the page renderer and the
//! tests, and to WebAssembly for the engine (`lecteur-engine`), which runs in a
//! Web Worker beside the page. The page itself never links this crate.
//!
//! It owns the analyzer, the bundle format and the search. The indexer and the
//! engine share them by being this one crate: a change to an analysis chain bumps
//! [`analysis::ANALYZER_VERSION`], one to the bundle's layout, header or schema
//! [`bundle::FORMAT`], and [`Library::open`] refuses a bundle whose versions
//! differ. It must never depend directly on browser bindings (web-sys, js-sys,
//! wasm-bindgen, yew; in wasm, only the `getrandom` and `uuid` that tantivy pulls
//! in bring their JavaScript backends): the engine's JavaScript API is
//! `lecteur-engine`'s.
//!
//! The path of an article through it:
//!
//! 1. [`article`] (from the core) parses a Markdown source into an [`Article`].
//! 2. [`bundle::build`] indexes the articles with the [`analysis`] chain and packs
//!    the tantivy files and the articles into one bundle file (native only).
//! 3. [`Library::open`] reads that bundle back, in the engine or in a test, and
//!    [`Library::search`] answers queries with [`Hit`]s whose snippets carry match
//!    ranges, never HTML ([`found`], from the core, is their shape).
//! 4. [`Library::marks`] marks a query's words in an article as the search does.

pub mod analysis;
pub mod bundle;
mod directory;
pub mod engine;
pub mod highlight;
pub mod library;
pub mod parts;
pub mod query;
pub mod schema;
pub mod vocabulary;

// The engine-free part, under the same paths as before it was a crate of its own.
pub use lecteur_core::{anchor, article, found, page, percent, prerendered, protocol, route};

pub use article::{Article, ArticleDate, Block};
pub use highlight::{Highlighter, Reason, Snippet};
pub use library::{ArticleMarks, Hit, Library, SearchResults};
pub use query::MatchKind;
pub use route::Route;
