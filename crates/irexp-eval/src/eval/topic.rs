//! One topic: the judgments the measures need (computed once per qrels topic) and one pass
//! over a ranked list that gathers everything the measures are computed from.

use super::measure::{Gains, Measure};
use super::Compat;
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
    /// `hist[v]`: judgments with value v, for 0 ≤ v ≤ the largest non-negative value
    /// (trec_eval's `rel_levels`; its length is `num_rel_levels`).
    pub hist: Vec<usize>,
}

impl<'q> Judgments<'q> {
    /// Summarises `topic` for relevance level `level` (≥ 0).
    pub fn new(topic: &'q QrelsTopic, level: i64) -> Self {
        let (mut num_rel, mut num_nonrel) = (0, 0);
        let mut gains: Vec<i64> = Vec::new();
        let mut hist: Vec<usize> = Vec::new();
        for (_, rel) in topic.iter() {
            if let Ok(v) = usize::try_from(rel) {
                // Values are bounded by what a line can hold; a huge value would make a huge
                // histogram, so values beyond 1e6 share the last slot (they exceed every
                // level anyone uses).
                let v = v.min(1_000_000);
                if hist.len() <= v {
                    hist.resize(v + 1, 0);
                }
                hist[v] += 1;
            }
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
            hist,
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
    /// The classes of the ranked documents, best first.
    classes: Vec<i64>,
    /// The relevance level.
    level: i64,
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
        self.classes.clear();
        self.classes.extend_from_slice(classes);
        self.level = level;
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

    /// Interpolated precision at recall level `x`.
    fn iprec(&self, x: f64, r: usize, compat: Compat) -> f64 {
        let rel_ret = self.rel_ret();
        let c = recall_cutoff(x, r, compat);
        if c > rel_ret as i64 {
            return 0.0;
        }
        if rel_ret == 0 {
            // trec_eval computes rel_ret / n; with n = 0 (possible only with -J or -M0) that
            // is 0/0, which it prints as -nan.
            return if self.num_ret == 0 { -f64::NAN } else { 0.0 };
        }
        let mut best = rel_ret as f64 / self.num_ret as f64;
        let skip = usize::try_from(c.max(1) - 1).unwrap_or(0);
        for (j, &rank) in self.rel_ranks.iter().enumerate().skip(skip) {
            let p = (j + 1) as f64 / rank as f64;
            if p > best {
                best = p;
            }
        }
        best
    }

    /// trec_eval's 11pt_avg at recall `levels` (in the order given): interpolated
    /// precision at each level's cutoff, found in one backward walk, averaged.
    fn eleven_pt(&self, levels: &[f64], r: usize, compat: Compat) -> f64 {
        if levels.is_empty() {
            return 0.0;
        }
        let n = self.num_ret;
        let rel_ret = self.rel_ret() as i64;
        let cutoffs: Vec<i64> = levels
            .iter()
            .map(|&x| recall_cutoff(x, r, compat))
            .collect();
        let mut current = cutoffs.len() as isize - 1;
        while current >= 0 && cutoffs[current as usize] > rel_ret {
            current -= 1;
        }
        let mut int_precis = if n == 0 {
            -f64::NAN
        } else {
            rel_ret as f64 / n as f64
        };
        let mut rel_so_far = rel_ret;
        let mut sum = 0.0;
        let mut i = n;
        while i > 0 && rel_so_far > 0 {
            let precis = rel_so_far as f64 / i as f64;
            if int_precis < precis {
                int_precis = precis;
            }
            if self.classes[i - 1] >= self.level {
                while current >= 0 && rel_so_far == cutoffs[current as usize] {
                    sum += int_precis;
                    current -= 1;
                }
                rel_so_far -= 1;
            }
            i -= 1;
        }
        while current >= 0 {
            sum += int_precis;
            current -= 1;
        }
        sum / levels.len() as f64
    }

    /// The relevance string of the first `len` documents.
    pub fn relstring(&self, m: &Measure) -> String {
        let len = match m {
            Measure::RelString(Some(p)) => p.values().first().copied().unwrap_or(0.0) as i64,
            _ => 10,
        };
        let len = usize::try_from(len).unwrap_or(0).min(self.num_ret);
        self.classes[..len]
            .iter()
            .map(|&c| match c {
                10.. => '>',
                0..=9 => char::from(b'0' + c as u8),
                NONPOOL => '-',
                UNJUDGED => '.',
                _ => '<',
            })
            .collect()
    }

    /// Documents among the first min(k, n) whose class satisfies `pred`.
    fn count_in(&self, k: usize, pred: impl Fn(i64) -> bool) -> usize {
        self.classes[..k.min(self.num_ret)]
            .iter()
            .filter(|&&c| pred(c))
            .count()
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
    pub fn value(&self, m: &Measure, judg: &Judgments<'_>, ctx: &Context) -> f64 {
        let n = self.num_ret;
        let r = judg.num_rel;
        let rel_ret = self.rel_ret();
        let over_r = |x: f64| if r == 0 { 0.0 } else { x / r as f64 };
        match m {
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
            Measure::IprecAtRecall(x) => self.iprec(x.get(), r, ctx.compat),
            Measure::P(k) => self.precision_at(*k as usize),
            Measure::Recall(k) => over_r(self.rel_in(*k as usize) as f64),
            Measure::InfAp => over_r(self.infap_sum),
            Measure::RprecMult(x) => self.precision_at((x.get() * r as f64 + 0.9) as usize),
            Measure::ElevenPtAvg => self.eleven_pt(&ELEVEN_POINTS, r, ctx.compat),
            Measure::ElevenPtAvgAt(p) => self.eleven_pt(p.values(), r, ctx.compat),
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
                let ideal = judg.ideal_dcg_at(*k as usize);
                if ideal > 0.0 {
                    self.dcg_at(*k as usize) / ideal
                } else {
                    0.0
                }
            }
            Measure::MapCut(k) => over_r(self.ap_sum_at(*k as usize)),
            Measure::RelativeP(k) => {
                let d = (*k as usize).min(r);
                if d == 0 {
                    0.0
                } else {
                    self.rel_in(*k as usize) as f64 / d as f64
                }
            }
            Measure::Success(k) => {
                if self.rel_in(*k as usize) > 0 {
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
            Measure::SetF => self.set_f(1.0, r),
            Measure::SetFBeta(p) => self.set_f(p.values().first().copied().unwrap_or(0.0), r),
            Measure::PRel { rel, k } => {
                let rel = i64::from(*rel);
                self.count_in(*k as usize, |c| c >= rel) as f64 / f64::from(*k)
            }
            Measure::Unj(k) => self.count_in(*k as usize, |c| c < 0) as f64 / f64::from(*k),
            Measure::Judged(k) => {
                self.count_in(*k as usize, |c| c != NONPOOL) as f64 / f64::from(*k)
            }
            Measure::RelString(_) => f64::NAN,
            Measure::Utility(p) => {
                let p: &[f64] = match p {
                    Some(p) => p.values(),
                    None => &[1.0, -1.0, 0.0, 0.0],
                };
                let (rr, n, r) = (rel_ret as f64, n as f64, r as f64);
                let coef = |i: usize| p.get(i).copied().unwrap_or(0.0);
                coef(0) * rr
                    + coef(1) * (n - rr)
                    + coef(2) * (r - rr)
                    + coef(3) * (ctx.num_docs as f64 + rr - n - r)
            }
            Measure::G(g) => {
                let table = GainTable::new(g.as_ref(), &judg.hist, false);
                self.g(&table)
            }
            Measure::NdcgGains(g) => {
                let table = GainTable::new(Some(g), &judg.hist, false);
                let (dcg, ideal) = self.dcg_gains(&table);
                if ideal > 0.0 {
                    dcg / ideal
                } else {
                    0.0
                }
            }
            Measure::Dcg(g) => {
                let table = GainTable::new(g.as_ref(), &judg.hist, true);
                self.dcg_gains(&table).0
            }
            Measure::IdealDcg(g) => {
                let table = GainTable::new(g.as_ref(), &judg.hist, true);
                self.dcg_gains(&table).1
            }
            Measure::Rbp(g) => {
                let mut table = GainTable::new(g.as_ref(), &judg.hist, true);
                self.rbp(&mut table, g.as_ref().and_then(Gains::p).unwrap_or(0.9))
            }
            Measure::RbpResid(g) => self.rbp_resid(g.as_ref().and_then(Gains::p).unwrap_or(0.9)),
            Measure::NdcgRel(g) => {
                let table = GainTable::new(g.as_ref(), &judg.hist, false);
                self.ndcg_rel(&table)
            }
            Measure::Rndcg(g) => {
                if r == 0 {
                    return 0.0;
                }
                let table = GainTable::new(g.as_ref(), &judg.hist, false);
                self.rndcg(&table)
            }
        }
    }

    fn set_f(&self, beta: f64, r: usize) -> f64 {
        let rel_ret = self.rel_ret();
        if rel_ret == 0 {
            return 0.0;
        }
        let p = rel_ret as f64 / self.num_ret as f64;
        let rc = rel_ret as f64 / r as f64;
        (beta + 1.0) * p * rc / (beta * p + rc)
    }

    /// The gain of the document at 0-based `i`.
    fn gain(&self, table: &GainTable, i: usize) -> f64 {
        table.gain(self.classes[i])
    }

    /// trec_eval 10.0's rbp with persistence `p` (see [`Measure::Rbp`]).
    fn rbp(&self, table: &mut GainTable, p: f64) -> f64 {
        let (min, max) = table
            .entries
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), e| {
                (lo.min(e.gain), hi.max(e.gain))
            });
        if min < 0.0 || max > 1.0 {
            for e in &mut table.entries {
                e.gain = (e.gain - min) / (max - min);
            }
        }
        let (mut sum, mut cur_p) = (0.0, 1.0);
        for i in 0..self.num_ret {
            let g = self.gain(table, i);
            if g != 0.0 {
                sum += g * cur_p;
            }
            cur_p *= p;
        }
        (1.0 - p) * sum
    }

    /// trec_eval 10.0's rbp_resid with persistence `p`.
    fn rbp_resid(&self, p: f64) -> f64 {
        let (mut sum, mut cur_p, mut unjudged) = (0.0, 1.0, 0usize);
        for &c in &self.classes {
            if c < 0 {
                unjudged += 1;
                sum += cur_p;
            }
            cur_p *= p;
        }
        if unjudged > 0 {
            cur_p + (1.0 - p) * sum
        } else {
            0.0
        }
    }

    /// DCG of the whole list and ideal DCG with a gain table, summed as trec_eval's ndcg.
    fn dcg_gains(&self, table: &GainTable) -> (f64, f64) {
        let n = self.num_ret;
        let (mut dcg, mut ideal_dcg) = (0.0, 0.0);
        let mut ideal = IdealWalk::new(table);
        let mut i = 0;
        while i < n && ideal.gain > 0.0 {
            let g = self.gain(table, i);
            if g != 0.0 {
                dcg += g / discount(i + 1);
            }
            ideal.advance();
            if ideal.gain > 0.0 {
                ideal_dcg += ideal.gain / discount(i + 1);
            }
            i += 1;
        }
        while i < n {
            let g = self.gain(table, i);
            if g != 0.0 {
                dcg += g / discount(i + 1);
            }
            i += 1;
        }
        while ideal.gain > 0.0 {
            ideal.advance();
            if ideal.gain > 0.0 {
                ideal_dcg += ideal.gain / discount(i + 1);
            }
            i += 1;
        }
        (dcg, ideal_dcg)
    }

    /// trec_eval's G: each gain divided by log2(2 + ideal cost so far − gain so far), the
    /// ideal cost growing by max(ideal gain, 1) per rank; normalised by the total ideal gain.
    fn g(&self, table: &GainTable) -> f64 {
        let n = self.num_ret;
        let (mut got, mut ideal_sum, mut cost, mut value) = (0.0, 0.0, 0.0, 0.0);
        let mut ideal = IdealWalk::new(table);
        let mut i = 0;
        while i < n && ideal.gain > 0.0 {
            let g = self.gain(table, i);
            got += g;
            ideal.advance();
            if ideal.gain > 0.0 {
                ideal_sum += ideal.gain;
            }
            cost += if ideal.gain >= 1.0 { ideal.gain } else { 1.0 };
            if g != 0.0 {
                value += g / (2.0 + cost - got).log2();
            }
            i += 1;
        }
        while i < n {
            let g = self.gain(table, i);
            got += g;
            cost += 1.0;
            if g != 0.0 {
                value += g / (2.0 + cost - got).log2();
            }
            i += 1;
        }
        while ideal.gain > 0.0 {
            ideal.advance();
            if ideal.gain > 0.0 {
                ideal_sum += ideal.gain;
            }
        }
        if ideal_sum > 0.0 {
            value / ideal_sum
        } else {
            0.0
        }
    }

    /// trec_eval's ndcg_rel: nDCG at each retrieved document with a positive gain, the
    /// unretrieved ones counting the final nDCG, averaged over the ideal positive positions.
    fn ndcg_rel(&self, table: &GainTable) -> f64 {
        let n = self.num_ret;
        let (mut dcg, mut ideal_dcg, mut sum) = (0.0, 0.0, 0.0);
        let (mut num_rel, mut num_rel_ret) = (0usize, 0usize);
        let mut ideal = IdealWalk::new(table);
        let mut i = 0;
        while i < n && ideal.gain > 0.0 {
            let g = self.gain(table, i);
            if g != 0.0 {
                dcg += g / discount(i + 1);
            }
            ideal.advance();
            if ideal.gain > 0.0 {
                num_rel += 1;
                ideal_dcg += ideal.gain / discount(i + 1);
            }
            if g > 0.0 {
                sum += dcg / ideal_dcg;
                num_rel_ret += 1;
            }
            i += 1;
        }
        while i < n {
            let g = self.gain(table, i);
            if g != 0.0 {
                dcg += g / discount(i + 1);
            }
            if g > 0.0 {
                sum += dcg / ideal_dcg;
                num_rel_ret += 1;
            }
            i += 1;
        }
        while ideal.gain > 0.0 {
            ideal.advance();
            if ideal.gain > 0.0 {
                num_rel += 1;
                ideal_dcg += ideal.gain / discount(i + 1);
            }
            i += 1;
        }
        sum += (num_rel as f64 - num_rel_ret as f64) * dcg / ideal_dcg;
        if sum > 0.0 {
            sum / num_rel as f64
        } else {
            0.0
        }
    }

    /// trec_eval's Rndcg: nDCG snapshots taken where the ideal gain changes (and at n when
    /// the list is longer than the positive part of the ideal list), averaged.
    fn rndcg(&self, table: &GainTable) -> f64 {
        let n = self.num_ret;
        let (mut dcg, mut ideal_dcg, mut sum) = (0.0, 0.0, 0.0);
        let mut changes = 0usize;
        let mut ideal = IdealWalk::new(table);
        let mut old_gain = ideal.gain;
        let mut i = 0;
        while i < n && ideal.gain > 0.0 {
            let g = self.gain(table, i);
            ideal.advance();
            if old_gain != ideal.gain {
                if ideal_dcg > 0.0 {
                    sum += dcg / ideal_dcg;
                    changes += 1;
                }
                old_gain = ideal.gain;
            }
            if g != 0.0 {
                dcg += g / discount(i + 1);
            }
            if ideal.gain > 0.0 {
                ideal_dcg += ideal.gain / discount(i + 1);
            }
            i += 1;
        }
        if i < n {
            while i < n {
                let g = self.gain(table, i);
                if g != 0.0 {
                    dcg += g / discount(i + 1);
                }
                i += 1;
            }
            if ideal_dcg > 0.0 {
                sum += dcg / ideal_dcg;
                changes += 1;
            }
        }
        while ideal.gain > 0.0 {
            ideal.advance();
            if old_gain != ideal.gain {
                if ideal_dcg > 0.0 {
                    sum += dcg / ideal_dcg;
                    changes += 1;
                }
                old_gain = ideal.gain;
            }
            if ideal.gain > 0.0 {
                ideal_dcg += ideal.gain / discount(i + 1);
            }
            i += 1;
        }
        if changes == 0 {
            // 0/0 in trec_eval, printed -nan.
            -f64::NAN
        } else {
            sum / changes as f64
        }
    }
}

/// The recall levels of 11pt_avg.
const ELEVEN_POINTS: [f64; 11] = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];

/// The rank cutoff for recall level `x` with R = `r`: `trunc(x·R + 0.9)` in 9.0.8,
/// `lround(x·R)` in 10.0.
fn recall_cutoff(x: f64, r: usize, compat: Compat) -> i64 {
    match compat {
        Compat::V9_0_8 => (x * r as f64 + 0.9) as i64,
        Compat::V10_0 => (x * r as f64).round() as i64,
    }
}

/// What the measures need besides the ranking and the judgments.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context {
    /// `-N`: the collection size (utility).
    pub num_docs: i64,
    /// The trec_eval version reproduced.
    pub compat: Compat,
}

