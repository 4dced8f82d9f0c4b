//! Fusion: combining the ranked lists of several runs into one run.
//!
//! [`fuse`] takes runs with the same topics and, topic by topic, ranks every document that
//! any run retrieved (within the input depth) by a combined score:
//!
//! 1. **Input ranks.** Each run's list is ordered by score descending (compared as
//!    double), ties by docno descending in byte order: trec_eval's rule. Only the first
//!    [`FuseOptions::depth`] documents of each list take part.
//! 2. **Normalization** ([`Norm`]), per run and per topic, for the score-based methods.
//! 3. **Combination** ([`Method`]), with a weight per run for the summing methods. What a
//!    document missing from a run contributes is [`Missing`]'s choice (or the method's own
//!    rule, for Borda).
//! 4. **Output.** The fused list is ordered as trec_eval 9.0.8 ranks it (score descending
//!    compared as float32, then docno descending) and cut at [`FuseOptions::hits`].
//!
//! The formulas are ranx's (its names are given with each variant) and are written out in
//! `docs/fusion.md`; [`Compat::Anserini`] computes instead as Anserini 1.7.1's `FuseRuns`
//! does, for its `rrf`, `average`, `interpolation` and `weighted`.
//!
//! ```
//! use irexp_trec::fuse::{fuse, FuseOptions, Method};
//! use irexp_trec::run::{Run, RunDoc, RunTopic};
//!
//! let run = |docs: &[(&str, f64)]| Run {
//!     tag: "r".into(),
//!     topics: vec![RunTopic {
//!         qid: "1".into(),
//!         docs: docs.iter().map(|&(d, s)| RunDoc { docno: d.into(), score: s }).collect(),
//!     }],
//! };
//! let a = run(&[("d1", 3.0), ("d2", 2.0)]);
//! let b = run(&[("d2", 0.9), ("d3", 0.5)]);
//! let fused = fuse(&[a, b], &FuseOptions::new(Method::Rrf)).unwrap();
//! let order: Vec<&str> = fused.topics[0].docs.iter().map(|d| d.docno.as_str()).collect();
//! // d2: 1/62 + 1/61; d1: 1/61; d3: 1/62.
//! assert_eq!(order, ["d2", "d1", "d3"]);
//! ```

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::error::{Error, Location, Result};
use crate::hash::FastMap;
use crate::run::{trec_eval_cmp, Run, RunDoc, RunTopic};

/// How the per-run scores of a document are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Reciprocal rank fusion: `Σ w_i / (k + rank_i)` over the runs that retrieved the
    /// document (ranx `rrf`; Anserini `rrf`).
    Rrf,
    /// Inverse square rank: `n_d · Σ w_i / rank_i²`, `n_d` the number of runs that retrieved
    /// the document (ranx `isr`).
    Isr,
    /// Borda count: in a topic with `N` candidates (documents retrieved by any run), a run
    /// gives its document at rank r `N − r + 1` points and every document it did not
    /// retrieve `(N − len_i + 1) / 2`; `Σ w_i · points_i` (ranx `bordafuse`).
    Borda,
    /// CombSUM: `Σ w_i · s_i` (ranx `sum`).
    CombSum,
    /// CombMNZ: `n_d · Σ w_i · s_i` (ranx `mnz`).
    CombMnz,
    /// CombMAX: the largest `s_i` (ranx `max`).
    CombMax,
    /// CombMIN: the smallest `s_i` (ranx `min`).
    CombMin,
    /// CombMED: the median of the `s_i` (the mean of the two middle ones for an even
    /// count; ranx `med`).
    CombMed,
    /// CombANZ: `Σ s_i / n_d` (ranx `anz`).
    CombAnz,
    /// Weighted sum, the linear interpolation of two runs with one `alpha`: CombSUM with
    /// weights that must be given (ranx `wsum`; Anserini `interpolation` and `weighted`).
    WSum,
    /// The mean over all runs, `Σ s_i / m` for `m` runs, a missing document counting 0
    /// (Anserini `average`; it ranks as CombSUM does).
    Average,
}

/// Every method, in the order they are documented.
pub const METHODS: [Method; 11] = [
    Method::Rrf,
    Method::Isr,
    Method::Borda,
    Method::CombSum,
    Method::CombMnz,
    Method::CombMax,
    Method::CombMin,
    Method::CombMed,
    Method::CombAnz,
    Method::WSum,
    Method::Average,
];

