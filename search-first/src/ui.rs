//! The search-first start: a small WebAssembly module that shows the search box and its results
//! while the full app loads.
//!
//! Why: the full app's WebAssembly (the graph, the tracks, pages, facets) is about twice this
//! module's, and a reader who came to search should not wait for it. `build-index` ships this module as a second binary
//! (crate `docatlas-search`, built by `build-index/build.rs`) and `index.html` starts it
//! instead of the app. It loads the head, answers the JS API ([`search_json`]), renders
//! results as plain DOM with the app's classes, and asks the page for the full app
//! (`window.docatlasLoadApp`, written into `index.html` by the build script) so that it never
//! competes with a first query: once the first results are shown (or delivered to the JS API),
//! or after a short quiet time with no query asked for, or at once on a route it does not show
//! (a page, the graph, the tracks); see [`maybe_load_app`]. When the full app has its own view
//! to show it removes this module's DOM (`docatlas_web::host::take_over_search_first`) and
//! reads the query from the URL, which this module keeps current.
//!
//! The module is also the page's one search engine: the full app has none of its own (it would
//! double the app's WebAssembly and fetch the head and a first query's files a second time). The
//! app asks this module through `window.docatlasSearch` (set by the page's loader) for results
//! ([`app_results`]) and for the words to highlight on a page ([`app_ranges`]), and the JS API
//! ([`search_json`]) is answered here too.
//!
//! Invariant: nothing here may reach the graph, the reading tracks or the app's views, or the
//! module grows back to the app's size (`scripts/measure` prints both); they live in the app's
//! crate, which this one cannot name.

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use docatlas_core::{SearchOptions, SearchResults};
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use docatlas_web::bridge::{encode_ranges, Results};
use docatlas_web::host::{announce_ready, document, host_and_bundle, SEARCH_FIRST_ID};
use docatlas_web::route::{current_hash, Route};
use docatlas_web::search_box::wants_search_box;

use crate::atlas::{self, Atlas};
use crate::dom::{after, el, link, listen, Node};
use crate::results::{
    facet_chips, follow_box, hit_id, hit_list, mark_selected, results_head, search_input,
};

/// Results shown (the app shows as many before "More results").
const LIMIT: usize = 20;

/// What the module shows and knows.
struct Ui {
    root: web_sys::Element,
    input: web_sys::HtmlInputElement,
    brand: web_sys::Element,
    main: web_sys::Element,
    /// The head has loaded or failed: from now on the app may load.
    head_done: bool,
    /// Bumped by every keystroke and route change; a search whose number is stale is dropped.
    generation: u64,
    /// Where each result on screen leads, for Enter.
    hrefs: Vec<String>,
    selected: usize,
    app_requested: bool,
    /// A search has been answered (its results shown, or delivered to the JS API): the app
    /// may load now without sharing the network with a first query.
    answered: bool,
    /// When the reader last typed, or the head arrived (ms since the page started): the app
    /// waits for [`IDLE_MS`] of quiet after it.
    active_at: f64,
    /// A page's deep link is being drawn ([`show_page`]): the app waits until its text shows,
    /// so that the page file does not share a slow network with the app's WebAssembly.
    page_pending: bool,
}

impl Ui {
    /// Tells assistive technology which result is chosen: the box is a combobox whose active
    /// descendant is the selected option (none when no result is on screen).
    fn mark_active(&self) {
        let shown = !self.hrefs.is_empty();
        let _ = self
            .input
            .set_attribute("aria-expanded", if shown { "true" } else { "false" });
        if shown {
            let _ = self
                .input
                .set_attribute("aria-activedescendant", &hit_id(self.selected));
        } else {
            let _ = self.input.remove_attribute("aria-activedescendant");
        }
    }
}

/// How long the module waits, after the head arrives or the reader types, with no search
/// asked for, before it loads the app: time for a host script (or the reader) to ask a first
/// query, whose files must not share the network with the app's.
const IDLE_MS: f64 = 300.0;

/// Milliseconds since the page started.
fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

