//! Comparing evaluated runs for a paper: paired significance tests, multiple-comparison
//! corrections, effect sizes, and one [`Report`] rendered as a terminal table, Markdown,
//! LaTeX, CSV, JSON and SVG plots.
//!
//! This module reads [`Evaluation`]s only; it never depends on retrieval code, so it compares
//! runs from any system.
//!
//! * **Pairing is by qid**, never by position: each system's per-topic values are looked up
//!   by topic id. A topic evaluated for one system and not for another is an error naming the
//!   systems and the topics, unless [`Missing::Zero`] (trec_eval `-c`): then every qrels topic
//!   is compared and a system's missing topics score 0, and the report says which.
//! * **Tests** ([`Test`]): paired randomization (the default; exact when 2^n is within the
//!   permutation budget, else sampled with p = (b+1)/(B+1)), the paired t-test, Wilcoxon
//!   signed-rank, and randomized Tukey HSD over all systems. Each system is compared with the
//!   baseline, never the baseline with itself.
//! * **Corrections** ([`Correction`]) apply per measure, over the systems compared with the
//!   baseline (the family is one column of the results table).
//! * **Effects**: mean difference with a t interval and a percentile bootstrap interval,
//!   Cohen's d_z, wins/ties/losses with a tie margin, URisk and TRisk, and the minimum
//!   detectable effect at 80% power.
//!
//! ```
//! use std::path::Path;
//! use irexp_eval::compare::{compare, CompareOptions, System};
//! use irexp_eval::eval::{evaluate, parse_measure_list};
//! use irexp_trec::qrels::Qrels;
//! use irexp_trec::run::Run;
//!
//! let qrels = Qrels::parse("1 0 a 1\n2 0 b 1\n3 0 c 1\n", Path::new("qrels"))?;
//! let base = Run::parse("1 Q0 a 1 2 base\n1 Q0 x 2 1 base\n2 Q0 y 1 2 base\n2 Q0 b 2 1 base\n3 Q0 c 1 1 base\n", Path::new("base"))?;
//! let new = Run::parse("1 Q0 a 1 2 new\n2 Q0 b 1 2 new\n3 Q0 c 1 1 new\n", Path::new("new"))?;
//! let measures = parse_measure_list(["map"])?;
//! let systems = vec![
//!     System::new("base", evaluate(&qrels, &base, &measures)?),
//!     System::new("new", evaluate(&qrels, &new, &measures)?),
//! ];
//! let options = CompareOptions::new(measures);
//! let report = compare(&systems, "base", &options, None)?;
//! let c = &report.measures[0].comparisons[0];
//! assert_eq!(c.system, "new");
//! assert!((c.difference - 0.5 / 3.0).abs() < 1e-12);
//! assert_eq!((c.wins, c.ties, c.losses), (1, 2, 0));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "plots")]
mod plot;
mod render;
pub use render::DETAIL_HEADER;
pub mod stats;

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::atomic;
use crate::error::{Error, Location, Result};
use crate::eval::{EvalOptions, Evaluation, Evaluator, Measure};
use crate::qrels::Qrels;
#[cfg(feature = "plots")]
pub use plot::{pr_curve_svg, topic_difference_svg};
pub use stats::Correction;

/// The default number of permutations (randomization test, Tukey HSD).
pub const DEFAULT_PERMUTATIONS: usize = 10_000;

/// The default number of bootstrap resamples.
pub const DEFAULT_BOOTSTRAP: usize = 10_000;

/// The default seed.
pub const DEFAULT_SEED: u64 = 42;

/// The default significance level.
pub const DEFAULT_ALPHA: f64 = 0.05;

/// The power at which the minimum detectable effect is given.
pub const MDE_POWER: f64 = 0.8;

/// The significance test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Test {
    /// Paired randomization (sign-flip permutation) test, two-sided.
    #[default]
    Randomization,
    /// Paired Student's t-test, two-sided.
    T,
    /// Wilcoxon signed-rank test, two-sided.
    Wilcoxon,
    /// Randomized Tukey HSD over all systems (family-wise by construction).
    Tukey,
}

