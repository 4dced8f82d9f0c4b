//! `irexp merge CONFIG`: the shards' lists merged per topic into the runs one machine would
//! rank, then evaluated, compared and written by the stages of `irexp run`; for RM3, first the
//! queries expanded once from the merged first round.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::lists::{self, Hit};
use super::{collection_key, has_keyed, names, rankers, Layout, ShardId};
use crate::analysis::Analyzer;
use crate::config::Experiment;
use crate::corpus::ReadStats;
use crate::error::{DisplayPath, Error, Location, Result};
use crate::experiment::{self, IndexKey, InputFile, Inputs, Opened, Report};
use crate::hash::{FastMap, FastSet};
use crate::index::CollectionStats;
use crate::progress::Progress;
use crate::rank::{self, Model, RankerSpec, TieBreak};
use crate::run::{Run, RunDoc};
use crate::run_cache::{RunCache, RunKey};
use crate::topics::Topic;

/// The shards of a collection, ready to merge: what `irexp merge` ranks "on".
#[derive(Debug)]
pub struct Merger {
    layout: Layout,
    key: String,
    settings: IndexKey,
    stats: CollectionStats,
    corpus: ReadStats,
    /// The query tokens that are terms of the collection.
    known: FastSet<String>,
    options: crate::config::RunOptions,
}

impl Merger {
    /// The shards of `exp`'s collection in `layout`, with the statistics merged from their
    /// statistics files (every one must be there and belong to this collection).
    fn open(
        exp: &Experiment,
        layout: Layout,
        key: String,
        settings: IndexKey,
        inputs: &Inputs,
        analyzer: &Analyzer,
    ) -> Result<Merger> {
        let wanted: FastSet<String> = inputs
            .queries_text
            .iter()
            .flat_map(|q| analyzer.analyze(q))
            .collect();
        let mut known = FastSet::default();
        let merged = super::stats::merge(&layout, &key, None, |term, _, _, _| {
            if wanted.contains(term) {
                known.insert(term.to_string());
            }
            Ok(())
        })?;
        Ok(Merger {
            layout,
            key,
            settings,
            stats: merged.stats,
            corpus: merged.corpus(),
            known,
            options: exp.run,
        })
    }

    /// The collection's statistics.
    pub fn stats(&self) -> &CollectionStats {
        &self.stats
    }

    /// The shards' folder.
    pub fn dir(&self) -> &Path {
        self.layout.dir()
    }

    /// The collection's index key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// What the key is made of.
    pub fn settings(&self) -> &IndexKey {
        &self.settings
    }

    /// What reading the corpus counted, over every shard.
    pub fn corpus_stats(&self) -> &ReadStats {
        &self.corpus
    }

    /// Whether any of `tokens` (an analysed query) is a term of the collection.
    pub fn has_terms(&self, tokens: &[String]) -> bool {
        tokens.iter().any(|t| self.known.contains(t))
    }

    /// Every shard's lists of the ranking `key`, by shard; missing ones are an error naming
    /// the shards.
    fn read_all<T>(
        &self,
        ranker: &str,
        read: impl Fn(&Path) -> Result<Option<T>>,
        file: impl Fn(u32) -> PathBuf,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        let mut missing = Vec::new();
        for id in self.layout.ids() {
            match read(&file(id.index))? {
                Some(t) => out.push(t),
                None => missing.push(id),
            }
        }
        if !missing.is_empty() {
            return Err(missing_error(
                &self.layout,
                &BTreeMap::from([(ranker.to_string(), missing)]),
            ));
        }
        Ok(out)
    }

    /// `ranker`'s run, merged from every shard's list of the ranking `key`: per topic, the top
    /// `run.depth` of the union by the tie rule at the cut, then `run.remove_query` and the
    /// tie policy, as one machine ranks it. Topics without results are left out.
    pub fn merge(&self, ranker: &RankerSpec, key: &RunKey, topics: &[Topic]) -> Result<Run> {
        let run_key = key.hash();
        let shards = self.read_all(
            &ranker.name,
            |p| lists::read_lists(p, &run_key),
            |i| self.layout.list_file(&run_key, i),
        )?;
        let tie_break = rank::tie_break(self.options.ties);
        let topics = topics
            .iter()
            .map(|t| {
                let hits = union(&shards, &t.qid);
                let docs = top_k(hits, self.options.depth, tie_break)
                    .into_iter()
                    .map(|(docno, score)| RunDoc {
                        docno,
                        score: score as f64,
                    })
                    .collect();
                experiment::finish_topic(&t.qid, docs, &self.options)
            })
            .filter(|t| !t.docs.is_empty())
            .collect();
        Ok(Run {
            tag: ranker.name.clone(),
            topics,
        })
    }

