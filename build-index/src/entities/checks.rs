//! `check` warnings about the graph, each at the place the entity is named, with the fix: an
//! entity referenced but defined nowhere, a table with no owner, a service with no runbook, a
//! feature that touches nothing, a route with no handler.

use std::collections::BTreeSet;

use docatlas_core::graph::{GraphIndex, Kind, Rel};

use super::merge::{warn, Places, Src};
use crate::corpus::diagnostics::Diagnostic;

/// Runs every check over the merged graph. `places` holds, per node, where it was defined and
/// referenced (with columns).
pub(crate) fn run(g: &GraphIndex, places: &Places, diags: &mut Vec<Diagnostic>) {
    let graph = &g.graph;
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
        if defined.is_empty() {
            if defined_kinds.contains(&node.kind) {
                let others = referenced
                    .len()
                    .saturating_add(mentioned.len())
                    .saturating_sub(1);
                warn(
                    &graph.files,
                    diags,
                    first,
                    defined_nowhere(g, i, &id, others),
                );
            }
            // An undefined entity gets no further checks: its definition is the fix.
            continue;
        }
        if let Some(message) = gap(node, &id, &g.relations(i)) {
            warn(&graph.files, diags, first, message);
        }
    }
}

/// What a defined entity of `kind` lacks that readers of its docs need: a table's owner, a
/// service's runbook, a feature's services, a route's handler.
fn gap(
    node: &docatlas_core::graph::Node,
    id: &str,
    rels: &[docatlas_core::graph::Relation],
) -> Option<String> {
    let kind = node.kind;
    let has = |name: &str| rels.iter().any(|r| r.name == name);
    match kind {
        Kind::Table
            if !has(Rel::OwnsTable.inverse_name()) && !has(Rel::Owns.inverse_name()) =>
        {
            Some(format!(
                "table `{id}` has no owner: no service lists it among its tables and no team owns it; add it to its service's `Database Tables` column"
            ))
        }
        Kind::Service if !has(Rel::Covers.inverse_name()) => {
            Some(format!(
                "service `{id}` has no runbook: no runbook names it in its `service:`/`services:` front matter, names it as a whole name in its title or a heading, or links to its section; write one (pages under `runbooks/` or with `kind: runbook`)"
            ))
        }
        Kind::Feature if !rels.iter().any(|r| r.forward && !r.rel.is_context()) => {
            Some(format!(
                "feature `{id}` touches nothing: no service is listed for it; add its services in a `Feature | Services` table or its Backstage `dependsOn`"
            ))
        }
        // An OpenAPI operationId names the handler even when no controller is known.
        Kind::Route
            if !has(Rel::Handles.inverse_name())
                && !node.attributes.iter().any(|a| a.key == "Handler") =>
        {
            Some(format!(
                "route `{id}` has no handler: its `Controller` (or `Handler`) cell is empty; name the controller method that serves it"
            ))
        }
        _ => None,
    }
}

/// The warning for `id` (node `i`), named at `others` more places but defined nowhere, with the
/// nearest defined id as a hint.
fn defined_nowhere(g: &GraphIndex, i: usize, id: &str, others: usize) -> String {
    let also = match others {
        0 => String::new(),
        1 => " (and at 1 other place)".to_string(),
        n => format!(" (and at {n} other places)"),
    };
    let hint = g
        .suggest(id, 4)
        .into_iter()
        .filter(|&s| s != i && g.node(s).is_some_and(|n| !n.defined_at.is_empty()))
        .map(|s| format!("`{}`", g.id_of(s)))
        .next()
        .map(|s| format!("did you mean {s}? "))
        .unwrap_or_default();
    format!(
        "`{id}` is named here{also} but defined nowhere: no catalog table row, Backstage descriptor or page defines it; {hint}fix the name or add it to a catalog"
    )
}
