//! Building the search index: every term's postings, with BM25F precomputed per posting.
//!
//! A posting is (page, section in that page, impact). Field weights are folded into the term
//! frequency at build time (BM25F style): a term in the page title counts [`TITLE_WEIGHT`]
//! times, in a heading [`HEADING_WEIGHT`], in body text [`BODY_WEIGHT`], in code
//! [`CODE_WEIGHT`]. The frequency part of BM25 (which needs the section's length) is then
//! quantised to one byte, the impact; the idf part needs only the term's document frequency,
//! which the term dictionary stores, so section lengths never ship.
//!
//! [`crate::files`] splits the finished [`IndexData`] into term shards.

use std::collections::{BTreeMap, HashMap, HashSet};

use rustc_hash::FxBuildHasher;

use crate::model::{Doc, Section};
use crate::text::{
    entity_key, heading_key, split_compound, stem_key, title_key, tokenize, words, Lang, TokenKind,
};

/// Weight of a term in the page title (counted in every section of the page).
pub const TITLE_WEIGHT: u32 = 8;
/// Weight of a term in the section's own heading.
pub const HEADING_WEIGHT: u32 = 4;
/// Weight of a term in body text.
pub const BODY_WEIGHT: u32 = 2;
/// Weight of a term in inline code or code blocks.
pub const CODE_WEIGHT: u32 = 1;
/// BM25's term-frequency saturation.
pub const K1: f32 = 1.2;
/// BM25's length normalisation strength.
pub const B: f32 = 0.75;

/// One occurrence list entry: a section that holds a term, and how strongly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Posting {
    /// Index of the page (pages are sorted by path).
    pub doc: u32,
    /// Index of the section within the page.
    pub section: u32,
    /// BM25's frequency part, quantised ([`impact`]); 0 for title and entity keys, which
    /// only say where something is.
    pub impact: u8,
}

/// A dictionary key and where it occurs, in (page, section) order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermPostings {
    /// A folded word, or a stem, title or entity key ([`crate::text`]).
    pub key: String,
    /// Sections holding it.
    pub postings: Vec<Posting>,
}

/// The finished index: every key, sorted, with its postings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IndexData {
    /// Number of sections of all pages (BM25's N).
    pub sections: u32,
    /// Keys in byte order, each once.
    pub terms: Vec<TermPostings>,
}

/// Quantises BM25's frequency part, `f·(k1+1) / (f + k1·(1 − b + b·len/avg))`, which lies in
/// `(0, k1+1)`, to 1..=255.
pub fn impact(f: u32, len: u32, avg_len: f32) -> u8 {
    let f = f as f32;
    let norm = 1.0 - B + B * (len as f32 / avg_len.max(1.0));
    let tf = f * (K1 + 1.0) / (f + K1 * norm);
    let q = (tf / (K1 + 1.0) * 255.0).round();
    // In range by construction; the clamp keeps a NaN or rounding edge from reaching 0 or 256.
    q.clamp(1.0, 255.0) as u8
}

/// The frequency part an [`impact`] stands for.
pub fn tf_of_impact(impact: u8) -> f32 {
    // A table: every posting a query reads goes through here, and a division each cost more
    // than the lookup (the values are the same: IEEE arithmetic, at compile time as at run time).
    TF_OF_IMPACT
        .get(usize::from(impact))
        .copied()
        .unwrap_or_default()
}

/// [`tf_of_impact`] of each impact byte.
// Computed at compile time, where `get_mut` is not available; `i` stays below 256.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
static TF_OF_IMPACT: [f32; 256] = {
    let mut t = [0.0f32; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = i as f32 / 255.0 * (K1 + 1.0);
        i += 1;
    }
    t
};

/// BM25's idf for a key found in `df` of `n` sections.
pub fn idf(df: u32, n: u32) -> f32 {
    let (df, n) = (df as f32, n as f32);
    ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
}

