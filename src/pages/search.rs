//! Search results for `#/search?q=...`, computed by the same core code as `build-index search`.

use std::sync::Arc;

use leptos::prelude::*;

use docatlas_core::{query, SearchOptions, SearchResults};

use crate::components::{Highlighted, SearchState};
use crate::data::Atlas;
use crate::route::{go, Route};

/// Results shown at first, and added by "More results" (each hit fetches its section's text).
const PAGE: usize = 20;
/// Maximum facet chips shown.
const MAX_CHIPS: usize = 12;

/// The results list, with facet chips to narrow it. The search runs as a resource: its data
/// files are fetched the first time a query needs them, then answered from memory.
#[component]
pub fn SearchPage(atlas: Arc<Atlas>, query: String) -> impl IntoView {
    let state = expect_context::<SearchState>();
    if query.trim().is_empty() {
        state.hits.set(Vec::new());
        return view! { <SearchHelp/> }.into_any();
    }
    let limit = RwSignal::new(PAGE);
    // Entities whose names match (`orders` → `table:orders` and its owner), loaded on their own.
    let entities =
        view! { <crate::components::EntityHits atlas=atlas.clone() query=query.clone()/> };
    let results = {
        let query = query.clone();
        LocalResource::new(move || {
            let atlas = atlas.clone();
            let query = query.clone();
            let opts = SearchOptions {
                limit: limit.get(),
                facets: true,
            };
            async move { atlas.search(&query, opts).await }
        })
    };
    let view_results = move || {
        results.get().map(|r| match r {
            Ok(r) => {
                crate::replace_search_first_when_results();
                results_view(r, &query, state, limit).into_any()
            }
            Err(e) => {
                crate::replace_search_first_when_results();
                view! { <crate::components::ErrorBox message=e/> }.into_any()
            }
        })
    };
    view! {
        {entities}
        <Transition fallback=|| view! { <p class="da-loading" role="status">"Searching…"</p> }>
            {view_results}
        </Transition>
    }
    .into_any()
}

fn results_view(
    results: SearchResults,
    query: &str,
    state: SearchState,
    limit: RwSignal<usize>,
) -> impl IntoView {
    let query = query.to_string();
    let corrected = crate::search_first::correction(&results)
        .map(|text| view! { <p class="da-corrected">{text}</p> });
    let notices = results
        .notices
        .iter()
        .map(|n| view! { <p class="da-notice">{n.clone()}</p> })
        .collect::<Vec<_>>();
    let summary = crate::search_first::summary(&results, &query);
    // A dozen chips that narrow the results, in core's facet order (most useful first); a value
    // every result has would narrow nothing.
    let mut facets: Vec<&docatlas_core::FacetCount> = results
        .facets
        .iter()
        .filter(|f| f.count < results.total || query.contains(&format!("{}:", f.key)))
        .collect();
    facets.truncate(MAX_CHIPS);
    let chips = facets
        .into_iter()
        .map(|f| {
            // The parser's own quoting and reading (issue 8: a value with spaces is one token).
            let key = f.key.as_str();
            let parsed = query::parse(&query, &|k| k.eq_ignore_ascii_case(key));
            let active = parsed.has_filter(key, &f.value);
            let next = if active {
                query::without_filter(&query, key, &f.value)
            } else {
                match query::filter_token(key, &f.value) {
                    Some(filter) => format!("{} {}", query.trim_end(), filter),
                    // A value no query can name (a space and a quote): its chip narrows nothing.
                    None => query.clone(),
                }
            };
            let label = format!("{}: {} ({})", f.key, f.value, f.count);
            view! {
                <button
                    type="button"
                    class="da-chip"
                    class:da-chip-active=active
                    aria-pressed=if active { "true" } else { "false" }
                    on:click=move |_| go(&Route::Search { query: next.clone() }, false)
                >
                    {label}
                </button>
            }
        })
        .collect_view();
    let hrefs: Vec<String> = results
        .hits
        .iter()
        .map(|hit| {
            Route::Doc {
                path: hit.path.clone(),
                anchor: hit.anchor.clone(),
                query: Some(query.clone()),
            }
            .href()
        })
        .collect();
    state.hits.set(hrefs.clone());
    let more = (results.total > results.hits.len()).then(|| {
        view! {
            <button type="button" class="da-more" on:click=move |_| limit.update(|l| *l += PAGE)>
                "More results"
            </button>
        }
    });
    let hits = results
        .hits
        .into_iter()
        .zip(hrefs)
        .enumerate()
        .map(|(i, (hit, href))| {
            let where_ = (hit.anchor.is_some() && hit.heading != hit.title)
                .then(|| view! { <span class="da-hit-section">{format!(" › {}", hit.heading)}</span> });
            let selected = move || state.selected.get() == i;
            view! {
                <li class="da-hit" class:da-selected=selected aria-selected=move || if selected() { "true" } else { "false" }>
                    <a class="da-hit-link" href=href>
                        <span class="da-hit-title">{hit.title}</span>
                        {where_}
                    </a>
                    <span class="da-path">{hit.path}</span>
                    <Highlighted snippet=hit.snippet/>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="da-results">
            <p class="da-results-summary" role="status">{summary}</p>
            {corrected}
            {notices}
            <div class="da-chips" aria-label="Narrow the results">{chips}</div>
            <ol class="da-hits" id="da-hits" role="listbox">{hits}</ol>
            {more}
        </div>
    }
}

/// What the search box understands, shown before anything is typed.
#[component]
fn SearchHelp() -> impl IntoView {
    view! {
        <div class="da-search-help">
            <h1>"Search"</h1>
            <p>"Type in the box above (press "<kbd>"/"</kbd>" or "<kbd>"Ctrl K"</kbd>" to get there). Results follow as you type; "
               <kbd>"↑"</kbd>" "<kbd>"↓"</kbd>" choose one, "<kbd>"Enter"</kbd>" opens it at its section, "<kbd>"Esc"</kbd>" clears."</p>
            <table class="da-syntax">
                <tbody>
                    <tr><td><code>"refund webhook"</code></td><td>"pages with both words rank first; the last word also matches as a prefix; a typo is forgiven"</td></tr>
                    <tr><td><code>"\"dead letter queue\""</code></td><td>"the exact phrase"</td></tr>
                    <tr><td><code>"redis OR rabbitmq"</code></td><td>"either word"</td></tr>
                    <tr><td><code>"payments -stripe"</code></td><td>"leave out pages containing a word"</td></tr>
                    <tr><td><code>"kind:runbook"</code>" "<code>"tag:billing"</code>" "<code>"lang:de"</code>" "<code>"title:refunds"</code></td><td>"filter by page type, tag, language or title"</td></tr>
                    <tr><td><code>"owner:team-ledger"</code></td><td>"any front matter key the docs use works as a filter"</td></tr>
                </tbody>
            </table>
        </div>
    }
}
