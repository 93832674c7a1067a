//! Each tool's dialect, end to end: the fixtures in `tests/fixtures/dialects/` hold one
//! example of every class of link `check` once called broken on public mdBook, MkDocs and
//! Docusaurus sites although the tool serves it, plus one link that is really broken. `check`
//! must report exactly that one; read as plain Markdown the same folder reports the rest, so
//! each class is pinned by the dialect, not by luck. The built sites show the dialect's
//! syntax as the tool does (includes expanded, hidden lines and MDX code left out).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::{Path, PathBuf};

use common::{bin, repo, run};

/// The compiled site of `docs`, through the library (the pages' HTML, the carried files).
fn compile(docs: &Path) -> build_index::Compiled {
    build_index::compile(&build_index::Options {
        docs: docs.to_path_buf(),
        audience: docatlas_core::Audience::Public,
        progress: false,
    })
    .unwrap()
}

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/dialects").join(name)
}

/// `check --json` of `docs`: its error messages (with their `path:line`) and its stderr.
fn errors(docs: &Path) -> (Vec<String>, String) {
    let (_, stdout, stderr) = run(bin().arg("check").arg(docs).arg("--json"));
    let errors = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            format!(
                "{}:{}: {}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    (errors, stderr)
}

/// A copy of a fixture (the whole tree, so a tool's config above the docs folder comes along).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The same docs read as plain Markdown: the errors the dialect's rules take away.
fn errors_as_plain(name: &str, docs: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(name), dir.path());
    let docs = dir.path().join(docs);
    std::fs::write(docs.join("docatlas.toml"), "dialect = \"plain\"\n").unwrap();
    errors(&docs).0
}

/// Builds `docs` and returns the site folder (kept alive by the returned guard).
fn build(docs: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let (out, _, stderr) = run(bin()
        .arg("build")
        .arg(docs)
        .arg("--out")
        .arg(&site)
        .arg("--quiet"));
    assert!(out.status.success(), "{stderr}");
    (dir, site)
}

