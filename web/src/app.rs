//! The root component: holds the page state (the core's reducer), follows the
//! address, listens to the search engine's worker (which opens the index once the
//! page is on screen, refusing one of another build), asks it for the texts of
//! the articles the page shows, and lays out the masthead, the notices and the
//! current view.
//!
//! Its first render is the prerendered page's own view, so that the browser
//! adopts the HTML the build wrote; only then does it read the address (which
//! may carry a query or shared passages) and load the engine.

use std::rc::Rc;

use std::sync::Arc;

use lecteur_core::page::{Action, Engine, PageState, Shortcut, View, after_typing};
use lecteur_core::prerendered::Prerendered;
use lecteur_core::protocol::{Answer, EngineError, Request, short_build};
use lecteur_core::route::Route;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use crate::EngineSource;
use crate::browser::{self, Listener};
use crate::engine::{EngineLink, unexpected};
use crate::router::{Links, Site, use_navigation};
use crate::views::{
    ArticleView, HELP_ID, Help, Home, Message, OfflineCopyPanel, Results, SearchBox,
};

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
/// The page sends this once the reader has what the address asked for: the engine open (or
/// known to be unusable) and the view rendered, with its first results on a search; `www/main.js`
/// then starts the service worker, whose first install downloads the whole site again and must
/// not compete with what the reader is waiting for.
pub(crate) const READY_EVENT: &str = "lecteur:pret";
/// Set on the root element once the program has taken the page over (tests wait for it).
const TAKEN_OVER_FLAG: &str = "lecteur";
/// Set on the root element once the engine is open (`prêt`) or known to be unusable
/// (`indisponible`).
const ENGINE_FLAG: &str = "moteur";
/// Set on the root element by the home page's first script when the address asks for a
/// search: the list the HTML shows is kept out of sight until the results replace it.
const SEARCH_PENDING_FLAG: &str = "recherche";

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The id of the build this program belongs to.
    pub build: AttrValue,
    pub site: Site,
    /// The data of the prerendered page the program takes over, if it was one.
    pub page: Option<Rc<Prerendered>>,
    /// The connection to the engine's worker; none when rendering at build time.
    pub engine: Option<EngineSource>,
    /// What the reader typed in the search box before the program took over.
    pub typed: AttrValue,
}

/// The User Timing measure of the opening of the index, from the program's start to the
/// engine's answer (the worker was started, and asked to open it, before).
const OPEN_MEASURE: &str = "lecteur:ouverture";

