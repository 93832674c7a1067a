//! The tokenizer: turns text into normalised search terms with byte offsets into the original.
//!
//! The same functions tokenize documents at build time and queries in the browser, so a query
//! word matches exactly when it folds to the same string as a word on the page.
//!
//! Folding: NFKC, lower case, German umlauts and ß transliterated (`ä`→`ae`, `ß`→`ss`), then
//! any remaining diacritics dropped (`é`→`e`). A word that had umlauts is also indexed with them
//! simply dropped (`Größe` → `groesse` and `grosse`), so all three spellings people type find it.

use crate::slice;

/// A term and where it came from in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The folded term.
    pub term: String,
    /// Byte offset of the first character in the original text.
    pub start: usize,
    /// Byte offset just past the last character in the original text.
    pub end: usize,
    /// What kind of term this is.
    pub kind: TokenKind,
}

/// Whether a token is a word as written or an extra form of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A whole word (or a CJK bigram), in text order: the sequence phrases are matched against.
    Word,
    /// A camelCase part, a compound part or an umlaut-dropped spelling of the previous word.
    Part,
}

/// A language docatlas stems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English (Snowball English stemmer).
    En,
    /// German (Snowball German stemmer).
    De,
}

impl Lang {
    /// The language for a code such as `en`, `en-GB`, `de`, `de-AT`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let c = code.trim().to_ascii_lowercase();
        let base = c.split(['-', '_']).next().unwrap_or("");
        match base {
            "en" | "english" => Some(Lang::En),
            "de" | "german" | "deutsch" => Some(Lang::De),
            _ => None,
        }
    }

    /// The one-letter tag used in stem keys.
    fn tag(self) -> char {
        match self {
            Lang::En => 'e',
            Lang::De => 'd',
        }
    }

    fn algorithm(self) -> rust_stemmers::Algorithm {
        match self {
            Lang::En => rust_stemmers::Algorithm::English,
            Lang::De => rust_stemmers::Algorithm::German,
        }
    }
}

/// Marks a stem key in the term dictionary; surface terms never contain it.
pub const STEM_MARK: char = '\u{1}';
/// Marks a title-word key (what `title:` filters read); surface terms never contain it.
pub const TITLE_MARK: char = '\u{2}';
/// Marks an entity key (a catalog row's name); surface terms never contain it.
pub const ENTITY_MARK: char = '\u{3}';

/// Marks a heading key (a page title or section heading, whole); surface terms never contain it.
pub const HEADING_MARK: char = '\u{4}';

/// The dictionary key of `term`'s stem in `lang` (`None` for terms stemming can't help).
///
/// Special keys are the stem (or word) first and a mark after it, so they sort right after the
/// words they come from and usually land in the same term shard: a query for `deployments`
/// finds `deploy\u{1}e` in the shard it fetched for the word itself.
pub fn stem_key(term: &str, lang: Lang) -> Option<String> {
    if term.chars().count() < 3
        || !term.chars().all(|c| c.is_alphabetic())
        || term.chars().any(is_cjk)
    {
        return None;
    }
    let stemmer = rust_stemmers::Stemmer::create(lang.algorithm());
    let stem = stemmer.stem(term);
    Some(format!("{stem}{STEM_MARK}{}", lang.tag()))
}

/// Whether a dictionary key is a stem key (made by [`stem_key`]) rather than a surface word.
pub fn is_stem_key(key: &str) -> bool {
    key.contains(STEM_MARK)
}

/// The language whose stemmer made a [`stem_key`] (`None` for any other key).
pub fn lang_of_stem_key(key: &str) -> Option<Lang> {
    let (_stem, tag) = key.rsplit_once(STEM_MARK)?;
    [Lang::En, Lang::De]
        .into_iter()
        .find(|l| tag.chars().eq(std::iter::once(l.tag())))
}

/// The stem a [`stem_key`] holds (`None` for any other key).
pub fn stem_of_key(key: &str) -> Option<&str> {
    let (stem, _tag) = key.rsplit_once(STEM_MARK)?;
    Some(stem)
}

/// The key under which pages whose title has the word `word` are listed.
pub fn title_key(word: &str) -> String {
    format!("{word}{TITLE_MARK}")
}

