//! BM25 as Lucene's `BM25Similarity` (Lucene 8 and later) computes it, which is Anserini's
//! default ranking model.
//!
//! For a query term t with document frequency df, occurring q times in the query, and a
//! document d in which it occurs tf times:
//!
//! ```text
//! idf(t)     = ln(1 + (N - df + 0.5) / (df + 0.5))          natural log, computed in f64, stored as f32
//! weight(t)  = q · idf(t)                                    f32 (Anserini boosts a repeated term by its count)
//! norm(d)    = 1 / (k1 · ((1 - b) + b · dl(d) / avgdl))      f32
//! score(t,d) = weight - weight / (1 + tf · norm(d))          f32, = weight · tf / (tf + k1 · (1 - b + b · dl / avgdl))
//! score(d)   = Σ_t score(t,d)                                summed in f64, rounded to f32 once
//! ```
//!
//! N is the number of documents with at least one term, avgdl = tokens / N (computed in f64,
//! stored as f32). There is no `(k1 + 1)` factor: Lucene dropped it in version 8, as it does
//! not change the ranking. The rewritten form of the tf part is Lucene's; it keeps the score
//! monotonic in float arithmetic.
//!
//! `dl(d)` depends on [`Norms`]: with `lucene` it is the length after Lucene's lossy one-byte
//! encoding ([`crate::index::norms`]), which is what Anserini's published numbers use; with
//! `exact` it is the true number of indexed tokens.

use serde::{Deserialize, Serialize};

use super::explain::TermInDoc;
use super::registry::{self, ModelEntry, Param, Range, Value, Variant};
use super::{Model, ModelImpl, TermScorer};
use crate::index::{norms, DocId, IndexReader};

/// `model = "bm25"`, whose variants live in this file, `bm25_accurate.rs` and `classic.rs`.
pub const MODEL: &str = "bm25";

/// Anserini's default k1.
pub const K1: f64 = 0.9;

/// Anserini's default b.
pub const B: f64 = 0.4;

/// `model = "bm25"` (`variant = "lucene"`, the default).
pub static ENTRY: ModelEntry = ModelEntry {
    model: MODEL,
    variant: Some(Variant {
        key: "variant",
        name: "lucene",
        default: true,
    }),
    summary: "BM25 as Lucene's BM25Similarity (float32), Anserini's -bm25",
    params: &[registry::k1(K1), registry::b(B), norms_param(Norms::Lucene)],
    build: |p| {
        Ok(Model::Bm25(Bm25 {
            k1: p.float("k1")?,
            b: p.float("b")?,
            norms: p.choice("norms", Norms::from_name)?,
        }))
    },
    expandable: true,
};

/// `norms`: which document length a model sees, `lucene` or `exact`.
pub const fn norms_param(default: Norms) -> Param {
    Param {
        name: "norms",
        default: Some(Value::text(default.name())),
        range: Range::OneOf(Norms::NAMES),
        doc: "document length: Lucene's one-byte encoding or the exact number of tokens",
    }
}

/// Which document length BM25 sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Norms {
    /// Lucene's one-byte length encoding (as Anserini's `-bm25`).
    #[default]
    Lucene,
    /// The true document length.
    Exact,
}

impl Norms {
    /// The names a config gives them.
    pub const NAMES: &'static [&'static str] = &["lucene", "exact"];

    /// The name a config gives it.
    pub const fn name(self) -> &'static str {
        match self {
            Norms::Lucene => "lucene",
            Norms::Exact => "exact",
        }
    }

    /// The norms a config names.
    pub fn from_name(name: &str) -> Option<Norms> {
        match name {
            "lucene" => Some(Norms::Lucene),
            "exact" => Some(Norms::Exact),
            _ => None,
        }
    }
}

/// BM25 parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bm25 {
    /// Term-frequency saturation; Anserini's default is 0.9.
    pub k1: f64,
    /// Length normalisation strength, from 0 (none) to 1 (full); Anserini's default is 0.4.
    pub b: f64,
    /// Which document length is used.
    pub norms: Norms,
}

impl Default for Bm25 {
    fn default() -> Self {
        Bm25 {
            k1: K1,
            b: B,
            norms: Norms::Lucene,
        }
    }
}

/// BM25's score for one query term, with its constants precomputed.
#[derive(Debug, Clone)]
pub struct Bm25TermScorer<'a, I> {
    weight: f32,
    lengths: Lengths<'a, I>,
}

#[derive(Debug, Clone)]
enum Lengths<'a, I> {
    /// `norm(d)` for each of the 256 encoded lengths.
    Lucene {
        index: &'a I,
        cache: Box<[f32; 256]>,
    },
    /// `norm(d)` computed from the exact length.
    Exact {
        index: &'a I,
        k1: f32,
        b: f32,
        avgdl: f32,
    },
}

impl Bm25 {
    /// Lucene's idf: `ln(1 + (N - df + 0.5) / (df + 0.5))`, computed in f64 and rounded to f32.
    pub fn idf(num_docs: u32, df: u32) -> f32 {
        let (n, df) = (num_docs as f64, df as f64);
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln() as f32
    }

