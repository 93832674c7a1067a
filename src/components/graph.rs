//! Widgets the graph views share: loading the graph for a view, links to entities and to the
//! `path:line` where a fact is declared, kind badges and colours, and file downloads.

use std::sync::Arc;

use docatlas_core::graph::{GraphIndex, Kind, NodeIx, Place};
use wasm_bindgen::JsCast;

use crate::data::{self, Docs};
use crate::route::{ImpactRoute, Route};
use docatlas_web::dom::{self, el, Node};

/// `render(graph)` once the entity graph has loaded (fetching it on first use), or the reason
/// it cannot load.
pub async fn with_graph(
    atlas: Arc<Docs>,
    render: impl FnOnce(Arc<GraphIndex>) -> Vec<Node>,
) -> Vec<Node> {
    match data::graph::load(&atlas).await {
        Ok(g) => render(g),
        Err(e) => vec![el("div")
            .class("da-error")
            .attr("role", "alert")
            .child(el("h1").text("The entity graph could not be loaded"))
            .child(el("p").class("da-error-message").text(&e))],
    }
}

/// The fill of a node box of this kind (light, so dark text reads on it in either theme).
pub fn kind_fill(kind: Kind) -> &'static str {
    match kind {
        Kind::Feature => "#fde2e4",
        Kind::Service => "#dbeafe",
        Kind::Component => "#e0e7ff",
        Kind::Api => "#ede9fe",
        Kind::Resource => "#fef3c7",
        Kind::Table => "#dcfce7",
        Kind::Controller => "#cffafe",
        Kind::Route => "#fce7f3",
        Kind::Event => "#ffedd5",
        Kind::Notification => "#fef9c3",
        Kind::Team => "#e5e7eb",
        Kind::System => "#e2e8f0",
        Kind::Domain => "#f5f5f4",
        Kind::Runbook => "#fee2e2",
        Kind::Adr => "#f3e8ff",
    }
}

/// A small label naming a kind, coloured like its nodes.
pub fn kind_badge(kind: Kind) -> Node {
    el("span")
        .attr("style", &format!("background:{}", kind_fill(kind)))
        .class("da-kind")
        .text(kind.as_str())
}

/// The entity page of `id`.
pub fn entity_href(id: &str) -> String {
    Route::Entity { id: id.to_string() }.href()
}

/// The default impact view of `id`.
pub fn impact_href(id: &str) -> String {
    Route::Impact(ImpactRoute::of(id)).href()
}

/// A link to an entity's page: kind badge and name.
pub fn entity_link(g: &GraphIndex, node: NodeIx) -> Node {
    let id = g.id_of(node);
    el("a")
        .class("da-entity-link")
        .attr("href", &entity_href(&id))
        .attr("title", &id)
        .children(g.node(node).map(|n| kind_badge(n.kind)))
        .child(el("span").class("da-entity-name").text(g.name_of(node)))
}

/// `path:line` of a declaration, linked to the page's section when the file is a page of the
/// site (a YAML descriptor is shown as text).
pub fn place_link(g: &GraphIndex, p: &Place) -> Node {
    let text = g.graph.place(p);
    let is_page = g
        .graph
        .files
        .get(p.file as usize)
        .is_some_and(|f| f.title.is_some());
    if is_page {
        let href = docatlas_core::doc_href(g.graph.file_path(p.file), None, p.anchor.as_deref());
        el("a").class("da-place").attr("href", &href).text(&text)
    } else {
        el("code").class("da-place").text(&text)
    }
}

/// Appends to `parent` a link to a page of the site by its file index in the graph, titled,
/// then its path (`<a class="da-page-link">`, a space, `<span class="da-path">`); returns
/// `parent`.
pub fn page_link(parent: Node, g: &GraphIndex, file: u32) -> Node {
    let f = g.graph.files.get(file as usize);
    let path = f.map(|f| f.path.clone()).unwrap_or_default();
    let title = f
        .and_then(|f| f.title.clone())
        .unwrap_or_else(|| path.clone());
    let href = docatlas_core::doc_href(&path, None, None);
    parent
        .child(
            el("a")
                .class("da-page-link")
                .attr("href", &href)
                .text(&title),
        )
        .text(" ")
        .child(el("span").class("da-path").text(&path))
}

/// Offers `text` as a file download named `name`, through a Blob URL (nothing leaves the page).
pub fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = dom::document().create_element("a") {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        if let Ok(a) = a.dyn_into::<web_sys::HtmlElement>() {
            a.click();
        }
    }
    // Give the browser time to start the download before the URL goes away.
    dom::after(5000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
}

/// Milliseconds since the page started, for timing the graph views.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// "No entity X" with the nearest ids as links.
pub fn not_found(g: &GraphIndex, id: &str) -> Node {
    let near = g
        .suggest(id, 6)
        .into_iter()
        .map(|i| el("li").child(entity_link(g, i)));
    el("div")
        .class("da-error")
        .attr("role", "alert")
        .child(el("h1").text("No entity ").child(el("code").text(id)))
        .child(
            el("p")
                .text("Ids are ")
                .child(el("code").text("kind:name"))
                .text(", such as ")
                .child(el("code").text("service:payments"))
                .text(". Nearest ids:"),
        )
        .child(el("ul").children(near))
        .child(el("p").child(dom::link(
            &Route::Entities(Default::default()).href(),
            "All entities",
        )))
}
