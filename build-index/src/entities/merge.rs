//! Facts in, one graph out: every source (catalog tables, Backstage descriptors, pages) adds
//! facts naming entities by kind and name; [`Builder::finish`] merges the names that mean one
//! entity (same slug; a Backstage `component:` ref finds the service or feature of that name),
//! keeps every place each fact was declared, and reports facts that contradict each other.

use std::collections::{BTreeMap, BTreeSet};

use docatlas_core::graph::{self, Attribute, Edge, FileRef, Graph, Kind, Node, Place, Rel};

use crate::corpus::diagnostics::{Diagnostic, Severity};

/// Where a fact was declared.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Src {
    /// Index into the builder's files.
    pub file: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, for diagnostics.
    pub col: u32,
    /// The section heading's anchor, for links into the page.
    pub anchor: Option<String>,
}

impl Src {
    fn place(&self) -> Place {
        Place {
            file: self.file,
            line: self.line,
            anchor: self.anchor.clone(),
        }
    }
}

/// An entity as a fact names it: the kinds it may be (the first is used if it is new) and its
/// name as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Name {
    pub kinds: Vec<Kind>,
    pub name: String,
}

impl Name {
    /// An entity of exactly this kind.
    pub fn of(kind: Kind, name: &str) -> Name {
        Name {
            kinds: vec![kind],
            name: name.trim().to_string(),
        }
    }

    /// An entity of the first of `kinds` that has an entity of this name, else of `kinds[0]`.
    pub fn any(kinds: &[Kind], name: &str) -> Name {
        Name {
            kinds: kinds.to_vec(),
            name: name.trim().to_string(),
        }
    }
}

struct Define {
    seq: usize,
    name: Name,
    /// A display name other than the one the id comes from (a Backstage `metadata.title`).
    title: Option<String>,
    at: Src,
    attrs: Vec<(String, String)>,
    page: Option<u32>,
}

struct Relate {
    from: Name,
    rel: Rel,
    to: Name,
    at: Src,
    /// Naming the target here defines it (a service's Controllers column defines controllers).
    defines_to: bool,
}

/// A runbook covers the services its title names: resolved once every service is known.
struct TitleCover {
    runbook: Name,
    title: String,
    at: Src,
}

type Key = (Kind, String);

#[derive(Default)]
struct Acc {
    /// (source order, name): the earliest definition's name wins, else the earliest reference's.
    name: Option<(bool, usize, String)>,
    attrs: Vec<(String, String, Src)>,
    defined_at: Vec<Src>,
    referenced_at: Vec<Src>,
    mentioned_in: Vec<Src>,
    page: Option<u32>,
}

/// Collects facts from every source, then merges them into a [`Graph`].
#[derive(Default)]
pub(crate) struct Builder {
    files: Vec<FileRef>,
    file_ix: BTreeMap<String, u32>,
    defines: Vec<Define>,
    relates: Vec<Relate>,
    mentions: Vec<(Name, Src)>,
    title_covers: Vec<TitleCover>,
    /// (`Controller.method`, `path:line`): where a handler is in the code.
    code_refs: Vec<(String, String)>,
    seq: usize,
    /// Problems found while reading sources (bad YAML...), reported with the rest.
    pub diagnostics: Vec<Diagnostic>,
}

impl Builder {
    /// The index of a file, added on first use; `title` is set for pages.
    pub fn file(&mut self, path: &str, title: Option<&str>) -> u32 {
        if let Some(&i) = self.file_ix.get(path) {
            return i;
        }
        let i = u32::try_from(self.files.len()).unwrap_or(u32::MAX);
        self.files.push(FileRef {
            path: path.to_string(),
            title: title.map(String::from),
        });
        self.file_ix.insert(path.to_string(), i);
        i
    }

    /// The path of file `i`.
    pub fn path(&self, i: u32) -> &str {
        self.files.get(i as usize).map_or("", |f| f.path.as_str())
    }

