//! A site's head as the views need it (title, page count, where the data files are) and the
//! files of its pages: each page file and the page list fetched the first time it is needed,
//! then kept while the page is open.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use docatlas_core::files::{page_file, PageEntry, PAGE_LIST_FILE, PAGE_LIST_MAGIC, PAGE_MAGIC};
use docatlas_core::format::decode_payload;
use docatlas_core::{decode_head, Doc, Head, Site};

use crate::fetch::{fetch, fetch_file, FetchError};

/// The loaded head of a site, and its pages as far as they have been fetched.
pub struct Docs {
    /// Site settings.
    pub site: Site,
    /// Number of pages.
    pub pages: u32,
    /// URL prefix of the data files: the head's URL without its file name.
    base: String,
    /// Page files loaded so far, by file name.
    page_files: Mutex<BTreeMap<String, Arc<Vec<Doc>>>>,
    page_list: Mutex<Option<Arc<Vec<PageEntry>>>>,
}

impl Docs {
    /// The docs of a head fetched from `url`.
    pub fn new(head: &Head, url: &str) -> Self {
        let base = url
            .rsplit_once('/')
            .map_or(String::new(), |(dir, _)| format!("{dir}/"));
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

    /// The URL of a site file (`tracks.bin`, `page/…`), relative to the bundle's folder.
    pub fn url(&self, file: &str) -> String {
        format!("{}{file}", self.base)
    }

    /// The page at `path` with its HTML: `None` when the site has no such page (its page file
    /// does not hold it, or is not on the server and the page list does not name it either).
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
                let bytes = match fetch_file(&url).await {
                    Ok(b) => b,
                    Err(e) if e.status == Some(404) => return self.missing(path, &url, e).await,
                    Err(e) => return Err(e.message),
                };
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

    /// The page file `url` meant to hold `path` is not on the server (`e`, a 404): no such page
    /// (`None`) if the page list does not have it either, else a site uploaded in part, said
    /// as such, not as a page the site does not have.
    async fn missing(&self, path: &str, url: &str, e: FetchError) -> Result<Option<Doc>, String> {
        let Ok(list) = self.page_list().await else {
            return Err(e.message);
        };
        if !list.iter().any(|p| p.path == path) {
            return Ok(None);
        }
        Err(missing_page_file(path, url))
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

/// A page the page list names whose page file is not on the server.
fn missing_page_file(path: &str, url: &str) -> String {
    format!(
        "The page {path} is in this site's page list, but its page file {url} is not on the \
         server (HTTP 404 Not Found): the site was uploaded in part. Upload the whole site folder \
         again, as `build-index build` wrote it"
    )
}

#[cfg(test)]
mod tests {
    use super::missing_page_file;

    #[test]
    fn a_page_file_missing_from_the_server_is_not_called_a_page_the_site_lacks() {
        let m = missing_page_file("guide/setup.md", "page/00a1.bin");
        assert!(m.starts_with("The page guide/setup.md is in this site's page list, but its page file page/00a1.bin is not on the server (HTTP 404 Not Found)"));
        assert!(m.contains("Upload the whole site folder"));
        // The app shows a message with "answered 404" as "Page not found"; this is not one.
        assert!(!m.contains("answered 404"));
    }
}
