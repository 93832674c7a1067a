//! The docs' side of the comparison, as plain data the caller fills from its Markdown: route
//! rows, event rows, `file:line` references, the tables that exist, and the ignore list. Also
//! the header recognition and cell cleaning a caller needs to fill them the same way everywhere.

use serde::Serialize;

use crate::model::{Direction, Place};

/// Everything the docs claim about the code.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DocInventory {
    /// Rows of route tables (`| Method | Path | Controller | ... |`).
    pub routes: Vec<DocRoute>,
    /// Rows of socket event tables (`| Event | Direction | Payload | Handler |`).
    pub events: Vec<DocEvent>,
    /// `path/to/file.ts:42` references, with the symbol written beside them if any.
    pub code_refs: Vec<DocCodeRef>,
    /// The route tables, in docs order: where an undocumented route should be added.
    pub route_tables: Vec<DocTable>,
    /// The event tables, in docs order.
    pub event_tables: Vec<DocTable>,
}

/// A table in the docs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocTable {
    /// Its header row.
    pub place: Place,
    /// The heading above it (`Routes`), if any, to name it in messages.
    pub title: Option<String>,
}

/// One documented route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocRoute {
    /// The Method cell as written (`GET`, `get`, `*`).
    pub method: String,
    /// The Path cell as written (`/api/v1/orders/:id`).
    pub path: String,
    /// The Controller/Handler cell, if the table has one and it is not empty.
    pub handler: Option<String>,
    /// The row.
    pub place: Place,
    /// Index of its table in [`DocInventory::route_tables`].
    pub table: Option<usize>,
}

/// One documented socket event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocEvent {
    /// The Event cell (`bid:new`).
    pub name: String,
    /// The Direction cell (`Server→Client`, `client -> server`, `in`, `both`).
    pub direction: Option<String>,
    /// The Handler cell.
    pub handler: Option<String>,
    /// The row.
    pub place: Place,
    /// Index of its table in [`DocInventory::event_tables`].
    pub table: Option<usize>,
}

/// A `file:line` reference in the docs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocCodeRef {
    /// The path as written, relative to the repository root (`services/api/src/x.ts`).
    pub file: String,
    /// The line it points at.
    pub line: u32,
    /// The symbol written beside it (`` `BookingController.create`: `x.ts:42` ``) or the
    /// handler of the row it sits in: the line should still hold it.
    pub symbol: Option<String>,
    /// Where the reference is in the docs.
    pub place: Place,
}

/// A deliberate exception: `"GET /healthz"`, `"/metrics"` (any method), `"GET /internal/**"`
/// (everything below), `"events: ping"`, `"events: debug:*"` (every name starting so).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IgnoreRule {
    /// The entry as written.
    pub text: String,
    /// Where it is written (`docatlas.toml:12`), for reporting a rule that is malformed or
    /// matches nothing.
    pub place: Place,
}

/// Which way a documented event goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DocDirection {
    One(Direction),
    Both,
}

/// Reads a Direction cell: `Server→Client`, `client -> server`, `C→S`, `in`/`out`, `emit`,
/// `listen`, `both`, `↔`. `None` for text that says neither.
pub(crate) fn direction(cell: &str) -> Option<DocDirection> {
    let t = cell.trim().to_lowercase();
    if t.is_empty() {
        return None;
    }
    if t.contains("both") || t.contains("bidirectional") || t.contains('↔') || t.contains("<->") {
        return Some(DocDirection::Both);
    }
    let c = t
        .find("client")
        .or_else(|| t.find("browser"))
        .or_else(|| t.find("frontend"));
    let s = t.find("server").or_else(|| t.find("backend"));
    match (c, s) {
        (Some(c), Some(s)) => {
            return Some(DocDirection::One(if c < s {
                Direction::ClientToServer
            } else {
                Direction::ServerToClient
            }))
        }
        (Some(_), None) | (None, Some(_)) => {}
        (None, None) => {}
    }
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    for (from, to, d) in [
        ("c", "s", Direction::ClientToServer),
        ("s", "c", Direction::ServerToClient),
    ] {
        for arrow in ["→", "->", "=>", "⟶"] {
            if compact == format!("{from}{arrow}{to}") {
                return Some(DocDirection::One(d));
            }
        }
    }
    let word = t
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())?;
    match word {
        "in" | "inbound" | "incoming" | "listen" | "listens" | "on" | "subscribe" | "receive"
        | "received" | "upstream" => Some(DocDirection::One(Direction::ClientToServer)),
        "out" | "outbound" | "outgoing" | "emit" | "emits" | "emitted" | "publish" | "push"
        | "broadcast" | "sent" | "send" | "downstream" => {
            Some(DocDirection::One(Direction::ServerToClient))
        }
        _ => None,
    }
}

/// Columns of a route table (`method`, `path`, optional `handler`) or an event table (`event`,
/// optional `direction` and `handler`), recognised by the header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    /// A route table.
    Routes {
        /// The Method column.
        method: usize,
        /// The Path column.
        path: usize,
        /// The Controller/Handler column.
        handler: Option<usize>,
    },
    /// A socket event table.
    Events {
        /// The Event column.
        event: usize,
        /// The Direction column.
        direction: Option<usize>,
        /// The Handler column.
        handler: Option<usize>,
    },
}

