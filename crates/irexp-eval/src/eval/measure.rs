//! The measures, named and ordered as trec_eval 9.0.8 names and orders them.
//!
//! A [`Measure`] is one printed line of trec_eval output: `P_10`, not "P at every cutoff".
//! [`parse_measures`] turns one trec_eval-style specification (`P`, `P.5,10`, `ndcg_cut_10`,
//! `official`) into the measures it names; [`parse_measure_list`] does that for several
//! specifications and returns them deduplicated, in trec_eval's output order.
//!
//! ```
//! use irexp_eval::eval::measure::{parse_measures, Measure};
//!
//! assert_eq!(parse_measures("P.5,10").unwrap(), [Measure::P(5), Measure::P(10)]);
//! assert_eq!("ndcg_cut_10".parse::<Measure>().unwrap(), Measure::NdcgCut(10));
//! assert_eq!(Measure::Recall(100).to_string(), "recall_100");
//! ```

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;
use std::sync::Arc;

use super::Compat;

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

/// A parameter list given with a measure (`utility.2,-1,0,0`, `11pt_avg..25,.5,.75`,
/// `set_F.0.5`, `relstring.20`), read as trec_eval reads it: comma-separated items, each
/// with C's `atof`, in the order given. The raw text is kept because trec_eval prints it in
/// the measure's name (`utility_2,-1,0,0`); two lists are equal when their text is.
#[derive(Debug, Clone)]
pub struct Params {
    raw: Arc<str>,
    values: Arc<[f64]>,
}

impl Params {
    fn parse(raw: &str) -> Params {
        Params {
            raw: raw.into(),
            values: raw.split(',').map(atof).collect(),
        }
    }

    /// The values, in the order given.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The text as given.
    pub fn raw(&self) -> &str {
        &self.raw
    }
}

impl PartialEq for Params {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}
impl Eq for Params {}
impl Hash for Params {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}

/// Custom gains of the gain-based measures (`ndcg.1=3,2=9,4=4.5`): `level=gain` pairs, the
/// level read with `atol` and the gain with `atof`, as trec_eval reads them. Levels not named
/// keep their value as gain. Equal when their text is.
#[derive(Debug, Clone)]
pub struct Gains {
    raw: Arc<str>,
    pairs: Arc<[(i64, f64)]>,
    /// `int_names[i]`: the name of pair i is an integer (trec_eval 10.0 ignores the others
    /// in gain tables).
    int_names: Arc<[bool]>,
    /// The value of a `p=x` pair (rbp's persistence), the last one given.
    p: Option<f64>,
}

impl Gains {
    fn parse(name: &str, raw: &str) -> Result<Gains, MeasureParseError> {
        let mut pairs = Vec::new();
        let mut int_names = Vec::new();
        let mut p = None;
        for item in raw.split(',') {
            let Some((level, gain)) = item.split_once('=') else {
                return Err(bad(
                    name,
                    item,
                    "expected `level=gain` pairs, e.g. `1=3,2=9`",
                ));
            };
            if level.is_empty() || gain.contains('=') {
                return Err(bad(
                    name,
                    item,
                    "expected `level=gain` pairs, e.g. `1=3,2=9`",
                ));
            }
            let digits = level.strip_prefix(['-', '+']).unwrap_or(level);
            int_names.push(!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()));
            if level == "p" {
                p = Some(atof(gain));
            }
            pairs.push((atol(level), atof(gain)));
        }
        Ok(Gains {
            raw: raw.into(),
            pairs: pairs.into(),
            int_names: int_names.into(),
            p,
        })
    }

    /// The (level, gain) pairs, in the order given (levels read with `atol`).
    pub fn pairs(&self) -> &[(i64, f64)] {
        &self.pairs
    }

    /// The pairs whose name is an integer, as trec_eval 10.0 builds its gain tables.
    pub fn integer_pairs(&self) -> impl Iterator<Item = (i64, f64)> + '_ {
        self.pairs
            .iter()
            .zip(self.int_names.iter())
            .filter(|(_, &ok)| ok)
            .map(|(&pair, _)| pair)
    }

    /// The `p=x` parameter (rbp's persistence), if given.
    pub fn p(&self) -> Option<f64> {
        self.p
    }
}

impl PartialEq for Gains {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}
impl Eq for Gains {}
impl Hash for Gains {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}

