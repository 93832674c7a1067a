//! Entity cards beside search results: `orders` offers `table:orders` with its owner, one click
//! from its impact view. The graph loads in the background under its own `Suspense`, so the
//! results never wait for it; until it is there (and when nothing matches) there is no box.

use std::sync::Arc;

use docatlas_core::graph::GraphIndex;
use leptos::prelude::*;

use crate::components::graph::{entity_href, entity_link, impact_href, kind_badge};
use crate::data::graph::Graph;
use crate::data::Docs;

/// Most cards shown.
const CARDS: usize = 4;

/// Cards for the entities whose name matches `query`.
#[component]
pub fn EntityHits(#[prop(into)] query: Signal<String>) -> impl IntoView {
    let graph = expect_context::<Graph>();
    graph.want(&expect_context::<Arc<Docs>>());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                // A graph that cannot load only costs the cards; search works without it.
                let g = graph.get()?.ok()?;
                query.with(|q| cards(&g, q))
            }}
        </Suspense>
    }
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

/// The box of cards, or `None` when no entity matches.
fn cards(g: &GraphIndex, query: &str) -> Option<impl IntoView> {
    let words = entity_words(g, query);
    if words.trim().is_empty() {
        return None;
    }
    let found = g.find(&words, CARDS);
    if found.is_empty() {
        return None;
    }
    let items = found
        .into_iter()
        .filter_map(|i| {
            let n = g.node(i)?;
            let id = n.id();
            let owner = g.owner(i).map(|o| {
                let steps = o
                    .path
                    .iter()
                    .skip(1)
                    .map(|&step| view! { " ← "{entity_link(g, step)} })
                    .collect_view();
                view! { <p class="da-card-owner">"owner"{steps}</p> }
            });
            Some(view! {
                <li class="da-entity-card">
                    <a class="da-card-title" href=impact_href(&id)>
                        {kind_badge(n.kind)}" "<span>{n.name.clone()}</span>
                    </a>
                    <code class="da-id">{id.clone()}</code>
                    {owner}
                    <p class="da-card-links">
                        <a href=impact_href(&id)>"impact"</a>" · "<a href=entity_href(&id)>"details"</a>
                    </p>
                </li>
            })
        })
        .collect_view();
    Some(view! {
        <aside class="da-entity-hits" aria-label="Matching entities"><ul>{items}</ul></aside>
    })
}
