//! RM3 pseudo-relevance feedback (Lavrenko and Croft's relevance model, interpolated with the
//! original query), with the semantics of Anserini's `Rm3Reranker`.
//!
//! 1. Rank with the first-stage model and take the top `fb_docs` documents with their
//!    (float32) scores.
//! 2. For each feedback document, build its term vector from the index, keeping only terms of
//!    2 to 20 characters made of `[a-z0-9]`, and dropping terms that occur in more than 10% of
//!    the documents (`df / N > 0.1` in float32); weights are term frequencies. Keep the
//!    `fb_terms` heaviest terms of the vector.
//! 3. Relevance model: for every term kept in any feedback document,
//!    `rm(t) = Σ_d (w_d(t) / |w_d|₁) · score(d)` (float32, documents whose vector has an L1
//!    norm of 0.001 or less are skipped); keep the `fb_terms` heaviest and scale them to unit
//!    L1 norm.
//! 4. Query model: the analysed query tokens (including terms not in the index), counted and
//!    scaled to unit L1 norm.
//! 5. Expanded query: `w(t) = α · q(t) + (1 − α) · rm(t)` over the union of terms, with
//!    α = `original_query_weight` (float32 products, the sum in f64, rounded to f32), each term
//!    weighted as a Lucene boost; rank again with the first-stage model.
//!
//! Where weights tie when a vector is cut to its heaviest terms, Anserini keeps whichever
//! terms its hash map happens to list first; irexp keeps the terms that come first in byte
//! order, so results are deterministic but may differ from Anserini's on such ties. On
//! Vaswani both BM25+RM3 and QL+RM3 runs are identical to Anserini 1.7.1's line for line
//! (tests/parity.rs).

use std::collections::BTreeMap;

use serde::Serialize;

use super::explain::TermInDoc;
use super::registry::{self, ModelEntry, Param, ParamError, Range, Value};
use super::{rank, Model, ModelImpl, Query, QueryTerm, Retrieval, TieBreak};
use crate::index::{DocId, IndexReader};

/// `model = "rm3"`.
pub static ENTRY: ModelEntry = ModelEntry {
    model: "rm3",
    variant: None,
    summary: "RM3 pseudo-relevance feedback, as Anserini's Rm3Reranker",
    params: &[
        Param {
            name: "first_stage",
            default: None,
            range: Range::Ranker,
            doc: "the ranker whose model ranks before and after feedback",
        },
        Param {
            name: "fb_docs",
            default: Some(Value::Count(10)),
            range: Range::AtLeastOne,
            doc: "feedback documents (Anserini's fbDocs)",
        },
        Param {
            name: "fb_terms",
            default: Some(Value::Count(10)),
            range: Range::AtLeastOne,
            doc: "feedback terms (Anserini's fbTerms)",
        },
        Param {
            name: "original_query_weight",
            default: Some(Value::Float(0.5)),
            range: Range::Unit,
            doc: "the weight of the original query, α (Anserini's originalQueryWeight)",
        },
    ],
    build: |p| {
        let (first, base) = p.ranker("first_stage")?;
        if !base.model.entry().expandable {
            return Err(ParamError::new(
                "first_stage",
                format!(
                    "first_stage {first:?} must be a {} ranker",
                    registry::expandable_models()
                ),
            ));
        }
        // One message for both counts (as before the registry).
        let both =
            |e: ParamError| ParamError::new(e.key, "fb_docs and fb_terms must be at least 1");
        Ok(Model::Rm3(Rm3 {
            first_stage_name: first.to_string(),
            first_stage: Box::new(base.model.clone()),
            fb_docs: p.count("fb_docs").map_err(both)?,
            fb_terms: p.count("fb_terms").map_err(both)?,
            original_query_weight: p.float("original_query_weight")?,
        }))
    },
    expandable: false,
};

/// RM3 parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rm3 {
    /// The name of the ranker whose model ranks before and after feedback.
    #[serde(rename = "first_stage")]
    pub first_stage_name: String,
    /// The first-stage model (resolved from `first_stage_name`).
    #[serde(rename = "first_stage_model")]
    pub first_stage: Box<Model>,
    /// Feedback documents (Anserini's fbDocs, default 10).
    pub fb_docs: usize,
    /// Feedback terms (Anserini's fbTerms, default 10).
    pub fb_terms: usize,
    /// Weight of the original query, α (Anserini's originalQueryWeight, default 0.5).
    pub original_query_weight: f64,
}