/// One row of trec_eval's gain table.
#[derive(Debug, Clone, Copy)]
struct GainEntry {
    level: i64,
    count: usize,
    gain: f64,
}

/// trec_eval's gain table for one topic: the `level=gain` parameters in the order given,
/// then every level from 0 to the largest judged one with its own value as gain; sorted by
/// gain ascending with trec_eval's comparator, which truncates the difference to an integer
/// (so gains less than 1 apart keep their order), using glibc's merge sort.
struct GainTable {
    entries: Vec<GainEntry>,
}

impl GainTable {
    /// The table for `gains` (if any) and the topic's histogram; with `integer_names_only`
    /// (trec_eval 10.0's measures), pairs whose name is not an integer (`p=0.5`) are left
    /// out.
    fn new(gains: Option<&Gains>, hist: &[usize], integer_names_only: bool) -> GainTable {
        let pairs: Vec<(i64, f64)> = match gains {
            None => Vec::new(),
            Some(g) if integer_names_only => g.integer_pairs().collect(),
            Some(g) => g.pairs().to_vec(),
        };
        let mut entries: Vec<GainEntry> = pairs
            .iter()
            .map(|&(level, gain)| GainEntry {
                level,
                count: 0,
                gain,
            })
            .collect();
        for (v, &count) in hist.iter().enumerate() {
            let v = v as i64;
            match entries.iter_mut().find(|e| e.level == v) {
                Some(e) => e.count = count,
                None => entries.push(GainEntry {
                    level: v,
                    count,
                    gain: v as f64,
                }),
            }
        }
        merge_sort(&mut entries, &|a: &GainEntry, b: &GainEntry| {
            // C: `return (a->gain - b->gain);` converted to int.
            ((a.gain - b.gain) as i32).cmp(&0)
        });
        GainTable { entries }
    }

