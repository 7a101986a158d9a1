//! Precompression: every compressible file of a built site gets two siblings, `FILE.br`
//! (brotli, quality 11, or 7 for an archive's articles: see [`brotli_quality`]) and `FILE.gz`
//! (gzip, level 9), which `serve.rs` sends to browsers that accept them (and which static hosts
//! such as nginx's `gzip_static`/`brotli_static` can serve).
//!
//! The compressing is done by Node.js's own zlib (`tools/precompress.js`) (`node` is needed for the tools and the tests
//! anyway), in one `node` run over all the files, as many at a time as the machine has cores. It runs after `fingerprint::list_for_worker`, so the
//! service worker's precache list names only the files themselves: the siblings are another
//! encoding of the same bytes, which the browser decodes before the worker sees them.

use std::fs;
use std::path::Path;

use anyhow::Result;

use crate::fingerprint::{files_under, is_article_page, is_article_text, is_index_part};
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

/// Brotli's quality for `file` of a site (`archive`: an archive's), `size` bytes long. The
/// smallest (11) for everything but:
/// - an archive's articles' files (pages and texts) and its index's parts, which get 7: on the generated
///   10,000-article archive, 0.8 ms a page against 30.7 ms, for 9,046 bytes against 8,384 (8 %
///   more, 3 ms on Slow 4G), where 11 took half of the build, and would take 25 minutes for
///   100,000 pages on two cores (qualities 9 and 10 cost 11 and 15 times as much as 7, for
///   0.1 % and 5 % less);
/// - a file over [`LARGEST_AT_11`], which gets 9: the 10,000-article archive's 19.7 MB index
///   took 32.4 s at 11 (10.49 MB) and 2.9 s at 9 (11.16 MB, 6 % more); at 100,000 articles, 11
///   would take several minutes on one core at the end of the build.
pub fn brotli_quality(file: &str, archive: bool, size: u64) -> u32 {
    if archive && (is_article_page(file) || is_article_text(file) || is_index_part(file)) {
        7
    } else if size > LARGEST_AT_11 {
        9
    } else {
        11
    }
}

/// The largest file compressed at brotli's quality 11 (see [`brotli_quality`]).
pub const LARGEST_AT_11: u64 = 64 << 20;

/// Writes `FILE.br` and `FILE.gz` beside each compressible file under `site`.
pub fn site(site: &Path, archive: bool) -> Result<()> {
    let lines: Vec<String> = files_under(site)?
        .into_iter()
        .filter(|file| is_compressible(file))
        .map(|file| {
            let size = fs::metadata(site.join(&file)).map_or(0, |metadata| metadata.len());
            format!("{file}\t{}", brotli_quality(&file, archive, size))
        })
        .collect();
    if lines.is_empty() {
        return Ok(());
    }
    // The list goes through standard input: a large site names more files than a command
    // line may hold.
    run_with_input(
        command("node")
            .current_dir(site)
            .arg(root().join(SCRIPT))
            .arg("-"),
        lines.join("\n").as_bytes(),
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
    fn an_archives_articles_and_the_largest_files_are_compressed_faster() {
        assert_eq!(brotli_quality("a/x/index.html", true, 9_000), 7);
        assert_eq!(brotli_quality("a/x/texte.json", true, 3_000), 7);
        assert_eq!(brotli_quality("i/3.bin", true, 16_384), 7);
        assert_eq!(brotli_quality("a/x/index.html", false, 9_000), 11);
        for file in [
            "index.html",
            "index.bin",
            "lecteur_bg.1a2b3c4d5e6f.wasm",
            "404.html",
        ] {
            assert_eq!(brotli_quality(file, true, 20 << 20), 11, "{file}");
        }
        assert_eq!(brotli_quality("index.bin", true, LARGEST_AT_11 + 1), 9);
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
        fs::create_dir_all(dir.join("a/x")).unwrap();
        fs::write(dir.join("a/x/index.html"), &text).unwrap();
        site(dir, true).unwrap();
        let mut files = files_under(dir).unwrap();
        files.sort();
        assert_eq!(
            files,
            [
                "a/x/index.html",
                "a/x/index.html.br",
                "a/x/index.html.gz",
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
        // Decompressed by Node, the siblings give back the file, at either quality.
        let check = "const fs=require('node:fs'),z=require('node:zlib');\
            for(const f of ['index.html','a/x/index.html']){const t=fs.readFileSync(f);\
            if(!z.brotliDecompressSync(fs.readFileSync(f+'.br')).equals(t))process.exit(1);\
            if(!z.gunzipSync(fs.readFileSync(f+'.gz')).equals(t))process.exit(2);}";
        let status = command("node")
            .current_dir(dir)
            .args(["-e", check])
            .status()
            .unwrap();
        assert!(status.success());
    }
}
