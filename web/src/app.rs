//! The root component: holds the page state (the core's reducer), loads the
//! index once, follows the URL, and lays out the masthead and the current view.

use std::rc::Rc;

use lecteur::Library;
use lecteur::page::{Action, PageState, View, after_typing};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::browser::{self, Listener};
use crate::views::{ArticleView, Home, Message, Results, SearchBox, Shared};

/// The core's page state, made a Yew reducer.
struct Page(PageState);

impl Reducible for Page {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Page(self.0.clone().reduce(action)))
    }
}

#[component]
pub fn App() -> Html {
    let page = use_reducer(|| Page(PageState::new(&browser::hash())));
    let search_box = use_node_ref();

    {
        let page = page.dispatcher();
        use_effect_with((), move |_| {
            spawn_local(async move {
                let opened = browser::fetch_bytes(crate::INDEX_URL)
                    .await
                    .and_then(|bytes| {
                        Library::open(bytes)
                            .map(Rc::new)
                            .map_err(|error| error.to_string())
                    });
                page.dispatch(Action::Loaded(opened));
            });
        });
    }

    {
        let page = page.dispatcher();
        let search_box = search_box.clone();
        use_effect_with((), move |_| {
            let window = browser::window();
            let on_hash = Listener::new(&window, "hashchange", move |_| {
                page.dispatch(Action::Navigated(browser::hash()));
            });
            let on_key = Listener::new(&browser::document(), "keydown", move |event| {
                let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                if event.key() == "/"
                    && !browser::is_typing(event)
                    && let Some(input) = search_box.cast::<HtmlInputElement>()
                {
                    event.prevent_default();
                    let _ = input.focus();
                    input.select();
                }
            });
            move || drop((on_hash, on_key))
        });
    }

    let on_type = {
        let page = page.clone();
        Callback::from(move |text: String| {
            let (route, entry) = after_typing(&page.0.route, &text);
            browser::navigate(&route, entry);
            page.dispatch(Action::Navigated(route.to_hash()));
        })
    };

    let state = &page.0;
    let library = state.library().cloned().map(Shared);
    // Failures first: a failed load has no library either, and must not read as loading.
    let body = match (state.view(), library) {
        (View::LoadFailed(message), _) => html! {
            <Message title="Chargement impossible" message={message} home_link={false} />
        },
        (View::BadLink(message), _) => html! {
            <Message title="Lien introuvable" message={message} home_link={true} />
        },
        (View::Home, Some(library)) => html! { <Home library={library} /> },
        (View::Results { query }, Some(library)) => html! {
            <Results library={library} query={AttrValue::from(query.to_string())} />
        },
        (View::Article { article, query }, Some(library)) => html! {
            <ArticleView
                library={library}
                slug={AttrValue::from(article.slug.clone())}
                query={query.map(|query| AttrValue::from(query.to_string()))}
            />
        },
        (View::Loading, _) | (_, None) => html! {
            <p class="status" role="status" data-testid="loading">{ "Chargement des articles…" }</p>
        },
    };

    html! {
        <>
            <a class="skip-link" href="#contenu" onclick={Callback::from(skip_to_content)}>
                { "Aller au contenu" }
            </a>
            <header class="masthead" role="banner">
                <a class="brand" href="#/">{ "Lecteur" }</a>
                <SearchBox
                    value={AttrValue::from(state.search_text().to_string())}
                    on_type={on_type}
                    input_ref={search_box}
                    ready={state.library().is_some()}
                />
            </header>
            <main id="contenu" tabindex="-1">{ body }</main>
        </>
    }
}

/// The skip link must not change the hash, which is the router's.
fn skip_to_content(event: MouseEvent) {
    event.prevent_default();
    if let Some(main) = browser::document()
        .get_element_by_id("contenu")
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}
