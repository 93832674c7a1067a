//! Query evaluation: BM25 over sections, exact > prefix > typo matches, one hit per page.
//!
//! The browser app and `build-index search` both call [`SearchIndex::search`]; nothing here
//! knows where the bundle came from.

use std::collections::{BTreeMap, BTreeSet};

use fst::automaton::{Levenshtein, Str};
use fst::{Automaton, IntoStreamer, Map, Streamer};
use serde::Serialize;

use crate::index::{read_postings, IndexData};
use crate::model::Doc;
use crate::text::{normalize, tokenize};

const K1: f32 = 1.2;
const B: f32 = 0.75;
/// How much a prefix expansion of the last query term counts, relative to an exact match.
const PREFIX_FACTOR: f32 = 0.6;
/// How much a typo-corrected term counts, relative to an exact match.
const TYPO_FACTOR: f32 = 0.4;
const MAX_EXPANSIONS: usize = 40;
const SNIPPET_CHARS: usize = 180;

/// A search index ready to answer queries.
pub struct SearchIndex {
    map: Map<Vec<u8>>,
    postings: Vec<u8>,
    section_lens: Vec<u32>,
    /// Global section number → (doc index, section index in that doc).
    section_doc: Vec<(u32, u32)>,
    avg_len: f32,
}

/// The answer to one query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// How many pages matched (hits may be fewer, cut at the limit).
    pub total: usize,
    /// Best pages first.
    pub hits: Vec<Hit>,
    /// Query terms that matched only through typo correction, with what they matched.
    pub corrected: Vec<(String, String)>,
}

/// One page that matched, at its best section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Index into the bundle's docs.
    pub doc: usize,
    /// Index into that doc's sections.
    pub section: usize,
    /// Relevance; only comparable within one query.
    pub score: f32,
    /// A short passage of the section around the matched words.
    pub snippet: Snippet,
}

/// Plain text (never HTML) with the byte ranges of matched words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Snippet {
    /// The passage, with `…` where it was cut.
    pub text: String,
    /// Byte ranges in `text` to highlight.
    pub highlights: Vec<(usize, usize)>,
}

/// The public JSON shape of search results (`build-index search --json` and the app's
/// `search_json`): users' scripts parse it, so fields are only ever added.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The query as given.
    pub query: String,
    /// How many pages matched.
    pub total: usize,
    /// Best first.
    pub hits: Vec<ReportHit>,
}

/// One hit in a [`Report`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportHit {
    /// Docs-relative path of the page.
    pub doc: String,
    /// Heading id of the section, or `None` for the text before the first heading.
    pub anchor: Option<String>,
    /// Page title.
    pub title: String,
    /// Relevance, rounded to 3 decimals; only comparable within one query.
    pub score: f64,
    /// Plain-text passage around the matched words.
    pub snippet: String,
}

impl SearchResults {
    /// The results in their public JSON shape.
    pub fn report(&self, docs: &[Doc]) -> Report {
        let hits = self
            .hits
            .iter()
            .filter_map(|h| {
                let doc = docs.get(h.doc)?;
                Some(ReportHit {
                    doc: doc.path.clone(),
                    anchor: doc.sections.get(h.section)?.anchor.clone(),
                    title: doc.title.clone(),
                    score: (f64::from(h.score) * 1000.0).round() / 1000.0,
                    snippet: h.snippet.text.clone(),
                })
            })
            .collect();
        Report {
            query: self.query.clone(),
            total: self.total,
            hits,
        }
    }
}

impl SearchIndex {
    /// Opens an index over `docs`. Fails when the index does not fit the docs (a corrupt bundle).
    pub fn new(index: IndexData, docs: &[Doc]) -> Result<Self, String> {
        index.validate(docs)?;
        let map = Map::new(index.terms).map_err(|e| e.to_string())?;
        let section_doc: Vec<(u32, u32)> = docs
            .iter()
            .enumerate()
            .flat_map(|(d, doc)| (0..doc.sections.len()).map(move |s| (d as u32, s as u32)))
            .collect();
        let total: u64 = index.section_lens.iter().map(|&l| u64::from(l)).sum();
        let avg_len = if section_doc.is_empty() {
            1.0
        } else {
            (total as f32 / section_doc.len() as f32).max(1.0)
        };
        Ok(Self {
            map,
            postings: index.postings,
            section_lens: index.section_lens,
            section_doc,
            avg_len,
        })
    }

    /// Number of distinct terms in the dictionary.
    pub fn term_count(&self) -> usize {
        self.map.len()
    }