impl Method {
    /// The name irexp uses (lower case).
    pub fn name(self) -> &'static str {
        match self {
            Method::Rrf => "rrf",
            Method::Isr => "isr",
            Method::Borda => "borda",
            Method::CombSum => "combsum",
            Method::CombMnz => "combmnz",
            Method::CombMax => "combmax",
            Method::CombMin => "combmin",
            Method::CombMed => "combmed",
            Method::CombAnz => "combanz",
            Method::WSum => "wsum",
            Method::Average => "average",
        }
    }

    /// Other spellings accepted for this method: ranx's names and Anserini's.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Method::Rrf => &[],
            Method::Isr => &[],
            Method::Borda => &["bordafuse"],
            Method::CombSum => &["sum", "comb_sum"],
            Method::CombMnz => &["mnz", "comb_mnz"],
            Method::CombMax => &["max", "comb_max"],
            Method::CombMin => &["min", "comb_min"],
            Method::CombMed => &["med", "comb_med"],
            Method::CombAnz => &["anz", "comb_anz"],
            Method::WSum => &["weighted", "interpolation", "weighted_sum"],
            Method::Average => &[],
        }
    }

    /// True for the methods that use only the ranks of the input lists, not their scores.
    pub fn uses_ranks(self) -> bool {
        matches!(self, Method::Rrf | Method::Isr | Method::Borda)
    }

    /// True for the methods that take a weight per run.
    pub fn takes_weights(self) -> bool {
        matches!(
            self,
            Method::Rrf
                | Method::Isr
                | Method::Borda
                | Method::CombSum
                | Method::CombMnz
                | Method::WSum
        )
    }
}

/// How each run's scores are normalized, per topic, before a score-based method combines
/// them. Formulas over the scores `s` of one run's list for one topic (after the depth cut).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Norm {
    /// The scores as they are.
    #[default]
    None,
    /// `(s − min) / max(max − min, 1e-9)` (ranx `min-max`; Anserini
    /// `-min_max_normalization` differs when all scores are equal, see [`Compat`]).
    MinMax,
    /// `(s − mean) / max(sd, 1e-9)`, sd the population standard deviation (ranx `zmuv`).
    ZScore,
    /// `(s − min) / max(Σ s − n · min, 1e-9)` (ranx `sum`).
    Sum,
    /// `s / max(max, 1e-9)` (ranx `max`).
    Max,
    /// `1 − (r − 1) / n` for rank `r` of `n` (ranx `rank`).
    Rank,
    /// Borda points scaled to (0, 1]: `1 − (r − 1) / N` for rank `r`, `N` the topic's
    /// candidates; a document the run did not retrieve gets `0.5 − (n − 1) / (2N)` and counts
    /// as retrieved (ranx `borda`).
    Borda,
}

/// Every normalization, in the order they are documented.
pub const NORMS: [Norm; 7] = [
    Norm::None,
    Norm::MinMax,
    Norm::ZScore,
    Norm::Sum,
    Norm::Max,
    Norm::Rank,
    Norm::Borda,
];

impl Norm {
    /// The name irexp uses (lower case).
    pub fn name(self) -> &'static str {
        match self {
            Norm::None => "none",
            Norm::MinMax => "min-max",
            Norm::ZScore => "zscore",
            Norm::Sum => "sum",
            Norm::Max => "max",
            Norm::Rank => "rank",
            Norm::Borda => "borda",
        }
    }

    /// Other spellings accepted: ranx's names.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Norm::None => &[],
            Norm::MinMax => &["min_max", "minmax"],
            Norm::ZScore => &["zmuv", "z-score"],
            Norm::Sum | Norm::Max | Norm::Rank | Norm::Borda => &[],
        }
    }
}

/// What a document that a run did not retrieve (within the depth) contributes to a
/// score-based method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Missing {
    /// Nothing: 0 in the sums, and it is left out of CombMAX, CombMIN, CombMED, CombANZ and
    /// of the count `n_d` (ranx's and Anserini's rule).
    #[default]
    Zero,
    /// The lowest (normalized) score that the run gave in that topic, in every method; `n_d`
    /// still counts only the runs that retrieved the document.
    Min,
}

impl Missing {
    /// The name irexp uses.
    pub fn name(self) -> &'static str {
        match self {
            Missing::Zero => "zero",
            Missing::Min => "min",
        }
    }
}

/// Whose arithmetic and tie order fusion follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compat {
    /// ranx's formulas in double precision; the order and ties described in the module docs.
    #[default]
    Irexp,
    /// Anserini 1.7.1's `FuseRuns`: input ranks are positions in the file (it reads the rank
    /// column, which is the same for a run written in rank order); scores are float32, and
    /// each step rounds to float32 where Java does; min-max normalization gives 1 to every
    /// document of a list whose scores are all equal; equal fused scores keep the iteration
    /// order of Java's `HashMap` over the docnos, then topics are sorted by qid. Only `rrf`
    /// (with an integer `k`), `average` and `wsum`, with no normalization or min-max.
    Anserini,
}

impl Compat {
    /// The name irexp uses.
    pub fn name(self) -> &'static str {
        match self {
            Compat::Irexp => "irexp",
            Compat::Anserini => "anserini",
        }
    }
}

