//! Document-partitioned shards: index, rank and merge a collection in N parts, on one machine
//! in sequence or as Slurm array jobs ([`slurm`]), with runs byte-identical to one machine's.
//!
//! ```text
//! irexp index CONFIG --shard I/N   shard I's index and statistics file        (N tasks)
//! irexp run   CONFIG --shard I/N   shard I's top k per topic, collection-wide statistics (N tasks)
//! irexp merge CONFIG               the merged runs, evaluated and written as `irexp run` writes them
//! ```
//!
//! **Partition** ([`Part`]): with at least N corpus files (in reading order), shard I of N
//! gets files `⌊(I−1)·F/N⌋ .. ⌊I·F/N⌋`; with fewer, it gets documents `⌊(I−1)·D/N⌋ ..
//! ⌊I·D/N⌋` of the D documents in corpus order (every shard then reads the whole corpus, and
//! counts it first). Document ids are local to a shard; docnos are the collection's.
//!
//! **Statistics.** Each shard writes a statistics file ([`stats`]): its documents, documents
//! with terms, tokens, and df and cf per term. A shard ranks through a [`ShardReader`], which
//! answers [`IndexReader::stats`] and every term's df and cf with the sums over all shards'
//! files, so every model scores each document exactly as on the single index (Lucene's
//! one-byte norms are per document and carry over). Query terms the shard lacks contribute
//! nothing to its documents, which is what they contribute on the single index.
//!
//! **Merge.** Shards return raw scores (float32), cut at k with the tie rule of the run's
//! tie policy ([`crate::rank::tie_break`]); the merge cuts the union at k with the same rule,
//! then applies `run.remove_query` and the tie policy once ([`crate::experiment`]'s
//! `finish_topic`, as one machine does), and hands the runs to the same evaluation, comparison
//! and output stages as `irexp run`.
//!
//! **RM3** needs a second round. The first `irexp run --shard` writes, per topic, the shard's
//! first-stage top `fb_docs` (which holds every document of the merged top `fb_docs` that the
//! shard owns) with each document's feedback vector, computed on the shard with the
//! collection's statistics. `irexp merge` then merges the first stage, expands each query once
//! ([`crate::rank::rm3::Rm3::expansion`]) and writes the expansions; a second `irexp run
//! --shard` ranks them, and a second `irexp merge` publishes the output.
//!
//! Everything lives in the index cache, in `shards/KEY16-of-N/` ([`Layout`]), where KEY16 is
//! the start of the collection's index key. Every file is written atomically and keyed
//! (index key or run key), so a failed or cancelled task leaves nothing that counts, and
//! running a command again does only what is missing. A shard's header carries the
//! collection's [`IndexKey`]; a shard of another corpus version or analyzer is refused,
//! naming it.

mod lists;
mod merge;
mod reader;
mod search;
pub mod slurm;

pub mod stats;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::analysis::Analyzer;
use crate::config::Experiment;
use crate::corpus::ReadStats;
use crate::error::{Error, Location, Result};
use crate::experiment::{self, IndexKey, InputFile};
use crate::index::disk::{self, DiskIndex};
use crate::index::{IndexReader, IndexWriter};
use crate::progress::Progress;

pub use merge::{merge, MergeOutcome, Merger};
pub use reader::ShardReader;
pub use search::{run_shard, ShardRun};

/// The folder of the index cache that holds every collection's shards.
pub const SHARDS_DIR: &str = "shards";

/// Shard `index` of `of` (1-based), as `--shard I/N` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardId {
    /// Which shard, from 1.
    pub index: u32,
    /// How many shards.
    pub of: u32,
}

impl FromStr for ShardId {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<ShardId, String> {
        let bad = || format!("{s:?} is not a shard: give I/N with 1 <= I <= N, e.g. 2/8");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, of): (u32, u32) = (
            i.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || index > of {
            return Err(bad());
        }
        Ok(ShardId { index, of })
    }
}

impl fmt::Display for ShardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.of)
    }
}

