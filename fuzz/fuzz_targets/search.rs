//! Fuzzes search given any bundle and any query. The bundle is built from arbitrary pages
//! (sections, entity definitions, facets, languages; texts drawn from a shared vocabulary so
//! queries hit) and split into a site's data files; in half the inputs one of those files is
//! replaced by arbitrary payload bytes under a valid header (so the decoders' checks after the
//! checksum are reached). Queries are very long,
//! hold every operator, control characters and unpaired quotes.
//!
//! The search runs through `Engine::run` over the site's files in memory, exactly as the CLI
//! (files from disk) and the app (files fetched) drive it.
#![no_main]

use arbitrary::Arbitrary;
use docatlas_core::format::FORMAT_VERSION;
use docatlas_core::index::IndexBuilder;
use std::collections::BTreeMap;

use docatlas_core::{Audience, Bundle, Doc, Engine, Facet, SearchOptions, Section, Site};

include!("../common/inputs.rs");

#[derive(Arbitrary, Debug)]
enum Input {
    Built {
        docs: Vec<DocIn>,
        queries: Vec<QueryIn>,
        limit: u8,
    },
    /// A site built from `docs` with one of its files (`file` picks which) replaced by an
    /// arbitrary payload under a header with that file's magic, the right length and checksum.
    Payload {
        docs: Vec<DocIn>,
        file: u8,
        payload: Vec<u8>,
        query: QueryIn,
        limit: u8,
    },
}

#[derive(Arbitrary, Debug)]
struct DocIn {
    path: Text,
    title: Text,
    kind: Option<u8>,
    lang: u8,
    tags: Vec<Text>,
    facets: Vec<(u8, Text)>,
    sections: Vec<SectionIn>,
}

#[derive(Arbitrary, Debug)]
struct SectionIn {
    anchor: Option<Text>,
    heading: Text,
    text: Text,
    code: Text,
    defines: Vec<Text>,
}

/// Text as pages have it: words the queries use, mixed with anything.
#[derive(Arbitrary, Debug)]
struct Text(Vec<Word>);

#[derive(Arbitrary, Debug)]
enum Word {
    Vocab(u8),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum QueryIn {
    Raw(String),
    Pieces(Vec<Word>),
    /// Thousands of terms: a piece repeated.
    Repeat(u8, u16),
}

impl Text {
    fn render(&self) -> String {
        render_words(self.0.get(..64).unwrap_or(&self.0))
    }
}

impl QueryIn {
    fn render(&self) -> String {
        match self {
            QueryIn::Raw(s) => s.clone(),
            QueryIn::Pieces(p) => render_words(p),
            QueryIn::Repeat(i, n) => {
                let piece = pick(QUERY_PIECES, *i);
                vec![piece; usize::from(*n) % 5000].join(" ")
            }
        }
    }
}

fn render_words(words: &[Word]) -> String {
    words
        .iter()
        .map(|w| match w {
            Word::Vocab(i) => pick(QUERY_PIECES, *i).to_string(),
            Word::Raw(s) => s.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn pick<'a>(list: &[&'a str], i: u8) -> &'a str {
    list[usize::from(i) % list.len()]
}

fn doc(d: &DocIn) -> Doc {
    const KINDS: &[&str] = &["runbook", "adr", "guide", ""];
    const LANGS: &[Option<&str>] = &[None, Some("en"), Some("de"), Some("ja"), Some("xx")];
    Doc {
        path: d.path.render(),
        title: d.title.render(),
        summary: String::new(),
        kind: d.kind.map(|k| pick(KINDS, k).to_string()),
        lang: LANGS[usize::from(d.lang) % LANGS.len()].map(String::from),
        internal: false,
        read_minutes: 1,
        tags: d.tags.iter().take(4).map(Text::render).collect(),
        facets: {
            let mut f: Vec<Facet> = d
                .facets
                .iter()
                .take(4)
                .map(|(k, v)| Facet {
                    key: pick(FM_KEYS, *k).to_string(),
                    value: v.render(),
                })
                .collect();
            f.sort();
            f
        },
        sections: d
            .sections
            .iter()
            .take(8)
            .map(|s| Section {
                anchor: s.anchor.as_ref().map(Text::render),
                heading: s.heading.render(),
                level: 2,
                text: s.text.render(),
                code: s.code.render(),
                defines: s.defines.iter().take(4).map(Text::render).collect(),
                hash: 0,
            })
            .collect(),
        tasks: Vec::new(),
        html: String::new(),
    }
}

/// Runs `query` over a site's files (in memory) as the CLI and the app do, and checks what a
/// reader would see. A damaged file may make the search fail; it must never panic.
fn search(files: &BTreeMap<String, Vec<u8>>, query: &str, limit: u8) {
    let Some(head) = files.get("docatlas.bin") else {
        return;
    };
    let Ok(mut engine) = Engine::new(head) else {
        return;
    };
    let limit = usize::from(limit);
    let opts = SearchOptions {
        limit,
        facets: true,
    };
    let Ok(results) = engine.run(
        |e| e.search(query, &opts),
        |n| files.get(n).cloned().ok_or_else(|| n.to_string()),
    ) else {
        return;
    };
    assert!(results.hits.len() <= limit);
    assert!(results.hits.len() <= results.total);
    for hit in &results.hits {
        assert!(hit.score.is_finite(), "score {} for {query:?}", hit.score);
        let text = &hit.snippet.text;
        for &(a, b) in &hit.snippet.highlights {
            assert!(
                a <= b && b <= text.len(),
                "highlight {a}..{b} outside {text:?}"
            );
            assert!(text.is_char_boundary(a) && text.is_char_boundary(b));
        }
    }
    let report = results.report();
    assert_eq!(report.hits.len(), results.hits.len());
}

fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A file with the given file's magic and an arbitrary payload under a valid header.
fn rewrap(original: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut bytes = original.get(..8).unwrap_or(b"DOCATLAS").to_vec();
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&fnv1a64(payload).to_le_bytes());
    bytes.extend_from_slice(payload);
    bytes
}

libfuzzer_sys::fuzz_target!(|input: Input| {
    let (docs, queries, limit, damage) = match &input {
        Input::Built {
            docs,
            queries,
            limit,
        } => (docs, queries.iter().take(4).collect::<Vec<_>>(), *limit, None),
        Input::Payload {
            docs,
            file,
            payload,
            query,
            limit,
        } => (docs, vec![query], *limit, Some((*file, payload))),
    };
    let docs: Vec<Doc> = docs.iter().take(6).map(doc).collect();
    let index = IndexBuilder::new().build(&docs);
    let built = Bundle {
        site: Site {
            title: "fuzz".into(),
            audience: Audience::Public,
        },
        docs,
        index,
    };
    // Through the format, as the app gets it.
    let mut files: BTreeMap<String, Vec<u8>> =
        docatlas_core::files::encode(&built).into_iter().collect();
    if let Some((file, payload)) = damage {
        let names: Vec<String> = files.keys().cloned().collect();
        let name = &names[usize::from(file) % names.len()];
        let damaged = rewrap(&files[name], payload);
        files.insert(name.clone(), damaged);
    }
    for q in queries {
        search(&files, &q.render(), limit);
    }
});
