//! MkDocs `pymdownx.snippets`: `--8<-- "file"` lines (and `--8<--` blocks of file names)
//! replaced by the files they name, as that preprocessor does before any other extension
//! reads the page (so inside code blocks too), then each `auto_append` file added at the end.
//! A name may select lines (`file.md:3:5`, `file.md:3`, `file.md::5`, `1:3,7:9`) or a
//! section (`file.md:name`, between `--8<-- [start:name]` and `--8<-- [end:name]`); section
//! markers never show; included files are read for snippets of their own (four deep, never
//! one already open). `;--8<--` shows the line as written, without the `;`. Names are looked
//! up in each `base_path` (default the MkDocs project), then beside the page; URLs are left
//! out (they need `url_download`). The lines a snippet adds map back to its directive's line.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use super::{lines as split_lines, Context, Line, Problem, Snippets};

/// The marker every snippet directive starts with.
const MARK: &str = "--8<--";

/// Larger files are not included (a name pointing at a dump must not stall a build).
const MAX_SNIPPET: u64 = 4 << 20;

/// How deep snippets may include snippets.
const MAX_DEPTH: usize = 4;

/// The page's lines with its snippets expanded and the `auto_append` files after them.
pub(super) fn lines<'t>(
    body: &'t str,
    cx: &Context<'_>,
    cfg: &Snippets,
    problems: &mut Vec<Problem>,
) -> Vec<Line<'t>> {
    let mut run = Run {
        cx,
        cfg,
        problems,
        open: Vec::new(),
        out: Vec::new(),
    };
    let mut block: Option<String> = None;
    for (at, line) in split_lines(body) {
        let trimmed = line.trim_start();
        let indent = line
            .get(..line.len().saturating_sub(trimmed.len()))
            .unwrap_or("");
        let t = trimmed.trim_end();
        match (&block, directive(t)) {
            (Some(_), _) if t == MARK => block = None,
            (Some(pad), _) => {
                if !t.is_empty() && !t.starts_with(';') {
                    let pad = pad.clone();
                    run.include(t, &pad, at, 0);
                }
            }
            (None, Some(Directive::Block)) => block = Some(indent.to_string()),
            (None, Some(Directive::One(name))) => run.include(name, indent, at, 0),
            (None, Some(Directive::Escaped(rest))) => run.out.push(Line {
                at,
                text: Cow::Owned(format!("{indent}{rest}\n")),
                own: false,
            }),
            (None, None) => run.out.push(Line {
                at,
                text: Cow::Borrowed(line),
                own: true,
            }),
        }
    }
    for name in &cfg.auto_append {
        run.out.push(Line {
            at: body.len(),
            text: Cow::Borrowed("\n\n"),
            own: false,
        });
        run.include(name, "", body.len(), 0);
    }
    run.out
}

/// What a line (without its indentation) asks of the preprocessor.
#[derive(Debug, PartialEq)]
enum Directive<'l> {
    /// `--8<-- "name"`.
    One(&'l str),
    /// A lone `--8<--`: the lines up to the next one name files.
    Block,
    /// `;--8<-- …`: shown as written, without the `;`.
    Escaped(&'l str),
}

fn directive(t: &str) -> Option<Directive<'_>> {
    if let Some(rest) = t.strip_prefix(';').filter(|r| r.starts_with(MARK)) {
        return Some(Directive::Escaped(rest));
    }
    let rest = t.strip_prefix(MARK)?;
    if rest.is_empty() {
        return Some(Directive::Block);
    }
    let rest = rest.strip_prefix(char::is_whitespace)?.trim();
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let inner = rest.get(1..)?;
    let end = inner.find(quote)?;
    inner
        .get(end.saturating_add(1)..)
        .filter(|after| after.trim().is_empty())?;
    inner.get(..end).map(Directive::One)
}

/// One page's expansion in progress.
struct Run<'c, 't> {
    cx: &'c Context<'c>,
    cfg: &'c Snippets,
    problems: &'c mut Vec<Problem>,
    /// The files being included (a file never includes itself, however indirectly).
    open: Vec<PathBuf>,
    out: Vec<Line<'t>>,
}

