//! Snippets: the passage of a section with the most matched words, and which words match.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::slice::{self, floor_char_boundary};
use crate::sort;
use crate::text::{camel_parts, lang_of_stem_key, runs, stem_key, stem_of_key, tokenize, Lang};

/// Snippets are cut to about this many bytes.
const SNIPPET_CHARS: usize = 180;

/// Plain text (never HTML) with the byte ranges of matched words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Snippet {
    /// The passage, with `…` where it was cut.
    pub text: String,
    /// Byte ranges in `text` to highlight.
    pub highlights: Vec<(usize, usize)>,
}

/// The dictionary terms a query matched: words (folded) and stems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Matched {
    /// Folded surface terms (including prefix and typo expansions).
    pub terms: BTreeSet<String>,
    /// Stem keys.
    pub stems: BTreeSet<String>,
}

impl Matched {
    /// Whether a folded term from some text is one of the matches.
    pub fn is_match(&self, term: &str) -> bool {
        Matcher::new(self).is_match(term)
    }

    /// Byte ranges of the matching words in `text`.
    pub fn ranges(&self, text: &str) -> Vec<(usize, usize)> {
        // Built once per text: a long section has thousands of words to test.
        let mut m = Matcher::new(self);
        let mut out: Vec<(usize, usize)> = Vec::new();
        let mut buf = String::new();
        for (start, end, cjk) in runs(text) {
            let word = slice::sub(text, start, end);
            if !cjk && word.is_ascii() {
                let camel = word.bytes().skip(1).any(|b| b.is_ascii_uppercase());
                if !camel && !m.starts.may_start(word.as_bytes()) {
                    // Most words: no term or stem starts the way they do.
                    continue;
                }
                // The common case, without the tokenizer's allocations: fold in a reused buffer.
                buf.clear();
                buf.push_str(word);
                buf.make_ascii_lowercase();
                if m.is_match(&buf) {
                    out.push((start, end));
                } else if camel {
                    for (a, b) in camel_parts(word) {
                        buf.clear();
                        buf.push_str(slice::sub(word, a, b));
                        buf.make_ascii_lowercase();
                        if m.is_match(&buf) {
                            out.push((start.saturating_add(a), start.saturating_add(b)));
                        }
                    }
                }
                continue;
            }
            for t in tokenize(word) {
                if m.is_match(&t.term) {
                    out.push((start.saturating_add(t.start), start.saturating_add(t.end)));
                }
            }
        }
        sort::sort_unstable_by(&mut out, &mut |a, b| a.cmp(b));
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

/// [`Matched`] prepared for testing many words: what each test needs is worked out once.
struct Matcher<'m> {
    matched: &'m Matched,
    /// A bit per (length, first byte, last byte) of the matched terms: most words of a text
    /// differ from every term there and are rejected without a lookup.
    terms_filter: [u64; 64],
    /// The matched terms in an open-addressing table (FNV-1a, linear probing, at most half
    /// full): a word that passes the filter is confirmed with one comparison, not a walk down
    /// a tree of strings (short query words such as `in` pass it on every line).
    terms: Vec<Option<&'m str>>,
    /// The first three characters of each matched stem: a word can only share a stem when it
    /// starts like it (stemming is the slow part).
    stem_heads: Vec<&'m str>,
    /// How the stem heads start, so that most words are rejected without comparing them to
    /// every head.
    head_starts: Starts,
    /// The languages of the matched stems: a word is stemmed only in these (the German
    /// stemmer on an English-only query was a tenth of a snippet's time).
    stem_langs: Vec<Lang>,
    /// How the matched terms and stems start: a word of a text is folded and looked up only
    /// when it starts like one of them.
    starts: Starts,
    /// Words recently stemmed, and whether they matched (a section repeats its words): a
    /// small direct-mapped cache, one slot per hash, a newer word replacing an older one.
    stemmed: Vec<Option<(String, bool)>>,
}

/// Slots in [`Matcher::stemmed`].
const STEM_CACHE: usize = 256;

impl<'m> Matcher<'m> {
    fn new(matched: &'m Matched) -> Self {
        let mut terms_filter = [0u64; 64];
        for t in &matched.terms {
            let (word, bit) = filter_bit(t);
            if let Some(w) = terms_filter.get_mut(word) {
                *w |= bit;
            }
        }
        let slots = matched
            .terms
            .len()
            .saturating_mul(2)
            .max(8)
            .checked_next_power_of_two()
            .unwrap_or(usize::MAX);
        let mut terms: Vec<Option<&'m str>> = vec![None; slots];
        for t in &matched.terms {
            let mut i = usize::try_from(fnv(t)).unwrap_or(0);
            for _ in 0..slots {
                i &= slots.saturating_sub(1);
                match terms.get_mut(i) {
                    Some(slot @ None) => {
                        *slot = Some(t.as_str());
                        break;
                    }
                    Some(Some(_)) => i = i.wrapping_add(1),
                    None => break,
                }
            }
        }
        let stem_heads = matched
            .stems
            .iter()
            .map(|k| {
                let stem = stem_of_key(k).unwrap_or("");
                stem.char_indices()
                    .nth(3)
                    .map_or(stem, |(i, _)| slice::head(stem, i))
            })
            .collect::<Vec<&str>>();
        let mut head_starts = Starts::default();
        for h in &stem_heads {
            head_starts.add(h.as_bytes());
        }
        let mut starts = Starts::default();
        for t in matched
            .terms
            .iter()
            .map(String::as_str)
            .chain(stem_heads.iter().copied())
        {
            starts.add(t.as_bytes());
        }
        let stem_langs = [Lang::En, Lang::De]
            .into_iter()
            .filter(|&l| matched.stems.iter().any(|k| lang_of_stem_key(k) == Some(l)))
            .collect();
        Self {
            matched,
            terms_filter,
            terms,
            stem_heads,
            head_starts,
            stem_langs,
            starts,
            stemmed: Vec::new(),
        }
    }

