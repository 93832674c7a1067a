//! Score accumulation in sorted vectors of the (page, section) pairs that postings name, so a
//! query's work grows with the postings it reads, not with the corpus.

use std::cmp::Ordering;

use crate::index::Posting;
use crate::sort;

/// A section of a page; ordered by page, then section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionKey {
    /// Page index.
    pub doc: u32,
    /// Section index within the page.
    pub section: u32,
}

impl Ord for SectionKey {
    /// The derived order (page, then section) as one 64-bit comparison: every merge of score
    /// lists compares keys once per entry, and two branches there cost measurably more.
    fn cmp(&self, other: &Self) -> Ordering {
        self.packed().cmp(&other.packed())
    }
}

impl PartialOrd for SectionKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl SectionKey {
    fn packed(self) -> u64 {
        u64::from(self.doc).wrapping_shl(32) | u64::from(self.section)
    }

    /// The section a posting names.
    pub fn of(p: &Posting) -> Self {
        Self {
            doc: p.doc,
            section: p.section,
        }
    }
}

/// Scores of sections, sorted by section, each section once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scored {
    entries: Vec<(SectionKey, f32)>,
}

impl Scored {
    /// From lists of (section, score) pairs, each in section order as postings are stored,
    /// keeping each section's best score: merged, not sorted, so the cost is linear in the
    /// postings. A list out of order (a damaged file) is sorted first.
    pub fn from_lists(lists: Vec<Vec<(SectionKey, f32)>>) -> Self {
        let mut merged: Vec<Scored> = lists
            .into_iter()
            .map(|mut l| {
                if !l
                    .windows(2)
                    .all(|w| w.first().map(|x| x.0) < w.get(1).map(|y| y.0))
                {
                    sort::sort_unstable_by(&mut l, &mut |a, b| {
                        a.0.cmp(&b.0).then(b.1.total_cmp(&a.1))
                    });
                    l.dedup_by_key(|e| e.0);
                }
                Scored { entries: l }
            })
            .collect();
        // Pairwise rounds: each posting is merged log2(lists) times.
        while merged.len() > 1 {
            let mut next = Vec::with_capacity(merged.len().div_ceil(2));
            let mut it = merged.into_iter();
            while let Some(a) = it.next() {
                next.push(match it.next() {
                    Some(b) => a.union_max(b),
                    None => a,
                });
            }
            merged = next;
        }
        merged.pop().unwrap_or_default()
    }

    /// Sections in both, scores added.
    pub fn intersect_sum(&self, other: &Scored) -> Scored {
        let mut out = Vec::with_capacity(self.entries.len().min(other.entries.len()));
        let (mut a, mut b) = (
            self.entries.iter().peekable(),
            other.entries.iter().peekable(),
        );
        while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
            match x.0.cmp(&y.0) {
                Ordering::Less => {
                    a.next();
                }
                Ordering::Greater => {
                    b.next();
                }
                Ordering::Equal => {
                    out.push((x.0, x.1 + y.1));
                    a.next();
                    b.next();
                }
            }
        }
        Scored { entries: out }
    }

    /// Sections in either, the better score where both have one.
    pub fn union_max(self, other: Scored) -> Scored {
        // One side empty (a single atom, an atom without flags): nothing to merge or copy.
        if other.entries.is_empty() {
            return self;
        }
        if self.entries.is_empty() {
            return other;
        }
        let mut out = Vec::with_capacity(self.entries.len().saturating_add(other.entries.len()));
        let (mut a, mut b) = (
            self.entries.iter().peekable(),
            other.entries.iter().peekable(),
        );
        loop {
            match (a.peek(), b.peek()) {
                (Some(x), Some(y)) => match x.0.cmp(&y.0) {
                    Ordering::Less => {
                        out.push(**x);
                        a.next();
                    }
                    Ordering::Greater => {
                        out.push(**y);
                        b.next();
                    }
                    Ordering::Equal => {
                        out.push((x.0, x.1.max(y.1)));
                        a.next();
                        b.next();
                    }
                },
                (Some(x), None) => {
                    out.push(**x);
                    a.next();
                }
                (None, Some(y)) => {
                    out.push(**y);
                    b.next();
                }
                (None, None) => break,
            }
        }
        Scored { entries: out }
    }

    /// The `n` best-scoring sections, best first (ties in page order).
    pub fn best(&self, n: usize) -> Vec<SectionKey> {
        let mut v: Vec<&(SectionKey, f32)> = self.entries.iter().collect();
        sort::sort_by(&mut v, &mut |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.into_iter().take(n).map(|e| e.0).collect()
    }

    /// Only the sections `keep` says yes to.
    pub fn retain(mut self, keep: impl Fn(&SectionKey) -> bool) -> Scored {
        self.entries.retain(|e| keep(&e.0));
        self
    }

    /// The groups' scores summed per section (in group order), with how many groups each
    /// section matched: the groups are merged into the sum one after the other (each is in
    /// section order), so a section's score is added up exactly as a left fold in query order,
    /// through two buffers reused for every group.
    pub fn combine(groups: &[Scored]) -> Acc {
        let mut acc: Vec<(SectionKey, f32, u32)> = Vec::new();
        let mut next: Vec<(SectionKey, f32, u32)> = Vec::new();
        for g in groups {
            if acc.is_empty() {
                acc.extend(g.entries.iter().map(|&(k, s)| (k, s, 1)));
                continue;
            }
            if g.entries.is_empty() {
                continue;
            }
            next.clear();
            next.reserve(acc.len().saturating_add(g.entries.len()));
            let (mut a, mut b) = (acc.iter().peekable(), g.entries.iter().peekable());
            loop {
                match (a.peek(), b.peek()) {
                    (Some(&&x), Some(&&y)) => match x.0.cmp(&y.0) {
                        Ordering::Less => {
                            next.push(x);
                            a.next();
                        }
                        Ordering::Greater => {
                            next.push((y.0, y.1, 1));
                            b.next();
                        }
                        Ordering::Equal => {
                            next.push((x.0, x.1 + y.1, x.2.saturating_add(1)));
                            a.next();
                            b.next();
                        }
                    },
                    (Some(_), None) => {
                        next.extend(a);
                        break;
                    }
                    (None, Some(_)) => {
                        next.extend(b.map(|&(k, s)| (k, s, 1)));
                        break;
                    }
                    (None, None) => break,
                }
            }
            std::mem::swap(&mut acc, &mut next);
        }
        Acc { entries: acc }
    }
}

