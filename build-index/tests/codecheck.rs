//! `check --code` and `[code]` in docatlas.toml as users' CI sees them: the example portal
//! against its code tree (one deliberate undocumented route), the text, JSON and GitHub
//! formats, exit codes, ignore rules, and the graph's code places after `build --code`.
//! Refresh the golden files after an intended change with
//! `UPDATE_EXPECT=1 cargo test -p build-index --test codecheck`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{bin, repo, run};
use serde_json::Value;

/// `check examples/portal --code examples/portal-code [extra...]`, run from the repository
/// root as a CI job would be.
fn check_portal(extra: &[&str]) -> (Option<i32>, String, String) {
    let (out, stdout, stderr) = run(bin()
        .current_dir(repo())
        .args(["check", "examples/portal", "--code", "examples/portal-code"])
        .args(extra));
    (out.status.code(), stdout, stderr)
}

#[test]
fn the_example_portal_against_its_code_has_one_error_the_undocumented_route() {
    let (code, stdout, stderr) = check_portal(&[]);
    assert_eq!(
        code,
        Some(1),
        "an undocumented route fails the gate: {stderr}"
    );
    expect_test::expect_file!["golden/check-portal-code.txt"].assert_eq(&stdout);
    let errors: Vec<&str> = stdout.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 1, "{stdout}");
    assert!(
        errors[0].starts_with(
            "examples/portal-code/services/booking-api/src/bookings/bookings.controller.ts:56:3: error: route `GET /api/v1/bookings/:id/receipt`"
        ),
        "the error is at the code line: {}",
        errors[0]
    );
    assert!(
        errors[0].contains("catalog/routes.md:17:1"),
        "names the table: {}",
        errors[0]
    );
    assert!(
        stderr.contains(
            "against 40 code files under examples/portal-code (23 routes, 9 socket events"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("1 error"), "{stderr}");
}

#[test]
fn every_documented_route_and_event_of_the_portal_is_found_in_its_code() {
    let (_, stdout, _) = check_portal(&["--json"]);
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object a line"))
        .collect();
    let code_kinds: Vec<&str> = lines.iter().filter_map(|v| v["kind"].as_str()).collect();
    assert_eq!(
        code_kinds,
        ["undocumented-route"],
        "no missing route or event, no stale reference, no handler mismatch"
    );
}

#[test]
fn json_lines_keep_their_shape_and_findings_add_kind_origin_related() {
    let (code, stdout, _) = check_portal(&["--json"]);
    assert_eq!(code, Some(1));
    for line in stdout.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        if v.get("kind").is_none() {
            assert_eq!(
                keys,
                ["path", "line", "col", "severity", "message"],
                "{line}"
            );
        } else {
            assert_eq!(
                keys,
                ["path", "line", "col", "severity", "message", "kind", "origin", "related"],
                "{line}"
            );
            assert_eq!(v["origin"], "code");
            assert_eq!(v["related"], "catalog/routes.md:17:1");
            assert_eq!(v["line"], 56);
        }
    }
}

#[test]
fn github_format_annotates_docs_and_code_lines_by_repository_path() {
    let (code, stdout, _) = check_portal(&["--format", "github"]);
    assert_eq!(code, Some(1), "the same exit code in every format");
    expect_test::expect_file!["golden/check-portal-code-github.txt"].assert_eq(&stdout);
    assert!(stdout.lines().all(|l| l.starts_with("::")), "{stdout}");
    assert!(stdout.contains(
        "::error file=examples/portal-code/services/booking-api/src/bookings/bookings.controller.ts,line=56,col=3,title=docatlas%3A undocumented-route::route `GET /api/v1/bookings/:id/receipt`"
    ));
    assert!(
        stdout.contains(
            "::warning file=examples/portal/catalog/services.md,line=29,col=1,title=docatlas::"
        ),
        "docs diagnostics are annotated too, under the docs folder: {stdout}"
    );
    let (out, _, stderr) = run(bin().current_dir(repo()).args([
        "check",
        "examples/portal",
        "--json",
        "--format",
        "text",
    ]));
    assert_eq!(
        out.status.code(),
        Some(2),
        "--json and --format conflict: {stderr}"
    );
}

