//! A shard read with the collection's statistics.

use std::borrow::Cow;

use super::stats::Merged;
use super::{damaged, Layout, ShardId};
use crate::error::Result;
use crate::index::disk::{DiskCursor, DiskIndex};
use crate::index::{CollectionStats, DocId, IndexReader, TermId, TermInfo};

/// A shard's index that answers as the whole collection's index would for scoring: the
/// collection's [`CollectionStats`], and every term's collection-wide df and cf. Postings,
/// lengths, norms, docnos and document vectors are the shard's own; so are the per-term
/// bounds (`max_tf`, `min_doc_len`), which hold for the shard's postings. Document ids are
/// the shard's ([`IndexReader::doc_ids`]).
#[derive(Debug)]
pub struct ShardReader<'a> {
    shard: &'a DiskIndex,
    stats: CollectionStats,
    /// The collection's (df, cf) of each of the shard's terms, by term id.
    global: Vec<(u32, u64)>,
}

impl<'a> ShardReader<'a> {
    /// Reads `shard` (shard `id` of `layout`, collection key `key`) with the statistics merged
    /// from every shard's statistics file.
    pub fn open(
        shard: &'a DiskIndex,
        layout: &Layout,
        key: &str,
        id: ShardId,
    ) -> Result<(ShardReader<'a>, Merged)> {
        let terms = shard.stats().terms as usize;
        let mut global = vec![(0u32, 0u64); terms];
        let mut seen = 0usize;
        let own_path = layout.stats_file(id.index);
        let merged = super::stats::merge(layout, key, Some(id.index), |term, df, cf, own| {
            if own {
                let id = super::term_id(shard, term).ok_or_else(|| {
                    damaged(
                        &own_path,
                        0,
                        format!("term {term:?} is not in the shard's index"),
                    )
                })?;
                global[id.0 as usize] = (df, cf);
                seen += 1;
            }
            Ok(())
        })?;
        if seen != terms {
            return Err(damaged(
                &own_path,
                0,
                format!("it lists {seen} terms, the shard's index has {terms}"),
            ));
        }
        Ok((
            ShardReader {
                shard,
                stats: merged.stats,
                global,
            },
            merged,
        ))
    }

    fn globalize(&self, info: TermInfo) -> TermInfo {
        let (df, cf) = self.global[info.id.0 as usize];
        TermInfo { df, cf, ..info }
    }
}

impl IndexReader for ShardReader<'_> {
    type Cursor<'b>
        = DiskCursor<'b>
    where
        Self: 'b;

    fn stats(&self) -> &CollectionStats {
        &self.stats
    }

    fn doc_ids(&self) -> u32 {
        self.shard.stats().documents
    }

    fn term(&self, term: &str) -> Option<TermInfo> {
        self.shard.term(term).map(|i| self.globalize(i))
    }

    fn cursor(&self, term: TermId) -> DiskCursor<'_> {
        self.shard.cursor(term)
    }

    fn doc_len(&self, doc: DocId) -> u32 {
        self.shard.doc_len(doc)
    }

    fn norm(&self, doc: DocId) -> u8 {
        self.shard.norm(doc)
    }

    fn docno(&self, doc: DocId) -> &str {
        self.shard.docno(doc)
    }

    fn docno_rank(&self, doc: DocId) -> u32 {
        // The shard's ranks order its docnos as the collection's ranks do, which is all a tie
        // rule compares.
        self.shard.docno_rank(doc)
    }

    fn doc_terms(&self, doc: DocId) -> Cow<'_, [(TermId, u32)]> {
        self.shard.doc_terms(doc)
    }

    fn term_text(&self, term: TermId) -> &str {
        self.shard.term_text(term)
    }

    fn term_info(&self, term: TermId) -> TermInfo {
        self.globalize(self.shard.term_info(term))
    }
}
