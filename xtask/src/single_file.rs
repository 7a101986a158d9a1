//! The single-file edition written by `cargo xtask dist`: one HTML file carrying the styles,
//! the program (its JavaScript inline, its wasm in base64) and the index (base64, articles
//! included), which opens from disk (`file://`) with no server.
//!
//! It is made from a built site, so it is the same build, and from its home page, rendered ahead
//! of time with its styles inline, so it shows the list at once: `main.js` finds the wasm and
//! the index in the document (`#lecteur-wasm`, `#lecteur-index`) instead of fetching them, the
//! program takes the page over with its addresses in the hash (`file://` has no server to give
//! each page its own), and the service worker, which `file://` does not have, is skipped.

use std::fs;
use std::path::Path;

use crate::fingerprint::find_hashed;

/// Writes the single file for the built site in `site` to `out`.
pub fn write(site: &Path, out: &Path) -> Result<(), String> {
    let html = make(site)?;
    let temporary = out.with_extension("html.tmp");
    fs::write(&temporary, html)
        .and_then(|()| fs::rename(&temporary, out))
        .map_err(|e| format!("cannot write {}: {e}", out.display()))
}

fn make(site: &Path) -> Result<String, String> {
    let read =
        |path: &Path| fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()));
    let text = |path: &Path| {
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let html = text(&site.join("index.html"))?;
    let favicon = read(&find_hashed(site, "favicon", ".svg")?)?;
    let wasm = read(&find_hashed(site, "lecteur_bg", ".wasm")?)?;
    let glue = text(&find_hashed(site, "lecteur", ".js")?)?;
    let index = read(&site.join("index.bin"))?;

    // The page's loader (www/main.js, inline in its head) imports the glue, unless the document
    // carries it (`globalThis.lecteurProgramme`: here from a `data:` address, whatever names the
    // minified glue gives its functions), and reads the wasm and the index from the document's
    // end once it is parsed, as `data-fichier-unique` tells it.
    let opening = "<html lang=\"fr\">";
    if !html.contains(opening) {
        return Err(format!(
            "index.html does not open with `{opening}`; update single_file.rs"
        ));
    }
    let html = html.replacen(opening, "<html lang=\"fr\" data-fichier-unique>", 1);
    let program = format!(
        "<script>globalThis.lecteurProgramme = import('data:text/javascript;base64,{}');</script>\n",
        base64(glue.as_bytes())
    );

    let mut out = String::with_capacity(html.len() + (wasm.len() + index.len()) * 4 / 3);
    for line in html.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("<link rel=\"manifest\"")
            || trimmed.starts_with("<link rel=\"apple-touch-icon\"")
        {
            continue; // an installable app needs a server; the file is opened, not installed
        } else if trimmed.starts_with("<link rel=\"icon\"") {
            out.push_str(&format!(
                "<link rel=\"icon\" href=\"data:image/svg+xml;base64,{}\">\n",
                base64(&favicon)
            ));
        } else if trimmed.starts_with("</body>") {
            for (id, bytes) in [("lecteur-wasm", &wasm), ("lecteur-index", &index)] {
                out.push_str(&format!(
                    "<script type=\"application/octet-stream\" id=\"{id}\">{}</script>\n",
                    base64(bytes)
                ));
            }
            out.push_str(&program);
            out.push_str(line);
            out.push('\n');
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !out.contains("id=\"lecteur-index\"") || !out.contains("<style>") {
        return Err(
            "index.html lacks its inline `<style>` or the `</body>` the single file fills in; \
             is it the built home page?"
                .into(),
        );
    }
    Ok(out)
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected, "{input}");
        }
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }
}
