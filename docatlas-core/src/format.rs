//! The bundle file format: the single definition of the bytes `build-index` writes and the app reads.
//!
//! A site holds one head file, [`BUNDLE_FILE`], and page chunks under [`PAGES_DIR`]. The head has
//! everything search needs (site settings, page metadata and text, the index); the chunks hold
//! the pages' rendered HTML, a few dozen KiB each, fetched only when a page is opened. Both kinds
//! of file share one layout (all integers little-endian):
//!
//! | bytes | meaning |
//! |---|---|
//! | 0..8   | magic: `DOCATLAS` for the head, `DOCATLPG` for a page chunk |
//! | 8..10  | format version (`u16`), [`FORMAT_VERSION`] |
//! | 10..18 | payload length (`u64`) |
//! | 18..26 | FNV-1a 64 checksum of the payload |
//! | 26..   | payload: a [`Bundle`] (head, with every page's `html` empty) or a [`PageChunk`], postcard |
//!
//! The version is bumped whenever a payload's shape changes; readers refuse any other version
//! with an error naming both, rather than misreading the bytes.

use serde::{Deserialize, Serialize};

use crate::index::IndexData;
use crate::model::{Doc, Site};

/// The first eight bytes of a head file.
pub const MAGIC: [u8; 8] = *b"DOCATLAS";
/// The first eight bytes of a page chunk.
pub const CHUNK_MAGIC: [u8; 8] = *b"DOCATLPG";
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
pub const FORMAT_VERSION: u16 = 3;
/// The file name of the head inside a built site.
pub const BUNDLE_FILE: &str = "docatlas.bin";
/// The folder, next to the head, holding page chunks.
pub const PAGES_DIR: &str = "pages";
/// Pages are packed into chunks of about this much HTML.
const CHUNK_BYTES: usize = 64 * 1024;

const HEADER_LEN: usize = 26;

/// Everything the app needs: site settings, the pages, and the search index over them.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Bundle {
    /// Site-wide settings.
    pub site: Site,
    /// Pages, sorted by path. In a decoded head their `html` is empty until the chunk holding
    /// it is attached ([`Bundle::attach`]).
    pub docs: Vec<Doc>,
    /// The search index over `docs`' sections.
    pub index: IndexData,
    /// Where each page's HTML is: chunk files in page order.
    pub chunks: Vec<ChunkRef>,
}

/// One page chunk file and the pages it holds.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct ChunkRef {
    /// Path relative to the head file (`pages/0003.bin`).
    pub file: String,
    /// Index of the first page in the chunk.
    pub first: u32,
    /// Number of consecutive pages in the chunk.
    pub count: u32,
}

/// The HTML of consecutive pages.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct PageChunk {
    /// Index of the first page.
    pub first: u32,
    /// Rendered HTML of pages `first..first + html.len()`.
    pub html: Vec<String>,
}

/// The chunk, among `chunks`, that holds page `doc`'s HTML.
pub fn chunk_of(chunks: &[ChunkRef], doc: usize) -> Option<&ChunkRef> {
    chunks
        .iter()
        .find(|c| (c.first as usize..(c.first + c.count) as usize).contains(&doc))
}

impl Bundle {
    /// Fills in the HTML of the pages a chunk holds.
    pub fn attach(&mut self, chunk: PageChunk) -> Result<(), FormatError> {
        let first = chunk.first as usize;
        if first + chunk.html.len() > self.docs.len() {
            return Err(FormatError::Payload(format!(
                "a page chunk holds pages {first}..{} but the site has {}",
                first + chunk.html.len(),
                self.docs.len()
            )));
        }
        for (doc, html) in self.docs[first..].iter_mut().zip(chunk.html) {
            doc.html = html;
        }
        Ok(())
    }
}

/// Why bytes could not be read as a bundle.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FormatError {
    /// The bytes do not start with [`MAGIC`] (or [`CHUNK_MAGIC`] for a chunk).
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

/// A site's files as bytes: the head and the page chunks, named relative to the head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// Contents of [`BUNDLE_FILE`].
    pub head: Vec<u8>,
    /// (path relative to the head, contents) of each page chunk.
    pub chunks: Vec<(String, Vec<u8>)>,
}

