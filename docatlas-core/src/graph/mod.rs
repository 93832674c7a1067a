//! The impact graph: entities (features, services, tables, routes...) and the relations between
//! them, as `build-index` extracts them from the docs and the app and CLI query them.
//!
//! The graph is stored in its own site file, [`GRAPH_FILE`](crate::format::GRAPH_FILE), as a
//! [`Graph`]: nodes sorted by id, edges sorted by endpoints, and every place (`path:line`) a fact
//! was declared. [`GraphIndex`] wraps it in a petgraph [`petgraph::Graph`] for the queries in
//! [`query`]; [`layout`] places a view of it in layers, [`view`] decides what an impact view
//! shows, and [`export`] writes what is shown as CSV, DOT or Mermaid.
//!
//! **Direction.** Every relation is stored once, from the entity that uses, contains or produces
//! to the entity used, contained or produced (feature → service → controller → route). An
//! entity's *downstream* is what it reaches along relations: what it uses, depends on and holds.
//! Its *upstream* is what reaches it: what uses it, so what breaks if it is down. Ownership,
//! membership, runbook coverage and mentions ([`Rel::is_context`]) are context, not dependencies:
//! an impact query follows them only out of its centre (a team's impact is what it owns, and what
//! that uses), never through another entity.

pub mod export;
pub mod layout;
pub mod query;
pub mod view;

use std::collections::BTreeMap;
use std::fmt;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use serde::{Deserialize, Serialize};

use crate::format::FormatError;

/// What an entity is. The id of an entity is `kind:slug` ([`Kind::as_str`], [`slug`]).
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A user-facing capability (`Seat reservation`), or a Backstage Component of type `feature`.
    Feature,
    /// A deployable service, or a Backstage Component of type `service`.
    Service,
    /// Any other Backstage Component (library, website...).
    Component,
    /// A Backstage API.
    Api,
    /// A Backstage Resource (a database, a bucket, a queue).
    Resource,
    /// A database table.
    Table,
    /// A controller, gateway or handler class (`BookingController`).
    Controller,
    /// An HTTP route (`POST /api/v1/orders`).
    Route,
    /// A domain or socket event (`booking.confirmed`).
    Event,
    /// A message sent to people (an email, SMS or push notification).
    Notification,
    /// An owning team (a Backstage Group).
    Team,
    /// A Backstage System.
    System,
    /// A Backstage Domain.
    Domain,
    /// A runbook page.
    Runbook,
    /// An architecture decision record page.
    Adr,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 15] = [
        Kind::Feature,
        Kind::Service,
        Kind::Component,
        Kind::Api,
        Kind::Resource,
        Kind::Table,
        Kind::Controller,
        Kind::Route,
        Kind::Event,
        Kind::Notification,
        Kind::Team,
        Kind::System,
        Kind::Domain,
        Kind::Runbook,
        Kind::Adr,
    ];

    /// The id prefix: `feature`, `service`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Feature => "feature",
            Kind::Service => "service",
            Kind::Component => "component",
            Kind::Api => "api",
            Kind::Resource => "resource",
            Kind::Table => "table",
            Kind::Controller => "controller",
            Kind::Route => "route",
            Kind::Event => "event",
            Kind::Notification => "notification",
            Kind::Team => "team",
            Kind::System => "system",
            Kind::Domain => "domain",
            Kind::Runbook => "runbook",
            Kind::Adr => "adr",
        }
    }

    /// The kind named by an id prefix (`service`), case-insensitively.
    pub fn parse(s: &str) -> Option<Kind> {
        let s = s.trim();
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
    }

    /// The plural shown in headings (`services`, `tables`).
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Feature => "features",
            Kind::Service => "services",
            Kind::Component => "components",
            Kind::Api => "APIs",
            Kind::Resource => "resources",
            Kind::Table => "tables",
            Kind::Controller => "controllers",
            Kind::Route => "routes",
            Kind::Event => "events",
            Kind::Notification => "notifications",
            Kind::Team => "teams",
            Kind::System => "systems",
            Kind::Domain => "domains",
            Kind::Runbook => "runbooks",
            Kind::Adr => "ADRs",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A relation between two entities, stored in its forward direction (see the module docs); each
