//! The query language: words, `"exact phrases"`, `-exclusions`, `a OR b`, and `key:value`
//! filters (`title:`, `tag:`, `kind:`, `lang:`, and any front matter key the site has).
//!
//! Engineering docs are full of command-line flags (`--color`, `-F`, `-C/--codegen`), so a
//! dash only excludes when it can mean nothing else: `-word` (two or more letters), `-"a
//! phrase"` or `-key:value`, beside at least one term that is not excluded. A leading `--`, a
//! dash inside the token (`-Zunstable-options`, `-o/--out-dir`), a single letter (`-F`), or
//! punctuation after the word (`-g:`) make it a flag, searched like any word.

use crate::text::{flag_key, words};

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// Groups that should all match (pages matching more groups rank first); each group is a
    /// list of alternatives joined by `OR`.
    pub groups: Vec<Vec<Atom>>,
    /// Pages containing any of these are left out.
    pub excludes: Vec<Atom>,
    /// Conditions on page metadata; all must hold.
    pub filters: Vec<Filter>,
    /// Whether the last word may be unfinished (search as you type): true unless the query ends
    /// in a space or a closing quote.
    pub last_is_prefix: bool,
}

/// A word, several words written together (`orders.service.ts`), or a quoted phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atom {
    /// Its folded whole words, in order.
    pub words: Vec<String>,
    /// `"quoted"`: the words must appear in this order, next to each other.
    pub phrase: bool,
    /// Command-line flags the text names (`-f`, `--out-dir`), as the index keys them whole.
    pub flags: Vec<String>,
}

/// A `key:value` condition on a page's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The key, lower case (`kind`, `tag`, `title`, `lang`, or a front matter key).
    pub key: String,
    /// The value as typed.
    pub value: String,
    /// `-key:value`: pages matching it are left out instead.
    pub negated: bool,
}

/// The built-in filter keys; front matter keys are filters too when the site has them.
pub const BUILTIN_FILTERS: &[&str] = &["title", "tag", "kind", "lang"];

#[derive(Debug)]
struct Piece {
    text: String,
    quoted: bool,
    negated: bool,
}

fn lex(q: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut chars = q.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut negated = false;
        let mut dashes = String::new();
        if c == '-' {
            chars.next();
            match chars.peek() {
                // `--flag`: a word, dashes and all.
                Some('-') => dashes.push('-'),
                Some(n) if !n.is_whitespace() => negated = true,
                _ => continue,
            }
        }
        let mut text = dashes;
        let mut quoted = false;
        if chars.peek() == Some(&'"') {
            chars.next();
            quoted = true;
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                text.push(c);
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                chars.next();
                // key:"quoted value"
                if c == '"' && text.ends_with(':') {
                    for c in chars.by_ref() {
                        if c == '"' {
                            break;
                        }
                        text.push(c);
                    }
                    break;
                }
                text.push(c);
            }
        }
        // `-x` is an exclusion only when what follows is a word of two or more characters, a
        // phrase or a filter; anything else is a flag (`-F`, `-g:`, `-Zunstable-options`).
        if negated && !quoted {
            let word_like = text.chars().count() >= 2
                && text
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
            let filter_like = text.split_once(':').is_some_and(|(_, v)| !v.is_empty());
            if !word_like && !filter_like {
                negated = false;
                text.insert(0, '-');
            }
        }
        out.push(Piece {
            text,
            quoted,
            negated,
        });
    }
    // A query of nothing but exclusions means what it says as words: `-F` alone looks for `-F`.
    if out.iter().all(|p| p.negated) {
        for p in out.iter_mut().filter(|p| !p.text.contains(':') || p.quoted) {
            p.negated = false;
            if !p.quoted {
                p.text.insert(0, '-');
            }
        }
    }
    out
}

