//! Character folding for search terms without shipping Unicode's normalisation tables.
//!
//! Folding a word means: NFKC, lower case, German umlauts and `ß` transliterated, then any
//! remaining diacritics dropped. Done with NFKC/NFD at run time, that needs ~160 KiB of Unicode
//! tables in the browser app; instead, what folding does to each character is precomputed into
//! [`fold_table`](crate::fold_table) (runs of code points as byte planes, 15 KiB), generated from the
//! `unicode-normalization` crate by a test (`fold_table_is_current`, refresh with
//! `UPDATE_EXPECT=1 cargo test -p docatlas-core fold_table`). Build and query fold with the same
//! table, so a word matches exactly when it folds to the same string.
//!
//! Folding is per character, with one exception kept from NFKC's composition: a decomposed
//! umlaut (`a` + U+0308) is transliterated like the precomposed one (`ae`), since macOS writes
//! file names and some editors write text that way. The table leaves out compatibility forms
//! that engineering docs do not use and that would cost most of its size: CJK compatibility
//! ideographs, Kangxi radicals and Arabic presentation forms fold to their lower case only
//! ([`UNFOLDED`]). Build and query still agree on them, since both fold through this table.

use crate::fold_table::{CONST_BASE, EMPTY, LENS, RUNS, STARTS, STRS, STR_BASE, STR_ENDS, TARGETS};

/// Code point ranges left out of the table (see the module docs).
#[cfg(test)]
const UNFOLDED: &[std::ops::RangeInclusive<u32>] = &[
    0xF900..=0xFAFF,   // CJK compatibility ideographs
    0x2F800..=0x2FA1F, // CJK compatibility ideographs supplement
    0x2F00..=0x2FDF,   // Kangxi radicals
    0xFB50..=0xFDFF,   // Arabic presentation forms A
    0xFE70..=0xFEFF,   // Arabic presentation forms B
    0x1EE00..=0x1EEFF, // Arabic mathematical alphabetic symbols
];

