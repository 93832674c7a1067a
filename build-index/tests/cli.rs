//! The command line as users' scripts see it: exit codes, diagnostics format, JSON shapes.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{bin, repo, run};

#[test]
fn check_passes_on_the_example_portal() {
    let (out, stdout, stderr) = run(bin().arg("check").arg(repo().join("examples/portal")));
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stderr.contains("0 errors"), "{stderr}");
}

#[test]
fn check_fails_with_compiler_style_diagnostics_on_broken_docs() {
    let (out, stdout, stderr) = run(bin().arg("check").arg(repo().join("tests/fixtures/broken")));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    let expect = [
        "index.md:3:20: error: broken link `nowhere.md`",
        "index.md:4:1: error: broken anchor `#no-such-heading`",
        "index.md:6:23: warning: gap marker {{TBD}}",
        "sub/page.md:3:1: error: invalid YAML in front matter: did not find expected ',' or ']', while parsing a flow sequence;",
        "unclosed.md:1:1: error: front matter opened with `---` on line 1 is never closed",
        "latin1.md:3:3: warning: file is not valid UTF-8",
        "sub/dup.md:1:1: warning: title `Broken on purpose` is also the title of `index.md`",
        "blob.md:1:1: warning: not a text file (it contains NUL bytes), so it is skipped",
    ];
    for e in expect {
        assert!(
            stdout.lines().any(|l| l.starts_with(e)),
            "missing `{e}` in:\n{stdout}"
        );
    }
    assert!(
        !stdout.contains("#details"),
        "a valid anchor is not reported"
    );
    assert!(stderr.contains("4 errors"), "{stderr}");
}

#[test]
fn build_still_builds_broken_docs_and_search_prints_the_json_contract() {
    let site = tempfile::tempdir().unwrap();
    let (out, _, stderr) = run(bin()
        .arg("build")
        .arg(repo().join("tests/fixtures/broken"))
        .arg("--out")
        .arg(site.path()));
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("error: broken link"),
        "build prints diagnostics too: {stderr}"
    );
    assert!(site.path().join("index.html").is_file());

    let (out, stdout, stderr) = run(bin()
        .arg("search")
        .arg(site.path())
        .arg("Straße")
        .arg("--json"));
    assert!(out.status.success(), "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(v["query"], "Straße");
    assert!(v["total"].as_u64().unwrap() >= 1);
    let hit = &v["hits"][0];
    assert_eq!(hit["doc"], "latin1.md");
    assert!(hit["anchor"].is_string() || hit["anchor"].is_null());
    assert_eq!(hit["title"], "Latin-1 page");
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    assert!(hit["snippet"].as_str().unwrap().contains("Straße"));
}

#[test]
fn search_limit_and_a_wrong_version_bundle() {
    let site = tempfile::tempdir().unwrap();
    let (out, _, stderr) = run(bin()
        .arg("build")
        .arg(repo().join("examples/portal"))
        .arg("--out")
        .arg(site.path())
        .arg("--quiet"));
    assert!(out.status.success(), "{stderr}");
    let (_, stdout, _) = run(bin()
        .args(["search", "--json", "--limit", "2"])
        .arg(site.path())
        .arg("refund"));
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["hits"].as_array().unwrap().len(), 2);
    assert!(v["total"].as_u64().unwrap() > 2);

    let queries = site.path().join("queries.txt");
    std::fs::write(&queries, "refund\n\nPOST /api/v1/bookings\n").unwrap();
    let (out, stdout, stderr) = run(bin()
        .args(["search", "--json", "--queries"])
        .arg(&queries)
        .arg(site.path()));
    assert!(out.status.success(), "{stderr}");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "blank lines are skipped: {stdout}");
    assert_eq!(lines[1]["query"], "POST /api/v1/bookings");
    assert_eq!(lines[1]["hits"][0]["doc"], "catalog/routes.md");

    // The head is stored gzip-compressed; a plain file is read as well (a host may have
    // decoded it), so the mutated head is written plain.
    let bin_path = site.path().join("docatlas.bin");
    let mut bytes = build_index::site::read_file(site.path(), "docatlas.bin").unwrap();
    bytes[8] = 99;
    std::fs::write(&bin_path, &bytes).unwrap();
    let (out, _, stderr) = run(bin().arg("search").arg(site.path()).arg("refund"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains(&format!(
            "bundle format version 99, but this docatlas reads version {}",
            docatlas_core::FORMAT_VERSION
        )),
        "{stderr}"
    );
}

#[test]
fn missing_docs_folder_is_a_clear_error() {
    let (out, _, stderr) = run(bin().args(["check", "/no/such/folder"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("docs folder /no/such/folder not found"),
        "{stderr}"
    );
}

/// Every file under `dir`, relative to it, sorted, with its bytes.
fn tree(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Builds the example portal into `out`, which must succeed.
fn build_portal(out: &std::path::Path) {
    let (output, _, stderr) = run(bin()
        .arg("build")
        .arg("-q")
        .arg(repo().join("examples/portal"))
        .arg("--out")
        .arg(out));
    assert!(output.status.success(), "{stderr}");
}

#[test]
fn building_over_an_earlier_site_leaves_exactly_a_fresh_build() {
    let fresh = tempfile::tempdir().unwrap();
    build_portal(fresh.path());

    // An earlier site with files this build does not make (as an internal build's would be).
    let site = tempfile::tempdir().unwrap();
    build_portal(site.path());
    std::fs::write(site.path().join("stale.bin"), b"old").unwrap();
    std::fs::create_dir_all(site.path().join("text/old")).unwrap();
    std::fs::write(site.path().join("text/old/9999-0.bin"), b"old").unwrap();
    build_portal(site.path());

    let rebuilt = tree(site.path());
    assert!(!rebuilt.is_empty());
    assert_eq!(
        rebuilt.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        tree(fresh.path())
            .iter()
            .map(|(n, _)| n)
            .collect::<Vec<_>>(),
        "a rebuild holds exactly a fresh build's files: no old file, no leftover folder"
    );
    assert!(rebuilt == tree(fresh.path()), "and the same bytes");
}

#[test]
fn building_into_a_folder_that_is_not_a_site_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), b"mine").unwrap();
    let (out, _, stderr) = run(bin()
        .arg("build")
        .arg("-q")
        .arg(repo().join("examples/portal"))
        .arg("--out")
        .arg(dir.path()));
    assert!(!out.status.success(), "{stderr}");
    assert_eq!(
        tree(dir.path()),
        vec![("notes.txt".to_string(), b"mine".to_vec())]
    );
}

