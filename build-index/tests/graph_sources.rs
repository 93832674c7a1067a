//! Graph sources other than pages and Backstage descriptors, as `entities --json` and
//! `impact --json` show them: compose files, OpenAPI and Swagger files, AsyncAPI 2 and 3 files,
//! each fact with its `path:line`, and malformed files as warnings naming the file and line.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

mod common;

use common::{bin, repo};

/// Builds `docs` into a temporary site; returns it with the build's stderr.
fn build(docs: &Path) -> (tempfile::TempDir, String) {
    let site = tempfile::tempdir().unwrap();
    let (out, _, stderr) = common::run(bin().arg("build").arg(docs).arg("--out").arg(site.path()));
    assert!(out.status.success(), "{stderr}");
    (site, stderr)
}

fn json(args: &[&str]) -> Value {
    let (out, stdout, stderr) = common::run(bin().args(args));
    assert!(out.status.success(), "{args:?}: {stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn entities(site: &Path, extra: &[&str]) -> BTreeMap<String, Value> {
    let mut args = vec!["entities", site.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    json(&args)["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].as_str().unwrap().to_string(), e.clone()))
        .collect()
}

fn rels(e: &Value, rel: &str) -> BTreeSet<String> {
    e["relations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["rel"] == rel)
        .map(|r| r["to"].as_str().unwrap().to_string())
        .collect()
}

fn declared(e: &Value, rel: &str, to: &str) -> String {
    let r = e["relations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rel"] == rel && r["to"] == to)
        .unwrap_or_else(|| panic!("no {rel} {to} in {e}"));
    r["declared_at"].as_str().unwrap().to_string()
}

/// The 1-based line of the first line equal to `line` (trimmed) at or after line `from`.
fn line_of(text: &str, from: usize, line: &str) -> usize {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| l.trim() == line)
        .unwrap_or_else(|| panic!("no line {line:?}"))
        .0
        + 1
}

#[test]
fn impact_over_a_compose_only_portal_is_the_graph_the_compose_file_declares() {
    let docs = repo().join("tests/fixtures/compose");
    let text = std::fs::read_to_string(docs.join("compose.yaml")).unwrap();
    let (site, _) = build(&docs);
    let site = site.path();

    // What the file declares, read with a YAML parser: service -> the services it depends on.
    let file: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    let mut declared_deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, svc) in file["services"].as_mapping().unwrap() {
        let name = name.as_str().unwrap().to_string();
        let mut deps = BTreeSet::new();
        match &svc["depends_on"] {
            serde_yaml_ng::Value::Mapping(m) => {
                deps.extend(m.keys().map(|k| k.as_str().unwrap().to_string()))
            }
            serde_yaml_ng::Value::Sequence(s) => {
                deps.extend(s.iter().map(|k| k.as_str().unwrap().to_string()))
            }
            _ => {}
        }
        if let Some(links) = svc["links"].as_sequence() {
            deps.extend(
                links
                    .iter()
                    .map(|l| l.as_str().unwrap().split(':').next().unwrap().to_string()),
            );
        }
        declared_deps.insert(name, deps);
    }
    assert_eq!(declared_deps.len(), 9);

    let found = entities(site, &[]);
    for (name, deps) in &declared_deps {
        let e = &found[&format!("service:{name}")];
        let header = text
            .lines()
            .position(|l| l == format!("  {name}:"))
            .unwrap()
            + 1;
        assert_eq!(
            e["defined_at"][0],
            format!("compose.yaml:{header}"),
            "{name}"
        );
        let image = file["services"][name.as_str()]["image"].as_str().unwrap();
        assert_eq!(e["attributes"]["Image"], image, "{name}");
        let want: BTreeSet<String> = deps.iter().map(|d| format!("service:{d}")).collect();
        assert_eq!(rels(e, "depends_on"), want, "{name}");
    }
    // Each relation is declared where the dependency is written (map form, list form, links).
    let gateway = &found["service:gateway"];
    let at = line_of(&text, line_of(&text, 1, "gateway:"), "billing:");
    assert!(at > line_of(&text, 1, "gateway:"));
    assert_eq!(
        declared(gateway, "depends_on", "service:billing"),
        format!("compose.yaml:{at}")
    );
    let at = line_of(&text, 1, "- \"inventory:stock\"");
    assert_eq!(
        declared(gateway, "depends_on", "service:inventory"),
        format!("compose.yaml:{at}")
    );
    let lg = line_of(&text, 1, "traffic-sim:");
    assert_eq!(
        declared(
            &found["service:traffic-sim"],
            "depends_on",
            "service:feature-flags"
        ),
        format!("compose.yaml:{}", lg + 2)
    );
    assert_eq!(
        found["service:catalog"]["attributes"]["Container"], "catalog",
        "container_name"
    );

    // impact: downstream is everything the file's depends_on reaches, each once.
    let closure = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(s) = todo.pop() {
            for d in &declared_deps[&s] {
                if seen.insert(d.clone()) {
                    todo.push(d.clone());
                }
            }
        }
        seen
    };
    for name in declared_deps.keys() {
        let v = json(&[
            "impact",
            site.to_str().unwrap(),
            &format!("service:{name}"),
            "--up",
            "all",
            "--json",
        ]);
        let names = |side: &str| -> BTreeSet<String> {
            v[side]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| {
                    x["id"]
                        .as_str()
                        .unwrap()
                        .trim_start_matches("service:")
                        .to_string()
                })
                .collect()
        };
        assert_eq!(names("downstream"), closure(name), "downstream of {name}");
        let up = names("upstream");
        let want: BTreeSet<String> = declared_deps
            .keys()
            .filter(|o| closure(o).contains(name))
            .cloned()
            .collect();
        assert_eq!(up, want, "upstream of {name}");
    }
}

