//! One evaluation of a query over the files loaded so far, as its phases: read the query and
//! ask for the shards it needs first; match its words ([`super::words`]); score them
//! ([`super::accumulate`]) and gather what its conditions need ([`super::conditions`]); rank
//! the pages ([`super::top`]); show the best. A phase that finds files missing ends the round
//! (a [`super::Step::Need`]); the next round runs every phase again over more files.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use super::accumulate::{score_atom, score_word};
use super::cache::{ScoreCache, TypoCache};
use super::conditions;
use super::loaded::{Loaded, Reader};
use super::scores::{PageScore, Scored, SectionKey};
use super::top::{Ranked, Ranking};
use super::words::{self, cap_terms, entity_query, heading_query, Words};
use super::{filter, snippet, FacetCount, Hit, Matched, SearchOptions, SearchResults};
use super::{DEFINITION_BONUS, HEADING_BONUS, MAX_QUERY_TERMS};
use crate::files::FacetTable;
use crate::format::Head;
use crate::query::{self, Filter, Query};
use crate::text::title_key;

/// One evaluation of a query; records the files it found missing.
pub(super) struct Eval<'e> {
    read: Reader<'e>,
    scores: &'e RefCell<ScoreCache>,
    typos: &'e RefCell<TypoCache>,
}

/// The keys of what a query may name outright: an entity (a catalog row's name) and a heading.
#[derive(Clone, Copy)]
struct Named<'q> {
    entity: Option<&'q str>,
    heading: Option<&'q str>,
}

/// A `title:` filter and the title-word keys of its value.
type TitleFilter<'q> = (&'q Filter, Vec<String>);

/// What the scoring phase found: the scores ranking sorts, and what the conditions test.
struct Scores {
    /// Per group of the query (the skipped ones left out), its sections and their scores.
    groups: Vec<Scored>,
    /// The sections the query names outright (see [`Ranking::bonus`]), in section order.
    bonus: Vec<(SectionKey, f32)>,
    /// Per excluded atom, the sections holding all its words.
    excluded_sections: Vec<BTreeSet<SectionKey>>,
    /// Per `title:` filter, the pages whose titles hold its words.
    title_docs: Vec<BTreeSet<u32>>,
}

/// What the ranking phase found.
struct Pages {
    /// The best pages, best first.
    top: Vec<PageScore>,
    /// How many pages matched.
    total: usize,
    /// Facet values among all matching pages, when asked for.
    facets: Vec<FacetCount>,
}

impl<'e> Eval<'e> {
    /// An evaluation over `files` (and the site's `head`), with the engine's caches.
    pub(super) fn new(
        head: &'e Head,
        files: &'e BTreeMap<String, Loaded>,
        scores: &'e RefCell<ScoreCache>,
        typos: &'e RefCell<TypoCache>,
    ) -> Self {
        Self {
            read: Reader::new(head, files),
            scores,
            typos,
        }
    }

    /// The files found missing, in name order.
    pub(super) fn need(self) -> Vec<String> {
        self.read.need.into_iter().collect()
    }

