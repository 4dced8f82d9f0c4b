//! A shard's statistics file, and the collection's statistics merged from every shard's.
//!
//! ```text
//! irexp-shard-stats 1
//! {"collection_key": ..., "shard": ..., "part": ..., "stats": ..., "corpus": ...}
//! TERM<TAB>DF<TAB>CF          one line per term, in byte order of the terms
//! ```
//!
//! The second line is JSON: the collection's index key, which shard of how many, its part of
//! the corpus, its [`CollectionStats`] and what reading the corpus counted. The files are
//! small next to the index (a term and two numbers per distinct term) and merged in one
//! streaming pass, as a k-way merge of sorted lists: the collection's df and cf of a term are
//! the sums over the shards, its documents, documents with terms and tokens too.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt::Write as _;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{check_key, damaged, Layout, Part, ShardId, ShardKey};
use crate::corpus::ReadStats;
use crate::error::{Error, Location, Result};
use crate::index::disk::DiskIndex;
use crate::index::{CollectionStats, IndexReader, TermId};

/// The first line of a statistics file.
const MAGIC: &str = "irexp-shard-stats 1";

/// The second line of a statistics file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatsHeader {
    /// The collection's index key.
    pub collection_key: String,
    /// Which shard.
    pub shard: ShardId,
    /// Its part of the corpus.
    pub part: Part,
    /// The shard's statistics.
    pub stats: CollectionStats,
    /// What reading the corpus counted for this shard.
    pub corpus: ReadStats,
}

/// Writes the statistics file of the shard `index` (atomically).
pub fn write(path: &Path, index: &DiskIndex, key: &ShardKey) -> Result<()> {
    let corpus: ReadStats = serde_json::from_value(index.header().corpus.clone()).map_err(|e| {
        Error::input(
            Location::file(index.dir()),
            format!("damaged corpus counts in the index header: {e}"),
        )
    })?;
    let header = StatsHeader {
        collection_key: key.collection_key.clone(),
        shard: key.shard,
        part: key.part,
        stats: *index.stats(),
        corpus,
    };
    let mut order: Vec<TermId> = (0..index.stats().terms).map(TermId).collect();
    order.sort_unstable_by(|&a, &b| {
        index
            .term_text(a)
            .as_bytes()
            .cmp(index.term_text(b).as_bytes())
    });
    let mut text = String::with_capacity(order.len() * 24 + 512);
    text.push_str(MAGIC);
    text.push('\n');
    text.push_str(&serde_json::to_string(&header).map_err(|e| Error::io(path, e.into()))?);
    text.push('\n');
    for id in order {
        let term = index.term_text(id);
        super::check_field(term, "term", path)?;
        let info = index.term_info(id);
        let _ = writeln!(text, "{term}\t{}\t{}", info.df, info.cf);
    }
    crate::atomic::write(path, text.as_bytes())
}

/// One statistics file being read, a term at a time.
struct Cursor {
    path: PathBuf,
    lines: std::io::Lines<std::io::BufReader<std::fs::File>>,
    line: usize,
    /// The current term, its df and cf.
    current: Option<(String, u32, u64)>,
}

impl Cursor {
    /// Opens `path` and reads its header, checking that it is shard `want` of `key`.
    fn open(path: &Path, key: &str, want: ShardId) -> Result<(Cursor, StatsHeader)> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut lines = std::io::BufReader::with_capacity(1 << 20, file).lines();
        let mut next = |n: usize| -> Result<String> {
            match lines.next() {
                Some(Ok(l)) => Ok(l),
                Some(Err(e)) => Err(Error::io(path, e)),
                None => Err(damaged(path, n, "it ends before its header")),
            }
        };
        if next(1)? != MAGIC {
            return Err(damaged(
                path,
                1,
                format!("it does not start with {MAGIC:?}"),
            ));
        }
        let header: StatsHeader = serde_json::from_str(&next(2)?)
            .map_err(|e| damaged(path, 2, format!("its header is not valid ({e})")))?;
        check_key(
            &header.collection_key,
            header.shard,
            key,
            want,
            Location::file(path),
        )?;
        let mut cursor = Cursor {
            path: path.to_path_buf(),
            lines,
            line: 2,
            current: None,
        };
        cursor.advance()?;
        Ok((cursor, header))
    }

    /// Moves to the next term, checking that terms come in strictly ascending byte order.
    fn advance(&mut self) -> Result<()> {
        let previous = self.current.take();
        let Some(line) = self.lines.next() else {
            return Ok(());
        };
        let line = line.map_err(|e| Error::io(&self.path, e))?;
        self.line += 1;
        let mut fields = line.split('\t');
        let parsed = (|| {
            let term = fields.next()?;
            let df = fields.next()?.parse().ok()?;
            let cf = fields.next()?.parse().ok()?;
            fields.next().is_none().then(|| (term.to_string(), df, cf))
        })();
        let Some(entry) = parsed else {
            return Err(damaged(&self.path, self.line, "not TERM<TAB>DF<TAB>CF"));
        };
        if previous.is_some_and(|p| p.0.as_bytes() >= entry.0.as_bytes()) {
            return Err(damaged(&self.path, self.line, "terms out of byte order"));
        }
        self.current = Some(entry);
        Ok(())
    }
}

