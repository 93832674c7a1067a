//! The `build-index` command line: a thin layer over the library (see `cli.rs`).

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

/// build-index is a native tool; on wasm32 it compiles to nothing.
#[cfg(target_arch = "wasm32")]
fn main() {}
