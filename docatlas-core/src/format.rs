//! The bundle file format: the single definition of the bytes `build-index` writes and the app reads.
//!
//! Layout (all integers little-endian):
//!
//! | bytes | meaning |
//! |---|---|
//! | 0..8   | magic `DOCATLAS` |
//! | 8..10  | format version (`u16`), [`FORMAT_VERSION`] |
//! | 10..18 | payload length (`u64`) |
//! | 18..26 | FNV-1a 64 checksum of the payload |
//! | 26..   | payload: a [`Bundle`] encoded with postcard |
//!
//! The version is bumped whenever the payload's shape changes; readers refuse any other version
//! with an error naming both, rather than misreading the bytes.

use serde::{Deserialize, Serialize};

use crate::index::IndexData;
use crate::model::{Doc, Site};

/// The first eight bytes of every bundle.
pub const MAGIC: [u8; 8] = *b"DOCATLAS";
/// The bundle format version this crate writes and reads.
pub const FORMAT_VERSION: u16 = 2;
/// The file name of the bundle inside a built site.
pub const BUNDLE_FILE: &str = "docatlas.bin";

const HEADER_LEN: usize = 26;

/// Everything the app needs: site settings, the pages, and the search index over them.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Bundle {
    /// Site-wide settings.
    pub site: Site,
    /// Pages, sorted by path.
    pub docs: Vec<Doc>,
    /// The search index over `docs`' sections.
    pub index: IndexData,
}

/// Why bytes could not be read as a bundle.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FormatError {
    /// The bytes do not start with [`MAGIC`].
    #[error("not a docatlas bundle (the file does not start with the DOCATLAS magic bytes); was the site built with build-index?")]
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

/// Encodes a bundle; the same bundle always gives the same bytes.
pub fn encode(bundle: &Bundle) -> Vec<u8> {
    let payload = postcard::to_allocvec(bundle).expect("postcard encodes every Bundle into a Vec");
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&fnv1a64(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

/// Decodes and checks a bundle: magic, version, length and checksum, then the payload.
pub fn decode(bytes: &[u8]) -> Result<Bundle, FormatError> {
    if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
        return Err(FormatError::NotABundle);
    }
    if bytes.len() < HEADER_LEN {
        return Err(FormatError::Truncated {
            expected: HEADER_LEN as u64,
            found: bytes.len() as u64,
        });
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version != FORMAT_VERSION {
        return Err(FormatError::VersionMismatch {
            found: version,
            expected: FORMAT_VERSION,
        });
    }
    let len = u64::from_le_bytes(bytes[10..18].try_into().expect("8 bytes"));
    let sum = u64::from_le_bytes(bytes[18..26].try_into().expect("8 bytes"));
    let payload = &bytes[HEADER_LEN..];
    if payload.len() as u64 != len {
        return Err(FormatError::Truncated {
            expected: len,
            found: payload.len() as u64,
        });
    }
    if fnv1a64(payload) != sum {
        return Err(FormatError::Checksum);
    }
    let bundle: Bundle =
        postcard::from_bytes(payload).map_err(|e| FormatError::Payload(e.to_string()))?;
    bundle
        .index
        .validate(&bundle.docs)
        .map_err(FormatError::Payload)?;
    Ok(bundle)
}

fn fnv1a64(bytes: &[u8]) -> u64 {
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
    use crate::model::{Doc, Section};

    fn sample() -> Bundle {
        let docs = vec![Doc {
            path: "a.md".into(),
            title: "Alpha".into(),
            sections: vec![Section {
                heading: "Alpha".into(),
                text: "alpha beta".into(),
                ..Section::default()
            }],
            ..Doc::default()
        }];
        let index = crate::index::IndexBuilder::new().build(&docs);
        Bundle {
            docs,
            index,
            ..Bundle::default()
        }
    }

    #[test]
    fn round_trip_is_identity_and_deterministic() {
        let b = sample();
        let bytes = encode(&b);
        assert_eq!(encode(&b), bytes);
        assert_eq!(decode(&bytes).unwrap(), b);
    }

    #[test]
    fn wrong_magic_is_named() {
        assert_eq!(decode(b"<!doctype html>"), Err(FormatError::NotABundle));
        assert_eq!(decode(b""), Err(FormatError::NotABundle));
    }

    #[test]
    fn version_mismatch_names_both_versions() {
        let mut bytes = encode(&sample());
        bytes[8] = 9;
        let err = decode(&bytes).unwrap_err();
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
        let bytes = encode(&sample());
        assert!(matches!(
            decode(&bytes[..bytes.len() - 3]),
            Err(FormatError::Truncated { .. })
        ));
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x40;
        assert_eq!(decode(&flipped), Err(FormatError::Checksum));
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
            let mut bytes = Vec::new();
            bytes.extend_from_slice(&MAGIC);
            bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
            bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
            bytes.extend_from_slice(&fnv1a64(&payload).to_le_bytes());
            bytes.extend_from_slice(&payload);
            let _ = decode(&bytes);
        }
    }
}
