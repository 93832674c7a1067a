//! Markdown in, structure and HTML out: headings and anchors, sections, links, tasks, tables,
//! gap markers, code references. Two passes over the same events: [`analyze`] reads structure
//! (needed for every page before any link can be checked), [`render`] writes the HTML.

use std::collections::BTreeSet;
use std::ops::Range;

use docatlas_core::{slice, Section, Task};

use super::dialect::Tool;
use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

/// The marker teams use for unfinished sections.
pub const GAP_MARKER: &str = "{{TBD}}";

/// The pulldown-cmark extensions docatlas reads.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
}

/// A link or image as written, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as written.
    pub dest: String,
    /// Byte offset in the body.
    pub offset: usize,
}

/// A table cell's text and the links in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    /// Plain text of the cell.
    pub text: String,
    /// Link destinations in the cell, as written.
    pub links: Vec<String>,
}

/// A Markdown table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Index into [`Analysis::sections`] of the section holding the table.
    pub section: usize,
    /// The header row: what recognises a catalog or pages table (`Service`, `Read time`...).
    pub header: Vec<Cell>,
    /// The body rows, each as many cells as the source row has (not always the header's count).
    pub rows: Vec<Vec<Cell>>,
    /// Byte offset in the body where the table starts (its header row).
    pub offset: usize,
    /// Byte offset in the body of each row of [`Table::rows`], for `path:line` of what a row
    /// declares.
    pub row_offsets: Vec<usize>,
    /// The paragraph right before the table, if nothing else came between them: a caption such
    /// as ``Table: `bookings` `` that names what the table describes.
    pub caption: Option<String>,
}

/// A list with links in it, and the paragraph right before it: what reading orders are made of
/// ("Short on time? Read these first:" then `1. [Stack](stack.md): ...`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkList {
    /// Index into [`Analysis::sections`] of the section holding the list.
    pub section: usize,
    /// A numbered list (`1.`) rather than bullets.
    pub ordered: bool,
    /// Text of the paragraph directly before the list, if nothing else came between.
    pub lead: Option<String>,
    /// Every item, nested ones included, in document order.
    pub items: Vec<ListItem>,
}

/// One item of a [`LinkList`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListItem {
    /// 0 for top-level items, 1 for items of a list nested in one, and so on.
    pub depth: u8,
    /// The first link in the item's own text (nested lists not counted).
    pub link: Option<Link>,
    /// That link's text.
    pub link_text: String,
    /// The item's own text, the link text included.
    pub text: String,
}

/// What the first pass learns about a page.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Text of the first H1, if any.
    pub first_h1: Option<String>,
    /// The lead section (heading empty, filled in with the title later) and one per heading.
    pub sections: Vec<Section>,
    /// Byte offset in the body where each of [`Analysis::sections`] starts (its heading).
    pub section_starts: Vec<usize>,
    /// Links and images in page order.
    pub links: Vec<Link>,
    /// Task-list items (`- [ ]`, `- [x]`), each with the heading it sits under.
    pub tasks: Vec<Task>,
    /// Every table, header and rows as plain text with their links, in page order.
    pub tables: Vec<Table>,
    /// Lists (outermost ones, with their nested items) that hold at least one link.
    pub lists: Vec<LinkList>,
    /// Byte offsets of `{{TBD}}` markers outside code.
    pub gaps: Vec<usize>,
    /// Text of the first top-level paragraph.
    pub first_paragraph: Option<String>,
    /// Number of words of prose, for reading time.
    pub words: usize,
    /// Ids a link may name besides the headings' (`<a id="…">`, attribute lists `{ #id }`,
    /// footnotes, the dialect's macro ids), sorted.
    pub ids: Vec<String>,
}

impl Analysis {
    /// The anchors of the page's headings, in order.
    pub fn anchors(&self) -> impl Iterator<Item = &str> {
        self.sections.iter().filter_map(|s| s.anchor.as_deref())
    }

    /// Whether `#anchor` names a place on the page: a heading or one of [`Analysis::ids`].
    pub fn has_anchor(&self, anchor: &str) -> bool {
        self.anchors().any(|a| a == anchor)
            || self
                .ids
                .binary_search_by(|i| i.as_str().cmp(anchor))
                .is_ok()
    }

    /// The anchor of the section holding body offset `offset` (`None` in the lead section).
    pub fn anchor_at(&self, offset: usize) -> Option<&str> {
        let i = self.section_starts.partition_point(|&s| s <= offset);
        self.sections
            .get(i.checked_sub(1)?)
            .and_then(|s| s.anchor.as_deref())
    }
}

/// GitHub-style heading slug: lower case, letters/digits/`-`/`_` kept, spaces to `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    out
}

/// Python-Markdown's `toc` slug (MkDocs): accents dropped, characters other than letters,
/// digits, `_`, `-` and spaces removed, lower case, each run of spaces and `-` one `-`.
pub fn python_slug(text: &str) -> String {
    let mut kept = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            kept.push(c.to_ascii_lowercase());
        } else if c.is_whitespace() || c == '-' {
            kept.push('-');
        } else if !c.is_ascii() {
            let folded = docatlas_core::text::fold(&c.to_string());
            kept.extend(folded.chars().filter(char::is_ascii_alphanumeric));
        }
    }
    let mut out = String::new();
    for part in kept.split('-').filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(part);
    }
    out
}

