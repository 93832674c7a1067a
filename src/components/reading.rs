//! What the reading views share: progress bars, track cards (the home page's summary and the
//! tracks page), link lists, checklists with checkboxes, and the notice shown when progress is
//! not saved.
//!
//! Each reads the reader's progress from [`Reading`] (context) where it shows it, so a tick in
//! any view updates every other on screen, and only the parts that show progress re-render:
//! the checkbox just ticked stays the element it was, keyboard focus with it.

use std::sync::Arc;

use docatlas_core::tracks::{self, Checklist, Progress, Source, TrackSet};
use leptos::prelude::*;

use crate::data::tracks::Reading;
use crate::data::Docs;
use docatlas_web::route::Route;

/// The route of a page, with no search or anchor.
pub fn doc_route(path: &str) -> String {
    Route::Doc {
        path: path.to_string(),
        anchor: None,
        query: None,
    }
    .href()
}

/// The route of a track.
pub fn track_route(id: &str) -> String {
    Route::Track { id: id.to_string() }.href()
}

/// "3 of 6 pages read · 17 min left of 29" ("1 of 1 page", "the one page").
pub fn progress_words(p: &tracks::TrackProgress) -> String {
    let noun = if p.total == 1 { "page" } else { "pages" };
    if p.total > 0 && p.done == p.total {
        return match p.total {
            1 => format!("The one page read · {} min in all", p.minutes_total),
            n => format!("All {n} pages read · {} min in all", p.minutes_total),
        };
    }
    format!(
        "{} of {} {noun} read · {} min left of {}",
        p.done, p.total, p.minutes_left, p.minutes_total
    )
}

/// A bar filled in proportion to the pages read, and the same in words.
pub fn progress_bar(p: &tracks::TrackProgress) -> impl IntoView {
    let percent = p.done.saturating_mul(100).checked_div(p.total).unwrap_or(0);
    let words = progress_words(p);
    view! {
        <div class="da-bar" role="progressbar" aria-valuemin="0" aria-valuemax=p.total.to_string()
            aria-valuenow=p.done.to_string() aria-label=words.clone()>
            <span class="da-bar-fill" style=("width", format!("{percent}%"))></span>
        </div>
        <p class="da-meta da-track-progress">{words}</p>
    }
}

/// A muted note after a link.
pub fn note(text: String) -> impl IntoView {
    view! { <span class="da-meta">{text}</span> }
}

/// A key to press.
#[component]
pub fn Kbd(key: &'static str) -> impl IntoView {
    view! { <kbd title=format!("press {key}")>{key}</kbd> }
}

/// `label` and links on one line: (href, text, note) each.
pub fn link_list(label: &'static str, links: Vec<(String, String, String)>) -> impl IntoView {
    let items = links
        .into_iter()
        .map(|(href, text, n)| view! { <li><a href=href>{text}</a>{note(n)}</li> })
        .collect_view();
    view! { <div class="da-links">{label}<ul class="da-inline">{items}</ul></div> }
}

/// `label`, then the unread pages the page at `path` links to (its prerequisites); nothing when
/// there are none.
pub fn prerequisites_list(
    set: &TrackSet,
    progress: &Progress,
    path: &str,
    label: &'static str,
) -> Option<impl IntoView> {
    let links: Vec<_> = tracks::prerequisites(set, progress, path)
        .into_iter()
        .map(|p| {
            (
                doc_route(&p.path),
                p.title.clone(),
                format!("{} min", p.minutes),
            )
        })
        .collect();
    (!links.is_empty()).then(|| link_list(label, links))
}

/// "Next up: <page> 5 min", with the key that opens it where `n` does.
pub fn next_line(
    label: &'static str,
    href: String,
    title: String,
    n: String,
    key: bool,
) -> impl IntoView {
    view! {
        <p class="da-next">
            {label}<a href=href>{title}</a>{note(n)}
            {key.then(|| view! { " "<Kbd key="n"/> })}
        </p>
    }
}

