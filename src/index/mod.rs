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
    /// Bounds on the current block's postings: its largest tf and shortest document (both
    /// cursors give them; `None` at [`END`]). Where a cursor gives none, the list-wide bounds
    /// of [`TermInfo`] hold for every block.
    fn block_bound(&self) -> Option<BlockBound>;
    /// Appends the current posting and every one after it to `docs` and `tfs`, leaving the
    /// cursor at [`END`]: the same as a loop over [`doc`](Self::doc), [`tf`](Self::tf) and
    /// [`next`](Self::next), which cursors run faster, decoding straight into the vectors (so
    /// that a term-at-a-time algorithm then scores from plain arrays).
    fn read_remaining(&mut self, docs: &mut Vec<DocId>, tfs: &mut Vec<u32>) {
        while self.doc() != END {
            docs.push(self.doc());
            tfs.push(self.tf());
            self.next();
        }
    }
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
    /// Collection statistics: what the models score with. For a shard read with the
    /// collection's statistics ([`crate::shard`]) they are the whole collection's.
    fn stats(&self) -> &CollectionStats;
    /// One past the largest document id of this index (what retrieval sizes its accumulators
    /// by): the number of documents, unless [`stats`](Self::stats) describes a larger
    /// collection than the index holds.
    fn doc_ids(&self) -> u32 {
        self.stats().documents
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Where a linear scan from posting `from` finds the first document at or after `target`.
    fn scan(list: &[(DocId, u32)], from: usize, target: DocId) -> usize {
        from + list[from..].iter().take_while(|p| p.0 < target).count()
    }

    /// The last document of the block of [`BLOCK`] postings that holds posting `i`.
    fn block_last(list: &[(DocId, u32)], i: usize) -> DocId {
        if i >= list.len() {
            return END;
        }
        list[((i / BLOCK + 1) * BLOCK).min(list.len()) - 1].0
    }

    /// Targets on, just before and just after every block's last document and the first
    /// document, 0, past the last document, and `extra`; ascending.
    fn targets(list: &[(DocId, u32)], extra: &[DocId]) -> Vec<DocId> {
        let mut t: Vec<DocId> = vec![0, list[0].0, list[0].0 + 1, END - 1];
        for i in (BLOCK - 1..list.len())
            .step_by(BLOCK)
            .chain([list.len() - 1])
        {
            let d = list[i].0;
            t.extend([d.saturating_sub(1), d, d + 1, d + 2]);
        }
        t.push(list[list.len() - 1].0 + 1000);
        t.extend(extra);
        t.sort_unstable();
        t
    }

    /// The bounds of the block of [`BLOCK`] postings that holds posting `i`, from the list and
    /// the document lengths.
    fn block_bound(
        list: &[(DocId, u32)],
        i: usize,
        len: &dyn Fn(DocId) -> u32,
    ) -> Option<BlockBound> {
        if i >= list.len() {
            return None;
        }
        let start = i / BLOCK * BLOCK;
        let block = &list[start..(start + BLOCK).min(list.len())];
        Some(BlockBound {
            max_tf: block.iter().map(|p| p.1).max().unwrap(),
            min_doc_len: block.iter().map(|p| len(p.0)).min().unwrap(),
        })
    }

    /// Checks `cursor` (on `list`, fresh) against a linear scan: `advance` to each of
    /// `targets` in turn, with a `next` after every `stride`th, and the block hooks all along
    /// (`len` gives document lengths).
    fn check(
        mut cursor: impl PostingCursor,
        list: &[(DocId, u32)],
        targets: &[DocId],
        stride: usize,
        len: &dyn Fn(DocId) -> u32,
    ) -> std::result::Result<(), TestCaseError> {
        let at = |i: usize| list.get(i).map_or((END, 0), |&p| p);
        prop_assert_eq!(cursor.len() as usize, list.len());
        let mut i = 0;
        for (n, &target) in targets.iter().enumerate() {
            cursor.advance(target);
            i = scan(list, i, target);
            prop_assert_eq!(
                (cursor.doc(), cursor.tf()),
                at(i),
                "advance({}) at {}",
                target,
                i
            );
            prop_assert_eq!(cursor.block_last_doc(), block_last(list, i));
            prop_assert_eq!(cursor.block_bound(), block_bound(list, i, len));
            if n % stride == 0 {
                cursor.next();
                i = (i + 1).min(list.len());
                prop_assert_eq!((cursor.doc(), cursor.tf()), at(i), "next at {}", i);
                prop_assert_eq!(cursor.block_last_doc(), block_last(list, i));
                prop_assert_eq!(cursor.block_bound(), block_bound(list, i, len));
            }
        }
        // Once at the end, it stays there.
        cursor.advance(END);
        cursor.next();
        prop_assert_eq!((cursor.doc(), cursor.block_last_doc()), (END, END));
        Ok(())
    }

    /// Checks `read_remaining` of `cursor` (on `list`, fresh) after an `advance` to `target`
    /// and a `next`: it appends exactly the rest of the list and leaves the cursor at the end.
    fn check_read_remaining(
        mut cursor: impl PostingCursor,
        list: &[(DocId, u32)],
        target: DocId,
    ) -> std::result::Result<(), TestCaseError> {
        cursor.advance(target);
        cursor.next();
        let i = (scan(list, 0, target) + 1).min(list.len());
        let (mut docs, mut tfs) = (vec![7], vec![7]);
        cursor.read_remaining(&mut docs, &mut tfs);
        let rest: Vec<(DocId, u32)> = docs.into_iter().zip(tfs).skip(1).collect();
        prop_assert_eq!(
            &rest[..],
            &list[i..],
            "read_remaining after advance({})",
            target
        );
        prop_assert_eq!((cursor.doc(), cursor.block_last_doc()), (END, END));
        Ok(())
    }

    /// A postings list of `len` postings from gaps and frequencies (cycled).
    fn list(len: usize, first: DocId, gaps: &[u32], tfs: &[u32]) -> Vec<(DocId, u32)> {
        let mut doc = first;
        (0..len)
            .map(|i| {
                if i > 0 {
                    doc += gaps[i % gaps.len()];
                }
                (doc, tfs[i % tfs.len()])
            })
            .collect()
    }

    fn length() -> impl Strategy<Value = usize> {
        prop_oneof![
            Just(1usize),
            Just(127),
            Just(128),
            Just(129),
            Just(255),
            Just(256),
            Just(257),
            Just(384),
            Just(385),
            1usize..700,
        ]
    }

    fn gap() -> impl Strategy<Value = u32> {
        prop_oneof![9 => 1u32..4, 1 => 1u32..3000]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// `advance` (next_geq), `next` and the block hooks of the disk and in-memory cursors
        /// agree with a linear scan, on lists around block boundaries, at targets on and around
        /// every block's last document and past the end, from fresh cursors and from cursors
        /// already moved.
        #[test]
        fn cursors_equal_a_linear_scan(
            lists in proptest::collection::vec(
                (length(), 0u32..3, proptest::collection::vec(gap(), 1..64),
                 proptest::collection::vec(prop_oneof![1u32..4, 1u32..400], 1..16)),
                1..4,
            ),
            extra in proptest::collection::vec(0u32..200_000, 0..40),
            stride in 1usize..6,
        ) {
            let lists: Vec<Vec<(DocId, u32)>> = lists
                .iter()
                .map(|(len, first, gaps, tfs)| list(*len, *first, gaps, tfs))
                .collect();
            let documents = lists.iter().map(|l| l[l.len() - 1].0 + 1).max().unwrap_or(0) + 5;
            let mem = InMemoryIndex::from_postings(&lists, documents);
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("idx");
            disk::write(&mem, &path, serde_json::json!({}), serde_json::json!({})).unwrap();
            let on_disk = disk::DiskIndex::open(&path).unwrap();
            for (t, list) in lists.iter().enumerate() {
                let id = TermId(t as u32);
                prop_assert_eq!(&postings(mem.cursor(id)), list);
                prop_assert_eq!(&postings(on_disk.cursor(id)), list);
                let targets = targets(list, &extra);
                let len = |d: DocId| mem.doc_len(d);
                check(mem.cursor(id), list, &targets, stride, &len)?;
                check(on_disk.cursor(id), list, &targets, stride, &len)?;
                for &target in targets.iter().step_by(stride) {
                    check_read_remaining(mem.cursor(id), list, target)?;
                    check_read_remaining(on_disk.cursor(id), list, target)?;
                }
                for &target in &targets {
                    let i = scan(list, 0, target);
                    let want = (list.get(i).map_or(END, |p| p.0), block_last(list, i));
                    let mut m = mem.cursor(id);
                    m.advance(target);
                    prop_assert_eq!((m.doc(), m.block_last_doc()), want, "memory, fresh advance({})", target);
                    let mut d = on_disk.cursor(id);
                    d.advance(target);
                    prop_assert_eq!((d.doc(), d.block_last_doc()), want, "disk, fresh advance({})", target);
                }
            }
        }
    }
}
