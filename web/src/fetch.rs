//! Fetching site files by URL, decompressing them, with errors that tell a reader what to do.
//!
//! Every data file is stored gzip-compressed; a file whose bytes start with the gzip magic is
//! decompressed by the browser's `DecompressionStream` (no inflater in the wasm). A host that
//! sent it with `Content-Encoding: gzip` has already had the browser decode it, and the bytes
//! are used as they are.

use docatlas_core::format::GZIP_MAGIC;
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

/// Fetches `url` (relative to the page) and returns its bytes, decompressed.
pub async fn fetch(url: &str) -> Result<Vec<u8>, String> {
    finish(url, start(url)?).await.map_err(|f| f.message)
}

/// Fetches `url` as [`fetch`] does, or `None` when the server answers 404 (a file the site does
/// not have). Errors name `what` (such as "the page `ops/deploy.md`") instead of the URL, for a
/// file whose name means nothing to a reader (a page file is named by a hash of its path).
pub async fn fetch_if_present(url: &str, what: &str) -> Result<Option<Vec<u8>>, String> {
    match finish(what, start(url)?).await {
        Ok(bytes) => Ok(Some(bytes)),
        Err(Failure {
            status: Some(404), ..
        }) => Ok(None),
        Err(f) => Err(f.message),
    }
}

/// Why a fetch failed: the reader's message, and the HTTP status when the server answered.
struct Failure {
    status: Option<u16>,
    message: String,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure {
            status: None,
            message,
        }
    }
}

/// Fetches every URL at once (the requests run in parallel), results in the same order.
pub async fn fetch_all(urls: &[String]) -> Vec<Result<Vec<u8>, String>> {
    let started: Vec<Result<Promise, String>> = urls.iter().map(|u| start(u)).collect();
    let mut out = Vec::with_capacity(urls.len());
    for (url, p) in urls.iter().zip(started) {
        out.push(match p {
            Ok(p) => finish(url, p).await.map_err(|f| f.message),
            Err(e) => Err(e),
        });
    }
    out
}

/// Starts a request: the browser sends it now, whoever awaits it later.
fn start(url: &str) -> Result<Promise, String> {
    let window = web_sys::window().ok_or("docatlas needs a browser window")?;
    Ok(window.fetch_with_str(url))
}

fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

/// Awaits `request`; messages name the file as `url` (its URL, or what it holds).
async fn finish(url: &str, request: Promise) -> Result<Vec<u8>, Failure> {
    let from_file = web_sys::window()
        .and_then(|w| w.location().protocol().ok())
        .is_some_and(|p| p == "file:");
    let resp: Response = JsFuture::from(request)
        .await
        .map_err(|e| {
            if from_file {
                format!(
                    "could not fetch {url}: browsers do not let a page opened from file:// read its data files. \
                     Serve the folder instead (`build-index serve SITE`, or any static web server)"
                )
            } else {
                format!("could not fetch {url}: {}", js_message(&e))
            }
        })?
        .unchecked_into();
    if !resp.ok() {
        return Err(Failure {
            status: Some(resp.status()),
            message: format!(
                "could not fetch {url}: the server answered {} {}",
                resp.status(),
                resp.status_text()
            ),
        });
    }
    let body = resp
        .array_buffer()
        .map_err(|e| format!("could not read {url}: {}", js_message(&e)))?;
    let buf = JsFuture::from(body)
        .await
        .map_err(|e| format!("could not read {url}: {}", js_message(&e)))?;
    let bytes = Uint8Array::new(&buf).to_vec();
    if !bytes.starts_with(&GZIP_MAGIC) {
        return Ok(bytes);
    }
    Ok(gunzip(&bytes).await.map_err(|e| {
        format!(
            "{url} is corrupt: it does not decompress ({e}); rebuild the site or upload it again"
        )
    })?)
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