#[component]
pub fn App(props: &AppProps) -> Html {
    let page = use_reducer(|| {
        let route = match &props.page {
            Some(page) => Ok(page.route()),
            None => props.site.current(),
        };
        Page(PageState::new(route, props.page.as_deref()))
    });
    let search_box = use_node_ref();
    let help_heading = use_node_ref();
    // The engine's worker, once the program listens to it.
    let link = use_state(|| None::<EngineLink>);
    // As the page was rendered; the browser's own state comes once the page is taken over.
    let online = use_state(|| true);
    let update_ready = use_state(|| false);
    // Whether the reader is still on the view the page opened with (no link followed yet).
    let arrived = use_state(|| true);

    // The page state as of the last render, for the link listener to decide with.
    let latest = use_mut_ref(|| page.clone());
    *latest.borrow_mut() = page.clone();

    let on_type = {
        let page = page.clone();
        let site = props.site.clone();
        let arrived = arrived.clone();
        Callback::from(move |text: String| {
            let (route, entry) = after_typing(&page.0.route, &text);
            site.navigate(&route, entry);
            arrived.set(false);
            page.dispatch(Action::Navigated(Ok(route)));
        })
    };

    {
        // Taking over: the address, what was typed meanwhile, the selection; then the engine.
        let page = page.dispatcher();
        let site = props.site.clone();
        let prerendered = props.page.is_some();
        let typed = props.typed.clone();
        let on_type = on_type.clone();
        let source = props.engine.clone();
        let link = link.clone();
        use_effect_with((), move |_| {
            browser::restore_selection();
            // Hydrating was this task's work: what the address adds (a query, shared
            // passages) renders in the next one, so that neither holds the page for long.
            browser::in_next_task(move || {
                take_over(page, site, prerendered, typed, on_type, source, link)
            });
        });
    }

    {
        let online = online.clone();
        let update_ready = update_ready.clone();
        use_effect_with((), move |_| {
            let window = browser::window();
            online.set(browser::online());
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
            // The event may have gone out before this listener.
            if browser::root_flag("nouvelle-version") {
                update_ready.set(true);
            }
            move || drop((went_online, went_offline, new_version))
        });
    }

    // Effects run once the view is in the document: the reader has what the link asked for.
    let engine_state = match page.0.engine {
        Engine::Loading => None,
        Engine::Ready => Some("prêt"),
        Engine::Failed(_) => Some("indisponible"),
    };
    // A search waits for its first answer (the results view announces it).
    let searching = matches!(page.0.view(), View::Results { .. });
    use_effect_with((engine_state, searching), |&(state, searching)| {
        if state.is_some() {
            browser::set_root_flag(ENGINE_FLAG, state);
            if !searching {
                browser::announce(READY_EVENT);
            }
        }
    });

    {
        let navigated = {
            let page = page.dispatcher();
            let arrived = arrived.clone();
            Callback::from(move |route| {
                arrived.set(false);
                page.dispatch(Action::Navigated(route));
            })
        };
        let latest = latest.clone();
        let can_follow: Rc<dyn Fn(&Route) -> bool> =
            Rc::new(move |route: &Route| latest.borrow().0.can_show(route));
        use_navigation(&props.site, can_follow, navigated);
    }

    {
        let page = page.dispatcher();
        let search_box = search_box.clone();
        use_effect_with((), move |_| {
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
            move || drop(on_key)
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

    {
        // An article the engine lists but whose text the page does not have: ask for it.
        let wanted = page.0.wanted_article().map(str::to_string);
        let page = page.dispatcher();
        let link = (*link).clone();
        use_effect_with(wanted, move |wanted| {
            if let (Some(slug), Some(link)) = (wanted.clone(), link) {
                link.ask(Request::Article { slug }, move |_, outcome, _| {
                    page.dispatch(match outcome {
                        Ok(Answer::Article(article)) => Action::ArticleArrived(Arc::new(article)),
                        Ok(other) => Action::Stopped(unexpected(&other).message),
                        Err(error) => Action::Stopped(error.message),
                    })
                });
            }
        });
    }

    {
        // The list, when the opening left it out (a search link's) and the page now shows the
        // list or an article.
        let wanted = page.0.wanted_list();
        let page = page.dispatcher();
        let link = (*link).clone();
        use_effect_with(wanted, move |&wanted| {
            if let (true, Some(link)) = (wanted, link) {
                link.ask(Request::List, move |_, outcome, _| {
                    page.dispatch(match outcome {
                        Ok(Answer::Opened(listing)) => Action::Loaded(Ok(listing)),
                        Ok(other) => Action::Stopped(unexpected(&other).message),
                        Err(error) => Action::Stopped(error.message),
                    })
                });
            }
        });
    }

    {
        // The excerpts of the cards the list shows, when the engine listed them without (an
        // archive's); without them (offline, say), the cards show their titles alone.
        let wanted = page.0.wanted_excerpts();
        let page = page.dispatcher();
        let link = (*link).clone();
        use_effect_with(wanted, move |wanted| {
            if let (Some(range), Some(link)) = (wanted.clone(), link) {
                let request = Request::Excerpts {
                    from: range.start,
                    to: range.end,
                };
                link.ask(request, move |_, outcome, _| {
                    page.dispatch(match outcome {
                        Ok(Answer::Excerpts { excerpts, .. }) => Action::ExcerptsArrived {
                            from: range.start,
                            excerpts,
                        },
                        _ => Action::ExcerptsMissing {
                            from: range.start,
                            to: range.end,
                        },
                    });
                });
            }
        });
    }

    let state = &page.0;
    let view = state.view();
    {
        let title = view.title();
        use_effect_with(title, |title| browser::set_title(title));
    }
    // The views ask the engine only once it is open.
    let engine = (*link).clone().filter(|_| state.engine_ready());
    let return_to = state.return_to.clone().map(AttrValue::from);
    let toggle_help = {
        let page = page.dispatcher();
        Callback::from(move |_: MouseEvent| page.dispatch(Action::ToggleHelp))
    };
    let show_more = {
        let page = page.dispatcher();
        Callback::from(move |()| page.dispatch(Action::ShowMore))
    };
    let close_help = {
        let page = page.dispatcher();
        Callback::from(move |()| page.dispatch(Action::CloseHelp))
    };
    // Links are written relative to the page the document is at: the route's, or, for a
    // link that leads nowhere, the page the document was opened as.
    let here = match (&state.route, &props.page) {
        (Ok(route), _) => route.clone(),
        (Err(_), Some(page)) => page.route(),
        (Err(_), None) => Route::Home,
    };
    let links = Links::new(props.site.addressing, here);
    let home = links.href(&Route::Home);
    let unavailable = state.search_unavailable();
    let body = match view {
        View::LoadFailed(message) => html! {
            <Message title="Chargement impossible" message={message} home_link={false} />
        },
        View::BadLink(message) => html! {
            <Message title="Lien introuvable" message={message} home_link={true} />
        },
        View::Home {
            cards,
            excerpts,
            excerpts_missing,
            total,
            shown,
        } => html! {
            <Home cards={cards} excerpts={excerpts} excerpts_missing={excerpts_missing}
                total={total} shown={shown} on_more={show_more}
                return_to={return_to} arrived={*arrived} />
        },
        View::Results {
            query,
            filters,
            shown,
        } => html! {
            <Results
                engine={engine.clone()}
                unavailable={unavailable.clone().map(AttrValue::from)}
                query={AttrValue::from(query.to_string())}
                filters={filters.clone()}
                shown={shown}
                on_more={show_more}
                return_to={return_to}
            />
        },
        View::Article {
            article,
            others,
            query,
            filters,
            passage,
            shared,
        } => html! {
            <ArticleView
                engine={engine.clone()}
                article={article}
                others={others}
                query={query.map(|query| AttrValue::from(query.to_string()))}
                filters={filters.clone()}
                passage={passage}
                shared={shared.clone()}
                site={props.site.clone()}
                arrived={*arrived}
            />
        },
        View::Loading => html! {
            <>
                <h1 class="visually-hidden">{ "Lecteur" }</h1>
                <p class="status" role="status" data-testid="loading">{ "Chargement des articles…" }</p>
            </>
        },
    };
    let failure_notice =
        unavailable.filter(|_| !matches!(state.view(), View::LoadFailed(_) | View::Results { .. }));

    html! {
        <ContextProvider<Links> context={links}>
            <a class="skip-link" href="#contenu" onclick={Callback::from(skip_to_content)}>
                { "Aller au contenu" }
            </a>
            <header class="masthead" role="banner">
                <a class="brand" href={home.clone()}>{ "Lecteur" }</a>
                <SearchBox
                    value={AttrValue::from(state.search_text().to_string())}
                    action={home}
                    on_type={on_type}
                    input_ref={search_box}
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
            if let Some(message) = failure_notice {
                <p class="notice failure" role="alert" data-testid="error">{ message }</p>
            }
            <main id="contenu" tabindex="-1">{ body }</main>
            <footer class="colophon">
                <OfflineCopyPanel />
                <small data-testid="version" data-build={props.build.clone()}>
                    { format!("Version {}", short_build(&props.build)) }
                </small>
            </footer>
        </ContextProvider<Links>>
    }
}

/// The program's part of taking the page over, once the HTML is adopted: the address it was
/// opened at (which may carry a query or shared passages), what was typed before it ran, the
/// flags the tests and styles read, and the engine's replies.
fn take_over(
    page: UseReducerDispatcher<Page>,
    site: Site,
    prerendered: bool,
    typed: AttrValue,
    on_type: Callback<String>,
    source: Option<EngineSource>,
    link: UseStateHandle<Option<EngineLink>>,
) {
    if prerendered {
        page.dispatch(Action::Opened(site.current()));
    }
    if !typed.is_empty() {
        on_type.emit(typed.to_string());
    }
    browser::set_root_flag(TAKEN_OVER_FLAG, Some("actif"));
    browser::set_root_flag(SEARCH_PENDING_FLAG, None);
    if let Some(EngineSource(connection)) = source {
        let timer = browser::Timer::start(OPEN_MEASURE, 0);
        let opened = {
            let page = page.clone();
            move |outcome: Result<Answer, EngineError>| {
                timer.stop();
                page.dispatch(Action::Loaded(match outcome {
                    Ok(Answer::Opened(listing)) => Ok(listing),
                    Ok(other) => Err(unexpected(&other).message),
                    Err(error) => Err(error.message),
                }));
            }
        };
        let stopped = {
            let page = page.clone();
            move |reason| page.dispatch(Action::Stopped(reason))
        };
        link.set(Some(EngineLink::connect(connection, opened, stopped)));
    }
}

/// The skip link must not change the address, which is the router's.
fn skip_to_content(event: MouseEvent) {
    event.prevent_default();
    if let Some(main) = browser::document()
        .get_element_by_id("contenu")
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}