/// One section's terms, counted: what [`IndexBuilder::build`] needs of it, made by
/// [`doc_terms`] independently of every other page (so in parallel, where the caller has
/// threads).
#[derive(Debug, Clone, Default)]
pub struct SectionTerms {
    /// Each distinct (term, whether it is a [`TokenKind::Word`]) of the section's heading, body
    /// and code (the page title is counted once per page, apart), with its weighted frequency.
    terms: Vec<(String, bool, u32)>,
    /// Weighted length: the words of the heading, body and code, by field weight.
    len: u32,
}

/// The terms of one page: its title's, counted once, and each section's.
#[derive(Debug, Clone, Default)]
pub struct DocTerms {
    title: SectionTerms,
    sections: Vec<SectionTerms>,
}

/// Tokenizes and counts the fields of `doc` (see [`IndexBuilder::build`] for the weights).
pub fn doc_terms(doc: &Doc) -> DocTerms {
    let mut counts: HashMap<(String, bool), u32, FxBuildHasher> = HashMap::default();
    let title = count_fields(&mut counts, &[(&doc.title, TITLE_WEIGHT)]);
    let sections = doc
        .sections
        .iter()
        .map(|section| {
            let heading: &str = if section.anchor.is_some() {
                &section.heading
            } else {
                ""
            };
            count_fields(
                &mut counts,
                &[
                    (heading, HEADING_WEIGHT),
                    (&section.text, BODY_WEIGHT),
                    (&section.code, CODE_WEIGHT),
                ],
            )
        })
        .collect();
    DocTerms { title, sections }
}

/// Counts the tokens of `fields` (text, weight) into `counts` (left empty again for reuse).
fn count_fields(
    counts: &mut HashMap<(String, bool), u32, FxBuildHasher>,
    fields: &[(&str, u32)],
) -> SectionTerms {
    let mut len = 0u32;
    for &(text, weight) in fields {
        for t in tokenize(text) {
            let word = t.kind == TokenKind::Word;
            if word {
                len = len.saturating_add(weight);
            }
            let e = counts.entry((t.term, word)).or_default();
            *e = e.saturating_add(weight);
        }
    }
    SectionTerms {
        terms: counts.drain().map(|((t, w), f)| (t, w, f)).collect(),
        len,
    }
}

/// Pages [`IndexBuilder::build`] counts at once before adding them: a batch's counted terms stay
/// small beside the index. A caller with threads uses batches too ([`IndexBuilder::add`]).
pub const BATCH: usize = 64;

/// Extra keys per (term id, page language, whether the term is a word).
type ExtrasCache = HashMap<(u32, Option<Lang>, bool), Vec<u32>, FxBuildHasher>;

/// Collects terms from documents and writes an [`IndexData`]: [`IndexBuilder::build`], or, to
/// count pages' terms elsewhere (on other threads), [`IndexBuilder::start`], then
/// [`IndexBuilder::add`] for the pages in order, then [`IndexBuilder::finish`].
#[derive(Debug, Default)]
pub struct IndexBuilder {
    /// Term → id; terms are interned so that each distinct word is folded, stemmed and split
    /// once per build, not once per occurrence. FxHash: SipHash's defence against chosen keys
    /// buys nothing here (the docs are the builder's own input) and cost 4% of a build.
    ids: HashMap<String, u32, FxBuildHasher>,
    terms: Vec<String>,
    /// Postings per term id, in section order: (global section, weighted frequency).
    postings: Vec<Vec<(u32, u32)>>,
    /// Weighted length of each section, by global section number.
    section_lens: Vec<u32>,
    /// Global section number → (page, section in page).
    section_doc: Vec<(u32, u32)>,
    /// Title-word and entity keys: they carry no frequency.
    marks: BTreeMap<String, Vec<Posting>>,
    /// Every word of the German pages: what compound parts must be to count as words.
    vocab: HashSet<String>,
    /// Extra keys each (term, language, kind) adds: its stem, and on German pages its compound
    /// parts and their stems. English terms (most, and looked up per section) in a dense table
    /// by term id and kind: 1 + where their list starts in `en_lists` (its length, then the
    /// ids), 0 when not made yet; other languages in `extras`. Terms of pages with no language
    /// have none.
    extras: ExtrasCache,
    en_extras: Vec<[u32; 2]>,
    en_lists: Vec<u32>,
    /// The section being added: weighted frequency per term id, and the ids it touched (reset
    /// after each section). A dense array, since a section adds to a few hundred of many terms.
    tf: Vec<u32>,
    touched: Vec<u32>,
    /// Pages added so far.
    pages: usize,
}

