//! Hash routes: `#/`, `#/doc/<path>[?q=<query>][#anchor]`, `#/search?q=<query>`, the reading
//! tracks' `#/tracks` (`?import=<shared progress>`) and `#/tracks/<id>`, and the graph's
//! `#/entity/<id>`, `#/impact/<id>?up=1&down=all&kinds=service,table&cap=40&view=table`,
//! `#/why?from=<id>&to=<id>`, `#/entities?kind=route&attr=pii%3Dyes&lacks=covered_by&q=..`.
//!
//! Hash routing needs no server support, so the site works from any static host, any sub-path,
//! and inside a host page.

use docatlas_core::graph::query::{Depth, Depths};
use docatlas_core::graph::Kind;
use docatlas_core::text::{percent_decode, percent_encode};

/// The node cap of an impact view when the URL does not set one.
pub const DEFAULT_CAP: usize = 40;

/// Everything an impact view's URL holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImpactRoute {
    /// The centre's id (`feature:refunds`).
    pub id: String,
    /// Upstream depth (default as in `build-index impact`: [`Depths::default`]).
    pub up: Depth,
    /// Downstream depth (default as in `build-index impact`).
    pub down: Depth,
    /// Kinds to show; empty shows all.
    pub kinds: Vec<Kind>,
    /// Node cap; `None` shows every node.
    pub cap: Option<usize>,
    /// The table (`Some(true)`, `view=table`) or the drawing (`Some(false)`, `view=graph`);
    /// `None` leaves it to the screen: the table on a phone, the drawing on a wider one.
    pub table: Option<bool>,
}

impl ImpactRoute {
    /// The default view of `id`.
    pub fn of(id: &str) -> Self {
        ImpactRoute {
            id: id.to_string(),
            up: Depths::default().up,
            down: Depths::default().down,
            kinds: Vec::new(),
            cap: Some(DEFAULT_CAP),
            table: None,
        }
    }
}

/// The filters of the entity list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntitiesRoute {
    /// Only this kind.
    pub kind: Option<Kind>,
    /// Attribute conditions, `KEY` or `KEY=VALUE`.
    pub attrs: Vec<String>,
    /// A relation the entities must lack (`covered_by`).
    pub lacks: Option<String>,
    /// Text their id or name must contain.
    pub q: String,
}

/// A screen of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The list of pages.
    Home,
    /// A `#/...` address that names no view (a mistyped or outdated link): said so, not
    /// silently shown as the home page. Holds the address after `#/`.
    Unknown(String),
    /// One page, optionally scrolled to a heading.
    Doc {
        /// Docs-relative path of the page.
        path: String,
        /// Heading id to scroll to.
        anchor: Option<String>,
        /// The search that led here, whose matches are highlighted on the page.
        query: Option<String>,
    },
    /// One folder of the site: its sub-folders, its pages, its index page (`README.md`).
    Folder {
        /// Docs-relative folder path, without a trailing `/` (`runbooks/db`).
        path: String,
    },
    /// Search results.
    Search {
        /// The query.
        query: String,
    },
    /// Every reading track, checklists, and the progress tools.
    Tracks {
        /// Progress shared through a link (`#/tracks?import=...`), offered for merging.
        import: Option<String>,
    },
    /// One reading track.
    Track {
        /// The track's id.
        id: String,
    },
    /// One entity of the graph: attributes, declarations, relations, pages, runbooks.
    Entity {
        /// Its id (`table:payments`).
        id: String,
    },
    /// The impact view centred on one entity.
    Impact(ImpactRoute),
    /// Every path between two entities.
    Why {
        /// One entity's id (may be empty while it is being chosen).
        from: String,
        /// The other's.
        to: String,
    },
    /// The entity list, filtered.
    Entities(EntitiesRoute),
}

impl Route {
    /// What a browser tab shows for this route, before the site's title (`None`: the home
    /// page, the site's title alone).
    pub fn title(&self) -> Option<String> {
        Some(match self {
            Route::Home => return None,
            Route::Unknown(_) => "Not found".to_string(),
            Route::Search { query } if query.trim().is_empty() => "Search".to_string(),
            Route::Search { query } => format!("“{}” · Search", query.trim()),
            Route::Doc { path, .. } => path.clone(),
            Route::Folder { path } => format!("{path}/"),
            Route::Tracks { .. } => "Reading tracks".to_string(),
            Route::Track { id } => format!("{id} · Reading tracks"),
            Route::Entity { id } => id.clone(),
            Route::Impact(r) => format!("Impact of {}", r.id),
            Route::Why { from, to } => format!("Why {from} → {to}"),
            Route::Entities(_) => "Entities".to_string(),
        })
    }