/// The pages (`doc` paths) a search finds.
fn search(site: &Path, query: &str) -> Vec<String> {
    let (out, stdout, stderr) = run(bin().arg("search").arg(site).arg(query).arg("--json"));
    assert!(out.status.success(), "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["doc"].as_str().unwrap().to_string())
        .collect()
}

/// The track titles and each track's (page, title) items.
fn tracks(site: &Path) -> Vec<(String, Vec<(String, String)>)> {
    let (_, stdout, _) = run(bin().arg("tracks").arg(site).arg("--json"));
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    v["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let items = t["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    (
                        i["doc"].as_str().unwrap().to_string(),
                        i["title"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            (t["title"].as_str().unwrap().to_string(), items)
        })
        .collect()
}

#[test]
fn mdbook_html_chapters_index_html_and_a_ids_resolve_and_includes_expand() {
    let docs = fixture("mdbook/src");
    let (errs, stderr) = errors(&docs);
    assert_eq!(
        errs,
        ["README.md:6: broken link `unwritten.html`: `unwritten.html` does not exist in the docs folder; fix the path or remove the link"],
        "{stderr}"
    );
    assert!(
        stderr.contains("read as mdbook (from ../book.toml)"),
        "{stderr}"
    );
    // `setup.html`, `tools/index.html`, `listing.html#…`, `index.html#…` and
    // `../setup.html#…` are each an error when read as plain Markdown, beside the real one
    // (`#old-rope-check`, an `<a id>`, resolves in any dialect).
    assert_eq!(errors_as_plain("mdbook", "src").len(), 6);

    let (_dir, site) = build(&docs);
    assert_eq!(
        search(&site, "spare_berths"),
        ["listing.md"],
        "the included anchor's lines"
    );
    assert!(
        search(&site, "quayside_helper").is_empty(),
        "a hidden `# ` line is not indexed"
    );
    assert!(
        search(&site, "ANCHOR_END").is_empty(),
        "anchor markers never show"
    );
    assert!(
        search(&site, "rustdoc_include").is_empty(),
        "directives do not show as written"
    );
    let t = tracks(&site);
    assert_eq!(t.len(), 1);
    // The page without a `#` heading is titled by its SUMMARY.md entry, not its file name.
    assert!(
        t[0].1
            .contains(&("setup.md".into(), "Getting the boat ready".into())),
        "{t:?}"
    );
    assert_eq!(
        search(&site, "getting the boat ready")
            .first()
            .map(String::as_str),
        Some("setup.md")
    );
}

#[test]
fn mkdocs_slugs_attribute_lists_footnotes_tabs_snippets_and_shortcodes_resolve() {
    let docs = fixture("mkdocs/docs");
    let (errs, stderr) = errors(&docs);
    assert_eq!(errs.len(), 1, "{errs:#?}\n{stderr}");
    assert!(
        errs[0].starts_with("index.md:11: broken anchor `#polishing-brass`"),
        "{errs:?}"
    );
    assert!(
        stderr.contains("read as mkdocs (from ../mkdocs.yml)"),
        "{stderr}"
    );
    // Python-Markdown's slug and `_1`, `seasons--winter`, the URLs `guide/lens/` and
    // `../lamp/`, the two shortcode ids and the heading a `--8<--` snippet brings are MkDocs'
    // own (attribute lists `{ #id }`, `#fn:1` and a fence's `#wipe-command` resolve in plain
    // Markdown too).
    assert_eq!(errors_as_plain("mkdocs", "docs").len(), 9);

    let compiled = compile(&docs);
    let html = |path: &str| {
        let doc = compiled.bundle.docs.iter().find(|d| d.path == path);
        doc.map(|d| d.html.clone()).unwrap_or_default()
    };
    // The snippet's section, not its other lines or markers; the escaped directive as written.
    let lens = html("guide/lens.md");
    assert!(lens.contains("id=\"storm-watch\""), "{lens}");
    assert!(
        !lens.contains("Intro lines") && !lens.contains("[start:"),
        "{lens}"
    );
    assert!(
        lens.contains("--8&lt;-- &quot;weather.md&quot;")
            || lens.contains("--8&lt;-- \"weather.md\""),
        "{lens}"
    );
    assert!(!lens.contains(";--8"), "{lens}");
    // `auto_append`'s reference definitions serve every page's reference links.
    assert!(
        html("index.md").contains("href=\"#/doc/guide/lens.md#wipe-command\""),
        "{}",
        html("index.md")
    );

    let (_dir, site) = build(&docs);
    // The nav of the mkdocs.yml one level up: the home page, then one track per section.
    let t = tracks(&site);
    let titles: Vec<&str> = t.iter().map(|(title, _)| title.as_str()).collect();
    assert_eq!(
        titles,
        ["Lighthouse manual", "Keeping the light", "Reference"],
        "{t:?}"
    );
    // An admonition's and a tab's indented content is prose, not code.
    assert_eq!(search(&site, "mantle"), ["guide/lamp.md"]);
    assert_eq!(search(&site, "\"fill the tank twice\""), ["guide/lamp.md"]);
}

#[test]
fn docusaurus_urls_ids_versions_static_files_and_mdx_pages_resolve() {
    let docs = fixture("docusaurus/docs");
    let (errs, stderr) = errors(&docs);
    assert_eq!(
        errs,
        ["intro.mdx:35: broken link `/docs/nowhere`: `docs/nowhere` does not exist in the docs folder; fix the path or remove the link"],
        "{stderr}"
    );
    assert!(
        stderr.contains("checked 4 pages"),
        "the .mdx page is read, the partial is not: {stderr}"
    );
    assert!(
        stderr.contains("read as docusaurus (from ../website/docusaurus.config.js)"),
        "{stderr}"
    );
    // `/docs/guides/locks#…`, `guides/locks`, `/docs/next/…`, `/docs/2.0/…`, `/img/lock.gif`,
    // `/versions`, the blog post, `/docs/welcome` twice, `api/paddles.md` from the docs
    // root, and the headings of two partials the guides page renders (one imported by a
    // statement Prettier split over two lines, one through a JSX module's component); read
    // as plain Markdown, the partial is a page and its link counts too.
    assert_eq!(errors_as_plain("docusaurus", "docs").len(), 14);

    let (_dir, site) = build(&docs);
    assert_eq!(
        search(&site, "narrowboat"),
        ["intro.mdx"],
        "a tab's label and content"
    );
    assert_eq!(
        search(&site, "\"before the first lock\""),
        ["intro.mdx"],
        "an admonition's title"
    );
    for hidden in ["LockDiagram", "deckhands", "reviewers", "TabItem", "@theme"] {
        assert!(
            search(&site, hidden).is_empty(),
            "MDX code `{hidden}` is not indexed"
        );
    }
    // `sidebars.js` orders the tracks: the sidebar's own docs, then one per category, its
    // link doc first; item labels, else `sidebar_label`. The autogenerated `api` folder is
    // left out of it (said once, as a note), and an id naming no page is a warning.
    let t = tracks(&site);
    assert_eq!(
        t,
        [
            (
                "Canal".to_string(),
                vec![("intro.mdx".to_string(), "Start here".to_string())]
            ),
            (
                "Working the canal".to_string(),
                vec![
                    ("guides/index.md".to_string(), "Guides".to_string()),
                    ("guides/02-locks.md".to_string(), "Locks".to_string()),
                ]
            ),
        ]
    );
    let (_, text, _) = run(bin().arg("check").arg(&docs));
    assert!(
        text.contains(
            "../website/sidebars.js:11:9: warning: sidebar doc `guides/swing-bridges` is no page"
        ) && text.contains("an `autogenerated` item (1)"),
        "{text}"
    );
    // `/img/lock.gif` and `pathname:///img/lock.gif` are the static folder's file, carried
    // under `static/` and linked there.
    assert_eq!(
        std::fs::read(site.join("static/img/lock.gif")).unwrap(),
        std::fs::read(fixture("docusaurus/website/static/img/lock.gif")).unwrap()
    );
    let compiled = compile(&docs);
    assert_eq!(
        compiled
            .static_files
            .iter()
            .map(|(u, _)| u.as_str())
            .collect::<Vec<_>>(),
        ["img/lock.gif"]
    );
    for page in ["intro.mdx", "api/paddles.md"] {
        let doc = compiled
            .bundle
            .docs
            .iter()
            .find(|d| d.path == page)
            .unwrap();
        assert!(
            doc.html.contains("href=\"static/img/lock.gif\""),
            "{page}: {}",
            doc.html
        );
    }
}

#[test]
fn mdx_pages_are_read_when_include_names_them_and_a_folder_link_is_no_error() {
    let (errs, stderr) = errors(&fixture("plain"));
    assert!(stderr.contains("checked 1 page:"), "{stderr}");
    assert_eq!(
        errs.len(),
        1,
        "only the missing page, not the folder: {errs:?}"
    );
    assert!(errs[0].contains("`gone.mdx`"), "{errs:?}");
}

#[test]
fn an_unknown_dialect_in_docatlas_toml_says_which_are_known() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "# A\n").unwrap();
    std::fs::write(dir.path().join("docatlas.toml"), "dialect = \"sphinx\"\n").unwrap();
    let (out, _, stderr) = run(bin().arg("check").arg(dir.path()));
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("unknown dialect `sphinx`")
            && stderr.contains("mdbook, mkdocs, docusaurus, plain"),
        "{stderr}"
    );
}

