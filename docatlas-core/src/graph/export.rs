//! Writes exactly what an impact view shows as CSV, Graphviz DOT or Mermaid, for pasting into
//! tickets, diagrams and spreadsheets. (SVG is written by the app from the drawing itself.)

use std::fmt::Write as _;

use super::view::View;
use super::GraphIndex;

/// One row per shown entity: `id,kind,name,direction,depth,path` (path as ids joined by ` > `).
pub fn csv(g: &GraphIndex, view: &View) -> String {
    let mut out = String::from("id,kind,name,direction,depth,path\n");
    for v in &view.nodes {
        let Some(n) = g.node(v.node) else { continue };
        let direction = match v.depth {
            0 => "centre",
            d if d < 0 => "upstream",
            _ => "downstream",
        };
        let path: Vec<String> = v.path.iter().map(|&p| g.id_of(p)).collect();
        let fields = [
            n.id(),
            n.kind.as_str().to_string(),
            n.name.clone(),
            direction.to_string(),
            v.depth.unsigned_abs().to_string(),
            path.join(" > "),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The view as a Graphviz digraph, left to right, edges labelled with their relations.
pub fn dot(g: &GraphIndex, view: &View) -> String {
    let mut out =
        String::from("digraph impact {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n");
    for (i, v) in view.nodes.iter().enumerate() {
        let Some(n) = g.node(v.node) else { continue };
        let bold = if i == 0 { ", penwidth=2" } else { "" };
        let _ = writeln!(
            out,
            "  \"{}\" [label=\"{}\\n{}\"{bold}];",
            dot_escape(&n.id()),
            dot_escape(&n.name),
            n.kind
        );
    }
    for e in &view.edges {
        let (Some(a), Some(b)) = (view.nodes.get(e.from), view.nodes.get(e.to)) else {
            continue;
        };
        let label = rel_label(g, &e.edges);
        let style = if e.edges.is_empty() {
            ", style=dashed"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  \"{}\" -> \"{}\" [label=\"{}\"{style}];",
            dot_escape(&g.id_of(a.node)),
            dot_escape(&g.id_of(b.node)),
            dot_escape(&label)
        );
    }
    out.push_str("}\n");
    out
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', " ")
}

/// The view as a Mermaid flowchart, left to right.
pub fn mermaid(g: &GraphIndex, view: &View) -> String {
    let mut out = String::from("flowchart LR\n");
    for (i, v) in view.nodes.iter().enumerate() {
        let Some(n) = g.node(v.node) else { continue };
        let _ = writeln!(
            out,
            "  n{i}[\"{}<br/><small>{}</small>\"]",
            mermaid_escape(&n.name),
            n.kind
        );
    }
    for e in &view.edges {
        let label = rel_label(g, &e.edges);
        let arrow = if e.edges.is_empty() { "-.->" } else { "-->" };
        let _ = writeln!(
            out,
            "  n{} {arrow}|{}| n{}",
            e.from,
            mermaid_escape(&label),
            e.to
        );
    }
    if !view.nodes.is_empty() {
        out.push_str("  style n0 stroke-width:3px\n");
    }
    out
}

fn mermaid_escape(s: &str) -> String {
    s.replace('"', "#quot;")
        .replace('|', "#124;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

/// The relation names of a drawn edge (`uses`, `uses, depends_on`), or `via` for an edge through
/// hidden entities.
pub fn rel_label(g: &GraphIndex, edges: &[usize]) -> String {
    if edges.is_empty() {
        return "via".to_string();
    }
    let mut names: Vec<&str> = edges
        .iter()
        .filter_map(|&e| g.edge(e).map(|x| x.rel.name()))
        .collect();
    names.dedup();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::super::query::Depths;
    use super::super::tests::graph;
    use super::super::view::{View, ViewOptions};
    use super::super::{Kind, Rel};
    use super::*;

    fn view() -> (GraphIndex, View) {
        let g = graph(
            &[
                (Kind::Feature, "Refunds, \"v2\""),
                (Kind::Service, "payments"),
                (Kind::Table, "refunds"),
            ],
            &[
                ("Refunds, \"v2\"", Rel::Uses, "payments"),
                ("payments", Rel::OwnsTable, "refunds"),
            ],
        );
        let c = g.find_id("service:payments").unwrap();
        let v = View::build(&g, &g.impact(c, Depths::default()), &ViewOptions::default());
        (g, v)
    }

    #[test]
    fn csv_lists_each_shown_entity_with_direction_depth_and_path() {
        let (g, v) = view();
        expect_test::expect![[r#"
            id,kind,name,direction,depth,path
            service:payments,service,payments,centre,0,service:payments
            table:refunds,table,refunds,downstream,1,service:payments > table:refunds
            feature:refunds-v2,feature,"Refunds, ""v2""",upstream,1,service:payments > feature:refunds-v2
        "#]]
        .assert_eq(&csv(&g, &v));
    }

    #[test]
    fn dot_and_mermaid_carry_the_same_nodes_and_edges() {
        let (g, v) = view();
        expect_test::expect![[r#"
            digraph impact {
              rankdir=LR;
              node [shape=box, style=rounded];
              "service:payments" [label="payments\nservice", penwidth=2];
              "table:refunds" [label="refunds\ntable"];
              "feature:refunds-v2" [label="Refunds, \"v2\"\nfeature"];
              "service:payments" -> "table:refunds" [label="owns_table"];
              "feature:refunds-v2" -> "service:payments" [label="uses"];
            }
        "#]]
        .assert_eq(&dot(&g, &v));
        expect_test::expect![[r#"
            flowchart LR
              n0["payments<br/><small>service</small>"]
              n1["refunds<br/><small>table</small>"]
              n2["Refunds, #quot;v2#quot;<br/><small>feature</small>"]
              n0 -->|owns_table| n1
              n2 -->|uses| n0
              style n0 stroke-width:3px
        "#]]
        .assert_eq(&mermaid(&g, &v));
    }
}
