//! Fuzzes decoding, front matter and both Markdown passes on arbitrary file bytes.
#![no_main]
use build_index::{encoding, frontmatter, markdown};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = encoding::decode(data).text;
    let body = match frontmatter::split(&text) {
        Ok(Some(s)) => {
            let _ = frontmatter::parse(&text[s.yaml.0..s.yaml.1], s.yaml.0);
            &text[s.body..]
        }
        _ => &text[..],
    };
    let a = markdown::analyze(body);
    let rewrite = |_: &str| markdown::Rewrite::TextOnly;
    let ctx = markdown::RenderContext {
        anchors: a.anchors().map(String::from).collect(),
        rewrite: &rewrite,
        repo_url: Some("https://x/{path}#L{line}"),
    };
    let _ = build_index::sanitize::clean(&markdown::render(body, &ctx));
});
