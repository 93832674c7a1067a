//! The entity list, `#/entities?kind=route&attr=pii%3Dyes&lacks=covered_by&q=..`: every entity
//! of the graph, filtered by kind, attribute and missing relation like `build-index entities`
//! (which endpoints handle PII, which services have no runbook), plus the dependency cycles.

use std::sync::Arc;

use docatlas_core::graph::query::{AttrFilter, Filter};
use docatlas_core::graph::{GraphIndex, Kind};
use leptos::html::Input;
use leptos::prelude::*;

use crate::components::graph::{entity_link, impact_href, kind_badge, place_link, WithGraph};
use docatlas_web::route::{go, EntitiesRoute, Route};

/// Missing relations worth a shortcut: (relation as seen from the entity, what it means).
const LACKS: [(&str, &str); 5] = [
    ("covered_by", "no runbook"),
    ("table_of", "no owning service"),
    ("owned_by", "no owning team"),
    ("handled_by", "no handler"),
    ("uses", "uses nothing"),
];

/// The list filtered as `route` says, once the graph is in.
#[component]
pub fn EntitiesPage(route: EntitiesRoute) -> impl IntoView {
    view! { <WithGraph render={move |g: Arc<GraphIndex>| entities(g, &route)}/> }
}

fn entities(g: Arc<GraphIndex>, r: &EntitiesRoute) -> impl IntoView {
    let filter = Filter {
        kind: r.kind,
        attrs: r
            .attrs
            .iter()
            .filter_map(|a| AttrFilter::parse(a))
            .collect(),
        lacks: r.lacks.iter().cloned().collect(),
    };
    let q = r.q.trim().to_lowercase();
    let found: Vec<usize> = g
        .filter(&filter)
        .into_iter()
        .filter(|&i| {
            q.is_empty() || g.id_of(i).contains(&q) || g.name_of(i).to_lowercase().contains(&q)
        })
        .collect();
    let shown = found.len();
    view! {
        <div class="da-entities">
            <h1>"Entities"</h1>
            <KindChips g=g.clone() route=r.clone()/>
            <FilterForm route=r.clone()/>
            <p class="da-results-summary" role="status">
                {format!("{} of {}", shown, crate::data::folders::count(g.len(), "entity", "entities"))}
            </p>
            <EntityTable g=g.clone() found=found/>
            <Cycles g=g/>
        </div>
    }
}

/// A chip per kind, with its count; the active one clears the kind.
#[component]
fn KindChips(g: Arc<GraphIndex>, route: EntitiesRoute) -> impl IntoView {
    let chips = g
        .kind_counts()
        .into_iter()
        .map(|(k, count)| {
            let active = route.kind == Some(k);
            let next = EntitiesRoute {
                kind: if active { None } else { Some(k) },
                ..route.clone()
            };
            view! {
                <a class=if active { "da-chip da-chip-active" } else { "da-chip" }
                    aria-current=active.then_some("true") href=Route::Entities(next).href()>
                    {kind_badge(k)}" "{count.to_string()}
                </a>
            }
        })
        .collect_view();
    view! { <div class="da-chips" aria-label="Kinds">{chips}</div> }
}

/// The filters: the selects apply at once, the text fields on submit.
#[component]
fn FilterForm(route: EntitiesRoute) -> impl IntoView {
    let r = route;
    let lacks_options = std::iter::once(("", "any"))
        .chain(LACKS)
        .map(|(v, label)| {
            view! { <option value=v selected=r.lacks.as_deref().unwrap_or("") == v>{label}</option> }
        })
        .collect_view();
    let kind_options = std::iter::once(None)
        .chain(Kind::ALL.into_iter().map(Some))
        .map(|k| {
            let v = k.map_or("", |k| k.as_str());
            view! {
                <option value=v selected=r.kind == k>{if v.is_empty() { "any kind" } else { v }}</option>
            }
        })
        .collect_view();
    let kind = RwSignal::new(r.kind);
    let lacks = RwSignal::new(r.lacks.clone());
    let (attr_input, name_input) = (NodeRef::<Input>::new(), NodeRef::<Input>::new());
    let apply = move || {
        let text = |i: NodeRef<Input>| i.get_untracked().map(|i| i.value()).unwrap_or_default();
        go(
            &Route::Entities(EntitiesRoute {
                kind: kind.get_untracked(),
                attrs: text(attr_input)
                    .split(',')
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect(),
                lacks: lacks.get_untracked(),
                q: text(name_input).trim().to_string(),
            }),
            false,
        )
    };
    view! {
        <form class="da-filter-form" on:submit=move |ev| { ev.prevent_default(); apply(); }>
            <label>"Kind "
                <select on:change=move |ev| { kind.set(Kind::parse(&event_target_value(&ev))); apply(); }>
                    {kind_options}
                </select>
            </label>
            <label>"Attribute "
                <input type="text" node_ref=attr_input placeholder="pii=yes, auth=JWT"
                    aria-label="Attribute filter: KEY or KEY=VALUE, comma-separated"
                    prop:value=r.attrs.join(", ")/>
            </label>
            <label>"Lacking "
                <select on:change=move |ev| {
                    let v = event_target_value(&ev);
                    lacks.set((!v.is_empty()).then_some(v));
                    apply();
                }>
                    {lacks_options}
                </select>
            </label>
            <label>"Name "
                <input type="text" node_ref=name_input placeholder="contains…"
                    aria-label="Name contains" prop:value=r.q.clone()/>
            </label>
            <button type="submit">"Filter"</button>
        </form>
    }
}

/// The entities found, a row each.
#[component]
fn EntityTable(g: Arc<GraphIndex>, found: Vec<usize>) -> impl IntoView {
    let g = &*g;
    let rows = found
        .iter()
        .map(|&i| {
            let n = g.node(i);
            let attrs = n
                .map(|n| {
                    n.attributes
                        .iter()
                        .filter(|a| a.key != "description" && a.key != "Columns")
                        .map(|a| format!("{}: {}", a.key, a.value))
                        .collect::<Vec<_>>()
                        .join(" · ")
                })
                .unwrap_or_default();
            let at = n
                .and_then(|n| n.defined_at.first())
                .map(|p| place_link(g, p));
            let id = g.id_of(i);
            view! {
                <tr>
                    <td>{entity_link(g, i)}</td>
                    <td><code class="da-id">{id.clone()}</code></td>
                    <td class="da-attr-cell">{attrs}</td>
                    <td>{at}</td>
                    <td><a href=impact_href(&id)>"impact"</a></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="da-entity-table">
            <thead>
                <tr>
                    <th scope="col">"Entity"</th><th scope="col">"Id"</th>
                    <th scope="col">"Attributes"</th><th scope="col">"Defined at"</th><th scope="col"><span class="da-sr-only">"Impact view"</span></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The graph's dependency cycles, folded.
#[component]
fn Cycles(g: Arc<GraphIndex>) -> impl IntoView {
    let g = &*g;
    let cycles = g.cycles();
    let cycle_count = cycles.len();
    let cycle_list = cycles
        .iter()
        .map(|c| {
            let steps = c
                .iter()
                .map(|&n| view! { {entity_link(g, n)}" → " })
                .collect_view();
            view! { <li>{steps}{c.first().map(|&n| entity_link(g, n))}</li> }
        })
        .collect_view();
    view! {
        <details class="da-cycles">
            <summary>{format!("Dependency cycles ({cycle_count})")}</summary>
            <ul>{cycle_list}</ul>
        </details>
    }
}
