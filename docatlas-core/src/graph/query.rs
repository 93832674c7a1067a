//! Questions asked of the graph: impact (downstream and upstream, to a depth, with one shortest
//! path per reached entity), the owner of an entity, filters by kind, attribute and missing
//! relation (routes that handle PII, services without a runbook), cycles, every path between two
//! entities ("why is this connected?"), and finding entities by name.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::{GraphIndex, Kind, NodeIx, Rel};

/// How many relations an impact query follows from the centre in one direction. Written as a
/// number (`0` reaches nothing) or `all`; the CLI's `--up`/`--down` and the app's
/// `#/impact/<id>?up=..&down=..` read and write it through [`FromStr`](std::str::FromStr) and
/// [`Display`](std::fmt::Display), so both accept the same spellings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Depth {
    /// At most this many relations.
    Limit(u32),
    /// Every relation, however far (`all`; also `inf` and `unlimited`).
    All,
}

impl Depth {
    /// Whether a node `depth` relations from the centre is as far as this depth goes: its
    /// relations are not followed.
    pub fn stops_at(self, depth: u32) -> bool {
        match self {
            Depth::Limit(l) => depth >= l,
            Depth::All => false,
        }
    }
}

impl std::fmt::Display for Depth {
    /// A number, or `all`: what [`FromStr`](std::str::FromStr) reads back.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Depth::Limit(n) => write!(f, "{n}"),
            Depth::All => f.write_str("all"),
        }
    }
}

/// A depth that is neither a number nor `all`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a depth: give a number (0, 1, 2...) or `all`")]
pub struct BadDepth(pub String);

impl std::str::FromStr for Depth {
    type Err = BadDepth;

    /// A number, or `all`, `inf` or `unlimited` (any case, spaces around ignored).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "all" | "inf" | "unlimited" => Ok(Depth::All),
            n => n
                .parse::<u32>()
                .map(Depth::Limit)
                .map_err(|_| BadDepth(s.to_string())),
        }
    }
}

/// How far an impact query goes in each direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Depths {
    /// Upstream depth (what uses the centre).
    pub up: Depth,
    /// Downstream depth (what the centre uses).
    pub down: Depth,
}

impl Default for Depths {
    /// The one default of the CLI and the app: everything downstream (what breaks if the centre
    /// changes), one level upstream (what uses it directly).
    fn default() -> Self {
        Depths {
            up: Depth::Limit(1),
            down: Depth::All,
        }
    }
}

/// An entity an impact query reached.
///
/// Each reached entity holds only the step it was reached by, not its whole path: along a chain
/// of 10,000 dependencies, whole paths are 50 million entries. [`Trail::path`] follows the steps
/// back to the centre for the one path a reader asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached {
    /// Index of the reached entity in [`super::Graph::nodes`].
    pub node: NodeIx,
    /// Number of relations between the centre and it (at least 1).
    pub depth: u32,
    /// The entity it was reached from (the centre at depth 1), on a shortest path.
    pub from: NodeIx,
    /// The relation followed from `from` to it: an index into the graph's edges.
    pub edge: usize,
}

/// The reached entities of one direction by node, to walk their steps back to the centre.
#[derive(Debug, Clone)]
pub struct Trail<'a> {
    centre: NodeIx,
    by_node: BTreeMap<NodeIx, &'a Reached>,
}

impl Trail<'_> {
    /// One shortest path from the centre to `node`: its entities (the centre first, `node`
    /// last) and the edge of each step. `None` when `node` was not reached; the centre alone for
    /// the centre.
    pub fn path(&self, node: NodeIx) -> Option<(Vec<NodeIx>, Vec<usize>)> {
        let mut nodes = vec![node];
        let mut edges = Vec::new();
        let mut at = node;
        while at != self.centre {
            let r = self.by_node.get(&at)?;
            // Each step leads to an entity reached earlier, so this ends; the bound is a guard.
            if edges.len() > self.by_node.len() {
                return None;
            }
            edges.push(r.edge);
            nodes.push(r.from);
            at = r.from;
        }
        nodes.reverse();
        edges.reverse();
        Some((nodes, edges))
    }
}

/// The result of [`GraphIndex::impact`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Impact {
    /// The entity the query is about.
    pub centre: NodeIx,
    /// What the centre uses, contains or produces, transitively; sorted by depth, kind and slug.
    pub downstream: Vec<Reached>,
    /// What uses the centre, transitively (what breaks if it is down); same order.
    pub upstream: Vec<Reached>,
}

impl Impact {
    /// The downstream (`true`) or upstream entities, by node, for [`Trail::path`].
    pub fn trail(&self, downstream: bool) -> Trail<'_> {
        let list = if downstream {
            &self.downstream
        } else {
            &self.upstream
        };
        Trail {
            centre: self.centre,
            // Not `collect`: `BTreeMap::from_iter` sorts with an instantiation of its own.
            by_node: crate::sort::map_of(list.iter().map(|r| (r.node, r))),
        }
    }
}

/// An attribute condition: `key` alone means "set to a yes-like value", `key=value` means that
/// value (ignoring case; `yes`/`no` also match `true`, `✅`, `false`, `—`...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrFilter {
    /// The attribute (`PII`, `rate limit`): compared by slug, so case and spacing do not matter.
    pub key: String,
    /// The wanted value, or `None` for "yes".
    pub value: Option<String>,
}

impl AttrFilter {
    /// Parses `key` or `key=value`.
    pub fn parse(s: &str) -> Option<AttrFilter> {
        let (key, value) = match s.split_once('=') {
            Some((k, v)) => (k, Some(v.trim().to_string())),
            None => (s, None),
        };
        let key = key.trim();
        (!key.is_empty()).then(|| AttrFilter {
            key: key.to_string(),
            value,
        })
    }

