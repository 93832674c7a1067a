//! One page: the breadcrumb, its sanitised HTML (a permalink on each heading), a banner for
//! internal pages, the reader's progress box below its title, the table of contents, previous
//! / next in the reader's track, and scrolling to `#anchor` (again when only it changes).

use std::sync::Arc;

use docatlas_core::Doc;
use docatlas_web::host::{show_at_top, take_reading_at, ReadingAt};
use gloo_timers::callback::Timeout;
use leptos::html::{Article, Div};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::doc_nav::{add_permalinks, copy_permalink, page_breadcrumb, Pager, Toc};
use crate::components::read_progress::ReadProgress;
use crate::components::{Drawn, ErrorBox, Loading};
use crate::data::{search, Docs};

/// A page ready to show: its metadata and its HTML, with the search's words highlighted.
struct Shown {
    doc: Doc,
    html: String,
}

/// A rendered page; when reached from a search, its matching words are highlighted. The page
/// file (HTML and metadata) is fetched the first time one of its pages is opened.
#[component]
pub fn DocPage(
    path: String,
    /// The heading to scroll to; a change scrolls the open page.
    anchor: Memo<Option<String>>,
    query: Option<String>,
) -> impl IntoView {
    let docs = expect_context::<Arc<Docs>>();
    let page = {
        let (path, query) = (path.clone(), query.clone());
        LocalResource::new(move || {
            let (docs, path, query) = (docs.clone(), path.clone(), query.clone());
            async move {
                load(&docs, &path, query.as_deref())
                    .await
                    .map(|p| p.map(Arc::new))
            }
        })
    };
    view! {
        <Suspense fallback=|| view! { <Loading text="Loading page…"/> }>
            {move || page.get().map(|loaded| match loaded {
                Ok(Some(shown)) => view! { <DocView shown=shown anchor=anchor query=query.clone()/> }.into_any(),
                Ok(None) => not_found(&path, None).into_any(),
                Err(e) if e.contains("answered 404") => not_found(&path, Some(e)).into_any(),
                Err(e) => view! { <ErrorBox message=e/> }.into_any(),
            })}
        </Suspense>
    }
}

/// The page at `path`, highlighted for `query`.
async fn load(docs: &Docs, path: &str, query: Option<&str>) -> Result<Option<Shown>, String> {
    let Some(doc) = docs.page(path).await? else {
        return Ok(None);
    };
    let html = match query {
        Some(q) => highlighted(&doc.html, q).await,
        None => doc.html.clone(),
    };
    Ok(Some(Shown { doc, html }))
}

fn not_found(path: &str, _detail: Option<String>) -> impl IntoView {
    view! { <crate::components::PageMissing path=path.to_string()/> }
}

/// Scrolls the heading `anchor` of `article` (or its top) into view.
fn scroll_to(article: &web_sys::HtmlElement, anchor: Option<&str>) {
    let target = anchor.and_then(|a| {
        let selector = format!("[id=\"{}\"]", a.replace('\\', "\\\\").replace('"', "\\\""));
        article.query_selector(&selector).ok().flatten()
    });
    match target {
        Some(t) => show_at_top(&t),
        None => show_at_top(article.unchecked_ref::<web_sys::Element>()),
    }
}

/// Puts the heading the reader was at in the module's drawing of this page (see
/// [`ReadingAt`]) where it was on screen; without it, [`scroll_to`].
fn keep_place(article: &web_sys::HtmlElement, at: &ReadingAt, anchor: Option<&str>) {
    // The module draws the whole page as one body; the app splits off the title (first).
    let selector = match at.id.as_str() {
        "" => ".da-doc-body".to_string(),
        id => format!(
            ".da-doc-body [id=\"{}\"]",
            id.replace('\\', "\\\\").replace('"', "\\\"")
        ),
    };
    match article.query_selector(&selector).ok().flatten() {
        Some(t) => {
            window().scroll_by_with_x_and_y(0.0, t.get_bounding_client_rect().top() - at.top)
        }
        None => scroll_to(article, anchor),
    }
}

