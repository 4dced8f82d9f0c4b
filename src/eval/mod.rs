//! In-process evaluation that reproduces trec_eval 9.0.8 (the September 2020 tag, the
//! behaviour of pytrec_eval and of most published numbers) value for value.
//!
//! [`evaluate`] scores one [`Run`] against [`Qrels`]; an [`Evaluator`] prepares the qrels once
//! and then scores any number of runs. The result, an [`Evaluation`], holds per-topic and
//! summary values and prints itself exactly as trec_eval does
//! ([`Evaluation::to_trec_eval_text`]) or as JSON ([`Evaluation::to_json`]).
//!
//! What trec_eval does, and so what this module does (spec §4–§6):
//!
//! * Only topics that are in both the qrels and the run are evaluated, in byte order of their
//!   qids. Qrels topics missing from the run are skipped (unless
//!   [`EvalOptions::complete`]), run topics missing from the qrels are ignored.
//! * Each ranking is sorted by score descending, compared as float32, ties broken by docno
//!   descending in byte order. Stored ranks are ignored.
//! * A document retrieved twice in an evaluated topic is an error.
//! * A document judged with a negative value counts as unjudged: neither relevant nor judged
//!   non-relevant.
//! * Summary values are sums of per-topic values accumulated in qid order and divided once
//!   (counts are summed, `num_q` counted, `gm_*` measures aggregated geometrically).
//!
//! ```
//! use std::path::Path;
//! use irexp::eval::{evaluate, measure::parse_measure_list};
//! use irexp::qrels::Qrels;
//! use irexp::run::Run;
//!
//! let qrels = Qrels::parse("1 0 d1 1\n1 0 d2 0\n", Path::new("qrels"))?;
//! let run = Run::parse("1 Q0 d2 1 2.0 bm25\n1 Q0 d1 2 1.0 bm25\n", Path::new("run"))?;
//! let measures = parse_measure_list(["map", "P.1"])?;
//! let eval = evaluate(&qrels, &run, &measures)?;
//! assert_eq!(eval.get(&measures[0]), Some(0.5));
//! assert_eq!(
//!     eval.to_trec_eval_text(false),
//!     "runid                 \tall\tbm25\nmap                   \tall\t0.5000\nP_1                   \tall\t0.0000\n"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod measure;
mod output;
pub use output::{side_by_side_text, TextOptions, CSV_HEADER};
mod topic;

use std::collections::{HashMap, HashSet};

use crate::error::{Error, EvalErrorKind, Location, Result};
use crate::qrels::Qrels;
use crate::run::{Run, RunTopic};
use measure::Aggregate;
pub use measure::{parse_measure_list, parse_measures, Measure, MeasureParseError};
use topic::{Judgments, Ranking};

/// The lower bound trec_eval applies to a value before taking its logarithm in `gm_*`.
const MIN_GEO_MEAN: f64 = 1e-5;

/// trec_eval's evaluation flags. [`EvalOptions::default`] is trec_eval without flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalOptions {
    /// `-l`: a judged document is relevant when its value is at least this (default 1). Must
    /// be ≥ 0. `ndcg` and `ndcg_cut` ignore it, as in trec_eval.
    pub relevance_level: i64,
    /// `-c`: average over every qrels topic; qrels topics absent from the run count as 0
    /// (and as 1e-5 in the geometric means). As in trec_eval, the summary `num_rel` then
    /// counts qrels lines with a value > 0 over all qrels topics, whatever the relevance
    /// level.
    pub complete: bool,
    /// `-M`: keep only the first this-many documents of each topic after sorting. A document
    /// retrieved twice beyond the cut is not detected, as in trec_eval.
    pub max_docs: Option<usize>,
    /// `-J`: drop the retrieved documents that are not judged (absent from the qrels topic or
    /// judged negative), after the `-M` cut.
    pub judged_only: bool,
    /// `-N`: the number of documents in the collection, used only by `utility` (default 0,
    /// as in trec_eval's code).
    pub num_docs: i64,
    /// Which trec_eval behaviour to reproduce (default 9.0.8).
    pub compat: Compat,
}

