//! docatlas-code: the HTTP routes and socket events a code tree defines, read with real parsers
//! (tree-sitter), and compared with the inventory the docs describe.
//!
//! Two calls make a check:
//!
//! 1. [`extract`] walks code roots (`.gitignore` respected, dependency and build folders and
//!    tests skipped), parses every JavaScript, TypeScript, Python, Go and Java file in parallel,
//!    and returns a [`CodeInventory`]: routes (method, full path with every mount prefix,
//!    handler, place), socket events (name, direction, handler, place) and what could not be
//!    resolved statically ([`Unresolved`], never guessed).
//! 2. [`compare()`] takes the docs' inventory ([`DocInventory`]: route rows, event rows, `file:line`
//!    references, the tables that exist) and returns [`Finding`]s at the right places: an
//!    undocumented route is an error at its code line, a documented route with no code a
//!    warning at its row, a stale reference a warning saying where its symbol is now.
//!
//! Paths compare through [`normalize`]: `:id`, `{id}`, `<int:id>`, `{id:[0-9]+}` and `*` are one
//! parameter, names do not matter, slashes and method case neither.

#![cfg(not(target_arch = "wasm32"))]
#![warn(missing_docs)]
// A build with some languages left out (cargo features) leaves parts of the shared facts and
// helpers unused; only the full build is held to dead-code warnings.
#![cfg_attr(
    not(all(
        feature = "javascript",
        feature = "python",
        feature = "go",
        feature = "java"
    )),
    allow(dead_code, unused_variables, unused_imports)
)]
// Everything here reads input (source files, doc tables): no arithmetic that can overflow, no
// indexing that can be out of bounds, no slicing inside a character. Tests may index freely.
#![cfg_attr(
    not(test),
    warn(
        clippy::arithmetic_side_effects,
        clippy::indexing_slicing,
        clippy::string_slice
    )
)]

pub mod compare;
pub mod docs;
mod facts;
mod inventory;
mod jsmodules;
mod lang;
pub mod model;
pub mod normalize;
mod resolve;
mod symbols;
mod walk;

use std::path::PathBuf;

use rayon::prelude::*;

pub use compare::{compare, CompareOptions, Finding, FindingKind, Origin, Severity};
pub use docs::{DocCodeRef, DocEvent, DocInventory, DocRoute, DocTable, IgnoreRule};
pub use inventory::CodeInventory;
pub use model::{
    Direction, Event, Framework, Handler, Place, Route, Skipped, Unresolved, UnresolvedKind,
};
pub use walk::WalkError;

/// How [`extract`] reads the code.
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// Parse test files and folders too (`*.test.ts`, `*_test.go`, `tests/`...). Off by
    /// default: test apps and mocks define routes nobody serves.
    pub include_tests: bool,
    /// Files larger than this are skipped as generated or minified (listed in
    /// [`CodeInventory::skipped`]).
    pub max_file_bytes: u64,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        Self {
            include_tests: false,
            max_file_bytes: 1 << 20,
        }
    }
}

/// Walks `roots`, parses their source files in parallel (rayon's pool; the result does not
/// depend on the number of threads) and resolves routes, mounts and events across files.
///
/// Fails only when a root is not a readable directory; an unreadable or oversized file is
/// listed in [`CodeInventory::skipped`], a file that does not parse is read as far as it does.
pub fn extract(roots: &[PathBuf], opts: &ExtractOptions) -> Result<CodeInventory, WalkError> {
    let (set, sources) = walk::walk(roots, opts.include_tests)?;
    let parsed: Vec<Result<(walk::SourceFile, facts::FileFacts), Skipped>> = sources
        .into_par_iter()
        .map(|src| {
            let path = set.disk(src.root, &src.rel);
            let skipped = |reason: String| Skipped {
                path: set.display(src.root, &src.rel),
                reason,
            };
            match std::fs::metadata(&path) {
                Ok(m) if m.len() > opts.max_file_bytes => {
                    return Err(skipped(format!(
                        "larger than {} KiB: generated or minified code is not read",
                        opts.max_file_bytes / 1024
                    )))
                }
                Err(e) => return Err(skipped(e.to_string())),
                Ok(_) => {}
            }
            let bytes = std::fs::read(&path).map_err(|e| skipped(e.to_string()))?;
            let text = String::from_utf8_lossy(&bytes);
            let facts = lang::extract(src.lang, &src.rel, &text);
            Ok((src, facts))
        })
        .collect();
    let mut files = Vec::with_capacity(parsed.len());
    let mut skipped = Vec::new();
    for p in parsed {
        match p {
            Ok(f) => files.push(f),
            Err(s) => skipped.push(s),
        }
    }
    Ok(inventory(set, files, skipped))
}

