//! One page: its sanitised HTML, a banner for internal pages, and scrolling to `#anchor`.

use std::sync::Arc;

use leptos::prelude::*;

use crate::data::Atlas;
use crate::route::Route;

/// A rendered page; when reached from a search, its matching words are highlighted. The page
/// file (HTML and metadata) is fetched as a resource the first time the page is opened.
#[component]
pub fn DocPage(
    atlas: Arc<Atlas>,
    path: String,
    anchor: Option<String>,
    query: Option<String>,
) -> impl IntoView {
    let page = {
        let path = path.clone();
        let atlas = atlas.clone();
        LocalResource::new(move || {
            let atlas = atlas.clone();
            let path = path.clone();
            let query = query.clone();
            async move {
                let doc = atlas.page(&path).await?;
                let matched = match query {
                    // Highlighting is a nicety: a failure to load the query's files leaves the
                    // page plain rather than hiding it.
                    Some(q) => atlas.matched(&q).await.ok(),
                    None => None,
                };
                Ok::<_, String>((doc, matched))
            }
        })
    };
    let shown = move || {
        page.get().map(|loaded| match loaded {
            Ok((Some(doc), matched)) => {
                doc_view(atlas.clone(), doc, matched, anchor.clone()).into_any()
            }
            Ok((None, _)) => not_found(&path, None).into_any(),
            Err(e) if e.contains("answered 404") => not_found(&path, Some(e)).into_any(),
            Err(e) => view! { <crate::components::ErrorBox message=e/> }.into_any(),
        })
    };
    view! {
        <Suspense fallback=|| view! { <p class="da-loading" role="status">"Loading page…"</p> }>
            {shown}
        </Suspense>
    }
}

fn not_found(path: &str, detail: Option<String>) -> impl IntoView {
    let detail = detail.map(|d| view! { <p class="da-error-message">{d}</p> });
    view! {
        <div class="da-error" role="alert">
            <h1>"Page not found"</h1>
            <p>"This site has no page "<code>{path.to_string()}</code>". It may have been moved, or left out of a public build."</p>
            {detail}
            <p><a href="#/">"All pages"</a></p>
        </div>
    }
}

fn doc_view(
    atlas: Arc<Atlas>,
    doc: docatlas_core::Doc,
    matched: Option<docatlas_core::Matched>,
    anchor: Option<String>,
) -> impl IntoView {
    let article: NodeRef<leptos::html::Article> = NodeRef::new();
    // Highlighting edits text nodes, so it must stay inside the inner_html body, which Leptos
    // does not track (its own nodes, like the path line, must not be touched).
    let body: NodeRef<leptos::html::Div> = NodeRef::new();
    // After the HTML is in the DOM, bring the requested heading (or the page's top) into view;
    // both have a scroll-margin in the CSS so the sticky header does not cover them.
    Effect::new(move |_| {
        let (Some(el), Some(body)) = (article.get(), body.get()) else {
            return;
        };
        if let Some(m) = &matched {
            highlight(&body, m);
        }
        let target = anchor.as_ref().and_then(|a| {
            let selector = format!("[id=\"{}\"]", a.replace('\\', "\\\\").replace('"', "\\\""));
            el.query_selector(&selector).ok().flatten()
        });
        match target {
            Some(t) => t.scroll_into_view(),
            None => el.scroll_into_view(),
        }
    });
    let banner = doc.internal.then(|| {
        view! { <div class="da-banner" role="note">"Internal: this page is left out of public builds. Do not share it outside the team."</div> }
    });
    let folder = doc.folder().to_string();
    let crumbs = (!folder.is_empty()).then(|| view! { <span class="da-crumb">{folder}" /"</span> });
    let kind = doc
        .kind
        .clone()
        .map(|k| view! { <span class="da-badge">{k}</span> });
    let tags = doc
        .tags
        .iter()
        .map(|t| view! { <span class="da-tag">{t.clone()}</span> })
        .collect_view();
    view! {
        <article class="da-doc" node_ref=article>
            {banner}
            <div class="da-doc-meta">
                <a href=Route::Home.href()>"All pages"</a>
                " · "
                {crumbs}
                <span class="da-path">{doc.path.clone()}</span>
                {kind}
                <span class="da-meta">{format!("{} min read", doc.read_minutes)}</span>
                {tags}
            </div>
            <crate::components::ReadProgress atlas=atlas.clone() path=doc.path.clone()/>
            <div class="da-doc-body" node_ref=body inner_html=doc.html></div>
        </article>
    }
}

/// Wraps the words of the page body that match the search in `<mark class="da-hl">`.
fn highlight(root: &web_sys::HtmlElement, matched: &docatlas_core::Matched) {
    use wasm_bindgen::JsCast;
    let document = document();
    let Ok(walker) = document.create_tree_walker_with_what_to_show(root, 4 /* SHOW_TEXT */) else {
        return;
    };
    let mut nodes = Vec::new();
    while let Ok(Some(n)) = walker.next_node() {
        nodes.push(n);
    }
    for node in nodes {
        let Some(text) = node.text_content() else {
            continue;
        };
        let ranges = matched.ranges(&text);
        if ranges.is_empty() {
            continue;
        }
        let Some(parent) = node.parent_node() else {
            continue;
        };
        let fragment = document.create_document_fragment();
        let mut last = 0;
        for (a, b) in ranges {
            if a > last {
                let _ = fragment.append_with_str_1(&text[last..a]);
            }
            if let Ok(mark) = document.create_element("mark") {
                mark.set_class_name("da-hl");
                mark.set_text_content(Some(&text[a..b]));
                let _ = fragment.append_with_node_1(&mark);
            }
            last = b;
        }
        if last < text.len() {
            let _ = fragment.append_with_str_1(&text[last..]);
        }
        let _ = parent.replace_child(fragment.unchecked_ref(), &node);
    }
}
