//! What a query's words match in the dictionary: each word as typed, its stems, the last
//! word's prefix expansions, and typo corrections for words that match nothing.

use std::cell::RefCell;

use fst::{Automaton, IntoStreamer, Map, Streamer};

use super::cache::TypoCache;
use super::loaded::{entry_at, Entry, List, Loaded, Reader};
use super::typo;
use super::{MAX_EXPANSIONS, MAX_QUERY_TERMS, PREFIX_FACTOR, STEM_FACTOR, TYPO_FACTOR};
use crate::files::DataFile;
use crate::query::{Atom, Query};
use crate::sort;
use crate::text::{entity_key, heading_key, is_surface_key, stem_key, Lang};

/// A typo dictionary and the length of all its words.
type TypoDict<'e> = (usize, &'e Map<Vec<u8>>);

/// A key a query word matched, and how much it counts.
pub(super) struct KeyMatch<'e> {
    pub(super) key: String,
    pub(super) entry: Entry<'e>,
    pub(super) factor: f32,
}

/// A query word and the keys it matched.
pub(super) struct WordMatch<'e> {
    pub(super) keys: Vec<KeyMatch<'e>>,
}

pub(super) struct AtomMatch<'e> {
    pub(super) words: Vec<WordMatch<'e>>,
    pub(super) flags: Vec<KeyMatch<'e>>,
}

pub(super) struct GroupMatch<'e> {
    pub(super) atoms: Vec<AtomMatch<'e>>,
    /// Skipped: a single word on most sections, beside more specific words.
    pub(super) skip: bool,
}

/// Everything the query's words matched in the dictionary.
pub(super) struct Words<'e> {
    pub(super) groups: Vec<GroupMatch<'e>>,
    pub(super) corrected: Vec<(String, String)>,
}

/// Round one to three: every query word's exact, stem, prefix and typo keys.
pub(super) fn match_words<'e>(
    read: &mut Reader<'e>,
    typos: &RefCell<TypoCache>,
    q: &Query,
) -> Option<Words<'e>> {
    let prefix_word = last_prefix_word(q);
    want_keys(read, q);
    read.ready()?;
    // Prefix expansion of the last word may run on into the next shards.
    let mut expansions: Vec<(String, Entry<'e>)> = Vec::new();
    if let Some(word) = prefix_word {
        expand_prefix(read, word, &mut expansions);
        read.ready()?;
    }
    let (mut groups, unmatched) = match_groups(read, q, prefix_word, &expansions);
    skip_common_words(read, q, &mut groups);
    want_long_postings(read, &groups);
    // Words that matched nothing as typed: typo corrections (two more rounds at most).
    let mut corrected = Vec::new();
    if !unmatched.is_empty() {
        let fixes = typo_fixes(read, typos, &unmatched)?;
        corrected = apply_typo_fixes(q, &mut groups, fixes);
    }
    Some(Words { groups, corrected })
}

/// Asks for the shards of every key the query's words may match as typed: the words, their
/// stems and the flags.
fn want_keys(read: &mut Reader<'_>, q: &Query) {
    for atom in q.groups.iter().flatten() {
        for w in &atom.words {
            read.want(w);
            for lang in [Lang::En, Lang::De] {
                if let Some(k) = stem_key(w, lang) {
                    read.want(&k);
                }
            }
        }
        for f in &atom.flags {
            read.want(f);
        }
    }
}

