//! One page: its sanitised HTML, a banner for internal pages, and scrolling to `#anchor`.

use std::sync::Arc;

use leptos::prelude::*;

use crate::data::Atlas;
use crate::route::Route;

/// A rendered page.
#[component]
pub fn DocPage(atlas: Arc<Atlas>, path: String, anchor: Option<String>) -> impl IntoView {
    let Some(doc) = atlas.doc(&path) else {
        return view! {
            <div class="da-error" role="alert">
                <h1>"Page not found"</h1>
                <p>"This site has no page "<code>{path}</code>". It may have been moved, or left out of a public build."</p>
                <p><a href="#/">"All pages"</a></p>
            </div>
        }
        .into_any();
    };
    let article: NodeRef<leptos::html::Article> = NodeRef::new();
    // After the HTML is in the DOM, bring the requested heading (or the page's top) into view;
    // both have a scroll-margin in the CSS so the sticky header does not cover them.
    Effect::new(move |_| {
        let Some(el) = article.get() else { return };
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
    let html = doc.html.clone();
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
            <div class="da-doc-body" inner_html=html></div>
        </article>
    }
    .into_any()
}
