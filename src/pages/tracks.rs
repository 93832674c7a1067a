//! The reading tracks: `#/tracks` lists every track with its progress, the checklists, and the
//! progress tools (export, import, share, reset); `#/tracks/<id>` is one track, page by page.

use std::sync::Arc;

use docatlas_core::tracks::{self, share, PageStatus, Track, TrackSet};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::dom::{el, link, Live, Node};
use crate::components::reading::{
    act as reading_act, checkbox, checklist_view, doc_route, link_list, next_line, note,
    progress_bar, track_card, StorageNotice, READ,
};
use crate::data::progress::{from_json, to_json};
use crate::data::tracks::Reading;
use crate::data::Atlas;
use crate::route::{go, Route};

/// Shown while `tracks.bin` loads, or why it did not.
fn not_ready(state: Option<Result<Arc<TrackSet>, String>>) -> AnyView {
    match state {
        Some(Err(e)) => view! {
            <div class="da-error" role="alert">
                <h1>"The reading tracks could not be loaded"</h1>
                <p class="da-error-message">{e}</p>
                <p>"Rebuild the site with "<code>"build-index build DOCS --out SITE"</code>" and upload the whole folder."</p>
            </div>
        }
        .into_any(),
        _ => view! { <p class="da-loading" role="status">"Loading reading tracks…"</p> }.into_any(),
    }
}

/// Every track, the checklists, and the reader's progress tools.
#[component]
pub fn TracksPage(atlas: Arc<Atlas>, import: Option<String>) -> impl IntoView {
    let reading = expect_context::<Reading>();
    reading.start(&atlas);
    move || {
        let set = match reading.set.get() {
            Some(Ok(set)) => set,
            other => return not_ready(other),
        };
        let offer = import
            .clone()
            .map(|data| view! { <SharedImport data=data/> });
        let render = {
            let set = set.clone();
            move || {
                reading.progress.with(|p| {
                    let mut out = vec![el("ul")
                        .class("da-track-cards")
                        .children(set.tracks.iter().map(|t| track_card(&set, t, p)))];
                    if !set.checklists.is_empty() {
                        out.push(el("h2").text("Checklists"));
                    }
                    out.extend(
                        set.checklists
                            .iter()
                            .map(|c| checklist_view(&set, c, true, p)),
                    );
                    out
                })
            }
        };
        let atlas = atlas.clone();
        let act = move |a| reading_act(reading, &atlas, a);
        view! {
            <div class="da-tracks">
                <h1>"Reading tracks"</h1>
                {offer}
                <StorageNotice/>
                <p class="da-lead">"Work through a track page by page. A page read in one track counts in every track that holds it; your progress stays in this browser through rebuilds and edits of the docs."</p>
                <Live render=Box::new(render) act=Box::new(act) class="da-tracks-live"/>
                <ProgressTools/>
                <section class="da-keys">
                    <h2>"Keys"</h2>
                    <p><kbd>"n"</kbd>" next unread page, from anywhere · "<kbd>"m"</kbd>" mark the open page read (again to unmark) · "
                       <kbd>"t"</kbd>" this page · "<kbd>"/"</kbd>" search"</p>
                </section>
            </div>
        }
        .into_any()
    }
}

/// One track: progress, the next page with what it assumes, and every page with its state.
#[component]
pub fn TrackPage(atlas: Arc<Atlas>, id: String) -> impl IntoView {
    let reading = expect_context::<Reading>();
    reading.start(&atlas);
    {
        let id = id.clone();
        Effect::new(move |_| {
            if reading.tracks().is_some_and(|s| s.track(&id).is_some()) {
                reading.follow_track(&id);
            }
        });
    }
    move || {
        let set = match reading.set.get() {
            Some(Ok(set)) => set,
            other => return not_ready(other),
        };
        match set.track(&id).cloned() {
            Some(track) => track_view(atlas.clone(), set, track),
            None => {
                let others = set
                    .tracks
                    .iter()
                    .map(|t| view! { <li><a href=Route::Track { id: t.id.clone() }.href()>{t.title.clone()}</a></li> })
                    .collect_view();
                view! {
                    <div class="da-error" role="alert">
                        <h1>"No such reading track"</h1>
                        <p>"This site has no track "<code>{id.clone()}</code>"; it may have been renamed. Its tracks:"</p>
                        <ul>{others}</ul>
                    </div>
                }
                .into_any()
            }
        }
    }
}

