//! The compile step: docs folder in, bundle and diagnostics out, as a sequence of named phases
//! ([`compile`] reads as the list of them): read ([`crate::corpus::read`]), check links
//! ([`links`]), the entity graph ([`crate::entities`]), make the documents ([`docs`]), reading
//! tracks ([`crate::tracks`]), index (last, once the read pages are freed).
//!
//! This is the only module that names the stages: each stage takes the [`Corpus`] (and what
//! earlier stages returned, handed over here) and never calls another stage.

pub(crate) mod code;
pub(crate) mod docs;
pub(crate) mod links;

use std::path::PathBuf;
use std::time::Instant;

use docatlas_core::index::{self, doc_terms, DocTerms, IndexBuilder, IndexData};
use docatlas_core::tracks::TrackSet;
use docatlas_core::Doc;
use docatlas_core::{Audience, Bundle, Site};
use rayon::prelude::*;

use crate::corpus::diagnostics::{Diagnostic, Severity};
use crate::corpus::read::{self, Diags};
use crate::corpus::{config, Corpus};
use crate::Error;

pub use self::code::{roots as code_roots, CodeSummary, CODE_ATTRIBUTE};
pub use self::docs::WORDS_PER_MINUTE;
pub use crate::corpus::cache::Cache;

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
    /// Reading tracks and checklists, written to `tracks.bin`.
    pub tracks: TrackSet,
    /// Everything worth telling the author, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Markdown files read (including internal pages a public build leaves out).
    pub files_read: usize,
    /// How long each phase took, in order: (phase, seconds).
    pub timings: Vec<(&'static str, f64)>,
    /// Files outside Markdown that pages link to (images, attachments), relative to the docs root;
    /// the site writer copies them.
    pub assets: Vec<String>,
    /// Files of a Docusaurus site's static folders that pages link to: each one's URL path
    /// (`img/x.png`, served under the site's `static/`) and where it is read from.
    pub static_files: Vec<(String, std::path::PathBuf)>,
    /// The entity graph (features, services, tables, routes...), written as its own site file.
    pub graph: docatlas_core::graph::Graph,
    /// Hidden Markdown files that were skipped (`.draft.md`), docs-relative and sorted.
    pub hidden: Vec<String>,
    /// The route and event tables and `file:line` references of the included pages, which
    /// [`check_code`] compares with the code.
    pub code_docs: docatlas_code::DocInventory,
    /// Whose conventions the docs were read by, and the file that said so.
    pub dialect: Dialect,
}

/// The dialect a build used, for its summary.
#[derive(Debug, Clone)]
pub struct Dialect {
    /// The tool.
    pub tool: crate::corpus::dialect::Tool,
    /// The file that told (`../book.toml`, `docatlas.toml`); `None` when none did.
    pub found: Option<String>,
}

impl Dialect {
    fn of(d: &crate::corpus::dialect::Dialect) -> Self {
        Dialect {
            tool: d.tool,
            found: d.found.clone(),
        }
    }
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.found {
            Some(file) => write!(f, "{} (from {file})", self.tool.name()),
            None => write!(f, "{}", self.tool.name()),
        }
    }
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
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }
    /// Number of notes (information for maintainers, such as pages in no reading track).
    pub fn notes(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Note)
            .count()
    }
}

/// Wall-clock time per phase, for `build --timings`.
struct Clock {
    laps: Vec<(&'static str, f64)>,
    since: Instant,
}

impl Clock {
    fn start() -> Self {
        Clock {
            laps: Vec::new(),
            since: Instant::now(),
        }
    }

    /// Records the time since the previous lap under `name`.
    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.laps
            .push((name, now.duration_since(self.since).as_secs_f64()));
        self.since = now;
    }
}

/// Reads, checks and compiles the docs folder. Bad input becomes diagnostics, never a panic or
/// an abort; only an unreadable folder or config is an [`Error`].
pub fn compile(opts: &Options) -> Result<Compiled, Error> {
    compile_with(opts, None)
}

