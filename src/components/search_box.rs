//! The search box in the header: typing shows results; `/` or Ctrl-K focuses it.

use leptos::prelude::*;

use crate::route::{go, Route};

/// The header search field, bound to the `#/search?q=` route.
#[component]
pub fn SearchBox(route: Memo<Route>) -> impl IntoView {
    let input: NodeRef<leptos::html::Input> = NodeRef::new();
    let value = move || match route.get() {
        Route::Search { query } => query,
        _ => String::new(),
    };
    let on_input = move |ev: leptos::ev::Event| {
        let query = event_target_value(&ev);
        let on_search = matches!(route.get_untracked(), Route::Search { .. });
        go(&Route::Search { query }, on_search);
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
                autocomplete="off"
                spellcheck="false"
                prop:value=value
                on:input=on_input
            />
        </form>
    }
}
