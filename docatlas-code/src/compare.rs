//! The docs' inventory against the code's: findings at the place to fix, each saying how.
//!
//! | kind | severity | place | when |
//! |---|---|---|---|
//! | `undocumented-route` | error | code | a route in the code matches no documented row |
//! | `undocumented-event` | error | code | a socket event in the code matches no documented row |
//! | `missing-route` | warning | docs row | a documented route is not in the code |
//! | `missing-event` | warning | docs row | a documented event is not in the code |
//! | `event-direction` | warning | docs row | the code sends the event the other way |
//! | `handler-mismatch` | warning | docs row | the code's handler is not the row's Controller/Handler |
//! | `duplicate-row` | warning | docs row | the same route or event is documented twice |
//! | `ref-missing-file` | warning | docs | a `file:line` reference names no file under the roots |
//! | `ref-moved` | warning | docs | the line no longer holds the symbol; it is elsewhere |
//! | `ref-gone` | warning | docs | the symbol is defined nowhere under the roots |
//! | `ref-past-end` | warning | docs | the line is past the end of the file |
//! | `unresolved` | note | code | a path, prefix, mount or event name built at run time |
//! | `unresolved-route` | note | code | a route below a mount that cannot be followed matches no row |
//! | `no-route-table` / `no-event-table` | note | code | the code has routes/events, the docs no table |
//! | `bad-ignore` | warning | config | an ignore rule that cannot be read |
//! | `unused-ignore` | note | config | an ignore rule that matches nothing |

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use serde::Serialize;

use crate::docs::{self, DocDirection, DocInventory, DocRoute, DocTable, IgnoreRule};
use crate::inventory::CodeInventory;
use crate::model::{Direction, Event, Handler, Place, Route, UnresolvedKind};
use crate::normalize;

/// How bad a finding is (only errors fail a check): build-index's diagnostics' severity, so a
/// finding becomes a diagnostic as it is.
pub use docatlas_core::severity::Severity;

/// Which file a finding's place is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// A docs page (the place is as the caller gave it in the [`DocInventory`]).
    Docs,
    /// A code file (the code root as given joined with the file's path).
    Code,
    /// The configuration (an [`IgnoreRule`]'s place).
    Config,
}

/// What a finding is about; its [`code`](FindingKind::code) is the JSON `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A route in the code that no row documents.
    UndocumentedRoute,
    /// A socket event in the code that no row documents.
    UndocumentedEvent,
    /// A documented route with no code.
    MissingRoute,
    /// A documented event with no code.
    MissingEvent,
    /// A documented event the code sends the other way.
    EventDirection,
    /// A row whose Controller/Handler is not the code's handler.
    HandlerMismatch,
    /// A route or event documented twice.
    DuplicateRow,
    /// A `file:line` reference to a file that is not under the code roots.
    RefMissingFile,
    /// A `file:line` reference whose symbol has moved.
    RefMoved,
    /// A `file:line` reference whose symbol is defined nowhere.
    RefGone,
    /// A `file:line` reference past the end of its file.
    RefPastEnd,
    /// Something the extractor could not resolve statically.
    Unresolved,
    /// A route below an unresolved mount that matches no documented route.
    UnresolvedRoute,
    /// The code has routes but the docs no route table.
    NoRouteTable,
    /// The code has socket events but the docs no event table.
    NoEventTable,
    /// An ignore rule that cannot be read.
    BadIgnore,
    /// An ignore rule that matches nothing.
    UnusedIgnore,
}

