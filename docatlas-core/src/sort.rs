//! One sort for everything search orders: std's sort instantiated once, for `u32` indices and a
//! `dyn` comparator, and the permutation applied afterwards.
//!
//! Each `sort_by` closure in the app's code instantiates std's sort anew (10-20 KiB of wasm
//! apiece); sorting indices through one `dyn` comparator costs a slice of indices and an
//! indirect call per comparison instead, which is nothing next to what the callers sort (tens to
//! a few thousand items).

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, stably (equal items keep their order).
pub fn sort_by<T>(v: &mut [T], cmp: &mut dyn FnMut(&T, &T) -> Ordering) {
    sort_with(v, cmp, true);
}

/// Sorts `v` by `cmp`; equal items may end up in any order (use where the comparator tells
/// every pair of distinct items apart, or where equal items are interchangeable).
pub fn sort_unstable_by<T>(v: &mut [T], cmp: &mut dyn FnMut(&T, &T) -> Ordering) {
    sort_with(v, cmp, false);
}

fn sort_with<T>(v: &mut [T], cmp: &mut dyn FnMut(&T, &T) -> Ordering, stable: bool) {
    if v.len() < 2 {
        return;
    }
    // More than 2^32 items cannot be held by the callers (each item is several bytes of a
    // wasm32 address space); such a slice is left as it is rather than sorted with wider
    // indices, which would instantiate the sort a second time.
    let Ok(n) = u32::try_from(v.len()) else {
        return;
    };
    let mut order: Vec<u32> = (0..n).collect();
    {
        let items: &[T] = v;
        let mut by_index = |a: u32, b: u32| -> Ordering {
            let item = |i: u32| usize::try_from(i).ok().and_then(|i| items.get(i));
            match (item(a), item(b)) {
                (Some(x), Some(y)) => cmp(x, y),
                // Indices come from 0..n: unreachable, and harmless if it were.
                _ => Ordering::Equal,
            }
        };
        sort_indices(&mut order, &mut by_index, stable);
    }
    permute(v, &mut order);
}

/// The one instantiation of std's sorts.
#[inline(never)]
fn sort_indices(order: &mut [u32], cmp: &mut dyn FnMut(u32, u32) -> Ordering, stable: bool) {
    if stable {
        order.sort_by(|&a, &b| cmp(a, b));
    } else {
        order.sort_unstable_by(|&a, &b| cmp(a, b));
    }
}

/// Rearranges `v` so that position `i` holds the item that was at `order[i]`, following each
/// cycle of the permutation with swaps (no copy of the items, no `Clone` needed). `order` is
/// used up: each visited position is marked as holding its own index.
fn permute<T>(v: &mut [T], order: &mut [u32]) {
    let len = order.len();
    for start in 0..len {
        let mut at = start;
        while let Some(slot) = order.get_mut(at) {
            let from = usize::try_from(*slot).unwrap_or(usize::MAX);
            // Mark `at` as final; a position already final (or the cycle's end) stops the walk.
            *slot = u32::try_from(at).unwrap_or(u32::MAX);
            if from == start || from == at || from >= len {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_like_std() {
        let mut seed = 7u64;
        for len in [0usize, 1, 2, 3, 10, 100, 1000] {
            let mut v: Vec<(u8, u32)> = (0..len)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((seed >> 60) as u8, i as u32)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|a| a.0);
            sort_by(&mut v, &mut |a, b| a.0.cmp(&b.0));
            assert_eq!(v, want, "stable, len {len}");
            let mut u = v.clone();
            u.reverse();
            sort_unstable_by(&mut u, &mut |a, b| a.cmp(b));
            want.sort();
            assert_eq!(u, want, "unstable, len {len}");
        }
    }

    #[test]
    fn moves_items_that_are_not_clone() {
        let mut v = vec![String::from("c"), String::from("a"), String::from("b")];
        sort_by(&mut v, &mut |a, b| a.cmp(b));
        assert_eq!(v, ["a", "b", "c"]);
    }
}