const OPENAPI: &str = r#"openapi: 3.0.3
info:
  title: Shop API
servers:
  - url: https://api.example.com/v1
security:
  - bearerAuth: []
paths:
  /users/{id}:
    get:
      operationId: getUser
      tags: [accounts]
      responses:
        "200":
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/User'
    delete:
      operationId: UserController.remove
      tags: [accounts]
      security: []
      x-data-classification: internal
  /health:
    get:
      operationId: health
      x-pii: false
components:
  securitySchemes:
    bearerAuth:
      type: http
      scheme: bearer
  schemas:
    User:
      type: object
      properties:
        email:
          type: string
          x-pii: true
        self:
          $ref: '#/components/schemas/User'
"#;

const SWAGGER: &str = r#"{
  "swagger": "2.0",
  "basePath": "/legacy",
  "paths": {
    "/orders": {
      "post": {
        "operationId": "createOrder",
        "tags": ["orders"],
        "security": [{"apiKey": []}, {"oauth": ["write"]}],
        "x-sensitive": true
      }
    }
  }
}
"#;

const ASYNC2: &str = r#"asyncapi: 2.6.0
info:
  title: orders
channels:
  order.created:
    description: An order was placed.
    subscribe:
      message:
        name: OrderCreated
  payment.settled:
    publish:
      tags:
        - name: billing
      message:
        name: PaymentSettled
"#;

const ASYNC3: &str = r#"asyncapi: 3.0.0
info:
  title: Shipping
  x-service: shipping
channels:
  orderCreated:
    address: order.created
    messages:
      created:
        $ref: '#/components/messages/OrderCreated'
  shipped:
    address: order.shipped
operations:
  onOrderCreated:
    action: receive
    channel:
      $ref: '#/channels/orderCreated'
  sendShipped:
    action: send
    channel:
      $ref: '#/channels/shipped'
components:
  messages:
    OrderCreated:
      name: OrderCreated
