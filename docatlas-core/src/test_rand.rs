//! A seeded pseudo-random source for the property tests (test builds only): the same seed gives
//! the same cases on every machine, so a failure names its round and reproduces.

/// Numbers below `n` from a 64-bit linear congruential generator started at `seed`.
pub(crate) fn below(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut state = seed;
    move |n| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n
    }
}
