//! Search behaviour as a reader sees it, over data files encoded exactly as a build writes them.

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::*;
use crate::format::Bundle;
use crate::index::IndexBuilder;
use crate::model::{Doc, Facet, Section};

/// A built site in memory: its data files, and an engine that loads them as searches ask.
struct Site {
    files: BTreeMap<String, Vec<u8>>,
    engine: RefCell<Engine>,
    /// Every file any search asked for, to check what a query costs.
    fetched: RefCell<Vec<String>>,
}

impl Site {
    fn new(docs: &[Doc]) -> Site {
        let bundle = Bundle {
            index: IndexBuilder::new().build(docs),
            docs: docs.to_vec(),
            ..Bundle::default()
        };
        let files: BTreeMap<String, Vec<u8>> = crate::files::encode(&bundle).into_iter().collect();
        let engine = Engine::new(&files[crate::format::BUNDLE_FILE]).unwrap();
        Site {
            files,
            engine: RefCell::new(engine),
            fetched: RefCell::new(Vec::new()),
        }
    }

    fn run<T>(&self, ask: impl FnMut(&Engine) -> Step<T>) -> T {
        let mut engine = self.engine.borrow_mut();
        engine
            .run(ask, |name| {
                self.fetched.borrow_mut().push(name.to_string());
                self.files
                    .get(name)
                    .cloned()
                    .ok_or_else(|| format!("no file {name}"))
            })
            .unwrap()
    }

    fn search(&self, q: &str, limit: usize) -> SearchResults {
        let opts = SearchOptions {
            limit,
            facets: true,
        };
        self.run(|e| e.search(q, &opts))
    }
}

fn doc(path: &str, title: &str, sections: &[(&str, &str)]) -> Doc {
    let mut s = vec![Section {
        heading: title.into(),
        ..Section::default()
    }];
    for (h, t) in sections {
        s.push(Section {
            anchor: Some(h.to_lowercase().replace(' ', "-")),
            heading: (*h).into(),
            level: 2,
            text: (*t).into(),
            code: String::new(),
            defines: Vec::new(),
            hash: 0,
        });
    }
    Doc {
        path: path.into(),
        title: title.into(),
        sections: s,
        lang: Some("en".into()),
        ..Doc::default()
    }
}

fn corpus() -> (Vec<Doc>, Site) {
    let mut docs = vec![
        doc(
            "payments.md",
            "Payments service",
            &[
                ("Refunds", "Refunds are issued by the ledger within two days."),
                ("Webhooks", "Card provider webhooks arrive at the payments endpoint."),
            ],
        ),
        doc("fleet.md", "Fleet", &[("Vessels", "Each vessel reports its position every minute.")]),
        doc("overview.md", "Overview", &[("Services", "We run fleet, payments and pricing services.")]),
        doc(
            "de.md",
            "Betrieb",
            &[("Migration", "Jede Datenbankverbindung wird vor der Größenänderung geprüft. Die Datenbank ist wichtig.")],
        ),
    ];
    docs[0].kind = Some("runbook".into());
    docs[0].tags = vec!["billing".into()];
    docs[0].facets = vec![Facet {
        key: "owner".into(),
        value: "team-ledger".into(),
    }];
    docs[2].facets = vec![Facet {
        key: "owner".into(),
        value: "team-harbour".into(),
    }];
    docs[3].lang = Some("de".into());
    let si = Site::new(&docs);
    (docs, si)
}

fn paths(_docs: &[Doc], r: &SearchResults) -> Vec<String> {
    r.hits.iter().map(|h| h.path.clone()).collect()
}

#[test]
fn title_match_outranks_a_passing_mention() {
    let (_docs, si) = corpus();
    let r = si.search("payments ", 10);
    assert_eq!(paths(&[], &r), ["payments.md", "overview.md"]);
}

