//! What a page built ahead of time carries: the data its view was rendered
//! from, and what it tells crawlers and link previews.
//!
//! The build renders the home page and every article to HTML with the same
//! components the browser runs (`lecteur-web`, natively), and embeds the
//! [`Prerendered`] data of the page in it as JSON. The program's first render
//! in the browser is the very view that HTML shows, made from that data, so the
//! program adopts the HTML (hydration) instead of drawing it again; from then
//! on it follows the address.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::article::{Article, ArticleDate};
use crate::route::Route;

/// The site's name, in every title.
pub const SITE_NAME: &str = "Lecteur";
/// What the site is, for the home page's description and previews.
pub const SITE_DESCRIPTION: &str =
    "Lire et chercher des articles de presse en français, entièrement dans le navigateur.";
/// Characters of the first paragraph shown under each title of the list.
const EXCERPT_CHARS: usize = 220;
/// Characters of an article's opening in its description (what previews show).
const DESCRIPTION_CHARS: usize = 200;
/// How many other articles an article's page links to: its neighbours in the list, so that a
/// page stays the same size whatever the size of the archive.
pub const OTHERS: usize = 8;

/// The positions of the articles an article's page links to, among `count` in the list: the
/// [`OTHERS`] nearest to `position`, in the list's order, the article itself left out.
pub fn neighbours(count: usize, position: usize) -> impl Iterator<Item = usize> {
    let start = position
        .saturating_sub(OTHERS / 2)
        .min(count.saturating_sub(OTHERS + 1));
    (start..count.min(start + OTHERS + 1)).filter(move |&at| at != position)
}

/// An article as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub slug: String,
    pub title: String,
    pub source: Option<String>,
    pub date: Option<ArticleDate>,
    pub excerpt: String,
}

impl Card {
    pub fn of(article: &Article) -> Card {
        Card {
            slug: article.slug.clone(),
            title: article.title.clone(),
            source: article.source.clone(),
            date: article.date,
            excerpt: article.excerpt(EXCERPT_CHARS),
        }
    }
}

/// An article as a link to it shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleLink {
    pub slug: String,
    pub title: String,
}

impl ArticleLink {
    pub fn of(card: &Card) -> ArticleLink {
        ArticleLink {
            slug: card.slug.clone(),
            title: card.title.clone(),
        }
    }
}

/// The data of a page rendered at build time (externally tagged in JSON, `{"home": …}`: an
/// internally tagged enum would bring serde's buffering decoder into the page's wasm).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Prerendered {
    /// The list's first page (the rest comes from the engine), and how many articles there
    /// are: an archive's home page stays the size of one page.
    Home { cards: Vec<Card>, total: usize },
    /// One article, and the others it links to.
    Article {
        article: Arc<Article>,
        others: Vec<ArticleLink>,
    },
}

/// The kind of a page, for link previews (`og:type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Website,
    Article,
}

/// What a page says of itself in its `<head>`: to the browser, crawlers and link previews.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
    pub kind: PageKind,
    /// The address of the page itself, relative to the site's root (`./`, `./a/SLUG/`).
    pub address: String,
    /// `article:published_time`, where the article has a date.
    pub published: Option<String>,
}

impl Prerendered {
    /// The home page of `articles`.
    pub fn home(articles: &[Arc<Article>]) -> Prerendered {
        Prerendered::Home {
            cards: articles
                .iter()
                .take(crate::page::CARDS_PAGE)
                .map(|article| Card::of(article))
                .collect(),
            total: articles.len(),
        }
    }

    /// The page of the article at `position` of `articles` (the folder's order), with its
    /// neighbours.
    pub fn article(articles: &[Arc<Article>], position: usize) -> Prerendered {
        Prerendered::Article {
            article: articles[position].clone(),
            others: neighbours(articles.len(), position)
                .map(|at| ArticleLink {
                    slug: articles[at].slug.clone(),
                    title: articles[at].title.clone(),
                })
                .collect(),
        }
    }

    /// The address this page answers, without parameters.
    pub fn route(&self) -> Route {
        match self {
            Prerendered::Home { .. } => Route::Home,
            Prerendered::Article { article, .. } => Route::article(&article.slug),
        }
    }

