//! Textbook term-weighting formulas computed in f64: BM25 as Robertson and Terrier define it,
//! Trotman et al.'s ATIRE, BM25L and BM25+ ("Improvements to BM25 and Language Models
//! Examined", ADCS 2014), and Terrier's TF_IDF.
//!
//! Notation: tf = term frequency in the document, dl = document length (exact by default, or
//! Lucene's one-byte length with `norms = "lucene"`), avgdl = tokens / N, N = documents in the
//! collection, df = documents containing the term, q = the term's query weight (its count in
//! the query), K = k1 · (1 − b + b · dl / avgdl). `ln` is the natural logarithm, `log2` base 2.
//!
//! | formula | term score |
//! |---|---|
//! | `robertson` | ln((N − df + 0.5) / (df + 0.5)) · (k1 + 1) · tf / (K + tf) · q |
//! | `terrier` (BM25) | log2((N − df + 0.5) / (df + 0.5)) · (k1 + 1) · tf / (K + tf) · (k3 + 1) · q / (k3 + q) |
//! | `atire` | ln(N / df) · (k1 + 1) · tf / (K + tf) · q |
//! | `bm25l` | ln((N + 1) / (df + 0.5)) · (k1 + 1) · (c + δ) / (k1 + c + δ) · q, with c = tf / (1 − b + b · dl / avgdl) |
//! | `bm25plus` | ln((N + 1) / df) · ((k1 + 1) · tf / (K + tf) + δ) · q |
//! | TF_IDF (`terrier`) | q · k1 · tf / (tf + K) · log2(N / df + 1) |
//!
//! A document's score is the sum over the query terms it contains, in f64, stored as f32 in
//! the run. Robertson's and Terrier's idf are negative for terms in more than half of the
//! documents; the formulas are applied as written, with no clamping.

use serde::{Deserialize, Serialize};

use super::bm25::{self, norms_param, Norms, B, K1};
use super::explain::TermInDoc;
use super::registry::{self, ModelEntry, ParamError, Params, Range, Value, Variant};
use super::{Model, ModelImpl, TermScorer};
use crate::index::{norms, DocId, IndexReader};

/// `model = "tfidf"`, whose variants live in this file and `lucene_tfidf.rs`.
pub const TFIDF: &str = "tfidf";

/// Terrier's default k1.
pub const TERRIER_K1: f64 = 1.2;

/// Terrier's default b.
pub const TERRIER_B: f64 = 0.75;

/// A `variant` of `model = "bm25"`.
const fn bm25(name: &'static str) -> Option<Variant> {
    Some(Variant {
        key: "variant",
        name,
        default: false,
    })
}

/// The `[[ranker]]` with `formula`, its lengths from `norms`.
fn classic(p: &Params<'_>, formula: Formula) -> Result<Model, ParamError> {
    Ok(Model::Classic(Classic {
        formula,
        norms: p.choice("norms", Norms::from_name)?,
    }))
}

/// `model = "bm25"`, `variant = "robertson"`.
pub static ROBERTSON: ModelEntry = ModelEntry {
    model: bm25::MODEL,
    variant: bm25("robertson"),
    summary: "Robertson's BM25 in f64",
    params: &[registry::k1(K1), registry::b(B), norms_param(Norms::Exact)],
    build: |p| {
        let (k1, b) = (p.float("k1")?, p.float("b")?);
        classic(p, Formula::Robertson { k1, b })
    },
    expandable: true,
};

/// `model = "bm25"`, `variant = "terrier"`.
pub static TERRIER: ModelEntry = ModelEntry {
    model: bm25::MODEL,
    variant: bm25("terrier"),
    summary: "Terrier's BM25 (log2, with the k3 query-term factor) in f64",
    params: &[
        registry::k1(TERRIER_K1),
        registry::b(TERRIER_B),
        registry::Param {
            name: "k3",
            default: Some(Value::Float(8.0)),
            range: Range::NonNegative,
            doc: "query-term-frequency saturation",
        },
        norms_param(Norms::Exact),
    ],
    build: |p| {
        let (k1, b, k3) = (p.float("k1")?, p.float("b")?, p.float("k3")?);
        classic(p, Formula::Terrier { k1, b, k3 })
    },
    expandable: true,
};

