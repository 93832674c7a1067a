//! Catalog tables, recognised by their header row: the first column names the entities the table
//! defines (`Feature`, `Service`, `Table`, `Event`, `Method` + `Path`...); other columns that
//! name entities become relations (`Controllers`, `Database Tables`, `Team`, `Handler`...), the
//! rest attributes (`Auth`, `Rate Limit`, `PII`). A table-definition table (first column
//! `Column`, captioned ``Table: `orders` ``, or headed `Table: orders`) defines that table, and
//! its `FK→users` constraints become table → table references.

use std::sync::Arc;

use docatlas_core::graph::{Kind, Rel};

use super::merge::{Builder, Name, Src};
use super::refs;
use crate::corpus::markdown::{Cell, Table};
use crate::corpus::read::Page;

/// What a catalog table's rows are.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Subject {
    /// Each row's first cell names an entity of these kinds (the first for a new one).
    Entities(&'static [Kind]),
    /// Routes named by a method column and a path column.
    Routes { method: usize, path: usize },
    /// The rows are columns of one database table.
    TableDef(String),
}

/// How a non-first column is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Role {
    rel: Rel,
    /// True if the row's entity is the relation's source.
    forward: bool,
    /// Kinds the cell's names may be.
    kinds: &'static [Kind],
    /// Naming an entity in this column defines it (a service's controllers and tables).
    defines: bool,
    /// Cells name methods (`BookingController.create`): the entity is the part before the dot,
    /// and the full text is kept as an attribute.
    method: bool,
}

const SERVICE_LIKE: &[Kind] = &[Kind::Service, Kind::Component];
const DEPENDABLE: &[Kind] = &[Kind::Service, Kind::Component, Kind::Resource];

/// Lower case, single spaces, no `(s)` or trailing `:`; what headers are compared as.
fn norm(h: &str) -> String {
    h.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace("(s)", "s")
        .trim_end_matches(':')
        .trim()
        .to_string()
}

fn subject(t: &Table) -> Option<Subject> {
    let headers: Vec<String> = t.header.iter().map(|c| norm(&c.text)).collect();
    let first = headers.first()?;
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    if let Some(rest) = first.strip_prefix("table:") {
        let name = t
            .header
            .first()
            .map(|c| c.text.as_str())
            .unwrap_or_default();
        let name = name.split_once(':').map_or(rest, |(_, n)| n);
        return Some(Subject::TableDef(clean(name)));
    }
    if first == "column" || first == "column name" {
        let caption = t.caption.as_deref()?;
        let (label, name) = caption.split_once(':')?;
        return (norm(label) == "table").then(|| Subject::TableDef(clean(name)));
    }
    if let (Some(method), Some(path)) =
        (col(&["method", "verb"]), col(&["path", "url", "endpoint"]))
    {
        return Some(Subject::Routes { method, path });
    }
    let channels = headers
        .iter()
        .any(|h| matches!(h.as_str(), "email" | "sms" | "push" | "in-app" | "slack"));
    let kinds: &'static [Kind] = match first.as_str() {
        "feature" | "features" | "capability" | "capabilities" => &[Kind::Feature],
        "service" | "services" => SERVICE_LIKE,
        "component" | "components" => &[Kind::Component, Kind::Service],
        "table" | "tables" | "database table" | "db table" => &[Kind::Table],
        "route" | "routes" | "endpoint" | "endpoints" => &[Kind::Route],
        "event" | "events" | "socket event" | "domain event" if channels => &[Kind::Notification],
        "notification" | "notifications" | "message" => &[Kind::Notification],
        "event" | "events" | "socket event" | "domain event" | "topic" => &[Kind::Event],
        "controller" | "controllers" | "handler" | "handlers" | "gateway" => &[Kind::Controller],
        "team" | "teams" | "group" | "squad" => &[Kind::Team],
        "system" | "systems" => &[Kind::System],
        "domain" | "domains" => &[Kind::Domain],
        "api" | "apis" => &[Kind::Api],
        "resource" | "resources" | "database" | "databases" => &[Kind::Resource],
        _ => return None,
    };
    Some(Subject::Entities(kinds))
}