/// The keys each word of each group matched (the prefix expansions going to the query's last
/// word), and the words that matched nothing.
fn match_groups<'e, 'q>(
    read: &mut Reader<'e>,
    q: &'q Query,
    prefix_word: Option<&str>,
    expansions: &[(String, Entry<'e>)],
) -> (Vec<GroupMatch<'e>>, Vec<&'q str>) {
    let mut groups = Vec::with_capacity(q.groups.len());
    let mut unmatched: Vec<&str> = Vec::new();
    for (g, group) in q.groups.iter().enumerate() {
        let mut atoms = Vec::with_capacity(group.len());
        for (a, atom) in group.iter().enumerate() {
            let is_last =
                g.saturating_add(1) == q.groups.len() && a.saturating_add(1) == group.len();
            let mut words = Vec::with_capacity(atom.words.len());
            for (i, w) in atom.words.iter().enumerate() {
                let last_word = is_last && i.saturating_add(1) == atom.words.len();
                let prefixes = (last_word && prefix_word == Some(w.as_str())).then_some(expansions);
                let keys = word_keys(read, w, prefixes);
                if keys.is_empty() {
                    unmatched.push(w);
                }
                words.push(WordMatch { keys });
            }
            let flags = atom
                .flags
                .iter()
                .filter_map(|f| {
                    Some(KeyMatch {
                        key: f.clone(),
                        entry: read.lookup(f)?,
                        factor: 1.0,
                    })
                })
                .collect();
            atoms.push(AtomMatch { words, flags });
        }
        groups.push(GroupMatch { atoms, skip: false });
    }
    (groups, unmatched)
}

/// The keys one word matched: itself, its stems, and (for an unfinished last word) the keys it
/// is a prefix of.
fn word_keys<'e>(
    read: &mut Reader<'e>,
    w: &str,
    prefixes: Option<&[(String, Entry<'e>)]>,
) -> Vec<KeyMatch<'e>> {
    let mut keys = Vec::new();
    if let Some(entry) = read.lookup(w) {
        keys.push(KeyMatch {
            key: w.to_string(),
            entry,
            factor: 1.0,
        });
    }
    for lang in [Lang::En, Lang::De] {
        let Some(k) = stem_key(w, lang) else { continue };
        if keys.iter().any(|x| x.key == k) {
            continue;
        }
        if let Some(entry) = read.lookup(&k) {
            keys.push(KeyMatch {
                key: k,
                entry,
                factor: STEM_FACTOR,
            });
        }
    }
    if let Some(expansions) = prefixes {
        keys.extend(expansions.iter().map(|(key, entry)| KeyMatch {
            key: key.clone(),
            entry: *entry,
            factor: PREFIX_FACTOR,
        }));
    }
    keys
}

/// Words on most sections (`the`, `is`) say little and cost the most: when the query has
/// other words, they neither score nor count towards coverage, and their postings are never
/// fetched.
fn skip_common_words(read: &mut Reader<'_>, q: &Query, groups: &mut [GroupMatch<'_>]) {
    let half = read.head().sections / 2;
    let common: Vec<bool> = q
        .groups
        .iter()
        .map(|g| match g.as_slice() {
            [atom] => match atom.words.as_slice() {
                [w] => read.lookup(w).is_some_and(|e| e.df > half),
                _ => false,
            },
            _ => false,
        })
        .collect();
    if common.iter().any(|&c| c) && common.iter().any(|&c| !c) {
        for (gm, c) in groups.iter_mut().zip(common) {
            gm.skip = c;
        }
    }
}

/// The long postings lists of what matched already are fetched with the next round's files
/// (typo dictionaries, shards of corrections), not in a round of their own.
fn want_long_postings(read: &mut Reader<'_>, groups: &[GroupMatch<'_>]) {
    for gm in groups.iter().filter(|g| !g.skip) {
        for am in &gm.atoms {
            let keys = am.words.iter().flat_map(|w| &w.keys).chain(&am.flags);
            for k in keys {
                if let List::File(id) = k.entry.list {
                    let _ = read.file(DataFile::Postings(id));
                }
            }
        }
    }
}

