//! `lecteur-pages`: writes the pages of a built site, rendered by the reader's own
//! components: the home page (`index.html`), one page per article
//! (`a/SLUG/index.html`) and the page for unknown addresses (`404.html`).
//!
//! ```text
//! lecteur-pages target/site
//! lecteur-pages --public-url https://example.org/lecteur/ dist/site
//! lecteur-pages --single-file dist/lecteur.html dist/site
//! ```

use std::fs;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use lecteur_core::prerendered::Prerendered;
use lecteur_web::prerender::{
    BuiltSite, Carried, LOADER, NOT_FOUND_FILE, NOT_KEPT_FILE, single_file,
};

const USAGE: &str = "usage: lecteur-pages [--public-url URL] SITE_DIR
       lecteur-pages --single-file OUT SITE_DIR

Reads SITE_DIR/index.bin (the articles; an archive's texts from each
SITE_DIR/a/SLUG/texte.json) and SITE_DIR/index.html (the template, with its
markers: www/index.html), and writes SITE_DIR/index.html (the list),
SITE_DIR/a/SLUG/index.html for each article and SITE_DIR/404.html, rendered by the
page's own components. The stylesheet the template links and its script (the program's
loader) are inlined into every page and removed from the site.

--public-url URL  the address the site will be published at: canonical addresses and
                  link previews (og:url, og:image) are then absolute.

--single-file OUT writes, from the pages of SITE_DIR (already written), the reader in one
                  HTML file to OUT, which opens from disk with no server.";

