//! The code check stage: the docs' route and event inventory checked against the code (`check
//! --code DIR`, `[code] roots` in `docatlas.toml`). The docs' side is read from the corpus during
//! the compile ([`docs_inventory`]); after it, [`check`] extracts the code's with
//! `docatlas-code`, turns the findings into diagnostics and gives each documented route and event
//! the place of its handler in the code (the graph's `Code` attribute). Names only the corpus;
//! `pipeline` hands it the graph and the inventory.

use std::path::{Component, Path, PathBuf};
use std::time::Instant;

use docatlas_code::docs::{clean_cell, columns, is_placeholder, is_placeholder_path, Columns};
use docatlas_code::{
    CodeInventory, CompareOptions, Direction, DocCodeRef, DocEvent, DocInventory, DocRoute,
    DocTable, ExtractOptions, Finding, IgnoreRule, Origin, Place,
};
use docatlas_core::graph::{Attribute, Graph, Kind};

use crate::corpus::diagnostics::{CodeFinding, Diagnostic, Severity};
use crate::corpus::markdown::{self, Cell};
use crate::corpus::read::Page;
use crate::corpus::{config, Corpus};
use crate::Error;

/// The graph attribute that holds where an entity's handler is in the code (`path:line`, linked
/// through `repo_url`); the same key a docs line pairing a handler with its code place sets.
pub const CODE_ATTRIBUTE: &str = "Code";

/// What a code check read, for the summary line.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeSummary {
    /// The code roots, as shown in places.
    pub roots: Vec<String>,
    /// Source files parsed.
    pub files_parsed: usize,
    /// Routes the code defines.
    pub routes: usize,
    /// Socket event names the code sends or handles.
    pub events: usize,
    /// Seconds taken by extraction and comparison.
    pub seconds: f64,
}

/// Everything the docs claim about the code, read from the pages a build includes: route
/// tables, socket event tables, and `` `Symbol`: `path/to/file.ts:42` `` references.
pub(crate) fn docs_inventory(corpus: &Corpus<'_>) -> DocInventory {
    let mut inv = DocInventory::default();
    for page in corpus.included.values() {
        tables(&mut inv, page);
        code_refs(&mut inv, page);
    }
    inv
}

fn place(page: &Page, offset: usize) -> Place {
    let (line, col) = page.line_col(offset);
    Place::new(
        page.path.clone(),
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col).unwrap_or(u32::MAX),
    )
}

fn tables(inv: &mut DocInventory, page: &Page) {
    for t in &page.analysis.tables {
        let header: Vec<&str> = t.header.iter().map(|c| c.text.as_str()).collect();
        let Some(cols) = columns(&header) else {
            continue;
        };
        let table = DocTable {
            place: place(page, t.offset),
            title: page
                .analysis
                .sections
                .get(t.section)
                .map(|s| s.heading.trim().to_string())
                .filter(|h| !h.is_empty()),
        };
        let cell = |row: &[Cell], k: Option<usize>| {
            k.and_then(|k| row.get(k))
                .map(|c| c.text.clone())
                .filter(|c| !is_placeholder(c))
        };
        let rows = t
            .rows
            .iter()
            .zip(t.row_offsets.iter().map(|&o| place(page, o)));
        match cols {
            Columns::Routes {
                method,
                path,
                handler,
            } => {
                let index = inv.route_tables.len();
                inv.route_tables.push(table);
                for (row, at) in rows {
                    let Some(p) = row
                        .get(path)
                        .map(|c| c.text.clone())
                        .filter(|c| !is_placeholder_path(c))
                    else {
                        continue;
                    };
                    inv.routes.push(DocRoute {
                        method: cell(row, Some(method)).unwrap_or_default(),
                        path: p,
                        handler: cell(row, handler),
                        place: Place { col: 1, ..at },
                        table: Some(index),
                    });
                }
            }
            Columns::Events {
                event,
                direction,
                handler,
            } => {
                let index = inv.event_tables.len();
                inv.event_tables.push(table);
                for (row, at) in rows {
                    let Some(name) = cell(row, Some(event)) else {
                        continue;
                    };
                    inv.events.push(DocEvent {
                        name: clean_cell(&name),
                        direction: cell(row, direction),
                        handler: cell(row, handler),
                        place: Place { col: 1, ..at },
                        table: Some(index),
                    });
                }
            }
        }
    }
}

