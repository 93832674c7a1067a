//! The container every data file of a site shares, and the head: the one file loaded up front.
//!
//! A site's data files are listed in [`crate::files`]: the head [`BUNDLE_FILE`], term shards,
//! long postings lists, typo dictionaries, text fragments, the facet table, page files and the
//! page list. Every one of them has the same layout (all integers little-endian):
//!
//! | bytes | meaning |
//! |---|---|
//! | 0..8   | magic: one per kind of file ([`MAGIC`] for the head; the others in [`crate::files`]) |
//! | 8..10  | format version (`u16`), [`FORMAT_VERSION`] |
//! | 10..18 | payload length (`u64`) |
//! | 18..26 | FNV-1a 64 checksum of the payload |
//! | 26..   | payload, postcard |
//!
//! On disk each file is then gzip-compressed by the build; the readers (`site::read_file`
//! natively, `data::fetch` in the app) decompress when the bytes start with [`GZIP_MAGIC`], so a
//! host that already decoded a `Content-Encoding: gzip` response still works. This module only
//! ever sees decompressed bytes.
//!
//! The version is bumped whenever a payload's shape changes; readers refuse any other version
//! with an error naming both, rather than misreading the bytes.

use serde::{Deserialize, Serialize};

use crate::index::IndexData;
use crate::model::{Doc, Site};

/// The first eight bytes of a head file.
pub const MAGIC: [u8; 8] = *b"DOCATLAS";
/// The first eight bytes of `tracks.bin` ([`crate::tracks::TrackSet`]).
pub const TRACKS_MAGIC: [u8; 8] = *b"DOCATLTR";
/// The file name of the reading tracks and checklists inside a built site, next to the head.
pub const TRACKS_FILE: &str = "tracks.bin";
/// The first eight bytes of the entity graph file, [`GRAPH_FILE`] (see [`crate::graph`]).
pub const GRAPH_MAGIC: [u8; 8] = *b"DOCATLGR";
/// The file name of the entity graph inside a built site, next to the head. The app fetches it
/// only when a graph view (or an entity card in search) needs it.
pub const GRAPH_FILE: &str = "graph.bin";
/// The bundle format version this crate writes and reads.
pub const FORMAT_VERSION: u16 = 5;
/// The file name of the head inside a built site.
pub const BUNDLE_FILE: &str = "docatlas.bin";
/// The two bytes every gzip stream starts with.
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

const HEADER_LEN: usize = 26;

/// What a build compiled, in memory: site settings, the pages (with their HTML), and the index
/// over them. [`crate::files::encode`] splits it into a site's data files.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bundle {
    /// Site-wide settings.
    pub site: Site,
    /// Pages, sorted by path.
    pub docs: Vec<Doc>,
    /// The search index over `docs`' sections.
    pub index: IndexData,
}

/// The head (`docatlas.bin`): what every query and every view needs, and nothing that grows
/// with the pages' text: a few KiB even for thousands of pages.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Head {
    /// Site-wide settings.
    pub site: Site,
    /// Number of pages.
    pub docs: u32,
    /// Number of sections of all pages (BM25's N).
    pub sections: u32,
    /// The first key of each term shard, in order: shard `i` holds the keys from `shards[i]` up
    /// to (not including) `shards[i + 1]`.
    pub shards: Vec<String>,
    /// Number of files of long postings lists.
    pub postings_files: u32,
    /// Word lengths that have a typo dictionary file, ascending.
    pub typo_lengths: Vec<u8>,
    /// Front matter keys (lower case, sorted) that work as `key:value` filters.
    pub filter_keys: Vec<String>,
    /// Sections per text fragment file.
    pub fragment_sections: u32,
    /// The folder, relative to the head, that holds every other data file of this build
    /// (`data/HASH/`, named by the files' content: [`crate::files::place`]); empty for files
    /// beside the head. Added in format 5.
    pub data_dir: String,
}

impl Head {
    /// The shard that holds `key`, if the dictionary has it: the last shard whose first key is
    /// not after it.
    pub fn shard_of(&self, key: &str) -> usize {
        self.shards
            .partition_point(|first| first.as_str() <= key)
            .saturating_sub(1)
    }

