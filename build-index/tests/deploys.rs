//! Rebuilds never mix versions (issue 22): a build killed with SIGKILL at any moment leaves the
//! previous site answering exactly as before, and a finished rebuild keeps the previous build's
//! files (for tabs still open on it) but none older.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::Instant;

use common::{bin, run};

/// A generated docs tree of `pages` pages; `edition` changes a word on every page.
fn corpus(dir: &Path, pages: usize, edition: &str) {
    for i in 0..pages {
        let folder = dir.join(format!("area{}", i % 17));
        std::fs::create_dir_all(&folder).unwrap();
        let text = format!(
            "# Service {i} handbook\n\nThe {edition} release of service {i} talks to queue {q} and table {t}.\n\n\
             ## Runbook\n\nWhen latency grows, drain queue {q}, check table {t} and page the owner of service {i}.\n\n\
             ## Notes\n\nShared words: refund webhook ledger settlement {edition}.\n",
            q = i % 31,
            t = i % 23,
        );
        std::fs::write(folder.join(format!("service-{i}.md")), text).unwrap();
    }
}

const QUERIES: &str =
    "refund webhook\nqueue 7\ntable 11 runbook\nservice 42 handbook\nsettlement\n";

/// Every answer of the fixed queries, as `build-index search --queries --json` prints them.
fn answers(site: &Path, queries: &Path) -> String {
    let (out, stdout, stderr) = run(bin()
        .arg("search")
        .arg(site)
        .arg("--queries")
        .arg(queries)
        .args(["--json", "--limit", "50"]));
    assert!(out.status.success(), "{stderr}");
    stdout
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_site_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let (old_docs, new_docs, site) = (
        tmp.path().join("old"),
        tmp.path().join("new"),
        tmp.path().join("site"),
    );
    corpus(&old_docs, 1500, "first");
    corpus(&new_docs, 1500, "second");
    let queries = tmp.path().join("queries.txt");
    std::fs::write(&queries, QUERIES).unwrap();
    let (out, _, stderr) = run(bin()
        .args(["build", "--quiet"])
        .arg(&old_docs)
        .arg("--out")
        .arg(&site));
    assert!(out.status.success(), "{stderr}");
    let before = answers(&site, &queries);
    assert!(before.contains("\"total\""), "{before}");
    // The new docs' answers, from a site of their own.
    let elsewhere = tmp.path().join("new-site");
    let (out, _, _) = run(bin()
        .args(["build", "--quiet"])
        .arg(&new_docs)
        .arg("--out")
        .arg(&elsewhere));
    assert!(out.status.success());
    let after = answers(&elsewhere, &queries);
    assert_ne!(before, after);

    // How long a full rebuild takes here, to spread the kills over it.
    let start = Instant::now();
    let (out, _, _) = run(bin()
        .args(["build", "--quiet"])
        .arg(&old_docs)
        .arg("--out")
        .arg(&site));
    assert!(out.status.success());
    let full = start.elapsed();
    assert_eq!(
        answers(&site, &queries),
        before,
        "an identical rebuild answers the same"
    );

    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for round in 0..20 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let at = full.mul_f64((seed % 1000) as f64 / 1000.0);
        let mut child = bin()
            .args(["build", "--quiet"])
            .arg(&new_docs)
            .arg("--out")
            .arg(&site)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        let now = answers(&site, &queries);
        // Killed once the head was replaced (or finished first): the new site, whole.
        if now == after {
            eprintln!("round {round}: the build had switched the site after {at:?}");
            break;
        }
        assert!(
            !status.success(),
            "round {round}: a finished build must show the new docs"
        );
        assert_eq!(
            now, before,
            "round {round}: killed after {at:?} of {full:?}, the site is neither old nor new"
        );
    }
}

#[test]
fn a_rebuild_keeps_the_previous_build_and_removes_older_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let data_dirs = || -> Vec<String> {
        let mut d: Vec<String> = std::fs::read_dir(site.join("data"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        d.sort();
        d
    };
    let mut seen = Vec::new();
    for edition in ["one", "two", "three"] {
        let docs = tmp.path().join(edition);
        corpus(&docs, 12, edition);
        let (out, _, stderr) = run(bin()
            .args(["build", "--quiet"])
            .arg(&docs)
            .arg("--out")
            .arg(&site));
        assert!(out.status.success(), "{stderr}");
        let dirs = data_dirs();
        let new: Vec<&String> = dirs.iter().filter(|d| !seen.contains(*d)).collect();
        assert_eq!(new.len(), 1, "one new data folder per build: {dirs:?}");
        seen.push(new[0].clone());
        // This build's and the previous one's, no older.
        let want: Vec<&String> = seen.iter().rev().take(2).collect();
        assert_eq!(dirs.len(), want.len(), "{dirs:?} after building {edition}");
        assert!(want.iter().all(|w| dirs.contains(w)));
    }
    // The same docs again: the same folder, nothing new.
    let docs = tmp.path().join("three");
    let (out, _, _) = run(bin()
        .args(["build", "--quiet"])
        .arg(&docs)
        .arg("--out")
        .arg(&site));
    assert!(out.status.success());
    assert!(data_dirs().contains(seen.last().unwrap()));
}
