//! A small static file server for the built site (`cargo xtask serve`, and the browser tests of
//! `cargo xtask test`).
//!
//! HTTP/1.1 `GET` and `HEAD` only, one thread per connection, `Connection: close`. Files are
//! served from under the root only: the path is percent-decoded (by the core's codec, the
//! page's: `lecteur_core::percent::decode_path`), `?query` ignored, `..` and anything resolving
//! outside the root (symlinks included) is a 404. `/` and any path ending in `/` serve that
//! directory's `index.html`; a directory without its trailing `/` is redirected
//! so that the site's relative URLs keep working. Every response says `Cache-Control: no-cache`
//! so a rebuilt site is picked up on reload, except files whose name carries their content's
//! hash (`lecteur_bg.1a2b3c4d5e6f.wasm`, see `fingerprint.rs`): those never change, so browsers
//! may keep them for good (`immutable`).
//!
//! A compressible file with precompressed siblings (`FILE.br`, `FILE.gz`, see `compress.rs`) is
//! sent as its brotli sibling to a browser that accepts `br`, else as its gzip sibling to one that
//! accepts `gzip`, else as is, with `Content-Encoding` saying which, `Vary: Accept-Encoding`, and
//! the file's own `Content-Type` (`application/wasm` for the wasm, so that it compiles while it
//! downloads).

use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use lecteur_core::percent;

use crate::compress;
use crate::process::{rel, say};

/// The first port `cargo xtask serve` tries.
pub const DEFAULT_PORT: u16 = 8000;
/// How many ports after the first one `cargo xtask serve` tries when it is busy.
const PORT_TRIES: u16 = 20;
/// The longest request head (request line and headers) accepted.
const MAX_HEAD: usize = 16 * 1024;

/// `cargo xtask serve`: builds the site into `target/site` and serves it until Ctrl-C.
pub fn command(port: u16, articles: Option<PathBuf>) -> Result<()> {
    let options = crate::build::Options::new(articles, None);
    let site = crate::build::site(&options)?;
    let listener = bind_from(port)?;
    let port = listener.local_addr()?.port();
    say!("serving {} (Ctrl-C to stop)", rel(&site).display());
    println!("Lecteur: http://localhost:{port}/");
    Server::new(site).logging(true).run(listener);
    Ok(())
}

/// Binds 127.0.0.1 on `port`, or on the next free port up to `PORT_TRIES` further.
pub fn bind_from(port: u16) -> Result<TcpListener> {
    let last = port.saturating_add(PORT_TRIES);
    for p in port..=last {
        match TcpListener::bind((Ipv4Addr::LOCALHOST, p)) {
            Ok(listener) => return Ok(listener),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => continue,
            Err(e) => bail!("cannot listen on 127.0.0.1:{p}: {e}"),
        }
    }
    bail!("ports {port} to {last} are all in use; stop what uses them or pass another `--port N`")
}

/// Binds an ephemeral port on 127.0.0.1 and serves `root` from a background thread; returns the
/// address. The thread lives until the process exits.
pub fn spawn(root: PathBuf) -> Result<SocketAddr> {
    let listener =
        TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("cannot listen on 127.0.0.1")?;
    let addr = listener.local_addr()?;
    let server = Server::new(root);
    std::thread::spawn(move || server.run(listener));
    Ok(addr)
}

/// Serves the files under a root directory.
#[derive(Clone, Debug)]
pub struct Server {
    root: PathBuf,
    log: bool,
}

impl Server {
    pub fn new(root: PathBuf) -> Self {
        Server { root, log: false }
    }

    /// Print one line per request (method, path, status).
    pub fn logging(mut self, log: bool) -> Self {
        self.log = log;
        self
    }

