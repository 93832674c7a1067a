//! How bad a finding is: the one severity of build-index's diagnostics and of docatlas-code's
//! findings against the code, so a code finding is a diagnostic without a translation table.

use std::fmt;

/// How bad a finding is. Errors fail `build-index check`; warnings and notes never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Information for maintainers (a page in no reading track, a route path built at run
    /// time); `check` lists notes, `build` does not.
    Note,
    /// Worth fixing; the site is still complete.
    Warning,
    /// Something a reader will hit (a broken link, lost front matter, a route the docs miss).
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
