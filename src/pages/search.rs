//! Search results for `#/search?q=...`, computed by the same core code as `build-index search`,
//! and the result the arrow keys have selected.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use wasm_bindgen::JsCast;

use docatlas_core::{SearchOptions, SearchResults};

use crate::components::entity_hits::entity_hits;
use crate::components::error_box;
use crate::data::Docs;
use crate::route::{go, Route};
use docatlas_web::dom::{el, show, Node};
use docatlas_web::results::{self, hit_list, results_head, Chip};

/// Results shown at first, and added by "More results" (each hit fetches its section's text).
const PAGE: usize = 20;

/// The results on screen: where each leads, and which one the arrow keys selected.
#[derive(Default)]
struct Selection {
    query: String,
    hrefs: Vec<String>,
    selected: usize,
    list: Option<web_sys::Element>,
}

thread_local! {
    static SELECTION: RefCell<Selection> = RefCell::new(Selection::default());
}

/// Moves the selection down (or up) one result, wrapping around.
pub fn select(down: bool) {
    SELECTION.with(|s| {
        let mut s = s.borrow_mut();
        let n = s.hrefs.len();
        if n == 0 {
            return;
        }
        let cur = s.selected.min(n - 1);
        s.selected = if down {
            (cur + 1) % n
        } else {
            (cur + n - 1) % n
        };
        mark_selected(&s);
    });
}

/// Where the selected result leads, if results are on screen.
pub fn selected_href() -> Option<String> {
    SELECTION.with(|s| {
        let s = s.borrow();
        s.list
            .as_ref()
            .is_some_and(|l| l.is_connected())
            .then(|| s.hrefs.get(s.selected).cloned())
            .flatten()
    })
}

fn mark_selected(s: &Selection) {
    if let Some(list) = &s.list {
        results::mark_selected(list, s.selected);
    }
}

/// The results list, with entity cards and facet chips to narrow it. A query's data files are
/// fetched the first time it needs them, then answered from memory.
pub async fn page(atlas: Arc<Docs>, query: String) -> Vec<Node> {
    if query.trim().is_empty() {
        SELECTION.with(|s| *s.borrow_mut() = Selection::default());
        return vec![search_help()];
    }
    let results = el("div");
    let shown = run(query.clone(), PAGE).await;
    let more = more_of(query.clone(), Rc::new(Cell::new(PAGE)));
    show(results.element(), render(shown, &query, more));
    // Entities whose names match (`orders` → `table:orders` and its owner), loaded on their own.
    vec![entity_hits(atlas, query), results]
}

async fn run(query: String, limit: usize) -> Result<(SearchResults, Vec<Chip>), String> {
    crate::data::search::search(
        &query,
        SearchOptions {
            limit,
            facets: true,
        },
    )
    .await
}

/// What "More results" does, given the element holding the results: the same search with more
/// hits, shown in place.
type More = Rc<dyn Fn(web_sys::Element)>;

fn more_of(query: String, limit: Rc<Cell<usize>>) -> More {
    Rc::new(move |holder: web_sys::Element| {
        let n = limit.get() + PAGE;
        limit.set(n);
        let (query, limit) = (query.clone(), limit.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let shown = run(query.clone(), n).await;
            if holder.is_connected() {
                let again = more_of(query.clone(), limit);
                show(&holder, render(shown, &query, again));
            }
        });
    })
}

fn render(shown: Result<(SearchResults, Vec<Chip>), String>, query: &str, more: More) -> Vec<Node> {
    match shown {
        Ok((r, chips)) => vec![results_view(r, chips, query, more)],
        Err(e) => {
            SELECTION.with(|s| *s.borrow_mut() = Selection::default());
            vec![error_box(&e)]
        }
    }
}

fn results_view(results: SearchResults, chips: Vec<Chip>, query: &str, more: More) -> Node {
    let mut out = results_head(&results, query);
    let chips = chips.into_iter().map(|(label, active, next)| {
        el("button")
            .attr("type", "button")
            .class(if active {
                "da-chip da-chip-active"
            } else {
                "da-chip"
            })
            .attr("aria-pressed", if active { "true" } else { "false" })
            .text(&label)
            .on("click", move |_| {
                go(
                    &Route::Search {
                        query: next.clone(),
                    },
                    false,
                )
            })
    });
    out = out.child(
        el("div")
            .class("da-chips")
            .attr("aria-label", "Narrow the results")
            .children(chips),
    );
    let has_more = results.total > results.hits.len();
    let (list, hrefs) = hit_list(results.hits, query);
    SELECTION.with(|s| {
        let mut s = s.borrow_mut();
        // "More results" keeps the reader's place; a new query starts at the top.
        let selected = if s.query == query {
            s.selected.min(hrefs.len().saturating_sub(1))
        } else {
            0
        };
        *s = Selection {
            query: query.to_string(),
            hrefs,
            selected,
            list: Some(list.element().clone()),
        };
        mark_selected(&s);
    });
    out = out.child(list);
    if has_more {
        out = out.child(
            el("button")
                .attr("type", "button")
                .class("da-more")
                .text("More results")
                .on("click", move |ev| {
                    // The holder is found from the button, not kept: a handler holding the
                    // element it sits in would keep both alive after the view is gone.
                    let Some(button) = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    else {
                        return;
                    };
                    // One click, one more page: the button goes when the longer list comes.
                    let _ = button.set_attribute("disabled", "");
                    let holder = button
                        .closest(".da-results")
                        .ok()
                        .flatten()
                        .and_then(|r| r.parent_element());
                    if let Some(holder) = holder {
                        more(holder);
                    }
                }),
        );
    }
    out
}

/// What the search box understands, shown before anything is typed.
fn search_help() -> Node {
    let rows: [(&[&str], &str); 6] = [
        (&["refund webhook"], "pages with both words rank first; the last word also matches as a prefix; a typo is forgiven"),
        (&["\"dead letter queue\""], "the exact phrase"),
        (&["redis OR rabbitmq"], "either word"),
        (&["payments -stripe"], "leave out pages containing a word"),
        (&["kind:runbook", "tag:billing", "lang:de", "title:refunds"], "filter by page type, tag, language or title"),
        (&["owner:team-ledger"], "any front matter key the docs use works as a filter"),
    ];
    let rows = rows.into_iter().map(|(examples, meaning)| {
        let mut cell = el("td");
        for (i, e) in examples.iter().enumerate() {
            if i > 0 {
                cell = cell.text(" ");
            }
            cell = cell.child(el("code").text(e));
        }
        el("tr").child(cell).child(el("td").text(meaning))
    });
    let kbd = |k: &str| el("kbd").text(k);
    el("div")
        .class("da-search-help")
        .child(el("h1").text("Search"))
        .child(
            el("p")
                .text("Type in the box above (press ")
                .child(kbd("/"))
                .text(" or ")
                .child(kbd("Ctrl K"))
                .text(" to get there). Results follow as you type; ")
                .child(kbd("↑"))
                .text(" ")
                .child(kbd("↓"))
                .text(" choose one, ")
                .child(kbd("Enter"))
                .text(" opens it at its section, ")
                .child(kbd("Esc"))
                .text(" clears."),
        )
        .child(
            el("table")
                .class("da-syntax")
                .child(el("tbody").children(rows)),
        )
}