/// [`compile`], reusing what `cache` holds from an earlier compile of the same folder: pages
/// whose bytes did not change are not read or rendered again (`serve --watch`). The output is
/// the same as [`compile`]'s.
pub fn compile_with(opts: &Options, cache: Option<&Cache>) -> Result<Compiled, Error> {
    let root = docs_folder(opts)?;
    let mut clock = Clock::start();
    let cfg = config::load(root)?;
    let configured = cfg.tool.map(|t| (t, config::CONFIG_FILE));
    let dialect = crate::corpus::dialect::detect(root, configured);
    let mut diags = Diags::default();
    let files = read::walk(root, &cfg, dialect.tool, &mut diags)?;
    warn_if_no_pages(&cfg, &files, &mut diags);
    let page_cache = cache.map(|c| &c.pages);
    let pages = read::read_pages(
        root,
        &files.markdown,
        &dialect,
        opts.progress,
        &mut diags,
        page_cache,
    )?;
    clock.lap("read and parse");

    let used = Dialect::of(&dialect);
    let corpus = Corpus::new(&pages, &files.other, opts.audience, dialect);
    let carried = links::check(&corpus, &mut diags);
    let code_docs = code::docs_inventory(&corpus);
    let titles = docs::titles(&pages, &crate::corpus::summary::chapter_names(&corpus));
    docs::check_duplicate_titles(&corpus, &titles, &mut diags);
    clock.lap("check links");

    let repo_url = cfg.config.repo_url.as_deref();
    let graph = crate::entities::build(&corpus, &files.other, root, &titles, repo_url, &mut diags);
    clock.lap("entity graph");

    let table_minutes = docs::table_read_times(&pages);
    let docs = docs::render(&corpus, &titles, &table_minutes, &cfg, cache);
    clock.lap("render and sanitise");

    let site = Site {
        title: docs::site_title(&cfg, &corpus, &titles),
        audience: opts.audience,
    };
    let tracks = crate::tracks::extract(
        &crate::tracks::Inputs {
            corpus: &corpus,
            root,
            files: &files,
            docs: &docs,
            site_title: &site.title,
        },
        crate::tracks::site_id(cfg.config.id.as_deref(), &site.title),
        &mut diags,
    );
    clock.lap("tracks");
    // The read pages (source text and its analysis) are needed no more: free them before the
    // index, the build's largest structure, is made.
    let files_read = files.markdown.len();
    drop(corpus);
    drop(titles);
    drop(pages);

    let index = index(&docs, cache);
    clock.lap("index");

    let mut diagnostics = diags.0;
    diagnostics.sort();
    diagnostics.dedup();
    Ok(Compiled {
        bundle: Bundle { site, docs, index },
        tracks,
        diagnostics,
        files_read,
        timings: clock.laps,
        assets: carried.files,
        static_files: carried.statics,
        graph,
        hidden: files.hidden.clone(),
        code_docs,
        dialect: used,
    })
}

/// Checks `compiled`'s route and event inventory against the code roots (`cli_roots`, else
/// `[code] roots` in the docs folder's `docatlas.toml`; `check --code`, `build --code`): adds the
/// findings to its diagnostics and the handlers' places to its graph (the `Code` attribute).
/// `Ok(None)` when no code root is named. Fails when a root is not a readable folder.
pub fn check_code(
    compiled: &mut Compiled,
    docs: &std::path::Path,
    cli_roots: &[PathBuf],
) -> Result<Option<CodeSummary>, Error> {
    let checked = code::check(&compiled.code_docs, &mut compiled.graph, docs, cli_roots)?;
    let Some((diagnostics, summary)) = checked else {
        return Ok(None);
    };
    compiled.diagnostics.extend(diagnostics);
    compiled.diagnostics.sort();
    compiled.diagnostics.dedup();
    Ok(Some(summary))
}

/// The docs folder to compile, or why it cannot be.
fn docs_folder(opts: &Options) -> Result<&PathBuf, Error> {
    let root = &opts.docs;
    if root.is_file() {
        return Err(Error::DocsIsAFile(root.clone()));
    }
    if !root.is_dir() {
        return Err(Error::DocsNotFound(root.clone()));
    }
    Ok(root)
}

/// Indexes `docs`. Counting a page's terms (tokenizing: most of the work) needs nothing from
/// other pages, so it runs in parallel; adding the counts to the index must go in page order.
/// Both overlap: while one batch of pages is added, the next is counted.
/// With a `cache` (`serve --watch`), only the pages whose text changed are tokenized again.
fn index(docs: &[Doc], cache: Option<&Cache>) -> IndexData {
    let terms = |doc: &Doc| cache.map_or_else(|| doc_terms(doc), |c| c.terms(doc));
    let count = |batch: &[Doc]| -> Vec<DocTerms> { batch.par_iter().map(terms).collect() };
    let mut builder = IndexBuilder::new().start(docs);
    let mut batches = docs.chunks(index::BATCH);
    let mut pending = batches.next().map(|batch| (batch, count(batch)));
    while let Some((batch, terms)) = pending {
        let next = batches.next();
        let ((), counted) = rayon::join(
            || builder.add(batch, terms),
            || next.map(|next| (next, count(next))),
        );
        pending = counted;
    }
    builder.finish()
}

/// A warning when the docs folder gave no page at all.
fn warn_if_no_pages(cfg: &config::Loaded, files: &read::Files, diags: &mut Diags) {
    if files.markdown.is_empty() {
        diags.push(".", (1, 1), Severity::Warning, no_pages_message(cfg, files));
    }
}

/// Why a docs folder gave no page: the patterns that chose none, and what was there instead.
fn no_pages_message(cfg: &config::Loaded, files: &read::Files) -> String {
    let include = if cfg.config.include.is_empty() {
        "every `*.md`, `*.mdx` and `*.markdown` file".to_string()
    } else {
        format!("include = {:?} in docatlas.toml", cfg.config.include)
    };
    let hidden = if files.hidden.is_empty() {
        String::new()
    } else {
        format!(
            "; {} hidden Markdown file(s) skipped, such as `{}` (names starting with `.`)",
            files.hidden.len(),
            files.hidden.first().map_or("", String::as_str)
        )
    };
    format!(
        "no Markdown pages found (looked for {include}, in {} other file(s)){hidden}; point build-index at the folder that holds your Markdown, or change include",
        files.other.len()
    )
}
