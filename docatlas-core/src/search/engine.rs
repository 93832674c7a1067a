//! The [`Engine`], the top of search: a site's head, the data files loaded so far (decoded once
//! each, [`super::loaded`]) and the caches, and the questions asked of them.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;
use std::task::{Context, Poll, Waker};

use super::cache::{ScoreCache, TypoCache};
use super::eval::Eval;
use super::loaded::Loaded;
use super::{Matched, SearchOptions, SearchResults, Step};
use crate::format::{decode_head, FormatError, Head};

/// Rounds of file loading [`drive`] allows before it calls the site broken.
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
    /// needs with `load` (site-relative name → decompressed bytes): the rounds of [`drive`],
    /// for a caller whose files are at hand (the native readers, tests).
    pub fn run<T>(
        &mut self,
        ask: impl FnMut(&Engine) -> Step<T>,
        load: impl FnMut(&str) -> Result<Vec<u8>, String>,
    ) -> Result<T, String> {
        let rounds = std::pin::pin!(drive(Loader { engine: self, load }, ask));
        // Nothing here waits: `Loader` has read a round's files by the time it is asked.
        match rounds.poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(answer) => answer,
            Poll::Pending => Err("reading the site's files did not finish".into()),
        }
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

/// What differs between the callers that drive an [`Engine`] through its rounds ([`drive`]):
/// where the engine is kept between rounds, and where a round's files come from.
pub trait Fetch {
    /// Runs `f` on the engine (the app's is behind a lock, released while files are fetched, so
    /// other questions run meanwhile).
    fn engine<R>(&mut self, f: impl FnOnce(&mut Engine) -> R) -> Result<R, String>;

    /// The files `names` (site-relative), decompressed, in order: all of a round's at once (the
    /// browser fetches them in parallel). It may stop after the first that failed.
    fn fetch(&mut self, names: &[String]) -> impl Future<Output = Vec<Result<Vec<u8>, String>>>;

    /// Where the file `name` is, for an error about what it holds (its name, or its URL).
    fn place(&self, name: &str) -> String {
        name.to_string()
    }
}

/// Drives `ask` (a search, or [`Engine::matched`]) to its answer, one round at a time: ask; if
/// it names files, fetch them all and insert them; ask again. The one round loop: the native
/// readers ([`Engine::run`]) and the app differ only in their [`Fetch`].
pub async fn drive<T>(
    mut from: impl Fetch,
    mut ask: impl FnMut(&Engine) -> Step<T>,
) -> Result<T, String> {
    // Each round loads files a later round needed; a dozen covers every query shape.
    for _ in 0..MAX_ROUNDS {
        let need = match from.engine(|e| ask(e))? {
            Step::Ready(t) => return Ok(t),
            Step::Need(files) => files,
        };
        let fetched = from.fetch(&need).await;
        let inserted = from.engine(|engine| {
            for (name, bytes) in need.iter().zip(fetched) {
                // Another question may have loaded it while this one waited.
                if !engine.has(name) {
                    let bytes = bytes.map_err(Unfit::Fetch)?;
                    engine
                        .insert(name, &bytes)
                        .map_err(|e| Unfit::Decode(name, e))?;
                }
            }
            Ok(())
        })?;
        inserted.map_err(|unfit| match unfit {
            Unfit::Fetch(e) => e,
            Unfit::Decode(name, e) => format!("{}: {e}", from.place(name)),
        })?;
    }
    Err(format!(
        "a search needed more than {MAX_ROUNDS} rounds of files; the site's files do not fit together (rebuild it)"
    ))
}

/// Why a round's file could not be inserted.
enum Unfit<'n> {
    /// Fetching it failed (the message names the file).
    Fetch(String),
    /// It arrived but is not what its name says.
    Decode(&'n str, FormatError),
}

/// The [`Fetch`] of [`Engine::run`]: files read with `load` as a round asks for them.
struct Loader<'a, L> {
    engine: &'a mut Engine,
    load: L,
}

