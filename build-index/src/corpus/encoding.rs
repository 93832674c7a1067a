//! Turning file bytes into text: BOMs, invalid UTF-8, and repairing mojibake where it is certain.
//!
//! Mojibake here means UTF-8 text that was once decoded as Windows-1252 or Mac Roman and saved
//! again (`🛠️` became `üõ†Ô∏è`). A run of non-ASCII characters is repaired only when three things
//! hold: encoding it back to that legacy charset gives valid multi-byte UTF-8 (the bytes fit);
//! the run looks like mojibake ([`plausibility`]: `Ã` before a symbol, `√©`, a C1 control, a
//! three-byte sequence), where correct text has punctuation before a letter (`l’état` is `’é`,
//! which Mac Roman would also read as the bytes of `Վ`); and the repaired text is plausible (no
//! Armenian letter inside a Latin word, no rare IPA letter). Correct text in any language is
//! never changed: `build-index/examples/text_fidelity.rs` counts every change on a corpus.

use encoding_rs::{Encoding, MACINTOSH, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Text decoded from a file, with notes about anything that was not plain UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, always valid UTF-8, without a BOM.
    pub text: String,
    /// (byte offset in `text`, message) for each thing worth a warning.
    pub notes: Vec<(usize, String)>,
    /// (byte offset in `text`, message) for text that may be mojibake but was left as written
    /// (weak signs only, in a file with no strong ones): worth a note, never a warning.
    pub suspects: Vec<(usize, String)>,
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
                suspects: Vec::new(),
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
                suspects: Vec::new(),
            };
        }
    };
    let (text, repairs) = repair_mojibake(&text);
    let mut suspects = Vec::new();
    for r in repairs {
        let many = if r.count == 1 { "" } else { "s" };
        let message = if r.repaired {
            format!(
                "repaired {} mojibake sequence{many} (UTF-8 text that had been decoded as {}), e.g. `{}` → `{}`; \
                 save the file as UTF-8 with the original characters to silence this",
                r.count, r.charset, r.example.0, r.example.1
            )
        } else {
            format!(
                "{} sequence{many} may be mojibake (UTF-8 text decoded as {}), e.g. `{}` would be `{}`; \
                 left as written: if it is, save the file as UTF-8 with the original characters",
                r.count, r.charset, r.example.0, r.example.1
            )
        };
        if r.repaired {
            notes.push((r.first_offset, message));
        } else {
            suspects.push((r.first_offset, message));
        }
    }
    Decoded {
        text,
        notes,
        suspects,
    }
}

/// True for files that are not text: a NUL byte in the first 8 KiB, unless a UTF-16 BOM
/// explains it.
pub fn looks_binary(bytes: &[u8]) -> bool {
    let utf16 = matches!(Encoding::for_bom(bytes), Some((e, _)) if e == UTF_16LE || e == UTF_16BE);
    !utf16 && bytes.iter().take(8192).any(|&b| b == 0)
}

/// What [`repair_mojibake`] changed, or found suspicious and left alone, in one legacy charset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// Number of runs repaired (or, when `repaired` is false, left alone) from this charset.
    pub count: usize,
    /// Byte offset of the first such run in the original text.
    pub first_offset: usize,
    /// The legacy charset the text had been decoded as.
    pub charset: &'static str,
    /// The first such run and what it was (or would have been) repaired to.
    pub example: (String, String),
    /// Whether the runs were repaired. Runs with only weak signs of mojibake in a file with no
    /// strong ones (`20¬∞C`, which would be `20°C` through Mac Roman) are left as written and
    /// reported: correct text may look like that.
    pub repaired: bool,
}

/// The charsets mojibake comes from, most common first (the order breaks ties).
const CHARSETS: [(&Encoding, &str); 2] = [(WINDOWS_1252, "Windows-1252"), (MACINTOSH, "Mac Roman")];

/// A non-ASCII run with the repair each charset would make of it, and how sure each is.
struct Candidate<'a> {
    start: usize,
    run: &'a str,
    fixes: [Option<(String, Evidence)>; 2],
}