/// C's `atol`: leading whitespace, an optional sign, then the longest run of digits; 0 when
/// there is none (`23.4` → 23, `abc` → 0). Saturates instead of overflowing.
pub(crate) fn atol(s: &str) -> i64 {
    let s = s.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut v: i64 = 0;
    for b in digits.bytes().take_while(u8::is_ascii_digit) {
        v = v.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    if neg {
        -v
    } else {
        v
    }
}

/// C's `atof` on decimal text: the longest prefix that is a decimal number (`.25` → 0.25,
/// `1.5abc` → 1.5, `abc` → 0). Hexadecimal and `inf`/`nan` spellings are not accepted here.
pub(crate) fn atof(s: &str) -> f64 {
    let s = s.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let mut digits = i - int_start;
    if b.get(i) == Some(&b'.') {
        let frac_start = i + 1;
        let mut j = frac_start;
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        digits += j - frac_start;
        if digits > 0 {
            i = j;
        }
    }
    if digits == 0 {
        return 0.0;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let exp_start = j;
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        if j > exp_start {
            i = j;
        }
    }
    s[..i].parse().unwrap_or(0.0)
}

/// One evaluation measure, as trec_eval 9.0.8 computes it.
///
/// Variants are listed in trec_eval's internal table order, which is the order of its output
/// and the order of [`Ord`] for this type (parameters ascending within one measure).
/// Definitions are in the project's trec_eval spec, §8, and in `docs/measures.md`; R is the
/// number of relevant documents of the topic, n the number retrieved, and "relevant" means a
/// qrels value of at least the relevance level (1 by default).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
    /// `trunc(x·R + 0.9)`, the 9.0.8 rule; `lround(x·R)` under 10.0 compatibility).
    IprecAtRecall(Level),
    /// `P_k`: precision after k documents; the denominator is k even when fewer were retrieved.
    P(u32),
    /// `P(rel=l)@k` (irexp, from ir_measures): `P_k` with relevance level `l` for this
    /// measure alone, i.e. trec_eval's `P_k` under `-l l`.
    PRel {
        /// The relevance level.
        rel: u32,
        /// The cutoff.
        k: u32,
    },
    /// `relstring[_N]`: the relevance classes of the first N documents (default 10) as
    /// characters: the digit for 0–9, `>` above 9, `-` unjudged, `.` judged negative. Per
    /// topic only.
    RelString(Option<Params>),
    /// `recall_k`: relevant documents in the top k, divided by R.
    Recall(u32),
    /// `infAP`: inferred average precision (Yilmaz and Aslam), with ε = 1e-5.
    InfAp,
    /// `gm_bpref`: bpref aggregated as a geometric mean (summary only).
    GmBpref,
    /// `Rprec_mult_x`: precision after `trunc(x·R + 0.9)` documents.
    RprecMult(Level),
    /// `utility[_p1,p2,p3,p4]`: p1·relret + p2·(n − relret) + p3·(R − relret) +
    /// p4·(N + relret − n − R), N the collection size (`-N`, default 0); default 1,-1,0,0.
    Utility(Option<Params>),
    /// `11pt_avg`: mean interpolated precision at the recall levels 0.0, 0.1, …, 1.0.
    ElevenPtAvg,
    /// `11pt_avg_x,y,...`: mean interpolated precision at the given recall levels.
    ElevenPtAvgAt(Params),
    /// `binG`: binary G (Kishida), (1/R) Σ over relevant retrieved documents of
    /// 1 / log2(2 + non-relevant documents ranked above).
    BinG,
    /// `G[_gains]`: normalised gain (experimental in trec_eval).
    G(Option<Gains>),
    /// `dcg[_gains]` (trec_eval 10.0): the DCG of the whole list, as in `ndcg`.
    Dcg(Option<Gains>),
    /// `ideal_dcg[_gains]` (trec_eval 10.0): the ideal DCG, as in `ndcg`.
    IdealDcg(Option<Gains>),
    /// `ndcg`: nDCG over the whole ranking, linear gains (the qrels value), log2 discount;
    /// ignores the relevance level.
    Ndcg,
    /// `ndcg_l=g,...`: nDCG with custom gains per relevance level.
    NdcgGains(Gains),
    /// `ndcg_rel[_gains]`: nDCG averaged over the relevant documents (experimental).
    NdcgRel(Option<Gains>),
    /// `Rndcg[_gains]`: nDCG averaged at the R-level boundaries (experimental).
    Rndcg(Option<Gains>),
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
    /// `set_F_β`: (β + 1)·P·R / (β·P + R) with the given β (trec_eval's parameter).
    SetFBeta(Params),
    /// `num_nonrel_judged_ret`: judged non-relevant documents retrieved; summed in the summary.
    NumNonrelJudgedRet,
    /// `rbp[_p=x,gains]` (trec_eval 10.0): rank-biased precision (1 − p)·Σ gainᵢ·p^(i−1),
    /// p = 0.9 by default; when a gain of the table is outside [0, 1] all gains are rescaled
    /// to (g − min)/(max − min) over the table (the intended version of 10.0's code, whose
    /// min and max are uninitialised).
    Rbp(Option<Gains>),
    /// `rbp_resid[_p=x]` (trec_eval 10.0): p^n + (1 − p)·Σ over unjudged documents of
    /// p^(i−1); 0 when no retrieved document is unjudged.
    RbpResid(Option<Gains>),
    /// `unj_k` (trec_eval 10.0): the share of the top k that is absent from the qrels or
    /// judged negative; the denominator is k.
    Unj(u32),
    /// `judged_k` (irexp; ir_measures' `Judged@k`): the share of the top k that appears in the
    /// qrels topic with any value; the denominator is k.
    Judged(u32),
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
    /// No summary (relstring).
    None,
}

/// The error of [`parse_measures`] and of [`Measure::from_str`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeasureParseError {
    /// The specification was empty.
    Empty,
    /// No measure has this name.
    Unknown {
        /// The name as given.
        name: String,
    },
    /// A parameter could not be used.
    BadParameter {
        /// The measure's base name.
        name: String,
        /// The offending parameter text.
        param: String,
        /// What was expected.
        reason: String,
    },
    /// A parameter list has the wrong number of items (trec_eval fails when it computes the
    /// measure, with exit code 4).
    ParameterCount {
        /// The measure's base name.
        name: String,
        /// The parameter text.
        params: String,
        /// How many it needs.
        expected: usize,
        /// How many were given.
        found: usize,
    },
    /// The measure exists in trec_eval but the given form is not supported.
    Unsupported {
        /// The specification as given.
        name: String,
        /// What is not supported, and what is.
        reason: String,
    },
    /// [`Measure::from_str`] was given a specification naming several measures.
    NotSingle {
        /// The specification as given.
        spec: String,
        /// How many measures it names.
        count: usize,
    },
}

