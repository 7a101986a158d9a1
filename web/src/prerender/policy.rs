//! The content security policy every page carries, in a `<meta>` at the top of its head: only
//! what the reader needs may run or load, and an HTML injection is impossible by construction.
//!
//! The page's own inline scripts and styles are allowed by their hashes, computed here from
//! the finished document, so the policy and the page cannot drift apart; `'wasm-unsafe-eval'`
//! lets the program compile; Trusted Types are required for script sinks, and the one policy the
//! page defines (`lecteur`, in `www/main.js`) hands the browser nothing but its service worker.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// Where a document is opened, which decides what it may fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A page of the site, on a web host: its own origin only.
    Site,
    /// The single file opened from disk, which carries everything it needs and fetches nothing.
    File,
}

/// Where the policy goes: right after the document's character set, before any script or style.
const AFTER: &str = "<meta charset=\"utf-8\">";
/// How the policy's `<meta>` opens.
const OPENING: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"";

/// `html` with its policy (replacing the one it had, if any).
pub fn with_policy(html: &str, origin: Origin) -> Result<String, String> {
    let html = without_policy(html);
    let at = html
        .find(AFTER)
        .ok_or_else(|| format!("the document lacks `{AFTER}`, after which its policy goes"))?
        + AFTER.len();
    let policy = policy(&html, origin);
    Ok(format!(
        "{}{OPENING}{policy}\">{}",
        &html[..at],
        &html[at..]
    ))
}

/// `html` without its policy's `<meta>`.
fn without_policy(html: &str) -> String {
    match html.find(OPENING) {
        Some(start) => {
            let end = html[start..]
                .find('>')
                .map_or(html.len(), |end| start + end + 1);
            format!("{}{}", &html[..start], &html[end..])
        }
        None => html.to_string(),
    }
}

/// The policy of a document whose inline scripts and styles are those of `html`.
pub fn policy(html: &str, origin: Origin) -> String {
    let scripts = hashes(html, "script");
    let styles = hashes(html, "style");
    let common = "object-src 'none'; base-uri 'none'; \
                  require-trusted-types-for 'script'; trusted-types lecteur";
    match origin {
        Origin::Site => format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; \
             style-src 'self'{styles}; img-src 'self'; connect-src 'self'; worker-src 'self'; \
             manifest-src 'self'; form-action 'self'; {common}"
        ),
        Origin::File => format!(
            "default-src 'none'; script-src 'wasm-unsafe-eval'{scripts}; style-src{styles}; \
             img-src data:; worker-src blob:; form-action 'none'; {common}"
        ),
    }
}

/// ` 'sha256-…'` for each inline element `tag` of `html` that the browser runs or applies:
/// `<script>` without `src` that is not data (`type="application/…"`), `<style>`.
fn hashes(html: &str, tag: &str) -> String {
    let opening = format!("<{tag}");
    let closing = format!("</{tag}>");
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find(&opening) {
        let after = &rest[at + opening.len()..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let attributes = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let Some(body_end) = body.find(&closing) else {
            break;
        };
        let is_tag = attributes.is_empty() || attributes.starts_with(' ');
        let runs = !attributes.contains("src=") && !attributes.contains("type=\"application/");
        if is_tag && runs {
            let digest = Sha256::digest(&body.as_bytes()[..body_end]);
            out.push_str(&format!(" 'sha256-{}'", STANDARD.encode(digest)));
        }
        rest = &body[body_end + closing.len()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><style>p{}</style>\
        <script>alert(1)</script><script src=\"x.js\"></script></head><body>\
        <script type=\"application/json\" id=\"d\">{}</script><script>go()</script></body></html>";

    #[test]
    fn inline_scripts_and_styles_are_allowed_by_their_hashes_and_nothing_else() {
        let html = with_policy(PAGE, Origin::Site).unwrap();
        let policy = html
            .split(OPENING)
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        // The hashes of `alert(1)`, `go()` and `p{}`, as `openssl dgst -sha256 -binary | base64`.
        assert!(
            policy.contains("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"),
            "{policy}"
        );
        assert_eq!(policy.matches("'sha256-").count(), 3, "{policy}");
        for directive in [
            "default-src 'self'",
            "'wasm-unsafe-eval'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "require-trusted-types-for 'script'",
        ] {
            assert!(policy.contains(directive), "{directive} in {policy}");
        }
        assert!(!policy.contains("unsafe-inline"));
        // Written once, right after the character set; written again, replaced.
        assert!(
            html.starts_with("<!doctype html><html><head><meta charset=\"utf-8\"><meta http-equiv")
        );
        let again = with_policy(&html.replace("go()", "stop()"), Origin::File).unwrap();
        assert_eq!(again.matches(OPENING).count(), 1);
        assert!(again.contains("default-src 'none'"));
    }
}
