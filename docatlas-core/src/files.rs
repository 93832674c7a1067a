//! The data files of a built site: what each kind holds, what it is called, and how a compiled
//! [`Bundle`] is split into them ([`encode`]).
//!
//! The split follows what a reader pays before the first result: the head is tiny, and a query
//! fetches only the term shards its words sort into, the long postings lists it cannot skip, and
//! the text of the sections it shows. Everything else waits until it is asked for.
//!
//! | file | kind | holds | fetched |
//! |---|---|---|---|
//! | `docatlas.bin` | [`Head`] | counts, the shard list, filter keys | on load |
//! | `index/NNNN.bin` | [`ShardData`] | a key range of the dictionary (an fst) with df and postings | when a query word sorts into it |
//! | `postings/NNNN.bin` | postings bytes | one long postings list | when a query needs that word's sections |
//! | `typo/LL.bin` | an fst of the words of length LL | typo candidates | when a word matches nothing as typed |
//! | `text/D-G.bin` | [`Fragment`] | path, title and the text of sections `G·n..` of page D | for the hits shown, and phrase checks |
//! | `facets.bin` | [`FacetTable`] | every page's kind, language, tags and front matter values | for filters and facet chips |
//! | `page/HHHH.bin` | `Vec<Doc>` | a page's HTML and metadata (sections without their text) | when the page is opened |
//! | `pages.bin` | `Vec<`[`PageEntry`]`>` | path, title, kind, reading time and summary of every page | when the page list is shown |

use std::collections::{BTreeMap, BTreeSet};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::format::{
    decode_payload, encode_payload, fnv1a64, Bundle, FormatError, Head, BUNDLE_FILE, GRAPH_FILE,
    GRAPH_MAGIC, MAGIC, TRACKS_FILE, TRACKS_MAGIC,
};
use crate::index::Posting;
use crate::model::{Doc, Section};
use crate::text::is_surface_key;
use crate::varint;

/// Magic of a term shard.
pub const SHARD_MAGIC: [u8; 8] = *b"DOCATLIX";
/// Magic of a long postings list.
pub const POSTINGS_MAGIC: [u8; 8] = *b"DOCATLPO";
/// Magic of a typo dictionary.
pub const TYPO_MAGIC: [u8; 8] = *b"DOCATLTY";
/// Magic of a text fragment.
pub const FRAGMENT_MAGIC: [u8; 8] = *b"DOCATLFR";
/// Magic of the facet table.
pub const FACETS_MAGIC: [u8; 8] = *b"DOCATLFA";
/// Magic of a page file.
pub const PAGE_MAGIC: [u8; 8] = *b"DOCATLPG";
/// Magic of the page list.
pub const PAGE_LIST_MAGIC: [u8; 8] = *b"DOCATLPL";

/// File name of the facet table.
pub const FACETS_FILE: &str = "facets.bin";
/// File name of the page list.
pub const PAGE_LIST_FILE: &str = "pages.bin";

/// A term shard is closed once its encoded keys and postings pass this many bytes: small
/// enough that a query's few shards cost a few KiB each over the wire.
const SHARD_BYTES: usize = 12 * 1024;
/// A postings list longer than this (encoded) gets a file of its own, so a query that skips a
/// common word never downloads it, and the shards around it stay small.
const LONG_POSTINGS: usize = 1024;
/// Sections per text fragment file.
const FRAGMENT_SECTIONS: u32 = 4;
/// Typo dictionaries hold words of these lengths (a typo is corrected for words of 4+ letters,
/// within one edit, or two from 8 letters).
const TYPO_LENGTHS: std::ops::RangeInclusive<usize> = 3..=40;

