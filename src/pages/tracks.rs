//! The reading tracks: `#/tracks` lists every track with its progress, the checklists, and the
//! progress tools (export, import, share, reset); `#/tracks/<id>` is one track, page by page.
//! Both read the reader's progress where they show it, so a tick anywhere updates them in place.

use std::sync::Arc;

use docatlas_core::tracks::{self, share, PageStatus, Progress, TrackSet};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::reading::{
    doc_route, link_list, next_line, note, prerequisites_list, progress_bar, track_route,
    ChecklistView, Kbd, StorageNotice, TrackCard,
};
use crate::components::{copy_to_clipboard, Drawn, Loading};
use crate::data::folders::count;
use crate::data::progress::{from_json, to_json};
use crate::data::tracks::Reading;
use crate::data::Docs;
use docatlas_web::route::{go, Route};

/// `content(tracks)` once the tracks have loaded, a loading line until then, or why they
/// could not load.
#[component]
fn WithTracks<F, V>(content: F) -> impl IntoView
where
    F: Fn(Arc<TrackSet>) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let reading = expect_context::<Reading>();
    reading.start(&expect_context::<Arc<Docs>>());
    view! {
        <Suspense fallback=|| view! { <Loading text="Loading reading tracks…"/> }>
            {move || reading.loaded().map(|loaded| match loaded {
                Ok(set) => content(set).into_any(),
                Err(e) => view! {
                    <div class="da-error" role="alert">
                        <h1>"The reading tracks could not be loaded"</h1>
                        <p class="da-error-message">{e}</p>
                        <p>"Rebuild the site with `build-index build DOCS --out SITE` and upload the whole folder."</p>
                    </div>
                }
                .into_any(),
            })}
        </Suspense>
        <Drawn/>
    }
}

/// A site with no reading order shows its whole-site track up to this many pages.
const WHOLE_SITE_TRACK_MAX: usize = 300;

/// Every track, the checklists, and the reader's progress tools.
#[component]
pub fn TracksPage(import: Option<String>) -> impl IntoView {
    let shared = import.map(|data| share::decode(&data));
    view! {
        <div class="da-tracks">
            <WithTracks content={move |set: Arc<TrackSet>| {
                // With no reading order the one track is every page in folder order: worth a
                // card on a small site, noise on a large one (its folders are the way in).
                let cards = (0..set.tracks.len())
                    .filter(|&i| {
                        set.has_reading_order()
                            || set.tracks.get(i).is_some_and(|t| t.items.len() <= WHOLE_SITE_TRACK_MAX)
                    })
                    .map(|i| view! { <TrackCard set=set.clone() track=i/> })
                    .collect_view();
                let unordered = (!set.has_reading_order()).then(|| view! {
                    <p class="da-notice" role="note">
                        "Nothing in this site sets a reading order (a “Reading order” list, an mdBook SUMMARY.md, an MkDocs nav, numbered files): browse it "
                        <a href=Route::Home.href()>"by folder"</a>"."
                    </p>
                });
                let lists = set
                    .checklists
                    .iter()
                    .map(|c| view! { <ChecklistView set=set.clone() list=c.clone() on_page=true/> })
                    .collect_view();
                view! {
                    <h1>"Reading tracks"</h1>
                    {shared.clone().map(shared_offer)}
                    <StorageNotice/>
                    <p class="da-lead">
                        "Work through a track page by page. A page read in one track counts in every track that holds it; your progress stays in this browser through rebuilds and edits of the docs."
                    </p>
                    {unordered}
                    <ul class="da-track-cards">{cards}</ul>
                    {(!set.checklists.is_empty()).then(|| view! { <h2>"Checklists"</h2> })}
                    {lists}
                    <Tools set=set.clone()/>
                    <section class="da-keys">
                        <h2>"Keys"</h2>
                        <p>
                            <Kbd key="n"/>" next unread page, from anywhere · "
                            <Kbd key="m"/>" mark the open page read (again to unmark) · "
                            <Kbd key="t"/>" this page · "<Kbd key="/"/>" search"
                        </p>
                    </section>
                }
            }}/>
        </div>
    }
}