    /// Where the data file `name` (`index/0003.bin`, `tracks.bin`) is, relative to the head's
    /// folder.
    pub fn path(&self, name: &str) -> String {
        format!("{}{name}", self.data_dir)
    }

    /// Whether `key:` starts a filter on this site (a built-in key or a front matter key).
    pub fn is_filter_key(&self, key: &str) -> bool {
        crate::query::BUILTIN_FILTERS.contains(&key)
            || self
                .filter_keys
                .binary_search_by(|k| k.as_str().cmp(key))
                .is_ok()
    }

    fn validate(&self) -> Result<(), FormatError> {
        if !self.shards.windows(2).all(|w| w.first() < w.get(1)) {
            return Err(FormatError::Payload(
                "the term shard list is not in order".into(),
            ));
        }
        if self.fragment_sections == 0 {
            return Err(FormatError::Payload(
                "the head says text fragments hold 0 sections".into(),
            ));
        }
        // Only a build's own folder: a damaged head must not send readers elsewhere.
        let hash = self
            .data_dir
            .strip_prefix("data/")
            .and_then(|d| d.strip_suffix('/'));
        let ok = self.data_dir.is_empty()
            || hash.is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()));
        if !ok {
            return Err(FormatError::Payload(format!(
                "the head names a data folder `{}` that no build writes",
                self.data_dir
            )));
        }
        Ok(())
    }
}

/// Why bytes could not be read as a bundle file.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FormatError {
    /// The bytes do not start with the magic of the kind of file expected.
    #[error("not a docatlas bundle file (it does not start with the expected DOCATL magic bytes); was the site built with build-index?")]
    NotABundle,
    /// The bundle was written by a different format version.
    #[error("bundle format version {found}, but this docatlas reads version {expected}: rebuild the site with a build-index of the same release as the app")]
    VersionMismatch {
        /// Version in the file.
        found: u16,
        /// Version this code reads.
        expected: u16,
    },
    /// The file is shorter than its header says.
    #[error("bundle is truncated: expected {expected} bytes of data, found {found}; the file was cut short (re-upload or rebuild it)")]
    Truncated {
        /// Bytes the header promises.
        expected: u64,
        /// Bytes present.
        found: u64,
    },
    /// The payload does not match its checksum.
    #[error("bundle is corrupt: its checksum does not match its contents; rebuild the site")]
    Checksum,
    /// The payload passed the checksum but could not be decoded.
    #[error("bundle is corrupt: {0}")]
    Payload(String),
}

/// Decodes and checks a head file: magic, version, length and checksum, then the payload.
pub fn decode_head(bytes: &[u8]) -> Result<Head, FormatError> {
    let head: Head = decode_payload(MAGIC, bytes)?;
    head.validate()?;
    Ok(head)
}

/// Encodes a payload as a file of the kind `magic` names (header, then postcard). Every file of
/// a site goes through this and [`decode_payload`], each kind with its own magic, so one kind of
/// file is never misread as another.
pub fn encode_payload<T: Serialize>(magic: [u8; 8], payload: &T) -> Vec<u8> {
    // postcard cannot fail on a Vec writer for the plain data types used here; an empty payload
    // would fail to decode and say so.
    let bytes = postcard::to_allocvec(payload).unwrap_or_default();
    wrap(magic, &bytes)
}

/// Checks a file's magic, version, length and checksum, then decodes its payload.
pub fn decode_payload<T: serde::de::DeserializeOwned>(
    magic: [u8; 8],
    bytes: &[u8],
) -> Result<T, FormatError> {
    let payload = unwrap(magic, bytes)?;
    postcard::from_bytes(payload).map_err(|e| FormatError::Payload(e.to_string()))
}

