//! The keyboard help: every shortcut, in a panel that `?` (or the masthead's
//! button) opens and Escape closes. The list is the core's
//! [`lecteur_core::page::KEYBOARD_HELP`]; the root component moves the focus in
//! and back.

use lecteur_core::page::KEYBOARD_HELP;
use yew::prelude::*;

/// The panel's id, which the button that opens it controls.
pub const HELP_ID: &str = "aide-clavier";

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub open: bool,
    /// The panel's heading, which takes the focus when it opens.
    pub heading: NodeRef,
    pub on_close: Callback<()>,
}

#[component]
pub fn Help(props: &HelpProps) -> Html {
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <section id={HELP_ID} class="help" aria-labelledby="aide-titre" data-testid="help" hidden={!props.open}>
            <h2 id="aide-titre" tabindex="-1" ref={props.heading.clone()}>{ "Raccourcis clavier" }</h2>
            <dl class="shortcuts">
                { for KEYBOARD_HELP.iter().map(|line| html! {
                    <div>
                        <dt>
                            { for line.keys.iter().enumerate().map(|(i, key)| html! {
                                <>
                                    if i > 0 { { " ou " } }
                                    <kbd>{ *key }</kbd>
                                </>
                            }) }
                        </dt>
                        <dd>{ line.what }</dd>
                    </div>
                }) }
            </dl>
            <button type="button" class="button" data-testid="help-close" onclick={on_close}>
                { "Fermer l’aide (Échap)" }
            </button>
        </section>
    }
}
