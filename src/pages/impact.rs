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
use docatlas_core::text::escape as esc;
use leptos::prelude::*;

use crate::components::graph::{
    download, entity_href, entity_link, kind_badge, kind_fill, not_found, now_ms, page_link,
    WithGraph,
};
use crate::data::graph::Graph;
use docatlas_core::graph::query::Depth;
use docatlas_web::route::{go, ImpactRoute, Route, DEFAULT_CAP};
use wasm_bindgen::JsCast;

/// Depth choices offered for each direction.
const DEPTHS: [Depth; 6] = [
    Depth::Limit(0),
    Depth::Limit(1),
    Depth::Limit(2),
    Depth::Limit(3),
    Depth::Limit(5),
    Depth::All,
];
/// Longest name drawn in a node box; the full name is in its tooltip and the table view.
const LABEL_CHARS: usize = 24;
/// Screens narrower than this (CSS pixels) open an impact view as the table.
const PHONE_PX: f64 = 640.0;

/// The impact view of `route`, once the graph is in.
#[component]
pub fn ImpactPage(route: ImpactRoute) -> impl IntoView {
    view! { <WithGraph render={move |g: Arc<GraphIndex>| impact(g, route.clone())}/> }
}

fn depth_label(d: Depth) -> String {
    d.to_string()
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
    let present: Vec<(Kind, usize)> = present.into_iter().collect();
    let capped =
        (view.not_shown > 0).then(|| view! { <Capped route=r.clone() not_shown=view.not_shown/> });
    let filtered = (view.filtered > 0).then(|| {
        view! { <p class="da-filtered">{format!("{} hidden by the kind filter (paths still pass through them, drawn dashed).", view.filtered)}</p> }
    });
    let svg_ref: NodeRef<leptos::svg::Svg> = NodeRef::new();
    let slug = g.node(centre).map(|n| n.slug.clone()).unwrap_or_default();
    // No choice in the URL: the table on a phone, where a drawing is hard to take in.
    let as_table = r.table.unwrap_or_else(|| {
        window()
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .is_some_and(|w| w < PHONE_PX)
    });
    let body = if as_table {
        view! { <Table g=g.clone() view=view.clone()/> }.into_any()
    } else {
        view! { <Drawing g=g.clone() view=view.clone() r=r.clone() svg_ref=svg_ref/> }.into_any()
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
                <DepthSelect label="Upstream " route=r.clone() up=true/>
                <DepthSelect label="Downstream " route=r.clone() up=false/>
                <ShowAs route=r.clone() as_table=as_table/>
                <Exports g=g.clone() view=view.clone() slug=slug svg_ref=svg_ref/>
            </div>
            <KindFilter present=present route=r.clone()/>
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

/// Opens the impact view of `r` changed by `f`.
fn navigate(r: &ImpactRoute, f: impl FnOnce(&mut ImpactRoute)) {
    let mut next = r.clone();
    f(&mut next);
    go(&Route::Impact(next), false);
}

/// The depth choice of one direction.
#[component]
fn DepthSelect(label: &'static str, route: ImpactRoute, up: bool) -> impl IntoView {
    let current = if up { route.up } else { route.down };
    let options = DEPTHS
        .iter()
        .map(|&d| view! { <option value=depth_label(d) selected=d == current>{depth_label(d)}</option> })
        .collect_view();
    view! {
        <label class="da-control">
            {label}
            <select on:change=move |ev| {
                let d: Depth = event_target_value(&ev).parse().unwrap_or(current);
                navigate(&route, |n| if up { n.up = d } else { n.down = d });
            }>{options}</select>
        </label>
    }
}

/// A checkbox per kind among the reached entities, with its count.
#[component]
fn KindFilter(present: Vec<(Kind, usize)>, route: ImpactRoute) -> impl IntoView {
    let all: Arc<Vec<Kind>> = Arc::new(present.iter().map(|(k, _)| *k).collect());
    let boxes = present
        .into_iter()
        .map(|(k, count)| {
            let (all, route) = (all.clone(), route.clone());
            let on = route.kinds.is_empty() || route.kinds.contains(&k);
            view! {
                <label class="da-kind-toggle">
                    <input type="checkbox" checked=on on:change=move |_| {
                        let mut ks: Vec<Kind> = if route.kinds.is_empty() { all.to_vec() } else { route.kinds.clone() };
                        if let Some(p) = ks.iter().position(|x| *x == k) {
                            ks.remove(p);
                        } else {
                            ks.push(k);
                            docatlas_core::sort::sort(&mut ks);
                        }
                        let ks = if ks.len() == all.len() { Vec::new() } else { ks };
                        navigate(&route, |n| n.kinds = ks);
                    }/>
                    {kind_badge(k)}
                    <span class="da-count">{count}</span>
                </label>
            }
        })
        .collect_view();
    view! { <div class="da-kinds" role="group" aria-label="Kinds shown">{boxes}</div> }
}

/// How many the node cap left out, with buttons to let more in.
#[component]
fn Capped(route: ImpactRoute, not_shown: usize) -> impl IntoView {
    let cap = route.cap.unwrap_or(DEFAULT_CAP);
    let all = route.clone();
    view! {
        <p class="da-capped" role="status">
            <strong>{format!("{not_shown} more not shown")}</strong>
            " (nearest first, up to " {cap} " nodes). "
            <button type="button" on:click=move |_| navigate(&route, |x| x.cap = Some(cap + DEFAULT_CAP))>
                {format!("Show {} more", not_shown.min(DEFAULT_CAP))}
            </button>
            " "
            <button type="button" on:click=move |_| navigate(&all, |x| x.cap = None)>"Show all"</button>
        </p>
    }
}

/// The drawing or the table.
#[component]
fn ShowAs(route: ImpactRoute, as_table: bool) -> impl IntoView {
    let to_table = route.clone();
    view! {
        <span class="da-mode" role="group" aria-label="Show as">
            <button type="button" aria-pressed=if as_table { "false" } else { "true" }
                on:click=move |_| navigate(&route, |x| x.table = Some(false))>"Graph"</button>
            <button type="button" aria-pressed=if as_table { "true" } else { "false" }
                on:click=move |_| navigate(&to_table, |x| x.table = Some(true))>"Table"</button>
        </span>
    }
}

/// Exports of exactly what is shown.
#[component]
fn Exports(
    g: Arc<GraphIndex>,
    view: Arc<View>,
    slug: String,
    svg_ref: NodeRef<leptos::svg::Svg>,
) -> impl IntoView {
    let file = move |what: &'static str| {
        let (g, view, slug) = (g.clone(), view.clone(), slug.clone());
        move |_| {
            let (ext, mime, text) = match what {
                "SVG" => match svg_ref.get_untracked().and_then(|svg| standalone_svg(&svg)) {
                    Some(text) => ("svg", "image/svg+xml", text),
                    None => return,
                },
                "CSV" => ("csv", "text/csv", export::csv(&g, &view)),
                "DOT" => ("dot", "text/vnd.graphviz", export::dot(&g, &view)),
                _ => ("mmd", "text/plain", export::mermaid(&g, &view)),
            };
            download(&format!("impact-{slug}.{ext}"), mime, &text);
        }
    };
    let buttons = ["SVG", "CSV", "DOT", "Mermaid"]
        .into_iter()
        .map(|what| view! { <button type="button" on:click=file(what)>{what}</button> })
        .collect_view();
    view! {
        <span class="da-exports" role="group" aria-label="Export what is shown">"Export: "{buttons}</span>
    }
}

/// `x` with one decimal (`12.5`, `-3.0`), written without the standard float formatting, whose
/// code (~11 KiB of wasm) nothing else in the app needs. Layout coordinates are far inside i64.
fn dec(x: f32) -> String {
    let tenths = (f64::from(x) * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.unsigned_abs();
    format!("{sign}{}.{}", t / 10, t % 10)
}

/// `x` kept within `lo..=hi` (`hi` wins if they cross). Not `f64::clamp`: its assertion
/// message formats floats with `Debug`, which links the float formatting code (~9 KiB of wasm)
/// that nothing else in the app needs.
fn within(x: f64, lo: f64, hi: f64) -> f64 {
    x.max(lo).min(hi)
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

/// How far the drawing is moved and scaled in its box: a point `(x, y)` of the layout is
/// drawn at `(x·scale + dx, y·scale + dy)` box pixels.
#[derive(Clone, Copy, PartialEq)]
struct Frame {
    dx: f64,
    dy: f64,
    scale: f64,
}

/// Below this scale a node's label is too small to read: a drawing that would fit only smaller
/// opens on the centre's neighbourhood at [`NEAR_SCALE`] instead.
const READABLE_SCALE: f64 = 0.6;
/// The scale of a drawing opened on its centre's neighbourhood.
const NEAR_SCALE: f64 = 0.85;
/// Zoom limits, and one button press's step.
const MIN_SCALE: f64 = 0.05;
const MAX_SCALE: f64 = 4.0;
const ZOOM_STEP: f64 = 1.4;
/// A pointer that moves this far (box pixels) between press and release pans: no click.
const DRAG_PX: f64 = 4.0;
/// The margin kept between the box's edge and a drawing that overflows it, when it opens.
const EDGE_PX: f64 = 16.0;

impl Frame {
    /// The whole `w`×`h` drawing in a `bw`×`bh` box, centred, never enlarged past 1.
    fn fit(w: f64, h: f64, bw: f64, bh: f64) -> Frame {
        let scale = within((bw / w.max(1.0)).min(bh / h.max(1.0)), MIN_SCALE, 1.0);
        Frame {
            dx: (bw - w * scale) / 2.0,
            dy: (bh - h * scale) / 2.0,
            scale,
        }
    }

    /// `scale`, with the layout point `(x, y)` at the box's middle.
    fn centred_on(x: f64, y: f64, scale: f64, bw: f64, bh: f64) -> Frame {
        Frame {
            dx: bw / 2.0 - x * scale,
            dy: bh / 2.0 - y * scale,
            scale,
        }
    }

    /// Zoomed by `k` about the box point `(px, py)`, which stays where it is.
    fn zoom(self, k: f64, px: f64, py: f64) -> Frame {
        let scale = within(self.scale * k, MIN_SCALE, MAX_SCALE);
        let k = scale / self.scale;
        Frame {
            dx: px - (px - self.dx) * k,
            dy: py - (py - self.dy) * k,
            scale,
        }
    }

    /// The `transform` of the drawing's group.
    fn transform(self) -> String {
        let r = |x: f64| dec(x as f32);
        format!(
            "translate({},{}) scale({})",
            r(self.dx),
            r(self.dy),
            thousandths(self.scale)
        )
    }
}

/// `x` with three decimals, as [`dec`] writes one.
fn thousandths(x: f64) -> String {
    let t = (x * 1000.0).round() as i64;
    let sign = if t < 0 { "-" } else { "" };
    let t = t.unsigned_abs();
    format!("{sign}{}.{:03}", t / 1000, t % 1000)
}

/// The node to move to from node `from` with an arrow key: `dir` is (-1|0|1, -1|0|1). Left and
/// right go to the nearest column that way, to its node nearest in height; up and down to the
/// next node of the same column.
fn neighbour(view: &View, drawn: &[usize], from: usize, dir: (i8, i8)) -> Option<usize> {
    let at = view.nodes.get(from)?;
    let (w, h) = (view.sizes.node_w, view.sizes.node_h);
    let same_column = |x: f32| (x - at.x).abs() < w / 2.0;
    let candidates = drawn
        .iter()
        .copied()
        .filter(|&j| j != from)
        .filter_map(|j| {
            let v = view.nodes.get(j)?;
            let ok = match dir {
                (1, _) => v.x > at.x + w / 2.0,
                (-1, _) => v.x < at.x - w / 2.0,
                (_, 1) => same_column(v.x) && v.y > at.y + h / 4.0,
                _ => same_column(v.x) && v.y < at.y - h / 4.0,
            };
            // Columns first (for left and right), then distance in height.
            let cost = (
                (v.x - at.x).abs() * f32::from(dir.0.unsigned_abs()),
                (v.y - at.y).abs(),
            );
            ok.then_some((cost, j))
        });
    candidates
        .min_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal))
        .map(|(_, j)| j)
}

/// The SVG drawing in a box that opens fitted (or on the centre's neighbourhood, when fitting
/// would make labels unreadable), with zoom (buttons, the wheel, a pinch), pan (drag), Fit and
/// Centre; hover and focus light the paths through a node; the nodes are one tab stop, moved
/// between with the arrow keys; a click or Enter re-centres, keeping the keyboard's focus.
#[component]
fn Drawing(
    g: Arc<GraphIndex>,
    view: Arc<View>,
    r: ImpactRoute,
    svg_ref: NodeRef<leptos::svg::Svg>,
) -> impl IntoView {
    let graph = expect_context::<Graph>();
    let hovered = RwSignal::new(None::<usize>);
    let lit = {
        let view = view.clone();
        Memo::new(move |_| hovered.get().map(|i| view.through(i)))
    };
    // The node in the tab order (roving tabindex): the centre until the arrows move it.
    let current = RwSignal::new(0usize);
    let (w, h) = (view.sizes.node_w, view.sizes.node_h);
    let (vw, vh) = (f64::from(view.width + 48.0), f64::from(view.height));
    let drawn: Arc<Vec<usize>> = Arc::new(
        (0..view.nodes.len())
            .filter(|&i| view.nodes.get(i).is_some_and(|v| g.node(v.node).is_some()))
            .collect(),
    );

    let frame = RwSignal::new(Frame {
        dx: 0.0,
        dy: 0.0,
        scale: 1.0,
    });
    // Set once the reader zooms or pans: a resize then keeps their frame.
    let moved = StoredValue::new(false);
    let box_ref = NodeRef::<leptos::html::Div>::new();
    let box_size = move || {
        box_ref
            .get_untracked()
            .map(|b| (f64::from(b.client_width()), f64::from(b.client_height())))
    };
    let centre_xy = {
        let view = view.clone();
        move |i: usize| {
            view.nodes
                .get(i)
                .map(|v| (f64::from(v.x + w / 2.0), f64::from(v.y + h / 2.0)))
        }
    };
    let fit_all = move || {
        if let Some((bw, bh)) = box_size().filter(|s| s.0 > 0.0) {
            frame.set(Frame::fit(vw, vh, bw, bh));
        }
    };
    let open_frame = {
        let centre_xy = centre_xy.clone();
        move || {
            let Some((bw, bh)) = box_size().filter(|s| s.0 > 0.0) else {
                return false;
            };
            let fitted = Frame::fit(vw, vh, bw, bh);
            frame.set(if fitted.scale >= READABLE_SCALE {
                fitted
            } else {
                // Along an axis the drawing fits, it is centred whole; along one it overflows,
                // it is centred on the centre node, but never so far that empty space shows
                // past the drawing's edge (a centre with nothing upstream sits at the left).
                let (x, y) = centre_xy(0).unwrap_or((0.0, 0.0));
                let near = Frame::centred_on(x, y, NEAR_SCALE, bw, bh);
                let place = |size: f64, room: f64, at: f64| {
                    let drawn = size * NEAR_SCALE;
                    if drawn <= room {
                        (room - drawn) / 2.0
                    } else {
                        within(at, room - drawn - EDGE_PX, EDGE_PX)
                    }
                };
                Frame {
                    dx: place(vw, bw, near.dx),
                    dy: place(vh, bh, near.dy),
                    scale: NEAR_SCALE,
                }
            });
            true
        }
    };
    // Opened (and re-opened on a resize until the reader moves it) once the box has a size;
    // the box may get one only a frame or two after the view is built.
    {
        let open_frame = open_frame.clone();
        let tries = StoredValue::new(0u8);
        fn retry(f: Arc<dyn Fn() -> bool + Send + Sync>, tries: StoredValue<u8>) {
            request_animation_frame(move || {
                let n = tries.try_get_value().unwrap_or(u8::MAX);
                if !f() && n < 30 {
                    tries.set_value(n + 1);
                    retry(f, tries);
                }
            });
        }
        let f: Arc<dyn Fn() -> bool + Send + Sync> = Arc::new(open_frame.clone());
        Effect::new(move |_| retry(f.clone(), tries));
        let handle = window_event_listener(leptos::ev::resize, move |_| {
            if moved.try_get_value() == Some(false) {
                open_frame();
            }
        });
        on_cleanup(move || handle.remove());
    }
    // Keeps node `i` in the box (the arrows may move past its edge).
    let reveal = {
        let centre_xy = centre_xy.clone();
        move |i: usize| {
            let (Some((bw, bh)), Some((x, y))) = (box_size(), centre_xy(i)) else {
                return;
            };
            let f = frame.get_untracked();
            let (px, py) = (x * f.scale + f.dx, y * f.scale + f.dy);
            let margin = f64::from(w) * f.scale / 2.0 + 8.0;
            if px < margin || px > bw - margin || py < margin || py > bh - margin {
                frame.set(Frame::centred_on(x, y, f.scale, bw, bh));
            }
        }
    };
    // The re-centred view gets the focus the last one had.
    if graph.refocus.get_value() {
        graph.refocus.set_value(false);
        Effect::new(move |_| {
            request_animation_frame(move || {
                if let Some(svg) = svg_ref.get_untracked() {
                    if let Ok(Some(node)) = svg.query_selector(".da-centre") {
                        if let Ok(node) = node.dyn_into::<web_sys::SvgElement>() {
                            let _ = node.focus();
                        }
                    }
                }
            });
        });
    }
    let focus_node = move |i: usize| {
        current.set(i);
        if let Some(svg) = svg_ref.get_untracked() {
            if let Ok(Some(node)) = svg.query_selector(&format!("[data-i=\"{i}\"]")) {
                if let Ok(node) = node.dyn_into::<web_sys::SvgElement>() {
                    let _ = node.focus();
                }
            }
        }
    };

    // Pan with a drag, zoom with two fingers; `pointers` holds the pointers down, by id.
    let pointers = StoredValue::new(Vec::<(i32, f64, f64)>::new());
    let dragged = StoredValue::new(false);
    let start = StoredValue::new((0.0f64, 0.0f64));
    // Where a pointer or the wheel is, in box pixels.
    let box_xy = move |ev: &web_sys::MouseEvent| {
        let (left, top) = box_ref
            .get_untracked()
            .map(|b| {
                let r = b.get_bounding_client_rect();
                (r.left(), r.top())
            })
            .unwrap_or((0.0, 0.0));
        (
            f64::from(ev.client_x()) - left,
            f64::from(ev.client_y()) - top,
        )
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let (x, y) = box_xy(&ev);
        pointers.update_value(|p| {
            p.retain(|q| q.0 != ev.pointer_id());
            p.push((ev.pointer_id(), x, y));
        });
        if pointers.with_value(Vec::len) == 1 {
            dragged.set_value(false);
            start.set_value((x, y));
        }
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let (x, y) = box_xy(&ev);
        let id = ev.pointer_id();
        let before = pointers.get_value();
        let Some(prev) = before.iter().find(|q| q.0 == id).copied() else {
            return;
        };
        if !dragged.get_value() {
            let (sx, sy) = start.get_value();
            if (x - sx).hypot(y - sy) < DRAG_PX {
                return;
            }
            dragged.set_value(true);
            // Only a real drag takes the pointer: a click must still reach its node.
            if let Some(b) = box_ref.get_untracked() {
                let _ = b.set_pointer_capture(id);
            }
        }
        ev.prevent_default();
        moved.set_value(true);
        pointers.update_value(|p| {
            if let Some(q) = p.iter_mut().find(|q| q.0 == id) {
                *q = (id, x, y);
            }
        });
        match before.as_slice() {
            [_] => frame.update(|f| {
                f.dx += x - prev.1;
                f.dy += y - prev.2;
            }),
            [a, b, ..] => {
                let other = if a.0 == id { b } else { a };
                let d0 = (prev.1 - other.1).hypot(prev.2 - other.2);
                let d1 = (x - other.1).hypot(y - other.2);
                if d0 > 1.0 {
                    let (mx, my) = ((x + other.1) / 2.0, (y + other.2) / 2.0);
                    frame.update(|f| *f = f.zoom(d1 / d0, mx, my));
                }
            }
            [] => {}
        }
    };
    let on_up = move |ev: web_sys::PointerEvent| {
        pointers.update_value(|p| p.retain(|q| q.0 != ev.pointer_id()));
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let (x, y) = box_xy(&ev);
        let k = within((-ev.delta_y() * 0.002).exp(), 0.5, 2.0);
        moved.set_value(true);
        frame.update(|f| *f = f.zoom(k, x, y));
    };
    let zoom_button = move |k: f64| {
        if let Some((bw, bh)) = box_size() {
            moved.set_value(true);
            frame.update(|f| *f = f.zoom(k, bw / 2.0, bh / 2.0));
        }
    };

    // The nodes and edges are written as one SVG string each (through the page's Trusted Types
    // policy, as every HTML write of the app) and handled by delegated listeners: 900 elements
    // built as views cost several times the layout (bench/app).
    let edges = edges_svg(&g, &view);
    let nodes = nodes_svg(&g, &view, &drawn);
    let go_there = {
        let r = r.clone();
        move |id: String, keep_focus: bool| {
            graph.refocus.set_value(keep_focus);
            let mut next = r.clone();
            next.id = id;
            go(&Route::Impact(next), false);
        }
    };
    let go_key = go_there.clone();
    let (view_k, drawn_k, reveal) = (view.clone(), drawn.clone(), reveal.clone());
    let hover_to = move |t: Option<web_sys::EventTarget>| {
        let i = node_of(t).map(|(i, _)| i);
        if hovered.get_untracked() != i {
            hovered.set(i);
        }
    };
    let on_over = move |ev: leptos::ev::MouseEvent| hover_to(ev.target());
    let on_out = move |ev: leptos::ev::MouseEvent| hover_to(ev.related_target());
    let on_focus = move |ev: leptos::ev::FocusEvent| {
        if let Some((i, _)) = node_of(ev.target()) {
            hovered.set(Some(i));
            current.set(i);
            reveal(i);
        }
    };
    let on_blur = move |_: leptos::ev::FocusEvent| hovered.set(None);
    // An edge's relations show as the browser's tooltip once the pointer rests on it.
    let on_edge = move |ev: leptos::ev::MouseEvent| {
        if let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            titled(&el, "data-rel");
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some((_, id)) = node_of(ev.target()).filter(|_| !dragged.get_value()) {
            go_there(id, false);
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some((i, id)) = node_of(ev.target()) else {
            return;
        };
        let dir = match ev.key().as_str() {
            "Enter" => {
                ev.prevent_default();
                go_key(id, true);
                return;
            }
            "ArrowRight" => (1, 0),
            "ArrowLeft" => (-1, 0),
            "ArrowDown" => (0, 1),
            "ArrowUp" => (0, -1),
            _ => return,
        };
        ev.prevent_default();
        if let Some(j) = neighbour(&view_k, &drawn_k, i, dir) {
            focus_node(j);
        }
    };
    // Each node's full label and top-left corner, for the label shown on hover and focus.
    let tips: Arc<Vec<Option<Tip>>> = Arc::new(
        view.nodes
            .iter()
            .map(|v| {
                let n = g.node(v.node)?;
                Some(Tip {
                    x: f64::from(v.x),
                    y: f64::from(v.y),
                    text: format!("{} {} ({})", n.kind, n.name, n.id()),
                })
            })
            .collect(),
    );
    let marks: Arc<Vec<(f32, f32, &'static str)>> = Arc::new(
        drawn
            .iter()
            .filter_map(|&i| {
                let v = view.nodes.get(i)?;
                Some((v.x, v.y, kind_fill(g.node(v.node)?.kind)))
            })
            .collect(),
    );
    // Lighting and the tab stop are set on the drawn elements by one effect each, not by a
    // reactive attribute per element: a 300-node view has 900 elements, and as many effects
    // cost more than the layout to build (bench/app).
    // Nothing is lit or dimmed when the view opens: the first pass with nothing hovered is
    // skipped (`false`: nothing marked yet).
    Effect::new(move |marked: Option<bool>| {
        let lit = lit.get();
        let Some(svg) = svg_ref.get() else {
            return false;
        };
        if lit.is_none() && !marked.unwrap_or(false) {
            return false;
        }
        mark_lit(
            &svg,
            ".da-node",
            "data-i",
            lit.as_ref().map(|l| l.0.as_slice()),
        );
        mark_lit(
            &svg,
            ".da-edge",
            "data-k",
            lit.as_ref().map(|l| l.1.as_slice()),
        );
        lit.is_some()
    });
    // The tab stop moves from the last node to the new one; the markup starts with the centre
    // as the stop, so the first pass changes nothing.
    Effect::new(move |stop: Option<usize>| {
        let at = current.get();
        let Some(svg) = svg_ref.get() else {
            return 0;
        };
        let before = stop.unwrap_or(0);
        if before != at {
            for (i, index) in [(before, "-1"), (at, "0")] {
                if let Ok(Some(el)) = svg.query_selector(&format!(".da-node[data-i=\"{i}\"]")) {
                    let _ = el.set_attribute("tabindex", index);
                }
            }
        }
        at
    });
    let centre_again = {
        let centre_xy = centre_xy.clone();
        move |_| {
            if let (Some((bw, bh)), Some((x, y))) = (box_size(), centre_xy(0)) {
                moved.set_value(true);
                let scale = frame.get_untracked().scale.max(READABLE_SCALE);
                frame.set(Frame::centred_on(x, y, scale, bw, bh));
            }
        }
    };
    view! {
        <div class="da-graph-tools" role="group" aria-label="Zoom the drawing">
            <button type="button" aria-label="Zoom in" title="Zoom in" on:click=move |_| zoom_button(ZOOM_STEP)>"+"</button>
            <button type="button" aria-label="Zoom out" title="Zoom out" on:click=move |_| zoom_button(1.0 / ZOOM_STEP)>"−"</button>
            <button type="button" on:click=move |_| { moved.set_value(true); fit_all(); }>"Fit"</button>
            <button type="button" on:click=centre_again>"Centre"</button>
            <span class="da-zoom" aria-live="polite">{move || format!("{}%", (frame.get().scale * 100.0).round() as i64)}</span>
        </div>
        <div class="da-graph-box" node_ref=box_ref
            on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up on:pointercancel=on_up
            on:wheel=on_wheel>
            <svg node_ref=svg_ref xmlns="http://www.w3.org/2000/svg" class="da-graph" role="group"
                aria-label="Impact graph: upstream on the left, downstream on the right; arrow keys move between nodes, Enter re-centres"
                width="100%" height="100%" data-width=whole(vw as f32) data-height=whole(vh as f32)
                font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">
                <defs>
                    <marker id="da-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" fill="#8c959f"/>
                    </marker>
                </defs>
                <g class="da-viewport" transform=move || frame.get().transform()>
                    <g class="da-edges" inner_html=edges on:mouseover=on_edge></g>
                    <g class="da-nodes" inner_html=nodes
                        on:mouseover=on_over on:mouseout=on_out on:focusin=on_focus on:focusout=on_blur
                        on:click=on_click on:keydown=on_key></g>
                </g>
            </svg>
            <NodeTip tips=tips hovered=hovered frame=frame node_h=f64::from(h)/>
            <Minimap marks=marks size=(vw, vh, f64::from(w), f64::from(h)) frame=frame
                box_size=Callback::new(move |()| box_size()) moved=moved/>
        </div>
        <p class="da-hint">"Drag to pan, scroll or pinch to zoom. Hover or focus a node to light the paths through it; the arrow keys move between nodes; click it or press Enter to re-centre. Upstream (what uses it) is on the left, downstream (what it uses) on the right."</p>
    }
}

/// The index (`data-i`) and id (`data-id`) of the drawn node an event happened in.
fn node_of(target: Option<web_sys::EventTarget>) -> Option<(usize, String)> {
    let el: web_sys::Element = target?.dyn_into().ok()?;
    let node = el.closest(".da-node").ok()??;
    let i = node.get_attribute("data-i")?.parse().ok()?;
    Some((i, node.get_attribute("data-id")?))
}

/// The edges of `view` as SVG markup: a curve each, its relations in `data-rel` (a `<title>` is
/// added on the first hover, [`titled`]: 600 of them cost a third of the view's first frame),
/// dashed where the path passes through hidden kinds, numbered (`data-k`) for lighting.
fn edges_svg(g: &GraphIndex, view: &View) -> String {
    let (w, h) = (view.sizes.node_w, view.sizes.node_h);
    let mut out = String::new();
    for (k, e) in view.edges.iter().enumerate() {
        let (Some(a), Some(b)) = (view.nodes.get(e.from), view.nodes.get(e.to)) else {
            continue;
        };
        let (x1, y1, y2) = (a.x + w, a.y + h / 2.0, b.y + h / 2.0);
        // Forwards, a curve to the next column; same column or backwards (a cycle), an arc out
        // to the right and back.
        let (x2, bend) = if b.x > a.x + w / 2.0 {
            (b.x, (x1 + b.x) / 2.0)
        } else {
            (b.x + w, x1.max(b.x + w) + 40.0)
        };
        let dashed = if e.edges.is_empty() {
            " stroke-dasharray=\"5 4\""
        } else {
            ""
        };
        out.push_str(&format!(
            "<path d=\"M{},{} C{},{} {},{} {},{}\" class=\"da-edge\" data-k=\"{k}\" data-rel=\"{}\" fill=\"none\" stroke=\"#8c959f\" stroke-width=\"1.4\"{dashed} marker-end=\"url(#da-arrow)\"></path>",
            dec(x1), dec(y1), dec(bend), dec(y1), dec(bend), dec(y2), dec(x2), dec(y2),
            esc(&export::rel_label(g, &e.edges))
        ));
    }
    out
}

/// The drawn nodes of `view` as SVG markup: a box each with its kind and (cut) name, titled
/// with its full label (its accessible name); the centre is the one tab stop; `data-i` and `data-id` for the
/// delegated listeners.
fn nodes_svg(g: &GraphIndex, view: &View, drawn: &[usize]) -> String {
    let (w, h) = (dec(view.sizes.node_w), dec(view.sizes.node_h));
    let mut out = String::new();
    for &i in drawn {
        let Some((v, n)) = view.nodes.get(i).and_then(|v| Some((v, g.node(v.node)?))) else {
            continue;
        };
        let id = esc(&n.id());
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
        let centre = i == 0;
        let (class, stop, stroke, width) = if centre {
            ("da-node da-centre", "0", "#1d4ed8", "2.5")
        } else {
            ("da-node", "-1", "#8c959f", "1")
        };
        // The node's name (the label may be cut short) and tooltip: what and where.
        out.push_str(&format!(
            "<g class=\"{class}\" transform=\"translate({},{})\" tabindex=\"{stop}\" role=\"link\" data-id=\"{id}\" data-i=\"{i}\"><title>{} ({id})</title><rect width=\"{w}\" height=\"{h}\" rx=\"6\" fill=\"{}\" stroke=\"{stroke}\" stroke-width=\"{width}\"></rect><text x=\"10\" y=\"15\" font-size=\"10\" fill=\"#57606a\">{}</text><text x=\"10\" y=\"31\" font-size=\"13\" fill=\"#1f2328\">{}</text></g>",
            dec(v.x), dec(v.y),
            esc(&format!("{} {}, {direction}", n.kind, n.name)),
            kind_fill(n.kind), n.kind.as_str(), esc(&name)
        ));
    }
    out
}

/// The elements under `root` that match `selector`.
fn elements(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect()
}

/// Lights the elements `selector` picks whose `index_attr` is on in `on` and dims the rest, or,
/// with no `on` (nothing hovered or focused), neither.
fn mark_lit(svg: &web_sys::Element, selector: &str, index_attr: &str, on: Option<&[bool]>) {
    for el in elements(svg, selector) {
        let lit = on.map(|on| {
            el.get_attribute(index_attr)
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| on.get(i).copied())
                .unwrap_or(false)
        });
        let classes = el.class_list();
        let _ = classes.toggle_with_force("da-lit", lit == Some(true));
        let _ = classes.toggle_with_force("da-dim", lit == Some(false));
    }
}

/// A node's full label and where the node is in the layout.
#[derive(Clone)]
struct Tip {
    x: f64,
    y: f64,
    text: String,
}

/// The hovered or focused node's full label (kind, whole name, id) over the drawing, just above
/// the node (below it at the box's top edge): the drawn label is cut at [`LABEL_CHARS`], and an
/// SVG `<title>` shows only on a slow mouse hover, never on keyboard focus.
#[component]
fn NodeTip(
    tips: Arc<Vec<Option<Tip>>>,
    hovered: RwSignal<Option<usize>>,
    frame: RwSignal<Frame>,
    node_h: f64,
) -> impl IntoView {
    move || {
        let tip = tips.get(hovered.get()?)?.clone()?;
        let f = frame.get();
        let (x, top) = (tip.x * f.scale + f.dx, tip.y * f.scale + f.dy);
        let below = top < 40.0;
        let y = if below {
            top + node_h * f.scale + 4.0
        } else {
            top - 4.0
        };
        Some(view! {
            <div class="da-node-tip" class:da-below=below aria-hidden="true"
                style:left=format!("{}px", whole(x as f32))
                style:top=format!("{}px", whole(y as f32))>
                {tip.text}
            </div>
        })
    }
}

/// The minimap's longer side, in CSS pixels.
const MINI_PX: f64 = 160.0;

/// An overview of a drawing larger than its box: every node as a dot of its kind's colour and
/// the part of the drawing in view as a rectangle; a click there moves the view to that point.
/// Shown only while the drawing does not fit in the box at the current scale. (Hidden from
/// assistive technology: keyboard users move by the nodes' arrows, Fit and Centre.)
#[component]
fn Minimap(
    marks: Arc<Vec<(f32, f32, &'static str)>>,
    /// The drawing's width and height, and a node's.
    size: (f64, f64, f64, f64),
    frame: RwSignal<Frame>,
    box_size: Callback<(), Option<(f64, f64)>>,
    moved: StoredValue<bool>,
) -> impl IntoView {
    let (vw, vh, nw, nh) = size;
    let k = (MINI_PX / vw.max(1.0)).min(MINI_PX / vh.max(1.0));
    let (mw, mh) = (vw * k, vh * k);
    let mini = NodeRef::<leptos::svg::Svg>::new();
    // One string, as the drawing's nodes are (see `nodes_svg`).
    let (dw, dh) = (whole(nw as f32), whole(nh as f32));
    let dots: String = marks
        .iter()
        .map(|&(x, y, fill)| {
            format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{dw}\" height=\"{dh}\" fill=\"{fill}\"></rect>",
                dec(x),
                dec(y)
            )
        })
        .collect();
    let shown = move || {
        let f = frame.get();
        box_size
            .run(())
            .is_some_and(|(bw, bh)| vw * f.scale > bw + 1.0 || vh * f.scale > bh + 1.0)
    };
    let seen = move || {
        let f = frame.get();
        let (bw, bh) = box_size.run(()).unwrap_or((0.0, 0.0));
        let s = f.scale.max(MIN_SCALE);
        let r = |x: f64| dec(x as f32);
        // What is in view, cut to the drawing (the box may show past its edges).
        let (x0, y0) = (within(-f.dx / s, 0.0, vw), within(-f.dy / s, 0.0, vh));
        let (x1, y1) = (
            within((bw - f.dx) / s, 0.0, vw),
            within((bh - f.dy) / s, 0.0, vh),
        );
        (r(x0), r(y0), r(x1 - x0), r(y1 - y0))
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let (Some(svg), Some((bw, bh))) = (mini.get_untracked(), box_size.run(())) else {
            return;
        };
        let rect = svg.get_bounding_client_rect();
        let x = (f64::from(ev.client_x()) - rect.left()) / k;
        let y = (f64::from(ev.client_y()) - rect.top()) / k;
        moved.set_value(true);
        frame.set(Frame::centred_on(x, y, frame.get_untracked().scale, bw, bh));
    };
    view! {
        <svg node_ref=mini class="da-minimap" aria-hidden="true" style:display=move || if shown() { "block" } else { "none" }
            width=whole(mw as f32) height=whole(mh as f32) viewBox=format!("0 0 {} {}", whole(vw as f32), whole(vh as f32))
            preserveAspectRatio="none"
            on:pointerdown=|ev: leptos::ev::PointerEvent| ev.stop_propagation()
            on:wheel=|ev: leptos::ev::WheelEvent| ev.stop_propagation()
            on:click=on_click>
            <g inner_html=dots></g>
            <rect class="da-minimap-view" x=move || seen().0 y=move || seen().1 width=move || seen().2 height=move || seen().3/>
        </svg>
    }
}

/// Gives `el` a `<title>` child (a viewer's tooltip) from its `attr`, unless it has one.
fn titled(el: &web_sys::Element, attr: &str) {
    let Some(text) = el.get_attribute(attr) else {
        return;
    };
    if el
        .first_element_child()
        .is_some_and(|c| c.local_name() == "title")
    {
        return;
    }
    let svg_ns = Some("http://www.w3.org/2000/svg");
    if let Some(title) = el
        .owner_document()
        .and_then(|d| d.create_element_ns(svg_ns, "title").ok())
    {
        title.set_text_content(Some(&text));
        let _ = el.prepend_with_node_1(&title);
    }
}

/// The drawing as a file of its own: its natural size, not the box's frame, with a `<title>`
/// on every edge for the viewer it is opened in.
fn standalone_svg(svg: &web_sys::Element) -> Option<String> {
    let copy: web_sys::Element = svg.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    for el in elements(&copy, ".da-edge") {
        titled(&el, "data-rel");
    }
    let (w, h) = (
        copy.get_attribute("data-width")?,
        copy.get_attribute("data-height")?,
    );
    let _ = copy.set_attribute("width", &w);
    let _ = copy.set_attribute("height", &h);
    let _ = copy.set_attribute("viewBox", &format!("0 0 {w} {h}"));
    let _ = copy.remove_attribute("data-width");
    let _ = copy.remove_attribute("data-height");
    if let Ok(Some(g)) = copy.query_selector(".da-viewport") {
        let _ = g.remove_attribute("transform");
    }
    Some(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
        copy.outer_html()
    ))
}

/// The same entities as the drawing, as a table.
#[component]
fn Table(g: Arc<GraphIndex>, view: Arc<View>) -> impl IntoView {
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
                    <td>{entity_link(&g, v.node)}</td>
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
