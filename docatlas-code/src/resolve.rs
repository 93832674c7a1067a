//! Joining the files' facts: imports followed to the files they name, mounts into a graph of
//! routers, each router's prefixes computed from the applications down, strings and event
//! names resolved. What cannot be followed statically becomes an [`Unresolved`].

use std::collections::{BTreeMap, HashMap};

use crate::facts::{FileFacts, ImportRef, Methods, NodeKind, Op, RawMount, Side, Str, Value};
use crate::lang::Lang;
use crate::model::{Direction, Event, Framework, Place, Route, Unresolved, UnresolvedKind};
use crate::normalize;
use crate::walk::{FileSet, SourceFile};

/// How far a chain of imports, returns and aliases is followed.
const CHAIN: usize = 24;
/// At most this many prefixes per router (a router mounted in many places).
const MAX_PREFIXES: usize = 64;

/// What a value resolves to across files.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Res {
    /// A router, by global id.
    Node(usize),
    /// A function: its file and key.
    Func(usize, String),
    /// A string.
    Str(String),
    /// A module (Python `from app.api import users`): its file.
    Module(usize),
    /// Nothing the extractor follows (an external package, a value that is not a router).
    Nothing,
    /// An import of a project file that is not there, or a name it does not export.
    Missing(String),
}

/// `(importing file, specifier)` → the files the specifier names (`None`: outside the project).
type ModuleCache = HashMap<(usize, String), Option<Vec<usize>>>;

struct Ctx<'a> {
    set: &'a FileSet,
    files: &'a [(SourceFile, FileFacts)],
    /// `(root, rel)` → file index.
    by_path: HashMap<(usize, &'a str), usize>,
    /// Python: module path suffix (`app/api/users`) → files.
    py_modules: HashMap<String, Vec<usize>>,
    /// Go: `(root, package dir)` → files.
    go_dirs: BTreeMap<(usize, String), Vec<usize>>,
    /// Go: `(root, module dir, module path)` from each `go.mod`.
    go_mods: Vec<(usize, String, String)>,
    /// Java: `Class.FIELD` → file.
    java_consts: HashMap<String, Vec<usize>>,
    /// Workspace packages and tsconfig aliases.
    js: crate::jsmodules::JsModules,
    /// `(file, specifier)` → the files it names: every route and mount asks again.
    modules: std::cell::RefCell<ModuleCache>,
    /// `(file, node key)` → global node id.
    node_ids: HashMap<(usize, &'a str), usize>,
    /// Global node id → `(file, index into its facts' nodes)`.
    nodes: Vec<(usize, usize)>,
}

/// Resolves everything; returns the routes, events and unresolved items, sorted by place.
pub(crate) fn resolve(
    set: &FileSet,
    files: &[(SourceFile, FileFacts)],
) -> (Vec<Route>, Vec<Event>, Vec<Unresolved>) {
    let ctx = Ctx::new(set, files);
    let mut out = Out::default();
    let graph = ctx.graph(&mut out);
    ctx.routes(&graph, &mut out);
    ctx.events(&mut out);
    let mut routes = out.routes;
    routes.sort();
    routes.dedup();
    let mut events = out.events;
    events.sort();
    events.dedup();
    let mut unresolved = out.unresolved;
    unresolved.sort();
    unresolved.dedup();
    (routes, events, unresolved)
}

#[derive(Default)]
struct Out {
    routes: Vec<Route>,
    events: Vec<Event>,
    unresolved: Vec<Unresolved>,
}

/// A mount between two routers, resolved.
struct Edge {
    parent: usize,
    /// `None`: built at run time.
    prefix: Option<String>,
    replaces_prefix: bool,
}

struct Graph {
    /// Child node → the mounts above it.
    incoming: Vec<Vec<Edge>>,
}

/// One way a router is reached: the path above it, whether all of it is known, and the
/// framework of the application it hangs under.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Reach {
    above: String,
    complete: bool,
    framework: Option<Framework>,
}

