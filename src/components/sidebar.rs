//! The sidebar of the reading views: the site's reading tracks (the one holding the open page
//! unfolded, the page marked, read pages ticked) or, when nothing orders the pages, the folder
//! tree (a folder's contents drawn only when it is unfolded, so 9,000 pages cost nothing until
//! asked for). Beside `main` on a wide screen; on a narrow one a drawer the header's "Menu"
//! button opens (Escape or "Close" shuts it, the focus back on the button).

use std::sync::Arc;

use docatlas_core::files::PageEntry;
use docatlas_core::tracks::TrackSet;
use leptos::html::Button;
use leptos::prelude::*;

use crate::components::reading::doc_route;
use crate::data::folders::{count, folder_of, is_within, listing, Sub};
use crate::data::tracks::Reading;
use crate::data::Docs;
use docatlas_web::route::Route;

/// Whether the narrow screen's drawer is open, and the button that opens it (which gets the
/// focus back when it shuts). Provided by the layout.
#[derive(Clone, Copy)]
pub struct SidebarOpen {
    /// Open (only shows on a narrow screen; on a wide one the sidebar always shows).
    pub open: RwSignal<bool>,
    /// The header's "Menu" button.
    pub toggle: NodeRef<Button>,
}

/// Whether `route` shows the sidebar: the reading views; search, the graph and the entity
/// views keep the whole width.
pub fn has_sidebar(route: &Route) -> bool {
    matches!(
        route,
        Route::Home
            | Route::Doc { .. }
            | Route::Folder { .. }
            | Route::Tracks { .. }
            | Route::Track { .. }
    )
}

/// The open page and folder of `route`, which the sidebar marks and unfolds.
fn here(route: &Route) -> (Option<String>, String) {
    match route {
        Route::Doc { path, .. } => (Some(path.clone()), folder_of(path).to_string()),
        Route::Folder { path } => (None, path.clone()),
        _ => (None, String::new()),
    }
}

/// The sidebar for `docs`, following `route`.
#[component]
pub fn Sidebar(docs: Arc<Docs>, route: Memo<Route>) -> impl IntoView {
    let reading = expect_context::<Reading>();
    let drawer = expect_context::<SidebarOpen>();
    let page = Memo::new(move |_| here(&route.get()).0);
    let folder = Memo::new(move |_| here(&route.get()).1);
    let close = move || {
        drawer.open.set(false);
        if let Some(b) = drawer.toggle.get_untracked() {
            let _ = b.focus();
        }
    };
    let content = move || {
        // The tracks when a view has asked for them (a page, the tracks, a small site's home);
        // a large site's home never loads them for the sidebar alone.
        let set = reading
            .is_wanted()
            .then(|| reading.loaded())
            .flatten()
            .and_then(Result::ok)
            .filter(|s| s.has_reading_order());
        match set {
            Some(set) => view! {
                <TrackNav set=set.clone() page=page/>
                <AllFolders set=set docs=docs.clone() page=page folder=folder/>
            }
            .into_any(),
            None => view! { <FolderNav docs=docs.clone() page=page folder=folder/> }.into_any(),
        }
    };
    view! {
        <nav id="da-sidebar" class="da-sidebar" class:da-open=move || drawer.open.get()
            aria-label="Pages"
            on:keydown=move |ev| if ev.key() == "Escape" && drawer.open.get_untracked() { close() }>
            <button type="button" class="da-btn da-sidebar-close" on:click=move |_| close()>
                "Close"
            </button>
            <Suspense fallback=|| view! { <p class="da-loading">"Loading…"</p> }>{content}</Suspense>
        </nav>
    }
}

/// Scrolls the sidebar (not the page) so that its link to the open page or folder shows.
pub fn reveal_current() {
    let document = docatlas_web::host::document();
    let (Some(nav), Some(link)) = (
        document.get_element_by_id("da-sidebar"),
        document
            .query_selector("#da-sidebar a[aria-current=\"page\"]")
            .ok()
            .flatten(),
    ) else {
        return;
    };
    let (n, l) = (
        nav.get_bounding_client_rect(),
        link.get_bounding_client_rect(),
    );
    if l.top() < n.top() || l.bottom() > n.bottom() {
        let by = l.top() - n.top() - n.height() / 2.0;
        nav.set_scroll_top(nav.scroll_top().saturating_add(by as i32));
    }
}

/// Reveals the open page's link once drawn, and again whenever the page changes.
fn follow_current(page: Memo<Option<String>>) {
    Effect::new(move |_| {
        page.track();
        gloo_timers::callback::Timeout::new(0, reveal_current).forget();
    });
}

/// The tracks, each a foldable list of its pages.
#[component]
fn TrackNav(set: Arc<TrackSet>, page: Memo<Option<String>>) -> impl IntoView {
    let reading = expect_context::<Reading>();
    follow_current(page);
    let tracks: Vec<_> = set.reading_tracks().cloned().collect();
    let holding = {
        let (set, tracks) = (set.clone(), tracks.clone());
        Memo::new(move |_| {
            page.with(|p| {
                let p = p.as_deref()?;
                tracks
                    .iter()
                    .position(|t| t.items.iter().any(|i| set.item_path(i) == Some(p)))
            })
        })
    };
    let groups = tracks
        .into_iter()
        .enumerate()
        .map(|(k, t)| {
            let items = t
                .items
                .iter()
                .filter_map(|item| {
                    let path = set.item_path(item)?.to_string();
                    let here = {
                        let path = path.clone();
                        move || page.with(|p| p.as_deref() == Some(path.as_str()))
                    };
                    let read = {
                        let path = path.clone();
                        move || reading.progress.with(|p| p.is_read(&path))
                    };
                    // Through the CSSOM, not a style attribute: allowed by `style-src 'self'`.
                    let depth = item.depth.to_string();
                    Some(view! {
                        <li style=("--da-depth", depth) class:da-read=read>
                            <a href=doc_route(&path)
                                aria-current=move || here().then_some("page")>{item.title.clone()}</a>
                        </li>
                    })
                })
                .collect_view();
            let open = move || holding.get().unwrap_or(0) == k;
            view! {
                <details class="da-side-group" prop:open=open>
                    <summary>{t.title.clone()}</summary>
                    <ul>{items}</ul>
                </details>
            }
        })
        .collect_view();
    view! {
        <p class="da-side-head"><a href=Route::Tracks { import: None }.href()>"Reading tracks"</a></p>
        {groups}
    }
}

