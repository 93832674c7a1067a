//! Query evaluation: BM25F over sections, exact > stemmed > prefix > typo, one hit per page,
//! over a site's data files that arrive on demand.
//!
//! The browser app and `build-index search` both drive an [`Engine`]: it holds the head and
//! every data file loaded so far, and [`Engine::search`] either answers or names the files it
//! still needs ([`Step::Need`]). The caller fetches them (all at once: the browser in
//! parallel), hands them to [`Engine::insert`] and asks again; nothing here does IO or knows
//! where the files came from. Each round picks up where the files allow: term shards for the
//! query's words, then typo dictionaries, long postings lists, and the text of the sections to
//! show or to check a phrase in.
//!
//! Work is proportional to the postings the query touches: scores are accumulated in sorted
//! vectors of the (page, section) pairs the postings name, never in per-corpus arrays, and
//! merged (postings are stored in section order), never sorted.
//!
//! The modules are layers, each using only those below it (the `layers` test in build-index
//! fails on an import circle):
//!
//! | layer | modules |
//! |---|---|
//! | the engine | `engine`: [`Engine`], its files and caches, the questions asked of it |
//! | one evaluation | `eval`: a query's phases, each ending the round when files are missing |
//! | scoring and ranking | `accumulate` (postings into section scores), `top` (the best pages) |
//! | conditions | `conditions`: phrases, exclusions, `title:` filters |
//! | term matching | `words`: words as typed, stems, prefixes, typos (`typo`) |
//! | the loaded data | `loaded` (decoded files, dictionary entries, the reader), `cache` |
//! | arithmetic | `scores` (sorted score vectors, top-k), `page_set` |
//! | leaves | `filter`, `phrase`, `snippet`, `report` |
//!
//! A block-max evaluator (one that skips postings which cannot reach the top `k`) replaces the
//! scoring and ranking layer; term matching below and the evaluation's phases above stay.

mod accumulate;
mod cache;
mod conditions;
mod engine;
mod eval;
mod filter;
mod loaded;
mod page_set;
mod phrase;
mod report;
mod scores;
mod snippet;
mod top;
mod typo;
mod words;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use self::engine::{drive, Engine, Fetch};
pub use self::filter::FacetCount;
pub use self::phrase::has_phrase;
pub use self::report::{Report, ReportHit};
pub use self::snippet::{snippet, Matched, Snippet};

/// How much a stem match counts, relative to the word as typed.
const STEM_FACTOR: f32 = 0.7;
/// How much a prefix expansion of the last word counts.
const PREFIX_FACTOR: f32 = 0.5;
/// How much a one-typo correction counts (two typos count [`TYPO_FACTOR`] squared).
const TYPO_FACTOR: f32 = 0.35;
/// Prefix expansions and typo corrections considered per word.
const MAX_EXPANSIONS: usize = 40;
/// Added to the section that defines an entity (a catalog row) when the query is its name.
const DEFINITION_BONUS: f32 = 8.0;
/// Added to a section whose heading (or a page whose title) is the query, words folded: above
/// [`DEFINITION_BONUS`], so the page about a thing ranks above the catalog row naming it.
const HEADING_BONUS: f32 = 12.0;
/// At most this many words and filters of a query are used, in the order typed: a
/// pasted wall of text (thousands of words) would otherwise cost seconds, and beyond a few
/// dozen words more of them no longer changes which pages rank first. [`SearchResults`] says
/// when words were left out.
const MAX_QUERY_TERMS: usize = 64;
/// A quoted phrase (or an excluded one) is checked against at most this many candidate
/// sections, best first; candidates beyond are dropped (or, for exclusions, kept).
const PHRASE_CHECKS: usize = 50;

/// What a search needs from its caller: the answer, or the files to load first.
#[derive(Debug, Clone, PartialEq)]
pub enum Step<T> {
    /// The answer.
    Ready(T),
    /// Load these files (site-relative names), [`Engine::insert`] them, and ask again.
    Need(Vec<String>),
}

/// What to compute besides the hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchOptions {
    /// At most this many hits (with snippets).
    pub limit: usize,
    /// Count facet values over all matching pages (needs the facet table).
    pub facets: bool,
}

impl SearchOptions {
    /// `limit` hits, no facet counts: what `build-index search` and `search_json` answer.
    pub fn hits(limit: usize) -> Self {
        Self {
            limit,
            facets: false,
        }
    }
}

/// The answer to one query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// How many pages matched (hits may be fewer, cut at the limit). Phrases are checked
    /// against the best 50 candidate sections only, so with a phrase this counts the pages
    /// among those.
    pub total: usize,
    /// Best pages first.
    pub hits: Vec<Hit>,
    /// Query words that matched only through typo correction, with what they matched.
    pub corrected: Vec<(String, String)>,
    /// What counts as a match, for highlighting snippets and pages.
    pub matched: Matched,
    /// Facet values among all matching pages, with counts (when asked for), most useful first
    /// (see [`crate::files::FacetField::rank`]).
    pub facets: Vec<FacetCount>,
    /// Things the reader should know about how the query was read (words left out of a very
    /// long query), as sentences to show beside the results.
    pub notices: Vec<String>,
}

/// One page that matched, at its best section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Index of the page (pages are sorted by path).
    pub doc: u32,
    /// Index of the section in the page.
    pub section: u32,
    /// Docs-relative path of the page.
    pub path: String,
    /// Page title.
    pub title: String,
    /// The section's heading id; `None` for the text before the first heading.
    pub anchor: Option<String>,
    /// The section's heading.
    pub heading: String,
    /// Relevance; only comparable within one query.
    pub score: f32,
    /// A short passage of the section around the matched words.
    pub snippet: Snippet,
}
