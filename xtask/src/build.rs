//! `cargo xtask build` and `cargo xtask dist`: the static site.
//!
//! The site is two programs compiled to WebAssembly and bound by `wasm-bindgen`: the page
//! (`lecteur.js`, `lecteur_bg.wasm`) and the search engine its worker runs (`engine.js`,
//! `engine_bg.wasm`); the files of `www/` (`main.js`, `sw.js`, …) and the search index
//! (`index.bin`) written by the native `lecteur-index`, stamped with the build id; then
//! [`fingerprint`] gives the files hashed names, the native `lecteur-pages` renders the pages
//! (the list, one per article, 404.html) into `www/index.html`, the template, with the page's own
//! components, and the service worker gets its precache list.
//! Everything is written into a fresh directory next to the output, renamed into place only once
//! complete, so a failed build never leaves a half-written site.
//!
//! `cargo xtask dist` also writes the single-file edition ([`single_file`]).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use lecteur_core::BUILD_ID_VAR;
use tempfile::TempDir;

use crate::compress;
use crate::fingerprint;
use crate::process::{cargo, command, rel, root, run, say, target_dir, user_path};
use crate::setup;
use crate::single_file;

/// Where and from what to build.
pub struct Options {
    pub articles: PathBuf,
    pub out: PathBuf,
    /// The address the site will be published at, if known: canonical addresses and link
    /// previews are then absolute.
    pub public_url: Option<String>,
    /// From how many articles the site is an archive, which the service worker keeps offline
    /// on demand rather than all at its install (see [`fingerprint::list_for_worker`]), and
    /// whose articles' pages are compressed faster (see [`compress::site`]).
    pub archive_from: usize,
    /// The size of an archive's index parts, when not the indexer's own (tests, benchmarks).
    pub part_bytes: Option<usize>,
}

/// From how many articles a site is an archive, unless `--archive-from` says otherwise. The
/// service worker's install downloads the whole of a smaller site in the background of a first
/// visit, which stays reasonable below this (the generated 1,000-article site is 10.6 MB of
/// brotli, 37.6 MB stored; 10,000 articles would be 98 MB and 349 MB).
pub const DEFAULT_ARCHIVE_FROM: usize = 1_000;

impl Options {
    /// Paths given on the command line are relative to the current directory; the defaults
    /// (`index/articles`, `target/site`) to the workspace root.
    pub fn new(articles: Option<PathBuf>, out: Option<PathBuf>) -> Self {
        Options {
            articles: user_path(articles.as_deref(), "index/articles"),
            out: user_path(out.as_deref(), "target/site"),
            public_url: None,
            archive_from: DEFAULT_ARCHIVE_FROM,
            part_bytes: None,
        }
    }
}

/// Builds the site into `options.out`; returns that directory.
pub fn site(options: &Options) -> Result<PathBuf> {
    let Options {
        articles,
        out,
        public_url,
        archive_from,
        part_bytes,
    } = options;
    if !articles.is_dir() {
        bail!(
            "articles directory {} not found; pass `--articles DIR`",
            rel(articles).display()
        );
    }
    setup::wasm_target()?;
    let staging = Staging::new(out)?;
    let dir = staging.dir().to_path_buf();

    say!("building the page and the engine (wasm, release)…");
    run(
        cargo().args([
            "build",
            "--release",
            "--target",
            setup::WASM_TARGET,
            "-p",
            "lecteur-web",
            "-p",
            "lecteur-engine",
            "--lib",
        ]),
        "fix the compile errors above (the page crate is web/, the engine's engine/)",
    )?;
    // Checked after the build, which may have updated Cargo.lock.
    let wasm_bindgen = setup::wasm_bindgen()?;
    for program in PROGRAMS {
        let wasm = target_dir().join(format!(
            "{}/release/{}.wasm",
            setup::WASM_TARGET,
            program.crate_file
        ));
        run(
            command(&wasm_bindgen)
                // The name section (function names, ~670 KB, ~110 KB of it after brotli) only
                // serves debuggers: the site ships without it.
                .args([
                    "--target",
                    program.glue,
                    "--no-typescript",
                    "--remove-name-section",
                ])
                .arg("--out-dir")
                .arg(rel(&dir))
                .args(["--out-name", program.name])
                .arg(rel(&wasm)),
            "see wasm-bindgen's message above; `cargo xtask setup` reinstalls the matching CLI",
        )?;
        optimize_wasm(&dir.join(format!("{}_bg.wasm", program.name)))?;
    }

    let www = root().join("www");
    say!(
        "copying {}/ into {}/…",
        rel(&www).display(),
        rel(&dir).display()
    );
    copy_dir(&www, &dir)?;
    if !dir.join("index.html").is_file() {
        bail!(
            "{} is missing: the site needs it as its entry page",
            rel(&www.join("index.html")).display()
        );
    }
    say!("minifying {}…", MINIFIED.join(", "));
    minify(&dir)?;
    glue_into_worker(&dir)?;

    let build = fingerprint::build_id(&dir, articles)?;
    let archive = fingerprint::is_archive(articles, *archive_from)?;
    say!(
        "building the index of {} (build {build})…",
        rel(articles).display()
    );
    if archive {
        say!(
            "an archive (at least {archive_from} articles): its texts are apart from its index, \
             and its articles are kept offline on demand"
        );
    }
    let mut indexer = cargo();
    indexer.args(["run", "--quiet", "--bin", "lecteur-index", "--"]);
    if archive {
        indexer.arg("--texts-apart");
        if let Some(bytes) = part_bytes {
            indexer.args(["--part-bytes", &bytes.to_string()]);
        }
    }
    run(
        indexer
            .arg(rel(articles))
            .arg(rel(&dir.join("index.bin")))
            .env(BUILD_ID_VAR, &build),
        "see the indexer's message above",
    )?;
    say!("naming the files by their hashes…");
    fingerprint::name_files(&dir, &build)?;
    say!("rendering the pages (the list, each article, 404.html)…");
    let mut pages = lecteur_pages();
    if let Some(url) = public_url {
        pages.args(["--public-url", url]);
    }
    run(
        pages.arg(rel(&dir)),
        "see the page renderer's message above (web/src/prerender/)",
    )?;
    say!("listing the files for the service worker…");
    fingerprint::list_for_worker(&dir, &build, archive)?;
    say!("writing brotli (.br) and gzip (.gz) copies of the compressible files…");
    compress::site(&dir, archive)?;

    staging.commit()?;
    say!("site built in {}", rel(out).display());
    Ok(out.clone())
}

