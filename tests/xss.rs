//! Hostile Markdown: none of the fixture's script vectors may survive into the built site.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use docatlas_core::Audience;

/// Markers of active content. None may appear in rendered HTML; escaped text (`&lt;script`) is fine.
const FORBIDDEN: &[&str] = &[
    "<script",
    "<iframe",
    "<svg",
    "<object",
    "<embed",
    "<form",
    "<style",
    "<meta",
    "<base",
    "<link",
    "<math",
    "<body",
    "<button",
    "srcdoc",
    "javascript:",
    "vbscript:",
    "data:text",
    "expression(",
    "formaction",
    "xlink:href",
    "onerror",
    "onload",
    "onfocus",
    "ontoggle",
    "onclick",
    "autofocus",
    "style=\"background",
    "style=\"width",
];

#[test]
fn fixture_really_is_hostile() {
    let src = std::fs::read_to_string(fixture("xss").join("vectors.md")).unwrap();
    let vectors = src
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .count();
    assert!(vectors >= 15, "only {vectors} vectors");
    let present = FORBIDDEN
        .iter()
        .filter(|f| src.to_lowercase().contains(&f.to_lowercase()))
        .count();
    assert!(
        present >= 20,
        "the fixture must exercise most markers, exercises {present}"
    );
}

#[test]
fn no_vector_survives_into_any_site_file() {
    let (c, dir) = build_site(&fixture("xss"), Audience::Public);
    let page = doc_at(&c.bundle.docs, "vectors.md");
    let html = page.html.to_lowercase();
    for f in FORBIDDEN {
        assert!(!html.contains(f), "`{f}` survived:\n{}", page.html);
    }
    // The data files on disk hold the same HTML plus plain text; scan their (decompressed)
    // bytes too.
    let data: Vec<(String, Vec<u8>)> = data_files(dir.path())
        .into_iter()
        .filter(|(name, _)| name.ends_with(".bin"))
        .collect();
    assert!(
        data.iter().any(|(n, _)| n.contains("/page/")),
        "the page files are scanned: {:?}",
        data.iter().map(|d| &d.0).collect::<Vec<_>>()
    );
    for (name, bytes) in data {
        let lower: Vec<u8> = bytes.to_ascii_lowercase();
        for f in FORBIDDEN {
            assert!(!contains(&lower, f), "`{f}` is in {name}");
        }
    }
    // Benign content is kept: sanitising must not just delete everything.
    assert!(
        page.html.contains("href=\"#/doc/safe.md\""),
        "{}",
        page.html
    );
    assert!(page.html.contains("href=\"https://example.com/\""));
    assert!(page.html.contains("entity encoded") && page.html.contains("styled block"));
}
