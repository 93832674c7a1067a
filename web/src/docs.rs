//! A site's head as the views need it (title, page count, where the data files are) and the
//! files of its pages: each page file and the page list fetched the first time it is needed,
//! then kept while the page is open.

use std::collections::BTreeMap;
use std::future::poll_fn;
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};

use docatlas_core::files::{page_file, PageEntry, PAGE_LIST_FILE, PAGE_LIST_MAGIC, PAGE_MAGIC};
use docatlas_core::format::decode_payload;
use docatlas_core::inline::{inline_files, ELEMENT_PREFIX, SINGLE_FILE_ID};
use docatlas_core::{decode_head, Doc, Head, Site};

use wasm_bindgen::{JsCast, JsValue};

use crate::fetch::{fetch, fetch_if_present};

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
    page_list: Mutex<ListState>,
}

/// The page list as far as it is known: views that start at once (home, sidebar, a folder) ask
/// for it together, and a large site's list is hundreds of KiB: one fetch serves them all.
enum ListState {
    /// Not asked for, or the last fetch failed (the next ask fetches again).
    Unknown,
    /// Being fetched; the wakers of the views waiting for it.
    Fetching(Vec<Waker>),
    /// Fetched.
    Known(Arc<Vec<PageEntry>>),
}

impl Docs {
    /// The docs of a head fetched from `url`.
    pub fn new(head: &Head, url: &str) -> Self {
        // The data files are in the build's folder next to the head (`data/HASH/`).
        let base = format!("{}{}", folder_of(url), head.data_dir);
        Self {
            site: head.site.clone(),
            pages: head.docs,
            base,
            page_files: Mutex::new(BTreeMap::new()),
            page_list: Mutex::new(ListState::Unknown),
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
                let Some(pages) = page_bucket(&url, path).await? else {
                    return self.missing(path).await;
                };
                let pages = Arc::new(pages);
                if let Ok(mut c) = self.page_files.lock() {
                    c.insert(name, pages.clone());
                }
                pages
            }
        };
        let doc = bucket.iter().find(|d| d.path == path).cloned();
        Ok(doc.map(|mut d| {
            d.html = with_attachments(std::mem::take(&mut d.html));
            d
        }))
    }

    /// The page file meant to hold `path` is not on the server (a 404): no such page
    /// (`None`) if the page list does not have it either (or cannot be had), else a site
    /// uploaded in part, said as such, not as a page the site does not have.
    async fn missing(&self, path: &str) -> Result<Option<Doc>, String> {
        let Ok(list) = self.page_list().await else {
            return Ok(None);
        };
        if !list.iter().any(|p| p.path == path) {
            return Ok(None);
        }
        Err(missing_page_file(path))
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

    /// Every page, for the page list: fetched once, however many views ask at the same time.
    pub async fn page_list(&self) -> Result<Arc<Vec<PageEntry>>, String> {
        // Wait while another view fetches; take the fetch on when nobody does.
        let known = poll_fn(|cx| {
            let Ok(mut state) = self.page_list.lock() else {
                return Poll::Ready(None);
            };
            match &mut *state {
                ListState::Known(list) => Poll::Ready(Some(list.clone())),
                ListState::Fetching(waiting) => {
                    waiting.push(cx.waker().clone());
                    Poll::Pending
                }
                ListState::Unknown => {
                    *state = ListState::Fetching(Vec::new());
                    Poll::Ready(None)
                }
            }
        })
        .await;
        if let Some(list) = known {
            return Ok(list);
        }
        // A view dropped mid-fetch (the reader moved on) hands the fetch to a waiting one.
        let mut fetch = Fetch {
            state: &self.page_list,
            done: None,
        };
        let fetched = self.fetch_page_list().await;
        fetch.done = Some(fetched.clone());
        drop(fetch);
        fetched
    }

    /// The title and sanitised HTML of the page at `path`, without decoding whole pages
    /// ([`docatlas_core::page_html`]): what the search-first module draws for a deep link
    /// before the app has loaded. `None` when the site has no such page. The page files are in
    /// the build's folder, which only the head names: it comes from the head already loaded
    /// (fetching the head again would double the bytes before the page's text on a slow link).
    pub async fn page_html(&self, path: &str) -> Result<Option<(String, String)>, String> {
        let url = self.url(&page_file(path));
        let what = format!("the page {path}");
        let Some(bytes) = page_file_bytes(&url, &what).await? else {
            return Ok(None);
        };
        let page = docatlas_core::page_html::page_html(&bytes, path)
            .map_err(|e| format!("{what} is damaged ({e}); rebuild the site or upload it again"))?;
        Ok(page.map(|(title, html)| (title, with_attachments(html))))
    }

    async fn fetch_page_list(&self) -> Result<Arc<Vec<PageEntry>>, String> {
        let url = self.url(PAGE_LIST_FILE);
        let bytes = fetch(&url).await?;
        let list: Vec<PageEntry> =
            decode_payload(PAGE_LIST_MAGIC, &bytes).map_err(|e| format!("{url}: {e}"))?;
        Ok(Arc::new(list))
    }
}

