//! Cross-validation by topic: folds, and the choice of a grid point per fold without
//! looking at the fold's test topics.
//!
//! * [`Folds`]: `K` folds dealt from a seeded shuffle ([`Folds::random`]), leave-one-out
//!   ([`Folds::leave_one_out`]), or a published fold file ([`Folds::read`]).
//! * [`choose`]: for each fold, the point with the highest mean of the measure on the
//!   *training* topics (every other fold's); a tie goes to the first point in grid order.
//!   The fold's test topics then take their results from that point.
//! * [`write_grid`]: a sweep's tidy tables, `grid.csv` and `grid.topics.csv`; with the
//!   `plots` feature, [`plot::grid_svg`] draws a heatmap (two parameters) or a line (one).
//!
//! A topic's value is its per-topic value in the point's [`Evaluation`]. A topic the
//! evaluation has no value for is left out of a mean, except under `trec_eval -c`
//! ([`EvalOptions::complete`](crate::eval::EvalOptions)), where a judged topic without
//! results counts 0, as it does in trec_eval's average. Means add values in the order of the
//! topics given (the topics file's) and divide once.

#[cfg(feature = "plots")]
pub mod plot;

use std::path::Path;

use crate::compare::stats::{below, counter_u64};
use crate::error::{Error, Location, Result};
use crate::eval::{Evaluation, Measure};
use crate::hash::{FastMap, FastSet};

/// The stream of [`counter_u64`] that shuffles topics into folds.
const FOLD_STREAM: u64 = 0x666f_6c64; // "fold"

/// An assignment of topics to folds `0..k`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folds {
    /// `(qid, fold)` in topic order.
    pub assignment: Vec<(String, usize)>,
    /// The number of folds.
    pub k: usize,
}

impl Folds {
    /// `k` folds of `qids` (in topic order): the qids are shuffled by Fisher–Yates, for `i`
    /// from `n - 1` down to 1 swapping position `i` with `j = below(counter_u64(seed,
    /// FOLD_STREAM, i), i + 1)`, and the topic at shuffled position `p` goes to fold `p mod
    /// k`. So fold sizes differ by at most one, and the same seed and topics always give the
    /// same folds.
    pub fn random(qids: &[String], k: usize, seed: u64) -> std::result::Result<Folds, String> {
        if k < 2 || k > qids.len() {
            return Err(format!(
                "{k} folds need at least 2 folds and one topic per fold; there are {} topics",
                qids.len()
            ));
        }
        let mut order: Vec<usize> = (0..qids.len()).collect();
        for i in (1..order.len()).rev() {
            let j = below(counter_u64(seed, FOLD_STREAM, i as u64), i + 1);
            order.swap(i, j);
        }
        let mut fold = vec![0; qids.len()];
        for (p, &t) in order.iter().enumerate() {
            fold[t] = p % k;
        }
        Ok(Folds {
            assignment: qids.iter().cloned().zip(fold).collect(),
            k,
        })
    }

