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

/// A page the site does not have (a `#/doc/...` link to a moved, renamed or left-out page):
/// says so, and offers a search for its name and the page list. Never the page file's name,
/// which is a hash of the path and means nothing to a reader.
#[component]
pub fn PageMissing(#[prop(into)] path: String) -> impl IntoView {
    let name = page_name(&path);
    let search = (!name.is_empty()).then(|| {
        let href = docatlas_web::route::Route::Search {
            query: name.clone(),
        }
        .href();
        view! { <li><a href=href class="da-search-for">{format!("Search for “{name}”")}</a></li> }
    });
    view! {
        <div class="da-error" role="alert">
            <h1>"This page is not in this site"</h1>
            <p>
                "There is no page "<code>{path}</code>
                " here: it may have been moved or renamed, or left out of a public build."
            </p>
            <ul>
                {search}
                <li><a href=docatlas_web::route::Route::Home.href()>"All pages"</a></li>
            </ul>
        </div>
        <Drawn/>
    }
}

/// The words of a page path's file name (`ops/deploy-guide.md` → `deploy guide`; an index or
/// README page is named by its folder), to search for.
fn page_name(path: &str) -> String {
    let mut parts = path.trim_end_matches('/').rsplit('/');
    let file = parts.next().unwrap_or_default();
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let stem = if matches!(
        stem.to_ascii_lowercase().as_str(),
        "index" | "readme" | "_index"
    ) {
        parts.next().unwrap_or(stem)
    } else {
        stem
    };
    stem.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The line that says a view is waiting for its data (shown only once the wait has lasted
/// 150 ms: the stylesheet's `da-late`).
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_missing_page_is_searched_for_by_its_file_name() {
        assert_eq!(super::page_name("ops/deploy-guide.md"), "deploy guide");
        assert_eq!(super::page_name("payments/README.md"), "payments");
        assert_eq!(super::page_name("missing.md"), "missing");
        assert_eq!(super::page_name(""), "");
    }
}
