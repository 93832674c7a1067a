//! The entity list, `#/entities?kind=route&attr=pii%3Dyes&lacks=covered_by&q=..`: every entity
//! of the graph, filtered by kind, attribute and missing relation like `build-index entities`
//! (which endpoints handle PII, which services have no runbook), plus the dependency cycles.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use docatlas_core::graph::query::{AttrFilter, Filter};
use docatlas_core::graph::{GraphIndex, Kind};
use wasm_bindgen::JsCast;

use crate::components::graph::{entity_link, impact_href, kind_badge, place_link, with_graph};
use crate::data::Docs;
use crate::route::{go, EntitiesRoute, Route};
use docatlas_web::dom::{el, input_value, link, text_input, Node};

/// Missing relations worth a shortcut: (relation as seen from the entity, what it means).
const LACKS: [(&str, &str); 5] = [
    ("covered_by", "no runbook"),
    ("table_of", "no owning service"),
    ("owned_by", "no owning team"),
    ("handled_by", "no handler"),
    ("uses", "uses nothing"),
];

/// The `aria-label` of the attribute filter input.
const ATTR_LABEL: &str = "Attribute filter: KEY or KEY=VALUE, comma-separated";
/// The `aria-label` of the name filter input.
const NAME_LABEL: &str = "Name contains";

/// The list filtered as `route` says: one `div.da-entities`, or why it cannot be shown.
pub async fn page(atlas: Arc<Docs>, route: EntitiesRoute) -> Vec<Node> {
    with_graph(atlas, move |g| vec![entities(&g, &route)]).await
}

/// The kind and the lacking relation chosen in the form's selects (the route's until changed).
struct Chosen {
    kind: Option<Kind>,
    lacks: Option<String>,
}

/// The form an event happened in, and the `value` of the element it is at (a `<select>`).
/// The form is found from the event rather than kept: an element held by its own handler
/// would never be freed.
fn form_of(ev: &web_sys::Event) -> Option<(web_sys::Element, String)> {
    let at = ev.current_target()?.dyn_into::<web_sys::Element>().ok()?;
    let value = js_sys::Reflect::get(&at, &"value".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    Some((at.closest("form").ok()??, value))
}

/// Goes to the list filtered as the form says.
fn apply(form: &web_sys::Element, chosen: &Chosen) {
    go(
        &Route::Entities(EntitiesRoute {
            kind: chosen.kind,
            attrs: input_value(form, ATTR_LABEL)
                .split(',')
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect(),
            lacks: chosen.lacks.clone(),
            q: input_value(form, NAME_LABEL).trim().to_string(),
        }),
        false,
    )
}

fn entities(g: &GraphIndex, r: &EntitiesRoute) -> Node {
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
    let chips = g.kind_counts().into_iter().map(|(k, count)| {
        let active = r.kind == Some(k);
        let next = EntitiesRoute {
            kind: if active { None } else { Some(k) },
            ..r.clone()
        };
        el("a")
            .class(if active {
                "da-chip da-chip-active"
            } else {
                "da-chip"
            })
            .attr("aria-pressed", if active { "true" } else { "false" })
            .attr("href", &Route::Entities(next).href())
            .child(kind_badge(k))
            .text(" ")
            .text(&count.to_string())
    });
    let lacks_options = std::iter::once(("", "any")).chain(LACKS).map(|(v, label)| {
        el("option")
            .attr("value", v)
            .flag("selected", r.lacks.as_deref().unwrap_or("") == v)
            .text(label)
    });
    let kind_options = std::iter::once(None)
        .chain(Kind::ALL.into_iter().map(Some))
        .map(|k| {
            let v = k.map_or("", |k| k.as_str());
            el("option")
                .attr("value", v)
                .flag("selected", r.kind == k)
                .text(if v.is_empty() { "any kind" } else { v })
        });
    let chosen = Rc::new(RefCell::new(Chosen {
        kind: r.kind,
        lacks: r.lacks.clone(),
    }));
    let (on_submit, on_kind, on_lacks) = (chosen.clone(), chosen.clone(), chosen);
    let form = el("form")
        .class("da-filter-form")
        .on("submit", move |ev| {
            ev.prevent_default();
            if let Some(form) = ev
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                apply(&form, &on_submit.borrow());
            }
        })
        .child(
            el("label").text("Kind ").child(
                el("select")
                    .on("change", move |ev| {
                        if let Some((form, v)) = form_of(&ev) {
                            on_kind.borrow_mut().kind = Kind::parse(&v);
                            apply(&form, &on_kind.borrow());
                        }
                    })
                    .children(kind_options),
            ),
        )
        .child(el("label").text("Attribute ").child(text_input(
            "pii=yes, auth=JWT",
            ATTR_LABEL,
            &r.attrs.join(", "),
        )))
        .child(
            el("label").text("Lacking ").child(
                el("select")
                    .on("change", move |ev| {
                        if let Some((form, v)) = form_of(&ev) {
                            on_lacks.borrow_mut().lacks = (!v.is_empty()).then_some(v);
                            apply(&form, &on_lacks.borrow());
                        }
                    })
                    .children(lacks_options),
            ),
        )
        .child(
            el("label")
                .text("Name ")
                .child(text_input("contains…", NAME_LABEL, &r.q)),
        )
        .child(el("button").attr("type", "submit").text("Filter"));
    let rows = found.iter().map(|&i| {
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
        el("tr")
            .child(el("td").child(entity_link(g, i)))
            .child(el("td").child(el("code").class("da-id").text(&id)))
            .child(el("td").class("da-attr-cell").text(&attrs))
            .child(el("td").children(at))
            .child(el("td").child(link(&impact_href(&id), "impact")))
    });
    let cycles = g.cycles();
    let cycle_list = cycles.iter().map(|c| {
        let li = c
            .iter()
            .fold(el("li"), |li, &n| li.child(entity_link(g, n)).text(" → "));
        li.children(c.first().map(|&n| entity_link(g, n)))
    });
    let head = ["Entity", "Id", "Attributes", "Defined at", ""]
        .into_iter()
        .map(|h| {
            let th = el("th").attr("scope", "col");
            if h.is_empty() {
                th
            } else {
                th.text(h)
            }
        });
    el("div")
        .class("da-entities")
        .child(el("h1").text("Entities"))
        .child(
            el("div")
                .class("da-chips")
                .attr("aria-label", "Kinds")
                .children(chips),
        )
        .child(form)
        .child(
            el("p")
                .class("da-results-summary")
                .attr("role", "status")
                .text(&format!("{} of {} entities", found.len(), g.len())),
        )
        .child(
            el("table")
                .class("da-entity-table")
                .child(el("thead").child(el("tr").children(head)))
                .child(el("tbody").children(rows)),
        )
        .child(
            el("details")
                .class("da-cycles")
                .child(el("summary").text(&format!("Dependency cycles ({})", cycles.len())))
                .child(el("ul").children(cycle_list)),
        )
}
