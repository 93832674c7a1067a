//! Python: FastAPI (`FastAPI()`, `APIRouter(prefix=)`, `@app.get`, `include_router(prefix=)`,
//! `mount`, `add_api_route`), Flask (`Flask(__name__)`, blueprints with `url_prefix`,
//! `@app.route(methods=[...])`, `add_url_rule`, `register_blueprint(url_prefix=)`), and
//! Socket.IO servers (python-socketio's `@sio.on`/`@sio.event`/`sio.emit`, Flask-SocketIO).
//!
//! Like the JavaScript extractor: a pass that binds names (imports, constructors, string
//! constants, functions and their parameters), then a pass over decorators and calls.

use std::collections::HashMap;

use tree_sitter::Node;

use super::{named, pass, plus, scopes_in, Src, DEPTH};
use crate::facts::{
    snippet, Def, FileFacts, ImportRef, Methods, NodeDecl, NodeKind, Op, RawEvent, RawMount,
    RawRoute, Side, Str, Value,
};
use crate::model::{Framework, Handler};

#[derive(Debug, Clone)]
enum Binding<'t> {
    Value(Value),
    /// Another expression, evaluated on use in the scopes it was written in.
    Alias(Node<'t>, Vec<usize>),
    Param {
        func: String,
        index: usize,
        typed: bool,
    },
    /// A Socket.IO server or client.
    Socket,
}

struct Py<'s, 't> {
    src: &'s Src<'s>,
    bindings: HashMap<(usize, String), Binding<'t>>,
    facts: FileFacts,
    /// Names bound to Flask-SocketIO's `emit`/`send` functions.
    emit_fns: Vec<String>,
    /// The ancestors of the node being read, root first.
    cx: Vec<Node<'t>>,
    alias_scopes: Option<Vec<usize>>,
}

fn needs_context(kind: &str) -> bool {
    matches!(
        kind,
        "assignment"
            | "function_definition"
            | "class_definition"
            | "decorated_definition"
            | "call"
            | "return_statement"
    )
}

/// Extracts one Python file.
pub(crate) fn extract(src: &Src<'_>, root: Node<'_>, _rel: &str) -> FileFacts {
    let mut py = Py {
        src,
        bindings: HashMap::new(),
        facts: FileFacts::default(),
        emit_fns: Vec::new(),
        cx: Vec::new(),
        alias_scopes: None,
    };
    pass(
        root,
        &mut py,
        |x| &mut x.cx,
        needs_context,
        |x, n| x.bind(n),
    );
    pass(
        root,
        &mut py,
        |x| &mut x.cx,
        needs_context,
        |x, n| x.visit(n),
    );
    py.exports();
    py.facts
}

fn func_key(n: Node<'_>) -> String {
    format!("f@{}", n.start_byte())
}

/// What a constructor imported from a module makes.
fn constructor_role(spec: &str, name: &str) -> Option<(NodeKind, Framework)> {
    let top = spec.split('.').next().unwrap_or(spec);
    let name = name.rsplit('.').next().unwrap_or(name);
    match (top, name) {
        ("fastapi", "FastAPI") | ("starlette", "Starlette") => {
            Some((NodeKind::App, Framework::FastApi))
        }
        ("fastapi", "APIRouter") => Some((NodeKind::Router, Framework::FastApi)),
        ("flask", "Flask") => Some((NodeKind::App, Framework::Flask)),
        ("flask", "Blueprint") => Some((NodeKind::Router, Framework::Flask)),
        _ => None,
    }
}

/// `(is a socket, is a client)` for a Socket.IO constructor.
fn socket_role(spec: &str, name: &str) -> Option<Side> {
    let top = spec.split('.').next().unwrap_or(spec);
    let name = name.rsplit('.').next().unwrap_or(name);
    match (top, name) {
        ("socketio", "Server" | "AsyncServer") | ("flask_socketio", "SocketIO") => {
            Some(Side::Server)
        }
        ("socketio", "Client" | "AsyncClient") => Some(Side::Client),
        _ => None,
    }
}

