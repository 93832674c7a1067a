//! Each tool's syntax beyond CommonMark, rewritten into the Markdown and HTML both Markdown
//! passes read, before they run: mdBook's `{{#include}}`, `{{#rustdoc_include}}` and
//! `{{#playground}}` (expanded from the files they name) and hidden `# ` lines of Rust blocks;
//! MkDocs admonitions (`!!! note`, collapsible `???` / `???+`) and content tabs (`=== "Tab"`),
//! whose indented content would otherwise be a code block; Docusaurus admonitions (`:::tip`),
//! MDX `import` / `export` blocks and comments (dropped), and JSX tags (`<Tabs>`, `<TabItem>`
//! become panels, other components are dropped and their content kept); MkDocs
//! `pymdownx.snippets` includes (`--8<-- "file"`, its `auto_append`) first, as that
//! preprocessor runs before every other extension ([`snippets`]).
//!
//! The result keeps a map back to the source ([`Expanded::source_offset`]), so every
//! diagnostic still names the line the author wrote (an included file's lines name the
//! directive's).

mod snippets;

use std::borrow::Cow;
use std::path::Path;

use super::dialect::{Snippets, Tool};

/// A page body after its dialect's syntax is rewritten.
#[derive(Debug, Clone, Default)]
pub struct Expanded {
    /// The rewritten body.
    pub text: String,
    /// Segments of `text` in order: (start in `text`, start in the source, copied). A copied
    /// segment maps byte for byte; an inserted one maps every byte to its source start.
    map: Vec<(usize, usize, bool)>,
}

impl Expanded {
    /// The source offset of byte `at` of [`Expanded::text`].
    pub fn source_offset(&self, at: usize) -> usize {
        let i = self.map.partition_point(|s| s.0 <= at);
        match i.checked_sub(1).and_then(|i| self.map.get(i)) {
            Some(&(out, src, true)) => src.saturating_add(at.saturating_sub(out)),
            Some(&(_, src, false)) => src,
            None => at,
        }
    }

    fn copy(&mut self, src: usize, s: &str) {
        self.map.push((self.text.len(), src, true));
        self.text.push_str(s);
    }

    fn insert(&mut self, src: usize, s: &str) {
        self.map.push((self.text.len(), src, false));
        self.text.push_str(s);
    }
}

/// What the rewrite needs to know about the page.
pub struct Context<'a> {
    /// The dialect.
    pub tool: Tool,
    /// The docs folder.
    pub root: &'a Path,
    /// The page, docs-relative.
    pub path: &'a str,
    /// MkDocs: `pymdownx.snippets`' settings, when `mkdocs.yml` enables it.
    pub snippets: Option<&'a Snippets>,
}

/// Whether reading a page of this dialect may read other files whatever the page says
/// (`pymdownx.snippets`' `auto_append`).
pub fn appends_files(snippets: Option<&Snippets>) -> bool {
    snippets.is_some_and(|s| !s.auto_append.is_empty())
}

/// A problem found while rewriting, at a source offset.
pub type Problem = (usize, String);

/// The body rewritten for its dialect, or `None` when nothing needed rewriting.
pub fn expand(body: &str, cx: &Context<'_>, problems: &mut Vec<Problem>) -> Option<Expanded> {
    let mut out = Expanded::default();
    match cx.tool {
        Tool::Plain => return None,
        Tool::MdBook => {
            if !body.contains("{{#") && !body.contains("```rust") {
                return None;
            }
            mdbook(body, cx, &mut out, problems);
        }
        Tool::MkDocs => {
            let snippets = cx
                .snippets
                .filter(|s| body.contains("--8<--") || appends_files(Some(s)));
            let blocks = ["!!!", "???", "==="].iter().any(|m| body.contains(m));
            let lines = match snippets {
                Some(s) => snippets::lines(body, cx, s, problems),
                None if blocks => own_lines(body),
                None => return None,
            };
            mkdocs(&lines, body.len(), &mut out);
        }
        Tool::Docusaurus => docusaurus(body, Some(cx), &mut out),
    }
    (out.text != body).then_some(out)
}

/// Lines of `text` with their byte offsets, each with its line break.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0usize;
    text.split_inclusive('\n').map(move |l| {
        let start = at;
        at = at.saturating_add(l.len());
        (start, l)
    })
}

