//! One topic: the judgments the measures need (computed once per qrels topic) and one pass
//! over a ranked list that gathers everything the measures are computed from.

use super::measure::Measure;
use crate::qrels::QrelsTopic;

/// Class of a retrieved document that the topic's qrels do not mention (trec_eval's NONPOOL).
pub(crate) const NONPOOL: i64 = -1;

/// Class of a retrieved document judged with a negative value (trec_eval's UNJUDGED).
pub(crate) const UNJUDGED: i64 = -2;

/// ε of infAP.
const INFAP_EPSILON: f64 = 1e-5;

/// The DCG discount of 1-based `rank`: log2(rank + 1).
fn discount(rank: usize) -> f64 {
    ((rank + 1) as f64).log2()
}

/// What the measures need from one qrels topic, computed once per evaluator.
#[derive(Debug)]
pub(crate) struct Judgments<'q> {
    /// The judgments themselves, for classifying retrieved documents.
    pub topic: &'q QrelsTopic,
    /// R: judgments with a value of at least the relevance level.
    pub num_rel: usize,
    /// Judgments with 0 ≤ value < relevance level (bpref's judged non-relevant).
    pub num_nonrel: usize,
    /// Judgments with a value > 0, whatever the relevance level (the `-c` num_rel summary).
    pub num_positive: usize,
    /// `ideal_dcg[i]` is the DCG of the first i + 1 documents of the ideal ranking: the
    /// positive qrels values in descending order, each its own gain.
    pub ideal_dcg: Vec<f64>,
}

impl<'q> Judgments<'q> {
    /// Summarises `topic` for relevance level `level` (≥ 0).
    pub fn new(topic: &'q QrelsTopic, level: i64) -> Self {
        let (mut num_rel, mut num_nonrel) = (0, 0);
        let mut gains: Vec<i64> = Vec::new();
        for (_, rel) in topic.iter() {
            if rel >= level {
                num_rel += 1;
            } else if rel >= 0 {
                num_nonrel += 1;
            }
            if rel > 0 {
                gains.push(rel);
            }
        }
        gains.sort_unstable_by(|a, b| b.cmp(a));
        let mut dcg = 0.0;
        let ideal_dcg = gains
            .iter()
            .enumerate()
            .map(|(i, &g)| {
                dcg += g as f64 / discount(i + 1);
                dcg
            })
            .collect();
        Judgments {
            topic,
            num_rel,
            num_nonrel,
            num_positive: gains.len(),
            ideal_dcg,
        }
    }

    /// Ideal DCG of the top `k` (0 when there is no positive judgment).
    fn ideal_dcg_at(&self, k: usize) -> f64 {
        match k.min(self.ideal_dcg.len()) {
            0 => 0.0,
            i => self.ideal_dcg[i - 1],
        }
    }

    /// The class of a retrieved document: its qrels value when ≥ 0, else UNJUDGED or NONPOOL.
    pub fn class(&self, docno: &str) -> i64 {
        match self.topic.get(docno) {
            Some(v) if v >= 0 => v,
            Some(_) => UNJUDGED,
            None => NONPOOL,
        }
    }
}

/// Everything the measures need from one ranked list, gathered in one pass.
///
/// The vectors are reused from topic to topic, so evaluating a run allocates only while they
/// grow.
#[derive(Debug, Default)]
pub(crate) struct Ranking {
    /// n: the number of documents ranked.
    num_ret: usize,
    /// 1-based ranks of the relevant documents, ascending.
    rel_ranks: Vec<usize>,
    /// `ap_prefix[j]`: Σ precision at the ranks of the first j + 1 relevant documents.
    ap_prefix: Vec<f64>,
    /// 1-based ranks of the documents with a positive gain (qrels value > 0).
    gain_ranks: Vec<usize>,
    /// `dcg_prefix[j]`: DCG up to and including `gain_ranks[j]`.
    dcg_prefix: Vec<f64>,
    /// Retrieved documents with 0 ≤ class < level.
    nonrel_judged_ret: usize,
    /// Σ of bpref's per-relevant-document terms.
    bpref_sum: f64,
    /// Σ of infAP's per-relevant-document terms.
    infap_sum: f64,
    /// Σ of binG's per-relevant-document terms.
    bing_sum: f64,
}

