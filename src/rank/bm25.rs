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

use super::TermScorer;
use crate::index::{norms, DocId, IndexReader};

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
            k1: 0.9,
            b: 0.4,
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
