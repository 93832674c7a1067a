//! Tracks from folder order, the Docusaurus way: a folder with a `_category_.json` (or
//! `_category_.yml`), or with at least two pages that give their position (front matter
//! `order` / `sidebar_position` / `weight`, or a numeric file prefix like `01-intro.md`), is a
//! track. Its pages come index page first (`README.md` / `index.md`), then by position, then by
//! name; sub-folders nest one level deeper, placed by their category's `position` or their own
//! numeric prefix. ADR numbers (`0007-cache.md` under `adr/`) are record ids, not a reading
//! order, so they do not count as prefixes.
//!
//! A folder track whose pages are all in an explicit reading order already is left out; with no
//! track from any source, one default track holds every page in folder order.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use docatlas_core::tracks::Source;

use super::{humanize, is_summary, Draft, DraftItem, Inputs};
use crate::corpus::diagnostics::Severity;
use crate::corpus::read::Diags;

/// Pages with a position needed in a folder without a category file to make it a track.
const MIN_ORDERED_PAGES: usize = 2;

/// What a `_category_.json` says.
#[derive(Debug, Clone, Default, PartialEq)]
struct Category {
    label: Option<String>,
    position: Option<f64>,
}

/// Folders (docs-relative, `""` for the root) with the pages directly in them and their
/// sub-folders.
#[derive(Default)]
struct Tree<'a> {
    pages: BTreeMap<String, Vec<&'a str>>,
    folders: BTreeMap<String, BTreeSet<String>>,
}

impl<'a> Tree<'a> {
    fn new(inputs: &'a Inputs<'_>) -> Self {
        let mut t = Tree::default();
        for path in inputs.corpus.included.keys().filter(|p| !is_summary(p)) {
            let dir = parent(path);
            t.pages.entry(dir.to_string()).or_default().push(path);
            let mut child = dir;
            while !child.is_empty() {
                let up = parent(child);
                t.folders
                    .entry(up.to_string())
                    .or_default()
                    .insert(child.to_string());
                child = up;
            }
        }
        t
    }

    fn pages_in(&self, folder: &str) -> &[&'a str] {
        self.pages.get(folder).map_or(&[], Vec::as_slice)
    }

    fn subfolders(&self, folder: &str) -> impl Iterator<Item = &String> {
        self.folders.get(folder).into_iter().flatten()
    }

    fn all_folders(&self) -> BTreeSet<&str> {
        self.pages
            .keys()
            .chain(self.folders.keys())
            .map(String::as_str)
            .collect()
    }
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `01-intro.md` → 1; `2024.md`, `intro.md` → none.
fn numeric_prefix(name: &str) -> Option<f64> {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let digits = stem.chars().take_while(char::is_ascii_digit).count();
    let rest = stem.get(digits..)?;
    let mut chars = rest.chars();
    let sep = chars.next()?;
    if digits == 0 || digits > 9 || !matches!(sep, '-' | '_' | '.' | ' ') || chars.next().is_none()
    {
        return None;
    }
    stem.get(..digits)?.parse::<u32>().ok().map(f64::from)
}

fn is_index(path: &str) -> bool {
    matches!(
        name(path).to_ascii_lowercase().as_str(),
        "readme.md" | "index.md" | "_index.md" | "readme.mdx" | "index.mdx"
    ) || {
        // Docusaurus: a page named like its folder (`guides/guides.md`) is the folder's index.
        let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
        let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
        !stem.is_empty() && dir.rsplit('/').next() == Some(stem)
    }
}

/// Where a page goes among its siblings: front matter position, else its numeric prefix.
fn page_position(inputs: &Inputs<'_>, path: &str) -> Option<f64> {
    let page = inputs.corpus.included.get(path)?;
    if let Some(o) = page.fm.order.filter(|o| o.is_finite()) {
        return Some(o);
    }
    let adr = inputs
        .doc(path)
        .is_some_and(|d| d.kind.as_deref() == Some("adr"));
    if adr {
        None
    } else {
        numeric_prefix(name(path))
    }
}

fn read_categories(inputs: &Inputs<'_>, diags: &mut Diags) -> BTreeMap<String, Category> {
    let mut out = BTreeMap::new();
    for rel in &inputs.files.other {
        let file = name(rel);
        if !matches!(
            file,
            "_category_.json" | "_category_.yml" | "_category_.yaml"
        ) {
            continue;
        }
        let Some(text) = inputs.read_other(rel, diags) else {
            continue;
        };
        let parsed = if file.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&text)
                .map(|v| Category {
                    label: v.get("label").and_then(|l| l.as_str()).map(str::to_string),
                    position: v.get("position").and_then(serde_json::Value::as_f64),
                })
                .map_err(|e| ((e.line(), e.column()), e.to_string()))
        } else {
            serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&text)
                .map(|v| Category {
                    label: v.get("label").and_then(|l| l.as_str()).map(str::to_string),
                    position: v.get("position").and_then(serde_yaml_ng::Value::as_f64),
                })
                .map_err(|e| {
                    (
                        e.location().map_or((1, 1), |l| (l.line(), l.column())),
                        e.to_string(),
                    )
                })
        };
        match parsed {
            Ok(c) => {
                out.insert(parent(rel).to_string(), c);
            }
            Err(((line, col), e)) => diags.push(
                rel,
                (line, col.max(1)),
                Severity::Warning,
                format!(
                    "invalid category file, so the folder's label and position are not used: {e}"
                ),
            ),
        }
    }
    out
}

