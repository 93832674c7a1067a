//! What `build-index tracks SITE` prints: the JSON contract (`--json`) and a listing for people.

use std::fmt::Write as _;

use docatlas_core::tracks::{Source, TrackSet};
use serde::Serialize;

/// `{"tracks": [...], "checklists": [...]}`: the tracks in order, then every checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The tracks, in the order the app shows them.
    pub tracks: Vec<TrackReport>,
    /// Every checklist, in page order.
    pub checklists: Vec<ChecklistReport>,
}

/// `{"id", "title", "items"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackReport {
    /// Stable track id (`#/tracks/<id>` in the app).
    pub id: String,
    /// The track's title.
    pub title: String,
    /// Its pages, in reading order.
    pub items: Vec<ItemReport>,
}

/// `{"id", "doc", "title", "minutes"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemReport {
    /// Stable item id.
    pub id: String,
    /// The page, relative to the docs root.
    pub doc: String,
    /// The title the track gives the page.
    pub title: String,
    /// Reading time in minutes.
    pub minutes: u32,
}

/// `{"id", "title", "doc", "items"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistReport {
    /// Stable checklist id.
    pub id: String,
    /// The heading the items sit under.
    pub title: String,
    /// The page holding it, relative to the docs root.
    pub doc: String,
    /// Its entries, in page order.
    pub items: Vec<EntryReport>,
}

/// `{"id", "text"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryReport {
    /// Stable entry id (what a reader's tick is saved under).
    pub id: String,
    /// The entry's text.
    pub text: String,
}

/// The JSON shape of a site's tracks.
pub fn report(set: &TrackSet) -> Report {
    let path = |page: u32| set.page(page).map(|p| p.path.clone()).unwrap_or_default();
    Report {
        tracks: set
            .tracks
            .iter()
            .map(|t| TrackReport {
                id: t.id.clone(),
                title: t.title.clone(),
                items: t
                    .items
                    .iter()
                    .map(|i| ItemReport {
                        id: i.id.clone(),
                        doc: path(i.page),
                        title: i.title.clone(),
                        minutes: set.page(i.page).map_or(0, |p| p.minutes),
                    })
                    .collect(),
            })
            .collect(),
        checklists: set
            .checklists
            .iter()
            .map(|c| ChecklistReport {
                id: c.id.clone(),
                title: c.title.clone(),
                doc: path(c.page),
                items: c
                    .items
                    .iter()
                    .map(|e| EntryReport {
                        id: e.id.clone(),
                        text: e.text.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// A listing for people: each track with its pages, minutes and ids, then the checklists.
pub fn human(set: &TrackSet) -> String {
    let mut out = String::new();
    for t in &set.tracks {
        let minutes: u32 = t
            .items
            .iter()
            .filter_map(|i| set.page(i.page))
            .fold(0u32, |sum, p| sum.saturating_add(p.minutes));
        let from = match t.source {
            Source::Default => t.source.describe().to_string(),
            s => format!("{} in {}", s.describe(), t.origin),
        };
        let pages = if t.items.len() == 1 { "page" } else { "pages" };
        let _ = writeln!(
            out,
            "{}\n  #/tracks/{} · {} {pages}, {} min · {from}",
            t.title,
            t.id,
            t.items.len(),
            minutes
        );
        for (n, i) in t.items.iter().enumerate() {
            let page = set.page(i.page);
            let _ = writeln!(
                out,
                "  {:>3}. {}{} ({} min)  {}",
                n.saturating_add(1),
                "  ".repeat(usize::from(i.depth)),
                i.title,
                page.map_or(0, |p| p.minutes),
                page.map_or("", |p| p.path.as_str()),
            );
        }
        out.push('\n');
    }
    if !set.checklists.is_empty() {
        out.push_str("Checklists\n");
    }
    for c in &set.checklists {
        let page = set.page(c.page).map_or("", |p| p.path.as_str());
        let at = c
            .anchor
            .as_deref()
            .map(|a| format!("#{a}"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {} ({page}{at})", c.title);
        for e in &c.items {
            let _ = writeln!(out, "    [{}] {}", if e.done { "x" } else { " " }, e.text);
        }
    }
    out
}
