//! How the full app asks the search-first module, defined once for both sides.
//!
//! The module is the page's one search engine (the app has none: it would be a fifth of the
//! app's WebAssembly, and fetch the head and a first query's files a second time). The page's
//! loader puts the module's exports on `window.docatlasSearch` ([`MODULE`]); each export returns
//! a Promise (but [`SELECT`]), rejected with the reader's error text.
//!
//! The result list is drawn once, by the module, with the markup its own box shows: the app
//! receives it as DOM nodes and places them in its search page, beside what only the app draws
//! (facet chips, entity cards, "More results"). What the app needs to know of the results
//! crosses as postcard bytes ([`Results`]), highlight ranges as a flat `u32` list.

use serde::{Deserialize, Serialize};

/// Where the page's loader puts the search-first module's exports.
pub const MODULE: &str = "docatlasSearch";
/// `app_head()`: the head's bytes, decompressed (a `Uint8Array`).
pub const HEAD: &str = "app_head";
/// `app_results(query, limit)`: an array of the postcard bytes of [`Results`], the line above
/// the results (`div.da-results-head`) and the result list (`ol#da-hits`).
pub const RESULTS: &str = "app_results";
/// `app_select(list, index, scroll)`: marks result `index` of a list from [`RESULTS`] as the
/// chosen one (↑/↓) and, with `scroll`, brings it into view; returns nothing.
pub const SELECT: &str = "app_select";
/// `app_ranges(query, texts)`: [`encode_ranges`] of the words `query` matches in each text.
pub const RANGES: &str = "app_ranges";

/// A facet chip of the app's search page: its label, whether its filter is in the query, and
/// the query a click leads to (the filter added, or taken out).
pub type Chip = (String, bool, String);

/// What the app knows of the results the module drew.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// Pages matching, in all.
    pub total: usize,
    /// Where each result shown leads (its section, with the query to highlight), in order.
    pub hrefs: Vec<String>,
    /// The facet chips that narrow the results.
    pub chips: Vec<Chip>,
}

impl Results {
    /// The bytes that cross the bridge.
    pub fn encode(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// The results of [`Results::encode`]; the error says what to do.
    pub fn decode(bytes: &[u8]) -> Result<Self, String> {
        postcard::from_bytes(bytes).map_err(|e| {
            format!("the search module's answer could not be read ({e}); reload the page")
        })
    }
}

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
    fn results_cross() {
        let r = Results {
            total: 3,
            hrefs: vec!["#/doc/a.md?q=x".into()],
            chips: vec![("kind: runbook (1)".into(), false, "x kind:runbook".into())],
        };
        assert_eq!(Results::decode(&r.encode()), Ok(r));
        assert!(Results::decode(&[0xff])
            .unwrap_err()
            .contains("reload the page"));
    }

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
