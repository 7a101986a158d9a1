//! The last steps of a site build, which make it work offline and update safely: the build id,
//! content-hashed file names, and the service worker's precache list.
//!
//! - The build id is a hash of everything the build is made of (the page's files and the
//!   articles). `main.js` and the index header both carry it, so the page can refuse an index
//!   of another build.
//! - Every file the page loads by name gets its content's hash in its name
//!   (`lecteur_bg.1a2b3c4d5e6f.wasm`), and the files naming it are rewritten to match, so a
//!   cached copy can be trusted for as long as it is named. The entry points keep their names:
//!   the pages (`index.html` in any folder, `404.html`), `sw.js`, `manifest.webmanifest`, and
//!   `index.bin` and an archive's articles' texts (`a/SLUG/texte.json`), index parts (`i/N.bin`)
//!   and excerpts (`l/N.json`): the engine asks for them by their plain names, and the build id
//!   or the CRC32s of the index protect them instead.
//! - `sw.js` receives the list of the built files with their SHA-256 (its first digits) and size, computed from the
//!   files themselves, in place of its placeholder, and which of them its install downloads:
//!   all of them, or for an archive (see [`on_demand`]) all but the articles (pages and texts)
//!   and the index.

use std::fs;
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use lecteur_core::article::TEXT_FILE;
use lecteur_core::protocol::is_fetched_piece;
use serde::Serialize;
use sha2::{Digest as _, Sha256};

/// Files that keep their names: what browsers and the page ask for by a fixed name (and every
/// folder's `index.html`, see [`is_entry`]).
const ENTRY_FILES: [&str; 7] = [
    "index.html",
    "404.html",
    // What an archive's service worker answers an article it has not kept yet with, offline.
    "hors-ligne.html",
    "sw.js",
    "manifest.webmanifest",
    "index.bin",
    // The search element other pages of the site include (www/api/lecteur-recherche.js).
    "api/lecteur-recherche.js",
];
/// Files whose text may name other files of the site.
const TEXT_EXTENSIONS: [&str; 6] = ["html", "js", "css", "webmanifest", "svg", "json"];
/// What `www/main.js` says in place of the build id.
pub const BUILD_ID_PLACEHOLDER: &str = "__LECTEUR_BUILD_ID__";
/// What `www/sw.js` says in place of its precache list.
const PRECACHE_PLACEHOLDER: &str = "/* LECTEUR_PRECACHE */ { build: 'dev', files: [] }";
/// Hex digits of the content hash put into file names.
pub const NAME_HASH_LEN: usize = 12;
/// Hex digits of each file's SHA-256 in the service worker's list: 64 bits tell this build's
/// copy of a file from another deploy's, and hashes do not compress: whole ones made the list
/// of the 10,000-article archive's 20,017 files 876 KB of brotli.
const LIST_HASH_LEN: usize = 16;

/// The id of a build: a hash of the staged site (before fingerprinting) and of the articles.
pub fn build_id(site: &Path, articles: &Path) -> Result<String> {
    let mut hasher = Sha256::new();
    for (label, dir) in [("site", site), ("articles", articles)] {
        for file in files_under(dir)? {
            let bytes = read(&dir.join(&file))?;
            hasher.update(format!("{label}/{file}\0{}\0", bytes.len()));
            hasher.update(&bytes);
        }
    }
    Ok(format!("{:x}", hasher.finalize())[..16].to_string())
}

/// Writes the build id into `main.js` and fingerprints the file names.
pub fn name_files(site: &Path, build: &str) -> Result<()> {
    replace_placeholder(&site.join("main.js"), BUILD_ID_PLACEHOLDER, build)?;
    fingerprint_names(site)
}

/// Whether the articles of `articles` make an archive: `archive_from` of them or more. Its
/// index holds the texts apart, its service worker keeps the articles on demand, and their
/// files are compressed faster.
pub fn is_archive(articles: &Path, archive_from: usize) -> Result<bool> {
    let sources = lecteur_core::article::sources(articles)
        .with_context(|| format!("cannot list the articles of {}", articles.display()))?;
    Ok(sources.len() >= archive_from)
}