/// What kind of parameter a trec_eval base measure takes.
#[derive(Clone, Copy)]
enum Kind {
    /// No parameter (extra parameters are ignored, as trec_eval ignores them).
    Bare(fn() -> Measure),
    /// Integer cutoffs (`atol`, sorted, positive, distinct), with defaults.
    Cutoffs(fn(u32) -> Measure, &'static [u32]),
    /// Real cutoffs (`atof`, sorted, distinct), with defaults in tenths.
    Levels(fn(Level) -> Measure, &'static [u32]),
    /// A parameter list; the constructor receives the params, if any.
    List(fn(Option<Params>) -> Result<Measure, MeasureParseError>),
    /// Gain pairs.
    Pairs(fn(Option<Gains>) -> Measure),
    /// `runid`: not a measure of the library, printed by the text output.
    RunId,
}

impl std::fmt::Display for MeasureParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use MeasureParseError as E;
        match self {
            E::Empty => write!(f, "empty measure name; known measures: {}", known_names()),
            E::Unknown { name } => {
                write!(
                    f,
                    "unknown measure `{name}`; known measures: {}",
                    known_names()
                )
            }
            E::BadParameter {
                name,
                param,
                reason,
            } => write!(f, "measure `{name}`: bad parameter `{param}`: {reason}"),
            E::ParameterCount {
                name,
                params,
                expected,
                found,
            } => write!(
                f,
                "measure `{name}`: expected {expected} parameters, found {found} in `{params}`"
            ),
            E::Unsupported { name, reason } => write!(f, "measure `{name}`: {reason}"),
            E::NotSingle { spec, count } => write!(
                f,
                "`{spec}` names {count} measures, expected exactly one (use a cutoff, e.g. `P.10`)"
            ),
        }
    }
}

impl std::error::Error for MeasureParseError {}

const ELEVEN_TENTHS: [u32; 11] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const RPREC_MULT_TENTHS: [u32; 10] = [2, 4, 6, 8, 10, 12, 14, 16, 18, 20];

/// trec_eval's default cutoffs for `unj` (10.0).
pub const DEFAULT_UNJ_CUTOFFS: [u32; 3] = [5, 10, 20];

fn utility(p: Option<Params>) -> Result<Measure, MeasureParseError> {
    if let Some(p) = &p {
        if p.values.len() != 4 {
            return Err(MeasureParseError::ParameterCount {
                name: "utility".into(),
                params: p.raw.to_string(),
                expected: 4,
                found: p.values.len(),
            });
        }
    }
    Ok(Measure::Utility(p))
}

fn eleven_pt(p: Option<Params>) -> Result<Measure, MeasureParseError> {
    Ok(match p {
        None => Measure::ElevenPtAvg,
        Some(p) => Measure::ElevenPtAvgAt(p),
    })
}

fn set_f(p: Option<Params>) -> Result<Measure, MeasureParseError> {
    Ok(match p {
        None => Measure::SetF,
        Some(p) => Measure::SetFBeta(p),
    })
}

fn relstring(p: Option<Params>) -> Result<Measure, MeasureParseError> {
    Ok(Measure::RelString(p))
}

fn ndcg(g: Option<Gains>) -> Measure {
    match g {
        None => Measure::Ndcg,
        Some(g) => Measure::NdcgGains(g),
    }
}

/// trec_eval 9.0.8's measures by base name, plus irexp's `judged` and 10.0's `unj`.
const BASES: [(&str, Kind); 40] = [
    ("runid", Kind::RunId),
    ("num_q", Kind::Bare(|| Measure::NumQ)),
    ("num_ret", Kind::Bare(|| Measure::NumRet)),
    ("num_rel", Kind::Bare(|| Measure::NumRel)),
    ("num_rel_ret", Kind::Bare(|| Measure::NumRelRet)),
    ("map", Kind::Bare(|| Measure::Map)),
    ("gm_map", Kind::Bare(|| Measure::GmMap)),
    ("Rprec", Kind::Bare(|| Measure::Rprec)),
    ("bpref", Kind::Bare(|| Measure::Bpref)),
    ("recip_rank", Kind::Bare(|| Measure::RecipRank)),
    (
        "iprec_at_recall",
        Kind::Levels(Measure::IprecAtRecall, &ELEVEN_TENTHS),
    ),
    ("P", Kind::Cutoffs(Measure::P, &DEFAULT_CUTOFFS)),
    ("relstring", Kind::List(relstring)),
    ("recall", Kind::Cutoffs(Measure::Recall, &DEFAULT_CUTOFFS)),
    ("infAP", Kind::Bare(|| Measure::InfAp)),
    ("gm_bpref", Kind::Bare(|| Measure::GmBpref)),
    (
        "Rprec_mult",
        Kind::Levels(Measure::RprecMult, &RPREC_MULT_TENTHS),
    ),
    ("utility", Kind::List(utility)),
    ("11pt_avg", Kind::List(eleven_pt)),
    ("binG", Kind::Bare(|| Measure::BinG)),
    ("G", Kind::Pairs(Measure::G)),
    ("dcg", Kind::Pairs(Measure::Dcg)),
    ("ideal_dcg", Kind::Pairs(Measure::IdealDcg)),
    ("ndcg", Kind::Pairs(ndcg)),
    ("ndcg_rel", Kind::Pairs(Measure::NdcgRel)),
    ("Rndcg", Kind::Pairs(Measure::Rndcg)),
    (
        "ndcg_cut",
        Kind::Cutoffs(Measure::NdcgCut, &DEFAULT_CUTOFFS),
    ),
    ("map_cut", Kind::Cutoffs(Measure::MapCut, &DEFAULT_CUTOFFS)),
    (
        "relative_P",
        Kind::Cutoffs(Measure::RelativeP, &DEFAULT_CUTOFFS),
    ),
    (
        "success",
        Kind::Cutoffs(Measure::Success, &DEFAULT_SUCCESS_CUTOFFS),
    ),
    ("set_P", Kind::Bare(|| Measure::SetP)),
    ("set_relative_P", Kind::Bare(|| Measure::SetRelativeP)),
    ("set_recall", Kind::Bare(|| Measure::SetRecall)),
    ("set_map", Kind::Bare(|| Measure::SetMap)),
    ("set_F", Kind::List(set_f)),
    (
        "num_nonrel_judged_ret",
        Kind::Bare(|| Measure::NumNonrelJudgedRet),
    ),
    ("rbp", Kind::Pairs(Measure::Rbp)),
    ("rbp_resid", Kind::Pairs(Measure::RbpResid)),
    ("unj", Kind::Cutoffs(Measure::Unj, &DEFAULT_UNJ_CUTOFFS)),
    ("judged", Kind::Cutoffs(Measure::Judged, &DEFAULT_CUTOFFS)),
];

