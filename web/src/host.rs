//! The page docatlas runs in: the element it fills (embed mode), where its head is, the module
//! root the app takes over from, and the events that tell the host page the docs are ready.

use js_sys::Reflect;
use wasm_bindgen::JsCast;

/// The attribute a host page puts on the element docatlas should fill (embed mode).
pub const MOUNT_ATTR: &str = "data-docatlas";
/// The attribute on that element that overrides the bundle's URL.
pub const BUNDLE_ATTR: &str = "data-bundle";
/// The query parameter that names the head's URL (set by `embed.js` on each instance's frame).
pub const BUNDLE_PARAM: &str = "bundle";
/// The `id` of the search-first module's root element, which the full app removes once it
/// shows a view of its own.
pub const SEARCH_FIRST_ID: &str = "da-search-first";

/// The page's document.
pub fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("docatlas runs in a page with a document")
}

/// The host page's `[data-docatlas]` element (embed mode), and the head's URL: its
/// `data-bundle`, else the page's `?bundle=` (the frame `embed.js` makes for each instance),
/// else `docatlas.bin` next to the page.
pub fn host_and_bundle(document: &web_sys::Document) -> (Option<web_sys::HtmlElement>, String) {
    let host = document
        .query_selector(&format!("[{MOUNT_ATTR}]"))
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    let bundle_url = host
        .as_ref()
        .and_then(|el| el.get_attribute(BUNDLE_ATTR))
        .filter(|u| !u.trim().is_empty())
        .or_else(bundle_param)
        .unwrap_or_else(|| docatlas_core::format::BUNDLE_FILE.to_string());
    (host, bundle_url)
}

/// The page's `?bundle=URL`, resolved, when it is on the page's own origin. Another origin is
/// refused: a link could otherwise make this site show any bundle's HTML as its own.
fn bundle_param() -> Option<String> {
    let location = web_sys::window()?.location();
    let href = location.href().ok()?;
    let page = web_sys::Url::new(&href).ok()?;
    let asked = page.search_params().get(BUNDLE_PARAM)?;
    let url = web_sys::Url::new_with_base(&asked, &href).ok()?;
    if url.origin() != page.origin() || url.origin() == "null" {
        web_sys::console::warn_1(
            &format!("docatlas: ?bundle={asked} is on another origin than this page; ignored")
                .into(),
        );
        return None;
    }
    Some(url.href())
}

/// Tells the page the docs are ready: `docatlas:ready` once per page (from whichever module
/// loaded the head first), and, from the full app, `docatlas:app-ready`. Each event has a flag
/// on `window` (`docatlasReady`, `docatlasAppReady`) for a script that comes later.
pub fn announce_ready(full_app: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let flag = |name: &str| {
        let was = Reflect::get(&window, &name.into()).is_ok_and(|v| v.is_truthy());
        let _ = Reflect::set(&window, &name.into(), &true.into());
        was
    };
    let mut events = Vec::new();
    if !flag("docatlasReady") {
        events.push("docatlas:ready");
    }
    if full_app {
        flag("docatlasAppReady");
        events.push("docatlas:app-ready");
    }
    for name in events {
        if let Ok(ev) = web_sys::CustomEvent::new(name) {
            let _ = window.dispatch_event(&ev);
        }
    }
}

/// Removes the search-first module's DOM (the full app calls it when it has its own view to
/// show). Returns whether the module's search box had the keyboard focus, which the app's box
/// then takes over.
pub fn take_over_search_first(document: &web_sys::Document) -> bool {
    let Some(root) = document.get_element_by_id(SEARCH_FIRST_ID) else {
        return false;
    };
    let focused = document
        .active_element()
        .is_some_and(|a| root.contains(Some(&a)));
    root.remove();
    focused
}