/// has a name ([`Rel::name`]) and an inverse name ([`Rel::inverse_name`]) for the other end.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rel {
    /// Feature → service it uses.
    Uses,
    /// Service → controller it contains.
    HasController,
    /// Service → table it owns (the only writer).
    OwnsTable,
    /// Controller → route or event it handles.
    Handles,
    /// Service → event it publishes.
    Publishes,
    /// Service → event it consumes.
    Consumes,
    /// Table → table it references (a foreign key).
    References,
    /// Table → resource (database) that stores it.
    StoredIn,
    /// Component or service → component, service or resource it depends on.
    DependsOn,
    /// Component → its subcomponent.
    HasSubcomponent,
    /// Component → API it provides.
    ProvidesApi,
    /// Component → API it consumes.
    ConsumesApi,
    /// Event → notification it triggers.
    Triggers,
    /// Team → what it owns (context).
    Owns,
    /// System or domain → what is part of it (context).
    Contains,
    /// Runbook → service it covers (context).
    Covers,
    /// Runbook or ADR → an entity it names (context).
    Mentions,
}

impl Rel {
    /// Every relation, in declaration order: for looking one up by either of its names.
    pub const ALL: [Rel; 17] = [
        Rel::Uses,
        Rel::HasController,
        Rel::OwnsTable,
        Rel::Handles,
        Rel::Publishes,
        Rel::Consumes,
        Rel::References,
        Rel::StoredIn,
        Rel::DependsOn,
        Rel::HasSubcomponent,
        Rel::ProvidesApi,
        Rel::ConsumesApi,
        Rel::Triggers,
        Rel::Owns,
        Rel::Contains,
        Rel::Covers,
        Rel::Mentions,
    ];

    /// The name seen from the source (`uses`, `owns_table`).
    pub fn name(self) -> &'static str {
        match self {
            Rel::Uses => "uses",
            Rel::HasController => "has_controller",
            Rel::OwnsTable => "owns_table",
            Rel::Handles => "handles",
            Rel::Publishes => "publishes",
            Rel::Consumes => "consumes",
            Rel::References => "references",
            Rel::StoredIn => "stored_in",
            Rel::DependsOn => "depends_on",
            Rel::HasSubcomponent => "has_subcomponent",
            Rel::ProvidesApi => "provides_api",
            Rel::ConsumesApi => "consumes_api",
            Rel::Triggers => "triggers",
            Rel::Owns => "owns",
            Rel::Contains => "contains",
            Rel::Covers => "covers",
            Rel::Mentions => "mentions",
        }
    }

    /// The name seen from the target (`used_by`, `table_of`).
    pub fn inverse_name(self) -> &'static str {
        match self {
            Rel::Uses => "used_by",
            Rel::HasController => "controller_of",
            Rel::OwnsTable => "table_of",
            Rel::Handles => "handled_by",
            Rel::Publishes => "published_by",
            Rel::Consumes => "consumed_by",
            Rel::References => "referenced_by",
            Rel::StoredIn => "stores",
            Rel::DependsOn => "dependency_of",
            Rel::HasSubcomponent => "subcomponent_of",
            Rel::ProvidesApi => "api_provided_by",
            Rel::ConsumesApi => "api_consumed_by",
            Rel::Triggers => "triggered_by",
            Rel::Owns => "owned_by",
            Rel::Contains => "part_of",
            Rel::Covers => "covered_by",
            Rel::Mentions => "mentioned_by",
        }
    }

    /// The relation and direction a name means: `(rel, true)` for a forward name, `(rel, false)`
    /// for an inverse one.
    pub fn parse(name: &str) -> Option<(Rel, bool)> {
        let name = name.trim();
        Rel::ALL.into_iter().find_map(|r| {
            if r.name().eq_ignore_ascii_case(name) {
                Some((r, true))
            } else if r.inverse_name().eq_ignore_ascii_case(name) {
                Some((r, false))
            } else {
                None
            }
        })
    }

    /// Ownership, membership, coverage and mentions: facts about an entity, not dependencies of
    /// it. Impact queries follow them only out of the centre.
    pub fn is_context(self) -> bool {
        matches!(
            self,
            Rel::Owns | Rel::Contains | Rel::Covers | Rel::Mentions
        )
    }
}

