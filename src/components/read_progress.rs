//! Everything a page shows about the reader's progress, in one component the page view inserts
//! with one line: "mark as read" (also `m`), "updated since you read it" with the changed
//! sections marked in the page, the tracks the page is in, the next unread page (also `n`),
//! unread prerequisites, and the page's checklists.

use std::sync::Arc;

use docatlas_core::tracks::{self, PageStatus, SectionHash, TrackSet};
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::reading::{
    doc_route, link_list, next_line, prerequisites_list, track_route, ChecklistView, Kbd,
    StorageNotice,
};
use crate::data::tracks::{page_sections, Reading};
use crate::data::Docs;
use docatlas_web::route::Route;

/// The attribute that marks a heading whose section changed since the reader read the page.
const CHANGED_ATTR: &str = "data-da-changed";

/// The reading progress of the page at `path`, whose HTML is in `body` (where the headings of
/// sections changed since the reader read it are marked). Shown at once; what the tracks say
/// (the tracks the page is in, what is next) joins it when they have loaded.
#[component]
pub fn ReadProgress(path: String, body: NodeRef<Div>) -> impl IntoView {
    let reading = expect_context::<Reading>();
    reading.start(&expect_context::<Arc<Docs>>());
    let fallback = {
        let path = path.clone();
        move || view! { <PageBox set=None path=path.clone() body=body/> }
    };
    view! {
        <aside class="da-reading" aria-label="Reading progress">
            <Suspense fallback=fallback>
                {move || {
                    let set = reading.loaded()?.ok();
                    Some(view! { <PageBox set=set path=path.clone() body=body/> })
                }}
            </Suspense>
        </aside>
    }
}

/// The box, with the tracks if they are known.
#[component]
fn PageBox(set: Option<Arc<TrackSet>>, path: String, body: NodeRef<Div>) -> impl IntoView {
    let reading = expect_context::<Reading>();
    let docs = expect_context::<Arc<Docs>>();
    let sections = Arc::new(page_sections(&docs, set.as_deref(), &path));
    let status = {
        let (path, sections) = (path.clone(), sections.clone());
        Memo::new(move |_| {
            reading
                .progress
                .with(|p| tracks::page_status(p, &path, &sections))
        })
    };
    // The headings of the sections changed since the reader read the page are marked in it.
    Effect::new(move |_| {
        let changed = match status.get() {
            PageStatus::Updated { changed, .. } => changed,
            _ => Vec::new(),
        };
        if let Some(body) = body.get() {
            mark_changed(&body, &changed);
        }
    });
    let button = {
        let path = path.clone();
        let docs = docs.clone();
        view! {
            <button type="button" class="da-btn" on:click=move |_| {
                let read = matches!(status.get_untracked(), PageStatus::Unread | PageStatus::Updated { .. });
                reading.set_read(&docs, &path, read);
            }>
                {move || match status.get() {
                    PageStatus::Unread => "Mark as read",
                    PageStatus::Read => "Mark as unread",
                    PageStatus::Updated { .. } => "Mark as read again",
                }}
            </button>
        }
    };
    let badge = move || {
        (!matches!(status.get(), PageStatus::Unread))
            .then(|| view! { <span class="da-read-badge">"✓ Read"</span>" " })
    };
    let updated = {
        let (path, sections) = (path.clone(), sections.clone());
        move || {
            let PageStatus::Updated { changed, removed } = status.get() else {
                return None;
            };
            let links = changed
                .iter()
                .filter_map(|a| sections.iter().find(|s| &s.anchor == a))
                .map(|s| changed_link(&path, s))
                .collect();
            let gone = match removed.len() {
                0 => String::new(),
                1 => "One section you read is gone.".into(),
                n => format!("{n} sections you read are gone."),
            };
            Some(view! {
                <div class="da-updated" role="status">
                    <strong>"Updated since you read it."</strong>
                    {link_list("Changed sections: ", links)}
                    {gone}
                </div>
            })
        }
    };
    let in_tracks = set.map(|set| {
        let lists = set
            .checklists_on(&path)
            .map(|c| view! { <ChecklistView set=set.clone() list=c.clone() on_page=false/> })
            .collect_view();
        let around = move || {
            reading.progress.with(|progress| {
                // The tracks the page is in, what comes next, what it links to that is unread.
                // The whole-site track of a site with no reading order says nothing about this
                // page ("page 3120 of 7200").
                let in_tracks: Vec<_> = set
                    .tracks_with(&path)
                    .filter(|t| t.source != tracks::Source::Default)
                    .map(|t| {
                        let p = tracks::track_progress(&set, t, progress);
                        let position = t
                            .items
                            .iter()
                            .position(|i| set.item_path(i) == Some(path.as_str()))
                            .map_or(0, |i| i.saturating_add(1));
                        (
                            track_route(&t.id),
                            t.title.clone(),
                            format!("page {position} of {}, {} read", p.total, p.done),
                        )
                    })
                    .collect();
                let in_tracks =
                    (!in_tracks.is_empty()).then(|| link_list("In reading tracks: ", in_tracks));
                let next = tracks::next_unread(&set, progress, Some(&path))
                    .and_then(|(t, item)| Some((t, item, set.page(item.page)?)))
                    .map(|(t, item, page)| {
                        next_line(
                            "Next unread: ",
                            doc_route(&page.path),
                            item.title.clone(),
                            format!("{} min · {}", page.minutes, t.title),
                            true,
                        )
                    });
                let prerequisites =
                    prerequisites_list(&set, progress, &path, "Links to pages you have not read: ");
                view! { {in_tracks}{next}{prerequisites} }
            })
        };
        view! { {around}{lists} }
    });
    view! {
        <p class="da-read-state">{badge}{button}" "<Kbd key="m"/></p>
        {updated}
        {in_tracks}
        <StorageNotice/>
    }
}

/// A link to a section that changed since the reader read the page.
fn changed_link(path: &str, s: &SectionHash) -> (String, String, String) {
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
}

/// Marks the headings of the changed sections in the page body (and unmarks the others).
fn mark_changed(body: &web_sys::HtmlDivElement, anchors: &[String]) {
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
