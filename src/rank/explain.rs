//! Score explanations: for one query and one document, each query term's statistics, its
//! contribution and the formula with the constants filled in.
//!
//! Contributions come from the same [`TermScorer`](super::TermScorer)s retrieval uses, so an
//! explanation always adds up to the score in the run. Each model explains itself in its own
//! file ([`ModelImpl`](super::ModelImpl)); this module only puts the parts together.

use std::fmt::{self, Write as _};

use super::{rank, Model, Query, Retrieval, TieBreak};
use crate::index::{DocId, IndexReader};

/// One query term's part of a score.
#[derive(Debug, Clone, PartialEq)]
pub struct TermExplanation {
    /// The analysed term.
    pub term: String,
    /// Its query weight (count in the query, or RM3 weight).
    pub weight: f32,
    /// Its frequency in the document.
    pub tf: u32,
    /// Documents containing it.
    pub df: u32,
    /// Its occurrences in the collection.
    pub cf: u64,
    /// Its contribution to the score (0 when it does not occur in the document).
    pub contribution: f64,
    /// The formula with the constants filled in.
    pub formula: String,
}

/// Why a document got its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The model with its parameters.
    pub model: String,
    /// The document.
    pub docno: String,
    /// The document's exact length, and the length the model sees.
    pub doc_len: (u32, f64),
    /// For RM3: the expanded query (term, weight) that was ranked.
    pub expanded_query: Option<Vec<(String, f32)>>,
    /// One entry per query term.
    pub terms: Vec<TermExplanation>,
    /// The document's score (term contributions summed in f64, rounded to f32).
    pub score: f32,
    /// The document's 1-based rank among all matching documents, if it matches.
    pub rank: Option<usize>,
}

/// What a model's explanation of one term needs: the term's statistics, its query weight and
/// its frequency in the document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TermInDoc {
    /// Documents containing the term.
    pub df: u32,
    /// Its occurrences in the collection.
    pub cf: u64,
    /// Its query weight (count in the query, or RM3 weight).
    pub weight: f32,
    /// Its frequency in the document.
    pub tf: u32,
}

/// Explains `doc`'s score for `query` under `model`.
pub fn explain(
    index: &impl IndexReader,
    model: &Model,
    query: &Query,
    doc: DocId,
    tie_break: TieBreak,
) -> Explanation {
    let everything = index.stats().documents as usize;
    let ranked = rank(
        index,
        model,
        query,
        everything,
        tie_break,
        Retrieval::Exhaustive,
    );
    let rank_of = ranked.iter().position(|&(d, _)| d == doc).map(|p| p + 1);
    let (scoring_model, scored_query, expanded_query) = match model.rewrite(index, query, tie_break)
    {
        Some((scoring, rewritten)) => {
            let weights = rewritten
                .terms
                .iter()
                .map(|t| (t.term.clone(), t.weight))
                .collect();
            (scoring, rewritten, Some(weights))
        }
        None => (model, query.clone(), None),
    };
    let doc_terms = index.doc_terms(doc);
    let tf_of = |id| {
        doc_terms
            .iter()
            .find(|(t, _)| *t == id)
            .map_or(0, |&(_, tf)| tf)
    };
    let seen_len = scoring_model.seen_doc_len(index, doc);
    let mut terms = Vec::new();
    let mut sum = 0f64;
    for q in &scored_query.terms {
        let t = TermInDoc {
            df: q.info.df,
            cf: q.info.cf,
            weight: q.weight,
            tf: tf_of(q.info.id),
        };
        let contribution = if t.tf == 0 {
            0.0
        } else {
            scoring_model.term_score(index, &t, doc)
        };
        sum += contribution;
        terms.push(TermExplanation {
            term: q.term.clone(),
            weight: q.weight,
            tf: t.tf,
            df: t.df,
            cf: t.cf,
            contribution,
            formula: if t.tf == 0 {
                "does not occur in the document: contributes nothing".to_string()
            } else {
                scoring_model.formula(index, &t, seen_len, contribution)
            },
        });
    }
    Explanation {
        model: model.describe(),
        docno: index.docno(doc).to_string(),
        doc_len: (index.doc_len(doc), seen_len),
        expanded_query,
        terms,
        score: sum as f32,
        rank: rank_of,
    }
}

/// The model and its parameters, in words ([`Model::describe`]).
pub fn describe(model: &Model) -> String {
    model.describe()
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        let _ = writeln!(s, "model:    {}", self.model);
        let _ = writeln!(
            s,
            "document: {} (length {}, as the model sees it {})",
            self.docno, self.doc_len.0, self.doc_len.1
        );
        if let Some(expanded) = &self.expanded_query {
            let terms: Vec<String> = expanded.iter().map(|(t, w)| format!("{t}^{w}")).collect();
            let _ = writeln!(s, "expanded query: {}", terms.join(" "));
        }
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{:<20} {:>8} {:>6} {:>8} {:>10} {:>12}",
            "term", "weight", "tf", "df", "cf", "contribution"
        );
        for t in &self.terms {
            let _ = writeln!(
                s,
                "{:<20} {:>8} {:>6} {:>8} {:>10} {:>12.6}",
                t.term, t.weight, t.tf, t.df, t.cf, t.contribution
            );
            let _ = writeln!(s, "    {}", t.formula);
        }
        let _ = writeln!(s);
        match self.rank {
            Some(rank) => {
                let _ = writeln!(
                    s,
                    "score: {} (term scores summed in f64, rounded to f32); rank {rank}",
                    self.score
                );
            }
            None => {
                let _ = writeln!(
                    s,
                    "score: 0; the document contains no query term, so it is not retrieved"
                );
            }
        }
        f.write_str(&s)
    }
}
