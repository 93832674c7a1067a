//! What the reading views share: progress bars, track cards (the home page's summary and the
//! tracks page), link lists, checklists with checkboxes, the actions their elements carry, and
//! the notice shown when progress is not saved.
//!
//! The builders are plain functions of the progress that make DOM nodes ([`super::dom`]); each
//! view re-renders its region from one [`live`] when the progress changes.

use std::sync::Arc;

use crate::data::tracks::Reading;
use crate::data::Docs;
use crate::route::Route;
use docatlas_core::tracks::{self, Checklist, Progress, Track, TrackSet};
use docatlas_web::dom::{el, link, live, Action, Node};

/// The action of a checkbox that marks the page in `data-da-arg` read or unread.
pub const READ: &str = "read";
/// The action of a button that marks the page in `data-da-arg` read.
pub const MARK_READ: &str = "mark-read";
/// The action of a button that marks the page in `data-da-arg` unread.
pub const MARK_UNREAD: &str = "mark-unread";
/// The action of a checklist checkbox (`data-da-arg` is the entry id).
pub const CHECK: &str = "check";

/// Carries out what a reader did in a reading region.
pub fn act(reading: Reading, atlas: &Docs, a: Action) {
    match a.name.as_str() {
        READ => reading.set_read(atlas, &a.arg, a.checked),
        MARK_READ => reading.set_read(atlas, &a.arg, true),
        MARK_UNREAD => reading.set_read(atlas, &a.arg, false),
        CHECK => reading.set_check(&a.arg, a.checked),
        _ => {}
    }
}

/// The route of a page, with no search or anchor.
pub fn doc_route(path: &str) -> String {
    Route::Doc {
        path: path.to_string(),
        anchor: None,
        query: None,
    }
    .href()
}

/// The route of a track.
pub fn track_route(id: &str) -> String {
    Route::Track { id: id.to_string() }.href()
}

/// "3 of 6 pages read · 17 min left of 29".
pub fn progress_words(p: &tracks::TrackProgress) -> String {
    if p.total > 0 && p.done == p.total {
        return format!(
            "All {} pages read · {} min in all",
            p.total, p.minutes_total
        );
    }
    format!(
        "{} of {} pages read · {} min left of {}",
        p.done, p.total, p.minutes_left, p.minutes_total
    )
}

/// A bar filled in proportion to the pages read, and the same in words.
pub fn progress_bar(p: &tracks::TrackProgress) -> [Node; 2] {
    let percent = p.done.saturating_mul(100).checked_div(p.total).unwrap_or(0);
    let words = progress_words(p);
    [
        el("div")
            .class("da-bar")
            .attr("role", "progressbar")
            .attr("aria-valuemin", "0")
            .attr("aria-valuemax", &p.total.to_string())
            .attr("aria-valuenow", &p.done.to_string())
            .attr("aria-label", &words)
            .child(
                el("span")
                    .class("da-bar-fill")
                    .attr("style", &format!("width: {percent}%")),
            ),
        el("p").class("da-meta da-track-progress").text(&words),
    ]
}

/// A muted note after a link.
pub fn note(text: &str) -> Node {
    el("span").class("da-meta").text(text)
}

/// `label` and links on one line: (href, text, note) each.
pub fn link_list(label: &str, links: Vec<(String, String, String)>) -> Node {
    let items = links
        .into_iter()
        .map(|(href, text, n)| el("li").child(link(&href, &text)).child(note(&n)));
    el("div")
        .class("da-links")
        .text(label)
        .child(el("ul").class("da-inline").children(items))
}

/// `label`, then the unread pages the page at `path` links to (its prerequisites); nothing when
/// there are none.
pub fn prerequisites_list(
    set: &TrackSet,
    progress: &Progress,
    path: &str,
    label: &str,
) -> Option<Node> {
    let links: Vec<_> = tracks::prerequisites(set, progress, path)
        .into_iter()
        .map(|p| {
            (
                doc_route(&p.path),
                p.title.clone(),
                format!("{} min", p.minutes),
            )
        })
        .collect();
    (!links.is_empty()).then(|| link_list(label, links))
}

