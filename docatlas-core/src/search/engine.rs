//! The [`Engine`], the top of search: a site's head, the data files loaded so far (decoded once
//! each, [`super::loaded`]) and the caches, and the questions asked of them.

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::cache::{ScoreCache, TypoCache};
use super::eval::Eval;
use super::loaded::Loaded;
use super::{Matched, SearchOptions, SearchResults, Step};
use crate::format::{decode_head, FormatError, Head};

/// Rounds of file loading [`Engine::run`] allows before it calls the site broken.
const MAX_ROUNDS: usize = 16;

/// A search engine over one site: its head and the data files loaded so far.
pub struct Engine {
    pub(super) head: Head,
    pub(super) files: BTreeMap<String, Loaded>,
    pub(super) scores: RefCell<ScoreCache>,
    pub(super) typos: RefCell<TypoCache>,
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
        let loaded = Loaded::decode(name, bytes)?;
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
        let mut ev = self.eval();
        match ev.search(query, opts) {
            Some(r) => Step::Ready(r),
            None => Step::Need(ev.need()),
        }
    }

    /// What `query` matches, for highlighting a page: the matched words and stems, without
    /// ranking anything (fewer files than [`Engine::search`]).
    pub fn matched(&self, query: &str) -> Step<Matched> {
        let mut ev = self.eval();
        match ev.matched(query) {
            Some(m) => Step::Ready(m),
            None => Step::Need(ev.need()),
        }
    }

    /// One evaluation over the files loaded so far.
    fn eval(&self) -> Eval<'_> {
        Eval::new(&self.head, &self.files, &self.scores, &self.typos)
    }
}
