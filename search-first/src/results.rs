//! The results markup, written once: the line above the results, the result list and its
//! selection, drawn for this module's box and, through the bridge (`app_results`), for the
//! app's search page; the facet chips the app draws; and this module's search box.

use docatlas_core::{query, Hit, SearchResults};
use docatlas_web::bridge::Chip;
use docatlas_web::route::Route;
use docatlas_web::search_box::{follow, DEBOUNCE_MS, HITS_ID, LABEL, PLACEHOLDER};
use wasm_bindgen::JsCast;

use crate::dom::{after, el, Node};
use crate::snippet::highlighted;

/// Maximum facet chips shown.
const MAX_CHIPS: usize = 12;

/// The chips that narrow `results` of `query`: a dozen, in core's facet order (most useful
/// first); a value every result has would narrow nothing. The search-first module computes
/// them for the app (so the query parser stays out of the app's WebAssembly), which draws them.
pub fn facet_chips(results: &SearchResults, query: &str) -> Vec<Chip> {
    results
        .facets
        .iter()
        .filter(|f| f.count < results.total || query.contains(&format!("{}:", f.key)))
        .take(MAX_CHIPS)
        .map(|f| {
            // The parser's own quoting and reading (issue 8: a value with spaces is one token).
            let key = f.key.as_str();
            let parsed = query::parse(query, &|k| k.eq_ignore_ascii_case(key));
            let active = parsed.has_filter(key, &f.value);
            let next = if active {
                query::without_filter(query, key, &f.value)
            } else {
                match query::filter_token(key, &f.value) {
                    Some(filter) => format!("{} {}", query.trim_end(), filter),
                    // A value no query can name (a space and a quote): its chip narrows nothing.
                    None => query.to_string(),
                }
            };
            (
                format!("{}: {} ({})", f.key, f.value, f.count),
                active,
                next,
            )
        })
        .collect()
}

/// After a keystroke in the search box: once typing pauses (`latest` still says `keystroke` is
/// the last one), the URL follows the box with the box's text, and the route runs the search.
pub fn follow_box(keystroke: u64, latest: fn() -> Option<u64>, text: fn() -> Option<String>) {
    after(DEBOUNCE_MS as i32, move || {
        if latest() != Some(keystroke) {
            return;
        }
        if let Some(query) = text() {
            follow(query);
        }
    });
}

/// The header's search field (its value and handlers are the caller's), as the app's box is.
pub fn search_input() -> Node {
    el("input")
        .attr("type", "search")
        .class("da-search-input")
        .attr("placeholder", PLACEHOLDER)
        .attr("aria-label", LABEL)
        .attr("role", "combobox")
        .attr("aria-autocomplete", "list")
        .attr("aria-expanded", "false")
        .attr("aria-controls", HITS_ID)
        .attr("autocomplete", "off")
        .attr("spellcheck", "false")
}

/// The line above the results (`3 pages for “refund”`).
pub fn summary(results: &SearchResults, query: &str) -> String {
    let total = results.total;
    format!(
        "{total} page{} for “{query}”",
        if total == 1 { "" } else { "s" }
    )
}

