//! Words of neighbouring blocks stay apart in the search text (and so in snippets): every word a
//! reader sees on a rendered page is a token of that page's search text, and the search text
//! has no token a reader does not see (two words glued together, like `toolchainRun` from a
//! tight nested list).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeSet;

use common::*;
use docatlas_core::text::words;
use docatlas_core::{Audience, Doc};

/// HTML elements a browser shows on a line of their own (or that end a run of text).
const BOUNDARIES: &[&str] = &[
    "p",
    "div",
    "br",
    "hr",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "details",
    "summary",
    "img",
    "sup",
    "input",
    "figure",
    "figcaption",
    "caption",
    "aside",
    "nav",
];

/// The text a reader sees in `html`, with block elements as word boundaries and entities
/// decoded; footnote numbers (`<sup>`), which the renderer makes up, are left out.
fn visible_text(html: &str) -> String {
    let mut html = html.to_string();
    while let Some(start) = html.find("<sup") {
        let end = html[start..]
            .find("</sup>")
            .map_or(html.len(), |e| start + e + 6);
        html.replace_range(start..end, " ");
    }
    let mut out = String::new();
    let mut rest = html.as_str();
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let end = rest[lt..].find('>').map_or(rest.len(), |e| lt + e + 1);
        let name: String = rest[lt + 1..end]
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if BOUNDARIES.contains(&name.as_str()) {
            out.push(' ');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
}

/// The words of a page's search text: its sections' headings, prose and code.
fn search_words(doc: &Doc) -> BTreeSet<String> {
    doc.sections
        .iter()
        .flat_map(|s| {
            words(&s.heading)
                .into_iter()
                .chain(words(&s.text))
                .chain(words(&s.code))
        })
        .collect()
}

fn check(doc: &Doc) {
    let seen: BTreeSet<String> = words(&visible_text(&doc.html)).into_iter().collect();
    let indexed = search_words(doc);
    let unseen: Vec<&String> = indexed.difference(&seen).collect();
    assert!(
        unseen.is_empty(),
        "{}: search text has words no reader sees (glued?): {unseen:?}",
        doc.path
    );
    let missing: Vec<&String> = seen.difference(&indexed).collect();
    assert!(
        missing.is_empty(),
        "{}: words on the page missing from its search text: {missing:?}",
        doc.path
    );
}

#[test]
fn every_block_kind_keeps_its_words_apart() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("blocks.md"),
        "# Every block\n\n\
         - Install the toolchain\n  - Run cargo build\n  - Check output\n- Outer again\n\n\
         1. First step\n   * nested bullet\n   * second bullet\n2. Second step\n\n\
         * loose item\n\n  with a paragraph\n\n  - and a nested one\n\n\
         - [ ] Open task\n  - [x] Done subtask\n\n\
         | left | right |\n|---|---|\n| one<br>two | three<br/>four |\n| five | `code`cell |\n\n\
         > quoted line\n> - quoted item\n>   - deeper item\n\n\
         ## Heading after\nText right after the heading[^note].\n\n\
         [^note]: Footnote words here.\n\n\
         <details><summary>Hidden steps</summary>\n\nInner paragraph.\n\n</details>\n\n\
         <div>block html</div><p>second para</p>\n\n\
         Line one  \nline two after a hard break\\\nline three\n\n\
         ```sh\ncargo test\n```\nAfter the fence.\n\n\
         Term with *emphasis*inside and **strong**text.\n",
    )
    .unwrap();
    let c = compile_docs(dir.path(), Audience::Public);
    let doc = doc_at(&c.bundle.docs, "blocks.md");
    check(doc);
    let indexed = search_words(doc);
    for glued in [
        "toolchainrun",
        "stepnested",
        "onetwo",
        "threefour",
        "itemdeeper",
    ] {
        assert!(!indexed.contains(glued), "{glued}");
    }
    for word in [
        "nested", "two", "four", "deeper", "hidden", "footnote", "three",
    ] {
        assert!(indexed.contains(word), "{word}");
    }
}

#[test]
fn every_page_of_the_example_portal_keeps_its_words_apart() {
    let c = compile_docs(&portal(), Audience::Internal);
    assert!(c.bundle.docs.len() > 30);
    for doc in &c.bundle.docs {
        check(doc);
    }
}
