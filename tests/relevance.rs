//! The relevance suite: French queries over the real articles, each with what a
//! reader should see first (and from which passage), or the whole set of
//! articles, or nothing. One row per behaviour of the search; the table is also
//! what `tests/peers/` runs against other in-browser search engines.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use lecteur::article::{Article, load_folder};
use lecteur::library::SearchError;
use lecteur::query::QueryError;
use lecteur::{Library, MatchKind, SearchResults};

/// Numerama: 350 000 users, iOS version, VPN, Trident Media Guard.
const NUMERAMA: &str = "popcorn-time-350-000-utilisateurs";
/// Metronews: not legal, µTorrent, subtitles, the Hadopi watches.
const METRONEWS: &str = "popcorn-time-n-est-pas-legal";
/// Illegal download sites: 440.000 letters, 815€ fine, PopCornInYourBrowser.
const SITES: &str = "sites-de-telechargement-illegaux";

const ALL: &[&str] = &[NUMERAMA, METRONEWS, SITES];

/// What a query must answer.
#[derive(Debug)]
enum Expect {
    /// This article ranks first; its best passage contains the text, if given.
    First(&'static str, Option<&'static str>),
    /// Exactly these articles, every word matched, in any order.
    Set(&'static [&'static str]),
    /// This article first, and exactly these articles in all.
    FirstOf(&'static str, &'static [&'static str]),
    /// No article has every word: exactly these, flagged partial.
    Partial(&'static [&'static str]),
    /// Nothing, and no suggestion.
    Nothing,
    /// Nothing, but "did you mean" this.
    Suggests(&'static str),
}

use Expect::*;

/// (rule, query, expectation)
const TABLE: &[(&str, &str, Expect)] = &[
    // Elision, with both apostrophes.
    ("élision ’", "l’industrie", Set(&[NUMERAMA, SITES])),
    ("élision '", "l'industrie", Set(&[NUMERAMA, SITES])),
    ("élision sans article", "industrie", Set(&[NUMERAMA, SITES])),
    (
        "élision d’",
        "d’avertissement",
        First(SITES, Some("avertissement")),
    ),
    (
        "élision jusqu'",
        "jusqu'à présent",
        First(NUMERAMA, Some("présent")),
    ),
    // Stemming, then folding of accents and ligatures.
    ("racine", "téléchargés", FirstOf(SITES, ALL)),
    ("sans accents", "telechargement", FirstOf(SITES, ALL)),
    ("majuscules", "TÉLÉCHARGER", FirstOf(SITES, ALL)),
    ("ligature œ", "oeuvres", Set(&[NUMERAMA, METRONEWS])),
    (
        "ligature en capitales",
        "ŒUVRES",
        Set(&[NUMERAMA, METRONEWS]),
    ),
    ("pluriel", "illegal", FirstOf(SITES, ALL)),
    // The exact form outranks the unaccented one and the other inflection.
    (
        "forme exacte accentuée",
        "États-Unis",
        FirstOf(NUMERAMA, &[NUMERAMA, METRONEWS]),
    ),
    (
        "forme exacte sans accent",
        "Etats-Unis",
        FirstOf(METRONEWS, &[NUMERAMA, METRONEWS]),
    ),
    (
        "forme exacte singulier",
        "amende",
        FirstOf(SITES, &[SITES, METRONEWS]),
    ),
    (
        "forme exacte pluriel",
        "amendes",
        FirstOf(METRONEWS, &[SITES, METRONEWS]),
    ),
    // Numbers as people type them.
    (
        "nombre à point",
        "440.000",
        First(SITES, Some("440.000 courriers")),
    ),
    ("nombre collé", "440000", Set(&[SITES])),
    ("nombre espacé", "440 000", Set(&[SITES])),
    ("nombre et euro", "815€", First(SITES, Some("815€"))),
    ("décimale", "0,09", First(SITES, Some("0,09 dollar"))),
    ("milliers espacés", "350 000", Set(&[NUMERAMA])),
    (
        "décimale et mot",
        "1,4 million",
        First(NUMERAMA, Some("1,4 million")),
    ),
    ("milliers à point", "2.000 dossiers", Set(&[SITES])),
    // Names and compound words.
    (
        "chiffre dans un nom",
        "Time4PopCorn",
        Set(&[NUMERAMA, METRONEWS]),
    ),
    ("micro", "µTorrent", Set(&[METRONEWS])),
    ("casse mêlée", "iOS", First(NUMERAMA, Some("iOS"))),
    (
        "lettres isolées",
        "Mac OS X",
        First(NUMERAMA, Some("Mac OS X")),
    ),
    ("trait d’union entier", "e-mails", Set(&[SITES])),
    ("partie d’un composé", "mails", Set(&[SITES])),
    (
        "composé",
        "sous-titres",
        First(METRONEWS, Some("sous-titres")),
    ),
    (
        "partie d’un composé, rangée",
        "titres",
        FirstOf(METRONEWS, &[METRONEWS, NUMERAMA]),
    ),
    ("nom de domaine", "popcorntime.io", Set(&[SITES])),
    // Stop words.
    (
        "phrase de mots vides",
        "\"Et il ne compte pas s'arrêter là\"",
        First(NUMERAMA, Some("Et il ne compte pas")),
    ),
    (
        "phrase de mots vides seule",
        "\"ni plus ni moins\"",
        Set(&[METRONEWS]),
    ),
    ("mots vides ignorés", "la Hadopi", Set(ALL)),
    (
        "mots vides seuls",
        "ni plus ni moins",
        First(METRONEWS, Some("ni plus ni moins")),
    ),
    // Phrases and slop.
    ("phrase", "\"netflix du piratage\"", Set(&[NUMERAMA])),
    (
        "phrase et élision",
        "\"cauchemar Hollywood\"",
        Set(&[NUMERAMA]),
    ),
    ("phrase lâche", "\"pire Hollywood\"~1", Set(&[NUMERAMA])),
    ("phrase trop lâche", "\"pire Hollywood\"", Nothing),
    (
        "phrase dans le désordre",
        "\"Hollywood cauchemar\"",
        Nothing,
    ),
    ("guillemets non fermés", "\"popcorn time", Set(ALL)),
    (
        "guillemets français",
        "« riposte graduée »",
        First(NUMERAMA, Some("riposte graduée")),
    ),
    // Exclusion and alternatives.
    ("exclusion", "popcorn -µTorrent", Set(&[NUMERAMA, SITES])),
    ("exclusions", "hadopi -iOS -e-mails", Set(&[METRONEWS])),
    ("exclusion seule", "-iOS", Set(&[METRONEWS, SITES])),
    ("exclusion de tout", "-hadopi", Nothing),
    ("OU", "iOS OR µTorrent", Set(&[NUMERAMA, METRONEWS])),
    (
        "OU en français",
        "Kebrum OU PopCornInYourBrowser",
        Set(&[NUMERAMA, SITES]),
    ),
    // The word being typed is a prefix.
    ("début de mot", "télécha", FirstOf(SITES, ALL)),
    ("début de nom", "Numera", Set(&[NUMERAMA])),
    ("mot fini", "Numera ", Suggests("numerama")),
    // Typos.
    ("faute de frappe", "Hadopy", Set(ALL)),
    ("lettre oubliée", "piratge", Set(&[NUMERAMA, METRONEWS])),
    (
        "faute dans un mot long",
        "telechargemnt",
        First(SITES, Some("téléchargement")),
    ),
    (
        "deux fautes dans un mot long",
        "telecharjemnt",
        First(SITES, Some("téléchargement")),
    ),
    ("vouliez-vous dire", "Hadpoy", Suggests("hadopi")),
    // Titles weigh more.
    ("titre", "légal", First(METRONEWS, None)),
    ("titre et corps", "sites", First(SITES, None)),
    // Several words, passages.
    (
        "passage",
        "Trident Media Guard",
        First(NUMERAMA, Some("Trident Media Guard")),
    ),
    (
        "passage d’un autre bloc",
        "surcharge serveurs",
        First(SITES, Some("surcharge des serveurs")),
    ),
    (
        "passage à deux mots",
        "streaming lettre",
        First(METRONEWS, Some("streaming")),
    ),
    ("partiel", "popcorn ornithorynque", Partial(ALL)),
    (
        "partiel à deux",
        "Kebrum eMule",
        Partial(&[NUMERAMA, METRONEWS]),
    ),
    // Nothing to find.
    ("inconnu", "ornithorynque", Nothing),
    ("inconnus", "zzzz qqqq", Nothing),
    ("ponctuation", "!!!???", Nothing),
    ("guillemets seuls", "\"\"\"", Nothing),
    ("nombre absent", "441.000", Nothing),
];

fn library() -> &'static Library {
    static LIBRARY: OnceLock<Library> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let articles: Vec<Article> = load_folder(&root.join("index/articles")).unwrap();
        Library::open(lecteur::bundle::build(&articles, "").unwrap()).unwrap()
    })
}