#[component]
fn DocView(
    shown: Arc<Shown>,
    anchor: Memo<Option<String>>,
    query: Option<String>,
) -> impl IntoView {
    let doc = &shown.doc;
    let toc =
        view! { <Toc path=doc.path.clone() query=query.clone() sections=doc.sections.clone()/> };
    // The tab names the page (the shell's route title says only its path).
    let tab = format!(
        "{} · {}",
        doc.title,
        expect_context::<Arc<Docs>>().site.title
    );
    Effect::new(move |_| document().set_title(&tab));
    let body: NodeRef<Div> = NodeRef::new();
    let article: NodeRef<Article> = NodeRef::new();
    // Once the page is in the document (and the search-first module gone), bring the requested
    // heading (or the page's top) into view; both have a scroll-margin in the CSS so the sticky
    // header does not cover them.
    let path = doc.path.clone();
    article.on_load(move |el| {
        Timeout::new(0, move || {
            if el.is_connected() {
                match take_reading_at(&path) {
                    Some(at) => keep_place(&el, &at, anchor.get_untracked().as_deref()),
                    None => scroll_to(&el, anchor.get_untracked().as_deref()),
                }
            }
        })
        .forget();
    });
    // Another heading of this page (a table of contents entry, a permalink): scroll to it.
    Effect::new(move |first: Option<()>| {
        let a = anchor.get();
        if first.is_some() {
            if let Some(el) = article.get_untracked() {
                scroll_to(&el, a.as_deref());
            }
        }
    });
    {
        let (path, query) = (doc.path.clone(), query.clone());
        body.on_load(move |el| add_permalinks(&el, &path, query.as_deref()));
    }
    let (title, rest) = split_title(&shown.html);
    let (title, rest) = (title.map(str::to_string), rest.to_string());
    let tags = doc
        .tags
        .iter()
        .map(|t| view! { <span class="da-tag">{t.clone()}</span> })
        .collect_view();
    view! {
        <article class="da-doc" node_ref=article>
            {doc.internal.then(|| view! {
                <div class="da-banner" role="note">
                    "Internal: this page is left out of public builds. Do not share it outside the team."
                </div>
            })}
            {page_breadcrumb(&doc.path, &doc.title)}
            <div class="da-doc-meta">
                <span class="da-path">{doc.path.clone()}</span>
                {doc.kind.clone().map(|k| view! { <span class="da-badge">{k}</span> })}
                <span class="da-meta">{format!("{} min read", doc.read_minutes)}</span>
                {tags}
            </div>
            // The page's sanitised HTML (build-index cleans it; highlighting added only marks),
            // with the reading box below its title.
            {title.map(|t| view! { <div class="da-doc-body da-doc-title" inner_html=t></div> })}
            <ReadProgress path=doc.path.clone() body=body/>
            {toc}
            <div class="da-doc-body" node_ref=body inner_html=rest
                on:click=move |ev| copy_permalink(&ev)></div>
            <Pager path=doc.path.clone()/>
        </article>
        <Drawn/>
    }
}

/// A page's HTML cut after its leading `<h1>` (the page's title, which the reading box goes
/// below), or `None` and all of it when it does not open with one.
fn split_title(html: &str) -> (Option<&str>, &str) {
    let lead = html.len() - html.trim_start().len();
    let end = html
        .get(lead..)
        .filter(|h| h.starts_with("<h1"))
        .and_then(|h| h.find("</h1>"))
        .map(|e| lead + e + "</h1>".len());
    match end.and_then(|e| Some((html.get(..e)?, html.get(e..)?))) {
        Some((title, rest)) => (Some(title), rest),
        None => (None, html),
    }
}

/// `html` with the words that match the search `query` wrapped in `<mark class="da-hl">`:
/// only its text nodes are edited. Highlighting is a nicety: when the query's files cannot be
/// loaded the page stays plain rather than hidden.
async fn highlighted(html: &str, query: &str) -> String {
    let document = docatlas_web::host::document();
    let Ok(root) = document.create_element("div") else {
        return html.to_string();
    };
    root.set_inner_html(html);
    let Ok(walker) = document.create_tree_walker_with_what_to_show(&root, 4 /* SHOW_TEXT */) else {
        return html.to_string();
    };
    let mut nodes = Vec::new();
    while let Ok(Some(n)) = walker.next_node() {
        nodes.push(n);
    }
    let texts: Vec<String> = nodes
        .iter()
        .map(|n| n.text_content().unwrap_or_default())
        .collect();
    let Ok(all) = search::ranges(query, &texts).await else {
        return html.to_string();
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
    root.inner_html()
}

#[cfg(test)]
mod tests {
    use super::split_title;

    #[test]
    fn the_reading_box_goes_below_a_leading_title_only() {
        assert_eq!(
            split_title("\n<h1 id=\"a\">Title <mark>x</mark></h1><p>Body</p>"),
            (
                Some("\n<h1 id=\"a\">Title <mark>x</mark></h1>"),
                "<p>Body</p>"
            )
        );
        assert_eq!(
            split_title("<p>No title</p><h1>Late</h1>"),
            (None, "<p>No title</p><h1>Late</h1>")
        );
        assert_eq!(split_title("<h1>Unclosed"), (None, "<h1>Unclosed"));
    }
}
