//! One evaluation of a query over the files loaded so far: the dictionary and postings it
//! reads, the scores it sums, and the files it finds missing (a [`super::Step::Need`]).

use std::collections::BTreeSet;

use super::engine::{Engine, Loaded, Shard};
use super::scores::{self, Scored, SectionKey};
use super::top::{Ranked, Ranking};
use super::words::{cap_terms, entity_query, AtomMatch, KeyMatch, WordMatch};
use super::{filter, snippet, Hit, Matched, SearchOptions, SearchResults};
use super::{DEFINITION_BONUS, MAX_QUERY_TERMS};
use crate::files::{for_each_posting, DataFile, FacetTable, Fragment};
use crate::format::Head;
use crate::index::{idf, tf_of_impact, Posting};
use crate::query::{self, Atom, Filter};
use crate::text::{is_stem_key, title_key};
use crate::varint;

/// A dictionary entry: how many sections hold the key, and where its postings are.
#[derive(Clone, Copy)]
pub(super) struct Entry<'e> {
    pub(super) df: u32,
    pub(super) list: List<'e>,
}

#[derive(Clone, Copy)]
pub(super) enum List<'e> {
    Inline(&'e [u8], usize),
    File(u32),
}

/// One evaluation of a query; records the files it found missing.
pub(super) struct Eval<'e> {
    pub(super) engine: &'e Engine,
    pub(super) need: BTreeSet<String>,
}

impl<'e> Eval<'e> {
    pub(super) fn new(engine: &'e Engine) -> Self {
        Self {
            engine,
            need: BTreeSet::new(),
        }
    }

