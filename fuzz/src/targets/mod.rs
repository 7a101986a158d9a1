//! The targets, one module each, and the properties they share.

mod anchor;
mod article;
mod bundle;
mod route;
mod search;

use std::ops::Range;
use std::time::Duration;

use crate::Target;

/// The README's budget for any one input on the shipped articles.
const BUDGET: Duration = Duration::from_millis(50);

pub fn all() -> Vec<Target> {
    vec![
        Target {
            name: "route",
            budget: BUDGET,
            seeds: route::seeds,
            run: route::run,
        },
        Target {
            name: "anchor",
            budget: BUDGET,
            seeds: anchor::seeds,
            run: anchor::run,
        },
        Target {
            name: "search",
            budget: BUDGET,
            seeds: search::seeds,
            run: search::run,
        },
        Target {
            name: "bundle",
            budget: BUDGET,
            seeds: bundle::seeds,
            run: bundle::run,
        },
        Target {
            name: "article",
            budget: BUDGET,
            seeds: article::seeds,
            run: article::run,
        },
    ]
}

/// Marks as the page renders them: non-empty, inside `text`, on character boundaries,
/// in order and not overlapping.
fn check_marks(what: &str, text: &str, marks: &[Range<usize>]) -> Result<(), String> {
    let mut previous_end = 0;
    for mark in marks {
        if mark.start >= mark.end
            || mark.end > text.len()
            || !text.is_char_boundary(mark.start)
            || !text.is_char_boundary(mark.end)
        {
            return Err(format!(
                "{what} : marque {mark:?} hors du texte ({} octets)",
                text.len()
            ));
        }
        if mark.start < previous_end {
            return Err(format!("{what} : marques qui se chevauchent ({marks:?})"));
        }
        previous_end = mark.end;
    }
    Ok(())
}

/// The text the bytes hold, as a browser would read them, at most `max_bytes` long.
fn text_of(bytes: &[u8], max_bytes: usize) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(max_bytes)]).into_owned()
}
