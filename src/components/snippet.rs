//! Search snippets with highlighted matches, built as text nodes (never HTML).

use docatlas_core::Snippet;
use leptos::prelude::*;

/// Renders a snippet, wrapping its highlight ranges in `<mark>`.
#[component]
pub fn Highlighted(snippet: Snippet) -> impl IntoView {
    let mut parts = Vec::new();
    let mut last = 0;
    let text = snippet.text;
    for (a, b) in snippet.highlights {
        if a < last || b > text.len() || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
            continue;
        }
        parts.push(view! { <span>{text[last..a].to_string()}</span> }.into_any());
        parts.push(view! { <mark>{text[a..b].to_string()}</mark> }.into_any());
        last = b;
    }
    parts.push(view! { <span>{text[last..].to_string()}</span> }.into_any());
    view! { <p class="da-snippet">{parts}</p> }
}