    /// True if `value` of an attribute named like `self.key` satisfies the condition.
    pub fn accepts(&self, value: &str) -> bool {
        match self.value.as_deref() {
            None => truthy(value),
            Some(want) => match yes_no(want) {
                Some(yes) => truthy(value) == yes,
                None => want.trim().eq_ignore_ascii_case(value.trim()),
            },
        }
    }
}

/// `Some(true)` for words that mean yes, `Some(false)` for no, else `None`.
fn yes_no(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "on" | "1" | "x" | "✅" | "✓" | "✔" => Some(true),
        "no" | "n" | "false" | "off" | "0" | "none" | "-" | "—" | "–" | "❌" | "✗" | "n/a" | "" => {
            Some(false)
        }
        _ => None,
    }
}

/// A value counts as "yes" unless it is empty or a no-like word.
pub fn truthy(value: &str) -> bool {
    yes_no(value) != Some(false)
}

/// Which entities to list: every condition must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this kind.
    pub kind: Option<Kind>,
    /// Attribute conditions.
    pub attrs: Vec<AttrFilter>,
    /// Relation names (as seen from the entity: `covered_by`, `table_of`) it must not have.
    pub lacks: Vec<String>,
}

/// An owner chain: the entity, the entities that hold it (a table's service, a route's
/// controller and service), and last the owning team when one is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// From the entity (first) to its owner (last); at least two entries.
    pub path: Vec<NodeIx>,
    /// The edge of each step.
    pub edges: Vec<usize>,
}

impl Owner {
    /// The owner at the end of the chain.
    pub fn owner(&self) -> Option<NodeIx> {
        self.path.last().copied()
    }
}

/// One step of a path between two entities: an edge, followed forwards or backwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// Index into the graph's edges.
    pub edge: usize,
    /// True if the step goes from the edge's source to its target.
    pub forward: bool,
}

/// One step of a path as a reader follows it from the path's start: where it leaves, the
/// relation named in the direction walked (`uses`, or `used_by` when walked backwards), where it
/// arrives, and the edge (for where it is declared).
#[derive(Debug, Clone, Copy)]
pub struct Walked<'g> {
    /// The entity the step leaves.
    pub from: NodeIx,
    /// The relation's name in the walked direction.
    pub rel: &'static str,
    /// The entity the step arrives at.
    pub to: NodeIx,
    /// The stored edge: its direction as declared and every place it was declared.
    pub edge: &'g super::Edge,
}

/// The result of [`GraphIndex::paths`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paths {
    /// Paths, shortest first; each is the steps from the first entity to the second.
    pub paths: Vec<Vec<Step>>,
    /// True if there were more paths (or the search budget ran out) than were returned.
    pub truncated: bool,
    /// How many of the first paths go through real relations only; the rest pass through a
    /// context relation.
    pub real: usize,
}

/// What [`GraphIndex::paths_with`] does with paths through a context relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContextPaths {
    /// After every path through real relations only.
    #[default]
    After,
    /// Left out.
    Exclude,
}

/// The state of one phase of [`GraphIndex::paths_with`]'s search.
struct PathSearch {
    to: NodeIx,
    /// The path length this round looks for.
    len: usize,
    on_path: Vec<bool>,
    steps: Vec<Step>,
    max_paths: usize,
    budget: usize,
    /// Context relations may be walked, and a path must walk one.
    through_context: bool,
}

/// Relations a parent holds a child by, for [`GraphIndex::owner`] (followed child → parent).
const HELD_BY: [Rel; 7] = [
    Rel::Owns,
    Rel::OwnsTable,
    Rel::HasController,
    Rel::Handles,
    Rel::Publishes,
    Rel::ProvidesApi,
    Rel::HasSubcomponent,
];

/// Node expansions a path search may make before it stops and reports itself truncated.
const PATH_BUDGET: usize = 200_000;

impl GraphIndex {
    /// Downstream and upstream impact of `centre`. Downstream follows relations forwards (context
    /// relations only in a chain starting at the centre: a team's services, a runbook's
    /// services), upstream backwards (dependencies only). Each reached entity comes with its
    /// depth and one shortest path from the centre.
    pub fn impact(&self, centre: NodeIx, depths: Depths) -> Impact {
        Impact {
            centre,
            downstream: self.reach(centre, true, depths.down),
            upstream: self.reach(centre, false, depths.up),
        }
    }

    fn reach(&self, centre: NodeIx, down: bool, limit: Depth) -> Vec<Reached> {
        if centre >= self.len() || limit == Depth::Limit(0) {
            return Vec::new();
        }
        // BFS over (node, still in the centre's context chain); a node is reported the first time
        // it is reached in either state, which is by a shortest path.
        type State = (NodeIx, bool);
        let mut parent: BTreeMap<State, (State, usize)> = BTreeMap::new();
        let mut seen: BTreeSet<State> = BTreeSet::new();
        let mut first: BTreeMap<NodeIx, (State, u32)> = BTreeMap::new();
        let mut queue: VecDeque<(State, u32)> = VecDeque::new();
        let start = (centre, down);
        seen.insert(start);
        queue.push_back((start, 0));
        while let Some(((node, ctx), depth)) = queue.pop_front() {
            if limit.stops_at(depth) {
                continue;
            }
            let mut next: Vec<(usize, NodeIx)> = self.edges_of(node, down).collect();
            crate::sort::sort_by_key(&mut next, |&(e, other)| (other, e));
            for (e, other) in next {
                let Some(edge) = self.edge(e) else { continue };
                let context = edge.rel.is_context();
                if context && !ctx {
                    continue;
                }
                let state = (other, context);
                if !seen.insert(state) {
                    continue;
                }
                let d = depth.saturating_add(1);
                parent.insert(state, ((node, ctx), e));
                if other != centre {
                    first.entry(other).or_insert((state, d));
                }
                queue.push_back((state, d));
            }
        }
        let mut out: Vec<Reached> = first
            .into_iter()
            .filter_map(|(node, (state, depth))| {
                let &((from, _), edge) = parent.get(&state)?;
                Some(Reached {
                    node,
                    depth,
                    from,
                    edge,
                })
            })
            .collect();
        crate::sort::sort_by(&mut out, &mut |a, b| {
            a.depth
                .cmp(&b.depth)
                .then_with(|| self.sort_key(a.node).cmp(&self.sort_key(b.node)))
        });
        out
    }

