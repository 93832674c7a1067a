//! Tracks from "Reading order" sections: each list of links in such a section (or in its
//! sub-sections) is a track, titled by the sub-heading it sits under or the sentence before it.
//!
//! Broken links in these lists are already errors of the link check (`broken link`), at the
//! entry's line; the list keeps its other pages.

use docatlas_core::tracks::Source;

use super::{Draft, DraftItem, Inputs};
use crate::corpus::links::Resolved;
use crate::corpus::markdown::ListItem;

/// A lead paragraph longer than this is a paragraph, not a title: its last sentence is used.
const TITLE_CHARS: usize = 90;

pub(super) fn tracks(inputs: &Inputs<'_>) -> Vec<Draft> {
    let corpus = inputs.corpus;
    let mut out = Vec::new();
    for page in corpus.included.values() {
        let a = &page.analysis;
        let page_title = inputs
            .doc(&page.path)
            .map_or_else(|| page.path.clone(), |d| d.title.clone());
        for (start, end) in reading_order_scopes(a) {
            let mut untitled = 0usize;
            let mut titled_sections = Vec::new();
            for list in a.lists.iter().filter(|l| (start..end).contains(&l.section)) {
                let items: Vec<DraftItem> = list
                    .items
                    .iter()
                    .filter_map(|item| {
                        let link = item.link.as_ref()?;
                        match corpus.resolve(&page.path, &link.dest, false) {
                            Resolved::Page { path, .. } => Some(DraftItem {
                                path: path.to_string(),
                                title: None,
                                depth: item.depth,
                                note: note(item),
                            }),
                            _ => None,
                        }
                    })
                    .collect();
                if items.is_empty() {
                    continue;
                }
                // The first list of a sub-section takes the sub-heading's name.
                let sub_heading = (list.section != start
                    && !titled_sections.contains(&list.section))
                .then(|| a.sections.get(list.section))
                .flatten()
                .map(|s| s.heading.clone())
                .filter(|h| !h.is_empty());
                titled_sections.push(list.section);
                let title = sub_heading
                    .or_else(|| list.lead.as_deref().and_then(title_from_sentence))
                    .unwrap_or_else(|| {
                        untitled = untitled.saturating_add(1);
                        if untitled == 1 {
                            page_title.clone()
                        } else {
                            format!("{page_title}, part {untitled}")
                        }
                    });
                out.push(Draft {
                    title,
                    source: Source::ReadingOrder,
                    origin: page.path.clone(),
                    items,
                });
            }
        }
    }
    out
}

/// Ranges of section indices that are "Reading order" sections with their sub-sections.
fn reading_order_scopes(a: &crate::corpus::markdown::Analysis) -> Vec<(usize, usize)> {
    let mut scopes = Vec::new();
    for (i, s) in a.sections.iter().enumerate() {
        if s.anchor.is_none() || !s.heading.to_lowercase().contains("reading order") {
            continue;
        }
        let end = a
            .sections
            .iter()
            .enumerate()
            .skip(i.saturating_add(1))
            .find(|(_, t)| t.level <= s.level)
            .map_or(a.sections.len(), |(j, _)| j);
        // A nested "Reading order" heading is already inside an outer scope.
        if !scopes.iter().any(|&(a, b)| (a..b).contains(&i)) {
            scopes.push((i, end));
        }
    }
    scopes
}

/// "Short on time? Read these first:" → "Short on time? Read these first"; a long paragraph
/// gives its last sentence.
fn title_from_sentence(lead: &str) -> Option<String> {
    let lead = lead.trim();
    let sentence = if lead.chars().count() <= TITLE_CHARS {
        lead
    } else {
        let trimmed = lead.trim_end_matches([':', '.', ' ']);
        trimmed
            .rmatch_indices([':', '.', '?', '!'])
            .map(|(i, m)| i.saturating_add(m.len()))
            .find_map(|i| trimmed.get(i..).filter(|rest| rest.starts_with(' ')))
            .unwrap_or(trimmed)
    };
    let title = sentence
        .trim()
        .trim_end_matches([':', '.', '…', ' '])
        .trim();
    (!title.is_empty()).then(|| title.to_string())
}

/// What the list says about the page after its link: `[Stack](stack.md): what we run` →
/// `what we run`.
fn note(item: &ListItem) -> String {
    let rest = item
        .text
        .strip_prefix(item.link_text.as_str())
        .filter(|_| !item.link_text.is_empty())
        .unwrap_or(&item.text);
    rest.trim_start_matches([':', '—', '–', '-', ',', ' '])
        .trim()
        .to_string()
}

/// For tests: the lists of a page body under its reading order.
#[cfg(test)]
fn lists(body: &str) -> Vec<crate::corpus::markdown::LinkList> {
    crate::corpus::markdown::analyze(body).lists
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_the_sentence_before_the_list() {
        assert_eq!(
            title_from_sentence("Short on time? Read these first:").as_deref(),
            Some("Short on time? Read these first")
        );
        assert_eq!(
            title_from_sentence("For deep-dive readers, continue with:").as_deref(),
            Some("For deep-dive readers, continue with")
        );
        let long = "This track is long and has several sentences that explain a great deal. For the rest, continue with:";
        assert_eq!(
            title_from_sentence(long).as_deref(),
            Some("For the rest, continue with")
        );
        assert_eq!(title_from_sentence(" : "), None);
    }

    #[test]
    fn notes_are_the_text_after_the_link() {
        let l = lists("1. [Stack](s.md): what we run.\n2. [stack.md](s.md) — versions\n3. Read [API](a.md) first\n");
        let notes: Vec<String> = l[0].items.iter().map(note).collect();
        assert_eq!(notes, ["what we run.", "versions", "Read API first"]);
    }

    #[test]
    fn scopes_cover_sub_sections_until_the_next_heading_of_the_same_level() {
        let a = crate::corpus::markdown::analyze(
            "# T\n\n## Reading Order\n\n### Core\n\n### Deep\n\n## Other\n\n### x\n",
        );
        assert_eq!(reading_order_scopes(&a), [(2, 5)]);
    }
}
