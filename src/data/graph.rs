//! The entity graph (`graph.bin`): fetched once, the first time a graph view or an entity card
//! needs it (never before the first search), decoded with `docatlas-core` and kept for the
//! page's lifetime. One [`Graph`] per app, in context: every view reads the same resource.

use std::sync::Arc;

use docatlas_core::format::GRAPH_FILE;
use docatlas_core::graph::GraphIndex;
use leptos::prelude::*;

use super::Docs;
use docatlas_web::fetch::fetch;

/// The graph, or why it could not be loaded (a message for the reader).
pub type Loaded = Result<Arc<GraphIndex>, String>;

/// The site's graph, loaded on first use.
#[derive(Clone, Copy)]
pub struct Graph {
    /// The docs whose graph to load: `None` until a view asks for it.
    wanted: RwSignal<Option<Arc<Docs>>>,
    /// `None` (as a value) until wanted, then the graph or why it could not load.
    loaded: LocalResource<Option<Loaded>>,
    /// Set by an impact view re-centred from the keyboard: the next view focuses its centre,
    /// so the reader's focus does not drop to the page when the drawing is replaced.
    pub refocus: StoredValue<bool>,
}

impl Graph {
    /// No graph yet: nothing is fetched until [`Graph::want`] is called.
    pub fn new() -> Self {
        let wanted = RwSignal::new(None::<Arc<Docs>>);
        let loaded = LocalResource::new(move || {
            let docs = wanted.get();
            async move {
                let docs = docs?;
                let url = docs.url(GRAPH_FILE);
                Some(match fetch(&url).await {
                    Ok(bytes) => GraphIndex::from_bytes(&bytes)
                        .map(Arc::new)
                        .map_err(|e| format!("{url}: {e}")),
                    Err(e) => Err(e),
                })
            }
        });
        Self {
            wanted,
            loaded,
            refocus: StoredValue::new(false),
        }
    }

    /// Starts fetching the graph of `docs`, once: a view that shows the graph calls it when it
    /// is created, before it reads [`Graph::get`].
    pub fn want(self, docs: &Arc<Docs>) {
        if self.wanted.with_untracked(Option::is_none) {
            self.wanted.set(Some(docs.clone()));
        }
    }

    /// The graph (tracked; read under a `Suspense`, which waits for it): `None` while it loads
    /// or before [`Graph::want`].
    pub fn get(self) -> Option<Loaded> {
        self.loaded.get().flatten()
    }
}

impl Default for Graph {
    fn default() -> Self {
        Self::new()
    }
}
