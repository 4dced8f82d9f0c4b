//! Orchestration: Experiment → Index → Runs → Evaluations → Report.
//!
//! [`execute`] reads and checks every input before the long work, and publishes the output
//! folder as a whole (see [`crate::outdir`]), so a failure never leaves a partial or mixed
//! output behind.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::analysis::Analyzer;
use crate::atomic;
use crate::config::Experiment;
use crate::corpus::ReadStats;
use crate::error::{Error, EvalErrorKind, Location, Result};
use crate::eval::{EvalOptions, Evaluation, Evaluator};
use crate::index::disk::DiskIndex;
use crate::index::{CollectionStats, InMemoryIndex, IndexBuilder, IndexReader, IndexWriter};
use crate::manifest::{IndexRecord, Manifest, Timings, BUILD};
use crate::outdir::{Staging, MANIFEST};
use crate::progress::Progress;
use crate::qrels::Qrels;
use crate::rank::{Query, Searcher};
use crate::run::{Run, RunTopic};
use crate::run_cache::{RunCache, RunKey};
use crate::topics::{self, Topic};

mod fusion;
mod rerank;
mod sweep;
pub use sweep::SweepOutcome;

/// What one ranker produced.
#[derive(Debug, Clone)]
pub struct RankerOutcome {
    /// The ranker's name.
    pub name: String,
    /// The run as written.
    pub run: Run,
    /// Where the run was written.
    pub run_path: PathBuf,
    /// The evaluation, when the experiment has qrels.
    pub evaluation: Option<Evaluation>,
    /// Seconds spent retrieving.
    pub search_seconds: f64,
}

/// Everything an experiment produced.
#[derive(Debug, Clone)]
pub struct Report {
    /// The experiment's name.
    pub name: String,
    /// The output folder.
    pub output: PathBuf,
    /// Counts from reading the corpus.
    pub corpus: ReadStats,
    /// Index statistics.
    pub index: CollectionStats,
    /// Topics whose query text is empty (they get no results).
    pub topics_empty: Vec<String>,
    /// Topics whose query has no term in the index (they get no results).
    pub topics_without_terms: Vec<String>,
    /// One outcome per ranker, in config order, then each `[[tune]]`'s `RANKER.cv`.
    pub rankers: Vec<RankerOutcome>,
    /// One outcome per swept ranker, in config order.
    pub sweeps: Vec<SweepOutcome>,
    /// The comparisons of `[compare]`, one per baseline, and the folder each was written to.
    pub comparisons: Vec<(crate::compare::Report, PathBuf)>,
}

pub use crate::manifest::InputFile;

/// Runs the whole experiment and publishes its outputs as `exp.output`.
///
/// The stages, each a function: lock the output folder and check that it may be replaced
/// ([`Staging::begin`]) → read and check every input ([`read_inputs`]) → open or build the
/// index ([`open_or_build_index`]) → rank every ranker and evaluate every run once
/// ([`rank_and_evaluate`]) → make and evaluate every `[[fusion]]` and `[[rerank]]` run
/// (`fusion::add_derived`)
/// → compare ([`compare_rankers`]) → write everything into the staging folder, the
/// manifest last, and publish it in one rename ([`write_outputs`]).
/// Whatever fails, and whenever the process dies, the output folder is the previous
/// complete result or the new one. `command` is the command line, recorded in the manifest.
pub fn execute(
    exp: &Experiment,
    reindex: bool,
    progress: &Progress,
    command: &[String],
) -> Result<Report> {
    let report = execute_from(
        exp,
        progress,
        command,
        |exp, analyzer, corpus_files, _, progress| {
            open_or_build_index(exp, analyzer, corpus_files, reindex, progress)
                .map(|o| Some(Opened::One(Box::new(o))))
        },
    )?;
    Ok(report.expect("the index stage of `execute` always opens an index"))
}

/// [`execute`] with the index stage given: `open` opens or builds the index the runs come
/// from (one index, or the shards whose lists `irexp merge` merges, [`crate::shard`]); every
/// other stage is the same. When `open` returns `None` (RM3's queries expanded, the shards'
/// second round due), nothing is written and this returns `None`.
pub(crate) fn execute_from(
    exp: &Experiment,
    progress: &Progress,
    command: &[String],
    open: impl FnOnce(
        &Experiment,
        &Analyzer,
        &[&InputFile],
        &Inputs,
        &Progress,
    ) -> Result<Option<Opened>>,
) -> Result<Option<Report>> {
    let started = Instant::now();
    let started_utc = crate::manifest::utc_now();
    let staging = Staging::begin(
        &exp.output,
        &exp.origin("experiment.output"),
        &command.join(" "),
    )?;
    let inputs = read_inputs(exp, progress)?;
    let evaluator = match &inputs.qrels {
        Some(q) => Some(Evaluator::new(
            q,
            &inputs.measures,
            inputs.eval_options.clone(),
        )?),
        None => None,
    };

    let t_index = Instant::now();
    let analyzer = exp.at_key("analyzer.stopwords", Analyzer::from_spec(&exp.analyzer))?;
    let corpus_files: Vec<&InputFile> =
        inputs.files.iter().filter(|i| i.role == "corpus").collect();
    let Some(opened) = open(exp, &analyzer, &corpus_files, &inputs, progress)? else {
        return Ok(None);
    };
    let index_seconds = t_index.elapsed().as_secs_f64();
    let stats = opened.stats();
    progress.message(&format!(
        "{} {} ({} documents, {} terms, {} tokens) in {:.2}s",
        match &opened {
            Opened::One(o) if o.reused => "reused index",
            Opened::One(_) => "built index",
            Opened::Shards(_) => "merging the shards of",
        },
        opened.dir().display(),
        stats.documents,
        stats.terms,
        stats.tokens,
        index_seconds
    ));

    let mut ranked = rank_and_evaluate(
        exp,
        &inputs,
        &analyzer,
        &opened,
        evaluator.as_ref(),
        staging.dir(),
        progress,
    )?;
    fusion::add_derived(
        exp,
        &inputs,
        &analyzer,
        match &opened {
            Opened::One(o) => Some(&o.index),
            Opened::Shards(_) => None,
        },
        evaluator.as_ref(),
        &mut ranked,
        progress,
    )?;
    let comparisons = match (&exp.compare, &inputs.qrels) {
        (Some(spec), Some(q)) => compare_rankers(exp, spec, q, &ranked.systems)?,
        _ => Vec::new(),
    };
    let timings = Timings {
        index: index_seconds,
        search: ranked
            .outcomes
            .iter()
            .map(|r| (r.name.clone(), r.search_seconds))
            .collect(),
        total: 0.0,
    };
    let record = Record {
        command,
        started_utc,
        started,
        timings,
    };
    write_outputs(
        exp,
        staging,
        &inputs,
        &opened,
        &ranked,
        &comparisons,
        record,
    )
    .map_err(|e| match e {
        Error::Io { .. } => Error::Context {
            location: Location::file(&exp.output),
            what: "writing the output folder failed; it is unchanged".into(),
            inner: Box::new(e),
        },
        other => other,
    })?;
    Ok(Some(Report {
        name: exp.name.clone(),
        output: exp.output.clone(),
        corpus: opened.corpus_stats().clone(),
        index: opened.stats(),
        topics_empty: inputs.topics_empty,
        topics_without_terms: ranked.topics_without_terms,
        rankers: ranked.outcomes,
        sweeps: ranked.sweeps,
        comparisons: comparisons
            .into_iter()
            .map(|(r, b)| (r, exp.output.join("compare").join(b)))
            .collect(),
    }))
}

