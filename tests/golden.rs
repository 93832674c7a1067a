//! A human-readable dump of the example portal's bundle, compared with tests/golden/.
//! After an intended change, refresh it with `UPDATE_EXPECT=1 cargo test --test golden`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::fmt::Write;

use common::*;
use docatlas_core::{Audience, Bundle, SearchIndex};

fn dump(bundle: &Bundle) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "site: {:?} ({:?})",
        bundle.site.title, bundle.site.audience
    )
    .unwrap();
    for d in &bundle.docs {
        writeln!(out, "\n== {}", d.path).unwrap();
        writeln!(out, "title: {}", d.title).unwrap();
        writeln!(out, "summary: {}", d.summary).unwrap();
        writeln!(
            out,
            "kind: {} | lang: {} | internal: {} | read: {} min | tags: {}",
            d.kind.as_deref().unwrap_or("-"),
            d.lang.as_deref().unwrap_or("-"),
            d.internal,
            d.read_minutes,
            d.tags.join(", ")
        )
        .unwrap();
        for f in &d.facets {
            writeln!(out, "facet: {} = {}", f.key, f.value).unwrap();
        }
        for s in &d.sections {
            let indent = "  ".repeat(usize::from(s.level.max(1)) - 1);
            writeln!(
                out,
                "{indent}# {} [{}] {} words",
                s.heading,
                s.anchor.as_deref().unwrap_or("lead"),
                s.text.split_whitespace().count()
            )
            .unwrap();
            if !s.defines.is_empty() {
                writeln!(out, "{indent}  defines: {}", s.defines.join(", ")).unwrap();
            }
        }
        for t in &d.tasks {
            writeln!(out, "task: [{}] {}", if t.done { "x" } else { " " }, t.text).unwrap();
        }
        writeln!(out, "html: {} bytes", d.html.len()).unwrap();
    }
    let docs = bundle.docs.clone();
    let index = SearchIndex::new(bundle.index.clone(), &docs).unwrap();
    writeln!(
        out,
        "\nindex: {} terms, {} postings bytes, {} sections",
        index.term_count(),
        bundle.index.postings.len(),
        bundle.index.section_lens.len()
    )
    .unwrap();
    out
}

#[test]
fn example_portal_bundle_matches_golden_dump() {
    let c = compile_docs(&portal(), Audience::Public);
    expect_test::expect_file!["golden/portal-bundle.txt"].assert_eq(&dump(&c.bundle));
}

#[test]
fn example_portal_diagnostics_match_golden() {
    let c = compile_docs(&portal(), Audience::Internal);
    let text: String = c.diagnostics.iter().map(|d| format!("{d}\n")).collect();
    expect_test::expect_file!["golden/portal-diagnostics.txt"].assert_eq(&text);
}