#[test]
fn a_docs_path_that_is_a_file_says_so_and_names_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("README.md");
    std::fs::write(&file, "# Readme\n").unwrap();
    let (out, _, stderr) = run(bin().arg("check").arg(&file));
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{} is a file, not a folder: pass the folder that holds your Markdown ({})",
            file.display(),
            dir.path().display()
        )),
        "{stderr}"
    );
}

#[test]
fn an_empty_docs_folder_warns_with_the_patterns_used_and_hidden_pages_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("..notes.md"), "# Notes\n").unwrap();
    std::fs::write(dir.path().join("logo.png"), "png").unwrap();
    let (out, stdout, stderr) = run(bin().arg("check").arg(dir.path()));
    assert!(
        out.status.success(),
        "a warning does not fail check: {stderr}"
    );
    assert!(
        stdout.contains(".:1:1: warning: no Markdown pages found (looked for every `*.md`, `*.mdx` and `*.markdown` file, in 1 other file(s)); 1 hidden Markdown file(s) skipped, such as `..notes.md`"),
        "{stdout}"
    );
    assert!(
        stderr.contains(
            "skipped 1 hidden Markdown file (names starting with `.` are hidden): ..notes.md"
        ),
        "{stderr}"
    );
}

#[test]
fn a_flood_of_one_warning_prints_twenty_and_a_count_and_json_keeps_all() {
    let dir = tempfile::tempdir().unwrap();
    let mut table = String::from("# Catalog\n\n| Service | Owner |\n|---|---|\n");
    for i in 0..60 {
        table.push_str(&format!("| svc{i} | team |\n"));
    }
    std::fs::write(dir.path().join("catalog.md"), table).unwrap();
    std::fs::write(dir.path().join("index.md"), "# Home\n\n[gone](gone.md)\n").unwrap();
    let (_, stdout, _) = run(bin().arg("check").arg(dir.path()));
    let runbook = |l: &&str| l.contains("has no runbook");
    assert_eq!(stdout.lines().filter(runbook).count(), 21, "{stdout}");
    assert!(
        stdout.contains("... and 40 more warnings like `service `service:svc0` has no runbook"),
        "{stdout}"
    );
    assert!(
        stdout.contains("index.md:3:1: error: broken link `gone.md`"),
        "the error still shows: {stdout}"
    );
    let (_, json, _) = run(bin().arg("check").arg(dir.path()).arg("--json"));
    assert_eq!(json.lines().filter(runbook).count(), 60);
}

#[test]
fn a_closed_stdout_ends_search_quietly_not_with_a_panic() {
    let site = tempfile::tempdir().unwrap();
    build_portal(site.path());
    let mut child = bin()
        .arg("search")
        .arg(site.path())
        .arg("service")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Closed before the search prints (as `| head -0` would): its first write fails.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn single_file_alone_holds_every_file_and_says_its_size_and_policy() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("portal.html");
    let (out, _, stderr) = run(bin()
        .args(["build", "--quiet", "--single-file"])
        .arg(&file)
        .arg(repo().join("examples/portal")));
    assert!(out.status.success(), "{stderr}");
    // Only the file: no site folder, no temporary file left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["portal.html"]);
    let html = std::fs::read_to_string(&file).unwrap();
    let size = std::fs::metadata(&file).unwrap().len() as f64 / (1024.0 * 1024.0);
    assert!(stderr.contains(&format!("({size:.1} MiB)")), "{stderr}");
    let policy = stderr
        .lines()
        .find_map(|l| {
            l.split_once("Content-Security-Policy (a host serving it needs no looser one): ")
        })
        .unwrap()
        .1;
    assert!(
        html.contains(&format!("content=\"{policy}\"")),
        "the file carries the policy it prints"
    );
    for name in [
        "docatlas.bin",
        "tracks.bin",
        "graph.bin",
        "pages.bin",
        "facets.bin",
    ] {
        // The head beside the page, the rest in the build's data folder.
        let id = if name == "docatlas.bin" {
            format!("id=\"docatlas-file:{name}\"")
        } else {
            format!("/{name}\"")
        };
        assert!(html.contains(&id), "{name} inlined");
    }
    assert!(html.contains("id=\"docatlas-file:docatlas-search-") && html.contains("_bg.wasm.gz\""));
    // Nothing the page would fetch: no src= or href= but the inline icon.
    assert!(
        !html.contains(" src=\""),
        "a script or image that loads from elsewhere"
    );
    assert_eq!(html.matches(" href=\"").count(), 1);
}

#[test]
fn build_needs_out_or_single_file() {
    let (out, _, stderr) = run(bin().arg("build").arg(repo().join("examples/portal")));
    assert!(!out.status.success());
    assert!(
        stderr.contains("--out") && stderr.contains("required"),
        "{stderr}"
    );
}
