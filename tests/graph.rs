//! The impact graph end to end: extraction from the example portal and from a Backstage fixture
//! (merging, inverses, multi-document YAML, refs with and without kind and namespace), conflict
//! and coverage diagnostics, and impact queries with their nodes, depths and paths.
//! After an intended change, refresh the golden files with `UPDATE_EXPECT=1 cargo test --test graph`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::fmt::Write;

use common::*;
use docatlas_core::graph::query::{Depth, Depths};
use docatlas_core::graph::{GraphIndex, Kind, NodeIx, Rel};
use docatlas_core::Audience;

fn portal_graph() -> GraphIndex {
    GraphIndex::new(compile_docs(&portal(), Audience::Public).graph)
}

fn fixture_graph() -> (GraphIndex, Vec<String>) {
    let c = compile_docs(&fixture("graph"), Audience::Internal);
    let diags = c.diagnostics.iter().map(ToString::to_string).collect();
    (GraphIndex::new(c.graph), diags)
}

fn at(g: &GraphIndex, id: &str) -> NodeIx {
    g.find_id(id).unwrap_or_else(|| panic!("no entity {id}"))
}

/// Every relation of `id` as `name other-id @ place, place`.
fn relations(g: &GraphIndex, id: &str) -> Vec<String> {
    g.relations(at(g, id))
        .iter()
        .map(|r| {
            let places: Vec<String> = g
                .edge(r.edge)
                .unwrap()
                .declared_at
                .iter()
                .map(|p| g.graph.place(p))
                .collect();
            format!("{} {} @ {}", r.name, g.id_of(r.other), places.join(", "))
        })
        .collect()
}

/// A readable dump of the whole graph: entities with where they are defined, their attributes
/// and their outgoing relations with where each is declared.
fn dump(g: &GraphIndex) -> String {
    let mut out = String::new();
    for (i, n) in g.graph.nodes.iter().enumerate() {
        let defined: Vec<String> = n.defined_at.iter().map(|p| g.graph.place(p)).collect();
        writeln!(
            out,
            "{}  \"{}\"  defined at {}",
            n.id(),
            n.name,
            if defined.is_empty() {
                "-".into()
            } else {
                defined.join(", ")
            }
        )
        .unwrap();
        for a in &n.attributes {
            writeln!(out, "    {} = {}", a.key, a.value).unwrap();
        }
        for r in g.relations(i).iter().filter(|r| r.forward) {
            let places: Vec<String> = g
                .edge(r.edge)
                .unwrap()
                .declared_at
                .iter()
                .map(|p| g.graph.place(p))
                .collect();
            writeln!(
                out,
                "    {} {}  @ {}",
                r.name,
                g.id_of(r.other),
                places.join(", ")
            )
            .unwrap();
        }
        if !n.mentioned_in.is_empty() {
            let m: Vec<String> = n.mentioned_in.iter().map(|p| g.graph.place(p)).collect();
            writeln!(out, "    mentioned in {}", m.join(", ")).unwrap();
        }
    }
    out
}

#[test]
fn example_portal_graph_matches_golden_dump() {
    expect_test::expect_file!["golden/portal-graph.txt"].assert_eq(&dump(&portal_graph()));
}

