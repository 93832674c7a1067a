//! One page: its sanitised HTML, a banner for internal pages, and scrolling to `#anchor`.

use std::sync::Arc;

use crate::components::error_box;
use crate::components::read_progress::read_progress;
use crate::data::Docs;
use crate::route::Route;
use docatlas_web::dom::{after, document, el, link, Node};

/// A rendered page; when reached from a search, its matching words are highlighted. The page
/// file (HTML and metadata) is fetched the first time one of its pages is opened.
pub async fn page(
    atlas: Arc<Docs>,
    path: String,
    anchor: Option<String>,
    query: Option<String>,
) -> Node {
    match atlas.page(&path).await {
        Ok(Some(doc)) => {
            let body = el("div").class("da-doc-body");
            // The page's sanitised HTML (build-index cleans it); highlighting edits its text
            // nodes only.
            body.element().set_inner_html(&doc.html);
            if let Some(q) = query {
                highlight(body.element(), &q).await;
            }
            doc_view(&atlas, doc, body, anchor)
        }
        Ok(None) => not_found(&path, None),
        Err(e) if e.contains("answered 404") => not_found(&path, Some(&e)),
        Err(e) => error_box(&e),
    }
}

fn not_found(path: &str, detail: Option<&str>) -> Node {
    let mut out = el("div")
        .class("da-error")
        .attr("role", "alert")
        .child(el("h1").text("Page not found"))
        .child(
            el("p")
                .text("This site has no page ")
                .child(el("code").text(path))
                .text(". It may have been moved, or left out of a public build."),
        );
    if let Some(d) = detail {
        out = out.child(el("p").class("da-error-message").text(d));
    }
    out.child(el("p").child(link("#/", "All pages")))
}

fn doc_view(
    atlas: &Arc<Docs>,
    doc: docatlas_core::Doc,
    body: Node,
    anchor: Option<String>,
) -> Node {
    let mut meta = el("div")
        .class("da-doc-meta")
        .child(link(&Route::Home.href(), "All pages"))
        .text(" · ");
    let folder = doc.folder();
    if !folder.is_empty() {
        meta = meta.child(el("span").class("da-crumb").text(folder).text(" /"));
    }
    meta = meta.child(el("span").class("da-path").text(&doc.path));
    if let Some(k) = &doc.kind {
        meta = meta.child(el("span").class("da-badge").text(k));
    }
    meta = meta.child(
        el("span")
            .class("da-meta")
            .text(&format!("{} min read", doc.read_minutes)),
    );
    for t in &doc.tags {
        meta = meta.child(el("span").class("da-tag").text(t));
    }
    let mut article = el("article").class("da-doc");
    if doc.internal {
        article = article.child(el("div").class("da-banner").attr("role", "note").text(
            "Internal: this page is left out of public builds. Do not share it outside the team.",
        ));
    }
    let progress = read_progress(atlas, &doc.path, body.element().clone());
    let article = article.child(meta).child(progress).child(body);
    // Once the page is in the document, bring the requested heading (or the page's top) into
    // view; both have a scroll-margin in the CSS so the sticky header does not cover them.
    let el_ = article.element().clone();
    after(0, move || {
        if !el_.is_connected() {
            return;
        }
        let target = anchor.as_ref().and_then(|a| {
            let selector = format!("[id=\"{}\"]", a.replace('\\', "\\\\").replace('"', "\\\""));
            el_.query_selector(&selector).ok().flatten()
        });
        match target {
            Some(t) => t.scroll_into_view(),
            None => el_.scroll_into_view(),
        }
    });
    article
}

/// Wraps the words of the page body that match the search `query` in `<mark class="da-hl">`.
/// Highlighting is a nicety: when the query's files cannot be loaded the page stays plain
/// rather than hidden.
async fn highlight(root: &web_sys::Element, query: &str) {
    use wasm_bindgen::JsCast;
    let document = document();
    let Ok(walker) = document.create_tree_walker_with_what_to_show(root, 4 /* SHOW_TEXT */) else {
        return;
    };
    let mut nodes = Vec::new();
    while let Ok(Some(n)) = walker.next_node() {
        nodes.push(n);
    }
    let texts: Vec<String> = nodes
        .iter()
        .map(|n| n.text_content().unwrap_or_default())
        .collect();
    let Ok(all) = crate::data::search::ranges(query, &texts).await else {
        return;
    };
    for ((node, text), ranges) in nodes.into_iter().zip(texts).zip(all) {
        if ranges.is_empty() {
            continue;
        }
        let Some(parent) = node.parent_node() else {
            continue;
        };
        let fragment = document.create_document_fragment();
        let mut last = 0;
        for (a, b) in ranges {
            // Ranges come in order; one that overlaps the last is skipped.
            let Some(before) = text.get(last..a) else {
                continue;
            };
            if !before.is_empty() {
                let _ = fragment.append_with_str_1(before);
            }
            if let Ok(mark) = document.create_element("mark") {
                mark.set_class_name("da-hl");
                mark.set_text_content(text.get(a..b));
                let _ = fragment.append_with_node_1(&mark);
            }
            last = b;
        }
        if last < text.len() {
            let _ = fragment.append_with_str_1(text.get(last..).unwrap_or_default());
        }
        let _ = parent.replace_child(fragment.unchecked_ref(), &node);
    }
}
