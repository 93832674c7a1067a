//! What a rebuild of the same docs folder can reuse (`serve --watch`): each page as read and
//! parsed, by the hash of its bytes, and each page's rendered HTML, by the hash of its body and
//! of everything else its links resolve against (the set of pages and files, the repository
//! URL), and each page's counted search terms, by the hash of what the index reads of it, so an
//! edit to one page re-reads, re-renders and re-tokenizes that page only.

use std::collections::HashMap;
use std::sync::Mutex;

use docatlas_core::format::fnv1a64;
use docatlas_core::index::{doc_terms, DocTerms};
use docatlas_core::Doc;

use super::read::PageCache;

/// The caches; share one across the compiles of one folder ([`crate::compile_with`]).
#[derive(Default)]
pub struct Cache {
    /// The pages as read, for [`super::read::read_pages`].
    pub(crate) pages: PageCache,
    html: Mutex<HashMap<String, (u64, String)>>,
    terms: Mutex<HashMap<String, (u64, DocTerms)>>,
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

    /// `doc`'s counted terms ([`doc_terms`]), counted again only when what the index reads of
    /// it (title, headings, text, code) changed since the last compile.
    pub(crate) fn terms(&self, doc: &Doc) -> DocTerms {
        let key = terms_key(doc);
        let hit = self.terms.lock().ok().and_then(|map| {
            map.get(&doc.path)
                .filter(|(k, _)| *k == key)
                .map(|(_, t)| t.clone())
        });
        hit.unwrap_or_else(|| {
            let terms = doc_terms(doc);
            if let Ok(mut map) = self.terms.lock() {
                map.insert(doc.path.clone(), (key, terms.clone()));
            }
            terms
        })
    }
}

/// A hash of every field [`doc_terms`] reads, each ended by a byte no UTF-8 text holds.
fn terms_key(doc: &Doc) -> u64 {
    let mut h = Vec::with_capacity(doc.title.len().saturating_add(64));
    let mut field = |s: &str| {
        h.extend_from_slice(s.as_bytes());
        h.push(0xff);
    };
    field(&doc.title);
    for s in &doc.sections {
        field(if s.anchor.is_some() { "#" } else { "" });
        field(&s.heading);
        field(&s.text);
        field(&s.code);
    }
    fnv1a64(&h)
}
