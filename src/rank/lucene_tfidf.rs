//! TF-IDF as Lucene's `ClassicSimilarity` computes it (Lucene 8 and later, float32):
//!
//! ```text
//! idf(t)     = ln((N + 1) / (df + 1)) + 1              computed in f64, stored as f32
//! tf(t,d)    = sqrt(tf)
//! norm(d)    = 1 / sqrt(dl)                             dl = Lucene's one-byte length; dl = 0 gets 1 / norm(255)
//! score(t,d) = (tf(t,d) · q · idf(t)) · norm(d)         q = the term's query weight
//! ```
//!
//! N is the number of documents with at least one term. idf appears once: Lucene 7 removed the
//! query normalisation that used to square it.

use super::explain::TermInDoc;
use super::registry::{ModelEntry, Value, Variant};
use super::{Model, ModelImpl, TermScorer};
use crate::index::{norms, DocId, IndexReader};

/// `model = "tfidf"`, `variant = "lucene"`.
pub static ENTRY: ModelEntry = ModelEntry {
    model: super::classic::TFIDF,
    variant: Some(Variant {
        key: "variant",
        name: "lucene",
        default: false,
    }),
    summary: "TF-IDF as Lucene's ClassicSimilarity (float32)",
    params: &[],
    build: |_| Ok(Model::LuceneTfIdf),
    expandable: true,
};

/// Lucene's `ClassicSimilarity`, which has no parameters (what [`Model::LuceneTfIdf`]
/// delegates to).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LuceneTfIdf;

impl ModelImpl for LuceneTfIdf {
    fn entry(&self) -> &'static ModelEntry {
        &ENTRY
    }

    fn values(&self) -> Vec<Value> {
        Vec::new()
    }

    fn describe(&self) -> String {
        "tfidf, Lucene ClassicSimilarity (float32)".to_string()
    }

    fn seen_doc_len<I: IndexReader>(&self, index: &I, doc: DocId) -> f64 {
        norms::decode(index.norm(doc)) as f64
    }

    fn term_score<I: IndexReader>(&self, index: &I, t: &TermInDoc, doc: DocId) -> f64 {
        term_scorer(index, t.df, t.weight).score(doc, t.tf)
    }

    fn formula<I: IndexReader>(&self, index: &I, t: &TermInDoc, dl: f64, value: f64) -> String {
        let (df, q, tf) = (t.df, t.weight, t.tf);
        let n = index.stats().documents_with_terms;
        let idf = idf(n, df);
        format!("idf = ln(({n} + 1) / ({df} + 1)) + 1 = {idf:.6}; sqrt({tf}) * {q} * idf / sqrt({dl}) = {value:.6}")
    }
}

/// The score of one query term under Lucene's `ClassicSimilarity`.
#[derive(Debug, Clone)]
pub struct LuceneTfIdfScorer<'a, I> {
    index: &'a I,
    query_weight: f32,
    norm_table: Box<[f32; 256]>,
}

/// Lucene's classic idf: `ln((N + 1) / (df + 1)) + 1`, rounded to f32.
pub fn idf(num_docs: u32, df: u32) -> f32 {
    (((num_docs as f64 + 1.0) / (df as f64 + 1.0)).ln() + 1.0) as f32
}

/// The scorer for a term with document frequency `df` and query weight `boost`.
pub fn term_scorer<I: IndexReader>(index: &I, df: u32, boost: f32) -> LuceneTfIdfScorer<'_, I> {
    let mut norm_table = Box::new([0f32; 256]);
    for (i, n) in norm_table.iter_mut().enumerate().skip(1) {
        *n = (1.0 / (norms::decode(i as u8) as f64).sqrt()) as f32;
    }
    norm_table[0] = 1.0 / norm_table[255];
    LuceneTfIdfScorer {
        index,
        query_weight: boost * idf(index.stats().documents_with_terms, df),
        norm_table,
    }
}

impl<I: IndexReader> TermScorer for LuceneTfIdfScorer<'_, I> {
    #[inline]
    fn score(&self, doc: DocId, tf: u32) -> f64 {
        let raw = (tf as f64).sqrt() as f32 * self.query_weight;
        (raw * self.norm_table[self.index.norm(doc) as usize]) as f64
    }

    fn upper_bound(&self, max_tf: u32, min_doc_len: u32) -> Option<f64> {
        // An empty document's norm (byte 0) is 1 / norm(255): the largest; no term occurs in
        // an empty document, so min_doc_len >= 1.
        if self.query_weight <= 0.0 || min_doc_len == 0 {
            return None;
        }
        let raw = (max_tf as f64).sqrt() as f32 * self.query_weight;
        Some((raw * self.norm_table[norms::encode(min_doc_len) as usize]) as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idf_matches_the_formula() {
        assert_eq!(idf(9, 1), (5f64.ln() + 1.0) as f32);
    }
}
