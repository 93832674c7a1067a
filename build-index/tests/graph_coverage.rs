//! Which runbooks cover a service (front matter, a link to its section, a title or heading that
//! names it as a whole name, never one word of another name) and how `why` ranks the paths
//! through a shared team or system after real ones (issue 23, point 6).
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use serde_json::Value;

mod common;

use common::{bin, run};

const CATALOG: &str = "# Services

| Service | Owner | System | Depends On | Database Tables |
|---|---|---|---|---|
| web | team-core | shop | cart | sessions |
| auth | team-core | shop | | users |
| ledger | team-core | shop | | entries |
| billing | team-core | shop | | invoices |
| search | team-core | shop | | |
| cart | team-core | shop | auth | |

## ledger

The ledger keeps every entry of the books.
";

/// Runbooks, each with the service it should or should not cover.
const RUNBOOKS: &[(&str, &str)] = &[
    // One word of a longer name: not the `web` service.
    (
        "runbooks/atlantis-web-ui.md",
        "# Atlantis Web UI\n\nThe plan viewer of Atlantis.\n",
    ),
    // `auth` is inside `OAuth`, not a name of its own.
    (
        "runbooks/oauth-tokens.md",
        "# OAuth tokens\n\nRotate the signing keys.\n",
    ),
    (
        "runbooks/month-end.md",
        "# Month end close\n\nFreeze postings in [the books](../catalog.md#ledger) first.\n",
    ),
    (
        "runbooks/payment-failures.md",
        "# Payment failures\n\n## Billing retries\n\nRetry the invoices by hand.\n",
    ),
    (
        "runbooks/reindex.md",
        "---\ntitle: Reindexing\nservice: search\n---\n\nRebuild the index from the snapshot.\n",
    ),
    (
        "runbooks/cart-outage.md",
        "# Cart outage\n\nDrain the carts.\n",
    ),
];

fn docs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("catalog.md"), CATALOG).unwrap();
    std::fs::create_dir(dir.path().join("runbooks")).unwrap();
    for (path, text) in RUNBOOKS {
        std::fs::write(dir.path().join(path), text).unwrap();
    }
    dir
}

fn build(docs: &Path, out: &Path) {
    let (o, _, stderr) = run(bin()
        .arg("build")
        .arg(docs)
        .arg("--out")
        .arg(out)
        .arg("--quiet"));
    assert!(o.status.success(), "{stderr}");
}

fn json(args: &[&str]) -> Value {
    let (o, stdout, stderr) = run(bin().args(args));
    assert!(o.status.success(), "{args:?}: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {stdout}"))
}

#[test]
fn runbooks_cover_services_by_front_matter_links_and_whole_names_only() {
    let docs = docs();
    let site = tempfile::tempdir().unwrap();
    build(docs.path(), site.path());
    let s = site.path().to_str().unwrap();
    let v = json(&["entities", s, "--kind", "service", "--json"]);
    let mut covered: Vec<(String, Vec<String>)> = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let by: Vec<String> = e["relations"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["rel"] == "covered_by")
                .map(|r| r["to"].as_str().unwrap().to_string())
                .collect();
            (e["id"].as_str().unwrap().to_string(), by)
        })
        .collect();
    covered.sort();
    let want: Vec<(String, Vec<String>)> = [
        ("service:auth", vec![]),
        ("service:billing", vec!["runbook:payment-failures"]),
        ("service:cart", vec!["runbook:cart-outage"]),
        ("service:ledger", vec!["runbook:month-end-close"]),
        ("service:search", vec!["runbook:reindexing"]),
        ("service:web", vec![]),
    ]
    .into_iter()
    .map(|(id, by)| (id.to_string(), by.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(covered, want);
    // `check` says which services still lack one, and only those.
    let (_, stdout, stderr) = run(bin().arg("check").arg(docs.path()));
    let text = format!("{stdout}{stderr}");
    let lacking: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("has no runbook"))
        .filter_map(|l| l.split('`').nth(1))
        .collect();
    assert_eq!(lacking, ["service:web", "service:auth"], "{text}");
}

#[test]
fn why_ranks_paths_through_the_shared_team_and_system_after_real_ones_and_can_leave_them_out() {
    let docs = docs();
    let site = tempfile::tempdir().unwrap();
    build(docs.path(), site.path());
    let s = site.path().to_str().unwrap();
    let steps = |p: &Value| -> Vec<String> {
        p["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|st| {
                format!(
                    "{} {}",
                    st["rel"].as_str().unwrap(),
                    st["to"].as_str().unwrap()
                )
            })
            .collect()
    };
    let all = json(&["why", s, "service:web", "service:auth", "--json"]);
    assert_eq!(all["context_paths"], "after");
    let paths = all["paths"].as_array().unwrap();
    // The real path is longer than the two through team-core and shop, and still first.
    assert_eq!(
        steps(&paths[0]),
        ["depends_on service:cart", "depends_on service:auth"]
    );
    assert_eq!(paths[0]["context"], false);
    let context: Vec<&Value> = paths.iter().filter(|p| p["context"] == true).collect();
    assert!(
        context
            .iter()
            .any(|p| steps(p) == ["owned_by team:team-core", "owns service:auth"]),
        "{paths:#?}"
    );
    let first_context = paths.iter().position(|p| p["context"] == true).unwrap();
    assert!(paths[first_context..].iter().all(|p| p["context"] == true));
    // --no-context keeps exactly the real paths.
    let real = json(&[
        "why",
        s,
        "service:web",
        "service:auth",
        "--no-context",
        "--json",
    ]);
    assert_eq!(real["context_paths"], "excluded");
    let real_paths = real["paths"].as_array().unwrap();
    assert_eq!(real_paths.as_slice(), &paths[..first_context]);
    // The text output says where the context paths begin and how many are real.
    let (_, text, _) = run(bin().args(["why", s, "service:web", "service:auth"]));
    assert!(text.contains("Through a context relation"), "{text}");
    assert!(
        text.contains(&format!("; {first_context} through real relations only")),
        "{text}"
    );
    let (_, text, _) = run(bin().args(["why", s, "service:web", "service:auth", "--no-context"]));
    assert!(!text.contains("Through a context relation"), "{text}");
    assert!(
        text.contains("paths through context relations left out"),
        "{text}"
    );
}
