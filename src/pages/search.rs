//! Search results for `#/search?q=...`, computed by the same core code as `build-index search`.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::Highlighted;
use crate::data::Atlas;
use crate::route::Route;

/// Maximum results shown.
const LIMIT: usize = 50;

/// The results list.
#[component]
pub fn SearchPage(atlas: Arc<Atlas>, query: String) -> impl IntoView {
    if query.trim().is_empty() {
        return view! {
            <div class="da-search-help">
                <h1>"Search"</h1>
                <p>"Type in the box above. Words are matched in titles, headings, body text and code; the last word matches as a prefix while you type, and a small typo is forgiven."</p>
            </div>
        }
        .into_any();
    }
    let results = atlas.index.search(&atlas.docs, &query, LIMIT);
    let corrected = (!results.corrected.is_empty()).then(|| {
        let fixes = results
            .corrected
            .iter()
            .map(|(from, to)| format!("{to} (for {from})"))
            .collect::<Vec<_>>()
            .join(", ");
        view! { <p class="da-corrected">"No exact match; showing results for "{fixes}</p> }
    });
    let summary = format!(
        "{} page{} for “{}”",
        results.total,
        if results.total == 1 { "" } else { "s" },
        query
    );
    let hits = results
        .hits
        .into_iter()
        .map(|hit| {
            let doc = &atlas.docs[hit.doc];
            let section = &doc.sections[hit.section];
            let href = Route::Doc { path: doc.path.clone(), anchor: section.anchor.clone() }.href();
            let where_ = (section.anchor.is_some() && section.heading != doc.title)
                .then(|| view! { <span class="da-hit-section">{format!(" › {}", section.heading)}</span> });
            view! {
                <li class="da-hit">
                    <a class="da-hit-link" href=href>
                        <span class="da-hit-title">{doc.title.clone()}</span>
                        {where_}
                    </a>
                    <span class="da-path">{doc.path.clone()}</span>
                    <Highlighted snippet=hit.snippet/>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="da-results">
            <p class="da-results-summary" role="status">{summary}</p>
            {corrected}
            <ol class="da-hits">{hits}</ol>
        </div>
    }
    .into_any()
}
