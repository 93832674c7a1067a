//! Query evaluation: BM25F over sections, exact > stemmed > prefix > typo, one hit per page,
//! over a site's data files that arrive on demand.
//!
//! The browser app and `build-index search` both drive an [`Engine`]: it holds the head and
//! every data file loaded so far, and [`Engine::search`] either answers or names the files it
//! still needs ([`Step::Need`]). The caller fetches them (all at once: the browser in
//! parallel), hands them to [`Engine::insert`] and asks again; nothing here does IO or knows
//! where the files came from. Each round picks up where the files allow: term shards for the
//! query's words, then typo dictionaries, long postings lists, and the text of the sections to
//! show or to check a phrase in.
//!
//! Work is proportional to the postings the query touches: scores are accumulated in sorted
//! vectors of the (page, section) pairs the postings name, never in per-corpus arrays.

mod filter;
mod phrase;
mod report;
mod scores;
mod snippet;
mod typo;

/// Opens an fst stored in a data file. fst trusts its node offsets and panics on a damaged
/// dictionary (found by fuzzing), so its own checksum is verified before anything walks it.
fn open_fst(bytes: Vec<u8>, what: &str) -> Result<Map<Vec<u8>>, FormatError> {
    let map =
        Map::new(bytes).map_err(|e| FormatError::Payload(format!("{what} is unreadable: {e}")))?;
    map.as_fst()
        .verify()
        .map_err(|e| FormatError::Payload(format!("{what} is damaged: {e}")))?;
    Ok(map)
}

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use fst::{Automaton, IntoStreamer, Map, Streamer};
use serde::Serialize;

pub use self::filter::FacetCount;
pub use self::phrase::has_phrase;
pub use self::report::{Report, ReportHit};
pub use self::snippet::{snippet, Matched, Snippet};

use self::scores::{Scored, SectionKey};
use crate::files::{
    fragment_file, postings_file, read_postings, shard_file, typo_file, FacetTable, Fragment,
    ShardData, FACETS_FILE, FACETS_MAGIC, FRAGMENT_MAGIC, POSTINGS_MAGIC, SHARD_MAGIC, TYPO_MAGIC,
};
use crate::format::{decode_head, decode_payload, FormatError, Head};
use crate::index::{idf, tf_of_impact, Posting};
use crate::query::{self, Atom, Filter, Query};
use crate::text::{entity_key, is_surface_key, stem_key, title_key, Lang, STEM_MARK};
use crate::varint;

/// How much a stem match counts, relative to the word as typed.
const STEM_FACTOR: f32 = 0.7;
/// How much a prefix expansion of the last word counts.
const PREFIX_FACTOR: f32 = 0.5;
/// How much a one-typo correction counts (two typos count [`TYPO_FACTOR`] squared).
const TYPO_FACTOR: f32 = 0.35;
/// Prefix expansions and typo corrections considered per word.
const MAX_EXPANSIONS: usize = 40;
/// Added to the section that defines an entity (a catalog row) when the query is its name.
const DEFINITION_BONUS: f32 = 8.0;
/// A quoted phrase (or an excluded one) is checked against at most this many candidate
/// sections, best first; candidates beyond are dropped (or, for exclusions, kept).
const PHRASE_CHECKS: usize = 50;

/// What a search needs from its caller: the answer, or the files to load first.
#[derive(Debug, Clone, PartialEq)]
pub enum Step<T> {
    /// The answer.
    Ready(T),
    /// Load these files (site-relative names), [`Engine::insert`] them, and ask again.
    Need(Vec<String>),
}

/// Rounds of file loading [`Engine::run`] allows before it calls the site broken.
const MAX_ROUNDS: usize = 16;

/// What to compute besides the hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchOptions {
    /// At most this many hits (with snippets).
    pub limit: usize,
    /// Count facet values over all matching pages (needs the facet table).
    pub facets: bool,
}

impl SearchOptions {
    /// `limit` hits, no facet counts: what `build-index search` and `search_json` answer.
    pub fn hits(limit: usize) -> Self {
        Self {
            limit,
            facets: false,
        }
    }
}