/// What the typo correction changed, if it did.
pub fn correction(results: &SearchResults) -> Option<String> {
    if results.corrected.is_empty() {
        return None;
    }
    let fixes = results
        .corrected
        .iter()
        .map(|(from, to)| format!("“{to}” (you typed “{from}”)"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(format!("No exact match; showing results for {fixes}"))
}

/// `div.da-results-head`: the summary, the typo correction and the engine's notices; for a
/// query that found nothing, the looser forms of it that do (`suggest`: query, what changed,
/// pages), each a link that runs it, or what to try when none does.
pub fn results_head(
    results: &SearchResults,
    query: &str,
    suggest: &[(String, &'static str, usize)],
) -> Node {
    let mut out = el("div").class("da-results-head").child(
        el("p")
            .class("da-results-summary")
            .attr("role", "status")
            .text(&summary(results, query)),
    );
    if let Some(text) = correction(results) {
        out = out.child(el("p").class("da-corrected").text(&text));
    }
    for n in &results.notices {
        out = out.child(el("p").class("da-notice").text(n));
    }
    if results.total == 0 {
        out = out.child(no_results_help(suggest));
    }
    out
}

/// What to try when a query found nothing.
fn no_results_help(suggest: &[(String, &'static str, usize)]) -> Node {
    if suggest.is_empty() {
        return el("p")
            .class("da-no-results")
            .text("Nothing matches, even with a typo forgiven. Try other or fewer words, or ")
            .child(
                el("a")
                    .attr("href", &Route::Home.href())
                    .text("browse all pages"),
            )
            .text(".");
    }
    let mut list = el("ul").class("da-suggestions");
    for (form, what, total) in suggest {
        let href = Route::Search {
            query: form.clone(),
        }
        .href();
        list = list.child(
            el("li")
                .child(el("a").attr("href", &href).text(form))
                .text(&format!(
                    " ({what}: {total} page{})",
                    if *total == 1 { "" } else { "s" }
                )),
        );
    }
    el("div")
        .class("da-no-results")
        .child(el("p").text("Try a looser form:"))
        .child(list)
}

/// The result list (`ol#da-hits`), and where each result leads (its section, with the query to
/// highlight), in order.
pub fn hit_list(hits: Vec<Hit>, query: &str) -> (Node, Vec<String>) {
    let mut hrefs = Vec::with_capacity(hits.len());
    let mut list = el("ol")
        .class("da-hits")
        .attr("id", HITS_ID)
        .attr("role", "listbox");
    for (i, hit) in hits.into_iter().enumerate() {
        let href = Route::Doc {
            path: hit.path.clone(),
            anchor: hit.anchor.clone(),
            query: Some(query.to_string()),
        }
        .href();
        // The link is the listbox's option (a link inside an option would be a control
        // nested in a control); the path and snippet beside it describe it.
        let mut a = el("a")
            .class("da-hit-link")
            .attr("href", &href)
            .attr("role", "option")
            .attr("id", &hit_id(i))
            .attr("aria-selected", "false")
            .attr("aria-describedby", &format!("{}-d", hit_id(i)))
            .child(el("span").class("da-hit-title").text(&hit.title));
        if hit.anchor.is_some() && hit.heading != hit.title {
            a = a.child(
                el("span")
                    .class("da-hit-section")
                    .text(&format!(" › {}", hit.heading)),
            );
        }
        list = list.child(
            el("li")
                .class("da-hit")
                .attr("role", "none")
                .child(a)
                .child(
                    el("span")
                        .attr("id", &format!("{}-d", hit_id(i)))
                        .child(el("span").class("da-path").text(&hit.path))
                        .child(highlighted(&hit.snippet)),
                ),
        );
        hrefs.push(href);
    }
    (list, hrefs)
}

/// The `id` of result `i`'s option, which the search box names as its active descendant.
pub fn hit_id(i: usize) -> String {
    format!("da-hit-{i}")
}

/// Marks result `selected` of the list under `root` as chosen (↑/↓), and no other; with
/// `scroll`, brings it into view if it is not (the arrows move the selection off screen).
pub fn mark_selected(root: &web_sys::Element, selected: usize, scroll: bool) {
    let Ok(items) = root.query_selector_all(".da-hit") else {
        return;
    };
    for i in 0..items.length() {
        let Some(li) = items
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let on = usize::try_from(i).is_ok_and(|i| i == selected);
        let _ = li.class_list().toggle_with_force("da-selected", on);
        if let Ok(Some(option)) = li.query_selector("[role=option]") {
            let _ = option.set_attribute("aria-selected", if on { "true" } else { "false" });
        }
        if on && scroll {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            li.scroll_into_view_with_scroll_into_view_options(&options);
        }
    }
}
