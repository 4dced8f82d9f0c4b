//! Engine time per query on the synthetic corpus of `../shared/bench/gen_corpus.py`, the
//! corpus of issue #6's comparison with tantivy: BM25, top 10 and top 1000, one thread,
//! block-max MaxScore and exhaustive retrieval over the memory-mapped on-disk index, for the
//! default topics (`topics.tsv`) and, when present, the harder `topics_wide.tsv`. "Engine" means from the
//! analysed query to the ranked (document id, score) list, as tantivy's search loop
//! measures it; turning ids into docnos and writing the run are not included.
//!
//! Needs `IREXP_BENCH_SYNTH=DIR`, where DIR holds `corpus.jsonl` and `topics.tsv` from
//! `python3 ../shared/bench/gen_corpus.py --docs 1000000 --vocab 200000 --queries 200 --out DIR`;
//! the index is built once into `DIR/irexp-index-cache` (reused afterwards). The harder
//! topics: `gen_corpus.py ... --topics-only --topics-name topics_wide.tsv --qdist loguniform
//! --qmin-rank 10 --qmax-rank 50000 --out DIR`. Without the variable the bench prints that it
//! is skipped and measures nothing. Each iteration checks that every query returned as many
//! hits as exhaustive retrieval.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use irexp::analysis::Analyzer;
use irexp::config::Experiment;
use irexp::experiment;
use irexp::progress::Progress;
use irexp::rank::{rank, Query, Retrieval, TieBreak};
use irexp::topics::{self, Numbering, TopicsFormat};

fn bench(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("IREXP_BENCH_SYNTH").map(PathBuf::from) else {
        eprintln!(
            "SKIP synthetic_engine: set IREXP_BENCH_SYNTH to a folder made by ../shared/bench/gen_corpus.py"
        );
        return;
    };
    let config = format!(
        "[experiment]\nname = \"synthetic\"\noutput = \"{out}\"\n[corpus]\nformat = \"jsonl\"\npath = \"{corpus}\"\n[topics]\nformat = \"tsv\"\npath = \"{topics}\"\n[index]\ncache = \"{cache}\"\n[[ranker]]\nname = \"bm25\"\nmodel = \"bm25\"\n",
        out = dir.join("irexp-bench-out").display(),
        corpus = dir.join("corpus.jsonl").display(),
        topics = dir.join("topics.tsv").display(),
        cache = dir.join("irexp-index-cache").display(),
    );
    let exp = Experiment::from_toml(&config, &dir.join("bench.toml"), &[])
        .expect("the bench config is valid");
    let analyzer = Analyzer::from_spec(&exp.analyzer).expect("the analyzer");
    let index = experiment::open_cached_index(&exp, &analyzer, false, &Progress::stderr(false))
        .expect("the index builds")
        .index;
    let model = &exp.rankers[0].model;
    let tie = TieBreak::DocnoDescending;
    for set in ["topics", "topics_wide"] {
        let path = dir.join(format!("{set}.tsv"));
        if !path.is_file() {
            eprintln!("SKIP synthetic_engine {set}: no {}", path.display());
            continue;
        }
        let queries: Vec<Query> = topics::read(&path, TopicsFormat::Tsv, Numbering::Id)
            .expect("the topics are readable")
            .iter()
            .map(|t| Query::parse(&t.title, &analyzer, &index))
            .collect();
        for k in [10, 1000] {
            let expected: usize = queries
                .iter()
                .map(|q| rank(&index, model, q, k, tie, Retrieval::Exhaustive).len())
                .sum();
            for (name, retrieval) in [
                ("maxscore", Retrieval::Maxscore),
                ("exhaustive", Retrieval::Exhaustive),
            ] {
                c.bench_function(
                    &format!(
                        "synthetic_bm25_{set}_top{k}_{name}_{}_queries",
                        queries.len()
                    ),
                    |b| {
                        b.iter(|| {
                            let hits: usize = queries
                                .iter()
                                .map(|q| rank(&index, model, q, k, tie, retrieval).len())
                                .sum();
                            assert_eq!(hits, expected, "every query should return its hits");
                            hits
                        })
                    },
                );
            }
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
