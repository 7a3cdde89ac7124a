//! The tantivy schema and its version.

use tantivy::Index;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::{GRAMS, Precomputed, WORDS};

/// Version of everything that decides what is in the index files: the
/// fields below, the tokenizers, the folding rules and the jieba word list.
/// An index written under another version is recreated on open (and the
/// caller told to rebuild it). Bump on any such change.
pub const SCHEMA_VERSION: u32 = 1;

/// Handles of every field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub org_id: Field,
    /// `"{org_id}\u{1f}{org_name}"`, a fast column for the agency facet.
    pub org_facet: Field,
    pub org_name: Field,
    pub column_id: Field,
    pub column_name: Field,
    /// Words (jieba) of the title, stored for display: ranks title
    /// matches first and feeds the suggestions.
    pub title: Field,
    pub summary: Field,
    pub body: Field,
    /// Grams of everything searchable (title, summary, body, attachment
    /// text, metadata): decides what matches, and scores it.
    pub grams: Field,
    pub index_no: Field,
    pub index_no_key: Field,
    pub doc_no: Field,
    pub doc_no_key: Field,
    pub topic: Field,
    pub genre: Field,
    pub file_type: Field,
    pub validity: Field,
    pub keywords: Field,
    pub written: Field,
    pub published: Field,
    pub year: Field,
    /// Publication day and id in one number, for a stable date order.
    pub date_key: Field,
    pub url: Field,
}

fn words() -> TextOptions {
    TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(WORDS)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
        .set_stored()
}

fn grams() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(GRAMS)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let stored_only = TextOptions::default().set_stored();
    let fields = Fields {
        id: b.add_i64_field("id", INDEXED | STORED | FAST),
        org_id: b.add_i64_field("org_id", INDEXED | STORED | FAST),
        org_facet: b.add_text_field("org_facet", STRING | FAST),
        org_name: b.add_text_field("org_name", stored_only.clone()),
        column_id: b.add_i64_field("column_id", INDEXED | STORED),
        column_name: b.add_text_field("column_name", stored_only.clone()),
        title: b.add_text_field("title", words()),
        summary: b.add_text_field("summary", stored_only.clone()),
        body: b.add_text_field("body", stored_only.clone()),
        grams: b.add_text_field("grams", grams()),
        index_no: b.add_text_field("index_no", stored_only.clone()),
        index_no_key: b.add_text_field("index_no_key", STRING),
        doc_no: b.add_text_field("doc_no", stored_only.clone()),
        doc_no_key: b.add_text_field("doc_no_key", STRING),
        topic: b.add_text_field("topic", STRING | FAST | STORED),
        genre: b.add_text_field("genre", STRING | STORED),
        file_type: b.add_text_field("file_type", STRING | STORED),
        validity: b.add_text_field("validity", STRING | FAST | STORED),
        keywords: b.add_text_field("keywords", stored_only.clone()),
        written: b.add_i64_field("written", STORED),
        published: b.add_i64_field("published", STORED),
        year: b.add_i64_field("year", INDEXED | STORED | FAST),
        date_key: b.add_u64_field("date_key", FAST),
        url: b.add_text_field("url", stored_only),
    };
    (b.build(), fields)
}

/// Tokenizers are not persisted with the index: register them on every
/// `Index` value, fresh or opened.
pub fn register_tokenizers(index: &Index) {
    index
        .tokenizers()
        .register(WORDS, TextAnalyzer::from(Precomputed::words()));
    index
        .tokenizers()
        .register(GRAMS, TextAnalyzer::from(Precomputed::grams()));
}
