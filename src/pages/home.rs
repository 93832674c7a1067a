//! Home: every page of the portal, grouped by folder, with titles and summaries.

use std::collections::BTreeMap;
use std::sync::Arc;

use docatlas_core::Doc;
use leptos::prelude::*;

use crate::data::Atlas;
use crate::route::Route;

/// The page list.
#[component]
pub fn Home(atlas: Arc<Atlas>) -> impl IntoView {
    let mut groups: BTreeMap<String, Vec<&Doc>> = BTreeMap::new();
    for doc in &atlas.docs {
        groups
            .entry(doc.folder().to_string())
            .or_default()
            .push(doc);
    }
    let sections = groups
        .into_iter()
        .map(|(folder, docs)| {
            let heading = if folder.is_empty() {
                "Start here".to_string()
            } else {
                folder
            };
            let items = docs
                .into_iter()
                .map(|d| {
                    let href = Route::Doc {
                        query: None,
                        path: d.path.clone(),
                        anchor: None,
                    }
                    .href();
                    let kind = d
                        .kind
                        .clone()
                        .map(|k| view! { <span class="da-badge">{k}</span> });
                    view! {
                        <li class="da-page-item">
                            <a href=href>{d.title.clone()}</a>
                            {kind}
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
        .collect_view();
    let count = atlas.docs.len();
    view! {
        <div class="da-home">
            <p class="da-lead">{format!("{count} pages. Press / to search.")}</p>
            <crate::components::TracksSummary atlas=atlas.clone()/>
            {sections}
        </div>
    }
}
