//! The docatlas browser app: loads a site's bundle and shows pages and search, client-side.
//!
//! `main.rs` only calls [`start`]. Data loading lives in [`data`], URL routes in [`route`],
//! pages in [`pages`], shared widgets in [`components`].

pub mod components;
pub mod data;
pub mod pages;
pub mod route;

use std::cell::RefCell;
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::data::{Atlas, Load};
use crate::route::Route;

/// The attribute a host page puts on the element docatlas should fill (embed mode).
pub const MOUNT_ATTR: &str = "data-docatlas";
/// The attribute on that element that overrides the bundle's URL.
pub const BUNDLE_ATTR: &str = "data-bundle";

thread_local! {
    /// The loaded docs, for the JS API ([`search_json`]).
    static LOADED: RefCell<Option<Arc<Atlas>>> = const { RefCell::new(None) };
}

/// JS API: searches the loaded docs with the same code as `build-index search`, returning the
/// same JSON: `{"query", "total", "hits": [{"doc", "anchor", "title", "score", "snippet"}]}`.
/// Call it after the `docatlas:ready` event (or when `window.docatlasReady` is true).
#[wasm_bindgen]
pub fn search_json(query: &str, limit: u32) -> Result<String, JsError> {
    LOADED.with(|loaded| {
        let loaded = loaded.borrow();
        let atlas = loaded.as_ref().ok_or_else(|| {
            JsError::new(
                "docatlas: the docs have not loaded yet; wait for the docatlas:ready event",
            )
        })?;
        let results = atlas.index.search(&atlas.docs, query, limit as usize);
        Ok(serde_json::to_string(&results.report(&atlas.docs))?)
    })
}

/// Makes the loaded docs available to [`search_json`] and tells the page they are ready.
fn announce_ready(atlas: &Arc<Atlas>) {
    LOADED.with(|l| *l.borrow_mut() = Some(atlas.clone()));
    let window = window();
    let _ = js_sys::Reflect::set(&window, &"docatlasReady".into(), &true.into());
    if let Ok(ev) = web_sys::CustomEvent::new("docatlas:ready") {
        let _ = window.dispatch_event(&ev);
    }
}

/// Mounts the app into the first `[data-docatlas]` element, else into `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    let document = document();
    let host = document
        .query_selector(&format!("[{MOUNT_ATTR}]"))
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    let bundle_url = host
        .as_ref()
        .and_then(|el| el.get_attribute(BUNDLE_ATTR))
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| docatlas_core::format::BUNDLE_FILE.to_string());
    match host {
        Some(el) => {
            leptos::mount::mount_to(el, move || view! { <App bundle_url=bundle_url.clone()/> })
                .forget()
        }
        None => {
            leptos::mount::mount_to_body(move || view! { <App bundle_url=bundle_url.clone()/> })
        }
    }
}

/// The whole app: header with search box, and the page for the current route.
#[component]
pub fn App(
    /// URL of the bundle, relative to the page.
    bundle_url: String,
) -> impl IntoView {
    let load = RwSignal::new(Load::Loading);
    {
        let url = bundle_url.clone();
        leptos::task::spawn_local(async move {
            let result = data::load(&url).await;
            load.set(match result {
                Ok(atlas) => {
                    let atlas = Arc::new(atlas);
                    announce_ready(&atlas);
                    Load::Ready(atlas)
                }
                Err(e) => Load::Failed(e),
            });
        });
    }
    let hash = RwSignal::new(route::current_hash());
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        hash.set(route::current_hash())
    });
    on_cleanup(move || listener.remove());
    let current = Memo::new(move |_| Route::parse(&hash.get()));
    provide_context(components::SearchState::default());

    let title = move || match load.get() {
        Load::Ready(a) => a.site.title.clone(),
        _ => "docatlas".to_string(),
    };
    view! {
        <div class="docatlas">
            <header class="da-header">
                <a class="da-brand" href="#/">{title}</a>
                <a class="da-nav" href="#/entities">"Entities"</a>
                <components::SearchBox route=current/>
            </header>
            <main class="da-main">
                {move || match load.get() {
                    Load::Loading => view! { <p class="da-loading" role="status">"Loading docs…"</p> }.into_any(),
                    Load::Failed(msg) => view! {
                        <div class="da-error" role="alert">
                            <h1>"These docs could not be loaded"</h1>
                            <p class="da-error-message">{msg}</p>
                            <p>"The site needs its data file next to index.html; rebuild it with "<code>"build-index build DOCS --out SITE"</code>" and upload the whole folder."</p>
                        </div>
                    }.into_any(),
                    Load::Ready(atlas) => view! { <Routed atlas=atlas route=current/> }.into_any(),
                }}
            </main>
        </div>
    }
}

#[component]
fn Routed(atlas: Arc<Atlas>, route: Memo<Route>) -> impl IntoView {
    move || {
        let atlas = atlas.clone();
        match route.get() {
            Route::Home => view! { <pages::home::Home atlas=atlas/> }.into_any(),
            Route::Doc {
                path,
                anchor,
                query,
            } => view! {
                <pages::doc::DocPage atlas=atlas path=path anchor=anchor query=query/>
            }
            .into_any(),
            Route::Search { query } => {
                view! { <pages::search::SearchPage atlas=atlas query=query/> }.into_any()
            }
            Route::Entity { id } => {
                view! { <pages::entity::EntityPage atlas=atlas id=id/> }.into_any()
            }
            Route::Impact(r) => {
                view! { <pages::impact::ImpactPage atlas=atlas route=r/> }.into_any()
            }
            Route::Why { from, to } => {
                view! { <pages::why::WhyPage atlas=atlas from=from to=to/> }.into_any()
            }
            Route::Entities(r) => {
                view! { <pages::entities::EntitiesPage atlas=atlas route=r/> }.into_any()
            }
        }
    }
}
