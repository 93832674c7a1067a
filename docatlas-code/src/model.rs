//! The code inventory: the routes and socket events a code tree defines, each at its place, and
//! what could not be resolved statically.

use std::fmt;

use serde::Serialize;

/// A place in a file: a docs page's table row, or a line of code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Place {
    /// `/`-separated path. Code places are the code root as the caller gave it joined with the
    /// file's path inside it (`../api/src/users.ts`), so a terminal or CI annotation finds the
    /// file; docs places are whatever the caller passed (relative to the docs root).
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
}

impl Place {
    /// A place from its parts.
    pub fn new(path: impl Into<String>, line: u32, col: u32) -> Self {
        Self {
            path: path.into(),
            line,
            col,
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.col)
    }
}

/// The framework whose API defined a route or an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Framework {
    /// Express (`express()`, `express.Router()`).
    Express,
    /// Koa with `@koa/router` / `koa-router`.
    Koa,
    /// Fastify (`fastify()`, plugins registered with a prefix).
    Fastify,
    /// Hono (`new Hono()`).
    Hono,
    /// NestJS controllers (`@Controller` + `@Get`).
    Nest,
    /// Socket.IO (`socket.on`, `socket.emit`, NestJS gateways, python-socketio).
    SocketIo,
    /// FastAPI (`FastAPI()`, `APIRouter`).
    FastApi,
    /// Flask (`Flask(__name__)`, blueprints).
    Flask,
    /// Go's `net/http` (`http.HandleFunc`, `ServeMux`, Go 1.22 method patterns).
    NetHttp,
    /// go-chi/chi.
    Chi,
    /// gin-gonic/gin.
    Gin,
    /// labstack/echo.
    Echo,
    /// gofiber/fiber.
    Fiber,
    /// gorilla/mux.
    Gorilla,
    /// Spring MVC / WebFlux annotations (`@RequestMapping`, `@GetMapping`).
    Spring,
    /// JAX-RS / Jakarta REST annotations (`@Path`, `@GET`).
    JaxRs,
}

impl Framework {
    /// The framework's name as printed and in JSON (`express`, `fast-api`, `net-http`...).
    pub fn name(self) -> &'static str {
        match self {
            Framework::Express => "express",
            Framework::Koa => "koa",
            Framework::Fastify => "fastify",
            Framework::Hono => "hono",
            Framework::Nest => "nest",
            Framework::SocketIo => "socket-io",
            Framework::FastApi => "fast-api",
            Framework::Flask => "flask",
            Framework::NetHttp => "net-http",
            Framework::Chi => "chi",
            Framework::Gin => "gin",
            Framework::Echo => "echo",
            Framework::Fiber => "fiber",
            Framework::Gorilla => "gorilla",
            Framework::Spring => "spring",
            Framework::JaxRs => "jax-rs",
        }
    }
}

impl fmt::Display for Framework {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The function that handles a route or an event, as the code names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Handler {
    /// What owns the function: a class (`BookingController`), a Go receiver or package, or the
    /// variable a method is read from (`ctrl` in `ctrl.list`).
    pub owner: Option<String>,
    /// The function or method name.
    pub name: String,
    /// True when `owner` is a type the framework itself ties the handler to (a NestJS or Spring
    /// controller class): then a documented owner must match it. A variable (`ctrl.list`) is
    /// not compared with the docs' controller name, only the method is.
    pub owner_is_type: bool,
}

impl Handler {
    /// A handler with no owner (a plain function).
    pub fn function(name: impl Into<String>) -> Self {
        Self {
            owner: None,
            name: name.into(),
            owner_is_type: false,
        }
    }

    /// A method of a class the framework ties the route to.
    pub fn method(owner: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            owner: Some(owner.into()),
            name: name.into(),
            owner_is_type: true,
        }
    }
}

impl fmt::Display for Handler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.owner {
            Some(o) => write!(f, "{o}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// One HTTP route the code defines.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Route {
    /// Where the route is registered (the `router.get(` call, the `@Get` decorator).
    pub place: Place,
    /// Upper-case method (`GET`), or `ANY` for a route that takes every method.
    pub method: String,
    /// The full path as the code spells it, mount prefixes joined (`/api/users/:id`). When
    /// `complete` is false, only the part below an unresolved mount.
    pub path: String,
    /// The handler, when the framework names one (an inline closure has none).
    pub handler: Option<Handler>,
    /// The framework.
    pub framework: Framework,
    /// False when some prefix above this route could not be resolved (a router never mounted
    /// where the code shows it, a mount prefix built at run time): `path` is then a suffix of
    /// the real path, and the route matches a documented route that ends with it.
    pub complete: bool,
}

/// Which way a socket event travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Sent by a client, handled by the server (`socket.on` on the server, `emit` in a client).
    ClientToServer,
    /// Sent by the server (`socket.emit`, `io.to(room).emit`), handled by clients.
    ServerToClient,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::ClientToServer => "client→server",
            Direction::ServerToClient => "server→client",
        })
    }
}

/// One socket event the code sends or handles.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Event {
    /// Where the event is emitted or listened to.
    pub place: Place,
    /// The event name (`bid:new`).
    pub name: String,
    /// The direction, from the server's point of view.
    pub direction: Direction,
    /// The handler (`BidGateway.onBid`) for a listener; for an emit, the function that emits.
    pub handler: Option<Handler>,
    /// For a listener registered inside another named function (`socket.on('e', render)` in
    /// `watchBids`), that function: docs often name it rather than the listener.
    pub registered_in: Option<Handler>,
    /// The framework.
    pub framework: Framework,
}

/// What kind of thing could not be resolved statically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnresolvedKind {
    /// A route whose path is built at run time.
    RoutePath,
    /// A mount (`app.use(prefix, router)`, `include_router(prefix=...)`) whose prefix is built at
    /// run time: the routes below it are incomplete.
    MountPrefix,
    /// A mount of something that cannot be followed statically (a dynamic `require`/`import`, a
    /// directory auto-loader).
    MountTarget,
    /// A router whose routes are registered but which is never mounted where the code shows it:
    /// its routes' full paths are unknown.
    Unmounted,
    /// An event whose name is built at run time.
    EventName,
}

/// Something the extractor saw but could not resolve without running the code. It is listed,
/// never guessed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Unresolved {
    /// Where it is.
    pub place: Place,
    /// What it is.
    pub kind: UnresolvedKind,
    /// The expression as written (cut to 80 characters).
    pub code: String,
    /// Why it could not be resolved.
    pub reason: String,
}

/// A source file the extractor did not parse.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Skipped {
    /// The file (code root joined with its path inside).
    pub path: String,
    /// Why (`larger than 1 MiB: generated or minified code`, an IO error).
    pub reason: String,
}
