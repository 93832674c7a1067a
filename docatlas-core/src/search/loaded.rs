//! The bottom of search: the data files loaded so far, decoded once each ([`Loaded`]), the
//! dictionary's entries, and the [`Reader`] one evaluation reads them through, which records the
//! files it finds missing. Everything above (term matching, scoring, conditions, evaluation, the
//! engine) reads the site through here and nothing here knows about them.

use std::collections::{BTreeMap, BTreeSet};

use fst::Map;

use crate::files::{for_each_posting, DataFile, FacetTable, Fragment, ShardData};
use crate::format::{FormatError, Head};
use crate::index::Posting;
use crate::varint;

/// Opens an fst (a term shard's dictionary, a typo dictionary). fst trusts its node offsets,
/// so a crafted payload under a valid file checksum could make it index out of bounds (found
/// by fuzzing): its own checksum is verified before anything walks it.
fn open_fst(bytes: Vec<u8>, what: &str) -> Result<Map<Vec<u8>>, FormatError> {
    if !fst_checksum_holds(&bytes) {
        return Err(FormatError::Payload(format!(
            "{what} is damaged: its dictionary does not match its checksum"
        )));
    }
    Map::new(bytes).map_err(|e| FormatError::Payload(format!("{what} is unreadable: {e}")))
}

/// Whether an fst's trailing checksum (fst 0.4: the masked CRC-32C of the bytes before it,
/// little-endian) holds. Computed here, not with `Fst::verify`, whose sixteen 1 KiB tables
/// were 16 KiB of incompressible bytes in the app's WebAssembly; one table does it at a few
/// hundred MB/s, and a dictionary is checked once, when its file arrives.
fn fst_checksum_holds(bytes: &[u8]) -> bool {
    let Some((body, tail)) = bytes.split_last_chunk::<4>() else {
        return false;
    };
    let crc = !body.iter().fold(!0u32, |crc, &b| {
        let i = usize::from((crc as u8) ^ b);
        CRC32C.get(i).copied().unwrap_or_default() ^ (crc >> 8)
    });
    let masked = (crc.rotate_right(15)).wrapping_add(0xA282_EAD8);
    masked == u32::from_le_bytes(*tail)
}

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) of each byte value.
// Computed at compile time, where `get_mut` is not available; the indexes stay below 256.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
static CRC32C: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 {
                (c >> 1) ^ 0x82F6_3B78
            } else {
                c >> 1
            };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
};

/// A data file search reads, decoded.
pub(super) enum Loaded {
    Shard(Shard),
    Postings(Vec<u8>),
    Typo(Map<Vec<u8>>),
    Fragment(Fragment),
    Facets(FacetTable),
}

pub(super) struct Shard {
    pub(super) map: Map<Vec<u8>>,
    pub(super) lists: Vec<u8>,
}

impl Loaded {
    /// Decodes the data file `name` (decompressed bytes), if it is one search reads.
    pub(super) fn decode(name: &str, bytes: &[u8]) -> Result<Self, FormatError> {
        let loaded = match DataFile::parse(name) {
            Some(file @ DataFile::Shard(_)) => {
                let data: ShardData = file.decode(bytes)?;
                let map = open_fst(data.terms, "a term shard")?;
                Loaded::Shard(Shard {
                    map,
                    lists: data.lists,
                })
            }
            Some(file @ DataFile::Postings(_)) => Loaded::Postings(file.decode(bytes)?),
            Some(file @ DataFile::Typo(_)) => {
                let raw: Vec<u8> = file.decode(bytes)?;
                Loaded::Typo(open_fst(raw, "a typo dictionary")?)
            }
            Some(file @ DataFile::Fragment { .. }) => Loaded::Fragment(file.decode(bytes)?),
            Some(file @ DataFile::Facets) => Loaded::Facets(file.decode(bytes)?),
            _ => {
                return Err(FormatError::Payload(format!(
                    "{name} is not a file search reads"
                )))
            }
        };
        Ok(loaded)
    }
}

/// A dictionary entry: how many sections hold the key, and where its postings are.
#[derive(Clone, Copy)]
pub(super) struct Entry<'e> {
    pub(super) df: u32,
    pub(super) list: List<'e>,
}

#[derive(Clone, Copy)]
pub(super) enum List<'e> {
    Inline(&'e [u8], usize),
    File(u32),
}

