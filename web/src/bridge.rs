//! How the full app asks the search-first module, defined once for both sides.
//!
//! The module is the page's one search engine (the app has none: it would be a fifth of the
//! app's WebAssembly, and fetch the head and a first query's files a second time). The page's
//! loader puts the module's exports on `window.docatlasSearch` ([`MODULE`]); each export returns
//! a Promise, rejected with the reader's error text. Values cross as bytes: results as postcard
//! (the types' one definition is in `docatlas-core`), highlight ranges as a flat `u32` list.

/// Where the page's loader puts the search-first module's exports.
pub const MODULE: &str = "docatlasSearch";
/// `app_head()`: the head's bytes, decompressed (a `Uint8Array`).
pub const HEAD: &str = "app_head";
/// `app_search(query, limit, facets)`: postcard bytes of `(SearchResults, Vec<Chip>)`.
pub const SEARCH: &str = "app_search";
/// `app_ranges(query, texts)`: [`encode_ranges`] of the words `query` matches in each text.
pub const RANGES: &str = "app_ranges";

/// A facet chip of the app's search page: its label, whether its filter is in the query, and
/// the query a click leads to (the filter added, or taken out).
pub type Chip = (String, bool, String);

/// The byte ranges matched in each of several texts, flattened: for each text, its number of
/// ranges, then each range's start and end.
pub fn encode_ranges(all: impl IntoIterator<Item = Vec<(usize, usize)>>) -> Vec<u32> {
    let as_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let mut flat = Vec::new();
    for ranges in all {
        flat.push(as_u32(ranges.len()));
        for (a, b) in ranges {
            flat.push(as_u32(a));
            flat.push(as_u32(b));
        }
    }
    flat
}

/// The ranges of [`encode_ranges`] for `texts` again. A range that does not fit its text (a
/// bug on the other side) is dropped, never trusted: it must not panic a slice.
pub fn decode_ranges(flat: &[u32], texts: &[String]) -> Vec<Vec<(usize, usize)>> {
    let mut flat = flat.iter().map(|&n| n as usize);
    let mut out = Vec::with_capacity(texts.len());
    for text in texts {
        let n = flat.next().unwrap_or(0);
        let mut ranges = Vec::with_capacity(n.min(text.len()));
        for _ in 0..n {
            let (Some(a), Some(b)) = (flat.next(), flat.next()) else {
                break;
            };
            if a < b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b) {
                ranges.push((a, b));
            }
        }
        out.push(ranges);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cross_and_bad_ones_are_dropped() {
        let texts = vec!["refund webhook".to_string(), "é".to_string(), String::new()];
        let flat = encode_ranges([vec![(0, 6), (7, 14)], vec![(0, 1)], vec![]]);
        assert_eq!(flat, [2, 0, 6, 7, 14, 1, 0, 1, 0]);
        // (0, 1) cuts `é` in half: dropped.
        assert_eq!(
            decode_ranges(&flat, &texts),
            [vec![(0, 6), (7, 14)], vec![], vec![]]
        );
        // Truncated input gives what it holds, no panic.
        assert_eq!(decode_ranges(&flat[..2], &texts), [vec![], vec![], vec![]]);
    }
}
