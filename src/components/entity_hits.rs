//! Entity cards beside search results: `orders` offers `table:orders` with its owner, one click
//! from its impact view. Self-contained: it loads the graph itself, in the background, so the
//! first search never waits for it; until the graph is there it shows nothing.

use std::sync::Arc;

use docatlas_core::graph::GraphIndex;
use leptos::prelude::*;

use crate::components::graph::{entity_href, entity_link, impact_href, kind_badge};
use crate::data::{self, Atlas};

/// Most cards shown.
const CARDS: usize = 4;

/// Cards for the entities whose name matches `query`.
#[component]
pub fn EntityHits(atlas: Arc<Atlas>, query: String) -> impl IntoView {
    let graph = RwSignal::new(data::graph::cached().and_then(Result::ok));
    if graph.get_untracked().is_none() {
        leptos::task::spawn_local(async move {
            // A graph that cannot load only costs the cards; search works without it.
            if let Ok(g) = data::graph::load(&atlas).await {
                graph.set(Some(g));
            }
        });
    }
    move || graph.get().map(|g| cards(&g, &query))
}

/// The words of a query that could name an entity: filters (`kind:runbook`), exclusions
/// (`-stripe`), `OR` and quotes are search syntax, not names; an exact id is kept whole.
fn entity_words(g: &GraphIndex, query: &str) -> String {
    if g.find_id(query.trim()).is_some() {
        return query.trim().to_string();
    }
    query
        .split_whitespace()
        .filter(|w| {
            !w.starts_with('-') && *w != "OR" && !(w.contains(':') && g.find_id(w).is_none())
        })
        .map(|w| w.trim_matches('"'))
        .collect::<Vec<_>>()
        .join(" ")
}

fn cards(g: &GraphIndex, query: &str) -> Option<AnyView> {
    let found = g.find(&entity_words(g, query), CARDS);
    if found.is_empty() {
        return None;
    }
    let items = found
        .into_iter()
        .filter_map(|i| {
            let n = g.node(i)?;
            let id = n.id();
            let owner = g.owner(i).map(|o| {
                let chain = o
                    .path
                    .iter()
                    .skip(1)
                    .map(|&p| view! { " ← " {entity_link(g, p)} })
                    .collect_view();
                view! { <p class="da-card-owner">"owner"{chain}</p> }
            });
            Some(view! {
                <li class="da-entity-card">
                    <a class="da-card-title" href=impact_href(&id)>
                        {kind_badge(n.kind)} " " <span>{n.name.clone()}</span>
                    </a>
                    <code class="da-id">{id.clone()}</code>
                    {owner}
                    <p class="da-card-links">
                        <a href=impact_href(&id)>"impact"</a> " · " <a href=entity_href(&id)>"details"</a>
                    </p>
                </li>
            })
        })
        .collect_view();
    Some(
        view! {
            <aside class="da-entity-hits" aria-label="Matching entities">
                <ul>{items}</ul>
            </aside>
        }
        .into_any(),
    )
}
