// What the `decode_bundle` fuzz target does with one input, in one place: the target
// (`include!("../common/decode_bundle.rs")`) and the native test of its corpus
// (`tests/fuzz_corpus.rs`, which checks the seeds still reach the current format's decoders)
// run the same code.
//
// Plain items (no `//!`, no `use`): the file is `include!`d into other modules.
//
// The first byte picks the kind of file; when it is even, the rest is wrapped in a header with
// that kind's magic, the current version, length and checksum, so the fuzzer reaches the
// payload decoding and the checks after it (fst dictionaries, postings, fragments), not only the
// header's; when it is odd, the rest is the whole file as a site holds it (decompressed).

/// The length of a data file's header: magic (8), version (2), payload length (8), checksum (8).
pub const FILE_HEADER_LEN: usize = 26;

/// (file name the engine knows it by, magic) for every kind of data file; an input's first
/// byte, halved, picks one (modulo the count).
pub const KINDS: &[(&str, [u8; 8])] = &[
    ("docatlas.bin", docatlas_core::MAGIC),
    ("index/0000.bin", docatlas_core::files::SHARD_MAGIC),
    ("postings/0000.bin", docatlas_core::files::POSTINGS_MAGIC),
    ("typo/05.bin", docatlas_core::files::TYPO_MAGIC),
    ("text/0-0.bin", docatlas_core::files::FRAGMENT_MAGIC),
    (docatlas_core::files::FACETS_FILE, docatlas_core::files::FACETS_MAGIC),
    ("page", docatlas_core::files::PAGE_MAGIC),
    ("pages.bin", docatlas_core::files::PAGE_LIST_MAGIC),
    ("graph.bin", docatlas_core::format::GRAPH_MAGIC),
    ("tracks.bin", docatlas_core::format::TRACKS_MAGIC),
];

/// `payload` under a header of the current format for `magic`.
pub fn wrap_payload(magic: [u8; 8], payload: &[u8]) -> Vec<u8> {
    let mut bytes = magic.to_vec();
    bytes.extend_from_slice(&docatlas_core::format::FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&docatlas_core::format::fnv1a64(payload).to_le_bytes());
    bytes.extend_from_slice(payload);
    bytes
}

/// Decodes one fuzz input as the file its first byte picks: `None` for an empty input, else
/// the kind's index in [`KINDS`] and whether the file decoded whole (an error is not a failure
/// of the decoder; only a panic is).
pub fn decode_input(data: &[u8]) -> Option<(usize, bool)> {
    let (&mode, rest) = data.split_first()?;
    let kind = usize::from(mode >> 1) % KINDS.len();
    let (name, magic) = KINDS[kind];
    let bytes = if mode & 1 == 0 { wrap_payload(magic, rest) } else { rest.to_vec() };
    let whole = match name {
        "docatlas.bin" => docatlas_core::Engine::new(&bytes).is_ok(),
        "page" => docatlas_core::format::decode_payload::<Vec<docatlas_core::Doc>>(magic, &bytes).is_ok(),
        "pages.bin" => docatlas_core::format::decode_payload::<Vec<docatlas_core::files::PageEntry>>(magic, &bytes)
            .is_ok(),
        "graph.bin" => match docatlas_core::graph::decode(&bytes) {
            Ok(g) => {
                let _ = docatlas_core::graph::GraphIndex::new(g);
                true
            }
            Err(_) => false,
        },
        "tracks.bin" => docatlas_core::tracks::decode(&bytes).is_ok(),
        _ => {
            // Search's files, inserted into an engine over an empty site's head.
            let files = docatlas_core::files::encode(&docatlas_core::Bundle::default());
            let head = &files.iter().find(|(n, _)| n == "docatlas.bin").unwrap().1;
            let mut engine = docatlas_core::Engine::new(head).unwrap();
            let inserted = engine.insert(name, &bytes).is_ok();
            if inserted {
                let opts = docatlas_core::SearchOptions { limit: 3, facets: true };
                let _ = engine.search("a", &opts);
            }
            inserted
        }
    };
    Some((kind, whole))
}
