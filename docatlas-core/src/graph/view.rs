//! What an impact view shows: the centre and the entities an impact query reached, filtered by
//! kind, cut at a node cap (the rest counted, never silently dropped), with the edges between
//! them, laid out in columns by signed depth (upstream left, downstream right). The app draws
//! it; [`super::export`] writes it out; native tests check it.

use std::collections::{BTreeMap, BTreeSet};

use super::layout::{self, Layout, Sizes};
use super::query::Impact;
use super::{GraphIndex, Kind, NodeIx};

/// Which part of an impact a view shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewOptions {
    /// Kinds to show (the centre always shows); `None` shows every kind. Hidden entities are
    /// still passed through: what lies beyond them shows, joined by a dashed "via" edge.
    pub kinds: Option<BTreeSet<Kind>>,
    /// At most this many nodes, centre included, nearest first; `None` shows all.
    pub cap: Option<usize>,
}

/// An entity the view shows, with where its box is drawn and how it was reached from the centre.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewNode {
    /// Index of the entity in [`super::Graph::nodes`].
    pub node: NodeIx,
    /// Signed depth: 0 the centre, negative upstream, positive downstream.
    pub depth: i32,
    /// One shortest path from the centre to it (the centre alone for the centre).
    pub path: Vec<NodeIx>,
    /// The nearest shown entity on `path` before it (index into [`View::nodes`]).
    pub parent: Option<usize>,
    /// Left edge of its box.
    pub x: f32,
    /// Top edge of its box.
    pub y: f32,
}

/// A drawn edge between two shown entities, in the relation's direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewEdge {
    /// Index into [`View::nodes`] of the source.
    pub from: usize,
    /// Index into [`View::nodes`] of the target.
    pub to: usize,
    /// The graph edges it stands for; empty when it joins two entities through hidden ones.
    pub edges: Vec<usize>,
}

/// An impact view ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// Shown entities; the centre first.
    pub nodes: Vec<ViewNode>,
    /// Edges between shown entities.
    pub edges: Vec<ViewEdge>,
    /// Entities the cap left out.
    pub not_shown: usize,
    /// Entities the kind filter hides.
    pub filtered: usize,
    /// Width of the drawing.
    pub width: f32,
    /// Height of the drawing.
    pub height: f32,
    /// The box sizes used.
    pub sizes: Sizes,
}

impl View {
    /// Builds the view of `impact`: which entities show, the edges between them, where each box
    /// is drawn.
    pub fn build(g: &GraphIndex, impact: &Impact, opts: &ViewOptions) -> View {
        let Shown {
            nodes,
            filtered,
            not_shown,
        } = shown(g, impact, opts);
        let edges = edges_between(g, &nodes);
        let sizes = Sizes::default();
        let mut view = View {
            nodes,
            edges,
            not_shown,
            filtered,
            width: 0.0,
            height: 0.0,
            sizes,
        };
        view.lay_out();
        view
    }

    /// Places every box: columns by signed depth, rows by the layered layout.
    fn lay_out(&mut self) {
        let layers: Vec<i32> = self.nodes.iter().map(|v| v.depth).collect();
        let pairs: Vec<(usize, usize)> = self.edges.iter().map(|e| (e.from, e.to)).collect();
        let Layout {
            x,
            y,
            width,
            height,
            ..
        } = layout::layered(self.nodes.len(), &pairs, Some(&layers), self.sizes);
        for (i, v) in self.nodes.iter_mut().enumerate() {
            v.x = x.get(i).copied().unwrap_or(0.0);
            v.y = y.get(i).copied().unwrap_or(0.0);
        }
        self.width = width;
        self.height = height;
    }