    /// Accepts connections forever, each handled on its own thread.
    pub fn run(self, listener: TcpListener) {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let server = self.clone();
            std::thread::spawn(move || {
                if let Err(e) = server.handle(stream) {
                    // Browsers often drop connections they no longer need; only worth a note.
                    if server.log {
                        say!("connection error: {e}");
                    }
                }
            });
        }
    }

    fn handle(&self, mut stream: TcpStream) -> io::Result<()> {
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        stream.set_write_timeout(Some(Duration::from_secs(30)))?;
        let Some(head) = read_head(&mut stream)? else {
            return Ok(()); // closed before sending a request
        };
        let response = self.respond(&head);
        if self.log {
            let line = head.lines().next().unwrap_or("");
            say!(
                "{} {}",
                response.status,
                line.rsplit_once(' ').map_or(line, |l| l.0)
            );
        }
        response.write_to(&mut stream)?;
        stream.flush()
    }

    /// The response to a request whose head (request line and headers) is `head`.
    fn respond(&self, head: &str) -> Response {
        let mut parts = head.lines().next().unwrap_or("").split(' ');
        let (Some(method), Some(target), Some(version), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Response::text(400, "Bad Request", "malformed request line\n");
        };
        if !version.starts_with("HTTP/1.") {
            return Response::text(505, "HTTP Version Not Supported", "HTTP/1.x only\n");
        }
        let head_only = match method {
            "GET" => false,
            "HEAD" => true,
            _ => {
                let mut r = Response::text(405, "Method Not Allowed", "GET and HEAD only\n");
                r.headers.push(("Allow", "GET, HEAD".into()));
                return r;
            }
        };
        let mut response = match resolve(&self.root, target) {
            Resolved::File(path) => self
                .file(head, &path, 200, "OK")
                .unwrap_or_else(|| Response::not_found(target)),
            Resolved::Redirect(location) => {
                let mut r = Response::text(301, "Moved Permanently", "moved\n");
                r.headers.push(("Location", location));
                r
            }
            Resolved::BadRequest => Response::text(400, "Bad Request", "malformed path\n"),
            Resolved::NotFound => not_found_page(&self.root, target)
                .and_then(|page| self.file(head, &page, 404, "Not Found"))
                .unwrap_or_else(|| Response::not_found(target)),
        };
        response.head_only = head_only;
        response
    }

    /// The response sending the file `path` (or its precompressed sibling the browser
    /// accepts) with `status`; `None` if it cannot be opened.
    fn file(&self, head: &str, path: &Path, status: u16, reason: &'static str) -> Option<Response> {
        let compressible = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(compress::is_compressible);
        let encoding = if compressible {
            let accept = header(head, "Accept-Encoding");
            // A sibling is served in the file's place: the same containment check applies.
            choose_encoding(accept, |suffix| {
                under_root(&self.root, &sibling(path, suffix))
            })
        } else {
            None
        };
        let served = match encoding {
            Some((_, suffix)) => sibling(path, suffix),
            None => path.to_path_buf(),
        };
        let file = File::open(&served).ok()?;
        let len = file.metadata().ok()?.len();
        let mut headers = vec![
            ("Content-Type", mime_type(path).into()),
            ("Cache-Control", cache_control(path).into()),
        ];
        if let Some((token, _)) = encoding {
            headers.push(("Content-Encoding", token.into()));
        }
        if compressible {
            headers.push(("Vary", "Accept-Encoding".into()));
        }
        Some(Response {
            status,
            reason,
            headers,
            body: Body::File(file, len),
            head_only: false,
        })
    }
}

/// The page for an address the site does not have: the `404.html` nearest to it, from its
/// folder up to the root, as static hosts look for it (a site in a folder has its own).
pub fn not_found_page(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let path = percent::decode_path(path).ok()?;
    let mut folders: Vec<&str> = path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .collect();
    if folders
        .iter()
        .any(|segment| *segment == ".." || segment.contains(['\\', '\0']))
    {
        return None;
    }
    loop {
        let candidate = folders
            .iter()
            .fold(root.to_path_buf(), |dir, segment| dir.join(segment))
            .join("404.html");
        if let Resolved::File(page) = resolve(
            root,
            &format!("/{}", candidate.strip_prefix(root).ok()?.to_string_lossy()),
        ) {
            return Some(page);
        }
        folders.pop()?;
    }
}

