//! BM25 top-1000 over a fixed generated corpus, exhaustive and MaxScore retrieval, on the
//! in-memory index and on the same index written to disk and memory-mapped. Each iteration
//! ranks every query, and the bench checks it produced the expected number of results.

mod common;

use common::{corpus, K, QUERIES};
use criterion::{criterion_group, criterion_main, Criterion};
use irexp::index::{disk, IndexReader};
use irexp::rank::{bm25::Bm25, Model, Retrieval, Searcher};
use irexp::run::TiePolicy;

fn bench(c: &mut Criterion) {
    let (index, queries) = corpus();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("index");
    disk::write(&index, &path, serde_json::json!({}), serde_json::json!({}))
        .expect("the bench index is written");
    let on_disk = disk::DiskIndex::open(&path).expect("the bench index opens");
    run(c, "", &index, &queries);
    run(c, "_disk", &on_disk, &queries);
}

fn run(c: &mut Criterion, suffix: &str, index: &impl IndexReader, queries: &[irexp::rank::Query]) {
    let model = Model::Bm25(Bm25::default());
    for (name, retrieval) in [
        ("exhaustive", Retrieval::Exhaustive),
        ("maxscore", Retrieval::Maxscore),
    ] {
        let searcher = Searcher::new(index, &model, retrieval);
        c.bench_function(
            &format!("bm25_top1000_{name}_50_queries_20k_docs{suffix}"),
            |b| {
                b.iter(|| {
                    let mut results = 0;
                    for q in queries {
                        results += searcher.search(q, K, TiePolicy::TrecEval).len();
                    }
                    assert_eq!(results, QUERIES * K, "every query should fill its top {K}");
                    results
                })
            },
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
