//! The command line: argument parsing and printing over the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use build_index::{compile, site, Compiled, Options};
use clap::{Parser, Subcommand, ValueEnum};
use docatlas_core::{Audience, SearchOptions};

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
    },
    /// Check a docs folder: print diagnostics and exit 1 if there is any error (a PR gate).
    Check {
        /// The docs folder.
        docs: PathBuf,
        /// Check the pages a build for this audience would include.
        #[arg(long, value_enum, default_value_t = AudienceArg::Internal)]
        audience: AudienceArg,
        /// Print diagnostics as JSON lines instead of `file:line:col: severity: message`.
        #[arg(long)]
        json: bool,
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
    /// Serve a built site on localhost for a preview.
    Serve {
        /// The site folder.
        site: PathBuf,
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

fn print_diagnostics(c: &Compiled, errors_only: bool) {
    for d in &c.diagnostics {
        if !errors_only || d.severity == build_index::Severity::Error {
            eprintln!("{d}");
        }
    }
}

fn print_results(results: &docatlas_core::SearchResults) {
    for (word, fixed) in &results.corrected {
        println!("(no exact match for `{word}`; showing results for `{fixed}`)");
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

fn plural(n: usize, word: &str) -> String {
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
        } => build(docs, out, audience.into(), quiet, timings),
        Command::Check {
            docs,
            audience,
            json,
        } => check(docs, audience.into(), json),
        Command::Search {
            site,
            query,
            queries,
            json,
            limit,
        } => search(&site, query.as_deref(), queries.as_deref(), json, limit),
        Command::Serve { site, port, host } => serve(&site, &host, port),
    }
}

/// `build`: compile, print diagnostics, write the site, summarise.
fn build(
    docs: PathBuf,
    out: PathBuf,
    audience: Audience,
    quiet: bool,
    timings: bool,
) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let compiled = compile(&Options {
        docs: docs.clone(),
        audience,
        progress: !quiet,
    })?;
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

/// `check`: diagnostics on stdout, a summary on stderr, exit 1 on any error.
fn check(docs: PathBuf, audience: Audience, json: bool) -> anyhow::Result<ExitCode> {
    let compiled = compile(&Options {
        docs,
        audience,
        progress: true,
    })?;
    for d in &compiled.diagnostics {
        if json {
            println!("{}", serde_json::to_string(d)?);
        } else {
            println!("{d}");
        }
    }
    eprintln!(
        "checked {}: {}, {}",
        plural(compiled.files_read, "page"),
        plural(compiled.errors(), "error"),
        plural(compiled.warnings(), "warning"),
    );
    Ok(if compiled.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
