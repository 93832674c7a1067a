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

/// The longest word the automaton corrects: typo dictionaries hold words of up to 40 bytes
/// (see `files::TYPO_LENGTHS`) and a correction is at most 2 edits, so a longer word has no
/// candidate anyway; the bound lets a state live in fixed arrays, with no allocation per step.
const MAX_TARGET: usize = 47;

/// Matches the words within `max` edits of `target` (insertions, deletions, substitutions and
/// swaps of neighbours).
#[derive(Debug, Clone)]
pub struct Damerau<'a> {
    target: &'a [u8],
    max: u32,
    /// Distances are kept up to `max + 1`: anything beyond the limit is the same dead end, and
    /// every step only takes minima and adds one, so capping never changes a distance within it.
    cap: u8,
    /// The length of every word of the dictionary walked, when they all have one (a typo
    /// dictionary holds the words of one length): a prefix is then dropped as soon as no word
    /// of that length starting with it can come within the limit.
    word_len: Option<usize>,
}

/// The most edits a [`Damerau`] allows (a larger limit is this one): the band of cells it
/// keeps per row is `2 * max + 1` wide.
pub const MAX_EDITS: u32 = 3;
/// Cells kept per row: the band around the diagonal, the only cells within the limit.
const BAND: usize = 2 * MAX_EDITS as usize + 1;

/// Where a [`Damerau`] walk stands: `None` once no continuation can come within the limit.
///
/// A row keeps only its band: the cells `depth - max ..= depth + max` of the table (a cell
/// further from the diagonal is more than `max` edits away). Small states matter: fst copies
/// one per byte of every prefix it walks, and full rows of 48 cells made the walk a tenth of a
/// typo query's time.
#[derive(Debug, Clone, Copy)]
pub struct Rows {
    /// The band of the row before `row`, for swaps (meaningful once a byte was read).
    prev: [u8; BAND],
    /// The band of distances (capped) from the prefix read so far to the target's prefixes:
    /// `row[k]` is the distance to the prefix of `depth + k - max` bytes.
    row: [u8; BAND],
    /// The last byte read, if any.
    last: Option<u8>,
    /// The target's length: the distance to the whole target is at column `len`.
    len: u8,
    /// How many bytes were read (capped at 255: beyond, every cell is past the limit).
    depth: u8,
    /// The edit limit (the band's half width) and the cap of every cell, `max + 1`.
    max: u8,
}

impl Rows {
    /// The cell at column `j` of a row read after `depth` bytes; past the band, the cap.
    fn cell(&self, band: &[u8; BAND], depth: usize, j: usize) -> u8 {
        let cap = self.max.saturating_add(1);
        j.checked_add(usize::from(self.max))
            .and_then(|k| k.checked_sub(depth))
            .filter(|&k| k <= 2 * usize::from(self.max))
            .and_then(|k| band.get(k).copied())
            .unwrap_or(cap)
    }

    /// Sets column `j` of a band read after `depth` bytes (columns past it are not kept).
    fn set(max: u8, band: &mut [u8; BAND], depth: usize, j: usize, v: u8) {
        if let Some(c) = j
            .checked_add(usize::from(max))
            .and_then(|k| k.checked_sub(depth))
            .and_then(|k| band.get_mut(k))
        {
            *c = v;
        }
    }
}

impl<'a> Damerau<'a> {
    /// An automaton for words within `max` edits of `target` (at most [`MAX_EDITS`]).
    pub fn new(target: &'a [u8], max: u32) -> Self {
        let max = max.min(MAX_EDITS);
        let cap = u8::try_from(max.saturating_add(1)).unwrap_or(u8::MAX);
        Self {
            target,
            max,
            cap,
            word_len: None,
        }
    }

    /// The same automaton for a dictionary whose words are all `len` bytes long.
    pub fn with_word_len(mut self, len: usize) -> Self {
        self.word_len = Some(len);
        self
    }