/// A heading's slug as the dialect makes it.
pub fn slug_as(tool: Tool, text: &str) -> String {
    match tool {
        Tool::MkDocs => python_slug(text),
        _ => slug(text),
    }
}

fn unique(slug: String, seen: &mut BTreeSet<String>, tool: Tool) -> String {
    let base = if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    };
    // Python-Markdown numbers repeats `_1`, GitHub, mdBook and Docusaurus `-1`.
    let sep = if tool == Tool::MkDocs { '_' } else { '-' };
    let mut candidate = base.clone();
    let mut n: u64 = 1;
    while !seen.insert(candidate.clone()) {
        candidate = format!("{base}{sep}{n}");
        // One more than the number of sections already seen: far below u64::MAX.
        n = n.saturating_add(1);
    }
    candidate
}

/// First pass: structure of the page body, headings slugged the GitHub way.
pub fn analyze(body: &str) -> Analysis {
    analyze_as(body, Tool::Plain)
}

/// First pass, with the heading ids and extra ids of `tool`'s dialect.
pub fn analyze_as(body: &str, tool: Tool) -> Analysis {
    let mut analyzer = Analyzer {
        tool,
        ..Analyzer::default()
    };
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        analyzer.event(event, range);
    }
    analyzer.finish(body)
}

/// Whether `tag` opens a block: its words are never joined to the words before it.
fn is_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Item
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
    )
}

/// Whether `tag` closes a block (see [`is_block`]).
fn is_block_end(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
    )
}

/// HTML elements that start a new line of text where a browser shows them (and `br`, `hr`,
/// `img`): their neighbours' words are separate words.
fn html_block_tag(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "br"
            | "caption"
            | "dd"
            | "details"
            | "dialog"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "img"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
    )
}

/// A piece of raw HTML: a tag (its lower-cased name) or the text between tags.
enum HtmlPiece<'a> {
    Tag { name: String, closing: bool },
    Text(&'a str),
}

/// Splits raw HTML into tags and text; comments and `<!…>` / `<?…>` declarations are dropped.
fn html_pieces(html: &str) -> Vec<HtmlPiece<'_>> {
    let mut out = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            out.push(HtmlPiece::Text(rest));
            break;
        };
        if lt > 0 {
            out.push(HtmlPiece::Text(slice::head(rest, lt)));
        }
        let tag = slice::tail(rest, lt);
        let end_mark = if tag.starts_with("<!--") { "-->" } else { ">" };
        let Some(end) = tag.find(end_mark) else {
            // An unclosed `<` is text (`a < b`).
            out.push(HtmlPiece::Text(tag));
            break;
        };
        let inner = slice::sub(tag, 1, end);
        let closing = inner.starts_with('/');
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let is_tag = name.starts_with(|c: char| c.is_ascii_alphabetic());
        if !is_tag && !inner.starts_with(['!', '?']) {
            // `<` not followed by a tag name (`1 <2`) is text.
            out.push(HtmlPiece::Text(slice::head(tag, 1)));
            rest = slice::tail(tag, 1);
            continue;
        }
        if is_tag {
            out.push(HtmlPiece::Tag { name, closing });
        }
        rest = slice::tail(tag, end.saturating_add(end_mark.len()));
    }
    out
}

/// The ids raw HTML gives places (`<a id="x">`, `<span name="x">`), and in MkDocs the ids of
/// Material's shortcode comments (`<!-- md:setting config.x -->` is `#config.x`, `<!-- md:option
/// x -->` is `#+x`), which its docs' build turns into attribute lists.
fn html_ids(html: &str, tool: Tool) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" id=", " name=", "\tid=", "\nid="] {
        for (at, _) in html.match_indices(attr) {
            let rest = slice::tail(html, at.saturating_add(attr.len()));
            let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let inner = slice::tail(rest, 1);
            if let Some(end) = inner.find(q) {
                out.push(slice::head(inner, end).to_string());
            }
        }
    }
    if tool == Tool::MkDocs {
        for (kind, prefix) in [("<!-- md:setting ", ""), ("<!-- md:option ", "+")] {
            for (at, _) in html.match_indices(kind) {
                let rest = slice::tail(html, at.saturating_add(kind.len()));
                if let Some(name) = rest.split_whitespace().next().filter(|n| *n != "-->") {
                    out.push(format!("{prefix}{name}"));
                }
            }
        }
    }
    out
}