#[test]
fn portal_catalog_tables_become_entities_relations_and_attributes() {
    let g = portal_graph();
    // Feature → service, from the Features table and from the Backstage feature descriptor.
    let rels = relations(&g, "feature:seat-reservation");
    assert!(
        rels.contains(
            &"uses service:gateway @ catalog/services.md:18, catalog-info.yaml:179".to_string()
        ),
        "{rels:#?}"
    );
    // Service → controllers and tables; team ownership; inverses from the other end.
    let rels = relations(&g, "service:payments");
    for want in [
        "has_controller controller:webhookcontroller @ catalog/services.md:31, catalog/apis/openapi.payments.yaml:25",
        "owns_table table:refunds @ catalog/services.md:31, engineering/data-model.md:27",
        "owned_by team:team-ledger @ catalog/services.md:49, catalog-info.yaml:83",
        "used_by feature:refunds @ catalog/services.md:19",
        "covered_by runbook:payments-webhook-backlog @ runbooks/payments-webhook-backlog.md:2, runbooks/payments-webhook-backlog.md:5",
        "publishes event:refund-approved @ catalog/events.md:42, catalog/apis/asyncapi.payments.yaml:22",
        // Written only in the payments service's AsyncAPI file.
        "publishes event:payment-failed @ catalog/apis/asyncapi.payments.yaml:17",
        "part_of system:kestrel @ catalog-info.yaml:84",
    ] {
        assert!(rels.iter().any(|r| r == want), "missing {want:?} in {rels:#?}");
    }
    // Routes: handled by the controller of their method, attributes from the other columns, and
    // where the handler is in the code.
    let r = g.node(at(&g, "route:post-api-v1-bookings")).unwrap();
    assert_eq!(r.name, "POST /api/v1/bookings");
    assert_eq!(r.attribute("pii"), Some("yes"));
    assert_eq!(r.attribute("Auth"), Some("JWT"));
    assert_eq!(r.attribute("Controller"), Some("BookingController.create"));
    assert_eq!(
        r.attribute("Code"),
        Some("services/booking-api/src/bookings/bookings.controller.ts:42")
    );
    assert_eq!(
        g.graph.code_link("services/booking-api/src/bookings/bookings.controller.ts:42").as_deref(),
        Some("https://git.saltmarsh.example/kestrel/platform/blob/main/services/booking-api/src/bookings/bookings.controller.ts#L42")
    );
    assert_eq!(
        relations(&g, "route:post-api-v1-bookings"),
        ["handled_by controller:bookingcontroller @ catalog/routes.md:19"]
    );
    // Table definitions: foreign keys are table → table references.
    let rels = relations(&g, "table:bookings");
    assert!(
        rels.contains(&"references table:users @ catalog/tables/bookings.md:23".to_string()),
        "{rels:#?}"
    );
    assert!(
        rels.contains(&"referenced_by table:payments @ catalog/tables/payments.md:22".to_string()),
        "{rels:#?}"
    );
    // Events and notifications.
    let rels = relations(&g, "event:booking-confirmed");
    for want in [
        "published_by service:booking-api @ catalog/events.md:38",
        "consumed_by service:notifier @ catalog/events.md:38",
        "triggers notification:booking-confirmed @ catalog/notifications.md:20",
    ] {
        assert!(
            rels.iter().any(|r| r == want),
            "missing {want:?} in {rels:#?}"
        );
    }
    // ADRs keep their status; runbooks are entities with their page.
    let adr = g.node(at(&g, "adr:adr-0003-jwt-sessions")).unwrap();
    assert_eq!(adr.attribute("status"), Some("superseded"));
    let rb = g.node(at(&g, "runbook:departure-board-stale")).unwrap();
    assert_eq!(
        g.graph.file_path(rb.page.unwrap()),
        "runbooks/departure-board-stale.md"
    );
}

#[test]
fn every_entity_kind_the_portal_needs_is_there() {
    let g = portal_graph();
    let counts: Vec<(Kind, usize)> = g.kind_counts();
    let count = |k: Kind| counts.iter().find(|c| c.0 == k).map_or(0, |c| c.1);
    assert_eq!(count(Kind::Feature), 4);
    assert_eq!(count(Kind::Service), 7);
    assert_eq!(count(Kind::Table), 10);
    // 21 in catalog/routes.md, one more only in catalog/apis/openapi.payments.yaml.
    assert_eq!(count(Kind::Route), 22);
    let only_openapi = g.node(at(&g, "route:get-api-v1-refunds-id")).unwrap();
    assert_eq!(only_openapi.attribute("Auth"), Some("JWT"));
    assert_eq!(
        only_openapi.attribute("PII"),
        Some("yes"),
        "through the Refund schema's $ref"
    );
    assert_eq!(
        g.graph.place(&only_openapi.defined_at[0]),
        "catalog/apis/openapi.payments.yaml:41"
    );
    assert_eq!(count(Kind::Runbook), 5);
    assert_eq!(count(Kind::Adr), 6);
    assert_eq!(count(Kind::Team), 2);
    assert!(count(Kind::Event) >= 18 && count(Kind::Notification) == 7);
}