/// Gives each word that matched nothing its corrections (`fixes`, in the order of those
/// words); returns each corrected word with its best correction.
fn apply_typo_fixes<'e>(
    q: &Query,
    groups: &mut [GroupMatch<'e>],
    mut fixes: Vec<Vec<KeyMatch<'e>>>,
) -> Vec<(String, String)> {
    let mut corrected = Vec::new();
    let mut w = 0usize;
    for (group, gm) in q.groups.iter().zip(groups) {
        for (atom, am) in group.iter().zip(&mut gm.atoms) {
            for (word, wm) in atom.words.iter().zip(&mut am.words) {
                if !wm.keys.is_empty() {
                    continue;
                }
                let Some(found) = fixes.get_mut(w) else {
                    continue;
                };
                w = w.saturating_add(1);
                if let Some(best) = found.first() {
                    corrected.push((word.clone(), best.key.clone()));
                }
                wm.keys = std::mem::take(found);
            }
        }
    }
    corrected
}

/// Surface keys starting with `word` (not `word` itself), up to [`MAX_EXPANSIONS`], in
/// key order, across as many shards as they span.
fn expand_prefix<'e>(read: &mut Reader<'e>, word: &str, out: &mut Vec<(String, Entry<'e>)>) {
    let head = read.head();
    let mut i = head.shard_of(word);
    loop {
        let Some(shard) = read.shard(i) else { return };
        let mut stream = shard
            .map
            .search(fst::automaton::Str::new(word).starts_with())
            .into_stream();
        while let Some((key, off)) = stream.next() {
            if key == word.as_bytes() || !is_surface_key(key) {
                continue;
            }
            let entry = usize::try_from(off)
                .ok()
                .and_then(|off| entry_at(&shard.lists, off));
            if let Some(entry) = entry {
                out.push((String::from_utf8_lossy(key).into_owned(), entry));
            }
            if out.len() >= MAX_EXPANSIONS {
                return;
            }
        }
        i = i.saturating_add(1);
        match head.shards.get(i) {
            Some(first) if first.starts_with(word) => continue,
            _ => return,
        }
    }
}

/// For each word, the dictionary words within its edit limit at the smallest distance
/// found, closest and then alphabetically first, at most [`MAX_EXPANSIONS`], each weighted
/// down by [`TYPO_FACTOR`] per edit.
fn typo_fixes<'e>(
    read: &mut Reader<'e>,
    typos: &RefCell<TypoCache>,
    words: &[&str],
) -> Option<Vec<Vec<KeyMatch<'e>>>> {
    let head = read.head();
    let mut dicts: Vec<Vec<TypoDict<'e>>> = Vec::with_capacity(words.len());
    for w in words {
        let max = if w.is_ascii() {
            typo::max_edits(w.len())
        } else {
            0
        };
        let mut mine = Vec::new();
        if max > 0 {
            let lo = w.len().saturating_sub(max as usize);
            let hi = w.len().saturating_add(max as usize);
            for len in lo..=hi {
                if !head
                    .typo_lengths
                    .contains(&u8::try_from(len).unwrap_or(u8::MAX))
                {
                    continue;
                }
                if let Some(Loaded::Typo(d)) = read.file(DataFile::Typo(len)) {
                    mine.push((len, d));
                }
            }
        }
        dicts.push(mine);
    }
    read.ready()?;
    let mut found: Vec<Vec<(String, u32)>> = Vec::with_capacity(words.len());
    for (w, mine) in words.iter().zip(&dicts) {
        // Every dictionary the word needs is loaded: its candidates are final.
        let cached = typos.borrow().get(w).cloned();
        let all = match cached {
            Some(all) => all,
            None => {
                let max = typo::max_edits(w.len());
                let mut all: Vec<(String, u32)> = mine
                    .iter()
                    .flat_map(|&(len, d)| typo::candidates_of_len(d, w, max, len))
                    .collect();
                sort::sort_by(&mut all, &mut |a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
                if let Some(best) = all.first().map(|f| f.1) {
                    all.retain(|f| f.1 == best);
                }
                all.truncate(MAX_EXPANSIONS);
                typos.borrow_mut().put(w, &all);
                all
            }
        };
        for (term, _) in &all {
            read.want(term);
        }
        found.push(all);
    }
    read.ready()?;
    Some(
        found
            .into_iter()
            .map(|list| {
                list.into_iter()
                    .filter_map(|(term, d)| {
                        let entry = read.lookup(&term)?;
                        Some(KeyMatch {
                            key: term,
                            entry,
                            factor: TYPO_FACTOR.powi(i32::try_from(d).unwrap_or(2)),
                        })
                    })
                    .collect()
            })
            .collect(),
    )
}

