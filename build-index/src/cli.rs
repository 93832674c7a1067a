//! The command line: argument parsing and printing over the library.

mod check;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use build_index::lock::{OutputLock, Wait};
use build_index::{compile, site, Compiled, Options};
use clap::{Parser, Subcommand, ValueEnum};
use docatlas_core::graph::query::{AttrFilter, ContextPaths, Depth, Depths, Filter};
use docatlas_core::graph::{GraphIndex, Kind, NodeIx};
use docatlas_core::{Audience, SearchOptions};
use serde_json::{json, Value};

/// Compile a folder of engineering Markdown into a static docatlas site.
/// `println!` that ends the process quietly when stdout is closed (`build-index search … | head`)
/// instead of panicking: the reader has all it asked for.
macro_rules! say {
    ($($arg:tt)*) => {
        write_out(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// Writes to stdout; a closed stdout ends the process quietly (exit 0), any other failure with
/// exit 2.
fn write_out(text: &str) {
    use std::io::Write as _;
    if let Err(e) = std::io::stdout().lock().write_all(text.as_bytes()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: writing to stdout: {e}");
        std::process::exit(2);
    }
}

#[derive(Parser)]
#[command(version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build a complete static site (app + data) from a docs folder.
    Build {
        /// The docs folder.
        docs: PathBuf,
        /// Where to write the site (created if missing; an earlier site there is replaced).
        #[arg(long, short, required_unless_present = "single_file")]
        out: Option<PathBuf>,
        /// Also (or, without --out, only) write the whole site as one self-contained HTML file
        /// that works opened from file://.
        #[arg(long, value_name = "FILE.html")]
        single_file: Option<PathBuf>,
        /// Who the site is for: `public` leaves internal pages out entirely.
        #[arg(long, value_enum, default_value_t = AudienceArg::Public)]
        audience: AudienceArg,
        /// Print only errors and the summary.
        #[arg(long, short)]
        quiet: bool,
        /// Also print how long each phase took.
        #[arg(long)]
        timings: bool,
        /// When another build is writing the same --out, fail (exit 2) instead of waiting.
        #[arg(long)]
        no_wait: bool,
        /// A code folder whose routes and socket events give the graph's routes and events the
        /// place of their handler (repeatable; replaces `[code] roots` of docatlas.toml).
        #[arg(long = "code", value_name = "DIR")]
        code: Vec<PathBuf>,
    },
    /// Check a docs folder: print diagnostics and exit 1 if there is any error (a PR gate).
    Check {
        /// The docs folder.
        docs: PathBuf,
        /// Check the pages a build for this audience would include.
        #[arg(long, value_enum, default_value_t = AudienceArg::Internal)]
        audience: AudienceArg,
        /// Print diagnostics as JSON lines instead of `file:line:col: severity: message`
        /// (the same as `--format json`).
        #[arg(long, conflicts_with = "format")]
        json: bool,
        /// How to print diagnostics: `text` (`file:line:col: severity: message`), `json` (one
        /// object a line) or `github` (GitHub Actions annotations on the pull request's lines).
        #[arg(long, value_enum)]
        format: Option<check::Format>,
        /// A code folder to check the docs' route and event inventory against (repeatable;
        /// replaces `[code] roots` of docatlas.toml): a route or socket event in the code that no
        /// table documents is an error at its line.
        #[arg(long = "code", value_name = "DIR")]
        code: Vec<PathBuf>,
    },
    /// Search a built site with the same code the browser runs.
    Search {
        /// The site folder (or its docatlas.bin).
        site: PathBuf,
        /// The query (or use --queries).
        #[arg(required_unless_present = "queries")]
        query: Option<String>,
        /// Run every line of this file (`-` for stdin) as a query; with --json, prints one
        /// compact JSON object per line, in order.
        #[arg(long, conflicts_with = "query")]
        queries: Option<PathBuf>,
        /// Print JSON: {"query", "total", "hits": [{"doc", "anchor", "title", "score", "snippet"}]}.
        #[arg(long)]
        json: bool,
        /// At most this many hits.
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
    /// List a built site's reading tracks and checklists.
    Tracks {
        /// The site folder (or its docatlas.bin).
        site: PathBuf,
        /// Print JSON: {"tracks": [{"id", "title", "items": [{"id", "doc", "title", "minutes"}]}],
        /// "checklists": [{"id", "title", "doc", "items": [{"id", "text"}]}]}.
        #[arg(long)]
        json: bool,
    },
    /// What an entity touches and what depends on it, from a built site's entity graph.
    ///
    /// Downstream is what NODE_ID uses, contains or produces (feature → service → controller →
    /// route); upstream is what uses it, so what breaks if it is down.
    Impact {
        /// The site folder (or its docatlas.bin).
        site: PathBuf,
        /// The entity, as `kind:name` (`service:payments`, `table:fare_rules`).
        node_id: String,
        /// Upstream depth: a number or `all`.
        #[arg(long, default_value_t = Depths::default().up)]
        up: Depth,
        /// Downstream depth: a number or `all`.
        #[arg(long, default_value_t = Depths::default().down)]
        down: Depth,
        /// List only these kinds (comma-separated: `service,table`); paths still pass through others.
        #[arg(long, value_delimiter = ',')]
        kinds: Vec<String>,
        /// Print JSON: {"node", "downstream", "upstream", "docs", "runbooks"} (see the README).
        #[arg(long)]
        json: bool,
    },
    /// List the entities of a built site's graph, optionally filtered.
    Entities {
        /// The site folder (or its docatlas.bin).
        site: PathBuf,
        /// Only entities of this kind (`route`, `service`, `table`...).
        #[arg(long)]
        kind: Option<String>,
        /// Only entities with this attribute: `KEY` (set to a yes-like value) or `KEY=VALUE`;
        /// repeatable (`--attr pii=yes --attr auth=JWT`).
        #[arg(long)]
        attr: Vec<String>,
        /// Only entities without this relation, named from the entity's side (`covered_by`:
        /// no runbook; `table_of`: no owning service; `handled_by`: no handler); repeatable.
        #[arg(long)]
        lacks: Vec<String>,
        /// Print the dependency cycles instead of the entities.
        #[arg(long)]
        cycles: bool,
        /// Print JSON: {"entities": [{"id", "kind", "name", "attributes", "defined_at", "relations"}]}.
        #[arg(long)]
        json: bool,
    },
    /// Why are two entities connected? Every path between them (shortest first), each relation
    /// with where it is declared.
    Why {
        /// The site folder (or its docatlas.bin).
        site: PathBuf,
        /// One entity (`feature:refunds`).
        from: String,
        /// The other entity (`table:payments`).
        to: String,
        /// Longest path, in relations.
        #[arg(long, default_value_t = 6)]
        max_len: usize,
        /// At most this many paths.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Leave out the paths through a context relation (a team owning both, a system
        /// containing both, a runbook or a page mentioning both); by default they come after the
        /// paths through real relations.
        #[arg(long)]
        no_context: bool,
        /// Print JSON: {"from", "to", "paths": [{"steps": [{"from", "rel", "to", "declared_at"}], "context"}], "truncated", "context_paths"}.
        #[arg(long)]
        json: bool,
    },
    /// Serve a built site on localhost for a preview; with --watch, build a docs folder, serve
    /// it, and rebuild and reload open pages on every change.
    Serve {
        /// The site folder (with --watch: the docs folder).
        site: PathBuf,
        /// SITE is a docs folder: build it into a temporary site, rebuild on every change, and
        /// reload the pages open on it (their route and scroll kept); diagnostics print here and
        /// show in the page.
        #[arg(long)]
        watch: bool,
        /// With --watch: a code folder to check the routes and events against (see `check`).
        #[arg(long = "code", value_name = "DIR", requires = "watch")]
        code: Vec<PathBuf>,
        /// With --watch: where to write the site (default: a new folder in the temporary
        /// directory, left there when the server stops).
        #[arg(long, short, requires = "watch")]
        out: Option<PathBuf>,
        /// Port to listen on (the next free one is used if it is taken).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Address to bind.
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum AudienceArg {
    Public,
    Internal,
}

impl From<AudienceArg> for Audience {
    fn from(a: AudienceArg) -> Self {
        match a {
            AudienceArg::Public => Audience::Public,
            AudienceArg::Internal => Audience::Internal,
        }
    }
}

/// Parses arguments, runs the command, and maps errors to exit code 2.
pub fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Diagnostics of a build: notes are for `check`; `--quiet` shows errors only. A flood of one
/// kind is cut short (see [`build_index::diagnostics::condense`]).
fn print_diagnostics(c: &Compiled, errors_only: bool) {
    use build_index::Severity;
    let shown: Vec<build_index::Diagnostic> = c
        .diagnostics
        .iter()
        .filter(|d| match d.severity {
            Severity::Note => false,
            Severity::Warning => !errors_only,
            Severity::Error => true,
        })
        .cloned()
        .collect();
    // Nothing useful can be done when stderr is closed.
    let _ = print_condensed(&mut std::io::stderr().lock(), &shown);
}

/// Diagnostics as `file:line:col: severity: message` lines, at most
/// [`build_index::diagnostics::SHOWN_PER_KIND`] of each kind, then a count of the rest.
fn print_condensed(
    to: &mut dyn std::io::Write,
    diags: &[build_index::Diagnostic],
) -> std::io::Result<()> {
    use std::io::Write;
    // Buffered: stderr is unbuffered, and a large folder can have tens of thousands of
    // diagnostics, each several writes.
    let mut to = std::io::BufWriter::new(to);
    let (shown, omitted) =
        build_index::diagnostics::condense(diags, build_index::diagnostics::SHOWN_PER_KIND);
    for d in shown {
        writeln!(to, "{d}")?;
    }
    for o in omitted {
        writeln!(to, "{o}")?;
    }
    to.flush()
}

fn print_results(results: &docatlas_core::SearchResults) {
    for (word, fixed) in &results.corrected {
        say!("(no exact match for `{word}`; showing results for `{fixed}`)");
    }
    for notice in &results.notices {
        say!("({notice})");
    }
    for h in &results.hits {
        let at = h
            .anchor
            .as_deref()
            .map(|a| format!("#{a}"))
            .unwrap_or_default();
        say!(
            "{:>7.3}  {}{}  {}\n         {}",
            h.score,
            h.path,
            at,
            h.title,
            h.snippet.text
        );
    }
    say!("{} of {}", plural(results.hits.len(), "hit"), results.total);
}

/// A line naming the hidden Markdown files a build skipped, or nothing.
fn hidden_summary(c: &Compiled) -> String {
    const SHOWN: usize = 3;
    let dialect = if c.dialect.found.is_some() {
        format!("read as {}\n", c.dialect)
    } else {
        String::new()
    };
    if c.hidden.is_empty() {
        return dialect;
    }
    let mut names: Vec<&str> = c.hidden.iter().take(SHOWN).map(String::as_str).collect();
    if c.hidden.len() > SHOWN {
        names.push("…");
    }
    format!(
        "{dialect}skipped {} (names starting with `.` are hidden): {}\n",
        plural(c.hidden.len(), "hidden Markdown file"),
        names.join(", ")
    )
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build {
            docs,
            out,
            audience,
            quiet,
            timings,
            no_wait,
            code,
            single_file,
        } => build(
            docs,
            Outputs {
                site: out,
                single_file,
            },
            audience.into(),
            Flags {
                quiet,
                timings,
                no_wait,
            },
            &code,
        ),
        Command::Check {
            docs,
            audience,
            json,
            format,
            code,
        } => check::check(
            docs,
            audience.into(),
            format.unwrap_or(if json {
                check::Format::Json
            } else {
                check::Format::Text
            }),
            &code,
        ),
        site_command => run_on_site(site_command),
    }
}

/// The commands that read a built site (and `serve`).
fn run_on_site(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Search {
            site,
            query,
            queries,
            json,
            limit,
        } => search(&site, query.as_deref(), queries.as_deref(), json, limit),
        Command::Tracks { site, json } => tracks(&site, json),
        Command::Impact {
            site,
            node_id,
            up,
            down,
            kinds,
            json,
        } => impact(&site, &node_id, Depths { up, down }, &kinds, json),
        Command::Entities {
            site,
            kind,
            attr,
            lacks,
            cycles,
            json,
        } => entities(&site, kind.as_deref(), &attr, lacks, cycles, json),
        Command::Why {
            site,
            from,
            to,
            max_len,
            limit,
            no_context,
            json,
        } => {
            let context = if no_context {
                ContextPaths::Exclude
            } else {
                ContextPaths::After
            };
            why(&site, &from, &to, (max_len, limit), context, json)
        }
        Command::Serve {
            site,
            port,
            host,
            watch: true,
            code,
            out,
        } => serve_watch(site, &host, port, code, out),
        Command::Serve {
            site, port, host, ..
        } => serve(&site, &host, port),
        Command::Build { .. } | Command::Check { .. } => {
            unreachable!("`run` handles the commands that read a docs folder")
        }
    }
}

/// What `build` writes: a site folder, a single file, or both.
struct Outputs {
    site: Option<PathBuf>,
    single_file: Option<PathBuf>,
}

/// `build`'s switches.
struct Flags {
    quiet: bool,
    timings: bool,
    no_wait: bool,
}

/// `build`: compile (and check against the code under `code`, if any), print diagnostics,
/// write the site and/or the single file, summarise.
fn build(
    docs: PathBuf,
    outputs: Outputs,
    audience: Audience,
    flags: Flags,
    code: &[PathBuf],
) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    // Taken before reading the docs, so a build that cannot write says so at once, and two
    // builds never interleave their files.
    let wait = if flags.no_wait { Wait::No } else { Wait::Yes };
    let lock = match &outputs.site {
        Some(out) => Some(OutputLock::acquire(out, wait, |pid| {
            eprintln!("{}", build_index::lock::waiting_message(out, pid));
        })?),
        None => None,
    };
    let mut compiled = compile(&Options {
        docs: docs.clone(),
        audience,
        progress: !flags.quiet,
    })?;
    build_index::check_code(&mut compiled, &docs, code)?;
    print_diagnostics(&compiled, flags.quiet);
    let write_start = Instant::now();
    let written = match &lock {
        Some(lock) => Some(site::write_locked(&compiled, &docs, lock)?),
        None => None,
    };
    if let Some(file) = &outputs.single_file {
        let single = build_index::single::write(&compiled, &docs, file)?;
        report_single_file(file, &single);
    }
    if flags.timings {
        for (phase, secs) in &compiled.timings {
            eprintln!("{phase:>22}: {:>7.1} ms", secs * 1000.0);
        }
        eprintln!(
            "{:>22}: {:>7.1} ms",
            "encode and write",
            write_start.elapsed().as_secs_f64() * 1000.0
        );
    }
    let into = match (&outputs.site, &written) {
        (Some(out), Some(w)) => format!(
            "{} ({} files, {} KiB)",
            out.display(),
            w.files.len(),
            w.total_bytes() / 1024
        ),
        _ => outputs
            .single_file
            .as_ref()
            .map_or_else(String::new, |f| f.display().to_string()),
    };
    eprintln!(
        "built {} into {into} in {:.2}s: {}, {}",
        plural(compiled.bundle.docs.len(), "page"),
        start.elapsed().as_secs_f64(),
        plural(compiled.errors(), "error"),
        plural(compiled.warnings(), "warning"),
    );
    eprint!("{}", hidden_summary(&compiled));
    Ok(ExitCode::SUCCESS)
}

/// The single file's size (with a warning past what browsers open comfortably) and the policy
/// a host serving it needs.
fn report_single_file(file: &std::path::Path, single: &build_index::single::SingleFile) {
    let mib = single.bytes as f64 / (1024.0 * 1024.0);
    eprintln!("wrote {} ({mib:.1} MiB)", file.display());
    if single.bytes > build_index::single::WARN_BYTES {
        eprintln!(
            "warning: {} is over {} MiB: browsers open a page this large slowly and keep it all in memory; serve the site folder instead (--out)",
            file.display(),
            build_index::single::WARN_BYTES / (1024 * 1024)
        );
    }
    eprintln!(
        "its Content-Security-Policy (a host serving it needs no looser one): {}",
        single.csp
    );
}

/// `search`: one query, or every line of a file, with the code the browser runs.
fn search(
    site: &Path,
    query: Option<&str>,
    queries: Option<&Path>,
    json: bool,
    limit: usize,
) -> anyhow::Result<ExitCode> {
    // Data files are read as the searches ask for them, and kept for the next query.
    let mut engine = site::open(site)?;
    let opts = SearchOptions::hits(limit);
    let mut run_one = |q: &str, pretty: bool| -> anyhow::Result<()> {
        let results = site::run(&mut engine, site, |e| e.search(q, &opts))?;
        match (json, pretty) {
            (true, true) => say!("{}", serde_json::to_string_pretty(&results.report())?),
            (true, false) => say!("{}", serde_json::to_string(&results.report())?),
            (false, _) => print_results(&results),
        }
        Ok(())
    };
    let Some(file) = queries else {
        run_one(query.unwrap_or_default(), true)?;
        return Ok(ExitCode::SUCCESS);
    };
    let text = if file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).context("reading queries from stdin")?
    } else {
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?
    };
    for q in text.lines().filter(|l| !l.trim().is_empty()) {
        if !json {
            say!("## {q}");
        }
        run_one(q, false)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `tracks`: a site's reading tracks and checklists, from its `tracks.bin`.
fn tracks(site: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let set = site::load_tracks(site).map_err(|e| match e {
        build_index::Error::Io { path, error } if error.kind() == std::io::ErrorKind::NotFound => {
            anyhow::anyhow!(
                "{} not found: the site was built by a build-index without reading tracks, or is not a site; rebuild it with `build-index build DOCS --out {}`",
                path.display(),
                site.display()
            )
        }
        e => e.into(),
    })?;
    if json {
        let report = build_index::tracks::report::report(&set);
        say!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        write_out(&build_index::tracks::report::human(&set));
    }
    Ok(ExitCode::SUCCESS)
}

/// `println!` into a buffer: the graph commands print their whole answer at once with [`emit`].
macro_rules! outln {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}

/// Prints a command's output; a closed pipe (`| head`) is not an error.
fn emit(out: &str) -> anyhow::Result<ExitCode> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// Loads and indexes a site's entity graph.
fn load_graph(site: &Path) -> anyhow::Result<GraphIndex> {
    let dir = build_index::corpus::layout::site_dir(site);
    let file = docatlas_core::format::GRAPH_FILE;
    anyhow::ensure!(
        build_index::site::data_path(site, file).is_ok_and(|p| p.is_file()),
        "{} has no {file}: it is not a site, or build-index wrote it before the entity graph existed; rebuild it with `build-index build DOCS --out {}`",
        dir.display(),
        dir.display()
    );
    Ok(GraphIndex::new(site::load_graph(site)?))
}

/// The node an id names; an unknown id is an error that suggests the nearest ids.
fn lookup(g: &GraphIndex, site: &Path, id: &str) -> anyhow::Result<NodeIx> {
    if let Some(i) = g.find_id(id) {
        return Ok(i);
    }
    let near: Vec<String> = g.suggest(id, 5).into_iter().map(|i| g.id_of(i)).collect();
    let hint = if near.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", near.join(", "))
    };
    let form = if id.contains(':') {
        ""
    } else {
        " (ids are `kind:name`, such as `service:payments`)"
    };
    anyhow::bail!(
        "no entity `{id}` in {}{form}{hint} (`build-index entities {}` lists every id)",
        site.display(),
        site.display()
    )
}

fn node_json(g: &GraphIndex, i: NodeIx) -> Value {
    let n = g.node(i);
    json!({
        "id": g.id_of(i),
        "kind": n.map_or("", |n| n.kind.as_str()),
        "name": g.name_of(i),
    })
}

fn page_title(g: &GraphIndex, file: u32) -> &str {
    g.graph
        .files
        .get(file as usize)
        .and_then(|f| f.title.as_deref())
        .unwrap_or_default()
}

fn page_json(g: &GraphIndex, file: u32) -> Value {
    json!({
        "doc": g.graph.file_path(file),
        "title": page_title(g, file),
    })
}

/// The relation names along a path as walked from its start: forward names on edges followed
/// forwards, inverse names on edges followed backwards.
fn walked(g: &GraphIndex, edges: &[usize], down: bool) -> Vec<&'static str> {
    edges
        .iter()
        .filter_map(|&e| g.edge(e))
        .map(|e| {
            if down {
                e.rel.name()
            } else {
                e.rel.inverse_name()
            }
        })
        .collect()
}

