//! Entity cards beside search results: `orders` offers `table:orders` with its owner, one click
//! from its impact view. Self-contained: it loads the graph itself, in the background, so the
//! first search never waits for it; until the graph is there (and when nothing matches) its
//! box stays hidden and empty.

use std::sync::Arc;

use docatlas_core::graph::GraphIndex;

use crate::components::graph::{entity_href, entity_link, impact_href, kind_badge};
use crate::data::{self, Docs};
use docatlas_web::dom::{el, link, Node};

/// Most cards shown.
const CARDS: usize = 4;

/// Cards for the entities whose name matches `query`: an `<aside>` returned at once, hidden
/// and empty, filled and shown when the graph is there (at once if it has loaded already).
pub fn entity_hits(atlas: Arc<Docs>, query: String) -> Node {
    let aside = el("aside")
        .class("da-entity-hits")
        .attr("aria-label", "Matching entities")
        .flag("hidden", true);
    match data::graph::cached() {
        Some(Ok(g)) => fill(aside.element(), &g, &query),
        // A graph that cannot load only costs the cards; search works without it.
        Some(Err(_)) => {}
        None => {
            let target = aside.element().clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(g) = data::graph::load(&atlas).await {
                    fill(&target, &g, &query);
                }
            });
        }
    }
    aside
}

/// Shows the cards matching `query` in `aside`, if there are any.
fn fill(aside: &web_sys::Element, g: &GraphIndex, query: &str) {
    if let Some(list) = cards(g, query) {
        let _ = aside.append_child(list.element());
        let _ = aside.remove_attribute("hidden");
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

/// The `<ul>` of cards, or `None` when no entity matches.
fn cards(g: &GraphIndex, query: &str) -> Option<Node> {
    let found = g.find(&entity_words(g, query), CARDS);
    if found.is_empty() {
        return None;
    }
    let items = found.into_iter().filter_map(|i| {
        let n = g.node(i)?;
        let id = n.id();
        let owner = g.owner(i).map(|o| {
            o.path
                .iter()
                .skip(1)
                .fold(el("p").class("da-card-owner").text("owner"), |p, &step| {
                    p.text(" ← ").child(entity_link(g, step))
                })
        });
        Some(
            el("li")
                .class("da-entity-card")
                .child(
                    el("a")
                        .class("da-card-title")
                        .attr("href", &impact_href(&id))
                        .child(kind_badge(n.kind))
                        .text(" ")
                        .child(el("span").text(&n.name)),
                )
                .child(el("code").class("da-id").text(&id))
                .children(owner)
                .child(
                    el("p")
                        .class("da-card-links")
                        .child(link(&impact_href(&id), "impact"))
                        .text(" · ")
                        .child(link(&entity_href(&id), "details")),
                ),
        )
    });
    Some(el("ul").children(items))
}
