//! The reading tracks: `#/tracks` lists every track with its progress, the checklists, and the
//! progress tools (export, import, share, reset); `#/tracks/<id>` is one track, page by page.
//! Both are live regions ([`docatlas_web::dom`]) re-rendered when the progress changes.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use docatlas_core::tracks::{self, share, PageStatus, Track, TrackSet};
use wasm_bindgen::JsCast;

use crate::components::reading::{
    act as reading_act, checkbox, checklist_view, doc_route, kbd, link_list, next_line, note,
    prerequisites_list, progress_bar, storage_notice, track_card, track_route, READ,
};
use crate::data::progress::{from_json, to_json};
use crate::data::tracks::Reading;
use crate::data::Docs;
use crate::route::{go, Route};
use docatlas_web::dom::{button, document, el, link, live, refresh, Action, Node};

const EXPORT: &str = "export";
const IMPORT: &str = "import";
const SHARE: &str = "share";
const RESET_ASK: &str = "reset-ask";
const RESET_YES: &str = "reset-yes";
const RESET_NO: &str = "reset-no";
const MERGE_SHARED: &str = "merge-shared";
const DISMISS_SHARED: &str = "dismiss-shared";

/// The loaded tracks, or the nodes that say they are loading or why they failed.
fn loaded(reading: Reading) -> Result<Arc<TrackSet>, Vec<Node>> {
    match reading.loaded() {
        Some(Ok(set)) => Ok(set),
        Some(Err(e)) => Err(vec![el("div")
            .class("da-error")
            .attr("role", "alert")
            .child(el("h1").text("The reading tracks could not be loaded"))
            .child(el("p").class("da-error-message").text(&e))
            .child(el("p").text(
                "Rebuild the site with `build-index build DOCS --out SITE` and upload the whole folder.",
            ))]),
        None => Err(vec![el("p")
            .class("da-loading")
            .attr("role", "status")
            .text("Loading reading tracks…")]),
    }
}

/// Every track, the checklists, and the reader's progress tools.
pub fn tracks_page(atlas: &Arc<Docs>, import: Option<String>) -> Node {
    let reading = Reading;
    reading.start(atlas);
    // The tools' own state: the share link once made, and whether a reset awaits confirmation.
    let share_link = Rc::new(RefCell::new(None::<String>));
    let confirming = Rc::new(RefCell::new(false));
    let shared = Rc::new(import.map(|data| share::decode(&data)));
    let render = {
        let (share_link, confirming, shared) =
            (share_link.clone(), confirming.clone(), shared.clone());
        move || {
            let set = match loaded(reading) {
                Ok(set) => set,
                Err(nodes) => return nodes,
            };
            let mut out = vec![el("h1").text("Reading tracks")];
            out.extend(shared.as_ref().as_ref().map(shared_offer));
            out.extend(storage_notice(reading));
            out.push(el("p").class("da-lead").text(
            "Work through a track page by page. A page read in one track counts in every track that holds it; your progress stays in this browser through rebuilds and edits of the docs.",
        ));
            reading.progress(|p| {
                out.push(
                    el("ul")
                        .class("da-track-cards")
                        .children(set.tracks.iter().map(|t| track_card(&set, t, p))),
                );
                if !set.checklists.is_empty() {
                    out.push(el("h2").text("Checklists"));
                }
                out.extend(
                    set.checklists
                        .iter()
                        .map(|c| checklist_view(&set, c, true, p)),
                );
            });
            out.push(tools(
                reading,
                &set,
                share_link.borrow().clone(),
                *confirming.borrow(),
            ));
            out.push(
                el("section")
                    .class("da-keys")
                    .child(el("h2").text("Keys"))
                    .child(
                        el("p")
                            .child(kbd("n"))
                            .text(" next unread page, from anywhere · ")
                            .child(kbd("m"))
                            .text(" mark the open page read (again to unmark) · ")
                            .child(kbd("t"))
                            .text(" this page · ")
                            .child(kbd("/"))
                            .text(" search"),
                    ),
            );
            out
        }
    };
    let atlas = atlas.clone();
    let act = move |a: Action| match a.name.as_str() {
        EXPORT => {
            let site = reading.site_id();
            let json = reading.progress(|p| to_json(p, &site));
            download(&format!("docatlas-progress-{site}.json"), &json);
            reading.say("Progress exported to a file");
        }
        IMPORT => import_file(reading, &a.element),
        SHARE => {
            let link = reading.progress(share_url);
            copy_to_clipboard(reading, link.clone());
            *share_link.borrow_mut() = Some(link);
            refresh();
        }
        RESET_ASK => {
            *confirming.borrow_mut() = true;
            refresh();
        }
        RESET_NO => {
            *confirming.borrow_mut() = false;
            refresh();
        }
        RESET_YES => {
            *confirming.borrow_mut() = false;
            *share_link.borrow_mut() = None;
            reading.reset();
            reading.say("Progress reset: nothing is marked read");
        }
        MERGE_SHARED => {
            if let Some(Ok(theirs)) = shared.as_ref() {
                let r = reading.import(theirs);
                reading.say(format!(
                    "Merged the shared progress: {} pages and {} checklist items updated",
                    r.pages, r.checks
                ));
            }
            go(&Route::Tracks { import: None }, true);
        }
        DISMISS_SHARED => go(&Route::Tracks { import: None }, true),
        _ => reading_act(reading, &atlas, a),
    };
    live("da-tracks", render, act)
}