    fn has_term(&self, term: &str) -> bool {
        let mask = self.terms.len().saturating_sub(1);
        let mut i = usize::try_from(fnv(term)).unwrap_or(0);
        for _ in 0..self.terms.len() {
            i &= mask;
            match self.terms.get(i) {
                Some(Some(t)) if *t == term => return true,
                Some(Some(_)) => i = i.wrapping_add(1),
                _ => return false,
            }
        }
        false
    }

    fn is_match(&mut self, term: &str) -> bool {
        let (word, bit) = filter_bit(term);
        let maybe_term = self.terms_filter.get(word).is_some_and(|w| w & bit != 0);
        if maybe_term && self.has_term(term) {
            return true;
        }
        if !self.head_starts.may_start(term.as_bytes()) {
            return false;
        }
        // Byte by byte: the heads are at most three characters, and `starts_with` calls memcmp
        // for each (9% of the slowest queries' time with a dozen stems).
        let starts_like =
            |h: &&str| h.len() <= term.len() && h.bytes().zip(term.bytes()).all(|(a, b)| a == b);
        if !self.stem_heads.iter().any(starts_like) {
            return false;
        }
        if self.stemmed.is_empty() {
            self.stemmed.resize(STEM_CACHE, None);
        }
        let slot = usize::try_from(fnv(term)).unwrap_or(0) % STEM_CACHE;
        if let Some(Some((word, known))) = self.stemmed.get(slot) {
            if word == term {
                return *known;
            }
        }
        let stems = &self.matched.stems;
        let hit = self
            .stem_langs
            .iter()
            .filter_map(|&l| stem_key(term, l))
            .any(|k| stems.contains(&k));
        if let Some(s) = self.stemmed.get_mut(slot) {
            *s = Some((term.to_string(), hit));
        }
        hit
    }
}

/// The first one or two bytes of a set of folded terms, as bits.
#[derive(Default)]
struct Starts {
    /// Terms of two bytes or more, by [`pair_slot`] of their first two bytes.
    pairs: [u64; 16],
    /// One-byte terms, by their byte.
    firsts: [u64; 4],
    /// An empty term: every word may start like it.
    all: bool,
}

impl Starts {
    fn add(&mut self, term: &[u8]) {
        let bits = match term {
            [] => {
                self.all = true;
                return;
            }
            [b] => (self.firsts.get_mut(usize::from(b >> 6)), 1u64 << (b & 63)),
            [a, b, ..] => {
                let (word, bit) = pair_slot(*a, *b);
                (self.pairs.get_mut(word), bit)
            }
        };
        if let (Some(w), bit) = bits {
            *w |= bit;
        }
    }