impl Test {
    /// The name used on the command line and in configs.
    pub fn name(self) -> &'static str {
        match self {
            Test::Randomization => "randomization",
            Test::T => "t",
            Test::Wilcoxon => "wilcoxon",
            Test::Tukey => "tukey",
        }
    }

    /// Every name, for error messages.
    pub const NAMES: &'static str = "randomization, t, wilcoxon, tukey";
}

impl FromStr for Test {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Test, String> {
        match s {
            "randomization" | "permutation" => Ok(Test::Randomization),
            "t" | "ttest" | "t-test" => Ok(Test::T),
            "wilcoxon" => Ok(Test::Wilcoxon),
            "tukey" | "tukey-hsd" => Ok(Test::Tukey),
            other => Err(format!(
                "unknown test {other:?}; known tests: {}",
                Test::NAMES
            )),
        }
    }
}

impl fmt::Display for Test {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Correction {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Correction, String> {
        match s {
            "none" => Ok(Correction::None),
            "bonferroni" => Ok(Correction::Bonferroni),
            "holm" => Ok(Correction::Holm),
            "bh" | "fdr" | "benjamini-hochberg" => Ok(Correction::Bh),
            other => Err(format!(
                "unknown correction {other:?}; known corrections: none, bonferroni, holm, bh"
            )),
        }
    }
}

impl fmt::Display for Correction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What to do with a topic evaluated for one system and not for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// Refuse to compare, naming the systems and topics.
    #[default]
    Error,
    /// trec_eval `-c`: compare over every qrels topic; a topic a system did not answer
    /// scores 0 for it.
    Zero,
}

impl Missing {
    /// The name used on the command line and in configs.
    pub fn name(self) -> &'static str {
        match self {
            Missing::Error => "error",
            Missing::Zero => "zero",
        }
    }
}

impl FromStr for Missing {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Missing, String> {
        match s {
            "error" => Ok(Missing::Error),
            "zero" => Ok(Missing::Zero),
            other => Err(format!(
                "unknown missing-topic policy {other:?}; known: error, zero"
            )),
        }
    }
}

/// Checks a significance level: a number strictly between 0 and 1.
pub fn check_alpha(alpha: f64) -> std::result::Result<f64, String> {
    if alpha > 0.0 && alpha < 1.0 {
        Ok(alpha)
    } else {
        Err(format!(
            "alpha must be strictly between 0 and 1, not {alpha}"
        ))
    }
}

/// Checks that a measure can be compared topic by topic: its summary must be the mean of
/// its per-topic values (not a count, a sum or a geometric mean).
pub fn check_measure(m: &Measure) -> std::result::Result<(), String> {
    if m.is_summary_only() || m.is_integer() {
        Err(format!(
            "measure {m} cannot be compared topic by topic: its summary is not the mean of \
             per-topic values (compare averaged measures such as map, P_10, ndcg_cut_10)"
        ))
    } else {
        Ok(())
    }
}

/// The measures compared when none is named.
pub const DEFAULT_MEASURES: &[&str] = &["map", "P.10", "ndcg_cut.10"];

/// How a comparison is made (the baseline is given to [`compare`] apart). Made by
/// [`CompareSettings::resolve`], or by hand from [`CompareOptions::new`]; either way
/// [`CompareOptions::validate`] is the one check.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareOptions {
    /// The measures compared, in table order.
    pub measures: Vec<Measure>,
    /// The significance test.
    pub test: Test,
    /// The correction; `None` picks the default (Holm, or none for Tukey HSD).
    pub correction: Option<Correction>,
    /// The significance level, in (0, 1).
    pub alpha: f64,
    /// The seed of every random draw (permutations, bootstrap).
    pub seed: u64,
    /// Permutations of the randomization test and trials of Tukey HSD (at least 10,000 by
    /// default; fewer is allowed but printed).
    pub permutations: usize,
    /// Bootstrap resamples for the interval of the mean difference.
    pub bootstrap: usize,
    /// What to do with topics missing from a system.
    pub missing: Missing,
    /// A topic is a tie when |difference| ≤ this.
    pub tie_margin: f64,
    /// URisk/TRisk risk aversion α (≥ 0).
    pub risk_alpha: f64,
}

