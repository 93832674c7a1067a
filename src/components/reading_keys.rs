//! The reading keys, from anywhere in the app: `n` opens the next unread page, `m` marks the
//! open page read (or unread again), `t` opens the tracks. Never while typing in a field or
//! with a modifier held. Also shows what the last reading action did, and takes in progress
//! another tab saved.

use std::sync::Arc;
use std::time::Duration;

use docatlas_core::tracks;
use leptos::prelude::*;

use crate::data::tracks::Reading;
use crate::data::Atlas;
use crate::route::{go, Route};

/// How long a status message stays up.
const STATUS_FOR: Duration = Duration::from_secs(5);

/// Listens for the reading keys; renders the status line of reading actions.
#[component]
pub fn ReadingKeys(atlas: Arc<Atlas>, route: Memo<Route>) -> impl IntoView {
    let reading = expect_context::<Reading>();
    // `tracks.bin` is loaded on the first reading key, not at start: opening the app must not
    // fetch anything a first search does not need.
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() || typing(&ev) {
            return;
        }
        let current = match route.get_untracked() {
            Route::Doc { path, .. } => Some(path),
            _ => None,
        };
        if matches!(ev.key().as_str(), "n" | "m") {
            reading.start(&atlas);
        }
        match ev.key().as_str() {
            "n" => {
                ev.prevent_default();
                next_unread(reading, current.as_deref());
            }
            "m" => {
                // Only a page that is open (its page file loaded): a missing page is not marked.
                let Some(page) = current.and_then(|p| atlas.loaded_page(&p)) else {
                    return;
                };
                let path = page.path.clone();
                ev.prevent_default();
                let read = !reading.progress.with_untracked(|p| p.is_read(&path));
                reading.set_read(&atlas, &path, read);
                let title = page.title;
                reading.status.set(if read {
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
    });
    let storage = window_event_listener(leptos::ev::storage, move |ev| {
        if let Some(key) = ev.key() {
            reading.reload(&key);
        }
    });
    on_cleanup(move || {
        keys.remove();
        storage.remove();
    });
    // Each message clears itself after a while, unless a newer one replaced it.
    Effect::new(move |_| {
        let shown = reading.status.get();
        if !shown.is_empty() {
            set_timeout(
                move || {
                    if reading.status.get_untracked() == shown {
                        reading.status.set(String::new());
                    }
                },
                STATUS_FOR,
            );
        }
    });
    view! { <p class="da-toast" role="status" aria-live="polite">{move || reading.status.get()}</p> }
}

/// Opens the next unread page after `current`, or says there is none.
fn next_unread(reading: Reading, current: Option<&str>) {
    let Some(set) = reading.set.get_untracked().and_then(Result::ok) else {
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
        None if set.tracks.is_empty() => {
            reading.status.set("This site has no reading tracks".into())
        }
        None => reading
            .status
            .set("Every page of every reading track is read".into()),
    }
}

/// Whether a key press is typing into a field (where letters must stay letters). A focused
/// checkbox or button is not a field: `n` still works right after ticking an item.
fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok())
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
