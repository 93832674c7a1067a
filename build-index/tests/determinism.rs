//! The same docs give a byte-identical site from every run of the built binary: in separate
//! processes (each seeds its hash maps anew, which a build inside one test process cannot see)
//! and with any number of rayon threads. Issue 8: a task-list checkbox's attributes came out in
//! a different order from one process to the next.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("build-index sits in the repository")
        .to_path_buf()
}

/// Runs the built `build-index build` in its own process with `threads` rayon threads (`None`:
/// rayon's default) and returns the site folder.
fn build(docs: &Path, audience: &str, threads: Option<&str>) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_build-index"));
    cmd.arg("build")
        .arg(docs)
        .arg("--out")
        .arg(out.path())
        .args(["--audience", audience, "--quiet"])
        .env_remove("RAYON_NUM_THREADS");
    if let Some(n) = threads {
        cmd.env("RAYON_NUM_THREADS", n);
    }
    let result = cmd.output().expect("run build-index");
    assert!(
        result.status.success(),
        "build-index build {} failed: {}",
        docs.display(),
        String::from_utf8_lossy(&result.stderr)
    );
    out
}

/// Every file under `dir`, site-relative with `/`, sorted, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read site folder") {
            let path = entry.expect("read site entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("under the site")
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((rel, std::fs::read(&path).expect("read site file")));
            }
        }
    }
    out.sort();
    out
}

/// Asserts two sites hold the same files with the same bytes; names the first difference.
fn assert_same_site(a: &Path, b: &Path, what: &str) {
    let (fa, fb) = (files(a), files(b));
    let names = |f: &[(String, Vec<u8>)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&fa), names(&fb), "{what}: different files");
    assert!(
        fa.iter().any(|(n, _)| n == "docatlas.bin")
            && fa.iter().any(|(n, _)| n.contains("/page/"))
            && fa.iter().any(|(n, _)| n.contains("/index/")),
        "{what}: not a site: {:?}",
        names(&fa)
    );
    for ((name, x), (_, y)) in fa.iter().zip(&fb) {
        if x != y {
            // Data files start with a header whose checksum differs whenever anything does:
            // show the first difference after it.
            let header = if name.ends_with(".bin") { 26 } else { 0 };
            let differs = |from: usize| {
                x.iter()
                    .zip(y)
                    .skip(from)
                    .position(|(p, q)| p != q)
                    .map(|i| i + from)
            };
            let at = differs(header)
                .or_else(|| differs(0))
                .unwrap_or(x.len().min(y.len()));
            let around = |v: &[u8]| {
                String::from_utf8_lossy(&v[at.saturating_sub(60)..(at + 60).min(v.len())])
                    .into_owned()
            };
            panic!(
                "{what}: {name} differs at byte {at}:\n  {:?}\n  {:?}",
                around(x),
                around(y)
            );
        }
    }
}

#[test]
fn two_processes_of_the_built_binary_write_byte_identical_sites() {
    // The portal has task lists (the checkbox that once varied), tables, code and internal pages.
    let portal = repo().join("examples/portal");
    for audience in ["public", "internal"] {
        let first = build(&portal, audience, None);
        let second = build(&portal, audience, None);
        assert_same_site(
            first.path(),
            second.path(),
            &format!("{audience} build, two processes"),
        );
    }
}

#[test]
fn the_number_of_rayon_threads_does_not_change_a_byte() {
    for (docs, audience) in [
        (repo().join("examples/portal"), "internal"),
        // Mojibake, Latin-1, unclosed front matter, broken links, a binary file.
        (repo().join("tests/fixtures/broken"), "internal"),
    ] {
        let one = build(&docs, audience, Some("1"));
        let many = build(&docs, audience, Some("7"));
        assert_same_site(
            one.path(),
            many.path(),
            &format!("{}: 1 thread against 7", docs.display()),
        );
    }
}

#[test]
fn check_reports_the_same_diagnostics_in_the_same_order_with_any_thread_count() {
    let docs = repo().join("tests/fixtures/broken");
    let run = |threads: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_build-index"))
            .args(["check", "--json"])
            .arg(&docs)
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .expect("run build-index check");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let one = run("1");
    assert!(
        one.lines().count() >= 3,
        "the fixture has diagnostics: {one}"
    );
    assert_eq!(one, run("7"));
}

/// Pages are counted in parallel in batches of `index::BATCH` (64) and added in order while the
/// next batch is counted: a folder of several batches, whose words recur across batches (so the
/// order terms are first met in decides their ids), must come out the same from separate
/// processes and with any thread count.
#[test]
fn several_index_batches_give_the_same_site_with_any_thread_count() {
    let docs = tempfile::tempdir().expect("tempdir");
    let words = [
        "refund",
        "webhook",
        "ledger",
        "orders",
        "Zahlung",
        "Rechnungsadresse",
        "latency",
        "runbook",
        "rollback",
        "kafka",
        "postgres",
        "invoice",
        "tenant",
        "quota",
    ];
    for i in 0..200usize {
        let dir = docs.path().join(format!("area{}", i % 7));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let pick = |k: usize| words[(i * 7 + k * 3) % words.len()];
        let lang = if i % 5 == 0 { "lang: de\n" } else { "" };
        let body = format!(
            "---\ntitle: Page {i} {}\n{lang}---\n\n# Page {i}\n\nThe {} and the {} of page {i}.\n\n## {} notes\n\n{} {} {}-{} `--flag-{}`.\n",
            pick(0), pick(1), pick(2), pick(3), pick(4), pick(5), pick(6), pick(7), i % 11
        );
        std::fs::write(dir.join(format!("p{i:03}.md")), body).expect("write page");
    }
    let one = build(docs.path(), "public", Some("1"));
    let many = build(docs.path(), "public", Some("7"));
    let again = build(docs.path(), "public", None);
    assert!(
        files(one.path()).iter().any(|(n, _)| n.contains("/index/")),
        "the generated folder built a search index"
    );
    assert_same_site(one.path(), many.path(), "200 pages: 1 thread against 7");
    assert_same_site(one.path(), again.path(), "200 pages: two processes");
}