#[test]
fn hit_points_at_the_matching_section() {
    let (docs, si) = corpus();
    let r = si.search("webhooks ", 10);
    let hit = &r.hits[0];
    assert_eq!(hit.anchor.as_deref(), Some("webhooks"));
    assert_eq!(
        docs[hit.doc as usize].sections[hit.section as usize].heading,
        "Webhooks"
    );
}

#[test]
fn last_word_matches_as_prefix() {
    let (_docs, si) = corpus();
    let r = si.search("vess", 10);
    assert_eq!(paths(&[], &r), ["fleet.md"]);
    assert!(si.search("vess ", 10).hits.is_empty());
}

#[test]
fn stems_match_other_forms() {
    let (_docs, si) = corpus();
    let r = si.search("refunded issue ", 10);
    assert_eq!(paths(&[], &r), ["payments.md"]);
    assert_eq!(
        r.hits[0].snippet.highlights.len(),
        2,
        "{:?}",
        r.hits[0].snippet
    );
}

#[test]
fn exact_beats_stemmed_beats_prefix_beats_typo() {
    // Four pages saying the same thing, each with a different form of the word.
    let docs: Vec<Doc> = [
        ("a.md", "deploy"),
        ("b.md", "deploys"),
        ("c.md", "deployment"),
        ("d.md", "dploy"),
    ]
    .iter()
    .map(|(p, w)| doc(p, "Page", &[("Notes", &format!("{w} notes here"))]))
    .collect();
    let si = Site::new(&docs);
    let r = si.search("deploy", 10);
    assert_eq!(
        paths(&[], &r)[..3],
        ["a.md", "b.md", "c.md"],
        "{:?}",
        r.hits
    );
    let r = si.search("dploy ", 10);
    assert_eq!(paths(&[], &r)[0], "d.md");
}

#[test]
fn typos_including_swapped_letters_are_corrected() {
    let (_docs, si) = corpus();
    for (q, want) in [
        ("refnds ", "refunds"),
        ("rfeunds ", "refunds"),
        ("webhoosk ", "webhooks"),
        ("posiiton ", "position"),
    ] {
        let r = si.search(q, 10);
        assert!(!r.hits.is_empty(), "{q}");
        assert_eq!(r.corrected[0].1, want, "{q}");
    }
    // Short words are not corrected: too many false friends.
    assert_eq!(si.search("fleat ", 10).corrected[0].1, "fleet");
    assert!(si.search("flt ", 10).hits.is_empty());
}

#[test]
fn german_compounds_umlauts_and_stems() {
    let (_docs, si) = corpus();
    for q in [
        "Datenbank ",
        "verbindung ",
        "Größenänderung ",
        "groessenaenderung ",
        "grossenanderung ",
        "geprueft ",
    ] {
        let r = si.search(q, 10);
        assert_eq!(paths(&[], &r), ["de.md"], "{q}");
    }
}

#[test]
fn words_on_most_sections_do_not_dilute_a_specific_query() {
    let docs: Vec<Doc> = (0..6)
        .map(|i| {
            let text = if i == 4 {
                "the ledger drifts"
            } else {
                "the usual text"
            };
            doc(&format!("{i}.md"), "The page", &[("Notes", text)])
        })
        .collect();
    let si = Site::new(&docs);
    let with = si.search("the ledger ", 10);
    assert_eq!(
        paths(&[], &with),
        ["4.md"],
        "pages with only `the` are not results"
    );
    // Alone, a common word still finds everything.
    assert_eq!(si.search("the ", 10).total, 6);
}

#[test]
fn phrases_must_be_in_order() {
    let (_docs, si) = corpus();
    assert_eq!(
        paths(&[], &si.search("\"provider webhooks\"", 10)),
        ["payments.md"]
    );
    assert!(si.search("\"webhooks provider\"", 10).hits.is_empty());
}

