//! The impact view, `#/impact/<id>?up=1&down=all&kinds=..&cap=40&view=table`: the centre with
//! what it uses (right) and what uses it (left), in columns by depth, laid out by the core crate
//! and drawn as SVG. Hovering or focusing a node lights the paths through it; clicking it (or
//! Enter) re-centres; the URL holds every setting; a node cap says how many more there are and
//! lets them in; the table view lists the same entities; exports write exactly what is shown.

use std::collections::BTreeMap;
use std::sync::Arc;

use docatlas_core::graph::export;
use docatlas_core::graph::query::Depths;
use docatlas_core::graph::view::{View, ViewOptions};
use docatlas_core::graph::{GraphIndex, Kind};
use leptos::prelude::*;

use crate::components::graph::{
    download, entity_href, entity_link, kind_badge, kind_fill, not_found, now_ms, page_link,
    WithGraph,
};
use crate::route::{go, Depth, ImpactRoute, Route, DEFAULT_CAP};

/// Depth choices offered for each direction.
const DEPTHS: [Depth; 6] = [Some(0), Some(1), Some(2), Some(3), Some(5), None];
/// Longest name drawn in a node box; the full name is in its tooltip and the table view.
const LABEL_CHARS: usize = 24;

/// The impact view of `route`, once the graph is in.
#[component]
pub fn ImpactPage(route: ImpactRoute) -> impl IntoView {
    view! { <WithGraph render={move |g: Arc<GraphIndex>| impact(g, route.clone())}/> }
}

fn depth_label(d: Depth) -> String {
    d.map_or_else(|| "all".to_string(), |n| n.to_string())
}

