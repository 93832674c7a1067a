//! Progress in a URL fragment, for "share my progress": a version letter and the progress in
//! postcard, base64url-encoded (no padding), so it survives any URL and stays short.

use super::Progress;

/// The first character of a shared progress; a different one means another format version.
const VERSION: char = 'p';

/// Why a shared progress could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    /// Not made by [`encode`], or by another version of docatlas.
    #[error("this link does not hold docatlas progress (or holds it in another version's format); ask for a new link")]
    Version,
    /// Characters outside base64url, or a cut-off link.
    #[error(
        "the shared progress in this link is damaged (was the link cut short?); ask for a new link"
    )]
    Damaged,
}

/// Encodes progress for a URL fragment.
pub fn encode(progress: &Progress) -> String {
    let bytes = postcard::to_allocvec(progress).unwrap_or_default();
    let mut out = String::with_capacity((bytes.len() / 3).saturating_mul(4).saturating_add(5));
    out.push(VERSION);
    base64url_encode(&bytes, &mut out);
    out
}

/// Decodes what [`encode`] made.
pub fn decode(text: &str) -> Result<Progress, ShareError> {
    let rest = text
        .trim()
        .strip_prefix(VERSION)
        .ok_or(ShareError::Version)?;
    let bytes = base64url_decode(rest).ok_or(ShareError::Damaged)?;
    postcard::from_bytes(&bytes).map_err(|_| ShareError::Damaged)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8], out: &mut String) {
    let sym = |v: u32| char::from(ALPHABET.get((v & 63) as usize).copied().unwrap_or(b'A'));
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = b(0).wrapping_shl(16) | b(1).wrapping_shl(8) | b(2);
        out.push(sym(n.wrapping_shr(18)));
        out.push(sym(n.wrapping_shr(12)));
        if chunk.len() > 1 {
            out.push(sym(n.wrapping_shr(6)));
        }
        if chunk.len() > 2 {
            out.push(sym(n));
        }
    }
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| ALPHABET.iter().position(|&a| a == c).map(|p| p as u32);
    let mut out = Vec::with_capacity(text.len().saturating_mul(3) / 4);
    for chunk in text.as_bytes().chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let mut n = 0u32;
        for (&c, shift) in chunk.iter().zip([18u32, 12, 6, 0]) {
            n |= value(c)?.wrapping_shl(shift);
        }
        let [_, a, b, c] = n.to_be_bytes();
        out.push(a);
        if chunk.len() > 2 {
            out.push(b);
        }
        if chunk.len() > 3 {
            out.push(c);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..40usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 250) as u8).collect();
            let mut s = String::new();
            base64url_encode(&bytes, &mut s);
            assert!(s
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
            assert_eq!(base64url_decode(&s), Some(bytes), "{len}");
        }
        assert_eq!(base64url_decode("A"), None);
        assert_eq!(base64url_decode("ab=c"), None);
    }

    #[test]
    fn progress_survives_a_link() {
        let mut p = Progress::default();
        p.mark_read("engineering/stack.md", &[], 1_715_000_000_000);
        p.mark_read("de/größe.md", &[], 1_715_000_000_001);
        p.set_check("README:0a1b2c3d", true, 7);
        p.track = Some("deep".into());
        let link = encode(&p);
        assert!(link.starts_with('p'));
        assert_eq!(decode(&link), Ok(p));
        assert_eq!(decode("x123"), Err(ShareError::Version));
        assert_eq!(decode("p!!!!"), Err(ShareError::Damaged));
        let cut = link.get(..link.len() / 2).unwrap_or_default();
        assert!(decode(cut).is_err());
    }
}