    /// Parses `location.hash` (with or without the leading `#`).
    pub fn parse(hash: &str) -> Route {
        let h = hash.strip_prefix('#').unwrap_or(hash);
        if let Some(rest) = h.strip_prefix("/doc/") {
            let (path, anchor) = match rest.split_once('#') {
                Some((p, a)) => (p, Some(percent_decode(a)).filter(|a| !a.is_empty())),
                None => (rest, None),
            };
            let (path, query) = match path.split_once('?') {
                Some((p, q)) => (p, query_param(q)),
                None => (path, None),
            };
            return Route::Doc {
                path: percent_decode(path),
                anchor,
                query: query.filter(|q| !q.trim().is_empty()),
            };
        }
        if let Some(rest) = h.strip_prefix("/folder/") {
            let path = percent_decode(rest.split(['?', '#']).next().unwrap_or(""));
            let path = path.trim_matches('/');
            if !path.is_empty() {
                return Route::Folder { path: path.into() };
            }
            return Route::Home;
        }
        if let Some(rest) = h.strip_prefix("/tracks/") {
            let id = percent_decode(rest.split(['?', '#']).next().unwrap_or(""));
            if !id.is_empty() {
                return Route::Track { id };
            }
        }
        if let Some(rest) = h.strip_prefix("/tracks") {
            let import = rest
                .strip_prefix('?')
                .and_then(|params| params.split('&').find_map(|kv| kv.strip_prefix("import=")))
                .map(percent_decode)
                .filter(|i| !i.is_empty());
            return Route::Tracks { import };
        }
        if let Some(rest) = h.strip_prefix("/search") {
            let query = query_param(rest.strip_prefix('?').unwrap_or("")).unwrap_or_default();
            return Route::Search { query };
        }
        if let Some(rest) = h.strip_prefix("/entity/") {
            return Route::Entity {
                id: percent_decode(rest.split(['?', '#']).next().unwrap_or("")),
            };
        }
        if let Some(rest) = h.strip_prefix("/impact/") {
            let (id, q) = rest.split_once('?').unwrap_or((rest, ""));
            let mut r = ImpactRoute::of(&percent_decode(id));
            for (k, v) in params(q) {
                match k.as_str() {
                    "up" => r.up = v.parse().unwrap_or(r.up),
                    "down" => r.down = v.parse().unwrap_or(r.down),
                    "kinds" => r.kinds = v.split(',').filter_map(Kind::parse).collect(),
                    "cap" if v == "all" => r.cap = None,
                    "cap" => r.cap = v.parse().ok().or(r.cap),
                    "view" if v == "table" => r.table = Some(true),
                    "view" if v == "graph" => r.table = Some(false),
                    _ => {}
                }
            }
            return Route::Impact(r);
        }
        if let Some(rest) = h.strip_prefix("/why") {
            let ps = params(rest.strip_prefix('?').unwrap_or(""));
            let get = |key: &str| {
                ps.iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            return Route::Why {
                from: get("from"),
                to: get("to"),
            };
        }
        if let Some(rest) = h.strip_prefix("/entities") {
            let mut r = EntitiesRoute::default();
            for (k, v) in params(rest.strip_prefix('?').unwrap_or("")) {
                match k.as_str() {
                    "kind" => r.kind = Kind::parse(&v),
                    "attr" if !v.trim().is_empty() => r.attrs.push(v),
                    "lacks" if !v.trim().is_empty() => r.lacks = Some(v),
                    "q" => r.q = v,
                    _ => {}
                }
            }
            return Route::Entities(r);
        }
        // `#/` and `#/search...` are handled above; a hash not starting with `#/` is a host
        // page's own anchor, which leaves the app on its home page.
        match h.strip_prefix('/') {
            Some(rest) if !rest.is_empty() => Route::Unknown(percent_decode(rest)),
            _ => Route::Home,
        }
    }

    /// The hash for this route, for links.
    pub fn href(&self) -> String {
        match self {
            Route::Home => "#/".into(),
            Route::Unknown(rest) => format!("#/{rest}"),
            Route::Doc {
                path,
                anchor,
                query,
            } => docatlas_core::doc_href(path, query.as_deref(), anchor.as_deref()),
            Route::Folder { path } => format!("#/folder/{}", percent_encode(path)),
            Route::Search { query } => format!("#/search?q={}", percent_encode(query)),
            Route::Tracks { import: None } => "#/tracks".into(),
            Route::Tracks { import: Some(data) } => {
                format!("#/tracks?import={}", percent_encode(data))
            }
            Route::Track { id } => format!("#/tracks/{}", percent_encode(id)),
            Route::Entity { id } => format!("#/entity/{}", encode_id(id)),
            Route::Impact(r) => {
                let mut h = format!("#/impact/{}?up={}&down={}", encode_id(&r.id), r.up, r.down);
                if !r.kinds.is_empty() {
                    let kinds: Vec<&str> = r.kinds.iter().map(|k| k.as_str()).collect();
                    h.push_str(&format!("&kinds={}", kinds.join(",")));
                }
                match r.cap {
                    None => h.push_str("&cap=all"),
                    Some(c) if c != DEFAULT_CAP => h.push_str(&format!("&cap={c}")),
                    Some(_) => {}
                }
                match r.table {
                    Some(true) => h.push_str("&view=table"),
                    Some(false) => h.push_str("&view=graph"),
                    None => {}
                }
                h
            }
            Route::Why { from, to } => {
                format!("#/why?from={}&to={}", encode_id(from), encode_id(to))
            }
            Route::Entities(r) => {
                let mut parts: Vec<String> = Vec::new();
                if let Some(k) = r.kind {
                    parts.push(format!("kind={}", k.as_str()));
                }
                for a in &r.attrs {
                    parts.push(format!("attr={}", percent_encode(a)));
                }
                if let Some(l) = &r.lacks {
                    parts.push(format!("lacks={}", percent_encode(l)));
                }
                if !r.q.is_empty() {
                    parts.push(format!("q={}", percent_encode(&r.q)));
                }
                if parts.is_empty() {
                    "#/entities".into()
                } else {
                    format!("#/entities?{}", parts.join("&"))
                }
            }
        }
    }
}

/// An entity id for a URL: percent-encoded, but with its `:` kept readable.
fn encode_id(id: &str) -> String {
    percent_encode(id).replace("%3A", ":")
}

/// The `key=value` pairs of a query string, decoded (`+` is a space).
fn params(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k), percent_decode(&v.replace('+', " ")))
        })
        .collect()
}