/// `model = "bm25"`, `variant = "atire"`.
pub static ATIRE: ModelEntry = ModelEntry {
    model: bm25::MODEL,
    variant: bm25("atire"),
    summary: "ATIRE's BM25 (idf ln(N / df)) in f64",
    params: &[registry::k1(K1), registry::b(B), norms_param(Norms::Exact)],
    build: |p| {
        let (k1, b) = (p.float("k1")?, p.float("b")?);
        classic(p, Formula::Atire { k1, b })
    },
    expandable: true,
};

/// `delta` with its default.
const fn delta(default: f64, doc: &'static str) -> registry::Param {
    registry::Param {
        name: "delta",
        default: Some(Value::Float(default)),
        range: Range::NonNegative,
        doc,
    }
}

/// `model = "bm25"`, `variant = "bm25l"`.
pub static BM25L: ModelEntry = ModelEntry {
    model: bm25::MODEL,
    variant: bm25("bm25l"),
    summary: "BM25L (Lv and Zhai) in f64",
    params: &[
        registry::k1(K1),
        registry::b(B),
        delta(0.5, "the shift of the normalised term frequency"),
        norms_param(Norms::Exact),
    ],
    build: |p| {
        let (k1, b, delta) = (p.float("k1")?, p.float("b")?, p.float("delta")?);
        classic(p, Formula::Bm25l { k1, b, delta })
    },
    expandable: true,
};

/// `model = "bm25"`, `variant = "bm25plus"`.
pub static BM25PLUS: ModelEntry = ModelEntry {
    model: bm25::MODEL,
    variant: bm25("bm25plus"),
    summary: "BM25+ (Lv and Zhai) in f64",
    params: &[
        registry::k1(K1),
        registry::b(B),
        delta(1.0, "the lower bound of a matching term's tf part"),
        norms_param(Norms::Exact),
    ],
    build: |p| {
        let (k1, b, delta) = (p.float("k1")?, p.float("b")?, p.float("delta")?);
        classic(p, Formula::Bm25plus { k1, b, delta })
    },
    expandable: true,
};

/// `model = "tfidf"` (`variant = "terrier"`, the default).
pub static TERRIER_TFIDF: ModelEntry = ModelEntry {
    model: TFIDF,
    variant: Some(Variant {
        key: "variant",
        name: "terrier",
        default: true,
    }),
    summary: "Terrier's TF_IDF (Robertson's tf times log2(N / df + 1)) in f64",
    params: &[
        registry::k1(TERRIER_K1),
        registry::b(TERRIER_B),
        norms_param(Norms::Exact),
    ],
    build: |p| {
        let (k1, b) = (p.float("k1")?, p.float("b")?);
        classic(p, Formula::TerrierTfIdf { k1, b })
    },
    expandable: true,
};

/// A [`Formula`] and the document lengths it sees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Classic {
    /// The formula and its parameters.
    pub formula: Formula,
    /// Exact or Lucene-encoded document lengths.
    pub norms: Norms,
}