/// Sorting key of a page or sub-folder among its siblings.
struct Key {
    index: bool,
    position: Option<f64>,
    name: String,
}

fn compare(a: &Key, b: &Key) -> Ordering {
    b.index
        .cmp(&a.index)
        .then_with(|| match (a.position, b.position) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| a.name.cmp(&b.name))
}

enum Child<'a> {
    Page(&'a str),
    Folder(&'a str),
}

struct Walk<'i, 'a> {
    inputs: &'i Inputs<'a>,
    tree: &'i Tree<'i>,
    categories: &'i BTreeMap<String, Category>,
}

impl Walk<'_, '_> {
    /// The folder's pages in reading order, sub-folders nested one level deeper.
    fn items(&self, folder: &str, depth: u8, out: &mut Vec<DraftItem>) {
        let mut children: Vec<(Key, Child<'_>)> = Vec::new();
        for &p in self.tree.pages_in(folder) {
            children.push((
                Key {
                    index: is_index(p),
                    position: page_position(self.inputs, p),
                    name: name(p).to_string(),
                },
                Child::Page(p),
            ));
        }
        for f in self.tree.subfolders(folder) {
            let position = self
                .categories
                .get(f.as_str())
                .and_then(|c| c.position)
                .filter(|p| p.is_finite())
                // As Docusaurus places a folder without a category file: by its index page.
                .or_else(|| {
                    self.tree
                        .pages_in(f)
                        .iter()
                        .find(|p| is_index(p))
                        .and_then(|p| page_position(self.inputs, p))
                })
                .or_else(|| numeric_prefix(name(f)));
            children.push((
                Key {
                    index: false,
                    position,
                    name: name(f).to_string(),
                },
                Child::Folder(f),
            ));
        }
        children.sort_by(|a, b| compare(&a.0, &b.0));
        for (_, child) in children {
            match child {
                Child::Page(p) => out.push(DraftItem {
                    path: p.to_string(),
                    // Docusaurus' sidebar names a page by its `sidebar_label`.
                    title: self.inputs.corpus.all.get(p).and_then(|page| {
                        page.fm
                            .facets
                            .iter()
                            .find(|f| f.key == "sidebar_label")
                            .map(|f| f.value.clone())
                    }),
                    depth,
                    note: String::new(),
                }),
                Child::Folder(f) => self.items(f, depth.saturating_add(1), out),
            }
        }
    }

    fn is_track_folder(&self, folder: &str) -> bool {
        self.categories.contains_key(folder)
            || self
                .tree
                .pages_in(folder)
                .iter()
                .filter(|p| page_position(self.inputs, p).is_some())
                .count()
                >= MIN_ORDERED_PAGES
    }

    /// The category label, else the folder's index page title, else its name made readable.
    fn title(&self, folder: &str) -> String {
        if let Some(label) = self
            .categories
            .get(folder)
            .and_then(|c| c.label.clone())
            .filter(|l| !l.trim().is_empty())
        {
            return label;
        }
        let index_title = self
            .tree
            .pages_in(folder)
            .iter()
            .find(|p| is_index(p))
            .and_then(|p| self.inputs.doc(p))
            .map(|d| d.title.clone());
        match index_title {
            Some(t) => t,
            None if folder.is_empty() => self.inputs.site_title.to_string(),
            None => humanize(name(folder)),
        }
    }
}

pub(super) fn tracks(
    inputs: &Inputs<'_>,
    explicit: &BTreeSet<String>,
    diags: &mut Diags,
) -> Vec<Draft> {
    let categories = read_categories(inputs, diags);
    let tree = Tree::new(inputs);
    let walk = Walk {
        inputs,
        tree: &tree,
        categories: &categories,
    };
    let folders = tree.all_folders();
    let track_folders: Vec<&str> = folders
        .iter()
        .copied()
        .filter(|f| walk.is_track_folder(f))
        .collect();
    let mut out = Vec::new();
    for &folder in &track_folders {
        // A track folder inside another is part of the outer one.
        let nested = track_folders.iter().any(|&outer| {
            outer != folder && (outer.is_empty() || folder.starts_with(&format!("{outer}/")))
        });
        if nested {
            continue;
        }
        let mut items = Vec::new();
        walk.items(folder, 0, &mut items);
        if items.is_empty() || items.iter().all(|i| explicit.contains(&i.path)) {
            continue;
        }
        out.push(Draft {
            title: walk.title(folder),
            source: Source::Folder,
            origin: if folder.is_empty() {
                String::new()
            } else {
                format!("{folder}/")
            },
            items,
        });
    }
    out
}

/// Every page in folder order, as one flat track named after the site.
pub(super) fn default_track(inputs: &Inputs<'_>) -> Option<Draft> {
    let categories = BTreeMap::new();
    let tree = Tree::new(inputs);
    let walk = Walk {
        inputs,
        tree: &tree,
        categories: &categories,
    };
    let mut items = Vec::new();
    walk.items("", 0, &mut items);
    for i in &mut items {
        i.depth = 0;
    }
    (!items.is_empty()).then(|| Draft {
        title: inputs.site_title.to_string(),
        source: Source::Default,
        origin: String::new(),
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_prefixes() {
        assert_eq!(numeric_prefix("01-intro.md"), Some(1.0));
        assert_eq!(numeric_prefix("10_setup.md"), Some(10.0));
        assert_eq!(numeric_prefix("3.deploy.md"), Some(3.0));
        assert_eq!(numeric_prefix("02-basics"), Some(2.0));
        assert_eq!(numeric_prefix("2024.md"), None);
        assert_eq!(numeric_prefix("intro.md"), None);
        assert_eq!(numeric_prefix("7-.md"), None);
        assert_eq!(numeric_prefix("予約.md"), None);
        assert_eq!(numeric_prefix("12345678901-x.md"), None);
    }

    #[test]
    fn index_first_then_positions_then_names() {
        let key = |index, position, name: &str| Key {
            index,
            position,
            name: name.into(),
        };
        let mut keys = [
            key(false, None, "b"),
            key(false, Some(2.0), "z"),
            key(false, None, "a"),
            key(true, None, "README.md"),
            key(false, Some(1.5), "y"),
        ];
        keys.sort_by(compare);
        let names: Vec<&str> = keys.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["README.md", "y", "z", "a", "b"]);
    }
}
