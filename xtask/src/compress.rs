//! Precompression: every compressible file of a built site gets two siblings, `FILE.br`
//! (brotli, quality 11) and `FILE.gz` (gzip, level 9), which `serve.rs` sends to browsers that
//! accept them (and which static hosts such as nginx's `gzip_static`/`brotli_static` can serve).
//!
//! The compressing is done by Node.js's own zlib (`tools/precompress.js`) (`node` is needed for the tools and the tests
//! anyway), in one `node` run over all the files, as many at a time as the machine has cores. It runs after `fingerprint::list_for_worker`, so the
//! service worker's precache list names only the files themselves: the siblings are another
//! encoding of the same bytes, which the browser decodes before the worker sees them.

use std::path::Path;

use anyhow::Result;

use crate::fingerprint::files_under;
use crate::process::{command, root, run_with_input};

/// The Node.js script that writes the siblings.
const SCRIPT: &str = "tools/precompress.js";

/// Extensions of the files worth compressing (images such as PNG already are).
pub const COMPRESSIBLE: [&str; 9] = [
    "wasm",
    "js",
    "css",
    "html",
    "bin",
    "json",
    "webmanifest",
    "svg",
    "txt",
];

/// The encodings written, as (`Content-Encoding` token, file suffix), in order of preference.
pub const ENCODINGS: [(&str, &str); 2] = [("br", ".br"), ("gzip", ".gz")];

/// Writes `FILE.br` and `FILE.gz` beside each compressible file under `site`.
pub fn site(site: &Path) -> Result<()> {
    let files: Vec<String> = files_under(site)?
        .into_iter()
        .filter(|file| is_compressible(file))
        .collect();
    if files.is_empty() {
        return Ok(());
    }
    // The list goes through standard input: a large site names more files than a command
    // line may hold.
    run_with_input(
        command("node")
            .current_dir(site)
            .arg(root().join(SCRIPT))
            .arg("-"),
        files.join("\n").as_bytes(),
        "precompressing needs Node.js (`node`) on PATH; `cargo xtask setup` says how to get it",
    )
}

/// Whether a file is one that gets compressed siblings (by its extension, case-insensitive).
pub fn is_compressible(file: &str) -> bool {
    file.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && !stem.ends_with('/')
            && COMPRESSIBLE.contains(&ext.to_ascii_lowercase().as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn what_is_compressed() {
        for (file, yes) in [
            ("lecteur_bg.1a2b3c4d5e6f.wasm", true),
            ("index.bin", true),
            ("index.html", true),
            ("manifest.webmanifest", true),
            ("sub/style.aaad1448e2cb.css", true),
            ("favicon.svg", true),
            ("MAIN.JS", true),
            ("icon-192.png", false),
            ("index.html.br", false),
            ("index.html.gz", false),
            ("README", false),
            (".js", false),
        ] {
            assert_eq!(is_compressible(file), yes, "{file}");
        }
    }

    #[test]
    fn siblings_decompress_to_the_file() {
        // Not skipped without node: the site could not be built either.
        assert!(
            crate::process::on_path("node"),
            "node is missing: `cargo xtask setup` installs it (Debian's nodejs)"
        );
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();
        fs::create_dir_all(dir.join("sub")).unwrap();
        let text = "Popcorn Time, la Hadopi et le téléchargement. ".repeat(200);
        fs::write(dir.join("index.html"), &text).unwrap();
        fs::write(dir.join("sub/a.js"), "x").unwrap();
        fs::write(dir.join("icon.png"), "png").unwrap();
        site(dir).unwrap();
        let mut files = files_under(dir).unwrap();
        files.sort();
        assert_eq!(
            files,
            [
                "icon.png",
                "index.html",
                "index.html.br",
                "index.html.gz",
                "sub/a.js",
                "sub/a.js.br",
                "sub/a.js.gz"
            ]
        );
        let br = fs::read(dir.join("index.html.br")).unwrap();
        let gz = fs::read(dir.join("index.html.gz")).unwrap();
        assert!(br.len() < text.len() / 10 && gz.len() < text.len() / 10);
        assert_eq!(&gz[..2], &[0x1f, 0x8b], "gzip magic");
        // Decompressed by Node, the siblings give back the file.
        let check = "const fs=require('node:fs'),z=require('node:zlib');\
            const t=fs.readFileSync('index.html');\
            if(!z.brotliDecompressSync(fs.readFileSync('index.html.br')).equals(t))process.exit(1);\
            if(!z.gunzipSync(fs.readFileSync('index.html.gz')).equals(t))process.exit(2);";
        let status = command("node")
            .current_dir(dir)
            .args(["-e", check])
            .status()
            .unwrap();
        assert!(status.success());
    }
}
