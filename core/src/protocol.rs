//! The messages between the page and its engine.
//!
//! The engine (tantivy, the index, the search) runs in a Web Worker with its own
//! WebAssembly, so that opening the index and answering a query never hold the
//! page's main thread. The page asks [`Question`]s, each with a number; the
//! engine replies with a [`Reply`] carrying that number and an [`Answer`] or an
//! [`EngineError`]. These types cross the worker boundary as plain JavaScript
//! objects (serde-wasm-bindgen on both sides), the same shapes the engine's
//! JavaScript API returns.
//!
//! The page shows only the answer to its latest question of a kind ([`Latest`]):
//! while the reader types, an answer to a query already replaced is dropped, and
//! the page tells the worker to skip a question it no longer needs.
//!
//! A search of an archive may be answered twice ([`Reply::more`]): first its hits as soon
//! as they are ranked, while the worker fetches their texts, then the same with their
//! passages. The early one replaces results on screen; it never opens a view.

use serde::{Deserialize, Serialize};

use crate::article::Article;
use crate::found::{ArticleMarks, Filters, RESULTS_PAGE, SearchResults};
use crate::prerendered::Card;

/// The number of a question, unique for the page's lifetime.
pub type QuestionId = u32;

/// The number `www/main.js` gives the request that opens the index, which it sends as soon
/// as the worker starts, before the page's program runs; the page's own questions come after.
pub const OPEN_ID: QuestionId = 0;

/// What the page asks the engine. Externally tagged (`{ "search": { "query": … } }`), as
/// every enum of these messages: an internally tagged one would bring serde's buffering
/// decoder into the page's wasm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Request {
    /// The articles matching a query under the filters, in their order: the first `limit`
    /// (at most [`crate::found::MAX_LIMIT`]), with the count of all and the facets.
    Search {
        query: String,
        #[serde(default)]
        filters: Filters,
        #[serde(default = "first_page")]
        limit: usize,
    },
    /// The query's words marked in one article.
    Marks { slug: String, query: String },
    /// One article's full text.
    Article { slug: String },
    /// The list's excerpts of the articles from `from` to `to` (excluded), in the folder's
    /// order: an archive's list comes without them ([`Listing::excerpts_apart`]). At most
    /// [`MAX_EXCERPTS`] at once.
    Excerpts { from: usize, to: usize },
    /// The list of the articles ([`Answer::Opened`]), when the opening left it out
    /// ([`Listing::without_cards`]).
    List,
}

/// The most excerpts one [`Request::Excerpts`] asks for: a few pages of the list.
pub const MAX_EXCERPTS: usize = 300;

fn first_page() -> usize {
    RESULTS_PAGE
}

impl Request {
    /// A search for the first page of results, in order of relevance.
    pub fn search(query: impl Into<String>) -> Request {
        Request::Search {
            query: query.into(),
            filters: Filters::default(),
            limit: RESULTS_PAGE,
        }
    }
}

/// A request with its number, as the page posts it to the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: QuestionId,
    pub request: Request,
}

/// What the engine answers (`{ "found": { "hits": … } }`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    /// The index is open: the list of its articles (the answer to [`Request::List`] too).
    Opened(Listing),
    Found(SearchResults),
    Marked(ArticleMarks),
    Article(Article),
    /// The excerpts asked for ([`Request::Excerpts`]), from the article `from` on.
    Excerpts {
        from: usize,
        excerpts: Vec<String>,
    },
}

/// The articles of an index, in the folder's order, as the list shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    pub cards: Vec<Card>,
    /// An archive's list comes without its excerpts (each card's is empty), which weigh
    /// most of it: the page asks for those of the cards it shows ([`Request::Excerpts`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub excerpts_apart: bool,
    /// The opening left the cards out (`cards` is empty): a page starts with what its HTML
    /// brought (a search link needs none), and 10,000 cards take the worker and the page
    /// about 100 ms to pass. The page asks for them ([`Request::List`]) when it shows more of
    /// the list than its HTML had, or an article it has no text of.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub without_cards: bool,
}

