//! Exhaustive retrieval: every posting of every query term is scored. This is the reference
//! that faster strategies are tested against.

use super::cursor::ScoredCursor;
use super::topk::TopK;
use super::TermScorer;
use crate::index::{PostingCursor, END};

/// Scores every document that contains at least one query term and offers each to `top`.
/// `documents` is the number of documents (every cursor's documents are below it); the
/// cursors are left at their ends.
///
/// A document's score is the sum of its term scores, accumulated in double precision in query
/// term order (term at a time) and rounded to float32 once, as Lucene's disjunction scorers do
/// (and as a run file keeps it).
pub fn top_k<C: PostingCursor, S: TermScorer>(
    terms: &mut [ScoredCursor<C, S>],
    documents: u32,
    top: &mut TopK,
) {
    let n = documents as usize;
    SCRATCH.with(|scratch| {
        let mut scratch = scratch.borrow_mut();
        let Scratch { acc, hit, touched } = &mut *scratch;
        if acc.len() < n {
            acc.resize(n, 0.0);
            hit.resize(n, false);
        }
        for term in terms.iter_mut() {
            let scorer = &term.scorer;
            term.cursor.for_each_before(END, |doc, tf| {
                let d = doc as usize;
                if !hit[d] {
                    hit[d] = true;
                    touched.push(doc);
                }
                acc[d] += scorer.score(doc, tf);
            });
        }
        for doc in touched.drain(..) {
            let d = doc as usize;
            top.push(doc, acc[d] as f32);
            acc[d] = 0.0;
            hit[d] = false;
        }
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