impl FindingKind {
    /// The kind as JSON and CI annotations name it (`undocumented-route`).
    pub fn code(self) -> &'static str {
        match self {
            FindingKind::UndocumentedRoute => "undocumented-route",
            FindingKind::UndocumentedEvent => "undocumented-event",
            FindingKind::MissingRoute => "missing-route",
            FindingKind::MissingEvent => "missing-event",
            FindingKind::EventDirection => "event-direction",
            FindingKind::HandlerMismatch => "handler-mismatch",
            FindingKind::DuplicateRow => "duplicate-row",
            FindingKind::RefMissingFile => "ref-missing-file",
            FindingKind::RefMoved => "ref-moved",
            FindingKind::RefGone => "ref-gone",
            FindingKind::RefPastEnd => "ref-past-end",
            FindingKind::Unresolved => "unresolved",
            FindingKind::UnresolvedRoute => "unresolved-route",
            FindingKind::NoRouteTable => "no-route-table",
            FindingKind::NoEventTable => "no-event-table",
            FindingKind::BadIgnore => "bad-ignore",
            FindingKind::UnusedIgnore => "unused-ignore",
        }
    }

    /// The severity findings of this kind have.
    pub fn severity(self) -> Severity {
        match self {
            FindingKind::UndocumentedRoute | FindingKind::UndocumentedEvent => Severity::Error,
            FindingKind::Unresolved
            | FindingKind::UnresolvedRoute
            | FindingKind::NoRouteTable
            | FindingKind::NoEventTable
            | FindingKind::UnusedIgnore => Severity::Note,
            _ => Severity::Warning,
        }
    }

    fn origin(self) -> Origin {
        match self {
            FindingKind::UndocumentedRoute
            | FindingKind::UndocumentedEvent
            | FindingKind::Unresolved
            | FindingKind::UnresolvedRoute
            | FindingKind::NoRouteTable
            | FindingKind::NoEventTable => Origin::Code,
            FindingKind::BadIgnore | FindingKind::UnusedIgnore => Origin::Config,
            _ => Origin::Docs,
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    /// Where to fix it.
    pub place: Place,
    /// Note, warning or error (always [`FindingKind::severity`] of `kind`).
    pub severity: Severity,
    /// What it is about.
    pub kind: FindingKind,
    /// Which file `place` is in.
    pub origin: Origin,
    /// What is wrong and how to fix it.
    pub message: String,
    /// The other end: the table an undocumented route belongs in, the code line of a
    /// mismatched handler, where a moved symbol is now.
    pub related: Option<Place>,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.place, self.severity, self.message)
    }
}

/// How [`compare`] runs.
#[derive(Debug, Clone, Default)]
pub struct CompareOptions {
    /// Deliberate exceptions (`[code] ignore`).
    pub ignore: Vec<IgnoreRule>,
}

/// A parsed ignore rule.
#[derive(Debug, Clone)]
enum Rule {
    /// Method (normalised, `ANY` for any), normalised path, `true` for everything below it.
    Route(String, String, bool),
    /// Event name, `true` for a prefix (`debug:*`).
    Event(String, bool),
}

fn parse_rule(text: &str) -> Result<Rule, String> {
    let t = text.trim();
    let lower = t.to_lowercase();
    for p in ["events:", "event:"] {
        if lower.starts_with(p) {
            let name = t.get(p.len()..).unwrap_or("").trim().trim_matches('`');
            if name.is_empty() {
                return Err(format!(
                    "ignore rule {t:?} names no event: write \"events: NAME\""
                ));
            }
            return Ok(match name.strip_suffix('*') {
                Some(prefix) => Rule::Event(prefix.to_string(), true),
                None => Rule::Event(name.to_string(), false),
            });
        }
    }
    let t = ["routes:", "route:"]
        .iter()
        .find_map(|p| {
            lower
                .starts_with(p)
                .then(|| t.get(p.len()..).unwrap_or("").trim())
        })
        .unwrap_or(t);
    let (method, path) = match t.split_once(char::is_whitespace) {
        Some((m, p)) => (m, p.trim()),
        None => ("*", t),
    };
    let method = normalize::method(method);
    if method != normalize::ANY && !crate::lang::is_http_method(&method) {
        return Err(format!(
            "ignore rule {text:?}: {method:?} is not an HTTP method: write \"GET /path\", \"/path\" (any method) or \"events: NAME\""
        ));
    }
    if !path.starts_with('/') {
        return Err(format!(
            "ignore rule {text:?}: the path must start with `/`: write \"GET /path\", \"/path/**\" (everything below) or \"events: NAME\""
        ));
    }
    let (path, below) = match path.strip_suffix("/**") {
        Some(p) => (p, true),
        None => (path, false),
    };
    Ok(Rule::Route(method, normalize::path(path), below))
}

struct Rules {
    rules: Vec<(Rule, usize)>,
    used: Vec<bool>,
}

impl Rules {
    fn route(&mut self, method: &str, path: &str) -> bool {
        let mut hit = false;
        for (rule, i) in &self.rules {
            if let Rule::Route(m, p, below) = rule {
                let path_ok =
                    p == path || (*below && (path.starts_with(&format!("{p}/")) || p == "/"));
                if path_ok && (m == normalize::ANY || m == method || method == normalize::ANY) {
                    hit = true;
                    if let Some(u) = self.used.get_mut(*i) {
                        *u = true;
                    }
                }
            }
        }
        hit
    }

    /// A route whose prefix is unknown: ignored if a rule's path ends with it.
    fn tail(&mut self, method: &str, tail: &str) -> bool {
        let mut hit = false;
        for (rule, i) in &self.rules {
            if let Rule::Route(m, p, _) = rule {
                if normalize::ends_with(p, tail) && normalize::methods_match(m, method) {
                    hit = true;
                    if let Some(u) = self.used.get_mut(*i) {
                        *u = true;
                    }
                }
            }
        }
        hit
    }