/// The page crate's renderer (`web/src/bin/lecteur-pages.rs`), ready for its arguments.
pub fn lecteur_pages() -> std::process::Command {
    let mut command = cargo();
    command.args([
        "run",
        "--quiet",
        "-p",
        "lecteur-web",
        "--bin",
        "lecteur-pages",
        "--",
    ]);
    command
}

/// A WebAssembly program of the site.
struct Program {
    /// The crate's library file (`target/wasm32-unknown-unknown/release/NAME.wasm`).
    crate_file: &'static str,
    /// The files' name in the site (`NAME.js`, `NAME_bg.wasm`).
    name: &'static str,
    /// wasm-bindgen's `--target`: how the glue is loaded.
    glue: &'static str,
}

/// The two programs: the page (Yew, hydrating the prerendered HTML on the main thread; an ES
/// module `www/main.js` imports) and the engine (tantivy and the index, in a Web Worker,
/// `www/engine-worker.js`, which loads its glue as a classic script, so that the single file
/// can make the worker from one blob).
const PROGRAMS: [Program; 2] = [
    Program {
        crate_file: "lecteur_web",
        name: "lecteur",
        glue: "web",
    },
    Program {
        crate_file: "lecteur_engine",
        name: "engine",
        glue: "no-modules",
    },
];

/// binaryen's passes that make the page's wasm smaller once compressed: merge identical
/// functions, drop what nothing reaches, tidy locals. Measured on this page (README, "Size"):
/// 1.81 MB → 1.71 MB raw, 432.9 KB → 424.6 KB brotli, in about 3 seconds; `-Oz` shrinks the raw
/// file more but the brotli one not at all (its output compresses worse).
const WASM_OPT_ARGS: [&str; 6] = [
    "--duplicate-function-elimination",
    "--remove-unused-module-elements",
    "--vacuum",
    "--coalesce-locals",
    "--reorder-locals",
    "--strip-producers",
];

/// Shrinks the wasm-bindgen output in place with binaryen's `wasm-opt` (npm's `binaryen`,
/// installed in `tools/`), whose output is kept in `target/wasm-opt/`, named by the hash of its
/// input and options, and reused.
fn optimize_wasm(wasm: &Path) -> Result<()> {
    let input = fs::read(wasm).with_context(|| format!("cannot read {}", wasm.display()))?;
    let mut key = input.clone();
    key.extend_from_slice(WASM_OPT_ARGS.join(" ").as_bytes());
    let cache = target_dir().join("wasm-opt");
    let cached = cache.join(format!("{}.wasm", &fingerprint::sha256_hex(&key)[..32]));
    if !cached.is_file() {
        let wasm_opt = setup::wasm_opt()?;
        say!("shrinking the wasm with wasm-opt (kept for the next builds)…");
        fs::create_dir_all(&cache).with_context(|| format!("cannot create {}", cache.display()))?;
        let partial = cached.with_extension("wasm.part");
        run(
            command("node")
                .arg(rel(&wasm_opt))
                .args(WASM_OPT_ARGS)
                .arg(rel(wasm))
                .arg("-o")
                .arg(rel(&partial)),
            "see wasm-opt's message above; `cargo xtask setup` reinstalls it (tools/)",
        )?;
        fs::rename(&partial, &cached)
            .with_context(|| format!("cannot write {}", cached.display()))?;
    }
    let before = input.len();
    fs::copy(&cached, wasm).with_context(|| format!("cannot write {}", wasm.display()))?;
    let after = fs::metadata(wasm).map(|m| m.len()).unwrap_or(0);
    say!("wasm: {before} bytes → {after} bytes after wasm-opt");
    Ok(())
}

