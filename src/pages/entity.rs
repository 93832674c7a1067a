//! One entity, `#/entity/<id>`: its attributes, where it is declared (linked to the line's
//! section), its owner, its relations grouped by kind of relation, the pages that mention it and
//! its runbooks; one click to its impact view.

use std::collections::BTreeMap;
use std::sync::Arc;

use docatlas_core::graph::{GraphIndex, Kind};

use crate::components::graph::{
    entity_link, impact_href, kind_badge, not_found, page_link, place_link, with_graph,
};
use crate::data::Docs;
use crate::route::Route;
use docatlas_web::dom::{el, link, Node};

/// The entity page of `id`: one `article.da-entity`, or why it cannot be shown.
pub async fn page(atlas: Arc<Docs>, id: String) -> Vec<Node> {
    with_graph(atlas, move |g| vec![entity(&g, &id)]).await
}

fn entity(g: &GraphIndex, id: &str) -> Node {
    let Some(i) = g.find_id(id) else {
        return not_found(g, id);
    };
    let Some(n) = g.node(i) else {
        return not_found(g, id);
    };
    let full_id = n.id();
    let owner = g.owner(i).map(|o| {
        let chain = o.path.iter().skip(1).map(|&p| {
            el("span")
                .class("da-chain-step")
                .text(" ← ")
                .child(entity_link(g, p))
        });
        el("p")
            .class("da-owner")
            .text("Owner: ")
            .child(el("strong").text(&n.name))
            .children(chain)
    });
    let attrs = (!n.attributes.is_empty()).then(|| {
        let rows = n.attributes.iter().map(|a| {
            let value = match g.graph.code_link(&a.value) {
                Some(href) => el("a")
                    .class("da-coderef")
                    .attr("href", &href)
                    .child(el("code").text(&a.value)),
                None => el("span").text(&a.value),
            };
            el("tr")
                .child(el("th").attr("scope", "row").text(&a.key))
                .child(el("td").child(value))
        });
        el("table")
            .class("da-attrs")
            .child(el("tbody").children(rows))
    });
    let defined = if n.defined_at.is_empty() {
        el("p")
            .class("da-warn-text")
            .text("Not defined anywhere: only referenced. ")
            .child(el("code").text("build-index check"))
            .text(" says where.")
    } else {
        let items = n
            .defined_at
            .iter()
            .map(|p| el("li").child(place_link(g, p)));
        el("ul").class("da-places").children(items)
    };
    // Relations grouped by their name as seen from here, in a stable order.
    let mut groups: BTreeMap<&'static str, Vec<_>> = BTreeMap::new();
    for r in g.relations(i) {
        groups.entry(r.name).or_default().push(r);
    }
    let relations = groups.into_iter().map(|(name, rels)| {
        let count = rels.len();
        let items = rels.into_iter().map(|r| {
            let declared = el("span").class("da-declared").text("declared at");
            let declared = match g.edge(r.edge) {
                Some(e) => e
                    .declared_at
                    .iter()
                    .fold(declared, |s, p| s.text(" ").child(place_link(g, p))),
                None => declared,
            };
            el("li").child(entity_link(g, r.other)).child(declared)
        });
        el("section")
            .class("da-rel-group")
            .child(
                el("h3")
                    .text(&name.replace('_', " "))
                    .child(el("span").class("da-count").text(&count.to_string())),
            )
            .child(el("ul").children(items))
    });
    let pages = g.pages_of(i).into_iter().map(|f| page_link(el("li"), g, f));
    let runbooks = g.runbooks_for(&[i]).into_iter().map(|r| {
        let li = match g.node(r).and_then(|n| n.page) {
            Some(f) => page_link(el("li"), g, f),
            None => el("li"),
        };
        li.text(" · ").child(entity_link(g, r))
    });
    let own_page = n.page.map(|f| page_link(el("p").text("Its page: "), g, f));
    let service_hint = (n.kind == Kind::Service && g.runbooks_for(&[i]).is_empty()).then(|| {
        el("p")
            .class("da-warn-text")
            .text("No runbook covers this service.")
    });
    let why = Route::Why {
        from: full_id.clone(),
        to: String::new(),
    }
    .href();
    el("article")
        .class("da-entity")
        .child(el("p").class("da-crumbs").child(link(
            &Route::Entities(Default::default()).href(),
            "Entities",
        )))
        .child(el("h1").child(kind_badge(n.kind)).text(" ").text(&n.name))
        .child(
            el("p")
                .class("da-entity-id")
                .child(el("code").text(&full_id)),
        )
        .child(
            el("p")
                .class("da-actions")
                .child(
                    el("a")
                        .class("da-button")
                        .attr("href", &impact_href(&full_id))
                        .text("Impact view"),
                )
                .child(
                    el("a")
                        .class("da-button da-secondary")
                        .attr("href", &why)
                        .text("Why is it connected to…"),
                ),
        )
        .children(owner)
        .children(own_page)
        .children(attrs)
        .child(el("h2").text("Defined at"))
        .child(defined)
        .child(el("h2").text("Relations"))
        .child(el("div").class("da-rel-groups").children(relations))
        .child(el("h2").text("Runbooks"))
        .children(service_hint)
        .child(el("ul").class("da-runbooks").children(runbooks))
        .child(el("h2").text("Pages that mention it"))
        .child(el("ul").class("da-pages").children(pages))
}
