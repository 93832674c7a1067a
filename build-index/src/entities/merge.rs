//! Facts in, one graph out: every source (catalog tables, Backstage descriptors, pages) adds
//! facts naming entities by kind and name; [`Builder::finish`] merges the names that mean one
//! entity (same slug; a Backstage `component:` ref finds the service or feature of that name),
//! keeps every place each fact was declared, and reports facts that contradict each other.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rustc_hash::FxHashMap;

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
    /// The section heading's anchor, for links into the page: shared, not copied, by the facts
    /// of one section (a 200,000-row catalog gives a million facts under one heading).
    pub anchor: Option<Arc<str>>,
}

impl Src {
    fn place(&self) -> Place {
        Place {
            file: self.file,
            line: self.line,
            anchor: self.anchor.as_deref().map(String::from),
        }
    }
}

/// An entity as a fact names it: the kinds it may be (the first is used if it is new) and its
/// name as written. Both are shared rather than owned: a catalog row's entity is named by its
/// definition and each of its relations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Name {
    pub kinds: &'static [Kind],
    pub name: Arc<str>,
}

impl Name {
    /// An entity of exactly this kind.
    pub fn of(kind: Kind, name: &str) -> Name {
        Name {
            kinds: super::refs::only(kind),
            name: Arc::from(name.trim()),
        }
    }