impl ModelImpl for Classic {
    fn entry(&self) -> &'static ModelEntry {
        match self.formula {
            Formula::Robertson { .. } => &ROBERTSON,
            Formula::Terrier { .. } => &TERRIER,
            Formula::Atire { .. } => &ATIRE,
            Formula::Bm25l { .. } => &BM25L,
            Formula::Bm25plus { .. } => &BM25PLUS,
            Formula::TerrierTfIdf { .. } => &TERRIER_TFIDF,
        }
    }

    fn values(&self) -> Vec<Value> {
        let mut v: Vec<Value> = match self.formula {
            Formula::Robertson { k1, b }
            | Formula::Atire { k1, b }
            | Formula::TerrierTfIdf { k1, b } => vec![k1, b],
            Formula::Terrier { k1, b, k3 } => vec![k1, b, k3],
            Formula::Bm25l { k1, b, delta } | Formula::Bm25plus { k1, b, delta } => {
                vec![k1, b, delta]
            }
        }
        .into_iter()
        .map(Value::Float)
        .collect();
        v.push(Value::text(self.norms.name()));
        v
    }

    fn describe(&self) -> String {
        format!("{:?}, norms={:?}", self.formula, self.norms)
    }

    fn seen_doc_len<I: IndexReader>(&self, index: &I, doc: DocId) -> f64 {
        match self.norms {
            Norms::Exact => index.doc_len(doc) as f64,
            Norms::Lucene => norms::decode(index.norm(doc)) as f64,
        }
    }

    fn term_score<I: IndexReader>(&self, index: &I, t: &TermInDoc, doc: DocId) -> f64 {
        self.formula
            .term_scorer(index, self.norms, t.df, t.weight)
            .score(doc, t.tf)
    }

    fn formula<I: IndexReader>(&self, index: &I, t: &TermInDoc, dl: f64, value: f64) -> String {
        let (df, q, tf) = (t.df, t.weight, t.tf);
        let stats = index.stats();
        let n = stats.documents as f64;
        let avgdl = if n > 0.0 {
            stats.tokens as f64 / n
        } else {
            0.0
        };
        let idf = self.formula.idf(n, df as f64);
        let k = |k1: f64, b: f64| format!("K = {k1} * (1 - {b} + {b} * {dl} / {avgdl:.6})");
        match self.formula {
            Formula::Robertson { k1, b } => format!(
                "idf = ln(({n} - {df} + 0.5) / ({df} + 0.5)) = {idf:.6}; {}; idf * ({k1} + 1) * {tf} / (K + {tf}) * {q} = {value:.6}",
                k(k1, b)
            ),
            Formula::Terrier { k1, b, k3 } => format!(
                "idf = log2(({n} - {df} + 0.5) / ({df} + 0.5)) = {idf:.6}; {}; idf * ({k1} + 1) * {tf} / (K + {tf}) * ({k3} + 1) * {q} / ({k3} + {q}) = {value:.6}",
                k(k1, b)
            ),
            Formula::Atire { k1, b } => format!(
                "idf = ln({n} / {df}) = {idf:.6}; {}; idf * ({k1} + 1) * {tf} / (K + {tf}) * {q} = {value:.6}",
                k(k1, b)
            ),
            Formula::Bm25l { k1, b, delta } => format!(
                "idf = ln(({n} + 1) / ({df} + 0.5)) = {idf:.6}; c = {tf} / (1 - {b} + {b} * {dl} / {avgdl:.6}); \
                 idf * ({k1} + 1) * (c + {delta}) / ({k1} + c + {delta}) * {q} = {value:.6}"
            ),
            Formula::Bm25plus { k1, b, delta } => format!(
                "idf = ln(({n} + 1) / {df}) = {idf:.6}; {}; idf * (({k1} + 1) * {tf} / (K + {tf}) + {delta}) * {q} = {value:.6}",
                k(k1, b)
            ),
            Formula::TerrierTfIdf { k1, b } => format!(
                "idf = log2({n} / {df} + 1) = {idf:.6}; {}; {q} * {k1} * {tf} / ({tf} + K) * idf = {value:.6}",
                k(k1, b)
            ),
        }
    }
}

