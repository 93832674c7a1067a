//! From read pages to the bundle's documents: titles, summaries, reading times, kinds and
//! languages, and the rendered, sanitised HTML.

use std::collections::BTreeMap;

use docatlas_core::Doc;
use rayon::prelude::*;

use crate::corpus::config::Loaded;
use crate::corpus::diagnostics::Severity;
use crate::corpus::frontmatter;
use crate::corpus::links::{self, resolve, Target};
use crate::corpus::markdown::{self, RenderContext};
use crate::corpus::read::{Diags, Page};
use crate::corpus::Corpus;
use crate::sanitize;

/// Reading speed used when a page gives no read time.
pub const WORDS_PER_MINUTE: usize = 230;
/// Summaries taken from a page's first paragraph are cut to about this many characters.
const SUMMARY_CHARS: usize = 220;

/// Read times from pages tables (a `Read time` column), keyed by the page the row links to.
pub(crate) fn table_read_times(pages: &[Page]) -> BTreeMap<String, u32> {
    let mut minutes_of = BTreeMap::new();
    for page in pages {
        for table in &page.analysis.tables {
            let Some(col) = table
                .header
                .iter()
                .position(|c| c.text.to_lowercase().contains("read time"))
            else {
                continue;
            };
            for row in &table.rows {
                let minutes = row
                    .get(col)
                    .and_then(|c| frontmatter::parse_minutes(&c.text));
                let target =
                    row.iter()
                        .flat_map(|c| &c.links)
                        .find_map(|l| match resolve(&page.path, l) {
                            Target::Path { path, .. } => Some(path),
                            _ => None,
                        });
                if let (Some(m), Some(t)) = (minutes, target) {
                    minutes_of.entry(t).or_insert(m);
                }
            }
        }
    }
    minutes_of
}

/// Every page's title: front matter, else the first H1, else the name an mdBook `SUMMARY.md`
/// gives it (the Rust book's sections start at `##`), else the file name made readable.
pub(crate) fn titles<'a>(
    pages: &'a [Page],
    chapter_names: &BTreeMap<&str, String>,
) -> BTreeMap<&'a str, String> {
    pages
        .iter()
        .map(|p| {
            let untitled =
                p.fm.title.is_none() && p.analysis.first_h1.as_ref().is_none_or(|h| h.is_empty());
            let named = untitled
                .then(|| chapter_names.get(p.path.as_str()))
                .flatten();
            (
                p.path.as_str(),
                named.cloned().unwrap_or_else(|| title_of(p)),
            )
        })
        .collect()
}

/// Warns about pages that ship with the title of another (search results could not be told
/// apart).
pub(crate) fn check_duplicate_titles(
    corpus: &Corpus<'_>,
    titles: &BTreeMap<&str, String>,
    diags: &mut Diags,
) {
    let mut first_with_title: BTreeMap<&str, &str> = BTreeMap::new();
    for path in corpus.included.keys() {
        let Some(t) = titles.get(path).map(String::as_str) else {
            continue;
        };
        match first_with_title.get(t) {
            Some(first) => diags.push(path, (1, 1), Severity::Warning, format!(
                "title `{t}` is also the title of `{first}`; give pages distinct titles (front matter `title:`) so search results can be told apart"
            )),
            None => {
                first_with_title.insert(t, path);
            }
        }
    }
}

/// Renders and sanitises every included page, in parallel and in path order.
pub(crate) fn render(
    corpus: &Corpus<'_>,
    titles: &BTreeMap<&str, String>,
    table_minutes: &BTreeMap<String, u32>,
    cfg: &Loaded,
    cache: Option<&crate::corpus::cache::Cache>,
) -> Vec<Doc> {
    // What links resolve against, besides the page itself: which pages and files exist.
    let context = cache.map(|_| {
        let mut h = String::new();
        for p in corpus.included.keys().chain(corpus.others.iter()) {
            h.push_str(p);
            h.push('\n');
        }
        h.push_str(cfg.config.repo_url.as_deref().unwrap_or(""));
        docatlas_core::format::fnv1a64(h.as_bytes())
    });
    corpus
        .included
        .par_iter()
        .map(|(path, page)| {
            let key = context.map(|c| crate::corpus::cache::Cache::html_key(page.body(), c));
            let cached = cache.zip(key).and_then(|(c, k)| c.html(path, k));
            let html = cached.unwrap_or_else(|| {
                let rewrite = |dest: &str| links::rewrite(path, dest, corpus);
                let ctx = RenderContext {
                    anchors: page.analysis.anchors().map(String::from).collect(),
                    rewrite: &rewrite,
                    repo_url: cfg.config.repo_url.as_deref(),
                };
                let html = sanitize::clean(&markdown::render(page.body(), &ctx));
                if let Some((c, k)) = cache.zip(key) {
                    c.store_html(path, k, &html);
                }
                html
            });
            let title = titles.get(path).cloned().unwrap_or_default();
            make_doc(page, title, html, table_minutes.get(*path).copied())
        })
        .collect()
}

/// The site title: `docatlas.toml`'s, else the root README's (or index's) title.
pub(crate) fn site_title(
    cfg: &Loaded,
    corpus: &Corpus<'_>,
    titles: &BTreeMap<&str, String>,
) -> String {
    if let Some(t) = &cfg.config.title {
        return t.clone();
    }
    ["README.md", "index.md"]
        .into_iter()
        .filter(|p| corpus.included.contains_key(p))
        .find_map(|p| titles.get(p).cloned())
        .unwrap_or_else(|| "Docs".to_string())
}

