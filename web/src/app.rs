//! The root component: holds the page state (the core's reducer), loads the
//! index once (checking it belongs to the same build as this program), follows
//! the URL, and lays out the masthead, the network and update notices, and the
//! current view.

use std::rc::Rc;

use lecteur::Library;
use lecteur::page::{Action, PageState, Shortcut, View, after_typing};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::IndexSource;
use crate::browser::{self, Listener};
use crate::views::{ArticleView, HELP_ID, Help, Home, Message, Results, SearchBox, Shared};

/// The core's page state, made a Yew reducer.
struct Page(PageState);

impl Reducible for Page {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Page(self.0.clone().reduce(action)))
    }
}

/// `www/main.js` sends this on the window (and sets `data-nouvelle-version` on
/// the root element) once a new version is installed and waiting.
const UPDATE_READY_EVENT: &str = "lecteur:nouvelle-version";
/// The page sends this when the reader asks for the new version; `www/main.js`
/// activates it and reloads.
const UPDATE_ACCEPTED_EVENT: &str = "lecteur:recharger";
/// The page sends this once the index is open (or known to be unusable) and the view
/// rendered; `www/main.js` then starts the service worker, whose first install downloads the
/// whole site again and must not compete with what the reader is waiting for.
const READY_EVENT: &str = "lecteur:pret";

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The id of the build this program belongs to.
    pub build: AttrValue,
    pub index: IndexSource,
}

/// The User Timing measure the opening of the index records.
const OPEN_MEASURE: &str = "lecteur:ouverture";

/// Opens the index if it was built with this program; says so in French if not.
fn open_library(bytes: Vec<u8>, build: &str) -> Result<Rc<Library>, String> {
    let index_build = lecteur::bundle::build_id(&bytes).map_err(|error| error.to_string())?;
    if index_build != build {
        return Err(format!(
            "l’index (version « {} ») et le programme du lecteur (version « {} ») \
             ne viennent pas de la même publication du site",
            short(&index_build),
            short(build)
        ));
    }
    Library::open(bytes)
        .map(Rc::new)
        .map_err(|error| error.to_string())
}

