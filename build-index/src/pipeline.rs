//! The compile step: docs folder in, bundle and diagnostics out.

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use docatlas_core::index::IndexBuilder;
use docatlas_core::{Audience, Bundle, Doc, Site};
use rayon::prelude::*;

use crate::config::{self, Loaded};
use crate::diagnostics::{Diagnostic, LineIndex, Severity};
use crate::frontmatter::{self, FrontMatter};
use crate::links::{resolve, Target};
use crate::markdown::{self, Analysis, RenderContext, Rewrite};
use crate::{encoding, sanitize, Error};

/// Reading speed used when a page gives no read time.
pub const WORDS_PER_MINUTE: usize = 230;
/// Summaries taken from a page's first paragraph are cut to about this many characters.
const SUMMARY_CHARS: usize = 220;
/// Show a progress bar for builds of at least this many files (on a terminal).
const PROGRESS_THRESHOLD: usize = 200;

/// What to build.
#[derive(Debug, Clone)]
pub struct Options {
    /// The docs folder.
    pub docs: PathBuf,
    /// Public leaves internal pages out entirely; internal keeps them with a banner.
    pub audience: Audience,
    /// Show a progress bar on a terminal for large folders.
    pub progress: bool,
}

/// The result of [`compile`].
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The bundle to write.
    pub bundle: Bundle,
    /// Everything worth telling the author, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Markdown files read (including internal pages a public build leaves out).
    pub files_read: usize,
    /// How long each phase took, in order: (phase, seconds).
    pub timings: Vec<(&'static str, f64)>,
    /// Files outside Markdown that pages link to (images, attachments), relative to the docs root;
    /// the site writer copies them.
    pub assets: Vec<String>,
}

impl Compiled {
    /// Number of error diagnostics.
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
    /// Number of warning diagnostics.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// A Markdown file after decoding and the first pass.
struct Page {
    path: String,
    text: String,
    body_start: usize,
    fm: FrontMatter,
    internal: bool,
    analysis: Analysis,
    lines: LineIndex,
}

impl Page {
    fn line_col(&self, body_offset: usize) -> (usize, usize) {
        self.lines
            .line_col(&self.text, self.body_start + body_offset)
    }
    fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

struct Diags(Vec<Diagnostic>);

/// A file read in parallel: its page (`None` for a skipped binary file) and its diagnostics.
type ReadPage = (Option<Page>, Vec<Diagnostic>);

impl Diags {
    fn push(
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
        });
    }
}

