//! Char-boundary-safe string slicing: the one place input text is cut by byte offset, so a
//! non-ASCII file name, title or query can never make a `&s[a..b]` panic.
//!
//! Offsets outside the string are clamped to its end and offsets inside a character are moved
//! back to that character's start; callers whose offsets come from `find` or `char_indices` get
//! exactly `&s[a..b]`.

/// The largest char boundary of `s` that is at most `i` (`s.len()` when `i` is past the end).
pub fn floor_char_boundary(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    // A UTF-8 character is at most 4 bytes, so one of `i`, `i-1`, `i-2`, `i-3` is a boundary;
    // 0 always is.
    (0..=i).rev().find(|&k| s.is_char_boundary(k)).unwrap_or(0)
}

/// `&s[start..end]` with both ends moved onto char boundaries; empty when `start >= end`.
pub fn sub(s: &str, start: usize, end: usize) -> &str {
    let start = floor_char_boundary(s, start);
    let end = floor_char_boundary(s, end);
    s.get(start..end).unwrap_or("")
}

/// `&s[..end]`, char-boundary safe (see [`sub`]).
pub fn head(s: &str, end: usize) -> &str {
    sub(s, 0, end)
}

/// `&s[start..]`, char-boundary safe (see [`sub`]).
pub fn tail(s: &str, start: usize) -> &str {
    sub(s, start, s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_inside_a_character_move_back_to_its_start() {
        // `予` is 3 bytes: offsets 1 and 2 are inside it.
        let s = "予約.md";
        assert_eq!(head(s, 4), "予");
        assert_eq!(head(s, 2), "");
        assert_eq!(tail(s, 4), "約.md");
        assert_eq!(sub(s, 1, 6), "予約");
        assert_eq!(sub("café-notes", 0, 4), "caf");
    }

    #[test]
    fn offsets_past_the_end_or_reversed_give_what_is_there() {
        assert_eq!(head("abc", 99), "abc");
        assert_eq!(tail("abc", 99), "");
        assert_eq!(sub("abc", 2, 1), "");
        assert_eq!(floor_char_boundary("", 5), 0);
    }
}
