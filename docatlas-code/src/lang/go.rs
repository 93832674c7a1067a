//! Go: `net/http` (`http.HandleFunc`, `ServeMux`, Go 1.22 `"GET /x/{id}"` patterns,
//! `http.StripPrefix` mounts), chi (`Get`, `Route`, `Mount`, `Group`, `With`), gin and echo
//! (`GET`, `Any`, `Handle`, `Match`, `Group` prefixes), fiber, gorilla/mux (`HandleFunc(...).Methods`,
//! `PathPrefix(...).Subrouter()`), and go-socket.io events.
//!
//! Names in a Go package are shared by its files: a name this file does not bind is looked up
//! in the package (`.`) when resolving, so a router made in `main.go` and filled in `routes.go`
//! is one router. Struct fields holding routers (`s.router.Get(...)`) are package names too.

use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use super::{named, pass, plus, preorder, scopes_in, Src, DEPTH};
use crate::facts::{
    snippet, Def, FileFacts, ImportRef, Methods, NodeDecl, NodeKind, Op, RawEvent, RawMount,
    RawRoute, Str, Value,
};
use crate::model::{Framework, Handler};
use crate::normalize::ANY;

#[derive(Debug, Clone)]
enum Binding<'t> {
    Value(Value),
    /// Another expression, evaluated on use in the scopes it was written in.
    Alias(Node<'t>, Vec<usize>),
    Param {
        func: String,
        index: usize,
        framework: Option<Framework>,
    },
    /// A local of a known type from a package (`h := users.NewHandler()`, `h := &Handler{}`):
    /// its methods are that package's.
    Typed(String),
}

struct Go<'s, 't> {
    src: &'s Src<'s>,
    bindings: HashMap<(usize, String), Binding<'t>>,
    /// Import path by local package name.
    packages: HashMap<String, String>,
    facts: FileFacts,
    /// Group calls already turned into a node and a mount.
    groups: HashSet<usize>,
    socketio: bool,
    /// `(method start, receiver name)` → the receiver's type, to name handlers `Server.home`.
    receivers: HashMap<(usize, String), String>,
    /// The ancestors of the node being read, root first.
    cx: Vec<Node<'t>>,
    alias_scopes: Option<Vec<usize>>,
}

fn needs_context(kind: &str) -> bool {
    matches!(
        kind,
        "short_var_declaration"
            | "assignment_statement"
            | "var_spec"
            | "const_spec"
            | "call_expression"
            | "return_statement"
            | "function_declaration"
            | "method_declaration"
            | "type_spec"
    )
}

/// Extracts one Go file.
pub(crate) fn extract(src: &Src<'_>, root: Node<'_>, _rel: &str) -> FileFacts {
    let mut go = Go {
        src,
        bindings: HashMap::new(),
        packages: HashMap::new(),
        facts: FileFacts::default(),
        groups: HashSet::new(),
        socketio: false,
        receivers: HashMap::new(),
        cx: Vec::new(),
        alias_scopes: None,
    };
    pass(
        root,
        &mut go,
        |x| &mut x.cx,
        needs_context,
        |x, n| x.bind(n),
    );
    pass(
        root,
        &mut go,
        |x| &mut x.cx,
        needs_context,
        |x, n| x.visit(n),
    );
    go.export_constants();
    go.facts
}

fn func_key(n: Node<'_>) -> String {
    format!("f@{}", n.start_byte())
}

/// A scope lookups search, innermost first: a function, or a `{ }` block in one.
fn is_scope(kind: &str) -> bool {
    is_function(kind) || kind == "block"
}

fn is_function(kind: &str) -> bool {
    matches!(
        kind,
        "function_declaration" | "method_declaration" | "func_literal"
    )
}

/// The router framework an import path is, by its path without a major-version suffix.
fn framework(path: &str) -> Option<Framework> {
    let mut segs: Vec<&str> = path.split('/').collect();
    if segs.last().is_some_and(|s| {
        s.len() > 1
            && s.starts_with('v')
            && s.get(1..)
                .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit()))
    }) {
        segs.pop();
    }
    match segs.join("/").as_str() {
        "net/http" => Some(Framework::NetHttp),
        "github.com/go-chi/chi" => Some(Framework::Chi),
        "github.com/gin-gonic/gin" => Some(Framework::Gin),
        "github.com/labstack/echo" => Some(Framework::Echo),
        "github.com/gofiber/fiber" => Some(Framework::Fiber),
        "github.com/gorilla/mux" => Some(Framework::Gorilla),
        _ => None,
    }
}

/// The name a package is known by when imported without an alias.
fn package_name(path: &str) -> &str {
    let mut segs = path.rsplit('/');
    let last = segs.next().unwrap_or(path);
    let is_version = last.len() > 1
        && last.starts_with('v')
        && last
            .get(1..)
            .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit()));
    let name = if is_version {
        segs.next().unwrap_or(last)
    } else {
        last
    };
    name.strip_prefix("go-").unwrap_or(name)
}

