//! What one source file says about routers, routes, mounts and events before any other file is
//! read: the language extractors produce these facts in parallel, and `resolve` joins them
//! across files (imports, mounts, prefixes) into the inventory.

use std::collections::BTreeMap;

use crate::model::{Framework, Handler, UnresolvedKind};

/// A string the code builds: a literal, a concatenation, another module's constant, or
/// something only known at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Str {
    /// Known text.
    Lit(String),
    /// Parts joined.
    Concat(Vec<Str>),
    /// A constant exported by another module.
    Import(ImportRef),
    /// Built at run time; the expression as written.
    Dynamic(String),
}

impl Str {
    /// A literal.
    pub(crate) fn lit(s: impl Into<String>) -> Self {
        Str::Lit(s.into())
    }

    /// The text as written, for messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Str::Lit(s) => s.clone(),
            Str::Concat(parts) => parts
                .iter()
                .map(Str::describe)
                .collect::<Vec<_>>()
                .join(" + "),
            Str::Import(r) => r.name.clone(),
            Str::Dynamic(code) => code.clone(),
        }
    }
}

/// A name another module exports: `spec` is the module as the importing file wrote it
/// (`./users`, `app.routers.users`, `github.com/acme/api/users`, `.` for the file's own Go
/// package), `name` the export (`default`, `router`, `EVENTS.BID_NEW`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ImportRef {
    pub spec: String,
    pub name: String,
}

/// What an expression denotes, as far as one file can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    /// A router (app, router, group, controller) declared in this file, by key.
    Node(String),
    /// A function declared in this file, by key.
    Func(String),
    /// A string.
    Str(Str),
    /// Something another module exports.
    Import(ImportRef),
    /// What a function returns (`usersRouter()`).
    ReturnOf(Box<Value>),
    /// Parameter `index` of a function (a router passed to `register(app)`).
    ParamOf(Box<Value>, usize),
}

/// What kind of router a node is; decides whether an unmounted node's paths are complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NodeKind {
    /// An application (`express()`, `FastAPI()`, `gin.Default()`, a Spring or Nest
    /// controller): unless something mounts it, its paths are full paths.
    App,
    /// A router meant to be mounted (`express.Router()`, `APIRouter()`, `chi.NewRouter()`): its
    /// paths are full only if it is used where it is made and never exported or returned.
    Router,
    /// A function parameter used as a router. `typed`: its declared type is a router type, so
    /// its routes count even if no call passing a router to it is found (then incomplete);
    /// untyped, they count only once such a call is found.
    Param { typed: bool },
}

/// A router declared in a file.
#[derive(Debug, Clone)]
pub(crate) struct NodeDecl {
    pub key: String,
    /// The name it goes by in the code (`router`, `g`, `BookingController`), for messages.
    pub label: String,
    pub kind: NodeKind,
    pub framework: Option<Framework>,
    /// Prefixes the router itself adds (`APIRouter(prefix=)`, `@Controller('x')`, a class's
    /// `@RequestMapping`); several when the code lists several.
    pub prefixes: Vec<Str>,
    /// Exported or returned from its file or function: meant to be mounted elsewhere.
    pub escapes: bool,
    /// A NestJS controller: the application's global prefix applies.
    pub nest: bool,
    pub line: u32,
    pub col: u32,
}

/// How a route's method is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Methods {
    /// These methods (normalised upper case; `ANY` for all).
    Fixed(Vec<String>),
    /// From the path itself, Go 1.22 style: `"GET /x"`.
    InPattern,
}

/// A route registration.
#[derive(Debug, Clone)]
pub(crate) struct RawRoute {
    pub on: Value,
    pub methods: Methods,
    pub path: Str,
    pub handler: Option<Handler>,
    pub framework: Option<Framework>,
    /// NestJS `@Version('1')` (or the controller's `version`).
    pub version: Option<String>,
    pub line: u32,
    pub col: u32,
    pub code: String,
}

/// A router mounted under another (`app.use('/api', router)`, `include_router`, a group).
#[derive(Debug, Clone)]
pub(crate) struct RawMount {
    pub parent: Value,
    pub prefix: Str,
    pub child: Value,
    /// Flask: `register_blueprint(url_prefix=)` replaces the blueprint's own prefix.
    pub replaces_prefix: bool,
    /// The prefix is an import that may name a router rather than a string
    /// (`app.use(auth, router)`): if it is not a string, the prefix is empty.
    pub prefix_or_child: bool,
    /// A router passed to a function (`register(app)`): a callee that is not found or does not
    /// use its parameter as a router is no unresolved mount, just not one.
    pub call: bool,
    pub line: u32,
    pub col: u32,
    pub code: String,
}

/// Which side of a socket a listener or an emit runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    On,
    Emit,
}

