//! The command line: argument parsing and printing over the library.

mod check;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use build_index::{compile, site, Compiled, Options};
use clap::{Parser, Subcommand, ValueEnum};
use docatlas_core::graph::query::{AttrFilter, Depths, Filter};
use docatlas_core::graph::{GraphIndex, Kind, NodeIx};
use docatlas_core::{Audience, SearchOptions};
use serde_json::{json, Value};

/// A depth limit: `None` is unlimited.
type Depth = Option<u32>;

/// Parses a depth: a number, or `all` (also `inf`, `unlimited`).
fn parse_depth(s: &str) -> Result<Depth, String> {
    match s.trim().to_lowercase().as_str() {
        "all" | "inf" | "unlimited" => Ok(None),
        n => n
            .parse::<u32>()
            .map(Some)
            .map_err(|_| format!("`{s}` is not a depth: give a number (0, 1, 2...) or `all`")),
    }
}

/// Compile a folder of engineering Markdown into a static docatlas site.
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
        #[arg(long, short)]
        out: PathBuf,
        /// Who the site is for: `public` leaves internal pages out entirely.
        #[arg(long, value_enum, default_value_t = AudienceArg::Public)]
        audience: AudienceArg,
        /// Print only errors and the summary.
        #[arg(long, short)]
        quiet: bool,
        /// Also print how long each phase took.
        #[arg(long)]
        timings: bool,
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
        #[arg(long, default_value = "1", value_parser = parse_depth)]
        up: Depth,
        /// Downstream depth: a number or `all`.
        #[arg(long, default_value = "all", value_parser = parse_depth)]
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
        /// Print JSON: {"from", "to", "paths": [{"steps": [{"from", "rel", "to", "declared_at"}]}], "truncated"}.
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

/// Diagnostics of a build: notes are for `check`; `--quiet` shows errors only.
fn print_diagnostics(c: &Compiled, errors_only: bool) {
    use build_index::Severity;
    use std::io::Write;
    // Buffered: stderr is unbuffered, and a large folder can have tens of thousands of
    // diagnostics, each several writes.
    let mut err = std::io::BufWriter::new(std::io::stderr().lock());
    for d in &c.diagnostics {
        let shown = match d.severity {
            Severity::Note => false,
            Severity::Warning => !errors_only,
            Severity::Error => true,
        };
        if shown {
            // Nothing useful can be done when stderr is closed.
            let _ = writeln!(err, "{d}");
        }
    }
    let _ = err.flush();
}

fn print_results(results: &docatlas_core::SearchResults) {
    for (word, fixed) in &results.corrected {
        println!("(no exact match for `{word}`; showing results for `{fixed}`)");
    }
    for notice in &results.notices {
        println!("({notice})");
    }
    for h in &results.hits {
        let at = h
            .anchor
            .as_deref()
            .map(|a| format!("#{a}"))
            .unwrap_or_default();
        println!(
            "{:>7.3}  {}{}  {}\n         {}",
            h.score, h.path, at, h.title, h.snippet.text
        );
    }
    println!("{} of {}", plural(results.hits.len(), "hit"), results.total);
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
            code,
        } => build(docs, out, audience.into(), quiet, timings, &code),
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
            json,
        } => why(&site, &from, &to, max_len, limit, json),
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
    }
}

