//! A small static file server for previewing a built site on localhost.

use std::path::{Component, Path, PathBuf};

/// Serves `root` on `host:port` until the process is stopped; calls `on_ready` with the URL
/// once listening. If `port` is taken, the next free port (up to 50 further) is used.
pub fn serve(
    root: &Path,
    host: &str,
    port: u16,
    on_ready: impl FnOnce(&str),
) -> anyhow::Result<()> {
    let mut last_err = None;
    let mut server = None;
    for p in port..port.saturating_add(50) {
        match tiny_http::Server::http((host, p)) {
            Ok(s) => {
                server = Some((s, p));
                break;
            }
            Err(e) => last_err = Some(e),
        }
        if port == 0 {
            break;
        }
    }
    let Some((server, _)) = server else {
        anyhow::bail!(
            "could not listen on {host}:{port} or the next 50 ports: {}; pass --port with a free port",
            last_err.map(|e| e.to_string()).unwrap_or_default()
        );
    };
    let addr = server
        .server_addr()
        .to_ip()
        .map_or_else(|| format!("{host}:{port}"), |a| a.to_string());
    on_ready(&format!("http://{addr}/"));
    for request in server.incoming_requests() {
        let response = respond(root, request.url());
        let _ = request.respond(response);
    }
    Ok(())
}

fn respond(root: &Path, url: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let Some(mut file) = safe_join(root, path) else {
        return text(400, "bad path");
    };
    if file.is_dir() {
        file = file.join("index.html");
    }
    match std::fs::read(&file) {
        Ok(bytes) => {
            let mime = mime_for(&file);
            tiny_http::Response::from_data(bytes)
                .with_header(header("Content-Type", mime))
                .with_header(header("Cache-Control", "no-cache"))
        }
        Err(_) => text(404, "not found"),
    }
}

fn text(code: u16, body: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    tiny_http::Response::from_data(body.as_bytes().to_vec())
        .with_status_code(code)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn header(k: &str, v: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("static header is valid")
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
    use super::safe_join;
    use std::path::Path;

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
