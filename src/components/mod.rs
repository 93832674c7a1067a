//! Widgets the views share: the page layout and its search box, the reading views and keys,
//! the graph's links and badges, entity cards, the error box, loading lines, and the marker
//! that takes over from the search-first module.

pub mod doc_nav;
pub mod entity_hits;
pub mod graph;
pub mod layout;
pub mod read_progress;
pub mod reading;
pub mod reading_keys;
pub mod search_box;
pub mod sidebar;

use docatlas_web::host::{document, take_over_search_first};
use leptos::prelude::*;

use search_box::SearchInput;
use wasm_bindgen::JsCast;

use crate::data::tracks::Reading;

/// An error a view could not get past (a file that would not load), in the app's error box.
#[component]
pub fn ErrorBox(#[prop(into)] message: String) -> impl IntoView {
    view! {
        <div class="da-error" role="alert">
            <p class="da-error-message">{message}</p>
        </div>
        <Drawn/>
    }
}

/// The line that says a view is waiting for its data.
#[component]
pub fn Loading(text: &'static str) -> impl IntoView {
    view! { <p class="da-loading" role="status">{text}</p> }
}

/// Put in a view where its content (not its loading line) is: once it is in the page, the
/// search-first module's DOM goes, and the app shows (until then the stylesheet hides the app
/// behind the module, so the reader never sees an empty page in between). If the module's box
/// had the keyboard focus, the app's box takes it, with the caret at the end.
#[component]
pub fn Drawn() -> impl IntoView {
    let input = use_context::<SearchInput>();
    Effect::new(move |_| {
        if !take_over_search_first(&document()) {
            return;
        }
        if let Some(input) = input.and_then(|SearchInput(i)| i.get_untracked()) {
            let _ = input.focus();
            let end = u32::try_from(input.value().encode_utf16().count()).unwrap_or(0);
            let _ = input.set_selection_range(end, end);
        }
    });
}

/// Puts `text` on the clipboard where the browser allows it, and says what happened: `copied`,
/// or that the reader should copy the link shown.
pub fn copy_to_clipboard(reading: Reading, text: String, copied: &'static str) {
    let window = window();
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
    leptos::task::spawn_local(async move {
        let done = match promise {
            Some(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
            None => false,
        };
        reading.say(if done {
            copied
        } else {
            "Copy the link shown below"
        });
    });
}
