//! Backstage `catalog-info.yaml` descriptors (multi-document YAML, anywhere in the docs folder):
//! Component (a `service` or `feature` by `spec.type`, else a component), API, Resource, System,
//! Domain and Group (a team), with `spec.owner`, `system`, `domain`, `dependsOn`,
//! `dependencyOf`, `providesApis`, `consumesApis` and `subcomponentOf`, refs with or without kind
//! and namespace. Each fact keeps the line it is written on.

use docatlas_core::graph::{Kind, Rel};
use serde_yaml_ng::Value;

use super::merge::{Builder, Name, Src};
use super::refs::{self, COMPONENT};
use crate::corpus::frontmatter::flatten;

/// True for the file names Backstage reads descriptors from.
pub(crate) fn is_descriptor(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path).to_lowercase();
    file == "catalog-info.yaml" || file == "catalog-info.yml"
}

/// One YAML document of a file: its text and the 1-based line it starts on.
struct Doc<'a> {
    text: &'a str,
    first_line: u32,
}

/// Splits a multi-document stream at its `---` lines (and stops at `...` ends).
fn documents(text: &str) -> Vec<Doc<'_>> {
    let mut docs = Vec::new();
    let mut start = 0usize;
    let mut start_line = 1u32;
    let mut pos = 0usize;
    let mut line = 1u32;
    for l in text.split_inclusive('\n') {
        let t = l.trim_end();
        if t == "---" || t.starts_with("--- ") || t == "..." {
            if let Some(d) = text.get(start..pos) {
                docs.push(Doc {
                    text: d,
                    first_line: start_line,
                });
            }
            start = pos.saturating_add(l.len());
            start_line = line.saturating_add(1);
        }
        pos = pos.saturating_add(l.len());
        line = line.saturating_add(1);
    }
    if let Some(d) = text.get(start..) {
        docs.push(Doc {
            text: d,
            first_line: start_line,
        });
    }
    docs.retain(|d| {
        d.text
            .lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
    });
    docs
}

fn get<'v>(v: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(v, |v, k| v.get(k))
}

fn text(v: &Value, path: &[&str]) -> Option<String> {
    get(v, path)
        .map(flatten)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn list(v: &Value, path: &[&str]) -> Vec<String> {
    match get(v, path) {
        Some(Value::Sequence(items)) => items
            .iter()
            .map(flatten)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        Some(other) => {
            let s = flatten(other);
            let s = s.trim();
            if s.is_empty() {
                Vec::new()
            } else {
                vec![s.to_string()]
            }
        }
        None => Vec::new(),
    }
}

/// Reads the descriptors in `text` (the file at index `file`, path `path`) into `b`.
pub(crate) fn extract(b: &mut Builder, path: &str, file: u32, text: &str) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for doc in documents(text) {
        let value: Value = match serde_yaml_ng::from_str(doc.text) {
            Ok(v) => v,
            Err(e) => {
                let (line, col) = e.location().map_or((0, 1), |l| (l.line(), l.column()));
                let at = Src {
                    file,
                    line: doc
                        .first_line
                        .saturating_add(u32::try_from(line.saturating_sub(1)).unwrap_or(0)),
                    col: u32::try_from(col).unwrap_or(1),
                    anchor: None,
                };
                let msg = e.to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg);
                b.warn_later(
                    &at,
                    format!("invalid YAML in a Backstage descriptor: {msg}; this document is left out of the graph"),
                );
                continue;
            }
        };
        descriptor(b, path, file, &doc, &value);
    }
}

fn descriptor(b: &mut Builder, _path: &str, file: u32, doc: &Doc<'_>, v: &Value) {
    let Some(bkind) = text(v, &["kind"]) else {
        return;
    };
    let Some(name) = text(v, &["metadata", "name"]) else {
        let at = locate(file, doc, "kind", &bkind);
        b.warn_later(&at, format!("Backstage {bkind} has no `metadata.name`, so it is left out of the graph; give it a name"));
        return;
    };
    let spec_type = text(v, &["spec", "type"]).unwrap_or_default();
    let Some(kind) = entity_kind(&bkind, &spec_type) else {
        return;
    };
    let at = locate(file, doc, "name", &name);
    let mut attrs = Vec::new();
    for (key, path) in [
        ("description", &["metadata", "description"][..]),
        ("type", &["spec", "type"]),
        ("lifecycle", &["spec", "lifecycle"]),
        ("tags", &["metadata", "tags"]),
    ] {
        if let Some(value) = text(v, path) {
            attrs.push((key.to_string(), value));
        }
    }
    let me = Name::of(kind, &name);
    b.define_titled(me.clone(), text(v, &["metadata", "title"]), at, attrs);

    relations(b, file, doc, v, kind, &me);
}