/// The version of `impact --json`'s shape. 1 gave each reached entity its whole path (`path`,
/// `rels`), quadratic along a chain; 2 gives the step it was reached by (`from`, `rel`,
/// `declared_at`).
const IMPACT_FORMAT: u32 = 2;

/// `impact`: downstream and upstream of one entity, with paths, pages and runbooks.
fn impact(
    site: &Path,
    id: &str,
    depths: Depths,
    kinds: &[String],
    json_out: bool,
) -> anyhow::Result<ExitCode> {
    let g = load_graph(site)?;
    let centre = lookup(&g, site, id)?;
    let kinds: Vec<Kind> = kinds
        .iter()
        .map(|k| parse_kind(k))
        .collect::<anyhow::Result<_>>()?;
    let answer = ImpactAnswer::new(&g, centre, depths, kinds);
    let out = if json_out {
        impact_json(&answer)?
    } else {
        impact_text(&answer)
    };
    emit(&out)
}

/// What `impact` prints, in either form.
struct ImpactAnswer<'g> {
    g: &'g GraphIndex,
    centre: NodeIx,
    imp: docatlas_core::graph::query::Impact,
    /// Kinds to list; empty lists all.
    kinds: Vec<Kind>,
    /// Files of the runbooks covering the centre or anything it reaches.
    runbooks: Vec<u32>,
    /// Files of the centre's pages.
    pages: Vec<u32>,
    owner: Option<docatlas_core::graph::query::Owner>,
}

