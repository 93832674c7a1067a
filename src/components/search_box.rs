//! The search box in the header: the URL follows what is typed once typing pauses (the search
//! page runs the query); ↑/↓ choose a result, Enter opens it at its section, Esc clears. It is
//! labelled and keyed as the search-first module's box is (`docatlas_web::search_box`), which it
//! replaces with the same query and focus.

use gloo_timers::callback::Timeout;
use leptos::html::Input;
use leptos::prelude::*;

use docatlas_web::search_box::{follow, DEBOUNCE_MS, HITS_ID, LABEL, PLACEHOLDER};

use crate::route::{go, Route};

/// What the box and the search page share (context): the results on screen, and the one the
/// arrow keys have selected.
#[derive(Clone, Copy)]
pub struct SearchState {
    /// Index of the selected result.
    pub selected: RwSignal<usize>,
    /// Where each result on screen leads, in order (empty when none are on screen).
    pub hrefs: RwSignal<Vec<String>>,
}

impl Default for SearchState {
    fn default() -> Self {
        Self {
            selected: RwSignal::new(0),
            hrefs: RwSignal::new(Vec::new()),
        }
    }
}

/// The box's element (context), for `/` and Ctrl-K and for taking over the search-first
/// module's focus.
#[derive(Clone, Copy)]
pub struct SearchInput(pub NodeRef<Input>);

/// The header's search field, bound to the `#/search?q=` route.
#[component]
pub fn SearchBox(route: Memo<Route>) -> impl IntoView {
    let state = expect_context::<SearchState>();
    let SearchInput(input) = expect_context::<SearchInput>();
    let query_of = |r: Route| match r {
        Route::Search { query } => Some(query),
        _ => None,
    };
    // What is in the box; it follows the route when that changes from elsewhere (Back, a chip).
    let text = RwSignal::new(query_of(route.get_untracked()).unwrap_or_default());
    Effect::new(move |_| {
        if let Some(query) = query_of(route.get()) {
            if query != text.get_untracked() {
                text.set(query);
            }
        }
    });
    // Bumped by each keystroke (and Esc); only the last of a burst navigates.
    let typed = StoredValue::new(0u64);
    let on_input = move |ev| {
        let query = event_target_value(&ev);
        text.set(query.clone());
        typed.update_value(|n| *n = n.wrapping_add(1));
        let mine = typed.get_value();
        Timeout::new(DEBOUNCE_MS, move || {
            if typed.try_get_value() == Some(mine) {
                follow(query);
            }
        })
        .forget();
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "ArrowDown" | "ArrowUp" => {
            ev.prevent_default();
            let n = state.hrefs.with_untracked(Vec::len);
            if n > 0 {
                let cur = state.selected.get_untracked().min(n - 1);
                state.selected.set(if ev.key() == "ArrowDown" {
                    (cur + 1) % n
                } else {
                    (cur + n - 1) % n
                });
            }
        }
        "Enter" => {
            ev.prevent_default();
            let href = state
                .hrefs
                .with_untracked(|h| h.get(state.selected.get_untracked()).cloned());
            match href {
                Some(h) => {
                    if let Some(el) = input.get_untracked() {
                        let _ = el.blur();
                    }
                    let _ = window().location().set_hash(&h);
                }
                None => go(
                    &Route::Search {
                        query: text.get_untracked(),
                    },
                    false,
                ),
            }
        }
        "Escape" => {
            ev.prevent_default();
            typed.update_value(|n| *n = n.wrapping_add(1));
            text.set(String::new());
            if matches!(route.get_untracked(), Route::Search { .. }) {
                go(
                    &Route::Search {
                        query: String::new(),
                    },
                    true,
                );
            }
        }
        _ => {}
    };
    view! {
        <form class="da-search" role="search" on:submit=|ev| ev.prevent_default()>
            <input node_ref=input type="search" class="da-search-input" placeholder=PLACEHOLDER
                aria-label=LABEL aria-controls=HITS_ID autocomplete="off" spellcheck="false"
                prop:value=move || text.get() on:input=on_input on:keydown=on_keydown/>
        </form>
    }
}
