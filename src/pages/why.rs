//! "Why is this connected?", `#/why?from=<id>&to=<id>`: pick two entities and see every path
//! between them (up to six relations, twenty paths, shortest first), each relation with the
//! places it is declared.

use std::sync::Arc;

use docatlas_core::graph::GraphIndex;
use wasm_bindgen::JsCast;

use crate::components::graph::{entity_link, place_link, with_graph};
use crate::data::Docs;
use crate::route::{go, Route};
use docatlas_web::dom::{el, input_value, text_input, Node};

/// Longest path searched, in relations.
const MAX_LEN: usize = 6;
/// Most paths listed.
const MAX_PATHS: usize = 20;

/// The page for the entities `from` and `to` (either may be empty while being chosen): one
/// `div.da-why`, or why it cannot be shown.
pub async fn page(atlas: Arc<Docs>, from: String, to: String) -> Vec<Node> {
    with_graph(atlas, move |g| vec![why(&g, &from, &to)]).await
}

fn why(g: &GraphIndex, from: &str, to: &str) -> Node {
    let ids = g
        .graph
        .nodes
        .iter()
        .map(|n| el("option").attr("value", &n.id()).text(&n.name));
    let form = el("form")
        .class("da-why-form")
        .on("submit", |ev| {
            ev.prevent_default();
            // The inputs are read from the form the event is at, not kept by the handler: an
            // element held by its own handler would never be freed.
            let Some(form) = ev
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            else {
                return;
            };
            go(
                &Route::Why {
                    from: input_value(&form, "From entity").trim().to_string(),
                    to: input_value(&form, "To entity").trim().to_string(),
                },
                false,
            );
        })
        .child(el("label").text("From ").child(
            text_input("feature:refunds", "From entity", from).attr("list", "da-entity-ids"),
        ))
        .child(
            el("label")
                .text("To ")
                .child(text_input("table:users", "To entity", to).attr("list", "da-entity-ids")),
        )
        .child(el("button").attr("type", "submit").text("Find paths"))
        .child(el("datalist").attr("id", "da-entity-ids").children(ids));
    let result = match (g.find_id(from), g.find_id(to)) {
        _ if from.is_empty() || to.is_empty() => vec![el("p")
            .class("da-hint")
            .text("Pick two entities (type to search their ids).")],
        (None, _) | (_, None) => {
            let bad = if g.find_id(from).is_none() { from } else { to };
            vec![el("p")
                .class("da-error-message")
                .attr("role", "alert")
                .text("No entity ")
                .child(el("code").text(bad))
                .text(".")]
        }
        (Some(a), Some(b)) => paths(g, a, b),
    };
    el("div")
        .class("da-why")
        .child(el("h1").text("Why is this connected?"))
        .child(form)
        .children(result)
}

/// The paths between `a` and `b`: a summary line and the list.
fn paths(g: &GraphIndex, a: usize, b: usize) -> Vec<Node> {
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
    let list = found.paths.iter().map(|p| {
        let steps = g.walk(a, p).into_iter().map(|w| {
            let declared = w.edge.declared_at.iter().fold(
                el("span").class("da-declared").text(" declared at"),
                |s, pl| s.text(" ").child(place_link(g, pl)),
            );
            el("li")
                .child(
                    el("span")
                        .class("da-rel")
                        .text(&format!("—{}→", w.rel.replace('_', " "))),
                )
                .text(" ")
                .child(entity_link(g, w.to))
                .child(declared)
        });
        el("li")
            .class("da-path-item")
            .child(entity_link(g, a))
            .child(el("ol").class("da-steps").children(steps))
    });
    vec![
        el("p")
            .class("da-results-summary")
            .attr("role", "status")
            .text(&summary),
        el("ol").class("da-paths").children(list),
    ]
}