impl<'g> ImpactAnswer<'g> {
    fn new(g: &'g GraphIndex, centre: NodeIx, depths: Depths, kinds: Vec<Kind>) -> Self {
        let imp = g.impact(centre, depths);
        let reached_nodes: Vec<NodeIx> = std::iter::once(centre)
            .chain(imp.downstream.iter().map(|r| r.node))
            .chain(imp.upstream.iter().map(|r| r.node))
            .collect();
        let runbooks: Vec<u32> = g
            .runbooks_for(&reached_nodes)
            .into_iter()
            .filter_map(|r| g.node(r).and_then(|n| n.page))
            .collect();
        ImpactAnswer {
            g,
            centre,
            imp,
            kinds,
            runbooks,
            pages: g.pages_of(centre),
            owner: g.owner(centre),
        }
    }

    /// Whether a reached entity is of a kind to list.
    fn shown(&self, r: &docatlas_core::graph::query::Reached) -> bool {
        self.kinds.is_empty()
            || self
                .g
                .node(r.node)
                .is_some_and(|n| self.kinds.contains(&n.kind))
    }
}

/// `impact --json`: {"format", "node", "downstream", "upstream", "docs", "runbooks", "owner"}.
fn impact_json(a: &ImpactAnswer<'_>) -> anyhow::Result<String> {
    let g = a.g;
    let list = |rs: &[docatlas_core::graph::query::Reached], down: bool| -> Vec<Value> {
        rs.iter()
            .filter(|r| a.shown(r))
            .map(|r| {
                let mut v = node_json(g, r.node);
                if let Value::Object(m) = &mut v {
                    m.insert("depth".into(), json!(r.depth));
                    // The one step it was reached by, not its whole path: the output stays
                    // linear in what is reached (format 2).
                    m.insert("from".into(), json!(g.id_of(r.from)));
                    m.insert("rel".into(), json!(walked(g, &[r.edge], down).first()));
                    m.insert(
                        "declared_at".into(),
                        json!(g.edge(r.edge).map_or_else(Vec::new, |e| e
                            .declared_at
                            .iter()
                            .map(|p| g.graph.place(p))
                            .collect::<Vec<_>>())),
                    );
                }
                v
            })
            .collect()
    };
    let owner = &a.owner;
    let doc = json!({
        "format": IMPACT_FORMAT,
        "node": node_json(g, a.centre),
        "downstream": list(&a.imp.downstream, true),
        "upstream": list(&a.imp.upstream, false),
        "docs": a.pages.iter().map(|&f| page_json(g, f)).collect::<Vec<_>>(),
        "runbooks": a.runbooks.iter().map(|&f| page_json(g, f)).collect::<Vec<_>>(),
        "owner": owner.as_ref().and_then(|o| o.owner()).map(|o| {
            let mut v = node_json(g, o);
            if let (Value::Object(m), Some(ow)) = (&mut v, owner) {
                m.insert("path".into(), json!(ow.path.iter().map(|&p| g.id_of(p)).collect::<Vec<_>>()));
            }
            v
        }),
    });
    let mut out = String::new();
    outln!(out, "{}", serde_json::to_string_pretty(&doc)?);
    Ok(out)
}