/// One data file of a site: the one place that names it, recognises its name and knows its magic
/// (so its decoder). The writer ([`encode`]), the engine that loads what a search asks for and
/// the app all go through it, so a name is never formatted or matched anywhere else (tantivy's
/// `SegmentComponent` plays this part for a segment's files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataFile {
    /// The head, [`BUNDLE_FILE`].
    Head,
    /// Term shard `i`: `index/NNNN.bin`.
    Shard(usize),
    /// Long postings list `i`: `postings/NNNN.bin`.
    Postings(u32),
    /// The typo dictionary of the words this many bytes long: `typo/LL.bin`.
    Typo(usize),
    /// Text fragment `group` of page `doc` (its sections `group·n..`, `n` the head's
    /// `fragment_sections`): `text/D-G.bin`.
    Fragment {
        /// The page.
        doc: u32,
        /// The fragment's number within the page.
        group: u32,
    },
    /// The facet table, [`FACETS_FILE`].
    Facets,
    /// The page file of the pages whose paths hash (FNV-1a) to this: `page/HHHHHHHHHHHHHHHH.bin`.
    Page(u64),
    /// The page list, [`PAGE_LIST_FILE`].
    PageList,
    /// Reading tracks and checklists, [`TRACKS_FILE`].
    Tracks,
    /// The entity graph, [`GRAPH_FILE`].
    Graph,
}

impl DataFile {
    /// The text fragment holding section `section` of page `doc`.
    pub fn fragment_of(head: &Head, doc: u32, section: u32) -> Self {
        let group = section.checked_div(head.fragment_sections).unwrap_or(0);
        DataFile::Fragment { doc, group }
    }

    /// The page file holding the page at `path` (a hash of the path, so opening a page needs
    /// nothing from the head; pages whose hashes collide share the file).
    pub fn page_of(path: &str) -> Self {
        DataFile::Page(fnv1a64(path.as_bytes()))
    }

    /// The file's site-relative name.
    pub fn name(self) -> String {
        match self {
            DataFile::Head => BUNDLE_FILE.to_string(),
            DataFile::Shard(i) => format!("index/{i:04}.bin"),
            DataFile::Postings(i) => format!("postings/{i:04}.bin"),
            DataFile::Typo(len) => format!("typo/{len:02}.bin"),
            DataFile::Fragment { doc, group } => format!("text/{doc}-{group}.bin"),
            DataFile::Facets => FACETS_FILE.to_string(),
            DataFile::Page(hash) => format!("page/{hash:016x}.bin"),
            DataFile::PageList => PAGE_LIST_FILE.to_string(),
            DataFile::Tracks => TRACKS_FILE.to_string(),
            DataFile::Graph => GRAPH_FILE.to_string(),
        }
    }

