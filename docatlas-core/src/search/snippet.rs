//! Snippets: the passage of a section with the most matched words, and which words match.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::slice::{self, floor_char_boundary};
use crate::text::{camel_parts, runs, stem_key, stem_of_key, tokenize, Lang};

/// Snippets are cut to about this many bytes.
const SNIPPET_CHARS: usize = 180;

/// Plain text (never HTML) with the byte ranges of matched words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Snippet {
    /// The passage, with `…` where it was cut.
    pub text: String,
    /// Byte ranges in `text` to highlight.
    pub highlights: Vec<(usize, usize)>,
}

/// The dictionary terms a query matched: words (folded) and stems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Matched {
    /// Folded surface terms (including prefix and typo expansions).
    pub terms: BTreeSet<String>,
    /// Stem keys.
    pub stems: BTreeSet<String>,
}

impl Matched {
    /// Whether a folded term from some text is one of the matches.
    pub fn is_match(&self, term: &str) -> bool {
        if self.terms.contains(term) {
            return true;
        }
        // Stemming every word of a long section is the slow part of a snippet; a word can only
        // share a stem when it starts like it, so check that first.
        let could = self.stems.iter().any(|k| {
            let stem = stem_of_key(k).unwrap_or("");
            let head = stem
                .char_indices()
                .nth(3)
                .map_or(stem, |(i, _)| slice::head(stem, i));
            term.starts_with(head)
        });
        could
            && [Lang::En, Lang::De]
                .into_iter()
                .filter_map(|l| stem_key(term, l))
                .any(|k| self.stems.contains(&k))
    }

    /// Byte ranges of the matching words in `text`.
    pub fn ranges(&self, text: &str) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        let mut buf = String::new();
        for (start, end, cjk) in runs(text) {
            let word = slice::sub(text, start, end);
            if !cjk && word.is_ascii() {
                // The common case, without the tokenizer's allocations: fold in a reused buffer.
                buf.clear();
                buf.push_str(word);
                buf.make_ascii_lowercase();
                if self.is_match(&buf) {
                    out.push((start, end));
                } else if word.bytes().skip(1).any(|b| b.is_ascii_uppercase()) {
                    for (a, b) in camel_parts(word) {
                        buf.clear();
                        buf.push_str(slice::sub(word, a, b));
                        buf.make_ascii_lowercase();
                        if self.is_match(&buf) {
                            out.push((start.saturating_add(a), start.saturating_add(b)));
                        }
                    }
                }
                continue;
            }
            for t in tokenize(word) {
                if self.is_match(&t.term) {
                    out.push((start.saturating_add(t.start), start.saturating_add(t.end)));
                }
            }
        }
        out.sort_unstable();
        // Parts (camelCase, umlaut spellings) overlap their word: keep the outermost.
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(out.len());
        for (a, b) in out {
            match merged.last_mut() {
                Some(last) if a < last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        merged
    }
}

/// The passage of `text` with the most matched words, cut at word (or sentence) boundaries.
pub fn snippet(text: &str, matched: &Matched) -> Snippet {
    let hits = matched.ranges(text);
    // The window start (a match) that covers the most matches within SNIPPET_CHARS.
    let mut anchor = hits.first().map_or(0, |h| h.0);
    let mut best = 0;
    for (i, &(a, _)) in hits.iter().enumerate() {
        let window_end = a.saturating_add(SNIPPET_CHARS * 2 / 3);
        let n = hits
            .iter()
            .skip(i)
            .take_while(|h| h.1 <= window_end)
            .count();
        if n > best {
            best = n;
            anchor = a;
        }
    }
    // Start a little before the first match: at a sentence start if one is near, else a word.
    let back = floor_char_boundary(text, anchor.saturating_sub(SNIPPET_CHARS / 3));
    let mut start = back;
    if start > 0 {
        let lead = slice::sub(text, start, anchor);
        // `. ` and whitespace are ASCII, so one byte past them is still a char boundary.
        start = match lead.rfind(". ") {
            Some(k) => start.saturating_add(k).saturating_add(2),
            None => lead
                .find(char::is_whitespace)
                .map_or(anchor, |k| start.saturating_add(k).saturating_add(1)),
        };
    }
    let mut end = floor_char_boundary(text, start.saturating_add(SNIPPET_CHARS));
    if end < text.len() {
        end = slice::sub(text, start, end)
            .rfind(char::is_whitespace)
            .map_or(end, |k| start.saturating_add(k));
    }
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < text.len() { "…" } else { "" };
    let body = slice::sub(text, start, end).trim_end();
    let shift = prefix.len();
    let body_end = start.saturating_add(body.len());
    // Kept highlights lie inside the body, so `a - start` cannot underflow.
    let highlights = hits
        .into_iter()
        .filter(|&(a, b)| a >= start && b <= body_end)
        .map(|(a, b)| {
            (
                a.saturating_sub(start).saturating_add(shift),
                b.saturating_sub(start).saturating_add(shift),
            )
        })
        .collect();
    Snippet {
        text: format!("{prefix}{body}{suffix}"),
        highlights,
    }
}
