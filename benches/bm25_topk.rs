//! BM25 top-1000 over a fixed generated corpus, exhaustive and MaxScore retrieval. Each
//! iteration ranks every query, and the bench checks it produced the expected number of
//! results.

mod common;

use common::{corpus, K, QUERIES};
use criterion::{criterion_group, criterion_main, Criterion};
use irexp::rank::{bm25::Bm25, Model, Retrieval, Searcher};
use irexp::run::TiePolicy;

fn bench(c: &mut Criterion) {
    let (index, queries) = corpus();
    let model = Model::Bm25(Bm25::default());
    for (name, retrieval) in [
        (
            "bm25_top1000_exhaustive_50_queries_20k_docs",
            Retrieval::Exhaustive,
        ),
        (
            "bm25_top1000_maxscore_50_queries_20k_docs",
            Retrieval::Maxscore,
        ),
    ] {
        let searcher = Searcher::new(&index, &model, retrieval);
        c.bench_function(name, |b| {
            b.iter(|| {
                let mut results = 0;
                for q in &queries {
                    results += searcher.search(q, K, TiePolicy::TrecEval).len();
                }
                assert_eq!(results, QUERIES * K, "every query should fill its top {K}");
                results
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
