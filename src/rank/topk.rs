//! A bounded heap that keeps the `k` best (score, document) pairs.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use ordered_float::OrderedFloat;

use crate::index::{DocId, IndexReader};

/// How documents with equal scores are ordered, at the cut and in the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TieBreak {
    /// The larger docno (byte order) ranks first, as trec_eval ranks ties.
    DocnoDescending,
    /// The smaller docno (byte order) ranks first, as Anserini sorts hits.
    DocnoAscending,
}

impl TieBreak {
    /// A key where larger is better among equal scores.
    fn key(self, index: &impl IndexReader, doc: DocId) -> u32 {
        match self {
            TieBreak::DocnoDescending => index.docno_rank(doc),
            TieBreak::DocnoAscending => u32::MAX - index.docno_rank(doc),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    score: OrderedFloat<f32>,
    key: u32,
    doc: DocId,
}

/// Keeps the `k` best documents seen so far.
#[derive(Debug)]
pub struct TopK {
    k: usize,
    heap: BinaryHeap<Reverse<Entry>>,
    tie_break: TieBreak,
}

impl TopK {
    /// An empty heap that will keep `k` documents.
    pub fn new(k: usize, tie_break: TieBreak) -> TopK {
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k.min(1 << 16) + 1),
            tie_break,
        }
    }

    /// Offers `doc` with `score`.
    pub fn push(&mut self, index: &impl IndexReader, doc: DocId, score: f32) {
        if self.k == 0 {
            return;
        }
        let entry = Entry {
            score: OrderedFloat(score),
            key: self.tie_break.key(index, doc),
            doc,
        };
        if self.heap.len() < self.k {
            self.heap.push(Reverse(entry));
        } else if let Some(Reverse(worst)) = self.heap.peek() {
            if entry.cmp(worst) == Ordering::Greater {
                self.heap.pop();
                self.heap.push(Reverse(entry));
            }
        }
    }

    /// The kept documents, best first.
    pub fn into_sorted(self) -> Vec<(DocId, f32)> {
        let mut v: Vec<Entry> = self.heap.into_iter().map(|Reverse(e)| e).collect();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v.into_iter().map(|e| (e.doc, e.score.0)).collect()
    }
}
