//! Links: the site's and the hash addresses, their percent codes, and the article view a
//! link opens (its query's marks and its shared passages).

use lecteur::page::mark_shared;
use lecteur::percent;
use lecteur::route::{Route, SharedPassages};

use super::{check_marks, text_of};
use crate::fixtures;

pub fn seeds() -> Vec<Vec<u8>> {
    [
        "",
        "?q=popcorn+time",
        "?q=t%C3%A9l%C3%A9charger%20hadopi",
        "a/popcorn-time-n-est-pas-legal/",
        "a/popcorn-time-n-est-pas-legal/index.html?q=hadopi&p=2",
        "a/sites-de-telechargement-illegaux/?s=2.10,la%20loi%20,Hadopi,%20veille",
        "a/popcorn-time-350-000-utilisateurs/?q=vpn&s=1.0,,Popcorn%20Time,%20a&s=0.4,,iOS,",
        "#/a/popcorn-time-n-est-pas-legal?q=hadopi&p=3",
        "#/?q=%22popcorn%20time%22~2%20-netflix",
        "a/x%2Fy/?q=%E2%80%99&s=9.99,%,%ZZ,",
    ]
    .iter()
    .map(|link| link.as_bytes().to_vec())
    .collect()
}

pub fn run(bytes: &[u8]) -> Result<(), String> {
    let link = text_of(bytes, crate::engine::LONGEST_INPUT);
    let encoded = percent::encode(&link);
    if percent::decode(&encoded).as_deref() != Ok(link.as_str()) {
        return Err(format!("percent : {link:?} ne revient pas de {encoded:?}"));
    }
    let (path, search) = link.split_once('?').unwrap_or((&link, ""));
    if let Ok(route) = Route::from_site(path, search) {
        let address = route.site_address();
        let address = address.strip_prefix("./").unwrap_or(&address);
        let (path, search) = address.split_once('?').unwrap_or((address, ""));
        round_trip(&route, Route::from_site(path, search), "adresse")?;
        view(&route)?;
    }
    if let Ok(route) = Route::from_hash(&link) {
        round_trip(&route, Route::from_hash(&route.to_hash()), "adresse en #")?;
    }
    Ok(())
}

/// A route written and read again is the same route (a damaged `s=` is dropped on writing).
fn round_trip(
    route: &Route,
    again: Result<Route, lecteur::route::RouteError>,
    what: &str,
) -> Result<(), String> {
    if matches!(
        route,
        Route::Article {
            shared: SharedPassages::Damaged(_),
            ..
        }
    ) {
        return Ok(());
    }
    match again {
        Ok(again) if &again == route => Ok(()),
        other => Err(format!("{what} : {route:?} relue en {other:?}")),
    }
}

/// What the article view computes for the link, on a shipped article.
fn view(route: &Route) -> Result<(), String> {
    let Route::Article { query, shared, .. } = route else {
        return Ok(());
    };
    let articles = fixtures::articles();
    let article = &articles[query.as_deref().map_or(0, str::len) % articles.len()];
    if let Some(query) = query
        && let Ok(marks) = fixtures::library().marks(article, query)
    {
        check_marks("titre", &article.title, &marks.title)?;
        for (block, ranges) in article.blocks.iter().zip(&marks.blocks) {
            check_marks("paragraphe", block.text(), ranges)?;
        }
    }
    let marking = mark_shared(article, shared);
    for (block, ranges) in article.blocks.iter().zip(&marking.per_block) {
        check_marks("passage partagé", block.text(), ranges)?;
    }
    Ok(())
}
