//! Tracks from an mdBook `SUMMARY.md`: each part (a `# Part title` heading) is a track, the
//! chapters before the first part (the introduction) starting the first one; a summary without
//! parts is one track named after the book (`book.toml`'s title, else the summary's own title,
//! else the site's). Suffix chapters end the last track. Nested chapters keep their depth; draft chapters (`[Name]()`)
//! have no page and are left out, their sub-chapters kept.
//!
//! Entries pointing at no page are already errors of the link check (`SUMMARY.md` is a page
//! too), at the entry's line.

use docatlas_core::tracks::Source;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::{Draft, DraftItem, Inputs};
use crate::corpus::links::Resolved;
use crate::corpus::read::Diags;

/// A chapter link as the summary writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Chapter {
    dest: String,
    name: String,
    depth: u8,
}

/// A part of the book: its title (none for chapters before the first part) and chapters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Part {
    title: Option<String>,
    chapters: Vec<Chapter>,
}

/// The book's title line (if the summary starts with a heading) and its parts.
fn parse(body: &str) -> (Option<String>, Vec<Part>) {
    let mut title = None;
    let mut parts: Vec<Part> = Vec::new();
    let mut seen_anything = false;
    let mut heading: Option<(HeadingLevel, String)> = None;
    let mut link: Option<Chapter> = None;
    let mut list_depth = 0usize;
    for event in Parser::new_ext(body, crate::corpus::markdown::options()) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = heading.take() {
                    let text = text.trim().to_string();
                    if !seen_anything && title.is_none() {
                        title = Some(text);
                    } else if level == HeadingLevel::H1 {
                        parts.push(Part {
                            title: Some(text),
                            chapters: Vec::new(),
                        });
                    }
                    seen_anything = true;
                }
            }
            Event::Start(Tag::List(_)) => list_depth = list_depth.saturating_add(1),
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) if link.is_none() => {
                link = Some(Chapter {
                    dest: dest_url.to_string(),
                    name: String::new(),
                    depth: u8::try_from(list_depth.saturating_sub(1)).unwrap_or(u8::MAX),
                })
            }
            Event::End(TagEnd::Link) => {
                if let Some(mut c) = link.take() {
                    c.name = c.name.split_whitespace().collect::<Vec<_>>().join(" ");
                    seen_anything = true;
                    if parts.is_empty() {
                        parts.push(Part::default());
                    }
                    if let Some(p) = parts.last_mut() {
                        p.chapters.push(c);
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = &mut heading {
                    h.push_str(&t);
                } else if let Some(c) = &mut link {
                    c.name.push_str(&t);
                }
            }
            _ => {}
        }
    }
    (title, parts)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(dest: &str, name: &str, depth: u8) -> Chapter {
        Chapter {
            dest: dest.into(),
            name: name.into(),
            depth,
        }
    }

    #[test]
    fn parts_nesting_drafts_prefix_and_suffix_chapters() {
        let (title, parts) = parse(
            "# Summary\n\n[Introduction](README.md)\n\n# User guide\n\n\
             - [Install](guide/install.md)\n  - [From source](guide/source.md)\n\
             - [Draft chapter]()\n  - [Under a draft](guide/under.md)\n\n---\n\n\
             # Reference\n\n1. [CLI `init`](ref/init.md)\n\n[Contributors](misc/contributors.md)\n",
        );
        assert_eq!(title.as_deref(), Some("Summary"));
        assert_eq!(
            parts,
            [
                Part {
                    title: None,
                    chapters: vec![ch("README.md", "Introduction", 0)]
                },
                Part {
                    title: Some("User guide".into()),
                    chapters: vec![
                        ch("guide/install.md", "Install", 0),
                        ch("guide/source.md", "From source", 1),
                        ch("", "Draft chapter", 0),
                        ch("guide/under.md", "Under a draft", 1),
                    ]
                },
                Part {
                    title: Some("Reference".into()),
                    chapters: vec![
                        ch("ref/init.md", "CLI init", 0),
                        ch("misc/contributors.md", "Contributors", 0)
                    ]
                },
            ]
        );
    }

    #[test]
    fn a_summary_without_title_or_parts_is_one_untitled_part() {
        let (title, parts) = parse("- [A](a.md)\n- [B](b.md)\n");
        assert_eq!(title, None);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].title, None);
        assert_eq!(parts[0].chapters.len(), 2);
    }
}
