//! `build-index check`: the docs' diagnostics, and with `--code` (or `[code] roots`) the route
//! and event inventory checked against the code, printed as text, JSON lines or GitHub Actions
//! annotations; exit 1 on any error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use build_index::{compile, Options};
use clap::ValueEnum;
use docatlas_core::Audience;

use super::{hidden_summary, plural, print_condensed};

/// How `check` prints diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// `path:line:col: severity: message`, paths relative to the docs folder (code paths as
    /// their root was given).
    Text,
    /// One JSON object a line: `{"path", "line", "col", "severity", "message"}`, plus `kind`,
    /// `origin` and `related` for findings against the code.
    Json,
    /// GitHub Actions workflow commands (`::error file=...,line=...::message`), paths relative
    /// to the working directory, so a job run from the repository root annotates the PR's lines.
    Github,
}

/// The docs folder as a path relative to the working directory when it is under it (GitHub
/// matches annotations by repository-relative path), else as given.
fn docs_dir(docs: &Path) -> String {
    let rel = std::env::current_dir()
        .ok()
        .and_then(|cwd| docs.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| docs.to_path_buf());
    rel.to_string_lossy().replace('\\', "/")
}

/// `check`: diagnostics on stdout, a summary on stderr, exit 1 on any error.
pub(crate) fn check(
    docs: PathBuf,
    audience: Audience,
    format: Format,
    code: &[PathBuf],
) -> anyhow::Result<ExitCode> {
    let mut compiled = compile(&Options {
        docs: docs.clone(),
        audience,
        progress: true,
    })?;
    let summary = build_index::check_code(&mut compiled, &docs, code)?;
    print(&compiled.diagnostics, format, &docs_dir(&docs))?;
    let against = match &summary {
        Some(s) => format!(
            " against {} under {} ({}, {} in {:.2}s)",
            plural(s.files_parsed, "code file"),
            s.roots.join(", "),
            plural(s.routes, "route"),
            plural(s.events, "socket event"),
            s.seconds
        ),
        None => String::new(),
    };
    eprintln!(
        "checked {}{against}: {}, {}, {}",
        plural(compiled.files_read, "page"),
        plural(compiled.errors(), "error"),
        plural(compiled.warnings(), "warning"),
        plural(compiled.notes(), "note"),
    );
    eprint!("{}", hidden_summary(&compiled));
    Ok(if compiled.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints `diags` on stdout: as text, up to [`build_index::diagnostics::SHOWN_PER_KIND`] of each
/// kind and a count of the rest; as JSON lines or annotations, every one. `docs_dir` prefixes
/// docs paths in annotations. A closed stdout ends the printing quietly.
fn print(diags: &[build_index::Diagnostic], format: Format, docs_dir: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let quiet_pipe = |r: std::io::Result<()>| match r {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e),
        _ => Ok(()),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if format == Format::Text {
        return Ok(quiet_pipe(print_condensed(&mut out, diags))?);
    }
    for d in diags {
        let line = match format {
            Format::Json => serde_json::to_string(d)?,
            _ => d.github(docs_dir),
        };
        if let Err(e) = writeln!(out, "{line}") {
            return Ok(quiet_pipe(Err(e))?);
        }
    }
    Ok(quiet_pipe(out.flush())?)
}
