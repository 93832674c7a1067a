//! Reading tracks and checklists: what `tracks.bin` holds, the stable ids that let a reader's
//! progress survive rebuilds, and (in [`progress`]) every rule about that progress.
//!
//! A track is an ordered list of pages a reader works through ("Short on time? Read these
//! first"); a checklist is a group of task-list items under one heading ("What you'll know after
//! reading"). The build extracts both; the app only stores ticks and displays them. Everything
//! the views display is in [`TrackSet`] (titles, paths, minutes, checklist texts, section hashes,
//! the links used for prerequisites), so the tracks view never needs the pages themselves.
//!
//! Ids are made from target paths and normalised text, never positions: reordering a reading
//! order, inserting a page or retitling one keeps every id whose target still exists.

pub mod progress;
pub mod share;

use serde::{Deserialize, Serialize};

pub use progress::{
    next_unread, page_status, prerequisites, track_progress, Mark, MergeReport, PageMark,
    PageStatus, Progress, TrackProgress,
};

/// The contents of `tracks.bin`: a site's reading tracks and checklists, and the pages they name.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct TrackSet {
    /// Names this site's progress in the reader's browser storage ([`storage_key`]); kept
    /// across rebuilds (from `docatlas.toml`'s `id`, else the site title).
    pub site_id: String,
    /// Every page a track item, a checklist or a prerequisite refers to, sorted by path.
    pub pages: Vec<TrackPage>,
    /// The tracks, in the order a reader should see them.
    pub tracks: Vec<Track>,
    /// Every checklist of the site, in page order.
    pub checklists: Vec<Checklist>,
}

/// What the tracks view shows about one page, and what marking it read records.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct TrackPage {
    /// Docs-relative path (`engineering/stack.md`).
    pub path: String,
    /// The page title.
    pub title: String,
    /// Reading time in whole minutes.
    pub minutes: u32,
    /// The page's sections with their content hashes (empty for pages only linked to).
    pub sections: Vec<SectionHash>,
    /// Pages this page links to (indices into [`TrackSet::pages`]), in the order of first link;
    /// the unread ones are its prerequisites. Filled in for pages that are track items.
    pub links: Vec<u32>,
}

/// A section's identity and content hash, to tell which sections changed since a reading.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct SectionHash {
    /// The heading's anchor; empty for the lead section before the first heading.
    pub anchor: String,
    /// The heading text, to name a changed section.
    pub heading: String,
    /// [`section_hash`] of the section.
    pub hash: u32,
}

/// Where a track comes from; the tracks view says so, so maintainers know what to edit.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Source {
    /// A list under a "Reading order" heading of a page.
    ReadingOrder,
    /// A part of an mdBook `SUMMARY.md`.
    MdBook,
    /// A section of an MkDocs `mkdocs.yml` `nav:`.
    MkDocs,
    /// A folder ordered by `_category_.json`, front matter `order` / `sidebar_position` /
    /// `weight`, or numeric file prefixes (`01-intro.md`).
    Folder,
    /// No ordering anywhere: every page in folder order.
    #[default]
    Default,
    /// A category (or the top-level docs) of a Docusaurus sidebars file. Last, so the
    /// variants before it keep their encoding.
    Sidebar,
}

impl Source {
    /// How the tracks view and the CLI describe the source.
    pub fn describe(self) -> &'static str {
        match self {
            Source::ReadingOrder => "reading order",
            Source::MdBook => "mdBook SUMMARY.md",
            Source::MkDocs => "MkDocs nav",
            Source::Folder => "folder order",
            Source::Default => "all pages in folder order",
            Source::Sidebar => "Docusaurus sidebars",
        }
    }
}

/// An ordered list of pages to read.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Track {
    /// Stable id (the normalised title; see [`slug`]), used in `#/tracks/<id>`.
    pub id: String,
    /// "Short on time? Read these first", a part title, a folder's label...
    pub title: String,
    /// What kind of input defined it.
    pub source: Source,
    /// The file that defines it (the page with the reading order, `SUMMARY.md`, `mkdocs.yml`,
    /// the folder), docs-relative; empty for the default track.
    pub origin: String,
    /// The pages, in reading order.
    pub items: Vec<Item>,
}

/// One page of a track.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Item {
    /// Stable id: the page path without its extension ([`item_id`]). A page read in one track
    /// counts in every track that holds it, so the same page has the same id everywhere.
    pub id: String,
    /// Index into [`TrackSet::pages`].
    pub page: u32,
    /// The title the track gives the page (a nav title), else the page's own.
    pub title: String,
    /// Nesting level (0 for top-level entries; mdBook and MkDocs nest chapters).
    pub depth: u8,
    /// What the reading order says about the page ("how the seven services call each other").
    pub note: String,
}