/// The flags a piece of query text names: `-o/--out-dir:` → `-o`, `--out-dir`.
fn flags_in(text: &str) -> Vec<String> {
    text.split(['/', ',', '='])
        .filter_map(|part| flag_key(part.trim_end_matches([':', '.', ';', ')', '`'])))
        .collect()
}

/// Parses `q`. `is_filter_key` says which `key:` prefixes are filters (the rest is text, so
/// `refund.service.ts:118` stays a search for that file).
pub fn parse(q: &str, is_filter_key: &dyn Fn(&str) -> bool) -> Query {
    let mut query = Query {
        last_is_prefix: !q.ends_with(char::is_whitespace) && !q.trim_end().ends_with('"'),
        ..Query::default()
    };
    let mut join_next = false;
    for piece in lex(q) {
        if !piece.quoted && !piece.negated && piece.text == "OR" {
            join_next = !query.groups.is_empty();
            continue;
        }
        if !piece.quoted {
            if let Some((key, value)) = piece.text.split_once(':') {
                let key = key.to_lowercase();
                if !value.is_empty() && is_filter_key(&key) {
                    query.filters.push(Filter {
                        key,
                        value: value.to_string(),
                        negated: piece.negated,
                    });
                    join_next = false;
                    continue;
                }
            }
        }
        let atom = Atom {
            words: words(&piece.text),
            phrase: piece.quoted,
            flags: if piece.quoted {
                Vec::new()
            } else {
                flags_in(&piece.text)
            },
        };
        if atom.words.is_empty() {
            continue;
        }
        if piece.negated {
            query.excludes.push(atom);
        } else if !join_next
            && !atom.phrase
            && atom.words.len() > 1
            && atom.words.iter().all(|w| is_cjk_term(w))
        {
            query.groups.extend(cjk_groups(atom));
        } else {
            match query.groups.last_mut() {
                Some(group) if join_next => group.push(atom),
                _ => query.groups.push(vec![atom]),
            }
        }
        join_next = false;
    }
    query
}

/// Whether a query word is a CJK bigram (or a lone CJK character), as [`words`] makes them.
fn is_cjk_term(w: &str) -> bool {
    w.chars().all(crate::text::is_cjk)
}

/// The groups of a run of CJK characters typed without spaces: each bigram its own group, so a
/// page holding some of them still matches and pages holding more rank first, and the run as a
/// phrase, so the page holding it as written ranks above one with its bigrams scattered. Each
/// bigram required (one atom) found nothing when the characters stood in another order.
fn cjk_groups(run: Atom) -> impl Iterator<Item = Vec<Atom>> {
    let single = |w: &String| Atom {
        words: vec![w.clone()],
        phrase: false,
        flags: Vec::new(),
    };
    let bigrams: Vec<Vec<Atom>> = run.words.iter().map(|w| vec![single(w)]).collect();
    let phrase = Atom {
        phrase: true,
        flags: Vec::new(),
        ..run
    };
    bigrams.into_iter().chain(std::iter::once(vec![phrase]))
}

impl Query {
    /// Whether the query holds the filter `key:value` (not negated); `key` in any case, `value`
    /// exactly as the filter's.
    pub fn has_filter(&self, key: &str, value: &str) -> bool {
        self.filters
            .iter()
            .any(|f| !f.negated && f.value == value && f.key.eq_ignore_ascii_case(key))
    }
}

/// The query text for the filter `key:value`, quoted when the value holds spaces, so that
/// [`parse`] reads it back as exactly that filter; `None` when the parser has no way to write it
/// (an empty value, a key with `:`, `"`, a space or a leading `-`, or a value with both a space
/// and a `"`).
pub fn filter_token(key: &str, value: &str) -> Option<String> {
    let token = if value.contains(char::is_whitespace) {
        format!("{key}:\"{value}\"")
    } else {
        format!("{key}:{value}")
    };
    // The lexer's rules are subtle (`-` before the key, `"` right after a `:`): check by reading
    // the token back rather than restating them here.
    let back = parse(&token, &|k| k.eq_ignore_ascii_case(key));
    let exact = back.groups.is_empty()
        && back.excludes.is_empty()
        && back.filters.len() == 1
        && back.has_filter(key, value);
    exact.then_some(token)
}

