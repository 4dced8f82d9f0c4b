//! The Porter stemmer against the 23,531 reference pairs, and against `nltk-porter` in
//! Martin Porter's mode as an independent implementation.

use crate::common;

use irexp::analysis::porter::stem;

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn all_reference_pairs_pass() {
    let collections = common::collections();
    let dir = common::shared_sibling(&collections, "porter");
    let voc = std::fs::read_to_string(dir.join("voc.txt")).expect("voc.txt");
    let output = std::fs::read_to_string(dir.join("output.txt")).expect("output.txt");
    let (mut total, mut failed) = (0, Vec::new());
    for (word, want) in voc.lines().zip(output.lines()) {
        total += 1;
        let got = stem(word);
        if got != want {
            failed.push(format!("{word} -> {got} (want {want})"));
        }
    }
    eprintln!("porter: {} of {total} pairs pass", total - failed.len());
    assert_eq!(total, 23_531, "the reference lists changed");
    assert!(
        failed.is_empty(),
        "{} failures, first: {:?}",
        failed.len(),
        &failed[..failed.len().min(10)]
    );
}

/// Deterministic pseudo-random lowercase words (xorshift), biased towards suffixes the
/// algorithm rewrites.
fn words(n: usize) -> Vec<String> {
    const SUFFIXES: [&str; 24] = [
        "ational", "tional", "enci", "anci", "izer", "bli", "alli", "entli", "eli", "ousli",
        "ization", "ation", "ator", "alism", "iveness", "fulness", "logi", "icate", "ness",
        "ement", "sses", "ies", "eed", "ing",
    ];
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..n)
        .map(|i| {
            let len = 1 + (next() % 9) as usize;
            let mut w: String = (0..len)
                .map(|_| (b'a' + (next() % 26) as u8) as char)
                .collect();
            if i % 2 == 0 {
                w.push_str(SUFFIXES[(next() % SUFFIXES.len() as u64) as usize]);
            }
            w
        })
        .collect()
}

#[test]
fn agrees_with_nltk_porter_in_martin_mode() {
    let nltk = nltk_porter::PorterStemmer::new(nltk_porter::Mode::Martin);
    let mut disagreements = Vec::new();
    for w in words(20_000) {
        let (ours, theirs) = (stem(&w), nltk.stem(&w));
        if ours != theirs {
            disagreements.push((w, ours, theirs));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{:?}",
        &disagreements[..disagreements.len().min(10)]
    );
}