/// A relation column: its relation, direction and the kinds its names may be.
fn rel_column(rel: Rel, forward: bool, kinds: &'static [Kind]) -> Option<Role> {
    Some(Role {
        rel,
        forward,
        kinds,
        defines: false,
        method: false,
    })
}

/// What a column headed `header` (lower case) means in a table of `subject`s: a lookup table,
/// one arm per subject.
fn role(subject: Kind, header: &str) -> Option<Role> {
    let h = header;
    let owner_team = matches!(
        h,
        "team" | "owner" | "owning team" | "owner team" | "owned by" | "squad"
    );
    match subject {
        Kind::Feature => match h {
            "services" | "service" | "systems" | "system" | "uses" | "touches" | "components" => {
                rel_column(Rel::Uses, true, SERVICE_LIKE)
            }
            _ if owner_team => rel_column(Rel::Owns, false, &[Kind::Team]),
            _ => None,
        },
        Kind::Service | Kind::Component => service_role(h, owner_team),
        Kind::Table => match h {
            "owner service" | "owning service" | "service" | "owned by service" | "writer" => {
                rel_column(Rel::OwnsTable, false, SERVICE_LIKE)
            }
            "database" | "db" | "stored in" | "schema" => {
                rel_column(Rel::StoredIn, true, &[Kind::Resource])
            }
            "references" | "foreign keys" | "fks" | "references tables" => {
                rel_column(Rel::References, true, &[Kind::Table])
            }
            _ if owner_team => rel_column(Rel::Owns, false, &[Kind::Team]),
            _ => None,
        },
        Kind::Route => match h {
            "controller" | "handler" | "handled by" | "controller method" => Some(Role {
                method: true,
                ..rel_column(Rel::Handles, false, &[Kind::Controller])?
            }),
            _ => None,
        },
        Kind::Event => event_role(h),
        Kind::Notification => match h {
            "trigger" | "triggered by" | "event" | "events" | "domain event" => {
                rel_column(Rel::Triggers, false, &[Kind::Event])
            }
            _ => None,
        },
        Kind::Controller => match h {
            "service" | "belongs to" | "owned by service" => {
                rel_column(Rel::HasController, false, SERVICE_LIKE)
            }
            "routes" | "route" | "endpoints" => rel_column(Rel::Handles, true, &[Kind::Route]),
            "events" => rel_column(Rel::Handles, true, &[Kind::Event]),
            _ => None,
        },
        Kind::Team => match h {
            "services" | "owns" | "components" => rel_column(Rel::Owns, true, SERVICE_LIKE),
            _ => None,
        },
        Kind::System => match h {
            "domain" => rel_column(Rel::Contains, false, &[Kind::Domain]),
            _ if owner_team => rel_column(Rel::Owns, false, &[Kind::Team]),
            _ => None,
        },
        Kind::Api => match h {
            "provided by" | "provider" | "service" => {
                rel_column(Rel::ProvidesApi, false, SERVICE_LIKE)
            }
            "consumers" | "consumed by" => rel_column(Rel::ConsumesApi, false, SERVICE_LIKE),
            _ if owner_team => rel_column(Rel::Owns, false, &[Kind::Team]),
            _ => None,
        },
        Kind::Resource | Kind::Domain => {
            if owner_team {
                rel_column(Rel::Owns, false, &[Kind::Team])
            } else {
                None
            }
        }
        Kind::Runbook | Kind::Adr => None,
    }
}