fn title_of(page: &Page) -> String {
    if let Some(t) = &page.fm.title {
        return t.clone();
    }
    if let Some(h1) = page.analysis.first_h1.as_ref().filter(|h| !h.is_empty()) {
        return h1.clone();
    }
    let file = page.path.rsplit('/').next().unwrap_or(&page.path);
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let stem = if stem.eq_ignore_ascii_case("readme") || stem.eq_ignore_ascii_case("index") {
        page.path.rsplit('/').nth(1).unwrap_or("Home")
    } else {
        stem
    };
    let words = stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
    let words = if words.is_empty() { stem } else { words };
    let out: String = words.replace(['-', '_'], " ");
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

fn make_doc(page: &Page, title: String, html: String, table_minutes: Option<u32>) -> Doc {
    let a = &page.analysis;
    let mut sections = a.sections.clone();
    if let Some(lead) = sections.first_mut() {
        lead.heading = title.clone();
    }
    // A page with no text before its first heading has an empty lead section: drop it, so search
    // hits always point at a real heading.
    if sections.len() > 1
        && sections
            .first()
            .is_some_and(|s| s.text.is_empty() && s.code.is_empty())
    {
        sections.remove(0);
    }
    for s in &mut sections {
        s.hash = docatlas_core::tracks::section_hash(&s.heading, &s.text, &s.code);
    }
    let summary = page.fm.description.clone().unwrap_or_else(|| {
        a.first_paragraph
            .as_deref()
            .map(shorten)
            .unwrap_or_default()
    });
    let words_minutes = u32::try_from(a.words.div_ceil(WORDS_PER_MINUTE)).unwrap_or(u32::MAX);
    let read_minutes = page
        .fm
        .read_minutes
        .or(table_minutes)
        .unwrap_or(words_minutes)
        .max(1);
    Doc {
        path: page.path.clone(),
        title,
        summary,
        kind: page.kind(),
        lang: page
            .fm
            .lang
            .clone()
            .or_else(|| infer_lang(&page.path))
            .or_else(|| detect_lang(&sections)),
        internal: page.internal,
        read_minutes,
        tags: page.fm.tags.clone(),
        facets: page.fm.facets.clone(),
        sections,
        tasks: a.tasks.clone(),
        html,
    }
}

/// Guesses English or German from the page's text, so the right stemmer indexes it.
fn detect_lang(sections: &[docatlas_core::Section]) -> Option<String> {
    let sample: String = sections
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    docatlas_core::text::detect_lang(&sample).map(|l| match l {
        docatlas_core::text::Lang::En => "en".to_string(),
        docatlas_core::text::Lang::De => "de".to_string(),
    })
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= SUMMARY_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(SUMMARY_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

const LANG_DIRS: &[&str] = &[
    "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "sv", "zh",
];

fn infer_lang(path: &str) -> Option<String> {
    path.split('/')
        .find(|seg| LANG_DIRS.contains(seg))
        .map(String::from)
}

#[cfg(test)]
mod tests {
    use crate::corpus::dialect::Tool;
    use crate::corpus::expand::{expand, Context};
    use crate::corpus::markdown::{self, RenderContext, Rewrite};

    /// The HTML a reader gets for `body` in `tool`'s dialect, sanitised.
    fn page_html(tool: Tool, body: &str) -> String {
        let cx = Context {
            tool,
            root: std::path::Path::new("."),
            path: "a.md",
        };
        let expanded = expand(body, &cx, &mut Vec::new()).map_or(body.to_string(), |e| e.text);
        let analysis = markdown::analyze_as(&expanded, tool);
        let rewrite = |_: &str| Rewrite::TextOnly;
        let ctx = RenderContext {
            anchors: analysis.anchors().map(String::from).collect(),
            rewrite: &rewrite,
            repo_url: None,
        };
        crate::sanitize::clean(&markdown::render(&expanded, &ctx))
    }

    #[test]
    fn admonitions_and_tabs_reach_the_reader_as_boxes_and_panels() {
        let html = page_html(
            Tool::MkDocs,
            "# T\n\n!!! danger \"Live wire\"\n\n    Switch *off* first.\n\n???+ tip\n    Open by default.\n\n=== \"Linux\"\n\n    Use apt.\n",
        );
        for want in [
            "<div class=\"da-admonition da-admonition-danger\">",
            "<p class=\"da-admonition-title\">Live wire</p>",
            "<em>off</em>",
            "<details class=\"da-admonition da-admonition-tip\" open=\"\">",
            "<summary>Tip</summary>",
            "<div class=\"da-tab\" id=\"t--linux\">",
            "<p class=\"da-tab-label\">Linux</p>",
        ] {
            assert!(html.contains(want), "{want} missing from {html}");
        }
        assert!(
            !html.contains("<pre>"),
            "indented content is not a code block: {html}"
        );

        let html = page_html(Tool::Docusaurus, ":::note\n\nPlain **words**.\n\n:::\n");
        assert!(
            html.contains("<div class=\"da-admonition da-admonition-note\">"),
            "{html}"
        );
        assert!(
            html.contains("<strong>words</strong>") && !html.contains(":::"),
            "{html}"
        );
    }
}
