//! The layering of build-index and docatlas-core, kept true (ARCHITECTURE.md, "Layers"): no
//! import circle between the modules (files) of either crate (nor of docatlas-code), and in
//! build-index each layer names only the layers below it (the corpus at the bottom, the stages
//! on it, `pipeline` over the stages, the site writer over `pipeline`).
//!
//! A file imports another when it names that file's module: `use crate::a::b::X`,
//! `crate::a::f(..)`, `super::x::Y`, `use super::{x, y::Z}`. A module naming its own children
//! (`mod read;` then `read::walk`) does not count: a parent calling its parts is the natural
//! direction. Comments, strings and the `#[cfg(test)]` module at a file's end are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path: `["corpus", "read"]`; the crate root is empty.
type Module = Vec<String>;

/// Every import edge of a crate: (from, to) → the names that tie them.
type Edges = BTreeMap<(Module, Module), BTreeSet<String>>;

#[test]
fn build_index_core_and_code_have_no_import_circle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut report = String::new();
    for krate in ["build-index", "docatlas-core", "docatlas-code"] {
        let files = read_crate(&root.join(krate).join("src"));
        assert!(
            files.len() > 10,
            "{krate}: found only {} files",
            files.len()
        );
        report.push_str(&circles(krate, &edges(&files)));
    }
    assert!(
        report.is_empty(),
        "import circles (see ARCHITECTURE.md, \"Layers\": move the shared item down into the \
         layer both sides may name):\n{report}"
    );
}

#[test]
fn each_build_index_layer_names_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = read_crate(&src);
    let mut wrong = Vec::new();
    for ((from, to), names) in edges(&files) {
        let (a, b) = (layer(&from), layer(&to));
        // The crate root holds the crate's `Error`; every module may name it.
        if a == b || to.is_empty() || allowed(a).contains(&b) {
            continue;
        }
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        wrong.push(format!(
            "{} ({a}) names {} ({b}): {}",
            file_of(&from),
            file_of(&to),
            names.join(", ")
        ));
    }
    assert!(
        wrong.is_empty(),
        "imports across the layers (ARCHITECTURE.md, \"Layers\"): a stage names only the \
         corpus; only `pipeline` names the stages; `site` names only `pipeline`'s output and \
         the corpus:\n{}",
        wrong.join("\n")
    );
}

/// The longest a function may be, in lines from `fn` to its closing brace: a reader holds it on
/// one screen. Longer work is split into named phases.
const MAX_FUNCTION_LINES: usize = 80;

#[test]
fn no_function_is_longer_than_a_screen() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut long = Vec::new();
    for krate in ["build-index", "docatlas-core"] {
        for (module, code) in read_crate(&root.join(krate).join("src")) {
            for (name, lines) in functions(&code) {
                if lines > MAX_FUNCTION_LINES {
                    long.push(format!(
                        "{krate} {}::{name}: {lines} lines",
                        file_of(&module)
                    ));
                }
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines (split them into named phases; see \
         ARCHITECTURE.md, \"Layers\"):\n{}",
        long.join("\n")
    );
}

/// Each function with a body in `code`: its name and its length in lines.
fn functions(code: &str) -> Vec<(String, usize)> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = code[from..].find("fn ") {
        let at = from + k;
        from = at + 3;
        if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
            continue;
        }
        let name: String = code[from..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        // The body starts at the first `{` outside the parameters; a `;` first means none.
        let mut parens = 0i32;
        let mut open = None;
        for (k, ch) in code[from..].char_indices() {
            match ch {
                '(' => parens += 1,
                ')' => parens -= 1,
                ';' if parens == 0 => break,
                '{' if parens == 0 => {
                    open = Some(from + k);
                    break;
                }
                _ => {}
            }
        }
        let Some(open) = open else { continue };
        let close = closing_brace(code, open);
        let lines = code[at..close].matches('\n').count() + 1;
        out.push((name, lines));
    }
    out
}

/// The layer of a build-index module.
fn layer(m: &[String]) -> &'static str {
    let parts: Vec<&str> = m.iter().map(String::as_str).collect();
    match parts.as_slice() {
        [] => "root",
        ["corpus", ..] => "corpus",
        ["entities", ..] => "entities stage",
        ["tracks", ..] => "tracks stage",
        ["pipeline", "links", ..] => "link check stage",
        ["pipeline", "docs", ..] => "documents stage",
        ["pipeline", "code", ..] => "code check stage",
        ["sanitize"] => "sanitizer",
        ["pipeline"] => "pipeline",
        ["site"] => "site",
        ["single"] => "single file",
        ["lock"] => "output lock",
        ["serve"] => "serve",
        ["watch"] => "watch",
        ["cli", ..] => "cli",
        _ => "unplaced",
    }
}

