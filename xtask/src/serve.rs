//! The project's one static file server: `cargo xtask serve`, the browser tests' server in
//! `cargo xtask test`, and `cargo xtask static`, which the Node harnesses
//! (`tests/browser/static-server.mjs`, used by `site-server.mjs` and `bench/harness.mjs`) start
//! as a child process when a test must stop its server, swap its site or count its bytes.
//!
//! Reading requests is tiny_http's; the response is written here, whole, and says
//! `Connection: close` (see [`Response::send`]), so that no browser reuses a connection; what a
//! static host must get right for the reader is here, because the tests pin it:
//!
//! - Files are served from under a root only: the path is percent-decoded (by the core's codec,
//!   the page's: `lecteur_core::percent::decode_path`), `?query` ignored, `..` and anything
//!   resolving outside the root (symlinks included) is a 404. `/` and any path ending in `/`
//!   serve that directory's `index.html`; a directory without its trailing `/` is redirected so
//!   that the site's relative URLs keep working. An address the site does not have gets the
//!   nearest `404.html`, as static hosts send it.
//! - A site can be mounted in a folder (`/lecteur/sous-dossier/`), and other sites in other
//!   folders of the same host, as a host serving several sites from folders does.
//! - Every response says `Cache-Control: no-cache` so a rebuilt site is picked up on reload,
//!   except files whose name carries their content's hash (`lecteur_bg.1a2b3c4d5e6f.wasm`, see
//!   `fingerprint.rs`): those never change, so browsers may keep them for good (`immutable`).
//! - A compressible file with precompressed siblings (`FILE.br`, `FILE.gz`, see `compress.rs`)
//!   is sent as its brotli sibling to a browser that accepts `br`, else as its gzip sibling to
//!   one that accepts `gzip`, else as is, with `Content-Encoding` saying which,
//!   `Vary: Accept-Encoding`, and the file's own `Content-Type` (`application/wasm` for the
//!   wasm, so that it compiles while it downloads).
//! - `Range: bytes=A-B` gets `206 Partial Content` with `Content-Range` (a later archive mode
//!   reads slices of large files), `416` when no byte of it exists; files say
//!   `Accept-Ranges: bytes`.

use std::fs::File;
use std::io::{self, Cursor, Read, Seek, SeekFrom, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result, anyhow, bail};
use lecteur_core::percent;
use tiny_http::{Method, StatusCode};

use crate::compress;
use crate::process::{rel, say, user_path};

/// The first port `cargo xtask serve` tries.
pub const DEFAULT_PORT: u16 = 8000;
/// How many ports after the first one `cargo xtask serve` tries when it is busy.
const PORT_TRIES: u16 = 20;
/// The `Server` header: who answered, for someone reading a trace.
const SERVER: &str = "lecteur-xtask";

/// `cargo xtask serve`: builds the site into `target/site` and serves it until Ctrl-C.
pub fn command(port: u16, articles: Option<PathBuf>) -> Result<()> {
    let options = crate::build::Options::new(articles, None);
    let site = crate::build::site(&options)?;
    let listener = bind_from(port)?;
    let port = listener.local_addr()?.port();
    say!("serving {} (Ctrl-C to stop)", rel(&site).display());
    println!("Lecteur: http://localhost:{port}/");
    Server::new(site).logging(Log::Lines).run(listener)
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

/// Binds an ephemeral port on 127.0.0.1 and runs `server` from a background thread; returns
/// the address. The thread lives until the process exits.
pub fn spawn(server: Server) -> Result<SocketAddr> {
    let listener =
        TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("cannot listen on 127.0.0.1")?;
    let addr = listener.local_addr()?;
    let http = listen(listener)?;
    std::thread::spawn(move || server.run_on(&http));
    Ok(addr)
}

/// What `cargo xtask static` serves, and how (see `cargo xtask --help`).
#[derive(Debug, PartialEq, Eq)]
pub struct StaticOptions {
    pub root: Option<PathBuf>,
    pub mount: String,
    /// Other sites, each in its own folder: (folder, directory).
    pub also: Vec<(String, PathBuf)>,
    pub port: u16,
    pub encodings: Vec<(&'static str, &'static str)>,
    pub max_age: Option<u32>,
    pub log: bool,
    pub exit_with_stdin: bool,
}

impl Default for StaticOptions {
    fn default() -> Self {
        StaticOptions {
            root: None,
            mount: "/".into(),
            also: Vec::new(),
            port: 0,
            encodings: compress::ENCODINGS.to_vec(),
            max_age: None,
            log: false,
            exit_with_stdin: false,
        }
    }
}

/// The precompressed siblings `--encoding NAME` lets the server send.
pub fn offered_encodings(name: &str) -> Result<Vec<(&'static str, &'static str)>> {
    match name {
        "any" => Ok(compress::ENCODINGS.to_vec()),
        "identity" => Ok(Vec::new()),
        _ => compress::ENCODINGS
            .iter()
            .find(|(token, _)| *token == name)
            .map(|encoding| vec![*encoding])
            .ok_or_else(|| anyhow!("`--encoding {name}` is not one of br, gzip, identity, any")),
    }
}

/// `cargo xtask static`: serves built sites, without building them, for the Node harnesses.
/// Prints one JSON line once listening, `{"port":N,"url":"http://localhost:N/MOUNT/"}`, then
/// (with `--log`) one JSON line per response.
pub fn static_command(options: &StaticOptions) -> Result<()> {
    let Some(root) = &options.root else {
        bail!("`cargo xtask static` needs `--root DIR`, the built site to serve");
    };
    let mut server = Server::new(user_path(Some(root), ""))
        .at(&options.mount)
        .encodings(options.encodings.clone())
        .max_age(options.max_age)
        .logging(if options.log { Log::Json } else { Log::Off });
    for (folder, dir) in &options.also {
        server = server.also(folder, user_path(Some(dir), ""));
    }
    for mount in &server.mounts {
        if !mount.root.is_dir() {
            bail!(
                "{} is not a directory: build the site first (`cargo xtask build --out DIR`) or \
                 pass another one",
                mount.root.display()
            );
        }
    }
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, options.port)).with_context(|| {
        format!(
            "cannot listen on 127.0.0.1:{}; pass `--port 0` for any free port",
            options.port
        )
    })?;
    let port = listener.local_addr()?.port();
    let http = listen(listener)?;
    if options.exit_with_stdin {
        // The parent's end of the pipe closes when it exits, however it exits: the server must
        // not outlive a test run that crashed before stopping it.
        std::thread::spawn(|| {
            let _ = io::copy(&mut io::stdin(), &mut io::sink());
            std::process::exit(0);
        });
    }
    let ready = serde_json::json!({
        "port": port,
        "url": format!("http://localhost:{port}{}", server.mounts[0].prefix),
    });
    println!("{ready}");
    server.run_on(&http);
    Ok(())
}