/// Which part of the corpus a shard holds ([`partition`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "by")]
pub enum Part {
    /// Corpus files `first..end` (positions in reading order).
    Files {
        /// The first file.
        first: usize,
        /// One past the last file.
        end: usize,
    },
    /// Documents `first..end` (positions in corpus order) of `of`.
    Documents {
        /// The first document.
        first: u64,
        /// One past the last document.
        end: u64,
        /// The corpus's documents.
        of: u64,
    },
}

/// The documented partition: by file when there are at least as many files as shards, else by
/// ranges of documents in corpus order (`documents` counts them; called only then).
pub fn partition(
    id: ShardId,
    files: usize,
    documents: impl FnOnce() -> Result<u64>,
) -> Result<Part> {
    let (i, n) = (u64::from(id.index - 1), u64::from(id.of));
    if files as u64 >= n {
        let f = files as u64;
        return Ok(Part::Files {
            first: (i * f / n) as usize,
            end: ((i + 1) * f / n) as usize,
        });
    }
    let d = documents()?;
    Ok(Part::Documents {
        first: i * d / n,
        end: (i + 1) * d / n,
        of: d,
    })
}

/// What a shard's index header holds as its settings: the collection's index key (and what it
/// is made of), and which part this is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardKey {
    /// The collection's index key: what one machine's index of the whole corpus would have.
    pub collection_key: String,
    /// What that key is made of.
    pub collection: IndexKey,
    /// Which shard.
    pub shard: ShardId,
    /// Its part of the corpus.
    pub part: Part,
}

/// Where the shards of one collection, in N parts, live: `INDEX_CACHE/shards/KEY16-of-N/`.
///
/// ```text
/// shard-I/                 shard I's index (a normal on-disk index)
/// shard-I.stats            its statistics file, written once the index is complete
/// lists/RUNKEY16/I.list    shard I's top k per topic for one ranking (run key)
/// lists/RUNKEY16/I.feedback  RM3's first round on shard I
/// lists/RUNKEY16/expansion   RM3's expanded queries, from the merged first round
/// ```
#[derive(Debug, Clone)]
pub struct Layout {
    dir: PathBuf,
    shards: u32,
}

