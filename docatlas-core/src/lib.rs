//! docatlas-core: the bundle format, the tokenizer, search and the entity graph, shared by the build
//! step and the app.
//!
//! This crate does no IO. `build-index` produces a [`format::Bundle`] and encodes it; the browser
//! app and `build-index search` decode the same bytes and run the same [`search`] code, so every
//! answer the app gives can be reproduced (and tested) natively.

#![warn(missing_docs)]

mod fold;
mod fold_table;
pub mod format;
pub mod graph;
pub mod index;
pub mod model;
pub mod query;
pub mod search;
pub mod text;
pub mod tracks;
mod varint;
pub(crate) use varint::read as varint_read;

pub use format::{
    decode, decode_chunk, encode, Bundle, ChunkRef, Encoded, FormatError, PageChunk,
    FORMAT_VERSION, MAGIC,
};
pub use model::{doc_href, Audience, Doc, Facet, Section, Site, Task};
pub use search::{
    FacetCount, Hit, Matched, Report, ReportHit, SearchIndex, SearchResults, Snippet,
};