/// A socket event.
#[derive(Debug, Clone)]
pub(crate) struct RawEvent {
    pub name: Str,
    pub op: Op,
    pub handler: Option<Handler>,
    pub registered_in: Option<Handler>,
    pub framework: crate::model::Framework,
    pub line: u32,
    pub col: u32,
    pub code: String,
}

/// Which end of Socket.IO a file is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Side {
    /// Not said by the file itself.
    #[default]
    Unknown,
    /// Imports the server (`socket.io`, `@nestjs/websockets`, python-socketio's server).
    Server,
    /// Imports `socket.io-client`.
    Client,
}

/// `app.setGlobalPrefix('api')` and `app.enableVersioning(...)` in a NestJS bootstrap file.
#[derive(Debug, Clone, Default)]
pub(crate) struct NestApp {
    pub prefix: Option<Str>,
    /// Paths `setGlobalPrefix(.., { exclude })` leaves without the prefix.
    pub exclude: Vec<String>,
    /// URI versioning: the segment prefix (`v`) and the default version.
    pub versioning: Option<(Str, Option<String>)>,
    /// Where the prefix or the versioning is set, for an unresolved one.
    pub line: u32,
    pub col: u32,
    pub code: String,
}

/// A definition a `file:line` reference can name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Def {
    pub name: String,
    pub owner: Option<String>,
    pub line: u32,
}

/// Something the file shows that cannot be resolved statically.
#[derive(Debug, Clone)]
pub(crate) struct RawUnresolved {
    pub kind: UnresolvedKind,
    pub line: u32,
    pub col: u32,
    pub code: String,
    pub reason: String,
}

/// Everything one file says.
#[derive(Debug, Clone, Default)]
pub(crate) struct FileFacts {
    pub nodes: Vec<NodeDecl>,
    /// Function key → what its `return` statements return (routers only matter).
    pub returns: BTreeMap<String, Vec<Value>>,
    pub exports: BTreeMap<String, Value>,
    pub routes: Vec<RawRoute>,
    pub mounts: Vec<RawMount>,
    pub events: Vec<RawEvent>,
    pub side: Side,
    /// Modules the file imports (for telling a Socket.IO client by its imports' imports).
    pub imports: Vec<String>,
    pub nest_apps: Vec<NestApp>,
    pub defs: Vec<Def>,
    pub unresolved: Vec<RawUnresolved>,
}

impl FileFacts {
    /// Declares a node unless one with `key` exists; returns `Value::Node(key)`.
    pub(crate) fn node(&mut self, decl: NodeDecl) -> Value {
        let key = decl.key.clone();
        if !self.nodes.iter().any(|n| n.key == key) {
            self.nodes.push(decl);
        }
        Value::Node(key)
    }

    /// Marks node `key` as exported or returned.
    pub(crate) fn escape(&mut self, key: &str) {
        for n in self.nodes.iter_mut().filter(|n| n.key == key) {
            n.escapes = true;
        }
    }

    /// Function `func` returns `v`: a router it makes escapes, and what may be a router is
    /// kept for callers that mount the function's result.
    pub(crate) fn returned(&mut self, func: String, v: Value) {
        if let Value::Node(k) = &v {
            let k = k.clone();
            self.escape(&k);
        }
        if matches!(v, Value::Node(_) | Value::Import(_) | Value::ReturnOf(_)) {
            self.returns.entry(func).or_default().push(v);
        }
    }
}

impl NodeDecl {
    /// Parameter `index` of function `func` used as a router, named `label` where it is used.
    pub(crate) fn param(
        func: &str,
        index: usize,
        typed: bool,
        framework: Option<Framework>,
        label: &str,
        at: (u32, u32),
    ) -> Self {
        NodeDecl {
            key: format!("{func}#{index}"),
            label: label.to_string(),
            kind: NodeKind::Param { typed },
            framework,
            prefixes: Vec::new(),
            escapes: false,
            nest: false,
            line: at.0,
            col: at.1,
        }
    }
}

impl RawMount {
    /// A plain mount of `child` under `parent` with `prefix`, at `line:col`.
    pub(crate) fn new(
        parent: Value,
        prefix: Str,
        child: Value,
        at: (u32, u32),
        code: String,
    ) -> Self {
        RawMount {
            parent,
            prefix,
            child,
            replaces_prefix: false,
            prefix_or_child: false,
            call: false,
            line: at.0,
            col: at.1,
            code,
        }
    }
}

/// Cuts an expression's text to 80 characters for messages, on one line.
pub(crate) fn snippet(code: &str) -> String {
    let one_line: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = one_line.chars().take(80).collect();
    if one_line.chars().count() > 80 {
        out.push('…');
    }
    out
}
