//! The whole names a runbook's title or heading gives, for runbook coverage: "Payments webhook
//! backlog" names `payments`, "Atlantis Web UI" names `atlantis-web-ui` and not `web`, "OAuth
//! tokens" names `oauth`, never `auth` (issue 23: coverage matched single title words).
//!
//! A title is split into phrases at punctuation, at small words (`the`, `of`, `for`...), at the
//! generic words runbook titles are made of (`outage`, `latency`, `restart`, `service`...) and
//! where the case changes between a capitalised word and a lower-case one; a word written like
//! an identifier (`booking-api`, `svc_2`) is a phrase of its own. A service is named when its
//! slug is a whole phrase's slug.

/// Words that join names and never are one.
const SMALL: &[&str] = &[
    "a", "an", "the", "of", "for", "in", "on", "at", "to", "from", "by", "with", "and", "or", "vs",
    "when", "if", "is", "are", "not", "no", "after", "before", "during", "into", "over", "under",
    "its", "it", "this", "that", "how", "what", "why", "via", "while",
];

/// What runbook titles say about a service, not its name.
const GENERIC: &[&str] = &[
    "service",
    "services",
    "outage",
    "outages",
    "down",
    "downtime",
    "alert",
    "alerts",
    "alerting",
    "latency",
    "error",
    "errors",
    "incident",
    "incidents",
    "runbook",
    "runbooks",
    "playbook",
    "restart",
    "restarts",
    "restarting",
    "failover",
    "failure",
    "failures",
    "degraded",
    "degradation",
    "troubleshooting",
    "troubleshoot",
    "debugging",
    "recovery",
    "recover",
    "high",
    "slow",
    "issue",
    "issues",
    "problems",
    "deploy",
    "deploys",
    "deployment",
    "rollback",
    "stuck",
    "backlog",
    "unavailable",
    "unreachable",
    "timeout",
    "timeouts",
    "saturation",
    "guide",
    "checklist",
    "procedure",
    "check",
    "checks",
    "fix",
    "handling",
];

/// The slugs of the whole names in `text` (a title or heading), in order, without repeats.
pub(crate) fn whole_names(text: &str) -> Vec<String> {
    let mut names = Names::default();
    for piece in text.split(is_separator) {
        for raw in piece.split_whitespace() {
            let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
            let lower = word.to_lowercase();
            if word.is_empty()
                || SMALL.contains(&lower.as_str())
                || GENERIC.contains(&lower.as_str())
            {
                names.flush();
            } else if is_identifier(word) {
                names.flush();
                names.phrase.push(word);
                names.flush();
            } else {
                let cap = word.chars().next().is_some_and(char::is_uppercase);
                if cap != names.capital {
                    names.flush();
                }
                names.capital = cap;
                names.phrase.push(word);
            }
        }
        names.flush();
    }
    names.out
}

/// The phrase being read and the names found so far.
#[derive(Default)]
struct Names<'a> {
    phrase: Vec<&'a str>,
    /// Whether the phrase's words are capitalised.
    capital: bool,
    out: Vec<String>,
}

impl Names<'_> {
    fn flush(&mut self) {
        let slug = docatlas_core::graph::slug(&self.phrase.join(" "));
        if !slug.is_empty() && !self.out.contains(&slug) {
            self.out.push(slug);
        }
        self.phrase.clear();
    }
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        ':' | ','
            | ';'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '/'
            | '|'
            | '!'
            | '?'
            | '"'
            | '—'
            | '–'
            | '`'
            | '*'
            | '&'
            | '+'
            | '='
    )
}

/// A word written as an identifier: a hyphen, underscore or dot inside it, or a digit.
fn is_identifier(word: &str) -> bool {
    word.chars()
        .any(|c| c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::whole_names;

    #[test]
    fn a_service_is_named_as_a_whole_name_never_as_one_word_of_another() {
        let cases: &[(&str, &[&str])] = &[
            ("Atlantis Web UI", &["atlantis-web-ui"]),
            ("OAuth tokens", &["oauth", "tokens"]),
            ("Payments webhook backlog", &["payments", "webhook"]),
            ("Payments Service Outage", &["payments"]),
            ("booking-api latency", &["booking-api"]),
            ("Restart the web service", &["web"]),
            ("Booking API: high error rate", &["booking-api", "rate"]),
            (
                "RabbitMQ queue back-pressure",
                &["rabbitmq", "queue", "back-pressure"],
            ),
            (
                "Redis memory pressure (identity, fleet)",
                &["redis", "memory-pressure", "identity", "fleet"],
            ),
            ("`notifier` stuck", &["notifier"]),
        ];
        for (title, want) in cases {
            assert_eq!(whole_names(title), *want, "{title}");
        }
    }
}