/// Progress shared through a link (`#/tracks?import=...`), offered for merging.
fn shared_offer(shared: &Result<tracks::Progress, share::ShareError>) -> Node {
    match shared {
        Err(e) => el("div")
            .class("da-notice")
            .attr("role", "alert")
            .child(el("p").text(&e.to_string()))
            .child(button("Dismiss", DISMISS_SHARED, "")),
        Ok(p) => el("div")
            .class("da-import-offer")
            .attr("role", "region")
            .attr("aria-label", "Shared progress")
            .child(el("p").text(&format!(
                "This link shares reading progress: {} pages read, {} checklist items ticked.",
                p.read_count(),
                p.checked_count()
            )))
            .child(button("Merge into my progress", MERGE_SHARED, ""))
            .text(" ")
            .child(button("Ignore", DISMISS_SHARED, "")),
    }
}

/// Export to a file, import (merging), share as a link, reset.
fn tools(reading: Reading, set: &TrackSet, share_link: Option<String>, confirming: bool) -> Node {
    // Ticks as the checklists show them: the reader's, else the source's `[x]`.
    let (read, ticked) = reading.progress(|p| {
        let ticked = set
            .checklists
            .iter()
            .flat_map(|c| &c.items)
            .filter(|e| p.is_checked(e))
            .count();
        (p.read_count(), ticked)
    });
    let saved = match reading.memory_only() {
        None => format!(
            " Saved in this browser for this site (id “{}”).",
            reading.site_id()
        ),
        Some(_) => " Not saved: kept in memory only.".to_string(),
    };
    let mut section = el("section")
        .class("da-progress-tools")
        .child(el("h2").text("Your progress"))
        .child(el("p").text(&format!(
            "{read} pages read, {ticked} checklist items ticked.{saved}"
        )))
        .child(
            el("p")
                .class("da-tool-row")
                .child(button("Export to a file", EXPORT, ""))
                .child(
                    el("label")
                        .class("da-btn da-file")
                        .text("Import a file")
                        .child(
                            el("input")
                                .attr("type", "file")
                                .attr("accept", ".json,application/json")
                                .action(IMPORT, ""),
                        ),
                )
                .child(button("Share as a link", SHARE, ""))
                .child(button("Reset…", RESET_ASK, "").class("da-btn da-btn-danger")),
        );
    if let Some(link) = share_link {
        section = section.child(
            el("p").class("da-share").child(
                el("label")
                    .text("Link to your progress (opening it offers to merge it): ")
                    .child(
                        el("input")
                            .class("da-share-link")
                            .attr("type", "text")
                            .attr("readonly", "")
                            .attr("value", &link),
                    ),
            ),
        );
    }
    if confirming {
        section = section.child(
            el("div")
                .class("da-confirm")
                .attr("role", "alertdialog")
                .attr("aria-label", "Reset progress")
                .child(el("p").text(
                    "Forget every page read and every checklist tick of this site, in this browser? Export first if you may want them back.",
                ))
                .child(button("Yes, reset", RESET_YES, "").class("da-btn da-btn-danger"))
                .text(" ")
                .child(button("Cancel", RESET_NO, "")),
        );
    }
    section.child(
        el("p").class("da-meta").text(
            "Import merges: for each page and item the later mark wins, and nothing is lost.",
        ),
    )
}

