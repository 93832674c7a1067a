//! Widgets the graph views share: waiting for the graph, links to entities and to the
//! `path:line` where a fact is declared, kind badges and colours, file downloads, and the
//! "no such entity" box.

use std::sync::Arc;

use docatlas_core::graph::{GraphIndex, Kind, NodeIx, Place};
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::{Drawn, Loading};
use crate::data::graph::Graph;
use crate::data::Docs;
use docatlas_web::route::{ImpactRoute, Route};

/// `render(graph)` once the entity graph has loaded (fetching it on first use), a loading line
/// until then, or the reason it cannot load.
#[component]
pub fn WithGraph<F, V>(render: F) -> impl IntoView
where
    F: Fn(Arc<GraphIndex>) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let graph = expect_context::<Graph>();
    graph.want(&expect_context::<Arc<Docs>>());
    view! {
        <Suspense fallback=|| view! { <Loading text="Loading the entity graph…"/> }>
            {move || graph.get().map(|loaded| match loaded {
                Ok(g) => view! { {render(g)}<Drawn/> }.into_any(),
                Err(e) => view! {
                    <div class="da-error" role="alert">
                        <h1>"The entity graph could not be loaded"</h1>
                        <p class="da-error-message">{e}</p>
                    </div>
                    <Drawn/>
                }
                .into_any(),
            })}
        </Suspense>
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
pub fn kind_badge(kind: Kind) -> impl IntoView {
    view! {
        <span style=("background", kind_fill(kind)) class="da-kind">{kind.as_str()}</span>
    }
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
pub fn entity_link(g: &GraphIndex, node: NodeIx) -> impl IntoView {
    let id = g.id_of(node);
    view! {
        <a class="da-entity-link" href=entity_href(&id) title=id>
            {g.node(node).map(|n| kind_badge(n.kind))}
            <span class="da-entity-name">{g.name_of(node).to_string()}</span>
        </a>
    }
}

/// `path:line` of a declaration, linked to the page's section when the file is a page of the
/// site (a YAML descriptor is shown as text).
pub fn place_link(g: &GraphIndex, p: &Place) -> AnyView {
    let text = g.graph.place(p);
    let is_page = g
        .graph
        .files
        .get(p.file as usize)
        .is_some_and(|f| f.title.is_some());
    if is_page {
        let href = docatlas_core::doc_href(g.graph.file_path(p.file), None, p.anchor.as_deref());
        view! { <a class="da-place" href=href>{text}</a> }.into_any()
    } else {
        view! { <code class="da-place">{text}</code> }.into_any()
    }
}

/// A link to a page of the site by its file index in the graph, titled, then its path.
pub fn page_link(g: &GraphIndex, file: u32) -> impl IntoView {
    let f = g.graph.files.get(file as usize);
    let path = f.map(|f| f.path.clone()).unwrap_or_default();
    let title = f
        .and_then(|f| f.title.clone())
        .unwrap_or_else(|| path.clone());
    let href = docatlas_core::doc_href(&path, None, None);
    view! { <a class="da-page-link" href=href>{title}</a>" "<span class="da-path">{path}</span> }
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
    if let Ok(a) = document().create_element("a") {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        if let Ok(a) = a.dyn_into::<web_sys::HtmlElement>() {
            a.click();
        }
    }
    // Give the browser time to start the download before the URL goes away.
    Timeout::new(5000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}

/// Milliseconds since the page started, for timing the graph views.
pub fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// "No entity X" with the nearest ids as links and a search of the docs for its name.
pub fn not_found(g: &GraphIndex, id: &str) -> impl IntoView {
    view! {
        <div class="da-error" role="alert">
            <h1>"No entity "<code>{id.to_string()}</code></h1>
            <p>
                "This site's graph has no entity with this id. Ids are "<code>"kind:name"</code>
                ", such as "<code>"service:payments"</code>"."
            </p>
            {unknown_id_help(g, id)}
            <p><a href=Route::Entities(Default::default()).href()>"All entities"</a></p>
        </div>
    }
}

/// What to try for an id the graph lacks: the nearest ids (or that none is close) and a search
/// of the docs for its name.
pub fn unknown_id_help(g: &GraphIndex, id: &str) -> impl IntoView {
    let near = g.suggest(id, 6);
    let none_near = near.is_empty();
    let near = near
        .into_iter()
        .map(|i| view! { <li>{entity_link(g, i)}</li> })
        .collect_view();
    let term = search_term(id);
    let search = (!term.is_empty()).then(|| {
        let href = Route::Search {
            query: term.clone(),
        }
        .href();
        view! { <p><a href=href class="da-search-for">{format!("Search the docs for “{term}”")}</a></p> }
    });
    view! {
        <p>{if none_near { "No id is close to this one." } else { "Nearest ids:" }}</p>
        {(!none_near).then(|| view! { <ul class="da-near">{near}</ul> })}
        {search}
    }
}

/// The words of an id's name (`service:payment-gateway` → `payment gateway`), to search for.
fn search_term(id: &str) -> String {
    let name = id.split_once(':').map_or(id, |(_, n)| n);
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_unknown_id_is_searched_for_by_its_name() {
        assert_eq!(
            super::search_term("service:payment-gateway"),
            "payment gateway"
        );
        assert_eq!(super::search_term("nope"), "nope");
        assert_eq!(super::search_term("table:"), "");
    }
}
