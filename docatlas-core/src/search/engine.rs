//! The [`Engine`]: a site's head and the data files loaded so far, decoded once each.

use std::cell::RefCell;
use std::collections::BTreeMap;

use fst::Map;

use super::eval::Eval;
use super::scores::Scored;
use super::words::cap_terms;
use super::{Matched, SearchOptions, SearchResults, Step};
use crate::files::{DataFile, FacetTable, Fragment, ShardData};
use crate::format::{decode_head, FormatError, Head};
use crate::query;

/// Rounds of file loading [`Engine::run`] allows before it calls the site broken.
const MAX_ROUNDS: usize = 16;

/// Opens an fst (a term shard's dictionary, a typo dictionary). fst trusts its node offsets,
/// so a crafted payload under a valid file checksum could make it index out of bounds (found
/// by fuzzing): its own checksum is verified before anything walks it.
fn open_fst(bytes: Vec<u8>, what: &str) -> Result<Map<Vec<u8>>, FormatError> {
    if !fst_checksum_holds(&bytes) {
        return Err(FormatError::Payload(format!(
            "{what} is damaged: its dictionary does not match its checksum"
        )));
    }
    Map::new(bytes).map_err(|e| FormatError::Payload(format!("{what} is unreadable: {e}")))
}

/// Whether an fst's trailing checksum (fst 0.4: the masked CRC-32C of the bytes before it,
/// little-endian) holds. Computed here, not with `Fst::verify`, whose sixteen 1 KiB tables
/// were 16 KiB of incompressible bytes in the app's WebAssembly; one table does it at a few
/// hundred MB/s, and a dictionary is checked once, when its file arrives.
fn fst_checksum_holds(bytes: &[u8]) -> bool {
    let Some((body, tail)) = bytes.split_last_chunk::<4>() else {
        return false;
    };
    let crc = !body.iter().fold(!0u32, |crc, &b| {
        let i = usize::from((crc as u8) ^ b);
        CRC32C.get(i).copied().unwrap_or_default() ^ (crc >> 8)
    });
    let masked = (crc.rotate_right(15)).wrapping_add(0xA282_EAD8);
    masked == u32::from_le_bytes(*tail)
}

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) of each byte value.
// Computed at compile time, where `get_mut` is not available; the indexes stay below 256.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
static CRC32C: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 {
                (c >> 1) ^ 0x82F6_3B78
            } else {
                c >> 1
            };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
};

/// A decoded data file.
pub(super) enum Loaded {
    Shard(Shard),
    Postings(Vec<u8>),
    Typo(Map<Vec<u8>>),
    Fragment(Fragment),
    Facets(FacetTable),
}

pub(super) struct Shard {
    pub(super) map: Map<Vec<u8>>,
    pub(super) lists: Vec<u8>,
}

/// A search engine over one site: its head and the data files loaded so far.
pub struct Engine {
    pub(super) head: Head,
    pub(super) files: BTreeMap<String, Loaded>,
    pub(super) scores: RefCell<ScoreCache>,
    pub(super) typos: RefCell<TypoCache>,
}

/// The typo corrections of words already corrected (the word as typed → its closest dictionary
/// words and their edit distance). Why: a misspelled word stays in the box while the reader
/// types the rest of the query, and walking the typo dictionaries is a tenth of a long query's
/// time. Corrections depend only on the dictionaries, which never change once loaded.
#[derive(Default)]
pub(super) struct TypoCache {
    words: BTreeMap<String, Vec<(String, u32)>>,
}

impl TypoCache {
    /// Words kept; all are dropped when it is full (a reader's misspellings are few).
    const MAX_WORDS: usize = 1024;

    pub(super) fn get(&self, word: &str) -> Option<&Vec<(String, u32)>> {
        self.words.get(word)
    }

    #[cfg(test)]
    pub(super) fn words_is_empty(&self) -> bool {
        self.words.is_empty()
    }

    pub(super) fn put(&mut self, word: &str, fixes: &[(String, u32)]) {
        if self.words.len() >= Self::MAX_WORDS {
            self.words.clear();
        }
        self.words.insert(word.to_string(), fixes.to_vec());
    }
}

/// Words with long postings lists whose scores a search has already summed
/// (`min_postings` and more), by the keys they matched.
///
/// Why: the browser runs the query again on every keystroke, and one reader's queries share
/// most of their words, so without it the same long lists are decoded and merged again and
/// again (most of a long query's time). A word's scores depend only on its keys, their match
/// factors and the head, and loaded files never change, so an entry is never stale. Bounded by
/// [`ScoreCache::MAX_ENTRIES`] scored sections, least recently used out first.
pub(super) struct ScoreCache {
    /// Words with fewer postings than this are cheaper to read again than to keep.
    pub(super) min_postings: u64,
    words: BTreeMap<String, CachedWord>,
    /// Scored sections held, over all words.
    entries: usize,
    /// Bumped by every lookup: when each word was last used.
    clock: u64,
}

struct CachedWord {
    scored: Scored,
    /// Which of the word's keys had postings (they count as matched).
    found: Vec<bool>,
    used: u64,
}

impl Default for ScoreCache {
    fn default() -> Self {
        Self {
            min_postings: 2048,
            words: BTreeMap::new(),
            entries: 0,
            clock: 0,
        }
    }
}

impl ScoreCache {
    /// About 12 MiB of sections and scores.
    const MAX_ENTRIES: usize = 1 << 20;

    /// The scores cached under `key`, with which keys had postings.
    pub(super) fn get(&mut self, key: &str) -> Option<(Scored, Vec<bool>)> {
        self.clock = self.clock.wrapping_add(1);
        let w = self.words.get_mut(key)?;
        w.used = self.clock;
        Some((w.scored.clone(), w.found.clone()))
    }

