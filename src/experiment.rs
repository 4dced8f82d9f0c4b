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
use crate::index::{CollectionStats, InMemoryIndex, IndexBuilder, IndexReader};
use crate::progress::Progress;
use crate::qrels::Qrels;
use crate::rank::{self, Query};
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
pub fn execute(exp: &Experiment, progress: &Progress) -> Result<Report> {
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

    // 2. Index.
    let t_index = Instant::now();
    let analyzer = Analyzer::new(exp.analyzer);
    let (index, corpus_stats) = build_index(exp, &analyzer, progress)?;
    let index_seconds = t_index.elapsed().as_secs_f64();
    progress.message(&format!(
        "indexed {} documents ({} terms, {} tokens) in {:.2}s",
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
        let lists: Vec<RunTopic> = topics
            .par_iter()
            .zip(&queries)
            .map(|(topic, query)| {
                let mut docs =
                    rank::search(&index, &ranker.model, query, exp.run.depth, exp.run.ties);
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

    // 4. The record of what was done.
    let report = Report {
        name: exp.name.clone(),
        output: exp.output.clone(),
        corpus: corpus_stats,
        index: *index.stats(),
        topics_without_terms,
        rankers: outcomes,
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
        "analyzer": exp.analyzer.name(),
        "tie_policy": exp.run.ties.name(),
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
    });
    write_json(&exp.output.join("manifest.json"), &manifest)?;
    Ok(report)
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

/// Reads the corpus and builds the in-memory index.
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
    Ok((builder.build(), stats))
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
