//! A query's best pages: by summing every section its groups name, or, for a long query of
//! common words, by scoring only the pages its rarer groups name.
//!
//! Results rank pages by how many of the query's groups their best section matches, then by
//! score. A page none of whose sections is named by the rarer groups matches at most the
//! common ones; once `k` pages named by the rarer groups match more than that, no other page
//! can enter the first `k`, and the common words' long lists are only looked into at those
//! pages. The answer is the one summing every section gives (a test compares both on random
//! queries); when the rarer groups do not settle it, every section is summed.

use super::page_set::PageSet;
use super::scores::{
    apply_bonus, best_of, insert_top, merge_sum, PageScore, Scored, SectionKey, INSERTION_TOP_K,
};

/// What ranks a query's pages: its groups' scores (in query order) and the sections defining
/// the entity it names.
pub struct Ranking<'a> {
    /// Per group of the query, the sections it names and their scores.
    pub groups: &'a [Scored],
    /// Sections the query names outright (a catalog row defining the entity it names, a
    /// heading that is the query), in section order, each with what is added to its score.
    pub bonus: &'a [(SectionKey, f32)],
    /// The groups each of `bonus` counts as matching.
    pub bonus_covered: u32,
}

/// A query's best pages and how many pages match it.
pub struct Ranked {
    /// The best pages, best first.
    pub top: Vec<PageScore>,
    /// Pages with a matching section (that `passes` accepts).
    pub total: usize,
    /// Those pages, in order, when asked for.
    pub docs: Vec<u32>,
}

/// Below this many scored sections in all, summing them all is as quick as anything.
const PRUNE_MIN_ENTRIES: usize = 8192;

impl Ranking<'_> {
    /// Whether page sets of the pages named are small: a damaged file naming a page number far
    /// beyond the sections read would make a bit set of gigabytes (the slots have the same rule).
    fn sets_fit(&self) -> bool {
        let entries: usize = self.groups.iter().map(Scored::len).sum();
        let highest = self
            .groups
            .iter()
            .filter_map(|g| g.as_slice().last().map(|e| e.0.doc))
            .chain(self.bonus.last().map(|k| k.0.doc))
            .max()
            .unwrap_or(0);
        usize::try_from(highest)
            .is_ok_and(|h| h <= entries.saturating_mul(16).saturating_add(1 << 16))
    }

    /// Every page with a matching section, in order.
    pub fn matching_docs(&self) -> Vec<u32> {
        if self.sets_fit() {
            return self.matching().iter().collect();
        }
        let mut docs: Vec<u32> = self
            .groups
            .iter()
            .flat_map(|g| g.as_slice().iter().map(|e| e.0.doc))
            .chain(self.bonus.iter().map(|k| k.0.doc))
            .collect();
        crate::sort::sort(&mut docs);
        docs.dedup();
        docs
    }

    /// Every page with a matching section ([`Ranking::sets_fit`] must hold).
    fn matching(&self) -> PageSet {
        let mut set = PageSet::of_docs(self.bonus.iter().map(|k| k.0.doc));
        for g in self.groups {
            set.union_with(g.pages());
        }
        set
    }

    /// The best `k` pages that `passes` accepts (`filtered`: whether it may refuse any), with
    /// how many pages match and, if `want_docs`, which.
    pub fn best(
        &self,
        k: usize,
        passes: &dyn Fn(u32) -> bool,
        filtered: bool,
        want_docs: bool,
    ) -> Ranked {
        if let Some(top) = self.pruned(k, passes) {
            let matching = self.matching();
            let (total, docs) = if want_docs {
                let docs: Vec<u32> = matching.iter().filter(|&d| passes(d)).collect();
                (docs.len(), docs)
            } else if filtered {
                (matching.iter().filter(|&d| passes(d)).count(), Vec::new())
            } else {
                (matching.len(), Vec::new())
            };
            return Ranked { top, total, docs };
        }
        self.summed(k, passes, want_docs)
    }

    /// By summing every section the groups name.
    fn summed(&self, k: usize, passes: &dyn Fn(u32) -> bool, want_docs: bool) -> Ranked {
        let mut acc = Scored::combine(self.groups);
        acc.add_bonus(self.bonus.iter().copied(), self.bonus_covered);
        let mut pages = acc.best_per_page(passes);
        let total = pages.len();
        let docs = if want_docs {
            pages.iter().map(|p| p.doc).collect()
        } else {
            Vec::new()
        };
        super::scores::top_k(&mut pages, k);
        Ranked {
            top: pages,
            total,
            docs,
        }
    }

    /// By scoring only the pages the rarer groups name, adding groups (rarest first) until the
    /// `k`th best of those pages matches more groups than the others leave; `None` when that
    /// would mean scoring most of what summing every section does.
    fn pruned(&self, k: usize, passes: &dyn Fn(u32) -> bool) -> Option<Vec<PageScore>> {
        let g = self.groups.len();
        if g < 2 || k == 0 || k > INSERTION_TOP_K || !self.sets_fit() {
            return None;
        }
        let entries: usize = self.groups.iter().map(Scored::len).sum();
        if entries < PRUNE_MIN_ENTRIES {
            return None;
        }
        let mut order: Vec<usize> = (0..g).collect();
        crate::sort::sort_by_key(&mut order, |&i| self.groups.get(i).map_or(0, Scored::len));
        let mut scorer = PageScorer::new(self);
        let mut scored = PageSet::default();
        let mut best: Vec<PageScore> = Vec::with_capacity(k.saturating_add(1));
        // The rarer groups: `order[..r]`.
        let mut r = 1;
        loop {
            let rare = order.get(..r)?;
            let rare_entries: usize = rare
                .iter()
                .filter_map(|&i| self.groups.get(i))
                .map(Scored::len)
                .sum();
            // Each page is looked up in every group: worth it while the pages are few.
            if rare_entries.saturating_mul(g) > entries.saturating_mul(2) {
                return None;
            }
            let mut candidates = PageSet::of_docs(self.bonus.iter().map(|k| k.0.doc));
            for g in rare.iter().filter_map(|&i| self.groups.get(i)) {
                candidates.union_with(g.pages());
            }
            scorer.rewind();
            for d in candidates.without(&scored).iter().filter(|&d| passes(d)) {
                if let Some(p) = scorer.score(d) {
                    insert_top(&mut best, p, k);
                }
            }
            scored = candidates;
            // Pages none of the rarer groups names match at most the other groups.
            let others = u32::try_from(g.saturating_sub(r)).ok()?;
            let kth = if best.len() >= k {
                best.last().map_or(0, |p| p.covered)
            } else {
                0
            };
            if kth > others {
                return Some(best);
            }
            // One more group: its pages may raise the `k`th best as well as add candidates.
            r = r.saturating_add(1);
            if r >= g {
                return None;
            }
        }
    }
}