/// Repairs runs of non-ASCII characters that are UTF-8 mis-decoded as Windows-1252 or Mac Roman.
///
/// Each run is judged on its own: text pasted from two places can carry both kinds (a Mac Roman
/// emoji in the title, Windows-1252 umlauts in the body). A run is repaired when it shows
/// strong signs of mojibake; weak signs, or none, count only in a file where another run of the
/// same charset shows strong ones ([`Evidence`]), and a repair must read as text. A run that
/// either charset would explain takes the one that explains more runs of this text. Returns one
/// [`Repair`] per charset used (and one per charset of runs left alone), in the order they
/// first occur.
pub fn repair_mojibake(text: &str) -> (String, Vec<Repair>) {
    if text.is_ascii() {
        return (text.to_string(), Vec::new());
    }
    let candidates = candidates(text);
    let judge = Judge::new(&candidates);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut repairs: Vec<Repair> = Vec::new();
    for f in &candidates {
        let pick = |want: bool| {
            judge.order.iter().find_map(|&c| {
                let fix = f.fixes.get(c)?.as_ref()?;
                let charset = CHARSETS.get(c)?.1;
                (judge.accepted(c, fix) == want).then_some((charset, fix))
            })
        };
        if let Some((charset, (fixed, _))) = pick(true) {
            out.push_str(text.get(last..f.start).unwrap_or_default());
            out.push_str(fixed);
            last = f.start.saturating_add(f.run.len());
            note(&mut repairs, true, charset, f, fixed);
        } else if let Some((charset, (fixed, _))) =
            pick(false).filter(|(_, (_, e))| *e == Evidence::Weak)
        {
            note(&mut repairs, false, charset, f, fixed);
        }
    }
    out.push_str(text.get(last..).unwrap_or_default());
    (out, repairs)
}

/// The non-ASCII runs of `text` that some charset's repair would change.
fn candidates(text: &str) -> Vec<Candidate<'_>> {
    non_ascii_runs(text)
        .into_iter()
        .filter_map(|(a, b)| {
            let run = text.get(a..b)?;
            let before = text.get(..a).and_then(|t| t.chars().next_back());
            let after = text.get(b..).and_then(|t| t.chars().next());
            let fixes = CHARSETS.map(|(enc, _)| fix_run(run, enc, before, after));
            fixes.iter().any(Option::is_some).then_some(Candidate {
                start: a,
                run,
                fixes,
            })
        })
        .collect()
}

/// Which repairs a text's runs accept, from what all of them show.
struct Judge {
    /// Per charset: whether some run shows strong signs of it.
    strong: [bool; 2],
    /// The charsets in the order a run tries them: the one that explains more runs first.
    order: [usize; 2],
}

