//! What the docatlas app and its search-first module share in the browser.
//!
//! Two WebAssembly modules run on a site's page: the search-first module (crate
//! `docatlas-search`: the search box, the first results, the page's one search engine) and the
//! full app (the root crate `docatlas`: pages, the impact graph, the reading tracks). This crate
//! is what both link: [`fetch`] (site files over HTTP, decompressed), [`route`] (hash routes),
//! [`docs`] (the head as the views need it, page files and the page list), [`host`] (the host
//! page: mount element, bundle URL, ready events), [`search_box`] (what both search boxes
//! agree on) and [`bridge`] (how the app asks the module).
//! Neither the engine's evaluation (only the module calls it) nor the graph or the reading state
//! (only the app loads them) lives here.

pub mod bridge;
pub mod docs;
pub mod fetch;
pub mod host;
pub mod route;
pub mod search_box;