macro_rules! from_str_by_names {
    ($ty:ty, $all:expr, $what:literal, $aliases:expr) => {
        impl FromStr for $ty {
            type Err = String;

            fn from_str(s: &str) -> std::result::Result<Self, String> {
                let aliases: fn($ty) -> &'static [&'static str] = $aliases;
                $all.iter()
                    .copied()
                    .find(|v| v.name() == s || aliases(*v).contains(&s))
                    .ok_or_else(|| {
                        let names: Vec<&str> = $all.iter().map(|v| v.name()).collect();
                        format!(
                            "unknown {} {s:?}; expected one of {}",
                            $what,
                            names.join(", ")
                        )
                    })
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

from_str_by_names!(Method, METHODS, "fusion method", Method::aliases);
from_str_by_names!(Norm, NORMS, "normalization", Norm::aliases);
from_str_by_names!(
    Missing,
    [Missing::Zero, Missing::Min],
    "missing-document rule",
    |_| &[]
);
from_str_by_names!(
    Compat,
    [Compat::Irexp, Compat::Anserini],
    "compatibility mode",
    |_| &[]
);

/// Everything [`fuse`] needs besides the runs.
#[derive(Debug, Clone, PartialEq)]
pub struct FuseOptions {
    /// How scores are combined.
    pub method: Method,
    /// How each run's scores are normalized first (score-based methods only).
    pub norm: Norm,
    /// RRF's `k` (60 by default).
    pub rrf_k: f64,
    /// One weight per run, for the methods that take weights ([`Method::takes_weights`]);
    /// `None` is 1 for every run. [`Method::WSum`] needs them.
    pub weights: Option<Vec<f64>>,
    /// How many documents of each run's list (in input rank order) take part; `None` is all.
    pub depth: Option<usize>,
    /// How many documents of the fused list are kept; `None` is all.
    pub hits: Option<usize>,
    /// What a missing document contributes.
    pub missing: Missing,
    /// Whose arithmetic and tie order to follow.
    pub compat: Compat,
    /// The tag of the fused run.
    pub tag: String,
}

impl FuseOptions {
    /// Options for `method` with the defaults: no normalization, `k` = 60, weights 1, every
    /// document in, every document out, missing documents contribute nothing, tag = the
    /// method's name.
    pub fn new(method: Method) -> Self {
        FuseOptions {
            method,
            norm: Norm::None,
            rrf_k: 60.0,
            weights: None,
            depth: None,
            hits: None,
            missing: Missing::Zero,
            compat: Compat::Irexp,
            tag: method.name().to_string(),
        }
    }

    /// Weights `alpha, 1 − alpha` for the linear interpolation of two runs.
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.weights = Some(vec![alpha, 1.0 - alpha]);
        self
    }

    /// Checks the options against the number of runs. Errors name the option
    /// (`Location::Argument("weights")`, ...), which callers may re-locate.
    pub fn check(&self, runs: usize) -> Result<()> {
        let bad =
            |option: &str, message: String| Err(Error::config(Location::arg(option), message));
        if runs < 2 {
            return bad(
                "runs",
                format!("fusion needs at least two runs, got {runs}"),
            );
        }
        let m = self.method;
        if m.uses_ranks() && self.norm != Norm::None {
            return bad(
                "norm",
                format!("{m} uses only the ranks of the input lists, so a normalization ({}) would have no effect; leave it out", self.norm),
            );
        }
        if m.uses_ranks() && self.missing != Missing::Zero {
            return bad(
                "missing",
                format!("{m} has its own rule for documents a run did not retrieve; missing = {} applies to score-based methods", self.missing),
            );
        }
        if !(self.rrf_k.is_finite() && self.rrf_k >= 0.0) {
            return bad(
                "k",
                format!("RRF's k must be a finite number ≥ 0, got {}", self.rrf_k),
            );
        }
        match &self.weights {
            Some(_) if !m.takes_weights() => {
                return bad(
                    "weights",
                    format!("{m} takes no weights; weights apply to rrf, isr, borda, combsum, combmnz and wsum"),
                )
            }
            Some(w) if w.len() != runs => {
                return bad(
                    "weights",
                    format!("{} weights for {runs} runs; give one weight per run, in the order of the runs", w.len()),
                )
            }
            Some(w) => {
                if let Some(x) = w.iter().find(|x| !x.is_finite()) {
                    return bad("weights", format!("weight {x} is not a finite number"));
                }
            }
            None if m == Method::WSum => {
                return bad(
                    "weights",
                    "wsum needs one weight per run (or alpha, for two runs)".to_string(),
                )
            }
            None => {}
        }
        if self.depth == Some(0) {
            return bad("depth", "the input depth must be at least 1".to_string());
        }
        if self.hits == Some(0) {
            return bad("hits", "the output depth must be at least 1".to_string());
        }
        if self.compat == Compat::Anserini {
            if !matches!(m, Method::Rrf | Method::Average | Method::WSum) {
                return bad(
                    "compat",
                    format!("Anserini's FuseRuns has no {m}; with compat = anserini use rrf, average or wsum (its interpolation and weighted)"),
                );
            }
            if !matches!(self.norm, Norm::None | Norm::MinMax) {
                return bad(
                    "compat",
                    format!(
                        "Anserini's FuseRuns has only min-max normalization, not {}",
                        self.norm
                    ),
                );
            }
            if m == Method::Rrf && (self.rrf_k.fract() != 0.0 || self.rrf_k > i32::MAX as f64) {
                return bad(
                    "k",
                    format!("Anserini's RRF k is an integer, got {}", self.rrf_k),
                );
            }
            if self.weights.is_some() && m == Method::Rrf {
                return bad("weights", "Anserini's RRF takes no weights".to_string());
            }
            if self.missing != Missing::Zero {
                return bad(
                    "missing",
                    "Anserini's FuseRuns counts a missing document as 0 (missing = zero)"
                        .to_string(),
                );
            }
        }
        Ok(())
    }
}

/// Fuses `runs`, which must hold the same topics, into one run (see the module docs).
/// Errors name a run by its position (`run 2`); [`fuse_files`] names the files.
pub fn fuse(runs: &[Run], options: &FuseOptions) -> Result<Run> {
    let sources: Vec<Location> = (1..=runs.len())
        .map(|i| Location::arg(format!("run {i}")))
        .collect();
    fuse_located(runs, &sources, options)
}

/// Reads the TREC run files at `paths` (plain or compressed) and fuses them. Errors name the
/// file, and the line for bad lines and duplicate documents.
pub fn fuse_files(paths: &[PathBuf], options: &FuseOptions) -> Result<Run> {
    options.check(paths.len())?;
    // One thread per file: reading and parsing is most of the work.
    let runs = std::thread::scope(|scope| {
        let readers: Vec<_> = paths
            .iter()
            .map(|p| scope.spawn(move || Run::read(p)))
            .collect();
        readers
            .into_iter()
            .map(|r| r.join().expect("a run reader thread panicked"))
            .collect::<Result<Vec<_>>>()
    })?;
    for (run, path) in runs.iter().zip(paths) {
        for t in &run.topics {
            if let Some((_, _, docno)) = first_duplicate(&t.docs) {
                let location = nth_line_of(path, &t.qid, docno, 2)
                    .map_or_else(|| Location::file(path), |line| Location::line(path, line));
                return Err(duplicate_error(location, &t.qid, &t.docs));
            }
        }
    }
    let sources: Vec<Location> = paths.iter().map(Location::file).collect();
    fuse_located(&runs, &sources, options)
}

/// Fusion with each run's source named in errors.
pub fn fuse_located(runs: &[Run], sources: &[Location], options: &FuseOptions) -> Result<Run> {
    assert_eq!(runs.len(), sources.len(), "one source per run");
    options.check(runs.len())?;
    let topics = align_topics(runs, sources)?;
    let mut out = Run {
        tag: options.tag.clone(),
        topics: Vec::with_capacity(topics.len()),
    };
    for (qid, lists) in &topics {
        for (list, source) in lists.iter().zip(sources) {
            check_list(qid, list, source)?;
        }
    }
    // Topics are fused on a few threads, each a contiguous share, collected in order.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let share = topics.len().div_ceil(threads).max(1);
    let fused: Vec<Vec<RunTopic>> = std::thread::scope(|scope| {
        let workers: Vec<_> = topics
            .chunks(share)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|(qid, lists)| RunTopic {
                            qid: qid.to_string(),
                            docs: match options.compat {
                                Compat::Irexp => fuse_topic(lists, options),
                                Compat::Anserini => fuse_topic_anserini(lists, options),
                            },
                        })
                        .collect()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a fusion thread panicked"))
            .collect()
    });
    out.topics.extend(fused.into_iter().flatten());
    if options.compat == Compat::Anserini {
        // FuseRuns writes topics sorted by qid (Java's String order: UTF-16 units, which is
        // byte order for the ASCII qids of TREC runs).
        out.topics
            .sort_by(|a, b| a.qid.encode_utf16().cmp(b.qid.encode_utf16()));
    }
    Ok(out)
}

/// A topic's qid and each run's list for it.
type TopicLists<'a> = (&'a str, Vec<&'a [RunDoc]>);

/// For each topic of the first run (in its order), the list of every run; an error when the
/// runs' topics differ.
fn align_topics<'a>(runs: &'a [Run], sources: &[Location]) -> Result<Vec<TopicLists<'a>>> {
    let maps: Vec<HashMap<&str, &[RunDoc]>> = runs
        .iter()
        .map(|r| {
            r.topics
                .iter()
                .map(|t| (t.qid.as_str(), t.docs.as_slice()))
                .collect()
        })
        .collect();
    for (i, map) in maps.iter().enumerate().skip(1) {
        let missing_here = runs[0]
            .topics
            .iter()
            .find(|t| !map.contains_key(t.qid.as_str()));
        let extra_here = runs[i]
            .topics
            .iter()
            .find(|t| !maps[0].contains_key(t.qid.as_str()));
        let shared = runs[0]
            .topics
            .iter()
            .filter(|t| map.contains_key(t.qid.as_str()))
            .count();
        let problem = match (missing_here, extra_here) {
            (Some(t), _) => format!("has no topic {} of {}", t.qid, sources[0]),
            (None, Some(t)) => format!("has topic {}, which {} does not have", t.qid, sources[0]),
            (None, None) => continue,
        };
        return Err(Error::input(
            sources[i].clone(),
            format!(
                "{problem}; runs to fuse must hold the same topics ({shared} shared, of {} in {} and {} here)",
                runs[0].topics.len(),
                sources[0],
                runs[i].topics.len(),
            ),
        ));
    }
    Ok(runs[0]
        .topics
        .iter()
        .map(|t| {
            let qid = t.qid.as_str();
            (qid, maps.iter().map(|m| m[qid]).collect())
        })
        .collect())
}

