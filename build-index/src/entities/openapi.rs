//! OpenAPI 3 and Swagger 2 files (`openapi.*`, `swagger.*` in YAML or JSON, anywhere in the docs
//! folder): each operation is a route `METHOD /path` (Swagger's `basePath` and a single OpenAPI
//! server's path in front), with its `operationId` as the `Handler` attribute (a
//! `Controller.method` id also makes the controller handle it), its security requirements
//! (the operation's, else the document's) as `Auth`, and `x-pii`, `x-sensitive` and
//! `x-data-classification` on the path, the operation or any schema it uses (local `$ref`s
//! followed) as `PII`, `Sensitivity` and `Data classification`. Its tags name the services that
//! serve it. Each fact keeps its line.

use std::collections::BTreeSet;

use docatlas_core::graph::{Kind, Rel};
use serde_yaml_ng::Value;

use super::merge::{Builder, Name};
use super::yamlpos::{self, entries, strings, Lines};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const SERVICE_LIKE: &[Kind] = &[Kind::Service, Kind::Component];

/// True for `openapi.yaml`, `swagger.json`, `openapi.v2.yml`...
pub(crate) fn is_openapi(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path).to_lowercase();
    let Some(stem) = [".yaml", ".yml", ".json"]
        .iter()
        .find_map(|e| file.strip_suffix(e))
    else {
        return false;
    };
    ["openapi", "swagger"]
        .iter()
        .any(|n| stem == *n || stem.starts_with(&format!("{n}.")))
}

/// Reads the OpenAPI or Swagger file `text` (file index `file`) into `b`.
pub(crate) fn extract(b: &mut Builder, file: u32, text: &str) {
    let Some(doc) = yamlpos::parse(b, file, text, "an OpenAPI file") else {
        return;
    };
    let lines = Lines::new(file, text);
    let v2 = doc.get("swagger").is_some();
    if !v2 && doc.get("openapi").is_none() {
        b.warn_later(
            &lines.src(&[]),
            "this file is named like an OpenAPI description but has no `openapi:` or `swagger:` version key, so no route is read from it; add the key or rename the file".to_string(),
        );
        return;
    }
    let prefix = base_path(&doc, v2);
    let global_security = doc.get("security");
    for (path, item) in entries(doc.get("paths")) {
        for method in METHODS {
            let Some(op) = item.get(method) else {
                continue;
            };
            let route = Name::of(
                Kind::Route,
                &format!("{} {prefix}{path}", method.to_uppercase()),
            );
            let here = |k: &[&str]| {
                let mut p = vec!["paths", path.as_str(), method];
                p.extend_from_slice(k);
                lines.src(&p)
            };
            let mut attrs = Vec::new();
            let op_id = op.get("operationId").and_then(yamlpos::text);
            if let Some(id) = &op_id {
                attrs.push(("Handler".to_string(), id.clone()));
            }
            if let Some(s) = op.get("summary").and_then(yamlpos::text) {
                attrs.push(("Summary".to_string(), s));
            }
            if let Some(auth) = auth(op.get("security").or(global_security)) {
                attrs.push(("Auth".to_string(), auth));
            }
            let mut marks = Marks::default();
            // The path's own extensions and this operation's, not its siblings'.
            for (k, v) in entries(Some(item)) {
                if k == method || !METHODS.contains(&k.as_str()) {
                    marks.entry(&doc, &k, v, 0);
                }
            }
            mark_attrs(&marks, &mut attrs);
            if op.get("deprecated").and_then(Value::as_bool) == Some(true) {
                attrs.push(("Deprecated".to_string(), "yes".to_string()));
            }
            b.define(route.clone(), here(&[]), attrs);
            // `BookingController.create` names the controller, as a catalog table's cell does.
            let controller = op_id
                .as_deref()
                .map(super::tables::method_owner)
                .filter(|c| Some(c.as_str()) != op_id.as_deref())
                .map(|c| Name::of(Kind::Controller, &c));
            if let Some(c) = &controller {
                b.relate(
                    c.clone(),
                    Rel::Handles,
                    route.clone(),
                    here(&["operationId"]),
                );
            }
            for tag in strings(op.get("tags")) {
                let service = Name::any(SERVICE_LIKE, &tag);
                let at = here(&["tags", &tag]);
                match &controller {
                    Some(c) => b.relate(service, Rel::HasController, c.clone(), at),
                    None => b.relate(service, Rel::Handles, route.clone(), at),
                }
            }
        }
    }
}

/// The PII, sensitivity and data-classification attributes the extensions marked.
fn mark_attrs(marks: &Marks, attrs: &mut Vec<(String, String)>) {
    if let Some(pii) = marks.pii {
        attrs.push((
            "PII".to_string(),
            if pii { "yes" } else { "no" }.to_string(),
        ));
    }
    if !marks.sensitivity.is_empty() {
        let s: Vec<&str> = marks.sensitivity.iter().map(String::as_str).collect();
        attrs.push(("Sensitivity".to_string(), s.join(", ")));
    }
    if !marks.classes.is_empty() {
        let s: Vec<&str> = marks.classes.iter().map(String::as_str).collect();
        attrs.push(("Data classification".to_string(), s.join(", ")));
    }
}

