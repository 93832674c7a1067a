//! The graph commands as scripts see them: `impact` and `entities` JSON shapes (the issue's
//! contract), their defaults and filters, `why`, and exit code 2 with suggestions for an
//! unknown id.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::process::Output;
use std::sync::OnceLock;

use serde_json::Value;

mod common;

use common::{bin, repo};

/// The example portal, built once for all tests of this file.
fn site() -> &'static Path {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = bin()
            .arg("build")
            .arg(repo().join("examples/portal"))
            .arg("--out")
            .arg(dir.path())
            .arg("--quiet")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
    .path()
}

fn run(args: &[&str]) -> (Output, String, String) {
    common::run(bin().args(args))
}

fn json(args: &[&str]) -> Value {
    let (out, stdout, stderr) = run(args);
    assert!(out.status.success(), "{args:?}: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {stdout}"))
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect()
}

#[test]
fn impact_json_has_the_contracted_shape_and_defaults() {
    let s = site().to_str().unwrap();
    let v = json(&["impact", s, "feature:seat-reservation", "--json"]);
    assert_eq!(
        keys(&v),
        [
            "format",
            "node",
            "downstream",
            "upstream",
            "docs",
            "runbooks",
            "owner"
        ]
    );
    assert_eq!(
        v["node"],
        serde_json::json!({"id": "feature:seat-reservation", "kind": "feature", "name": "Seat reservation"})
    );
    let down = &v["downstream"];
    let first = &down[0];
    assert_eq!(v["format"], 2, "each entity holds its step, not its path");
    assert_eq!(
        keys(first),
        ["id", "kind", "name", "depth", "from", "rel", "declared_at"]
    );
    assert_eq!(first["from"], "feature:seat-reservation");
    // Unlimited downstream by default: the portal's deepest routes are four relations away.
    let max = down
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["depth"].as_u64().unwrap())
        .max();
    assert_eq!(max, Some(4));
    let route = down
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "route:post-api-v1-payments")
        .expect("the payments route is downstream");
    // Following `from` back to the centre is one shortest path, each step with its relation
    // and where it is written.
    let by_id = |id: &str| {
        down.as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap_or_else(|| panic!("{id} is downstream"))
    };
    let (mut path, mut rels) = (vec![route["id"].as_str().unwrap()], Vec::new());
    let mut at = route;
    loop {
        rels.push(at["rel"].as_str().unwrap());
        assert!(!at["declared_at"].as_array().unwrap().is_empty(), "{at}");
        let from = at["from"].as_str().unwrap();
        path.push(from);
        if from == "feature:seat-reservation" {
            break;
        }
        at = by_id(from);
    }
    path.reverse();
    rels.reverse();
    assert_eq!(
        path,
        [
            "feature:seat-reservation",
            "service:payments",
            "controller:paymentcontroller",
            "route:post-api-v1-payments"
        ]
    );
    assert_eq!(route["depth"], 3);
    assert_eq!(rels, ["uses", "has_controller", "handles"]);
    assert!(ids(down).contains(&"table:fare-rules"));
    let runbooks: Vec<&str> = v["runbooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["doc"].as_str().unwrap())
        .collect();
    assert!(runbooks.contains(&"runbooks/payments-webhook-backlog.md"));
    assert_eq!(keys(&v["runbooks"][0]), ["doc", "title"]);
    assert_eq!(
        v["docs"][0],
        serde_json::json!({"doc": "catalog/services.md", "title": "Service catalog"})
    );

    // One level upstream by default; `--up all --down 0` is "what breaks if it is down".
    let v = json(&["impact", s, "service:payments", "--json"]);
    assert!(v["upstream"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["depth"] == 1));
    let v = json(&[
        "impact",
        s,
        "service:payments",
        "--up",
        "all",
        "--down",
        "0",
        "--json",
    ]);
    assert!(v["downstream"].as_array().unwrap().is_empty());
    assert!(ids(&v["upstream"]).contains(&"feature:live-departure-board"));
    assert_eq!(v["owner"]["id"], "team:team-ledger");
}

