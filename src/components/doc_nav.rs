//! What a reader finds their way with around one page, as in MkDocs Material or Docusaurus:
//! the breadcrumb (home, each folder, the page), the on-page table of contents (from the
//! page's headings), a permalink on every heading, and previous / next within the track the
//! reader follows.

use docatlas_core::Section;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::data::folders::{ancestry, folder_of};
use crate::data::tracks::Reading;
use docatlas_web::route::Route;

/// Headings from this level down to [`TOC_DEEPEST`] make the table of contents.
const TOC_LEVELS: std::ops::RangeInclusive<u8> = 2..=TOC_DEEPEST;
const TOC_DEEPEST: u8 = 3;
/// Fewer headings than this and a page needs no table of contents.
const TOC_MIN: usize = 2;
/// From this viewport width (px) the table of contents is a column beside the page, open.
const TOC_BESIDE_PX: f64 = 1280.0;

/// The route of the page at `path` scrolled to `anchor`, keeping the search's highlights.
fn section_href(path: &str, anchor: &str, query: Option<&str>) -> String {
    Route::Doc {
        path: path.to_string(),
        anchor: Some(anchor.to_string()),
        query: query.map(str::to_string),
    }
    .href()
}

/// "Home / ops / db / <current>": each folder a link to its index, the last part the page or
/// folder shown (`aria-current`). `folder` is the folder the current item is in.
#[component]
pub fn Breadcrumb(folder: String, current: String) -> impl IntoView {
    let parts = ancestry(&folder)
        .into_iter()
        .map(|(path, name)| view! { <li><a href=Route::Folder { path }.href()>{name}</a></li> })
        .collect_view();
    view! {
        <nav class="da-breadcrumb" aria-label="Breadcrumb">
            <ol>
                <li><a href=Route::Home.href()>"Home"</a></li>
                {parts}
                <li aria-current="page">{current}</li>
            </ol>
        </nav>
    }
}

/// The breadcrumb of the page at `path`.
pub fn page_breadcrumb(path: &str, title: &str) -> impl IntoView {
    view! { <Breadcrumb folder=folder_of(path).to_string() current=title.to_string()/> }
}

/// The page's headings (levels 2 and 3) as links that scroll to them; nothing for a page with
/// fewer than two. Beside the page on a wide screen; folded above it on a narrow one.
#[component]
pub fn Toc(path: String, query: Option<String>, sections: Vec<Section>) -> impl IntoView {
    let entries: Vec<_> = sections
        .iter()
        .filter(|s| TOC_LEVELS.contains(&s.level))
        .filter_map(|s| Some((s.anchor.clone()?, s.heading.clone(), s.level)))
        .collect();
    (entries.len() >= TOC_MIN).then(|| {
        let items = entries
            .into_iter()
            .map(|(anchor, heading, level)| {
                let href = section_href(&path, &anchor, query.as_deref());
                view! { <li class=format!("da-toc-{level}")><a href=href>{heading}</a></li> }
            })
            .collect_view();
        let wide = window()
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .is_some_and(|w| w >= TOC_BESIDE_PX);
        view! {
            <nav class="da-toc" aria-label="On this page">
                <details open=wide>
                    <summary>"On this page"</summary>
                    <ol>{items}</ol>
                </details>
            </nav>
        }
    })
}

/// Adds a permalink after each heading (h2–h6) with an id in the page body `body`: a link to
/// `#/doc/<path>#<id>` that also copies the full address to the clipboard.
pub fn add_permalinks(body: &web_sys::Element, path: &str, query: Option<&str>) {
    let Ok(headings) = body.query_selector_all("h2[id], h3[id], h4[id], h5[id], h6[id]") else {
        return;
    };
    let document = docatlas_web::host::document();
    for i in 0..headings.length() {
        let Some(h) = headings
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let Ok(a) = document.create_element("a") else {
            continue;
        };
        let href = section_href(path, &h.id(), query);
        let _ = a.set_attribute("href", &href);
        a.set_class_name("da-anchor");
        let _ = a.set_attribute("title", "Link to this section (copied when opened)");
        a.set_inner_html(
            "<span aria-hidden=\"true\">#</span><span class=\"da-sr-only\">Link to this section</span>",
        );
        let _ = h.append_with_node_1(&a);
    }
}

/// A click on a heading's permalink (in `ev`, anywhere in the page body): copies the link.
pub fn copy_permalink(ev: &web_sys::MouseEvent) {
    let Some(link) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|t| t.closest("a.da-anchor").ok().flatten())
    else {
        return;
    };
    let href = link.get_attribute("href").unwrap_or_default();
    let here = window().location().href().unwrap_or_default();
    let base = here.split('#').next().unwrap_or_default();
    if let Some(reading) = use_context::<Reading>() {
        crate::components::copy_to_clipboard(
            reading,
            format!("{base}{href}"),
            "Link to this section copied",
        );
    }
}

/// "← Previous" and "Next →" within the track the reader follows (the one they opened last,
/// else the first that holds the page); nothing when no track holds it. Waits for the tracks
/// under its own `Suspense`, so the page never waits for them.
#[component]
pub fn Pager(path: String) -> impl IntoView {
    let reading = expect_context::<Reading>();
    let links = move || {
        let set = reading.loaded()?.ok()?;
        let preferred = reading.progress.with(|p| p.track.clone());
        let (track, at) = set.current_track(preferred.as_deref(), &path)?;
        let page = |i: Option<usize>| {
            let item = track.items.get(i?)?;
            Some((set.item_path(item)?.to_string(), item.title.clone()))
        };
        let prev = page(at.checked_sub(1));
        let next = page(at.checked_add(1));
        if prev.is_none() && next.is_none() {
            return None;
        }
        let of = set
            .has_reading_order()
            .then(|| format!("In “{}”", track.title));
        let link = move |p: Option<(String, String)>, rel: &'static str, label: &'static str| {
            p.map(|(path, title)| {
                let href = crate::components::reading::doc_route(&path);
                view! {
                    <a class=format!("da-pager-{rel}") href=href rel=rel>
                        <span class="da-meta">{label}</span><span class="da-pager-title">{title}</span>
                    </a>
                }
            })
        };
        Some(view! {
            <nav class="da-pager" aria-label="Previous and next page">
                {of.map(|t| view! { <p class="da-meta">{t}</p> })}
                <div class="da-pager-links">
                    {link(prev, "prev", "← Previous")}
                    {link(next, "next", "Next →")}
                </div>
            </nav>
        })
    };
    view! { <Suspense fallback=|| ()>{links}</Suspense> }
}
