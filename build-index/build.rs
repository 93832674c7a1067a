//! Builds the browser app with Trunk and embeds its files, so `build-index` is self-contained.
//!
//! The nested build uses its own target dir (`target/app`): the outer cargo holds the lock on
//! `target/`, and sharing it would deadlock. After Trunk, the app is finished for the wire
//! ([`finish_app`]): binaryen's `wasm-opt -Oz` shrinks the WebAssembly, which is then stored
//! gzip-compressed (so it stays small on hosts that send `.wasm` uncompressed) and loaded by a
//! few lines of JavaScript that decompress it with the browser's `DecompressionStream`.
//! Set `DOCATLAS_APP_DIST=/path/to/dist` to embed an already-built app instead (its files are
//! used as they are).

// The same lints as the library, for one rule everywhere; this script's own failures (no Trunk,
// a missing file) are meant to stop the build, hence its `unwrap`s.
#![cfg_attr(
    not(test),
    warn(
        clippy::arithmetic_side_effects,
        clippy::indexing_slicing,
        clippy::string_slice
    )
)]

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
                "web/src",
                "web/Cargo.toml",
                "search-first/src",
                "search-first/Cargo.toml",
                ".cargo/config.toml",
            ] {
                println!("cargo:rerun-if-changed={}", root.join(p).display());
            }
            let dist = out.join("app-dist");
            run_trunk(&root, &dist);
            let app = finish_app(&root, &dist);
            add_search_first(&root, &dist, &app);
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

/// `program` run in `root` for the nested wasm build, in a clean environment: the outer
/// cargo's variables (RUSTC_WORKSPACE_WRAPPER from clippy, CARGO_ENCODED_RUSTFLAGS, the
/// jobserver, TARGET...) must not leak into it.
fn wasm_build_command(root: &Path, program: &str) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(root)
        .env_clear()
        .env("CARGO_TARGET_DIR", app_target_dir(root))
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
    cmd
}

fn app_target_dir(root: &Path) -> PathBuf {
    root.join("target").join("app")
}