fn wrap(magic: [u8; 8], payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN.saturating_add(payload.len()));
    out.extend_from_slice(&magic);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&fnv1a64(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// The payload of a file, once its magic, version, length and checksum are checked.
pub(crate) fn unwrap(magic: [u8; 8], bytes: &[u8]) -> Result<&[u8], FormatError> {
    if bytes.get(..magic.len()) != Some(&magic[..]) {
        return Err(FormatError::NotABundle);
    }
    let (Some(header), Some(payload)) = (bytes.get(..HEADER_LEN), bytes.get(HEADER_LEN..)) else {
        return Err(FormatError::Truncated {
            expected: HEADER_LEN as u64,
            found: bytes.len() as u64,
        });
    };
    let word = |range: std::ops::Range<usize>| {
        header.get(range).map_or(0, |b| {
            b.iter()
                .rev()
                .fold(0u64, |acc, &x| (acc << 8) | u64::from(x))
        })
    };
    let version = u16::try_from(word(8..10)).unwrap_or(u16::MAX);
    if version != FORMAT_VERSION {
        return Err(FormatError::VersionMismatch {
            found: version,
            expected: FORMAT_VERSION,
        });
    }
    let len = word(10..18);
    let sum = word(18..26);
    if payload.len() as u64 != len {
        return Err(FormatError::Truncated {
            expected: len,
            found: payload.len() as u64,
        });
    }
    if fnv1a64(payload) != sum {
        return Err(FormatError::Checksum);
    }
    Ok(payload)
}

/// FNV-1a 64 of `bytes`: the files' checksum, and the hash that names page files.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Head {
        Head {
            docs: 3,
            sections: 7,
            shards: vec![String::new(), "m".into()],
            fragment_sections: 4,
            ..Head::default()
        }
    }

    fn head_bytes() -> Vec<u8> {
        encode_payload(MAGIC, &sample())
    }

    #[test]
    fn head_round_trips_and_is_deterministic() {
        assert_eq!(head_bytes(), head_bytes());
        assert_eq!(decode_head(&head_bytes()).unwrap(), sample());
    }

    #[test]
    fn another_kind_of_file_is_not_a_head() {
        let other = encode_payload(*b"DOCATLFR", &sample());
        assert_eq!(decode_head(&other), Err(FormatError::NotABundle));
    }

    #[test]
    fn wrong_magic_is_named() {
        assert_eq!(
            decode_head(b"<!doctype html>"),
            Err(FormatError::NotABundle)
        );
        assert_eq!(decode_head(b""), Err(FormatError::NotABundle));
        assert_eq!(
            decode_head(b"DOCATLAS\x04"),
            Err(FormatError::Truncated {
                expected: 26,
                found: 9
            })
        );
    }

    #[test]
    fn version_mismatch_names_both_versions() {
        let mut bytes = head_bytes();
        bytes[8] = 9;
        let err = decode_head(&bytes).unwrap_err();
        assert_eq!(
            err,
            FormatError::VersionMismatch {
                found: 9,
                expected: FORMAT_VERSION
            }
        );
        let msg = err.to_string();
        assert!(msg.contains("version 9") && msg.contains(&format!("version {FORMAT_VERSION}")));
    }

    #[test]
    fn truncation_and_bit_flips_are_detected() {
        let bytes = head_bytes();
        assert!(matches!(
            decode_head(&bytes[..bytes.len() - 3]),
            Err(FormatError::Truncated { .. })
        ));
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x40;
        assert_eq!(decode_head(&flipped), Err(FormatError::Checksum));
    }

    #[test]
    fn a_shard_list_out_of_order_is_refused() {
        let mut head = sample();
        head.shards.reverse();
        let bytes = encode_payload(MAGIC, &head);
        assert!(matches!(decode_head(&bytes), Err(FormatError::Payload(_))));
    }

    #[test]
    fn arbitrary_bytes_after_a_valid_header_never_panic() {
        // A checksum-valid payload of garbage must be an error, not a panic.
        let mut state = 0x1234_5678_u64;
        for n in 0..300usize {
            let payload: Vec<u8> = (0..n)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            let _ = decode_head(&wrap(MAGIC, &payload));
        }
    }

    #[test]
    fn shard_of_finds_the_range_holding_a_key() {
        let head = sample();
        assert_eq!(head.shard_of("apple"), 0);
        assert_eq!(head.shard_of("m"), 1);
        assert_eq!(head.shard_of("zebra"), 1);
    }
}
