//! Fuzzes every decoder of a site's files: any bytes give a file or an error, never a panic.
//! The first byte picks the kind of file; when it is even, the rest is wrapped in a header with
//! that kind's magic, the right version, length and checksum, so the fuzzer reaches the payload
//! decoding and the checks after it (fst dictionaries, postings, fragments), not only the header's.
//! What one input does is `fuzz/common/decode_bundle.rs`, which `tests/fuzz_corpus.rs` runs
//! over this target's corpus natively.
#![no_main]

include!("../common/decode_bundle.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = decode_input(data);
});