/// Every input, read and checked: what the long work starts from.
#[derive(Debug)]
pub struct Inputs {
    /// The topics, in file order.
    pub topics: Vec<Topic>,
    /// Each topic's query text (the configured field).
    pub queries_text: Vec<String>,
    /// Topics whose query text is empty.
    pub topics_empty: Vec<String>,
    /// Topics of the topics file that `topics.subset` leaves out.
    pub subset_excluded: Vec<String>,
    /// The qrels, when the experiment has them.
    pub qrels: Option<Qrels>,
    /// How topics and qrels differ, when there are qrels.
    pub topic_mismatch: Option<TopicMismatch>,
    /// Every measure eval and compare need: each run is evaluated once with these.
    pub measures: Vec<crate::eval::Measure>,
    /// The experiment's evaluation options.
    pub eval_options: EvalOptions,
    /// The config, corpus, topics and qrels files, with sizes and checksums.
    pub files: Vec<InputFile>,
}

impl Inputs {
    /// `(qid, query text)` of every topic, in topic order (what a run key holds of them).
    pub fn texts(&self) -> Vec<(&str, &str)> {
        self.topics
            .iter()
            .zip(&self.queries_text)
            .map(|(t, q)| (t.qid.as_str(), q.as_str()))
            .collect()
    }
}

/// Stage 1: reads and checks the topics and qrels, decides the measures, and hashes every
/// input file, so that bad input is found before the long work. Empty topics are warned
/// about (all empty is an error), and so are topics and qrels that differ (no topic in
/// common is an error naming the qrels).
pub fn read_inputs(exp: &Experiment, progress: &Progress) -> Result<Inputs> {
    let mut topics = exp.at_key(
        "topics.path",
        topics::read(&exp.topics.path, exp.topics.format, exp.topics.numbering),
    )?;
    let mut subset_excluded = Vec::new();
    if let Some(path) = &exp.topics.subset {
        let keep = exp.at_key("topics.subset", read_subset(path, &topics))?;
        let (kept, left): (Vec<Topic>, Vec<Topic>) =
            topics.into_iter().partition(|t| keep.contains(&t.qid));
        progress.message(&format!(
            "topics.subset: {} of {} topics ({})",
            kept.len(),
            kept.len() + left.len(),
            path.display()
        ));
        subset_excluded = left.into_iter().map(|t| t.qid).collect();
        topics = kept;
    }
    let queries_text: Vec<String> = topics.iter().map(|t| t.query(exp.topics.field)).collect();
    let topics_empty: Vec<String> = topics
        .iter()
        .zip(&queries_text)
        .filter(|(_, q)| q.trim().is_empty())
        .map(|(t, _)| t.qid.clone())
        .collect();
    if topics_empty.len() == topics.len() {
        return Err(Error::input(
            Location::file(&exp.topics.path),
            format!(
                "every topic has an empty {} (topics.field = {:?})",
                exp.topics.field.name(),
                exp.topics.field.name()
            ),
        ));
    }
    if !topics_empty.is_empty() {
        progress.message(&format!(
            "warning: {} topics have an empty {} and get no results: {}",
            topics_empty.len(),
            exp.topics.field.name(),
            topics_empty.join(" ")
        ));
    }
    let qrels = match &exp.qrels {
        Some(q) => Some(exp.at_key("qrels.path", Qrels::read_format(&q.path, q.format))?),
        None => None,
    };
    let topic_mismatch = qrels.as_ref().map(|q| TopicMismatch::of(&topics, q));
    if let (Some(m), Some(spec)) = (&topic_mismatch, &exp.qrels) {
        if m.topics_without_qrels.len() == topics.len() {
            return Err(Error::input(
                Location::file(&spec.path),
                format!(
                    "no topic of {} is judged in these qrels (topic ids such as {} against {}); are they the same collection's?",
                    exp.topics.path.display(),
                    topics.first().map_or("", |t| t.qid.as_str()),
                    q_first(qrels.as_ref()),
                ),
            ));
        }
        if !m.is_empty() {
            progress.message(&m.warning(exp.complete));
        }
    }
    // Every run is evaluated once, under the experiment's options, with every measure that
    // eval and compare need; `.eval` files and eval.json show the experiment's measures.
    let mut measures = exp.measures.clone();
    if let Some(spec) = &exp.compare {
        for m in spec
            .options
            .measures
            .iter()
            .cloned()
            .chain(crate::compare::iprec_measures())
        {
            if !measures.contains(&m) {
                measures.push(m);
            }
        }
    }
    for t in &exp.tunes {
        if !measures.contains(&t.measure) {
            measures.push(t.measure.clone());
        }
    }
    let mut files = vec![hash_file("config", &exp.config_path)?];
    files.extend(corpus_inputs(exp)?);
    files.push(exp.at_key("topics.path", hash_file("topics", &exp.topics.path))?);
    if let Some(q) = &exp.qrels {
        files.push(exp.at_key("qrels.path", hash_file("qrels", &q.path))?);
    }
    if let Some(p) = &exp.topics.subset {
        files.push(exp.at_key("topics.subset", hash_file("topics_subset", p))?);
    }
    for t in &exp.tunes {
        if let crate::config::FoldsSpec::File(p) = &t.folds {
            files.push(hash_file("folds", p)?);
        }
    }
    Ok(Inputs {
        topics,
        queries_text,
        topics_empty,
        subset_excluded,
        qrels,
        topic_mismatch,
        measures,
        eval_options: EvalOptions {
            complete: exp.complete,
            ..EvalOptions::default()
        },
        files,
    })
}