/// One track: progress, the next page with what it assumes, and every page with its state.
pub fn track_page(atlas: &Arc<Docs>, id: String) -> Node {
    let reading = Reading;
    reading.start(atlas);
    let render = move || {
        let set = match loaded(reading) {
            Ok(set) => set,
            Err(nodes) => return nodes,
        };
        let Some(track) = set.track(&id) else {
            let others = set
                .tracks
                .iter()
                .map(|t| (track_route(&t.id), t.title.clone(), String::new()))
                .collect();
            return vec![el("div")
                .class("da-error")
                .attr("role", "alert")
                .child(el("h1").text("No such reading track"))
                .child(el("p").text(&format!(
                    "This site has no track “{id}”; it may have been renamed."
                )))
                .child(link_list("Its tracks: ", others))];
        };
        // `n` follows the track the reader opened last.
        reading.follow_track(&id);
        let mut header = el("p").class("da-meta").text(track.source.describe());
        if let Some(origin) = set.page_by_path(&track.origin) {
            header = header
                .text(" in ")
                .child(link(&doc_route(&origin.path), &origin.title));
        }
        let mut out = vec![
            el("p").class("da-meta").child(link(
                &Route::Tracks { import: None }.href(),
                "All reading tracks",
            )),
            el("h1").text(&track.title),
            header,
        ];
        out.extend(storage_notice(reading));
        reading.progress(|p| out.extend(track_body(&set, track, p)));
        out
    };
    let atlas = atlas.clone();
    let act = move |a| reading_act(reading, &atlas, a);
    live("da-track", render, act)
}

/// The track's progress, next page and its prerequisites, its pages, and its checklists.
fn track_body(set: &TrackSet, track: &Track, progress: &tracks::Progress) -> Vec<Node> {
    let p = tracks::track_progress(set, track, progress);
    let mut out: Vec<Node> = progress_bar(&p).into();
    if let Some((item, page)) = p
        .next
        .and_then(|i| track.items.get(i))
        .and_then(|item| Some((item, set.page(item.page)?)))
    {
        let n = match item.note.as_str() {
            "" => format!("{} min", page.minutes),
            n => format!("{} min · {n}", page.minutes),
        };
        let mut next_box = el("div").class("da-next-box").child(next_line(
            "Next up: ",
            &doc_route(&page.path),
            &item.title,
            &n,
            true,
        ));
        if let Some(list) = prerequisites_list(
            set,
            progress,
            &page.path,
            "It links to pages you have not read: ",
        ) {
            next_box = next_box.child(list);
        }
        out.push(next_box);
    } else if p.total > 0 {
        out.push(
            el("p")
                .class("da-done-all")
                .text("✓ You have read every page of this track."),
        );
    }
    let items = track.items.iter().filter_map(|item| {
        let page = set.page(item.page)?;
        let read = progress.is_read(&page.path);
        let mut li = el("li")
            .class(if read {
                "da-track-item da-read"
            } else {
                "da-track-item"
            })
            .attr("style", &format!("--da-depth: {}", item.depth))
            .child(checkbox(
                READ,
                &page.path,
                read,
                &format!("Read “{}”", item.title),
            ))
            .text(" ")
            .child(link(&doc_route(&page.path), &item.title))
            .child(note(&format!("{} min", page.minutes)));
        if matches!(
            tracks::page_status(progress, &page.path, &page.sections),
            PageStatus::Updated { .. }
        ) {
            li = li.child(
                el("span")
                    .class("da-badge da-badge-updated")
                    .text("updated since you read it"),
            );
        }
        if !item.note.is_empty() {
            li = li.child(el("p").class("da-summary").text(&item.note));
        }
        Some(li)
    });
    out.push(el("ol").class("da-track-items").children(items));
    let lists: Vec<Node> = set
        .checklists_of(track)
        .map(|c| checklist_view(set, c, true, progress))
        .collect();
    if !lists.is_empty() {
        out.push(el("h2").text("Checklists"));
        out.extend(lists);
    }
    out
}

