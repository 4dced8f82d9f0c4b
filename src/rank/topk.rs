//! A bounded heap that keeps the `k` best (score, document) pairs.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use ordered_float::OrderedFloat;

use crate::index::DocId;

/// How documents with equal scores are ordered, at the cut and in the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TieBreak {
    /// The larger docno (byte order) ranks first, as trec_eval ranks ties.
    DocnoDescending,
    /// The smaller docno (byte order) ranks first, as Anserini sorts hits.
    DocnoAscending,
}

impl TieBreak {
    /// A key where larger is better among equal scores, from the document's docno rank.
    fn key(self, docno_rank: u32) -> u32 {
        match self {
            TieBreak::DocnoDescending => docno_rank,
            TieBreak::DocnoAscending => u32::MAX - docno_rank,
        }
    }
}

/// Keeps the `k` best documents seen so far.
///
/// The heap orders by score alone, so that offering a document never looks up its tie key
/// (a random memory access per document); documents that tie with the lowest kept score
/// are set aside, and the tie key decides among equal scores only in
/// [`into_sorted`](Self::into_sorted), for the documents that tie.
#[derive(Debug)]
pub struct TopK {
    k: usize,
    /// The kept documents, worst (lowest score) on top.
    heap: BinaryHeap<Reverse<(OrderedFloat<f32>, DocId)>>,
    /// Documents left out whose score equals the lowest kept score: one of them may still
    /// beat a kept document on the tie key.
    tied: Vec<(OrderedFloat<f32>, DocId)>,
    tie_break: TieBreak,
}

impl TopK {
    /// An empty heap that will keep `k` documents.
    pub fn new(k: usize, tie_break: TieBreak) -> TopK {
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k.min(1 << 16) + 1),
            tied: Vec::new(),
            tie_break,
        }
    }

    /// Offers `doc` with `score`.
    pub fn push(&mut self, doc: DocId, score: f32) {
        let score = OrderedFloat(score);
        if self.heap.len() < self.k {
            self.heap.push(Reverse((score, doc)));
            return;
        }
        let Some(&Reverse((lowest, _))) = self.heap.peek() else {
            return;
        };
        match score.cmp(&lowest) {
            Ordering::Less => {}
            Ordering::Equal => self.tied.push((score, doc)),
            Ordering::Greater => {
                // Replace the lowest in place: one sift down instead of a pop and a push.
                let out = match self.heap.peek_mut() {
                    Some(mut lowest) => std::mem::replace(&mut *lowest, Reverse((score, doc))).0,
                    None => return,
                };
                let Some(&Reverse((new_lowest, _))) = self.heap.peek() else {
                    return;
                };
                if new_lowest > lowest {
                    // Everything set aside now scores below every kept document.
                    self.tied.clear();
                } else {
                    self.tied.push(out);
                }
            }
        }
    }

    /// How many documents it keeps.
    pub fn k(&self) -> usize {
        self.k
    }

    /// The lowest kept score once `k` documents are kept: a document needs at least this
    /// score (and, on a tie, a better tie key) to enter.
    pub fn threshold(&self) -> Option<f32> {
        if self.heap.len() < self.k {
            return None;
        }
        self.heap.peek().map(|Reverse((s, _))| s.0)
    }

    /// The best `k` documents, best first: by score, then by the tie rule on `docno_rank`, the
    /// rank of a document's docno in byte order ([`IndexReader::docno_rank`], looked up only
    /// for documents whose score another shares).
    ///
    /// [`IndexReader::docno_rank`]: crate::index::IndexReader::docno_rank
    pub fn into_sorted(self, docno_rank: impl Fn(DocId) -> u32) -> Vec<(DocId, f32)> {
        let mut all: Vec<(OrderedFloat<f32>, DocId)> =
            self.heap.into_iter().map(|Reverse(e)| e).collect();
        all.extend(self.tied);
        all.sort_unstable_by_key(|e| std::cmp::Reverse(e.0));
        let mut out = Vec::with_capacity(all.len().min(self.k));
        let mut keyed: Vec<(u32, DocId)> = Vec::new();
        let mut i = 0;
        while i < all.len() && out.len() < self.k {
            let score = all[i].0;
            let run = all[i..].partition_point(|e| e.0 == score);
            if run == 1 {
                out.push((all[i].1, score.0));
            } else {
                keyed.clear();
                keyed.extend(
                    all[i..i + run]
                        .iter()
                        .map(|&(_, doc)| (self.tie_break.key(docno_rank(doc)), doc)),
                );
                keyed.sort_unstable_by(|a, b| b.cmp(a));
                let room = self.k - out.len();
                out.extend(keyed.iter().take(room).map(|&(_, doc)| (doc, score.0)));
            }
            i += run;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The heap keeps exactly what a full sort would keep, in the same order.
        #[test]
        fn heap_equals_full_sort(
            scores in proptest::collection::vec(0u8..6, 0..60),
            k in 0usize..70,
            ascending in any::<bool>(),
        ) {
            let n = scores.len();
            // A docno order unrelated to the doc ids: a fixed pseudo-random permutation.
            let mut order: Vec<u32> = (0..n as u32).collect();
            order.sort_by_key(|&d| ((d as u64 * 2_654_435_761) % 1_000_003, d));
            let mut ranks = vec![0u32; n];
            for (rank, &d) in order.iter().enumerate() {
                ranks[d as usize] = rank as u32;
            }
            let tie = if ascending { TieBreak::DocnoAscending } else { TieBreak::DocnoDescending };
            let mut top = TopK::new(k, tie);
            for (d, &s) in scores.iter().enumerate() {
                top.push(d as DocId, s as f32 * 0.5);
            }
            let mut all: Vec<(DocId, f32)> = scores.iter().enumerate().map(|(d, &s)| (d as DocId, s as f32 * 0.5)).collect();
            all.sort_by(|a, b| {
                b.1.total_cmp(&a.1).then_with(|| {
                    let (ra, rb) = (ranks[a.0 as usize], ranks[b.0 as usize]);
                    if ascending { ra.cmp(&rb) } else { rb.cmp(&ra) }
                })
            });
            all.truncate(k);
            prop_assert_eq!(top.into_sorted(|d| ranks[d as usize]), all);
        }
    }
}
