//! The few browser calls the page makes, wrapped so the components read as
//! plain Rust: the address and history, reading the index's response, event listeners, focus,
//! selection and scrolling, whether the network is there, and the window events and flags
//! shared with `www/main.js`.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    CustomEvent, CustomEventInit, Document, Element, Event, EventTarget, FocusOptions, HtmlElement,
    KeyboardEvent, ScrollIntoViewOptions, ScrollLogicalPosition, Window,
};

use lecteur_core::page::HistoryEntry;

pub fn window() -> Window {
    web_sys::window().expect("the page runs in a browser window")
}

/// A User Timing measure begun now and recorded when stopped: work that ends in another task
/// (an answer from the engine's worker). `id` keeps measures that overlap apart.
pub struct Timer {
    name: &'static str,
    start: String,
}

impl Timer {
    pub fn start(name: &'static str, id: u32) -> Timer {
        let start = format!("{name}:début:{id}");
        if let Some(performance) = window().performance() {
            let _ = performance.mark(&start);
        }
        Timer { name, start }
    }

    pub fn stop(self) {
        if let Some(performance) = window().performance() {
            let _ = performance.measure_with_start_mark(self.name, &self.start);
            performance.clear_marks_with_mark_name(&self.start);
        }
    }
}

pub fn document() -> Document {
    window().document().expect("a window has a document")
}

/// The current `location.hash`, `#` included (empty when there is none).
pub fn location_hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// The document's address now, absolute.
pub fn location_href() -> String {
    window().location().href().unwrap_or_default()
}

/// Puts an address in the address bar and the history, without loading a page.
pub fn write_history(url: &str, entry: HistoryEntry) {
    let Ok(history) = window().history() else {
        return;
    };
    let _ = match entry {
        HistoryEntry::Push => history.push_state_with_url(&JsValue::NULL, "", Some(url)),
        HistoryEntry::Replace => history.replace_state_with_url(&JsValue::NULL, "", Some(url)),
    };
}

/// The text of the element with id `id`, if there is one (the data a page carries).
#[cfg_attr(
    not(target_arch = "wasm32"),
    allow(dead_code, reason = "start() is the browser build's")
)]
pub fn element_text(id: &str) -> Option<String> {
    document().get_element_by_id(id)?.text_content()
}

/// What the search box holds (the reader may type before the program takes over).
#[cfg_attr(
    not(target_arch = "wasm32"),
    allow(dead_code, reason = "start() is the browser build's")
)]
pub fn search_box_text() -> String {
    document()
        .get_element_by_id("recherche")
        .and_then(|element| element.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|input| input.value())
        .unwrap_or_default()
}

/// Sets (`Some(value)`) or removes (`None`) the flag `data-<name>` of the root element.
pub fn set_root_flag(name: &str, value: Option<&str>) {
    if let Some(root) = document().document_element() {
        let name = format!("data-{name}");
        let _ = match value {
            Some(value) => root.set_attribute(&name, value),
            None => root.remove_attribute(&name),
        };
    }
}

thread_local! {
    /// The reader's selection while the program takes the page over.
    static KEPT_SELECTION: RefCell<Option<(web_sys::Node, u32, web_sys::Node, u32)>> =
        const { RefCell::new(None) };
}

/// Notes the reader's selection, to put it back with [`restore_selection`].
#[cfg_attr(
    not(target_arch = "wasm32"),
    allow(dead_code, reason = "start() is the browser build's")
)]
pub fn keep_selection() {
    let kept = window()
        .get_selection()
        .ok()
        .flatten()
        .and_then(|selection| {
            if selection.is_collapsed() {
                return None;
            }
            Some((
                selection.anchor_node()?,
                selection.anchor_offset(),
                selection.focus_node()?,
                selection.focus_offset(),
            ))
        });
    KEPT_SELECTION.with(|cell| *cell.borrow_mut() = kept);
}

/// Puts back the selection [`keep_selection`] noted, if its text is still in the page.
pub fn restore_selection() {
    let Some((anchor, anchor_offset, focus, focus_offset)) =
        KEPT_SELECTION.with(|cell| cell.borrow_mut().take())
    else {
        return;
    };
    if !(anchor.is_connected() && focus.is_connected()) {
        return;
    }
    if let Ok(Some(selection)) = window().get_selection() {
        let _ = selection.set_base_and_extent(&anchor, anchor_offset, &focus, focus_offset);
    }
}

/// How far the page is scrolled down, in CSS pixels.
pub fn scroll_y() -> f64 {
    window().scroll_y().unwrap_or_default()
}

pub fn set_title(title: &str) {
    document().set_title(title);
}

/// Runs `work` in a task of its own, after what the browser has queued meanwhile (a paint,
/// an input): long work split so, no task of it holds the page for long.
pub fn in_next_task(work: impl FnOnce() + 'static) {
    let work = Closure::once_into_js(work);
    let _ = window().set_timeout_with_callback(work.unchecked_ref());
}

/// Whether the browser believes it has a network connection.
pub fn online() -> bool {
    window().navigator().on_line()
}