    /// The data file `name` is, if it is one: exactly the names [`DataFile::name`] gives.
    pub fn parse(name: &str) -> Option<Self> {
        let numbered = |folder: &str| {
            name.strip_prefix(folder)?
                .strip_suffix(".bin")
                .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_hexdigit()))
        };
        let file = match name {
            BUNDLE_FILE => DataFile::Head,
            FACETS_FILE => DataFile::Facets,
            PAGE_LIST_FILE => DataFile::PageList,
            TRACKS_FILE => DataFile::Tracks,
            GRAPH_FILE => DataFile::Graph,
            _ => {
                if let Some(n) = numbered("index/") {
                    DataFile::Shard(n.parse().ok()?)
                } else if let Some(n) = numbered("postings/") {
                    DataFile::Postings(n.parse().ok()?)
                } else if let Some(n) = numbered("typo/") {
                    DataFile::Typo(n.parse().ok()?)
                } else if let Some(n) = numbered("page/") {
                    DataFile::Page(u64::from_str_radix(n, 16).ok()?)
                } else {
                    let (doc, group) = name
                        .strip_prefix("text/")?
                        .strip_suffix(".bin")?
                        .split_once('-')?;
                    let number = |n: &str| {
                        n.bytes()
                            .all(|b| b.is_ascii_digit())
                            .then(|| n.parse().ok())
                            .flatten()
                    };
                    DataFile::Fragment {
                        doc: number(doc)?,
                        group: number(group)?,
                    }
                }
            }
        };
        // One spelling per file: `index/3.bin` or `page/00AB….bin` name nothing.
        (file.name() == name).then_some(file)
    }

    /// The magic the file starts with: which kind of file it is, so which decoder reads it.
    pub fn magic(self) -> [u8; 8] {
        match self {
            DataFile::Head => MAGIC,
            DataFile::Shard(_) => SHARD_MAGIC,
            DataFile::Postings(_) => POSTINGS_MAGIC,
            DataFile::Typo(_) => TYPO_MAGIC,
            DataFile::Fragment { .. } => FRAGMENT_MAGIC,
            DataFile::Facets => FACETS_MAGIC,
            DataFile::Page(_) => PAGE_MAGIC,
            DataFile::PageList => PAGE_LIST_MAGIC,
            DataFile::Tracks => TRACKS_MAGIC,
            DataFile::Graph => GRAPH_MAGIC,
        }
    }

    /// The file holding `payload`: its name and its bytes (header, then postcard).
    pub fn encode<T: Serialize>(self, payload: &T) -> (String, Vec<u8>) {
        (self.name(), encode_payload(self.magic(), payload))
    }

    /// Checks the file's magic, version, length and checksum, then decodes its payload.
    pub fn decode<T: DeserializeOwned>(self, bytes: &[u8]) -> Result<T, FormatError> {
        decode_payload(self.magic(), bytes)
    }
}

/// File name of the page file holding the page at `path` (see [`DataFile::Page`]).
pub fn page_file(path: &str) -> String {
    DataFile::page_of(path).name()
}

/// A term shard as stored: an fst from key to the offset of its entry in `lists`.
///
/// An entry is a varint `df · 2 + external`; then, for an external list, the varint number of
/// its postings file; else the `df` postings, each a varint page delta (from the previous
/// posting), a varint section number and an impact byte.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct ShardData {
    /// `fst::Map` bytes: key → offset into `lists`.
    pub terms: Vec<u8>,
    /// The entries.
    pub lists: Vec<u8>,
}

/// The text of some consecutive sections of one page: what a hit shows (path, title, heading,
/// snippet) and what a phrase is checked against.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct Fragment {
    /// Docs-relative path of the page.
    pub path: String,
    /// Page title.
    pub title: String,
    /// Index of the first section held.
    pub first: u32,
    /// The sections, in page order.
    pub sections: Vec<FragmentSection>,
}

/// One section's text in a [`Fragment`].
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct FragmentSection {
    /// Heading id; `None` for the lead section.
    pub anchor: Option<String>,
    /// Heading text (the page title for the lead section).
    pub heading: String,
    /// Plain text of the section body.
    pub text: String,
}

impl Fragment {
    /// Section `section` of the page, if this fragment holds it.
    pub fn section(&self, section: u32) -> Option<&FragmentSection> {
        let i = section.checked_sub(self.first)?;
        self.sections.get(usize::try_from(i).ok()?)
    }
}

/// Which metadata field a [`FacetValue`] is.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FacetField {
    /// The page kind (`runbook`, `adr`).
    Kind,
    /// A front matter tag.
    Tag,
    /// The page language.
    Lang,
    /// Another front matter key; `chip` when it has few, short values (offered as a facet chip).
    Front {
        /// Whether the key is shown as facet chips.
        chip: bool,
    },
}

impl FacetField {
    /// Where the field's values come in a facet list, most useful for narrowing first: page
    /// kinds, languages, other front matter, then tags (many, and each narrows least). The one
    /// facet order: the CLI's JSON and the app's chips both follow it.
    pub fn rank(self) -> u8 {
        match self {
            FacetField::Kind => 0,
            FacetField::Lang => 1,
            FacetField::Front { .. } => 2,
            FacetField::Tag => 3,
        }
    }
}

