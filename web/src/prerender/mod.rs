//! The site's pages, rendered at build time by the components the browser runs
//! (Yew's server-side rendering), into the built `index.html`, the template.
//!
//! Each page gets its own `<head>` (title, description, canonical address, Open
//! Graph and Twitter card tags, so that a shared link previews as its article),
//! the view's HTML in `#app`, and the data the view was rendered from, for the
//! program to take the page over. The stylesheet and the script that loads the
//! program (`www/main.js`) are inlined: a page paints with what its own response
//! brings, and starts the program without another round trip. An article lives two folders down
//! (`a/SLUG/index.html`), so its head's relative addresses climb back to the
//! root; the view's own links are written for the page they are in.
//!
//! The template's parts this module fills in or trims are marked by comments in
//! `www/index.html`: the page's metadata, the links of the first address scheme
//! (sent to their new form by the home page only), the content and its data.
//! Each finished page gets its content security policy ([`policy`]); [`single_file`]
//! makes the one-file edition from the built home page.

mod policy;
mod single_file;

pub use single_file::{Carried, single_file};

use std::rc::Rc;

use lecteur_core::prerendered::{PageKind, PageMeta, Prerendered, SITE_NAME, titled};
use lecteur_core::route::{Addressing, Route};
use yew::LocalServerRenderer;
use yew::prelude::*;

use crate::PAGE_DATA_ID;
use crate::app::{App, AppProps};
use crate::router::{Links, Site};
use crate::views::Message;

/// The template's marker of the page's own metadata (title, description), replaced.
const META: (&str, &str) = (
    "<!-- lecteur:métadonnées -->",
    "<!-- /lecteur:métadonnées -->",
);
/// The template's marker of the script that sends links of the first scheme (`#/…`) to their
/// new address: kept on the home page only, where those links land.
const OLD_LINKS: (&str, &str) = (
    "<!-- lecteur:anciens-liens -->",
    "<!-- /lecteur:anciens-liens -->",
);
/// Where the view goes, inside `#app`.
const CONTENT: &str = "<!-- lecteur:contenu -->";
/// Where the page's data goes, after `#app`.
const DATA: &str = "<!-- lecteur:données -->";
/// How the template loads the program's loader (`www/main.js`), which each page inlines.
pub const LOADER: &str = "<script src=\"";
/// The file every static host is told to answer unknown addresses with.
pub const NOT_FOUND_FILE: &str = "404.html";
/// The file an archive's service worker answers, offline, an article it has not kept with.
pub const NOT_KEPT_FILE: &str = "hors-ligne.html";

/// What every page of one build shares.
pub struct BuiltSite<'a> {
    /// The built `index.html`, with its markers.
    pub template: &'a str,
    /// The stylesheet's text, inlined into each page.
    pub style: &'a str,
    /// The script that loads the program (`main.js`), inlined into each page.
    pub bootstrap: &'a str,
    /// The build's id, shown in the footer.
    pub build: &'a str,
    /// The site's public address (`https://example.org/lecteur/`), when known: canonical
    /// addresses and previews are then absolute.
    pub public_url: Option<&'a str>,
}

