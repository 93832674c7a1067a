//! Measures the mojibake repair on real text: every change it makes to correct files, and how
//! much of the same files it restores once they are damaged the ways mojibake happens.
//!
//! ```sh
//! cargo run --release -p build-index --example text_fidelity -- DIR...
//! ```
//!
//! Reads every `.md`, `.mdx` and `.txt` file under each DIR. For a correct corpus (tldr-pages in
//! 40 languages, a docs site), the first line of figures must say 0 files changed: a repair of
//! text that needed none damages it. Then each file with non-ASCII text is damaged as UTF-8
//! decoded as Windows-1252 and as Mac Roman would be, and the repair must give the file back
//! exactly. Prints the figures and up to 20 examples of each kind of failure.

// Native only, like the crate: on wasm32 (the workspace's wasm clippy run) this is an empty main.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::path::{Path, PathBuf};

    use build_index::encoding::decode;
    use docatlas_core::slice;
    use encoding_rs::{Encoding, MACINTOSH, WINDOWS_1252};

    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                files(&p, out);
            } else if p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "md" | "mdx" | "txt"))
            {
                out.push(p);
            }
        }
    }

    /// The first place `a` and `b` differ, with some context of each.
    fn first_difference(a: &str, b: &str) -> String {
        let at = a
            .char_indices()
            .zip(b.chars())
            .find(|((_, x), y)| x != y)
            .map_or(a.len().min(b.len()), |((i, _), _)| i);
        let from = at.saturating_sub(24);
        let cut = |s: &str| slice::sub(s, from, at + 24).replace('\n', "⏎");
        format!("`{}` → `{}`", cut(a), cut(b))
    }

    pub fn main() {
        let dirs: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
        if dirs.is_empty() {
            eprintln!("usage: text_fidelity DIR...");
            std::process::exit(2);
        }
        let mut all = Vec::new();
        for d in &dirs {
            files(d, &mut all);
        }
        let (mut read, mut non_ascii, mut changed, mut noted, mut suspected) = (0usize, 0, 0, 0, 0);
        let mut changes = Vec::new();
        let damages: [(&'static Encoding, &str); 2] =
            [(WINDOWS_1252, "Windows-1252"), (MACINTOSH, "Mac Roman")];
        let mut damaged = [0usize; 2];
        let mut restored = [0usize; 2];
        let mut misses: Vec<String> = Vec::new();
        for path in &all {
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            let Ok(text) =
                std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
            else {
                continue;
            };
            read += 1;
            if text.is_ascii() {
                continue;
            }
            non_ascii += 1;
            let d = decode(text.as_bytes());
            if !d.notes.is_empty() {
                noted += 1;
            }
            if !d.suspects.is_empty() {
                suspected += 1;
            }
            if d.text != text {
                changed += 1;
                if changes.len() < 20 {
                    changes.push(format!(
                        "{}: {}",
                        path.display(),
                        first_difference(text, &d.text)
                    ));
                }
            }
            for (i, (enc, name)) in damages.iter().enumerate() {
                let (broken, _, lossy) = enc.decode(text.as_bytes());
                // A byte the legacy charset has no character for is not how mojibake is made.
                if lossy || broken == text {
                    continue;
                }
                damaged[i] += 1;
                let back = decode(broken.as_bytes()).text;
                if back == text {
                    restored[i] += 1;
                } else if misses.len() < 20 {
                    misses.push(format!(
                        "{} ({name}): {}",
                        path.display(),
                        first_difference(text, &back)
                    ));
                }
            }
        }
        println!("files read: {read} ({non_ascii} with non-ASCII text)");
        println!("correct files changed by the repair: {changed} (with a repair warning: {noted}, with a \"may be mojibake\" note: {suspected})");
        for (i, (_, name)) in damages.iter().enumerate() {
            println!(
                "files damaged as {name}: {}, restored exactly: {} ({:.1}%)",
                damaged[i],
                restored[i],
                100.0 * restored[i] as f64 / damaged[i].max(1) as f64
            );
        }
        if !changes.is_empty() {
            println!("\nchanges to correct text:");
            changes.iter().for_each(|c| println!("  {c}"));
        }
        if !misses.is_empty() {
            println!("\ndamage not restored:");
            misses.iter().for_each(|m| println!("  {m}"));
        }
    }
}
