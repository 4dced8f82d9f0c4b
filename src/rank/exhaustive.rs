//! Exhaustive retrieval: every posting of every query term is scored. This is the reference
//! that faster strategies are tested against.

use super::cursor::ScoredCursor;
use super::topk::TopK;
use super::TermScorer;
use crate::index::PostingCursor;

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
        let Scratch {
            acc,
            hit,
            touched,
            docs,
            tfs,
        } = &mut *scratch;
        if acc.len() < n {
            acc.resize(n, 0.0);
            hit.resize(n, false);
        }
        for term in terms.iter_mut() {
            // The postings are decoded into plain arrays first and then scored: decoding then
            // does not interrupt the scoring loop, which waits on random accesses to the
            // accumulators.
            docs.clear();
            tfs.clear();
            term.cursor.read_remaining(docs, tfs);
            for (&doc, &tf) in docs.iter().zip(tfs.iter()) {
                let d = doc as usize;
                if !hit[d] {
                    hit[d] = true;
                    touched.push(doc);
                }
                acc[d] += term.scorer.score(doc, tf);
            }
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
    /// One term's postings.
    docs: Vec<u32>,
    tfs: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}
