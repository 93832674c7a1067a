//! Search results for `#/search?q=...`: the search-first module answers and draws the result
//! list (the page's one engine, the one markup); this page places it with what only the app
//! shows: facet chips to narrow the results, entity cards, and "More results". A new query
//! keeps the results before it on screen until its own are in.

use gloo_timers::callback::Timeout;
use leptos::prelude::*;

use crate::components::entity_hits::EntityHits;
use crate::components::search_box::{Choice, SearchState};
use crate::components::{Drawn, ErrorBox, Loading};
use crate::data::search::{self, Drawn as Results};
use docatlas_web::route::{go, Route};

/// Results shown at first, and added by "More results" (each hit fetches its section's text).
const PAGE: usize = 20;
/// How long new results may take before the page says it is searching.
const SLOW_MS: u32 = 150;

/// The search page; it stays while the query changes.
#[component]
pub fn SearchPage(route: Memo<Route>) -> impl IntoView {
    let state = expect_context::<SearchState>();
    let query = Memo::new(move |prev: Option<&String>| match route.get() {
        Route::Search { query } => query,
        _ => prev.cloned().unwrap_or_default(),
    });
    // How many results the reader asked for, for which query: a new query starts at a page.
    let more = RwSignal::new((String::new(), PAGE));
    let limit = move || {
        let q = query.get();
        more.with(|(for_query, n)| if *for_query == q { *n } else { PAGE })
    };
    let results = LocalResource::new(move || {
        let (q, n) = (query.get(), limit());
        async move {
            if q.trim().is_empty() {
                None
            } else {
                Some(search::results(&q, n).await.map(|r| (q, r)))
            }
        }
    });
    // The query whose results were shown last: "More results" keeps the selection.
    let last = StoredValue::new(String::new());
    on_cleanup(move || state.hrefs.set(Vec::new()));

    // A loading line only if new results take a while; the old ones stay up meanwhile.
    let pending = RwSignal::new(false);
    let slow = RwSignal::new(false);
    Effect::new(move |_| {
        if pending.get() {
            Timeout::new(SLOW_MS, move || {
                if pending.try_get_untracked() == Some(true) {
                    slow.set(true);
                }
            })
            .forget();
        } else {
            slow.set(false);
        }
    });

    let on_more = Callback::new(move |()| {
        let n = limit().saturating_add(PAGE);
        more.set((query.get_untracked(), n));
    });
    view! {
        {move || slow.get().then(|| view! { <Loading text="Searching…"/> })}
        <EntityHits query=query/>
        <div>
            <Transition fallback=|| view! { <Loading text="Searching…"/> } set_pending=pending>
                {move || results.get().map(|shown| match shown {
                    None => {
                        state.hrefs.set(Vec::new());
                        view! { <SearchHelp/><Drawn/> }.into_any()
                    }
                    Some(Ok((q, r))) => {
                        view! { <ResultsView query=q results=r last=last on_more=on_more/> }.into_any()
                    }
                    Some(Err(e)) => {
                        state.hrefs.set(Vec::new());
                        view! { <ErrorBox message=e/> }.into_any()
                    }
                })}
            </Transition>
        </div>
    }
}

/// The results of `query` as the module drew them, with the facet chips and "More results".
#[component]
fn ResultsView(
    query: String,
    results: Results,
    last: StoredValue<String>,
    on_more: Callback<()>,
) -> impl IntoView {
    let state = expect_context::<SearchState>();
    let Results {
        results: meta,
        head,
        list,
    } = results;
    // "More results" keeps the reader's place; a new query starts at the top.
    let n = meta.hrefs.len();
    if last.get_value() == query {
        state.selected.update(|s| {
            if let Choice::Hit(i) = s {
                *i = (*i).min(n.saturating_sub(1));
            }
        });
    } else {
        state.selected.set(Choice::Hit(0));
    }
    last.set_value(query);
    let has_more = meta.total > n;
    state.hrefs.set(meta.hrefs);
    // The selection, marked by the module (it knows its markup); moved by the box's arrows,
    // which bring it into view.
    let marked = list.clone();
    Effect::new(move |before: Option<()>| {
        // A card chosen: no result is (the module marks none past the end).
        let hit = match state.selected.get() {
            Choice::Hit(i) => i,
            Choice::Card(_) => usize::MAX,
        };
        search::select(&marked, hit, before.is_some());
    });
    // The module's nodes go inside boxes this view owns (`display: contents`, so they lay out
    // as the module's own), so they leave the page with the view that shows them. A new
    // query's view reuses the boxes (Leptos patches the same markup in place), so the new
    // nodes replace what a box held.
    let slot = |node: web_sys::Element| {
        let r = NodeRef::<leptos::html::Div>::new();
        r.on_load(move |div| div.replace_children_with_node_1(&node));
        view! { <div class="da-slot" node_ref=r></div> }
    };
    let chips = meta
        .chips
        .into_iter()
        .map(|(label, active, next)| {
            view! {
                <button type="button" class=if active { "da-chip da-chip-active" } else { "da-chip" }
                    aria-pressed=if active { "true" } else { "false" }
                    on:click=move |_| go(&Route::Search { query: next.clone() }, false)>
                    {label}
                </button>
            }
        })
        .collect_view();
    let asked = RwSignal::new(false);
    view! {
        <div class="da-results">
            <h1 class="da-sr-only">"Search results"</h1>
            {slot(head)}
            <div class="da-chips" aria-label="Narrow the results">{chips}</div>
            {slot(list)}
            {has_more.then(|| view! {
                // One click, one more page: the button goes when the longer list comes.
                <button type="button" class="da-more" disabled=move || asked.get()
                    on:click=move |_| { asked.set(true); on_more.run(()); }>
                    "More results"
                </button>
            })}
        </div>
        <Drawn/>
    }
}

/// What the search box understands, shown before anything is typed.
#[component]
fn SearchHelp() -> impl IntoView {
    let rows: [(&[&str], &str); 6] = [
        (&["refund webhook"], "pages with both words rank first; the last word also matches as a prefix; a typo is forgiven"),
        (&["\"dead letter queue\""], "the exact phrase"),
        (&["redis OR rabbitmq"], "either word"),
        (&["payments -stripe"], "leave out pages containing a word"),
        (&["kind:runbook", "tag:billing", "lang:de", "title:refunds"], "filter by page type, tag, language or title"),
        (&["owner:team-ledger"], "any front matter key the docs use works as a filter"),
    ];
    let rows = rows
        .into_iter()
        .map(|(examples, meaning)| {
            let codes = examples
                .iter()
                .enumerate()
                .map(|(i, e)| view! { {(i > 0).then_some(" ")}<code>{*e}</code> })
                .collect_view();
            view! { <tr><td>{codes}</td><td>{meaning}</td></tr> }
        })
        .collect_view();
    view! {
        <div class="da-search-help">
            <h1>"Search"</h1>
            <p>
                "Type in the box above (press "<kbd>"/"</kbd>" or "<kbd>"Ctrl K"</kbd>
                " to get there). Results follow as you type; "<kbd>"↑"</kbd>" "<kbd>"↓"</kbd>
                " choose one, "<kbd>"Enter"</kbd>" opens it at its section, "<kbd>"Esc"</kbd>
                " clears."
            </p>
            <table class="da-syntax"><tbody>{rows}</tbody></table>
        </div>
    }
}