/// Task-list items grouped under one heading of one page.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Checklist {
    /// Stable id: `<page path without extension>#<heading anchor>` ([`checklist_id`]).
    pub id: String,
    /// The heading the items sit under (the page title for items before any heading).
    pub title: String,
    /// Index into [`TrackSet::pages`] of the page holding it.
    pub page: u32,
    /// The heading's anchor; `None` for items before the first heading.
    pub anchor: Option<String>,
    /// The items, in page order.
    pub items: Vec<Entry>,
}

/// One checklist item.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct Entry {
    /// Stable id from the page path and the item's normalised text ([`entry_id`]).
    pub id: String,
    /// The item's text.
    pub text: String,
    /// Whether the source ticks it (`- [x]`): its state until the reader ticks or unticks it.
    pub done: bool,
}

impl TrackSet {
    /// Checks that every page index is in range; `tracks.bin` passed its checksum, so a failure
    /// here means it was written by a broken build.
    pub fn validate(&self) -> Result<(), String> {
        let n = self.pages.len();
        let ok = |i: u32| usize::try_from(i).is_ok_and(|i| i < n);
        let bad = self
            .tracks
            .iter()
            .flat_map(|t| &t.items)
            .any(|i| !ok(i.page))
            || self.checklists.iter().any(|c| !ok(c.page))
            || self.pages.iter().flat_map(|p| &p.links).any(|&l| !ok(l));
        if bad {
            return Err("tracks.bin refers to a page it does not list; rebuild the site".into());
        }
        if self.pages.windows(2).any(|w| match w {
            [a, b] => a.path >= b.path,
            _ => false,
        }) {
            return Err("tracks.bin lists its pages out of order; rebuild the site".into());
        }
        Ok(())
    }

    /// The page at index `i` of [`TrackSet::pages`].
    pub fn page(&self, i: u32) -> Option<&TrackPage> {
        self.pages.get(usize::try_from(i).ok()?)
    }

    /// The page at `path`, if any track, checklist or prerequisite names it.
    pub fn page_by_path(&self, path: &str) -> Option<&TrackPage> {
        let i = self
            .pages
            .binary_search_by(|p| p.path.as_str().cmp(path))
            .ok()?;
        self.pages.get(i)
    }

    /// The track with this id.
    pub fn track(&self, id: &str) -> Option<&Track> {
        self.tracks.iter().find(|t| t.id == id)
    }

    /// The path of a track item's page.
    pub fn item_path(&self, item: &Item) -> Option<&str> {
        self.page(item.page).map(|p| p.path.as_str())
    }

    /// The tracks that hold the page at `path`, in track order.
    pub fn tracks_with<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Track> + 'a {
        self.tracks.iter().filter(move |t| {
            t.items
                .iter()
                .any(|i| self.item_path(i).is_some_and(|p| p == path))
        })
    }

    /// Whether anything orders the pages (a reading order, `SUMMARY.md`, an MkDocs nav, folder
    /// order): a site whose only track is the default one (every page in folder order) has no
    /// reading order, and its readers browse its folders instead.
    pub fn has_reading_order(&self) -> bool {
        self.tracks.iter().any(|t| t.source != Source::Default)
    }

    /// The tracks a reader is shown: the ordered ones, or none when only the default track is.
    pub fn reading_tracks(&self) -> impl Iterator<Item = &Track> + '_ {
        self.tracks.iter().filter(|t| t.source != Source::Default)
    }

    /// The track a reader on the page at `path` follows, with the page's position in it:
    /// `preferred` (the track they opened last) if it holds the page, else the first track that
    /// does (an ordered one before the default track).
    pub fn current_track(&self, preferred: Option<&str>, path: &str) -> Option<(&Track, usize)> {
        let at = |t: &Track| t.items.iter().position(|i| self.item_path(i) == Some(path));
        let first = |default: bool| {
            self.tracks
                .iter()
                .filter(|t| (t.source == Source::Default) == default)
                .find_map(|t| Some((t, at(t)?)))
        };
        preferred
            .and_then(|id| self.track(id))
            .and_then(|t| Some((t, at(t)?)))
            .or_else(|| first(false))
            .or_else(|| first(true))
    }

    /// The checklists on the page at `path`.
    pub fn checklists_on<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Checklist> + 'a {
        self.checklists
            .iter()
            .filter(move |c| self.page(c.page).is_some_and(|p| p.path == path))
    }

    /// The checklists that belong with a track: those on the page that defines it and on its
    /// pages, in site order.
    pub fn checklists_of<'a>(
        &'a self,
        track: &'a Track,
    ) -> impl Iterator<Item = &'a Checklist> + 'a {
        self.checklists.iter().filter(move |c| {
            self.page(c.page).is_some_and(|p| {
                p.path == track.origin || track.items.iter().any(|i| i.page == c.page)
            })
        })
    }
}