/// The key under which the sections whose catalog tables define the entity whose name has these
/// folded words are listed (`booking api`).
pub fn entity_key(words: &[String]) -> String {
    format!("{}{ENTITY_MARK}", words.join(" "))
}

/// The key under which the sections whose heading (or page title) is exactly these folded words
/// are listed: what makes the page titled like the query rank first.
pub fn heading_key(words: &[String]) -> String {
    format!("{}{HEADING_MARK}", words.join(" "))
}

/// Whether a dictionary key is a word as written (not a stem, title or entity key): what prefix
/// expansion and typo correction may offer.
pub fn is_surface_key(key: &[u8]) -> bool {
    key.iter().all(|&b| b > b' ')
}

/// Guesses English or German from common short words; `None` when neither is clear.
pub fn detect_lang(text: &str) -> Option<Lang> {
    const EN: &[&str] = &[
        "the", "and", "of", "to", "is", "in", "that", "for", "with", "this", "are", "it", "be",
        "on",
    ];
    const DE: &[&str] = &[
        "der", "die", "das", "und", "ist", "nicht", "mit", "den", "ein", "eine", "zu", "auf",
        "für", "wird", "sind", "auch",
    ];
    let (mut en, mut de) = (0usize, 0usize);
    for w in text.split(|c: char| !c.is_alphabetic()).take(3000) {
        let w = w.to_lowercase();
        en = en.saturating_add(EN.contains(&w.as_str()).into());
        de = de.saturating_add(DE.contains(&w.as_str()).into());
    }
    // At most 3,000 words are counted, so none of these saturate.
    if en.saturating_add(de) < 5 {
        None
    } else if de.saturating_mul(2) > en.saturating_mul(3) {
        Some(Lang::De)
    } else if en.saturating_mul(2) > de.saturating_mul(3) {
        Some(Lang::En)
    } else {
        None
    }
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

/// Folds one word: NFKC, lower case, umlauts transliterated, other diacritics dropped.
pub fn fold(word: &str) -> String {
    fold_with(word, true)
}

fn fold_with(word: &str, transliterate: bool) -> String {
    crate::fold::fold_word(word, transliterate)
}

/// Splits text into tokens. Words are runs of letters and digits; a word with inner capitals
/// (`OrderController`) also yields its parts; CJK runs yield overlapping character bigrams.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for (start, end, cjk) in runs(text) {
        emit(text, start, end, cjk, &mut out);
        if !cjk {
            if let Some((a, b)) = flag_at(text, start) {
                if let Some(term) = text.get(a..b).and_then(flag_key) {
                    out.push(Token {
                        term,
                        start: a,
                        end: b,
                        kind: TokenKind::Part,
                    });
                }
            }
        }
    }
    out
}

/// The byte range of a command-line flag (`-F`, `--out-dir`) whose first word starts at
/// `start`: one or two dashes right before it, at the start of the text or after a character
/// that is not part of a word, and the flag runs on over letters, digits, `_` and inner dashes.
fn flag_at(text: &str, start: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let before = bytes.get(..start)?;
    let dashes = before.iter().rev().take_while(|&&b| b == b'-').count();
    if dashes == 0 || dashes > 2 {
        return None;
    }
    let dash_start = start.checked_sub(dashes)?;
    let prev = dash_start.checked_sub(1).and_then(|i| bytes.get(i));
    if prev.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b >= 0x80) {
        return None;
    }
    let rest = bytes.get(start..)?;
    let len = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b'_')
        .count();
    let end = start.checked_add(len)?;
    let trimmed = bytes
        .get(start..end)?
        .iter()
        .rev()
        .take_while(|&&b| b == b'-')
        .count();
    Some((dash_start, end.checked_sub(trimmed)?))
}

/// The dictionary key of a command-line flag (`-F` → `-f`, `--Out-Dir` → `--out-dir`), or
/// `None` when `text` is not one: one or two dashes, then an ASCII letter or digit, then letters,
/// digits, `_` and `-`.
pub fn flag_key(text: &str) -> Option<String> {
    let body = text.strip_prefix("--").or_else(|| text.strip_prefix('-'))?;
    let body = body.trim_end_matches('-');
    let mut chars = body.chars();
    let first = chars.next()?;
    if !first.is_ascii_alphanumeric()
        || !chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let dashes = if text.starts_with("--") { "--" } else { "-" };
    Some(format!("{dashes}{}", body.to_ascii_lowercase()))
}