/// A column of a service (or component) table.
fn service_role(h: &str, owner_team: bool) -> Option<Role> {
    match h {
        "controllers" | "controller" | "handlers" | "gateways" => Some(Role {
            defines: true,
            ..rel_column(Rel::HasController, true, &[Kind::Controller])?
        }),
        "database tables" | "tables" | "table" | "db tables" | "owns tables" | "owned tables" => {
            Some(Role {
                defines: true,
                ..rel_column(Rel::OwnsTable, true, &[Kind::Table])?
            })
        }
        "features" | "feature" | "used by" => rel_column(Rel::Uses, false, &[Kind::Feature]),
        "depends on" | "dependencies" | "dependson" | "calls" => {
            rel_column(Rel::DependsOn, true, DEPENDABLE)
        }
        "database" | "databases" | "datastore" | "datastores" => {
            rel_column(Rel::DependsOn, true, &[Kind::Resource])
        }
        "publishes" | "publishes events" | "events published" | "emits" | "produces" => {
            rel_column(Rel::Publishes, true, &[Kind::Event])
        }
        "consumes" | "consumes events" | "events consumed" | "subscribes to" | "subscribes"
        | "listens to" => rel_column(Rel::Consumes, true, &[Kind::Event]),
        "system" => rel_column(Rel::Contains, false, &[Kind::System]),
        "runbook" | "runbooks" => rel_column(Rel::Covers, false, &[Kind::Runbook]),
        "apis" | "provides api" | "provides apis" | "provided apis" => {
            rel_column(Rel::ProvidesApi, true, &[Kind::Api])
        }
        "consumes api" | "consumes apis" | "consumed apis" => {
            rel_column(Rel::ConsumesApi, true, &[Kind::Api])
        }
        _ if owner_team => rel_column(Rel::Owns, false, &[Kind::Team]),
        _ => None,
    }
}

/// A column of an event table.
fn event_role(h: &str) -> Option<Role> {
    match h {
        "handler" | "handlers" | "handled by" | "controller" => Some(Role {
            method: true,
            ..rel_column(Rel::Handles, false, &[Kind::Controller])?
        }),
        "publisher" | "publishers" | "published by" | "producer" | "producers" | "emitted by" => {
            rel_column(Rel::Publishes, false, SERVICE_LIKE)
        }
        "consumer" | "consumers" | "consumed by" | "subscriber" | "subscribers" | "listeners" => {
            rel_column(Rel::Consumes, false, SERVICE_LIKE)
        }
        "notification" | "notifications" | "triggers" => {
            rel_column(Rel::Triggers, true, &[Kind::Notification])
        }
        _ => None,
    }
}

/// Text of a name cell without formatting: backticks, quotes, surrounding space.
fn clean(s: &str) -> String {
    s.trim()
        .trim_matches(|c| matches!(c, '`' | '"' | '\'' | '*'))
        .trim()
        .to_string()
}

/// A path cell as [`clean`] reads it, but a trailing `*` is the path's wildcard
/// (`/branches/*`), not emphasis, unless the cell opens with emphasis too (`**/x**`).
fn clean_path(s: &str) -> String {
    let t = s.trim().trim_matches(|c| matches!(c, '`' | '"' | '\''));
    if t.starts_with('*') {
        clean(s)
    } else {
        t.trim().to_string()
    }
}

/// The anchor of the section `t` is in, made once per table and shared by its rows' facts.
fn anchor(page: &Page, t: &Table) -> Option<Arc<str>> {
    page.analysis
        .sections
        .get(t.section)
        .and_then(|s| s.anchor.as_deref())
        .map(Arc::from)
}

/// Where `offset` of a table under `anchor` is, as a source.
fn src(page: &Page, file: u32, anchor: &Option<Arc<str>>, offset: usize) -> Src {
    let (line, col) = page.line_col(offset);
    Src {
        file,
        line: u32::try_from(line).unwrap_or(u32::MAX),
        col: u32::try_from(col).unwrap_or(u32::MAX),
        anchor: anchor.clone(),
    }
}