/// Depth and one shortest path (ids) of `id` in an impact's downstream (`down`) or upstream.
fn reached(
    g: &GraphIndex,
    imp: &docatlas_core::graph::query::Impact,
    down: bool,
    id: &str,
) -> Option<(u32, Vec<String>)> {
    let list = if down { &imp.downstream } else { &imp.upstream };
    let r = list.iter().find(|r| g.id_of(r.node) == id)?;
    let (path, _) = imp.trail(down).path(r.node)?;
    Some((r.depth, path.iter().map(|&p| g.id_of(p)).collect()))
}

#[test]
fn impact_of_a_feature_reaches_its_services_tables_routes_events_and_runbooks() {
    let g = portal_graph();
    let f = at(&g, "feature:refunds");
    let imp = g.impact(f, Depths::default());
    let path = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        reached(&g, &imp, true, "service:payments"),
        Some((1, path(&["feature:refunds", "service:payments"])))
    );
    assert_eq!(
        reached(&g, &imp, true, "table:refunds"),
        Some((
            2,
            path(&["feature:refunds", "service:payments", "table:refunds"])
        ))
    );
    assert_eq!(
        reached(&g, &imp, true, "route:post-api-v1-refunds"),
        Some((
            3,
            path(&[
                "feature:refunds",
                "service:payments",
                "controller:refundcontroller",
                "route:post-api-v1-refunds"
            ])
        ))
    );
    assert_eq!(
        reached(&g, &imp, true, "notification:refund-approved"),
        Some((
            3,
            path(&[
                "feature:refunds",
                "service:booking-api",
                "event:refund-approved",
                "notification:refund-approved"
            ])
        ))
    );
    assert!(imp.upstream.is_empty(), "nothing uses a feature");
    let nodes: Vec<NodeIx> = std::iter::once(f)
        .chain(imp.downstream.iter().map(|r| r.node))
        .collect();
    let runbooks: Vec<String> = g.runbooks_for(&nodes).iter().map(|&r| g.id_of(r)).collect();
    assert!(runbooks.contains(&"runbook:payments-webhook-backlog".to_string()));
}

#[test]
fn what_breaks_if_a_service_is_down_and_who_owns_a_table() {
    let g = portal_graph();
    let imp = g.impact(
        at(&g, "service:payments"),
        Depths {
            up: Depth::All,
            down: Depth::Limit(0),
        },
    );
    let up: Vec<(String, u32)> = imp
        .upstream
        .iter()
        .map(|r| (g.id_of(r.node), r.depth))
        .collect();
    assert_eq!(
        up,
        [
            ("feature:loyalty-points".to_string(), 1),
            ("feature:refunds".to_string(), 1),
            ("feature:seat-reservation".to_string(), 1),
            ("service:booking-api".to_string(), 1),
            ("service:gateway".to_string(), 1),
            ("feature:live-departure-board".to_string(), 2),
        ]
    );
    let owner = g.owner(at(&g, "table:refunds")).unwrap();
    let chain: Vec<String> = owner.path.iter().map(|&n| g.id_of(n)).collect();
    assert_eq!(
        chain,
        ["table:refunds", "service:payments", "team:team-ledger"]
    );
    let rels: Vec<Rel> = owner
        .edges
        .iter()
        .map(|&e| g.edge(e).unwrap().rel)
        .collect();
    assert_eq!(rels, [Rel::OwnsTable, Rel::Owns]);
}

#[test]
fn endpoints_that_handle_pii_and_services_without_a_runbook() {
    use docatlas_core::graph::query::{AttrFilter, Filter};
    let g = portal_graph();
    let pii = g.filter(&Filter {
        kind: Some(Kind::Route),
        attrs: vec![AttrFilter::parse("pii=yes").unwrap()],
        lacks: Vec::new(),
    });
    assert_eq!(pii.len(), 14);
    assert!(pii.contains(&at(&g, "route:get-api-v1-refunds-id")));
    assert!(pii.contains(&at(&g, "route:post-api-v1-payments-webhook")));
    assert!(!pii.contains(&at(&g, "route:get-api-v1-sailings")));
    let without: Vec<String> = g
        .services_without_runbook()
        .iter()
        .map(|&n| g.id_of(n))
        .collect();
    assert_eq!(
        without,
        ["service:gateway"],
        "the portal leaves the gateway without a runbook on purpose"
    );
}