impl<'a> Ctx<'a> {
    fn new(set: &'a FileSet, files: &'a [(SourceFile, FileFacts)]) -> Self {
        let mut by_path = HashMap::new();
        let mut py_modules: HashMap<String, Vec<usize>> = HashMap::new();
        let mut go_dirs: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
        let mut java_consts: HashMap<String, Vec<usize>> = HashMap::new();
        let mut node_ids = HashMap::new();
        let mut nodes = Vec::new();
        for (i, (f, facts)) in files.iter().enumerate() {
            by_path.insert((f.root, f.rel.as_str()), i);
            match f.lang {
                Lang::Python => {
                    let module = f
                        .rel
                        .strip_suffix("/__init__.py")
                        .or_else(|| f.rel.strip_suffix(".py"))
                        .unwrap_or(&f.rel);
                    let segs: Vec<&str> = module.split('/').collect();
                    for start in 0..segs.len() {
                        let suffix = segs.get(start..).unwrap_or(&[]).join("/");
                        py_modules.entry(suffix).or_default().push(i);
                    }
                }
                Lang::Go => {
                    let dir = f.rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
                    go_dirs.entry((f.root, dir)).or_default().push(i);
                }
                Lang::Java => {
                    for name in facts.exports.keys() {
                        java_consts.entry(name.clone()).or_default().push(i);
                    }
                }
                _ => {}
            }
            for (j, n) in facts.nodes.iter().enumerate() {
                node_ids.insert((i, n.key.as_str()), nodes.len());
                nodes.push((i, j));
            }
        }
        let mut go_mods = Vec::new();
        for (root, rel) in &set.files {
            if rel == "go.mod" || rel.ends_with("/go.mod") {
                let dir = rel
                    .strip_suffix("go.mod")
                    .unwrap_or("")
                    .trim_end_matches('/');
                if let Some(text) = set.read(*root, rel) {
                    if let Some(m) = text.lines().find_map(|l| l.trim().strip_prefix("module ")) {
                        go_mods.push((
                            *root,
                            dir.to_string(),
                            m.trim().trim_matches('"').to_string(),
                        ));
                    }
                }
            }
        }
        Self {
            js: crate::jsmodules::JsModules::read(set),
            modules: std::cell::RefCell::new(HashMap::new()),
            set,
            files,
            by_path,
            py_modules,
            go_dirs,
            go_mods,
            java_consts,
            node_ids,
            nodes,
        }
    }