/// A formula with its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "variant", rename_all = "snake_case")]
pub enum Formula {
    /// Robertson's BM25.
    Robertson {
        /// Term-frequency saturation.
        k1: f64,
        /// Length normalisation.
        b: f64,
    },
    /// Terrier's BM25 (log base 2, with the k3 query-term factor).
    Terrier {
        /// Term-frequency saturation (Terrier's default 1.2).
        k1: f64,
        /// Length normalisation (Terrier's default 0.75).
        b: f64,
        /// Query-term saturation (Terrier's default 8).
        k3: f64,
    },
    /// ATIRE's BM25.
    Atire {
        /// Term-frequency saturation.
        k1: f64,
        /// Length normalisation.
        b: f64,
    },
    /// BM25L (Lv and Zhai).
    Bm25l {
        /// Term-frequency saturation.
        k1: f64,
        /// Length normalisation.
        b: f64,
        /// The shift δ (default 0.5).
        delta: f64,
    },
    /// BM25+ (Lv and Zhai).
    Bm25plus {
        /// Term-frequency saturation.
        k1: f64,
        /// Length normalisation.
        b: f64,
        /// The lower bound δ (default 1).
        delta: f64,
    },
    /// Terrier's TF_IDF: Robertson's tf times log2(N / df + 1).
    TerrierTfIdf {
        /// Term-frequency saturation (Terrier's default 1.2).
        k1: f64,
        /// Length normalisation (Terrier's default 0.75).
        b: f64,
    },
}

/// The score of one query term under a [`Formula`].
#[derive(Debug, Clone)]
pub struct ClassicTermScorer<'a, I> {
    index: &'a I,
    formula: Formula,
    norms: Norms,
    idf: f64,
    query_weight: f64,
    avgdl: f64,
}

impl Formula {
    /// The idf part for a term with document frequency `df` among `n` documents.
    pub fn idf(&self, n: f64, df: f64) -> f64 {
        match self {
            Formula::Robertson { .. } => ((n - df + 0.5) / (df + 0.5)).ln(),
            Formula::Terrier { .. } => ((n - df + 0.5) / (df + 0.5)).log2(),
            Formula::Atire { .. } => (n / df).ln(),
            Formula::Bm25l { .. } => ((n + 1.0) / (df + 0.5)).ln(),
            Formula::Bm25plus { .. } => ((n + 1.0) / df).ln(),
            Formula::TerrierTfIdf { .. } => (n / df + 1.0).log2(),
        }
    }

    /// The scorer for a term with document frequency `df` and query weight `weight`.
    pub fn term_scorer<'a, I: IndexReader>(
        &self,
        index: &'a I,
        norms: Norms,
        df: u32,
        weight: f32,
    ) -> ClassicTermScorer<'a, I> {
        let stats = index.stats();
        let n = stats.documents as f64;
        ClassicTermScorer {
            index,
            formula: *self,
            norms,
            idf: self.idf(n, df as f64),
            query_weight: weight as f64,
            avgdl: if n > 0.0 {
                stats.tokens as f64 / n
            } else {
                0.0
            },
        }
    }

    /// The term score for term frequency `tf` in a document of length `dl`.
    pub fn score(&self, idf: f64, q: f64, tf: f64, dl: f64, avgdl: f64) -> f64 {
        let norm = |b: f64| 1.0 - b + b * dl / avgdl;
        match *self {
            Formula::Robertson { k1, b } | Formula::Atire { k1, b } => {
                idf * (k1 + 1.0) * tf / (k1 * norm(b) + tf) * q
            }
            Formula::Terrier { k1, b, k3 } => {
                idf * ((k1 + 1.0) * tf / (k1 * norm(b) + tf)) * ((k3 + 1.0) * q / (k3 + q))
            }
            Formula::Bm25l { k1, b, delta } => {
                let c = tf / norm(b);
                idf * (k1 + 1.0) * (c + delta) / (k1 + c + delta) * q
            }
            Formula::Bm25plus { k1, b, delta } => {
                idf * ((k1 + 1.0) * tf / (k1 * norm(b) + tf) + delta) * q
            }
            Formula::TerrierTfIdf { k1, b } => q * (k1 * tf / (tf + k1 * norm(b))) * idf,
        }
    }
}

