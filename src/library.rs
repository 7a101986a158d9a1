//! The searchable library: a bundle opened for reading, and the search API the
//! page and the tests use.

use std::collections::HashMap;

use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::Value;
use tantivy::{Index, ReloadPolicy, Searcher, TantivyDocument};

use crate::analysis;
use crate::article::Article;
use crate::bundle::{self, BundleError};
use crate::directory::ReadOnlyDirectory;
use crate::highlight::{Highlighter, Snippet};
use crate::schema::Fields;

/// Titles weigh more than body text: a word in the title says what the article is about.
const TITLE_BOOST: f32 = 2.0;

/// How many articles a search returns at most.
const MAX_HITS: usize = 50;

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 180;

/// Longest query accepted, in characters; far beyond what a person types.
pub const MAX_QUERY_CHARS: usize = 500;

/// Most words accepted in a query.
pub const MAX_QUERY_WORDS: usize = 40;

/// The articles and their index, ready to search.
pub struct Library {
    searcher: Searcher,
    parser: QueryParser,
    fields: Fields,
    articles: Vec<Article>,
    by_slug: HashMap<String, usize>,
}

/// One article that matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub slug: String,
    pub score: f32,
    /// The best passage with its matched words; `None` when only the title matched.
    pub snippet: Option<Snippet>,
}

/// The answer to a query.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// True when no article has every word of the query, so the hits are the
    /// articles that have some of them.
    pub partial: bool,
}

/// Why a bundle could not be opened, in words for the reader.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Bundle(#[from] BundleError),
    #[error("l’index ne peut pas être ouvert ({0})")]
    Index(String),
    #[error("l’index ne correspond pas à ses articles ({0}) : le site doit être reconstruit")]
    Mismatch(String),
}

/// Why a query was not run, in words for the reader.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    #[error("la recherche est trop longue : {MAX_QUERY_CHARS} caractères au plus")]
    TooLong,
    #[error("la recherche a trop de mots : {MAX_QUERY_WORDS} au plus")]
    TooManyWords,
    #[error("la recherche n’a pas pu être faite ({0})")]
    Index(String),
}

impl Library {
    /// Opens bundle bytes, checking them, in the browser as natively.
    pub fn open(bytes: Vec<u8>) -> Result<Library, OpenError> {
        let bundle::Unpacked { articles, files } = bundle::unpack(bytes)?;
        let index = Index::open(ReadOnlyDirectory::new(files))
            .map_err(|error| OpenError::Index(error.to_string()))?;
        analysis::register(&index);
        let fields = Fields::find(&index.schema())
            .map_err(|field| OpenError::Mismatch(format!("champ « {field} » absent")))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|error: tantivy::TantivyError| OpenError::Index(error.to_string()))?;
        let searcher = reader.searcher();
        if searcher.num_docs() != articles.len() as u64 {
            return Err(OpenError::Mismatch(format!(
                "{} documents indexés pour {} articles",
                searcher.num_docs(),
                articles.len()
            )));
        }
        let by_slug = articles
            .iter()
            .enumerate()
            .map(|(position, article)| (article.slug.clone(), position))
            .collect();
        let mut parser = QueryParser::for_index(&index, vec![fields.title, fields.body]);
        parser.set_field_boost(fields.title, TITLE_BOOST);
        Ok(Library {
            searcher,
            parser,
            fields,
            articles,
            by_slug,
        })
    }

    /// Every article, in the order of the article folder.
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    pub fn article(&self, slug: &str) -> Option<&Article> {
        self.by_slug
            .get(slug)
            .map(|&position| &self.articles[position])
    }

    /// Finds the articles that have every word of the query, best first; when
    /// none has them all, those that have some, flagged as partial.
    pub fn search(&self, query: &str) -> Result<SearchResults, SearchError> {
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(SearchError::TooLong);
        }
        if query.split_whitespace().count() > MAX_QUERY_WORDS {
            return Err(SearchError::TooManyWords);
        }
        let highlighter = Highlighter::new(query);
        if highlighter.is_empty() {
            return Ok(SearchResults::default());
        }
        let words = plain_words(query);
        let mut all_words = self.parser.clone();
        all_words.set_conjunction_by_default();
        let hits = self.run(&all_words, &words, &highlighter)?;
        if !hits.is_empty() {
            return Ok(SearchResults {
                hits,
                partial: false,
            });
        }
        let hits = self.run(&self.parser, &words, &highlighter)?;
        let partial = !hits.is_empty();
        Ok(SearchResults { hits, partial })
    }

    fn run(
        &self,
        parser: &QueryParser,
        words: &str,
        highlighter: &Highlighter,
    ) -> Result<Vec<Hit>, SearchError> {
        let failed = |error: tantivy::TantivyError| SearchError::Index(error.to_string());
        let (query, _ignored) = parser.parse_query_lenient(words);
        let top = self
            .searcher
            .search(&query, &TopDocs::with_limit(MAX_HITS).order_by_score())
            .map_err(failed)?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let document: TantivyDocument = self.searcher.doc(address).map_err(failed)?;
            let Some(article) = document
                .get_first(self.fields.slug)
                .and_then(|value| value.as_str())
                .and_then(|slug| self.article(slug))
            else {
                continue;
            };
            hits.push(Hit {
                slug: article.slug.clone(),
                score,
                snippet: highlighter.snippet(&article.blocks, SNIPPET_CHARS),
            });
        }
        Ok(hits)
    }
}