/// Reads the progress file chosen in a file input and merges it.
fn import_file(reading: Reading, element: &web_sys::Element) {
    let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() else {
        return;
    };
    let file = input.files().and_then(|f| f.get(0));
    input.set_value("");
    let Some(file) = file else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|t| t.as_string());
        let message = match text.as_deref().map(from_json) {
            None => "The file could not be read".to_string(),
            Some(Err(e)) => format!("Not imported: {e}"),
            Some(Ok((theirs, site))) => {
                let r = reading.import(&theirs);
                let other_site = site
                    .filter(|s| *s != reading.site_id())
                    .map(|s| format!(" (it was saved on another site, “{s}”)"))
                    .unwrap_or_default();
                format!(
                    "Imported: {} pages and {} checklist items updated{other_site}",
                    r.pages, r.checks
                )
            }
        };
        reading.say(message);
    });
}

/// The link that carries `progress` to whoever opens it: this site's `#/tracks?import=...`.
fn share_url(progress: &tracks::Progress) -> String {
    let here = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let base = here.split('#').next().unwrap_or_default();
    format!(
        "{base}{}",
        Route::Tracks {
            import: Some(share::encode(progress))
        }
        .href()
    )
}

/// Puts `text` on the clipboard where the browser allows it, and says what happened.
fn copy_to_clipboard(reading: Reading, text: String) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let clipboard = js_sys::Reflect::get(&window, &"navigator".into())
        .and_then(|n| js_sys::Reflect::get(&n, &"clipboard".into()))
        .ok()
        .filter(|c| c.is_object());
    let write = clipboard.as_ref().and_then(|c| {
        js_sys::Reflect::get(c, &"writeText".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()
    });
    let promise = match (clipboard, write) {
        (Some(c), Some(f)) => f
            .call1(&c, &text.into())
            .ok()
            .and_then(|p| p.dyn_into::<js_sys::Promise>().ok()),
        _ => None,
    };
    wasm_bindgen_futures::spawn_local(async move {
        let copied = match promise {
            Some(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
            None => false,
        };
        reading.say(if copied {
            "Link copied to the clipboard"
        } else {
            "Copy the link shown below"
        });
    });
}

/// Offers `text` as a file download named `name`.
fn download(name: &str, text: &str) {
    let document = document();
    let Ok(a) = document.create_element("a") else {
        return;
    };
    let href = format!(
        "data:application/json;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(text))
    );
    let _ = a.set_attribute("href", &href);
    let _ = a.set_attribute("download", name);
    let _ = a.set_attribute("hidden", "");
    let Some(body) = document.body() else {
        return;
    };
    let _ = body.append_child(&a);
    if let Ok(el) = a.clone().dyn_into::<web_sys::HtmlElement>() {
        el.click();
    }
    a.remove();
}
