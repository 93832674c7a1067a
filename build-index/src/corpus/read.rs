//! Phase 1 of a build: find the docs folder's files and read every Markdown page (decode,
//! front matter, first Markdown pass), in parallel.

use std::io::IsTerminal;
use std::path::Path;

use docatlas_core::format::fnv1a64;
use rayon::prelude::*;

use super::dialect::{Dialect, Tool};
use super::encoding;
use super::expand::{self, Expanded};
use crate::corpus::config::{self, Loaded};
use crate::corpus::diagnostics::{Diagnostic, LineIndex, Severity};
use crate::corpus::frontmatter::{self, FrontMatter};
use crate::corpus::markdown::{self, Analysis};
use crate::Error;

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
    /// The body with its dialect's syntax rewritten ([`expand`]), when it had any.
    expanded: Option<Expanded>,
}

impl Page {
    /// Line and column of a byte offset in the body.
    pub fn line_col(&self, body_offset: usize) -> (usize, usize) {
        let source = self
            .expanded
            .as_ref()
            .map_or(body_offset, |e| e.source_offset(body_offset));
        self.lines
            .line_col(&self.text, self.body_start.saturating_add(source))
    }
    /// The Markdown after the front matter, with its dialect's syntax rewritten (what both
    /// Markdown passes read; offsets into it go through [`Page::line_col`]).
    pub fn body(&self) -> &str {
        match &self.expanded {
            Some(e) => &e.text,
            None => self.text.get(self.body_start..).unwrap_or_default(),
        }
    }
    /// The page's kind: its front matter's `kind`, else one its path implies ([`infer_kind`]).
    pub fn kind(&self) -> Option<String> {
        self.fm.kind.clone().or_else(|| infer_kind(&self.path))
    }
}

/// `runbook` for pages under a `runbooks/` folder; `adr` under `adr/`, `adrs/`, or a
/// `decisions/` folder when the file is named like a record (`0007-slug.md`).
fn infer_kind(path: &str) -> Option<String> {
    let lower = path.to_lowercase();
    let file = lower.rsplit('/').next().unwrap_or(&lower);
    let in_dir = |d: &str| lower.starts_with(&format!("{d}/")) || lower.contains(&format!("/{d}/"));
    if in_dir("runbooks") {
        return Some("runbook".into());
    }
    // Bytes, not a string slice: the name may start with a multi-byte character (`予約.md`).
    let adr_name = match file.as_bytes() {
        [a, b, c, d, b'-', _, ..] => [a, b, c, d].iter().all(|x| x.is_ascii_digit()),
        _ => false,
    };
    if in_dir("adr") || in_dir("adrs") || (in_dir("decisions") && adr_name) {
        return Some("adr".into());
    }
    None
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
    /// Hidden Markdown files (`.draft.md`, `..notes.md`), skipped like every hidden name; the
    /// summary counts them so that none goes missing without a word.
    pub hidden: Vec<String>,
}

/// Lists Markdown files and other files under `root`, docs-relative and sorted; hidden files and
/// folders (`.git`, `.obsidian`) and `node_modules` are skipped. A folder that cannot be listed is
/// an error diagnostic and the rest is still listed.
pub(crate) fn walk(
    root: &Path,
    cfg: &Loaded,
    tool: Tool,
    diags: &mut Diags,
) -> Result<Files, Error> {
    let mut files = Files {
        markdown: Vec::new(),
        other: Vec::new(),
        hidden: Vec::new(),
    };
    let mut hidden = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || {
                let name = e.file_name().to_string_lossy();
                let skip = name.starts_with('.') || name == "node_modules";
                if skip && name.starts_with('.') && e.file_type().is_file() && is_markdown(&name) {
                    hidden.push(relative(root, e.path()));
                }
                !skip
            }
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            // The docs folder itself is checked before the walk; below it, one unreadable
            // folder must not cost the whole site.
            Err(e) if e.depth() > 0 => {
                let at = e.path().map_or_else(String::new, |p| relative(root, p));
                let why = e
                    .io_error()
                    .map_or_else(|| "a symbolic link loop".to_string(), ToString::to_string);
                diags.push(&at, (1, 1), Severity::Error, format!(
                    "cannot be read ({why}), so nothing in it is in the site; fix its permissions or exclude it in docatlas.toml"));
                continue;
            }
            Err(e) => {
                return Err(Error::Io {
                    path: e
                        .path()
                        .map_or_else(|| root.to_path_buf(), Path::to_path_buf),
                    error: e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("filesystem loop")),
                })
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative(root, entry.path());
        if is_markdown(&rel) && !(tool == Tool::Docusaurus && is_partial(&rel)) {
            if cfg.wants(&rel) {
                files.markdown.push(rel);
            }
        } else if rel != config::CONFIG_FILE {
            files.other.push(rel);
        }
    }
    hidden.sort();
    files.hidden = hidden;
    Ok(files)
}