impl Judge {
    fn new(candidates: &[Candidate<'_>]) -> Self {
        // Mojibake damages a whole file (or a whole pasted part), never one word of correct
        // text: where one run of a charset shows strong signs, the others of that charset need
        // none, if their repair is common text (`ÅŸ` is `ş`, `Ðš` is `К`).
        let strong = [0, 1].map(|c| {
            candidates
                .iter()
                .any(|f| matches!(f.fixes.get(c), Some(Some((_, Evidence::Strong)))))
        });
        let mut judge = Judge {
            strong,
            order: [0, 1],
        };
        let explained = |c: usize| {
            candidates
                .iter()
                .filter(|f| {
                    f.fixes
                        .get(c)
                        .and_then(Option::as_ref)
                        .is_some_and(|x| judge.accepted(c, x))
                })
                .count()
        };
        // Ties go to Windows-1252, the first charset.
        if explained(1) > explained(0) {
            judge.order = [1, 0];
        }
        judge
    }

    /// Whether charset `c`'s repair `fix` of a run is made.
    fn accepted(&self, c: usize, fix: &(String, Evidence)) -> bool {
        let strong = self.strong.get(c).copied().unwrap_or(false);
        match fix.1 {
            Evidence::Strong => true,
            Evidence::Weak => strong,
            Evidence::None => strong && fix.0.chars().all(plausibility::common),
        }
    }
}

/// Counts run `f` in the [`Repair`] of its charset and outcome, made on its first run.
fn note(
    repairs: &mut Vec<Repair>,
    repaired: bool,
    charset: &'static str,
    f: &Candidate<'_>,
    fix: &str,
) {
    match repairs
        .iter_mut()
        .find(|r| r.charset == charset && r.repaired == repaired)
    {
        Some(r) => r.count = r.count.saturating_add(1),
        None => repairs.push(Repair {
            count: 1,
            first_offset: f.start,
            charset,
            example: (f.run.to_string(), fix.to_string()),
            repaired,
        }),
    }
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

/// The repair of `run` (between the characters `before` and `after`) through `enc`, and how
/// surely the run is mojibake; `None` when the bytes do not fit or the repair is implausible.
fn fix_run(
    run: &str,
    enc: &'static Encoding,
    before: Option<char>,
    after: Option<char>,
) -> Option<(String, Evidence)> {
    let (bytes, _, unmappable) = enc.encode(run);
    if unmappable {
        return None;
    }
    let fixed = std::str::from_utf8(&bytes).ok()?;
    // Valid UTF-8 made only of non-ASCII bytes is multi-byte sequences: the bytes fit.
    if fixed.chars().count() >= run.chars().count() || !plausible(fixed, before, after) {
        return None;
    }
    Some((
        fixed.to_string(),
        plausibility::evidence(run, fixed, before),
    ))
}

/// Whether a repaired run reads as text: no control or private-use character, no letter of a
/// rarely written block, and no letter of another script than the letters beside it.
fn plausible(fixed: &str, before: Option<char>, after: Option<char>) -> bool {
    let mut prev = before;
    for c in fixed.chars().chain(after) {
        if plausibility::odd(c) {
            return false;
        }
        if let (Some(p), true) = (prev, c.is_alphabetic()) {
            let (a, b) = (plausibility::script(p), plausibility::script(c));
            if a != b && a != plausibility::Script::Other && b != plausibility::Script::Other {
                return false;
            }
        }
        prev = Some(c);
    }
    true
}

/// How surely a run of text is mojibake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    /// It reads as correct text (`’é` in `l’état`, `«É`): repaired only in a file with
    /// strong evidence, and only into common text.
    None,
    /// It may be mojibake (`¬µ`): repaired only in a file with strong evidence too, else
    /// reported and left as written.
    Weak,
    /// Correct text does not look like this (`Ã©`, `√∂`, `â€™`, a C1 control).
    Strong,
}

mod plausibility {
    //! What tells mojibake from correct text, character by character.
    //!
    //! Each character of the repaired run came from 2 to 4 characters of the damaged one: the
    //! lead (a byte `C2`–`F4` read in the legacy charset) and its continuation bytes (`80`–`BF`).
    //! In correct text a lead and its continuations are rarely neighbours: a continuation byte
    //! reads as a symbol (`©`, `¶`, `€`) or, in Mac Roman, an accented letter, and no language
    //! puts a symbol right after a letter inside a word, or `Ã`, `Â` or `√` before a symbol. The
    //! one frequent exception is punctuation before a letter (`’é`, `«É`, `“À`), which counts
    //! for nothing.

    use super::Evidence;

    /// Scripts told apart when judging a repaired letter against its neighbours.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) enum Script {
        Latin,
        Greek,
        Cyrillic,
        Armenian,
        Hebrew,
        Arabic,
        /// Everything else (CJK, symbols, digits, other scripts): never a mismatch.
        Other,
    }

    /// The script of a letter.
    pub(super) fn script(c: char) -> Script {
        match c {
            'a'..='z' | 'A'..='Z' | '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}' => Script::Latin,
            '\u{370}'..='\u{3ff}' | '\u{1f00}'..='\u{1fff}' => Script::Greek,
            '\u{400}'..='\u{52f}' => Script::Cyrillic,
            '\u{530}'..='\u{58f}' => Script::Armenian,
            '\u{590}'..='\u{5ff}' => Script::Hebrew,
            '\u{600}'..='\u{6ff}' => Script::Arabic,
            _ => Script::Other,
        }
    }

