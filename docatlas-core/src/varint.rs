//! LEB128 unsigned varints for the postings lists: small numbers (deltas, frequencies) take one byte.

/// Appends `v` to `out` as an unsigned LEB128 varint.
pub(crate) fn write(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// [`read`], with the one-byte case (most page deltas and section numbers) inlined.
#[inline(always)]
pub(crate) fn read_short(buf: &[u8], pos: &mut usize) -> Option<u64> {
    match buf.get(*pos) {
        Some(&b) if b < 0x80 => {
            *pos = pos.checked_add(1)?;
            Some(u64::from(b))
        }
        _ => read(buf, pos),
    }
}

/// Reads a varint at `*pos`, advancing it; `None` when the bytes end mid-number or the number
/// does not fit a `u64` (bits shifted past the top mean a corrupt file, not a smaller number).
pub(crate) fn read(buf: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v: u64 = 0;
    let mut shift = 0u32;
    loop {
        let b = *buf.get(*pos)?;
        *pos = pos.checked_add(1)?;
        let bits = u64::from(b & 0x7f);
        let part = bits
            .checked_shl(shift)
            .filter(|p| p.checked_shr(shift) == Some(bits))?;
        v |= part;
        if b & 0x80 == 0 {
            return Some(v);
        }
        shift = shift.checked_add(7)?;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trips_edge_values() {
        for v in [
            0u64,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u32::MAX as u64,
            u64::MAX,
        ] {
            let mut buf = Vec::new();
            super::write(&mut buf, v);
            let mut pos = 0;
            assert_eq!(super::read(&buf, &mut pos), Some(v));
            assert_eq!(pos, buf.len());
        }
    }

    #[test]
    fn truncated_input_is_none_not_panic() {
        let mut pos = 0;
        assert_eq!(super::read(&[0x80, 0x80], &mut pos), None);
        let mut pos = 0;
        assert_eq!(super::read(&[0xff; 12], &mut pos), None);
        // Ten bytes whose last one carries more than the 64th bit: too large, not truncated.
        let mut pos = 0;
        let mut too_big = [0xff; 10];
        too_big[9] = 0x02;
        assert_eq!(super::read(&too_big, &mut pos), None);
    }
}