"#;

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn openapi_and_swagger_routes_with_handler_auth_services_and_pii() {
    let docs = tempfile::tempdir().unwrap();
    write(docs.path(), "api/openapi.yaml", OPENAPI);
    write(docs.path(), "legacy/swagger.json", SWAGGER);
    let (site, stderr) = build(docs.path());
    let site = site.path();
    let found = entities(site, &[]);
    let get = &found["route:get-v1-users-id"];
    assert_eq!(get["name"], "GET /v1/users/{id}");
    assert_eq!(get["defined_at"][0], "api/openapi.yaml:10");
    assert_eq!(get["attributes"]["Handler"], "getUser");
    assert_eq!(get["attributes"]["Auth"], "bearerAuth");
    assert_eq!(
        get["attributes"]["PII"], "yes",
        "x-pii on a schema it returns"
    );
    let accounts = &found["service:accounts"];
    assert_eq!(
        declared(accounts, "handles", "route:get-v1-users-id"),
        "api/openapi.yaml:12"
    );
    // A `Controller.method` operationId: the controller handles it, the tag's service has it.
    let del = &found["route:delete-v1-users-id"];
    assert_eq!(del["attributes"]["Auth"], "none");
    assert_eq!(del["attributes"]["Data classification"], "internal");
    assert_eq!(del["attributes"].get("PII"), None);
    assert_eq!(
        declared(
            &found["controller:usercontroller"],
            "handles",
            "route:delete-v1-users-id"
        ),
        "api/openapi.yaml:20"
    );
    assert!(rels(accounts, "has_controller").contains("controller:usercontroller"));
    assert_eq!(found["route:get-v1-health"]["attributes"]["PII"], "no");
    let post = &found["route:post-legacy-orders"];
    assert_eq!(post["defined_at"][0], "legacy/swagger.json:6");
    assert_eq!(post["attributes"]["Auth"], "apiKey or oauth");
    assert_eq!(post["attributes"]["Sensitivity"], "sensitive");
    // `entities --attr pii` finds the route that carries personal data, and only it.
    let pii: Vec<String> = entities(site, &["--kind", "route", "--attr", "pii"])
        .into_keys()
        .collect();
    assert_eq!(pii, ["route:get-v1-users-id"]);
    assert!(!stderr.contains("has no handler"), "{stderr}");
}

#[test]
fn asyncapi_2_and_3_events_with_publishers_and_consumers() {
    let docs = tempfile::tempdir().unwrap();
    write(docs.path(), "events/asyncapi.yaml", ASYNC2);
    write(docs.path(), "shipping/asyncapi.yml", ASYNC3);
    let (site, _) = build(docs.path());
    let found = entities(site.path(), &[]);
    let created = &found["event:order-created"];
    assert_eq!(created["attributes"]["Description"], "An order was placed.");
    assert_eq!(created["attributes"]["Messages"], "OrderCreated");
    // 2.x: `subscribe` is what the application (info.title) sends, `publish` what it receives.
    let orders = &found["service:orders"];
    assert_eq!(
        declared(orders, "publishes", "event:order-created"),
        "events/asyncapi.yaml:7"
    );
    assert_eq!(
        declared(
            &found["service:billing"],
            "consumes",
            "event:payment-settled"
        ),
        "events/asyncapi.yaml:13"
    );
    assert!(
        rels(orders, "consumes").is_empty(),
        "tags name the consumer"
    );
    // 3.x: `action: send` publishes, `receive` consumes, on the channel's address.
    let shipping = &found["service:shipping"];
    assert_eq!(
        rels(shipping, "consumes"),
        BTreeSet::from(["event:order-created".to_string()])
    );
    assert_eq!(
        declared(shipping, "publishes", "event:order-shipped"),
        "shipping/asyncapi.yml:18"
    );
}

#[test]
fn malformed_files_are_warnings_at_their_line_and_the_rest_still_builds() {
    let docs = tempfile::tempdir().unwrap();
    write(docs.path(), "index.md", "# Home\n");
    write(
        docs.path(),
        "compose.yaml",
        "services:\n  web:\n    image: [a\n",
    );
    write(
        docs.path(),
        "openapi.json",
        "{\"openapi\": \"3.0.0\", \"paths\": {\n",
    );
    write(docs.path(), "asyncapi.yaml", "asyncapi: 3.0.0\noperations:\n  x:\n    action: send\n    channel:\n      $ref: '#/channels/none'\n");
    write(docs.path(), "swagger.yaml", "paths: {}\n");
    write(
        docs.path(),
        "docker-compose.yml",
        "services:\n  api:\n    depends_on: [db]\n  db:\n    image: postgres\n",
    );
    let (site, stderr) = build(docs.path());
    assert!(
        stderr.contains("compose.yaml:4:1: warning: invalid YAML in a compose file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("openapi.json:2:1: warning: invalid YAML in an OpenAPI file"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "asyncapi.yaml:5:1: warning: operation `x` names the channel `#/channels/none`"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "swagger.yaml:1:1: warning: this file is named like an OpenAPI description but has no"
        ),
        "{stderr}"
    );
    let found = entities(site.path(), &[]);
    assert!(rels(&found["service:api"], "depends_on").contains("service:db"));
}