/// What a request target maps to under the root.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A regular file under the root.
    File(PathBuf),
    /// A directory asked for without its trailing `/`: where to go instead.
    Redirect(String),
    /// Not a valid path (bad percent-encoding, not UTF-8, not starting with `/`).
    BadRequest,
    /// Missing, or outside the root.
    NotFound,
}

/// Maps a request target (`/path?query`) to a file under `root`.
pub fn resolve(root: &Path, target: &str) -> Resolved {
    // Nothing of a target may end up in a response header as a control character.
    if target.chars().any(char::is_control) {
        return Resolved::BadRequest;
    }
    let (raw_path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    let raw_path = raw_path.split('#').next().unwrap_or("");
    if !raw_path.starts_with('/') {
        return Resolved::BadRequest;
    }
    let Ok(path) = percent::decode_path(raw_path) else {
        return Resolved::BadRequest;
    };
    let mut file = root.to_path_buf();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Resolved::NotFound,
            s if s.contains(['\\', '\0']) => return Resolved::NotFound,
            s => file.push(s),
        }
    }
    if path.ends_with('/') {
        file.push("index.html");
    } else if file.is_dir() {
        let query = query.map(|q| format!("?{q}")).unwrap_or_default();
        // One leading slash: `//sub/` in a `Location` names the host `sub`.
        let path = raw_path.trim_start_matches('/');
        return Resolved::Redirect(format!("/{path}/{query}"));
    }
    if under_root(root, &file) {
        Resolved::File(file)
    } else {
        Resolved::NotFound
    }
}

/// Whether `file` is a regular file that really lies under `root`: symlinks may point anywhere.
fn under_root(root: &Path, file: &Path) -> bool {
    match (file.canonicalize(), root.canonicalize()) {
        (Ok(real), Ok(real_root)) => real.starts_with(&real_root) && real.is_file(),
        _ => false,
    }
}

/// `FILE` + `suffix` (`index.html` → `index.html.br`).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The value of the header `name` (case-insensitive) in a request head, if present.
pub fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then_some(value.trim())
    })
}

/// The precompressed sibling to send, as (`Content-Encoding` token, file suffix), given the
/// request's `Accept-Encoding` and which siblings exist: brotli first, then gzip, each only if
/// the browser accepts it (named or `*`, with a q-value above 0); `None` for the file itself.
pub fn choose_encoding(
    accept: Option<&str>,
    exists: impl Fn(&str) -> bool,
) -> Option<(&'static str, &'static str)> {
    let accept = accept?;
    let q_of = |wanted: &str| {
        let mut named = None;
        let mut star = None;
        for item in accept.split(',') {
            let mut parts = item.split(';');
            let token = parts.next().unwrap_or("").trim();
            let mut q = 1.0_f32;
            for param in parts {
                if let Some((key, value)) = param.split_once('=')
                    && key.trim().eq_ignore_ascii_case("q")
                {
                    q = value.trim().parse().unwrap_or(0.0);
                }
            }
            if token.eq_ignore_ascii_case(wanted) {
                named = Some(q);
            } else if token == "*" {
                star = Some(q);
            }
        }
        named.or(star).unwrap_or(0.0)
    };
    compress::ENCODINGS
        .into_iter()
        .find(|(token, suffix)| q_of(token) > 0.0 && exists(suffix))
}

/// The `Content-Type` of a file, by its extension (case-insensitive).
pub fn mime_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "webmanifest" => "application/manifest+json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream", // bin and anything unknown
    }
}