/// Whether a file name is a Markdown page's (`.md`, `.markdown`, `.mdx`).
fn is_markdown(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".mdx")
}

/// A Docusaurus partial (`_intro.mdx`, or any file under a `_folder/`): imported by pages,
/// never a page of its own.
fn is_partial(rel: &str) -> bool {
    rel.split('/').any(|seg| seg.starts_with('_'))
}

/// `path` relative to `root`, `/`-separated.
fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads and parses every page, spread over the cores; the result keeps the input order, so
/// the output stays deterministic. Binary files are skipped with a warning.
pub(crate) fn read_pages(
    root: &Path,
    markdown: &[String],
    dialect: &Dialect,
    progress: bool,
    diags: &mut Diags,
    cache: Option<&PageCache>,
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
            let mut local = Diags::default();
            let bytes = match std::fs::read(root.join(rel)) {
                Ok(bytes) => bytes,
                Err(error) => {
                    local.push(rel, (1, 1), Severity::Error, format!(
                        "cannot be read ({error}), so it is not in the site; fix its permissions or exclude it in docatlas.toml"));
                    return Ok((None, local));
                }
            };
            if let Some(b) = &bar {
                b.inc(1);
            }
            // A page that includes other files (mdBook `{{#include}}`, Docusaurus partials) is
            // read again every time: the cache keys pages by their own bytes only.
            let appends = expand::appends_files(dialect.snippets.as_ref());
            let cache = cache.filter(|_| !appends && !reads_other_files(&bytes));
            if let Some(hit) = cache.and_then(|c| c.page(rel, &bytes)) {
                return Ok(hit);
            }
            let cx = expand::Context {
                tool: dialect.tool,
                root,
                path: rel,
                snippets: dialect.snippets.as_ref(),
            };
            let read = read_one(rel, &bytes, &cx);
            if let Some(c) = cache {
                c.store_page(rel, &bytes, &read.0, &read.1);
            }
            Ok(read)
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

/// A page as read: the hash of its bytes, the page (`None`: a binary file), its diagnostics.
type ReadPage = (u64, Option<Page>, Vec<Diagnostic>);

/// The pages read by earlier builds of the same folder, by path, each kept with the hash of the
/// bytes it was read from (`serve --watch`: a page whose bytes did not change is not read again).
#[derive(Default)]
pub(crate) struct PageCache(std::sync::Mutex<std::collections::HashMap<String, ReadPage>>);

impl PageCache {
    /// The page read from `bytes` at `rel` before, with its diagnostics.
    fn page(&self, rel: &str, bytes: &[u8]) -> Option<(Option<Page>, Diags)> {
        let map = self.0.lock().ok()?;
        let (hash, page, diags) = map.get(rel)?;
        (*hash == fnv1a64(bytes)).then(|| (page.clone(), Diags(diags.clone())))
    }

    /// Keeps what reading `bytes` at `rel` gave.
    fn store_page(&self, rel: &str, bytes: &[u8], page: &Option<Page>, diags: &Diags) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(
                rel.to_string(),
                (fnv1a64(bytes), page.clone(), diags.0.clone()),
            );
        }
    }
}

/// Whether reading the page may read other files too (an mdBook include, an MDX import), so
/// that its own bytes do not decide what it reads as.
fn reads_other_files(bytes: &[u8]) -> bool {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    has(b"{{#") || has(b"import ") || has(b"--8<--")
}