/// The graph kind of a Backstage entity of `kind` (and `spec.type`); `None` for Users,
/// Locations and Templates, which are not part of the impact graph.
fn entity_kind(kind: &str, spec_type: &str) -> Option<Kind> {
    Some(match kind.to_lowercase().as_str() {
        "component" => match spec_type.to_lowercase().as_str() {
            "service" => Kind::Service,
            "feature" => Kind::Feature,
            _ => Kind::Component,
        },
        "api" => Kind::Api,
        "resource" => Kind::Resource,
        "system" => Kind::System,
        "domain" => Kind::Domain,
        "group" => Kind::Team,
        _ => return None,
    })
}

/// The relations a descriptor's `spec` declares for `me` (of graph kind `kind`), each at the
/// line that names it.
fn relations(b: &mut Builder, file: u32, doc: &Doc<'_>, v: &Value, kind: Kind, me: &Name) {
    let mut rel = |key: &str,
                   refs: Vec<String>,
                   default: &'static [Kind],
                   f: &dyn Fn(Name) -> (Name, Rel, Name)| {
        for r in refs {
            let (kinds, target) = refs::backstage(&r, default);
            let (from, rel, to) = f(Name::any(kinds, &target));
            b.relate(from, rel, to, locate(file, doc, key, &r));
        }
    };
    let owner = list(v, &["spec", "owner"]);
    rel("owner", owner, &[Kind::Team], &|t| {
        (t, Rel::Owns, me.clone())
    });
    let system = list(v, &["spec", "system"]);
    rel("system", system, &[Kind::System], &|s| {
        (s, Rel::Contains, me.clone())
    });
    let domain = list(v, &["spec", "domain"]);
    rel("domain", domain, &[Kind::Domain], &|d| {
        (d, Rel::Contains, me.clone())
    });
    let deps = list(v, &["spec", "dependsOn"]);
    rel("dependsOn", deps, COMPONENT, &|t| {
        // A feature's dependencies are the services it uses.
        let uses = kind == Kind::Feature && t.kinds.first() != Some(&Kind::Resource);
        (me.clone(), if uses { Rel::Uses } else { Rel::DependsOn }, t)
    });
    let dependency_of = list(v, &["spec", "dependencyOf"]);
    rel("dependencyOf", dependency_of, COMPONENT, &|t| {
        (t, Rel::DependsOn, me.clone())
    });
    let provides = list(v, &["spec", "providesApis"]);
    rel("providesApis", provides, &[Kind::Api], &|a| {
        (me.clone(), Rel::ProvidesApi, a)
    });
    let consumes = list(v, &["spec", "consumesApis"]);
    rel("consumesApis", consumes, &[Kind::Api], &|a| {
        (me.clone(), Rel::ConsumesApi, a)
    });
    let parent = list(v, &["spec", "subcomponentOf"]);
    rel("subcomponentOf", parent, COMPONENT, &|p| {
        (p, Rel::HasSubcomponent, me.clone())
    });
}

/// The line (and column) where `key: ... value` is written in the document: the first line
/// mentioning `value` at or after the line holding `key:`, else the `key:` line, else the
/// document's first line.
fn locate(file: u32, doc: &Doc<'_>, key: &str, value: &str) -> Src {
    let lines: Vec<&str> = doc.text.lines().collect();
    let key_line = lines.iter().position(|l| {
        let t = l.trim_start().trim_start_matches("- ");
        t.starts_with(key)
            && t.get(key.len()..)
                .is_some_and(|r| r.trim_start().starts_with(':'))
    });
    let found = key_line.and_then(|k| {
        lines.iter().enumerate().skip(k).find_map(|(i, l)| {
            l.find(value)
                .map(|c| (i, l.get(..c).map_or(0, |p| p.chars().count())))
        })
    });
    let (idx, col) = match (found, key_line) {
        (Some(f), _) => f,
        (None, Some(k)) => (k, 0),
        (None, None) => (0, 0),
    };
    Src {
        file,
        line: doc
            .first_line
            .saturating_add(u32::try_from(idx).unwrap_or(0)),
        col: u32::try_from(col.saturating_add(1)).unwrap_or(1),
        anchor: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_keep_their_first_line() {
        let text = "# comment\n---\nkind: A\n---\n\nkind: B\n...\n";
        let docs = documents(text);
        assert_eq!(docs.len(), 2);
        assert_eq!((docs[0].first_line, docs[0].text), (3, "kind: A\n"));
        assert_eq!(docs[1].first_line, 5);
    }

    #[test]
    fn locate_finds_the_line_of_a_value_under_its_key() {
        let text = "kind: Component\nmetadata:\n  name: gateway\nspec:\n  dependsOn:\n    - component:identity\n    - resource:db\n";
        let doc = Doc {
            text,
            first_line: 10,
        };
        let at = locate(0, &doc, "dependsOn", "resource:db");
        assert_eq!((at.line, at.col), (16, 7));
        assert_eq!(locate(0, &doc, "name", "gateway").line, 12);
        assert_eq!(locate(0, &doc, "owner", "x").line, 10);
    }
}
