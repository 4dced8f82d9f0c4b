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
//! use irexp_eval::eval::{evaluate, measure::parse_measure_list};
//! use irexp_trec::qrels::Qrels;
//! use irexp_trec::run::Run;
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

use std::collections::HashMap;

use crate::hash::{FastMap, FastSet};

use crate::error::{Error, EvalErrorKind, Location, Result};
use crate::qrels::Qrels;
use crate::run::Run;
use measure::Aggregate;
pub use measure::{parse_measure_list, parse_measures, Measure, MeasureParseError};
use rayon::prelude::*;
use topic::{Judgments, Ranking};

/// The lower bound trec_eval applies to a value before taking its logarithm in `gm_*`.
pub const MIN_GEO_MEAN: f64 = 1e-5;

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
    /// `lround(x·R)`; `#` comment lines in runs read with [`Evaluator::evaluate_text`] are
    /// skipped; with `-c`, qrels topics missing from the run are printed per topic
    /// (evaluated against a one-document unjudged ranking, num_ret, utility, unj, rbp_resid
    /// and relstring then zeroed, as 10.0 does); `all_trec` adds unj, rbp and rbp_resid. 10.0's fatal error on a qrels topic missing from the run (a regression
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

    /// The same evaluation restricted to `measures` (each must have been evaluated), in
    /// that order: what evaluating with `measures` alone gives, since every measure is
    /// computed on its own.
    pub fn select(&self, measures: &[Measure]) -> Evaluation {
        let index: Vec<usize> = measures
            .iter()
            .map(|m| {
                self.measures
                    .iter()
                    .position(|x| x == m)
                    .expect("select names only evaluated measures")
            })
            .collect();
        Evaluation {
            measures: measures.to_vec(),
            per_topic: self
                .per_topic
                .iter()
                .map(|t| TopicEval {
                    qid: t.qid.clone(),
                    values: index.iter().map(|&i| t.values[i]).collect(),
                    texts: index
                        .iter()
                        .enumerate()
                        .filter_map(|(new, &old)| {
                            t.texts
                                .iter()
                                .find(|(i, _)| *i == old)
                                .map(|(_, text)| (new, text.clone()))
                        })
                        .collect(),
                })
                .collect(),
            summary: index.iter().map(|&i| self.summary[i]).collect(),
            runid: self.runid.clone(),
        }
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
    judgments: FastMap<&'q str, Judgments<'q>>,
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
        let judgments: FastMap<&str, Judgments> = qrels
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

    /// The sort key of a (non-NaN) score: the score as float32 (9.0.8) or f64 (10.0), with
    /// -0.0 turned into 0.0 (C's comparisons treat them as equal), mapped to an integer in
    /// the same order, so that sorting compares integers.
    fn score_key(&self, score: f64) -> u64 {
        let x = match self.options.compat {
            Compat::V9_0_8 => f64::from(score as f32) + 0.0,
            Compat::V10_0 => score + 0.0,
        };
        let bits = x.to_bits();
        if bits >> 63 == 1 {
            !bits
        } else {
            bits | (1 << 63)
        }
    }

    fn evaluate_at(&self, run: &Run, location: &Location) -> Result<Evaluation> {
        // A qid split over several `RunTopic`s is one topic; a topic without documents does
        // not exist for trec_eval.
        let mut groups: HashMap<&str, Vec<(u64, &str)>> = HashMap::new();
        for t in run.topics.iter().filter(|t| !t.docs.is_empty()) {
            let ranked = groups.entry(t.qid.as_str()).or_default();
            for doc in &t.docs {
                if doc.score.is_nan() {
                    return Err(Error::input(
                        location.clone(),
                        format!("topic {}: document {} has a NaN score", t.qid, doc.docno),
                    ));
                }
                ranked.push((self.score_key(doc.score), doc.docno.as_str()));
            }
        }
        let topics: Vec<(&str, Vec<(u64, &str)>)> = groups.into_iter().collect();
        self.evaluate_grouped(topics, &run.tag, location)
    }

    /// Evaluates a run given as TREC run text (`qid Q0 docno rank score tag` lines), read
    /// from `path` (used in error messages), without building a [`Run`]: the fast path of
    /// `irexp eval`. Blank lines are skipped; a line with fewer than six fields, a score that
    /// is not a number, or a NaN score is an error naming the line; the runid is the tag of
    /// the last line, as trec_eval prints it. Gives what [`Run::parse`] then
    /// [`Evaluator::evaluate_file`] give, except that a document retrieved twice is reported at
    /// its second line, naming the first.
    pub fn evaluate_text(&self, text: &str, path: &std::path::Path) -> Result<Evaluation> {
        // The text is cut at line ends into one chunk per thread; chunks are parsed in
        // parallel and merged in file order, so the result (and the first error reported)
        // does not depend on the thread count.
        let chunks = split_lines(text, rayon::current_num_threads().max(1) * 2);
        let parsed: Vec<std::result::Result<Chunk, (usize, String)>> = chunks
            .par_iter()
            .map(|&chunk| self.parse_chunk(chunk))
            .collect();
        let mut index: FastMap<&str, usize> = FastMap::default();
        let mut topics: Vec<(&str, Vec<(u64, &str)>)> = Vec::new();
        let mut tag = "";
        let mut start = 0usize;
        for (chunk, result) in chunks.iter().zip(parsed) {
            let c = match result {
                Ok(c) => c,
                Err((line, message)) => {
                    // Lines before this chunk, counted only now that they are needed.
                    let before = text.as_bytes()[..start]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count();
                    return Err(Error::input(Location::line(path, before + line), message));
                }
            };
            start += chunk.len();
            if let Some(t) = c.tag {
                tag = t;
            }
            for (qid, docs) in c.topics {
                match index.get(qid) {
                    Some(&slot) => topics[slot].1.extend(docs),
                    None => {
                        index.insert(qid, topics.len());
                        topics.push((qid, docs));
                    }
                }
            }
        }
        if topics.is_empty() {
            return Err(Error::input(
                Location::file(path),
                "the run file has no results",
            ));
        }
        self.evaluate_grouped(topics, tag, &Location::file(path))
            .map_err(|e| locate_duplicate(e, text, path))
    }

    /// Parses the run lines of `chunk`; an error carries the 1-based line within the chunk.
    fn parse_chunk<'t>(&self, chunk: &'t str) -> std::result::Result<Chunk<'t>, (usize, String)> {
        let mut index: FastMap<&str, usize> = FastMap::default();
        let mut topics: Vec<(&str, Vec<(u64, &str)>)> = Vec::new();
        let mut tag = None;
        // Runs are grouped by topic in practice: the previous line's topic is checked first.
        let mut last: Option<(&str, usize)> = None;
        let bytes = chunk.as_bytes();
        let mut pos = 0usize;
        let mut line = 0usize;
        while pos < bytes.len() {
            line += 1;
            // Up to six fields of this line, scanned once; the rest of the line is skipped.
            let mut f: [&str; 6] = [""; 6];
            let mut nf = 0usize;
            loop {
                while pos < bytes.len() && is_blank(bytes[pos]) {
                    pos += 1;
                }
                if pos >= bytes.len() || bytes[pos] == b'\n' || nf == 6 {
                    break;
                }
                let start = pos;
                while pos < bytes.len() && !is_blank(bytes[pos]) && bytes[pos] != b'\n' {
                    pos += 1;
                }
                // Field ends are ASCII whitespace or the end: character boundaries.
                f[nf] = &chunk[start..pos];
                nf += 1;
            }
            let end = bytes[pos..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |p| pos + p);
            pos = end + 1;
            if nf == 0 {
                continue;
            }
            // trec_eval 10.0 skips a line whose first non-blank character is `#`.
            if self.options.compat == Compat::V10_0 && f[0].starts_with('#') {
                continue;
            }
            if nf < 6 {
                return Err((
                    line,
                    format!("expected 6 fields `qid Q0 docno rank score tag`, found {nf}"),
                ));
            }
            let (qid, docno, score, t) = (f[0], f[2], f[4], f[5]);
            let score: f64 = match score.parse() {
                Ok(v) if !f64::is_nan(v) => v,
                Ok(_) => return Err((line, "score is NaN, which has no rank order".into())),
                Err(_) => {
                    return Err((
                        line,
                        format!(
                            "field 5 (score) {score:?} is not a number; expected a decimal \
                             number such as 12.5 or 1e-3"
                        ),
                    ))
                }
            };
            let slot = match last {
                Some((q, slot)) if q == qid => slot,
                _ => {
                    // Runs usually have the same depth for every topic: size the next
                    // topic's list like the previous one.
                    let hint = last.map_or(0, |(_, prev)| topics[prev].1.len());
                    let slot = *index.entry(qid).or_insert_with(|| {
                        topics.push((qid, Vec::with_capacity(hint)));
                        topics.len() - 1
                    });
                    last = Some((qid, slot));
                    slot
                }
            };
            topics[slot].1.push((self.score_key(score), docno));
            tag = Some(t);
        }
        Ok(Chunk { topics, tag })
    }

    /// Evaluates topics given as (qid, unsorted (score key, docno) pairs), in any order.
    fn evaluate_grouped(
        &self,
        input: Vec<(&str, Vec<(u64, &str)>)>,
        tag: &str,
        location: &Location,
    ) -> Result<Evaluation> {
        // Rebound so that qids borrowed from the qrels can join those of the run.
        let mut topics: Vec<(&str, Vec<(u64, &str)>)> = input;
        // Only topics with judgments, in byte order of qid.
        topics.retain(|(qid, _)| self.judgments.contains_key(qid));
        // trec_eval 10.0 with -c evaluates each qrels topic missing from the run against a
        // one-document ranking of an unjudged document, then zeroes some values (below).
        let dummies = if self.options.complete && self.options.compat == Compat::V10_0 {
            let present: FastSet<&str> = topics.iter().map(|(q, _)| *q).collect();
            let missing: Vec<&str> = self
                .judgments
                .keys()
                .copied()
                .filter(|q| !present.contains(q))
                .collect();
            for &q in &missing {
                topics.push((q, vec![(self.score_key(1.0), DUMMY_DOCNO)]));
            }
            missing.into_iter().collect::<FastSet<&str>>()
        } else {
            FastSet::default()
        };
        topics.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let ctx = topic::Context {
            num_docs: self.options.num_docs,
            compat: self.options.compat,
        };

        // Topics are evaluated in parallel; results come back in topic order, so the sums
        // below are accumulated in the same order whatever the thread count.
        let results: Vec<Result<TopicEval>> = topics
            .par_iter_mut()
            .map_init(
                || (Scratch::default(), Ranking::default()),
                |(scratch, ranking), (qid, ranked)| {
                    let judg = &self.judgments[*qid];
                    let classes = scratch.classify(location, qid, ranked, judg, &self.options)?;
                    ranking.compute(classes, judg, self.options.relevance_level);
                    let dummy = dummies.contains(qid);
                    let values: Vec<f64> = self
                        .measures
                        .iter()
                        .map(|m| {
                            if dummy && dummy_zeroed(m) {
                                0.0
                            } else {
                                ranking.value(m, judg, &ctx)
                            }
                        })
                        .collect();
                    let texts: Vec<(usize, String)> = self
                        .measures
                        .iter()
                        .enumerate()
                        .filter(|(_, m)| m.is_text())
                        .map(|(i, m)| {
                            let cleared = dummy && m.name() == "relstring";
                            (
                                i,
                                if cleared {
                                    String::new()
                                } else {
                                    ranking.relstring(m)
                                },
                            )
                        })
                        .collect();
                    Ok(TopicEval {
                        qid: qid.to_string(),
                        values,
                        texts,
                    })
                },
            )
            .collect();
        let per_topic: Vec<TopicEval> = results.into_iter().collect::<Result<_>>()?;
        if per_topic.is_empty() {
            return Err(Error::eval(
                EvalErrorKind::NoOverlap,
                location.clone(),
                "no topic has both results and judgments \
                 (trec_eval: No queries with both results and relevance info)",
            ));
        }
        let summary = self.summarize(&per_topic);
        Ok(Evaluation {
            measures: self.measures.clone(),
            per_topic,
            summary,
            runid: tag.to_string(),
        })
    }

    /// The summary values of per-topic values (in qid order): sums accumulated in that
    /// order, then divided once (spec §5).
    fn summarize(&self, per_topic: &[TopicEval]) -> Vec<f64> {
        let mut sums = vec![0.0f64; self.measures.len()];
        for t in per_topic {
            for ((sum, m), &v) in sums.iter_mut().zip(&self.measures).zip(&t.values) {
                *sum += match m.aggregate() {
                    Aggregate::GeoMean => v.max(MIN_GEO_MEAN).ln(),
                    Aggregate::None => 0.0,
                    _ => v,
                };
            }
        }
        let evaluated = per_topic.len();
        let num_q = if self.options.complete {
            self.num_qrels_topics
        } else {
            evaluated
        };
        let missing = num_q.saturating_sub(evaluated) as f64;
        self.measures
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
            .collect()
    }

    /// trec_eval's `-Z`: every per-topic value of `eval` (from this evaluator) replaced by
    /// its z-score `(value − mean) / sd` with the topic's and measure's mean and standard
    /// deviation from `z`, or by −1000000 when they are missing (or sd is 0 and the value
    /// is not the mean); the summary is then aggregated from those values as usual.
    pub fn z_scores(&self, eval: &Evaluation, z: &ZScores) -> Evaluation {
        let names: Vec<String> = eval.measures.iter().map(Measure::name).collect();
        let per_topic: Vec<TopicEval> = eval
            .per_topic
            .iter()
            .map(|t| {
                let values = t
                    .values
                    .iter()
                    .zip(&names)
                    .map(|(&v, name)| z.convert(&t.qid, name, v))
                    .collect();
                TopicEval {
                    qid: t.qid.clone(),
                    values,
                    texts: t.texts.clone(),
                }
            })
            .collect();
        let summary = self.summarize(&per_topic);
        Evaluation {
            measures: eval.measures.clone(),
            per_topic,
            summary,
            runid: eval.runid.clone(),
        }
    }
}