impl BuiltSite<'_> {
    /// The HTML document of a prerendered page.
    pub fn document(&self, page: &Prerendered) -> Result<String, String> {
        let meta = page.meta();
        let props = AppProps {
            build: self.build.to_string().into(),
            site: Site::new(Addressing::Paths, String::new()),
            page: Some(Rc::new(page.clone())),
            engine: None,
            typed: AttrValue::default(),
        };
        let body = render::<App>(props, true);
        let data = format!(
            "<script type=\"application/json\" id=\"{PAGE_DATA_ID}\">{}</script>",
            page.to_json()
        );
        // The template's own addresses are relative to the root; the page's (its head, its
        // view) are written for where it lies.
        let depth = page.route().page_path().matches('/').count();
        let template = relocate_head(self.template, &"../".repeat(depth));
        let mut html = self.with_bootstrap(&self.with_style(&template)?)?;
        html = replace_between(&html, META, &render::<Head>(self.head(&meta), false))?;
        if !matches!(page, Prerendered::Home { .. }) {
            html = replace_between(&html, OLD_LINKS, "")?;
        }
        html = replace_marker(&html, CONTENT, &body)?;
        html = replace_marker(&html, DATA, &data)?;
        policy::with_policy(&html, policy::Origin::Site)
    }

    /// The document every unknown address gets (`404.html`): a message and a way home.
    pub fn not_found(&self) -> Result<String, String> {
        self.standalone(StandaloneMessage::NOT_FOUND)
    }

    /// The document an archive's service worker answers, offline, an article it has not kept
    /// yet with (`hors-ligne.html`, see `www/sw.js`).
    pub fn not_kept(&self) -> Result<String, String> {
        self.standalone(StandaloneMessage::NOT_KEPT)
    }

    /// A message and a way home, with no program. It is shown at any depth (a static host's
    /// 404, a service worker's answer), so it loads nothing relative to itself, and its one
    /// link is made from the address it is shown at, by a line of script.
    fn standalone(&self, page: StandaloneMessage) -> Result<String, String> {
        let meta = PageMeta {
            title: titled(page.title),
            description: page.description.to_string(),
            kind: PageKind::Website,
            address: "./".to_string(),
            published: None,
        };
        let mut html = self.with_style(self.template)?;
        let head = render::<Head>(
            HeadProps {
                meta,
                public_url: None,
                canonical: false,
            },
            false,
        );
        html = replace_between(&html, META, &head)?;
        html = replace_between(&html, OLD_LINKS, "")?;
        html = html
            .lines()
            .filter(|line| {
                let line = line.trim_start();
                !(line.starts_with(LOADER)
                    || line.starts_with("<link rel=\"icon\"")
                    || line.starts_with("<link rel=\"apple-touch-icon\"")
                    || line.starts_with("<link rel=\"manifest\""))
            })
            .map(|line| format!("{line}\n"))
            .collect();
        let body = render::<Standalone>(page, false);
        html = replace_marker(&html, CONTENT, &body)?;
        html = replace_marker(&html, DATA, HOME_LINK_SCRIPT)?;
        policy::with_policy(&html, policy::Origin::Site)
    }

    fn head(&self, meta: &PageMeta) -> HeadProps {
        HeadProps {
            meta: meta.clone(),
            public_url: self.public_url.map(str::to_string),
            canonical: true,
        }
    }

    /// The template with its loader's `<script src>` replaced by the loader itself.
    fn with_bootstrap(&self, template: &str) -> Result<String, String> {
        let start = template
            .find(LOADER)
            .ok_or("the template has no `<script src=\"…\">` (the loader) to inline")?;
        let end = start
            + template[start..]
                .find("</script>")
                .ok_or("the template's loader script is not closed")?
            + "</script>".len();
        Ok(format!(
            "{}<script>{}</script>{}",
            &template[..start],
            self.bootstrap.replace("</script", "<\\/script"),
            &template[end..]
        ))
    }

    /// The template with its stylesheet link replaced by the stylesheet itself.
    fn with_style(&self, template: &str) -> Result<String, String> {
        let start = template
            .find("<link rel=\"stylesheet\"")
            .ok_or("the template has no `<link rel=\"stylesheet\" …>` to inline")?;
        let end = start
            + template[start..]
                .find('>')
                .ok_or("the template's stylesheet link is not closed")?
            + 1;
        Ok(format!(
            "{}<style>{}</style>{}",
            &template[..start],
            self.style.replace("</style", "<\\/style"),
            &template[end..]
        ))
    }
}

