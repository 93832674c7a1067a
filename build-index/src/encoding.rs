//! Turning file bytes into text: BOMs, invalid UTF-8, and repairing mojibake where it is certain.
//!
//! Mojibake here means UTF-8 text that was once decoded as Windows-1252 or Mac Roman and saved
//! again (`🛠️` became `üõ†Ô∏è`). A run of non-ASCII characters is repaired only when encoding it
//! back to that legacy charset gives bytes that are themselves valid multi-byte UTF-8: ordinary
//! accented text (`für`, `Größe`) never passes that test, so repair never damages real text.

use encoding_rs::{Encoding, MACINTOSH, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Text decoded from a file, with notes about anything that was not plain UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, always valid UTF-8, without a BOM.
    pub text: String,
    /// (byte offset in `text`, message) for each thing worth a warning.
    pub notes: Vec<(usize, String)>,
}

/// Decodes file bytes: strips a UTF-8 BOM, reads UTF-16 with a BOM, falls back to Windows-1252
/// for bytes that are not UTF-8, and repairs mojibake runs.
pub fn decode(bytes: &[u8]) -> Decoded {
    let mut notes = Vec::new();
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        if enc == UTF_16LE || enc == UTF_16BE {
            let (text, _) =
                enc.decode_without_bom_handling(bytes.get(bom_len..).unwrap_or_default());
            notes.push((
                0,
                format!(
                    "file is {} text; decoded it, but save it as UTF-8 so other tools read it too",
                    enc.name()
                ),
            ));
            return Decoded {
                text: text.into_owned(),
                notes,
            };
        }
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(e) => {
            let valid = e.valid_up_to();
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
            // Offsets in the Windows-1252 text differ from the bytes only after non-ASCII bytes.
            let offset = WINDOWS_1252
                .decode_without_bom_handling(bytes.get(..valid).unwrap_or_default())
                .0
                .len();
            notes.push((
                offset,
                "file is not valid UTF-8; decoded it as Windows-1252 (Latin-1): check the \
                 accented characters and save the file as UTF-8"
                    .to_string(),
            ));
            return Decoded {
                text: text.into_owned(),
                notes,
            };
        }
    };
    let (text, repairs) = repair_mojibake(&text);
    for r in repairs {
        notes.push((
            r.first_offset,
            format!(
                "repaired {} mojibake sequence{} (UTF-8 text that had been decoded as {}), e.g. `{}` → `{}`; \
                 save the file as UTF-8 with the original characters to silence this",
                r.count,
                if r.count == 1 { "" } else { "s" },
                r.charset,
                r.example.0,
                r.example.1
            ),
        ));
    }
    Decoded { text, notes }
}

/// True for files that are not text: a NUL byte in the first 8 KiB, unless a UTF-16 BOM
/// explains it.
pub fn looks_binary(bytes: &[u8]) -> bool {
    let utf16 = matches!(Encoding::for_bom(bytes), Some((e, _)) if e == UTF_16LE || e == UTF_16BE);
    !utf16 && bytes.iter().take(8192).any(|&b| b == 0)
}

/// What [`repair_mojibake`] changed in one legacy charset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// Number of runs repaired from this charset.
    pub count: usize,
    /// Byte offset of the first such run in the original text.
    pub first_offset: usize,
    /// The legacy charset the text had been decoded as.
    pub charset: &'static str,
    /// The first damaged run and what it was repaired to.
    pub example: (String, String),
}

/// The charsets mojibake comes from, most common first (the order breaks ties).
const CHARSETS: [(&Encoding, &str); 2] = [(WINDOWS_1252, "Windows-1252"), (MACINTOSH, "Mac Roman")];

/// Repairs runs of non-ASCII characters that are UTF-8 mis-decoded as Windows-1252 or Mac Roman.
///
/// Each run is judged on its own: text pasted from two places can carry both kinds (a Mac Roman
/// emoji in the title, Windows-1252 umlauts in the body). A run that either charset would
/// explain takes the one that explains more runs of this text. Returns one [`Repair`] per
/// charset used, in the order they first occur.
pub fn repair_mojibake(text: &str) -> (String, Vec<Repair>) {
    if text.is_ascii() {
        return (text.to_string(), Vec::new());
    }
    // Each run with its candidate repairs, one per charset.
    let fixes: Vec<(usize, &str, [Option<String>; 2])> = non_ascii_runs(text)
        .into_iter()
        .filter_map(|(a, b)| {
            let run = text.get(a..b)?;
            let fixed = CHARSETS.map(|(enc, _)| fix_run(run, enc));
            fixed.iter().any(Option::is_some).then_some((a, run, fixed))
        })
        .collect();
    if fixes.is_empty() {
        return (text.to_string(), Vec::new());
    }
    let explained = |c: usize| {
        fixes
            .iter()
            .filter(|f| f.2.get(c).is_some_and(Option::is_some))
            .count()
    };
    // Ties go to Windows-1252, the first charset.
    let order: [usize; 2] = if explained(1) > explained(0) {
        [1, 0]
    } else {
        [0, 1]
    };
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut repairs: Vec<Repair> = Vec::new();
    for (start, run, mut fixed) in fixes {
        let Some((charset, repaired)) = order
            .iter()
            .find_map(|&c| Some((CHARSETS.get(c)?.1, fixed.get_mut(c)?.take()?)))
        else {
            continue;
        };
        out.push_str(text.get(last..start).unwrap_or_default());
        out.push_str(&repaired);
        last = start.saturating_add(run.len());
        match repairs.iter_mut().find(|r| r.charset == charset) {
            Some(r) => r.count = r.count.saturating_add(1),
            None => repairs.push(Repair {
                count: 1,
                first_offset: start,
                charset,
                example: (run.to_string(), repaired),
            }),
        }
    }
    out.push_str(text.get(last..).unwrap_or_default());
    (out, repairs)
}

