//! Phase 1 of a build: find the docs folder's files and read every Markdown page (decode,
//! front matter, first Markdown pass), in parallel.

use std::io::IsTerminal;
use std::path::Path;

use rayon::prelude::*;

use crate::config::{self, Loaded};
use crate::diagnostics::{Diagnostic, LineIndex, Severity};
use crate::frontmatter::{self, FrontMatter};
use crate::markdown::{self, Analysis};
use crate::{encoding, Error};

/// Show a progress bar for builds of at least this many files (on a terminal).
const PROGRESS_THRESHOLD: usize = 200;

/// A Markdown file after decoding and the first pass.
#[derive(Clone)]
pub(crate) struct Page {
    /// Docs-relative path, `/`-separated.
    pub path: String,
    /// The decoded file, front matter included (line numbers count from its first line).
    pub text: String,
    /// Byte offset in `text` where the Markdown body starts.
    pub body_start: usize,
    pub fm: FrontMatter,
    /// Under `internal/` or `audience: internal`: left out of public builds.
    pub internal: bool,
    pub analysis: Analysis,
    lines: LineIndex,
}

impl Page {
    /// Line and column of a byte offset in the body.
    pub fn line_col(&self, body_offset: usize) -> (usize, usize) {
        self.lines
            .line_col(&self.text, self.body_start.saturating_add(body_offset))
    }
    /// The Markdown after the front matter.
    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or_default()
    }
}

/// Diagnostics collected while building.
#[derive(Default, Clone)]
pub(crate) struct Diags(pub Vec<Diagnostic>);

impl Diags {
    pub fn push(
        &mut self,
        path: &str,
        (line, col): (usize, usize),
        severity: Severity,
        message: String,
    ) {
        self.0.push(Diagnostic {
            path: path.to_string(),
            line,
            col,
            severity,
            message,
            code: None,
        });
    }
}

/// The docs folder's files, docs-relative and sorted.
pub(crate) struct Files {
    /// Markdown pages the config wants.
    pub markdown: Vec<String>,
    /// Everything else (images, attachments, `catalog-info.yaml`...), except the config file.
    pub other: Vec<String>,
}

/// Lists Markdown files and other files under `root`, docs-relative and sorted; hidden files and
/// folders (`.git`, `.obsidian`) and `node_modules` are skipped.
pub(crate) fn walk(root: &Path, cfg: &Loaded) -> Result<Files, Error> {
    let mut files = Files {
        markdown: Vec::new(),
        other: Vec::new(),
    };
    let walker = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || {
                let name = e.file_name().to_string_lossy();
                !name.starts_with('.') && name != "node_modules"
            }
        });
    for entry in walker {
        let entry = entry.map_err(|e| Error::Io {
            path: e
                .path()
                .map_or_else(|| root.to_path_buf(), Path::to_path_buf),
            error: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("filesystem loop")),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let lower = rel.to_lowercase();
        if lower.ends_with(".md") || lower.ends_with(".markdown") {
            if cfg.wants(&rel) {
                files.markdown.push(rel);
            }
        } else if rel != config::CONFIG_FILE {
            files.other.push(rel);
        }
    }
    Ok(files)
}

/// Reads and parses every page, spread over the cores; the result keeps the input order, so
/// the output stays deterministic. Binary files are skipped with a warning.
pub(crate) fn read_pages(
    root: &Path,
    markdown: &[String],
    progress: bool,
    diags: &mut Diags,
    cache: Option<&super::cache::Cache>,
) -> Result<Vec<Page>, Error> {
    let bar = (progress && markdown.len() >= PROGRESS_THRESHOLD && std::io::stderr().is_terminal())
        .then(|| {
            let bar = indicatif::ProgressBar::new(markdown.len() as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} reading {pos}/{len} pages {wide_bar} {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
    let read: Vec<Result<(Option<Page>, Diags), Error>> = markdown
        .par_iter()
        .map(|rel| {
            let path = root.join(rel);
            let bytes = std::fs::read(&path).map_err(|error| Error::Io { path, error })?;
            if let Some(b) = &bar {
                b.inc(1);
            }
            if let Some(hit) = cache.and_then(|c| c.page(rel, &bytes)) {
                return Ok(hit);
            }
            let read = read_one(rel, &bytes);
            if let (Some(c), Ok((page, diags))) = (cache, &read) {
                c.store_page(rel, &bytes, page, diags);
            }
            read
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let mut pages = Vec::with_capacity(markdown.len());
    for r in read {
        let (page, d) = r?;
        diags.0.extend(d.0);
        pages.extend(page);
    }
    Ok(pages)
}

/// One page read from its bytes (`None` for a binary file), with its diagnostics.
fn read_one(rel: &str, bytes: &[u8]) -> Result<(Option<Page>, Diags), Error> {
    let mut local = Diags::default();
    if encoding::looks_binary(bytes) {
        local.push(rel, (1, 1), Severity::Warning,
            "not a text file (it contains NUL bytes), so it is skipped; rename it if it is not Markdown".into());
        return Ok((None, local));
    }
    let page = read_page(rel, bytes, &mut local);
    Ok((Some(page), local))
}

fn read_page(rel: &str, bytes: &[u8], diags: &mut Diags) -> Page {
    let decoded = encoding::decode(bytes);
    let text = decoded.text;
    let lines = LineIndex::new(&text);
    for (offset, msg) in decoded.notes {
        diags.push(rel, lines.line_col(&text, offset), Severity::Warning, msg);
    }
    for (offset, msg) in decoded.suspects {
        diags.push(rel, lines.line_col(&text, offset), Severity::Note, msg);
    }
    let (fm, body_start) = front_matter(rel, &text, &lines, diags);
    let internal = fm.internal || rel.starts_with("internal/") || rel.contains("/internal/");
    let analysis = markdown::analyze(text.get(body_start..).unwrap_or_default());
    Page {
        path: rel.to_string(),
        text,
        body_start,
        fm,
        internal,
        analysis,
        lines,
    }
}

/// The page's front matter and where its body starts; a broken block is an error diagnostic
/// and the page builds without it.
fn front_matter(
    rel: &str,
    text: &str,
    lines: &LineIndex,
    diags: &mut Diags,
) -> (FrontMatter, usize) {
    let mut report = |offset: usize, severity: Severity, message: String| {
        diags.push(rel, lines.line_col(text, offset), severity, message)
    };
    match frontmatter::split(text) {
        Ok(None) => (FrontMatter::default(), 0),
        Ok(Some(split)) => {
            let yaml = text.get(split.yaml.0..split.yaml.1).unwrap_or_default();
            match frontmatter::parse(yaml, split.yaml.0) {
                Ok(fm) => {
                    for w in &fm.warnings {
                        report(w.offset, Severity::Warning, w.message.clone());
                    }
                    (fm, split.body)
                }
                Err(e) => {
                    report(e.offset, Severity::Error, e.message);
                    (FrontMatter::default(), split.body)
                }
            }
        }
        Err(e) => {
            report(e.offset, Severity::Error, e.message);
            (FrontMatter::default(), 0)
        }
    }
}
