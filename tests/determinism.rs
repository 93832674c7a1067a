//! What a site folder holds after a build: exactly this build's files, however often it is
//! rebuilt. That the same docs give byte-identical sites is tested on the built binary, in
//! separate processes and with different thread counts, in `build-index/tests/determinism.rs`
//! (a test process cannot stand in for two: its hash maps share one seed).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use docatlas_core::Audience;

#[test]
fn rebuilding_into_the_same_folder_removes_what_a_previous_build_left() {
    let dir = tempfile::tempdir().unwrap();
    let internal = compile_docs(&portal(), Audience::Internal);
    build_index::site::write(&internal, &portal(), dir.path()).unwrap();
    std::fs::write(
        dir.path().join("stale.txt"),
        "The harbour-lantern credential",
    )
    .unwrap();
    let public = compile_docs(&portal(), Audience::Public);
    build_index::site::write(&public, &portal(), dir.path()).unwrap();
    for (name, bytes) in data_files(dir.path()) {
        assert!(
            !contains(&bytes, "harbour-lantern"),
            "{name} kept internal text"
        );
    }
}

#[test]
fn refuses_to_overwrite_a_folder_that_is_not_a_site() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("thesis.tex"), "precious").unwrap();
    let c = compile_docs(&portal(), Audience::Public);
    let err = build_index::site::write(&c, &portal(), dir.path()).unwrap_err();
    assert!(err.to_string().contains("not a site"), "{err}");
    assert!(dir.path().join("thesis.tex").exists());
}