/// The bases of trec_eval's `official` nickname.
const OFFICIAL: [&str; 12] = [
    "runid",
    "num_q",
    "num_ret",
    "num_rel",
    "num_rel_ret",
    "map",
    "gm_map",
    "Rprec",
    "bpref",
    "recip_rank",
    "iprec_at_recall",
    "P",
];

/// The bases `all_trec` adds to `official` (9.0.8).
const ALL_TREC_EXTRA: [&str; 23] = [
    "relstring",
    "recall",
    "infAP",
    "gm_bpref",
    "utility",
    "11pt_avg",
    "ndcg",
    "relative_P",
    "Rprec_mult",
    "success",
    "map_cut",
    "ndcg_cut",
    "ndcg_rel",
    "Rndcg",
    "binG",
    "G",
    "set_P",
    "set_recall",
    "set_relative_P",
    "set_map",
    "set_F",
    "num_nonrel_judged_ret",
    "runid",
];

/// The bases trec_eval 10.0's `all_trec` adds to 9.0.8's.
const ALL_TREC_10_EXTRA: [&str; 3] = ["unj", "rbp", "rbp_resid"];

/// The bases of the `set` nickname.
const SET: [&str; 11] = [
    "runid",
    "num_q",
    "num_ret",
    "num_rel",
    "num_rel_ret",
    "utility",
    "set_P",
    "set_recall",
    "set_relative_P",
    "set_map",
    "set_F",
];

/// The bases a nickname selects, or `None` when `name` is not a nickname.
fn nickname(name: &str) -> Option<Vec<&'static str>> {
    match name {
        "official" => Some(OFFICIAL.to_vec()),
        "all_trec" => Some(OFFICIAL.iter().chain(&ALL_TREC_EXTRA).copied().collect()),
        "set" => Some(SET.to_vec()),
        _ => None,
    }
}

fn kind_of(base: &str) -> Option<Kind> {
    BASES.iter().find(|(n, _)| *n == base).map(|(_, k)| *k)
}

/// The measures of one trec_eval base with parameter text `params` (or its defaults).
fn build(base: &str, kind: Kind, params: Option<&str>) -> Result<Vec<Measure>, MeasureParseError> {
    Ok(match kind {
        Kind::RunId => Vec::new(),
        Kind::Bare(make) => vec![make()],
        Kind::Cutoffs(make, defaults) => match params {
            None => defaults.iter().map(|&k| make(k)).collect(),
            Some(p) => parse_int_params(base, p)?.into_iter().map(make).collect(),
        },
        Kind::Levels(make, tenths) => match params {
            None => tenths.iter().map(|&t| make(Level::tenths(t))).collect(),
            Some(p) => parse_real_params(base, p)?.into_iter().map(make).collect(),
        },
        Kind::List(make) => vec![make(params.map(Params::parse))?],
        Kind::Pairs(make) => vec![make(params.map(|p| Gains::parse(base, p)).transpose()?)],
    })
}

/// ir_measures-style names without a cutoff.
const ALIASES: [(&str, Measure); 11] = [
    ("AP", Measure::Map),
    ("nDCG", Measure::Ndcg),
    ("RR", Measure::RecipRank),
    ("Bpref", Measure::Bpref),
    ("infAP", Measure::InfAp),
    ("Rprec", Measure::Rprec),
    ("bpref", Measure::Bpref),
    ("NumQ", Measure::NumQ),
    ("NumRet", Measure::NumRet),
    ("NumRel", Measure::NumRel),
    ("NumRelRet", Measure::NumRelRet),
];

/// ir_measures-style names with `@k`.
/// A measure constructor taking an integer cutoff.
type WithCutoff = fn(u32) -> Measure;

const AT_ALIASES: [(&str, WithCutoff); 6] = [
    ("P", Measure::P),
    ("R", Measure::Recall),
    ("nDCG", Measure::NdcgCut),
    ("AP", Measure::MapCut),
    ("Success", Measure::Success),
    ("Judged", Measure::Judged),
];