/// The trec_eval version whose behaviour is reproduced (spec §0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compat {
    /// trec_eval 9.0.8 as tagged in 2020 (pytrec_eval, ir_measures): scores compared as
    /// float32, recall cutoffs `trunc(x·R + 0.9)`.
    #[default]
    V9_0_8,
    /// trec_eval 10.0: scores compared as f64, recall cutoffs (iprec_at_recall, 11pt_avg)
    /// `lround(x·R)`. 10.0's fatal error on a qrels topic missing from the run (a regression
    /// upstream, spec §5) is not reproduced: such topics are skipped as in 9.0.8.
    V10_0,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            relevance_level: 1,
            complete: false,
            max_docs: None,
            judged_only: false,
            num_docs: 0,
            compat: Compat::V9_0_8,
        }
    }
}

/// The values of one evaluated topic.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicEval {
    /// The topic's qid.
    pub qid: String,
    /// `values[i]` is the value of [`Evaluation::measures`]`[i]` on this topic. For the
    /// summary-only measures it is what the summary aggregates: 1 for `num_q`, AP for
    /// `gm_map`, bpref for `gm_bpref`. For the text measures (`relstring`) it is NaN and
    /// the text is in `texts`.
    pub values: Vec<f64>,
    /// `(i, text)`: the value of the text measure [`Evaluation::measures`]`[i]`.
    pub texts: Vec<(usize, String)>,
}

impl TopicEval {
    /// The text value of measure `i` (`relstring`), if it is a text measure.
    pub fn text(&self, i: usize) -> Option<&str> {
        self.texts
            .iter()
            .find(|(j, _)| *j == i)
            .map(|(_, t)| t.as_str())
    }
}

/// The result of evaluating one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The measures, in the order requested, without duplicates.
    pub measures: Vec<Measure>,
    /// One entry per evaluated topic, in byte order of qid.
    pub per_topic: Vec<TopicEval>,
    /// `summary[i]` is the summary value of `measures[i]` (trec_eval's `all` line).
    pub summary: Vec<f64>,
    /// The run's tag, printed as `runid`.
    pub runid: String,
}

impl Evaluation {
    /// The summary value of `m`, if it was evaluated.
    pub fn get(&self, m: &Measure) -> Option<f64> {
        let i = self.measures.iter().position(|x| x == m)?;
        Some(self.summary[i])
    }

    /// The value of `m` on topic `qid`, if both were evaluated.
    pub fn topic_value(&self, qid: &str, m: &Measure) -> Option<f64> {
        let i = self.measures.iter().position(|x| x == m)?;
        let t = self.per_topic.iter().find(|t| t.qid == qid)?;
        Some(t.values[i])
    }
}

/// Evaluates `run` against `qrels` as trec_eval 9.0.8 does without flags.
///
/// Errors: a document retrieved twice within an evaluated topic, a NaN score in an evaluated
/// topic, or no topic in common between the run and the qrels.
pub fn evaluate(qrels: &Qrels, run: &Run, measures: &[Measure]) -> Result<Evaluation> {
    Evaluator::new(qrels, measures, EvalOptions::default())?.evaluate(run)
}

/// Evaluates `run` against `qrels` with trec_eval flags `options`.
pub fn evaluate_with(
    qrels: &Qrels,
    run: &Run,
    measures: &[Measure],
    options: EvalOptions,
) -> Result<Evaluation> {
    Evaluator::new(qrels, measures, options)?.evaluate(run)
}