/// A group's sections on one page beyond this many are merged into the page's sums, not
/// inserted one by one.
const SMALL_RANGE: usize = 8;

/// Scores pages one at a time, in page order, from a cursor in each group's sections.
struct PageScorer<'r, 'a> {
    ranking: &'r Ranking<'a>,
    cursors: Vec<usize>,
    bonus_cursor: usize,
    sums: Vec<(SectionKey, f32, u32)>,
    buffer: Vec<(SectionKey, f32, u32)>,
}

impl<'r, 'a> PageScorer<'r, 'a> {
    fn new(ranking: &'r Ranking<'a>) -> Self {
        Self {
            ranking,
            cursors: vec![0; ranking.groups.len()],
            bonus_cursor: 0,
            sums: Vec::new(),
            buffer: Vec::new(),
        }
    }

    /// Back to the first page.
    fn rewind(&mut self) {
        self.cursors.iter_mut().for_each(|c| *c = 0);
        self.bonus_cursor = 0;
    }

    /// Page `doc`'s best section, as summing every section would find it; pages must come in
    /// increasing order since the last rewind.
    fn score(&mut self, doc: u32) -> Option<PageScore> {
        self.sums.clear();
        for (g, cursor) in self.ranking.groups.iter().zip(&mut self.cursors) {
            let range = page_range(g.as_slice(), cursor, doc, |e| e.0.doc);
            if range.len() > SMALL_RANGE {
                merge_sum(&mut self.sums, &mut self.buffer, range);
                continue;
            }
            // A page's few sections: added in place, as `merge_sum` would add them.
            let mut i = 0;
            for &(k, score) in range {
                while self.sums.get(i).is_some_and(|e| e.0 < k) {
                    i = i.saturating_add(1);
                }
                match self.sums.get_mut(i) {
                    Some(e) if e.0 == k => {
                        e.1 += score;
                        e.2 = e.2.saturating_add(1);
                    }
                    _ => self.sums.insert(i, (k, score, 1)),
                }
            }
        }
        let bonus = page_range(self.ranking.bonus, &mut self.bonus_cursor, doc, |k| k.0.doc);
        if !bonus.is_empty() {
            apply_bonus(&mut self.sums, bonus, self.ranking.bonus_covered);
        }
        best_of(&self.sums)
    }
}