    fn event(&mut self, name: &str) -> bool {
        let mut hit = false;
        for (rule, i) in &self.rules {
            if let Rule::Event(n, prefix) = rule {
                if n == name || (*prefix && name.starts_with(n.as_str())) {
                    hit = true;
                    if let Some(u) = self.used.get_mut(*i) {
                        *u = true;
                    }
                }
            }
        }
        hit
    }
}

/// Compares the docs' inventory with the code's. Findings are sorted by place; see the module
/// docs for every kind.
pub fn compare(docs: &DocInventory, code: &CodeInventory, opts: &CompareOptions) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut rules = Rules {
        rules: Vec::new(),
        used: vec![false; opts.ignore.len()],
    };
    for (i, r) in opts.ignore.iter().enumerate() {
        match parse_rule(&r.text) {
            Ok(rule) => rules.rules.push((rule, i)),
            Err(msg) => {
                if let Some(u) = rules.used.get_mut(i) {
                    *u = true;
                }
                push(&mut out, FindingKind::BadIgnore, r.place.clone(), msg, None);
            }
        }
    }
    routes(docs, code, &mut rules, &mut out);
    events(docs, code, &mut rules, &mut out);
    code_refs(docs, code, &mut out);
    for u in &code.unresolved {
        if u.kind == UnresolvedKind::Unmounted {
            // Said once per route that then matches nothing (`unresolved-route`).
            continue;
        }
        let what = match u.kind {
            UnresolvedKind::RoutePath => "route",
            UnresolvedKind::MountPrefix
            | UnresolvedKind::MountTarget
            | UnresolvedKind::Unmounted => "mount",
            UnresolvedKind::EventName => "event",
        };
        push(
            &mut out,
            FindingKind::Unresolved,
            u.place.clone(),
            format!(
                "{what} `{}` cannot be resolved without running the code: {}; use a literal or a constant to have it checked, or document it by hand",
                u.code, u.reason
            ),
            None,
        );
    }
    for (i, used) in rules.used.iter().enumerate() {
        if !used {
            if let Some(r) = opts.ignore.get(i) {
                push(
                    &mut out,
                    FindingKind::UnusedIgnore,
                    r.place.clone(),
                    format!(
                        "ignore rule {:?} matches nothing in the code or the docs: remove it",
                        r.text
                    ),
                    None,
                );
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn push(
    out: &mut Vec<Finding>,
    kind: FindingKind,
    place: Place,
    message: String,
    related: Option<Place>,
) {
    out.push(Finding {
        place,
        severity: kind.severity(),
        kind,
        origin: kind.origin(),
        message,
        related,
    });
}

// ---- handlers ---------------------------------------------------------------------------------

/// Lower case letters and digits only: `orderController` = `OrderController` = `order_controller`.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A Controller/Handler cell as `(owner, name)`: `OrderController.list`, `OrderController#list`,
/// `orders::list`, `list()`, `BidSocket`.
fn doc_handler(cell: &str) -> Option<(Option<String>, String)> {
    let t = docs::clean_cell(cell);
    let t = t
        .split_whitespace()
        .next()?
        .trim_end_matches("()")
        .trim_end_matches(',');
    if docs::is_placeholder(t) {
        return None;
    }
    let split = t
        .rfind("::")
        .map(|i| (i, 2))
        .or_else(|| t.rfind(['.', '#']).map(|i| (i, 1)));
    Some(match split {
        Some((i, len)) => (
            t.get(..i)
                .map(|o| o.rsplit(['.', '/']).next().unwrap_or(o).to_string()),
            t.get(i.saturating_add(len)..).unwrap_or("").to_string(),
        ),
        None => (None, t.to_string()),
    })
}

/// True when a row's handler cell describes the code's handler (at `place`).
fn handler_matches(cell: &str, code: &Handler, place: &Place) -> bool {
    let Some((owner, name)) = doc_handler(cell) else {
        return true;
    };
    let file = place.path.rsplit('/').next().unwrap_or("");
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    match owner {
        None => {
            // `BidSocket`: the class, the function or the module.
            let n = fold(&name);
            n == fold(&code.name)
                || code.owner.as_deref().is_some_and(|o| fold(o) == n)
                || fold(stem) == n
        }
        Some(owner) => {
            if fold(&name) != fold(&code.name) {
                return false;
            }
            match (&code.owner, code.owner_is_type) {
                (Some(o), true) => fold(o) == fold(&owner),
                _ => true,
            }
        }
    }
}

// ---- routes -----------------------------------------------------------------------------------

struct DocKey<'a> {
    method: String,
    path: String,
    row: &'a DocRoute,
}

fn routes(docs: &DocInventory, code: &CodeInventory, rules: &mut Rules, out: &mut Vec<Finding>) {
    let doc: Vec<DocKey<'_>> = docs
        .routes
        .iter()
        .map(|r| DocKey {
            method: normalize::method(&docs::clean_cell(&r.method)),
            path: normalize::path(&docs::clean_cell(&r.path)),
            row: r,
        })
        .collect();
    let mut complete: BTreeMap<(String, String), Vec<&Route>> = BTreeMap::new();
    let mut partial: Vec<(String, &Route)> = Vec::new();
    for r in &code.routes {
        let key = (normalize::method(&r.method), normalize::path(&r.path));
        if r.complete {
            complete.entry(key).or_default().push(r);
        } else {
            partial.push((key.1, r));
        }
    }
    if docs.routes.is_empty() && docs.route_tables.is_empty() {
        if let Some(first) = code.routes.first() {
            push(
                out,
                FindingKind::NoRouteTable,
                first.place.clone(),
                format!(
                    "the code defines {} route{} but no docs page has a route table: add a table headed `| Method | Path | Controller |` listing them to have them checked",
                    code.routes.len(),
                    if code.routes.len() == 1 { "" } else { "s" }
                ),
                None,
            );
        }
        return;
    }
    // Documented routes: each must be in the code.
    let mut seen: HashMap<(String, String), &Place> = HashMap::new();
    for d in &doc {
        if let Some(first) = seen.get(&(d.method.clone(), d.path.clone())) {
            push(
                out,
                FindingKind::DuplicateRow,
                d.row.place.clone(),
                format!(
                    "route `{} {}` is documented twice (also at {first}): remove one row",
                    d.method, d.row.path
                ),
                Some((*first).clone()),
            );
            continue;
        }
        seen.insert((d.method.clone(), d.path.clone()), &d.row.place);
        if rules.route(&d.method, &d.path) {
            continue;
        }
        let exact: Vec<&Route> = complete
            .iter()
            .filter(|((m, p), _)| *p == d.path && normalize::methods_match(&d.method, m))
            .flat_map(|(_, v)| v.iter().copied())
            .collect();
        let by_tail: Vec<&Route> = partial
            .iter()
            .filter(|(tail, r)| {
                normalize::ends_with(&d.path, tail)
                    && normalize::methods_match(&d.method, &normalize::method(&r.method))
                    && match (&d.row.handler, &r.handler) {
                        (Some(cell), Some(h)) => handler_matches(cell, h, &r.place),
                        _ => true,
                    }
            })
            .map(|(_, r)| *r)
            .collect();
        if exact.is_empty() && by_tail.is_empty() {
            missing_route(d, &complete, code, out);
            continue;
        }
        if let Some(cell) = &d.row.handler {
            let with: Vec<&Route> = exact
                .iter()
                .chain(by_tail.iter())
                .copied()
                .filter(|r| r.handler.is_some())
                .collect();
            if !with.is_empty()
                && !with.iter().any(|r| {
                    r.handler
                        .as_ref()
                        .is_some_and(|h| handler_matches(cell, h, &r.place))
                })
            {
                if let Some(r) = with.first() {
                    let h = r
                        .handler
                        .as_ref()
                        .map(Handler::to_string)
                        .unwrap_or_default();
                    push(
                        out,
                        FindingKind::HandlerMismatch,
                        d.row.place.clone(),
                        format!(
                            "route `{} {}` is handled by `{h}` in the code ({}), not `{}` as this row says: update the Controller cell",
                            d.method,
                            d.row.path,
                            r.place,
                            docs::clean_cell(cell)
                        ),
                        Some(r.place.clone()),
                    );
                }
            }
        }
    }
    // Code routes: each must be documented.
    for ((method, path), group) in &complete {
        let documented = doc
            .iter()
            .any(|d| d.path == *path && normalize::methods_match(&d.method, method));
        if documented || rules.route(method, path) {
            continue;
        }
        let Some(first) = group.first() else { continue };
        let table = pick_route_table(docs, &doc, path);
        let handler = first.handler.as_ref().map(Handler::to_string);
        let also = match group.len() {
            1 => String::new(),
            n => format!(" (registered at {} places)", n),
        };
        let row = format!(
            "| {} | {} | {} |",
            first.method,
            first.path,
            handler.as_deref().unwrap_or("…")
        );
        let where_ = match &table {
            Some(t) => format!("to the route table at {}{}", t.place, title(t)),
            None => "to a route table".to_string(),
        };
        push(
            out,
            FindingKind::UndocumentedRoute,
            first.place.clone(),
            format!(
                "route `{} {}`{}{also} is not documented: add `{row}` {where_}, or add \"{} {}\" to the ignore list if it is deliberately undocumented",
                first.method,
                first.path,
                handler.map(|h| format!(" ({h})")).unwrap_or_default(),
                first.method,
                first.path
            ),
            table.map(|t| t.place.clone()),
        );
    }
    for (tail, r) in &partial {
        let method = normalize::method(&r.method);
        let documented = doc.iter().any(|d| {
            normalize::ends_with(&d.path, tail)
                && normalize::methods_match(&d.method, &method)
                && match (&d.row.handler, &r.handler) {
                    (Some(cell), Some(h)) => handler_matches(cell, h, &r.place),
                    _ => true,
                }
        });
        if documented || rules.tail(&method, tail) {
            continue;
        }
        push(
            out,
            FindingKind::UnresolvedRoute,
            r.place.clone(),
            format!(
                "route `{} …{}` is below a mount the code does not show statically, and no documented route ends with `{}`: document it with its full path (the note at its router's mount says why the prefix is unknown)",
                r.method, r.path, r.path
            ),
            None,
        );
    }
}

fn title(t: &DocTable) -> String {
    t.title
        .as_ref()
        .map(|s| format!(" (\"{s}\")"))
        .unwrap_or_default()
}

/// The route table a new route belongs in: the one whose rows share the longest leading part of
/// its path, else the first.
fn pick_route_table<'a>(
    docs: &'a DocInventory,
    doc: &[DocKey<'_>],
    path: &str,
) -> Option<&'a DocTable> {
    let segs: Vec<&str> = normalize::segments(path).collect();
    let mut best: Option<(usize, usize)> = None;
    for d in doc {
        let Some(t) = d.row.table else { continue };
        let shared = normalize::segments(&d.path)
            .zip(segs.iter())
            .take_while(|(a, b)| a == *b)
            .count();
        if shared > 0 && best.is_none_or(|(s, bt)| shared > s || (shared == s && t < bt)) {
            best = Some((shared, t));
        }
    }
    match best {
        Some((_, t)) => docs.route_tables.get(t),
        None => docs.route_tables.first(),
    }
}

fn missing_route(
    d: &DocKey<'_>,
    complete: &BTreeMap<(String, String), Vec<&Route>>,
    code: &CodeInventory,
    out: &mut Vec<Finding>,
) {
    let other_methods: Vec<(&String, &Route)> = complete
        .iter()
        .filter(|((_, p), _)| *p == d.path)
        .filter_map(|((m, _), v)| v.first().map(|r| (m, *r)))
        .collect();
    let (hint, related) = if let Some((_, r)) = other_methods.first() {
        let ms: Vec<&str> = other_methods.iter().map(|(m, _)| m.as_str()).collect();
        (
            format!(
                "the code serves this path with {} ({}): fix the Method cell",
                ms.join(", "),
                r.place
            ),
            Some(r.place.clone()),
        )
    } else if let Some(r) = closest(&d.path, &d.method, complete) {
        (
            format!("did you mean `{} {}` ({})? Fix the Path cell, or remove the row if the route is gone", r.method, r.path, r.place),
            Some(r.place.clone()),
        )
    } else {
        (
            "remove the row if the route is gone, fix its method or path if they changed, or add it to the ignore list if another service serves it".to_string(),
            None,
        )
    };
    push(
        out,
        FindingKind::MissingRoute,
        d.row.place.clone(),
        format!(
            "documented route `{} {}` is not in the code ({} files under {}): {hint}",
            d.method,
            docs::clean_cell(&d.row.path),
            code.files_parsed,
            roots(code)
        ),
        related,
    );
}

fn roots(code: &CodeInventory) -> String {
    match code.roots.as_slice() {
        [] => "no code root".into(),
        [one] => one.clone(),
        many => many.join(", "),
    }
}

/// A code route with the same method whose path differs from `path` in one segment.
fn closest<'a>(
    path: &str,
    method: &str,
    complete: &BTreeMap<(String, String), Vec<&'a Route>>,
) -> Option<&'a Route> {
    let want: Vec<&str> = normalize::segments(path).collect();
    complete
        .iter()
        .filter(|((m, _), _)| normalize::methods_match(method, m))
        .filter(|((_, p), _)| {
            let have: Vec<&str> = normalize::segments(p).collect();
            let diff = if have.len() == want.len() {
                // One segment spelled differently (`/order` for `/orders`), not a parameter for
                // a word or two unrelated words.
                let differing: Vec<(&&str, &&str)> =
                    have.iter().zip(&want).filter(|(a, b)| a != b).collect();
                match differing.as_slice() {
                    [(a, b)] if similar(a, b) => 1,
                    _ => 2,
                }
            } else if have.len().abs_diff(want.len()) == 1 {
                // One segment added or dropped (`/v1`), the rest in order.
                let (long, short) = if have.len() > want.len() {
                    (&have, &want)
                } else {
                    (&want, &have)
                };
                let same = (0..long.len()).any(|skip| {
                    long.iter()
                        .enumerate()
                        .filter(|(i, _)| *i != skip)
                        .map(|(_, s)| s)
                        .eq(short.iter())
                });
                if same {
                    1
                } else {
                    2
                }
            } else {
                2
            };
            diff == 1
        })
        .find_map(|(_, v)| v.first().copied())
}

