//! The public JSON shape of search results: `build-index search --json` prints it, and the
//! app's `search_json` builds the same object.

use serde::Serialize;

use super::SearchResults;

/// The public JSON shape of search results: users' scripts parse it, so fields are only ever
/// added.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The query as given.
    pub query: String,
    /// How many pages matched.
    pub total: usize,
    /// Best first.
    pub hits: Vec<ReportHit>,
    /// Sentences about how the query was read (words left out of a very long query); left
    /// out of the JSON when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
}

/// One hit in a [`Report`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportHit {
    /// Docs-relative path of the page.
    pub doc: String,
    /// Heading id of the section, or `None` for the text before the first heading.
    pub anchor: Option<String>,
    /// Page title.
    pub title: String,
    /// Relevance, rounded to 3 decimals; only comparable within one query.
    pub score: f64,
    /// Plain-text passage around the matched words.
    pub snippet: String,
}

impl SearchResults {
    /// The results in their public JSON shape.
    pub fn report(&self) -> Report {
        Report {
            query: self.query.clone(),
            total: self.total,
            hits: self
                .hits
                .iter()
                .map(|h| ReportHit {
                    doc: h.path.clone(),
                    anchor: h.anchor.clone(),
                    title: h.title.clone(),
                    score: (f64::from(h.score) * 1000.0).round() / 1000.0,
                    snippet: h.snippet.text.clone(),
                })
                .collect(),
            notices: self.notices.clone(),
        }
    }
}

impl Report {
    /// The report as compact JSON text, written here rather than by a JSON library so that the
    /// browser app hands the page one string (building a JS object field by field and
    /// stringifying it cost a tenth of a warm query). The text is what the browser's
    /// `JSON.stringify` gives for the same object: the same characters escaped, and whole
    /// scores without a fraction (`3`, where `build-index search --json` prints `3.0`).
    pub fn to_json(&self) -> String {
        let mut out =
            String::with_capacity(self.hits.len().saturating_mul(512).saturating_add(256));
        out.push_str("{\"query\":");
        json_string(&mut out, &self.query);
        out.push_str(",\"total\":");
        push_uint(&mut out, u64::try_from(self.total).unwrap_or(u64::MAX));
        out.push_str(",\"hits\":[");
        for (i, h) in self.hits.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"doc\":");
            json_string(&mut out, &h.doc);
            out.push_str(",\"anchor\":");
            match &h.anchor {
                Some(a) => json_string(&mut out, a),
                None => out.push_str("null"),
            }
            out.push_str(",\"title\":");
            json_string(&mut out, &h.title);
            out.push_str(",\"score\":");
            json_score(&mut out, h.score);
            out.push_str(",\"snippet\":");
            json_string(&mut out, &h.snippet);
            out.push('}');
        }
        out.push(']');
        if !self.notices.is_empty() {
            out.push_str(",\"notices\":[");
            for (i, n) in self.notices.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(&mut out, n);
            }
            out.push(']');
        }
        out.push('}');
        out
    }
}

