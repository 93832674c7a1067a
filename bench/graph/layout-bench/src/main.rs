//! Prints the native figures of the graph benchmark for one site's `graph.bin`: its size, the
//! impact query time, the time to build an impact view (query + layout) of the largest impact,
//! and our layered layout against `rust-sugiyama` 0.4 on the whole graph (which has cycles).
//!
//!     graph-layout-bench SITE/graph.bin

use std::time::{Duration, Instant};

use docatlas_core::graph::layout::{self, Sizes};
use docatlas_core::graph::query::{Depth, Depths};
use docatlas_core::graph::view::{View, ViewOptions};
use docatlas_core::graph::GraphIndex;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// Runs `f` until `budget` is spent (at least `min` times, at most `max`); the median time.
fn time<T>(min: usize, max: usize, budget: Duration, mut f: impl FnMut() -> T) -> (Duration, usize) {
    let start = Instant::now();
    let mut runs = Vec::new();
    while runs.len() < min || (runs.len() < max && start.elapsed() < budget) {
        let t = Instant::now();
        std::hint::black_box(f());
        runs.push(t.elapsed());
    }
    let n = runs.len();
    (median(runs), n)
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: graph-layout-bench SITE/graph.bin");
    let bytes = std::fs::read(&path).expect("read graph.bin");
    let g = GraphIndex::from_bytes(&bytes).expect("decode graph.bin");
    let n = g.len();
    let edges: Vec<(usize, usize)> = g.graph.edges.iter().map(|e| (e.from as usize, e.to as usize)).collect();
    println!("graph: {n} entities, {} relations, {} dependency cycles (strongly connected groups)", edges.len(), g.cycles().len());
    println!("graph.bin: {} bytes ({:.1} KiB)", bytes.len(), bytes.len() as f64 / 1024.0);

    let all = Depths { up: Depth::All, down: Depth::All };
    let (t, runs) = time(3, 50, Duration::from_secs(5), || (0..n).map(|i| g.impact(i, all).downstream.len()).sum::<usize>());
    println!("impact query, up and down unlimited, every entity: {} per entity (median of {runs} sweeps over {n})", ms(t / n as u32));
    let big = (0..n).max_by_key(|&i| { let x = g.impact(i, all); x.downstream.len() + x.upstream.len() }).unwrap();
    let imp = g.impact(big, all);
    println!("largest impact: {} ({} downstream, {} upstream)", g.id_of(big), imp.downstream.len(), imp.upstream.len());
    let opts = ViewOptions { kinds: None, cap: None };
    let (t, runs) = time(3, 200, Duration::from_secs(5), || View::build(&g, &imp, &opts).nodes.len());
    let v = View::build(&g, &imp, &opts);
    println!("impact view of it, every node shown ({} nodes, {} edges): {} (median of {runs})", v.nodes.len(), v.edges.len(), ms(t));

    let (ours, runs) = time(3, 200, Duration::from_secs(5), || layout::layered(n, &edges, None, Sizes::default()).crossings);
    let l = layout::layered(n, &edges, None, Sizes::default());
    println!("layout of the whole graph, ours (layered, barycentre): {} (median of {runs}), {} crossings between adjacent layers", ms(ours), l.crossings);
    let s = Sizes::default();
    let vertices: Vec<(u32, (f64, f64))> = (0..n as u32).map(|i| (i, (f64::from(s.node_w), f64::from(s.node_h)))).collect();
    let e32: Vec<(u32, u32)> = edges.iter().filter(|(a, b)| a != b).map(|&(a, b)| (a as u32, b as u32)).collect();
    let config = rust_sugiyama::configure::Config::default();
    let (theirs, runs) = time(1, 20, Duration::from_secs(60), || rust_sugiyama::from_vertices_and_edges(&vertices, &e32, &config).len());
    println!("layout of the whole graph, rust-sugiyama 0.4 (default config): {} (median of {runs})", ms(theirs));
    println!("rust-sugiyama / ours: {:.0}x", theirs.as_secs_f64() / ours.as_secs_f64().max(1e-9));
}
