//! Query evaluation: BM25F over sections, exact > stemmed > prefix > typo, one hit per page.
//!
//! The browser app and `build-index search` both call [`SearchIndex::search`]; nothing here
//! knows where the bundle came from.

use std::collections::{BTreeMap, BTreeSet};

use fst::automaton::Str;
use fst::raw::{Fst, Node};
use fst::{Automaton, IntoStreamer, Map, Streamer};
use serde::Serialize;

use crate::index::{read_postings, IndexData};
use crate::model::Doc;
use crate::query::{self, Atom, Filter, BUILTIN_FILTERS};
use crate::text::{camel_parts, fold, runs, stem_key, tokenize, words, Lang, STEM_MARK};

const K1: f32 = 1.2;
const B: f32 = 0.75;
/// How much a stem match counts, relative to the word as typed.
const STEM_FACTOR: f32 = 0.7;
/// How much a prefix expansion of the last word counts.
const PREFIX_FACTOR: f32 = 0.5;
/// How much a one-typo correction counts (two typos count [`TYPO_FACTOR`] squared).
const TYPO_FACTOR: f32 = 0.35;
/// Prefix expansions and typo corrections considered per word.
const MAX_EXPANSIONS: usize = 40;
const SNIPPET_CHARS: usize = 180;
/// Added to the section that defines an entity (a catalog row) when the query is its name.
const DEFINITION_BONUS: f32 = 8.0;
/// Facet keys with more distinct values than this are not offered as chips.
const MAX_FACET_VALUES: usize = 12;

