//! Fetching site files by URL, decompressing them, with errors that tell a reader what to do.
//!
//! Every data file is stored gzip-compressed; a file whose bytes start with the gzip magic is
//! decompressed by the browser's `DecompressionStream` (no inflater in the wasm). A host that
//! sent it with `Content-Encoding: gzip` has already had the browser decode it, and the bytes
//! are used as they are.
//!
//! A single-file site (`build-index build --single-file`) holds every file in the page itself
//! (`docatlas_core::inline`): [`fetch`] reads those instead of the network, so nothing else
//! loads data files.

use docatlas_core::format::GZIP_MAGIC;
use docatlas_core::inline::{decode_base64, ELEMENT_PREFIX, SINGLE_FILE_ID};
use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ReadableStream, ReadableWritablePair, Response, WritableStream};

// web-sys has `DecompressionStream` only behind `web_sys_unstable_apis`; every current browser
// has it, so it is bound here directly.
#[wasm_bindgen]
extern "C" {
    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &DecompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &DecompressionStream) -> WritableStream;
}

/// Why a site file could not be had: the HTTP status if the server answered one, and a message
/// that names the file, what happened and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    /// The server's answer, if there was one and it was not a success.
    pub status: Option<u16>,
    pub message: String,
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Fetches `url` (relative to the page) and returns its bytes, decompressed.
pub async fn fetch(url: &str) -> Result<Vec<u8>, String> {
    fetch_file(url).await.map_err(|e| e.message)
}

/// [`fetch`], with the server's status kept apart when it answered an error.
pub async fn fetch_file(url: &str) -> Result<Vec<u8>, FetchError> {
    match start(url)? {
        Source::Network(request) => finish(url, request).await,
        Source::Inline(bytes) => unpack(url, bytes).await,
    }
}

/// Fetches `url` as [`fetch`] does, or `None` when the server answers 404 (a file the site does
/// not have). Errors name `what` (such as "the page `ops/deploy.md`") instead of the URL, for a
/// file whose name means nothing to a reader (a page file is named by a hash of its path).
pub async fn fetch_if_present(url: &str, what: &str) -> Result<Option<Vec<u8>>, String> {
    let got = match start(url) {
        Ok(Source::Network(request)) => finish(what, request).await,
        Ok(Source::Inline(bytes)) => unpack(what, bytes).await,
        Err(e) => Err(e),
    };
    match got {
        Ok(bytes) => Ok(Some(bytes)),
        Err(FetchError {
            status: Some(404), ..
        }) => Ok(None),
        Err(f) => Err(f.message),
    }
}

/// Fetches every URL at once (the requests run in parallel), results in the same order.
pub async fn fetch_all(urls: &[String]) -> Vec<Result<Vec<u8>, String>> {
    let started: Vec<Result<Source, FetchError>> = urls.iter().map(|u| start(u)).collect();
    let mut out = Vec::with_capacity(urls.len());
    for (url, source) in urls.iter().zip(started) {
        out.push(match source {
            Ok(Source::Network(request)) => finish(url, request).await.map_err(|e| e.message),
            Ok(Source::Inline(bytes)) => unpack(url, bytes).await.map_err(|e| e.message),
            Err(e) => Err(e.message),
        });
    }
    out
}

/// Where a file's bytes come from.
enum Source {
    /// A request the browser has sent.
    Network(Promise),
    /// The stored bytes of a file inlined in a single-file page.
    Inline(Vec<u8>),
}

/// Starts a request: the browser sends it now, whoever awaits it later. In a single-file page
/// the file is read from the page instead.
fn start(url: &str) -> Result<Source, FetchError> {
    let window =
        web_sys::window().ok_or_else(|| plain("docatlas needs a browser window".into()))?;
    if let Some(document) = window.document() {
        if document.get_element_by_id(SINGLE_FILE_ID).is_some() {
            return inlined(&document, url).map(Source::Inline);
        }
    }
    Ok(Source::Network(window.fetch_with_str(url)))
}

/// The stored bytes of the file at `url` in a single-file page. A file the page does not hold
/// is a 404, as a server would answer: a page file for a path the site lacks is not damage.
fn inlined(document: &web_sys::Document, url: &str) -> Result<Vec<u8>, FetchError> {
    let name = url.trim_start_matches("./");
    let element = document
        .get_element_by_id(&format!("{ELEMENT_PREFIX}{name}"))
        .ok_or_else(|| FetchError {
            status: Some(404),
            message: format!(
                "{name} is not in this file: it was cut short or edited; build it again"
            ),
        })?;
    decode_base64(&element.text_content().unwrap_or_default()).map_err(|e| {
        plain(format!(
            "{name} is damaged in this file ({e}); build it again"
        ))
    })
}

fn plain(message: String) -> FetchError {
    FetchError {
        status: None,
        message,
    }
}

fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

/// Awaits `request`; messages name the file as `url` (its URL, or what it holds).
async fn finish(url: &str, request: Promise) -> Result<Vec<u8>, FetchError> {
    let from_file = web_sys::window()
        .and_then(|w| w.location().protocol().ok())
        .is_some_and(|p| p == "file:");
    let resp: Response = JsFuture::from(request)
        .await
        .map_err(|e| plain(network_message(url, &js_message(&e), from_file)))?
        .unchecked_into();
    if !resp.ok() {
        return Err(FetchError {
            status: Some(resp.status()),
            message: status_message(url, resp.status(), &resp.status_text()),
        });
    }
    let read_failed = |e: JsValue| plain(read_message(url, &js_message(&e)));
    let body = resp.array_buffer().map_err(read_failed)?;
    let buf = JsFuture::from(body).await.map_err(read_failed)?;
    unpack(url, Uint8Array::new(&buf).to_vec()).await
}

