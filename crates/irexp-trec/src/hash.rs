//! A fast, non-cryptographic hasher for the hash maps on hot paths (docnos, qids and terms:
//! millions of short keys). It multiplies and rotates 8 bytes at a time, in the style of
//! rustc's FxHash, and mixes the result with MurmurHash3's finaliser. It is not resistant to crafted collisions, which is acceptable for
//! evaluating one's own files.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// The hasher; see the module documentation.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // MurmurHash3's finaliser: the multiply-rotate rounds leave the low bits (which pick
        // the bucket) depending only on the low bits of the input, so keys that differ in
        // their high bytes ("d0000001", "d0000002", ... read little-endian) would collide.
        let mut h = self.hash;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// A `HashSet` with [`FastHasher`].
pub type FastSet<T> = HashSet<T, BuildHasherDefault<FastHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_work_with_short_and_long_keys() {
        let mut m: FastMap<&str, usize> = FastMap::default();
        let keys = [
            "",
            "a",
            "D0000001",
            "D00000012",
            "clueweb09-en0000-00-00000",
        ];
        for (i, k) in keys.iter().enumerate() {
            m.insert(k, i);
        }
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(m.get(k), Some(&i));
        }
        assert_eq!(m.get("D0000002"), None);
    }

    #[test]
    fn sequential_ids_spread_over_the_low_bits() {
        use std::hash::BuildHasher;
        let build = BuildHasherDefault::<FastHasher>::default();
        let buckets: FastSet<u64> = (0..100_000)
            .map(|i| build.hash_one(format!("d{i:08}")) & 0xffff)
            .collect();
        // 100,000 random keys would fill about 51,000 of the 65,536 buckets.
        assert!(buckets.len() > 45_000, "{} buckets", buckets.len());
    }
}
