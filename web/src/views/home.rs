//! Home: every article, with its source, date and first lines.

use std::rc::Rc;

use lecteur_core::Route;
use lecteur_core::prerendered::Card;
use yew::prelude::*;

use super::byline;
use crate::router::use_links;

#[derive(Properties, PartialEq)]
pub struct HomeProps {
    pub cards: Rc<[Card]>,
    /// The article the reader came back from: its link gets the focus.
    pub return_to: Option<AttrValue>,
    /// Whether this is the view the page opened with (then the scroll is the reader's).
    pub arrived: bool,
}

#[component]
pub fn Home(props: &HomeProps) -> Html {
    let links = use_links();
    use_effect_with(
        (props.return_to.clone(), props.arrived),
        |(return_to, arrived)| {
            let returned = return_to.as_ref().is_some_and(|slug| {
                crate::browser::focus_item_link("[data-testid=\"article-card\"]", slug, "h2 a")
            });
            if !returned && !arrived {
                crate::browser::scroll_to_top();
            }
        },
    );
    html! {
        <section class="home" aria-labelledby="titre-accueil">
            <h1 id="titre-accueil">{ "Les articles" }</h1>
            <p class="lede">{ format!("{} articles, consultables et cherchables sans réseau une fois chargés.", props.cards.len()) }</p>
            <ul class="cards" data-testid="article-list">
                { for props.cards.iter().map(|card| html! {
                    <li class="card" data-testid="article-card" data-slug={card.slug.clone()}>
                        <h2><a href={links.href(&Route::article(&card.slug))}>{ card.title.clone() }</a></h2>
                        { byline(card.source.as_deref(), card.date) }
                        <p class="excerpt">{ card.excerpt.clone() }</p>
                    </li>
                }) }
            </ul>
        </section>
    }
}