/// What ranking and evaluating every ranker gave.
#[derive(Debug)]
pub struct Ranked {
    /// One outcome per ranker, in config order, then each `[[tune]]`'s `RANKER.cv`
    /// (evaluations with the experiment's measures).
    pub outcomes: Vec<RankerOutcome>,
    /// Each outcome's evaluation with every measure (what `[compare]` compares).
    pub systems: Vec<crate::compare::System>,
    /// Topics whose query has no term in the index (empty topics aside).
    pub topics_without_terms: Vec<String>,
    /// One outcome per swept ranker.
    pub sweeps: Vec<SweepOutcome>,
    /// Every run and whether it came from the run cache, for the manifest.
    pub run_cache: Vec<crate::manifest::RunCacheRecord>,
}

/// A run's place in the run cache.
#[derive(Debug, Clone)]
pub(crate) struct Ranking {
    /// Its key.
    key: RunKey,
    /// Its entry's folder name.
    entry: String,
    /// True when it was read from the cache.
    reused: bool,
    /// Seconds spent ranking (0 when reused).
    seconds: f64,
    /// Queries that `run.retrieval = "maxscore"` scored exhaustively because a term's score
    /// had no upper bound (unknown when reused).
    fallbacks: Option<u64>,
}

/// Everything needed to rank a [`RankerSpec`](crate::rank::RankerSpec) over the
/// experiment's topics, through the run cache.
pub(crate) struct Ranker<'a> {
    exp: &'a Experiment,
    topics: &'a [Topic],
    queries: &'a [Query],
    /// `(qid, query text)` in topic order: part of the run cache key.
    texts: Vec<(&'a str, &'a str)>,
    source: Source<'a>,
    index_key: &'a str,
    cache: RunCache,
}

/// Where [`Ranker::obtain`] gets a run that is not in the run cache.
enum Source<'a> {
    /// Ranked on this index.
    Index(&'a DiskIndex),
    /// Merged from the shards' lists.
    Shards(&'a crate::shard::Merger),
}

impl Ranker<'_> {
    fn key(&self, ranker: &crate::rank::RankerSpec) -> RunKey {
        run_key(self.exp, self.index_key, &self.texts, ranker)
    }

    /// `ranker`'s run, from the run cache when an entry has the same key, else ranked now
    /// and stored.
    fn obtain(
        &self,
        ranker: &crate::rank::RankerSpec,
        progress: &Progress,
    ) -> Result<(Run, Ranking)> {
        let key = self.key(ranker);
        let entry = self
            .cache
            .entry(&key)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(run) = self.cache.load(&key, &ranker.name)? {
            return Ok((
                run,
                Ranking {
                    key,
                    entry,
                    reused: true,
                    seconds: 0.0,
                    fallbacks: None,
                },
            ));
        }
        let t = Instant::now();
        let fallbacks = crate::rank::pruning_fallbacks();
        let run = match self.source {
            Source::Index(index) => {
                rank(self.exp, ranker, self.topics, self.queries, index, progress)
            }
            Source::Shards(merger) => merger.merge(ranker, &key, self.topics)?,
        };
        let seconds = t.elapsed().as_secs_f64();
        let fallbacks = crate::rank::pruning_fallbacks() - fallbacks;
        self.cache.store(&key, &run)?;
        Ok((
            run,
            Ranking {
                key,
                entry,
                reused: false,
                seconds,
                fallbacks: Some(fallbacks),
            },
        ))
    }

    /// The run of `ranking` read back from the cache, tagged `tag`.
    fn reload(&self, ranking: &Ranking, tag: &str) -> Result<Run> {
        self.cache.load(&ranking.key, tag)?.ok_or_else(|| {
            Error::input(
                Location::file(self.cache.entry(&ranking.key)),
                "a run stored in the run cache during this experiment is gone (was the cache cleaned meanwhile?)",
            )
        })
    }

    fn qrels_path(&self) -> Option<&Path> {
        self.exp.qrels.as_ref().map(|q| q.path.as_path())
    }
}

