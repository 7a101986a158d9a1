//! `cargo xtask`: the developer commands of Lecteur (setup, build, serve, dist, test, bench,
//! scale).
//!
//! Argument parsing lives here; each concern has its own module. Every failure is a message
//! saying what to do, printed on stderr with exit code 1.

mod bench;
mod build;
mod compress;
mod fingerprint;
mod fuzz;
mod process;
mod scale;
mod serve;
mod setup;
mod single_file;
mod test;

use std::path::PathBuf;

/// What `cargo xtask --help` prints.
const USAGE: &str = "\
Developer commands for Lecteur, a French article reader that searches in the browser.

Usage: cargo xtask <COMMAND> [OPTIONS]

Commands:
  setup    Install what is missing: the wasm32-unknown-unknown target, wasm-bindgen-cli
           (the version in Cargo.lock), Debian's chromium, the npm packages of tests/browser
           and tools/ (binaryen's wasm-opt)
  build    Build the static site: the page (wasm), www/, the search index and the pages
           (the list and one per article, rendered ahead of time), with .br and .gz copies
           of its compressible files
             --articles DIR   articles to index (default: index/articles)
             --out DIR        where to write the site (default: target/site)
             --public-url URL the address the site will be published at: canonical
                              addresses and link previews are then absolute
  serve    Build, then serve target/site on http://localhost:PORT/ until Ctrl-C
             --port N         first port to try (default: 8000, then up to 20 more)
             --articles DIR   articles to index (default: index/articles)
  dist     Build the deployable static site into dist/site/, and the same reader as one
           self-contained file, dist/lecteur.html (opens from disk), and list their files
             --articles DIR   articles to index (default: index/articles)
             --public-url URL as for build
  test     Setup, native tests (cargo test --workspace), build, browser tests (Chromium)
  bench    Build the site, the peers' (Pagefind, MiniSearch, lunr French) on the same
           articles and an earlier build of Lecteur, and measure them in Chromium: bytes to
           the first result, cold navigation, warm query latency (target/bench/peers.md);
           article text, a shared passage and the first result over the loopback, Slow 4G
           and a fast line, against a bare HTML page of each article (target/bench/pages.md)
             --cold N         cold loads per system, encoding and profile (default: 7)
             --passes N       timed passes over the warm queries (default: 6, 10 queries each)
             --before REV     the earlier build compared with (default: 196a33a)
  scale    Generate corpora of French-looking articles into target/scale/N/articles and
           measure, for each size, the index build (time, peak memory), the index size and
           the native query latency; write target/scale/results.{md,json} and scale.svg
             --sizes LIST     article counts (default: 100,1000,10000)
             --seed N         generator seed (default: 20141222); same seed, same bytes
             --runs N         timed runs of each query (default: 50)
             --browser-max N  also build the site of each size up to N and measure it in
                              Chromium with bench/scale-browser.mjs (default: no browser)
             --generate-only  only write the corpora
  fuzz     Fuzz the inputs an attacker controls (links, shared passages, queries, index
           bundles, article sources) on stable Rust; failures are saved, minimised, in
           fuzz/regressions/ and replayed by every `cargo test`
             [TARGET]         one of route, anchor, search, bundle, article (default: all)
             --seconds N      per target (default: 60; the README's full run: 1800)
  help     Print this message (also -h, --help)
";

/// A parsed command line.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    Help,
    Setup,
    Build {
        articles: Option<PathBuf>,
        out: Option<PathBuf>,
        public_url: Option<String>,
    },
    Serve {
        port: u16,
        articles: Option<PathBuf>,
    },
    Dist {
        articles: Option<PathBuf>,
        public_url: Option<String>,
    },
    Test,
    Bench(bench::Options),
    Scale(scale::Options),
    Fuzz {
        target: Option<String>,
        seconds: u64,
    },
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = parse(&args).and_then(run);
    if let Err(message) = result {
        eprintln!("xtask: error: {message}");
        std::process::exit(1);
    }
}

fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Help => {
            print!("{USAGE}");
            Ok(())
        }
        Command::Setup => setup::all(),
        Command::Build {
            articles,
            out,
            public_url,
        } => build::site(&build::Options {
            public_url,
            ..build::Options::new(articles, out)
        })
        .map(drop),
        Command::Serve { port, articles } => serve::command(port, articles),
        Command::Dist {
            articles,
            public_url,
        } => build::dist(articles, public_url),
        Command::Test => test::run(),
        Command::Bench(options) => bench::run_all(&options),
        Command::Scale(options) => scale::all(&options),
        Command::Fuzz { target, seconds } => fuzz::run_targets(target.as_deref(), seconds),
    }
}