/// A docs folder and a code folder beside it, with `docatlas.toml` naming the code.
fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let w = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w("docs/docatlas.toml", config);
    w(
        "docs/api.md",
        "# API\n\n## Routes\n\n| Method | Path | Handler |\n|---|---|---|\n| GET | /users/{id} | getUser |\n| POST | /users | createUser |\n\nThe lookup is `getUser`: `src/users.js:4`.\n",
    );
    w(
        "code/src/app.js",
        "const express = require('express');\nconst users = require('./users');\nconst app = express();\napp.use('/users', users);\napp.get('/healthz', (req, res) => res.send('ok'));\napp.listen(3000);\n",
    );
    w(
        "code/src/users.js",
        "const express = require('express');\nconst router = express.Router();\n\nfunction getUser(req, res) { res.json({}); }\nfunction createUser(req, res) { res.json({}); }\n\nrouter.get('/:id', getUser);\nrouter.post('/', createUser);\nmodule.exports = router;\n",
    );
    dir
}

#[test]
fn code_roots_and_ignore_rules_from_docatlas_toml() {
    let dir = project("title = \"T\"\n\n[code]\nroots = [\"../code\"]\n");
    let docs = dir.path().join("docs");
    let (out, stdout, stderr) = run(bin().current_dir(dir.path()).arg("check").arg("docs"));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("code/src/app.js:5:1: error: route `GET /healthz` is not documented"),
        "a root from the config is shown as a path from the working directory: {stdout}"
    );
    assert!(
        !stdout.contains("/users"),
        "documented routes are not reported: {stdout}"
    );

    std::fs::write(
        docs.join("docatlas.toml"),
        "title = \"T\"\n\n[code]\nroots = [\"../code\"]\nignore = [\n  \"GET /healthz\",\n  \"events: ping\",\n]\n",
    )
    .unwrap();
    let (out, stdout, stderr) = run(bin().current_dir(dir.path()).arg("check").arg("docs"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "an ignored route passes: {stdout}{stderr}"
    );
    assert!(
        stdout.contains(
            "docatlas.toml:7:3: note: ignore rule \"events: ping\" matches nothing in the code or the docs: remove it"
        ),
        "an unused rule is a note where it is written: {stdout}"
    );

    // --code replaces the config's roots.
    let (out, stdout, _) = run(bin()
        .current_dir(dir.path())
        .args(["check", "docs", "--code", "docs"]));
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout
            .contains("api.md:7:1: warning: documented route `GET /users/{id}` is not in the code"),
        "{stdout}"
    );
    assert!(!stdout.contains("error"), "{stdout}");
}

/// The root route, `/`, is a path like any other: its row documents it (it was read as an empty
/// cell, found on novu's NestJS apps, and its route reported as undocumented).
#[test]
fn a_documented_root_route_is_documented() {
    let dir = project("[code]\nroots = [\"../code\"]\nignore = [\"GET /healthz\"]\n");
    std::fs::write(
        dir.path().join("code/src/root.js"),
        "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send('hi'));\n",
    )
    .unwrap();
    let (out, stdout, _) = run(bin().current_dir(dir.path()).args(["check", "docs"]));
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("error: route `GET /` is not documented"),
        "{stdout}"
    );
    let api = dir.path().join("docs/api.md");
    let text = std::fs::read_to_string(&api).unwrap();
    std::fs::write(
        &api,
        text.replace("| POST | /users |", "| GET | `/` | - |\n| POST | /users |"),
    )
    .unwrap();
    let (out, stdout, _) = run(bin().current_dir(dir.path()).args(["check", "docs"]));
    assert_eq!(out.status.code(), Some(0), "the row documents it: {stdout}");
}

#[test]
fn a_moved_handler_reference_says_where_it_is_now() {
    let dir = project("[code]\nroots = [\"../code\"]\nignore = [\"GET /healthz\"]\n");
    let users = dir.path().join("code/src/users.js");
    let text = std::fs::read_to_string(&users).unwrap();
    std::fs::write(&users, format!("// users\n{text}")).unwrap();
    let (out, stdout, _) = run(bin().current_dir(dir.path()).args(["check", "docs"]));
    assert_eq!(
        out.status.code(),
        Some(0),
        "a stale reference is a warning: {stdout}"
    );
    assert!(
        stdout.contains("api.md:10:27: warning: code reference `src/users.js:4` names `getUser`, but that line no longer holds it; it is now at line 5: update the reference to `src/users.js:5`"),
        "{stdout}"
    );
}

