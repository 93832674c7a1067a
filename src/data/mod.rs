//! Loading the site's data files: the one place the app does IO.
//!
//! [`fetch`] is the transport (HTTP, decompression, and the errors a reader sees); [`Atlas`]
//! holds the head and a search [`Engine`] that keeps every file loaded while the page is open,
//! and fetches what a search, a page or the page list needs, each round's files in parallel.

pub mod fetch;
pub mod graph;
pub mod progress;
pub mod search;
pub mod tracks;

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use docatlas_core::files::{page_file, PageEntry, PAGE_LIST_FILE, PAGE_LIST_MAGIC, PAGE_MAGIC};
use docatlas_core::format::decode_payload;
use docatlas_core::search::{drive, Fetch};
use docatlas_core::{Doc, Engine, Matched, SearchOptions, SearchResults, Site, Step};

use self::fetch::{fetch, fetch_all};

/// The loaded head of a site; everything else arrives on demand.
pub struct Atlas {
    /// Site settings.
    pub site: Site,
    /// Number of pages.
    pub pages: u32,
    engine: Mutex<Engine>,
    /// URL prefix of the data files: the head's URL without its file name.
    base: String,
    /// Page files loaded so far, by file name.
    page_files: Mutex<BTreeMap<String, Arc<Vec<Doc>>>>,
    page_list: Mutex<Option<Arc<Vec<PageEntry>>>>,
}

impl Atlas {
    /// Decodes a head fetched from `url`; the error names the problem for the reader.
    pub fn from_bytes(bytes: &[u8], url: &str) -> Result<Self, String> {
        let engine = Engine::new(bytes).map_err(|e| e.to_string())?;
        let base = url
            .rsplit_once('/')
            .map_or(String::new(), |(dir, _)| format!("{dir}/"));
        Ok(Self {
            site: engine.head().site.clone(),
            pages: engine.head().docs,
            engine: Mutex::new(engine),
            base,
            page_files: Mutex::new(BTreeMap::new()),
            page_list: Mutex::new(None),
        })
    }

    fn engine(&self) -> Result<std::sync::MutexGuard<'_, Engine>, String> {
        self.engine.lock().map_err(|_| {
            "the search engine is unusable after an earlier error; reload the page".into()
        })
    }

    /// The URL of a site file (`tracks.bin`, `page/…`), relative to the bundle's folder.
    pub fn url(&self, file: &str) -> String {
        format!("{}{file}", self.base)
    }

    /// Drives an engine question to its answer, fetching each round's files in parallel.
    async fn run<T>(&self, ask: impl Fn(&Engine) -> Step<T>) -> Result<T, String> {
        drive(self, ask).await
    }

    /// Searches the site with the same code as `build-index search`. Only the search-first
    /// module calls this; the app asks the module ([`search::search`]).
    pub async fn search(&self, query: &str, opts: SearchOptions) -> Result<SearchResults, String> {
        self.run(|e| e.search(query, &opts)).await
    }

    /// What `query` matches, for highlighting a page (the module's side of [`search::ranges`]).
    pub async fn matched(&self, query: &str) -> Result<Matched, String> {
        self.run(|e| e.matched(query)).await
    }

    /// The page at `path` with its HTML (`None` when its page file holds no such page; a page
    /// the site does not have usually has no page file at all: a 404 error).
    pub async fn page(&self, path: &str) -> Result<Option<Doc>, String> {
        let name = page_file(path);
        let cached = self
            .page_files
            .lock()
            .ok()
            .and_then(|c| c.get(&name).cloned());
        let bucket = match cached {
            Some(b) => b,
            None => {
                let url = format!("{}{name}", self.base);
                let bytes = fetch(&url).await?;
                let pages: Vec<Doc> =
                    decode_payload(PAGE_MAGIC, &bytes).map_err(|e| format!("{url}: {e}"))?;
                let pages = Arc::new(pages);
                if let Ok(mut c) = self.page_files.lock() {
                    c.insert(name, pages.clone());
                }
                pages
            }
        };
        Ok(bucket.iter().find(|d| d.path == path).cloned())
    }

    /// The page at `path` if its page file has been loaded already (by [`Atlas::page`]): what a
    /// view that shows beside an open page (reading progress) may read without waiting.
    pub fn loaded_page(&self, path: &str) -> Option<Doc> {
        let cache = self.page_files.lock().ok()?;
        cache
            .get(&page_file(path))?
            .iter()
            .find(|d| d.path == path)
            .cloned()
    }

    /// Every page, for the page list.
    pub async fn page_list(&self) -> Result<Arc<Vec<PageEntry>>, String> {
        if let Some(list) = self.page_list.lock().ok().and_then(|l| l.clone()) {
            return Ok(list);
        }
        let url = format!("{}{PAGE_LIST_FILE}", self.base);
        let bytes = fetch(&url).await?;
        let list: Vec<PageEntry> =
            decode_payload(PAGE_LIST_MAGIC, &bytes).map_err(|e| format!("{url}: {e}"))?;
        let list = Arc::new(list);
        if let Ok(mut l) = self.page_list.lock() {
            *l = Some(list.clone());
        }
        Ok(list)
    }
}

/// The app's side of a load round: the engine is locked only to ask and to insert, and a
/// round's files are fetched in parallel, by URL.
impl Fetch for &Atlas {
    fn engine<R>(&mut self, f: impl FnOnce(&mut Engine) -> R) -> Result<R, String> {
        Ok(f(&mut *Atlas::engine(self)?))
    }

    fn fetch(&mut self, names: &[String]) -> impl Future<Output = Vec<Result<Vec<u8>, String>>> {
        let urls: Vec<String> = names.iter().map(|f| self.url(f)).collect();
        async move { fetch_all(&urls).await }
    }

    fn place(&self, name: &str) -> String {
        self.url(name)
    }
}

/// Fetches and decodes the head at `url` (relative to the page).
pub async fn load(url: &str) -> Result<Atlas, String> {
    let bytes = fetch(url).await?;
    Atlas::from_bytes(&bytes, url).map_err(|e| format!("{url}: {e}"))
}