/// `http.MethodGet` → `GET`.
fn method_const(s: &str) -> Option<String> {
    let m = s.strip_prefix("http.Method")?;
    super::is_http_method(m).then(|| m.to_ascii_uppercase())
}

impl<'s, 't> Go<'s, 't> {
    fn text(&self, n: Node<'_>) -> &'s str {
        self.src.of(n)
    }

    fn scopes(&self, _n: Node<'t>) -> Vec<usize> {
        match &self.alias_scopes {
            Some(s) => s.clone(),
            None => scopes_in(&self.cx, is_scope),
        }
    }

    /// Where a declaration (`x := ...`, `var x`) binds: the innermost `{ }` block inside a
    /// function (`repo := base.Group("")` in a nested block shadows an outer `repo` there only),
    /// else the function, else the file.
    fn decl_scope(&self) -> usize {
        for a in self.anc() {
            if is_function(a.kind()) {
                return a.start_byte();
            }
            // A function's own body is the function's scope.
            if a.kind() == "block" && a.parent().is_some_and(|p| !is_function(p.kind())) {
                return a.start_byte();
            }
        }
        0
    }

    fn scope_of(&self, _n: Node<'t>) -> usize {
        self.cx
            .iter()
            .rev()
            .find(|a| is_function(a.kind()))
            .map_or(0, |a| a.start_byte())
    }

    /// The ancestors of the current node, nearest first.
    fn anc(&self) -> impl Iterator<Item = Node<'t>> + '_ {
        self.cx.iter().rev().copied()
    }

    fn lookup(&self, n: Node<'t>, name: &str) -> Option<&Binding<'t>> {
        self.scopes(n)
            .into_iter()
            .find_map(|s| self.bindings.get(&(s, name.to_string())))
    }

    fn bind_at(&mut self, scope: usize, name: &str, b: Binding<'t>) {
        if name != "_" {
            self.bindings.entry((scope, name.to_string())).or_insert(b);
        }
    }

    /// A type's router framework: `chi.Router`, `*gin.RouterGroup`, `*http.ServeMux`.
    fn router_type(&self, t: Node<'t>) -> Option<Framework> {
        let text = self.text(t).trim_start_matches('*');
        let (pkg, ty) = text.split_once('.')?;
        let fw = framework(self.packages.get(pkg)?)?;
        matches!(
            ty,
            "Router"
                | "Mux"
                | "Engine"
                | "RouterGroup"
                | "IRouter"
                | "IRoutes"
                | "Echo"
                | "Group"
                | "ServeMux"
                | "App"
        )
        .then_some(fw)
    }

    // ---- pass 1 -----------------------------------------------------------------------------

    fn bind(&mut self, n: Node<'t>) {
        match n.kind() {
            "import_spec" => {
                let Some(path) = n.child_by_field_name("path") else {
                    return;
                };
                let path = unquote(self.text(path));
                let local = n
                    .child_by_field_name("name")
                    .map(|a| self.text(a).to_string())
                    .unwrap_or_else(|| package_name(&path).to_string());
                if path.contains("go-socket.io") {
                    self.socketio = true;
                    self.facts.side = crate::facts::Side::Server;
                }
                self.facts.imports.push(path.clone());
                self.packages.insert(local, path);
            }
            "short_var_declaration" | "assignment_statement" | "var_spec" | "const_spec" => {
                let (left, right) = match n.kind() {
                    "var_spec" | "const_spec" => (
                        named(n)
                            .into_iter()
                            .filter(|c| c.kind() == "identifier")
                            .collect::<Vec<_>>(),
                        n.child_by_field_name("value")
                            .map(named)
                            .unwrap_or_default(),
                    ),
                    _ => (
                        n.child_by_field_name("left").map(named).unwrap_or_default(),
                        n.child_by_field_name("right")
                            .map(named)
                            .unwrap_or_default(),
                    ),
                };
                // An assignment changes the variable where it was declared: the function.
                let scope = if n.kind() == "assignment_statement" {
                    self.scope_of(n)
                } else {
                    self.decl_scope()
                };
                for (l, r) in left.into_iter().zip(right) {
                    match l.kind() {
                        "identifier" => {
                            let name = self.text(l).to_string();
                            let scopes = self.scopes(n);
                            let b = self
                                .typed_of(r)
                                .map_or(Binding::Alias(r, scopes), Binding::Typed);
                            self.bind_at(scope, &name, b);
                        }
                        // `s.router = chi.NewRouter()`: the field is a router of the package.
                        "selector_expression" => {
                            if let Some(field) = l.child_by_field_name("field") {
                                let field = self.text(field).to_string();
                                if let Some((kind, fw)) = self.constructor_role(r) {
                                    let _ = kind;
                                    self.field_node(&field, fw, l);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            "field_declaration" => {
                let Some(t) = n.child_by_field_name("type") else {
                    return;
                };
                let Some(fw) = self.router_type(t) else {
                    return;
                };
                let mut c = n.walk();
                let names: Vec<Node<'t>> = n.children_by_field_name("name", &mut c).collect();
                for id in names {
                    let field = self.text(id).to_string();
                    self.field_node(&field, fw, id);
                }
            }
            "function_declaration" | "method_declaration" | "func_literal" => {
                if let Some(name) = n.child_by_field_name("name") {
                    let name = self.text(name).to_string();
                    let v = Value::Func(func_key(n));
                    if n.kind() == "function_declaration" {
                        self.bind_at(0, &name, Binding::Value(v.clone()));
                        self.facts.exports.entry(name).or_insert(v);
                    } else {
                        self.facts
                            .exports
                            .entry(format!("method:{name}"))
                            .or_insert(v);
                        // The receiver's methods are this package's.
                        if let Some(recv) = n.child_by_field_name("receiver") {
                            for p in named(recv)
                                .into_iter()
                                .filter(|p| p.kind() == "parameter_declaration")
                            {
                                if let Some(id) = p.child_by_field_name("name") {
                                    let id = self.text(id).to_string();
                                    if let Some(t) = p.child_by_field_name("type") {
                                        let t = self.text(t).trim_start_matches('*');
                                        let t = t.split('[').next().unwrap_or(t).to_string();
                                        self.receivers.insert((n.start_byte(), id.clone()), t);
                                    }
                                    self.bind_at(n.start_byte(), &id, Binding::Typed(".".into()));
                                }
                            }
                        }
                    }
                }
                let Some(params) = n.child_by_field_name("parameters") else {
                    return;
                };
                let mut index = 0usize;
                for p in named(params).into_iter().filter(|p| {
                    matches!(
                        p.kind(),
                        "parameter_declaration" | "variadic_parameter_declaration"
                    )
                }) {
                    let fw = p
                        .child_by_field_name("type")
                        .and_then(|t| self.router_type(t));
                    let typed_pkg = p
                        .child_by_field_name("type")
                        .and_then(|t| self.type_package(t));
                    let mut c = p.walk();
                    let ids: Vec<Node<'t>> = p.children_by_field_name("name", &mut c).collect();
                    if ids.is_empty() {
                        index = index.saturating_add(1);
                    }
                    for id in ids {
                        let name = self.text(id).to_string();
                        let b = match (fw, typed_pkg.clone()) {
                            (Some(fw), _) => Binding::Param {
                                func: func_key(n),
                                index,
                                framework: Some(fw),
                            },
                            (None, Some(pkg)) => Binding::Typed(pkg),
                            (None, None) => Binding::Param {
                                func: func_key(n),
                                index,
                                framework: None,
                            },
                        };
                        self.bind_at(n.start_byte(), &name, b);
                        index = index.saturating_add(1);
                    }
                }
            }
            _ => {}
        }
    }

    /// The package a named type comes from: `*users.Handler` → its import path, `*Handler` → `.`.
    fn type_package(&self, t: Node<'t>) -> Option<String> {
        let text = self.text(t).trim_start_matches('*');
        match text.split_once('.') {
            Some((pkg, _)) => self
                .packages
                .get(pkg)
                .filter(|p| framework(p).is_none())
                .cloned(),
            None if text.chars().next().is_some_and(char::is_uppercase) => Some(".".into()),
            None => None,
        }
    }

    /// `users.NewHandler(...)`, `&Handler{...}`, `Handler{...}`: a value whose methods are a
    /// known package's.
    fn typed_of(&self, r: Node<'t>) -> Option<String> {
        let r = if r.kind() == "unary_expression" {
            r.child_by_field_name("operand")?
        } else {
            r
        };
        match r.kind() {
            "composite_literal" => self.type_package(r.child_by_field_name("type")?),
            "call_expression" => {
                let f = r.child_by_field_name("function")?;
                if f.kind() != "selector_expression" {
                    return None;
                }
                let pkg = self.text(f.child_by_field_name("operand")?);
                let name = self.text(f.child_by_field_name("field")?);
                let path = self.packages.get(pkg)?;
                (framework(path).is_none() && name.starts_with("New")).then(|| path.clone())
            }
            _ => None,
        }
    }

    fn field_node(&mut self, field: &str, fw: Framework, at: Node<'t>) {
        let (line, col) = self.src.pos(at);
        let v = self.facts.node(NodeDecl {
            key: format!("field:{field}"),
            label: field.to_string(),
            kind: NodeKind::Router,
            framework: Some(fw),
            prefixes: Vec::new(),
            escapes: false,
            nest: false,
            line,
            col,
        });
        self.facts
            .exports
            .entry(format!("field:{field}"))
            .or_insert(v);
    }

    /// Package-level string constants and variables are the package's: another file or
    /// package may use them in a path (`request.PathParamRepoRef`).
    fn export_constants(&mut self) {
        let names: Vec<(String, Node<'t>, Vec<usize>)> = self
            .bindings
            .iter()
            .filter(|((scope, _), _)| *scope == 0)
            .filter_map(|((_, name), b)| match b {
                Binding::Alias(a, s) => Some((name.clone(), *a, s.clone())),
                _ => None,
            })
            .collect();
        for (name, a, scopes) in names {
            if !matches!(
                a.kind(),
                "interpreted_string_literal"
                    | "raw_string_literal"
                    | "binary_expression"
                    | "identifier"
                    | "selector_expression"
                    | "call_expression"
            ) {
                continue;
            }
            self.alias_scopes = Some(scopes);
            let s = self.str_of(a, 0);
            self.alias_scopes = None;
            if !matches!(s, Str::Dynamic(_)) {
                self.facts.exports.entry(name).or_insert(Value::Str(s));
            }
        }
    }

    /// A router constructor: `chi.NewRouter()`, `gin.Default()`, `echo.New()`,
    /// `http.NewServeMux()`, `mux.NewRouter()`, `fiber.New()`.
    fn constructor_role(&self, r: Node<'t>) -> Option<(NodeKind, Framework)> {
        if r.kind() != "call_expression" {
            return None;
        }
        let f = r.child_by_field_name("function")?;
        if f.kind() != "selector_expression" {
            return None;
        }
        let pkg = self.text(f.child_by_field_name("operand")?);
        let name = self.text(f.child_by_field_name("field")?);
        let fw = framework(self.packages.get(pkg)?)?;
        match (fw, name) {
            (Framework::Chi, "NewRouter" | "NewMux") => Some((NodeKind::Router, fw)),
            (Framework::Gin, "Default" | "New")
            | (Framework::Echo, "New")
            | (Framework::Fiber, "New") => Some((NodeKind::App, fw)),
            (Framework::NetHttp, "NewServeMux") | (Framework::Gorilla, "NewRouter") => {
                Some((NodeKind::Router, fw))
            }
            _ => None,
        }
    }

    // ---- evaluation -------------------------------------------------------------------------

    fn eval(&mut self, n: Node<'t>, depth: usize) -> Option<Value> {
        if depth > DEPTH {
            return None;
        }
        let d = depth.saturating_add(1);
        match n.kind() {
            "identifier" => {
                let name = self.text(n).to_string();
                match self.lookup(n, &name).cloned() {
                    Some(Binding::Value(v)) => Some(v),
                    Some(Binding::Alias(a, scopes)) => {
                        if let Some((kind, fw)) = self.constructor_role(a) {
                            let (line, col) = self.src.pos(a);
                            return Some(self.facts.node(NodeDecl {
                                key: format!("{name}@{}", a.start_byte()),
                                label: name.clone(),
                                kind,
                                framework: Some(fw),
                                prefixes: Vec::new(),
                                escapes: false,
                                nest: false,
                                line,
                                col,
                            }));
                        }
                        let saved = self.alias_scopes.replace(scopes);
                        let v = self.eval(a, d);
                        self.alias_scopes = saved;
                        v
                    }
                    Some(Binding::Param {
                        func,
                        index,
                        framework,
                    }) => {
                        let at = self.src.pos(n);
                        Some(self.facts.node(NodeDecl::param(
                            &func,
                            index,
                            framework.is_some(),
                            framework,
                            self.text(n),
                            at,
                        )))
                    }
                    Some(Binding::Typed(_)) => None,
                    // A name of another file of the package.
                    None if !self.packages.contains_key(&name) => Some(Value::Import(ImportRef {
                        spec: ".".into(),
                        name,
                    })),
                    None => None,
                }
            }
            "selector_expression" => {
                let operand = n.child_by_field_name("operand")?;
                let field = self.text(n.child_by_field_name("field")?).to_string();
                if operand.kind() == "identifier" {
                    let o = self.text(operand);
                    if self.lookup(operand, o).is_none() {
                        if let Some(path) = self.packages.get(o) {
                            return Some(Value::Import(ImportRef {
                                spec: path.clone(),
                                name: field,
                            }));
                        }
                    }
                }
                // `s.router`, `a.mux`: a field of the package holding a router.
                Some(Value::Import(ImportRef {
                    spec: ".".into(),
                    name: format!("field:{field}"),
                }))
            }
            "call_expression" => {
                let f = n.child_by_field_name("function")?;
                let args = n
                    .child_by_field_name("arguments")
                    .map(named)
                    .unwrap_or_default();
                if let Some((kind, fw)) = self.constructor_role(n) {
                    let (line, col) = self.src.pos(n);
                    return Some(self.facts.node(NodeDecl {
                        key: format!("new@{}", n.start_byte()),
                        label: snippet(self.text(n)),
                        kind,
                        framework: Some(fw),
                        prefixes: Vec::new(),
                        escapes: false,
                        nest: false,
                        line,
                        col,
                    }));
                }
                if f.kind() == "selector_expression" {
                    let field = f
                        .child_by_field_name("field")
                        .map(|x| self.text(x))
                        .unwrap_or("");
                    let operand = f.child_by_field_name("operand")?;
                    if operand.kind() == "identifier" {
                        if let Some(Binding::Typed(pkg)) = self.lookup(operand, self.text(operand))
                        {
                            // `h.Routes()` on a value of a known package's type.
                            let r = ImportRef {
                                spec: pkg.clone(),
                                name: format!("method:{field}"),
                            };
                            return Some(Value::ReturnOf(Box::new(Value::Import(r))));
                        }
                    }
                    match field {
                        // chi's `r.With(mw)`: the same router with middleware.
                        "With" | "Use" => return self.eval(operand, d),
                        // gin/echo/fiber `r.Group("/v1", mw...)`, gorilla `r.PathPrefix("/v1")`.
                        "Group" | "PathPrefix" | "Host"
                            if args.first().is_some_and(|a| a.kind() != "func_literal") =>
                        {
                            return self.group(n, operand, args.first().copied(), field == "Host");
                        }
                        // gorilla `...PathPrefix("/v1").Subrouter()`.
                        "Subrouter" => return self.eval(operand, d),
                        _ => {}
                    }
                }
                match self.eval(f, d)? {
                    v @ (Value::Func(_) | Value::Import(_) | Value::ReturnOf(_)) => {
                        Some(Value::ReturnOf(Box::new(v)))
                    }
                    _ => None,
                }
            }
            "func_literal" => Some(Value::Func(func_key(n))),
            "parenthesized_expression" => self.eval(named(n).into_iter().next()?, d),
            "unary_expression" => self.eval(n.child_by_field_name("operand")?, d),
            "interpreted_string_literal" | "raw_string_literal" | "binary_expression" => {
                Some(Value::Str(self.str_of(n, d)))
            }
            _ => None,
        }
    }

    /// A group: a new router mounted under `operand` with `prefix`.
    fn group(
        &mut self,
        call: Node<'t>,
        operand: Node<'t>,
        prefix: Option<Node<'t>>,
        host: bool,
    ) -> Option<Value> {
        let parent = self.eval(operand, 0)?;
        if !matches!(
            parent,
            Value::Node(_) | Value::Import(_) | Value::ReturnOf(_)
        ) {
            return None;
        }
        let key = format!("group@{}", call.start_byte());
        let (line, col) = self.src.pos(call);
        let v = self.facts.node(NodeDecl {
            key,
            label: snippet(self.text(call)),
            kind: NodeKind::Router,
            framework: None,
            prefixes: Vec::new(),
            escapes: false,
            nest: false,
            line,
            col,
        });
        if self.groups.insert(call.start_byte()) {
            let prefix = match (prefix, host) {
                (_, true) | (None, _) => Str::lit(""),
                (Some(p), false) => self.str_of(p, 0),
            };
            self.facts.mounts.push(RawMount::new(
                parent,
                prefix,
                v.clone(),
                (line, col),
                snippet(self.text(call)),
            ));
        }
        Some(v)
    }

    fn str_of(&mut self, n: Node<'t>, depth: usize) -> Str {
        if depth > DEPTH {
            return Str::Dynamic(snippet(self.text(n)));
        }
        let d = depth.saturating_add(1);
        match n.kind() {
            "interpreted_string_literal" | "raw_string_literal" => Str::Lit(unquote(self.text(n))),
            "binary_expression" => {
                let src = self.src;
                plus(src, n, |x| self.str_of(x, d))
            }
            "call_expression" if self.is_sprintf(n) => self.sprintf(n, d),
            "identifier" | "selector_expression" => match self.eval(n, d) {
                Some(Value::Str(s)) => s,
                Some(Value::Import(r))
                    if !r.name.starts_with("field:") && !r.name.starts_with("method:") =>
                {
                    Str::Import(r)
                }
                _ => Str::Dynamic(snippet(self.text(n))),
            },
            _ => Str::Dynamic(snippet(self.text(n))),
        }
    }

    fn is_sprintf(&self, n: Node<'t>) -> bool {
        n.child_by_field_name("function").is_some_and(|f| {
            let t = self.text(f);
            t.strip_suffix(".Sprintf")
                .is_some_and(|pkg| self.packages.get(pkg).is_some_and(|p| p == "fmt"))
        })
    }

    /// `fmt.Sprintf("/{%s}/x", request.PathParamRef)`: the format's `%s` and `%v` filled with
    /// constant arguments; any other verb, or an argument built at run time, is dynamic.
    fn sprintf(&mut self, n: Node<'t>, depth: usize) -> Str {
        let args = n
            .child_by_field_name("arguments")
            .map(named)
            .unwrap_or_default();
        let whole = Str::Dynamic(snippet(self.text(n)));
        let dynamic = || whole.clone();
        let Some(format) = args.first().filter(|f| {
            matches!(
                f.kind(),
                "interpreted_string_literal" | "raw_string_literal"
            )
        }) else {
            return dynamic();
        };
        let format = unquote(self.text(*format));
        let mut parts = Vec::new();
        let mut rest = args.get(1..).unwrap_or(&[]).iter();
        let mut lit = String::new();
        let mut chars = format.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                lit.push(c);
                continue;
            }
            match chars.next() {
                Some('%') => lit.push('%'),
                Some('s' | 'v') => {
                    let Some(arg) = rest.next() else {
                        return dynamic();
                    };
                    parts.push(Str::Lit(std::mem::take(&mut lit)));
                    let s = self.str_of(*arg, depth);
                    if matches!(s, Str::Dynamic(_)) {
                        return dynamic();
                    }
                    parts.push(s);
                }
                _ => return dynamic(),
            }
        }
        parts.push(Str::Lit(lit));
        Str::Concat(parts)
    }

    fn method_of(&self, n: Node<'t>) -> Option<String> {
        match n.kind() {
            "interpreted_string_literal" | "raw_string_literal" => {
                let m = unquote(self.text(n));
                super::is_http_method(&m).then(|| m.to_ascii_uppercase())
            }
            "selector_expression" => method_const(self.text(n)),
            _ => None,
        }
    }

    // ---- pass 2 -----------------------------------------------------------------------------

    fn visit(&mut self, n: Node<'t>) {
        match n.kind() {
            "call_expression" => self.call(n),
            "return_statement" => {
                let Some(f) = self.anc().find(|a| is_function(a.kind())) else {
                    return;
                };
                let values = named(n).into_iter().next().map(named).unwrap_or_default();
                for e in values {
                    if let Some(v) = self.eval(e, 0) {
                        self.facts.returned(func_key(f), v);
                    }
                }
            }
            "function_declaration" | "method_declaration" | "type_spec" => {
                let Some(name) = n.child_by_field_name("name") else {
                    return;
                };
                let owner = (n.kind() == "method_declaration")
                    .then(|| n.child_by_field_name("receiver"))
                    .flatten()
                    .and_then(|r| {
                        named(r)
                            .into_iter()
                            .find_map(|p| p.child_by_field_name("type"))
                    })
                    .map(|t| {
                        let t = self.text(t).trim_start_matches('*');
                        t.split('[').next().unwrap_or(t).to_string()
                    });
                let (line, _) = self.src.pos(name);
                self.facts.defs.push(Def {
                    name: self.text(name).to_string(),
                    owner,
                    line,
                });
            }
            _ => {}
        }
    }

    fn handler(&self, n: Node<'t>, depth: usize) -> Option<Handler> {
        if depth > 8 {
            return None;
        }
        match n.kind() {
            "identifier" => Some(Handler::function(self.text(n))),
            "selector_expression" => Some(Handler {
                owner: n.child_by_field_name("operand").map(|o| {
                    let name = self.text(o);
                    // A method value on the receiver: name it by the receiver's type.
                    self.scopes(o)
                        .into_iter()
                        .find_map(|s| self.receivers.get(&(s, name.to_string())))
                        .cloned()
                        .unwrap_or_else(|| name.to_string())
                }),
                name: self.text(n.child_by_field_name("field")?).to_string(),
                owner_is_type: false,
            }),
            "call_expression" => {
                // `handlerrepo.HandleCreate(repoCtrl)`: a handler made by a named factory;
                // `http.HandlerFunc(h.List)`, `auth(h.List)`: the function wrapped.
                let f = n.child_by_field_name("function")?;
                let name = match f.kind() {
                    "selector_expression" => f.child_by_field_name("field").map(|x| self.text(x)),
                    "identifier" => Some(self.text(f)),
                    _ => None,
                };
                if let Some(name) =
                    name.filter(|x| x.starts_with("Handle") || x.starts_with("handle"))
                {
                    return self
                        .handler(f, depth.saturating_add(1))
                        .or_else(|| Some(Handler::function(name)));
                }
                let args = named(n.child_by_field_name("arguments")?);
                self.handler(*args.last()?, depth.saturating_add(1))
            }
            "unary_expression" | "parenthesized_expression" => {
                self.handler(named(n).into_iter().last()?, depth.saturating_add(1))
            }
            _ => None,
        }
    }

    /// The function `n` is in, as a handler.
    fn enclosing(&self, _n: Node<'t>) -> Option<Handler> {
        let f = self
            .anc()
            .find(|a| matches!(a.kind(), "function_declaration" | "method_declaration"))?;
        Some(Handler::function(self.text(f.child_by_field_name("name")?)))
    }

    fn call(&mut self, n: Node<'t>) {
        let Some(f) = n
            .child_by_field_name("function")
            .filter(|f| f.kind() == "selector_expression")
        else {
            self.call_mount(n);
            return;
        };
        let (Some(operand), Some(field)) = (
            f.child_by_field_name("operand"),
            f.child_by_field_name("field"),
        ) else {
            return;
        };
        let field = self.text(field);
        let args = n
            .child_by_field_name("arguments")
            .map(named)
            .unwrap_or_default();
        if self.socketio && self.socket_event(n, field, &args) {
            return;
        }
        // `http.HandleFunc(...)`: the default mux of the program.
        let on_http_package = operand.kind() == "identifier"
            && self.lookup(operand, self.text(operand)).is_none()
            && self
                .packages
                .get(self.text(operand))
                .is_some_and(|p| p == "net/http");
        if on_http_package && !matches!(field, "Handle" | "HandleFunc") {
            return;
        }
        let upper = field.to_ascii_uppercase();
        let (methods, rest): (Methods, &[Node<'t>]) = match field {
            "Get" | "Post" | "Put" | "Patch" | "Delete" | "Head" | "Options" | "Connect"
            | "Trace" | "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS"
            | "CONNECT" | "TRACE" => (Methods::Fixed(vec![upper]), args.as_slice()),
            "Any" | "All" => (Methods::Fixed(vec![ANY.into()]), args.as_slice()),
            "Handle" | "HandleFunc" | "Method" | "MethodFunc" | "Add" => {
                match args.first().and_then(|a| self.method_of(*a)) {
                    Some(m) if args.len() >= 3 => {
                        (Methods::Fixed(vec![m]), args.get(1..).unwrap_or(&[]))
                    }
                    _ if matches!(field, "Handle" | "HandleFunc") => {
                        if self.strip_prefix_mount(n, operand, &args) {
                            return;
                        }
                        (
                            self.gorilla_methods(n)
                                .map_or(Methods::InPattern, Methods::Fixed),
                            args.as_slice(),
                        )
                    }
                    _ => return,
                }
            }
            "Match" => {
                let ms: Vec<String> = args
                    .first()
                    .map(|c| {
                        let mut out = Vec::new();
                        preorder(*c, |x| out.extend(self.method_of(x)));
                        out
                    })
                    .unwrap_or_default();
                if ms.is_empty() {
                    return;
                }
                (Methods::Fixed(ms), args.get(1..).unwrap_or(&[]))
            }
            "Mount" | "Route" => {
                self.mount(n, operand, field, &args);
                return;
            }
            // chi's `r.Group(func(r chi.Router) {...})`; gin's and echo's `Group("/v1")` are
            // read where the group is used.
            "Group"
                if args.len() == 1
                    && args
                        .first()
                        .is_some_and(|a| a.kind() != "interpreted_string_literal") =>
            {
                self.mount(n, operand, field, &args);
                return;
            }
            _ => {
                self.call_mount(n);
                return;
            }
        };
        if rest.len() < 2 {
            return;
        }
        let on = if on_http_package {
            let (line, col) = self.src.pos(n);
            self.facts.node(NodeDecl {
                key: "http.DefaultServeMux".into(),
                label: "http.DefaultServeMux".into(),
                kind: NodeKind::App,
                framework: Some(Framework::NetHttp),
                prefixes: Vec::new(),
                escapes: false,
                nest: false,
                line,
                col,
            })
        } else {
            match self.eval(operand, 0) {
                Some(v @ (Value::Node(_) | Value::Import(_) | Value::ReturnOf(_))) => v,
                _ => return,
            }
        };
        let Some(path_arg) = rest.first().copied() else {
            return;
        };
        let path = self.str_of(path_arg, 0);
        let handler = rest.last().and_then(|h| self.handler(*h, 0));
        let (line, col) = self.src.pos(n);
        self.facts.routes.push(RawRoute {
            on,
            methods,
            path,
            handler,
            framework: None,
            version: None,
            line,
            col,
            code: snippet(self.text(n)),
        });
    }

    /// gorilla: `r.HandleFunc("/x", h).Methods("GET", http.MethodPost)`.
    fn gorilla_methods(&self, call: Node<'t>) -> Option<Vec<String>> {
        let sel = call
            .parent()
            .filter(|p| p.kind() == "selector_expression")?;
        if sel.child_by_field_name("field").map(|f| self.text(f)) != Some("Methods") {
            return None;
        }
        let outer = sel.parent().filter(|p| p.kind() == "call_expression")?;
        let ms: Vec<String> = named(outer.child_by_field_name("arguments")?)
            .into_iter()
            .filter_map(|a| self.method_of(a))
            .collect();
        (!ms.is_empty()).then_some(ms)
    }

    /// `mux.Handle("/api/", http.StripPrefix("/api", sub))`: `sub` mounted under the prefix.
    fn strip_prefix_mount(&mut self, n: Node<'t>, operand: Node<'t>, args: &[Node<'t>]) -> bool {
        let Some(h) = args.get(1).filter(|h| h.kind() == "call_expression") else {
            return false;
        };
        let Some(f) = h.child_by_field_name("function") else {
            return false;
        };
        if !self.text(f).ends_with("StripPrefix") {
            return false;
        }
        let inner = h
            .child_by_field_name("arguments")
            .map(named)
            .unwrap_or_default();
        let (Some(prefix), Some(child)) = (inner.first().copied(), inner.get(1).copied()) else {
            return false;
        };
        let Some(parent) = self.eval(operand, 0) else {
            return false;
        };
        let Some(child @ (Value::Node(_) | Value::Import(_) | Value::ReturnOf(_))) =
            self.eval(child, 0)
        else {
            return false;
        };
        let prefix = self.str_of(prefix, 0);
        let (line, col) = self.src.pos(n);
        self.facts.mounts.push(RawMount::new(
            parent,
            prefix,
            child,
            (line, col),
            snippet(self.text(n)),
        ));
        true
    }

    /// chi/fiber `Mount(prefix, sub)`, `Route(prefix, func(r) {...})`, chi `Group(func(r) {...})`.
    fn mount(&mut self, n: Node<'t>, operand: Node<'t>, field: &str, args: &[Node<'t>]) {
        let (prefix, child) = match (field, args) {
            ("Group", [f]) => (Str::lit(""), *f),
            (_, [p, c, ..]) => (self.str_of(*p, 0), *c),
            _ => return,
        };
        let Some(parent @ (Value::Node(_) | Value::Import(_) | Value::ReturnOf(_))) =
            self.eval(operand, 0)
        else {
            return;
        };
        let child = match self.eval(child, 0) {
            Some(v @ Value::Func(_)) if field != "Mount" => Value::ParamOf(Box::new(v), 0),
            Some(v @ (Value::Node(_) | Value::Import(_) | Value::ReturnOf(_)))
                if field == "Mount" =>
            {
                v
            }
            // `r.Route("/x", users.Routes)`: a function of another package (not a field).
            Some(Value::Import(r))
                if !r.name.starts_with("field:") && !r.name.starts_with("method:") =>
            {
                Value::ParamOf(Box::new(Value::Import(r)), 0)
            }
            _ => return,
        };
        let (line, col) = self.src.pos(n);
        self.facts.mounts.push(RawMount::new(
            parent,
            prefix,
            child,
            (line, col),
            snippet(self.text(n)),
        ));
    }

    /// `users.Register(r)`, `api.Routes(v1)`: a router passed to a function.
    fn call_mount(&mut self, n: Node<'t>) {
        let Some(f) = n.child_by_field_name("function") else {
            return;
        };
        let args = n
            .child_by_field_name("arguments")
            .map(named)
            .unwrap_or_default();
        let mut routers = Vec::new();
        for (i, a) in args.iter().enumerate() {
            if matches!(
                a.kind(),
                "identifier" | "selector_expression" | "call_expression"
            ) {
                if let Some(v @ Value::Node(_)) = self.eval(*a, 0) {
                    routers.push((i, v));
                }
            }
        }
        if routers.is_empty() {
            return;
        }
        let Some(callee @ (Value::Func(_) | Value::Import(_))) = self.eval(f, 0) else {
            return;
        };
        let (line, col) = self.src.pos(n);
        for (i, parent) in routers {
            self.facts.mounts.push(RawMount {
                parent,
                prefix: Str::lit(""),
                child: Value::ParamOf(Box::new(callee.clone()), i),
                replaces_prefix: false,
                prefix_or_child: false,
                call: true,
                line,
                col,
                code: snippet(self.text(n)),
            });
        }
    }

    /// go-socket.io: `server.OnEvent("/", "msg", fn)`, `s.Emit("reply", ...)`,
    /// `server.BroadcastToRoom("/", room, "e", ...)`, `server.BroadcastToNamespace("/", "e", ...)`.
    fn socket_event(&mut self, n: Node<'t>, field: &str, args: &[Node<'t>]) -> bool {
        let (op, at) = match field {
            "OnEvent" => (Op::On, 1),
            "Emit" => (Op::Emit, 0),
            "BroadcastToRoom" => (Op::Emit, 2),
            "BroadcastToNamespace" => (Op::Emit, 1),
            _ => return false,
        };
        let Some(name) = args.get(at).copied() else {
            return false;
        };
        let name = self.str_of(name, 0);
        let around = self.enclosing(n);
        let (handler, registered_in) = match (op, args.get(2).and_then(|h| self.handler(*h, 0))) {
            (Op::On, Some(h)) => (Some(h), around),
            _ => (around, None),
        };
        let (line, col) = self.src.pos(n);
        self.facts.events.push(RawEvent {
            name,
            op,
            handler,
            registered_in,
            framework: Framework::SocketIo,
            line,
            col,
            code: snippet(self.text(n)),
        });
        true
    }
}

/// A Go string literal's value: `"..."` with escapes, or a raw `` `...` ``.
fn unquote(raw: &str) -> String {
    if let Some(inner) = raw.strip_prefix('`').and_then(|s| s.strip_suffix('`')) {
        return inner.to_string();
    }
    let inner = raw
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(raw);
    inner.replace("\\\"", "\"").replace("\\\\", "\\")
}
