//! Compose files (`compose.yaml`, `compose.yml`, `docker-compose*.yml|yaml`, anywhere in the
//! docs folder): each service is a service entity (or the component or resource of that name
//! another source defines), `depends_on` in its list and map forms and `links` are `dependsOn`
//! relations, and `image` and `container_name` are attributes. Each fact keeps its line.

use docatlas_core::graph::{Kind, Rel};
use serde_yaml_ng::Value;

use super::merge::{Builder, Name};
use super::yamlpos::{self, entries, strings, Lines};

/// What a compose service may be: a service unless another source (a Backstage Resource for a
/// database container) already defined it as a component or a resource.
const CONTAINER: &[Kind] = &[Kind::Service, Kind::Component, Kind::Resource];

/// True for the file names Docker Compose reads.
pub(crate) fn is_compose(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path).to_lowercase();
    let Some(stem) = file
        .strip_suffix(".yaml")
        .or_else(|| file.strip_suffix(".yml"))
    else {
        return false;
    };
    stem == "compose" || stem.starts_with("compose.") || stem.starts_with("docker-compose")
}

/// Reads the compose file `text` (file index `file`) into `b`.
pub(crate) fn extract(b: &mut Builder, file: u32, text: &str) {
    let Some(doc) = yamlpos::parse(b, file, text, "a compose file") else {
        return;
    };
    let lines = Lines::new(file, text);
    for (name, svc) in entries(doc.get("services")) {
        let at = lines.src(&["services", &name]);
        let mut attrs = Vec::new();
        for key in ["image", "container_name"] {
            if let Some(v) = svc.get(key).and_then(yamlpos::text) {
                let label = if key == "image" { "Image" } else { "Container" };
                attrs.push((label.to_string(), v));
            }
        }
        let me = Name::any(CONTAINER, &name);
        b.define(me.clone(), at, attrs);
        for key in ["depends_on", "links"] {
            for target in targets(svc.get(key)) {
                // `links` entries are `service[:alias]`.
                let service = target.split(':').next().unwrap_or(&target).trim();
                let place = lines.src(&["services", &name, key, &target]);
                b.relate(
                    me.clone(),
                    Rel::DependsOn,
                    Name::any(CONTAINER, service),
                    place,
                );
            }
        }
    }
}

/// The services a `depends_on` names: a list of names, or a map from name to its condition.
fn targets(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Mapping(_)) => entries(v).into_iter().map(|(k, _)| k).collect(),
        other => strings(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_file_names() {
        for p in [
            "compose.yaml",
            "deploy/compose.yml",
            "docker-compose.yml",
            "a/docker-compose.prod.yaml",
            "compose.full.yaml",
        ] {
            assert!(is_compose(p), "{p}");
        }
        for p in [
            "composer.json",
            "compose.json",
            "my-compose.yml",
            "compose.md",
        ] {
            assert!(!is_compose(p), "{p}");
        }
    }
}
