//! Query likelihood with Dirichlet or Jelinek-Mercer smoothing, as Lucene's
//! `LMDirichletSimilarity` and `LMJelinekMercerSimilarity` compute it (Anserini's `-qld` and
//! `-qljm`).
//!
//! For a query term t occurring q times in the query, with collection frequency cf, a document
//! d of length dl (Lucene's one-byte length, decoded) in which t occurs tf times, and T the
//! number of tokens in the collection:
//!
//! ```text
//! p(t|C)      = (cf + 1) / (T + 1)                                        Lucene's DefaultCollectionModel, f64
//! Dirichlet:  score(t,d) = max(0, q · (ln(1 + tf / (mu · p(t|C))) + ln(mu / (dl + mu))))
//! JM:         score(t,d) = q · ln(1 + ((1 − λ) · tf / dl) / (λ · p(t|C)))
//! score(d)    = Σ_t score(t,d)  over the query terms that occur in d      summed in f64, rounded to f32 once
//! ```
//!
//! Natural logarithms; each term score is computed in f64 and rounded to f32, as Lucene's
//! `SimilarityBase` does. `mu` and `λ` are float32 parameters (Lucene stores them as `float`),
//! and Lucene computes `1 − λ` in float32. Only documents that contain at least one query term
//! are scored (Lucene scores no others), and a Dirichlet term score below zero counts as zero,
//! as in Lucene.

use serde::Serialize;

use super::explain::TermInDoc;
use super::registry::{ModelEntry, Param, Range, Value, Variant};
use super::{Model, ModelImpl, TermScorer};
use crate::index::{norms, DocId, IndexReader};

/// Anserini's default Dirichlet prior.
pub const DEFAULT_MU: f64 = 1000.0;

/// Anserini's default Jelinek-Mercer collection weight.
pub const DEFAULT_LAMBDA: f64 = 0.1;

/// `model = "ql"` (`smoothing = "dirichlet"`, the default).
pub static DIRICHLET: ModelEntry = ModelEntry {
    model: "ql",
    variant: Some(Variant {
        key: "smoothing",
        name: "dirichlet",
        default: true,
    }),
    summary: "query likelihood with Dirichlet smoothing, as Lucene's LMDirichletSimilarity",
    params: &[Param {
        name: "mu",
        default: Some(Value::Float(DEFAULT_MU)),
        range: Range::Positive,
        doc: "the Dirichlet prior",
    }],
    build: |p| {
        Ok(Model::Ql(Ql {
            smoothing: Smoothing::Dirichlet { mu: p.float("mu")? },
        }))
    },
    expandable: true,
};

/// `model = "ql"`, `smoothing = "jm"`.
pub static JELINEK_MERCER: ModelEntry = ModelEntry {
    model: "ql",
    variant: Some(Variant {
        key: "smoothing",
        name: "jm",
        default: false,
    }),
    summary:
        "query likelihood with Jelinek-Mercer smoothing, as Lucene's LMJelinekMercerSimilarity",
    params: &[Param {
        name: "lambda",
        default: Some(Value::Float(DEFAULT_LAMBDA)),
        range: Range::OpenUnit,
        doc: "the weight of the collection model",
    }],
    build: |p| {
        Ok(Model::Ql(Ql {
            smoothing: Smoothing::JelinekMercer {
                lambda: p.float("lambda")?,
            },
        }))
    },
    expandable: true,
};

/// How the document model is smoothed with the collection model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "smoothing", rename_all = "snake_case")]
pub enum Smoothing {
    /// Bayesian smoothing with a Dirichlet prior (`mu`, Anserini's default 1000).
    Dirichlet {
        /// The Dirichlet prior.
        mu: f64,
    },
    /// Linear interpolation (`lambda`, Anserini's default 0.1, is the collection's weight).
    #[serde(rename = "jm")]
    JelinekMercer {
        /// The weight of the collection model.
        lambda: f64,
    },
}

/// Query-likelihood parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Ql {
    /// The smoothing method and its parameter.
    #[serde(flatten)]
    pub smoothing: Smoothing,
}

impl Default for Ql {
    fn default() -> Self {
        Ql {
            smoothing: Smoothing::Dirichlet { mu: DEFAULT_MU },
        }
    }
}

/// Query likelihood's score for one query term.
#[derive(Debug, Clone)]
pub struct QlTermScorer<'a, I> {
    index: &'a I,
    boost: f64,
    collection_probability: f64,
    smoothing: Smoothing32,
    lengths: [f64; 256],
}

#[derive(Debug, Clone, Copy)]
enum Smoothing32 {
    Dirichlet { mu: f32 },
    JelinekMercer { lambda: f32 },
}

impl Ql {
    /// Lucene's collection probability: `(cf + 1) / (T + 1)`.
    pub fn collection_probability(cf: u64, tokens: u64) -> f64 {
        (cf as f64 + 1.0) / (tokens as f64 + 1.0)
    }

