//! Bad input never panics: random bytes and mangled Markdown build into a site with diagnostics,
//! and random queries search it. (Seeded, so a failure reproduces.)
#![cfg(not(target_arch = "wasm32"))]

use build_index::{compile, Options};
use docatlas_core::{Audience, Engine, SearchOptions};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Fragments that stress the parser: front matter, links, tables, HTML, encodings, markers.
const PIECES: &[&str] = &[
    "---\n",
    "title: x\n",
    "tags: [a, b\n",
    "# Heading\n",
    "## Größe {#custom}\n",
    "[link](missing.md#nope)",
    "[ok](page1.md)",
    "](",
    "[",
    "|a|b|\n|---|---|\n|1|2|\n",
    "| Service | Tables |\n|--|--|\n| x, y | z |\n",
    "- [ ] task\n",
    "- [x] done\n",
    "```\ncode {{TBD}}\n```\n",
    "```mermaid\na --> b\n",
    "{{TBD}}",
    "<script>alert(1)</script>",
    "<img src=x onerror=y>",
    "üõ†Ô∏è",
    "\u{FEFF}",
    "\r\n",
    "\n\n",
    "予約の払い戻し",
    "`src/a.ts:12`",
    "&#106;avascript:",
    "> quote\n",
    "***",
    "<!-- c -->",
    "\\",
    "*",
    "_",
    "~~",
    "\t",
];

#[test]
fn random_documents_and_queries_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..12 {
        let dir = tempfile::tempdir().unwrap();
        for page in 0..6 {
            let mut bytes: Vec<u8> = Vec::new();
            for _ in 0..(rng.next() % 60) {
                if rng.next().is_multiple_of(7) {
                    // Raw bytes, including invalid UTF-8 and NUL.
                    bytes.extend((0..rng.next() % 8).map(|_| rng.next() as u8));
                } else {
                    bytes.extend_from_slice(rng.pick(PIECES).as_bytes());
                }
            }
            let sub = if page % 2 == 0 { "" } else { "internal/" };
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
            std::fs::write(dir.path().join(format!("{sub}page{page}.md")), &bytes).unwrap();
        }
        for audience in [Audience::Public, Audience::Internal] {
            let c = compile(&Options {
                docs: dir.path().to_path_buf(),
                audience,
                progress: false,
            })
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
            let files: std::collections::BTreeMap<String, Vec<u8>> =
                docatlas_core::files::encode(&c.bundle)
                    .into_iter()
                    .collect();
            let mut engine =
                Engine::new(&files["docatlas.bin"]).expect("a bundle we wrote decodes");
            for _ in 0..20 {
                let q: String = (0..rng.next() % 6)
                    .map(|_| {
                        rng.pick(&[
                            "a", "x", "\"", "-", "OR", "kind:", "tag:a", "Größe", "予", " ",
                            "serach", "*", ":",
                        ])
                    })
                    .collect();
                let opts = SearchOptions::hits(5);
                engine
                    .run(
                        |e| e.search(&q, &opts),
                        |n| files.get(n).cloned().ok_or_else(|| n.to_string()),
                    )
                    .expect("every file a search asks for was written");
            }
        }
    }
}
