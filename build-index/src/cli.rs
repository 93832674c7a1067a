//! The command line: argument parsing and printing over the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use build_index::{compile, site, Compiled, Options};
use clap::{Parser, Subcommand, ValueEnum};
use docatlas_core::{Audience, SearchIndex};

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
        /// The query.
        query: String,
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
        } => {
            let start = Instant::now();
            let opts = Options {
                docs: docs.clone(),
                audience: audience.into(),
                progress: !quiet,
            };
            let compiled = compile(&opts)?;
            print_diagnostics(&compiled, quiet);
            let written = site::write(&compiled, &docs, &out)?;
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
        Command::Check {
            docs,
            audience,
            json,
        } => {
            let opts = Options {
                docs,
                audience: audience.into(),
                progress: true,
            };
            let compiled = compile(&opts)?;
            if json {
                for d in &compiled.diagnostics {
                    println!("{}", serde_json::to_string(d)?);
                }
            } else {
                for d in &compiled.diagnostics {
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
        Command::Search {
            site,
            query,
            json,
            limit,
        } => {
            let bundle = site::load_bundle(&site)?;
            let docs = bundle.docs;
            let index = SearchIndex::new(bundle.index, &docs)
                .map_err(|e| anyhow::anyhow!("{}: corrupt search index: {e}", site.display()))?;
            let results = index.search(&docs, &query, limit);
            if json {
                let hits: Vec<serde_json::Value> = results
                    .hits
                    .iter()
                    .map(|h| {
                        let doc = &docs[h.doc];
                        serde_json::json!({
                            "doc": doc.path,
                            "anchor": doc.sections[h.section].anchor,
                            "title": doc.title,
                            "score": (f64::from(h.score) * 1000.0).round() / 1000.0,
                            "snippet": h.snippet.text,
                        })
                    })
                    .collect();
                let out =
                    serde_json::json!({ "query": query, "total": results.total, "hits": hits });
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                for (word, fixed) in &results.corrected {
                    println!("(no exact match for `{word}`; showing results for `{fixed}`)");
                }
                for h in &results.hits {
                    let doc = &docs[h.doc];
                    let sec = &doc.sections[h.section];
                    let at = sec
                        .anchor
                        .as_deref()
                        .map(|a| format!("#{a}"))
                        .unwrap_or_default();
                    println!(
                        "{:>7.3}  {}{}  {}\n         {}",
                        h.score, doc.path, at, doc.title, h.snippet.text
                    );
                }
                println!("{} of {}", plural(results.hits.len(), "hit"), results.total);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { site, port, host } => {
            anyhow::ensure!(
                site.join(docatlas_core::format::BUNDLE_FILE).is_file(),
                "{} is not a built site (no docatlas.bin): run `build-index build DOCS --out {}` first",
                site.display(),
                site.display()
            );
            build_index::serve::serve(&site, &host, port, |url| {
                println!("Serving {} at {url}  (Ctrl-C to stop)", site.display());
            })
            .context("serve")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