/// A compare setting that is not valid: its key (as in `[compare]`) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    /// The key: `test`, `alpha`, `measures`, ...
    pub key: &'static str,
    /// What is wrong, and what is expected.
    pub message: String,
}

impl SettingError {
    fn new(key: &'static str, message: impl Into<String>) -> SettingError {
        SettingError {
            key,
            message: message.into(),
        }
    }
}

impl CompareOptions {
    /// The defaults: randomization test, Holm, α = 0.05, seed 42, 10,000 permutations and
    /// bootstrap resamples, missing topics an error, tie margin 0, risk α = 1.
    pub fn new(measures: Vec<Measure>) -> CompareOptions {
        CompareOptions {
            measures,
            test: Test::Randomization,
            correction: None,
            alpha: DEFAULT_ALPHA,
            seed: DEFAULT_SEED,
            permutations: DEFAULT_PERMUTATIONS,
            bootstrap: DEFAULT_BOOTSTRAP,
            missing: Missing::Error,
            tie_margin: 0.0,
            risk_alpha: 1.0,
        }
    }

    /// The correction in force.
    pub fn correction(&self) -> Correction {
        self.correction.unwrap_or(match self.test {
            Test::Tukey => Correction::None,
            _ => Correction::Holm,
        })
    }

    /// The one check of a comparison's options, naming the key of the first bad one.
    pub fn validate(&self) -> std::result::Result<(), SettingError> {
        check_alpha(self.alpha).map_err(|m| SettingError::new("alpha", m))?;
        if self.test == Test::Tukey && self.correction() != Correction::None {
            return Err(SettingError::new(
                "correction",
                format!(
                    "Tukey HSD already controls the family-wise error rate; use correction none, not {}",
                    self.correction()
                ),
            ));
        }
        if self.permutations == 0 {
            return Err(SettingError::new(
                "permutations",
                "permutations must be at least 1",
            ));
        }
        if self.bootstrap == 0 {
            return Err(SettingError::new(
                "bootstrap",
                "bootstrap resamples must be at least 1",
            ));
        }
        if !(self.tie_margin.is_finite() && self.tie_margin >= 0.0) {
            return Err(SettingError::new(
                "tie_margin",
                format!(
                    "the tie margin must be a number >= 0, not {}",
                    self.tie_margin
                ),
            ));
        }
        if !(self.risk_alpha.is_finite() && self.risk_alpha >= 0.0) {
            return Err(SettingError::new(
                "risk_alpha",
                format!(
                    "the risk alpha must be a number >= 0, not {}",
                    self.risk_alpha
                ),
            ));
        }
        if self.measures.is_empty() {
            return Err(SettingError::new("measures", "no measure to compare"));
        }
        for m in &self.measures {
            check_measure(m).map_err(|msg| SettingError::new("measures", msg))?;
        }
        Ok(())
    }
}

/// One baseline or several, as `[compare] baseline` takes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Baselines {
    /// One baseline.
    One(String),
    /// Each compared with every other system in turn.
    Many(Vec<String>),
}

impl Baselines {
    /// The baselines as a list.
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            Baselines::One(s) => vec![s.clone()],
            Baselines::Many(v) => v.clone(),
        }
    }
}

/// The compare settings as written: the `[compare]` section of a config (deserialized
/// from it, unknown keys refused) or `irexp compare`'s flags (converted from them). Every
/// field is optional; [`CompareSettings::resolve`] parses and checks them once and fills in
/// the defaults. The baseline is kept here as written and passed to [`compare`] apart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareSettings {
    /// The baseline (or baselines): a system's name (in a config, a ranker's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baselines>,
    /// Measure names, trec_eval's or ir_measures' (default [`DEFAULT_MEASURES`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measures: Option<Vec<String>>,
    /// `randomization`, `t`, `wilcoxon` or `tukey`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test: Option<String>,
    /// `none`, `bonferroni`, `holm` or `bh`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correction: Option<String>,
    /// The significance level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alpha: Option<f64>,
    /// The seed of the permutations and the bootstrap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Permutations (randomization test) or trials (Tukey HSD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permutations: Option<usize>,
    /// Bootstrap resamples.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<usize>,
    /// `error` or `zero`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<String>,
    /// A topic is a tie when |difference| is at most this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tie_margin: Option<f64>,
    /// URisk/TRisk risk aversion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk_alpha: Option<f64>,
}

