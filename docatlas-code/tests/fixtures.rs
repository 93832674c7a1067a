//! Every framework's fixture tree: the exact inventory extracted, and the findings against the
//! fixture's own `DOCS.md` (golden files in `tests/golden/`; `UPDATE_EXPECT=1` rewrites them
//! after a deliberate change, and the diff is the review).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use docatlas_code::{compare, extract, CompareOptions, ExtractOptions};
use expect_test::expect_file;

fn check(name: &str) {
    let inv =
        extract(&[common::fixture(name)], &ExtractOptions::default()).expect("fixture extracts");
    let docs = common::fixture_docs(name);
    let findings = compare(
        &docs,
        &inv,
        &CompareOptions {
            ignore: common::fixture_ignores(name),
        },
    );
    let text = format!(
        "{}## findings\n{}",
        common::render_inventory(&inv),
        common::render_findings(&findings)
    );
    expect_file![format!("golden/{name}.txt")].assert_eq(&text);
}

#[test]
fn express() {
    check("express");
}

#[test]
fn koa() {
    check("koa");
}

#[test]
fn fastify() {
    check("fastify");
}

#[test]
fn hono() {
    check("hono");
}

#[test]
fn nest() {
    check("nest");
}

#[test]
fn socketio() {
    check("socketio");
}

#[test]
fn fastapi() {
    check("fastapi");
}

#[test]
fn flask() {
    check("flask");
}

#[test]
fn nethttp() {
    check("nethttp");
}

#[test]
fn chi() {
    check("chi");
}

#[test]
fn gin() {
    check("gin");
}

#[test]
fn echo() {
    check("echo");
}

#[test]
fn spring() {
    check("spring");
}

/// The inventory does not depend on the number of threads or on which thread parsed what: every
/// fixture at once, with 1 and with 3 threads, byte for byte (JSON included).
#[test]
fn inventory_is_the_same_with_any_thread_count() {
    let roots: Vec<std::path::PathBuf> = std::fs::read_dir("tests/fixtures")
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let inv = pool.install(|| extract(&roots, &ExtractOptions::default()).unwrap());
        let json = serde_json::to_string(&inv).unwrap();
        (common::render_inventory(&inv), json)
    };
    let one = run(1);
    assert!(one.0.lines().count() > 100, "every fixture was read");
    assert_eq!(one, run(3));
}
