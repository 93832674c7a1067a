//! Reading tracks and checklists: extraction from the example portal and from each convention's
//! fixture (golden listings in tests/golden/tracks/), and ids that survive an edited copy.
//! After an intended change, refresh the goldens with `UPDATE_EXPECT=1 cargo test --test tracks`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;

use build_index::tracks::report;
use common::*;
use docatlas_core::tracks::{self, track_progress, Progress, TrackSet};
use docatlas_core::Audience;

fn tracks_of(docs: &std::path::Path) -> TrackSet {
    compile_docs(docs, Audience::Public).tracks
}

/// (title, [(doc, minutes)]) of every track.
fn shape(set: &TrackSet) -> Vec<(String, Vec<(String, u32)>)> {
    let r = report::report(set);
    r.tracks
        .into_iter()
        .map(|t| {
            let items = t.items.into_iter().map(|i| (i.doc, i.minutes)).collect();
            (t.title, items)
        })
        .collect()
}

fn owned(title: &str, items: &[(&str, u32)]) -> (String, Vec<(String, u32)>) {
    (
        title.to_string(),
        items.iter().map(|(d, m)| (d.to_string(), *m)).collect(),
    )
}

#[test]
fn the_example_portal_readme_gives_its_two_reading_orders_in_order_with_minutes() {
    let set = tracks_of(&portal());
    let tracks = shape(&set);
    assert_eq!(
        tracks.get(..2).unwrap(),
        [
            owned(
                "Short on time? Read these first",
                &[
                    ("engineering/stack.md", 6),
                    ("engineering/architecture.md", 5),
                    ("engineering/flows.md", 4),
                    ("engineering/api.md", 3),
                    ("engineering/observability.md", 7),
                    ("engineering/runbooks.md", 4),
                ]
            ),
            owned(
                "Going deeper, continue with",
                &[
                    ("engineering/env.md", 4),
                    ("engineering/data-model.md", 3),
                    ("engineering/adr.md", 4),
                    ("engineering/performance.md", 5),
                    ("engineering/tooling.md", 5),
                ]
            ),
        ]
    );
    // The pages table's total ("about fifty minutes") is what the two tracks add up to.
    let minutes: u32 = tracks
        .iter()
        .take(2)
        .flat_map(|(_, items)| items.iter().map(|(_, m)| m))
        .sum();
    assert_eq!(minutes, 50);
    // The onboarding folder orders its days with front matter `order` and file prefixes.
    assert_eq!(
        tracks.get(2..).unwrap(),
        [owned(
            "Onboarding",
            &[
                ("onboarding/01-laptop-setup.md", 2),
                ("onboarding/02-first-booking.md", 2),
                ("onboarding/03-first-deploy.md", 2),
            ]
        )]
    );
    let checklist = &set.checklists[0];
    assert_eq!(checklist.title, "What you'll know after reading");
    assert_eq!(checklist.id, "README#what-youll-know-after-reading");
    assert_eq!(checklist.items.len(), 6);
    assert_eq!(set.site_id, "kestrel-engineering-portal");
    // The reading order's notes are what the README says about each page.
    assert_eq!(
        set.tracks[0].items[1].note,
        "how the seven services call each other."
    );
}

#[test]
fn the_example_portal_json_matches_golden() {
    let set = tracks_of(&portal());
    let json = serde_json::to_string_pretty(&report::report(&set)).unwrap();
    expect_test::expect_file!["golden/tracks/portal.json"].assert_eq(&format!("{json}\n"));
}

/// The listing `build-index tracks` prints, then `check`'s diagnostics.
fn listing(name: &str) -> String {
    let c = compile_docs(&fixture(name), Audience::Internal);
    let mut out = report::human(&c.tracks);
    out.push_str("-- check\n");
    for d in &c.diagnostics {
        out.push_str(&format!("{d}\n"));
    }
    out
}

#[test]
fn mdbook_summary_parts_nested_and_draft_chapters() {
    expect_test::expect_file!["golden/tracks/mdbook.txt"].assert_eq(&listing("tracks-mdbook"));
}

#[test]
fn mkdocs_nav_with_sections_nesting_and_external_links() {
    expect_test::expect_file!["golden/tracks/mkdocs.txt"].assert_eq(&listing("tracks-mkdocs"));
}

#[test]
fn docusaurus_sidebar_positions_and_category_files() {
    expect_test::expect_file!["golden/tracks/docusaurus.txt"]
        .assert_eq(&listing("tracks-docusaurus"));
}

#[test]
fn numeric_prefixes_and_front_matter_order_and_weight() {
    expect_test::expect_file!["golden/tracks/prefixes.txt"].assert_eq(&listing("tracks-prefixes"));
}

#[test]
fn a_plain_folder_gets_one_default_track_in_folder_order() {
    expect_test::expect_file!["golden/tracks/plain.txt"].assert_eq(&listing("tracks-plain"));
}

#[test]
fn entries_pointing_at_no_page_are_errors_and_untracked_pages_notes() {
    expect_test::expect_file!["golden/tracks/broken.txt"].assert_eq(&listing("tracks-broken"));
}