/// A line the MkDocs rewrite reads: the page's own (copied from `at`), or one a snippet put
/// there (inserted at its directive's `at`).
struct Line<'t> {
    at: usize,
    text: Cow<'t, str>,
    own: bool,
}

/// The page's own lines.
fn own_lines(body: &str) -> Vec<Line<'_>> {
    lines(body)
        .map(|(at, l)| Line {
            at,
            text: Cow::Borrowed(l),
            own: true,
        })
        .collect()
}

/// Tracks fenced code blocks line by line.
#[derive(Default)]
struct Fence {
    /// The open fence's character, length and info string.
    open: Option<(char, usize, String)>,
}

impl Fence {
    /// Feeds a line (without its indentation); true when the line opens or closes a fence or
    /// lies inside one.
    fn line(&mut self, trimmed: &str) -> bool {
        let c = trimmed.chars().next().unwrap_or(' ');
        let run = trimmed.chars().take_while(|&x| x == c).count();
        match &self.open {
            Some((fc, len, _)) => {
                if c == *fc && run >= *len && trimmed.get(run..).unwrap_or("").trim().is_empty() {
                    self.open = None;
                }
                true
            }
            None if (c == '`' || c == '~') && run >= 3 => {
                let info = trimmed.get(run..).unwrap_or("").trim().to_string();
                self.open = Some((c, run, info));
                true
            }
            None => false,
        }
    }

    /// Inside a Rust block (mdBook hides its `# ` lines).
    fn in_rust(&self) -> bool {
        self.open.as_ref().is_some_and(|(_, _, info)| {
            info.split([',', ' ', '{'])
                .next()
                .is_some_and(|l| l == "rust")
        })
    }
}

fn mdbook(body: &str, cx: &Context<'_>, out: &mut Expanded, problems: &mut Vec<Problem>) {
    let mut fence = Fence::default();
    for (at, line) in lines(body) {
        let trimmed = line.trim_start();
        let was_rust = fence.in_rust();
        let fence_line = fence.line(trimmed);
        let t = trimmed.trim_end();
        // Hidden lines of a Rust block (`# use std::io;`, a lone `#`); `##` shows one `#`.
        if was_rust && fence.in_rust() && (t == "#" || t.starts_with("# ")) {
            continue;
        }
        if !fence_line && !line.contains("{{#") {
            out.copy(at, line);
            continue;
        }
        let mut rest = line;
        let mut pos = at;
        while let Some(i) = rest.find("{{#") {
            let Some(end) = rest.get(i..).and_then(|r| r.find("}}")) else {
                break;
            };
            let end = i.saturating_add(end);
            let directive = rest.get(i.saturating_add(3)..end).unwrap_or("");
            let here = pos.saturating_add(i);
            let escaped = i > 0 && rest.get(i.saturating_sub(1)..i) == Some("\\");
            if escaped {
                // `\{{#include x}}` shows the directive as written, without the backslash.
                out.copy(pos, rest.get(..i.saturating_sub(1)).unwrap_or(""));
                out.copy(here, rest.get(i..end.saturating_add(2)).unwrap_or(""));
            } else {
                out.copy(pos, rest.get(..i).unwrap_or(""));
                match include(directive, cx) {
                    Some(Ok(text)) => out.insert(here, &text),
                    Some(Err(why)) => {
                        problems.push((here, why));
                        out.copy(here, rest.get(i..end.saturating_add(2)).unwrap_or(""));
                    }
                    None => out.copy(here, rest.get(i..end.saturating_add(2)).unwrap_or("")),
                }
            }
            let next = end.saturating_add(2);
            pos = pos.saturating_add(next);
            rest = rest.get(next..).unwrap_or("");
        }
        out.copy(pos, rest);
    }
}

