//! Reading tracks and checklists, extracted from the docs into `tracks.bin`.
//!
//! Each source of reading order has its own module and gives [`Draft`] tracks of page paths:
//! "Reading order" sections ([`reading_order`]), mdBook `SUMMARY.md` ([`mdbook`]), MkDocs
//! `mkdocs.yml` `nav:` ([`mkdocs`]), Docusaurus `sidebars.js` ([`sidebars`]), and folders
//! ordered by Docusaurus `_category_.json`, front matter `order` / `sidebar_position` /
//! `weight` or numeric file prefixes ([`folders`], which also makes the default track when nothing orders the pages). [`extract`] numbers the pages,
//! gives every track, item and checklist entry its stable id, and notes pages in no track.

mod checklists;
mod folders;
mod mdbook;
mod mkdocs;
mod reading_order;
pub mod report;
mod sidebars;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use docatlas_core::tracks::{self as core, Item, Source, Track, TrackPage, TrackSet};
use docatlas_core::Doc;

use crate::corpus::diagnostics::Severity;
use crate::corpus::links::Resolved;
use crate::corpus::read::{Diags, Files};
use crate::corpus::Corpus;

/// A track as a source finds it: page paths in order, before pages are numbered and ids given.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Draft {
    pub title: String,
    pub source: Source,
    /// The file or folder that defines the track, docs-relative.
    pub origin: String,
    pub items: Vec<DraftItem>,
}

/// One page of a [`Draft`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DraftItem {
    /// A page of the build (a key of `Corpus::all`).
    pub path: String,
    /// The title the source gives it (an mdBook chapter name, an MkDocs nav title).
    pub title: Option<String>,
    pub depth: u8,
    pub note: String,
}

/// What the sources read besides the pages.
pub(crate) struct Inputs<'a> {
    pub corpus: &'a Corpus<'a>,
    /// The docs folder, for `mkdocs.yml`, `_category_.json` and `book.toml`.
    pub root: &'a Path,
    pub files: &'a Files,
    /// The built pages, sorted by path (titles, reading times, kinds, sections, tasks).
    pub docs: &'a [Doc],
    pub site_title: &'a str,
}

impl Inputs<'_> {
    /// The built page at `path` (only pages this build includes).
    pub fn doc(&self, path: &str) -> Option<&Doc> {
        self.docs
            .binary_search_by(|d| d.path.as_str().cmp(path))
            .ok()
            .and_then(|i| self.docs.get(i))
    }

    /// Reads a non-Markdown file of the docs folder, or says why not as a warning.
    pub fn read_other(&self, rel: &str, diags: &mut Diags) -> Option<String> {
        match std::fs::read_to_string(self.root.join(rel)) {
            Ok(text) => Some(text),
            Err(e) => {
                diags.push(
                    rel,
                    (1, 1),
                    Severity::Warning,
                    format!(
                        "could not read {rel} ({e}), so the reading order it defines is left out"
                    ),
                );
                None
            }
        }
    }
}

/// The site id that namespaces readers' progress: `docatlas.toml`'s `id`, else the site title,
/// reduced to lower-case words joined by `-` (`"docs"` when that leaves nothing).
pub fn site_id(configured: Option<&str>, title: &str) -> String {
    let id = core::slug(configured.unwrap_or(title));
    if id.is_empty() {
        "docs".to_string()
    } else {
        id
    }
}

/// Extracts the tracks and checklists of the pages this build includes; notes every included
/// page that no track holds.
pub(crate) fn extract(inputs: &Inputs<'_>, site_id: String, diags: &mut Diags) -> TrackSet {
    let mut drafts = reading_order::tracks(inputs);
    drafts.extend(mdbook::tracks(inputs, diags));
    drafts.extend(mkdocs::tracks(inputs, diags));
    drafts.extend(sidebars::tracks(inputs, diags));
    for d in &mut drafts {
        keep_included(d, inputs);
    }
    drafts.retain(|d| !d.items.is_empty());
    let explicit: BTreeSet<String> = drafts
        .iter()
        .flat_map(|d| d.items.iter().map(|i| i.path.clone()))
        .collect();
    drafts.extend(folders::tracks(inputs, &explicit, diags));
    if drafts.is_empty() {
        drafts.extend(folders::default_track(inputs));
    }
    note_pages_in_no_track(inputs, &drafts, diags);
    let checklists = checklists::extract(inputs.docs);
    assemble(inputs, site_id, drafts, checklists)
}