/// `impact` for a reader: the centre, its owner, each direction's entities with the path to
/// them, then runbooks and pages.
fn impact_text(a: &ImpactAnswer<'_>) -> String {
    let (g, centre) = (a.g, a.centre);
    let mut out = String::new();
    let label = |i: NodeIx| {
        format!(
            "{} ({})",
            g.name_of(i),
            g.node(i).map_or("", |n| n.kind.as_str())
        )
    };
    outln!(out, "{}  {}", g.id_of(centre), label(centre));
    if let Some(n) = g.node(centre).filter(|n| !n.attributes.is_empty()) {
        outln!(out, "{}", attributes_line(n));
    }
    if let Some(o) = &a.owner {
        let chain: Vec<&str> = o.path.iter().map(|&p| g.name_of(p)).collect();
        outln!(
            out,
            "owner: {}  ({})",
            o.owner().map(|x| g.id_of(x)).unwrap_or_default(),
            chain.join(" → ")
        );
    }
    for (title, list, down) in [
        ("downstream", &a.imp.downstream, true),
        ("upstream", &a.imp.upstream, false),
    ] {
        let rows: Vec<_> = list.iter().filter(|r| a.shown(r)).collect();
        outln!(out, "\n{title} ({}):", rows.len());
        for r in rows {
            // The step it was reached by; `why` prints whole paths.
            let rel = walked(g, &[r.edge], down)
                .first()
                .copied()
                .unwrap_or_default();
            let step = if down {
                format!("{} —{rel}→ {}", g.name_of(r.from), g.name_of(r.node))
            } else {
                format!("{} ←{rel}— {}", g.name_of(r.from), g.name_of(r.node))
            };
            outln!(out, "  {:>2}  {:<44} {}", r.depth, g.id_of(r.node), step);
        }
    }
    outln!(out, "\nrunbooks ({}):", a.runbooks.len());
    for f in &a.runbooks {
        outln!(out, "  {}  {}", g.graph.file_path(*f), page_title(g, *f));
    }
    outln!(out, "\npages ({}):", a.pages.len());
    for f in &a.pages {
        outln!(out, "  {}  {}", g.graph.file_path(*f), page_title(g, *f));
    }
    out
}