impl Ranking {
    /// Walks the ranked `classes` (best first, already cut and filtered) of a topic with
    /// judgments `judg`, relevance level `level` ≥ 0.
    pub fn compute(&mut self, classes: &[i64], judg: &Judgments<'_>, level: i64) {
        self.num_ret = classes.len();
        self.rel_ranks.clear();
        self.ap_prefix.clear();
        self.gain_ranks.clear();
        self.dcg_prefix.clear();
        let r = judg.num_rel;
        let min_nonrel_r = judg.num_nonrel.min(r) as f64;
        let (mut ap, mut dcg) = (0.0, 0.0);
        let (mut bpref, mut infap, mut bing) = (0.0, 0.0, 0.0);
        let (mut rel, mut nonrel, mut unjudged) = (0usize, 0usize, 0usize);
        for (i, &class) in classes.iter().enumerate() {
            let rank = i + 1;
            if class > 0 {
                dcg += class as f64 / discount(rank);
                self.gain_ranks.push(rank);
                self.dcg_prefix.push(dcg);
            }
            if class < 0 {
                if class == UNJUDGED {
                    unjudged += 1;
                }
                continue;
            }
            if class < level {
                nonrel += 1;
                continue;
            }
            rel += 1;
            ap += rel as f64 / rank as f64;
            self.rel_ranks.push(rank);
            self.ap_prefix.push(ap);
            bpref += if nonrel == 0 {
                1.0
            } else {
                1.0 - nonrel.min(r) as f64 / min_nonrel_r
            };
            infap += if i == 0 {
                1.0
            } else {
                let j = i as f64;
                let above = (rel - 1) as f64;
                1.0 / (j + 1.0)
                    + (j / (j + 1.0))
                        * ((above + (nonrel + unjudged) as f64) / j)
                        * ((above + INFAP_EPSILON) / (above + nonrel as f64 + 2.0 * INFAP_EPSILON))
            };
            bing += 1.0 / ((2 + i + 1 - rel) as f64).log2();
        }
        self.nonrel_judged_ret = nonrel;
        self.bpref_sum = bpref;
        self.infap_sum = infap;
        self.bing_sum = bing;
    }

    /// Relevant documents among the first min(k, n).
    fn rel_in(&self, k: usize) -> usize {
        self.rel_ranks.partition_point(|&rank| rank <= k)
    }

    fn rel_ret(&self) -> usize {
        self.rel_ranks.len()
    }

    /// Σ precision at the relevant ranks ≤ k.
    fn ap_sum_at(&self, k: usize) -> f64 {
        match self.rel_in(k) {
            0 => 0.0,
            j => self.ap_prefix[j - 1],
        }
    }

    /// DCG of the first min(k, n) documents.
    fn dcg_at(&self, k: usize) -> f64 {
        match self.gain_ranks.partition_point(|&rank| rank <= k) {
            0 => 0.0,
            j => self.dcg_prefix[j - 1],
        }
    }

    /// Interpolated precision at recall level `x` (9.0.8 cutoff rule).
    fn iprec(&self, x: f64, r: usize) -> f64 {
        let rel_ret = self.rel_ret();
        // C's (long) conversion truncates; x·R + 0.9 is never negative here.
        let c = (x * r as f64 + 0.9) as usize;
        if c > rel_ret {
            return 0.0;
        }
        if rel_ret == 0 {
            // trec_eval computes rel_ret / n; with n = 0 (possible only with -J or -M0) that
            // is 0/0, which it prints as -nan.
            return if self.num_ret == 0 { -f64::NAN } else { 0.0 };
        }
        let mut best = rel_ret as f64 / self.num_ret as f64;
        for (j, &rank) in self.rel_ranks.iter().enumerate().skip(c.max(1) - 1) {
            let p = (j + 1) as f64 / rank as f64;
            if p > best {
                best = p;
            }
        }
        best
    }

