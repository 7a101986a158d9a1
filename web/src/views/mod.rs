//! The page's views, one small component each, and what they share.

mod article;
mod help;
mod home;
mod message;
mod offline_copy;
mod results;
mod search_box;

use std::ops::Range;

use lecteur_core::found::pieces;
use yew::prelude::*;

pub use article::ArticleView;
pub use help::{HELP_ID, Help};
pub use home::Home;
pub use message::Message;
pub use offline_copy::OfflineCopyPanel;
pub use results::Results;
pub use search_box::SearchBox;

/// Renders text with `<mark>` around the given byte ranges. The text goes in
/// as text nodes: nothing from an article or a URL is ever parsed as HTML.
pub fn marked(text: &str, marks: &[Range<usize>]) -> Html {
    pieces(text, marks)
        .into_iter()
        .map(|(piece, is_match)| {
            let piece = piece.to_string();
            if is_match {
                html! { <mark>{ piece }</mark> }
            } else {
                html! { { piece } }
            }
        })
        .collect()
}

/// How far below the window the "Plus de …" button may still be when scrolling asks for the
/// next page: about two results ahead, so that a reader scrolling on rarely waits.
const SCROLL_AHEAD_PX: f64 = 300.0;

/// The "Plus de …" button of a list: its click handler and its node.
pub struct ShowMore {
    pub onclick: Callback<MouseEvent>,
    pub button: NodeRef,
}

/// "Plus de …": asks for the list's next page and, once it shows, puts the focus on its
/// first new item's link (`links` selects every item's link), so that a keyboard reader
/// goes on from there. A reader who scrolls the button near the window's bottom gets the
/// next page too, without the focus moving (nothing happens before the reader scrolls, so a
/// tall window does not load the whole list by itself, nor while the focus is on the button).
#[hook]
pub fn use_show_more(links: &'static str, showing: usize, on_more: Callback<()>) -> ShowMore {
    let button = use_node_ref();
    // The items showing now, and when scrolling last asked: once per page.
    let now_showing = use_mut_ref(|| showing);
    *now_showing.borrow_mut() = showing;
    let scroll_asked_at = use_mut_ref(|| None::<usize>);
    {
        let (button, on_more) = (button.clone(), on_more.clone());
        let (now_showing, scroll_asked_at) = (now_showing.clone(), scroll_asked_at.clone());
        use_effect_with((), move |()| {
            let window = crate::browser::window();
            let scrolled = crate::browser::Listener::new(&window.clone(), "scroll", move |_| {
                let Some(button) = button.cast::<web_sys::Element>() else {
                    return;
                };
                let height = window.inner_height().ok().and_then(|h| h.as_f64());
                let near = height.is_some_and(|height| {
                    button.get_bounding_client_rect().top() < height + SCROLL_AHEAD_PX
                });
                let showing = *now_showing.borrow();
                // A keyboard reader whose focus is on the button (focusing it scrolled the
                // page) is about to press it: the page it asks for takes the focus then.
                let focused = crate::browser::document()
                    .active_element()
                    .is_some_and(|active| active == button);
                // Disabled: the page asked for is on its way.
                if near
                    && !focused
                    && !button.has_attribute("disabled")
                    && scroll_asked_at.replace(Some(showing)) != Some(showing)
                {
                    on_more.emit(());
                }
            });
            move || drop(scrolled)
        });
    }
    // The number of items when the reader asked: the first new one's index.
    let asked_at = use_mut_ref(|| None::<usize>);
    {
        let asked_at = asked_at.clone();
        use_effect_with(showing, move |&showing| {
            let first_new = *asked_at.borrow();
            if let Some(first_new) = first_new.filter(|&first_new| showing > first_new) {
                asked_at.borrow_mut().take();
                crate::browser::focus_nth(links, first_new);
            }
        });
    }
    let onclick = Callback::from(move |_: MouseEvent| {
        *asked_at.borrow_mut() = Some(showing);
        on_more.emit(());
    });
    ShowMore { onclick, button }
}

/// The metadata line of an article: source and date, where the text gave them.
pub fn byline(source: Option<&str>, date: Option<lecteur_core::ArticleDate>) -> Html {
    let source = source.unwrap_or("Source non indiquée").to_string();
    html! {
        <p class="byline">
            <span class="source">{ source }</span>
            if let Some(date) = date {
                <span class="sep" aria-hidden="true">{ " · " }</span>
                <time datetime={date.machine()}>{ date.french() }</time>
            }
        </p>
    }
}
