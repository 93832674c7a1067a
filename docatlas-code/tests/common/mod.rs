//! Test helpers: a fixture's `DOCS.md` read into a [`DocInventory`] (a small Markdown table
//! reader: the real one is build-index's), and the inventory and findings rendered as text for
//! golden files.

#![allow(dead_code)]

use std::fmt::Write;
use std::path::{Path, PathBuf};

use docatlas_code::docs::{clean_cell, columns, is_placeholder, Columns};
use docatlas_code::{
    CodeInventory, DocCodeRef, DocEvent, DocInventory, DocRoute, DocTable, Finding, IgnoreRule,
    Place,
};

/// The fixture folder `tests/fixtures/<name>`, as a path relative to the crate (so places in
/// golden files do not depend on where the checkout is).
pub fn fixture(name: &str) -> PathBuf {
    Path::new("tests/fixtures").join(name)
}

fn cells(line: &str) -> Vec<String> {
    let t = line.trim().trim_start_matches('|').trim_end_matches('|');
    t.split('|').map(|c| c.trim().to_string()).collect()
}

/// Reads route tables, event tables and `` `Symbol`: `file:line` `` references from Markdown.
pub fn read_docs(path: &str, text: &str) -> DocInventory {
    let mut inv = DocInventory::default();
    let lines: Vec<&str> = text.lines().collect();
    let mut heading: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let lineno = (i + 1) as u32;
        if let Some(h) = line.strip_prefix('#') {
            heading = Some(h.trim_start_matches('#').trim().to_string());
        }
        if line.trim_start().starts_with('|') && lines.get(i + 1).is_some_and(|l| l.contains("---"))
        {
            let header = cells(line);
            let refs: Vec<&str> = header.iter().map(String::as_str).collect();
            let cols = columns(&refs);
            let table_place = Place::new(path, lineno, 1);
            let mut j = i + 2;
            let table_index = match cols {
                Some(Columns::Routes { .. }) => {
                    inv.route_tables.push(DocTable {
                        place: table_place,
                        title: heading.clone(),
                    });
                    inv.route_tables.len() - 1
                }
                Some(Columns::Events { .. }) => {
                    inv.event_tables.push(DocTable {
                        place: table_place,
                        title: heading.clone(),
                    });
                    inv.event_tables.len() - 1
                }
                None => 0,
            };
            while j < lines.len() && lines[j].trim_start().starts_with('|') {
                let row = cells(lines[j]);
                let place = Place::new(path, (j + 1) as u32, 1);
                let get = |k: Option<usize>| {
                    k.and_then(|k| row.get(k))
                        .filter(|c| !is_placeholder(c))
                        .cloned()
                };
                match cols {
                    Some(Columns::Routes {
                        method,
                        path: p,
                        handler,
                    }) => inv.routes.push(DocRoute {
                        method: row.get(method).cloned().unwrap_or_default(),
                        path: row.get(p).cloned().unwrap_or_default(),
                        handler: get(handler),
                        place,
                        table: Some(table_index),
                    }),
                    Some(Columns::Events {
                        event,
                        direction,
                        handler,
                    }) => inv.events.push(DocEvent {
                        name: clean_cell(row.get(event).map(String::as_str).unwrap_or("")),
                        direction: get(direction),
                        handler: get(handler),
                        place,
                        table: Some(table_index),
                    }),
                    None => {}
                }
                j += 1;
            }
            i = j;
            continue;
        }
        let spans: Vec<&str> = line.split('`').skip(1).step_by(2).collect();
        for (k, s) in spans.iter().enumerate() {
            if let Some((file, n)) = s.rsplit_once(':') {
                if let Ok(n) = n.parse::<u32>() {
                    if file.contains('.') && !file.contains(' ') {
                        let symbol = k
                            .checked_sub(1)
                            .map(|p| spans[p].to_string())
                            .filter(|s| !s.contains(':'));
                        let col = line.find(s).unwrap_or(0) as u32;
                        inv.code_refs.push(DocCodeRef {
                            file: file.to_string(),
                            line: n,
                            symbol,
                            place: Place::new(path, lineno, col),
                        });
                    }
                }
            }
        }
        i += 1;
    }
    inv
}

/// The fixture's `DOCS.md`, read.
pub fn fixture_docs(name: &str) -> DocInventory {
    let path = fixture(name).join("DOCS.md");
    let text = std::fs::read_to_string(&path).expect("fixture DOCS.md");
    read_docs("DOCS.md", &text)
}

/// The fixture's `IGNORE` file: one rule a line.
pub fn fixture_ignores(name: &str) -> Vec<IgnoreRule> {
    let path = fixture(name).join("IGNORE");
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| IgnoreRule {
            text: l.trim().to_string(),
            place: Place::new("IGNORE", (i + 1) as u32, 1),
        })
        .collect()
}

/// The inventory as text: one line per route, event and unresolved item.
pub fn render_inventory(inv: &CodeInventory) -> String {
    let mut s = String::new();
    writeln!(s, "files parsed: {}", inv.files_parsed).unwrap();
    writeln!(s, "## routes").unwrap();
    for r in &inv.routes {
        let h = r
            .handler
            .as_ref()
            .map(|h| h.to_string())
            .unwrap_or_else(|| "-".into());
        let partial = if r.complete { "" } else { " (incomplete)" };
        writeln!(
            s,
            "{} {}{partial}  {h}  [{}]  {}",
            r.method, r.path, r.framework, r.place
        )
        .unwrap();
    }
    writeln!(s, "## events").unwrap();
    for e in &inv.events {
        let h = e
            .handler
            .as_ref()
            .map(|h| h.to_string())
            .unwrap_or_else(|| "-".into());
        writeln!(
            s,
            "{} {}  {h}  [{}]  {}",
            e.name, e.direction, e.framework, e.place
        )
        .unwrap();
    }
    writeln!(s, "## unresolved").unwrap();
    for u in &inv.unresolved {
        writeln!(s, "{}: {:?}: `{}`: {}", u.place, u.kind, u.code, u.reason).unwrap();
    }
    for k in &inv.skipped {
        writeln!(s, "skipped {}: {}", k.path, k.reason).unwrap();
    }
    s
}

/// Findings as the CLI prints them, with the JSON kind.
pub fn render_findings(findings: &[Finding]) -> String {
    let mut s = String::new();
    for f in findings {
        writeln!(
            s,
            "{}: {}: [{}] {}",
            f.place,
            f.severity,
            f.kind.code(),
            f.message
        )
        .unwrap();
    }
    s
}
