//! The single-file edition written by `cargo xtask dist` (and by the tests): the reader in one
//! HTML file that opens from disk (`file://`) with no server, made from a built site by the page
//! crate's own renderer (`lecteur-pages --single-file`, `web/src/prerender/single_file.rs`),
//! so that it is the same build, and its markup and policy are decided in one place.

use std::path::Path;

use anyhow::Result;

use crate::build::lecteur_pages;
use crate::process::{rel, run};

/// Writes the single file for the built site in `site` to `out`.
pub fn write(site: &Path, out: &Path) -> Result<()> {
    run(
        lecteur_pages()
            .arg("--single-file")
            .arg(rel(out))
            .arg(rel(site)),
        "see the page renderer's message above (web/src/prerender/single_file.rs)",
    )
}
