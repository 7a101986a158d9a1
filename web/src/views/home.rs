//! Home: every article, with its source, date and first lines.

use lecteur::Route;
use yew::prelude::*;

use super::{Shared, byline};

/// Characters of the first paragraph shown under each title.
const EXCERPT_CHARS: usize = 220;

#[derive(Properties, PartialEq)]
pub struct HomeProps {
    pub library: Shared,
}

#[component]
pub fn Home(props: &HomeProps) -> Html {
    use_effect_with((), |_| {
        crate::browser::set_title("Lecteur — articles");
        crate::browser::scroll_to_top();
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
                        <li class="card" data-testid="article-card">
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