/// The slug of a name, by the one rule every id uses: lower case, every run of characters other
/// than `a-z0-9` replaced by one `-`, trimmed of `-` (`POST /api/v1/orders` → `post-api-v1-orders`).
/// A name with no ASCII letter or digit at all (`予約`) keeps its other letters and digits, so it
/// still gets a usable slug.
///
/// One exception: a `*` after a `/` is a path's wildcard (`GET /branches/*`, gin's `/*path`,
/// `/(.*)`) and is kept as a part of its own (`get-branches-*`), so the route does not get the id
/// of `GET /branches`, a different route. A `*` before any `/` (a footnote mark, an "any method"
/// `*`) or in a parameter's pattern (chi's `{file:[^/]*}`) is dropped as before, so only ids of
/// names with a path wildcard differ from the plain rule.
pub fn slug(name: &str) -> String {
    if name.is_ascii() {
        return ascii_slug(name);
    }
    let strict = slug_with(name, |c| c.is_ascii_lowercase() || c.is_ascii_digit());
    // A lone wildcard is no name: `/予約/*` keeps its letters (`予約-*`).
    if !strict.bytes().any(|b| b.is_ascii_alphanumeric()) {
        slug_with(name, char::is_alphanumeric)
    } else {
        strict
    }
}

/// The part a path wildcard stands for in a slug (see [`slug`]).
const WILDCARD: char = '*';

/// Where a character of a name stands, for telling a path's wildcard `*` from other stars.
#[derive(Default)]
struct Wildcards {
    /// A `/` came before: the name is (or holds) a path.
    in_path: bool,
    /// Inside `{...}` or `<...>` after its `:` (`{id:[0-9]*}`): a parameter's pattern.
    pattern: bool,
    /// Inside `{...}` or `<...>`.
    group: bool,
}

impl Wildcards {
    /// Whether `c`, a character the slug otherwise drops, is a wildcard part.
    fn is_wildcard(&mut self, c: char) -> bool {
        match c {
            WILDCARD => return self.in_path && !self.pattern,
            '/' => self.in_path = true,
            '{' | '<' => self.group = true,
            '}' | '>' => (self.group, self.pattern) = (false, false),
            ':' if self.group => self.pattern = true,
            _ => {}
        }
        false
    }
}

/// Appends one kept character to a slug being built: a `-` first where dropped characters came
/// between (`dash`) or on either side of a wildcard, which is one part however many stars.
fn push_part(out: &mut String, c: char, dash: bool) {
    let after_wildcard = out.ends_with(WILDCARD);
    if c == WILDCARD && after_wildcard {
        return;
    }
    if (dash || c == WILDCARD || after_wildcard) && !out.is_empty() {
        out.push('-');
    }
    out.push(c);
}

/// [`slug`] of an ASCII name, byte by byte: every catalog row and reference is slugged, and the
/// char-wise lower-casing iterator was a visible part of a 200,000-row catalog's build.
fn ascii_slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    let mut wild = Wildcards::default();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() {
            push_part(&mut out, char::from(b.to_ascii_lowercase()), dash);
            dash = false;
        } else if wild.is_wildcard(char::from(b)) {
            push_part(&mut out, WILDCARD, dash);
            dash = false;
        } else {
            dash = true;
        }
    }
    out
}

