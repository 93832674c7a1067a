//! Entry point of the search-first module (`docatlas::search_first`): starts it, and exports
//! the page's search engine to the JS API and to the full app. The exports live here, not in
//! the library, so that the app's binary (which links the same library) has no engine.

use wasm_bindgen::prelude::wasm_bindgen;

fn main() {
    docatlas::search_first::start();
}

/// JS API: see [`docatlas::search_first::search_json`].
#[wasm_bindgen]
pub fn search_json(query: String, limit: u32) -> js_sys::Promise {
    docatlas::search_first::search_json(query, limit)
}

/// For the full app: see [`docatlas::search_first::app_head`].
#[wasm_bindgen]
pub fn app_head() -> js_sys::Promise {
    docatlas::search_first::app_head()
}

/// For the full app: see [`docatlas::search_first::app_search`].
#[wasm_bindgen]
pub fn app_search(query: String, limit: u32, facets: bool) -> js_sys::Promise {
    docatlas::search_first::app_search(query, limit, facets)
}

/// For the full app: see [`docatlas::search_first::app_ranges`].
#[wasm_bindgen]
pub fn app_ranges(query: String, texts: Vec<String>) -> js_sys::Promise {
    docatlas::search_first::app_ranges(query, texts)
}