/// The text an mdBook directive stands for (`include file.rs:anchor`, `rustdoc_include`,
/// `playground`, `title`), or why it cannot be read; `None` for what mdBook leaves as written
/// (another tool's `{{#each}}`, an `{{#include}}` naming no file).
fn include(directive: &str, cx: &Context<'_>) -> Option<Result<String, String>> {
    /// Larger files are not included (a directive naming a device or a dump must not stall).
    const MAX_INCLUDE: u64 = 4 << 20;
    let directive = directive.trim();
    let (name, arg) = directive
        .split_once(char::is_whitespace)
        .unwrap_or((directive, ""));
    let arg = arg.trim();
    if name == "title" {
        return Some(Ok(String::new()));
    }
    if !matches!(name, "include" | "rustdoc_include" | "playground") || arg.is_empty() {
        return None;
    }
    let file_arg = arg.split_whitespace().next().unwrap_or("");
    let (file, range) = match file_arg.split_once(':') {
        Some((f, r)) => (f, Some(r)),
        None => (file_arg, None),
    };
    let dir = Path::new(cx.path).parent().unwrap_or(Path::new(""));
    // Relative to the chapter, as mdBook reads it (a book's listings often sit beside `src/`).
    let full = cx.root.join(dir).join(file);
    let size = std::fs::metadata(&full)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    let Some(size) = size else {
        return Some(Err(format!(
            "`{{{{#{name} {file}}}}}`: `{file}` is not a file (looked at {}), so the directive is shown as written; fix the path",
            full.display()
        )));
    };
    if size > MAX_INCLUDE {
        return Some(Err(format!(
            "`{{{{#{name} {file}}}}}`: `{file}` is larger than 4 MiB, so it is not included"
        )));
    }
    let text = match std::fs::read_to_string(&full) {
        Ok(t) => t,
        Err(e) => {
            return Some(Err(format!(
                "`{{{{#{name} {file}}}}}` cannot be read ({e}), so it is shown as written"
            )))
        }
    };
    let lines = select(&text, range);
    Some(Ok(if name == "playground" {
        format!("```rust\n{lines}```\n")
    } else {
        lines
    }))
}

/// The lines of an included file a range names: `:anchor` (between `ANCHOR: anchor` and
/// `ANCHOR_END: anchor`), `:N`, `:N:M`, `:N:`, `::M`; anchor lines themselves never show.
fn select(text: &str, range: Option<&str>) -> String {
    let all: Vec<&str> = text.split_inclusive('\n').collect();
    let is_marker = |l: &str| l.contains("ANCHOR:") || l.contains("ANCHOR_END:");
    let keep = |ls: &[&str]| -> String {
        let mut s: String = ls.iter().filter(|l| !is_marker(l)).copied().collect();
        if !s.is_empty() && !s.ends_with('\n') {
            s.push('\n');
        }
        s
    };
    let Some(range) = range.filter(|r| !r.is_empty()) else {
        return keep(&all);
    };
    let number = |s: &str| s.trim().parse::<usize>().ok();
    let mut parts = range.splitn(2, ':');
    let a = parts.next().unwrap_or("");
    let b = parts.next();
    if a.is_empty() || number(a).is_some() {
        let start = number(a).map_or(0, |n| n.saturating_sub(1));
        let end = match b {
            None => start.saturating_add(1),
            Some(b) => number(b).unwrap_or(all.len()),
        };
        return keep(all.get(start..end.min(all.len())).unwrap_or(&[]));
    }
    let open = all
        .iter()
        .position(|l| l.split_once("ANCHOR:").is_some_and(|(_, n)| n.trim() == a));
    match open {
        Some(i) => {
            let from = i.saturating_add(1);
            let close = all
                .iter()
                .skip(from)
                .position(|l| {
                    l.split_once("ANCHOR_END:")
                        .is_some_and(|(_, n)| n.trim() == a)
                })
                .map_or(all.len(), |j| from.saturating_add(j));
            keep(all.get(from..close).unwrap_or(&[]))
        }
        None => keep(&all),
    }
}

/// Columns of leading whitespace (a tab is four).
fn indent(line: &str) -> usize {
    line.chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .map(|c| if c == '\t' { 4 } else { 1 })
        .fold(0, usize::saturating_add)
}

/// `line` with `cols` columns of leading whitespace removed (as many as it has).
fn dedent(line: &str, cols: usize) -> &str {
    let mut taken = 0usize;
    let mut bytes = 0usize;
    for c in line.chars() {
        if taken >= cols || !(c == ' ' || c == '\t') {
            break;
        }
        taken = taken.saturating_add(if c == '\t' { 4 } else { 1 });
        bytes = bytes.saturating_add(1);
    }
    line.get(bytes..).unwrap_or(line)
}

