//! `build-index serve DOCS --watch`: builds DOCS into a site folder, serves it, and rebuilds on
//! every change to the docs (and the code roots of `--code` / `[code] roots`), telling open pages
//! to reload through a small server-sent-events endpoint (`/__docatlas/events`) whose script is
//! injected into `index.html` only in this mode. Diagnostics print in the terminal and show in the
//! page as an overlay; a build that fails keeps the last good site served.
//!
//! A rebuild happens only when some file's content changed (a hash per file: an editor's save
//! that rewrites the same bytes, a touch or a swap file's churn rebuild nothing), and it
//! compresses and writes only the site's data files whose bytes changed
//! ([`site::WriteCache`]).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime};

use docatlas_core::Audience;
use serde_json::json;

use crate::corpus::diagnostics::{Diagnostic, Severity};
use crate::lock::{OutputLock, Wait};
use crate::{compile_with, pipeline, site, Options};

/// The endpoint pages listen to for reloads and diagnostics.
pub const EVENTS_PATH: &str = "/__docatlas/events";

/// Quiet time after the last file event before a rebuild starts: editors save in bursts
/// (write a temporary file, rename it over the old one, touch the folder).
const DEBOUNCE: Duration = Duration::from_millis(30);

/// The most diagnostics the page's overlay lists (the terminal prints them all).
const OVERLAY_MAX: usize = 50;

/// What to watch and serve.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// The docs folder.
    pub docs: PathBuf,
    /// Code roots (`--code`); empty: `[code] roots` of `docatlas.toml`, if any.
    pub code: Vec<PathBuf>,
    /// Who the site is for.
    pub audience: Audience,
    /// Where the site is written (a folder of its own, replaced).
    pub site: PathBuf,
}

/// The state pages are told about.
#[derive(Debug, Default)]
struct State {
    /// Successful builds so far; a page served at an older one reloads.
    generation: u64,
    /// The last build's report (JSON): whether it failed, and its diagnostics.
    report: String,
}

/// Shared between the builder and the connections.
#[derive(Debug, Default)]
pub struct Live {
    state: Mutex<State>,
    changed: Condvar,
}

impl Live {
    fn generation(&self) -> u64 {
        self.state.lock().map_or(0, |s| s.generation)
    }

    fn publish(&self, built: bool, report: String) {
        if let Ok(mut s) = self.state.lock() {
            if built {
                s.generation = s.generation.saturating_add(1);
            }
            s.report = report;
        }
        self.changed.notify_all();
    }
}

/// What one build did, for the terminal.
#[derive(Debug)]
pub struct Built {
    /// How long it took.
    pub elapsed: Duration,
    /// Data files whose bytes changed (compressed and written).
    pub written: usize,
    /// Every file of the site.
    pub files: usize,
    /// The build's diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// How long each phase took: the compile's, then the code check and the writing.
    pub timings: Vec<(&'static str, f64)>,
}

/// The builder: compiles and writes into the same folder, reusing what did not change.
pub struct Builder {
    opts: WatchOptions,
    cache: site::WriteCache,
    pages: crate::Cache,
}

impl Builder {
    /// A builder for `opts`.
    pub fn new(opts: WatchOptions) -> Self {
        Self {
            opts,
            cache: site::WriteCache::default(),
            pages: crate::Cache::default(),
        }
    }

    /// Compiles the docs (and checks the code) and writes the site.
    pub fn build(&self) -> Result<Built, crate::Error> {
        self.build_then(|_| {})
    }

    /// [`Builder::build`], calling `done` with the outcome as soon as the new site is in place,
    /// before the files of older builds are deleted (still under the output lock): pages are
    /// told to reload without waiting for that.
    pub fn build_then(
        &self,
        done: impl FnOnce(&Result<Built, crate::Error>),
    ) -> Result<Built, crate::Error> {
        let mut lock = None;
        let result = self.write(&mut lock);
        done(&result);
        if let Some(lock) = lock {
            // Files of older builds that stay for now are deleted by the next write instead.
            let _ = self.cache.remove_stale(&lock);
        }
        result
    }

