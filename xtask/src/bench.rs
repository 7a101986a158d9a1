//! `cargo xtask bench`: Lecteur measured in one run of headless Chromium, against the
//! JavaScript peers (Pagefind, MiniSearch, lunr with lunr-languages' French) on the same
//! articles, against a bare HTML page of each article, and against its own earlier build.
//!
//! Builds the site (`target/site`) and the earlier build it is compared with (`--before REV`,
//! from the repository's history, into `target/bench/avant-REV/`, kept for the next runs),
//! installs the peers from `bench/peers/package-lock.json`, builds their sites from the
//! articles of the site's own index (`bench/peers/build.mjs`), then runs `bench/peers.mjs`
//! (bytes to the first result, cold navigation, warm queries: `target/bench/peers.{md,json}`)
//! and `bench/pages.mjs` (article text, shared passage and first result over the network
//! profiles: `target/bench/pages.{md,json}`), then `bench/worker.mjs` against the last build
//! that ran the engine on the page's main thread ([`SINGLE_PROGRAM`]), on the site and on the
//! generated archive of 10,000 articles (the page's program, time to interactive, typing:
//! `target/bench/worker.{md,json}`), and last `bench/archive.mjs`, that archive against
//! Pagefind's site of the same articles (bytes, cold and warm times, memory, builds:
//! `target/bench/archive.{md,json}`). What each measures, and how, is said at its top and in
//! the README.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::build;
use crate::process::{cargo, command, rel, root, run, say, target_dir};
use crate::scale;
use crate::setup;

/// The build the figures are compared with by default: the last landed build before the pages
/// were rendered ahead of time (issue 12), one program that drew every page from nothing.
pub const BEFORE: &str = "196a33a";

/// The last landed build with one program, the engine on the page's main thread (before
/// issue 16), which `bench/worker.mjs` compares the page and its worker with.
pub const SINGLE_PROGRAM: &str = "6fbe36a";

/// The generated archive typing is measured on.
const ARCHIVE_ARTICLES: usize = 10_000;

#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    /// Cold loads per system and encoding (per cell, over each network profile).
    pub cold: u32,
    /// Timed passes over the warm query list.
    pub passes: u32,
    /// The revision of the build compared with.
    pub before: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            cold: 7,
            passes: 6,
            before: BEFORE.to_string(),
        }
    }
}

/// Builds the peers' sites (`only`: some of them, e.g. `pagefind`) from the articles of the
/// index bundle `bundle` into `out`, installing them first from `bench/peers/package-lock.json`.
pub fn build_peers(bundle: &Path, out: &Path, only: Option<&str>) -> Result<()> {
    let packages = root().join("bench/peers");
    setup::npm_ci(&packages)?;
    let mut build = command("node");
    build
        .arg(packages.join("build.mjs"))
        .arg("--bundle")
        .arg(bundle)
        .arg("--out")
        .arg(out);
    if let Some(only) = only {
        build.args(["--only", only]);
    }
    run(
        &mut build,
        "see the message above; `rm -rf bench/peers/node_modules` and run again to reinstall the peers",
    )
}

pub fn run_all(options: &Options) -> Result<()> {
    setup::chromium()?;
    setup::node_packages()?;

    let site = build::site(&build::Options::new(None, None))?;
    let before = earlier_build(&options.before, None, "site")?;
    let out = target_dir().join("bench");
    fs::create_dir_all(&out).with_context(|| format!("cannot create {}", rel(&out).display()))?;
    let peers = out.join("peers");

    say!("building the peers' sites into {}…", rel(&peers).display());
    build_peers(&site.join("index.bin"), &peers, None)?;

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
        "measuring the pages over the network profiles ({} cold loads per cell)…",
        options.cold
    );
    run(
        command("node")
            .arg(root().join("bench/pages.mjs"))
            .arg("--site")
            .arg(&site)
            .arg("--before")
            .arg(&before)
            .arg("--peers")
            .arg(&peers)
            .arg("--out")
            .arg(&out)
            .args(["--runs", &options.cold.to_string()]),
        "see the message above",
    )?;
    worker(&site, &out, options.cold)?;
    say!(
        "results written to {}, {}, {}, {} and their .json",
        rel(&out.join("peers.md")).display(),
        rel(&out.join("pages.md")).display(),
        rel(&out.join("worker.md")).display(),
        rel(&out.join("archive.md")).display()
    );
    Ok(())
}