/// The files on the way to a first paint or a first result, minified (`tools/minify.mjs`,
/// esbuild): the page's loader and stylesheet, which every page inlines, the engine's worker,
/// and the wasm glue of both programs.
const MINIFIED: [&str; 5] = [
    "main.js",
    "style.css",
    "lecteur.js",
    "engine-worker.js",
    "engine.js",
];

/// Puts the engine's glue at the top of its worker's script: the worker then starts with one
/// request, not two in a row (on a slow line, a round trip before the engine's wasm and the
/// index are even asked for). `engine.js` stays, for the pages that use the engine's API.
fn glue_into_worker(site: &Path) -> Result<()> {
    let read = |name: &str| {
        fs::read_to_string(site.join(name)).with_context(|| format!("cannot read {name}"))
    };
    let worker = format!("{}\n{}", read("engine.js")?, read("engine-worker.js")?);
    fs::write(site.join("engine-worker.js"), worker).context("cannot write engine-worker.js")
}

fn minify(site: &Path) -> Result<()> {
    let script = setup::tool("minify.mjs")?;
    run(
        command("node")
            .current_dir(site)
            .arg(&script)
            .args(MINIFIED),
        "see esbuild's message above; `cargo xtask setup` reinstalls it (tools/)",
    )
}

/// `cargo xtask dist`: builds the site into `dist/site/` and the single-file edition into
/// `dist/lecteur.html`, and lists their files with their sizes.
pub fn dist(articles: Option<PathBuf>, public_url: Option<String>) -> Result<()> {
    let options = Options {
        out: root().join("dist/site"),
        public_url,
        ..Options::new(articles, None)
    };
    let out = site(&options)?;
    let single = root().join("dist/lecteur.html");
    // The single file carries the whole index; an archive's texts are files of their own.
    let archive = fingerprint::is_archive(&options.articles, options.archive_from)?;
    if archive {
        let _ = fs::remove_file(&single);
    } else {
        single_file::write(&out, &single)?;
    }
    let files = fingerprint::files_under(&out)?;
    let mut total = 0;
    println!(
        "{}/ — a static site, serve it as is from any host and path:",
        rel(&out).display()
    );
    for file in &files {
        let path = out.join(file);
        let size = fs::metadata(&path)
            .with_context(|| format!("cannot read {}", path.display()))?
            .len();
        total += size;
        println!("  {:>10}  {file}", human_size(size));
    }
    println!("  {:>10}  total ({} files)", human_size(total), files.len());
    if archive {
        println!(
            "no single-file edition: an archive (at least {} articles) keeps its texts apart \
             from its index; `--archive-from` sets the line",
            options.archive_from
        );
        return Ok(());
    }
    let size = fs::metadata(&single).map(|m| m.len()).unwrap_or(0);
    println!(
        "{} — the same reader in one file, to open from disk with no server ({})",
        rel(&single).display(),
        human_size(size)
    );
    Ok(())
}

/// A fresh directory next to the output (on the same file system, so that it can be renamed
/// into place), removed on drop unless committed.
struct Staging {
    dir: TempDir,
    out: PathBuf,
}

/// What the names of the staging directories of the output `NAME` go on with after `.NAME`
/// (the new site, and the old one while it is swapped out): then comes the id of the process
/// that made them, so that one left by a killed build can be told from one in use.
const STAGING_NEW: &str = ".tmp-";
const STAGING_OLD: &str = ".old-";

