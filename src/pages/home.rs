//! Home: on a site of a few hundred pages, its reading tracks and the page list grouped by
//! folder, with titles and summaries; on a larger one, its folders (with page counts), the
//! pages at its root and its README, rendered ([`FolderIndex`]). The page list is its own data
//! file, fetched when this view is shown (never before a search).

use std::collections::BTreeMap;
use std::sync::Arc;

use docatlas_core::files::PageEntry;
use leptos::prelude::*;

use crate::components::reading::{Kbd, TracksSummary};
use crate::components::{Drawn, ErrorBox, Loading};
use crate::data::folders::count as counted;
use crate::data::Docs;
use crate::pages::folder::FolderIndex;
use docatlas_web::route::Route;

/// Sites with at most this many pages list them on the home page straight away.
const LIST_AT_ONCE: u32 = 300;

/// The page list, and the reading tracks' summary on a small site.
#[component]
pub fn Home() -> impl IntoView {
    let docs = expect_context::<Arc<Docs>>();
    let count = docs.pages;
    let title = docs.site.title.clone();
    let small = count <= LIST_AT_ONCE;
    let lead = format!(
        "{}. Press / to search.",
        counted(count as usize, "page", "pages")
    );
    if !small {
        return view! {
            <div class="da-home">
                <h1>{title}</h1>
                <p class="da-lead">{lead}</p>
                <p class="da-tracks-link">
                    <a href=Route::Tracks { import: None }.href()>"Reading tracks"</a>
                    ": your progress, and what to read first where the site has a reading order (press "<Kbd key="t"/>")"
                </p>
                <FolderIndex folder=String::new()/>
            </div>
        }
        .into_any();
    }
    let list = LocalResource::new(move || {
        let docs = docs.clone();
        async move { docs.page_list().await }
    });
    let pages = move || {
        list.get().map(|loaded| match loaded {
            Ok(pages) => groups(&pages).into_any(),
            Err(e) => view! { <ErrorBox message=e/> }.into_any(),
        })
    };
    view! {
        <div class="da-home">
            <h1>{title}</h1>
            <p class="da-lead">{lead}</p>
            <TracksSummary/>
            <div>
                <Suspense fallback=|| view! { <Loading text="Loading the page list…"/> }>
                    {pages}
                </Suspense>
            </div>
        </div>
        <Drawn/>
    }
    .into_any()
}

/// The pages by folder, root first ("Start here").
fn groups(pages: &[PageEntry]) -> impl IntoView {
    let mut groups: BTreeMap<&str, Vec<&PageEntry>> = BTreeMap::new();
    for p in pages {
        let folder = p.path.rsplit_once('/').map_or("", |(dir, _)| dir);
        groups.entry(folder).or_default().push(p);
    }
    groups
        .into_iter()
        .map(|(folder, pages)| {
            let heading = if folder.is_empty() {
                "Start here".to_string()
            } else {
                folder.to_string()
            };
            let items = pages
                .into_iter()
                .map(|d| {
                    let href = Route::Doc {
                        query: None,
                        path: d.path.clone(),
                        anchor: None,
                    }
                    .href();
                    view! {
                        <li class="da-page-item">
                            <a href=href>{d.title.clone()}</a>
                            {d.kind.clone().map(|k| view! { <span class="da-badge">{k}</span> })}
                            <span class="da-meta">{format!("{} min", d.read_minutes)}</span>
                            <p class="da-summary">{d.summary.clone()}</p>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="da-group">
                    <h2>{heading}</h2>
                    <ul class="da-page-list">{items}</ul>
                </section>
            }
        })
        .collect_view()
}

/// An address that names no view: says so, and offers a search for its words and the home page.
#[component]
pub fn UnknownRoute(rest: String) -> impl IntoView {
    let words: String = rest
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 1 && !matches!(*w, "md" | "html"))
        .collect::<Vec<_>>()
        .join(" ");
    let search = (!words.is_empty()).then(|| {
        let href = Route::Search {
            query: words.clone(),
        }
        .href();
        view! { <li><a href=href>{format!("Search for “{words}”")}</a></li> }
    });
    view! {
        <div class="da-error" role="alert">
            <h1>"Nothing at this address"</h1>
            <p>"This site has no view at "<code>{format!("#/{rest}")}</code>
                ": the link may be mistyped or from an older version of the site."</p>
            <ul>
                {search}
                <li><a href=Route::Home.href()>"All pages"</a></li>
            </ul>
        </div>
        <Drawn/>
    }
}
