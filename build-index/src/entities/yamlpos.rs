//! Where a key or list item is written in a YAML (or pretty-printed JSON) file: serde_yaml_ng
//! gives values without positions, so the compose, OpenAPI and AsyncAPI readers look the line of
//! each fact up here, by its key path, from one scan of the text's indentation.

use std::collections::BTreeMap;

use serde_yaml_ng::Value;

use super::merge::{Builder, Src};

/// The first line each key path (and each scalar list item, as its parent path plus the item's
/// text) is written on.
pub(crate) struct Lines {
    file: u32,
    at: BTreeMap<Vec<String>, u32>,
}

/// `key` of a line such as `key: value`, `"key": value,`, `'/a/{id}':`; `None` if the line is
/// no mapping key.
fn key_of(t: &str) -> Option<(String, &str)> {
    let (key, rest) = match t.chars().next()? {
        q @ ('"' | '\'') => {
            let body = t.get(1..)?;
            let end = body.find(q)?;
            (
                body.get(..end)?.to_string(),
                body.get(end.saturating_add(1)..)?,
            )
        }
        _ => {
            let colon = t.match_indices(':').map(|(i, _)| i).find(|&i| {
                t.get(i.saturating_add(1)..)
                    .is_none_or(|r| r.is_empty() || r.starts_with(' '))
            })?;
            (t.get(..colon)?.trim().to_string(), t.get(colon..)?)
        }
    };
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(':')?;
    (!key.is_empty() && !key.starts_with('#')).then_some((key, rest))
}

/// A scalar's text without quotes and a trailing JSON comma.
fn scalar(t: &str) -> String {
    let t = t.trim().trim_end_matches(',').trim();
    let t = t.split(" #").next().unwrap_or(t).trim();
    t.trim_matches(|c| c == '"' || c == '\'').to_string()
}

impl Lines {
    /// Scans `text` (file index `file`).
    pub fn new(file: u32, text: &str) -> Lines {
        let mut at = BTreeMap::new();
        // (indent, key) of the keys the current line is nested in.
        let mut stack: Vec<(usize, String)> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line_no = u32::try_from(n.saturating_add(1)).unwrap_or(u32::MAX);
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let mut indent = line.len().saturating_sub(trimmed.len());
            let mut t = trimmed;
            let mut item = false;
            while let Some(rest) = t.strip_prefix("- ").or_else(|| (t == "-").then_some("")) {
                item = true;
                indent = indent.saturating_add(2);
                t = rest.trim_start();
            }
            while stack.last().is_some_and(|(i, _)| *i >= indent) {
                stack.pop();
            }
            let path = |extra: &str| {
                let mut p: Vec<String> = stack.iter().map(|(_, k)| k.clone()).collect();
                p.push(extra.to_string());
                p
            };
            match key_of(t) {
                Some((key, _)) => {
                    at.entry(path(&key)).or_insert(line_no);
                    stack.push((indent, key));
                }
                None if item || t.starts_with('"') => {
                    let v = scalar(t);
                    if !v.is_empty() {
                        at.entry(path(&v)).or_insert(line_no);
                    }
                }
                None => {}
            }
        }
        Lines { file, at }
    }

    /// The place of `path`: its own line, else its nearest written ancestor's, else line 1.
    pub fn src(&self, path: &[&str]) -> Src {
        let mut p: Vec<String> = path.iter().map(|s| (*s).to_string()).collect();
        let line = loop {
            if let Some(&l) = self.at.get(&p) {
                break l;
            }
            if p.pop().is_none() {
                break 1;
            }
        };
        Src {
            file: self.file,
            line,
            col: 1,
            anchor: None,
        }
    }
}

/// Parses `text` as YAML (JSON is YAML); bad YAML is a warning at its line naming `what`, and
/// `None`.
pub(crate) fn parse(b: &mut Builder, file: u32, text: &str, what: &str) -> Option<Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match serde_yaml_ng::from_str::<Value>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            let at = Src {
                file,
                line: u32::try_from(line.max(1)).unwrap_or(1),
                col: u32::try_from(col.max(1)).unwrap_or(1),
                anchor: None,
            };
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg);
            b.warn_later(
                &at,
                format!("invalid YAML in {what}: {msg}; the file is left out of the graph"),
            );
            None
        }
    }
}

/// A scalar value as text (numbers and booleans too); `None` for maps, lists and null.
pub(crate) fn text(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Tagged(t) => return text(&t.value),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// The entries of a mapping with string keys, in file order.
pub(crate) fn entries(v: Option<&Value>) -> Vec<(String, &Value)> {
    match v {
        Some(Value::Mapping(m)) => m
            .iter()
            .filter_map(|(k, v)| text(k).map(|k| (k, v)))
            .collect(),
        _ => Vec::new(),
    }
}

/// A list's scalar items, or a single scalar as a list of one.
pub(crate) fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Sequence(items)) => items.iter().filter_map(text).collect(),
        Some(v) => text(v).into_iter().collect(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_items_are_found_by_path() {
        let text = "# c\nservices:\n  web:\n    image: nginx\n    depends_on:\n      - db\n      - \"cache\"\n  db:\n    image: postgres\npaths:\n  '/a/{id}':\n    get: {}\n";
        let l = Lines::new(0, text);
        assert_eq!(l.src(&["services", "web"]).line, 3);
        assert_eq!(l.src(&["services", "web", "depends_on", "db"]).line, 6);
        assert_eq!(l.src(&["services", "web", "depends_on", "cache"]).line, 7);
        assert_eq!(l.src(&["services", "db", "image"]).line, 9);
        assert_eq!(l.src(&["paths", "/a/{id}", "get"]).line, 12);
        // Not written: the nearest ancestor.
        assert_eq!(l.src(&["services", "db", "ports", "80"]).line, 8);
        assert_eq!(l.src(&["nothing"]).line, 1);
    }

    #[test]
    fn pretty_printed_json_is_found_too() {
        let text = "{\n  \"paths\": {\n    \"/pets\": {\n      \"get\": {\n        \"tags\": [\n          \"pets\"\n        ]\n      }\n    }\n  }\n}\n";
        let l = Lines::new(0, text);
        assert_eq!(l.src(&["paths", "/pets", "get"]).line, 4);
        assert_eq!(l.src(&["paths", "/pets", "get", "tags", "pets"]).line, 6);
    }
}