/// Parses `<COMMAND> [OPTIONS]`; options take their value as `--opt VALUE` or `--opt=VALUE`.
fn parse(args: &[String]) -> Result<Command, String> {
    let Some((name, rest)) = args.split_first() else {
        return Ok(Command::Help);
    };
    if rest.iter().any(|a| a == "-h" || a == "--help") {
        return Ok(Command::Help);
    }
    // The one command with a positional argument: its target.
    let (target, rest) = match rest.split_first() {
        Some((first, others)) if name == "fuzz" && !first.starts_with("--") => {
            (Some(first.clone()), others)
        }
        _ => (None, rest),
    };
    // The one option without a value.
    let generate_only = name == "scale" && rest.iter().any(|a| a == "--generate-only");
    let rest: Vec<String> = rest
        .iter()
        .filter(|a| !(generate_only && *a == "--generate-only"))
        .cloned()
        .collect();
    let mut options = Options::parse(name, &rest)?;
    let command = match name.as_str() {
        "help" | "-h" | "--help" => Command::Help,
        "setup" => Command::Setup,
        "build" => Command::Build {
            articles: options.take("--articles").map(PathBuf::from),
            out: options.take("--out").map(PathBuf::from),
            public_url: options.take("--public-url"),
        },
        "serve" => Command::Serve {
            port: match options.take("--port") {
                None => serve::DEFAULT_PORT,
                Some(p) => p.parse().map_err(|_| {
                    format!("`--port {p}` is not a port number; pass one between 1 and 65535")
                })?,
            },
            articles: options.take("--articles").map(PathBuf::from),
        },
        "dist" => Command::Dist {
            articles: options.take("--articles").map(PathBuf::from),
            public_url: options.take("--public-url"),
        },
        "test" => Command::Test,
        "fuzz" => Command::Fuzz {
            target,
            seconds: match options.take("--seconds") {
                None => fuzz::DEFAULT_SECONDS,
                Some(value) => value.parse().map_err(|_| {
                    format!("`--seconds {value}` is not a number; see `cargo xtask --help`")
                })?,
            },
        },
        "bench" => {
            let defaults = bench::Options::default();
            let mut count = |option: &str, default: u32| -> Result<u32, String> {
                match options.take(option) {
                    None => Ok(default),
                    Some(value) => match value.parse::<u32>() {
                        Ok(n) if n > 0 => Ok(n),
                        _ => Err(format!(
                            "`{option} {value}` is not a positive number; see `cargo xtask --help`"
                        )),
                    },
                }
            };
            Command::Bench(bench::Options {
                cold: count("--cold", defaults.cold)?,
                passes: count("--passes", defaults.passes)?,
                before: options.take("--before").unwrap_or(defaults.before),
            })
        }
        "scale" => {
            let number = |option: &str, value: String| {
                value.parse::<u64>().map_err(|_| {
                    format!("`{option} {value}` is not a number; see `cargo xtask --help`")
                })
            };
            let defaults = scale::Options::default();
            Command::Scale(scale::Options {
                sizes: match options.take("--sizes") {
                    Some(list) => scale::parse_sizes(&list)?,
                    None => defaults.sizes,
                },
                seed: match options.take("--seed") {
                    Some(seed) => number("--seed", seed)?,
                    None => defaults.seed,
                },
                runs: match options.take("--runs") {
                    Some(runs) => (number("--runs", runs)? as usize).max(1),
                    None => defaults.runs,
                },
                browser_max: match options.take("--browser-max") {
                    Some(max) => Some(number("--browser-max", max)? as usize),
                    None => None,
                },
                generate_only,
            })
        }
        other => {
            return Err(format!(
                "unknown command `{other}`; run `cargo xtask --help` to list the commands"
            ));
        }
    };
    options.finish(name)?;
    Ok(command)
}