impl Layout {
    /// The layout of the collection with index key `key` in `shards` parts.
    pub fn new(index_cache: &Path, key: &str, shards: u32) -> Layout {
        Layout {
            dir: index_cache
                .join(SHARDS_DIR)
                .join(format!("{}-of-{shards}", &key[..16])),
            shards,
        }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many shards.
    pub fn shards(&self) -> u32 {
        self.shards
    }

    /// Every shard id, in order.
    pub fn ids(&self) -> impl Iterator<Item = ShardId> {
        let of = self.shards;
        (1..=of).map(move |index| ShardId { index, of })
    }

    /// Shard `i`'s index folder.
    pub fn index_dir(&self, i: u32) -> PathBuf {
        self.dir.join(format!("shard-{i}"))
    }

    /// Shard `i`'s statistics file.
    pub fn stats_file(&self, i: u32) -> PathBuf {
        self.dir.join(format!("shard-{i}.stats"))
    }

    /// The folder of one ranking's lists.
    pub fn lists_dir(&self, run_key: &str) -> PathBuf {
        self.dir.join("lists").join(&run_key[..16])
    }

    /// Shard `i`'s top k per topic for the ranking `run_key`.
    pub fn list_file(&self, run_key: &str, i: u32) -> PathBuf {
        self.lists_dir(run_key).join(format!("{i}.list"))
    }

    /// Shard `i`'s RM3 first round for the ranking `run_key`.
    pub fn feedback_file(&self, run_key: &str, i: u32) -> PathBuf {
        self.lists_dir(run_key).join(format!("{i}.feedback"))
    }

    /// RM3's expanded queries for the ranking `run_key`.
    pub fn expansion_file(&self, run_key: &str) -> PathBuf {
        self.lists_dir(run_key).join("expansion")
    }

    /// The shards for which `has(i)` is false.
    pub fn missing(&self, has: impl Fn(u32) -> Result<bool>) -> Result<Vec<ShardId>> {
        let mut out = Vec::new();
        for id in self.ids() {
            if !has(id.index)? {
                out.push(id);
            }
        }
        Ok(out)
    }
}

/// The collection's index key and what it is made of, from the corpus files (hashed).
pub fn collection_key(exp: &Experiment, corpus_files: &[&InputFile]) -> Result<(String, IndexKey)> {
    let settings = IndexKey::of(exp, corpus_files)?;
    Ok((settings.hash(), settings))
}

/// `shards` as words: "shard 2/3" or "shards 1/3, 3/3".
pub fn names(shards: &[ShardId]) -> String {
    let list: Vec<String> = shards.iter().map(ShardId::to_string).collect();
    format!(
        "shard{} {}",
        if list.len() == 1 { "" } else { "s" },
        list.join(", ")
    )
}

/// What building (or finding) one shard gave.
#[derive(Debug)]
pub struct ShardBuilt {
    /// Which shard.
    pub shard: ShardId,
    /// Its index folder.
    pub dir: PathBuf,
    /// Its part of the corpus.
    pub part: Part,
    /// True when it was there already.
    pub reused: bool,
    /// Its documents, terms and tokens.
    pub stats: crate::index::CollectionStats,
}

/// `irexp index CONFIG --shard I/N`: builds shard `id`'s index and statistics file (or finds
/// them; `reindex` rebuilds).
pub fn index_shard(
    exp: &Experiment,
    analyzer: &Analyzer,
    id: ShardId,
    reindex: bool,
    progress: &Progress,
) -> Result<ShardBuilt> {
    let inputs = experiment::corpus_inputs(exp)?;
    let refs: Vec<&InputFile> = inputs.iter().collect();
    let (key, collection) = collection_key(exp, &refs)?;
    let layout = Layout::new(&exp.index_cache, &key, id.of);
    let dir = layout.index_dir(id.index);
    let stats_path = layout.stats_file(id.index);
    let complete = dir.join(disk::HEADER_FILE).is_file();
    if !reindex && complete && stats_path.is_file() {
        let header = disk::read_header(&dir)?;
        let shard_key = check_header(&header.settings, &key, id, &dir)?;
        crate::index::cache::touch(&dir);
        return Ok(ShardBuilt {
            shard: id,
            dir,
            part: shard_key.part,
            reused: true,
            stats: header.stats,
        });
    }
    if !reindex && complete {
        // The index was published but its task ended before the statistics file.
        let index = DiskIndex::open(&dir)?;
        let shard_key = check_header(&index.header().settings, &key, id, &dir)?;
        stats::write(&stats_path, &index, &shard_key)?;
        return Ok(ShardBuilt {
            shard: id,
            stats: *index.stats(),
            dir,
            part: shard_key.part,
            reused: true,
        });
    }
    if reindex {
        let _ = std::fs::remove_file(&stats_path);
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    }
    let part = partition(id, inputs.len(), || {
        progress.message(&format!(
            "{} corpus files for {} shards: partitioning by documents; counting them",
            inputs.len(),
            id.of
        ));
        let counted = exp.at_key("corpus.path", exp.corpus.for_each_document(|_| Ok(())))?;
        Ok(counted.documents as u64)
    })?;
    progress.message(&format!("shard {id}: {}", describe(&part)));
    let shard_key = ShardKey {
        collection_key: key,
        collection,
        shard: id,
        part,
    };
    let settings = serde_json::to_value(&shard_key).map_err(|e| Error::io(&dir, e.into()))?;
    let mut writer = IndexWriter::create(&dir, exp.index_memory_mb)?;
    let bar = progress.counter("indexing", "docs");
    let read = exp.at_key(
        "corpus.path",
        writer.index(
            analyzer,
            |sink| read_part(exp, &part, sink),
            |n| bar.set_position(n),
        ),
    )?;
    bar.finish();
    let corpus = serde_json::to_value(&read).map_err(|e| Error::io(&dir, e.into()))?;
    writer.finish(settings, corpus)?;
    let index = DiskIndex::open(&dir)?;
    stats::write(&stats_path, &index, &shard_key)?;
    crate::index::cache::touch(&dir);
    Ok(ShardBuilt {
        shard: id,
        stats: *index.stats(),
        dir,
        part,
        reused: false,
    })
}

/// Streams the documents of `part` to `sink`. Returns what reading counted: for a part by
/// documents, the whole corpus (every shard reads it all).
fn read_part(
    exp: &Experiment,
    part: &Part,
    sink: &mut dyn FnMut(crate::corpus::Document) -> Result<()>,
) -> Result<ReadStats> {
    match *part {
        Part::Files { first, end } => exp.corpus.for_each_document_in(first..end, sink),
        Part::Documents { first, end, of } => {
            let mut n = 0u64;
            let read = exp.corpus.for_each_document(|doc| {
                let at = n;
                n += 1;
                if (first..end).contains(&at) {
                    sink(doc)
                } else {
                    Ok(())
                }
            })?;
            if n != of {
                return Err(Error::input(
                    Location::file(&exp.corpus.path),
                    format!(
                        "the corpus gave {n} documents where it gave {of} when the shards were partitioned; did it change?"
                    ),
                ));
            }
            Ok(read)
        }
    }
}

/// `part` in words.
pub fn describe(part: &Part) -> String {
    match part {
        Part::Files { first, end } => format!("corpus files {} to {end}", first + 1),
        Part::Documents { first, end, of } => {
            format!("documents {} to {end} of {of}", first + 1)
        }
    }
}

/// Reads a shard's settings from its header and checks that it is shard `id` of the
/// collection whose key is `key`; otherwise an error naming the shard's folder.
pub fn check_header(
    settings: &serde_json::Value,
    key: &str,
    id: ShardId,
    dir: &Path,
) -> Result<ShardKey> {
    let at = Location::file(dir.join(disk::HEADER_FILE));
    let shard: ShardKey = serde_json::from_value(settings.clone()).map_err(|e| {
        Error::input(
            at.clone(),
            format!("shard {id}: not the header of a shard ({e})"),
        )
    })?;
    check_key(&shard.collection_key, shard.shard, key, id, at)?;
    Ok(shard)
}

/// Checks that a shard file belongs to shard `want` of the collection whose key is `key`.
pub(crate) fn check_key(
    found_key: &str,
    found: ShardId,
    key: &str,
    want: ShardId,
    at: Location,
) -> Result<()> {
    if found_key != key {
        return Err(Error::input(
            at,
            format!(
                "shard {want} was built from another corpus version or other analyzer or corpus settings (collection index key {}…, this config's is {}…); rebuild it with `irexp index CONFIG --shard {want} --reindex`",
                &found_key[..found_key.len().min(16)],
                &key[..16]
            ),
        ));
    }
    if found != want {
        return Err(Error::input(
            at,
            format!("this is shard {found}, not shard {want}"),
        ));
    }
    Ok(())
}

/// Checks that no field of a shard file holds a tab or a line break (they separate fields).
pub(crate) fn check_field(field: &str, what: &str, path: &Path) -> Result<()> {
    if field.contains(['\t', '\n', '\r']) {
        return Err(Error::input(
            Location::file(path),
            format!("{what} {field:?} holds a tab or a line break, which shard files cannot hold"),
        ));
    }
    Ok(())
}

/// Writes a shard file: a first line naming its kind and key, then `body` (atomically).
pub(crate) fn write_keyed(path: &Path, kind: &str, key: &str, body: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut text = format!("irexp-{kind} {key}\n");
    text.push_str(body);
    crate::atomic::write(path, text.as_bytes())
}

/// The body of the shard file at `path` if it is there with this kind and key (`None` if it is
/// missing, or keyed otherwise: written for another ranking, it does not count).
pub(crate) fn read_keyed(path: &Path, kind: &str, key: &str) -> Result<Option<String>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    let (first, body) = text.split_once('\n').unwrap_or((&text, ""));
    if first != format!("irexp-{kind} {key}") {
        return Ok(None);
    }
    Ok(Some(body.to_string()))
}

