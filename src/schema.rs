//! The index schema: which fields a document has and how each is analysed.

use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::{FRENCH, FRENCH_EXACT};

/// The fields of an indexed article, looked up once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The article's slug, stored so a hit can name its article.
    pub slug: Field,
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
    let exact_text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(FRENCH_EXACT)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let mut builder = Schema::builder();
    let fields = Fields {
        slug: builder.add_text_field("slug", STRING | STORED),
        title: builder.add_text_field("title", french_text.clone()),
        body: builder.add_text_field("body", french_text),
        title_exact: builder.add_text_field("title_exact", exact_text.clone()),
        body_exact: builder.add_text_field("body_exact", exact_text),
    };
    (builder.build(), fields)
}

impl Fields {
    /// Finds the fields in a schema read from an index, or names the one missing.
    pub fn find(schema: &Schema) -> Result<Fields, String> {
        let field = |name: &str| schema.get_field(name).map_err(|_| name.to_string());
        Ok(Fields {
            slug: field("slug")?,
            title: field("title")?,
            body: field("body")?,
            title_exact: field("title_exact")?,
            body_exact: field("body_exact")?,
        })
    }
}