/// Reads every catalog table of `page` (file index `file`) into `b`.
pub(crate) fn extract(b: &mut Builder, page: &Page, file: u32) {
    for t in &page.analysis.tables {
        match subject(t) {
            Some(Subject::TableDef(name)) => table_def(b, page, file, t, &name),
            Some(s) => catalog(b, page, file, t, &s),
            None => {}
        }
    }
}

/// The names of the entities a table defines, with the anchor of its section, for telling which
/// pages are an entity's page (see `pages.rs`): `(kinds, name)`.
pub(crate) fn defined_here(page: &Page) -> Vec<(&'static [Kind], String)> {
    let mut out = Vec::new();
    for t in &page.analysis.tables {
        match subject(t) {
            Some(Subject::TableDef(name)) => out.push((&[Kind::Table][..], name)),
            Some(Subject::Entities(kinds)) => {
                for row in &t.rows {
                    for name in row.first().map(names).unwrap_or_default() {
                        out.push((kinds, name));
                    }
                }
            }
            Some(Subject::Routes { .. }) | None => {}
        }
    }
    out
}

/// The names in a cell: split on commas, formatting and placeholders (`—`, `none`) dropped, a
/// trailing note in parentheses (`payments (read-only)`) removed.
pub(crate) fn names(cell: &Cell) -> Vec<String> {
    cell.text
        .split(',')
        .map(|n| {
            let n = clean(n);
            match n.find(" (") {
                Some(i) if n.ends_with(')') => n.get(..i).unwrap_or(&n).trim().to_string(),
                _ => n,
            }
        })
        .filter(|n| !refs::is_placeholder(n))
        .collect()
}

fn catalog(b: &mut Builder, page: &Page, file: u32, t: &Table, subject: &Subject) {
    let kinds: &'static [Kind] = match subject {
        Subject::Entities(k) => k,
        Subject::Routes { .. } => &[Kind::Route],
        Subject::TableDef(_) => return,
    };
    let kind = kinds.first().copied().unwrap_or(Kind::Component);
    let headers: Vec<(String, String)> = t
        .header
        .iter()
        .map(|c| (c.text.trim().to_string(), norm(&c.text)))
        .collect();
    let name_cols: &[usize] = match subject {
        Subject::Routes { method, path } => &[*method, *path],
        _ => &[0],
    };
    let anchor = anchor(page, t);
    for (r, row) in t.rows.iter().enumerate() {
        let at = src(
            page,
            file,
            &anchor,
            t.row_offsets.get(r).copied().unwrap_or(t.offset),
        );
        let subjects = row_subjects(subject, row);
        if subjects.is_empty() {
            continue;
        }
        let (attrs, relations) = row_facts(kind, name_cols, &headers, row);
        for s in &subjects {
            define_row(b, Name::any(kinds, s), &at, &attrs, &relations);
        }
    }
}

/// The entities a catalog row is about: the names in its first cell, or its route.
fn row_subjects(subject: &Subject, row: &[Cell]) -> Vec<String> {
    match subject {
        Subject::Routes { method, path } => {
            let m = row.get(*method).map(|c| clean(&c.text)).unwrap_or_default();
            let p = row
                .get(*path)
                .map(|c| clean_path(&c.text))
                .unwrap_or_default();
            if refs::is_placeholder(&p) {
                Vec::new()
            } else {
                vec![format!("{} {p}", m.to_uppercase()).trim().to_string()]
            }
        }
        _ => row.first().map(names).unwrap_or_default(),
    }
}

/// A row's attributes: (header, text).
type Attrs = Vec<(String, String)>;
/// A row's relations: (column role, the name the cell gives).
type Relations = Vec<(Role, String)>;

