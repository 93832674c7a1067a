//! The impact graph's build phase: entities and relations from catalog tables ([`tables`]),
//! Backstage descriptors ([`backstage`]), compose files ([`compose`]), OpenAPI and Swagger files
//! ([`openapi`]), AsyncAPI files ([`asyncapi`]) and pages' front matter and links ([`pages`]),
//! merged into one [`Graph`] ([`merge`]) and checked ([`checks`]).
//!
//! Only the pages a build includes feed the graph, so a public build's `graph.bin` holds nothing
//! from internal pages; descriptors under an `internal/` folder are left out the same way.

mod asyncapi;
mod backstage;
mod checks;
mod compose;
mod merge;
mod names;
mod openapi;
mod pages;
mod refs;
mod tables;
mod yamlpos;

use std::collections::BTreeMap;
use std::path::Path;

use docatlas_core::graph::{Graph, GraphIndex};
use docatlas_core::Audience;

use crate::corpus::read::Diags;
use crate::corpus::Corpus;

/// A file other than a page that feeds the graph: what it is called in messages and its reader
/// (builder, path, file index, text).
type Reader = (&'static str, fn(&mut merge::Builder, &str, u32, &str));

/// The reader of the file at `path`, if its name is one a graph source is read from.
fn reader(path: &str) -> Option<Reader> {
    if backstage::is_descriptor(path) {
        Some(("Backstage descriptor", backstage::extract))
    } else if compose::is_compose(path) {
        Some(("compose file", |b, _, f, t| compose::extract(b, f, t)))
    } else if openapi::is_openapi(path) {
        Some(("OpenAPI file", |b, _, f, t| openapi::extract(b, f, t)))
    } else if asyncapi::is_asyncapi(path) {
        Some(("AsyncAPI file", |b, _, f, t| asyncapi::extract(b, f, t)))
    } else {
        None
    }
}

/// The graph one file other than a page gives (a compose, OpenAPI, AsyncAPI or Backstage
/// file, told apart by `path` as a build does), with the diagnostics about it; `None` if no
/// graph source has such a name. For fuzzing the readers and for tools: any text must give a
/// valid graph, never a panic.
pub fn read_source(path: &str, text: &str) -> Option<(Graph, Vec<crate::Diagnostic>)> {
    let (_, read) = reader(path)?;
    let mut b = merge::Builder::default();
    let file = b.file(path, None);
    read(&mut b, path, file, text);
    let merge::Merged {
        graph,
        places,
        mut diagnostics,
    } = b.finish();
    let g = GraphIndex::new(graph);
    checks::run(&g, &places, &mut diagnostics);
    Some((g.graph, diagnostics))
}

/// Extracts, merges and checks the graph of the pages `corpus` includes and the descriptors,
/// compose, OpenAPI and AsyncAPI files among `others` (docs-relative paths under `root`);
/// diagnostics go to `diags`.
pub(crate) fn build(
    corpus: &Corpus<'_>,
    others: &[String],
    root: &Path,
    titles: &BTreeMap<&str, String>,
    repo_url: Option<&str>,
    diags: &mut Diags,
) -> Graph {
    let mut b = merge::Builder::default();
    pages::extract(&mut b, corpus, titles);
    for (path, (what, read)) in others.iter().filter_map(|p| Some((p, reader(p)?))) {
        let internal = path.starts_with("internal/") || path.contains("/internal/");
        if internal && corpus.audience == Audience::Public {
            continue;
        }
        let file = b.file(path, None);
        match std::fs::read(root.join(path)) {
            Ok(bytes) => read(&mut b, path, file, &String::from_utf8_lossy(&bytes)),
            Err(e) => {
                let at = merge::Src {
                    file,
                    line: 1,
                    col: 1,
                    anchor: None,
                };
                b.warn_later(
                    &at,
                    format!("cannot read this {what} ({e}); it is left out of the graph"),
                );
            }
        }
    }
    let merge::Merged {
        graph,
        places,
        mut diagnostics,
    } = b.finish();
    // The checks read the graph through its index; it is handed back rather than copied.
    let g = GraphIndex::new(graph);
    checks::run(&g, &places, &mut diagnostics);
    diags.0.extend(diagnostics);
    let mut graph = g.graph;
    graph.repo_url = repo_url.map(String::from);
    graph
}