/// The last word of the query when it may be unfinished (search as you type).
pub(super) fn last_prefix_word(q: &Query) -> Option<&str> {
    let atom = q.groups.last()?.last()?;
    (!atom.phrase && q.last_is_prefix)
        .then(|| atom.words.last().map(String::as_str))
        .flatten()
}

/// The entity key to look up when the query is nothing but one name (every group a single
/// atom): `booking-api` → `booking api`.
pub(super) fn entity_query(q: &Query) -> Option<String> {
    if q.groups.is_empty() || q.groups.iter().any(|g| g.len() != 1) {
        return None;
    }
    let words: Vec<String> = q
        .groups
        .iter()
        .flat_map(|g| g.iter().flat_map(|a| a.words.iter().cloned()))
        .collect();
    (!words.is_empty()).then(|| entity_key(&words))
}

/// The heading key to look up when the query is plain words (no filter, exclusion or `OR`):
/// its words as a heading would fold them, `Get-AzVM` and `get azvm` alike.
pub(super) fn heading_query(text: &str, q: &Query) -> Option<String> {
    if q.groups.is_empty() || !q.filters.is_empty() || !q.excludes.is_empty() {
        return None;
    }
    // A CJK run is several groups of one atom each; `OR` makes a group of two.
    if q.groups.iter().any(|g| g.len() != 1) {
        return None;
    }
    let words = crate::text::words(text);
    (!words.is_empty()).then(|| heading_key(&words))
}

/// The heading key of `text` with each corrected word (`corrected`: as typed, its best
/// correction) replaced: "Runneing x.py" is looked up as the heading "running x.py", so a typo
/// does not lose the exact section to a longer heading that merely contains the words.
pub(super) fn corrected_heading_query(text: &str, corrected: &[(String, String)]) -> String {
    let words: Vec<String> = crate::text::words(text)
        .into_iter()
        .map(|w| {
            corrected
                .iter()
                .find(|(typed, _)| *typed == w)
                .map_or(w, |(_, fixed)| fixed.clone())
        })
        .collect();
    heading_key(&words)
}

/// Keeps the first [`MAX_QUERY_TERMS`] words and filters of `q` (groups, then
/// exclusions, then filters, each in the order typed) and drops the rest; returns how many
/// were dropped. A query that was cut has no unfinished last word any more.
pub(super) fn cap_terms(q: &mut Query) -> usize {
    let mut budget = MAX_QUERY_TERMS;
    let mut dropped = 0usize;
    // An atom's flags are its words written whole (`--out-dir` is `out`, `dir` and
    // `--out-dir`): they cost the larger of the two counts.
    {
        let mut take = |atom: &mut Atom| {
            let n = atom.words.len().max(atom.flags.len());
            if n <= budget {
                budget = budget.saturating_sub(n);
                true
            } else {
                // A long atom (`a.b.c`, a quoted phrase) keeps the words that still fit.
                atom.words.truncate(budget);
                atom.flags.truncate(budget);
                dropped = dropped.saturating_add(n.saturating_sub(budget));
                budget = 0;
                !atom.words.is_empty() || !atom.flags.is_empty()
            }
        };
        for group in &mut q.groups {
            group.retain_mut(&mut take);
        }
        q.groups.retain(|g| !g.is_empty());
        q.excludes.retain_mut(&mut take);
    }
    let filters = q.filters.len();
    q.filters.truncate(budget);
    dropped = dropped.saturating_add(filters.saturating_sub(q.filters.len()));
    if dropped > 0 {
        q.last_is_prefix = false;
    }
    dropped
}