/// Ids of attribute lists outside code (`{ #id }`, `{: #id .class }`, `{ id="x" }`), as
/// Python-Markdown's `attr_list` and Docusaurus' heading ids write them.
fn attribute_list_ids(body: &str, code: &[Range<usize>]) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in body.match_indices('{') {
        if code.iter().any(|r| r.contains(&at)) {
            continue;
        }
        let rest = slice::tail(body, at.saturating_add(1));
        let Some(end) = rest
            .find(['}', '\n'])
            .filter(|&e| rest.get(e..e.saturating_add(1)) == Some("}"))
        else {
            continue;
        };
        let inner = slice::head(rest, end).trim().trim_start_matches(':');
        let tokens: Vec<&str> = inner.split_whitespace().collect();
        let attr_like = |t: &&str| t.starts_with('#') || t.starts_with('.') || t.contains('=');
        if tokens.is_empty() || !tokens.iter().all(attr_like) {
            continue;
        }
        for t in tokens {
            if let Some(id) = t.strip_prefix('#').filter(|i| !i.is_empty()) {
                out.push(id.to_string());
            } else if let Some(v) = t.strip_prefix("id=") {
                out.push(v.trim_matches(['"', '\'']).to_string());
            }
        }
    }
    out
}

/// The few HTML entities prose uses, decoded (numeric ones too); others are kept as written.
fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(slice::head(rest, amp));
        let after = slice::tail(rest, amp);
        let entity = after.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let name = slice::sub(after, 1, semi);
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, semi))
        });
        match entity {
            Some((c, semi)) => {
                out.push(c);
                rest = slice::tail(after, semi.saturating_add(1));
            }
            None => {
                out.push('&');
                rest = slice::tail(after, 1);
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// The first pass's state while it walks a page's events: what is open (a heading, a task, a
/// table cell, the first paragraph) and where code is, so text lands in the right place.
#[derive(Default)]
struct Analyzer {
    out: Analysis,
    /// Anchors given so far, so duplicates get `-1`, `-2`...
    seen: BTreeSet<String>,
    /// Byte ranges of code (blocks and inline), where `{{TBD}}` is literal.
    code_ranges: Vec<Range<usize>>,
    /// The heading being read: level, explicit `{#id}`, text so far (words apart where a
    /// block tag or `<br>` separates them), and the same text as the slug reads it (the
    /// element's text content: tags add nothing, so `<div>Required</div> data` is
    /// `required-data` as every tool makes it).
    heading: Option<(HeadingLevel, Option<String>, String, String)>,
    in_code_block: bool,
    task: Option<Task>,
    table: Option<Table>,
    row: Vec<Cell>,
    cell: Option<Cell>,
    /// Nesting of lists, tables and quotes: the first paragraph must be top-level.
    depth: usize,
    /// The first top-level paragraph, while it is read.
    para: Option<String>,
    /// Inside raw `<script>` / `<style>`: their text is not prose and must not reach search data.
    in_raw: bool,
    /// The top-level paragraph being read, for the sentence before a list.
    block: Option<String>,
    /// The last top-level paragraph's text, until another block comes after it.
    lead: Option<String>,
    /// The outermost list being read.
    list: Option<LinkList>,
    /// Indices into `list.items` of the open items, innermost last.
    items: Vec<usize>,
    /// Nesting of lists only.
    list_depth: usize,
    /// Inside the link that is the innermost open item's first link.
    item_link: bool,
    /// Whose heading ids to make.
    tool: Tool,
    /// Inside an HTML comment that an earlier event opened.
    in_comment: bool,
}

impl Analyzer {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        if let Event::Html(h) | Event::InlineHtml(h) = &event {
            self.html(h);
            return;
        }
        if self.in_raw && matches!(event, Event::Text(_) | Event::Code(_)) {
            return;
        }
        // Words of neighbouring blocks never touch: a tight nested list's item (`- Install the
        // toolchain` over `  - Run cargo build`) has no paragraph end before the nested list.
        if let Event::Start(tag) = &event {
            if is_block(tag) {
                self.separate();
            }
        }
        if let Event::End(tag) = &event {
            if is_block_end(*tag) {
                self.separate();
            }
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Code(code) => {
                self.code_ranges.push(range);
                self.text(&code, false);
            }
            Event::Text(text) => self.text(&text, self.in_code_block),
            Event::SoftBreak | Event::HardBreak => self.text(" ", self.in_code_block),
            Event::TaskListMarker(done) => {
                self.task = Some(Task {
                    text: String::new(),
                    done,
                    anchor: self.out.sections.last().and_then(|s| s.anchor.clone()),
                })
            }
            _ => {}
        }
    }

    /// Raw HTML: its text is prose like any other (`<summary>Steps</summary>`), but for
    /// `<script>` and `<style>` and comments; block elements and `<br>` separate words.
    fn html(&mut self, html: &str) {
        // A comment over several lines comes as one event per line: skip to its end.
        let mut html = html;
        if self.in_comment {
            match html.find("-->") {
                Some(end) => {
                    html = slice::tail(html, end.saturating_add(3));
                    self.in_comment = false;
                }
                None => return,
            }
        }
        if let Some(open) = html.rfind("<!--") {
            if !slice::tail(html, open).contains("-->") {
                self.in_comment = true;
                html = slice::head(html, open);
            }
        }
        self.out.ids.extend(html_ids(html, self.tool));
        for piece in html_pieces(html) {
            match piece {
                HtmlPiece::Tag { name, closing } => {
                    if name == "script" || name == "style" {
                        self.in_raw = !closing;
                    }
                    if html_block_tag(&name) {
                        self.separate();
                    }
                }
                HtmlPiece::Text(t) if !self.in_raw => {
                    let t = decode_entities(t);
                    self.text(&t, self.in_code_block);
                }
                HtmlPiece::Text(_) => {}
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Heading {
                level, id, attrs, ..
            } => self.start_heading(level, id, &attrs, range.start),
            Tag::FootnoteDefinition(label) => {
                // Python-Markdown, remark (Docusaurus) and pulldown-cmark name them so.
                for prefix in [
                    "fn:",
                    "fnref:",
                    "user-content-fn-",
                    "user-content-fnref-",
                    "",
                ] {
                    self.out.ids.push(format!("{prefix}{label}"));
                }
            }
            Tag::CodeBlock(kind) => {
                if let CodeBlockKind::Fenced(info) = &kind {
                    // `` ``` { .sh #example } ``: an attribute list on a fence (SuperFences).
                    if let Some(attrs) = info.find('{').map(|i| slice::tail(info, i)) {
                        self.out.ids.extend(attribute_list_ids(attrs, &[]));
                    }
                }
                self.lead = None;
                self.in_code_block = true;
                self.code_ranges.push(range);
            }
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                self.out.links.push(Link {
                    dest: dest_url.to_string(),
                    offset: range.start,
                });
                if let Some(c) = &mut self.cell {
                    c.links.push(dest_url.to_string());
                }
                self.item_link_start(&dest_url, range.start);
            }
            Tag::List(first) => {
                self.start_list(first.is_some());
                self.depth = self.depth.saturating_add(1);
                if let Some(t) = self.task.take() {
                    self.out.tasks.push(t);
                }
            }
            Tag::Item => self.start_item(),
            Tag::BlockQuote(_) => {
                self.lead = None;
                self.depth = self.depth.saturating_add(1);
                if let Some(t) = self.task.take() {
                    self.out.tasks.push(t);
                }
            }
            Tag::Table(_) => {
                // The paragraph right before the table, if nothing came between: its caption.
                let caption = self.lead.take().filter(|c| !c.is_empty());
                self.depth = self.depth.saturating_add(1);
                self.table = Some(Table {
                    section: self.out.sections.len().saturating_sub(1),
                    offset: range.start,
                    caption,
                    ..Table::default()
                })
            }
            Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.row_offsets.push(range.start);
                }
            }
            Tag::TableCell => self.cell = Some(Cell::default()),
            Tag::Paragraph if self.depth == 0 => {
                self.block = Some(String::new());
                if self.out.first_paragraph.is_none() {
                    self.para = Some(String::new())
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => self.end_heading(),
            TagEnd::CodeBlock => self.in_code_block = false,
            TagEnd::List(_) => {
                self.depth = self.depth.saturating_sub(1);
                self.end_list();
            }
            TagEnd::BlockQuote(_) => self.depth = self.depth.saturating_sub(1),
            TagEnd::Link => self.item_link = false,
            TagEnd::Item => {
                self.items.pop();
                self.item_link = false;
                if let Some(mut t) = self.task.take() {
                    t.text = t.text.trim().to_string();
                    self.out.tasks.push(t);
                }
                self.break_text('\n');
            }
            TagEnd::TableCell => {
                if let Some(mut c) = self.cell.take() {
                    c.text = c.text.trim().to_string();
                    self.row.push(c);
                }
                self.break_text(' ');
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.header = std::mem::take(&mut self.row);
                }
            }
            TagEnd::TableRow => {
                if let Some(t) = &mut self.table {
                    t.rows.push(std::mem::take(&mut self.row));
                }
            }
            TagEnd::Table => {
                self.depth = self.depth.saturating_sub(1);
                self.out.tables.extend(self.table.take());
            }
            TagEnd::Paragraph => {
                if let Some(b) = self.block.take() {
                    self.lead = Some(b.split_whitespace().collect::<Vec<_>>().join(" "));
                }
                if let Some(p) = self.para.take() {
                    let p = p.trim().to_string();
                    if !p.is_empty() {
                        self.out.first_paragraph = Some(p);
                    }
                }
                self.break_text('\n');
            }
            _ => {}
        }
    }

    fn start_heading(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'_>>,
        attrs: &[(CowStr<'_>, Option<CowStr<'_>>)],
        start: usize,
    ) {
        self.lead = None;
        self.out.section_starts.push(start);
        // `{ id=x }` (attribute lists) as well as `{#x}`.
        let id = id.map(|s| s.to_string()).or_else(|| {
            attrs
                .iter()
                .find(|(k, _)| k.as_ref() == "id")
                .and_then(|(_, v)| v.as_ref().map(|v| v.trim_matches(['"', '\'']).to_string()))
        });
        self.heading = Some((level, id, String::new(), String::new()))
    }

    fn end_heading(&mut self) {
        let Some((level, id, text, slug_text)) = self.heading.take() else {
            return;
        };
        let text = text.trim().to_string();
        let slug_text = slug_text.trim();
        if level == HeadingLevel::H1 && self.out.first_h1.is_none() {
            self.out.first_h1 = Some(text.clone());
        }
        let anchor = unique(
            id.unwrap_or_else(|| slug_as(self.tool, slug_text)),
            &mut self.seen,
            self.tool,
        );
        self.out.sections.push(Section {
            anchor: Some(anchor),
            heading: text,
            level: level as u8,
            ..Section::default()
        });
    }

    fn start_list(&mut self, ordered: bool) {
        self.list_depth = self.list_depth.saturating_add(1);
        if self.list_depth == 1 {
            self.list = Some(LinkList {
                section: self.out.sections.len().saturating_sub(1),
                ordered,
                lead: self.lead.take(),
                items: Vec::new(),
            });
        }
    }

    fn end_list(&mut self) {
        self.list_depth = self.list_depth.saturating_sub(1);
        if self.list_depth > 0 {
            return;
        }
        if let Some(mut list) = self.list.take() {
            if list.items.iter().any(|i| i.link.is_some()) {
                for item in &mut list.items {
                    item.text = item.text.split_whitespace().collect::<Vec<_>>().join(" ");
                    item.link_text = item
                        .link_text
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                }
                self.out.lists.push(list);
            }
        }
        self.items.clear();
        self.lead = None;
    }

    fn start_item(&mut self) {
        let depth = u8::try_from(self.list_depth.saturating_sub(1)).unwrap_or(u8::MAX);
        if let Some(list) = &mut self.list {
            self.items.push(list.items.len());
            list.items.push(ListItem {
                depth,
                ..ListItem::default()
            });
        }
    }

    /// The innermost open list item, if a list is being read.
    fn open_item(&mut self) -> Option<&mut ListItem> {
        let i = *self.items.last()?;
        self.list.as_mut()?.items.get_mut(i)
    }

    fn item_link_start(&mut self, dest: &str, offset: usize) {
        if let Some(item) = self.open_item().filter(|i| i.link.is_none()) {
            item.link = Some(Link {
                dest: dest.to_string(),
                offset,
            });
            self.item_link = true;
        }
    }

    /// Keeps the words of neighbouring blocks apart: a space at the end of every text being
    /// read (the section's, a heading's, an item's, a cell's...) that does not end in one.
    fn separate(&mut self) {
        let open = [
            self.heading.as_mut().map(|h| &mut h.2),
            self.out.sections.last_mut().map(|s| &mut s.text),
            self.block.as_mut(),
            self.task.as_mut().map(|t| &mut t.text),
            self.cell.as_mut().map(|c| &mut c.text),
            self.para.as_mut(),
        ];
        for buf in open.into_iter().flatten() {
            if buf.chars().next_back().is_some_and(|c| !c.is_whitespace()) {
                buf.push(' ');
            }
        }
        if let Some(item) = self.open_item() {
            for buf in [&mut item.text, &mut item.link_text] {
                if buf.chars().next_back().is_some_and(|c| !c.is_whitespace()) {
                    buf.push(' ');
                }
            }
        }
    }

    /// Keeps words of neighbouring blocks (list items, cells, paragraphs) apart in the text.
    fn break_text(&mut self, c: char) {
        if let Some(s) = self.out.sections.last_mut() {
            s.text.push(c);
        }
    }

    /// Text goes to the open heading, else to the current section (its code or its prose) and
    /// to whatever task, cell or first paragraph is open.
    fn text(&mut self, text: &str, in_code_block: bool) {
        if let Some((_, _, h, slug_text)) = &mut self.heading {
            h.push_str(text);
            slug_text.push_str(text);
            return;
        }
        let Some(section) = self.out.sections.last_mut() else {
            return;
        };
        if in_code_block {
            section.code.push_str(text);
            return;
        }
        section.text.push_str(text);
        let in_link = self.item_link;
        if let Some(item) = self.open_item() {
            item.text.push_str(text);
            if in_link {
                item.link_text.push_str(text);
            }
        }
        for buf in [
            self.block.as_mut(),
            self.task.as_mut().map(|t| &mut t.text),
            self.cell.as_mut().map(|c| &mut c.text),
            self.para.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            buf.push_str(text);
        }
    }

    fn finish(mut self, body: &str) -> Analysis {
        let a = &mut self.out;
        for s in &mut a.sections {
            s.text = s.text.split_whitespace().collect::<Vec<_>>().join(" ");
            s.code = s.code.trim().to_string();
        }
        // The names each section's catalog tables define, each once, in table order (a set
        // beside the list: a 200,000-row table must not cost a scan of the list per row).
        let mut seen: Vec<BTreeSet<String>> = vec![BTreeSet::new(); a.sections.len()];
        for t in &a.tables {
            let names = defined_names(t);
            if let (Some(s), Some(seen)) = (a.sections.get_mut(t.section), seen.get_mut(t.section))
            {
                for n in names {
                    if seen.insert(n.clone()) {
                        s.defines.push(n);
                    }
                }
            }
        }
        a.words = a
            .sections
            .iter()
            .map(|s| {
                s.heading
                    .split_whitespace()
                    .count()
                    .saturating_add(s.text.split_whitespace().count())
            })
            .fold(0, usize::saturating_add);
        let code = &self.code_ranges;
        a.ids.extend(attribute_list_ids(body, code));
        a.ids.sort();
        a.ids.dedup();
        a.gaps = body
            .match_indices(GAP_MARKER)
            .map(|(i, _)| i)
            .filter(|i| !code.iter().any(|r| r.contains(i)))
            .collect();
        self.out
    }
}

