//! The page's search engine: the site's head and every search file loaded so far, in one
//! [`Engine`] that the search box, the JS API and the full app all ask. Only this crate has it:
//! the app asks it through the bridge (`docatlas_web::bridge`), so "the app calls
//! `Atlas::search`" does not compile.

use std::future::Future;
use std::sync::{Mutex, MutexGuard};

use docatlas_core::search::{drive, Fetch};
use docatlas_core::{decode_head, Engine, Matched, SearchOptions, SearchResults, Step};
use docatlas_web::docs::Docs;
use docatlas_web::fetch::{fetch, fetch_all};

/// The loaded head of a site and its search engine; everything else arrives on demand.
pub struct Atlas {
    /// The site's settings, page count and data files' location.
    pub docs: Docs,
    engine: Mutex<Engine>,
}

impl Atlas {
    /// Decodes a head fetched from `url`; the error names the problem for the reader.
    pub fn from_bytes(bytes: &[u8], url: &str) -> Result<Self, String> {
        let head = decode_head(bytes).map_err(|e| format!("{url}: {e}"))?;
        Ok(Self {
            docs: Docs::new(&head, url),
            engine: Mutex::new(Engine::from_head(head)),
        })
    }

    fn engine(&self) -> Result<MutexGuard<'_, Engine>, String> {
        self.engine.lock().map_err(|_| {
            "the search engine is unusable after an earlier error; reload the page".into()
        })
    }

    /// Drives an engine question to its answer, fetching each round's files in parallel
    /// (the one load round, [`drive`]; only the fetching is this crate's).
    async fn run<T>(&self, ask: impl Fn(&Engine) -> Step<T>) -> Result<T, String> {
        drive(self, ask).await
    }

    /// Searches the site with the same code as `build-index search`.
    pub async fn search(&self, query: &str, opts: SearchOptions) -> Result<SearchResults, String> {
        self.run(|e| e.search(query, &opts)).await
    }

    /// What `query` matches, for highlighting a page (the app's `app_ranges`).
    pub async fn matched(&self, query: &str) -> Result<Matched, String> {
        self.run(|e| e.matched(query)).await
    }
}

/// This crate's side of a load round: the engine is locked only to ask and to insert, and a
/// round's files are fetched in parallel, by URL.
impl Fetch for &Atlas {
    fn engine<R>(&mut self, f: impl FnOnce(&mut Engine) -> R) -> Result<R, String> {
        Ok(f(&mut *Atlas::engine(self)?))
    }

    fn fetch(&mut self, names: &[String]) -> impl Future<Output = Vec<Result<Vec<u8>, String>>> {
        let urls: Vec<String> = names.iter().map(|f| self.docs.url(f)).collect();
        async move { fetch_all(&urls).await }
    }

    fn place(&self, name: &str) -> String {
        self.docs.url(name)
    }
}

/// Fetches and decodes the head at `url` (relative to the page), with its bytes
/// (decompressed), which the app decodes too instead of fetching the head again.
pub async fn load(url: &str) -> Result<(Atlas, Vec<u8>), String> {
    let bytes = fetch(url).await?;
    let atlas = Atlas::from_bytes(&bytes, url)?;
    Ok((atlas, bytes))
}
