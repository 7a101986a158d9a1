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
//!   `index.bin` (the page asks for it by its plain name; the build id protects it instead).
//! - `sw.js` receives the list of the built files with their SHA-256, computed from the files
//!   themselves, in place of its placeholder.

use std::fs;
use std::path::Path;

/// Files that keep their names: what browsers and the page ask for by a fixed name (and every
/// folder's `index.html`, see [`is_entry`]).
const ENTRY_FILES: [&str; 5] = [
    "index.html",
    "404.html",
    "sw.js",
    "manifest.webmanifest",
    "index.bin",
];
/// Files whose text may name other files of the site.
const TEXT_EXTENSIONS: [&str; 6] = ["html", "js", "css", "webmanifest", "svg", "json"];
/// What `www/main.js` says in place of the build id.
pub const BUILD_ID_PLACEHOLDER: &str = "__LECTEUR_BUILD_ID__";
/// What `www/sw.js` says in place of its precache list.
const PRECACHE_PLACEHOLDER: &str = "/* LECTEUR_PRECACHE */ { build: 'dev', files: [] }";
/// Hex digits of the content hash put into file names.
pub const NAME_HASH_LEN: usize = 12;

/// The id of a build: a hash of the staged site (before fingerprinting) and of the articles.
pub fn build_id(site: &Path, articles: &Path) -> Result<String, String> {
    let mut input = Vec::new();
    for (label, dir) in [("site", site), ("articles", articles)] {
        for file in files_under(dir)? {
            let bytes = read(&dir.join(&file))?;
            input.extend_from_slice(format!("{label}/{file}\0{}\0", bytes.len()).as_bytes());
            input.extend_from_slice(&bytes);
        }
    }
    Ok(hex(&sha256(&input))[..16].to_string())
}

/// Writes the build id into `main.js` and fingerprints the file names.
pub fn name_files(site: &Path, build: &str) -> Result<(), String> {
    replace_placeholder(&site.join("main.js"), BUILD_ID_PLACEHOLDER, build)?;
    fingerprint_names(site)
}

/// Fills in `sw.js` with every file of the finished site (pages included).
pub fn list_for_worker(site: &Path, build: &str) -> Result<(), String> {
    let list = precache_list(site, build)?;
    replace_placeholder(&site.join("sw.js"), PRECACHE_PLACEHOLDER, &list)
}

/// Whether a file keeps its name: an entry point, or a page (a folder's `index.html`).
fn is_entry(file: &str) -> bool {
    ENTRY_FILES.contains(&file) || file.ends_with("/index.html")
}

fn replace_placeholder(path: &Path, placeholder: &str, value: &str) -> Result<(), String> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if !text.contains(placeholder) {
        return Err(format!(
            "{} lacks the placeholder `{placeholder}` the build fills in; restore it from www/",
            path.display()
        ));
    }
    let text = text.replace(placeholder, value);
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Renames every file but the entry files to `stem.HASH.ext`, leaves first: a file is renamed
/// once the files it names have their final names, so its hash covers them.
fn fingerprint_names(site: &Path) -> Result<(), String> {
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
            return Err(format!(
                "the files {} name each other, so none can be given its hash first",
                pending.join(", ")
            ));
        }
        for file in &ready {
            let bytes = read(&site.join(file))?;
            let new = hashed_name(file, &hex(&sha256(&bytes))[..NAME_HASH_LEN]);
            fs::rename(site.join(file), site.join(&new))
                .map_err(|e| format!("cannot rename {file}: {e}"))?;
            let (old_base, new_base) = (base_name(file), base_name(&new));
            for (name, text) in &texts {
                if name != file && names(text, old_base) {
                    let path = site.join(name);
                    let current = read_text(&path)?;
                    fs::write(&path, replace_name(&current, old_base, new_base))
                        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
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

/// The service worker's list: every file of the site but `sw.js`, with its SHA-256, as a
/// JavaScript object literal (JSON).
fn precache_list(site: &Path, build: &str) -> Result<String, String> {
    let mut entries = Vec::new();
    for file in files_under(site)? {
        if file == "sw.js" {
            continue;
        }
        let sha = hex(&sha256(&read(&site.join(&file))?));
        let fingerprinted = !is_entry(&file);
        entries.push(format!(
            "\n    {{ \"path\": {}, \"sha256\": \"{sha}\", \"fingerprinted\": {fingerprinted} }}",
            json_string(&file)
        ));
    }
    Ok(format!(
        "{{\n  \"build\": {},\n  \"files\": [{}\n  ]\n}}",
        json_string(build),
        entries.join(",")
    ))
}

fn json_string(s: &str) -> String {
    let mut out = String::from('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_text(file: &str) -> bool {
    file.rsplit_once('.')
        .is_some_and(|(_, ext)| TEXT_EXTENSIONS.contains(&ext))
}

/// The files under `dir`, as sorted `/`-separated relative paths.
pub fn files_under(dir: &Path) -> Result<Vec<String>, String> {
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
    walk(dir, "", &mut out).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    out.sort();
    Ok(out)
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn read_text(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 (FIPS 180-4): the service worker checks downloads with the browser's own.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes(word.try_into().expect("4 bytes"));
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let choice = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(choice)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let majority = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(majority);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (state, value) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *state = state.wrapping_add(value);
        }
    }
    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// The one file of the site whose name, fingerprinted, started as `stem.*.ext`.
    fn find_hashed(site: &Path, stem: &str, ext: &str) -> Result<PathBuf, String> {
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
            .ok_or_else(|| format!("{} has no {stem}.*{ext}", site.display()))
    }

    #[test]
    fn sha256_matches_the_standard_vectors() {
        assert_eq!(
            hex(&sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(&sha256(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
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
        let site = std::env::temp_dir().join(format!("xtask-fingerprint-{}", std::process::id()));
        let _ = fs::remove_dir_all(&site);
        fs::create_dir_all(&site).unwrap();
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

        name_files(&site, "b1").unwrap();
        fs::create_dir_all(site.join("a/x")).unwrap();
        write("a/x/index.html", "<p>page</p>");
        list_for_worker(&site, "b1").unwrap();

        let main = find_hashed(&site, "main", ".js").unwrap();
        let lecteur = find_hashed(&site, "lecteur", ".js").unwrap();
        let wasm = find_hashed(&site, "lecteur_bg", ".wasm").unwrap();
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
        let expected = &hex(&sha256(main_text.as_bytes()))[..NAME_HASH_LEN];
        assert!(name(&main).contains(expected));

        let sw = fs::read_to_string(site.join("sw.js")).unwrap();
        assert!(sw.contains("\"build\": \"b1\""), "{sw}");
        for file in files_under(&site).unwrap() {
            let listed = sw.contains(&format!("\"path\": \"{file}\""));
            assert_eq!(listed, file != "sw.js", "{file} in {sw}");
        }
        assert!(sw.contains("\"path\": \"index.bin\", \"sha256\": \""));
        assert!(sw.contains("\"path\": \"a/x/index.html\", \"sha256\": \""));
        assert!(sw.contains("\"fingerprinted\": false"));
        assert!(sw.contains(&hex(&sha256(b"LECTEUR"))));
        fs::remove_dir_all(&site).unwrap();
    }
}
