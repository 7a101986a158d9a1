//! Native query latency of an index bundle, as the page searches it.
//!
//! Opens the bundle with [`lecteur::Library::open`] (the page's own code path: the
//! whole file in memory, checked, the vocabulary read), then runs a fixed list of
//! French queries the way the search box does, snippets and passages included,
//! after a warm-up, and prints the figures as `key=value` lines:
//!
//! ```text
//! cargo run --release --example query_latency -- target/scale/1000/index.bin [--runs 50]
//! ```
//!
//! `cargo xtask scale` runs it for each corpus size and reads these lines.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use lecteur::Library;

/// The queries, from the vocabulary of the shipped articles (which the generated
/// corpora reuse): single words, two words, a phrase, an exclusion, a word being
/// typed (prefix), a typo, and a word no article has.
const QUERIES: [&str; 12] = [
    "hadopi",
    "popcorn time",
    "téléchargement illégal",
    "netflix france",
    "piratage",
    "\"popcorn time\"",
    "utilisateurs -netflix",
    "logiciel libre",
    "télécha",
    "piratge",
    "les sites ferment",
    "zyxwvutsrq",
];

/// Passes over the whole list before measuring.
const WARM_UP: usize = 3;

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 50;
    let mut path = None;
    let mut rest = arguments.iter();
    while let Some(argument) = rest.next() {
        match argument.as_str() {
            "--runs" => match rest.next().and_then(|value| value.parse().ok()) {
                Some(value) if value > 0 => runs = value,
                _ => return usage("--runs takes a positive number"),
            },
            other if path.is_none() && !other.starts_with("--") => path = Some(other.to_string()),
            other => return usage(&format!("unexpected argument `{other}`")),
        }
    }
    let Some(path) = path else {
        return usage("the bundle file is missing");
    };

    let started = Instant::now();
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("query_latency: cannot read {path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let read = started.elapsed();
    let opening = Instant::now();
    let library = match Library::open(bytes) {
        Ok(library) => library,
        Err(error) => {
            eprintln!("query_latency: cannot open {path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let open = opening.elapsed();
    let rss_after_open = resident_kib("VmRSS");

    for _ in 0..WARM_UP {
        for query in QUERIES {
            search(&library, query);
        }
    }
    let mut all = Vec::new();
    let mut per_query = Vec::new();
    for query in QUERIES {
        let mut times = Vec::with_capacity(runs);
        let mut hits = 0;
        for _ in 0..runs {
            let started = Instant::now();
            hits = search(&library, query);
            times.push(started.elapsed());
        }
        times.sort();
        all.extend_from_slice(&times);
        per_query.push((query, hits, percentile(&times, 50)));
    }
    all.sort();

    println!("articles={}", library.articles().len());
    println!("read_ms={:.3}", millis(read));
    println!("open_ms={:.3}", millis(open));
    println!("runs={runs}");
    println!("queries={}", QUERIES.len());
    println!("median_ms={:.3}", millis(percentile(&all, 50)));
    println!("p95_ms={:.3}", millis(percentile(&all, 95)));
    println!("max_ms={:.3}", millis(*all.last().expect("runs > 0")));
    if let Some(kib) = rss_after_open {
        println!("rss_after_open_kib={kib}");
    }
    if let Some(kib) = resident_kib("VmHWM") {
        println!("peak_rss_kib={kib}");
    }
    for (query, hits, median) in per_query {
        println!(
            "query={query:?} hits={hits} median_ms={:.3}",
            millis(median)
        );
    }
    ExitCode::SUCCESS
}

/// Runs one query as the page does and returns how many articles it found.
fn search(library: &Library, query: &str) -> usize {
    let results = library
        .search(query)
        .unwrap_or_else(|error| panic!("query {query:?} failed: {error}"));
    std::hint::black_box(&results);
    results.hits.len()
}

/// The nearest-rank percentile of sorted durations.
fn percentile(sorted: &[Duration], percent: usize) -> Duration {
    let rank = (sorted.len() * percent).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// A memory figure of this process from `/proc/self/status` (Linux), in KiB.
fn resident_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| {
        line.strip_prefix(key)
            .is_some_and(|rest| rest.starts_with(':'))
    })?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("query_latency: {problem}\nusage: query_latency BUNDLE_FILE [--runs N]");
    ExitCode::from(2)
}
