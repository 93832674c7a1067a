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
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    // mimalloc 3's `arena_eager_commit` and `purge_delay` (the values of its `mi_option_t`): by
    // default it commits its arenas up front and returns freed pages late, which cost half
    // again glibc's peak memory; committed on use and returned at once, it peaks below glibc.
    // SAFETY: set before any thread starts, as mimalloc asks of `mi_option_set`.
    unsafe {
        libmimalloc_sys::mi_option_set(4, 0);
        libmimalloc_sys::mi_option_set(15, 0);
    }
    cli::main()
}

/// build-index is a native tool; on wasm32 it compiles to nothing.
#[cfg(target_arch = "wasm32")]
fn main() {}
