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
}