/// The docno of trec_eval 10.0's stand-in ranking for a qrels topic missing from the run.
const DUMMY_DOCNO: &str = "ceci_nest_pas_un_docno";

/// Whether trec_eval 10.0 zeroes `m` for a stand-in topic: it compares printed names, so
/// `num_ret`, `utility` and `rbp_resid` only without parameters, and every `unj_k`.
fn dummy_zeroed(m: &Measure) -> bool {
    let name = m.name();
    matches!(name.as_str(), "num_ret" | "utility" | "rbp_resid") || name.starts_with("unj")
}

/// The value trec_eval gives a z-score it cannot compute.
pub const MISSING_ZSCORE: f64 = -1_000_000.0;

/// trec_eval's z-score file (`-Z`): lines `qid measure mean sd`.
#[derive(Debug, Clone, Default)]
pub struct ZScores {
    by_topic: HashMap<String, HashMap<String, (f64, f64)>>,
}

impl ZScores {
    /// Parses z-score text; `path` is used in error messages. Every line needs four
    /// fields, the last two numbers.
    pub fn parse(text: &str, path: &std::path::Path) -> Result<ZScores> {
        let mut z = ZScores::default();
        for (i, line) in crate::input::lines(text).enumerate() {
            let fields: Vec<&str> = line.split_ascii_whitespace().collect();
            if fields.is_empty() {
                continue;
            }
            let number = |s: &str, what: &str| {
                s.parse::<f64>().map_err(|_| {
                    Error::input(
                        Location::line(path, i + 1),
                        format!("{what} {s:?} is not a number"),
                    )
                })
            };
            if fields.len() != 4 {
                return Err(Error::input(
                    Location::line(path, i + 1),
                    format!(
                        "expected 4 fields `qid measure mean sd`, found {}",
                        fields.len()
                    ),
                ));
            }
            let mean = number(fields[2], "field 3 (mean)")?;
            let sd = number(fields[3], "field 4 (sd)")?;
            z.by_topic
                .entry(fields[0].to_string())
                .or_default()
                .insert(fields[1].to_string(), (mean, sd));
        }
        Ok(z)
    }

