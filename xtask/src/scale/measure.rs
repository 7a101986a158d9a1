//! The measures of `cargo xtask scale` for one corpus size: the release indexer's build time
//! and peak memory, the bundle's raw, brotli and gzip sizes, the native open and query times
//! (`examples/query_latency.rs`), and, for the sizes asked for, the site's in Chromium
//! (`bench/scale-browser.mjs`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use serde::Deserialize;

use super::generate::Corpus;
use crate::process::{command, output_of, rel, root, run, say, target_dir};
use crate::{bench, build};

/// The figures of one corpus size.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub corpus: Corpus,
    pub build_seconds: f64,
    pub peak_rss_kib: Option<u64>,
    pub index_bytes: u64,
    /// Bytes of the bundle's JSON header, which holds every article in full.
    pub header_bytes: u64,
    pub index_br: u64,
    pub br_quality: u32,
    pub index_gz: u64,
    pub read_ms: f64,
    pub open_ms: f64,
    pub query_median_ms: f64,
    pub query_p95_ms: f64,
    pub rss_after_open_kib: Option<u64>,
    pub browser: Option<Browser>,
}

/// Figures measured in Chromium.
#[derive(Debug, Clone, Default)]
pub struct Browser {
    pub load_ms: f64,
    pub query_ms: f64,
}

/// Indexes the corpus of `n` articles in `articles` into `dir`, and measures the index.
pub fn native(n: usize, corpus: &Corpus, articles: &Path, dir: &Path, runs: usize) -> Result<Row> {
    let release = target_dir().join("release");
    let bundle = dir.join("index.bin");
    say!("indexing {n} articles…");
    let started = Instant::now();
    let output = output_of(
        Command::new(release.join("lecteur-index"))
            .arg("--stats")
            .arg(articles)
            .arg(&bundle),
    )?;
    let build_seconds = started.elapsed().as_secs_f64();
    let peak_rss_kib = value(&output, "peak_rss_kib").and_then(|v| v.parse().ok());
    let index_bytes = fs::metadata(&bundle)
        .with_context(|| format!("cannot read {}", rel(&bundle).display()))?
        .len();
    let header_bytes = header_len(&bundle)?;

    let br_quality = if index_bytes <= BROTLI_11_MAX { 11 } else { 9 };
    say!("compressing the index of {n} articles (brotli {br_quality}, gzip 9)…");
    let sizes = output_of(
        command("node")
            .arg("-e")
            .arg(COMPRESSED_SIZES)
            .arg(&bundle)
            .arg(br_quality.to_string()),
    )?;
    let size = |key| {
        value(&sizes, key)
            .and_then(|v| v.parse().ok())
            .with_context(|| format!("node printed no {key} size: {sizes}"))
    };
    let (index_br, index_gz) = (size("br")?, size("gz")?);

    say!("querying the index of {n} articles ({runs} runs per query)…");
    let latency = output_of(
        Command::new(release.join("examples/query_latency"))
            .arg(&bundle)
            .arg("--runs")
            .arg(runs.to_string()),
    )?;
    let number = |key| -> Result<f64> {
        value(&latency, key)
            .and_then(|v| v.parse().ok())
            .with_context(|| format!("query_latency printed no {key}: {latency}"))
    };
    Ok(Row {
        corpus: corpus.clone(),
        build_seconds,
        peak_rss_kib,
        index_bytes,
        header_bytes,
        index_br,
        br_quality,
        index_gz,
        read_ms: number("read_ms")?,
        open_ms: number("open_ms")?,
        query_median_ms: number("median_ms")?,
        query_p95_ms: number("p95_ms")?,
        rss_after_open_kib: value(&latency, "rss_after_open_kib").and_then(|v| v.parse().ok()),
        browser: None,
    })
}

/// The length of a bundle's JSON header: a `u32` LE after the 8-byte magic and the 4-byte
/// format version (`src/bundle.rs`).
fn header_len(bundle: &Path) -> Result<u64> {
    use std::io::Read;
    let mut start = [0u8; 16];
    fs::File::open(bundle)
        .and_then(|mut file| file.read_exact(&mut start))
        .with_context(|| format!("cannot read {}", rel(bundle).display()))?;
    if &start[..8] != b"LECTEUR\0" {
        bail!("{} is not an index bundle", rel(bundle).display());
    }
    Ok(u64::from(u32::from_le_bytes([
        start[12], start[13], start[14], start[15],
    ])))
}

/// Largest bundle compressed with brotli's quality 11, as `tools/precompress.js` does; larger
/// ones get quality 9, since 11 runs at about 1 MB/s (minutes for the largest corpus on a
/// shared 2-core machine). Quality 9 comes out a few percent larger.
const BROTLI_11_MAX: u64 = 16 << 20;

