//! Resolving a link as written in a page (`../runbooks/db.md#checks`) to what it points at: as a
//! path ([`resolve`]), among the pages and files of a build ([`resolve_in`]), and as the rendered
//! HTML's href ([`rewrite`]). The link check, the renderer, the tracks and the entity graph all
//! resolve through here, so a link means the same thing to each of them.

use std::collections::{BTreeMap, BTreeSet};

use docatlas_core::text::percent_decode;

use super::markdown::Rewrite;
use super::read::Page;
use super::Corpus;

/// What a link destination refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Has a scheme (`https:`, `mailto:`...) or is protocol-relative: not ours to check.
    External,
    /// `#anchor` on the same page.
    SamePage(String),
    /// A path inside the docs folder (`/`-separated, normalised) and an optional anchor.
    Path {
        /// Normalised path relative to the docs root.
        path: String,
        /// The `#fragment`, if any.
        anchor: Option<String>,
    },
    /// A relative path that climbs out of the docs folder.
    OutsideRoot(String),
}

/// Resolves `dest`, written in the page at `from` (relative to the docs root).
pub fn resolve(from: &str, dest: &str) -> Target {
    let dest = dest.trim();
    if dest.is_empty() {
        return Target::SamePage(String::new());
    }
    if has_scheme(dest) || dest.starts_with("//") {
        return Target::External;
    }
    let (path_part, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(percent_decode(a))),
        None => (dest, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    if path_part.is_empty() {
        return Target::SamePage(anchor.unwrap_or_default());
    }
    let decoded = percent_decode(path_part);
    let mut parts: Vec<&str> = if decoded.starts_with('/') {
        Vec::new()
    } else {
        from.rsplit_once('/')
            .map_or(Vec::new(), |(dir, _)| dir.split('/').collect())
    };
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Target::OutsideRoot(dest.to_string());
                }
            }
            s => parts.push(s),
        }
    }
    Target::Path {
        path: parts.join("/"),
        anchor: anchor.filter(|a| !a.is_empty()),
    }
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

/// Where a link goes in the app: pages become `#/doc/<path>[#anchor]` routes, files become
/// `files/<path>`, external URLs stay; links to pages left out of this build lose their href.
pub(crate) fn rewrite(from: &str, dest: &str, corpus: &Corpus<'_>) -> Rewrite {
    match resolve_in(from, dest, &corpus.included, &corpus.others) {
        Resolved::External => Rewrite::Href(dest.to_string()),
        Resolved::Page { path, anchor } => {
            Rewrite::Href(docatlas_core::doc_href(path, None, anchor.as_deref()))
        }
        Resolved::File(path) => Rewrite::Href(format!("{}{path}", super::layout::FILES_DIR)),
        Resolved::Outside | Resolved::Missing(_) => Rewrite::TextOnly,
    }
}

fn has_scheme(dest: &str) -> bool {
    let Some((scheme, _)) = dest.split_once(':') else {
        return false;
    };
    !scheme.is_empty()
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !scheme.contains('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str, a: Option<&str>) -> Target {
        Target::Path {
            path: p.into(),
            anchor: a.map(String::from),
        }
    }

    #[test]
    fn relative_paths_resolve_against_the_page_folder() {
        assert_eq!(
            resolve("engineering/api.md", "../runbooks/db.md#checks"),
            path("runbooks/db.md", Some("checks"))
        );
        assert_eq!(
            resolve("engineering/api.md", "flows.md"),
            path("engineering/flows.md", None)
        );
        assert_eq!(
            resolve("README.md", "./adr/0001-x.md"),
            path("adr/0001-x.md", None)
        );
        assert_eq!(
            resolve("a/b.md", "/catalog/routes.md"),
            path("catalog/routes.md", None)
        );
        assert_eq!(
            resolve("a/b.md", "my%20page.md"),
            path("a/my page.md", None)
        );
    }

    #[test]
    fn other_kinds() {
        assert_eq!(resolve("a.md", "#intro"), Target::SamePage("intro".into()));
        assert_eq!(
            resolve("a.md", "https://example.com/x.md"),
            Target::External
        );
        assert_eq!(resolve("a.md", "mailto:x@y.z"), Target::External);
        assert_eq!(
            resolve("a.md", "../../x.md"),
            Target::OutsideRoot("../../x.md".into())
        );
        assert_eq!(resolve("a.md", "javascript:alert(1)"), Target::External);
    }
}
