//! Lucene's lossy one-byte document-length encoding (`SmallFloat.intToByte4` /
//! `byte4ToInt`), used by Lucene's BM25 and needed to reproduce Anserini's scores.
//!
//! Lengths below 24 are stored exactly; above, a length is rounded **down** to a value with
//! 4 significant bits (a float with a 3-bit mantissa and an implicit leading bit), offset by
//! 24. Decoding gives the largest representable length not above the true one.

/// Lengths up to this value (exclusive) are stored exactly.
const NUM_FREE_VALUES: u32 = 24;

/// Encodes a non-negative long as a 4-bit-mantissa float (`SmallFloat.longToInt4`).
fn long_to_int4(i: u64) -> u32 {
    let num_bits = 64 - i.leading_zeros();
    if num_bits < 4 {
        i as u32
    } else {
        let shift = num_bits - 4;
        let mantissa = ((i >> shift) as u32) & 0x07;
        mantissa | ((shift + 1) << 3)
    }
}

/// Inverse of [`long_to_int4`] (`SmallFloat.int4ToLong`).
fn int4_to_long(i: u32) -> u64 {
    let bits = (i & 0x07) as u64;
    let shift = (i >> 3) as i32 - 1;
    if shift == -1 {
        bits
    } else {
        (bits | 0x08) << shift
    }
}

/// Encodes a document length into one byte, as Lucene's `SmallFloat.intToByte4`.
pub fn encode(len: u32) -> u8 {
    if len < NUM_FREE_VALUES {
        len as u8
    } else {
        (NUM_FREE_VALUES + long_to_int4((len - NUM_FREE_VALUES) as u64)) as u8
    }
}

/// Decodes a byte back into a length, as Lucene's `SmallFloat.byte4ToInt`.
pub fn decode(byte: u8) -> u32 {
    let i = byte as u32;
    if i < NUM_FREE_VALUES {
        i
    } else {
        (NUM_FREE_VALUES as u64 + int4_to_long(i - NUM_FREE_VALUES)) as u32
    }
}

/// The decoded length of every possible byte (Lucene's `BM25Similarity.LENGTH_TABLE`).
pub fn length_table() -> [f32; 256] {
    let mut t = [0.0f32; 256];
    for (i, v) in t.iter_mut().enumerate() {
        *v = decode(i as u8) as f32;
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_lengths_are_exact() {
        for len in 0..24 {
            assert_eq!(decode(encode(len)), len);
        }
    }

    #[test]
    fn known_values_match_lucene() {
        // Values worked out from the SmallFloat definition: 24 + int4ToLong(byte - 24).
        assert_eq!(decode(encode(24)), 24);
        assert_eq!(decode(encode(39)), 39, "exact up to 39");
        assert_eq!(decode(encode(40)), 40);
        assert_eq!(decode(encode(41)), 40);
        assert_eq!(decode(encode(100)), 96);
        assert_eq!(decode(encode(1000)), 984);
        assert_eq!(encode(u32::MAX >> 1), 255);
        assert_eq!(decode(255), 24 + (0x0Fu64 << 27) as u32);
    }

    #[test]
    fn encoding_is_monotonic_and_rounds_down() {
        let mut prev = 0u8;
        for len in 0..200_000u32 {
            let b = encode(len);
            assert!(b >= prev);
            assert!(decode(b) <= len);
            assert_eq!(encode(decode(b)), b, "decoded values are fixed points");
            prev = b;
        }
    }
}