/// Scores must be finite, and a document may appear once per topic.
fn check_list(qid: &str, list: &[RunDoc], source: &Location) -> Result<()> {
    if let Some(d) = list.iter().find(|d| !d.score.is_finite()) {
        return Err(Error::input(
            source.clone(),
            format!(
                "topic {qid}, document {}: score {} is not a finite number",
                d.docno, d.score
            ),
        ));
    }
    if first_duplicate(list).is_some() {
        return Err(duplicate_error(source.clone(), qid, list));
    }
    Ok(())
}

/// The positions of the first document listed twice, and its docno.
fn first_duplicate(list: &[RunDoc]) -> Option<(usize, usize, &str)> {
    let mut seen: FastMap<&str, usize> = FastMap::default();
    seen.reserve(list.len());
    list.iter().enumerate().find_map(|(i, d)| {
        seen.insert(d.docno.as_str(), i)
            .map(|first| (first, i, d.docno.as_str()))
    })
}

fn duplicate_error(location: Location, qid: &str, list: &[RunDoc]) -> Error {
    let (first, second, docno) = first_duplicate(list).expect("a duplicate");
    Error::input(
        location,
        format!(
            "topic {qid} lists document {docno} twice (entries {} and {} of the topic); a run to fuse must rank each document once",
            first + 1,
            second + 1
        ),
    )
}