    /// `name` is defined at `at`, with these attributes (column or key, value).
    pub fn define(&mut self, name: Name, at: Src, attrs: Vec<(String, String)>) {
        self.define_page(name, at, attrs, None);
    }

    /// Like [`Builder::define`], for an entity that has its own page (file index).
    pub fn define_page(
        &mut self,
        name: Name,
        at: Src,
        attrs: Vec<(String, String)>,
        page: Option<u32>,
    ) {
        self.push_define(name, None, at, attrs, page);
    }

    /// Like [`Builder::define`], shown under `title` rather than the name its id comes from.
    pub fn define_titled(
        &mut self,
        name: Name,
        title: Option<String>,
        at: Src,
        attrs: Vec<(String, String)>,
    ) {
        self.push_define(name, title, at, attrs, None);
    }

    fn push_define(
        &mut self,
        name: Name,
        title: Option<String>,
        at: Src,
        attrs: Vec<(String, String)>,
        page: Option<u32>,
    ) {
        if graph::slug(&name.name).is_empty() || name.kinds.is_empty() {
            return;
        }
        self.seq = self.seq.saturating_add(1);
        self.defines.push(Define {
            seq: self.seq,
            name,
            title,
            at,
            attrs,
            page,
        });
    }

    /// Records a problem with a source (bad YAML...) to report with the graph's diagnostics.
    pub fn warn_later(&mut self, at: &Src, message: String) {
        let mut d = Vec::new();
        self.warn(&mut d, at, message);
        self.diagnostics.extend(d);
    }

    /// `from` —`rel`→ `to`, declared at `at`.
    pub fn relate(&mut self, from: Name, rel: Rel, to: Name, at: Src) {
        self.push_relate(from, rel, to, at, false);
    }

    /// Like [`Builder::relate`], where naming `to` also defines it.
    pub fn relate_defining(&mut self, from: Name, rel: Rel, to: Name, at: Src) {
        self.push_relate(from, rel, to, at, true);
    }

    fn push_relate(&mut self, from: Name, rel: Rel, to: Name, at: Src, defines_to: bool) {
        let ok = |n: &Name| !graph::slug(&n.name).is_empty() && !n.kinds.is_empty();
        if ok(&from) && ok(&to) {
            self.relates.push(Relate {
                from,
                rel,
                to,
                at,
                defines_to,
            });
        }
    }

    /// The page at `at` mentions `name` (a link to its page, front matter naming it).
    pub fn mention(&mut self, name: Name, at: Src) {
        if !graph::slug(&name.name).is_empty() && !name.kinds.is_empty() {
            self.mentions.push((name, at));
        }
    }

    /// The runbook `runbook`, titled `title` (declared at `at`), covers every service whose name
    /// appears in its title as whole words.
    pub fn covers_by_title(&mut self, runbook: Name, title: &str, at: Src) {
        self.title_covers.push(TitleCover {
            runbook,
            title: title.to_string(),
            at,
        });
    }

    /// The handler method `method` (`BookingController.create`) is at `code` (`path:line`):
    /// entities whose handler attribute names it get a `Code` attribute.
    pub fn code_ref(&mut self, method: &str, code: &str) {
        self.code_refs.push((method.to_string(), code.to_string()));
    }

    /// Merges the facts into a graph; returns it with the diagnostics about it (conflicts) and
    /// where each entity was named, for [`super::checks`].
    pub fn finish(mut self) -> Merged {
        let mut m = Merging::default();
        m.define(std::mem::take(&mut self.defines));
        // Targets that a relation defines (a service's controllers) count as defined before
        // any reference is resolved, so references find them.
        m.seq = self.seq;
        m.define_targets(&self.relates);
        m.relate(std::mem::take(&mut self.relates));
        m.cover_by_title(std::mem::take(&mut self.title_covers));
        m.mention(std::mem::take(&mut self.mentions));
        m.add_code(&self.code_refs);
        let mut diagnostics = std::mem::take(&mut self.diagnostics);
        self.conflicts(&m.nodes, &m.edges, &mut diagnostics);
        Merged {
            graph: self.assemble(&m.nodes, &m.edges),
            places: Places::new(&m.nodes),
            diagnostics,
        }
    }

