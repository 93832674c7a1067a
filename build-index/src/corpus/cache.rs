//! What a rebuild of the same docs folder can reuse (`serve --watch`): each page as read and
//! parsed, by the hash of its bytes, and each page's rendered HTML, by the hash of its body and
//! of everything else its links resolve against (the set of pages and files, the repository
//! URL), so an edit to one page re-reads and re-renders that page only.

use std::collections::HashMap;
use std::sync::Mutex;

use docatlas_core::format::fnv1a64;

use super::read::PageCache;

/// The caches; share one across the compiles of one folder ([`crate::compile_with`]).
#[derive(Default)]
pub struct Cache {
    /// The pages as read, for [`super::read::read_pages`].
    pub(crate) pages: PageCache,
    html: Mutex<HashMap<String, (u64, String)>>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cache")
    }
}

impl Cache {
    /// The key of a page's HTML: its body and the `context` its links resolve in.
    pub(crate) fn html_key(body: &str, context: u64) -> u64 {
        fnv1a64(body.as_bytes()) ^ context.rotate_left(17)
    }

    /// The HTML rendered for `path` under `key` before.
    pub(crate) fn html(&self, path: &str, key: u64) -> Option<String> {
        let map = self.html.lock().ok()?;
        map.get(path)
            .filter(|(k, _)| *k == key)
            .map(|(_, h)| h.clone())
    }

    /// Keeps a page's HTML.
    pub(crate) fn store_html(&self, path: &str, key: u64, html: &str) {
        if let Ok(mut map) = self.html.lock() {
            map.insert(path.to_string(), (key, html.to_string()));
        }
    }
}