/// The `--name value` pairs after the command, consumed one by one.
struct Options(Vec<(String, String)>);

impl Options {
    fn parse(command: &str, args: &[String]) -> Result<Self, String> {
        let mut pairs = Vec::new();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            if !arg.starts_with("--") {
                return Err(format!(
                    "unexpected argument `{arg}` for `cargo xtask {command}`; see `cargo xtask --help`"
                ));
            }
            let (name, value) = match arg.split_once('=') {
                Some((name, value)) => (name.to_string(), value.to_string()),
                None => {
                    let value = args.next().ok_or_else(|| {
                        format!(
                            "`{arg}` needs a value, e.g. `{arg} VALUE`; see `cargo xtask --help`"
                        )
                    })?;
                    (arg.clone(), value.clone())
                }
            };
            pairs.push((name, value));
        }
        Ok(Options(pairs))
    }

    /// Removes and returns the last value given for `name`.
    fn take(&mut self, name: &str) -> Option<String> {
        let mut found = None;
        self.0.retain(|(n, v)| {
            if n == name {
                found = Some(v.clone());
                false
            } else {
                true
            }
        });
        found
    }

    /// Fails on any option the command did not take.
    fn finish(self, command: &str) -> Result<(), String> {
        match self.0.first() {
            None => Ok(()),
            Some((name, _)) => Err(format!(
                "`cargo xtask {command}` has no option `{name}`; see `cargo xtask --help`"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_commands_and_options() {
        assert_eq!(parse(&args("")), Ok(Command::Help));
        assert_eq!(parse(&args("--help")), Ok(Command::Help));
        assert_eq!(parse(&args("build -h")), Ok(Command::Help));
        assert_eq!(parse(&args("setup")), Ok(Command::Setup));
        assert_eq!(
            parse(&args("build --articles a --out=b")),
            Ok(Command::Build {
                articles: Some("a".into()),
                out: Some("b".into()),
                public_url: None,
            })
        );
        assert_eq!(
            parse(&args("serve --port 9000")),
            Ok(Command::Serve {
                port: 9000,
                articles: None
            })
        );
        assert_eq!(
            parse(&args("serve")),
            Ok(Command::Serve {
                port: 8000,
                articles: None
            })
        );
        assert_eq!(parse(&args("test")), Ok(Command::Test));
        assert_eq!(
            parse(&args("dist --public-url https://example.org/lecteur/")),
            Ok(Command::Dist {
                articles: None,
                public_url: Some("https://example.org/lecteur/".into()),
            })
        );
        assert_eq!(
            parse(&args("bench --cold 3")),
            Ok(Command::Bench(bench::Options {
                cold: 3,
                ..bench::Options::default()
            }))
        );
        assert_eq!(
            parse(&args("scale")),
            Ok(Command::Scale(scale::Options::default()))
        );
        assert_eq!(
            parse(&args(
                "scale --sizes 10,20 --seed 3 --runs 5 --browser-max 20 --generate-only"
            )),
            Ok(Command::Scale(scale::Options {
                sizes: vec![10, 20],
                seed: 3,
                runs: 5,
                browser_max: Some(20),
                generate_only: true,
            }))
        );
    }

    #[test]
    fn rejects_bad_command_lines() {
        for line in [
            "frobnicate",
            "build --nope x",
            "build --out",
            "serve --port http",
            "test extra",
            "setup --out x",
            "scale --sizes ten",
            "scale --seed -1",
            "build --generate-only",
            "bench --cold 0",
            "bench --passes many",
        ] {
            assert!(parse(&args(line)).is_err(), "{line}");
        }
    }
}