/// Stages 3 and 4: ranks the topics with every ranker (through the run cache) and evaluates
/// each run once; ranks and evaluates every grid point of the swept rankers, writing their
/// runs and tables into `staging`; assembles and evaluates each `[[tune]]`'s run.
pub fn rank_and_evaluate(
    exp: &Experiment,
    inputs: &Inputs,
    analyzer: &Analyzer,
    opened: &Opened,
    evaluator: Option<&Evaluator<'_>>,
    staging: &Path,
    progress: &Progress,
) -> Result<Ranked> {
    let (queries, source, without_terms): (Vec<Query>, Source<'_>, Vec<bool>) = match opened {
        Opened::One(o) => {
            let queries: Vec<Query> = inputs
                .queries_text
                .iter()
                .map(|q| Query::parse(q, analyzer, &o.index))
                .collect();
            let without = queries.iter().map(|q| q.terms.is_empty()).collect();
            (queries, Source::Index(&o.index), without)
        }
        Opened::Shards(m) => (
            Vec::new(),
            Source::Shards(m),
            inputs
                .queries_text
                .iter()
                .map(|q| !m.has_terms(&analyzer.analyze(q)))
                .collect(),
        ),
    };
    let topics_without_terms: Vec<String> = inputs
        .topics
        .iter()
        .zip(&without_terms)
        .filter(|(t, &none)| none && !inputs.topics_empty.contains(&t.qid))
        .map(|(t, _)| t.qid.clone())
        .collect();
    let ranker = Ranker {
        exp,
        topics: &inputs.topics,
        queries: &queries,
        texts: inputs.texts(),
        source,
        index_key: opened.key(),
        cache: RunCache::new(&exp.index_cache),
    };
    let mut outcomes = Vec::new();
    let mut systems = Vec::new();
    let mut run_cache = Vec::new();
    let mut evaluate = |outcome: RankerOutcome, all: Option<Evaluation>| {
        if let Some(all) = all {
            let shown = all.select(&exp.measures);
            systems.push(crate::compare::System::new(outcome.name.clone(), all));
            outcomes.push(RankerOutcome {
                evaluation: Some(shown),
                ..outcome
            });
        } else {
            outcomes.push(outcome);
        }
    };
    for spec in &exp.rankers {
        let (run, ranking) = ranker.obtain(spec, progress)?;
        if ranking.reused {
            progress.message(&format!(
                "{}: run reused from the run cache ({})",
                spec.name, ranking.entry
            ));
        }
        let all = match evaluator {
            Some(evaluator) => Some(
                evaluator
                    .evaluate(&run)
                    .map_err(|e| qrels_context(e, &spec.name, ranker.qrels_path()))?,
            ),
            None => None,
        };
        if let Some(n) = ranking.fallbacks.filter(|&n| n > 0) {
            progress.message(&format!(
                "{}: {n} queries were scored exhaustively: a term's score has no upper bound for pruning (a negative idf); the results are the same",
                spec.name
            ));
        }
        run_cache.push(crate::manifest::RunCacheRecord {
            name: spec.name.clone(),
            entry: ranking.entry.clone(),
            reused: ranking.reused,
            pruning_fallbacks: ranking.fallbacks,
        });
        evaluate(
            RankerOutcome {
                name: spec.name.clone(),
                run_path: exp.output.join(format!("{}.run", spec.name)),
                run,
                evaluation: None,
                search_seconds: ranking.seconds,
            },
            all,
        );
    }
    let mut sweeps = Vec::new();
    if let Some(evaluator) = evaluator {
        for spec in &exp.sweeps {
            let swept = sweep::sweep(spec, &ranker, evaluator, staging, progress)?;
            let tune = exp.tunes.iter().find(|t| t.ranker == spec.name);
            let mut outcome = sweep::write_sweep(&swept, inputs, &exp.measures, tune, staging)?;
            for (p, r) in spec.points.iter().zip(&swept.rankings) {
                run_cache.push(crate::manifest::RunCacheRecord {
                    name: p.name.clone(),
                    entry: r.entry.clone(),
                    reused: r.reused,
                    pruning_fallbacks: r.fallbacks,
                });
            }
            if let Some(tune) = tune {
                let (cv, choices) =
                    sweep::cross_validate(tune, &swept, &ranker, inputs, evaluator, staging)?;
                let all = cv.evaluation.clone();
                outcome.choices = choices;
                evaluate(
                    RankerOutcome {
                        evaluation: None,
                        ..cv
                    },
                    all,
                );
            }
            sweeps.push(outcome);
        }
    }
    Ok(Ranked {
        outcomes,
        systems,
        topics_without_terms,
        sweeps,
        run_cache,
    })
}

/// How the run was made, for the manifest.
struct Record<'a> {
    command: &'a [String],
    started_utc: String,
    started: Instant,
    timings: Timings,
}

