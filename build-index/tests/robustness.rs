//! Bad input never panics and never stops a build: random portals (file and folder names, front
//! matter values, link targets, table shapes, bytes) build into a site with diagnostics, and
//! random queries search it. Seeded, so a failure reproduces; the names and values come from
//! `fuzz/common/inputs.rs`, shared with the fuzz targets. Also the regression tests for inputs
//! that once broke a build (issue 8), each named after its input.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use build_index::{compile, site, Compiled, Options, Severity};
use docatlas_core::{Audience, Doc, Engine, SearchOptions, SearchResults};

include!("../../fuzz/common/inputs.rs");

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, one_in: u64) -> bool {
        self.next().is_multiple_of(one_in)
    }
}

fn build(docs: &Path, audience: Audience) -> Compiled {
    compile(&Options {
        docs: docs.to_path_buf(),
        audience,
        progress: false,
    })
    .unwrap_or_else(|e| panic!("the build of {} stopped: {e}", docs.display()))
}

fn doc<'a>(c: &'a Compiled, path: &str) -> &'a Doc {
    c.bundle
        .docs
        .iter()
        .find(|d| d.path == path)
        .unwrap_or_else(|| {
            let paths: Vec<_> = c.bundle.docs.iter().map(|d| &d.path).collect();
            panic!("no page {path:?} among {paths:?}")
        })
}

/// A random docs-relative path: up to two folders, a name, an extension (mostly Markdown).
fn random_path(rng: &mut Rng) -> String {
    let mut parts = Vec::new();
    for _ in 0..rng.below(3) {
        parts.extend(file_name(rng.pick(NAMES)));
    }
    let name = if rng.chance(9) {
        // Very long: up to the filesystem's 255-byte limit for a name.
        "長".repeat(1 + rng.below(80))
    } else {
        rng.pick(NAMES).to_string()
    };
    let ext = rng.pick(&[
        ".md",
        ".md",
        ".md",
        ".MD",
        ".markdown",
        ".md.md",
        ".png",
        ".yaml",
    ]);
    parts.push(file_name(&format!("{name}{ext}")).unwrap_or_else(|| "x.md".into()));
    parts.join("/")
}

fn random_front_matter(rng: &mut Rng) -> String {
    let mut s = String::from("---\n");
    for _ in 0..rng.below(8) {
        let key = rng.pick(FM_KEYS);
        let value = match rng.below(4) {
            0 => format!("{}", rng.next()),
            1 => format!("[{}, {}]", rng.pick(FM_VALUES), rng.pick(FM_VALUES)),
            2 => format!(
                "{}{}{}",
                "{a: ".repeat(rng.below(200)),
                rng.pick(FM_VALUES),
                "}".repeat(rng.below(200))
            ),
            _ => rng.pick(FM_VALUES).to_string(),
        };
        s.push_str(&format!("{key}: {value}\n"));
    }
    if !rng.chance(11) {
        s.push_str("---\n");
    }
    s
}

fn random_table(rng: &mut Rng, links: &[String]) -> String {
    let cols = 1 + rng.below(6);
    let mut s = String::from("\n|");
    for _ in 0..cols {
        s.push_str(rng.pick(&["Service", "Page", "Read time", "Feature", "", "Event", "x"]));
        s.push('|');
    }
    s.push_str("\n|");
    for _ in 0..cols {
        s.push_str(rng.pick(&["---", ":--", "--:", ":-:"]));
        s.push('|');
    }
    for _ in 0..rng.below(6) {
        s.push_str("\n|");
        // Ragged: rows shorter and longer than the header.
        for _ in 0..rng.below(cols + 3) {
            let cell = match rng.below(4) {
                0 if !links.is_empty() => {
                    let l = &links[rng.below(links.len())];
                    format!("[{l}]({l})")
                }
                1 => rng.pick(FM_VALUES).replace('\n', " "),
                _ => rng.pick(QUERY_PIECES).replace('\n', " "),
            };
            s.push_str(&cell);
            s.push('|');
        }
    }
    s.push('\n');
    s
}

fn random_page(rng: &mut Rng, others: &[String]) -> Vec<u8> {
    let mut bytes = Vec::new();
    if rng.chance(2) {
        bytes.extend_from_slice(random_front_matter(rng).as_bytes());
    }
    for _ in 0..rng.below(50) {
        match rng.below(10) {
            0 => bytes.extend((0..rng.below(8)).map(|_| rng.next() as u8)),
            1 => {
                let target = if others.is_empty() {
                    "missing".to_string()
                } else {
                    others[rng.below(others.len())].clone()
                };
                let dest = rng.pick(LINK_FORMS).replace("{}", &target);
                bytes.extend_from_slice(format!("[l]({dest}) ![i]({dest}) <{dest}>\n").as_bytes());
            }
            2 => bytes.extend_from_slice(random_table(rng, others).as_bytes()),
            _ => bytes.extend_from_slice(rng.pick(FRAGMENTS).as_bytes()),
        }
    }
    bytes
}

