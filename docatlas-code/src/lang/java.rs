//! Java: Spring (`@RequestMapping` on the class, `@GetMapping`/`@PostMapping`/... or
//! `@RequestMapping(method = ...)` on methods) and JAX-RS (`@Path` + `@GET`). Paths may be
//! string constants (`static final String`), of the class itself or of another class
//! (`ApiPaths.USERS`, resolved across files by class name). Feign clients
//! (`@FeignClient` interfaces) call routes rather than serve them and are skipped.

use std::collections::HashMap;

use tree_sitter::Node;

use super::{named, pass, plus, preorder, Src, DEPTH};
use crate::facts::{
    snippet, Def, FileFacts, ImportRef, Methods, NodeDecl, NodeKind, RawRoute, Str, Value,
};
use crate::model::{Framework, Handler};
use crate::normalize::ANY;

struct Java<'s, 't> {
    src: &'s Src<'s>,
    /// The ancestors of the node being read, root first.
    cx: Vec<Node<'t>>,
    /// `(class, FIELD)` → value, for constants of this file's classes.
    consts: HashMap<(String, String), Str>,
    facts: FileFacts,
}

/// Extracts one Java file.
pub(crate) fn extract(src: &Src<'_>, root: Node<'_>, _rel: &str) -> FileFacts {
    let mut j = Java {
        src,
        cx: Vec::new(),
        consts: HashMap::new(),
        facts: FileFacts::default(),
    };
    pass(
        root,
        &mut j,
        |x| &mut x.cx,
        |k| k == "field_declaration",
        |x, n| x.constant(n),
    );
    let exports: Vec<(String, Value)> = j
        .consts
        .iter()
        .map(|((class, field), v)| (format!("{class}.{field}"), Value::Str(v.clone())))
        .collect();
    j.facts.exports.extend(exports);
    let declares = |k: &str| is_type(k) || k == "method_declaration";
    pass(root, &mut j, |x| &mut x.cx, declares, |x, n| x.visit(n));
    j.facts
}

fn is_type(kind: &str) -> bool {
    matches!(
        kind,
        "class_declaration" | "interface_declaration" | "enum_declaration" | "record_declaration"
    )
}

/// An annotation: its simple name and its arguments (`value`/`path` for a bare argument).
struct Annotation<'t> {
    name: String,
    args: Vec<(String, Node<'t>)>,
    node: Node<'t>,
}

