//! Fuzzes the graph readers of compose, OpenAPI and AsyncAPI files (and Backstage descriptors)
//! on arbitrary text: the first byte picks the file name (so the reader), the rest is the file.
//! Any text must give a graph that encodes and decodes (valid node and edge indices, sorted
//! ids), diagnostics that name the file, and no panic.
#![no_main]

use docatlas_core::graph;

/// File names each reader is chosen by, as a build tells them apart.
const NAMES: &[&str] = &[
    "compose.yaml",
    "deploy/docker-compose.prod.yml",
    "openapi.yaml",
    "api/openapi.json",
    "swagger.yml",
    "events/asyncapi.yaml",
    "asyncapi.json",
    "catalog-info.yaml",
];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let path = NAMES[pick as usize % NAMES.len()];
    let text = String::from_utf8_lossy(rest);
    let (g, diags) = build_index::read_source(path, &text).expect("a graph source name");
    let back = graph::decode(&graph::encode(&g)).expect("the graph is valid");
    assert_eq!(back, g);
    for d in &diags {
        assert_eq!(d.path, path, "{d}");
        assert!(d.line >= 1, "{d}");
    }
});