/// Why the engine could not answer: a stable `code` for programs, a French `message` for
/// the reader (it completes « La recherche est indisponible : … » and similar sentences).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct EngineError {
    pub code: String,
    pub message: String,
    /// With [`code::NO_TEXT`]: the articles whose texts the engine needs to answer; with
    /// [`code::NO_PARTS`]: the parts of the index it needs (paths beside the index).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

impl EngineError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        EngineError {
            code: code.to_string(),
            message: message.into(),
            missing: Vec::new(),
        }
    }

    /// The engine holds the article `slug` without its text (an archive's index), and needs it.
    pub fn no_text(slug: &str) -> Self {
        EngineError {
            missing: vec![slug.to_string()],
            ..EngineError::new(
                code::NO_TEXT,
                format!(
                    "le texte de l’article « {slug} » n’est pas sur cet appareil et n’a pas pu être téléchargé (réseau indisponible ?)"
                ),
            )
        }
    }
}

/// The engine's stable error codes.
pub mod code {
    /// The index could not be downloaded or opened.
    pub const OPEN: &str = "ouverture";
    /// The index belongs to another build than the page.
    pub const OTHER_BUILD: &str = "autre-version";
    /// The query is over its budget (too long, too many words).
    pub const QUERY: &str = "requete";
    /// The index contradicts itself while searching.
    pub const INDEX: &str = "index";
    /// No article has that slug.
    pub const UNKNOWN_ARTICLE: &str = "article-inconnu";
    /// The index holds the article without its text (an archive), and the text was not given:
    /// the error's `missing` names the articles (`lecteur::bundle::text_path`).
    pub const NO_TEXT: &str = "texte-absent";
    /// The index is read by parts (an archive's), and the engine needs these to answer: the
    /// error's `missing` names them (`i/N.bin`, [`part_path`]; for the list's excerpts,
    /// `l/N.json`, [`excerpts_path`]; for the list's titles, [`TITLES_PATH`]; beside the
    /// index); give them and ask again.
    pub const NO_PARTS: &str = "index-partiel";
    /// A part of the index that is not this index's (damaged, or of another build).
    pub const BAD_PART: &str = "partie-illisible";
    /// An article's text that is not one of this index's (damaged, or of another build).
    pub const BAD_TEXT: &str = "texte-illisible";
    /// A shared passage that cannot be made (an empty selection) or read (a damaged `s=`).
    pub const PASSAGE: &str = "passage";
    /// The message is not a question the engine knows.
    pub const BAD_REQUEST: &str = "requete-illisible";
    /// The engine stopped (a trap, a worker that died twice) and will not answer.
    pub const STOPPED: &str = "arret";
}

/// Where the part `number` of an index read by parts is, relative to the index's folder
/// (an archive's: see `lecteur::parts`); [`code::NO_PARTS`] names parts so.
pub fn part_path(number: u32) -> String {
    format!("i/{number}.bin")
}

/// The number of the part at `path` ([`part_path`]), if it is one.
pub fn part_number(path: &str) -> Option<u32> {
    numbered(path, "i/", ".bin")
}

/// Where the file `number` of an archive's list's excerpts is, relative to the index's folder
/// (see `lecteur::bundle::ExcerptsFile`); [`code::NO_PARTS`] names these files so.
pub fn excerpts_path(number: u32) -> String {
    format!("l/{number}.json")
}

/// The number of the file of excerpts at `path` ([`excerpts_path`]), if it is one.
pub fn excerpts_number(path: &str) -> Option<u32> {
    numbered(path, "l/", ".json")
}

/// `PREFIX` `N` `SUFFIX`, `N` a number in decimal digits.
fn numbered(path: &str, prefix: &str, suffix: &str) -> Option<u32> {
    let digits = path.strip_prefix(prefix)?.strip_suffix(suffix)?;
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Where an archive's articles' titles are, relative to the index's folder (see
/// `lecteur::bundle::TitlesFile`): apart from the index's header, which a cold link waits
/// for; [`code::NO_PARTS`] names this file so.
pub const TITLES_PATH: &str = "titres.json";

/// Whether the engine may name `path` among the files it needs ([`code::NO_PARTS`]): a part
/// of the index, a file of the list's excerpts or the titles, which a site keeps by name.
pub fn is_fetched_piece(path: &str) -> bool {
    part_number(path).is_some() || excerpts_number(path).is_some() || path == TITLES_PATH
}

/// The first characters of a build id, enough to tell builds apart.
pub fn short_build(build: &str) -> &str {
    if build.is_empty() {
        return "inconnue";
    }
    let end = build
        .char_indices()
        .nth(12)
        .map_or(build.len(), |(at, _)| at);
    &build[..end]
}

/// What comes back from the worker for question `id`: `{ id, answer }` or `{ id, error }`,
/// and `more: true` on an early answer that another will complete.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub id: QuestionId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Answer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<EngineError>,
    /// The worker answers this question again: this answer lacks what it is fetching (an
    /// archive's search, its hits ranked but some without their texts, so without passages).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub more: bool,
}