fn slug_with(name: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    let mut wild = Wildcards::default();
    for c in name.chars().flat_map(char::to_lowercase) {
        if keep(c) {
            push_part(&mut out, c, dash);
            dash = false;
        } else if wild.is_wildcard(c) {
            push_part(&mut out, WILDCARD, dash);
            dash = false;
        } else {
            dash = true;
        }
    }
    out
}

/// The id of an entity: `kind:slug`.
pub fn id(kind: Kind, slug: &str) -> String {
    format!("{}:{slug}", kind.as_str())
}

/// A file of the docs folder that facts come from: a page (with its title) or another file such as
/// `catalog-info.yaml`.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct FileRef {
    /// Docs-relative path.
    pub path: String,
    /// The page's title; `None` for files that are not pages of the site.
    pub title: Option<String>,
}

/// Where a fact was declared: a line of a file, and the heading it sits under (for a link to it).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// Index into [`Graph::files`].
    pub file: u32,
    /// 1-based line.
    pub line: u32,
    /// Anchor of the section holding the line, for pages.
    pub anchor: Option<String>,
}

/// A named value of an entity: a table column (`Auth`, `PII`) or a YAML key (`lifecycle`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// The column header or key, as first written.
    pub key: String,
    /// The value, as written.
    pub value: String,
}

/// An entity (a service, an API, a table, a runbook...), identified by `kind:slug`.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// What kind of thing it is; with the slug, its identity.
    pub kind: Kind,
    /// Its slug; the id is `kind:slug`.
    pub slug: String,
    /// Its name as first written.
    pub name: String,
    /// Attributes in the order they were first declared.
    pub attributes: Vec<Attribute>,
    /// Where it is defined (a catalog row, a Backstage document, its own page); empty for an
    /// entity that is only referenced.
    pub defined_at: Vec<Place>,
    /// Pages that mention it: links to its page, front matter naming it.
    pub mentioned_in: Vec<Place>,
    /// Its own page, if it has one (a runbook, an ADR, a table's definition page): index into
    /// [`Graph::files`].
    pub page: Option<u32>,
}

impl Node {
    /// `kind:slug`.
    pub fn id(&self) -> String {
        id(self.kind, &self.slug)
    }

    /// The value of attribute `key` (case-insensitive), if set.
    pub fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.key.eq_ignore_ascii_case(key))
            .map(|a| a.value.as_str())
    }
}

/// One relation, with every place it was declared.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// Index of the source node (the user, container or producer).
    pub from: u32,
    /// Index of the target node.
    pub to: u32,
    /// What the relation is.
    pub rel: Rel,
    /// Every place it was declared, sorted.
    pub declared_at: Vec<Place>,
}

/// The stored graph: the payload of [`GRAPH_FILE`](crate::format::GRAPH_FILE).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct Graph {
    /// Files that places point into.
    pub files: Vec<FileRef>,
    /// Entities, sorted by id.
    pub nodes: Vec<Node>,
    /// Relations, sorted by (from, to, rel), at most one per triple.
    pub edges: Vec<Edge>,
    /// The docs' repository URL template with `{path}` and `{line}` (`docatlas.toml`
    /// `repo_url`), for linking `Code` attributes (`services/a/b.ts:42`) to the source.
    pub repo_url: Option<String>,
}

impl Graph {
    /// The place as `path:line`.
    pub fn place(&self, p: &Place) -> String {
        format!("{}:{}", self.file_path(p.file), p.line)
    }

    /// A link to the source line for a code reference such as `services/a/b.ts:42`, through
    /// [`Graph::repo_url`]; `None` without a template or for other values.
    pub fn code_link(&self, value: &str) -> Option<String> {
        let template = self.repo_url.as_deref()?;
        let (path, line) = value.trim().rsplit_once(':')?;
        let line = line.split('-').next()?.parse::<u32>().ok()?;
        if path.is_empty() || path.contains("://") || path.contains(char::is_whitespace) {
            return None;
        }
        Some(
            template
                .replace("{path}", path)
                .replace("{line}", &line.to_string()),
        )
    }