/// The 1-based line of the `n`th line of `path` for (`qid`, `docno`).
fn nth_line_of(path: &Path, qid: &str, docno: &str, n: usize) -> Option<usize> {
    let text = crate::input::read_to_string(path).ok()?;
    let line = crate::input::lines(&text)
        .enumerate()
        .filter(|(_, l)| {
            let mut f = l.split_ascii_whitespace();
            f.next() == Some(qid) && f.nth(1) == Some(docno)
        })
        .nth(n - 1)
        .map(|(i, _)| i + 1);
    line
}

/// Score descending (double), then docno descending: the order that gives input ranks.
fn input_order(a: &RunDoc, b: &RunDoc) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| b.docno.as_bytes().cmp(a.docno.as_bytes()))
}

/// One topic, ranx's formulas in double precision.
fn fuse_topic(lists: &[&[RunDoc]], o: &FuseOptions) -> Vec<RunDoc> {
    // Each run's list in input rank order, cut at the depth.
    let ranked: Vec<Vec<&RunDoc>> = lists
        .iter()
        .map(|list| {
            let mut v: Vec<&RunDoc> = list.iter().collect();
            v.sort_by(|a, b| input_order(a, b));
            v.truncate(o.depth.unwrap_or(usize::MAX));
            v
        })
        .collect();
    // The candidates: every document of any list, numbered in order of first appearance.
    let mut index: FastMap<&str, usize> = FastMap::default();
    index.reserve(ranked[0].len() * 2);
    let mut docnos: Vec<&str> = Vec::new();
    for list in &ranked {
        for d in list {
            index.entry(d.docno.as_str()).or_insert_with(|| {
                docnos.push(d.docno.as_str());
                docnos.len() - 1
            });
        }
    }
    let n = docnos.len();
    // values[i][c]: run i's value for candidate c, None when it did not retrieve it.
    let values: Vec<Vec<Option<f64>>> = ranked
        .iter()
        .map(|list| run_values(list, &index, n, o))
        .collect();
    let weight = |i: usize| o.weights.as_ref().map_or(1.0, |w| w[i]);
    let mut present: Vec<f64> = Vec::with_capacity(lists.len());
    let scores: Vec<f64> = (0..n)
        .map(|c| {
            present.clear();
            let mut sum = 0.0;
            for (i, v) in values.iter().enumerate() {
                if let Some(x) = v[c] {
                    present.push(x);
                    sum += weight(i) * x;
                }
            }
            let count = present.len() as f64;
            match o.method {
                Method::Rrf | Method::Borda | Method::CombSum | Method::WSum => sum,
                Method::Isr | Method::CombMnz => sum * count,
                Method::Average => sum / lists.len() as f64,
                Method::CombAnz => present.iter().sum::<f64>() / count,
                Method::CombMax => present.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                Method::CombMin => present.iter().copied().fold(f64::INFINITY, f64::min),
                Method::CombMed => median(&mut present),
            }
        })
        .collect();
    ranked_output(&docnos, &scores, o.hits)
}

/// The candidates in trec_eval's order ([`trec_eval_cmp`]), the first `hits` of them.
fn ranked_output(docnos: &[&str], scores: &[f64], hits: Option<usize>) -> Vec<RunDoc> {
    let order =
        |a: &usize, b: &usize| trec_eval_cmp((scores[*a], docnos[*a]), (scores[*b], docnos[*b]));
    let mut idx: Vec<usize> = (0..docnos.len()).collect();
    let hits = hits.unwrap_or(usize::MAX).min(idx.len());
    if hits < idx.len() {
        idx.select_nth_unstable_by(hits, order);
        idx.truncate(hits);
    }
    idx.sort_unstable_by(order);
    idx.into_iter()
        .map(|c| RunDoc {
            docno: docnos[c].to_string(),
            score: scores[c],
        })
        .collect()
}

