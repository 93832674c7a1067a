//! Resolving a link as written in a page (`../runbooks/db.md#checks`) to what it points at: as a
//! path ([`resolve`]), among the pages and files of a build ([`resolve_in`]), and as the rendered
//! HTML's href ([`rewrite`]). The link check, the renderer, the tracks and the entity graph all
//! resolve through here, so a link means the same thing to each of them.

use std::collections::{BTreeMap, BTreeSet};

use docatlas_core::text::percent_decode;

pub use super::paths::{resolve, Target};

use super::dialect::{Dialect, Tool};
use super::markdown::Rewrite;
use super::read::Page;
use super::Corpus;

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
    /// A file of a Docusaurus static folder, served at the site root (`/img/x.png`,
    /// `pathname:///img/x.png`): its URL path (`img/x.png`) and where it is read from. The
    /// site carries it under `static/`.
    Static {
        url: String,
        source: std::path::PathBuf,
    },
    /// Served by the Docusaurus site but not by this build: a page of another content folder
    /// (the blog), a page of its own (`src/pages/`), by its URL path. Not broken.
    Site,
    /// A folder of the docs that holds files but no index page: a reader following the link
    /// sees its listing (GitHub) or the tool's generated index.
    Folder,
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
pub(crate) fn rewrite<'a>(from: &'a str, dest: &str, corpus: &Corpus<'a>) -> Rewrite {
    match corpus.resolve(from, dest, true) {
        Resolved::External => Rewrite::Href(dest.to_string()),
        Resolved::Page { path, anchor } => {
            Rewrite::Href(docatlas_core::doc_href(path, None, anchor.as_deref()))
        }
        Resolved::File(path) => Rewrite::Href(format!("{}{path}", super::layout::FILES_DIR)),
        Resolved::Static { url, .. } => {
            Rewrite::Href(format!("{}{url}", super::layout::STATIC_DIR))
        }
        Resolved::Outside | Resolved::Missing(_) | Resolved::Site | Resolved::Folder => {
            Rewrite::TextOnly
        }
    }
}

/// What links resolve against beyond file paths: the dialect's rules and, for Docusaurus,
/// every page's URL.
pub(crate) struct Sitemap<'a> {
    pub dialect: Dialect,
    /// Docusaurus: each page's URL path (no leading or trailing `/`) to the page.
    urls: BTreeMap<String, &'a str>,
    /// The same, page to URL path.
    url_of: BTreeMap<&'a str, String>,
    /// Every folder that holds a page or file, docs-relative.
    folders: BTreeSet<String>,
}

impl<'a> Sitemap<'a> {
    pub(crate) fn new(dialect: Dialect, pages: &'a [Page], others: &[String]) -> Self {
        let mut folders = BTreeSet::new();
        for p in pages
            .iter()
            .map(|p| p.path.as_str())
            .chain(others.iter().map(String::as_str))
        {
            let mut dir = p;
            while let Some((d, _)) = dir.rsplit_once('/') {
                if !folders.insert(d.to_string()) {
                    break;
                }
                dir = d;
            }
        }
        let url_of: BTreeMap<&'a str, String> = if dialect.tool == Tool::Docusaurus {
            let base = dialect.docusaurus.route_base.as_str();
            pages
                .iter()
                .map(|p| (p.path.as_str(), docusaurus_url(p, base)))
                .collect()
        } else {
            BTreeMap::new()
        };
        let urls = url_of.iter().map(|(p, u)| (u.clone(), *p)).collect();
        Sitemap {
            dialect,
            urls,
            url_of,
            folders,
        }
    }

    /// The URL path Docusaurus serves a page at (see [`docusaurus_url`]).
    fn url_of(&self, path: &str) -> Option<&str> {
        self.url_of.get(path).map(String::as_str)
    }
}

/// A number prefix Docusaurus strips from file and folder names (`01-intro`, `2. setup`).
fn strip_number_prefix(name: &str) -> &str {
    let digits = name
        .len()
        .saturating_sub(name.trim_start_matches(|c: char| c.is_ascii_digit()).len());
    let rest = slice_from(name, digits);
    match rest.strip_prefix(['-', '_', '.']) {
        Some(r) if digits > 0 && !r.trim_start().is_empty() => r.trim_start(),
        _ => name,
    }
}

fn slice_from(s: &str, at: usize) -> &str {
    s.get(at..).unwrap_or("")
}

