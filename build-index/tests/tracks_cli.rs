//! `build-index tracks` and the tracks' diagnostics as users' scripts see them: the JSON
//! contract, the listing, notes in `check` but not in `build`, and errors that say what to do.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

mod common;

use common::{bin, repo, run};

fn build(docs: &Path) -> (tempfile::TempDir, String) {
    let site = tempfile::tempdir().unwrap();
    let (out, _, stderr) = run(bin().arg("build").arg(docs).arg("--out").arg(site.path()));
    assert!(out.status.success(), "{stderr}");
    (site, stderr)
}

#[test]
fn tracks_json_has_exactly_the_contract_shape() {
    let (site, build_output) = build(&repo().join("examples/portal"));
    assert!(
        !build_output.contains(": note:"),
        "build leaves notes to check: {build_output}"
    );
    let (out, stdout, stderr) = run(bin().arg("tracks").arg(site.path()).arg("--json"));
    assert!(out.status.success(), "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object().unwrap().keys().cloned().collect::<Vec<_>>()
    };
    let mut top = keys(&v);
    top.sort();
    assert_eq!(top, ["checklists", "tracks"]);
    let track = &v["tracks"][0];
    let mut k = keys(track);
    k.sort();
    assert_eq!(k, ["id", "items", "title"]);
    assert_eq!(track["title"], "Short on time? Read these first");
    let item = &track["items"][0];
    let mut k = keys(item);
    k.sort();
    assert_eq!(k, ["doc", "id", "minutes", "title"]);
    assert_eq!(item["doc"], "engineering/stack.md");
    assert_eq!(item["minutes"], 6);
    let checklist = &v["checklists"][0];
    let mut k = keys(checklist);
    k.sort();
    assert_eq!(k, ["doc", "id", "items", "title"]);
    assert_eq!(checklist["doc"], "README.md");
    let entry = &checklist["items"][0];
    let mut k = keys(entry);
    k.sort();
    assert_eq!(k, ["id", "text"]);
    assert_eq!(
        entry["text"],
        "Where the Kestrel repositories live and how to get read access."
    );

    // The listing names each track's route, pages, minutes and where it comes from.
    let (out, stdout, _) = run(bin().arg("tracks").arg(site.path()));
    assert!(out.status.success());
    assert!(
        stdout.contains("#/tracks/short-on-time-read-these-first · 6 pages, 29 min · reading order in README.md"),
        "{stdout}"
    );
    assert!(
        stdout.contains("    1. Stack (6 min)  engineering/stack.md"),
        "{stdout}"
    );
    // The site's docatlas.bin works as the argument too, like `search`.
    let (out, _, _) = run(bin().arg("tracks").arg(site.path().join("docatlas.bin")));
    assert!(out.status.success());
}

#[test]
fn check_lists_untracked_pages_as_notes_and_fails_on_missing_entries() {
    let (out, stdout, stderr) = run(bin().arg("check").arg(repo().join("examples/portal")));
    assert!(out.status.success(), "notes never fail check: {stderr}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("glossary.md:1:1: note: page is in no reading track")),
        "{stdout}"
    );
    assert!(
        !stdout.contains("engineering/stack.md:1:1: note"),
        "tracked pages are not noted"
    );
    assert!(
        stderr.contains("0 errors") && stderr.contains(" notes"),
        "{stderr}"
    );

    let (out, stdout, _) = run(bin()
        .arg("check")
        .arg("--json")
        .arg(repo().join("tests/fixtures/tracks-broken")));
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let find = |path: &str, severity: &str| {
        lines
            .iter()
            .find(|d| d["path"] == path && d["severity"] == severity)
            .unwrap_or_else(|| panic!("no {severity} for {path} in {stdout}"))
    };
    let nav = find("mkdocs.yml", "error");
    assert_eq!(
        (nav["line"].as_u64(), nav["col"].as_u64()),
        (Some(5), Some(14))
    );
    assert!(nav["message"]
        .as_str()
        .unwrap()
        .contains("nav entry `nowhere/missing.md` points at no page"));
    assert_eq!(find("README.md", "error")["line"], 6);
    find("orphan.md", "note");
}

#[test]
fn a_site_without_tracks_bin_says_how_to_fix_it() {
    let (site, _) = build(&repo().join("tests/fixtures/tracks-plain"));
    std::fs::remove_file(build_index::site::data_path(site.path(), "tracks.bin").unwrap()).unwrap();
    let (out, _, stderr) = run(bin().arg("tracks").arg(site.path()));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("tracks.bin not found"), "{stderr}");
    assert!(
        stderr.contains("rebuild it with `build-index build DOCS --out"),
        "{stderr}"
    );

    let (site, _) = build(&repo().join("tests/fixtures/tracks-plain"));
    let path = build_index::site::data_path(site.path(), "tracks.bin").unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x55;
    std::fs::write(&path, bytes).unwrap();
    let (out, _, stderr) = run(bin().arg("tracks").arg(site.path()));
    assert_eq!(out.status.code(), Some(2));
    // Site files are stored gzip-compressed: a flipped byte fails the gzip checksum first.
    assert!(
        stderr.contains("tracks.bin") && stderr.contains("corrupt"),
        "{stderr}"
    );
}
