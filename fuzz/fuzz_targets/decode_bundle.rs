//! Fuzzes the bundle decoder: any bytes give a bundle or an error, never a panic. Half the inputs
//! are wrapped in a header with the right magic, version, length and checksum, so the fuzzer
//! reaches the payload decoding and the checks after it, not only the header's.
#![no_main]

use docatlas_core::format::{CHUNK_MAGIC, FORMAT_VERSION};
use docatlas_core::MAGIC;

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

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (head, chunk) = match data.split_first() {
        Some((&mode, payload)) if mode & 1 == 0 => {
            (wrap(MAGIC, payload), wrap(CHUNK_MAGIC, payload))
        }
        _ => (data.to_vec(), data.to_vec()),
    };
    if let Ok(mut bundle) = docatlas_core::decode(&head) {
        if let Ok(c) = docatlas_core::decode_chunk(&chunk) {
            let _ = bundle.attach(c);
        }
        let docs = bundle.docs;
        if let Ok(index) = docatlas_core::SearchIndex::new(bundle.index, &docs) {
            let _ = index.search(&docs, "a", 3);
        }
    } else {
        let _ = docatlas_core::decode_chunk(&chunk);
    }
});