impl CompareSettings {
    /// The measure names in force: as given, or [`DEFAULT_MEASURES`].
    pub fn measure_names(&self) -> Vec<String> {
        match &self.measures {
            Some(m) => m.clone(),
            None => DEFAULT_MEASURES.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Parses and checks every setting, filling in the defaults.
    pub fn resolve(&self) -> std::result::Result<CompareOptions, SettingError> {
        let mut measures: Vec<Measure> = Vec::new();
        for spec in self.measure_names() {
            let parsed = crate::eval::parse_measures(&spec)
                .map_err(|e| SettingError::new("measures", e.to_string()))?;
            for m in parsed {
                check_measure(&m).map_err(|e| SettingError::new("measures", e))?;
                if !measures.contains(&m) {
                    measures.push(m);
                }
            }
        }
        let mut options = CompareOptions::new(measures);
        if let Some(t) = &self.test {
            options.test = t.parse().map_err(|e| SettingError::new("test", e))?;
        }
        if let Some(c) = &self.correction {
            options.correction = Some(c.parse().map_err(|e| SettingError::new("correction", e))?);
        }
        if let Some(m) = &self.missing {
            options.missing = m.parse().map_err(|e| SettingError::new("missing", e))?;
        }
        options.alpha = self.alpha.unwrap_or(options.alpha);
        options.seed = self.seed.unwrap_or(options.seed);
        options.permutations = self.permutations.unwrap_or(options.permutations);
        options.bootstrap = self.bootstrap.unwrap_or(options.bootstrap);
        options.tie_margin = self.tie_margin.unwrap_or(options.tie_margin);
        options.risk_alpha = self.risk_alpha.unwrap_or(options.risk_alpha);
        options.validate()?;
        Ok(options)
    }

    /// The settings that give `options`, every one explicit (for a resolved config):
    /// `baselines` and the measure names as configured.
    pub fn explicit(
        options: &CompareOptions,
        baselines: &[String],
        measure_names: Vec<String>,
    ) -> CompareSettings {
        CompareSettings {
            baseline: Some(Baselines::Many(baselines.to_vec())),
            measures: Some(measure_names),
            test: Some(options.test.name().into()),
            correction: Some(options.correction().name().into()),
            alpha: Some(options.alpha),
            seed: Some(options.seed),
            permutations: Some(options.permutations),
            bootstrap: Some(options.bootstrap),
            missing: Some(options.missing.name().into()),
            tie_margin: Some(options.tie_margin),
            risk_alpha: Some(options.risk_alpha),
        }
    }
}

/// One system to compare: a name and its evaluation.
#[derive(Debug, Clone)]
pub struct System {
    /// The name shown in tables (the run's file stem or ranker name).
    pub name: String,
    /// Its evaluation; it must hold every compared measure.
    pub evaluation: Evaluation,
}

impl System {
    /// A named system.
    pub fn new(name: impl Into<String>, evaluation: Evaluation) -> System {
        System {
            name: name.into(),
            evaluation,
        }
    }
}

/// One system against the baseline on one measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The system.
    pub system: String,
    /// Its mean over the paired topics.
    pub mean: f64,
    /// Mean difference, system − baseline.
    pub difference: f64,
    /// Mean difference relative to the baseline's mean, in percent (`None` when the
    /// baseline's mean is 0).
    pub relative_percent: Option<f64>,
    /// The `1 − alpha` t interval of the mean difference.
    pub ci: (f64, f64),
    /// The `1 − alpha` percentile bootstrap interval of the mean difference.
    pub bootstrap_ci: (f64, f64),
    /// The test's p-value, before correction.
    pub p: f64,
    /// The p-value after the correction.
    pub p_adjusted: f64,
    /// `p_adjusted < alpha`.
    pub significant: bool,
    /// Cohen's d_z (`None` when the differences do not vary).
    pub d_z: Option<f64>,
    /// Topics where the system beats the baseline by more than the tie margin.
    pub wins: usize,
    /// Topics within the tie margin.
    pub ties: usize,
    /// Topics where the system trails by more than the tie margin.
    pub losses: usize,
    /// URisk at the configured risk α.
    pub urisk: f64,
    /// TRisk at the configured risk α (`None` when undefined).
    pub trisk: Option<f64>,
    /// Minimum detectable mean difference at 80% power (paired t-test at `alpha`), in the
    /// measure's units: MDE in d_z × sd of the differences. `None` when they do not vary.
    pub mde: Option<f64>,
    /// For the Wilcoxon test: how its p-value was obtained (exact, enumerated, normal), and
    /// the number of non-zero differences it ranked.
    pub wilcoxon: Option<(stats::WilcoxonMethod, usize)>,
    /// Per-topic differences, in [`Report::topics`] order.
    pub differences: Vec<f64>,
}

/// Every system on one measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureReport {
    /// The measure, as trec_eval names it.
    pub measure: String,
    /// Mean per system, in [`Report::systems`] order.
    pub means: Vec<f64>,
    /// `values[s][t]`: system `s` on topic `t` ([`Report::topics`] order).
    pub values: Vec<Vec<f64>>,
    /// One comparison per non-baseline system, in [`Report::systems`] order.
    pub comparisons: Vec<Comparison>,
}