thread_local! {
    static UI: RefCell<Option<Ui>> = const { RefCell::new(None) };
    /// Searches waiting for their files (this module's and the JS API's).
    static PENDING: Cell<u32> = const { Cell::new(0) };
    /// The loaded head and engine, for the box, the app and the JS API alike.
    static ATLAS: RefCell<Option<Arc<Atlas>>> = const { RefCell::new(None) };
    /// The head's load while it runs (every caller waits on the same one).
    static LOADING: RefCell<Option<Promise>> = const { RefCell::new(None) };
    /// The head's bytes, decompressed, for the app ([`app_head`]).
    static HEAD: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The site's head and engine: loaded on first use (by the box, or by the app when the page
/// opened on a route this module does not show), then kept. A failed load is tried again by the
/// next caller.
async fn atlas() -> Result<Arc<Atlas>, String> {
    if let Some(atlas) = ATLAS.with(|a| a.borrow().clone()) {
        return Ok(atlas);
    }
    let loading = LOADING.with(|l| {
        l.borrow_mut()
            .get_or_insert_with(|| {
                future_to_promise(async {
                    let (_, url) = host_and_bundle(&document());
                    let loaded = atlas::load(&url).await;
                    LOADING.with(|l| l.borrow_mut().take());
                    let (atlas, bytes) = loaded.map_err(|e| JsValue::from_str(&e))?;
                    let atlas = Arc::new(atlas);
                    ATLAS.with(|a| *a.borrow_mut() = Some(atlas.clone()));
                    HEAD.with(|h| *h.borrow_mut() = bytes);
                    announce_ready(false);
                    Ok(JsValue::UNDEFINED)
                })
            })
            .clone()
    });
    JsFuture::from(loading).await.map_err(|e| {
        e.as_string()
            .unwrap_or_else(|| "the docs' head could not be loaded".into())
    })?;
    ATLAS
        .with(|a| a.borrow().clone())
        .ok_or_else(|| "the docs' head could not be loaded".into())
}

/// An error for the app's side of the bridge: a plain string it shows as it is.
fn bridge_error(msg: String) -> JsValue {
    JsValue::from_str(&msg)
}

/// For the app (`window.docatlasSearch.app_head`): the head's bytes (decompressed), so that the
/// app decodes the head this module fetched instead of fetching it again; a Promise of a
/// `Uint8Array`, rejected with the reader's error text when the head cannot be loaded.
pub fn app_head() -> Promise {
    future_to_promise(async move {
        atlas().await.map_err(bridge_error)?;
        Ok(HEAD
            .with(|h| js_sys::Uint8Array::from(h.borrow().as_slice()))
            .into())
    })
}

/// For the app (`window.docatlasSearch.app_results`, see `docatlas_web::bridge::RESULTS`): the
/// results of `query` drawn as this module draws its own (the line above them and the list),
/// with what the app needs to know of them ([`Results`]: total, links, facet chips), as a
/// Promise of `[Uint8Array, Element, Element]`, rejected with the reader's error text.
pub fn app_results(query: String, limit: u32) -> Promise {
    future_to_promise(async move {
        let atlas = atlas().await.map_err(bridge_error)?;
        let opts = SearchOptions {
            limit: usize::try_from(limit).unwrap_or(usize::MAX),
            facets: true,
        };
        let results = atlas.search(&query, opts).await.map_err(bridge_error)?;
        let chips = facet_chips(&results, &query);
        let suggest = if results.total == 0 {
            atlas.suggestions(&query).await
        } else {
            Vec::new()
        };
        let head = results_head(&results, &query, &suggest).into_element();
        let total = results.total;
        let (list, hrefs) = hit_list(results.hits, &query);
        let meta = Results {
            total,
            hrefs,
            chips,
        }
        .encode();
        Ok(js_sys::Array::of3(
            &js_sys::Uint8Array::from(meta.as_slice()),
            &head,
            &list.into_element(),
        )
        .into())
    })
}

/// For the app (`window.docatlasSearch.app_select`): marks result `index` of `list` (from
/// [`app_results`]) as the chosen one and, with `scroll`, brings it into view.
pub fn app_select(list: web_sys::Element, index: u32, scroll: bool) {
    mark_selected(&list, index as usize, scroll);
}

/// For the app (`window.docatlasSearch.app_ranges`): the byte ranges of the words `query`
/// matches in each of `texts` (a page's text nodes), flattened into a `Uint32Array`: for each
/// text, its number of ranges, then each range's start and end.
pub fn app_ranges(query: String, texts: Vec<String>) -> Promise {
    future_to_promise(async move {
        let atlas = atlas().await.map_err(bridge_error)?;
        let matched = atlas.matched(&query).await.map_err(bridge_error)?;
        let flat = encode_ranges(texts.iter().map(|t| matched.ranges(t)));
        Ok(js_sys::Uint32Array::from(flat.as_slice()).into())
    })
}

/// JS API (`window.wasmBindings.search_json`, exported by both binaries; the app's forwards
/// here): searches the site with the same code as `build-index search`. Returns a Promise of
/// the same JSON string: `{"query", "total", "hits": [{"doc", "anchor", "title", "score",
/// "snippet"}]}` (a Promise because a search may first fetch the index shards and text it
/// needs). It waits for the head if it has not loaded yet.
pub fn search_json(query: String, limit: u32) -> Promise {
    // Counted now, not when the promise first runs: the module must see it before it decides
    // to fetch the full app.
    begin_search();
    future_to_promise(async move {
        let answer = async {
            let atlas = atlas()
                .await
                .map_err(|e| JsValue::from(JsError::new(&format!("docatlas: {e}"))))?;
            let limit = usize::try_from(limit).unwrap_or(usize::MAX);
            let results = atlas
                .search(&query, SearchOptions::hits(limit))
                .await
                .map_err(|e| JsValue::from(JsError::new(&e)))?;
            Ok(JsValue::from_str(&results.report().to_json()))
        }
        .await;
        // Released in a later task, once the caller has its answer: the app's files must not
        // start loading before the results they waited for are delivered.
        after(0, end_search);
        answer
    })
}

/// A search started: the app waits until it is answered.
pub(crate) fn begin_search() {
    PENDING.with(|p| p.set(p.get().saturating_add(1)));
}

/// A search was answered (or failed): the app may load if nothing else waits.
pub(crate) fn end_search() {
    PENDING.with(|p| p.set(p.get().saturating_sub(1)));
    UI.with(|u| {
        if let Some(ui) = u.borrow_mut().as_mut() {
            ui.answered = true;
        }
    });
    maybe_load_app();
}

/// Starts the module: shows the search box at once (and, on a page's deep link, the page),
/// loads the head, then the app.
pub fn start() {
    let (query, page) = match Route::parse(&current_hash()) {
        Route::Home => (String::new(), None),
        Route::Search { query } => (query, None),
        Route::Doc { path, anchor, .. } => (String::new(), Some((path, anchor))),
        _ => return load_app(),
    };
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (host, _) = host_and_bundle(&document);
    let input: web_sys::HtmlInputElement = search_input().into_element().unchecked_into();
    input.set_value(&query);
    let brand = link("#/", "docatlas").class("da-brand").into_element();
    let main = el("main").class("da-main").child(loading()).into_element();
    let form = el("form")
        .class("da-search")
        .attr("role", "search")
        .into_element();
    let _ = form.append_child(&input);
    let header = el("header").class("da-header").into_element();
    let _ = header.append_child(&brand);
    let _ = header.append_child(
        &link("#/entities", "Entities")
            .class("da-nav")
            .into_element(),
    );
    let _ = header.append_child(&form);
    let root = el("div")
        .class("docatlas")
        .attr("id", SEARCH_FIRST_ID)
        .into_element();
    let _ = root.append_child(&header);
    let _ = root.append_child(&main);
    let parent: web_sys::Node = match host {
        Some(h) => h.into(),
        None => match document.body() {
            Some(b) => b.into(),
            None => return load_app(),
        },
    };
    let _ = parent.append_child(&root);

    listen(&input, "input", |_| on_input());
    listen(&input, "keydown", |ev| {
        if let Ok(k) = ev.dyn_into() {
            on_key(k);
        }
    });
    listen(&form, "submit", |ev| ev.prevent_default());
    if let Some(window) = web_sys::window() {
        listen(&window, "hashchange", |_| on_route());
        listen(&window, "keydown", |ev| {
            if let Ok(k) = ev.dyn_into() {
                on_global_key(k);
            }
        });
    }
    UI.with(|u| {
        *u.borrow_mut() = Some(Ui {
            root,
            input,
            brand,
            main,
            head_done: false,
            generation: 0,
            hrefs: Vec::new(),
            selected: 0,
            app_requested: false,
            answered: false,
            active_at: now(),
            page_pending: page.is_some(),
        });
    });
    if let Some((path, anchor)) = page {
        show_page(path, anchor);
    }
    wasm_bindgen_futures::spawn_local(async move {
        let loaded = atlas().await;
        let query = with_ui(|ui| {
            ui.head_done = true;
            ui.active_at = now();
            // A head that failed leaves nothing to search: the app shows the error too.
            ui.answered = loaded.is_err();
            match &loaded {
                Ok(atlas) => {
                    ui.brand.set_text_content(Some(&atlas.docs.site.title));
                    ui.input.value()
                }
                Err(msg) => {
                    show(&ui.main, error_box(msg));
                    String::new()
                }
            }
        })
        .unwrap_or_default();
        if loaded.is_ok() && matches!(Route::parse(&current_hash()), Route::Search { .. }) {
            search(query);
        }
        maybe_load_app();
    });
}

/// Runs `f` on the module's state while its DOM is still on the page.
fn with_ui<T>(f: impl FnOnce(&mut Ui) -> T) -> Option<T> {
    UI.with(|u| {
        let mut u = u.borrow_mut();
        let ui = u.as_mut()?;
        ui.root.is_connected().then(|| f(ui))
    })
}

/// A keystroke in the box: as in the app, the URL follows once typing pauses; the hashchange
/// runs the search ([`on_route`]) and tells the app, should it be loading unseen, what the
/// reader typed.
fn on_input() {
    let Some(generation) = with_ui(|ui| {
        ui.active_at = now();
        ui.generation = ui.generation.wrapping_add(1);
        ui.generation
    }) else {
        return;
    };
    follow_box(
        generation,
        || with_ui(|ui| ui.generation),
        || with_ui(|ui| ui.input.value()),
    );
}

fn on_key(ev: web_sys::KeyboardEvent) {
    match ev.key().as_str() {
        "ArrowDown" | "ArrowUp" => {
            ev.prevent_default();
            let down = ev.key() == "ArrowDown";
            with_ui(|ui| {
                let n = ui.hrefs.len();
                if n > 0 {
                    let cur = ui.selected.min(n - 1);
                    ui.selected = if down {
                        (cur + 1) % n
                    } else {
                        (cur + n - 1) % n
                    };
                    mark_selected(&ui.main, ui.selected, true);
                    ui.mark_active();
                }
            });
        }
        "Enter" => {
            ev.prevent_default();
            let href = with_ui(|ui| ui.hrefs.get(ui.selected).cloned()).flatten();
            if let (Some(href), Some(w)) = (href, web_sys::window()) {
                let _ = w.location().set_hash(&href);
            }
        }
        "Escape" => {
            ev.prevent_default();
            with_ui(|ui| ui.input.set_value(""));
            on_input();
        }
        _ => {}
    }
}

fn on_global_key(ev: web_sys::KeyboardEvent) {
    if wants_search_box(&ev) {
        ev.prevent_default();
        with_ui(|ui| {
            let _ = ui.input.focus();
            ui.input.select();
        });
    }
}

/// The route changed (back button, a result opened): search again, or hand over to the app.
fn on_route() {
    match Route::parse(&current_hash()) {
        Route::Search { query } => {
            let query = with_ui(|ui| {
                if ui.input.value() != query {
                    ui.input.set_value(&query);
                }
                query
            });
            if let Some(query) = query {
                search(query);
            }
        }
        Route::Home => {
            with_ui(|ui| show(&ui.main, loading()));
        }
        Route::Doc { path, anchor, .. } => {
            // Drawn here only before the app is asked for (a result opened from this module's
            // list while the app waits), which then follows; once the app is on its way, the
            // page is the app's to fetch, so the file is fetched once.
            let first = with_ui(|ui| {
                show(&ui.main, loading());
                ui.page_pending = !ui.app_requested;
                ui.page_pending
            });
            if first == Some(true) {
                show_page(path, anchor);
            } else {
                load_app();
            }
        }
        _ => {
            with_ui(|ui| show(&ui.main, loading()));
            load_app();
        }
    }
}

/// Searches for `query` and shows the results, unless a newer search replaced it meanwhile.
fn search(query: String) {
    let Some(generation) = with_ui(|ui| {
        ui.generation = ui.generation.wrapping_add(1);
        ui.generation
    }) else {
        return;
    };
    // Before the head arrives there is nothing to search; it searches the box's text then.
    let Some(atlas) = ATLAS.with(|a| a.borrow().clone()) else {
        return;
    };
    if query.trim().is_empty() {
        with_ui(|ui| {
            ui.hrefs.clear();
            show(&ui.main, loading());
        });
        return;
    }
    begin_search();
    wasm_bindgen_futures::spawn_local(async move {
        let results = atlas
            .search(
                &query,
                SearchOptions {
                    limit: LIMIT,
                    facets: false,
                },
            )
            .await;
        let suggest = match &results {
            Ok(r) if r.total == 0 => atlas.suggestions(&query).await,
            _ => Vec::new(),
        };
        with_ui(|ui| {
            if ui.generation == generation {
                match results {
                    Ok(r) => show_results(ui, r, &query, &suggest),
                    Err(msg) => show(&ui.main, error_box(&msg)),
                }
            }
        });
        end_search();
    });
}

fn show(main: &web_sys::Element, node: Node) {
    main.set_text_content(None);
    let _ = main.append_child(&node.into_element());
}

fn loading() -> Node {
    el("p")
        .class("da-loading")
        .attr("role", "status")
        .text("Loading docs…")
}

fn error_box(msg: &str) -> Node {
    el("div")
        .class("da-error")
        .attr("role", "alert")
        .child(el("h1").text("These docs could not be loaded"))
        .child(el("p").class("da-error-message").text(msg))
}

/// The results, with the markup and classes of the app's search page (less its facet chips).
fn show_results(
    ui: &mut Ui,
    results: SearchResults,
    query: &str,
    suggest: &[(String, &'static str, usize)],
) {
    let head = results_head(&results, query, suggest);
    let (list, hrefs) = hit_list(results.hits, query);
    ui.hrefs = hrefs;
    ui.selected = 0;
    show(
        &ui.main,
        el("div").class("da-results").child(head).child(list),
    );
    mark_selected(&ui.main, ui.selected, false);
    ui.mark_active();
}

/// Fetches the page at `path` (its page file, in the build folder the shared head names) and draws
/// its sanitised HTML (cleaned by build-index, inserted as the app inserts it), scrolled to
/// `anchor`: a deep link shows the page's text before the app has loaded. The app then loads
/// at once, and replaces this with its own view of the page (the reading box, highlighting, a
/// missing page's message), which is why a page the site lacks or a failed fetch shows nothing
/// here.
fn show_page(path: String, anchor: Option<String>) {
    wasm_bindgen_futures::spawn_local(async move {
        let page = match atlas().await {
            Ok(atlas) => atlas.docs.page_html(&path).await,
            Err(e) => Err(e),
        };
        with_ui(|ui| {
            if let Ok(Some((title, html))) = &page {
                // The reader may have gone elsewhere meanwhile.
                let still = matches!(Route::parse(&current_hash()), Route::Doc { path: p, .. } if p == path);
                if still {
                    draw_page(ui, &path, title, html, anchor.as_deref());
                }
            }
            ui.page_pending = false;
        });
        load_app();
    });
}

/// The page's path line and HTML in `main`, as the app's page view lays them out.
fn draw_page(ui: &Ui, path: &str, title: &str, html: &str, anchor: Option<&str>) {
    let body = el("div").class("da-doc-body").into_element();
    body.set_inner_html(html);
    let article = el("article")
        .class("da-doc")
        .child(
            el("div")
                .class("da-doc-meta")
                .child(link(&Route::Home.href(), "All pages"))
                .text(" · ")
                .child(el("span").class("da-path").text(path)),
        )
        .into_element();
    let _ = article.append_child(&body);
    ui.main.set_text_content(None);
    let _ = ui.main.append_child(&article);
    document().set_title(title);
    let target = anchor.and_then(|a| document().get_element_by_id(a));
    if let Some(t) = target.filter(|t| article.contains(Some(t))) {
        docatlas_web::host::show_at_top(&t);
    }
}

/// Asks for the app once the head is in and no search waits for its files: at once after the
/// first results, else after [`IDLE_MS`] with no keystroke and no search asked for (checked
/// again when that time is up). A search that starts meanwhile holds the app until it is
/// answered ([`end_search`] calls this again).
fn maybe_load_app() {
    let Some((answered, active_at)) = UI.with(|u| {
        u.borrow()
            .as_ref()
            .filter(|ui| ui.head_done && !ui.app_requested && !ui.page_pending)
            .map(|ui| (ui.answered, ui.active_at))
    }) else {
        return;
    };
    if PENDING.with(Cell::get) > 0 {
        return;
    }
    let quiet = now() - active_at;
    if answered || quiet >= IDLE_MS {
        load_app();
    } else {
        // Whole milliseconds, rounded up: the check must not come early.
        let wait = (IDLE_MS - quiet).ceil() as i32;
        after(wait.max(1), maybe_load_app);
    }
}

/// Calls the page's `docatlasLoadApp()` (written by the build; absent in a plain Trunk build,
/// where the app is the only module).
fn load_app() {
    UI.with(|u| {
        if let Some(ui) = u.borrow_mut().as_mut() {
            ui.app_requested = true;
        }
    });
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(f) = js_sys::Reflect::get(&window, &JsValue::from_str("docatlasLoadApp"))
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = f.call0(&window);
    }
}