impl Staging {
    fn new(out: &Path) -> Result<Self> {
        let (parent, name) = parent_and_name(out)?;
        fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        remove_abandoned(&parent, &name);
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}{STAGING_NEW}{}-", std::process::id()))
            .tempdir_in(&parent)
            .with_context(|| format!("cannot create a directory in {}", parent.display()))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
        })
    }

    fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Replaces the output with the staged directory.
    fn commit(self) -> Result<()> {
        let (parent, name) = parent_and_name(&self.out)?;
        let old = parent.join(format!(".{name}{STAGING_OLD}{}", std::process::id()));
        let out = &self.out;
        let context = || format!("cannot replace {}", out.display());
        match fs::symlink_metadata(out) {
            Ok(meta) if meta.is_dir() => {
                let _ = fs::remove_dir_all(&old);
                fs::rename(out, &old).with_context(context)?;
                if let Err(e) = fs::rename(self.dir.path(), out) {
                    let _ = fs::rename(&old, out);
                    return Err(e).with_context(context);
                }
                let _ = fs::remove_dir_all(&old);
            }
            Ok(_) => bail!(
                "{} exists and is not a directory; remove it or pass another `--out DIR`",
                out.display()
            ),
            Err(_) => fs::rename(self.dir.path(), out).with_context(context)?,
        }
        // Renamed away: nothing is left for the temporary directory to remove.
        let _ = self.dir.keep();
        Ok(())
    }
}

fn parent_and_name(out: &Path) -> Result<(PathBuf, String)> {
    match (out.parent(), out.file_name()) {
        (Some(parent), Some(name)) => Ok((parent.to_path_buf(), name.to_string_lossy().into())),
        _ => bail!(
            "cannot build into {}; pass a directory like `--out target/site`",
            out.display()
        ),
    }
}

/// Removes staging directories left by builds that were killed (their process is gone).
fn remove_abandoned(parent: &Path, name: &str) {
    let proc = Path::new("/proc");
    if !proc.is_dir() {
        return; // cannot tell whether another build is still running
    }
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let pid = [STAGING_NEW, STAGING_OLD].iter().find_map(|kind| {
            let rest = file_name.strip_prefix(&format!(".{name}{kind}"))?;
            let pid = rest.split('-').next().unwrap_or(rest);
            (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then_some(pid)
        });
        if let Some(pid) = pid
            && !proc.join(pid).exists()
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Copies the files under `from` into `to`, recursively.
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for file in fingerprint::files_under(from)? {
        let (source, target) = (from.join(&file), to.join(&file));
        let folder = target.parent().expect("a file in a folder");
        fs::create_dir_all(folder)
            .and_then(|()| fs::copy(&source, &target))
            .with_context(|| format!("cannot copy {}", rel(&source).display()))?;
    }
    Ok(())
}

fn human_size(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_committed_staging_directory_replaces_the_output() {
        let base = tempfile::tempdir().unwrap();
        let out = base.path().join("site");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("stale.txt"), "old").unwrap();

        let staging = Staging::new(&out).unwrap();
        fs::write(staging.dir().join("index.html"), "new").unwrap();
        staging.commit().unwrap();

        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        assert!(!out.join("stale.txt").exists());
        assert_eq!(fs::read_dir(&base).unwrap().count(), 1, "no leftovers");
    }

    #[test]
    fn a_failed_build_leaves_the_output_alone() {
        let base = tempfile::tempdir().unwrap();
        let out = base.path().join("site");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("index.html"), "old").unwrap();
        {
            let staging = Staging::new(&out).unwrap();
            fs::write(staging.dir().join("index.html"), "half").unwrap();
        } // dropped without commit, as when a step fails
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert_eq!(fs::read_dir(&base).unwrap().count(), 1, "no leftovers");
    }

    #[test]
    fn what_a_killed_build_left_is_removed() {
        let base = tempfile::tempdir().unwrap();
        let out = base.path().join("site");
        // No process has the largest id: a build that was killed.
        let gone = u32::MAX;
        for left in [
            format!(".site.tmp-{gone}-x1Yz"),
            format!(".site.old-{gone}"),
        ] {
            fs::create_dir(base.path().join(left)).unwrap();
        }
        let mine = Staging::new(&out).unwrap();
        let names: Vec<String> = fs::read_dir(&base)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(mine.dir().ends_with(&names[0]));
    }

    #[test]
    fn copies_directories_recursively() {
        let scratch = tempfile::tempdir().unwrap();
        let base = scratch.path();
        fs::create_dir_all(base.join("from/icons")).unwrap();
        fs::write(base.join("from/index.html"), "i").unwrap();
        fs::write(base.join("from/icons/a.svg"), "a").unwrap();
        fs::create_dir(base.join("to")).unwrap();
        copy_dir(&base.join("from"), &base.join("to")).unwrap();
        assert_eq!(
            fs::read_to_string(base.join("to/icons/a.svg")).unwrap(),
            "a"
        );
        assert_eq!(fs::read_to_string(base.join("to/index.html")).unwrap(), "i");
    }

    #[test]
    fn sizes_are_human() {
        assert_eq!(human_size(12), "12 B");
        assert_eq!(human_size(2048), "2.0 KiB");
        assert_eq!(human_size(3 * 1_048_576), "3.0 MiB");
    }
}
