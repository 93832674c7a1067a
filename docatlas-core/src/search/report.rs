//! The public JSON shape of search results: `build-index search --json` prints it, and the
//! app's `search_json` builds the same object.

use serde::Serialize;

use super::SearchResults;

/// The public JSON shape of search results: users' scripts parse it, so fields are only ever
/// added.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The query as given.
    pub query: String,
    /// How many pages matched.
    pub total: usize,
    /// Best first.
    pub hits: Vec<ReportHit>,
    /// Sentences about how the query was read (words left out of a very long query); left
    /// out of the JSON when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
}

/// One hit in a [`Report`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportHit {
    /// Docs-relative path of the page.
    pub doc: String,
    /// Heading id of the section, or `None` for the text before the first heading.
    pub anchor: Option<String>,
    /// Page title.
    pub title: String,
    /// Relevance, rounded to 3 decimals; only comparable within one query.
    pub score: f64,
    /// Plain-text passage around the matched words.
    pub snippet: String,
}

impl SearchResults {
    /// The results in their public JSON shape.
    pub fn report(&self) -> Report {
        Report {
            query: self.query.clone(),
            total: self.total,
            hits: self
                .hits
                .iter()
                .map(|h| ReportHit {
                    doc: h.path.clone(),
                    anchor: h.anchor.clone(),
                    title: h.title.clone(),
                    score: (f64::from(h.score) * 1000.0).round() / 1000.0,
                    snippet: h.snippet.text.clone(),
                })
                .collect(),
            notices: self.notices.clone(),
        }
    }
}