/// Reads, checks and compiles the docs folder. Bad input becomes diagnostics, never a panic or
/// an abort; only an unreadable folder or config is an [`Error`].
pub fn compile(opts: &Options) -> Result<Compiled, Error> {
    let root = &opts.docs;
    if !root.is_dir() {
        return Err(Error::DocsNotFound(root.clone()));
    }
    let mut timings = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |name: &'static str| {
        timings.push((name, clock.elapsed().as_secs_f64()));
        clock = std::time::Instant::now();
    };
    let cfg = config::load(root)?;
    let (md_files, other_files) = walk(root, &cfg)?;
    let mut diags = Diags(Vec::new());

    let bar =
        (opts.progress && md_files.len() >= PROGRESS_THRESHOLD && std::io::stderr().is_terminal())
            .then(|| {
                let bar = indicatif::ProgressBar::new(md_files.len() as u64);
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{spinner} reading {pos}/{len} pages {wide_bar} {eta}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                bar
            });
    // Reading and parsing pages is independent per page: spread it over the cores. `collect`
    // keeps the input order, so the output stays deterministic.
    let read: Vec<Result<ReadPage, Error>> = md_files
        .par_iter()
        .map(|rel| {
            let bytes = std::fs::read(root.join(rel)).map_err(|error| Error::Io {
                path: root.join(rel),
                error,
            })?;
            if let Some(b) = &bar {
                b.inc(1);
            }
            let mut local = Diags(Vec::new());
            if encoding::looks_binary(&bytes) {
                local.push(rel, (1, 1), Severity::Warning,
                    "not a text file (it contains NUL bytes), so it is skipped; rename it if it is not Markdown".into());
                return Ok((None, local.0));
            }
            let page = read_page(rel, &bytes, &mut local);
            Ok((Some(page), local.0))
        })
        .collect();
    let mut pages = Vec::with_capacity(md_files.len());
    for r in read {
        let (page, d) = r?;
        diags.0.extend(d);
        pages.extend(page);
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }

    lap("read and parse");
    let included: BTreeMap<&str, &Page> = pages
        .iter()
        .filter(|p| opts.audience == Audience::Internal || !p.internal)
        .map(|p| (p.path.as_str(), p))
        .collect();
    let all: BTreeMap<&str, &Page> = pages.iter().map(|p| (p.path.as_str(), p)).collect();
    let others: BTreeSet<&str> = other_files.iter().map(String::as_str).collect();

    // Read times from pages tables ("| Page | Read time |"), keyed by the linked page.
    let mut table_minutes: BTreeMap<String, u32> = BTreeMap::new();
    for page in &pages {
        for table in &page.analysis.tables {
            let Some(col) = table
                .header
                .iter()
                .position(|c| c.text.to_lowercase().contains("read time"))
            else {
                continue;
            };
            for row in &table.rows {
                let minutes = row
                    .get(col)
                    .and_then(|c| frontmatter::parse_minutes(&c.text));
                let target =
                    row.iter()
                        .flat_map(|c| &c.links)
                        .find_map(|l| match resolve(&page.path, l) {
                            Target::Path { path, .. } => Some(path),
                            _ => None,
                        });
                if let (Some(m), Some(t)) = (minutes, target) {
                    table_minutes.entry(t).or_insert(m);
                }
            }
        }
    }

    // Check every page's links (internal ones too: their authors run `check` as well).
    let mut assets = BTreeSet::new();
    for page in &pages {
        for link in &page.analysis.links {
            let resolved = resolve_in(&page.path, &link.dest, &all, &others);
            let problem = match check_link(&link.dest, &resolved, &all) {
                LinkCheck::Ok(Some(asset)) if included.contains_key(page.path.as_str()) => {
                    assets.insert(asset);
                    None
                }
                LinkCheck::Ok(_) => None,
                LinkCheck::Broken(msg) => Some((Severity::Error, msg)),
                LinkCheck::Outside => Some((Severity::Warning, format!(
                    "link `{}` leaves the docs folder, so it cannot work in the site; link to a page inside the folder or use a full URL",
                    link.dest
                ))),
            };
            let to_internal = match resolved {
                Resolved::Page { path, .. } if opts.audience == Audience::Public && !page.internal && all[path].internal => Some((
                    Severity::Warning,
                    format!("link to internal page `{path}`: a public build leaves that page out, so the link is shown as plain text; build with --audience internal to keep it"),
                )),
                _ => None,
            };
            // Line numbers only for the links worth a diagnostic.
            for (severity, msg) in problem.into_iter().chain(to_internal) {
                diags.push(&page.path, page.line_col(link.offset), severity, msg);
            }
        }
        for &gap in &page.analysis.gaps {
            diags.push(
                &page.path,
                page.line_col(gap),
                Severity::Warning,
                "gap marker {{TBD}}: this part of the page is not written yet".into(),
            );
        }
    }

    // Titles, then duplicate titles among the pages that ship.
    let titles: BTreeMap<&str, String> = pages
        .iter()
        .map(|p| (p.path.as_str(), title_of(p)))
        .collect();
    let mut first_with_title: BTreeMap<&str, &str> = BTreeMap::new();
    for path in included.keys() {
        let t = titles[path].as_str();
        match first_with_title.get(t) {
            Some(first) => diags.push(path, (1, 1), Severity::Warning, format!(
                "title `{t}` is also the title of `{first}`; give pages distinct titles (front matter `title:`) so search results can be told apart"
            )),
            None => {
                first_with_title.insert(t, path);
            }
        }
    }

    lap("check links");
    let docs: Vec<Doc> = included
        .par_iter()
        .map(|(path, page)| {
            let rewrite = |dest: &str| rewrite_link(path, dest, &included, &others);
            let ctx = RenderContext {
                anchors: page.analysis.anchors().map(String::from).collect(),
                rewrite: &rewrite,
                repo_url: cfg.config.repo_url.as_deref(),
            };
            let html = sanitize::clean(&markdown::render(page.body(), &ctx));
            make_doc(
                page,
                titles[path].clone(),
                html,
                table_minutes.get(*path).copied(),
            )
        })
        .collect();

    lap("render and sanitise");
    let index = IndexBuilder::new().build(&docs);
    lap("index");
    let site = Site {
        title: site_title(&cfg, &included, &titles),
        audience: opts.audience,
    };
    let mut diagnostics = diags.0;
    diagnostics.sort();
    diagnostics.dedup();
    Ok(Compiled {
        bundle: Bundle {
            site,
            docs,
            index,
            // Filled in when the bundle is encoded into its head and page chunks.
            chunks: Vec::new(),
        },
        diagnostics,
        files_read: md_files.len(),
        timings,
        assets: assets.into_iter().collect(),
    })
}