    /// The answer to `query`, or `None` when files are missing (then recorded).
    pub(super) fn search(&mut self, query: &str, opts: &SearchOptions) -> Option<SearchResults> {
        let head = self.read.head();
        let mut q = query::parse(query, &|k| head.is_filter_key(k));
        let dropped = cap_terms(&mut q);
        // Ask for everything the query's metadata needs alongside its first shards.
        let wants_facets = opts.facets || q.filters.iter().any(|f| f.key != "title");
        let title_filters = title_filters(&q);
        let entity = entity_query(&q);
        let heading = heading_query(query, &q);
        self.want_with_first_shards(&q, wants_facets, &title_filters, entity.as_deref());
        if let Some(k) = &heading {
            self.read.want(k);
        }
        let words = words::match_words(&mut self.read, self.typos, &q)?;
        // Known only now: which words were typos, and what they meant.
        let heading = match heading {
            Some(_) if !words.corrected.is_empty() => {
                let k = words::corrected_heading_query(query, &words.corrected);
                self.read.want(&k);
                Some(k)
            }
            h => h,
        };
        let mut matched = Matched::default();
        let named = Named {
            entity: entity.as_deref(),
            heading: heading.as_deref(),
        };
        let scores = self.score(&q, &words, &title_filters, named, &mut matched)?;
        let pages = self.rank(&q, opts, wants_facets, &title_filters, scores)?;
        let hits = self.hits(&pages.top, &matched)?;
        Some(SearchResults {
            query: query.to_string(),
            total: pages.total,
            hits,
            corrected: words.corrected,
            matched,
            facets: pages.facets,
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

    /// What `query` matches, for highlighting a page: the matched words and stems, without
    /// ranking anything; `None` when files are missing (then recorded).
    pub(super) fn matched(&mut self, query: &str) -> Option<Matched> {
        let head = self.read.head();
        let mut q = query::parse(query, &|k| head.is_filter_key(k));
        cap_terms(&mut q);
        let words = words::match_words(&mut self.read, self.typos, &q)?;
        let mut matched = Matched::default();
        for g in &words.groups {
            for a in &g.atoms {
                for w in &a.words {
                    score_word(&mut self.read, self.scores, w, &mut matched)?;
                }
            }
        }
        Some(matched)
    }

    /// Phase 1: the files the query's conditions need, asked for with the shards of its words
    /// (the facet table, and the shards of title words, excluded words and the entity key).
    fn want_with_first_shards(
        &mut self,
        q: &Query,
        wants_facets: bool,
        title_filters: &[TitleFilter<'_>],
        entity: Option<&str>,
    ) {
        if wants_facets {
            let _ = self.read.facets();
        }
        for (_, keys) in title_filters {
            for k in keys {
                self.read.want(k);
            }
        }
        for atom in &q.excludes {
            for w in &atom.words {
                self.read.want(w);
            }
        }
        if let Some(k) = entity {
            self.read.want(k);
        }
    }

    /// Phase 3: scores per group (each the best of its atoms per section), and the sections
    /// and pages the conditions test; all asked for in one round.
    fn score(
        &mut self,
        q: &Query,
        words: &Words<'e>,
        title_filters: &[TitleFilter<'_>],
        named: Named<'_>,
        matched: &mut Matched,
    ) -> Option<Scores> {
        let groups = self.score_groups(q, words, matched);
        let mut sections_of = |key: Option<&str>| match key {
            Some(k) => match self.read.lookup(k) {
                Some(e) => self.read.postings(&e),
                None => Some(Vec::new()),
            },
            None => Some(Vec::new()),
        };
        let entity_sections = sections_of(named.entity);
        let heading_sections = sections_of(named.heading);
        let excluded_sections = conditions::exclusion_candidates(&mut self.read, &q.excludes);
        let title_docs: Vec<Option<BTreeSet<u32>>> = title_filters
            .iter()
            .map(|(_, keys)| conditions::docs_with_all(&mut self.read, keys))
            .collect();
        let groups = groups?;
        self.read.ready()?;
        let mut bonus: Vec<(SectionKey, f32)> = entity_sections
            .unwrap_or_default()
            .iter()
            .map(|p| (SectionKey::of(p), DEFINITION_BONUS))
            .chain(
                heading_sections
                    .unwrap_or_default()
                    .iter()
                    .map(|p| (SectionKey::of(p), HEADING_BONUS)),
            )
            .collect();
        crate::sort::sort_by(&mut bonus, &mut |a, b| a.0.cmp(&b.0));
        // A row both defining the entity and headed by its name gets both.
        bonus.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 += later.1;
            }
            same
        });
        Some(Scores {
            groups,
            bonus,
            excluded_sections: excluded_sections.unwrap_or_default(),
            title_docs: title_docs.into_iter().flatten().collect(),
        })
    }

    /// Each group's scores, the groups skipped as common left out; `None` when a file is
    /// missing (every group is still asked, so all of them come in one round).
    fn score_groups(
        &mut self,
        q: &Query,
        words: &Words<'e>,
        matched: &mut Matched,
    ) -> Option<Vec<Scored>> {
        let mut group_scores: Vec<Scored> = Vec::new();
        let mut missing = false;
        for (group, gm) in q.groups.iter().zip(&words.groups) {
            if gm.skip {
                continue;
            }
            let mut best = Scored::default();
            for (atom, am) in group.iter().zip(&gm.atoms) {
                let Some(s) = score_atom(&mut self.read, self.scores, atom, am, matched) else {
                    missing = true;
                    continue;
                };
                best = best.union_max(s);
            }
            group_scores.push(best);
        }
        (!missing).then_some(group_scores)
    }

    /// Phase 4: the conditions on pages (exclusions, then filters), and the best pages that
    /// pass them; pages matching more of the query's groups come first.
    fn rank(
        &mut self,
        q: &Query,
        opts: &SearchOptions,
        wants_facets: bool,
        title_filters: &[TitleFilter<'_>],
        scores: Scores,
    ) -> Option<Pages> {
        let n_groups = u32::try_from(q.groups.len()).unwrap_or(u32::MAX);
        let ranking = Ranking {
            groups: &scores.groups,
            // A query that is exactly an entity's name (`booking-api`, `notification_log`)
            // puts the catalog row defining it first, ahead of pages that merely mention it.
            bonus: &scores.bonus,
            bonus_covered: n_groups,
        };
        let excluded = conditions::excluded_docs(
            &mut self.read,
            &q.excludes,
            scores.excluded_sections,
            &ranking,
        )?;
        let facets: Option<&FacetTable> = if wants_facets {
            Some(self.read.facets()?)
        } else {
            None
        };
        let metadata: Vec<&Filter> = q.filters.iter().filter(|f| f.key != "title").collect();
        let passes = |d: u32| {
            !excluded.contains(&d)
                && title_filters
                    .iter()
                    .zip(&scores.title_docs)
                    .all(|((f, _), docs)| docs.contains(&d) != f.negated)
                && metadata
                    .iter()
                    .all(|f| facets.is_some_and(|t| filter::metadata_holds(t, d, f)))
        };
        let want_docs = opts.facets && facets.is_some();
        let ranked = if n_groups == 0 && !q.filters.is_empty() {
            self.filtered_only(opts.limit, &passes)
        } else {
            let filtered =
                !excluded.is_empty() || !title_filters.is_empty() || !metadata.is_empty();
            ranking.best(opts.limit, &passes, filtered, want_docs)
        };
        let facet_counts = match (opts.facets, facets) {
            (true, Some(t)) => filter::facet_counts(t, ranked.docs.iter().copied()),
            _ => Vec::new(),
        };
        Some(Pages {
            top: ranked.top,
            total: ranked.total,
            facets: facet_counts,
        })
    }

    /// Filters alone list the pages they select, in path order.
    fn filtered_only(&self, limit: usize, passes: &dyn Fn(u32) -> bool) -> Ranked {
        let docs: Vec<u32> = (0..self.read.head().docs).filter(|&d| passes(d)).collect();
        let top = docs
            .iter()
            .take(limit)
            .map(|&doc| PageScore {
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
    }

    /// Phase 5: the hits shown, from the text of their sections (one more round).
    fn hits(&mut self, pages: &[PageScore], matched: &Matched) -> Option<Vec<Hit>> {
        for p in pages {
            let _ = self.read.fragment(p.doc, p.section);
        }
        self.read.ready()?;
        let hits = pages
            .iter()
            .filter_map(|p| {
                let fragment = self.read.fragment(p.doc, p.section)?;
                let section = fragment.section(p.section)?;
                Some(Hit {
                    doc: p.doc,
                    section: p.section,
                    path: fragment.path.clone(),
                    title: fragment.title.clone(),
                    anchor: section.anchor.clone(),
                    heading: section.heading.clone(),
                    score: p.score,
                    snippet: snippet(&section.text, matched),
                })
            })
            .collect();
        Some(hits)
    }
}

/// The query's `title:` filters, each with the title-word keys of its value.
fn title_filters(q: &Query) -> Vec<TitleFilter<'_>> {
    q.filters
        .iter()
        .filter(|f| f.key == "title")
        .map(|f| {
            let keys = crate::text::words(&f.value)
                .iter()
                .map(|w| title_key(w))
                .collect::<Vec<_>>();
            (f, keys)
        })
        .collect()
}