/// Recognises a route or socket event table by its header cells (case and formatting ignored):
/// `Method` (or `Verb`) + `Path` (`URL`, `Endpoint`, `Route`); `Event` (`Socket event`,
/// `Message`) + `Direction` or `Handler`. A notification matrix (`Event | Email | SMS`) or a
/// domain-event table (`Event | Exchange | Publisher`) is neither.
pub fn columns(header: &[&str]) -> Option<Columns> {
    let h: Vec<String> = header
        .iter()
        .map(|c| clean_cell(c).to_lowercase())
        .collect();
    let col = |names: &[&str]| h.iter().position(|x| names.contains(&x.as_str()));
    let handler = col(&[
        "controller",
        "handler",
        "handlers",
        "handled by",
        "controller method",
        "controller.method",
        "handler function",
    ]);
    if let (Some(method), Some(path)) = (
        col(&["method", "verb", "http method"]),
        col(&["path", "url", "endpoint", "route", "uri"]),
    ) {
        return Some(Columns::Routes {
            method,
            path,
            handler,
        });
    }
    let event = col(&["event", "events", "socket event", "event name", "message"])?;
    let direction = col(&["direction", "dir", "flow", "from → to", "from->to"]);
    if direction.is_none() && handler.is_none() {
        return None;
    }
    Some(Columns::Events {
        event,
        direction,
        handler,
    })
}

/// A cell's text without Markdown formatting: backticks, emphasis, a link's target
/// (`[x](y)` → `x`), surrounding space.
pub fn clean_cell(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut rest = cell;
    while let Some(i) = rest.find('[') {
        out.push_str(rest.get(..i).unwrap_or(""));
        let after = rest.get(i.saturating_add(1)..).unwrap_or("");
        match after.find("](") {
            Some(j) => {
                let text = after.get(..j).unwrap_or("");
                let tail = after.get(j.saturating_add(2)..).unwrap_or("");
                match tail.find(')') {
                    Some(k) => {
                        out.push_str(text);
                        rest = tail.get(k.saturating_add(1)..).unwrap_or("");
                    }
                    None => {
                        out.push('[');
                        rest = after;
                    }
                }
            }
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let mut t = out.replace('`', "");
    // Emphasis only when it wraps the whole cell: `/files/*` and `/a_` keep their `*` and `_`.
    loop {
        let trimmed = t.trim();
        let inner = ["**", "__", "*", "_"].iter().find_map(|m| {
            trimmed
                .strip_prefix(m)
                .and_then(|x| x.strip_suffix(m))
                .filter(|x| !x.trim().is_empty())
        });
        match inner {
            Some(i) => t = i.to_string(),
            None => return trimmed.to_string(),
        }
    }
}

/// Whether a Path cell says nothing: as [`is_placeholder`], except that a path is never one
/// (`/`, the root route, has no letter or digit either).
pub fn is_placeholder_path(cell: &str) -> bool {
    !clean_cell(cell).starts_with('/') && is_placeholder(cell)
}

/// True for a cell that names nothing: empty, a dash, `none`, `n/a`, `tbd`, `{{TBD}}`.
pub fn is_placeholder(cell: &str) -> bool {
    let t = clean_cell(cell).to_lowercase();
    matches!(
        t.as_str(),
        "" | "-" | "—" | "–" | "none" | "n/a" | "na" | "tbd" | "…" | "..." | "?" | "{{tbd}}"
    ) || !t.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_as_people_write_them() {
        let c2s = Some(DocDirection::One(Direction::ClientToServer));
        let s2c = Some(DocDirection::One(Direction::ServerToClient));
        for t in [
            "Client→Server",
            "client -> server",
            "C→S",
            "c->s",
            "inbound",
            "listen",
            "browser to server",
        ] {
            assert_eq!(direction(t), c2s, "{t}");
        }
        for t in [
            "Server→Client",
            "server→client",
            "S→C",
            "out",
            "emit",
            "broadcast",
            "Server => Client",
        ] {
            assert_eq!(direction(t), s2c, "{t}");
        }
        for t in ["both", "bidirectional", "client ↔ server", "<->"] {
            assert_eq!(direction(t), Some(DocDirection::Both), "{t}");
        }
        assert_eq!(direction(""), None);
        assert_eq!(direction("see notes"), None);
    }

    #[test]
    fn tables_by_header() {
        assert_eq!(
            columns(&["Method", "Path", "Controller", "Auth", "Rate Limit"]),
            Some(Columns::Routes {
                method: 0,
                path: 1,
                handler: Some(2)
            })
        );
        assert_eq!(
            columns(&["**Verb**", "`URL`"]),
            Some(Columns::Routes {
                method: 0,
                path: 1,
                handler: None
            })
        );
        assert_eq!(
            columns(&["Event", "Direction", "Payload", "Handler"]),
            Some(Columns::Events {
                event: 0,
                direction: Some(1),
                handler: Some(3)
            })
        );
        assert_eq!(
            columns(&["Event", "Email", "SMS", "Push", "Template"]),
            None
        );
        assert_eq!(
            columns(&["Event", "Exchange", "Publisher", "Consumers"]),
            None
        );
        assert_eq!(columns(&["Service", "Controllers"]), None);
    }

    #[test]
    fn cells_lose_their_formatting() {
        assert_eq!(clean_cell(" `bid:new` "), "bid:new");
        assert_eq!(
            clean_cell("[OrderController.list](../code.md#x)"),
            "OrderController.list"
        );
        assert_eq!(clean_cell("**GET**"), "GET");
        assert_eq!(clean_cell("/files/*"), "/files/*");
        assert_eq!(clean_cell("/a_"), "/a_");
        assert_eq!(clean_cell("_/a_"), "/a");
        assert_eq!(clean_cell("a [b"), "a [b");
        assert!(is_placeholder(" — "));
        assert!(is_placeholder("n/a"));
        assert!(!is_placeholder("OrderController"));
    }
}
