//! Fuzzes every decoder of a site's files: any bytes give a file or an error, never a panic.
//! The first byte picks the kind of file; when it is even, the rest is wrapped in a header with
//! that kind's magic, the right version, length and checksum, so the fuzzer reaches the payload
//! decoding and the checks after it (fst dictionaries, postings, fragments), not only the header's.
#![no_main]

use docatlas_core::files::{
    FACETS_FILE, FACETS_MAGIC, FRAGMENT_MAGIC, PAGE_LIST_MAGIC, PAGE_MAGIC, POSTINGS_MAGIC,
    SHARD_MAGIC, TYPO_MAGIC,
};
use docatlas_core::format::{decode_payload, FORMAT_VERSION, GRAPH_MAGIC, TRACKS_MAGIC};
use docatlas_core::{Bundle, Doc, Engine, MAGIC};

fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn wrap(magic: [u8; 8], payload: &[u8]) -> Vec<u8> {
    let mut bytes = magic.to_vec();
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&fnv1a64(payload).to_le_bytes());
    bytes.extend_from_slice(payload);
    bytes
}

/// (file name the engine knows it by, magic) for every kind of data file.
const KINDS: &[(&str, [u8; 8])] = &[
    ("docatlas.bin", MAGIC),
    ("index/0000.bin", SHARD_MAGIC),
    ("postings/0000.bin", POSTINGS_MAGIC),
    ("typo/05.bin", TYPO_MAGIC),
    ("text/0-0.bin", FRAGMENT_MAGIC),
    (FACETS_FILE, FACETS_MAGIC),
    ("page", PAGE_MAGIC),
    ("pages.bin", PAGE_LIST_MAGIC),
    ("graph.bin", GRAPH_MAGIC),
    ("tracks.bin", TRACKS_MAGIC),
];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (name, magic) = KINDS[usize::from(mode >> 1) % KINDS.len()];
    let bytes = if mode & 1 == 0 { wrap(magic, rest) } else { rest.to_vec() };
    match name {
        "docatlas.bin" => {
            let _ = Engine::new(&bytes);
        }
        "page" => {
            let _ = decode_payload::<Vec<Doc>>(PAGE_MAGIC, &bytes);
        }
        "pages.bin" => {
            let _ = decode_payload::<Vec<docatlas_core::files::PageEntry>>(PAGE_LIST_MAGIC, &bytes);
        }
        "graph.bin" => {
            if let Ok(g) = docatlas_core::graph::decode(&bytes) {
                let _ = docatlas_core::graph::GraphIndex::new(g);
            }
        }
        "tracks.bin" => {
            let _ = docatlas_core::tracks::decode(&bytes);
        }
        _ => {
            // Search's files, inserted into an engine over an empty site's head.
            let files = docatlas_core::files::encode(&Bundle::default());
            let head = &files.iter().find(|(n, _)| n == "docatlas.bin").unwrap().1;
            let mut engine = Engine::new(head).unwrap();
            if engine.insert(name, &bytes).is_ok() {
                let opts = docatlas_core::SearchOptions { limit: 3, facets: true };
                let _ = engine.search("a", &opts);
            }
        }
    }
});
