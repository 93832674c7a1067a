//! Entity references as people write them: `payments`, `service:payments`, Backstage's
//! `[kind:][namespace/]name` (`component:default/booking-api`, `group:team-ledger`), and the
//! placeholders that mean "none" (`—`, `n/a`).

use docatlas_core::graph::Kind;

/// What a Backstage `component:` may be here: a Component becomes a service or a feature by its
/// `spec.type`.
pub(crate) const COMPONENT: &[Kind] = &[Kind::Service, Kind::Component, Kind::Feature];

/// True for text that names nothing: empty, dashes, `none`, `n/a`, `tbd`, `-`.
pub(crate) fn is_placeholder(s: &str) -> bool {
    let t = s.trim().to_lowercase();
    matches!(
        t.as_str(),
        "" | "-" | "—" | "–" | "none" | "n/a" | "na" | "tbd" | "…" | "..." | "?" | "{{tbd}}"
    ) || !t.chars().any(char::is_alphanumeric)
}

/// Every kind, for [`only`]'s slices.
static KINDS: [Kind; Kind::ALL.len()] = Kind::ALL;

/// `kind` alone, as the kinds a name may be: a shared slice, so a name costs no list of its own.
pub(crate) fn only(kind: Kind) -> &'static [Kind] {
    KINDS
        .iter()
        .find(|&&k| k == kind)
        .map_or(&[], std::slice::from_ref)
}

/// The kinds a Backstage or docatlas kind prefix means (`component`, `group`, `service`...).
pub(crate) fn kinds_of(prefix: &str) -> Option<&'static [Kind]> {
    match prefix.trim().to_lowercase().as_str() {
        "component" => Some(COMPONENT),
        "group" | "user" => Some(only(Kind::Team)),
        p => Kind::parse(p).map(only),
    }
}

/// A reference in a Markdown cell or front matter: an optional kind prefix (docatlas's or
/// Backstage's, with an optional namespace) picks the kinds; otherwise `default` applies.
pub(crate) fn parse(text: &str, default: &'static [Kind]) -> (&'static [Kind], String) {
    let text = text.trim();
    if let Some((prefix, rest)) = text.split_once(':') {
        if let Some(kinds) = kinds_of(prefix) {
            if !rest.trim().is_empty() && !prefix.contains(' ') {
                let name = rest.rsplit_once('/').map_or(rest, |(_, n)| n);
                return (kinds, name.trim().to_string());
            }
        }
    }
    (default, text.to_string())
}

/// A Backstage entity reference, `[kind:][namespace/]name`, with `default` the kinds when no
/// kind is given (Backstage's own default for the field).
pub(crate) fn backstage(text: &str, default: &'static [Kind]) -> (&'static [Kind], String) {
    let text = text.trim();
    let (kinds, rest) = match text.split_once(':') {
        Some((prefix, rest)) => match kinds_of(prefix) {
            Some(k) => (k, rest),
            None => (default, text),
        },
        None => (default, text),
    };
    let name = rest.rsplit_once('/').map_or(rest, |(_, n)| n);
    (kinds, name.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_with_and_without_kind_and_namespace() {
        assert_eq!(
            backstage("component:default/booking-api", &[Kind::Resource]),
            (COMPONENT, "booking-api".into())
        );
        assert_eq!(
            backstage("booking-api", COMPONENT),
            (COMPONENT, "booking-api".into())
        );
        assert_eq!(
            backstage("group:team-ledger", &[Kind::Team]),
            (&[Kind::Team][..], "team-ledger".into())
        );
        assert_eq!(
            backstage("team-ledger", &[Kind::Team]),
            (&[Kind::Team][..], "team-ledger".into())
        );
        assert_eq!(
            backstage("resource:ops/bookings-db", COMPONENT),
            (&[Kind::Resource][..], "bookings-db".into())
        );
        assert_eq!(
            backstage("default/pricing", COMPONENT),
            (COMPONENT, "pricing".into())
        );
        assert_eq!(
            parse("service:payments", &[Kind::Team]),
            (&[Kind::Service][..], "payments".into())
        );
        // Not a kind: the whole text is the name (socket events look like `bid:new`).
        assert_eq!(
            parse("bid:new", &[Kind::Event]),
            (&[Kind::Event][..], "bid:new".into())
        );
        assert_eq!(
            parse("POST /api/v1/x", &[Kind::Route]),
            (&[Kind::Route][..], "POST /api/v1/x".into())
        );
    }

    #[test]
    fn placeholders() {
        for p in ["", "—", " - ", "None", "n/a", "TBD", "…", "{{TBD}}"] {
            assert!(is_placeholder(p), "{p:?}");
        }
        assert!(!is_placeholder("payments"));
    }
}