fn known_names() -> String {
    let mut names: Vec<String> = Vec::new();
    for (n, k) in BASES.iter() {
        names.push(match k {
            Kind::Cutoffs(..) => format!("{n}[.k,...]"),
            Kind::Levels(..) => format!("{n}[.x,...]"),
            Kind::List(..) => format!("{n}[.p,...]"),
            Kind::Pairs(..) => format!("{n}[.level=gain,...]"),
            _ => n.to_string(),
        });
    }
    names.extend(["official", "all_trec", "set"].map(String::from));
    let aliases: Vec<String> = ALIASES
        .iter()
        .map(|(n, _)| n.to_string())
        .chain(AT_ALIASES.iter().map(|(n, _)| format!("{n}@k")))
        .chain(["IPrec@x".to_string(), "P(rel=l)@k".to_string()])
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
            Measure::PRel { .. } => "P(rel)",
            Measure::RelString(_) => "relstring",
            Measure::Recall(_) => "recall",
            Measure::InfAp => "infAP",
            Measure::GmBpref => "gm_bpref",
            Measure::RprecMult(_) => "Rprec_mult",
            Measure::Utility(_) => "utility",
            Measure::ElevenPtAvg | Measure::ElevenPtAvgAt(_) => "11pt_avg",
            Measure::BinG => "binG",
            Measure::G(_) => "G",
            Measure::Dcg(_) => "dcg",
            Measure::IdealDcg(_) => "ideal_dcg",
            Measure::Ndcg | Measure::NdcgGains(_) => "ndcg",
            Measure::NdcgRel(_) => "ndcg_rel",
            Measure::Rndcg(_) => "Rndcg",
            Measure::NdcgCut(_) => "ndcg_cut",
            Measure::MapCut(_) => "map_cut",
            Measure::RelativeP(_) => "relative_P",
            Measure::Success(_) => "success",
            Measure::SetP => "set_P",
            Measure::SetRelativeP => "set_relative_P",
            Measure::SetRecall => "set_recall",
            Measure::SetMap => "set_map",
            Measure::SetF | Measure::SetFBeta(_) => "set_F",
            Measure::NumNonrelJudgedRet => "num_nonrel_judged_ret",
            Measure::Rbp(_) => "rbp",
            Measure::RbpResid(_) => "rbp_resid",
            Measure::Unj(_) => "unj",
            Measure::Judged(_) => "judged",
        }
    }

    /// The name trec_eval prints: `map`, `P_10`, `iprec_at_recall_0.10`, `utility_2,-1,0,0`.
    /// `P(rel=l)@k`, which trec_eval cannot print, keeps its ir_measures spelling.
    pub fn name(&self) -> String {
        match self {
            Measure::P(k)
            | Measure::Recall(k)
            | Measure::NdcgCut(k)
            | Measure::MapCut(k)
            | Measure::RelativeP(k)
            | Measure::Success(k)
            | Measure::Unj(k)
            | Measure::Judged(k) => format!("{}_{k}", self.base_name()),
            Measure::IprecAtRecall(x) | Measure::RprecMult(x) => {
                format!("{}_{x}", self.base_name())
            }
            Measure::PRel { rel, k } => format!("P(rel={rel})@{k}"),
            Measure::RelString(Some(p))
            | Measure::Utility(Some(p))
            | Measure::ElevenPtAvgAt(p)
            | Measure::SetFBeta(p) => format!("{}_{}", self.base_name(), p.raw),
            Measure::G(Some(g))
            | Measure::Dcg(Some(g))
            | Measure::IdealDcg(Some(g))
            | Measure::NdcgGains(g)
            | Measure::NdcgRel(Some(g))
            | Measure::Rndcg(Some(g))
            | Measure::Rbp(Some(g))
            | Measure::RbpResid(Some(g)) => format!("{}_{}", self.base_name(), g.raw),
            _ => self.base_name().to_string(),
        }
    }

    /// True for measures trec_eval prints only in the summary: `num_q`, `gm_map`, `gm_bpref`.
    pub fn is_summary_only(&self) -> bool {
        matches!(self, Measure::NumQ | Measure::GmMap | Measure::GmBpref)
    }

    /// True for measures printed per topic only (`relstring`), whose value is text.
    pub fn is_text(&self) -> bool {
        matches!(self, Measure::RelString(_))
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
            Measure::RelString(_) => Aggregate::None,
            _ => Aggregate::Mean,
        }
    }

    /// Position of the measure's base name in trec_eval's internal table (spec §6); irexp's
    /// own measures are placed after the trec_eval measure they extend or at the end.
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
            Measure::PRel { .. } => 12,
            Measure::RelString(_) => 13,
            Measure::Recall(_) => 14,
            Measure::InfAp => 15,
            Measure::GmBpref => 16,
            Measure::RprecMult(_) => 17,
            Measure::Utility(_) => 18,
            Measure::ElevenPtAvg | Measure::ElevenPtAvgAt(_) => 19,
            Measure::BinG => 20,
            Measure::G(_) => 21,
            Measure::Dcg(_) => 22,
            Measure::IdealDcg(_) => 23,
            Measure::Ndcg | Measure::NdcgGains(_) => 24,
            Measure::NdcgRel(_) => 25,
            Measure::Rndcg(_) => 26,
            Measure::NdcgCut(_) => 27,
            Measure::MapCut(_) => 28,
            Measure::RelativeP(_) => 29,
            Measure::Success(_) => 30,
            Measure::SetP => 31,
            Measure::SetRelativeP => 32,
            Measure::SetRecall => 33,
            Measure::SetMap => 34,
            Measure::SetF | Measure::SetFBeta(_) => 35,
            Measure::NumNonrelJudgedRet => 36,
            Measure::Rbp(_) => 37,
            Measure::RbpResid(_) => 38,
            Measure::Unj(_) => 39,
            Measure::Judged(_) => 40,
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
            | Measure::Success(k)
            | Measure::Unj(k)
            | Measure::Judged(k) => f64::from(*k),
            Measure::PRel { rel, k } => f64::from(*rel) * 1e6 + f64::from(*k),
            Measure::IprecAtRecall(x) | Measure::RprecMult(x) => x.get(),
            _ => 0.0,
        }
    }

    /// The raw parameter text, to order parameter lists deterministically.
    fn param_text(&self) -> &str {
        match self {
            Measure::RelString(Some(p))
            | Measure::Utility(Some(p))
            | Measure::ElevenPtAvgAt(p)
            | Measure::SetFBeta(p) => &p.raw,
            Measure::G(Some(g))
            | Measure::Dcg(Some(g))
            | Measure::IdealDcg(Some(g))
            | Measure::NdcgGains(g)
            | Measure::NdcgRel(Some(g))
            | Measure::Rndcg(Some(g))
            | Measure::Rbp(Some(g))
            | Measure::RbpResid(Some(g)) => &g.raw,
            _ => "",
        }
    }

    /// The measures trec_eval's `official` nickname selects (runid aside): num_q, num_ret,
    /// num_rel, num_rel_ret, map, gm_map, Rprec, bpref, recip_rank, iprec_at_recall at
    /// 0.0, 0.1, …, 1.0 and P at the default cutoffs.
    pub fn official() -> Vec<Measure> {
        expand_nickname("official")
    }

    /// The measures of trec_eval 9.0.8's `all_trec` nickname (runid aside), in table order.
    pub fn all_trec() -> Vec<Measure> {
        expand_nickname("all_trec")
    }
}