impl<I: IndexReader> ClassicTermScorer<'_, I> {
    /// The idf part of this term's score.
    pub fn idf(&self) -> f64 {
        self.idf
    }

    /// The document length this scorer uses for `doc`.
    pub fn doc_len(&self, doc: DocId) -> f64 {
        match self.norms {
            Norms::Exact => self.index.doc_len(doc) as f64,
            Norms::Lucene => norms::decode(self.index.norm(doc)) as f64,
        }
    }

    /// The collection's average document length.
    pub fn avgdl(&self) -> f64 {
        self.avgdl
    }
}

impl<I: IndexReader> TermScorer for ClassicTermScorer<'_, I> {
    #[inline]
    fn score(&self, doc: DocId, tf: u32) -> f64 {
        self.formula.score(
            self.idf,
            self.query_weight,
            tf as f64,
            self.doc_len(doc),
            self.avgdl,
        )
    }

    fn upper_bound(&self, max_tf: u32, min_doc_len: u32) -> Option<f64> {
        if self.idf <= 0.0 || self.query_weight <= 0.0 {
            return None;
        }
        let len = match self.norms {
            Norms::Exact => min_doc_len as f64,
            Norms::Lucene => norms::decode(norms::encode(min_doc_len)) as f64,
        };
        Some(
            self.formula
                .score(self.idf, self.query_weight, max_tf as f64, len, self.avgdl),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_by_hand() {
        let (n, df, tf, dl, avgdl, q) = (100.0, 10.0, 3.0, 50.0, 40.0, 1.0);
        let k = 1.2 * (1.0 - 0.75 + 0.75 * 50.0 / 40.0);
        let r = Formula::Robertson { k1: 1.2, b: 0.75 };
        assert!(
            (r.score(r.idf(n, df), q, tf, dl, avgdl)
                - (90.5f64 / 10.5).ln() * 2.2 * 3.0 / (k + 3.0))
                .abs()
                < 1e-12
        );
        let t = Formula::TerrierTfIdf { k1: 1.2, b: 0.75 };
        assert!(
            (t.score(t.idf(n, df), q, tf, dl, avgdl) - 1.2 * 3.0 / (3.0 + k) * 11f64.log2()).abs()
                < 1e-12
        );
        let tb = Formula::Terrier {
            k1: 1.2,
            b: 0.75,
            k3: 8.0,
        };
        let want = (90.5f64 / 10.5).log2() * 2.2 * 3.0 / (k + 3.0) * 9.0 / 9.0;
        assert!((tb.score(tb.idf(n, df), q, tf, dl, avgdl) - want).abs() < 1e-12);
        let plus = Formula::Bm25plus {
            k1: 1.2,
            b: 0.75,
            delta: 1.0,
        };
        let want = (101f64 / 10.0).ln() * (2.2 * 3.0 / (k + 3.0) + 1.0);
        assert!((plus.score(plus.idf(n, df), q, tf, dl, avgdl) - want).abs() < 1e-12);
        let l = Formula::Bm25l {
            k1: 1.2,
            b: 0.75,
            delta: 0.5,
        };
        let c = 3.0 / (1.0 - 0.75 + 0.75 * 50.0 / 40.0);
        let want = (101f64 / 10.5).ln() * 2.2 * (c + 0.5) / (1.2 + c + 0.5);
        assert!((l.score(l.idf(n, df), q, tf, dl, avgdl) - want).abs() < 1e-12);
        let a = Formula::Atire { k1: 1.2, b: 0.75 };
        assert!(
            (a.score(a.idf(n, df), q, tf, dl, avgdl) - 10f64.ln() * 2.2 * 3.0 / (k + 3.0)).abs()
                < 1e-12
        );
    }
}
