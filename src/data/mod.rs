//! Loading the bundle and page chunks: the one place the app does IO.
//!
//! [`fetch`] is the transport (HTTP, and the errors a reader sees); this module and its siblings
//! decode what it brings with `docatlas-core` and cache it while the page is open.

pub mod fetch;
pub mod graph;

use self::fetch::fetch;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use docatlas_core::{ChunkRef, Doc, SearchIndex, Site};

/// A decoded bundle head, ready for the pages to use; page HTML arrives on demand.
pub struct Atlas {
    /// Site settings.
    pub site: Site,
    /// The pages, sorted by path (their `html` is empty: see [`Atlas::page_html`]).
    pub docs: Vec<Doc>,
    /// The search index over `docs`.
    pub index: SearchIndex,
    chunks: Vec<ChunkRef>,
    /// URL prefix of the chunk files: the bundle URL without its file name.
    base: String,
    /// HTML of the pages loaded so far, by page index.
    html: Mutex<HashMap<usize, Arc<str>>>,
}

impl Atlas {
    /// Decodes a bundle head fetched from `url`; the error names the problem for the reader.
    pub fn from_bytes(bytes: &[u8], url: &str) -> Result<Self, String> {
        let bundle = docatlas_core::decode(bytes).map_err(|e| e.to_string())?;
        let docs = bundle.docs;
        let index =
            SearchIndex::new(bundle.index, &docs).map_err(|e| format!("bundle is corrupt: {e}"))?;
        let base = url
            .rsplit_once('/')
            .map_or(String::new(), |(dir, _)| format!("{dir}/"));
        Ok(Self {
            site: bundle.site,
            docs,
            index,
            chunks: bundle.chunks,
            base,
            html: Mutex::new(HashMap::new()),
        })
    }

    /// The URL of another file of the site (`graph.bin`), relative to the bundle's folder.
    pub fn url(&self, file: &str) -> String {
        format!("{}{file}", self.base)
    }

    /// The index of the page at `path`, if this build has it.
    pub fn doc_index(&self, path: &str) -> Option<usize> {
        self.docs
            .binary_search_by(|d| d.path.as_str().cmp(path))
            .ok()
    }

    /// The page's HTML if it has been loaded already.
    pub fn cached_html(&self, doc: usize) -> Option<Arc<str>> {
        self.html.lock().ok()?.get(&doc).cloned()
    }

    /// The page's sanitised HTML, fetching the chunk that holds it (and keeping its neighbours).
    pub async fn page_html(&self, doc: usize) -> Result<Arc<str>, String> {
        if let Some(h) = self.cached_html(doc) {
            return Ok(h);
        }
        let chunk = docatlas_core::format::chunk_of(&self.chunks, doc).ok_or_else(|| {
            format!("the bundle lists no page chunk for page {doc}; rebuild the site")
        })?;
        let url = format!("{}{}", self.base, chunk.file);
        let bytes = fetch(&url).await?;
        let decoded = docatlas_core::decode_chunk(&bytes).map_err(|e| format!("{url}: {e}"))?;
        let mut cache = self
            .html
            .lock()
            .map_err(|_| "page cache poisoned".to_string())?;
        for (i, html) in decoded.html.into_iter().enumerate() {
            cache.insert(decoded.first as usize + i, Arc::from(html));
        }
        cache
            .get(&doc)
            .cloned()
            .ok_or_else(|| format!("{url} does not hold page {doc}; rebuild the site"))
    }
}

/// Where loading stands.
#[derive(Clone)]
pub enum Load {
    /// Fetching or decoding.
    Loading,
    /// Ready to use.
    Ready(Arc<Atlas>),
    /// Failed, with a message for the reader.
    Failed(String),
}

/// Fetches and decodes the bundle head at `url` (relative to the page).
pub async fn load(url: &str) -> Result<Atlas, String> {
    let bytes = fetch(url).await?;
    Atlas::from_bytes(&bytes, url).map_err(|e| format!("{url}: {e}"))
}
