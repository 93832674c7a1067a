//! "Why is this connected?", `#/why?from=<id>&to=<id>`: pick two entities and see every path
//! between them (up to six relations, twenty paths, shortest first), each relation with the
//! places it is declared.

use std::sync::Arc;

use docatlas_core::graph::GraphIndex;
use leptos::html::Input;
use leptos::prelude::*;

use crate::components::graph::{entity_link, place_link, unknown_id_help, WithGraph};
use docatlas_web::route::{go, Route};

/// Longest path searched, in relations.
const MAX_LEN: usize = 6;
/// Most paths listed.
const MAX_PATHS: usize = 20;

/// The page for the entities `from` and `to` (either may be empty while being chosen).
#[component]
pub fn WhyPage(from: String, to: String) -> impl IntoView {
    view! { <WithGraph render={move |g: Arc<GraphIndex>| why(&g, &from, &to)}/> }
}

fn why(g: &GraphIndex, from: &str, to: &str) -> impl IntoView {
    let ids = g
        .graph
        .nodes
        .iter()
        .map(|n| view! { <option value=n.id()>{n.name.clone()}</option> })
        .collect_view();
    let (from_input, to_input) = (NodeRef::<Input>::new(), NodeRef::<Input>::new());
    let value = |r: NodeRef<Input>| r.get_untracked().map(|i| i.value().trim().to_string());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        go(
            &Route::Why {
                from: value(from_input).unwrap_or_default(),
                to: value(to_input).unwrap_or_default(),
            },
            false,
        );
    };
    let result = match (g.find_id(from), g.find_id(to)) {
        _ if from.is_empty() || to.is_empty() => view! {
            <p class="da-hint">"Pick two entities (type to search their ids)."</p>
        }
        .into_any(),
        (None, _) | (_, None) => {
            let bad = if g.find_id(from).is_none() { from } else { to };
            view! {
                <div class="da-error" role="alert">
                    <p class="da-error-message">"No entity "<code>{bad.to_string()}</code>"."</p>
                    {unknown_id_help(g, bad)}
                </div>
            }
            .into_any()
        }
        (Some(a), Some(b)) => paths(g, a, b).into_any(),
    };
    view! {
        <div class="da-why">
            <h1>"Why is this connected?"</h1>
            <form class="da-why-form" on:submit=submit>
                <label>"From "
                    <input type="text" node_ref=from_input placeholder="feature:refunds"
                        aria-label="From entity" list="da-entity-ids" prop:value=from.to_string()/>
                </label>
                <label>"To "
                    <input type="text" node_ref=to_input placeholder="table:users"
                        aria-label="To entity" list="da-entity-ids" prop:value=to.to_string()/>
                </label>
                <button type="submit">"Find paths"</button>
                <datalist id="da-entity-ids">{ids}</datalist>
            </form>
            {result}
        </div>
    }
}

/// The paths between `a` and `b`: a summary line and the list.
fn paths(g: &GraphIndex, a: usize, b: usize) -> impl IntoView {
    let found = g.paths(a, b, MAX_LEN, MAX_PATHS);
    let summary = format!(
        "{} path{} between them, up to {MAX_LEN} relations long{}",
        found.paths.len(),
        if found.paths.len() == 1 { "" } else { "s" },
        if found.truncated {
            "; there are more: these are the shortest"
        } else {
            ""
        }
    );
    let list = found
        .paths
        .iter()
        .map(|p| {
            let steps = g
                .walk(a, p)
                .into_iter()
                .map(|w| {
                    let places = w
                        .edge
                        .declared_at
                        .iter()
                        .map(|pl| view! { " "{place_link(g, pl)} })
                        .collect_view();
                    view! {
                        <li>
                            <span class="da-rel">{format!("—{}→", w.rel.replace('_', " "))}</span>
                            " "{entity_link(g, w.to)}
                            <span class="da-declared">" declared at"{places}</span>
                        </li>
                    }
                })
                .collect_view();
            view! { <li class="da-path-item">{entity_link(g, a)}<ol class="da-steps">{steps}</ol></li> }
        })
        .collect_view();
    view! {
        <p class="da-results-summary" role="status">{summary}</p>
        <ol class="da-paths">{list}</ol>
    }
}
