//! The evaluator core: `-m all_trec` over a generated run of 500 topics × 1,000 documents
//! with graded qrels (about 100 judged documents per topic, 3-decimal scores so that ties
//! occur), the same shape as `shared/bench/gen_run.py` at a tenth of the size. One bench
//! parses and evaluates the run text (what `irexp eval` does), the other evaluates an
//! already parsed `Run`. Each checks that every topic was evaluated.

use std::fmt::Write as _;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use irexp::eval::{EvalOptions, Evaluator, Measure};
use irexp::qrels::Qrels;
use irexp::run::Run;

const TOPICS: usize = 500;
const DEPTH: usize = 1000;

/// Deterministic xorshift generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// (qrels text, run text).
fn inputs() -> (String, String) {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (mut qrels, mut run) = (String::new(), String::new());
    for t in 0..TOPICS {
        let qid = 1000 + t;
        for j in 0..DEPTH {
            // The first 100 documents are judged (graded 0-3), the others are not.
            let docno = format!("D{j:04}-{:07}", rng.below(10_000_000));
            let rel = (j < 100).then(|| match rng.below(100) {
                0..=69 => 0,
                70..=84 => 1,
                85..=94 => 2,
                _ => 3,
            });
            if let Some(rel) = rel {
                let _ = writeln!(qrels, "{qid} 0 {docno} {rel}");
            }
            // Judged documents score higher on average; 3 decimals make ties.
            let score = rel.map_or(0, |r| r * 2000) + rng.below(20_000);
            let _ = writeln!(
                run,
                "{qid} Q0 {docno} {} {}.{:03} bench",
                j + 1,
                score / 1000,
                score % 1000
            );
        }
    }
    (qrels, run)
}

fn bench(c: &mut Criterion) {
    let (qrels_text, run_text) = inputs();
    let qrels = Qrels::parse(&qrels_text, Path::new("bench.qrels")).expect("qrels");
    let measures = Measure::all_trec();
    let evaluator = Evaluator::new(&qrels, &measures, EvalOptions::default()).expect("evaluator");
    let run = Run::parse(&run_text, Path::new("bench.run")).expect("run");
    c.bench_function("eval_all_trec_text_500_topics_x_1000", |b| {
        b.iter(|| {
            let e = evaluator
                .evaluate_text(&run_text, Path::new("bench.run"))
                .expect("evaluate");
            assert_eq!(e.per_topic.len(), TOPICS, "every topic evaluated");
            e
        })
    });
    c.bench_function("eval_all_trec_parsed_run_500_topics_x_1000", |b| {
        b.iter(|| {
            let e = evaluator.evaluate(&run).expect("evaluate");
            assert_eq!(e.per_topic.len(), TOPICS, "every topic evaluated");
            let num_ret = e.get(&Measure::NumRet).expect("num_ret");
            assert_eq!(num_ret as usize, TOPICS * DEPTH, "every document ranked");
            e
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