/// One page read from its bytes (`None` for a binary file), with its diagnostics.
fn read_one(rel: &str, bytes: &[u8], cx: &expand::Context<'_>) -> (Option<Page>, Diags) {
    let mut local = Diags::default();
    if encoding::looks_binary(bytes) {
        local.push(rel, (1, 1), Severity::Warning,
            "not a text file (it contains NUL bytes), so it is skipped; rename it if it is not Markdown".into());
        return (None, local);
    }
    let page = read_page(rel, bytes, cx, &mut local);
    (Some(page), local)
}

fn read_page(rel: &str, bytes: &[u8], cx: &expand::Context<'_>, diags: &mut Diags) -> Page {
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
    let source = text.get(body_start..).unwrap_or_default();
    let mut problems = Vec::new();
    let expanded = expand::expand(source, cx, &mut problems);
    for (offset, message) in problems {
        let at = lines.line_col(&text, body_start.saturating_add(offset));
        diags.push(rel, at, Severity::Warning, message);
    }
    let body = expanded.as_ref().map_or(source, |e| e.text.as_str());
    let analysis = markdown::analyze_as(body, cx.tool);
    Page {
        path: rel.to_string(),
        text,
        body_start,
        fm,
        internal,
        analysis,
        lines,
        expanded,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_detection_on_names_that_start_with_multibyte_characters() {
        // `file[..4]` once panicked here: byte 4 is inside `約` / after `é`.
        for name in [
            "予約.md",
            "café-notes.md",
            "décisions/été.md",
            "ü.md",
            "日本語/予約.md",
        ] {
            assert_eq!(infer_kind(name), None, "{name}");
        }
        assert_eq!(
            infer_kind("decisions/0007-cache.md").as_deref(),
            Some("adr")
        );
        assert_eq!(infer_kind("decisions/notes.md"), None);
        assert_eq!(infer_kind("ops/runbooks/db.md").as_deref(), Some("runbook"));
        assert_eq!(infer_kind("adr/index.md").as_deref(), Some("adr"));
    }

    #[test]
    fn a_page_that_cannot_be_read_is_an_error_naming_it_and_the_others_are_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("here.md"), "# Here\n").unwrap();
        // Listed, then gone before it was read (deleted during the build): a read error.
        let listed = ["gone.md".to_string(), "here.md".to_string()];
        let mut diags = Diags::default();
        let pages = read_pages(
            dir.path(),
            &listed,
            &Dialect::default(),
            false,
            &mut diags,
            None,
        )
        .unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].path, "here.md");
        let d = &diags.0[0];
        assert_eq!((d.path.as_str(), d.severity), ("gone.md", Severity::Error));
        assert!(d.message.starts_with("cannot be read ("), "{}", d.message);
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_that_cannot_be_listed_is_an_error_and_the_rest_is_walked() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "# A\n").unwrap();
        let locked = dir.path().join("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::write(locked.join("b.md"), "# B\n").unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let denied = std::fs::read_dir(&locked).is_err();
        let cfg = config::load(dir.path()).unwrap();
        let mut diags = Diags::default();
        let files = walk(dir.path(), &cfg, Tool::Plain, &mut diags).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        if !denied {
            // Root reads every folder: there is no unreadable folder to walk past.
            eprintln!("skipped: this user can read a folder with mode 000");
            return;
        }
        assert_eq!(files.markdown, ["a.md"]);
        assert_eq!(diags.0.len(), 1);
        assert_eq!(diags.0[0].path, "locked");
        assert_eq!(diags.0[0].severity, Severity::Error);
    }

    #[test]
    fn hidden_markdown_files_are_skipped_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.md", "..notes.md", ".draft.md", ".image.png"] {
            std::fs::write(dir.path().join(name), "# x\n").unwrap();
        }
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git/README.md"), "# x\n").unwrap();
        let cfg = config::load(dir.path()).unwrap();
        let files = walk(dir.path(), &cfg, Tool::Plain, &mut Diags::default()).unwrap();
        assert_eq!(files.markdown, ["a.md"]);
        assert_eq!(files.hidden, ["..notes.md", ".draft.md"]);
    }
}