/// The last stage: writes runs, `.eval` files, `compare/`, `eval.json`,
/// `config.resolved.toml`, `report.html` and, last, the manifest into the staging folder, and publishes it.
fn write_outputs(
    exp: &Experiment,
    staging: Staging,
    inputs: &Inputs,
    opened: &Opened,
    ranked: &Ranked,
    comparisons: &[(crate::compare::Report, String)],
    record: Record<'_>,
) -> Result<()> {
    let dir = staging.dir();
    for o in &ranked.outcomes {
        let format = match exp.derived.iter().find(|d| d.name() == o.name) {
            Some(crate::config::Derived::Fusion(f)) => f.score_format(),
            _ => exp.run.ties.score_format(),
        };
        o.run
            .write_trec(&dir.join(format!("{}.run", o.name)), format)?;
        if let Some(ev) = &o.evaluation {
            atomic::write(
                &dir.join(format!("{}.eval", o.name)),
                ev.to_trec_eval_text(true).as_bytes(),
            )?;
        }
    }
    for (report, baseline) in comparisons {
        crate::compare::write_outputs(report, &dir.join("compare").join(baseline))?;
    }
    if inputs.qrels.is_some() {
        let evals: serde_json::Map<String, serde_json::Value> = ranked
            .outcomes
            .iter()
            .filter_map(|r| r.evaluation.as_ref().map(|e| (r.name.clone(), e.to_json())))
            .collect();
        write_json(&dir.join("eval.json"), &serde_json::Value::Object(evals))?;
    }
    atomic::write(
        &dir.join("config.resolved.toml"),
        exp.to_resolved_toml()?.as_bytes(),
    )?;
    let mut manifest = Manifest {
        irexp_version: BUILD.irexp_version,
        git_commit: BUILD.git_commit,
        command: record.command.to_vec(),
        started_utc: record.started_utc,
        threads: rayon::current_num_threads(),
        experiment: exp.name.clone(),
        inputs: inputs.files.clone(),
        analyzer: exp.analyzer.profile.name(),
        index_cache: IndexRecord {
            dir: opened.dir().display().to_string(),
            key: opened.key().to_string(),
            settings: opened.settings().clone(),
            reused: opened.reused(),
            checked_in_full: opened.checked_in_full(),
        },
        index: opened.stats(),
        corpus: opened.corpus_stats().clone(),
        tie_policy: exp.run.ties.name(),
        retrieval: exp.run.retrieval.name(),
        depth: exp.run.depth,
        topics: inputs.topics.len(),
        topics_empty: inputs.topics_empty.clone(),
        topics_without_terms: ranked.topics_without_terms.clone(),
        topics_qrels_mismatch: inputs.topic_mismatch.clone(),
        remove_query: exp.run.remove_query,
        eval_complete: exp.complete,
        timings_seconds: Timings {
            total: record.started.elapsed().as_secs_f64(),
            ..record.timings
        },
        outputs: ranked
            .outcomes
            .iter()
            .map(|r| format!("{}.run", r.name))
            .collect(),
        comparisons: comparisons
            .iter()
            .map(|(_, b)| format!("compare/{b}"))
            .collect(),
        sweeps: ranked.sweeps.iter().map(|s| s.dir.clone()).collect(),
        tunes: exp
            .tunes
            .iter()
            .map(|t| sweep::tune_dir(&t.ranker))
            .collect(),
        run_cache: ranked.run_cache.clone(),
        files: staging.files()?,
    };
    // report.html shows the folder's files and the manifest (without itself), then the
    // manifest lists it too.
    let shown = serde_json::to_value(&manifest).map_err(|e| Error::io(MANIFEST, e.into()))?;
    crate::report::write_experiment_report(dir, &shown)?;
    manifest.files = staging.files()?;
    let mut text =
        serde_json::to_string_pretty(&manifest).map_err(|e| Error::io(MANIFEST, e.into()))?;
    text.push('\n');
    staging.publish(text.as_bytes())
}

/// The qids of a `topics.subset` file (whitespace-separated; lines starting with `#` are
/// comments). A qid that is not a topic is an error naming the file and line.
fn read_subset(path: &Path, topics: &[Topic]) -> Result<crate::hash::FastSet<String>> {
    let text = crate::input::read_to_string(path)?;
    let known: crate::hash::FastSet<&str> = topics.iter().map(|t| t.qid.as_str()).collect();
    let mut keep = crate::hash::FastSet::default();
    for (i, line) in crate::input::lines(&text).enumerate() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        for qid in line.split_ascii_whitespace() {
            if !known.contains(qid) {
                return Err(Error::input(
                    Location::line(path, i + 1),
                    format!("qid {qid} is not a topic of the topics file"),
                ));
            }
            keep.insert(qid.to_string());
        }
    }
    if keep.is_empty() {
        return Err(Error::input(
            Location::file(path),
            "the subset names no topic",
        ));
    }
    Ok(keep)
}

/// The first topic id of `qrels`, for a message.
fn q_first(qrels: Option<&Qrels>) -> String {
    qrels
        .and_then(|q| q.topics().next().map(|(id, _)| id.to_string()))
        .unwrap_or_default()
}

/// Names the qrels file in an evaluation error that finds no topic in common (every
/// judged topic got no results).
fn qrels_context(e: Error, ranker: &str, qrels: Option<&Path>) -> Error {
    match (&e, qrels) {
        (
            Error::Eval {
                kind: EvalErrorKind::NoOverlap,
                ..
            },
            Some(path),
        ) => e.within(Location::file(path), format!("ranker {ranker}")),
        _ => e,
    }
}

/// Ranks every topic with `ranker` (in parallel, collected in topic order), applying the
/// tie policy and `run.remove_query`. Topics without results are left out of the run.
fn rank(
    exp: &Experiment,
    ranker: &crate::rank::RankerSpec,
    topics: &[Topic],
    queries: &[Query],
    index: &DiskIndex,
    progress: &Progress,
) -> Run {
    let qids: Vec<&str> = topics.iter().map(|t| t.qid.as_str()).collect();
    rank_queries(index, ranker, &exp.run, &qids, queries, progress)
}

/// Ranks `queries[i]` (topic `qids[i]`) with `ranker` as `irexp run` does: the top
/// `options.depth` in parallel over topics, Anserini's `-removeQuery` when set, ties ordered by
/// `options.ties`; topics without results are left out. The run is tagged with the ranker's
/// name.
pub fn rank_queries(
    index: &DiskIndex,
    ranker: &crate::rank::RankerSpec,
    options: &crate::config::RunOptions,
    qids: &[&str],
    queries: &[Query],
    progress: &Progress,
) -> Run {
    assert_eq!(qids.len(), queries.len(), "one qid per query");
    let bar = progress.bar(&format!("ranking with {}", ranker.name), qids.len() as u64);
    let searcher = Searcher::new(index, &ranker.model, options.retrieval);
    let lists: Vec<RunTopic> = qids
        .par_iter()
        .zip(queries)
        .map(|(qid, query)| {
            let t = finish_topic(
                qid,
                searcher.search(query, options.depth, options.ties),
                options,
            );
            bar.inc(1);
            t
        })
        .filter(|t| !t.docs.is_empty())
        .collect();
    bar.finish();
    Run {
        tag: ranker.name.clone(),
        topics: lists,
    }
}

