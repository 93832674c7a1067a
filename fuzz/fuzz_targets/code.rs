//! Fuzzes route and event extraction and the comparison with docs: the input is split into
//! source files of every language the extractor reads (in folders that import each other), and
//! the inventory is compared with a small documented inventory.
#![no_main]

use docatlas_code::{compare, extract_sources, CompareOptions, DocCodeRef, DocEvent, DocInventory, DocRoute, DocTable, IgnoreRule, Place};

/// Where each piece of the input goes: names that import each other (`./users`, `.routers`,
/// the Go package of `go.mod`'s module) so that mounts across files are exercised.
const NAMES: &[&str] = &[
    "src/app.ts",
    "src/users.js",
    "src/view.tsx",
    "app/main.py",
    "app/routers/users.py",
    "go.mod",
    "cmd/main.go",
    "internal/api/routes.go",
    "src/main/java/a/Api.java",
    "packages/shared/package.json",
    "packages/shared/src/index.ts",
    "tsconfig.json",
];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let sources: Vec<(String, String)> = text
        .split('\u{1}')
        .zip(NAMES.iter())
        .map(|(t, n)| (n.to_string(), t.to_string()))
        .collect();
    let inv = extract_sources(&sources);
    let place = Place::new("docs.md", 3, 1);
    let docs = DocInventory {
        routes: vec![DocRoute {
            method: "GET".into(),
            path: "/users/:id".into(),
            handler: Some("UsersController.get".into()),
            place: place.clone(),
            table: Some(0),
        }],
        events: vec![DocEvent {
            name: "bid:new".into(),
            direction: Some("server→client".into()),
            handler: None,
            place: place.clone(),
            table: Some(0),
        }],
        code_refs: vec![DocCodeRef {
            file: "src/app.ts".into(),
            line: 3,
            symbol: Some("App.get".into()),
            place: place.clone(),
        }],
        route_tables: vec![DocTable { place: place.clone(), title: None }],
        event_tables: vec![DocTable { place: place.clone(), title: None }],
    };
    let opts = CompareOptions {
        ignore: vec![IgnoreRule { text: "GET /healthz".into(), place }],
    };
    let _ = compare(&docs, &inv, &opts);
});