/// What routes' paths start with: Swagger's `basePath`, or the path of an OpenAPI document's
/// only server (`https://api.example.com/v1` → `/v1`; none when it has variables).
fn base_path(doc: &Value, v2: bool) -> String {
    let raw = if v2 {
        doc.get("basePath").and_then(yamlpos::text)
    } else {
        match doc.get("servers") {
            Some(Value::Sequence(s)) if s.len() == 1 => s
                .first()
                .and_then(|s| s.get("url"))
                .and_then(yamlpos::text)
                .map(|u| {
                    let rest = u.split_once("://").map_or(u.as_str(), |(_, r)| r);
                    let path = if u.contains("://") {
                        rest.find('/').and_then(|i| rest.get(i..)).unwrap_or("")
                    } else {
                        rest
                    };
                    path.to_string()
                }),
            _ => None,
        }
    };
    match raw {
        Some(p) if !p.contains('{') => p.trim_end_matches('/').to_string(),
        _ => String::new(),
    }
}

/// A security requirement list as text: alternatives joined with ` or `, schemes required
/// together with ` + `; an empty list is `none`.
fn auth(v: Option<&Value>) -> Option<String> {
    let Some(Value::Sequence(reqs)) = v else {
        return None;
    };
    let alts: Vec<String> = reqs
        .iter()
        .map(|r| {
            entries(Some(r))
                .into_iter()
                .map(|(k, _)| k)
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .filter(|s| !s.is_empty())
        .collect();
    Some(if alts.is_empty() {
        "none".to_string()
    } else {
        alts.join(" or ")
    })
}

/// The sensitivity extensions found on an operation and everything it uses.
#[derive(Default)]
struct Marks {
    pii: Option<bool>,
    sensitivity: BTreeSet<String>,
    classes: BTreeSet<String>,
    seen: BTreeSet<String>,
}

/// True for the values that mean yes (`true`, `yes`, `1`...).
fn truthy(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        v => match yamlpos::text(v)?.to_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => Some(true),
            "false" | "no" | "n" | "0" => Some(false),
            _ => None,
        },
    }
}

impl Marks {
    /// Reads the mapping entry `k: v` and looks through `v`.
    fn entry(&mut self, doc: &Value, k: &str, v: &Value, depth: u32) {
        match k {
            "x-pii" => {
                if let Some(t) = truthy(v) {
                    self.pii = Some(self.pii.unwrap_or(false) || t);
                }
            }
            "x-sensitive" => match truthy(v) {
                Some(true) => {
                    self.sensitivity.insert("sensitive".to_string());
                }
                Some(false) => {}
                None => {
                    if let Some(t) = yamlpos::text(v) {
                        self.sensitivity.insert(t);
                    }
                }
            },
            "x-data-classification" => {
                for c in strings(Some(v)) {
                    let l = c.to_lowercase();
                    if l.contains("pii") || l.contains("personal") {
                        self.pii = Some(true);
                    }
                    self.classes.insert(c);
                }
            }
            "$ref" => {
                if let Some(r) = yamlpos::text(v) {
                    if let Some(target) = local_ref(doc, &r) {
                        if self.seen.insert(r) {
                            self.scan(doc, target, depth.saturating_add(1));
                        }
                    }
                }
            }
            _ => self.scan(doc, v, depth.saturating_add(1)),
        }
    }

    /// Looks through `v` (depth `depth`), following local `$ref`s of `doc` once each.
    fn scan(&mut self, doc: &Value, v: &Value, depth: u32) {
        if depth > 64 {
            return;
        }
        let next = depth.saturating_add(1);
        match v {
            Value::Mapping(m) => {
                for (k, v) in m {
                    if let Some(k) = yamlpos::text(k) {
                        self.entry(doc, &k, v, next);
                    }
                }
            }
            Value::Sequence(items) => items.iter().for_each(|i| self.scan(doc, i, next)),
            Value::Tagged(t) => self.scan(doc, &t.value, next),
            _ => {}
        }
    }
}

/// The value a `#/a/b` reference points at in `doc`.
pub(crate) fn local_ref<'v>(doc: &'v Value, r: &str) -> Option<&'v Value> {
    let rest = r.strip_prefix("#/")?;
    rest.split('/').try_fold(doc, |v, part| {
        v.get(part.replace("~1", "/").replace("~0", "~").as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        for p in ["openapi.yaml", "api/swagger.json", "openapi.v1.yml"] {
            assert!(is_openapi(p), "{p}");
        }
        for p in ["openapi.md", "my-openapi.yaml", "openapi-generator.txt"] {
            assert!(!is_openapi(p), "{p}");
        }
    }

    #[test]
    fn base_paths() {
        let doc = |t: &str| serde_yaml_ng::from_str::<Value>(t).unwrap();
        assert_eq!(base_path(&doc("basePath: /v2\n"), true), "/v2");
        assert_eq!(
            base_path(&doc("servers:\n  - url: https://x.io/api/v1/\n"), false),
            "/api/v1"
        );
        assert_eq!(
            base_path(&doc("servers:\n  - url: https://x.io\n"), false),
            ""
        );
        assert_eq!(
            base_path(&doc("servers:\n  - url: /a\n  - url: /b\n"), false),
            ""
        );
        assert_eq!(
            base_path(&doc("servers:\n  - url: https://x.io/{v}\n"), false),
            ""
        );
    }
}
