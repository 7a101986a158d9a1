//! The shared core of Lecteur, a reader for French news articles that searches
//! entirely in the browser.
//!
//! Everything both sides need lives here and is compiled twice: natively for the
//! indexer (`lecteur-index`) and the tests, and to WebAssembly for the page
//! (`lecteur-web`). The two programs are thin shells around it.
//!
//! The path of an article through the core:
//!
//! 1. [`article`] parses a Markdown source with front matter into an [`Article`].
//! 2. [`bundle::build`] indexes the articles with the [`analysis`] chain and packs
//!    the tantivy files and the articles into one bundle file (native only).
//! 3. [`Library::open`] reads that bundle back, in the browser or in a test, and
//!    [`Library::search`] answers queries with [`Hit`]s whose snippets carry match
//!    ranges, never HTML.
//! 4. [`route`] turns the page's address into a [`Route`] and back; [`page`]
//!    decides, from the route, what the page knows and the engine's state, what the
//!    page shows; [`prerendered`] is the data a page built ahead of time carries.
//! 5. [`anchor`] makes the text-quote anchors a link shares a passage with, and
//!    finds them again in an article, even after it was edited.

pub mod analysis;
pub mod anchor;
pub mod article;
pub mod bundle;
mod directory;
pub mod highlight;
pub mod library;
pub mod page;
pub mod percent;
pub mod prerendered;
pub mod query;
pub mod route;
pub mod schema;

pub use article::{Article, ArticleDate, Block};
pub use highlight::{Highlighter, Reason, Snippet};
pub use library::{ArticleMarks, Hit, Library, SearchResults};
pub use query::MatchKind;
pub use route::Route;