/// Interpolated precision at the 11 recall levels 0.0, 0.1, …, 1.0, averaged over the paired
/// topics, per system.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrCurve {
    /// The system.
    pub system: String,
    /// Precision at recall 0.0, 0.1, …, 1.0.
    pub precision: Vec<f64>,
}

/// Everything a comparison found; every output format renders this one object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The baseline.
    pub baseline: String,
    /// Every system, the baseline first.
    pub systems: Vec<String>,
    /// The paired topics, in byte order of qid.
    pub topics: Vec<String>,
    /// The test.
    pub test: Test,
    /// How the randomization test's p-values were obtained (`exact` or `sampled`), when it
    /// was the test.
    pub randomization_mode: Option<stats::RandomizationMode>,
    /// The correction.
    pub correction: Correction,
    /// The significance level.
    pub alpha: f64,
    /// The seed.
    pub seed: u64,
    /// Permutations (randomization, Tukey HSD).
    pub permutations: usize,
    /// Bootstrap resamples.
    pub bootstrap: usize,
    /// The missing-topic policy.
    pub missing: Missing,
    /// For [`Missing::Zero`]: per system, the topics it did not answer (scored 0).
    pub filled_with_zero: Vec<(String, Vec<String>)>,
    /// The tie margin of wins/ties/losses.
    pub tie_margin: f64,
    /// The risk α of URisk/TRisk.
    pub risk_alpha: f64,
    /// The minimum detectable effect at 80% power in d_z units (depends only on n and α).
    pub mde_dz: f64,
    /// One entry per measure.
    pub measures: Vec<MeasureReport>,
    /// 11-point interpolated precision–recall curves, when every system's evaluation holds
    /// `iprec_at_recall_0.00` … `_1.00`.
    pub pr_curves: Vec<PrCurve>,
}

/// The 11 `iprec_at_recall` measures, for the precision–recall plot.
pub fn iprec_measures() -> Vec<Measure> {
    crate::eval::parse_measures("iprec_at_recall").expect("iprec_at_recall is a known measure")
}

/// The evaluator whose evaluations [`compare`] takes: `options.measures` and the 11
/// `iprec_at_recall` measures of the precision–recall curves, with trec_eval's defaults
/// otherwise (no `-c`: [`Missing::Zero`] fills the missing topics at comparison time).
/// `irexp compare` and the Python package's `compare` both evaluate through it, so they give
/// the same numbers.
pub fn evaluator<'q>(qrels: &'q Qrels, options: &CompareOptions) -> Result<Evaluator<'q>> {
    let mut measures = options.measures.clone();
    for m in iprec_measures() {
        if !measures.contains(&m) {
            measures.push(m);
        }
    }
    Evaluator::new(qrels, &measures, EvalOptions::default())
}

