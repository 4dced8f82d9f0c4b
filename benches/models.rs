//! One bench per ranking model over the same generated corpus and queries (top 1000,
//! exhaustive retrieval), with the `bm25` crate as the baseline. Each iteration ranks every
//! query and asserts how many results it produced.

mod common;

use common::{corpus, K, QUERIES};
use criterion::{criterion_group, criterion_main, Criterion};
use irexp::rank::bm25::{Bm25, Norms};
use irexp::rank::bm25_crate::Bm25Crate;
use irexp::rank::classic::Formula;
use irexp::rank::ql::{Ql, Smoothing};
use irexp::rank::rm3::Rm3;
use irexp::rank::{Classic, Model, Retrieval, Searcher};
use irexp::run::TiePolicy;

fn bench(c: &mut Criterion) {
    let (index, queries) = corpus();
    let bm25 = Model::Bm25(Bm25::default());
    let models: Vec<(&str, Model)> = vec![
        ("bm25_lucene", bm25.clone()),
        (
            "bm25_lucene_exact",
            Model::Bm25(Bm25 {
                norms: Norms::Exact,
                ..Bm25::default()
            }),
        ),
        (
            "bm25_robertson",
            Model::Classic(Classic {
                formula: Formula::Robertson { k1: 0.9, b: 0.4 },
                norms: Norms::Exact,
            }),
        ),
        (
            "bm25_terrier",
            Model::Classic(Classic {
                formula: Formula::Terrier {
                    k1: 1.2,
                    b: 0.75,
                    k3: 8.0,
                },
                norms: Norms::Exact,
            }),
        ),
        (
            "tfidf_terrier",
            Model::Classic(Classic {
                formula: Formula::TerrierTfIdf { k1: 1.2, b: 0.75 },
                norms: Norms::Exact,
            }),
        ),
        ("tfidf_lucene", Model::LuceneTfIdf),
        (
            "ql_dirichlet",
            Model::Ql(Ql {
                smoothing: Smoothing::Dirichlet { mu: 1000.0 },
            }),
        ),
        (
            "ql_jm",
            Model::Ql(Ql {
                smoothing: Smoothing::JelinekMercer { lambda: 0.1 },
            }),
        ),
        (
            "rm3_bm25",
            Model::Rm3(Rm3 {
                first_stage_name: "bm25".into(),
                first_stage: Box::new(bm25.clone()),
                fb_docs: 10,
                fb_terms: 10,
                original_query_weight: 0.5,
            }),
        ),
        (
            "bm25_crate_baseline",
            Model::Bm25Crate(Bm25Crate { k1: 0.9, b: 0.4 }),
        ),
    ];
    let mut group = c.benchmark_group("models_top1000_50_queries_20k_docs");
    group.sample_size(20);
    for (name, model) in &models {
        // Per-run preparation (the crate's scorer) is built once, outside the timing.
        let searcher = Searcher::new(&index, model, Retrieval::Exhaustive);
        group.bench_function(*name, |b| {
            b.iter(|| {
                let mut results = 0;
                for q in &queries {
                    results += searcher.search(q, K, TiePolicy::TrecEval).len();
                }
                assert_eq!(
                    results,
                    QUERIES * K,
                    "{name}: every query should fill its top {K}"
                );
                results
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
