//! A reader's progress and every rule about it: what counts as read, minutes left, what is next
//! up, which linked pages are prerequisites, merging an imported progress file, and which
//! sections changed since a page was read. The app stores a [`Progress`] and displays what these
//! functions say; it decides nothing itself, so every rule here is tested natively.
//!
//! Progress is keyed by page path and checklist entry id ([`super::entry_id`]), never by track
//! or position: a page read in one track counts in every track that holds it, and reordering or
//! retitling keeps every tick. Marks are never deleted by a rebuild: progress for a page that
//! disappeared stays stored and shows again when the page comes back. Unmarking keeps a
//! timestamped mark (`read: false`), so merging two progress files lets the later decision win.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Checklist, Entry, Item, SectionHash, Track, TrackPage, TrackSet};

/// Everything a reader has marked on one site.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct Progress {
    /// Read marks by page path.
    pub pages: BTreeMap<String, PageMark>,
    /// Checklist ticks by entry id.
    pub checks: BTreeMap<String, Mark>,
    /// The track the reader opened last: "next unread page" follows it.
    pub track: Option<String>,
}

/// Whether a page is read, since when, and what its sections were when it was read.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct PageMark {
    /// True when marked read; false when the reader unmarked it.
    pub read: bool,
    /// When it was marked, in milliseconds since 1970 (the later mark wins a merge).
    pub at: u64,
    /// (anchor, content hash) of each section when the page was marked read; the anchor is
    /// empty for the lead section.
    pub sections: Vec<(String, u32)>,
}

/// A checklist tick or untick, and when.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    /// Ticked or not.
    pub done: bool,
    /// When, in milliseconds since 1970.
    pub at: u64,
}

/// What [`Progress::merge`] changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MergeReport {
    /// Page marks added or replaced by newer ones.
    pub pages: usize,
    /// Checklist marks added or replaced by newer ones.
    pub checks: usize,
}

/// What a page is, for a reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageStatus {
    /// Never marked read, or unmarked.
    Unread,
    /// Read, and unchanged since (as far as the site's section hashes tell).
    Read,
    /// Read, but its text changed afterwards.
    Updated {
        /// Anchors of sections that are new or whose content changed ("" for the lead).
        changed: Vec<String>,
        /// Anchors of sections that were there when it was read and are gone now.
        removed: Vec<String>,
    },
}

impl PageStatus {
    /// Read or updated since: either way the page counts as read in its tracks.
    pub fn is_read(&self) -> bool {
        !matches!(self, PageStatus::Unread)
    }
}

impl Progress {
    /// Whether the page at `path` is marked read.
    pub fn is_read(&self, path: &str) -> bool {
        self.pages.get(path).is_some_and(|m| m.read)
    }

    /// Marks a page read at `now`, remembering its sections' hashes (to notice later edits).
    pub fn mark_read(&mut self, path: &str, sections: &[SectionHash], now: u64) {
        let at = self.next_time(self.pages.get(path).map(|m| m.at), now);
        self.pages.insert(
            path.to_string(),
            PageMark {
                read: true,
                at,
                sections: sections
                    .iter()
                    .map(|s| (s.anchor.clone(), s.hash))
                    .collect(),
            },
        );
    }

    /// Marks a page unread at `now` (a mark that wins over older read marks in a merge).
    pub fn mark_unread(&mut self, path: &str, now: u64) {
        let at = self.next_time(self.pages.get(path).map(|m| m.at), now);
        self.pages.insert(
            path.to_string(),
            PageMark {
                read: false,
                at,
                sections: Vec::new(),
            },
        );
    }

    /// Ticks or unticks a checklist entry at `now`.
    pub fn set_check(&mut self, entry_id: &str, done: bool, now: u64) {
        let at = self.next_time(self.checks.get(entry_id).map(|m| m.at), now);
        self.checks.insert(entry_id.to_string(), Mark { done, at });
    }