/// The items of page `doc` in `items` (in page order), searched from `*cursor` on, which
/// moves past them: galloping, so a page far ahead costs a few steps, not a walk.
fn page_range<'i, T>(
    items: &'i [T],
    cursor: &mut usize,
    doc: u32,
    doc_of: impl Fn(&T) -> u32,
) -> &'i [T] {
    let rest = items.get(*cursor..).unwrap_or_default();
    // Where the pages are dense, the next item is often on the page or beyond it.
    if rest.first().is_none_or(|e| doc_of(e) >= doc) {
        let len = rest.iter().take_while(|e| doc_of(e) == doc).count();
        *cursor = cursor.saturating_add(len);
        return rest.get(..len).unwrap_or_default();
    }
    let mut step = 1usize;
    while rest.get(step).is_some_and(|e| doc_of(e) < doc) {
        step = step.saturating_mul(2);
    }
    let window = rest
        .get(..step.saturating_add(1).min(rest.len()))
        .unwrap_or_default();
    let start = window.partition_point(|e| doc_of(e) < doc);
    let rest = rest.get(start..).unwrap_or_default();
    // A page's sections are few: walked, not searched.
    let len = rest.iter().take_while(|e| doc_of(e) == doc).count();
    *cursor = cursor.saturating_add(start).saturating_add(len);
    rest.get(..len).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::scores::random_keys;
    use super::*;

    /// A group naming up to `len` sections of `docs` pages (of up to 6 sections), scored in
    /// `1..=20`.
    fn group(rand: &mut impl FnMut(u64) -> u64, len: u64, docs: u64) -> Scored {
        let keys = random_keys(rand, len, docs, 6);
        Scored::from_lists(vec![keys
            .into_iter()
            .map(|k| (k, (1 + rand(20)) as f32 / 4.0))
            .collect()])
    }

    #[test]
    fn scoring_the_rarer_groups_pages_ranks_as_summing_every_section() {
        let mut rand = crate::test_rand::below(23);
        let mut pruned = 0;
        for round in 0..250 {
            // A long query: a few rare words and many common ones, as natural language has.
            let docs = 2000;
            let groups: Vec<Scored> = (0..2 + rand(10))
                .map(|_| {
                    let len = match rand(3) {
                        0 => rand(60),
                        1 => 500 + rand(2000),
                        _ => 3000 + rand(6000),
                    };
                    group(&mut rand, len, docs)
                })
                .collect();
            let n = rand(3);
            let bonus: Vec<(SectionKey, f32)> = random_keys(&mut rand, n, docs, 8)
                .into_iter()
                .map(|k| (k, 8.0))
                .collect();
            let ranking = Ranking {
                groups: &groups,
                bonus: &bonus,
                bonus_covered: groups.len() as u32,
            };
            let k = [1, 3, 10, 20][rand(4) as usize];
            let odd_out = round % 5 == 0;
            let passes = |d: u32| !odd_out || d.is_multiple_of(2);
            let want = ranking.summed(k, &passes, true);
            if let Some(top) = ranking.pruned(k, &passes) {
                pruned += 1;
                assert_eq!(top, want.top, "round {round}");
            }
            let got = ranking.best(k, &passes, odd_out, true);
            assert_eq!(got.top, want.top, "round {round}");
            assert_eq!(got.total, want.total, "round {round}");
            assert_eq!(got.docs, want.docs, "round {round}");
            let fast = ranking.best(k, &passes, odd_out, false);
            assert_eq!(
                (fast.top, fast.total),
                (want.top, want.total),
                "round {round}"
            );
        }
        // Most of these queries are settled by their rarer groups' pages.
        assert!(
            pruned > 30,
            "only {pruned} of 250 queries took the short way"
        );
    }

    #[test]
    fn a_damaged_page_number_is_ranked_without_a_page_set() {
        let far = SectionKey {
            doc: u32::MAX - 1,
            section: 0,
        };
        let common = Scored::from_lists(vec![(0..9000u32)
            .map(|doc| (SectionKey { doc, section: 0 }, 1.0))
            .chain([(far, 1.0)])
            .collect()]);
        let rare = Scored::from_lists(vec![vec![(far, 2.0)]]);
        let groups = [rare, common];
        let ranking = Ranking {
            groups: &groups,
            bonus: &[],
            bonus_covered: 2,
        };
        assert!(!ranking.sets_fit());
        let got = ranking.best(3, &|_| true, false, true);
        assert_eq!(got.top.first().map(|p| p.doc), Some(far.doc));
        assert_eq!(got.total, 9001);
        assert_eq!(ranking.matching_docs().len(), 9001);
    }

    #[test]
    fn page_ranges_are_found_from_any_cursor() {
        let items: Vec<u32> = vec![1, 1, 2, 5, 5, 5, 9, 12, 12, 40];
        let mut cursor = 0;
        for (doc, want) in [
            (0, 0),
            (1, 2),
            (3, 0),
            (5, 3),
            (12, 2),
            (13, 0),
            (40, 1),
            (41, 0),
        ] {
            assert_eq!(
                page_range(&items, &mut cursor, doc, |&d| d).len(),
                want,
                "doc {doc}"
            );
            assert!(page_range(&items, &mut cursor.clone(), doc, |&d| d).is_empty());
        }
        assert_eq!(cursor, items.len());
    }
}