impl Default for Analysis {
    fn default() -> Self {
        Self {
            first_h1: None,
            // The lead section: text before the first heading (its heading is set to the title).
            sections: vec![Section::default()],
            section_starts: vec![0],
            links: Vec::new(),
            tasks: Vec::new(),
            tables: Vec::new(),
            lists: Vec::new(),
            gaps: Vec::new(),
            first_paragraph: None,
            words: 0,
            ids: Vec::new(),
        }
    }
}

/// First-column headers of tables that list entities, one per row.
const ENTITY_HEADERS: &[&str] = &[
    "service",
    "services",
    "feature",
    "capability",
    "table",
    "event",
    "component",
    "system",
    "api",
    "controller",
    "queue",
    "topic",
    "team",
];

/// The entity names a catalog table defines: its first column, when that column's header names
/// a kind of entity (`Service`, `Feature`, `Event`...). Cells holding several names are split on
/// commas; formatting and placeholder cells (`—`) are dropped.
pub fn defined_names(t: &Table) -> Vec<String> {
    let Some(first) = t.header.first() else {
        return Vec::new();
    };
    let header = first.text.trim().to_lowercase();
    if !ENTITY_HEADERS.contains(&header.as_str()) {
        return Vec::new();
    }
    t.rows
        .iter()
        .filter_map(|r| r.first())
        .flat_map(|c| c.text.split(','))
        .map(|n| n.trim().trim_matches('`').trim().to_string())
        .filter(|n| n.chars().any(char::is_alphanumeric))
        .collect()
}

