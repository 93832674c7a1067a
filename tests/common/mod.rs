//! Shared helpers for the integration tests: building the example portal and reading sites.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use build_index::{compile, site, Compiled, Options};
use docatlas_core::{Audience, Bundle, Engine, SearchOptions, SearchResults};

/// The bundled example portal.
pub fn portal() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/portal")
}

/// A fixture folder under tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Compiles `docs` for `audience`.
pub fn compile_docs(docs: &Path, audience: Audience) -> Compiled {
    compile(&Options {
        docs: docs.to_path_buf(),
        audience,
        progress: false,
    })
    .expect("compile")
}

/// Compiles and writes a site into a fresh temp dir; returns the compile result and the dir.
pub fn build_site(docs: &Path, audience: Audience) -> (Compiled, tempfile::TempDir) {
    let compiled = compile_docs(docs, audience);
    let dir = tempfile::tempdir().expect("tempdir");
    site::write(&compiled, docs, dir.path()).expect("write site");
    (compiled, dir)
}

/// Every file under `dir`, relative and sorted, with its bytes.
pub fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
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

/// Every file under `dir` as [`files`] gives them, with gzip-compressed data files
/// decompressed: what a scan for text that must not ship has to look at.
pub fn data_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files(dir)
        .into_iter()
        .map(|(name, bytes)| {
            let plain = site::gunzip(bytes).expect("a data file decompresses");
            (name, plain)
        })
        .collect()
}

/// Runs `q` over a compiled bundle, through its encoded data files, as the app would.
pub fn search(bundle: &Bundle, q: &str, limit: usize) -> SearchResults {
    let files: BTreeMap<String, Vec<u8>> =
        docatlas_core::files::encode(bundle).into_iter().collect();
    let mut engine = Engine::new(&files[docatlas_core::format::BUNDLE_FILE]).expect("head");
    let opts = SearchOptions::hits(limit);
    engine
        .run(
            |e| e.search(q, &opts),
            |name| files.get(name).cloned().ok_or_else(|| format!("no {name}")),
        )
        .expect("search")
}

/// Runs `q` over a site on disk, as `build-index search` does.
pub fn search_site(dir: &Path, q: &str, limit: usize) -> SearchResults {
    let mut engine = site::open(dir).expect("open site");
    let opts = SearchOptions::hits(limit);
    site::run(&mut engine, dir, |e| e.search(q, &opts)).expect("search")
}

/// Markdown files under `dir`, docs-relative with `/` separators.
pub fn markdown_files(dir: &Path) -> Vec<String> {
    files(dir)
        .into_iter()
        .map(|(p, _)| p.replace('\\', "/"))
        .filter(|p| p.ends_with(".md"))
        .collect()
}

/// The page at `path` (panics with the path if it is not there).
pub fn doc_at<'a>(docs: &'a [docatlas_core::Doc], path: &str) -> &'a docatlas_core::Doc {
    docs.iter()
        .find(|d| d.path == path)
        .unwrap_or_else(|| panic!("no page {path} in the bundle"))
}

/// True if `needle` occurs in `hay`.
pub fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}