    /// A lower bound of the distance of any completion through cell `j` (distance `v`) after
    /// `depth` bytes: what is left of the word and of the target differ in length by at least
    /// that many edits. Without a known word length, `v` itself.
    fn bound(&self, depth: usize, j: usize, v: u8) -> u8 {
        match self.word_len {
            Some(len) => {
                let gap = len
                    .saturating_sub(depth)
                    .abs_diff(self.target.len().saturating_sub(j));
                v.saturating_add(u8::try_from(gap).unwrap_or(u8::MAX))
            }
            None => v,
        }
    }

    /// The distance a final state stands for.
    pub fn distance(state: &Option<Rows>) -> Option<u32> {
        let r = state.as_ref()?;
        Some(u32::from(r.cell(
            &r.row,
            usize::from(r.depth),
            usize::from(r.len),
        )))
    }
}

impl Automaton for Damerau<'_> {
    type State = Option<Rows>;

    fn start(&self) -> Option<Rows> {
        if self.target.len() > MAX_TARGET {
            return None;
        }
        let max = u8::try_from(self.max).ok()?;
        let mut row = [self.cap; BAND];
        // Column j of the first row: j insertions.
        for j in 0..=usize::from(max).min(self.target.len()) {
            Rows::set(max, &mut row, 0, j, u8::try_from(j).ok()?.min(self.cap));
        }
        Some(Rows {
            prev: [self.cap; BAND],
            row,
            last: None,
            len: u8::try_from(self.target.len()).ok()?,
            depth: 0,
            max,
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
        let cap = self.cap;
        let at = usize::from(r.depth);
        let depth = at.saturating_add(1);
        let band = usize::from(r.max);
        let lo = depth.saturating_sub(band);
        let hi = depth.saturating_add(band).min(self.target.len());
        let mut row = [cap; BAND];
        let mut smallest = cap;
        let mut left = cap;
        if lo == 0 {
            left = r.cell(&r.row, at, 0).saturating_add(1).min(cap);
            Rows::set(r.max, &mut row, depth, 0, left);
            smallest = self.bound(depth, 0, left);
        }
        let first = lo.saturating_sub(1);
        for (j, &t) in self
            .target
            .iter()
            .enumerate()
            .skip(first)
            .take(hi.saturating_sub(first))
        {
            let next = j.checked_add(1)?;
            let (diag, up) = (r.cell(&r.row, at, j), r.cell(&r.row, at, next));
            let cost = u8::from(t != byte);
            let mut v = up
                .saturating_add(1)
                .min(left.saturating_add(1))
                .min(diag.saturating_add(cost));
            if let (Some(last), Some(k)) = (r.last, j.checked_sub(1)) {
                if t == last && self.target.get(k) == Some(&byte) {
                    let x = r.cell(&r.prev, at.saturating_sub(1), k);
                    v = v.min(x.saturating_add(1));
                }
            }
            let v = v.min(cap);
            Rows::set(r.max, &mut row, depth, next, v);
            left = v;
            smallest = smallest.min(self.bound(depth, next, v));
        }
        if u32::from(smallest) > self.max {
            return None;
        }
        Some(Rows {
            prev: r.row,
            row,
            last: Some(byte),
            len: r.len,
            depth: u8::try_from(depth).unwrap_or(u8::MAX),
            max: r.max,
        })
    }
}

/// At most this many candidates are read from one dictionary (a safety bound: the closest are
/// kept, and two edits of an 8-letter word rarely reach a dozen).
const MAX_READ: usize = 1000;

/// The words of `dict` within `max` edits (but not 0) of `word`: (word, distance). Search
/// reads typo dictionaries, whose words all have one length, with [`candidates_of_len`]; this
/// is the reference it is tested against.
#[cfg(test)]
pub fn candidates(dict: &Map<Vec<u8>>, word: &str, max: u32) -> Vec<(String, u32)> {
    search(dict, Damerau::new(word.as_bytes(), max), max)
}

/// The words of `dict`, all `len` bytes long (a typo dictionary), within `max` edits (but not
/// 0) of `word`: (word, distance). Pruned by that length, so far fewer prefixes are walked.
pub fn candidates_of_len(
    dict: &Map<Vec<u8>>,
    word: &str,
    max: u32,
    len: usize,
) -> Vec<(String, u32)> {
    search(
        dict,
        Damerau::new(word.as_bytes(), max).with_word_len(len),
        max,
    )
}

fn search(dict: &Map<Vec<u8>>, aut: Damerau<'_>, max: u32) -> Vec<(String, u32)> {
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
    fn pruning_by_word_length_finds_the_same_words() {
        let words = [
            "search",
            "serach",
            "starch",
            "seared",
            "sketch",
            "scratch",
            "research",
            "searches",
            "position",
            "positron",
            "physician",
            "posit",
            "deposit",
            "opposition",
        ];
        for len in 3..=12 {
            let same: Vec<&str> = words.iter().copied().filter(|w| w.len() == len).collect();
            if same.is_empty() {
                continue;
            }
            let d = dict(&same);
            for target in ["search", "serach", "posiiton", "positoin", "seach", "srch"] {
                for max in 1..=2 {
                    assert_eq!(
                        candidates_of_len(&d, target, max, len),
                        candidates(&d, target, max),
                        "{target} within {max} among words of {len} letters"
                    );
                }
            }
        }
    }

    /// Optimal string alignment distance, by the whole table.
    fn osa(a: &[u8], b: &[u8]) -> u32 {
        let mut d = vec![vec![0u32; b.len() + 1]; a.len() + 1];
        for i in 0..=a.len() {
            for j in 0..=b.len() {
                d[i][j] = if i == 0 || j == 0 {
                    (i + j) as u32
                } else {
                    let mut v = (d[i - 1][j] + 1)
                        .min(d[i][j - 1] + 1)
                        .min(d[i - 1][j - 1] + u32::from(a[i - 1] != b[j - 1]));
                    if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        v = v.min(d[i - 2][j - 2] + 1);
                    }
                    v
                };
            }
        }
        d[a.len()][b.len()]
    }

    #[test]
    fn finds_exactly_the_words_within_the_limit() {
        let mut rand = crate::test_rand::below(7);
        let word = |rand: &mut dyn FnMut(u64) -> u64| -> String {
            let len = 1 + rand(9) as usize;
            (0..len)
                .map(|_| b"abcs"[rand(4) as usize] as char)
                .collect()
        };
        for _ in 0..100 {
            let mut words: Vec<String> = (0..40).map(|_| word(&mut rand)).collect();
            words.sort();
            words.dedup();
            let refs: Vec<&str> = words.iter().map(String::as_str).collect();
            let d = dict(&refs);
            let target = word(&mut rand);
            for max in 1..=MAX_EDITS {
                let want: Vec<(String, u32)> = words
                    .iter()
                    .map(|w| (w.clone(), osa(target.as_bytes(), w.as_bytes())))
                    .filter(|&(_, k)| k > 0 && k <= max)
                    .collect();
                assert_eq!(candidates(&d, &target, max), want, "{target} within {max}");
                for len in 1..=9 {
                    let of_len: Vec<(String, u32)> = want
                        .iter()
                        .filter(|(w, _)| w.len() == len)
                        .cloned()
                        .collect();
                    let same: Vec<&str> = refs.iter().copied().filter(|w| w.len() == len).collect();
                    if same.is_empty() {
                        continue;
                    }
                    let dl = dict(&same);
                    assert_eq!(candidates_of_len(&dl, &target, max, len), of_len);
                }
            }
        }
    }

    #[test]
    fn edit_limits_by_length() {
        assert_eq!([3, 4, 7, 8, 20].map(max_edits), [0, 1, 1, 2, 2]);
    }
}