/// Drops items whose page this build leaves out (internal pages of a public build) and repeats
/// of a page already in the track.
fn keep_included(draft: &mut Draft, inputs: &Inputs<'_>) {
    let mut seen = BTreeSet::new();
    draft.items.retain(|i| {
        inputs.corpus.included.contains_key(i.path.as_str()) && seen.insert(i.path.clone())
    });
}

fn note_pages_in_no_track(inputs: &Inputs<'_>, drafts: &[Draft], diags: &mut Diags) {
    let in_a_track: BTreeSet<&str> = drafts
        .iter()
        .flat_map(|d| d.items.iter().map(|i| i.path.as_str()))
        .chain(drafts.iter().map(|d| d.origin.as_str()))
        .collect();
    for path in inputs.corpus.included.keys() {
        if in_a_track.contains(path) || is_summary(path) {
            continue;
        }
        diags.push(
            path,
            (1, 1),
            Severity::Note,
            "page is in no reading track; list it in a reading order if readers working through the tracks should meet it".into(),
        );
    }
}

/// mdBook's table of contents: it defines tracks and is not one of their pages.
pub(crate) fn is_summary(path: &str) -> bool {
    crate::corpus::summary::is_summary(path)
}

/// Numbers the pages, gives ids, and collects what the views show about each page.
fn assemble(
    inputs: &Inputs<'_>,
    site_id: String,
    drafts: Vec<Draft>,
    checklists: Vec<checklists::Found>,
) -> TrackSet {
    let table = PageTable::new(inputs, &drafts, &checklists);
    let mut ids: BTreeSet<String> = BTreeSet::new();
    let tracks = drafts
        .into_iter()
        .map(|d| {
            let id = unique_track_id(&d, &mut ids);
            track(inputs, &table, id, d)
        })
        .collect();
    let checklists = checklists
        .into_iter()
        .filter_map(|c| {
            let page = table.index(&c.path)?;
            Some(c.into_checklist(page))
        })
        .collect();
    TrackSet {
        site_id,
        pages: table.pages,
        tracks,
        checklists,
    }
}

/// The pages a track set numbers: every page of a track or checklist (with its sections, to
/// mark read and tell changes), the pages they link to (prerequisites) and the tracks' origins.
struct PageTable {
    /// Their paths, sorted: a page's number is its position.
    paths: Vec<String>,
    pages: Vec<TrackPage>,
}

impl PageTable {
    fn new(inputs: &Inputs<'_>, drafts: &[Draft], checklists: &[checklists::Found]) -> Self {
        let mut full: BTreeSet<String> = BTreeSet::new();
        for d in drafts {
            full.extend(d.items.iter().map(|i| i.path.clone()));
        }
        full.extend(checklists.iter().map(|c| c.path.clone()));
        let links: BTreeMap<String, Vec<String>> = drafts
            .iter()
            .flat_map(|d| &d.items)
            .map(|i| (i.path.clone(), linked_pages(inputs, &i.path)))
            .collect();
        let mut all: BTreeSet<String> = full.clone();
        all.extend(links.values().flatten().cloned());
        all.extend(drafts.iter().map(|d| d.origin.clone()));
        let mut table = PageTable {
            paths: all
                .into_iter()
                .filter(|p| inputs.doc(p).is_some())
                .collect(),
            pages: Vec::new(),
        };
        table.pages = table
            .paths
            .iter()
            .filter_map(|path| inputs.doc(path))
            .map(|doc| TrackPage {
                path: doc.path.clone(),
                title: doc.title.clone(),
                minutes: doc.read_minutes,
                sections: if full.contains(&doc.path) {
                    core::section_hashes(&doc.sections)
                } else {
                    Vec::new()
                },
                links: links
                    .get(&doc.path)
                    .map(|l| l.iter().filter_map(|p| table.index(p)).collect())
                    .unwrap_or_default(),
            })
            .collect();
        table
    }