    /// Characters a repair must not produce: controls, private use, and the blocks that a
    /// few-byte accident reaches far more often than a writer does (Syriac, Thaana, NKo,
    /// Samaritan, Mandaic).
    pub(super) fn odd(c: char) -> bool {
        matches!(c,
            '\u{80}'..='\u{9f}'
            | '\u{700}'..='\u{8ff}'
            | '\u{e000}'..='\u{f8ff}'
            | '\u{fff0}'..='\u{ffff}')
    }

    /// Characters of the scripts and symbols most text is written in: what a run with no sign
    /// of mojibake may be repaired into, in a file whose other runs show it.
    pub(super) fn common(c: char) -> bool {
        matches!(c,
            '\u{a0}'..='\u{17f}'
            | '\u{218}'..='\u{21b}'
            | '\u{2bb}'..='\u{2bc}'
            | '\u{300}'..='\u{36f}'
            | '\u{370}'..='\u{52f}'
            | '\u{5d0}'..='\u{5ea}'
            | '\u{600}'..='\u{6ff}'
            | '\u{900}'..='\u{dff}'
            | '\u{e00}'..='\u{eff}'
            | '\u{1e00}'..='\u{1eff}'
            | '\u{2000}'..='\u{2bff}'
            | '\u{3000}'..='\u{9fff}'
            | '\u{ac00}'..='\u{d7af}'
            | '\u{fe0f}'
            | '\u{ff00}'..='\u{ffef}'
            | '\u{1f000}'..='\u{1faff}')
    }

    /// Punctuation that correct text puts right before a letter or right after a word.
    fn common_punctuation(c: char) -> bool {
        matches!(
            c,
            '\u{a0}'
                | '\u{ad}'
                | '«'
                | '»'
                | '‹'
                | '›'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '‚'
                | '„'
                | '–'
                | '—'
                | '…'
                | '·'
                | '•'
                | '¡'
                | '¿'
        )
    }

    /// A non-ASCII symbol that is not common punctuation (`©`, `¶`, `€`, `√`, `µ`, `º`).
    fn symbol(c: char) -> bool {
        !c.is_ascii()
            && !common_punctuation(c)
            && (!c.is_alphanumeric() || matches!(c, 'µ' | 'ª' | 'º'))
    }

    fn control(c: char) -> bool {
        matches!(c, '\u{80}'..='\u{9f}' | '\u{e000}'..='\u{f8ff}')
    }

    fn letter(c: char) -> bool {
        c.is_alphabetic() && !symbol(c)
    }

    /// How surely `run` (after the character `before`) is mojibake of `fixed`.
    pub(super) fn evidence(run: &str, fixed: &str, before: Option<char>) -> Evidence {
        let mut points = 0u32;
        let mut chars = run.chars();
        let mut prev = before;
        for f in fixed.chars() {
            // The damaged characters this one came from: one per byte of its UTF-8.
            let piece: Vec<char> = chars.by_ref().take(f.len_utf8()).collect();
            points = points.saturating_add(piece_points(&piece, prev));
            prev = piece.last().copied();
        }
        match points {
            0 => Evidence::None,
            1 => Evidence::Weak,
            _ => Evidence::Strong,
        }
    }