/// What folding turns `c` into when that is not simply `c.to_lowercase()`.
enum Folded {
    /// One character.
    Char(char),
    /// Several characters, or none (combining marks are dropped).
    Str(&'static str),
}

/// The `i`-th number of a table stored as byte planes (low byte first): a run's numbers are
/// spread over planes so that gzip sees runs of similar bytes (the table is 3 KiB smaller in
/// the module's gzipped WebAssembly than as arrays of `u32`).
fn planes<const N: usize>(planes: &[[u8; N]], i: usize) -> Option<u32> {
    let mut bytes = [0u8; 4];
    for (b, plane) in bytes.iter_mut().zip(planes) {
        *b = *plane.get(i)?;
    }
    Some(u32::from_le_bytes(bytes))
}

fn lookup(c: char) -> Option<Folded> {
    let cp = u32::from(c);
    // The run whose start is the last one at or before `cp` (a binary search over the planes).
    let (mut lo, mut hi) = (0usize, RUNS);
    while lo < hi {
        let mid = lo.midpoint(hi);
        if planes(&STARTS, mid)? <= cp {
            lo = mid.checked_add(1)?;
        } else {
            hi = mid;
        }
    }
    let i = lo.checked_sub(1)?;
    let start = planes(&STARTS, i)?;
    let (len, target) = (u32::from(*LENS.get(i)?), planes(&TARGETS, i)?);
    let offset = cp.checked_sub(start)?;
    if offset >= len {
        return None;
    }
    if target == EMPTY {
        return Some(Folded::Str(""));
    }
    if let Some(c) = target.checked_sub(CONST_BASE) {
        return char::from_u32(c).map(Folded::Char);
    }
    if let Some(k) = target.checked_sub(STR_BASE) {
        let k = usize::try_from(k).ok()?;
        let from = match k.checked_sub(1) {
            Some(prev) => planes(&STR_ENDS, prev)? as usize,
            None => 0,
        };
        let to = planes(&STR_ENDS, k)? as usize;
        return STRS.get(from..to).map(Folded::Str);
    }
    char::from_u32(target.checked_add(offset)?).map(Folded::Char)
}

/// Folds one word. `transliterate`: umlauts become `ae`/`oe`/`ue` (else just `a`/`o`/`u`).
pub(crate) fn fold_word(word: &str, transliterate: bool) -> String {
    // Most words are ASCII: nothing but case can change them.
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii() {
            // A decomposed umlaut: the base letter, then U+0308 COMBINING DIAERESIS.
            if chars.peek() == Some(&'\u{308}') && matches!(c, 'a' | 'o' | 'u' | 'A' | 'O' | 'U') {
                chars.next();
                out.push(c.to_ascii_lowercase());
                if transliterate {
                    out.push('e');
                }
                continue;
            }
            out.push(c.to_ascii_lowercase());
            continue;
        }
        if !transliterate {
            let base = match c {
                'ä' | 'Ä' => Some('a'),
                'ö' | 'Ö' => Some('o'),
                'ü' | 'Ü' => Some('u'),
                _ => None,
            };
            if let Some(b) = base {
                out.push(b);
                continue;
            }
        }
        match lookup(c) {
            Some(Folded::Char(f)) => out.push(f),
            Some(Folded::Str(s)) => out.push_str(s),
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold_word;
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;

    /// Folding as defined: NFKC, lower case, umlauts and ß transliterated, other marks dropped.
    /// The table is generated from this, and folding must agree with it on real text.
    pub(crate) fn reference(word: &str, transliterate: bool) -> String {
        let mut out = String::new();
        for c in word.nfkc().flat_map(char::to_lowercase) {
            match c {
                'ä' if transliterate => out.push_str("ae"),
                'ö' if transliterate => out.push_str("oe"),
                'ü' if transliterate => out.push_str("ue"),
                'ß' => out.push_str("ss"),
                c if c.is_ascii() || crate::text::is_cjk(c) => out.push(c),
                c => out.extend(c.to_string().nfd().filter(|m| !is_combining_mark(*m))),
            }
        }
        out
    }

    // Run targets: a shifted code point, EMPTY, STR_BASE + k, or CONST_BASE + c (every code
    // point of the run folds to c).
    const EMPTY: u32 = 0x11_0000;
    const STR_BASE: u32 = 0x20_0000;
    const CONST_BASE: u32 = 0x40_0000;

    /// The table source for every code point whose fold is not its lower case.
    fn generate() -> String {
        let (runs, strs) = runs();
        source(&runs, &strs)
    }

    /// The (start, len, target) runs of every code point whose fold is not its lower case, and
    /// the multi-character folds their targets number.
    fn runs() -> (Vec<(u32, u32, u32)>, Vec<String>) {
        let mut runs: Vec<(u32, u32, u32)> = Vec::new();
        let mut strs: Vec<String> = Vec::new();
        for cp in 0x80u32..=0x10_FFFF {
            if super::UNFOLDED.iter().any(|r| r.contains(&cp)) {
                continue;
            }
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let folded = reference(&c.to_string(), true);
            let lower: String = c.to_lowercase().collect();
            if folded == lower {
                continue;
            }
            let mut fc = folded.chars();
            let target = match (fc.next(), fc.next()) {
                (None, _) => EMPTY,
                (Some(f), None) => u32::from(f),
                _ => {
                    let k = strs.iter().position(|s| *s == folded).unwrap_or_else(|| {
                        strs.push(folded.clone());
                        strs.len() - 1
                    });
                    STR_BASE + k as u32
                }
            };
            if let Some(last) = runs.last_mut() {
                let (s, l, t) = *last;
                let contiguous = s + l == cp && l < u32::from(u8::MAX);
                let same_shift = t < EMPTY && target < EMPTY && t + l == target;
                let same_const = t >= EMPTY && t == target;
                // A run of one shifted char becomes a constant-char run when the next code point
                // folds to the same char (`À`, `Á`, `Â`... all fold to `a`).
                let to_const = l == 1 && t < EMPTY && t == target;
                let const_char = t >= CONST_BASE && t - CONST_BASE == target;
                if contiguous && (same_shift || same_const || const_char) {
                    last.1 += 1;
                    continue;
                }
                if contiguous && to_const {
                    last.1 += 1;
                    last.2 = CONST_BASE + target;
                    continue;
                }
            }
            runs.push((cp, 1, target));
        }
        (runs, strs)
    }

    /// The Rust source of the table: each array of numbers as byte planes (see `planes`).
    fn source(runs: &[(u32, u32, u32)], strs: &[String]) -> String {
        let planes = |xs: Vec<u32>, n: usize| {
            let rows: Vec<String> = (0..n)
                .map(|k| {
                    let bytes: Vec<String> = xs
                        .iter()
                        .map(|x| format!("{:#x}", (x >> (8 * k)) & 0xff))
                        .collect();
                    format!("[{}]", bytes.join(", "))
                })
                .collect();
            rows.join(",\n    ")
        };
        let mut ends = Vec::new();
        let mut all = String::new();
        for s in strs {
            all.push_str(s);
            ends.push(all.len() as u32);
        }
        assert!(runs.iter().all(|r| r.0 < 1 << 24 && r.2 < 1 << 24) && all.len() < 1 << 16);
        format!(
            "//! Generated by `fold::tests::fold_table_is_current` from the unicode-normalization crate:\n\
             //! what folding (NFKC, lower case, umlauts transliterated, marks dropped) does to each\n\
             //! code point whose fold is not its lower case, as runs. Do not edit; regenerate with\n\
             //! `UPDATE_EXPECT=1 cargo test -p docatlas-core fold_table`. Numbers are stored as byte\n\
             //! planes, low byte first (`fold::planes` reads them).\n\n\
             /// Target meaning \"folds to nothing\" (combining marks).\n\
             pub(crate) const EMPTY: u32 = 0x11_0000;\n\
             /// Targets from here on are `STR_BASE + k`: the k-th string of [`STRS`].\n\
             pub(crate) const STR_BASE: u32 = 0x20_0000;\n\
             /// Targets from here on are `CONST_BASE + c`: every code point of the run folds to `c`.\n\
             pub(crate) const CONST_BASE: u32 = 0x40_0000;\n\
             /// Number of runs.\n\
             pub(crate) const RUNS: usize = {n};\n\
             /// First code point of each run, ascending.\n\
             #[rustfmt::skip]\n\
             pub(crate) static STARTS: [[u8; {n}]; 3] = [\n    {starts}\n];\n\
             /// Code points in each run.\n\
             #[rustfmt::skip]\n\
             pub(crate) static LENS: [u8; {n}] = [{lens}];\n\
             /// Each run's target: the fold of its first code point (the others follow it), [`EMPTY`],\n\
             /// a string every code point of the run folds to, or one char all of them fold to.\n\
             #[rustfmt::skip]\n\
             pub(crate) static TARGETS: [[u8; {n}]; 3] = [\n    {targets}\n];\n\
             /// End offset in [`STRS`] of each multi-character fold.\n\
             #[rustfmt::skip]\n\
             pub(crate) static STR_ENDS: [[u8; {m}]; 2] = [\n    {ends}\n];\n\
             /// The multi-character folds, concatenated.\n\
             pub(crate) static STRS: &str = {all:?};\n",
            n = runs.len(),
            m = strs.len(),
            starts = planes(runs.iter().map(|r| r.0).collect(), 3),
            lens = runs.iter().map(|r| r.1.to_string()).collect::<Vec<_>>().join(", "),
            targets = planes(runs.iter().map(|r| r.2).collect(), 3),
            ends = planes(ends, 2),
        )
    }

    #[test]
    fn fold_table_is_current() {
        expect_test::expect_file!["fold_table.rs"].assert_eq(&generate());
    }

    #[test]
    fn every_code_point_folds_as_the_reference_does() {
        // The table as read by `lookup` (binary search over byte planes), not only as written.
        for cp in 0x80u32..=0x10_FFFF {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            if super::UNFOLDED.iter().any(|r| r.contains(&cp)) {
                continue;
            }
            let word = c.to_string();
            assert_eq!(fold_word(&word, true), reference(&word, true), "U+{cp:04X}");
        }
    }

    #[test]
    fn table_folding_agrees_with_nfkc_folding_on_real_text() {
        for text in [
            "Größenänderung für Straße GROESSE Maß",
            "café naïve façade Ångström ÉCOLE",
            "ＡＰＩ ﬁle ﬂow ½ ㎞ ① ⅻ 𝐁𝐨𝐥𝐝",
            "Ελληνικά άέήίόύώ Русский ёЁ",
            "予約の払い戻し ﾊﾝｶｸ カタカナ",
            "Tiếng Việt Łódź Øresund İstanbul",
            "ǅ ǈ ǋ ǲ ŉ ſ ﬀ",
        ] {
            for word in text.split_whitespace() {
                for translit in [true, false] {
                    assert_eq!(
                        fold_word(word, translit),
                        reference(word, translit),
                        "{word} (transliterate: {translit})"
                    );
                }
            }
        }
    }

    #[test]
    fn decomposed_umlauts_fold_like_precomposed_ones() {
        assert_eq!(fold_word("Gro\u{308}sse", true), "groesse");
        assert_eq!(fold_word("Gro\u{308}sse", false), "grosse");
        assert_eq!(fold_word("Gr\u{f6}sse", true), "groesse");
        assert_eq!(fold_word("e\u{301}cole", true), "ecole");
    }
}