impl Reply {
    pub fn new(id: QuestionId, outcome: Result<Answer, EngineError>) -> Self {
        let (answer, error) = match outcome {
            Ok(answer) => (Some(answer), None),
            Err(error) => (None, Some(error)),
        };
        Reply {
            id,
            answer,
            error,
            more: false,
        }
    }

    /// The answer, or why there is none (a reply with neither is the engine's fault).
    pub fn outcome(self) -> Result<Answer, EngineError> {
        match (self.answer, self.error) {
            (_, Some(error)) => Err(error),
            (Some(answer), None) => Ok(answer),
            (None, None) => Err(EngineError::new(
                code::BAD_REQUEST,
                "le moteur a répondu sans réponse ni erreur",
            )),
        }
    }
}

/// The latest question of one kind a view asked: only its answer is shown.
///
/// Questions go out as the reader types; their answers may come back after a later
/// question was asked (the worker answers in order, but the view moved on meanwhile).
/// An answer is taken only if it is to the latest question; the rest are dropped.
///
/// An early answer ([`Reply::more`]) of the latest question is shown only in place of an
/// answer already on screen: results the reader is typing over change at once, and their
/// passages fill in; a page just opened waits for the whole answer, so nothing on it moves
/// unasked.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Latest {
    asked: Option<QuestionId>,
    /// An answer was shown.
    shown: bool,
}

impl Latest {
    /// Records `id` as the latest question; returns the one it replaces, still unanswered,
    /// which the worker may skip.
    pub fn ask(&mut self, id: QuestionId) -> Option<QuestionId> {
        self.asked.replace(id)
    }

    /// Whether the reply to `id` is to be shown: the latest question's last reply once, and
    /// an early one (`more`) where an answer is on screen.
    pub fn take(&mut self, id: QuestionId, more: bool) -> bool {
        if self.asked != Some(id) {
            return false;
        }
        if more {
            return self.shown;
        }
        self.asked = None;
        self.shown = true;
        true
    }