/// Encodes a track set as the bytes of `tracks.bin` ([`crate::format::TRACKS_FILE`]).
pub fn encode(set: &TrackSet) -> Vec<u8> {
    crate::files::DataFile::Tracks.encode(set).1
}

/// Decodes and checks `tracks.bin`: magic, version, length, checksum, then every page index.
pub fn decode(bytes: &[u8]) -> Result<TrackSet, crate::FormatError> {
    let set: TrackSet = crate::files::DataFile::Tracks.decode(bytes)?;
    set.validate().map_err(crate::FormatError::Payload)?;
    Ok(set)
}

/// A page's sections as [`SectionHash`]es (anchor, heading, stored hash), in page order.
pub fn section_hashes(sections: &[crate::Section]) -> Vec<SectionHash> {
    sections
        .iter()
        .map(|s| SectionHash {
            anchor: s.anchor.clone().unwrap_or_default(),
            heading: s.heading.clone(),
            hash: s.hash,
        })
        .collect()
}

/// The browser storage key for a site's progress: namespaced by site id, so two portals served
/// from one origin never share (or overwrite) each other's progress.
pub fn storage_key(site_id: &str) -> String {
    format!("docatlas:progress:{site_id}")
}

/// Text reduced to what identifies it: lower-case words of letters and digits joined by `-`
/// (`"What you'll know!"` → `what-you-ll-know`). Case, punctuation and spacing edits keep it.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// A track id from its title: the first eight words of the [`slug`], so long sentences used as
/// titles still give readable URLs; `"track"` if the title has no letters or digits.
pub fn track_id(title: &str) -> String {
    let s = slug(title);
    let short: Vec<&str> = s.split('-').filter(|w| !w.is_empty()).take(8).collect();
    if short.is_empty() {
        "track".to_string()
    } else {
        short.join("-")
    }
}

/// A track item's id: the page path without its Markdown extension (`engineering/stack`).
pub fn item_id(path: &str) -> String {
    let lower = path.to_ascii_lowercase();
    for ext in [".md", ".markdown"] {
        if lower.ends_with(ext) {
            // The extension is ASCII, so this cut is on a character boundary.
            let cut = path.len().saturating_sub(ext.len());
            if let Some(stem) = path.get(..cut) {
                return stem.to_string();
            }
        }
    }
    path.to_string()
}

/// A checklist's id: `<item id of its page>#<anchor>`, or just the item id for items before
/// the first heading.
pub fn checklist_id(path: &str, anchor: Option<&str>) -> String {
    match anchor {
        Some(a) => format!("{}#{a}", item_id(path)),
        None => item_id(path),
    }
}

/// A checklist entry's id: `<item id of its page>:<8 hex digits>` hashing the entry's
/// [`slug`], so moving the entry, or the heading above it, keeps its tick.
pub fn entry_id(path: &str, text: &str) -> String {
    format!("{}:{:08x}", item_id(path), fnv1a32(slug(text).as_bytes()))
}

/// The content hash of a page section (heading, text and code), stored per section so the app
/// can tell which sections changed since a reader read the page.
pub fn section_hash(heading: &str, text: &str, code: &str) -> u32 {
    let mut h = FNV32_OFFSET;
    for part in [heading, text, code] {
        h = fnv1a32_continue(h, part.as_bytes());
        // A separator, so moving text between heading and body still changes the hash.
        h = fnv1a32_continue(h, &[0]);
    }
    h
}

const FNV32_OFFSET: u32 = 0x811c_9dc5;

/// FNV-1a, 32 bits.
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    fnv1a32_continue(FNV32_OFFSET, bytes)
}

