//! `check` warnings about the graph, each at the place the entity is named, with the fix: an
//! entity referenced but defined nowhere, a table with no owner, a service with no runbook, a
//! feature that touches nothing, a route with no handler.

use std::collections::BTreeSet;

use docatlas_core::graph::{Graph, GraphIndex, Kind, Rel};

use super::merge::{Builder, Places, Src};
use crate::diagnostics::Diagnostic;

/// Runs every check over the merged graph. `places` holds, per node, where it was defined and
/// referenced (with columns).
pub(crate) fn run(graph: &Graph, places: &Places, b: &Builder, diags: &mut Vec<Diagnostic>) {
    let g = GraphIndex::new(graph.clone());
    // Kinds the docs define at least one entity of: an undefined name of another kind (teams in
    // docs that keep no team list) is not worth a warning.
    let defined_kinds: BTreeSet<Kind> = graph
        .nodes
        .iter()
        .filter(|n| !n.defined_at.is_empty())
        .map(|n| n.kind)
        .collect();
    for (i, node) in graph.nodes.iter().enumerate() {
        let id = node.id();
        let defined = places.defined.get(i).map(Vec::as_slice).unwrap_or(&[]);
        let referenced = places.referenced.get(i).map(Vec::as_slice).unwrap_or(&[]);
        let mentioned: Vec<Src> = node
            .mentioned_in
            .iter()
            .map(|p| Src {
                file: p.file,
                line: p.line,
                col: 1,
                anchor: None,
            })
            .collect();
        // Where the entity is named first: a definition, else a reference, else a mention.
        let Some(first) = defined.first().or(referenced.first()).or(mentioned.first()) else {
            continue;
        };
        let rels = g.relations(i);
        let has = |name: &str| rels.iter().any(|r| r.name == name);
        if defined.is_empty() {
            if defined_kinds.contains(&node.kind) {
                let others = referenced
                    .len()
                    .saturating_add(mentioned.len())
                    .saturating_sub(1);
                let also = match others {
                    0 => String::new(),
                    1 => " (and at 1 other place)".to_string(),
                    n => format!(" (and at {n} other places)"),
                };
                let hint = g
                    .suggest(&id, 4)
                    .into_iter()
                    .filter(|&s| s != i && g.node(s).is_some_and(|n| !n.defined_at.is_empty()))
                    .map(|s| format!("`{}`", g.id_of(s)))
                    .next()
                    .map(|s| format!("did you mean {s}? "))
                    .unwrap_or_default();
                b.warn(diags, first, format!(
                    "`{id}` is named here{also} but defined nowhere: no catalog table row, Backstage descriptor or page defines it; {hint}fix the name or add it to a catalog"
                ));
            }
            // An undefined entity gets no further checks: its definition is the fix.
            continue;
        }
        match node.kind {
            Kind::Table
                if !has(Rel::OwnsTable.inverse_name()) && !has(Rel::Owns.inverse_name()) =>
            {
                b.warn(diags, first, format!(
                    "table `{id}` has no owner: no service lists it among its tables and no team owns it; add it to its service's `Database Tables` column"
                ));
            }
            Kind::Service if !has(Rel::Covers.inverse_name()) => {
                b.warn(diags, first, format!(
                    "service `{id}` has no runbook: no runbook names it in its `service:`/`services:` front matter or its title; write one (pages under `runbooks/` or with `kind: runbook`)"
                ));
            }
            Kind::Feature if !rels.iter().any(|r| r.forward && !r.rel.is_context()) => {
                b.warn(diags, first, format!(
                    "feature `{id}` touches nothing: no service is listed for it; add its services in a `Feature | Services` table or its Backstage `dependsOn`"
                ));
            }
            // An OpenAPI operationId names the handler even when no controller is known.
            Kind::Route
                if !has(Rel::Handles.inverse_name())
                    && !node.attributes.iter().any(|a| a.key == "Handler") =>
            {
                b.warn(diags, first, format!(
                    "route `{id}` has no handler: its `Controller` (or `Handler`) cell is empty; name the controller method that serves it"
                ));
            }
            _ => {}
        }
    }
}
