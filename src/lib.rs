//! The docatlas browser app: loads a site's head and shows pages and search, client-side.
//!
//! `main.rs` only calls [`start`]. Data loading lives in [`data`], URL routes in [`route`],
//! views in [`pages`], shared widgets in [`components`]; the shell here draws the header and
//! search box and shows the route's view. Views are plain DOM ([`components::dom`]): each is
//! built whole once its data is in, and a view waiting on the network keeps the one before on
//! screen (a loading line appears if the wait is long).

pub mod components;
pub mod data;
pub mod pages;

pub use docatlas_web::route;

use std::cell::RefCell;
use std::sync::Arc;

use wasm_bindgen::JsCast;

use crate::data::Docs;
use crate::route::{current_hash, go, Route};
use docatlas_web::dom::{after, document, el, link, listen, show, Node};
use docatlas_web::host::{
    announce_ready, host_and_bundle, take_over_search_first, wants_search_box,
};

/// How long a new query's results may take before a loading line replaces the results before.
const LOADING_AFTER_MS: i32 = 150;

/// The shell: what stays on screen from view to view.
struct Shell {
    brand: web_sys::Element,
    input: web_sys::HtmlInputElement,
    main: web_sys::Element,
    atlas: Option<Arc<Docs>>,
    /// Bumped by each view started; a view that finishes loading after a newer one started is
    /// dropped.
    view: u64,
    /// The last view shown (a loading line must not replace it).
    drawn: u64,
    /// Bumped by each keystroke; only the last of a burst navigates.
    typed: u64,
    /// The route of the view on screen (or loading).
    route: Option<Route>,
}

thread_local! {
    static SHELL: RefCell<Option<Shell>> = const { RefCell::new(None) };
}

fn with_shell<T>(f: impl FnOnce(&mut Shell) -> T) -> Option<T> {
    SHELL.with(|s| s.borrow_mut().as_mut().map(f))
}

/// Mounts the app into the first `[data-docatlas]` element, else into `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    let document = document();
    let (host, bundle_url) = host_and_bundle(&document);
    let input: web_sys::HtmlInputElement = docatlas_web::results::search_input()
        .on("input", |_| on_input())
        .on("keydown", |ev| {
            if let Ok(k) = ev.dyn_into() {
                on_key(k);
            }
        })
        .into_element()
        .unchecked_into();
    if let Route::Search { query } = Route::parse(&current_hash()) {
        input.set_value(&query);
    }
    let brand = link("#/", "docatlas").class("da-brand");
    let main = el("main")
        .class("da-main")
        .child(components::loading("Loading docs…"));
    let shell = Shell {
        brand: brand.element().clone(),
        input: input.clone(),
        main: main.element().clone(),
        atlas: None,
        view: 0,
        drawn: 0,
        typed: 0,
        route: None,
    };
    let form = el("form")
        .class("da-search")
        .attr("role", "search")
        .on("submit", |ev| ev.prevent_default());
    let _ = form.element().append_child(&input);
    let root = el("div")
        .class("docatlas")
        .child(
            el("header")
                .class("da-header")
                .child(brand)
                .child(link("#/entities", "Entities").class("da-nav"))
                .child(form),
        )
        .child(main)
        .child(
            el("p")
                .class("da-toast")
                .attr("role", "status")
                .attr("aria-live", "polite"),
        );
    let parent: web_sys::Node = match host {
        Some(h) => h.into(),
        None => match document.body() {
            Some(b) => b.into(),
            None => return,
        },
    };
    let _ = parent.append_child(root.element());
    SHELL.with(|s| *s.borrow_mut() = Some(shell));
    if let Some(window) = web_sys::window() {
        listen(&window, "hashchange", |_| on_route());
        listen(&window, "keydown", |ev| {
            if let Ok(k) = ev.dyn_into() {
                on_global_key(k);
            }
        });
    }
    wasm_bindgen_futures::spawn_local(async move {
        // The head the search-first module fetched, else (no module) the app's own fetch.
        let loaded = match data::search::head().await {
            Some(bytes) => bytes.and_then(|b| Docs::from_bytes(&b, &bundle_url)),
            None => data::load(&bundle_url).await,
        };
        match loaded {
            Ok(atlas) => {
                let atlas = Arc::new(atlas);
                with_shell(|s| {
                    s.brand.set_text_content(Some(&atlas.site.title));
                    s.atlas = Some(atlas.clone());
                });
                announce_ready(true);
                components::reading_keys::reading_keys(atlas);
                on_route();
            }
            Err(msg) => {
                with_shell(|s| {
                    show(
                        &s.main,
                        [el("div")
                            .class("da-error")
                            .attr("role", "alert")
                            .child(el("h1").text("These docs could not be loaded"))
                            .child(el("p").class("da-error-message").text(&msg))
                            .child(
                                el("p")
                                    .text("The site needs its data files next to index.html; rebuild it with ")
                                    .child(el("code").text("build-index build DOCS --out SITE"))
                                    .text(" and upload the whole folder."),
                            )],
                    )
                });
                replace_search_first();
            }
        }
    });
}