/// A metadata value some pages have.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FacetValue {
    /// Which field.
    pub field: FacetField,
    /// The front matter key as written (`kind`, `tag`, `lang` for the built-in fields).
    pub key: String,
    /// The value.
    pub value: String,
}

/// Every page's metadata values, by id: what filters and facet chips read.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct FacetTable {
    /// The distinct values, sorted.
    pub values: Vec<FacetValue>,
    /// Per page (by index), the ids of its values, ascending.
    pub docs: Vec<Vec<u32>>,
}

/// A page as the page list shows it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct PageEntry {
    /// Docs-relative path.
    pub path: String,
    /// Title.
    pub title: String,
    /// Page kind, if any.
    pub kind: Option<String>,
    /// Estimated reading time in minutes.
    pub read_minutes: u32,
    /// Summary.
    pub summary: String,
}

/// Writes postings as a shard entry or a postings file holds them (without the count).
pub fn write_postings(out: &mut Vec<u8>, postings: &[Posting]) {
    let mut prev = 0u32;
    for p in postings {
        varint::write(out, u64::from(p.doc.saturating_sub(prev)));
        varint::write(out, u64::from(p.section));
        out.push(p.impact);
        prev = p.doc;
    }
}

/// Reads `count` postings from `bytes` at `*pos`, advancing it; stops early (with what it read)
/// at a malformed byte, so corrupt input gives fewer postings, never a panic.
pub fn read_postings(bytes: &[u8], pos: &mut usize, count: u32, out: &mut Vec<Posting>) {
    out.reserve(usize::try_from(count.min(1 << 16)).unwrap_or(0));
    for_each_posting(bytes, pos, count, |p| out.push(p));
}

/// Like [`read_postings`], handing each posting to `f` instead of collecting them (search
/// turns them into scores as they are read).
pub fn for_each_posting(bytes: &[u8], pos: &mut usize, count: u32, mut f: impl FnMut(Posting)) {
    let mut doc = 0u64;
    for _ in 0..count {
        let (Some(delta), Some(section), Some(&impact)) = (
            varint::read_short(bytes, pos),
            varint::read_short(bytes, pos),
            bytes.get(*pos),
        ) else {
            return;
        };
        *pos = pos.saturating_add(1);
        doc = doc.saturating_add(delta);
        let (Ok(d), Ok(s)) = (u32::try_from(doc), u32::try_from(section)) else {
            return;
        };
        f(Posting {
            doc: d,
            section: s,
            impact,
        });
    }
}

/// A site's data files, named relative to the head, in name order; the same bundle always
/// gives the same bytes. The build compresses each before writing it.
pub fn encode(bundle: &Bundle) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let terms = encode_terms(&bundle.index.terms, &mut files);
    let typo_lengths = encode_typo_dictionaries(&bundle.index.terms, &mut files);
    encode_fragments(&bundle.docs, &mut files);
    let (facets, filter_keys) = facet_table(&bundle.docs);
    files.push(DataFile::Facets.encode(&facets));
    encode_pages(&bundle.docs, &mut files);
    let head = Head {
        site: bundle.site.clone(),
        docs: u32::try_from(bundle.docs.len()).unwrap_or(u32::MAX),
        sections: bundle.index.sections,
        shards: terms.shards,
        postings_files: terms.postings_files,
        typo_lengths,
        filter_keys,
        fragment_sections: FRAGMENT_SECTIONS,
        data_dir: String::new(),
    };
    files.push(DataFile::Head.encode(&head));
    files.sort();
    files
}

/// The folder every build's data folders are in.
pub const DATA_ROOT: &str = "data/";