fn random_query(rng: &mut Rng) -> String {
    match rng.below(8) {
        // Thousands of terms.
        0 => vec![rng.pick(QUERY_PIECES); 1000 + rng.below(4000)].join(" "),
        // Very long: one word of tens of thousands of characters.
        1 => rng.pick(QUERY_PIECES).repeat(1 + rng.below(5_000)),
        // Control characters and unpaired quotes between words.
        2 => (0..rng.below(30))
            .map(|_| {
                char::from(rng.below(0x20) as u8).to_string() + rng.pick(&["\"", "a", "-", ":"])
            })
            .collect(),
        _ => (0..rng.below(8))
            .map(|_| rng.pick(QUERY_PIECES))
            .collect::<Vec<_>>()
            .join(rng.pick(&[" ", "", "  "])),
    }
}

#[test]
fn random_portals_build_write_and_search_without_panicking() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..10 {
        let dir = tempfile::tempdir().unwrap();
        let mut paths: Vec<String> = (0..8).map(|_| random_path(&mut rng)).collect();
        if round % 3 == 0 {
            // Names that differ only by case or normalisation, side by side.
            paths.extend(["Café.md", "café.md", "cafe\u{301}.md", "CAFÉ.md"].map(String::from));
        }
        let stems: Vec<String> = paths
            .iter()
            .map(|p| p.trim_end_matches(".md").to_string())
            .collect();
        for path in &paths {
            let full = dir.path().join(path);
            // A file and a folder of the same name cannot both exist: the disk's rule, skip.
            if full
                .parent()
                .is_some_and(|p| std::fs::create_dir_all(p).is_err())
            {
                continue;
            }
            let _ = std::fs::write(&full, random_page(&mut rng, &stems));
        }
        if rng.chance(4) {
            let globs = format!(
                "include = [\"**/*\"]\nexclude = [\"{}/**\"]\n",
                rng.pick(NAMES).replace(['"', '\\', '\n', '\t'], "")
            );
            std::fs::write(dir.path().join("docatlas.toml"), globs).unwrap();
        }
        for audience in [Audience::Public, Audience::Internal] {
            let c = build(dir.path(), audience);
            for d in &c.diagnostics {
                assert!(d.line >= 1 && d.col >= 1, "round {round}: {d}");
            }
            for d in &c.bundle.docs {
                assert!(audience == Audience::Internal || !d.internal, "{}", d.path);
                let minutes = 1..=build_index::frontmatter::MAX_READ_MINUTES;
                assert!(
                    minutes.contains(&d.read_minutes),
                    "{}: {}",
                    d.path,
                    d.read_minutes
                );
            }
            let out = tempfile::tempdir().unwrap();
            site::write(&c, dir.path(), out.path())
                .unwrap_or_else(|e| panic!("round {round}: writing the site failed: {e}"));
            // The search reads the written site, through the same decompressing reader as the CLI.
            let mut engine = site::open(out.path()).expect("a site we wrote opens");
            let opts = SearchOptions {
                limit: 5,
                facets: true,
            };
            for _ in 0..12 {
                let q = random_query(&mut rng);
                let r = site::run(&mut engine, out.path(), |e| e.search(&q, &opts))
                    .unwrap_or_else(|e| panic!("round {round}: `{q}`: {e}"));
                assert!(r.hits.len() <= 5);
                let _ = r.report();
            }
        }
    }
}

/// Issue 8 (fixed in `pipeline/docs.rs`): kind detection sliced the file name at byte 4, inside
/// `約` and right after `é`, and panicked; here through a whole build, with the names'
/// case and normalisation variants next to each other.
#[test]
fn pages_named_予約_md_and_café_notes_md_without_kind_build() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "予約.md",
        "café-notes.md",
        "cafe\u{301}-notes.md",
        "Café-Notes.md",
        "décisions/été.md",
    ];
    for name in names {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("# {name}\n\nText.\n")).unwrap();
    }
    for audience in [Audience::Public, Audience::Internal] {
        let c = build(dir.path(), audience);
        assert_eq!(c.bundle.docs.len(), names.len());
        for name in names {
            assert_eq!(doc(&c, name).kind, None, "{name}");
        }
    }
}