fn non_ascii_runs(text: &str) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_ascii(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                runs.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push((s, text.len()));
    }
    runs
}

fn fix_run(run: &str, enc: &'static Encoding) -> Option<String> {
    let (bytes, _, unmappable) = enc.encode(run);
    if unmappable {
        return None;
    }
    let fixed = std::str::from_utf8(&bytes).ok()?;
    // Valid UTF-8 made only of non-ASCII bytes is multi-byte sequences: that is the certainty.
    (fixed.chars().count() < run.chars().count()).then(|| fixed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn damage(s: &str, enc: &'static Encoding) -> String {
        enc.decode_without_bom_handling(s.as_bytes()).0.into_owned()
    }

    #[test]
    fn mac_roman_emoji_are_repaired() {
        let orig = "# 🛠️ Tools\n\n## 🚀 Launch — soon\n";
        let broken = damage(orig, MACINTOSH);
        assert!(broken.contains("üõ†Ô∏è"));
        let d = decode(broken.as_bytes());
        assert_eq!(d.text, orig);
        assert_eq!(d.notes.len(), 1);
        assert!(d.notes[0].1.contains("Mac Roman"), "{}", d.notes[0].1);
        assert_eq!(d.notes[0].0, 2);
    }

    #[test]
    fn windows_1252_mojibake_is_repaired() {
        let orig = "Zeitplan – Größe “quoted”";
        let broken = damage(orig, WINDOWS_1252);
        let (fixed, r) = repair_mojibake(&broken);
        assert_eq!(fixed, orig);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].charset, "Windows-1252");
    }

    /// Issue 8: the title's emoji had gone through Mac Roman, the body's umlauts through
    /// Windows-1252; repair used to pick one charset per file and left the title broken.
    #[test]
    fn title_apple_logo_u_tilde_o_dagger_and_body_gr_a_tilde_pilcrow_are_both_repaired() {
        let broken = "# \u{F8FF}üõ†Ô∏è Werkzeuge\n\nGrÃ¶ÃŸere Dateien.\n";
        let d = decode(broken.as_bytes());
        assert_eq!(d.text, "# 🛠️ Werkzeuge\n\nGrößere Dateien.\n");
        let notes: Vec<(usize, &str)> = d.notes.iter().map(|(o, m)| (*o, m.as_str())).collect();
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert_eq!(notes[0].0, 2, "the title's note points at the emoji");
        assert!(notes[0].1.contains("Mac Roman"), "{}", notes[0].1);
        assert_eq!(notes[1].0, broken.find("Ã¶").unwrap());
        assert!(notes[1].1.contains("Windows-1252"), "{}", notes[1].1);
    }

    #[test]
    fn a_run_both_charsets_explain_follows_the_majority_of_the_file() {
        // `Ã¶` is `ö` through Windows-1252 and U+0326 through Mac Roman: the file's other runs
        // decide, and here they are Windows-1252.
        let broken = "Ã¶ and â€œquotedâ€\u{9d}";
        let (fixed, r) = repair_mojibake(broken);
        assert_eq!(fixed, "ö and “quoted”");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].count, 3);
    }

    #[test]
    fn real_accented_text_is_left_alone() {
        for s in [
            "Größenänderung für Straße",
            "café naïve façade",
            "予約の払い戻し",
            "Ångström ÄÖÜ",
            "€ 12 · ½",
        ] {
            let d = decode(s.as_bytes());
            assert_eq!(d.text, s);
            assert!(d.notes.is_empty(), "{s}: {:?}", d.notes);
        }
    }

    #[test]
    fn bom_is_stripped_silently() {
        let d = decode(b"\xEF\xBB\xBF# Title\n");
        assert_eq!(d.text, "# Title\n");
        assert!(d.notes.is_empty());
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252_with_a_note() {
        let d = decode(b"line one\nGr\xf6\xdfe\n");
        assert_eq!(d.text, "line one\nGröße\n");
        assert_eq!(d.notes.len(), 1);
        assert_eq!(d.notes[0].0, "line one\nGr".len());
    }

    #[test]
    fn binary_detection_spares_utf16() {
        assert!(looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00"));
        assert!(!looks_binary(b"# plain text\n"));
        assert!(!looks_binary(&[0xFF, 0xFE, b'H', 0, b'i', 0]));
    }

    #[test]
    fn utf16_with_bom_is_read() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Hi ü".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&bytes).text, "Hi ü");
    }
}