    /// RM3's expansion for `ranker` (whose first round every shard has written): the first
    /// stage merged per topic to the top `fb_docs`, the relevance model estimated from those
    /// documents' vectors, and each query expanded once; written for the second round.
    fn expand(
        &self,
        name: &str,
        m: &rank::rm3::Rm3,
        run_key: &str,
        inputs: &Inputs,
        analyzer: &Analyzer,
    ) -> Result<()> {
        let shards = self.read_all(
            name,
            |p| lists::read_feedback(p, run_key),
            |i| self.layout.feedback_file(run_key, i),
        )?;
        let tie_break = rank::tie_break(self.options.ties);
        let mut topics = Vec::new();
        for (t, text) in inputs.topics.iter().zip(&inputs.queries_text) {
            let mut vectors: FastMap<String, Vec<(String, f32)>> = FastMap::default();
            let mut hits: Vec<Hit> = Vec::new();
            for shard in &shards {
                for (docno, score, vector) in shard.get(&t.qid).into_iter().flatten() {
                    hits.push((docno.clone(), *score));
                    vectors.insert(docno.clone(), vector.clone());
                }
            }
            let feedback: Vec<(Vec<(String, f32)>, f32)> = top_k(hits, m.fb_docs, tie_break)
                .into_iter()
                .map(|(docno, score)| (vectors.remove(&docno).unwrap_or_default(), score))
                .collect();
            let rm = m.relevance_model_of(feedback);
            topics.push((t.qid.as_str(), m.expansion(&analyzer.analyze(text), &rm)));
        }
        lists::write_expansion(&self.layout.expansion_file(run_key), run_key, &topics)
    }
}

/// Every shard's hits for topic `qid`.
fn union(shards: &[FastMap<String, Vec<Hit>>], qid: &str) -> Vec<Hit> {
    shards
        .iter()
        .flat_map(|s| s.get(qid).into_iter().flatten().cloned())
        .collect()
}

/// The best `k` of `hits` by score, ties by `tie_break` on the docnos (byte order), best
/// first: the cut each shard made, made once more over the union ([`rank::topk::TopK`] with
/// the docnos' ranks among these hits, which order them as the collection's ranks do).
fn top_k(hits: Vec<Hit>, k: usize, tie_break: TieBreak) -> Vec<Hit> {
    let mut order: Vec<u32> = (0..hits.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| {
        hits[a as usize]
            .0
            .as_bytes()
            .cmp(hits[b as usize].0.as_bytes())
    });
    let mut ranks = vec![0u32; hits.len()];
    for (r, &i) in order.iter().enumerate() {
        ranks[i as usize] = r as u32;
    }
    let mut top = rank::topk::TopK::new(k, tie_break);
    for (i, (_, score)) in hits.iter().enumerate() {
        top.push(i as u32, *score);
    }
    top.into_sorted(|i| ranks[i as usize])
        .into_iter()
        .map(|(i, _)| hits[i as usize].clone())
        .collect()
}

/// The error for lists that are not there: which shards, for which rankers, and what to run.
fn missing_error(layout: &Layout, missing: &BTreeMap<String, Vec<ShardId>>) -> Error {
    let mut all: Vec<ShardId> = missing.values().flatten().copied().collect();
    all.sort_by_key(|s| s.index);
    all.dedup();
    let detail: Vec<String> = missing
        .iter()
        .map(|(r, s)| format!("{r}: {}", names(s)))
        .collect();
    Error::Mismatch {
        path: DisplayPath(layout.dir().to_path_buf()),
        message: format!(
            "nothing merged: {} of {} have not ranked yet (a failed or cancelled task?) ({}); run `irexp run CONFIG --shard I/N` for {}, then merge again",
            names(&all),
            layout.shards(),
            detail.join("; "),
            if all.len() == 1 { "it" } else { "each" }
        ),
    }
}

/// What `irexp merge` did.
#[derive(Debug)]
pub enum MergeOutcome {
    /// Every run was merged; the output folder is published.
    Published(Box<Report>),
    /// RM3's queries were expanded from the merged first round: every shard ranks them next
    /// (`irexp run --shard` again), then `irexp merge` again.
    Expanded {
        /// The RM3 rankers expanded.
        rankers: Vec<String>,
        /// The shards' folder.
        dir: PathBuf,
    },
}

