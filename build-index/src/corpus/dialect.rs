//! Which documentation tool a docs folder is written for (mdBook, MkDocs, Docusaurus, or plain
//! Markdown), found from the tool's own config file beside or above the folder, or set with
//! `dialect` in `docatlas.toml`; and what of that config changes how pages read and links
//! resolve (an mdBook's root for `{{#include}}`, an `mkdocs.yml` outside the docs folder, a
//! Docusaurus site's route base, static folders, versions and other content folders).

use std::path::{Path, PathBuf};

/// The tools whose conventions docatlas follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tool {
    /// Plain Markdown, linked by file paths (GitHub's reading).
    #[default]
    Plain,
    /// mdBook: `SUMMARY.md`, `.html` links, `{{#include}}`.
    MdBook,
    /// MkDocs (and Material for MkDocs): `mkdocs.yml`, Python-Markdown's extensions.
    MkDocs,
    /// Docusaurus: MDX, URL links, `_category_` files, `static/`.
    Docusaurus,
}

impl Tool {
    /// The name `docatlas.toml` and the build summary use.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Plain => "plain",
            Tool::MdBook => "mdbook",
            Tool::MkDocs => "mkdocs",
            Tool::Docusaurus => "docusaurus",
        }
    }

    /// Reads a `dialect` value of `docatlas.toml`.
    pub fn parse(name: &str) -> Option<Tool> {
        match name.trim().to_ascii_lowercase().as_str() {
            "plain" | "markdown" | "gfm" => Some(Tool::Plain),
            "mdbook" => Some(Tool::MdBook),
            "mkdocs" | "material" | "mkdocs-material" => Some(Tool::MkDocs),
            "docusaurus" => Some(Tool::Docusaurus),
            _ => None,
        }
    }
}

/// What a Docusaurus site's config says about the docs folder's URLs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docusaurus {
    /// The docs' route base without slashes (`docs` by default, empty for `routeBasePath: '/'`).
    pub route_base: String,
    /// Folders served at the site root (`static/` beside the config, or `staticDirectories`).
    pub static_dirs: Vec<PathBuf>,
    /// Version names of `versions.json`, and `next` (the current docs' path once there are
    /// versions): a URL segment after the route base that names one is dropped.
    pub versions: Vec<String>,
    /// Other content folders of the site (a blog, a second docs plugin) by route prefix.
    pub other_routes: Vec<(String, PathBuf)>,
}

/// The dialect of a build's docs folder.
#[derive(Debug, Clone, Default)]
pub struct Dialect {
    /// The tool.
    pub tool: Tool,
    /// The file that told (`../book.toml`, `mkdocs.yml`, `docatlas.toml`), as the summary
    /// names it; `None` for plain Markdown found by default.
    pub found: Option<String>,
    /// The folder of the tool's config: the book's root (where `{{#include}}` may reach), the
    /// MkDocs project, the Docusaurus site.
    pub project: Option<PathBuf>,
    /// An `mkdocs.yml` outside the docs folder whose `docs_dir` is the docs folder: its text,
    /// for its `nav:` (one inside the docs folder is read as one of its files).
    pub mkdocs_outside: Option<(String, String)>,
    /// Docusaurus URL rules.
    pub docusaurus: Docusaurus,
}

const DOCUSAURUS_CONFIGS: &[&str] = &[
    "docusaurus.config.js",
    "docusaurus.config.ts",
    "docusaurus.config.mjs",
    "docusaurus.config.cjs",
];

/// The dialect of the docs folder `root`: `configured` (`docatlas.toml`'s `dialect`, with the
/// file's name) if set, else the tool whose config sits in `root`, its parent, or the parent's
/// `website/` folder and names `root` as its docs folder.
pub fn detect(root: &Path, configured: Option<(Tool, &str)>) -> Dialect {
    let root_abs = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let parent = root_abs.parent().map(Path::to_path_buf);
    let mut places: Vec<(PathBuf, &str)> = vec![(root_abs.clone(), "")];
    if let Some(p) = &parent {
        places.push((p.clone(), "../"));
        places.push((p.join("website"), "../website/"));
    }
    let mut found = None;
    for (dir, shown) in &places {
        if let Some(d) = detect_in(dir, shown, &root_abs) {
            found = Some(d);
            break;
        }
    }
    let mut dialect = found.unwrap_or_default();
    if let Some((tool, file)) = configured {
        if tool != dialect.tool {
            dialect = Dialect {
                project: Some(root_abs.clone()),
                docusaurus: Docusaurus {
                    route_base: "docs".into(),
                    ..Docusaurus::default()
                },
                ..Dialect::default()
            };
        }
        dialect.tool = tool;
        dialect.found = Some(file.to_string());
    }
    dialect
}

