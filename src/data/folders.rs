//! The site's folder tree, derived from the page list (`pages.bin` carries every page's path
//! and title, which is all a tree needs): what the sidebar shows when the site has no reading
//! order, what the home page of a large site and the folder views index.

use docatlas_core::files::PageEntry;

/// A sub-folder as its parent lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sub {
    /// Docs-relative path (`runbooks/db`).
    pub path: String,
    /// Its last segment (`db`).
    pub name: String,
    /// Pages in it and below it.
    pub pages: usize,
}

/// What one folder holds directly: its sub-folders (by name) and its pages (index page
/// first, then in the page list's order).
pub struct Listing<'a> {
    /// Sub-folders, sorted by name.
    pub subs: Vec<Sub>,
    /// Pages directly in the folder.
    pub pages: Vec<&'a PageEntry>,
}

/// The folder part of a page path (`""` at the root).
pub fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Whether `name` is a folder's index page (`README.md`, `index.md`, `_index.md`).
pub fn is_index(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    matches!(
        name.as_str(),
        "readme.md" | "index.md" | "_index.md" | "readme.markdown" | "index.markdown"
    )
}

/// The sub-folders and pages of `folder` (`""`: the root).
pub fn listing<'a>(pages: &'a [PageEntry], folder: &str) -> Listing<'a> {
    let mut subs: Vec<Sub> = Vec::new();
    let mut direct = Vec::new();
    for p in pages {
        let rest = if folder.is_empty() {
            Some(p.path.as_str())
        } else {
            p.path
                .strip_prefix(folder)
                .and_then(|r| r.strip_prefix('/'))
        };
        let Some(rest) = rest else { continue };
        match rest.split_once('/') {
            None => direct.push(p),
            Some((name, _)) => match subs.binary_search_by(|s| s.name.as_str().cmp(name)) {
                Ok(i) => {
                    if let Some(s) = subs.get_mut(i) {
                        s.pages = s.pages.saturating_add(1);
                    }
                }
                Err(i) => subs.insert(
                    i,
                    Sub {
                        path: join(folder, name),
                        name: name.to_string(),
                        pages: 1,
                    },
                ),
            },
        }
    }
    // The index page leads, as it does in a file browser's preview.
    // The one sort of the app's wasm (`docatlas_core::sort`), not another instantiation of std's.
    docatlas_core::sort::sort_by_key(&mut direct, |p| !is_index(&p.path));
    Listing {
        subs,
        pages: direct,
    }
}

/// `folder/name`, or `name` at the root.
pub fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_string()
    } else {
        format!("{folder}/{name}")
    }
}

/// Every folder from the root down to `folder`, as (path, name): `a/b` gives `a`, `a/b`.
pub fn ancestry(folder: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut at = String::new();
    for part in folder.split('/').filter(|p| !p.is_empty()) {
        at = join(&at, part);
        out.push((at.clone(), part.to_string()));
    }
    out
}

/// Whether the page or folder at `path` is `folder` or inside it.
pub fn is_within(path: &str, folder: &str) -> bool {
    folder.is_empty()
        || path == folder
        || path
            .strip_prefix(folder)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// "1 page", "2 pages": `n` and the noun, singular or plural.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str) -> PageEntry {
        PageEntry {
            path: path.into(),
            title: path.into(),
            ..PageEntry::default()
        }
    }

    #[test]
    fn a_folder_lists_its_sub_folders_with_counts_and_its_own_pages_index_first() {
        let pages: Vec<_> = [
            "a.md",
            "ops/z.md",
            "ops/README.md",
            "ops/db/x.md",
            "ops/db/y.md",
            "ops/api/q.md",
            "opsx/w.md",
        ]
        .into_iter()
        .map(page)
        .collect();
        let root = listing(&pages, "");
        let names: Vec<_> = root
            .subs
            .iter()
            .map(|s| (s.name.as_str(), s.pages))
            .collect();
        assert_eq!(names, [("ops", 5), ("opsx", 1)]);
        assert_eq!(root.pages.len(), 1);
        let ops = listing(&pages, "ops");
        let subs: Vec<_> = ops
            .subs
            .iter()
            .map(|s| (s.path.as_str(), s.pages))
            .collect();
        assert_eq!(subs, [("ops/api", 1), ("ops/db", 2)]);
        let direct: Vec<_> = ops.pages.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            direct,
            ["ops/README.md", "ops/z.md"],
            "not opsx/, index first"
        );
    }

    #[test]
    fn ancestry_within_and_counts() {
        assert_eq!(
            ancestry("a/b"),
            [
                ("a".to_string(), "a".to_string()),
                ("a/b".into(), "b".into())
            ]
        );
        assert!(ancestry("").is_empty());
        assert!(is_within("ops/db/x.md", "ops"));
        assert!(!is_within("opsx/w.md", "ops"));
        assert_eq!(count(1, "page", "pages"), "1 page");
        assert_eq!(count(0, "page", "pages"), "0 pages");
        assert_eq!(count(2, "item", "items"), "2 items");
        assert!(is_index("x/README.md") && is_index("index.md") && !is_index("x/readme-old.md"));
    }
}
