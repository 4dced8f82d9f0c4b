//! The measures, named and ordered as trec_eval 9.0.8 names and orders them.
//!
//! A [`Measure`] is one printed line of trec_eval output: `P_10`, not "P at every cutoff".
//! [`parse_measures`] turns one trec_eval-style specification (`P`, `P.5,10`, `ndcg_cut_10`,
//! `official`) into the measures it names; [`parse_measure_list`] does that for several
//! specifications and returns them deduplicated, in trec_eval's output order.
//!
//! ```
//! use irexp::eval::measure::{parse_measures, Measure};
//!
//! assert_eq!(parse_measures("P.5,10").unwrap(), [Measure::P(5), Measure::P(10)]);
//! assert_eq!("ndcg_cut_10".parse::<Measure>().unwrap(), Measure::NdcgCut(10));
//! assert_eq!(Measure::Recall(100).to_string(), "recall_100");
//! ```

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// trec_eval's default cutoffs for `P`, `recall`, `ndcg_cut`, `map_cut` and `relative_P`.
pub const DEFAULT_CUTOFFS: [u32; 9] = [5, 10, 15, 20, 30, 100, 200, 500, 1000];

/// trec_eval's default cutoffs for `success`.
pub const DEFAULT_SUCCESS_CUTOFFS: [u32; 3] = [1, 5, 10];

/// A real-valued measure parameter: the recall level of `iprec_at_recall` or the multiple of
/// R of `Rprec_mult`.
///
/// Always finite and never negative, so it can be compared, ordered and hashed.
/// `-0.0` is stored as `0.0`.
#[derive(Debug, Clone, Copy)]
pub struct Level(f64);

impl Level {
    /// The level `x`, or `None` when `x` is negative, infinite or NaN.
    pub fn new(x: f64) -> Option<Level> {
        (x.is_finite() && x >= 0.0).then_some(Level(x + 0.0))
    }

    /// The value of the level.
    pub fn get(self) -> f64 {
        self.0
    }

    /// `n / 10` as the nearest double, the value trec_eval's literal default levels have.
    fn tenths(n: u32) -> Level {
        Level(f64::from(n) / 10.0)
    }
}

impl PartialEq for Level {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}

impl Eq for Level {}

impl Hash for Level {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.to_bits().hash(state);
    }
}