    /// One fold per topic.
    pub fn leave_one_out(qids: &[String]) -> Folds {
        Folds {
            assignment: qids
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, q)| (q, i))
                .collect(),
            k: qids.len(),
        }
    }

    /// A fold file: one line per fold, whitespace-separated qids (blank lines and lines
    /// starting with `#` are skipped). Every topic of `qids` must be in exactly one fold. A
    /// qid that is not a topic is an error, unless it is one of `ignored` (topics of the
    /// topics file that `topics.subset` left out). Errors name the file and line.
    pub fn read(path: &Path, qids: &[String], ignored: &FastSet<String>) -> Result<Folds> {
        let text = crate::input::read_to_string(path)?;
        let known: FastMap<&str, usize> = qids
            .iter()
            .enumerate()
            .map(|(i, q)| (q.as_str(), i))
            .collect();
        let mut fold: Vec<Option<(usize, usize)>> = vec![None; qids.len()];
        let mut k = 0;
        for (i, line) in crate::input::lines(&text).enumerate() {
            let lineno = i + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            for qid in line.split_ascii_whitespace() {
                match known.get(qid) {
                    Some(&t) => {
                        if let Some((_, first)) = fold[t] {
                            return Err(Error::input(
                                Location::line(path, lineno),
                                format!("topic {qid} is in two folds (also on line {first})"),
                            ));
                        }
                        fold[t] = Some((k, lineno));
                    }
                    None if ignored.contains(qid) => {}
                    None => {
                        return Err(Error::input(
                            Location::line(path, lineno),
                            format!("qid {qid} is not a topic of the topics file"),
                        ))
                    }
                }
            }
            k += 1;
        }
        let missing: Vec<&str> = qids
            .iter()
            .zip(&fold)
            .filter(|(_, f)| f.is_none())
            .map(|(q, _)| q.as_str())
            .collect();
        if !missing.is_empty() {
            let head: Vec<&str> = missing.iter().take(10).copied().collect();
            return Err(Error::input(
                Location::file(path),
                format!(
                    "{} topics are in no fold: {}{}",
                    missing.len(),
                    head.join(" "),
                    if missing.len() > 10 { " ..." } else { "" }
                ),
            ));
        }
        if k < 2 {
            return Err(Error::input(
                Location::file(path),
                format!("the fold file has {k} folds; cross-validation needs at least 2"),
            ));
        }
        Ok(Folds {
            assignment: qids
                .iter()
                .cloned()
                .zip(
                    fold.into_iter()
                        .map(|f| f.expect("every topic has a fold").0),
                )
                .collect(),
            k,
        })
    }

    /// The qids of fold `f`, in topic order.
    pub fn test(&self, f: usize) -> Vec<&str> {
        self.assignment
            .iter()
            .filter(|(_, g)| *g == f)
            .map(|(q, _)| q.as_str())
            .collect()
    }

    /// The qids of every fold but `f`, in topic order.
    pub fn train(&self, f: usize) -> Vec<&str> {
        self.assignment
            .iter()
            .filter(|(_, g)| *g != f)
            .map(|(q, _)| q.as_str())
            .collect()
    }
}

/// How a topic's value is found in an evaluation.
#[derive(Clone, Copy)]
pub struct Averaging<'a> {
    /// `trec_eval -c`: judged topics without results count 0.
    pub complete: bool,
    /// Whether a topic is judged (has qrels).
    pub judged: &'a dyn Fn(&str) -> bool,
}

impl std::fmt::Debug for Averaging<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Averaging")
            .field("complete", &self.complete)
            .finish_non_exhaustive()
    }
}

/// The mean of `measure` over `topics` in `eval` (see the module documentation); NaN when no
/// topic has a value.
pub fn mean(eval: &Evaluation, measure: &Measure, topics: &[&str], avg: Averaging<'_>) -> f64 {
    let Some(m) = eval.measures.iter().position(|x| x == measure) else {
        return f64::NAN;
    };
    let values: FastMap<&str, f64> = eval
        .per_topic
        .iter()
        .map(|t| (t.qid.as_str(), t.values[m]))
        .collect();
    let (mut sum, mut n) = (0.0, 0usize);
    for q in topics {
        match values.get(q) {
            Some(v) => {
                sum += v;
                n += 1;
            }
            None if avg.complete && (avg.judged)(q) => n += 1,
            None => {}
        }
    }
    if n == 0 {
        f64::NAN
    } else {
        sum / n as f64
    }
}

/// The point chosen for one fold.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The fold, from 0.
    pub fold: usize,
    /// The chosen point's index in grid order.
    pub point: usize,
    /// Its mean on the fold's training topics.
    pub train_mean: f64,
    /// Its mean on the fold's test topics.
    pub test_mean: f64,
}

