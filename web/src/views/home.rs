//! Home: every article, with its source, date and first lines.

use lecteur::Route;
use yew::prelude::*;

use super::{Shared, byline};

/// Characters of the first paragraph shown under each title.
const EXCERPT_CHARS: usize = 220;

#[derive(Properties, PartialEq)]
pub struct HomeProps {
    pub library: Shared,
    /// The article the reader came back from: its link gets the focus.
    pub return_to: Option<AttrValue>,
}

#[component]
pub fn Home(props: &HomeProps) -> Html {
    use_effect_with(props.return_to.clone(), |return_to| {
        crate::browser::set_title("Lecteur — articles");
        let returned = return_to.as_ref().is_some_and(|slug| {
            crate::browser::focus_item_link("[data-testid=\"article-card\"]", slug, "h2 a")
        });
        if !returned {
            crate::browser::scroll_to_top();
        }
    });
    let articles = props.library.articles();
    html! {
        <section class="home" aria-labelledby="titre-accueil">
            <h1 id="titre-accueil">{ "Les articles" }</h1>
            <p class="lede">{ format!("{} articles, consultables et cherchables sans réseau une fois chargés.", articles.len()) }</p>
            <ul class="cards" data-testid="article-list">
                { for articles.iter().map(|article| {
                    let href = Route::Article { slug: article.slug.clone(), query: None }.to_hash();
                    html! {
                        <li class="card" data-testid="article-card" data-slug={article.slug.clone()}>
                            <h2><a href={href}>{ article.title.clone() }</a></h2>
                            { byline(article) }
                            <p class="excerpt">{ article.excerpt(EXCERPT_CHARS) }</p>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