/// A file's bytes, decompressed when they are gzip.
async fn unpack(url: &str, bytes: Vec<u8>) -> Result<Vec<u8>, FetchError> {
    if !bytes.starts_with(&GZIP_MAGIC) {
        return Ok(bytes);
    }
    gunzip(&bytes)
        .await
        .map_err(|e| plain(corrupt_message(url, bytes.len(), &e)))
}

/// The browser's words for "some request failed", which say nothing about why: left out of a
/// message that says what happened instead.
fn says_nothing(browser: &str) -> bool {
    let b = browser.trim().to_lowercase();
    b.is_empty()
        || b == "failed to fetch"
        || b == "load failed"
        || b == "unknown error"
        || b.starts_with("networkerror")
        || b.starts_with("network error")
}

/// `url` got no answer at all.
fn network_message(url: &str, browser: &str, from_file: bool) -> String {
    if from_file {
        return format!(
            "could not fetch {url}: browsers do not let a page opened from file:// read its data files. \
             Serve the folder instead (`build-index serve SITE`, or any static web server)"
        );
    }
    let said = if says_nothing(browser) {
        String::new()
    } else {
        format!(" (the browser said: {browser})")
    };
    format!(
        "could not fetch {url}: the request got no answer{said}: the network is down, the server \
         stopped, or something in between blocked it. Check the connection and reload the page"
    )
}

/// The server answered `url` with an error status.
fn status_message(url: &str, status: u16, text: &str) -> String {
    let what = match status {
        404 | 410 => "the file is not on the server: upload the whole site folder again (as `build-index build` wrote it)",
        401 | 403 => "the server refuses to hand it out: check the site's access settings on the server",
        s if s >= 500 => "the server failed: reload in a moment, or look at the server's log",
        _ => "reload the page; if it stays, check how the server serves this folder",
    };
    let text = text.trim();
    let sep = if text.is_empty() { "" } else { " " };
    format!("could not fetch {url}: the server answered {status}{sep}{text}; {what}")
}

/// The body of `url` could not be read after the server answered.
fn read_message(url: &str, browser: &str) -> String {
    let said = if says_nothing(browser) {
        String::new()
    } else {
        format!(" ({browser})")
    };
    format!("could not read {url}: the download broke off before the end{said}; reload the page")
}

/// `url` starts as gzip and does not decompress.
fn corrupt_message(url: &str, len: usize, browser: &str) -> String {
    let said = if says_nothing(browser) {
        String::new()
    } else {
        format!("; the browser said: {browser}")
    };
    format!(
        "{url} is corrupt: it does not decompress (its {len} bytes start as gzip, but the data \
         is damaged or cut short{said}); rebuild the site or upload this file again"
    )
}

/// Decompresses gzip bytes with the browser's `DecompressionStream`.
async fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let err = |e: JsValue| js_message(&e);
    let ds = DecompressionStream::new("gzip").map_err(err)?;
    let parts = Array::of1(&Uint8Array::from(bytes));
    let blob = Blob::new_with_u8_array_sequence(&parts).map_err(err)?;
    let pair = ReadableWritablePair::new(&ds.readable(), &ds.writable());
    let stream = blob.stream().pipe_through(&pair);
    let resp = Response::new_with_opt_readable_stream(Some(&stream)).map_err(err)?;
    let buf = JsFuture::from(resp.array_buffer().map_err(err)?)
        .await
        .map_err(err)?;
    Ok(Uint8Array::new(&buf).to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_happened_to_which_file_and_what_to_do() {
        let corrupt = corrupt_message("index/0003.bin", 812, "Failed to fetch");
        assert_eq!(
            corrupt,
            "index/0003.bin is corrupt: it does not decompress (its 812 bytes start as gzip, but \
             the data is damaged or cut short); rebuild the site or upload this file again"
        );
        assert!(!corrupt.contains("Failed to fetch"));
        let net = network_message("page/00a1.bin", "Failed to fetch", false);
        assert!(net.starts_with("could not fetch page/00a1.bin: the request got no answer:"));
        assert!(net.ends_with("Check the connection and reload the page"));
        let said = network_message("page/00a1.bin", "CORS request blocked", false);
        assert!(
            said.contains("(the browser said: CORS request blocked)"),
            "{said}"
        );
        assert!(network_message("x.bin", "", true).contains("build-index serve"));
        let missing = status_message("page/00a1.bin", 404, "Not Found");
        assert!(missing.starts_with("could not fetch page/00a1.bin: the server answered 404 Not Found; the file is not on the server: upload the whole site folder"));
        assert!(status_message("a", 503, "").contains("answered 503; the server failed"));
        assert!(status_message("a", 403, "Forbidden").contains("refuses"));
        assert_eq!(
            read_message("text/1-0.bin", "Failed to fetch"),
            "could not read text/1-0.bin: the download broke off before the end; reload the page"
        );
    }
}