fn listen(listener: TcpListener) -> Result<tiny_http::Server> {
    tiny_http::Server::from_listener(listener, None).map_err(|e| anyhow!("cannot serve: {e}"))
}

/// What the server says about each response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Log {
    Off,
    /// One line on stderr: status, method, target (`cargo xtask serve`).
    Lines,
    /// One JSON line on stdout, for the benchmarks: the path, the status, the bytes put on the
    /// wire (status line, headers and body), the bytes of the file before compression, and
    /// when it was sent (milliseconds since the epoch, as the page's
    /// `performance.timeOrigin + performance.now()`).
    Json,
}

/// A site served from a folder of the host.
#[derive(Clone, Debug)]
struct Mount {
    /// `/` or `/folder/`.
    prefix: String,
    root: PathBuf,
}

/// Serves the files under one or more roots.
#[derive(Clone, Debug)]
pub struct Server {
    /// The main site first (its `404.html` answers addresses outside every folder).
    mounts: Vec<Mount>,
    encodings: Vec<(&'static str, &'static str)>,
    max_age: Option<u32>,
    log: Log,
}

/// `/`, `/a/` for `a`, `/a/`, `a/` or `/a`.
fn folder(prefix: &str) -> String {
    match prefix.trim_matches('/') {
        "" => "/".into(),
        inner => format!("/{inner}/"),
    }
}

impl Server {
    /// Serves `root` at `/`, with brotli and gzip siblings, and logs nothing.
    pub fn new(root: PathBuf) -> Self {
        Server {
            mounts: vec![Mount {
                prefix: "/".into(),
                root,
            }],
            encodings: compress::ENCODINGS.to_vec(),
            max_age: None,
            log: Log::Off,
        }
    }

    /// Serves the main site in the folder `prefix` instead of `/`.
    pub fn at(mut self, prefix: &str) -> Self {
        self.mounts[0].prefix = folder(prefix);
        self
    }

    /// Also serves `root` in the folder `prefix`.
    pub fn also(mut self, prefix: &str, root: PathBuf) -> Self {
        self.mounts.push(Mount {
            prefix: folder(prefix),
            root,
        });
        self
    }

    /// The precompressed siblings that may be sent, as (`Content-Encoding` token, suffix).
    pub fn encodings(mut self, encodings: Vec<(&'static str, &'static str)>) -> Self {
        self.encodings = encodings;
        self
    }

    /// Lets browsers keep files without a hash in their name `seconds` (instead of
    /// revalidating each time), as a host configured for long-lived assets does: a benchmark's
    /// warm page must not be slowed by revalidations.
    pub fn max_age(mut self, seconds: Option<u32>) -> Self {
        self.max_age = seconds;
        self
    }

    pub fn logging(mut self, log: Log) -> Self {
        self.log = log;
        self
    }

    /// Serves `listener` forever.
    pub fn run(self, listener: TcpListener) -> Result<()> {
        let http = listen(listener)?;
        self.run_on(&http);
        Ok(())
    }