/// Every (id → doc) of the track items, and every checklist entry id → text.
fn ids(set: &TrackSet) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let r = report::report(set);
    let items = r
        .tracks
        .iter()
        .flat_map(|t| &t.items)
        .map(|i| (i.id.clone(), i.doc.clone()))
        .collect();
    let entries = r
        .checklists
        .iter()
        .flat_map(|c| &c.items)
        .map(|e| (e.id.clone(), e.text.clone()))
        .collect();
    (items, entries)
}

#[test]
fn ids_survive_reordering_inserting_and_retitling() {
    let before = tracks_of(&fixture("tracks-stability/before"));
    let after = tracks_of(&fixture("tracks-stability/after"));
    let (items_before, entries_before) = ids(&before);
    let (items_after, entries_after) = ids(&after);
    // Every page still there keeps its id (retitled `services.md` and `costs.md` too).
    for (id, doc) in &items_before {
        if doc == "capacity.md" {
            assert!(!items_after.contains_key(id), "capacity.md was deleted");
        } else {
            assert_eq!(items_after.get(id), Some(doc), "{id}");
        }
    }
    assert_eq!(
        items_after.get("tracing").map(String::as_str),
        Some("tracing.md")
    );
    // Entries keep their ids through case, punctuation, reordering and a retitled heading.
    let same = |a: &str, b: &str| tracks::slug(a) == tracks::slug(b);
    for (id, text) in &entries_before {
        match entries_after.values().find(|t| same(t, text)) {
            Some(_) => assert!(entries_after.contains_key(id), "{text}"),
            None => assert!(text.contains("monthly bill"), "{text} disappeared"),
        }
    }
    // The tracks keep their ids, so `#/tracks/<id>` links still work.
    let track_ids = |s: &TrackSet| s.tracks.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
    assert_eq!(track_ids(&before), track_ids(&after));

    // A reader who read and ticked everything before the edit...
    let mut progress = Progress::default();
    for p in &before.pages {
        progress.mark_read(&p.path, &p.sections, 1);
    }
    for e in before.checklists.iter().flat_map(|c| &c.items) {
        progress.set_check(&e.id, true, 1);
    }
    // ...still has every page that exists, and only the inserted page is left to read.
    let start = &after.tracks[0];
    let p = track_progress(&after, start, &progress);
    assert_eq!((p.done, p.total), (3, 4));
    let next = p.next.and_then(|i| start.items.get(i)).unwrap();
    assert_eq!(next.id, "tracing");
    assert_eq!(track_progress(&after, &after.tracks[1], &progress).done, 1);
    let ticked = after.checklists[0]
        .items
        .iter()
        .filter(|e| progress.is_checked(e))
        .count();
    assert_eq!(ticked, 3, "all but the new entry");
    // The deleted page's mark and the dropped entry's tick stay stored, and come back with them.
    assert!(progress.is_read("capacity.md"));
    let back = track_progress(&before, &before.tracks[1], &progress);
    assert_eq!((back.done, back.total), (2, 2));
    assert!(before.checklists[0]
        .items
        .iter()
        .all(|e| progress.is_checked(e)));
}

#[test]
fn an_edited_page_shows_which_sections_changed_since_it_was_read() {
    let before = tracks_of(&fixture("tracks-stability/before"));
    let after = tracks_of(&fixture("tracks-stability/after"));
    let mut progress = Progress::default();
    for p in &before.pages {
        progress.mark_read(&p.path, &p.sections, 1);
    }
    let status = |set: &TrackSet, path: &str| {
        let page = set.page_by_path(path).unwrap();
        tracks::page_status(&progress, path, &page.sections)
    };
    assert_eq!(status(&before, "deploys.md"), tracks::PageStatus::Read);
    assert_eq!(
        status(&after, "deploys.md"),
        tracks::PageStatus::Read,
        "untouched"
    );
    // services.md was retitled ("Service map"): its lead and details sections changed.
    match status(&after, "services.md") {
        tracks::PageStatus::Updated { changed, removed } => {
            assert!(changed.contains(&"details".to_string()), "{changed:?}");
            assert!(removed.is_empty() || removed.iter().all(|r| !changed.contains(r)));
        }
        other => panic!("services.md: {other:?}"),
    }
}

#[test]
fn a_public_build_leaves_internal_pages_out_of_every_track() {
    let dir = tempfile::tempdir().unwrap();
    let w = |p: &str, t: &str| {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, t).unwrap();
    };
    w(
        "README.md",
        "# Home\n\n## Reading order\n\n1. [Open](open.md)\n2. [Secret](internal/secret.md)\n\n- [ ] Read the open page\n",
    );
    w(
        "open.md",
        "# Open\n\nSee [the secret](internal/secret.md).\n",
    );
    w(
        "internal/secret.md",
        "# Secret rota\n\n- [ ] Never in public\n",
    );
    let public = tracks_of(dir.path());
    let encoded = tracks::encode(&public);
    for needle in ["secret", "Secret", "Never in public"] {
        assert!(
            !contains(&encoded, needle),
            "{needle} in a public tracks.bin"
        );
    }
    assert_eq!(public.tracks[0].items.len(), 1);
    let internal = compile_docs(dir.path(), Audience::Internal).tracks;
    assert_eq!(internal.tracks[0].items.len(), 2);
    assert!(internal
        .checklists
        .iter()
        .any(|c| c.id == "internal/secret#secret-rota"));
}