/// Progress shared through a link (`#/tracks?import=...`), offered for merging.
fn shared_offer(shared: Result<Progress, share::ShareError>) -> impl IntoView {
    let reading = expect_context::<Reading>();
    let dismiss = move |_| go(&Route::Tracks { import: None }, true);
    match shared {
        Err(e) => view! {
            <div class="da-notice" role="alert">
                <p>{e.to_string()}</p>
                <button type="button" class="da-btn" on:click=dismiss>"Dismiss"</button>
            </div>
        }
        .into_any(),
        Ok(theirs) => {
            let words = format!(
                "This link shares reading progress: {} read, {} ticked.",
                count(theirs.read_count(), "page", "pages"),
                count(theirs.checked_count(), "checklist item", "checklist items")
            );
            let merge = move |_| {
                let r = reading.import(&theirs);
                reading.say(format!(
                    "Merged the shared progress: {} and {} updated",
                    count(r.pages, "page", "pages"),
                    count(r.checks, "checklist item", "checklist items")
                ));
                go(&Route::Tracks { import: None }, true);
            };
            view! {
                <div class="da-import-offer" role="region" aria-label="Shared progress">
                    <p>{words}</p>
                    <button type="button" class="da-btn" on:click=merge>"Merge into my progress"</button>
                    " "
                    <button type="button" class="da-btn" on:click=dismiss>"Ignore"</button>
                </div>
            }
            .into_any()
        }
    }
}

/// Export to a file, import (merging), share as a link, reset.
#[component]
fn Tools(set: Arc<TrackSet>) -> impl IntoView {
    let reading = expect_context::<Reading>();
    let share_link = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let counts = move || {
        // Ticks as the checklists show them: the reader's, else the source's `[x]`.
        let (read, ticked) = reading.progress.with(|p| {
            let ticked = set
                .checklists
                .iter()
                .flat_map(|c| &c.items)
                .filter(|e| p.is_checked(e))
                .count();
            (p.read_count(), ticked)
        });
        let saved = match reading.memory_only.get() {
            None => format!(
                " Saved in this browser for this site (id “{}”).",
                reading.site_id()
            ),
            Some(_) => " Not saved: kept in memory only.".to_string(),
        };
        format!(
            "{} read, {} ticked.{saved}",
            count(read, "page", "pages"),
            count(ticked, "checklist item", "checklist items")
        )
    };
    let export = move |_| {
        let site = reading.site_id();
        let json = reading.progress.with_untracked(|p| to_json(p, &site));
        download(&format!("docatlas-progress-{site}.json"), &json);
        reading.say("Progress exported to a file");
    };
    let share = move |_| {
        let link = reading.progress.with_untracked(share_url);
        copy_to_clipboard(reading, link.clone(), "Link copied to the clipboard");
        share_link.set(Some(link));
    };
    let reset = move |_| {
        confirming.set(false);
        share_link.set(None);
        reading.reset();
        reading.say("Progress reset: nothing is marked read");
    };
    view! {
        <section class="da-progress-tools">
            <h2>"Your progress"</h2>
            <p>{counts}</p>
            <p class="da-tool-row">
                <button type="button" class="da-btn" on:click=export>"Export to a file"</button>
                <label class="da-btn da-file">
                    "Import a file"
                    <input type="file" accept=".json,application/json"
                        on:change=move |ev| import_file(reading, &ev)/>
                </label>
                <button type="button" class="da-btn" on:click=share>"Share as a link"</button>
                <button type="button" class="da-btn da-btn-danger" on:click=move |_| confirming.set(true)>
                    "Reset…"
                </button>
            </p>
            {move || share_link.get().map(|link| view! {
                <p class="da-share">
                    <label>
                        "Link to your progress (opening it offers to merge it): "
                        <input class="da-share-link" type="text" readonly prop:value=link/>
                    </label>
                </p>
            })}
            {move || confirming.get().then(|| view! {
                <div class="da-confirm" role="alertdialog" aria-label="Reset progress">
                    <p>"Forget every page read and every checklist tick of this site, in this browser? Export first if you may want them back."</p>
                    <button type="button" class="da-btn da-btn-danger" on:click=reset>"Yes, reset"</button>
                    " "
                    <button type="button" class="da-btn" on:click=move |_| confirming.set(false)>"Cancel"</button>
                </div>
            })}
            <p class="da-meta">
                "Import merges: for each page and item the later mark wins, and nothing is lost."
            </p>
        </section>
    }
}

/// One track: progress, the next page with what it assumes, and every page with its state.
#[component]
pub fn TrackPage(id: String) -> impl IntoView {
    let reading = expect_context::<Reading>();
    view! {
        <div class="da-track">
            <WithTracks content={move |set: Arc<TrackSet>| {
                let Some(index) = set.tracks.iter().position(|t| t.id == id) else {
                    let others = set
                        .tracks
                        .iter()
                        .map(|t| (track_route(&t.id), t.title.clone(), String::new()))
                        .collect();
                    return view! {
                        <div class="da-error" role="alert">
                            <h1>"No such reading track"</h1>
                            <p>{format!("This site has no track “{id}”; it may have been renamed.")}</p>
                            {link_list("Its tracks: ", others)}
                        </div>
                    }
                    .into_any();
                };
                // `n` follows the track the reader opened last.
                reading.follow_track(&id);
                view! { <TrackBody set=set.clone() track=index/> }.into_any()
            }}/>
        </div>
    }
}