    /// Answers each request on its own thread: a slow download must not hold back the rest.
    fn run_on(self, http: &tiny_http::Server) {
        let server = Arc::new(self);
        for request in http.incoming_requests() {
            let server = Arc::clone(&server);
            std::thread::spawn(move || server.answer(request));
        }
    }

    fn answer(&self, request: tiny_http::Request) {
        let method = request.method().clone();
        let target = request.url().to_owned();
        let header = |name: &str| {
            request
                .headers()
                .iter()
                .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
                .map(|h| h.value.as_str().to_owned())
        };
        let response = self.respond(method.as_str(), &target, &header);
        let (status, raw) = (response.status, response.raw);
        let result = response.send(request, method == Method::Head);
        match (self.log, result) {
            (Log::Off, _) => {}
            (Log::Lines, Ok(_)) => say!("{status} {method} {target}"),
            // Browsers often drop connections they no longer need; only worth a note.
            (Log::Lines, Err(e)) => say!("{status} {method} {target}: {e}"),
            (Log::Json, result) => {
                let sent = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0.0, |d| d.as_secs_f64() * 1000.0);
                let line = serde_json::json!({
                    "path": log_path(&target),
                    "status": status,
                    "wire": result.unwrap_or(0),
                    "raw": raw,
                    "sent": sent,
                });
                // Nobody may be reading any more (the harness stopped): nothing to do then.
                let _ = writeln!(io::stdout().lock(), "{line}");
            }
        }
    }

    /// The response to `method target`, whose request headers `header` returns by name.
    pub fn respond(
        &self,
        method: &str,
        target: &str,
        header: &dyn Fn(&str) -> Option<String>,
    ) -> Response {
        if method != "GET" && method != "HEAD" {
            let mut r = Response::text(405, "GET and HEAD only\n");
            r.headers.push(("Allow", "GET, HEAD".into()));
            return r;
        }
        if !is_clean(target) {
            return Response::text(400, "malformed path\n");
        }
        let ask = Ask {
            get: method == "GET",
            header,
        };
        let (mount, inner) = match self.route(target) {
            Route::Site(mount, inner) => (mount, inner),
            Route::Redirect(location) => return Response::redirect(location),
            Route::Outside => {
                let main = &self.mounts[0].root;
                return not_found_page(main, "/")
                    .and_then(|page| self.file(main, &page, 404, &ask))
                    .unwrap_or_else(|| Response::not_found(target));
            }
        };
        match resolve(&mount.root, &inner) {
            Resolved::File(path) => self
                .file(&mount.root, &path, 200, &ask)
                .unwrap_or_else(|| Response::not_found(target)),
            Resolved::Redirect(location) => {
                Response::redirect(format!("{}{location}", mount.prefix.trim_end_matches('/')))
            }
            Resolved::BadRequest => Response::text(400, "malformed path\n"),
            Resolved::NotFound => not_found_page(&mount.root, &inner)
                .and_then(|page| self.file(&mount.root, &page, 404, &ask))
                .unwrap_or_else(|| Response::not_found(target)),
        }
    }

    /// The site a target falls in (the one with the longest folder) and the target as seen
    /// from its root (`/lecteur/x?q` → `/x?q`).
    fn route(&self, target: &str) -> Route<'_> {
        let end = target.find(['?', '#']).unwrap_or(target.len());
        let (path, query) = target.split_at(end);
        let inside = self
            .mounts
            .iter()
            .filter(|mount| path.starts_with(&mount.prefix))
            .max_by_key(|mount| mount.prefix.len());
        if let Some(mount) = inside {
            return Route::Site(mount, format!("/{}", &target[mount.prefix.len()..]));
        }
        // A site's folder asked for without its `/`: its relative addresses need it.
        match self
            .mounts
            .iter()
            .find(|mount| Some(path) == mount.prefix.strip_suffix('/'))
        {
            Some(mount) => Route::Redirect(format!("{}{query}", mount.prefix)),
            None => Route::Outside,
        }
    }

    /// The response sending the file `path` of the site in `root` (or its precompressed
    /// sibling the browser accepts, or the part of it a range asks for) with `status`; `None`
    /// if it cannot be opened.
    fn file(&self, root: &Path, path: &Path, status: u16, ask: &Ask) -> Option<Response> {
        let compressible = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(compress::is_compressible);
        // Ranges are read from a 200 to a `GET` (RFC 9110 has servers ignore them on other
        // methods), and not under `If-Range`: without validators of ours, none can match.
        let range = (status == 200 && ask.get && (ask.header)("If-Range").is_none())
            .then(|| (ask.header)("Range"))
            .flatten();
        // A range names bytes of the file itself, never of a compressed sibling: the archive
        // mode reads slices of a file, and a slice of brotli means nothing on its own. So a
        // range we serve gets the identity file (still `Vary`: another request may not).
        let span = match range {
            Some(range) => byte_range(&range, path.metadata().ok()?.len()),
            None => Span::Whole,
        };
        let encoding = if compressible && span == Span::Whole {
            let accept = (ask.header)("Accept-Encoding");
            // A sibling is served in the file's place: the same containment check applies.
            choose_encoding(accept.as_deref(), &self.encodings, |suffix| {
                under_root(root, &sibling(path, suffix))
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
        let raw = match encoding {
            Some(_) => path.metadata().map_or(0, |m| m.len()),
            None => len,
        };
        let mut headers = vec![
            ("Content-Type", mime_type(path).into()),
            ("Cache-Control", cache_control(path, self.max_age)),
        ];
        if status == 200 {
            headers.push(("Accept-Ranges", "bytes".into()));
        }
        if let Some((token, _)) = encoding {
            headers.push(("Content-Encoding", token.into()));
        }
        if compressible {
            headers.push(("Vary", "Accept-Encoding".into()));
        }
        let mut response = Response {
            status,
            headers,
            body: Body::File {
                file,
                start: 0,
                len,
            },
            raw,
        };
        match span {
            Span::Whole => {}
            Span::Part(first, last) => {
                response.status = 206;
                response
                    .headers
                    .push(("Content-Range", format!("bytes {first}-{last}/{len}")));
                if let Body::File { start, len, .. } = &mut response.body {
                    (*start, *len) = (first, last - first + 1);
                }
            }
            Span::Unsatisfiable => {
                let mut r = Response::text(416, "range not satisfiable\n");
                r.headers.push(("Content-Range", format!("bytes */{len}")));
                return Some(r);
            }
        }
        Some(response)
    }
}

/// What a request brings that the response depends on.
struct Ask<'a> {
    /// `GET`, not `HEAD`.
    get: bool,
    header: &'a dyn Fn(&str) -> Option<String>,
}

/// Where a target leads among the sites of a server.
enum Route<'a> {
    Site(&'a Mount, String),
    Redirect(String),
    Outside,
}

/// Whether a target may be answered at all: nothing of it may end up in a response header as
/// a control character, and headers are ASCII (browsers percent-encode the rest).
fn is_clean(target: &str) -> bool {
    target.is_ascii() && !target.chars().any(|c| c.is_ascii_control())
}

/// The decoded path of a target below `/`, as the benchmarks name files (`index.html` for a
/// folder); `None` if it does not decode.
fn log_path(target: &str) -> Option<String> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let path = percent::decode_path(path).ok()?;
    let path = path.trim_start_matches('/');
    Some(if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    })
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
    if !is_clean(target) {
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
/// The root itself may be a symlink (the tests swap a site for another by retargeting one).
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

/// The precompressed sibling to send, as (`Content-Encoding` token, file suffix), given the
/// request's `Accept-Encoding`, the siblings the server `offers` in order of preference and
/// which of them exist: the first the browser accepts (named or `*`, with a q-value above 0);
/// `None` for the file itself.
pub fn choose_encoding(
    accept: Option<&str>,
    offers: &[(&'static str, &'static str)],
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
    offers
        .iter()
        .copied()
        .find(|(token, suffix)| q_of(token) > 0.0 && exists(suffix))
}

/// What a `Range` header asks of a file of `len` bytes.
#[derive(Debug, PartialEq, Eq)]
enum Span {
    /// No range we serve (another unit, several ranges, bad syntax): the whole file, as
    /// RFC 9110 lets a server answer any range request.
    Whole,
    /// Bytes `first..=last`.
    Part(u64, u64),
    /// No byte of the range exists: 416.
    Unsatisfiable,
}

/// Reads `bytes=A-B`, `bytes=A-` or `bytes=-N` (the last N bytes).
fn byte_range(header: &str, len: u64) -> Span {
    let Some((unit, spec)) = header.split_once('=') else {
        return Span::Whole;
    };
    if !unit.trim().eq_ignore_ascii_case("bytes") || spec.contains(',') {
        return Span::Whole;
    }
    let Some((first, last)) = spec.split_once('-') else {
        return Span::Whole;
    };
    let number = |text: &str| text.trim().parse::<u64>().ok();
    match (first.trim().is_empty(), number(first), number(last)) {
        (true, _, Some(suffix)) if suffix > 0 && len > 0 => {
            Span::Part(len.saturating_sub(suffix), len - 1)
        }
        (true, _, Some(_)) => Span::Unsatisfiable,
        (false, Some(first), _) if first >= len => Span::Unsatisfiable,
        (false, Some(first), None) if last.trim().is_empty() => Span::Part(first, len - 1),
        (false, Some(first), Some(last)) if last >= first => Span::Part(first, last.min(len - 1)),
        _ => Span::Whole,
    }
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
/// `max_age` seconds if given, else `no-cache` (revalidate every time).
pub fn cache_control(path: &Path, max_age: Option<u32>) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let mut parts = name.rsplit('.');
    let (_ext, hash) = (parts.next(), parts.next());
    let fingerprinted = parts.next().is_some()
        && hash.is_some_and(|h| {
            h.len() == crate::fingerprint::NAME_HASH_LEN && h.bytes().all(|b| b.is_ascii_hexdigit())
        });
    match max_age {
        _ if fingerprinted => "public, max-age=31536000, immutable".into(),
        Some(seconds) => format!("public, max-age={seconds}"),
        None => "no-cache".into(),
    }
}

enum Body {
    Text(String),
    /// `len` bytes of `file` from `start`.
    File {
        file: File,
        start: u64,
        len: u64,
    },
}

pub struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Body,
    /// The size of the file itself (before compression), for the benchmarks' log; 0 for none.
    raw: u64,
}