/// Tells `www/main.js` (`lecteurArret`) that the program is stopping, and why, so that the
/// page says so in French with a way to reload, instead of waiting for it.
#[cfg_attr(
    not(target_arch = "wasm32"),
    allow(dead_code, reason = "start() is the browser build's")
)]
pub fn report_stop(reason: &str) {
    let report = js_sys::Reflect::get(&window(), &JsValue::from_str("lecteurArret"));
    if let Ok(report) = report.and_then(|value| value.dyn_into::<js_sys::Function>()) {
        let _ = report.call1(&JsValue::NULL, &JsValue::from_str(reason));
    }
}

/// Announces `kind` on the window, for `www/main.js` to act on.
pub fn announce(kind: &str) {
    if let Ok(event) = Event::new(kind) {
        let _ = window().dispatch_event(&event);
    }
}

/// Sends `detail` to `www/main.js` on the window, as the event `kind`.
pub fn announce_with(kind: &str, detail: &str) {
    let init = CustomEventInit::new();
    init.set_detail(&JsValue::from_str(detail));
    if let Ok(event) = CustomEvent::new_with_event_init_dict(kind, &init) {
        let _ = window().dispatch_event(&event);
    }
}

/// Whether `www/main.js` flagged the root element with `data-<name>` (it sets
/// flags as well as sending events, as it may do so before the page listens).
pub fn root_flag(name: &str) -> bool {
    document()
        .document_element()
        .is_some_and(|root| root.has_attribute(&format!("data-{name}")))
}

/// An event listener that is removed when dropped.
pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    callback: Closure<dyn FnMut(Event)>,
}

impl Listener {
    pub fn new(
        target: &EventTarget,
        kind: &'static str,
        handler: impl FnMut(Event) + 'static,
    ) -> Self {
        let callback = Closure::<dyn FnMut(Event)>::new(handler);
        let _ = target.add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref());
        Listener {
            target: target.clone(),
            kind,
            callback,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}

/// True when a key press goes to something the reader types into.
pub fn is_typing(event: &KeyboardEvent) -> bool {
    let Some(element) = event
        .target()
        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
    else {
        return false;
    };
    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || element.is_content_editable()
}

/// Focuses an element without scrolling to it.
pub fn focus_quietly(element: &HtmlElement) {
    let options = FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = element.focus_with_options(&options);
}

/// Moves focus among the elements matching `selector`: `delta` steps from the
/// focused one, or to the first when none of them has focus. Returns whether
/// focus moved.
pub fn move_focus(selector: &str, delta: i32) -> bool {
    let Ok(list) = document().query_selector_all(selector) else {
        return false;
    };
    let elements: Vec<HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<HtmlElement>().ok())
        .collect();
    if elements.is_empty() {
        return false;
    }
    let active: Option<Element> = document().active_element();
    let current = elements
        .iter()
        .position(|element| active.as_ref() == Some(element.unchecked_ref::<Element>()));
    let next = match current {
        None if delta > 0 => 0,
        None => return false,
        Some(index) => {
            let next = index as i32 + delta;
            if next < 0 || next >= elements.len() as i32 {
                return false;
            }
            next as usize
        }
    };
    elements[next].focus().is_ok()
}

/// Scrolls the first element matching `selector` to the middle of the view, unless
/// `unless_visible` and it is already in view (a browser showed it, or the reader);
/// returns false when there is none.
pub fn scroll_to_first(selector: &str, unless_visible: bool) -> bool {
    match document().query_selector(selector) {
        Ok(Some(element)) => {
            if !(unless_visible && in_view(&element)) {
                let options = ScrollIntoViewOptions::new();
                options.set_block(ScrollLogicalPosition::Center);
                element.scroll_into_view_with_scroll_into_view_options(&options);
            }
            true
        }
        _ => false,
    }
}

/// Whether an element is, at least in part, in the view.
fn in_view(element: &Element) -> bool {
    let box_ = element.get_bounding_client_rect();
    let height = window()
        .inner_height()
        .ok()
        .and_then(|height| height.as_f64())
        .unwrap_or_default();
    box_.bottom() > 0.0 && box_.top() < height
}

pub fn scroll_to_top() {
    window().scroll_to_with_x_and_y(0.0, 0.0);
}

/// The blocks of the reading view a selection can start and end in; `j` / `k`
/// move the focus between them.
pub const ARTICLE_BLOCK: &str = "[data-testid=\"article\"] .body [id^=\"bloc-\"]";