    fn convert(&self, qid: &str, measure: &str, value: f64) -> f64 {
        match self.by_topic.get(qid).and_then(|t| t.get(measure)) {
            Some(&(mean, sd)) if sd != 0.0 => (value - mean) / sd,
            Some(&(mean, _)) if value == mean => 0.0,
            _ => MISSING_ZSCORE,
        }
    }
}

/// Whitespace within a run line, as `str::split_ascii_whitespace` sees it (the line
/// break aside).
#[inline]
fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\x0c' | b'\r')
}

/// The run lines of one chunk of text, grouped by topic in order of appearance.
struct Chunk<'t> {
    topics: Vec<(&'t str, Vec<(u64, &'t str)>)>,
    /// The tag of the chunk's last line.
    tag: Option<&'t str>,
}

/// Cuts `text` into at most `n` pieces of similar size, each ending at a line end (or at the
/// end of the text).
fn split_lines(text: &str, n: usize) -> Vec<&str> {
    let target = text.len() / n + 1;
    let mut chunks = Vec::with_capacity(n);
    let mut rest = text;
    while !rest.is_empty() {
        if rest.len() <= target {
            chunks.push(rest);
            break;
        }
        let cut = match rest.as_bytes()[target..].iter().position(|&b| b == b'\n') {
            Some(p) => target + p + 1,
            None => rest.len(),
        };
        let (head, tail) = rest.split_at(cut);
        chunks.push(head);
        rest = tail;
    }
    chunks
}

