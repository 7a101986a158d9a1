//! The search box: a real form (`GET`, `q=`), which lands on the results' address when
//! submitted before the program runs; once it runs, each keystroke searches and ArrowDown
//! moves to the results.

use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use crate::browser;

#[derive(Properties, PartialEq)]
pub struct SearchBoxProps {
    pub value: AttrValue,
    /// Where the form goes when submitted without the program: the site's home.
    pub action: AttrValue,
    pub on_type: Callback<String>,
    pub input_ref: NodeRef,
}

#[component]
pub fn SearchBox(props: &SearchBoxProps) -> Html {
    let oninput = {
        let on_type = props.on_type.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            on_type.emit(input.value());
        })
    };
    let onkeydown = Callback::from(|event: KeyboardEvent| {
        if event.key() == "ArrowDown" && browser::move_focus(super::results::RESULT_LINKS, 1) {
            event.prevent_default();
        }
    });
    html! {
        <form class="search" role="search" method="get" action={props.action.clone()}
            onsubmit={Callback::from(|event: SubmitEvent| event.prevent_default())}>
            <label for="recherche" class="visually-hidden">{ "Rechercher dans les articles" }</label>
            <input
                id="recherche"
                type="search"
                name="q"
                ref={props.input_ref.clone()}
                value={props.value.clone()}
                placeholder="Rechercher (touche /)"
                autocomplete="off"
                spellcheck="false"
                aria-keyshortcuts="/"
                aria-describedby="recherche-aide"
                {oninput}
                {onkeydown}
            />
            <span id="recherche-aide" class="visually-hidden">
                { "Les résultats s’affichent pendant la frappe ; flèche bas pour les parcourir." }
            </span>
        </form>
    }
}
