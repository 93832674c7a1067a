//! Building the search index: an `fst` term dictionary pointing into varint postings lists.
//!
//! Each posting is a (section, weighted term frequency) pair. Sections are numbered globally in
//! document order, so the reader can map a section number back to its page without a table.
//! Field weights are folded into the frequency at build time (BM25F style): a term in the page
//! title counts [`TITLE_WEIGHT`] times, in a heading [`HEADING_WEIGHT`], in body text
//! [`BODY_WEIGHT`], in code [`CODE_WEIGHT`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::model::Doc;
use crate::text::{split_compound, stem_key, tokenize, words, Lang, TokenKind};
use crate::varint;

/// Weight of a term in the page title (counted in every section of the page).
pub const TITLE_WEIGHT: u32 = 8;
/// Weight of a term in the section's own heading.
pub const HEADING_WEIGHT: u32 = 4;
/// Weight of a term in body text.
pub const BODY_WEIGHT: u32 = 2;
/// Weight of a term in inline code or code blocks.
pub const CODE_WEIGHT: u32 = 1;

/// The serialised index, as stored in a bundle.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct IndexData {
    /// An `fst::Map` from term to the byte offset of its postings list in `postings`.
    pub terms: Vec<u8>,
    /// Postings lists: a varint count, then (section delta, weighted frequency) varint pairs.
    pub postings: Vec<u8>,
    /// Weighted length of each section (whole words only), for BM25 length normalisation.
    pub section_lens: Vec<u32>,
}

impl IndexData {
    /// Checks that the index fits the documents it claims to index; used when decoding.
    pub fn validate(&self, docs: &[Doc]) -> Result<(), String> {
        let sections: usize = docs.iter().map(|d| d.sections.len()).sum();
        if self.section_lens.len() != sections {
            return Err(format!(
                "the search index covers {} sections but the pages have {sections}",
                self.section_lens.len()
            ));
        }
        let map = fst::Map::new(self.terms.as_slice())
            .map_err(|e| format!("the term dictionary is unreadable: {e}"))?;
        let mut stream = map.stream();
        use fst::Streamer;
        while let Some((_, off)) = stream.next() {
            if off as usize >= self.postings.len() {
                return Err("a term points past the end of the postings".into());
            }
        }
        Ok(())
    }
}

/// Collects terms from documents and writes an [`IndexData`].
#[derive(Debug, Default)]
pub struct IndexBuilder {
    // BTreeMap: the fst needs terms in order, and ordered maps keep the output deterministic.
    postings: BTreeMap<String, Vec<(u32, u32)>>,
    section_lens: Vec<u32>,
}

impl IndexBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Indexes every section of `docs`, in order, and returns the finished index.
    ///
    /// Besides each word as written (folded), the dictionary gets its stem (English or German,
    /// by the page's `lang`) under a [`crate::text::STEM_MARK`] key, and, on German pages, the parts of
    /// compound words that occur elsewhere in the corpus as words of their own.
    pub fn build(mut self, docs: &[Doc]) -> IndexData {
        // Every word of the corpus: what compound parts must be to count as words.
        let mut vocab: BTreeSet<String> = BTreeSet::new();
        for doc in docs {
            if doc.lang.as_deref().and_then(Lang::from_code) == Some(Lang::De) {
                for s in &doc.sections {
                    vocab.extend(words(&s.heading).into_iter().filter(|w| w.len() >= 4));
                    vocab.extend(words(&s.text).into_iter().filter(|w| w.len() >= 4));
                }
            }
        }
        let mut section_id = 0u32;
        for doc in docs {
            let lang = doc.lang.as_deref().and_then(Lang::from_code);
            let mut compounds: BTreeMap<String, Option<Vec<String>>> = BTreeMap::new();
            for section in &doc.sections {
                let mut tf: BTreeMap<String, u32> = BTreeMap::new();
                let mut len = 0u32;
                let mut fields: Vec<(&str, u32)> = vec![(&doc.title, TITLE_WEIGHT)];
                if section.anchor.is_some() {
                    fields.push((&section.heading, HEADING_WEIGHT));
                }
                fields.push((&section.text, BODY_WEIGHT));
                fields.push((&section.code, CODE_WEIGHT));
                for (text, weight) in fields {
                    for t in tokenize(text) {
                        if t.kind == TokenKind::Word {
                            len += weight;
                        }
                        let mut add = |key: String| *tf.entry(key).or_default() += weight;
                        if let Some(lang) = lang {
                            if let Some(k) = stem_key(&t.term, lang) {
                                add(k);
                            }
                        }
                        if lang == Some(Lang::De) && t.kind == TokenKind::Word {
                            let parts = compounds
                                .entry(t.term.clone())
                                .or_insert_with(|| split_compound(&t.term, &|w| vocab.contains(w)));
                            for p in parts.iter().flatten() {
                                if let Some(k) = stem_key(p, Lang::De) {
                                    add(k);
                                }
                                add(p.clone());
                            }
                        }
                        add(t.term);
                    }
                }
                self.section_lens.push(len.max(1));
                for (term, f) in tf {
                    self.postings.entry(term).or_default().push((section_id, f));
                }
                section_id += 1;
            }
        }
        self.finish()
    }

    fn finish(self) -> IndexData {
        let mut postings = Vec::new();
        let mut builder = fst::MapBuilder::memory();
        for (term, list) in &self.postings {
            builder
                .insert(term, postings.len() as u64)
                .expect("terms arrive sorted and unique from the BTreeMap");
            varint::write(&mut postings, list.len() as u64);
            let mut prev = 0u32;
            for &(section, f) in list {
                varint::write(&mut postings, u64::from(section - prev));
                varint::write(&mut postings, u64::from(f));
                prev = section;
            }
        }
        IndexData {
            terms: builder.into_inner().expect("in-memory fst cannot fail"),
            postings,
            section_lens: self.section_lens,
        }
    }
}

/// Decodes the postings list at `offset`: (global section number, weighted frequency) pairs.
pub(crate) fn read_postings(postings: &[u8], offset: usize) -> Vec<(u32, u32)> {
    let mut pos = offset;
    let Some(n) = varint::read(postings, &mut pos) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(n.min(1 << 16) as usize);
    let mut section = 0u64;
    for _ in 0..n {
        let (Some(delta), Some(f)) = (
            varint::read(postings, &mut pos),
            varint::read(postings, &mut pos),
        ) else {
            break;
        };
        section += delta;
        out.push((section as u32, f as u32));
    }
    out
}
