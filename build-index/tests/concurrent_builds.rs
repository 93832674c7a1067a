//! Two builds into one output folder, as separate processes: the site is one whole build, and a
//! killed build leaves the folder free for the next.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{bin, run};

/// A docs folder of `pages` pages whose words all carry `tag`, big enough that its build takes
/// a while (two builds started together overlap).
fn docs(dir: &Path, tag: &str, pages: usize) {
    for i in 0..pages {
        let body: String = (0..120)
            .map(|w| format!("{tag}word{} ", (i * 7 + w) % 900))
            .collect();
        std::fs::write(
            dir.join(format!("page{i:04}.md")),
            format!("# {tag} page {i}\n\n{body}\n\n## Section {tag}{i}\n\n{body}\n"),
        )
        .unwrap();
    }
}

/// Every file of a site, by path, without the lock file (it is no part of the site).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                if rel != build_index::lock::LOCK_FILE {
                    out.insert(rel, std::fs::read(&p).unwrap());
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    // The site its head names: a rebuild keeps the previous build's data folder beside it (for
    // tabs still open on it), which is no part of the new site.
    let current = build_index::site::data_path(dir, "tracks.bin").unwrap();
    let current = current
        .parent()
        .unwrap()
        .strip_prefix(dir)
        .unwrap()
        .to_string_lossy()
        .into_owned();
    out.retain(|rel, _| !rel.starts_with("data/") || rel.starts_with(&current));
    out
}

fn build(docs: &Path, out: &Path) {
    let (o, _, stderr) = run(bin().arg("build").arg(docs).arg("--out").arg(out).arg("-q"));
    assert!(o.status.success(), "{stderr}");
}

#[test]
fn two_builds_started_together_leave_one_whole_site_and_the_second_says_it_waits() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    docs(&a, "alpha", 400);
    docs(&b, "beta", 400);
    let (clean_a, clean_b) = (tmp.path().join("clean-a"), tmp.path().join("clean-b"));
    build(&a, &clean_a);
    build(&b, &clean_b);

    let shared = tmp.path().join("shared");
    let spawn = |docs: &Path| {
        bin()
            .arg("build")
            .arg(docs)
            .arg("--out")
            .arg(&shared)
            .arg("-q")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (spawn(&a), spawn(&b));
    let outputs = [
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    ];
    let mut waited = 0;
    for o in &outputs {
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{stderr}");
        if stderr.contains(&format!("waiting for the build of {}", shared.display())) {
            assert!(stderr.contains("by process "), "{stderr}");
            waited += 1;
        }
    }
    assert_eq!(waited, 1, "exactly one build waited for the other");

    let got = tree(&shared);
    assert!(
        got == tree(&clean_a) || got == tree(&clean_b),
        "the folder is byte for byte a clean build of one of the two doc sets"
    );
    // And it answers as that build does: a word of the other set finds nothing.
    let winner_is_b = got == tree(&clean_b);
    let other = if winner_is_b {
        "alphaword5"
    } else {
        "betaword5"
    };
    let (_, stdout, _) = run(bin().arg("search").arg(&shared).arg(other));
    assert!(stdout.contains("0 hits"), "{stdout}");
}

#[test]
fn no_wait_fails_with_exit_2_naming_the_holder_and_a_killed_build_blocks_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let docs_dir = tmp.path().join("docs");
    std::fs::create_dir_all(&docs_dir).unwrap();
    docs(&docs_dir, "gamma", 1500);
    let out = tmp.path().join("site");

    let mut holder = bin()
        .arg("build")
        .arg(&docs_dir)
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The holder writes its id into the lock file once it holds the lock.
    let lock = out.join(build_index::lock::LOCK_FILE);
    let started = Instant::now();
    while std::fs::read_to_string(&lock).unwrap_or_default().trim() != holder.id().to_string() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the build never locked"
        );
        std::thread::sleep(Duration::from_millis(5));
    }

    let (o, _, stderr) = run(bin()
        .arg("build")
        .arg(&docs_dir)
        .arg("--out")
        .arg(&out)
        .arg("--no-wait"));
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the build of {} by process {} is still running",
            out.display(),
            holder.id()
        )),
        "{stderr}"
    );

    holder.kill().unwrap();
    let status = holder.wait().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            status.signal(),
            Some(9),
            "the build was killed while it held the lock"
        );
    }
    #[cfg(not(unix))]
    assert!(!status.success());

    let (o, _, stderr) = run(bin()
        .arg("build")
        .arg(&docs_dir)
        .arg("--out")
        .arg(&out)
        .arg("--no-wait")
        .arg("-q"));
    assert!(
        o.status.success(),
        "a killed build leaves the folder free: {stderr}"
    );
}
