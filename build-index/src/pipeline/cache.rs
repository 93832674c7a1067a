//! What a rebuild of the same docs folder can reuse (`serve --watch`): each page as read and
//! parsed, by the hash of its bytes, and each page's rendered HTML, by the hash of its body and
//! of everything else its links resolve against (the set of pages and files, the repository
//! URL), so an edit to one page re-reads and re-renders that page only.

use std::collections::HashMap;
use std::sync::Mutex;

use docatlas_core::format::fnv1a64;

use super::read::{Diags, Page};
use crate::diagnostics::Diagnostic;

/// A page as read: the hash of its bytes, the page (`None`: a binary file), its diagnostics.
type ReadPage = (u64, Option<Page>, Vec<Diagnostic>);

/// The caches; share one across the compiles of one folder ([`super::compile_with`]).
#[derive(Default)]
pub struct Cache {
    pages: Mutex<HashMap<String, ReadPage>>,
    html: Mutex<HashMap<String, (u64, String)>>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cache")
    }
}

impl Cache {
    /// The page read from `bytes` at `rel` before, with its diagnostics.
    pub(crate) fn page(&self, rel: &str, bytes: &[u8]) -> Option<(Option<Page>, Diags)> {
        let map = self.pages.lock().ok()?;
        let (hash, page, diags) = map.get(rel)?;
        (*hash == fnv1a64(bytes)).then(|| (page.clone(), Diags(diags.clone())))
    }

    /// Keeps what reading `bytes` at `rel` gave.
    pub(crate) fn store_page(&self, rel: &str, bytes: &[u8], page: &Option<Page>, diags: &Diags) {
        if let Ok(mut map) = self.pages.lock() {
            map.insert(
                rel.to_string(),
                (fnv1a64(bytes), page.clone(), diags.0.clone()),
            );
        }
    }

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