fn impact(g: Arc<GraphIndex>, r: ImpactRoute) -> AnyView {
    let Some(centre) = g.find_id(&r.id) else {
        return not_found(&g, &r.id).into_any();
    };
    let t0 = now_ms();
    let imp = g.impact(
        centre,
        Depths {
            up: r.up,
            down: r.down,
        },
    );
    let t1 = now_ms();
    let kinds = (!r.kinds.is_empty()).then(|| docatlas_core::sort::set_of(r.kinds.iter().copied()));
    let view = Arc::new(View::build(&g, &imp, &ViewOptions { kinds, cap: r.cap }));
    let t2 = now_ms();
    expose_timings(t1 - t0, t2 - t1, view.nodes.len(), view.edges.len());

    // Kinds among the reached entities, with counts, for the filter.
    let mut present: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    for x in imp.downstream.iter().chain(&imp.upstream) {
        if seen.insert(x.node) {
            if let Some(n) = g.node(x.node) {
                *present.entry(n.kind).or_default() += 1;
            }
        }
    }
    let reached = seen.len();
    let nav = {
        let r = r.clone();
        move |f: &dyn Fn(&mut ImpactRoute)| {
            let mut next = r.clone();
            f(&mut next);
            go(&Route::Impact(next), false);
        }
    };
    let depth_select = |label: &'static str, current: Depth, up: bool| {
        let nav = nav.clone();
        let options = DEPTHS
            .iter()
            .map(|&d| {
                view! { <option value=depth_label(d) selected=d == current>{depth_label(d)}</option> }
            })
            .collect_view();
        view! {
            <label class="da-control">
                {label}
                <select on:change=move |ev| {
                    let v = event_target_value(&ev);
                    let d = if v == "all" { None } else { v.parse().ok() };
                    nav(&|n: &mut ImpactRoute| if up { n.up = d } else { n.down = d });
                }>{options}</select>
            </label>
        }
    };
    let kind_boxes = present
        .iter()
        .map(|(&k, &count)| {
            let nav = nav.clone();
            let all: Vec<Kind> = present.keys().copied().collect();
            let on = r.kinds.is_empty() || r.kinds.contains(&k);
            let current = r.kinds.clone();
            view! {
                <label class="da-kind-toggle">
                    <input type="checkbox" checked=on on:change=move |_| {
                        let mut ks: Vec<Kind> = if current.is_empty() { all.clone() } else { current.clone() };
                        if let Some(p) = ks.iter().position(|x| *x == k) {
                            ks.remove(p);
                        } else {
                            ks.push(k);
                            docatlas_core::sort::sort(&mut ks);
                        }
                        let ks = if ks.len() == all.len() { Vec::new() } else { ks };
                        nav(&|n: &mut ImpactRoute| n.kinds = ks.clone());
                    }/>
                    {kind_badge(k)}
                    <span class="da-count">{count}</span>
                </label>
            }
        })
        .collect_view();
    let capped = (view.not_shown > 0).then(|| {
        let more = nav.clone();
        let all = nav.clone();
        let cap = r.cap.unwrap_or(DEFAULT_CAP);
        let n = view.not_shown;
        view! {
            <p class="da-capped" role="status">
                <strong>{format!("{n} more not shown")}</strong>
                " (nearest first, up to " {cap} " nodes). "
                <button type="button" on:click=move |_| more(&|x: &mut ImpactRoute| x.cap = Some(cap + DEFAULT_CAP))>
                    {format!("Show {} more", n.min(DEFAULT_CAP))}
                </button>
                " "
                <button type="button" on:click=move |_| all(&|x: &mut ImpactRoute| x.cap = None)>"Show all"</button>
            </p>
        }
    });
    let filtered = (view.filtered > 0).then(|| {
        view! { <p class="da-filtered">{format!("{} hidden by the kind filter (paths still pass through them, drawn dashed).", view.filtered)}</p> }
    });
    let svg_ref: NodeRef<leptos::svg::Svg> = NodeRef::new();
    let slug = g.node(centre).map(|n| n.slug.clone()).unwrap_or_default();
    let exports = {
        let (g1, v1, s1) = (g.clone(), view.clone(), slug.clone());
        let (g2, v2, s2) = (g.clone(), view.clone(), slug.clone());
        let (g3, v3, s3) = (g.clone(), view.clone(), slug.clone());
        let s0 = slug.clone();
        view! {
            <span class="da-exports" role="group" aria-label="Export what is shown">
                "Export: "
                <button type="button" on:click=move |_| {
                    if let Some(svg) = svg_ref.get_untracked() {
                        let text = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n", svg.outer_html());
                        download(&format!("impact-{s0}.svg"), "image/svg+xml", &text);
                    }
                }>"SVG"</button>
                <button type="button" on:click=move |_| download(&format!("impact-{s1}.csv"), "text/csv", &export::csv(&g1, &v1))>"CSV"</button>
                <button type="button" on:click=move |_| download(&format!("impact-{s2}.dot"), "text/vnd.graphviz", &export::dot(&g2, &v2))>"DOT"</button>
                <button type="button" on:click=move |_| download(&format!("impact-{s3}.mmd"), "text/plain", &export::mermaid(&g3, &v3))>"Mermaid"</button>
            </span>
        }
    };
    let mode = {
        let (to_graph, to_table) = (nav.clone(), nav.clone());
        view! {
            <span class="da-mode" role="group" aria-label="Show as">
                <button type="button" aria-pressed=if r.table { "false" } else { "true" }
                    on:click=move |_| to_graph(&|x: &mut ImpactRoute| x.table = false)>"Graph"</button>
                <button type="button" aria-pressed=if r.table { "true" } else { "false" }
                    on:click=move |_| to_table(&|x: &mut ImpactRoute| x.table = true)>"Table"</button>
            </span>
        }
    };
    let body = if r.table {
        table(&g, &view).into_any()
    } else {
        drawing(g.clone(), view.clone(), r.clone(), svg_ref).into_any()
    };
    let nodes: Vec<usize> = std::iter::once(centre)
        .chain(imp.downstream.iter().map(|x| x.node))
        .chain(imp.upstream.iter().map(|x| x.node))
        .collect();
    let runbooks = g
        .runbooks_for(&nodes)
        .into_iter()
        .filter_map(|rb| g.node(rb).and_then(|n| n.page))
        .map(|f| view! { <li>{page_link(&g, f)}</li> })
        .collect_view();
    let pages = g
        .pages_of(centre)
        .into_iter()
        .map(|f| view! { <li>{page_link(&g, f)}</li> })
        .collect_view();
    let name = g.name_of(centre).to_string();
    let kind = g.node(centre).map(|n| kind_badge(n.kind));
    let summary = format!(
        "{} downstream, {} upstream; {} shown",
        imp.downstream.len(),
        imp.upstream.len(),
        view.nodes.len().saturating_sub(1)
    );
    view! {
        <div class="da-impact">
            <h1>"Impact of " {kind} " " {name}</h1>
            <p class="da-impact-summary">
                {summary} " · " <a href=entity_href(&r.id)>"entity page"</a>
                " · " <a href=Route::Why { from: r.id.clone(), to: String::new() }.href()>"why is it connected to…"</a>
            </p>
            <div class="da-controls">
                {depth_select("Upstream ", r.up, true)}
                {depth_select("Downstream ", r.down, false)}
                {mode}
                {exports}
            </div>
            <div class="da-kinds" role="group" aria-label="Kinds shown">{kind_boxes}</div>
            {capped}
            {filtered}
            {(reached == 0).then(|| view! { <p class="da-empty">"Nothing is connected to it at these depths."</p> })}
            {body}
            <div class="da-impact-lists">
                <section><h2>"Runbooks"</h2><ul class="da-runbooks">{runbooks}</ul></section>
                <section><h2>"Pages that mention it"</h2><ul class="da-pages">{pages}</ul></section>
            </div>
        </div>
    }
    .into_any()
}