/// A name a code reference can be about: `BookingController.create`, `create()`,
/// `orders::list`, `BookingController#create`.
fn is_symbol(s: &str) -> bool {
    let s = s.trim().trim_end_matches("()");
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '#' | ':' | '$'))
        && s.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
        && !s.replace("::", "").contains(':')
}

/// A symbol qualified by its owner or written as a call (`X.y`, `X#y`, `x::y`, `y()`): a plain
/// word before a reference is as often a service or a table as a function.
fn is_qualified(s: &str) -> bool {
    is_symbol(s) && (s.contains(['.', '#']) || s.contains("::") || s.ends_with("()"))
}

/// Inline code spans holding `path:line`, each with the symbol written right before it, which
/// the line should still hold: any name before a colon (`` `Claims`: `a.ts:3` ``), a qualified
/// one (`X.y`, `y()`) before `at`, `in`, a dash or a parenthesis.
fn code_refs(inv: &mut DocInventory, page: &Page) {
    let body = page.body();
    let mut line_start = 0usize;
    for line in body.split_inclusive('\n') {
        let mut spans: Vec<(usize, usize)> = Vec::new(); // byte ranges inside `line`
        let mut open: Option<usize> = None;
        for (i, _) in line.match_indices('`') {
            match open.take() {
                Some(s) => spans.push((s, i)),
                None => open = Some(i.saturating_add(1)),
            }
        }
        for (k, &(s, e)) in spans.iter().enumerate() {
            let Some(text) = line.get(s..e) else { continue };
            let Some((file, n)) = markdown::parse_code_ref(text) else {
                continue;
            };
            let symbol = k
                .checked_sub(1)
                .and_then(|p| spans.get(p))
                .and_then(|&(ps, pe)| {
                    let between = line.get(pe.saturating_add(1)..s.saturating_sub(1))?.trim();
                    let name = line.get(ps..pe)?;
                    let ok = match between {
                        ":" => is_symbol(name),
                        "" | "-" | "—" | "–" | "(" | "→" | "at" | "in" => is_qualified(name),
                        _ => false,
                    };
                    (ok && markdown::parse_code_ref(name).is_none()).then(|| name.to_string())
                });
            inv.code_refs.push(DocCodeRef {
                file: file.to_string(),
                line: n,
                symbol,
                place: place(page, line_start.saturating_add(s)),
            });
        }
        line_start = line_start.saturating_add(line.len());
    }
}

/// `a/b/../c` → `a/c`, `./a` → `a`: code roots from `docatlas.toml` are joined to the docs
/// folder, and shown in every place under them, so they should read as a person would write them.
fn tidy(p: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.last(), Some(Component::Normal(_)))
                    && !matches!(out.last(), Some(Component::ParentDir)) =>
            {
                out.pop();
            }
            c => out.push(c),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

/// The code roots a check reads: `--code` roots as given, else `[code] roots` joined to the docs
/// folder; empty when neither names any.
pub fn roots(docs: &Path, cli: &[PathBuf], config: &config::Loaded) -> Vec<PathBuf> {
    if !cli.is_empty() {
        return cli.to_vec();
    }
    config
        .config
        .code
        .roots
        .iter()
        .map(|r| tidy(&docs.join(r)))
        .collect()
}

/// What [`check`] found: the diagnostics to add to the build's and the summary line's figures.
pub(crate) type Checked = (Vec<Diagnostic>, CodeSummary);

