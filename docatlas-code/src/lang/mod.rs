//! Source languages: which files are which, one tree-sitter parser per language and thread, and
//! the helpers every extractor shares (text and place of a node, string literals).

#[cfg(feature = "go")]
mod go;
#[cfg(feature = "java")]
mod java;
#[cfg(feature = "javascript")]
mod js;
#[cfg(feature = "python")]
mod python;

use std::cell::RefCell;

use tree_sitter::{Node, Parser};

use crate::facts::{snippet, FileFacts, Str};

/// A language the extractor parses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Lang {
    /// `.js`, `.jsx`, `.mjs`, `.cjs` (the JavaScript grammar reads JSX).
    JavaScript,
    /// `.ts`, `.mts`, `.cts`.
    TypeScript,
    /// `.tsx`.
    Tsx,
    /// `.py`.
    Python,
    /// `.go`.
    Go,
    /// `.java`.
    Java,
}

impl Lang {
    /// The language of a file, by name; `None` for other files and for languages this build
    /// leaves out (cargo features).
    pub(crate) fn of(rel: &str) -> Option<Lang> {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if name.ends_with(".d.ts") || name.contains(".min.") || name.contains(".bundle.") {
            return None;
        }
        let ext = name.rsplit_once('.')?.1;
        let lang = match ext {
            "js" | "jsx" | "mjs" | "cjs" => Lang::JavaScript,
            "ts" | "mts" | "cts" => Lang::TypeScript,
            "tsx" => Lang::Tsx,
            "py" => Lang::Python,
            "go" => Lang::Go,
            "java" => Lang::Java,
            _ => return None,
        };
        lang.grammar().is_some().then_some(lang)
    }

    /// The tree-sitter grammar, if this build includes it.
    fn grammar(self) -> Option<tree_sitter::Language> {
        match self {
            #[cfg(feature = "javascript")]
            Lang::JavaScript => Some(tree_sitter_javascript::LANGUAGE.into()),
            #[cfg(feature = "javascript")]
            Lang::TypeScript => Some(tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into()),
            #[cfg(feature = "javascript")]
            Lang::Tsx => Some(tree_sitter_typescript::LANGUAGE_TSX.into()),
            #[cfg(feature = "python")]
            Lang::Python => Some(tree_sitter_python::LANGUAGE.into()),
            #[cfg(feature = "go")]
            Lang::Go => Some(tree_sitter_go::LANGUAGE.into()),
            #[cfg(feature = "java")]
            Lang::Java => Some(tree_sitter_java::LANGUAGE.into()),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}

thread_local! {
    /// Parsers are reused per thread: creating one per file costs more than parsing a small
    /// file.
    static PARSERS: RefCell<Vec<(Lang, Parser)>> = const { RefCell::new(Vec::new()) };
}

/// Parses `text` as `lang` and extracts its facts. `rel` is the file's path inside its root.
pub(crate) fn extract(lang: Lang, rel: &str, text: &str) -> FileFacts {
    let tree = PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let i = match parsers.iter().position(|(l, _)| *l == lang) {
            Some(i) => i,
            None => {
                let mut p = Parser::new();
                let g = lang.grammar()?;
                p.set_language(&g).ok()?;
                parsers.push((lang, p));
                parsers.len().saturating_sub(1)
            }
        };
        parsers.get_mut(i).and_then(|(_, p)| p.parse(text, None))
    });
    let Some(tree) = tree else {
        return FileFacts::default();
    };
    let src = Src::new(text);
    let root = tree.root_node();
    match lang {
        #[cfg(feature = "javascript")]
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => js::extract(&src, root, rel),
        #[cfg(feature = "python")]
        Lang::Python => python::extract(&src, root, rel),
        #[cfg(feature = "go")]
        Lang::Go => go::extract(&src, root, rel),
        #[cfg(feature = "java")]
        Lang::Java => java::extract(&src, root, rel),
        #[allow(unreachable_patterns)]
        _ => {
            let _ = (root, rel);
            FileFacts::default()
        }
    }
}

/// A file's text with the helpers extractors need.
pub(crate) struct Src<'a> {
    pub text: &'a str,
}

