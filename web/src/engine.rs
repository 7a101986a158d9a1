//! The page's end of the engine: questions posted to the Web Worker that runs it, replies
//! routed back to whoever asked, and a hook that shows only the answer to the latest
//! question ([`use_answer`]).
//!
//! `www/main.js` starts the worker (after the first paint) and hands the page a connection:
//! `ask(question)`, `cancel(id)`, `listen(onReply, onStop)`. It has already asked the worker
//! to open the index (question [`OPEN_ID`]), keeps replies until the page listens, restarts a
//! worker that dies once (asking again what was pending) and reports, through `onStop`, one
//! that dies twice. The messages are the core's [`protocol`](lecteur_core::protocol) types.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use lecteur_core::protocol::{
    Answer, EngineError, Latest, OPEN_ID, Question, QuestionId, Reply, Request, code,
};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::browser;

#[wasm_bindgen]
extern "C" {
    /// The connection `www/main.js` made to the engine's worker.
    #[derive(Clone)]
    pub type Connection;
    #[wasm_bindgen(method)]
    fn ask(this: &Connection, question: JsValue);
    #[wasm_bindgen(method)]
    fn cancel(this: &Connection, id: QuestionId);
    #[wasm_bindgen(method)]
    fn listen(
        this: &Connection,
        on_reply: &Closure<dyn FnMut(JsValue)>,
        on_stop: &Closure<dyn FnMut(String)>,
    );
}

/// What to do with a reply: its question, its outcome, and whether another reply completes
/// it ([`Reply::more`](lecteur_core::protocol::Reply::more)).
type Then = Box<dyn FnMut(QuestionId, Result<Answer, EngineError>, bool)>;
/// The connection's callbacks: a reply, and the engine's stop.
type Listeners = (Closure<dyn FnMut(JsValue)>, Closure<dyn FnMut(String)>);

/// The engine, as the page asks it; clones share one connection.
#[derive(Clone)]
pub struct EngineLink(Rc<Link>);

struct Link {
    connection: Connection,
    next: Cell<QuestionId>,
    waiting: RefCell<HashMap<QuestionId, Then>>,
    /// The listeners the connection calls; they live as long as the page.
    listeners: RefCell<Option<Listeners>>,
}

impl PartialEq for EngineLink {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The User Timing measure of each question, from asking to its first reply (the worker's
/// search and the messages both ways; an archive's hits as ranked, their passages coming
/// after): what the reader waits for.
fn measure_of(request: &Request) -> &'static str {
    match request {
        Request::Search { .. } => "lecteur:recherche",
        Request::Marks { .. } => "lecteur:marques",
        Request::Article { .. } => "lecteur:article",
        Request::Excerpts { .. } => "lecteur:extraits",
        Request::List => "lecteur:liste",
    }
}

impl EngineLink {
    /// Listens to `connection`: `opened` gets the reply to the index's opening, `stopped` the
    /// reason the engine will answer no more (questions still waiting are dropped).
    pub fn connect(
        connection: Connection,
        opened: impl FnOnce(Result<Answer, EngineError>) + 'static,
        stopped: impl Fn(String) + 'static,
    ) -> EngineLink {
        let link = Rc::new(Link {
            connection,
            next: Cell::new(OPEN_ID + 1),
            waiting: RefCell::new(HashMap::new()),
            listeners: RefCell::new(None),
        });
        link.waiting.borrow_mut().insert(OPEN_ID, {
            let mut opened = Some(opened);
            Box::new(move |_, outcome, _| {
                if let Some(opened) = opened.take() {
                    opened(outcome)
                }
            })
        });
        let weak = Rc::downgrade(&link);
        let on_reply = Closure::new(move |reply: JsValue| {
            let Some(link) = weak.upgrade() else { return };
            let reply: Reply = match serde_wasm_bindgen::from_value(reply) {
                Ok(reply) => reply,
                Err(error) => {
                    // A reply the page cannot read would leave a question waiting forever.
                    browser::report_stop(&format!("réponse illisible du moteur : {error}"));
                    return;
                }
            };
            // Taken out while it runs (it may ask again), and put back if more is coming.
            let (id, more) = (reply.id, reply.more);
            let then = link.waiting.borrow_mut().remove(&id);
            if let Some(mut then) = then {
                then(id, reply.outcome(), more);
                if more {
                    link.waiting.borrow_mut().insert(id, then);
                }
            }
        });
        let weak = Rc::downgrade(&link);
        let on_stop = Closure::new(move |reason: String| {
            if let Some(link) = weak.upgrade() {
                link.waiting.borrow_mut().clear();
            }
            stopped(reason);
        });
        link.connection.listen(&on_reply, &on_stop);
        *link.listeners.borrow_mut() = Some((on_reply, on_stop));
        EngineLink(link)
    }

