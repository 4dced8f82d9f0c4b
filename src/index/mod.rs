//! The inverted index: lexicon, postings with term frequencies, document lengths, docno table
//! and collection statistics.
//!
//! [`IndexBuilder`] analyses documents in parallel (rayon) and assigns document ids in corpus
//! order, so the index is identical whatever the thread count. Retrieval reads an index only
//! through the [`IndexReader`] trait, which an on-disk index can implement as well.

pub mod cache;
pub mod disk;
mod memory;
pub mod norms;
mod writer;

use std::borrow::Cow;

use serde::Serialize;

pub use memory::{InMemoryIndex, IndexBuilder};
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

/// A term's postings: ascending document ids and their term frequencies. Borrowed from an
/// in-memory index, decoded into owned vectors from an on-disk one.
#[derive(Debug, Clone)]
pub struct Postings<'a> {
    /// Document ids, strictly ascending.
    pub docs: Cow<'a, [DocId]>,
    /// Term frequency in each document; same length as `docs`.
    pub tfs: Cow<'a, [u32]>,
}

/// Read access to an index: everything scoring and retrieval need.
pub trait IndexReader: Sync {
    /// Collection statistics.
    fn stats(&self) -> &CollectionStats;
    /// Looks a term up in the lexicon.
    fn term(&self, term: &str) -> Option<TermInfo>;
    /// The postings of a term.
    fn postings(&self, term: TermId) -> Postings<'_>;
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
