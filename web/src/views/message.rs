//! A message for the reader when something cannot be shown, with a way home.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct MessageProps {
    pub title: AttrValue,
    pub message: AttrValue,
    pub home_link: bool,
}

#[component]
pub fn Message(props: &MessageProps) -> Html {
    use_effect_with(props.title.clone(), |title| {
        crate::browser::set_title(&format!("{title} — Lecteur"));
    });
    html! {
        <section class="message" data-testid="error" role="alert">
            <h1>{ props.title.clone() }</h1>
            <p>{ props.message.clone() }</p>
            if props.home_link {
                <p><a href="#/">{ "Revenir à la liste des articles" }</a></p>
            }
        </section>
    }
}