    /// Who owns `node`: the chain of entities holding it (a table's service, a route's
    /// controller and its service) up to the team that owns the last of them. `None` if nothing
    /// holds or owns it.
    pub fn owner(&self, node: NodeIx) -> Option<Owner> {
        if node >= self.len() {
            return None;
        }
        let mut parent: BTreeMap<NodeIx, (NodeIx, usize)> = BTreeMap::new();
        let mut queue = VecDeque::from([node]);
        let mut seen = BTreeSet::from([node]);
        let mut best: Option<NodeIx> = None;
        while let Some(n) = queue.pop_front() {
            if n != node && self.node(n).is_some_and(|x| x.kind == Kind::Team) {
                best = Some(n);
                break;
            }
            let mut holders: Vec<(usize, NodeIx)> = self
                .edges_of(n, false)
                .filter(|&(e, _)| self.edge(e).is_some_and(|x| HELD_BY.contains(&x.rel)))
                .collect();
            // A team that owns this entity directly wins over one found through a holder.
            crate::sort::sort_by_key(&mut holders, |&(e, other)| {
                (self.edge(e).map(|x| x.rel != Rel::Owns), other, e)
            });
            for (e, other) in holders {
                if seen.insert(other) {
                    parent.insert(other, (n, e));
                    queue.push_back(other);
                    // Without any team, the first holder found (nearest) is the owner.
                    best = best.or(Some(other));
                }
            }
        }
        let end = best?;
        let mut path = vec![end];
        let mut edges = Vec::new();
        let mut at = end;
        while let Some(&(prev, e)) = parent.get(&at) {
            path.push(prev);
            edges.push(e);
            at = prev;
        }
        path.reverse();
        edges.reverse();
        Some(Owner { path, edges })
    }

    /// Entities that pass `filter`, in id order.
    pub fn filter(&self, filter: &Filter) -> Vec<NodeIx> {
        let lacks: Vec<String> = filter
            .lacks
            .iter()
            .map(|l| l.trim().to_lowercase())
            .collect();
        (0..self.len())
            .filter(|&i| {
                let Some(n) = self.node(i) else { return false };
                if filter.kind.is_some_and(|k| k != n.kind) {
                    return false;
                }
                let attrs_ok = filter.attrs.iter().all(|f| {
                    let key = super::slug(&f.key);
                    n.attributes
                        .iter()
                        .any(|a| super::slug(&a.key) == key && f.accepts(&a.value))
                });
                attrs_ok
                    && (lacks.is_empty() || {
                        let rels = self.relations(i);
                        lacks
                            .iter()
                            .all(|l| rels.iter().all(|r| r.name != l.as_str()))
                    })
            })
            .collect()
    }

    /// Services that no runbook covers.
    pub fn services_without_runbook(&self) -> Vec<NodeIx> {
        self.filter(&Filter {
            kind: Some(Kind::Service),
            attrs: Vec::new(),
            lacks: vec![Rel::Covers.inverse_name().to_string()],
        })
    }

