//! The docatlas browser app, a Leptos (csr) app: pages, search results with facet chips and
//! entity cards, the reading tracks and the impact graph, client-side.
//!
//! `main.rs` only calls [`mount`]. [`App`] holds the state every view shares, as context: the
//! site's head ([`data::Docs`], loaded once), the reader's progress and tracks
//! ([`data::tracks::Reading`]), the entity graph ([`data::graph::Graph`]), the search selection
//! ([`components::search_box::SearchState`]); the route is a `Memo<Route>` fed by `hashchange`.
//! Views are components in [`pages`], one per route; shared widgets are in [`components`]; the
//! one place that does IO is [`data`]. Everything that waits on the network is a
//! `LocalResource` read under `Suspense` or `Transition`. Searches are asked of the search-first
//! module (`data::search`), which also draws the result list.

pub mod components;
pub mod data;
pub mod pages;

pub use docatlas_web::route;

use docatlas_web::host::{announce_ready, document, host_and_bundle};
use docatlas_web::search_box::wants_search_box;
use gloo_events::{EventListener, EventListenerOptions};
use leptos::prelude::*;

use crate::components::layout::Layout;
use crate::components::reading_keys::ReadingKeys;
use crate::components::search_box::{SearchInput, SearchState};
use crate::components::{Drawn, Loading};
use crate::data::graph::Graph;
use crate::data::tracks::Reading;
use crate::route::{current_hash, Route};

/// Mounts the app into the first `[data-docatlas]` element, else into `<body>`.
pub fn mount() {
    console_error_panic_hook::set_once();
    let (host, bundle_url) = host_and_bundle(&document());
    let app = move || view! { <App bundle_url=bundle_url.clone()/> };
    match host {
        Some(el) => leptos::mount::mount_to(el, app).forget(),
        None => leptos::mount::mount_to_body(app),
    }
}

/// The whole app: the layout, and the view of the current route once the head is in.
#[component]
pub fn App(
    /// URL of the head (`docatlas.bin`), relative to the page.
    bundle_url: String,
) -> impl IntoView {
    let head = LocalResource::new(move || data::head(bundle_url.clone()));
    let hash = RwSignal::new(current_hash());
    EventListener::new(&window(), "hashchange", move |_| hash.set(current_hash())).forget();
    let route = Memo::new(move |_| Route::parse(&hash.get()));

    let reading = Reading::new();
    provide_context(reading);
    provide_context(Graph::new());
    provide_context(SearchState::default());
    let input = NodeRef::new();
    provide_context(SearchInput(input));
    // `/` (outside a field) or Ctrl-K, anywhere: to the search box.
    EventListener::new_with_options(
        &window(),
        "keydown",
        EventListenerOptions::enable_prevent_default(),
        move |ev| {
            let Some(ev) = wasm_bindgen::JsCast::dyn_ref::<web_sys::KeyboardEvent>(ev) else {
                return;
            };
            if wants_search_box(ev) {
                ev.prevent_default();
                if let Some(el) = input.get_untracked() {
                    let _ = el.focus();
                    el.select();
                }
            }
        },
    )
    .forget();

    let title = Signal::derive(move || match head.get() {
        Some(Ok(docs)) => docs.site.title.clone(),
        _ => "docatlas".to_string(),
    });
    let docs = Signal::derive(move || head.get().and_then(Result::ok));
    // The tab and the history say where the reader is (a page's own title replaces this once
    // it is shown: `pages::doc`; a heading chosen on the same page keeps it).
    let part = Memo::new(move |_| route.get().title());
    Effect::new(move |_| {
        let site = title.get();
        document().set_title(&match part.get() {
            Some(part) => format!("{part} · {site}"),
            None => site,
        });
    });
    view! {
        <Layout title=title route=route docs=docs>
            <Suspense fallback=|| view! { <Loading text="Loading docs…"/> }>
                {move || head.get().map(|loaded| match loaded {
                    Ok(docs) => {
                        provide_context(docs);
                        announce_ready(true);
                        view! { <ReadingKeys route=route/><Routed route=route/> }.into_any()
                    }
                    Err(msg) => view! {
                        <div class="da-error" role="alert">
                            <h1>"These docs could not be loaded"</h1>
                            <p class="da-error-message">{msg}</p>
                            <p>
                                "The site needs its data files next to index.html; rebuild it with "
                                <code>"build-index build DOCS --out SITE"</code>
                                " and upload the whole folder."
                            </p>
                        </div>
                        <Drawn/>
                    }
                    .into_any(),
                })}
            </Suspense>
        </Layout>
    }
}

/// The view of the current route. A new query keeps the search page (and its results on
/// screen until the new ones are in), another heading of the open page keeps the page (and
/// scrolls to it); any other route change builds its view anew.
#[component]
fn Routed(route: Memo<Route>) -> impl IntoView {
    let anchor = Memo::new(move |_| match route.get() {
        Route::Doc { anchor, .. } => anchor,
        _ => None,
    });
    let view = Memo::new(move |_| match route.get() {
        Route::Search { .. } => None,
        Route::Doc { path, query, .. } => Some(Route::Doc {
            path,
            query,
            anchor: None,
        }),
        other => Some(other),
    });
    move || match view.get() {
        None => view! { <pages::search::SearchPage route=route/> }.into_any(),
        Some(Route::Home | Route::Search { .. }) => view! { <pages::home::Home/> }.into_any(),
        Some(Route::Doc { path, query, .. }) => {
            view! { <pages::doc::DocPage path=path anchor=anchor query=query/> }.into_any()
        }
        Some(Route::Folder { path }) => view! { <pages::folder::FolderPage path=path/> }.into_any(),
        Some(Route::Tracks { import }) => {
            view! { <pages::tracks::TracksPage import=import/> }.into_any()
        }
        Some(Route::Track { id }) => view! { <pages::tracks::TrackPage id=id/> }.into_any(),
        Some(Route::Entity { id }) => view! { <pages::entity::EntityPage id=id/> }.into_any(),
        Some(Route::Impact(r)) => view! { <pages::impact::ImpactPage route=r/> }.into_any(),
        Some(Route::Why { from, to }) => {
            view! { <pages::why::WhyPage from=from to=to/> }.into_any()
        }
        Some(Route::Entities(r)) => view! { <pages::entities::EntitiesPage route=r/> }.into_any(),
        Some(Route::Unknown(rest)) => view! { <pages::home::UnknownRoute rest=rest/> }.into_any(),
    }
}