impl Response {
    fn text(status: u16, body: &str) -> Self {
        Response {
            status,
            headers: vec![
                ("Content-Type", "text/plain; charset=utf-8".into()),
                ("Cache-Control", "no-cache".into()),
            ],
            body: Body::Text(body.to_string()),
            raw: 0,
        }
    }

    fn not_found(target: &str) -> Self {
        let path = target.split('?').next().unwrap_or(target);
        Response::text(404, &format!("404 Not Found: {path}\n"))
    }

    fn redirect(location: String) -> Self {
        let mut r = Response::text(301, "moved\n");
        r.headers.push(("Location", location));
        r
    }

    fn len(&self) -> u64 {
        match &self.body {
            Body::Text(text) => text.len() as u64,
            Body::File { len, .. } => *len,
        }
    }

    /// Sends the response to `request`; returns the bytes it put on the wire (every byte is
    /// written here, so the count is exact).
    fn send(self, request: tiny_http::Request, head_only: bool) -> io::Result<u64> {
        let len = self.len();
        let status = StatusCode(self.status);
        let mut headers = vec![
            ("Server", SERVER.to_string()),
            ("Date", httpdate::fmt_http_date(SystemTime::now())),
        ];
        headers.extend(self.headers);
        headers.push(("X-Content-Type-Options", "nosniff".into()));
        headers.push(("Content-Length", len.to_string()));
        let status_line = format!(
            "HTTP/{} {} {}\r\n",
            request.http_version(),
            status.0,
            status.default_reason_phrase()
        );
        // Every response says `Connection: close`, so it is written here rather than by
        // tiny_http, which keeps connections alive and refuses that header: Chromium reusing a
        // kept connection could wait forever for an answer (a script of a page being taken
        // over, 3 loads in 15 at 4× CPU), which the server before this one never let happen.
        headers.push(("Connection", "close".into()));
        let mut head = status_line;
        for (name, value) in &headers {
            if !(name.is_ascii() && value.is_ascii()) || value.contains(['\r', '\n']) {
                return Err(io::Error::other("a header is not plain ASCII"));
            }
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let mut body: Box<dyn Read + Send> = match self.body {
            Body::Text(text) => Box::new(Cursor::new(text.into_bytes())),
            Body::File {
                mut file,
                start,
                len,
            } => {
                file.seek(SeekFrom::Start(start))?;
                Box::new(file.take(len))
            }
        };
        let mut writer = request.into_writer();
        writer.write_all(head.as_bytes())?;
        if !head_only {
            io::copy(&mut body, &mut writer)?;
        }
        writer.flush()?;
        Ok(head.len() as u64 + if head_only { 0 } else { len })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::net::TcpStream;

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

    /// `server`'s response to `GET target` with the request headers `headers`.
    fn get(server: &Server, target: &str, headers: &[(&str, &str)]) -> Response {
        let header = |name: &str| {
            headers
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.to_string())
        };
        server.respond("GET", target, &header)
    }

    impl Response {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.as_str())
        }

