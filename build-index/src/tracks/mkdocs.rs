//! Tracks from an MkDocs `mkdocs.yml` `nav:`: each top-level section is a track (its nested
//! sections become deeper items); top-level pages together form a track named after the
//! `site_name`. Paths are relative to `docs_dir` (default `docs`) next to `mkdocs.yml`, or to
//! `mkdocs.yml`'s own folder. An entry pointing at no page is an error at its line.

use docatlas_core::tracks::Source;
use serde_yaml_ng::Value;

use super::{Draft, DraftItem, Inputs};
use crate::corpus::diagnostics::{LineIndex, Severity};
use crate::corpus::links::find_page;
use crate::corpus::links::{resolve, Target};
use crate::corpus::read::Diags;

/// A nav entry: a page (with the title the nav gives it) or a section of entries.
#[derive(Debug, Clone, PartialEq)]
enum Nav {
    Page { title: Option<String>, path: String },
    Section { title: String, entries: Vec<Nav> },
}

fn parse_nav(value: &Value) -> Vec<Nav> {
    let Value::Sequence(seq) = value else {
        return Vec::new();
    };
    seq.iter()
        .filter_map(|v| match v {
            Value::String(path) => Some(Nav::Page {
                title: None,
                path: path.clone(),
            }),
            Value::Mapping(m) => {
                let (k, v) = m.iter().next()?;
                let title = k.as_str()?.to_string();
                match v {
                    Value::String(path) => Some(Nav::Page {
                        title: Some(title),
                        path: path.clone(),
                    }),
                    Value::Sequence(_) => Some(Nav::Section {
                        title,
                        entries: parse_nav(v),
                    }),
                    _ => None,
                }
            }
            _ => None,
        })
        .collect()
}

pub(super) fn tracks(inputs: &Inputs<'_>, diags: &mut Diags) -> Vec<Draft> {
    let mut out = Vec::new();
    for rel in inputs.files.other.iter().filter(|o| {
        let name = o.rsplit('/').next().unwrap_or(o);
        name == "mkdocs.yml" || name == "mkdocs.yaml"
    }) {
        if let Some(text) = inputs.read_other(rel, diags) {
            from_file(inputs, rel, &text, false, &mut out, diags);
        }
    }
    // Pointed at `docs/`, the project's `mkdocs.yml` is one level up (its `docs_dir`).
    if let Some((rel, text)) = &inputs.corpus.site.dialect.mkdocs_outside {
        from_file(inputs, rel, text, true, &mut out, diags);
    }
    out
}

/// The tracks of one `mkdocs.yml`; `outside` when it sits above the docs folder, whose root
/// its nav paths are relative to.
fn from_file(
    inputs: &Inputs<'_>,
    rel: &str,
    text: &str,
    outside: bool,
    out: &mut Vec<Draft>,
    diags: &mut Diags,
) {
    let config: Value = match serde_yaml_ng::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            diags.push(
                rel,
                (line, col),
                Severity::Warning,
                format!("invalid YAML, so the reading order of its `nav:` is left out: {e}"),
            );
            return;
        }
    };
    let Some(nav) = config.get("nav") else {
        return;
    };
    let mut file = File::new(rel, text, &config);
    if outside {
        file.bases = vec!["mkdocs.yml".to_string()];
    }
    let site_name = config
        .get("site_name")
        .and_then(Value::as_str)
        .map_or_else(|| inputs.site_title.to_string(), str::to_string);
    let mut top = Vec::new();
    let first = out.len();
    for entry in parse_nav(nav) {
        match entry {
            page @ Nav::Page { .. } => file.items(inputs, &page, 0, &mut top, diags),
            Nav::Section { title, entries } => {
                let mut items = Vec::new();
                for e in &entries {
                    file.items(inputs, e, 0, &mut items, diags);
                }
                out.push(Draft {
                    title,
                    source: Source::MkDocs,
                    origin: rel.to_string(),
                    items,
                });
            }
        }
    }
    if !top.is_empty() {
        // The site's own pages come before its sections.
        out.insert(
            first,
            Draft {
                title: site_name,
                source: Source::MkDocs,
                origin: rel.to_string(),
                items: top,
            },
        );
    }
}