    /// Compiles and writes, leaving the output lock in `held` (so the caller can finish under it).
    fn write(&self, held: &mut Option<OutputLock>) -> Result<Built, crate::Error> {
        let start = Instant::now();
        // Held from before the docs are read until the site is written, as `build` holds it:
        // a build into the same folder meanwhile waits, and never mixes its files with these.
        let lock = OutputLock::acquire(&self.opts.site, Wait::Yes, |pid| {
            eprintln!("{}", crate::lock::waiting_message(&self.opts.site, pid));
        })?;
        let mut compiled = compile_with(
            &Options {
                docs: self.opts.docs.clone(),
                audience: self.opts.audience,
                progress: false,
            },
            Some(&self.pages),
        )?;
        let mut timings = std::mem::take(&mut compiled.timings);
        let lap = Instant::now();
        crate::check_code(&mut compiled, &self.opts.docs, &self.opts.code)?;
        timings.push(("code check", lap.elapsed().as_secs_f64()));
        let lap = Instant::now();
        let w = site::write_with(&compiled, &self.opts.docs, &lock, Some(&self.cache))?;
        *held = Some(lock);
        timings.push(("encode and write", lap.elapsed().as_secs_f64()));
        Ok(Built {
            timings,
            elapsed: start.elapsed(),
            written: self.cache.last_written(),
            files: w.files.len(),
            diagnostics: compiled.diagnostics,
        })
    }

    /// The folders whose changes trigger a rebuild: the docs and the code roots.
    pub fn watched(&self) -> Vec<PathBuf> {
        let mut dirs = vec![self.opts.docs.clone()];
        if let Ok(cfg) = crate::corpus::config::load(&self.opts.docs) {
            dirs.extend(pipeline::code_roots(&self.opts.docs, &self.opts.code, &cfg));
        }
        dirs
    }
}

/// The report pages get after a build: `{"ok", "error", "errors", "warnings", "diagnostics"}`.
fn report(result: &Result<Built, crate::Error>) -> String {
    match result {
        Ok(b) => {
            let count = |s| b.diagnostics.iter().filter(|d| d.severity == s).count();
            let shown: Vec<&Diagnostic> = b
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .chain(
                    b.diagnostics
                        .iter()
                        .filter(|d| d.severity == Severity::Warning),
                )
                .take(OVERLAY_MAX)
                .collect();
            json!({
                "ok": true,
                "error": null,
                "errors": count(Severity::Error),
                "warnings": count(Severity::Warning),
                "diagnostics": shown,
            })
            .to_string()
        }
        Err(e) => json!({
            "ok": false,
            "error": e.to_string(),
            "errors": 1,
            "warnings": 0,
            "diagnostics": [],
        })
        .to_string(),
    }
}

/// Hashes of every file under `dirs` (sorted paths): a rebuild is needed only when they differ
/// ([`Snapshot::same`]). Taken after every burst of file events, so a file whose size and
/// modification time are those of the last snapshot keeps its hash unread: hashing every file
/// of the Rust docs again (23 MB) was part of each edit's wait.
#[derive(Debug, Default)]
struct Snapshot {
    /// Path → (size and modification time when hashed, hash of the bytes).
    files: BTreeMap<PathBuf, (Option<(u64, SystemTime)>, u64)>,
    /// When this snapshot started.
    taken: Option<SystemTime>,
}

/// How long after a file's modification time its size and time are trusted to stand for its
/// bytes: a write within the file system's clock tick of an earlier one leaves both as they
/// were, so a file changed just before a snapshot is hashed again by the next one (git's "racy"
/// rule).
const RACY: Duration = Duration::from_millis(100);

impl Snapshot {
    fn take(dirs: &[PathBuf], skip: &Path, before: &Snapshot) -> Snapshot {
        let mut out = Snapshot {
            files: BTreeMap::new(),
            taken: Some(SystemTime::now()),
        };
        for d in dirs {
            for e in walkdir::WalkDir::new(d)
                .into_iter()
                .filter_entry(|e| {
                    !e.path().starts_with(skip)
                        && e.file_name()
                            .to_str()
                            .is_none_or(|n| !matches!(n, ".git" | "node_modules" | "target"))
                })
                .flatten()
            {
                if !e.file_type().is_file() {
                    continue;
                }
                let stamp = e
                    .metadata()
                    .ok()
                    .and_then(|m| Some((m.len(), m.modified().ok()?)));
                if let Some(hash) = before.unchanged(e.path(), stamp) {
                    out.files.insert(e.path().to_path_buf(), (stamp, hash));
                } else if let Ok(bytes) = std::fs::read(e.path()) {
                    let hash = docatlas_core::format::fnv1a64(&bytes);
                    out.files.insert(e.path().to_path_buf(), (stamp, hash));
                }
            }
        }
        out
    }

