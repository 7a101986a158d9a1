//! `cargo xtask scale`: how the reader grows with its corpus.
//!
//! 1. [`generate`] writes corpora of French-looking articles (100, 1,000 and 10,000 by default)
//!    into `target/scale/N/articles`, in the format of `index/README.md`, from a model of the
//!    shipped articles; the same seed always writes the same bytes.
//! 2. [`measure`] runs, for each size, the release `lecteur-index --stats` (build time, peak
//!    memory), measures the bundle and its brotli and gzip sizes, and runs the release
//!    `examples/query_latency.rs` on it (open time, query median and p95).
//! 3. With `--browser-max N`, it also builds the site of each size up to N and runs
//!    `bench/scale-browser.mjs` on it (Chromium: cold load to the first result, warm query).
//! 4. With `--pagefind-max N`, it builds for each size up to N the site and the same articles
//!    as a Pagefind site (`bench/peers/build.mjs --only pagefind`), timing both builds, then
//!    measures them all in one Chromium run with `bench/archive.mjs` (bytes and time to a cold
//!    link's first result on the loopback and Slow 4G, warm queries, the tab's memory):
//!    `target/scale/archive.{md,json}`.
//! 5. [`report`] prints a Markdown table and writes it to `target/scale/results.md`, the figures
//!    to `target/scale/results.json` and a log-log plot to `target/scale/scale.svg`.

mod generate;
mod measure;
mod random;
mod report;

pub use measure::{against_pagefind, archive_bench};

use std::fs;
use std::path::Path;

use anyhow::{Context as _, Result, bail};

use crate::process::{cargo, rel, root, run, say, target_dir};
use generate::Model;

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 20_141_222;
/// The corpus sizes measured when none are given.
pub const DEFAULT_SIZES: [usize; 3] = [100, 1_000, 10_000];
/// Timed runs of each query (after a warm-up) when none are given.
pub const DEFAULT_RUNS: usize = 50;

/// What `cargo xtask scale` was asked for.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub sizes: Vec<usize>,
    pub seed: u64,
    pub runs: usize,
    /// Measure in Chromium the sizes up to this one (`None`: no browser figures).
    pub browser_max: Option<usize>,
    /// Measure against Pagefind the sizes up to this one (`None`: no comparison).
    pub pagefind_max: Option<usize>,
    /// Only write the corpora.
    pub generate_only: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            sizes: DEFAULT_SIZES.to_vec(),
            seed: DEFAULT_SEED,
            runs: DEFAULT_RUNS,
            browser_max: None,
            pagefind_max: None,
            generate_only: false,
        }
    }
}

/// Parses `100,1000,10000`.
pub fn parse_sizes(text: &str) -> Result<Vec<usize>> {
    let sizes: Result<Vec<usize>, _> = text.split(',').map(|n| n.trim().parse()).collect();
    match sizes {
        Ok(sizes) if !sizes.is_empty() && sizes.iter().all(|&n| n > 0) => Ok(sizes),
        _ => bail!(
            "`--sizes {text}` is not a list of article counts; write e.g. `--sizes 100,1000,10000`"
        ),
    }
}

/// `cargo xtask scale`.
pub fn all(options: &Options) -> Result<()> {
    let out = target_dir().join("scale");
    let model = Model::from_folder(&root().join("index/articles"))?;
    if !options.generate_only {
        say!("building the release indexer and examples/query_latency.rs…");
        run(
            cargo().args([
                "build",
                "--release",
                "--bin",
                "lecteur-index",
                "--example",
                "query_latency",
            ]),
            "fix the compile errors above",
        )?;
    }
    let mut rows = Vec::new();
    let mut against_pagefind = Vec::new();
    for &n in &options.sizes {
        let dir = out.join(n.to_string());
        let articles = dir.join("articles");
        say!(
            "writing {n} articles (seed {}) into {}…",
            options.seed,
            rel(&articles).display()
        );
        let corpus = model.write_corpus(options.seed, n, &articles)?;
        if options.generate_only {
            continue;
        }
        let mut row = measure::native(n, &corpus, &articles, &dir, options.runs)?;
        if options.browser_max.is_some_and(|max| n <= max) {
            row.browser = Some(measure::browser(&articles, &dir)?);
        }
        if options.pagefind_max.is_some_and(|max| n <= max) {
            against_pagefind.push(measure::against_pagefind(n, &articles, &dir)?);
        }
        say!("{}", report::table_line(&row));
        rows.push(row);
    }
    if options.generate_only {
        return Ok(());
    }
    let table = report::table(&rows);
    print!("{table}");
    let notes = format!(
        "Seed {}; {} timed runs of each of the {} queries of examples/query_latency.rs after a \
         warm-up.\n\n{table}",
        options.seed, options.runs, QUERY_COUNT
    );
    write(&out.join("results.md"), &notes)?;
    write(&out.join("results.json"), &report::json(options, &rows)?)?;
    write(&out.join("scale.svg"), &report::svg(&rows))?;
    say!(
        "wrote {0}/results.md, {0}/results.json and {0}/scale.svg",
        rel(&out).display()
    );
    if !against_pagefind.is_empty() {
        measure::archive_bench(&against_pagefind, &out)?;
    }
    Ok(())
}

/// Number of queries in examples/query_latency.rs (for the notes only).
const QUERY_COUNT: usize = 12;

fn write(path: &Path, text: &str) -> Result<()> {
    fs::create_dir_all(path.parent().expect("a file in a folder"))
        .and_then(|()| fs::write(path, text))
        .with_context(|| format!("cannot write {}", rel(path).display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sizes() {
        assert_eq!(parse_sizes("100,1000").unwrap(), [100, 1000]);
        assert_eq!(parse_sizes(" 10 , 20").unwrap(), [10, 20]);
        assert!(parse_sizes("100,x").is_err() && parse_sizes("0").is_err());
    }
}