/// Qrels prepared once for a set of measures and options, to evaluate any number of runs.
///
/// It holds no mutable state, so it can be shared between threads.
#[derive(Debug)]
pub struct Evaluator<'q> {
    measures: Vec<Measure>,
    options: EvalOptions,
    judgments: HashMap<&'q str, Judgments<'q>>,
    /// Number of qrels topics (the `-c` divisor).
    num_qrels_topics: usize,
    /// Qrels lines with a value > 0 over all topics (the `-c` summary num_rel).
    num_positive_judgments: usize,
}

impl<'q> Evaluator<'q> {
    /// Prepares `qrels` for evaluating `measures` (duplicates are dropped, the first
    /// occurrence kept) with `options`.
    pub fn new(qrels: &'q Qrels, measures: &[Measure], options: EvalOptions) -> Result<Self> {
        if options.relevance_level < 0 {
            return Err(Error::config(
                Location::file("relevance_level"),
                format!(
                    "the relevance level must be 0 or more, not {} (trec_eval's results for \
                     negative levels are not meaningful)",
                    options.relevance_level
                ),
            ));
        }
        let mut unique: Vec<Measure> = Vec::with_capacity(measures.len());
        for m in measures {
            if !unique.contains(m) {
                unique.push(m.clone());
            }
        }
        let judgments: HashMap<&str, Judgments> = qrels
            .topics()
            .map(|(qid, topic)| (qid, Judgments::new(topic, options.relevance_level)))
            .collect();
        let num_positive_judgments = judgments.values().map(|j| j.num_positive).sum();
        Ok(Evaluator {
            measures: unique,
            options,
            num_qrels_topics: qrels.num_topics(),
            num_positive_judgments,
            judgments,
        })
    }

    /// The measures evaluated, in the order of [`Evaluation::measures`].
    pub fn measures(&self) -> &[Measure] {
        &self.measures
    }

    /// The options in force.
    pub fn options(&self) -> &EvalOptions {
        &self.options
    }

    /// Evaluates one run.
    pub fn evaluate(&self, run: &Run) -> Result<Evaluation> {
        self.evaluate_at(run, &run_location(run))
    }

    /// Evaluates one run read from `path`, which errors name.
    pub fn evaluate_file(&self, run: &Run, path: &std::path::Path) -> Result<Evaluation> {
        self.evaluate_at(run, &Location::file(path))
    }

    fn evaluate_at(&self, run: &Run, location: &Location) -> Result<Evaluation> {
        let nm = self.measures.len();
        // Topics in byte order of qid; a qid split over several `RunTopic`s is one topic, and
        // a topic without documents does not exist for trec_eval.
        let mut topics: Vec<&RunTopic> = run.topics.iter().filter(|t| !t.docs.is_empty()).collect();
        topics.sort_by(|a, b| a.qid.cmp(&b.qid));

        let mut scratch = Scratch::default();
        let mut ranking = Ranking::default();
        let mut per_topic: Vec<TopicEval> = Vec::new();
        let mut sums = vec![0.0f64; nm];

        let mut start = 0;
        while start < topics.len() {
            let qid = topics[start].qid.as_str();
            let end = start + topics[start..].iter().take_while(|t| t.qid == qid).count();
            let group = &topics[start..end];
            start = end;
            let Some(judg) = self.judgments.get(qid) else {
                continue;
            };

            let classes = scratch.classify(location, qid, group, judg, &self.options)?;
            ranking.compute(classes, judg, self.options.relevance_level);
            let ctx = topic::Context {
                num_docs: self.options.num_docs,
                compat: self.options.compat,
            };
            let values: Vec<f64> = self
                .measures
                .iter()
                .map(|m| ranking.value(m, judg, &ctx))
                .collect();
            let texts: Vec<(usize, String)> = self
                .measures
                .iter()
                .enumerate()
                .filter(|(_, m)| m.is_text())
                .map(|(i, m)| (i, ranking.relstring(m)))
                .collect();
            for ((sum, m), &v) in sums.iter_mut().zip(&self.measures).zip(&values) {
                *sum += match m.aggregate() {
                    Aggregate::GeoMean => v.max(MIN_GEO_MEAN).ln(),
                    Aggregate::None => 0.0,
                    _ => v,
                };
            }
            per_topic.push(TopicEval {
                qid: qid.to_string(),
                values,
                texts,
            });
        }

        if per_topic.is_empty() {
            return Err(Error::eval(
                EvalErrorKind::NoOverlap,
                location.clone(),
                "no topic has both results and judgments \
                 (trec_eval: No queries with both results and relevance info)",
            ));
        }

        let evaluated = per_topic.len();
        let num_q = if self.options.complete {
            self.num_qrels_topics
        } else {
            evaluated
        };
        let missing = (num_q - evaluated) as f64;
        let summary = self
            .measures
            .iter()
            .zip(&sums)
            .map(|(m, &sum)| match m.aggregate() {
                Aggregate::Count => num_q as f64,
                Aggregate::Sum if *m == Measure::NumRel && self.options.complete => {
                    self.num_positive_judgments as f64
                }
                Aggregate::Sum => sum,
                Aggregate::None => f64::NAN,
                Aggregate::Mean => sum / num_q as f64,
                Aggregate::GeoMean => {
                    let log_sum = if missing > 0.0 {
                        sum + missing * MIN_GEO_MEAN.ln()
                    } else {
                        sum
                    };
                    (log_sum / num_q as f64).exp()
                }
            })
            .collect();

        Ok(Evaluation {
            measures: self.measures.clone(),
            per_topic,
            summary,
            runid: run.tag.clone(),
        })
    }
}