    /// The hash `path` had, if its size and time say it is unchanged since, and its time is
    /// older than this snapshot by more than [`RACY`].
    fn unchanged(&self, path: &Path, stamp: Option<(u64, SystemTime)>) -> Option<u64> {
        let (was, hash) = self.files.get(path)?;
        let (_, modified) = stamp?;
        let settled = modified
            .checked_add(RACY)
            .zip(self.taken)
            .is_some_and(|(m, t)| m < t);
        (*was == stamp && settled).then_some(*hash)
    }

    /// The same files with the same bytes (times aside: a touch rebuilds nothing).
    fn same(&self, other: &Snapshot) -> bool {
        self.files.len() == other.files.len()
            && self
                .files
                .iter()
                .zip(&other.files)
                .all(|((p, (_, h)), (q, (_, k)))| p == q && h == k)
    }
}

/// Prints a build's outcome: the diagnostics that are new since the last build (all of them the
/// first time), then one summary line.
fn print_build(result: &Result<Built, crate::Error>, shown: &mut BTreeSet<String>, first: bool) {
    let mut err = std::io::stderr().lock();
    match result {
        Ok(b) => {
            let now: BTreeSet<String> = b
                .diagnostics
                .iter()
                .filter(|d| d.severity != Severity::Note)
                .map(Diagnostic::to_string)
                .collect();
            for d in now.difference(shown) {
                let _ = writeln!(err, "{d}");
            }
            let errors = b
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            let warnings = b
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count();
            if std::env::var_os("DOCATLAS_WATCH_TIMINGS").is_some() {
                for (phase, secs) in &b.timings {
                    let _ = writeln!(err, "{phase:>22}: {:>7.1} ms", secs * 1000.0);
                }
            }
            let _ = writeln!(
                err,
                "{} in {:.0} ms ({} of {} files written): {errors} error{}, {warnings} warning{}",
                if first { "built" } else { "rebuilt" },
                b.elapsed.as_secs_f64() * 1000.0,
                b.written,
                b.files,
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" },
            );
            *shown = now;
        }
        Err(e) => {
            let _ = writeln!(
                err,
                "error: the build failed, the last good site is still served: {e}"
            );
        }
    }
}

/// Builds, serves and rebuilds until the process is stopped. `on_ready` gets the URL once the
/// first build is done and the server listens.
pub fn run(
    opts: WatchOptions,
    host: &str,
    port: u16,
    on_ready: impl FnOnce(&str),
) -> anyhow::Result<()> {
    std::fs::create_dir_all(&opts.site)?;
    let site_dir = opts.site.clone();
    let builder = Builder::new(opts);
    let live = Arc::new(Live::default());
    let mut shown = BTreeSet::new();
    let skip = std::fs::canonicalize(&site_dir).unwrap_or_else(|_| site_dir.clone());
    let watched = builder.watched();
    // Watching starts before the first build, so nothing saved during it is missed.
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx)?;
    for d in &watched {
        use notify::Watcher;
        watcher.watch(d, notify::RecursiveMode::Recursive)?;
    }
    // The files as the first build reads them: taken before it, so a save during the build
    // still differs from it and rebuilds.
    let mut hashes = Snapshot::take(&watched, &skip, &Snapshot::default());
    let _ = builder.build_then(|first| {
        print_build(first, &mut shown, true);
        live.publish(first.is_ok(), report(first));
    });