    /// The path of file `i` (empty if out of range).
    pub fn file_path(&self, i: u32) -> &str {
        self.files.get(i as usize).map_or("", |f| f.path.as_str())
    }

    /// Checks that every index points inside the graph and the nodes are sorted and unique, so
    /// queries can index without checks failing later.
    fn validate(&self) -> Result<(), String> {
        let n = self.nodes.len();
        let files = self.files.len();
        let place_ok = |p: &Place| (p.file as usize) < files;
        for w in self.nodes.windows(2) {
            if let [a, b] = w {
                if (a.kind, &a.slug) >= (b.kind, &b.slug) {
                    return Err(format!(
                        "graph nodes are not sorted and unique at {}",
                        b.id()
                    ));
                }
            }
        }
        for node in &self.nodes {
            let page_ok = node.page.is_none_or(|p| (p as usize) < files);
            if !page_ok
                || !node
                    .defined_at
                    .iter()
                    .chain(&node.mentioned_in)
                    .all(place_ok)
            {
                return Err(format!(
                    "{} points at a file the graph does not list",
                    node.id()
                ));
            }
        }
        for e in &self.edges {
            if e.from as usize >= n || e.to as usize >= n || !e.declared_at.iter().all(place_ok) {
                return Err("a graph edge points outside the graph".into());
            }
        }
        Ok(())
    }
}

/// Encodes a graph as the bytes of [`GRAPH_FILE`](crate::format::GRAPH_FILE).
pub fn encode(graph: &Graph) -> Vec<u8> {
    crate::files::DataFile::Graph.encode(graph).1
}

/// Decodes and checks a graph file.
pub fn decode(bytes: &[u8]) -> Result<Graph, FormatError> {
    let graph: Graph = crate::files::DataFile::Graph.decode(bytes)?;
    graph.validate().map_err(FormatError::Payload)?;
    Ok(graph)
}

/// A node of the graph, by index into [`Graph::nodes`].
pub type NodeIx = usize;

/// A graph ready for queries: the stored [`Graph`] and a petgraph view of it whose node and edge
/// indices equal those of [`Graph::nodes`] and [`Graph::edges`].
#[derive(Debug, Clone)]
pub struct GraphIndex {
    /// The graph as decoded: nodes, edges and attributes, indexed like the petgraph view.
    pub graph: Graph,
    pg: DiGraph<(), u32, u32>,
}

impl GraphIndex {
    /// Indexes a decoded graph.
    pub fn new(graph: Graph) -> Self {
        let mut pg = DiGraph::with_capacity(graph.nodes.len(), graph.edges.len());
        for _ in &graph.nodes {
            pg.add_node(());
        }
        for (i, e) in graph.edges.iter().enumerate() {
            // validate() checked the endpoints; skip rather than panic if it was bypassed.
            if (e.from as usize) < graph.nodes.len() && (e.to as usize) < graph.nodes.len() {
                pg.add_edge(
                    NodeIndex::new(e.from as usize),
                    NodeIndex::new(e.to as usize),
                    u32::try_from(i).unwrap_or(u32::MAX),
                );
            }
        }
        GraphIndex { graph, pg }
    }

