//! Hash routes: `#/`, `#/doc/<path>[?q=<query>][#anchor]`, `#/search?q=<query>`, `#/tracks`
//! (`?import=<shared progress>`), `#/tracks/<id>`.
//!
//! Hash routing needs no server support, so the site works from any static host, any sub-path,
//! and inside a host page.

use docatlas_core::text::{percent_decode, percent_encode};

/// A screen of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The list of pages.
    Home,
    /// One page, optionally scrolled to a heading.
    Doc {
        /// Docs-relative path of the page.
        path: String,
        /// Heading id to scroll to.
        anchor: Option<String>,
        /// The search that led here, whose matches are highlighted on the page.
        query: Option<String>,
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
}

impl Route {
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
        Route::Home
    }

    /// The hash for this route, for links.
    pub fn href(&self) -> String {
        match self {
            Route::Home => "#/".into(),
            Route::Doc {
                path,
                anchor,
                query,
            } => docatlas_core::doc_href(path, query.as_deref(), anchor.as_deref()),
            Route::Search { query } => format!("#/search?q={}", percent_encode(query)),
            Route::Tracks { import: None } => "#/tracks".into(),
            Route::Tracks { import: Some(data) } => {
                format!("#/tracks?import={}", percent_encode(data))
            }
            Route::Track { id } => format!("#/tracks/{}", percent_encode(id)),
        }
    }
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
            Route::Tracks {
                import: Some("pAbc-_09".into()),
            },
            Route::Track {
                id: "short-on-time-read-these-first".into(),
            },
        ] {
            assert_eq!(Route::parse(&r.href()), r);
        }
    }
}