/// A search index ready to answer queries.
pub struct SearchIndex {
    map: Map<Vec<u8>>,
    postings: Vec<u8>,
    section_lens: Vec<u32>,
    /// Global section number → (doc index, section index in that doc).
    section_doc: Vec<(u32, u32)>,
    avg_len: f32,
    /// Front matter keys that work as `key:value` filters (lower case).
    facet_keys: BTreeSet<String>,
    /// Keys shown as facet chips (few distinct values), as written in the front matter.
    chip_keys: BTreeSet<String>,
    /// Entity name (folded words joined by spaces) → sections whose catalog rows define it.
    definitions: BTreeMap<String, Vec<u32>>,
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
    /// Query words that matched only through typo correction, with what they matched.
    pub corrected: Vec<(String, String)>,
    /// What counts as a match, for highlighting snippets and pages.
    pub matched: Matched,
    /// Facet values among all matching pages, with counts, for narrowing the search.
    pub facets: Vec<FacetCount>,
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
            let stem = k.get(2..).unwrap_or("");
            let head = stem.char_indices().nth(3).map_or(stem, |(i, _)| &stem[..i]);
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
            let word = &text[start..end];
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
                        buf.push_str(&word[a..b]);
                        buf.make_ascii_lowercase();
                        if self.is_match(&buf) {
                            out.push((start + a, start + b));
                        }
                    }
                }
                continue;
            }
            for t in tokenize(word) {
                if self.is_match(&t.term) {
                    out.push((start + t.start, start + t.end));
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

/// A facet value and how many matching pages have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// `kind`, `tag`, `lang`, or a front matter key.
    pub key: String,
    /// The value.
    pub value: String,
    /// Matching pages with this value.
    pub count: usize,
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
    /// Opens an index over `docs`. Fails when the index does not fit the docs. The full check of
    /// every term's postings offset happens once, in [`crate::decode`]; reading postings is
    /// bounds-checked anyway, so this only checks what is cheap (it runs on the app's first paint).
    pub fn new(index: IndexData, docs: &[Doc]) -> Result<Self, String> {
        let sections: usize = docs.iter().map(|d| d.sections.len()).sum();
        if index.section_lens.len() != sections {
            return Err(format!(
                "the search index covers {} sections but the pages have {sections}",
                index.section_lens.len()
            ));
        }
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
        let mut values: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        for doc in docs {
            for f in &doc.facets {
                values
                    .entry(f.key.to_lowercase())
                    .or_default()
                    .insert(&f.value);
            }
        }
        let chip_lower: BTreeSet<&String> = values
            .iter()
            .filter(|(_, v)| {
                v.len() <= MAX_FACET_VALUES && v.iter().all(|s| s.chars().count() <= 40)
            })
            .map(|(k, _)| k)
            .collect();
        // Kept as written in the front matter, so counting needs no lower-casing per page.
        let chip_keys = docs
            .iter()
            .flat_map(|d| &d.facets)
            .filter(|f| chip_lower.contains(&f.key.to_lowercase()))
            .map(|f| f.key.clone())
            .collect();
        let mut definitions: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (i, &(d, s)) in section_doc.iter().enumerate() {
            for name in &docs[d as usize].sections[s as usize].defines {
                let key = words(name).join(" ");
                if !key.is_empty() {
                    definitions.entry(key).or_default().push(i as u32);
                }
            }
        }
        Ok(Self {
            definitions,
            map,
            postings: index.postings,
            section_lens: index.section_lens,
            section_doc,
            avg_len,
            facet_keys: values.into_keys().collect(),
            chip_keys,
        })
    }

    /// Number of distinct keys (words and stems) in the dictionary.
    pub fn term_count(&self) -> usize {
        self.map.len()
    }

    /// Whether `key:` starts a filter (a built-in key or a front matter key of this site).
    pub fn is_filter_key(&self, key: &str) -> bool {
        BUILTIN_FILTERS.contains(&key) || self.facet_keys.contains(key)
    }

    /// Runs `query` and returns up to `limit` pages, best first.
    pub fn search(&self, docs: &[Doc], query: &str, limit: usize) -> SearchResults {
        let q = query::parse(query, &|k| self.is_filter_key(k));
        let mut matched = Matched::default();
        let mut corrected = Vec::new();
        let last_word = q.groups.last().and_then(|g| g.last()).and_then(|a| {
            (!a.phrase && q.last_is_prefix)
                .then(|| a.words.last().cloned())
                .flatten()
        });

        // Score every group; a section's score is the sum over groups, and `mask` records which.
        let n = self.section_doc.len();
        let mut scores = vec![0.0f32; n];
        let mut masks = vec![0u64; n];
        let n_groups = q.groups.len().min(64);
        // Words on most sections (`the`, `is`) say little and cost the most: when the query has
        // other words, they neither score nor count towards coverage.
        let common = |g: &Vec<Atom>| {
            g.len() == 1
                && g[0].words.len() == 1
                && self.map.get(&g[0].words[0]).is_some_and(|off| {
                    let mut pos = off as usize;
                    crate::varint_read(&self.postings, &mut pos).unwrap_or(0) as usize > n / 2
                })
        };
        let keep: Vec<bool> = q.groups.iter().map(|g| !common(g)).collect();
        let skip_common = keep.iter().any(|&k| k) && keep.iter().any(|&k| !k);
        for (g, group) in q.groups.iter().take(64).enumerate() {
            if skip_common && !keep[g] {
                continue;
            }
            let mut group_scores = vec![0.0f32; n];
            for atom in group {
                let is_last =
                    std::ptr::eq(atom, q.groups.last().and_then(|g| g.last()).unwrap_or(atom));
                let prefix_word = if is_last { last_word.as_deref() } else { None };
                let atom_scores =
                    self.score_atom(docs, atom, prefix_word, &mut matched, &mut corrected);
                for (e, s) in group_scores.iter_mut().zip(atom_scores) {
                    *e = e.max(s);
                }
            }
            for (i, s) in group_scores.into_iter().enumerate() {
                if s > 0.0 {
                    scores[i] += s;
                    masks[i] |= 1 << g;
                }
            }
        }

        // A query that is exactly an entity's name (`booking-api`, `notification_log`) puts the
        // catalog row defining it first, ahead of pages that merely mention it.
        let query_words: Vec<&String> = q
            .groups
            .iter()
            .filter(|g| g.len() == 1)
            .flat_map(|g| &g[0].words)
            .collect();
        let all_words = q.groups.iter().map(|g| g[0].words.len()).sum::<usize>();
        if !query_words.is_empty() && query_words.len() == all_words {
            let key = query_words
                .iter()
                .map(|w| w.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            for &section in self.definitions.get(&key).into_iter().flatten() {
                scores[section as usize] += DEFINITION_BONUS;
                masks[section as usize] = (1u64 << n_groups) - 1;
            }
        }

        let excluded = self.excluded_docs(docs, &q.excludes);
        let passes = |d: usize| {
            !excluded.contains(&d) && q.filters.iter().all(|f| filter_holds(&docs[d], f))
        };

        // Best section per page; pages matching more of the query's groups come first.
        let mut best: BTreeMap<u32, (u32, f32, u32)> = BTreeMap::new();
        if n_groups == 0 && !q.filters.is_empty() {
            // Filters alone list the pages they select, in path order.
            for (d, doc) in docs.iter().enumerate() {
                if !doc.sections.is_empty() && passes(d) {
                    let first = self.first_section(d);
                    best.insert(d as u32, (first, 0.0, 0));
                }
            }
        }
        for (section, (score, mask)) in scores.into_iter().zip(masks).enumerate() {
            if mask == 0 {
                continue;
            }
            let section = section as u32;
            let Some(&(doc, _)) = self.section_doc.get(section as usize) else {
                continue;
            };
            if !passes(doc as usize) {
                continue;
            }
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

        let facets = self.facet_counts(docs, ranked.iter().map(|r| r.0 as usize));
        let total = ranked.len();
        let hits = ranked
            .into_iter()
            .take(limit)
            .filter_map(|(_, section, score, _)| {
                let (d, s) = *self.section_doc.get(section as usize)?;
                let sec = docs.get(d as usize)?.sections.get(s as usize)?;
                Some(Hit {
                    doc: d as usize,
                    section: s as usize,
                    score,
                    snippet: snippet(&sec.text, &matched),
                })
            })
            .collect();
        SearchResults {
            query: query.to_string(),
            total,
            hits,
            corrected,
            matched,
            facets,
        }
    }

    fn first_section(&self, doc: usize) -> u32 {
        self.section_doc
            .partition_point(|&(d, _)| (d as usize) < doc) as u32
    }

    /// Scores one atom: the sum of its words' scores over sections holding all of them (and, for a
    /// quoted phrase, holding them in order).
    fn score_atom(
        &self,
        docs: &[Doc],
        atom: &Atom,
        prefix_word: Option<&str>,
        matched: &mut Matched,
        corrected: &mut Vec<(String, String)>,
    ) -> Vec<f32> {
        let mut combined: Option<Vec<f32>> = None;
        let n = atom.words.len();
        for (i, word) in atom.words.iter().enumerate() {
            let prefix = prefix_word.is_some() && i + 1 == n;
            let ws = self.score_word(word, prefix, matched, corrected);
            combined = Some(match combined {
                None => ws,
                Some(mut acc) => {
                    for (a, w) in acc.iter_mut().zip(&ws) {
                        *a = if *a > 0.0 && *w > 0.0 { *a + w } else { 0.0 };
                    }
                    acc
                }
            });
        }
        let mut out = combined.unwrap_or_else(|| vec![0.0; self.section_doc.len()]);
        if atom.phrase && n > 1 {
            for (s, v) in out.iter_mut().enumerate() {
                if *v > 0.0 {
                    let (d, si) = self.section_doc[s];
                    let doc = &docs[d as usize];
                    let sec = &doc.sections[si as usize];
                    if ![&sec.heading, &sec.text, &doc.title]
                        .iter()
                        .any(|t| has_phrase(t, &atom.words))
                    {
                        *v = 0.0;
                    }
                }
            }
        }
        out
    }

    /// Per-section BM25 score of one word: the best of its exact, stemmed, prefix and typo matches.
    fn score_word(
        &self,
        word: &str,
        prefix: bool,
        matched: &mut Matched,
        corrected: &mut Vec<(String, String)>,
    ) -> Vec<f32> {
        let mut keys: Vec<(String, u64, f32)> = Vec::new();
        if let Some(off) = self.map.get(word) {
            keys.push((word.to_string(), off, 1.0));
        }
        for lang in [Lang::En, Lang::De] {
            if let Some(k) = stem_key(word, lang) {
                if let Some(off) = self.map.get(&k) {
                    if !keys.iter().any(|(x, _, _)| *x == k) {
                        keys.push((k, off, STEM_FACTOR));
                    }
                }
            }
        }
        if prefix {
            let mut stream = self.map.search(Str::new(word).starts_with()).into_stream();
            let mut n = 0;
            while let Some((term, off)) = stream.next() {
                if term != word.as_bytes() {
                    keys.push((
                        String::from_utf8_lossy(term).into_owned(),
                        off,
                        PREFIX_FACTOR,
                    ));
                    n += 1;
                }
                if n >= MAX_EXPANSIONS {
                    break;
                }
            }
        }
        if keys.is_empty() {
            let fixes = self.typo_matches(word);
            if let Some((best, _, _)) = fixes.first() {
                corrected.push((word.to_string(), best.clone()));
            }
            for (term, off, d) in fixes {
                keys.push((term, off, TYPO_FACTOR.powi(d as i32)));
            }
        }
        let n_sections = self.section_doc.len() as f32;
        let mut out = vec![0.0f32; self.section_doc.len()];
        for (key, off, factor) in keys {
            let list = read_postings(&self.postings, off as usize);
            if list.is_empty() {
                continue;
            }
            if key.starts_with(STEM_MARK) {
                matched.stems.insert(key);
            } else {
                matched.terms.insert(key);
            }
            let df = list.len() as f32;
            let idf = ((n_sections - df + 0.5) / (df + 0.5) + 1.0).ln();
            for (section, f) in list {
                let Some(&len) = self.section_lens.get(section as usize) else {
                    continue;
                };
                let f = f as f32;
                let norm = 1.0 - B + B * (len as f32 / self.avg_len);
                let s = idf * f * (K1 + 1.0) / (f + K1 * norm) * factor;
                if let Some(e) = out.get_mut(section as usize) {
                    *e = e.max(s);
                }
            }
        }
        out
    }

    /// Dictionary words within edit distance 1 (words of 4+ letters) or 2 (8+ letters) of
    /// `word`, counting a swap of neighbours (`serach`) as one edit; closest first.
    fn typo_matches(&self, word: &str) -> Vec<(String, u64, u32)> {
        let len = word.chars().count();
        if len < 4 || !word.is_ascii() {
            return Vec::new();
        }
        let max = if len >= 8 { 2 } else { 1 };
        let target = word.as_bytes();
        let fst = self.map.as_fst();
        let row: Vec<u32> = (0..=target.len() as u32).collect();
        let mut found = Vec::new();
        let mut prefix = Vec::new();
        walk_typos(
            fst,
            fst.root(),
            0,
            target,
            None,
            &row,
            None,
            max,
            &mut prefix,
            &mut found,
        );
        found.sort_by(|a, b| a.2.cmp(&b.2).then(a.0.cmp(&b.0)));
        if let Some(best) = found.first().map(|f| f.2) {
            found.retain(|f| f.2 == best);
        }
        found.truncate(MAX_EXPANSIONS);
        found
    }

    fn excluded_docs(&self, docs: &[Doc], excludes: &[Atom]) -> BTreeSet<usize> {
        let mut out = BTreeSet::new();
        for atom in excludes {
            let mut sections: Option<BTreeSet<u32>> = None;
            for w in &atom.words {
                let here: BTreeSet<u32> = self
                    .map
                    .get(w)
                    .map(|off| {
                        read_postings(&self.postings, off as usize)
                            .into_iter()
                            .map(|(s, _)| s)
                            .collect()
                    })
                    .unwrap_or_default();
                sections = Some(match sections {
                    None => here,
                    Some(acc) => acc.intersection(&here).copied().collect(),
                });
            }
            for s in sections.unwrap_or_default() {
                if let Some(&(d, si)) = self.section_doc.get(s as usize) {
                    let doc = &docs[d as usize];
                    let sec = &doc.sections[si as usize];
                    let ok = !atom.phrase
                        || atom.words.len() < 2
                        || [&sec.heading, &sec.text, &doc.title]
                            .iter()
                            .any(|t| has_phrase(t, &atom.words));
                    if ok {
                        out.insert(d as usize);
                    }
                }
            }
        }
        out
    }

    fn facet_counts(&self, docs: &[Doc], matching: impl Iterator<Item = usize>) -> Vec<FacetCount> {
        // Borrowed keys: this runs over every matching page on every keystroke.
        let mut counts: BTreeMap<(u8, &str, &str), usize> = BTreeMap::new();
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for d in matching {
            let doc = &docs[d];
            seen.clear();
            let kind = doc.kind.as_deref().map(|k| (0, "kind", k));
            let lang = doc.lang.as_deref().map(|l| (2, "lang", l));
            let tags = doc.tags.iter().map(|t| (1, "tag", t.as_str()));
            let facets = doc
                .facets
                .iter()
                .filter(|f| self.chip_keys.contains(f.key.as_str()))
                .map(|f| (3, f.key.as_str(), f.value.as_str()));
            for (rank, key, value) in kind.into_iter().chain(lang).chain(tags).chain(facets) {
                if !seen.contains(&(key, value)) {
                    seen.push((key, value));
                    *counts.entry((rank, key, value)).or_default() += 1;
                }
            }
        }
        let mut out: Vec<(u8, FacetCount)> = counts
            .into_iter()
            .map(|((rank, key, value), count)| {
                let key = key.to_lowercase();
                (
                    rank,
                    FacetCount {
                        key,
                        value: value.to_string(),
                        count,
                    },
                )
            })
            .collect();
        out.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1.key.cmp(&b.1.key))
                .then(b.1.count.cmp(&a.1.count))
                .then(a.1.value.cmp(&b.1.value))
        });
        out.into_iter().map(|(_, f)| f).collect()
    }
}