/// `build`: compile, print diagnostics, write the site, summarise.
fn build(
    docs: PathBuf,
    out: PathBuf,
    audience: Audience,
    quiet: bool,
    timings: bool,
    code: &[PathBuf],
) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let mut compiled = compile(&Options {
        docs: docs.clone(),
        audience,
        progress: !quiet,
    })?;
    build_index::codecheck::check(&mut compiled, &docs, code)?;
    print_diagnostics(&compiled, quiet);
    let write_start = Instant::now();
    let written = site::write(&compiled, &docs, &out)?;
    if timings {
        for (phase, secs) in &compiled.timings {
            eprintln!("{phase:>22}: {:>7.1} ms", secs * 1000.0);
        }
        eprintln!(
            "{:>22}: {:>7.1} ms",
            "encode and write",
            write_start.elapsed().as_secs_f64() * 1000.0
        );
    }
    eprintln!(
        "built {} into {} ({} files, {} KiB) in {:.2}s: {}, {}",
        plural(compiled.bundle.docs.len(), "page"),
        out.display(),
        written.files.len(),
        written.total_bytes() / 1024,
        start.elapsed().as_secs_f64(),
        plural(compiled.errors(), "error"),
        plural(compiled.warnings(), "warning"),
    );
    Ok(ExitCode::SUCCESS)
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
            (true, true) => println!("{}", serde_json::to_string_pretty(&results.report())?),
            (true, false) => println!("{}", serde_json::to_string(&results.report())?),
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
            println!("## {q}");
        }
        run_one(q, false)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `tracks`: a site's reading tracks and checklists, from its `tracks.bin`.
