//! YAML front matter: splitting it from the body and reading the keys docatlas understands.
//!
//! Unknown keys are kept as facets, never errors: teams put all sorts of metadata up there.

use docatlas_core::Facet;
use serde_yaml_ng::Value;

/// The front matter keys docatlas gives meaning to; everything else lands in `facets`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// `title`: the page's title, ahead of its first H1 and its file name.
    pub title: Option<String>,
    /// `description` (or `summary`): what search results show instead of the first paragraph.
    pub description: Option<String>,
    /// `tags`, as a list or a comma-separated string.
    pub tags: Vec<String>,
    /// `order`, `sidebar_position` or `weight`.
    pub order: Option<f64>,
    /// `audience: internal`: the page is left out of public builds.
    pub internal: bool,
    /// `kind` (`runbook`, `adr`, ...), lower case: a search filter, else inferred from the folder.
    pub kind: Option<String>,
    /// `lang` (or `language`), lower case: picks the stemmer the page is indexed with.
    pub lang: Option<String>,
    /// `read_time` in minutes (`12m`, `~7 min`).
    pub read_minutes: Option<u32>,
    /// Values that were ignored, with why (the rest of the front matter still applies).
    pub warnings: Vec<FrontMatterError>,
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
    let mut lines = text.split_inclusive('\n');
    let yaml_start = match lines.next() {
        Some(first) if first.trim_end() == "---" => first.len(),
        _ => return Ok(None),
    };
    let mut pos = yaml_start;
    for line in lines {
        let end = pos.saturating_add(line.len());
        let fence = line.trim_end();
        if fence == "---" || fence == "..." {
            return Ok(Some(Split {
                yaml: (yaml_start, pos),
                body: end,
            }));
        }
        pos = end;
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
            offset: base.saturating_add(offset.min(yaml.len())),
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
            "read_time" => match read_time_value(&v) {
                Ok(m) => fm.read_minutes = Some(m),
                Err(why) => fm.warnings.push(FrontMatterError {
                    offset: base.saturating_add(key_offset(yaml, &key).unwrap_or(0)),
                    message: format!(
                        "`read_time: {}` is ignored: {why}; write it like `12m`, `~7 min` or \
                         `1h 5m` (the page's reading time is estimated from its words instead)",
                        flatten(&v)
                    ),
                }),
            },
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

/// A `read_time` value as minutes: a number or a duration string; lists and mappings are not.
fn read_time_value(v: &Value) -> Result<u32, String> {
    match v {
        Value::Number(_) | Value::String(_) => read_time(&flatten(v)),
        Value::Tagged(t) => read_time_value(&t.value),
        Value::Null => Err("it is empty".into()),
        Value::Bool(_) => Err("it is a yes/no value".into()),
        Value::Sequence(_) | Value::Mapping(_) => {
            Err("it is a list or mapping, not one time".into())
        }
    }
}

/// Byte offset in `yaml` of the line that sets the top-level `key`, for pointing a diagnostic
/// at it.
fn key_offset(yaml: &str, key: &str) -> Option<usize> {
    let mut offset = 0usize;
    for line in yaml.split_inclusive('\n') {
        let rest = line.strip_prefix(key).map(str::trim_start);
        if rest.is_some_and(|r| r.starts_with(':')) {
            return Some(offset);
        }
        offset = offset.saturating_add(line.len());
    }
    None
}

/// Drops the YAML parser's own "at line N column M" (relative to the front matter, not the
/// file): the diagnostic already points at the right file position.
fn strip_yaml_positions(msg: &str) -> String {
    let mut out = String::new();
    let mut rest = msg;
    while let Some((before, after)) = rest.split_once(" at line ") {
        out.push_str(before);
        let skip = after
            .find(|c: char| {
                !(c.is_ascii_digit() || c == ' ' || c.is_ascii_alphabetic() && "column".contains(c))
            })
            .unwrap_or(after.len());
        rest = after.get(skip..).unwrap_or_default();
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

/// Longest reading time accepted, in minutes (a week). Anything longer is a typo or a joke, and
/// reading tracks add these up: a cap keeps every sum far from overflowing.
pub const MAX_READ_MINUTES: u32 = 7 * 24 * 60;

/// Reads a reading time such as `12m`, `~7 min`, `7 minutes`, `1h 5m`, `1.5h` or `90 s` as whole
/// minutes (rounded up). `None` when it is not a reading time or is over [`MAX_READ_MINUTES`].
pub fn parse_minutes(s: &str) -> Option<u32> {
    read_time(s).ok()
}

/// [`parse_minutes`] with the reason a value is refused, for a diagnostic.
pub fn read_time(s: &str) -> Result<u32, String> {
    let mut total = 0.0f64;
    let mut seen = false;
    // The last number read, while it waits for its unit.
    let mut pending: Option<f64> = None;
    let mut chars = s.trim().chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut num = String::new();
            while let Some(&d) = chars.peek() {
                let decimal_mark = (d == '.' || d == ',') && !num.contains('.');
                if d.is_ascii_digit() || decimal_mark {
                    num.push(if d == ',' { '.' } else { d });
                    chars.next();
                } else {
                    break;
                }
            }
            // `12.` is 12 (a full stop after the number), `1.5` and `1,5` one and a half.
            let value: f64 = num
                .trim_end_matches('.')
                .parse()
                .map_err(|_| format!("`{num}` is not a number"))?;
            // A number without a unit before this one counts as minutes (`5 + 2`).
            total += pending.replace(value).unwrap_or(0.0);
            seen = true;
            continue;
        }
        if c.is_alphabetic() {
            let mut word = String::new();
            while let Some(&w) = chars.peek() {
                if !w.is_alphabetic() {
                    break;
                }
                word.extend(w.to_lowercase());
                chars.next();
            }
            if let Some(n) = pending.take() {
                let per_unit = match word.as_str() {
                    "h" | "hr" | "hrs" | "hour" | "hours" | "std" | "stunde" | "stunden" => 60.0,
                    "m" | "min" | "mins" | "minute" | "minutes" | "minuten" => 1.0,
                    "s" | "sec" | "secs" | "second" | "seconds" | "sek" | "sekunden" => 1.0 / 60.0,
                    _ => {
                        return Err(format!(
                            "`{word}` after {n} is not a unit of time (use `h`, `min` or `s`)"
                        ))
                    }
                };
                total += n * per_unit;
            }
            // Words before any number (`about 7 min`, `~ca. 5m`) or after a unit (`7 min read`)
            // are prose around the time.
            continue;
        }
        chars.next();
        if matches!(c, '-' | '–' | '—') && pending.is_some() {
            // A range (`5-7 min`): the upper bound counts, so drop the lower one.
            pending = None;
        }
    }
    if let Some(n) = pending {
        // A bare number is minutes.
        total += n;
    }
    if !seen {
        return Err("it holds no number".into());
    }
    let minutes = total.ceil();
    if !minutes.is_finite() || minutes > f64::from(MAX_READ_MINUTES) {
        return Err(format!(
            "it is longer than a week ({MAX_READ_MINUTES} minutes), so it cannot be a reading time"
        ));
    }
    if minutes < 1.0 {
        return Err("it is zero".into());
    }
    // In 1..=MAX_READ_MINUTES (checked just above), so the cast is exact.
    Ok(minutes as u32)
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
        assert_eq!(parse_minutes("1.5h"), Some(90));
        assert_eq!(parse_minutes("1,5 Std."), Some(90));
        assert_eq!(parse_minutes("5–7 min"), Some(7));
        assert_eq!(parse_minutes("about 4 mins read"), Some(4));
        assert_eq!(parse_minutes("90 s"), Some(2));
        assert_eq!(parse_minutes("1h5m"), Some(65));
        assert_eq!(parse_minutes("0"), None);
        assert_eq!(parse_minutes("7 pages"), None);
    }

    /// Issue 8: `99999999 * 60` overflowed a `u32` (a panic in debug builds, a wrong time in
    /// release ones).
    #[test]
    fn read_time_99999999h_is_ignored_with_a_warning() {
        assert_eq!(parse_minutes("99999999h"), None);
        assert_eq!(parse_minutes("4294967296"), None);
        assert_eq!(parse_minutes(&"9".repeat(400)), None);
        assert_eq!(parse_minutes("168h"), Some(MAX_READ_MINUTES));
        assert_eq!(parse_minutes("168h 1m"), None);
        let yaml = "title: Big\nread_time: 99999999h\n";
        let fm = parse(yaml, 4).unwrap();
        assert_eq!(fm.read_minutes, None);
        assert_eq!(fm.title.as_deref(), Some("Big"), "the rest still applies");
        assert_eq!(fm.warnings.len(), 1);
        assert_eq!(fm.warnings[0].offset, 4 + "title: Big\n".len());
        let msg = &fm.warnings[0].message;
        assert!(msg.contains("`read_time: 99999999h` is ignored"), "{msg}");
        assert!(msg.contains("longer than a week"), "{msg}");
    }

    #[test]
    fn read_time_of_the_wrong_type_is_a_warning_not_a_value() {
        for (yaml, why) in [
            ("read_time: [3, 4]\n", "list"),
            ("read_time: {a: 1}\n", "list or mapping"),
            ("read_time: true\n", "yes/no"),
            ("read_time:\n", "empty"),
            ("read_time: -0\n", "zero"),
        ] {
            let fm = parse(yaml, 0).unwrap();
            assert_eq!(fm.read_minutes, None, "{yaml}");
            assert!(
                fm.warnings[0].message.contains(why),
                "{yaml}: {:?}",
                fm.warnings
            );
        }
        assert_eq!(parse("read_time: 12\n", 0).unwrap().read_minutes, Some(12));
        assert_eq!(
            parse("read_time: !!str 3m\n", 0).unwrap().read_minutes,
            Some(3)
        );
    }

    #[test]
    fn duplicate_keys_and_deep_nesting_are_diagnosed_not_fatal() {
        let err = parse("title: A\ntitle: B\n", 10).unwrap_err();
        assert!(err.message.contains("duplicate"), "{}", err.message);
        assert!(err.offset >= 10);
        let deep = format!("owner: {}x{}\n", "[".repeat(1_000), "]".repeat(1_000));
        assert!(parse(&deep, 0).is_err());
        let nested = parse("owner: {team: {name: ledger, size: 4}}\n", 0).unwrap();
        assert_eq!(nested.facets[0].value, "team: name: ledger, size: 4");
    }
}
