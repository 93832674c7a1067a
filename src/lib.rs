//! The docatlas browser app: loads a site's head and shows pages and search, client-side.
//!
//! `main.rs` only calls [`start`]. Data loading lives in [`data`], URL routes in [`route`],
//! pages in [`pages`], shared widgets in [`components`]. Everything that waits on the network
//! is a Leptos resource (`LocalResource`) shown through `Suspense`/`Transition`.

pub mod components;
pub mod data;
pub mod pages;
pub mod route;
pub mod search_first;

use std::cell::RefCell;
use std::sync::Arc;

use docatlas_core::SearchOptions;
use js_sys::Reflect;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::data::Atlas;
use crate::route::Route;

/// The attribute a host page puts on the element docatlas should fill (embed mode).
pub const MOUNT_ATTR: &str = "data-docatlas";
/// The attribute on that element that overrides the bundle's URL.
pub const BUNDLE_ATTR: &str = "data-bundle";

thread_local! {
    /// The loaded site, for the JS API ([`search_json`]).
    static LOADED: RefCell<Option<Arc<Atlas>>> = const { RefCell::new(None) };
}

/// JS API: searches the site with the same code as `build-index search`. Returns a Promise of
/// the same JSON string: `{"query", "total", "hits": [{"doc", "anchor", "title", "score",
/// "snippet"}]}` (a Promise because a search may first fetch the index shards and text it
/// needs). Call it after the `docatlas:ready` event (or when `window.docatlasReady` is true).
#[wasm_bindgen]
pub fn search_json(query: String, limit: u32) -> js_sys::Promise {
    // Counted now, not when the promise first runs: the search-first module must see it before
    // it decides to fetch the full app (see `search_first`).
    search_first::begin_search();
    wasm_bindgen_futures::future_to_promise(async move {
        let answer = async {
            let atlas = LOADED.with(|l| l.borrow().clone()).ok_or_else(|| {
                JsValue::from(JsError::new(
                    "docatlas: the docs have not loaded yet; wait for the docatlas:ready event",
                ))
            })?;
            let limit = usize::try_from(limit).unwrap_or(usize::MAX);
            let results = atlas
                .search(&query, SearchOptions::hits(limit))
                .await
                .map_err(|e| JsValue::from(JsError::new(&e)))?;
            Ok(JsValue::from_str(&results.report().to_json()))
        }
        .await;
        search_first::end_search();
        answer
    })
}

/// Makes the loaded site available to [`search_json`] and tells the page it is ready:
/// `docatlas:ready` once per page (from whichever module loaded the head first), and, from the
/// full app, `docatlas:app-ready` (the page's loader then points `window.wasmBindings` at it).
fn announce_ready(atlas: &Arc<Atlas>, full_app: bool) {
    LOADED.with(|l| *l.borrow_mut() = Some(atlas.clone()));
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

/// The host page's `[data-docatlas]` element (embed mode), and the head's URL: its
/// `data-bundle`, else `docatlas.bin` next to the page.
fn host_and_bundle(document: &web_sys::Document) -> (Option<web_sys::HtmlElement>, String) {
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
    (host, bundle_url)
}

/// Mounts the app into the first `[data-docatlas]` element, else into `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    let document = document();
    let (host, bundle_url) = host_and_bundle(&document);
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

/// [`replace_search_first`] at the next frame: by then the view this app just built for the
/// route is in the page (hidden), so the frame painted shows it, never an empty page between.
pub(crate) fn replace_search_first_when_drawn() {
    request_animation_frame(replace_search_first);
}

/// [`replace_search_first`] once this app's search results (or its error) are in the page:
/// a `Transition` mounts them only when every resource under it is ready (the entity cards
/// too), after the results view was built. Checked each frame, for five seconds at most.
pub(crate) fn replace_search_first_when_results() {
    // Every later render of results comes here too; once the module is gone there is no work.
    if document()
        .get_element_by_id(search_first::ROOT_ID)
        .is_none()
    {
        return;
    }
    fn check(frames: u32) {
        request_animation_frame(move || {
            let app_results = format!(
                ".docatlas:not(#{}) :is(.da-results, .da-error)",
                search_first::ROOT_ID
            );
            let drawn = document()
                .query_selector(&app_results)
                .ok()
                .flatten()
                .is_some();
            if drawn || frames >= 300 {
                replace_search_first();
            } else {
                check(frames.saturating_add(1));
            }
        });
    }
    check(0);
}

/// Removes the search-first module's DOM: called once this app has its own view of the route
/// to show (until then the stylesheet hides the app behind the module, so the reader never sees
/// an empty page in between). The app's search box takes over the keyboard focus.
pub(crate) fn replace_search_first() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if !search_first::take_over(&document) {
        return;
    }
    // After the box has its value from the route (an effect), so the caret lands at the end.
    set_timeout(
        move || {
            let input = document
                .query_selector(".da-search-input")
                .ok()
                .flatten()
                .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok());
            if let Some(input) = input {
                let _ = input.focus();
                let end = u32::try_from(input.value().encode_utf16().count()).unwrap_or(0);
                let _ = input.set_selection_range(end, end);
            }
        },
        std::time::Duration::ZERO,
    );
}