/// A feedback document: its pruned term vector, the vector's L1 norm and the document's
/// first-stage score.
struct FeedbackDoc {
    vector: Vec<(String, f32)>,
    norm: f32,
    score: f32,
}

/// Keeps the `k` heaviest entries: weight descending, then term in byte order.
fn prune(vector: &mut Vec<(String, f32)>, k: usize) {
    vector.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    vector.truncate(k);
}

/// The L1 norm, summed in f64 as Anserini's `computeL1Norm`.
fn l1(vector: &[(String, f32)]) -> f64 {
    vector.iter().map(|(_, w)| w.abs() as f64).sum()
}

/// Scales to unit L1 norm as Anserini's `scaleToUnitL1Norm`: `(w / norm) as f32`.
fn scale_to_unit_l1(vector: &mut [(String, f32)]) {
    let norm = l1(vector);
    for (_, w) in vector.iter_mut() {
        *w = (*w as f64 / norm) as f32;
    }
}

/// Whether Anserini's RM3 would consider `term` as a feedback term at all.
fn is_feedback_term(term: &str) -> bool {
    (2..=20).contains(&term.len())
        && term
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

impl ModelImpl for Rm3 {
    fn entry(&self) -> &'static ModelEntry {
        &ENTRY
    }

    fn values(&self) -> Vec<Value> {
        vec![
            Value::Text(self.first_stage_name.clone().into()),
            Value::Count(self.fb_docs),
            Value::Count(self.fb_terms),
            Value::Float(self.original_query_weight),
        ]
    }

    fn describe(&self) -> String {
        format!(
            "rm3 (Anserini Rm3Reranker): fb_docs={} fb_terms={} original_query_weight={}, first stage {} = {}",
            self.fb_docs,
            self.fb_terms,
            self.original_query_weight,
            self.first_stage_name,
            self.first_stage.describe()
        )
    }

    fn seen_doc_len<I: IndexReader>(&self, index: &I, doc: DocId) -> f64 {
        self.first_stage.seen_doc_len(index, doc)
    }

    fn term_score<I: IndexReader>(&self, index: &I, t: &TermInDoc, doc: DocId) -> f64 {
        self.first_stage.term_score(index, t, doc)
    }

    fn formula<I: IndexReader>(&self, index: &I, t: &TermInDoc, dl: f64, value: f64) -> String {
        self.first_stage.formula(index, t, dl, value)
    }

    /// The first stage and the expanded query it ranks (retrieving feedback exhaustively).
    fn rewrite<I: IndexReader>(
        &self,
        index: &I,
        query: &Query,
        tie_break: TieBreak,
    ) -> Option<(&Model, Query)> {
        let feedback = rank(
            index,
            &self.first_stage,
            query,
            self.fb_docs,
            tie_break,
            Retrieval::Exhaustive,
        );
        Some((&self.first_stage, self.expand(index, query, &feedback)))
    }
}

impl Rm3 {
    /// The feedback vector of `doc` (step 2): its terms kept as feedback terms, with their
    /// frequencies, cut to the `fb_terms` heaviest. It reads only `doc`'s own terms and their
    /// document frequencies, so a shard that holds `doc` computes it with the collection's
    /// statistics ([`crate::shard`]).
    pub fn feedback_vector(&self, index: &impl IndexReader, doc: DocId) -> Vec<(String, f32)> {
        let num_docs = index.stats().documents as f32;
        let mut v: Vec<(String, f32)> = index
            .doc_terms(doc)
            .iter()
            .filter_map(|&(id, tf)| {
                let text = index.term_text(id);
                if !is_feedback_term(text) {
                    return None;
                }
                let df = index.term_info(id).df as f32;
                (df / num_docs <= 0.1f32).then(|| (text.to_string(), tf as f32))
            })
            .collect();
        prune(&mut v, self.fb_terms);
        v
    }

    /// The relevance model estimated from `feedback` (documents and first-stage scores, best
    /// first), already pruned and scaled.
    pub fn relevance_model(
        &self,
        index: &impl IndexReader,
        feedback: &[(DocId, f32)],
    ) -> Vec<(String, f32)> {
        let vectors: Vec<(Vec<(String, f32)>, f32)> = feedback
            .iter()
            .take(self.fb_docs)
            .map(|&(doc, score)| (self.feedback_vector(index, doc), score))
            .collect();
        self.relevance_model_of(vectors)
    }