/// Extracts routes and events from the code roots (`--code` or `[code] roots`), compares them
/// with the docs' inventory `docs_inv`, and gives each documented route and event of `graph`
/// found in the code a `Code` attribute with its handler's place. `Ok(None)` when no code root is
/// named. Fails when a root is not a readable folder.
pub(crate) fn check(
    docs_inv: &DocInventory,
    graph: &mut Graph,
    docs: &Path,
    cli_roots: &[PathBuf],
) -> Result<Option<Checked>, Error> {
    let cfg = config::load(docs)?;
    let roots = roots(docs, cli_roots, &cfg);
    if roots.is_empty() {
        return Ok(None);
    }
    let start = Instant::now();
    let code = docatlas_code::extract(
        &roots,
        &ExtractOptions {
            include_tests: cfg.config.code.include_tests,
            ..ExtractOptions::default()
        },
    )?;
    let docs_inv = &with_api_descriptions(docs_inv, graph);
    let findings = docatlas_code::compare(
        docs_inv,
        &code,
        &CompareOptions {
            ignore: ignore_rules(&cfg),
        },
    );
    let mut diags: Vec<Diagnostic> = findings.iter().map(diagnostic).collect();
    diags.extend(code.skipped.iter().map(|s| Diagnostic {
        path: s.path.clone(),
        line: 1,
        col: 1,
        severity: Severity::Note,
        message: format!("not read for routes and events: {}", s.reason),
        code: Some(CodeFinding {
            kind: "skipped",
            origin: "code",
            related: None,
        }),
    }));
    annotate(graph, docs_inv, &code);
    let summary = CodeSummary {
        roots: code.roots.clone(),
        files_parsed: code.files_parsed,
        routes: code.routes.len(),
        events: code
            .events
            .iter()
            .map(|e| e.name.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        seconds: start.elapsed().as_secs_f64(),
    };
    Ok(Some((diags, summary)))
}

/// `docs_inv` plus the routes only an API description states (an OpenAPI file among the docs,
/// read into the graph by the entities stage): a route written there is documented as much as a
/// table row is, so the code must have it too. Socket events stay the tables' own: AsyncAPI
/// channels are mostly broker topics, which the code extractor does not read.
fn with_api_descriptions(docs_inv: &DocInventory, graph: &Graph) -> DocInventory {
    let mut inv = docs_inv.clone();
    let is_description = |file: u32| {
        graph.files.get(file as usize).is_some_and(|f| {
            let p = f.path.to_ascii_lowercase();
            p.ends_with(".yaml") || p.ends_with(".yml") || p.ends_with(".json")
        })
    };
    for node in &graph.nodes {
        if node.kind != Kind::Route
            || node.defined_at.is_empty()
            || !node.defined_at.iter().all(|p| is_description(p.file))
        {
            continue;
        }
        let Some((method, path)) = node.name.trim().split_once(' ') else {
            continue;
        };
        let Some(at) = node.defined_at.first() else {
            continue;
        };
        let Some(file) = graph.files.get(at.file as usize) else {
            continue;
        };
        inv.routes.push(DocRoute {
            method: method.to_string(),
            path: path.trim().to_string(),
            handler: node.attribute("Handler").map(str::to_string),
            place: Place::new(file.path.clone(), at.line, 1),
            table: None,
        });
    }
    inv
}

/// `[code] ignore` rules, each at its place in `docatlas.toml`.
fn ignore_rules(cfg: &config::Loaded) -> Vec<IgnoreRule> {
    cfg.code_ignore
        .iter()
        .map(|(text, line, col)| IgnoreRule {
            text: text.clone(),
            place: Place::new(
                config::CONFIG_FILE,
                u32::try_from(*line).unwrap_or(u32::MAX),
                u32::try_from(*col).unwrap_or(u32::MAX),
            ),
        })
        .collect()
}

fn diagnostic(f: &Finding) -> Diagnostic {
    Diagnostic {
        path: f.place.path.clone(),
        line: f.place.line as usize,
        col: f.place.col.max(1) as usize,
        severity: f.severity,
        message: f.message.clone(),
        code: Some(CodeFinding {
            kind: f.kind.code(),
            origin: match f.origin {
                Origin::Docs => "docs",
                Origin::Code => "code",
                Origin::Config => "config",
            },
            related: f.related.as_ref().map(Place::to_string),
        }),
    }
}

/// The graph node of `kind` defined at the docs row `at`.
fn node_at<'g>(g: &'g mut Graph, kind: Kind, at: &Place) -> Option<&'g mut Vec<Attribute>> {
    let file = g.files.iter().position(|f| f.path == at.path)?;
    let file = u32::try_from(file).ok()?;
    g.nodes
        .iter_mut()
        .find(|n| {
            n.kind == kind
                && n.defined_at
                    .iter()
                    .any(|p| p.file == file && p.line == at.line)
        })
        .map(|n| &mut n.attributes)
}

