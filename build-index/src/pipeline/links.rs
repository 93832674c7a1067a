//! Links between pages: checking every link (and anchor) of every page, and rewriting links for
//! the rendered HTML. Both resolve a link the same way, through [`resolve_in`].

use std::collections::{BTreeMap, BTreeSet};

use docatlas_core::Audience;

use super::read::{Diags, Page};
use super::Corpus;
use crate::diagnostics::Severity;
use crate::links::{resolve, Target};
use crate::markdown::Rewrite;

/// Checks every page's links (internal pages too: their authors run `check` as well) and gap
/// markers; returns the non-Markdown files that included pages link to, which the site carries.
pub(crate) fn check(corpus: &Corpus<'_>, diags: &mut Diags) -> Vec<String> {
    let mut assets = BTreeSet::new();
    for page in corpus.all.values() {
        for link in &page.analysis.links {
            let resolved = resolve_in(&page.path, &link.dest, &corpus.all, &corpus.others);
            let problem = match check_link(&link.dest, &resolved, &corpus.all) {
                LinkCheck::Ok(Some(asset)) if corpus.included.contains_key(page.path.as_str()) => {
                    assets.insert(asset);
                    None
                }
                LinkCheck::Ok(_) => None,
                LinkCheck::Broken(msg) => Some((Severity::Error, msg)),
                LinkCheck::Outside => Some((Severity::Warning, format!(
                    "link `{}` leaves the docs folder, so it cannot work in the site; link to a page inside the folder or use a full URL",
                    link.dest
                ))),
            };
            let to_internal = match resolved {
                Resolved::Page { path, .. }
                    if corpus.audience == Audience::Public
                        && !page.internal
                        && corpus.all.get(path).is_some_and(|p| p.internal) =>
                {
                    Some((
                        Severity::Warning,
                        format!("link to internal page `{path}`: a public build leaves that page out, so the link is shown as plain text; build with --audience internal to keep it"),
                    ))
                }
                _ => None,
            };
            // Line numbers only for the links worth a diagnostic.
            for (severity, msg) in problem.into_iter().chain(to_internal) {
                diags.push(&page.path, page.line_col(link.offset), severity, msg);
            }
        }
        for &gap in &page.analysis.gaps {
            diags.push(
                &page.path,
                page.line_col(gap),
                Severity::Warning,
                "gap marker {{TBD}}: this part of the page is not written yet".into(),
            );
        }
    }
    assets.into_iter().collect()
}

enum LinkCheck {
    /// Fine; `Some(file)` when it points at a non-Markdown file the site must carry.
    Ok(Option<String>),
    Broken(String),
    Outside,
}

/// The page a path means: itself, or a folder's README.md / index.md.
pub(crate) fn find_page<'p>(path: &str, pages: &BTreeMap<&'p str, &Page>) -> Option<&'p str> {
    if let Some((k, _)) = pages.get_key_value(path) {
        return Some(k);
    }
    let dir = path.trim_end_matches('/');
    ["README.md", "index.md", "readme.md"].iter().find_map(|f| {
        let p = if dir.is_empty() {
            (*f).to_string()
        } else {
            format!("{dir}/{f}")
        };
        pages.get_key_value(p.as_str()).map(|(k, _)| *k)
    })
}

/// What a link points at, among the pages of `pages` and the other files of the docs folder.
pub(crate) enum Resolved<'p> {
    External,
    Outside,
    Page {
        path: &'p str,
        anchor: Option<String>,
    },
    File(String),
    Missing(String),
}

/// Resolves a link written in the page at `from` against the pages and files of the build.
pub(crate) fn resolve_in<'p>(
    from: &'p str,
    dest: &str,
    pages: &BTreeMap<&'p str, &Page>,
    others: &BTreeSet<&str>,
) -> Resolved<'p> {
    match resolve(from, dest) {
        Target::External => Resolved::External,
        Target::OutsideRoot(_) => Resolved::Outside,
        Target::SamePage(anchor) => Resolved::Page {
            path: from,
            anchor: Some(anchor).filter(|a| !a.is_empty()),
        },
        Target::Path { path, anchor } => match find_page(&path, pages) {
            Some(target) => Resolved::Page {
                path: target,
                anchor,
            },
            None if others.contains(path.as_str()) => Resolved::File(path),
            None => Resolved::Missing(path),
        },
    }
}

fn check_link(dest: &str, resolved: &Resolved<'_>, pages: &BTreeMap<&str, &Page>) -> LinkCheck {
    match resolved {
        Resolved::External => LinkCheck::Ok(None),
        Resolved::Outside => LinkCheck::Outside,
        Resolved::Page { path, anchor: Some(a) } => match pages.get(path) {
            Some(page) => check_anchor(path, a, page),
            None => LinkCheck::Ok(None),
        },
        Resolved::Page { anchor: None, .. } => LinkCheck::Ok(None),
        Resolved::File(path) => LinkCheck::Ok(Some(path.clone())),
        Resolved::Missing(path) => LinkCheck::Broken(format!(
            "broken link `{dest}`: `{path}` does not exist in the docs folder; fix the path or remove the link"
        )),
    }
}

fn check_anchor(target: &str, anchor: &str, page: &Page) -> LinkCheck {
    if anchor.is_empty() || page.analysis.anchors().any(|a| a == anchor) {
        return LinkCheck::Ok(None);
    }
    let known: Vec<&str> = page.analysis.anchors().take(8).collect();
    LinkCheck::Broken(format!(
        "broken anchor `#{anchor}`: `{target}` has no heading with that id; its headings are: {}",
        if known.is_empty() {
            "(none)".to_string()
        } else {
            known.join(", ")
        }
    ))
}

/// Where a link goes in the app: pages become `#/doc/<path>[#anchor]` routes, files become
/// `files/<path>`, external URLs stay; links to pages left out of this build lose their href.
pub(crate) fn rewrite(from: &str, dest: &str, corpus: &Corpus<'_>) -> Rewrite {
    match resolve_in(from, dest, &corpus.included, &corpus.others) {
        Resolved::External => Rewrite::Href(dest.to_string()),
        Resolved::Page { path, anchor } => {
            Rewrite::Href(docatlas_core::doc_href(path, None, anchor.as_deref()))
        }
        Resolved::File(path) => Rewrite::Href(format!("{}{path}", crate::site::FILES_DIR)),
        Resolved::Outside | Resolved::Missing(_) => Rewrite::TextOnly,
    }
}
