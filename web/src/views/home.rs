//! Home: the articles, with their source, date and first lines, a page at a time
//! ("Plus d'articles" adds the next).

use std::rc::Rc;

use lecteur_core::Route;
use lecteur_core::prerendered::Card;
use yew::prelude::*;

use super::{byline, use_show_more};
use crate::router::use_links;

/// Each card's link, in order.
const CARD_LINKS: &str = "[data-testid=\"article-card\"] h2 a";

#[derive(Properties, PartialEq)]
pub struct HomeProps {
    /// The cards the page knows, in order.
    pub cards: Rc<[Card]>,
    /// The excerpts of the first cards: a card shows once its excerpt is known (an
    /// archive's come as the list grows).
    pub excerpts: Rc<[String]>,
    /// Some excerpts could not be had (offline, their files never downloaded).
    pub excerpts_missing: bool,
    /// How many articles there are.
    pub total: usize,
    /// How many of them show.
    pub shown: usize,
    pub on_more: Callback<()>,
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
    let ready = props.cards.len().min(props.excerpts.len());
    let showing = props.shown.min(ready);
    let show_more = use_show_more(CARD_LINKS, showing, props.on_more.clone());
    // Past the cards the page came with, the rest waits for the engine's list and excerpts.
    let waiting = props.shown > ready && ready < props.total;
    html! {
        <section class="home" aria-labelledby="titre-accueil">
            <h1 id="titre-accueil">{ "Les articles" }</h1>
            <p class="lede">{ format!("{} articles, consultables et cherchables sans réseau une fois chargés.", props.total) }</p>
            <ul class="cards" data-testid="article-list">
                { for props.cards[..showing].iter().zip(props.excerpts.iter()).map(|(card, excerpt)| html! {
                    <li class="card" data-testid="article-card" data-slug={card.slug.clone()}>
                        <h2><a href={links.href(&Route::article(&card.slug))}>{ card.title.clone() }</a></h2>
                        { byline(card.source.as_deref(), card.date) }
                        if !excerpt.is_empty() {
                            <p class="excerpt">{ excerpt.clone() }</p>
                        }
                    </li>
                }) }
            </ul>
            if props.excerpts_missing {
                <p class="status" role="status" data-testid="excerpts-missing">
                    { "Les extraits de certains articles ne sont pas sur cet appareil et n’ont pas pu être téléchargés : leurs titres mènent à leurs pages. Rechargez la page avec le réseau pour les obtenir." }
                </p>
            }
            if showing < props.total {
                <p class="more">
                    <button type="button" data-testid="more" onclick={show_more.onclick}
                        ref={show_more.button}
                        aria-describedby="compte-accueil" disabled={waiting}>
                        { if waiting { "Chargement de la liste…" } else { "Plus d’articles" } }
                    </button>
                    <span id="compte-accueil" class="count">{ format!("{showing} sur {}", props.total) }</span>
                </p>
            }
        </section>
    }
}