fn main() -> ExitCode {
    let mut arguments: Vec<String> = std::env::args().skip(1).collect();
    if arguments
        .iter()
        .any(|argument| argument == "-h" || argument == "--help")
    {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let (public_url, single) = match (
        take_option(&mut arguments, "--public-url"),
        take_option(&mut arguments, "--single-file"),
    ) {
        (Ok(public_url), Ok(single)) => (public_url, single),
        (Err(message), _) | (_, Err(message)) => {
            eprintln!("lecteur-pages: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let [site] = arguments.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let done = match single {
        Some(out) => write_single_file(Path::new(site), Path::new(&out)),
        None => run(Path::new(site), public_url.as_deref()),
    };
    match done {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("lecteur-pages: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Removes `NAME VALUE` from the arguments; returns the value, if the option was given.
fn take_option(arguments: &mut Vec<String>, name: &str) -> Result<Option<String>, String> {
    let Some(at) = arguments.iter().position(|argument| argument == name) else {
        return Ok(None);
    };
    if at + 1 >= arguments.len() {
        return Err(format!("{name} needs a value"));
    }
    let value = arguments.remove(at + 1);
    arguments.remove(at);
    Ok(Some(value))
}

fn run(site: &Path, public_url: Option<&str>) -> Result<String, String> {
    let read = |path: &Path| {
        fs::read(path).map_err(|error| format!("cannot read {} ({error})", path.display()))
    };
    let bundle = read(&site.join("index.bin"))?;
    let build = lecteur::bundle::build_id(&bundle).map_err(|error| error.to_string())?;
    // An archive's texts are files of their own beside the pages (`--texts-apart`).
    let articles: Vec<Arc<lecteur::Article>> =
        lecteur::bundle::articles(&bundle, |path| read(&site.join(path)))?
            .into_iter()
            .map(Arc::new)
            .collect();
    let template = String::from_utf8(read(&site.join("index.html"))?)
        .map_err(|_| "index.html is not UTF-8".to_string())?;
    let style_file = site.join(linked(&template, "<link rel=\"stylesheet\" href=\"")?);
    let style = String::from_utf8(read(&style_file)?)
        .map_err(|_| format!("{} is not UTF-8", style_file.display()))?;
    let script_file = site.join(linked(&template, LOADER)?);
    let bootstrap = String::from_utf8(read(&script_file)?)
        .map_err(|_| format!("{} is not UTF-8", script_file.display()))?;
    let built = BuiltSite {
        template: &template,
        style: &style,
        bootstrap: &bootstrap,
        build: &build,
        public_url,
    };
    write_page(
        &site.join("index.html"),
        &built.document(&Prerendered::home(&articles))?,
    )?;
    write_page(&site.join(NOT_FOUND_FILE), &built.not_found()?)?;
    write_page(&site.join(NOT_KEPT_FILE), &built.not_kept()?)?;
    // The articles' pages, rendered and written on every core (each page on its own: an
    // archive's 100,000 pages are never all in memory).
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let per_thread = articles.len().div_ceil(threads).max(1);
    let positions: Vec<usize> = (0..articles.len()).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = positions
            .chunks(per_thread)
            .map(|chunk| {
                let (built, articles) = (&built, &articles);
                scope.spawn(move || {
                    chunk.iter().try_for_each(|&position| {
                        let path = site
                            .join("a")
                            .join(&articles[position].slug)
                            .join("index.html");
                        write_page(
                            &path,
                            &built.document(&Prerendered::article(articles, position))?,
                        )
                    })
                })
            })
            .collect();
        workers.into_iter().try_for_each(|worker| {
            worker
                .join()
                .unwrap_or_else(|_| Err("a page's rendering panicked".to_string()))
        })
    })?;
    for inlined in [&style_file, &script_file] {
        fs::remove_file(inlined)
            .map_err(|error| format!("cannot remove {} ({error})", inlined.display()))?;
    }
    Ok(format!(
        "lecteur-pages: {} pages written into {} ({} articles, the list, 404.html)",
        articles.len() + 3,
        site.display(),
        articles.len()
    ))
}

/// Writes one page, making its folder.
fn write_page(path: &Path, html: &str) -> Result<(), String> {
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder)
            .map_err(|error| format!("cannot create {} ({error})", folder.display()))?;
    }
    fs::write(path, html).map_err(|error| format!("cannot write {} ({error})", path.display()))
}

/// Writes the single-file edition of the built site `site` to `out` (atomically).
fn write_single_file(site: &Path, out: &Path) -> Result<String, String> {
    let read = |path: &Path| {
        fs::read(path).map_err(|error| format!("cannot read {} ({error})", path.display()))
    };
    let home = String::from_utf8(read(&site.join("index.html"))?)
        .map_err(|_| "index.html is not UTF-8".to_string())?;
    let text = |start: &str, end: &str| -> Result<String, String> {
        let file = site.join(file_named(site, start, end)?);
        String::from_utf8(read(&file)?).map_err(|_| format!("{} is not UTF-8", file.display()))
    };
    let index = read(&site.join("index.bin"))?;
    if lecteur::bundle::texts_apart(&index).map_err(|error| error.to_string())? {
        return Err(format!(
            "{} is an archive, whose articles' texts are files apart from its index: the single \
             file carries one index, so build the site with a larger --archive-from for one",
            site.display()
        ));
    }
    let glue = text("lecteur.", ".js")?;
    // The engine's worker, made from one blob: the site's worker script, which carries its glue.
    let engine_worker = text("engine-worker.", ".js")?;
    let carried = Carried {
        glue: &glue,
        engine_worker: &engine_worker,
        engine_wasm: &read(&site.join(file_named(site, "engine_bg.", ".wasm")?))?,
        wasm: &read(&site.join(file_named(site, "lecteur_bg.", ".wasm")?))?,
        index: &index,
        favicon: &read(&site.join(file_named(site, "favicon.", ".svg")?))?,
    };
    let html = single_file(&home, &carried)?;
    let temporary = out.with_extension("html.tmp");
    fs::write(&temporary, &html)
        .and_then(|()| fs::rename(&temporary, out))
        .map_err(|error| format!("cannot write {} ({error})", out.display()))?;
    Ok(format!(
        "lecteur-pages: the reader in one file, {} ({} bytes)",
        out.display(),
        html.len()
    ))
}

/// The one file of `site` named `START…END` (a fingerprinted name).
fn file_named(site: &Path, start: &str, end: &str) -> Result<String, String> {
    let names: Vec<String> = fs::read_dir(site)
        .map_err(|error| format!("cannot list {} ({error})", site.display()))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with(start) && name.ends_with(end))
        .collect();
    match names.as_slice() {
        [name] => Ok(name.clone()),
        _ => Err(format!(
            "{} should have one file {start}….{end}, and has {names:?}",
            site.display()
        )),
    }
}

/// The file the template names right after `opening` (`<link rel="stylesheet" href="`,
/// `<script src="`).
fn linked(template: &str, opening: &str) -> Result<String, String> {
    let link = template
        .find(opening)
        .map(|at| &template[at + opening.len()..])
        .ok_or_else(|| format!("index.html has no `{opening}…\">`"))?;
    let end = link
        .find('"')
        .ok_or_else(|| format!("index.html's `{opening}` is not closed"))?;
    let name = &link[..end];
    if name.contains("..") || name.starts_with('/') || name.contains(':') {
        return Err(format!("`{name}` is not a file of the site"));
    }
    Ok(name.to_string())
}