    /// Runs `query` and returns up to `limit` pages, best first.
    pub fn search(&self, docs: &[Doc], query: &str, limit: usize) -> SearchResults {
        let mut words: Vec<String> = Vec::new();
        for t in tokenize(query) {
            if !words.contains(&t.term) {
                words.push(t.term);
            }
        }
        let words: Vec<String> = words.into_iter().take(64).collect();
        // Search-as-you-type: the last word may be unfinished unless the query ends in a space.
        let last_is_prefix = !query.ends_with(char::is_whitespace);
        let n_sections = self.section_doc.len() as f32;

        let mut scores: BTreeMap<u32, (f32, u64)> = BTreeMap::new();
        let mut matched_terms: BTreeSet<String> = BTreeSet::new();
        let mut corrected = Vec::new();
        for (i, word) in words.iter().enumerate() {
            let mut expansions: Vec<(String, u64, f32)> = Vec::new();
            if let Some(off) = self.map.get(word) {
                expansions.push((word.clone(), off, 1.0));
            }
            if i + 1 == words.len() && last_is_prefix {
                let mut stream = self.map.search(Str::new(word).starts_with()).into_stream();
                while let Some((term, off)) = stream.next() {
                    if term != word.as_bytes() {
                        expansions.push((
                            String::from_utf8_lossy(term).into_owned(),
                            off,
                            PREFIX_FACTOR,
                        ));
                    }
                    if expansions.len() >= MAX_EXPANSIONS {
                        break;
                    }
                }
            }
            let chars = word.chars().count();
            if expansions.is_empty() && chars >= 4 {
                let distance = if chars >= 8 { 2 } else { 1 };
                if let Ok(lev) = Levenshtein::new(word, distance) {
                    let mut stream = self.map.search(lev).into_stream();
                    while let Some((term, off)) = stream.next() {
                        expansions.push((
                            String::from_utf8_lossy(term).into_owned(),
                            off,
                            TYPO_FACTOR,
                        ));
                        if expansions.len() >= MAX_EXPANSIONS {
                            break;
                        }
                    }
                }
                if let Some((best, _, _)) = expansions.first() {
                    corrected.push((word.clone(), best.clone()));
                }
            }
            for (term, off, factor) in expansions {
                let list = read_postings(&self.postings, off as usize);
                if list.is_empty() {
                    continue;
                }
                matched_terms.insert(term);
                let df = list.len() as f32;
                let idf = ((n_sections - df + 0.5) / (df + 0.5) + 1.0).ln();
                for (section, f) in list {
                    let Some(&len) = self.section_lens.get(section as usize) else {
                        continue;
                    };
                    let f = f as f32;
                    let norm = 1.0 - B + B * (len as f32 / self.avg_len);
                    let s = idf * f * (K1 + 1.0) / (f + K1 * norm) * factor;
                    let e = scores.entry(section).or_insert((0.0, 0));
                    e.0 += s;
                    e.1 |= 1 << i;
                }
            }
        }

        // Best section per page; pages matching more of the query words come first.
        let mut best: BTreeMap<u32, (u32, f32, u32)> = BTreeMap::new();
        for (section, (score, mask)) in scores {
            let Some(&(doc, _)) = self.section_doc.get(section as usize) else {
                continue;
            };
            let covered = mask.count_ones();
            let e = best.entry(doc).or_insert((section, score, covered));
            if (covered, score) > (e.2, e.1) {
                *e = (section, score, covered);
            }
        }
        let mut ranked: Vec<(u32, u32, f32, u32)> = best
            .into_iter()
            .map(|(doc, (section, score, covered))| (doc, section, score, covered))
            .collect();
        ranked.sort_by(|a, b| b.3.cmp(&a.3).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)));
        let total = ranked.len();
        let hits = ranked
            .into_iter()
            .take(limit)
            .filter_map(|(doc, section, score, _)| {
                let (d, s) = *self.section_doc.get(section as usize)?;
                let sec = docs.get(d as usize)?.sections.get(s as usize)?;
                let _ = doc;
                Some(Hit {
                    doc: d as usize,
                    section: s as usize,
                    score,
                    snippet: snippet(&sec.text, &matched_terms),
                })
            })
            .collect();
        SearchResults {
            query: query.to_string(),
            total,
            hits,
            corrected,
        }
    }
}

