//! BM25 top-1000 over a fixed generated corpus, exhaustive retrieval. Each iteration ranks
//! every query, and the bench checks it produced the expected number of results.

use criterion::{criterion_group, criterion_main, Criterion};
use irexp::analysis::Analyzer;
use irexp::corpus::Document;
use irexp::error::Location;
use irexp::index::{InMemoryIndex, IndexBuilder};
use irexp::rank::{bm25::Bm25, search, Model, Query};
use irexp::run::TiePolicy;

const DOCS: usize = 20_000;
const VOCAB: usize = 5_000;
const DOC_LEN: usize = 60;
const QUERIES: usize = 50;
const K: usize = 1000;

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

fn corpus() -> (InMemoryIndex, Vec<Query>) {
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

fn bench(c: &mut Criterion) {
    let (index, queries) = corpus();
    let model = Model::Bm25(Bm25::default());
    c.bench_function("bm25_top1000_exhaustive_50_queries_20k_docs", |b| {
        b.iter(|| {
            let mut results = 0;
            for q in &queries {
                results += search(&index, &model, q, K, TiePolicy::TrecEval).len();
            }
            assert_eq!(results, QUERIES * K, "every query should fill its top {K}");
            results
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