/// The dictionary entry at `off` in a shard's lists.
pub(super) fn entry_at(lists: &[u8], off: usize) -> Option<Entry<'_>> {
    let mut pos = off;
    let h = varint::read(lists, &mut pos)?;
    let df = u32::try_from(h >> 1).ok()?;
    let list = if h & 1 == 1 {
        List::File(u32::try_from(varint::read(lists, &mut pos)?).ok()?)
    } else {
        List::Inline(lists, pos)
    };
    Some(Entry { df, list })
}

/// One evaluation's view of the loaded files: what it reads, and the files it found missing
/// (the next [`super::Step::Need`]).
pub(super) struct Reader<'e> {
    head: &'e Head,
    files: &'e BTreeMap<String, Loaded>,
    pub(super) need: BTreeSet<String>,
}

impl<'e> Reader<'e> {
    pub(super) fn new(head: &'e Head, files: &'e BTreeMap<String, Loaded>) -> Self {
        Self {
            head,
            files,
            need: BTreeSet::new(),
        }
    }

    pub(super) fn head(&self) -> &'e Head {
        self.head
    }

    /// The file `name` if loaded; else records it as needed.
    pub(super) fn file(&mut self, file: DataFile) -> Option<&'e Loaded> {
        let files: &'e BTreeMap<String, Loaded> = self.files;
        let name = file.name();
        match files.get(&name) {
            Some(f) => Some(f),
            None => {
                self.need.insert(name);
                None
            }
        }
    }

    /// `Some(())` when nothing is missing so far: the end of a round.
    pub(super) fn ready(&self) -> Option<()> {
        self.need.is_empty().then_some(())
    }

    pub(super) fn shard(&mut self, i: usize) -> Option<&'e Shard> {
        match self.file(DataFile::Shard(i))? {
            Loaded::Shard(s) => Some(s),
            _ => None,
        }
    }

    /// Asks for the shard holding `key`.
    pub(super) fn want(&mut self, key: &str) {
        let i = self.head().shard_of(key);
        let _ = self.shard(i);
    }

    /// The dictionary entry of `key`; `None` when absent or its shard is not loaded (which is
    /// then recorded).
    pub(super) fn lookup(&mut self, key: &str) -> Option<Entry<'e>> {
        let shard = self.shard(self.head().shard_of(key))?;
        let off = usize::try_from(shard.map.get(key)?).ok()?;
        entry_at(&shard.lists, off)
    }

    /// Postings of an entry; `None` when its file is not loaded yet (recorded).
    pub(super) fn postings(&mut self, entry: &Entry<'e>) -> Option<Vec<Posting>> {
        let mut out = Vec::new();
        self.each_posting(entry, |p| out.push(p))?;
        Some(out)
    }

    /// Hands each posting of an entry to `f`, in stored order, without collecting them;
    /// `None` when its file is not loaded yet (recorded).
    pub(super) fn each_posting(&mut self, entry: &Entry<'e>, f: impl FnMut(Posting)) -> Option<()> {
        match entry.list {
            List::Inline(bytes, mut pos) => for_each_posting(bytes, &mut pos, entry.df, f),
            List::File(id) => match self.file(DataFile::Postings(id))? {
                Loaded::Postings(bytes) => for_each_posting(bytes, &mut 0, entry.df, f),
                _ => return None,
            },
        }
        Some(())
    }

    pub(super) fn fragment(&mut self, doc: u32, section: u32) -> Option<&'e Fragment> {
        match self.file(DataFile::fragment_of(self.head(), doc, section))? {
            Loaded::Fragment(f) => Some(f),
            _ => None,
        }
    }

    pub(super) fn facets(&mut self) -> Option<&'e FacetTable> {
        match self.file(DataFile::Facets)? {
            Loaded::Facets(f) => Some(f),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fst_checksum_is_the_one_fst_verifies() {
        let keys = ["alpha", "beta", "config", "gamma\u{1}e", "zeta"];
        let map = Map::from_iter(keys.iter().enumerate().map(|(i, k)| (*k, i as u64))).unwrap();
        let bytes = map.into_fst().into_inner();
        assert!(fst::raw::Fst::new(bytes.clone()).unwrap().verify().is_ok());
        assert!(fst_checksum_holds(&bytes));
        // Any one byte changed: both refuse it.
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            let theirs = fst::raw::Fst::new(damaged.clone()).is_ok_and(|f| f.verify().is_ok());
            assert!(!theirs, "fst accepted a change at {at}");
            assert!(!fst_checksum_holds(&damaged), "a change at {at} passed");
            assert!(open_fst(damaged, "a term shard").is_err());
        }
        assert!(!fst_checksum_holds(&[]));
        assert!(!fst_checksum_holds(&[1, 2, 3]));
    }
}
