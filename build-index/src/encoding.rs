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
            let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
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
                .decode_without_bom_handling(&bytes[..valid])
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
    let (text, repair) = repair_mojibake(&text);
    if let Some(r) = repair {
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

/// What [`repair_mojibake`] changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// Number of runs repaired.
    pub count: usize,
    /// Byte offset of the first repaired run in the original text.
    pub first_offset: usize,
    /// The legacy charset the text had been decoded as.
    pub charset: &'static str,
    /// The first damaged run and what it was repaired to.
    pub example: (String, String),
}

/// Repairs runs of non-ASCII characters that are UTF-8 mis-decoded as Windows-1252 or Mac Roman.
pub fn repair_mojibake(text: &str) -> (String, Option<Repair>) {
    if text.is_ascii() {
        return (text.to_string(), None);
    }
    let runs = non_ascii_runs(text);
    // Pick the charset that explains more runs; a file is damaged by one round trip, not two.
    let count = |enc: &'static Encoding| {
        runs.iter()
            .filter(|r| fix_run(&text[r.0..r.1], enc).is_some())
            .count()
    };
    let (enc, name) = {
        let w = count(WINDOWS_1252);
        let m = count(MACINTOSH);
        if w == 0 && m == 0 {
            return (text.to_string(), None);
        }
        if m > w {
            (MACINTOSH, "Mac Roman")
        } else {
            (WINDOWS_1252, "Windows-1252")
        }
    };
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut repair: Option<Repair> = None;
    for &(a, b) in &runs {
        if let Some(fixed) = fix_run(&text[a..b], enc) {
            out.push_str(&text[last..a]);
            out.push_str(&fixed);
            last = b;
            match &mut repair {
                Some(r) => r.count += 1,
                None => {
                    repair = Some(Repair {
                        count: 1,
                        first_offset: a,
                        charset: name,
                        example: (text[a..b].to_string(), fixed),
                    })
                }
            }
        }
    }
    out.push_str(&text[last..]);
    (out, repair)
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
        assert_eq!(r.unwrap().charset, "Windows-1252");
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