/// Fills in `sw.js` with every file of the finished site (pages included), an archive's
/// articles and index marked as kept on demand.
pub fn list_for_worker(site: &Path, build: &str, archive: bool) -> Result<()> {
    let list = precache_list(site, build, archive)?;
    replace_placeholder(&site.join("sw.js"), PRECACHE_PLACEHOLDER, &list)
}

/// An article's page: `a/SLUG/index.html`.
pub fn is_article_page(file: &str) -> bool {
    in_article_folder(file, "index.html")
}

/// An archive's article's text, apart from its index: `a/SLUG/texte.json`
/// (`lecteur_core::article::text_path`).
pub fn is_article_text(file: &str) -> bool {
    in_article_folder(file, TEXT_FILE)
}

/// A part of an archive's index read by parts, `i/N.bin`, or a file of its list's excerpts,
/// `l/N.json`: the files the engine names (`lecteur_core::protocol::is_fetched_piece`).
pub fn is_index_part(file: &str) -> bool {
    is_fetched_piece(file)
}

/// Whether `file` is `a/SLUG/NAME`.
fn in_article_folder(file: &str, name: &str) -> bool {
    file.strip_prefix("a/")
        .and_then(|rest| rest.strip_suffix(name))
        .and_then(|rest| rest.strip_suffix('/'))
        .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
}

/// Whether an archive's service worker leaves `file` out of its install, to keep it when it is
/// first used (an article read, the index of a first search) or when the reader downloads the
/// archive: the articles' pages and the index are what grows with the archive; the program,
/// the list and the rest stay a few hundred KB.
fn on_demand(file: &str) -> bool {
    file == "index.bin" || is_article_page(file) || is_article_text(file) || is_index_part(file)
}

/// Whether a file keeps its name: an entry point, a page (a folder's `index.html`), an
/// article's text or a part of the index (the engine names those by their paths).
fn is_entry(file: &str) -> bool {
    ENTRY_FILES.contains(&file)
        || file.ends_with("/index.html")
        || is_article_text(file)
        || is_index_part(file)
}

fn replace_placeholder(path: &Path, placeholder: &str, value: &str) -> Result<()> {
    let text = read_text(path)?;
    if !text.contains(placeholder) {
        bail!(
            "{} lacks the placeholder `{placeholder}` the build fills in; restore it from www/",
            path.display()
        );
    }
    let text = text.replace(placeholder, value);
    fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Renames every file but the entry files to `stem.HASH.ext`, leaves first: a file is renamed
/// once the files it names have their final names, so its hash covers them.
fn fingerprint_names(site: &Path) -> Result<()> {
    let mut pending: Vec<String> = files_under(site)?
        .into_iter()
        .filter(|file| !is_entry(file))
        .collect();
    while !pending.is_empty() {
        let mut texts = Vec::new();
        for file in files_under(site)?.into_iter().filter(|f| is_text(f)) {
            texts.push((file.clone(), read_text(&site.join(&file))?));
        }
        let names_pending = |text: &str, me: &str| {
            pending
                .iter()
                .any(|other| other != me && names(text, base_name(other)))
        };
        let ready: Vec<String> = pending
            .iter()
            .filter(|file| {
                !is_text(file)
                    || texts
                        .iter()
                        .find(|(name, _)| name == *file)
                        .is_none_or(|(_, text)| !names_pending(text, file))
            })
            .cloned()
            .collect();
        if ready.is_empty() {
            bail!(
                "the files {} name each other, so none can be given its hash first",
                pending.join(", ")
            );
        }
        for file in &ready {
            let bytes = read(&site.join(file))?;
            let new = hashed_name(file, &sha256_hex(&bytes)[..NAME_HASH_LEN]);
            fs::rename(site.join(file), site.join(&new))
                .with_context(|| format!("cannot rename {file}"))?;
            let (old_base, new_base) = (base_name(file), base_name(&new));
            for (name, text) in &texts {
                if name != file && names(text, old_base) {
                    let path = site.join(name);
                    let current = read_text(&path)?;
                    fs::write(&path, replace_name(&current, old_base, new_base))
                        .with_context(|| format!("cannot write {}", path.display()))?;
                }
            }
        }
        pending.retain(|file| !ready.contains(file));
    }
    Ok(())
}

/// `lecteur_bg.wasm` → `lecteur_bg.HASH.wasm`; `dir/LICENSE` → `dir/LICENSE.HASH`.
fn hashed_name(file: &str, hash: &str) -> String {
    let (dir, base) = match file.rsplit_once('/') {
        Some((dir, base)) => (format!("{dir}/"), base),
        None => (String::new(), file),
    };
    match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{dir}{stem}.{hash}.{ext}"),
        _ => format!("{dir}{base}.{hash}"),
    }
}

