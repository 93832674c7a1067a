//! The example portal end to end: every page built, links resolved, internal pages kept out.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use build_index::Severity;
use common::*;
use docatlas_core::Audience;

const SENTINELS: [&str; 2] = [
    "The harbour-lantern credential rotates every second Thursday.",
    "Pager escalation goes to the tidewatch rota first.",
];
const INTERNAL_PAGES: [&str; 2] = [
    "internal/incident-2026-03-ledger-drift.md",
    "ops/oncall-rota.md",
];

#[test]
fn every_public_page_is_in_the_bundle() {
    let c = compile_docs(&portal(), Audience::Public);
    let built: Vec<&str> = c.bundle.docs.iter().map(|d| d.path.as_str()).collect();
    let sources = markdown_files(&portal());
    assert!(
        sources.len() >= 25,
        "the portal must have at least 25 pages, has {}",
        sources.len()
    );
    for src in &sources {
        let internal = INTERNAL_PAGES.contains(&src.as_str());
        assert_eq!(built.contains(&src.as_str()), !internal, "{src}");
    }
    assert_eq!(built.len(), sources.len() - INTERNAL_PAGES.len());
}

#[test]
fn links_resolve_and_check_passes() {
    let c = compile_docs(&portal(), Audience::Internal);
    let errors: Vec<String> = c
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    for doc in &c.bundle.docs {
        assert!(
            !doc.html.contains("dead-link"),
            "{} has a link that went nowhere",
            doc.path
        );
    }
    // The README's reading order links became app routes.
    let readme = doc_at(&c.bundle.docs, "README.md");
    assert!(readme.html.contains("href=\"#/doc/engineering/stack.md\""));
}

#[test]
fn portal_diagnostics_are_the_expected_warnings() {
    let c = compile_docs(&portal(), Audience::Public);
    let shown: Vec<String> = c.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        shown
            .iter()
            .any(|d| d.starts_with("README.md:") && d.contains("warning: gap marker {{TBD}}")),
        "{shown:#?}"
    );
    assert!(
        shown.iter().any(|d| d.starts_with("roadmap.md:")
            && d.contains("repaired")
            && d.contains("Mac Roman")),
        "{shown:#?}"
    );
    let roadmap = doc_at(&c.bundle.docs, "roadmap.md");
    assert!(
        roadmap.html.contains('🚀'),
        "mojibake repaired in the output"
    );
    assert!(!roadmap.html.contains("üöÄ"));
}

#[test]
fn internal_pages_leave_no_byte_in_a_public_site() {
    let (c, dir) = build_site(&portal(), Audience::Public);
    // Data files are stored compressed: scan what they hold, not their gzip bytes.
    for (name, bytes) in data_files(dir.path()) {
        for s in SENTINELS.iter().chain(&INTERNAL_PAGES) {
            assert!(!contains(&bytes, s), "{name} contains `{s}`");
        }
        assert!(!contains(&bytes, "harbour-lantern"), "{name}");
        assert!(!contains(&bytes, "tidewatch"), "{name}");
    }
    assert!(
        data_files(dir.path())
            .iter()
            .any(|(name, bytes)| name.contains("/text/") && contains(bytes, "Kestrel")),
        "the scan reads decompressed text"
    );
    for q in [
        "harbour-lantern credential",
        "tidewatch rota",
        "ledger drift incident",
    ] {
        for r in [search(&c.bundle, q, 50), search_site(dir.path(), q, 50)] {
            for h in &r.hits {
                assert!(
                    !INTERNAL_PAGES.contains(&h.path.as_str()),
                    "{q} found an internal page"
                );
            }
        }
    }
}

#[test]
fn internal_build_includes_internal_pages_with_the_flag_for_the_banner() {
    let (c, dir) = build_site(&portal(), Audience::Internal);
    for p in INTERNAL_PAGES {
        let doc = doc_at(&c.bundle.docs, p);
        assert!(doc.internal, "{p} must carry the internal flag");
    }
    assert!(c.bundle.docs.iter().filter(|d| d.internal).count() == INTERNAL_PAGES.len());
    let r = search_site(dir.path(), "harbour-lantern credential", 5);
    assert_eq!(r.hits[0].path, INTERNAL_PAGES[0]);
    assert!(c
        .bundle
        .docs
        .iter()
        .any(|d| d.sections.iter().any(|s| s.text.contains(SENTINELS[1]))));
}

#[test]
fn reading_times_come_from_front_matter_then_the_pages_table_then_word_count() {
    let c = compile_docs(&portal(), Audience::Public);
    let doc = |p: &str| doc_at(&c.bundle.docs, p);
    // front matter `read_time: 7m`
    assert_eq!(doc("engineering/observability.md").read_minutes, 7);
    // the README's pages table says ~6 min for stack.md
    assert_eq!(doc("engineering/stack.md").read_minutes, 6);
    // a page in neither: words / 230, at least one minute
    let g = doc("catalog/events.md");
    let words: usize = g
        .sections
        .iter()
        .map(|s| s.text.split_whitespace().count())
        .sum();
    assert!(g.read_minutes >= 1 && g.read_minutes as usize <= words / 230 + 2);
}

#[test]
fn tasks_and_kinds_are_read() {
    let c = compile_docs(&portal(), Audience::Public);
    let readme = doc_at(&c.bundle.docs, "README.md");
    assert_eq!(readme.tasks.len(), 6);
    assert_eq!(readme.tasks.iter().filter(|t| t.done).count(), 1);
    assert!(readme
        .tasks
        .iter()
        .all(|t| t.anchor.as_deref() == Some("what-youll-know-after-reading")));
    let kinds = |k: &str| {
        c.bundle
            .docs
            .iter()
            .filter(|d| d.kind.as_deref() == Some(k))
            .count()
    };
    assert!(kinds("runbook") >= 4);
    assert!(kinds("adr") >= 4);
    let de = doc_at(&c.bundle.docs, "de/betriebshandbuch.md");
    assert_eq!(de.lang.as_deref(), Some("de"));
}

#[test]
fn a_service_name_finds_its_catalog_row_before_pages_that_mention_it() {
    let c = compile_docs(&portal(), Audience::Public);
    let docs = &c.bundle.docs;
    for name in [
        "booking-api",
        "gateway",
        "notifier",
        "pricing",
        "fleet",
        "identity",
    ] {
        let r = search(&c.bundle, name, 5);
        let top = &r.hits[0];
        let doc = &docs[top.doc as usize];
        assert_eq!(
            doc.path,
            "catalog/services.md",
            "{name}: {:?}",
            r.report().hits
        );
        // The section headed by the name (its notes) when there is one, else its table row.
        let section = &doc.sections[top.section as usize];
        assert!(
            section.heading == name || section.defines.iter().any(|d| d == name),
            "{name} lands on the section about it or the one whose table defines it: {}",
            section.heading
        );
        // Other pages mention it too: the bonus is what put the catalog first.
        assert!(r.total > 1, "{name}");
    }
}

#[test]
fn search_finds_route_inventory_and_code_refs_link_to_the_repo() {
    let c = compile_docs(&portal(), Audience::Public);
    let r = search(&c.bundle, "POST /api/v1/bookings", 5);
    assert_eq!(r.hits[0].path, "catalog/routes.md");
    let readme = doc_at(&c.bundle.docs, "README.md");
    assert!(
        readme.html.contains("href=\"https://git.saltmarsh.example/kestrel/platform/blob/main/services/payments/src/refunds/refund.service.ts#L118\""),
        "code references link through docatlas.toml's repo_url"
    );
}
