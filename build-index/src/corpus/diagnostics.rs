//! Compiler-style diagnostics (`path:line:col: severity: message`) and byte-offset → line/column.

use std::fmt;

// One severity for every diagnostic, the docs' and the code check's: defined once in the core
// crate, which docatlas-code names too.
pub use docatlas_core::severity::Severity;

/// One finding about one place in one file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Diagnostic {
    /// Path relative to the docs root, `/`-separated.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// Note, warning or error: only errors fail `build-index check`.
    pub severity: Severity,
    /// What is wrong and how to fix it.
    pub message: String,
    /// Set on findings of the docs against the code (`check --code`); its fields appear in the
    /// JSON line beside the others, which every other diagnostic keeps as they were.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeFinding>,
}

/// What a finding of the docs against the code adds to a [`Diagnostic`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct CodeFinding {
    /// The finding's kind (`undocumented-route`, `ref-moved`...; see `docatlas_code::compare`).
    pub kind: &'static str,
    /// Which file the diagnostic's `path` is in: `docs` and `config` paths are relative to the
    /// docs root like every diagnostic's; a `code` path is the code root as given (relative to
    /// the working directory) joined with the file's path inside it.
    pub origin: &'static str,
    /// The other end, `path:line:col`: the table an undocumented route belongs in, the code line
    /// of a mismatched handler, where a moved symbol is now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path, self.line, self.col, self.severity, self.message
        )
    }
}

impl Diagnostic {
    /// The path relative to the working directory: docs and config paths joined to `docs_dir`
    /// (the docs folder as given), code paths as they are (their root was given so already).
    pub fn path_from(&self, docs_dir: &str) -> String {
        let in_docs = self.code.as_ref().is_none_or(|c| c.origin != "code");
        match docs_dir.trim_end_matches('/') {
            "" | "." => self.path.clone(),
            dir if in_docs => format!("{dir}/{}", self.path),
            _ => self.path.clone(),
        }
    }

    /// The diagnostic as a GitHub Actions workflow command (`::error file=...,line=...::msg`),
    /// which annotates the line in a pull request's diff. `docs_dir` is the docs folder relative
    /// to the repository root (see [`Diagnostic::path_from`]). Notes become `notice`s.
    pub fn github(&self, docs_dir: &str) -> String {
        let level = match self.severity {
            Severity::Note => "notice",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        let title = match &self.code {
            Some(c) => format!("docatlas: {}", c.kind),
            None => "docatlas".to_string(),
        };
        format!(
            "::{level} file={},line={},col={},title={}::{}",
            escape_property(&self.path_from(docs_dir)),
            self.line,
            self.col,
            escape_property(&title),
            escape_data(&self.message)
        )
    }
}

/// A workflow command's message: `%`, CR and LF escaped as GitHub's runner unescapes them.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: as [`escape_data`], and `:` and `,` too.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Maps byte offsets in a text to 1-based line and column numbers. Built once per file; the
/// text is passed back in to each lookup, so a page can own both.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i.saturating_add(1)));
        Self { starts }
    }

    /// The 1-based (line, column) of byte `offset` in `text` (the text this index was built
    /// from); columns count characters, not bytes.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        // `starts` begins with 0, so at least one start is `<= offset`.
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let col = text
            .get(start..offset)
            .map_or(1, |s| s.chars().count().saturating_add(1));
        (line.saturating_add(1), col)
    }
}

/// How many diagnostics of one kind are printed as text before the rest are only counted.
pub const SHOWN_PER_KIND: usize = 20;

/// Diagnostics of one kind beyond the first [`SHOWN_PER_KIND`], counted instead of printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Omitted<'a> {
    /// How many were not printed.
    pub count: usize,
    /// The first one printed of that kind, as an example.
    pub example: &'a Diagnostic,
}

impl fmt::Display for Omitted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "... and {} more {}s like `{}` (--json lists every diagnostic)",
            self.count, self.example.severity, self.example.message
        )
    }
}