// ---- events -----------------------------------------------------------------------------------

fn events(docs: &DocInventory, code: &CodeInventory, rules: &mut Rules, out: &mut Vec<Finding>) {
    let mut by_name: BTreeMap<&str, Vec<&Event>> = BTreeMap::new();
    for e in &code.events {
        by_name.entry(e.name.as_str()).or_default().push(e);
    }
    if docs.events.is_empty() && docs.event_tables.is_empty() {
        if let Some(first) = code.events.first() {
            push(
                out,
                FindingKind::NoEventTable,
                first.place.clone(),
                format!(
                    "the code sends or handles {} socket event{} but no docs page has an event table: add a table headed `| Event | Direction | Payload | Handler |` listing them to have them checked",
                    by_name.len(),
                    if by_name.len() == 1 { "" } else { "s" }
                ),
                None,
            );
        }
        return;
    }
    let mut documented: BTreeSet<String> = BTreeSet::new();
    let mut seen: HashMap<String, &Place> = HashMap::new();
    for d in &docs.events {
        let name = docs::clean_cell(&d.name);
        if let Some(first) = seen.get(&name) {
            push(
                out,
                FindingKind::DuplicateRow,
                d.place.clone(),
                format!("event `{name}` is documented twice (also at {first}): remove one row"),
                Some((*first).clone()),
            );
            continue;
        }
        seen.insert(name.clone(), &d.place);
        documented.insert(name.clone());
        if rules.event(&name) {
            continue;
        }
        let Some(found) = by_name.get(name.as_str()) else {
            push(
                out,
                FindingKind::MissingEvent,
                d.place.clone(),
                format!(
                    "documented event `{name}` is neither sent nor handled in the code ({} files under {}): remove the row if the event is gone, fix its name if it changed, or add \"events: {name}\" to the ignore list",
                    code.files_parsed,
                    roots(code)
                ),
                None,
            );
            continue;
        };
        let dir = d.direction.as_deref().and_then(docs::direction);
        let matching: Vec<&Event> = match dir {
            Some(DocDirection::One(want)) => found
                .iter()
                .copied()
                .filter(|e| e.direction == want)
                .collect(),
            _ => found.clone(),
        };
        if let (Some(DocDirection::One(want)), true) = (dir, matching.is_empty()) {
            if let Some(e) = found.first() {
                push(
                    out,
                    FindingKind::EventDirection,
                    d.place.clone(),
                    format!(
                        "event `{name}` is documented as {want} but the code {} ({}): fix the Direction cell",
                        match e.direction {
                            Direction::ServerToClient => "only sends it to clients (server→client)",
                            Direction::ClientToServer => "only handles it from clients (client→server)",
                        },
                        e.place
                    ),
                    Some(e.place.clone()),
                );
            }
            continue;
        }
        if let Some(cell) = &d.handler {
            let with: Vec<&Event> = matching
                .iter()
                .copied()
                .filter(|e| e.handler.is_some())
                .collect();
            let matches = |e: &&Event| {
                e.handler
                    .iter()
                    .chain(e.registered_in.iter())
                    .any(|h| handler_matches(cell, h, &e.place))
            };
            if !with.is_empty() && !with.iter().any(matches) {
                if let Some(e) = with.first() {
                    let h = e
                        .handler
                        .as_ref()
                        .map(Handler::to_string)
                        .unwrap_or_default();
                    push(
                        out,
                        FindingKind::HandlerMismatch,
                        d.place.clone(),
                        format!(
                            "event `{name}` is {} by `{h}` in the code ({}), not `{}` as this row says: update the Handler cell",
                            match e.direction {
                                Direction::ClientToServer => "handled",
                                Direction::ServerToClient => "sent",
                            },
                            e.place,
                            docs::clean_cell(cell)
                        ),
                        Some(e.place.clone()),
                    );
                }
            }
        }
    }
    for (name, found) in &by_name {
        if documented.contains(*name) || rules.event(name) {
            continue;
        }
        let Some(first) = found.first() else { continue };
        let dirs: BTreeSet<Direction> = found.iter().map(|e| e.direction).collect();
        let dir_text = dirs
            .iter()
            .map(Direction::to_string)
            .collect::<Vec<_>>()
            .join(" and ");
        let handler = first.handler.as_ref().map(Handler::to_string);
        let table = pick_event_table(docs, first);
        let where_ = match table {
            Some(t) => format!("to the event table at {}{}", t.place, title(t)),
            None => "to an event table".to_string(),
        };
        let row = format!(
            "| {name} | {} | … | {} |",
            dirs.iter()
                .next()
                .map(Direction::to_string)
                .unwrap_or_default(),
            handler.as_deref().unwrap_or("…")
        );
        push(
            out,
            FindingKind::UndocumentedEvent,
            first.place.clone(),
            format!(
                "socket event `{name}` ({dir_text}{}) is not documented: add `{row}` {where_}, or add \"events: {name}\" to the ignore list if it is deliberately undocumented",
                handler.map(|h| format!(", {h}")).unwrap_or_default()
            ),
            table.map(|t| t.place.clone()),
        );
    }
}