fn expand_nickname(name: &str) -> Vec<Measure> {
    let mut v = Vec::new();
    for base in nickname(name).unwrap_or_default() {
        if let Some(kind) = kind_of(base) {
            // Defaults always build.
            v.extend(build(base, kind, None).unwrap_or_default());
        }
    }
    sort_trec_eval_order(&mut v);
    v
}

impl PartialOrd for Measure {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Measure {
    /// trec_eval's output order: table position, then parameter ascending (then the
    /// parameter text, so that the order is total).
    fn cmp(&self, other: &Self) -> Ordering {
        self.table_position()
            .cmp(&other.table_position())
            .then_with(|| self.param().total_cmp(&other.param()))
            .then_with(|| self.param_text().cmp(other.param_text()))
            .then_with(|| {
                // Bare before parameterised (ndcg before ndcg_1=3 with empty text).
                let a = matches!(self, Measure::Ndcg | Measure::ElevenPtAvg | Measure::SetF);
                let b = matches!(other, Measure::Ndcg | Measure::ElevenPtAvg | Measure::SetF);
                b.cmp(&a)
            })
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

/// Parses one measure specification in trec_eval's `-m` syntax, plus conveniences.
///
/// * A bare name: `map`, `ndcg`, `num_rel_ret`. A bare parameterised name expands to
///   trec_eval's defaults: `P`, `recall`, `ndcg_cut`, `map_cut` and `relative_P` to
///   5, 10, 15, 20, 30, 100, 200, 500, 1000; `success` to 1, 5, 10; `iprec_at_recall` to
///   0.0, 0.1, …, 1.0; `Rprec_mult` to 0.2, 0.4, …, 2.0.
/// * Parameters after the first `.` (trec_eval) or `_` (as printed): `P.5,10,20`, `P_10`,
///   `iprec_at_recall_0.10`, `utility.2,-1,0,0`, `ndcg.1=3,2=9`, `set_F.0.5`,
///   `11pt_avg..25,.5,.75`, `relstring.20`. Integer cutoffs are read as C's `atol` reads
///   them (`23.4` is 23), sorted, and must be positive and distinct; real ones are read as
///   `atof`, sorted, must be distinct and (unlike trec_eval) non-negative.
/// * The nicknames `official`, `all_trec` and `set` (runid aside).
/// * ir_measures aliases: `AP`, `AP@k`, `P@k`, `P(rel=l)@k`, `R@k`, `nDCG`, `nDCG@k`, `RR`,
///   `Bpref`, `Rprec`, `Success@k`, `Judged@k`, `IPrec@x`, `NumQ`, `NumRet`, `NumRel`,
///   `NumRelRet`.
pub fn parse_measures(spec: &str) -> Result<Vec<Measure>, MeasureParseError> {
    let spec = spec.trim();
    if spec.is_empty() {
        return Err(MeasureParseError::Empty);
    }
    if nickname(spec).is_some() {
        return Ok(expand_nickname(spec));
    }
    if let Some(v) = parse_alias(spec)? {
        return Ok(v);
    }
    if let Some(kind) = kind_of(spec).filter(|k| !matches!(k, Kind::RunId)) {
        return build(spec, kind, None);
    }
    // Parameters after the first `.`, or after `_` as trec_eval prints them.
    if let Some((base, params)) = spec.split_once('.') {
        if let Some(kind) = kind_of(base).filter(|k| !matches!(k, Kind::RunId)) {
            return build(base, kind, Some(params));
        }
    }
    // Printed names: the longest base that `spec` starts with, followed by `_`.
    let mut best: Option<(&str, Kind)> = None;
    for (base, kind) in BASES.iter() {
        if matches!(kind, Kind::RunId | Kind::Bare(_)) {
            continue;
        }
        if spec.len() > base.len() + 1
            && spec.starts_with(base)
            && spec.as_bytes()[base.len()] == b'_'
            && best.is_none_or(|(b, _)| b.len() < base.len())
        {
            best = Some((base, *kind));
        }
    }
    if let Some((base, kind)) = best {
        // A printed name that does not read back (`ndcg_p`, `P_x`) is an unknown name, as
        // trec_eval calls it an illegal measure.
        if let Ok(v) = build(base, kind, Some(&spec[base.len() + 1..])) {
            return Ok(v);
        }
    }
    Err(MeasureParseError::Unknown {
        name: spec.to_string(),
    })
}

/// Whether `spec` is spelt as ir_measures spells measures (`AP`, `nDCG@10`, `P(rel=2)@10`,
/// `R@1000`, `RR`) rather than as trec_eval does (`map`, `ndcg_cut.10`, `P_10`), so that a
/// caller can key results by the name the user wrote.
///
/// ```
/// use irexp_eval::eval::measure::is_ir_measures_name;
/// assert!(is_ir_measures_name("nDCG@10") && is_ir_measures_name("AP"));
/// assert!(!is_ir_measures_name("ndcg_cut.10") && !is_ir_measures_name("map"));
/// ```
pub fn is_ir_measures_name(spec: &str) -> bool {
    matches!(parse_alias(spec.trim()), Ok(Some(_)))
}

/// ir_measures spellings: `AP`, `nDCG@10`, `P(rel=2)@10`, `IPrec@0.5`.
fn parse_alias(spec: &str) -> Result<Option<Vec<Measure>>, MeasureParseError> {
    if let Some((_, m)) = ALIASES.iter().find(|(n, _)| *n == spec) {
        return Ok(Some(vec![m.clone()]));
    }
    let Some((name, at)) = spec.split_once('@') else {
        return Ok(None);
    };
    if let Some((_, make)) = AT_ALIASES.iter().find(|(n, _)| *n == name) {
        return Ok(Some(
            parse_int_params(name, at)?.into_iter().map(make).collect(),
        ));
    }
    if name == "IPrec" {
        return Ok(Some(
            parse_real_params(name, at)?
                .into_iter()
                .map(Measure::IprecAtRecall)
                .collect(),
        ));
    }
    if let Some(rel) = name
        .strip_prefix("P(rel=")
        .and_then(|r| r.strip_suffix(')'))
    {
        let rel: u32 = rel
            .parse()
            .map_err(|_| bad("P", rel, "expected a relevance level 0 or more"))?;
        return Ok(Some(
            parse_int_params("P", at)?
                .into_iter()
                .map(|k| Measure::PRel { rel, k })
                .collect(),
        ));
    }
    Ok(None)
}

/// The result of reading trec_eval `-m` arguments with [`parse_trec_eval_selection`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// The measures, in trec_eval's output order.
    pub measures: Vec<Measure>,
    /// True when `runid` is selected (by name or through a nickname).
    pub runid: bool,
}

/// Reads trec_eval `-m` arguments with trec_eval's semantics (spec §7): nicknames expand to
/// base measures; a base named several times is evaluated once, with the parameters of its
/// **first** parameterised occurrence (`-m P.10,5 -m P.20` gives P_5 and P_10, and
/// `-m P.20 -m all_trec` only P_20); the order of the arguments does not matter. No
/// argument means `official`. ir_measures aliases (`nDCG@10`, `P(rel=2)@10`, `Judged@10`)
/// and printed names (`P_10`) are accepted too and added as given.
///
/// An unknown name is [`MeasureParseError::Unknown`] (trec_eval: illegal measure).
pub fn parse_trec_eval_selection<'a, I>(specs: I) -> Result<Selection, MeasureParseError>
where
    I: IntoIterator<Item = &'a str>,
{
    parse_trec_eval_selection_for(specs, Compat::V9_0_8)
}

/// [`parse_trec_eval_selection`] for trec_eval version `compat`: under 10.0, `all_trec` also
/// selects `unj`, `rbp` and `rbp_resid`, as 10.0's does.
pub fn parse_trec_eval_selection_for<'a, I>(
    specs: I,
    compat: Compat,
) -> Result<Selection, MeasureParseError>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut bases: Vec<&'static str> = Vec::new();
    let mut params: HashMap<&'static str, String> = HashMap::new();
    let mut extra: Vec<Measure> = Vec::new();
    let mut any = false;
    for spec in specs {
        any = true;
        let spec = spec.trim();
        if spec.is_empty() {
            return Err(MeasureParseError::Empty);
        }
        if let Some(mut names) = nickname(spec) {
            if spec == "all_trec" && compat == Compat::V10_0 {
                names.extend(ALL_TREC_10_EXTRA);
            }
            for b in names {
                if !bases.contains(&b) {
                    bases.push(b);
                }
            }
            continue;
        }
        let (name, p) = match spec.split_once('.') {
            Some((n, p)) => (n, Some(p)),
            None => (spec, None),
        };
        if let Some((base, _)) = BASES.iter().find(|(b, _)| *b == name) {
            if !bases.contains(base) {
                bases.push(base);
            }
            if let Some(p) = p {
                params.entry(base).or_insert_with(|| p.to_string());
            }
            continue;
        }
        extra.extend(parse_measures(spec)?);
    }
    if !any {
        bases = OFFICIAL.to_vec();
    }
    let mut measures = extra;
    let mut runid = false;
    for base in bases {
        let Some(kind) = kind_of(base) else { continue };
        if matches!(kind, Kind::RunId) {
            runid = true;
            continue;
        }
        measures.extend(build(base, kind, params.get(base).map(String::as_str))?);
    }
    sort_trec_eval_order(&mut measures);
    Ok(Selection { measures, runid })
}

