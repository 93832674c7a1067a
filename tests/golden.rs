//! A human-readable dump of the example portal's bundle, compared with tests/golden/.
//! After an intended change, refresh it with `UPDATE_EXPECT=1 cargo test --test golden`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::fmt::Write;

use common::*;
use std::collections::BTreeMap;

use docatlas_core::{Audience, Bundle};

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
    let keys = |mark: Option<char>| {
        bundle
            .index
            .terms
            .iter()
            .filter(|t| match mark {
                Some(m) => t.key.contains(m),
                None => docatlas_core::text::is_surface_key(t.key.as_bytes()),
            })
            .count()
    };
    writeln!(
        out,
        "\nindex: {} sections; {} words, {} stem keys, {} title keys, {} entity keys",
        bundle.index.sections,
        keys(None),
        keys(Some(docatlas_core::text::STEM_MARK)),
        keys(Some(docatlas_core::text::TITLE_MARK)),
        keys(Some(docatlas_core::text::ENTITY_MARK)),
    )
    .unwrap();
    // The data files a build writes, by kind: what a reviewer sees move when the layout changes.
    let files = docatlas_core::files::encode(bundle);
    let mut kinds: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (name, bytes) in &files {
        let kind = name.split_once('/').map_or(name.as_str(), |(dir, _)| dir);
        let e = kinds.entry(kind).or_default();
        e.0 += 1;
        e.1 += bytes.len();
    }
    for (kind, (n, bytes)) in kinds {
        writeln!(out, "files: {kind}: {n} ({bytes} bytes before compression)").unwrap();
    }
    let head_bytes = &files
        .iter()
        .find(|(n, _)| n == docatlas_core::format::BUNDLE_FILE)
        .unwrap()
        .1;
    let head = docatlas_core::decode_head(head_bytes).unwrap();
    writeln!(
        out,
        "head: {} pages, {} shards starting at {:?}, {} long postings files, typo lengths {:?}, filter keys {:?}, {} sections per text fragment",
        head.docs,
        head.shards.len(),
        head.shards,
        head.postings_files,
        head.typo_lengths,
        head.filter_keys,
        head.fragment_sections,
    )
    .unwrap();
    // Where they are written: every file but the head in a folder named by their content.
    let placed = docatlas_core::files::place(files).unwrap();
    let placed_head = docatlas_core::decode_head(
        &placed
            .iter()
            .find(|(n, _)| n == docatlas_core::format::BUNDLE_FILE)
            .unwrap()
            .1,
    )
    .unwrap();
    let beside: Vec<&str> = placed
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| !n.starts_with(placed_head.data_dir.as_str()))
        .collect();
    writeln!(
        out,
        "placed: {} files in {}, beside the page: {:?}",
        placed.len() - beside.len(),
        placed_head.data_dir,
        beside
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