/// Whether the shard file at `path` is there with this kind and key.
pub(crate) fn has_keyed(path: &Path, kind: &str, key: &str) -> Result<bool> {
    Ok(read_keyed(path, kind, key)?.is_some())
}

/// A damaged shard file.
pub(crate) fn damaged(path: &Path, line: usize, what: impl fmt::Display) -> Error {
    Error::input(
        Location::line(path, line),
        format!("damaged shard file: {what}; remove it and run its shard again"),
    )
}

/// Opens shard `id`'s index of the collection `key` (refusing another collection's).
pub(crate) fn open_shard(layout: &Layout, key: &str, id: ShardId) -> Result<(DiskIndex, ShardKey)> {
    let dir = layout.index_dir(id.index);
    if !dir.join(disk::HEADER_FILE).is_file() {
        return Err(Error::Mismatch {
            path: crate::error::DisplayPath(dir),
            message: format!(
                "shard {id} is not indexed: run `irexp index CONFIG --shard {id}` first"
            ),
        });
    }
    let index = DiskIndex::open(&dir)?;
    let shard = check_header(&index.header().settings, key, id, &dir)?;
    Ok((index, shard))
}

/// Every ranker a shard ranks, with the name it is shown by: the config's, then every swept
/// ranker's grid points (`RANKER[k1=0.9]`).
pub(crate) fn rankers(exp: &Experiment) -> Vec<(&str, &crate::rank::RankerSpec)> {
    exp.rankers
        .iter()
        .map(|r| (r.name.as_str(), r))
        .chain(
            exp.sweeps
                .iter()
                .flat_map(|s| s.points.iter().map(|p| (p.name.as_str(), &p.ranker))),
        )
        .collect()
}