/// Parses several specifications (each as [`parse_measures`]) and returns the union of the
/// measures they name, without duplicates, in trec_eval's output order.
///
/// trec_eval itself keeps only the first parameter list given for a measure (`-m P.10
/// -m P.20` prints only P_10; see [`parse_trec_eval_selection`]); this function takes the
/// union, which is what a list of measures in a configuration file means.
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

fn bad(name: &str, param: &str, reason: &str) -> MeasureParseError {
    MeasureParseError::BadParameter {
        name: name.to_string(),
        param: param.to_string(),
        reason: reason.to_string(),
    }
}

/// Integer cutoffs as trec_eval reads them: each item with `atol` (`23.4` is 23), sorted;
/// they must be positive (trec_eval: "Negative cutoff detected") and distinct ("duplicate
/// cutoffs detected").
fn parse_int_params(name: &str, params: &str) -> Result<Vec<u32>, MeasureParseError> {
    let mut cutoffs = Vec::new();
    for item in params.split(',') {
        let k = atol(item);
        if k <= 0 {
            return Err(bad(
                name,
                item,
                "cutoffs must be positive integers (trec_eval: Negative cutoff detected)",
            ));
        }
        let k = u32::try_from(k).map_err(|_| bad(name, item, "cutoff too large"))?;
        cutoffs.push(k);
    }
    cutoffs.sort_unstable();
    if let Some(w) = cutoffs.windows(2).find(|w| w[0] == w[1]) {
        return Err(bad(
            name,
            params,
            &format!(
                "cutoff {} is given twice (trec_eval: duplicate cutoffs detected)",
                w[0]
            ),
        ));
    }
    Ok(cutoffs)
}

