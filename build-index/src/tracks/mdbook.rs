//! Tracks from an mdBook `SUMMARY.md`: each part (a `# Part title` heading) is a track, the
//! chapters before the first part (the introduction) starting the first one; a summary without
//! parts is one track named after the book (`book.toml`'s title, else the summary's own title,
//! else the site's). Suffix chapters end the last track. Nested chapters keep their depth; draft chapters (`[Name]()`)
//! have no page and are left out, their sub-chapters kept.
//!
//! Entries pointing at no page are already errors of the link check (`SUMMARY.md` is a page
//! too), at the entry's line.

use docatlas_core::tracks::Source;

use super::{Draft, DraftItem, Inputs};
use crate::corpus::links::Resolved;
use crate::corpus::read::Diags;
use crate::corpus::summary::parse;

pub(super) fn tracks(inputs: &Inputs<'_>, diags: &mut Diags) -> Vec<Draft> {
    let corpus = inputs.corpus;
    let mut out = Vec::new();
    for page in corpus
        .included
        .values()
        .filter(|p| super::is_summary(&p.path))
    {
        let (summary_title, mut parts) = parse(page.body());
        // Chapters before the first part (the introduction) start the first part's track.
        if parts.len() > 1 && parts.first().is_some_and(|p| p.title.is_none()) {
            let lead = parts.remove(0);
            if let Some(first) = parts.first_mut() {
                first.chapters.splice(0..0, lead.chapters);
            }
        }
        let book = book_title(inputs, &page.path, diags)
            .or(summary_title.filter(|t| {
                !matches!(
                    t.to_lowercase().as_str(),
                    "summary" | "table of contents" | "contents"
                )
            }))
            .unwrap_or_else(|| inputs.site_title.to_string());
        for part in parts {
            let items: Vec<DraftItem> = part
                .chapters
                .iter()
                .filter_map(|c| {
                    match corpus.resolve(&page.path, &c.dest, false) {
                        // An empty destination resolves to the summary itself: a draft.
                        Resolved::Page { path, .. } if path != page.path => Some(DraftItem {
                            path: path.to_string(),
                            title: Some(c.name.clone()),
                            depth: c.depth,
                            note: String::new(),
                        }),
                        _ => None,
                    }
                })
                .collect();
            if !items.is_empty() {
                out.push(Draft {
                    title: part.title.unwrap_or_else(|| book.clone()),
                    source: Source::MdBook,
                    origin: page.path.clone(),
                    items,
                });
            }
        }
    }
    out
}

/// `[book] title` from the `book.toml` beside the summary's folder (`src/SUMMARY.md` →
/// `book.toml`) or in it.
fn book_title(inputs: &Inputs<'_>, summary: &str, diags: &mut Diags) -> Option<String> {
    let dir = summary.rsplit_once('/').map_or("", |(d, _)| d);
    let parent = dir.rsplit_once('/').map_or("", |(d, _)| d);
    let candidates = [parent, dir].map(|d| {
        if d.is_empty() {
            "book.toml".to_string()
        } else {
            format!("{d}/book.toml")
        }
    });
    let rel = candidates
        .iter()
        .find(|c| inputs.files.other.iter().any(|o| o == *c))?;
    let text = inputs.read_other(rel, diags)?;
    let value: toml::Table = toml::from_str(&text).ok()?;
    value
        .get("book")?
        .get("title")?
        .as_str()
        .map(str::to_string)
        .filter(|t| !t.trim().is_empty())
}
