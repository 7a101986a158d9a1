//! The archive's copy on this device (the core's [`offline`](lecteur_core::offline)): how much
//! of it is here, the download's progress, and the button that starts, cancels or resumes it.
//! Nothing shows until the service worker has reported, nor for a site that installs whole.

use lecteur_core::offline::{OfflineCopy, OfflinePanel as Panel};
use wasm_bindgen::JsCast;
use web_sys::CustomEvent;
use yew::prelude::*;

use crate::browser::{self, Listener};

/// `www/main.js` sends the service worker's reports on the window under this name.
const REPORT_EVENT: &str = "lecteur:archive-etat";
/// The page asks `www/main.js` (which asks the service worker) under this name.
const QUESTION_EVENT: &str = "lecteur:archive";

/// The last report of the archive's copy.
#[hook]
fn use_offline_copy() -> Option<OfflineCopy> {
    let copy = use_state(|| None::<OfflineCopy>);
    {
        let copy = copy.clone();
        use_effect_with((), move |_| {
            let listener = Listener::new(&browser::window(), REPORT_EVENT, move |event| {
                let Some(event) = event.dyn_ref::<CustomEvent>() else {
                    return;
                };
                match serde_wasm_bindgen::from_value::<OfflineCopy>(event.detail()) {
                    Ok(report) => copy.set(Some(report)),
                    Err(error) => web_sys::console::warn_1(
                        &format!("lecteur: unreadable offline report: {error}").into(),
                    ),
                }
            });
            // Reports sent before this listener are asked for again.
            browser::announce_with(QUESTION_EVENT, "etat");
            move || drop(listener)
        });
    }
    (*copy).clone()
}

#[component]
pub fn OfflineCopyPanel() -> Html {
    let Some(Panel {
        text,
        progress,
        action,
        disabled,
        problem,
    }) = use_offline_copy().as_ref().and_then(OfflineCopy::panel)
    else {
        return html! {};
    };
    let button = action.map(|(label, action)| {
        let onclick =
            Callback::from(move |_| browser::announce_with(QUESTION_EVENT, action.question()));
        html! {
            <button type="button" class="button" data-testid="archive-action" {disabled} {onclick}>
                { label }
            </button>
        }
    });
    html! {
        <section class="offline-copy" aria-label="Lecture hors ligne" data-testid="offline-copy">
            // Said once it changes course, not at every step of a download.
            <p data-testid="archive-status" aria-live={if progress.is_some() { "off" } else { "polite" }}>
                { text }
            </p>
            if let Some((value, max)) = progress {
                <progress data-testid="archive-progress" aria-label="Téléchargement de l’archive"
                    value={value.to_string()} max={max.to_string()}></progress>
            }
            if let Some(problem) = problem {
                <p class="problem" data-testid="archive-problem" role="alert">{ problem }</p>
            }
            { for button }
        </section>
    }
}
