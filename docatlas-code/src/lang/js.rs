//! JavaScript and TypeScript: Express, Koa (`@koa/router`), Fastify and Hono routers and their
//! mounts, NestJS controllers and gateways, Socket.IO listeners and emits.
//!
//! Two passes over the tree: the first binds names (imports, router constructors, string
//! constants, functions and their parameters, exports), the second reads the calls and
//! decorators that register routes, mounts and events, evaluating their arguments with those
//! bindings. Only what a name is statically bound to is used: a receiver that is not a router
//! (an HTTP client's `api.get('/x', config)`) registers nothing.

use std::collections::HashMap;

use tree_sitter::Node;

use super::{children, named, pass, plus, preorder, scopes_in, Src, DEPTH};
use crate::facts::{
    snippet, Def, FileFacts, ImportRef, Methods, NestApp, NodeDecl, NodeKind, Op, RawEvent,
    RawMount, RawRoute, RawUnresolved, Side, Str, Value,
};
use crate::model::{Framework, Handler, UnresolvedKind};
use crate::normalize::ANY;

/// What a name is bound to in a scope.
#[derive(Debug, Clone)]
enum Binding<'t> {
    /// A known value.
    Value(Value),
    /// Another expression (`const r = app`), evaluated on use in the scopes it was written in.
    Alias(Node<'t>, Vec<usize>),
    /// Parameter `index` of function `func`; `typed` when annotated with a router type.
    Param {
        func: String,
        index: usize,
        typed: bool,
    },
    /// Bound, but to nothing the extractor follows: it shadows outer bindings.
    Other,
}