#[test]
fn exclusions_and_or() {
    let (_docs, si) = corpus();
    assert_eq!(paths(&[], &si.search("fleet -payments ", 10)), ["fleet.md"]);
    let r = si.search("vessel OR ledger ", 10);
    let mut p = paths(&[], &r);
    p.sort();
    assert_eq!(p, ["fleet.md", "payments.md"]);
}

#[test]
fn filters_narrow_and_alone_list() {
    let (_docs, si) = corpus();
    assert_eq!(
        paths(&[], &si.search("payments kind:runbook", 10)),
        ["payments.md"]
    );
    assert_eq!(
        paths(&[], &si.search("owner:team-harbour", 10)),
        ["overview.md"]
    );
    assert_eq!(paths(&[], &si.search("tag:billing", 10)), ["payments.md"]);
    assert_eq!(paths(&[], &si.search("lang:de", 10)), ["de.md"]);
    assert_eq!(paths(&[], &si.search("title:fleet", 10)), ["fleet.md"]);
    assert_eq!(
        paths(&[], &si.search("payments -kind:runbook ", 10)),
        ["overview.md"]
    );
    // An unknown key is text, not a filter.
    assert!(si.search("nosuchkey:value", 10).hits.is_empty());
}

#[test]
fn facets_count_matching_pages() {
    let (_docs, si) = corpus();
    let r = si.search("payments ", 10);
    let owner: Vec<_> = r
        .facets
        .iter()
        .filter(|f| f.key == "owner")
        .map(|f| (f.value.as_str(), f.count))
        .collect();
    assert_eq!(owner, [("team-harbour", 1), ("team-ledger", 1)]);
    assert!(r
        .facets
        .iter()
        .any(|f| f.key == "kind" && f.value == "runbook" && f.count == 1));
}

/// The engine keeps the scores of words and the corrections of typos it has read (the browser
/// runs the query again on every keystroke): answers from those caches are the answers of an
/// engine that never saw the query, in any order of queries.
#[test]
fn cached_words_and_typos_answer_as_a_fresh_engine_does() {
    let (docs, _) = corpus();
    let queries = [
        "refund webhook",
        "refund webhoo",
        "refnds webhook",
        "webhook refund",
        "\"refund webhook\"",
        "payments -refund",
        "refnds",
        "position fleet",
        "refund webhook",
        "posiiton",
    ];
    let warm = Site::new(&docs);
    // Every word is cached, however short its postings.
    warm.engine.borrow().scores.borrow_mut().min_postings = 0;
    for round in 0..2 {
        for q in queries {
            let fresh = Site::new(&docs);
            fresh.engine.borrow().scores.borrow_mut().min_postings = u64::MAX;
            assert_eq!(
                warm.search(q, 10),
                fresh.search(q, 10),
                "round {round}: {q}"
            );
            assert_eq!(
                warm.run(|e| e.matched(q)),
                fresh.run(|e| e.matched(q)),
                "round {round}: {q}"
            );
        }
    }
    assert!(!warm.engine.borrow().typos.borrow().words_is_empty());
}

/// The app receives results from the search-first module as postcard bytes: every field must come
/// back as it went (a `skip_serializing_if` would shift every field after it).
#[test]
fn results_cross_to_the_app_unchanged() {
    let (_docs, si) = corpus();
    for q in [
        "payments ",
        "refnds ",
        "\"refund webhook\" -kind:adr",
        "webhook owner:team-ledger",
    ] {
        let r = si.search(q, 10);
        let bytes = postcard::to_allocvec(&r).unwrap();
        let back: SearchResults = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, r, "{q}");
    }
    let r = si.search("payments ", 10);
    assert!(!r.hits.is_empty() && !r.facets.is_empty() && !r.matched.terms.is_empty());
    assert!(!si.search("refnds ", 10).corrected.is_empty());
}

#[test]
fn snippet_highlights_land_on_matched_words() {
    let (_docs, si) = corpus();
    let r = si.search("ledger ", 10);
    let sn = &r.hits[0].snippet;
    assert!(!sn.highlights.is_empty());
    for &(a, b) in &sn.highlights {
        assert_eq!(sn.text[a..b].to_lowercase(), "ledger");
    }
}