/// "Next up: <page> 5 min", with the key that opens it where `n` does.
pub fn next_line(label: &str, href: &str, title: &str, n: &str, key: bool) -> Node {
    let line = el("p")
        .class("da-next")
        .text(label)
        .child(link(href, title))
        .child(note(n));
    if key {
        line.text(" ").child(kbd("n"))
    } else {
        line
    }
}

/// A key to press.
pub fn kbd(key: &str) -> Node {
    el("kbd").attr("title", &format!("press {key}")).text(key)
}

/// One track as a card: title, progress in pages and minutes, and the next page to read.
pub fn track_card(set: &TrackSet, track: &Track, progress: &Progress) -> Node {
    let p = tracks::track_progress(set, track, progress);
    let next = p
        .next
        .and_then(|i| track.items.get(i))
        .and_then(|item| Some((item, set.page(item.page)?)))
        .map(|(item, page)| {
            let minutes = format!("{} min", page.minutes);
            next_line(
                "Next up: ",
                &doc_route(&page.path),
                &item.title,
                &minutes,
                false,
            )
        });
    el("li")
        .class("da-track-card")
        .child(link(&track_route(&track.id), &track.title).class("da-track-title"))
        .children(progress_bar(&p))
        .children(next)
}

/// A checkbox with an action, ticked or not.
pub fn checkbox(action: &str, arg: &str, checked: bool, label: &str) -> Node {
    let b = el("input")
        .attr("type", "checkbox")
        .attr("aria-label", label)
        .action(action, arg);
    if checked {
        b.attr("checked", "")
    } else {
        b
    }
}

/// A checklist with a checkbox per entry, as `progress` has it. `on_page` names the page
/// (lists of several pages' checklists).
pub fn checklist_view(
    set: &TrackSet,
    list: &Checklist,
    on_page: bool,
    progress: &Progress,
) -> Node {
    let page = set.page(list.page);
    let href = Route::Doc {
        path: page.map(|p| p.path.clone()).unwrap_or_default(),
        anchor: list.anchor.clone(),
        query: None,
    }
    .href();
    let (done, total) = tracks::progress::checklist_progress(list, progress);
    let where_ = page
        .filter(|_| on_page)
        .map(|p| format!(" on {}", p.title))
        .unwrap_or_default();
    let items = list.items.iter().map(|e| {
        el("li").class("da-check").child(
            el("label")
                .child(checkbox(CHECK, &e.id, progress.is_checked(e), &e.text))
                .text(" ")
                .text(&e.text),
        )
    });
    el("section")
        .class("da-checklist")
        .child(
            el("h3")
                .child(link(&href, &list.title))
                .child(note(&format!("{where_} · {done} of {total}"))),
        )
        .child(el("ul").class("da-checks").children(items))
}

/// The home page's summary of the tracks; nothing if the site has none.
pub fn tracks_summary(atlas: &Arc<Docs>) -> Node {
    let reading = Reading;
    reading.start(atlas);
    let render = move || {
        let Some(set) = reading.tracks().filter(|s| !s.tracks.is_empty()) else {
            return Vec::new();
        };
        let cards = reading.progress(|p| {
            set.tracks
                .iter()
                .map(|t| track_card(&set, t, p))
                .collect::<Vec<_>>()
        });
        vec![
            el("h2")
                .attr("id", "da-tracks-heading")
                .text("Reading tracks"),
            el("ul").class("da-track-cards").children(cards),
            el("p")
                .class("da-meta")
                .child(link(
                    &Route::Tracks { import: None }.href(),
                    "All tracks, checklists and your progress",
                ))
                .text(" · ")
                .child(kbd("n"))
                .text(" opens the next unread page"),
        ]
    };
    live("da-tracks-summary", render, |_| {})
}

/// Says that progress is only kept in memory, and why; nothing while it is saved.
pub fn storage_notice(reading: Reading) -> Option<Node> {
    reading.memory_only().map(|why| {
        el("p").class("da-notice").attr("role", "note").text(&format!(
            "Your progress is kept in memory only: {why}. It is lost when this page closes; export it to keep it."
        ))
    })
}
