//! Fuzzes the whole build, folder in, site out: the input decodes into a small docs tree (file
//! and folder names, page contents, an optional `docatlas.toml`), which is written to a temp
//! folder, compiled and written as a site. Any tree must build (only a bad `docatlas.toml` may
//! stop it), the site must read back, public sites must hold no internal page, and searching it
//! must work.
#![no_main]

use std::path::{Path, PathBuf};

use arbitrary::Arbitrary;
use build_index::{compile, site, Error, Options};
use docatlas_core::format::decode_payload;
use docatlas_core::{Audience, SearchOptions};

include!("../common/inputs.rs");

#[derive(Arbitrary, Debug)]
struct Tree {
    files: Vec<File>,
    config: Option<Config>,
    internal_build: bool,
    query: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
struct File {
    folders: Vec<Name>,
    name: Name,
    ext: Ext,
    content: Vec<Piece>,
}

#[derive(Arbitrary, Debug)]
enum Name {
    Known(u8),
    /// A known name in another case (`README` / `readme` both exist on case-sensitive disks).
    Upper(u8),
    Raw(String),
    /// Very long names: a character repeated up to the filesystem's limit.
    Long(char, u8),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Ext {
    Md,
    UpperMd,
    Markdown,
    Png,
    Yaml,
    NoExt,
    DoubleMd,
}

#[derive(Arbitrary, Debug)]
enum Piece {
    Fragment(u8),
    Text(String),
    Bytes(Vec<u8>),
    FrontMatter(Vec<(Key, Value)>),
    /// A link to another file of the tree (by index) in one of the forms people write.
    Link {
        form: u8,
        to: u8,
        anchor: bool,
    },
    Table {
        header: Vec<Cell>,
        rows: Vec<Vec<Cell>>,
    },
    Heading(u8, String),
    Task(bool, String),
}

#[derive(Arbitrary, Debug)]
enum Key {
    Known(u8),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum Value {
    Known(u8),
    Raw(String),
    Number(i64),
    Float(f64),
    Nested(u8, Box<Value>),
    List(Vec<Value>),
}

#[derive(Arbitrary, Debug)]
enum Cell {
    Known(u8),
    Raw(String),
    Link(u8),
}

#[derive(Arbitrary, Debug)]
enum Config {
    Raw(String),
    Globs {
        title: Option<String>,
        include: Vec<u8>,
        exclude: Vec<u8>,
    },
}

fn pick<'a>(list: &[&'a str], i: u8) -> &'a str {
    list[usize::from(i) % list.len()]
}

impl Name {
    fn render(&self) -> Option<String> {
        match self {
            Name::Known(i) => file_name(pick(NAMES, *i)),
            Name::Upper(i) => file_name(&pick(NAMES, *i).to_uppercase()),
            Name::Raw(s) => file_name(s),
            Name::Long(c, n) => file_name(&c.to_string().repeat(usize::from(*n).max(1))),
        }
    }
}

impl Ext {
    fn as_str(self) -> &'static str {
        match self {
            Ext::Md => ".md",
            Ext::UpperMd => ".MD",
            Ext::Markdown => ".markdown",
            Ext::Png => ".png",
            Ext::Yaml => ".yaml",
            Ext::NoExt => "",
            Ext::DoubleMd => ".md.md",
        }
    }
}

impl Value {
    fn render(&self, depth: usize, out: &mut String) {
        match self {
            Value::Known(i) => out.push_str(pick(FM_VALUES, *i)),
            Value::Raw(s) => out.push_str(s),
            Value::Number(n) => out.push_str(&n.to_string()),
            Value::Float(f) => out.push_str(&f.to_string()),
            Value::Nested(k, v) if depth < 40 => {
                out.push('{');
                out.push_str(pick(FM_KEYS, *k));
                out.push_str(": ");
                v.render(depth + 1, out);
                out.push('}');
            }
            Value::List(items) if depth < 40 => {
                out.push('[');
                for (i, v) in items.iter().take(8).enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    v.render(depth + 1, out);
                }
                out.push(']');
            }
            Value::Nested(..) | Value::List(_) => out.push('x'),
        }
    }
}

impl Cell {
    fn render(&self, links: &[String]) -> String {
        match self {
            Cell::Known(i) => pick(QUERY_PIECES, *i).to_string(),
            Cell::Raw(s) => s.replace('\n', " "),
            Cell::Link(i) => match links.get(usize::from(*i) % links.len().max(1)) {
                Some(l) => format!("[{l}]({l})"),
                None => "-".into(),
            },
        }
    }
}