/// The query's words, without the characters tantivy's query language reads
/// as syntax: the reader types words, not field names or ranges.
fn plain_words(query: &str) -> String {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Block;

    fn article(slug: &str, title: &str, body: &[&str]) -> Article {
        Article {
            slug: slug.into(),
            title: title.into(),
            title_origin: None,
            source: None,
            date: None,
            language: "fr".into(),
            original: None,
            blocks: body
                .iter()
                .map(|text| Block::Paragraph(text.to_string()))
                .collect(),
        }
    }

    fn library() -> Library {
        let articles = [
            article(
                "netflix",
                "Netflix arrive",
                &["Netflix sera lancé en France."],
            ),
            article(
                "hadopi",
                "La Hadopi veille",
                &["Télécharger un film est risqué."],
            ),
            article(
                "mixte",
                "Popcorn Time",
                &["La Hadopi et Netflix face à Popcorn Time."],
            ),
        ];
        Library::open(bundle::build(&articles).unwrap()).unwrap()
    }

    fn slugs(results: &SearchResults) -> Vec<&str> {
        results.hits.iter().map(|hit| hit.slug.as_str()).collect()
    }

    #[test]
    fn a_built_bundle_opens_with_its_articles() {
        let library = library();
        assert_eq!(library.articles().len(), 3);
        assert_eq!(library.article("hadopi").unwrap().title, "La Hadopi veille");
        assert!(library.article("absent").is_none());
    }

    #[test]
    fn a_title_match_ranks_above_a_body_match() {
        let results = library().search("hadopi").unwrap();
        assert_eq!(slugs(&results), ["hadopi", "mixte"]);
        assert!(!results.partial);
    }

    #[test]
    fn every_word_is_required_before_falling_back_to_some() {
        let library = library();
        assert_eq!(slugs(&library.search("netflix hadopi").unwrap()), ["mixte"]);
        let partial = library.search("telecharger inexistant").unwrap();
        assert_eq!(slugs(&partial), ["hadopi"]);
        assert!(partial.partial);
    }

    #[test]
    fn snippets_mark_the_matched_words() {
        let results = library().search("téléchargement").unwrap();
        let snippet = results.hits[0].snippet.as_ref().unwrap();
        assert_eq!(&snippet.text[snippet.marks[0].clone()], "Télécharger");
    }

    #[test]
    fn query_syntax_and_absurd_queries_never_fail_silently() {
        let library = library();
        for odd in [
            "", "   ", "la les", "\"", "((", "title:", "*", "-", "🙂", "hadopi)",
        ] {
            assert!(library.search(odd).is_ok(), "{odd:?}");
        }
        assert_eq!(
            slugs(&library.search("hadopi)").unwrap()),
            ["hadopi", "mixte"]
        );
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        assert_eq!(library.search(&long), Err(SearchError::TooLong));
        let many = "mot ".repeat(MAX_QUERY_WORDS + 1);
        assert_eq!(library.search(&many), Err(SearchError::TooManyWords));
    }

    #[test]
    fn a_bundle_whose_index_lost_a_file_is_refused_with_a_reason() {
        let error = Library::open(b"LECTEUR\0".to_vec()).err().unwrap();
        assert_eq!(error, OpenError::Bundle(BundleError::Truncated));
    }
}