    /// The shown entities and edges on the paths through node `i` (index into
    /// [`View::nodes`]): its chain back to the centre and everything shown beyond it.
    pub fn through(&self, i: usize) -> (Vec<bool>, Vec<bool>) {
        let mut on = vec![false; self.nodes.len()];
        let mut at = Some(i);
        while let Some(a) = at {
            match on.get_mut(a) {
                Some(slot) if !*slot => *slot = true,
                _ => break,
            }
            at = self.nodes.get(a).and_then(|v| v.parent);
        }
        // Everything whose chain passes through `i`.
        for (j, _) in self.nodes.iter().enumerate() {
            let mut a = Some(j);
            let mut hops = 0usize;
            while let Some(x) = a {
                if x == i {
                    if let Some(slot) = on.get_mut(j) {
                        *slot = true;
                    }
                    break;
                }
                hops = hops.saturating_add(1);
                if hops > self.nodes.len() {
                    break;
                }
                a = self.nodes.get(x).and_then(|v| v.parent);
            }
        }
        let edges = self
            .edges
            .iter()
            .map(|e| {
                let tree = |child: usize, parent: usize| {
                    self.nodes.get(child).and_then(|v| v.parent) == Some(parent)
                        && on.get(child) == Some(&true)
                        && on.get(parent) == Some(&true)
                };
                tree(e.to, e.from) || tree(e.from, e.to)
            })
            .collect();
        (on, edges)
    }
}

/// The entities a view shows (the centre first, each with its parent on the view) and what the
/// kind filter and the cap left out.
struct Shown {
    nodes: Vec<ViewNode>,
    filtered: usize,
    not_shown: usize,
}

fn shown(g: &GraphIndex, impact: &Impact, opts: &ViewOptions) -> Shown {
    let shows = |n: NodeIx| {
        opts.kinds
            .as_ref()
            .is_none_or(|k| g.node(n).is_some_and(|x| k.contains(&x.kind)))
    };
    // Downstream first at equal distance; an entity both up- and downstream (a cycle)
    // shows once, downstream.
    let mut candidates: Vec<(u32, bool, usize, NodeIx)> = Vec::new();
    let mut taken = BTreeSet::from([impact.centre]);
    for (up, list) in [(false, &impact.downstream), (true, &impact.upstream)] {
        for (i, r) in list.iter().enumerate() {
            if taken.insert(r.node) {
                candidates.push((r.depth, up, i, r.node));
            }
        }
    }
    crate::sort::sort_by_key(&mut candidates, |c| (c.0, c.1, c.2));
    let total = candidates.len();
    candidates.retain(|c| shows(c.3));
    let filtered = total.saturating_sub(candidates.len());
    let room = opts.cap.map_or(usize::MAX, |c| c.saturating_sub(1));
    let not_shown = candidates.len().saturating_sub(room);
    candidates.truncate(room);

    let mut nodes = vec![ViewNode {
        node: impact.centre,
        depth: 0,
        path: vec![impact.centre],
        parent: None,
        x: 0.0,
        y: 0.0,
    }];
    // Paths only for the entities shown (at most the cap): the whole impact's would be
    // quadratic along a long chain.
    let (down_trail, up_trail) = (impact.trail(true), impact.trail(false));
    for (depth, up, _, node) in candidates {
        let trail = if up { &up_trail } else { &down_trail };
        let path = trail.path(node).map_or_else(|| vec![node], |(p, _)| p);
        let d = i32::try_from(depth).unwrap_or(i32::MAX);
        nodes.push(ViewNode {
            node,
            depth: if up { d.saturating_neg() } else { d },
            path,
            parent: None,
            x: 0.0,
            y: 0.0,
        });
    }
    let at = positions(&nodes);
    for v in &mut nodes {
        v.parent = v.path.iter().rev().skip(1).find_map(|p| at.get(p).copied());
    }
    Shown {
        nodes,
        filtered,
        not_shown,
    }
}

/// Where each shown entity is in the view's node list.
fn positions(nodes: &[ViewNode]) -> BTreeMap<NodeIx, usize> {
    crate::sort::map_of(nodes.iter().enumerate().map(|(i, v)| (v.node, i)))
}

