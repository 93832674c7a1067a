//! Loading the site's data: the one place the app does IO.
//!
//! The head and the page files are [`Docs`] (shared with the search-first module, in
//! `docatlas-web`); the entity graph ([`graph`]) and the reading tracks with the reader's
//! progress ([`tracks`], [`progress`]) are the app's own, each a `LocalResource` shared through
//! context and started by the first view that needs it; searches are asked of the search-first
//! module ([`search`]).

pub mod folders;
pub mod graph;
pub mod progress;
pub mod search;
pub mod tracks;

use std::sync::Arc;

pub use docatlas_web::docs::Docs;
use docatlas_web::fetch::fetch;

/// The site's head: the bytes the search-first module fetched, else (no module: a plain
/// `trunk serve`, or the module failed to start) the app's own fetch of `url`.
pub async fn head(url: String) -> Result<Arc<Docs>, String> {
    let bytes = match search::head().await {
        Some(bytes) => bytes?,
        None => fetch(&url).await?,
    };
    Docs::from_bytes(&bytes, &url).map(Arc::new)
}
