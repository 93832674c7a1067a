//! A small static file server for previewing a built site on localhost.
//!
//! Plain `std::net`, a thread per connection, HTTP/1.1 keep-alive, GET and HEAD only: enough for
//! a browser on the same machine. It replaced tiny_http 0.12, under which a page's burst of
//! parallel fetches (a first search's text fragments) now and then left one request unanswered
//! for good, so the search never finished.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

/// The longest request line or header line read; longer ones end the connection.
const MAX_LINE: u64 = 16 * 1024;
/// An idle keep-alive connection is closed after this long.
const IDLE: Duration = Duration::from_secs(60);

/// What a caller adds to the plain file server (`serve --watch`, see [`crate::watch`]).
pub trait Hooks: Sync {
    /// Answers a request itself, writing the whole response to `out` (a server-sent events
    /// stream that holds the connection); `None` leaves it to the file server. `target` is the
    /// request target as sent (path and query).
    fn take(&self, target: &str, out: &mut TcpStream) -> Option<std::io::Result<()>>;
    /// Rewrites a file's body before it is sent (`path` is the file on disk).
    fn body(&self, path: &Path, body: Vec<u8>) -> Vec<u8>;
}

/// No hooks: the files as they are.
struct Plain;

impl Hooks for Plain {
    fn take(&self, _: &str, _: &mut TcpStream) -> Option<std::io::Result<()>> {
        None
    }
    fn body(&self, _: &Path, body: Vec<u8>) -> Vec<u8> {
        body
    }
}

/// Serves `root` on `host:port` until the process is stopped; calls `on_ready` with the URL
/// once listening. If `port` is taken, the next free port (up to 50 further) is used.
pub fn serve(
    root: &Path,
    host: &str,
    port: u16,
    on_ready: impl FnOnce(&str),
) -> anyhow::Result<()> {
    serve_with(root, host, port, on_ready, &Plain)
}

/// [`serve`] with [`Hooks`].
pub fn serve_with(
    root: &Path,
    host: &str,
    port: u16,
    on_ready: impl FnOnce(&str),
    hooks: &dyn Hooks,
) -> anyhow::Result<()> {
    let mut last_err = None;
    let mut listener = None;
    for p in port..port.saturating_add(50) {
        match TcpListener::bind((host, p)) {
            Ok(l) => {
                listener = Some(l);
                break;
            }
            Err(e) => last_err = Some(e),
        }
        if port == 0 {
            break;
        }
    }
    let Some(listener) = listener else {
        anyhow::bail!(
            "could not listen on {host}:{port} or the next 50 ports: {}; pass --port with a free port",
            last_err.map(|e| e.to_string()).unwrap_or_default()
        );
    };
    let addr = listener
        .local_addr()
        .map_or_else(|_| format!("{host}:{port}"), |a| a.to_string());
    on_ready(&format!("http://{addr}/"));
    std::thread::scope(|scope| {
        for stream in listener.incoming().flatten() {
            scope.spawn(move || {
                // A connection that fails (the browser went away) ends; the server goes on.
                let _ = connection(root, stream, hooks);
            });
        }
    });
    Ok(())
}

/// Answers the requests of one connection until the client closes it, asks to, or idles.
fn connection(root: &Path, stream: TcpStream, hooks: &dyn Hooks) -> std::io::Result<()> {
    stream.set_read_timeout(Some(IDLE))?;
    let _ = stream.set_nodelay(true);
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    loop {
        let Some(request_line) = read_line(&mut reader)? else {
            return Ok(());
        };
        if request_line.is_empty() {
            continue; // a stray CRLF between requests
        }
        let mut parts = request_line.split_whitespace();
        let (method, target, version) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or("/").to_string(),
            parts.next().unwrap_or("HTTP/1.0"),
        );
        let mut close = version != "HTTP/1.1";
        let mut has_body = false;
        loop {
            let Some(line) = read_line(&mut reader)? else {
                return Ok(());
            };
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap_or((&line, ""));
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
            match name.as_str() {
                "connection" => close = value.eq_ignore_ascii_case("close"),
                "content-length" => has_body = value != "0",
                "transfer-encoding" => has_body = true,
                _ => {}
            }
        }
        let head_only = method == "HEAD";
        if method == "GET" {
            if let Some(done) = hooks.take(&target, &mut out) {
                return done;
            }
        }
        let (code, content_type, body) = if method == "GET" || head_only {
            respond(root, &target, hooks)
        } else {
            // A body we do not read would be taken for the next request: close after this.
            close = true;
            text(405, "only GET and HEAD are served")
        };
        close |= has_body;
        let reason = match code {
            200 => "OK",
            400 => "Bad Request",
            404 => "Not Found",
            _ => "Method Not Allowed",
        };
        let mut head = format!(
            "HTTP/1.1 {code} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n",
            body.len()
        );
        if close {
            head.push_str("Connection: close\r\n");
        }
        head.push_str("\r\n");
        out.write_all(head.as_bytes())?;
        if !head_only {
            out.write_all(&body)?;
        }
        out.flush()?;
        if close {
            return Ok(());
        }
    }
}