    /// Keeps `scored` under `key`, making room by dropping the least recently used words.
    pub(super) fn put(&mut self, key: String, scored: Scored, found: Vec<bool>) {
        let n = scored.len();
        if n > Self::MAX_ENTRIES / 4 {
            return;
        }
        while self.entries.saturating_add(n) > Self::MAX_ENTRIES {
            let Some(oldest) = self
                .words
                .iter()
                .min_by_key(|(_, w)| w.used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(w) = self.words.remove(&oldest) {
                self.entries = self.entries.saturating_sub(w.scored.len());
            }
        }
        self.clock = self.clock.wrapping_add(1);
        let word = CachedWord {
            scored,
            found,
            used: self.clock,
        };
        if let Some(old) = self.words.insert(key, word) {
            self.entries = self.entries.saturating_sub(old.scored.len());
        }
        self.entries = self.entries.saturating_add(n);
    }
}

impl Engine {
    /// An engine for the site whose head (`docatlas.bin`, decompressed) is `head`.
    pub fn new(head: &[u8]) -> Result<Self, FormatError> {
        Ok(Self::from_head(decode_head(head)?))
    }

    /// An engine for a decoded head.
    pub fn from_head(head: Head) -> Self {
        Self {
            head,
            files: BTreeMap::new(),
            scores: RefCell::default(),
            typos: RefCell::default(),
        }
    }

    /// The site's head.
    pub fn head(&self) -> &Head {
        &self.head
    }

    /// Whether the data file `name` is loaded.
    pub fn has(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    /// Decodes and keeps a data file a [`Step::Need`] asked for (decompressed bytes).
    pub fn insert(&mut self, name: &str, bytes: &[u8]) -> Result<(), FormatError> {
        let loaded = match DataFile::parse(name) {
            Some(file @ DataFile::Shard(_)) => {
                let data: ShardData = file.decode(bytes)?;
                let map = open_fst(data.terms, "a term shard")?;
                Loaded::Shard(Shard {
                    map,
                    lists: data.lists,
                })
            }
            Some(file @ DataFile::Postings(_)) => Loaded::Postings(file.decode(bytes)?),
            Some(file @ DataFile::Typo(_)) => {
                let raw: Vec<u8> = file.decode(bytes)?;
                Loaded::Typo(open_fst(raw, "a typo dictionary")?)
            }
            Some(file @ DataFile::Fragment { .. }) => Loaded::Fragment(file.decode(bytes)?),
            Some(file @ DataFile::Facets) => Loaded::Facets(file.decode(bytes)?),
            _ => {
                return Err(FormatError::Payload(format!(
                    "{name} is not a file search reads"
                )))
            }
        };
        self.files.insert(name.to_string(), loaded);
        Ok(())
    }

    /// Drives `ask` (a search, or [`Engine::matched`]) to its answer, loading each file it
    /// needs with `load` (site-relative name → decompressed bytes). The native readers use
    /// this; the app fetches each round's files in parallel instead.
    pub fn run<T>(
        &mut self,
        mut ask: impl FnMut(&Engine) -> Step<T>,
        mut load: impl FnMut(&str) -> Result<Vec<u8>, String>,
    ) -> Result<T, String> {
        // Each round loads files a later round needed; a dozen covers every query shape.
        for _ in 0..MAX_ROUNDS {
            match ask(self) {
                Step::Ready(t) => return Ok(t),
                Step::Need(files) => {
                    for name in files {
                        let bytes = load(&name)?;
                        self.insert(&name, &bytes)
                            .map_err(|e| format!("{name}: {e}"))?;
                    }
                }
            }
        }
        Err(format!(
            "a search needed more than {MAX_ROUNDS} rounds of files; the site's files do not fit together (rebuild it)"
        ))
    }

    /// Runs `query`: the best pages (up to `opts.limit`), or the files to load first.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Step<SearchResults> {
        let mut ev = Eval::new(self);
        match ev.search(query, opts) {
            Some(r) => Step::Ready(r),
            None => Step::Need(ev.need.into_iter().collect()),
        }
    }

    /// What `query` matches, for highlighting a page: the matched words and stems, without
    /// ranking anything (fewer files than [`Engine::search`]).
    pub fn matched(&self, query: &str) -> Step<Matched> {
        let mut ev = Eval::new(self);
        let mut q = query::parse(query, &|k| self.head.is_filter_key(k));
        cap_terms(&mut q);
        let result = ev.match_words(&q).and_then(|words| {
            let mut matched = Matched::default();
            for g in &words.groups {
                for a in &g.atoms {
                    for w in &a.words {
                        ev.score_word(w, &mut matched)?;
                    }
                }
            }
            Some(matched)
        });
        match result {
            Some(m) => Step::Ready(m),
            None => Step::Need(ev.need.into_iter().collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fst_checksum_is_the_one_fst_verifies() {
        let keys = ["alpha", "beta", "config", "gamma\u{1}e", "zeta"];
        let map = Map::from_iter(keys.iter().enumerate().map(|(i, k)| (*k, i as u64))).unwrap();
        let bytes = map.into_fst().into_inner();
        assert!(fst::raw::Fst::new(bytes.clone()).unwrap().verify().is_ok());
        assert!(fst_checksum_holds(&bytes));
        // Any one byte changed: both refuse it.
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            let theirs = fst::raw::Fst::new(damaged.clone()).is_ok_and(|f| f.verify().is_ok());
            assert!(!theirs, "fst accepted a change at {at}");
            assert!(!fst_checksum_holds(&damaged), "a change at {at} passed");
            assert!(open_fst(damaged, "a term shard").is_err());
        }
        assert!(!fst_checksum_holds(&[]));
        assert!(!fst_checksum_holds(&[1, 2, 3]));
    }
}