/// The runs of word characters in `text`: (start, end, is CJK), without allocating.
///
/// Scanned a byte at a time where the text is ASCII (most of any engineering text, and every
/// snippet and phrase check reads whole sections), decoding a `char` only at a byte >= 0x80.
pub fn runs(text: &str) -> impl Iterator<Item = (usize, usize, bool)> + '_ {
    let bytes = text.as_bytes();
    // The character at `i` (a char boundary) as (is a word char, is CJK, length in bytes).
    let class_at = move |i: usize| -> Option<(bool, bool, usize)> {
        let b = *bytes.get(i)?;
        if b < 0x80 {
            return Some((b.is_ascii_alphanumeric(), false, 1));
        }
        let c = text.get(i..)?.chars().next()?;
        // Typographic quotes, dashes, ellipses and no-break spaces are common in prose and are
        // never word characters: no Unicode table lookup for them.
        if matches!(c, '\u{a0}' | '\u{2000}'..='\u{206f}') {
            return Some((false, false, c.len_utf8()));
        }
        Some((is_word_char(c), is_cjk(c), c.len_utf8()))
    };
    let mut at = 0usize;
    std::iter::from_fn(move || {
        // Skip to the next word character.
        let (start, cjk) = loop {
            // ASCII that is not a word character, a byte at a time.
            while bytes
                .get(at)
                .is_some_and(|b| *b < 0x80 && !b.is_ascii_alphanumeric())
            {
                at = at.saturating_add(1);
            }
            let (word, cjk, len) = class_at(at)?;
            let start = at;
            at = at.saturating_add(len);
            if word {
                break (start, cjk);
            }
        };
        loop {
            if !cjk {
                while bytes.get(at).is_some_and(u8::is_ascii_alphanumeric) {
                    at = at.saturating_add(1);
                }
            }
            match class_at(at) {
                Some((true, c, len)) if c == cjk => at = at.saturating_add(len),
                _ => break,
            }
        }
        Some((start, at, cjk))
    })
}

/// [`runs`] a `char` at a time: the definition the fast scan must agree with (tests only).
#[cfg(test)]
pub(crate) fn runs_by_char(text: &str) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !is_word_char(c) {
            continue;
        }
        let cjk = is_cjk(c);
        let mut end = start + c.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            if !is_word_char(c) || is_cjk(c) != cjk {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        out.push((start, end, cjk));
    }
    out
}

fn emit(text: &str, start: usize, end: usize, cjk: bool, out: &mut Vec<Token>) {
    let word = slice::sub(text, start, end);
    let push = |out: &mut Vec<Token>, term: String, a: usize, b: usize, kind| {
        out.push(Token {
            term,
            start: start.saturating_add(a),
            end: start.saturating_add(b),
            kind,
        })
    };
    if cjk {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        if chars.len() == 1 {
            push(out, fold(word), 0, word.len(), TokenKind::Word);
        }
        for pair in chars.windows(2) {
            let [(a, _), (b, cb)] = pair else { continue };
            let e = b.saturating_add(cb.len_utf8());
            push(out, fold(slice::sub(word, *a, e)), *a, e, TokenKind::Word);
        }
        return;
    }
    let folded = fold(word);
    let has_umlaut = word
        .chars()
        .any(|c| matches!(c, 'ä' | 'ö' | 'ü' | 'Ä' | 'Ö' | 'Ü'));
    push(out, folded, 0, word.len(), TokenKind::Word);
    if has_umlaut {
        push(out, fold_with(word, false), 0, word.len(), TokenKind::Part);
    }
    // camelCase / PascalCase parts, so `OrderController` is found by `controller`.
    let parts = camel_parts(word);
    if parts.len() > 1 {
        for (a, b) in parts {
            push(out, fold(slice::sub(word, a, b)), a, b, TokenKind::Part);
        }
    }
}

