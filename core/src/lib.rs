//! The part of Lecteur that needs no search engine: what an article is, what
//! an address means, how a shared passage is written and found again, what a
//! search finds, what the page shows, and how the page talks to its engine.
//!
//! It owns every rule that needs neither a search engine nor a browser, so that
//! each is tested natively and shared by the page, the engine and the tools.
//! It depends on serde (and serde_json, thiserror) and nothing heavier: it must
//! never depend on tantivy, since the page's WebAssembly is built from it alone
//! (the engine runs apart, in a Web Worker, from the `lecteur` crate built on
//! top of this one), nor on browser bindings (web-sys, yew, wasm-bindgen).
//!
//! - [`article`] parses a Markdown source with front matter into an [`Article`].
//! - [`route`] turns the page's address into a [`Route`] and back ([`percent`]
//!   is its codec); [`anchor`] makes the text-quote anchors a link shares a
//!   passage with, and finds them again in an article, even after it was edited.
//! - [`found`] is what a search hands back: hits, passages, marks, reasons.
//! - [`prerendered`] is the data a page built ahead of time carries; [`page`]
//!   decides, from the route, what the page knows and the engine's state, what
//!   the page shows.
//! - [`protocol`] is the messages between the page and the engine's worker, and
//!   the rule that an answer to a replaced question is dropped.
//! - [`offline`] is what the page says of the archive's copy on the device, and
//!   offers to do about it (download the rest, cancel, resume).

pub mod anchor;
pub mod article;
pub mod found;
pub mod offline;
pub mod page;
pub mod percent;
pub mod prerendered;
pub mod protocol;
pub mod route;

pub use article::{Article, ArticleDate, Block};
pub use found::{ArticleMarks, Hit, MatchKind, Reason, SearchResults, Snippet};
pub use route::Route;

/// The environment variable through which the site's build tool (`cargo xtask build`) gives the
/// indexer (`lecteur-index`) the build id to stamp into the index header. The page is told the
/// same id, and refuses an index of another build: a cached page of one deploy must never
/// search the index of another.
pub const BUILD_ID_VAR: &str = "LECTEUR_BUILD_ID";
