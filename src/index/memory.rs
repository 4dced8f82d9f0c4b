use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use super::{
    norms, BlockBound, CollectionStats, DocId, IndexReader, PostingCursor, TermId, TermInfo, BLOCK,
    END,
};
use crate::analysis::Analyzer;
use crate::corpus::Document;

/// An index held in memory.
#[derive(Debug, Clone, Default)]
pub struct InMemoryIndex {
    pub(super) docnos: Vec<String>,
    pub(super) doc_lens: Vec<u32>,
    pub(super) norms: Vec<u8>,
    pub(super) docno_ranks: Vec<u32>,
    lexicon: HashMap<String, TermId>,
    pub(super) terms: Vec<TermEntry>,
    /// The forward index: `doc_terms[doc_starts[d]..doc_starts[d + 1]]` is document d's vector.
    doc_starts: Vec<usize>,
    doc_terms: Vec<(TermId, u32)>,
    pub(super) stats: CollectionStats,
}

#[derive(Debug, Clone, Default)]
pub(super) struct TermEntry {
    pub(super) text: String,
    pub(super) cf: u64,
    pub(super) max_tf: u32,
    pub(super) min_doc_len: u32,
    pub(super) docs: Vec<DocId>,
    pub(super) tfs: Vec<u32>,
}

/// A document after analysis: its length and its distinct terms with their frequencies.
struct AnalysedDoc {
    docno: String,
    len: u32,
    counted: Vec<(String, u32)>,
}

/// Builds an [`InMemoryIndex`] from documents given in corpus order.
///
/// Documents are buffered and analysed a batch at a time in parallel; their terms are then
/// merged into the postings in document order, so ids never depend on scheduling.
#[derive(Debug)]
pub struct IndexBuilder {
    analyzer: Analyzer,
    pending: Vec<Document>,
    batch_size: usize,
    index: InMemoryIndex,
}

impl IndexBuilder {
    /// A builder that analyses documents with `analyzer`.
    pub fn new(analyzer: Analyzer) -> IndexBuilder {
        IndexBuilder {
            analyzer,
            pending: Vec::new(),
            batch_size: 4096,
            index: InMemoryIndex {
                doc_starts: vec![0],
                ..InMemoryIndex::default()
            },
        }
    }

