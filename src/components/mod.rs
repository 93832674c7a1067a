//! Widgets shared by the pages.

mod search_box;
mod snippet;

pub use search_box::SearchBox;
pub use snippet::Highlighted;
