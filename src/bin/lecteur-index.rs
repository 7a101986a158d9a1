//! `lecteur-index`: reads a folder of article sources and writes the index
//! bundle the page loads.
//!
//! ```text
//! lecteur-index index/articles target/site/index.bin
//! lecteur-index --stats target/scale/1000/articles target/scale/1000/index.bin
//! lecteur-index --texts-apart target/scale/10000/articles target/site/index.bin
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: lecteur-index [--stats] [--texts-apart [--part-bytes N]] ARTICLES_DIR OUTPUT_FILE

Reads every `.md` article of ARTICLES_DIR (format: index/README.md) and writes
the index bundle the page loads to OUTPUT_FILE, atomically: on any error the
previous OUTPUT_FILE is left as it was.

--texts-apart writes an archive's bundle: the articles without their texts, each
text in a file of its own beside its page, a/SLUG/texte.json in the folder of
OUTPUT_FILE (the site's root), which the page fetches for the hits it shows and
the article read; the index read by parts, i/N.bin in that folder, of which
the page fetches what a query needs; and the list's excerpts, l/N.json, a
hundred to a file, fetched for the cards the list shows (`cargo xtask build`
passes it from --archive-from articles). --part-bytes sets the size of a part
(8192 by default), for the tests and the benchmarks.

The build id in LECTEUR_BUILD_ID (set by `cargo xtask build`) is stamped into
the bundle; the page refuses an index whose id is not its own.

--stats also prints `lecteur-index: stats: ...` with the time spent and, on
Linux, the peak resident memory of the process (VmHWM of /proc/self/status),
for `cargo xtask scale`.";

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let mut arguments: Vec<String> = std::env::args().skip(1).collect();
    let stats = arguments.iter().any(|argument| argument == "--stats");
    let apart = arguments.iter().any(|argument| argument == "--texts-apart");
    arguments.retain(|argument| argument != "--stats" && argument != "--texts-apart");
    let mut part_bytes = lecteur::parts::PART_BYTES;
    if let Some(at) = arguments
        .iter()
        .position(|argument| argument == "--part-bytes")
    {
        match arguments.get(at + 1).map(|value| value.parse::<usize>()) {
            Some(Ok(bytes)) if bytes > 0 => part_bytes = bytes,
            _ => {
                eprintln!("lecteur-index: --part-bytes takes a number of bytes, such as 16384");
                return ExitCode::from(2);
            }
        }
        arguments.drain(at..at + 2);
    }
    let [articles, output] = arguments.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    if articles == "-h" || articles == "--help" {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match run(
        PathBuf::from(articles),
        PathBuf::from(output),
        apart.then_some(part_bytes),
    ) {
        Ok(summary) => {
            println!("{summary}");
            if stats {
                println!("{}", stats_line(started.elapsed()));
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("lecteur-index: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Indexes `articles` into `output`; with `apart`, an archive's bundle, its index in parts of
/// that many bytes.
fn run(articles: PathBuf, output: PathBuf, apart: Option<usize>) -> Result<String, String> {
    let articles = lecteur::article::load_folder(&articles).map_err(|error| error.to_string())?;
    let build = std::env::var(lecteur::bundle::BUILD_ID_VAR).unwrap_or_default();
    let bundle = if let Some(part_bytes) = apart {
        let built = lecteur::bundle::build_apart(&articles, &build, part_bytes)
            .map_err(|error| error.to_string())?;
        let site = output.parent().unwrap_or(std::path::Path::new("."));
        for (path, bytes) in built.files() {
            let path = site.join(path);
            // Written before the bundle: a bundle is never there without its texts and parts.
            std::fs::create_dir_all(path.parent().expect("a/SLUG/, i/ or l/"))
                .and_then(|()| std::fs::write(&path, bytes))
                .map_err(|error| {
                    format!(
                        "cannot write {} ({error}); check that its folder is writable",
                        path.display()
                    )
                })?;
        }
        built.bundle
    } else {
        lecteur::bundle::build(&articles, &build).map_err(|error| error.to_string())?
    };
    lecteur::bundle::write_atomically(&output, &bundle).map_err(|error| {
        format!(
            "cannot write {} ({error}); check that its folder is writable",
            output.display()
        )
    })?;
    Ok(format!(
        "lecteur-index: {} articles indexed into {} ({} bytes{})",
        articles.len(),
        output.display(),
        bundle.len(),
        if apart.is_some() {
            ", their texts and the index's parts apart"
        } else {
            ""
        }
    ))
}

/// One line of figures for `cargo xtask scale`: `key=value` pairs after a fixed prefix.
fn stats_line(elapsed: std::time::Duration) -> String {
    let peak = peak_rss_kib().map_or_else(|| "unknown".to_string(), |kib| kib.to_string());
    format!(
        "lecteur-index: stats: seconds={:.3} peak_rss_kib={peak}",
        elapsed.as_secs_f64()
    )
}

/// The peak resident set size of this process in KiB (`VmHWM` in `/proc/self/status`),
/// where the system has a `/proc` (Linux); `None` elsewhere.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
