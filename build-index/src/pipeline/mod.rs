//! The compile step: docs folder in, bundle and diagnostics out, as a sequence of named phases
//! ([`compile`] reads as the list of them): read ([`read`]), check links ([`links`]), the entity
//! graph ([`crate::entities`]), make the documents ([`docs`]), reading tracks
//! ([`crate::tracks`]), index (last, once the read pages are freed).

pub(crate) mod cache;
pub(crate) mod docs;
pub(crate) mod links;
pub(crate) mod read;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Instant;

use docatlas_core::index::{self, doc_terms, DocTerms, IndexBuilder, IndexData};
use docatlas_core::tracks::TrackSet;
use docatlas_core::Doc;
use docatlas_core::{Audience, Bundle, Site};
use rayon::prelude::*;

use self::read::{Diags, Page};
use crate::config;
use crate::diagnostics::{Diagnostic, Severity};
use crate::Error;

pub use self::cache::Cache;
pub use self::docs::WORDS_PER_MINUTE;

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
    /// The entity graph (features, services, tables, routes...), written as its own site file.
    pub graph: docatlas_core::graph::Graph,
    /// The route and event tables and `file:line` references of the included pages, which
    /// [`crate::codecheck::check`] compares with the code.
    pub code_docs: docatlas_code::DocInventory,
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

/// The pages of a build, looked up by path.
pub(crate) struct Corpus<'a> {
    /// Every page read, internal ones included (their links are checked too).
    pub all: BTreeMap<&'a str, &'a Page>,
    /// The pages this build ships: all of them for an internal build, else the public ones.
    pub included: BTreeMap<&'a str, &'a Page>,
    /// The docs folder's other files, which pages may link to.
    pub others: BTreeSet<&'a str>,
    /// Who the build is for.
    pub audience: Audience,
}

impl<'a> Corpus<'a> {
    fn new(pages: &'a [Page], others: &'a [String], audience: Audience) -> Self {
        Corpus {
            all: pages.iter().map(|p| (p.path.as_str(), p)).collect(),
            included: pages
                .iter()
                .filter(|p| audience == Audience::Internal || !p.internal)
                .map(|p| (p.path.as_str(), p))
                .collect(),
            others: others.iter().map(String::as_str).collect(),
            audience,
        }
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
    let root = &opts.docs;
    if !root.is_dir() {
        return Err(Error::DocsNotFound(root.clone()));
    }
    let mut clock = Clock::start();
    let cfg = config::load(root)?;
    let files = read::walk(root, &cfg)?;
    let mut diags = Diags::default();
    let pages = read::read_pages(root, &files.markdown, opts.progress, &mut diags, cache)?;
    clock.lap("read and parse");

    let corpus = Corpus::new(&pages, &files.other, opts.audience);
    let assets = links::check(&corpus, &mut diags);
    let code_docs = crate::codecheck::docs_inventory(corpus.included.values().copied());
    let titles = docs::titles(&pages);
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

    let index = index(&docs);
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
        assets,
        graph,
        code_docs,
    })
}

/// Indexes `docs`. Counting a page's terms (tokenizing: most of the work) needs nothing from
/// other pages, so it runs in parallel; adding the counts to the index must go in page order.
/// Both overlap: while one batch of pages is added, the next is counted.
fn index(docs: &[Doc]) -> IndexData {
    let count = |batch: &[Doc]| -> Vec<DocTerms> { batch.par_iter().map(doc_terms).collect() };
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
