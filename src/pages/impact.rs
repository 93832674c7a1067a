//! The impact view, `#/impact/<id>?up=1&down=all&kinds=..&cap=40&view=table`: the centre with
//! what it uses (right) and what uses it (left), in columns by depth, laid out by the core crate
//! and drawn as SVG. Hovering or focusing a node lights the paths through it; clicking it (or
//! Enter) re-centres; the URL holds every setting; a node cap says how many more there are and
//! lets them in; the table view lists the same entities; exports write exactly what is shown.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::sync::Arc;

use docatlas_core::graph::export;
use docatlas_core::graph::query::Depths;
use docatlas_core::graph::view::{View, ViewOptions};
use docatlas_core::graph::{GraphIndex, Kind};
use wasm_bindgen::JsCast;

use crate::components::graph::{
    download, entity_href, entity_link, kind_badge, kind_fill, not_found, now_ms, page_link,
    with_graph,
};
use crate::data::Docs;
use crate::route::{go, Depth, ImpactRoute, Route, DEFAULT_CAP};
use docatlas_web::dom::{el, link, svg, Node};

/// Depth choices offered for each direction.
const DEPTHS: [Depth; 6] = [Some(0), Some(1), Some(2), Some(3), Some(5), None];
/// Longest name drawn in a node box; the full name is in its tooltip and the table view.
const LABEL_CHARS: usize = 24;

/// The impact view of `route`: one `div.da-impact`, or why it cannot be shown.
pub async fn page(atlas: Arc<Docs>, route: ImpactRoute) -> Vec<Node> {
    with_graph(atlas, move |g| vec![impact(g, &route)]).await
}

fn depth_label(d: Depth) -> String {
    d.map_or_else(|| "all".to_string(), |n| n.to_string())
}

/// Goes to the impact view `r` changed by `change`.
fn nav(r: &ImpactRoute, change: impl FnOnce(&mut ImpactRoute)) {
    let mut next = r.clone();
    change(&mut next);
    go(&Route::Impact(next), false);
}

/// A `<button type="button">` labelled `label` that runs `f` when clicked.
fn action_button(label: &str, f: impl FnMut(web_sys::Event) + 'static) -> Node {
    el("button")
        .attr("type", "button")
        .text(label)
        .on("click", f)
}