/// Every judged topic of `qrels`, in byte order: what [`compare`] takes as `qrels_topics`.
pub fn qrels_topics(qrels: &Qrels) -> Vec<String> {
    qrels.topics().map(|(q, _)| q.to_string()).collect()
}

/// Compares every system with the baseline.
///
/// `qrels_topics` lists every judged topic; it is needed for [`Missing::Zero`] (the topics
/// compared are then all of them, as trec_eval `-c` averages over them) and ignored
/// otherwise.
///
/// Errors name the systems and topics: an unknown or duplicate system name, a system that
/// lacks a measure, a system with no topic in common with the baseline, topics evaluated for
/// some systems and not others (without [`Missing::Zero`]), fewer than two paired topics.
pub fn compare(
    systems: &[System],
    baseline: &str,
    options: &CompareOptions,
    qrels_topics: Option<&[String]>,
) -> Result<Report> {
    let here = || Location::file("compare");
    options.validate().map_err(|e| {
        Error::config(
            Location::arg(format!("compare option {}", e.key)),
            e.message,
        )
    })?;
    let mut seen = BTreeSet::new();
    for s in systems {
        if !seen.insert(s.name.as_str()) {
            return Err(Error::input(
                here(),
                format!("two systems are named {:?}; names must be unique", s.name),
            ));
        }
    }
    let Some(base_index) = systems.iter().position(|s| s.name == baseline) else {
        return Err(Error::input(
            here(),
            format!(
                "the baseline {:?} is not one of the systems ({})",
                baseline,
                names(systems)
            ),
        ));
    };
    if systems.len() < 2 {
        return Err(Error::input(
            here(),
            format!(
                "nothing to compare: only the baseline {:?} was given",
                baseline
            ),
        ));
    }
    // The baseline first, then the others in the order given.
    let mut ordered: Vec<&System> = vec![&systems[base_index]];
    ordered.extend(
        systems
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != base_index)
            .map(|(_, s)| s),
    );
    let (topics, filled) = pair_topics(&ordered, options.missing, qrels_topics)?;
    if topics.len() < 2 {
        return Err(Error::input(
            here(),
            format!(
                "systems {} share only {} topic(s) ({}); a paired test needs at least 2",
                names_of(&ordered),
                topics.len(),
                topics.join(" ")
            ),
        ));
    }
    let n = topics.len();
    let correction = options.correction();
    let mut measures = Vec::with_capacity(options.measures.len());
    let mut randomization_mode = None;
    for m in &options.measures {
        let values: Vec<Vec<f64>> = ordered
            .iter()
            .map(|s| values_of(s, m, &topics))
            .collect::<Result<_>>()?;
        let means: Vec<f64> = values.iter().map(|v| stats::mean(v)).collect();
        let base = &values[0];
        let tukey = (options.test == Test::Tukey)
            .then(|| stats::tukey_ranges(&values, options.permutations, options.seed));
        let scale = values.iter().flatten().map(|x| x.abs()).fold(0.0, f64::max);
        let mut comparisons = Vec::with_capacity(ordered.len() - 1);
        for (s, v) in ordered.iter().zip(&values).skip(1) {
            let d = stats::differences(v, base);
            let mut wilcoxon = None;
            let p = match options.test {
                Test::T => stats::t_test(&d).1,
                Test::Wilcoxon => {
                    let w = stats::wilcoxon(&d);
                    wilcoxon = Some((w.method, w.n_nonzero));
                    w.p
                }
                Test::Randomization => {
                    let (p, mode) =
                        stats::randomization_test(&d, options.permutations, options.seed);
                    randomization_mode = Some(mode);
                    p
                }
                Test::Tukey => {
                    let ranges = tukey.as_deref().unwrap_or_default();
                    stats::tukey_p(ranges, stats::mean(&d), scale)
                }
            };
            if !(0.0..=1.0).contains(&p) {
                return Err(Error::input(
                    here(),
                    format!(
                        "measure {m}: the {} test gave no p-value for {} against {} \
                         (the per-topic values are not finite numbers)",
                        options.test.name(),
                        s.name,
                        baseline
                    ),
                ));
            }
            let difference = stats::mean(&d);
            let (wins, ties, losses) = stats::win_tie_loss(&d, options.tie_margin);
            let (urisk, trisk) = stats::urisk_trisk(&d, options.risk_alpha);
            let sd = stats::sd(&d);
            comparisons.push(Comparison {
                system: s.name.clone(),
                mean: stats::mean(v),
                difference,
                relative_percent: (means[0] != 0.0).then(|| 100.0 * difference / means[0]),
                ci: stats::t_interval(&d, options.alpha),
                bootstrap_ci: stats::bootstrap_interval(
                    &d,
                    options.alpha,
                    options.bootstrap,
                    options.seed,
                ),
                p,
                p_adjusted: p,
                significant: false,
                d_z: stats::cohens_dz(&d),
                wins,
                ties,
                losses,
                urisk,
                trisk,
                mde: (sd > 0.0).then(|| stats::mde_dz(n, options.alpha, MDE_POWER) * sd),
                wilcoxon,
                differences: d,
            });
        }
        let p: Vec<f64> = comparisons.iter().map(|c| c.p).collect();
        for (c, adj) in comparisons.iter_mut().zip(correction.adjust(&p)) {
            c.p_adjusted = adj;
            c.significant = adj < options.alpha;
        }
        measures.push(MeasureReport {
            measure: m.name(),
            means,
            values,
            comparisons,
        });
    }
    let iprec = iprec_measures();
    let pr_curves = if ordered
        .iter()
        .all(|s| iprec.iter().all(|m| s.evaluation.measures.contains(m)))
    {
        ordered
            .iter()
            .map(|s| {
                Ok(PrCurve {
                    system: s.name.clone(),
                    precision: iprec
                        .iter()
                        .map(|m| values_of(s, m, &topics).map(|v| stats::mean(&v)))
                        .collect::<Result<_>>()?,
                })
            })
            .collect::<Result<_>>()?
    } else {
        Vec::new()
    };
    Ok(Report {
        baseline: baseline.to_string(),
        systems: ordered.iter().map(|s| s.name.clone()).collect(),
        topics,
        test: options.test,
        randomization_mode,
        correction,
        alpha: options.alpha,
        seed: options.seed,
        permutations: options.permutations,
        bootstrap: options.bootstrap,
        missing: options.missing,
        filled_with_zero: filled,
        tie_margin: options.tie_margin,
        risk_alpha: options.risk_alpha,
        mde_dz: stats::mde_dz(n, options.alpha, MDE_POWER),
        measures,
        pr_curves,
    })
}

