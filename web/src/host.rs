//! The page docatlas runs in: the element it fills (embed mode), where its head is, the module
//! root the app takes over from, the events that tell the host page the docs are ready, and
//! how a view scrolls a place into sight without moving a host page around it.

use std::cell::RefCell;

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

/// Puts `el` (a page's top, a heading) at the top of the reader's view. In an `embed.js` frame a
/// browser's `scrollIntoView` scrolls the host page too: every page opened moved the portal
/// under the reader and put the frame's text under the portal's sticky header (MkDocs
/// Material's). There the loader's `window.docatlasShow` (assets/boot.js) scrolls the frame's
/// own page only, and asks the host to bring the place into its view when it is out of it.
pub fn show_at_top(el: &web_sys::Element) {
    let framed = web_sys::window()
        .and_then(|w| Reflect::get(&w, &"docatlasShow".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match framed {
        Some(show) => {
            let _ = show.call1(&wasm_bindgen::JsValue::NULL, el);
        }
        None => el.scroll_into_view(),
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
    let at = reading_at(&root);
    READING_AT.with(|r| *r.borrow_mut() = at);
    root.remove();
    focused
}

/// Where the reader was in a page the module drew, when they had scrolled it: the page, the
/// last heading at or above the viewport's top (its `id`; empty for the page's body) and that
/// element's distance from the viewport's top. The app's page view puts the same heading at the
/// same place, so taking over does not move the text under the reader's eyes.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadingAt {
    /// The page's path, as the module's path line shows it.
    pub path: String,
    /// The heading's `id`, or empty for the page's body.
    pub id: String,
    /// The element's top, in CSS pixels from the viewport's top (negative: above it).
    pub top: f64,
}

thread_local! {
    static READING_AT: RefCell<Option<ReadingAt>> = const { RefCell::new(None) };
}

/// The reader's place in the module's page, once: the app's page view asks when it is drawn.
pub fn take_reading_at(path: &str) -> Option<ReadingAt> {
    READING_AT
        .with(|r| r.borrow_mut().take())
        .filter(|at| at.path == path)
}

fn reading_at(root: &web_sys::Element) -> Option<ReadingAt> {
    if web_sys::window()?.scroll_y().ok()? <= 0.0 {
        return None;
    }
    let body = root.query_selector(".da-doc-body").ok()??;
    let path = root
        .query_selector(".da-doc-meta .da-path")
        .ok()??
        .text_content()?;
    let mut at = ReadingAt {
        path,
        id: String::new(),
        top: body.get_bounding_client_rect().top(),
    };
    let marks = body.query_selector_all("[id]").ok()?;
    for i in 0..marks.length() {
        let Some(el) = marks
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let top = el.get_bounding_client_rect().top();
        // Document order: the first mark below the viewport's top ends the search.
        if top > 1.0 {
            break;
        }
        at.id = el.id();
        at.top = top;
    }
    Some(at)
}