    /// Whether the reader ticked a checklist entry. The source's own `[x]` ([`Entry::done`]) is
    /// the page's content (the page shows it), not the reader's progress: it does not count.
    pub fn is_checked(&self, entry: &Entry) -> bool {
        self.checks.get(&entry.id).is_some_and(|m| m.done)
    }

    /// A time for a new mark: `now`, or just after the mark it replaces if the clock went
    /// backwards, so the newest decision always has the latest time.
    fn next_time(&self, previous: Option<u64>, now: u64) -> u64 {
        previous.map_or(now, |p| now.max(p.saturating_add(1)))
    }

    /// Merges another progress (an imported file, a shared link, another tab's save): for each
    /// page and entry, the later mark wins; at equal times a read or tick wins over its
    /// absence. Nothing is ever dropped.
    pub fn merge(&mut self, other: &Progress) -> MergeReport {
        let mut report = MergeReport::default();
        for (path, theirs) in &other.pages {
            let take = self.pages.get(path).is_none_or(|ours| {
                theirs.at > ours.at || (theirs.at == ours.at && theirs.read && !ours.read)
            });
            if take && self.pages.get(path) != Some(theirs) {
                self.pages.insert(path.clone(), theirs.clone());
                report.pages = report.pages.saturating_add(1);
            }
        }
        for (id, theirs) in &other.checks {
            let take = self.checks.get(id).is_none_or(|ours| {
                theirs.at > ours.at || (theirs.at == ours.at && theirs.done && !ours.done)
            });
            if take && self.checks.get(id) != Some(theirs) {
                self.checks.insert(id.clone(), *theirs);
                report.checks = report.checks.saturating_add(1);
            }
        }
        if self.track.is_none() {
            self.track.clone_from(&other.track);
        }
        report
    }

    /// Number of pages marked read.
    pub fn read_count(&self) -> usize {
        self.pages.values().filter(|m| m.read).count()
    }

    /// Number of checklist entries the reader ticked.
    pub fn checked_count(&self) -> usize {
        self.checks.values().filter(|m| m.done).count()
    }
}

/// Whether the page at `path` is unread, read, or read but changed since: `current` are its
/// sections now. A page read with no hashes recorded (or with `current` unknown) is read.
pub fn page_status(progress: &Progress, path: &str, current: &[SectionHash]) -> PageStatus {
    let Some(mark) = progress.pages.get(path).filter(|m| m.read) else {
        return PageStatus::Unread;
    };
    if mark.sections.is_empty() || current.is_empty() {
        return PageStatus::Read;
    }
    // A page has a handful of sections: a linear search beats building a map.
    let then = |anchor: &str| {
        mark.sections
            .iter()
            .find(|(a, _)| a == anchor)
            .map(|(_, h)| *h)
    };
    let changed: Vec<String> = current
        .iter()
        .filter(|s| then(&s.anchor) != Some(s.hash))
        .map(|s| s.anchor.clone())
        .collect();
    let removed: Vec<String> = mark
        .sections
        .iter()
        .filter(|(a, _)| !current.iter().any(|s| &s.anchor == a))
        .map(|(a, _)| a.clone())
        .collect();
    if changed.is_empty() && removed.is_empty() {
        PageStatus::Read
    } else {
        PageStatus::Updated { changed, removed }
    }
}

/// How far a reader is through one track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TrackProgress {
    /// Pages read.
    pub done: usize,
    /// Pages in the track.
    pub total: usize,
    /// Minutes of all its pages.
    pub minutes_total: u32,
    /// Minutes of the pages not read yet.
    pub minutes_left: u32,
    /// Index into the track's items of the first unread page ("next up").
    pub next: Option<usize>,
}

/// Pages read, minutes left and next up for `track`.
pub fn track_progress(set: &TrackSet, track: &Track, progress: &Progress) -> TrackProgress {
    let mut p = TrackProgress {
        total: track.items.len(),
        ..TrackProgress::default()
    };
    for (i, item) in track.items.iter().enumerate() {
        let Some(page) = set.page(item.page) else {
            continue;
        };
        p.minutes_total = p.minutes_total.saturating_add(page.minutes);
        if progress.is_read(&page.path) {
            p.done = p.done.saturating_add(1);
        } else {
            p.minutes_left = p.minutes_left.saturating_add(page.minutes);
            p.next = p.next.or(Some(i));
        }
    }
    p
}