    pub(super) fn head(&self) -> &'e Head {
        &self.engine.head
    }

    /// The file `name` if loaded; else records it as needed.
    pub(super) fn file(&mut self, file: DataFile) -> Option<&'e Loaded> {
        let engine: &'e Engine = self.engine;
        let name = file.name();
        match engine.files.get(&name) {
            Some(f) => Some(f),
            None => {
                self.need.insert(name);
                None
            }
        }
    }

    /// `Some(())` when nothing is missing so far: the end of a round.
    pub(super) fn ready(&self) -> Option<()> {
        self.need.is_empty().then_some(())
    }

    pub(super) fn shard(&mut self, i: usize) -> Option<&'e Shard> {
        match self.file(DataFile::Shard(i))? {
            Loaded::Shard(s) => Some(s),
            _ => None,
        }
    }

    /// Asks for the shard holding `key`.
    pub(super) fn want(&mut self, key: &str) {
        let i = self.head().shard_of(key);
        let _ = self.shard(i);
    }

    /// The dictionary entry of `key`; `None` when absent or its shard is not loaded (which is
    /// then recorded).
    pub(super) fn lookup(&mut self, key: &str) -> Option<Entry<'e>> {
        let shard = self.shard(self.head().shard_of(key))?;
        let off = usize::try_from(shard.map.get(key)?).ok()?;
        entry_at(&shard.lists, off)
    }

    /// Postings of an entry; `None` when its file is not loaded yet (recorded).
    pub(super) fn postings(&mut self, entry: &Entry<'e>) -> Option<Vec<Posting>> {
        let mut out = Vec::new();
        self.each_posting(entry, |p| out.push(p))?;
        Some(out)
    }

    /// Hands each posting of an entry to `f`, in stored order, without collecting them;
    /// `None` when its file is not loaded yet (recorded).
    pub(super) fn each_posting(&mut self, entry: &Entry<'e>, f: impl FnMut(Posting)) -> Option<()> {
        match entry.list {
            List::Inline(bytes, mut pos) => for_each_posting(bytes, &mut pos, entry.df, f),
            List::File(id) => match self.file(DataFile::Postings(id))? {
                Loaded::Postings(bytes) => for_each_posting(bytes, &mut 0, entry.df, f),
                _ => return None,
            },
        }
        Some(())
    }

    pub(super) fn fragment(&mut self, doc: u32, section: u32) -> Option<&'e Fragment> {
        match self.file(DataFile::fragment_of(self.head(), doc, section))? {
            Loaded::Fragment(f) => Some(f),
            _ => None,
        }
    }

    pub(super) fn facets(&mut self) -> Option<&'e FacetTable> {
        match self.file(DataFile::Facets)? {
            Loaded::Facets(f) => Some(f),
            _ => None,
        }
    }

    /// Per-section BM25 of one word: the best of its keys. Records matched keys.
    pub(super) fn score_word(
        &mut self,
        word: &WordMatch<'e>,
        matched: &mut Matched,
    ) -> Option<Scored> {
        self.score_keys(&word.keys, Some(matched))
    }

    pub(super) fn score_keys(
        &mut self,
        keys: &[KeyMatch<'e>],
        mut matched: Option<&mut Matched>,
    ) -> Option<Scored> {
        let postings: u64 = keys.iter().map(|k| u64::from(k.entry.df)).sum();
        let cache_key =
            (postings >= self.engine.scores.borrow().min_postings).then(|| cache_key(keys));
        if let Some(ck) = &cache_key {
            if let Some((scored, found)) = self.engine.scores.borrow_mut().get(ck) {
                if let Some(m) = matched {
                    for (k, _) in keys.iter().zip(found).filter(|(_, f)| *f) {
                        note_match(m, &k.key);
                    }
                }
                return Some(scored);
            }
        }
        let n = self.head().sections;
        let mut lists = Vec::with_capacity(keys.len());
        let mut found = vec![false; keys.len()];
        let mut missing = false;
        for (k, found) in keys.iter().zip(&mut found) {
            let w = idf(k.entry.df, n) * k.factor;
            let mut list =
                Vec::with_capacity(usize::try_from(k.entry.df.min(1 << 16)).unwrap_or(0));
            let read = self.each_posting(&k.entry, |p| {
                list.push((SectionKey::of(&p), w * tf_of_impact(p.impact)));
            });
            if read.is_none() {
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
            self.engine
                .scores
                .borrow_mut()
                .put(ck, scored.clone(), found);
        }
        Some(scored)
    }

    pub(super) fn search(&mut self, query: &str, opts: &SearchOptions) -> Option<SearchResults> {
        let mut q = query::parse(query, &|k| self.engine.head.is_filter_key(k));
        let dropped = cap_terms(&mut q);
        // Ask for everything the query's metadata needs alongside its first shards.
        let wants_facets = opts.facets || q.filters.iter().any(|f| f.key != "title");
        if wants_facets {
            let _ = self.facets();
        }
        let title_filters: Vec<(&Filter, Vec<String>)> = q
            .filters
            .iter()
            .filter(|f| f.key == "title")
            .map(|f| {
                let keys = crate::text::words(&f.value)
                    .iter()
                    .map(|w| title_key(w))
                    .collect::<Vec<_>>();
                (f, keys)
            })
            .collect();
        for (_, keys) in &title_filters {
            for k in keys {
                self.want(k);
            }
        }
        for atom in &q.excludes {
            for w in &atom.words {
                self.want(w);
            }
        }
        let entity = entity_query(&q);
        if let Some(k) = &entity {
            self.want(k);
        }
        let words = self.match_words(&q)?;

        // Scores per group; then summed per section, counting the groups each section matches.
        let mut matched = Matched::default();
        let mut group_scores: Vec<Scored> = Vec::new();
        let mut missing = false;
        for (group, gm) in q.groups.iter().zip(&words.groups) {
            if gm.skip {
                continue;
            }
            let mut best = Scored::default();
            for (atom, am) in group.iter().zip(&gm.atoms) {
                let Some(s) = self.score_atom(atom, am, &mut matched) else {
                    missing = true;
                    continue;
                };
                best = best.union_max(s);
            }
            group_scores.push(best);
        }
        let entity_sections = match &entity {
            Some(k) => match self.lookup(k) {
                Some(e) => self.postings(&e),
                None => Some(Vec::new()),
            },
            None => Some(Vec::new()),
        };
        let excluded_sections = self.exclusion_candidates(&q.excludes);
        let title_docs: Vec<Option<BTreeSet<u32>>> = title_filters
            .iter()
            .map(|(_, keys)| self.docs_with_all(keys))
            .collect();
        if missing {
            return None;
        }
        self.ready()?;
        let entity_sections = entity_sections.unwrap_or_default();
        let excluded_sections = excluded_sections.unwrap_or_default();
        let title_docs: Vec<BTreeSet<u32>> = title_docs.into_iter().flatten().collect();

        let n_groups = u32::try_from(q.groups.len()).unwrap_or(u32::MAX);
        let mut bonus: Vec<SectionKey> = entity_sections.iter().map(SectionKey::of).collect();
        crate::sort::sort(&mut bonus);
        let ranking = Ranking {
            groups: &group_scores,
            // A query that is exactly an entity's name (`booking-api`, `notification_log`)
            // puts the catalog row defining it first, ahead of pages that merely mention it.
            bonus: &bonus,
            bonus_score: DEFINITION_BONUS,
            bonus_covered: n_groups,
        };

        // Exclusions, then filters: conditions on pages.
        let excluded = self.excluded_docs(&q.excludes, excluded_sections, &ranking)?;
        let facets = if wants_facets {
            Some(self.facets()?)
        } else {
            None
        };
        let metadata: Vec<&Filter> = q.filters.iter().filter(|f| f.key != "title").collect();
        let passes = |d: u32| {
            !excluded.contains(&d)
                && title_filters
                    .iter()
                    .zip(&title_docs)
                    .all(|((f, _), docs)| docs.contains(&d) != f.negated)
                && metadata
                    .iter()
                    .all(|f| facets.is_some_and(|t| filter::metadata_holds(t, d, f)))
        };

        // Best section per page; pages matching more of the query's groups come first.
        let want_docs = opts.facets && facets.is_some();
        let ranked = if n_groups == 0 && !q.filters.is_empty() {
            // Filters alone list the pages they select, in path order.
            let docs: Vec<u32> = (0..self.head().docs).filter(|&d| passes(d)).collect();
            let top = docs
                .iter()
                .take(opts.limit)
                .map(|&doc| scores::PageScore {
                    doc,
                    section: 0,
                    score: 0.0,
                    covered: 0,
                })
                .collect();
            Ranked {
                top,
                total: docs.len(),
                docs,
            }
        } else {
            let filtered =
                !excluded.is_empty() || !title_filters.is_empty() || !metadata.is_empty();
            ranking.best(opts.limit, &passes, filtered, want_docs)
        };
        let (pages, total) = (ranked.top, ranked.total);
        let facet_counts = match (opts.facets, facets) {
            (true, Some(t)) => filter::facet_counts(t, ranked.docs.iter().copied()),
            _ => Vec::new(),
        };

        // The text of the sections shown: one more round.
        for p in &pages {
            let _ = self.fragment(p.doc, p.section);
        }
        self.ready()?;
        let hits = pages
            .iter()
            .filter_map(|p| {
                let fragment = self.fragment(p.doc, p.section)?;
                let section = fragment.section(p.section)?;
                Some(Hit {
                    doc: p.doc,
                    section: p.section,
                    path: fragment.path.clone(),
                    title: fragment.title.clone(),
                    anchor: section.anchor.clone(),
                    heading: section.heading.clone(),
                    score: p.score,
                    snippet: snippet(&section.text, &matched),
                })
            })
            .collect();
        Some(SearchResults {
            query: query.to_string(),
            total,
            hits,
            corrected: words.corrected,
            matched,
            facets: facet_counts,
            notices: (dropped > 0)
                .then(|| {
                    format!(
                        "The query is long: only its first {MAX_QUERY_TERMS} terms were searched for ({dropped} left out)."
                    )
                })
                .into_iter()
                .collect(),
        })
    }

    /// One atom: the sum of its words' scores over sections holding all of them (and, for a
    /// quoted phrase, holding them in order); or the score of a flag it names, if higher.
    pub(super) fn score_atom(
        &mut self,
        atom: &Atom,
        am: &AtomMatch<'e>,
        matched: &mut Matched,
    ) -> Option<Scored> {
        let mut combined: Option<Scored> = None;
        let mut missing = false;
        for wm in &am.words {
            match self.score_word(wm, matched) {
                Some(s) => {
                    combined = Some(match combined {
                        None => s,
                        Some(acc) => acc.intersect_sum(&s),
                    })
                }
                None => missing = true,
            }
        }
        let flags = self.score_keys(&am.flags, None);
        if missing {
            return None;
        }
        let mut out = combined.unwrap_or_default();
        if atom.phrase && atom.words.len() > 1 {
            out = self.verify_phrase(out, &atom.words)?;
        }
        Some(out.union_max(flags?))
    }
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

/// The dictionary entry at `off` in a shard's lists.
pub(super) fn entry_at(lists: &[u8], off: usize) -> Option<Entry<'_>> {
    let mut pos = off;
    let h = varint::read(lists, &mut pos)?;
    let df = u32::try_from(h >> 1).ok()?;
    let list = if h & 1 == 1 {
        List::File(u32::try_from(varint::read(lists, &mut pos)?).ok()?)
    } else {
        List::Inline(lists, pos)
    };
    Some(Entry { df, list })
}