impl IndexBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    fn id(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        self.new_id(term.to_string())
    }

    /// [`Self::id`] for a term the caller owns: no copy when it is known.
    fn id_owned(&mut self, term: String) -> u32 {
        if let Some(&id) = self.ids.get(term.as_str()) {
            return id;
        }
        self.new_id(term)
    }

    fn new_id(&mut self, term: String) -> u32 {
        let id = u32::try_from(self.terms.len()).unwrap_or(u32::MAX);
        self.ids.insert(term.clone(), id);
        self.terms.push(term);
        self.postings.push(Vec::new());
        id
    }

    /// Indexes every section of `docs`, in order, and returns the finished index.
    ///
    /// Besides each word as written (folded), the dictionary gets its stem (English or German,
    /// by the page's `lang`) under a stem key, and, on German pages, the parts of compound words
    /// that occur elsewhere in the corpus as words of their own; every title word under a title
    /// key (for `title:` filters), and every entity a catalog table defines under an entity key.
    pub fn build(self, docs: &[Doc]) -> IndexData {
        let mut builder = self.start(docs);
        for batch in docs.chunks(BATCH) {
            builder.add(batch, batch.iter().map(doc_terms).collect());
        }
        builder.finish()
    }

    /// Prepares to index `docs` (all of them, as [`Self::add`] will be given them).
    pub fn start(mut self, docs: &[Doc]) -> Self {
        for doc in docs {
            if doc.lang.as_deref().and_then(Lang::from_code) == Some(Lang::De) {
                for s in &doc.sections {
                    self.vocab
                        .extend(words(&s.heading).into_iter().filter(|w| w.len() >= 4));
                    self.vocab
                        .extend(words(&s.text).into_iter().filter(|w| w.len() >= 4));
                }
            }
        }
        self
    }

    /// Adds the next pages `docs` (in the order of the `docs` given to [`Self::start`]) with
    /// their terms, `terms[i]` being [`doc_terms`]`(&docs[i])`.
    pub fn add(&mut self, docs: &[Doc], terms: Vec<DocTerms>) {
        let mut extras = std::mem::take(&mut self.extras);
        let mut tf = std::mem::take(&mut self.tf);
        let mut touched = std::mem::take(&mut self.touched);
        // The page title's terms as ids with their extra keys, counted in every section.
        let mut title: Vec<(u32, u32)> = Vec::new();
        let mut more: Vec<u32> = Vec::new();
        for (doc, terms) in docs.iter().zip(terms) {
            let d = u32::try_from(self.pages).unwrap_or(u32::MAX);
            self.pages = self.pages.saturating_add(1);
            let lang = doc.lang.as_deref().and_then(Lang::from_code);
            let mut title_words = words(&doc.title);
            title_words.sort();
            title_words.dedup();
            for w in title_words {
                self.marks.entry(title_key(&w)).or_default().push(Posting {
                    doc: d,
                    section: 0,
                    impact: 0,
                });
            }
            title.clear();
            for (term, word, f) in terms.title.terms {
                let id = self.id_owned(term);
                title.push((id, f));
                self.extras_of(&mut extras, id, lang, word, &mut more);
                title.extend(more.iter().map(|&k| (k, f)));
            }
            for (s, (section, counted)) in doc.sections.iter().zip(terms.sections).enumerate() {
                let s = u32::try_from(s).unwrap_or(u32::MAX);
                let section_id = u32::try_from(self.section_doc.len()).unwrap_or(u32::MAX);
                self.section_doc.push((d, s));
                let entities = section_marks(doc, s, section);
                for key in entities {
                    self.marks.entry(key).or_default().push(Posting {
                        doc: d,
                        section: s,
                        impact: 0,
                    });
                }
                for &(id, f) in &title {
                    add(&mut tf, &mut touched, id, f);
                }
                for (term, word, f) in counted.terms {
                    let id = self.id_owned(term);
                    add(&mut tf, &mut touched, id, f);
                    self.extras_of(&mut extras, id, lang, word, &mut more);
                    for &k in &more {
                        add(&mut tf, &mut touched, k, f);
                    }
                }
                self.section_lens
                    .push(terms.title.len.saturating_add(counted.len).max(1));
                for &term in &touched {
                    let Some(slot) = tf.get_mut(term as usize) else {
                        continue;
                    };
                    let f = std::mem::take(slot);
                    if let Some(list) = self.postings.get_mut(term as usize) {
                        list.push((section_id, f));
                    }
                }
                touched.clear();
            }
        }
        self.extras = extras;
        self.tf = tf;
        self.touched = touched;
    }

    /// Sets `more` to the extra keys of term `id` on a page in `lang` ([`Self::extra_keys`]),
    /// made once per (term, language, kind) and kept.
    fn extras_of(
        &mut self,
        cache: &mut ExtrasCache,
        id: u32,
        lang: Option<Lang>,
        word: bool,
        more: &mut Vec<u32>,
    ) {
        more.clear();
        let Some(language) = lang else {
            // `extra_keys` makes none without a language.
            return;
        };
        let i = id as usize;
        let kind = usize::from(word);
        if language == Lang::En {
            let at = self
                .en_extras
                .get(i)
                .and_then(|slots| slots.get(kind))
                .copied()
                .unwrap_or(0);
            if let Some(at) = at.checked_sub(1) {
                let at = at as usize;
                let n = self.en_lists.get(at).copied().unwrap_or(0) as usize;
                let first = at.saturating_add(1);
                more.extend_from_slice(
                    self.en_lists
                        .get(first..first.saturating_add(n))
                        .unwrap_or_default(),
                );
                return;
            }
            let term = self.terms.get(i).cloned().unwrap_or_default();
            let keys = self.extra_keys(&term, lang, word);
            let at = u32::try_from(self.en_lists.len())
                .unwrap_or(u32::MAX)
                .saturating_add(1);
            self.en_lists
                .push(u32::try_from(keys.len()).unwrap_or(u32::MAX));
            self.en_lists.extend_from_slice(&keys);
            if self.en_extras.len() <= i {
                self.en_extras.resize(i.saturating_add(1), [0, 0]);
            }
            if let Some(slot) = self.en_extras.get_mut(i).and_then(|s| s.get_mut(kind)) {
                *slot = at;
            }
            more.extend_from_slice(&keys);
            return;
        }
        let keys = match cache.entry((id, lang, word)) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                let term = self.terms.get(i).cloned().unwrap_or_default();
                slot.insert(self.extra_keys(&term, lang, word))
            }
        };
        more.extend_from_slice(keys);
    }

    fn extra_keys(&mut self, term: &str, lang: Option<Lang>, word: bool) -> Vec<u32> {
        let mut out = Vec::new();
        let Some(lang) = lang else { return out };
        if let Some(k) = stem_key(term, lang) {
            out.push(self.id(&k));
        }
        if lang == Lang::De && word {
            let parts = split_compound(term, &|w| self.vocab.contains(w));
            for part in parts.into_iter().flatten() {
                out.push(self.id(&part));
                if let Some(k) = stem_key(&part, Lang::De) {
                    out.push(self.id(&k));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The finished index, once every page was added.
    pub fn finish(self) -> IndexData {
        let total: u64 = self.section_lens.iter().map(|&l| u64::from(l)).sum();
        let n = self.section_lens.len().max(1);
        let avg_len = (total as f32 / n as f32).max(1.0);
        let mut terms: Vec<TermPostings> =
            Vec::with_capacity(self.terms.len().saturating_add(self.marks.len()));
        for (key, list) in self.terms.into_iter().zip(self.postings) {
            let postings = list
                .into_iter()
                .filter_map(|(section, f)| {
                    let &(doc, section_in_doc) = self.section_doc.get(section as usize)?;
                    let len = *self.section_lens.get(section as usize)?;
                    Some(Posting {
                        doc,
                        section: section_in_doc,
                        impact: impact(f, len, avg_len),
                    })
                })
                .collect();
            terms.push(TermPostings { key, postings });
        }
        terms.extend(
            self.marks
                .into_iter()
                .map(|(key, postings)| TermPostings { key, postings }),
        );
        terms.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        IndexData {
            sections: u32::try_from(self.section_doc.len()).unwrap_or(u32::MAX),
            terms,
        }
    }
}

/// Adds `f` to term `id`'s frequency in the section being indexed, noting the id the first time.
fn add(tf: &mut Vec<u32>, touched: &mut Vec<u32>, id: u32, f: u32) {
    let i = id as usize;
    if i >= tf.len() {
        tf.resize(i.saturating_add(1), 0);
    }
    if let Some(slot) = tf.get_mut(i) {
        if *slot == 0 {
            touched.push(id);
        }
        *slot = slot.saturating_add(f);
    }
}

/// The mark keys of one section: the entities its catalog tables define and its heading (the
/// page's title for the first section), whole, so a query that is exactly one finds it.
fn section_marks(doc: &Doc, s: u32, section: &Section) -> Vec<String> {
    let mut marks: Vec<String> = section
        .defines
        .iter()
        .map(|name| words(name))
        .filter(|w| !w.is_empty())
        .map(|w| entity_key(&w))
        .collect();
    // Section 0's heading is the page's title, or the title stands for it.
    let heading = if s == 0 && section.heading.trim().is_empty() {
        &doc.title
    } else {
        &section.heading
    };
    let heading_words = words(heading);
    if !heading_words.is_empty() {
        marks.push(heading_key(&heading_words));
    }
    if s == 0 && *heading != doc.title {
        let title_words = words(&doc.title);
        if !title_words.is_empty() {
            marks.push(heading_key(&title_words));
        }
    }
    marks.sort();
    marks.dedup();
    marks
}

#[cfg(test)]
mod tests {
    #[test]
    fn tf_table_is_the_formula() {
        for impact in 0..=255u8 {
            let formula = f32::from(impact) / 255.0 * (K1 + 1.0);
            assert_eq!(
                tf_of_impact(impact).to_bits(),
                formula.to_bits(),
                "{impact}"
            );
        }
    }

    use super::*;

    #[test]
    fn impact_orders_like_the_bm25_it_stands_for() {
        // More occurrences in a section of the same length weigh more; a longer section less.
        assert!(impact(4, 100, 100.0) > impact(2, 100, 100.0));
        assert!(impact(2, 50, 100.0) > impact(2, 400, 100.0));
        // The quantisation keeps the value within half a step.
        let f = 3.0f32;
        let exact = f * (K1 + 1.0) / (f + K1);
        assert!((tf_of_impact(impact(3, 100, 100.0)) - exact).abs() < (K1 + 1.0) / 255.0);
    }

    #[test]
    fn title_and_entity_keys_list_pages_and_sections() {
        use crate::model::Section;
        let docs = vec![Doc {
            path: "a.md".into(),
            title: "Service catalog".into(),
            sections: vec![
                Section::default(),
                Section {
                    anchor: Some("x".into()),
                    heading: "Services".into(),
                    defines: vec!["booking-api".into()],
                    ..Section::default()
                },
            ],
            ..Doc::default()
        }];
        let index = IndexBuilder::new().build(&docs);
        let find = |k: &str| index.terms.iter().find(|t| t.key == k).map(|t| &t.postings);
        assert_eq!(find(&title_key("catalog")).unwrap().len(), 1);
        let e = find(&entity_key(&["booking".into(), "api".into()])).unwrap();
        assert_eq!((e[0].doc, e[0].section), (0, 1));
        assert!(index.terms.windows(2).all(|w| w[0].key < w[1].key));
    }
}