/// Buffers reused from topic to topic while evaluating one run.
#[derive(Default)]
struct Scratch<'r> {
    seen: FastSet<&'r str>,
    classes: Vec<i64>,
}

impl<'r> Scratch<'r> {
    /// Sorts the documents of one topic as trec_eval does, applies `-M`, checks for
    /// duplicates, classifies each document against `judg` and applies `-J`. Returns the
    /// classes in rank order.
    fn classify(
        &mut self,
        location: &Location,
        qid: &str,
        ranked: &mut Vec<(u64, &'r str)>,
        judg: &Judgments<'_>,
        options: &EvalOptions,
    ) -> Result<&[i64]> {
        // Score descending, then docno descending in byte order.
        ranked.sort_unstable_by(|a, b| {
            b.0.cmp(&a.0)
                .then_with(|| b.1.as_bytes().cmp(a.1.as_bytes()))
        });
        if let Some(m) = options.max_docs {
            ranked.truncate(m);
        }

        self.seen.clear();
        self.classes.clear();
        for &(_, docno) in ranked.iter() {
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

/// Gives a duplicate-document error from run text the lines of both occurrences.
fn locate_duplicate(err: Error, text: &str, path: &std::path::Path) -> Error {
    let Error::Eval {
        kind: EvalErrorKind::DuplicateDoc { qid, docno },
        ..
    } = &err
    else {
        return err;
    };
    let lines: Vec<usize> = crate::input::lines(text)
        .enumerate()
        .filter(|(_, line)| {
            let mut f = line.split_ascii_whitespace();
            f.next() == Some(qid.as_str()) && f.nth(1) == Some(docno.as_str())
        })
        .map(|(i, _)| i + 1)
        .take(2)
        .collect();
    match lines[..] {
        [first, second] => Error::eval(
            EvalErrorKind::DuplicateDoc {
                qid: qid.clone(),
                docno: docno.clone(),
            },
            Location::line(path, second),
            format!(
                "field 3 (docno): document {docno} is retrieved twice for topic {qid} (first \
                 at line {first}); expected each docno once per topic (trec_eval: duplicate docs)"
            ),
        ),
        _ => err,
    }
}

/// Runs carry no path; errors name the run by its tag.
fn run_location(run: &Run) -> Location {
    Location::file(format!("run {}", run.tag))
}

#[cfg(test)]
mod tests;