impl PartialOrd for Level {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Level {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl fmt::Display for Level {
    /// trec_eval's label for a real parameter: `%3.2f`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("{:3.2}", self.0))
    }
}

/// One evaluation measure, as trec_eval 9.0.8 computes it with its default parameters.
///
/// Variants are listed in trec_eval's internal table order, which is the order of its output
/// and the order of [`Ord`] for this type (parameters ascending within one measure).
/// Definitions are in the project's trec_eval spec, §8; R is the number of relevant documents
/// of the topic, n the number retrieved, and "relevant" means a qrels value of at least the
/// relevance level (1 by default).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// `num_q`: number of topics evaluated (summary only).
    NumQ,
    /// `num_ret`: number of documents retrieved; summed in the summary.
    NumRet,
    /// `num_rel`: number of relevant documents (R); summed in the summary.
    NumRel,
    /// `num_rel_ret`: number of relevant documents retrieved; summed in the summary.
    NumRelRet,
    /// `map`: average precision, (1/R) Σ over relevant retrieved documents of precision at
    /// their rank.
    Map,
    /// `gm_map`: average precision aggregated as a geometric mean, with values below 1e-5
    /// raised to 1e-5 (summary only).
    GmMap,
    /// `Rprec`: precision after R documents.
    Rprec,
    /// `bpref`: Buckley and Voorhees' bpref over judged documents only.
    Bpref,
    /// `recip_rank`: 1 / rank of the first relevant document.
    RecipRank,
    /// `iprec_at_recall_x`: interpolated precision at recall level x (cutoff rank
    /// `trunc(x·R + 0.9)`, the 9.0.8 rule).
    IprecAtRecall(Level),
    /// `P_k`: precision after k documents; the denominator is k even when fewer were retrieved.
    P(u32),
    /// `recall_k`: relevant documents in the top k, divided by R.
    Recall(u32),
    /// `infAP`: inferred average precision (Yilmaz and Aslam), with ε = 1e-5.
    InfAp,
    /// `gm_bpref`: bpref aggregated as a geometric mean (summary only).
    GmBpref,
    /// `Rprec_mult_x`: precision after `trunc(x·R + 0.9)` documents.
    RprecMult(Level),
    /// `11pt_avg`: mean interpolated precision at the recall levels 0.0, 0.1, …, 1.0.
    ElevenPtAvg,
    /// `binG`: binary G (Kishida), (1/R) Σ over relevant retrieved documents of
    /// 1 / log2(2 + non-relevant documents ranked above).
    BinG,
    /// `ndcg`: nDCG over the whole ranking, linear gains (the qrels value), log2 discount;
    /// ignores the relevance level.
    Ndcg,
    /// `ndcg_cut_k`: nDCG of the top k, linear gains, log2 discount.
    NdcgCut(u32),
    /// `map_cut_k`: average precision of the top k, still divided by R.
    MapCut(u32),
    /// `relative_P_k`: relevant documents in the top k divided by min(k, R).
    RelativeP(u32),
    /// `success_k`: 1 if a relevant document is in the top k, else 0.
    Success(u32),
    /// `set_P`: relevant retrieved / retrieved.
    SetP,
    /// `set_relative_P`: relevant retrieved / min(retrieved, R).
    SetRelativeP,
    /// `set_recall`: relevant retrieved / R.
    SetRecall,
    /// `set_map`: set_P × set_recall.
    SetMap,
    /// `set_F`: F-measure of set_P and set_recall with β = 1.
    SetF,
    /// `num_nonrel_judged_ret`: judged non-relevant documents retrieved; summed in the summary.
    NumNonrelJudgedRet,
}

/// How a measure's per-topic values become its summary value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Aggregate {
    /// The number of topics.
    Count,
    /// The sum over topics.
    Sum,
    /// Arithmetic mean.
    Mean,
    /// exp(mean of ln(max(v, 1e-5))).
    GeoMean,
}

/// The error of [`parse_measures`] and of [`Measure::from_str`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MeasureParseError {
    /// The specification was empty.
    #[error("empty measure name; known measures: {}", known_names())]
    Empty,
    /// No measure has this name.
    #[error("unknown measure `{name}`; known measures: {}", known_names())]
    Unknown {
        /// The name as given.
        name: String,
    },
    /// A parameter could not be used.
    #[error("measure `{name}`: bad parameter `{param}`: {reason}")]
    BadParameter {
        /// The measure's base name.
        name: String,
        /// The offending parameter text.
        param: String,
        /// What was expected.
        reason: String,
    },
    /// The measure exists in trec_eval but the given form is not supported.
    #[error("measure `{name}`: {reason}")]
    Unsupported {
        /// The specification as given.
        name: String,
        /// What is not supported, and what is.
        reason: String,
    },
    /// [`Measure::from_str`] was given a specification naming several measures.
    #[error("`{spec}` names {count} measures, expected exactly one (use a cutoff, e.g. `P.10`)")]
    NotSingle {
        /// The specification as given.
        spec: String,
        /// How many measures it names.
        count: usize,
    },
}

/// Measures that take no parameter, by trec_eval name.
const BARE: [(&str, Measure); 20] = [
    ("num_q", Measure::NumQ),
    ("num_ret", Measure::NumRet),
    ("num_rel", Measure::NumRel),
    ("num_rel_ret", Measure::NumRelRet),
    ("map", Measure::Map),
    ("gm_map", Measure::GmMap),
    ("Rprec", Measure::Rprec),
    ("bpref", Measure::Bpref),
    ("recip_rank", Measure::RecipRank),
    ("infAP", Measure::InfAp),
    ("gm_bpref", Measure::GmBpref),
    ("11pt_avg", Measure::ElevenPtAvg),
    ("binG", Measure::BinG),
    ("ndcg", Measure::Ndcg),
    ("set_P", Measure::SetP),
    ("set_relative_P", Measure::SetRelativeP),
    ("set_recall", Measure::SetRecall),
    ("set_map", Measure::SetMap),
    ("set_F", Measure::SetF),
    ("num_nonrel_judged_ret", Measure::NumNonrelJudgedRet),
];