/// The layers a layer may name (besides itself and the crate root).
fn allowed(layer: &str) -> &'static [&'static str] {
    const STAGES: [&str; 5] = [
        "entities stage",
        "tracks stage",
        "link check stage",
        "documents stage",
        "code check stage",
    ];
    match layer {
        "corpus" | "sanitizer" | "serve" | "output lock" => &[],
        "documents stage" => &["corpus", "sanitizer"],
        l if STAGES.contains(&l) => &["corpus"],
        "pipeline" => &[
            "corpus",
            "entities stage",
            "tracks stage",
            "link check stage",
            "documents stage",
            "code check stage",
        ],
        "site" => &["corpus", "pipeline", "output lock"],
        // `serve --watch`: rebuilds through `pipeline`, writes with `site` under the lock, and
        // serves through `serve`.
        "watch" => &["corpus", "pipeline", "site", "serve", "output lock"],
        "single file" => &["corpus", "pipeline", "site"],
        "cli" => &[
            "corpus",
            "pipeline",
            "site",
            "serve",
            "watch",
            "single file",
            "tracks stage",
            "output lock",
        ],
        // A new top-level module: place it in `layer` first.
        _ => &[],
    }
}

/// The source of each module of the crate whose `src/` is `src`, comments, strings and test
/// modules removed.
fn read_crate(src: &Path) -> BTreeMap<Module, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "bin") {
                    stack.push(path);
                }
                continue;
            }
            // The binary's root (`main.rs`) and the library's (`lib.rs`) would both be the root;
            // the binary's modules name the library by its crate name, never `crate::`.
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("src/main.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            out.insert(module_of(src, &path), without_tests(&code_only(&text)));
        }
    }
    out
}

fn module_of(src: &Path, file: &Path) -> Module {
    let rel: PathBuf = file.strip_prefix(src).unwrap().with_extension("");
    let mut m: Module = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if m.last().is_some_and(|l| l == "mod") {
        m.pop();
    }
    if m == ["lib"] || m == ["main"] {
        m.clear();
    }
    m
}