fn slugs(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|hit| hit.slug.as_str()).collect()
}

fn sorted<'a>(slugs: &[&'a str]) -> Vec<&'a str> {
    let mut slugs = slugs.to_vec();
    slugs.sort();
    slugs
}

/// Checks one row; the error says what the reader would have seen instead.
fn check(query: &str, expect: &Expect) -> Result<(), String> {
    let results = library()
        .search(query)
        .map_err(|error| format!("error: {error}"))?;
    let found = slugs(&results);
    let seen = format!(
        "{found:?} partial={} suggestion={:?}",
        results.partial, results.suggestion
    );
    let ok = match expect {
        First(slug, passage) => {
            let first_ok = found.first() == Some(slug) && !results.partial;
            let passage_ok = passage.is_none_or(|text| {
                results.hits[0]
                    .snippet
                    .as_ref()
                    .is_some_and(|snippet| snippet.text.contains(text))
            });
            if first_ok && !passage_ok {
                return Err(format!(
                    "best passage {:?} lacks {passage:?}",
                    results.hits[0].snippet.as_ref().map(|s| &s.text)
                ));
            }
            first_ok
        }
        Set(expected) => !results.partial && sorted(&found) == sorted(expected),
        FirstOf(slug, expected) => {
            !results.partial && found.first() == Some(slug) && sorted(&found) == sorted(expected)
        }
        Partial(expected) => results.partial && sorted(&found) == sorted(expected),
        Nothing => found.is_empty() && results.suggestion.is_none(),
        Suggests(suggestion) => {
            found.is_empty() && results.suggestion.as_deref() == Some(*suggestion)
        }
    };
    if ok { Ok(()) } else { Err(seen) }
}

