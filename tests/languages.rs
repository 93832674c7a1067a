//! Correct text in 37 languages and a page of symbols (`tests/fixtures/languages/`) is never
//! "repaired": the mojibake repair leaves every byte as written and reports nothing, and each
//! page is found by its own words.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use build_index::encoding::decode;
use build_index::Severity;
use common::*;
use docatlas_core::Audience;

fn pages() -> Vec<(String, String)> {
    let dir = fixture("languages");
    let mut out: Vec<(String, String)> = markdown_files(&dir)
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(dir.join(&p)).unwrap();
            (p, text)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn correct_text_in_every_language_is_left_as_written() {
    let pages = pages();
    assert!(pages.len() >= 38, "{} pages", pages.len());
    for (path, text) in &pages {
        let d = decode(text.as_bytes());
        assert!(d.notes.is_empty(), "{path}: {:?}", d.notes);
        assert_eq!(&d.text, text, "{path} was changed");
        // `¬µ` is Mac Roman's reading of `µ`, and also logic notation: left as written, and
        // named in a note (never a warning) in case it is damage.
        let expected = usize::from(path == "symbols.md");
        assert_eq!(d.suspects.len(), expected, "{path}: {:?}", d.suspects);
    }
}

#[test]
fn the_build_reports_no_repair_and_every_page_is_found_by_its_words() {
    let (c, _site) = build_site(&fixture("languages"), Audience::Public);
    let about_encoding: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Note)
        .filter(|d| d.message.contains("mojibake") || d.message.contains("UTF-8"))
        .collect();
    assert!(about_encoding.is_empty(), "{about_encoding:#?}");
    for (path, text) in pages() {
        let doc = doc_at(&c.bundle.docs, &path);
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("title: "))
            .unwrap();
        assert_eq!(doc.title, title, "{path}: the title as written");
        let r = search(&c.bundle, title, 5);
        assert!(
            r.hits.iter().any(|h| h.path == path),
            "{path}: searching its title `{title}` found {:?}",
            r.hits.iter().map(|h| &h.path).collect::<Vec<_>>()
        );
    }
    // The word after the apostrophe is a word of its own (`l’état` is found by `état`).
    for (q, page) in [
        ("état", "fr.md"),
        ("écriture", "fr.md"),
        ("indice", "it.md"),
    ] {
        let r = search(&c.bundle, q, 3);
        assert_eq!(r.hits.first().map(|h| h.path.as_str()), Some(page), "{q}");
    }
}

#[test]
fn a_page_without_lang_gets_the_language_its_script_says() {
    // The same pages without their `lang:`: each in a script that names one language is given
    // that language (what `lang:` filters on); Latin-script pages are left to the word check.
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in pages() {
        let text: String = text
            .lines()
            .filter(|l| !l.starts_with("lang: "))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(dir.path().join(&path), text).unwrap();
    }
    let c = compile_docs(dir.path(), Audience::Public);
    let scripts = [
        "ar", "bg", "bn", "el", "fa", "he", "hi", "hy", "ja", "ka", "ko", "ru", "sr", "ta", "th",
        "uk", "zh",
    ];
    for lang in scripts {
        let doc = doc_at(&c.bundle.docs, &format!("{lang}.md"));
        assert_eq!(doc.lang.as_deref(), Some(lang), "{lang}.md");
    }
    let r = search(&c.bundle, "lang:uk", 10);
    assert_eq!(
        r.hits.iter().map(|h| h.path.as_str()).collect::<Vec<_>>(),
        ["uk.md"]
    );
}
