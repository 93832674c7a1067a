//! Everything a page shows about the reader's progress, in one component the page view inserts
//! with one line: "mark as read" (also `m`), "updated since you read it" with the changed
//! sections marked in the page, the tracks the page is in, the next unread page (also `n`),
//! unread prerequisites, and the page's checklists.

use std::sync::Arc;

use docatlas_core::tracks::{self, PageStatus, Progress, SectionHash, TrackSet};
use wasm_bindgen::JsCast;

use crate::components::reading::{
    act as reading_act, checklist_view, doc_route, kbd, link_list, next_line, prerequisites_list,
    storage_notice, track_route, MARK_READ, MARK_UNREAD,
};
use crate::data::tracks::{page_sections, Reading};
use crate::data::Docs;
use crate::route::Route;
use docatlas_web::dom::{el, live, Node};

/// The attribute that marks a heading whose section changed since the reader read the page.
const CHANGED_ATTR: &str = "data-da-changed";

/// The reading progress of the page at `path`, whose HTML is in `body` (where the headings of
/// sections changed since the reader read it are marked).
pub fn read_progress(atlas: &Arc<Docs>, path: &str, body: web_sys::Element) -> Node {
    let reading = Reading;
    reading.start(atlas);
    let aside = el("aside")
        .class("da-reading")
        .attr("aria-label", "Reading progress");
    let render = {
        let (atlas, path) = (atlas.clone(), path.to_string());
        move || {
            let set = reading.tracks();
            let sections = page_sections(&atlas, set.as_deref(), &path);
            let (mut nodes, changed) = reading.progress(|p| {
                let changed = match tracks::page_status(p, &path, &sections) {
                    PageStatus::Updated { changed, .. } => changed,
                    _ => Vec::new(),
                };
                (page_box(set.as_deref(), &path, &sections, p), changed)
            });
            nodes.extend(storage_notice(reading));
            mark_changed(&body, &changed);
            nodes
        }
    };
    let atlas = atlas.clone();
    let act = move |a| reading_act(reading, &atlas, a);
    aside.child(live("da-reading-live", render, act))
}

fn page_box(
    set: Option<&TrackSet>,
    path: &str,
    sections: &[SectionHash],
    progress: &Progress,
) -> Vec<Node> {
    let status = tracks::page_status(progress, path, sections);
    let (badge, label, action) = match &status {
        PageStatus::Unread => (None, "Mark as read", MARK_READ),
        PageStatus::Read => (Some("✓ Read"), "Mark as unread", MARK_UNREAD),
        PageStatus::Updated { .. } => (Some("✓ Read"), "Mark as read again", MARK_READ),
    };
    let mut line = el("p").class("da-read-state");
    if let Some(b) = badge {
        line = line
            .child(el("span").class("da-read-badge").text(b))
            .text(" ");
    }
    let line = line
        .child(
            el("button")
                .attr("type", "button")
                .class("da-btn")
                .action(action, path)
                .text(label),
        )
        .text(" ")
        .child(kbd("m"));
    let mut out = vec![line];
    if let PageStatus::Updated { changed, removed } = status {
        let links = changed
            .iter()
            .filter_map(|a| sections.iter().find(|s| &s.anchor == a))
            .map(|s| {
                let href = Route::Doc {
                    path: path.to_string(),
                    anchor: Some(s.anchor.clone()).filter(|a| !a.is_empty()),
                    query: None,
                }
                .href();
                let name = if s.anchor.is_empty() {
                    "the introduction".to_string()
                } else {
                    s.heading.clone()
                };
                (href, name, String::new())
            })
            .collect();
        let gone = match removed.len() {
            0 => String::new(),
            1 => "One section you read is gone.".into(),
            n => format!("{n} sections you read are gone."),
        };
        out.push(
            el("div")
                .class("da-updated")
                .attr("role", "status")
                .child(el("strong").text("Updated since you read it."))
                .child(link_list("Changed sections: ", links))
                .text(&gone),
        );
    }
    let Some(set) = set else {
        return out;
    };
    // The tracks the page is in, what comes next, what it links to that is unread, checklists.
    let in_tracks: Vec<_> = set
        .tracks_with(path)
        .map(|t| {
            let p = tracks::track_progress(set, t, progress);
            let position = t
                .items
                .iter()
                .position(|i| set.item_path(i) == Some(path))
                .map_or(0, |i| i.saturating_add(1));
            (
                track_route(&t.id),
                t.title.clone(),
                format!("page {position} of {}, {} read", p.total, p.done),
            )
        })
        .collect();
    if !in_tracks.is_empty() {
        out.push(link_list("In reading tracks: ", in_tracks));
    }
    if let Some((t, item, page)) = tracks::next_unread(set, progress, Some(path))
        .and_then(|(t, item)| Some((t, item, set.page(item.page)?)))
    {
        let n = format!("{} min · {}", page.minutes, t.title);
        out.push(next_line(
            "Next unread: ",
            &doc_route(&page.path),
            &item.title,
            &n,
            true,
        ));
    }
    out.extend(prerequisites_list(
        set,
        progress,
        path,
        "Links to pages you have not read: ",
    ));
    out.extend(
        set.checklists_on(path)
            .map(|c| checklist_view(set, c, false, progress)),
    );
    out
}

/// Marks the headings of the changed sections in the page body (and unmarks the others).
fn mark_changed(body: &web_sys::Element, anchors: &[String]) {
    if let Ok(old) = body.query_selector_all(&format!("[{CHANGED_ATTR}]")) {
        for i in 0..old.length() {
            if let Some(el) = old
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let _ = el.remove_attribute(CHANGED_ATTR);
            }
        }
    }
    for anchor in anchors.iter().filter(|a| !a.is_empty()) {
        let selector = format!(
            "[id=\"{}\"]",
            anchor.replace('\\', "\\\\").replace('"', "\\\"")
        );
        if let Ok(Some(heading)) = body.query_selector(&selector) {
            let _ = heading.set_attribute(CHANGED_ATTR, "updated since you read it");
        }
    }
}