/// `immutable` for a file whose name carries its content's hash (`name.HEX12.ext`), else
/// `no-cache` (revalidate every time).
pub fn cache_control(path: &Path) -> &'static str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let mut parts = name.rsplit('.');
    let (_ext, hash) = (parts.next(), parts.next());
    let fingerprinted = parts.next().is_some()
        && hash.is_some_and(|h| {
            h.len() == crate::fingerprint::NAME_HASH_LEN && h.bytes().all(|b| b.is_ascii_hexdigit())
        });
    if fingerprinted {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// Reads up to the blank line ending the request head. `None` if the peer closed first.
fn read_head(stream: &mut TcpStream) -> io::Result<Option<String>> {
    let mut head = Vec::new();
    let mut buf = [0; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        if head.len() > MAX_HEAD {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "request head too long",
            ));
        }
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(None);
        }
        head.extend_from_slice(&buf[..n]);
    }
    Ok(Some(String::from_utf8_lossy(&head).into_owned()))
}

enum Body {
    Text(String),
    File(File, u64),
}

struct Response {
    status: u16,
    reason: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Body,
    /// For `HEAD`: send the headers (`Content-Length` included) but no body.
    head_only: bool,
}

impl Response {
    fn text(status: u16, reason: &'static str, body: &str) -> Self {
        Response {
            status,
            reason,
            headers: vec![
                ("Content-Type", "text/plain; charset=utf-8".into()),
                ("Cache-Control", "no-cache".into()),
            ],
            body: Body::Text(body.to_string()),
            head_only: false,
        }
    }

    fn not_found(target: &str) -> Self {
        let path = target.split('?').next().unwrap_or(target);
        Response::text(404, "Not Found", &format!("404 Not Found: {path}\n"))
    }

