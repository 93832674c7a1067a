//! The reading keys, from anywhere in the app: `n` opens the next unread page, `m` marks the
//! open page read (or unread again), `t` opens the tracks. Never while typing in a field or
//! with a modifier held. Also takes in progress another tab saved.

use std::sync::Arc;

use docatlas_core::tracks;
use gloo_events::{EventListener, EventListenerOptions};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::data::tracks::Reading;
use crate::data::Docs;
use docatlas_web::route::{go, Route};

/// Listens for the reading keys and for progress saved in another tab while it is mounted
/// (the app mounts it once, for the page's lifetime). Renders nothing.
#[component]
pub fn ReadingKeys(route: Memo<Route>) -> impl IntoView {
    let reading = expect_context::<Reading>();
    let docs = expect_context::<Arc<Docs>>();
    let window = window();
    // `tracks.bin` is loaded on the first reading key, not at start: opening the app must not
    // fetch anything a first search does not need.
    let keys = EventListener::new_with_options(
        &window,
        "keydown",
        EventListenerOptions::enable_prevent_default(),
        move |ev| {
            let Some(ev) = ev.dyn_ref::<web_sys::KeyboardEvent>() else {
                return;
            };
            if ev.ctrl_key()
                || ev.meta_key()
                || ev.alt_key()
                || ev.default_prevented()
                || typing(ev)
            {
                return;
            }
            let current = match route.get_untracked() {
                Route::Doc { path, .. } => Some(path),
                _ => None,
            };
            if matches!(ev.key().as_str(), "n" | "m") {
                reading.start(&docs);
            }
            match ev.key().as_str() {
                "n" => {
                    ev.prevent_default();
                    next_unread(reading, current.as_deref());
                }
                "m" => {
                    // Only a page that is open (its page file loaded): a missing page is not marked.
                    let Some(page) = current.and_then(|p| docs.loaded_page(&p)) else {
                        return;
                    };
                    ev.prevent_default();
                    let read = !reading.progress.with_untracked(|p| p.is_read(&page.path));
                    reading.set_read(&docs, &page.path, read);
                    let title = page.title;
                    reading.say(if read {
                        format!("Marked “{title}” as read")
                    } else {
                        format!("Marked “{title}” as unread")
                    });
                }
                "t" => {
                    ev.prevent_default();
                    go(&Route::Tracks { import: None }, false);
                }
                _ => {}
            }
        },
    );
    let storage = EventListener::new(&window, "storage", move |ev| {
        if let Some(key) = ev
            .dyn_ref::<web_sys::StorageEvent>()
            .and_then(web_sys::StorageEvent::key)
        {
            reading.reload(&key);
        }
    });
    // Dropped (and so removed) with this component.
    StoredValue::new_local((keys, storage));
}

/// Opens the next unread page after `current`, or says there is none.
fn next_unread(reading: Reading, current: Option<&str>) {
    let Some(set) = reading.tracks_now() else {
        // Still loading (the first key press starts it): the tracks view shows what is next.
        go(&Route::Tracks { import: None }, false);
        return;
    };
    let target = reading.progress.with_untracked(|p| {
        tracks::next_unread(&set, p, current)
            .and_then(|(_, item)| set.item_path(item).map(str::to_string))
    });
    match target {
        Some(path) => go(
            &Route::Doc {
                path,
                anchor: None,
                query: None,
            },
            false,
        ),
        None if set.tracks.is_empty() => reading.say("This site has no reading tracks"),
        None => reading.say("Every page of every reading track is read"),
    }
}

/// Whether a key press is typing into a field (where letters must stay letters). A focused
/// checkbox or button is not a field: `n` still works right after ticking an item.
fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| match el.tag_name().as_str() {
            "TEXTAREA" | "SELECT" => true,
            "INPUT" => !matches!(
                el.get_attribute("type")
                    .unwrap_or_default()
                    .to_ascii_lowercase()
                    .as_str(),
                "checkbox" | "radio" | "button" | "submit" | "reset" | "range" | "color" | "file"
            ),
            _ => el.is_content_editable(),
        })
}
