//! Conditions beyond scoring: quoted phrases checked in the sections' text, exclusions
//! (`-word`, `-"a phrase"`) and `title:` filters.

use std::collections::BTreeSet;

use super::loaded::Reader;
use super::scores::{Scored, SectionKey};
use super::top::Ranking;
use super::{has_phrase, PHRASE_CHECKS};
use crate::query::Atom;

/// Keeps the candidate sections whose heading, text or page title holds `words` in order:
/// the best [`PHRASE_CHECKS`] of them.
pub(super) fn verify_phrase(
    read: &mut Reader<'_>,
    candidates: Scored,
    words: &[String],
) -> Option<Scored> {
    let best = candidates.best(PHRASE_CHECKS);
    for k in &best {
        let _ = read.fragment(k.doc, k.section);
    }
    read.ready()?;
    let keep: BTreeSet<SectionKey> = crate::sort::set_of(
        best.into_iter()
            .filter(|k| section_has_phrase(read, *k, words)),
    );
    Some(candidates.retain(|k| keep.contains(k)))
}

pub(super) fn section_has_phrase(read: &mut Reader<'_>, k: SectionKey, words: &[String]) -> bool {
    let Some(fragment) = read.fragment(k.doc, k.section) else {
        return false;
    };
    let Some(s) = fragment.section(k.section) else {
        return false;
    };
    [&s.heading, &s.text, &fragment.title]
        .iter()
        .any(|t| has_phrase(t, words))
}

/// Pages that have every key (title-word keys of a `title:` filter).
pub(super) fn docs_with_all(read: &mut Reader<'_>, keys: &[String]) -> Option<BTreeSet<u32>> {
    let mut docs: Option<BTreeSet<u32>> = None;
    for k in keys {
        let here: BTreeSet<u32> = match read.lookup(k) {
            Some(e) => crate::sort::set_of(read.postings(&e)?.into_iter().map(|p| p.doc)),
            None => BTreeSet::new(),
        };
        docs = Some(match docs {
            None => here,
            Some(acc) => crate::sort::set_of(acc.intersection(&here).copied()),
        });
    }
    Some(docs.unwrap_or_default())
}

/// Per excluded atom, the sections holding all its words.
pub(super) fn exclusion_candidates(
    read: &mut Reader<'_>,
    excludes: &[Atom],
) -> Option<Vec<BTreeSet<SectionKey>>> {
    let mut out = Vec::with_capacity(excludes.len());
    let mut missing = false;
    for atom in excludes {
        let mut sections: Option<BTreeSet<SectionKey>> = None;
        for w in &atom.words {
            let here: BTreeSet<SectionKey> = match read.lookup(w) {
                Some(e) => match read.postings(&e) {
                    Some(list) => crate::sort::set_of(list.iter().map(SectionKey::of)),
                    None => {
                        missing = true;
                        BTreeSet::new()
                    }
                },
                None => BTreeSet::new(),
            };
            sections = Some(match sections {
                None => here,
                Some(acc) => crate::sort::set_of(acc.intersection(&here).copied()),
            });
        }
        out.push(sections.unwrap_or_default());
    }
    (!missing).then_some(out)
}

/// Pages left out by the exclusions: those with a section holding an excluded word (or,
/// for a phrase, holding it in order: checked on the candidates' sections only).
pub(super) fn excluded_docs(
    read: &mut Reader<'_>,
    excludes: &[Atom],
    sections: Vec<BTreeSet<SectionKey>>,
    candidates: &Ranking<'_>,
) -> Option<BTreeSet<u32>> {
    // Only an excluded phrase is checked against the candidates' pages: collecting those
    // pages for every query cost a set of every matching page.
    let needs_candidates = excludes.iter().any(|a| a.phrase && a.words.len() >= 2);
    let candidate_docs: BTreeSet<u32> = if needs_candidates {
        crate::sort::set_of(candidates.matching_docs())
    } else {
        BTreeSet::new()
    };
    let mut out = BTreeSet::new();
    for (atom, secs) in excludes.iter().zip(sections) {
        if !atom.phrase || atom.words.len() < 2 {
            out.extend(secs.iter().map(|k| k.doc));
            continue;
        }
        let check: Vec<SectionKey> = secs
            .into_iter()
            .filter(|k| candidate_docs.contains(&k.doc))
            .take(PHRASE_CHECKS)
            .collect();
        for k in &check {
            let _ = read.fragment(k.doc, k.section);
        }
        read.ready()?;
        for k in check {
            if section_has_phrase(read, k, &atom.words) {
                out.insert(k.doc);
            }
        }
    }
    Some(out)
}