/// Puts a build's data files (the head among them, as [`encode`] and the build wrote them) in
/// a folder named by their content, `data/HASH/` (FNV-1a 64 over every name and file), and
/// writes that folder into the head ([`Head::data_dir`]), which stays beside the site's
/// `index.html`. So a file's URL always means the same bytes (a host may cache it for good), a
/// rebuild writes beside the files a reader may still be using, and switching to the new build
/// is replacing the head. The same files give the same folder.
pub fn place(files: Vec<(String, Vec<u8>)>) -> Result<Vec<(String, Vec<u8>)>, FormatError> {
    let mut hash = Vec::new();
    let mut head = None;
    for (name, bytes) in &files {
        if name == BUNDLE_FILE {
            head = Some(decode_payload::<Head>(MAGIC, bytes)?);
        } else {
            hash.extend_from_slice(&fnv1a64(name.as_bytes()).to_le_bytes());
            hash.extend_from_slice(&fnv1a64(bytes).to_le_bytes());
        }
    }
    let mut head = head.ok_or(FormatError::Payload("the build wrote no head".into()))?;
    head.data_dir = format!("{DATA_ROOT}{:016x}/", fnv1a64(&hash));
    let mut placed: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .filter(|(name, _)| name != BUNDLE_FILE)
        .map(|(name, bytes)| (head.path(&name), bytes))
        .collect();
    placed.push(DataFile::Head.encode(&head));
    placed.sort();
    Ok(placed)
}

/// What the head says about the term dictionary [`encode_terms`] wrote.
struct Terms {
    /// The first key of each shard.
    shards: Vec<String>,
    /// How many long postings lists have a file of their own.
    postings_files: u32,
}

/// Writes the term shards, and the postings lists too long for one, into `files`.
fn encode_terms(terms: &[crate::index::TermPostings], files: &mut Vec<(String, Vec<u8>)>) -> Terms {
    let mut shards: Vec<String> = Vec::new();
    let mut postings_files = 0u32;
    let mut builder = fst::MapBuilder::memory();
    let mut lists: Vec<u8> = Vec::new();
    let mut shard_bytes = 0usize;
    let mut shard_files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut close = |builder: fst::MapBuilder<Vec<u8>>, lists: &mut Vec<u8>, i: usize| {
        let terms = builder.into_inner().unwrap_or_default();
        let data = ShardData {
            terms,
            lists: std::mem::take(lists),
        };
        shard_files.push(DataFile::Shard(i).encode(&data));
    };
    let mut encoded = Vec::new();
    for term in terms {
        if shards.is_empty() || shard_bytes >= SHARD_BYTES {
            if !shards.is_empty() {
                let done = std::mem::replace(&mut builder, fst::MapBuilder::memory());
                close(done, &mut lists, shards.len().saturating_sub(1));
            }
            // The first shard starts at the empty key, so every key has a shard.
            shards.push(if shards.is_empty() {
                String::new()
            } else {
                term.key.clone()
            });
            shard_bytes = 0;
        }
        let df = u32::try_from(term.postings.len()).unwrap_or(u32::MAX);
        encoded.clear();
        write_postings(&mut encoded, &term.postings);
        let offset = lists.len() as u64;
        if encoded.len() > LONG_POSTINGS {
            varint::write(&mut lists, (u64::from(df) << 1) | 1);
            varint::write(&mut lists, u64::from(postings_files));
            files.push(DataFile::Postings(postings_files).encode(&encoded));
            postings_files = postings_files.saturating_add(1);
        } else {
            varint::write(&mut lists, u64::from(df) << 1);
            lists.extend_from_slice(&encoded);
        }
        // Keys arrive sorted and unique (IndexData's contract); a key out of order would be
        // dropped from the dictionary rather than abort the build.
        let _ = builder.insert(&term.key, offset);
        shard_bytes = shard_bytes.saturating_add(term.key.len()).saturating_add(
            lists
                .len()
                .saturating_sub(usize::try_from(offset).unwrap_or(0)),
        );
    }
    if !shards.is_empty() {
        close(builder, &mut lists, shards.len().saturating_sub(1));
    } else {
        // An empty site still has one (empty) shard, so lookups need no special case.
        close(builder, &mut lists, 0);
        shards.push(String::new());
    }
    files.extend(shard_files);
    Terms {
        shards,
        postings_files,
    }
}