/// For each fold, the point (an index into `points`, in grid order) with the highest mean of
/// `measure` on the training topics; the first such point on a tie (a NaN mean never wins).
/// Only the training topics are read to choose, so the test topics' judgments cannot
/// influence the choice.
pub fn choose(
    points: &[&Evaluation],
    measure: &Measure,
    folds: &Folds,
    avg: Averaging<'_>,
) -> Vec<Choice> {
    (0..folds.k)
        .map(|f| {
            let train = folds.train(f);
            let mut best: Option<(usize, f64)> = None;
            for (i, e) in points.iter().enumerate() {
                let m = mean(e, measure, &train, avg);
                if !m.is_nan() && best.is_none_or(|(_, b)| m > b) {
                    best = Some((i, m));
                }
            }
            let (point, train_mean) = best.unwrap_or((0, f64::NAN));
            Choice {
                fold: f,
                point,
                train_mean,
                test_mean: mean(points[point], measure, &folds.test(f), avg),
            }
        })
        .collect()
}

/// One point of a grid, for [`write_grid`].
#[derive(Debug, Clone, Copy)]
pub struct GridRow<'a> {
    /// The point's name (`bm25[k1=0.9,b=0.4]`).
    pub name: &'a str,
    /// Its value of each parameter, as text, in the order of the grid's parameter names.
    pub values: &'a [String],
    /// Its evaluation.
    pub evaluation: &'a Evaluation,
}

/// A value for a CSV cell: numbers as trec_eval prints them (4 decimals) would hide the
/// differences a sweep looks for, so the shortest text that reads back to the value.
fn cell(x: f64) -> String {
    format!("{x}")
}

/// Quotes a CSV field when it holds a comma or a quote (point names do).
fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `grid.csv` (`point`, each parameter, `measure`, `mean`: one row per point and measure, in
/// grid order, then measure order) and `grid.topics.csv` (`point`, each parameter, `qid`,
/// `measure`, `value`: per point, topics in qid byte order, then measures), as text.
pub fn grid_tables(
    params: &[&str],
    rows: &[GridRow<'_>],
    measures: &[Measure],
) -> (String, String) {
    let head = |last: &str| {
        let mut h = vec!["point".to_string()];
        h.extend(params.iter().map(|p| quote(p)));
        h.push(last.to_string());
        h.join(",")
    };
    let mut grid = format!("{},mean\n", head("measure"));
    let mut topics = format!("{},measure,value\n", head("qid"));
    for row in rows {
        let mut prefix = vec![quote(row.name)];
        prefix.extend(row.values.iter().map(|v| quote(v)));
        let prefix = prefix.join(",");
        for m in measures {
            if let Some(v) = row.evaluation.get(m) {
                grid.push_str(&format!("{prefix},{},{}\n", quote(&m.to_string()), cell(v)));
            }
        }
        let idx: Vec<(usize, &Measure)> = measures
            .iter()
            .filter_map(|m| {
                row.evaluation
                    .measures
                    .iter()
                    .position(|x| x == m)
                    .map(|i| (i, m))
            })
            .collect();
        for t in &row.evaluation.per_topic {
            for &(i, m) in &idx {
                if t.text(i).is_none() {
                    topics.push_str(&format!(
                        "{prefix},{},{},{}\n",
                        quote(&t.qid),
                        quote(&m.to_string()),
                        cell(t.values[i])
                    ));
                }
            }
        }
    }
    (grid, topics)
}

/// Writes [`grid_tables`] as `grid.csv` and `grid.topics.csv` into `dir` (atomically).
pub fn write_grid(
    dir: &Path,
    params: &[&str],
    rows: &[GridRow<'_>],
    measures: &[Measure],
) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let (grid, topics) = grid_tables(params, rows, measures);
    crate::atomic::write(&dir.join("grid.csv"), grid.as_bytes())?;
    crate::atomic::write(&dir.join("grid.topics.csv"), topics.as_bytes())
}

#[cfg(test)]
mod tests;
