//! The tokenizer: turns text into normalised search terms with byte offsets into the original.
//!
//! The same function tokenizes documents at build time and queries in the browser, so a query
//! term matches exactly when it normalises to the same string as a term in the page.

use unicode_normalization::UnicodeNormalization;

/// A term and where it came from in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The normalised term (NFKC, lower case).
    pub term: String,
    /// Byte offset of the first character in the original text.
    pub start: usize,
    /// Byte offset just past the last character in the original text.
    pub end: usize,
}

/// True for scripts written without spaces between words, indexed as overlapping bigrams.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F) // CJK Extensions B-F and supplements
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Normalises one word: NFKC, then lower case.
pub fn normalize(word: &str) -> String {
    word.nfkc().flat_map(char::to_lowercase).collect()
}

/// Splits text into terms. Words are runs of letters and digits; a word with inner capitals
/// (`OrderController`) also yields its parts; CJK runs yield overlapping character bigrams.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    // The current run of word characters: where it starts and whether it is CJK.
    let mut run: Option<(usize, bool)> = None;
    for (i, c) in text.char_indices() {
        let class = is_word_char(c).then(|| is_cjk(c));
        match (run, class) {
            (Some((_, a)), Some(b)) if a == b => {}
            (Some((start, a)), _) => {
                emit(text, start, i, a, &mut out);
                run = class.map(|b| (i, b));
            }
            (None, _) => run = class.map(|b| (i, b)),
        }
    }
    if let Some((start, a)) = run {
        emit(text, start, text.len(), a, &mut out);
    }
    out
}

fn emit(text: &str, start: usize, end: usize, cjk: bool, out: &mut Vec<Token>) {
    let word = &text[start..end];
    if cjk {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        if chars.len() == 1 {
            out.push(Token {
                term: normalize(word),
                start,
                end,
            });
        }
        for pair in chars.windows(2) {
            let (a, _) = pair[0];
            let (b, cb) = pair[1];
            let e = b + cb.len_utf8();
            out.push(Token {
                term: normalize(&word[a..e]),
                start: start + a,
                end: start + e,
            });
        }
        return;
    }
    out.push(Token {
        term: normalize(word),
        start,
        end,
    });
    // camelCase / PascalCase parts, so `OrderController` is found by `controller`.
    let parts = camel_parts(word);
    if parts.len() > 1 {
        for (a, b) in parts {
            out.push(Token {
                term: normalize(&word[a..b]),
                start: start + a,
                end: start + b,
            });
        }
    }
}

/// Byte ranges of the camel-case parts of a word: a new part starts at an upper-case letter
/// that follows a lower-case letter or digit, or that starts a capitalised word after an acronym.
fn camel_parts(word: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut parts = Vec::new();
    let mut start = 0;
    for k in 1..chars.len() {
        let (i, c) = chars[k];
        let prev = chars[k - 1].1;
        let next_lower = chars.get(k + 1).is_some_and(|(_, n)| n.is_lowercase());
        let boundary = c.is_uppercase()
            && (prev.is_lowercase() || prev.is_numeric() || (prev.is_uppercase() && next_lower));
        if boundary {
            parts.push((start, i));
            start = i;
        }
    }
    parts.push((start, word.len()));
    parts
}

/// Just the terms of [`tokenize`], for callers that don't need offsets.
pub fn terms(text: &str) -> Vec<String> {
    tokenize(text).into_iter().map(|t| t.term).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_and_split_on_punctuation() {
        assert_eq!(
            terms("POST /api/v1/orders, orders.service.ts"),
            ["post", "api", "v1", "orders", "orders", "service", "ts"]
        );
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "Größe der Datenbank";
        for t in tokenize(text) {
            assert_eq!(normalize(&text[t.start..t.end]), t.term);
        }
        assert_eq!(terms(text), ["größe", "der", "datenbank"]);
    }

    #[test]
    fn camel_case_yields_the_word_and_its_parts() {
        assert_eq!(
            terms("BookingController.create"),
            ["bookingcontroller", "booking", "controller", "create"]
        );
        assert_eq!(terms("HTTPServer"), ["httpserver", "http", "server"]);
    }

    #[test]
    fn cjk_runs_become_bigrams() {
        assert_eq!(
            terms("予約の払い戻し"),
            ["予約", "約の", "の払", "払い", "い戻", "戻し"]
        );
        assert_eq!(terms("予 booking"), ["予", "booking"]);
    }

    #[test]
    fn nfkc_folds_compatibility_forms() {
        assert_eq!(terms("ＡＰＩ ﬁle"), ["api", "file"]);
    }
}

/// Decodes `%XX` escapes (URL paths, hash routes); invalid escapes are kept as written and
/// invalid UTF-8 is replaced, so any input gives some string.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 3 <= b.len() {
            if let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes everything but unreserved characters and `/`, for putting text in a URL.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &byte in s.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod url_tests {
    use super::*;

    #[test]
    fn percent_round_trip() {
        for s in ["POST /api/v1/orders", "Größe?&#=", "予約", "100%"] {
            assert_eq!(percent_decode(&percent_encode(s)), s);
        }
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%zz%41"), "%zzA");
    }
}