/// The collection's statistics, merged from every shard's statistics file.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The collection's statistics (`terms`: distinct terms over all shards).
    pub stats: CollectionStats,
    /// Every shard's header, in shard order.
    pub shards: Vec<StatsHeader>,
}

impl Merged {
    /// What reading the corpus counted, as one machine would have counted it: the sums over
    /// shards by files (files read in order, so the per-file counts and examples concatenate);
    /// for shards by documents, which each read the whole corpus, the first shard's counts.
    pub fn corpus(&self) -> ReadStats {
        let Some(first) = self.shards.first() else {
            return ReadStats::default();
        };
        if matches!(first.part, Part::Documents { .. }) {
            return first.corpus.clone();
        }
        let mut all = ReadStats {
            files: first.corpus.files,
            skipped_files: first.corpus.skipped_files.clone(),
            ..ReadStats::default()
        };
        for s in &self.shards {
            let c = &s.corpus;
            all.documents += c.documents;
            all.empty_documents += c.empty_documents;
            all.skipped_empty_documents += c.skipped_empty_documents;
            all.decoded_as_cp1252 += c.decoded_as_cp1252;
            all.per_file.extend(c.per_file.iter().cloned());
            all.skipped_documents += c.skipped_documents;
            all.skipped_examples
                .extend(c.skipped_examples.iter().cloned());
        }
        all
    }
}

/// Merges the statistics files of every shard of `layout` (collection key `key`). Each of the
/// collection's terms is passed to `each` once, in byte order, with its df and cf over the
/// collection and whether shard `own` (if any) has it. Missing files are an error naming the
/// shards; a file of another collection is refused naming its shard.
pub fn merge(
    layout: &Layout,
    key: &str,
    own: Option<u32>,
    mut each: impl FnMut(&str, u32, u64, bool) -> Result<()>,
) -> Result<Merged> {
    let missing = layout.missing(|i| Ok(layout.stats_file(i).is_file()))?;
    if !missing.is_empty() {
        return Err(Error::Mismatch {
            path: crate::error::DisplayPath(layout.dir().to_path_buf()),
            message: format!(
                "{} of {} not indexed yet (no statistics file; a failed or cancelled task?): run `irexp index CONFIG --shard I/N` for {}",
                super::names(&missing),
                layout.shards(),
                if missing.len() == 1 { "it" } else { "each" }
            ),
        });
    }
    let mut cursors = Vec::new();
    let mut shards = Vec::new();
    for id in layout.ids() {
        let (cursor, header) = Cursor::open(&layout.stats_file(id.index), key, id)?;
        cursors.push(cursor);
        shards.push(header);
    }
    let mut stats = CollectionStats::default();
    let overflow = |what: &str| {
        Error::input(
            Location::file(layout.dir()),
            format!("the collection's {what} overflow (more than a shard header can count)"),
        )
    };
    for s in &shards {
        stats.documents = stats
            .documents
            .checked_add(s.stats.documents)
            .ok_or_else(|| overflow("documents"))?;
        stats.documents_with_terms += s.stats.documents_with_terms;
        stats.tokens += s.stats.tokens;
    }
    // The smallest current term first; ties by shard.
    let mut heap: BinaryHeap<Reverse<(String, usize)>> = BinaryHeap::new();
    for (i, c) in cursors.iter_mut().enumerate() {
        if let Some((t, _, _)) = &c.current {
            heap.push(Reverse((t.clone(), i)));
        }
    }
    let own = own.map(|i| i as usize - 1);
    while let Some(Reverse((term, first))) = heap.pop() {
        let mut holders = vec![first];
        while heap.peek().is_some_and(|Reverse((t, _))| *t == term) {
            if let Some(Reverse((_, i))) = heap.pop() {
                holders.push(i);
            }
        }
        let (mut df, mut cf) = (0u32, 0u64);
        for &i in &holders {
            let c = &mut cursors[i];
            if let Some((_, d, f)) = c.current {
                df = df
                    .checked_add(d)
                    .ok_or_else(|| overflow("document frequencies"))?;
                cf += f;
            }
            c.advance()?;
            if let Some((t, _, _)) = &c.current {
                heap.push(Reverse((t.clone(), i)));
            }
        }
        stats.terms += 1;
        each(&term, df, cf, own.is_some_and(|o| holders.contains(&o)))?;
    }
    Ok(Merged { stats, shards })
}