impl Run<'_, '_> {
    /// Adds the lines `name` stands for, each after `indent`, all mapped to `at`.
    fn include(&mut self, name: &str, indent: &str, at: usize, depth: usize) {
        if name.contains("://") {
            return;
        }
        let (file, selector) = split_selector(name);
        let Some(path) = self.find(file) else {
            self.problems.push((at, format!(
                "snippet `{file}` is not a file in {} or beside the page, so `--8<--` adds nothing here; fix the name or `base_path` in mkdocs.yml",
                self.bases_shown()
            )));
            return;
        };
        if self.open.contains(&path) || depth >= MAX_DEPTH {
            return;
        }
        let text = match read(&path) {
            Ok(t) => t,
            Err(why) => {
                self.problems.push((
                    at,
                    format!("snippet `{file}` {why}, so `--8<--` adds nothing here"),
                ));
                return;
            }
        };
        self.open.push(path);
        for line in select(&text, selector) {
            let t = line.trim();
            if is_abbreviation(t) {
                continue;
            }
            match directive(t) {
                Some(Directive::One(inner)) => {
                    let pad = format!("{indent}{}", leading(line));
                    self.include(inner, &pad, at, depth.saturating_add(1));
                }
                _ => self.out.push(Line {
                    at,
                    text: Cow::Owned(format!("{indent}{}\n", line.trim_end_matches(['\n', '\r']))),
                    own: false,
                }),
            }
        }
        self.open.pop();
    }

    /// The file a snippet name means: in a base path (or a base path that is that file),
    /// else beside the page.
    fn find(&self, file: &str) -> Option<PathBuf> {
        let page_dir = self
            .cx
            .root
            .join(Path::new(self.cx.path).parent().unwrap_or(Path::new("")));
        self.cfg
            .base_paths
            .iter()
            .flat_map(|base| {
                let named = base
                    .file_name()
                    .is_some_and(|n| Path::new(file).file_name() == Some(n))
                    .then(|| base.clone());
                named.into_iter().chain([base.join(file)])
            })
            .chain([page_dir.join(file)])
            .find(|p| p.is_file())
    }