/// The first characters of a build id, enough to tell builds apart.
fn short(build: &str) -> &str {
    let end = build
        .char_indices()
        .nth(12)
        .map_or(build.len(), |(at, _)| at);
    if build.is_empty() {
        "inconnue"
    } else {
        &build[..end]
    }
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let page = use_reducer(|| Page(PageState::new(&browser::hash())));
    let search_box = use_node_ref();
    let help_heading = use_node_ref();
    let online = use_state(browser::online);
    let update_ready = use_state(|| browser::root_flag("nouvelle-version"));

    {
        let page = page.dispatcher();
        let build = props.build.clone();
        let index = props.index.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                let bytes = match index {
                    IndexSource::Download { url, response } => {
                        browser::receive_index(&url, response).await
                    }
                    IndexSource::Embedded(bytes) => Ok(Rc::unwrap_or_clone(bytes)),
                };
                let opened = bytes.and_then(|bytes| {
                    browser::measured(OPEN_MEASURE, || open_library(bytes, &build))
                });
                page.dispatch(Action::Loaded(opened));
            });
        });
    }

    {
        let online = online.clone();
        let update_ready = update_ready.clone();
        use_effect_with((), move |_| {
            let window = browser::window();
            let went_online = {
                let online = online.clone();
                Listener::new(&window, "online", move |_| online.set(true))
            };
            let went_offline = Listener::new(&window, "offline", move |_| online.set(false));
            let new_version = {
                let update_ready = update_ready.clone();
                Listener::new(&window, UPDATE_READY_EVENT, move |_| {
                    update_ready.set(true);
                })
            };
            // The event may have gone out between the first render and this listener.
            if browser::root_flag("nouvelle-version") {
                update_ready.set(true);
            }
            move || drop((went_online, went_offline, new_version))
        });
    }

    // Effects run once the view is in the document: the reader has what the link asked for.
    let loading = matches!(page.0.view(), View::Loading);
    use_effect_with(loading, |&loading| {
        if !loading {
            browser::announce(READY_EVENT);
        }
    });

    {
        let page = page.dispatcher();
        let search_box = search_box.clone();
        use_effect_with((), move |_| {
            let window = browser::window();
            let on_hash = {
                let page = page.clone();
                Listener::new(&window, "hashchange", move |_| {
                    page.dispatch(Action::Navigated(browser::hash()));
                })
            };
            let on_key = Listener::new(&browser::document(), "keydown", move |event| {
                let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                let modified = event.ctrl_key() || event.meta_key() || event.alt_key();
                match Shortcut::of_key(&event.key(), browser::is_typing(event), modified) {
                    Some(Shortcut::FocusSearch) => {
                        if let Some(input) = search_box.cast::<HtmlInputElement>() {
                            event.prevent_default();
                            let _ = input.focus();
                            input.select();
                        }
                    }
                    Some(Shortcut::ToggleHelp) => {
                        event.prevent_default();
                        page.dispatch(Action::ToggleHelp);
                    }
                    Some(Shortcut::CloseHelp) => page.dispatch(Action::CloseHelp),
                    _ => {}
                }
            });
            move || drop((on_hash, on_key))
        });
    }

    {
        // The help takes the focus when it opens, and gives it back when it closes.
        let heading = help_heading.clone();
        let before = use_mut_ref(|| None::<web_sys::HtmlElement>);
        use_effect_with(page.0.help_open, move |&open| {
            if open {
                *before.borrow_mut() = browser::focused();
                if let Some(heading) = heading.cast::<web_sys::HtmlElement>() {
                    let _ = heading.focus();
                }
            } else if let Some(element) = before.borrow_mut().take()
                && element.is_connected()
            {
                let _ = element.focus();
            }
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
    let return_to = state.return_to.clone().map(AttrValue::from);
    let toggle_help = {
        let page = page.dispatcher();
        Callback::from(move |_: MouseEvent| page.dispatch(Action::ToggleHelp))
    };
    let close_help = {
        let page = page.dispatcher();
        Callback::from(move |()| page.dispatch(Action::CloseHelp))
    };
    // Failures first: a failed load has no library either, and must not read as loading.
    let body = match (state.view(), library) {
        (View::LoadFailed(message), _) => html! {
            <Message title="Chargement impossible" message={message} home_link={false} />
        },
        (View::BadLink(message), _) => html! {
            <Message title="Lien introuvable" message={message} home_link={true} />
        },
        (View::Home, Some(library)) => html! { <Home library={library} return_to={return_to} /> },
        (View::Results { query }, Some(library)) => html! {
            <Results library={library} query={AttrValue::from(query.to_string())} return_to={return_to} />
        },
        (View::Article { article, query }, Some(library)) => html! {
            <ArticleView
                library={library}
                slug={AttrValue::from(article.slug.clone())}
                query={query.map(|query| AttrValue::from(query.to_string()))}
            />
        },
        (View::Loading, _) | (_, None) => html! {
            <>
                <h1 class="visually-hidden">{ "Lecteur" }</h1>
                <p class="status" role="status" data-testid="loading">{ "Chargement des articles…" }</p>
            </>
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
                <button type="button" class="help-button" data-testid="help-button"
                    aria-label="Raccourcis clavier (?)" aria-keyshortcuts="?"
                    aria-expanded={if state.help_open { "true" } else { "false" }}
                    aria-controls={HELP_ID} onclick={toggle_help}>
                    { "?" }
                </button>
            </header>
            <Help open={state.help_open} heading={help_heading} on_close={close_help} />
            if *update_ready {
                <div class="notice update" role="alert" data-testid="update">
                    { "Nouvelle version disponible — " }
                    <button type="button" onclick={Callback::from(|_| browser::announce(UPDATE_ACCEPTED_EVENT))}>
                        { "recharger" }
                    </button>
                </div>
            }
            if !*online {
                <p class="notice offline" role="status" data-testid="offline">
                    { "Hors ligne — tout continue de fonctionner : recherche, articles et liens partagés sont enregistrés sur cet appareil." }
                </p>
            }
            <main id="contenu" tabindex="-1">{ body }</main>
            <footer class="colophon">
                <small data-testid="version" data-build={props.build.clone()}>
                    { format!("Version {}", short(&props.build)) }
                </small>
            </footer>
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
