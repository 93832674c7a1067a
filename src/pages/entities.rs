//! The entity list, `#/entities?kind=route&attr=pii%3Dyes&lacks=covered_by&q=..`: every entity
//! of the graph, filtered by kind, attribute and missing relation like `build-index entities`
//! (which endpoints handle PII, which services have no runbook), plus the dependency cycles.

use std::sync::Arc;

use docatlas_core::graph::query::{AttrFilter, Filter};
use docatlas_core::graph::{GraphIndex, Kind};
use leptos::prelude::*;

use crate::components::graph::{entity_link, impact_href, kind_badge, place_link, with_graph};
use crate::data::Atlas;
use crate::route::{go, EntitiesRoute, Route};

/// Missing relations worth a shortcut: (relation as seen from the entity, what it means).
const LACKS: [(&str, &str); 5] = [
    ("covered_by", "no runbook"),
    ("table_of", "no owning service"),
    ("owned_by", "no owning team"),
    ("handled_by", "no handler"),
    ("uses", "uses nothing"),
];

/// The list.
#[component]
pub fn EntitiesPage(atlas: Arc<Atlas>, route: EntitiesRoute) -> impl IntoView {
    with_graph(atlas, move |g| entities(&g, &route))
}

fn entities(g: &GraphIndex, r: &EntitiesRoute) -> AnyView {
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
    let chips = g
        .kind_counts()
        .into_iter()
        .map(|(k, count)| {
            let active = r.kind == Some(k);
            let next = EntitiesRoute {
                kind: if active { None } else { Some(k) },
                ..r.clone()
            };
            view! {
                <a class="da-chip" class:da-chip-active=active aria-pressed=if active { "true" } else { "false" }
                    href=Route::Entities(next).href()>
                    {kind_badge(k)} " " {count}
                </a>
            }
        })
        .collect_view();
    let attr_text = RwSignal::new(r.attrs.join(", "));
    let q_text = RwSignal::new(r.q.clone());
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
            view! { <option value=v selected=r.kind == k>{if v.is_empty() { "any kind" } else { v }}</option> }
        })
        .collect_view();
    let kind_sel = RwSignal::new(r.kind);
    let lacks_sel = RwSignal::new(r.lacks.clone());
    let apply = move || {
        go(
            &Route::Entities(EntitiesRoute {
                kind: kind_sel.get_untracked(),
                attrs: attr_text
                    .get_untracked()
                    .split(',')
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect(),
                lacks: lacks_sel.get_untracked(),
                q: q_text.get_untracked().trim().to_string(),
            }),
            false,
        )
    };
    let form = view! {
        <form class="da-filter-form" on:submit=move |ev| { ev.prevent_default(); apply(); }>
            <label>"Kind " <select on:change=move |ev| { kind_sel.set(Kind::parse(&event_target_value(&ev))); apply(); }>{kind_options}</select></label>
            <label>"Attribute " <input type="text" placeholder="pii=yes, auth=JWT" aria-label="Attribute filter: KEY or KEY=VALUE, comma-separated"
                prop:value=move || attr_text.get() on:input=move |ev| attr_text.set(event_target_value(&ev))/></label>
            <label>"Lacking " <select on:change=move |ev| {
                let v = event_target_value(&ev);
                lacks_sel.set((!v.is_empty()).then_some(v));
                apply();
            }>{lacks_options}</select></label>
            <label>"Name " <input type="text" placeholder="contains…" aria-label="Name contains"
                prop:value=move || q_text.get() on:input=move |ev| q_text.set(event_target_value(&ev))/></label>
            <button type="submit">"Filter"</button>
        </form>
    };
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
    let cycles = g.cycles();
    let cycle_list = cycles
        .iter()
        .map(|c| {
            let steps = c
                .iter()
                .map(|&n| view! { {entity_link(g, n)} " → " })
                .collect_view();
            let back = c.first().map(|&n| entity_link(g, n));
            view! { <li>{steps}{back}</li> }
        })
        .collect_view();
    let summary = format!("{} of {} entities", found.len(), g.len());
    view! {
        <div class="da-entities">
            <h1>"Entities"</h1>
            <div class="da-chips" aria-label="Kinds">{chips}</div>
            {form}
            <p class="da-results-summary" role="status">{summary}</p>
            <table class="da-entity-table">
                <thead><tr><th scope="col">"Entity"</th><th scope="col">"Id"</th><th scope="col">"Attributes"</th><th scope="col">"Defined at"</th><th scope="col"></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <details class="da-cycles">
                <summary>{format!("Dependency cycles ({})", cycles.len())}</summary>
                <ul>{cycle_list}</ul>
            </details>
        </div>
    }
    .into_any()
}