#[test]
fn impact_accepts_ids_as_people_type_them_and_suggests_on_unknown_ones() {
    let s = site().to_str().unwrap();
    let v = json(&["impact", s, "Table:Fare Rules", "--json"]);
    assert_eq!(v["node"]["id"], "table:fare-rules");
    assert_eq!(
        v["upstream"][0]["id"], "service:pricing",
        "which service owns this table"
    );

    let (out, stdout, stderr) = run(&["impact", s, "service:paymnts"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout.is_empty());
    assert!(stderr.contains("no entity `service:paymnts`"), "{stderr}");
    assert!(stderr.contains("did you mean service:payments"), "{stderr}");
    let (out, _, stderr) = run(&["impact", s, "bookings"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("ids are `kind:name`") && stderr.contains("table:bookings"),
        "{stderr}"
    );
    let (out, _, stderr) = run(&["impact", s, "service:payments", "--up", "lots"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("give a number"), "{stderr}");
}

#[test]
fn impact_prints_paths_for_people() {
    let s = site().to_str().unwrap();
    let (out, stdout, _) = run(&[
        "impact",
        s,
        "route:post-api-v1-bookings",
        "--up",
        "3",
        "--down",
        "0",
    ]);
    assert!(out.status.success());
    assert!(
        stdout.contains("Code: services/booking-api/src/bookings/bookings.controller.ts:42"),
        "{stdout}"
    );
    assert!(stdout.contains("owner: team:team-harbour"), "{stdout}");
    assert!(
        stdout.contains("BookingController ←controller_of— booking-api"),
        "{stdout}"
    );
}

#[test]
fn entities_json_has_the_contracted_shape() {
    let s = site().to_str().unwrap();
    let v = json(&["entities", s, "--json"]);
    assert_eq!(keys(&v), ["entities"]);
    let all = v["entities"].as_array().unwrap();
    assert!(all.len() > 90, "{}", all.len());
    let route = all
        .iter()
        .find(|e| e["id"] == "route:post-api-v1-bookings")
        .unwrap();
    assert_eq!(
        keys(route),
        [
            "id",
            "kind",
            "name",
            "attributes",
            "defined_at",
            "relations",
            "mentioned_in"
        ]
    );
    assert_eq!(route["attributes"]["PII"], "yes");
    assert_eq!(route["attributes"]["Rate Limit"], "30/min");
    assert_eq!(route["defined_at"][0], "catalog/routes.md:19");
    assert_eq!(
        route["relations"][0],
        serde_json::json!({"rel": "handled_by", "to": "controller:bookingcontroller", "declared_at": "catalog/routes.md:19", "also_declared_at": []})
    );
}

#[test]
fn entities_filters_answer_which_endpoints_handle_pii_and_which_services_lack_a_runbook() {
    let s = site().to_str().unwrap();
    let v = json(&[
        "entities", s, "--kind", "route", "--attr", "pii=yes", "--json",
    ]);
    let routes = ids(&v["entities"]);
    // 13 from catalog/routes.md, one only in catalog/apis/openapi.payments.yaml.
    assert_eq!(routes.len(), 14);
    assert!(routes.contains(&"route:get-api-v1-refunds-id"));
    assert!(routes.iter().all(|r| r.starts_with("route:")));
    assert!(routes.contains(&"route:post-api-v1-auth-login"));
    assert!(!routes.contains(&"route:get-api-v1-departures"));
    let v = json(&[
        "entities",
        s,
        "--kind",
        "service",
        "--lacks",
        "covered_by",
        "--json",
    ]);
    assert_eq!(ids(&v["entities"]), ["service:gateway"]);
    let (out, stdout, _) = run(&["entities", s, "--kind", "route", "--attr", "pii"]);
    assert!(out.status.success());
    assert!(stdout.contains("14 entities of"), "{stdout}");
    let (out, _, stderr) = run(&["entities", s, "--kind", "gadget"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("unknown kind `gadget`"), "{stderr}");
}

#[test]
fn why_lists_paths_with_declarations() {
    let s = site().to_str().unwrap();
    let v = json(&["why", s, "feature:refunds", "table:refunds", "--json"]);
    let first = &v["paths"][0]["steps"];
    assert_eq!(
        first[0],
        serde_json::json!({"from": "feature:refunds", "rel": "uses", "to": "service:payments", "declared_at": ["catalog/services.md:19"]})
    );
    assert_eq!(first[1]["rel"], "owns_table");
    assert_eq!(first[1]["to"], "table:refunds");
}

#[test]
fn a_site_without_a_graph_file_says_how_to_fix_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("docatlas.bin"), b"x").unwrap();
    let (out, _, stderr) = run(&["entities", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("has no graph.bin") && stderr.contains("rebuild it"),
        "{stderr}"
    );
}