impl<L: FnMut(&str) -> Result<Vec<u8>, String>> Fetch for Loader<'_, L> {
    fn engine<R>(&mut self, f: impl FnOnce(&mut Engine) -> R) -> Result<R, String> {
        Ok(f(self.engine))
    }

    fn fetch(&mut self, names: &[String]) -> impl Future<Output = Vec<Result<Vec<u8>, String>>> {
        let mut out = Vec::with_capacity(names.len());
        for name in names {
            let bytes = (self.load)(name);
            let failed = bytes.is_err();
            out.push(bytes);
            if failed {
                break;
            }
        }
        std::future::ready(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{Bundle, BUNDLE_FILE};

    /// A fetcher over an empty site's files, naming files by a made-up URL.
    struct Over {
        engine: Engine,
        files: BTreeMap<String, Vec<u8>>,
        rounds: usize,
    }

    impl Over {
        fn new(damage: &str) -> Self {
            let mut files: BTreeMap<String, Vec<u8>> = crate::files::encode(&Bundle::default())
                .into_iter()
                .collect();
            let engine = Engine::new(&files[BUNDLE_FILE]).unwrap();
            if let Some(f) = files.get_mut(damage) {
                *f = b"not a data file".to_vec();
            }
            Over {
                engine,
                files,
                rounds: 0,
            }
        }
    }

    impl Fetch for &mut Over {
        fn engine<R>(&mut self, f: impl FnOnce(&mut Engine) -> R) -> Result<R, String> {
            Ok(f(&mut self.engine))
        }

        fn fetch(
            &mut self,
            names: &[String],
        ) -> impl Future<Output = Vec<Result<Vec<u8>, String>>> {
            self.rounds += 1;
            let got = names
                .iter()
                .map(|n| self.files.get(n).cloned().ok_or(format!("{n}: 404")))
                .collect();
            std::future::ready(got)
        }

        fn place(&self, name: &str) -> String {
            format!("https://docs.example/{name}")
        }
    }

    fn answer<T>(over: &mut Over, ask: impl FnMut(&Engine) -> Step<T>) -> Result<T, String> {
        let rounds = std::pin::pin!(drive(over, ask));
        match rounds.poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(answer) => answer,
            Poll::Pending => panic!("the test's fetcher never waits"),
        }
    }

    #[test]
    fn a_round_fetches_what_the_engine_asks_and_answers() {
        let mut over = Over::new("");
        let opts = SearchOptions::hits(5);
        let results = answer(&mut over, |e| e.search("anything", &opts)).unwrap();
        assert_eq!(results.total, 0);
        assert!(over.rounds >= 1);
        assert!(over.engine.has("index/0000.bin"));
    }

    #[test]
    fn a_file_that_does_not_fit_is_named_where_the_caller_found_it() {
        let mut over = Over::new("index/0000.bin");
        let opts = SearchOptions::hits(5);
        let e = answer(&mut over, |e| e.search("anything", &opts)).unwrap_err();
        assert!(
            e.starts_with("https://docs.example/index/0000.bin: not a docatlas bundle file"),
            "{e}"
        );
        // A failed fetch is reported as the fetcher worded it.
        over.files.clear();
        let e = answer(&mut over, |e| e.search("anything", &opts)).unwrap_err();
        assert_eq!(e, "index/0000.bin: 404");
    }

    #[test]
    fn a_question_that_never_settles_stops_after_the_last_round() {
        let mut over = Over::new("");
        let e = answer(&mut over, |_| {
            Step::<()>::Need(vec!["index/0000.bin".into()])
        })
        .unwrap_err();
        assert!(e.contains(&format!("more than {MAX_ROUNDS} rounds")), "{e}");
        // One fetch per round; the file, loaded in the first, is not inserted again.
        assert_eq!(over.rounds, MAX_ROUNDS);
    }
}
