//! docatlas-core: the bundle format, the tokenizer, search and the entity graph, shared by the build
//! step and the app.
//!
//! This crate does no IO. `build-index` produces a [`format::Bundle`] and splits it into a
//! site's data files ([`files::encode`]); the browser app and `build-index search` load those
//! files into a [`search::Engine`] as it asks for them and run the same search code, so every
//! answer the app gives can be reproduced (and tested) natively.

#![warn(missing_docs)]
// Input reaches almost every function here (file names, titles, queries, bundles): no arithmetic
// that can overflow, no indexing that can be out of bounds, no slicing inside a character. Tests
// may index freely: a panic there is a failed test.
#![cfg_attr(
    not(test),
    warn(
        clippy::arithmetic_side_effects,
        clippy::indexing_slicing,
        clippy::string_slice
    )
)]

pub mod files;
mod fold;
mod fold_table;
pub mod format;
pub mod graph;
pub mod index;
pub mod inline;
pub mod model;
pub mod page_html;
pub mod query;
pub mod search;
pub mod severity;
pub mod slice;
pub mod sort;
#[cfg(test)]
mod test_rand;
pub mod text;
pub mod tracks;
mod varint;

pub use format::{decode_head, Bundle, FormatError, Head, FORMAT_VERSION, MAGIC};
pub use model::{doc_href, Audience, Doc, Facet, Section, Site, Task};
pub use search::{
    Engine, FacetCount, Hit, Matched, Report, ReportHit, SearchOptions, SearchResults, Snippet,
    Step,
};
