//! Paths and methods as they are compared: every parameter spelling (`:id`, `{id}`, `<id>`,
//! `<int:id>`, `{id:[0-9]+}`, `*path`, `[id]`) is one parameter `{}` whatever its name, slashes
//! are collapsed and trimmed, a host and a query string are dropped, methods are upper case.

/// The method a route takes every method under.
pub const ANY: &str = "ANY";

/// Upper case, trimmed; `*`, `ALL`, `ANY` and an empty method mean any method ([`ANY`]).
pub fn method(m: &str) -> String {
    let m = m
        .trim()
        .trim_matches(|c| matches!(c, '`' | '"' | '\'' | '*'));
    let up = m.to_ascii_uppercase();
    match up.as_str() {
        "" | "ALL" | "ANY" | "USE" => ANY.to_string(),
        _ => up,
    }
}

/// True when a route under method `code` serves a request documented under method `doc`
/// (both normalised): equal, either is [`ANY`], or a documented `HEAD` served by `GET` (every
/// framework here answers HEAD with the GET handler).
pub fn methods_match(doc: &str, code: &str) -> bool {
    doc == code || doc == ANY || code == ANY || (doc == "HEAD" && code == "GET")
}

/// The comparable form of a route path: `/`-led, no empty segments, parameters as `{}`.
pub fn path(p: &str) -> String {
    let quote = |c: char| matches!(c, '`' | '"' | '\'');
    let mut p = p.trim().trim_matches(quote);
    if let Some(i) = p.find("://") {
        let rest = p.get(i.saturating_add(3)..).unwrap_or("");
        p = rest.find('/').and_then(|j| rest.get(j..)).unwrap_or("/");
    }
    // A `{id:[0-9]+}` or `(\\d+)` pattern may hold a `?`: cut only outside brackets.
    if let Some(&(i, _)) = top_level(p).iter().find(|(_, c)| matches!(c, '?' | '#')) {
        p = p.get(..i).unwrap_or(p);
    }
    let p = p.trim().trim_matches(quote);
    let mut out = String::with_capacity(p.len().saturating_add(1));
    for seg in split_segments(p) {
        let seg = segment(seg.trim().trim_matches(quote).trim());
        // Again after: a dropped `{$}` can leave a quote or a space at the segment's end.
        let seg = seg.trim().trim_matches(quote).trim();
        if seg.is_empty() {
            continue;
        }
        out.push('/');
        out.push_str(seg);
    }
    if out.is_empty() {
        out.push('/');
    }
    // Mismatched brackets (`[<]?`) can hide a `?` from the cut above; once the parameters are
    // replaced none can, so cutting again makes the result stable.
    if let Some(i) = out.find(['?', '#']) {
        return path(out.get(..i).unwrap_or(""));
    }
    out
}

/// The segments of a normalised path (none for `/`).
pub fn segments(norm: &str) -> impl Iterator<Item = &str> {
    norm.split('/').filter(|s| !s.is_empty())
}

/// The closing bracket of a group `c` opens: `{}`, `<>`, `[]` and a regex's `()`.
fn closer(c: char) -> Option<char> {
    match c {
        '{' => Some('}'),
        '<' => Some('>'),
        '[' => Some(']'),
        '(' => Some(')'),
        _ => None,
    }
}

/// The characters of `p` outside bracket groups, with their byte offsets. A group ends where
/// [`segment`] ends it ([`matching`]: its own closer, escapes skipped), so splitting, cutting and
/// replacing agree on what a parameter is: `[<]/` is the group `[<]` and a slash, not a `<`
/// left open that swallows the slash (which made normalising twice differ from once).
fn top_level(p: &str) -> Vec<(usize, char)> {
    let all: Vec<(usize, char)> = p.char_indices().collect();
    let chars: Vec<char> = all.iter().map(|&(_, c)| c).collect();
    let mut out = Vec::with_capacity(all.len());
    let mut i = 0usize;
    while let Some(&(at, c)) = all.get(i) {
        match closer(c) {
            Some(close) => i = matching(&chars, i, c, close).saturating_add(1),
            None => {
                out.push((at, c));
                i = i.saturating_add(1);
            }
        }
    }
    out
}

/// Splits on `/` outside brackets, so `{path:.*/x}` or `(\\d+/\\d+)` stays one segment.
fn split_segments(p: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in top_level(p) {
        if c == '/' {
            out.push(p.get(start..i).unwrap_or(""));
            start = i.saturating_add(1);
        }
    }
    out.push(p.get(start..).unwrap_or(""));
    out
}

