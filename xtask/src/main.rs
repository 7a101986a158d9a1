//! `cargo xtask`: the developer commands of Lecteur (setup, build, serve, static, dist, test,
//! bench, scale, fuzz).
//!
//! Argument parsing (lexopt) lives here; each concern has its own module. Every failure is a
//! message saying what to do, printed on stderr with exit code 1.

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

use std::ffi::OsString;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::str::FromStr;

use anyhow::{Result, anyhow, bail};
use lexopt::prelude::*;

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
             --archive-from N from N articles (default: 1000) the site is an archive: its
                              service worker installs the program and the list, and keeps
                              the articles and the index offline as they are read, or all
                              at once when the reader asks (\"Télécharger l'archive…\")
             --part-bytes N   the size of an archive's index parts (default: 16384), for
                              tests and benchmarks
  serve    Build, then serve target/site on http://localhost:PORT/ until Ctrl-C
             --port N         first port to try (default: 8000, then up to 20 more)
             --articles DIR   articles to index (default: index/articles)
  static   Serve built sites as they are, without building, until stopped: for the Node
           harnesses of tests/browser and bench/, which start it through
           tests/browser/static-server.mjs. Prints {\"port\":N,\"url\":\"http://localhost:N/MOUNT/\"}
           on stdout once listening
             --root DIR       the site to serve (required)
             --mount /PATH/   the folder it is served in (default: /)
             --also /PATH/=DIR
                              another site, in its own folder (repeatable)
             --port N         the port (default: 0, any free one)
             --encoding E     the precompressed siblings sent: br, gzip, identity (none) or
                              any (default: brotli, else gzip)
             --max-age N      let browsers keep files without a hash in their name N seconds
                              (default: revalidate each time)
             --log            one JSON line per response on stdout: path, status, wire bytes,
                              bytes before compression, when it was sent
             --exit-with-stdin
                              stop when standard input closes (the parent's end of a pipe)
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
             --pagefind-max N also build, for each size up to N, the site and the same
                              articles as Pagefind's site, and measure both in one
                              Chromium run, on the loopback and Slow 4G
                              (bench/archive.mjs: target/scale/archive.md)
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
        archive_from: usize,
        part_bytes: Option<usize>,
    },
    Serve {
        port: u16,
        articles: Option<PathBuf>,
    },
    Static(serve::StaticOptions),
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
    let result = parse(std::env::args_os().skip(1)).and_then(run);
    if let Err(error) = result {
        eprintln!("xtask: error: {error:#}");
        std::process::exit(1);
    }
}

fn run(command: Command) -> Result<()> {
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
            archive_from,
            part_bytes,
        } => build::site(&build::Options {
            public_url,
            archive_from,
            part_bytes,
            ..build::Options::new(articles, out)
        })
        .map(drop),
        Command::Serve { port, articles } => serve::command(port, articles),
        Command::Static(options) => serve::static_command(&options),
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

/// Parses `<COMMAND> [OPTIONS]`; options take their value as `--opt VALUE` or `--opt=VALUE`,
/// and the last one given wins. `-h` or `--help` anywhere asks for the usage.
fn parse(args: impl IntoIterator<Item = impl Into<OsString>>) -> Result<Command> {
    let mut parser = lexopt::Parser::from_args(args);
    let name = match parser.next().map_err(usage_error)? {
        None | Some(Short('h') | Long("help")) => return Ok(Command::Help),
        Some(Value(name)) => name.string().map_err(usage_error)?,
        Some(other) => bail!(
            "unknown command `{}`; run `cargo xtask --help` to list the commands",
            shown(&other)
        ),
    };
    let mut command = match name.as_str() {
        "help" => Command::Help,
        "setup" => Command::Setup,
        "build" => Command::Build {
            articles: None,
            out: None,
            public_url: None,
            archive_from: build::DEFAULT_ARCHIVE_FROM,
            part_bytes: None,
        },
        "serve" => Command::Serve {
            port: serve::DEFAULT_PORT,
            articles: None,
        },
        "static" => Command::Static(serve::StaticOptions::default()),
        "dist" => Command::Dist {
            articles: None,
            public_url: None,
        },
        "test" => Command::Test,
        "bench" => Command::Bench(bench::Options::default()),
        "scale" => Command::Scale(scale::Options::default()),
        "fuzz" => Command::Fuzz {
            target: None,
            seconds: fuzz::DEFAULT_SECONDS,
        },
        other => bail!("unknown command `{other}`; run `cargo xtask --help` to list the commands"),
    };
    while let Some(arg) = parser.next().map_err(usage_error)? {
        match (&mut command, arg) {
            (_, Short('h') | Long("help")) => return Ok(Command::Help),
            (
                Command::Build { articles, .. }
                | Command::Serve { articles, .. }
                | Command::Dist { articles, .. },
                Long("articles"),
            ) => *articles = Some(parser.value().map_err(usage_error)?.into()),
            (Command::Build { out, .. }, Long("out")) => {
                *out = Some(parser.value().map_err(usage_error)?.into());
            }
            (
                Command::Build { public_url, .. } | Command::Dist { public_url, .. },
                Long("public-url"),
            ) => *public_url = Some(text(&mut parser)?),
            (Command::Build { archive_from, .. }, Long("archive-from")) => {
                *archive_from = parsed(&mut parser, "--archive-from", A_NUMBER)?;
            }
            (Command::Build { part_bytes, .. }, Long("part-bytes")) => {
                *part_bytes = Some(parsed(&mut parser, "--part-bytes", A_NUMBER)?);
            }
            (Command::Serve { port, .. }, Long("port")) => {
                *port = parsed(
                    &mut parser,
                    "--port",
                    "a port number; pass one between 1 and 65535",
                )?;
            }
            (Command::Static(options), Long("root")) => {
                options.root = Some(parser.value().map_err(usage_error)?.into());
            }
            (Command::Static(options), Long("mount")) => options.mount = text(&mut parser)?,
            (Command::Static(options), Long("also")) => {
                let value = text(&mut parser)?;
                let Some((folder, dir)) = value.split_once('=') else {
                    bail!(
                        "`--also {value}` is not FOLDER=DIR; write e.g. `--also /autre/=target/other-site`"
                    );
                };
                options.also.push((folder.to_string(), dir.into()));
            }
            (Command::Static(options), Long("port")) => {
                options.port = parsed(
                    &mut parser,
                    "--port",
                    "a port number; pass 0 for any free port, or one up to 65535",
                )?;
            }
            (Command::Static(options), Long("encoding")) => {
                options.encodings = serve::offered_encodings(&text(&mut parser)?)?;
            }
            (Command::Static(options), Long("max-age")) => {
                options.max_age = Some(parsed(&mut parser, "--max-age", A_NUMBER)?);
            }
            (Command::Static(options), Long("log")) => options.log = true,
            (Command::Static(options), Long("exit-with-stdin")) => options.exit_with_stdin = true,
            (Command::Bench(options), Long("cold")) => {
                options.cold =
                    parsed::<NonZeroU32>(&mut parser, "--cold", A_POSITIVE_NUMBER)?.get();
            }
            (Command::Bench(options), Long("passes")) => {
                options.passes =
                    parsed::<NonZeroU32>(&mut parser, "--passes", A_POSITIVE_NUMBER)?.get();
            }
            (Command::Bench(options), Long("before")) => options.before = text(&mut parser)?,
            (Command::Scale(options), Long("sizes")) => {
                options.sizes = scale::parse_sizes(&text(&mut parser)?)?;
            }
            (Command::Scale(options), Long("seed")) => {
                options.seed = parsed(&mut parser, "--seed", A_NUMBER)?;
            }
            (Command::Scale(options), Long("runs")) => {
                options.runs = parsed::<usize>(&mut parser, "--runs", A_NUMBER)?.max(1);
            }
            (Command::Scale(options), Long("browser-max")) => {
                options.browser_max = Some(parsed(&mut parser, "--browser-max", A_NUMBER)?);
            }
            (Command::Scale(options), Long("pagefind-max")) => {
                options.pagefind_max = Some(parsed(&mut parser, "--pagefind-max", A_NUMBER)?);
            }
            (Command::Scale(options), Long("generate-only")) => options.generate_only = true,
            (Command::Fuzz { seconds, .. }, Long("seconds")) => {
                *seconds = parsed(&mut parser, "--seconds", A_NUMBER)?;
            }
            // The one positional argument: the fuzz target.
            (
                Command::Fuzz {
                    target: target @ None,
                    ..
                },
                Value(value),
            ) => {
                *target = Some(value.string().map_err(usage_error)?);
            }
            (_, Value(value)) => bail!(
                "unexpected argument `{}` for `cargo xtask {name}`; see `cargo xtask --help`",
                value.to_string_lossy()
            ),
            (_, option) => bail!(
                "`cargo xtask {name}` has no option `{}`; see `cargo xtask --help`",
                shown(&option)
            ),
        }
    }
    Ok(command)
}

/// What a count's value must be, and where to read more.
const A_NUMBER: &str = "a number; see `cargo xtask --help`";
const A_POSITIVE_NUMBER: &str = "a positive number; see `cargo xtask --help`";

/// An option as it was typed.
fn shown(arg: &lexopt::Arg) -> String {
    match arg {
        Short(letter) => format!("-{letter}"),
        Long(name) => format!("--{name}"),
        Value(value) => value.to_string_lossy().into_owned(),
    }
}

/// lexopt's complaints, in the words of the other messages.
fn usage_error(error: lexopt::Error) -> anyhow::Error {
    match error {
        lexopt::Error::MissingValue {
            option: Some(option),
        } => anyhow!("`{option}` needs a value, e.g. `{option} VALUE`; see `cargo xtask --help`"),
        lexopt::Error::UnexpectedValue { option, .. } => {
            anyhow!("`{option}` takes no value; see `cargo xtask --help`")
        }
        other => anyhow!("{other}; see `cargo xtask --help`"),
    }
}

/// The value of the option just read, as text.
fn text(parser: &mut lexopt::Parser) -> Result<String> {
    parser
        .value()
        .and_then(|value| value.string())
        .map_err(usage_error)
}

/// The value of `option`, parsed; else says it is not `what`.
fn parsed<T: FromStr>(parser: &mut lexopt::Parser, option: &str, what: &str) -> Result<T> {
    let value = text(parser)?;
    value
        .parse()
        .map_err(|_| anyhow!("`{option} {value}` is not {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_line(line: &str) -> Result<Command> {
        parse(line.split_whitespace())
    }

    fn command(line: &str) -> Command {
        parse_line(line).unwrap_or_else(|error| panic!("{line}: {error:#}"))
    }

    fn error(line: &str) -> String {
        match parse_line(line) {
            Ok(command) => panic!("{line}: parsed as {command:?}"),
            Err(error) => format!("{error:#}"),
        }
    }

    #[test]
    fn parses_commands_and_options() {
        assert_eq!(command(""), Command::Help);
        assert_eq!(command("--help"), Command::Help);
        assert_eq!(command("-h"), Command::Help);
        assert_eq!(command("help"), Command::Help);
        assert_eq!(command("build -h"), Command::Help);
        assert_eq!(command("scale --sizes 10 --help"), Command::Help);
        assert_eq!(command("setup"), Command::Setup);
        assert_eq!(
            command("build --articles a --out=b --public-url https://example.org/"),
            Command::Build {
                articles: Some("a".into()),
                out: Some("b".into()),
                public_url: Some("https://example.org/".into()),
                archive_from: build::DEFAULT_ARCHIVE_FROM,
                part_bytes: None,
            }
        );
        assert_eq!(
            command("build --archive-from 45 --part-bytes 2048"),
            Command::Build {
                articles: None,
                out: None,
                public_url: None,
                archive_from: 45,
                part_bytes: Some(2048),
            }
        );
        assert_eq!(
            command("serve --port 9000 --articles=x"),
            Command::Serve {
                port: 9000,
                articles: Some("x".into()),
            }
        );
        assert_eq!(
            command("serve"),
            Command::Serve {
                port: 8000,
                articles: None
            }
        );
        assert_eq!(command("test"), Command::Test);
        assert_eq!(
            command(
                "static --root site --mount /lecteur/sous-dossier/ --also /autre/=next --also=/b/=c \
                 --port 0 --encoding gzip --max-age 3600 --log --exit-with-stdin"
            ),
            Command::Static(serve::StaticOptions {
                root: Some("site".into()),
                mount: "/lecteur/sous-dossier/".into(),
                also: vec![
                    ("/autre/".into(), "next".into()),
                    ("/b/".into(), "c".into())
                ],
                port: 0,
                encodings: vec![("gzip", ".gz")],
                max_age: Some(3600),
                log: true,
                exit_with_stdin: true,
            })
        );
        assert_eq!(
            command("static --encoding identity"),
            Command::Static(serve::StaticOptions {
                encodings: vec![],
                ..serve::StaticOptions::default()
            })
        );
        assert_eq!(
            command("dist --public-url https://example.org/lecteur/"),
            Command::Dist {
                articles: None,
                public_url: Some("https://example.org/lecteur/".into()),
            }
        );
        assert_eq!(
            command("bench --cold 3"),
            Command::Bench(bench::Options {
                cold: 3,
                ..bench::Options::default()
            })
        );
        assert_eq!(
            command("bench --passes 2 --before abc123 --cold=1 --cold 4"),
            Command::Bench(bench::Options {
                cold: 4,
                passes: 2,
                before: "abc123".into(),
            })
        );
        assert_eq!(command("scale"), Command::Scale(scale::Options::default()));
        assert_eq!(
            command(
                "scale --sizes 10,20 --seed 3 --runs 5 --browser-max 20 --pagefind-max 10 \
                 --generate-only"
            ),
            Command::Scale(scale::Options {
                sizes: vec![10, 20],
                seed: 3,
                runs: 5,
                browser_max: Some(20),
                pagefind_max: Some(10),
                generate_only: true,
            })
        );
        assert_eq!(
            command("fuzz"),
            Command::Fuzz {
                target: None,
                seconds: fuzz::DEFAULT_SECONDS
            }
        );
        assert_eq!(
            command("fuzz route --seconds 5"),
            Command::Fuzz {
                target: Some("route".into()),
                seconds: 5
            }
        );
        assert_eq!(
            command("fuzz --seconds=1800 bundle"),
            Command::Fuzz {
                target: Some("bundle".into()),
                seconds: 1800
            }
        );
    }

    #[test]
    fn rejects_bad_command_lines() {
        for line in [
            "frobnicate",
            "--port 3",
            "build --nope x",
            "build --out",
            "serve --port http",
            "serve --port 70000",
            "test extra",
            "setup --out x",
            "scale --sizes ten",
            "scale --seed -1",
            "scale --generate-only=yes",
            "build --generate-only",
            "bench --cold 0",
            "bench --passes many",
            "fuzz route bundle",
            "fuzz --seconds",
            "dist --out x",
            "static --also /autre/",
            "static --encoding zstd",
            "static --log=yes",
            "serve --also a=b",
        ] {
            assert!(parse_line(line).is_err(), "{line}");
        }
    }

    #[test]
    fn errors_say_what_to_do() {
        assert_eq!(
            error("frobnicate"),
            "unknown command `frobnicate`; run `cargo xtask --help` to list the commands"
        );
        assert_eq!(
            error("build --nope x"),
            "`cargo xtask build` has no option `--nope`; see `cargo xtask --help`"
        );
        assert_eq!(
            error("build --out"),
            "`--out` needs a value, e.g. `--out VALUE`; see `cargo xtask --help`"
        );
        assert_eq!(
            error("serve --port http"),
            "`--port http` is not a port number; pass one between 1 and 65535"
        );
        assert_eq!(
            error("test extra"),
            "unexpected argument `extra` for `cargo xtask test`; see `cargo xtask --help`"
        );
        assert_eq!(
            error("bench --cold 0"),
            "`--cold 0` is not a positive number; see `cargo xtask --help`"
        );
        assert_eq!(
            error("scale --generate-only=yes"),
            "`--generate-only` takes no value; see `cargo xtask --help`"
        );
        assert_eq!(
            error("static --also /autre/"),
            "`--also /autre/` is not FOLDER=DIR; write e.g. `--also /autre/=target/other-site`"
        );
        assert_eq!(
            error("scale --sizes ten"),
            "`--sizes ten` is not a list of article counts; write e.g. `--sizes 100,1000,10000`"
        );
    }
}