/// Writes the typo dictionaries (the surface words, by length) into `files`; returns the
/// lengths that have one.
fn encode_typo_dictionaries(
    terms: &[crate::index::TermPostings],
    files: &mut Vec<(String, Vec<u8>)>,
) -> Vec<u8> {
    let mut by_len: BTreeMap<usize, fst::MapBuilder<Vec<u8>>> = BTreeMap::new();
    for term in terms {
        let k = term.key.as_bytes();
        if TYPO_LENGTHS.contains(&k.len())
            && is_surface_key(k)
            && k.iter().all(|b| b.is_ascii_alphanumeric())
        {
            let b = by_len
                .entry(k.len())
                .or_insert_with(fst::MapBuilder::memory);
            let _ = b.insert(k, 0);
        }
    }
    let mut typo_lengths = Vec::new();
    for (len, b) in by_len {
        typo_lengths.push(u8::try_from(len).unwrap_or(u8::MAX));
        let bytes = b.into_inner().unwrap_or_default();
        files.push(DataFile::Typo(len).encode(&bytes));
    }
    typo_lengths
}

/// Writes every page's text fragments into `files`.
fn encode_fragments(docs: &[Doc], files: &mut Vec<(String, Vec<u8>)>) {
    for (d, doc) in docs.iter().enumerate() {
        let d = u32::try_from(d).unwrap_or(u32::MAX);
        let group = usize::try_from(FRAGMENT_SECTIONS).unwrap_or(1);
        for (g, chunk) in doc.sections.chunks(group).enumerate() {
            let g = u32::try_from(g).unwrap_or(u32::MAX);
            let fragment = Fragment {
                path: doc.path.clone(),
                title: doc.title.clone(),
                first: g.saturating_mul(FRAGMENT_SECTIONS),
                sections: chunk
                    .iter()
                    .map(|s| FragmentSection {
                        anchor: s.anchor.clone(),
                        heading: s.heading.clone(),
                        text: s.text.clone(),
                    })
                    .collect(),
            };
            files.push(DataFile::Fragment { doc: d, group: g }.encode(&fragment));
        }
    }
}

/// Writes the page files (HTML and metadata, sections without their text, by path hash) and
/// the page list into `files`.
fn encode_pages(docs: &[Doc], files: &mut Vec<(String, Vec<u8>)>) {
    let mut buckets: BTreeMap<DataFile, Vec<Doc>> = BTreeMap::new();
    for doc in docs {
        let mut page = doc.clone();
        for s in &mut page.sections {
            *s = Section {
                text: String::new(),
                code: String::new(),
                ..s.clone()
            };
        }
        buckets
            .entry(DataFile::page_of(&doc.path))
            .or_default()
            .push(page);
    }
    for (file, pages) in buckets {
        files.push(file.encode(&pages));
    }
    let list: Vec<PageEntry> = docs
        .iter()
        .map(|d| PageEntry {
            path: d.path.clone(),
            title: d.title.clone(),
            kind: d.kind.clone(),
            read_minutes: d.read_minutes,
            summary: d.summary.clone(),
        })
        .collect();
    files.push(DataFile::PageList.encode(&list));
}

/// Facet keys with more distinct values than this are filters but not facet chips.
const MAX_CHIP_VALUES: usize = 12;
/// Nor are keys with a value longer than this many characters.
const MAX_CHIP_CHARS: usize = 40;

