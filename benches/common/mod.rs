//! The generated corpus shared by the benches: fixed seed, Zipf-like vocabulary.
#![allow(dead_code)]

use irexp::analysis::Analyzer;
use irexp::corpus::Document;
use irexp::error::Location;
use irexp::index::{InMemoryIndex, IndexBuilder};
use irexp::rank::Query;

pub const DOCS: usize = 20_000;
pub const VOCAB: usize = 5_000;
pub const DOC_LEN: usize = 60;
pub const QUERIES: usize = 50;
pub const K: usize = 1000;
/// Deterministic xorshift generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A word id with a roughly Zipfian distribution.
    fn zipf_word(&mut self) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((VOCAB as f64).powf(u) as usize).min(VOCAB - 1)
    }
}

fn word(id: usize) -> String {
    // Letters only, so the analyzer keeps each word as one token; "w" prefix avoids stop words.
    let mut s = String::from("w");
    let mut n = id;
    loop {
        s.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    s.push('x');
    s
}

pub fn corpus() -> (InMemoryIndex, Vec<Query>) {
    let analyzer = Analyzer::anserini();
    let mut rng = Rng(42);
    let mut builder = IndexBuilder::new(analyzer.clone());
    for i in 0..DOCS {
        let text: Vec<String> = (0..DOC_LEN).map(|_| word(rng.zipf_word())).collect();
        builder.add(Document {
            docno: format!("D{i:06}"),
            text: text.join(" "),
            location: Location::file("generated"),
            decoded_as_cp1252: false,
        });
    }
    let index = builder.build();
    let queries = (0..QUERIES)
        .map(|_| {
            let n = 2 + (rng.next() % 4) as usize;
            // Frequent-enough words so that every query matches more than K documents.
            let text: Vec<String> = (0..n)
                .map(|_| word(1 + (rng.next() % 50) as usize))
                .collect();
            Query::parse(&text.join(" "), &analyzer, &index)
        })
        .collect();
    (index, queries)
}