/// The event table a new event belongs in: one whose rows name the same handler class, else one
/// whose rows share the event's namespace (`bid:` in `bid:new`), else the first.
fn pick_event_table<'a>(docs: &'a DocInventory, e: &Event) -> Option<&'a DocTable> {
    let owner = e
        .handler
        .as_ref()
        .and_then(|h| h.owner.as_deref())
        .map(fold);
    let ns = |n: &str| n.split([':', '.', '/', '_']).next().map(str::to_string);
    let mine = ns(&e.name);
    let by_owner = docs.events.iter().find(|d| {
        owner.as_ref().is_some_and(|o| {
            d.handler
                .as_deref()
                .and_then(doc_handler)
                .is_some_and(|(ow, n)| ow.map(|x| fold(&x)).unwrap_or_else(|| fold(&n)) == *o)
        })
    });
    let by_ns = || {
        docs.events
            .iter()
            .find(|d| ns(&docs::clean_cell(&d.name)) == mine && mine.is_some())
    };
    match by_owner.or_else(by_ns).and_then(|d| d.table) {
        Some(t) => docs.event_tables.get(t),
        None => docs.event_tables.first(),
    }
}

// ---- code references --------------------------------------------------------------------------

fn code_refs(docs: &DocInventory, code: &CodeInventory, out: &mut Vec<Finding>) {
    let mut texts: HashMap<(usize, String), Option<String>> = HashMap::new();
    for r in &docs.code_refs {
        let shown = format!("{}:{}", r.file, r.line);
        let found = code.files.find(&r.file);
        let Some((root, rel)) = found.first().cloned() else {
            push(
                out,
                FindingKind::RefMissingFile,
                r.place.clone(),
                format!(
                    "code reference `{shown}`: there is no file `{}` under {}: fix the path, or remove the reference if the file is gone",
                    r.file,
                    roots(code)
                ),
                None,
            );
            continue;
        };
        let text = texts
            .entry((root, rel.clone()))
            .or_insert_with(|| code.files.read(root, &rel));
        let Some(text) = text.as_deref() else {
            continue;
        };
        let lines: Vec<&str> = text.lines().collect();
        let at = usize::try_from(r.line)
            .ok()
            .and_then(|l| l.checked_sub(1))
            .and_then(|i| lines.get(i));
        // The doc's spelling of a path in the same root: its prefix before the file's own path.
        let prefix = r.file.strip_suffix(rel.as_str()).unwrap_or("").to_string();
        let Some(symbol) = r.symbol.as_deref().and_then(doc_handler) else {
            if at.is_none() {
                push(
                    out,
                    FindingKind::RefPastEnd,
                    r.place.clone(),
                    format!(
                        "code reference `{shown}`: line {} is past the end of {} ({} lines): update the line number",
                        r.line,
                        code.files.display(root, &rel),
                        lines.len()
                    ),
                    None,
                );
            }
            continue;
        };
        let (owner, name) = symbol;
        if name.is_empty() || at.is_some_and(|l| has_word(l, &name)) {
            continue;
        }
        let sym_text = match &owner {
            Some(o) => format!("{o}.{name}"),
            None => name.clone(),
        };
        let owner_ok = |d: &crate::facts::Def| match (&owner, &d.owner) {
            (Some(o), Some(d)) => fold(o) == fold(d),
            _ => true,
        };
        // Where it is now: this file first (its definitions, or for a file not parsed, the first
        // line holding the name), then every parsed file.
        let here = match code.symbols.in_file(root, &rel) {
            Some(defs) => defs
                .iter()
                .filter(|d| d.name == name)
                .find(|d| owner_ok(d))
                .map(|d| d.line),
            None => lines
                .iter()
                .position(|l| has_word(l, &name))
                .and_then(|i| u32::try_from(i.saturating_add(1)).ok()),
        };
        let (new_root, new_rel, new_line) = match here {
            Some(l) => (root, rel.clone(), l),
            None => match code
                .symbols
                .named(&name)
                .iter()
                .find(|(_, _, d)| owner_ok(d))
            {
                Some((r2, rel2, d)) => (*r2, rel2.clone(), d.line),
                None => {
                    push(
                        out,
                        FindingKind::RefGone,
                        r.place.clone(),
                        format!(
                            "code reference `{shown}` names `{sym_text}`, which is no longer defined in {} or anywhere under {}: update the reference, or remove it if the code is gone",
                            code.files.display(root, &rel),
                            roots(code)
                        ),
                        None,
                    );
                    continue;
                }
            },
        };
        let new_place = Place::new(code.files.display(new_root, &new_rel), new_line, 1);
        let (where_, fix) = if new_root == root && new_rel == rel {
            (
                format!("now at line {new_line}"),
                format!("{}:{new_line}", r.file),
            )
        } else {
            let spelled = if new_root == root {
                format!("{prefix}{new_rel}")
            } else {
                new_place.path.clone()
            };
            (
                format!("now in {}:{new_line}", new_place.path),
                format!("{spelled}:{new_line}"),
            )
        };
        push(
            out,
            FindingKind::RefMoved,
            r.place.clone(),
            format!(
                "code reference `{shown}` names `{sym_text}`, but that line no longer holds it; it is {where_}: update the reference to `{fix}`"
            ),
            Some(new_place),
        );
    }
}