#[test]
fn a_code_root_that_is_not_a_folder_stops_the_check_with_exit_2() {
    let (out, _, stderr) =
        run(bin()
            .current_dir(repo())
            .args(["check", "examples/portal", "--code", "no/such/dir"]));
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("code root no/such/dir"), "{stderr}");
}

#[test]
fn build_with_code_gives_routes_and_events_their_handlers_place() {
    let site = tempfile::tempdir().unwrap();
    let (out, _, stderr) = run(bin()
        .current_dir(repo())
        .args([
            "build",
            "examples/portal",
            "--quiet",
            "--code",
            "examples/portal-code",
            "--out",
        ])
        .arg(site.path()));
    assert!(
        out.status.success(),
        "build never fails on findings: {stderr}"
    );
    let entities = |kind: &str| -> Value {
        let (out, stdout, stderr) = run(bin()
            .args(["entities"])
            .arg(site.path())
            .args(["--kind", kind, "--json"]));
        assert!(out.status.success(), "{stderr}");
        serde_json::from_str(&stdout).unwrap()
    };
    let code_of = |v: &Value, id: &str| -> Option<String> {
        v["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .and_then(|e| e["attributes"]["Code"].as_str().map(String::from))
    };
    let routes = entities("route");
    let want = [
        (
            "route:post-api-v1-bookings",
            "services/booking-api/src/bookings/bookings.controller.ts:42",
        ),
        (
            "route:get-api-v1-departures",
            "services/fleet/src/sailings/sailings.controller.ts:88",
        ),
        (
            "route:post-api-v1-auth-logout",
            "services/identity/src/auth/auth.controller.ts:22",
        ),
        (
            "route:delete-api-v1-bookings-id",
            "services/booking-api/src/bookings/bookings.controller.ts:52",
        ),
    ];
    for (id, place) in want {
        assert_eq!(code_of(&routes, id).as_deref(), Some(place), "{id}");
    }
    let documented = routes["entities"].as_array().unwrap().len();
    let with_code = routes["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["attributes"]["Code"].is_string())
        .count();
    assert_eq!(
        with_code, documented,
        "every documented route is in the code"
    );
    let events = entities("event");
    assert_eq!(
        code_of(&events, "event:seat-hold").as_deref(),
        Some("services/booking-api/src/seats/seat.gateway.ts:10")
    );
    assert_eq!(
        code_of(&events, "event:departure-delayed").as_deref(),
        Some("services/fleet/src/departures/departure.gateway.ts:19")
    );
    assert_eq!(
        code_of(&events, "event:booking-confirmed"),
        None,
        "a RabbitMQ event is not a socket event"
    );

    // Without code the docs' own `Code` lines are all there is.
    let plain = tempfile::tempdir().unwrap();
    let (out, _, _) = run(bin()
        .current_dir(repo())
        .args(["build", "examples/portal", "--quiet", "--out"])
        .arg(plain.path()));
    assert!(out.status.success());
    let (_, stdout, _) = run(bin()
        .args(["entities"])
        .arg(plain.path())
        .args(["--kind", "route", "--json"]));
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(code_of(&v, "route:get-api-v1-me"), None);
}

#[test]
fn a_route_only_the_openapi_file_states_must_be_in_the_code_too() {
    // The portal code without the handler of `GET /api/v1/refunds/{id}`, which no route table
    // lists: only catalog/apis/openapi.payments.yaml documents it.
    let code = tempfile::tempdir().unwrap();
    let controller = "services/payments/src/refunds/refunds.controller.ts";
    for entry in walk(&repo().join("examples/portal-code")) {
        let rel = entry
            .strip_prefix(repo().join("examples/portal-code"))
            .unwrap();
        let dest = code.path().join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        let text = std::fs::read_to_string(&entry).unwrap();
        let text = if rel == std::path::Path::new(controller) {
            let cut = text
                .find("  /** The state of one refund")
                .expect("the get handler");
            format!("{}}}\n", &text[..cut])
        } else {
            text
        };
        std::fs::write(dest, text).unwrap();
    }
    let (out, stdout, stderr) = run(bin()
        .current_dir(repo())
        .args(["check", "examples/portal", "--code"])
        .arg(code.path()));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stdout.contains("catalog/apis/openapi.payments.yaml:41:1: warning: documented route `GET /api/v1/refunds/{id}` is not in the code"),
        "{stdout}"
    );
}

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
