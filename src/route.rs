//! Hash routes: `#/`, `#/doc/<path>[#anchor]`, `#/search?q=<query>`.
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
    },
    /// Search results.
    Search {
        /// The query.
        query: String,
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
            return Route::Doc {
                path: percent_decode(path),
                anchor,
            };
        }
        if let Some(rest) = h.strip_prefix("/search") {
            let query = rest
                .strip_prefix('?')
                .unwrap_or("")
                .split('&')
                .find_map(|kv| kv.strip_prefix("q="))
                .map(|q| percent_decode(&q.replace('+', " ")))
                .unwrap_or_default();
            return Route::Search { query };
        }
        Route::Home
    }

    /// The hash for this route, for links.
    pub fn href(&self) -> String {
        match self {
            Route::Home => "#/".into(),
            Route::Doc { path, anchor: None } => format!("#/doc/{}", percent_encode(path)),
            Route::Doc {
                path,
                anchor: Some(a),
            } => format!("#/doc/{}#{}", percent_encode(path), percent_encode(a)),
            Route::Search { query } => format!("#/search?q={}", percent_encode(query)),
        }
    }
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

    #[test]
    fn parses_every_route() {
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("#/"), Route::Home);
        assert_eq!(
            Route::parse("#/doc/runbooks/db.md#quick-checks"),
            Route::Doc {
                path: "runbooks/db.md".into(),
                anchor: Some("quick-checks".into())
            }
        );
        assert_eq!(
            Route::parse("#/doc/a%20b.md"),
            Route::Doc {
                path: "a b.md".into(),
                anchor: None
            }
        );
        assert_eq!(
            Route::parse("#/search?q=POST%20%2Fapi"),
            Route::Search {
                query: "POST /api".into()
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
            Route::Doc {
                path: "de/größe.md".into(),
                anchor: Some("über".into()),
            },
            Route::Search {
                query: "a&b #c /d".into(),
            },
        ] {
            assert_eq!(Route::parse(&r.href()), r);
        }
    }
}
