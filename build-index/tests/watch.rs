//! `serve DOCS --watch` as an author uses it: the built binary serving a docs folder that the
//! test edits, saves atomically, renames and deletes; each change is in the served site (fetched
//! over HTTP) after the page is told to reload; a save of the same bytes reloads nothing; a
//! rebuild waits while another build holds the site folder; a broken config keeps the last good
//! site served and says why.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::bin;

/// The server process, stopped when the test ends however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One GET; the status code and the body (data files gunzipped).
fn get(addr: &str, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut all = Vec::new();
    s.read_to_end(&mut all).unwrap();
    let split = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    let code = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = build_index::site::gunzip(all[split + 4..].to_vec()).unwrap();
    (code, body)
}

/// The data file `name` of the site served now, in the build folder its head names (each
/// rebuild writes a new one).
fn get_data(addr: &str, name: &str) -> (u16, Vec<u8>) {
    let (code, head) = get(addr, &format!("/{}", docatlas_core::format::BUNDLE_FILE));
    assert_eq!(code, 200, "the head is served");
    let head = docatlas_core::decode_head(&head).unwrap();
    get(addr, &format!("/{}", head.path(name)))
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The page's event stream, as the injected script opens it.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(addr: &str, generation: u64) -> Self {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(
            s,
            "GET /__docatlas/events?gen={generation} HTTP/1.1\r\nHost: x\r\n\r\n"
        )
        .unwrap();
        let mut r = BufReader::new(s);
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        while line.trim() != "" {
            line.clear();
            r.read_line(&mut line).unwrap();
        }
        let mut events = Events(r);
        // The last build's report comes first, on every connection.
        let first = events.next(Duration::from_secs(20)).map(|(n, _)| n);
        assert_eq!(first.as_deref(), Some("report"));
        events
    }

    /// The next event (name, data) within `wait`, skipping keep-alive comments; `None` on
    /// timeout.
    fn next(&mut self, wait: Duration) -> Option<(String, String)> {
        self.0.get_ref().set_read_timeout(Some(wait)).unwrap();
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            match self.0.read_line(&mut line) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            let line = line.trim_end();
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data = d.to_string();
            } else if line.is_empty() && !name.is_empty() {
                return Some((name, data));
            }
        }
    }

    /// Waits for `reload`; returns the new generation.
    fn reload(&mut self, what: &str) -> u64 {
        let until = Instant::now() + Duration::from_secs(30);
        while Instant::now() < until {
            match self.next(Duration::from_secs(30)) {
                Some((n, d)) if n == "reload" => return d.parse().unwrap(),
                Some(_) => continue,
                None => break,
            }
        }
        panic!("no reload after {what}");
    }
}