fn fnv1a32_continue(mut h: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn track(id: &str, source: Source, pages: &[u32]) -> Track {
        Track {
            id: id.into(),
            source,
            items: pages
                .iter()
                .map(|&page| Item {
                    page,
                    ..Item::default()
                })
                .collect(),
            ..Track::default()
        }
    }

    #[test]
    fn the_current_track_is_the_followed_one_else_an_ordered_one_before_the_default() {
        let page = |p: &str| TrackPage {
            path: p.into(),
            ..TrackPage::default()
        };
        let mut set = TrackSet {
            pages: vec![page("a.md"), page("b.md"), page("c.md")],
            tracks: vec![track("all", Source::Default, &[0, 1, 2])],
            ..TrackSet::default()
        };
        assert!(!set.has_reading_order());
        assert_eq!(set.reading_tracks().count(), 0);
        assert_eq!(
            set.current_track(None, "b.md")
                .map(|(t, i)| (t.id.as_str(), i)),
            Some(("all", 1))
        );
        set.tracks
            .push(track("start", Source::ReadingOrder, &[2, 1]));
        set.tracks.push(track("deep", Source::MdBook, &[1]));
        assert!(set.has_reading_order());
        let current = |pref| {
            set.current_track(pref, "b.md")
                .map(|(t, i)| (t.id.as_str(), i))
        };
        assert_eq!(current(None), Some(("start", 1)));
        assert_eq!(current(Some("deep")), Some(("deep", 0)));
        assert_eq!(current(Some("nope")), Some(("start", 1)));
        assert_eq!(
            set.current_track(None, "zzz.md").map(|(t, _)| t.id.clone()),
            None
        );
    }

    #[test]
    fn ids_ignore_case_punctuation_and_spacing() {
        assert_eq!(
            slug("What you'll  know, after READING!"),
            "what-you-ll-know-after-reading"
        );
        assert_eq!(slug("Größe über Maß"), "größe-über-maß");
        assert_eq!(
            track_id("Short on time? Read these first:"),
            "short-on-time-read-these-first"
        );
        assert_eq!(
            track_id("If you only have an hour, read these pages in this order"),
            "if-you-only-have-an-hour-read-these"
        );
        assert_eq!(track_id("—"), "track");
        assert_eq!(item_id("engineering/stack.md"), "engineering/stack");
        assert_eq!(item_id("予約.MD"), "予約");
        assert_eq!(item_id("notes"), "notes");
        assert_eq!(
            checklist_id("README.md", Some("what-youll-know-after-reading")),
            "README#what-youll-know-after-reading"
        );
        assert_eq!(
            entry_id("README.md", "Which service to open first?"),
            entry_id("README.md", "which service to open  first")
        );
        assert_ne!(
            entry_id("README.md", "Which service to open first"),
            entry_id("other.md", "Which service to open first")
        );
    }

    #[test]
    fn section_hash_sees_every_part() {
        let h = section_hash("Quick checks", "Look at the pool.", "psql -c 1");
        assert_eq!(
            h,
            section_hash("Quick checks", "Look at the pool.", "psql -c 1")
        );
        assert_ne!(
            h,
            section_hash("Quick checks", "Look at the pool!", "psql -c 1")
        );
        assert_ne!(
            h,
            section_hash("Quick check", "Look at the pool.", "psql -c 1")
        );
        assert_ne!(
            h,
            section_hash("Quick checks", "Look at the pool.", "psql -c 2")
        );
        assert_ne!(section_hash("ab", "", ""), section_hash("a", "b", ""));
    }

    #[test]
    fn storage_keys_are_namespaced_by_site() {
        assert_eq!(storage_key("kestrel"), "docatlas:progress:kestrel");
        assert_ne!(storage_key("a"), storage_key("b"));
    }

    #[test]
    fn tracks_bin_round_trips_and_is_not_mistaken_for_another_file() {
        let set = TrackSet {
            site_id: "kestrel".into(),
            pages: vec![TrackPage {
                path: "a.md".into(),
                title: "A".into(),
                minutes: 3,
                ..TrackPage::default()
            }],
            tracks: vec![Track {
                id: "core".into(),
                items: vec![Item::default()],
                ..Track::default()
            }],
            ..TrackSet::default()
        };
        let bytes = encode(&set);
        assert_eq!(&bytes[..8], b"DOCATLTR");
        assert_eq!(decode(&bytes), Ok(set));
        assert_eq!(
            crate::decode_head(&bytes).unwrap_err(),
            crate::FormatError::NotABundle
        );
    }

    #[test]
    fn validate_rejects_dangling_page_indices() {
        let mut set = TrackSet {
            pages: vec![TrackPage {
                path: "a.md".into(),
                ..TrackPage::default()
            }],
            tracks: vec![Track {
                items: vec![Item {
                    page: 0,
                    ..Item::default()
                }],
                ..Track::default()
            }],
            ..TrackSet::default()
        };
        assert_eq!(set.validate(), Ok(()));
        set.tracks[0].items[0].page = 1;
        assert!(set.validate().is_err());
    }
}
