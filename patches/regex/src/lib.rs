//! The `regex` crate as tantivy sees it, backed by `regex-lite`.
//!
//! tantivy compiles a regex to escape slashes when it prints a facet, and that
//! printing is reachable from every query's `Debug`, so the full `regex` crate
//! and its Unicode tables (~150 KB of the page after gzip) ship even though
//! the reader never runs a regex of its own. `regex-lite` has the same API
//! for what tantivy calls (`Regex::new`, `escape`, `is_match`, `replace_all`,
//! `find_at`), with ASCII-only classes, which is all those callers need.

pub use regex_lite::*;