/// Where a link should go in the rendered page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rewrite {
    /// Use this href.
    Href(String),
    /// Drop the link, keep its text (broken, or pointing at a page left out of this build).
    TextOnly,
}

/// What [`render`] needs to know about the rest of the site.
pub struct RenderContext<'a> {
    /// Heading anchors of this page, in order (from [`analyze`]).
    pub anchors: Vec<String>,
    /// Maps a link or image destination as written to where it should go.
    pub rewrite: &'a dyn Fn(&str) -> Rewrite,
    /// Repository URL template with `{path}` and `{line}`, for `path/file.ts:123` references.
    pub repo_url: Option<&'a str>,
}

/// Second pass: the page body as HTML (not yet sanitised).
pub fn render(body: &str, ctx: &RenderContext<'_>) -> String {
    let mut r = Renderer {
        ctx,
        anchors: ctx.anchors.iter(),
        in_code_block: false,
        open_links: Vec::new(),
        events: Vec::new(),
    };
    for event in Parser::new_ext(body, options()) {
        r.push(event);
    }
    let mut html = String::with_capacity(body.len().saturating_mul(3) / 2);
    pulldown_cmark::html::push_html(&mut html, r.events.into_iter());
    html
}

/// [`render`]'s pass over the events: each is passed on as it is, or as the site shows it.
struct Renderer<'c, 'e> {
    ctx: &'c RenderContext<'c>,
    /// The page's heading anchors not given to a heading yet.
    anchors: std::slice::Iter<'c, String>,
    in_code_block: bool,
    /// One entry per open link: whether it was dropped (rendered as a span).
    open_links: Vec<bool>,
    /// The events to write as HTML.
    events: Vec<Event<'e>>,
}

