//! build-index: compiles a folder of engineering Markdown into a docatlas site.
//!
//! The pipeline is [`compile`] (read, decode, parse, check, render, index: docs in, a
//! [`docatlas_core::Bundle`] and diagnostics out) followed by [`site::write`] (the embedded app
//! plus the encoded bundle into a directory). Everything a reader sees is decided here; the app
//! only displays the bundle.

#![cfg(not(target_arch = "wasm32"))]
#![warn(missing_docs)]
// Everything here reads input (file names, front matter, Markdown): no arithmetic that can
// overflow, no indexing that can be out of bounds, no slicing inside a character. Tests may index
// freely: a panic there is a failed test.
#![cfg_attr(
    not(test),
    warn(
        clippy::arithmetic_side_effects,
        clippy::indexing_slicing,
        clippy::string_slice
    )
)]

pub mod corpus;
mod entities;
pub mod lock;
pub mod pipeline;
pub mod sanitize;
pub mod serve;
pub mod single;
pub mod site;
pub mod tracks;
pub mod watch;

use std::path::PathBuf;

// The corpus layer's modules at the crate root too, where they were before the layer existed.
pub use corpus::{config, diagnostics, encoding, frontmatter, links, markdown};
pub use diagnostics::{Diagnostic, Severity};
pub use entities::read_source;
pub use pipeline::{
    check_code, compile, compile_with, Cache, CodeSummary, Compiled, Options, CODE_ATTRIBUTE,
};

/// Failures that stop a build (as opposed to [`Diagnostic`]s, which never do).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The docs folder does not exist.
    #[error("docs folder {0} not found: pass the folder that holds your Markdown")]
    DocsNotFound(PathBuf),
    /// The docs path names a file.
    #[error("{} is a file, not a folder: pass the folder that holds your Markdown ({})", .0.display(), .0.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| ".".to_string(), |p| p.display().to_string()))]
    DocsIsAFile(PathBuf),
    /// Reading or writing a file failed.
    #[error("{path}: {error}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error (not a `source()`: the message already includes it).
        error: std::io::Error,
    },
    /// `docatlas.toml` is invalid.
    #[error("{path}:{line}:{col}: error: {message}")]
    Config {
        /// The config file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What is wrong.
        message: String,
    },
    /// A code root of `check --code` or `[code] roots` cannot be read.
    #[error(transparent)]
    Code(#[from] docatlas_code::WalkError),
    /// The output folder holds something that is not a docatlas site.
    #[error("refusing to write into {0}: it is not empty and holds no docatlas.bin, so it is not a site built earlier; choose an empty or new folder")]
    NotASite(PathBuf),
    /// Another build is writing the output folder (`--no-wait`).
    #[error("the build of {} by {} is still running: wait for it to end, or leave out --no-wait to wait for it", out.display(), pid.map_or_else(|| "another process".to_string(), |p| format!("process {p}")))]
    Busy {
        /// The output folder.
        out: PathBuf,
        /// The process that holds it, when it has said.
        pid: Option<u32>,
    },
    /// A search over a site failed: one of its data files is missing or does not fit.
    #[error("{site}: {message}")]
    Search {
        /// The site folder.
        site: PathBuf,
        /// What went wrong, naming the file.
        message: String,
    },
    /// A site's bundle could not be read.
    #[error("{path}: {error}")]
    Bundle {
        /// The bundle file.
        path: PathBuf,
        /// Why it could not be decoded.
        error: docatlas_core::FormatError,
    },
    /// The app compiled into this binary lacks a file a single-file build needs.
    #[error("{0}")]
    App(String),
}