impl<'s, 't> Java<'s, 't> {
    fn text(&self, n: Node<'_>) -> &'s str {
        self.src.of(n)
    }

    fn class_name(&self, n: Node<'_>) -> Option<String> {
        n.child_by_field_name("name")
            .map(|c| self.text(c).to_string())
    }

    /// The classes around the current node, innermost first.
    fn classes(&self, _n: Node<'_>) -> Vec<String> {
        self.cx
            .iter()
            .rev()
            .filter(|a| is_type(a.kind()))
            .filter_map(|a| self.class_name(*a))
            .collect()
    }

    /// Pass 1: `static final String X = "..."` in any class of the file.
    fn constant(&mut self, n: Node<'_>) {
        if n.kind() != "field_declaration" {
            return;
        }
        let Some(class) = self.classes(n).into_iter().next() else {
            return;
        };
        let is_string = n
            .child_by_field_name("type")
            .is_some_and(|t| self.text(t) == "String");
        let is_interface = self
            .cx
            .iter()
            .rev()
            .take(3)
            .any(|a| a.kind() == "interface_declaration");
        let mods = named(n)
            .into_iter()
            .find(|c| c.kind() == "modifiers")
            .map(|m| self.text(m))
            .unwrap_or("");
        if !is_string || !(is_interface || (mods.contains("static") && mods.contains("final"))) {
            return;
        }
        let mut c = n.walk();
        let decls: Vec<Node<'_>> = n.children_by_field_name("declarator", &mut c).collect();
        for d in decls {
            let (Some(name), Some(value)) = (
                d.child_by_field_name("name"),
                d.child_by_field_name("value"),
            ) else {
                continue;
            };
            let v = self.str_of(value, &class, 0);
            self.consts
                .insert((class.clone(), self.text(name).to_string()), v);
        }
    }

    fn str_of(&self, n: Node<'_>, class: &str, depth: usize) -> Str {
        if depth > DEPTH {
            return Str::Dynamic(snippet(self.text(n)));
        }
        let d = depth.saturating_add(1);
        match n.kind() {
            "string_literal" => Str::Lit(
                named(n)
                    .into_iter()
                    .map(|c| match c.kind() {
                        "escape_sequence" => self.text(c).trim_start_matches('\\').to_string(),
                        _ => self.text(c).to_string(),
                    })
                    .collect(),
            ),
            "binary_expression" => {
                let src = self.src;
                plus(src, n, |x| self.str_of(x, class, d))
            }
            "parenthesized_expression" => match named(n).into_iter().next() {
                Some(e) => self.str_of(e, class, d),
                None => Str::Dynamic(snippet(self.text(n))),
            },
            "identifier" => {
                let name = self.text(n);
                let mut classes = self.classes(n);
                if classes.is_empty() {
                    classes.push(class.to_string());
                }
                match classes
                    .iter()
                    .find_map(|c| self.consts.get(&(c.clone(), name.to_string())))
                {
                    Some(v) => v.clone(),
                    None => Str::Dynamic(snippet(self.text(n))),
                }
            }
            "field_access" => {
                let text: String = self.text(n).split_whitespace().collect();
                let mut parts = text.rsplit('.');
                let (Some(field), Some(owner)) = (parts.next(), parts.next()) else {
                    return Str::Dynamic(snippet(self.text(n)));
                };
                match self.consts.get(&(owner.to_string(), field.to_string())) {
                    Some(v) => v.clone(),
                    None => {
                        let name = format!("{owner}.{field}");
                        Str::Import(ImportRef {
                            spec: name.clone(),
                            name,
                        })
                    }
                }
            }
            _ => Str::Dynamic(snippet(self.text(n))),
        }
    }

    fn annotations<'a>(&self, decl: Node<'a>) -> Vec<Annotation<'a>> {
        let Some(mods) = named(decl).into_iter().find(|c| c.kind() == "modifiers") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for a in named(mods) {
            if !matches!(a.kind(), "annotation" | "marker_annotation") {
                continue;
            }
            let Some(name) = a.child_by_field_name("name") else {
                continue;
            };
            let name = self.text(name);
            let name = name.rsplit('.').next().unwrap_or(name).to_string();
            let mut args = Vec::new();
            if let Some(list) = a.child_by_field_name("arguments") {
                for arg in named(list) {
                    match arg.kind() {
                        "element_value_pair" => {
                            if let (Some(k), Some(v)) = (
                                arg.child_by_field_name("key"),
                                arg.child_by_field_name("value"),
                            ) {
                                args.push((self.text(k).to_string(), v));
                            }
                        }
                        "comment" => {}
                        _ => args.push(("value".to_string(), arg)),
                    }
                }
            }
            out.push(Annotation {
                name,
                args,
                node: a,
            });
        }
        out
    }

    /// The paths an annotation names (`value`, `path`, or the bare argument; arrays too).
    fn paths(&self, a: &Annotation<'_>, class: &str) -> Vec<Str> {
        let mut out = Vec::new();
        for (k, v) in &a.args {
            if k != "value" && k != "path" {
                continue;
            }
            if v.kind() == "element_value_array_initializer" {
                out.extend(
                    named(*v)
                        .into_iter()
                        .filter(|e| e.kind() != "comment")
                        .map(|e| self.str_of(e, class, 0)),
                );
            } else {
                out.push(self.str_of(*v, class, 0));
            }
        }
        out
    }

    fn visit(&mut self, n: Node<'_>) {
        if is_type(n.kind()) || n.kind() == "method_declaration" {
            if let Some(name) = n.child_by_field_name("name") {
                let owner = (n.kind() == "method_declaration")
                    .then(|| self.classes(n).into_iter().next())
                    .flatten();
                let (line, _) = self.src.pos(name);
                self.facts.defs.push(Def {
                    name: self.text(name).to_string(),
                    owner,
                    line,
                });
            }
        }
        if !matches!(n.kind(), "class_declaration" | "interface_declaration") {
            return;
        }
        let Some(class) = self.class_name(n) else {
            return;
        };
        let anns = self.annotations(n);
        if anns
            .iter()
            .any(|a| a.name == "FeignClient" || a.name == "HttpExchange")
        {
            return;
        }
        let spring_base = anns.iter().find(|a| a.name == "RequestMapping");
        let jax_base = anns.iter().find(|a| a.name == "Path");
        let mut prefixes = match (spring_base, jax_base) {
            (Some(a), _) => self.paths(a, &class),
            (None, Some(a)) => self.paths(a, &class),
            (None, None) => Vec::new(),
        };
        if prefixes.is_empty() {
            prefixes.push(Str::lit(""));
        }
        let Some(body) = n.child_by_field_name("body") else {
            return;
        };
        let mut node: Option<Value> = None;
        for m in named(body)
            .into_iter()
            .filter(|m| m.kind() == "method_declaration")
        {
            let Some(method_name) = m
                .child_by_field_name("name")
                .map(|x| self.text(x).to_string())
            else {
                continue;
            };
            let anns = self.annotations(m);
            let mut routes: Vec<(Vec<String>, Vec<Str>, Framework, Node<'_>)> = Vec::new();
            for a in &anns {
                let verb = match a.name.as_str() {
                    "GetMapping" => Some("GET"),
                    "PostMapping" => Some("POST"),
                    "PutMapping" => Some("PUT"),
                    "DeleteMapping" => Some("DELETE"),
                    "PatchMapping" => Some("PATCH"),
                    _ => None,
                };
                if let Some(verb) = verb {
                    routes.push((
                        vec![verb.to_string()],
                        self.paths(a, &class),
                        Framework::Spring,
                        a.node,
                    ));
                } else if a.name == "RequestMapping" {
                    let mut methods = Vec::new();
                    for (k, v) in &a.args {
                        if k == "method" {
                            preorder(*v, |x| {
                                if matches!(x.kind(), "identifier" | "field_access")
                                    && x.parent().is_some_and(|p| p.kind() != "field_access")
                                {
                                    let t = self.text(x);
                                    let last = t.rsplit('.').next().unwrap_or(t);
                                    if super::is_http_method(last) {
                                        methods.push(last.to_ascii_uppercase());
                                    }
                                }
                            });
                        }
                    }
                    if methods.is_empty() {
                        methods.push(ANY.to_string());
                    }
                    routes.push((methods, self.paths(a, &class), Framework::Spring, a.node));
                }
            }
            let jax_verb = anns.iter().find(|a| {
                matches!(
                    a.name.as_str(),
                    "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS"
                )
            });
            if let Some(v) = jax_verb {
                let paths = anns
                    .iter()
                    .find(|a| a.name == "Path")
                    .map(|p| self.paths(p, &class))
                    .unwrap_or_default();
                routes.push((vec![v.name.clone()], paths, Framework::JaxRs, v.node));
            }
            for (methods, mut paths, framework, at) in routes {
                if paths.is_empty() {
                    paths.push(Str::lit(""));
                }
                let on = match &node {
                    Some(v) => v.clone(),
                    None => {
                        let (line, col) = self.src.pos(n);
                        let v = self.facts.node(NodeDecl {
                            key: format!("class:{class}@{}", n.start_byte()),
                            label: class.clone(),
                            kind: NodeKind::App,
                            framework: Some(framework),
                            prefixes: prefixes.clone(),
                            escapes: false,
                            nest: false,
                            line,
                            col,
                        });
                        node = Some(v.clone());
                        v
                    }
                };
                let (line, col) = self.src.pos(at);
                for path in paths {
                    self.facts.routes.push(RawRoute {
                        on: on.clone(),
                        methods: Methods::Fixed(methods.clone()),
                        path,
                        handler: Some(Handler::method(class.clone(), method_name.clone())),
                        framework: Some(framework),
                        version: None,
                        line,
                        col,
                        code: snippet(self.text(at)),
                    });
                }
            }
        }
    }
}