/// Makes a standalone message's link lead home from wherever it is shown: the site's root is the
/// address up to `a/SLUG/` (an article that is gone, the usual case), else the nearest folder
/// above that has the site's manifest.
const HOME_LINK_SCRIPT: &str = "<script>\
(async () => { const home = document.querySelector('.message a'); \
const path = location.pathname; const article = path.match(/^(.*\\/)a\\/[^/]*\\/?[^/]*$/); \
if (article) { home.href = article[1]; return; } \
for (let folder = path.slice(0, path.lastIndexOf('/') + 1); folder; \
folder = folder.slice(0, folder.slice(0, -1).lastIndexOf('/') + 1)) { \
const answer = await fetch(folder + 'manifest.webmanifest', { method: 'HEAD' }).catch(() => null); \
if (answer && answer.ok) { home.href = folder; return; } } })();\
</script>";

/// Renders a component to HTML, with Yew's markers for hydration when `hydratable`.
fn render<C: BaseComponent>(props: C::Properties, hydratable: bool) -> String {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime starts")
        .block_on(
            LocalServerRenderer::<C>::with_props(props)
                .hydratable(hydratable)
                .render(),
        )
}

fn replace_marker(html: &str, marker: &str, with: &str) -> Result<String, String> {
    if !html.contains(marker) {
        return Err(format!("the template lacks the marker `{marker}`"));
    }
    Ok(html.replacen(marker, with, 1))
}

/// Replaces what lies between a pair of markers, the markers included.
fn replace_between(html: &str, (open, close): (&str, &str), with: &str) -> Result<String, String> {
    let start = html
        .find(open)
        .ok_or_else(|| format!("the template lacks the marker `{open}`"))?;
    let end = html[start..]
        .find(close)
        .ok_or_else(|| format!("the template lacks the marker `{close}`"))?
        + start
        + close.len();
    Ok(format!("{}{with}{}", &html[..start], &html[end..]))
}

/// Prefixes the relative `href` and `src` addresses of the document's head with `prefix`.
fn relocate_head(html: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        return html.to_string();
    }
    let head_end = html.find("</head>").unwrap_or(html.len());
    let (head, rest) = html.split_at(head_end);
    let mut out = String::with_capacity(html.len() + 64);
    let mut remaining = head;
    while let Some(at) = ["href=\"", "src=\""]
        .iter()
        .filter_map(|attribute| remaining.find(attribute).map(|at| at + attribute.len()))
        .min()
    {
        out.push_str(&remaining[..at]);
        remaining = &remaining[at..];
        let absolute = ["/", "#", "data:", "http:", "https:", "mailto:"]
            .iter()
            .any(|start| remaining.starts_with(start));
        if !absolute {
            out.push_str(prefix);
        }
    }
    out.push_str(remaining);
    out.push_str(rest);
    out
}

#[derive(Properties, PartialEq)]
struct HeadProps {
    meta: PageMeta,
    public_url: Option<String>,
    /// Whether the page is at a known address (not the 404 page, shown at any).
    canonical: bool,
}

/// The page's own part of `<head>`.
#[component]
fn Head(props: &HeadProps) -> Html {
    let meta = &props.meta;
    let relative = meta.address.strip_prefix("./").unwrap_or(&meta.address);
    let absolute = |path: &str| {
        props
            .public_url
            .as_ref()
            .map(|root| format!("{}/{path}", root.trim_end_matches('/')))
    };
    let url = absolute(relative);
    // Relative to the page itself, the canonical address of its folder is `./`.
    let canonical = url.clone().unwrap_or_else(|| "./".to_string());
    let (og_type, og_title) = match meta.kind {
        PageKind::Website => ("website", meta.title.clone()),
        PageKind::Article => (
            "article",
            meta.title
                .strip_suffix(&format!(" — {SITE_NAME}"))
                .unwrap_or(&meta.title)
                .to_string(),
        ),
    };
    html! {
        <>
            <title>{ meta.title.clone() }</title>
            <meta name="description" content={meta.description.clone()} />
            if props.canonical {
                <link rel="canonical" href={canonical} />
            }
            <meta property="og:site_name" content={SITE_NAME} />
            <meta property="og:locale" content="fr_FR" />
            <meta property="og:type" content={og_type} />
            <meta property="og:title" content={og_title.clone()} />
            <meta property="og:description" content={meta.description.clone()} />
            if let Some(url) = url.filter(|_| props.canonical) {
                <meta property="og:url" content={url} />
            }
            if let Some(image) = absolute("icon-512.png") {
                <meta property="og:image" content={image} />
            }
            if let Some(published) = &meta.published {
                <meta property="article:published_time" content={published.clone()} />
            }
            <meta name="twitter:card" content="summary" />
            <meta name="twitter:title" content={og_title} />
            <meta name="twitter:description" content={meta.description.clone()} />
        </>
    }
}