/// The answer to one query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// How many pages matched (hits may be fewer, cut at the limit). Phrases are checked
    /// against the best [`PHRASE_CHECKS`] candidate sections only, so with a phrase this counts
    /// the pages among those.
    pub total: usize,
    /// Best pages first.
    pub hits: Vec<Hit>,
    /// Query words that matched only through typo correction, with what they matched.
    pub corrected: Vec<(String, String)>,
    /// What counts as a match, for highlighting snippets and pages.
    pub matched: Matched,
    /// Facet values among all matching pages, with counts (when asked for).
    pub facets: Vec<FacetCount>,
}

/// One page that matched, at its best section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Index of the page (pages are sorted by path).
    pub doc: u32,
    /// Index of the section in the page.
    pub section: u32,
    /// Docs-relative path of the page.
    pub path: String,
    /// Page title.
    pub title: String,
    /// The section's heading id; `None` for the text before the first heading.
    pub anchor: Option<String>,
    /// The section's heading.
    pub heading: String,
    /// Relevance; only comparable within one query.
    pub score: f32,
    /// A short passage of the section around the matched words.
    pub snippet: Snippet,
}

/// A decoded data file.
enum Loaded {
    Shard(Shard),
    Postings(Vec<u8>),
    Typo(Map<Vec<u8>>),
    Fragment(Fragment),
    Facets(FacetTable),
}

struct Shard {
    map: Map<Vec<u8>>,
    lists: Vec<u8>,
}

/// A search engine over one site: its head and the data files loaded so far.
pub struct Engine {
    head: Head,
    files: BTreeMap<String, Loaded>,
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
        let q = query::parse(query, &|k| self.head.is_filter_key(k));
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

/// A dictionary entry: how many sections hold the key, and where its postings are.
#[derive(Clone, Copy)]
struct Entry<'e> {
    df: u32,
    list: List<'e>,
}

#[derive(Clone, Copy)]
enum List<'e> {
    Inline(&'e [u8], usize),
    File(u32),
}

/// A key a query word matched, and how much it counts.
struct KeyMatch<'e> {
    key: String,
    entry: Entry<'e>,
    factor: f32,
}

/// A query word and the keys it matched.
struct WordMatch<'e> {
    keys: Vec<KeyMatch<'e>>,
}

struct AtomMatch<'e> {
    words: Vec<WordMatch<'e>>,
    flags: Vec<KeyMatch<'e>>,
}

struct GroupMatch<'e> {
    atoms: Vec<AtomMatch<'e>>,
    /// Skipped: a single word on most sections, beside more specific words.
    skip: bool,
}

/// Everything the query's words matched in the dictionary.
struct Words<'e> {
    groups: Vec<GroupMatch<'e>>,
    corrected: Vec<(String, String)>,
}

/// One evaluation of a query; records the files it found missing.
struct Eval<'e> {
    engine: &'e Engine,
    need: BTreeSet<String>,
}

impl<'e> Eval<'e> {
    fn new(engine: &'e Engine) -> Self {
        Self {
            engine,
            need: BTreeSet::new(),
        }
    }

