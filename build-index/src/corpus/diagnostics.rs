//! Compiler-style diagnostics (`path:line:col: severity: message`) and byte-offset → line/column.

use std::fmt;

/// How bad a diagnostic is. Errors fail `build-index check`; warnings and notes never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Information for maintainers (a page in no reading track); `check` lists notes, `build`
    /// does not.
    Note,
    /// Worth fixing; the site is still complete.
    Warning,
    /// Something a reader will hit (a broken link, lost front matter).
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