/// The tool whose config is in `dir` and whose docs folder is `root`.
fn detect_in(dir: &Path, shown: &str, root: &Path) -> Option<Dialect> {
    let same = |p: PathBuf| std::fs::canonicalize(&p).is_ok_and(|p| p == root);
    let book = dir.join("book.toml");
    if book.is_file() {
        let src = std::fs::read_to_string(&book)
            .ok()
            .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
            .and_then(|t| t.get("book")?.get("src")?.as_str().map(str::to_string))
            .unwrap_or_else(|| "src".into());
        if same(dir.join(&src)) || dir == root {
            return Some(Dialect {
                tool: Tool::MdBook,
                found: Some(format!("{shown}book.toml")),
                project: Some(dir.to_path_buf()),
                ..Dialect::default()
            });
        }
    }
    for name in ["mkdocs.yml", "mkdocs.yaml"] {
        let file = dir.join(name);
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let docs_dir = mkdocs_docs_dir(&text);
        if dir == root || same(dir.join(&docs_dir)) {
            return Some(Dialect {
                tool: Tool::MkDocs,
                found: Some(format!("{shown}{name}")),
                project: Some(dir.to_path_buf()),
                mkdocs_outside: (dir != root).then(|| (format!("{shown}{name}"), text)),
                ..Dialect::default()
            });
        }
    }
    for name in DOCUSAURUS_CONFIGS {
        let file = dir.join(name);
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let routes = docusaurus_routes(&text);
        let docs = routes
            .iter()
            .find(|(path, _)| same(dir.join(path)))
            .cloned()
            .or_else(|| same(dir.join("docs")).then(|| ("docs".to_string(), None)));
        let Some((docs_path, base)) = docs else {
            continue;
        };
        return Some(Dialect {
            tool: Tool::Docusaurus,
            found: Some(format!("{shown}{name}")),
            project: Some(dir.to_path_buf()),
            mkdocs_outside: None,
            docusaurus: Docusaurus {
                route_base: base
                    .unwrap_or_else(|| "docs".into())
                    .trim_matches('/')
                    .to_string(),
                static_dirs: static_dirs(&text)
                    .into_iter()
                    .map(|s| dir.join(s))
                    .filter(|p| p.is_dir())
                    .collect(),
                versions: versions(dir),
                other_routes: routes
                    .into_iter()
                    .filter(|(path, _)| *path != docs_path)
                    .map(|(path, base)| {
                        let base = base.unwrap_or_else(|| path.clone());
                        (base.trim_matches('/').to_string(), dir.join(path))
                    })
                    .filter(|(base, dir)| !base.is_empty() && dir.is_dir())
                    .collect(),
            },
        });
    }
    None
}

/// `docs_dir` of an `mkdocs.yml` (default `docs`), read line by line: the file may use tags
/// (`!!python/name:`) a plain YAML reader refuses.
pub fn mkdocs_docs_dir(text: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix("docs_dir:"))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "docs".into())
}

/// The quoted string value of each `key: '…'` in a JS/TS config, in order.
fn string_values<'t>(text: &'t str, key: &str) -> Vec<(usize, &'t str)> {
    let mut out = Vec::new();
    let pattern = format!("{key}:");
    for (at, _) in text.match_indices(&pattern) {
        let before = text.get(..at).and_then(|b| b.chars().next_back());
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = text
            .get(at.saturating_add(pattern.len())..)
            .unwrap_or("")
            .trim_start();
        let Some(quote) = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '\'' | '"' | '`'))
        else {
            continue;
        };
        let inner = rest.get(1..).unwrap_or("");
        if let Some(end) = inner.find(quote) {
            out.push((at, inner.get(..end).unwrap_or("")));
        }
    }
    out
}