fn site_title(
    cfg: &Loaded,
    included: &BTreeMap<&str, &Page>,
    titles: &BTreeMap<&str, String>,
) -> String {
    if let Some(t) = &cfg.config.title {
        return t.clone();
    }
    for readme in ["README.md", "index.md"] {
        if included.contains_key(readme) {
            return titles[readme].clone();
        }
    }
    "Docs".to_string()
}

/// Lists Markdown files and other files under `root`, docs-relative and sorted; hidden files and
/// folders (`.git`, `.obsidian`) and `node_modules` are skipped.
fn walk(root: &Path, cfg: &Loaded) -> Result<(Vec<String>, Vec<String>), Error> {
    let mut md = Vec::new();
    let mut other = Vec::new();
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
                md.push(rel);
            }
        } else if rel != config::CONFIG_FILE {
            other.push(rel);
        }
    }
    Ok((md, other))
}

fn read_page(rel: &str, bytes: &[u8], diags: &mut Diags) -> Page {
    let decoded = encoding::decode(bytes);
    let text = decoded.text;
    let lines = LineIndex::new(&text);
    for (offset, msg) in decoded.notes {
        diags.push(rel, lines.line_col(&text, offset), Severity::Warning, msg);
    }
    let (fm, body_start) = match frontmatter::split(&text) {
        Ok(None) => (FrontMatter::default(), 0),
        Ok(Some(split)) => {
            match frontmatter::parse(&text[split.yaml.0..split.yaml.1], split.yaml.0) {
                Ok(fm) => (fm, split.body),
                Err(e) => {
                    diags.push(
                        rel,
                        lines.line_col(&text, e.offset),
                        Severity::Error,
                        e.message,
                    );
                    (FrontMatter::default(), split.body)
                }
            }
        }
        Err(e) => {
            diags.push(
                rel,
                lines.line_col(&text, e.offset),
                Severity::Error,
                e.message,
            );
            (FrontMatter::default(), 0)
        }
    };
    let internal = fm.internal || rel.starts_with("internal/") || rel.contains("/internal/");
    let analysis = markdown::analyze(&text[body_start..]);
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

fn title_of(page: &Page) -> String {
    if let Some(t) = &page.fm.title {
        return t.clone();
    }
    if let Some(h1) = page.analysis.first_h1.as_ref().filter(|h| !h.is_empty()) {
        return h1.clone();
    }
    let file = page.path.rsplit('/').next().unwrap_or(&page.path);
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let stem = if stem.eq_ignore_ascii_case("readme") || stem.eq_ignore_ascii_case("index") {
        page.path.rsplit('/').nth(1).unwrap_or("Home")
    } else {
        stem
    };
    let words = stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
    let words = if words.is_empty() { stem } else { words };
    let mut out: String = words.replace(['-', '_'], " ");
    if let Some(first) = out.chars().next() {
        out.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
    }
    out
}

fn make_doc(page: &Page, title: String, html: String, table_minutes: Option<u32>) -> Doc {
    let a = &page.analysis;
    let mut sections = a.sections.clone();
    if let Some(lead) = sections.first_mut() {
        lead.heading = title.clone();
    }
    // A page with no text before its first heading has an empty lead section: drop it, so search
    // hits always point at a real heading.
    if sections.len() > 1 && sections[0].text.is_empty() && sections[0].code.is_empty() {
        sections.remove(0);
    }
    let summary = page.fm.description.clone().unwrap_or_else(|| {
        a.first_paragraph
            .as_deref()
            .map(shorten)
            .unwrap_or_default()
    });
    let read_minutes = page
        .fm
        .read_minutes
        .or(table_minutes)
        .unwrap_or_else(|| a.words.div_ceil(WORDS_PER_MINUTE).max(1) as u32);
    Doc {
        path: page.path.clone(),
        title,
        summary,
        kind: page.fm.kind.clone().or_else(|| infer_kind(&page.path)),
        lang: page
            .fm
            .lang
            .clone()
            .or_else(|| infer_lang(&page.path))
            .or_else(|| detect_lang(&sections)),
        internal: page.internal,
        read_minutes,
        tags: page.fm.tags.clone(),
        facets: page.fm.facets.clone(),
        sections,
        tasks: a.tasks.clone(),
        html,
    }
}

/// Guesses English or German from the page's text, so the right stemmer indexes it.
fn detect_lang(sections: &[docatlas_core::Section]) -> Option<String> {
    let sample: String = sections
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    docatlas_core::text::detect_lang(&sample).map(|l| match l {
        docatlas_core::text::Lang::En => "en".to_string(),
        docatlas_core::text::Lang::De => "de".to_string(),
    })
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= SUMMARY_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(SUMMARY_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

fn infer_kind(path: &str) -> Option<String> {
    let lower = path.to_lowercase();
    let file = lower.rsplit('/').next().unwrap_or(&lower);
    let in_dir = |d: &str| lower.starts_with(&format!("{d}/")) || lower.contains(&format!("/{d}/"));
    if in_dir("runbooks") {
        return Some("runbook".into());
    }
    let adr_name = file.len() > 5
        && file[..4].chars().all(|c| c.is_ascii_digit())
        && file.as_bytes()[4] == b'-';
    if in_dir("adr") || in_dir("adrs") || in_dir("decisions") && adr_name {
        return Some("adr".into());
    }
    None
}

const LANG_DIRS: &[&str] = &[
    "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "sv", "zh",
];

fn infer_lang(path: &str) -> Option<String> {
    path.split('/')
        .find(|seg| LANG_DIRS.contains(seg))
        .map(String::from)
}

enum LinkCheck {
    /// Fine; `Some(file)` when it points at a non-Markdown file the site must carry.
    Ok(Option<String>),
    Broken(String),
    Outside,
}

/// The page a path means: itself, or a folder's README.md / index.md.
fn find_page<'p>(path: &str, pages: &BTreeMap<&'p str, &Page>) -> Option<&'p str> {
    if let Some((k, _)) = pages.get_key_value(path) {
        return Some(k);
    }
    let dir = path.trim_end_matches('/');
    ["README.md", "index.md", "readme.md"].iter().find_map(|f| {
        let p = if dir.is_empty() {
            (*f).to_string()
        } else {
            format!("{dir}/{f}")
        };
        pages.get_key_value(p.as_str()).map(|(k, _)| *k)
    })
}

/// What a link points at, among the pages of `pages` and the other files of the docs folder.
enum Resolved<'p> {
    External,
    Outside,
    Page {
        path: &'p str,
        anchor: Option<String>,
    },
    File(String),
    Missing(String),
}