/// The diagnostics to print as text, in order, with at most `per_kind` of each kind, and a count
/// of the rest per kind: 200,000 identical "no runbook" warnings bury the one error that matters.
/// A kind is a severity and a message with its quoted names and numbers left out.
pub fn condense(diags: &[Diagnostic], per_kind: usize) -> (Vec<&Diagnostic>, Vec<Omitted<'_>>) {
    let mut seen: std::collections::HashMap<(Severity, String), usize> =
        std::collections::HashMap::new();
    let mut first: Vec<((Severity, String), &Diagnostic)> = Vec::new();
    let mut shown = Vec::new();
    for d in diags {
        let key = (d.severity, kind_of(&d.message));
        let n = seen.entry(key.clone()).or_insert(0);
        if *n == 0 {
            first.push((key, d));
        }
        *n = n.saturating_add(1);
        if *n <= per_kind {
            shown.push(d);
        }
    }
    let omitted = first
        .into_iter()
        .filter_map(|(key, example)| {
            let count = seen.get(&key)?.checked_sub(per_kind)?;
            (count > 0).then_some(Omitted { count, example })
        })
        .collect();
    (shown, omitted)
}

/// A message with what varies between diagnostics of one kind (`quoted` names, numbers) blanked.
fn kind_of(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    let mut digits = false;
    for c in message.chars() {
        if c == '`' {
            quoted = !quoted;
            if quoted {
                out.push_str("`…`");
            }
            continue;
        }
        if quoted {
            continue;
        }
        if c.is_ascii_digit() {
            if !digits {
                out.push('#');
            }
            digits = true;
            continue;
        }
        digits = false;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warn(path: &str, message: &str) -> Diagnostic {
        Diagnostic {
            path: path.into(),
            line: 1,
            col: 1,
            severity: Severity::Warning,
            message: message.into(),
            code: None,
        }
    }

    #[test]
    fn a_flood_of_one_kind_is_cut_to_the_first_ones_and_a_count_and_other_kinds_all_show() {
        let mut diags: Vec<Diagnostic> = (0..500)
            .map(|i| {
                warn(
                    "catalog.md",
                    &format!("service `svc{i}` has no runbook (row {i})"),
                )
            })
            .collect();
        diags.insert(250, warn("a.md", "broken link `x.md`"));
        let (shown, omitted) = condense(&diags, 20);
        assert_eq!(shown.len(), 21);
        assert!(shown.iter().any(|d| d.path == "a.md"));
        assert_eq!(omitted.len(), 1);
        assert_eq!(omitted[0].count, 480);
        assert_eq!(
            omitted[0].to_string(),
            "... and 480 more warnings like `service `svc0` has no runbook (row 0)` (--json lists every diagnostic)"
        );
        let (shown, omitted) = condense(&diags[..20], 20);
        assert_eq!((shown.len(), omitted.len()), (20, 0));
    }

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\nüx {{TBD}}\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 3), (2, 1));
        let tbd = text.find("{{").unwrap();
        assert_eq!(idx.line_col(text, tbd), (2, 4));
    }

    #[test]
    fn display_is_compiler_style() {
        let d = Diagnostic {
            path: "a/b.md".into(),
            line: 3,
            col: 7,
            severity: Severity::Error,
            message: "broken link".into(),
            code: None,
        };
        assert_eq!(d.to_string(), "a/b.md:3:7: error: broken link");
        let note = Diagnostic {
            severity: Severity::Note,
            ..d
        };
        assert_eq!(note.to_string(), "a/b.md:3:7: note: broken link");
        assert_eq!(
            serde_json::to_value(&note).unwrap()["severity"],
            serde_json::json!("note")
        );
    }

    #[test]
    fn github_annotations_escape_what_the_runner_unescapes() {
        let d = Diagnostic {
            path: "a, b.md".into(),
            line: 3,
            col: 7,
            severity: Severity::Warning,
            message: "50% done: see\nnext line".into(),
            code: None,
        };
        assert_eq!(
            d.github("docs"),
            "::warning file=docs/a%2C b.md,line=3,col=7,title=docatlas::50%25 done: see%0Anext line"
        );
        let code = Diagnostic {
            path: "../api/src/x.ts".into(),
            severity: Severity::Error,
            code: Some(CodeFinding {
                kind: "undocumented-route",
                origin: "code",
                related: None,
            }),
            ..d
        };
        assert!(code.github("docs").starts_with(
            "::error file=../api/src/x.ts,line=3,col=7,title=docatlas%3A undocumented-route::"
        ));
        assert_eq!(code.path_from("docs"), "../api/src/x.ts");
    }
}