/// Each content plugin's `path` with the `routeBasePath` written after it (before the next
/// `path`), as the config writes them.
fn docusaurus_routes(text: &str) -> Vec<(String, Option<String>)> {
    let paths = string_values(text, "path");
    let bases = string_values(text, "routeBasePath");
    paths
        .iter()
        .enumerate()
        .filter(|(_, (_, p))| !p.contains('$') && !p.is_empty())
        .map(|(i, (at, p))| {
            let next = paths
                .get(i.saturating_add(1))
                .map_or(usize::MAX, |(n, _)| *n);
            let base = bases
                .iter()
                .find(|(b, _)| b > at && *b < next)
                .map(|(_, b)| (*b).to_string());
            ((*p).to_string(), base)
        })
        .collect()
}

/// `staticDirectories: ['static', 'public']`, default `static`.
fn static_dirs(text: &str) -> Vec<String> {
    let Some(at) = text.find("staticDirectories:") else {
        return vec!["static".into()];
    };
    let rest = text.get(at..).unwrap_or("");
    let list = rest
        .find('[')
        .zip(rest.find(']'))
        .and_then(|(a, b)| rest.get(a.saturating_add(1)..b))
        .unwrap_or("");
    list.split(',')
        .map(|s| s.trim().trim_matches(['\'', '"', '`']).to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `versions.json`'s names, and `next` when it has any.
fn versions(dir: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(dir.join("versions.json")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = serde_json::from_str(&text).unwrap_or_default();
    if !names.is_empty() {
        names.push("next".into());
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docusaurus_config_routes_static_dirs_and_default_base() {
        let cfg = "presets: [['classic', { docs: { path: '../docs', routeBasePath: '/', sidebarPath: x }, blog: { path: 'blog' } }]],\n\
                   plugins: [['content-docs', { id: 'arch', path: \"architecture\", routeBasePath: '/architecture' }]],\n\
                   staticDirectories: ['static', 'public'],";
        assert_eq!(
            docusaurus_routes(cfg),
            [
                ("../docs".to_string(), Some("/".to_string())),
                ("blog".to_string(), None),
                (
                    "architecture".to_string(),
                    Some("/architecture".to_string())
                ),
            ]
        );
        assert_eq!(static_dirs(cfg), ["static", "public"]);
        assert_eq!(static_dirs("module.exports = {}"), ["static"]);
        assert_eq!(
            mkdocs_docs_dir("site_name: x\ndocs_dir: 'pages'\n"),
            "pages"
        );
        assert_eq!(mkdocs_docs_dir("site_name: x\n"), "docs");
    }

    #[test]
    fn tools_are_found_beside_or_above_the_docs_folder() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::create_dir_all(p.join("book/src")).unwrap();
        std::fs::write(p.join("book/book.toml"), "[book]\ntitle = \"B\"\n").unwrap();
        let d = detect(&p.join("book/src"), None);
        assert_eq!(
            (d.tool, d.found.as_deref()),
            (Tool::MdBook, Some("../book.toml"))
        );

        std::fs::create_dir_all(p.join("mk/pages")).unwrap();
        std::fs::write(
            p.join("mk/mkdocs.yml"),
            "site_name: M\ndocs_dir: pages\nnav:\n  - index.md\n",
        )
        .unwrap();
        let d = detect(&p.join("mk/pages"), None);
        assert_eq!(d.tool, Tool::MkDocs);
        assert_eq!(
            d.mkdocs_outside.as_ref().map(|m| m.0.as_str()),
            Some("../mkdocs.yml")
        );

        std::fs::create_dir_all(p.join("site/docs")).unwrap();
        std::fs::create_dir_all(p.join("site/website/static")).unwrap();
        std::fs::write(
            p.join("site/website/docusaurus.config.ts"),
            "docs: { path: '../docs' }",
        )
        .unwrap();
        std::fs::write(p.join("site/website/versions.json"), "[\"1.0\"]").unwrap();
        let d = detect(&p.join("site/docs"), None);
        assert_eq!(d.tool, Tool::Docusaurus);
        assert_eq!(d.docusaurus.route_base, "docs");
        assert_eq!(d.docusaurus.versions, ["1.0", "next"]);
        assert_eq!(d.docusaurus.static_dirs.len(), 1);

        std::fs::create_dir_all(p.join("plain")).unwrap();
        assert_eq!(detect(&p.join("plain"), None).tool, Tool::Plain);
        let forced = detect(&p.join("plain"), Some((Tool::MkDocs, "docatlas.toml")));
        assert_eq!(
            (forced.tool, forced.found.as_deref()),
            (Tool::MkDocs, Some("docatlas.toml"))
        );
    }
}