/// A measure constructor taking an integer cutoff.
type WithCutoff = fn(u32) -> Measure;

/// A measure constructor taking a real parameter.
type WithLevel = fn(Level) -> Measure;

/// Measures with integer cutoffs.
const INT_PARAM: [(&str, WithCutoff); 6] = [
    ("P", Measure::P),
    ("recall", Measure::Recall),
    ("ndcg_cut", Measure::NdcgCut),
    ("map_cut", Measure::MapCut),
    ("relative_P", Measure::RelativeP),
    ("success", Measure::Success),
];

/// Measures with real-valued parameters.
const REAL_PARAM: [(&str, WithLevel); 2] = [
    ("iprec_at_recall", Measure::IprecAtRecall),
    ("Rprec_mult", Measure::RprecMult),
];

/// ir_measures-style names without a cutoff.
const ALIASES: [(&str, Measure); 9] = [
    ("AP", Measure::Map),
    ("nDCG", Measure::Ndcg),
    ("RR", Measure::RecipRank),
    ("Bpref", Measure::Bpref),
    ("infAP", Measure::InfAp),
    ("NumQ", Measure::NumQ),
    ("NumRet", Measure::NumRet),
    ("NumRel", Measure::NumRel),
    ("NumRelRet", Measure::NumRelRet),
];

/// ir_measures-style names with `@k`.
const AT_ALIASES: [(&str, WithCutoff); 5] = [
    ("P", Measure::P),
    ("R", Measure::Recall),
    ("nDCG", Measure::NdcgCut),
    ("AP", Measure::MapCut),
    ("Success", Measure::Success),
];

fn known_names() -> String {
    let mut names: Vec<String> = BARE.iter().map(|(n, _)| n.to_string()).collect();
    names.extend(INT_PARAM.iter().map(|(n, _)| format!("{n}[.k,...]")));
    names.extend(REAL_PARAM.iter().map(|(n, _)| format!("{n}[.x,...]")));
    names.push("official".to_string());
    let aliases: Vec<String> = ALIASES
        .iter()
        .map(|(n, _)| n.to_string())
        .chain(AT_ALIASES.iter().map(|(n, _)| format!("{n}@k")))
        .chain(std::iter::once("IPrec@x".to_string()))
        .collect();
    format!("{} (aliases: {})", names.join(", "), aliases.join(", "))
}