/// Issue 8: `99999999 * 60` overflowed the minutes. The value is ignored with a warning on its
/// line, and the reading time is estimated from the page's words.
#[test]
fn read_time_99999999h_is_a_warning_and_the_time_is_estimated() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("big.md"),
        "---\ntitle: Big\nread_time: 99999999h\n---\n# Big\n\nA few words.\n",
    )
    .unwrap();
    let c = build(dir.path(), Audience::Public);
    assert_eq!(doc(&c, "big.md").read_minutes, 1);
    let warning = c
        .diagnostics
        .iter()
        .find(|d| d.message.contains("read_time"))
        .expect("a read_time diagnostic");
    assert_eq!((warning.line, warning.col), (3, 1), "{warning}");
    assert_eq!(warning.severity, Severity::Warning);
    assert!(warning.message.contains("99999999h"), "{warning}");
}

/// Issue 8: a title with the Mac Roman rendering of `🛠️` and a body with Windows-1252
/// mojibake in one file; the per-file repair fixed the body and left the title broken.
#[test]
fn title_apple_logo_u_tilde_o_dagger_and_body_gr_a_tilde_o_pilcrow_ere_are_both_repaired() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("roadmap.md"),
        "# \u{F8FF}üõ†Ô∏è Werkzeuge\n\nGrÃ¶ÃŸere Dateien laden schneller.\n",
    )
    .unwrap();
    let c = build(dir.path(), Audience::Public);
    let page = doc(&c, "roadmap.md");
    assert_eq!(page.title, "🛠️ Werkzeuge");
    assert!(page.html.contains("Größere Dateien"), "{}", page.html);
    let repaired: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("mojibake"))
        .map(|d| (d.line, d.message.contains("Mac Roman")))
        .collect();
    assert_eq!(repaired, [(1, true), (3, false)]);
    assert_eq!(search(&c, "größere", 5).total, 1);
}

#[test]
fn a_query_of_5000_terms_with_every_operator_and_control_characters_answers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "# Booking refunds\n\n| Service |\n|---|\n| booking-api |\n\nRefund webhook.\n",
    )
    .unwrap();
    let c = build(dir.path(), Audience::Public);
    let every: String = QUERY_PIECES.join(" ");
    for q in [
        vec!["refund"; 5000].join(" "),
        vec![every.as_str(); 40].join(" "),
        format!("\"refund {}", "\u{0}\u{7}\u{1b}".repeat(1000)),
        "\"".repeat(999),
        "-".repeat(10_000),
        "OR ".repeat(3000),
        "kind:".repeat(2000),
    ] {
        let r = search(&c, &q, 10);
        assert!(r.hits.len() <= 10);
    }
}

/// Found by fuzz/decode_bundle: a data file whose checksum is right but whose term dictionary is
/// damaged made fst index past its nodes, and panicked. Now fst's own checksum is verified first.
#[test]
fn a_damaged_term_dictionary_under_a_valid_file_checksum_is_an_error_not_a_panic() {
    use docatlas_core::files::{ShardData, SHARD_MAGIC};
    use docatlas_core::format::{decode_payload, encode_payload};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "# Refunds\n\nBooking refund webhook retries.\n",
    )
    .unwrap();
    let c = build(dir.path(), Audience::Public);
    let files = docatlas_core::files::encode(&c.bundle);
    let (name, bytes) = files
        .iter()
        .find(|(n, _)| n.starts_with("index/"))
        .expect("a term shard");
    let mut shard: ShardData = decode_payload(SHARD_MAGIC, bytes).unwrap();
    assert!(shard.terms.len() > 48, "a dictionary with some nodes");
    // Damage the nodes; keep fst's own header (the first bytes) and trailer (the last ones).
    let end = shard.terms.len() - 24;
    for b in &mut shard.terms[16..end] {
        *b ^= 0xA5;
    }
    // encode_payload writes a correct file checksum over the damaged dictionary.
    let damaged = encode_payload(SHARD_MAGIC, &shard);
    let head = &files.iter().find(|(n, _)| n == "docatlas.bin").unwrap().1;
    let mut engine = Engine::new(head).unwrap();
    let err = engine
        .insert(name, &damaged)
        .expect_err("a damaged dictionary is refused");
    assert!(err.to_string().contains("term shard"), "{err}");
}

/// Searches a compiled bundle with the engine the CLI and the browser use, its files in memory.
fn search(c: &Compiled, q: &str, limit: usize) -> SearchResults {
    let files: std::collections::BTreeMap<String, Vec<u8>> =
        docatlas_core::files::encode(&c.bundle)
            .into_iter()
            .collect();
    let mut engine = Engine::new(&files["docatlas.bin"]).expect("a bundle we wrote decodes");
    let opts = SearchOptions {
        limit,
        facets: true,
    };
    engine
        .run(
            |e| e.search(q, &opts),
            |n| files.get(n).cloned().ok_or_else(|| n.to_string()),
        )
        .expect("every file a search asks for was written")
}