    /// The gain of class `c`: the first entry for that level, else 0.
    fn gain(&self, c: i64) -> f64 {
        self.entries
            .iter()
            .find(|e| e.level == c)
            .map_or(0.0, |e| e.gain)
    }
}

/// glibc's `qsort` merge sort (top-down, left half `n/2`, ties taken from the left), so that
/// an inconsistent comparator orders as trec_eval's does.
fn merge_sort<T: Copy>(v: &mut [T], cmp: &dyn Fn(&T, &T) -> std::cmp::Ordering) {
    let n = v.len();
    if n <= 1 {
        return;
    }
    let n1 = n / 2;
    merge_sort(&mut v[..n1], cmp);
    merge_sort(&mut v[n1..], cmp);
    let mut out = Vec::with_capacity(n);
    let (mut a, mut b) = (0, n1);
    while a < n1 && b < n {
        if cmp(&v[a], &v[b]) != std::cmp::Ordering::Greater {
            out.push(v[a]);
            a += 1;
        } else {
            out.push(v[b]);
            b += 1;
        }
    }
    out.extend_from_slice(&v[a..n1]);
    out.extend_from_slice(&v[b..n]);
    v.copy_from_slice(&out);
}

/// Walks trec_eval's ideal ranking down the gain table: `gain` is the ideal gain at the
/// current position (0 once the table is exhausted).
struct IdealWalk<'t> {
    entries: &'t [GainEntry],
    cur: isize,
    num_at: usize,
    gain: f64,
}

impl<'t> IdealWalk<'t> {
    fn new(table: &'t GainTable) -> Self {
        let cur = table.entries.len() as isize - 1;
        let gain = table.entries.last().map_or(0.0, |e| e.gain);
        IdealWalk {
            entries: &table.entries,
            cur,
            num_at: 0,
            gain,
        }
    }

    /// Moves to the next ideal position.
    fn advance(&mut self) {
        self.num_at += 1;
        while self.cur >= 0 && self.num_at > self.entries[self.cur as usize].count {
            self.num_at = 1;
            self.cur -= 1;
            self.gain = if self.cur >= 0 {
                self.entries[self.cur as usize].gain
            } else {
                0.0
            };
        }
    }
}
