//! What stays on screen from view to view: the header (site title, the entity list, the search
//! box), the route's view in `main`, and the status line. A sidebar (tracks or folders) and an
//! on-page table of contents belong beside `main`, inside this component.

use leptos::prelude::*;

use crate::components::search_box::SearchBox;
use crate::data::tracks::Reading;
use crate::route::Route;

/// The page around a view: header, `children` in `main`, the status line.
#[component]
pub fn Layout(
    /// The site's title (the brand link to the home page).
    title: Signal<String>,
    /// The current route, which the search box follows.
    route: Memo<Route>,
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
    view! {
        <div class="docatlas">
            <button type="button" class="da-skip" on:click=skip>"Skip to content"</button>
            <header class="da-header">
                <nav class="da-site-nav" aria-label="Site">
                    <a class="da-brand" href="#/">{title}</a>
                    <a class="da-nav" href=Route::Entities(Default::default()).href()>"Entities"</a>
                </nav>
                <SearchBox route=route/>
            </header>
            <main class="da-main" node_ref=main tabindex="-1">{children()}</main>
            <p class="da-toast" role="status" aria-live="polite">{move || reading.status.get()}</p>
        </div>
    }
}