    /// The number of the page at `path`.
    fn index(&self, path: &str) -> Option<u32> {
        self.paths
            .binary_search_by(|p| p.as_str().cmp(path))
            .ok()
            .and_then(|i| u32::try_from(i).ok())
    }
}

/// A drafted track with its pages numbered; an item whose page the build does not have is left
/// out, an item without a title takes its page's.
fn track(inputs: &Inputs<'_>, table: &PageTable, id: String, d: Draft) -> Track {
    Track {
        id,
        title: d.title,
        source: d.source,
        origin: d.origin,
        items: d
            .items
            .into_iter()
            .filter_map(|i| {
                let page = table.index(&i.path)?;
                let title = i
                    .title
                    .filter(|t| !t.trim().is_empty())
                    .or_else(|| inputs.doc(&i.path).map(|d| d.title.clone()))
                    .unwrap_or_default();
                Some(Item {
                    id: core::item_id(&i.path),
                    page,
                    title,
                    depth: i.depth,
                    note: i.note,
                })
            })
            .collect(),
    }
}

/// A track id from its title; on a clash, the defining file's name is added, then a number.
fn unique_track_id(draft: &Draft, taken: &mut BTreeSet<String>) -> String {
    let base = core::track_id(&draft.title);
    let origin = core::slug(&core::item_id(&draft.origin));
    let mut candidates = vec![base.clone()];
    if !origin.is_empty() {
        candidates.push(format!("{base}-{origin}"));
    }
    for c in candidates {
        if taken.insert(c.clone()) {
            return c;
        }
    }
    let mut n = 2u32;
    loop {
        let c = format!("{base}-{n}");
        if taken.insert(c.clone()) {
            return c;
        }
        n = n.saturating_add(1);
    }
}

/// The included pages `path` links to, in order of first link, itself left out.
fn linked_pages(inputs: &Inputs<'_>, path: &str) -> Vec<String> {
    let corpus = inputs.corpus;
    let Some(page) = corpus.included.get(path) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for link in &page.analysis.links {
        if let Resolved::Page { path: target, .. } = corpus.resolve(&page.path, &link.dest, true) {
            if target != path && !out.iter().any(|p| p == target) {
                out.push(target.to_string());
            }
        }
    }
    out
}

/// Makes a folder or file name readable as a title: `01-getting_started` → `Getting started`.
pub(crate) fn humanize(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let words =
        stem.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '-' | '_' | '.' | ' '));
    let words = if words.is_empty() { stem } else { words };
    let out = words.replace(['-', '_'], " ");
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_ids_and_readable_names() {
        assert_eq!(
            site_id(None, "Kestrel engineering portal"),
            "kestrel-engineering-portal"
        );
        assert_eq!(site_id(Some("Kestrel"), "Anything"), "kestrel");
        assert_eq!(site_id(None, "!!!"), "docs");
        assert_eq!(humanize("01-getting_started"), "Getting started");
        assert_eq!(humanize("onboarding"), "Onboarding");
        assert_eq!(humanize("2024"), "2024");
    }

    #[test]
    fn clashing_track_titles_get_distinct_ids() {
        let draft = |origin: &str| Draft {
            title: "Getting started".into(),
            source: Source::Folder,
            origin: origin.into(),
            items: Vec::new(),
        };
        let mut taken = BTreeSet::new();
        assert_eq!(
            unique_track_id(&draft("a/README.md"), &mut taken),
            "getting-started"
        );
        assert_eq!(
            unique_track_id(&draft("b/README.md"), &mut taken),
            "getting-started-b-readme"
        );
        assert_eq!(
            unique_track_id(&draft("b/README.md"), &mut taken),
            "getting-started-2"
        );
    }
}