/// The `q` parameter of an `a=b&q=c` string, decoded (`+` is a space).
fn query_param(params: &str) -> Option<String> {
    params
        .split('&')
        .find_map(|kv| kv.strip_prefix("q="))
        .map(|q| percent_decode(&q.replace('+', " ")))
}

/// The current `location.hash`.
pub fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Goes to `route`; `replace` avoids a history entry per keystroke while typing a query.
pub fn go(route: &Route, replace: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let href = route.href();
    let location = window.location();
    if replace {
        let _ = location.replace(&href);
    } else {
        let _ = location.set_hash(&href);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(path: &str, anchor: Option<&str>, query: Option<&str>) -> Route {
        Route::Doc {
            path: path.into(),
            anchor: anchor.map(String::from),
            query: query.map(String::from),
        }
    }

    #[test]
    fn parses_every_route() {
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("#/"), Route::Home);
        assert_eq!(
            Route::parse("#intro"),
            Route::Home,
            "a host page's own anchor"
        );
        assert_eq!(
            Route::parse("#/docs/readme.md"),
            Route::Unknown("docs/readme.md".into())
        );
        assert_eq!(
            Route::parse("#/doc/runbooks/db.md#quick-checks"),
            doc("runbooks/db.md", Some("quick-checks"), None)
        );
        assert_eq!(Route::parse("#/doc/a%20b.md"), doc("a b.md", None, None));
        assert_eq!(
            Route::parse("#/doc/a.md?q=refund%20webhook#top"),
            doc("a.md", Some("top"), Some("refund webhook"))
        );
        assert_eq!(
            Route::parse("#/search?q=POST%20%2Fapi"),
            Route::Search {
                query: "POST /api".into()
            }
        );
        assert_eq!(
            Route::parse("#/folder/runbooks/db/"),
            Route::Folder {
                path: "runbooks/db".into()
            }
        );
        assert_eq!(Route::parse("#/folder/"), Route::Home);
        assert_eq!(Route::parse("#/tracks"), Route::Tracks { import: None });
        assert_eq!(Route::parse("#/tracks/"), Route::Tracks { import: None });
        assert_eq!(
            Route::parse("#/tracks?import=pXyz"),
            Route::Tracks {
                import: Some("pXyz".into())
            }
        );
        assert_eq!(
            Route::parse("#/tracks/going-deeper"),
            Route::Track {
                id: "going-deeper".into()
            }
        );
        assert_eq!(
            Route::parse("#/search"),
            Route::Search {
                query: String::new()
            }
        );
    }

    #[test]
    fn href_round_trips() {
        for r in [
            Route::Home,
            doc("de/größe.md", Some("über"), None),
            doc("a.md", None, Some("kind:runbook \"x y\" -z")),
            Route::Search {
                query: "a&b #c /d".into(),
            },
            Route::Tracks { import: None },
            Route::Folder {
                path: "de/größe a".into(),
            },
            Route::Tracks {
                import: Some("pAbc-_09".into()),
            },
            Route::Track {
                id: "short-on-time-read-these-first".into(),
            },
            Route::Entity {
                id: "route:post-api-v1-orders".into(),
            },
            Route::Impact(ImpactRoute::of("feature:seat-reservation")),
            Route::Impact(ImpactRoute {
                id: "service:payments".into(),
                up: Depth::All,
                down: Depth::Limit(0),
                kinds: vec![Kind::Service, Kind::Table],
                cap: None,
                table: Some(true),
            }),
            Route::Impact(ImpactRoute {
                table: Some(false),
                ..ImpactRoute::of("feature:refunds")
            }),
            Route::Why {
                from: "feature:refunds".into(),
                to: "table:users".into(),
            },
            Route::Entities(EntitiesRoute {
                kind: Some(Kind::Route),
                attrs: vec!["pii=yes".into(), "auth=API key".into()],
                lacks: Some("covered_by".into()),
                q: "a&b".into(),
            }),
            Route::Entities(EntitiesRoute::default()),
        ] {
            assert_eq!(Route::parse(&r.href()), r, "{}", r.href());
        }
    }

    #[test]
    fn graph_routes_read_the_urls_people_write() {
        assert_eq!(
            Route::parse("#/entity/table:orders"),
            Route::Entity {
                id: "table:orders".into()
            }
        );
        let Route::Impact(r) =
            Route::parse("#/impact/feature:x?up=1&down=3&kinds=service,table,nonsense")
        else {
            panic!("not an impact route");
        };
        assert_eq!(
            (r.up, r.down, r.cap),
            (Depth::Limit(1), Depth::Limit(3), Some(DEFAULT_CAP))
        );
        assert_eq!(r.kinds, [Kind::Service, Kind::Table]);
        let Route::Impact(r) = Route::parse("#/impact/service:y?down=all&up=bogus") else {
            panic!("not an impact route");
        };
        assert_eq!(
            (r.up, r.down),
            (Depth::Limit(1), Depth::All),
            "a bad depth keeps the default"
        );
        let Route::Impact(r) = Route::parse("#/impact/service:y?up=inf&down=Unlimited") else {
            panic!("not an impact route");
        };
        assert_eq!(
            (r.up, r.down),
            (Depth::All, Depth::All),
            "the URL takes every spelling `build-index impact` takes"
        );
        assert_eq!(
            Route::Impact(ImpactRoute::of("a:b")).href(),
            "#/impact/a:b?up=1&down=all"
        );
        assert_eq!(
            Route::parse("#/entities?kind=route&attr=pii"),
            Route::Entities(EntitiesRoute {
                kind: Some(Kind::Route),
                attrs: vec!["pii".into()],
                ..EntitiesRoute::default()
            })
        );
        assert_eq!(
            Route::parse("#/why?from=feature:a"),
            Route::Why {
                from: "feature:a".into(),
                to: String::new()
            }
        );
    }
}
