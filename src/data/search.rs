//! The app's search: asked of the search-first module, the page's one search engine.
//!
//! Why: the engine (index shards, typo dictionaries, text fragments, and their decoders) would
//! be a fifth of the app's WebAssembly, and the module has it loaded already, with the head and
//! a first query's files. The module also draws the result list, with the markup its own box
//! shows; the app places those nodes in its search page. What crosses, and how, is defined once
//! in `docatlas_web::bridge`.

use js_sys::{Array, Function, Promise, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use docatlas_web::bridge::{self, Results, MODULE};

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

/// The module's export `name`, and the module it belongs to.
fn export(name: &str) -> Result<(JsValue, Function), String> {
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
    Ok((module, function))
}

/// Calls the module's export `name` with `args` and waits for its Promise.
async fn call(name: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let (module, function) = export(name)?;
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

/// Results of a query as the module drew them: what the app knows of them, the line above them
/// (`div.da-results-head`) and the list (`ol#da-hits`), to place in the search page.
#[derive(Clone)]
pub struct Drawn {
    /// Total, links and facet chips.
    pub results: Results,
    /// The summary, typo correction and notices.
    pub head: web_sys::Element,
    /// The result list.
    pub list: web_sys::Element,
}

/// The first `limit` results of `query`, with the same code as `build-index search`.
pub async fn results(query: &str, limit: usize) -> Result<Drawn, String> {
    let limit = u32::try_from(limit).unwrap_or(u32::MAX);
    let answer: Array = call(bridge::RESULTS, &[query.into(), limit.into()])
        .await?
        .dyn_into()
        .map_err(|_| "the search module's answer is not a list; reload the page".to_string())?;
    let element = |i: u32| {
        answer.get(i).dyn_into::<web_sys::Element>().map_err(|_| {
            "the search module's answer holds no results to show; reload the page".to_string()
        })
    };
    Ok(Drawn {
        results: Results::decode(&Uint8Array::new(&answer.get(0)).to_vec())?,
        head: element(1)?,
        list: element(2)?,
    })
}

/// Marks result `index` of `list` (from [`results`]) as chosen and, with `scroll`, brings it
/// into view.
pub fn select(list: &web_sys::Element, index: usize, scroll: bool) {
    if let Ok((module, function)) = export(bridge::SELECT) {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        let _ = function.call3(&module, list, &index.into(), &scroll.into());
    }
}

/// For each of `texts`, the byte ranges of the words `query` matches (what a page highlights).
pub async fn ranges(query: &str, texts: &[String]) -> Result<Vec<Vec<(usize, usize)>>, String> {
    let list: Array = texts.iter().map(|t| JsValue::from_str(t)).collect();
    let flat =
        Uint32Array::new(&call(bridge::RANGES, &[query.into(), list.into()]).await?).to_vec();
    Ok(bridge::decode_ranges(&flat, texts))
}
