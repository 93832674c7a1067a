//! What the engine keeps between searches besides the files: the scores of words with long
//! postings lists and the typo corrections of words already corrected. Both depend only on
//! files that never change once loaded, so an entry is never stale.

use std::collections::BTreeMap;

use super::scores::Scored;

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