/// A topic's ranked list as the run holds it, from the top `options.depth` documents that
/// retrieval returned (best first, ties at the cut decided by the tie policy): Anserini's
/// `-removeQuery` when set, then the tie policy ([`RunTopic::apply`]). One machine and the
/// merge of shards' lists both end here.
pub(crate) fn finish_topic(
    qid: &str,
    mut docs: Vec<crate::run::RunDoc>,
    options: &crate::config::RunOptions,
) -> RunTopic {
    if options.remove_query {
        docs.retain(|d| d.docno != qid);
    }
    let mut t = RunTopic {
        qid: qid.to_string(),
        docs,
    };
    t.apply(options.ties);
    t
}

/// The run cache key of ranking the experiment's topics (`texts`: `(qid, query text)` in topic
/// order) with `ranker` on the index whose key is `index_key`.
pub(crate) fn run_key(
    exp: &Experiment,
    index_key: &str,
    texts: &[(&str, &str)],
    ranker: &crate::rank::RankerSpec,
) -> RunKey {
    RunKey::new(
        index_key,
        &ranker.model,
        texts,
        exp.topics.field.name(),
        exp.run.depth,
        exp.run.ties,
        exp.run.remove_query,
    )
}

/// Runs `[compare]`: compares every ranker's evaluation (which holds the compared measures
/// and the 11 `iprec_at_recall` levels for the precision–recall plot) with each baseline.
/// Returns each report with its baseline (written to `compare/BASELINE/`).
fn compare_rankers(
    exp: &Experiment,
    spec: &crate::config::CompareSpec,
    qrels: &Qrels,
    systems: &[crate::compare::System],
) -> Result<Vec<(crate::compare::Report, String)>> {
    let qrels_topics: Vec<String> = qrels.topics().map(|(q, _)| q.to_string()).collect();
    let mut reports = Vec::new();
    for baseline in &spec.baselines {
        let report = crate::compare::compare(systems, baseline, &spec.options, Some(&qrels_topics))
            .map_err(|e| {
                e.within(
                    Location::file(&exp.config_path),
                    format!("[compare] baseline {baseline}"),
                )
            })?;
        reports.push((report, baseline.clone()));
    }
    Ok(reports)
}

/// Topics without judgments and judged topics without a topic. Legal in TREC, so a warning;
/// `trec_eval -c` (`[eval] complete`) decides what the second kind means for the averages.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TopicMismatch {
    /// Topics in the topics file that the qrels do not judge (they are not evaluated).
    pub topics_without_qrels: Vec<String>,
    /// Qrels topics that are not in the topics file (with `complete`, they score 0).
    pub qrels_without_topics: Vec<String>,
}

impl TopicMismatch {
    /// Compares the topic ids of both files.
    pub fn of(topics: &[Topic], qrels: &Qrels) -> TopicMismatch {
        let ids: std::collections::HashSet<&str> = topics.iter().map(|t| t.qid.as_str()).collect();
        TopicMismatch {
            topics_without_qrels: topics
                .iter()
                .filter(|t| qrels.topic(&t.qid).is_none())
                .map(|t| t.qid.clone())
                .collect(),
            qrels_without_topics: qrels
                .topics()
                .filter(|(q, _)| !ids.contains(q))
                .map(|(q, _)| q.to_string())
                .collect(),
        }
    }

    /// True when both files name the same topics.
    pub fn is_empty(&self) -> bool {
        self.topics_without_qrels.is_empty() && self.qrels_without_topics.is_empty()
    }

    /// The warning printed for a mismatch.
    pub fn warning(&self, complete: bool) -> String {
        let show = |v: &[String]| {
            let head: Vec<&str> = v.iter().take(10).map(String::as_str).collect();
            format!(
                "{}{}",
                head.join(" "),
                if v.len() > 10 { " ..." } else { "" }
            )
        };
        let mut parts = Vec::new();
        if !self.topics_without_qrels.is_empty() {
            parts.push(format!(
                "{} topics have no judgments and are not evaluated ({})",
                self.topics_without_qrels.len(),
                show(&self.topics_without_qrels)
            ));
        }
        if !self.qrels_without_topics.is_empty() {
            parts.push(format!(
                "{} judged topics are not in the topics file and {} ({})",
                self.qrels_without_topics.len(),
                if complete {
                    "score 0 in the averages (eval.complete = true, trec_eval -c)"
                } else {
                    "are left out of the averages (eval.complete = false)"
                },
                show(&self.qrels_without_topics)
            ));
        }
        format!("warning: topics and qrels differ: {}", parts.join("; "))
    }
}

/// An on-disk index ready for retrieval, and where it came from.
#[derive(Debug)]
pub struct OpenedIndex {
    /// The index.
    pub index: DiskIndex,
    /// What reading the corpus counted (when it was built; from its header when reused).
    pub corpus_stats: ReadStats,
    /// The cache key: SHA-256 of `settings` as JSON.
    pub key: String,
    /// What the key is made of.
    pub settings: IndexKey,
    /// True when an existing index was reused.
    pub reused: bool,
}

/// The index the runs come from: opened or built here, or the shards of one whose lists
/// `irexp merge` merges ([`crate::shard`]).
#[derive(Debug)]
pub enum Opened {
    /// One index on this machine.
    One(Box<OpenedIndex>),
    /// The shards of the collection's index.
    Shards(Box<crate::shard::Merger>),
}

