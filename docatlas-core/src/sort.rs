//! One sort for everything the browser app orders (search, the entity graph, the app's
//! views): std's sort instantiated once, for `u32` indices and a `dyn` comparator, and the
//! permutation applied afterwards.
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

/// Sorts `v` by the key `key` gives each element, stably.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, &mut |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` in ascending order, stably.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, &mut |a, b| a.cmp(b));
}

/// A set of the items, without `BTreeSet::from_iter` (which sorts its input with a sort
/// instantiated for each item type).
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> std::collections::BTreeSet<T> {
    let mut set = std::collections::BTreeSet::new();
    set.extend(items);
    set
}

/// A map of the pairs (a repeated key keeps its last value, as with `collect`), without
/// `BTreeMap::from_iter`'s per-type sort.
pub fn map_of<K: Ord, V>(
    pairs: impl IntoIterator<Item = (K, V)>,
) -> std::collections::BTreeMap<K, V> {
    let mut map = std::collections::BTreeMap::new();
    map.extend(pairs);
    map
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

    #[test]
    fn keyed_sorts_sets_and_maps_match_std() {
        let mut v = vec![(3, "c"), (1, "a"), (3, "b"), (2, "x")];
        let mut want = v.clone();
        want.sort_by_key(|p| std::cmp::Reverse(p.0));
        sort_by_key(&mut v, |p| std::cmp::Reverse(p.0));
        assert_eq!(v, want);
        sort(&mut v);
        want.sort();
        assert_eq!(v, want);
        let items = [5, 3, 5, 1, 9, 3];
        assert_eq!(set_of(items), items.iter().copied().collect());
        let pairs = [(2, "a"), (1, "b"), (2, "c")];
        assert_eq!(map_of(pairs), pairs.iter().copied().collect());
    }
}
