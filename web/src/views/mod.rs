//! The page's views, one small component each, and what they share.

mod article;
mod help;
mod home;
mod message;
mod results;
mod search_box;

use std::ops::Range;

use lecteur_core::found::pieces;
use yew::prelude::*;

pub use article::ArticleView;
pub use help::{HELP_ID, Help};
pub use home::Home;
pub use message::Message;
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

/// "Plus de …": asks for the list's next page and, once it shows, puts the focus on its
/// first new item's link (`links` selects every item's link), so that a keyboard reader
/// goes on from there. Returns the button's click handler.
#[hook]
pub fn use_show_more(
    links: &'static str,
    showing: usize,
    on_more: Callback<()>,
) -> Callback<MouseEvent> {
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
    Callback::from(move |_: MouseEvent| {
        *asked_at.borrow_mut() = Some(showing);
        on_more.emit(());
    })
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