/// The URL path of a page on a Docusaurus site (no leading or trailing `/`): the route base,
/// its folders without number prefixes, then front matter `slug` (absolute, or relative to
/// the folder), else the folder itself for an index page (`index`, `README`, or named like
/// its folder), else front matter `id`, else the file name without its number prefix.
pub(crate) fn docusaurus_url(page: &Page, base: &str) -> String {
    let (dir, file) = page.path.rsplit_once('/').unwrap_or(("", &page.path));
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let dirs: Vec<&str> = dir
        .split('/')
        .filter(|d| !d.is_empty())
        .map(strip_number_prefix)
        .collect();
    let facet = |k: &str| {
        page.fm
            .facets
            .iter()
            .find(|f| f.key == k)
            .map(|f| f.value.trim().to_string())
    };
    let mut parts: Vec<String> = vec![base.to_string()];
    match facet("slug") {
        Some(slug) if slug.starts_with('/') => parts.push(slug),
        Some(slug) => {
            parts.extend(dirs.iter().map(|d| (*d).to_string()));
            parts.push(slug);
        }
        None => {
            parts.extend(dirs.iter().map(|d| (*d).to_string()));
            let last = dirs.last().copied().unwrap_or("");
            let index = stem.eq_ignore_ascii_case("index")
                || stem.eq_ignore_ascii_case("readme")
                || strip_number_prefix(stem) == last;
            if !index {
                parts.push(facet("id").unwrap_or_else(|| strip_number_prefix(stem).to_string()));
            }
        }
    }
    parts
        .iter()
        .flat_map(|p| p.split('/'))
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// A page's Docusaurus doc id, what a sidebars file names it by: its folders without number
/// prefixes, then front matter `id`, else the file name without extension and number prefix
/// (`guides/02-locks.md` with `id: locks` is `guides/locks`).
pub(crate) fn docusaurus_id(page: &Page) -> String {
    let (dir, file) = page.path.rsplit_once('/').unwrap_or(("", &page.path));
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let id = page
        .fm
        .facets
        .iter()
        .find(|f| f.key == "id")
        .map(|f| f.value.trim().to_string())
        .unwrap_or_else(|| strip_number_prefix(stem).to_string());
    dir.split('/')
        .filter(|d| !d.is_empty())
        .map(strip_number_prefix)
        .chain([id.as_str()])
        .collect::<Vec<_>>()
        .join("/")
}

impl<'a> Corpus<'a> {
    /// Resolves a link of the page at `from` as the docs' tool does: as a file path first,
    /// then by the dialect's rules (mdBook's `.html` chapters, MkDocs' folder URLs,
    /// Docusaurus' URLs, content roots and static files), then as a folder. `included`
    /// resolves among the pages this build ships, else among all pages read.
    pub(crate) fn resolve(&self, from: &'a str, dest: &str, included: bool) -> Resolved<'a> {
        let pages = if included { &self.included } else { &self.all };
        if self.site.dialect.tool == Tool::Docusaurus {
            if let Some(path) = dest.strip_prefix("pathname://") {
                return self.pathname(from, path, pages);
            }
        }
        let plain = resolve_in(from, dest, pages, &self.others);
        let missing = match &plain {
            Resolved::Missing(path) => Some(path.clone()),
            Resolved::Outside => Some(String::new()),
            _ => None,
        };
        let Some(path) = missing else {
            return plain;
        };
        let anchor = dest
            .split_once('#')
            .map(|(_, a)| percent_decode(a))
            .filter(|a| !a.is_empty());
        let found = match self.site.dialect.tool {
            Tool::MdBook => mdbook_page(&path, pages),
            Tool::MkDocs => mkdocs_page(from, dest, pages),
            Tool::Docusaurus => return self.docusaurus(from, dest, &path, pages, plain),
            Tool::Plain => None,
        };
        match found {
            Some(path) => Resolved::Page { path, anchor },
            None if !path.is_empty() && self.site.folders.contains(path.trim_end_matches('/')) => {
                Resolved::Folder
            }
            None => plain,
        }
    }

    fn docusaurus(
        &self,
        from: &'a str,
        dest: &str,
        path: &str,
        pages: &BTreeMap<&'a str, &'a Page>,
        plain: Resolved<'a>,
    ) -> Resolved<'a> {
        let anchor = dest
            .split_once('#')
            .map(|(_, a)| percent_decode(a))
            .filter(|a| !a.is_empty());
        let link = dest.split(['#', '?']).next().unwrap_or("");
        // A file link resolves against the page's folder, then against the docs root.
        if !link.starts_with('/') {
            if let Target::Path { path: p, .. } = resolve("", link) {
                if let Some(page) = find_page(&p, pages) {
                    return Resolved::Page { path: page, anchor };
                }
            }
        }
        let d = &self.site.dialect.docusaurus;
        let page_url = self.site.url_of(from).unwrap_or("").to_string();
        let mut candidates: Vec<String> = Vec::new();
        if link.starts_with('/') {
            candidates.push(percent_decode(link));
        } else {
            // The page's URL has no trailing slash, so a relative link resolves from its
            // folder; with `trailingSlash: true` it resolves from the page itself.
            for base in [page_url.clone(), format!("{page_url}/index")] {
                if let Target::Path { path: p, .. } = resolve(&base, link) {
                    candidates.push(p);
                }
            }
        }
        for url in &candidates {
            let url = url.trim_matches('/');
            let url = url
                .strip_suffix(".mdx")
                .or_else(|| url.strip_suffix(".md"))
                .unwrap_or(url);
            for u in [url.to_string(), drop_version(url, d)] {
                if let Some(page) = self.site.urls.get(u.as_str()) {
                    if pages.contains_key(page) {
                        return Resolved::Page { path: page, anchor };
                    }
                }
            }
            if let Some(file) = self.static_file(url) {
                return file;
            }
            if self
                .site
                .dialect
                .project
                .as_ref()
                .is_some_and(|p| is_site_page(p, url))
            {
                return Resolved::Site;
            }
            let in_other = d
                .other_routes
                .iter()
                .any(|(prefix, _)| url == prefix || url.starts_with(&format!("{prefix}/")));
            if in_other {
                return Resolved::Site;
            }
        }
        if !path.is_empty() && self.site.folders.contains(path.trim_end_matches('/')) {
            return Resolved::Folder;
        }
        plain
    }
}

impl<'a> Corpus<'a> {
    /// The file of a Docusaurus static folder served at `url` (no leading `/`), if any.
    fn static_file(&self, url: &str) -> Option<Resolved<'a>> {
        if url.is_empty() || url.split('/').any(|s| s == "..") {
            return None;
        }
        let d = &self.site.dialect.docusaurus;
        d.static_dirs
            .iter()
            .map(|dir| dir.join(url))
            .find(|p| p.is_file())
            .map(|source| Resolved::Static {
                url: url.to_string(),
                source,
            })
    }

    /// A Docusaurus `pathname://` link (`pathname:///img/x.png`), which the site serves as
    /// the path it names, without routing: a static file, a page, or something the site's
    /// host serves beside it (never checked by Docusaurus, so not broken here either).
    fn pathname(
        &self,
        from: &'a str,
        path: &str,
        pages: &BTreeMap<&'a str, &'a Page>,
    ) -> Resolved<'a> {
        let link = path.split(['#', '?']).next().unwrap_or("");
        let url = percent_decode(link.trim_start_matches('/'));
        if let Some(file) = self.static_file(url.trim_end_matches('/')) {
            return file;
        }
        let rooted = format!("/{}", path.trim_start_matches('/'));
        match self.docusaurus(from, &rooted, "", pages, Resolved::Site) {
            Resolved::Folder => Resolved::Site,
            found => found,
        }
    }
}

