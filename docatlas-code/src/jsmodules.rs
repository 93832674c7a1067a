//! How a JavaScript/TypeScript import names a file of the project: relative specifiers
//! (`./users`, `../lib`), the workspace's own packages by their `package.json` name
//! (`@acme/shared`, `@acme/shared/events`), and `tsconfig.json` `paths` aliases (`@app/*`).
//! Built outputs (`dist/index.js`) are mapped back to their sources (`src/index.ts`), since the
//! tree holds sources only.

use std::collections::HashMap;

use crate::walk::FileSet;

/// The extensions an import without one may mean, in the order TypeScript tries them.
const EXTS: &[&str] = &["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"];

/// A workspace package: where it is and the entry points its `package.json` names.
#[derive(Debug, Clone)]
struct Package {
    root: usize,
    dir: String,
    entries: Vec<String>,
}

/// One `paths` pattern of a `tsconfig.json`.
#[derive(Debug, Clone)]
struct Alias {
    root: usize,
    /// The directory of the tsconfig (`compilerOptions.baseUrl` applied).
    base: String,
    pattern: String,
    targets: Vec<String>,
}

/// What the tree's `package.json` and `tsconfig.json` files say about module names.
#[derive(Debug, Clone, Default)]
pub(crate) struct JsModules {
    packages: HashMap<String, Package>,
    aliases: Vec<Alias>,
}

impl JsModules {
    /// Reads every `package.json` and `tsconfig*.json` under the roots.
    pub(crate) fn read(set: &FileSet) -> Self {
        let mut m = JsModules::default();
        for (root, rel) in &set.files {
            let name = rel.rsplit('/').next().unwrap_or(rel);
            let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
            let is_pkg = name == "package.json";
            let is_ts = name.starts_with("tsconfig") && name.ends_with(".json");
            if !is_pkg && !is_ts {
                continue;
            }
            let Some(text) = set.read(*root, rel) else {
                continue;
            };
            let Ok(json) = serde_json::from_str::<serde_json::Value>(&strip_json_comments(&text))
            else {
                continue;
            };
            if is_pkg {
                let Some(pkg) = json.get("name").and_then(|n| n.as_str()) else {
                    continue;
                };
                let mut entries = Vec::new();
                for key in ["source", "types", "typings", "module", "main"] {
                    if let Some(e) = json.get(key).and_then(|v| v.as_str()) {
                        entries.push(e.to_string());
                    }
                }
                if let Some(dot) = json.get("exports").map(|e| e.get(".").unwrap_or(e)) {
                    collect_strings(dot, &mut entries, 0);
                }
                m.packages.entry(pkg.to_string()).or_insert(Package {
                    root: *root,
                    dir: dir.to_string(),
                    entries,
                });
            } else {
                let opts = json.get("compilerOptions");
                let Some(paths) = opts
                    .and_then(|o| o.get("paths"))
                    .and_then(|p| p.as_object())
                else {
                    continue;
                };
                let base_url = opts
                    .and_then(|o| o.get("baseUrl"))
                    .and_then(|b| b.as_str())
                    .unwrap_or(".");
                let base = join_rel(dir, base_url).unwrap_or_default();
                for (pattern, targets) in paths {
                    let targets: Vec<String> = targets
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|t| t.as_str().map(String::from))
                                .collect()
                        })
                        .unwrap_or_default();
                    m.aliases.push(Alias {
                        root: *root,
                        base: base.clone(),
                        pattern: pattern.clone(),
                        targets,
                    });
                }
            }
        }
        m
    }

    /// The file `spec` names when imported from `from` (a path inside root `root`), trying
    /// `exists` for each candidate.
    pub(crate) fn resolve(
        &self,
        root: usize,
        from: &str,
        spec: &str,
        exists: impl Fn(usize, &str) -> Option<usize>,
    ) -> Option<usize> {
        let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
        if spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == ".." {
            return file(root, &join_rel(dir, spec)?, &exists);
        }
        // A workspace package, by the longest name that the specifier starts with.
        let mut best: Option<(&str, &Package)> = None;
        for (name, pkg) in &self.packages {
            let matches = spec == name
                || spec
                    .strip_prefix(name.as_str())
                    .is_some_and(|r| r.starts_with('/'));
            if matches && best.is_none_or(|(n, _)| name.len() > n.len()) {
                best = Some((name, pkg));
            }
        }
        if let Some((name, pkg)) = best {
            let sub = spec.get(name.len()..).unwrap_or("").trim_start_matches('/');
            let join = |p: &str| join_rel(&pkg.dir, p);
            if sub.is_empty() {
                for e in &pkg.entries {
                    let Some(path) = join(e) else { continue };
                    if let Some(f) = file(pkg.root, &path, &exists)
                        .or_else(|| file(pkg.root, &to_source(&pkg.dir, &path), &exists))
                    {
                        return Some(f);
                    }
                }
                for e in ["src/index", "index", "lib/index"] {
                    if let Some(f) = join(e).and_then(|p| file(pkg.root, &p, &exists)) {
                        return Some(f);
                    }
                }
            } else {
                for base in ["", "src/"] {
                    if let Some(f) =
                        join(&format!("{base}{sub}")).and_then(|p| file(pkg.root, &p, &exists))
                    {
                        return Some(f);
                    }
                }
            }
        }
        // tsconfig `paths`, the nearest tsconfig first.
        let mut aliases: Vec<&Alias> = self.aliases.iter().filter(|a| a.root == root).collect();
        aliases.sort_by_key(|a| std::cmp::Reverse(shared(&a.base, dir)));
        for a in aliases {
            let Some(star) = capture(&a.pattern, spec) else {
                continue;
            };
            for t in &a.targets {
                let target = t.replacen('*', star, 1);
                if let Some(f) = join_rel(&a.base, &target).and_then(|p| file(a.root, &p, &exists))
                {
                    return Some(f);
                }
            }
        }
        None
    }
}