/// What a catalog row's other cells say about its entities.
fn row_facts(
    kind: Kind,
    name_cols: &[usize],
    headers: &[(String, String)],
    row: &[Cell],
) -> (Attrs, Relations) {
    let mut attrs = Attrs::new();
    let mut relations = Relations::new();
    for (i, cell) in row.iter().enumerate() {
        if name_cols.contains(&i) {
            continue;
        }
        let Some((header, key)) = headers.get(i) else {
            continue;
        };
        let text = cell.text.trim();
        match role(kind, key) {
            Some(role) => {
                if role.method && !text.is_empty() {
                    attrs.push((header.clone(), text.to_string()));
                }
                for n in names(cell) {
                    let n = if role.method { method_owner(&n) } else { n };
                    relations.push((role, n));
                }
            }
            None if !text.is_empty() && !header.is_empty() => {
                attrs.push((header.clone(), text.to_string()))
            }
            None => {}
        }
    }
    (attrs, relations)
}

/// Defines `me` with a row's attributes and relates it as the row's relation columns say.
fn define_row(
    b: &mut Builder,
    me: Name,
    at: &Src,
    attrs: &[(String, String)],
    relations: &[(Role, String)],
) {
    b.define(me.clone(), at.clone(), attrs.to_vec());
    for (role, other) in relations {
        let (other_kinds, other_name) = refs::parse(other, role.kinds);
        let them = Name::any(other_kinds, &other_name);
        let (from, to) = if role.forward {
            (me.clone(), them)
        } else {
            (them, me.clone())
        };
        if role.defines {
            b.relate_defining(from, role.rel, to, at.clone());
        } else {
            b.relate(from, role.rel, to, at.clone());
        }
    }
}

/// `BookingController.create` → `BookingController`; names without a method stay as they are.
pub(crate) fn method_owner(n: &str) -> String {
    match n.split_once('.') {
        Some((owner, method))
            if !owner.is_empty()
                && !method.is_empty()
                && owner.chars().all(|c| c.is_alphanumeric() || c == '_')
                && method
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '(' || c == ')') =>
        {
            owner.to_string()
        }
        _ => n.to_string(),
    }
}

fn table_def(b: &mut Builder, page: &Page, file: u32, t: &Table, name: &str) {
    if refs::is_placeholder(name) {
        return;
    }
    let me = Name::of(Kind::Table, name);
    let columns: Vec<String> = t
        .rows
        .iter()
        .filter_map(|r| r.first().map(|c| clean(&c.text)))
        .filter(|c| !c.is_empty())
        .collect();
    let mut attrs = Vec::new();
    if !columns.is_empty() {
        attrs.push(("Columns".to_string(), columns.join(", ")));
    }
    let anchor = anchor(page, t);
    b.define_page(
        me.clone(),
        src(page, file, &anchor, t.offset),
        attrs,
        Some(file),
    );
    for (r, row) in t.rows.iter().enumerate() {
        let at = src(
            page,
            file,
            &anchor,
            t.row_offsets.get(r).copied().unwrap_or(t.offset),
        );
        for cell in row.iter().skip(1) {
            for target in foreign_keys(&cell.text) {
                b.relate(
                    me.clone(),
                    Rel::References,
                    Name::of(Kind::Table, &target),
                    at.clone(),
                );
            }
        }
    }
}