fn is_function(kind: &str) -> bool {
    matches!(kind, "function_definition" | "lambda")
}

impl<'s, 't> Py<'s, 't> {
    fn text(&self, n: Node<'_>) -> &'s str {
        self.src.of(n)
    }

    fn scopes(&self, _n: Node<'t>) -> Vec<usize> {
        match &self.alias_scopes {
            Some(s) => s.clone(),
            None => scopes_in(&self.cx, is_function),
        }
    }

    /// The ancestors of the current node, nearest first.
    fn anc(&self) -> impl Iterator<Item = Node<'t>> + '_ {
        self.cx.iter().rev().copied()
    }

    fn scope_of(&self, _n: Node<'t>) -> usize {
        self.cx
            .iter()
            .rev()
            .find(|a| is_function(a.kind()))
            .map_or(0, |a| a.start_byte())
    }

    fn lookup(&self, n: Node<'t>, name: &str) -> Option<&Binding<'t>> {
        self.scopes(n)
            .into_iter()
            .find_map(|s| self.bindings.get(&(s, name.to_string())))
    }

    fn bind_at(&mut self, scope: usize, name: &str, b: Binding<'t>) {
        self.bindings.entry((scope, name.to_string())).or_insert(b);
    }

    // ---- pass 1 -----------------------------------------------------------------------------

    fn bind(&mut self, n: Node<'t>) {
        match n.kind() {
            "import_statement" => {
                for c in named(n) {
                    let (module, alias) = match c.kind() {
                        "dotted_name" => (self.text(c), None),
                        "aliased_import" => match (
                            c.child_by_field_name("name"),
                            c.child_by_field_name("alias"),
                        ) {
                            (Some(m), Some(a)) => (self.text(m), Some(self.text(a))),
                            _ => continue,
                        },
                        _ => continue,
                    };
                    self.note_import(module);
                    match alias {
                        // `import app.api.users as users`: the module itself.
                        Some(a) => self.bind_at(0, a, import(module, "*")),
                        // `import app.api.users`: `app` is bound; `app.api.users.x` is read
                        // through the dotted path.
                        None => {
                            let top = module.split('.').next().unwrap_or(module);
                            self.bind_at(0, top, import(top, "*"));
                        }
                    }
                }
            }
            "import_from_statement" => {
                let Some(m) = n.child_by_field_name("module_name") else {
                    return;
                };
                let module = self.text(m).to_string();
                self.note_import(&module);
                let mut c = n.walk();
                let names: Vec<Node<'t>> = n.children_by_field_name("name", &mut c).collect();
                for name in names {
                    let (orig, local) = match name.kind() {
                        "dotted_name" => (self.text(name), self.text(name)),
                        "aliased_import" => match (
                            name.child_by_field_name("name"),
                            name.child_by_field_name("alias"),
                        ) {
                            (Some(o), Some(a)) => (self.text(o), self.text(a)),
                            _ => continue,
                        },
                        _ => continue,
                    };
                    if module == "flask_socketio" && matches!(orig, "emit" | "send") {
                        self.emit_fns.push(local.to_string());
                        self.facts.side = Side::Server;
                    }
                    self.bind_at(0, local, import(&module, orig));
                }
            }
            "assignment" => {
                let (Some(left), Some(right)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) else {
                    return;
                };
                if left.kind() != "identifier" {
                    return;
                }
                let scope = self.scope_of(n);
                let name = self.text(left).to_string();
                if let Some(side) = self.socket_constructor(right) {
                    if self.facts.side == Side::Unknown {
                        self.facts.side = side;
                    }
                    self.bind_at(scope, &name, Binding::Socket);
                } else if let Some(v) = self.constructor(right, &name) {
                    self.bind_at(scope, &name, Binding::Value(v));
                } else {
                    let scopes = self.scopes(n);
                    self.bind_at(scope, &name, Binding::Alias(right, scopes));
                }
            }
            "function_definition" => {
                if let Some(name) = n.child_by_field_name("name") {
                    let scope = self.scope_of(n);
                    let name = self.text(name).to_string();
                    self.bind_at(scope, &name, Binding::Value(Value::Func(func_key(n))));
                }
                let Some(params) = n.child_by_field_name("parameters") else {
                    return;
                };
                for (index, p) in named(params).into_iter().enumerate() {
                    let (id, typed) = match p.kind() {
                        "identifier" => (Some(p), false),
                        "typed_parameter" | "typed_default_parameter" | "default_parameter" => (
                            named(p)
                                .into_iter()
                                .find(|c| c.kind() == "identifier")
                                .or_else(|| p.child_by_field_name("name")),
                            p.child_by_field_name("type").is_some_and(|t| {
                                let t = self.text(t);
                                let last = t.rsplit('.').next().unwrap_or(t);
                                matches!(last, "FastAPI" | "APIRouter" | "Flask" | "Blueprint")
                            }),
                        ),
                        _ => (None, false),
                    };
                    if let Some(id) = id {
                        let name = self.text(id).to_string();
                        self.bind_at(
                            n.start_byte(),
                            &name,
                            Binding::Param {
                                func: func_key(n),
                                index,
                                typed,
                            },
                        );
                    }
                }
            }
            _ => {}
        }
    }

    fn note_import(&mut self, module: &str) {
        if !self.facts.imports.iter().any(|m| m == module) {
            self.facts.imports.push(module.to_string());
        }
    }

    /// The import a callee names: `FastAPI`, `fastapi.APIRouter`, `flask.Blueprint`.
    fn import_of(&self, callee: Node<'t>) -> Option<(String, String)> {
        match callee.kind() {
            "identifier" => match self.bindings.get(&(0, self.text(callee).to_string()))? {
                Binding::Value(Value::Import(r)) => Some((r.spec.clone(), r.name.clone())),
                _ => None,
            },
            "attribute" => {
                let obj = callee.child_by_field_name("object")?;
                let attr = self.text(callee.child_by_field_name("attribute")?);
                let (spec, name) = self.import_of(obj)?;
                Some(if name == "*" {
                    (spec, attr.to_string())
                } else {
                    (spec, format!("{name}.{attr}"))
                })
            }
            _ => None,
        }
    }

    fn socket_constructor(&self, value: Node<'t>) -> Option<Side> {
        if value.kind() != "call" {
            return None;
        }
        let (spec, name) = self.import_of(value.child_by_field_name("function")?)?;
        socket_role(&spec, &name)
    }

    /// `FastAPI()`, `APIRouter(prefix=...)`, `Flask(__name__)`, `Blueprint(..., url_prefix=...)`.
    fn constructor(&mut self, value: Node<'t>, local: &str) -> Option<Value> {
        if value.kind() != "call" {
            return None;
        }
        let callee = value.child_by_field_name("function")?;
        let (kind, framework) = match self
            .import_of(callee)
            .and_then(|(s, n)| constructor_role(&s, &n))
        {
            Some((k, f)) => (k, f),
            None => {
                // A project's own router class (`class UserAPIRouter(APIRouter)`, imported from
                // another module): called with a router's `prefix=`, or named like a router.
                let name = self.text(callee);
                let name = name.rsplit('.').next().unwrap_or(name);
                let has_prefix = self
                    .keywords(value)
                    .iter()
                    .any(|(k, _)| k == "prefix" || k == "url_prefix");
                if !(has_prefix || name.ends_with("Router") || name.ends_with("Blueprint")) {
                    return None;
                }
                let flask = self.keywords(value).iter().any(|(k, _)| k == "url_prefix")
                    || self.facts.imports.iter().any(|m| m.starts_with("flask"));
                let fw = if flask {
                    Framework::Flask
                } else {
                    Framework::FastApi
                };
                (NodeKind::Router, fw)
            }
        };
        let mut prefixes = Vec::new();
        for (k, v) in self.keywords(value) {
            if k == "prefix" || k == "url_prefix" {
                prefixes.push(self.str_of(v, 0));
            }
        }
        let (line, col) = self.src.pos(value);
        Some(self.facts.node(NodeDecl {
            key: format!("{local}@{}", value.start_byte()),
            label: local.to_string(),
            kind,
            framework: Some(framework),
            prefixes,
            // A router or blueprint exists to be included in an app elsewhere.
            escapes: kind == NodeKind::Router,
            nest: false,
            line,
            col,
        }))
    }

    fn keywords(&self, call: Node<'t>) -> Vec<(String, Node<'t>)> {
        let Some(args) = call.child_by_field_name("arguments") else {
            return Vec::new();
        };
        named(args)
            .into_iter()
            .filter(|a| a.kind() == "keyword_argument")
            .filter_map(|a| {
                Some((
                    self.text(a.child_by_field_name("name")?).to_string(),
                    a.child_by_field_name("value")?,
                ))
            })
            .collect()
    }

    fn positional(&self, call: Node<'t>) -> Vec<Node<'t>> {
        call.child_by_field_name("arguments")
            .map(named)
            .unwrap_or_default()
            .into_iter()
            .filter(|a| {
                !matches!(
                    a.kind(),
                    "keyword_argument" | "comment" | "list_splat" | "dictionary_splat"
                )
            })
            .collect()
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
                match self.lookup(n, &name)?.clone() {
                    Binding::Value(v) => Some(v),
                    Binding::Alias(a, scopes) => {
                        if let Some(v) = self.constructor(a, &name) {
                            return Some(v);
                        }
                        let saved = self.alias_scopes.replace(scopes);
                        let v = self.eval(a, d);
                        self.alias_scopes = saved;
                        v
                    }
                    Binding::Param { func, index, typed } => {
                        let at = self.src.pos(n);
                        Some(
                            self.facts
                                .node(NodeDecl::param(&func, index, typed, None, &name, at)),
                        )
                    }
                    Binding::Socket => None,
                }
            }
            "attribute" => {
                let obj = n.child_by_field_name("object")?;
                let attr = self.text(n.child_by_field_name("attribute")?).to_string();
                match self.eval(obj, d)? {
                    Value::Import(r) => Some(Value::Import(ImportRef {
                        name: if r.name == "*" {
                            attr
                        } else {
                            format!("{}.{attr}", r.name)
                        },
                        spec: r.spec,
                    })),
                    _ => None,
                }
            }
            "call" => {
                let f = n.child_by_field_name("function")?;
                match self.eval(f, d)? {
                    v @ (Value::Func(_) | Value::Import(_) | Value::ReturnOf(_)) => {
                        Some(Value::ReturnOf(Box::new(v)))
                    }
                    _ => None,
                }
            }
            "string" | "concatenated_string" | "binary_operator" => {
                Some(Value::Str(self.str_of(n, d)))
            }
            "parenthesized_expression" | "await" => self.eval(named(n).into_iter().next()?, d),
            _ => None,
        }
    }

    fn str_of(&mut self, n: Node<'t>, depth: usize) -> Str {
        if depth > DEPTH {
            return Str::Dynamic(snippet(self.text(n)));
        }
        let d = depth.saturating_add(1);
        match n.kind() {
            "string" => {
                let mut parts = Vec::new();
                for c in named(n) {
                    match c.kind() {
                        "string_content" | "escape_sequence" => parts.push(Str::lit(self.text(c))),
                        "interpolation" => {
                            let inner = c
                                .child_by_field_name("expression")
                                .or_else(|| named(c).into_iter().next());
                            match inner {
                                Some(e) => parts.push(self.str_of(e, d)),
                                None => return Str::Dynamic(snippet(self.text(n))),
                            }
                        }
                        _ => {}
                    }
                }
                if parts.iter().any(|p| matches!(p, Str::Dynamic(_))) {
                    return Str::Dynamic(snippet(self.text(n)));
                }
                match parts.len() {
                    0 => Str::lit(""),
                    1 => parts.pop().unwrap_or_else(|| Str::lit("")),
                    _ => Str::Concat(parts),
                }
            }
            "concatenated_string" => {
                Str::Concat(named(n).into_iter().map(|p| self.str_of(p, d)).collect())
            }
            "binary_operator" => {
                let src = self.src;
                plus(src, n, |x| self.str_of(x, d))
            }
            "identifier" | "attribute" => match self.eval(n, d) {
                Some(Value::Str(s)) => s,
                Some(Value::Import(r)) => Str::Import(r),
                _ => Str::Dynamic(snippet(self.text(n))),
            },
            _ => Str::Dynamic(snippet(self.text(n))),
        }
    }

    /// The strings of a `methods=[...]` list.
    fn methods(&self, n: Node<'t>) -> Vec<String> {
        named(n)
            .into_iter()
            .filter(|m| m.kind() == "string")
            .map(|m| crate::normalize::method(&literal(self.src, m)))
            .collect()
    }

    // ---- pass 2 -----------------------------------------------------------------------------

    fn visit(&mut self, n: Node<'t>) {
        match n.kind() {
            "decorated_definition" => self.decorated(n),
            "call" => self.call(n),
            "return_statement" => {
                let f = self.anc().find(|a| a.kind() == "function_definition");
                if let (Some(e), Some(f)) = (named(n).into_iter().next(), f) {
                    if let Some(v) = self.eval(e, 0) {
                        self.facts.returned(func_key(f), v);
                    }
                }
            }
            "function_definition" | "class_definition" => {
                if let Some(name) = n.child_by_field_name("name") {
                    let owner = (n.kind() == "function_definition")
                        .then(|| {
                            self.anc()
                                .take_while(|a| !is_function(a.kind()))
                                .find(|a| a.kind() == "class_definition")
                                .and_then(|c| c.child_by_field_name("name"))
                                .map(|c| self.text(c).to_string())
                        })
                        .flatten();
                    let (line, _) = self.src.pos(name);
                    self.facts.defs.push(Def {
                        name: self.text(name).to_string(),
                        owner,
                        line,
                    });
                }
            }
            _ => {}
        }
    }

    /// The function `n` is in, as a handler.
    fn enclosing(&self, _n: Node<'t>) -> Option<Handler> {
        let f = self.anc().find(|a| a.kind() == "function_definition")?;
        Some(Handler::function(self.text(f.child_by_field_name("name")?)))
    }

    fn decorated(&mut self, n: Node<'t>) {
        let Some(def) = n
            .child_by_field_name("definition")
            .filter(|d| d.kind() == "function_definition")
        else {
            return;
        };
        let Some(fname) = def
            .child_by_field_name("name")
            .map(|f| self.text(f).to_string())
        else {
            return;
        };
        for dec in named(n).into_iter().filter(|d| d.kind() == "decorator") {
            let Some(e) = named(dec).into_iter().next() else {
                continue;
            };
            let (callee, call) = match e.kind() {
                "call" => (e.child_by_field_name("function"), Some(e)),
                "attribute" => (Some(e), None),
                _ => continue,
            };
            let Some(callee) = callee.filter(|c| c.kind() == "attribute") else {
                continue;
            };
            let (Some(obj), Some(attr)) = (
                callee.child_by_field_name("object"),
                callee.child_by_field_name("attribute"),
            ) else {
                continue;
            };
            let attr = self.text(attr);
            let (line, col) = self.src.pos(dec);
            if self.is_socket(obj) {
                let name = match (attr, call) {
                    ("on" | "on_event", Some(c)) => {
                        self.positional(c).first().map(|a| self.str_of(*a, 0))
                    }
                    ("event", None) => Some(Str::lit(fname.clone())),
                    ("event", Some(c)) => self
                        .positional(c)
                        .first()
                        .map(|a| self.str_of(*a, 0))
                        .or_else(|| Some(Str::lit(fname.clone()))),
                    _ => None,
                };
                if let Some(name) = name {
                    if !matches!(&name, Str::Lit(s) if matches!(s.as_str(), "connect" | "disconnect" | "connect_error" | "message" | "json"))
                    {
                        self.facts.events.push(RawEvent {
                            name,
                            op: Op::On,
                            handler: Some(Handler::function(fname.clone())),
                            registered_in: None,
                            framework: Framework::SocketIo,
                            line,
                            col,
                            code: snippet(self.text(dec)),
                        });
                    }
                }
                continue;
            }
            let Some(call) = call else { continue };
            let methods: Vec<String> = match attr {
                "get" | "post" | "put" | "delete" | "patch" | "head" | "options" | "trace" => {
                    vec![attr.to_ascii_uppercase()]
                }
                "route" | "api_route" => {
                    let kw = self.keywords(call);
                    match kw.iter().find(|(k, _)| k == "methods") {
                        Some((_, m)) => self.methods(*m),
                        None => vec!["GET".to_string()],
                    }
                }
                _ => continue,
            };
            let path_arg = self.positional(call).first().copied().or_else(|| {
                self.keywords(call)
                    .into_iter()
                    .find(|(k, _)| k == "path" || k == "rule")
                    .map(|(_, v)| v)
            });
            let Some(path_arg) = path_arg else { continue };
            let Some(on) = self.receiver(obj) else {
                continue;
            };
            let path = self.str_of(path_arg, 0);
            self.facts.routes.push(RawRoute {
                on,
                methods: Methods::Fixed(methods),
                path,
                handler: Some(Handler::function(fname.clone())),
                framework: None,
                version: None,
                line,
                col,
                code: snippet(self.text(dec)),
            });
        }
    }

    /// A router receiver: something bound, or an unknown name the file imports.
    fn receiver(&mut self, obj: Node<'t>) -> Option<Value> {
        match self.eval(obj, 0)? {
            v @ (Value::Node(_) | Value::Import(_) | Value::ReturnOf(_)) => Some(v),
            _ => None,
        }
    }

    fn is_socket(&self, obj: Node<'t>) -> bool {
        obj.kind() == "identifier"
            && matches!(self.lookup(obj, self.text(obj)), Some(Binding::Socket))
    }

    fn call(&mut self, n: Node<'t>) {
        let Some(f) = n.child_by_field_name("function") else {
            return;
        };
        let (line, col) = self.src.pos(n);
        if f.kind() == "identifier" && self.emit_fns.iter().any(|e| e == self.text(f)) {
            if let Some(a) = self.positional(n).first().copied() {
                self.event(n, a, Op::Emit, None);
            }
            return;
        }
        if f.kind() == "attribute" {
            let (Some(obj), Some(attr)) = (
                f.child_by_field_name("object"),
                f.child_by_field_name("attribute"),
            ) else {
                return;
            };
            let attr = self.text(attr);
            if self.is_socket(obj) {
                let args = self.positional(n);
                match (attr, args.first().copied()) {
                    ("emit" | "send" | "call", Some(a)) => self.event(n, a, Op::Emit, None),
                    ("on" | "on_event", Some(a)) => {
                        let h = args
                            .get(1)
                            .filter(|h| h.kind() == "identifier")
                            .map(|h| Handler::function(self.text(*h)));
                        self.event(n, a, Op::On, h);
                    }
                    _ => {}
                }
                return;
            }
            let kw = self.keywords(n);
            let pos = self.positional(n);
            match attr {
                "include_router" | "register_blueprint" => {
                    let Some(child) = pos.first().copied() else {
                        return;
                    };
                    let key = if attr == "include_router" {
                        "prefix"
                    } else {
                        "url_prefix"
                    };
                    let prefix = kw.iter().find(|(k, _)| k == key).map(|(_, v)| *v);
                    let replaces = attr == "register_blueprint" && prefix.is_some();
                    let prefix = prefix.map_or(Str::lit(""), |p| self.str_of(p, 0));
                    self.mount(n, obj, child, prefix, replaces);
                    return;
                }
                "mount" => {
                    if let (Some(p), Some(child)) = (pos.first().copied(), pos.get(1).copied()) {
                        let prefix = self.str_of(p, 0);
                        self.mount(n, obj, child, prefix, false);
                    }
                    return;
                }
                "add_url_rule" | "add_api_route" => {
                    let Some(path_arg) = pos.first().copied().or_else(|| {
                        kw.iter()
                            .find(|(k, _)| k == "rule" || k == "path")
                            .map(|(_, v)| *v)
                    }) else {
                        return;
                    };
                    let view = kw
                        .iter()
                        .find(|(k, _)| k == "view_func" || k == "endpoint")
                        .map(|(_, v)| *v)
                        .or_else(|| pos.get(if attr == "add_url_rule" { 2 } else { 1 }).copied());
                    let handler = view.and_then(|v| match v.kind() {
                        "identifier" => Some(Handler::function(self.text(v))),
                        "attribute" => Some(Handler {
                            owner: v
                                .child_by_field_name("object")
                                .map(|o| self.text(o).to_string()),
                            name: v
                                .child_by_field_name("attribute")
                                .map(|a| self.text(a).to_string())
                                .unwrap_or_default(),
                            owner_is_type: false,
                        }),
                        _ => None,
                    });
                    let methods = match kw.iter().find(|(k, _)| k == "methods") {
                        Some((_, m)) => self.methods(*m),
                        None => vec!["GET".to_string()],
                    };
                    let Some(on) = self.receiver(obj) else { return };
                    let path = self.str_of(path_arg, 0);
                    self.facts.routes.push(RawRoute {
                        on,
                        methods: Methods::Fixed(methods),
                        path,
                        handler,
                        framework: None,
                        version: None,
                        line,
                        col,
                        code: snippet(self.text(n)),
                    });
                    return;
                }
                _ => {}
            }
        }
        // `register_routes(app)`: the function's parameter is that router.
        let args = self.positional(n);
        let mut routers = Vec::new();
        for (i, a) in args.iter().enumerate() {
            if a.kind() == "identifier" {
                if let Some(v @ (Value::Node(_) | Value::Import(_))) = self.eval(*a, 0) {
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

    fn mount(&mut self, n: Node<'t>, obj: Node<'t>, child: Node<'t>, prefix: Str, replaces: bool) {
        let Some(parent) = self.receiver(obj) else {
            return;
        };
        let Some(child) = self.receiver(child) else {
            return;
        };
        let (line, col) = self.src.pos(n);
        self.facts.mounts.push(RawMount {
            parent,
            prefix,
            child,
            replaces_prefix: replaces,
            prefix_or_child: false,
            call: false,
            line,
            col,
            code: snippet(self.text(n)),
        });
    }

    fn event(&mut self, n: Node<'t>, name: Node<'t>, op: Op, handler: Option<Handler>) {
        let name = self.str_of(name, 0);
        if matches!(&name, Str::Lit(s) if matches!(s.as_str(), "connect" | "disconnect" | "message" | "json"))
        {
            return;
        }
        let (line, col) = self.src.pos(n);
        let around = self.enclosing(n);
        let (handler, registered_in) = match (op, handler) {
            (Op::On, Some(h)) => (Some(h), around),
            _ => (around, None),
        };
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
    }

    /// Every module-level name can be imported from the module.
    fn exports(&mut self) {
        let names: Vec<(String, Binding<'t>)> = self
            .bindings
            .iter()
            .filter(|((scope, _), _)| *scope == 0)
            .map(|((_, name), b)| (name.clone(), b.clone()))
            .collect();
        for (name, b) in names {
            let v = match b {
                Binding::Value(v) => Some(v),
                Binding::Alias(a, scopes) => {
                    self.alias_scopes = Some(scopes);
                    let v = self.constructor(a, &name).or_else(|| self.eval(a, 0));
                    self.alias_scopes = None;
                    v
                }
                _ => None,
            };
            if let Some(v) = v {
                self.facts.exports.insert(name, v);
            }
        }
    }
}

fn import<'t>(spec: &str, name: &str) -> Binding<'t> {
    Binding::Value(Value::Import(ImportRef {
        spec: spec.to_string(),
        name: name.to_string(),
    }))
}

/// A string literal's text (for `methods=[...]`).
fn literal(src: &Src<'_>, n: Node<'_>) -> String {
    named(n)
        .into_iter()
        .filter(|c| c.kind() == "string_content")
        .map(|c| src.of(c))
        .collect()
}