    /// The signs of mojibake in the characters of one damaged sequence (a lead and its
    /// continuations), after `prev`.
    fn piece_points(piece: &[char], prev: Option<char>) -> u32 {
        let Some((&lead, rest)) = piece.split_first() else {
            return 0;
        };
        let mut points = 0u32;
        if piece.iter().any(|&c| control(c)) {
            points = points.saturating_add(2);
        }
        // Three or four characters that fit together as one UTF-8 sequence: a lead and two
        // or three continuation bytes are never neighbours in words.
        if rest.len() >= 2 {
            points = points.saturating_add(2);
        }
        let any = |f: fn(char) -> bool| rest.iter().any(|&c| f(c));
        let sign = match lead {
            // The leads of U+0080-U+017F in Windows-1252 (`Ã©` is `é`, `Â°` is `°`) and Mac
            // Roman (`√©`, `ƒç` is `č`, `≈°` is `š`): no language writes them before another
            // non-ASCII character.
            'Â' | 'Ã' | '√' | 'ƒ' | '≈' => 2,
            // An accented capital before punctuation or a symbol (`Å¡` is `š`, `Ð¿` is `п`).
            _ if letter(lead) && lead.is_uppercase() && any(|c| !letter(c)) => 1,
            // A letter before a symbol (`Ã©`), punctuation or a symbol before a symbol (`–∫`
            // is `к` in Mac Roman), a symbol before a letter (`∆í`).
            _ if letter(lead) && any(symbol) => 1,
            _ if (symbol(lead) || common_punctuation(lead)) && any(symbol) => 1,
            _ if symbol(lead) && any(letter) => 1,
            _ => 0,
        };
        points = points.saturating_add(sign);
        if lead.is_uppercase() && !lead.is_ascii() && prev.is_some_and(char::is_lowercase) {
            points = points.saturating_add(1);
        }
        points
    }
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

    /// Issue 23: `’é` is the Mac Roman reading of the bytes of `Վ`, and `l’état` became
    /// `lՎtat`. Punctuation before a letter is how correct text looks.
    #[test]
    fn correct_text_whose_bytes_happen_to_fit_is_left_alone() {
        for s in [
            "Affiche l’état du dépôt local, à l’écriture près",
            "«Élan» et «À faire»",
            "„Grüße“ und „Straß“",
            "CAFÉ—great, NAÏVE…",
            "Logic: ¬µ, and 20¬∞C in a table of symbols",
            "Վերականգնումը կատարվում է",
            "Ïñtërnâtiônàlizætiøn",
        ] {
            let (fixed, repairs) = repair_mojibake(s);
            assert_eq!(fixed, s);
            assert!(repairs.iter().all(|r| !r.repaired), "{s}: {repairs:?}");
        }
    }

    #[test]
    fn weak_signs_alone_are_noted_not_repaired_and_repaired_beside_strong_ones() {
        let d = decode("It runs at 20¬∞C.\n".as_bytes());
        assert_eq!(d.text, "It runs at 20¬∞C.\n");
        assert!(d.notes.is_empty());
        assert_eq!(d.suspects.len(), 1, "{:?}", d.suspects);
        assert!(
            d.suspects[0].1.contains("`¬∞` would be `°`"),
            "{}",
            d.suspects[0].1
        );
        // With `√©` (é) in the same file the damage is certain, and `¬∞` is repaired too.
        let d = decode(damage("Caf\u{e9} at 20\u{b0}C", MACINTOSH).as_bytes());
        assert_eq!(d.text, "Café at 20°C");
        assert!(d.suspects.is_empty());
    }

    #[test]
    fn damaged_text_in_other_scripts_is_repaired() {
        for orig in [
            "Руководство по стилю. К ним относятся журналы.",
            "Αυτή η εντολή είναι ψευδώνυμο",
            "هو اسم مستعار لـ الأمر",
            "Afișare ajutor și configurarea țintei în această pagină",
            "Příručka: šablona, řádek, účet",
            "数据库恢复 and データベース",
            "🛠️ Tools — “quoted” … done",
        ] {
            for enc in [WINDOWS_1252, MACINTOSH] {
                let broken = damage(orig, enc);
                let d = decode(broken.as_bytes());
                assert_eq!(d.text, orig, "{} of {broken}", enc.name());
                assert!(!d.notes.is_empty());
            }
        }
        // Through Mac Roman, `ʼ` is a no-break space and `º`: weak signs only, and an Uzbek
        // page has no other non-ASCII letters to confirm them. Noted, left as written.
        let orig = "Maʼlumotlar bazasini, qoʻyadi";
        let d = decode(damage(orig, WINDOWS_1252).as_bytes());
        assert_eq!(d.text, orig);
        let d = decode(damage(orig, MACINTOSH).as_bytes());
        assert_eq!((d.notes.len(), d.suspects.len()), (0, 1));
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
