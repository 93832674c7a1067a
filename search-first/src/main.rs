//! The search-first module: a small plain wasm-bindgen module that `index.html` starts before
//! the full app. It shows the search box and the first results ([`ui`]), and it is the page's
//! one search engine ([`atlas`]): it answers the JS API and the full app's searches, exported
//! here.
//!
//! This crate depends on `docatlas-core` and `docatlas-web` only: the app's views, its graph and
//! its reading state are in the root crate, which it cannot name, and the app cannot name
//! [`atlas::Atlas`], so neither can grow into the other.

mod atlas;
mod dom;
mod results;
mod snippet;
mod ui;

use wasm_bindgen::prelude::wasm_bindgen;

fn main() {
    ui::start();
}

/// JS API (`window.wasmBindings.search_json`): see [`ui::search_json`].
#[wasm_bindgen]
pub fn search_json(query: String, limit: u32) -> js_sys::Promise {
    ui::search_json(query, limit)
}

/// For the full app (`docatlas_web::bridge::HEAD`): see [`ui::app_head`].
#[wasm_bindgen]
pub fn app_head() -> js_sys::Promise {
    ui::app_head()
}

/// For the full app (`docatlas_web::bridge::RESULTS`): see [`ui::app_results`].
#[wasm_bindgen]
pub fn app_results(query: String, limit: u32) -> js_sys::Promise {
    ui::app_results(query, limit)
}

/// For the full app (`docatlas_web::bridge::SELECT`): see [`ui::app_select`].
#[wasm_bindgen]
pub fn app_select(list: web_sys::Element, index: u32, scroll: bool) {
    ui::app_select(list, index, scroll)
}

/// For the full app (`docatlas_web::bridge::RANGES`): see [`ui::app_ranges`].
#[wasm_bindgen]
pub fn app_ranges(query: String, texts: Vec<String>) -> js_sys::Promise {
    ui::app_ranges(query, texts)
}