/// Whether the Docusaurus site in `project` has a page of its own (`src/pages/`) at `url`.
fn is_site_page(project: &std::path::Path, url: &str) -> bool {
    let pages = project.join("src/pages");
    let stem = if url.is_empty() {
        "index".to_string()
    } else {
        url.to_string()
    };
    ["tsx", "ts", "jsx", "js", "md", "mdx"].iter().any(|ext| {
        pages.join(format!("{stem}.{ext}")).is_file()
            || pages.join(format!("{stem}/index.{ext}")).is_file()
    })
}

/// `docs/next/x` or `docs/1.2/x` as `docs/x`: a version segment right after the route base.
fn drop_version(url: &str, d: &super::dialect::Docusaurus) -> String {
    let (head, rest) = if d.route_base.is_empty() {
        ("", url)
    } else {
        match url.strip_prefix(d.route_base.as_str()) {
            Some(r) => (d.route_base.as_str(), r.trim_start_matches('/')),
            None => return url.to_string(),
        }
    };
    let (first, tail) = rest.split_once('/').unwrap_or((rest, ""));
    if d.versions.iter().any(|v| v == first) {
        [head, tail]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("/")
    } else {
        url.to_string()
    }
}

/// mdBook writes each chapter `x.md` as `x.html`, and `README.md` as `index.html`.
fn mdbook_page<'p>(path: &str, pages: &BTreeMap<&'p str, &Page>) -> Option<&'p str> {
    let stem = path.strip_suffix(".html")?;
    if let Some(dir) = stem
        .strip_suffix("index")
        .filter(|d| d.is_empty() || d.ends_with('/'))
    {
        if let Some(p) = find_page(dir, pages) {
            return Some(p);
        }
    }
    find_page(&format!("{stem}.md"), pages)
}

/// MkDocs serves `x.md` at `x/` and `x/index.md` at `x/` (directory URLs): a link that names
/// no `.md` file is a URL, relative to the page's own URL (`async.md` is `async/`, so
/// `../advanced/transports` there is `advanced/transports.md`).
fn mkdocs_page<'p>(from: &str, dest: &str, pages: &BTreeMap<&'p str, &Page>) -> Option<&'p str> {
    let link = dest.split(['#', '?']).next().unwrap_or("");
    if link.is_empty() || link.ends_with(".md") {
        return None;
    }
    let stem = from.strip_suffix(".md").unwrap_or(from);
    let file = stem.rsplit('/').next().unwrap_or(stem);
    let url_dir = if file == "index" || file.eq_ignore_ascii_case("readme") {
        stem.rsplit_once('/').map_or("", |(d, _)| d).to_string()
    } else {
        stem.to_string()
    };
    let base = if url_dir.is_empty() {
        "index.md".to_string()
    } else {
        format!("{url_dir}/index.md")
    };
    let Target::Path { path, .. } = resolve(&base, link) else {
        return None;
    };
    let bare = path.trim_end_matches('/');
    let bare = bare.strip_suffix(".html").unwrap_or(bare);
    find_page(&format!("{bare}.md"), pages).or_else(|| find_page(bare, pages))
}
