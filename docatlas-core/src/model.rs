//! The documents a bundle carries: pages with their sections, tasks and facets, and site settings.

use serde::{Deserialize, Serialize};

/// Who a build is for. A public build leaves internal pages out entirely.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Audience {
    /// Customer-safe: pages under `internal/` or with `audience: internal` are not in the bundle.
    #[default]
    Public,
    /// Everything, with internal pages marked so the app can show a banner.
    Internal,
}

/// Settings that apply to the whole site.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Site {
    /// Shown in the app's header and the page title.
    pub title: String,
    /// Which audience this bundle was built for.
    pub audience: Audience,
}

/// One Markdown page of the portal.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Doc {
    /// Path relative to the docs root, with `/` separators (`runbooks/db-load.md`).
    pub path: String,
    /// Front matter `title`, else the first H1, else the file name.
    pub title: String,
    /// Front matter `description`, else the first paragraph, shortened.
    pub summary: String,
    /// Front matter `kind` (`runbook`, `adr`, ...), or inferred from the folder.
    pub kind: Option<String>,
    /// Language code from front matter `lang` or the path (`de/...`), if known.
    pub lang: Option<String>,
    /// True for pages under `internal/` or with `audience: internal` (only in internal builds).
    pub internal: bool,
    /// Estimated reading time in whole minutes (at least 1).
    pub read_minutes: u32,
    /// Front matter `tags`.
    pub tags: Vec<String>,
    /// Other front matter keys, flattened to strings, sorted by key.
    pub facets: Vec<Facet>,
    /// The page split at its headings; section 0 is the text before the first heading.
    pub sections: Vec<Section>,
    /// Task-list items (`- [ ]`, `- [x]`) in page order.
    pub tasks: Vec<Task>,
    /// Sanitised HTML of the page body, with internal links rewritten to app routes.
    pub html: String,
}

impl Doc {
    /// The folder part of [`Doc::path`] (`""` for pages at the root).
    pub fn folder(&self) -> &str {
        self.path.rsplit_once('/').map_or("", |(dir, _)| dir)
    }
}

/// The app's hash route to a page: `#/doc/<path>[?q=<query>][#<anchor>]`. build-index writes
/// it into rendered links and the app parses it, so it is defined here, once.
pub fn doc_href(path: &str, query: Option<&str>, anchor: Option<&str>) -> String {
    use crate::text::percent_encode;
    let mut h = format!("#/doc/{}", percent_encode(path));
    if let Some(q) = query {
        h.push_str("?q=");
        h.push_str(&percent_encode(q));
    }
    if let Some(a) = anchor {
        h.push('#');
        h.push_str(&percent_encode(a));
    }
    h
}

/// A front matter key and its value, kept for filtering even when docatlas has no use for it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Facet {
    /// The front matter key.
    pub key: String,
    /// The value, flattened to a string (lists joined with `, `).
    pub value: String,
}

/// A heading and the plain text under it, up to the next heading of any level.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Section {
    /// The heading's anchor id; `None` for the lead section before the first heading.
    pub anchor: Option<String>,
    /// The heading text (the page title for the lead section).
    pub heading: String,
    /// Heading level 1-6; 0 for the lead section.
    pub level: u8,
    /// Plain text of the section body, used for search and snippets.
    pub text: String,
    /// Text of code blocks in the section, indexed with a lower weight.
    pub code: String,
    /// Entities this section defines: the first-column names of its catalog tables (services,
    /// features, tables, events...). A search for exactly such a name ranks this section first.
    pub defines: Vec<String>,
    /// [`crate::tracks::section_hash`] of heading, text and code: what tells a reader which
    /// sections changed since they read the page.
    pub hash: u32,
}

/// A task-list item.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// The item's text.
    pub text: String,
    /// Whether the source marks it done (`- [x]`).
    pub done: bool,
    /// Anchor of the heading the item sits under, if any.
    pub anchor: Option<String>,
}
