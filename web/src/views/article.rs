//! The reading view: one article, its metadata, its blocks with the query's
//! words marked, and the way back. A link naming a passage (`p=`) scrolls to it.

use lecteur::Route;
use lecteur::article::Block;
use lecteur::route::passage;
use yew::prelude::*;

use super::{Shared, byline, marked};
use crate::browser;

#[derive(Properties, PartialEq)]
pub struct ArticleProps {
    pub library: Shared,
    pub slug: AttrValue,
    pub query: Option<AttrValue>,
}

#[component]
pub fn ArticleView(props: &ArticleProps) -> Html {
    let heading = use_node_ref();
    {
        let heading = heading.clone();
        let title = props
            .library
            .article(&props.slug)
            .map(|article| article.title.clone())
            .unwrap_or_default();
        // The passage is read from the URL, apart from the route, so that
        // links without one keep their meaning; it is a dependency so that
        // following another passage of the same article scrolls again.
        let target = passage(&browser::hash());
        use_effect_with(
            (props.slug.clone(), props.query.clone(), target),
            move |_| {
                browser::set_title(&format!("{title} — Lecteur"));
                if let Some(heading) = heading.cast::<web_sys::HtmlElement>() {
                    browser::focus_quietly(&heading);
                }
                let selector = target
                    .map(|block| format!("[data-testid=\"article\"] .body #bloc-{}", block + 1));
                if selector.is_some_and(|selector| browser::scroll_to_first(&selector)) {
                    return;
                }
                if !browser::scroll_to_first("[data-testid=\"article\"] .body mark") {
                    browser::scroll_to_top();
                }
            },
        );
    }
    let Some(article) = props.library.article(&props.slug) else {
        return Html::default();
    };
    let highlighter = props
        .library
        .highlighter(props.query.as_deref().unwrap_or_default());
    let (back_href, back_label) = match &props.query {
        Some(query) => (
            Route::Search {
                query: query.to_string(),
            }
            .to_hash(),
            format!("← Résultats pour « {query} »"),
        ),
        None => ("#/".to_string(), "← Tous les articles".to_string()),
    };
    let mark_count: usize = article
        .blocks
        .iter()
        .map(|block| highlighter.ranges(block.text()).len())
        .sum();
    let others = props
        .library
        .articles()
        .iter()
        .filter(|other| other.slug != article.slug);
    html! {
        <>
            <nav class="crumbs" aria-label="Navigation"><a href={back_href}>{ back_label }</a></nav>
            <article class="reading" data-testid="article" lang="fr">
                <header>
                    <h1 ref={heading} tabindex="-1">{ marked(&article.title, &highlighter.ranges(&article.title)) }</h1>
                    { byline(article) }
                    if let Some(origin) = &article.title_origin {
                        <p class="title-origin">{ origin.clone() }</p>
                    }
                    if props.query.is_some() {
                        <p class="status" role="status">{ match mark_count {
                            0 => "Aucun mot de la recherche dans le texte.".to_string(),
                            1 => "1 passage marqué.".to_string(),
                            n => format!("{n} passages marqués."),
                        } }</p>
                    }
                </header>
                <div class="body">
                    { for article.blocks.iter().enumerate().map(|(index, block)| {
                        let id = format!("bloc-{}", index + 1);
                        let text = marked(block.text(), &highlighter.ranges(block.text()));
                        match block {
                            Block::Heading(_) => html! { <h2 id={id}>{ text }</h2> },
                            Block::Paragraph(_) => html! { <p id={id}>{ text }</p> },
                        }
                    }) }
                </div>
            </article>
            <nav class="others" aria-labelledby="autres-articles">
                <h2 id="autres-articles">{ "Autres articles" }</h2>
                <ul>
                    { for others.map(|other| html! {
                        <li><a href={Route::Article { slug: other.slug.clone(), query: None }.to_hash()}>{ other.title.clone() }</a></li>
                    }) }
                </ul>
            </nav>
        </>
    }
}