/// The facet table of `docs`, and the lower-case front matter keys that work as filters.
fn facet_table(docs: &[Doc]) -> (FacetTable, Vec<String>) {
    let mut values_of: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for f in docs.iter().flat_map(|d| &d.facets) {
        values_of
            .entry(f.key.to_lowercase())
            .or_default()
            .insert(&f.value);
    }
    let chip = |key: &str| {
        values_of.get(&key.to_lowercase()).is_some_and(|v| {
            v.len() <= MAX_CHIP_VALUES && v.iter().all(|s| s.chars().count() <= MAX_CHIP_CHARS)
        })
    };
    let per_doc: Vec<Vec<FacetValue>> = docs
        .iter()
        .map(|d| {
            let mut vals = Vec::new();
            let mut push = |field, key: &str, value: &str| {
                vals.push(FacetValue {
                    field,
                    key: key.to_string(),
                    value: value.to_string(),
                })
            };
            if let Some(k) = &d.kind {
                push(FacetField::Kind, "kind", k);
            }
            for t in &d.tags {
                push(FacetField::Tag, "tag", t);
            }
            if let Some(l) = &d.lang {
                push(FacetField::Lang, "lang", l);
            }
            for f in &d.facets {
                push(FacetField::Front { chip: chip(&f.key) }, &f.key, &f.value);
            }
            vals
        })
        .collect();
    let values: Vec<FacetValue> = per_doc
        .iter()
        .flatten()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let docs = per_doc
        .iter()
        .map(|vals| {
            let mut ids: Vec<u32> = vals
                .iter()
                .filter_map(|v| values.binary_search(v).ok())
                .filter_map(|i| u32::try_from(i).ok())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect();
    (FacetTable { values, docs }, values_of.into_keys().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> Vec<DataFile> {
        vec![
            DataFile::Head,
            DataFile::Shard(0),
            DataFile::Shard(12_345),
            DataFile::Postings(7),
            DataFile::Typo(5),
            DataFile::Typo(40),
            DataFile::Fragment { doc: 42, group: 3 },
            DataFile::Facets,
            DataFile::page_of("runbooks/db.md"),
            DataFile::PageList,
            DataFile::Tracks,
            DataFile::Graph,
        ]
    }

    #[test]
    fn every_data_file_is_recognised_by_the_name_it_is_written_under() {
        for file in every_kind() {
            assert_eq!(DataFile::parse(&file.name()), Some(file), "{}", file.name());
        }
        assert_eq!(DataFile::Shard(3).name(), "index/0003.bin");
        assert_eq!(DataFile::Typo(5).name(), "typo/05.bin");
        assert_eq!(
            DataFile::Fragment { doc: 2, group: 1 }.name(),
            "text/2-1.bin"
        );
        assert_eq!(page_file("a.md"), DataFile::page_of("a.md").name());
    }

    #[test]
    fn names_that_are_no_data_file_are_not_recognised() {
        for name in [
            "index/3.bin",
            "index/0003.bin.gz",
            "index/.bin",
            "index/-001.bin",
            "typo/5.bin",
            "text/1.bin",
            "text/1-.bin",
            "text/01-1.bin",
            "text/+1-1.bin",
            "page/00AB000000000000.bin",
            "page/ab.bin",
            "files/index/0003.bin",
            "index.html",
            "",
        ] {
            assert_eq!(DataFile::parse(name), None, "{name}");
        }
    }

    #[test]
    fn each_kind_of_data_file_has_its_own_magic_and_decodes_only_as_itself() {
        let mut magics: Vec<[u8; 8]> = every_kind().iter().map(|f| f.magic()).collect();
        magics.sort();
        magics.dedup();
        assert_eq!(magics.len(), 10);
        let (_, bytes) = DataFile::Postings(0).encode(&vec![1u8, 2, 3]);
        assert_eq!(
            DataFile::Postings(9).decode::<Vec<u8>>(&bytes),
            Ok(vec![1, 2, 3])
        );
        assert_eq!(
            DataFile::Typo(5).decode::<Vec<u8>>(&bytes),
            Err(FormatError::NotABundle)
        );
    }
}