/// The passage of `text` with the most matched terms near its start, cut at word boundaries.
pub fn snippet(text: &str, terms: &BTreeSet<String>) -> Snippet {
    let tokens = tokenize(text);
    let hits: Vec<(usize, usize)> = tokens
        .iter()
        .filter(|t| terms.contains(&t.term))
        .map(|t| (t.start, t.end))
        .collect();
    // Start a little before the first match, at a word boundary.
    let anchor = hits.first().map_or(0, |h| h.0);
    let mut start = floor_char(text, anchor.saturating_sub(SNIPPET_CHARS / 3));
    if start > 0 {
        start = text[start..anchor]
            .find(char::is_whitespace)
            .map_or(anchor, |k| start + k + 1);
    }
    let mut end = floor_char(text, (start + SNIPPET_CHARS).min(text.len()));
    if end < text.len() {
        end = text[start..end]
            .rfind(char::is_whitespace)
            .map_or(end, |k| start + k);
    }
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < text.len() { "…" } else { "" };
    let body = text[start..end].trim_end();
    let shift = prefix.len();
    let highlights = hits
        .into_iter()
        .filter(|&(a, b)| a >= start && b <= start + body.len())
        .map(|(a, b)| (a - start + shift, b - start + shift))
        .collect();
    Snippet {
        text: format!("{prefix}{body}{suffix}"),
        highlights,
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Normalises a single query word the way the index does (exposed for highlighting in the app).
pub fn normalize_term(word: &str) -> String {
    normalize(word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::IndexBuilder;
    use crate::model::Section;

    fn doc(path: &str, title: &str, sections: &[(&str, &str)]) -> Doc {
        let mut s = vec![Section {
            heading: title.into(),
            ..Section::default()
        }];
        for (h, t) in sections {
            s.push(Section {
                anchor: Some(h.to_lowercase().replace(' ', "-")),
                heading: (*h).into(),
                level: 2,
                text: (*t).into(),
                code: String::new(),
            });
        }
        Doc {
            path: path.into(),
            title: title.into(),
            sections: s,
            ..Doc::default()
        }
    }

    fn corpus() -> (Vec<Doc>, SearchIndex) {
        let docs = vec![
            doc(
                "payments.md",
                "Payments service",
                &[
                    (
                        "Refunds",
                        "Refunds are issued by the ledger within two days.",
                    ),
                    (
                        "Webhooks",
                        "Card provider webhooks arrive at the payments endpoint.",
                    ),
                ],
            ),
            doc(
                "fleet.md",
                "Fleet",
                &[("Vessels", "Each vessel reports its position every minute.")],
            ),
            doc(
                "overview.md",
                "Overview",
                &[("Services", "We run fleet, payments and pricing services.")],
            ),
        ];
        let index = IndexBuilder::new().build(&docs);
        let si = SearchIndex::new(index, &docs).unwrap();
        (docs, si)
    }

    #[test]
    fn title_match_outranks_a_passing_mention() {
        let (docs, si) = corpus();
        let r = si.search(&docs, "payments ", 10);
        assert_eq!(r.total, 2);
        assert_eq!(docs[r.hits[0].doc].path, "payments.md");
        assert_eq!(docs[r.hits[1].doc].path, "overview.md");
    }

    #[test]
    fn hit_points_at_the_matching_section() {
        let (docs, si) = corpus();
        let r = si.search(&docs, "webhooks ", 10);
        let hit = &r.hits[0];
        assert_eq!(
            docs[hit.doc].sections[hit.section].anchor.as_deref(),
            Some("webhooks")
        );
    }

    #[test]
    fn last_word_matches_as_prefix() {
        let (docs, si) = corpus();
        let r = si.search(&docs, "vess", 10);
        assert_eq!(docs[r.hits[0].doc].path, "fleet.md");
        assert!(si.search(&docs, "vess ", 10).hits.is_empty());
    }

    #[test]
    fn one_typo_still_finds_the_page_and_reports_the_correction() {
        let (docs, si) = corpus();
        let r = si.search(&docs, "refnds ", 10);
        assert_eq!(docs[r.hits[0].doc].path, "payments.md");
        assert_eq!(
            r.corrected,
            vec![("refnds".to_string(), "refunds".to_string())]
        );
    }

    #[test]
    fn snippet_highlights_land_on_matched_words() {
        let (docs, si) = corpus();
        let r = si.search(&docs, "ledger ", 10);
        let sn = &r.hits[0].snippet;
        assert!(!sn.highlights.is_empty());
        for &(a, b) in &sn.highlights {
            assert_eq!(sn.text[a..b].to_lowercase(), "ledger");
        }
    }

    #[test]
    fn long_snippets_are_cut_at_word_boundaries() {
        let text = "alpha ".repeat(20) + "needle " + &"omega ".repeat(60);
        let terms: BTreeSet<String> = ["needle".to_string()].into();
        let sn = snippet(&text, &terms);
        assert!(sn.text.starts_with('…') && sn.text.ends_with('…'));
        assert!(!sn.text.contains("alph…") && !sn.text.contains(" omeg…"));
        let (a, b) = sn.highlights[0];
        assert_eq!(&sn.text[a..b], "needle");
    }

    #[test]
    fn no_match_is_empty_not_error() {
        let (docs, si) = corpus();
        let r = si.search(&docs, "zzzzqqq", 10);
        assert_eq!((r.total, r.hits.len()), (0, 0));
        assert_eq!(si.search(&docs, "", 10).total, 0);
    }
}