/// A module as Rust names it: `crate::corpus::read`.
fn file_of(m: &Module) -> String {
    std::iter::once("crate")
        .chain(m.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("::")
}

/// `text` with comments blanked and string and char literals emptied (lifetimes kept).
fn code_only(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < c.len() {
        let at = |k: usize| c.get(k).copied().unwrap_or('\0');
        match c[i] {
            '/' if at(i + 1) == '/' => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if at(i + 1) == '*' => {
                let from = i;
                let mut depth = 0;
                loop {
                    if at(i) == '/' && at(i + 1) == '*' {
                        depth += 1;
                        i += 2;
                    } else if at(i) == '*' && at(i + 1) == '/' {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else if i >= c.len() {
                        break;
                    } else {
                        i += 1;
                    }
                }
                out.push(' ');
                keep_lines(&mut out, &c[from..i.min(c.len())]);
            }
            'r' if (at(i + 1) == '"' || at(i + 1) == '#')
                && !(i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_')) =>
            {
                let mut j = i + 1;
                let mut hashes = 0;
                while at(j) == '#' {
                    hashes += 1;
                    j += 1;
                }
                if at(j) != '"' {
                    out.push('r');
                    i += 1;
                    continue;
                }
                j += 1;
                loop {
                    if j >= c.len() {
                        break;
                    }
                    if c[j] == '"' && (1..=hashes).all(|h| at(j + h) == '#') {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                out.push_str("\"\"");
                keep_lines(&mut out, &c[i..j.min(c.len())]);
                i = j;
            }
            '"' => {
                let from = i;
                i += 1;
                while i < c.len() && c[i] != '"' {
                    i += if c[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("\"\"");
                keep_lines(&mut out, &c[from..i.min(c.len())]);
            }
            '\'' if at(i + 1) == '\\' => {
                // `'\n'`, `'\''`, `'\u{e9}'`: the escaped char, then up to the closing quote.
                i += 3;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            }
            '\'' if at(i + 2) == '\'' => {
                i += 3;
                out.push_str("' '");
            }
            ch => {
                out.push(ch);
                i += 1;
            }
        }
    }
    out
}

/// The line breaks of a removed span, so that lines keep their numbers.
fn keep_lines(out: &mut String, removed: &[char]) {
    out.extend(removed.iter().filter(|&&ch| ch == '\n'));
}

/// `code` without its `#[cfg(test)] mod ... { ... }` modules.
fn without_tests(code: &str) -> String {
    let mut out = code.to_string();
    while let Some(at) = out.find("#[cfg(test)]") {
        let rest = &out[at + "#[cfg(test)]".len()..];
        let trimmed = rest.trim_start();
        let start = out.len() - trimmed.len();
        let end = match (trimmed.starts_with("mod "), trimmed.find(['{', ';'])) {
            // `#[cfg(test)] mod tests;`: the module is its own file, which nothing imports.
            (true, Some(k)) if trimmed[k..].starts_with(';') => start + k + 1,
            (true, Some(k)) => (closing_brace(&out, start + k) + 1).min(out.len()),
            // A test-only item other than a module: only the attribute goes.
            _ => at + "#[cfg(test)]".len(),
        };
        out.replace_range(at..end, "");
    }
    out
}

/// Every `crate::`, `super::` and `self::` path in `code`, brace groups expanded:
/// `use super::{a, b::{C, D}}` gives `super::a`, `super::b::C`, `super::b::D`.
fn paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < code.len() {
        let boundary = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        let head = ["crate::", "super::", "self::"]
            .into_iter()
            .find(|h| boundary && code.get(i..).is_some_and(|rest| rest.starts_with(h)));
        let Some(head) = head else {
            i += 1;
            continue;
        };
        let (found, len) = path_at(&code[i..]);
        if len > head.len() {
            out.extend(found);
        }
        i += len.max(1);
    }
    out
}

/// The paths written at the start of `s` (several, for a brace group) and the length read.
fn path_at(s: &str) -> (Vec<Vec<String>>, usize) {
    let mut segs: Vec<String> = Vec::new();
    let mut i = 0;
    loop {
        let word: String = s[i..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if word.is_empty() {
            break;
        }
        i += word.len();
        segs.push(word);
        if !s[i..].starts_with("::") {
            return (vec![segs], i);
        }
        i += 2;
        if s[i..].starts_with('{') {
            let end = closing_brace(s, i);
            let inner = s.get(i + 1..end).unwrap_or("");
            let mut all = Vec::new();
            for item in split_top(inner) {
                let item = item.split(" as ").next().unwrap_or("").trim();
                if item.is_empty() {
                    continue;
                }
                if item == "self" {
                    all.push(segs.clone());
                    continue;
                }
                for tail in path_at(item).0 {
                    let mut p = segs.clone();
                    p.extend(tail);
                    all.push(p);
                }
            }
            return (all, (end + 1).min(s.len()));
        }
    }
    (vec![segs], i)
}

/// The offset of the `}` that closes the `{` at `open`; the end of `s` if none does (never in
/// code that compiles).
fn closing_brace(s: &str, open: usize) -> usize {
    let mut depth = 0;
    for (k, ch) in s[open..].char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return open + k;
                }
            }
            _ => {}
        }
    }
    s.len()
}

/// `s` split at its commas outside braces.
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (k, ch) in s.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// The import edges between the modules of `files`, each with the names that make it.
fn edges(files: &BTreeMap<Module, String>) -> Edges {
    let mut out: Edges = BTreeMap::new();
    for (here, code) in files {
        for path in paths(code) {
            let mut segs = path.into_iter().peekable();
            let mut base: Module = match segs.next().as_deref() {
                Some("crate") => Vec::new(),
                Some("self") => here.clone(),
                Some("super") => here[..here.len().saturating_sub(1)].to_vec(),
                _ => continue,
            };
            while segs.peek().is_some_and(|s| s == "super") {
                segs.next();
                base.pop();
            }
            // The deepest module the path names; what follows is the item.
            let rest: Vec<String> = segs.collect();
            let mut target = base;
            let mut k = 0;
            while let Some(seg) = rest.get(k) {
                let mut deeper = target.clone();
                deeper.push(seg.clone());
                if !files.contains_key(&deeper) {
                    break;
                }
                target = deeper;
                k += 1;
            }
            // Its own children (and itself) a module may name freely.
            if target.starts_with(here) {
                continue;
            }
            let item = rest[k..].join("::");
            let name = if item.is_empty() {
                target.last().cloned().unwrap_or_default()
            } else {
                item
            };
            out.entry((here.clone(), target)).or_default().insert(name);
        }
    }
    out
}

/// Each group of two or more files that import each other in a circle, with the imports that
/// tie it; empty when there is none.
fn circles(krate: &str, edges: &Edges) -> String {
    let mut next: BTreeMap<&Module, BTreeSet<&Module>> = BTreeMap::new();
    for (from, to) in edges.keys() {
        next.entry(from).or_default().insert(to);
    }
    let reach = |start: &Module| -> BTreeSet<Module> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![start.clone()];
        while let Some(m) = todo.pop() {
            for n in next.get(&m).into_iter().flatten() {
                if seen.insert((*n).clone()) {
                    todo.push((*n).clone());
                }
            }
        }
        seen
    };
    let all: BTreeSet<&Module> = edges.keys().flat_map(|(a, b)| [a, b]).collect();
    let reaches: BTreeMap<&Module, BTreeSet<Module>> = all.iter().map(|m| (*m, reach(m))).collect();
    let mut done: BTreeSet<Module> = BTreeSet::new();
    let mut report = String::new();
    for m in &all {
        if done.contains(*m) || !reaches[m].contains(*m) {
            continue;
        }
        let group: BTreeSet<Module> = reaches[m]
            .iter()
            .filter(|o| reaches.get(o).is_some_and(|r| r.contains(*m)))
            .cloned()
            .collect();
        report.push_str(&format!("circle of {} modules in {krate}:\n", group.len()));
        for ((from, to), names) in edges {
            if group.contains(from) && group.contains(to) {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                report.push_str(&format!(
                    "  {} -> {}: {}\n",
                    file_of(from),
                    file_of(to),
                    names.join(", ")
                ));
            }
        }
        done.extend(group);
    }
    report
}

#[cfg(test)]
mod check_tests {
    use super::*;

    fn crate_of(files: &[(&str, &str)]) -> BTreeMap<Module, String> {
        files
            .iter()
            .map(|(m, code)| {
                let m: Module = m
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect();
                (m, without_tests(&code_only(code)))
            })
            .collect()
    }

    #[test]
    fn a_circle_through_use_groups_and_super_is_found() {
        let files = crate_of(&[
            ("", "pub mod a; pub mod b; pub mod c;"),
            ("a", "use crate::b::{self, Thing};"),
            ("b", "pub fn f() { super::c::g() }"),
            ("c", "use crate::{a::{Other as O}};"),
        ]);
        let report = circles("x", &edges(&files));
        assert!(report.starts_with("circle of 3 modules in x:"), "{report}");
        assert!(
            report.contains("crate::a -> crate::b: Thing, b"),
            "{report}"
        );
        assert!(report.contains("crate::b -> crate::c: g"), "{report}");
        assert!(report.contains("crate::c -> crate::a: Other"), "{report}");
    }

    #[test]
    fn function_lengths_count_from_fn_to_the_closing_brace() {
        let code = code_only(
            "trait T { fn decl(&self); }\nfn short() {}\nfn long(x: (u8, u8)) -> u8 {\n    let s = \"a\nb\";\n    { x.0 }\n}\n",
        );
        assert_eq!(
            functions(&code),
            [("short".to_string(), 1), ("long".to_string(), 5)]
        );
    }

    #[test]
    fn comments_strings_tests_and_children_are_not_imports() {
        let files = crate_of(&[
            ("", ""),
            ("a", "mod kid; fn f() { kid::go(); self::kid::go(); }"),
            (
                "a/kid",
                "// crate::b::X\nfn g() { let s = \"crate::b::Y\"; let r = r#\"super::b\"#; }",
            ),
            (
                "b",
                "use crate::a::f;\n#[cfg(test)]\nmod tests { use crate::a::kid::g; }",
            ),
        ]);
        let e = edges(&files);
        let pairs: Vec<String> = e
            .keys()
            .map(|(a, b)| format!("{} -> {}", file_of(a), file_of(b)))
            .collect();
        assert_eq!(pairs, ["crate::b -> crate::a"]);
        assert_eq!(circles("x", &e), "");
    }
}
