//! `irexp run CONFIG --shard I/N`: ranks the topics on one shard with the collection's
//! statistics and writes its top k per topic (for RM3, the round that is due).

use rayon::prelude::*;

use super::lists::{self, Feedback, Hit};
use super::{collection_key, has_keyed, open_shard, rankers, Layout, ShardId, ShardReader};
use crate::analysis::Analyzer;
use crate::config::Experiment;
use crate::error::Result;
use crate::experiment::{self, InputFile};
use crate::progress::Progress;
use crate::rank::{self, rm3, Model, Query, Searcher};

/// What `irexp run --shard` did for each ranker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Ranked: the shard's top k per topic is written.
    Ranked,
    /// RM3's first round: the first stage's top documents with their feedback vectors.
    FirstRound,
    /// RM3's second round: the expanded queries ranked.
    SecondRound,
    /// The list was there already (nothing done).
    Done,
    /// RM3's first round was there already; `irexp merge` expands the queries next.
    AwaitingMerge,
}

impl Step {
    /// In words.
    pub fn describe(&self) -> &'static str {
        match self {
            Step::Ranked => "ranked",
            Step::FirstRound => "RM3 first round written (next: irexp merge, then this again)",
            Step::SecondRound => "RM3 second round ranked",
            Step::Done => "already there",
            Step::AwaitingMerge => {
                "RM3 first round already there; next: irexp merge expands the queries"
            }
        }
    }
}

/// What `irexp run --shard` did.
#[derive(Debug)]
pub struct ShardRun {
    /// Which shard.
    pub shard: ShardId,
    /// The shards' folder.
    pub dir: std::path::PathBuf,
    /// Each ranker's name and step, in config order (then sweep points).
    pub steps: Vec<(String, Step)>,
}

/// Ranks every ranker (and every sweep point) on shard `id`, with the statistics of every
/// shard's statistics file, writing what is missing: the shard's top `run.depth` per topic,
/// or for RM3 the round that is due. Lists already there are left as they are.
pub fn run_shard(exp: &Experiment, id: ShardId, progress: &Progress) -> Result<ShardRun> {
    for (_, r) in rankers(exp) {
        super::check_shardable(exp, r)?;
    }
    let inputs = experiment::read_inputs(exp, progress)?;
    let corpus_files: Vec<&InputFile> =
        inputs.files.iter().filter(|f| f.role == "corpus").collect();
    let (key, _) = collection_key(exp, &corpus_files)?;
    let layout = Layout::new(&exp.index_cache, &key, id.of);
    let (index, _) = open_shard(&layout, &key, id)?;
    let (reader, _) = ShardReader::open(&index, &layout, &key, id)?;
    let analyzer = exp.at_key("analyzer.stopwords", Analyzer::from_spec(&exp.analyzer))?;
    let queries: Vec<Query> = inputs
        .queries_text
        .iter()
        .map(|q| Query::parse(q, &analyzer, &reader))
        .collect();
    let texts = inputs.texts();
    let qids: Vec<&str> = inputs.topics.iter().map(|t| t.qid.as_str()).collect();
    let options = &exp.run;
    let tie_break = rank::tie_break(options.ties);
    let mut steps = Vec::new();
    for (name, ranker) in rankers(exp) {
        let run_key = experiment::run_key(exp, &key, &texts, ranker).hash();
        let list = layout.list_file(&run_key, id.index);
        if has_keyed(&list, lists::LIST, &run_key)? {
            steps.push((name.to_string(), Step::Done));
            continue;
        }
        let bar = progress.bar(&format!("shard {id}: {name}"), qids.len() as u64);
        let step = match &ranker.model {
            Model::Rm3(m) => {
                let expansion = layout.expansion_file(&run_key);
                let feedback = layout.feedback_file(&run_key, id.index);
                if let Some(expanded) = lists::read_expansion(&expansion, &run_key, &qids)? {
                    let hits: Vec<Vec<Hit>> = queries
                        .par_iter()
                        .zip(&expanded)
                        .map(|(q, terms)| {
                            let q = rm3::expanded_query(&reader, &q.tokens, terms);
                            let top = rank::rank(
                                &reader,
                                &m.first_stage,
                                &q,
                                options.depth,
                                tie_break,
                                options.retrieval,
                            );
                            bar.inc(1);
                            hits_of(&reader, top)
                        })
                        .collect();
                    lists::write_lists(&list, &run_key, &paired(&qids, hits))?;
                    Step::SecondRound
                } else if has_keyed(&feedback, lists::FEEDBACK, &run_key)? {
                    Step::AwaitingMerge
                } else {
                    let docs: Vec<Vec<Feedback>> = queries
                        .par_iter()
                        .map(|q| {
                            let top = rank::rank(
                                &reader,
                                &m.first_stage,
                                q,
                                m.fb_docs,
                                tie_break,
                                options.retrieval,
                            );
                            bar.inc(1);
                            top.into_iter()
                                .map(|(doc, score)| {
                                    (
                                        crate::index::IndexReader::docno(&reader, doc).to_string(),
                                        score,
                                        m.feedback_vector(&reader, doc),
                                    )
                                })
                                .collect()
                        })
                        .collect();
                    lists::write_feedback(&feedback, &run_key, &paired(&qids, docs))?;
                    Step::FirstRound
                }
            }
            model => {
                let searcher = Searcher::new(&reader, model, options.retrieval);
                let hits: Vec<Vec<Hit>> = queries
                    .par_iter()
                    .map(|q| {
                        let docs = searcher.search(q, options.depth, options.ties);
                        bar.inc(1);
                        docs.into_iter()
                            .map(|d| (d.docno, d.score as f32))
                            .collect()
                    })
                    .collect();
                lists::write_lists(&list, &run_key, &paired(&qids, hits))?;
                Step::Ranked
            }
        };
        bar.finish();
        steps.push((name.to_string(), step));
    }
    Ok(ShardRun {
        shard: id,
        dir: layout.dir().to_path_buf(),
        steps,
    })
}

/// Ranked (document, score) pairs as docnos and scores.
fn hits_of(reader: &ShardReader<'_>, top: Vec<(crate::index::DocId, f32)>) -> Vec<Hit> {
    top.into_iter()
        .map(|(doc, score)| {
            (
                crate::index::IndexReader::docno(reader, doc).to_string(),
                score,
            )
        })
        .collect()
}

fn paired<'a, T>(qids: &[&'a str], items: Vec<T>) -> Vec<(&'a str, T)> {
    qids.iter().copied().zip(items).collect()
}
