//! Snippets: the sentence of a section with the most matched words, and which words match.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::slice::{self, floor_char_boundary};
use crate::sort;
use crate::text::{camel_parts, lang_of_stem_key, runs, stem_key, stem_of_key, tokenize, Lang};

/// A snippet shorter than this many bytes is widened by the next whole sentence.
const SNIPPET_CHARS: usize = 180;

/// The most bytes a snippet holds (before its `…` marks): a longer sentence is cut, at a word
/// boundary where it has spaces. Documented in the README.
pub const SNIPPET_MAX: usize = 320;

/// The span over which matches are counted to find the best passage.
const FOCUS: usize = SNIPPET_CHARS * 2 / 3;

/// How far before its best match a passage cut inside a long sentence starts.
const FOCUS_LEAD: usize = SNIPPET_CHARS / 3;

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

/// Where the best passage starts: the first match of the run of matches that packs the most
/// into [`FOCUS`] bytes (0 with no match).
fn densest(hits: &[(usize, usize)]) -> usize {
    let mut anchor = hits.first().map_or(0, |h| h.0);
    let mut best = 0;
    // Hits are sorted and do not overlap, so their ends grow with their starts: the end of
    // each window only moves forward (two pointers, not a count per hit over all later hits).
    let mut end = 0usize;
    for (i, &(a, _)) in hits.iter().enumerate() {
        let window_end = a.saturating_add(FOCUS);
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
    anchor
}

/// The sentence of `text` holding its best match, with the next (or, at the end of the text,
/// the previous) sentences while it is shorter than [`SNIPPET_CHARS`]; a sentence longer than
/// [`SNIPPET_MAX`] is cut at words (at characters in text without spaces) and marked `…`.
pub fn snippet(text: &str, matched: &Matched) -> Snippet {
    let hits = matched.ranges(text);
    let p = passage(text, densest(&hits));
    let prefix = if p.cut_start { "…" } else { "" };
    let suffix = if p.cut_end { "…" } else { "" };
    let body = slice::sub(text, p.start, p.end).trim_end();
    let shift = prefix.len();
    let body_end = p.start.saturating_add(body.len());
    // Kept highlights lie inside the body, so `a - start` cannot underflow.
    let highlights = hits
        .into_iter()
        .filter(|&(a, b)| a >= p.start && b <= body_end)
        .map(|(a, b)| {
            (
                a.saturating_sub(p.start).saturating_add(shift),
                b.saturating_sub(p.start).saturating_add(shift),
            )
        })
        .collect();
    Snippet {
        text: format!("{prefix}{body}{suffix}"),
        highlights,
    }
}

/// A passage of a text: byte range, and whether each end cuts a sentence.
#[derive(Debug, PartialEq, Eq)]
struct Passage {
    start: usize,
    end: usize,
    cut_start: bool,
    cut_end: bool,
}

/// The passage around `anchor`: its sentence, widened or cut (see [`snippet`]).
fn passage(text: &str, anchor: usize) -> Passage {
    let b = text.as_bytes();
    // A sentence starting more than SNIPPET_MAX before the anchor is cut anyway: the scans
    // stop there, so a long text without sentence ends costs no more than a short one.
    if let Some(start) = sentence_start(b, anchor, anchor.saturating_sub(SNIPPET_MAX)) {
        let limit = start.saturating_add(SNIPPET_MAX);
        if let Some(end) = sentence_end(b, anchor, limit) {
            let mut p = Passage {
                start,
                end,
                cut_start: false,
                cut_end: false,
            };
            widen(b, &mut p);
            return p;
        }
        if anchor.saturating_add(FOCUS) <= limit {
            return Passage {
                start,
                end: cut_after(text, start),
                cut_start: false,
                cut_end: true,
            };
        }
    }
    let start = cut_before(text, anchor);
    let end = sentence_end(b, anchor, start.saturating_add(SNIPPET_MAX));
    Passage {
        start,
        end: end.unwrap_or_else(|| cut_after(text, start)),
        cut_start: true,
        cut_end: end.is_none(),
    }
}

/// Adds whole sentences after (then, at the end of the text, before) `p` while it is shorter
/// than [`SNIPPET_CHARS`] and stays within [`SNIPPET_MAX`].
fn widen(b: &[u8], p: &mut Passage) {
    while p.end.saturating_sub(p.start) < SNIPPET_CHARS {
        let next = skip_space(b, p.end);
        if next >= b.len() {
            break;
        }
        match sentence_end(b, next, p.start.saturating_add(SNIPPET_MAX)) {
            Some(e) => p.end = e,
            None => return,
        }
    }
    while p.end.saturating_sub(p.start) < SNIPPET_CHARS && p.start > 0 {
        // The previous sentence ends where the space before this one begins.
        let prev_end = b
            .get(..p.start)
            .and_then(|h| h.iter().rposition(|c| !c.is_ascii_whitespace()))
            .map_or(0, |i| i.saturating_add(1));
        let lo = p.end.saturating_sub(SNIPPET_MAX);
        match sentence_start(b, prev_end.saturating_sub(1), lo) {
            Some(s) if s < p.start => p.start = s,
            _ => return,
        }
    }
}

/// Where the sentence holding byte `at` starts (after the space that follows the previous
/// sentence's end), or `None` when no sentence end lies in `lo..at` and `lo` is not the text's
/// start.
fn sentence_start(b: &[u8], at: usize, lo: usize) -> Option<usize> {
    let at = at.min(b.len());
    for i in (lo..at).rev() {
        if let Some((_, next)) = sentence_end_at(b, i) {
            if next <= at {
                return Some(skip_space(b, next).min(at));
            }
        }
    }
    (lo == 0).then(|| skip_space(b, 0).min(at))
}

/// The end of the sentence holding byte `from`: the byte after its terminator (or the text's
/// end), `None` when that is past `limit`.
fn sentence_end(b: &[u8], from: usize, limit: usize) -> Option<usize> {
    let stop = limit.min(b.len());
    for i in from..stop {
        if let Some((end, _)) = sentence_end_at(b, i) {
            return (end <= limit).then_some(end);
        }
    }
    (b.len() <= limit).then_some(b.len())
}

/// Whether a sentence ends at byte `i`: (its end, where the text after it resumes).
///
/// A sentence ends at `.`, `!` or `?` (and closing quotes or brackets after it) followed by
/// white space or the text's end, though not at a `.` followed by a lowercase word (`e.g. the`);
/// at `。`, `！` or `？` (with a closing `」` or `』`) whatever follows, CJK text having no
/// spaces; and at a line break, which ends a paragraph or list item in a section's text.
fn sentence_end_at(b: &[u8], i: usize) -> Option<(usize, usize)> {
    match b.get(i..)? {
        [b'\n', ..] => Some((i, i.saturating_add(1))),
        [t @ (b'.' | b'!' | b'?'), rest @ ..] => {
            let close = rest
                .iter()
                .take_while(|c| matches!(c, b'"' | b'\'' | b')' | b']'))
                .count();
            let end = i.saturating_add(1).saturating_add(close);
            let after = b.get(end..).unwrap_or(&[]);
            let spaced = after.first().is_none_or(u8::is_ascii_whitespace);
            let lower_next = *t == b'.'
                && after
                    .iter()
                    .find(|c| !c.is_ascii_whitespace())
                    .is_some_and(u8::is_ascii_lowercase);
            (spaced && !lower_next).then_some((end, end))
        }
        // 。 ！ ？ as UTF-8.
        [0xE3, 0x80, 0x82, rest @ ..] | [0xEF, 0xBC, 0x81 | 0x9F, rest @ ..] => {
            // 」 and 』 are E3 80 8D and E3 80 8F.
            let close = match rest {
                [0xE3, 0x80, 0x8D | 0x8F, ..] => 3,
                _ => 0,
            };
            let end = i.saturating_add(3).saturating_add(close);
            Some((end, end))
        }
        _ => None,
    }
}

/// The first byte at or after `i` that is not ASCII white space.
fn skip_space(b: &[u8], i: usize) -> usize {
    let tail = b.get(i..).unwrap_or(&[]);
    let n = tail.iter().take_while(|c| c.is_ascii_whitespace()).count();
    i.saturating_add(n)
}

/// Where a passage cut inside a sentence starts: a word start a little before `anchor` (a
/// character, in text without spaces).
fn cut_before(text: &str, anchor: usize) -> usize {
    let back = floor_char_boundary(text, anchor.saturating_sub(FOCUS_LEAD));
    let lead = slice::sub(text, back, anchor);
    lead.split_once(char::is_whitespace)
        .map_or(back, |(_, rest)| anchor.saturating_sub(rest.len()))
}

/// Where a passage cut inside a sentence ends: the last word end within [`SNIPPET_MAX`] of
/// `start`, or a character boundary when the text has no space in the window's second half.
fn cut_after(text: &str, start: usize) -> usize {
    let limit = floor_char_boundary(text, start.saturating_add(SNIPPET_MAX));
    match slice::sub(text, start, limit).rfind(char::is_whitespace) {
        Some(k) if k >= SNIPPET_MAX / 2 => start.saturating_add(k),
        _ => limit,
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

    fn matching(term: &str) -> Matched {
        Matched {
            terms: [term.to_string()].into(),
            ..Matched::default()
        }
    }

    /// The highlighted words of a snippet.
    fn marked(sn: &Snippet) -> Vec<&str> {
        sn.highlights
            .iter()
            .map(|&(a, b)| sn.text.get(a..b).unwrap_or("<not a char range>"))
            .collect()
    }

    #[test]
    fn an_english_snippet_is_the_matching_sentence_and_the_next_while_short() {
        let text = "Deploys run every morning from the main branch. \
            The ledger service, e.g. the part that books refunds, writes one row per payment. \
            It keeps every row for seven years, in a table that nothing else writes to. \
            Reports read that table once a night and mail the totals to finance. \
            Backups are nightly and kept for a month.";
        let sn = snippet(text, &matching("ledger"));
        // 81 + 76 bytes is under SNIPPET_CHARS, so the third sentence is added, not the fourth.
        assert_eq!(
            sn.text,
            "The ledger service, e.g. the part that books refunds, writes one row per payment. \
             It keeps every row for seven years, in a table that nothing else writes to. \
             Reports read that table once a night and mail the totals to finance."
        );
        assert_eq!(marked(&sn), ["ledger"]);
    }

    #[test]
    fn a_cjk_snippet_is_cut_at_the_ideographic_full_stop() {
        let text = "本文介绍部署流程。缓存服务在每次发布后自动清空，因此第一次请求会比较慢！\
            如果需要保留缓存，请在配置里关闭这个选项？其他服务不受影响。\
            日志保存三十天，之后自动删除。监控面板每分钟刷新一次。";
        let sn = snippet(text, &matching("缓存"));
        assert_eq!(
            sn.text,
            "缓存服务在每次发布后自动清空，因此第一次请求会比较慢！\
             如果需要保留缓存，请在配置里关闭这个选项？其他服务不受影响。\
             日志保存三十天，之后自动删除。"
        );
        assert_eq!(marked(&sn), ["缓存", "缓存"]);
    }

    #[test]
    fn a_very_long_sentence_is_cut_at_words_around_the_match() {
        let text = "alpha ".repeat(80) + "needle " + &"omega ".repeat(80) + "end.";
        let sn = snippet(&text, &matching("needle"));
        assert!(
            sn.text.starts_with("…alpha ") && sn.text.ends_with(" omega…"),
            "{}",
            sn.text
        );
        let body = sn.text.trim_matches('…');
        assert!(
            body.len() <= SNIPPET_MAX && body.len() > SNIPPET_MAX / 2,
            "{}",
            body.len()
        );
        assert!(body
            .split(' ')
            .all(|w| ["alpha", "needle", "omega"].contains(&w)));
        assert_eq!(marked(&sn), ["needle"]);
    }

    #[test]
    fn a_very_long_cjk_sentence_without_spaces_is_cut_at_characters() {
        let text = "数据".repeat(100) + "缓存" + &"服务".repeat(100) + "。";
        let sn = snippet(&text, &matching("缓存"));
        let body = sn.text.trim_matches('…');
        assert!(
            sn.text.starts_with('…') && sn.text.ends_with('…'),
            "{}",
            sn.text
        );
        assert!(
            body.len() <= SNIPPET_MAX && body.len() > SNIPPET_MAX / 2,
            "{}",
            body.len()
        );
        assert_eq!(marked(&sn), ["缓存"]);
    }

    #[test]
    fn matches_at_the_start_or_the_end_keep_their_sentence_whole() {
        let text = "Needle first. ".to_string()
            + &"Filler sentence without the word. ".repeat(20)
            + "Some context before the end. The last one says needle.";
        let first = snippet(&text, &matching("needle"));
        assert!(
            first.text.starts_with("Needle first. Filler"),
            "{}",
            first.text
        );
        assert!(
            !first.text.contains('…') && first.text.ends_with('.'),
            "{}",
            first.text
        );
        let text = "Filler sentence without the word. ".repeat(20)
            + "Some context before the end. The last one says needle.";
        let last = snippet(&text, &matching("needle"));
        // The last sentence is short: the ones before it are added, never a cut.
        assert!(
            last.text.ends_with("The last one says needle."),
            "{}",
            last.text
        );
        assert!(last.text.len() >= SNIPPET_CHARS && last.text.len() <= SNIPPET_MAX);
        assert!(
            !last.text.contains('…') && last.text.starts_with("Filler"),
            "{}",
            last.text
        );
        assert_eq!(marked(&last), ["needle"]);
    }

    #[test]
    fn list_items_and_paragraphs_are_sentences_of_their_own() {
        // A section's text ends each paragraph and list item with a line break.
        let long = "word ".repeat(64);
        let text = format!("{long}\nRun the ledger tests\n{long}\n");
        let sn = snippet(&text, &matching("ledger"));
        assert_eq!(sn.text, "Run the ledger tests");
    }

    #[test]
    fn multibyte_text_is_never_split_whatever_the_offsets() {
        // Every anchor (a match starts on a character) gives a passage on char boundaries.
        let text = "Ünïcödé wörds. 日本語の文。Ελληνικά λόγια! Кириллица здесь? ".repeat(12);
        for anchor in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let p = passage(&text, anchor);
            assert!(
                text.is_char_boundary(p.start) && text.is_char_boundary(p.end),
                "{anchor}"
            );
            assert!(p.start <= p.end);
        }
    }
}