    /// Decodes and indexes a graph file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, FormatError> {
        decode(bytes).map(Self::new)
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        self.graph.nodes.len()
    }

    /// True when the docs declare no entity at all.
    pub fn is_empty(&self) -> bool {
        self.graph.nodes.is_empty()
    }

    /// The node at `i`.
    pub fn node(&self, i: NodeIx) -> Option<&Node> {
        self.graph.nodes.get(i)
    }

    /// The id of node `i` (empty if out of range).
    pub fn id_of(&self, i: NodeIx) -> String {
        self.node(i).map(Node::id).unwrap_or_default()
    }

    /// The name of node `i` (empty if out of range).
    pub fn name_of(&self, i: NodeIx) -> &str {
        self.node(i).map_or("", |n| n.name.as_str())
    }

    /// The edge at `i`.
    pub fn edge(&self, i: usize) -> Option<&Edge> {
        self.graph.edges.get(i)
    }

    /// The node with this id. Accepts the id as a user might type it: any case, spaces or `_`
    /// for `-`, a Backstage namespace (`service:default/payments`).
    pub fn find_id(&self, id: &str) -> Option<NodeIx> {
        let (kind, name) = id.split_once(':')?;
        let kind = Kind::parse(kind)?;
        let name = name.rsplit('/').next().unwrap_or(name);
        let s = slug(name);
        self.graph
            .nodes
            .binary_search_by(|n| (n.kind, n.slug.as_str()).cmp(&(kind, s.as_str())))
            .ok()
    }

    /// Edges leaving (`outgoing`) or entering node `i`, as (edge index, other node).
    pub fn edges_of(
        &self,
        i: NodeIx,
        outgoing: bool,
    ) -> impl Iterator<Item = (usize, NodeIx)> + '_ {
        let dir = if outgoing {
            petgraph::Direction::Outgoing
        } else {
            petgraph::Direction::Incoming
        };
        let valid = i < self.pg.node_count();
        let node = NodeIndex::new(if valid { i } else { 0 });
        self.pg
            .edges_directed(node, dir)
            .filter(move |_| valid)
            .map(move |e| {
                use petgraph::visit::EdgeRef;
                let other = if outgoing { e.target() } else { e.source() };
                (*e.weight() as usize, other.index())
            })
    }

    /// The petgraph graph (node and edge indices as in [`Graph`]).
    pub fn petgraph(&self) -> &DiGraph<(), u32, u32> {
        &self.pg
    }

    /// Every relation of node `i` as seen from it: outgoing ones under their name, incoming ones
    /// under their inverse name; sorted by name, then the other entity's id.
    pub fn relations(&self, i: NodeIx) -> Vec<Relation> {
        let mut out: Vec<Relation> = self
            .edges_of(i, true)
            .map(|(e, other)| (e, other, true))
            .chain(self.edges_of(i, false).map(|(e, other)| (e, other, false)))
            .filter_map(|(e, other, forward)| {
                let edge = self.edge(e)?;
                Some(Relation {
                    name: if forward {
                        edge.rel.name()
                    } else {
                        edge.rel.inverse_name()
                    },
                    rel: edge.rel,
                    forward,
                    other,
                    edge: e,
                })
            })
            .collect();
        crate::sort::sort_by(&mut out, &mut |a, b| {
            a.name
                .cmp(b.name)
                .then_with(|| self.sort_key(a.other).cmp(&self.sort_key(b.other)))
        });
        out
    }

    /// Orders nodes by kind, then slug (the id order).
    pub(crate) fn sort_key(&self, i: NodeIx) -> (Option<Kind>, &str) {
        self.node(i)
            .map_or((None, ""), |n| (Some(n.kind), n.slug.as_str()))
    }

    /// The edge index of `edge` in [`GraphIndex::petgraph`] terms.
    pub fn edge_index(edge: usize) -> EdgeIndex<u32> {
        EdgeIndex::new(edge)
    }

    /// Counts of entities per kind, in [`Kind::ALL`] order, zero counts left out.
    pub fn kind_counts(&self) -> Vec<(Kind, usize)> {
        let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
        for n in &self.graph.nodes {
            let c = counts.entry(n.kind).or_default();
            *c = c.saturating_add(1);
        }
        counts.into_iter().collect()
    }
}