/// An entity's attributes on one line: `key: value · key: value`.
fn attributes_line(n: &docatlas_core::graph::Node) -> String {
    let a: Vec<String> = n
        .attributes
        .iter()
        .map(|a| format!("{}: {}", a.key, a.value))
        .collect();
    a.join(" · ")
}

/// A kind as `--kind`/`--kinds` name it; an unknown one is an error listing the kinds.
fn parse_kind(k: &str) -> anyhow::Result<Kind> {
    Kind::parse(k).ok_or_else(|| anyhow::anyhow!("unknown kind `{k}`; kinds are: {}", kind_names()))
}

fn kind_names() -> String {
    Kind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `entities`: every entity (or those a filter keeps) with attributes, places and relations;
/// or the dependency cycles.
fn entities(
    site: &Path,
    kind: Option<&str>,
    attrs: &[String],
    lacks: Vec<String>,
    cycles: bool,
    json_out: bool,
) -> anyhow::Result<ExitCode> {
    let g = load_graph(site)?;
    if cycles {
        return emit(&cycles_out(&g, json_out)?);
    }
    let filter = entity_filter(kind, attrs, lacks)?;
    let found = g.filter(&filter);
    let mut out = String::new();
    if json_out {
        let list: Vec<Value> = found.iter().map(|&i| entity_json(&g, i)).collect();
        outln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json!({ "entities": list }))?
        );
        return emit(&out);
    }
    for &i in &found {
        let Some(n) = g.node(i) else { continue };
        let at = n
            .defined_at
            .first()
            .map(|p| g.graph.place(p))
            .unwrap_or_else(|| "not defined".into());
        outln!(out, "{:<44} {}  ({at})", n.id(), n.name);
        if !n.attributes.is_empty() {
            outln!(out, "    {}", attributes_line(n));
        }
    }
    outln!(
        out,
        "{} of {}",
        plural(found.len(), "entity").replace("entitys", "entities"),
        g.len()
    );
    emit(&out)
}

