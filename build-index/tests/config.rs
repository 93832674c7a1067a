//! `docatlas.toml`: title, repository links for code references, include/exclude globs, and
//! errors that point at the bad line.
#![cfg(not(target_arch = "wasm32"))]

use build_index::{compile, Options};
use docatlas_core::Audience;

fn docs(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("drafts")).unwrap();
    std::fs::write(
        dir.path().join("README.md"),
        "# Home\n\nSee `src/app/main.rs:7`.\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("drafts/wip.md"), "# Work in progress\n").unwrap();
    std::fs::write(dir.path().join("docatlas.toml"), config).unwrap();
    dir
}

fn build(dir: &tempfile::TempDir) -> Result<build_index::Compiled, build_index::Error> {
    compile(&Options {
        docs: dir.path().to_path_buf(),
        audience: Audience::Public,
        progress: false,
    })
}

#[test]
fn settings_apply() {
    let dir = docs("title = \"Team handbook\"\nrepo_url = \"https://git.example/r/blob/main/{path}#L{line}\"\nexclude = [\"drafts/**\"]\n");
    let c = build(&dir).unwrap();
    assert_eq!(c.bundle.site.title, "Team handbook");
    let paths: Vec<&str> = c.bundle.docs.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["README.md"]);
    assert!(c.bundle.docs[0]
        .html
        .contains("href=\"https://git.example/r/blob/main/src/app/main.rs#L7\""));
}

#[test]
fn include_globs_select_pages() {
    let dir = docs("include = [\"drafts/*.md\"]\n");
    let c = build(&dir).unwrap();
    let paths: Vec<&str> = c.bundle.docs.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["drafts/wip.md"]);
    // Without a title setting, the root README's title would be used; here there is none.
    assert_eq!(c.bundle.site.title, "Docs");
}

#[test]
fn defaults_without_a_config() {
    let dir = docs("");
    let c = build(&dir).unwrap();
    assert_eq!(c.bundle.docs.len(), 2);
    assert_eq!(c.bundle.site.title, "Home", "the root README's title");
    assert!(
        !c.bundle.docs[0].html.contains("<a class=\"coderef\""),
        "no repo_url, no link"
    );
}

#[test]
fn the_site_id_namespaces_reading_progress_and_can_be_pinned() {
    let c = build(&docs("title = \"Team handbook\"\n")).unwrap();
    assert_eq!(c.tracks.site_id, "team-handbook");
    let c = build(&docs(
        "title = \"Renamed handbook\"\nid = \"Team handbook\"\n",
    ))
    .unwrap();
    assert_eq!(
        c.tracks.site_id, "team-handbook",
        "a pinned id survives a retitle"
    );
}

#[test]
fn a_bad_config_names_the_line_and_the_valid_keys() {
    let dir = docs("title = \"ok\"\nrepo = \"typo in the key\"\n");
    let err = build(&dir).unwrap_err().to_string();
    assert!(err.contains("docatlas.toml:2:1: error:"), "{err}");
    assert!(
        err.contains("valid keys are title, id, repo_url, include, exclude"),
        "{err}"
    );
    let dir = docs("exclude = [\"[unclosed\"]\n");
    let err = build(&dir).unwrap_err().to_string();
    assert!(err.contains("bad glob `[unclosed` in `exclude`"), "{err}");
}