#[test]
fn backstage_descriptors_merge_with_markdown_catalogs() {
    let (g, _) = fixture_graph();
    // `Checkout API` (Markdown), `checkout-api` (Backstage), `checkout_api` (a runbook's front
    // matter) and `component:default/checkout-api` are one service.
    let svc = g.node(at(&g, "service:checkout-api")).unwrap();
    let defined: Vec<String> = svc.defined_at.iter().map(|p| g.graph.place(p)).collect();
    assert_eq!(defined, ["catalog/services.md:9", "catalog-info.yaml:30"]);
    let rels = relations(&g, "service:checkout-api");
    for want in [
        "covered_by runbook:checkout-down @ runbooks/checkout-down.md:3",
        "depends_on service:stock @ catalog-info.yaml:38",
        "depends_on resource:orders-db @ catalog-info.yaml:39",
        "provides_api api:orders-v1 @ catalog-info.yaml:40",
        "owned_by team:team-a @ catalog/services.md:9, catalog-info.yaml:35",
        "part_of system:shop @ catalog-info.yaml:36",
        "dependency_of component:web @ catalog-info.yaml:59",
        "used_by feature:checkout @ catalog/services.md:16, catalog-info.yaml:84",
    ] {
        assert!(
            rels.iter().any(|r| r == want),
            "missing {want:?} in {rels:#?}"
        );
    }
    // A Component of another type is a component; its `consumesApis` has an inverse.
    assert_eq!(
        relations(&g, "api:orders-v1")[0],
        "api_consumed_by component:web @ catalog-info.yaml:58"
    );
    // System `domain:`, Domain owner with a namespaced group ref.
    assert!(relations(&g, "domain:commerce")
        .contains(&"contains system:shop @ catalog-info.yaml:17".to_string()));
    assert!(relations(&g, "domain:commerce")
        .contains(&"owned_by team:team-a @ catalog-info.yaml:8".to_string()));
    assert_eq!(
        g.node(at(&g, "system:shop")).unwrap().name,
        "Shop",
        "metadata.title names it"
    );
    // The broken document is skipped, the rest of the file still counts.
    assert!(g.find_id("component:this-is-not-closed").is_none());
}

#[test]
fn fixture_diagnostics_name_the_place_and_the_fix() {
    let (_, diags) = fixture_graph();
    expect_test::expect_file!["golden/graph-fixture-diagnostics.txt"]
        .assert_eq(&(diags.join("\n") + "\n"));
}

#[test]
fn public_builds_leave_internal_descriptors_out() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path();
    std::fs::write(
        docs.join("a.md"),
        "# A\n\n| Service | Team |\n|---|---|\n| shop | web |\n",
    )
    .unwrap();
    std::fs::create_dir_all(docs.join("internal")).unwrap();
    std::fs::write(
        docs.join("internal/catalog-info.yaml"),
        "kind: Component\nmetadata:\n  name: secret-ledger\nspec:\n  type: service\n",
    )
    .unwrap();
    std::fs::write(
        docs.join("internal/notes.md"),
        "# Notes\n\n| Service | Team |\n|---|---|\n| hidden-svc | web |\n",
    )
    .unwrap();
    let public = GraphIndex::new(compile_docs(docs, Audience::Public).graph);
    assert!(public.find_id("service:shop").is_some());
    assert!(public.find_id("service:secret-ledger").is_none());
    assert!(public.find_id("service:hidden-svc").is_none());
    let internal = GraphIndex::new(compile_docs(docs, Audience::Internal).graph);
    assert!(internal.find_id("service:secret-ledger").is_some());
    assert!(internal.find_id("service:hidden-svc").is_some());
}