    /// An entity of the first of `kinds` that has an entity of this name, else of `kinds[0]`.
    pub fn any(kinds: &'static [Kind], name: &str) -> Name {
        Name {
            kinds,
            name: Arc::from(name.trim()),
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

    /// The runbook `runbook`, titled (or with a heading) `title` (declared at `at`), covers
    /// every service its title names as a whole name ([`super::names::whole_names`]).
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
        // Every fact names one or two entities and makes at most one relation.
        let mut m = Merging {
            nodes: Nodes::with_capacity(self.defines.len().saturating_add(self.relates.len())),
            edges: FxHashMap::with_capacity_and_hasher(self.relates.len(), Default::default()),
            seq: 0,
        };
        m.define(std::mem::take(&mut self.defines));
        // Targets that a relation defines (a service's controllers) count as defined before
        // any reference is resolved, so references find them.
        m.seq = self.seq;
        m.define_targets(&self.relates);
        m.relate(std::mem::take(&mut self.relates));
        m.cover_by_title(std::mem::take(&mut self.title_covers));
        m.mention(std::mem::take(&mut self.mentions));
        m.add_code(&self.code_refs);
        let sorted = m.sorted();
        let mut diagnostics = std::mem::take(&mut self.diagnostics);
        self.conflicts(&sorted, &mut diagnostics);
        let graph = self.assemble(&sorted);
        Merged {
            graph,
            places: Places::new(sorted.nodes),
            diagnostics,
        }
    }

    /// The graph: nodes in key order (the graph's id order), places sorted and unique.
    fn assemble(&self, sorted: &Sorted) -> Graph {
        let graph_nodes: Vec<Node> = sorted
            .nodes
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
        let ix = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        // Already in (from, to, rel) order: node indices follow the key order.
        let graph_edges: Vec<Edge> = sorted
            .edges
            .iter()
            .map(|((a, b, rel), at)| Edge {
                from: ix(*a),
                to: ix(*b),
                rel: *rel,
                declared_at: places(at),
            })
            .collect();
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
    fn conflicts(&self, sorted: &Sorted, diags: &mut Vec<Diagnostic>) {
        self.attribute_conflicts(&sorted.nodes, diags);
        self.kind_conflicts(&sorted.nodes, diags);
        self.holder_conflicts(sorted, diags);
    }

    /// One attribute given two values.
    fn attribute_conflicts(&self, nodes: &[(Key, Acc)], diags: &mut Vec<Diagnostic>) {
        for ((kind, slug), acc) in nodes.iter().filter(|(_, acc)| acc.attrs.len() >= 2) {
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
    fn kind_conflicts(&self, nodes: &[(Key, Acc)], diags: &mut Vec<Diagnostic>) {
        // One name defined as two deployable kinds by different places (`service:kafka` in a
        // table, `resource:kafka` in a descriptor): warned about, not merged, because the kind
        // decides what the relations mean (a resource is stored in, a service is called) and a
        // guess would silently move one side's facts; a kind prefix or one definition fixes it.
        let deployable = [Kind::Service, Kind::Component, Kind::Resource, Kind::Api];
        // Nearly every slug has one such kind: a hash map finds the first, and only the names
        // defined twice get a list (in slug order, for the diagnostics' order).
        let mut first: FxHashMap<&str, (Kind, &Src)> = FxHashMap::default();
        let mut by_slug: BTreeMap<&str, Vec<(Kind, &Src)>> = BTreeMap::new();
        for ((kind, slug), acc) in nodes {
            if let (true, Some(at)) = (deployable.contains(kind), acc.defined_at.iter().min()) {
                match first.entry(slug) {
                    Entry::Vacant(v) => {
                        v.insert((*kind, at));
                    }
                    Entry::Occupied(o) => by_slug
                        .entry(slug)
                        .or_insert_with(|| vec![*o.get()])
                        .push((*kind, at)),
                }
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
    fn holder_conflicts(&self, sorted: &Sorted, diags: &mut Vec<Diagnostic>) {
        // Single-valued relations, looked at from the side that may have only one.
        // As in `kind_conflicts`: the first holder in a hash map, a list only for a second one.
        let mut first: FxHashMap<(usize, &'static str), (&Key, &Src)> = FxHashMap::default();
        let mut holders: BTreeMap<(usize, &'static str), Vec<(&Key, &Src)>> = BTreeMap::new();
        let key = |i: usize| sorted.nodes.get(i).map(|(k, _)| k);
        for ((from_ix, to_ix, rel), at) in &sorted.edges {
            let (Some(from), Some(to)) = (key(*from_ix), key(*to_ix)) else {
                continue;
            };
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
                match first.entry((*to_ix, what)) {
                    Entry::Vacant(v) => {
                        v.insert((from, first_at));
                    }
                    Entry::Occupied(o) => holders
                        .entry((*to_ix, what))
                        .or_insert_with(|| vec![*o.get()])
                        .push((from, first_at)),
                }
            }
        }
        for ((to_ix, what), mut list) in holders {
            let (true, Some(to)) = (list.len() >= 2, key(to_ix)) else {
                continue;
            };
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
struct Merging {
    nodes: Nodes,
    /// Relations by (from, to, relation) node indices, with where each was declared.
    edges: FxHashMap<(usize, usize, Rel), Vec<Src>>,
    /// Source order of the names resolved after the definitions.
    seq: usize,
}

/// Every entity named so far, by index in the order first named. A name is found with one hash
/// probe of its slug (slugged once per fact), then a look at the few kinds of that slug: a
/// 200,000-row catalog must not pay string comparisons down an ordered tree for each of its
/// names (issue 26: that made building and checking it grow faster than its rows). What the
/// look needs of each entity sits in one small [`Meta`], so it touches one cache line, not three.
#[derive(Default)]
struct Nodes {
    keys: Vec<Key>,
    accs: Vec<Acc>,
    meta: Vec<Meta>,
    /// The last entity of each slug; the others of that slug are chained through `Meta::prev`.
    by_slug: FxHashMap<String, usize>,
}

/// What finding an entity by name looks at.
#[derive(Clone, Copy)]
struct Meta {
    kind: Kind,
    /// Whether something defines the entity (as opposed to only naming it).
    defined: bool,
    /// The entity before it with the same slug (`usize::MAX`: none).
    prev: usize,
}

impl Nodes {
    fn with_capacity(n: usize) -> Nodes {
        Nodes {
            keys: Vec::with_capacity(n),
            accs: Vec::with_capacity(n),
            meta: Vec::with_capacity(n),
            by_slug: FxHashMap::with_capacity_and_hasher(n, Default::default()),
        }
    }

    /// The entities chained from `head` (the last of a slug), with what is known of each.
    fn chain(&self, head: Option<usize>) -> impl Iterator<Item = (usize, Meta)> + '_ {
        let meta = |i: usize| self.meta.get(i).map(|m| (i, *m));
        std::iter::successors(head.and_then(meta), move |(_, m)| {
            Some(m.prev).filter(|&j| j != usize::MAX).and_then(meta)
        })
    }

    /// Whether entity `i` is defined somewhere.
    fn is_defined(&self, i: usize) -> bool {
        self.meta.get(i).is_some_and(|m| m.defined)
    }

    /// The entity a name means: the first of its kinds with a defined entity of that slug, else
    /// the first with any entity of that slug.
    fn find(&self, name: &Name, slug: &str) -> Option<usize> {
        self.find_from(name, self.by_slug.get(slug).copied())
    }

    /// [`Nodes::find`] from the slug's last entity `head`: the slug is probed once per name,
    /// not once per kind and pass (a new name of two kinds probed five times).
    fn find_from(&self, name: &Name, head: Option<usize>) -> Option<usize> {
        head?;
        let of = |kind: &Kind, defined: bool| {
            self.chain(head)
                .find(|(_, m)| m.kind == *kind && (!defined || m.defined))
                .map(|(i, _)| i)
        };
        let kinds = name.kinds;
        kinds
            .iter()
            .find_map(|k| of(k, true))
            .or_else(|| kinds.iter().find_map(|k| of(k, false)))
    }

    /// The entity a name means, a new one of its first kind if none exists.
    fn resolve(&mut self, name: &Name) -> usize {
        let slug = graph::slug(&name.name);
        let head = self.by_slug.get(&slug).copied();
        if let Some(i) = self.find_from(name, head) {
            return i;
        }
        let kind = name.kinds.first().copied().unwrap_or(Kind::Component);
        let i = self.keys.len();
        let before = self.by_slug.insert(slug.clone(), i);
        self.meta.push(Meta {
            kind,
            defined: false,
            prev: before.unwrap_or(usize::MAX),
        });
        self.keys.push((kind, slug));
        self.accs.push(Acc::default());
        i
    }

    /// Resolves a name that is being defined; returns its entity.
    fn define(&mut self, name: &Name) -> Option<&mut Acc> {
        let i = self.resolve(name);
        if let Some(m) = self.meta.get_mut(i) {
            m.defined = true;
        }
        self.accs.get_mut(i)
    }
}

/// The merged entities in key order (the graph's id order) and the relations between their
/// indices in that order, sorted.
struct Sorted {
    nodes: Vec<(Key, Acc)>,
    edges: Vec<((usize, usize, Rel), Vec<Src>)>,
}

impl Merging {
    /// Definitions, exact kinds first, so a flexible name ("a service or a component") finds
    /// them.
    fn define(&mut self, mut defines: Vec<Define>) {
        // Two passes over the facts rather than a partition into two new lists: a big catalog's
        // definitions are a good part of the build's memory, and copying them was visible.
        for exact in [true, false] {
            for d in defines.iter_mut() {
                if (d.name.kinds.len() == 1) != exact {
                    continue;
                }
                let Some(acc) = self.nodes.define(&d.name) else {
                    continue;
                };
                name_from(acc, true, d.seq, d.title.as_deref().unwrap_or(&d.name.name));
                for (k, v) in std::mem::take(&mut d.attrs) {
                    acc.attrs.push((k, v, d.at.clone()));
                }
                acc.defined_at.push(d.at.clone());
                acc.page = acc.page.or(d.page);
            }
        }
    }

    /// The targets that relations define.
    fn define_targets(&mut self, relates: &[Relate]) {
        for r in relates.iter().filter(|r| r.defines_to) {
            self.seq = self.seq.saturating_add(1);
            let seq = self.seq;
            let Some(acc) = self.nodes.define(&r.to) else {
                continue;
            };
            name_from(acc, true, seq, &r.to.name);
            acc.defined_at.push(r.at.clone());
        }
    }

    /// The relations, between the entities their names resolve to.
    fn relate(&mut self, relates: Vec<Relate>) {
        for r in relates {
            let from = self.reference(&r.from, &r.at);
            let to = if r.defines_to {
                self.nodes.resolve(&r.to)
            } else {
                self.reference(&r.to, &r.at)
            };
            if from != to {
                self.edges.entry((from, to, r.rel)).or_default().push(r.at);
            }
        }
    }

    /// Runbooks cover the services their titles and headings name as a whole name
    /// ([`super::names`]), now that every service is known: one hash probe per name, so a
    /// thousand runbooks over a big catalog stay linear.
    fn cover_by_title(&mut self, covers: Vec<TitleCover>) {
        let service = Name::of(Kind::Service, "");
        for tc in covers {
            let Some(rb) = self.nodes.find(&tc.runbook, &graph::slug(&tc.runbook.name)) else {
                continue;
            };
            for name in super::names::whole_names(&tc.title) {
                let s = self.nodes.find(&service, &name);
                let defined = s.is_some_and(|s| self.nodes.is_defined(s));
                if let (Some(s), true) = (s, defined) {
                    if rb != s {
                        self.edges
                            .entry((rb, s, Rel::Covers))
                            .or_default()
                            .push(tc.at.clone());
                    }
                }
            }
        }
    }

    /// Mentions: where an entity is named without needing a definition.
    fn mention(&mut self, mentions: Vec<(Name, Src)>) {
        for (name, at) in mentions {
            self.seq = self.seq.saturating_add(1);
            let seq = self.seq;
            let i = self.nodes.resolve(&name);
            if let Some(acc) = self.nodes.accs.get_mut(i) {
                name_from(acc, false, seq, &name.name);
                acc.mentioned_in.push(at);
            }
        }
    }

    /// A `Code` attribute on each entity with an attribute naming a handler method that the
    /// docs point into the code for.
    fn add_code(&mut self, code_refs: &[(String, String)]) {
        if code_refs.is_empty() {
            return;
        }
        let mut code: HashMap<&str, &str> = HashMap::new();
        for (m, c) in code_refs {
            code.entry(m.as_str()).or_insert(c.as_str());
        }
        for acc in &mut self.nodes.accs {
            let found = acc
                .attrs
                .iter()
                .find_map(|(_, v, at)| code.get(v.trim()).map(|c| ((*c).to_string(), at.clone())));
            if let Some((c, at)) = found {
                acc.attrs.push(("Code".to_string(), c, at));
            }
        }
    }

    /// Resolves a referenced name, creating an entity that is referenced only if none exists;
    /// records where it was referenced.
    fn reference(&mut self, name: &Name, at: &Src) -> usize {
        self.seq = self.seq.saturating_add(1);
        let seq = self.seq;
        let i = self.nodes.resolve(name);
        if let Some(acc) = self.nodes.accs.get_mut(i) {
            name_from(acc, false, seq, &name.name);
            acc.referenced_at.push(at.clone());
        }
        i
    }

    /// The entities in key order and the relations renumbered to match. A place where an entity
    /// is mentioned is not a reference that needs a definition: it leaves `referenced_at`.
    fn sorted(self) -> Sorted {
        let Nodes { keys, mut accs, .. } = self.nodes;
        // Keys are unique (a name finds the entity of its kind before making one), so sorting
        // the small (key, index) pairs and moving each entity once gives the order a sort of
        // the entities would, without moving them around during the sort.
        let mut order: Vec<(Key, usize)> = keys.into_iter().zip(0..).collect();
        order.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut rank = vec![0usize; order.len()];
        for (r, (_, old)) in order.iter().enumerate() {
            if let Some(slot) = rank.get_mut(*old) {
                *slot = r;
            }
        }
        let nodes: Vec<(Key, Acc)> = order
            .into_iter()
            .map(|(key, old)| {
                let mut acc = accs.get_mut(old).map(std::mem::take).unwrap_or_default();
                if !acc.mentioned_in.is_empty() && !acc.referenced_at.is_empty() {
                    let mut mentioned = acc.mentioned_in.clone();
                    mentioned.sort();
                    acc.referenced_at
                        .retain(|s| mentioned.binary_search(s).is_err());
                }
                (key, acc)
            })
            .collect();
        let at = |i: usize| rank.get(i).copied().unwrap_or(usize::MAX);
        let mut edges: Vec<((usize, usize, Rel), Vec<Src>)> = self
            .edges
            .into_iter()
            .map(|((a, b, rel), srcs)| ((at(a), at(b), rel), srcs))
            .collect();
        edges.sort_unstable_by_key(|a| a.0);
        Sorted { nodes, edges }
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
    fn new(nodes: Vec<(Key, Acc)>) -> Places {
        let sorted = |mut v: Vec<Src>| {
            v.sort();
            v.dedup();
            v
        };
        let mut defined = Vec::with_capacity(nodes.len());
        let mut referenced = Vec::with_capacity(nodes.len());
        for (_, a) in nodes {
            defined.push(sorted(a.defined_at));
            referenced.push(sorted(a.referenced_at));
        }
        Places {
            defined,
            referenced,
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
        let comp = super::super::refs::COMPONENT;
        b.relate(
            Name::of(Kind::Feature, "Checkout"),
            Rel::Uses,
            Name::any(comp, "booking-api"),
            m.clone(),
        );
        b.relate(
            Name::of(Kind::Feature, "Checkout"),
            Rel::Uses,
            Name::any(comp, "ui-kit"),
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