/// A JSON string literal, escaped as `JSON.stringify` does: `"`, `\`, and control characters
/// (the five with short escapes, the rest as `\u00XX`); everything else as is.
fn json_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                let b = u32::from(c);
                out.push_str("\\u00");
                for nibble in [b >> 4, b & 15] {
                    let d = HEX.get(usize::try_from(nibble).unwrap_or(0)).copied();
                    out.push(char::from(d.unwrap_or(b'0')));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn push_uint(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i = i.saturating_sub(1);
        if let Some(d) = digits.get_mut(i) {
            // `n % 10` is below 10.
            *d = b'0'.saturating_add(u8::try_from(n % 10).unwrap_or(0));
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    for &d in digits.get(i..).unwrap_or(&[]) {
        out.push(char::from(d));
    }
}

/// A score rounded to 3 decimals (as [`SearchResults::report`] makes it) in the shortest form
/// that reads back as the same number, which for such a number is its decimal digits with
/// trailing zeros dropped: `12.5`, `3`, `0.007`. No float formatting code: the app does not
/// carry it.
fn json_score(out: &mut String, score: f64) {
    // Beyond 2^53 / 1000 thousandths are no longer exact; scores never get near it.
    if !score.is_finite() || score.abs() >= 9.0e12 {
        out.push_str(if score.is_finite() { "0" } else { "null" });
        return;
    }
    let thousandths = (score * 1000.0).round();
    if thousandths < 0.0 {
        out.push('-');
    }
    // Exact: an integer below 2^53 in magnitude.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let t = thousandths.abs() as u64;
    push_uint(out, t / 1000);
    let frac = t % 1000;
    if frac != 0 {
        out.push('.');
        let digits = [frac / 100, frac / 10 % 10, frac % 10];
        let len = if frac.is_multiple_of(100) {
            1
        } else if frac.is_multiple_of(10) {
            2
        } else {
            3
        };
        for d in digits.iter().take(len) {
            out.push(char::from(
                b'0'.saturating_add(u8::try_from(*d).unwrap_or(0)),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(strings: &[&str], scores: &[f64]) -> Report {
        Report {
            query: strings.join(" "),
            total: 12345,
            hits: strings
                .iter()
                .zip(scores)
                .enumerate()
                .map(|(i, (s, &score))| ReportHit {
                    doc: format!("dir/{s}.md"),
                    anchor: (i % 2 == 0).then(|| s.to_string()),
                    title: s.to_string(),
                    score,
                    snippet: format!("…{s}…"),
                })
                .collect(),
            notices: if strings.len() > 2 {
                vec!["The query is long: \"x\"".into()]
            } else {
                Vec::new()
            },
        }
    }

    /// `3` and `3.0` are the same number to a reader of the JSON.
    fn numbers_as_f64(v: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match v {
            Value::Number(n) => Value::from(n.as_f64().unwrap()),
            Value::Array(a) => Value::Array(a.into_iter().map(numbers_as_f64).collect()),
            Value::Object(o) => {
                Value::Object(o.into_iter().map(|(k, v)| (k, numbers_as_f64(v))).collect())
            }
            other => other,
        }
    }

    #[test]
    fn json_reads_back_as_the_serde_shape() {
        let strings = [
            "plain",
            "quote \" and \\ backslash",
            "tab\tnew\nline\r\u{8}\u{c}\u{1}\u{1f}",
            "ümlaut 予約 \u{2028} emoji 😀 </script>",
            "",
        ];
        let mut seed = 3u64;
        let mut scores = Vec::new();
        for _ in 0..2000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let raw = (seed >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi((seed % 7) as i32);
            scores.push((raw * 1000.0).round() / 1000.0);
        }
        scores.extend([0.0, 3.0, 0.001, 0.5, 12.25, 1e9 + 0.123]);
        for chunk in scores.chunks(strings.len()) {
            let r = report(&strings, chunk);
            let ours: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
            let want = serde_json::to_value(&r).unwrap();
            assert_eq!(
                numbers_as_f64(ours),
                numbers_as_f64(want),
                "{}",
                r.to_json()
            );
        }
        let r = report(&strings[..1], &[0.0]);
        assert!(!r.to_json().contains("notices"));
    }

    #[test]
    fn json_matches_what_the_browser_printed() {
        // JSON.stringify's text for the same object, as the app returned it before.
        let r = report(&["a\"b", "c"], &[3.0, 0.125]);
        assert_eq!(
            r.to_json(),
            r#"{"query":"a\"b c","total":12345,"hits":[{"doc":"dir/a\"b.md","anchor":"a\"b","title":"a\"b","score":3,"snippet":"…a\"b…"},{"doc":"dir/c.md","anchor":null,"title":"c","score":0.125,"snippet":"…c…"}]}"#
        );
        let mut s = String::new();
        json_string(&mut s, "\u{1}\u{1f}\u{7f}");
        assert_eq!(s, "\"\\u0001\\u001f\u{7f}\"");
    }
}