/// The route changed (or the docs just loaded): the box follows a search route, and the
/// route's view is built and shown.
fn on_route() {
    let route = Route::parse(&current_hash());
    let Some((atlas, view, previous)) = with_shell(|s| {
        if let Route::Search { query } = &route {
            if s.input.value() != *query {
                s.input.set_value(query);
            }
        }
        s.view = s.view.wrapping_add(1);
        let previous = s.route.replace(route.clone());
        Some((s.atlas.clone()?, s.view, previous))
    })
    .flatten() else {
        return;
    };
    // A new query keeps the results before it up until its own are in (no flash between
    // keystrokes, and a loading line only if the wait is long); any other view replaces the one
    // before at once (a view whose data is in memory is drawn before the next frame, so its
    // loading line is never seen).
    let text = loading_text(&route);
    if matches!(route, Route::Search { .. }) && matches!(previous, Some(Route::Search { .. })) {
        after(LOADING_AFTER_MS, move || {
            with_shell(|s| {
                if s.view == view && s.drawn != view {
                    show(&s.main, [components::loading(text)]);
                }
            });
        });
    } else {
        with_shell(|s| show(&s.main, [components::loading(text)]));
    }
    wasm_bindgen_futures::spawn_local(async move {
        let nodes = view_of(atlas, route).await;
        let shown = with_shell(|s| {
            let current = s.view == view;
            if current {
                s.drawn = view;
                show(&s.main, nodes);
            }
            current
        });
        if shown == Some(true) {
            replace_search_first();
        }
    });
}

/// What the loading line says for `route`.
fn loading_text(route: &Route) -> &'static str {
    match route {
        Route::Search { .. } => "Searching…",
        Route::Doc { .. } => "Loading page…",
        Route::Tracks { .. } | Route::Track { .. } => "Loading reading tracks…",
        Route::Entity { .. } | Route::Impact(_) | Route::Why { .. } | Route::Entities(_) => {
            "Loading the entity graph…"
        }
        Route::Home => "Loading docs…",
    }
}

/// The view of `route`, once its data is in.
async fn view_of(atlas: Arc<Docs>, route: Route) -> Vec<Node> {
    match route {
        Route::Home => vec![pages::home::page(&atlas)],
        Route::Doc {
            path,
            anchor,
            query,
        } => vec![pages::doc::page(atlas, path, anchor, query).await],
        Route::Search { query } => pages::search::page(atlas, query).await,
        Route::Tracks { import } => vec![pages::tracks::tracks_page(&atlas, import)],
        Route::Track { id } => vec![pages::tracks::track_page(&atlas, id)],
        Route::Entity { id } => pages::entity::page(atlas, id).await,
        Route::Impact(r) => pages::impact::page(atlas, r).await,
        Route::Why { from, to } => pages::why::page(atlas, from, to).await,
        Route::Entities(r) => pages::entities::page(atlas, r).await,
    }
}

/// A keystroke in the search box: the results follow once typing pauses.
fn on_input() {
    let Some(typed) = with_shell(|s| {
        s.typed = s.typed.wrapping_add(1);
        s.typed
    }) else {
        return;
    };
    docatlas_web::results::follow_box(
        typed,
        || with_shell(|s| s.typed),
        || with_shell(|s| s.input.value()),
    );
}

/// ↑/↓ choose a result, Enter opens it at its section, Esc clears.
fn on_key(ev: web_sys::KeyboardEvent) {
    match ev.key().as_str() {
        "ArrowDown" | "ArrowUp" => {
            ev.prevent_default();
            pages::search::select(ev.key() == "ArrowDown");
        }
        "Enter" => {
            ev.prevent_default();
            match pages::search::selected_href() {
                Some(href) => {
                    with_shell(|s| {
                        let _ = s.input.blur();
                    });
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().set_hash(&href);
                    }
                }
                None => {
                    if let Some(query) = with_shell(|s| s.input.value()) {
                        go(&Route::Search { query }, false);
                    }
                }
            }
        }
        "Escape" => {
            ev.prevent_default();
            with_shell(|s| {
                s.typed = s.typed.wrapping_add(1);
                s.input.set_value("");
            });
            if matches!(Route::parse(&current_hash()), Route::Search { .. }) {
                go(
                    &Route::Search {
                        query: String::new(),
                    },
                    true,
                );
            }
        }
        _ => {}
    }
}

/// `/` (outside a field) or Ctrl-K, anywhere: to the search box.
fn on_global_key(ev: web_sys::KeyboardEvent) {
    if wants_search_box(&ev) {
        ev.prevent_default();
        with_shell(|s| {
            let _ = s.input.focus();
            s.input.select();
        });
    }
}

/// Removes the search-first module's DOM, once this app has its own view of the route on
/// screen (until then the stylesheet hides the app behind the module, so the reader never sees
/// an empty page in between). The app's search box takes over the keyboard focus.
pub(crate) fn replace_search_first() {
    let document = document();
    if !take_over_search_first(&document) {
        return;
    }
    with_shell(|s| {
        let _ = s.input.focus();
        let end = u32::try_from(s.input.value().encode_utf16().count()).unwrap_or(0);
        let _ = s.input.set_selection_range(end, end);
    });
}