/// The next unread page, the one `n` opens. On a page (`current`) that is in a track: the first
/// unread page after it in that track (the reader's last opened track first), wrapping round
/// to earlier unread pages; otherwise, or when those tracks are all read, the first unread page
/// of the last opened track, then of the first track that has one. Never `current` itself.
pub fn next_unread<'a>(
    set: &'a TrackSet,
    progress: &Progress,
    current: Option<&'a str>,
) -> Option<(&'a Track, &'a Item)> {
    let unread = |item: &&Item| {
        set.item_path(item)
            .is_some_and(|p| !progress.is_read(p) && Some(p) != current)
    };
    let preferred = progress.track.as_deref().and_then(|id| set.track(id));
    if let Some(cur) = current {
        // The reader's own track first; the rest keep their order.
        let is_preferred = |t: &&Track| preferred.is_some_and(|p| p.id == t.id);
        let holding = set.tracks_with(cur);
        let (mine, others): (Vec<&Track>, Vec<&Track>) = holding.partition(is_preferred);
        for t in mine.into_iter().chain(others) {
            let Some((before, rest)) = t
                .items
                .iter()
                .position(|i| set.item_path(i) == Some(cur))
                .and_then(|pos| t.items.split_at_checked(pos))
            else {
                continue;
            };
            if let Some(i) = rest.iter().skip(1).chain(before).find(unread) {
                return Some((t, i));
            }
        }
    }
    preferred
        .into_iter()
        .chain(&set.tracks)
        .find_map(|t| t.items.iter().find(unread).map(|i| (t, i)))
}

/// The unread pages the page at `path` links to: what to read first. Pages that a track holding
/// both schedules after this one are left out (they are coming up, not prerequisites).
pub fn prerequisites<'a>(set: &'a TrackSet, progress: &Progress, path: &str) -> Vec<&'a TrackPage> {
    let Some(page) = set.page_by_path(path) else {
        return Vec::new();
    };
    let position = |t: &Track, p: &str| t.items.iter().position(|i| set.item_path(i) == Some(p));
    page.links
        .iter()
        .filter_map(|&l| set.page(l))
        .filter(|target| target.path != path && !progress.is_read(&target.path))
        .filter(|target| {
            !set.tracks.iter().any(|t| {
                matches!((position(t, path), position(t, &target.path)), (Some(a), Some(b)) if b > a)
            })
        })
        .collect()
}

