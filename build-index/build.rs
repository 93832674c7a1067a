//! Builds the browser app with Trunk and embeds its files, so `build-index` is self-contained.
//!
//! The nested build uses its own target dir (`target/app`): the outer cargo holds the lock on
//! `target/`, and sharing it would deadlock. Set `DOCATLAS_APP_DIST=/path/to/dist` to embed an
//! already-built app instead (its files are used as they are).

use std::env;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest.parent().unwrap().to_path_buf();
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let generated = out.join("app_files.rs");
    println!("cargo:rerun-if-env-changed=DOCATLAS_APP_DIST");

    // On wasm32 the build-index library compiles to nothing; there is no app to embed.
    if env::var("TARGET").unwrap_or_default().starts_with("wasm32") {
        std::fs::write(
            &generated,
            "pub static APP_FILES: &[(&str, &[u8])] = &[];\n",
        )
        .unwrap();
        return;
    }

    let dist = match env::var_os("DOCATLAS_APP_DIST").filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => {
            for p in [
                "src",
                "assets",
                "index.html",
                "Trunk.toml",
                "Cargo.toml",
                "Cargo.lock",
                "docatlas-core/src",
                "docatlas-core/Cargo.toml",
            ] {
                println!("cargo:rerun-if-changed={}", root.join(p).display());
            }
            let dist = out.join("app-dist");
            run_trunk(&root, &dist);
            dist
        }
    };

    let mut files = Vec::new();
    collect(&dist, &dist, &mut files);
    files.sort();
    assert!(
        files.iter().any(|(rel, _)| rel == "index.html"),
        "{} holds no index.html: it is not a Trunk build of the docatlas app",
        dist.display()
    );
    let mut code = String::from("pub static APP_FILES: &[(&str, &[u8])] = &[\n");
    for (rel, path) in &files {
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    std::fs::write(&generated, code).unwrap();
}

fn collect(base: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(base, &path, out);
        } else {
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, path));
        }
    }
}

fn run_trunk(root: &Path, dist: &Path) {
    let mut cmd = Command::new("trunk");
    cmd.current_dir(root)
        .args(["build", "--release", "--dist"])
        .arg(dist)
        // A clean environment: the outer cargo's variables (RUSTC_WORKSPACE_WRAPPER from clippy,
        // CARGO_ENCODED_RUSTFLAGS, the jobserver, TARGET...) must not leak into the wasm build.
        .env_clear()
        .env("CARGO_TARGET_DIR", root.join("target").join("app"))
        .env("TRUNK_OFFLINE", "true")
        .env("NO_COLOR", "true");
    for keep in [
        "PATH",
        "HOME",
        "CARGO_HOME",
        "RUSTUP_HOME",
        "RUSTUP_TOOLCHAIN",
        "TMPDIR",
        "LANG",
        "USER",
    ] {
        if let Some(v) = env::var_os(keep) {
            cmd.env(keep, v);
        }
    }
    let output = match cmd.output() {
        Ok(o) => o,
        Err(e) => panic!(
            "\n\nbuild-index embeds the docatlas browser app, which is built with Trunk, but `trunk` could not be run ({e}).\n\
             Install the tools with `scripts/ensure-tools` (trunk 0.21.14, the wasm32 target, the matching wasm-bindgen CLI),\n\
             or set DOCATLAS_APP_DIST to a folder holding an app built with `trunk build --release`.\n\n"
        ),
    };
    if !output.status.success() {
        panic!(
            "\n\n`trunk build --release` failed while building the docatlas app to embed in build-index.\n\
             If a tool is missing, run `scripts/ensure-tools`.\n--- trunk stdout ---\n{}\n--- trunk stderr ---\n{}\n",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