/// `entities --cycles`: each dependency cycle as ids joined by arrows, back to its start.
fn cycles_out(g: &GraphIndex, json_out: bool) -> anyhow::Result<String> {
    let mut out = String::new();
    let cs = g.cycles();
    if json_out {
        let list: Vec<Vec<String>> = cs
            .iter()
            .map(|c| c.iter().map(|&n| g.id_of(n)).collect())
            .collect();
        outln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json!({ "cycles": list }))?
        );
    } else {
        for c in &cs {
            let mut names: Vec<String> = c.iter().map(|&n| g.id_of(n)).collect();
            names.extend(c.first().map(|&n| g.id_of(n)));
            outln!(out, "{}", names.join(" → "));
        }
        outln!(out, "{}", plural(cs.len(), "cycle"));
    }
    Ok(out)
}

/// The filter `entities --kind --attr --lacks` asks for; each bad value is an error that says
/// what it can be.
fn entity_filter(
    kind: Option<&str>,
    attrs: &[String],
    lacks: Vec<String>,
) -> anyhow::Result<Filter> {
    let kind = kind.map(parse_kind).transpose()?;
    let attrs: Vec<AttrFilter> = attrs
        .iter()
        .map(|a| {
            AttrFilter::parse(a)
                .ok_or_else(|| anyhow::anyhow!("`--attr {a}`: give KEY or KEY=VALUE"))
        })
        .collect::<anyhow::Result<_>>()?;
    for l in &lacks {
        anyhow::ensure!(
            docatlas_core::graph::Rel::parse(l).is_some(),
            "`--lacks {l}` is not a relation; relations are: {}",
            docatlas_core::graph::Rel::ALL
                .iter()
                .flat_map(|r| [r.name(), r.inverse_name()])
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(Filter { kind, attrs, lacks })
}

fn entity_json(g: &GraphIndex, i: NodeIx) -> Value {
    let Some(n) = g.node(i) else {
        return Value::Null;
    };
    let attributes: serde_json::Map<String, Value> = n
        .attributes
        .iter()
        .map(|a| (a.key.clone(), Value::String(a.value.clone())))
        .collect();
    let relations: Vec<Value> = g
        .relations(i)
        .iter()
        .filter_map(|r| {
            let e = g.edge(r.edge)?;
            let mut places = e.declared_at.iter().map(|p| g.graph.place(p));
            Some(json!({
                "rel": r.name,
                "to": g.id_of(r.other),
                "declared_at": places.next().unwrap_or_default(),
                "also_declared_at": places.collect::<Vec<_>>(),
            }))
        })
        .collect();
    json!({
        "id": n.id(),
        "kind": n.kind.as_str(),
        "name": n.name,
        "attributes": attributes,
        "defined_at": n.defined_at.iter().map(|p| g.graph.place(p)).collect::<Vec<_>>(),
        "relations": relations,
        "mentioned_in": n.mentioned_in.iter().map(|p| g.graph.place(p)).collect::<Vec<_>>(),
    })
}

/// `why`: every path between two entities, each relation with where it is declared.
/// Paths through real relations come first; `context` says whether those through a context
/// relation follow them or are left out. `(max_len, limit)`: the longest path, the most paths.
fn why(
    site: &Path,
    from: &str,
    to: &str,
    (max_len, limit): (usize, usize),
    context: ContextPaths,
    json_out: bool,
) -> anyhow::Result<ExitCode> {
    let mut out = String::new();
    let g = load_graph(site)?;
    let a = lookup(&g, site, from)?;
    let b = lookup(&g, site, to)?;
    let found = g.paths_with(a, b, max_len, limit, context);
    let declared = |e: &docatlas_core::graph::Edge| -> Vec<String> {
        e.declared_at.iter().map(|p| g.graph.place(p)).collect()
    };
    if json_out {
        let paths: Vec<Value> = found
            .paths
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let s: Vec<Value> = g
                    .walk(a, p)
                    .into_iter()
                    .map(|w| json!({"from": g.id_of(w.from), "rel": w.rel, "to": g.id_of(w.to), "declared_at": declared(w.edge)}))
                    .collect();
                json!({ "steps": s, "context": i >= found.real })
            })
            .collect();
        let doc = json!({
            "from": node_json(&g, a),
            "to": node_json(&g, b),
            "paths": paths,
            "truncated": found.truncated,
            "context_paths": if context == ContextPaths::Exclude { "excluded" } else { "after" },
        });
        outln!(out, "{}", serde_json::to_string_pretty(&doc)?);
        return emit(&out);
    }
    for (n, p) in found.paths.iter().enumerate() {
        if n == found.real {
            outln!(
                out,
                "Through a context relation (a shared team, system, runbook or page; --no-context leaves these out):"
            );
        }
        outln!(out, "{}. {}", n.saturating_add(1), g.id_of(a));
        for w in g.walk(a, p) {
            outln!(
                out,
                "     —{}→ {}   ({})",
                w.rel,
                g.id_of(w.to),
                declared(w.edge).join(", ")
            );
        }
    }
    let more = if found.truncated {
        " (more exist: raise --limit or lower --max-len)"
    } else {
        ""
    };
    let context_note = match context {
        ContextPaths::Exclude => "; paths through context relations left out".to_string(),
        ContextPaths::After => format!(
            "; {} through real relations only",
            found.real.min(found.paths.len())
        ),
    };
    outln!(
        out,
        "{} between {} and {} (up to {max_len} relations{context_note}){more}",
        plural(found.paths.len(), "path"),
        g.id_of(a),
        g.id_of(b)
    );
    emit(&out)
}

