//! One entity, `#/entity/<id>`: its attributes, where it is declared (linked to the line's
//! section), its owner, its relations grouped by kind of relation, the pages that mention it and
//! its runbooks; one click to its impact view.

use std::collections::BTreeMap;
use std::sync::Arc;

use docatlas_core::graph::{GraphIndex, Kind};
use leptos::prelude::*;

use crate::components::graph::{
    entity_link, impact_href, kind_badge, not_found, page_link, place_link, WithGraph,
};
use docatlas_web::route::Route;

/// The entity page of `id`, once the graph is in.
#[component]
pub fn EntityPage(id: String) -> impl IntoView {
    view! { <WithGraph render={move |g: Arc<GraphIndex>| entity(g, &id)}/> }
}

fn entity(arc: Arc<GraphIndex>, id: &str) -> AnyView {
    let g = &*arc;
    let Some((i, n)) = g.find_id(id).and_then(|i| Some((i, g.node(i)?))) else {
        return not_found(g, id).into_any();
    };
    let full_id = n.id();
    let owner = g.owner(i).map(|o| {
        let chain = o
            .path
            .iter()
            .skip(1)
            .map(|&p| view! { <span class="da-chain-step">" ← "{entity_link(g, p)}</span> })
            .collect_view();
        view! { <p class="da-owner">"Owner: "<strong>{n.name.clone()}</strong>{chain}</p> }
    });
    let attrs = (!n.attributes.is_empty()).then(|| view! { <Attributes g=arc.clone() i=i/> });
    let defined = if n.defined_at.is_empty() {
        view! {
            <p class="da-warn-text">
                "Not defined anywhere: only referenced. "<code>"build-index check"</code>" says where."
            </p>
        }
        .into_any()
    } else {
        let items = n
            .defined_at
            .iter()
            .map(|p| view! { <li>{place_link(g, p)}</li> })
            .collect_view();
        view! { <ul class="da-places">{items}</ul> }.into_any()
    };
    let pages = g
        .pages_of(i)
        .into_iter()
        .map(|f| view! { <li>{page_link(g, f)}</li> })
        .collect_view();
    let runbooks_for = g.runbooks_for(&[i]);
    let no_runbook = n.kind == Kind::Service && runbooks_for.is_empty();
    let runbooks = runbooks_for
        .into_iter()
        .map(|r| {
            let page = g.node(r).and_then(|n| n.page).map(|f| page_link(g, f));
            view! { <li>{page}" · "{entity_link(g, r)}</li> }
        })
        .collect_view();
    let own_page = n
        .page
        .map(|f| view! { <p>"Its page: "{page_link(g, f)}</p> });
    let why = Route::Why {
        from: full_id.clone(),
        to: String::new(),
    }
    .href();
    view! {
        <article class="da-entity">
            <p class="da-crumbs"><a href=Route::Entities(Default::default()).href()>"Entities"</a></p>
            <h1>{kind_badge(n.kind)}" "{n.name.clone()}</h1>
            <p class="da-entity-id"><code>{full_id.clone()}</code></p>
            <p class="da-actions">
                <a class="da-button" href=impact_href(&full_id)>"Impact view"</a>
                <a class="da-button da-secondary" href=why>"Why is it connected to…"</a>
            </p>
            {owner}
            {own_page}
            {attrs}
            <h2>"Defined at"</h2>
            {defined}
            <h2>"Relations"</h2>
            <Relations g=arc.clone() i=i/>
            <h2>"Runbooks"</h2>
            {no_runbook.then(|| view! { <p class="da-warn-text">"No runbook covers this service."</p> })}
            <ul class="da-runbooks">{runbooks}</ul>
            <h2>"Pages that mention it"</h2>
            <ul class="da-pages">{pages}</ul>
        </article>
    }
    .into_any()
}

/// The entity's attributes; code references link to the code.
#[component]
fn Attributes(g: Arc<GraphIndex>, i: usize) -> impl IntoView {
    let g = &*g;
    let n = g.node(i)?;
    let rows = n
        .attributes
        .iter()
        .map(|a| {
            let value = match g.graph.code_link(&a.value) {
                Some(href) => view! {
                    <a class="da-coderef" href=href><code>{a.value.clone()}</code></a>
                }
                .into_any(),
                None => view! { <span>{a.value.clone()}</span> }.into_any(),
            };
            view! { <tr><th scope="row">{a.key.clone()}</th><td>{value}</td></tr> }
        })
        .collect_view();
    Some(view! { <table class="da-attrs"><tbody>{rows}</tbody></table> })
}

/// The relations, grouped by their name as seen from the entity, in a stable order.
#[component]
fn Relations(g: Arc<GraphIndex>, i: usize) -> impl IntoView {
    let g = &*g;
    let mut groups: BTreeMap<&'static str, Vec<_>> = BTreeMap::new();
    for r in g.relations(i) {
        groups.entry(r.name).or_default().push(r);
    }
    let relations = groups
        .into_iter()
        .map(|(name, rels)| {
            let count = rels.len();
            let items = rels
                .into_iter()
                .map(|r| {
                    let places = g
                        .edge(r.edge)
                        .map(|e| {
                            e.declared_at
                                .iter()
                                .map(|p| view! { " "{place_link(g, p)} })
                                .collect_view()
                        });
                    view! {
                        <li>{entity_link(g, r.other)}<span class="da-declared">"declared at"{places}</span></li>
                    }
                })
                .collect_view();
            view! {
                <section class="da-rel-group">
                    <h3>{name.replace('_', " ")}<span class="da-count">{count.to_string()}</span></h3>
                    <ul>{items}</ul>
                </section>
            }
        })
        .collect_view();
    view! { <div class="da-rel-groups">{relations}</div> }
}