/// The quoted title of a marker line's rest (`note "Heads up"`), if any.
fn quoted(rest: &str) -> Option<&str> {
    let a = rest.find('"')?;
    let inner = rest.get(a.saturating_add(1)..)?;
    inner.get(..inner.rfind('"')?)
}

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    super::markdown::escape(s)
}

/// Capitalises an admonition type for its default title (`warning` → `Warning`).
fn title_case(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The opening HTML of a MkDocs block marker (`!!! note "T"`, `??? tip`, `???+ x`, `=== "Tab"`).
/// A tab's id is its heading's slug and its own, as `pymdownx.tabbed` with
/// `combine_header_slug` makes it (`install--macos`).
fn mkdocs_open(marker: &str, heading: &str) -> Option<(String, &'static str)> {
    let t = marker.trim_end();
    if let Some(rest) = t
        .strip_prefix("=== ")
        .or_else(|| t.strip_prefix("===! "))
        .or_else(|| t.strip_prefix("===+ "))
    {
        let label = quoted(rest)?;
        let tab = super::markdown::python_slug(label);
        let id = if heading.is_empty() {
            tab
        } else {
            format!("{heading}--{tab}")
        };
        return Some((
            format!(
                "<div class=\"da-tab\" id=\"{}\">\n<p class=\"da-tab-label\">{}</p>\n\n",
                esc(&id),
                esc(label)
            ),
            "</div>",
        ));
    }
    let (rest, open) = if let Some(r) = t.strip_prefix("!!! ") {
        (r, None)
    } else if let Some(r) = t.strip_prefix("???+ ") {
        (r, Some(true))
    } else if let Some(r) = t.strip_prefix("??? ") {
        (r, Some(false))
    } else {
        return None;
    };
    let kind: String = rest
        .split_whitespace()
        .next()
        .filter(|k| !k.starts_with('"'))?
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let title = quoted(rest).map_or_else(|| title_case(&kind), str::to_string);
    Some(admonition(&kind, &title, open))
}

/// A box's opening HTML and its closing tag; `open` makes it collapsible (`<details>`).
fn admonition(kind: &str, title: &str, open: Option<bool>) -> (String, &'static str) {
    let kind = esc(kind);
    let title_html = if title.is_empty() {
        String::new()
    } else {
        format!("<p class=\"da-admonition-title\">{}</p>\n", esc(title))
    };
    match open {
        None => (
            format!("<div class=\"da-admonition da-admonition-{kind}\">\n{title_html}\n"),
            "</div>",
        ),
        Some(o) => (
            format!(
                "<details class=\"da-admonition da-admonition-{kind}\"{}>\n<summary>{}</summary>\n\n",
                if o { " open" } else { "" },
                esc(if title.is_empty() { kind.as_str() } else { title })
            ),
            "</details>",
        ),
    }
}

/// `end` is the body's length, where blocks still open at the end close.
fn mkdocs(source: &[Line<'_>], end: usize, out: &mut Expanded) {
    // Open blocks: the column their content starts at and their closing tag.
    let mut stack: Vec<(usize, &'static str)> = Vec::new();
    let mut fence = Fence::default();
    let mut heading = String::new();
    for l in source {
        let (at, line) = (l.at, l.text.as_ref());
        let blank = line.trim().is_empty();
        let col = indent(line);
        if !blank && fence.open.is_none() {
            while stack.last().is_some_and(|(c, _)| col < *c) {
                if let Some((c, close)) = stack.pop() {
                    let pad = " ".repeat(
                        c.saturating_sub(4)
                            .saturating_sub(stack.len().saturating_mul(4)),
                    );
                    out.insert(at, &format!("\n{pad}{close}\n\n"));
                }
            }
        }
        let depth = stack.len();
        let shown = if blank {
            line
        } else {
            dedent(line, depth.saturating_mul(4))
        };
        let trimmed = shown.trim_start();
        if fence.open.is_none() && !blank {
            if trimmed.starts_with('#') {
                heading = heading_slug(trimmed);
            }
            if let Some((html, close)) = mkdocs_open(trimmed, &heading) {
                let pad = " ".repeat(indent(shown));
                out.insert(
                    at,
                    &format!("\n{pad}{}", html.replace('\n', &format!("\n{pad}"))),
                );
                stack.push((col.saturating_add(4), close));
                continue;
            }
        }
        if !blank {
            fence.line(trimmed);
        }
        if l.own {
            out.copy(
                at.saturating_add(line.len().saturating_sub(shown.len())),
                shown,
            );
        } else {
            out.insert(at, shown);
        }
    }
    while let Some((_, close)) = stack.pop() {
        out.insert(end, &format!("\n{close}\n"));
    }
}

/// The slug of an ATX heading line as Python-Markdown makes it (its `{ #id }` if it has one).
fn heading_slug(line: &str) -> String {
    let text = line
        .trim_start_matches('#')
        .trim()
        .trim_end_matches('#')
        .trim();
    if let Some((before, attrs)) = text.rsplit_once('{') {
        let attrs = attrs.trim_end_matches('}');
        for t in attrs.split_whitespace() {
            if let Some(id) = t.strip_prefix('#').or_else(|| t.strip_prefix("id=")) {
                return id.trim_matches(['"', '\'']).to_string();
            }
        }
        return super::markdown::python_slug(before);
    }
    super::markdown::python_slug(text)
}

/// `cx` is `None` inside a partial: its own partials stay out (no import loops).
fn docusaurus(body: &str, cx: Option<&Context<'_>>, out: &mut Expanded) {
    let mut fence = Fence::default();
    let mut closers: Vec<(usize, &'static str)> = Vec::new();
    let mut in_esm = false;
    // The ESM block being read: its statements may span lines or share one.
    let mut esm = String::new();
    // Markdown files imported as components (`import Steps from './_steps.mdx';`).
    let mut partials: Vec<(String, String)> = Vec::new();
    for (at, line) in lines(body) {
        let trimmed = line.trim_start();
        let t = trimmed.trim_end();
        if in_esm {
            in_esm = !t.is_empty();
            esm.push_str(line);
            if in_esm {
                continue;
            }
        }
        if !esm.is_empty() {
            partials.extend(partial_imports(&esm));
            if let Some(cx) = cx {
                partials.extend(component_imports(&esm, cx));
            }
            esm.clear();
            if t.is_empty() {
                continue;
            }
        }
        if fence.line(trimmed) {
            out.copy(at, line);
            continue;
        }
        // MDX's ESM: `import`/`export` at the start of a line, up to the next blank line.
        if (line.starts_with("import ") || line.starts_with("export ")) && closers.is_empty() {
            in_esm = true;
            esm.push_str(line);
            continue;
        }
        if let Some(text) = cx.and_then(|cx| partial_use(t, &partials, cx)) {
            out.insert(at, &text);
            continue;
        }
        if let Some(html) = docusaurus_line(t, &mut closers) {
            out.insert(at, &html);
            continue;
        }
        if t.contains("{/*") {
            out.insert(at, &strip_jsx_comments(line));
            continue;
        }
        out.copy(at, line);
    }
}

/// Each `import Name from './_file.mdx'` of a Markdown file in an ESM block, however the
/// statements are laid out (several on a line, one over two lines, as Prettier leaves them),
/// with the specifier's JS escapes undone (`'./\_file.md'` is `./_file.md`): (`Name`,
/// `./_file.mdx`).
fn partial_imports(esm: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    for (at, _) in esm.match_indices("import") {
        let before = esm.get(..at).and_then(|b| b.chars().next_back());
        if before.is_some_and(word) {
            continue;
        }
        let rest = esm.get(at.saturating_add(6)..).unwrap_or("");
        let Some(rest) = rest.strip_prefix(char::is_whitespace).map(str::trim_start) else {
            continue;
        };
        let name_len = rest
            .len()
            .saturating_sub(rest.trim_start_matches(word).len());
        let (name, rest) = rest.split_at(name_len);
        let Some(rest) = rest.trim_start().strip_prefix("from") else {
            continue;
        };
        if let Some(from) = js_string(rest.trim_start()) {
            let markdown = [".md", ".mdx"].iter().any(|e| from.ends_with(e));
            if markdown && !name.is_empty() {
                out.push((name.to_string(), from));
            }
        }
    }
    out
}

/// Components a page imports by name from a JS module of the docs folder that renders a
/// Markdown file and nothing else (`import {IOS} from './_components';` where
/// `_components.jsx` has `import IOSContent from './ios.md';` and
/// `export function IOS() { return <IOSContent />; }`): (`IOS`, the Markdown file as the page
/// would import it), so the page reads that file where it uses the component, as Docusaurus
/// renders it.
fn component_imports(esm: &str, cx: &Context<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (at, _) in esm.match_indices("import {") {
        let rest = esm.get(at.saturating_add(8)..).unwrap_or("");
        let Some((names, rest)) = rest.split_once('}') else {
            continue;
        };
        let Some(spec) = rest
            .trim_start()
            .strip_prefix("from")
            .and_then(|r| js_string(r.trim_start()))
        else {
            continue;
        };
        if !spec.starts_with('.') {
            continue;
        }
        let page_dir = Path::new(cx.path).parent().unwrap_or(Path::new(""));
        let module = ["", ".jsx", ".tsx", ".js", ".ts"]
            .iter()
            .map(|ext| cx.root.join(page_dir).join(format!("{spec}{ext}")))
            .find(|p| p.is_file());
        let Some(text) = module.and_then(|m| std::fs::read_to_string(m).ok()) else {
            continue;
        };
        let module_dir = spec.rsplit_once('/').map_or(".", |(d, _)| d);
        let inner = partial_imports(&text);
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let Some(body) = text
                .split_once(&format!("function {name}("))
                .map(|(_, b)| b.split("function ").next().unwrap_or(b))
            else {
                continue;
            };
            let used = inner.iter().find(|(n, _)| {
                body.contains(&format!("<{n} />")) || body.contains(&format!("<{n}/>"))
            });
            if let Some((_, file)) = used {
                out.push((
                    name.to_string(),
                    format!("{module_dir}/{}", file.trim_start_matches("./")),
                ));
            }
        }
    }
    out
}

/// The value of the JS string literal `text` starts with (`'./\_x.md'` is `./_x.md`).
fn js_string(text: &str) -> Option<String> {
    let mut chars = text.chars();
    let quote = chars.next().filter(|c| matches!(c, '\'' | '"'))?;
    let mut out = String::new();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c if c == quote => return Some(out),
            '\n' => return None,
            c => out.push(c),
        }
    }
    None
}

/// The text of an imported Markdown file where a line uses it (`<Steps />`), as Docusaurus
/// renders it into the page; its own imports and JSX rewritten the same way.
fn partial_use(line: &str, partials: &[(String, String)], cx: &Context<'_>) -> Option<String> {
    let name = line
        .strip_prefix('<')?
        .strip_suffix("/>")?
        .split_whitespace()
        .next()?;
    let (_, from) = partials.iter().find(|(n, _)| n == name)?;
    let dir = Path::new(cx.path).parent().unwrap_or(Path::new(""));
    let text = std::fs::read_to_string(cx.root.join(dir).join(from)).ok()?;
    let body = match super::frontmatter::split(&text) {
        Ok(Some(split)) => text.get(split.body..).unwrap_or_default(),
        _ => text.as_str(),
    };
    let mut inner = Expanded::default();
    docusaurus(body, None, &mut inner);
    let partial = super::paths::resolve(cx.path, from);
    let partial = match partial {
        super::paths::Target::Path { path, .. } => path,
        _ => return Some(format!("\n{}\n", inner.text)),
    };
    Some(format!("\n{}\n", rebase_file_links(&inner.text, &partial)))
}

/// `text` of the file at `file` (docs-relative) with its relative links to Markdown files
/// made absolute from the docs root, as they resolve from that file: Docusaurus reads a
/// partial's file links from the partial, wherever it is used.
fn rebase_file_links(text: &str, file: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        let (head, tail) = rest.split_at(i.saturating_add(2));
        out.push_str(head);
        let end = tail.find([')', ' ']).unwrap_or(tail.len());
        let dest = tail.get(..end).unwrap_or("");
        let path_part = dest.split('#').next().unwrap_or("");
        let markdown = path_part.ends_with(".md") || path_part.ends_with(".mdx");
        let relative = !dest.starts_with('/') && !dest.contains("://");
        match super::paths::resolve(file, dest) {
            super::paths::Target::Path { path, anchor } if markdown && relative => {
                out.push('/');
                out.push_str(&path);
                if let Some(a) = anchor {
                    out.push('#');
                    out.push_str(&a);
                }
            }
            _ => out.push_str(dest),
        }
        rest = tail.get(end..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// The HTML a Docusaurus admonition fence or a JSX tag line stands for (`""` drops the line).
fn docusaurus_line(t: &str, closers: &mut Vec<(usize, &'static str)>) -> Option<String> {
    let colons = t.chars().take_while(|&c| c == ':').count();
    if colons >= 3 {
        let rest = t.get(colons..).unwrap_or("").trim();
        if rest.is_empty() {
            let i = closers.iter().rposition(|(n, _)| *n == colons)?;
            let (_, close) = closers.remove(i);
            return Some(format!("\n{close}\n\n"));
        }
        let kind: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if kind.is_empty() {
            return None;
        }
        let after = rest.get(kind.len()..).unwrap_or("").trim();
        let title = after
            .strip_prefix('[')
            .and_then(|a| a.strip_suffix(']'))
            .unwrap_or(after)
            .trim()
            .to_string();
        let title = if title.is_empty() {
            title_case(&kind)
        } else {
            title
        };
        let (html, close) = admonition(&kind, &title, None);
        closers.push((colons, close));
        return Some(format!("\n{html}"));
    }
    if !t.starts_with('<') || !t.ends_with('>') || t.starts_with("<!--") {
        return None;
    }
    let closing = t.starts_with("</");
    let name: String = t
        .trim_start_matches(['<', '/'])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_uppercase()) || t.matches('<').count() > 1 {
        return None;
    }
    Some(match (name.as_str(), closing) {
        ("Tabs", false) => "\n<div class=\"da-tabs\">\n\n".into(),
        ("TabItem", false) => {
            let label = attr(t, "label")
                .or_else(|| attr(t, "value"))
                .unwrap_or_default();
            format!(
                "\n<div class=\"da-tab\">\n<p class=\"da-tab-label\">{}</p>\n\n",
                esc(&label)
            )
        }
        ("Tabs" | "TabItem", true) => "\n</div>\n\n".into(),
        _ => "\n".into(),
    })
}

/// A JSX attribute's string value (`label="Android"`).
fn attr(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}="))?;
    let rest = tag.get(at.saturating_add(name.len()).saturating_add(1)..)?;
    let q = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = rest.get(1..)?;
    Some(inner.get(..inner.find(q)?)?.to_string())
}

/// A line without its `{/* … */}` comments.
fn strip_jsx_comments(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(a) = rest.find("{/*") {
        out.push_str(rest.get(..a).unwrap_or(""));
        match rest.get(a..).and_then(|r| r.find("*/}")) {
            Some(b) => {
                rest = rest
                    .get(a.saturating_add(b).saturating_add(3)..)
                    .unwrap_or("")
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(tool: Tool, body: &str) -> Expanded {
        let cx = Context {
            tool,
            root: Path::new("/nonexistent"),
            path: "a.md",
            snippets: None,
        };
        expand(body, &cx, &mut Vec::new()).unwrap_or_else(|| Expanded {
            text: body.to_string(),
            map: Vec::new(),
        })
    }

    #[test]
    fn include_ranges_and_anchors() {
        let file = "fn a() {}\n// ANCHOR: here\nfn b() {}\n// ANCHOR_END: here\nfn c() {}\n";
        assert_eq!(select(file, Some("here")), "fn b() {}\n");
        assert_eq!(select(file, None), "fn a() {}\nfn b() {}\nfn c() {}\n");
        assert_eq!(select(file, Some("1")), "fn a() {}\n");
        assert_eq!(select(file, Some("5:")), "fn c() {}\n");
        assert_eq!(select(file, Some(":1")), "fn a() {}\n");
        assert_eq!(select(file, Some("3:5")), "fn b() {}\nfn c() {}\n");
        assert_eq!(select(file, Some("missing")), select(file, None));
    }

    #[test]
    fn mdbook_hidden_lines_leave_rust_blocks_only() {
        let body =
            "# Title\n\n```rust\n# use std::io;\nfn main() {}\n#\n```\n\n```sh\n# a comment\n```\n";
        let e = run(Tool::MdBook, body);
        assert!(!e.text.contains("use std::io"), "{}", e.text);
        assert!(
            e.text.contains("# Title") && e.text.contains("# a comment"),
            "{}",
            e.text
        );
        // Offsets after the dropped lines still name their source line.
        let at = e.text.find("fn main").unwrap();
        assert_eq!(&body[e.source_offset(at)..][..7], "fn main");
    }

    #[test]
    fn mkdocs_admonitions_and_tabs_become_boxes_with_markdown_inside() {
        let body = "Intro\n\n!!! note \"Heads up\"\n\n    Some *text*.\n\n    ??? tip\n        Deep.\n\nAfter\n\n=== \"Python\"\n\n    ```py\n    x = 1\n    ```\n";
        let e = run(Tool::MkDocs, body);
        assert!(
            e.text
                .contains("<div class=\"da-admonition da-admonition-note\">"),
            "{}",
            e.text
        );
        assert!(e
            .text
            .contains("<p class=\"da-admonition-title\">Heads up</p>"));
        assert!(e.text.contains("\nSome *text*.\n"), "{}", e.text);
        assert!(
            e.text
                .contains("<details class=\"da-admonition da-admonition-tip\">"),
            "{}",
            e.text
        );
        assert!(e.text.contains("\nDeep.\n"), "{}", e.text);
        assert!(e.text.contains("<p class=\"da-tab-label\">Python</p>"));
        assert!(e.text.contains("\n```py\nx = 1\n```\n"), "{}", e.text);
        let after = e.text.find("After").unwrap();
        assert_eq!(&body[e.source_offset(after)..][..5], "After");
    }

    #[test]
    fn docusaurus_admonitions_esm_and_jsx() {
        let body = "```js\nimport a from 'b';\n```\n\n:::note\n\nAfter code.\n\n:::\n\nimport Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\n\n# T\n\n:::tip[Fast path]\n\nUse it.\n\n:::\n\n<Tabs groupId=\"os\">\n<TabItem value=\"mac\" label=\"macOS\">\n\nRun it. {/* hidden note */}\n\n</TabItem>\n</Tabs>\n\n<Badge text=\"new\" />\n\n```js\nimport x from 'y';\n```\n";
        let e = run(Tool::Docusaurus, body);
        assert!(!e.text.contains("@theme"), "{}", e.text);
        assert!(
            e.text.contains("da-admonition-note"),
            "after a closed fence: {}",
            e.text
        );
        assert!(e.text.contains("da-admonition-tip") && e.text.contains(">Fast path<"));
        assert!(
            e.text.contains(">macOS<") && !e.text.contains("<Tabs") && !e.text.contains("Badge")
        );
        assert!(!e.text.contains("hidden note"));
        assert!(
            e.text.contains("import x from 'y';"),
            "code keeps its imports"
        );
    }

    #[test]
    fn a_docusaurus_partial_is_read_where_a_page_uses_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("guides")).unwrap();
        std::fs::write(
            dir.path().join("guides/_steps.mdx"),
            "Tighten the **mooring** line.\n",
        )
        .unwrap();
        let cx = Context {
            tool: Tool::Docusaurus,
            root: dir.path(),
            path: "guides/dock.mdx",
            snippets: None,
        };
        let body = "import Steps from './_steps.mdx';\n\n# Dock\n\n<Steps />\n\n<Missing />\n";
        let e = expand(body, &cx, &mut Vec::new()).unwrap();
        assert!(
            e.text.contains("Tighten the **mooring** line."),
            "{}",
            e.text
        );
        assert!(
            !e.text.contains("Missing") && !e.text.contains("import"),
            "{}",
            e.text
        );
        assert_eq!(
            rebase_file_links(
                "See [a](../x/y.md#z), [b](/abs.md), [c](w) and [d](https://e.f/g.md).",
                "parts/_p.mdx"
            ),
            "See [a](/x/y.md#z), [b](/abs.md), [c](w) and [d](https://e.f/g.md)."
        );
    }
}