fn track_view(atlas: Arc<Atlas>, set: Arc<TrackSet>, track: Track) -> AnyView {
    let reading = expect_context::<Reading>();
    let origin = set
        .page_by_path(&track.origin)
        .map(|p| view! { " in "<a href=doc_route(&p.path)>{p.title.clone()}</a> });
    let header = view! {
        <p class="da-meta"><a href=Route::Tracks { import: None }.href()>"All reading tracks"</a></p>
        <h1>{track.title.clone()}</h1>
        <p class="da-meta">{track.source.describe()}{origin}</p>
    };
    let render = move || reading.progress.with(|p| track_body(&set, &track, p));
    let act = move |a| reading_act(reading, &atlas, a);
    view! {
        <div class="da-track">
            {header}
            <StorageNotice/>
            <Live render=Box::new(render) act=Box::new(act) class="da-track-live"/>
        </div>
    }
    .into_any()
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
        let prereqs: Vec<_> = tracks::prerequisites(set, progress, &page.path)
            .into_iter()
            .map(|p| {
                (
                    doc_route(&p.path),
                    p.title.clone(),
                    format!("{} min", p.minutes),
                )
            })
            .collect();
        if !prereqs.is_empty() {
            next_box = next_box.child(link_list("It links to pages you have not read: ", prereqs));
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

/// Progress shared through a link (`#/tracks?import=...`), offered for merging.
#[component]
fn SharedImport(data: String) -> impl IntoView {
    let reading = expect_context::<Reading>();
    let dismiss = move || go(&Route::Tracks { import: None }, true);
    match share::decode(&data) {
        Err(e) => view! {
            <div class="da-notice" role="alert">
                <p>{e.to_string()}</p>
                <button type="button" class="da-link-btn" on:click=move |_| dismiss()>"Dismiss"</button>
            </div>
        }
        .into_any(),
        Ok(shared) => {
            let counts = format!(
                "This link shares reading progress: {} pages read, {} checklist items ticked.",
                shared.read_count(),
                shared.checked_count()
            );
            let shared = StoredValue::new(shared);
            let merge = move |_| {
                let r = reading.import(&shared.get_value());
                reading.status.set(format!(
                    "Merged the shared progress: {} pages and {} checklist items updated",
                    r.pages, r.checks
                ));
                dismiss();
            };
            view! {
                <div class="da-import-offer" role="region" aria-label="Shared progress">
                    <p>{counts}</p>
                    <button type="button" class="da-btn" on:click=merge>"Merge into my progress"</button>
                    " "<button type="button" class="da-link-btn" on:click=move |_| dismiss()>"Ignore"</button>
                </div>
            }
            .into_any()
        }
    }
}

/// Export to a file, import (merging), share as a link, reset.
#[component]
fn ProgressTools() -> impl IntoView {
    let reading = expect_context::<Reading>();
    let share_link = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let summary = move || {
        // Ticks as the checklists show them: the reader's, else the source's `[x]`.
        let ticked = reading.tracks().map_or(0, |set| {
            reading.progress.with(|p| {
                set.checklists
                    .iter()
                    .flat_map(|c| &c.items)
                    .filter(|e| p.is_checked(e))
                    .count()
            })
        });
        let counts = reading.progress.with(|p| {
            format!(
                "{} pages read, {ticked} checklist items ticked.",
                p.read_count()
            )
        });
        match reading.memory_only.get() {
            None => format!(
                "{counts} Saved in this browser for this site (id “{}”).",
                reading.site_id()
            ),
            Some(_) => format!("{counts} Not saved: kept in memory only."),
        }
    };
    let export = move |_| {
        let site = reading.site_id();
        let json = reading.progress.with_untracked(|p| to_json(p, &site));
        download(&format!("docatlas-progress-{site}.json"), &json);
        reading.status.set("Progress exported to a file".into());
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let file = input.files().and_then(|f| f.get(0));
        input.set_value("");
        let Some(file) = file else {
            return;
        };
        leptos::task::spawn_local(async move {
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
            reading.status.set(message);
        });
    };
    let share = move |_| {
        let link = reading.progress.with_untracked(share_url);
        copy_to_clipboard(reading, link.clone());
        share_link.set(Some(link));
    };
    let reset = move |_| {
        reading.reset();
        confirming.set(false);
        share_link.set(None);
        reading
            .status
            .set("Progress reset: nothing is marked read".into());
    };
    view! {
        <section class="da-progress-tools" aria-labelledby="da-progress-heading">
            <h2 id="da-progress-heading">"Your progress"</h2>
            <p>{summary}</p>
            <p class="da-tool-row">
                <button type="button" class="da-btn" on:click=export>"Export to a file"</button>
                <label class="da-btn da-file">
                    "Import a file"
                    <input type="file" accept=".json,application/json" on:change=import/>
                </label>
                <button type="button" class="da-btn" on:click=share>"Share as a link"</button>
                <button type="button" class="da-btn da-btn-danger" on:click=move |_| confirming.set(true)>"Reset…"</button>
            </p>
            {move || share_link.get().map(|link| view! {
                <p class="da-share">
                    <label>"Link to your progress (opening it offers to merge it): "
                        <input class="da-share-link" type="text" readonly prop:value=link on:focus=|ev| {
                            if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { i.select(); }
                        }/>
                    </label>
                </p>
            })}
            {move || confirming.get().then(|| view! {
                <div class="da-confirm" role="alertdialog" aria-label="Reset progress">
                    <p>"Forget every page read and every checklist tick of this site, in this browser? Export first if you may want them back."</p>
                    <button type="button" class="da-btn da-btn-danger" on:click=reset>"Yes, reset"</button>
                    " "<button type="button" class="da-link-btn" on:click=move |_| confirming.set(false)>"Cancel"</button>
                </div>
            })}
            <p class="da-meta">"Import merges: for each page and item the later mark wins, and nothing is lost."</p>
        </section>
    }
}

/// The link that carries `progress` to whoever opens it: this site's `#/tracks?import=...`.
fn share_url(progress: &tracks::Progress) -> String {
    let here = window().location().href().unwrap_or_default();
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
    let clipboard = js_sys::Reflect::get(&window(), &"navigator".into())
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
    leptos::task::spawn_local(async move {
        let copied = match promise {
            Some(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
            None => false,
        };
        reading.status.set(if copied {
            "Link copied to the clipboard".into()
        } else {
            "Copy the link shown below".into()
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