    /// Precision after `c` documents, 0 when `c` is 0.
    fn precision_at(&self, c: usize) -> f64 {
        if c == 0 {
            0.0
        } else {
            self.rel_in(c) as f64 / c as f64
        }
    }

    /// The per-topic value of `m`. For the summary-only measures this is the per-topic input
    /// of the aggregate: 1 for num_q, AP for gm_map, bpref for gm_bpref.
    pub fn value(&self, m: &Measure, judg: &Judgments<'_>) -> f64 {
        let n = self.num_ret;
        let r = judg.num_rel;
        let rel_ret = self.rel_ret();
        let over_r = |x: f64| if r == 0 { 0.0 } else { x / r as f64 };
        match *m {
            Measure::NumQ => 1.0,
            Measure::NumRet => n as f64,
            Measure::NumRel => r as f64,
            Measure::NumRelRet => rel_ret as f64,
            Measure::NumNonrelJudgedRet => self.nonrel_judged_ret as f64,
            Measure::Map | Measure::GmMap => over_r(self.ap_sum_at(usize::MAX)),
            Measure::Rprec => over_r(self.rel_in(r) as f64),
            Measure::Bpref | Measure::GmBpref => over_r(self.bpref_sum),
            Measure::RecipRank => self
                .rel_ranks
                .first()
                .map_or(0.0, |&rank| 1.0 / rank as f64),
            Measure::IprecAtRecall(x) => self.iprec(x.get(), r),
            Measure::P(k) => self.precision_at(k as usize),
            Measure::Recall(k) => over_r(self.rel_in(k as usize) as f64),
            Measure::InfAp => over_r(self.infap_sum),
            Measure::RprecMult(x) => self.precision_at((x.get() * r as f64 + 0.9) as usize),
            Measure::ElevenPtAvg => {
                // Summed from recall 1.0 down to 0.0: that order reproduces trec_eval's last
                // bits (checked against it on every golden topic).
                let mut sum = 0.0;
                for i in (0..=10).rev() {
                    sum += self.iprec(f64::from(i) / 10.0, r);
                }
                sum / 11.0
            }
            Measure::BinG => over_r(self.bing_sum),
            Measure::Ndcg => {
                let ideal = judg.ideal_dcg_at(usize::MAX);
                if ideal > 0.0 {
                    self.dcg_at(usize::MAX) / ideal
                } else {
                    0.0
                }
            }
            Measure::NdcgCut(k) => {
                let ideal = judg.ideal_dcg_at(k as usize);
                if ideal > 0.0 {
                    self.dcg_at(k as usize) / ideal
                } else {
                    0.0
                }
            }
            Measure::MapCut(k) => over_r(self.ap_sum_at(k as usize)),
            Measure::RelativeP(k) => {
                let d = (k as usize).min(r);
                if d == 0 {
                    0.0
                } else {
                    self.rel_in(k as usize) as f64 / d as f64
                }
            }
            Measure::Success(k) => {
                if self.rel_in(k as usize) > 0 {
                    1.0
                } else {
                    0.0
                }
            }
            Measure::SetP => {
                if n == 0 {
                    0.0
                } else {
                    rel_ret as f64 / n as f64
                }
            }
            Measure::SetRelativeP => match n.min(r) {
                0 => 0.0,
                d => rel_ret as f64 / d as f64,
            },
            Measure::SetRecall => over_r(rel_ret as f64),
            Measure::SetMap => {
                if n == 0 || r == 0 {
                    0.0
                } else {
                    (rel_ret * rel_ret) as f64 / (n * r) as f64
                }
            }
            Measure::SetF => {
                if rel_ret == 0 {
                    0.0
                } else {
                    let p = rel_ret as f64 / n as f64;
                    let rc = rel_ret as f64 / r as f64;
                    2.0 * p * rc / (p + rc)
                }
            }
        }
    }
}
