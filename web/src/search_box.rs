//! What the two search boxes (the search-first module's and the app's) agree on: how they are
//! labelled, the keys that reach them, and how the URL follows what is typed. The module hands
//! its box over to the app's with the same query and focus, so they must not differ.

use wasm_bindgen::JsCast;

use crate::route::{current_hash, go, Route};

/// The box's placeholder.
pub const PLACEHOLDER: &str = "Search the docs  ( / )";
/// The box's accessible name.
pub const LABEL: &str = "Search the docs";
/// The `id` of the result list the box controls.
pub const HITS_ID: &str = "da-hits";
/// How long typing must pause before the results follow.
pub const DEBOUNCE_MS: u32 = 90;

/// Whether a key press anywhere asks for the search box: `/` outside a field, or Ctrl-K (⌘K).
pub fn wants_search_box(ev: &web_sys::KeyboardEvent) -> bool {
    let typing = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA") || el.is_content_editable()
        });
    let ctrl_k = (ev.ctrl_key() || ev.meta_key()) && ev.key() == "k";
    ctrl_k || (ev.key() == "/" && !typing)
}

/// Once typing has paused: the URL follows the box with `query` (a history entry when a search
/// starts, then replaced, so Back leaves the search rather than undoing keystrokes), and the
/// route runs the search.
pub fn follow(query: String) {
    let on_search = matches!(Route::parse(&current_hash()), Route::Search { .. });
    go(&Route::Search { query }, on_search);
}