/// GitLab's runbooks link `../.gitlab-ci.yml`, which exists: a hidden path is never read into the
/// site, so such a link is a warning that says why, not "does not exist"; a missing visible file
/// is still an error.
#[test]
fn a_link_to_a_hidden_file_is_a_warning_not_a_broken_link() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path();
    std::fs::create_dir_all(docs.join("alerts")).unwrap();
    std::fs::write(docs.join(".gitlab-ci.yml"), "stages: [test]\n").unwrap();
    std::fs::write(
        docs.join("alerts/README.md"),
        "# Alerts\n\nThe [pipeline](../.gitlab-ci.yml) and the [template](../.gitlab/issue_templates/Bug.md) and the [rules](rules.yml).\n",
    )
    .unwrap();
    let (errs, _) = errors(docs);
    assert_eq!(errs.len(), 1, "only the missing visible file: {errs:?}");
    assert!(errs[0].contains("`rules.yml`"), "{errs:?}");
    let (_, stdout, _) = run(bin().arg("check").arg(docs).arg("--json"));
    let hidden: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("names the hidden path"))
        .collect();
    assert_eq!(hidden.len(), 2, "{stdout}");
    assert!(
        hidden
            .iter()
            .all(|l| l.contains("\"severity\":\"warning\"")),
        "{hidden:?}"
    );
    assert!(hidden[0].contains("alerts/README.md"), "{hidden:?}");
}