/// Encodes a bundle into its head and page chunks; the same bundle always gives the same bytes.
pub fn encode(bundle: &Bundle) -> Encoded {
    let mut head = bundle.clone();
    head.chunks.clear();
    let mut chunks = Vec::new();
    let mut start = 0usize;
    while start < bundle.docs.len() {
        let mut end = start;
        let mut size = 0;
        while end < bundle.docs.len()
            && (end == start || size + bundle.docs[end].html.len() <= CHUNK_BYTES)
        {
            size += bundle.docs[end].html.len();
            end += 1;
        }
        let file = format!("{PAGES_DIR}/{:04}.bin", chunks.len());
        let chunk = PageChunk {
            first: start as u32,
            html: bundle.docs[start..end]
                .iter()
                .map(|d| d.html.clone())
                .collect(),
        };
        head.chunks.push(ChunkRef {
            file: file.clone(),
            first: start as u32,
            count: (end - start) as u32,
        });
        chunks.push((file, encode_payload(CHUNK_MAGIC, &chunk)));
        start = end;
    }
    for d in &mut head.docs {
        d.html.clear();
    }
    let payload = postcard::to_allocvec(&head).expect("postcard encodes every Bundle into a Vec");
    Encoded {
        head: wrap(MAGIC, &payload),
        chunks,
    }
}

/// Decodes and checks a head file: magic, version, length and checksum, then the payload. Pages'
/// HTML is empty until their chunks are attached.
pub fn decode(bytes: &[u8]) -> Result<Bundle, FormatError> {
    let payload = unwrap(MAGIC, bytes)?;
    let bundle: Bundle =
        postcard::from_bytes(payload).map_err(|e| FormatError::Payload(e.to_string()))?;
    bundle
        .index
        .validate(&bundle.docs)
        .map_err(FormatError::Payload)?;
    let mut next = 0u32;
    for c in &bundle.chunks {
        if c.first != next || c.count == 0 {
            return Err(FormatError::Payload(
                "the page chunk table has gaps or overlaps".into(),
            ));
        }
        next += c.count;
    }
    if next as usize != bundle.docs.len() {
        return Err(FormatError::Payload(
            "the page chunk table does not cover every page".into(),
        ));
    }
    Ok(bundle)
}

/// Decodes and checks a page chunk file.
pub fn decode_chunk(bytes: &[u8]) -> Result<PageChunk, FormatError> {
    decode_payload(CHUNK_MAGIC, bytes)
}

/// Encodes a payload as a file of the kind `magic` names (header, then postcard). Every file of
/// a site other than the head goes through this and [`decode_payload`], each kind with its own
/// magic, so one kind of file is never misread as another.
pub fn encode_payload<T: Serialize>(magic: [u8; 8], payload: &T) -> Vec<u8> {
    let bytes = postcard::to_allocvec(payload).expect("postcard encodes every payload into a Vec");
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
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(&magic);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&fnv1a64(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

fn unwrap(magic: [u8; 8], bytes: &[u8]) -> Result<&[u8], FormatError> {
    if bytes.len() < magic.len() || bytes[..magic.len()] != magic {
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
    Ok(payload)
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
        let docs: Vec<Doc> = (0..5)
            .map(|i| Doc {
                path: format!("{i}.md"),
                title: "Alpha".into(),
                sections: vec![Section {
                    heading: "Alpha".into(),
                    text: "alpha beta".into(),
                    ..Section::default()
                }],
                // Big enough that the pages need several chunks.
                html: format!("<p>page {i}</p>").repeat(5000),
                ..Doc::default()
            })
            .collect();
        let index = crate::index::IndexBuilder::new().build(&docs);
        Bundle {
            docs,
            index,
            ..Bundle::default()
        }
    }

    #[test]
    fn round_trip_through_head_and_chunks_is_identity_and_deterministic() {
        let b = sample();
        let enc = encode(&b);
        assert_eq!(encode(&b), enc);
        assert!(enc.chunks.len() > 1, "{} chunks", enc.chunks.len());
        let mut back = decode(&enc.head).unwrap();
        assert!(
            back.docs.iter().all(|d| d.html.is_empty()),
            "the head carries no HTML"
        );
        for (name, bytes) in &enc.chunks {
            assert!(back.chunks.iter().any(|c| &c.file == name));
            back.attach(decode_chunk(bytes).unwrap()).unwrap();
        }
        back.chunks.clear();
        assert_eq!(back, b);
        let enc2 = encode(&b);
        let head = decode(&enc2.head).unwrap();
        assert_eq!(
            chunk_of(&head.chunks, 4).unwrap().file,
            enc2.chunks.last().unwrap().0
        );
    }

    #[test]
    fn a_chunk_is_not_a_head_and_a_head_is_not_a_chunk() {
        let enc = encode(&sample());
        assert_eq!(decode(&enc.chunks[0].1), Err(FormatError::NotABundle));
        assert_eq!(decode_chunk(&enc.head), Err(FormatError::NotABundle));
    }

    #[test]
    fn wrong_magic_is_named() {
        assert_eq!(decode(b"<!doctype html>"), Err(FormatError::NotABundle));
        assert_eq!(
            decode_chunk(b"<!doctype html>"),
            Err(FormatError::NotABundle)
        );
        assert_eq!(decode(b""), Err(FormatError::NotABundle));
    }

    #[test]
    fn version_mismatch_names_both_versions() {
        let mut bytes = encode(&sample()).head;
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
        let bytes = encode(&sample()).head;
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