impl<'e> Renderer<'_, 'e> {
    fn push(&mut self, event: Event<'e>) {
        match event {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let id = self.anchors.next().map(|a| CowStr::from(a.clone()));
                self.events.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                self.in_code_block = true;
                let kind = match kind {
                    CodeBlockKind::Fenced(lang) if lang.trim() == "mermaid" => {
                        // Shown as source: the page's fallback table carries the same facts.
                        CodeBlockKind::Fenced("mermaid".into())
                    }
                    k => k,
                };
                self.events.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code_block = false;
                self.events.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => self.link(link_type, &dest_url, title, id),
            Event::End(TagEnd::Link) => {
                if self.open_links.pop() == Some(true) {
                    self.events.push(Event::Html("</span>".into()));
                } else {
                    self.events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = match (self.ctx.rewrite)(&dest_url) {
                    Rewrite::Href(h) => h,
                    Rewrite::TextOnly => String::new(),
                };
                self.events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                }));
            }
            Event::Code(code) => self.code(code),
            Event::Text(text) if !self.in_code_block && text.contains(GAP_MARKER) => {
                self.gap_markers(&text);
            }
            e => self.events.push(e),
        }
    }

    /// A link to where the site has its target, or a span where it has none.
    fn link(&mut self, link_type: LinkType, dest_url: &str, title: CowStr<'e>, id: CowStr<'e>) {
        match (self.ctx.rewrite)(dest_url) {
            Rewrite::Href(h) => {
                self.open_links.push(false);
                self.events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: h.into(),
                    title,
                    id,
                }))
            }
            Rewrite::TextOnly => {
                self.open_links.push(true);
                self.events
                    .push(Event::Html("<span class=\"dead-link\">".into()));
            }
        }
    }

    /// Inline code; a `path/file.ts:123` reference links into the repository when the site
    /// has a `repo_url`.
    fn code(&mut self, code: CowStr<'e>) {
        match (self.ctx.repo_url, parse_code_ref(&code)) {
            (Some(template), Some((path, line))) => {
                let href = template
                    .replace("{path}", path)
                    .replace("{line}", &line.to_string());
                self.events.push(Event::Html(
                    format!(
                        "<a class=\"coderef\" href=\"{}\"><code>{}</code></a>",
                        escape(&href),
                        escape(&code)
                    )
                    .into(),
                ));
            }
            _ => self.events.push(Event::Code(code)),
        }
    }

    /// Text with `{{TBD}}` gap markers, each shown as a marked `TBD`.
    fn gap_markers(&mut self, text: &str) {
        let mut rest: &str = text;
        while let Some(i) = rest.find(GAP_MARKER) {
            if i > 0 {
                self.events
                    .push(Event::Text(slice::head(rest, i).to_string().into()));
            }
            self.events.push(Event::Html(
                "<mark class=\"gap\" title=\"Gap marker: this part is not written yet\">TBD</mark>"
                    .into(),
            ));
            rest = slice::tail(rest, i.saturating_add(GAP_MARKER.len()));
        }
        if !rest.is_empty() {
            self.events.push(Event::Text(rest.to_string().into()));
        }
    }
}