/// The error for a `[[rerank]]` in a sharded experiment: it re-scores candidates over one
/// whole index.
pub(crate) fn no_rerank(spec: &crate::config::RerankSpec) -> Error {
    Error::config(
        spec.location.clone(),
        format!(
            "rerank {}: re-ranking scores candidates on one whole index and does not run on merged shards; rank it with irexp run, or leave it out of the sharded config",
            spec.name
        ),
    )
}

/// Refuses rankers that cannot take collection-wide statistics, and `[[rerank]]`.
pub(crate) fn check_derived(exp: &Experiment) -> Result<()> {
    for d in &exp.derived {
        if let crate::config::Derived::Rerank(spec) = d {
            return Err(no_rerank(spec));
        }
    }
    Ok(())
}

/// Refuses rankers that cannot take collection-wide statistics.
pub(crate) fn check_shardable(exp: &Experiment, ranker: &crate::rank::RankerSpec) -> Result<()> {
    if matches!(ranker.model, crate::rank::Model::Bm25Crate(_)) {
        return Err(Error::config(
            Location::file(&exp.config_path),
            format!(
                "ranker {}: the bm25 crate builds its scorer from one index's documents and cannot rank a shard with the collection's statistics; leave it out of sharded runs (--ranker)",
                ranker.name
            ),
        ));
    }
    Ok(())
}

/// The index of the term `text` if `index` has it (to map a statistics file to term ids).
pub(crate) fn term_id(index: &impl IndexReader, text: &str) -> Option<crate::index::TermId> {
    index.term(text).map(|t| t.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_ids_parse_from_one() {
        assert_eq!("2/7".parse::<ShardId>(), Ok(ShardId { index: 2, of: 7 }));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/2"] {
            assert!(bad.parse::<ShardId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn partition_is_by_file_with_enough_files_else_by_documents() {
        let parts = |files, docs, n| -> Vec<Part> {
            (1..=n)
                .map(|index| partition(ShardId { index, of: n }, files, || Ok(docs)).unwrap())
                .collect()
        };
        assert_eq!(
            parts(5, 0, 2),
            [
                Part::Files { first: 0, end: 2 },
                Part::Files { first: 2, end: 5 }
            ]
        );
        let by_docs = parts(1, 10, 3);
        assert_eq!(
            by_docs,
            [
                Part::Documents {
                    first: 0,
                    end: 3,
                    of: 10
                },
                Part::Documents {
                    first: 3,
                    end: 6,
                    of: 10
                },
                Part::Documents {
                    first: 6,
                    end: 10,
                    of: 10
                }
            ]
        );
        // Every file or document is in exactly one part, in order.
        for n in 1..=9u32 {
            for files in [n as usize, n as usize + 3, 40] {
                let mut next = 0;
                for p in parts(files, 0, n) {
                    let Part::Files { first, end } = p else {
                        panic!()
                    };
                    assert_eq!(first, next);
                    assert!(end > first, "no empty file part");
                    next = end;
                }
                assert_eq!(next, files);
            }
        }
    }
}