        /// The bytes the body would carry.
        fn bytes(self) -> Vec<u8> {
            match self.body {
                Body::Text(text) => text.into_bytes(),
                Body::File {
                    mut file,
                    start,
                    len,
                } => {
                    file.seek(SeekFrom::Start(start)).unwrap();
                    let mut bytes = Vec::new();
                    file.take(len).read_to_end(&mut bytes).unwrap();
                    bytes
                }
            }
        }
    }

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
        let response = get(&Server::new(site.root.clone()), "/site/a/inconnu/", &[]);
        assert_eq!(response.status, 404);
        assert_eq!(response.bytes(), b"page introuvable");
    }

    #[test]
    fn sites_in_folders() {
        let main = Site::new();
        let other = Site::new();
        fs::write(main.root.join("404.html"), "introuvable").unwrap();
        fs::write(other.root.join("index.html"), "autre").unwrap();
        let server = Server::new(main.root.clone())
            .at("lecteur/sous-dossier")
            .also("/autre/", other.root.clone());
        let body = |target: &str| get(&server, target, &[]).bytes();
        assert_eq!(body("/lecteur/sous-dossier/"), b"<h1>Lecteur</h1>");
        assert_eq!(body("/lecteur/sous-dossier/sub/?q=1"), b"sub");
        assert_eq!(body("/autre/"), b"autre");
        for (target, location) in [
            ("/lecteur/sous-dossier", "/lecteur/sous-dossier/"),
            ("/lecteur/sous-dossier?q=1", "/lecteur/sous-dossier/?q=1"),
            (
                "/lecteur/sous-dossier/sub?q=1",
                "/lecteur/sous-dossier/sub/?q=1",
            ),
            ("/autre/sub", "/autre/sub/"),
        ] {
            let response = get(&server, target, &[]);
            assert_eq!(response.status, 301, "{target}");
            assert_eq!(response.header("Location"), Some(location), "{target}");
        }
        // Outside every folder: the main site's 404 page, as a host sends its own.
        let response = get(&server, "/ailleurs/", &[]);
        assert_eq!(response.status, 404);
        assert_eq!(response.bytes(), b"introuvable");
        // A folder's site cannot reach out of its root, nor into the other site.
        for target in [
            "/autre/../lecteur/sous-dossier/index.html",
            "/autre/%2e%2e/index.html",
        ] {
            assert_eq!(get(&server, target, &[]).status, 404, "{target}");
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
            let path = Path::new(file);
            let (expected, for_an_hour) = if kept {
                (
                    "public, max-age=31536000, immutable",
                    "public, max-age=31536000, immutable",
                )
            } else {
                ("no-cache", "public, max-age=3600")
            };
            assert_eq!(cache_control(path, None), expected, "{file}");
            assert_eq!(cache_control(path, Some(3600)), for_an_hour, "{file}");
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
        assert_eq!(log_path("/a%20b.txt?q=1").as_deref(), Some("a b.txt"));
        assert_eq!(log_path("/sub/").as_deref(), Some("sub/index.html"));
        assert_eq!(log_path("/").as_deref(), Some("index.html"));
        assert_eq!(log_path("/%ZZ"), None);
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
            let response = get(
                &Server::new(root.clone()),
                "/style.css",
                &[("Accept-Encoding", "br")],
            );
            assert_eq!(response.status, 200);
            assert_eq!(response.header("Content-Encoding"), None);
            assert_eq!(response.bytes(), b"body{}", "the file itself");
        }
    }

    /// The tests swap a site for a new deploy by retargeting the symlink served as the root.
    #[cfg(unix)]
    #[test]
    fn a_symlinked_root_serves_its_current_target() {
        let (first, second) = (Site::new(), Site::new());
        fs::write(second.root.join("index.html"), "deux").unwrap();
        let links = tempfile::tempdir().unwrap();
        let root = links.path().join("site");
        std::os::unix::fs::symlink(&first.root, &root).unwrap();
        let server = Server::new(root.clone());
        assert_eq!(get(&server, "/", &[]).bytes(), b"<h1>Lecteur</h1>");
        let next = links.path().join("next");
        std::os::unix::fs::symlink(&second.root, &next).unwrap();
        fs::rename(&next, &root).unwrap();
        assert_eq!(get(&server, "/", &[]).bytes(), b"deux");
        assert_eq!(get(&server, "/../index.html", &[]).status, 404);
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
            "/sub?é",
        ] {
            assert_eq!(resolve(root, target), Resolved::BadRequest, "{target:?}");
            let response = get(&Server::new(root.clone()), target, &[]);
            assert_eq!(response.status, 400, "{target:?}");
        }
    }

    #[test]
    fn byte_ranges() {
        let site = Site::new();
        fs::write(site.root.join("index.bin"), b"0123456789").unwrap();
        fs::write(site.root.join("index.bin.br"), b"BR").unwrap();
        let server = Server::new(site.root.clone());
        let ranged = |range: &str| {
            get(
                &server,
                "/index.bin",
                &[("Range", range), ("Accept-Encoding", "br")],
            )
        };
        for (range, content_range, body) in [
            ("bytes=0-3", "bytes 0-3/10", &b"0123"[..]),
            ("bytes=7-", "bytes 7-9/10", b"789"),
            ("bytes=-2", "bytes 8-9/10", b"89"),
            ("bytes=-20", "bytes 0-9/10", b"0123456789"),
            ("bytes=5-100", "bytes 5-9/10", b"56789"),
            ("Bytes = 2-2", "bytes 2-2/10", b"2"),
        ] {
            let response = ranged(range);
            assert_eq!(response.status, 206, "{range}");
            assert_eq!(response.header("Content-Range"), Some(content_range));
            // Slices of the file itself, never of its brotli sibling.
            assert_eq!(response.header("Content-Encoding"), None, "{range}");
            assert_eq!(response.header("Vary"), Some("Accept-Encoding"));
            assert_eq!(
                response.header("Content-Type"),
                Some("application/octet-stream")
            );
            assert_eq!(response.bytes(), body, "{range}");
        }
        for range in ["bytes=10-", "bytes=99-100", "bytes=-0"] {
            let response = ranged(range);
            assert_eq!(response.status, 416, "{range}");
            assert_eq!(response.header("Content-Range"), Some("bytes */10"));
        }
        // Not a range we serve: the whole response, as without one (brotli here).
        for range in [
            "bytes=3-1",
            "bytes=0-1,4-5",
            "items=0-1",
            "bytes=x-",
            "bytes",
        ] {
            let response = ranged(range);
            assert_eq!(response.status, 200, "{range}");
            assert_eq!(response.header("Accept-Ranges"), Some("bytes"));
            assert_eq!(response.bytes(), b"BR", "{range}");
        }
        // Nothing of an empty file exists.
        fs::write(site.root.join("empty.txt"), b"").unwrap();
        let response = get(&server, "/empty.txt", &[("Range", "bytes=0-")]);
        assert_eq!(response.status, 416);
        // A 404 page is never sliced, nor is a file under `If-Range` (we give no validators).
        let response = get(&server, "/missing", &[("Range", "bytes=0-1")]);
        assert_eq!(response.status, 404);
        let response = get(
            &server,
            "/index.bin",
            &[("Range", "bytes=0-1"), ("If-Range", "\"x\"")],
        );
        assert_eq!(response.status, 200);
    }

    /// Sends `raw` on a new connection and reads the response to the end (the requests say
    /// `Connection: close`, so the connection ends with the response).
    fn request(addr: SocketAddr, raw: &str) -> (String, Vec<u8>) {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.write_all(raw.as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        // Each header line with its `\r\n`, the blank line not.
        let head = String::from_utf8(response[..split + 2].to_vec()).unwrap();
        (head, response[split + 4..].to_vec())
    }

    #[test]
    fn serves_real_requests_over_a_socket() {
        let site = Site::new();
        let addr = spawn(Server::new(site.root.clone())).unwrap();
        let close = "Connection: close\r\n\r\n";

        let (head, body) = request(addr, &format!("GET /?q=1 HTTP/1.1\r\nHost: x\r\n{close}"));
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
        assert!(
            head.contains("Content-Type: text/html; charset=utf-8\r\n"),
            "{head}"
        );
        assert!(head.contains("Cache-Control: no-cache\r\n"), "{head}");
        assert!(head.contains("Content-Length: 16\r\n"), "{head}");
        assert!(head.contains("Accept-Ranges: bytes\r\n"), "{head}");
        assert_eq!(body, b"<h1>Lecteur</h1>");

        let (head, body) = request(addr, &format!("HEAD /lecteur_bg.wasm HTTP/1.1\r\n{close}"));
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
        assert!(
            head.contains("Content-Type: application/wasm\r\n"),
            "{head}"
        );
        assert!(head.contains("Content-Length: 4\r\n"), "{head}");
        assert!(body.is_empty());

        let (head, body) = request(
            addr,
            &format!("GET /lecteur_bg.wasm HTTP/1.1\r\nRange: bytes=1-2\r\n{close}"),
        );
        assert!(
            head.starts_with("HTTP/1.1 206 Partial Content\r\n"),
            "{head}"
        );
        assert!(head.contains("Content-Range: bytes 1-2/4\r\n"), "{head}");
        assert!(head.contains("Content-Length: 2\r\n"), "{head}");
        assert_eq!(body, b"as");

        let (head, _) = request(
            addr,
            &format!("GET /lecteur_bg.wasm HTTP/1.1\r\nRange: bytes=4-\r\n{close}"),
        );
        assert!(head.starts_with("HTTP/1.1 416 "), "{head}");
        assert!(head.contains("Content-Range: bytes */4\r\n"), "{head}");

        let (head, body) = request(addr, &format!("GET /nope.js HTTP/1.1\r\n{close}"));
        assert!(head.starts_with("HTTP/1.1 404 Not Found\r\n"), "{head}");
        assert_eq!(body, b"404 Not Found: /nope.js\n");

        let (head, _) = request(addr, &format!("GET /../etc/passwd HTTP/1.1\r\n{close}"));
        assert!(head.starts_with("HTTP/1.1 404 "), "{head}");

        let (head, _) = request(addr, &format!("GET /sub HTTP/1.1\r\n{close}"));
        assert!(head.starts_with("HTTP/1.1 301 "), "{head}");
        assert!(head.contains("Location: /sub/\r\n"), "{head}");

        let (head, _) = request(
            addr,
            &format!("POST / HTTP/1.1\r\nContent-Length: 0\r\n{close}"),
        );
        assert!(head.starts_with("HTTP/1.1 405 "), "{head}");
        assert!(head.contains("Allow: GET, HEAD\r\n"), "{head}");

        let (head, _) = request(addr, "nonsense\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 400 "), "{head}");
    }

    /// A browser asking to keep the connection is told it closes (and so never sends another
    /// request on it that nobody would read).
    #[test]
    fn every_response_closes_its_connection() {
        let site = Site::new();
        let addr = spawn(Server::new(site.root.clone())).unwrap();
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        stream
            .write_all(b"GET /a%20b.txt HTTP/1.1\r\nConnection: keep-alive\r\n\r\n")
            .unwrap();
        let mut response = Vec::new();
        let mut buffer = [0; 4096];
        while !response.windows(4).any(|w| w == b"\r\n\r\n") {
            let read = stream.read(&mut buffer).unwrap();
            assert!(read > 0, "the connection closed before the response");
            response.extend_from_slice(&buffer[..read]);
        }
        let text = String::from_utf8_lossy(&response);
        assert!(text.starts_with("HTTP/1.1 200 "), "{text}");
        assert!(text.contains("\r\nConnection: close\r\n"), "{text}");
    }

    /// The count the benchmarks' log gives is every byte of the response.
    #[test]
    fn counts_the_bytes_put_on_the_wire() {
        let site = Site::new();
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let addr = listener.local_addr().unwrap();
        let http = listen(listener).unwrap();
        let server = Server::new(site.root.clone());
        let wire = std::thread::spawn(move || {
            let request = http.recv().unwrap();
            let response = server.respond("GET", request.url(), &|_| None);
            response.send(request, false).unwrap()
        });
        let (head, body) = request(addr, "GET /a%20b.txt HTTP/1.1\r\nConnection: close\r\n\r\n");
        assert_eq!(wire.join().unwrap(), (head.len() + 2 + body.len()) as u64);
    }

    #[test]
    fn negotiates_brotli_then_gzip() {
        let both = |_: &str| true;
        let gz_only = |suffix: &str| suffix == ".gz";
        let none = |_: &str| false;
        let br = Some(("br", ".br"));
        let gzip = Some(("gzip", ".gz"));
        let all = &compress::ENCODINGS;
        for (accept, offers, exists, expected) in [
            // What Chromium and Firefox send.
            (
                Some("gzip, deflate, br, zstd"),
                &all[..],
                &both as &dyn Fn(&str) -> bool,
                br,
            ),
            (Some("gzip, deflate, br, zstd"), all, &gz_only, gzip),
            (Some("gzip, deflate, br"), all, &none, None),
            (Some("gzip"), all, &both, gzip),
            (Some("GZIP;q=0.5, BR;q=1.0"), all, &both, br),
            (Some("br;q=0, gzip"), all, &both, gzip),
            (Some("br; q=0.000, gzip;q=0"), all, &both, None),
            (Some("*"), all, &both, br),
            (Some("*;q=0, gzip"), all, &both, gzip),
            (Some("identity"), all, &both, None),
            (Some(""), all, &both, None),
            (None, all, &both, None),
            // What `--encoding` offers.
            (Some("gzip, deflate, br, zstd"), &all[1..], &both, gzip),
            (Some("gzip, deflate, br, zstd"), &[], &both, None),
            (Some("gzip"), &all[..1], &both, None),
        ] {
            assert_eq!(
                choose_encoding(accept, offers, exists),
                expected,
                "{accept:?} {offers:?}"
            );
        }
        assert_eq!(offered_encodings("br").unwrap(), vec![("br", ".br")]);
        assert_eq!(offered_encodings("identity").unwrap(), vec![]);
        assert_eq!(offered_encodings("any").unwrap(), compress::ENCODINGS);
        assert_eq!(
            offered_encodings("zstd").unwrap_err().to_string(),
            "`--encoding zstd` is not one of br, gzip, identity, any"
        );
    }

    #[test]
    fn serves_precompressed_siblings() {
        let site = Site::new();
        fs::write(site.root.join("lecteur_bg.wasm.br"), b"BR").unwrap();
        fs::write(site.root.join("lecteur_bg.wasm.gz"), b"GZIP").unwrap();
        fs::write(site.root.join("index.html.gz"), b"GZ").unwrap();
        fs::write(site.root.join("icon.png"), b"PNG").unwrap();
        fs::write(site.root.join("icon.png.br"), b"no").unwrap();
        let addr = spawn(Server::new(site.root.clone())).unwrap();
        let get = |path: &str, accept: &str| {
            request(
                addr,
                &format!(
                    "GET {path} HTTP/1.1\r\nAccept-Encoding: {accept}\r\nConnection: close\r\n\r\n"
                ),
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
            "HEAD /lecteur_bg.wasm HTTP/1.1\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n",
        );
        assert!(head.contains("Content-Length: 4\r\n"), "{head}");
        assert!(body.is_empty());

        // The raw size the benchmarks log is the file's own.
        let response = Server::new(site.root.clone())
            .respond("GET", "/lecteur_bg.wasm", &|_| Some("br".into()));
        assert_eq!((response.len(), response.raw), (2, 4));
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
