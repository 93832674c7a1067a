//! Loading the site's data: the one place the app does IO.
//!
//! The head and the page files are [`Docs`] (shared with the search-first module, in
//! `docatlas-web`); the graph ([`graph`]) and the reading tracks ([`tracks`]) are the app's own;
//! searches are asked of the search-first module ([`search`]).

pub mod graph;
pub mod progress;
pub mod search;
pub mod tracks;

pub use docatlas_web::docs::Docs;
pub use docatlas_web::fetch;

/// Fetches and decodes the head at `url` (relative to the page).
pub async fn load(url: &str) -> Result<Docs, String> {
    let bytes = fetch::fetch(url).await?;
    Docs::from_bytes(&bytes, url)
}
