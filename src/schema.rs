//! The index schema: which fields a document has and how each is analysed.

use tantivy::schema::{FAST, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};

use crate::analysis::{FRENCH, FRENCH_EXACT};

/// The name of the fast field that gives each document its article's position. The build
/// orders and checks the index by it (a document's id is then its article's position); the
/// engine reads the id, and so carries none of tantivy's column readers.
pub const POSITION: &str = "position";

/// The fields of an indexed article, looked up once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The article's position in the bundle's list, a fast field: the build puts the
    /// documents in that order by it ([`POSITION`]).
    pub position: Field,
    /// The title, stemmed and folded.
    pub title: Field,
    /// Every block of the body, headings included, stemmed and folded.
    pub body: Field,
    /// The title's surface forms (lowercase only), so exact forms rank first.
    pub title_exact: Field,
    /// The body's surface forms.
    pub body_exact: Field,
}

/// Builds the schema the indexer writes and the page expects.
pub fn schema() -> (Schema, Fields) {
    let french_text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(FRENCH)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    // Exact forms only add to a word's score; phrases are matched on the stemmed fields, so
    // these need no positions.
    let exact_text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(FRENCH_EXACT)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let mut builder = Schema::builder();
    let fields = Fields {
        position: builder.add_u64_field(POSITION, FAST),
        title: builder.add_text_field("title", french_text.clone()),
        body: builder.add_text_field("body", french_text),
        title_exact: builder.add_text_field("title_exact", exact_text.clone()),
        body_exact: builder.add_text_field("body_exact", exact_text),
    };
    (builder.build(), fields)
}

impl Fields {
    /// The fields of a schema read from an index, once it is exactly the schema the
    /// indexer writes; otherwise the first field that differs. tantivy trusts the options
    /// its `meta.json` states (a field not indexed is not looked for), so anything else is
    /// refused here rather than discovered mid-search.
    pub fn find(found: &Schema) -> Result<Fields, String> {
        let (expected, fields) = schema();
        let mut entries = found.fields().map(|(_, entry)| entry);
        for (_, wanted) in expected.fields() {
            match entries.next() {
                Some(entry) if entry == wanted => {}
                _ => return Err(wanted.name().to_string()),
            }
        }
        match entries.next() {
            Some(extra) => Err(extra.name().to_string()),
            None => Ok(fields),
        }
    }
}
