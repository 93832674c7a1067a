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