/// `q` without the filter `key:value`, written either way the parser reads it (`key:v` or
/// `key:"v"`); the rest of the text is kept as typed.
pub fn without_filter(q: &str, key: &str, value: &str) -> String {
    let Some(token) = filter_token(key, value) else {
        return q.to_string();
    };
    let quoted = format!("{key}:\"{value}\"");
    let mut out = q.to_string();
    for form in [token.as_str(), quoted.as_str()] {
        // Only whole tokens: `kind:adr` must not cut `kind:adrs`.
        while let Some(at) = find_token(&out, form) {
            let before = out.get(..at).unwrap_or_default().trim_end();
            let after = out
                .get(at.saturating_add(form.len())..)
                .unwrap_or_default()
                .trim_start();
            out = match (before.is_empty(), after.is_empty()) {
                (true, _) => after.to_string(),
                (_, true) => before.to_string(),
                _ => format!("{before} {after}"),
            };
        }
    }
    out
}

/// Where `token` stands in `q` as a whole whitespace-delimited token.
fn find_token(q: &str, token: &str) -> Option<usize> {
    q.match_indices(token).map(|(at, _)| at).find(|&at| {
        let starts = q
            .get(..at)
            .is_some_and(|b| b.is_empty() || b.ends_with(char::is_whitespace));
        let ends = q
            .get(at.saturating_add(token.len())..)
            .is_some_and(|a| a.is_empty() || a.starts_with(char::is_whitespace));
        starts && ends
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(q: &str) -> Query {
        parse(q, &|k| BUILTIN_FILTERS.contains(&k) || k == "owner")
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let q = p(r#"refund "webhook backlog" -stripe -"dead letter""#);
        assert_eq!(q.groups.len(), 2);
        assert_eq!(q.groups[0][0].words, ["refund"]);
        assert!(q.groups[1][0].phrase);
        assert_eq!(q.groups[1][0].words, ["webhook", "backlog"]);
        assert_eq!(q.excludes.len(), 2);
        assert!(q.excludes[1].phrase);
        assert!(!q.last_is_prefix);
    }

    #[test]
    fn or_joins_alternatives() {
        let q = p("redis OR rabbitmq pressure");
        assert_eq!(q.groups.len(), 2);
        assert_eq!(q.groups[0].len(), 2);
        assert_eq!(q.groups[0][1].words, ["rabbitmq"]);
        assert_eq!(p("OR redis").groups.len(), 1);
    }

    #[test]
    fn filters_only_for_known_keys() {
        let q = p(r#"kind:runbook owner:"team harbour" -tag:legacy refund.service.ts:118"#);
        assert_eq!(q.filters.len(), 3);
        assert_eq!(q.filters[1].value, "team harbour");
        assert!(q.filters[2].negated);
        assert_eq!(q.groups.len(), 1);
        assert_eq!(q.groups[0][0].words, ["refund", "service", "ts", "118"]);
        assert!(q.last_is_prefix);
    }

    #[test]
    fn cli_flags_are_words_not_exclusions() {
        for (q, words, flags) in [
            (
                "--color: configure coloring",
                vec!["color", "configure", "coloring"],
                vec!["--color"],
            ),
            (
                "-F: set lint forbidden",
                vec!["f", "set", "lint", "forbidden"],
                vec!["-f"],
            ),
            (
                "-o/--out-dir: output directory",
                vec!["o", "out", "dir", "output", "directory"],
                vec!["-o", "--out-dir"],
            ),
            (
                "-Zunstable-options",
                vec!["zunstable", "options"],
                vec!["-zunstable-options"],
            ),
            ("-Z flags", vec!["z", "flags"], vec!["-z"]),
            (
                "Offset -1 (Special)",
                vec!["offset", "1", "special"],
                vec!["-1"],
            ),
        ] {
            let parsed = p(q);
            assert!(parsed.excludes.is_empty(), "{q}: {:?}", parsed.excludes);
            let all: Vec<&String> = parsed.groups.iter().flat_map(|g| &g[0].words).collect();
            assert_eq!(all, words, "{q}");
            let all_flags: Vec<&String> = parsed.groups.iter().flat_map(|g| &g[0].flags).collect();
            assert_eq!(all_flags, flags, "{q}");
        }
        // Alone, even a word-like exclusion is what the reader is looking for.
        let alone = p("-stripe");
        assert!(alone.excludes.is_empty());
        assert_eq!(alone.groups[0][0].words, ["stripe"]);
        // Beside other terms, `-word`, `-"phrase"` and `-key:value` still exclude.
        let q = p(r#"payments -stripe -"dead letter" -tag:legacy"#);
        assert_eq!(q.excludes.len(), 2);
        assert!(q.filters[0].negated);
    }

    #[test]
    fn stray_punctuation_is_harmless() {
        for q in [
            "",
            "-",
            "\"",
            "\"\"",
            "OR",
            "- -",
            ":",
            "a:",
            "\"unterminated phrase",
        ] {
            let _ = p(q);
        }
        assert_eq!(
            p("\"unterminated phrase").groups[0][0].words,
            ["unterminated", "phrase"]
        );
    }

    #[test]
    fn filter_tokens_read_back_as_the_same_filter() {
        for (key, value) in [
            ("kind", "runbook"),
            ("owner", "team harbour"),
            ("owner", "team\tharbour  east"),
            ("tag", "c++"),
            ("title", "it's"),
            ("owner", "say\"hi\""),
            ("tag", "-legacy"),
            ("tag", "a:b"),
            ("Owner", "Team Harbour"),
        ] {
            let token = filter_token(key, value).unwrap_or_else(|| panic!("{key}:{value}"));
            let q = p(&format!("refund {token} webhook"));
            assert!(q.has_filter(key, value), "{token} read as {:?}", q.filters);
            assert_eq!(q.filters.len(), 1, "{token}");
            assert_eq!(q.groups.len(), 2, "{token} leaked into the words");
            assert!(!q.has_filter(key, "other"));
        }
        assert_eq!(
            filter_token("owner", "team harbour").as_deref(),
            Some("owner:\"team harbour\"")
        );
    }

    #[test]
    fn filter_tokens_refuse_what_the_parser_cannot_read_back() {
        for (key, value) in [
            ("owner", "say \"hi\""),
            ("tag", "\"quoted"),
            ("tag", "a:\"b"),
            ("tag", ""),
            ("a:b", "x"),
            ("-tag", "x"),
        ] {
            assert_eq!(filter_token(key, value), None, "{key}:{value}");
        }
    }

    #[test]
    fn negated_filters_are_not_the_filter() {
        assert!(!p("-kind:adr refund").has_filter("kind", "adr"));
        assert!(p("KIND:adr refund").has_filter("kind", "adr"));
    }

    #[test]
    fn without_filter_removes_the_whole_token_only() {
        assert_eq!(
            without_filter(
                r#"refund owner:"team harbour" webhook"#,
                "owner",
                "team harbour"
            ),
            "refund webhook"
        );
        assert_eq!(without_filter("refund kind:adr", "kind", "adr"), "refund");
        assert_eq!(
            without_filter(r#"kind:"adr" refund"#, "kind", "adr"),
            "refund"
        );
        assert_eq!(
            without_filter("kind:adrs refund", "kind", "adr"),
            "kind:adrs refund"
        );
        let q = without_filter(r#"a owner:"team harbour" b"#, "owner", "team harbour");
        assert!(!p(&q).has_filter("owner", "team harbour"));
    }
}
