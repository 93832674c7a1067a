//! Sets of pages as bits, in page order: what the ranking unions and subtracts when it scores
//! only the pages a query's rarer words name.

/// Pages as bits, in page order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageSet {
    words: Vec<u64>,
}

impl PageSet {
    /// The set of `docs` (in any order, repeats allowed).
    pub fn of_docs(docs: impl Iterator<Item = u32>) -> Self {
        let mut set = PageSet::default();
        for d in docs {
            set.insert(d);
        }
        set
    }

    fn insert(&mut self, d: u32) {
        let (w, bit) = Self::at(d);
        if self.words.len() <= w {
            self.words.resize(w.saturating_add(1), 0);
        }
        if let Some(x) = self.words.get_mut(w) {
            *x |= bit;
        }
    }

    fn at(d: u32) -> (usize, u64) {
        (
            usize::try_from(d / 64).unwrap_or(usize::MAX),
            1u64.wrapping_shl(d % 64),
        )
    }

    /// Adds every page of `other`.
    pub fn union_with(&mut self, other: &PageSet) {
        if self.words.len() < other.words.len() {
            self.words.resize(other.words.len(), 0);
        }
        for (x, y) in self.words.iter_mut().zip(&other.words) {
            *x |= y;
        }
    }

    /// The pages of `self` not in `other`.
    pub fn without(&self, other: &PageSet) -> PageSet {
        let words = self
            .words
            .iter()
            .enumerate()
            .map(|(i, &x)| x & !other.words.get(i).copied().unwrap_or(0))
            .collect();
        PageSet { words }
    }

    /// Number of pages.
    pub fn len(&self) -> usize {
        self.words
            .iter()
            .map(|x| usize::try_from(x.count_ones()).unwrap_or(0))
            .sum()
    }

    /// The pages, in order.
    pub fn iter(&self) -> Pages<'_> {
        Pages {
            words: &self.words,
            at: 0,
            rest: 0,
        }
    }
}

/// The pages of a [`PageSet`], in order.
pub struct Pages<'s> {
    words: &'s [u64],
    /// Index of the next word to read.
    at: u32,
    /// What is left of the word before it.
    rest: u64,
}

impl Iterator for Pages<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        while self.rest == 0 {
            self.rest = *self.words.get(usize::try_from(self.at).ok()?)?;
            self.at = self.at.wrapping_add(1);
        }
        let bit = self.rest.trailing_zeros();
        self.rest &= self.rest.wrapping_sub(1);
        Some(self.at.wrapping_sub(1).wrapping_mul(64).wrapping_add(bit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sets_hold_their_pages_in_order() {
        let a = PageSet::of_docs([3, 64, 3, 200, 0].into_iter());
        assert_eq!(a.iter().collect::<Vec<_>>(), [0, 3, 64, 200]);
        assert_eq!(a.len(), 4);
        let b = PageSet::of_docs([64, 500].into_iter());
        assert_eq!(a.without(&b).iter().collect::<Vec<_>>(), [0, 3, 200]);
        let mut u = a.clone();
        u.union_with(&b);
        assert_eq!(u.iter().collect::<Vec<_>>(), [0, 3, 64, 200, 500]);
    }
}