#[test]
fn the_table_has_enough_rows_and_each_query_once() {
    assert!(TABLE.len() >= 40, "{} rows", TABLE.len());
    let mut queries: Vec<&str> = TABLE.iter().map(|(_, query, _)| *query).collect();
    queries.sort();
    queries.dedup();
    assert_eq!(queries.len(), TABLE.len(), "a query appears twice");
}

#[test]
fn every_query_of_the_table_finds_what_a_reader_expects() {
    let failures: Vec<String> = TABLE
        .iter()
        .filter_map(|(rule, query, expect)| {
            check(query, expect)
                .err()
                .map(|seen| format!("[{rule}] {query:?}: expected {expect:?}, got {seen}"))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The reasons a hit gives, as (query word, text form, how).
fn reasons(query: &str, slug: &str) -> Vec<(String, String, MatchKind)> {
    let results = library().search(query).unwrap();
    let hit = results
        .hits
        .iter()
        .find(|hit| hit.slug == slug)
        .unwrap_or_else(|| panic!("{query:?} should find {slug}"));
    hit.reasons
        .iter()
        .map(|r| (r.query_word.clone(), r.text_form.clone(), r.kind))
        .collect()
}

#[test]
fn each_hit_says_in_french_why_it_matched() {
    let has = |query: &str, slug: &str, form: &str, kind: MatchKind| {
        let reasons = reasons(query, slug);
        assert!(
            reasons.iter().any(|(_, f, k)| f == form && *k == kind),
            "{query:?} in {slug}: {reasons:?}"
        );
    };
    has("Popcorn", METRONEWS, "Popcorn", MatchKind::SameWord);
    has(
        "telechargement",
        METRONEWS,
        "téléchargement",
        MatchKind::WithoutAccents,
    );
    has("téléchargés", NUMERAMA, "télécharger", MatchKind::SameRoot);
    has("télécha", SITES, "téléchargé", MatchKind::Prefix);
    has("Hadopy", SITES, "Hadopi", MatchKind::Typo);
    let hit = &library().search("Hadopy").unwrap().hits[0];
    let sentence = hit.reasons[0].sentence();
    assert_eq!(sentence, "« Hadopy » → « Hadopi » : faute de frappe");
}

#[test]
fn a_word_the_index_has_is_not_also_a_typo_of_another() {
    // "mails" is one letter from "mais", which every article has.
    let reasons = reasons("mails", SITES);
    assert!(
        reasons.iter().all(|(_, _, kind)| *kind != MatchKind::Typo),
        "{reasons:?}"
    );
}

#[test]
fn passages_name_their_block_and_the_best_comes_first() {
    let library = library();
    let results = library.search("VPN").unwrap();
    let hit = &results.hits[0];
    assert_eq!(hit.slug, NUMERAMA);
    assert!(hit.passages.len() >= 2, "{:?}", hit.passages);
    let article = library.article(NUMERAMA).unwrap();
    for passage in &hit.passages {
        let block = article.blocks[passage.block].text();
        let inner = passage.text.trim_matches('…');
        assert!(block.contains(inner), "passage not from its block: {inner}");
        assert!(!passage.marks.is_empty());
    }
    assert_eq!(hit.snippet.as_ref(), hit.passages.first());
    // The passage with both words outranks those with one.
    let results = library.search("VPN BitTorrent").unwrap();
    let best = results.hits[0].snippet.as_ref().unwrap();
    let block = article.blocks[best.block].text();
    assert!(
        block.contains("VPN") && block.contains("BitTorrent"),
        "{block}"
    );
}

#[test]
fn absurd_queries_answer_quickly_with_a_message_or_a_result() {
    let library = library();
    let started = Instant::now();
    let long = "popcorn ".repeat(1000);
    let error = library.search(&long).unwrap_err();
    assert_eq!(error, SearchError::Query(QueryError::TooLong));
    assert!(error.to_string().contains("trop longue"));
    let many = "a ".repeat(200);
    let too_many = Err(SearchError::Query(QueryError::TooManyWords));
    assert_eq!(library.search(&many), too_many);
    // Words are counted as parsed: punctuation separates them as spaces do.
    let commas = vec!["film"; 83].join(",");
    assert_eq!(library.search(&commas), too_many);
    // The largest accepted query: forty long words that all expand by typo.
    let heavy: String = (0..40)
        .map(|i| format!("telechargemen{}", i % 10))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(heavy.chars().count() <= 600);
    let heavy = &heavy[..heavy
        .char_indices()
        .nth(499)
        .map_or(heavy.len(), |(i, _)| i)];
    // Each of its typos reaches « téléchargement »: the two articles that have it.
    assert_eq!(library.search(heavy).unwrap().total, 2);
    // Operators and punctuation alone search for nothing, and say nothing was found.
    for odd in [
        "\"", "«", "-", "--", "OR", "OR OR", "~", "))((", "🙂", "\u{0}",
    ] {
        assert_eq!(library.search(odd), Ok(SearchResults::default()), "{odd:?}");
    }
    // A quoted word with a stray proximity sign is the word: every article has « a ».
    let quoted = library.search("\"a\"~").unwrap();
    assert_eq!(quoted.total, 3);
    assert!(quoted.hits.iter().all(|hit| !hit.reasons.is_empty()));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}
