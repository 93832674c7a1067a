//! The app's search: asked of the search-first module's engine, the page's only one.
//!
//! Why: the engine (index shards, typo dictionaries, text fragments, and their decoders) is
//! about a fifth of the app's WebAssembly, and the search-first module has it loaded already,
//! with the head and a first query's files. The page's loader puts the module's exports on
//! `window.docatlasSearch`; results cross as postcard bytes (the types' one definition is in
//! `docatlas-core`), highlight ranges as a flat `Uint32Array` (`docatlas_web::bridge`).

use docatlas_core::{SearchOptions, SearchResults};
use js_sys::{Array, Function, Promise, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use docatlas_web::bridge::{self, Chip, MODULE};

/// The search-first module's exports, if it started.
fn module() -> Option<JsValue> {
    let window = web_sys::window()?;
    Reflect::get(&window, &MODULE.into())
        .ok()
        .filter(JsValue::is_object)
}

/// The head's bytes as the search-first module fetched them (`None` without the module: the
/// app then fetches the head itself).
pub async fn head() -> Option<Result<Vec<u8>, String>> {
    module()?;
    Some(
        call(bridge::HEAD, &[])
            .await
            .map(|b| Uint8Array::new(&b).to_vec()),
    )
}

/// Calls the module's export `name` with `args` and waits for its Promise.
async fn call(name: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let module = module().ok_or(
        "search is unavailable: the search module of this site did not start (reload the \
         page; if it persists, rebuild the site with `build-index build`, which ships it)",
    )?;
    let function: Function = Reflect::get(&module, &name.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| {
            format!("the site's search module has no `{name}`: its files are from another docatlas version (rebuild the site)")
        })?;
    let promise: Promise = function
        .apply(&module, &args.iter().collect::<Array>())
        .map_err(|e| describe(&e))?
        .dyn_into()
        .map_err(|_| format!("the search module's `{name}` did not answer with a Promise"))?;
    JsFuture::from(promise).await.map_err(|e| describe(&e))
}

/// A rejection's text: the module rejects with the reader's message as a string.
fn describe(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| Reflect::get(e, &"message".into()).ok()?.as_string())
        .unwrap_or_else(|| "the search failed".into())
}

/// Searches the site with the same code as `build-index search`; with `opts.facets`, also the
/// facet chips to draw ([`docatlas_web::results::facet_chips`]).
pub async fn search(
    query: &str,
    opts: SearchOptions,
) -> Result<(SearchResults, Vec<Chip>), String> {
    let limit = u32::try_from(opts.limit).unwrap_or(u32::MAX);
    let bytes = call(
        bridge::SEARCH,
        &[query.into(), limit.into(), opts.facets.into()],
    )
    .await?;
    let bytes = Uint8Array::new(&bytes).to_vec();
    postcard::from_bytes(&bytes)
        .map_err(|e| format!("the search module's answer could not be read ({e}); reload the page"))
}

/// For each of `texts`, the byte ranges of the words `query` matches (what a page highlights).
pub async fn ranges(query: &str, texts: &[String]) -> Result<Vec<Vec<(usize, usize)>>, String> {
    let list: Array = texts.iter().map(|t| JsValue::from_str(t)).collect();
    let flat =
        Uint32Array::new(&call(bridge::RANGES, &[query.into(), list.into()]).await?).to_vec();
    Ok(bridge::decode_ranges(&flat, texts))
}