/// Summed section scores with the number of query groups each section matched.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Acc {
    entries: Vec<(SectionKey, f32, u32)>,
}

/// A page's best section and its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageScore {
    /// Page index.
    pub doc: u32,
    /// Its best section.
    pub section: u32,
    /// That section's score.
    pub score: f32,
    /// How many of the query's groups that section matched.
    pub covered: u32,
}

impl Acc {
    /// Adds `bonus` to each of `keys` and counts them as matching all `covered` groups.
    pub fn add_bonus(&mut self, keys: impl Iterator<Item = SectionKey>, bonus: f32, covered: u32) {
        let mut added = false;
        for k in keys {
            match self.entries.binary_search_by(|e| e.0.cmp(&k)) {
                Ok(i) => {
                    if let Some(e) = self.entries.get_mut(i) {
                        e.1 += bonus;
                        e.2 = covered;
                    }
                }
                Err(_) => {
                    self.entries.push((k, bonus, covered));
                    added = true;
                }
            }
        }
        if added {
            sort::sort_by(&mut self.entries, &mut |a, b| a.0.cmp(&b.0));
        }
    }

    /// The pages with a scored section.
    pub fn docs(&self) -> impl Iterator<Item = u32> + '_ {
        let mut last = None;
        self.entries.iter().filter_map(move |e| {
            if last == Some(e.0.doc) {
                return None;
            }
            last = Some(e.0.doc);
            Some(e.0.doc)
        })
    }

    /// Each page's best section (most groups matched, then highest score, then first), for the
    /// pages `passes` accepts.
    pub fn best_per_page(&self, passes: impl Fn(u32) -> bool) -> Vec<PageScore> {
        let mut out: Vec<PageScore> = Vec::new();
        for &(k, score, covered) in &self.entries {
            match out.last_mut() {
                Some(p) if p.doc == k.doc => {
                    if (covered, score) > (p.covered, p.score) {
                        *p = PageScore {
                            doc: k.doc,
                            section: k.section,
                            score,
                            covered,
                        };
                    }
                }
                _ => {
                    if passes(k.doc) {
                        out.push(PageScore {
                            doc: k.doc,
                            section: k.section,
                            score,
                            covered,
                        });
                    }
                }
            }
        }
        out
    }
}

/// Order of results: pages matching more groups first, then by score, then in path order.
fn rank(a: &PageScore, b: &PageScore) -> Ordering {
    b.covered
        .cmp(&a.covered)
        .then(b.score.total_cmp(&a.score))
        .then(a.doc.cmp(&b.doc))
}

