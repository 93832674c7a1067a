//! AsyncAPI 2 and 3 files (`asyncapi.*` in YAML or JSON, anywhere in the docs folder): each
//! channel is an event (named by its 3.x `address`, else its key), and the services that publish
//! and consume it come from the operations: in 2.x a channel's `subscribe` operation is what the
//! application sends and `publish` what it receives (the spec's wording, inverted from a
//! reader's); in 3.x an operation's `action` is `send` or `receive`. The application is the
//! operation's `x-service`, else its tags, else the document's `info.x-service`, else
//! `info.title`. Each fact keeps its line.

use docatlas_core::graph::{Kind, Rel};
use serde_yaml_ng::Value;

use super::merge::{Builder, Name, Src};
use super::openapi::local_ref;
use super::yamlpos::{self, entries, Lines};

const SERVICE_LIKE: &[Kind] = &[Kind::Service, Kind::Component];

/// True for `asyncapi.yaml`, `asyncapi.json`, `asyncapi.events.yml`...
pub(crate) fn is_asyncapi(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path).to_lowercase();
    [".yaml", ".yml", ".json"]
        .iter()
        .find_map(|e| file.strip_suffix(e))
        .is_some_and(|stem| stem == "asyncapi" || stem.starts_with("asyncapi."))
}

/// Reads the AsyncAPI file `text` (file index `file`) into `b`.
pub(crate) fn extract(b: &mut Builder, file: u32, text: &str) {
    let Some(doc) = yamlpos::parse(b, file, text, "an AsyncAPI file") else {
        return;
    };
    let lines = Lines::new(file, text);
    let version = doc
        .get("asyncapi")
        .and_then(yamlpos::text)
        .unwrap_or_default();
    let app = doc
        .get("info")
        .and_then(|i| i.get("x-service").or_else(|| i.get("title")))
        .and_then(yamlpos::text);
    let ops = Ops {
        doc: &doc,
        lines: &lines,
        app: app.as_deref(),
    };
    if version.starts_with('2') {
        for (key, ch) in entries(doc.get("channels")) {
            let event = ops.event(b, &key, ch);
            for (op_key, rel) in [("subscribe", Rel::Publishes), ("publish", Rel::Consumes)] {
                if let Some(op) = ch.get(op_key) {
                    let at = lines.src(&["channels", &key, op_key]);
                    ops.relate(b, op, rel, &event, &at, &["channels", &key, op_key]);
                }
            }
        }
    } else if version.starts_with('3') {
        for (key, ch) in entries(doc.get("channels")) {
            ops.event(b, &key, ch);
        }
        for (id, op) in entries(doc.get("operations")) {
            let rel = match op.get("action").and_then(yamlpos::text).as_deref() {
                Some("send") => Rel::Publishes,
                Some("receive") => Rel::Consumes,
                _ => continue,
            };
            let Some(r) = op
                .get("channel")
                .and_then(|c| c.get("$ref"))
                .and_then(yamlpos::text)
            else {
                continue;
            };
            let Some(key) = r.strip_prefix("#/channels/") else {
                continue;
            };
            let key = key.replace("~1", "/").replace("~0", "~");
            let Some(ch) = local_ref(&doc, &r) else {
                b.warn_later(
                    &lines.src(&["operations", &id, "channel"]),
                    format!("operation `{id}` names the channel `{r}`, which this file does not define; fix the reference"),
                );
                continue;
            };
            let event = event_name(&key, ch);
            let at = lines.src(&["operations", &id]);
            ops.relate(b, op, rel, &event, &at, &["operations", &id]);
        }
    } else {
        b.warn_later(
            &lines.src(&["asyncapi"]),
            "this file is named like an AsyncAPI description but its `asyncapi:` version is not 2.x or 3.x, so no event is read from it".to_string(),
        );
    }
}

/// An event's name: a 3.x channel's `address` (its key when the address is absent or has
/// parameters), else the 2.x channel's key.
fn event_name(key: &str, ch: &Value) -> Name {
    let address = ch
        .get("address")
        .and_then(yamlpos::text)
        .filter(|a| !a.contains('{'));
    Name::of(Kind::Event, address.as_deref().unwrap_or(key))
}

struct Ops<'a> {
    doc: &'a Value,
    lines: &'a Lines,
    app: Option<&'a str>,
}

impl Ops<'_> {
    /// Defines the event of channel `key`, with its description and message names.
    fn event(&self, b: &mut Builder, key: &str, ch: &Value) -> Name {
        let name = event_name(key, ch);
        let mut attrs = Vec::new();
        if let Some(d) = ch.get("description").and_then(yamlpos::text) {
            attrs.push(("Description".to_string(), d));
        }
        let messages: Vec<String> = entries(ch.get("messages"))
            .into_iter()
            .map(|(k, m)| {
                let m = m
                    .get("$ref")
                    .and_then(yamlpos::text)
                    .and_then(|r| local_ref(self.doc, &r))
                    .unwrap_or(m);
                m.get("name").and_then(yamlpos::text).unwrap_or(k)
            })
            .collect();
        if !messages.is_empty() {
            attrs.push(("Messages".to_string(), messages.join(", ")));
        }
        b.define(name.clone(), self.lines.src(&["channels", key]), attrs);
        name
    }

    /// The services performing `op` publish or consume `event`.
    fn relate(&self, b: &mut Builder, op: &Value, rel: Rel, event: &Name, at: &Src, path: &[&str]) {
        let mut services: Vec<(String, Src)> = Vec::new();
        if let Some(s) = op.get("x-service").and_then(yamlpos::text) {
            let mut p = path.to_vec();
            p.push("x-service");
            services.push((s, self.lines.src(&p)));
        } else if let Some(Value::Sequence(tags)) = op.get("tags") {
            for t in tags {
                if let Some(n) = t.get("name").and_then(yamlpos::text) {
                    let mut p = path.to_vec();
                    p.extend(["tags", "name"]);
                    services.push((n, self.lines.src(&p)));
                }
            }
        }
        if services.is_empty() {
            if let Some(app) = self.app {
                services.push((app.to_string(), at.clone()));
            }
        }
        for (s, place) in services {
            b.relate(Name::any(SERVICE_LIKE, &s), rel, event.clone(), place);
        }
    }
}