/// Where the reader's selection starts and ends in the article's blocks, when it
/// is a non-empty selection inside them: `(block from 0, UTF-16 offset)` each.
pub fn article_selection() -> Option<((usize, usize), (usize, usize))> {
    let selection = window().get_selection().ok()??;
    if selection.range_count() == 0 || selection.is_collapsed() {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    let start = block_point(&range.start_container().ok()?, range.start_offset().ok()?)?;
    let end = block_point(&range.end_container().ok()?, range.end_offset().ok()?)?;
    Some((start, end))
}

/// The block holding a DOM point and the point's offset in the block's text,
/// in UTF-16 code units (the length of the text from the block's start).
fn block_point(node: &web_sys::Node, offset: u32) -> Option<(usize, usize)> {
    let element = match node.dyn_ref::<Element>() {
        Some(element) => element.clone(),
        None => node.parent_element()?,
    };
    let block = element.closest(ARTICLE_BLOCK).ok()??;
    let index = block
        .id()
        .strip_prefix("bloc-")?
        .parse::<usize>()
        .ok()?
        .checked_sub(1)?;
    let before = document().create_range().ok()?;
    before.set_start(&block, 0).ok()?;
    before.set_end(node, offset).ok()?;
    let length = js_sys::Object::to_string(&before).length();
    Some((index, length as usize))
}

/// The page's own address with `hash` as its hash: the link a reader shares.
pub fn address_with_hash(hash: &str) -> String {
    let href = window().location().href().unwrap_or_default();
    let without_hash = href.split_once('#').map_or(href.as_str(), |(base, _)| base);
    format!("{without_hash}{hash}")
}

/// Puts `text` in the clipboard, quietly doing nothing where it is refused.
pub fn copy_to_clipboard(text: &str) {
    let promise = window().navigator().clipboard().write_text(text);
    wasm_bindgen_futures::spawn_local(async move {
        let _ = JsFuture::from(promise).await;
    });
}

/// Opens the device's share sheet for `url` where the browser has one; quietly
/// nothing otherwise, or when the reader closes it.
pub fn share_sheet(title: &str, url: &str) {
    let navigator = window().navigator();
    let has_share = js_sys::Reflect::has(&navigator, &JsValue::from_str("share")).unwrap_or(false);
    if !has_share {
        return;
    }
    let data = web_sys::ShareData::new();
    data.set_title(title);
    data.set_url(url);
    if !navigator.can_share_with_data(&data) {
        return;
    }
    let promise = navigator.share_with_data(&data);
    wasm_bindgen_futures::spawn_local(async move {
        let _ = JsFuture::from(promise).await;
    });
}

/// Flags the `index`-th element matching `selector` as the current one
/// (`data-current`), and the others as not; when `scroll` is set (the reader
/// stepped), scrolls it to the middle of the view and gives its block the
/// focus, so that a screen reader reads it and `p` shares it.
pub fn mark_current(selector: &str, index: usize, scroll: bool) {
    let Ok(list) = document().query_selector_all(selector) else {
        return;
    };
    for position in 0..list.length() {
        let Some(element) = list
            .item(position)
            .and_then(|node| node.dyn_into::<Element>().ok())
        else {
            continue;
        };
        if position as usize == index {
            let _ = element.set_attribute("data-current", "");
            if scroll {
                let options = ScrollIntoViewOptions::new();
                options.set_block(ScrollLogicalPosition::Center);
                element.scroll_into_view_with_scroll_into_view_options(&options);
                if let Some(block) = element
                    .closest(ARTICLE_BLOCK)
                    .ok()
                    .flatten()
                    .and_then(|block| block.dyn_into::<HtmlElement>().ok())
                {
                    focus_quietly(&block);
                }
            }
        } else {
            let _ = element.remove_attribute("data-current");
        }
    }
}

/// The element that has the focus, if it is an HTML element.
pub fn focused() -> Option<HtmlElement> {
    document().active_element()?.dyn_into::<HtmlElement>().ok()
}

/// The block of the article (from 0) the reader is on: the one that has the
/// focus or holds it, else the one holding the current mark (`data-current`).
pub fn active_block() -> Option<usize> {
    let block_of = |element: Element| -> Option<usize> {
        element
            .closest(ARTICLE_BLOCK)
            .ok()??
            .id()
            .strip_prefix("bloc-")?
            .parse::<usize>()
            .ok()?
            .checked_sub(1)
    };
    let focused = document().active_element().and_then(block_of);
    focused.or_else(|| {
        document()
            .query_selector("[data-testid=\"article\"] .body mark[data-current]")
            .ok()?
            .and_then(block_of)
    })
}

/// Focuses the first element matching `link` inside the element matching
/// `items` whose `data-slug` is `slug`; returns whether there was one.
pub fn focus_item_link(items: &str, slug: &str, link: &str) -> bool {
    let Ok(list) = document().query_selector_all(items) else {
        return false;
    };
    let target = (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .find(|item| item.get_attribute("data-slug").as_deref() == Some(slug))
        .and_then(|item| item.query_selector(link).ok().flatten())
        .and_then(|element| element.dyn_into::<HtmlElement>().ok());
    target.is_some_and(|element| element.focus().is_ok())
}

/// Focuses the `n`th (from 0) element of `selector`; false when there is none.
pub fn focus_nth(selector: &str, n: usize) -> bool {
    document()
        .query_selector_all(selector)
        .ok()
        .and_then(|list| list.item(n as u32))
        .and_then(|node| node.dyn_into::<HtmlElement>().ok())
        .is_some_and(|element| element.focus().is_ok())
}