/// One segment with each parameter replaced by `{}`.
fn segment(seg: &str) -> String {
    let chars: Vec<char> = seg.chars().collect();
    let mut out = String::with_capacity(seg.len());
    let mut i = 0usize;
    while let Some(&c) = chars.get(i) {
        // What came before as written out (a parameter already replaced ends in `}`).
        let prev_is_word = out.chars().next_back().is_some_and(is_name);
        match c {
            '{' | '<' | '[' => {
                let close = closer(c).unwrap_or(c);
                let end = matching(&chars, i, c, close);
                // A group left open runs to the end, its last character included.
                let stop = if chars.get(end) == Some(&close) {
                    end
                } else {
                    end.saturating_add(1)
                };
                let inner: String = chars
                    .get(i.saturating_add(1)..stop)
                    .unwrap_or(&[])
                    .iter()
                    .collect();
                // Go's `{$}` only anchors the end of a pattern: it is no parameter.
                if !(c == '{' && inner == "$") {
                    out.push_str("{}");
                }
                i = end.saturating_add(1);
            }
            ':' if !prev_is_word && chars.get(i.saturating_add(1)).is_some_and(|n| is_name(*n)) => {
                i = i.saturating_add(1);
                while chars.get(i).is_some_and(|n| is_name(*n)) {
                    i = i.saturating_add(1);
                }
                // Express/path-to-regexp: `:id(\\d+)`, then an optional `?`, `*` or `+`.
                if chars.get(i) == Some(&'(') {
                    i = matching(&chars, i, '(', ')').saturating_add(1);
                }
                if chars.get(i).is_some_and(|m| matches!(m, '?' | '*' | '+')) {
                    i = i.saturating_add(1);
                }
                out.push_str("{}");
            }
            '*' => {
                // `*`, `*path` (gin, Express 5), `**`: a wildcard is one parameter too.
                i = i.saturating_add(1);
                while chars.get(i).is_some_and(|n| is_name(*n) || *n == '*') {
                    i = i.saturating_add(1);
                }
                out.push_str("{}");
            }
            '(' => {
                // A bare regex group (`/(\\d+)`) matches a value like a parameter.
                i = matching(&chars, i, '(', ')').saturating_add(1);
                out.push_str("{}");
            }
            c => {
                out.push(c);
                i = i.saturating_add(1);
            }
        }
    }
    out
}

fn is_name(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The index of the bracket closing the one at `open_at`, or the last index if it never closes.
fn matching(chars: &[char], open_at: usize, open: char, close: char) -> usize {
    let mut depth = 0usize;
    let mut i = open_at;
    while let Some(&c) = chars.get(i) {
        if c == '\\' {
            i = i.saturating_add(2);
            continue;
        }
        if c == open {
            depth = depth.saturating_add(1);
        } else if c == close {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return i;
            }
        }
        i = i.saturating_add(1);
    }
    chars.len().saturating_sub(1).max(open_at)
}

/// Joins a mount prefix and a path below it, as routers do: one slash between them, the
/// prefix alone for an empty path.
pub fn join(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    let path = path.trim();
    let mut out = String::with_capacity(prefix.len().saturating_add(path.len()).saturating_add(2));
    if !prefix.is_empty() && !prefix.starts_with('/') {
        out.push('/');
    }
    out.push_str(prefix);
    if path.is_empty() || path == "/" {
        if out.is_empty() {
            out.push('/');
        }
        return out;
    }
    if !path.starts_with('/') {
        out.push('/');
    }
    out.push_str(path);
    out
}