    /// Adds one document; its id is the number of documents added before it.
    pub fn add(&mut self, doc: Document) {
        self.pending.push(doc);
        if self.pending.len() >= self.batch_size {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let analyzer = &self.analyzer;
        let analysed: Vec<AnalysedDoc> = std::mem::take(&mut self.pending)
            .into_par_iter()
            .map(|doc| {
                let mut terms: Vec<String> = Vec::new();
                analyzer.for_each_term(&doc.text, |t| terms.push(t.to_owned()));
                let len = terms.len() as u32;
                terms.sort_unstable();
                let mut counted: Vec<(String, u32)> = Vec::new();
                for t in terms {
                    match counted.last_mut() {
                        Some((last, n)) if *last == t => *n += 1,
                        _ => counted.push((t, 1)),
                    }
                }
                AnalysedDoc {
                    docno: doc.docno,
                    len,
                    counted,
                }
            })
            .collect();
        let index = &mut self.index;
        for AnalysedDoc {
            docno,
            len,
            counted,
        } in analysed
        {
            let doc = index.docnos.len() as DocId;
            index.docnos.push(docno);
            index.doc_lens.push(len);
            index.norms.push(norms::encode(len));
            index.stats.count_document(len);
            let first = index.doc_terms.len();
            for (term, tf) in counted {
                let next = TermId(index.terms.len() as u32);
                let id = match index.lexicon.get(&term) {
                    Some(&id) => id,
                    None => {
                        index.lexicon.insert(term.clone(), next);
                        index.terms.push(TermEntry {
                            text: term,
                            ..TermEntry::default()
                        });
                        next
                    }
                };
                let entry = &mut index.terms[id.0 as usize];
                entry.docs.push(doc);
                entry.tfs.push(tf);
                entry.cf += tf as u64;
                entry.max_tf = entry.max_tf.max(tf);
                entry.min_doc_len = if entry.docs.len() == 1 {
                    len
                } else {
                    entry.min_doc_len.min(len)
                };
                index.doc_terms.push((id, tf));
            }
            index.doc_terms[first..].sort_unstable();
            index.doc_starts.push(index.doc_terms.len());
        }
    }

    /// Finishes the index.
    pub fn build(mut self) -> InMemoryIndex {
        self.flush();
        let mut index = self.index;
        index.stats.terms = index.terms.len() as u32;
        index.docno_ranks = super::docno_ranks(&index.docnos);
        index
    }
}

impl InMemoryIndex {
    /// Every document's external id, indexed by [`DocId`].
    pub fn docnos(&self) -> &[String] {
        &self.docnos
    }
}

#[cfg(test)]
impl InMemoryIndex {
    /// An index of `documents` documents named `d0`, `d1`, ... whose terms `t0`, `t1`, ... have
    /// the postings `lists` (ascending documents below `documents`, frequencies at least 1);
    /// documents in no list are empty.
    pub(crate) fn from_postings(lists: &[Vec<(DocId, u32)>], documents: u32) -> InMemoryIndex {
        let n = documents as usize;
        let mut vectors: Vec<Vec<(TermId, u32)>> = vec![Vec::new(); n];
        let mut index = InMemoryIndex::default();
        for (t, list) in lists.iter().enumerate() {
            let id = TermId(t as u32);
            index.lexicon.insert(format!("t{t}"), id);
            for &(doc, tf) in list {
                vectors[doc as usize].push((id, tf));
            }
            index.terms.push(TermEntry {
                text: format!("t{t}"),
                docs: list.iter().map(|p| p.0).collect(),
                tfs: list.iter().map(|p| p.1).collect(),
                ..TermEntry::default()
            });
        }
        index.doc_starts.push(0);
        for (d, vector) in vectors.into_iter().enumerate() {
            let len = vector.iter().map(|p| p.1).sum::<u32>();
            index.docnos.push(format!("d{d}"));
            index.doc_lens.push(len);
            index.norms.push(norms::encode(len));
            index.stats.count_document(len);
            index.doc_terms.extend(vector);
            index.doc_starts.push(index.doc_terms.len());
        }
        for e in &mut index.terms {
            e.cf = e.tfs.iter().map(|&tf| u64::from(tf)).sum();
            e.max_tf = e.tfs.iter().copied().max().unwrap_or(0);
            e.min_doc_len = e
                .docs
                .iter()
                .map(|&d| index.doc_lens[d as usize])
                .min()
                .unwrap_or(0);
        }
        index.stats.terms = index.terms.len() as u32;
        index.docno_ranks = super::docno_ranks(&index.docnos);
        index
    }
}

impl IndexReader for InMemoryIndex {
    fn stats(&self) -> &CollectionStats {
        &self.stats
    }

    fn term(&self, term: &str) -> Option<TermInfo> {
        let id = *self.lexicon.get(term)?;
        Some(self.term_info(id))
    }

    fn term_info(&self, id: TermId) -> TermInfo {
        let e = &self.terms[id.0 as usize];
        TermInfo {
            id,
            df: e.docs.len() as u32,
            cf: e.cf,
            max_tf: e.max_tf,
            min_doc_len: e.min_doc_len,
        }
    }

    type Cursor<'a> = InMemoryCursor<'a>;

    fn cursor(&self, term: TermId) -> InMemoryCursor<'_> {
        let e = &self.terms[term.0 as usize];
        InMemoryCursor {
            docs: &e.docs,
            tfs: &e.tfs,
            doc_lens: &self.doc_lens,
            pos: 0,
        }
    }

    fn doc_len(&self, doc: DocId) -> u32 {
        self.doc_lens[doc as usize]
    }

    fn norm(&self, doc: DocId) -> u8 {
        self.norms[doc as usize]
    }

    fn docno(&self, doc: DocId) -> &str {
        &self.docnos[doc as usize]
    }

    fn docno_rank(&self, doc: DocId) -> u32 {
        self.docno_ranks[doc as usize]
    }

    fn doc_terms(&self, doc: DocId) -> Cow<'_, [(TermId, u32)]> {
        let d = doc as usize;
        Cow::Borrowed(&self.doc_terms[self.doc_starts[d]..self.doc_starts[d + 1]])
    }

    fn term_text(&self, term: TermId) -> &str {
        &self.terms[term.0 as usize].text
    }
}

