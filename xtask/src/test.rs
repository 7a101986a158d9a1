//! `cargo xtask test`: everything CI checks after lints. Runs setup, the native tests
//! (`cargo test --workspace`), builds the site, serves it on an ephemeral port and runs the
//! browser tests of `tests/browser` (Node's test runner driving Chromium) against it. Ends with
//! one line saying which steps passed; fails if any did not.
//!
//! The site is deployed under a sub-path ([`MOUNT`]) of the test server, as a static host
//! serving it from a folder would, so every browser test also checks that nothing in the page
//! assumes it lives at the server's root.
//!
//! The offline tests need more than one server: they start their own (the same server, as
//! `xtask static`, through `tests/browser/site-server.mjs`, which finds this binary in
//! `LECTEUR_XTASK`) so that they can stop it, and "deploy" a second build built from other
//! articles. They find the built site, the
//! second build and the single-file edition through the environment ([`Builds::env`]).
//!
//! The accessibility test writes its screenshots into `target/screenshots/`
//! (`LECTEUR_SCREENSHOTS`).
//!
//! While working on the page, `LECTEUR_BROWSER_TESTS=reader,content-first cargo xtask test` runs
//! only the browser test files whose names start with those words.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::build;
use crate::process::{self, cargo, command, rel, say};
use crate::serve;
use crate::setup;
use crate::single_file;

/// Where the browser tests find the site on their server: a folder, not the server's root.
const MOUNT: &str = "lecteur/sous-dossier";

enum Outcome {
    Passed,
    Failed(String),
    Skipped,
}

pub fn run() -> Result<()> {
    let mut steps: Vec<(&str, Outcome)> = Vec::new();

    // Without the tools nothing else can run.
    setup::all()?;
    steps.push(("setup", Outcome::Passed));

    say!("running the native tests…");
    let native = process::run(
        cargo().args(["test", "--workspace"]),
        "see the failing tests above",
    );
    steps.push(("native tests", outcome(native)));

    let server_root = process::target_dir().join("browser-tests");
    let site = build_all(&server_root);
    let browser = match &site {
        Ok(builds) => outcome(browser_tests(server_root, builds)),
        Err(_) => Outcome::Skipped,
    };
    steps.push(("site builds", outcome(site.map(drop))));
    steps.push(("browser tests", browser));

    let mut summary = String::new();
    let mut failures = Vec::new();
    for (name, result) in &steps {
        let word = match result {
            Outcome::Passed => "ok",
            Outcome::Skipped => "skipped",
            Outcome::Failed(message) => {
                failures.push(format!("{name}: {message}"));
                "FAILED"
            }
        };
        let sep = if summary.is_empty() { "" } else { ", " };
        let _ = write!(summary, "{sep}{name} {word}");
    }
    println!("xtask test: {summary}");
    if failures.is_empty() {
        Ok(())
    } else {
        bail!("{}", failures.join("\n       "))
    }
}

fn outcome(result: Result<()>) -> Outcome {
    match result {
        Ok(()) => Outcome::Passed,
        Err(error) => {
            eprintln!("xtask: error: {error:#}");
            Outcome::Failed(format!("{error:#}"))
        }
    }
}

/// What the browser tests run against.
struct Builds {
    /// The site, served at [`MOUNT`].
    site: PathBuf,
    /// A later build of the site, from other articles: a new deploy.
    next_site: PathBuf,
    /// The single-file edition of `site`.
    single_file: PathBuf,
    /// A site of [`ARCHIVE_ARTICLES`] articles from three sources over three years: lists
    /// and results longer than a page, and filters with something to filter.
    archive_site: PathBuf,
}

/// Enough articles for the list to have two pages and a search to have five.
const ARCHIVE_ARTICLES: usize = 45;

/// The size of the parts of the test archive's index: its few tens of KB in some tens of parts.
const ARCHIVE_PART_BYTES: usize = 2048;

/// Writes the archive's articles into `folder`: each mentions the Hadopi, and has a second
/// paragraph that its excerpt in the list does not show; the source cycles
/// through three papers and, every three articles, the year through 2012–2014, so that each
/// source has articles of each year (five of each pair).
fn write_archive(folder: &Path) -> Result<()> {
    fs::create_dir_all(folder)
        .with_context(|| format!("cannot create {}", rel(folder).display()))?;
    const SOURCES: [&str; 3] = ["Numerama", "Le Monde", "Libération"];
    for n in 1..=ARCHIVE_ARTICLES {
        let text = format!(
            "---\nslug: chronique-{n:02}\ntitle: Chronique numéro {n} de la Hadopi\nsource: {}\n\
             date: {}-{:02}-15\nlanguage: fr\n---\n\nLa Hadopi a envoyé son courriel numéro {n} \
             aux abonnés, qui téléchargent toujours.\n\nLe second paragraphe de la chronique {n} \
             ne figure que dans son texte.\n",
            SOURCES[n % 3],
            2012 + n % 9 / 3,
            1 + n % 12,
        );
        let path = folder.join(format!("chronique-{n:02}.md"));
        fs::write(&path, text).with_context(|| format!("cannot write {}", rel(&path).display()))?;
    }
    Ok(())
}

