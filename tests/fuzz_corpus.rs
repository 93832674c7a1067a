//! The `decode_bundle` fuzz target's corpus, run natively (no nightly, no cargo-fuzz): every seed
//! decodes or fails without a panic, and for every kind of data file there are seeds of the
//! current format that decode whole, raw and under a wrapped header, so a fuzz run starts past
//! the header checks. The seeds `portal-*` are the example portal's own files (and a postings
//! file of a generated site, which the portal has none of), written by
//! `UPDATE_SEEDS=1 cargo test --test fuzz_corpus` (run it when the format changes).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::{Path, PathBuf};

use common::*;
use docatlas_core::Audience;

include!("../fuzz/common/decode_bundle.rs");

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/decode_bundle")
}

/// Which kind (an index in [`KINDS`]) the site file `name` is, by its place in the site.
fn kind_of(name: &str) -> Option<usize> {
    // Data files live in the build's folder, data/HASH/; the head beside index.html.
    let rel = match name.strip_prefix("data/") {
        Some(rest) => rest.split_once('/')?.1,
        None => name,
    };
    let folder = rel.split('/').next()?;
    let key = match (folder, rel.contains('/')) {
        ("index" | "postings" | "typo" | "text", true) => format!("{folder}/"),
        ("page", true) => "page".to_string(),
        (_, false) => rel.to_string(),
        _ => return None,
    };
    KINDS
        .iter()
        .position(|(n, _)| n.starts_with(&key) || *n == key)
}

/// The smallest of the example portal's files of each kind, decompressed. The portal's lists
/// are all short enough to sit in its shards, so a postings file comes from a generated site
/// with one word on 400 pages.
fn portal_seeds() -> Vec<(usize, String, Vec<u8>)> {
    let (_, dir) = build_site(&portal(), Audience::Public);
    let many = tempfile::tempdir().unwrap();
    for i in 0..400 {
        let page = format!("# Lantern {i}\n\nThe harbour lantern log, entry {i}.\n");
        std::fs::write(many.path().join(format!("p{i:03}.md")), page).unwrap();
    }
    let (_, many_site) = build_site(many.path(), Audience::Public);
    let mut best: Vec<Option<(String, Vec<u8>)>> = vec![None; KINDS.len()];
    let generated = data_files(many_site.path())
        .into_iter()
        .filter(|(n, _)| n.contains("/postings/"));
    for (name, bytes) in data_files(dir.path()).into_iter().chain(generated) {
        let Some(kind) = kind_of(&name) else {
            continue;
        };
        if best[kind]
            .as_ref()
            .is_none_or(|(_, b)| bytes.len() < b.len())
        {
            best[kind] = Some((name, bytes));
        }
    }
    best.into_iter()
        .enumerate()
        .map(|(kind, found)| {
            let (name, bytes) =
                found.unwrap_or_else(|| panic!("the portal's site has no {}", KINDS[kind].0));
            (kind, name, bytes)
        })
        .collect()
}

fn seed_name(kind: usize, wrapped: bool) -> String {
    let kind = KINDS[kind].0.split(['/', '.']).next().unwrap();
    format!("portal-{kind}-{}", if wrapped { "wrapped" } else { "raw" })
}

#[test]
fn every_seed_decodes_or_fails_without_a_panic() {
    let mut n = 0;
    for entry in std::fs::read_dir(corpus()).expect("fuzz/corpus/decode_bundle") {
        let path = entry.unwrap().path();
        let _ = decode_input(&std::fs::read(&path).unwrap());
        n += 1;
    }
    assert!(n > 100, "the corpus has {n} seeds");
}

#[test]
fn every_kind_has_seeds_of_the_current_format_that_decode_whole() {
    if std::env::var_os("UPDATE_SEEDS").is_some() {
        for (kind, _, bytes) in portal_seeds() {
            let mode = u8::try_from(kind << 1).unwrap();
            let mut raw = vec![mode | 1];
            raw.extend_from_slice(&bytes);
            std::fs::write(corpus().join(seed_name(kind, false)), raw).unwrap();
            let mut wrapped = vec![mode];
            wrapped.extend_from_slice(&bytes[FILE_HEADER_LEN..]);
            std::fs::write(corpus().join(seed_name(kind, true)), wrapped).unwrap();
        }
    }
    let mut whole = vec![[false; 2]; KINDS.len()];
    for entry in std::fs::read_dir(corpus()).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        if let Some((kind, true)) = decode_input(&data) {
            whole[kind][usize::from(data[0] & 1)] = true;
        }
    }
    for (kind, [wrapped, raw]) in whole.iter().enumerate() {
        assert!(
            *wrapped && *raw,
            "fuzz/corpus/decode_bundle has no seed of {} that decodes whole under format {} \
             (wrapped: {wrapped}, raw: {raw}): run `UPDATE_SEEDS=1 cargo test --test fuzz_corpus` \
             to write the example portal's files as seeds",
            KINDS[kind].0,
            docatlas_core::format::FORMAT_VERSION,
        );
    }
}