/// Depth-first walk of the dictionary, keeping one row of the (Damerau) edit-distance table per
/// level and pruning branches that can no longer come within `max` edits.
#[allow(clippy::too_many_arguments)]
fn walk_typos(
    fst: &Fst<Vec<u8>>,
    node: Node<'_>,
    out: u64,
    target: &[u8],
    prev2: Option<&[u32]>,
    prev: &[u32],
    prev_byte: Option<u8>,
    max: u32,
    prefix: &mut Vec<u8>,
    found: &mut Vec<(String, u64, u32)>,
) {
    if found.len() >= 4 * MAX_EXPANSIONS {
        return;
    }
    for t in node.transitions() {
        let b = t.inp;
        // Stem keys live under their own first byte; typos are for words as written.
        if prefix.is_empty() && b == STEM_MARK as u8 {
            continue;
        }
        let mut row = vec![prev[0] + 1; target.len() + 1];
        for j in 1..=target.len() {
            let cost = u32::from(target[j - 1] != b);
            let mut v = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if let (Some(p2), Some(pb)) = (prev2, prev_byte) {
                if j > 1 && target[j - 1] == pb && target[j - 2] == b {
                    v = v.min(p2[j - 2] + 1);
                }
            }
            row[j] = v;
        }
        if row.iter().copied().min().unwrap_or(u32::MAX) > max {
            continue;
        }
        let next = fst.node(t.addr);
        let out = out + t.out.value();
        prefix.push(b);
        let d = row[target.len()];
        if next.is_final() && d <= max && d > 0 {
            found.push((
                String::from_utf8_lossy(prefix).into_owned(),
                out + next.final_output().value(),
                d,
            ));
        }
        walk_typos(
            fst,
            next,
            out,
            target,
            Some(prev),
            &row,
            Some(b),
            max,
            prefix,
            found,
        );
        prefix.pop();
    }
}

