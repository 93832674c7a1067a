//! The page's search engine: the site's head and every search file loaded so far, in one
//! [`Engine`] that the search box, the JS API and the full app all ask. Only this crate has it:
//! the app asks it through the bridge (`docatlas_web::bridge`), so "the app calls
//! `Atlas::search`" does not compile.

use std::future::Future;
use std::sync::{Mutex, MutexGuard};

use docatlas_core::query::{self, Query};
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

    /// Other forms of `query` that find pages, for a query that found none: each with what it
    /// changed and its number of pages, at most one search per form (see [`relaxed_forms`]).
    pub async fn suggestions(&self, query: &str) -> Vec<(String, &'static str, usize)> {
        let parsed = match self.engine() {
            Ok(e) => query::parse(query, &|k| e.head().is_filter_key(k)),
            Err(_) => return Vec::new(),
        };
        let mut out = Vec::new();
        for (form, what) in relaxed_forms(&parsed, query) {
            if let Ok(r) = self.search(&form, SearchOptions::hits(1)).await {
                if r.total > 0 {
                    out.push((form, what, r.total));
                }
            }
        }
        out
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

/// The forms of a query that found nothing worth trying, each with what it changed: its
/// phrases as loose words (each word then also forgives a typo), its words joined by `OR`, and
/// its words without its filters and exclusions. None equals the query itself.
pub fn relaxed_forms(q: &Query, query: &str) -> Vec<(String, &'static str)> {
    let words: Vec<&str> = q
        .groups
        .iter()
        .flatten()
        .flat_map(|a| a.words.iter().map(String::as_str))
        .collect();
    let filters: Vec<String> = q
        .filters
        .iter()
        .filter(|f| !f.negated)
        .filter_map(|f| query::filter_token(&f.key, &f.value))
        .collect();
    let with_filters = |text: String| {
        let mut all = vec![text];
        all.extend(filters.iter().cloned());
        all.join(" ")
    };
    let mut forms: Vec<(String, &'static str)> = Vec::new();
    if q.groups.iter().flatten().any(|a| a.phrase) {
        forms.push((
            with_filters(words.join(" ")),
            "the words anywhere, not as a phrase",
        ));
    }
    if words.len() >= 2 {
        forms.push((with_filters(words.join(" OR ")), "any of the words"));
    }
    if !words.is_empty() && (!q.filters.is_empty() || !q.excludes.is_empty()) {
        forms.push((words.join(" "), "without the filters"));
    }
    let mut seen = vec![query.trim().to_string()];
    forms.retain(|(f, _)| {
        let new = !seen.contains(f);
        seen.push(f.clone());
        new
    });
    forms
}

/// Fetches and decodes the head at `url` (relative to the page), with its bytes
/// (decompressed), which the app decodes too instead of fetching the head again.
pub async fn load(url: &str) -> Result<(Atlas, Vec<u8>), String> {
    let bytes = fetch(url).await?;
    let atlas = Atlas::from_bytes(&bytes, url)?;
    Ok((atlas, bytes))
}

#[cfg(test)]
mod tests {
    use super::relaxed_forms;
    use docatlas_core::query::parse;

    fn forms(q: &str) -> Vec<String> {
        relaxed_forms(&parse(q, &|k| k == "kind"), q)
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    }

    #[test]
    fn a_query_that_found_nothing_is_tried_looser() {
        assert_eq!(
            forms("\"refund gateway\" kind:runbook"),
            [
                "refund gateway kind:runbook",
                "refund OR gateway kind:runbook",
                "refund gateway"
            ]
        );
        assert_eq!(forms("ledger -stripe"), ["ledger"]);
        assert_eq!(forms("qqqxxx"), Vec::<String>::new());
        assert_eq!(forms("alpha beta"), ["alpha OR beta"]);
    }
}