    /// The scorer for a term with collection frequency `cf` and query weight `boost` (the
    /// number of times it occurs in the query, or an RM3 feedback weight).
    pub fn term_scorer<'a, I: IndexReader>(
        &self,
        index: &'a I,
        cf: u64,
        boost: f32,
    ) -> QlTermScorer<'a, I> {
        let table = norms::length_table();
        let mut lengths = [0f64; 256];
        for (l, &t) in lengths.iter_mut().zip(table.iter()) {
            *l = t as f64;
        }
        QlTermScorer {
            index,
            boost: boost as f64,
            collection_probability: Self::collection_probability(cf, index.stats().tokens),
            smoothing: match self.smoothing {
                Smoothing::Dirichlet { mu } => Smoothing32::Dirichlet { mu: mu as f32 },
                Smoothing::JelinekMercer { lambda } => Smoothing32::JelinekMercer {
                    lambda: lambda as f32,
                },
            },
            lengths,
        }
    }
}

impl ModelImpl for Ql {
    fn entry(&self) -> &'static ModelEntry {
        match self.smoothing {
            Smoothing::Dirichlet { .. } => &DIRICHLET,
            Smoothing::JelinekMercer { .. } => &JELINEK_MERCER,
        }
    }

    fn values(&self) -> Vec<Value> {
        match self.smoothing {
            Smoothing::Dirichlet { mu } => vec![Value::Float(mu)],
            Smoothing::JelinekMercer { lambda } => vec![Value::Float(lambda)],
        }
    }

    fn describe(&self) -> String {
        match self.smoothing {
            Smoothing::Dirichlet { mu } => {
                format!("ql, Dirichlet smoothing (Lucene LMDirichletSimilarity): mu={mu}")
            }
            Smoothing::JelinekMercer { lambda } => format!(
                "ql, Jelinek-Mercer smoothing (Lucene LMJelinekMercerSimilarity): lambda={lambda}"
            ),
        }
    }

    fn seen_doc_len<I: IndexReader>(&self, index: &I, doc: DocId) -> f64 {
        norms::decode(index.norm(doc)) as f64
    }

    fn term_score<I: IndexReader>(&self, index: &I, t: &TermInDoc, doc: DocId) -> f64 {
        self.term_scorer(index, t.cf, t.weight).score(doc, t.tf)
    }

    fn formula<I: IndexReader>(&self, index: &I, t: &TermInDoc, dl: f64, value: f64) -> String {
        let (cf, q, tf) = (t.cf, t.weight, t.tf);
        let t = index.stats().tokens;
        let p = Ql::collection_probability(cf, t);
        match self.smoothing {
            Smoothing::Dirichlet { mu } => format!(
                "p(t|C) = ({cf} + 1) / ({t} + 1) = {p:.9}; \
                 max(0, {q} * (ln(1 + {tf} / ({mu} * p(t|C))) + ln({mu} / ({dl} + {mu})))) = {value:.6}"
            ),
            Smoothing::JelinekMercer { lambda } => format!(
                "p(t|C) = ({cf} + 1) / ({t} + 1) = {p:.9}; \
                 {q} * ln(1 + ((1 - {lambda}) * {tf} / {dl}) / ({lambda} * p(t|C))) = {value:.6}"
            ),
        }
    }
}

impl<I: IndexReader> QlTermScorer<'_, I> {
    /// The term score in f64, before rounding (for `explain`).
    pub fn score_f64(&self, tf: f64, dl: f64) -> f64 {
        match self.smoothing {
            Smoothing32::Dirichlet { mu } => {
                let mu = mu as f64;
                let s = self.boost
                    * ((1.0 + tf / (mu * self.collection_probability)).ln()
                        + (mu / (dl + mu)).ln());
                if s > 0.0 {
                    s
                } else {
                    0.0
                }
            }
            Smoothing32::JelinekMercer { lambda } => {
                let one_minus = (1.0f32 - lambda) as f64;
                self.boost
                    * (1.0 + (one_minus * tf / dl) / (lambda as f64 * self.collection_probability))
                        .ln()
            }
        }
    }
}

impl<I: IndexReader> TermScorer for QlTermScorer<'_, I> {
    #[inline]
    fn score(&self, doc: DocId, tf: u32) -> f64 {
        let dl = self.lengths[self.index.norm(doc) as usize];
        self.score_f64(tf as f64, dl) as f32 as f64
    }

    fn upper_bound(&self, max_tf: u32, min_doc_len: u32) -> Option<f64> {
        if self.boost <= 0.0 {
            return None;
        }
        let dl = self.lengths[norms::encode(min_doc_len) as usize];
        Some(self.score_f64(max_tf as f64, dl) as f32 as f64)
    }
}
