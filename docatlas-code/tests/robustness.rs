//! Bad input never panics: random bytes, and the fixtures' own sources cut and mangled, parsed
//! as every language the extractor reads, then compared with docs. Seeded, so a failure is
//! reproducible from its seed.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use docatlas_code::{compare, extract, CompareOptions, ExtractOptions};

/// xorshift64*: a reproducible stream without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const EXTENSIONS: &[&str] = &["js", "ts", "tsx", "py", "go", "java"];

/// Every source file of every fixture, as material to mangle.
fn fixture_sources() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut stack = vec![std::path::PathBuf::from("tests/fixtures")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|x| EXTENSIONS.iter().any(|e| x == *e) || x == "md")
            {
                out.push(std::fs::read(&p).unwrap());
            }
        }
    }
    out.sort();
    out
}

/// One mangled input: random bytes, tokens of real code shuffled, or a real file with bytes
/// flipped, cut or duplicated.
fn input(rng: &mut Rng, sources: &[Vec<u8>]) -> Vec<u8> {
    const TOKENS: &[&str] = &[
        "router.get(",
        "app.use(",
        "'/x'",
        "\"/y/{id}\"",
        "`/${a}`",
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        "@Get(",
        "@Controller(",
        "socket.on(",
        "io.to(r).emit(",
        "@app.get(",
        "include_router(",
        "r.Route(",
        "func(r chi.Router) {",
        "@RequestMapping(",
        "@GetMapping",
        "require(",
        "import ",
        "export default ",
        "module.exports = ",
        "from . import x\n",
        "def f(app):\n",
        "\n",
        "\t",
        ",",
        ";",
        ":",
        "=>",
        "=",
        "+",
        "\\",
        "\u{feff}",
        "é",
        "\u{0}",
        "/*",
        "*/",
        "\"\"\"",
    ];
    match rng.below(3) {
        0 => (0..rng.below(4096)).map(|_| rng.next() as u8).collect(),
        1 => {
            let mut s = String::new();
            for _ in 0..rng.below(400) {
                s.push_str(TOKENS[rng.below(TOKENS.len())]);
            }
            s.into_bytes()
        }
        _ => {
            let mut b = sources[rng.below(sources.len())].clone();
            for _ in 0..rng.below(12) {
                if b.is_empty() {
                    break;
                }
                let i = rng.below(b.len());
                match rng.below(4) {
                    0 => b[i] = rng.next() as u8,
                    1 => b.truncate(i),
                    2 => {
                        let j = (i + rng.below(200)).min(b.len());
                        let piece = b[i..j].to_vec();
                        b.splice(i..i, piece);
                    }
                    _ => {
                        b.remove(i);
                    }
                }
            }
            b
        }
    }
}

#[test]
fn arbitrary_bytes_as_source_in_every_language_never_panic() {
    let sources = fixture_sources();
    assert!(sources.len() > 40, "the fixtures are the seed corpus");
    let docs = common::fixture_docs("express");
    for seed in 1..=40u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let dir = tempfile::tempdir().unwrap();
        for i in 0..EXTENSIONS.len() * 4 {
            let ext = EXTENSIONS[i % EXTENSIONS.len()];
            let sub = dir.path().join(format!("d{}", i % 3));
            std::fs::create_dir_all(&sub).unwrap();
            std::fs::write(sub.join(format!("f{i}.{ext}")), input(&mut rng, &sources)).unwrap();
        }
        let inv = extract(&[dir.path().to_path_buf()], &ExtractOptions::default())
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let _ = compare(&docs, &inv, &CompareOptions::default());
    }
}

#[test]
fn deeply_nested_code_does_not_overflow_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let deep = 20_000;
    for (ext, open, close) in [
        ("js", "(", ")"),
        ("py", "[", "]"),
        ("go", "{", "}"),
        ("java", "(", ")"),
    ] {
        let mut s = String::from("x = ");
        s.push_str(&open.repeat(deep));
        s.push_str(&close.repeat(deep));
        std::fs::write(dir.path().join(format!("deep.{ext}")), s).unwrap();
    }
    let mut chain = String::from("const express = require('express'); const app = express(); app");
    chain.push_str(&".use(x)".repeat(5_000));
    std::fs::write(dir.path().join("chain.js"), chain).unwrap();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            extract(&[dir.path().to_path_buf()], &ExtractOptions::default()).map(|i| i.files_parsed)
        })
        .unwrap()
        .join()
        .expect("no stack overflow")
        .unwrap();
}
