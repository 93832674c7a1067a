//! The search box in the header: results update as you type (debounced, so typing never
//! waits on a search); `/` or Ctrl-K focuses it; ↑/↓ choose a result, Enter opens it at its
//! section, Esc clears.

use std::time::Duration;

use leptos::prelude::*;

use crate::components::SearchState;
use crate::route::{go, Route};

/// How long typing must pause before the results follow.
const DEBOUNCE: Duration = Duration::from_millis(90);

/// The header search field, bound to the `#/search?q=` route.
#[component]
pub fn SearchBox(route: Memo<Route>) -> impl IntoView {
    let state = expect_context::<SearchState>();
    let input: NodeRef<leptos::html::Input> = NodeRef::new();
    // What is in the box; follows the route when it changes from elsewhere (back button, chips).
    let text = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Route::Search { query } = route.get() {
            if query != text.get_untracked() {
                text.set(query);
            }
        }
    });
    let generation = StoredValue::new(0u64);
    let on_input = move |ev: leptos::ev::Event| {
        let query = event_target_value(&ev);
        text.set(query.clone());
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        set_timeout(
            move || {
                // Only the last keystroke of a burst navigates.
                if generation.get_value() == mine {
                    let on_search = matches!(route.get_untracked(), Route::Search { .. });
                    state.selected.set(0);
                    go(&Route::Search { query }, on_search);
                }
            },
            DEBOUNCE,
        );
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "ArrowDown" | "ArrowUp" => {
            ev.prevent_default();
            let n = state.hits.with_untracked(Vec::len);
            if n > 0 {
                let cur = state.selected.get_untracked().min(n - 1);
                let next = if ev.key() == "ArrowDown" {
                    (cur + 1) % n
                } else {
                    (cur + n - 1) % n
                };
                state.selected.set(next);
            }
        }
        "Enter" => {
            ev.prevent_default();
            let href = state
                .hits
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
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok())
            .is_some_and(|el| {
                matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA") || el.is_content_editable()
            });
        let ctrl_k = (ev.ctrl_key() || ev.meta_key()) && ev.key() == "k";
        if ctrl_k || (ev.key() == "/" && !typing) {
            ev.prevent_default();
            if let Some(el) = input.get_untracked() {
                let _ = el.focus();
                el.select();
            }
        }
    });
    on_cleanup(move || keys.remove());
    view! {
        <form class="da-search" role="search" on:submit=|ev| ev.prevent_default()>
            <input
                node_ref=input
                type="search"
                class="da-search-input"
                placeholder="Search the docs  ( / )"
                aria-label="Search the docs"
                aria-controls="da-hits"
                autocomplete="off"
                spellcheck="false"
                prop:value=move || text.get()
                on:input=on_input
                on:keydown=on_keydown
            />
        </form>
    }
}