    let rebuild_live = Arc::clone(&live);
    std::thread::spawn(move || {
        let _watcher = watcher; // dropped, and so stopped, with this thread only
        while let Ok(first_event) = rx.recv() {
            let mut relevant = is_relevant(&first_event, &skip);
            // Debounce: gather the burst an editor's save makes.
            while let Ok(e) = rx.recv_timeout(DEBOUNCE) {
                relevant |= is_relevant(&e, &skip);
            }
            if !relevant {
                continue;
            }
            let now = Snapshot::take(&watched, &skip, &hashes);
            if now.same(&hashes) {
                hashes = now;
                continue;
            }
            hashes = now;
            let _ = builder.build_then(|result| {
                print_build(result, &mut shown, false);
                rebuild_live.publish(result.is_ok(), report(result));
            });
        }
    });
    let hooks = WatchHooks {
        live,
        site: site_dir.clone(),
    };
    crate::serve::serve_with(&site_dir, host, port, on_ready, &hooks)
}

/// True for an event that may change a file's content (not a read or an open).
fn is_relevant(e: &notify::Result<notify::Event>, skip: &Path) -> bool {
    match e {
        Ok(e) => {
            !matches!(e.kind, notify::EventKind::Access(_))
                && e.paths.iter().any(|p| !p.starts_with(skip))
        }
        // An overflowed queue lost events: check everything.
        Err(_) => true,
    }
}

struct WatchHooks {
    live: Arc<Live>,
    site: PathBuf,
}

/// The page shown while no build has succeeded yet: the overlay says why, and the page loads
/// the site as soon as a build does.
const WAITING: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>docatlas: waiting for a build</title></head><body><p>No build has succeeded yet: fix the error shown and save.</p></body></html>";

impl crate::serve::Hooks for WatchHooks {
    fn take(&self, target: &str, out: &mut TcpStream) -> Option<std::io::Result<()>> {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        if path != EVENTS_PATH {
            let index = matches!(path, "/" | "/index.html");
            if index && !self.site.join("index.html").is_file() {
                let body = inject(WAITING.as_bytes().to_vec(), self.live.generation());
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                return Some(
                    out.write_all(head.as_bytes())
                        .and_then(|()| out.write_all(&body)),
                );
            }
            return None;
        }
        let seen = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("gen="))
            .and_then(|g| g.parse::<u64>().ok());
        Some(events(&self.live, seen, out))
    }

    fn body(&self, path: &Path, body: Vec<u8>) -> Vec<u8> {
        if path.file_name().is_some_and(|n| n == "index.html") {
            inject(body, self.live.generation())
        } else {
            body
        }
    }
}

/// A server-sent events stream: the current report at once, then a `report` after every build
/// and a `reload` after every successful one (or at once, if the page was served before the
/// latest). Ends when the page goes away.
fn events(live: &Live, seen: Option<u64>, out: &mut TcpStream) -> std::io::Result<()> {
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
    )?;
    let send = |out: &mut TcpStream, event: &str, data: &str| -> std::io::Result<()> {
        write!(out, "event: {event}\ndata: {data}\n\n")?;
        out.flush()
    };
    let (mut generation, report) = match live.state.lock() {
        Ok(s) => (s.generation, s.report.clone()),
        Err(_) => return Ok(()),
    };
    send(out, "report", &report)?;
    if seen.is_some_and(|g| g < generation) {
        return send(out, "reload", &generation.to_string());
    }
    let mut last_report = report;
    loop {
        let guard = match live.state.lock() {
            Ok(g) => g,
            Err(_) => return Ok(()),
        };
        let (guard, timeout) =
            match live
                .changed
                .wait_timeout_while(guard, Duration::from_secs(15), |s| {
                    s.generation == generation && s.report == last_report
                }) {
                Ok(r) => r,
                Err(_) => return Ok(()),
            };
        if timeout.timed_out() {
            drop(guard);
            // A comment line: finds a closed connection, keeps proxies from timing out.
            out.write_all(b": keep-alive\n\n")?;
            out.flush()?;
            continue;
        }
        let (g, r) = (guard.generation, guard.report.clone());
        drop(guard);
        send(out, "report", &r)?;
        last_report = r;
        if g != generation {
            generation = g;
            send(out, "reload", &g.to_string())?;
        }
    }
}