/// One run's value for every candidate of a topic (`None`: not retrieved and nothing
/// contributed). `list` is in input rank order.
fn run_values(
    list: &[&RunDoc],
    index: &FastMap<&str, usize>,
    n: usize,
    o: &FuseOptions,
) -> Vec<Option<f64>> {
    let mut out = vec![None; n];
    let len = list.len();
    let slot = |d: &RunDoc| index[d.docno.as_str()];
    match o.method {
        Method::Rrf => {
            for (r, d) in list.iter().enumerate() {
                out[slot(d)] = Some(1.0 / (o.rrf_k + (r + 1) as f64));
            }
            return out;
        }
        Method::Isr => {
            for (r, d) in list.iter().enumerate() {
                out[slot(d)] = Some(1.0 / ((r + 1) as f64).powi(2));
            }
            return out;
        }
        Method::Borda => {
            let unranked = (n as f64 - len as f64 + 1.0) / 2.0;
            out.iter_mut().for_each(|v| *v = Some(unranked));
            for (r, d) in list.iter().enumerate() {
                out[slot(d)] = Some((n - r) as f64);
            }
            return out;
        }
        _ => {}
    }
    let scores: Vec<f64> = list.iter().map(|d| d.score).collect();
    let normalized = normalize(&scores, o.norm, n);
    for (d, &x) in list.iter().zip(&normalized) {
        out[slot(d)] = Some(x);
    }
    if o.norm == Norm::Borda {
        // ranx's borda normalization scores every candidate of the topic.
        let unranked = 0.5 - (len as f64 - 1.0) / (2.0 * n as f64);
        out.iter_mut()
            .filter(|v| v.is_none())
            .for_each(|v| *v = Some(unranked));
    } else if o.missing == Missing::Min {
        if let Some(min) = normalized.iter().copied().reduce(f64::min) {
            out.iter_mut()
                .filter(|v| v.is_none())
                .for_each(|v| *v = Some(min));
        }
    }
    out
}

/// The normalized scores of one list (in input rank order), as ranx computes them: sums
/// and means in rank order. `candidates` is the topic's number of candidates (Borda).
fn normalize(scores: &[f64], norm: Norm, candidates: usize) -> Vec<f64> {
    const FLOOR: f64 = 1e-9;
    let n = scores.len() as f64;
    let min = || scores.iter().copied().fold(f64::INFINITY, f64::min);
    let max = || scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let sum = || scores.iter().fold(0.0, |acc, &s| acc + s);
    match norm {
        Norm::None => scores.to_vec(),
        Norm::MinMax => {
            let (lo, hi) = (min(), max());
            let d = (hi - lo).max(FLOOR);
            scores.iter().map(|&s| (s - lo) / d).collect()
        }
        Norm::ZScore => {
            let mean = sum() / n;
            let var = scores
                .iter()
                .fold(0.0, |acc, &s| acc + (s - mean) * (s - mean))
                / n;
            let d = var.sqrt().max(FLOOR);
            scores.iter().map(|&s| (s - mean) / d).collect()
        }
        Norm::Sum => {
            let lo = min();
            let d = (sum() - lo * n).max(FLOOR);
            scores.iter().map(|&s| (s - lo) / d).collect()
        }
        Norm::Max => {
            let d = max().max(FLOOR);
            scores.iter().map(|&s| s / d).collect()
        }
        Norm::Rank => (0..scores.len()).map(|r| 1.0 - r as f64 / n).collect(),
        Norm::Borda => (0..scores.len())
            .map(|r| 1.0 - r as f64 / candidates as f64)
            .collect(),
    }
}

/// The median; the mean of the two middle values for an even count.
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// One topic as Anserini 1.7.1's `FuseRuns` computes it (see [`Compat::Anserini`]).
fn fuse_topic_anserini(lists: &[&[RunDoc]], o: &FuseOptions) -> Vec<RunDoc> {
    let m = lists.len();
    let mut index: FastMap<&str, usize> = FastMap::default();
    let mut docnos: Vec<&str> = Vec::new();
    let mut sums: Vec<f32> = Vec::new();
    for (i, list) in lists.iter().enumerate() {
        let list = &list[..list.len().min(o.depth.unwrap_or(usize::MAX))];
        let mut scores: Vec<f32> = list.iter().map(|d| d.score as f32).collect();
        if o.norm == Norm::MinMax && !scores.is_empty() {
            let lo = scores.iter().copied().fold(f32::INFINITY, f32::min);
            let hi = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            for s in &mut scores {
                *s = if hi == lo { 1.0 } else { (*s - lo) / (hi - lo) };
            }
        }
        let scale = match (o.method, &o.weights) {
            (Method::Average, _) => 1.0 / m as f64,
            (_, Some(w)) => w[i],
            (_, None) => 1.0,
        };
        for (r, (d, s)) in list.iter().zip(scores).enumerate() {
            let value = match o.method {
                Method::Rrf => (1.0 / (o.rrf_k + (r + 1) as f64)) as f32,
                _ => (s as f64 * scale) as f32,
            };
            match index.get(d.docno.as_str()) {
                Some(&c) => sums[c] += value,
                None => {
                    index.insert(d.docno.as_str(), docnos.len());
                    docnos.push(d.docno.as_str());
                    sums.push(value);
                }
            }
        }
    }
    let mut order = java_hash_map_order(&docnos);
    // A stable sort by score descending (Java's `Float.compare`), as the stream sort is.
    order.sort_by(|&a, &b| sums[b].total_cmp(&sums[a]));
    order.truncate(o.hits.unwrap_or(usize::MAX));
    order
        .into_iter()
        .map(|c| RunDoc {
            docno: docnos[c].to_string(),
            score: sums[c] as f64,
        })
        .collect()
}