impl Opened {
    /// The collection's statistics.
    pub fn stats(&self) -> CollectionStats {
        match self {
            Opened::One(o) => *o.index.stats(),
            Opened::Shards(m) => *m.stats(),
        }
    }

    /// The index folder, or the shards' folder.
    pub fn dir(&self) -> &Path {
        match self {
            Opened::One(o) => o.index.dir(),
            Opened::Shards(m) => m.dir(),
        }
    }

    /// The collection's index key (SHA-256 of [`settings`](Self::settings) as JSON).
    pub fn key(&self) -> &str {
        match self {
            Opened::One(o) => &o.key,
            Opened::Shards(m) => m.key(),
        }
    }

    /// What the key is made of.
    pub fn settings(&self) -> &IndexKey {
        match self {
            Opened::One(o) => &o.settings,
            Opened::Shards(m) => m.settings(),
        }
    }

    /// True when opening the index checked every byte of it; false for a merge of shards
    /// (each shard task opened, and checked or trusted, its own shard).
    pub fn checked_in_full(&self) -> bool {
        match self {
            Opened::One(o) => o.index.checked_at_open(),
            Opened::Shards(_) => false,
        }
    }

    /// True when the index (or every shard) was there already.
    pub fn reused(&self) -> bool {
        match self {
            Opened::One(o) => o.reused,
            Opened::Shards(_) => true,
        }
    }

    /// What reading the corpus counted.
    pub fn corpus_stats(&self) -> &ReadStats {
        match self {
            Opened::One(o) => &o.corpus_stats,
            Opened::Shards(m) => m.corpus_stats(),
        }
    }
}

/// What an index is built from, and nothing else: the format version, the analyzer and
/// corpus settings, and the corpus files' names (relative to the corpus folder), sizes and
/// checksums. No path is part of it, so the same corpus reached by another path (relative,
/// absolute, through a symbolic link, or after the collection folder moved) has the same
/// key; any change of content or settings changes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexKey {
    /// [`crate::index::disk::FORMAT_VERSION`].
    pub format_version: u32,
    /// The analyzer.
    pub analyzer: AnalyzerKey,
    /// How the corpus is read.
    pub corpus: CorpusKey,
    /// The corpus files in reading order.
    pub files: Vec<FileKey>,
}

/// The analyzer settings of an [`IndexKey`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyzerKey {
    /// `analyzer.profile`.
    pub profile: crate::analysis::Profile,
    /// `lucene`, `none`, or `sha256:HEX` of a stop list file.
    pub stopwords: String,
    /// `analyzer.stemmer`.
    pub stemmer: crate::analysis::Stemmer,
}

/// The corpus settings of an [`IndexKey`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorpusKey {
    /// `corpus.format`.
    pub format: crate::corpus::Format,
    /// `corpus.content`.
    pub content: crate::corpus::ContentValue,
    /// `corpus.skip_malformed`.
    pub skip_malformed: bool,
    /// `corpus.empty_documents`.
    pub empty_documents: crate::corpus::EmptyDocuments,
}

/// One corpus file of an [`IndexKey`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileKey {
    /// The name relative to the corpus folder (for a single file, its name): `html`
    /// documents are named after their files.
    pub name: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256, hex.
    pub sha256: String,
}

impl IndexKey {
    /// The key of `exp`'s index, from its settings and its hashed corpus files.
    pub fn of(exp: &Experiment, corpus_files: &[&InputFile]) -> Result<IndexKey> {
        use crate::analysis::Stopwords;
        let stopwords = match &exp.analyzer.stopwords {
            Stopwords::Lucene => "lucene".to_string(),
            Stopwords::None => "none".to_string(),
            Stopwords::File(p) => format!(
                "sha256:{}",
                exp.at_key("analyzer.stopwords", hash_file("stopwords", p))?
                    .sha256
            ),
        };
        let root = exp.corpus.root();
        Ok(IndexKey {
            format_version: crate::index::disk::FORMAT_VERSION,
            analyzer: AnalyzerKey {
                profile: exp.analyzer.profile,
                stopwords,
                stemmer: exp.analyzer.stemmer,
            },
            corpus: CorpusKey {
                format: exp.corpus.format,
                content: exp.corpus.content.to_config(),
                skip_malformed: exp.corpus.skip_malformed,
                empty_documents: exp.corpus.empty_documents,
            },
            files: corpus_files
                .iter()
                .map(|f| {
                    let path = Path::new(&f.path);
                    let rel = path
                        .strip_prefix(&root)
                        .ok()
                        .filter(|r| !r.as_os_str().is_empty());
                    let name = match rel {
                        Some(r) => r
                            .components()
                            .map(|c| c.as_os_str().to_string_lossy().into_owned())
                            .collect::<Vec<_>>()
                            .join("/"),
                        None => path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    };
                    FileKey {
                        name,
                        bytes: f.bytes,
                        sha256: f.sha256.clone(),
                    }
                })
                .collect(),
        })
    }

    /// The cache key: SHA-256 of this key as JSON, hex.
    pub fn hash(&self) -> String {
        let text = serde_json::to_string(self).expect("an index key serializes");
        crate::manifest::hex(&Sha256::digest(text.as_bytes()))
    }
}

/// [`open_or_build_index`] after hashing the corpus files for the cache key.
pub fn open_cached_index(
    exp: &Experiment,
    analyzer: &Analyzer,
    reindex: bool,
    progress: &Progress,
) -> Result<OpenedIndex> {
    let inputs = corpus_inputs(exp)?;
    let refs: Vec<&InputFile> = inputs.iter().collect();
    open_or_build_index(exp, analyzer, &refs, reindex, progress)
}

