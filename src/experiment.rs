//! Orchestration: Experiment → Index → Runs → Evaluations → Report.
//!
//! [`execute`] reads and checks every input before it writes anything, so bad input never
//! leaves a partial output behind; each output file is then written atomically.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::analysis::Analyzer;
use crate::atomic;
use crate::config::Experiment;
use crate::corpus::ReadStats;
use crate::error::{Error, Location, Result};
use crate::eval::{EvalOptions, Evaluation, Evaluator};
use crate::index::disk::DiskIndex;
use crate::index::{CollectionStats, InMemoryIndex, IndexBuilder, IndexReader, IndexWriter};
use crate::progress::Progress;
use crate::qrels::Qrels;
use crate::rank::{Query, Searcher};
use crate::run::{Run, RunTopic, TiePolicy};
use crate::topics::{self, Topic};

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
    /// Topics whose query has no term in the index (they get no results).
    pub topics_without_terms: Vec<String>,
    /// One outcome per ranker, in config order.
    pub rankers: Vec<RankerOutcome>,
    /// The comparisons of `[compare]`, one per baseline, and the folder each was written to.
    pub comparisons: Vec<(crate::compare::Report, PathBuf)>,
}

/// An input file's identity, recorded in the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct InputFile {
    /// What the file is (`config`, `corpus`, `topics`, `qrels`).
    pub role: &'static str,
    /// The path as resolved.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
}