/// Extracts from sources held in memory: `(path, text)` pairs, the path deciding the language
/// (`src/app.ts`). Nothing is read from disk, so `file:line` references compared against the
/// result are only checked for whether their file is one of these. For tests, fuzzing and
/// callers that already hold the text.
pub fn extract_sources(sources: &[(String, String)]) -> CodeInventory {
    let mut set = walk::FileSet {
        roots: vec![String::new()],
        dirs: Vec::new(),
        files: sources.iter().map(|(p, _)| (0, p.clone())).collect(),
        memory: Some(sources.iter().cloned().collect()),
    };
    set.files.sort();
    set.files.dedup();
    let mut inputs: Vec<(walk::SourceFile, &str)> = sources
        .iter()
        .filter_map(|(p, t)| {
            lang::Lang::of(p).map(|lang| {
                let src = walk::SourceFile {
                    root: 0,
                    rel: p.clone(),
                    lang,
                };
                (src, t.as_str())
            })
        })
        .collect();
    inputs.sort_by(|a, b| a.0.cmp(&b.0));
    inputs.dedup_by(|a, b| a.0 == b.0);
    let files: Vec<(walk::SourceFile, facts::FileFacts)> = inputs
        .into_par_iter()
        .map(|(src, text)| {
            let facts = lang::extract(src.lang, &src.rel, text);
            (src, facts)
        })
        .collect();
    inventory(set, files, Vec::new())
}

fn inventory(
    set: walk::FileSet,
    files: Vec<(walk::SourceFile, facts::FileFacts)>,
    skipped: Vec<Skipped>,
) -> CodeInventory {
    let (routes, events, unresolved) = resolve::resolve(&set, &files);
    let symbols = symbols::SymbolIndex::build(&files);
    CodeInventory {
        roots: set.roots.clone(),
        files_parsed: files.len(),
        routes,
        events,
        unresolved,
        skipped,
        files: set,
        symbols,
    }
}

impl CodeInventory {
    /// Where the handler of a route or event registered at `at` is defined: the method or
    /// function named `handler` in the same file (a NestJS or Spring method under its
    /// decorator), else its one definition with that owner anywhere under the roots (an Express
    /// controller in its own file), else `at` itself (an inline closure, or a name defined in
    /// several places: the registration is what is known for sure).
    pub fn handler_place(&self, at: &Place, handler: Option<&Handler>) -> Place {
        let Some(h) = handler else {
            return at.clone();
        };
        let owner_ok = |d: &facts::Def| match (&h.owner, &d.owner, h.owner_is_type) {
            (Some(o), Some(d), true) => o == d,
            _ => true,
        };
        let here = (0..self.files.roots.len()).find_map(|root| {
            let prefix = self.files.display(root, "");
            let rel = at.path.strip_prefix(prefix.as_str())?;
            let defs = self.symbols.in_file(root, rel)?;
            defs.iter()
                .filter(|d| d.name == h.name && owner_ok(d))
                .min_by_key(|d| d.line.abs_diff(at.line))
                .map(|d| Place::new(at.path.clone(), d.line, 1))
        });
        if let Some(p) = here {
            return p;
        }
        match self
            .symbols
            .named(&h.name)
            .iter()
            .filter(|(_, _, d)| match (&h.owner, &d.owner) {
                (Some(o), Some(d)) => o == d,
                (None, None) => true,
                _ => false,
            })
            .collect::<Vec<_>>()
            .as_slice()
        {
            [(root, rel, d)] => Place::new(self.files.display(*root, rel), d.line, 1),
            _ => at.clone(),
        }
    }

    /// A place's path inside its code root (`services/api/src/x.ts` for
    /// `../repo/services/api/src/x.ts` under the root `../repo`), as `file:line` references in
    /// the docs and repository links spell it; `None` for a path under no root.
    pub fn path_in_root<'a>(&self, path: &'a str) -> Option<&'a str> {
        self.files
            .roots
            .iter()
            .filter_map(|r| match r.as_str() {
                "" | "." => Some(path),
                r => path.strip_prefix(r)?.strip_prefix('/'),
            })
            .min_by_key(|rel| rel.len())
    }
}