    fn facts(&self, file: usize) -> Option<&'a FileFacts> {
        self.files.get(file).map(|(_, f)| f)
    }

    fn source(&self, file: usize) -> Option<&'a SourceFile> {
        self.files.get(file).map(|(s, _)| s)
    }

    fn place(&self, file: usize, line: u32, col: u32) -> Place {
        let path = self
            .source(file)
            .map(|s| self.set.display(s.root, &s.rel))
            .unwrap_or_default();
        Place::new(path, line, col)
    }

    fn decl(&self, node: usize) -> Option<(usize, &'a crate::facts::NodeDecl)> {
        let (file, j) = *self.nodes.get(node)?;
        Some((file, self.facts(file)?.nodes.get(j)?))
    }

    // ---- modules ----------------------------------------------------------------------------

    /// The project files a module specifier written in `file` names; `None` for a module
    /// outside the project (a package).
    fn module(&self, file: usize, spec: &str) -> Option<Vec<usize>> {
        let key = (file, spec.to_string());
        if let Some(hit) = self.modules.borrow().get(&key) {
            return hit.clone();
        }
        let found = self.find_module(file, spec);
        self.modules.borrow_mut().insert(key, found.clone());
        found
    }

    fn find_module(&self, file: usize, spec: &str) -> Option<Vec<usize>> {
        let src = self.source(file)?;
        match src.lang {
            Lang::JavaScript | Lang::TypeScript | Lang::Tsx => {
                self.js_module(src, spec).map(|f| vec![f])
            }
            Lang::Python => self.py_module(src, spec).map(|f| vec![f]),
            Lang::Go => self.go_package(src, spec),
            Lang::Java => self.java_consts.get(spec).cloned(),
        }
    }

    fn js_module(&self, src: &SourceFile, spec: &str) -> Option<usize> {
        self.js.resolve(src.root, &src.rel, spec, |root, path| {
            self.by_path.get(&(root, path)).copied()
        })
    }

    fn py_module(&self, src: &SourceFile, spec: &str) -> Option<usize> {
        let dots = spec.chars().take_while(|c| *c == '.').count();
        let rest = spec.get(dots..).unwrap_or("");
        if dots > 0 {
            let mut dir: Vec<&str> = src.rel.split('/').collect();
            dir.pop();
            for _ in 1..dots {
                dir.pop()?;
            }
            let mut path = dir.join("/");
            for part in rest.split('.').filter(|p| !p.is_empty()) {
                if !path.is_empty() {
                    path.push('/');
                }
                path.push_str(part);
            }
            let file = [format!("{path}.py"), format!("{path}/__init__.py")];
            return file
                .iter()
                .find_map(|c| self.by_path.get(&(src.root, c.as_str())).copied());
        }
        let key = rest.replace('.', "/");
        let found = self.py_modules.get(&key)?;
        // The module nearest the importing file: same root, longest shared directory.
        found.iter().copied().max_by_key(|&f| {
            let other = self.source(f);
            let same_root = other.is_some_and(|o| o.root == src.root);
            let shared = other.map_or(0, |o| {
                o.rel
                    .split('/')
                    .zip(src.rel.split('/'))
                    .take_while(|(a, b)| a == b)
                    .count()
            });
            (same_root, shared, std::cmp::Reverse(f))
        })
    }

    fn go_package(&self, src: &SourceFile, spec: &str) -> Option<Vec<usize>> {
        let here = src.rel.rsplit_once('/').map_or("", |(d, _)| d);
        if spec == "." {
            return self.go_dirs.get(&(src.root, here.to_string())).cloned();
        }
        for (root, dir, module) in &self.go_mods {
            let rest = if spec == module {
                Some("")
            } else {
                spec.strip_prefix(module.as_str())
                    .and_then(|r| r.strip_prefix('/'))
            };
            if let Some(rest) = rest {
                let pkg = [dir.as_str(), rest]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join("/");
                return self.go_dirs.get(&(*root, pkg)).cloned();
            }
        }
        if !self.go_mods.is_empty() {
            return None;
        }
        // No go.mod under the roots: the package whose directory is the longest suffix of the
        // import path, at least two segments of it (or all of it).
        let segs: Vec<&str> = spec.split('/').collect();
        for start in 0..segs.len() {
            let suffix = segs.get(start..).unwrap_or(&[]).join("/");
            let hits: Vec<&Vec<usize>> = self
                .go_dirs
                .iter()
                .filter(|((_, d), _)| d == &suffix || d.ends_with(&format!("/{suffix}")))
                .map(|(_, v)| v)
                .collect();
            if let [one] = hits.as_slice() {
                return Some((*one).clone());
            }
            if hits.len() > 1 {
                return None;
            }
        }
        None
    }

    // ---- values -----------------------------------------------------------------------------

    fn value(&self, file: usize, v: &Value, depth: usize) -> Res {
        if depth > CHAIN {
            return Res::Nothing;
        }
        let d = depth.saturating_add(1);
        match v {
            Value::Node(k) => self
                .node_ids
                .get(&(file, k.as_str()))
                .map_or(Res::Nothing, |&id| Res::Node(id)),
            Value::Func(k) => Res::Func(file, k.clone()),
            Value::Str(s) => match self.string(file, s, d) {
                Ok(s) => Res::Str(s),
                Err(_) => Res::Nothing,
            },
            Value::Import(r) => self.import(file, r, d),
            Value::ReturnOf(f) => match self.value(file, f, d) {
                Res::Func(ff, key) => {
                    let returns = self.facts(ff).and_then(|x| x.returns.get(&key));
                    for r in returns.into_iter().flatten() {
                        let res = self.value(ff, r, d);
                        if matches!(res, Res::Node(_)) {
                            return res;
                        }
                    }
                    Res::Nothing
                }
                m @ Res::Missing(_) => m,
                _ => Res::Nothing,
            },
            Value::ParamOf(f, i) => match self.value(file, f, d) {
                Res::Func(ff, key) => self
                    .node_ids
                    .get(&(ff, format!("{key}#{i}").as_str()))
                    .map_or(Res::Nothing, |&id| Res::Node(id)),
                m @ Res::Missing(_) => m,
                _ => Res::Nothing,
            },
        }
    }

    fn import(&self, file: usize, r: &ImportRef, depth: usize) -> Res {
        if depth > CHAIN {
            return Res::Nothing;
        }
        let d = depth.saturating_add(1);
        let is_py = self.source(file).is_some_and(|s| s.lang == Lang::Python);
        if is_py {
            // `from app.api import users` then `users.router`: the submodule, when there is one.
            let (first, rest) = r.name.split_once('.').unwrap_or((&r.name, ""));
            let spec = if r.spec.ends_with('.') {
                format!("{}{first}", r.spec)
            } else {
                format!("{}.{first}", r.spec)
            };
            if let Some(t) = self.module(file, &spec).filter(|t| !t.is_empty()) {
                if rest.is_empty() {
                    return t.first().map_or(Res::Nothing, |&t| Res::Module(t));
                }
                let sub = ImportRef {
                    spec,
                    name: rest.into(),
                };
                return self.import(file, &sub, d);
            }
        }
        let targets = match self.module(file, &r.spec) {
            Some(t) if !t.is_empty() => t,
            Some(_) => {
                return Res::Missing(format!("module `{}` is not under the code roots", r.spec))
            }
            // A Python module outside the roots (a package).
            None if is_py => return Res::Nothing,
            None if r.spec.starts_with('.') => {
                return Res::Missing(format!(
                    "no file for module `{}` under the code roots",
                    r.spec
                ))
            }
            None => return Res::Nothing,
        };
        for &t in &targets {
            if let Some(res) = self.export(t, &r.name, depth) {
                return res;
            }
        }
        if r.name == "*" {
            return targets.first().map_or(Res::Nothing, |&t| Res::Module(t));
        }
        if let Some((base, rest)) = r.name.split_once('.') {
            for &t in &targets {
                match self.facts(t).and_then(|f| f.exports.get(base)) {
                    // `users.router` where the module re-exports `users` from elsewhere.
                    Some(Value::Import(inner)) => {
                        let name = if inner.name == "*" {
                            rest.to_string()
                        } else {
                            format!("{}.{rest}", inner.name)
                        };
                        let next = ImportRef {
                            spec: inner.spec.clone(),
                            name,
                        };
                        return self.import(t, &next, d);
                    }
                    // `router.allowedMethods`, `app.listen`: a member of something the module
                    // does export is no router the extractor follows, and nothing missing.
                    Some(_) => return Res::Nothing,
                    None => {}
                }
            }
        }
        Res::Missing(format!("`{}` does not export `{}`", r.spec, r.name))
    }

    /// Export `name` of `file`, following re-exports.
    fn export(&self, file: usize, name: &str, depth: usize) -> Option<Res> {
        let facts = self.facts(file)?;
        let d = depth.saturating_add(1);
        if let Some(v) = facts.exports.get(name) {
            return Some(self.value(file, v, d));
        }
        if let Some(rest) = name.strip_prefix("default.") {
            if let Some(v) = facts.exports.get(rest) {
                return Some(self.value(file, v, d));
            }
        }
        // `export * from './x'`.
        for (k, v) in &facts.exports {
            if k.starts_with('*') {
                if let Value::Import(r) = v {
                    let r = ImportRef {
                        spec: r.spec.clone(),
                        name: name.to_string(),
                    };
                    if let res @ (Res::Node(_) | Res::Func(..) | Res::Str(_)) =
                        self.import(file, &r, d)
                    {
                        return Some(res);
                    }
                }
            }
        }
        None
    }

    fn string(&self, file: usize, s: &Str, depth: usize) -> Result<String, String> {
        if depth > CHAIN {
            return Err(s.describe());
        }
        match s {
            Str::Lit(s) => Ok(s.clone()),
            Str::Concat(parts) => {
                let mut out = String::new();
                for p in parts {
                    out.push_str(&self.string(file, p, depth.saturating_add(1))?);
                }
                Ok(out)
            }
            Str::Import(r) => match self.import(file, r, depth.saturating_add(1)) {
                Res::Str(s) => Ok(s),
                _ => Err(r.name.clone()),
            },
            Str::Dynamic(code) => Err(code.clone()),
        }
    }

    // ---- the router graph -------------------------------------------------------------------

    fn graph(&self, out: &mut Out) -> Graph {
        let mut incoming: Vec<Vec<Edge>> = (0..self.nodes.len()).map(|_| Vec::new()).collect();
        for (file, (_, facts)) in self.files.iter().enumerate() {
            for m in &facts.mounts {
                self.edge(file, m, &mut incoming, out);
            }
        }
        Graph { incoming }
    }

    fn edge(&self, file: usize, m: &RawMount, incoming: &mut [Vec<Edge>], out: &mut Out) {
        let Res::Node(parent) = self.value(file, &m.parent, 0) else {
            return;
        };
        let child = match self.value(file, &m.child, 0) {
            Res::Node(c) => c,
            Res::Missing(why) if !m.call => {
                out.unresolved.push(Unresolved {
                    place: self.place(file, m.line, m.col),
                    kind: UnresolvedKind::MountTarget,
                    code: m.code.clone(),
                    reason: why,
                });
                return;
            }
            _ => return,
        };
        let prefix = match (&m.prefix, m.prefix_or_child) {
            (Str::Import(r), true) => match self.import(file, r, 0) {
                Res::Str(s) => Some(s),
                Res::Node(_) | Res::Func(..) | Res::Module(_) => Some(String::new()),
                _ => None,
            },
            (p, _) => self.string(file, p, 0).ok(),
        };
        if prefix.is_none() {
            out.unresolved.push(Unresolved {
                place: self.place(file, m.line, m.col),
                kind: UnresolvedKind::MountPrefix,
                code: m.code.clone(),
                reason: format!(
                    "the mount prefix `{}` is built at run time: the routes below it are checked by the rest of their paths only",
                    m.prefix.describe()
                ),
            });
        }
        if parent == child {
            return;
        }
        if let Some(list) = incoming.get_mut(child) {
            list.push(Edge {
                parent,
                prefix,
                replaces_prefix: m.replaces_prefix,
            });
        }
    }

    /// Every way node `id` is reached from an application, with its own prefixes applied.
    fn reaches(
        &self,
        graph: &Graph,
        id: usize,
        memo: &mut HashMap<usize, Vec<Reach>>,
        stack: &mut Vec<usize>,
        out: &mut Out,
    ) -> Vec<Reach> {
        if let Some(r) = memo.get(&id) {
            return r.clone();
        }
        let Some((file, decl)) = self.decl(id) else {
            return Vec::new();
        };
        if stack.contains(&id) || stack.len() > CHAIN {
            // A cycle of mounts: the path above is unknown.
            return vec![Reach {
                above: String::new(),
                complete: false,
                framework: decl.framework,
            }];
        }
        stack.push(id);
        let mut own: Vec<(String, bool)> = Vec::new();
        for p in &decl.prefixes {
            match self.string(file, p, 0) {
                Ok(s) => own.push((s, true)),
                Err(code) => {
                    out.unresolved.push(Unresolved {
                        place: self.place(file, decl.line, decl.col),
                        kind: UnresolvedKind::MountPrefix,
                        code: crate::facts::snippet(&code),
                        reason: "the router's own prefix is built at run time: its routes are checked by the rest of their paths only".into(),
                    });
                    own.push((String::new(), false));
                }
            }
        }
        if own.is_empty() {
            own.push((String::new(), true));
        }
        let edges = graph.incoming.get(id).map(Vec::as_slice).unwrap_or(&[]);
        let mut above: Vec<(Reach, bool)> = Vec::new();
        if edges.is_empty() {
            let complete = match decl.kind {
                NodeKind::App => true,
                NodeKind::Router => !decl.escapes,
                NodeKind::Param { .. } => false,
            };
            above.push((
                Reach {
                    above: String::new(),
                    complete,
                    framework: decl.framework,
                },
                false,
            ));
        }
        for e in edges {
            for r in self.reaches(graph, e.parent, memo, stack, out) {
                let (prefix, known) = match &e.prefix {
                    Some(p) => (p.as_str(), true),
                    None => ("", false),
                };
                above.push((
                    Reach {
                        above: normalize::join(&r.above, prefix),
                        complete: r.complete && known,
                        framework: decl.framework.or(r.framework),
                    },
                    e.replaces_prefix,
                ));
                if above.len() > MAX_PREFIXES {
                    break;
                }
            }
        }
        stack.pop();
        let mut result = Vec::new();
        for (r, replaces) in above {
            if replaces {
                result.push(r);
                continue;
            }
            for (p, known) in &own {
                result.push(Reach {
                    above: normalize::join(&r.above, p),
                    complete: r.complete && *known,
                    framework: r.framework,
                });
            }
        }
        result.sort();
        result.dedup();
        result.truncate(MAX_PREFIXES);
        memo.insert(id, result.clone());
        result
    }

    /// The NestJS application a controller in `file` belongs to: the bootstrap file whose
    /// project folder (its directory, or the parent of a `src` directory) holds the controller,
    /// the deepest one if several do.
    fn nest_app(&self, file: usize) -> Option<(usize, &'a crate::facts::NestApp)> {
        let src = self.source(file)?;
        let mut best: Option<(usize, usize, &crate::facts::NestApp)> = None;
        for (i, (s, facts)) in self.files.iter().enumerate() {
            let Some(app) = facts.nest_apps.first() else {
                continue;
            };
            if s.root != src.root {
                continue;
            }
            let dir = s.rel.rsplit_once('/').map_or("", |(d, _)| d);
            let dir = match dir.rsplit_once('/') {
                Some((parent, "src")) => parent,
                None if dir == "src" => "",
                _ => dir,
            };
            let inside = dir.is_empty() || src.rel.starts_with(&format!("{dir}/"));
            let depth = dir.split('/').filter(|s| !s.is_empty()).count();
            if inside && best.is_none_or(|(d, _, _)| depth > d) {
                best = Some((depth, i, app));
            }
        }
        best.map(|(_, i, a)| (i, a))
    }

    fn routes(&self, graph: &Graph, out: &mut Out) {
        let mut memo = HashMap::new();
        let mut unmounted: BTreeMap<usize, usize> = BTreeMap::new();
        for (file, (_, facts)) in self.files.iter().enumerate() {
            for r in &facts.routes {
                let Res::Node(id) = self.value(file, &r.on, 0) else {
                    continue;
                };
                let Some((_, decl)) = self.decl(id) else {
                    continue;
                };
                let mounted = graph.incoming.get(id).is_some_and(|e| !e.is_empty());
                if decl.kind == (NodeKind::Param { typed: false }) && !mounted {
                    // An untyped parameter nothing passes a router to: not known to be one.
                    continue;
                }
                let path = match self.string(file, &r.path, 0) {
                    Ok(p) => p,
                    Err(_) if self.names_no_string(file, &r.path) => {
                        // `app.get(SomeClass)`: a lookup by a class, not a route.
                        continue;
                    }
                    Err(code) => {
                        out.unresolved.push(Unresolved {
                            place: self.place(file, r.line, r.col),
                            kind: UnresolvedKind::RoutePath,
                            code: r.code.clone(),
                            reason: format!(
                                "the path `{code}` is built at run time: this route is not checked"
                            ),
                        });
                        continue;
                    }
                };
                let reaches = self.reaches(graph, id, &mut memo, &mut Vec::new(), out);
                if reaches.iter().all(|x| !x.complete) && !mounted {
                    let n: &mut usize = unmounted.entry(id).or_default();
                    *n = n.saturating_add(1);
                }
                let (path, methods) = match &r.methods {
                    Methods::Fixed(m) => (path, m.clone()),
                    Methods::InPattern => split_pattern(&path),
                };
                let nest = decl.nest.then(|| self.nest_app(file)).flatten();
                for reach in &reaches {
                    let mut full = normalize::join(&reach.above, &path);
                    let mut complete = reach.complete;
                    if let Some((boot, app)) = nest {
                        // `exclude` names paths as the controllers write them, before the
                        // version and the prefix.
                        let excluded = app
                            .exclude
                            .iter()
                            .any(|x| normalize::path(x) == normalize::path(&full));
                        let version = r
                            .version
                            .clone()
                            .or_else(|| app.versioning.as_ref().and_then(|(_, d)| d.clone()));
                        if let (Some((vp, _)), Some(v)) = (&app.versioning, version) {
                            // The bootstrap file's own strings (its imports, its constants).
                            match self.string(boot, vp, 0) {
                                Ok(vp) => full = normalize::join(&format!("{vp}{v}"), &full),
                                Err(code) => {
                                    complete = false;
                                    out.unresolved.push(self.nest_unresolved(
                                        boot,
                                        app,
                                        "version prefix",
                                        &code,
                                    ));
                                }
                            }
                        }
                        if let (Some(p), false) = (&app.prefix, excluded) {
                            match self.string(boot, p, 0) {
                                Ok(p) => full = normalize::join(&p, &full),
                                Err(code) => {
                                    complete = false;
                                    out.unresolved.push(self.nest_unresolved(
                                        boot,
                                        app,
                                        "global prefix",
                                        &code,
                                    ));
                                }
                            }
                        }
                    }
                    for m in &methods {
                        out.routes.push(Route {
                            place: self.place(file, r.line, r.col),
                            method: m.clone(),
                            path: full.clone(),
                            handler: r.handler.clone(),
                            framework: r
                                .framework
                                .or(reach.framework)
                                .unwrap_or(Framework::Express),
                            complete,
                        });
                    }
                }
            }
        }
        for (id, count) in unmounted {
            let Some((file, decl)) = self.decl(id) else {
                continue;
            };
            out.unresolved.push(Unresolved {
                place: self.place(file, decl.line, decl.col),
                kind: UnresolvedKind::Unmounted,
                code: decl.label.clone(),
                reason: format!(
                    "this router ({count} route{}) is never mounted where the code can be followed: its routes are checked by the end of their paths only",
                    if count == 1 { "" } else { "s" }
                ),
            });
        }
    }

    fn nest_unresolved(
        &self,
        boot: usize,
        app: &crate::facts::NestApp,
        what: &str,
        code: &str,
    ) -> Unresolved {
        Unresolved {
            place: self.place(boot, app.line, app.col),
            kind: UnresolvedKind::MountPrefix,
            code: app.code.clone(),
            reason: format!(
                "the NestJS {what} `{code}` is built at run time: the application's routes are checked by the rest of their paths only"
            ),
        }
    }

    /// True when `s` is an import that resolves to something other than a string (a class, a
    /// function, a router).
    fn names_no_string(&self, file: usize, s: &Str) -> bool {
        match s {
            Str::Import(r) => matches!(
                self.import(file, r, 0),
                Res::Node(_) | Res::Func(..) | Res::Module(_)
            ),
            _ => false,
        }
    }

    fn side(&self, file: usize) -> Side {
        let Some(facts) = self.facts(file) else {
            return Side::Server;
        };
        if facts.side != Side::Unknown {
            return facts.side;
        }
        // A client module that imports its socket from a file that imports socket.io-client.
        for spec in &facts.imports {
            for t in self.module(file, spec).unwrap_or_default() {
                if self.facts(t).is_some_and(|f| f.side == Side::Client) {
                    return Side::Client;
                }
            }
        }
        Side::Server
    }

    fn events(&self, out: &mut Out) {
        for (file, (_, facts)) in self.files.iter().enumerate() {
            for u in &facts.unresolved {
                out.unresolved.push(Unresolved {
                    place: self.place(file, u.line, u.col),
                    kind: u.kind,
                    code: u.code.clone(),
                    reason: u.reason.clone(),
                });
            }
            if facts.events.is_empty() {
                continue;
            }
            let side = self.side(file);
            for e in &facts.events {
                let name = match self.string(file, &e.name, 0) {
                    Ok(n) => n,
                    Err(code) => {
                        out.unresolved.push(Unresolved {
                            place: self.place(file, e.line, e.col),
                            kind: UnresolvedKind::EventName,
                            code: e.code.clone(),
                            reason: format!("the event name `{code}` is built at run time: this event is not checked"),
                        });
                        continue;
                    }
                };
                let direction = match (side, e.op) {
                    (Side::Client, Op::On) | (Side::Server | Side::Unknown, Op::Emit) => {
                        Direction::ServerToClient
                    }
                    (Side::Client, Op::Emit) | (Side::Server | Side::Unknown, Op::On) => {
                        Direction::ClientToServer
                    }
                };
                out.events.push(Event {
                    place: self.place(file, e.line, e.col),
                    name,
                    direction,
                    handler: e.handler.clone(),
                    registered_in: e.registered_in.clone(),
                    framework: e.framework,
                });
            }
        }
    }
}

/// A Go 1.22 pattern `[METHOD ][HOST]/PATH` → the path and its method (`ANY` without one).
fn split_pattern(p: &str) -> (String, Vec<String>) {
    let p = p.trim();
    let (method, rest) = match p.split_once(char::is_whitespace) {
        Some((m, rest)) if crate::lang::is_http_method(m) => (m.to_ascii_uppercase(), rest.trim()),
        _ => (normalize::ANY.to_string(), p),
    };
    let path = match rest.find('/') {
        Some(i) => rest.get(i..).unwrap_or(rest),
        None => rest,
    };
    (path.to_string(), vec![method])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_patterns() {
        assert_eq!(
            split_pattern("GET /users/{id}"),
            ("/users/{id}".into(), vec!["GET".into()])
        );
        assert_eq!(
            split_pattern("/users/"),
            ("/users/".into(), vec!["ANY".into()])
        );
        assert_eq!(
            split_pattern("POST example.com/x"),
            ("/x".into(), vec!["POST".into()])
        );
    }
}