/// Buffers reused from topic to topic while evaluating one run.
#[derive(Default)]
struct Scratch<'r> {
    ranked: Vec<(f64, &'r str)>,
    seen: HashSet<&'r str>,
    classes: Vec<i64>,
}

impl<'r> Scratch<'r> {
    /// Sorts the documents of one topic (spread over `group`) as trec_eval does, applies
    /// `-M`, checks for duplicates, classifies each document against `judg` and applies `-J`.
    /// Returns the classes in rank order.
    fn classify(
        &mut self,
        location: &Location,
        qid: &str,
        group: &[&'r RunTopic],
        judg: &Judgments<'_>,
        options: &EvalOptions,
    ) -> Result<&[i64]> {
        self.ranked.clear();
        for doc in group.iter().flat_map(|t| &t.docs) {
            if doc.score.is_nan() {
                return Err(Error::input(
                    location.clone(),
                    format!("topic {qid}: document {} has a NaN score", doc.docno),
                ));
            }
            // Compared as float32 (9.0.8) or f64 (10.0); `+ 0.0` turns -0.0 into 0.0, which
            // C's comparisons treat as equal.
            let key = match options.compat {
                Compat::V9_0_8 => f64::from(doc.score as f32),
                Compat::V10_0 => doc.score,
            };
            self.ranked.push((key + 0.0, doc.docno.as_str()));
        }
        // Score descending, then docno descending in byte order.
        self.ranked.sort_unstable_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| b.1.as_bytes().cmp(a.1.as_bytes()))
        });
        if let Some(m) = options.max_docs {
            self.ranked.truncate(m);
        }

        self.seen.clear();
        self.classes.clear();
        for &(_, docno) in &self.ranked {
            if !self.seen.insert(docno) {
                return Err(Error::eval(
                    EvalErrorKind::DuplicateDoc {
                        qid: qid.to_string(),
                        docno: docno.to_string(),
                    },
                    location.clone(),
                    format!(
                        "topic {qid}: document {docno} is retrieved more than once \
                         (trec_eval: duplicate docs)"
                    ),
                ));
            }
            let class = judg.class(docno);
            if !(options.judged_only && class < 0) {
                self.classes.push(class);
            }
        }
        Ok(&self.classes)
    }
}

/// Runs carry no path; errors name the run by its tag.
fn run_location(run: &Run) -> Location {
    Location::file(format!("run {}", run.tag))
}

#[cfg(test)]
mod tests;