#[test]
fn snippet_picks_the_densest_window_and_cuts_at_words() {
    let text = "needle ".to_string()
        + &"alpha ".repeat(40)
        + "needle haystack needle "
        + &"omega ".repeat(60);
    let matched = Matched {
        terms: ["needle".to_string()].into(),
        ..Matched::default()
    };
    let sn = snippet(&text, &matched);
    assert!(
        sn.text.starts_with('…') && sn.text.ends_with('…'),
        "{}",
        sn.text
    );
    assert_eq!(
        sn.highlights.len(),
        2,
        "the window with two needles wins: {}",
        sn.text
    );
    assert!(!sn.text.contains("alph…") && !sn.text.contains(" omeg…"));
    for &(a, b) in &sn.highlights {
        assert_eq!(&sn.text[a..b], "needle");
    }
}

#[test]
fn no_match_is_empty_not_error() {
    let (_docs, si) = corpus();
    let r = si.search("zzzzqqq", 10);
    assert_eq!((r.total, r.hits.len()), (0, 0));
    for q in ["", "   ", "-", "\"", "OR", "kind:", "-\"\""] {
        assert_eq!(si.search(q, 10).total, 0, "{q}");
    }
}

#[test]
fn a_query_of_seventy_words_naming_an_entity_finds_its_row_and_says_what_it_left_out() {
    // Once a 64-bit mask: the 65th group overflowed a shift, and words after the 64th were
    // dropped without a word. Now a query's first 64 terms count, each of them, and the
    // results say when more were left out.
    let name: Vec<String> = (0..70).map(|i| format!("w{i}")).collect();
    let mut d = doc("catalog.md", "Catalog", &[("Rows", &name.join(" "))]);
    d.sections[1].defines = vec![name.join(" ")];
    let other = doc("other.md", "Other", &[("Notes", "w69 alone")]);
    let si = Site::new(&[d, other]);
    let r = si.search(&name.join(" "), 5);
    assert_eq!(r.hits[0].path, "catalog.md");
    assert_eq!(r.hits[0].anchor.as_deref(), Some("rows"));
    assert_eq!(r.notices.len(), 1, "{:?}", r.notices);
    // The 64th word alone still counts: the other page matches it too.
    let mut q: Vec<&str> = vec!["nothing"; 63];
    q.push("w69");
    let r = si.search(&q.join(" "), 5);
    assert_eq!(r.total, 2, "{:?}", r.hits);
    assert!(r.notices.is_empty(), "{:?}", r.notices);
    // The 70th is left out, and said to be.
    let mut q: Vec<&str> = vec!["nothing"; 69];
    q.push("w69");
    let r = si.search(&q.join(" "), 5);
    assert_eq!(r.total, 0, "{:?}", r.hits);
    assert!(r.notices[0].contains("6 left out"), "{:?}", r.notices);
}

#[test]
fn an_engine_reads_pages_only_from_its_own_files() {
    // The search code once indexed a `docs` slice passed in separately from the one its
    // index was built from, and panicked on a mismatch. Hits now carry their page's path
    // and title from the site's own text fragments: there is no second slice to get wrong.
    let (_, si) = corpus();
    let r = si.search("vessel ", 10);
    assert_eq!(r.hits[0].path, "fleet.md");
    assert_eq!(r.hits[0].title, "Fleet");
    assert_eq!(r.hits[0].heading, "Vessels");
}