/// The track's header, progress, next page and its prerequisites, its pages, and its
/// checklists.
#[component]
fn TrackBody(set: Arc<TrackSet>, track: usize) -> impl IntoView {
    let reading = expect_context::<Reading>();
    let Some(t) = set.tracks.get(track).cloned() else {
        return ().into_any();
    };
    let origin = set.page_by_path(&t.origin).map(|origin| {
        view! { " in "<a href=doc_route(&origin.path)>{origin.title.clone()}</a> }
    });
    let progress = {
        let (set, t) = (set.clone(), t.clone());
        move || {
            reading.progress.with(|progress| {
                let p = tracks::track_progress(&set, &t, progress);
                let next = p
                    .next
                    .and_then(|i| t.items.get(i))
                    .and_then(|item| Some((item, set.page(item.page)?)));
                let next = match next {
                    Some((item, page)) => {
                        let n = match item.note.as_str() {
                            "" => format!("{} min", page.minutes),
                            n => format!("{} min · {n}", page.minutes),
                        };
                        let line =
                            next_line("Next up: ", doc_route(&page.path), item.title.clone(), n, true);
                        let prerequisites = prerequisites_list(
                            &set,
                            progress,
                            &page.path,
                            "It links to pages you have not read: ",
                        );
                        Some(view! { <div class="da-next-box">{line}{prerequisites}</div> }.into_any())
                    }
                    None => (p.total > 0).then(|| {
                        view! { <p class="da-done-all">"✓ You have read every page of this track."</p> }
                            .into_any()
                    }),
                };
                view! { {progress_bar(&p)}{next} }
            })
        }
    };
    let items = t
        .items
        .iter()
        .filter_map(|item| {
            let page = set.page(item.page)?.clone();
            let path = page.path.clone();
            let read = {
                let path = path.clone();
                Memo::new(move |_| reading.progress.with(|p| p.is_read(&path)))
            };
            let updated = move || {
                reading.progress.with(|p| {
                    matches!(
                        tracks::page_status(p, &page.path, &page.sections),
                        PageStatus::Updated { .. }
                    )
                })
            };
            let docs = expect_context::<Arc<Docs>>();
            let tick = {
                let path = path.clone();
                move |ev| reading.set_read(&docs, &path, event_target_checked(&ev))
            };
            let item_note = (!item.note.is_empty())
                .then(|| view! { <p class="da-summary">{item.note.clone()}</p> });
            Some(view! {
                <li class="da-track-item" class:da-read=read style=("--da-depth", item.depth.to_string())>
                    <input type="checkbox" aria-label=format!("Read “{}”", item.title)
                        prop:checked=read on:change=tick/>
                    " "<a href=doc_route(&path)>{item.title.clone()}</a>
                    {note(format!("{} min", page.minutes))}
                    {move || updated().then(|| view! {
                        <span class="da-badge da-badge-updated">"updated since you read it"</span>
                    })}
                    {item_note}
                </li>
            })
        })
        .collect_view();
    let lists: Vec<_> = set.checklists_of(&t).cloned().collect();
    let lists = (!lists.is_empty()).then(|| {
        let views = lists
            .into_iter()
            .map(|c| view! { <ChecklistView set=set.clone() list=c on_page=true/> })
            .collect_view();
        view! { <h2>"Checklists"</h2>{views} }
    });
    view! {
        <p class="da-meta"><a href=Route::Tracks { import: None }.href()>"All reading tracks"</a></p>
        <h1>{t.title.clone()}</h1>
        <p class="da-meta">{t.source.describe()}{origin}</p>
        <StorageNotice/>
        {progress}
        <ol class="da-track-items">{items}</ol>
        {lists}
    }
    .into_any()
}

/// Reads the progress file chosen in a file input and merges it.
fn import_file(reading: Reading, ev: &leptos::ev::Event) {
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
                    "Imported: {} and {} updated{other_site}",
                    count(r.pages, "page", "pages"),
                    count(r.checks, "checklist item", "checklist items")
                )
            }
        };
        reading.say(message);
    });
}

/// The link that carries `progress` to whoever opens it: this site's `#/tracks?import=...`.
fn share_url(progress: &Progress) -> String {
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