/// Byte ranges of the camel-case parts of a word (the whole word when it has none): a new part
/// starts at an upper-case letter that follows a lower-case letter or digit, or that starts a
/// capitalised word after an acronym.
pub fn camel_parts(word: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut next = chars.iter().skip(2);
    for pair in chars.windows(2) {
        let [(_, prev), (i, c)] = *pair else { continue };
        let next_lower = next.next().is_some_and(|(_, n)| n.is_lowercase());
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

/// Splits a long folded word into two or more known words (`datenbankverbindung` →
/// `datenbank` + `verbindung`), allowing a German linking `s` or `es`; `None` if it can't.
/// `known` says whether a term occurs as a word of its own somewhere in the corpus.
pub fn split_compound(word: &str, known: &dyn Fn(&str) -> bool) -> Option<Vec<String>> {
    const MIN: usize = 4;
    if word.len() < 2 * MIN || !word.is_ascii() || !word.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    // Longest known head whose rest is known or splits further; failing that, the longest known
    // head with a rest long enough to be a word of its own (it may occur nowhere else).
    // `word` is ASCII (checked above), so every offset is a char boundary.
    let heads = || {
        (MIN..=word.len().saturating_sub(MIN))
            .rev()
            .flat_map(move |i| {
                ["", "s", "es"].into_iter().filter_map(move |link| {
                    let head = slice::head(word, i)
                        .strip_suffix(link)
                        .filter(|h| h.len() >= MIN)?;
                    Some((head, slice::tail(word, i)))
                })
            })
    };
    for (head, tail) in heads() {
        if !known(head) {
            continue;
        }
        if known(tail) {
            return Some(vec![head.to_string(), tail.to_string()]);
        }
        if let Some(mut rest) = split_compound(tail, known) {
            rest.insert(0, head.to_string());
            return Some(rest);
        }
    }
    heads()
        .find(|(head, tail)| tail.len() > MIN && known(head))
        .map(|(head, tail)| vec![head.to_string(), tail.to_string()])
}

/// Just the folded terms of [`tokenize`], for callers that don't need offsets.
pub fn terms(text: &str) -> Vec<String> {
    tokenize(text).into_iter().map(|t| t.term).collect()
}

/// The whole-word terms of [`tokenize`], in text order (what phrases are matched against).
pub fn words(text: &str) -> Vec<String> {
    tokenize(text)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.term)
        .collect()
}

/// Escapes text for HTML or SVG markup, as an element's text or a quoted attribute value: one
/// definition for the build's pages, the single file and the app's drawings.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Decodes `%XX` escapes (URL paths, hash routes); invalid escapes are kept as written and
/// invalid UTF-8 is replaced, so any input gives some string.
pub fn percent_decode(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    let mut rest = s.as_bytes();
    while let Some((&b, after)) = rest.split_first() {
        if b == b'%' {
            let escaped = after
                .get(..2)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let (Some(v), Some(after)) = (escaped, after.get(2..)) {
                out.push(v);
                rest = after;
                continue;
            }
        }
        out.push(b);
        rest = after;
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
mod tests {
    use super::*;

    #[test]
    fn runs_scanned_by_byte_are_the_runs_by_char() {
        // Every kind of character the scan treats differently, in random orders: ASCII word and
        // non-word bytes, non-ASCII letters and digits (Latin, Greek, Arabic-Indic), non-ASCII
        // punctuation and spaces, CJK and Hangul, an emoji, combining marks.
        let alphabet: Vec<char> =
            "aZ09 -_./\t\nßéÄ\u{3b1}\u{661}\u{2019}\u{2014}\u{a0}\u{3000}漢字カ한\u{1f600}\u{301}\u{20000}"
                .chars()
                .collect();
        let mut seed = 7u64;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            usize::try_from(seed >> 33).unwrap_or(0) % n
        };
        for _ in 0..5000 {
            let len = next(24);
            let text: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
            assert_eq!(
                runs(&text).collect::<Vec<_>>(),
                runs_by_char(&text),
                "{text:?}"
            );
        }
        for text in [
            "",
            " ",
            "word",
            "x86_64::Vec<T>",
            "Grüße, 東京タワー and 서울!",
            "a\u{301}b",
        ] {
            assert_eq!(
                runs(text).collect::<Vec<_>>(),
                runs_by_char(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn words_are_folded_and_split_on_punctuation() {
        assert_eq!(
            words("POST /api/v1/orders, orders.service.ts"),
            ["post", "api", "v1", "orders", "orders", "service", "ts"]
        );
        assert_eq!(
            words("snake_case kebab-case"),
            ["snake", "case", "kebab", "case"]
        );
    }

    #[test]
    fn flags_are_indexed_whole_and_in_parts() {
        assert_eq!(
            terms("Use -C/--codegen or --out-dir, not x-y"),
            [
                "use",
                "c",
                "-c",
                "codegen",
                "--codegen",
                "or",
                "out",
                "--out-dir",
                "dir",
                "not",
                "x",
                "y"
            ]
        );
        assert_eq!(flag_key("-F"), Some("-f".into()));
        assert_eq!(flag_key("--out-dir-"), Some("--out-dir".into()));
        assert_eq!(flag_key("---x"), None);
        assert_eq!(flag_key("-"), None);
        assert_eq!(flag_key("x-y"), None);
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "Größe der Datenbank café";
        for t in tokenize(text) {
            let orig = &text[t.start..t.end];
            assert!(
                fold(orig) == t.term || fold_with(orig, false) == t.term,
                "{orig} {}",
                t.term
            );
        }
    }

    #[test]
    fn german_spellings_meet() {
        assert_eq!(fold("Größe"), "groesse");
        assert_eq!(fold("GROESSE"), "groesse");
        assert_eq!(fold("Straße"), "strasse");
        // The umlaut-dropped spelling is indexed too.
        assert_eq!(terms("Größe"), ["groesse", "grosse"]);
        assert_eq!(fold("café naïve"), "cafe naive");
    }

    #[test]
    fn camel_case_yields_the_word_and_its_parts() {
        assert_eq!(
            terms("BookingController.create"),
            ["bookingcontroller", "booking", "controller", "create"]
        );
        assert_eq!(
            words("BookingController.create"),
            ["bookingcontroller", "create"]
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

    #[test]
    fn stems_in_both_languages() {
        assert_eq!(
            stem_key("deployments", Lang::En),
            stem_key("deploying", Lang::En)
        );
        assert_eq!(
            stem_key("migrations", Lang::En),
            stem_key("migration", Lang::En)
        );
        assert_eq!(
            stem_key("verbindungen", Lang::De),
            stem_key("verbindung", Lang::De)
        );
        assert_ne!(stem_key("deploy", Lang::En), stem_key("deploy", Lang::De));
        assert_eq!(stem_key("v1", Lang::En), None);
    }

    #[test]
    fn compounds_split_into_known_words() {
        let vocab = [
            "datenbank",
            "verbindung",
            "migration",
            "bereitstellung",
            "prozess",
        ];
        let known = |w: &str| vocab.contains(&w);
        assert_eq!(
            split_compound("datenbankverbindung", &known).unwrap(),
            ["datenbank", "verbindung"]
        );
        assert_eq!(
            split_compound("bereitstellungsprozess", &known).unwrap(),
            ["bereitstellung", "prozess"]
        );
        assert_eq!(
            split_compound("datenbankmigration", &known).unwrap(),
            ["datenbank", "migration"]
        );
        assert_eq!(split_compound("unbekanntwort", &known), None);
        // A known head splits off even when the rest occurs nowhere else.
        assert_eq!(
            split_compound("datenbankzugriff", &known).unwrap(),
            ["datenbank", "zugriff"]
        );
    }

    #[test]
    fn language_detection() {
        assert_eq!(detect_lang("Die Datenbank ist nicht erreichbar, und der Dienst wird neu gestartet. Das ist auch gut."), Some(Lang::De));
        assert_eq!(
            detect_lang(
                "The service is down and the queue is full; restart it with the runbook for this."
            ),
            Some(Lang::En)
        );
        assert_eq!(detect_lang("予約の払い戻し"), None);
    }

    #[test]
    fn percent_round_trip() {
        for s in ["POST /api/v1/orders", "Größe?&#=", "予約", "100%"] {
            assert_eq!(percent_decode(&percent_encode(s)), s);
        }
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%zz%41"), "%zzA");
    }
}
