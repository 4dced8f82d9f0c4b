//! Exhaustive retrieval: every posting of every query term is scored. This is the reference
//! that faster strategies are tested against.

use super::topk::{TieBreak, TopK};
use super::TermScorer;
use crate::index::{IndexReader, TermInfo};

/// Scores every document that contains at least one query term and returns the best `k`.
///
/// A document's score is the sum of its term scores, accumulated in double precision in query
/// term order and rounded to float32 once, as Lucene's disjunction scorers do (and as a run
/// file keeps it).
pub fn top_k<S: TermScorer>(
    index: &impl IndexReader,
    terms: &[(TermInfo, S)],
    k: usize,
    tie_break: TieBreak,
) -> Vec<(u32, f32)> {
    let n = index.stats().documents as usize;
    SCRATCH.with(|scratch| {
        let mut scratch = scratch.borrow_mut();
        let Scratch { acc, hit, touched } = &mut *scratch;
        if acc.len() < n {
            acc.resize(n, 0.0);
            hit.resize(n, false);
        }
        for (info, scorer) in terms {
            let p = index.postings(info.id);
            for (&doc, &tf) in p.docs.iter().zip(p.tfs.iter()) {
                let d = doc as usize;
                if !hit[d] {
                    hit[d] = true;
                    touched.push(doc);
                }
                acc[d] += scorer.score(doc, tf);
            }
        }
        let mut top = TopK::new(k, tie_break);
        for doc in touched.drain(..) {
            let d = doc as usize;
            top.push(doc, acc[d] as f32);
            acc[d] = 0.0;
            hit[d] = false;
        }
        top.into_sorted(index)
    })
}

/// Per-thread accumulators, reused across queries and left zeroed after each.
#[derive(Default)]
struct Scratch {
    acc: Vec<f64>,
    hit: Vec<bool>,
    touched: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}