/// A cursor over an in-memory postings list: a position in its two arrays. It reports the
/// list in blocks of [`BLOCK`] postings, with each block's bounds computed from the postings,
/// as the on-disk format stores them, so that both cursors behave alike.
#[derive(Debug, Clone)]
pub struct InMemoryCursor<'a> {
    docs: &'a [DocId],
    tfs: &'a [u32],
    doc_lens: &'a [u32],
    pos: usize,
}

impl PostingCursor for InMemoryCursor<'_> {
    #[inline]
    fn doc(&self) -> DocId {
        self.docs.get(self.pos).copied().unwrap_or(END)
    }

    #[inline]
    fn tf(&self) -> u32 {
        self.tfs.get(self.pos).copied().unwrap_or(0)
    }

    #[inline]
    fn next(&mut self) {
        self.pos = (self.pos + 1).min(self.docs.len());
    }

    /// Galloping (1, 2, 4, ... postings ahead), then a binary search in the last step, so short
    /// moves cost little. (The list is in memory: there is nothing to skip undecoded.)
    fn advance(&mut self, target: DocId) {
        let rest = &self.docs[self.pos..];
        if rest.first().is_none_or(|&d| d >= target) {
            return;
        }
        let mut hi = 1;
        while hi < rest.len() && rest[hi] < target {
            hi *= 2;
        }
        let lo = hi / 2;
        let hi = hi.min(rest.len());
        self.pos += lo + rest[lo..hi].partition_point(|&d| d < target);
    }

    fn read_remaining(&mut self, docs: &mut Vec<DocId>, tfs: &mut Vec<u32>) {
        docs.extend_from_slice(&self.docs[self.pos..]);
        tfs.extend_from_slice(&self.tfs[self.pos..]);
        self.pos = self.docs.len();
    }

    fn block_last_doc(&self) -> DocId {
        if self.pos >= self.docs.len() {
            return END;
        }
        let end = (self.pos / BLOCK + 1) * BLOCK;
        self.docs[end.min(self.docs.len()) - 1]
    }

    fn block_bound(&self) -> Option<BlockBound> {
        if self.pos >= self.docs.len() {
            return None;
        }
        let start = self.pos / BLOCK * BLOCK;
        let end = (start + BLOCK).min(self.docs.len());
        Some(BlockBound {
            max_tf: self.tfs[start..end].iter().copied().max().unwrap_or(0),
            min_doc_len: self.docs[start..end]
                .iter()
                .map(|&d| self.doc_lens[d as usize])
                .min()
                .unwrap_or(0),
        })
    }

    fn len(&self) -> u32 {
        self.docs.len() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;

    fn doc(docno: &str, text: &str) -> Document {
        Document {
            docno: docno.into(),
            text: text.into(),
            location: Location::file("x"),
            decoded_as_cp1252: false,
        }
    }

    #[test]
    fn postings_and_statistics_match_a_naive_count() {
        let mut b = IndexBuilder::new(Analyzer::anserini());
        b.batch_size = 2;
        b.add(doc("d1", "floods floods rivers"));
        b.add(doc("d2", "the of and"));
        b.add(doc("d3", "river flood barrier"));
        let idx = b.build();
        assert_eq!(idx.stats().documents, 3);
        assert_eq!(idx.stats().documents_with_terms, 2);
        assert_eq!(idx.stats().tokens, 6);
        let flood = idx.term("flood").unwrap();
        assert_eq!((flood.df, flood.cf), (2, 3));
        assert_eq!(
            super::super::postings(idx.cursor(flood.id)),
            [(0, 2), (2, 1)]
        );
        assert_eq!(idx.doc_len(1), 0);
        assert!(idx.term("the").is_none());
    }

    #[test]
    fn docno_ranks_follow_byte_order() {
        let mut b = IndexBuilder::new(Analyzer::anserini());
        for d in ["b", "10", "a", "9"] {
            b.add(doc(d, "x"));
        }
        let idx = b.build();
        let ranks: Vec<u32> = (0..4).map(|d| idx.docno_rank(d)).collect();
        assert_eq!(ranks, [3, 0, 2, 1]);
    }
}
