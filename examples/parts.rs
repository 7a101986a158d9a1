//! What an archive's index read by parts costs a query: opens a built site's bundle as the
//! engine does (the bundle alone, no part), then runs each query the way the engine's worker
//! does (ask, fetch the parts named, ask again) and prints, per query, the round trips, the
//! parts and their bytes (raw, and brotli when the site has the `.br` copies), and the
//! engine's time: in all its asks, and in the last one, which has every part (native; the
//! browser's wasm is slower):
//!
//! ```text
//! cargo run --release --example parts -- /tmp/site
//! ```
//!
//! Each query starts from an engine that has no part, as a cold link does (`PARTS_DEBUG=1`
//! also prints the parts each round names, on standard error); a last line adds
//! up the list typed in one page, parts kept from query to query. The build writes the parts
//! beside the bundle: `cargo xtask build --part-bytes N` tries another size.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use lecteur::Library;
use lecteur::library::SearchError;

/// The queries of `bench/archive.mjs`, and the first one of its cold link.
const QUERIES: [&str; 11] = [
    "hadopi",
    "piratage",
    "téléchargement illégal",
    "\"popcorn time\"",
    "netflix",
    "utilisateurs",
    "telechargemnt",
    "amendes",
    "internautes",
    "streaming",
    "abonnés",
];

/// What fetching parts cost: round trips, parts, raw bytes, brotli bytes; and the engine's
/// time, in all its asks and in the last.
#[derive(Default, Clone, Copy)]
struct Cost {
    rounds: usize,
    parts: usize,
    raw: u64,
    brotli: u64,
    asking: Duration,
    last: Duration,
}

fn main() -> ExitCode {
    let Some(site) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: cargo run --release --example parts -- SITE_DIR");
        return ExitCode::from(2);
    };
    match run(&site) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("parts: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(site: &Path) -> Result<(), String> {
    let bundle = site.join("index.bin");
    let read = |path: &Path| {
        std::fs::read(path).map_err(|error| format!("cannot read {} ({error})", path.display()))
    };
    let bytes = read(&bundle)?;
    let brotli =
        |path: &Path| std::fs::metadata(path.with_extension("bin.br")).map_or(0, |m| m.len());
    println!(
        "bundle={} bytes brotli={} bytes",
        bytes.len(),
        brotli(&bundle)
    );
    let open = || Library::open(bytes.clone()).map_err(|error| error.to_string());
    let search = |library: &Library, query: &str, seen: &mut HashSet<String>| {
        let mut cost = Cost::default();
        loop {
            let asked = Instant::now();
            let answer = library.search(query);
            cost.last = asked.elapsed();
            cost.asking += cost.last;
            match answer {
                Err(SearchError::Parts(paths)) => {
                    cost.rounds += 1;
                    if std::env::var_os("PARTS_DEBUG").is_some() {
                        eprintln!("{query} round {}: {paths:?}", cost.rounds);
                    }
                    if cost.rounds > 6 {
                        return Err(format!("{query}: still asking after 6 rounds"));
                    }
                    for path in paths {
                        let file = site.join(&path);
                        let part = read(&file)?;
                        library
                            .supply_part(&path, &part)
                            .map_err(|error| error.to_string())?;
                        if seen.insert(path) {
                            cost.parts += 1;
                            cost.raw += part.len() as u64;
                            cost.brotli += brotli(&file);
                        }
                    }
                }
                Err(error) => return Err(format!("{query}: {error}")),
                Ok(found) => return Ok((cost, found.total)),
            }
        }
    };
    if !open()?.read_by_parts() {
        return Err(format!(
            "{} is not read by parts (not an archive's)",
            bundle.display()
        ));
    }
    let typed = open()?;
    let mut kept = HashSet::new();
    let mut all = Cost::default();
    for query in QUERIES {
        let (cold, total) = search(&open()?, query, &mut HashSet::new())?;
        let (warm, _) = search(&typed, query, &mut kept)?;
        // Once more, every part at hand: the search alone.
        let asked = Instant::now();
        typed.search(query).map_err(|error| error.to_string())?;
        let again = asked.elapsed();
        all.parts += warm.parts;
        all.raw += warm.raw;
        all.brotli += warm.brotli;
        println!(
            "query={query:?} hits={total} rounds={} parts={} raw={} brotli={} engine_ms={:.1} last_ms={:.1} again_ms={:.1}",
            cold.rounds,
            cold.parts,
            cold.raw,
            cold.brotli,
            cold.asking.as_secs_f64() * 1e3,
            cold.last.as_secs_f64() * 1e3,
            again.as_secs_f64() * 1e3
        );
    }
    println!(
        "all_queries_in_one_page parts={} raw={} brotli={}",
        all.parts, all.raw, all.brotli
    );
    Ok(())
}
