//! Fuzzes search given any bundle and any query. The bundle is either built from arbitrary pages
//! (sections, entity definitions, facets, languages; texts drawn from a shared vocabulary so
//! queries hit) and round-tripped through the format, or arbitrary payload bytes wrapped in a
//! valid header (so the decoder's checks after the checksum are reached). Queries are very long,
//! hold every operator, control characters and unpaired quotes.
//!
//! Written against today's API (`SearchIndex::new(index, &docs)`, `search(&docs, ..)`); the
//! search workstream is replacing the engine, and this target is ported with it.
#![no_main]

use arbitrary::Arbitrary;
use docatlas_core::format::FORMAT_VERSION;
use docatlas_core::index::IndexBuilder;
use docatlas_core::{Audience, Bundle, Doc, Facet, SearchIndex, Section, Site, MAGIC};

include!("../common/inputs.rs");

#[derive(Arbitrary, Debug)]
enum Input {
    Built {
        docs: Vec<DocIn>,
        queries: Vec<QueryIn>,
        limit: u8,
    },
    /// A head file's payload (postcard), wrapped in a header with the right length and checksum.
    Payload {
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
            })
            .collect(),
        tasks: Vec::new(),
        html: String::new(),
    }
}

/// The definition bonus in today's engine shifts by the number of query groups and overflows
/// at 64 (issue 8; the search workstream fixes it in its rewrite): skip exactly those queries
/// until then, so the target keeps looking for other defects. Remove when porting.
fn hits_known_shift_overflow(index: &SearchIndex, query: &str) -> bool {
    let q = docatlas_core::query::parse(query, &|k| index.is_filter_key(k));
    q.groups.len() >= 64 && q.groups.iter().all(|g| g.len() == 1)
}

fn search(bundle: &Bundle, query: &str, limit: u8) {
    let Ok(index) = SearchIndex::new(bundle.index.clone(), &bundle.docs) else {
        return;
    };
    if hits_known_shift_overflow(&index, query) {
        return;
    }
    let limit = usize::from(limit);
    let results = index.search(&bundle.docs, query, limit);
    assert!(results.hits.len() <= limit);
    assert!(results.hits.len() <= results.total);
    for hit in &results.hits {
        let doc = &bundle.docs[hit.doc];
        assert!(hit.section < doc.sections.len());
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
    let report = results.report(&bundle.docs);
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

libfuzzer_sys::fuzz_target!(|input: Input| match input {
    Input::Built {
        docs,
        queries,
        limit,
    } => {
        let docs: Vec<Doc> = docs.iter().take(6).map(doc).collect();
        let index = IndexBuilder::new().build(&docs);
        let built = Bundle {
            site: Site {
                title: "fuzz".into(),
                audience: Audience::Public,
            },
            docs,
            index,
            chunks: Vec::new(),
        };
        // Through the format, as the app gets it.
        let bytes = docatlas_core::encode(&built).head;
        let bundle = docatlas_core::decode(&bytes).expect("a bundle we encoded decodes");
        SearchIndex::new(bundle.index.clone(), &bundle.docs).expect("an index fits its pages");
        for q in queries.iter().take(4) {
            search(&bundle, &q.render(), limit);
        }
    }
    Input::Payload {
        payload,
        query,
        limit,
    } => {
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&fnv1a64(&payload).to_le_bytes());
        bytes.extend_from_slice(&payload);
        if let Ok(bundle) = docatlas_core::decode(&bytes) {
            search(&bundle, &query.render(), limit);
        }
    }
});