/// The reload and overlay script, added to `index.html` before `</body>` (only in watch mode):
/// it listens to [`EVENTS_PATH`], reloads on `reload` keeping the route (the URL's hash) and the
/// scroll position, and shows the last build's errors and warnings, or its failure, in a box.
const SCRIPT: &str = include_str!("watch.js");

fn inject(body: Vec<u8>, generation: u64) -> Vec<u8> {
    let tag = format!(
        "<script>window.__docatlasWatchGeneration={generation};</script><script>{SCRIPT}</script>"
    );
    let text = String::from_utf8_lossy(&body);
    match text.rfind("</body>") {
        Some(i) => {
            let (a, b) = text.split_at(i);
            format!("{a}{tag}{b}").into_bytes()
        }
        None => format!("{text}{tag}").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_body_ends_with_the_generation() {
        let html = inject(b"<html><body><p>x</p></body></html>".to_vec(), 7);
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains("window.__docatlasWatchGeneration=7;"));
        assert!(html.ends_with("</script></body></html>"), "{html}");
        assert!(html.contains(EVENTS_PATH.trim_start_matches('/')));
    }

    #[test]
    fn edit_after_edit_rewrites_only_the_changed_files() {
        // Each build has a folder of its own (`data/HASH/`), the one two builds back is removed:
        // unchanged files must follow into the newest folder, or every third edit compresses
        // the whole site again.
        let dir = tempfile::tempdir().unwrap();
        let docs = dir.path().join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        for i in 0..40 {
            let text = format!("# Page {i}\n\nWhat page {i} says about widget {i}.\n");
            std::fs::write(docs.join(format!("p{i:02}.md")), text).unwrap();
        }
        let builder = Builder::new(WatchOptions {
            docs: docs.clone(),
            code: Vec::new(),
            audience: Audience::Internal,
            site: dir.path().join("site"),
        });
        let first = builder.build().unwrap();
        for edit in 1..=5 {
            let text = format!("# Page 3\n\nEdit {edit} of page 3.\n");
            std::fs::write(docs.join("p03.md"), text).unwrap();
            let next = builder.build().unwrap();
            assert!(
                next.written * 2 < first.written,
                "edit {edit} wrote {} of {} data files",
                next.written,
                first.written
            );
        }
        // Only the two builds a reader may still be on stay: the older ones' folders went,
        // after each build's outcome was out (`build_then`).
        let data = dir
            .path()
            .join("site")
            .join(docatlas_core::files::DATA_ROOT);
        assert!(std::fs::read_dir(&data).unwrap().count() <= 2);
    }

    #[test]
    fn a_snapshot_rereads_only_files_that_changed_or_changed_just_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "one").unwrap();
        let skip = dir.path().join("site");
        let dirs = [dir.path().to_path_buf()];
        let first = Snapshot::take(&dirs, &skip, &Snapshot::default());
        // Written just now: the same size and time would not prove the same bytes.
        std::fs::write(&file, "two").unwrap();
        let second = Snapshot::take(&dirs, &skip, &first);
        assert!(
            !second.same(&first),
            "a same-size write right after is seen"
        );
        // A settled file with the old size and time keeps its hash unread (here: the hash of
        // bytes it no longer has, which is how we know it was not read).
        let stamp = second.files[&file].0;
        let mut settled = Snapshot::default();
        settled.files.insert(file.clone(), (stamp, 42));
        settled.taken = stamp.map(|(_, t)| t + RACY * 2);
        assert_eq!(Snapshot::take(&dirs, &skip, &settled).files[&file].1, 42);
        // Hashed afresh, the same bytes compare the same whatever the times.
        let again = Snapshot::take(&dirs, &skip, &Snapshot::default());
        assert!(again.same(&second));
    }
}