/// The shard counts with shards of the collection `key` in `index_cache`.
pub fn shard_counts(index_cache: &Path, key: &str) -> Vec<u32> {
    let prefix = format!("{}-of-", &key[..16]);
    let mut counts: Vec<u32> = std::fs::read_dir(index_cache.join(super::SHARDS_DIR))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.strip_prefix(&prefix)?.parse().ok())
        .collect();
    counts.sort_unstable();
    counts
}

/// `irexp merge CONFIG`: merges the shards' lists of every ranker (and sweep point) and
/// writes the output folder through the stages of [`experiment::execute`] (evaluation,
/// comparison, tuning, manifest); merged runs go into the run cache as ranked runs do. With
/// RM3 rankers whose first round is complete and second round not started, it expands their
/// queries instead and publishes nothing. `shards` is N, needed only when the index cache
/// holds shards of the collection in more than one count. Missing lists or statistics are an
/// error naming the shards, and nothing is published.
pub fn merge(
    exp: &Experiment,
    shards: Option<u32>,
    progress: &Progress,
    command: &[String],
) -> Result<MergeOutcome> {
    for (_, r) in rankers(exp) {
        super::check_shardable(exp, r)?;
    }
    super::check_derived(exp)?;
    let mut expanded = Vec::new();
    let mut dir = PathBuf::new();
    let report = experiment::execute_from(
        exp,
        progress,
        command,
        |exp: &Experiment,
         analyzer: &Analyzer,
         corpus_files: &[&InputFile],
         inputs: &Inputs,
         _: &Progress| {
            let (key, settings) = collection_key(exp, corpus_files)?;
            let n = match shards {
                Some(n) => n,
                None => match shard_counts(&exp.index_cache, &key)[..] {
                    [n] => n,
                    [] => {
                        return Err(Error::Mismatch {
                            path: DisplayPath(exp.index_cache.join(super::SHARDS_DIR)),
                            message: format!(
                                "no shards of this collection (index key {}…): run `irexp index CONFIG --shard I/N` and `irexp run CONFIG --shard I/N` for every shard first",
                                &key[..16]
                            ),
                        })
                    }
                    ref several => {
                        return Err(Error::config(
                            Location::arg("irexp merge"),
                            format!(
                                "the index cache holds shards of this collection in {} parts: say which with --shards N",
                                several
                                    .iter()
                                    .map(u32::to_string)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ))
                    }
                },
            };
            let layout = Layout::new(&exp.index_cache, &key, n);
            dir = layout.dir().to_path_buf();
            let merger = Merger::open(exp, layout, key, settings, inputs, analyzer)?;
            let texts = inputs.texts();
            let cache = RunCache::new(&exp.index_cache);
            let layout = &merger.layout;
            let mut missing: BTreeMap<String, Vec<ShardId>> = BTreeMap::new();
            for (name, ranker) in rankers(exp) {
                let key = experiment::run_key(exp, merger.key(), &texts, ranker);
                if cache.load(&key, &ranker.name)?.is_some() {
                    continue;
                }
                let h = key.hash();
                let lists_missing =
                    layout.missing(|i| has_keyed(&layout.list_file(&h, i), lists::LIST, &h))?;
                if lists_missing.is_empty() {
                    continue;
                }
                if let Model::Rm3(m) = &ranker.model {
                    let expansion = layout.expansion_file(&h);
                    if !has_keyed(&expansion, lists::EXPANSION, &h)? {
                        let feedback_missing = layout.missing(|i| {
                            has_keyed(&layout.feedback_file(&h, i), lists::FEEDBACK, &h)
                        })?;
                        if feedback_missing.is_empty() {
                            merger.expand(name, m, &h, inputs, analyzer)?;
                            expanded.push(name.to_string());
                        } else {
                            missing.insert(name.to_string(), feedback_missing);
                        }
                        continue;
                    }
                }
                missing.insert(name.to_string(), lists_missing);
            }
            if !missing.is_empty() {
                return Err(missing_error(layout, &missing));
            }
            if !expanded.is_empty() {
                return Ok(None);
            }
            Ok(Some(Opened::Shards(Box::new(merger))))
        },
    )?;
    Ok(match report {
        Some(report) => MergeOutcome::Published(Box::new(report)),
        None => MergeOutcome::Expanded {
            rankers: expanded,
            dir,
        },
    })
}