    /// The `<head>` of this page.
    pub fn meta(&self) -> PageMeta {
        let address = self.route().site_address();
        match self {
            Prerendered::Home { .. } => PageMeta {
                title: home_title(),
                description: SITE_DESCRIPTION.to_string(),
                kind: PageKind::Website,
                address,
                published: None,
            },
            Prerendered::Article { article, .. } => PageMeta {
                title: article_title(&article.title),
                description: article.excerpt(DESCRIPTION_CHARS),
                kind: PageKind::Article,
                address,
                published: article.date.map(|date| date.machine()),
            },
        }
    }

    /// The JSON a page embeds, safe inside a `<script>` element: no `<` at all,
    /// so no `</script>` or `<!--` can end or change it.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self)
            .expect("the page data is plain data")
            .replace('<', "\\u003c")
    }

    /// The page data of [`Prerendered::to_json`] (the page itself reads it with the browser's
    /// JSON parser and serde-wasm-bindgen, as it reads the engine's messages).
    pub fn from_json(json: &str) -> Result<Prerendered, serde_json::Error> {
        serde_json::from_str(json)
    }
}

/// The title of the list.
pub fn home_title() -> String {
    format!("{SITE_NAME} — articles")
}

/// The title of an article's page.
pub fn article_title(title: &str) -> String {
    format!("{title} — {SITE_NAME}")
}

/// The title of a page about `subject` (results, messages).
pub fn titled(subject: &str) -> String {
    format!("{subject} — {SITE_NAME}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn articles() -> Vec<Arc<Article>> {
        let source = |slug: &str, date: &str, first: &str| {
            format!(
                "---\nslug: {slug}\ntitle: Titre de {slug} </script>\nsource: Source\n{date}language: fr\n---\n\n## Un intertitre\n\n{first}\n\nLa suite.\n"
            )
        };
        vec![
            Arc::new(
                Article::parse(&source(
                    "un",
                    "date: 2014-12-22 10:47\n",
                    "Le début du premier, « cité ».",
                ))
                .unwrap(),
            ),
            Arc::new(Article::parse(&source("deux", "", "Le début du second.")).unwrap()),
        ]
    }

    #[test]
    fn each_page_knows_its_route_and_its_head() {
        let articles = articles();
        let home = Prerendered::home(&articles);
        assert_eq!(home.route(), Route::Home);
        assert_eq!(home.meta().title, "Lecteur — articles");
        assert_eq!(home.meta().address, "./");
        assert_eq!(home.meta().kind, PageKind::Website);

        let page = Prerendered::article(&articles, 0);
        assert_eq!(page.route(), Route::article("un"));
        let meta = page.meta();
        assert_eq!(meta.title, "Titre de un </script> — Lecteur");
        assert_eq!(meta.description, "Le début du premier, « cité ».");
        assert_eq!(meta.address, "./a/un/");
        assert_eq!(meta.kind, PageKind::Article);
        assert_eq!(meta.published.as_deref(), Some("2014-12-22T10:47"));
        let Prerendered::Article { others, .. } = &page else {
            panic!()
        };
        assert_eq!(
            others.iter().map(|o| o.slug.as_str()).collect::<Vec<_>>(),
            ["deux"]
        );
        assert_eq!(Prerendered::article(&articles, 1).meta().published, None);
    }

    #[test]
    fn an_article_links_to_its_neighbours_whatever_the_size_of_the_list() {
        let around = |count, position| neighbours(count, position).collect::<Vec<_>>();
        assert_eq!(around(3, 1), [0, 2]);
        assert_eq!(around(1, 0), Vec::<usize>::new());
        assert_eq!(around(100, 0), (1..=8).collect::<Vec<_>>());
        assert_eq!(around(100, 50), [46, 47, 48, 49, 51, 52, 53, 54]);
        assert_eq!(around(100, 99), (91..99).collect::<Vec<_>>());
        assert_eq!(around(9, 4), [0, 1, 2, 3, 5, 6, 7, 8]);
    }

    #[test]
    fn the_embedded_json_round_trips_and_cannot_close_its_script() {
        let articles = articles();
        for page in [
            Prerendered::home(&articles),
            Prerendered::article(&articles, 0),
        ] {
            let json = page.to_json();
            assert!(!json.contains('<'), "{json}");
            assert_eq!(Prerendered::from_json(&json).unwrap(), page);
        }
    }
}