/// `x` with one decimal (`12.5`, `-3.0`), written without the standard float formatting, whose
/// code (~11 KiB of wasm) nothing else in the app needs. Layout coordinates are far inside i64.
fn dec(x: f32) -> String {
    let tenths = (f64::from(x) * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.unsigned_abs();
    format!("{sign}{}.{}", t / 10, t % 10)
}

/// `x` rounded to a whole number, as [`dec`] does.
fn whole(x: f32) -> String {
    ((f64::from(x)).round() as i64).to_string()
}

/// Tells the benchmark how long the query and the layout took: `window.docatlasGraphTimings`.
fn expose_timings(impact_ms: f64, layout_ms: f64, nodes: usize, edges: usize) {
    let o = js_sys::Object::new();
    for (k, v) in [
        ("impactMs", impact_ms),
        ("layoutMs", layout_ms),
        ("nodes", nodes as f64),
        ("edges", edges as f64),
    ] {
        let _ = js_sys::Reflect::set(&o, &k.into(), &v.into());
    }
    let _ = js_sys::Reflect::set(&window(), &"docatlasGraphTimings".into(), &o);
}

/// The SVG drawing, with hover and focus highlighting and re-centring.
fn drawing(
    g: Arc<GraphIndex>,
    view: Arc<View>,
    r: ImpactRoute,
    svg_ref: NodeRef<leptos::svg::Svg>,
) -> impl IntoView {
    let hovered = RwSignal::new(None::<usize>);
    let lit = {
        let view = view.clone();
        Memo::new(move |_| hovered.get().map(|i| view.through(i)))
    };
    let (w, h) = (view.sizes.node_w, view.sizes.node_h);
    let edges = view
        .edges
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let (Some(a), Some(b)) = (view.nodes.get(e.from), view.nodes.get(e.to)) else {
                return None;
            };
            let d = if b.x > a.x + w / 2.0 {
                let (x1, y1, x2, y2) = (a.x + w, a.y + h / 2.0, b.x, b.y + h / 2.0);
                let mid = (x1 + x2) / 2.0;
                format!("M{},{} C{},{} {},{} {},{}", dec(x1), dec(y1), dec(mid), dec(y1), dec(mid), dec(y2), dec(x2), dec(y2))
            } else {
                // Same column or backwards (a cycle): an arc out to the right and back.
                let (x1, y1, x2, y2) = (a.x + w, a.y + h / 2.0, b.x + w, b.y + h / 2.0);
                let bulge = x1.max(x2) + 40.0;
                format!("M{},{} C{},{} {},{} {},{}", dec(x1), dec(y1), dec(bulge), dec(y1), dec(bulge), dec(y2), dec(x2), dec(y2))
            };
            let label = export::rel_label(&g, &e.edges);
            let dashed = e.edges.is_empty().then_some("5 4");
            let on = move || lit.with(|l| l.as_ref().map(|(_, es)| es.get(k).copied().unwrap_or(false)));
            Some(view! {
                <path d=d class="da-edge" class:da-lit=move || on() == Some(true) class:da-dim=move || on() == Some(false)
                    fill="none" stroke="#8c959f" stroke-width="1.4" stroke-dasharray=dashed marker-end="url(#da-arrow)">
                    <title>{label}</title>
                </path>
            })
        })
        .collect_view();
    let nodes = view
        .nodes
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let n = g.node(v.node)?;
            let id = n.id();
            let name: String = if n.name.chars().count() > LABEL_CHARS {
                let cut: String = n.name.chars().take(LABEL_CHARS - 1).collect();
                format!("{cut}…")
            } else {
                n.name.clone()
            };
            let direction = match v.depth {
                0 => "centre".to_string(),
                d if d < 0 => format!("upstream, depth {}", d.unsigned_abs()),
                d => format!("downstream, depth {d}"),
            };
            let label = format!("{} {}, {direction}", n.kind, n.name);
            let go_there = {
                let r = r.clone();
                let id = id.clone();
                move || {
                    let mut next = r.clone();
                    next.id = id.clone();
                    go(&Route::Impact(next), false);
                }
            };
            let go_key = go_there.clone();
            let on = move || lit.with(|l| l.as_ref().map(|(ns, _)| ns.get(i).copied().unwrap_or(false)));
            let centre = i == 0;
            Some(view! {
                <g class="da-node" class:da-centre=centre class:da-lit=move || on() == Some(true)
                    class:da-dim=move || on() == Some(false)
                    transform=format!("translate({},{})", dec(v.x), dec(v.y))
                    tabindex="0" role="link" aria-label=label data-id=id.clone()
                    on:mouseenter=move |_| hovered.set(Some(i))
                    on:mouseleave=move |_| hovered.set(None)
                    on:focus=move |_| hovered.set(Some(i))
                    on:blur=move |_| hovered.set(None)
                    on:click=move |_| go_there()
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            go_key();
                        }
                    }>
                    <title>{format!("{id}\n{direction}")}</title>
                    <rect width=dec(w) height=dec(h) rx="6" fill=kind_fill(n.kind)
                        stroke=if centre { "#1d4ed8" } else { "#8c959f" } stroke-width=if centre { "2.5" } else { "1" }/>
                    <text x="10" y="15" font-size="10" fill="#57606a">{n.kind.as_str()}</text>
                    <text x="10" y="31" font-size="13" fill="#1f2328">{name}</text>
                </g>
            })
        })
        .collect_view();
    let (vw, vh) = (view.width + 48.0, view.height);
    view! {
        <div class="da-graph-scroll">
            <svg node_ref=svg_ref xmlns="http://www.w3.org/2000/svg" class="da-graph" role="img"
                aria-label="Impact graph: upstream on the left, downstream on the right"
                width=whole(vw) height=whole(vh) viewBox=format!("0 0 {} {}", whole(vw), whole(vh))
                font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">
                <defs>
                    <marker id="da-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" fill="#8c959f"/>
                    </marker>
                </defs>
                <g class="da-edges">{edges}</g>
                <g class="da-nodes">{nodes}</g>
            </svg>
        </div>
        <p class="da-hint">"Hover or focus a node to light the paths through it; click it or press Enter to re-centre. Upstream (what uses it) is on the left, downstream (what it uses) on the right."</p>
    }
}

/// The same entities as the drawing, as a table.
fn table(g: &GraphIndex, view: &View) -> impl IntoView {
    let rows = view
        .nodes
        .iter()
        .map(|v| {
            let direction = match v.depth {
                0 => "centre",
                d if d < 0 => "upstream",
                _ => "downstream",
            };
            let path: Vec<String> = v.path.iter().map(|&p| g.name_of(p).to_string()).collect();
            let arrow = if v.depth < 0 { " ← " } else { " → " };
            view! {
                <tr>
                    <td>{direction}</td>
                    <td class="da-num">{v.depth.unsigned_abs()}</td>
                    <td>{entity_link(g, v.node)}</td>
                    <td class="da-path-cell">{path.join(arrow)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="da-impact-table">
            <thead><tr><th scope="col">"Direction"</th><th scope="col">"Depth"</th><th scope="col">"Entity"</th><th scope="col">"Path from the centre"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