/// Sets the `Code` attribute (the code knows best: it replaces one the docs wrote).
fn set_code(attrs: &mut Vec<Attribute>, value: String) {
    match attrs
        .iter_mut()
        .find(|a| a.key.eq_ignore_ascii_case(CODE_ATTRIBUTE))
    {
        Some(a) => a.value = value,
        None => attrs.push(Attribute {
            key: CODE_ATTRIBUTE.to_string(),
            value,
        }),
    }
}

/// `path:line` of a code place as the repository spells it (inside its code root).
fn repo_place(code: &CodeInventory, p: &Place) -> String {
    format!(
        "{}:{}",
        code.path_in_root(&p.path).unwrap_or(&p.path),
        p.line
    )
}

/// Each documented route and event the code has gets its handler's place.
fn annotate(g: &mut Graph, docs: &DocInventory, code: &CodeInventory) {
    use docatlas_code::normalize;
    for row in &docs.routes {
        let method = normalize::method(&clean_cell(&row.method));
        let path = normalize::path(&clean_cell(&row.path));
        let found = code.routes.iter().find(|r| {
            r.complete
                && normalize::path(&r.path) == path
                && normalize::methods_match(&method, &normalize::method(&r.method))
        });
        let Some(r) = found else { continue };
        let at = code.handler_place(&r.place, r.handler.as_ref());
        let value = repo_place(code, &at);
        if let Some(attrs) = node_at(g, Kind::Route, &row.place) {
            set_code(attrs, value);
        }
    }
    for row in &docs.events {
        let mut found: Vec<&docatlas_code::Event> =
            code.events.iter().filter(|e| e.name == row.name).collect();
        // A listener's handler is the place to read first; for an event the server sends, the
        // function that sends it.
        found.sort_by_key(|e| e.direction != Direction::ClientToServer);
        let Some(e) = found.first() else { continue };
        let at = code.handler_place(&e.place, e.handler.as_ref());
        let value = repo_place(code, &at);
        if let Some(attrs) = node_at(g, Kind::Event, &row.place) {
            set_code(attrs, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_from_the_config_read_as_written() {
        assert_eq!(
            tidy(Path::new("examples/portal/../portal-code")),
            Path::new("examples/portal-code")
        );
        assert_eq!(tidy(Path::new("./docs/./x")), Path::new("docs/x"));
        assert_eq!(tidy(Path::new("../a/../../b")), Path::new("../../b"));
        assert_eq!(tidy(Path::new("docs/..")), Path::new("."));
    }

    #[test]
    fn symbols_beside_references() {
        for s in [
            "BookingController.create",
            "create()",
            "orders::list",
            "A#b",
        ] {
            assert!(is_symbol(s), "{s}");
        }
        for s in ["pricing service", "a.ts:3", "", "--flag", "x:"] {
            assert!(!is_symbol(s), "{s}");
        }
        assert!(is_qualified("BookingController.create") && is_qualified("create()"));
        assert!(!is_qualified("payments"));
    }
}