/// The fetch of the page list under way: when it ends (or is dropped), the state says what came
/// of it and the waiting views are woken.
struct Fetch<'a> {
    state: &'a Mutex<ListState>,
    done: Option<Result<Arc<Vec<PageEntry>>, String>>,
}

impl Drop for Fetch<'_> {
    fn drop(&mut self) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        let next = match &self.done {
            Some(Ok(list)) => ListState::Known(list.clone()),
            _ => ListState::Unknown,
        };
        if let ListState::Fetching(waiting) = std::mem::replace(&mut *state, next) {
            drop(state);
            waiting.into_iter().for_each(Waker::wake);
        }
    }
}

/// A page's HTML with its attachments (`files/…`) as `data:` URLs when this is a single-file
/// page, which holds them and whose policy lets nothing be fetched: done to the text, before
/// any `<img>` exists to start a request ([`inline_files`]).
fn with_attachments(html: String) -> String {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return html;
    };
    if document.get_element_by_id(SINGLE_FILE_ID).is_none() {
        return html;
    }
    inline_files(&html, |path| {
        let file = document.get_element_by_id(&format!("{ELEMENT_PREFIX}{path}"))?;
        let kind = file.get_attribute("data-type")?;
        Some(format!("data:{kind};base64,{}", file.text_content()?))
    })
}

/// The pages of the page file at `url`, which should hold `path`; `None` when there is no such
/// file. Messages name the page: the file's name (a hash) means nothing to a reader.
async fn page_bucket(url: &str, path: &str) -> Result<Option<Vec<Doc>>, String> {
    let what = format!("the page {path}");
    let Some(bytes) = page_file_bytes(url, &what).await? else {
        return Ok(None);
    };
    decode_payload(PAGE_MAGIC, &bytes)
        .map(Some)
        .map_err(|e| format!("{what} is damaged ({e}); rebuild the site or upload it again"))
}

/// The page files one module fetched, for the other (`window.docatlasPageFiles`: the file's
/// bytes by URL): the search-first module draws a deep-linked page before the app loads, and
/// the app then shows the same page without fetching its file again. (The app is asked for
/// once the module has drawn the page, so the file is in by the time the app wants it.)
const PAGE_FILES: &str = "docatlasPageFiles";

fn page_files() -> Option<js_sys::Object> {
    let window = web_sys::window()?;
    let key = JsValue::from_str(PAGE_FILES);
    match js_sys::Reflect::get(&window, &key) {
        Ok(v) if v.is_object() => Some(v.into()),
        _ => {
            let o = js_sys::Object::new();
            js_sys::Reflect::set(&window, &key, &o).ok()?;
            Some(o)
        }
    }
}

/// The bytes of the page file at `url` (`None`: the site has no such file): the ones the other
/// module fetched, else fetched now and left for it.
async fn page_file_bytes(url: &str, what: &str) -> Result<Option<Vec<u8>>, String> {
    let files = page_files();
    let shared = files
        .as_ref()
        .and_then(|f| js_sys::Reflect::get(f, &url.into()).ok())
        .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok());
    if let Some(bytes) = shared {
        return Ok(Some(bytes.to_vec()));
    }
    let bytes = fetch_if_present(url, what).await?;
    if let (Some(f), Some(b)) = (&files, &bytes) {
        let _ = js_sys::Reflect::set(f, &url.into(), &js_sys::Uint8Array::from(b.as_slice()));
    }
    Ok(bytes)
}

/// The folder of the file at `url`, with its slash: the prefix of every other site file's URL.
fn folder_of(url: &str) -> String {
    url.rsplit_once('/')
        .map_or(String::new(), |(dir, _)| format!("{dir}/"))
}

/// A page the page list names whose page file is not on the server. The file's name (a hash of
/// the path) is left out: it means nothing to a reader, and the browser's network log has it.
fn missing_page_file(path: &str) -> String {
    format!(
        "The page {path} is in this site's page list, but its file is not on the server (HTTP \
         404 Not Found): the site was uploaded in part. Upload the whole site folder again, as \
         `build-index build` wrote it"
    )
}

#[cfg(test)]
mod tests {
    use super::missing_page_file;

    #[test]
    fn a_page_file_missing_from_the_server_is_not_called_a_page_the_site_lacks() {
        let m = missing_page_file("guide/setup.md");
        assert!(m.starts_with("The page guide/setup.md is in this site's page list, but its file is not on the server (HTTP 404 Not Found)"));
        assert!(m.contains("Upload the whole site folder"));
        // The app shows a message with "answered 404" as "Page not found"; this is not one.
        assert!(!m.contains("answered 404"));
    }
}
