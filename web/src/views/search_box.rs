//! The search box: reports each keystroke, and ArrowDown moves to the results.

use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use crate::browser;

#[derive(Properties, PartialEq)]
pub struct SearchBoxProps {
    pub value: AttrValue,
    pub on_type: Callback<String>,
    pub input_ref: NodeRef,
    /// False while the index loads: typing would search nothing.
    pub ready: bool,
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
        <form class="search" role="search" onsubmit={Callback::from(|event: SubmitEvent| event.prevent_default())}>
            <label for="recherche" class="visually-hidden">{ "Rechercher dans les articles" }</label>
            <input
                id="recherche"
                type="search"
                ref={props.input_ref.clone()}
                value={props.value.clone()}
                placeholder="Rechercher (touche /)"
                autocomplete="off"
                spellcheck="false"
                aria-keyshortcuts="/"
                aria-describedby="recherche-aide"
                disabled={!props.ready}
                {oninput}
                {onkeydown}
            />
            <span id="recherche-aide" class="visually-hidden">
                { "Les résultats s’affichent pendant la frappe ; flèche bas pour les parcourir." }
            </span>
        </form>
    }
}