    /// Whether an ASCII word may fold to a word starting like one of the terms.
    fn may_start(&self, word: &[u8]) -> bool {
        let Some(&a) = word.first() else {
            return self.all;
        };
        let a = a.to_ascii_lowercase();
        let first = self
            .firsts
            .get(usize::from(a >> 6))
            .is_some_and(|w| w & (1u64 << (a & 63)) != 0);
        let pair = word.get(1).is_some_and(|&b| {
            let (word, bit) = pair_slot(a, b.to_ascii_lowercase());
            self.pairs.get(word).is_some_and(|w| w & bit != 0)
        });
        self.all || first || pair
    }
}

/// FNV-1a of `term`, for [`Matcher::stemmed`] and [`Matcher::terms`].
fn fnv(term: &str) -> u64 {
    term.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A bit among 1,024 for two bytes: (word, bit).
fn pair_slot(a: u8, b: u8) -> (usize, u64) {
    let pair = u32::from(a) << 8 | u32::from(b);
    let slot = pair.wrapping_mul(0x9E37_79B9).wrapping_shr(22) & 1023;
    (
        usize::try_from(slot.wrapping_shr(6)).unwrap_or(0),
        1u64.wrapping_shl(slot & 63),
    )
}

/// Where `term` sits in [`Matcher::terms_filter`]: (word, bit).
fn filter_bit(term: &str) -> (usize, u64) {
    let b = term.as_bytes();
    let first = u32::from(b.first().copied().unwrap_or(0));
    let last = u32::from(b.last().copied().unwrap_or(0));
    let len = u32::try_from(b.len()).unwrap_or(u32::MAX);
    let h = len
        .wrapping_mul(0x9E37_79B9)
        .wrapping_add(first.wrapping_mul(0x85EB_CA6B))
        .wrapping_add(last.wrapping_mul(0xC2B2_AE35));
    let slot = h.wrapping_shr(20) & 4095;
    (
        usize::try_from(slot.wrapping_shr(6)).unwrap_or(0),
        1u64.wrapping_shl(slot & 63),
    )
}

/// The passage of `text` with the most matched words, cut at word (or sentence) boundaries.
pub fn snippet(text: &str, matched: &Matched) -> Snippet {
    let hits = matched.ranges(text);
    // The window start (a match) that covers the most matches within SNIPPET_CHARS.
    let mut anchor = hits.first().map_or(0, |h| h.0);
    let mut best = 0;
    // Hits are sorted and do not overlap, so their ends grow with their starts: the end of
    // each window only moves forward (two pointers, not a count per hit over all later hits).
    let mut end = 0usize;
    for (i, &(a, _)) in hits.iter().enumerate() {
        let window_end = a.saturating_add(SNIPPET_CHARS * 2 / 3);
        end = end.max(i);
        while hits.get(end).is_some_and(|h| h.1 <= window_end) {
            end = end.saturating_add(1);
        }
        let n = end.saturating_sub(i);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_table_finds_every_term_and_nothing_else() {
        let mut matched = Matched::default();
        for i in 0..100 {
            matched.terms.insert(format!("t{i}"));
        }
        let mut m = Matcher::new(&matched);
        assert!((0..100).all(|i| m.is_match(&format!("t{i}"))));
        assert!(!(100..300).any(|i| m.is_match(&format!("t{i}"))));
        assert!(!Matcher::new(&Matched::default()).is_match("t1"));
    }
}
