//! Phrase checks: whether words appear in order, next to each other, in a text.

use crate::slice;
use crate::text::{fold, runs, tokenize};

/// Whether `words` appear consecutively, in order, among the whole words of `text`.
pub fn has_phrase(text: &str, phrase: &[String]) -> bool {
    let n = phrase.len();
    if n == 0 {
        return true;
    }
    // Cheap rejection first: in ASCII text, every phrase word must at least be a substring.
    if text.is_ascii() && phrase.iter().all(|w| w.is_ascii()) {
        let lower = text.to_ascii_lowercase();
        if !phrase.iter().all(|w| lower.contains(w.as_str())) {
            return false;
        }
    }
    let mut window: std::collections::VecDeque<String> =
        std::collections::VecDeque::with_capacity(n);
    let mut push = |w: String| {
        if window.len() == n {
            window.pop_front();
        }
        window.push_back(w);
        window.len() == n && window.iter().zip(phrase).all(|(a, b)| a == b)
    };
    for (start, end, cjk) in runs(text) {
        let word = slice::sub(text, start, end);
        if !cjk {
            if push(fold(word)) {
                return true;
            }
        } else {
            for t in tokenize(word) {
                if push(t.term) {
                    return true;
                }
            }
        }
    }
    false
}