impl Measure {
    /// The trec_eval name without parameters: `P` for `P_10`.
    pub fn base_name(&self) -> &'static str {
        match self {
            Measure::NumQ => "num_q",
            Measure::NumRet => "num_ret",
            Measure::NumRel => "num_rel",
            Measure::NumRelRet => "num_rel_ret",
            Measure::Map => "map",
            Measure::GmMap => "gm_map",
            Measure::Rprec => "Rprec",
            Measure::Bpref => "bpref",
            Measure::RecipRank => "recip_rank",
            Measure::IprecAtRecall(_) => "iprec_at_recall",
            Measure::P(_) => "P",
            Measure::Recall(_) => "recall",
            Measure::InfAp => "infAP",
            Measure::GmBpref => "gm_bpref",
            Measure::RprecMult(_) => "Rprec_mult",
            Measure::ElevenPtAvg => "11pt_avg",
            Measure::BinG => "binG",
            Measure::Ndcg => "ndcg",
            Measure::NdcgCut(_) => "ndcg_cut",
            Measure::MapCut(_) => "map_cut",
            Measure::RelativeP(_) => "relative_P",
            Measure::Success(_) => "success",
            Measure::SetP => "set_P",
            Measure::SetRelativeP => "set_relative_P",
            Measure::SetRecall => "set_recall",
            Measure::SetMap => "set_map",
            Measure::SetF => "set_F",
            Measure::NumNonrelJudgedRet => "num_nonrel_judged_ret",
        }
    }

    /// The name trec_eval prints: `map`, `P_10`, `iprec_at_recall_0.10`.
    pub fn name(&self) -> String {
        match self {
            Measure::P(k)
            | Measure::Recall(k)
            | Measure::NdcgCut(k)
            | Measure::MapCut(k)
            | Measure::RelativeP(k)
            | Measure::Success(k) => format!("{}_{k}", self.base_name()),
            Measure::IprecAtRecall(x) | Measure::RprecMult(x) => {
                format!("{}_{x}", self.base_name())
            }
            _ => self.base_name().to_string(),
        }
    }

    /// True for measures trec_eval prints only in the summary: `num_q`, `gm_map`, `gm_bpref`.
    pub fn is_summary_only(&self) -> bool {
        matches!(self, Measure::NumQ | Measure::GmMap | Measure::GmBpref)
    }

    /// True for counts, which trec_eval prints as integers (`%ld`) rather than `%6.4f`.
    pub fn is_integer(&self) -> bool {
        matches!(
            self,
            Measure::NumQ
                | Measure::NumRet
                | Measure::NumRel
                | Measure::NumRelRet
                | Measure::NumNonrelJudgedRet
        )
    }

    /// How the summary value is made from the per-topic values.
    pub(crate) fn aggregate(&self) -> Aggregate {
        match self {
            Measure::NumQ => Aggregate::Count,
            Measure::NumRet
            | Measure::NumRel
            | Measure::NumRelRet
            | Measure::NumNonrelJudgedRet => Aggregate::Sum,
            Measure::GmMap | Measure::GmBpref => Aggregate::GeoMean,
            _ => Aggregate::Mean,
        }
    }

    /// Position of the measure's base name in trec_eval's internal table (spec §6).
    fn table_position(&self) -> u8 {
        // runid is position 0: it is printed before everything, outside this enum.
        match self {
            Measure::NumQ => 1,
            Measure::NumRet => 2,
            Measure::NumRel => 3,
            Measure::NumRelRet => 4,
            Measure::Map => 5,
            Measure::GmMap => 6,
            Measure::Rprec => 7,
            Measure::Bpref => 8,
            Measure::RecipRank => 9,
            Measure::IprecAtRecall(_) => 10,
            Measure::P(_) => 11,
            // 12: relstring
            Measure::Recall(_) => 13,
            Measure::InfAp => 14,
            Measure::GmBpref => 15,
            Measure::RprecMult(_) => 16,
            // 17: utility
            Measure::ElevenPtAvg => 18,
            Measure::BinG => 19,
            // 20: G
            Measure::Ndcg => 21,
            // 22: ndcg_rel, 23: Rndcg
            Measure::NdcgCut(_) => 24,
            Measure::MapCut(_) => 25,
            Measure::RelativeP(_) => 26,
            Measure::Success(_) => 27,
            Measure::SetP => 28,
            Measure::SetRelativeP => 29,
            Measure::SetRecall => 30,
            Measure::SetMap => 31,
            Measure::SetF => 32,
            Measure::NumNonrelJudgedRet => 33,
        }
    }

    /// The numeric parameter, for ordering within one base measure.
    fn param(&self) -> f64 {
        match self {
            Measure::P(k)
            | Measure::Recall(k)
            | Measure::NdcgCut(k)
            | Measure::MapCut(k)
            | Measure::RelativeP(k)
            | Measure::Success(k) => f64::from(*k),
            Measure::IprecAtRecall(x) | Measure::RprecMult(x) => x.get(),
            _ => 0.0,
        }
    }

    /// The measures trec_eval's `official` nickname selects (runid aside, which irexp always
    /// prints): num_q, num_ret, num_rel, num_rel_ret, map, gm_map, Rprec, bpref, recip_rank,
    /// iprec_at_recall at 0.0, 0.1, …, 1.0 and P at the default cutoffs.
    pub fn official() -> Vec<Measure> {
        let mut v = vec![
            Measure::NumQ,
            Measure::NumRet,
            Measure::NumRel,
            Measure::NumRelRet,
            Measure::Map,
            Measure::GmMap,
            Measure::Rprec,
            Measure::Bpref,
            Measure::RecipRank,
        ];
        v.extend((0..=10).map(|i| Measure::IprecAtRecall(Level::tenths(i))));
        v.extend(DEFAULT_CUTOFFS.iter().map(|&k| Measure::P(k)));
        v
    }
}

