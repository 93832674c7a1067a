//! YAML front matter: splitting it from the body and reading the keys docatlas understands.
//!
//! Unknown keys are kept as facets, never errors: teams put all sorts of metadata up there.

use docatlas_core::Facet;
use serde_yaml_ng::Value;

/// The front matter keys docatlas gives meaning to; everything else lands in `facets`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// `title`.
    pub title: Option<String>,
    /// `description` (also `summary`).
    pub description: Option<String>,
    /// `tags`, as a list or a comma-separated string.
    pub tags: Vec<String>,
    /// `order`, `sidebar_position` or `weight`.
    pub order: Option<f64>,
    /// `audience: internal`.
    pub internal: bool,
    /// `kind` (`runbook`, `adr`, ...).
    pub kind: Option<String>,
    /// `lang`.
    pub lang: Option<String>,
    /// `read_time` in minutes (`12m`, `~7 min`).
    pub read_minutes: Option<u32>,
    /// All other keys (and `owner`, `service`, `feature`, `status`...), flattened to strings.
    pub facets: Vec<Facet>,
}

/// Where the front matter sits in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Byte range of the YAML between the fences.
    pub yaml: (usize, usize),
    /// Byte offset where the Markdown body starts.
    pub body: usize,
}

/// A front matter problem at a byte offset of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    /// Byte offset in the file.
    pub offset: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Finds a front matter block: `---` on the first line, closed by `---` or `...`.
pub fn split(text: &str) -> Result<Option<Split>, FrontMatterError> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Ok(None);
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut pos = yaml_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |k| pos + k);
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            return Ok(Some(Split {
                yaml: (yaml_start, pos),
                body: (end + 1).min(text.len()),
            }));
        }
        pos = end + 1;
    }
    Err(FrontMatterError {
        offset: 0,
        message: "front matter opened with `---` on line 1 is never closed: add a `---` line after the last key".into(),
    })
}

/// Parses the YAML of a front matter block that starts at byte `base` of the file.
pub fn parse(yaml: &str, base: usize) -> Result<FrontMatter, FrontMatterError> {
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    let value: Value = serde_yaml_ng::from_str(yaml).map_err(|e| {
        let offset = e.location().map_or(0, |l| l.index());
        FrontMatterError {
            offset: base + offset.min(yaml.len()),
            message: format!(
                "invalid YAML in front matter: {}; the page is built without its front matter",
                strip_yaml_positions(&e.to_string())
            ),
        }
    })?;
    let Value::Mapping(map) = value else {
        return Err(FrontMatterError {
            offset: base,
            message: "front matter must be a YAML mapping of `key: value` lines; the page is built without it".into(),
        });
    };
    let mut fm = FrontMatter::default();
    for (k, v) in map {
        let key = match &k {
            Value::String(s) => s.clone(),
            other => flatten(other),
        };
        match key.as_str() {
            "title" => fm.title = non_empty(flatten(&v)),
            "description" | "summary" => fm.description = non_empty(flatten(&v)),
            "tags" => fm.tags = list(&v),
            "order" | "sidebar_position" | "weight" => {
                fm.order = match &v {
                    Value::Number(n) => n.as_f64(),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                }
            }
            "audience" => {
                fm.internal = flatten(&v).trim().eq_ignore_ascii_case("internal");
                fm.facets.push(Facet {
                    key,
                    value: flatten(&v),
                });
            }
            "kind" => fm.kind = non_empty(flatten(&v).to_lowercase()),
            "lang" | "language" => fm.lang = non_empty(flatten(&v).to_lowercase()),
            "read_time" => fm.read_minutes = parse_minutes(&flatten(&v)),
            _ => {
                let value = flatten(&v);
                if !value.is_empty() {
                    fm.facets.push(Facet { key, value });
                }
            }
        }
    }
    fm.facets.sort();
    Ok(fm)
}

/// Drops the YAML parser's own "at line N column M" (relative to the front matter, not the
/// file): the diagnostic already points at the right file position.
fn strip_yaml_positions(msg: &str) -> String {
    let mut out = String::new();
    let mut rest = msg;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + " at line ".len()..];
        let skip = tail
            .find(|c: char| {
                !(c.is_ascii_digit() || c == ' ' || c.is_ascii_alphabetic() && "column".contains(c))
            })
            .unwrap_or(tail.len());
        rest = &tail[skip..];
    }
    out.push_str(rest);
    out
}