/// Prints `br=N gz=N` for the file named by its first argument, compressed with brotli at the
/// quality of its second argument and gzip 9, as `tools/precompress.js` does.
const COMPRESSED_SIZES: &str = "\
const fs = require('node:fs'); const zlib = require('node:zlib');
const data = fs.readFileSync(process.argv[1]);
const br = zlib.brotliCompressSync(data, { params: {
  [zlib.constants.BROTLI_PARAM_QUALITY]: Number(process.argv[2]),
  [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
console.log(`br=${br.length} gz=${zlib.gzipSync(data, { level: 9 }).length}`);";

/// Builds the site of the corpus in `articles` into `dir/site` and measures it in Chromium.
pub fn browser(articles: &Path, dir: &Path) -> Result<Browser> {
    let site = dir.join("site");
    build::site(&build::Options::new(
        Some(articles.to_path_buf()),
        Some(site.clone()),
    ))?;
    let script = root().join("bench/scale-browser.mjs");
    say!("loading the site of {} in Chromium…", rel(&site).display());
    let output = output_of(command("node").arg(&script).arg("--site").arg(&site))?;
    let figures: BrowserFigures = serde_json::from_str(&output)
        .with_context(|| format!("bench/scale-browser.mjs printed no figures: {output}"))?;
    Ok(Browser {
        load_ms: figures.load_median_ms,
        query_ms: figures.query_median_ms,
    })
}

/// One corpus built twice for `bench/archive.mjs`: Lecteur's site and Pagefind's.
pub struct AgainstPagefind {
    articles: usize,
    /// Lecteur's site.
    pub site: PathBuf,
    pagefind: PathBuf,
    site_seconds: f64,
    pagefind_seconds: f64,
}

/// Builds the site of the corpus in `articles` into `dir/site`, and the same articles (read from
/// that site's bundle) as Pagefind's site into `dir/pagefind`, timing each build whole (the
/// index, the pages, their compressed copies).
pub fn against_pagefind(n: usize, articles: &Path, dir: &Path) -> Result<AgainstPagefind> {
    let site = dir.join("site");
    let started = Instant::now();
    build::site(&build::Options::new(
        Some(articles.to_path_buf()),
        Some(site.clone()),
    ))?;
    let site_seconds = started.elapsed().as_secs_f64();
    let pagefind = dir.join("pagefind");
    say!(
        "building {n} articles as Pagefind's site into {}…",
        rel(&pagefind).display()
    );
    let started = Instant::now();
    bench::build_peers(&site.join("index.bin"), &pagefind, Some("pagefind"))?;
    let pagefind_seconds = started.elapsed().as_secs_f64();
    say!("built in {site_seconds:.0} s (Lecteur) and {pagefind_seconds:.0} s (Pagefind)");
    Ok(AgainstPagefind {
        articles: n,
        pagefind: pagefind.join("pagefind"),
        site,
        site_seconds,
        pagefind_seconds,
    })
}

/// Measures the corpora built by [`against_pagefind`] in one Chromium run (`bench/archive.mjs`)
/// and writes its table, with the builds' times, to `out/archive.md`.
pub fn archive_bench(corpora: &[AgainstPagefind], out: &Path) -> Result<()> {
    let mut bench = command("node");
    bench.arg(root().join("bench/archive.mjs"));
    for corpus in corpora {
        bench.arg("--corpus").arg(format!(
            "{}={},{}",
            corpus.articles,
            corpus.site.display(),
            corpus.pagefind.display()
        ));
    }
    bench.arg("--out").arg(out).args(["--cold", "3"]);
    say!("measuring Lecteur and Pagefind in Chromium (3 cold loads each, loopback and Slow 4G)…");
    run(&mut bench, "see the message above")?;
    let mut builds = String::from(
        "\n| articles | Lecteur's site built | Pagefind's site built |\n| ---: | ---: | ---: |\n",
    );
    for corpus in corpora {
        builds.push_str(&format!(
            "| {} | {:.0} s | {:.0} s |\n",
            corpus.articles, corpus.site_seconds, corpus.pagefind_seconds
        ));
    }
    print!("{builds}");
    let table = out.join("archive.md");
    let measured = fs::read_to_string(&table)
        .with_context(|| format!("bench/archive.mjs wrote no {}", rel(&table).display()))?;
    fs::write(&table, format!("{measured}{builds}"))
        .with_context(|| format!("cannot write {}", rel(&table).display()))?;
    Ok(())
}

/// What `bench/scale-browser.mjs` prints (its other figures are not kept).
#[derive(Deserialize)]
struct BrowserFigures {
    load_median_ms: f64,
    query_median_ms: f64,
}

/// The value of `key=value` in the whitespace-separated figures the indexer and
/// `query_latency` print.
fn value<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.split_whitespace()
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_figures() {
        assert_eq!(value("a=1 open_ms=2.5\nb=3", "open_ms"), Some("2.5"));
        assert_eq!(value("xopen_ms=2", "open_ms"), None);
        let printed =
            "{\n  \"site\": \"x\",\n  \"load_median_ms\": 12.5,\n  \"query_median_ms\": 3\n}\n";
        let figures: BrowserFigures = serde_json::from_str(printed).unwrap();
        assert_eq!(
            (figures.load_median_ms, figures.query_median_ms),
            (12.5, 3.0)
        );
    }
}
