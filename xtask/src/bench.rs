//! `cargo xtask bench`: Lecteur against the JavaScript peers (Pagefind, MiniSearch, lunr with
//! lunr-languages' French) on the same articles, in one run of headless Chromium.
//!
//! Builds the site (`target/site`), installs the peers from `bench/peers/package-lock.json`,
//! builds their sites from the articles of the site's own index (`bench/peers/build.mjs`), then
//! runs `bench/peers.mjs`, which measures and writes `target/bench/peers.{md,json}`. What is
//! measured, and how, is said at the top of `bench/peers.mjs` and in the README.

use std::fs;

use crate::build;
use crate::process::{command, rel, root, run, say, target_dir};
use crate::setup;

#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    /// Cold loads per system and encoding.
    pub cold: u32,
    /// Timed passes over the warm query list.
    pub passes: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options { cold: 7, passes: 6 }
    }
}

pub fn run_all(options: &Options) -> Result<(), String> {
    setup::chromium()?;
    setup::node_packages()?;
    let peers_packages = root().join("bench/peers");
    setup::npm_ci(&peers_packages)?;

    let site = build::site(&build::Options::new(None, None))?;
    let out = target_dir().join("bench");
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", rel(&out).display()))?;
    let peers = out.join("peers");

    say!("building the peers' sites into {}…", rel(&peers).display());
    run(
        command("node")
            .arg(peers_packages.join("build.mjs"))
            .arg("--bundle")
            .arg(site.join("index.bin"))
            .arg("--out")
            .arg(&peers),
        "see the message above; `rm -rf bench/peers/node_modules` and run again to reinstall the peers",
    )?;

    say!(
        "measuring Lecteur and the peers in Chromium ({} cold loads each per encoding, {} warm passes)…",
        options.cold,
        options.passes
    );
    run(
        command("node")
            .arg(root().join("bench/peers.mjs"))
            .arg("--site")
            .arg(&site)
            .arg("--peers")
            .arg(&peers)
            .arg("--out")
            .arg(&out)
            .args(["--cold", &options.cold.to_string()])
            .args(["--passes", &options.passes.to_string()]),
        "see the message above",
    )?;
    say!(
        "results written to {} and {}",
        rel(&out.join("peers.md")).display(),
        rel(&out.join("peers.json")).display()
    );
    Ok(())
}