#[test]
fn cli_flags_find_their_sections() {
    let docs = vec![
        doc(
            "cli.md",
            "Command line",
            &[
                (
                    "-F: set lint forbidden",
                    "Sets lints to forbid. See also -W.",
                ),
                (
                    "--out-dir: output directory",
                    "Where to write -o output; --out-dir wins.",
                ),
                ("--color: configure coloring", "Colors."),
            ],
        ),
        doc(
            "f.md",
            "Letters",
            &[("F sharp", "The letter f, and directories to output.")],
        ),
    ];
    let si = Site::new(&docs);
    for (q, anchor) in [
        ("-F: set lint forbidden", "-f:-set-lint-forbidden"),
        ("--out-dir", "--out-dir:-output-directory"),
        (
            "-o/--out-dir: output directory",
            "--out-dir:-output-directory",
        ),
        ("--color", "--color:-configure-coloring"),
        ("-F", "-f:-set-lint-forbidden"),
    ] {
        let r = si.search(q, 5);
        assert!(!r.hits.is_empty(), "{q}");
        assert_eq!(
            r.hits[0].anchor.as_deref(),
            Some(anchor),
            "{q}: {:?}",
            r.hits
        );
    }
}

#[test]
fn a_first_search_loads_a_few_files_not_the_site() {
    let docs: Vec<Doc> = (0..200)
        .map(|i| {
            doc(
                &format!("p{i:03}.md"),
                &format!("Page {i}"),
                &[("Notes", &format!("word{i} shared text here"))],
            )
        })
        .collect();
    let si = Site::new(&docs);
    let r = si.search("word42 ", 10);
    assert_eq!(r.hits[0].path, "p042.md");
    let fetched = si.fetched.borrow();
    assert!(
        fetched.len() <= 4,
        "a one-word query needs its shard and one text fragment: {fetched:?}"
    );
    assert!(
        fetched.iter().any(|f| f.starts_with("text/42-")),
        "{fetched:?}"
    );
}

#[test]
fn typos_in_the_first_letter_are_corrected() {
    let (_, si) = corpus();
    let r = si.search("xefunds ", 10);
    assert_eq!(r.corrected[0].1, "refunds");
    assert_eq!(paths(&[], &r), ["payments.md"]);
}

/// `fuzz/regressions/search-slow-5000-term-query`: a query that repeats a piece thousands of
/// times (a pasted wall of text) took seconds. Only its first terms are searched for, and the
/// results say so.
#[test]
fn search_slow_5000_term_query() {
    let (_, si) = corpus();
    // Each piece with how many of it fit in 64 terms (`payments.service` is two words).
    for (piece, fit) in [
        ("refunds", 64),
        ("the", 64),
        ("refnds", 64),
        ("payments.service", 32),
        ("-vessel", 64),
        ("kind:runbook", 64),
    ] {
        let long = vec![piece; 4999].join(" ");
        let started = std::time::Instant::now();
        let r = si.search(&long, 10);
        let took = started.elapsed();
        assert!(
            took < std::time::Duration::from_secs(2),
            "{piece} × 4999 took {took:?}"
        );
        assert_eq!(r.notices.len(), 1, "{piece}: {:?}", r.notices);
        assert!(r.notices[0].contains("first 64 terms"), "{:?}", r.notices);
        // The same pages as the query's first terms alone (typed to the end, so no prefix).
        let short = vec![piece; fit].join(" ") + " ";
        let s = si.search(&short, 10);
        assert_eq!(paths(&[], &r), paths(&[], &s), "{piece}");
        assert!(s.notices.is_empty(), "{piece}: {:?}", s.notices);
    }
    // A query of ordinary length has no notice.
    assert!(si.search("refunds ledger", 10).notices.is_empty());
}