    /// Lucene's average document length: tokens / documents, rounded to f32.
    pub fn avgdl(index: &impl IndexReader) -> f32 {
        index.stats().avg_doc_len() as f32
    }

    /// `norm(d)` for a document of length `dl` (see the module documentation).
    pub fn norm(k1: f32, b: f32, avgdl: f32, dl: f32) -> f32 {
        1.0f32 / (k1 * ((1.0f32 - b) + b * dl / avgdl))
    }

    /// The scorer for a term with document frequency `df` and query weight `boost` (the
    /// number of times it occurs in the query, or an RM3 feedback weight).
    pub fn term_scorer<'a, I: IndexReader>(
        &self,
        index: &'a I,
        df: u32,
        boost: f32,
    ) -> Bm25TermScorer<'a, I> {
        let (k1, b) = (self.k1 as f32, self.b as f32);
        let avgdl = Self::avgdl(index);
        let weight = boost * Self::idf(index.stats().documents_with_terms, df);
        let lengths = match self.norms {
            Norms::Lucene => {
                let table = norms::length_table();
                let mut cache = Box::new([0f32; 256]);
                for (c, &len) in cache.iter_mut().zip(table.iter()) {
                    *c = Self::norm(k1, b, avgdl, len);
                }
                Lengths::Lucene { index, cache }
            }
            Norms::Exact => Lengths::Exact {
                index,
                k1,
                b,
                avgdl,
            },
        };
        Bm25TermScorer { weight, lengths }
    }
}

impl ModelImpl for Bm25 {
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
            "bm25 (Lucene BM25Similarity, float32): k1={} b={} norms={:?}",
            self.k1, self.b, self.norms
        )
    }

    fn seen_doc_len<I: IndexReader>(&self, index: &I, doc: DocId) -> f64 {
        match self.norms {
            Norms::Exact => index.doc_len(doc) as f64,
            Norms::Lucene => norms::decode(index.norm(doc)) as f64,
        }
    }

    fn term_score<I: IndexReader>(&self, index: &I, t: &TermInDoc, doc: DocId) -> f64 {
        self.term_scorer(index, t.df, t.weight).score(doc, t.tf)
    }

    fn formula<I: IndexReader>(&self, index: &I, t: &TermInDoc, dl: f64, value: f64) -> String {
        let (df, q, tf) = (t.df, t.weight, t.tf);
        let n = index.stats().documents_with_terms;
        let avgdl = Bm25::avgdl(index);
        let idf = Bm25::idf(n, df);
        format!(
            "idf = ln(1 + ({n} - {df} + 0.5) / ({df} + 0.5)) = {idf:.6}; \
             {q} * idf * {tf} / ({tf} + {k1} * (1 - {b} + {b} * {dl} / {avgdl:.6})) = {value:.6}",
            k1 = self.k1,
            b = self.b
        )
    }
}

impl<I: IndexReader> Bm25TermScorer<'_, I> {
    fn score_with_norm(&self, tf: u32, norm: f32) -> f64 {
        (self.weight - self.weight / (1.0f32 + tf as f32 * norm)) as f64
    }
}

impl<I: IndexReader> TermScorer for Bm25TermScorer<'_, I> {
    #[inline]
    fn score(&self, doc: DocId, tf: u32) -> f64 {
        let norm = match &self.lengths {
            Lengths::Lucene { index, cache } => cache[index.norm(doc) as usize],
            Lengths::Exact {
                index,
                k1,
                b,
                avgdl,
            } => Bm25::norm(*k1, *b, *avgdl, index.doc_len(doc) as f32),
        };
        self.score_with_norm(tf, norm)
    }

    fn upper_bound(&self, max_tf: u32, min_doc_len: u32) -> Option<f64> {
        if self.weight <= 0.0 {
            return None;
        }
        let norm = match &self.lengths {
            Lengths::Lucene { cache, .. } => cache[norms::encode(min_doc_len) as usize],
            Lengths::Exact { k1, b, avgdl, .. } => Bm25::norm(*k1, *b, *avgdl, min_doc_len as f32),
        };
        Some(self.score_with_norm(max_tf, norm))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idf_matches_the_formula() {
        // N = 10, df = 2: ln(1 + 8.5 / 2.5) = ln(4.4)
        assert_eq!(Bm25::idf(10, 2), 4.4f64.ln() as f32);
    }

    #[test]
    fn rewritten_tf_part_equals_the_textbook_form() {
        let (k1, b, avgdl, dl, tf, w) = (0.9f32, 0.4f32, 50.0f32, 70.0f32, 3.0f32, 2.0f32);
        let norm = Bm25::norm(k1, b, avgdl, dl);
        let lucene = w - w / (1.0 + tf * norm);
        let textbook = w * tf / (tf + k1 * (1.0 - b + b * dl / avgdl));
        assert!((lucene - textbook).abs() < 1e-6, "{lucene} vs {textbook}");
    }
}
