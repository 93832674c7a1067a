//! A link destination as written (`../runbooks/db.md#checks`) turned into what it points at as
//! a path: external, an anchor on the same page, a docs-relative path, or out of the folder.
//! Pure string work, below every module that reads pages ([`super::links`] re-exports it).

use docatlas_core::text::percent_decode;

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
