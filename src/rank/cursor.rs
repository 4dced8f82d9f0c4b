//! A posting cursor paired with its term's scorer: what retrieval algorithms receive.

use super::TermScorer;
use crate::index::{PostingCursor, TermInfo};

/// One query term for a retrieval algorithm: a cursor on its postings, its [`TermScorer`] and
/// the bound of its score. Algorithms see postings only through these (as PISA's see only
/// cursors), never the index.
#[derive(Debug)]
pub struct ScoredCursor<C, S> {
    /// The term's postings.
    pub cursor: C,
    /// The term's score in a document.
    pub scorer: S,
    /// A value no document's score for the term exceeds ([`TermScorer::upper_bound`] at the
    /// term's largest frequency and smallest document length); `None` when the model has no
    /// valid bound for the term.
    pub max_score: Option<f64>,
}

impl<C: PostingCursor, S: TermScorer> ScoredCursor<C, S> {
    /// Pairs `cursor`, on the postings of the term `info` describes, with `scorer`.
    pub fn new(cursor: C, scorer: S, info: &TermInfo) -> ScoredCursor<C, S> {
        let max_score = scorer.upper_bound(info.max_tf, info.min_doc_len);
        ScoredCursor {
            cursor,
            scorer,
            max_score,
        }
    }

    /// The term's score in the current document.
    #[inline]
    pub fn score(&self) -> f64 {
        self.scorer.score(self.cursor.doc(), self.cursor.tf())
    }

    /// A bound of the term's score in the current block: from the block's own bounds where the
    /// index format stores them ([`PostingCursor::block_bound`]), else the list-wide
    /// [`max_score`](Self::max_score). This is where block-max pruning plugs in.
    pub fn block_max_score(&self) -> Option<f64> {
        match self.cursor.block_bound() {
            Some(b) => self.scorer.upper_bound(b.max_tf, b.min_doc_len),
            None => self.max_score,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{InMemoryIndex, IndexReader, TermId};
    use crate::rank::bm25::Bm25;

    #[test]
    fn a_block_bound_bounds_its_block_and_not_more_than_the_list() {
        // Two blocks: tf 1 in the first, a tf of 9 in the second.
        let mut list: Vec<(u32, u32)> = (0..128).map(|d| (d, 1)).collect();
        list.extend((128..200).map(|d| (d, if d == 150 { 9 } else { 2 })));
        let index = InMemoryIndex::from_postings(&[list], 300);
        let info = index.term_info(TermId(0));
        let scorer = Bm25::default().term_scorer(&index, info.df, 1.0);
        let mut c = ScoredCursor::new(index.cursor(info.id), scorer, &info);
        let list_bound = c.max_score.unwrap();
        let first = c.block_max_score().unwrap();
        assert!(first < list_bound, "{first} < {list_bound}");
        while c.cursor.doc() < 128 {
            assert!(c.score() <= first);
            c.cursor.next();
        }
        let second = c.block_max_score().unwrap();
        assert!(second <= list_bound && second > first);
        c.cursor.advance(150);
        assert!(c.score() <= second);
        c.cursor.advance(crate::index::END);
        assert_eq!(c.cursor.block_bound(), None);
        assert_eq!(c.block_max_score(), c.max_score);
    }
}
