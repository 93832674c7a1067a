//! The entity graph (`graph.bin`): fetched once, the first time a graph view or an entity card
//! needs it (never before the first search), decoded with `docatlas-core` and kept for the
//! page's lifetime. Concurrent callers share one fetch.

use std::cell::RefCell;
use std::sync::Arc;

use docatlas_core::format::GRAPH_FILE;
use docatlas_core::graph::GraphIndex;
use wasm_bindgen::JsValue;

use super::fetch::fetch;
use super::Docs;

/// The graph, or why it could not be loaded (a message for the reader).
pub type Loaded = Result<Arc<GraphIndex>, String>;

thread_local! {
    static GRAPH: RefCell<Option<Loaded>> = const { RefCell::new(None) };
    static PENDING: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// The graph if it has loaded already (so a view can render at once).
pub fn cached() -> Option<Loaded> {
    GRAPH.with(|g| g.borrow().clone())
}

/// The site's graph, fetching it on first use.
pub async fn load(atlas: &Docs) -> Loaded {
    if let Some(done) = cached() {
        return done;
    }
    let url = atlas.url(GRAPH_FILE);
    let promise = PENDING.with(|p| {
        p.borrow_mut()
            .get_or_insert_with(|| {
                wasm_bindgen_futures::future_to_promise(async move {
                    let loaded = match fetch(&url).await {
                        Ok(bytes) => GraphIndex::from_bytes(&bytes)
                            .map(Arc::new)
                            .map_err(|e| format!("{url}: {e}")),
                        Err(e) => Err(e),
                    };
                    GRAPH.with(|g| *g.borrow_mut() = Some(loaded));
                    Ok(JsValue::NULL)
                })
            })
            .clone()
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    cached().unwrap_or_else(|| Err("the entity graph did not load; reload the page".into()))
}