impl PartialOrd for Measure {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Measure {
    /// trec_eval's output order: table position, then parameter ascending.
    fn cmp(&self, other: &Self) -> Ordering {
        self.table_position()
            .cmp(&other.table_position())
            .then_with(|| self.param().total_cmp(&other.param()))
    }
}

impl fmt::Display for Measure {
    /// The printed trec_eval name; width and alignment flags are honoured (`{:<22}`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.name())
    }
}

impl FromStr for Measure {
    type Err = MeasureParseError;

    /// Parses a specification that names exactly one measure (`P.10`, `P_10`, `map`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut v = parse_measures(s)?;
        if v.len() == 1 {
            Ok(v.remove(0))
        } else {
            Err(MeasureParseError::NotSingle {
                spec: s.to_string(),
                count: v.len(),
            })
        }
    }
}

/// Parses one measure specification in trec_eval's `-m` syntax, plus two conveniences.
///
/// * A bare name: `map`, `ndcg`, `num_rel_ret`. A bare parameterised name expands to
///   trec_eval's defaults: `P`, `recall`, `ndcg_cut`, `map_cut` and `relative_P` to
///   5, 10, 15, 20, 30, 100, 200, 500, 1000; `success` to 1, 5, 10; `iprec_at_recall` to
///   0.0, 0.1, …, 1.0; `Rprec_mult` to 0.2, 0.4, …, 2.0.
/// * Parameters after the first `.` (trec_eval) or `_` (as printed): `P.5,10,20`, `P_10`,
///   `iprec_at_recall_0.10`. Integer cutoffs must be positive integers, real ones
///   non-negative numbers; both are sorted and must be distinct, as in trec_eval.
/// * The nickname `official`.
/// * ir_measures aliases: `AP`, `AP@k`, `P@k`, `R@k`, `nDCG`, `nDCG@k`, `RR`, `Bpref`,
///   `Success@k`, `IPrec@x`, `NumQ`, `NumRet`, `NumRel`, `NumRelRet`.
///
/// Differences from trec_eval: cutoffs such as `23.4` are rejected where trec_eval reads 23,
/// and custom parameters of `ndcg` (gain tables) and of the `set_F`/`11pt_avg` measures are
/// not supported yet (an error says so).
pub fn parse_measures(spec: &str) -> Result<Vec<Measure>, MeasureParseError> {
    let spec = spec.trim();
    if spec.is_empty() {
        return Err(MeasureParseError::Empty);
    }
    if let Some((_, m)) = BARE.iter().chain(ALIASES.iter()).find(|(n, _)| *n == spec) {
        return Ok(vec![*m]);
    }
    if spec == "official" {
        return Ok(Measure::official());
    }
    for (base, make) in INT_PARAM {
        if spec == base {
            let defaults: &[u32] = if base == "success" {
                &DEFAULT_SUCCESS_CUTOFFS
            } else {
                &DEFAULT_CUTOFFS
            };
            return Ok(defaults.iter().map(|&k| make(k)).collect());
        }
        if let Some(params) = params_after(spec, base) {
            return Ok(parse_int_params(base, params)?
                .into_iter()
                .map(make)
                .collect());
        }
    }
    for (base, make) in REAL_PARAM {
        if spec == base {
            let defaults: Vec<Level> = if base == "Rprec_mult" {
                (1..=10).map(|i| Level::tenths(2 * i)).collect()
            } else {
                (0..=10).map(Level::tenths).collect()
            };
            return Ok(defaults.into_iter().map(make).collect());
        }
        if let Some(params) = params_after(spec, base) {
            return Ok(parse_real_params(base, params)?
                .into_iter()
                .map(make)
                .collect());
        }
    }
    let with_dot = |n: &str| spec.strip_prefix(n).is_some_and(|r| r.starts_with('.'));
    if let Some((base, _)) = BARE.iter().find(|(n, _)| with_dot(n)) {
        return Err(MeasureParseError::Unsupported {
            name: spec.to_string(),
            reason: format!("parameters of `{base}` are not supported yet; use plain `{base}`"),
        });
    }
    if let Some((name, at)) = spec.split_once('@') {
        if let Some((_, make)) = AT_ALIASES.iter().find(|(n, _)| *n == name) {
            return Ok(parse_int_params(name, at)?.into_iter().map(make).collect());
        }
        if name == "IPrec" {
            return Ok(parse_real_params(name, at)?
                .into_iter()
                .map(Measure::IprecAtRecall)
                .collect());
        }
    }
    Err(MeasureParseError::Unknown {
        name: spec.to_string(),
    })
}