/// Whether `words` appear consecutively, in order, among the whole words of `text`.
pub fn has_phrase(text: &str, phrase: &[String]) -> bool {
    let n = phrase.len();
    if n == 0 {
        return true;
    }
    // Cheap rejection first: in ASCII text, every phrase word must at least be a substring.
    if text.is_ascii() && phrase.iter().all(|w| w.is_ascii()) {
        let lower = text.to_ascii_lowercase();
        if !phrase.iter().all(|w| lower.contains(w.as_str())) {
            return false;
        }
    }
    let mut window: std::collections::VecDeque<String> =
        std::collections::VecDeque::with_capacity(n);
    let mut push = |w: String| {
        if window.len() == n {
            window.pop_front();
        }
        window.push_back(w);
        window.len() == n && window.iter().zip(phrase).all(|(a, b)| a == b)
    };
    for (start, end, cjk) in runs(text) {
        let word = &text[start..end];
        if !cjk {
            if push(fold(word)) {
                return true;
            }
        } else {
            for t in tokenize(word) {
                if push(t.term) {
                    return true;
                }
            }
        }
    }
    false
}

fn filter_holds(doc: &Doc, f: &Filter) -> bool {
    let want = fold(f.value.trim());
    let want_words = words(&f.value);
    let eq = |v: &str| fold(v.trim()) == want;
    let holds = match f.key.as_str() {
        "title" => {
            let title = words(&doc.title);
            !want_words.is_empty() && want_words.iter().all(|w| title.contains(w))
        }
        "tag" => doc.tags.iter().any(|t| eq(t)),
        "kind" => doc.kind.as_deref().is_some_and(eq),
        "lang" => doc
            .lang
            .as_deref()
            .is_some_and(|l| eq(l) || l.split('-').next().is_some_and(eq)),
        key => doc.facets.iter().any(|fc| {
            fc.key.eq_ignore_ascii_case(key)
                && (eq(&fc.value)
                    || fc.value.split(',').any(eq)
                    || has_phrase(&fc.value, &want_words))
        }),
    };
    holds != f.negated
}

