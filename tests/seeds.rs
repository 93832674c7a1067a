//! The five seed documents from ../shared/seeds (real user documents; present in the
//! developers' workspace and CI, not on a user's machine). Skipped with a note when absent.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::Path;

use common::*;
use docatlas_core::Audience;

#[test]
fn seeds_build_and_the_mojibake_is_reported_repaired() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let Ok(entries) = std::fs::read_dir(&seeds) else {
        eprintln!(
            "skipped: {} is not here (it exists only in the developers' workspace)",
            seeds.display()
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut copied = Vec::new();
    for e in entries {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned() + ".md";
            std::fs::copy(&p, dir.path().join(&name)).unwrap();
            copied.push(name);
        }
    }
    copied.sort();
    assert_eq!(copied.len(), 5, "{copied:?}");
    let (c, site) = build_site(dir.path(), Audience::Public);
    assert_eq!(c.bundle.docs.len(), 5);
    let roadmap = copied.iter().find(|n| n.starts_with("004_")).unwrap();
    let repaired: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| &d.path == roadmap && d.message.contains("repaired"))
        .collect();
    assert_eq!(repaired.len(), 1, "{:#?}", c.diagnostics);
    assert!(repaired[0].message.contains("Mac Roman"));
    let doc = doc_at(&c.bundle.docs, roadmap);
    assert!(doc.title.contains("🛠"), "title repaired: {}", doc.title);
    assert!(site.path().join("docatlas.bin").is_file());
    // The German seed is searchable by its own words.
    let r = search(&c.bundle, "Akzeptanzkriterien", 5);
    assert!(r.hits[0].path.starts_with("003_"));
}