/// `bench/worker.mjs`: this build against [`SINGLE_PROGRAM`], on the site and on the archive.
fn worker(site: &Path, out: &Path, cold: u32) -> Result<()> {
    let single = earlier_build(SINGLE_PROGRAM, None, "site")?;
    let corpus = target_dir().join(format!("scale/{ARCHIVE_ARTICLES}/articles"));
    scale::all(&scale::Options {
        sizes: vec![ARCHIVE_ARTICLES],
        generate_only: true,
        ..scale::Options::default()
    })?;
    let name = format!("archive-{ARCHIVE_ARTICLES}");
    // Built, and timed, as `cargo xtask scale --pagefind-max` builds it, with Pagefind's site
    // of the same articles beside it.
    let archive = scale::against_pagefind(ARCHIVE_ARTICLES, &corpus, &out.join(&name))?;
    let archive_single = earlier_build(SINGLE_PROGRAM, Some(&corpus), &name)?;
    say!(
        "measuring the page and its engine's worker against one program ({cold} cold loads per cell)…"
    );
    run(
        command("node")
            .arg(root().join("bench/worker.mjs"))
            .arg("--site")
            .arg(site)
            .arg("--before")
            .arg(&single)
            .arg("--archive")
            .arg(&archive.site)
            .arg("--archive-before")
            .arg(&archive_single)
            .args(["--cold", &cold.to_string()]),
        "see the message above",
    )?;
    scale::archive_bench(&[archive], out)
}

/// The site of revision `rev` (from `articles`, or its own), built from the repository's
/// history with its own `cargo xtask build` into `target/bench/avant-REV/NAME` (its own target
/// directory: the two builds' outputs share names), and kept there for the next runs.
fn earlier_build(rev: &str, articles: Option<&Path>, name: &str) -> Result<PathBuf> {
    let base = target_dir().join("bench").join(format!("avant-{rev}"));
    let site = base.join(name);
    if site.join("index.html").is_file() {
        say!(
            "comparing with the build of {rev} kept in {}",
            rel(&site).display()
        );
        return Ok(site);
    }
    let source = base.join("source");
    if source.join("Cargo.toml").is_file() {
        return build_earlier(&source, &base, articles, site);
    }
    let _ = fs::remove_dir_all(&source);
    fs::create_dir_all(&source)
        .with_context(|| format!("cannot create {}", rel(&source).display()))?;
    let archive = base.join("source.tar");
    say!(
        "building {rev}, the build the figures are compared with (once; kept in {})…",
        rel(&base).display()
    );
    run(
        command("git")
            .args(["archive", "--format=tar", "-o"])
            .arg(&archive)
            .arg(rev),
        "the revision must be in this repository's history; pass another with `--before REV`",
    )?;
    run(
        command("tar")
            .arg("-xf")
            .arg(&archive)
            .arg("-C")
            .arg(&source),
        "see tar's message above",
    )?;
    build_earlier(&source, &base, articles, site)
}

/// Runs the earlier source's own `cargo xtask build` into `site`.
fn build_earlier(
    source: &Path,
    base: &Path,
    articles: Option<&Path>,
    site: PathBuf,
) -> Result<PathBuf> {
    let mut build = cargo();
    build
        .current_dir(source)
        .args(["xtask", "build", "--out"])
        .arg(&site)
        .env("CARGO_TARGET_DIR", base.join("target"));
    if let Some(articles) = articles {
        build.arg("--articles").arg(articles);
    }
    run(&mut build, "see the earlier build's message above")?;
    Ok(site)
}