/// A small seeded generator (xorshift64*): the same cases on every run.
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

/// Pieces of YAML and JSON syntax (and of what these readers look for) that edits insert.
const PIECES: &[&str] = &[
    ": ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "\"",
    "'",
    "&a ",
    "*a",
    "<<: *a",
    "? ",
    "!!binary ",
    "#",
    "\t",
    "\n",
    "\n  ",
    "\n      ",
    "\0",
    "\u{feff}",
    "é",
    "予約",
    "$ref: '#/components/schemas/User'",
    "$ref: '#/channels/nowhere'",
    "depends_on:",
    "links:",
    "paths:",
    "channels:",
    "operations:",
    "services:",
    "openapi: 3.1.0",
    "swagger: \"2.0\"",
    "asyncapi: 3.0.0",
    "x-pii: true",
    "tags: [",
    "operationId: A.b",
    "security: []",
    "~",
    "null",
    "--- ",
    "...",
    "%YAML 1.2\n",
    "|\n",
    ">-\n",
];

/// `text` with one to three random edits: a range cut, a line repeated, a piece inserted, two lines
/// swapped.
fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut s: Vec<char> = text.chars().collect();
    for _ in 0..=rng.below(2) {
        match rng.below(4) {
            0 if !s.is_empty() => {
                let a = rng.below(s.len());
                let b = (a + rng.below(40)).min(s.len());
                s.drain(a..b);
            }
            1 => {
                let at = rng.below(s.len() + 1);
                s.splice(at..at, PIECES[rng.below(PIECES.len())].chars());
            }
            2 => {
                let lines: Vec<String> = s
                    .iter()
                    .collect::<String>()
                    .lines()
                    .map(String::from)
                    .collect();
                if let Some(l) = lines.get(rng.below(lines.len())) {
                    let at = rng.below(s.len() + 1);
                    s.splice(at..at, format!("\n{l}\n").chars());
                }
            }
            _ => {
                let mut lines: Vec<String> = s
                    .iter()
                    .collect::<String>()
                    .lines()
                    .map(String::from)
                    .collect();
                if lines.len() > 1 {
                    let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
                    lines.swap(a, b);
                }
                s = lines.join("\n").chars().collect();
            }
        }
    }
    s.into_iter().collect()
}

#[test]
fn mutated_compose_openapi_and_asyncapi_files_never_panic_and_give_valid_graphs() {
    let compose =
        std::fs::read_to_string(repo().join("tests/fixtures/compose/compose.yaml")).unwrap();
    let inputs: [(&str, &str); 5] = [
        ("compose.yaml", &compose),
        ("openapi.yaml", OPENAPI),
        ("swagger.json", SWAGGER),
        ("asyncapi.yaml", ASYNC2),
        ("events/asyncapi.yml", ASYNC3),
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut warned, mut read) = (0usize, 0usize);
    for case in 0..3000 {
        let (path, base) = inputs[case % inputs.len()];
        let text = mutate(&mut rng, base);
        let (g, diags) = build_index::read_source(path, &text).expect("a graph source name");
        let back = docatlas_core::graph::decode(&docatlas_core::graph::encode(&g))
            .unwrap_or_else(|e| panic!("{path}, case {case}: invalid graph ({e}) from:\n{text}"));
        assert_eq!(back, g, "{path}, case {case}");
        for d in &diags {
            assert_eq!(d.path, path, "{d}");
            // The end of the file (after its last newline) is a line too.
            let last = text.lines().count() + 1;
            assert!(
                d.line >= 1 && d.line <= last,
                "{path}, case {case}: {d}\n{text}"
            );
        }
        warned += usize::from(diags.iter().any(|d| d.message.contains("invalid YAML")));
        read += usize::from(!g.nodes.is_empty());
    }
    // The edits break files (so the warning paths run), and leave many readable (so the
    // readers run on odd but valid YAML).
    assert!(warned > 100, "{warned} of 3000 were invalid YAML");
    assert!(read > 300, "{read} of 3000 gave entities");
}
