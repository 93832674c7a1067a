//! The reading keys, from anywhere in the app: `n` opens the next unread page, `m` marks the
//! open page read (or unread again), `t` opens the tracks. Never while typing in a field or
//! with a modifier held. Also takes in progress another tab saved.

use std::sync::Arc;

use docatlas_core::tracks;
use wasm_bindgen::JsCast;

use crate::data::tracks::Reading;
use crate::data::Docs;
use crate::route::{current_hash, go, Route};
use docatlas_web::dom::listen;

/// Listens for the reading keys and for progress saved in another tab, for the page's lifetime.
pub fn reading_keys(atlas: Arc<Docs>) {
    let reading = Reading;
    let Some(window) = web_sys::window() else {
        return;
    };
    // `tracks.bin` is loaded on the first reading key, not at start: opening the app must not
    // fetch anything a first search does not need.
    listen(&window, "keydown", move |ev| {
        let Ok(ev) = ev.dyn_into::<web_sys::KeyboardEvent>() else {
            return;
        };
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() || typing(&ev) {
            return;
        }
        let current = match Route::parse(&current_hash()) {
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
                let read = !reading.progress(|p| p.is_read(&path));
                reading.set_read(&atlas, &path, read);
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
    });
    listen(&window, "storage", move |ev| {
        if let Some(key) = ev
            .dyn_ref::<web_sys::StorageEvent>()
            .and_then(web_sys::StorageEvent::key)
        {
            reading.reload(&key);
        }
    });
}

/// Opens the next unread page after `current`, or says there is none.
fn next_unread(reading: Reading, current: Option<&str>) {
    let Some(set) = reading.tracks() else {
        // Still loading (the first key press starts it): the tracks view shows what is next.
        go(&Route::Tracks { import: None }, false);
        return;
    };
    let target = reading.progress(|p| {
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
