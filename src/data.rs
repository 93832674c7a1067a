//! Loading the bundle: the one place the app does IO.

use docatlas_core::{Doc, SearchIndex, Site};

/// A decoded bundle, ready for the pages to use.
pub struct Atlas {
    /// Site settings.
    pub site: Site,
    /// The pages, sorted by path.
    pub docs: Vec<Doc>,
    /// The search index over `docs`.
    pub index: SearchIndex,
}

impl Atlas {
    /// Decodes bundle bytes; the error names the problem for the reader.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let bundle = docatlas_core::decode(bytes).map_err(|e| e.to_string())?;
        let docs = bundle.docs;
        let index =
            SearchIndex::new(bundle.index, &docs).map_err(|e| format!("bundle is corrupt: {e}"))?;
        Ok(Self {
            site: bundle.site,
            docs,
            index,
        })
    }

    /// The page at `path`, if this build has it.
    pub fn doc(&self, path: &str) -> Option<&Doc> {
        self.docs
            .binary_search_by(|d| d.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.docs[i])
    }
}

/// Where loading stands.
#[derive(Clone)]
pub enum Load {
    /// Fetching or decoding.
    Loading,
    /// Ready to use.
    Ready(std::sync::Arc<Atlas>),
    /// Failed, with a message for the reader.
    Failed(String),
}

/// Fetches and decodes the bundle at `url` (relative to the page).
pub async fn load(url: &str) -> Result<Atlas, String> {
    let from_file = web_sys::window()
        .and_then(|w| w.location().protocol().ok())
        .is_some_and(|p| p == "file:");
    let resp = gloo_net::http::Request::get(url).send().await.map_err(|e| {
        if from_file {
            format!(
                "could not fetch {url}: browsers do not let a page opened from file:// read its data files. \
                 Serve the folder instead (`build-index serve SITE`, or any static web server)"
            )
        } else {
            format!("could not fetch {url}: {e}")
        }
    })?;
    if !resp.ok() {
        return Err(format!(
            "could not fetch {url}: the server answered {} {}",
            resp.status(),
            resp.status_text()
        ));
    }
    let bytes = resp
        .binary()
        .await
        .map_err(|e| format!("could not read {url}: {e}"))?;
    Atlas::from_bytes(&bytes).map_err(|e| format!("{url}: {e}"))
}
