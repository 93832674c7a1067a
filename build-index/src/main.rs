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
    cli::main()
}

#[cfg(all(not(target_arch = "wasm32"), target_os = "linux"))]
/// `mi_option_arena_eager_commit` in mimalloc 3's `mi_option_t`.
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
#[cfg(all(not(target_arch = "wasm32"), target_os = "linux"))]
/// `mi_option_purge_delay` in mimalloc 3's `mi_option_t`.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc 3's `arena_eager_commit` and `purge_delay` set to 0: by default it commits its
/// arenas up front and returns freed pages late, which cost half again glibc's peak memory;
/// committed on use and returned at once, it peaks below glibc. Run as a constructor, before the
/// first allocation reserves the first arena (set in `main`, that arena kept the default and the
/// peak stayed 15% above glibc's). The numbers are those options' places in mimalloc 3's
/// `mi_option_t` (libmimalloc-sys 0.1.49 names neither): recheck them when that crate changes.
#[cfg(all(not(target_arch = "wasm32"), target_os = "linux"))]
#[used]
#[unsafe(link_section = ".init_array")]
static ALLOCATOR_OPTIONS: extern "C" fn() = {
    extern "C" fn set() {
        // SAFETY: runs before main, on the only thread, as `mi_option_set` requires.
        unsafe {
            libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        }
    }
    set
};

/// build-index is a native tool; on wasm32 it compiles to nothing.
#[cfg(target_arch = "wasm32")]
fn main() {}