/// Parses several specifications (each as [`parse_measures`]) and returns the union of the
/// measures they name, without duplicates, in trec_eval's output order.
///
/// trec_eval itself keeps only the first parameter list given for a measure (`-m P.10
/// -m P.20` prints only P_10); irexp takes the union, which is what a list of measures in a
/// configuration file means.
pub fn parse_measure_list<'a, I>(specs: I) -> Result<Vec<Measure>, MeasureParseError>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut all = Vec::new();
    for spec in specs {
        all.extend(parse_measures(spec)?);
    }
    sort_trec_eval_order(&mut all);
    Ok(all)
}

/// Sorts measures into trec_eval's output order (spec §6: the internal table order, then
/// parameters ascending) and removes duplicates.
pub fn sort_trec_eval_order(measures: &mut Vec<Measure>) {
    measures.sort();
    measures.dedup();
}

/// The parameter text of `spec` if it is `base` followed by `.` or `_` and something.
fn params_after<'s>(spec: &'s str, base: &str) -> Option<&'s str> {
    let rest = spec.strip_prefix(base)?;
    let params = rest.strip_prefix('.').or_else(|| rest.strip_prefix('_'))?;
    Some(params)
}

fn bad(name: &str, param: &str, reason: &str) -> MeasureParseError {
    MeasureParseError::BadParameter {
        name: name.to_string(),
        param: param.to_string(),
        reason: reason.to_string(),
    }
}

fn parse_int_params(name: &str, params: &str) -> Result<Vec<u32>, MeasureParseError> {
    let mut cutoffs = Vec::new();
    for item in params.split(',') {
        let item = item.trim();
        let k: u32 = item
            .parse()
            .map_err(|_| bad(name, item, "expected a positive integer"))?;
        if k == 0 {
            return Err(bad(name, item, "cutoffs must be positive"));
        }
        cutoffs.push(k);
    }
    cutoffs.sort_unstable();
    if let Some(w) = cutoffs.windows(2).find(|w| w[0] == w[1]) {
        return Err(bad(
            name,
            params,
            &format!("cutoff {} is given twice", w[0]),
        ));
    }
    Ok(cutoffs)
}