fn resolve_in<'p>(
    from: &'p str,
    dest: &str,
    pages: &BTreeMap<&'p str, &Page>,
    others: &BTreeSet<&str>,
) -> Resolved<'p> {
    match resolve(from, dest) {
        Target::External => Resolved::External,
        Target::OutsideRoot(_) => Resolved::Outside,
        Target::SamePage(anchor) => Resolved::Page {
            path: from,
            anchor: Some(anchor).filter(|a| !a.is_empty()),
        },
        Target::Path { path, anchor } => match find_page(&path, pages) {
            Some(target) => Resolved::Page {
                path: target,
                anchor,
            },
            None if others.contains(path.as_str()) => Resolved::File(path),
            None => Resolved::Missing(path),
        },
    }
}

fn check_link(dest: &str, resolved: &Resolved<'_>, pages: &BTreeMap<&str, &Page>) -> LinkCheck {
    match resolved {
        Resolved::External => LinkCheck::Ok(None),
        Resolved::Outside => LinkCheck::Outside,
        Resolved::Page { path, anchor: Some(a) } => check_anchor(path, a, pages[path]),
        Resolved::Page { anchor: None, .. } => LinkCheck::Ok(None),
        Resolved::File(path) => LinkCheck::Ok(Some(path.clone())),
        Resolved::Missing(path) => LinkCheck::Broken(format!(
            "broken link `{dest}`: `{path}` does not exist in the docs folder; fix the path or remove the link"
        )),
    }
}

fn check_anchor(target: &str, anchor: &str, page: &Page) -> LinkCheck {
    if anchor.is_empty() || page.analysis.anchors().any(|a| a == anchor) {
        return LinkCheck::Ok(None);
    }
    let known: Vec<&str> = page.analysis.anchors().take(8).collect();
    LinkCheck::Broken(format!(
        "broken anchor `#{anchor}`: `{target}` has no heading with that id; its headings are: {}",
        if known.is_empty() {
            "(none)".to_string()
        } else {
            known.join(", ")
        }
    ))
}

/// Where a link goes in the app: pages become `#/doc/<path>[#anchor]` routes, files become
/// `files/<path>`, external URLs stay; links to pages left out of this build lose their href.
fn rewrite_link(
    from: &str,
    dest: &str,
    included: &BTreeMap<&str, &Page>,
    others: &BTreeSet<&str>,
) -> Rewrite {
    match resolve_in(from, dest, included, others) {
        Resolved::External => Rewrite::Href(dest.to_string()),
        Resolved::Page { path, anchor } => {
            Rewrite::Href(docatlas_core::doc_href(path, None, anchor.as_deref()))
        }
        Resolved::File(path) => Rewrite::Href(format!("{}{path}", crate::site::FILES_DIR)),
        Resolved::Outside | Resolved::Missing(_) => Rewrite::TextOnly,
    }
}