/// One line without its line ending; `None` at the end of the stream or past [`MAX_LINE`].
fn read_line(reader: &mut impl BufRead) -> std::io::Result<Option<String>> {
    let mut buf = Vec::new();
    let n = reader.by_ref().take(MAX_LINE).read_until(b'\n', &mut buf)?;
    if n == 0 || buf.last() != Some(&b'\n') {
        return Ok(None);
    }
    while matches!(buf.last(), Some(b'\n' | b'\r')) {
        buf.pop();
    }
    Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
}

/// Status, content type and body for a request target.
fn respond(root: &Path, target: &str, hooks: &dyn Hooks) -> (u16, &'static str, Vec<u8>) {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let Some(mut file) = safe_join(root, path) else {
        return text(400, "bad path");
    };
    if file.is_dir() {
        file = file.join("index.html");
    }
    match std::fs::read(&file) {
        Ok(bytes) => (200, mime_for(&file), hooks.body(&file, bytes)),
        Err(_) => text(404, "not found"),
    }
}

fn text(code: u16, body: &str) -> (u16, &'static str, Vec<u8>) {
    (code, "text/plain; charset=utf-8", body.as_bytes().to_vec())
}

/// Joins a URL path onto `root`, refusing `..` and anything else that would leave it.
fn safe_join(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = docatlas_core::text::percent_decode(url_path);
    let mut out = root.to_path_buf();
    for comp in Path::new(decoded.trim_start_matches('/')).components() {
        match comp {
            Component::Normal(c) => out.push(c),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

fn mime_for(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "woff2" => "font/woff2",
        "bin" => "application/octet-stream",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::{safe_join, serve};
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpStream;
    use std::path::Path;

    /// Reads one response from a keep-alive connection: status line, headers, body.
    fn response(reader: &mut BufReader<TcpStream>, head_only: bool) -> (String, Vec<u8>) {
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        let mut len = 0usize;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.trim_end().is_empty() {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                len = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; if head_only { 0 } else { len }];
        reader.read_exact(&mut body).unwrap();
        (status.trim_end().to_string(), body)
    }

    #[test]
    fn answers_every_request_of_many_parallel_keep_alive_connections() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..20 {
            std::fs::write(dir.path().join(format!("{i}.bin")), vec![i as u8; 1000 + i]).unwrap();
        }
        std::fs::write(dir.path().join("index.html"), "<p>hi</p>").unwrap();
        let root = dir.path().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        // The server runs until the test process ends.
        std::thread::spawn(move || {
            serve(&root, "127.0.0.1", 0, |url| {
                tx.send(url.to_string()).unwrap()
            })
        });
        let url = rx.recv().unwrap();
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let workers: Vec<_> = (0..12)
            .map(|c| {
                let addr = addr.clone();
                std::thread::spawn(move || {
                    let stream = TcpStream::connect(&addr).unwrap();
                    stream
                        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
                        .unwrap();
                    let mut writer = stream.try_clone().unwrap();
                    let mut reader = BufReader::new(stream);
                    for r in 0..5 {
                        let i = (c * 5 + r) % 20;
                        write!(writer, "GET /{i}.bin HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
                        let (status, body) = response(&mut reader, false);
                        assert_eq!(status, "HTTP/1.1 200 OK");
                        assert_eq!(body, vec![i as u8; 1000 + i]);
                    }
                    write!(writer, "HEAD / HTTP/1.1\r\n\r\n").unwrap();
                    let (status, body) = response(&mut reader, true);
                    assert_eq!((status.as_str(), body.len()), ("HTTP/1.1 200 OK", 0));
                    write!(writer, "GET /missing.bin HTTP/1.1\r\n\r\n").unwrap();
                    assert_eq!(response(&mut reader, false).0, "HTTP/1.1 404 Not Found");
                    write!(
                        writer,
                        "GET /../etc/passwd HTTP/1.1\r\nConnection: close\r\n\r\n"
                    )
                    .unwrap();
                    assert_eq!(response(&mut reader, false).0, "HTTP/1.1 400 Bad Request");
                    // Asked to close: the server does.
                    let mut rest = Vec::new();
                    reader.read_to_end(&mut rest).unwrap();
                    assert!(rest.is_empty());
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
    }

    #[test]
    fn paths_cannot_escape_the_root() {
        let root = Path::new("/srv/site");
        assert_eq!(
            safe_join(root, "/a/b.js").unwrap(),
            Path::new("/srv/site/a/b.js")
        );
        assert!(safe_join(root, "/../etc/passwd").is_none());
        assert!(safe_join(root, "/a/%2e%2e/%2e%2e/x").is_none());
    }
}