    fn bases_shown(&self) -> String {
        self.cfg
            .base_paths
            .iter()
            .map(|b| format!("`{}`", b.display()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// An `abbr` definition (`*[HTML]: Hyper Text Markup Language`): Material sites append a
/// glossary of them to every page (`auto_append`); Python-Markdown takes them out of the text,
/// so they are left out here rather than shown on every page.
fn is_abbreviation(t: &str) -> bool {
    t.strip_prefix("*[")
        .and_then(|r| r.split_once("]:"))
        .is_some_and(|(term, _)| !term.is_empty() && !term.contains(']'))
}

fn read(path: &Path) -> Result<String, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot be read ({e})"))?
        .len();
    if size > MAX_SNIPPET {
        return Err("is larger than 4 MiB".into());
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot be read as text ({e})"))
}

fn leading(line: &str) -> &str {
    let trimmed = line.trim_start();
    line.get(..line.len().saturating_sub(trimmed.len()))
        .unwrap_or("")
}

/// `file.md:3:5` as (`file.md`, `Some("3:5")`); a name without `:` selects the whole file.
fn split_selector(name: &str) -> (&str, Option<&str>) {
    // Only a `:` after the last `/` starts a selector (a Windows drive letter is a path).
    let from = name.rfind('/').map_or(0, |i| i.saturating_add(1));
    match name.get(from..).and_then(|tail| tail.find(':')) {
        Some(i) => {
            let at = from.saturating_add(i);
            (
                name.get(..at).unwrap_or(name),
                name.get(at.saturating_add(1)..),
            )
        }
        None => (name, None),
    }
}

/// The lines of `text` a selector names, section markers left out: line ranges
/// (`3:5`, `3`, `:5`, comma-separated, 1-based and inclusive) or a section name.
fn select<'t>(text: &'t str, selector: Option<&str>) -> Vec<&'t str> {
    let all: Vec<&str> = text.split_inclusive('\n').collect();
    let marker = |l: &str| {
        l.trim()
            .strip_prefix(MARK)
            .map(str::trim_start)
            .is_some_and(|r| r.starts_with("[start:") || r.starts_with("[end:"))
    };
    let Some(selector) = selector.filter(|s| !s.is_empty()) else {
        return all.into_iter().filter(|l| !marker(l)).collect();
    };
    let number = |s: &str| s.trim().parse::<usize>().ok();
    let numeric = selector
        .split([',', ':'])
        .all(|p| p.trim().is_empty() || number(p).is_some());
    if numeric {
        let mut out = Vec::new();
        for range in selector.split(',') {
            let mut parts = range.splitn(2, ':');
            let start = parts.next().and_then(number).unwrap_or(1).max(1);
            let end = parts.next().and_then(number).unwrap_or(all.len());
            let end = end.min(all.len());
            let slice = all.get(start.saturating_sub(1)..end).unwrap_or(&[]);
            out.extend(slice.iter().copied().filter(|l| !marker(l)));
        }
        return out;
    }
    let is = |l: &str, kind: &str| {
        l.trim()
            .strip_prefix(MARK)
            .map(str::trim)
            .is_some_and(|r| r == format!("[{kind}:{selector}]"))
    };
    let Some(open) = all.iter().position(|l| is(l, "start")) else {
        return Vec::new();
    };
    all.iter()
        .skip(open.saturating_add(1))
        .take_while(|l| !is(l, "end"))
        .copied()
        .filter(|l| !marker(l))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_selectors_and_sections() {
        assert_eq!(directive("--8<-- \"a.md\""), Some(Directive::One("a.md")));
        assert_eq!(
            directive("--8<-- 'b.md:2:3'"),
            Some(Directive::One("b.md:2:3"))
        );
        assert_eq!(directive("--8<--"), Some(Directive::Block));
        assert_eq!(
            directive(";--8<-- \"c.md\""),
            Some(Directive::Escaped("--8<-- \"c.md\""))
        );
        assert_eq!(directive("--8<-- unquoted"), None);
        assert_eq!(directive("prose --8<-- \"x\""), None);
        assert_eq!(split_selector("dir/a.md:2:3"), ("dir/a.md", Some("2:3")));
        assert_eq!(split_selector("C:/x/a.md"), ("C:/x/a.md", None));

        let text = "one\ntwo\n--8<-- [start:mid]\nthree\n--8<-- [end:mid]\nfour\n";
        assert_eq!(select(text, Some("mid")), ["three\n"]);
        assert_eq!(select(text, Some("1:2")), ["one\n", "two\n"]);
        assert_eq!(select(text, Some("6")), ["four\n"]);
        assert_eq!(select(text, Some(":1,6:6")), ["one\n", "four\n"]);
        assert_eq!(select(text, None), ["one\n", "two\n", "three\n", "four\n"]);
        assert!(select(text, Some("absent")).is_empty());
    }

    #[test]
    fn snippets_expand_nest_and_map_back_to_their_directive() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::create_dir_all(p.join("docs")).unwrap();
        std::fs::create_dir_all(p.join("parts")).unwrap();
        std::fs::write(
            p.join("parts/outer.md"),
            "Outer [link](gone.md).\n--8<-- \"inner.md\"\n",
        )
        .unwrap();
        std::fs::write(
            p.join("parts/inner.md"),
            "Inner words.\n--8<-- \"outer.md\"\n",
        )
        .unwrap();
        std::fs::write(
            p.join("parts/end.md"),
            "*[HTML]: Hyper Text Markup Language\n[ref]: https://example.com\n",
        )
        .unwrap();
        let cfg = Snippets {
            base_paths: vec![p.join("parts")],
            auto_append: vec!["end.md".into()],
        };
        let cx = Context {
            tool: super::super::Tool::MkDocs,
            root: &p.join("docs"),
            path: "page.md",
            snippets: Some(&cfg),
        };
        let body = "# Page\n\n!!! note\n    --8<-- \"outer.md\"\n\n--8<-- \"missing.md\"\nLast.\n";
        let mut problems = Vec::new();
        let e = super::super::expand(body, &cx, &mut problems).unwrap();
        // Inside the admonition, indented with it; the inner file's own `outer.md` is a loop.
        assert!(
            e.text.contains("Outer [link](gone.md).\nInner words.\n"),
            "{}",
            e.text
        );
        assert_eq!(e.text.matches("Outer").count(), 1, "{}", e.text);
        assert!(e.text.contains("da-admonition-note"), "{}", e.text);
        assert!(
            e.text.ends_with("[ref]: https://example.com\n"),
            "{}",
            e.text
        );
        assert!(
            !e.text.contains("Hyper Text"),
            "an appended abbreviation is not text: {}",
            e.text
        );
        // A link the snippet brings is reported at the directive's line.
        let directive = body.find("    --8<-- \"outer").unwrap();
        let link = e.text.find("[link]").unwrap();
        assert_eq!(e.source_offset(link), directive);
        assert_eq!(
            e.source_offset(e.text.find("Last.").unwrap()),
            body.find("Last.").unwrap()
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].0, body.find("--8<-- \"missing").unwrap());
        assert!(
            problems[0].1.contains("snippet `missing.md` is not a file"),
            "{problems:?}"
        );
    }
}