    /// Asks `request`; `then` gets the reply (an early one too, saying `more`), unless the
    /// question is cancelled first.
    pub fn ask(
        &self,
        request: Request,
        mut then: impl FnMut(QuestionId, Result<Answer, EngineError>, bool) + 'static,
    ) -> QuestionId {
        let id = self.0.next.get();
        self.0.next.set(id + 1);
        let measure = measure_of(&request);
        let timer = browser::Timer::start(measure, id);
        let question = Question { id, request };
        let value = match question.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) {
            Ok(value) => value,
            Err(error) => {
                let error = EngineError::new(code::BAD_REQUEST, error.to_string());
                then(id, Err(error), false);
                return id;
            }
        };
        // What the reader waits for: the first reply.
        let mut timer = Some(timer);
        self.0.waiting.borrow_mut().insert(
            id,
            Box::new(move |id, outcome, more| {
                if let Some(timer) = timer.take() {
                    timer.stop();
                }
                then(id, outcome, more)
            }),
        );
        self.0.connection.ask(value);
        id
    }

    /// Tells the worker the answer to `id` is no longer wanted; it skips the question if it
    /// has not started it, and whatever reply still comes is dropped.
    pub fn cancel(&self, id: QuestionId) {
        if self.0.waiting.borrow_mut().remove(&id).is_some() {
            self.0.connection.cancel(id);
        }
    }
}

/// An answer with the request it answers.
pub struct Answered {
    pub request: Request,
    pub outcome: Result<Answer, EngineError>,
    /// An early answer: the worker is still fetching what completes it (the texts of an
    /// archive's hits, whose passages then fill in).
    pub more: bool,
}

/// Asks `request` of the engine whenever it changes, and returns the answer to the latest
/// request asked: the answer to a request already replaced is dropped, and the worker is told
/// to skip it. Until the first answer comes, `None`; while a new one is on its way, the last
/// answer stays (the caller compares its request), so results do not flicker as one types;
/// an early answer replaces it ([`Latest`]).
#[hook]
pub fn use_answer(engine: Option<EngineLink>, request: Option<Request>) -> Option<Rc<Answered>> {
    let answer = use_state(|| None::<Rc<Answered>>);
    let latest = use_mut_ref(Latest::default);
    {
        let answer = answer.setter();
        use_effect_with((engine, request), move |(engine, request)| {
            let asked = engine
                .clone()
                .zip(request.clone())
                .map(|(engine, request)| {
                    let latest_now = latest.clone();
                    let asked = request.clone();
                    let id = engine.ask(request, move |id, outcome, more| {
                        if latest_now.borrow_mut().take(id, more) {
                            answer.set(Some(Rc::new(Answered {
                                request: asked.clone(),
                                outcome,
                                more,
                            })));
                        }
                    });
                    if let Some(replaced) = latest.borrow_mut().ask(id) {
                        engine.cancel(replaced);
                    }
                    engine
                });
            move || {
                if let (Some(engine), Some(id)) = (asked, latest.borrow_mut().forget()) {
                    engine.cancel(id);
                }
            }
        });
    }
    (*answer).clone()
}

/// The outcome of a reply that is not an answer of the kind asked: the engine and the page
/// disagree, which only a broken build does.
pub fn unexpected(answer: &Answer) -> EngineError {
    let kind = match answer {
        Answer::Opened(_) => "opened",
        Answer::Found(_) => "found",
        Answer::Marked(_) => "marked",
        Answer::Article(_) => "article",
        Answer::Excerpts { .. } => "excerpts",
    };
    EngineError::new(
        code::BAD_REQUEST,
        format!("le moteur a répondu « {kind} » à une autre question"),
    )
}