fn run_trunk(root: &Path, dist: &Path) {
    let mut cmd = wasm_build_command(root, "trunk");
    cmd.args(["build", "--release", "--cargo-profile", "app", "--dist"])
        .arg(dist);
    let output = match cmd.output() {
        Ok(o) => o,
        Err(e) => panic!(
            "\n\nbuild-index embeds the docatlas browser app, which is built with Trunk, but `trunk` could not be run ({e}).\n\
             Install the tools with `scripts/ensure-tools` (trunk 0.21.14, the wasm32 target, the matching wasm-bindgen CLI),\n\
             or set DOCATLAS_APP_DIST to a folder holding an app built with `trunk build --release --cargo-profile app`.\n\n"
        ),
    };
    if !output.status.success() {
        panic!(
            "\n\n`trunk build --release --cargo-profile app` failed while building the docatlas app to embed in build-index.\n\
             If a tool is missing, run `scripts/ensure-tools`.\n--- trunk stdout ---\n{}\n--- trunk stderr ---\n{}\n",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// The loader that replaces Trunk's `module_or_path: './x_bg.wasm'`: fetch the stored file and
/// decompress it if it starts with the gzip magic (a host may already have sent it with
/// `Content-Encoding: gzip`, in which case the browser hands over plain WebAssembly).
const WASM_LOADER: &str = "(async (url) => { const b = new Uint8Array(await (await fetch(url)).arrayBuffer()); \
const body = b[0] === 0x1f && b[1] === 0x8b ? new Blob([b]).stream().pipeThrough(new DecompressionStream('gzip')) : b; \
return new Response(body, { headers: { 'Content-Type': 'application/wasm' } }); })";

/// The full app's files in the dist folder.
struct AppFiles {
    /// Trunk's JS module (`docatlas-HASH.js`).
    js: String,
    /// The stored, gzipped wasm (`docatlas-HASH_bg.wasm.gz`).
    wasm_gz: String,
}

/// The one place the app's WebAssembly writes HTML from a string (wasm-bindgen's import for
/// `Element::set_inner_html`): the page HTML the build sanitised, and Leptos' templates of a
/// view's static part, compiled into the app.
const HTML_SINK: &str = "arg0.innerHTML = getStringFromWasm0(arg1, arg2);";

/// A module's glue (`what`: the app's or the search-first module's) with its HTML writes sent
/// through the page's one Trusted Types policy, `docatlas` (created on first use, in the
/// module's own scope, not on `window`), so both run under `require-trusted-types-for 'script';
/// trusted-types docatlas`. A policy name can be created once per page, so the two glues share
/// one: `assets/boot.js`, which imports both, hands the search module's policy to the app
/// (`docatlasGivePolicy`, `docatlasTakePolicy`). Where the browser has no Trusted Types, or the
/// page does not enforce them, strings pass unchanged.
fn trusted_glue(glue: &str, what: &str) -> String {
    assert!(
        glue.matches(HTML_SINK).count() == 1,
        "{what}'s wasm-bindgen glue no longer sets innerHTML with `{HTML_SINK}`; update HTML_SINK in build.rs"
    );
    let prelude = "// docatlas (build-index/build.rs): innerHTML writes go through the Trusted Types policy `docatlas`.\n\
let docatlasPolicy;\n\
function docatlasHTML(html) {\n\
  if (docatlasPolicy === undefined) {\n\
    try { docatlasPolicy = globalThis.trustedTypes?.createPolicy('docatlas', { createHTML: (h) => h }) ?? null; }\n\
    catch (e) { console.error('docatlas: the Trusted Types policy docatlas was refused; allow it with trusted-types docatlas', e); docatlasPolicy = null; }\n\
  }\n\
  return docatlasPolicy ? docatlasPolicy.createHTML(html) : html;\n\
}\n\
export function docatlasGivePolicy() { docatlasHTML(''); return docatlasPolicy; }\n\
export function docatlasTakePolicy(policy) { if (docatlasPolicy === undefined && policy) docatlasPolicy = policy; }\n";
    format!(
        "{prelude}{}",
        glue.replace(
            HTML_SINK,
            "arg0.innerHTML = docatlasHTML(getStringFromWasm0(arg1, arg2));"
        )
    )
}

/// Shrinks and compresses the app's WebAssembly and points `index.html` at the compressed file.
fn finish_app(root: &Path, dist: &Path) -> AppFiles {
    let entries =
        std::fs::read_dir(dist).unwrap_or_else(|e| panic!("cannot read {}: {e}", dist.display()));
    let wasm = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.to_string_lossy().ends_with("_bg.wasm"))
        .unwrap_or_else(|| panic!("Trunk wrote no *_bg.wasm into {}", dist.display()));
    wasm_opt(root, &wasm);
    let name = wasm.file_name().unwrap().to_string_lossy().into_owned();
    let bytes = std::fs::read(&wasm).unwrap();
    let gz_name = format!("{name}.gz");
    std::fs::write(dist.join(&gz_name), gzip(&bytes)).unwrap();
    std::fs::remove_file(&wasm).unwrap();

    let js = dist.join(name.replace("_bg.wasm", ".js"));
    let glue = std::fs::read_to_string(&js).unwrap();
    std::fs::write(&js, trusted_glue(&glue, "the app")).unwrap();
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).unwrap();
    let call = format!("module_or_path: './{name}'");
    assert!(
        html.contains(&call),
        "Trunk's index.html no longer loads the wasm with `{call}`; update WASM_LOADER in build.rs"
    );
    let mut html = html.replace(
        &call,
        &format!("module_or_path: {WASM_LOADER}('./{gz_name}')"),
    );
    // Trunk's preload of the raw wasm (with its integrity hash) would fetch a file that is gone.
    if let Some(start) = html.find(&format!("<link rel=\"preload\" href=\"./{name}\"")) {
        let tag_end = html.get(start..).and_then(|rest| rest.find('>'));
        if let Some(end) = tag_end.and_then(|len| start.checked_add(len)?.checked_add(1)) {
            let preload = format!(
                "<link rel=\"preload\" href=\"./{gz_name}\" crossorigin=\"anonymous\" as=\"fetch\">"
            );
            html.replace_range(start..end, &preload);
        }
    }
    std::fs::write(&index, html).unwrap();
    AppFiles {
        js: name.replace("_bg.wasm", ".js"),
        wasm_gz: gz_name,
    }
}

/// Builds the search-first module (the crate `docatlas-search` in `search-first/`) and makes `index.html` start it instead of the app; the page loads the app when the module
/// calls `window.docatlasLoadApp()`. The module is finished like the app (wasm-opt, gzip) and
/// named by a hash of its content, as Trunk names the app's files.
fn add_search_first(root: &Path, dist: &Path, app: &AppFiles) {
    const BIN: &str = "docatlas-search";
    let output = wasm_build_command(root, "cargo")
        .args([
            "build",
            "--profile",
            "search",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            BIN,
            "--bin",
            BIN,
        ])
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo to build the search-first module: {e}"));
    assert!(
        output.status.success(),
        "building the search-first module ({BIN}) failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let raw = app_target_dir(root).join(format!("wasm32-unknown-unknown/search/{BIN}.wasm"));
    let out = dist.with_file_name("search-first");
    let _ = std::fs::remove_dir_all(&out);
    let output = wasm_build_command(root, "wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--out-name", BIN, "--out-dir"])
        .arg(&out)
        .arg(&raw)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run wasm-bindgen for the search-first module ({e}); run scripts/ensure-tools")
        });
    assert!(
        output.status.success(),
        "wasm-bindgen failed on the search-first module:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let wasm = out.join(format!("{BIN}_bg.wasm"));
    wasm_opt(root, &wasm);
    let wasm = std::fs::read(&wasm).unwrap();
    let js = std::fs::read_to_string(out.join(format!("{BIN}.js"))).unwrap();
    let js = trusted_glue(&js, "the search-first module").into_bytes();
    let name = format!("{BIN}-{:016x}", fnv1a(&[&wasm, &js]));
    let (js_name, gz_name) = (format!("{name}.js"), format!("{name}_bg.wasm.gz"));
    std::fs::write(dist.join(&js_name), js).unwrap();
    std::fs::write(dist.join(&gz_name), gzip(&wasm)).unwrap();

    // The loader is a file, not inline code, so the site runs under a strict
    // Content-Security-Policy; it is named by its content like the modules it starts, and finds
    // them by the names on its tag.
    let boot = std::fs::read(root.join("assets/boot.js")).unwrap();
    let boot_name = format!("docatlas-boot-{:016x}.js", fnv1a(&[&boot]));
    std::fs::write(dist.join(&boot_name), boot).unwrap();
    let index = dist.join("index.html");
    let mut html = std::fs::read_to_string(&index).unwrap();
    let script = format!(
        "<script defer src=\"./{boot_name}\" data-search=\"{name}\" data-app=\"{app_name}\"></script>",
        app_name = app.js.trim_end_matches(".js"),
    );
    assert!(
        app.wasm_gz == format!("{}_bg.wasm.gz", app.js.trim_end_matches(".js")),
        "the app's files are no longer NAME.js and NAME_bg.wasm.gz; update assets/boot.js"
    );
    let start = html
        .find("<script type=\"module\">")
        .expect("Trunk's index.html has no module script; update add_search_first in build.rs");
    let end = html
        .get(start..)
        .and_then(|rest| rest.find("</script>"))
        .and_then(|len| start.checked_add(len)?.checked_add("</script>".len()))
        .unwrap();
    html.replace_range(start..end, &script);
    // Preload the module's files, not the app's: the app must not share the network with a
    // first query's files.
    for (old, new) in [
        (
            format!("<link rel=\"modulepreload\" href=\"./{}\"", app.js),
            format!("<link rel=\"modulepreload\" href=\"./{js_name}\" crossorigin=\"anonymous\">"),
        ),
        (
            format!("<link rel=\"preload\" href=\"./{}\"", app.wasm_gz),
            format!("<link rel=\"preload\" href=\"./{gz_name}\" crossorigin=\"anonymous\" as=\"fetch\">"),
        ),
    ] {
        let start = html
            .find(&old)
            .unwrap_or_else(|| panic!("index.html has no `{old}`; update add_search_first in build.rs"));
        let end = html
            .get(start..)
            .and_then(|rest| rest.find('>'))
            .and_then(|len| start.checked_add(len)?.checked_add(1))
            .unwrap();
        html.replace_range(start..end, &new);
    }
    // Trunk named the app's files before its glue and wasm were finished: name them by what
    // they hold now, so a changed app never hides behind an old name in a cache.
    let old = app.js.trim_end_matches(".js");
    let js = std::fs::read(dist.join(&app.js)).unwrap();
    let wasm = std::fs::read(dist.join(&app.wasm_gz)).unwrap();
    let new = format!("docatlas-{:016x}", fnv1a(&[&js, &wasm]));
    std::fs::rename(dist.join(&app.js), dist.join(format!("{new}.js"))).unwrap();
    std::fs::rename(
        dist.join(&app.wasm_gz),
        dist.join(format!("{new}_bg.wasm.gz")),
    )
    .unwrap();
    let html = html.replace(&format!("\"{old}\""), &format!("\"{new}\""));
    assert!(
        html.contains(&new) && !html.contains(old),
        "index.html still names {old}"
    );
    std::fs::write(&index, html).unwrap();
}