/// Two literal segments that differ by a typo or a plural: within a third of their length in
/// edits (at least 1, at most 3).
fn similar(a: &str, b: &str) -> bool {
    if a.contains('{') || b.contains('{') {
        return false;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let limit = (a.len().max(b.len()) / 3).clamp(1, 3);
    if a.len().abs_diff(b.len()) > limit {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i.saturating_add(1)];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev
                .get(j)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(usize::from(ca != cb));
            let del = prev
                .get(j.saturating_add(1))
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let ins = cur.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().is_some_and(|d| *d <= limit)
}

/// True when `line` holds `word` as a whole identifier.
fn has_word(line: &str, word: &str) -> bool {
    let is_id = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    line.match_indices(word).any(|(i, _)| {
        let before = line.get(..i).and_then(|s| s.chars().next_back());
        let after = line
            .get(i.saturating_add(word.len())..)
            .and_then(|s| s.chars().next());
        !before.is_some_and(is_id) && !after.is_some_and(is_id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(owner: Option<&str>, name: &str, typed: bool) -> Handler {
        Handler {
            owner: owner.map(String::from),
            name: name.into(),
            owner_is_type: typed,
        }
    }

    #[test]
    fn handlers_compare_as_people_write_them() {
        let p = Place::new("src/bid.socket.ts", 1, 1);
        assert!(handler_matches(
            "OrderController.list",
            &h(Some("OrderController"), "list", true),
            &p
        ));
        assert!(handler_matches(
            "`OrderController.list()`",
            &h(Some("OrderController"), "list", true),
            &p
        ));
        assert!(handler_matches(
            "OrderController#list",
            &h(Some("ctrl"), "list", false),
            &p
        ));
        assert!(!handler_matches(
            "OrderController.list",
            &h(Some("UserController"), "list", true),
            &p
        ));
        assert!(!handler_matches(
            "OrderController.get",
            &h(Some("OrderController"), "list", true),
            &p
        ));
        assert!(handler_matches(
            "BidSocket",
            &h(Some("BidSocket"), "onBid", true),
            &p
        ));
        assert!(
            handler_matches("BidSocket", &h(None, "register", false), &p),
            "the file stem"
        );
        assert!(
            handler_matches("—", &h(None, "x", false), &p),
            "a placeholder says nothing"
        );
    }

    #[test]
    fn ignore_rules() {
        assert!(
            matches!(parse_rule("GET /healthz"), Ok(Rule::Route(m, p, false)) if m == "GET" && p == "/healthz")
        );
        assert!(matches!(parse_rule("/metrics"), Ok(Rule::Route(m, _, false)) if m == "ANY"));
        assert!(
            matches!(parse_rule("routes: get /internal/**"), Ok(Rule::Route(_, p, true)) if p == "/internal")
        );
        assert!(matches!(parse_rule("events: ping"), Ok(Rule::Event(n, false)) if n == "ping"));
        assert!(matches!(parse_rule("events: debug:*"), Ok(Rule::Event(n, true)) if n == "debug:"));
        assert!(parse_rule("FETCH /x").is_err());
        assert!(parse_rule("GET healthz").is_err());
        assert!(parse_rule("events:").is_err());
    }

    #[test]
    fn similar_segments() {
        assert!(similar("orders", "order"));
        assert!(similar("users", "usrs"));
        assert!(!similar("orders", "proxy"));
        assert!(!similar("{}", "orders"));
    }

    #[test]
    fn words() {
        assert!(has_word("  async create(dto) {", "create"));
        assert!(!has_word("  async createMany(dto) {", "create"));
        assert!(!has_word("  recreate()", "create"));
    }
}