/// The passage of `text` with the most matched words, cut at word (or sentence) boundaries.
pub fn snippet(text: &str, matched: &Matched) -> Snippet {
    let hits = matched.ranges(text);
    // The window start (a match) that covers the most matches within SNIPPET_CHARS.
    let mut anchor = hits.first().map_or(0, |h| h.0);
    let mut best = 0;
    for (i, &(a, _)) in hits.iter().enumerate() {
        let n = hits[i..]
            .iter()
            .take_while(|h| h.1 <= a + SNIPPET_CHARS * 2 / 3)
            .count();
        if n > best {
            best = n;
            anchor = a;
        }
    }
    // Start a little before the first match: at a sentence start if one is near, else a word.
    let back = floor_char(text, anchor.saturating_sub(SNIPPET_CHARS / 3));
    let mut start = back;
    if start > 0 {
        let lead = &text[start..anchor];
        start = match lead.rfind(". ") {
            Some(k) => start + k + 2,
            None => lead
                .find(char::is_whitespace)
                .map_or(anchor, |k| start + k + 1),
        };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::IndexBuilder;
    use crate::model::{Facet, Section};

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
                defines: Vec::new(),
                hash: 0,
            });
        }
        Doc {
            path: path.into(),
            title: title.into(),
            sections: s,
            lang: Some("en".into()),
            ..Doc::default()
        }
    }

    fn corpus() -> (Vec<Doc>, SearchIndex) {
        let mut docs = vec![
            doc(
                "payments.md",
                "Payments service",
                &[
                    ("Refunds", "Refunds are issued by the ledger within two days."),
                    ("Webhooks", "Card provider webhooks arrive at the payments endpoint."),
                ],
            ),
            doc("fleet.md", "Fleet", &[("Vessels", "Each vessel reports its position every minute.")]),
            doc("overview.md", "Overview", &[("Services", "We run fleet, payments and pricing services.")]),
            doc(
                "de.md",
                "Betrieb",
                &[("Migration", "Jede Datenbankverbindung wird vor der Größenänderung geprüft. Die Datenbank ist wichtig.")],
            ),
        ];
        docs[0].kind = Some("runbook".into());
        docs[0].tags = vec!["billing".into()];
        docs[0].facets = vec![Facet {
            key: "owner".into(),
            value: "team-ledger".into(),
        }];
        docs[2].facets = vec![Facet {
            key: "owner".into(),
            value: "team-harbour".into(),
        }];
        docs[3].lang = Some("de".into());
        let index = IndexBuilder::new().build(&docs);
        let si = SearchIndex::new(index, &docs).unwrap();
        (docs, si)
    }

    fn paths(docs: &[Doc], r: &SearchResults) -> Vec<String> {
        r.hits.iter().map(|h| docs[h.doc].path.clone()).collect()
    }

    #[test]
    fn title_match_outranks_a_passing_mention() {
        let (docs, si) = corpus();
        let r = si.search(&docs, "payments ", 10);
        assert_eq!(paths(&docs, &r), ["payments.md", "overview.md"]);
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
        assert_eq!(paths(&docs, &r), ["fleet.md"]);
        assert!(si.search(&docs, "vess ", 10).hits.is_empty());
    }

    #[test]
    fn stems_match_other_forms() {
        let (docs, si) = corpus();
        let r = si.search(&docs, "refunded issue ", 10);
        assert_eq!(paths(&docs, &r), ["payments.md"]);
        assert_eq!(
            r.hits[0].snippet.highlights.len(),
            2,
            "{:?}",
            r.hits[0].snippet
        );
    }

    #[test]
    fn exact_beats_stemmed_beats_prefix_beats_typo() {
        // Four pages saying the same thing, each with a different form of the word.
        let docs: Vec<Doc> = [
            ("a.md", "deploy"),
            ("b.md", "deploys"),
            ("c.md", "deployment"),
            ("d.md", "dploy"),
        ]
        .iter()
        .map(|(p, w)| doc(p, "Page", &[("Notes", &format!("{w} notes here"))]))
        .collect();
        let index = IndexBuilder::new().build(&docs);
        let si = SearchIndex::new(index, &docs).unwrap();
        let r = si.search(&docs, "deploy", 10);
        assert_eq!(
            paths(&docs, &r)[..3],
            ["a.md", "b.md", "c.md"],
            "{:?}",
            r.hits
        );
        let r = si.search(&docs, "dploy ", 10);
        assert_eq!(paths(&docs, &r)[0], "d.md");
    }

    #[test]
    fn typos_including_swapped_letters_are_corrected() {
        let (docs, si) = corpus();
        for (q, want) in [
            ("refnds ", "refunds"),
            ("rfeunds ", "refunds"),
            ("webhoosk ", "webhooks"),
            ("posiiton ", "position"),
        ] {
            let r = si.search(&docs, q, 10);
            assert!(!r.hits.is_empty(), "{q}");
            assert_eq!(r.corrected[0].1, want, "{q}");
        }
        // Short words are not corrected: too many false friends.
        assert_eq!(si.search(&docs, "fleat ", 10).corrected[0].1, "fleet");
        assert!(si.search(&docs, "flt ", 10).hits.is_empty());
    }

    #[test]
    fn german_compounds_umlauts_and_stems() {
        let (docs, si) = corpus();
        for q in [
            "Datenbank ",
            "verbindung ",
            "Größenänderung ",
            "groessenaenderung ",
            "grossenanderung ",
            "geprueft ",
        ] {
            let r = si.search(&docs, q, 10);
            assert_eq!(paths(&docs, &r), ["de.md"], "{q}");
        }
    }

    #[test]
    fn words_on_most_sections_do_not_dilute_a_specific_query() {
        let docs: Vec<Doc> = (0..6)
            .map(|i| {
                let text = if i == 4 {
                    "the ledger drifts"
                } else {
                    "the usual text"
                };
                doc(&format!("{i}.md"), "The page", &[("Notes", text)])
            })
            .collect();
        let index = IndexBuilder::new().build(&docs);
        let si = SearchIndex::new(index, &docs).unwrap();
        let with = si.search(&docs, "the ledger ", 10);
        assert_eq!(
            paths(&docs, &with),
            ["4.md"],
            "pages with only `the` are not results"
        );
        // Alone, a common word still finds everything.
        assert_eq!(si.search(&docs, "the ", 10).total, 6);
    }

    #[test]
    fn phrases_must_be_in_order() {
        let (docs, si) = corpus();
        assert_eq!(
            paths(&docs, &si.search(&docs, "\"provider webhooks\"", 10)),
            ["payments.md"]
        );
        assert!(si
            .search(&docs, "\"webhooks provider\"", 10)
            .hits
            .is_empty());
    }

    #[test]
    fn exclusions_and_or() {
        let (docs, si) = corpus();
        assert_eq!(
            paths(&docs, &si.search(&docs, "fleet -payments ", 10)),
            ["fleet.md"]
        );
        let r = si.search(&docs, "vessel OR ledger ", 10);
        let mut p = paths(&docs, &r);
        p.sort();
        assert_eq!(p, ["fleet.md", "payments.md"]);
    }

    #[test]
    fn filters_narrow_and_alone_list() {
        let (docs, si) = corpus();
        assert_eq!(
            paths(&docs, &si.search(&docs, "payments kind:runbook", 10)),
            ["payments.md"]
        );
        assert_eq!(
            paths(&docs, &si.search(&docs, "owner:team-harbour", 10)),
            ["overview.md"]
        );
        assert_eq!(
            paths(&docs, &si.search(&docs, "tag:billing", 10)),
            ["payments.md"]
        );
        assert_eq!(paths(&docs, &si.search(&docs, "lang:de", 10)), ["de.md"]);
        assert_eq!(
            paths(&docs, &si.search(&docs, "title:fleet", 10)),
            ["fleet.md"]
        );
        assert_eq!(
            paths(&docs, &si.search(&docs, "payments -kind:runbook ", 10)),
            ["overview.md"]
        );
        // An unknown key is text, not a filter.
        assert!(si.search(&docs, "nosuchkey:value", 10).hits.is_empty());
    }

    #[test]
    fn facets_count_matching_pages() {
        let (docs, si) = corpus();
        let r = si.search(&docs, "payments ", 10);
        let owner: Vec<_> = r
            .facets
            .iter()
            .filter(|f| f.key == "owner")
            .map(|f| (f.value.as_str(), f.count))
            .collect();
        assert_eq!(owner, [("team-harbour", 1), ("team-ledger", 1)]);
        assert!(r
            .facets
            .iter()
            .any(|f| f.key == "kind" && f.value == "runbook" && f.count == 1));
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
    fn snippet_picks_the_densest_window_and_cuts_at_words() {
        let text = "needle ".to_string()
            + &"alpha ".repeat(40)
            + "needle haystack needle "
            + &"omega ".repeat(60);
        let matched = Matched {
            terms: ["needle".to_string()].into(),
            ..Matched::default()
        };
        let sn = snippet(&text, &matched);
        assert!(
            sn.text.starts_with('…') && sn.text.ends_with('…'),
            "{}",
            sn.text
        );
        assert_eq!(
            sn.highlights.len(),
            2,
            "the window with two needles wins: {}",
            sn.text
        );
        assert!(!sn.text.contains("alph…") && !sn.text.contains(" omeg…"));
        for &(a, b) in &sn.highlights {
            assert_eq!(&sn.text[a..b], "needle");
        }
    }

    #[test]
    fn no_match_is_empty_not_error() {
        let (docs, si) = corpus();
        let r = si.search(&docs, "zzzzqqq", 10);
        assert_eq!((r.total, r.hits.len()), (0, 0));
        for q in ["", "   ", "-", "\"", "OR", "kind:", "-\"\""] {
            assert_eq!(si.search(&docs, q, 10).total, 0, "{q}");
        }
    }
}