    fn write_to(self, out: &mut impl Write) -> io::Result<()> {
        let length = match &self.body {
            Body::Text(text) => text.len() as u64,
            Body::File(_, len) => *len,
        };
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, self.reason);
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {length}\r\n\
             X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n"
        ));
        out.write_all(head.as_bytes())?;
        if !self.head_only {
            match self.body {
                Body::Text(text) => out.write_all(text.as_bytes())?,
                Body::File(mut file, _) => {
                    io::copy(&mut file, out)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn an_unknown_address_gets_the_nearest_404_page() {
        let site = Site::new();
        fs::create_dir_all(site.root.join("site/a")).unwrap();
        fs::write(site.root.join("site/404.html"), "page introuvable").unwrap();
        assert_eq!(
            not_found_page(&site.root, "/site/a/inconnu/?q=x"),
            Some(site.root.join("site/404.html"))
        );
        assert_eq!(not_found_page(&site.root, "/ailleurs/x"), None);
        assert_eq!(not_found_page(&site.root, "/site/../../etc/passwd"), None);
        let response = Server::new(site.root.clone())
            .respond("GET /site/a/inconnu/ HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(response.status, 404);
        assert!(matches!(response.body, Body::File(_, 16)));
    }

    /// A scratch site: its root, and the directory that removes it when dropped.
    struct Site {
        root: PathBuf,
        _scratch: tempfile::TempDir,
    }

    impl Site {
        fn new() -> Site {
            let scratch = tempfile::tempdir().unwrap();
            let dir = scratch.path().to_path_buf();
            fs::create_dir_all(dir.join("sub/deeper")).unwrap();
            fs::write(dir.join("index.html"), "<h1>Lecteur</h1>").unwrap();
            fs::write(dir.join("sub/index.html"), "sub").unwrap();
            fs::write(dir.join("a b.txt"), "spaced").unwrap();
            fs::write(dir.join("lecteur_bg.wasm"), b"\0asm").unwrap();
            Site {
                root: dir,
                _scratch: scratch,
            }
        }
    }

    #[test]
    fn mime_types_by_extension() {
        for (file, mime) in [
            ("index.html", "text/html; charset=utf-8"),
            ("lecteur.js", "text/javascript; charset=utf-8"),
            ("snippets/x.mjs", "text/javascript; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("lecteur_bg.wasm", "application/wasm"),
            ("data.json", "application/json"),
            ("index.bin", "application/octet-stream"),
            ("icon.svg", "image/svg+xml"),
            ("icon.png", "image/png"),
            ("site.webmanifest", "application/manifest+json"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("INDEX.HTML", "text/html; charset=utf-8"),
            ("README", "application/octet-stream"),
        ] {
            assert_eq!(mime_type(Path::new(file)), mime, "{file}");
        }
    }

    #[test]
    fn only_fingerprinted_files_are_kept_for_good() {
        for (file, kept) in [
            ("lecteur_bg.1a2b3c4d5e6f.wasm", true),
            ("sub/style.aaad1448e2cb.css", true),
            ("index.html", false),
            ("index.bin", false),
            ("sw.js", false),
            ("1a2b3c4d5e6f.js", false),
            ("main.notahexhash.js", false),
        ] {
            let expected = if kept {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            };
            assert_eq!(cache_control(Path::new(file)), expected, "{file}");
        }
    }

    /// The path is decoded by the core's codec (`lecteur_core::percent::decode_path`), the page's.
    #[test]
    fn percent_decoding() {
        let site = Site::new();
        let root = &site.root;
        fs::write(root.join("plain+plus.txt"), "plus").unwrap();
        fs::write(root.join("été.txt"), "accents").unwrap();
        let file = |p: &str| Resolved::File(root.join(p));
        assert_eq!(resolve(root, "/a%20b.txt"), file("a b.txt"));
        assert_eq!(resolve(root, "/%C3%A9t%c3%a9.txt"), file("été.txt"));
        // In a path `+` is itself, not a space as in a form.
        assert_eq!(resolve(root, "/plain+plus.txt"), file("plain+plus.txt"));
        // `%+1` is no escape, although `u8::from_str_radix("+1", 16)` reads one.
        for broken in [
            "/%ZZ", "/%4", "/%+1", "/%-1", "/%E9", /* Latin-1, not UTF-8 */
        ] {
            assert_eq!(resolve(root, broken), Resolved::BadRequest, "{broken}");
        }
        assert_eq!(not_found_page(root, "/%+1/x"), None);
    }

    #[test]
    fn resolves_paths_under_the_root() {
        let site = Site::new();
        let root = &site.root;
        let file = |p: &str| Resolved::File(root.join(p));
        assert_eq!(resolve(root, "/"), file("index.html"));
        assert_eq!(resolve(root, "/index.html"), file("index.html"));
        assert_eq!(resolve(root, "/index.html?q=hadopi"), file("index.html"));
        assert_eq!(resolve(root, "/?q=x"), file("index.html"));
        assert_eq!(resolve(root, "/sub/"), file("sub/index.html"));
        assert_eq!(resolve(root, "//sub/./index.html"), file("sub/index.html"));
        assert_eq!(resolve(root, "/a%20b.txt"), file("a b.txt"));
        assert_eq!(
            resolve(root, "/sub?x=1"),
            Resolved::Redirect("/sub/?x=1".into())
        );
        assert_eq!(resolve(root, "/missing.js"), Resolved::NotFound);
        assert_eq!(resolve(root, "/sub/deeper/"), Resolved::NotFound); // no index.html
        assert_eq!(resolve(root, "/%ZZ"), Resolved::BadRequest);
        assert_eq!(resolve(root, "index.html"), Resolved::BadRequest);
    }

    #[test]
    fn rejects_traversal_outside_the_root() {
        let site = Site::new();
        let root = &site.root.join("sub");
        for target in [
            "/../index.html",
            "/%2e%2e/index.html",
            "/%2E%2E%2Findex.html",
            "/deeper/../../index.html",
            "/..%5cindex.html",
            "/%00",
        ] {
            assert_eq!(resolve(root, target), Resolved::NotFound, "{target}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(site.root.join("index.html"), root.join("escape.html"))
                .unwrap();
            assert_eq!(resolve(root, "/escape.html"), Resolved::NotFound);
            // A precompressed sibling that leads out of the root is not sent in the file's place.
            fs::write(site.root.join("secret.txt"), "hors du site").unwrap();
            fs::write(root.join("style.css"), "body{}").unwrap();
            std::os::unix::fs::symlink(site.root.join("secret.txt"), root.join("style.css.br"))
                .unwrap();
            let response = Server::new(root.clone())
                .respond("GET /style.css HTTP/1.1\r\nAccept-Encoding: br\r\n\r\n");
            assert_eq!(response.status, 200);
            assert!(
                !response
                    .headers
                    .iter()
                    .any(|(name, _)| *name == "Content-Encoding")
            );
            assert!(
                matches!(response.body, Body::File(_, 6)),
                "the file itself, 6 bytes"
            );
        }
    }

    #[test]
    fn redirects_stay_on_the_host_and_targets_carry_no_control_character() {
        let site = Site::new();
        let root = &site.root;
        assert_eq!(resolve(root, "//sub"), Resolved::Redirect("/sub/".into()));
        assert_eq!(
            resolve(root, "///sub?x=1"),
            Resolved::Redirect("/sub/?x=1".into())
        );
        for target in [
            "/sub?x=1\rSet-Cookie:%20a=b",
            "/sub?\n",
            "/index.html\u{7f}",
        ] {
            assert_eq!(resolve(root, target), Resolved::BadRequest, "{target:?}");
        }
    }

    fn request(addr: SocketAddr, raw: &str) -> (String, Vec<u8>) {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.write_all(raw.as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8(response[..split].to_vec()).unwrap();
        (head, response[split + 4..].to_vec())
    }

    #[test]
    fn serves_real_requests_over_a_socket() {
        let site = Site::new();
        let addr = spawn(site.root.clone()).unwrap();

        let (head, body) = request(addr, "GET /?q=1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
        assert!(
            head.contains("Content-Type: text/html; charset=utf-8\r\n"),
            "{head}"
        );
        assert!(head.contains("Cache-Control: no-cache\r\n"), "{head}");
        assert!(head.contains("Content-Length: 16\r\n"), "{head}");
        assert_eq!(body, b"<h1>Lecteur</h1>");

        let (head, body) = request(addr, "HEAD /lecteur_bg.wasm HTTP/1.1\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
        assert!(
            head.contains("Content-Type: application/wasm\r\n"),
            "{head}"
        );
        assert!(head.contains("Content-Length: 4\r\n"), "{head}");
        assert!(body.is_empty());

        let (head, body) = request(addr, "GET /nope.js HTTP/1.1\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 404 Not Found\r\n"), "{head}");
        assert_eq!(body, b"404 Not Found: /nope.js\n");

        let (head, _) = request(addr, "GET /../etc/passwd HTTP/1.1\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 404 "), "{head}");

        let (head, _) = request(addr, "GET /sub HTTP/1.1\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 301 "), "{head}");
        assert!(head.contains("Location: /sub/\r\n"), "{head}");

        let (head, _) = request(addr, "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 405 "), "{head}");
        assert!(head.contains("Allow: GET, HEAD\r\n"), "{head}");

        let (head, _) = request(addr, "nonsense\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 400 "), "{head}");
    }

    #[test]
    fn negotiates_brotli_then_gzip() {
        let both = |_: &str| true;
        let gz_only = |suffix: &str| suffix == ".gz";
        let none = |_: &str| false;
        let br = Some(("br", ".br"));
        let gzip = Some(("gzip", ".gz"));
        for (accept, exists, expected) in [
            // What Chromium and Firefox send.
            (
                Some("gzip, deflate, br, zstd"),
                &both as &dyn Fn(&str) -> bool,
                br,
            ),
            (Some("gzip, deflate, br, zstd"), &gz_only, gzip),
            (Some("gzip, deflate, br"), &none, None),
            (Some("gzip"), &both, gzip),
            (Some("GZIP;q=0.5, BR;q=1.0"), &both, br),
            (Some("br;q=0, gzip"), &both, gzip),
            (Some("br; q=0.000, gzip;q=0"), &both, None),
            (Some("*"), &both, br),
            (Some("*;q=0, gzip"), &both, gzip),
            (Some("identity"), &both, None),
            (Some(""), &both, None),
            (None, &both, None),
        ] {
            assert_eq!(choose_encoding(accept, exists), expected, "{accept:?}");
        }
    }

    #[test]
    fn reads_headers_case_insensitively() {
        let head = "GET / HTTP/1.1\r\nHost: x\r\naccept-encoding:  gzip, br \r\n\r\n";
        assert_eq!(header(head, "Accept-Encoding"), Some("gzip, br"));
        assert_eq!(header(head, "Host"), Some("x"));
        assert_eq!(header(head, "Range"), None);
        assert_eq!(header("GET /a:b HTTP/1.1\r\n\r\n", "GET /a"), None);
    }

    #[test]
    fn serves_precompressed_siblings() {
        let site = Site::new();
        fs::write(site.root.join("lecteur_bg.wasm.br"), b"BR").unwrap();
        fs::write(site.root.join("lecteur_bg.wasm.gz"), b"GZIP").unwrap();
        fs::write(site.root.join("index.html.gz"), b"GZ").unwrap();
        fs::write(site.root.join("icon.png"), b"PNG").unwrap();
        fs::write(site.root.join("icon.png.br"), b"no").unwrap();
        let addr = spawn(site.root.clone()).unwrap();
        let get = |path: &str, accept: &str| {
            request(
                addr,
                &format!("GET {path} HTTP/1.1\r\nAccept-Encoding: {accept}\r\n\r\n"),
            )
        };

        let (head, body) = get("/lecteur_bg.wasm", "gzip, deflate, br, zstd");
        assert_eq!(body, b"BR");
        assert!(head.contains("Content-Encoding: br\r\n"), "{head}");
        assert!(
            head.contains("Content-Type: application/wasm\r\n"),
            "{head}"
        );
        assert!(head.contains("Vary: Accept-Encoding\r\n"), "{head}");
        assert!(head.contains("Content-Length: 2\r\n"), "{head}");

        let (head, body) = get("/lecteur_bg.wasm", "gzip");
        assert_eq!(body, b"GZIP");
        assert!(head.contains("Content-Encoding: gzip\r\n"), "{head}");

        let (head, body) = get("/lecteur_bg.wasm", "identity");
        assert_eq!(body, b"\0asm");
        assert!(!head.contains("Content-Encoding"), "{head}");
        assert!(head.contains("Vary: Accept-Encoding\r\n"), "{head}");

        // Only the siblings that exist; `/` is index.html.
        let (head, body) = get("/", "br, gzip");
        assert_eq!(body, b"GZ");
        assert!(head.contains("Content-Encoding: gzip\r\n"), "{head}");
        assert!(
            head.contains("Content-Type: text/html; charset=utf-8\r\n"),
            "{head}"
        );

        // Not a compressible type: never encoded, whatever lies beside it.
        let (head, body) = get("/icon.png", "br");
        assert_eq!(body, b"PNG");
        assert!(
            !head.contains("Content-Encoding") && !head.contains("Vary"),
            "{head}"
        );

        // HEAD gives the encoded length.
        let (head, body) = request(
            addr,
            "HEAD /lecteur_bg.wasm HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n",
        );
        assert!(head.contains("Content-Length: 4\r\n"), "{head}");
        assert!(body.is_empty());
    }

    #[test]
    fn tries_the_next_ports_when_busy() {
        let taken = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = taken.local_addr().unwrap().port();
        if port < u16::MAX {
            let next = bind_from(port).unwrap();
            assert_ne!(next.local_addr().unwrap().port(), port);
        }
    }
}