    fn head(&self) -> &'e Head {
        &self.engine.head
    }

    /// The file `name` if loaded; else records it as needed.
    fn file(&mut self, name: String) -> Option<&'e Loaded> {
        let engine: &'e Engine = self.engine;
        match engine.files.get(&name) {
            Some(f) => Some(f),
            None => {
                self.need.insert(name);
                None
            }
        }
    }

    /// `Some(())` when nothing is missing so far: the end of a round.
    fn ready(&self) -> Option<()> {
        self.need.is_empty().then_some(())
    }

    fn shard(&mut self, i: usize) -> Option<&'e Shard> {
        match self.file(shard_file(i))? {
            Loaded::Shard(s) => Some(s),
            _ => None,
        }
    }

    /// Asks for the shard holding `key`.
    fn want(&mut self, key: &str) {
        let i = self.head().shard_of(key);
        let _ = self.shard(i);
    }

    /// The dictionary entry of `key`; `None` when absent or its shard is not loaded (which is
    /// then recorded).
    fn lookup(&mut self, key: &str) -> Option<Entry<'e>> {
        let shard = self.shard(self.head().shard_of(key))?;
        let off = usize::try_from(shard.map.get(key)?).ok()?;
        entry_at(&shard.lists, off)
    }

    /// Postings of an entry; `None` when its file is not loaded yet (recorded).
    fn postings(&mut self, entry: &Entry<'e>) -> Option<Vec<Posting>> {
        let mut out = Vec::new();
        match entry.list {
            List::Inline(bytes, mut pos) => read_postings(bytes, &mut pos, entry.df, &mut out),
            List::File(id) => match self.file(postings_file(id))? {
                Loaded::Postings(bytes) => read_postings(bytes, &mut 0, entry.df, &mut out),
                _ => return None,
            },
        }
        Some(out)
    }

    fn fragment(&mut self, doc: u32, section: u32) -> Option<&'e Fragment> {
        match self.file(fragment_file(self.head(), doc, section))? {
            Loaded::Fragment(f) => Some(f),
            _ => None,
        }
    }

    fn facets(&mut self) -> Option<&'e FacetTable> {
        match self.file(FACETS_FILE.to_string())? {
            Loaded::Facets(f) => Some(f),
            _ => None,
        }
    }

    /// Round one to three: every query word's exact, stem, prefix and typo keys.
    fn match_words(&mut self, q: &Query) -> Option<Words<'e>> {
        let prefix_word = last_prefix_word(q);
        for atom in q.groups.iter().flatten() {
            for w in &atom.words {
                self.want(w);
                for lang in [Lang::En, Lang::De] {
                    if let Some(k) = stem_key(w, lang) {
                        self.want(&k);
                    }
                }
            }
            for f in &atom.flags {
                self.want(f);
            }
        }
        self.ready()?;
        // Prefix expansion of the last word may run on into the next shards.
        let mut expansions: Vec<(String, Entry<'e>)> = Vec::new();
        if let Some(word) = prefix_word {
            self.expand_prefix(word, &mut expansions);
            self.ready()?;
        }
        let mut groups = Vec::with_capacity(q.groups.len());
        let mut unmatched: Vec<&str> = Vec::new();
        for (g, group) in q.groups.iter().enumerate() {
            let mut atoms = Vec::with_capacity(group.len());
            for (a, atom) in group.iter().enumerate() {
                let is_last =
                    g.saturating_add(1) == q.groups.len() && a.saturating_add(1) == group.len();
                let mut words = Vec::with_capacity(atom.words.len());
                for (i, w) in atom.words.iter().enumerate() {
                    let mut keys = Vec::new();
                    if let Some(entry) = self.lookup(w) {
                        keys.push(KeyMatch {
                            key: w.clone(),
                            entry,
                            factor: 1.0,
                        });
                    }
                    for lang in [Lang::En, Lang::De] {
                        let Some(k) = stem_key(w, lang) else { continue };
                        if keys.iter().any(|x| x.key == k) {
                            continue;
                        }
                        if let Some(entry) = self.lookup(&k) {
                            keys.push(KeyMatch {
                                key: k,
                                entry,
                                factor: STEM_FACTOR,
                            });
                        }
                    }
                    let last_word = is_last && i.saturating_add(1) == atom.words.len();
                    if last_word && prefix_word == Some(w.as_str()) {
                        keys.extend(expansions.iter().map(|(key, entry)| KeyMatch {
                            key: key.clone(),
                            entry: *entry,
                            factor: PREFIX_FACTOR,
                        }));
                    }
                    if keys.is_empty() {
                        unmatched.push(w);
                    }
                    words.push(WordMatch { keys });
                }
                let flags = atom
                    .flags
                    .iter()
                    .filter_map(|f| {
                        Some(KeyMatch {
                            key: f.clone(),
                            entry: self.lookup(f)?,
                            factor: 1.0,
                        })
                    })
                    .collect();
                atoms.push(AtomMatch { words, flags });
            }
            groups.push(GroupMatch { atoms, skip: false });
        }
        // Words that matched nothing as typed: typo corrections (two more rounds at most).
        let mut corrected = Vec::new();
        if !unmatched.is_empty() {
            let fixes = self.typo_fixes(&unmatched)?;
            let mut w = 0usize;
            for (group, gm) in q.groups.iter().zip(&mut groups) {
                for (atom, am) in group.iter().zip(&mut gm.atoms) {
                    for (word, wm) in atom.words.iter().zip(&mut am.words) {
                        if !wm.keys.is_empty() {
                            continue;
                        }
                        let Some(found) = fixes.get(w) else { continue };
                        w = w.saturating_add(1);
                        if let Some((best, _, _)) = found.first() {
                            corrected.push((word.clone(), best.clone()));
                        }
                        wm.keys = found
                            .iter()
                            .map(|(key, entry, d)| KeyMatch {
                                key: key.clone(),
                                entry: *entry,
                                factor: TYPO_FACTOR.powi(i32::try_from(*d).unwrap_or(2)),
                            })
                            .collect();
                    }
                }
            }
        }
        // Words on most sections (`the`, `is`) say little and cost the most: when the query has
        // other words, they neither score nor count towards coverage, and their postings are
        // never fetched.
        let half = self.head().sections / 2;
        let common: Vec<bool> = q
            .groups
            .iter()
            .map(|g| match g.as_slice() {
                [atom] => match atom.words.as_slice() {
                    [w] => self.lookup(w).is_some_and(|e| e.df > half),
                    _ => false,
                },
                _ => false,
            })
            .collect();
        if common.iter().any(|&c| c) && common.iter().any(|&c| !c) {
            for (gm, c) in groups.iter_mut().zip(common) {
                gm.skip = c;
            }
        }
        Some(Words { groups, corrected })
    }

    /// Surface keys starting with `word` (not `word` itself), up to [`MAX_EXPANSIONS`], in
    /// key order, across as many shards as they span.
    fn expand_prefix(&mut self, word: &str, out: &mut Vec<(String, Entry<'e>)>) {
        let head = self.head();
        let mut i = head.shard_of(word);
        loop {
            let Some(shard) = self.shard(i) else { return };
            let mut stream = shard
                .map
                .search(fst::automaton::Str::new(word).starts_with())
                .into_stream();
            while let Some((key, off)) = stream.next() {
                if key == word.as_bytes() || !is_surface_key(key) {
                    continue;
                }
                let entry = usize::try_from(off)
                    .ok()
                    .and_then(|off| entry_at(&shard.lists, off));
                if let Some(entry) = entry {
                    out.push((String::from_utf8_lossy(key).into_owned(), entry));
                }
                if out.len() >= MAX_EXPANSIONS {
                    return;
                }
            }
            i = i.saturating_add(1);
            match head.shards.get(i) {
                Some(first) if first.starts_with(word) => continue,
                _ => return,
            }
        }
    }

    /// For each word, the dictionary words within its edit limit at the smallest distance
    /// found, closest and then alphabetically first, at most [`MAX_EXPANSIONS`].
    #[allow(clippy::type_complexity)]
    fn typo_fixes(&mut self, words: &[&str]) -> Option<Vec<Vec<(String, Entry<'e>, u32)>>> {
        let head = self.head();
        let mut dicts: Vec<Vec<&'e Map<Vec<u8>>>> = Vec::with_capacity(words.len());
        for w in words {
            let max = if w.is_ascii() {
                typo::max_edits(w.len())
            } else {
                0
            };
            let mut mine = Vec::new();
            if max > 0 {
                let lo = w.len().saturating_sub(max as usize);
                let hi = w.len().saturating_add(max as usize);
                for len in lo..=hi {
                    if !head
                        .typo_lengths
                        .contains(&u8::try_from(len).unwrap_or(u8::MAX))
                    {
                        continue;
                    }
                    if let Some(Loaded::Typo(d)) = self.file(typo_file(len)) {
                        mine.push(d);
                    }
                }
            }
            dicts.push(mine);
        }
        self.ready()?;
        let mut found: Vec<Vec<(String, u32)>> = Vec::with_capacity(words.len());
        for (w, mine) in words.iter().zip(&dicts) {
            let max = typo::max_edits(w.len());
            let mut all: Vec<(String, u32)> = mine
                .iter()
                .flat_map(|d| typo::candidates(d, w, max))
                .collect();
            all.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
            if let Some(best) = all.first().map(|f| f.1) {
                all.retain(|f| f.1 == best);
            }
            all.truncate(MAX_EXPANSIONS);
            for (term, _) in &all {
                self.want(term);
            }
            found.push(all);
        }
        self.ready()?;
        Some(
            found
                .into_iter()
                .map(|list| {
                    list.into_iter()
                        .filter_map(|(term, d)| {
                            let e = self.lookup(&term)?;
                            Some((term, e, d))
                        })
                        .collect()
                })
                .collect(),
        )
    }

    /// Per-section BM25 of one word: the best of its keys. Records matched keys.
    fn score_word(&mut self, word: &WordMatch<'e>, matched: &mut Matched) -> Option<Scored> {
        self.score_keys(&word.keys, Some(matched))
    }

    fn score_keys(
        &mut self,
        keys: &[KeyMatch<'e>],
        mut matched: Option<&mut Matched>,
    ) -> Option<Scored> {
        let n = self.head().sections;
        let mut all = Vec::new();
        let mut missing = false;
        for k in keys {
            let Some(list) = self.postings(&k.entry) else {
                missing = true;
                continue;
            };
            if list.is_empty() {
                continue;
            }
            if let Some(m) = matched.as_deref_mut() {
                if k.key.contains(STEM_MARK) {
                    m.stems.insert(k.key.clone());
                } else {
                    m.terms.insert(k.key.clone());
                }
            }
            let w = idf(k.entry.df, n) * k.factor;
            all.extend(
                list.into_iter()
                    .map(|p| (SectionKey::of(&p), w * tf_of_impact(p.impact))),
            );
        }
        if missing {
            return None;
        }
        Some(Scored::from_max(all))
    }

    fn search(&mut self, query: &str, opts: &SearchOptions) -> Option<SearchResults> {
        let q = query::parse(query, &|k| self.engine.head.is_filter_key(k));
        // Ask for everything the query's metadata needs alongside its first shards.
        let wants_facets = opts.facets || q.filters.iter().any(|f| f.key != "title");
        if wants_facets {
            let _ = self.facets();
        }
        let title_filters: Vec<(&Filter, Vec<String>)> = q
            .filters
            .iter()
            .filter(|f| f.key == "title")
            .map(|f| {
                let keys = crate::text::words(&f.value)
                    .iter()
                    .map(|w| title_key(w))
                    .collect::<Vec<_>>();
                (f, keys)
            })
            .collect();
        for (_, keys) in &title_filters {
            for k in keys {
                self.want(k);
            }
        }
        for atom in &q.excludes {
            for w in &atom.words {
                self.want(w);
            }
        }
        let entity = entity_query(&q);
        if let Some(k) = &entity {
            self.want(k);
        }
        let words = self.match_words(&q)?;

        // Scores per group; then summed per section, counting the groups each section matches.
        let mut matched = Matched::default();
        let mut group_scores: Vec<Scored> = Vec::new();
        let mut missing = false;
        for (group, gm) in q.groups.iter().zip(&words.groups) {
            if gm.skip {
                continue;
            }
            let mut best = Scored::default();
            for (atom, am) in group.iter().zip(&gm.atoms) {
                let Some(s) = self.score_atom(atom, am, &mut matched) else {
                    missing = true;
                    continue;
                };
                best = best.union_max(&s);
            }
            group_scores.push(best);
        }
        let entity_sections = match &entity {
            Some(k) => match self.lookup(k) {
                Some(e) => self.postings(&e),
                None => Some(Vec::new()),
            },
            None => Some(Vec::new()),
        };
        let excluded_sections = self.exclusion_candidates(&q.excludes);
        let title_docs: Vec<Option<BTreeSet<u32>>> = title_filters
            .iter()
            .map(|(_, keys)| self.docs_with_all(keys))
            .collect();
        if missing {
            return None;
        }
        self.ready()?;
        let entity_sections = entity_sections.unwrap_or_default();
        let excluded_sections = excluded_sections.unwrap_or_default();
        let title_docs: Vec<BTreeSet<u32>> = title_docs.into_iter().flatten().collect();

        let n_groups = u32::try_from(q.groups.len()).unwrap_or(u32::MAX);
        let mut acc = Scored::combine(&group_scores);
        // A query that is exactly an entity's name (`booking-api`, `notification_log`) puts the
        // catalog row defining it first, ahead of pages that merely mention it.
        acc.add_bonus(
            entity_sections.iter().map(SectionKey::of),
            DEFINITION_BONUS,
            n_groups,
        );

        // Exclusions, then filters: conditions on pages.
        let excluded = self.excluded_docs(&q.excludes, excluded_sections, &acc)?;
        let facets = if wants_facets {
            Some(self.facets()?)
        } else {
            None
        };
        let metadata: Vec<&Filter> = q.filters.iter().filter(|f| f.key != "title").collect();
        let passes = |d: u32| {
            !excluded.contains(&d)
                && title_filters
                    .iter()
                    .zip(&title_docs)
                    .all(|((f, _), docs)| docs.contains(&d) != f.negated)
                && metadata
                    .iter()
                    .all(|f| facets.is_some_and(|t| filter::metadata_holds(t, d, f)))
        };

        // Best section per page; pages matching more of the query's groups come first.
        let mut pages: Vec<scores::PageScore> = if n_groups == 0 && !q.filters.is_empty() {
            // Filters alone list the pages they select, in path order.
            (0..self.head().docs)
                .filter(|&d| passes(d))
                .map(|doc| scores::PageScore {
                    doc,
                    section: 0,
                    score: 0.0,
                    covered: 0,
                })
                .collect()
        } else {
            acc.best_per_page(passes)
        };
        let total = pages.len();
        let facet_counts = match (opts.facets, facets) {
            (true, Some(t)) => filter::facet_counts(t, pages.iter().map(|p| p.doc)),
            _ => Vec::new(),
        };
        scores::top_k(&mut pages, opts.limit);

        // The text of the sections shown: one more round.
        for p in &pages {
            let _ = self.fragment(p.doc, p.section);
        }
        self.ready()?;
        let hits = pages
            .iter()
            .filter_map(|p| {
                let fragment = self.fragment(p.doc, p.section)?;
                let section = fragment.section(p.section)?;
                Some(Hit {
                    doc: p.doc,
                    section: p.section,
                    path: fragment.path.clone(),
                    title: fragment.title.clone(),
                    anchor: section.anchor.clone(),
                    heading: section.heading.clone(),
                    score: p.score,
                    snippet: snippet(&section.text, &matched),
                })
            })
            .collect();
        Some(SearchResults {
            query: query.to_string(),
            total,
            hits,
            corrected: words.corrected,
            matched,
            facets: facet_counts,
        })
    }

    /// One atom: the sum of its words' scores over sections holding all of them (and, for a
    /// quoted phrase, holding them in order); or the score of a flag it names, if higher.
    fn score_atom(
        &mut self,
        atom: &Atom,
        am: &AtomMatch<'e>,
        matched: &mut Matched,
    ) -> Option<Scored> {
        let mut combined: Option<Scored> = None;
        let mut missing = false;
        for wm in &am.words {
            match self.score_word(wm, matched) {
                Some(s) => {
                    combined = Some(match combined {
                        None => s,
                        Some(acc) => acc.intersect_sum(&s),
                    })
                }
                None => missing = true,
            }
        }
        let flags = self.score_keys(&am.flags, None);
        if missing {
            return None;
        }
        let mut out = combined.unwrap_or_default();
        if atom.phrase && atom.words.len() > 1 {
            out = self.verify_phrase(out, &atom.words)?;
        }
        Some(out.union_max(&flags?))
    }

    /// Keeps the candidate sections whose heading, text or page title holds `words` in order:
    /// the best [`PHRASE_CHECKS`] of them.
    fn verify_phrase(&mut self, candidates: Scored, words: &[String]) -> Option<Scored> {
        let best = candidates.best(PHRASE_CHECKS);
        for k in &best {
            let _ = self.fragment(k.doc, k.section);
        }
        self.ready()?;
        let keep: BTreeSet<SectionKey> = best
            .into_iter()
            .filter(|k| self.section_has_phrase(*k, words))
            .collect();
        Some(candidates.retain(|k| keep.contains(k)))
    }

    fn section_has_phrase(&mut self, k: SectionKey, words: &[String]) -> bool {
        let Some(fragment) = self.fragment(k.doc, k.section) else {
            return false;
        };
        let Some(s) = fragment.section(k.section) else {
            return false;
        };
        [&s.heading, &s.text, &fragment.title]
            .iter()
            .any(|t| has_phrase(t, words))
    }

    /// Pages that have every key (title-word keys of a `title:` filter).
    fn docs_with_all(&mut self, keys: &[String]) -> Option<BTreeSet<u32>> {
        let mut docs: Option<BTreeSet<u32>> = None;
        for k in keys {
            let here: BTreeSet<u32> = match self.lookup(k) {
                Some(e) => self.postings(&e)?.into_iter().map(|p| p.doc).collect(),
                None => BTreeSet::new(),
            };
            docs = Some(match docs {
                None => here,
                Some(acc) => acc.intersection(&here).copied().collect(),
            });
        }
        Some(docs.unwrap_or_default())
    }

    /// Per excluded atom, the sections holding all its words.
    fn exclusion_candidates(&mut self, excludes: &[Atom]) -> Option<Vec<BTreeSet<SectionKey>>> {
        let mut out = Vec::with_capacity(excludes.len());
        let mut missing = false;
        for atom in excludes {
            let mut sections: Option<BTreeSet<SectionKey>> = None;
            for w in &atom.words {
                let here: BTreeSet<SectionKey> = match self.lookup(w) {
                    Some(e) => match self.postings(&e) {
                        Some(list) => list.iter().map(SectionKey::of).collect(),
                        None => {
                            missing = true;
                            BTreeSet::new()
                        }
                    },
                    None => BTreeSet::new(),
                };
                sections = Some(match sections {
                    None => here,
                    Some(acc) => acc.intersection(&here).copied().collect(),
                });
            }
            out.push(sections.unwrap_or_default());
        }
        (!missing).then_some(out)
    }

    /// Pages left out by the exclusions: those with a section holding an excluded word (or,
    /// for a phrase, holding it in order: checked on the candidates' sections only).
    fn excluded_docs(
        &mut self,
        excludes: &[Atom],
        sections: Vec<BTreeSet<SectionKey>>,
        candidates: &scores::Acc,
    ) -> Option<BTreeSet<u32>> {
        let candidate_docs: BTreeSet<u32> = candidates.docs().collect();
        let mut out = BTreeSet::new();
        for (atom, secs) in excludes.iter().zip(sections) {
            if !atom.phrase || atom.words.len() < 2 {
                out.extend(secs.iter().map(|k| k.doc));
                continue;
            }
            let check: Vec<SectionKey> = secs
                .into_iter()
                .filter(|k| candidate_docs.contains(&k.doc))
                .take(PHRASE_CHECKS)
                .collect();
            for k in &check {
                let _ = self.fragment(k.doc, k.section);
            }
            self.ready()?;
            for k in check {
                if self.section_has_phrase(k, &atom.words) {
                    out.insert(k.doc);
                }
            }
        }
        Some(out)
    }
}

/// The dictionary entry at `off` in a shard's lists.
fn entry_at(lists: &[u8], off: usize) -> Option<Entry<'_>> {
    let mut pos = off;
    let h = varint::read(lists, &mut pos)?;
    let df = u32::try_from(h >> 1).ok()?;
    let list = if h & 1 == 1 {
        List::File(u32::try_from(varint::read(lists, &mut pos)?).ok()?)
    } else {
        List::Inline(lists, pos)
    };
    Some(Entry { df, list })
}

/// The last word of the query when it may be unfinished (search as you type).
fn last_prefix_word(q: &Query) -> Option<&str> {
    let atom = q.groups.last()?.last()?;
    (!atom.phrase && q.last_is_prefix)
        .then(|| atom.words.last().map(String::as_str))
        .flatten()
}

/// The entity key to look up when the query is nothing but one name (every group a single
/// atom): `booking-api` → `booking api`.
fn entity_query(q: &Query) -> Option<String> {
    if q.groups.is_empty() || q.groups.iter().any(|g| g.len() != 1) {
        return None;
    }
    let words: Vec<String> = q
        .groups
        .iter()
        .flat_map(|g| g.iter().flat_map(|a| a.words.iter().cloned()))
        .collect();
    (!words.is_empty()).then(|| entity_key(&words))
}