impl<'a> Src<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self { text }
    }

    /// The text of a node.
    pub(crate) fn of(&self, n: Node<'_>) -> &'a str {
        self.text.get(n.byte_range()).unwrap_or("")
    }

    /// 1-based line and column (in characters) of a node's start.
    pub(crate) fn pos(&self, n: Node<'_>) -> (u32, u32) {
        let p = n.start_position();
        let start = n.start_byte();
        let line_start = start.saturating_sub(p.column);
        let col = self
            .text
            .get(line_start..start)
            .map_or(1, |s| s.chars().count().saturating_add(1));
        (
            u32::try_from(p.row.saturating_add(1)).unwrap_or(u32::MAX),
            u32::try_from(col).unwrap_or(u32::MAX),
        )
    }
}

/// `left + right` of strings (a binary node with an `operator` field): both parts as `part`
/// reads them, or the whole expression as dynamic if either is or the operator is not `+`.
pub(crate) fn plus<'t>(src: &Src<'_>, n: Node<'t>, mut part: impl FnMut(Node<'t>) -> Str) -> Str {
    let whole = || Str::Dynamic(snippet(src.of(n)));
    let op = n.child_by_field_name("operator").map(|o| src.of(o));
    let (Some("+"), Some(l), Some(r)) = (
        op,
        n.child_by_field_name("left"),
        n.child_by_field_name("right"),
    ) else {
        return whole();
    };
    let (l, r) = (part(l), part(r));
    if matches!(l, Str::Dynamic(_)) || matches!(r, Str::Dynamic(_)) {
        return whole();
    }
    Str::Concat(vec![l, r])
}

/// The named children of a node.
pub(crate) fn named<'t>(n: Node<'t>) -> Vec<Node<'t>> {
    let mut c = n.walk();
    n.named_children(&mut c).collect()
}

/// The children of a node, named or not.
pub(crate) fn children<'t>(n: Node<'t>) -> Vec<Node<'t>> {
    let mut c = n.walk();
    n.children(&mut c).collect()
}

/// Every node of a tree in document order, without recursion (a deeply nested file must not
/// overflow the stack).
pub(crate) fn preorder<'t>(root: Node<'t>, mut f: impl FnMut(Node<'t>)) {
    walk(root, |n, _| f(n));
}

/// Every node of a tree in document order with its ancestors (root first), without recursion.
/// Extractors read scopes and enclosing classes from the ancestors given here: tree-sitter's
/// `Node::parent` walks down from the root, so asking it for every node's ancestors costs the
/// square of the depth.
pub(crate) fn walk<'t>(root: Node<'t>, mut f: impl FnMut(Node<'t>, &[Node<'t>])) {
    let mut cursor = root.walk();
    let mut stack: Vec<Node<'t>> = Vec::new();
    loop {
        let node = cursor.node();
        f(node, &stack);
        if cursor.goto_first_child() {
            stack.push(node);
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            stack.pop();
        }
    }
}

/// One pass of an extractor over the tree: `f` reads each node, the extractor's ancestor list
/// (`cx`) set first for the kinds that `needs` says read scopes or enclosing classes.
pub(crate) fn pass<'t, S>(
    root: Node<'t>,
    state: &mut S,
    cx: fn(&mut S) -> &mut Vec<Node<'t>>,
    needs: fn(&str) -> bool,
    mut f: impl FnMut(&mut S, Node<'t>),
) {
    walk(root, |n, anc| {
        if needs(n.kind()) {
            *cx(state) = anc.to_vec();
        }
        f(state, n);
    });
    cx(state).clear();
}

/// The start bytes of the nodes in `anc` (root first) that `is_scope` accepts, innermost
/// first, then 0 for the file's own scope.
pub(crate) fn scopes_in(anc: &[Node<'_>], is_scope: fn(&str) -> bool) -> Vec<usize> {
    let mut out: Vec<usize> = anc
        .iter()
        .rev()
        .filter(|a| is_scope(a.kind()))
        .map(|a| a.start_byte())
        .collect();
    out.push(0);
    out
}

/// How deep helper recursion goes into one expression: far beyond real code, far below a stack
/// overflow.
pub(crate) const DEPTH: usize = 48;

/// True for an HTTP method name (any case).
pub(crate) fn is_http_method(s: &str) -> bool {
    matches!(
        s.to_ascii_uppercase().as_str(),
        "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS" | "CONNECT" | "TRACE"
    )
}
