//! A folder's index (`#/folder/<path>`, and the home page of a large site or one with no
//! reading order): its sub-folders with their page counts, its pages with their summaries, and
//! its index page (`README.md`, `index.md`) rendered below, as a file browser shows a folder.

use std::sync::Arc;

use docatlas_core::files::PageEntry;
use leptos::prelude::*;

use crate::components::doc_nav::{add_permalinks, Breadcrumb};
use crate::components::reading::doc_route;
use crate::components::{Drawn, ErrorBox, Loading};
use crate::data::folders::{count, folder_of, is_index, listing};
use crate::data::Docs;
use docatlas_web::route::Route;

/// A folder listing shows this many pages at first (a "Show all" button the rest).
const PAGES_AT_ONCE: usize = 200;

/// The view of one folder.
#[component]
pub fn FolderPage(path: String) -> impl IntoView {
    let name = path.rsplit('/').next().unwrap_or(&path).to_string();
    view! {
        <div class="da-folder">
            <Breadcrumb folder=folder_of(&path).to_string() current=name.clone()/>
            <h1>{name}</h1>
            <FolderIndex folder=path/>
        </div>
    }
}

/// The sub-folders, pages and index page of `folder` (`""`: the whole site).
#[component]
pub fn FolderIndex(folder: String) -> impl IntoView {
    let docs = expect_context::<Arc<Docs>>();
    let list = LocalResource::new(move || {
        let docs = docs.clone();
        async move { docs.page_list().await }
    });
    view! {
        <Suspense fallback=|| view! { <Loading text="Loading the page list…"/> }>
            {move || list.get().map(|loaded| match loaded {
                Ok(pages) => index(&pages, &folder).into_any(),
                Err(e) => view! { <ErrorBox message=e/> }.into_any(),
            })}
        </Suspense>
    }
}

fn index(pages: &[PageEntry], folder: &str) -> impl IntoView {
    let l = listing(pages, folder);
    if l.subs.is_empty() && l.pages.is_empty() {
        return view! {
            <div class="da-error" role="alert">
                <p>"This site has no folder "<code>{folder.to_string()}</code>"."</p>
                <p><a href=Route::Home.href()>"All folders"</a></p>
            </div>
            <Drawn/>
        }
        .into_any();
    }
    let readme = l
        .pages
        .first()
        .filter(|p| is_index(&p.path))
        .map(|p| view! { <IndexPage path=p.path.clone()/> });
    let subs = (!l.subs.is_empty()).then(|| {
        let items = l
            .subs
            .iter()
            .map(|s| {
                view! {
                    <li>
                        <a href=Route::Folder { path: s.path.clone() }.href()>{s.name.clone()}</a>
                        " "<span class="da-meta">{count(s.pages, "page", "pages")}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="da-folders" aria-labelledby="da-folders-heading">
                <h2 id="da-folders-heading">{count(l.subs.len(), "folder", "folders")}</h2>
                <ul class="da-folder-list">{items}</ul>
            </section>
        }
    });
    let entries: Vec<PageEntry> = l.pages.iter().map(|&p| p.clone()).collect();
    let files = (!entries.is_empty()).then(|| view! { <PageList pages=entries/> });
    view! { {subs}{files}{readme}<Drawn/> }.into_any()
}

/// Pages with their summaries; past [`PAGES_AT_ONCE`], the rest on request.
#[component]
fn PageList(pages: Vec<PageEntry>) -> impl IntoView {
    let all = RwSignal::new(pages.len() <= PAGES_AT_ONCE);
    let total = pages.len();
    let pages = Arc::new(pages);
    let items = {
        let pages = pages.clone();
        move || {
            let shown = if all.get() { total } else { PAGES_AT_ONCE };
            pages
                .iter()
                .take(shown)
                .map(|d| {
                    view! {
                        <li class="da-page-item">
                            <a href=doc_route(&d.path)>{d.title.clone()}</a>
                            {d.kind.clone().map(|k| view! { <span class="da-badge">{k}</span> })}
                            <span class="da-meta">{format!("{} min", d.read_minutes)}</span>
                            <p class="da-summary">{d.summary.clone()}</p>
                        </li>
                    }
                })
                .collect_view()
        }
    };
    view! {
        <section class="da-group" aria-labelledby="da-pages-heading">
            <h2 id="da-pages-heading">{count(total, "page", "pages")}</h2>
            <ul class="da-page-list">{items}</ul>
            {move || (!all.get()).then(|| view! {
                <button type="button" class="da-btn" on:click=move |_| all.set(true)>
                    {format!("Show all {total} pages")}
                </button>
            })}
        </section>
    }
}

/// A folder's index page, rendered (its links work as on the page itself).
#[component]
fn IndexPage(path: String) -> impl IntoView {
    let docs = expect_context::<Arc<Docs>>();
    let page = {
        let path = path.clone();
        LocalResource::new(move || {
            let (docs, path) = (docs.clone(), path.clone());
            async move { docs.page(&path).await }
        })
    };
    view! {
        <Suspense fallback=|| view! { <Loading text="Loading the folder's README…"/> }>
            {move || page.get().map(|loaded| match loaded {
                Ok(Some(doc)) => {
                    let body = NodeRef::<leptos::html::Div>::new();
                    let p = doc.path.clone();
                    body.on_load(move |el| add_permalinks(&el, &p, None));
                    view! {
                        <section class="da-readme" aria-label=doc.title.clone()>
                            <p class="da-meta"><a href=doc_route(&doc.path)>{doc.path.clone()}</a></p>
                            <div class="da-doc-body" node_ref=body inner_html=doc.html></div>
                        </section>
                    }
                    .into_any()
                }
                Ok(None) => ().into_any(),
                Err(e) => view! { <ErrorBox message=e/> }.into_any(),
            })}
        </Suspense>
    }
}