/// The order in which a `java.util.HashMap` that had `keys` put into it, in this order,
/// iterates them: by bucket (`hash ^ hash >>> 16` masked by the table size, which starts at
/// 16 and doubles when the map is more than three quarters full), and within a bucket in
/// order of insertion.
///
/// A bucket that grows to nine keys in a table of 64 or more is turned into a tree, whose
/// order this does not model; no topic of the reference runs comes near that, and when it
/// happens the keys of that bucket keep their insertion order.
fn java_hash_map_order(keys: &[&str]) -> Vec<usize> {
    let hashes: Vec<u32> = keys
        .iter()
        .map(|k| {
            let h = k
                .encode_utf16()
                .fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(c as i32))
                as u32;
            h ^ (h >> 16)
        })
        .collect();
    let mut cap = 16usize;
    let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); cap];
    let resize = |buckets: &mut Vec<Vec<usize>>, cap: &mut usize| {
        *cap *= 2;
        let mut next = vec![Vec::new(); *cap];
        for b in buckets.iter() {
            for &k in b {
                next[hashes[k] as usize & (*cap - 1)].push(k);
            }
        }
        *buckets = next;
    };
    for (k, &hash) in hashes.iter().enumerate() {
        let b = hash as usize & (cap - 1);
        buckets[b].push(k);
        if buckets[b].len() > 8 && cap < 64 {
            // treeifyBin on a small table resizes instead.
            resize(&mut buckets, &mut cap);
        }
        if k + 1 > cap * 3 / 4 {
            resize(&mut buckets, &mut cap);
        }
    }
    buckets.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(tag: &str, topics: &[(&str, &[(&str, f64)])]) -> Run {
        Run {
            tag: tag.into(),
            topics: topics
                .iter()
                .map(|(qid, docs)| RunTopic {
                    qid: qid.to_string(),
                    docs: docs
                        .iter()
                        .map(|&(d, s)| RunDoc {
                            docno: d.into(),
                            score: s,
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    fn scores(r: &Run) -> Vec<(String, f64)> {
        r.topics[0]
            .docs
            .iter()
            .map(|d| (d.docno.clone(), d.score))
            .collect()
    }

    #[test]
    fn names_parse_with_ranx_aliases() {
        for m in METHODS {
            assert_eq!(m.name().parse::<Method>().unwrap(), m);
            for a in m.aliases() {
                assert_eq!(a.parse::<Method>().unwrap(), m);
            }
        }
        for n in NORMS {
            assert_eq!(n.name().parse::<Norm>().unwrap(), n);
        }
        assert_eq!("zmuv".parse::<Norm>().unwrap(), Norm::ZScore);
        assert_eq!("mnz".parse::<Method>().unwrap(), Method::CombMnz);
        let err = "rrrf".parse::<Method>().unwrap_err();
        assert!(
            err.contains("unknown fusion method \"rrrf\"") && err.contains("combmnz"),
            "{err}"
        );
    }

    #[test]
    fn combsum_mnz_and_missing_documents() {
        let a = run("a", &[("1", &[("x", 2.0), ("y", 1.0)])]);
        let b = run("b", &[("1", &[("y", 4.0), ("z", 3.0)])]);
        let sum = fuse(&[a.clone(), b.clone()], &FuseOptions::new(Method::CombSum)).unwrap();
        assert_eq!(
            scores(&sum),
            [("y".into(), 5.0), ("z".into(), 3.0), ("x".into(), 2.0)]
        );
        let mnz = fuse(&[a.clone(), b.clone()], &FuseOptions::new(Method::CombMnz)).unwrap();
        assert_eq!(
            scores(&mnz),
            [("y".into(), 10.0), ("z".into(), 3.0), ("x".into(), 2.0)]
        );
        let mut min = FuseOptions::new(Method::CombSum);
        min.missing = Missing::Min;
        let filled = fuse(&[a, b], &min).unwrap();
        // x gets b's lowest score (3), z gets a's (1).
        assert_eq!(
            scores(&filled),
            [("y".into(), 5.0), ("x".into(), 5.0), ("z".into(), 4.0)]
        );
    }

    #[test]
    fn ties_break_by_docno_descending() {
        let a = run("a", &[("1", &[("a", 1.0)])]);
        let b = run("b", &[("1", &[("b", 1.0)])]);
        let fused = fuse(&[a, b], &FuseOptions::new(Method::Rrf)).unwrap();
        let order: Vec<&str> = fused.topics[0]
            .docs
            .iter()
            .map(|d| d.docno.as_str())
            .collect();
        assert_eq!(order, ["b", "a"]);
    }

    #[test]
    fn borda_points_and_median() {
        let a = run("a", &[("1", &[("x", 9.0), ("y", 8.0)])]);
        let b = run("b", &[("1", &[("z", 1.0)])]);
        let c = run("c", &[("1", &[("y", 5.0), ("x", 1.0), ("z", 0.5)])]);
        let borda = fuse(
            &[a.clone(), b.clone(), c.clone()],
            &FuseOptions::new(Method::Borda),
        )
        .unwrap();
        // N = 3. x: 3 + (3-1+1)/2 + 2 = 6.5; y: 2 + 1.5 + 3 = 6.5; z: (3-2+1)/2 + 3 + 1 = 5.
        assert_eq!(
            scores(&borda),
            [("y".into(), 6.5), ("x".into(), 6.5), ("z".into(), 5.0)]
        );
        let med = fuse(&[a, b, c], &FuseOptions::new(Method::CombMed)).unwrap();
        assert_eq!(
            scores(&med),
            [("y".into(), 6.5), ("x".into(), 5.0), ("z".into(), 0.75)]
        );
    }

    #[test]
    fn normalizations() {
        let s = [4.0, 2.0, 1.0];
        assert_eq!(normalize(&s, Norm::MinMax, 3), [1.0, 1.0 / 3.0, 0.0]);
        assert_eq!(normalize(&s, Norm::Max, 3), [1.0, 0.5, 0.25]);
        assert_eq!(normalize(&s, Norm::Sum, 3), [0.75, 0.25, 0.0]);
        assert_eq!(
            normalize(&s, Norm::Rank, 3),
            [1.0, 1.0 - 1.0 / 3.0, 1.0 - 2.0 / 3.0]
        );
        let z = normalize(&s, Norm::ZScore, 3);
        assert!(z.iter().sum::<f64>().abs() < 1e-12);
        assert!((z.iter().map(|x| x * x).sum::<f64>() / 3.0 - 1.0).abs() < 1e-12);
        // Equal scores: the 1e-9 floor keeps min-max finite (every document 0).
        assert_eq!(normalize(&[2.0, 2.0], Norm::MinMax, 2), [0.0, 0.0]);
    }

    #[test]
    fn depth_and_hits_cut() {
        let a = run("a", &[("1", &[("x", 3.0), ("y", 2.0), ("w", 1.0)])]);
        let b = run("b", &[("1", &[("w", 3.0), ("z", 2.0)])]);
        let mut o = FuseOptions::new(Method::CombSum);
        o.depth = Some(1);
        o.hits = Some(1);
        let fused = fuse(&[a, b], &o).unwrap();
        // w is only in b's first place once a is cut to x; then x (3) and w (3) tie: x > w.
        assert_eq!(scores(&fused), [("x".into(), 3.0)]);
    }

    #[test]
    fn bad_inputs_are_errors() {
        let a = run("a", &[("1", &[("x", 1.0)])]);
        let b = run("b", &[("2", &[("x", 1.0)])]);
        let err = fuse(&[a.clone(), b], &FuseOptions::new(Method::Rrf)).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("run 2: has no topic 1 of run 1"),
            "{err}"
        );
        let dup = run("d", &[("1", &[("x", 1.0), ("x", 0.5)])]);
        let err = fuse(&[a.clone(), dup], &FuseOptions::new(Method::Rrf)).unwrap_err();
        assert!(err.to_string().contains("lists document x twice"), "{err}");
        let nan = run("n", &[("1", &[("x", f64::NAN)])]);
        let err = fuse(&[a.clone(), nan], &FuseOptions::new(Method::CombSum)).unwrap_err();
        assert!(err.to_string().contains("not a finite number"), "{err}");
        let mut o = FuseOptions::new(Method::CombSum);
        o.weights = Some(vec![1.0]);
        let err = fuse(&[a.clone(), a.clone()], &o).unwrap_err();
        assert!(
            err.to_string().starts_with("weights: 1 weights for 2 runs"),
            "{err}"
        );
        let err = fuse(&[a.clone(), a], &FuseOptions::new(Method::WSum)).unwrap_err();
        assert!(
            err.to_string().contains("wsum needs one weight per run"),
            "{err}"
        );
    }

    #[test]
    fn java_hash_map_order_follows_buckets() {
        // "a".hashCode() = 97 -> bucket 1 of 16; "b" = 98 -> 2; "Aa" and "BB" collide (2112
        // -> bucket 0) and keep their insertion order.
        let order = java_hash_map_order(&["b", "a", "BB", "Aa"]);
        assert_eq!(order, [2, 3, 1, 0]);
        // 13 keys grow the table to 32: "q" (113) goes to bucket 17 and "a" to 1.
        let keys: Vec<String> = "abcdefghijklq".chars().map(String::from).collect();
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        let order = java_hash_map_order(&refs);
        assert_eq!(order.last(), Some(&12));
    }
}
