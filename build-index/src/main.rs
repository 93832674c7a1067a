//! The `build-index` command line: a thin layer over the library (see `cli.rs`).

// The same no-panic lints as the library (see lib.rs): the CLI parses arguments and reads files.
#![cfg_attr(
    not(test),
    warn(
        clippy::arithmetic_side_effects,
        clippy::indexing_slicing,
        clippy::string_slice
    )
)]

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

/// build-index is a native tool; on wasm32 it compiles to nothing.
#[cfg(target_arch = "wasm32")]
fn main() {}
