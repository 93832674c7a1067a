//! The impact graph's build phase: entities and relations from catalog tables ([`tables`]),
//! Backstage descriptors ([`backstage`]) and pages' front matter and links ([`pages`]), merged
//! into one [`Graph`] ([`merge`]) and checked ([`checks`]).
//!
//! Only the pages a build includes feed the graph, so a public build's `graph.bin` holds nothing
//! from internal pages; descriptors under an `internal/` folder are left out the same way.

mod backstage;
mod checks;
mod merge;
mod pages;
mod refs;
mod tables;

use std::collections::BTreeMap;
use std::path::Path;

use docatlas_core::graph::Graph;
use docatlas_core::Audience;

use crate::corpus::read::Diags;
use crate::corpus::Corpus;

/// Extracts, merges and checks the graph of the pages `corpus` includes and the Backstage
/// descriptors among `others` (docs-relative paths under `root`); diagnostics go to `diags`.
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
    for path in others.iter().filter(|p| backstage::is_descriptor(p)) {
        let internal = path.starts_with("internal/") || path.contains("/internal/");
        if internal && corpus.audience == Audience::Public {
            continue;
        }
        let file = b.file(path, None);
        match std::fs::read(root.join(path)) {
            Ok(bytes) => backstage::extract(&mut b, path, file, &String::from_utf8_lossy(&bytes)),
            Err(e) => {
                let at = merge::Src {
                    file,
                    line: 1,
                    col: 1,
                    anchor: None,
                };
                b.warn_later(
                    &at,
                    format!(
                        "cannot read this Backstage descriptor ({e}); it is left out of the graph"
                    ),
                );
            }
        }
    }
    let merge::Merged {
        mut graph,
        places,
        mut diagnostics,
    } = b.finish();
    checks::run(&graph, &places, &mut diagnostics);
    diags.0.extend(diagnostics);
    graph.repo_url = repo_url.map(String::from);
    graph
}
