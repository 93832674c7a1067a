//! Building the search index: an `fst` term dictionary pointing into varint postings lists.
//!
//! Each posting is a (section, weighted term frequency) pair. Sections are numbered globally in
//! document order, so the reader can map a section number back to its page without a table.
//! Field weights are folded into the frequency at build time (BM25F style): a term in the page
//! title counts [`TITLE_WEIGHT`] times, in a heading [`HEADING_WEIGHT`], in body text
//! [`BODY_WEIGHT`], in code [`CODE_WEIGHT`].

use std::collections::{HashMap, HashSet};

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
        // fst reads its nodes trusting their offsets and panics on a damaged dictionary (found
        // by fuzz/decode_bundle): check fst's own checksum before walking it.
        map.as_fst()
            .verify()
            .map_err(|e| format!("the term dictionary is damaged: {e}"))?;
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
    /// Term → id; terms are interned so that each distinct word is folded, stemmed and split
    /// once per build, not once per occurrence.
    ids: HashMap<String, u32>,
    terms: Vec<String>,
    /// Postings per term id, in section order.
    postings: Vec<Vec<(u32, u32)>>,
    section_lens: Vec<u32>,
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
        let id = self.terms.len() as u32;
        self.ids.insert(term.to_string(), id);
        self.terms.push(term.to_string());
        self.postings.push(Vec::new());
        id
    }

    /// Indexes every section of `docs`, in order, and returns the finished index.
    ///
    /// Besides each word as written (folded), the dictionary gets its stem (English or German,
    /// by the page's `lang`) under a [`crate::text::STEM_MARK`] key, and, on German pages, the
    /// parts of compound words that occur elsewhere in the corpus as words of their own.
    pub fn build(mut self, docs: &[Doc]) -> IndexData {
        // Every word of the German pages: what compound parts must be to count as words.
        let mut vocab: HashSet<String> = HashSet::new();
        for doc in docs {
            if doc.lang.as_deref().and_then(Lang::from_code) == Some(Lang::De) {
                for s in &doc.sections {
                    vocab.extend(words(&s.heading).into_iter().filter(|w| w.len() >= 4));
                    vocab.extend(words(&s.text).into_iter().filter(|w| w.len() >= 4));
                }
            }
        }
        // Extra keys each (term, language) adds: its stem, and on German pages its compound
        // parts and their stems.
        let mut extras: HashMap<(u32, Option<Lang>, bool), Vec<u32>> = HashMap::new();
        let mut tf: HashMap<u32, u32> = HashMap::new();
        let mut section_id = 0u32;
        for doc in docs {
            let lang = doc.lang.as_deref().and_then(Lang::from_code);
            for section in &doc.sections {
                tf.clear();
                let mut len = 0u32;
                let mut fields: Vec<(&str, u32)> = vec![(&doc.title, TITLE_WEIGHT)];
                if section.anchor.is_some() {
                    fields.push((&section.heading, HEADING_WEIGHT));
                }
                fields.push((&section.text, BODY_WEIGHT));
                fields.push((&section.code, CODE_WEIGHT));
                for (text, weight) in fields {
                    for t in tokenize(text) {
                        let word = t.kind == TokenKind::Word;
                        if word {
                            len += weight;
                        }
                        let id = self.id(&t.term);
                        *tf.entry(id).or_default() += weight;
                        let key = (id, lang, word);
                        let more = match extras.get(&key) {
                            Some(m) => m.clone(),
                            None => {
                                let m = self.extra_keys(&t.term, lang, word, &vocab);
                                extras.insert(key, m.clone());
                                m
                            }
                        };
                        for k in more {
                            *tf.entry(k).or_default() += weight;
                        }
                    }
                }
                self.section_lens.push(len.max(1));
                for (&term, &f) in &tf {
                    self.postings[term as usize].push((section_id, f));
                }
                section_id += 1;
            }
        }
        self.finish()
    }

    fn extra_keys(
        &mut self,
        term: &str,
        lang: Option<Lang>,
        word: bool,
        vocab: &HashSet<String>,
    ) -> Vec<u32> {
        let mut out = Vec::new();
        let Some(lang) = lang else { return out };
        if let Some(k) = stem_key(term, lang) {
            out.push(self.id(&k));
        }
        if lang == Lang::De && word {
            for part in split_compound(term, &|w| vocab.contains(w))
                .into_iter()
                .flatten()
            {
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

    fn finish(self) -> IndexData {
        let mut order: Vec<u32> = (0..self.terms.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.terms[a as usize].cmp(&self.terms[b as usize]));
        let mut postings = Vec::new();
        let mut builder = fst::MapBuilder::memory();
        for id in order {
            let list = &self.postings[id as usize];
            builder
                .insert(&self.terms[id as usize], postings.len() as u64)
                .expect("interned terms are unique and inserted in sorted order");
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
