//! BM25 top-1000 over a fixed generated corpus, exhaustive retrieval. Each iteration ranks
//! every query, and the bench checks it produced the expected number of results.

mod common;

use common::{corpus, K, QUERIES};
use criterion::{criterion_group, criterion_main, Criterion};
use irexp::rank::{bm25::Bm25, search, Model};
use irexp::run::TiePolicy;

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
