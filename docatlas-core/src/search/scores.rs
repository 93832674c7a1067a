//! Score accumulation in sorted vectors of the (page, section) pairs that postings name, so a
//! query's work grows with the postings it reads, not with the corpus.

use std::cmp::Ordering;
use std::sync::{Arc, OnceLock};

use super::page_set::PageSet;
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
///
/// Shared, not copied, when cloned: the engine's score cache hands the same long lists to
/// every query that names their words, and copying them was a tenth of such a query.
#[derive(Debug, Clone, Default)]
pub struct Scored {
    entries: Arc<Vec<(SectionKey, f32)>>,
    /// The pages the entries name, worked out on first use (and shared like the entries).
    pages: Arc<OnceLock<PageSet>>,
}

impl PartialEq for Scored {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl Scored {
    /// From lists of (section, score) pairs, each in section order as postings are stored,
    /// keeping each section's best score: merged, not sorted, so the cost is linear in the
    /// postings. A list out of order (a damaged file) is sorted first.
    pub fn from_lists(lists: Vec<Vec<(SectionKey, f32)>>) -> Self {
        let mut merged: Vec<Scored> = lists
            .into_iter()
            .map(|mut l| {
                if !l.is_sorted_by(|a, b| a.0 < b.0) {
                    sort::sort_unstable_by(&mut l, &mut |a, b| {
                        a.0.cmp(&b.0).then(b.1.total_cmp(&a.1))
                    });
                    l.dedup_by_key(|e| e.0);
                }
                Scored::new(l)
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

    fn new(entries: Vec<(SectionKey, f32)>) -> Self {
        Scored {
            entries: Arc::new(entries),
            pages: Arc::default(),
        }
    }

    /// Number of scored sections.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The scored sections, in order.
    pub fn as_slice(&self) -> &[(SectionKey, f32)] {
        &self.entries
    }

    /// The pages with a scored section.
    pub fn pages(&self) -> &PageSet {
        self.pages
            .get_or_init(|| PageSet::of_docs(self.entries.iter().map(|e| e.0.doc)))
    }

    /// Sections in both, scores added.
    pub fn intersect_sum(&self, other: &Scored) -> Scored {
        let (a, b) = (&self.entries, &other.entries);
        let mut out = Vec::with_capacity(a.len().min(b.len()));
        let (mut i, mut j) = (0, 0);
        while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
            match x.0.cmp(&y.0) {
                Ordering::Less => i = i.saturating_add(1),
                Ordering::Greater => j = j.saturating_add(1),
                Ordering::Equal => {
                    out.push((x.0, x.1 + y.1));
                    i = i.saturating_add(1);
                    j = j.saturating_add(1);
                }
            }
        }
        Scored::new(out)
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
        let (a, b) = (&self.entries, &other.entries);
        let mut out = Vec::with_capacity(a.len().saturating_add(b.len()));
        // Indexes, not peekable iterators: this loop runs once per posting of most queries,
        // and the iterators' Option matching compiled to twice the work in WebAssembly.
        let (mut i, mut j) = (0, 0);
        while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
            match x.0.cmp(&y.0) {
                Ordering::Less => {
                    out.push(x);
                    i = i.saturating_add(1);
                }
                Ordering::Greater => {
                    out.push(y);
                    j = j.saturating_add(1);
                }
                Ordering::Equal => {
                    // Not `f32::max`: WebAssembly has no instruction with its NaN rule, so
                    // it compiles to a call (scores are never NaN).
                    out.push((x.0, if y.1 > x.1 { y.1 } else { x.1 }));
                    i = i.saturating_add(1);
                    j = j.saturating_add(1);
                }
            }
        }
        out.extend_from_slice(a.get(i..).unwrap_or_default());
        out.extend_from_slice(b.get(j..).unwrap_or_default());
        Scored::new(out)
    }

    /// The `n` best-scoring sections, best first (ties in page order).
    pub fn best(&self, n: usize) -> Vec<SectionKey> {
        let mut v: Vec<&(SectionKey, f32)> = self.entries.iter().collect();
        sort::sort_by(&mut v, &mut |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.into_iter().take(n).map(|e| e.0).collect()
    }

    /// Only the sections `keep` says yes to.
    pub fn retain(mut self, keep: impl Fn(&SectionKey) -> bool) -> Scored {
        let mut entries = Arc::unwrap_or_clone(std::mem::take(&mut self.entries));
        entries.retain(|e| keep(&e.0));
        Scored::new(entries)
    }

    /// The groups' scores summed per section (in group order), with how many groups each
    /// section matched. A section's score is added up exactly as a left fold in query order.
    ///
    /// Sections are accumulated in place, in a slot per (page, section) of the pages the
    /// groups name, so the cost is the groups' entries plus those pages' sections, whatever the
    /// number of groups; merging each group into the running sum cost the whole sum once per
    /// group, and long queries of common words spent most of their time there. Section numbers
    /// too large for slots (a damaged file) take the merging path, which gives the same sums.
    pub fn combine(groups: &[Scored]) -> Acc {
        // Merging costs about the sum once per group; slots cost a pass over the pages named
        // and a few over the entries. Short queries merge.
        let entries: usize = groups.iter().map(|g| g.entries.len()).sum();
        let merging = entries.saturating_mul(groups.len().saturating_sub(1));
        let pages = groups
            .iter()
            .filter_map(|g| g.entries.last().map(|e| e.0.doc))
            .max()
            .map_or(0, |d| usize::try_from(d).unwrap_or(usize::MAX));
        if merging > entries.saturating_mul(3).saturating_add(pages) {
            if let Some(acc) = Self::combine_in_slots(groups) {
                return acc;
            }
        }
        Self::combine_merging(groups)
    }

    /// [`Scored::combine`] in slots; `None` when the slots would far outnumber the entries.
    fn combine_in_slots(groups: &[Scored]) -> Option<Acc> {
        let entries: usize = groups.iter().map(|g| g.entries.len()).sum();
        // Each group is in page order, so its last entry names its highest page.
        let pages = groups
            .iter()
            .filter_map(|g| g.entries.last().map(|e| e.0.doc))
            .max()
            .map_or(0, |d| {
                usize::try_from(d).unwrap_or(usize::MAX).saturating_add(1)
            });
        if pages > entries.saturating_mul(16).saturating_add(1 << 16) {
            return None;
        }
        // Per page: its highest section named plus one (0: not named), then its first slot.
        let mut base: Vec<u32> = vec![0; pages];
        for g in groups {
            for (k, _) in g.entries.iter() {
                let b = base.get_mut(usize::try_from(k.doc).ok()?)?;
                *b = (*b).max(k.section.saturating_add(1));
            }
        }
        let mut total = 0u32;
        for b in &mut base {
            let n = *b;
            *b = total;
            total = total.checked_add(n)?;
        }
        let slots_len = usize::try_from(total).ok()?;
        if slots_len > entries.saturating_mul(4).saturating_add(1024) {
            return None;
        }
        // (score, groups matched); 0 groups: no group named the section.
        let mut slots: Vec<(f32, u32)> = vec![(0.0, 0); slots_len];
        for g in groups {
            for &(k, s) in g.entries.iter() {
                let b = *base.get(usize::try_from(k.doc).ok()?)?;
                let slot = slots.get_mut(usize::try_from(b.checked_add(k.section)?).ok()?)?;
                // From 0.0, the first addition gives `s` itself: the left fold's sum.
                slot.0 += s;
                slot.1 = slot.1.saturating_add(1);
            }
        }
        base.push(total);
        Some(Acc {
            form: Form::Slots { base, slots },
        })
    }

    /// [`Scored::combine`] by merging the groups into the sum one after the other (each is in
    /// section order), through two buffers reused for every group.
    fn combine_merging(groups: &[Scored]) -> Acc {
        let mut acc: Vec<(SectionKey, f32, u32)> = Vec::new();
        let mut next: Vec<(SectionKey, f32, u32)> = Vec::new();
        for g in groups {
            merge_sum(&mut acc, &mut next, &g.entries);
        }
        Acc {
            form: Form::Entries(acc),
        }
    }
}

/// Adds one group's scores (in section order) to the running sums `acc` (in section order),
/// counting the group for each section it names; `next` is a buffer for the merge.
pub(super) fn merge_sum(
    acc: &mut Vec<(SectionKey, f32, u32)>,
    next: &mut Vec<(SectionKey, f32, u32)>,
    group: &[(SectionKey, f32)],
) {
    if acc.is_empty() {
        acc.extend(group.iter().map(|&(k, s)| (k, s, 1)));
        return;
    }
    if group.is_empty() {
        return;
    }
    next.clear();
    next.reserve(acc.len().saturating_add(group.len()));
    // Indexes, not peekable iterators, as in `union_max`.
    let (mut i, mut j) = (0, 0);
    while let (Some(&x), Some(&y)) = (acc.get(i), group.get(j)) {
        match x.0.cmp(&y.0) {
            Ordering::Less => {
                next.push(x);
                i = i.saturating_add(1);
            }
            Ordering::Greater => {
                next.push((y.0, y.1, 1));
                j = j.saturating_add(1);
            }
            Ordering::Equal => {
                next.push((x.0, x.1 + y.1, x.2.saturating_add(1)));
                i = i.saturating_add(1);
                j = j.saturating_add(1);
            }
        }
    }
    next.extend_from_slice(acc.get(i..).unwrap_or_default());
    next.extend(
        group
            .get(j..)
            .unwrap_or_default()
            .iter()
            .map(|&(k, s)| (k, s, 1)),
    );
    std::mem::swap(acc, next);
}

/// Summed section scores with the number of query groups each section matched.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Acc {
    form: Form,
}

/// How an [`Acc`] holds its sums.
#[derive(Debug, Clone, PartialEq)]
enum Form {
    /// Each summed section with its score and groups matched, in section order.
    Entries(Vec<(SectionKey, f32, u32)>),
    /// A slot per section `0..n` of each page (n: the highest section named plus one): page
    /// `d`'s slots are `slots[base[d]..base[d + 1]]`, each (score, groups matched), where 0
    /// groups means no group named the section.
    Slots {
        base: Vec<u32>,
        slots: Vec<(f32, u32)>,
    },
}

impl Default for Form {
    fn default() -> Self {
        Form::Entries(Vec::new())
    }
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
    /// The pages of the slots form: (page, its slots), pages without slots left out.
    fn slot_pages<'a>(
        base: &'a [u32],
        slots: &'a [(f32, u32)],
    ) -> impl Iterator<Item = (u32, &'a [(f32, u32)])> + 'a {
        (0u32..).zip(base.windows(2)).filter_map(move |(doc, w)| {
            let (&start, &end) = (w.first()?, w.get(1)?);
            let s = slots.get(usize::try_from(start).ok()?..usize::try_from(end).ok()?)?;
            (!s.is_empty()).then_some((doc, s))
        })
    }

    /// Each summed section with its score and groups matched, in section order.
    fn entries(&self) -> Vec<(SectionKey, f32, u32)> {
        match &self.form {
            Form::Entries(e) => e.clone(),
            Form::Slots { base, slots } => {
                let mut out = Vec::new();
                for (doc, s) in Self::slot_pages(base, slots) {
                    for (section, &(score, covered)) in (0u32..).zip(s) {
                        if covered > 0 {
                            out.push((SectionKey { doc, section }, score, covered));
                        }
                    }
                }
                out
            }
        }
    }

    /// The slot of `k`, if the slots form has one.
    fn slot_mut(&mut self, k: SectionKey) -> Option<&mut (f32, u32)> {
        let Form::Slots { base, slots } = &mut self.form else {
            return None;
        };
        let d = usize::try_from(k.doc).ok()?;
        let (start, end) = (*base.get(d)?, *base.get(d.checked_add(1)?)?);
        let at = start.checked_add(k.section).filter(|&at| at < end)?;
        slots.get_mut(usize::try_from(at).ok()?)
    }

    /// Adds `bonus` to each of `keys` and counts them as matching all `covered` groups.
    pub fn add_bonus(&mut self, keys: impl Iterator<Item = (SectionKey, f32)>, covered: u32) {
        let keys: Vec<(SectionKey, f32)> = keys.collect();
        if keys.is_empty() {
            return;
        }
        if matches!(self.form, Form::Slots { .. }) {
            // In place, when every key has a slot (a section no group named needs a new one).
            let fits = covered > 0 && keys.iter().all(|&(k, _)| self.slot_mut(k).is_some());
            if fits {
                for &(k, bonus) in &keys {
                    if let Some(slot) = self.slot_mut(k) {
                        *slot = if slot.1 == 0 {
                            (bonus, covered)
                        } else {
                            (slot.0 + bonus, covered)
                        };
                    }
                }
                return;
            }
            self.form = Form::Entries(self.entries());
        }
        if let Form::Entries(entries) = &mut self.form {
            apply_bonus(entries, &keys, covered);
        }
    }

    /// Each page's best section (most groups matched, then highest score, then first), for the
    /// pages `passes` accepts.
    pub fn best_per_page(&self, passes: impl Fn(u32) -> bool) -> Vec<PageScore> {
        let mut out: Vec<PageScore> = Vec::new();
        match &self.form {
            Form::Slots { base, slots } => {
                // One pass over the slots, a page's range at a time (this runs over every
                // section of every page a long query names).
                let mut start = base.first().map_or(0, |&b| usize::try_from(b).unwrap_or(0));
                for (doc, &end) in (0u32..).zip(base.iter().skip(1)) {
                    let end = usize::try_from(end).unwrap_or(start);
                    let page = slots.get(start..end).unwrap_or_default();
                    start = end;
                    let mut best = (0u64, 0u32, 0.0f32);
                    for (section, &(score, covered)) in (0u32..).zip(page) {
                        let key = page_key(covered, score);
                        if key > best.0 {
                            best = (key, section, score);
                        }
                    }
                    // Key 0: no section of the page was named.
                    if best.0 > 0 && passes(doc) {
                        out.push(PageScore {
                            doc,
                            section: best.1,
                            score: best.2,
                            covered: u32::try_from(best.0 >> 32).unwrap_or(0),
                        });
                    }
                }
            }
            Form::Entries(entries) => {
                for page in entries.chunk_by(|a, b| a.0.doc == b.0.doc) {
                    if let Some(best) = best_of(page).filter(|b| passes(b.doc)) {
                        out.push(best);
                    }
                }
            }
        }
        out
    }
}

/// Adds `bonus` to each of `keys` in `entries` (in section order), counting them as matching
/// all `covered` groups; a key not there is added with the bonus alone.
pub(super) fn apply_bonus(
    entries: &mut Vec<(SectionKey, f32, u32)>,
    keys: &[(SectionKey, f32)],
    covered: u32,
) {
    // Searched in the sorted entries only: new ones go at the end until the sort.
    let sorted = entries.len();
    let mut added = false;
    for &(k, bonus) in keys {
        let found = entries
            .get(..sorted)
            .map(|e| e.binary_search_by(|e| e.0.cmp(&k)));
        match found.unwrap_or(Err(0)) {
            Ok(i) => {
                if let Some(e) = entries.get_mut(i) {
                    e.1 += bonus;
                    e.2 = covered;
                }
            }
            Err(_) => {
                entries.push((k, bonus, covered));
                added = true;
            }
        }
    }
    if added {
        sort::sort_by(entries, &mut |a, b| a.0.cmp(&b.0));
    }
}

/// The best of one page's summed sections (most groups matched, then highest score, then
/// first).
pub(super) fn best_of(page: &[(SectionKey, f32, u32)]) -> Option<PageScore> {
    let (&first, rest) = page.split_first()?;
    let mut best = first;
    let mut best_key = page_key(first.2, first.1);
    for &e in rest {
        let key = page_key(e.2, e.1);
        if key > best_key {
            best_key = key;
            best = e;
        }
    }
    Some(PageScore {
        doc: best.0.doc,
        section: best.0.section,
        score: best.1,
        covered: best.2,
    })
}

/// A section's rank within its page as one number, larger first: groups matched, then score
/// (so 0 for an empty slot). Scores are sums of positive weights, whose bit patterns order as
/// the numbers do.
fn page_key(covered: u32, score: f32) -> u64 {
    let score = if score > 0.0 { score.to_bits() } else { 0 };
    u64::from(covered).wrapping_shl(32) | u64::from(score)
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
pub(super) const INSERTION_TOP_K: usize = 64;

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
        insert_top(&mut best, p, k);
    }
    *pages = best;
}

/// Puts `p` in its place among the best `k` pages so far (best first), if it is one of them.
pub fn insert_top(best: &mut Vec<PageScore>, p: PageScore, k: usize) {
    if best.len() >= k
        && best
            .last()
            .is_none_or(|worst| rank(&p, worst) != Ordering::Less)
    {
        return;
    }
    // `rank` orders every two pages (the page index breaks ties), so the insertion point is
    // unique and the result is the order a full sort gives.
    let at = best.partition_point(|q| rank(q, &p) == Ordering::Less);
    best.insert(at, p);
    best.truncate(k);
}

/// Up to `len` sections of `docs` pages of `sections` sections, in order (for tests).
#[cfg(test)]
pub(super) fn random_keys(
    rand: &mut impl FnMut(u64) -> u64,
    len: u64,
    docs: u64,
    sections: u64,
) -> Vec<SectionKey> {
    let mut keys: Vec<SectionKey> = (0..len)
        .map(|_| SectionKey {
            doc: rand(docs) as u32,
            section: rand(sections) as u32,
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys
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

    /// Up to `len` sections of `docs` pages of `sections` sections, in order, scored
    /// `0..1000 / div`.
    fn random_scored(
        rand: &mut impl FnMut(u64) -> u64,
        len: u64,
        docs: u64,
        sections: u64,
        div: f32,
    ) -> Scored {
        Scored::new(
            random_keys(rand, len, docs, sections)
                .into_iter()
                .map(|k| (k, rand(1000) as f32 / div))
                .collect(),
        )
    }

    #[test]
    fn combine_sums_in_group_order_whatever_the_group_sizes() {
        // Groups of very different sizes, in any order: the sum must be the left fold in group
        // order that a naive sum gives (bit for bit: ranking ties depend on it).
        let mut rand = crate::test_rand::below(11);
        for _ in 0..50 {
            let groups: Vec<Scored> = (0..6)
                .map(|g| {
                    let len = if g % 2 == 0 { 400 } else { rand(12) };
                    random_scored(&mut rand, len, 300, 3, 7.0)
                })
                .collect();
            let mut want: std::collections::BTreeMap<SectionKey, (f32, u32)> = Default::default();
            for g in &groups {
                for &(k, s) in g.entries.iter() {
                    let e = want.entry(k).or_insert((0.0, 0));
                    e.0 = if e.1 == 0 { s } else { e.0 + s };
                    e.1 += 1;
                }
            }
            let want: Vec<(SectionKey, f32, u32)> =
                want.into_iter().map(|(k, (s, c))| (k, s, c)).collect();
            assert_eq!(Scored::combine(&groups).entries(), want);
        }
    }

    #[test]
    fn slots_and_merging_give_the_same_sums() {
        let mut rand = crate::test_rand::below(5);
        for round in 0..200 {
            let groups: Vec<Scored> = (0..1 + rand(8))
                .map(|_| {
                    let len = rand(if round % 3 == 0 { 600 } else { 20 });
                    let sections = if round % 7 == 0 { 40 } else { 4 };
                    random_scored(&mut rand, len, 200, sections, 3.0)
                })
                .collect();
            let slots = Scored::combine_in_slots(&groups);
            // Pages of a few sections always fit in slots; sparse section numbers may not.
            if round % 7 != 0 {
                assert!(slots.is_some(), "round {round}");
            }
            if let Some(slots) = slots {
                let merged = Scored::combine_merging(&groups);
                assert_eq!(slots.entries(), merged.entries(), "round {round}");
                let odd = |d: u32| d % 2 == 1;
                assert_eq!(
                    slots.best_per_page(odd),
                    merged.best_per_page(odd),
                    "round {round}"
                );
                // An entity's sections: some named by the groups, some not.
                let keys = [(1, 0), (7, 2), (150, 1), (199, 3)]
                    .map(|(doc, section)| SectionKey { doc, section });
                let (mut a, mut b) = (slots, merged);
                a.add_bonus(keys.into_iter().map(|k| (k, 10.0)), 3);
                b.add_bonus(keys.into_iter().map(|k| (k, 10.0)), 3);
                assert_eq!(a.entries(), b.entries(), "round {round}");
            }
        }
        // A section number far beyond the entries (a damaged file) is summed by merging.
        let huge = Scored::new(vec![(
            SectionKey {
                doc: 1,
                section: u32::MAX,
            },
            1.0,
        )]);
        assert_eq!(Scored::combine_in_slots(std::slice::from_ref(&huge)), None);
        assert_eq!(
            Scored::combine(std::slice::from_ref(&huge)).entries(),
            Scored::combine_merging(&[huge]).entries()
        );
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
