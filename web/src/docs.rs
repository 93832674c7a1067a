//! A site's head as the views need it (title, page count, where the data files are) and the
//! files of its pages: each page file and the page list fetched the first time it is needed,
//! then kept while the page is open.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use docatlas_core::files::{page_file, PageEntry, PAGE_LIST_FILE, PAGE_LIST_MAGIC, PAGE_MAGIC};
use docatlas_core::format::decode_payload;
use docatlas_core::{decode_head, Doc, Head, Site};

use crate::fetch::fetch;

/// The loaded head of a site, and its pages as far as they have been fetched.
pub struct Docs {
    /// Site settings.
    pub site: Site,
    /// Number of pages.
    pub pages: u32,
    /// URL prefix of the data files: the head's URL without its file name, and the build's folder.
    base: String,
    /// Page files loaded so far, by file name.
    page_files: Mutex<BTreeMap<String, Arc<Vec<Doc>>>>,
    page_list: Mutex<Option<Arc<Vec<PageEntry>>>>,
}

impl Docs {
    /// The docs of a head fetched from `url`.
    pub fn new(head: &Head, url: &str) -> Self {
        // The data files are in the build's folder next to the head (`data/HASH/`).
        let base = url
            .rsplit_once('/')
            .map_or(String::new(), |(dir, _)| format!("{dir}/"));
        let base = format!("{base}{}", head.data_dir);
        Self {
            site: head.site.clone(),
            pages: head.docs,
            base,
            page_files: Mutex::new(BTreeMap::new()),
            page_list: Mutex::new(None),
        }
    }

    /// Decodes a head fetched from `url`; the error names the file and the problem.
    pub fn from_bytes(bytes: &[u8], url: &str) -> Result<Self, String> {
        let head = decode_head(bytes).map_err(|e| format!("{url}: {e}"))?;
        Ok(Self::new(&head, url))
    }

    /// The URL of a data file (`tracks.bin`, `page/…`): in the build's folder beside the head.
    pub fn url(&self, file: &str) -> String {
        format!("{}{file}", self.base)
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
                let url = self.url(&name);
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

    /// The page at `path` if its page file has been loaded already (by [`Docs::page`]): what a
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
        let url = self.url(PAGE_LIST_FILE);
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