/// Below the tracks, every page by folder (folded, and loaded only once unfolded, unless the
/// open page is in no track).
#[component]
fn AllFolders(
    set: Arc<TrackSet>,
    docs: Arc<Docs>,
    page: Memo<Option<String>>,
    folder: Memo<String>,
) -> impl IntoView {
    let outside = Memo::new(move |_| {
        page.with(|p| {
            p.as_deref().is_some_and(|p| {
                set.reading_tracks()
                    .all(|t| !t.items.iter().any(|i| set.item_path(i) == Some(p)))
            })
        })
    });
    let unfolded = RwSignal::new(outside.get_untracked());
    Effect::new(move |_| {
        if outside.get() {
            unfolded.set(true);
        }
    });
    view! {
        <details class="da-side-group" prop:open=move || unfolded.get()
            on:toggle=follow(unfolded)>
            <summary>"All pages, by folder"</summary>
            {move || unfolded.get().then(|| view! { <FolderNav docs=docs.clone() page=page folder=folder/> })}
        </details>
    }
}

/// The folder tree, from the page list.
#[component]
fn FolderNav(docs: Arc<Docs>, page: Memo<Option<String>>, folder: Memo<String>) -> impl IntoView {
    let list = LocalResource::new(move || {
        let docs = docs.clone();
        async move { docs.page_list().await }
    });
    move || {
        list.get().map(|loaded| match loaded {
            Ok(pages) => {
                follow_current(page);
                view! {
                    <p class="da-side-head"><a href=Route::Home.href()>"All folders"</a></p>
                    <FolderTree pages=pages at=String::new() page=page folder=folder/>
                }
                .into_any()
            }
            Err(e) => view! { <p class="da-error-message">{e}</p> }.into_any(),
        })
    }
}

/// The sub-folders (foldable) and pages of the folder `at`.
#[component]
fn FolderTree(
    pages: Arc<Vec<PageEntry>>,
    at: String,
    page: Memo<Option<String>>,
    folder: Memo<String>,
) -> impl IntoView {
    let l = listing(&pages, &at);
    let subs = l
        .subs
        .into_iter()
        .map(|sub| view! { <FolderNode pages=pages.clone() sub=sub page=page folder=folder/> })
        .collect_view();
    let files = l
        .pages
        .into_iter()
        .map(|p| {
            let path = p.path.clone();
            let here = move || page.with(|c| c.as_deref() == Some(path.as_str()));
            view! {
                <li><a href=doc_route(&p.path) aria-current=move || here().then_some("page")>
                    {p.title.clone()}
                </a></li>
            }
        })
        .collect_view();
    view! { <ul class="da-tree">{subs}{files}</ul> }
}

/// One folder: its name and page count; its contents drawn once it is unfolded. It starts
/// unfolded when the open page or folder is inside it.
#[component]
fn FolderNode(
    pages: Arc<Vec<PageEntry>>,
    sub: Sub,
    page: Memo<Option<String>>,
    folder: Memo<String>,
) -> impl IntoView {
    let path = sub.path.clone();
    let inside = {
        let path = path.clone();
        Memo::new(move |_| folder.with(|f| !f.is_empty() && is_within(f, &path)))
    };
    let unfolded = RwSignal::new(inside.get_untracked());
    Effect::new(move |_| {
        if inside.get() {
            unfolded.set(true);
        }
    });
    let overview = Route::Folder { path: path.clone() }.href();
    let here = {
        let path = path.clone();
        move || folder.with(|f| *f == path) && page.with(Option::is_none)
    };
    let contents = move || {
        unfolded.get().then(|| {
            let here = here.clone();
            view! {
                <ul class="da-tree">
                    <li><a href=overview.clone() aria-current=move || here().then_some("page")>
                        "Overview"
                    </a></li>
                </ul>
                <FolderTree pages=pages.clone() at=path.clone() page=page folder=folder/>
            }
            .into_any()
        })
    };
    view! {
        <li>
            <details prop:open=move || unfolded.get()
                on:toggle=follow(unfolded)>
                <summary>
                    <span class="da-name">{sub.name.clone()}</span>
                    <span class="da-count" title=count(sub.pages, "page", "pages")>{sub.pages}</span>
                </summary>
                {contents}
            </details>
        </li>
    }
}

/// A `<details>` element's `toggle` handler that keeps `unfolded` as the reader left it.
fn follow(unfolded: RwSignal<bool>) -> impl FnMut(web_sys::Event) + 'static {
    move |ev| {
        let open = event_target::<web_sys::Element>(&ev).has_attribute("open");
        if open != unfolded.get_untracked() {
            unfolded.set(open);
        }
    }
}
