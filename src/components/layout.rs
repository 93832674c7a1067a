//! What stays on screen from view to view: the header (the sidebar's "Menu" button on a narrow
//! screen, site title, the entity list, the search box), the sidebar of the reading views
//! ([`Sidebar`]) beside the route's view in `main`, and the status line.

use leptos::prelude::*;

use std::sync::Arc;

use crate::components::search_box::SearchBox;
use crate::components::sidebar::{has_sidebar, Sidebar, SidebarOpen};
use crate::data::tracks::Reading;
use crate::data::Docs;
use docatlas_web::route::Route;

/// The page around a view: header, `children` in `main`, the status line.
#[component]
pub fn Layout(
    /// The site's title (the brand link to the home page).
    title: Signal<String>,
    /// The current route, which the search box and the sidebar follow.
    route: Memo<Route>,
    /// The site's head once loaded (the sidebar waits for it).
    docs: Signal<Option<Arc<Docs>>>,
    children: Children,
) -> impl IntoView {
    let reading = expect_context::<Reading>();
    let main = NodeRef::<leptos::html::Main>::new();
    // A skip link that moves the focus: an `href="#main"` would be read as a route.
    let skip = move |_| {
        if let Some(m) = main.get_untracked() {
            let _ = m.focus();
        }
    };
    let drawer = SidebarOpen {
        open: RwSignal::new(false),
        toggle: NodeRef::new(),
    };
    provide_context(drawer);
    let sided = Memo::new(move |_| has_sidebar(&route.get()));
    // A route change (a link in the drawer followed) shuts the drawer.
    Effect::new(move |_| {
        route.track();
        drawer.open.set(false);
    });
    let toggle = move |_| {
        let open = !drawer.open.get_untracked();
        drawer.open.set(open);
        // Into the drawer once it shows (the class lands with the next render).
        if open {
            gloo_timers::callback::Timeout::new(0, || {
                if let Some(first) = docatlas_web::host::document()
                    .query_selector("#da-sidebar .da-sidebar-close")
                    .ok()
                    .flatten()
                    .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
                {
                    let _ = first.focus();
                }
                crate::components::sidebar::reveal_current();
            })
            .forget();
        }
    };
    let sidebar = move || {
        let docs = docs.get().filter(|_| sided.get())?;
        Some(view! { <Sidebar docs=docs route=route/> })
    };
    view! {
        <div class="docatlas" class:da-sided=move || sided.get()>
            <button type="button" class="da-skip" on:click=skip>"Skip to content"</button>
            <header class="da-header">
                {move || sided.get().then(|| view! {
                    <button type="button" class="da-menu" node_ref=drawer.toggle
                        aria-controls="da-sidebar" aria-expanded=move || drawer.open.get().to_string()
                        on:click=toggle>
                        <span aria-hidden="true">"☰ "</span>"Menu"
                    </button>
                })}
                <nav class="da-site-nav" aria-label="Site">
                    <a class="da-brand" href="#/">{title}</a>
                    <a class="da-nav" href=Route::Entities(Default::default()).href()>"Entities"</a>
                </nav>
                <SearchBox route=route/>
            </header>
            <div class="da-frame">
                {sidebar}
                <main class="da-main" node_ref=main tabindex="-1">{children()}</main>
            </div>
            <p class="da-toast" role="status" aria-live="polite">{move || reading.status.get()}</p>
        </div>
    }
}