impl Builds {
    fn env(&self) -> [(&'static str, &PathBuf); 4] {
        [
            ("LECTEUR_SITE_DIR", &self.site),
            ("LECTEUR_NEXT_SITE_DIR", &self.next_site),
            ("LECTEUR_SINGLE_FILE", &self.single_file),
            ("LECTEUR_ARCHIVE_SITE_DIR", &self.archive_site),
        ]
    }
}

/// Builds the site, its single-file edition and a next deploy (the articles but the last one).
fn build_all(server_root: &Path) -> Result<Builds> {
    let site = build::site(&build::Options::new(None, Some(server_root.join(MOUNT))))?;
    let others = process::target_dir().join("browser-tests-others");
    let _ = fs::remove_dir_all(&others);
    let articles = others.join("next-articles");
    fs::create_dir_all(&articles)
        .with_context(|| format!("cannot create {}", articles.display()))?;
    let source = process::root().join("index/articles");
    let mut sources: Vec<PathBuf> = fs::read_dir(&source)
        .with_context(|| format!("cannot read {}", source.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    sources.sort();
    sources.pop();
    for path in &sources {
        let target = articles.join(path.file_name().unwrap_or_default());
        fs::copy(path, &target).with_context(|| format!("cannot copy {}", path.display()))?;
    }
    say!("building a next deploy from {} articles…", sources.len());
    let next_site = build::site(&build::Options::new(
        Some(articles),
        Some(others.join("next-site")),
    ))?;
    let single_file = others.join("lecteur.html");
    single_file::write(&site, &single_file)?;
    let archive = others.join("archive-articles");
    write_archive(&archive)?;
    say!("building an archive of {ARCHIVE_ARTICLES} articles…");
    // An archive at any size, so that its offline copy is kept on demand.
    let archive_site = build::site(&build::Options {
        archive_from: ARCHIVE_ARTICLES,
        // Its index in a few parts, so that a search fetches some and not others.
        part_bytes: Some(ARCHIVE_PART_BYTES),
        ..build::Options::new(Some(archive), Some(others.join("archive-site")))
    })?;
    Ok(Builds {
        site,
        next_site,
        single_file,
        archive_site,
    })
}

/// Serves `server_root` from a background thread and runs every `tests/browser/*.test.mjs`
/// against the site mounted in it at [`MOUNT`].
fn browser_tests(server_root: PathBuf, builds: &Builds) -> Result<()> {
    let dir = setup::browser_tests_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", rel(&dir).display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    if let Ok(only) = std::env::var("LECTEUR_BROWSER_TESTS") {
        let wanted: Vec<&str> = only.split(',').map(str::trim).collect();
        files.retain(|file| {
            let name = file.file_name().unwrap_or_default().to_string_lossy();
            wanted.iter().any(|prefix| name.starts_with(prefix))
        });
        say!(
            "LECTEUR_BROWSER_TESTS={only}: {} browser test files",
            files.len()
        );
    }
    if files.is_empty() {
        bail!("no *.test.mjs files in {}", rel(&dir).display());
    }

    let addr = serve::spawn(serve::Server::new(server_root.clone()))?;
    let url = format!("http://localhost:{}/{MOUNT}/", addr.port());
    say!(
        "serving {} on {url} for the browser tests",
        rel(&server_root.join(MOUNT)).display()
    );
    // The accessibility test photographs each state of the page here, for a person to look at.
    let screenshots = process::target_dir().join("screenshots");
    // The files are named rather than the directory: `node --test DIR` changed meaning across
    // Node versions (a directory in 20, a glob pattern from 21).
    process::run(
        command("node")
            .args(["--test", "--test-reporter=spec"])
            .args(files.iter().map(|f| rel(f)))
            .env("LECTEUR_URL", &url)
            .env("LECTEUR_SCREENSHOTS", &screenshots)
            .envs(builds.env()),
        "see the failing browser tests above",
    )
}
