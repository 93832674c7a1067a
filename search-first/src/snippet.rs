//! Search snippets with highlighted matches, built as text nodes (never HTML).

use docatlas_core::Snippet;

use crate::dom::{el, Node};

/// A snippet as a `p.da-snippet`, its highlight ranges wrapped in `<mark>` (ranges out of order
/// or off a character boundary are left plain).
pub fn highlighted(snippet: &Snippet) -> Node {
    let text = &snippet.text;
    let mut p = el("p").class("da-snippet");
    let mut last = 0;
    for &(a, b) in &snippet.highlights {
        let (Some(before), Some(marked)) = (text.get(last..a), text.get(a..b)) else {
            continue;
        };
        p = p.text(before).child(el("mark").text(marked));
        last = b;
    }
    p.text(text.get(last..).unwrap_or_default())
}