/// `serve DOCS --watch`: build, serve, rebuild on change (see `build_index::watch`).
fn serve_watch(
    docs: PathBuf,
    host: &str,
    port: u16,
    code: Vec<PathBuf>,
    out: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        docs.is_dir(),
        "docs folder {} not found: `serve --watch` takes the folder that holds your Markdown",
        docs.display()
    );
    anyhow::ensure!(
        !docs.join(docatlas_core::format::BUNDLE_FILE).is_file(),
        "{} is a built site: `serve --watch` takes the docs folder it was built from (serve a built site without --watch)",
        docs.display()
    );
    let site = out.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("docatlas-serve-{}", std::process::id()))
    });
    let opts = build_index::watch::WatchOptions {
        docs: docs.clone(),
        code,
        audience: Audience::Internal,
        site: site.clone(),
    };
    build_index::watch::run(opts, host, port, |url| {
        println!(
            "Serving {} at {url}, rebuilt on every change into {}  (Ctrl-C to stop)",
            docs.display(),
            site.display()
        );
    })?;
    Ok(ExitCode::SUCCESS)
}

/// `serve`: a preview server for a built site.
fn serve(site: &Path, host: &str, port: u16) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        site.join(docatlas_core::format::BUNDLE_FILE).is_file(),
        "{} is not a built site (no docatlas.bin): run `build-index build DOCS --out {}` first",
        site.display(),
        site.display()
    );
    build_index::serve::serve(site, host, port, |url| {
        println!("Serving {} at {url}  (Ctrl-C to stop)", site.display());
    })
    .context("serve")?;
    Ok(ExitCode::SUCCESS)
}
