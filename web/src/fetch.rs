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

/// Fetches `url` (relative to the page) and returns its bytes, decompressed.
pub async fn fetch(url: &str) -> Result<Vec<u8>, String> {
    match start(url)? {
        Source::Network(request) => finish(url, request).await,
        Source::Inline(bytes) => unpack(url, bytes).await,
    }
}

/// Fetches every URL at once (the requests run in parallel), results in the same order.
pub async fn fetch_all(urls: &[String]) -> Vec<Result<Vec<u8>, String>> {
    let started: Vec<Result<Source, String>> = urls.iter().map(|u| start(u)).collect();
    let mut out = Vec::with_capacity(urls.len());
    for (url, source) in urls.iter().zip(started) {
        out.push(match source {
            Ok(Source::Network(request)) => finish(url, request).await,
            Ok(Source::Inline(bytes)) => unpack(url, bytes).await,
            Err(e) => Err(e),
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
fn start(url: &str) -> Result<Source, String> {
    let window = web_sys::window().ok_or("docatlas needs a browser window")?;
    if let Some(document) = window.document() {
        if document.get_element_by_id(SINGLE_FILE_ID).is_some() {
            return inlined(&document, url).map(Source::Inline);
        }
    }
    Ok(Source::Network(window.fetch_with_str(url)))
}

/// The stored bytes of the file at `url` in a single-file page.
fn inlined(document: &web_sys::Document, url: &str) -> Result<Vec<u8>, String> {
    let name = url.trim_start_matches("./");
    let element = document
        .get_element_by_id(&format!("{ELEMENT_PREFIX}{name}"))
        .ok_or_else(|| {
            format!("{name} is not in this file: it was cut short or edited; build it again")
        })?;
    decode_base64(&element.text_content().unwrap_or_default())
        .map_err(|e| format!("{name} is damaged in this file ({e}); build it again"))
}

fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

async fn finish(url: &str, request: Promise) -> Result<Vec<u8>, String> {
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
        return Err(format!(
            "could not fetch {url}: the server answered {} {}",
            resp.status(),
            resp.status_text()
        ));
    }
    let body = resp
        .array_buffer()
        .map_err(|e| format!("could not read {url}: {}", js_message(&e)))?;
    let buf = JsFuture::from(body)
        .await
        .map_err(|e| format!("could not read {url}: {}", js_message(&e)))?;
    unpack(url, Uint8Array::new(&buf).to_vec()).await
}

/// A file's bytes, decompressed when they are gzip.
async fn unpack(url: &str, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    if !bytes.starts_with(&GZIP_MAGIC) {
        return Ok(bytes);
    }
    gunzip(&bytes).await.map_err(|e| {
        format!(
            "{url} is corrupt: it does not decompress ({e}); rebuild the site or upload it again"
        )
    })
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