/// Runs the whole experiment and writes its outputs into `exp.output`.
pub fn execute(exp: &Experiment, reindex: bool, progress: &Progress) -> Result<Report> {
    let started = Instant::now();

    // 1. Read and check every input before writing anything.
    let topics = topics::read(&exp.topics.path, exp.topics.format, exp.topics.numbering)?;
    let queries_text: Vec<String> = topics
        .iter()
        .map(|t| query_text(t, exp))
        .collect::<Result<_>>()?;
    let qrels = exp
        .qrels
        .as_ref()
        .map(|q| Qrels::read_format(&q.path, q.format))
        .transpose()?;
    let topic_mismatch = qrels.as_ref().map(|q| TopicMismatch::of(&topics, q));
    if let Some(m) = topic_mismatch.as_ref().filter(|m| !m.is_empty()) {
        progress.message(&m.warning(exp.complete));
    }
    let eval_options = EvalOptions {
        complete: exp.complete,
        ..EvalOptions::default()
    };
    let evaluator = match &qrels {
        Some(q) => Some(Evaluator::new(q, &exp.measures, eval_options)?),
        None => None,
    };
    let mut inputs = vec![hash_file("config", &exp.config_path)?];
    for f in exp.corpus.files()? {
        inputs.push(hash_file("corpus", &f)?);
    }
    inputs.push(hash_file("topics", &exp.topics.path)?);
    if let Some(q) = &exp.qrels {
        inputs.push(hash_file("qrels", &q.path)?);
    }

    // 2. Index: reuse the cached on-disk index whose key matches, or build it.
    let t_index = Instant::now();
    let analyzer = Analyzer::from_spec(&exp.analyzer)?;
    let corpus_inputs: Vec<&InputFile> = inputs.iter().filter(|i| i.role == "corpus").collect();
    let opened = open_or_build_index(exp, &analyzer, &corpus_inputs, reindex, progress)?;
    let index = opened.index;
    let corpus_stats = opened.corpus_stats;
    let index_seconds = t_index.elapsed().as_secs_f64();
    progress.message(&format!(
        "{} index {} ({} documents, {} terms, {} tokens) in {:.2}s",
        if opened.reused { "reused" } else { "built" },
        index.dir().display(),
        index.stats().documents,
        index.stats().terms,
        index.stats().tokens,
        index_seconds
    ));

    // 3. Rank, write runs, evaluate.
    let queries: Vec<Query> = queries_text
        .iter()
        .map(|q| Query::parse(q, &analyzer, &index))
        .collect();
    let topics_without_terms: Vec<String> = topics
        .iter()
        .zip(&queries)
        .filter(|(_, q)| q.terms.is_empty())
        .map(|(t, _)| t.qid.clone())
        .collect();
    std::fs::create_dir_all(&exp.output).map_err(|e| Error::io(&exp.output, e))?;
    let mut outcomes = Vec::new();
    for ranker in &exp.rankers {
        let t_search = Instant::now();
        let bar = progress.bar(
            &format!("ranking with {}", ranker.name),
            topics.len() as u64,
        );
        let searcher = Searcher::new(&index, &ranker.model, exp.run.retrieval);
        let lists: Vec<RunTopic> = topics
            .par_iter()
            .zip(&queries)
            .map(|(topic, query)| {
                let mut docs = searcher.search(query, exp.run.depth, exp.run.ties);
                if exp.run.remove_query {
                    docs.retain(|d| d.docno != topic.qid);
                }
                let mut t = RunTopic {
                    qid: topic.qid.clone(),
                    docs,
                };
                match exp.run.ties {
                    TiePolicy::TrecEval => t.sort_trec_eval(),
                    TiePolicy::Anserini => t.apply_anserini_ties(),
                }
                bar.inc(1);
                t
            })
            .filter(|t| !t.docs.is_empty())
            .collect();
        bar.finish();
        let search_seconds = t_search.elapsed().as_secs_f64();
        let run = Run {
            tag: ranker.name.clone(),
            topics: lists,
        };
        let run_path = exp.output.join(format!("{}.run", ranker.name));
        run.write_trec(&run_path, exp.run.ties.score_format())?;
        let evaluation = match &evaluator {
            Some(evaluator) => {
                let ev = evaluator.evaluate(&run)?;
                atomic::write(
                    &exp.output.join(format!("{}.eval", ranker.name)),
                    ev.to_trec_eval_text(true).as_bytes(),
                )?;
                Some(ev)
            }
            None => None,
        };
        outcomes.push(RankerOutcome {
            name: ranker.name.clone(),
            run,
            run_path,
            evaluation,
            search_seconds,
        });
    }

    // 4. The comparison the config declared.
    let comparisons = match (&exp.compare, &qrels) {
        (Some(spec), Some(q)) => compare_rankers(exp, spec, q, &outcomes)?,
        _ => Vec::new(),
    };

    // 5. The record of what was done.
    let report = Report {
        name: exp.name.clone(),
        output: exp.output.clone(),
        corpus: corpus_stats,
        index: *index.stats(),
        topics_without_terms,
        rankers: outcomes,
        comparisons,
    };
    if qrels.is_some() {
        let evals: serde_json::Map<String, serde_json::Value> = report
            .rankers
            .iter()
            .filter_map(|r| r.evaluation.as_ref().map(|e| (r.name.clone(), e.to_json())))
            .collect();
        write_json(
            &exp.output.join("eval.json"),
            &serde_json::Value::Object(evals),
        )?;
    }
    atomic::write(
        &exp.output.join("config.resolved.toml"),
        exp.to_resolved_toml().as_bytes(),
    )?;
    let manifest = serde_json::json!({
        "irexp_version": env!("CARGO_PKG_VERSION"),
        "experiment": exp.name,
        "inputs": inputs,
        "analyzer": exp.analyzer.profile.name(),
        "index_files": {
            "dir": index.dir().display().to_string(),
            "key": opened.key,
            "reused": opened.reused,
        },
        "tie_policy": exp.run.ties.name(),
        "retrieval": exp.run.retrieval.name(),
        "depth": exp.run.depth,
        "threads": rayon::current_num_threads(),
        "corpus": report.corpus,
        "index": report.index,
        "topics": topics.len(),
        "topics_without_terms": report.topics_without_terms,
        "topics_qrels_mismatch": topic_mismatch,
        "remove_query": exp.run.remove_query,
        "eval_complete": exp.complete,
        "timings_seconds": {
            "index": index_seconds,
            "search": report.rankers.iter().map(|r| (r.name.clone(), serde_json::json!(r.search_seconds))).collect::<serde_json::Map<_, _>>(),
            "total": started.elapsed().as_secs_f64(),
        },
        "outputs": report.rankers.iter().map(|r| r.run_path.display().to_string()).collect::<Vec<_>>(),
        "comparisons": report.comparisons.iter().map(|(_, dir)| dir.display().to_string()).collect::<Vec<_>>(),
    });
    write_json(&exp.output.join("manifest.json"), &manifest)?;
    Ok(report)
}