fn tracks(site: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let set = build_index::tracks::load(site).map_err(|e| match e {
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
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", build_index::tracks::report::human(&set));
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
    let dir = if site.is_dir() {
        site
    } else {
        site.parent().unwrap_or(site)
    };
    let file = docatlas_core::format::GRAPH_FILE;
    anyhow::ensure!(
        dir.join(file).is_file(),
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

/// `impact`: downstream and upstream of one entity, with paths, pages and runbooks.
fn impact(
    site: &Path,
    id: &str,
    depths: Depths,
    kinds: &[String],
    json_out: bool,
) -> anyhow::Result<ExitCode> {
    let mut out = String::new();
    let g = load_graph(site)?;
    let centre = lookup(&g, site, id)?;
    let kinds: Vec<Kind> = kinds
        .iter()
        .map(|k| {
            Kind::parse(k)
                .ok_or_else(|| anyhow::anyhow!("unknown kind `{k}`; kinds are: {}", kind_names()))
        })
        .collect::<anyhow::Result<_>>()?;
    let imp = g.impact(centre, depths);
    let shown = |r: &&docatlas_core::graph::query::Reached| {
        kinds.is_empty() || g.node(r.node).is_some_and(|n| kinds.contains(&n.kind))
    };
    let reached_nodes: Vec<NodeIx> = std::iter::once(centre)
        .chain(imp.downstream.iter().map(|r| r.node))
        .chain(imp.upstream.iter().map(|r| r.node))
        .collect();
    let runbooks: Vec<u32> = g
        .runbooks_for(&reached_nodes)
        .into_iter()
        .filter_map(|r| g.node(r).and_then(|n| n.page))
        .collect();
    let pages = g.pages_of(centre);
    let owner = g.owner(centre);
    if json_out {
        let list = |rs: &[docatlas_core::graph::query::Reached], down: bool| -> Vec<Value> {
            rs.iter()
                .filter(shown)
                .map(|r| {
                    let mut v = node_json(&g, r.node);
                    if let Value::Object(m) = &mut v {
                        m.insert("depth".into(), json!(r.depth));
                        m.insert(
                            "path".into(),
                            json!(r.path.iter().map(|&p| g.id_of(p)).collect::<Vec<_>>()),
                        );
                        m.insert("rels".into(), json!(walked(&g, &r.edges, down)));
                    }
                    v
                })
                .collect()
        };
        let doc = json!({
            "node": node_json(&g, centre),
            "downstream": list(&imp.downstream, true),
            "upstream": list(&imp.upstream, false),
            "docs": pages.iter().map(|&f| page_json(&g, f)).collect::<Vec<_>>(),
            "runbooks": runbooks.iter().map(|&f| page_json(&g, f)).collect::<Vec<_>>(),
            "owner": owner.as_ref().and_then(|o| o.owner()).map(|o| {
                let mut v = node_json(&g, o);
                if let (Value::Object(m), Some(ow)) = (&mut v, &owner) {
                    m.insert("path".into(), json!(ow.path.iter().map(|&p| g.id_of(p)).collect::<Vec<_>>()));
                }
                v
            }),
        });
        outln!(out, "{}", serde_json::to_string_pretty(&doc)?);
        return emit(&out);
    }
    let label = |i: NodeIx| {
        format!(
            "{} ({})",
            g.name_of(i),
            g.node(i).map_or("", |n| n.kind.as_str())
        )
    };
    outln!(out, "{}  {}", g.id_of(centre), label(centre));
    if let Some(n) = g.node(centre).filter(|n| !n.attributes.is_empty()) {
        let a: Vec<String> = n
            .attributes
            .iter()
            .map(|a| format!("{}: {}", a.key, a.value))
            .collect();
        outln!(out, "{}", a.join(" · "));
    }
    if let Some(o) = &owner {
        let chain: Vec<&str> = o.path.iter().map(|&p| g.name_of(p)).collect();
        outln!(
            out,
            "owner: {}  ({})",
            o.owner().map(|x| g.id_of(x)).unwrap_or_default(),
            chain.join(" → ")
        );
    }
    for (title, list, down) in [
        ("downstream", &imp.downstream, true),
        ("upstream", &imp.upstream, false),
    ] {
        let rows: Vec<_> = list.iter().filter(shown).collect();
        outln!(out, "\n{title} ({}):", rows.len());
        for r in rows {
            let rels = walked(&g, &r.edges, down);
            let mut path = g.name_of(centre).to_string();
            for (step, rel) in r.path.iter().skip(1).zip(rels) {
                let arrow = if down {
                    format!(" —{rel}→ ")
                } else {
                    format!(" ←{rel}— ")
                };
                path.push_str(&arrow);
                path.push_str(g.name_of(*step));
            }
            outln!(out, "  {:>2}  {:<44} {}", r.depth, g.id_of(r.node), path);
        }
    }
    outln!(out, "\nrunbooks ({}):", runbooks.len());
    for f in &runbooks {
        outln!(out, "  {}  {}", g.graph.file_path(*f), page_title(&g, *f));
    }
    outln!(out, "\npages ({}):", pages.len());
    for f in &pages {
        outln!(out, "  {}  {}", g.graph.file_path(*f), page_title(&g, *f));
    }
    emit(&out)
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
    let mut out = String::new();
    let g = load_graph(site)?;
    if cycles {
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
        return emit(&out);
    }
    let kind =
        match kind {
            Some(k) => Some(Kind::parse(k).ok_or_else(|| {
                anyhow::anyhow!("unknown kind `{k}`; kinds are: {}", kind_names())
            })?),
            None => None,
        };
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
    let found = g.filter(&Filter { kind, attrs, lacks });
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
            let a: Vec<String> = n
                .attributes
                .iter()
                .map(|a| format!("{}: {}", a.key, a.value))
                .collect();
            outln!(out, "    {}", a.join(" · "));
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
fn why(
    site: &Path,
    from: &str,
    to: &str,
    max_len: usize,
    limit: usize,
    json_out: bool,
) -> anyhow::Result<ExitCode> {
    let mut out = String::new();
    let g = load_graph(site)?;
    let a = lookup(&g, site, from)?;
    let b = lookup(&g, site, to)?;
    let found = g.paths(a, b, max_len, limit);
    let declared = |e: &docatlas_core::graph::Edge| -> Vec<String> {
        e.declared_at.iter().map(|p| g.graph.place(p)).collect()
    };
    if json_out {
        let paths: Vec<Value> = found
            .paths
            .iter()
            .map(|p| {
                let s: Vec<Value> = g
                    .walk(a, p)
                    .into_iter()
                    .map(|w| json!({"from": g.id_of(w.from), "rel": w.rel, "to": g.id_of(w.to), "declared_at": declared(w.edge)}))
                    .collect();
                json!({ "steps": s })
            })
            .collect();
        let doc = json!({
            "from": node_json(&g, a),
            "to": node_json(&g, b),
            "paths": paths,
            "truncated": found.truncated,
        });
        outln!(out, "{}", serde_json::to_string_pretty(&doc)?);
        return emit(&out);
    }
    for (n, p) in found.paths.iter().enumerate() {
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
    outln!(
        out,
        "{} between {} and {} (up to {max_len} relations){more}",
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
