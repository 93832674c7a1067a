//! Scoring by accumulation: every posting of every key a word matched is read and summed into
//! per-section scores ([`Scored`]), through the engine's [`ScoreCache`]. With [`super::top`]
//! (the best pages from those scores) it is the part of an evaluation that a block-max
//! evaluator, which skips postings that cannot reach the top, would replace; term matching
//! below and the evaluation's other phases above stay as they are.

use std::cell::RefCell;

use super::cache::ScoreCache;
use super::conditions;
use super::loaded::Reader;
use super::scores::{Scored, SectionKey};
use super::words::{AtomMatch, KeyMatch, WordMatch};
use super::Matched;
use crate::index::{idf, tf_of_impact};
use crate::query::Atom;
use crate::text::is_stem_key;

/// Per-section BM25 of one word: the best of its keys. Records matched keys.
pub(super) fn score_word<'e>(
    read: &mut Reader<'e>,
    cache: &RefCell<ScoreCache>,
    word: &WordMatch<'e>,
    matched: &mut Matched,
) -> Option<Scored> {
    score_keys(read, cache, &word.keys, Some(matched))
}

/// Per-section BM25 of a word's keys, the best of them per section; records the keys that had
/// postings.
pub(super) fn score_keys<'e>(
    read: &mut Reader<'e>,
    cache: &RefCell<ScoreCache>,
    keys: &[KeyMatch<'e>],
    mut matched: Option<&mut Matched>,
) -> Option<Scored> {
    let postings: u64 = keys.iter().map(|k| u64::from(k.entry.df)).sum();
    let cache_key = (postings >= cache.borrow().min_postings).then(|| cache_key(keys));
    if let Some(ck) = &cache_key {
        if let Some((scored, found)) = cache.borrow_mut().get(ck) {
            if let Some(m) = matched {
                for (k, _) in keys.iter().zip(found).filter(|(_, f)| *f) {
                    note_match(m, &k.key);
                }
            }
            return Some(scored);
        }
    }
    let n = read.head().sections;
    let mut lists = Vec::with_capacity(keys.len());
    let mut found = vec![false; keys.len()];
    let mut missing = false;
    for (k, found) in keys.iter().zip(&mut found) {
        let w = idf(k.entry.df, n) * k.factor;
        let mut list = Vec::with_capacity(usize::try_from(k.entry.df.min(1 << 16)).unwrap_or(0));
        let got = read.each_posting(&k.entry, |p| {
            list.push((SectionKey::of(&p), w * tf_of_impact(p.impact)));
        });
        if got.is_none() {
            missing = true;
            continue;
        }
        if list.is_empty() {
            continue;
        }
        *found = true;
        if let Some(m) = matched.as_deref_mut() {
            note_match(m, &k.key);
        }
        lists.push(list);
    }
    if missing {
        return None;
    }
    let scored = Scored::from_lists(lists);
    if let Some(ck) = cache_key {
        cache.borrow_mut().put(ck, scored.clone(), found);
    }
    Some(scored)
}

/// One atom: the sum of its words' scores over sections holding all of them (and, for a
/// quoted phrase, holding them in order); or the score of a flag it names, if higher.
pub(super) fn score_atom<'e>(
    read: &mut Reader<'e>,
    cache: &RefCell<ScoreCache>,
    atom: &Atom,
    am: &AtomMatch<'e>,
    matched: &mut Matched,
) -> Option<Scored> {
    let mut combined: Option<Scored> = None;
    let mut missing = false;
    for wm in &am.words {
        match score_word(read, cache, wm, matched) {
            Some(s) => {
                combined = Some(match combined {
                    None => s,
                    Some(acc) => acc.intersect_sum(&s),
                })
            }
            None => missing = true,
        }
    }
    let flags = score_keys(read, cache, &am.flags, None);
    if missing {
        return None;
    }
    let mut out = combined.unwrap_or_default();
    if atom.phrase && atom.words.len() > 1 {
        out = conditions::verify_phrase(read, out, &atom.words)?;
    }
    Some(out.union_max(flags?))
}

/// Records a dictionary key a query matched (a stem key, or a surface term).
fn note_match(m: &mut Matched, key: &str) {
    if is_stem_key(key) {
        m.stems.insert(key.to_string());
    } else {
        m.terms.insert(key.to_string());
    }
}

/// What a word's scores depend on: its keys and their match factors (the head is the engine's).
fn cache_key(keys: &[KeyMatch<'_>]) -> String {
    let mut out = String::new();
    for k in keys {
        out.push_str(&k.key);
        out.push('\0');
        out.push_str(&k.factor.to_bits().to_string());
        out.push('\0');
    }
    out
}
