//! The page's addresses in the browser: the one place that reads them, writes
//! them into the history, and listens for navigation (links, Back, Forward).
//!
//! On a web host every page has an address of its own (see `lecteur_core::route`):
//! until the page can show another page itself, a link is left to the browser,
//! which loads that page's HTML; once it can (the engine is there, or it knows
//! the article), following a link of the site only changes the address
//! (`history.pushState`) and the view. The single-file edition keeps its
//! addresses in the hash, which the browser follows without a load.

use std::rc::Rc;

use lecteur_core::Route;
use lecteur_core::page::HistoryEntry;
use lecteur_core::route::{Addressing, RouteError};
use wasm_bindgen::JsCast;
use web_sys::{Event, HtmlAnchorElement, MouseEvent};
use yew::prelude::*;

use crate::browser::{self, Listener};

/// Where the site lives and how it writes its addresses.
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    pub addressing: Addressing,
    /// The site's root, absolute (`https://host/prefix/`); empty in the hash edition.
    root: String,
}

impl Site {
    pub fn new(addressing: Addressing, root: String) -> Site {
        Site { addressing, root }
    }

    /// The route of the document's address now.
    pub fn current(&self) -> Result<Route, RouteError> {
        match self.addressing {
            Addressing::Hash => Route::from_hash(&browser::location_hash()),
            Addressing::Paths => self
                .route_of(&browser::location_href())
                .unwrap_or_else(|| Err(RouteError::UnknownPath(browser::location_href()))),
        }
    }

    /// The route of an absolute address, if it is one of this site's.
    fn route_of(&self, url: &str) -> Option<Result<Route, RouteError>> {
        let url = url.split_once('#').map_or(url, |(before, _)| before);
        let rest = url.strip_prefix(&self.root)?;
        let (path, search) = rest.split_once('?').unwrap_or((rest, ""));
        Some(Route::from_site(path, search))
    }

    /// The absolute address of `route` (the hash, in the hash edition).
    pub fn address(&self, route: &Route) -> String {
        match self.addressing {
            Addressing::Paths => {
                format!("{}{}{}", self.root, route.page_path(), route.parameters())
            }
            Addressing::Hash => route.to_hash(),
        }
    }

    /// The absolute address of a path relative to the site's root, as the core writes it
    /// (`./a/SLUG/?s=…#:~:text=…`); in the hash edition, the document's own with `route`.
    pub fn absolute(&self, site_address: &str, route: &Route) -> String {
        match self.addressing {
            Addressing::Paths => format!(
                "{}{}",
                self.root,
                site_address.strip_prefix("./").unwrap_or(site_address)
            ),
            Addressing::Hash => browser::address_with_hash(&route.to_hash()),
        }
    }

    /// Puts `route` in the address bar and the history, without loading a page.
    pub fn navigate(&self, route: &Route, entry: HistoryEntry) {
        browser::write_history(&self.address(route), entry);
    }
}

/// How the views write their links: relative to the page the document is at.
#[derive(Clone, Debug, PartialEq)]
pub struct Links {
    addressing: Addressing,
    here: Route,
}

impl Links {
    pub fn new(addressing: Addressing, here: Route) -> Links {
        Links { addressing, here }
    }

    pub fn href(&self, to: &Route) -> AttrValue {
        self.addressing.href(to, &self.here).into()
    }
}

/// The links of the views, given by the root component.
#[hook]
pub fn use_links() -> Links {
    use_context::<Links>().expect("the root component provides the links")
}

/// Listens for navigation: Back and Forward, and, on a web host, clicks on the site's links
/// that `can_follow` says the page can show itself (the others load their page). Reports
/// each new route to `navigated`.
#[hook]
pub fn use_navigation(
    site: &Site,
    can_follow: Rc<dyn Fn(&Route) -> bool>,
    navigated: Callback<Result<Route, RouteError>>,
) {
    let site = site.clone();
    use_effect_with(site, move |site| {
        let window = browser::window();
        let listeners = match site.addressing {
            Addressing::Hash => {
                let site = site.clone();
                vec![Listener::new(&window, "hashchange", move |_| {
                    navigated.emit(site.current());
                })]
            }
            Addressing::Paths => {
                let on_history = {
                    let site = site.clone();
                    let navigated = navigated.clone();
                    Listener::new(&window, "popstate", move |_| {
                        navigated.emit(site.current());
                    })
                };
                let site = site.clone();
                let on_click = Listener::new(&browser::document(), "click", move |event| {
                    let Some(route) = followable_link(&site, &event) else {
                        return;
                    };
                    if !can_follow(&route) {
                        return;
                    }
                    event.prevent_default();
                    let entry = if site.address(&route) == browser::location_href() {
                        HistoryEntry::Replace
                    } else {
                        HistoryEntry::Push
                    };
                    site.navigate(&route, entry);
                    navigated.emit(Ok(route));
                });
                vec![on_history, on_click]
            }
        };
        move || drop(listeners)
    });
}

/// The route of the site link a plain click (no modifier, main button, no other target)
/// activated, if it was one.
fn followable_link(site: &Site, event: &Event) -> Option<Route> {
    let click = event.dyn_ref::<MouseEvent>()?;
    if event.default_prevented()
        || click.button() != 0
        || click.ctrl_key()
        || click.meta_key()
        || click.shift_key()
        || click.alt_key()
    {
        return None;
    }
    let anchor: HtmlAnchorElement = event
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("a[href]")
        .ok()??
        .dyn_into()
        .ok()?;
    if !anchor.target().is_empty() || anchor.has_attribute("download") {
        return None;
    }
    // A link within the page (the skip link) is the browser's.
    let href = anchor.href();
    if href.split_once('#').map(|(before, _)| before)
        == Some(
            browser::location_href()
                .split('#')
                .next()
                .unwrap_or_default(),
        )
    {
        return None;
    }
    site.route_of(&href)?.ok()
}