/// The part of `spec` a `paths` pattern's `*` stands for (`""` for a pattern without one).
fn capture<'a>(pattern: &str, spec: &'a str) -> Option<&'a str> {
    match pattern.split_once('*') {
        None => (pattern == spec).then_some(""),
        Some((head, tail)) => {
            let rest = spec.strip_prefix(head)?;
            rest.strip_suffix(tail)
        }
    }
}

/// How many leading path segments two directories share.
fn shared(a: &str, b: &str) -> usize {
    a.split('/')
        .zip(b.split('/'))
        .take_while(|(x, y)| x == y)
        .count()
}

/// A source file `path` may mean: itself, with an extension, a `.js` written for a `.ts`, or
/// its folder's index.
fn file(root: usize, path: &str, exists: &impl Fn(usize, &str) -> Option<usize>) -> Option<usize> {
    let stem = ["js", "mjs", "cjs", "jsx"]
        .iter()
        .find_map(|e| path.strip_suffix(&format!(".{e}")))
        .unwrap_or(path);
    let stem = stem.strip_suffix(".d").unwrap_or(stem);
    if let Some(f) = exists(root, path) {
        return Some(f);
    }
    for base in [path, stem] {
        for e in EXTS {
            if let Some(f) = exists(root, &format!("{base}.{e}")) {
                return Some(f);
            }
        }
    }
    EXTS.iter()
        .find_map(|e| exists(root, &format!("{path}/index.{e}")))
}

/// `pkg/dist/cjs/index.js` → `pkg/src/index`: a built entry point's source.
fn to_source(dir: &str, path: &str) -> String {
    let inner = path
        .strip_prefix(dir)
        .unwrap_or(path)
        .trim_start_matches('/');
    let mut segs: Vec<&str> = inner.split('/').collect();
    // Drop the build folder and any format folder under it (`dist/cjs`, `lib/esm`).
    if segs
        .first()
        .is_some_and(|s| matches!(*s, "dist" | "lib" | "build" | "out"))
    {
        segs.remove(0);
        if segs
            .first()
            .is_some_and(|s| matches!(*s, "cjs" | "esm" | "es" | "umd" | "types" | "src"))
            && segs.len() > 1
        {
            segs.remove(0);
        }
    }
    let tail = segs.join("/");
    let tail = ["d.ts", "js", "mjs", "cjs"]
        .iter()
        .find_map(|e| tail.strip_suffix(&format!(".{e}")))
        .unwrap_or(&tail)
        .to_string();
    if dir.is_empty() {
        format!("src/{tail}")
    } else {
        format!("{dir}/src/{tail}")
    }
}

/// Every string in an `exports` condition object, depth first.
fn collect_strings(v: &serde_json::Value, out: &mut Vec<String>, depth: usize) {
    if depth > 4 {
        return;
    }
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Object(m) => {
            for (_, x) in m {
                collect_strings(x, out, depth.saturating_add(1));
            }
        }
        _ => {}
    }
}

/// JSON with `//` and `/* */` comments and trailing commas (tsconfig's dialect) as plain JSON.
fn strip_json_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut prev = ' ';
                for n in chars.by_ref() {
                    if prev == '*' && n == '/' {
                        break;
                    }
                    prev = n;
                }
            }
            (',', _) => {
                // A trailing comma: the next non-space character closes the object or array.
                let rest: String = chars.clone().take_while(|x| x.is_whitespace()).collect();
                let next = chars.clone().nth(rest.chars().count());
                if !matches!(next, Some('}' | ']')) {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// `dir` joined with a relative specifier, `..` resolved; `None` if it leaves the root.
pub(crate) fn join_rel(dir: &str, spec: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in spec.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_joins() {
        assert_eq!(join_rel("src/routes", "../app").as_deref(), Some("src/app"));
        assert_eq!(join_rel("src", "./users").as_deref(), Some("src/users"));
        assert_eq!(join_rel("", "../x"), None);
    }

    #[test]
    fn tsconfig_dialect() {
        let t = "{\n // a comment\n \"a\": [1, 2,], /* b */ \"c\": \"//not a comment\",\n}";
        let v: serde_json::Value = serde_json::from_str(&strip_json_comments(t)).unwrap();
        assert_eq!(v["c"], "//not a comment");
        assert_eq!(v["a"][1], 2);
    }

    #[test]
    fn built_entries_map_to_sources() {
        assert_eq!(
            to_source("packages/shared", "packages/shared/dist/cjs/index.js"),
            "packages/shared/src/index"
        );
        assert_eq!(to_source("", "lib/index.d.ts"), "src/index");
        assert_eq!(capture("@app/*", "@app/users/x"), Some("users/x"));
        assert_eq!(capture("@app", "@app"), Some(""));
        assert_eq!(capture("@app/*", "@other/x"), None);
    }
}