/// A page of its own holding one message (see [`BuiltSite::standalone`]).
#[derive(Properties, PartialEq, Clone, Copy)]
struct StandaloneMessage {
    title: &'static str,
    description: &'static str,
    message: &'static str,
}

impl StandaloneMessage {
    const NOT_FOUND: StandaloneMessage = StandaloneMessage {
        title: "Page introuvable",
        description: "Aucune page du lecteur n’est à cette adresse.",
        message: "Aucune page du lecteur n’est à cette adresse : l’article a peut-être été renommé ou retiré.",
    };
    const NOT_KEPT: StandaloneMessage = StandaloneMessage {
        title: "Article pas encore enregistré",
        description: "Cet article n’est pas encore sur cet appareil.",
        message: "Vous êtes hors ligne, et cet article n’est pas encore enregistré sur cet appareil : \
                  il s’ouvrira une fois en ligne. La liste et la recherche fonctionnent hors ligne ; \
                  pour tout lire sans réseau, téléchargez l’archive depuis le bas de la liste.",
    };
}

/// A standalone page's content: the reader's message view, in a page of its own.
#[component]
fn Standalone(props: &StandaloneMessage) -> Html {
    let links = Links::new(Addressing::Paths, Route::Home);
    html! {
        <ContextProvider<Links> context={links}>
            <main id="contenu" class="not-found">
                <Message title={props.title} message={props.message} home_link={true} />
            </main>
        </ContextProvider<Links>>
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use lecteur_core::Article;

    use super::*;

    const TEMPLATE: &str = include_str!("../../../www/index.html");

    fn articles() -> Vec<Arc<Article>> {
        ["un", "deux"]
            .iter()
            .map(|slug| {
                Arc::new(
                    Article::parse(&format!(
                        "---\nslug: {slug}\ntitle: Le titre <b>{slug}</b> & « x »\nsource: Source\ndate: 2014-12-22 10:47\nlanguage: fr\n---\n\nPremier paragraphe de {slug} : <script>alert(1)</script>.\n\n## Un intertitre\n\nLa suite.\n"
                    ))
                    .unwrap(),
                )
            })
            .collect()
    }

    fn site(public_url: Option<&'static str>) -> BuiltSite<'static> {
        BuiltSite {
            template: TEMPLATE,
            style: "body { color: red }",
            bootstrap: "const ROOT = 1; // </script> inside",
            build: "0123456789abcdef",
            public_url,
        }
    }

    #[test]
    fn an_article_page_reads_without_a_program_and_previews_as_itself() {
        let articles = articles();
        let page = Prerendered::article(&articles, 0);
        let html = site(None).document(&page).unwrap();
        // The text, escaped: article text is never markup.
        assert!(
            html.contains("Premier paragraphe de un\u{a0}: &lt;script&gt;alert(1)&lt;/script&gt;.")
                || html.contains(
                    "Premier paragraphe de un\u{202f}: &lt;script&gt;alert(1)&lt;/script&gt;."
                ),
            "{html}"
        );
        assert!(!html.contains("<b>un</b>"));
        assert!(html.contains("id=\"bloc-3\""));
        // Its own head, with what link previews read.
        assert!(
            html.contains("<title>Le titre &lt;b&gt;un&lt;/b&gt; &amp; « x » — Lecteur</title>"),
            "{html}"
        );
        for tag in [
            "<meta property=\"og:type\" content=\"article\">",
            "<meta property=\"og:locale\" content=\"fr_FR\">",
            "<meta property=\"og:title\" content=\"Le titre &lt;b&gt;un&lt;/b&gt; &amp; « x »\">",
            "<meta property=\"article:published_time\" content=\"2014-12-22T10:47\">",
            "<meta name=\"twitter:card\" content=\"summary\">",
            "<link rel=\"canonical\" href=\"./\">",
        ] {
            assert!(html.contains(tag), "{tag} in {html}");
        }
        assert!(html.contains("<meta name=\"description\" content=\"Premier paragraphe de un"));
        // No absolute address is invented without the site's.
        assert!(!html.contains("og:url"));
        // The stylesheet inline, the head's files two folders up, the view's links too.
        assert!(html.contains("<style>body { color: red }</style>"));
        assert!(
            html.contains("<script>const ROOT = 1; // <\\/script> inside</script>"),
            "{html}"
        );
        assert!(!html.contains("main.js"));
        assert!(html.contains("href=\"../../manifest.webmanifest\""));
        assert!(html.contains("href=\"../../a/deux/\""));
        assert!(html.contains("action=\"../../\""));
        // The data to take the page over, and no redirect of old links here.
        assert!(html.contains(&format!(
            "<script type=\"application/json\" id=\"{PAGE_DATA_ID}\">"
        )));
        assert!(!html.contains("lecteur:anciens-liens") && !html.contains("location.replace"));
        assert!(html.contains("Version 0123456789ab"));
        // Its policy allows its own inline loader and styles, by their hashes, and no other.
        let policy = html
            .split("<meta http-equiv=\"Content-Security-Policy\" content=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap();
        assert_eq!(policy.matches("'sha256-").count(), 2, "{policy}");
        assert!(policy.contains("require-trusted-types-for 'script'"));

        let html = site(Some("https://example.org/lecteur"))
            .document(&page)
            .unwrap();
        assert!(
            html.contains("<link rel=\"canonical\" href=\"https://example.org/lecteur/a/un/\">")
        );
        assert!(
            html.contains(
                "<meta property=\"og:url\" content=\"https://example.org/lecteur/a/un/\">"
            )
        );
        assert!(html.contains(
            "<meta property=\"og:image\" content=\"https://example.org/lecteur/icon-512.png\">"
        ));
    }

    #[test]
    fn the_home_page_lists_every_article_and_keeps_old_links_working() {
        let articles = articles();
        let html = site(None).document(&Prerendered::home(&articles)).unwrap();
        assert!(html.contains("href=\"a/un/\"") && html.contains("href=\"a/deux/\""));
        assert!(html.contains("<title>Lecteur — articles</title>"));
        assert!(html.contains("<meta property=\"og:type\" content=\"website\">"));
        assert!(html.contains("location.replace"), "the old links' script");
        assert!(html.contains("<script>const ROOT"));
        assert!(html.contains("action=\"./\"") && html.contains("name=\"q\""));
    }

    #[test]
    fn the_standalone_pages_need_nothing_relative_to_themselves() {
        for (html, title) in [
            (site(None).not_found().unwrap(), "Page introuvable"),
            (
                site(None).not_kept().unwrap(),
                "Article pas encore enregistré",
            ),
        ] {
            assert!(html.contains(&format!("<h1>{title}</h1>")), "{html}");
            assert!(html.contains(&format!("<title>{title} — Lecteur</title>")));
            assert!(html.contains("Revenir à la liste des articles"));
            assert!(html.contains("document.querySelector('.message a')"));
            assert!(!html.contains("main.js") && !html.contains("<link rel=\"manifest\""));
            assert!(html.contains("<style>"));
        }
    }

    #[test]
    fn only_relative_addresses_of_the_head_are_moved() {
        let html = "<head><link href=\"style.css\"><script src=\"/abs.js\"></script>\
                    <link href=\"https://x/y\"><link href=\"#x\"></head><body><a href=\"a/b/\"></a></body>";
        assert_eq!(
            relocate_head(html, "../../"),
            "<head><link href=\"../../style.css\"><script src=\"/abs.js\"></script>\
             <link href=\"https://x/y\"><link href=\"#x\"></head><body><a href=\"a/b/\"></a></body>"
        );
    }
}
