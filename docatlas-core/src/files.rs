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

use serde::{Deserialize, Serialize};

use crate::format::{encode_payload, fnv1a64, Bundle, Head, BUNDLE_FILE, MAGIC};
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

/// File name of term shard `i`.
pub fn shard_file(i: usize) -> String {
    format!("index/{i:04}.bin")
}

/// File name of long postings list `i`.
pub fn postings_file(i: u32) -> String {
    format!("postings/{i:04}.bin")
}

/// File name of the typo dictionary of words `len` bytes long.
pub fn typo_file(len: usize) -> String {
    format!("typo/{len:02}.bin")
}

/// File name of the text fragment holding section `section` of page `doc`.
pub fn fragment_file(head: &Head, doc: u32, section: u32) -> String {
    let group = section.checked_div(head.fragment_sections).unwrap_or(0);
    format!("text/{doc}-{group}.bin")
}

/// File name of the page file holding the page at `path` (a hash of the path, so opening a page
/// needs nothing from the head; pages whose hashes collide share the file).
pub fn page_file(path: &str) -> String {
    format!("page/{:016x}.bin", fnv1a64(path.as_bytes()))
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
    let index = &bundle.index;

    // Term shards and long postings lists.
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
        shard_files.push((shard_file(i), encode_payload(SHARD_MAGIC, &data)));
    };
    let mut encoded = Vec::new();
    for term in &index.terms {
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
            files.push((
                postings_file(postings_files),
                encode_payload(POSTINGS_MAGIC, &encoded),
            ));
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

    // Typo dictionaries: surface words by length.
    let mut by_len: BTreeMap<usize, fst::MapBuilder<Vec<u8>>> = BTreeMap::new();
    for term in &index.terms {
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
        files.push((typo_file(len), encode_payload(TYPO_MAGIC, &bytes)));
    }

    // Text fragments.
    for (d, doc) in bundle.docs.iter().enumerate() {
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
            files.push((
                format!("text/{d}-{g}.bin"),
                encode_payload(FRAGMENT_MAGIC, &fragment),
            ));
        }
    }

    // Facets, and the filter keys the head lists.
    let (facets, filter_keys) = facet_table(&bundle.docs);
    files.push((
        FACETS_FILE.to_string(),
        encode_payload(FACETS_MAGIC, &facets),
    ));

    // Pages: HTML and metadata, by path hash; and the page list.
    let mut buckets: BTreeMap<String, Vec<Doc>> = BTreeMap::new();
    for doc in &bundle.docs {
        let mut page = doc.clone();
        for s in &mut page.sections {
            *s = Section {
                text: String::new(),
                code: String::new(),
                ..s.clone()
            };
        }
        buckets.entry(page_file(&doc.path)).or_default().push(page);
    }
    for (name, pages) in buckets {
        files.push((name, encode_payload(PAGE_MAGIC, &pages)));
    }
    let list: Vec<PageEntry> = bundle
        .docs
        .iter()
        .map(|d| PageEntry {
            path: d.path.clone(),
            title: d.title.clone(),
            kind: d.kind.clone(),
            read_minutes: d.read_minutes,
            summary: d.summary.clone(),
        })
        .collect();
    files.push((
        PAGE_LIST_FILE.to_string(),
        encode_payload(PAGE_LIST_MAGIC, &list),
    ));

    let head = Head {
        site: bundle.site.clone(),
        docs: u32::try_from(bundle.docs.len()).unwrap_or(u32::MAX),
        sections: index.sections,
        shards,
        postings_files,
        typo_lengths,
        filter_keys,
        fragment_sections: FRAGMENT_SECTIONS,
    };
    files.push((BUNDLE_FILE.to_string(), encode_payload(MAGIC, &head)));
    files.sort();
    files
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
