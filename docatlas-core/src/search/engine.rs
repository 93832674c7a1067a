//! The [`Engine`]: a site's head and the data files loaded so far, decoded once each.

use std::collections::BTreeMap;

use fst::Map;

use super::eval::Eval;
use super::words::cap_terms;
use super::{Matched, SearchOptions, SearchResults, Step};
use crate::files::{
    FacetTable, Fragment, ShardData, FACETS_FILE, FACETS_MAGIC, FRAGMENT_MAGIC, POSTINGS_MAGIC,
    SHARD_MAGIC, TYPO_MAGIC,
};
use crate::format::{decode_head, decode_payload, FormatError, Head};
use crate::query;

/// Rounds of file loading [`Engine::run`] allows before it calls the site broken.
const MAX_ROUNDS: usize = 16;

/// dictionary (found by fuzzing), so its own checksum is verified before anything walks it.
fn open_fst(bytes: Vec<u8>, what: &str) -> Result<Map<Vec<u8>>, FormatError> {
    let map =
        Map::new(bytes).map_err(|e| FormatError::Payload(format!("{what} is unreadable: {e}")))?;
    map.as_fst()
        .verify()
        .map_err(|e| FormatError::Payload(format!("{what} is damaged: {e}")))?;
    Ok(map)
}

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
        let loaded = if name.starts_with("index/") {
            let data: ShardData = decode_payload(SHARD_MAGIC, bytes)?;
            let map = open_fst(data.terms, "a term shard")?;
            Loaded::Shard(Shard {
                map,
                lists: data.lists,
            })
        } else if name.starts_with("postings/") {
            Loaded::Postings(decode_payload(POSTINGS_MAGIC, bytes)?)
        } else if name.starts_with("typo/") {
            let raw: Vec<u8> = decode_payload(TYPO_MAGIC, bytes)?;
            Loaded::Typo(open_fst(raw, "a typo dictionary")?)
        } else if name.starts_with("text/") {
            Loaded::Fragment(decode_payload(FRAGMENT_MAGIC, bytes)?)
        } else if name == FACETS_FILE {
            Loaded::Facets(decode_payload(FACETS_MAGIC, bytes)?)
        } else {
            return Err(FormatError::Payload(format!(
                "{name} is not a file search reads"
            )));
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
