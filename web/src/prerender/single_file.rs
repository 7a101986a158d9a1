//! The single-file edition (`cargo xtask dist` writes it as `dist/lecteur.html`): the built
//! home page with the page's glue and wasm, the engine's worker and wasm, and the index inside, which opens from disk
//! (`file://`) with no server, shows the list at once, and searches and reads the same.
//!
//! The page's loader (`www/main.js`) reads the wasm and the index from the document's end once
//! it is parsed (`data-fichier-unique`), and takes the glue the document carries
//! (`globalThis.lecteurProgramme`), and starts the engine's worker from a blob of the worker's
//! text the document carries (its glue, then `www/engine-worker.js`); the program keeps its addresses in the hash, as `file://`
//! has no server to give each page its own, and skips the service worker. Its policy allows its
//! own inline scripts and styles, by their hashes, workers from blobs, and nothing to fetch.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::policy::{Origin, with_policy};

/// What goes into the single file besides the built home page.
pub struct Carried<'a> {
    /// The program's glue (`lecteur.js`), a module.
    pub glue: &'a str,
    pub wasm: &'a [u8],
    /// The engine's worker: its glue (a classic script) followed by `engine-worker.js`.
    pub engine_worker: &'a str,
    pub engine_wasm: &'a [u8],
    pub index: &'a [u8],
    pub favicon: &'a [u8],
}

/// The single file, from the built home page (`index.html` of a built site).
pub fn single_file(home: &str, carried: &Carried) -> Result<String, String> {
    let opening = "<html lang=\"fr\">";
    if !home.contains(opening) {
        return Err(format!(
            "index.html does not open with `{opening}`; is it the built home page?"
        ));
    }
    let home = home.replacen(opening, "<html lang=\"fr\" data-fichier-unique>", 1);
    let carried_bytes = carried.wasm.len() + carried.engine_wasm.len() + carried.index.len();
    let mut out =
        String::with_capacity(home.len() + carried.engine_worker.len() + carried_bytes * 4 / 3);
    for line in home.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("<link rel=\"manifest\"")
            || trimmed.starts_with("<link rel=\"apple-touch-icon\"")
        {
            continue; // an installable app needs a server; the file is opened, not installed
        } else if trimmed.starts_with("<link rel=\"icon\"") {
            out.push_str(&format!(
                "<link rel=\"icon\" href=\"data:image/svg+xml;base64,{}\">\n",
                STANDARD.encode(carried.favicon)
            ));
        } else if trimmed.starts_with("</body>") {
            for (id, bytes) in [
                ("lecteur-wasm", carried.wasm),
                ("lecteur-moteur-wasm", carried.engine_wasm),
                ("lecteur-index", carried.index),
            ] {
                out.push_str(&format!(
                    "<script type=\"application/octet-stream\" id=\"{id}\">{}</script>\n",
                    STANDARD.encode(bytes)
                ));
            }
            // Text for the blob, which the document does not run (an `application/` type).
            out.push_str(&format!(
                "<script type=\"application/x-lecteur-worker\" id=\"lecteur-moteur\">{}</script>\n",
                carried.engine_worker.replace("</script", "<\\/script")
            ));
            out.push_str(&format!(
                "<script type=\"module\">{}</script>\n",
                glue_in_document(carried.glue)?.replace("</script", "<\\/script")
            ));
            out.push_str(line);
            out.push('\n');
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !out.contains("id=\"lecteur-index\"") {
        return Err("index.html has no `</body>` line; is it the built home page?".into());
    }
    with_policy(&out, Origin::File)
}

/// The glue as a module of the document, which no one can import: what it exports (its
/// default, the function that loads the wasm, and `start`) is handed to the page's loader as
/// `globalThis.lecteurProgramme` instead.
fn glue_in_document(glue: &str) -> Result<String, String> {
    let unexpected = || {
        "the glue no longer ends with `export{… as default}` and an `export function start(`; \
         update web/src/prerender/single_file.rs"
            .to_string()
    };
    let clause_at = glue.rfind("export{").ok_or_else(unexpected)?;
    let clause_end = clause_at + glue[clause_at..].find('}').ok_or_else(unexpected)?;
    let default = glue[clause_at + "export{".len()..clause_end]
        .split(',')
        .find_map(|pair| pair.trim().strip_suffix(" as default"))
        .ok_or_else(unexpected)?;
    if !glue.contains("export function start(") {
        return Err(unexpected());
    }
    let handed = format!("globalThis.lecteurProgramme={{default:{default},start}};");
    Ok(
        format!("{}{handed}{}", &glue[..clause_at], &glue[clause_end + 1..]).replacen(
            "export function start(",
            "function start(",
            1,
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glue_hands_its_exports_to_the_loader() {
        let glue =
            "function z(){}export function start(a){}const q=1;export{G as initSync,z as default};";
        assert_eq!(
            glue_in_document(glue).unwrap(),
            "function z(){}function start(a){}const q=1;globalThis.lecteurProgramme={default:z,start};;"
        );
        assert!(glue_in_document("export default function init(){}").is_err());
    }

    #[test]
    fn the_single_file_carries_everything_and_fetches_nothing() {
        let home = "<!doctype html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n\
            <link rel=\"icon\" href=\"favicon.1.svg\">\n<link rel=\"manifest\" href=\"m\">\n\
            <script>start()</script>\n</head>\n<body>\n<main></main>\n</body>\n</html>\n";
        let carried = Carried {
            glue: "export function start(){}export{w as default}",
            wasm: b"\0asm",
            engine_worker: "let wasm_bindgen;/* </script> */\nonmessage=()=>{}",
            engine_wasm: b"\0asm\x01",
            index: b"LECTEUR",
            favicon: b"<svg/>",
        };
        let html = single_file(home, &carried).unwrap();
        assert!(html.contains("data-fichier-unique"));
        assert!(!html.contains("rel=\"manifest\""));
        assert!(html.contains("href=\"data:image/svg+xml;base64,PHN2Zy8+\""));
        assert!(html.contains("id=\"lecteur-wasm\">AGFzbQ==</script>"));
        assert!(html.contains("id=\"lecteur-moteur-wasm\">AGFzbQE=</script>"));
        // The worker's text is data for a blob, and cannot close its element early.
        assert!(html.contains(
            "<script type=\"application/x-lecteur-worker\" id=\"lecteur-moteur\">let wasm_bindgen;/* <\\/script> */"
        ));
        assert!(html.contains("worker-src blob:"));
        assert!(html.contains("globalThis.lecteurProgramme={default:w,start}"));
        assert!(html.contains("default-src 'none'"));
        // Both inline scripts that run are allowed, by hash.
        let policy = html
            .split("content=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(policy.matches("'sha256-").count(), 2, "{policy}");
    }
}