    /// The relevance model (step 3) from the feedback documents' vectors
    /// ([`feedback_vector`](Self::feedback_vector)) and first-stage scores, best first; only
    /// the first `fb_docs` are used.
    pub fn relevance_model_of(
        &self,
        feedback: Vec<(Vec<(String, f32)>, f32)>,
    ) -> Vec<(String, f32)> {
        let vectors: Vec<FeedbackDoc> = feedback
            .into_iter()
            .take(self.fb_docs)
            .map(|(vector, score)| {
                let norm = l1(&vector) as f32;
                FeedbackDoc {
                    vector,
                    norm,
                    score,
                }
            })
            .collect();
        let mut weights: BTreeMap<&str, f32> = BTreeMap::new();
        for d in &vectors {
            for (t, _) in &d.vector {
                weights.insert(t.as_str(), 0.0);
            }
        }
        for (term, fb) in weights.iter_mut() {
            for d in &vectors {
                if d.norm > 0.001f32 {
                    let w = d
                        .vector
                        .iter()
                        .find(|(t, _)| t == term)
                        .map_or(0.0, |(_, w)| *w);
                    *fb += (w / d.norm) * d.score;
                }
            }
        }
        let mut rm: Vec<(String, f32)> = weights
            .into_iter()
            .map(|(t, w)| (t.to_string(), w))
            .collect();
        prune(&mut rm, self.fb_terms);
        scale_to_unit_l1(&mut rm);
        rm
    }

    /// The expanded query's terms and weights (steps 4 and 5), in byte order, from the
    /// query's analysed tokens and the relevance model `rm`: terms of neither the index nor the
    /// collection included (each index keeps those it has, [`expand`](Self::expand)).
    pub fn expansion(&self, tokens: &[String], rm: &[(String, f32)]) -> Vec<(String, f32)> {
        let mut qm: BTreeMap<&str, f32> = BTreeMap::new();
        for t in tokens {
            *qm.entry(t.as_str()).or_insert(0.0) += 1.0;
        }
        let mut q: Vec<(String, f32)> = qm.into_iter().map(|(t, w)| (t.to_string(), w)).collect();
        scale_to_unit_l1(&mut q);
        let alpha = self.original_query_weight as f32;
        let mut union: BTreeMap<&str, (f32, f32)> = BTreeMap::new();
        for (t, w) in &q {
            union.entry(t).or_default().0 = *w;
        }
        for (t, w) in rm {
            union.entry(t).or_default().1 = *w;
        }
        union
            .into_iter()
            .map(|(term, (qw, rw))| {
                let weight = ((alpha * qw) as f64 + (1.0 - alpha as f64) * rw as f64) as f32;
                (term.to_string(), weight)
            })
            .collect()
    }

    /// The expanded query: the original query model interpolated with the relevance model
    /// estimated from `feedback`.
    pub fn expand(
        &self,
        index: &impl IndexReader,
        query: &Query,
        feedback: &[(DocId, f32)],
    ) -> Query {
        let rm = self.relevance_model(index, feedback);
        expanded_query(index, &query.tokens, &self.expansion(&query.tokens, &rm))
    }
}

/// The query of `expansion`'s terms (and weights) found in `index`, in `expansion`'s order,
/// with the original query's `tokens`.
pub fn expanded_query(
    index: &impl IndexReader,
    tokens: &[String],
    expansion: &[(String, f32)],
) -> Query {
    let terms = expansion
        .iter()
        .filter_map(|(term, weight)| {
            Some(QueryTerm {
                term: term.clone(),
                info: index.term(term)?,
                weight: *weight,
            })
        })
        .collect();
    Query {
        tokens: tokens.to_vec(),
        terms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_terms_are_short_lowercase_alphanumerics() {
        assert!(
            is_feedback_term("ab") && is_feedback_term("x2y") && is_feedback_term(&"a".repeat(20))
        );
        assert!(!is_feedback_term("a") && !is_feedback_term(&"a".repeat(21)));
        assert!(!is_feedback_term("u.s") && !is_feedback_term("café") && !is_feedback_term("Ab"));
    }

    #[test]
    fn pruning_keeps_heaviest_then_byte_order() {
        let mut v = vec![
            ("b".to_string(), 1.0),
            ("a".to_string(), 1.0),
            ("c".to_string(), 2.0),
        ];
        prune(&mut v, 2);
        assert_eq!(v, [("c".to_string(), 2.0), ("a".to_string(), 1.0)]);
    }

    #[test]
    fn scaling_gives_unit_l1_norm() {
        let mut v = vec![("a".to_string(), 1.0), ("b".to_string(), 3.0)];
        scale_to_unit_l1(&mut v);
        assert_eq!(v, [("a".to_string(), 0.25), ("b".to_string(), 0.75)]);
    }
}