/// One `mkdocs.yml`: where it is, its text (for line numbers) and where its pages live.
struct File<'a> {
    rel: &'a str,
    text: &'a str,
    lines: LineIndex,
    /// Candidate stand-ins for `mkdocs.yml` whose folder nav paths are relative to.
    bases: Vec<String>,
}

impl<'a> File<'a> {
    fn new(rel: &'a str, text: &'a str, config: &Value) -> Self {
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        let docs_dir = config
            .get("docs_dir")
            .and_then(Value::as_str)
            .unwrap_or("docs")
            .trim_start_matches("./")
            .trim_matches('/');
        let docs_dir = if docs_dir == "." { "" } else { docs_dir };
        let join = |a: &str, b: &str| match (a.is_empty(), b.is_empty()) {
            (true, _) => b.to_string(),
            (_, true) => a.to_string(),
            _ => format!("{a}/{b}"),
        };
        // `resolve` takes paths relative to a file: name one inside each base folder.
        let mut bases: Vec<String> = [join(dir, docs_dir), dir.to_string()]
            .into_iter()
            .map(|b| join(&b, "mkdocs.yml"))
            .collect();
        bases.dedup();
        File {
            rel,
            text,
            lines: LineIndex::new(text),
            bases,
        }
    }

    /// Adds the page items of a nav entry (sections nest one level deeper).
    fn items(
        &self,
        inputs: &Inputs<'_>,
        entry: &Nav,
        depth: u8,
        out: &mut Vec<DraftItem>,
        diags: &mut Diags,
    ) {
        match entry {
            Nav::Section { entries, .. } => {
                for e in entries {
                    self.items(inputs, e, depth.saturating_add(1), out, diags);
                }
            }
            Nav::Page { title, path } => {
                let found = self
                    .bases
                    .iter()
                    .find_map(|base| match resolve(base, path) {
                        Target::Path { path, .. } => find_page(&path, &inputs.corpus.all),
                        _ => None,
                    });
                match found {
                    Some(p) => out.push(DraftItem {
                        path: p.to_string(),
                        title: title.clone(),
                        depth,
                        note: String::new(),
                    }),
                    None if matches!(resolve(self.rel, path), Target::External) => {}
                    None => diags.push(
                        self.rel,
                        self.position_of(path),
                        Severity::Error,
                        format!(
                            "nav entry `{path}` points at no page (looked in {}); fix the path or remove the entry",
                            self.bases
                                .iter()
                                .map(|b| b.trim_end_matches("mkdocs.yml").trim_end_matches('/'))
                                .map(|b| if b.is_empty() { "the docs root".to_string() } else { format!("{b}/") })
                                .collect::<Vec<_>>()
                                .join(" and ")
                        ),
                    ),
                }
            }
        }
    }

    /// Line and column of the first mention of `path` after `nav:` (YAML values carry no
    /// positions).
    fn position_of(&self, path: &str) -> (usize, usize) {
        let nav = self.text.find("nav:").unwrap_or(0);
        let at = self
            .text
            .get(nav..)
            .and_then(|rest| rest.find(path))
            .map_or(nav, |i| nav.saturating_add(i));
        self.lines.line_col(self.text, at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nav_entries_titles_and_sections() {
        let v: Value = serde_yaml_ng::from_str(
            "nav:\n  - index.md\n  - Guide:\n      - Install: guide/install.md\n      - Deeper:\n          - guide/deep.md\n  - GitHub: https://github.com/x\n",
        )
        .unwrap();
        let nav = parse_nav(v.get("nav").unwrap());
        assert_eq!(
            nav,
            [
                Nav::Page {
                    title: None,
                    path: "index.md".into()
                },
                Nav::Section {
                    title: "Guide".into(),
                    entries: vec![
                        Nav::Page {
                            title: Some("Install".into()),
                            path: "guide/install.md".into()
                        },
                        Nav::Section {
                            title: "Deeper".into(),
                            entries: vec![Nav::Page {
                                title: None,
                                path: "guide/deep.md".into()
                            }]
                        },
                    ]
                },
                Nav::Page {
                    title: Some("GitHub".into()),
                    path: "https://github.com/x".into()
                },
            ]
        );
    }
}