    /// Forgets the pending question (the view went away); returns it, to be cancelled.
    pub fn forget(&mut self) -> Option<QuestionId> {
        self.asked.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_paths_name_their_part_and_nothing_else() {
        assert_eq!(part_path(12), "i/12.bin");
        assert_eq!(part_number("i/12.bin"), Some(12));
        for other in [
            "i/.bin",
            "i/1a.bin",
            "a/x/texte.json",
            "i/12.bin.br",
            "i/-1.bin",
            "i/99999999999.bin",
        ] {
            assert_eq!(part_number(other), None, "{other}");
        }
        assert_eq!(excerpts_path(3), "l/3.json");
        assert_eq!(excerpts_number("l/3.json"), Some(3));
        assert_eq!(excerpts_number("i/3.bin"), None);
        assert_eq!(excerpts_number("l/3.bin"), None);
        assert!(is_fetched_piece("l/0.json") && is_fetched_piece("i/0.bin"));
        assert!(is_fetched_piece("titres.json") && !is_fetched_piece("l/titres.json"));
        assert!(!is_fetched_piece("a/x/texte.json") && !is_fetched_piece("index.bin"));
    }

    #[test]
    fn a_listing_says_its_excerpts_are_apart_only_when_they_are() {
        let whole = Answer::Opened(Listing {
            cards: Vec::new(),
            excerpts_apart: false,
            without_cards: false,
        });
        let json = serde_json::to_value(&whole).unwrap();
        assert_eq!(json, serde_json::json!({ "opened": { "cards": [] } }));
        let apart: Answer =
            serde_json::from_str(r#"{"opened":{"cards":[],"excerpts_apart":true}}"#).unwrap();
        assert!(matches!(
            apart,
            Answer::Opened(Listing {
                excerpts_apart: true,
                ..
            })
        ));
        let asked: Request = serde_json::from_str(r#"{"excerpts":{"from":30,"to":60}}"#).unwrap();
        assert_eq!(asked, Request::Excerpts { from: 30, to: 60 });
        let unlisted: Answer =
            serde_json::from_str(r#"{"opened":{"cards":[],"without_cards":true}}"#).unwrap();
        assert!(matches!(
            unlisted,
            Answer::Opened(Listing {
                without_cards: true,
                ..
            })
        ));
        assert_eq!(serde_json::to_value(Request::List).unwrap(), "list");
    }

    #[test]
    fn an_answer_to_a_replaced_question_is_dropped() {
        let mut latest = Latest::default();
        assert_eq!(latest.ask(1), None);
        assert_eq!(
            latest.ask(2),
            Some(1),
            "the replaced question is to be cancelled"
        );
        assert!(
            !latest.take(1, false),
            "the older answer arrives late: dropped"
        );
        assert!(latest.take(2, false));
        assert!(!latest.take(2, false), "an answer counts once");
        latest.ask(3);
        assert_eq!(latest.forget(), Some(3));
        assert!(
            !latest.take(3, false),
            "a view that went away shows nothing"
        );
    }

    #[test]
    fn an_early_answer_replaces_one_on_screen_and_never_opens_a_view() {
        let mut latest = Latest::default();
        latest.ask(1);
        assert!(
            !latest.take(1, true),
            "nothing on screen yet: the whole answer is awaited"
        );
        assert!(latest.take(1, false));
        latest.ask(2);
        assert!(latest.take(2, true), "typed over results: shown at once");
        assert!(latest.take(2, false), "then completed");
        latest.ask(3);
        latest.ask(4);
        assert!(
            !latest.take(3, true),
            "an early answer to a replaced question is dropped too"
        );
        assert!(!latest.take(3, false));
        assert!(latest.take(4, true) && latest.take(4, false));
        assert!(!latest.take(4, true), "nothing after the last reply");
    }

    #[test]
    fn replies_read_as_the_worker_writes_them() {
        let reply = Reply::new(
            7,
            Err(EngineError::new(
                code::QUERY,
                "la recherche est trop longue",
            )),
        );
        let json = serde_json::to_value(&reply).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "id": 7,
                "error": { "code": "requete", "message": "la recherche est trop longue" }
            })
        );
        assert_eq!(serde_json::from_value::<Reply>(json).unwrap(), reply);
        let question: Question =
            serde_json::from_str(r#"{"id":3,"request":{"search":{"query":"hadopi"}}}"#).unwrap();
        assert_eq!(question.request, Request::search("hadopi"));
        let narrowed: Request = serde_json::from_str(
            r#"{"search":{"query":"hadopi","filters":{"source":"Numerama","year":2014,"order":"date"},"limit":20}}"#,
        )
        .unwrap();
        assert_eq!(
            narrowed,
            Request::Search {
                query: "hadopi".into(),
                filters: Filters {
                    source: Some("Numerama".into()),
                    year: Some(2014),
                    order: crate::found::Order::Date,
                },
                limit: 20,
            }
        );
        let found = Reply::new(3, Ok(Answer::Found(SearchResults::default())));
        let json = serde_json::to_value(&found).unwrap();
        assert!(json["answer"]["found"].is_object(), "{json}");
        let read = serde_json::from_value::<Reply>(json).unwrap();
        assert_eq!(read.outcome(), Ok(Answer::Found(SearchResults::default())));
        let mut early = serde_json::to_value(&found).unwrap();
        assert!(
            early.get("more").is_none(),
            "a reply says more only when early"
        );
        early["more"] = true.into();
        assert!(serde_json::from_value::<Reply>(early).unwrap().more);
        let empty: Reply = serde_json::from_str(r#"{"id":4}"#).unwrap();
        assert_eq!(empty.outcome().unwrap_err().code, code::BAD_REQUEST);
    }
}