struct Js<'s, 't> {
    src: &'s Src<'s>,
    /// `(scope, name)`: the scope is the start byte of the enclosing function (0 for the
    /// module), or of the class for `this.x` fields; dotted names hold object members.
    bindings: HashMap<(usize, String), Binding<'t>>,
    /// Exported name → the local name (in module scope) or a value.
    exports: Vec<(String, Export<'t>)>,
    facts: FileFacts,
    /// The file imports a Socket.IO server or client, or `@nestjs/websockets`.
    socket_context: bool,
    /// The file imports Node's own sockets (`net`, `tls`, `ws`, `dgram`): `socket.on('data')` is
    /// not Socket.IO.
    raw_sockets: bool,
    /// The ancestors of the node being read, root first.
    cx: Vec<Node<'t>>,
    /// While an alias is evaluated: the scopes it was written in.
    alias_scopes: Option<Vec<usize>>,
}

/// Nodes whose handling reads scopes or enclosing classes (the others skip copying ancestors).
fn needs_context(kind: &str) -> bool {
    matches!(
        kind,
        "variable_declarator"
            | "assignment_expression"
            | "public_field_definition"
            | "field_definition"
            | "function_declaration"
            | "generator_function_declaration"
            | "enum_declaration"
            | "export_statement"
            | "call_expression"
            | "class_declaration"
            | "class"
            | "return_statement"
            | "arrow_function"
            | "method_definition"
    )
}

#[derive(Debug, Clone)]
enum Export<'t> {
    Local(String),
    Expr(Node<'t>),
    Value(Value),
}

/// Extracts one JavaScript or TypeScript file.
pub(crate) fn extract(src: &Src<'_>, root: Node<'_>, rel: &str) -> FileFacts {
    let mut js = Js {
        src,
        bindings: HashMap::new(),
        exports: Vec::new(),
        facts: FileFacts::default(),
        socket_context: false,
        raw_sockets: false,
        cx: Vec::new(),
        alias_scopes: None,
    };
    pass(
        root,
        &mut js,
        |x| &mut x.cx,
        needs_context,
        |x, n| x.bind(n),
    );
    if js.facts.side == Side::Unknown && (rel.ends_with(".tsx") || rel.ends_with(".jsx")) {
        // Components render in the browser: their sockets are clients.
        js.facts.side = Side::Client;
    }
    pass(
        root,
        &mut js,
        |x| &mut x.cx,
        needs_context,
        |x, n| x.visit(n),
    );
    js.finish_exports();
    js.facts
}

fn is_function(kind: &str) -> bool {
    matches!(
        kind,
        "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "method_definition"
            | "generator_function_declaration"
            | "generator_function"
    )
}

fn func_key(n: Node<'_>) -> String {
    format!("f@{}", n.start_byte())
}

/// A string literal's value (`'x'`, `"x"`, a template without substitutions).
fn literal(src: &Src<'_>, n: Node<'_>) -> Option<String> {
    match n.kind() {
        "string" => {
            let raw = src.of(n);
            Some(unquote(raw))
        }
        "template_string" => {
            if named(n).iter().any(|c| c.kind() == "template_substitution") {
                return None;
            }
            let raw = src.of(n);
            Some(raw.trim_matches('`').to_string())
        }
        _ => None,
    }
}

/// The text inside quotes, with the common escapes undone.
pub(crate) fn unquote(raw: &str) -> String {
    let inner = raw
        .strip_prefix(['\'', '"', '`'])
        .and_then(|s| s.strip_suffix(['\'', '"', '`']))
        .unwrap_or(raw);
    inner
        .replace("\\/", "/")
        .replace("\\'", "'")
        .replace("\\\"", "\"")
}

/// The name a module specifier gives a well-known import, for telling router constructors.
fn module_role(spec: &str, name: &str) -> Option<(NodeKind, Framework)> {
    let name = name
        .strip_prefix("default.")
        .or_else(|| name.strip_prefix("*."))
        .unwrap_or(name);
    match (spec, name) {
        ("express", "default" | "*") => Some((NodeKind::App, Framework::Express)),
        ("express", "Router") => Some((NodeKind::Router, Framework::Express)),
        ("koa", "default" | "*" | "Koa") => Some((NodeKind::App, Framework::Koa)),
        ("@koa/router" | "koa-router", "default" | "*" | "Router") => {
            Some((NodeKind::Router, Framework::Koa))
        }
        ("fastify", "default" | "*" | "fastify" | "Fastify") => {
            Some((NodeKind::App, Framework::Fastify))
        }
        ("hono", "Hono") | ("@hono/zod-openapi", "OpenAPIHono") => {
            Some((NodeKind::App, Framework::Hono))
        }
        _ => None,
    }
}

/// TypeScript types that say a parameter is a router.
fn router_type(t: &str) -> bool {
    let t = t.trim().trim_start_matches(':').trim();
    let base = t.split('<').next().unwrap_or(t).trim();
    let last = base.rsplit('.').next().unwrap_or(base);
    matches!(
        last,
        "Router"
            | "IRouter"
            | "Express"
            | "Application"
            | "FastifyInstance"
            | "Hono"
            | "OpenAPIHono"
            | "KoaRouter"
            | "Koa"
    )
}

/// Socket.IO's own events, never an application's.
fn reserved_event(name: &str) -> bool {
    matches!(
        name,
        "connect"
            | "connection"
            | "disconnect"
            | "disconnecting"
            | "connect_error"
            | "connect_timeout"
            | "error"
            | "reconnect"
            | "reconnect_attempt"
            | "reconnecting"
            | "reconnect_error"
            | "reconnect_failed"
            | "newListener"
            | "removeListener"
            // Node streams and sockets.
            | "data"
            | "end"
            | "close"
            | "finish"
            | "drain"
            | "readable"
            | "timeout"
            | "listening"
            | "lookup"
            | "ready"
            | "pipe"
            | "unpipe"
            | "exit"
    )
}

impl<'s, 't> Js<'s, 't> {
    fn text(&self, n: Node<'_>) -> &'s str {
        self.src.of(n)
    }

    /// The scope the current node is in: the nearest enclosing function's start, or 0.
    fn scope_of(&self, _n: Node<'t>) -> usize {
        self.cx
            .iter()
            .rev()
            .find(|a| is_function(a.kind()))
            .map_or(0, |a| a.start_byte())
    }

    /// Every scope a name used at the current node may be bound in, innermost first.
    fn scopes(&self, _n: Node<'t>) -> Vec<usize> {
        match &self.alias_scopes {
            Some(s) => s.clone(),
            None => scopes_in(&self.cx, is_function),
        }
    }

    /// The class enclosing the current node, for `this.x`.
    fn class_of(&self, _n: Node<'t>) -> Option<Node<'t>> {
        self.cx
            .iter()
            .rev()
            .find(|a| matches!(a.kind(), "class_declaration" | "class"))
            .copied()
    }

    fn bind_at(&mut self, scope: usize, name: &str, b: Binding<'t>) {
        // The first binding wins: a later `router = somethingElse` does not unbind a router.
        self.bindings.entry((scope, name.to_string())).or_insert(b);
    }

    fn lookup(&self, n: Node<'t>, name: &str) -> Option<&Binding<'t>> {
        if let Some(field) = name.strip_prefix("this.") {
            let class = self.class_of(n)?;
            return self
                .bindings
                .get(&(class.start_byte(), format!("this.{field}")));
        }
        self.scopes(n)
            .into_iter()
            .find_map(|s| self.bindings.get(&(s, name.to_string())))
    }

    // ---- pass 1: bindings -------------------------------------------------------------------

    fn bind(&mut self, n: Node<'t>) {
        match n.kind() {
            "import_statement" => self.bind_import(n),
            "variable_declarator" => {
                let (Some(name), value) = (
                    n.child_by_field_name("name"),
                    n.child_by_field_name("value"),
                ) else {
                    return;
                };
                let scope = self.scope_of(n);
                self.bind_pattern(scope, name, value);
            }
            "assignment_expression" => {
                let (Some(left), Some(right)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) else {
                    return;
                };
                let target = self.text(left);
                if target == "module.exports" || target == "exports" {
                    self.exports.push(("default".into(), Export::Expr(right)));
                    if right.kind() == "object" {
                        for (k, v) in self.object_entries(right) {
                            self.exports.push((k, Export::Expr(v)));
                        }
                    }
                } else if let Some(name) = target
                    .strip_prefix("module.exports.")
                    .or_else(|| target.strip_prefix("exports."))
                {
                    self.exports.push((name.to_string(), Export::Expr(right)));
                } else if target.starts_with("this.") && left.kind() == "member_expression" {
                    if let Some(class) = self.class_of(n) {
                        let scopes = self.scopes(n);
                        self.bind_at(class.start_byte(), target, Binding::Alias(right, scopes));
                    }
                } else if left.kind() == "identifier" {
                    let scope = self.scope_of(n);
                    let scopes = self.scopes(n);
                    self.bind_at(scope, target, Binding::Alias(right, scopes));
                }
            }
            "public_field_definition" | "field_definition" => {
                let name = n
                    .child_by_field_name("name")
                    .or_else(|| n.child_by_field_name("property"));
                if let (Some(name), Some(value), Some(class)) =
                    (name, n.child_by_field_name("value"), self.class_of(n))
                {
                    let key = format!("this.{}", self.text(name));
                    let scopes = self.scopes(n);
                    self.bind_at(class.start_byte(), &key, Binding::Alias(value, scopes));
                }
            }
            "class_declaration" => {
                // A class is no router or string: a name bound to it shadows nothing else.
                if let Some(name) = n.child_by_field_name("name") {
                    let scope = self.scope_of(n);
                    let name = self.text(name).to_string();
                    self.bind_at(
                        scope,
                        &name,
                        Binding::Value(Value::Func(format!("class@{}", n.start_byte()))),
                    );
                }
            }
            "function_declaration" | "generator_function_declaration" => {
                if let Some(name) = n.child_by_field_name("name") {
                    let scope = self.scope_of(n);
                    let name = self.text(name).to_string();
                    self.bind_at(scope, &name, Binding::Value(Value::Func(func_key(n))));
                }
                self.bind_params(n);
            }
            "function_expression"
            | "function"
            | "arrow_function"
            | "method_definition"
            | "generator_function" => self.bind_params(n),
            "enum_declaration" => {
                let (Some(name), Some(body)) =
                    (n.child_by_field_name("name"), n.child_by_field_name("body"))
                else {
                    return;
                };
                let scope = self.scope_of(n);
                let en = self.text(name).to_string();
                for m in named(body) {
                    if m.kind() == "enum_assignment" {
                        if let (Some(k), Some(v)) = (
                            m.child_by_field_name("name"),
                            m.child_by_field_name("value"),
                        ) {
                            if let Some(s) = literal(self.src, v) {
                                let key = format!("{en}.{}", self.text(k));
                                self.bind_at(scope, &key, Binding::Value(Value::Str(Str::Lit(s))));
                            }
                        }
                    }
                }
            }
            "export_statement" => self.bind_export(n),
            _ => {}
        }
    }

    fn bind_import(&mut self, n: Node<'t>) {
        let Some(source) = n.child_by_field_name("source") else {
            return;
        };
        let spec = unquote(self.text(source));
        self.note_import(&spec);
        for clause in named(n).into_iter().filter(|c| c.kind() == "import_clause") {
            for part in named(clause) {
                match part.kind() {
                    "identifier" => {
                        let local = self.text(part).to_string();
                        self.bind_import_name(&local, &spec, "default");
                    }
                    "namespace_import" => {
                        if let Some(id) = named(part).into_iter().find(|c| c.kind() == "identifier")
                        {
                            let local = self.text(id).to_string();
                            self.bind_import_name(&local, &spec, "*");
                        }
                    }
                    "named_imports" => {
                        for s in named(part)
                            .into_iter()
                            .filter(|c| c.kind() == "import_specifier")
                        {
                            let Some(name) = s.child_by_field_name("name") else {
                                continue;
                            };
                            let local = s.child_by_field_name("alias").unwrap_or(name);
                            let (name, local) =
                                (self.text(name).to_string(), self.text(local).to_string());
                            self.bind_import_name(&local, &spec, &name);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    fn note_import(&mut self, spec: &str) {
        match spec {
            "socket.io" | "@nestjs/websockets" | "@nestjs/platform-socket.io" => {
                self.socket_context = true;
                self.facts.side = Side::Server;
            }
            "socket.io-client" => {
                self.socket_context = true;
                self.facts.side = Side::Client;
            }
            "net" | "node:net" | "tls" | "node:tls" | "ws" | "dgram" | "node:dgram" => {
                self.raw_sockets = true
            }
            // UI code runs in the browser: its sockets are clients.
            "react" | "react-dom" | "react-native" | "preact" | "vue" | "svelte" | "solid-js"
            | "@angular/core"
                if self.facts.side == Side::Unknown =>
            {
                self.facts.side = Side::Client;
            }
            _ => {}
        }
        if !self.facts.imports.iter().any(|s| s == spec) {
            self.facts.imports.push(spec.to_string());
        }
    }

    fn bind_import_name(&mut self, local: &str, spec: &str, name: &str) {
        let v = Value::Import(ImportRef {
            spec: spec.to_string(),
            name: name.to_string(),
        });
        self.bind_at(0, local, Binding::Value(v));
    }

    /// Binds the names a declaration's left side introduces.
    fn bind_pattern(&mut self, scope: usize, name: Node<'t>, value: Option<Node<'t>>) {
        match name.kind() {
            "identifier" => {
                let local = self.text(name).to_string();
                let Some(value) = value else {
                    self.bind_at(scope, &local, Binding::Other);
                    return;
                };
                if let Some(spec) = self.require_spec(value) {
                    self.note_import(&spec);
                }
                let value = strip_wrappers(value);
                if value.kind() == "object" {
                    for (k, v) in self.object_entries_deep(value, 0) {
                        if let Some(s) = literal(self.src, v) {
                            self.bind_at(
                                scope,
                                &format!("{local}.{k}"),
                                Binding::Value(Value::Str(Str::Lit(s))),
                            );
                        }
                    }
                    self.bind_at(scope, &local, Binding::Other);
                    return;
                }
                if let Some(v) = self.constructor(value, &local) {
                    self.bind_at(scope, &local, Binding::Value(v));
                } else {
                    let scopes = self.scopes(name);
                    self.bind_at(scope, &local, Binding::Alias(value, scopes));
                }
            }
            "object_pattern" => {
                // `const { Router } = require('express')`, `const { a: b } = require('./x')`.
                let Some(value) = value else { return };
                let Some(spec) = self.require_spec(value) else {
                    return;
                };
                self.note_import(&spec);
                for p in named(name) {
                    let (key, local) = match p.kind() {
                        "shorthand_property_identifier_pattern" => (self.text(p), self.text(p)),
                        "pair_pattern" => {
                            match (p.child_by_field_name("key"), p.child_by_field_name("value")) {
                                (Some(k), Some(v)) if v.kind() == "identifier" => {
                                    (self.text(k), self.text(v))
                                }
                                _ => continue,
                            }
                        }
                        _ => continue,
                    };
                    let (key, local) = (key.to_string(), local.to_string());
                    self.bind_import_name(&local, &spec, &key);
                }
            }
            _ => {}
        }
    }

    /// `require('x')` / `await import('x')` → `x`.
    fn require_spec(&self, n: Node<'t>) -> Option<String> {
        let n = strip_wrappers(n);
        if n.kind() != "call_expression" {
            return None;
        }
        let f = n.child_by_field_name("function")?;
        if !(f.kind() == "import" || (f.kind() == "identifier" && self.text(f) == "require")) {
            return None;
        }
        let args = n.child_by_field_name("arguments")?;
        let first = named(args).into_iter().next()?;
        literal(self.src, first)
    }

    fn bind_params(&mut self, f: Node<'t>) {
        let key = func_key(f);
        let scope = f.start_byte();
        let params: Vec<Node<'t>> = match f.child_by_field_name("parameters") {
            Some(p) => named(p),
            None => f.child_by_field_name("parameter").into_iter().collect(),
        };
        let mut index = 0usize;
        for p in params {
            let (id, typed) = match p.kind() {
                "identifier" => (Some(p), false),
                "required_parameter" | "optional_parameter" => (
                    p.child_by_field_name("pattern")
                        .filter(|x| x.kind() == "identifier"),
                    p.child_by_field_name("type")
                        .is_some_and(|t| router_type(self.text(t))),
                ),
                "assignment_pattern" => (
                    p.child_by_field_name("left")
                        .filter(|x| x.kind() == "identifier"),
                    false,
                ),
                "decorator" | "comment" => continue,
                _ => (None, false),
            };
            if let Some(id) = id {
                let name = self.text(id).to_string();
                self.bind_at(
                    scope,
                    &name,
                    Binding::Param {
                        func: key.clone(),
                        index,
                        typed,
                    },
                );
            }
            index = index.saturating_add(1);
        }
    }

    fn bind_export(&mut self, n: Node<'t>) {
        let is_default = children(n).iter().any(|c| c.kind() == "default");
        let source = n
            .child_by_field_name("source")
            .map(|s| unquote(self.text(s)));
        if let Some(spec) = &source {
            self.note_import(spec);
        }
        if let Some(decl) = n.child_by_field_name("declaration") {
            match decl.kind() {
                "lexical_declaration" | "variable_declaration" => {
                    for d in named(decl)
                        .into_iter()
                        .filter(|d| d.kind() == "variable_declarator")
                    {
                        if let Some(name) = d
                            .child_by_field_name("name")
                            .filter(|x| x.kind() == "identifier")
                        {
                            let name = self.text(name).to_string();
                            self.exports.push((name.clone(), Export::Local(name)));
                        }
                    }
                }
                "function_declaration"
                | "generator_function_declaration"
                | "class_declaration"
                | "enum_declaration" => {
                    if let Some(name) = decl.child_by_field_name("name") {
                        let name = self.text(name).to_string();
                        let export = if is_default {
                            "default".to_string()
                        } else {
                            name.clone()
                        };
                        self.exports.push((export, Export::Local(name)));
                    } else if is_default {
                        self.exports
                            .push(("default".into(), Export::Value(Value::Func(func_key(decl)))));
                    }
                }
                _ => {}
            }
            return;
        }
        if let Some(value) = n.child_by_field_name("value") {
            self.exports.push(("default".into(), Export::Expr(value)));
            return;
        }
        let mut listed = false;
        for c in named(n) {
            match c.kind() {
                "export_clause" => {
                    listed = true;
                    for s in named(c)
                        .into_iter()
                        .filter(|s| s.kind() == "export_specifier")
                    {
                        let Some(name) = s.child_by_field_name("name") else {
                            continue;
                        };
                        let alias = s.child_by_field_name("alias").unwrap_or(name);
                        let (name, alias) =
                            (self.text(name).to_string(), self.text(alias).to_string());
                        let e = match &source {
                            Some(spec) => Export::Value(Value::Import(ImportRef {
                                spec: spec.clone(),
                                name,
                            })),
                            None => Export::Local(name),
                        };
                        self.exports.push((alias, e));
                    }
                }
                // `export default function (app) {...}`, `export default router` in some grammars.
                "function_expression" | "arrow_function" | "function" if is_default => {
                    self.exports
                        .push(("default".into(), Export::Value(Value::Func(func_key(c)))));
                }
                "identifier" | "call_expression" | "new_expression" | "member_expression"
                | "object"
                    if is_default =>
                {
                    self.exports.push(("default".into(), Export::Expr(c)));
                }
                _ => {}
            }
        }
        if !listed && !is_default {
            if let Some(spec) = source {
                // `export * from './x'`: every name of ./x.
                self.exports.push((
                    format!("*{spec}"),
                    Export::Value(Value::Import(ImportRef {
                        spec,
                        name: "*".into(),
                    })),
                ));
            }
        }
    }

    /// The `key: value` pairs (and `{ key }` shorthands) of an object literal.
    fn object_entries(&self, obj: Node<'t>) -> Vec<(String, Node<'t>)> {
        let mut out = Vec::new();
        for p in named(obj) {
            match p.kind() {
                "pair" => {
                    if let (Some(k), Some(v)) =
                        (p.child_by_field_name("key"), p.child_by_field_name("value"))
                    {
                        let key = literal(self.src, k).unwrap_or_else(|| self.text(k).to_string());
                        out.push((key, v));
                    }
                }
                "shorthand_property_identifier" => out.push((self.text(p).to_string(), p)),
                _ => {}
            }
        }
        out
    }

    /// Object members at any depth, keyed `A.B.C`.
    fn object_entries_deep(&self, obj: Node<'t>, depth: usize) -> Vec<(String, Node<'t>)> {
        let mut out = Vec::new();
        if depth > 4 {
            return out;
        }
        for (k, v) in self.object_entries(obj) {
            let inner = strip_wrappers(v);
            if inner.kind() == "object" {
                for (k2, v2) in self.object_entries_deep(inner, depth.saturating_add(1)) {
                    out.push((format!("{k}.{k2}"), v2));
                }
            } else {
                out.push((k, inner));
            }
        }
        out
    }

    /// A router made by a constructor call: `express()`, `express.Router()`, `new Router(...)`,
    /// `fastify()`, `new Hono()`. Declares the node, keyed by the variable it is bound to.
    fn constructor(&mut self, value: Node<'t>, local: &str) -> Option<Value> {
        if !matches!(value.kind(), "call_expression" | "new_expression") {
            return None;
        }
        let callee = value
            .child_by_field_name("function")
            .or_else(|| value.child_by_field_name("constructor"))?;
        let (spec, name) = self.import_of(callee, 0)?;
        let (kind, framework) = module_role(&spec, &name)?;
        let mut prefixes = Vec::new();
        if let Some(args) = value.child_by_field_name("arguments") {
            if let Some(opts) = named(args)
                .into_iter()
                .next()
                .filter(|o| o.kind() == "object")
            {
                for (k, v) in self.object_entries(opts) {
                    if k == "prefix" {
                        prefixes.push(self.str_of(v, 0));
                    }
                }
            }
        }
        let (line, col) = self.src.pos(value);
        Some(self.facts.node(NodeDecl {
            key: format!("{local}@{}", value.start_byte()),
            label: local.to_string(),
            kind,
            framework: Some(framework),
            prefixes,
            escapes: false,
            nest: false,
            line,
            col,
        }))
    }

    /// The import a callee names, from bindings made so far: `express`, `express.Router`,
    /// `Router`, `require('express').Router`, `require('fastify')`.
    fn import_of(&self, callee: Node<'t>, depth: usize) -> Option<(String, String)> {
        if depth > DEPTH {
            return None;
        }
        match callee.kind() {
            "identifier" => match self.bindings.get(&(0, self.text(callee).to_string()))? {
                Binding::Value(Value::Import(r)) => Some((r.spec.clone(), r.name.clone())),
                Binding::Alias(a, _) => {
                    let a = *a;
                    self.import_of(a, depth.saturating_add(1))
                }
                _ => None,
            },
            "member_expression" => {
                let obj = callee.child_by_field_name("object")?;
                let prop = self.text(callee.child_by_field_name("property")?);
                let (spec, name) = self.import_of(obj, depth.saturating_add(1))?;
                Some((spec, format!("{name}.{prop}")))
            }
            "call_expression" => self
                .require_spec(callee)
                .map(|s| (s, "default".to_string())),
            "parenthesized_expression" | "await_expression" => {
                self.import_of(named(callee).into_iter().next()?, depth.saturating_add(1))
            }
            _ => None,
        }
    }

    // ---- evaluation -------------------------------------------------------------------------

    /// What an expression denotes.
    fn eval(&mut self, n: Node<'t>, depth: usize) -> Option<Value> {
        if depth > DEPTH {
            return None;
        }
        let n = strip_wrappers(n);
        let d = depth.saturating_add(1);
        match n.kind() {
            "identifier" | "this" | "shorthand_property_identifier" => {
                self.eval_name(n, self.text(n).to_string(), d)
            }
            "member_expression" => {
                if let Some(path) = dotted(self.src, n) {
                    if self.lookup(n, &path).is_some() {
                        return self.eval_name(n, path, d);
                    }
                }
                let obj = n.child_by_field_name("object")?;
                let prop = self.text(n.child_by_field_name("property")?).to_string();
                match self.eval(obj, d)? {
                    Value::Import(r) => Some(Value::Import(ImportRef {
                        name: match r.name.as_str() {
                            "*" => prop,
                            base => format!("{base}.{prop}"),
                        },
                        spec: r.spec,
                    })),
                    _ => None,
                }
            }
            "call_expression" => {
                if let Some(spec) = self.require_spec(n) {
                    return Some(Value::Import(ImportRef {
                        spec,
                        name: "default".into(),
                    }));
                }
                let callee = n.child_by_field_name("function")?;
                if callee.kind() == "member_expression" {
                    let prop = callee.child_by_field_name("property").map(|p| self.text(p));
                    if matches!(prop, Some("routes" | "middleware")) {
                        // Koa: `app.use(router.routes())`.
                        return self.eval(callee.child_by_field_name("object")?, d);
                    }
                }
                let args = n
                    .child_by_field_name("arguments")
                    .map(named)
                    .unwrap_or_default();
                let callee_text = self.text(callee);
                if matches!(callee_text, "fp" | "fastifyPlugin") {
                    // fastify-plugin's wrapper returns the plugin itself.
                    return self.eval(*args.first()?, d);
                }
                match self.eval(callee, d)? {
                    v @ (Value::Func(_) | Value::Import(_) | Value::ReturnOf(_)) => {
                        Some(Value::ReturnOf(Box::new(v)))
                    }
                    _ => None,
                }
            }
            "arrow_function" | "function_expression" | "function" => Some(Value::Func(func_key(n))),
            "string" | "template_string" | "binary_expression" => {
                Some(Value::Str(self.str_of(n, d)))
            }
            _ => None,
        }
    }

    fn eval_name(&mut self, at: Node<'t>, name: String, depth: usize) -> Option<Value> {
        match self.lookup(at, &name)?.clone() {
            Binding::Value(v) => Some(v),
            Binding::Alias(a, scopes) => {
                if let Some(v) = self.constructor(a, &name) {
                    return Some(v);
                }
                let saved = self.alias_scopes.replace(scopes);
                let v = self.eval(a, depth);
                self.alias_scopes = saved;
                v
            }
            Binding::Param { func, index, typed } => {
                let (pos, label) = (self.src.pos(at), self.text(at));
                Some(
                    self.facts
                        .node(NodeDecl::param(&func, index, typed, None, label, pos)),
                )
            }
            Binding::Other => None,
        }
    }

    /// A string expression.
    fn str_of(&mut self, n: Node<'t>, depth: usize) -> Str {
        let n = strip_wrappers(n);
        if depth > DEPTH {
            return Str::Dynamic(snippet(self.text(n)));
        }
        if let Some(s) = literal(self.src, n) {
            return Str::Lit(s);
        }
        let d = depth.saturating_add(1);
        match n.kind() {
            "template_string" => {
                let mut parts = Vec::new();
                let raw = self.text(n);
                let base = n.start_byte();
                let mut at = base.saturating_add(1);
                for sub in named(n)
                    .into_iter()
                    .filter(|c| c.kind() == "template_substitution")
                {
                    let lit = raw
                        .get(at.saturating_sub(base)..sub.start_byte().saturating_sub(base))
                        .unwrap_or("");
                    if !lit.is_empty() {
                        parts.push(Str::lit(lit));
                    }
                    match named(sub).into_iter().next() {
                        Some(e) => parts.push(self.str_of(e, d)),
                        None => parts.push(Str::Dynamic(snippet(raw))),
                    }
                    at = sub.end_byte();
                }
                let tail = raw
                    .get(at.saturating_sub(base)..raw.len().saturating_sub(1))
                    .unwrap_or("");
                if !tail.is_empty() {
                    parts.push(Str::lit(tail));
                }
                if parts.iter().any(|p| matches!(p, Str::Dynamic(_))) {
                    return Str::Dynamic(snippet(raw));
                }
                Str::Concat(parts)
            }
            "binary_expression" => {
                let src = self.src;
                plus(src, n, |x| self.str_of(x, d))
            }
            "identifier" | "member_expression" => match self.eval(n, d) {
                Some(Value::Str(s)) => s,
                Some(Value::Import(r)) => Str::Import(r),
                _ => Str::Dynamic(snippet(self.text(n))),
            },
            _ => Str::Dynamic(snippet(self.text(n))),
        }
    }

    // ---- pass 2: routes, mounts, events -----------------------------------------------------

    fn visit(&mut self, n: Node<'t>) {
        match n.kind() {
            "call_expression" => self.call(n),
            "class_declaration" | "class" => self.class(n),
            "return_statement" => {
                let f = self
                    .cx
                    .iter()
                    .rev()
                    .find(|a| is_function(a.kind()))
                    .copied();
                if let (Some(e), Some(f)) = (named(n).into_iter().next(), f) {
                    self.returns(f, e);
                }
            }
            "arrow_function" => {
                if let Some(body) = n
                    .child_by_field_name("body")
                    .filter(|b| b.kind() != "statement_block")
                {
                    // The body is read in the arrow's own scope.
                    self.cx.push(n);
                    self.returns(n, body);
                    self.cx.pop();
                }
            }
            _ => {}
        }
        self.def(n);
    }

    fn returns(&mut self, f: Node<'t>, e: Node<'t>) {
        if let Some(v) = self.eval(e, 0) {
            self.facts.returned(func_key(f), v);
        }
    }

    fn def(&mut self, n: Node<'t>) {
        let (name, owner) = match n.kind() {
            "function_declaration" | "generator_function_declaration" | "class_declaration" => {
                (n.child_by_field_name("name"), None)
            }
            "method_definition" => (
                n.child_by_field_name("name"),
                self.class_of(n)
                    .and_then(|c| c.child_by_field_name("name"))
                    .map(|c| self.text(c).to_string()),
            ),
            "variable_declarator" => match n.child_by_field_name("value").map(strip_wrappers) {
                Some(v)
                    if matches!(
                        v.kind(),
                        "arrow_function" | "function_expression" | "function"
                    ) =>
                {
                    (n.child_by_field_name("name"), None)
                }
                _ => (None, None),
            },
            "public_field_definition" | "field_definition" => {
                match n.child_by_field_name("value").map(strip_wrappers) {
                    Some(v) if matches!(v.kind(), "arrow_function" | "function_expression") => (
                        n.child_by_field_name("name")
                            .or_else(|| n.child_by_field_name("property")),
                        self.class_of(n)
                            .and_then(|c| c.child_by_field_name("name"))
                            .map(|c| self.text(c).to_string()),
                    ),
                    _ => (None, None),
                }
            }
            _ => (None, None),
        };
        if let Some(name) = name {
            let (line, _) = self.src.pos(name);
            self.facts.defs.push(Def {
                name: self.text(name).to_string(),
                owner,
                line,
            });
        }
    }

    fn call(&mut self, n: Node<'t>) {
        let Some(callee) = n.child_by_field_name("function") else {
            return;
        };
        let args = n
            .child_by_field_name("arguments")
            .map(named)
            .unwrap_or_default();
        if callee.kind() == "member_expression" {
            let (Some(obj), Some(prop)) = (
                callee.child_by_field_name("object"),
                callee.child_by_field_name("property"),
            ) else {
                return;
            };
            let prop = self.text(prop);
            if self.member_call(n, obj, prop, &args) {
                return;
            }
        }
        self.call_mount(n, callee, &args);
    }

    /// `recv.prop(args)`: a route, a mount, an event or a Nest bootstrap call. True if it was one.
    fn member_call(&mut self, n: Node<'t>, obj: Node<'t>, prop: &str, args: &[Node<'t>]) -> bool {
        let method = match prop {
            "get" | "post" | "put" | "delete" | "patch" | "head" | "options" => {
                Some(prop.to_ascii_uppercase())
            }
            "del" => Some("DELETE".to_string()),
            "all" => Some(ANY.to_string()),
            _ => None,
        };
        if let Some(method) = method {
            return self.route_call(n, obj, method, args);
        }
        match prop {
            "route" if args.len() == 1 && args.first().is_some_and(|a| a.kind() == "object") => {
                self.fastify_route(n, obj, args)
            }
            "route" if args.len() == 2 => self.mount(n, obj, args, false),
            "use" => self.mount(n, obj, args, true),
            "register" => self.fastify_register(n, obj, args),
            "on" | "once" | "addListener" | "emit" | "emitWithAck" => {
                if prop == "on"
                    && args.len() >= 3
                    && self.framework_of(obj) == Some(Framework::Hono)
                {
                    // Hono: `app.on('GET', '/x', handler)`.
                    let m = args
                        .first()
                        .and_then(|a| literal(self.src, *a))
                        .unwrap_or_default();
                    return self.route_at(
                        n,
                        n,
                        obj,
                        vec![crate::normalize::method(&m)],
                        args.get(1..).unwrap_or(&[]),
                    );
                }
                let op = if prop.starts_with("emit") {
                    Op::Emit
                } else {
                    Op::On
                };
                self.socket_event(n, obj, op, args)
            }
            "setGlobalPrefix" => {
                let prefix = args.first().map(|a| self.str_of(*a, 0));
                let mut exclude = Vec::new();
                if let Some(opts) = args.get(1).filter(|o| o.kind() == "object") {
                    for (k, v) in self.object_entries(*opts) {
                        if k == "exclude" && v.kind() == "array" {
                            for e in named(v) {
                                if let Some(s) = literal(self.src, e) {
                                    exclude.push(s);
                                } else if e.kind() == "object" {
                                    for (k2, v2) in self.object_entries(e) {
                                        if k2 == "path" {
                                            exclude.extend(literal(self.src, v2));
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                self.nest_app(n, |app| {
                    app.prefix = prefix;
                    app.exclude = exclude;
                });
                true
            }
            "enableVersioning" => {
                let mut uri = false;
                let mut prefix = Str::lit("v");
                let mut default = None;
                if let Some(opts) = args.first().filter(|o| o.kind() == "object") {
                    for (k, v) in self.object_entries(*opts) {
                        match k.as_str() {
                            "type" => uri = self.text(v).ends_with("URI"),
                            "prefix" if self.text(v) == "false" => prefix = Str::lit(""),
                            "prefix" => prefix = self.str_of(v, 0),
                            "defaultVersion" => default = literal(self.src, v),
                            _ => {}
                        }
                    }
                }
                if uri {
                    self.nest_app(n, |app| app.versioning = Some((prefix, default)));
                }
                true
            }
            _ => false,
        }
    }

    /// The file's NestJS application (one per bootstrap file).
    fn nest_app(&mut self, at: Node<'t>, f: impl FnOnce(&mut NestApp)) {
        if self.facts.nest_apps.is_empty() {
            let (line, col) = self.src.pos(at);
            self.facts.nest_apps.push(NestApp {
                line,
                col,
                code: snippet(self.text(at)),
                ..NestApp::default()
            });
        }
        if let Some(app) = self.facts.nest_apps.last_mut() {
            f(app);
        }
    }

    /// The framework of the router `obj` evaluates to, if it is one declared here.
    fn framework_of(&mut self, obj: Node<'t>) -> Option<Framework> {
        match self.eval(obj, 0)? {
            Value::Node(k) => self.facts.nodes.iter().find(|d| d.key == k)?.framework,
            _ => None,
        }
    }

    /// True when `obj` evaluates to something that may be a router.
    fn is_router(&mut self, obj: Node<'t>) -> bool {
        matches!(
            self.eval(obj, 0),
            Some(Value::Node(_) | Value::Import(_) | Value::ReturnOf(_))
        )
    }

    /// `recv.get(path, ...handlers)` or `recv.route(path).get(handler)`.
    fn route_call(
        &mut self,
        n: Node<'t>,
        obj: Node<'t>,
        method: String,
        args: &[Node<'t>],
    ) -> bool {
        // `router.route('/x').get(h).post(h2)`: down the chain to the `.route(path)` call.
        let mut o = strip_wrappers(obj);
        for _ in 0..DEPTH {
            if o.kind() != "call_expression" {
                break;
            }
            let Some(f) = o
                .child_by_field_name("function")
                .filter(|f| f.kind() == "member_expression")
            else {
                break;
            };
            let p = f
                .child_by_field_name("property")
                .map(|p| self.text(p))
                .unwrap_or("");
            let inner_args = o
                .child_by_field_name("arguments")
                .map(named)
                .unwrap_or_default();
            if p == "route" && inner_args.len() == 1 {
                let Some(recv) = f.child_by_field_name("object") else {
                    return false;
                };
                if !self.is_router(recv) {
                    return false;
                }
                let Some(path_arg) = inner_args.first().copied() else {
                    return false;
                };
                let mut all = vec![path_arg];
                all.extend_from_slice(args);
                // A chain's routes are placed at their own `.get(`, not at the chain's start.
                let at = n
                    .child_by_field_name("function")
                    .and_then(|f| f.child_by_field_name("property"))
                    .unwrap_or(n);
                return self.route_at(at, n, recv, vec![method], &all);
            }
            if !matches!(
                p,
                "get" | "post" | "put" | "delete" | "patch" | "head" | "options" | "all"
            ) {
                break;
            }
            match f.child_by_field_name("object") {
                Some(inner) => o = strip_wrappers(inner),
                None => break,
            }
        }
        if args.len() < 2 {
            return false;
        }
        // Hono chains routes on what a route call returns: `books.get(...).post(...)`.
        let obj = if o.kind() == "call_expression" {
            obj
        } else {
            o
        };
        // Koa's named routes: `router.get('user', '/users/:id', handler)`.
        let args = match (
            args.first().and_then(|a| literal(self.src, *a)),
            args.get(1),
        ) {
            (Some(name), Some(second))
                if !name.starts_with('/')
                    && !name.is_empty()
                    && literal(self.src, *second).is_some_and(|p| p.starts_with('/')) =>
            {
                args.get(1..).unwrap_or(args)
            }
            _ => args,
        };
        if !self.is_router(obj) {
            return false;
        }
        self.route_at(n, n, obj, vec![method], args)
    }

    /// Records a route on `recv` with `args[0]` the path and the last argument the handler,
    /// placed at `at`.
    fn route_at(
        &mut self,
        at: Node<'t>,
        n: Node<'t>,
        recv: Node<'t>,
        methods: Vec<String>,
        args: &[Node<'t>],
    ) -> bool {
        let Some(on) = self.eval(recv, 0) else {
            return false;
        };
        let Some(path_arg) = args.first().copied() else {
            return false;
        };
        let handler = if args.len() > 1 {
            args.last().and_then(|h| self.handler(*h, 0))
        } else {
            None
        };
        let paths: Vec<Str> = if path_arg.kind() == "array" {
            named(path_arg)
                .into_iter()
                .map(|p| self.str_of(p, 0))
                .collect()
        } else {
            vec![self.str_of(path_arg, 0)]
        };
        let (line, col) = self.src.pos(at);
        for path in paths {
            self.facts.routes.push(RawRoute {
                on: on.clone(),
                methods: Methods::Fixed(methods.clone()),
                path,
                handler: handler.clone(),
                framework: None,
                version: None,
                line,
                col,
                code: snippet(self.text(n)),
            });
        }
        true
    }

    /// `fastify.route({ method, url, handler })`.
    fn fastify_route(&mut self, n: Node<'t>, obj: Node<'t>, args: &[Node<'t>]) -> bool {
        let Some(opts) = args.first().copied() else {
            return false;
        };
        if !self.is_router(obj) {
            return false;
        }
        let Some(on) = self.eval(obj, 0) else {
            return false;
        };
        let mut methods = Vec::new();
        let mut path = None;
        let mut handler = None;
        for (k, v) in self.object_entries(opts) {
            match k.as_str() {
                "method" => {
                    if v.kind() == "array" {
                        methods.extend(named(v).into_iter().filter_map(|m| literal(self.src, m)));
                    } else {
                        methods.extend(literal(self.src, v));
                    }
                }
                "url" | "path" => path = Some(self.str_of(v, 0)),
                "handler" => handler = self.handler(v, 0),
                _ => {}
            }
        }
        let Some(path) = path else { return false };
        if methods.is_empty() {
            methods.push(ANY.to_string());
        }
        let (line, col) = self.src.pos(n);
        self.facts.routes.push(RawRoute {
            on,
            methods: Methods::Fixed(
                methods
                    .iter()
                    .map(|m| crate::normalize::method(m))
                    .collect(),
            ),
            path,
            handler,
            framework: Some(Framework::Fastify),
            version: None,
            line,
            col,
            code: snippet(self.text(n)),
        });
        true
    }

    /// `app.use([prefix,] ...children)` (`optional_prefix`), Hono's `app.route(prefix, child)`.
    fn mount(
        &mut self,
        n: Node<'t>,
        obj: Node<'t>,
        args: &[Node<'t>],
        optional_prefix: bool,
    ) -> bool {
        if let Some(sets) = self.foreach_expansion(args) {
            let mut any = false;
            for set in sets {
                any |= self.mount_one(n, obj, &set, optional_prefix);
            }
            return any;
        }
        self.mount_one(n, obj, args, optional_prefix)
    }

    /// `ROUTES.forEach((r) => router.use(r.path, r.route))` over a literal array of objects
    /// (`const ROUTES = [{ path: '/auth', route: authRoute }]`): the call's arguments once per
    /// element, `r.key` replaced by the element's value.
    fn foreach_expansion(&self, args: &[Node<'t>]) -> Option<Vec<Vec<Node<'t>>>> {
        let i = self.cx.iter().rposition(|a| is_function(a.kind()))?;
        let f = *self.cx.get(i)?;
        let call = *self.cx.get(i.checked_sub(2)?)?;
        if self.cx.get(i.checked_sub(1)?)?.kind() != "arguments" || call.kind() != "call_expression"
        {
            return None;
        }
        let callee = call
            .child_by_field_name("function")
            .filter(|c| c.kind() == "member_expression")?;
        let method = self.text(callee.child_by_field_name("property")?);
        if !matches!(method, "forEach" | "map") {
            return None;
        }
        let param = match f.child_by_field_name("parameters") {
            Some(p) => named(p)
                .into_iter()
                .next()
                .map(|p| p.child_by_field_name("pattern").unwrap_or(p))?,
            None => f.child_by_field_name("parameter")?,
        };
        if param.kind() != "identifier" {
            return None;
        }
        let param = self.text(param);
        let uses_param = |a: &Node<'t>| {
            a.kind() == "member_expression"
                && a.child_by_field_name("object")
                    .is_some_and(|o| self.text(o) == param)
        };
        if !args.iter().any(uses_param) {
            return None;
        }
        let list = callee.child_by_field_name("object")?;
        let array = match list.kind() {
            "array" => list,
            "identifier" => match self.lookup(list, self.text(list))? {
                Binding::Alias(a, _) => strip_wrappers(*a),
                _ => return None,
            },
            _ => return None,
        };
        if array.kind() != "array" {
            return None;
        }
        let mut sets = Vec::new();
        for element in named(array).into_iter().filter(|e| e.kind() == "object") {
            let entries = self.object_entries(element);
            let set: Option<Vec<Node<'t>>> = args
                .iter()
                .map(|a| {
                    if !uses_param(a) {
                        return Some(*a);
                    }
                    let key = self.text(a.child_by_field_name("property")?);
                    entries.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
                })
                .collect();
            sets.extend(set);
        }
        Some(sets)
    }

    fn mount_one(
        &mut self,
        n: Node<'t>,
        obj: Node<'t>,
        args: &[Node<'t>],
        optional_prefix: bool,
    ) -> bool {
        if !self.is_router(obj) {
            return false;
        }
        let Some(parent) = self.eval(obj, 0) else {
            return false;
        };
        let Some(first) = args.first().copied() else {
            return false;
        };
        let first_is_param = args.len() > 1
            && first.kind() == "identifier"
            && matches!(
                self.lookup(first, self.text(first)),
                Some(Binding::Param { typed: false, .. })
            );
        if first_is_param {
            // `function mount(app, base) { app.use(base, router) }`: a prefix passed in.
            let prefix = Str::Dynamic(snippet(self.text(first)));
            return self.mount_children(n, &parent, &[prefix], args.get(1..).unwrap_or(&[]), false);
        }
        let first_value = self.eval(first, 0);
        if let (Some(Value::Import(r)), true) = (&first_value, args.len() > 1) {
            // `app.use(API_PREFIX, router)` or `app.use(auth, router)`: which one the import is
            // (a string or a router) is known once its module is read.
            let r = r.clone();
            self.mount_children(
                n,
                &parent,
                &[Str::Import(r)],
                args.get(1..).unwrap_or(&[]),
                true,
            );
            return self.mount_children(
                n,
                &parent,
                &[Str::lit("")],
                args.get(..1).unwrap_or(&[]),
                false,
            );
        }
        let (prefixes, rest): (Vec<Str>, &[Node<'t>]) = match first_value {
            Some(Value::Str(s)) => (vec![s], args.get(1..).unwrap_or(&[])),
            _ if first.kind() == "array" => (
                named(first)
                    .into_iter()
                    .map(|p| self.str_of(p, 0))
                    .collect(),
                args.get(1..).unwrap_or(&[]),
            ),
            Some(Value::Node(_) | Value::Import(_) | Value::ReturnOf(_) | Value::Func(_))
                if optional_prefix =>
            {
                (vec![Str::lit("")], args)
            }
            None if optional_prefix
                && !matches!(
                    first.kind(),
                    "identifier" | "member_expression" | "template_string" | "binary_expression"
                ) =>
            {
                (vec![Str::lit("")], args)
            }
            _ => (vec![self.str_of(first, 0)], args.get(1..).unwrap_or(&[])),
        };
        self.mount_children(n, &parent, &prefixes, rest, false)
    }

    /// Records a mount of each child router in `children` under each prefix.
    fn mount_children(
        &mut self,
        n: Node<'t>,
        parent: &Value,
        prefixes: &[Str],
        children: &[Node<'t>],
        prefix_or_child: bool,
    ) -> bool {
        let (line, col) = self.src.pos(n);
        for child in children {
            if let Some(spec_node) = self.dynamic_require(*child) {
                self.unresolved(
                    n,
                    UnresolvedKind::MountTarget,
                    &format!(
                        "the module mounted here is `{}`, chosen at run time",
                        self.text(spec_node)
                    ),
                );
                continue;
            }
            let Some(v) = self.eval(*child, 0) else {
                continue;
            };
            if !matches!(v, Value::Node(_) | Value::Import(_) | Value::ReturnOf(_)) {
                continue;
            }
            for prefix in prefixes {
                self.facts.mounts.push(RawMount {
                    parent: parent.clone(),
                    prefix: prefix.clone(),
                    child: v.clone(),
                    replaces_prefix: false,
                    prefix_or_child,
                    call: false,
                    line,
                    col,
                    code: snippet(self.text(n)),
                });
            }
        }
        true
    }

    /// `require(expr)` / `import(expr)` with a name built at run time: the expression.
    fn dynamic_require(&self, n: Node<'t>) -> Option<Node<'t>> {
        let n = strip_wrappers(n);
        if n.kind() != "call_expression" {
            return None;
        }
        let f = n.child_by_field_name("function")?;
        if !(f.kind() == "import" || self.text(f) == "require") {
            return None;
        }
        let arg = named(n.child_by_field_name("arguments")?)
            .into_iter()
            .next()?;
        literal(self.src, arg).is_none().then_some(arg)
    }

    /// `fastify.register(plugin, { prefix })`: the plugin's first parameter is the router.
    fn fastify_register(&mut self, n: Node<'t>, obj: Node<'t>, args: &[Node<'t>]) -> bool {
        let Some(plugin) = args.first().copied() else {
            return false;
        };
        if !self.is_router(obj) {
            return false;
        }
        let Some(parent) = self.eval(obj, 0) else {
            return false;
        };
        if let Some(spec) = self.dynamic_require(plugin) {
            self.unresolved(
                n,
                UnresolvedKind::MountTarget,
                &format!(
                    "the plugin registered here is `{}`, chosen at run time",
                    self.text(spec)
                ),
            );
            return true;
        }
        let mut prefix = Str::lit("");
        let mut autoload = false;
        if let Some(opts) = args.get(1).filter(|o| o.kind() == "object") {
            for (k, v) in self.object_entries(*opts) {
                match k.as_str() {
                    "prefix" => prefix = self.str_of(v, 0),
                    "dir" => autoload = true,
                    _ => {}
                }
            }
        }
        let Some(v) = self.eval(plugin, 0) else {
            return false;
        };
        if let Value::Import(r) = &v {
            if r.spec == "@fastify/autoload"
                || r.spec == "fastify-autoload"
                || autoload && !r.spec.starts_with('.')
            {
                self.unresolved(
                    n,
                    UnresolvedKind::MountTarget,
                    "routes auto-loaded from a directory at run time are not followed",
                );
                return true;
            }
        }
        if !matches!(v, Value::Func(_) | Value::Import(_) | Value::ReturnOf(_)) {
            return false;
        }
        let (line, col) = self.src.pos(n);
        self.facts.mounts.push(RawMount::new(
            parent,
            prefix,
            Value::ParamOf(Box::new(v), 0),
            (line, col),
            snippet(self.text(n)),
        ));
        true
    }

    /// `register(app)`, `require('./routes')(app)`: a router passed to a function is the router
    /// its parameter stands for.
    fn call_mount(&mut self, n: Node<'t>, callee: Node<'t>, args: &[Node<'t>]) {
        if args.is_empty() || callee.kind() == "import" || self.text(callee) == "require" {
            return;
        }
        let mut routers = Vec::new();
        for (i, a) in args.iter().enumerate() {
            if !matches!(
                strip_wrappers(*a).kind(),
                "identifier" | "member_expression" | "this"
            ) {
                continue;
            }
            if let Some(v @ (Value::Node(_) | Value::Import(_))) = self.eval(*a, 0) {
                routers.push((i, v));
            }
        }
        if routers.is_empty() {
            return;
        }
        let Some(f) = self.eval(callee, 0) else {
            return;
        };
        if !matches!(f, Value::Func(_) | Value::Import(_) | Value::ReturnOf(_)) {
            return;
        }
        let (line, col) = self.src.pos(n);
        for (i, parent) in routers {
            self.facts.mounts.push(RawMount {
                parent,
                prefix: Str::lit(""),
                child: Value::ParamOf(Box::new(f.clone()), i),
                replaces_prefix: false,
                prefix_or_child: false,
                call: true,
                line,
                col,
                code: snippet(self.text(n)),
            });
        }
    }

    /// The handler an argument names: `listUsers`, `ctrl.list`, `wrap(ctrl.list)`,
    /// `ctrl.list.bind(ctrl)`, a named function expression.
    fn handler(&self, n: Node<'t>, depth: usize) -> Option<Handler> {
        if depth > 8 {
            return None;
        }
        let n = strip_wrappers(n);
        let d = depth.saturating_add(1);
        match n.kind() {
            "identifier" => Some(Handler::function(self.text(n))),
            "member_expression" => {
                let obj = n.child_by_field_name("object")?;
                let prop = self.text(n.child_by_field_name("property")?);
                let owner = match obj.kind() {
                    "this" => self
                        .class_of(n)
                        .and_then(|c| c.child_by_field_name("name"))
                        .map(|c| self.text(c).to_string()),
                    "identifier" => Some(self.text(obj).to_string()),
                    "member_expression" => obj
                        .child_by_field_name("property")
                        .map(|p| self.text(p).to_string()),
                    _ => None,
                };
                Some(Handler {
                    owner,
                    name: prop.to_string(),
                    owner_is_type: obj.kind() == "this",
                })
            }
            "call_expression" => {
                let f = n.child_by_field_name("function")?;
                if f.kind() == "member_expression"
                    && f.child_by_field_name("property")
                        .is_some_and(|p| self.text(p) == "bind")
                {
                    return self.handler(f.child_by_field_name("object")?, d);
                }
                let args = named(n.child_by_field_name("arguments")?);
                self.handler(*args.last()?, d)
            }
            "array" => self.handler(*named(n).last()?, d),
            "function_expression" | "function" => n
                .child_by_field_name("name")
                .map(|id| Handler::function(self.text(id))),
            _ => None,
        }
    }

    /// The named function or method around `n`, as a handler.
    fn enclosing(&self, n: Node<'t>) -> Option<Handler> {
        let _ = n;
        for a in self.cx.iter().rev().copied() {
            match a.kind() {
                "method_definition" => {
                    let name = self.text(a.child_by_field_name("name")?);
                    let class = self
                        .class_of(a)
                        .and_then(|c| c.child_by_field_name("name"))
                        .map(|c| self.text(c).to_string());
                    return Some(match class {
                        Some(c) => Handler::method(c, name),
                        None => Handler::function(name),
                    });
                }
                "function_declaration" | "generator_function_declaration" => {
                    return a
                        .child_by_field_name("name")
                        .map(|id| Handler::function(self.text(id)));
                }
                "variable_declarator" | "public_field_definition" | "field_definition" | "pair" => {
                    let id = a
                        .child_by_field_name("name")
                        .or_else(|| a.child_by_field_name("property"))
                        .or_else(|| a.child_by_field_name("key"));
                    let v = a.child_by_field_name("value").map(strip_wrappers);
                    if v.is_some_and(|v| {
                        matches!(
                            v.kind(),
                            "arrow_function" | "function_expression" | "function"
                        )
                    }) {
                        let name = self.text(id?);
                        let class = (a.kind() != "variable_declarator" && a.kind() != "pair")
                            .then(|| self.class_of(a).and_then(|c| c.child_by_field_name("name")))
                            .flatten()
                            .map(|c| self.text(c).to_string());
                        return Some(match class {
                            Some(c) => Handler::method(c, name),
                            None => Handler::function(name),
                        });
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// `socket.on('e', h)`, `socket.emit('e')`, `io.to(room).emit('e')`, `this.server.emit('e')`.
    fn socket_event(&mut self, n: Node<'t>, obj: Node<'t>, op: Op, args: &[Node<'t>]) -> bool {
        let Some(name_arg) = args.first().copied() else {
            return false;
        };
        let Some(root) = self.socket_root(obj) else {
            return false;
        };
        let in_gateway = self.class_of(n).is_some_and(|c| {
            self.class_decorators(c)
                .iter()
                .any(|(d, _)| d == "WebSocketGateway")
        });
        let lname = root.to_ascii_lowercase();
        let socketish =
            lname.contains("socket") || matches!(lname.as_str(), "io" | "nsp" | "namespace");
        let contextual = matches!(lname.as_str(), "server" | "client" | "wss");
        let ok = if in_gateway || self.socket_context {
            socketish || contextual
        } else {
            socketish && !self.raw_sockets
        };
        if !ok {
            return false;
        }
        let name = self.str_of(name_arg, 0);
        if let Str::Lit(s) = &name {
            if reserved_event(s) {
                return true;
            }
        }
        let around = self.enclosing(n);
        let (handler, registered_in) = match op {
            Op::On => match args.get(1).and_then(|h| self.handler(*h, 0)) {
                Some(h) => (Some(h), around),
                None => (around, None),
            },
            Op::Emit => (around, None),
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

    /// The socket a chain ends in, past `.to(room)`, `.in(room)`, `.of(ns)`, `.broadcast`,
    /// `.volatile`, `.timeout(ms)`: its last name (`socket`, `io`, `server`).
    fn socket_root(&self, mut obj: Node<'t>) -> Option<String> {
        for _ in 0..DEPTH {
            obj = strip_wrappers(obj);
            match obj.kind() {
                "identifier" => return Some(self.text(obj).to_string()),
                "member_expression" => {
                    let prop = self.text(obj.child_by_field_name("property")?);
                    if matches!(
                        prop,
                        "broadcast" | "volatile" | "local" | "sockets" | "compress"
                    ) {
                        obj = obj.child_by_field_name("object")?;
                    } else {
                        return Some(prop.to_string());
                    }
                }
                "call_expression" => {
                    let f = obj.child_by_field_name("function")?;
                    if f.kind() != "member_expression" {
                        return None;
                    }
                    let prop = self.text(f.child_by_field_name("property")?);
                    if !matches!(
                        prop,
                        "to" | "in" | "of" | "except" | "timeout" | "compress" | "volatile"
                    ) {
                        return None;
                    }
                    obj = f.child_by_field_name("object")?;
                }
                _ => return None,
            }
        }
        None
    }

    fn unresolved(&mut self, n: Node<'t>, kind: UnresolvedKind, reason: &str) {
        let (line, col) = self.src.pos(n);
        self.facts.unresolved.push(RawUnresolved {
            kind,
            line,
            col,
            code: snippet(self.text(n)),
            reason: reason.to_string(),
        });
    }

    // ---- NestJS -----------------------------------------------------------------------------

    /// A class's decorators: `(name, arguments)`.
    fn class_decorators(&self, class: Node<'t>) -> Vec<(String, Vec<Node<'t>>)> {
        let mut decs: Vec<Node<'t>> = named(class)
            .into_iter()
            .filter(|c| c.kind() == "decorator")
            .collect();
        if let Some(p) = class.parent().filter(|p| p.kind() == "export_statement") {
            decs.extend(named(p).into_iter().filter(|c| c.kind() == "decorator"));
        }
        decs.into_iter().filter_map(|d| self.decorator(d)).collect()
    }

    fn decorator(&self, d: Node<'t>) -> Option<(String, Vec<Node<'t>>)> {
        let e = named(d).into_iter().next()?;
        match e.kind() {
            "call_expression" => {
                let f = e.child_by_field_name("function")?;
                let name = match f.kind() {
                    "member_expression" => self.text(f.child_by_field_name("property")?),
                    _ => self.text(f),
                };
                let args = e
                    .child_by_field_name("arguments")
                    .map(named)
                    .unwrap_or_default();
                Some((name.to_string(), args))
            }
            "identifier" => Some((self.text(e).to_string(), Vec::new())),
            "member_expression" => Some((
                self.text(e.child_by_field_name("property")?).to_string(),
                Vec::new(),
            )),
            _ => None,
        }
    }

    fn class(&mut self, class: Node<'t>) {
        let decorators = self.class_decorators(class);
        if decorators.is_empty() {
            return;
        }
        let Some(name) = class
            .child_by_field_name("name")
            .map(|n| self.text(n).to_string())
        else {
            return;
        };
        let controller = decorators
            .iter()
            .find(|(d, _)| d == "Controller" || d == "JsonController");
        let gateway = decorators.iter().any(|(d, _)| d == "WebSocketGateway");
        let mut node = None;
        let mut version = None;
        if let Some((_, args)) = controller {
            let mut prefixes = Vec::new();
            match args.first().copied() {
                None => prefixes.push(Str::lit("")),
                Some(a) if a.kind() == "object" => {
                    for (k, v) in self.object_entries(a) {
                        match k.as_str() {
                            "path" if v.kind() == "array" => {
                                prefixes.extend(named(v).into_iter().map(|p| self.str_of(p, 0)))
                            }
                            "path" => prefixes.push(self.str_of(v, 0)),
                            "version" => version = literal(self.src, v),
                            _ => {}
                        }
                    }
                    if prefixes.is_empty() {
                        prefixes.push(Str::lit(""));
                    }
                }
                Some(a) if a.kind() == "array" => {
                    prefixes.extend(named(a).into_iter().map(|p| self.str_of(p, 0)))
                }
                Some(a) => prefixes.push(self.str_of(a, 0)),
            }
            let (line, col) = self.src.pos(class);
            node = Some(self.facts.node(NodeDecl {
                key: format!("class:{name}@{}", class.start_byte()),
                label: name.clone(),
                kind: NodeKind::App,
                framework: Some(Framework::Nest),
                prefixes,
                escapes: false,
                nest: true,
                line,
                col,
            }));
        }
        let Some(body) = class.child_by_field_name("body") else {
            return;
        };
        let mut pending: Vec<(String, Vec<Node<'t>>, Node<'t>)> = Vec::new();
        for member in named(body) {
            if member.kind() == "decorator" {
                if let Some((d, args)) = self.decorator(member) {
                    pending.push((d, args, member));
                }
                continue;
            }
            let decs = std::mem::take(&mut pending);
            if member.kind() != "method_definition" {
                continue;
            }
            let Some(method) = member
                .child_by_field_name("name")
                .map(|m| self.text(m).to_string())
            else {
                continue;
            };
            let handler = Handler::method(name.clone(), method.clone());
            let method_version = decs
                .iter()
                .find(|(d, _, _)| d == "Version")
                .and_then(|(_, a, _)| a.first().and_then(|v| literal(self.src, *v)));
            for (d, args, at) in &decs {
                let http = match d.as_str() {
                    "Get" | "Sse" => Some("GET"),
                    "Post" => Some("POST"),
                    "Put" => Some("PUT"),
                    "Delete" => Some("DELETE"),
                    "Patch" => Some("PATCH"),
                    "Options" => Some("OPTIONS"),
                    "Head" => Some("HEAD"),
                    "All" => Some(ANY),
                    _ => None,
                };
                if let (Some(http), Some(on)) = (http, node.clone()) {
                    let paths: Vec<Str> = match args.first().copied() {
                        None => vec![Str::lit("")],
                        Some(a) if a.kind() == "array" => {
                            named(a).into_iter().map(|p| self.str_of(p, 0)).collect()
                        }
                        Some(a) => vec![self.str_of(a, 0)],
                    };
                    let (line, col) = self.src.pos(*at);
                    for path in paths {
                        self.facts.routes.push(RawRoute {
                            on: on.clone(),
                            methods: Methods::Fixed(vec![http.to_string()]),
                            path,
                            handler: Some(handler.clone()),
                            framework: Some(Framework::Nest),
                            version: method_version.clone().or_else(|| version.clone()),
                            line,
                            col,
                            code: snippet(self.text(*at)),
                        });
                    }
                }
                if d == "SubscribeMessage" {
                    if let Some(a) = args.first().copied() {
                        let (line, col) = self.src.pos(*at);
                        let name = self.str_of(a, 0);
                        self.facts.events.push(RawEvent {
                            name,
                            op: Op::On,
                            handler: Some(handler.clone()),
                            registered_in: None,
                            framework: Framework::SocketIo,
                            line,
                            col,
                            code: snippet(self.text(*at)),
                        });
                    }
                    if gateway {
                        self.ws_responses(member, &handler);
                    }
                }
            }
        }
    }

    /// `return { event: 'x', data }` in a gateway's message handler sends `x` to the client.
    fn ws_responses(&mut self, method: Node<'t>, handler: &Handler) {
        let mut found = Vec::new();
        preorder(method, |n| {
            if n.kind() == "return_statement" {
                if let Some(obj) = named(n)
                    .into_iter()
                    .next()
                    .map(strip_wrappers)
                    .filter(|o| o.kind() == "object")
                {
                    found.push(obj);
                }
            }
        });
        for obj in found {
            let entries = self.object_entries(obj);
            let has_data = entries.iter().any(|(k, _)| k == "data");
            if let Some((_, v)) = entries.into_iter().find(|(k, _)| k == "event") {
                if !has_data {
                    continue;
                }
                let name = self.str_of(v, 0);
                let (line, col) = self.src.pos(obj);
                self.facts.events.push(RawEvent {
                    name,
                    op: Op::Emit,
                    handler: Some(handler.clone()),
                    registered_in: None,
                    framework: Framework::SocketIo,
                    line,
                    col,
                    code: snippet(self.text(obj)),
                });
            }
        }
    }

    // ---- exports ----------------------------------------------------------------------------

    fn finish_exports(&mut self) {
        let exports = std::mem::take(&mut self.exports);
        let module_objects: Vec<(String, Value)> = self
            .bindings
            .iter()
            .filter(|((scope, name), _)| {
                *scope == 0 && name.contains('.') && !name.starts_with("this.")
            })
            .filter_map(|((_, name), b)| match b {
                Binding::Value(v @ Value::Str(_)) => Some((name.clone(), v.clone())),
                _ => None,
            })
            .collect();
        for (name, e) in exports {
            let v = match e {
                Export::Value(v) => Some(v),
                Export::Local(local) => {
                    for (dotted_name, v) in &module_objects {
                        if let Some(rest) = dotted_name.strip_prefix(&format!("{local}.")) {
                            let exported = if name == "default" {
                                format!("default.{rest}")
                            } else {
                                format!("{name}.{rest}")
                            };
                            self.facts.exports.insert(exported, v.clone());
                        }
                    }
                    match self.bindings.get(&(0, local.clone())).cloned() {
                        Some(Binding::Value(v)) => Some(v),
                        Some(Binding::Alias(a, scopes)) => {
                            self.alias_scopes = Some(scopes);
                            let v = self.constructor(a, &local).or_else(|| self.eval(a, 0));
                            self.alias_scopes = None;
                            v
                        }
                        _ => None,
                    }
                }
                Export::Expr(x) => {
                    if x.kind() == "identifier" {
                        let local = self.text(x).to_string();
                        for (dotted_name, v) in &module_objects {
                            if let Some(rest) = dotted_name.strip_prefix(&format!("{local}.")) {
                                self.facts
                                    .exports
                                    .insert(format!("{name}.{rest}"), v.clone());
                            }
                        }
                    }
                    self.eval(x, 0)
                }
            };
            if let Some(v) = v {
                if let Value::Node(k) = &v {
                    let k = k.clone();
                    self.facts.escape(&k);
                }
                self.facts.exports.entry(name).or_insert(v);
            }
        }
    }
}

/// Strips parentheses, `await`, `as T`, `satisfies T` and `!`.
fn strip_wrappers(mut n: Node<'_>) -> Node<'_> {
    for _ in 0..DEPTH {
        match n.kind() {
            "parenthesized_expression"
            | "await_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "type_assertion" => match named(n).into_iter().find(|c| !c.kind().contains("type")) {
                Some(inner) => n = inner,
                None => return n,
            },
            _ => return n,
        }
    }
    n
}

/// `a.b.c` (identifiers, `this` and property names only) as text.
fn dotted(src: &Src<'_>, n: Node<'_>) -> Option<String> {
    let mut parts = Vec::new();
    let mut cur = n;
    for _ in 0..DEPTH {
        match cur.kind() {
            "member_expression" => {
                parts.push(src.of(cur.child_by_field_name("property")?));
                cur = cur.child_by_field_name("object")?;
            }
            "identifier" | "this" => {
                parts.push(src.of(cur));
                parts.reverse();
                return Some(parts.join("."));
            }
            _ => return None,
        }
    }
    None
}