    /// Runbooks that cover `nodes` (any of them), each once, in the order of the first node they
    /// cover, then by id.
    pub fn runbooks_for(&self, nodes: &[NodeIx]) -> Vec<NodeIx> {
        let mut out: Vec<NodeIx> = Vec::new();
        for &n in nodes {
            let mut these: Vec<NodeIx> = self
                .edges_of(n, false)
                .filter(|&(e, other)| {
                    self.edge(e).is_some_and(|x| x.rel == Rel::Covers)
                        && self.node(other).is_some_and(|x| x.kind == Kind::Runbook)
                })
                .map(|(_, other)| other)
                .collect();
            crate::sort::sort(&mut these);
            for r in these {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
        out
    }

    /// Pages that define or mention `node`, as indices into the graph's files, sorted by path.
    pub fn pages_of(&self, node: NodeIx) -> Vec<u32> {
        let Some(n) = self.node(node) else {
            return Vec::new();
        };
        let mut files: Vec<u32> = n
            .defined_at
            .iter()
            .chain(&n.mentioned_in)
            .map(|p| p.file)
            .chain(n.page)
            .filter(|&f| {
                self.graph
                    .files
                    .get(f as usize)
                    .is_some_and(|f| f.title.is_some())
            })
            .collect();
        crate::sort::sort_by(&mut files, &mut |a, b| {
            self.graph.file_path(*a).cmp(self.graph.file_path(*b))
        });
        files.dedup();
        files
    }

    /// Dependency cycles (context relations left out): each is the entities of one cycle in
    /// order, its smallest entity first; one cycle per strongly connected group, sorted.
    pub fn cycles(&self) -> Vec<Vec<NodeIx>> {
        // Kosaraju's walk keeps its own stack; petgraph's Tarjan recurses once per entity on a
        // path, which overflows the browser's stack on a chain of 10,000.
        let sccs = petgraph::algo::kosaraju_scc(self.petgraph());
        let mut out = Vec::new();
        for scc in sccs {
            let members: BTreeSet<NodeIx> = crate::sort::set_of(scc.iter().map(|n| n.index()));
            let Some(&start) = members.iter().next() else {
                continue;
            };
            if let Some(cycle) = self.cycle_within(start, &members) {
                out.push(cycle);
            }
        }
        crate::sort::sort(&mut out);
        out
    }

    /// A shortest dependency cycle through `start` staying inside `members`, by BFS.
    fn cycle_within(&self, start: NodeIx, members: &BTreeSet<NodeIx>) -> Option<Vec<NodeIx>> {
        let mut parent: BTreeMap<NodeIx, NodeIx> = BTreeMap::new();
        let mut queue = VecDeque::from([start]);
        while let Some(n) = queue.pop_front() {
            let mut next: Vec<NodeIx> = self
                .edges_of(n, true)
                .filter(|&(e, o)| {
                    members.contains(&o) && self.edge(e).is_some_and(|x| !x.rel.is_context())
                })
                .map(|(_, o)| o)
                .collect();
            crate::sort::sort(&mut next);
            for o in next {
                if o == start {
                    let mut cycle = vec![n];
                    let mut at = n;
                    while let Some(&p) = parent.get(&at) {
                        cycle.push(p);
                        at = p;
                    }
                    cycle.reverse();
                    return Some(cycle);
                }
                if o != start && !parent.contains_key(&o) {
                    parent.insert(o, n);
                    queue.push_back(o);
                }
            }
        }
        None
    }

    /// The steps of `path` (from [`GraphIndex::paths`]) walked from `start`, each with the
    /// relation named in the direction walked: the one rule the CLI's `why` and the app share.
    pub fn walk(&self, start: NodeIx, path: &[Step]) -> Vec<Walked<'_>> {
        let mut at = start;
        path.iter()
            .filter_map(|s| {
                let edge = self.edge(s.edge)?;
                let (rel, next) = if s.forward {
                    (edge.rel.name(), edge.to as usize)
                } else {
                    (edge.rel.inverse_name(), edge.from as usize)
                };
                let step = Walked {
                    from: at,
                    rel,
                    to: next,
                    edge,
                };
                at = next;
                Some(step)
            })
            .collect()
    }

    /// Every simple path between `from` and `to` of at most `max_len` relations, followed in
    /// either direction, at most `max_paths` of them: the paths through real relations first,
    /// then those through a context relation (a team, a system, a runbook, a mention: two
    /// services of one team meet through it however unrelated they are), each group shortest
    /// first (then in edge order). [`GraphIndex::paths_with`] can leave the second group out.
    pub fn paths(&self, from: NodeIx, to: NodeIx, max_len: usize, max_paths: usize) -> Paths {
        self.paths_with(from, to, max_len, max_paths, ContextPaths::After)
    }

    /// [`GraphIndex::paths`], with paths through context relations after the real ones or left
    /// out.
    pub fn paths_with(
        &self,
        from: NodeIx,
        to: NodeIx,
        max_len: usize,
        max_paths: usize,
        context: ContextPaths,
    ) -> Paths {
        let mut out = Paths::default();
        if from >= self.len() || to >= self.len() || from == to || max_paths == 0 {
            return out;
        }
        let phases: &[bool] = match context {
            ContextPaths::After => &[false, true],
            ContextPaths::Exclude => &[false],
        };
        for &through_context in phases {
            let mut search = PathSearch {
                to,
                len: 0,
                on_path: vec![false; self.len()],
                steps: Vec::new(),
                max_paths,
                budget: PATH_BUDGET,
                through_context,
            };
            if let Some(slot) = search.on_path.get_mut(from) {
                *slot = true;
            }
            // Iterative deepening: all paths of length 1, then 2...; each level is a bounded DFS.
            for len in 1..=max_len {
                search.len = len;
                self.paths_of_len(from, &mut search, &mut out);
                if out.truncated {
                    if !through_context {
                        out.real = out.paths.len();
                    }
                    return out;
                }
            }
            if !through_context {
                out.real = out.paths.len();
            }
        }
        out
    }

    fn paths_of_len(&self, at: NodeIx, s: &mut PathSearch, out: &mut Paths) {
        if out.truncated {
            return;
        }
        if s.budget == 0 {
            out.truncated = true;
            return;
        }
        s.budget = s.budget.saturating_sub(1);
        let mut next: Vec<(usize, NodeIx, bool)> = self
            .edges_of(at, true)
            .map(|(e, o)| (e, o, true))
            .chain(self.edges_of(at, false).map(|(e, o)| (e, o, false)))
            .filter(|&(e, _, _)| s.through_context || !self.is_context_edge(e))
            .collect();
        crate::sort::sort_by_key(&mut next, |&(e, o, f)| (e, !f, o));
        for (edge, other, forward) in next {
            let remaining = s.len.saturating_sub(s.steps.len());
            if remaining == 0 || s.on_path.get(other).copied().unwrap_or(true) {
                continue;
            }
            if remaining == 1 {
                // The second phase keeps only the paths the first could not find.
                let wanted = !s.through_context
                    || self.is_context_edge(edge)
                    || s.steps.iter().any(|st| self.is_context_edge(st.edge));
                if other == s.to && wanted {
                    if out.paths.len() >= s.max_paths {
                        out.truncated = true;
                        return;
                    }
                    let mut p = s.steps.clone();
                    p.push(Step { edge, forward });
                    out.paths.push(p);
                }
                continue;
            }
            if other == s.to {
                continue;
            }
            if let Some(slot) = s.on_path.get_mut(other) {
                *slot = true;
            }
            s.steps.push(Step { edge, forward });
            self.paths_of_len(other, s, out);
            s.steps.pop();
            if let Some(slot) = s.on_path.get_mut(other) {
                *slot = false;
            }
            if out.truncated {
                return;
            }
        }
    }

    /// Whether edge `e` is a context relation ([`Rel::is_context`]).
    fn is_context_edge(&self, e: usize) -> bool {
        self.edge(e).is_some_and(|x| x.rel.is_context())
    }

    /// Entities whose name matches `query`, best first: the exact name (or `kind:name`), then
    /// names that start with it, then names that contain it as whole words, then anywhere.
    pub fn find(&self, query: &str, limit: usize) -> Vec<NodeIx> {
        if let Some(i) = self.find_id(query.trim()) {
            return vec![i];
        }
        let q = super::slug(query);
        if q.chars().count() < 2 {
            return Vec::new();
        }
        let mut scored: Vec<(u8, NodeIx)> = (0..self.len())
            .filter_map(|i| {
                let n = self.node(i)?;
                let s = n.slug.as_str();
                let score = if s == q {
                    0
                } else if s.starts_with(&q) {
                    1
                } else if format!("-{s}-").contains(&format!("-{q}-")) {
                    2
                } else if s.contains(&q) {
                    3
                } else {
                    return None;
                };
                Some((score, i))
            })
            .collect();
        crate::sort::sort_by(&mut scored, &mut |a, b| {
            a.0.cmp(&b.0)
                .then_with(|| self.sort_key(a.1).cmp(&self.sort_key(b.1)))
        });
        scored.into_iter().take(limit).map(|(_, i)| i).collect()
    }

    /// The ids nearest to an unknown `id`, for an error message: the same name under another
    /// kind, ids within a few edits, and ids that contain the name or are contained in it.
    pub fn suggest(&self, id: &str, limit: usize) -> Vec<NodeIx> {
        let (kind, name) = match id.split_once(':') {
            Some((k, n)) => (Kind::parse(k), n),
            None => (None, id),
        };
        let want_slug = super::slug(name.rsplit('/').next().unwrap_or(name));
        let want_id = kind.map_or_else(|| want_slug.clone(), |k| super::id(k, &want_slug));
        let mut scored: Vec<(usize, NodeIx)> = (0..self.len())
            .filter_map(|i| {
                let n = self.node(i)?;
                let full = n.id();
                let d = if !want_slug.is_empty() && n.slug == want_slug {
                    0
                } else {
                    let dist =
                        edit_distance(&want_id, &full).min(edit_distance(&want_slug, &n.slug));
                    let near = dist <= (want_slug.chars().count() / 3).max(2);
                    let within = want_slug.chars().count() >= 3
                        && (n.slug.contains(&want_slug) || want_slug.contains(n.slug.as_str()));
                    if !near && !within {
                        return None;
                    }
                    dist.saturating_add(1)
                };
                Some((d, i))
            })
            .collect();
        crate::sort::sort_by(&mut scored, &mut |a, b| {
            a.0.cmp(&b.0)
                .then_with(|| self.sort_key(a.1).cmp(&self.sort_key(b.1)))
        });
        scored.into_iter().take(limit).map(|(_, i)| i).collect()
    }
}

/// Levenshtein distance between two strings, by characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i.saturating_add(1);
        }
        for (j, cb) in b.iter().enumerate() {
            let here = row.get(j.saturating_add(1)).copied().unwrap_or(0);
            let left = row.get(j).copied().unwrap_or(0);
            let cost = usize::from(ca != *cb);
            let best = prev
                .saturating_add(cost)
                .min(here.saturating_add(1))
                .min(left.saturating_add(1));
            if let Some(slot) = row.get_mut(j.saturating_add(1)) {
                *slot = best;
            }
            prev = here;
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::super::tests::graph;
    use super::*;

    /// A small portal: two features over three services, tables with a foreign-key cycle, a
    /// route, an event, a team, a runbook.
    fn portal() -> GraphIndex {
        use Kind::*;
        graph(
            &[
                (Feature, "Refunds"),
                (Feature, "Seat reservation"),
                (Service, "booking-api"),
                (Service, "payments"),
                (Service, "notifier"),
                (Controller, "RefundController"),
                (Route, "POST /api/v1/refunds"),
                (Table, "refunds"),
                (Table, "payments"),
                (Table, "bookings"),
                (Event, "refund.approved"),
                (Notification, "Refund approved"),
                (Team, "team-ledger"),
                (Runbook, "Payments webhook backlog"),
            ],
            &[
                ("Refunds", Rel::Uses, "booking-api"),
                ("Refunds", Rel::Uses, "payments"),
                ("Refunds", Rel::Uses, "notifier"),
                ("Seat reservation", Rel::Uses, "booking-api"),
                ("Seat reservation", Rel::Uses, "payments"),
                ("booking-api", Rel::DependsOn, "payments"),
                ("payments", Rel::HasController, "RefundController"),
                ("RefundController", Rel::Handles, "POST /api/v1/refunds"),
                ("payments", Rel::OwnsTable, "refunds"),
                ("payments", Rel::OwnsTable, "table:payments"),
                ("booking-api", Rel::OwnsTable, "bookings"),
                ("refunds", Rel::References, "table:payments"),
                ("table:payments", Rel::References, "bookings"),
                ("bookings", Rel::References, "table:payments"),
                ("payments", Rel::Publishes, "refund.approved"),
                ("notifier", Rel::Consumes, "refund.approved"),
                ("refund.approved", Rel::Triggers, "Refund approved"),
                ("team-ledger", Rel::Owns, "payments"),
                ("Payments webhook backlog", Rel::Covers, "payments"),
                ("Payments webhook backlog", Rel::Covers, "booking-api"),
            ],
        )
    }

    fn ids(g: &GraphIndex, imp: &Impact, down: bool) -> Vec<(String, u32, Vec<String>)> {
        let trail = imp.trail(down);
        let list = if down { &imp.downstream } else { &imp.upstream };
        list.iter()
            .map(|x| {
                let (path, _) = trail.path(x.node).expect("a reached entity has a path");
                assert_eq!(
                    path.len(),
                    x.depth as usize + 1,
                    "the path is as long as the depth"
                );
                (
                    g.id_of(x.node),
                    x.depth,
                    path.iter().map(|&n| g.id_of(n)).collect(),
                )
            })
            .collect()
    }

    fn at(g: &GraphIndex, id: &str) -> NodeIx {
        g.find_id(id).unwrap_or_else(|| panic!("{id}"))
    }

    #[test]
    fn downstream_of_a_feature_reaches_services_tables_routes_and_events_with_paths() {
        let g = portal();
        let imp = g.impact(at(&g, "feature:refunds"), Depths::default());
        let down = ids(&g, &imp, true);
        let find = |id: &str| down.iter().find(|d| d.0 == id).cloned();
        assert_eq!(
            find("service:payments"),
            Some((
                "service:payments".into(),
                1,
                vec!["feature:refunds".into(), "service:payments".into()]
            ))
        );
        assert_eq!(
            find("route:post-api-v1-refunds").map(|d| (d.1, d.2)),
            Some((
                3,
                vec![
                    "feature:refunds".into(),
                    "service:payments".into(),
                    "controller:refundcontroller".into(),
                    "route:post-api-v1-refunds".into()
                ]
            ))
        );
        assert_eq!(
            find("table:bookings").map(|d| d.1),
            Some(2),
            "via booking-api, not via the FK"
        );
        assert_eq!(find("notification:refund-approved").map(|d| d.1), Some(3));
        // Context is not followed away from the centre: no team, no runbook downstream.
        assert!(find("team:team-ledger").is_none());
        assert!(find("runbook:payments-webhook-backlog").is_none());
        assert_eq!(down.first().map(|d| d.1), Some(1));
        assert!(down.windows(2).all(|w| w[0].1 <= w[1].1), "sorted by depth");
        // The edges of each path are the relations between its steps.
        let r = imp
            .downstream
            .iter()
            .find(|r| g.id_of(r.node) == "route:post-api-v1-refunds")
            .unwrap();
        let (_, edges) = imp.trail(true).path(r.node).unwrap();
        let rels: Vec<Rel> = edges.iter().map(|&e| g.edge(e).unwrap().rel).collect();
        assert_eq!(rels, [Rel::Uses, Rel::HasController, Rel::Handles]);
        // One level upstream by default: nothing uses a feature.
        assert!(imp.upstream.is_empty());
    }

    #[test]
    fn a_long_dependency_cycle_is_walked_on_a_small_stack_and_each_entity_holds_one_step() {
        // The browser's stack is a fraction of a native thread's: nothing here may recurse once
        // per entity on a path.
        let run = || {
            let n = 3000;
            let names: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
            let nodes: Vec<(Kind, &str)> = names
                .iter()
                .map(|s| (Kind::Component, s.as_str()))
                .collect();
            let edges: Vec<(&str, Rel, &str)> = (0..n)
                .map(|i| {
                    (
                        names[i].as_str(),
                        Rel::DependsOn,
                        names[(i + 1) % n].as_str(),
                    )
                })
                .collect();
            let g = graph(&nodes, &edges);
            let cycles = g.cycles();
            assert_eq!(cycles.len(), 1);
            assert_eq!(cycles[0].len(), n);
            let c0 = at(&g, "component:c0");
            let depths = Depths {
                up: Depth::All,
                down: Depth::All,
            };
            let imp = g.impact(c0, depths);
            assert_eq!(imp.downstream.len(), n - 1);
            let last = at(&g, &format!("component:c{}", n - 1));
            let (path, edges) = imp.trail(true).path(last).unwrap();
            assert_eq!((path.len(), edges.len()), (n, n - 1));
            assert_eq!(path[1], at(&g, "component:c1"));
            let (up, _) = imp.trail(false).path(last).unwrap();
            assert_eq!(up, [c0, last], "c{} depends on c0 directly", n - 1);
        };
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(run)
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn depths_read_the_spellings_the_cli_and_the_app_write() {
        for (text, depth) in [
            ("0", Depth::Limit(0)),
            ("3", Depth::Limit(3)),
            (" 2 ", Depth::Limit(2)),
            ("all", Depth::All),
            ("ALL", Depth::All),
            ("inf", Depth::All),
            ("unlimited", Depth::All),
        ] {
            assert_eq!(text.parse::<Depth>(), Ok(depth), "{text:?}");
            assert_eq!(
                depth.to_string().parse::<Depth>(),
                Ok(depth),
                "round trip of {depth}"
            );
        }
        assert_eq!(Depth::All.to_string(), "all");
        assert_eq!(Depth::Limit(5).to_string(), "5");
        for bad in ["", "-1", "x", "1.5", "99999999999"] {
            let err = bad.parse::<Depth>().expect_err(bad);
            assert_eq!(
                err.to_string(),
                format!("`{bad}` is not a depth: give a number (0, 1, 2...) or `all`")
            );
        }
        assert_eq!(
            Depths::default(),
            Depths {
                up: Depth::Limit(1),
                down: Depth::All
            }
        );
    }

    #[test]
    fn upstream_of_a_service_is_what_breaks_when_it_is_down() {
        let g = portal();
        let imp = g.impact(
            at(&g, "service:payments"),
            Depths {
                up: Depth::All,
                down: Depth::Limit(0),
            },
        );
        assert!(imp.downstream.is_empty());
        let up: Vec<(String, u32)> = ids(&g, &imp, false)
            .into_iter()
            .map(|d| (d.0, d.1))
            .collect();
        assert_eq!(
            up,
            [
                ("feature:refunds".to_string(), 1),
                ("feature:seat-reservation".to_string(), 1),
                ("service:booking-api".to_string(), 1),
            ],
            "the owning team and the runbook are context, not dependants"
        );
    }

    #[test]
    fn depth_limits_and_context_from_the_centre() {
        let g = portal();
        let one = g.impact(
            at(&g, "feature:refunds"),
            Depths {
                up: Depth::Limit(1),
                down: Depth::Limit(1),
            },
        );
        assert!(one.downstream.iter().all(|r| r.depth == 1));
        assert_eq!(one.downstream.len(), 3);
        // A team's impact is what it owns, then what that holds.
        let team = g.impact(
            at(&g, "team:team-ledger"),
            Depths {
                up: Depth::All,
                down: Depth::Limit(2),
            },
        );
        let down = ids(&g, &team, true);
        assert_eq!(down[0].0, "service:payments");
        assert!(down.iter().any(|d| d.0 == "table:refunds" && d.1 == 2));
        // A runbook's impact is what it covers.
        let rb = g.impact(
            at(&g, "runbook:payments-webhook-backlog"),
            Depths {
                up: Depth::All,
                down: Depth::Limit(1),
            },
        );
        let covered: Vec<String> = rb.downstream.iter().map(|r| g.id_of(r.node)).collect();
        assert_eq!(covered, ["service:booking-api", "service:payments"]);
    }

    #[test]
    fn cycles_do_not_trap_the_traversal_and_are_reported() {
        let g = portal();
        let imp = g.impact(
            at(&g, "table:payments"),
            Depths {
                up: Depth::All,
                down: Depth::All,
            },
        );
        let down = ids(&g, &imp, true);
        assert_eq!(
            down,
            [(
                "table:bookings".into(),
                1,
                vec!["table:payments".into(), "table:bookings".into()]
            )]
        );
        let up: Vec<String> = imp.upstream.iter().map(|r| g.id_of(r.node)).collect();
        assert!(
            up.contains(&"table:bookings".to_string()),
            "in the cycle, both ways"
        );
        assert!(up.contains(&"table:refunds".to_string()));
        let cycles: Vec<Vec<String>> = g
            .cycles()
            .iter()
            .map(|c| c.iter().map(|&n| g.id_of(n)).collect())
            .collect();
        assert_eq!(
            cycles,
            [vec![
                "table:bookings".to_string(),
                "table:payments".to_string()
            ]]
        );
    }

    #[test]
    fn owner_of_a_table_and_of_a_route() {
        let g = portal();
        let o = g.owner(at(&g, "table:refunds")).unwrap();
        let path: Vec<String> = o.path.iter().map(|&n| g.id_of(n)).collect();
        assert_eq!(
            path,
            ["table:refunds", "service:payments", "team:team-ledger"]
        );
        let o = g.owner(at(&g, "route:post-api-v1-refunds")).unwrap();
        assert_eq!(g.id_of(o.owner().unwrap()), "team:team-ledger");
        assert_eq!(o.path.len(), 4);
        // No team declared for booking-api: its table's owner is the service.
        let o = g.owner(at(&g, "table:bookings")).unwrap();
        assert_eq!(g.id_of(o.owner().unwrap()), "service:booking-api");
        assert_eq!(g.owner(at(&g, "feature:refunds")), None);
    }

    #[test]
    fn filters_by_kind_attribute_and_missing_relation() {
        let mut g = portal();
        let r = at(&g, "route:post-api-v1-refunds");
        g.graph.nodes[r].attributes.push(super::super::Attribute {
            key: "PII".into(),
            value: "yes".into(),
        });
        let pii = Filter {
            kind: Some(Kind::Route),
            attrs: vec![AttrFilter::parse("pii=yes").unwrap()],
            lacks: Vec::new(),
        };
        assert_eq!(g.filter(&pii), [r]);
        let bare = Filter {
            attrs: vec![AttrFilter::parse("Pii").unwrap()],
            ..Filter::default()
        };
        assert_eq!(g.filter(&bare), [r]);
        let no = Filter {
            attrs: vec![AttrFilter::parse("pii=no").unwrap()],
            ..Filter::default()
        };
        assert!(
            g.filter(&no).is_empty(),
            "an entity without the attribute does not match"
        );
        let without: Vec<String> = g
            .services_without_runbook()
            .iter()
            .map(|&n| g.id_of(n))
            .collect();
        assert_eq!(without, ["service:notifier"]);
        let f = Filter {
            kind: Some(Kind::Table),
            lacks: vec!["table_of".into()],
            ..Filter::default()
        };
        assert!(g.filter(&f).is_empty());
    }

    #[test]
    fn attribute_values_mean_yes_and_no_the_way_tables_write_them() {
        let yes = AttrFilter::parse("email").unwrap();
        for v in ["yes", "✅", "JWT", "true"] {
            assert!(yes.accepts(v), "{v}");
        }
        for v in ["no", "—", "-", "❌", "", "None"] {
            assert!(!yes.accepts(v), "{v}");
        }
        let jwt = AttrFilter::parse("auth = jwt").unwrap();
        assert!(jwt.accepts("JWT") && !jwt.accepts("admin"));
        assert_eq!(AttrFilter::parse("=x"), None);
    }

    #[test]
    fn runbooks_and_pages() {
        let g = portal();
        let imp = g.impact(at(&g, "feature:seat-reservation"), Depths::default());
        let nodes: Vec<NodeIx> = std::iter::once(imp.centre)
            .chain(imp.downstream.iter().map(|r| r.node))
            .collect();
        let rb: Vec<String> = g.runbooks_for(&nodes).iter().map(|&n| g.id_of(n)).collect();
        assert_eq!(rb, ["runbook:payments-webhook-backlog"]);
        assert_eq!(g.pages_of(at(&g, "service:payments")), [0]);
    }

    #[test]
    fn paths_between_two_entities_shortest_first_in_both_directions() {
        let g = portal();
        let from = at(&g, "feature:seat-reservation");
        let to = at(&g, "table:refunds");
        let p = g.paths(from, to, 4, 10);
        assert!(!p.truncated);
        let first: Vec<(Rel, bool)> = p.paths[0]
            .iter()
            .map(|s| (g.edge(s.edge).unwrap().rel, s.forward))
            .collect();
        assert_eq!(first, [(Rel::Uses, true), (Rel::OwnsTable, true)]);
        let (real, context) = p.paths.split_at(p.real);
        assert!(real.windows(2).all(|w| w[0].len() <= w[1].len()));
        assert!(context.windows(2).all(|w| w[0].len() <= w[1].len()));
        // Against the edges' direction too: two features meet at a shared service.
        let other = at(&g, "feature:refunds");
        let q = g.paths(from, other, 2, 10);
        assert_eq!(q.paths.len(), 2, "via booking-api and via payments");
        assert!(q.paths.iter().all(|p| p[0].forward && !p[1].forward));
        let capped = g.paths(from, to, 6, 2);
        assert_eq!(capped.paths.len(), 2);
        assert!(capped.truncated);
        assert!(g.paths(from, from, 3, 5).paths.is_empty());
    }

    #[test]
    fn paths_through_a_shared_team_or_system_come_after_real_ones_and_can_be_left_out() {
        use Kind::*;
        // Twelve services of one team in one system; only s0 and s1 really meet: s0's table is
        // used by a service that depends on s1, three relations, longer than the team's two.
        let mut nodes = vec![(Team, "ledger"), (System, "money"), (Table, "shared")];
        let names: Vec<String> = (0..12).map(|i| format!("s{i}")).collect();
        nodes.extend(names.iter().map(|n| (Service, n.as_str())));
        nodes.push((Service, "reader"));
        let mut edges = vec![
            ("s0", Rel::OwnsTable, "shared"),
            ("reader", Rel::Uses, "shared"),
            ("reader", Rel::DependsOn, "s1"),
        ];
        for n in &names {
            edges.push(("ledger", Rel::Owns, n.as_str()));
            edges.push(("money", Rel::Contains, n.as_str()));
        }
        let g = graph(&nodes, &edges);
        let (a, b) = (at(&g, "service:s0"), at(&g, "service:s1"));
        let rels =
            |p: &[Step]| -> Vec<Rel> { p.iter().map(|s| g.edge(s.edge).unwrap().rel).collect() };
        let all = g.paths(a, b, 4, 100);
        assert_eq!(all.real, 1);
        assert_eq!(
            rels(&all.paths[0]),
            [Rel::OwnsTable, Rel::Uses, Rel::DependsOn]
        );
        assert!(all.paths.len() > 1, "the team and system paths follow");
        assert!(all.paths[1..].iter().all(|p| p.iter().any(|s| g
            .edge(s.edge)
            .unwrap()
            .rel
            .is_context())));
        assert!(all.paths[1..].windows(2).all(|w| w[0].len() <= w[1].len()));
        // A limit of one keeps the real path, not the shorter one through the team.
        let one = g.paths(a, b, 4, 1);
        assert_eq!(one.paths.len(), 1);
        assert_eq!(
            rels(&one.paths[0]),
            [Rel::OwnsTable, Rel::Uses, Rel::DependsOn]
        );
        let real = g.paths_with(a, b, 4, 100, ContextPaths::Exclude);
        assert_eq!(real.paths, all.paths[..1]);
        assert!(!real.truncated);
    }

    #[test]
    fn finding_and_suggesting_ids() {
        let g = portal();
        let found: Vec<String> = g.find("payments", 5).iter().map(|&n| g.id_of(n)).collect();
        assert_eq!(found[..2], ["service:payments", "table:payments"]);
        assert!(found.contains(&"runbook:payments-webhook-backlog".to_string()));
        assert_eq!(g.id_of(g.find("table:refunds", 5)[0]), "table:refunds");
        assert!(g.find("x", 5).is_empty());
        let s: Vec<String> = g
            .suggest("service:paymnts", 3)
            .iter()
            .map(|&n| g.id_of(n))
            .collect();
        assert_eq!(s[0], "service:payments");
        let s: Vec<String> = g
            .suggest("table:booking-api", 3)
            .iter()
            .map(|&n| g.id_of(n))
            .collect();
        assert_eq!(
            s[0], "service:booking-api",
            "the same name under another kind first"
        );
        assert!(g.suggest("zzzzqqq:wwww", 3).is_empty());
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