/// The whole app: header with search box, and the page for the current route.
#[component]
pub fn App(
    /// URL of the head (`docatlas.bin`), relative to the page.
    bundle_url: String,
) -> impl IntoView {
    let atlas = LocalResource::new(move || {
        let url = bundle_url.clone();
        async move {
            let loaded = data::load(&url).await;
            // A search route keeps the search-first results up until its own are in.
            let searching = matches!(Route::parse(&route::current_hash()), Route::Search { query } if !query.trim().is_empty());
            if loaded.is_err() || !searching {
                replace_search_first_when_drawn();
            }
            let atlas = Arc::new(loaded?);
            announce_ready(&atlas, true);
            Ok::<_, String>(atlas)
        }
    });
    let hash = RwSignal::new(route::current_hash());
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        hash.set(route::current_hash())
    });
    on_cleanup(move || listener.remove());
    let current = Memo::new(move |_| Route::parse(&hash.get()));
    // Whatever the reader does next (a result opened, a new query typed while this app loaded
    // unseen), this app shows it: the search-first module must not keep covering it.
    let opened_on = current.get_untracked();
    Effect::new(move |_| {
        if current.get() != opened_on {
            replace_search_first();
        }
    });
    provide_context(components::SearchState::default());
    provide_context(data::tracks::Reading::new());

    let title = move || match atlas.get() {
        Some(Ok(a)) => a.site.title.clone(),
        _ => "docatlas".to_string(),
    };
    let loading = || view! { <p class="da-loading" role="status">"Loading docs…"</p> };
    view! {
        <div class="docatlas">
            <header class="da-header">
                <a class="da-brand" href="#/">{title}</a>
                <a class="da-nav" href="#/entities">"Entities"</a>
                <components::SearchBox route=current/>
            </header>
            <main class="da-main">
                <Suspense fallback=loading>
                    {move || atlas.get().map(|loaded| match loaded {
                        Err(msg) => view! {
                            <div class="da-error" role="alert">
                                <h1>"These docs could not be loaded"</h1>
                                <p class="da-error-message">{msg}</p>
                                <p>"The site needs its data files next to index.html; rebuild it with "<code>"build-index build DOCS --out SITE"</code>" and upload the whole folder."</p>
                            </div>
                        }.into_any(),
                        Ok(atlas) => view! { <components::ReadingKeys atlas=atlas.clone() route=current/><Routed atlas=atlas route=current/> }.into_any(),
                    })}
                </Suspense>
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
            Route::Tracks { import } => {
                view! { <pages::tracks::TracksPage atlas=atlas import=import/> }.into_any()
            }
            Route::Track { id } => {
                view! { <pages::tracks::TrackPage atlas=atlas id=id/> }.into_any()
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
