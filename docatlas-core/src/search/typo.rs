//! Typo correction: dictionary words within a small Damerau distance of a query word, found by
//! running an [`fst::Automaton`] over a typo dictionary with `Map::search_with_state`.
//!
//! The automaton's state is the last row of the (optimal string alignment) edit-distance table,
//! the row before it and the byte that led to it: enough to count a swap of neighbours
//! (`serach` → `search`) as one edit, which fst's own Levenshtein automaton cannot.

use fst::{Automaton, IntoStreamer, Map, Streamer};

/// How many edits a word of `len` bytes may be corrected by: none under 4 letters (too many
/// false friends), one up to 7, two from 8.
pub fn max_edits(len: usize) -> u32 {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Matches the words within `max` edits of `target` (insertions, deletions, substitutions and
/// swaps of neighbours).
#[derive(Debug, Clone)]
pub struct Damerau<'a> {
    target: &'a [u8],
    max: u32,
}

/// Where a [`Damerau`] walk stands: `None` once no continuation can come within the limit.
#[derive(Debug, Clone)]
pub struct Rows {
    /// The row before `row`, for swaps.
    prev: Option<Vec<u32>>,
    /// Distances from the prefix read so far to each prefix of the target.
    row: Vec<u32>,
    /// The last byte read.
    last: Option<u8>,
}

impl<'a> Damerau<'a> {
    /// An automaton for words within `max` edits of `target`.
    pub fn new(target: &'a [u8], max: u32) -> Self {
        Self { target, max }
    }

    /// The distance a final state stands for.
    pub fn distance(state: &Option<Rows>) -> Option<u32> {
        state.as_ref()?.row.last().copied()
    }
}

impl Automaton for Damerau<'_> {
    type State = Option<Rows>;

    fn start(&self) -> Option<Rows> {
        let n = u32::try_from(self.target.len()).unwrap_or(u32::MAX);
        Some(Rows {
            prev: None,
            row: (0..=n).collect(),
            last: None,
        })
    }

    fn is_match(&self, state: &Option<Rows>) -> bool {
        Self::distance(state).is_some_and(|d| d <= self.max)
    }

    fn can_match(&self, state: &Option<Rows>) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Option<Rows>, byte: u8) -> Option<Rows> {
        let r = state.as_ref()?;
        let mut row = Vec::with_capacity(r.row.len());
        row.push(r.row.first()?.saturating_add(1));
        for (j, &t) in self.target.iter().enumerate() {
            let up = *r.row.get(j.checked_add(1)?)?;
            let diag = *r.row.get(j)?;
            let left = *row.last()?;
            let cost = u32::from(t != byte);
            let mut v = up
                .saturating_add(1)
                .min(left.saturating_add(1))
                .min(diag.saturating_add(cost));
            // A swap of neighbours: the target's previous byte is this one and this target byte
            // was the last one read.
            if let (Some(p2), Some(last), Some(k)) = (&r.prev, r.last, j.checked_sub(1)) {
                if t == last && self.target.get(k) == Some(&byte) {
                    if let Some(&x) = p2.get(k) {
                        v = v.min(x.saturating_add(1));
                    }
                }
            }
            row.push(v);
        }
        if row.iter().min().is_none_or(|&m| m > self.max) {
            return None;
        }
        Some(Rows {
            prev: Some(r.row.clone()),
            row,
            last: Some(byte),
        })
    }
}

/// At most this many candidates are read from one dictionary (a safety bound: the closest are
/// kept, and two edits of an 8-letter word rarely reach a dozen).
const MAX_READ: usize = 1000;

/// The words of `dict` within `max` edits (but not 0) of `word`: (word, distance).
pub fn candidates(dict: &Map<Vec<u8>>, word: &str, max: u32) -> Vec<(String, u32)> {
    let aut = Damerau::new(word.as_bytes(), max);
    let mut stream = dict.search_with_state(aut).into_stream();
    let mut out = Vec::new();
    while let Some((key, _, state)) = stream.next() {
        if let Some(d) = Damerau::distance(&state).filter(|&d| d > 0 && d <= max) {
            out.push((String::from_utf8_lossy(key).into_owned(), d));
            if out.len() >= MAX_READ {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(words: &[&str]) -> Map<Vec<u8>> {
        let mut w: Vec<&str> = words.to_vec();
        w.sort();
        Map::from_iter(w.into_iter().map(|x| (x, 0u64))).unwrap()
    }

    #[test]
    fn counts_a_swap_as_one_edit_and_finds_first_letter_typos() {
        let d = dict(&["search", "starch", "refunds", "position", "fleet"]);
        assert_eq!(candidates(&d, "serach", 1), [("search".to_string(), 1)]);
        assert_eq!(candidates(&d, "efunds", 1), [("refunds".to_string(), 1)]);
        assert_eq!(candidates(&d, "xefunds", 1), [("refunds".to_string(), 1)]);
        assert_eq!(candidates(&d, "posiiton", 2), [("position".to_string(), 1)]);
        assert!(
            candidates(&d, "fleet", 1).is_empty(),
            "distance 0 is not a typo"
        );
        assert!(candidates(&d, "flt", 1).is_empty());
    }

    #[test]
    fn edit_limits_by_length() {
        assert_eq!([3, 4, 7, 8, 20].map(max_edits), [0, 1, 1, 2, 2]);
    }
}