/// Runs `[compare]`: evaluates every run with the compared measures (and the 11
/// `iprec_at_recall` levels for the precision–recall plot), compares every ranker with each
/// baseline and writes the outputs into `OUTPUT/compare/BASELINE/`.
fn compare_rankers(
    exp: &Experiment,
    spec: &crate::config::CompareSpec,
    qrels: &Qrels,
    outcomes: &[RankerOutcome],
) -> Result<Vec<(crate::compare::Report, PathBuf)>> {
    use crate::compare::{self, System};
    let mut measures = spec.options.measures.clone();
    for m in compare::iprec_measures() {
        if !measures.contains(&m) {
            measures.push(m);
        }
    }
    let evaluator = Evaluator::new(qrels, &measures, EvalOptions::default())?;
    let systems: Vec<System> = outcomes
        .iter()
        .map(|o| Ok(System::new(o.name.clone(), evaluator.evaluate(&o.run)?)))
        .collect::<Result<_>>()?;
    let qrels_topics: Vec<String> = qrels.topics().map(|(q, _)| q.to_string()).collect();
    let mut reports = Vec::new();
    for baseline in &spec.baselines {
        let options = crate::compare::CompareOptions {
            baseline: baseline.clone(),
            ..spec.options.clone()
        };
        let report =
            compare::compare(&systems, &options, Some(&qrels_topics)).map_err(|e| match e {
                Error::Input { message, .. } => Error::input(
                    Location::file(&exp.config_path),
                    format!("[compare] baseline {baseline}: {message}"),
                ),
                other => other,
            })?;
        let dir = exp.output.join("compare").join(baseline);
        compare::write_outputs(&report, &dir)?;
        reports.push((report, dir));
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

fn query_text(topic: &Topic, exp: &Experiment) -> Result<String> {
    let text = topic.query(exp.topics.field);
    if text.trim().is_empty() {
        let location = topic
            .location
            .clone()
            .unwrap_or_else(|| Location::file(&exp.topics.path));
        return Err(Error::input(
            location,
            format!(
                "topic {} has no {} text",
                topic.qid,
                exp.topics.field.name()
            ),
        ));
    }
    Ok(text)
}

/// An on-disk index ready for retrieval, and where it came from.
#[derive(Debug)]
pub struct OpenedIndex {
    /// The index.
    pub index: DiskIndex,
    /// What reading the corpus counted (when it was built; from its header when reused).
    pub corpus_stats: ReadStats,
    /// The cache key: SHA-256 of the analyzer and corpus settings and the corpus files' sizes
    /// and checksums.
    pub key: String,
    /// True when an existing index was reused.
    pub reused: bool,
}

/// The cache key of `exp`'s index: it changes whenever a corpus file's content, the corpus
/// settings, the analyzer settings (including the stop list file's content) or the index
/// format change.
pub fn index_key(
    exp: &Experiment,
    corpus_files: &[&InputFile],
) -> Result<(String, serde_json::Value)> {
    let stopwords = match &exp.analyzer.stopwords {
        crate::analysis::Stopwords::File(p) => Some(hash_file("stopwords", p)?.sha256),
        _ => None,
    };
    let settings = serde_json::json!({
        "format_version": crate::index::disk::FORMAT_VERSION,
        "analyzer": format!("{:?}", exp.analyzer),
        "stopwords_sha256": stopwords,
        "corpus": format!("{:?}", exp.corpus),
        "corpus_files": corpus_files.iter().map(|f| serde_json::json!({"bytes": f.bytes, "sha256": f.sha256})).collect::<Vec<_>>(),
    });
    let text = serde_json::to_string(&settings).map_err(|e| Error::io("index key", e.into()))?;
    let key: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((key, settings))
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
    let (key, settings) = index_key(exp, corpus_files)?;
    let dir = exp.index_cache.join(&key[..16]);
    if !reindex && dir.join("header.json").is_file() {
        let index = DiskIndex::open(&dir)?;
        let corpus_stats =
            serde_json::from_value(index.header().corpus.clone()).unwrap_or_default();
        return Ok(OpenedIndex {
            index,
            corpus_stats,
            key,
            reused: true,
        });
    }
    if dir.exists() && (reindex || !dir.join("header.json").is_file()) {
        // The index to replace (--reindex), or an unfinished folder: the new build must not be
        // kept out by it. An index another process published since the check above is left
        // alone (the new build then keeps it; see `index::disk`).
        std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    }
    let corpus_stats = write_index(exp, analyzer, &dir, settings, progress)?;
    let index = DiskIndex::open(&dir)?;
    Ok(OpenedIndex {
        index,
        corpus_stats,
        key,
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
    let stats = writer.index(
        analyzer,
        |sink| exp.corpus.for_each_document(sink),
        |n| bar.set_position(n),
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

/// Sizes and checksums of the corpus files (the cache key's inputs).
pub fn corpus_inputs(exp: &Experiment) -> Result<Vec<InputFile>> {
    exp.corpus
        .files()?
        .iter()
        .map(|f| hash_file("corpus", f))
        .collect()
}

fn hash_file(role: &'static str, path: &Path) -> Result<InputFile> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let bytes = std::io::copy(&mut file, &mut hasher).map_err(|e| Error::io(path, e))?;
    let sha256 = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
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