/// Real edges between shown entities, then dashed ones to parents reached through hidden
/// entities.
fn edges_between(g: &GraphIndex, nodes: &[ViewNode]) -> Vec<ViewEdge> {
    let at = positions(nodes);
    let mut edges: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, v) in nodes.iter().enumerate() {
        for (e, other) in g.edges_of(v.node, true) {
            if let Some(&j) = at.get(&other) {
                if j != i {
                    edges.entry((i, j)).or_default().push(e);
                }
            }
        }
    }
    for (i, v) in nodes.iter().enumerate() {
        if let Some(p) = v.parent {
            let key = if v.depth < 0 { (i, p) } else { (p, i) };
            if !edges.contains_key(&key) && !edges.contains_key(&(key.1, key.0)) {
                edges.insert(key, Vec::new());
            }
        }
    }
    edges
        .into_iter()
        .map(|((from, to), mut es)| {
            crate::sort::sort(&mut es);
            ViewEdge {
                from,
                to,
                edges: es,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::query::{Depth, Depths};
    use super::super::tests::graph;
    use super::super::Rel;
    use super::*;

    fn sample() -> GraphIndex {
        use Kind::*;
        graph(
            &[
                (Feature, "Refunds"),
                (Service, "payments"),
                (Service, "booking-api"),
                (Controller, "RefundController"),
                (Route, "POST /refunds"),
                (Route, "GET /refunds"),
                (Table, "refunds"),
                (Feature, "Checkout"),
            ],
            &[
                ("Refunds", Rel::Uses, "payments"),
                ("Checkout", Rel::Uses, "payments"),
                ("booking-api", Rel::DependsOn, "payments"),
                ("payments", Rel::HasController, "RefundController"),
                ("RefundController", Rel::Handles, "POST /refunds"),
                ("RefundController", Rel::Handles, "GET /refunds"),
                ("payments", Rel::OwnsTable, "refunds"),
            ],
        )
    }

    fn names(g: &GraphIndex, v: &View) -> Vec<(String, i32)> {
        v.nodes.iter().map(|n| (g.id_of(n.node), n.depth)).collect()
    }

    #[test]
    fn upstream_left_downstream_right_centre_first() {
        let g = sample();
        let c = g.find_id("service:payments").unwrap();
        let v = View::build(
            &g,
            &g.impact(
                c,
                Depths {
                    up: Depth::Limit(1),
                    down: Depth::All,
                },
            ),
            &ViewOptions::default(),
        );
        assert_eq!(v.nodes[0].node, c);
        let ns = names(&g, &v);
        assert!(ns.contains(&("feature:checkout".into(), -1)));
        assert!(ns.contains(&("route:get-refunds".into(), 2)));
        let x = |id: &str| v.nodes.iter().find(|n| g.id_of(n.node) == id).unwrap().x;
        assert!(x("feature:refunds") < x("service:payments"));
        assert!(x("service:payments") < x("controller:refundcontroller"));
        assert!(x("controller:refundcontroller") < x("route:post-refunds"));
        assert_eq!(v.edges.len(), 7, "every relation between shown entities");
        assert_eq!((v.not_shown, v.filtered), (0, 0));
    }

    #[test]
    fn the_cap_counts_what_it_leaves_out_nearest_first() {
        let g = sample();
        let c = g.find_id("service:payments").unwrap();
        let imp = g.impact(
            c,
            Depths {
                up: Depth::Limit(1),
                down: Depth::All,
            },
        );
        let v = View::build(
            &g,
            &imp,
            &ViewOptions {
                kinds: None,
                cap: Some(4),
            },
        );
        assert_eq!(v.nodes.len(), 4);
        assert_eq!(v.not_shown, 4);
        assert!(
            v.nodes.iter().all(|n| n.depth.abs() <= 1),
            "{:?}",
            names(&g, &v)
        );
    }

    #[test]
    fn hidden_kinds_are_passed_through_with_a_dashed_edge() {
        let g = sample();
        let c = g.find_id("feature:refunds").unwrap();
        let imp = g.impact(c, Depths::default());
        let kinds = [Kind::Route].into_iter().collect();
        let v = View::build(
            &g,
            &imp,
            &ViewOptions {
                kinds: Some(kinds),
                cap: None,
            },
        );
        let ns = names(&g, &v);
        assert_eq!(
            ns,
            [
                ("feature:refunds".into(), 0),
                ("route:get-refunds".into(), 3),
                ("route:post-refunds".into(), 3)
            ]
        );
        assert_eq!(v.filtered, 3);
        assert!(v.edges.iter().all(|e| e.edges.is_empty() && e.from == 0));
    }

    #[test]
    fn hovering_a_node_lights_its_chain_and_what_lies_beyond() {
        let g = sample();
        let c = g.find_id("feature:refunds").unwrap();
        let v = View::build(&g, &g.impact(c, Depths::default()), &ViewOptions::default());
        let i = v
            .nodes
            .iter()
            .position(|n| g.id_of(n.node) == "controller:refundcontroller")
            .unwrap();
        let (on, edges) = v.through(i);
        let lit: BTreeSet<String> = v
            .nodes
            .iter()
            .zip(&on)
            .filter(|(_, &o)| o)
            .map(|(n, _)| g.id_of(n.node))
            .collect();
        let want: BTreeSet<String> = [
            "feature:refunds",
            "service:payments",
            "controller:refundcontroller",
            "route:post-refunds",
            "route:get-refunds",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        assert_eq!(lit, want);
        assert_eq!(edges.iter().filter(|&&e| e).count(), 4);
    }

    #[test]
    fn a_ten_thousand_component_chain_is_viewed_and_laid_out_on_a_small_stack() {
        // The browser's stack is a fraction of a native thread's (issue 26: 10,000 components
        // gave "Maximum call stack size exceeded"): the view and its layout must not recurse
        // once per entity of a chain or a cycle.
        let run = || {
            let n = 10_000;
            let names: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
            let nodes: Vec<(Kind, &str)> = names
                .iter()
                .map(|s| (Kind::Component, s.as_str()))
                .collect();
            for cycle in [false, true] {
                let last = if cycle { n } else { n - 1 };
                let edges: Vec<(&str, Rel, &str)> = (0..last)
                    .map(|i| {
                        (
                            names[i].as_str(),
                            Rel::DependsOn,
                            names[(i + 1) % n].as_str(),
                        )
                    })
                    .collect();
                let g = graph(&nodes, &edges);
                let c0 = g.find_id("component:c0").unwrap();
                let all = Depths {
                    up: Depth::All,
                    down: Depth::All,
                };
                let imp = g.impact(c0, all);
                // The app's default cap (40), and its entities view's whole chain laid out.
                let v = View::build(
                    &g,
                    &imp,
                    &ViewOptions {
                        kinds: None,
                        cap: Some(40),
                    },
                );
                assert_eq!(v.nodes.len(), 40);
                // Every other component shows once (in a cycle each is up- and downstream).
                assert_eq!(v.not_shown, n - 1 - 39);
                assert!(v.nodes.iter().skip(1).all(|x| x.parent.is_some()));
                if !cycle {
                    // A chain is one row of ten thousand columns, left to right.
                    let chain: Vec<(usize, usize)> = (0..last).map(|i| (i, i + 1)).collect();
                    let l = layout::layered(n, &chain, None, Sizes::default());
                    assert_eq!(l.x.len(), n);
                    assert!(l.width.is_finite() && l.width > 0.0);
                    assert!(l.x.windows(2).all(|w| w[0] < w[1]));
                }
            }
        };
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(run)
            .unwrap()
            .join()
            .unwrap();
    }
}
