//! Measures `serve --watch`'s edit → reload: copies a docs folder to a temporary one, serves it
//! in watch mode, then edits one page N times (a new word appended, as a save in an editor) and
//! times, per edit, the save until the page's event stream says `reload`, and until the edited
//! page's data file, fetched over HTTP, holds the new word (what the reloaded page then reads).
//!
//! ```text
//! cargo run --release -p build-index --example watch_timing -- DOCS [PAGE] [N]
//! ```
//!
//! PAGE is relative to DOCS (default: the first Markdown file); N defaults to 10. Prints every
//! edit and the median and maximum. Timings on a shared machine are noisy.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> anyhow::Result<()> {
    native::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpStream;
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant};

    use build_index::watch::{run, WatchOptions, EVENTS_PATH};

    fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(to)?;
        for e in std::fs::read_dir(from)? {
            let e = e?;
            let dest = to.join(e.file_name());
            if e.file_type()?.is_dir() {
                copy_dir(&e.path(), &dest)?;
            } else {
                std::fs::copy(e.path(), dest)?;
            }
        }
        Ok(())
    }

    fn first_md(dir: &Path, root: &Path) -> Option<String> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in &entries {
            if p.extension().is_some_and(|e| e == "md") {
                return Some(
                    p.strip_prefix(root)
                        .ok()?
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
        entries
            .iter()
            .filter(|p| p.is_dir())
            .find_map(|p| first_md(p, root))
    }

    fn get(addr: &str, path: &str) -> anyhow::Result<Vec<u8>> {
        let mut s = TcpStream::connect(addr)?;
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )?;
        let mut all = Vec::new();
        s.read_to_end(&mut all)?;
        let split = all
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(all.len(), |i| i + 4);
        Ok(build_index::site::gunzip(all.split_off(split))?)
    }

    fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1000.0
    }

    pub fn main() -> anyhow::Result<()> {
        let mut args = std::env::args().skip(1);
        let docs = PathBuf::from(
            args.next()
                .ok_or_else(|| anyhow::anyhow!("usage: watch_timing DOCS [PAGE] [N]"))?,
        );
        let work =
            std::env::temp_dir().join(format!("docatlas-watch-timing-{}", std::process::id()));
        let copy = work.join("docs");
        copy_dir(&docs, &copy)?;
        let page = match args.next() {
            Some(p) => p,
            None => first_md(&copy, &copy).ok_or_else(|| anyhow::anyhow!("no .md file"))?,
        };
        let n: usize = args.next().map_or(Ok(10), |s| s.parse())?;
        let (tx, rx) = std::sync::mpsc::channel();
        let opts = WatchOptions {
            docs: copy.clone(),
            code: Vec::new(),
            audience: docatlas_core::Audience::Internal,
            site: work.join("site"),
        };
        std::thread::spawn(move || {
            if let Err(e) = run(opts, "127.0.0.1", 0, |url| {
                let _ = tx.send(url.to_string());
            }) {
                eprintln!("error: serve --watch stopped: {e:#}");
                std::process::exit(2);
            }
        });
        let url = rx.recv_timeout(Duration::from_secs(600))?;
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let page_file = docatlas_core::files::page_file(&page);
        let mut to_reload = Vec::new();
        let mut to_served = Vec::new();
        let mut generation = 1u64;
        for i in 0..n {
            let mut s = TcpStream::connect(&addr)?;
            write!(
                s,
                "GET {EVENTS_PATH}?gen={generation} HTTP/1.1\r\nHost: x\r\n\r\n"
            )?;
            let mut events = BufReader::new(s);
            let mut line = String::new();
            // Headers, then the first report: the stream is open.
            while !line.starts_with("data:") {
                line.clear();
                events.read_line(&mut line)?;
            }
            let word = format!("watchtiming{i}x{}", std::process::id());
            let path = copy.join(&page);
            let mut text = std::fs::read_to_string(&path)?;
            text.push_str(&format!("\n\nEdited: {word}.\n"));
            let start = Instant::now();
            std::fs::write(&path, text)?;
            let mut event = String::new();
            loop {
                line.clear();
                if events.read_line(&mut line)? == 0 {
                    anyhow::bail!("the event stream ended");
                }
                if let Some(e) = line.trim_end().strip_prefix("event: ") {
                    event = e.to_string();
                } else if let Some(d) = line.trim_end().strip_prefix("data: ") {
                    if event == "reload" {
                        generation = d.parse()?;
                        break;
                    }
                }
            }
            let reload = start.elapsed();
            // The page files live in the build's own data folder, which the head names.
            let head = docatlas_core::decode_head(&get(
                &addr,
                &format!("/{}", docatlas_core::format::BUNDLE_FILE),
            )?)?;
            let body = get(&addr, &format!("/{}", head.path(&page_file)))?;
            let served = start.elapsed();
            anyhow::ensure!(
                body.windows(word.len()).any(|w| w == word.as_bytes()),
                "the page file does not hold the edit"
            );
            println!(
                "edit {:>2}: reload event {:>7.1} ms, page file served {:>7.1} ms",
                i + 1,
                ms(reload),
                ms(served)
            );
            to_reload.push(ms(reload));
            to_served.push(ms(served));
        }
        let stats = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            (v[v.len() / 2], v[v.len() - 1])
        };
        let (r50, rmax) = stats(&mut to_reload);
        let (s50, smax) = stats(&mut to_served);
        println!(
            "{} ({page}), {n} edits: edit → reload event median {r50:.0} ms (max {rmax:.0}); edit → edited page served median {s50:.0} ms (max {smax:.0})",
            docs.display()
        );
        let _ = std::fs::remove_dir_all(&work);
        std::process::exit(0)
    }
}