#[test]
fn a_cjk_query_without_spaces_finds_pages_with_its_bigrams_in_any_order_best_first() {
    // The query 数据库迁移 ("database migration") is the bigrams 数据 据库 库迁 迁移.
    let zh = |path: &str, title: &str, text: &str| {
        let mut d = doc(path, title, &[("正文", text)]);
        d.lang = Some("zh".into());
        d
    };
    let site = Site::new(&[
        // Every character, in another order, with others between: not the phrase.
        zh(
            "scattered.md",
            "迁移指南",
            "先迁移表结构，再检查数据库的索引。",
        ),
        zh("exact.md", "运维手册", "数据库迁移需要先备份。"),
        zh("one.md", "监控", "查看数据面板。"),
        zh("none.md", "部署", "使用容器部署服务。"),
    ]);
    let hits = |q: &str| -> Vec<String> {
        site.search(q, 10)
            .hits
            .into_iter()
            .map(|h| h.path)
            .collect()
    };
    let got = hits("数据库迁移");
    assert_eq!(
        got.first().map(String::as_str),
        Some("exact.md"),
        "the page holding the run as written ranks first: {got:?}"
    );
    assert_eq!(
        got.get(1).map(String::as_str),
        Some("scattered.md"),
        "then the one with the most of its bigrams: {got:?}"
    );
    assert!(!got.contains(&"none.md".to_string()), "{got:?}");
    // Japanese kana and kanji mixed, and Korean, the same way.
    let site = Site::new(&[
        zh("ja.md", "手順", "バックアップを取ってから移行する。"),
        zh("ko.md", "절차", "데이터베이스 이전 전에 백업하세요."),
    ]);
    let got: Vec<String> = site
        .search("移行バックアップ", 10)
        .hits
        .into_iter()
        .map(|h| h.path)
        .collect();
    assert_eq!(got.first().map(String::as_str), Some("ja.md"), "{got:?}");
    let got: Vec<String> = site
        .search("백업데이터베이스", 10)
        .hits
        .into_iter()
        .map(|h| h.path)
        .collect();
    assert_eq!(got.first().map(String::as_str), Some("ko.md"), "{got:?}");
}

#[test]
fn the_page_titled_as_the_query_ranks_first_above_the_catalog_row_and_pages_that_repeat_it() {
    let mut catalog = doc(
        "catalog/services.md",
        "Service catalog",
        &[(
            "Services",
            "payments payments: owns the payments tables, payments webhooks",
        )],
    );
    catalog.sections[1].defines = vec!["payments".into()];
    let site = Site::new(&[
        catalog,
        doc(
            "ops/notes.md",
            "Operations notes",
            &[(
                "Payments webhooks",
                "payments payments payments retry the payments queue",
            )],
        ),
        doc(
            "services/payments.md",
            "Payments",
            &[("Overview", "Takes card details and talks to the acquirer.")],
        ),
        doc(
            "guides/checkout.md",
            "Checkout",
            &[
                ("Refund flow", "How a refund goes back to the card."),
                ("Other", "refund flow notes, refund flow again"),
            ],
        ),
    ]);
    let first = |q: &str| {
        let r = site.search(q, 10);
        let h = r.hits.first().expect("a hit");
        (h.path.clone(), h.anchor.clone())
    };
    assert_eq!(first("payments").0, "services/payments.md");
    assert_eq!(
        first("PAYMENTS!").0,
        "services/payments.md",
        "case and punctuation folded"
    );
    assert_eq!(
        first("refund flow"),
        (
            "guides/checkout.md".to_string(),
            Some("refund-flow".to_string())
        ),
        "a section headed by the query is the hit"
    );
}

#[test]
fn a_typo_still_finds_the_section_headed_by_the_words_meant() {
    let docs = vec![
        doc(
            "building.md",
            "Building the compiler",
            &[
                ("Running x.py", "The build script takes a command."),
                (
                    "Running x.py slightly more conveniently",
                    "Running x.py from anywhere: running x.py through a wrapper keeps running \
                     x.py short. Running it often, running it fast.",
                ),
            ],
        ),
        doc("other.md", "Other", &[("Notes", "Nothing about scripts.")]),
    ];
    let si = Site::new(&docs);
    for q in ["running x.py", "runneing x.py", "Runnign x.py"] {
        let r = si.search(q, 5);
        assert_eq!(r.hits[0].anchor.as_deref(), Some("running-x.py"), "{q}");
    }
}
