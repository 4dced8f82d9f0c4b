//! The `bm25` crate (crates.io, Michael-JB/bm25) as an independent cross-check backend and a
//! benchmark baseline, fed with irexp's analyzer output.
//!
//! The crate hashes each term (colliding terms merge). With its default 32-bit hash the query
//! term `transistoris` of Vaswani topic 86, which is in no document, collides with a term of
//! documents 8694, 6861 and 5300 and lifts their scores; irexp therefore uses the crate's
//! 64-bit hash. It weights a document term as
//! `(k1 + 1) · tf / (tf + k1 · (1 − b + b · dl / avgdl))` with exact lengths, uses Lucene's idf
//! `ln(1 + (N − df + 0.5) / (df + 0.5))` over the documents it holds, and sums in f32. Its
//! scores are therefore Lucene's BM25 with exact lengths times `(k1 + 1)`, up to f32 rounding
//! and hash collisions; `tests/parity.rs` checks that on Vaswani. It has no top-k, so irexp
//! takes its full list of matches and keeps the best `k` with its own heap and tie rule.

use bm25::{Embedder, EmbedderBuilder, Scorer, Tokenizer};
use serde::Serialize;

use super::bm25::{B, K1};
use super::explain::TermInDoc;
use super::registry::{self, ModelEntry, Value};
use super::topk::{TieBreak, TopK};
use super::{Engine, Model, ModelImpl, Query};
use crate::index::{DocId, IndexReader};

/// `model = "bm25-crate"`.
pub static ENTRY: ModelEntry = ModelEntry {
    model: "bm25-crate",
    variant: None,
    summary: "the bm25 crate over irexp's analysed terms (f32, hashed terms), as a cross-check",
    params: &[registry::k1(K1), registry::b(B)],
    build: |p| {
        Ok(Model::Bm25Crate(Bm25Crate {
            k1: p.float("k1")?,
            b: p.float("b")?,
        }))
    },
    expandable: false,
};

/// Parameters of the `bm25-crate` model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bm25Crate {
    /// Term-frequency saturation.
    pub k1: f64,
    /// Length normalisation.
    pub b: f64,
}

impl Bm25Crate {
    /// The crate's idf and document-term value, in its f32 arithmetic.
    fn parts(&self, index: &impl IndexReader, df: u32, tf: u32, dl: u32) -> (f32, f32) {
        let stats = index.stats();
        let (k1, b) = (self.k1 as f32, self.b as f32);
        let n = stats.documents_with_terms as f32;
        let df = df as f32;
        let idf = (1f32 + (n - df + 0.5) / (df + 0.5)).ln();
        let tf = tf as f32;
        let value =
            tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * (dl as f32 / stats.avg_doc_len() as f32)));
        (idf, value)
    }
}

impl ModelImpl for Bm25Crate {
    fn entry(&self) -> &'static ModelEntry {
        &ENTRY
    }

    fn values(&self) -> Vec<Value> {
        vec![Value::Float(self.k1), Value::Float(self.b)]
    }

    fn describe(&self) -> String {
        format!(
            "bm25-crate (the bm25 crate, f32, hashed terms): k1={} b={}",
            self.k1, self.b
        )
    }

    fn seen_doc_len<I: IndexReader>(&self, index: &I, doc: DocId) -> f64 {
        index.doc_len(doc) as f64
    }

    fn term_score<I: IndexReader>(&self, index: &I, t: &TermInDoc, doc: DocId) -> f64 {
        let (idf, value) = self.parts(index, t.df, t.tf, index.doc_len(doc));
        t.weight as f64 * (idf * value) as f64
    }

    fn formula<I: IndexReader>(&self, index: &I, t: &TermInDoc, dl: f64, value: f64) -> String {
        let (df, q, tf) = (t.df, t.weight, t.tf);
        let stats = index.stats();
        let n = stats.documents_with_terms;
        let (idf, _) = self.parts(index, df, tf, dl as u32);
        let avgdl = stats.avg_doc_len() as f32;
        format!(
            "idf = ln(1 + ({n} - {df} + 0.5) / ({df} + 0.5)) = {idf:.6}; \
             {q} * idf * {tf} * ({k1} + 1) / ({tf} + {k1} * (1 - {b} + {b} * {dl} / {avgdl:.6})) = {value:.6}",
            k1 = self.k1,
            b = self.b
        )
    }

    /// The crate's scorer, loaded once with every document.
    fn prepare<I: IndexReader>(&self, index: &I) -> Option<Box<dyn Engine<I>>> {
        Some(Box::new(CrateEngine::build(index, *self)))
    }
}

/// Splits on spaces: the text handed to the crate is already analysed terms.
#[derive(Debug, Clone, Copy, Default)]
struct Terms;

impl Tokenizer for Terms {
    fn tokenize(&self, input_text: &str) -> Vec<String> {
        input_text
            .split(' ')
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// The crate's scorer loaded with every document of an index.
pub struct CrateEngine {
    embedder: Embedder<u64, Terms>,
    scorer: Scorer<DocId, u64>,
}

impl std::fmt::Debug for CrateEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CrateEngine")
            .field("avgdl", &self.embedder.avgdl())
            .finish()
    }
}

impl CrateEngine {
    /// Loads every document of `index` (rebuilt from the forward index as space-separated
    /// terms) into the crate's scorer.
    pub fn build(index: &impl IndexReader, params: Bm25Crate) -> CrateEngine {
        let stats = index.stats();
        let avgdl = stats.avg_doc_len() as f32;
        let embedder = EmbedderBuilder::<u64, Terms>::with_avgdl(avgdl)
            .k1(params.k1 as f32)
            .b(params.b as f32)
            .tokenizer(Terms)
            .build();
        let mut scorer = Scorer::<DocId, u64>::new();
        let mut text = String::new();
        for doc in 0..stats.documents {
            let terms = index.doc_terms(doc);
            if terms.is_empty() {
                continue;
            }
            text.clear();
            for &(id, tf) in terms.iter() {
                for _ in 0..tf {
                    text.push_str(index.term_text(id));
                    text.push(' ');
                }
            }
            scorer.upsert(&doc, embedder.embed(&text));
        }
        CrateEngine { embedder, scorer }
    }

    /// The best `k` documents for `query`'s tokens, ties decided by `tie_break`.
    pub fn top_k(
        &self,
        index: &impl IndexReader,
        query: &Query,
        k: usize,
        tie_break: TieBreak,
    ) -> Vec<(DocId, f32)> {
        let embedding = self.embedder.embed(&query.tokens.join(" "));
        let mut top = TopK::new(k, tie_break);
        for hit in self.scorer.matches(&embedding) {
            top.push(hit.id, hit.score);
        }
        top.into_sorted(|doc| index.docno_rank(doc))
    }
}

impl<I: IndexReader> Engine<I> for CrateEngine {
    fn top_k(&self, index: &I, query: &Query, k: usize, tie_break: TieBreak) -> Vec<(DocId, f32)> {
        CrateEngine::top_k(self, index, query, k, tie_break)
    }
}