/// Tables named by foreign-key constraints: `FK→users`, `FK -> users(id)`, `REFERENCES users`.
pub(crate) fn foreign_keys(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let upper = text.to_uppercase();
    let mut from = 0;
    while let Some(i) = upper.get(from..).and_then(|u| {
        ["FK→", "FK ->", "FK->", "FK →", "REFERENCES "]
            .iter()
            .filter_map(|m| u.find(m).map(|p| (p, m.len())))
            .min()
    }) {
        let (pos, len) = i;
        let start = from.saturating_add(pos).saturating_add(len);
        let rest = text.get(start..).unwrap_or("").trim_start();
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '`' | '"'))
            .collect();
        let name = clean(&name);
        let name = name.rsplit('.').next().unwrap_or(&name).to_string();
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
        from = start;
        if from >= text.len() {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::markdown::analyze;

    fn subject_of(md: &str) -> Option<Subject> {
        subject(analyze(md).tables.first()?)
    }

    #[test]
    fn headers_that_make_a_catalog_table() {
        assert_eq!(
            subject_of("| Feature | Services |\n|---|---|\n| a | b |\n"),
            Some(Subject::Entities(&[Kind::Feature]))
        );
        assert_eq!(
            subject_of("| Capability | Systems |\n|---|---|\n| a | b |\n"),
            Some(Subject::Entities(&[Kind::Feature]))
        );
        assert_eq!(
            subject_of("| Method | Path | Controller |\n|---|---|---|\n| GET | /a | A.b |\n"),
            Some(Subject::Routes { method: 0, path: 1 })
        );
        assert_eq!(
            subject_of("| Event | Email | SMS | Push | Template |\n|---|---|---|---|---|\n| A | ✅ | ❌ | ✅ | a |\n"),
            Some(Subject::Entities(&[Kind::Notification]))
        );
        assert_eq!(
            subject_of(
                "| Event | Direction | Payload | Handler |\n|---|---|---|---|\n| a | b | c | d |\n"
            ),
            Some(Subject::Entities(&[Kind::Event]))
        );
        assert_eq!(
            subject_of("| Table: `orders` | Type |\n|---|---|\n| id | UUID |\n"),
            Some(Subject::TableDef("orders".into()))
        );
        assert_eq!(
            subject_of("Table: `bookings`\n\n| Column | Type |\n|---|---|\n| id | UUID |\n"),
            Some(Subject::TableDef("bookings".into()))
        );
        assert_eq!(
            subject_of("| Column | Type |\n|---|---|\n| id | UUID |\n"),
            None,
            "no caption"
        );
        assert_eq!(
            subject_of("| Term | Meaning |\n|---|---|\n| a | b |\n"),
            None
        );
    }

    #[test]
    fn a_path_wildcard_stays_in_the_route_name() {
        let cell = |t: &str| Cell {
            text: t.into(),
            links: Vec::new(),
        };
        let routes = Subject::Routes { method: 0, path: 1 };
        let name = |p: &str| row_subjects(&routes, &[cell("GET"), cell(p)]);
        // gitness: the two were one entity, with two handlers.
        assert_eq!(name("`/branches/*`"), ["GET /branches/*"]);
        assert_eq!(name("/branches/*"), ["GET /branches/*"]);
        assert_eq!(name("`/branches`"), ["GET /branches"]);
        assert_eq!(name("**/branches**"), ["GET /branches"]);
    }

    #[test]
    fn cells_split_into_names() {
        let cell = |t: &str| Cell {
            text: t.into(),
            links: Vec::new(),
        };
        assert_eq!(names(&cell("a, `b` , c (read-only)")), ["a", "b", "c"]);
        assert!(names(&cell("—")).is_empty());
        assert!(names(&cell(" none ")).is_empty());
        assert_eq!(
            method_owner("BookingController.create"),
            "BookingController"
        );
        assert_eq!(
            method_owner("DepartureGateway.handleSubscribe"),
            "DepartureGateway"
        );
        assert_eq!(method_owner("payments"), "payments");
        assert_eq!(
            method_owner("booking.confirmed handler"),
            "booking.confirmed handler"
        );
    }

    #[test]
    fn foreign_keys_in_the_ways_people_write_them() {
        assert_eq!(foreign_keys("FK→users"), ["users"]);
        assert_eq!(
            foreign_keys("NOT NULL, FK -> fare_rules(id)"),
            ["fare_rules"]
        );
        assert_eq!(
            foreign_keys("REFERENCES public.sailings (id)"),
            ["sailings"]
        );
        assert_eq!(foreign_keys("fk→a, FK→b"), ["a", "b"]);
        assert!(foreign_keys("PK").is_empty());
        assert!(foreign_keys("FK→").is_empty());
    }
}