/// Opens the cached index for `exp` in `exp.index_cache`, or builds and writes it (always when
/// `reindex`). A damaged cached index is an error naming the file.
pub fn open_or_build_index(
    exp: &Experiment,
    analyzer: &Analyzer,
    corpus_files: &[&InputFile],
    reindex: bool,
    progress: &Progress,
) -> Result<OpenedIndex> {
    let settings = IndexKey::of(exp, corpus_files)?;
    let key = settings.hash();
    let dir = exp.index_cache.join(&key[..16]);
    if !reindex && dir.join(crate::index::disk::HEADER_FILE).is_file() {
        let index = DiskIndex::open(&dir)?;
        let corpus_stats: ReadStats = serde_json::from_value(index.header().corpus.clone())
            .map_err(|e| {
                Error::input(
                    Location::file(dir.join(crate::index::disk::HEADER_FILE)),
                    format!(
                        "damaged corpus counts in the index header: {e}; rebuild with --reindex"
                    ),
                )
            })?;
        crate::index::cache::touch(&dir);
        return Ok(OpenedIndex {
            index,
            corpus_stats,
            key,
            settings,
            reused: true,
        });
    }
    if dir.exists() && (reindex || !dir.join(crate::index::disk::HEADER_FILE).is_file()) {
        // The index to replace (--reindex), or an unfinished folder: the new build must not be
        // kept out by it. An index another process published since the check above is left
        // alone (the new build then keeps it; see `index::disk`).
        std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    }
    let json = serde_json::to_value(&settings).map_err(|e| Error::io(&dir, e.into()))?;
    let corpus_stats = write_index(exp, analyzer, &dir, json, progress)?;
    let index = DiskIndex::open(&dir)?;
    crate::index::cache::touch(&dir);
    Ok(OpenedIndex {
        index,
        corpus_stats,
        key,
        settings,
        reused: false,
    })
}

/// Reads the corpus and writes its index to `dir` (atomically; see [`IndexWriter`]), with
/// `settings` in its header. Returns what reading counted, which is also in the header.
pub fn write_index(
    exp: &Experiment,
    analyzer: &Analyzer,
    dir: &Path,
    settings: serde_json::Value,
    progress: &Progress,
) -> Result<ReadStats> {
    let mut writer = IndexWriter::create(dir, exp.index_memory_mb)?;
    let bar = progress.counter("indexing", "docs");
    let stats = exp.at_key(
        "corpus.path",
        writer.index(
            analyzer,
            |sink| exp.corpus.for_each_document(sink),
            |n| bar.set_position(n),
        ),
    )?;
    bar.finish();
    report_read_stats(&stats, progress);
    let corpus = serde_json::to_value(&stats).map_err(|e| Error::io(dir, e.into()))?;
    writer.finish(settings, corpus)?;
    Ok(stats)
}

/// Reads the corpus and builds an in-memory index (for small collections and tools that
/// need no cache).
pub fn build_index(
    exp: &Experiment,
    analyzer: &Analyzer,
    progress: &Progress,
) -> Result<(InMemoryIndex, ReadStats)> {
    let mut builder = IndexBuilder::new(analyzer.clone());
    let bar = progress.counter("indexing", "docs");
    let stats = exp.corpus.for_each_document(|doc| {
        builder.add(doc);
        bar.inc(1);
        Ok(())
    })?;
    bar.finish();
    report_read_stats(&stats, progress);
    Ok((builder.build(), stats))
}

/// Tells what reading the corpus left out or repaired.
fn report_read_stats(stats: &ReadStats, progress: &Progress) {
    if stats.skipped_empty_documents > 0 {
        progress.message(&format!(
            "{} documents have no text and were left out (corpus.empty_documents = \"skip\")",
            stats.skipped_empty_documents
        ));
    } else if stats.empty_documents > 0 {
        progress.message(&format!(
            "{} documents have no text to index",
            stats.empty_documents
        ));
    }
    if !stats.skipped_files.is_empty() {
        progress.message(&format!(
            "{} files left out by name as Anserini leaves them out (readme*, cr/, dtd/, dtds/): {}",
            stats.skipped_files.len(),
            stats.skipped_files.join(" ")
        ));
    }
    if stats.skipped_documents > 0 {
        progress.message(&format!(
            "{} malformed documents skipped (corpus.skip_malformed = true); first: {}",
            stats.skipped_documents,
            stats.skipped_examples.first().map_or("", String::as_str)
        ));
    }
    if stats.decoded_as_cp1252 > 0 {
        progress.message(&format!(
            "{} documents were not valid UTF-8 and were decoded as Windows-1252",
            stats.decoded_as_cp1252
        ));
    }
}

/// Sizes and checksums of the corpus files (the cache key's inputs). A checksum is read from
/// the index cache's [`HashCache`](crate::stamp::HashCache) while the file's stamp (size,
/// mtime, ctime, inode, device) is unchanged, so a large corpus is read in full only once.
pub fn corpus_inputs(exp: &Experiment) -> Result<Vec<InputFile>> {
    let mut hashes = crate::stamp::HashCache::open(&exp.index_cache);
    let files = exp.at_key(
        "corpus.path",
        exp.corpus
            .files()?
            .iter()
            .map(|f| {
                let (bytes, sha256) = hashes.sha256(f)?;
                Ok(InputFile {
                    role: "corpus",
                    path: f.display().to_string(),
                    bytes,
                    sha256,
                })
            })
            .collect::<Result<Vec<_>>>(),
    )?;
    hashes.save();
    Ok(files)
}

fn hash_file(role: &'static str, path: &Path) -> Result<InputFile> {
    let (bytes, sha256) = crate::stamp::sha256_file(path)?;
    Ok(InputFile {
        role,
        path: path.display().to_string(),
        bytes,
        sha256,
    })
}

fn write_json(path: &Path, value: &serde_json::Value) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| Error::io(path, e.into()))?;
    text.push('\n');
    atomic::write(path, text.as_bytes())
}
