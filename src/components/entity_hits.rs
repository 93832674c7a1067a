//! Entity cards beside search results: `orders` offers `table:orders` with its owner, one click
//! from its impact view. The graph loads in the background under its own `Suspense`, so the
//! results never wait for it; until it is there (and when nothing matches) there is no box.

use std::sync::Arc;

use docatlas_core::graph::GraphIndex;
use leptos::prelude::*;

use crate::components::graph::{entity_href, entity_link, impact_href, kind_badge};
use crate::components::search_box::{card_id, Choice, SearchState};
use crate::data::graph::Graph;
use crate::data::Docs;

/// Most cards shown.
const CARDS: usize = 4;

/// Cards for the entities whose name matches `query`.
#[component]
pub fn EntityHits(#[prop(into)] query: Signal<String>) -> impl IntoView {
    let graph = expect_context::<Graph>();
    let state = expect_context::<SearchState>();
    graph.want(&expect_context::<Arc<Docs>>());
    on_cleanup(move || state.cards.set(Vec::new()));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                // A graph that cannot load only costs the cards; search works without it.
                let Some(Ok(g)) = graph.get() else {
                    state.cards.set(Vec::new());
                    return None;
                };
                query.with(|q| cards(&g, q, state))
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
fn cards(g: &GraphIndex, query: &str, state: SearchState) -> Option<impl IntoView> {
    let words = entity_words(g, query);
    let found: Vec<usize> = if words.trim().is_empty() {
        Vec::new()
    } else {
        g.find(&words, CARDS)
            .into_iter()
            .filter(|&i| g.node(i).is_some())
            .collect()
    };
    // The arrow keys reach the cards before the results; a card chosen before these cards came
    // goes back to the first result.
    state
        .cards
        .set(found.iter().map(|&i| impact_href(&g.id_of(i))).collect());
    if matches!(state.selected.get_untracked(), Choice::Card(c) if c >= found.len()) {
        state.selected.set(Choice::Hit(0));
    }
    if found.is_empty() {
        return None;
    }
    let items = found
        .into_iter()
        .enumerate()
        .filter_map(|(k, i)| {
            let n = g.node(i)?;
            let id = n.id();
            let chosen = move || state.selected.get() == Choice::Card(k);
            let card = NodeRef::<leptos::html::Li>::new();
            // Chosen with the arrows: brought into view, as a result would be.
            Effect::new(move |before: Option<()>| {
                if chosen() && before.is_some() {
                    if let Some(li) = card.get_untracked() {
                        let options = web_sys::ScrollIntoViewOptions::new();
                        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                        options.set_inline(web_sys::ScrollLogicalPosition::Nearest);
                        li.scroll_into_view_with_scroll_into_view_options(&options);
                    }
                }
            });
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
                <li class="da-entity-card" class:da-selected=chosen node_ref=card>
                    <a class="da-card-title" id=card_id(k) href=impact_href(&id)>
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
