//! Home: the page list, grouped by folder, with titles and summaries. The list is its own data
//! file, fetched when it is shown: at once for a site of a few hundred pages, on request for a
//! larger one, so opening the app never waits for it before a search.

use std::collections::BTreeMap;
use std::sync::Arc;

use docatlas_core::files::PageEntry;
use wasm_bindgen::JsCast;

use crate::components::reading::{kbd, tracks_summary};
use crate::components::{error_box, loading};
use crate::data::Docs;
use crate::route::Route;
use docatlas_web::dom::{el, link, Node};

/// Sites with at most this many pages list them on the home page straight away.
const LIST_AT_ONCE: u32 = 300;

/// The page list.
pub fn page(atlas: &Arc<Docs>) -> Node {
    let count = atlas.pages;
    // A small site fetches its page list (and tracks) for this view anyway; a large one keeps the
    // landing view to the head alone, so the first search never waits, and links to the tracks.
    let tracks = if count <= LIST_AT_ONCE {
        tracks_summary(atlas)
    } else {
        el("p")
            .class("da-tracks-link")
            .child(link(
                &Route::Tracks { import: None }.href(),
                "Reading tracks",
            ))
            .text(": what to read first, and how far you are (press ")
            .child(kbd("t"))
            .text(")")
    };
    let body = el("div");
    let list = body.element().clone();
    if count <= LIST_AT_ONCE {
        load_list(atlas.clone(), list);
    } else {
        let atlas = atlas.clone();
        let more = el("button")
            .attr("type", "button")
            .class("da-more")
            .text(&format!("Show all {count} pages"))
            .on("click", move |ev| {
                // The list is found from the button, not kept: a handler holding the element
                // it sits in would keep both alive after the view is gone.
                let list = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|b| b.parent_element());
                if let Some(list) = list {
                    load_list(atlas.clone(), list);
                }
            });
        let _ = list.append_child(more.element());
    }
    el("div")
        .class("da-home")
        .child(
            el("p")
                .class("da-lead")
                .text(&format!("{count} pages. Press / to search.")),
        )
        .child(tracks)
        .child(body)
}

/// Fetches the page list into `into`, with a loading line until it is there.
fn load_list(atlas: Arc<Docs>, into: web_sys::Element) {
    docatlas_web::dom::show(&into, [loading("Loading the page list…")]);
    wasm_bindgen_futures::spawn_local(async move {
        let nodes = match atlas.page_list().await {
            Ok(pages) => groups(&pages),
            Err(e) => vec![error_box(&e)],
        };
        docatlas_web::dom::show(&into, nodes);
    });
}

fn groups(pages: &[PageEntry]) -> Vec<Node> {
    let mut groups: BTreeMap<&str, Vec<&PageEntry>> = BTreeMap::new();
    for p in pages {
        let folder = p.path.rsplit_once('/').map_or("", |(dir, _)| dir);
        groups.entry(folder).or_default().push(p);
    }
    groups
        .into_iter()
        .map(|(folder, pages)| {
            let heading = if folder.is_empty() {
                "Start here"
            } else {
                folder
            };
            let items = pages.into_iter().map(|d| {
                let href = Route::Doc {
                    query: None,
                    path: d.path.clone(),
                    anchor: None,
                }
                .href();
                let mut li = el("li").class("da-page-item").child(link(&href, &d.title));
                if let Some(k) = &d.kind {
                    li = li.child(el("span").class("da-badge").text(k));
                }
                li.child(
                    el("span")
                        .class("da-meta")
                        .text(&format!("{} min", d.read_minutes)),
                )
                .child(el("p").class("da-summary").text(&d.summary))
            });
            el("section")
                .class("da-group")
                .child(el("h2").text(heading))
                .child(el("ul").class("da-page-list").children(items))
        })
        .collect()
}
