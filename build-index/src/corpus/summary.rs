//! mdBook's `SUMMARY.md`: its parts and chapters as written (the reading tracks' source), and
//! the chapter names, which title pages that have no title of their own.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::links::Resolved;
use super::Corpus;

/// A chapter link as the summary writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chapter {
    pub dest: String,
    pub name: String,
    pub depth: u8,
}

/// A part of the book: its title (none for chapters before the first part) and chapters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Part {
    pub title: Option<String>,
    pub chapters: Vec<Chapter>,
}

/// The book's title line (if the summary starts with a heading) and its parts.
pub(crate) fn parse(body: &str) -> (Option<String>, Vec<Part>) {
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

/// Whether a page is mdBook's table of contents.
pub(crate) fn is_summary(path: &str) -> bool {
    path.rsplit('/').next() == Some("SUMMARY.md")
}

/// The name each `SUMMARY.md` gives the pages it lists (the first name, if a page is listed
/// twice).
pub(crate) fn chapter_names<'a>(corpus: &Corpus<'a>) -> BTreeMap<&'a str, String> {
    let mut out = BTreeMap::new();
    for (path, page) in corpus.all.iter().filter(|(p, _)| is_summary(p)) {
        let (_, parts) = parse(page.body());
        for c in parts.iter().flat_map(|p| &p.chapters) {
            if let Resolved::Page { path: target, .. } = corpus.resolve(path, &c.dest, false) {
                if target != *path && !c.name.trim().is_empty() {
                    out.entry(target).or_insert_with(|| c.name.clone());
                }
            }
        }
    }
    out
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