/// Recognises `path/to/file.ts:123` (optionally `:123-140`) code references.
pub fn parse_code_ref(code: &str) -> Option<(&str, u32)> {
    let (path, line) = code.trim().rsplit_once(':')?;
    let line = line.split('-').next()?.parse::<u32>().ok()?;
    let file = path.rsplit('/').next()?;
    let ok_chars = path
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '@'));
    let has_ext = file.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && !ext.is_empty() && ext.chars().all(|c| c.is_ascii_alphanumeric())
    });
    (ok_chars && has_ext && !path.contains("://")).then_some((path, line))
}

pub use docatlas_core::text::escape;

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "Intro paragraph with `services/a/b.ts:12`.\n\n# Title Here\n\n## Reading order\n\nText {{TBD}} here.\n\n- [ ] first task\n- [x] done task\n\n| Service | Tables |\n|---|---|\n| [booking-api](x.md) | bookings, passengers |\n\n```\ncode {{TBD}}\n```\n\n## Reading order\n";

    #[test]
    fn sections_anchors_and_title() {
        let a = analyze(PAGE);
        assert_eq!(a.first_h1.as_deref(), Some("Title Here"));
        let anchors: Vec<_> = a.anchors().collect();
        assert_eq!(anchors, ["title-here", "reading-order", "reading-order-1"]);
        assert_eq!(
            a.first_paragraph.as_deref(),
            Some("Intro paragraph with services/a/b.ts:12.")
        );
        assert!(a.sections[2].text.contains("Text {{TBD}} here."));
        assert!(a.sections[2].code.contains("code"));
    }

    #[test]
    fn tasks_and_tables() {
        let a = analyze(PAGE);
        assert_eq!(a.tasks.len(), 2);
        assert_eq!(
            (a.tasks[0].text.as_str(), a.tasks[0].done),
            ("first task", false)
        );
        assert_eq!(
            (a.tasks[1].text.as_str(), a.tasks[1].done),
            ("done task", true)
        );
        assert_eq!(a.tasks[0].anchor.as_deref(), Some("reading-order"));
        let t = &a.tables[0];
        assert_eq!(t.header[0].text, "Service");
        assert_eq!(t.rows[0][0].links, ["x.md"]);
        assert_eq!(t.rows[0][1].text, "bookings, passengers");
        assert!(PAGE[t.offset..].starts_with("| Service | Tables |"));
        assert!(PAGE[t.row_offsets[0]..].starts_with("| [booking-api](x.md)"));
        assert_eq!(
            t.caption, None,
            "a list came between the paragraph and the table"
        );
        assert_eq!(a.anchor_at(t.offset), Some("reading-order"));
        assert_eq!(a.anchor_at(0), None);
    }

    #[test]
    fn a_paragraph_right_before_a_table_is_its_caption() {
        let a = analyze("# T\n\nTable: `orders`\n\n| Column | Type |\n|---|---|\n| id | UUID |\n| total | INT |\n\nText.\n\n## Next\n\n| A |\n|---|\n| b |\n");
        assert_eq!(a.tables[0].caption.as_deref(), Some("Table: orders"));
        assert_eq!(a.tables[0].row_offsets.len(), 2);
        assert_eq!(a.tables[1].caption, None, "a heading came between");
    }

    #[test]
    fn link_lists_keep_the_sentence_before_them_and_their_nesting() {
        let body = "## Reading order\n\nShort on time?\nRead these first:\n\n\
             1. [Stack](stack.md): what we run.\n\
             2. [API](api.md) and `curl`\n   - [Errors](errors.md#codes)\n\n\
             ### Deep dive\n\n- [Env](env.md)\n- no link here\n\n\
             Notes:\n\n- nothing to follow\n\n```\ncode\n```\n\n- [After code](x.md)\n";
        let a = analyze(body);
        assert_eq!(a.lists.len(), 3, "{:#?}", a.lists);
        let first = &a.lists[0];
        assert!(first.ordered);
        assert_eq!(first.section, 1);
        assert_eq!(
            first.lead.as_deref(),
            Some("Short on time? Read these first:")
        );
        let items: Vec<_> = first
            .items
            .iter()
            .map(|i| {
                (
                    i.depth,
                    i.link.as_ref().map(|l| l.dest.as_str()),
                    i.link_text.as_str(),
                    i.text.as_str(),
                )
            })
            .collect();
        assert_eq!(
            items,
            [
                (0, Some("stack.md"), "Stack", "Stack: what we run."),
                (0, Some("api.md"), "API", "API and curl"),
                (1, Some("errors.md#codes"), "Errors", "Errors"),
            ]
        );
        let second = &a.lists[1];
        assert!(!second.ordered);
        assert_eq!(second.lead, None, "a heading came right before it");
        assert_eq!(second.section, 2);
        assert_eq!(second.items[1].link, None);
        assert_eq!(a.lists[2].lead, None, "a code block came between");
        // Offsets point at the link in the body, for diagnostics.
        let off = first.items[0].link.as_ref().unwrap().offset;
        assert!(body[off..].starts_with("[Stack](stack.md)"));
    }

    #[test]
    fn gap_markers_outside_code_only() {
        let a = analyze(PAGE);
        assert_eq!(a.gaps.len(), 1);
        assert_eq!(&PAGE[a.gaps[0]..a.gaps[0] + 7], "{{TBD}}");
        assert!(analyze("`{{TBD}}` is our marker").gaps.is_empty());
    }

    #[test]
    fn render_sets_ids_rewrites_links_and_marks_gaps() {
        let a = analyze(PAGE);
        let rewrite = |d: &str| {
            if d == "x.md" {
                Rewrite::Href("#/doc/x.md".into())
            } else {
                Rewrite::TextOnly
            }
        };
        let ctx = RenderContext {
            anchors: a.anchors().map(String::from).collect(),
            rewrite: &rewrite,
            repo_url: Some("https://git.example/r/blob/main/{path}#L{line}"),
        };
        let html = render(PAGE, &ctx);
        assert!(html.contains("<h2 id=\"reading-order-1\">"), "{html}");
        assert!(html.contains("href=\"#/doc/x.md\""));
        assert!(html.contains("<mark class=\"gap\""));
        assert!(
            html.contains("code {{TBD}}"),
            "markers in code stay literal"
        );
        assert!(html.contains("href=\"https://git.example/r/blob/main/services/a/b.ts#L12\""));
        let dead = render("[gone](nope.md) and [x](x.md)", &ctx);
        assert!(
            dead.contains("<span class=\"dead-link\">gone</span>"),
            "{dead}"
        );
        assert!(dead.contains("<a href=\"#/doc/x.md\">x</a>"), "{dead}");
    }

    #[test]
    fn code_refs() {
        assert_eq!(
            parse_code_ref("src/a/b.service.ts:42"),
            Some(("src/a/b.service.ts", 42))
        );
        assert_eq!(parse_code_ref("b.rs:7-9"), Some(("b.rs", 7)));
        assert_eq!(parse_code_ref("localhost:8080"), None);
        assert_eq!(parse_code_ref("http://x.io/a.ts:3"), None);
    }

    #[test]
    fn raw_html_is_prose_but_for_tags_comments_scripts_and_styles() {
        let a = analyze(
            "# T\n\n<div>alpha<br>beta</div><!-- secret note -->\n\n\
             <script>let hidden = 1;</script>\n\n<p>x &lt; y &amp;&#233;t&eacute; 1 <2</p>\n",
        );
        let text = &a.sections.last().unwrap().text;
        for w in ["alpha beta", "x < y &ét&eacute; 1 <2"] {
            assert!(text.contains(w), "{w:?} in {text:?}");
        }
        assert!(
            !text.contains("secret") && !text.contains("hidden"),
            "{text:?}"
        );
        let a = analyze("# T\n\n<!-- a note to\nreviewers, over\nthree lines -->\n\nShown.\n");
        let text = &a.sections.last().unwrap().text;
        assert_eq!(text, "Shown.", "a comment over several lines is not prose");
    }

    #[test]
    fn slugs_are_github_style() {
        assert_eq!(
            slug("What you'll know after reading"),
            "what-youll-know-after-reading"
        );
        assert_eq!(slug("Größe & Maß"), "größe--maß");
        assert_eq!(slug("POST /api/v1/orders"), "post-apiv1orders");
    }
}
