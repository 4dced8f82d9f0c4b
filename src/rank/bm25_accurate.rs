//! BM25 as Anserini's `AccurateBM25Similarity` computes it (`-bm25.accurate`), in float32:
//!
//! ```text
//! idf        = ln(1 + (N - df + 0.5) / (df + 0.5))                 f64, stored as f32
//! w          = q · idf
//! score(t,d) = w · tf / (tf + k1 · (1 - b) + (k1 · b / avgdl) · dl)
//! ```
//!
//! The class reads the document length straight from the index's norm. On an index written with
//! exact norms that is the true length (`norms = "exact"`). On an index written with Lucene's
//! default one-byte norms it is the *encoded byte* (0 to 255), not the length it encodes:
//! Anserini 1.7.1's CACM `bm25acc` reference run was made that way, and `norms = "byte"`
//! reproduces it (MAP 0.3108 rather than 0.3129 with true lengths).

use serde::{Deserialize, Serialize};

use super::bm25::{Bm25, B, K1, MODEL};
use super::explain::TermInDoc;
use super::registry::{self, ModelEntry, Param, Range, Value, Variant};
use super::{Model, ModelImpl, TermScorer};
use crate::index::{DocId, IndexReader};

/// `model = "bm25"`, `variant = "accurate"`.
pub static ENTRY: ModelEntry = ModelEntry {
    model: MODEL,
    variant: Some(Variant {
        key: "variant",
        name: "accurate",
        default: false,
    }),
    summary: "BM25 as Anserini's AccurateBM25Similarity (float32), -bm25.accurate",
    params: &[
        registry::k1(K1),
        registry::b(B),
        Param {
            name: "norms",
            default: Some(Value::text("exact")),
            range: Range::OneOf(AccurateLengths::NAMES),
            doc: "document length: the exact number of tokens, or Lucene's one-byte encoding read as a length",
        },
    ],
    build: |p| {
        Ok(Model::Bm25Accurate(Bm25Accurate {
            k1: p.float("k1")?,
            b: p.float("b")?,
            norms: p.choice("norms", AccurateLengths::from_name)?,
        }))
    },
    expandable: true,
};

/// The document length the accurate scorer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccurateLengths {
    /// The true number of indexed tokens.
    Exact,
    /// Lucene's one-byte encoding of the length, read as if it were the length.
    Byte,
}

impl AccurateLengths {
    /// The names a config gives them.
    pub const NAMES: &'static [&'static str] = &["exact", "byte"];

    /// The name a config gives it.
    pub const fn name(self) -> &'static str {
        match self {
            AccurateLengths::Exact => "exact",
            AccurateLengths::Byte => "byte",
        }
    }

    /// The lengths a config names.
    pub fn from_name(name: &str) -> Option<AccurateLengths> {
        match name {
            "exact" => Some(AccurateLengths::Exact),
            "byte" => Some(AccurateLengths::Byte),
            _ => None,
        }
    }
}

/// Parameters of Anserini's accurate BM25.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bm25Accurate {
    /// Term-frequency saturation.
    pub k1: f64,
    /// Length normalisation.
    pub b: f64,
    /// Which length is read.
    pub norms: AccurateLengths,
}

/// The accurate BM25 score of one query term.
#[derive(Debug, Clone)]
pub struct Bm25AccurateScorer<'a, I> {
    index: &'a I,
    weight: f32,
    k1_times_one_minus_b: f32,
    k1_b_over_avgdl: f32,
    norms: AccurateLengths,
}

impl Bm25Accurate {
    /// The scorer for a term with document frequency `df` and query weight `boost`.
    pub fn term_scorer<'a, I: IndexReader>(
        &self,
        index: &'a I,
        df: u32,
        boost: f32,
    ) -> Bm25AccurateScorer<'a, I> {
        let (k1, b) = (self.k1 as f32, self.b as f32);
        let avgdl = Bm25::avgdl(index);
        Bm25AccurateScorer {
            index,
            weight: boost * Bm25::idf(index.stats().documents_with_terms, df),
            k1_times_one_minus_b: k1 * (1.0 - b),
            k1_b_over_avgdl: k1 * b / avgdl.max(1e-10),
            norms: self.norms,
        }
    }
}

impl ModelImpl for Bm25Accurate {
    fn entry(&self) -> &'static ModelEntry {
        &ENTRY
    }

    fn values(&self) -> Vec<Value> {
        vec![
            Value::Float(self.k1),
            Value::Float(self.b),
            Value::text(self.norms.name()),
        ]
    }

    fn describe(&self) -> String {
        format!(
            "bm25, variant accurate (Anserini AccurateBM25Similarity, float32): k1={} b={} norms={:?}",
            self.k1, self.b, self.norms
        )
    }

    fn seen_doc_len<I: IndexReader>(&self, index: &I, doc: DocId) -> f64 {
        match self.norms {
            AccurateLengths::Exact => index.doc_len(doc) as f64,
            AccurateLengths::Byte => index.norm(doc) as f64,
        }
    }

    fn term_score<I: IndexReader>(&self, index: &I, t: &TermInDoc, doc: DocId) -> f64 {
        self.term_scorer(index, t.df, t.weight).score(doc, t.tf)
    }

    fn formula<I: IndexReader>(&self, index: &I, t: &TermInDoc, dl: f64, value: f64) -> String {
        let (df, q, tf) = (t.df, t.weight, t.tf);
        let n = index.stats().documents_with_terms;
        let idf = Bm25::idf(n, df);
        let avgdl = Bm25::avgdl(index);
        format!(
            "idf = ln(1 + ({n} - {df} + 0.5) / ({df} + 0.5)) = {idf:.6}; \
             {q} * idf * {tf} / ({tf} + {k1} * (1 - {b}) + {k1} * {b} / {avgdl:.6} * {dl}) = {value:.6}",
            k1 = self.k1,
            b = self.b
        )
    }
}

impl<I: IndexReader> Bm25AccurateScorer<'_, I> {
    /// The length this scorer reads for `doc`.
    pub fn doc_len(&self, doc: DocId) -> f32 {
        match self.norms {
            AccurateLengths::Exact => self.index.doc_len(doc) as f32,
            AccurateLengths::Byte => self.index.norm(doc) as f32,
        }
    }
}

impl<I: IndexReader> Bm25AccurateScorer<'_, I> {
    fn score_with_len(&self, tf: u32, len: f32) -> f64 {
        let tf = tf as f32;
        let denominator = tf + self.k1_times_one_minus_b + self.k1_b_over_avgdl * len;
        (self.weight * tf / denominator) as f64
    }
}

impl<I: IndexReader> TermScorer for Bm25AccurateScorer<'_, I> {
    #[inline]
    fn score(&self, doc: DocId, tf: u32) -> f64 {
        self.score_with_len(tf, self.doc_len(doc))
    }

    fn upper_bound(&self, max_tf: u32, min_doc_len: u32) -> Option<f64> {
        if self.weight <= 0.0 {
            return None;
        }
        let len = match self.norms {
            AccurateLengths::Exact => min_doc_len as f32,
            AccurateLengths::Byte => crate::index::norms::encode(min_doc_len) as f32,
        };
        Some(self.score_with_len(max_tf, len))
    }
}