fn parse_real_params(name: &str, params: &str) -> Result<Vec<Level>, MeasureParseError> {
    let mut levels = Vec::new();
    for item in params.split(',') {
        let item = item.trim();
        let level = item
            .parse::<f64>()
            .ok()
            .and_then(Level::new)
            .ok_or_else(|| bad(name, item, "expected a non-negative number"))?;
        levels.push(level);
    }
    levels.sort_unstable();
    if let Some(w) = levels.windows(2).find(|w| w[0] == w[1]) {
        return Err(bad(
            name,
            params,
            &format!("level {} is given twice", w[0].get()),
        ));
    }
    Ok(levels)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[Measure]) -> Vec<String> {
        v.iter().map(Measure::name).collect()
    }

    #[test]
    fn dot_and_underscore_spellings_parse_to_the_same_measure() {
        for (a, b, m) in [
            ("P.10", "P_10", Measure::P(10)),
            ("ndcg_cut.10", "ndcg_cut_10", Measure::NdcgCut(10)),
            ("recall.100", "recall_100", Measure::Recall(100)),
            ("map_cut.5", "map_cut_5", Measure::MapCut(5)),
        ] {
            assert_eq!(a.parse::<Measure>().unwrap(), m);
            assert_eq!(b.parse::<Measure>().unwrap(), m);
        }
    }

    #[test]
    fn bare_names_parse() {
        for (s, m) in [
            ("map", Measure::Map),
            ("ndcg", Measure::Ndcg),
            ("recip_rank", Measure::RecipRank),
            ("num_q", Measure::NumQ),
            ("num_ret", Measure::NumRet),
            ("num_rel", Measure::NumRel),
            ("num_rel_ret", Measure::NumRelRet),
            ("Rprec", Measure::Rprec),
            ("bpref", Measure::Bpref),
            ("gm_map", Measure::GmMap),
            ("11pt_avg", Measure::ElevenPtAvg),
        ] {
            assert_eq!(s.parse::<Measure>().unwrap(), m, "{s}");
        }
    }

    #[test]
    fn printed_names_round_trip() {
        for s in [
            "map",
            "P_10",
            "ndcg_cut_10",
            "recall_100",
            "iprec_at_recall_0.10",
            "Rprec_mult_0.20",
            "set_F",
            "success_1",
            "relative_P_5",
        ] {
            assert_eq!(s.parse::<Measure>().unwrap().to_string(), s);
        }
    }

    #[test]
    fn bare_cutoff_measures_expand_to_trec_eval_defaults() {
        assert_eq!(
            names(&parse_measures("P").unwrap()),
            ["P_5", "P_10", "P_15", "P_20", "P_30", "P_100", "P_200", "P_500", "P_1000"]
        );
        assert_eq!(parse_measures("recall").unwrap().len(), 9);
        assert_eq!(parse_measures("ndcg_cut").unwrap()[0], Measure::NdcgCut(5));
        assert_eq!(
            names(&parse_measures("success").unwrap()),
            ["success_1", "success_5", "success_10"]
        );
        let iprec = names(&parse_measures("iprec_at_recall").unwrap());
        assert_eq!(iprec.len(), 11);
        assert_eq!(iprec[0], "iprec_at_recall_0.00");
        assert_eq!(iprec[3], "iprec_at_recall_0.30");
        assert_eq!(iprec[10], "iprec_at_recall_1.00");
        let mult = names(&parse_measures("Rprec_mult").unwrap());
        assert_eq!(mult.first().map(String::as_str), Some("Rprec_mult_0.20"));
        assert_eq!(mult.last().map(String::as_str), Some("Rprec_mult_2.00"));
    }

    #[test]
    fn cutoff_lists_are_sorted() {
        assert_eq!(
            parse_measures("P.20,5,10").unwrap(),
            [Measure::P(5), Measure::P(10), Measure::P(20)]
        );
        assert_eq!(
            names(&parse_measures("iprec_at_recall..25,.1").unwrap()),
            ["iprec_at_recall_0.10", "iprec_at_recall_0.25"]
        );
    }

    #[test]
    fn bad_cutoffs_are_errors() {
        for s in [
            "P.0",
            "P.5,5",
            "P.x",
            "P.",
            "P.23.4",
            "P.-1",
            "iprec_at_recall.-0.1",
            "Rprec_mult.nan",
        ] {
            assert!(
                matches!(
                    parse_measures(s),
                    Err(MeasureParseError::BadParameter { .. })
                ),
                "{s}: {:?}",
                parse_measures(s)
            );
        }
    }

    #[test]
    fn unknown_name_lists_the_known_ones() {
        let err = parse_measures("mapp").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("unknown measure `mapp`"), "{msg}");
        assert!(
            msg.contains("ndcg_cut[.k,...]") && msg.contains("recip_rank"),
            "{msg}"
        );
        assert!(parse_measures("").is_err());
        assert!(
            parse_measures("p.10").is_err(),
            "names are case-sensitive, as in trec_eval"
        );
    }

    #[test]
    fn parameters_of_bare_measures_are_reported_as_unsupported() {
        assert!(matches!(
            parse_measures("ndcg.1=3,2=9"),
            Err(MeasureParseError::Unsupported { .. })
        ));
        assert!(matches!(
            parse_measures("set_F.0.5"),
            Err(MeasureParseError::Unsupported { .. })
        ));
    }

    #[test]
    fn from_str_rejects_specs_naming_several_measures() {
        assert!(matches!(
            "P".parse::<Measure>(),
            Err(MeasureParseError::NotSingle { count: 9, .. })
        ));
    }

    #[test]
    fn ir_measures_aliases() {
        assert_eq!("AP".parse::<Measure>().unwrap(), Measure::Map);
        assert_eq!("nDCG@10".parse::<Measure>().unwrap(), Measure::NdcgCut(10));
        assert_eq!("P@10".parse::<Measure>().unwrap(), Measure::P(10));
        assert_eq!("R@1000".parse::<Measure>().unwrap(), Measure::Recall(1000));
        assert_eq!("RR".parse::<Measure>().unwrap(), Measure::RecipRank);
        assert_eq!("AP@100".parse::<Measure>().unwrap(), Measure::MapCut(100));
        assert_eq!(
            "IPrec@0.5".parse::<Measure>().unwrap().to_string(),
            "iprec_at_recall_0.50"
        );
    }

    #[test]
    fn official_is_trec_eval_official_without_runid() {
        let v = parse_measures("official").unwrap();
        assert_eq!(v.len(), 9 + 11 + 9);
        assert_eq!(
            names(&v[..4]),
            ["num_q", "num_ret", "num_rel", "num_rel_ret"]
        );
    }

    #[test]
    fn list_is_deduplicated_and_in_table_order() {
        let v = parse_measure_list([
            "ndcg_cut.10",
            "P.10",
            "map",
            "P_5,10",
            "num_q",
            "recall_100",
            "Rprec",
            "bpref",
        ])
        .unwrap();
        assert_eq!(
            names(&v),
            [
                "num_q",
                "map",
                "Rprec",
                "bpref",
                "P_5",
                "P_10",
                "recall_100",
                "ndcg_cut_10"
            ]
        );
    }

    #[test]
    fn table_order_follows_trec_eval() {
        // The order of spec §6, written out independently of `table_position`.
        let expected = [
            "num_q",
            "num_ret",
            "num_rel",
            "num_rel_ret",
            "map",
            "gm_map",
            "Rprec",
            "bpref",
            "recip_rank",
            "iprec_at_recall_0.50",
            "P_5",
            "P_100",
            "recall_5",
            "infAP",
            "gm_bpref",
            "Rprec_mult_0.20",
            "11pt_avg",
            "binG",
            "ndcg",
            "ndcg_cut_10",
            "map_cut_10",
            "relative_P_10",
            "success_1",
            "set_P",
            "set_relative_P",
            "set_recall",
            "set_map",
            "set_F",
            "num_nonrel_judged_ret",
        ];
        let mut shuffled: Vec<Measure> = expected
            .iter()
            .rev()
            .map(|s| s.parse::<Measure>().unwrap())
            .collect();
        shuffled.swap(3, 17);
        sort_trec_eval_order(&mut shuffled);
        assert_eq!(names(&shuffled), expected);
    }

    #[test]
    fn display_honours_padding() {
        assert_eq!(format!("{:<8}|", Measure::P(10)), "P_10    |");
    }

    #[test]
    fn summary_only_and_integer_measures() {
        assert!(Measure::NumQ.is_summary_only() && Measure::GmMap.is_summary_only());
        assert!(!Measure::Map.is_summary_only());
        for m in [
            Measure::NumQ,
            Measure::NumRet,
            Measure::NumRel,
            Measure::NumRelRet,
        ] {
            assert!(m.is_integer());
        }
        assert!(!Measure::P(10).is_integer());
    }
}