/// Writes every output of `report` into `dir` (created if needed), each file atomically:
/// `compare.md`, `compare.tex`, `compare.csv`, `compare.topics.csv`, `compare.json`,
/// `compare.txt` (the terminal table; feature `table`), `diff-MEASURE.svg` per measure and
/// `pr.svg` when the report has precision–recall curves (feature `plots`). Returns the
/// paths written.
pub fn write_outputs(report: &Report, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut files: Vec<(String, String)> = Vec::new();
    #[cfg(feature = "table")]
    files.push(("compare.txt".into(), report.to_terminal()));
    files.extend([
        ("compare.md".into(), report.to_markdown()),
        ("compare.tex".into(), report.to_latex()),
        ("compare.csv".into(), report.to_csv()),
        ("compare.topics.csv".into(), report.to_topics_csv()),
        ("compare.json".into(), report.to_json()),
    ]);
    #[cfg(feature = "plots")]
    {
        let plot_error = |name: &str, e: String| {
            Error::io(
                dir.join(name),
                std::io::Error::other(format!("drawing the plot failed: {e}")),
            )
        };
        for (i, m) in report.measures.iter().enumerate() {
            let name = format!("diff-{}.svg", m.measure);
            if let Some(svg) = topic_difference_svg(report, i) {
                files.push((name.clone(), svg.map_err(|e| plot_error(&name, e))?));
            }
        }
        if let Some(svg) = pr_curve_svg(report) {
            files.push(("pr.svg".into(), svg.map_err(|e| plot_error("pr.svg", e))?));
        }
    }
    let mut written = Vec::with_capacity(files.len());
    for (name, text) in files {
        let path = dir.join(name);
        atomic::write(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

fn names(systems: &[System]) -> String {
    systems
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn names_of(systems: &[&System]) -> String {
    systems
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// At most 20 topic ids, for a message.
fn show_topics<'a>(topics: impl IntoIterator<Item = &'a str>) -> String {
    let all: Vec<&str> = topics.into_iter().collect();
    let head = all[..all.len().min(20)].join(" ");
    if all.len() > 20 {
        format!("{head} … ({} topics)", all.len())
    } else {
        head
    }
}

/// Per system, the topics scored 0.
type Filled = Vec<(String, Vec<String>)>;

/// The topics to compare, in byte order of qid, and (for [`Missing::Zero`]) each system's
/// topics scored 0. `systems[0]` is the baseline.
fn pair_topics(
    systems: &[&System],
    missing: Missing,
    qrels_topics: Option<&[String]>,
) -> Result<(Vec<String>, Filled)> {
    let here = || Location::file("compare");
    let sets: Vec<BTreeSet<&str>> = systems
        .iter()
        .map(|s| {
            s.evaluation
                .per_topic
                .iter()
                .map(|t| t.qid.as_str())
                .collect()
        })
        .collect();
    let base = &sets[0];
    for (s, set) in systems.iter().zip(&sets).skip(1) {
        if set.intersection(base).next().is_none() {
            return Err(Error::input(
                here(),
                format!(
                    "run {} has no topics in common with the baseline {} (baseline topics: {}; \
                     {} topics: {})",
                    s.name,
                    systems[0].name,
                    show_topics(base.iter().copied()),
                    s.name,
                    show_topics(set.iter().copied())
                ),
            ));
        }
    }
    match missing {
        Missing::Error => {
            let union: BTreeSet<&str> = sets.iter().flatten().copied().collect();
            let mut problems = Vec::new();
            for (s, set) in systems.iter().zip(&sets) {
                let lacking: Vec<&str> = union.difference(set).copied().collect();
                if !lacking.is_empty() {
                    problems.push(format!(
                        "run {} has no results for topics {}",
                        s.name,
                        show_topics(lacking)
                    ));
                }
            }
            if !problems.is_empty() {
                return Err(Error::input(
                    here(),
                    format!(
                        "the runs do not cover the same topics: {}; pairing is by topic, so \
                         either fix the runs or score missing topics as 0 with --missing zero \
                         (trec_eval -c)",
                        problems.join("; ")
                    ),
                ));
            }
            Ok((base.iter().map(|q| q.to_string()).collect(), Vec::new()))
        }
        Missing::Zero => {
            let mut universe: BTreeSet<&str> = sets.iter().flatten().copied().collect();
            if let Some(q) = qrels_topics {
                universe.extend(q.iter().map(String::as_str));
            }
            let filled = systems
                .iter()
                .zip(&sets)
                .filter_map(|(s, set)| {
                    let lacking: Vec<String> =
                        universe.difference(set).map(|q| q.to_string()).collect();
                    (!lacking.is_empty()).then(|| (s.name.clone(), lacking))
                })
                .collect();
            Ok((universe.iter().map(|q| q.to_string()).collect(), filled))
        }
    }
}

/// The per-topic values of `m` for `system`, in `topics` order; a topic the system did not
/// answer scores 0 (only reachable with [`Missing::Zero`]).
fn values_of(system: &System, m: &Measure, topics: &[String]) -> Result<Vec<f64>> {
    let ev = &system.evaluation;
    let Some(i) = ev.measures.iter().position(|x| x == m) else {
        return Err(Error::input(
            Location::file("compare"),
            format!("run {} was not evaluated with measure {m}", system.name),
        ));
    };
    let by_qid: HashMap<&str, f64> = ev
        .per_topic
        .iter()
        .map(|t| (t.qid.as_str(), t.values[i]))
        .collect();
    let mut out = Vec::with_capacity(topics.len());
    for q in topics {
        let v = by_qid.get(q.as_str()).copied().unwrap_or(0.0);
        if !v.is_finite() {
            return Err(Error::input(
                Location::file("compare"),
                format!("run {}: topic {q}: {m} is not a finite number", system.name),
            ));
        }
        out.push(v);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