    /// The graph: nodes in key order (the graph's id order), places sorted and unique.
    fn assemble(
        &self,
        nodes: &BTreeMap<Key, Acc>,
        edges: &BTreeMap<(Key, Key, Rel), Vec<Src>>,
    ) -> Graph {
        let index: BTreeMap<&Key, u32> = nodes
            .keys()
            .enumerate()
            .map(|(i, k)| (k, u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        let graph_nodes: Vec<Node> = nodes
            .iter()
            .map(|((kind, slug), acc)| Node {
                kind: *kind,
                slug: slug.clone(),
                name: acc
                    .name
                    .as_ref()
                    .map_or_else(|| slug.clone(), |(_, _, n)| n.clone()),
                attributes: attributes(acc),
                defined_at: places(&acc.defined_at),
                mentioned_in: places(&acc.mentioned_in),
                page: acc.page,
            })
            .collect();
        let mut graph_edges: Vec<Edge> = edges
            .iter()
            .filter_map(|((a, b, rel), at)| {
                Some(Edge {
                    from: *index.get(a)?,
                    to: *index.get(b)?,
                    rel: *rel,
                    declared_at: places(at),
                })
            })
            .collect();
        graph_edges.sort_by_key(|e| (e.from, e.to, e.rel));
        Graph {
            files: self.files.clone(),
            nodes: graph_nodes,
            edges: graph_edges,
            repo_url: None,
        }
    }

    /// Diagnostics for facts that contradict each other: one attribute with two values, and
    /// relations an entity can have only one of (a table's owning service, an owning team, a
    /// route's handler, the system something is part of).
    fn conflicts(
        &self,
        nodes: &BTreeMap<Key, Acc>,
        edges: &BTreeMap<(Key, Key, Rel), Vec<Src>>,
        diags: &mut Vec<Diagnostic>,
    ) {
        self.attribute_conflicts(nodes, diags);
        self.kind_conflicts(nodes, diags);
        self.holder_conflicts(edges, diags);
    }

    /// One attribute given two values.
    fn attribute_conflicts(&self, nodes: &BTreeMap<Key, Acc>, diags: &mut Vec<Diagnostic>) {
        for ((kind, slug), acc) in nodes {
            let id = graph::id(*kind, slug);
            let mut first: BTreeMap<String, (&str, &Src)> = BTreeMap::new();
            for (k, v, at) in &acc.attrs {
                let ks = graph::slug(k);
                match first.get(&ks) {
                    Some((v0, at0)) if !same_value(v0, v) => {
                        self.warn(diags, at, format!(
                            "`{k}` of `{id}` is `{v}` here but `{v0}` at {}; make them agree (the first value is used)",
                            self.at(at0)
                        ));
                    }
                    Some(_) => {}
                    None => {
                        first.insert(ks, (v.as_str(), at));
                    }
                }
            }
        }
    }

    /// One name defined as two kinds.
    fn kind_conflicts(&self, nodes: &BTreeMap<Key, Acc>, diags: &mut Vec<Diagnostic>) {
        // One name defined as two deployable kinds by different places (`service:kafka` in a
        // table, `resource:kafka` in a descriptor): warned about, not merged, because the kind
        // decides what the relations mean (a resource is stored in, a service is called) and a
        // guess would silently move one side's facts; a kind prefix or one definition fixes it.
        let deployable = [Kind::Service, Kind::Component, Kind::Resource, Kind::Api];
        let mut by_slug: BTreeMap<&str, Vec<(Kind, &Src)>> = BTreeMap::new();
        for ((kind, slug), acc) in nodes {
            if let (true, Some(at)) = (deployable.contains(kind), acc.defined_at.iter().min()) {
                by_slug.entry(slug).or_default().push((*kind, at));
            }
        }
        for (slug, mut defs) in by_slug {
            defs.sort_by(|a, b| a.1.cmp(b.1));
            let Some(&(k0, at0)) = defs.first() else {
                continue;
            };
            for &(k, at) in defs.iter().skip(1) {
                self.warn(diags, at, format!(
                    "`{}` is defined here and `{}` at {}: one name, two kinds; if they are one thing, define it once (or refer to it with its kind, `{}`), else rename one",
                    graph::id(k, slug),
                    graph::id(k0, slug),
                    self.at(at0),
                    graph::id(k0, slug),
                ));
            }
        }
    }

    /// A second holder of a single-valued relation.
    fn holder_conflicts(
        &self,
        edges: &BTreeMap<(Key, Key, Rel), Vec<Src>>,
        diags: &mut Vec<Diagnostic>,
    ) {
        // Single-valued relations, looked at from the side that may have only one.
        let mut holders: BTreeMap<(&Key, &'static str), Vec<(&Key, &Src)>> = BTreeMap::new();
        for ((from, to, rel), at) in edges {
            let what = match rel {
                Rel::OwnsTable => Some("owning service"),
                Rel::Owns => Some("owning team"),
                // A service named by an OpenAPI tag serves the route through its controller.
                Rel::Handles if to.0 == Kind::Route && from.0 == Kind::Controller => {
                    Some("handler")
                }
                Rel::Contains if from.0 == Kind::System => Some("system"),
                Rel::Contains if from.0 == Kind::Domain => Some("domain"),
                _ => None,
            };
            if let (Some(what), Some(first_at)) = (what, at.iter().min()) {
                holders
                    .entry((to, what))
                    .or_default()
                    .push((from, first_at));
            }
        }
        for ((to, what), mut list) in holders {
            if list.len() < 2 {
                continue;
            }
            list.sort_by(|a, b| a.1.cmp(b.1));
            let Some(&(a, a_at)) = list.first() else {
                continue;
            };
            for &(b, b_at) in list.iter().skip(1) {
                self.warn(diags, b_at, format!(
                    "`{}` gets a second {what} here, `{}`, but {} says `{}`; an entity has one {what}: fix one of them",
                    graph::id(to.0, &to.1),
                    graph::id(b.0, &b.1),
                    self.at(a_at),
                    graph::id(a.0, &a.1),
                ));
            }
        }
    }

    /// `path:line` of a source.
    pub fn at(&self, s: &Src) -> String {
        format!("{}:{}", self.path(s.file), s.line)
    }

    /// Adds a warning at `at`.
    pub fn warn(&self, diags: &mut Vec<Diagnostic>, at: &Src, message: String) {
        warn(&self.files, diags, at, message);
    }
}

/// Adds a warning at `at`, a place in one of `files`.
pub(crate) fn warn(files: &[FileRef], diags: &mut Vec<Diagnostic>, at: &Src, message: String) {
    diags.push(Diagnostic {
        path: files
            .get(at.file as usize)
            .map_or("", |f| f.path.as_str())
            .to_string(),
        line: at.line as usize,
        col: at.col.max(1) as usize,
        severity: Severity::Warning,
        message,
        code: None,
    });
}

/// What [`Builder::finish`] returns.
pub(crate) struct Merged {
    /// The merged graph (its `repo_url` unset).
    pub graph: Graph,
    /// Where each entity was defined and referenced, for the checks.
    pub places: Places,
    /// Problems found while reading sources, and facts that contradict each other.
    pub diagnostics: Vec<Diagnostic>,
}

/// The entities and relations while facts are merged, phase by phase ([`Builder::finish`]).
#[derive(Default)]
struct Merging {
    nodes: BTreeMap<Key, Acc>,
    /// Entities something defines (as opposed to only naming them).
    defined: BTreeSet<Key>,
    edges: BTreeMap<(Key, Key, Rel), Vec<Src>>,
    /// Source order of the names resolved after the definitions.
    seq: usize,
}

impl Merging {
    /// Definitions, exact kinds first, so a flexible name ("a service or a component") finds
    /// them.
    fn define(&mut self, defines: Vec<Define>) {
        let (exact, flexible): (Vec<Define>, Vec<Define>) =
            defines.into_iter().partition(|d| d.name.kinds.len() == 1);
        for d in exact.into_iter().chain(flexible) {
            let key = resolve(&d.name, &self.defined, &self.nodes);
            self.defined.insert(key.clone());
            let acc = self.nodes.entry(key).or_default();
            name_from(acc, true, d.seq, d.title.as_deref().unwrap_or(&d.name.name));
            for (k, v) in d.attrs {
                acc.attrs.push((k, v, d.at.clone()));
            }
            acc.defined_at.push(d.at);
            acc.page = acc.page.or(d.page);
        }
    }

    /// The targets that relations define.
    fn define_targets(&mut self, relates: &[Relate]) {
        for r in relates.iter().filter(|r| r.defines_to) {
            let key = resolve(&r.to, &self.defined, &self.nodes);
            self.defined.insert(key.clone());
            self.seq = self.seq.saturating_add(1);
            let acc = self.nodes.entry(key).or_default();
            name_from(acc, true, self.seq, &r.to.name);
            acc.defined_at.push(r.at.clone());
        }
    }

    /// The relations, between the entities their names resolve to.
    fn relate(&mut self, relates: Vec<Relate>) {
        for r in relates {
            let from = self.reference(&r.from, &r.at);
            let to = if r.defines_to {
                resolve(&r.to, &self.defined, &self.nodes)
            } else {
                self.reference(&r.to, &r.at)
            };
            if from != to {
                self.edges.entry((from, to, r.rel)).or_default().push(r.at);
            }
        }
    }

    /// Runbooks cover the services their titles name, now that every service is known.
    fn cover_by_title(&mut self, covers: Vec<TitleCover>) {
        for tc in covers {
            let rb = resolve(&tc.runbook, &self.defined, &self.nodes);
            let words = format!("-{}-", graph::slug(&tc.title));
            let services: Vec<Key> = self
                .defined
                .iter()
                .filter(|(k, s)| {
                    *k == Kind::Service && s.len() >= 3 && words.contains(&format!("-{s}-"))
                })
                .cloned()
                .collect();
            for s in services {
                if rb != s {
                    self.edges
                        .entry((rb.clone(), s, Rel::Covers))
                        .or_default()
                        .push(tc.at.clone());
                }
            }
        }
    }

    /// Mentions: where an entity is named without needing a definition.
    fn mention(&mut self, mentions: Vec<(Name, Src)>) {
        for (name, at) in mentions {
            let key = self.reference(&name, &at);
            if let Some(acc) = self.nodes.get_mut(&key) {
                // A mention is not a reference that needs a definition: drop it from there.
                acc.referenced_at.retain(|s| *s != at);
                acc.mentioned_in.push(at);
            }
        }
    }

    /// A `Code` attribute on each entity with an attribute naming a handler method that the
    /// docs point into the code for.
    fn add_code(&mut self, code_refs: &[(String, String)]) {
        for acc in self.nodes.values_mut() {
            let code = acc.attrs.iter().find_map(|(_, v, at)| {
                code_refs
                    .iter()
                    .find(|(m, _)| m == v.trim())
                    .map(|(_, c)| (c.clone(), at.clone()))
            });
            if let Some((c, at)) = code {
                acc.attrs.push(("Code".to_string(), c, at));
            }
        }
    }

    /// Resolves a referenced name, creating an entity that is referenced only if none exists;
    /// records where it was referenced.
    fn reference(&mut self, name: &Name, at: &Src) -> Key {
        let key = resolve(name, &self.defined, &self.nodes);
        self.seq = self.seq.saturating_add(1);
        let acc = self.nodes.entry(key.clone()).or_default();
        name_from(acc, false, self.seq, &name.name);
        acc.referenced_at.push(at.clone());
        key
    }
}

/// An entity's attributes, the first of each key (keys compared by slug).
fn attributes(acc: &Acc) -> Vec<Attribute> {
    let mut attributes: Vec<Attribute> = Vec::new();
    for (k, v, _) in &acc.attrs {
        let ks = graph::slug(k);
        if !attributes.iter().any(|a| graph::slug(&a.key) == ks) {
            attributes.push(Attribute {
                key: k.clone(),
                value: v.clone(),
            });
        }
    }
    attributes
}

/// Where each entity was defined and referenced (with columns), for the checks.
pub(crate) struct Places {
    /// Per node index: definitions, then references, sorted.
    pub defined: Vec<Vec<Src>>,
    pub referenced: Vec<Vec<Src>>,
}

impl Places {
    fn new(nodes: &BTreeMap<Key, Acc>) -> Places {
        let sorted = |v: &Vec<Src>| {
            let mut v = v.clone();
            v.sort();
            v.dedup();
            v
        };
        Places {
            defined: nodes.values().map(|a| sorted(&a.defined_at)).collect(),
            referenced: nodes.values().map(|a| sorted(&a.referenced_at)).collect(),
        }
    }
}

fn name_from(acc: &mut Acc, defining: bool, seq: usize, name: &str) {
    // Definitions beat references; earlier beats later.
    let better = match &acc.name {
        None => true,
        Some((d, s, _)) => (defining && !d) || (defining == *d && seq < *s),
    };
    if better {
        acc.name = Some((defining, seq, name.trim().to_string()));
    }
}

/// The node a name means: the first of its kinds with a defined entity of that slug, else the
/// first with any entity of that slug, else a new one of its first kind.
fn resolve(name: &Name, defined: &BTreeSet<Key>, nodes: &BTreeMap<Key, Acc>) -> Key {
    let slug = graph::slug(&name.name);
    let key = |k: &Kind| (*k, slug.clone());
    name.kinds
        .iter()
        .map(key)
        .find(|k| defined.contains(k))
        .or_else(|| name.kinds.iter().map(key).find(|k| nodes.contains_key(k)))
        .unwrap_or_else(|| {
            (
                name.kinds.first().copied().unwrap_or(Kind::Component),
                slug.clone(),
            )
        })
}

fn same_value(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

fn places(srcs: &[Src]) -> Vec<Place> {
    let mut p: Vec<Place> = srcs.iter().map(Src::place).collect();
    p.sort();
    p.dedup_by(|a, b| a.file == b.file && a.line == b.line);
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(b: &mut Builder, file: &str, line: u32) -> Src {
        Src {
            file: b.file(file, Some(file)),
            line,
            col: 1,
            anchor: None,
        }
    }

    fn ids(g: &Graph) -> Vec<String> {
        g.nodes.iter().map(Node::id).collect()
    }

    #[test]
    fn names_that_differ_in_case_spacing_and_separators_are_one_entity() {
        let mut b = Builder::default();
        let a1 = at(&mut b, "a.md", 3);
        let a2 = at(&mut b, "b.md", 7);
        b.define(
            Name::of(Kind::Table, "fare_rules"),
            a1,
            vec![("Rows".into(), "1,800".into())],
        );
        b.define(Name::of(Kind::Table, "Fare Rules"), a2, vec![]);
        let a3 = at(&mut b, "c.md", 1);
        b.relate(
            Name::of(Kind::Service, "pricing"),
            Rel::OwnsTable,
            Name::of(Kind::Table, "FARE-RULES"),
            a3,
        );
        let g = b.finish().graph;
        assert_eq!(ids(&g), ["service:pricing", "table:fare-rules"]);
        let t = &g.nodes[1];
        assert_eq!(t.name, "fare_rules", "the first definition names it");
        assert_eq!(t.defined_at.len(), 2);
        assert_eq!(g.edges.len(), 1);
    }

    #[test]
    fn flexible_names_find_the_entity_another_source_defined() {
        let mut b = Builder::default();
        let y = at(&mut b, "catalog-info.yaml", 10);
        b.define(Name::of(Kind::Service, "booking-api"), y.clone(), vec![]);
        b.define(Name::of(Kind::Component, "ui-kit"), y.clone(), vec![]);
        let m = at(&mut b, "services.md", 5);
        // A Backstage `component:` ref may be a service, a component or a feature.
        let comp = [Kind::Service, Kind::Component, Kind::Feature];
        b.relate(
            Name::of(Kind::Feature, "Checkout"),
            Rel::Uses,
            Name::any(&comp, "booking-api"),
            m.clone(),
        );
        b.relate(
            Name::of(Kind::Feature, "Checkout"),
            Rel::Uses,
            Name::any(&comp, "ui-kit"),
            m.clone(),
        );
        b.define(
            Name::any(&[Kind::Service, Kind::Component], "ui-kit"),
            m,
            vec![],
        );
        let g = b.finish().graph;
        assert_eq!(
            ids(&g),
            [
                "feature:checkout",
                "service:booking-api",
                "component:ui-kit"
            ]
        );
        assert_eq!(g.nodes[2].defined_at.len(), 2);
    }

    #[test]
    fn one_fact_from_two_places_is_one_edge_with_both_places() {
        let mut b = Builder::default();
        let p1 = at(&mut b, "services.md", 4);
        let p2 = at(&mut b, "catalog-info.yaml", 40);
        for p in [p1, p2] {
            b.relate(
                Name::of(Kind::Feature, "Refunds"),
                Rel::Uses,
                Name::of(Kind::Service, "payments"),
                p,
            );
        }
        let g = b.finish().graph;
        assert_eq!(g.edges.len(), 1);
        let places: Vec<String> = g.edges[0].declared_at.iter().map(|p| g.place(p)).collect();
        assert_eq!(places, ["services.md:4", "catalog-info.yaml:40"]);
    }

    #[test]
    fn one_name_defined_as_two_deployable_kinds_is_a_warning_naming_both() {
        let mut b = Builder::default();
        let p1 = at(&mut b, "services.md", 9);
        let p2 = at(&mut b, "catalog-info.yaml", 3);
        b.define(Name::of(Kind::Service, "kafka"), p1, vec![]);
        b.define(Name::of(Kind::Resource, "Kafka"), p2.clone(), vec![]);
        // A table and a service of one name are common and fine.
        b.define(Name::of(Kind::Table, "kafka"), p2, vec![]);
        let diags = b.finish().diagnostics;
        let text: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert_eq!(
            text.iter().filter(|d| d.contains("two kinds")).count(),
            1,
            "{text:#?}"
        );
        assert!(text.iter().any(|d| d.starts_with("catalog-info.yaml:3:1: warning: `resource:kafka` is defined here and `service:kafka` at services.md:9")), "{text:#?}");
    }

    #[test]
    fn conflicting_facts_name_both_places() {
        let mut b = Builder::default();
        let p1 = at(&mut b, "services.md", 30);
        let p2 = at(&mut b, "data-model.md", 12);
        b.relate(
            Name::of(Kind::Service, "payments"),
            Rel::OwnsTable,
            Name::of(Kind::Table, "refunds"),
            p1.clone(),
        );
        b.relate(
            Name::of(Kind::Service, "booking-api"),
            Rel::OwnsTable,
            Name::of(Kind::Table, "refunds"),
            p2.clone(),
        );
        b.define(
            Name::of(Kind::Route, "POST /x"),
            p1,
            vec![("PII".into(), "yes".into())],
        );
        b.define(
            Name::of(Kind::Route, "post /x"),
            p2,
            vec![("pii".into(), "no".into())],
        );
        let diags = b.finish().diagnostics;
        let text: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert!(text.iter().any(|d| d.starts_with("data-model.md:12:1: warning: `table:refunds` gets a second owning service here, `service:booking-api`, but services.md:30 says `service:payments`")), "{text:#?}");
        assert!(text.iter().any(|d| d.starts_with("data-model.md:12:1: warning: `pii` of `route:post-x` is `no` here but `yes` at services.md:30")), "{text:#?}");
    }
}
