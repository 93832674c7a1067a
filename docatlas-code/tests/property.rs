//! Property: a route documented with any parameter spelling, any parameter names, trailing or
//! doubled slashes and any method case is matched by the code's route, whatever framework
//! spells it; the comparison then reports nothing.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use docatlas_code::{
    compare, extract, CompareOptions, DocInventory, DocRoute, DocTable, ExtractOptions, Place,
};
use proptest::prelude::*;

/// How the docs may spell a parameter named `n`.
fn doc_param(style: u8, n: &str) -> String {
    match style % 8 {
        0 => format!(":{n}"),
        1 => format!("{{{n}}}"),
        2 => format!("<{n}>"),
        3 => format!("<int:{n}>"),
        4 => format!("{{{n}:[0-9]+}}"),
        5 => format!("[{n}]"),
        6 => format!("*{n}"),
        _ => format!("{{{n}...}}"),
    }
}

/// A one-route source file of framework `fw` for `path`, with its parameters spelled the
/// framework's way: `(relative file name, text)`.
fn code_file(fw: u8, segs: &[(bool, String)]) -> (String, String) {
    let spell = |style: fn(&str) -> String| -> String {
        let mut p = String::new();
        for (param, name) in segs {
            p.push('/');
            p.push_str(&if *param { style(name) } else { name.clone() });
        }
        if p.is_empty() {
            p.push('/');
        }
        p
    };
    match fw % 6 {
        0 => (
            "app.js".into(),
            format!(
                "const express = require('express');\nconst app = express();\napp.get('{}', handler);\n",
                spell(|n| format!(":{n}"))
            ),
        ),
        1 => (
            "main.py".into(),
            format!(
                "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"{}\")\ndef handler():\n    pass\n",
                spell(|n| format!("{{{n}}}"))
            ),
        ),
        2 => (
            "app.py".into(),
            format!(
                "from flask import Flask\napp = Flask(__name__)\n\n@app.route(\"{}\")\ndef handler():\n    pass\n",
                spell(|n| format!("<int:{n}>"))
            ),
        ),
        3 => (
            "main.go".into(),
            format!(
                "package main\n\nimport \"github.com/go-chi/chi/v5\"\n\nfunc main() {{\n\tr := chi.NewRouter()\n\tr.Get(\"{}\", handler)\n}}\n",
                spell(|n| format!("{{{n}:[0-9]+}}"))
            ),
        ),
        4 => (
            "main.go".into(),
            format!(
                "package main\n\nimport \"net/http\"\n\nfunc main() {{\n\thttp.HandleFunc(\"GET {}\", handler)\n}}\n",
                spell(|n| format!("{{{n}}}"))
            ),
        ),
        _ => (
            "Api.java".into(),
            format!(
                "@RestController\npublic class Api {{\n    @GetMapping(\"{}\")\n    public String handler() {{ return \"\"; }}\n}}\n",
                spell(|n| format!("{{{n}}}"))
            ),
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn a_documented_route_in_any_spelling_is_never_reported(
        segs in proptest::collection::vec((any::<bool>(), "[a-z][a-z0-9_]{0,7}"), 1..5),
        fw in 0u8..6,
        styles in proptest::collection::vec(0u8..8, 1..5),
        rename in "[a-z]{1,4}",
        trailing in any::<bool>(),
        method_case in 0u8..3,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let (name, text) = code_file(fw, &segs);
        std::fs::write(dir.path().join(&name), text).unwrap();
        let inv = extract(&[dir.path().to_path_buf()], &ExtractOptions::default()).unwrap();
        prop_assert_eq!(inv.routes.len(), 1, "{:?}", inv.routes);

        let mut path = String::new();
        for (i, (param, n)) in segs.iter().enumerate() {
            path.push('/');
            if *param {
                path.push_str(&doc_param(styles[i % styles.len()], &format!("{rename}{n}")));
            } else {
                path.push_str(n);
            }
        }
        if trailing {
            path.push('/');
        }
        let method = ["GET", "get", "Get"][usize::from(method_case)].to_string();
        let place = Place::new("docs/routes.md", 3, 1);
        let docs = DocInventory {
            routes: vec![DocRoute { method, path, handler: Some("handler".into()), place: place.clone(), table: Some(0) }],
            route_tables: vec![DocTable { place, title: None }],
            ..DocInventory::default()
        };
        let findings = compare(&docs, &inv, &CompareOptions::default());
        prop_assert!(findings.is_empty(), "{}", common::render_findings(&findings));
    }
}
