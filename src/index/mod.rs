//! The inverted index: lexicon, postings with term frequencies, document lengths, docno table
//! and collection statistics.
//!
//! [`IndexBuilder`] analyses documents in parallel (rayon) and assigns document ids in corpus
//! order, so the index is identical whatever the thread count. Retrieval reads an index only
//! through the [`IndexReader`] trait, implemented by the in-memory index and the on-disk
//! [`disk::DiskIndex`]; it reaches postings only through the [`PostingCursor`] a reader hands
//! out per term.

pub mod cache;
pub mod disk;
mod memory;
pub mod norms;
mod writer;

use std::borrow::Cow;

use serde::Serialize;

pub use disk::DiskCursor;
pub use memory::{InMemoryCursor, InMemoryIndex, IndexBuilder};
pub use writer::{IndexWriter, DEFAULT_MEMORY_MB};

/// Dense internal document id, assigned in corpus order from 0.
pub type DocId = u32;

/// Dense internal term id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TermId(pub u32);

/// Collection-wide statistics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CollectionStats {
    /// Every document read, including those with no terms.
    pub documents: u32,
    /// Documents with at least one indexed term (Lucene's `docCount`; the N of idf).
    pub documents_with_terms: u32,
    /// Total number of indexed tokens (Lucene's `sumTotalTermFreq`).
    pub tokens: u64,
    /// Number of distinct terms.
    pub terms: u32,
}

impl CollectionStats {
    /// Counts one more document of `len` tokens.
    pub(crate) fn count_document(&mut self, len: u32) {
        self.documents += 1;
        if len > 0 {
            self.documents_with_terms += 1;
        }
        self.tokens += u64::from(len);
    }

    /// Mean document length over documents with terms, as Lucene computes it for BM25
    /// (`sumTotalTermFreq / docCount`, in double precision).
    pub fn avg_doc_len(&self) -> f64 {
        if self.documents_with_terms == 0 {
            0.0
        } else {
            self.tokens as f64 / self.documents_with_terms as f64
        }
    }
}

/// A term's entry in the lexicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermInfo {
    /// The term's id.
    pub id: TermId,
    /// Number of documents containing the term.
    pub df: u32,
    /// Number of occurrences in the collection.
    pub cf: u64,
    /// The largest term frequency in any document (for score upper bounds).
    pub max_tf: u32,
    /// The smallest length of a document containing the term (for score upper bounds).
    pub min_doc_len: u32,
}

/// The document a [`PostingCursor`] reports once it has passed its last posting. No document
/// has this id: ids are below the number of documents, which is a `u32`.
pub const END: DocId = DocId::MAX;

/// Postings per block, in the on-disk format and in the blocks an in-memory cursor reports.
pub const BLOCK: usize = 128;

/// Bounds on the postings of one block, for block-max pruning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockBound {
    /// The largest term frequency in the block.
    pub max_tf: u32,
    /// The smallest length of a document in the block.
    pub min_doc_len: u32,
}

/// A position in one term's postings, which are in ascending document order, grouped in
/// blocks of up to [`BLOCK`] postings. A new cursor is on the first posting.
///
/// Retrieval algorithms see postings only through cursors (as PISA's do): [`doc`](Self::doc)
/// and [`tf`](Self::tf) read the current posting, [`next`](Self::next) and
/// [`advance`](Self::advance) move forward, and the per-block hooks
/// ([`block_last_doc`](Self::block_last_doc), [`block_bound`](Self::block_bound)) are where
/// block-max pruning plugs in.
pub trait PostingCursor {
    /// The current posting's document, or [`END`] once past the last posting.
    fn doc(&self) -> DocId;
    /// The current posting's term frequency (0 at [`END`]).
    fn tf(&self) -> u32;
    /// Moves to the next posting (or to [`END`]); at [`END`], stays there.
    fn next(&mut self);
    /// Moves to the first posting whose document is `target` or after (PISA's `next_geq`),
    /// or to [`END`] if there is none; does not move if the current document is already
    /// `target` or after. Blocks whose last document is before `target` are skipped whole,
    /// without decoding them.
    fn advance(&mut self, target: DocId);
    /// The last document of the current block ([`END`] once past the last posting): every
    /// document up to it that the term has is in this block or an earlier one.
    fn block_last_doc(&self) -> DocId;
    /// Bounds on the current block's postings, where the format stores them. Neither the
    /// in-memory index nor the current on-disk format (version 1) does: both return `None`, and
    /// the list-wide bounds of [`TermInfo`] hold for every block.
    fn block_bound(&self) -> Option<BlockBound>;
    /// The number of postings in the list (the term's document frequency).
    fn len(&self) -> u32;
    /// Whether the list has no postings.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Read access to an index: everything scoring and retrieval need. Every method reads data
/// that was checked when the index was built or opened, so none can fail; an id out of range
/// (not from this index) panics, as a slice index does.
pub trait IndexReader: Sync {
    /// Collection statistics.
    fn stats(&self) -> &CollectionStats;
    /// Looks a term up in the lexicon.
    fn term(&self, term: &str) -> Option<TermInfo>;
    /// The cursor type over this index's postings.
    type Cursor<'a>: PostingCursor
    where
        Self: 'a;
    /// A cursor on the first posting of `term`.
    fn cursor(&self, term: TermId) -> Self::Cursor<'_>;
    /// The exact number of indexed tokens in `doc`.
    fn doc_len(&self, doc: DocId) -> u32;
    /// The Lucene one-byte encoding of `doc`'s length ([`norms::encode`]).
    fn norm(&self, doc: DocId) -> u8;
    /// The external identifier of `doc`.
    fn docno(&self, doc: DocId) -> &str;
    /// The position of `doc`'s docno in byte order among all docnos (for tie-breaking).
    fn docno_rank(&self, doc: DocId) -> u32;
    /// The distinct terms of `doc` with their frequencies (the document vector), in term-id
    /// order.
    fn doc_terms(&self, doc: DocId) -> Cow<'_, [(TermId, u32)]>;
    /// The text of a term.
    fn term_text(&self, term: TermId) -> &str;
    /// A term's lexicon entry by id.
    fn term_info(&self, term: TermId) -> TermInfo;
}

/// Every document's rank when the docnos are sorted by their bytes (the tie-break order).
pub(crate) fn docno_ranks(docnos: &[String]) -> Vec<u32> {
    use rayon::prelude::*;
    let mut order: Vec<u32> = (0..docnos.len() as u32).collect();
    order.par_sort_unstable_by(|&a, &b| {
        docnos[a as usize]
            .as_bytes()
            .cmp(docnos[b as usize].as_bytes())
    });
    let mut ranks = vec![0u32; order.len()];
    for (rank, doc) in order.into_iter().enumerate() {
        ranks[doc as usize] = rank as u32;
    }
    ranks
}

/// Every (document, tf) posting of `cursor` from where it is, by [`PostingCursor::next`].
#[cfg(test)]
pub(crate) fn postings(mut cursor: impl PostingCursor) -> Vec<(DocId, u32)> {
    let mut out = Vec::new();
    while cursor.doc() != END {
        out.push((cursor.doc(), cursor.tf()));
        cursor.next();
    }
    out
}