fn non_empty(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn list(v: &Value) -> Vec<String> {
    match v {
        Value::Sequence(items) => items
            .iter()
            .map(flatten)
            .filter(|s| !s.is_empty())
            .collect(),
        other => flatten(other)
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    }
}

/// Flattens a YAML value to display text: scalars as written, lists joined with `, `.
pub fn flatten(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Sequence(items) => items.iter().map(flatten).collect::<Vec<_>>().join(", "),
        Value::Mapping(m) => m
            .iter()
            .map(|(k, v)| format!("{}: {}", flatten(k), flatten(v)))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Tagged(t) => flatten(&t.value),
    }
}

/// Reads a reading time such as `12m`, `~7 min`, `7 minutes` or `1h 5m` as whole minutes.
pub fn parse_minutes(s: &str) -> Option<u32> {
    let s = s
        .trim()
        .trim_start_matches(['~', '≈'])
        .trim()
        .to_lowercase();
    let mut total = 0u32;
    let mut num = String::new();
    let mut seen = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        if c == 'h' && !num.is_empty() {
            total += num.parse::<u32>().ok()? * 60;
            num.clear();
            seen = true;
            // skip the rest of "hour(s)"
            while chars.peek().is_some_and(|c| c.is_alphabetic()) {
                chars.next();
            }
        } else if c == 'm' && !num.is_empty() {
            total += num.parse::<u32>().ok()?;
            num.clear();
            seen = true;
            while chars.peek().is_some_and(|c| c.is_alphabetic()) {
                chars.next();
            }
        }
    }
    if !num.is_empty() {
        total += num.parse::<u32>().ok()?;
        seen = true;
    }
    (seen && total > 0).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_the_fences() {
        let text = "---\ntitle: A\n---\n# Body\n";
        let s = split(text).unwrap().unwrap();
        assert_eq!(&text[s.yaml.0..s.yaml.1], "title: A\n");
        assert_eq!(&text[s.body..], "# Body\n");
        assert_eq!(split("# No front matter\n---\n").unwrap(), None);
        assert!(split("---\ntitle: A\n").is_err());
    }

    #[test]
    fn known_keys_and_facets() {
        let fm = parse(
            "title: Payments\ntags: [billing, stripe]\nsidebar_position: 3\naudience: internal\nkind: Runbook\nread_time: ~7 min\nowner: team-ledger\nservices: [payments, pricing]\n",
            0,
        )
        .unwrap();
        assert_eq!(fm.title.as_deref(), Some("Payments"));
        assert_eq!(fm.tags, ["billing", "stripe"]);
        assert_eq!(fm.order, Some(3.0));
        assert!(fm.internal);
        assert_eq!(fm.kind.as_deref(), Some("runbook"));
        assert_eq!(fm.read_minutes, Some(7));
        assert!(fm.facets.contains(&Facet {
            key: "owner".into(),
            value: "team-ledger".into()
        }));
        assert!(fm.facets.contains(&Facet {
            key: "services".into(),
            value: "payments, pricing".into()
        }));
    }

    #[test]
    fn invalid_yaml_points_at_the_problem() {
        let yaml = "title: ok\ntags: [unclosed\n";
        let err = parse(yaml, 4).unwrap_err();
        assert!(err.offset >= 4, "{err:?}");
        assert!(err.message.contains("invalid YAML"));
        assert!(parse("- just\n- a list\n", 0)
            .unwrap_err()
            .message
            .contains("mapping"));
    }

    #[test]
    fn minutes_in_the_forms_people_write() {
        assert_eq!(parse_minutes("12m"), Some(12));
        assert_eq!(parse_minutes("~7 min"), Some(7));
        assert_eq!(parse_minutes("7 minutes"), Some(7));
        assert_eq!(parse_minutes("1h 5m"), Some(65));
        assert_eq!(parse_minutes("5"), Some(5));
        assert_eq!(parse_minutes("soon"), None);
    }
}
