//! The link check stage: every link (and anchor) of every page, resolved as the rendered HTML
//! resolves it (`Corpus::resolve`: file paths, then the dialect's rules).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use docatlas_core::Audience;

use crate::corpus::diagnostics::Severity;
use crate::corpus::links::Resolved;
use crate::corpus::read::{Diags, Page};
use crate::corpus::Corpus;

/// The files outside Markdown that included pages link to, which the site carries.
#[derive(Debug, Default)]
pub(crate) struct Carried {
    /// Files of the docs folder, docs-relative (the site's `files/`).
    pub files: Vec<String>,
    /// Files of a Docusaurus static folder: URL path (the site's `static/`) and source.
    pub statics: Vec<(String, PathBuf)>,
}

/// Checks every page's links (internal pages too: their authors run `check` as well) and gap
/// markers; returns the files included pages link to.
pub(crate) fn check(corpus: &Corpus<'_>, diags: &mut Diags) -> Carried {
    let mut assets = BTreeSet::new();
    let mut statics = BTreeMap::new();
    for page in corpus.all.values() {
        for link in &page.analysis.links {
            let resolved = corpus.resolve(&page.path, &link.dest, false);
            let included = corpus.included.contains_key(page.path.as_str());
            let problem = match check_link(&link.dest, &resolved, &corpus.all) {
                LinkCheck::Ok(Some(Asset::Docs(asset))) if included => {
                    assets.insert(asset);
                    None
                }
                LinkCheck::Ok(Some(Asset::Static(url, source))) if included => {
                    statics.insert(url, source);
                    None
                }
                LinkCheck::Ok(_) => None,
                LinkCheck::Broken(msg) => Some((Severity::Error, msg)),
                LinkCheck::Hidden(path) => Some((Severity::Warning, format!(
                    "link `{}` names the hidden path `{path}`: hidden files and folders are never read into the site (as `.env` must not be), so the link cannot work there; link to it on the code host with a full URL",
                    link.dest
                ))),
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
    Carried {
        files: assets.into_iter().collect(),
        statics: statics.into_iter().collect(),
    }
}

/// A file the site must carry.
enum Asset {
    Docs(String),
    Static(String, PathBuf),
}

enum LinkCheck {
    /// Fine; `Some(file)` when it points at a non-Markdown file the site must carry.
    Ok(Option<Asset>),
    Broken(String),
    Outside,
    /// A path with a hidden name (`.gitlab-ci.yml`, `.github/…`): the docs folder's walk skips
    /// those by design (`.env`, `.git`), so the site cannot carry it, whether or not it exists.
    Hidden(String),
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
        Resolved::File(path) => LinkCheck::Ok(Some(Asset::Docs(path.clone()))),
        Resolved::Static { url, source } => {
            LinkCheck::Ok(Some(Asset::Static(url.clone(), source.clone())))
        }
        Resolved::Site | Resolved::Folder => LinkCheck::Ok(None),
        Resolved::Missing(path) if is_hidden(path) => LinkCheck::Hidden(path.clone()),
        Resolved::Missing(path) => LinkCheck::Broken(format!(
            "broken link `{dest}`: `{path}` does not exist in the docs folder; fix the path or remove the link"
        )),
    }
}

/// Whether a docs-relative path names a hidden file or folder (a name starting with `.`).
fn is_hidden(path: &str) -> bool {
    path.split('/')
        .any(|seg| seg.starts_with('.') && seg != "." && seg != "..")
}

fn check_anchor(target: &str, anchor: &str, page: &Page) -> LinkCheck {
    if anchor.is_empty() || page.analysis.has_anchor(anchor) {
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