/// Real cutoffs as trec_eval reads them: each item with `atof`, sorted, distinct. Unlike
/// trec_eval, negative and non-finite values are errors.
fn parse_real_params(name: &str, params: &str) -> Result<Vec<Level>, MeasureParseError> {
    let mut levels = Vec::new();
    for item in params.split(',') {
        let trimmed = item.trim();
        if trimmed.eq_ignore_ascii_case("nan") || trimmed.to_ascii_lowercase().contains("inf") {
            return Err(bad(name, item, "expected a non-negative number"));
        }
        let level = Level::new(atof(item))
            .ok_or_else(|| bad(name, item, "expected a non-negative number"))?;
        levels.push(level);
    }
    levels.sort_unstable();
    if let Some(w) = levels.windows(2).find(|w| w[0] == w[1]) {
        return Err(bad(
            name,
            params,
            &format!(
                "level {} is given twice (trec_eval: duplicate cutoffs detected)",
                w[0].get()
            ),
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
            "P.5,5.7",
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
    fn cutoffs_are_read_as_atol_reads_them() {
        assert_eq!(parse_measures("P.23.4").unwrap(), [Measure::P(23)]);
        assert_eq!(
            parse_measures("ndcg_cut.10,20,23.4").unwrap(),
            [
                Measure::NdcgCut(10),
                Measure::NdcgCut(20),
                Measure::NdcgCut(23)
            ]
        );
        assert_eq!(atol(" +3x"), 3);
        assert_eq!(atol("abc"), 0);
        assert_eq!(atof(".25"), 0.25);
        assert_eq!(atof("1.5abc"), 1.5);
        assert_eq!(atof("-1e2,"), -100.0);
    }

    #[test]
    fn parameter_lists_keep_their_text_in_the_name() {
        for (spec, name) in [
            ("utility.2,-1,0,0", "utility_2,-1,0,0"),
            ("11pt_avg..25,.5,.75", "11pt_avg_.25,.5,.75"),
            ("ndcg.1=3,2=9,4=4.5", "ndcg_1=3,2=9,4=4.5"),
            ("relstring.20", "relstring_20"),
            ("set_F.0.5", "set_F_0.5"),
            ("G.1=2", "G_1=2"),
        ] {
            let m: Measure = spec.parse().unwrap();
            assert_eq!(m.to_string(), name);
            assert_eq!(name.parse::<Measure>().unwrap(), m, "{name} round-trips");
        }
        assert!(matches!(
            parse_measures("utility.1,2"),
            Err(MeasureParseError::ParameterCount { found: 2, .. })
        ));
        assert!(matches!(
            parse_measures("ndcg.1"),
            Err(MeasureParseError::BadParameter { .. })
        ));
    }

    #[test]
    fn trec_eval_selection_keeps_the_first_parameters() {
        let sel = parse_trec_eval_selection(["P.10,5", "P.20"]).unwrap();
        assert_eq!(sel.measures, [Measure::P(5), Measure::P(10)]);
        assert!(!sel.runid);
        let sel = parse_trec_eval_selection(["P.20", "all_trec"]).unwrap();
        assert!(sel.runid);
        assert_eq!(
            sel.measures.iter().filter(|m| m.base_name() == "P").count(),
            1
        );
        let sel = parse_trec_eval_selection(std::iter::empty()).unwrap();
        assert!(sel.runid);
        assert_eq!(sel.measures, Measure::official());
        let sel = parse_trec_eval_selection(["runid", "map"]).unwrap();
        assert!(sel.runid);
        assert_eq!(sel.measures, [Measure::Map]);
        assert!(matches!(
            parse_trec_eval_selection(["mapp"]),
            Err(MeasureParseError::Unknown { .. })
        ));
    }

    #[test]
    fn all_trec_has_trec_eval_9_0_8_line_counts() {
        // 9.0.8 prints 94 summary lines with -m all_trec: runid, and 93 measures of which
        // relstring is per topic only.
        let v = Measure::all_trec();
        assert_eq!(v.iter().filter(|m| !m.is_text()).count(), 93);
        assert_eq!(v.iter().filter(|m| !m.is_summary_only()).count(), 91);
    }

    #[test]
    fn ir_measures_extras() {
        assert_eq!(
            "P(rel=2)@10".parse::<Measure>().unwrap(),
            Measure::PRel { rel: 2, k: 10 }
        );
        assert_eq!("Judged@10".parse::<Measure>().unwrap(), Measure::Judged(10));
        assert_eq!("Rprec".parse::<Measure>().unwrap(), Measure::Rprec);
        assert_eq!("bpref".parse::<Measure>().unwrap(), Measure::Bpref);
        assert_eq!("unj_5".parse::<Measure>().unwrap(), Measure::Unj(5));
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