/// Writes the tree under `root`; returns the docs-relative paths written. Files whose path the
/// filesystem refuses (a folder and a file of the same name) are skipped: that is the disk's
/// rule, not the build's.
fn write_tree(tree: &Tree, root: &Path) -> Vec<String> {
    let paths: Vec<Option<String>> = tree
        .files
        .iter()
        .take(8)
        .map(|f| {
            let mut parts = Vec::new();
            for d in f.folders.iter().take(3) {
                parts.push(d.render()?);
            }
            parts.push(format!("{}{}", f.name.render()?, f.ext.as_str()));
            Some(parts.join("/"))
        })
        .collect();
    let known: Vec<String> = paths.iter().flatten().cloned().collect();
    let mut written = Vec::new();
    for (file, path) in tree.files.iter().zip(&paths) {
        let Some(path) = path else { continue };
        let mut bytes = Vec::new();
        for piece in file.content.iter().take(40) {
            render_piece(piece, &known, &mut bytes);
        }
        let full: PathBuf = root.join(path);
        let ok = full
            .parent()
            .is_none_or(|p| std::fs::create_dir_all(p).is_ok())
            && std::fs::write(&full, &bytes).is_ok();
        if ok {
            written.push(path.clone());
        }
    }
    if let Some(cfg) = &tree.config {
        let text = match cfg {
            Config::Raw(s) => s.clone(),
            Config::Globs {
                title,
                include,
                exclude,
            } => {
                let globs = |list: &[u8]| {
                    list.iter()
                        .take(4)
                        .map(|&i| format!("{:?}", format!("**/{}*", pick(NAMES, i))))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let mut t = String::new();
                if let Some(title) = title {
                    t.push_str(&format!("title = {title:?}\n"));
                }
                t.push_str(&format!("include = [{}]\n", globs(include)));
                t.push_str(&format!("exclude = [{}]\n", globs(exclude)));
                t
            }
        };
        let _ = std::fs::write(root.join("docatlas.toml"), text);
    }
    written
}

fn render_piece(piece: &Piece, links: &[String], out: &mut Vec<u8>) {
    match piece {
        Piece::Fragment(i) => out.extend_from_slice(pick(FRAGMENTS, *i).as_bytes()),
        Piece::Text(s) => out.extend_from_slice(s.as_bytes()),
        Piece::Bytes(b) => out.extend_from_slice(b),
        Piece::FrontMatter(kvs) => {
            let mut s = String::from("---\n");
            for (k, v) in kvs.iter().take(12) {
                match k {
                    Key::Known(i) => s.push_str(pick(FM_KEYS, *i)),
                    Key::Raw(r) => s.push_str(r),
                }
                s.push_str(": ");
                v.render(0, &mut s);
                s.push('\n');
            }
            s.push_str("---\n");
            out.extend_from_slice(s.as_bytes());
        }
        Piece::Link { form, to, anchor } => {
            let target = links
                .get(usize::from(*to) % links.len().max(1))
                .map_or("missing", |t| t.trim_end_matches(".md"));
            let mut dest = pick(LINK_FORMS, *form).replace("{}", target);
            if *anchor {
                dest.push_str("#heading");
            }
            out.extend_from_slice(format!("[go]({dest}) <{dest}> ![i]({dest})\n").as_bytes());
        }
        Piece::Table { header, rows } => {
            let mut s = String::from("\n|");
            for c in header.iter().take(6) {
                s.push_str(&c.render(links));
                s.push('|');
            }
            s.push_str("\n|");
            for _ in 0..header.len().clamp(1, 6) {
                s.push_str("---|");
            }
            for row in rows.iter().take(6) {
                s.push_str("\n|");
                // Rows as long or short as they come: real tables are ragged.
                for c in row.iter().take(10) {
                    s.push_str(&c.render(links));
                    s.push('|');
                }
            }
            s.push('\n');
            out.extend_from_slice(s.as_bytes());
        }
        Piece::Heading(level, text) => {
            let hashes = "#".repeat(usize::from(level % 7) + 1);
            out.extend_from_slice(format!("\n{hashes} {text}\n").as_bytes());
        }
        Piece::Task(done, text) => {
            let mark = if *done { "x" } else { " " };
            out.extend_from_slice(format!("- [{mark}] {text}\n").as_bytes());
        }
    }
}

/// Fast scratch space when the machine has it (every run writes a tree and a site).
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(d) = tempfile::tempdir_in(shm) {
            return d;
        }
    }
    tempfile::tempdir().expect("a temp folder")
}

libfuzzer_sys::fuzz_target!(|tree: Tree| {
    let docs = scratch();
    let paths = write_tree(&tree, docs.path());
    let audience = if tree.internal_build {
        Audience::Internal
    } else {
        Audience::Public
    };
    let compiled = match compile(&Options {
        docs: docs.path().to_path_buf(),
        audience,
        progress: false,
    }) {
        Ok(c) => c,
        // A `docatlas.toml` that is not valid is the one input that may stop a build.
        Err(Error::Config { .. }) => return,
        Err(e) => panic!("the build stopped on {paths:?}: {e}"),
    };
    for d in &compiled.diagnostics {
        assert!(
            d.line >= 1 && d.col >= 1,
            "diagnostic without a position: {d}"
        );
    }
    let out = scratch();
    let site_dir = out.path().join("site");
    let written = site::write(&compiled, docs.path(), &site_dir)
        .unwrap_or_else(|e| panic!("writing the site of {paths:?} failed: {e}"));
    assert!(written.files.iter().any(|(n, _)| n == "docatlas.bin"));

    // The site reads back: its head, every page from its page file, and a search over it
    // through the same engine the CLI and the app use.
    let mut engine = site::open(&site_dir).expect("the site's own head decodes");
    assert_eq!(
        usize::try_from(engine.head().docs).ok(),
        Some(compiled.bundle.docs.len())
    );
    for doc in &compiled.bundle.docs {
        let name = docatlas_core::files::page_file(&doc.path);
        let bytes = site::read_file(&site_dir, &name).expect("a page's file exists");
        let pages: Vec<docatlas_core::Doc> =
            decode_payload(docatlas_core::files::PAGE_MAGIC, &bytes)
                .expect("a page file we wrote decodes");
        let read = pages
            .iter()
            .find(|p| p.path == doc.path)
            .unwrap_or_else(|| panic!("{} is missing from its page file", doc.path));
        assert_eq!(
            read.html, doc.html,
            "{}: page HTML changed on the way to disk",
            doc.path
        );
        assert!(
            audience == Audience::Internal || !read.internal,
            "{} is internal",
            doc.path
        );
    }
    let query = String::from_utf8_lossy(&tree.query);
    let results = site::run(&mut engine, &site_dir, |e| {
        e.search(&query, &SearchOptions::hits(10))
    })
    .expect("a search over the site's own files finishes");
    assert!(results.hits.len() <= 10);
    let _ = results.report();
});