/// The `value` of the element an event happened at (a `<select>`).
fn target_value(ev: &web_sys::Event) -> String {
    ev.target()
        .and_then(|t| js_sys::Reflect::get(&t, &"value".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn impact(g: Arc<GraphIndex>, r: &ImpactRoute) -> Node {
    let Some(centre) = g.find_id(&r.id) else {
        return not_found(&g, &r.id);
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
    let mut seen = BTreeSet::new();
    for x in imp.downstream.iter().chain(&imp.upstream) {
        if seen.insert(x.node) {
            if let Some(n) = g.node(x.node) {
                *present.entry(n.kind).or_default() += 1;
            }
        }
    }
    let reached = seen.len();
    let depth_select = |label: &str, current: Depth, up: bool| {
        let r = r.clone();
        let options = DEPTHS.iter().map(|&d| {
            el("option")
                .attr("value", &depth_label(d))
                .flag("selected", d == current)
                .text(&depth_label(d))
        });
        el("label").class("da-control").text(label).child(
            el("select")
                .on("change", move |ev| {
                    let v = target_value(&ev);
                    let d = if v == "all" { None } else { v.parse().ok() };
                    nav(&r, |n| if up { n.up = d } else { n.down = d });
                })
                .children(options),
        )
    };
    let all: Vec<Kind> = present.keys().copied().collect();
    let kind_boxes = present.iter().map(|(&k, &count)| {
        let on = r.kinds.is_empty() || r.kinds.contains(&k);
        let (r, all) = (r.clone(), all.clone());
        el("label")
            .class("da-kind-toggle")
            .child(el("input").attr("type", "checkbox").flag("checked", on).on(
                "change",
                move |_| {
                    let mut ks: Vec<Kind> = if r.kinds.is_empty() {
                        all.clone()
                    } else {
                        r.kinds.clone()
                    };
                    if let Some(p) = ks.iter().position(|x| *x == k) {
                        ks.remove(p);
                    } else {
                        ks.push(k);
                        docatlas_core::sort::sort(&mut ks);
                    }
                    let ks = if ks.len() == all.len() {
                        Vec::new()
                    } else {
                        ks
                    };
                    nav(&r, |n| n.kinds = ks);
                },
            ))
            .child(kind_badge(k))
            .child(el("span").class("da-count").text(&count.to_string()))
    });
    let capped = (view.not_shown > 0).then(|| {
        let cap = r.cap.unwrap_or(DEFAULT_CAP);
        let n = view.not_shown;
        let (more, all) = (r.clone(), r.clone());
        el("p")
            .class("da-capped")
            .attr("role", "status")
            .child(el("strong").text(&format!("{n} more not shown")))
            .text(" (nearest first, up to ")
            .text(&cap.to_string())
            .text(" nodes). ")
            .child(action_button(
                &format!("Show {} more", n.min(DEFAULT_CAP)),
                move |_| nav(&more, |x| x.cap = Some(cap + DEFAULT_CAP)),
            ))
            .text(" ")
            .child(action_button("Show all", move |_| {
                nav(&all, |x| x.cap = None)
            }))
    });
    let filtered = (view.filtered > 0).then(|| {
        el("p").class("da-filtered").text(&format!(
            "{} hidden by the kind filter (paths still pass through them, drawn dashed).",
            view.filtered
        ))
    });
    let slug = g.node(centre).map(|n| n.slug.clone()).unwrap_or_default();
    let exports = {
        let (g1, v1, s1) = (g.clone(), view.clone(), slug.clone());
        let (g2, v2, s2) = (g.clone(), view.clone(), slug.clone());
        let (g3, v3, s3) = (g.clone(), view.clone(), slug.clone());
        let s0 = slug.clone();
        el("span")
            .class("da-exports")
            .attr("role", "group")
            .attr("aria-label", "Export what is shown")
            .text("Export: ")
            .child(action_button("SVG", move |ev| {
                // The drawing is found from the button, not kept: a handler holding an element
                // of its own view would keep the whole view alive after it is replaced.
                if let Some(svg) = drawn_svg(&ev) {
                    let text = format!(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
                        svg.outer_html()
                    );
                    download(&format!("impact-{s0}.svg"), "image/svg+xml", &text);
                }
            }))
            .child(action_button("CSV", move |_| {
                download(
                    &format!("impact-{s1}.csv"),
                    "text/csv",
                    &export::csv(&g1, &v1),
                )
            }))
            .child(action_button("DOT", move |_| {
                download(
                    &format!("impact-{s2}.dot"),
                    "text/vnd.graphviz",
                    &export::dot(&g2, &v2),
                )
            }))
            .child(action_button("Mermaid", move |_| {
                download(
                    &format!("impact-{s3}.mmd"),
                    "text/plain",
                    &export::mermaid(&g3, &v3),
                )
            }))
    };
    let mode = {
        let (to_graph, to_table) = (r.clone(), r.clone());
        el("span")
            .class("da-mode")
            .attr("role", "group")
            .attr("aria-label", "Show as")
            .child(
                action_button("Graph", move |_| nav(&to_graph, |x| x.table = false))
                    .attr("aria-pressed", if r.table { "false" } else { "true" }),
            )
            .child(
                action_button("Table", move |_| nav(&to_table, |x| x.table = true))
                    .attr("aria-pressed", if r.table { "true" } else { "false" }),
            )
    };
    let body = if r.table {
        vec![table(&g, &view)]
    } else {
        drawing(&g, &view, r)
    };
    let nodes: Vec<usize> = std::iter::once(centre)
        .chain(imp.downstream.iter().map(|x| x.node))
        .chain(imp.upstream.iter().map(|x| x.node))
        .collect();
    let runbooks = g
        .runbooks_for(&nodes)
        .into_iter()
        .filter_map(|rb| g.node(rb).and_then(|n| n.page))
        .map(|f| page_link(el("li"), &g, f));
    let pages = g
        .pages_of(centre)
        .into_iter()
        .map(|f| page_link(el("li"), &g, f));
    let summary = format!(
        "{} downstream, {} upstream; {} shown",
        imp.downstream.len(),
        imp.upstream.len(),
        view.nodes.len().saturating_sub(1)
    );
    el("div")
        .class("da-impact")
        .child(
            el("h1")
                .text("Impact of ")
                .children(g.node(centre).map(|n| kind_badge(n.kind)))
                .text(" ")
                .text(g.name_of(centre)),
        )
        .child(
            el("p")
                .class("da-impact-summary")
                .text(&summary)
                .text(" · ")
                .child(link(&entity_href(&r.id), "entity page"))
                .text(" · ")
                .child(link(
                    &Route::Why {
                        from: r.id.clone(),
                        to: String::new(),
                    }
                    .href(),
                    "why is it connected to…",
                )),
        )
        .child(
            el("div")
                .class("da-controls")
                .child(depth_select("Upstream ", r.up, true))
                .child(depth_select("Downstream ", r.down, false))
                .child(mode)
                .child(exports),
        )
        .child(
            el("div")
                .class("da-kinds")
                .attr("role", "group")
                .attr("aria-label", "Kinds shown")
                .children(kind_boxes),
        )
        .children(capped)
        .children(filtered)
        .children((reached == 0).then(|| {
            el("p")
                .class("da-empty")
                .text("Nothing is connected to it at these depths.")
        }))
        .children(body)
        .child(
            el("div")
                .class("da-impact-lists")
                .child(
                    el("section")
                        .child(el("h2").text("Runbooks"))
                        .child(el("ul").class("da-runbooks").children(runbooks)),
                )
                .child(
                    el("section")
                        .child(el("h2").text("Pages that mention it"))
                        .child(el("ul").class("da-pages").children(pages)),
                ),
        )
}

/// The drawing of the impact view an event happened in (none in the table view).
fn drawn_svg(ev: &web_sys::Event) -> Option<web_sys::Element> {
    ev.current_target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest(".da-impact")
        .ok()??
        .query_selector("svg.da-graph")
        .ok()?
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
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &"docatlasGraphTimings".into(), &o);
    }
}

/// What hovering a node of a drawing lights: the view, and which of its nodes and edges the
/// drawn `g.da-node` and `path.da-edge` elements are, in document order (one whose entity or
/// ends are missing is not drawn).
struct Lights {
    view: Arc<View>,
    nodes: Vec<usize>,
    edges: Vec<usize>,
}

impl Lights {
    /// Lights the paths through node `i` of the view (`None`: nothing lit, nothing dimmed) in
    /// the drawing the event happened in. The elements are found from the event rather than
    /// kept: a handler holding elements of its own drawing would keep the drawing alive.
    fn light(&self, ev: &web_sys::Event, hovered: Option<usize>) {
        let Some(drawing) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("svg").ok().flatten())
        else {
            return;
        };
        let lit = hovered.map(|i| self.view.through(i));
        mark(
            &drawing,
            "g.da-node",
            &self.nodes,
            lit.as_ref().map(|l| &l.0),
        );
        mark(
            &drawing,
            "path.da-edge",
            &self.edges,
            lit.as_ref().map(|l| &l.1),
        );
    }
}

/// Sets `da-lit` or `da-dim` on each element matching `selector` in `drawing` as `lit` says
/// of the view item it draws (`drawn`), or clears both when `lit` is `None`.
fn mark(drawing: &web_sys::Element, selector: &str, drawn: &[usize], lit: Option<&Vec<bool>>) {
    let Ok(list) = drawing.query_selector_all(selector) else {
        return;
    };
    for (j, &k) in drawn.iter().enumerate() {
        let Some(e) = u32::try_from(j)
            .ok()
            .and_then(|j| list.get(j))
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        set_lit(&e, lit.map(|on| on.get(k).copied().unwrap_or(false)));
    }
}

/// Gives `e` the class `da-lit` (`Some(true)`), `da-dim` (`Some(false)`) or neither, keeping
/// its other classes.
fn set_lit(e: &web_sys::Element, on: Option<bool>) {
    let old = e.get_attribute("class").unwrap_or_default();
    let mut classes: Vec<&str> = old
        .split_whitespace()
        .filter(|c| *c != "da-lit" && *c != "da-dim")
        .collect();
    match on {
        Some(true) => classes.push("da-lit"),
        Some(false) => classes.push("da-dim"),
        None => {}
    }
    let new = classes.join(" ");
    if new != old {
        let _ = e.set_attribute("class", &new);
    }
}

/// The SVG drawing, with hover and focus highlighting and re-centring, and the hint below it.
fn drawing(g: &Arc<GraphIndex>, view: &Arc<View>, r: &ImpactRoute) -> Vec<Node> {
    let (w, h) = (view.sizes.node_w, view.sizes.node_h);
    let edge_ends = |k: usize| {
        let e = view.edges.get(k)?;
        Some((view.nodes.get(e.from)?, view.nodes.get(e.to)?, e))
    };
    let lights = Rc::new(Lights {
        view: view.clone(),
        nodes: (0..view.nodes.len())
            .filter(|&i| g.node(view.nodes[i].node).is_some())
            .collect(),
        edges: (0..view.edges.len())
            .filter(|&k| edge_ends(k).is_some())
            .collect(),
    });
    let edges = lights.edges.iter().filter_map(|&k| {
        let (a, b, e) = edge_ends(k)?;
        let d = if b.x > a.x + w / 2.0 {
            let (x1, y1, x2, y2) = (a.x + w, a.y + h / 2.0, b.x, b.y + h / 2.0);
            let mid = (x1 + x2) / 2.0;
            format!(
                "M{},{} C{},{} {},{} {},{}",
                dec(x1),
                dec(y1),
                dec(mid),
                dec(y1),
                dec(mid),
                dec(y2),
                dec(x2),
                dec(y2)
            )
        } else {
            // Same column or backwards (a cycle): an arc out to the right and back.
            let (x1, y1, x2, y2) = (a.x + w, a.y + h / 2.0, b.x + w, b.y + h / 2.0);
            let bulge = x1.max(x2) + 40.0;
            format!(
                "M{},{} C{},{} {},{} {},{}",
                dec(x1),
                dec(y1),
                dec(bulge),
                dec(y1),
                dec(bulge),
                dec(y2),
                dec(x2),
                dec(y2)
            )
        };
        let path = svg("path")
            .class("da-edge")
            .attr("d", &d)
            .attr("fill", "none")
            .attr("stroke", "#8c959f")
            .attr("stroke-width", "1.4");
        let path = if e.edges.is_empty() {
            path.attr("stroke-dasharray", "5 4")
        } else {
            path
        };
        Some(
            path.attr("marker-end", "url(#da-arrow)")
                .child(svg("title").text(&export::rel_label(g, &e.edges))),
        )
    });
    let nodes = lights.nodes.iter().filter_map(|&i| {
        let v = view.nodes.get(i)?;
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
            move || nav(&r, |next| next.id = id.clone())
        };
        let go_key = go_there.clone();
        let centre = i == 0;
        let (enter, leave, focus, blur) = (
            lights.clone(),
            lights.clone(),
            lights.clone(),
            lights.clone(),
        );
        Some(
            svg("g")
                .class(if centre {
                    "da-node da-centre"
                } else {
                    "da-node"
                })
                .attr(
                    "transform",
                    &format!("translate({},{})", dec(v.x), dec(v.y)),
                )
                .attr("tabindex", "0")
                .attr("role", "link")
                .attr("aria-label", &label)
                .attr("data-id", &id)
                .on("mouseenter", move |ev| enter.light(&ev, Some(i)))
                .on("mouseleave", move |ev| leave.light(&ev, None))
                .on("focus", move |ev| focus.light(&ev, Some(i)))
                .on("blur", move |ev| blur.light(&ev, None))
                .on("click", move |_| go_there())
                .on("keydown", move |ev| {
                    let enter = ev
                        .dyn_ref::<web_sys::KeyboardEvent>()
                        .is_some_and(|k| k.key() == "Enter");
                    if enter {
                        ev.prevent_default();
                        go_key();
                    }
                })
                .child(svg("title").text(&format!("{id}\n{direction}")))
                .child(
                    svg("rect")
                        .attr("width", &dec(w))
                        .attr("height", &dec(h))
                        .attr("rx", "6")
                        .attr("fill", kind_fill(n.kind))
                        .attr("stroke", if centre { "#1d4ed8" } else { "#8c959f" })
                        .attr("stroke-width", if centre { "2.5" } else { "1" }),
                )
                .child(
                    svg("text")
                        .attr("x", "10")
                        .attr("y", "15")
                        .attr("font-size", "10")
                        .attr("fill", "#57606a")
                        .text(n.kind.as_str()),
                )
                .child(
                    svg("text")
                        .attr("x", "10")
                        .attr("y", "31")
                        .attr("font-size", "13")
                        .attr("fill", "#1f2328")
                        .text(&name),
                ),
        )
    });
    let (vw, vh) = (view.width + 48.0, view.height);
    let drawing = svg("svg")
        .class("da-graph")
        .attr("xmlns", "http://www.w3.org/2000/svg")
        .attr("role", "img")
        .attr(
            "aria-label",
            "Impact graph: upstream on the left, downstream on the right",
        )
        .attr("width", &whole(vw))
        .attr("height", &whole(vh))
        .attr("viewBox", &format!("0 0 {} {}", whole(vw), whole(vh)))
        .attr(
            "font-family",
            "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
        )
        .child(
            svg("defs").child(
                svg("marker")
                    .attr("id", "da-arrow")
                    .attr("viewBox", "0 0 10 10")
                    .attr("refX", "10")
                    .attr("refY", "5")
                    .attr("markerWidth", "7")
                    .attr("markerHeight", "7")
                    .attr("orient", "auto-start-reverse")
                    .child(
                        svg("path")
                            .attr("d", "M0,0 L10,5 L0,10 z")
                            .attr("fill", "#8c959f"),
                    ),
            ),
        )
        .child(svg("g").class("da-edges").children(edges))
        .child(svg("g").class("da-nodes").children(nodes));
    vec![
        el("div").class("da-graph-scroll").child(drawing),
        el("p").class("da-hint").text(
            "Hover or focus a node to light the paths through it; click it or press Enter to \
             re-centre. Upstream (what uses it) is on the left, downstream (what it uses) on \
             the right.",
        ),
    ]
}

/// The same entities as the drawing, as a table.
fn table(g: &GraphIndex, view: &View) -> Node {
    let rows = view.nodes.iter().map(|v| {
        let direction = match v.depth {
            0 => "centre",
            d if d < 0 => "upstream",
            _ => "downstream",
        };
        let path: Vec<&str> = v.path.iter().map(|&p| g.name_of(p)).collect();
        let arrow = if v.depth < 0 { " ← " } else { " → " };
        el("tr")
            .child(el("td").text(direction))
            .child(
                el("td")
                    .class("da-num")
                    .text(&v.depth.unsigned_abs().to_string()),
            )
            .child(el("td").child(entity_link(g, v.node)))
            .child(el("td").class("da-path-cell").text(&path.join(arrow)))
    });
    let head = ["Direction", "Depth", "Entity", "Path from the centre"]
        .into_iter()
        .map(|h| el("th").attr("scope", "col").text(h));
    el("table")
        .class("da-impact-table")
        .child(el("thead").child(el("tr").children(head)))
        .child(el("tbody").children(rows))
}