/// Up to this many hits are kept by insertion (see [`top_k`]); more (a reader who asked for
/// page after page of results) are sorted, which costs the same for any order of input.
const INSERTION_TOP_K: usize = 64;

/// Keeps the best `k` pages, best first. For the usual few: one pass that keeps the `k` best
/// so far in order (a page enters only when it beats the worst of them), so the rest are never
/// sorted.
pub fn top_k(pages: &mut Vec<PageScore>, k: usize) {
    if k > INSERTION_TOP_K {
        sort::sort_unstable_by(pages, &mut |a, b| rank(a, b));
        pages.truncate(k);
        return;
    }
    let mut best: Vec<PageScore> = Vec::with_capacity(k.min(pages.len()).saturating_add(1));
    for &p in pages.iter() {
        if best.len() == k
            && best
                .last()
                .is_none_or(|worst| rank(&p, worst) != Ordering::Less)
        {
            continue;
        }
        // `rank` orders every two pages (the page index breaks ties), so the insertion point
        // is unique and the result is the order a full sort gives.
        let at = best.partition_point(|q| rank(q, &p) == Ordering::Less);
        best.insert(at, p);
        best.truncate(k);
    }
    *pages = best;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[(u32, u32, f32)]) -> Scored {
        Scored::from_lists(
            v.iter()
                .map(|&(doc, section, x)| vec![(SectionKey { doc, section }, x)])
                .collect(),
        )
    }

    #[test]
    fn merges_keep_order_and_combine_scores() {
        let a = s(&[(0, 1, 1.0), (2, 0, 2.0), (0, 1, 3.0)]);
        let b = s(&[(2, 0, 1.0), (3, 3, 1.0)]);
        // A list out of section order (a damaged file) is sorted, keeping the best score.
        let key = |doc, section| SectionKey { doc, section };
        let unsorted = vec![(key(2, 0), 2.0), (key(0, 1), 1.0), (key(0, 1), 3.0)];
        assert_eq!(Scored::from_lists(vec![unsorted]), a);
        assert_eq!(a.intersect_sum(&b), s(&[(2, 0, 3.0)]));
        assert_eq!(
            a.clone().union_max(b.clone()),
            s(&[(0, 1, 3.0), (2, 0, 2.0), (3, 3, 1.0)])
        );
        let acc = Scored::combine(&[a, b]);
        let pages = acc.best_per_page(|_| true);
        assert_eq!(pages.len(), 3);
        assert_eq!(
            (pages[1].doc, pages[1].covered, pages[1].score),
            (2, 2, 3.0)
        );
    }

    #[test]
    fn combine_sums_in_group_order_whatever_the_group_sizes() {
        // Groups of very different sizes, in any order: the sum must be the left fold in group
        // order that a naive sum gives (bit for bit: ranking ties depend on it).
        let mut seed = 11u64;
        let mut rand = move |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for _ in 0..50 {
            let groups: Vec<Scored> = (0..6)
                .map(|g| {
                    let len = if g % 2 == 0 { 400 } else { rand(12) };
                    let mut keys: Vec<SectionKey> = (0..len)
                        .map(|_| SectionKey {
                            doc: rand(300) as u32,
                            section: rand(3) as u32,
                        })
                        .collect();
                    keys.sort();
                    keys.dedup();
                    Scored {
                        entries: keys
                            .into_iter()
                            .map(|k| (k, rand(1000) as f32 / 7.0))
                            .collect(),
                    }
                })
                .collect();
            let mut want: std::collections::BTreeMap<SectionKey, (f32, u32)> = Default::default();
            for g in &groups {
                for &(k, s) in &g.entries {
                    let e = want.entry(k).or_insert((0.0, 0));
                    e.0 = if e.1 == 0 { s } else { e.0 + s };
                    e.1 += 1;
                }
            }
            let want: Vec<(SectionKey, f32, u32)> =
                want.into_iter().map(|(k, (s, c))| (k, s, c)).collect();
            assert_eq!(Scored::combine(&groups).entries, want);
        }
    }

    #[test]
    fn top_k_orders_by_coverage_then_score_then_page() {
        let p = |doc, score, covered| PageScore {
            doc,
            section: 0,
            score,
            covered,
        };
        let mut pages = vec![p(0, 1.0, 1), p(1, 9.0, 1), p(2, 0.5, 2), p(3, 1.0, 1)];
        top_k(&mut pages, 3);
        assert_eq!(pages.iter().map(|p| p.doc).collect::<Vec<_>>(), [2, 1, 0]);
    }
}
