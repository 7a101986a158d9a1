//! A message for the reader when something cannot be shown, with a way home.

use lecteur_core::Route;
use yew::prelude::*;

use crate::router::use_links;

#[derive(Properties, PartialEq)]
pub struct MessageProps {
    pub title: AttrValue,
    pub message: AttrValue,
    pub home_link: bool,
}

#[component]
pub fn Message(props: &MessageProps) -> Html {
    let links = use_links();
    html! {
        <section class="message" data-testid="error" role="alert">
            <h1>{ props.title.clone() }</h1>
            <p>{ props.message.clone() }</p>
            if props.home_link {
                <p><a href={links.href(&Route::Home)}>{ "Revenir à la liste des articles" }</a></p>
            }
        </section>
    }
}