#[test]
fn edits_renames_and_deletes_are_served_after_a_reload() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    let w = |rel: &str, text: &str| std::fs::write(docs.join(rel), text).unwrap();
    w("index.md", "# Home\n\nSee [a](a.md) and [b](b.md).\n");
    w("a.md", "# Page A\n\nFirst words.\n");
    w("b.md", "# Page B\n\nOther words.\n");

    let mut child = bin()
        .args(["serve", "--watch", "--port", "0"])
        .arg(&docs)
        .arg("--out")
        .arg(dir.path().join("site"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let server = Server(child);
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no URL in {first:?}"))
        .to_string();

    let (code, index) = get(&addr, "/");
    assert_eq!(code, 200);
    assert!(
        contains(&index, "window.__docatlasWatchGeneration=1;"),
        "the reload script is injected in watch mode"
    );
    let page_a = docatlas_core::files::page_file("a.md");
    let pages = docatlas_core::files::PAGE_LIST_FILE.to_string();
    assert!(contains(&get_data(&addr, &page_a).1, "First words"));

    // An edit.
    let mut events = Events::open(&addr, 1);
    w("a.md", "# Page A\n\nEdited zebrafinch words.\n");
    let g = events.reload("an edit");
    assert!(contains(&get_data(&addr, &page_a).1, "zebrafinch"));

    // An editor's atomic save: a temporary file renamed over the page.
    let mut events = Events::open(&addr, g);
    std::fs::write(docs.join(".a.md.swp"), "# Page A\n\nSaved atomically.\n").unwrap();
    std::fs::rename(docs.join(".a.md.swp"), docs.join("a.md")).unwrap();
    let g = events.reload("an atomic save");
    assert!(contains(&get_data(&addr, &page_a).1, "Saved atomically"));

    // The same bytes saved again: nothing to rebuild, no reload.
    let mut events = Events::open(&addr, g);
    w("a.md", "# Page A\n\nSaved atomically.\n");
    let next = events.next(Duration::from_millis(1500));
    assert!(
        next.as_ref().is_none_or(|(n, _)| n != "reload"),
        "unchanged content reloads nothing: {next:?}"
    );

    // A rename.
    std::fs::rename(docs.join("b.md"), docs.join("c.md")).unwrap();
    let g = events.reload("a rename");
    let list = get_data(&addr, &pages).1;
    assert!(contains(&list, "c.md") && !contains(&list, "b.md"));

    // A delete.
    let mut events = Events::open(&addr, g);
    std::fs::remove_file(docs.join("c.md")).unwrap();
    let g = events.reload("a delete");
    assert!(!contains(&get_data(&addr, &pages).1, "c.md"));

    // Another build holds the site folder: the rebuild waits for it, then writes.
    let mut events = Events::open(&addr, g);
    // The watcher may still hold it for a moment after the reload: it deletes the files of
    // older builds once the pages are told (then it lets go).
    let held = build_index::lock::OutputLock::acquire(
        &dir.path().join("site"),
        build_index::lock::Wait::Yes,
        |_| {},
    )
    .unwrap();
    w("a.md", "# Page A\n\nWritten while locked.\n");
    let next = events.next(Duration::from_millis(1500));
    assert!(
        next.as_ref().is_none_or(|(n, _)| n != "reload"),
        "no rebuild is written while another build holds the folder: {next:?}"
    );
    assert!(!contains(
        &get_data(&addr, &page_a).1,
        "Written while locked"
    ));
    drop(held);
    let g = events.reload("the lock's release");
    assert!(contains(
        &get_data(&addr, &page_a).1,
        "Written while locked"
    ));

    // A broken config: the build fails, the page is told why, the last good site is served.
    let mut events = Events::open(&addr, g);
    w("docatlas.toml", "bogus = 1\n");
    let (name, data) = events.next(Duration::from_secs(30)).expect("a report");
    assert_eq!(name, "report");
    let report: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(report["ok"], false);
    assert!(
        report["error"]
            .as_str()
            .unwrap()
            .contains("unknown field `bogus`"),
        "{report}"
    );
    assert_eq!(get_data(&addr, &page_a).0, 200, "still served");
    w("docatlas.toml", "title = \"Fixed\"\n");
    events.reload("a fixed config");
    assert!(contains(&get(&addr, "/").1, "Fixed"));
    drop(server);
    assert!(Path::new(&docs).is_dir());
}

/// Copies a folder (the example portal) so a test can edit it.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

#[test]
fn a_rebuild_from_the_cache_equals_a_fresh_build_after_edits() {
    use build_index::{compile, compile_with, Cache, Options};
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("portal");
    copy_dir(&common::repo().join("examples/portal"), &docs);
    let opts = Options {
        docs: docs.clone(),
        audience: docatlas_core::Audience::Internal,
        progress: false,
    };
    let cache = Cache::default();
    let warm = compile_with(&opts, Some(&cache)).unwrap();
    let fresh = compile(&opts).unwrap();
    assert_eq!(warm.bundle, fresh.bundle);
    // Edit one page's text, add a page another links to (its links render differently now),
    // and break a page's front matter.
    let routes = docs.join("catalog/routes.md");
    let text = std::fs::read_to_string(&routes).unwrap();
    std::fs::write(
        &routes,
        text.replace("This table lists", "This edited table lists"),
    )
    .unwrap();
    std::fs::write(
        docs.join("glossary.md"),
        std::fs::read_to_string(docs.join("glossary.md")).unwrap() + "\nSee [new](new-page.md).\n",
    )
    .unwrap();
    std::fs::write(docs.join("new-page.md"), "# New page\n\nHello.\n").unwrap();
    std::fs::write(
        docs.join("roadmap.md"),
        "---\ntitle: [broken\n---\n# Roadmap\n",
    )
    .unwrap();
    // A page others link to goes: their text is unchanged, their links are not.
    std::fs::remove_file(docs.join("runbooks/redis-memory-pressure.md")).unwrap();
    for _ in 0..2 {
        let cached = compile_with(&opts, Some(&cache)).unwrap();
        let fresh = compile(&opts).unwrap();
        assert_eq!(cached.bundle, fresh.bundle, "the same pages and index");
        assert_eq!(cached.tracks, fresh.tracks);
        assert_eq!(cached.graph, fresh.graph);
        assert_eq!(
            cached.diagnostics, fresh.diagnostics,
            "the same diagnostics"
        );
        let html = |c: &build_index::Compiled, p: &str| {
            c.bundle
                .docs
                .iter()
                .find(|d| d.path == p)
                .unwrap()
                .html
                .clone()
        };
        assert!(html(&cached, "catalog/routes.md").contains("This edited table lists"));
        assert!(html(&cached, "glossary.md").contains("#/doc/new-page.md"));
        assert!(!html(&cached, "engineering/runbooks.md").contains("redis-memory-pressure"));
    }
}