/// Ticked entries and entries of a checklist.
pub fn checklist_progress(list: &Checklist, progress: &Progress) -> (usize, usize) {
    let done = list.items.iter().filter(|e| progress.is_checked(e)).count();
    (done, list.items.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tracks::{Item, Source, Track, TrackPage};

    fn page(path: &str, minutes: u32, links: Vec<u32>) -> TrackPage {
        TrackPage {
            path: path.into(),
            title: path.trim_end_matches(".md").to_uppercase(),
            minutes,
            sections: vec![
                SectionHash {
                    anchor: String::new(),
                    heading: "Lead".into(),
                    hash: 1,
                },
                SectionHash {
                    anchor: "usage".into(),
                    heading: "Usage".into(),
                    hash: 2,
                },
            ],
            links,
        }
    }

    fn track(id: &str, pages: &[u32]) -> Track {
        Track {
            id: id.into(),
            title: id.into(),
            source: Source::ReadingOrder,
            origin: "README.md".into(),
            items: pages
                .iter()
                .map(|&p| Item {
                    id: format!("p{p}"),
                    page: p,
                    ..Item::default()
                })
                .collect(),
        }
    }

    /// a b c d e; core = a b c, deep = d e c; a links to b (next in core) and e (later
    /// elsewhere, unread), d links to a.
    fn set() -> TrackSet {
        TrackSet {
            site_id: "t".into(),
            pages: vec![
                page("a.md", 3, vec![1, 4]),
                page("b.md", 5, vec![]),
                page("c.md", 2, vec![]),
                page("d.md", 4, vec![0]),
                page("e.md", 1, vec![]),
            ],
            tracks: vec![track("core", &[0, 1, 2]), track("deep", &[3, 4, 2])],
            checklists: vec![],
        }
    }

    #[test]
    fn a_page_read_in_one_track_counts_in_every_track_that_holds_it() {
        let set = set();
        let mut p = Progress::default();
        p.mark_read("c.md", &set.pages[2].sections, 10);
        let core = track_progress(&set, &set.tracks[0], &p);
        let deep = track_progress(&set, &set.tracks[1], &p);
        assert_eq!(
            (core.done, core.total, core.minutes_left, core.minutes_total),
            (1, 3, 8, 10)
        );
        assert_eq!((deep.done, deep.total, deep.minutes_left), (1, 3, 5));
        assert_eq!(core.next, Some(0));
        p.mark_read("a.md", &[], 11);
        assert_eq!(track_progress(&set, &set.tracks[0], &p).next, Some(1));
    }

    #[test]
    fn next_unread_follows_the_current_page_then_the_readers_track() {
        let set = set();
        let mut p = Progress::default();
        let next = |p: &Progress, cur| {
            next_unread(&set, p, cur)
                .map(|(t, i)| (t.id.clone(), set.pages[i.page as usize].path.clone()))
        };
        assert_eq!(next(&p, None), Some(("core".into(), "a.md".into())));
        // On b (core), the next page after it; never itself.
        assert_eq!(next(&p, Some("b.md")), Some(("core".into(), "c.md".into())));
        // On c, last in both tracks: wraps round to the first unread of core.
        assert_eq!(next(&p, Some("c.md")), Some(("core".into(), "a.md".into())));
        // The reader last opened `deep`: it comes first.
        p.track = Some("deep".into());
        assert_eq!(next(&p, Some("c.md")), Some(("deep".into(), "d.md".into())));
        assert_eq!(next(&p, None), Some(("deep".into(), "d.md".into())));
        // Everything in deep read: on to core.
        for path in ["d.md", "e.md", "c.md"] {
            p.mark_read(path, &[], 5);
        }
        assert_eq!(next(&p, Some("e.md")), Some(("core".into(), "a.md".into())));
        // A page in no track: the reader's track, then the first with something unread.
        assert_eq!(
            next(&p, Some("zzz.md")),
            Some(("core".into(), "a.md".into()))
        );
        for path in ["a.md", "b.md"] {
            p.mark_read(path, &[], 5);
        }
        assert_eq!(next(&p, None), None, "all read");
    }

    #[test]
    fn prerequisites_are_unread_linked_pages_not_scheduled_later() {
        let set = set();
        let mut p = Progress::default();
        let paths = |v: Vec<&TrackPage>| v.into_iter().map(|x| x.path.clone()).collect::<Vec<_>>();
        // a links to b (next in core: not a prerequisite) and e (only in deep).
        assert_eq!(paths(prerequisites(&set, &p, "a.md")), ["e.md"]);
        p.mark_read("e.md", &[], 1);
        assert!(prerequisites(&set, &p, "a.md").is_empty());
        // d links to a, which no track schedules after d.
        assert_eq!(paths(prerequisites(&set, &p, "d.md")), ["a.md"]);
        assert!(prerequisites(&set, &p, "nope.md").is_empty());
    }

    #[test]
    fn changed_sections_are_named_after_an_edit() {
        let set = set();
        let mut p = Progress::default();
        let now = set.pages[0].sections.clone();
        assert_eq!(page_status(&p, "a.md", &now), PageStatus::Unread);
        p.mark_read("a.md", &now, 1);
        assert_eq!(page_status(&p, "a.md", &now), PageStatus::Read);
        let mut edited = now.clone();
        edited[1].hash = 99;
        edited.push(SectionHash {
            anchor: "new".into(),
            heading: "New".into(),
            hash: 7,
        });
        assert_eq!(
            page_status(&p, "a.md", &edited),
            PageStatus::Updated {
                changed: vec!["usage".into(), "new".into()],
                removed: vec![]
            }
        );
        let shorter = vec![now[0].clone()];
        assert_eq!(
            page_status(&p, "a.md", &shorter),
            PageStatus::Updated {
                changed: vec![],
                removed: vec!["usage".into()]
            }
        );
        // Reading it again takes the new hashes.
        p.mark_read("a.md", &edited, 2);
        assert_eq!(page_status(&p, "a.md", &edited), PageStatus::Read);
        // Unknown current sections (or none recorded): just read.
        assert_eq!(page_status(&p, "a.md", &[]), PageStatus::Read);
        p.mark_unread("a.md", 3);
        assert_eq!(page_status(&p, "a.md", &edited), PageStatus::Unread);
    }

    #[test]
    fn merging_keeps_the_later_decision_and_never_drops_a_mark() {
        let mut mine = Progress::default();
        mine.mark_read("a.md", &[], 100);
        mine.mark_read("b.md", &[], 100);
        mine.set_check("x", true, 100);
        let mut theirs = Progress::default();
        theirs.mark_unread("a.md", 200); // later: wins
        theirs.mark_read("b.md", &[], 50); // older: loses
        theirs.mark_read("gone.md", &[], 10); // a page this build no longer has: kept
        theirs.set_check("x", false, 90);
        theirs.set_check("y", true, 90);
        theirs.track = Some("deep".into());
        let report = mine.merge(&theirs);
        assert_eq!(
            report,
            MergeReport {
                pages: 2,
                checks: 1
            }
        );
        assert!(!mine.is_read("a.md"));
        assert!(mine.is_read("b.md"));
        assert!(mine.is_read("gone.md"));
        assert!(mine.checks["x"].done);
        assert!(mine.checks["y"].done);
        assert_eq!(mine.track.as_deref(), Some("deep"));
        // Merging again changes nothing; merging is symmetric in outcome.
        assert_eq!(mine.merge(&theirs), MergeReport::default());
        let mut other_way = theirs.clone();
        let mut first = Progress::default();
        first.mark_read("a.md", &[], 100);
        first.mark_read("b.md", &[], 100);
        first.set_check("x", true, 100);
        other_way.merge(&first);
        assert_eq!(other_way.pages, mine.pages);
        assert_eq!(other_way.checks, mine.checks);
    }

    #[test]
    fn a_clock_that_goes_backwards_still_lets_the_newest_mark_win() {
        let mut p = Progress::default();
        p.mark_read("a.md", &[], 1000);
        p.mark_unread("a.md", 5);
        assert!(p.pages["a.md"].at > 1000);
        let mut older = Progress::default();
        older.mark_read("a.md", &[], 1000);
        p.merge(&older);
        assert!(!p.is_read("a.md"));
    }

    #[test]
    fn checklist_ticks_are_the_readers_only_not_the_sources_x() {
        let list = Checklist {
            items: vec![
                Entry {
                    id: "r:1".into(),
                    text: "one".into(),
                    done: true,
                },
                Entry {
                    id: "r:2".into(),
                    text: "two".into(),
                    done: false,
                },
            ],
            ..Checklist::default()
        };
        let mut p = Progress::default();
        assert_eq!(
            checklist_progress(&list, &p),
            (0, 2),
            "the author's [x] is content"
        );
        assert!(!p.is_checked(&list.items[0]));
        p.set_check("r:2", true, 1);
        p.set_check("r:1", false, 1);
        assert_eq!(checklist_progress(&list, &p), (1, 2));
        assert!(p.is_checked(&list.items[1]));
        assert!(!p.is_checked(&list.items[0]));
        assert_eq!((p.read_count(), p.checked_count()), (0, 1));
    }
}
