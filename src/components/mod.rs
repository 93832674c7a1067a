//! Widgets shared by the views: DOM building, entity cards and links, the reading views, the
//! reading keys, the search box and results (shared with the search-first module), snippets and
//! the error box.

pub mod entity_hits;
pub mod graph;
pub mod read_progress;
pub mod reading;
pub mod reading_keys;

use docatlas_web::dom::{el, Node};

/// An error a view could not get past (a file that would not load), in the app's error box.
pub fn error_box(message: &str) -> Node {
    el("div")
        .class("da-error")
        .attr("role", "alert")
        .child(el("p").class("da-error-message").text(message))
}

/// The line that says a view is waiting for its data.
pub fn loading(text: &str) -> Node {
    el("p")
        .class("da-loading")
        .attr("role", "status")
        .text(text)
}