/// One track as a card: title, progress in pages and minutes, and the next page to read.
#[component]
pub fn TrackCard(set: Arc<TrackSet>, track: usize) -> impl IntoView {
    let reading = expect_context::<Reading>();
    let t = set.tracks.get(track).cloned();
    let title_link = t
        .as_ref()
        .map(|t| view! { <a class="da-track-title" href=track_route(&t.id)>{t.title.clone()}</a> });
    let body = move || {
        let t = set.tracks.get(track)?;
        let view = reading.progress.with(|progress| {
            let p = tracks::track_progress(&set, t, progress);
            let next = p
                .next
                .and_then(|i| t.items.get(i))
                .and_then(|item| Some((item, set.page(item.page)?)))
                .map(|(item, page)| {
                    next_line(
                        "Next up: ",
                        doc_route(&page.path),
                        item.title.clone(),
                        format!("{} min", page.minutes),
                        false,
                    )
                });
            view! { {progress_bar(&p)}{next} }
        });
        Some(view)
    };
    view! { <li class="da-track-card">{title_link}{body}</li> }
}

/// A checklist with a checkbox per entry, as the reader's progress has it. `on_page` names the
/// page (lists of several pages' checklists).
#[component]
pub fn ChecklistView(set: Arc<TrackSet>, list: Checklist, on_page: bool) -> impl IntoView {
    let reading = expect_context::<Reading>();
    let c = list;
    let page = set.page(c.page);
    let href = Route::Doc {
        path: page.map(|p| p.path.clone()).unwrap_or_default(),
        anchor: c.anchor.clone(),
        query: None,
    }
    .href();
    let where_ = page
        .filter(|_| on_page)
        .map(|p| format!(" on {}", p.title))
        .unwrap_or_default();
    let count = {
        let c = c.clone();
        move || {
            let (done, total) = reading
                .progress
                .with(|p| tracks::progress::checklist_progress(&c, p));
            format!("{where_} · {done} of {total}")
        }
    };
    let items = c
        .items
        .iter()
        .map(|e| {
            let (entry, id, text) = (e.clone(), e.id.clone(), e.text.clone());
            view! {
                <li class="da-check">
                    <label>
                        <input type="checkbox" aria-label=text.clone()
                            prop:checked=move || reading.progress.with(|p| p.is_checked(&entry))
                            on:change=move |ev| reading.set_check(&id, event_target_checked(&ev))/>
                        " "{text}
                    </label>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="da-checklist">
            <h3><a href=href>{c.title.clone()}</a><span class="da-meta">{count}</span></h3>
            <ul class="da-checks">{items}</ul>
        </section>
    }
}

/// The home page's summary of the tracks; nothing if the site has none (or until they load).
#[component]
pub fn TracksSummary() -> impl IntoView {
    let reading = expect_context::<Reading>();
    reading.start(&expect_context::<Arc<Docs>>());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                // A site with no reading order has only the default track (every page): its
                // readers browse the folders below, not a track of the whole site.
                let set = reading.loaded()?.ok().filter(|s| s.has_reading_order())?;
                let cards = (0..set.tracks.len())
                    .filter(|&i| set.tracks.get(i).is_some_and(|t| t.source != Source::Default))
                    .map(|i| view! { <TrackCard set=set.clone() track=i/> })
                    .collect_view();
                Some(view! {
                    <div class="da-tracks-summary">
                        <h2 id="da-tracks-heading">"Reading tracks"</h2>
                        <ul class="da-track-cards">{cards}</ul>
                        <p class="da-meta">
                            <a href=Route::Tracks { import: None }.href()>
                                "All tracks, checklists and your progress"
                            </a>
                            " · "<Kbd key="n"/>" opens the next unread page"
                        </p>
                    </div>
                })
            }}
        </Suspense>
    }
}

/// Says that progress is only kept in memory, and why; nothing while it is saved.
#[component]
pub fn StorageNotice() -> impl IntoView {
    let reading = expect_context::<Reading>();
    move || {
        reading.memory_only.get().map(|why| {
            view! {
                <p class="da-notice" role="note">
                    {format!("Your progress is kept in memory only: {why}. It is lost when this page closes; export it to keep it.")}
                </p>
            }
        })
    }
}