/// True when normalised path `full` ends with the segments of normalised path `tail`.
pub fn ends_with(full: &str, tail: &str) -> bool {
    let f: Vec<&str> = segments(full).collect();
    let t: Vec<&str> = segments(tail).collect();
    t.len() <= f.len() && f.get(f.len().saturating_sub(t.len())..) == Some(&t[..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parameter_spellings_are_one_parameter() {
        for p in [
            "/users/:id",
            "/users/{id}",
            "/users/<id>",
            "/users/<int:id>",
            "/users/{id:[0-9]+}",
            "/users/{id...}",
            "/users/*",
            "/users/*rest",
            "/users/[id]",
            "/users/:id(\\d+)",
            "/users/:id?",
            "/users/{*path}",
            "users/{user_id}/",
            "//users//{x}//",
            "https://api.example.com/users/{id}?expand=1",
        ] {
            assert_eq!(path(p), "/users/{}", "{p}");
        }
        assert_eq!(path("/files/:name.:ext"), "/files/{}.{}");
        assert_eq!(path("/v1/items:batchGet"), "/v1/items:batchGet");
        assert_eq!(path("/a/{path:.*/x}/b"), "/a/{}/b");
        assert_eq!(path("/exact/{$}"), "/exact");
        assert_eq!(path(""), "/");
        assert_eq!(path("/"), "/");
        assert_eq!(path("`/api/v1/orders`"), "/api/v1/orders");
        assert_eq!(path("/Case/Kept"), "/Case/Kept");
    }

    /// Inputs the idempotence property once failed on (mismatched brackets around a slash or a
    /// `?`), and neighbours of them: normalising twice gives what normalising once did.
    #[test]
    fn mismatched_brackets_normalise_once_and_for_all() {
        assert_eq!(path("[<]/'"), "/{}");
        assert_eq!(path("/a/{$b"), "/a/{}");
        for s in [
            "[<]/'", "[<]?", "[<]/", "<[>/x", "{(}/a/", "(<)/b?c", "/a/[{]/b", "/\\[x]/y", "*a:¹",
            "$'/", "<a/b", "/x/(y/z", "[</]>/q", "౦\"{$A", "a\"{$}", "/a {$}/b",
        ] {
            let once = path(s);
            assert_eq!(path(&once), once, "{s:?}");
        }
    }

    #[test]
    fn methods() {
        assert_eq!(method(" get "), "GET");
        assert_eq!(method("*"), ANY);
        assert_eq!(method("all"), ANY);
        assert!(methods_match("HEAD", "GET"));
        assert!(methods_match("GET", ANY));
        assert!(methods_match(ANY, "DELETE"));
        assert!(!methods_match("GET", "POST"));
    }

    #[test]
    fn joining_and_suffixes() {
        assert_eq!(join("/api/", "/users"), "/api/users");
        assert_eq!(join("api", "users"), "/api/users");
        assert_eq!(join("/api", ""), "/api");
        assert_eq!(join("/api", "/"), "/api");
        assert_eq!(join("", ""), "/");
        assert_eq!(join("", "/x"), "/x");
        assert!(ends_with("/api/users/{}", "/users/{}"));
        assert!(ends_with("/api/users/{}", "/"));
        assert!(!ends_with("/api/users", "/api/users/{}"));
        assert!(!ends_with("/api/xusers", "/users"));
    }

    /// How a documentation or a framework spells a parameter named `n`.
    fn spell(style: u8, n: &str) -> String {
        match style % 9 {
            0 => format!(":{n}"),
            1 => format!("{{{n}}}"),
            2 => format!("<{n}>"),
            3 => format!("<int:{n}>"),
            4 => format!("{{{n}:[0-9]+}}"),
            5 => format!("{{{n}...}}"),
            6 => format!("*{n}"),
            7 => format!(":{n}(\\d+)"),
            _ => format!("[{n}]"),
        }
    }

    fn render(segs: &[(bool, String)], styles: &[u8], trailing: bool, doubled: bool) -> String {
        let mut s = String::new();
        for (i, (param, text)) in segs.iter().enumerate() {
            s.push('/');
            if doubled && i == 0 {
                s.push('/');
            }
            if *param {
                s.push_str(&spell(styles[i % styles.len()], text));
            } else {
                s.push_str(text);
            }
        }
        if trailing {
            s.push('/');
        }
        s
    }

    proptest! {
        /// A route documented with any parameter spelling (and any names) normalises to the
        /// code's route, whatever spelling the framework uses.
        #[test]
        fn any_parameter_spelling_matches(
            segs in proptest::collection::vec((any::<bool>(), "[a-z][a-z0-9_-]{0,8}"), 0..6),
            doc_styles in proptest::collection::vec(0u8..9, 1..6),
            code_styles in proptest::collection::vec(0u8..9, 1..6),
            renamed in "[a-z][a-z0-9]{0,5}",
            trailing in any::<bool>(),
            doubled in any::<bool>(),
        ) {
            let doc_segs: Vec<(bool, String)> = segs
                .iter()
                .map(|(p, t)| (*p, if *p { format!("{renamed}{t}").replace('-', "_") } else { t.clone() }))
                .collect();
            let code_segs: Vec<(bool, String)> = segs
                .iter()
                .map(|(p, t)| (*p, if *p { t.replace('-', "_") } else { t.clone() }))
                .collect();
            let doc = render(&doc_segs, &doc_styles, trailing, doubled);
            let code = render(&code_segs, &code_styles, false, false);
            prop_assert_eq!(path(&doc), path(&code), "{} vs {}", doc, code);
        }

        /// Normalising never panics and is idempotent on any text.
        #[test]
        fn normalising_is_idempotent(s in "\\PC{0,40}") {
            let once = path(&s);
            prop_assert_eq!(path(&once), once.clone());
        }
    }
}