/// A relation seen from one of its ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relation {
    /// The name from this end: [`Rel::name`] if `forward`, else [`Rel::inverse_name`].
    pub name: &'static str,
    /// The relation as stored, in its forward direction.
    pub rel: Rel,
    /// True if this end is the source.
    pub forward: bool,
    /// The entity at the other end.
    pub other: NodeIx,
    /// Index into [`Graph::edges`].
    pub edge: usize,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small graph for the query tests: (kind, name) nodes and (from, rel, to) edges by name.
    pub(crate) fn graph(nodes: &[(Kind, &str)], edges: &[(&str, Rel, &str)]) -> GraphIndex {
        let mut ns: Vec<Node> = nodes
            .iter()
            .map(|&(kind, name)| Node {
                kind,
                slug: slug(name),
                name: name.to_string(),
                attributes: Vec::new(),
                defined_at: vec![Place {
                    file: 0,
                    line: 1,
                    anchor: None,
                }],
                mentioned_in: Vec::new(),
                page: None,
            })
            .collect();
        crate::sort::sort_by(&mut ns, &mut |a, b| {
            (a.kind, &a.slug).cmp(&(b.kind, &b.slug))
        });
        // Edges name nodes by name, or by id where two kinds share a name.
        let find = |name: &str| {
            let i = ns
                .iter()
                .position(|n| n.id() == name)
                .or_else(|| ns.iter().position(|n| n.name == name))
                .expect(name);
            u32::try_from(i).unwrap()
        };
        let mut es: Vec<Edge> = edges
            .iter()
            .enumerate()
            .map(|(i, &(a, rel, b))| Edge {
                from: find(a),
                to: find(b),
                rel,
                declared_at: vec![Place {
                    file: 0,
                    line: u32::try_from(i).unwrap() + 10,
                    anchor: None,
                }],
            })
            .collect();
        crate::sort::sort_by_key(&mut es, |e| (e.from, e.to, e.rel));
        let g = Graph {
            files: vec![FileRef {
                path: "catalog.md".into(),
                title: Some("Catalog".into()),
            }],
            nodes: ns,
            edges: es,
            repo_url: None,
        };
        g.validate().unwrap();
        GraphIndex::new(g)
    }

    #[test]
    fn slugs_follow_the_issue_rule() {
        assert_eq!(slug("Parcel drop-off"), "parcel-drop-off");
        assert_eq!(slug("POST /api/v1/orders"), "post-api-v1-orders");
        assert_eq!(slug("  fare_rules "), "fare-rules");
        assert_eq!(slug("BookingController"), "bookingcontroller");
        assert_eq!(slug("GET /api/v1/garages/:id"), "get-api-v1-garages-id");
        assert_eq!(slug("--a__b--"), "a-b");
        assert_eq!(slug("Größe"), "gr-e");
        assert_eq!(slug("予約"), "予約");
        assert_eq!(slug("—"), "");
    }

    #[test]
    fn a_path_wildcard_is_a_part_of_its_own() {
        // gitness (chi) has both: one id for the two made one entity of two routes.
        assert_eq!(slug("GET /branches"), "get-branches");
        assert_eq!(slug("GET /branches/*"), "get-branches-*");
        assert_ne!(slug("GET /branches/*"), slug("GET /branches"));
        assert_eq!(slug("GET /static/*filepath"), "get-static-*-filepath");
        assert_eq!(slug("GET /x/(.*)"), "get-x-*");
        assert_eq!(slug("GET /x/**"), "get-x-*");
        assert_eq!(slug("/a*b"), "a-*-b");
        assert_eq!(slug("/*"), "*");
        assert_eq!(slug("GET /Größe/*"), "get-gr-e-*");
        assert_eq!(slug("/予約/*"), "予約-*");
        // A star in a parameter's pattern is not a wildcard of the path.
        assert_eq!(
            slug("GET /objects/info/{file:[^/]*}"),
            "get-objects-info-file"
        );
        assert_eq!(slug("GET /files{/*path}"), "get-files-*-path");
        // No path before it: dropped as before (a footnote mark, `*` for any method).
        assert_eq!(slug("Payments*"), "payments");
        assert_eq!(slug("* /x"), "x");
        // Parameter spellings stay one id: they name the same route (normalize::path agrees).
        assert_eq!(slug("GET /x/{id}"), slug("GET /x/:id"));
        assert_eq!(slug("GET /x/{id}/"), slug("GET /x/:id"));
    }

    #[test]
    fn the_ascii_slug_is_the_general_rule_on_every_ascii_name() {
        // Every pair of printable ASCII characters and a few longer names, through both paths.
        let chars: Vec<char> = (0x20u8..0x7f).map(char::from).collect();
        for a in &chars {
            for b in &chars {
                let name: String = [*a, 'x', *b, *b, 'Q', *a].iter().collect();
                let general = slug_with(&name, |c| c.is_ascii_lowercase() || c.is_ascii_digit());
                assert_eq!(ascii_slug(&name), general, "{name:?}");
            }
        }
        assert_eq!(ascii_slug(" -_/ "), "");
    }

    #[test]
    fn kinds_and_relations_round_trip_by_name() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        for r in Rel::ALL {
            assert_eq!(Rel::parse(r.name()), Some((r, true)));
            assert_eq!(Rel::parse(r.inverse_name()), Some((r, false)));
        }
        assert_eq!(Kind::parse("Service"), Some(Kind::Service));
        assert_eq!(Kind::parse("group"), None);
    }

    #[test]
    fn ids_are_found_the_way_people_type_them() {
        let g = graph(
            &[(Kind::Service, "booking-api"), (Kind::Table, "fare_rules")],
            &[],
        );
        let b = g.find_id("service:booking-api").unwrap();
        assert_eq!(g.id_of(b), "service:booking-api");
        assert_eq!(g.find_id("Service:Booking_API"), Some(b));
        assert_eq!(g.find_id("service:default/booking-api"), Some(b));
        assert_eq!(
            g.id_of(g.find_id("table:fare rules").unwrap()),
            "table:fare-rules"
        );
        assert_eq!(g.find_id("table:booking-api"), None);
        assert_eq!(g.find_id("booking-api"), None);
        assert_eq!(g.find_id("nonsense:x"), None);
    }

    #[test]
    fn encode_decode_round_trip_and_reject_bad_indices() {
        let g = graph(
            &[(Kind::Feature, "Refunds"), (Kind::Service, "payments")],
            &[("Refunds", Rel::Uses, "payments")],
        );
        let bytes = encode(&g.graph);
        assert_eq!(decode(&bytes).unwrap(), g.graph);
        let mut bad = g.graph.clone();
        bad.edges[0].to = 9;
        assert!(matches!(
            decode(&encode(&bad)),
            Err(FormatError::Payload(_))
        ));
        let mut unsorted = g.graph.clone();
        unsorted.nodes.reverse();
        assert!(matches!(
            decode(&encode(&unsorted)),
            Err(FormatError::Payload(_))
        ));
        // A graph file is not a bundle head, and a head is not a graph file.
        assert_eq!(crate::decode_head(&bytes), Err(FormatError::NotABundle));
        assert_eq!(decode(b"DOCATLAS"), Err(FormatError::NotABundle));
    }

    #[test]
    fn code_references_link_through_the_repository_template() {
        let mut g = Graph::default();
        assert_eq!(g.code_link("src/a.ts:4"), None);
        g.repo_url = Some("https://git.example/r/blob/main/{path}#L{line}".into());
        assert_eq!(
            g.code_link("src/a.ts:42").as_deref(),
            Some("https://git.example/r/blob/main/src/a.ts#L42")
        );
        assert_eq!(g.code_link("JWT"), None);
        assert_eq!(g.code_link("http://x:80"), None);
    }

    #[test]
    fn relations_are_seen_from_both_ends() {
        let g = graph(
            &[(Kind::Feature, "Refunds"), (Kind::Service, "payments")],
            &[("Refunds", Rel::Uses, "payments")],
        );
        let p = g.find_id("service:payments").unwrap();
        let f = g.find_id("feature:refunds").unwrap();
        let rels = g.relations(p);
        assert_eq!(rels.len(), 1);
        assert_eq!(
            (rels[0].name, rels[0].other, rels[0].forward),
            ("used_by", f, false)
        );
        assert_eq!(g.relations(f)[0].name, "uses");
    }
}