fn base_name(file: &str) -> &str {
    file.rsplit('/').next().unwrap_or(file)
}

/// Where `name` occurs in `text` as a whole file name (not inside a longer one).
fn occurrences<'a>(text: &'a str, name: &'a str) -> impl Iterator<Item = usize> + 'a {
    let part_of_name = |c: char| c.is_ascii_alphanumeric() || "_-.".contains(c);
    text.match_indices(name)
        .map(|(at, _)| at)
        .filter(move |&at| {
            let before = text[..at].chars().next_back();
            let after = text[at + name.len()..].chars().next();
            !before.is_some_and(part_of_name)
                && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
}

fn names(text: &str, name: &str) -> bool {
    occurrences(text, name).next().is_some()
}

fn replace_name(text: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for at in occurrences(text, old).collect::<Vec<_>>() {
        out.push_str(&text[last..at]);
        out.push_str(new);
        last = at + old.len();
    }
    out.push_str(&text[last..]);
    out
}

/// The service worker's list, as `sw.js` reads it.
#[derive(Serialize)]
struct Precache {
    build: String,
    /// An archive: the install leaves some files for later (see [`on_demand`]).
    archive: bool,
    files: Vec<PrecachedFile>,
}

#[derive(Serialize)]
struct PrecachedFile {
    path: String,
    /// The first [`LIST_HASH_LEN`] hex digits of its SHA-256.
    sha256: String,
    /// In bytes, as stored (the reader is told what a download will take).
    size: u64,
    /// Named by its content's hash: the worker may serve it from its cache for good.
    fingerprinted: bool,
    /// Downloaded by the worker's install; otherwise when first used, or asked for.
    install: bool,
}

/// The service worker's list: every file of the site but `sw.js`, with its hash and size,
/// as a JavaScript object literal (JSON).
fn precache_list(site: &Path, build: &str, archive: bool) -> Result<String> {
    let paths: Vec<String> = files_under(site)?
        .into_iter()
        .filter(|file| file != "sw.js")
        .collect();
    let mut files = Vec::new();
    for file in paths {
        let bytes = read(&site.join(&file))?;
        files.push(PrecachedFile {
            sha256: sha256_hex(&bytes)[..LIST_HASH_LEN].to_string(),
            size: bytes.len() as u64,
            fingerprinted: !is_entry(&file),
            install: !(archive && on_demand(&file)),
            path: file,
        });
    }
    let precache = Precache {
        build: build.to_string(),
        archive,
        files,
    };
    // Pretty, so that `"build": "…"` reads as the browser tests look for it.
    Ok(serde_json::to_string_pretty(&precache)?)
}

fn is_text(file: &str) -> bool {
    // An article's text (and an archive's excerpts of them) is the article's own words, never
    // rewritten, even where they happen to say a file's name.
    file.rsplit_once('.')
        .is_some_and(|(_, ext)| TEXT_EXTENSIONS.contains(&ext))
        && !is_article_text(file)
        && !is_index_part(file)
}

/// The files under `dir`, as sorted `/`-separated relative paths.
pub fn files_under(dir: &Path) -> Result<Vec<String>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> std::io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type()?.is_dir() {
                walk(&entry.path(), &format!("{name}/"), out)?;
            } else {
                out.push(name);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out).with_context(|| format!("cannot list {}", dir.display()))?;
    out.sort();
    Ok(out)
}

fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

fn read_text(path: &Path) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// The SHA-256 of `data` in lowercase hex: the service worker checks downloads with the
/// browser's own.
pub fn sha256_hex(data: &[u8]) -> String {
    format!("{:x}", Sha256::digest(data))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// The one file of the site whose name, fingerprinted, started as `stem.*.ext`.
    fn find_hashed(site: &Path, stem: &str, ext: &str) -> Result<PathBuf> {
        files_under(site)?
            .into_iter()
            .find(|file| {
                file.strip_prefix(stem)
                    .and_then(|rest| rest.strip_suffix(ext))
                    .and_then(|middle| middle.strip_prefix('.'))
                    .is_some_and(|hash| {
                        hash.len() == NAME_HASH_LEN && hash.bytes().all(|b| b.is_ascii_hexdigit())
                    })
            })
            .map(|file| site.join(file))
            .with_context(|| format!("{} has no {stem}.*{ext}", site.display()))
    }

    #[test]
    fn hashes_are_lowercase_hex_as_the_browser_writes_them() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn only_whole_file_names_are_rewritten() {
        let js = "new URL('lecteur_bg.wasm', x); './lecteur.js'; 'xlecteur.js'; lecteur.json";
        let js = replace_name(js, "lecteur.js", "lecteur.abc.js");
        assert_eq!(
            js,
            "new URL('lecteur_bg.wasm', x); './lecteur.abc.js'; 'xlecteur.js'; lecteur.json"
        );
        assert!(names("<link href=\"style.css\">", "style.css"));
        assert!(!names("<link href=\"mystyle.css\">", "style.css"));
        assert_eq!(hashed_name("a/b.c.js", "h"), "a/b.c.h.js");
        assert_eq!(hashed_name("LICENSE", "h"), "LICENSE.h");
    }

    #[test]
    fn a_site_gets_hashed_names_and_a_precache_list() {
        let scratch = tempfile::tempdir().unwrap();
        let site = scratch.path();
        let write = |name: &str, text: &str| fs::write(site.join(name), text).unwrap();
        write(
            "index.html",
            "<script src=\"main.js\"></script><link href=\"style.css\">",
        );
        write(
            "main.js",
            "import './lecteur.js'; const B = '__LECTEUR_BUILD_ID__';",
        );
        write("lecteur.js", "new URL('lecteur_bg.wasm')");
        write("lecteur_bg.wasm", "\0asm");
        write("style.css", "body{}");
        write("index.bin", "LECTEUR");
        write(
            "sw.js",
            "const PRECACHE = /* LECTEUR_PRECACHE */ { build: 'dev', files: [] };",
        );

        name_files(site, "b1").unwrap();
        fs::create_dir_all(site.join("a/x")).unwrap();
        write("a/x/index.html", "<p>page</p>");
        list_for_worker(site, "b1", false).unwrap();

        let main = find_hashed(site, "main", ".js").unwrap();
        let lecteur = find_hashed(site, "lecteur", ".js").unwrap();
        let wasm = find_hashed(site, "lecteur_bg", ".wasm").unwrap();
        let html = fs::read_to_string(site.join("index.html")).unwrap();
        let main_text = fs::read_to_string(&main).unwrap();
        let name = |path: &PathBuf| path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(html.contains(&format!("src=\"{}\"", name(&main))), "{html}");
        assert!(
            main_text.contains(&format!("'./{}'", name(&lecteur))),
            "{main_text}"
        );
        assert!(main_text.contains("'b1'"), "{main_text}");
        assert!(fs::read_to_string(&lecteur).unwrap().contains(&name(&wasm)));
        // The name's hash is that of the final content (which names the other hashed files).
        let expected = &sha256_hex(main_text.as_bytes())[..NAME_HASH_LEN];
        assert!(name(&main).contains(expected));

        let sw = fs::read_to_string(site.join("sw.js")).unwrap();
        // What the browser tests read the build from.
        assert!(sw.contains("\"build\": \"b1\""), "{sw}");
        let list = sw
            .strip_prefix("const PRECACHE = ")
            .and_then(|rest| rest.strip_suffix(';'))
            .unwrap();
        let list: serde_json::Value = serde_json::from_str(list).unwrap();
        let files = list["files"].as_array().unwrap();
        let listed: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
        let expected: Vec<String> = files_under(site)
            .unwrap()
            .into_iter()
            .filter(|file| file != "sw.js")
            .collect();
        assert_eq!(listed, expected);
        let entry = |path: &str| files.iter().find(|f| f["path"] == path).unwrap();
        assert_eq!(
            entry("index.bin")["sha256"],
            sha256_hex(b"LECTEUR")[..LIST_HASH_LEN]
        );
        assert_eq!(entry("index.bin")["fingerprinted"], false);
        assert_eq!(entry("a/x/index.html")["fingerprinted"], false);
        assert_eq!(entry(&name(&main))["fingerprinted"], true);
        assert_eq!(entry("index.bin")["size"], 7);
        // One article, below the archive's two: the install takes everything.
        assert_eq!(list["archive"], false);
        assert!(files.iter().all(|file| file["install"] == true));

        // An archive's install leaves the articles (pages and texts) and the index.
        fs::create_dir_all(site.join("a/y")).unwrap();
        write("a/y/index.html", "<p>autre</p>");
        write("a/y/texte.json", "{}");
        write("sw.js", PRECACHE_PLACEHOLDER);
        list_for_worker(site, "b1", true).unwrap();
        let sw = fs::read_to_string(site.join("sw.js")).unwrap();
        let list: serde_json::Value = serde_json::from_str(&sw).unwrap();
        assert_eq!(list["archive"], true);
        let later: Vec<&str> = list["files"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|file| file["install"] == false)
            .map(|file| file["path"].as_str().unwrap())
            .collect();
        assert_eq!(
            later,
            [
                "a/x/index.html",
                "a/y/index.html",
                "a/y/texte.json",
                "index.bin"
            ]
        );
    }

    #[test]
    fn an_archive_is_a_folder_of_at_least_so_many_articles() {
        let scratch = tempfile::tempdir().unwrap();
        for name in ["un.md", "deux.md", "lisez-moi.txt"] {
            fs::write(scratch.path().join(name), "").unwrap();
        }
        assert!(is_archive(scratch.path(), 2).unwrap());
        assert!(!is_archive(scratch.path(), 3).unwrap());
        assert!(is_archive(&scratch.path().join("absent"), 1).is_err());
    }

    #[test]
    fn an_articles_text_keeps_its_name_and_its_words() {
        let scratch = tempfile::tempdir().unwrap();
        let site = scratch.path();
        fs::create_dir_all(site.join("a/x")).unwrap();
        fs::write(site.join("main.js"), "const B = '__LECTEUR_BUILD_ID__';").unwrap();
        // An article that happens to name one of the site's files.
        let words = r#"{"blocks":["on télécharge main.js"]}"#;
        fs::write(site.join("a/x/texte.json"), words).unwrap();
        name_files(site, "b1").unwrap();
        assert_eq!(
            fs::read_to_string(site.join("a/x/texte.json")).unwrap(),
            words
        );
        assert!(is_article_text("a/x/texte.json"));
        assert!(!is_article_text("a/texte.json"));
        // An archive's excerpts, their words too.
        fs::create_dir_all(site.join("l")).unwrap();
        fs::write(site.join("l/0.json"), words).unwrap();
        fs::write(site.join("main.js"), "const B = '__LECTEUR_BUILD_ID__';").unwrap();
        name_files(site, "b2").unwrap();
        assert_eq!(fs::read_to_string(site.join("l/0.json")).unwrap(), words);
        assert!(!is_article_text("a/x/y/texte.json"));
    }

    #[test]
    fn article_pages_are_the_folders_of_a() {
        assert!(is_article_page("a/popcorn-time/index.html"));
        assert!(!is_article_page("a/index.html"));
        assert!(!is_article_page("a//index.html"));
        assert!(!is_article_page("a/x/y/index.html"));
        assert!(!is_article_page("api/index.html"));
    }
}