/// FNV-1a (64-bit) over `parts`: a content hash for file names, with no dependency.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Runs `wasm-opt -Oz` from binaryen 132 (npm, installed into `tools/` by `scripts/ensure-tools`)
/// on `wasm` in place. Without it the app still builds, only bigger: say so.
fn wasm_opt(root: &Path, wasm: &Path) {
    let tool = root.join("tools/node_modules/binaryen/bin/wasm-opt");
    println!("cargo:rerun-if-changed={}", tool.display());
    if !tool.is_file() {
        println!(
            "cargo:warning=binaryen's wasm-opt is not installed, so the app is not size-optimised; run scripts/ensure-tools"
        );
        return;
    }
    let out = wasm.with_extension("opt.wasm");
    let status = Command::new("node")
        .arg(&tool)
        .args(["-Oz", "--strip-debug", "--strip-producers", "-o"])
        .arg(&out)
        .arg(wasm)
        .status();
    match status {
        Ok(s) if s.success() => std::fs::rename(&out, wasm).unwrap(),
        other => panic!(
            "wasm-opt failed on {} ({other:?}); run scripts/ensure-tools",
            wasm.display()
        ),
    }
}

/// Gzip with no timestamp or name in the header, so the same wasm gives the same bytes.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    // Zopfli: a gzip stream any gzip decoder (the browser's `DecompressionStream`) reads, about
    // 6% smaller than zlib's best for the app's wasm, for ~10 s of build time once per app build.
    // Deterministic, and without a timestamp in the header.
    let mut out = Vec::new();
    let options = zopfli::Options {
        iteration_count: std::num::NonZeroU64::new(5).unwrap(),
        ..zopfli::Options::default()
    };
    zopfli::compress(options, zopfli::Format::Gzip, bytes, &mut out).unwrap();
    out
}
