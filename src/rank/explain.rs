//! Score explanations: for one query and one document, each query term's statistics, its
//! contribution and the formula with the constants filled in.
//!
//! Contributions come from the same [`TermScorer`]s retrieval uses, so an explanation always
//! adds up to the score in the run.

use std::fmt::{self, Write as _};

use super::classic::Formula;
use super::ql::Smoothing;
use super::{bm25::Norms, rank, Model, Query, Retrieval, TermScorer, TieBreak};
use crate::index::{norms, DocId, IndexReader};

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
    let (scoring_model, scored_query, expanded_query) = match model {
        Model::Rm3(rm3) => {
            let feedback = rank(
                index,
                &rm3.first_stage,
                query,
                rm3.fb_docs,
                tie_break,
                Retrieval::Exhaustive,
            );
            let expanded = rm3.expand(index, query, &feedback);
            let weights = expanded
                .terms
                .iter()
                .map(|t| (t.term.clone(), t.weight))
                .collect();
            ((*rm3.first_stage).clone(), expanded, Some(weights))
        }
        _ => (model.clone(), query.clone(), None),
    };
    let doc_terms = index.doc_terms(doc);
    let tf_of = |id| {
        doc_terms
            .iter()
            .find(|(t, _)| *t == id)
            .map_or(0, |&(_, tf)| tf)
    };
    let seen_len = seen_doc_len(&scoring_model, index, doc);
    let mut terms = Vec::new();
    let mut sum = 0f64;
    for q in &scored_query.terms {
        let tf = tf_of(q.info.id);
        let contribution = if tf == 0 {
            0.0
        } else {
            term_score(
                &scoring_model,
                index,
                q.info.df,
                q.info.cf,
                q.weight,
                doc,
                tf,
            )
        };
        sum += contribution;
        terms.push(TermExplanation {
            term: q.term.clone(),
            weight: q.weight,
            tf,
            df: q.info.df,
            cf: q.info.cf,
            contribution,
            formula: if tf == 0 {
                "does not occur in the document: contributes nothing".to_string()
            } else {
                formula(
                    &scoring_model,
                    index,
                    q.info.df,
                    q.info.cf,
                    q.weight,
                    tf,
                    seen_len,
                    contribution,
                )
            },
        });
    }
    Explanation {
        model: describe(model),
        docno: index.docno(doc).to_string(),
        doc_len: (index.doc_len(doc), seen_len),
        expanded_query,
        terms,
        score: sum as f32,
        rank: rank_of,
    }
}

fn term_score(
    model: &Model,
    index: &impl IndexReader,
    df: u32,
    cf: u64,
    weight: f32,
    doc: DocId,
    tf: u32,
) -> f64 {
    match model {
        Model::Bm25(m) => m.term_scorer(index, df, weight).score(doc, tf),
        Model::Ql(m) => m.term_scorer(index, cf, weight).score(doc, tf),
        Model::Classic(c) => c
            .formula
            .term_scorer(index, c.norms, df, weight)
            .score(doc, tf),
        Model::LuceneTfIdf => super::lucene_tfidf::term_scorer(index, df, weight).score(doc, tf),
        Model::Bm25Accurate(m) => m.term_scorer(index, df, weight).score(doc, tf),
        Model::Bm25Crate(m) => {
            let (idf, value) = crate_parts(m, index, df, tf, index.doc_len(doc));
            weight as f64 * (idf * value) as f64
        }
        Model::Rm3(r) => term_score(&r.first_stage, index, df, cf, weight, doc, tf),
    }
}

/// The `bm25` crate's idf and document-term value, in its f32 arithmetic.
fn crate_parts(
    m: &super::bm25_crate::Bm25Crate,
    index: &impl IndexReader,
    df: u32,
    tf: u32,
    dl: u32,
) -> (f32, f32) {
    let stats = index.stats();
    let (k1, b) = (m.k1 as f32, m.b as f32);
    let n = stats.documents_with_terms as f32;
    let df = df as f32;
    let idf = (1f32 + (n - df + 0.5) / (df + 0.5)).ln();
    let tf = tf as f32;
    let value =
        tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * (dl as f32 / stats.avg_doc_len() as f32)));
    (idf, value)
}

/// The document length `model` sees for `doc`.
fn seen_doc_len(model: &Model, index: &impl IndexReader, doc: DocId) -> f64 {
    let lucene = norms::decode(index.norm(doc)) as f64;
    match model {
        Model::Bm25(m) if m.norms == Norms::Exact => index.doc_len(doc) as f64,
        Model::Classic(c) if c.norms == Norms::Exact => index.doc_len(doc) as f64,
        Model::Rm3(r) => seen_doc_len(&r.first_stage, index, doc),
        Model::Bm25Crate(_) => index.doc_len(doc) as f64,
        Model::Bm25Accurate(m) => match m.norms {
            super::bm25_accurate::AccurateLengths::Exact => index.doc_len(doc) as f64,
            super::bm25_accurate::AccurateLengths::Byte => index.norm(doc) as f64,
        },
        _ => lucene,
    }
}

/// The model and its parameters, in words.
pub fn describe(model: &Model) -> String {
    match model {
        Model::Bm25(m) => format!("bm25 (Lucene BM25Similarity, float32): k1={} b={} norms={:?}", m.k1, m.b, m.norms),
        Model::Ql(q) => match q.smoothing {
            Smoothing::Dirichlet { mu } => format!("ql, Dirichlet smoothing (Lucene LMDirichletSimilarity): mu={mu}"),
            Smoothing::JelinekMercer { lambda } => {
                format!("ql, Jelinek-Mercer smoothing (Lucene LMJelinekMercerSimilarity): lambda={lambda}")
            }
        },
        Model::Classic(c) => format!("{:?}, norms={:?}", c.formula, c.norms),
        Model::LuceneTfIdf => "tfidf, Lucene ClassicSimilarity (float32)".to_string(),
        Model::Bm25Accurate(m) => format!(
            "bm25, variant accurate (Anserini AccurateBM25Similarity, float32): k1={} b={} norms={:?}",
            m.k1, m.b, m.norms
        ),
        Model::Bm25Crate(m) => format!("bm25-crate (the bm25 crate, f32, hashed terms): k1={} b={}", m.k1, m.b),
        Model::Rm3(r) => format!(
            "rm3 (Anserini Rm3Reranker): fb_docs={} fb_terms={} original_query_weight={}, first stage {} = {}",
            r.fb_docs,
            r.fb_terms,
            r.original_query_weight,
            r.first_stage_name,
            describe(&r.first_stage)
        ),
    }
}

#[allow(clippy::too_many_arguments)]
fn formula(
    model: &Model,
    index: &impl IndexReader,
    df: u32,
    cf: u64,
    q: f32,
    tf: u32,
    dl: f64,
    value: f64,
) -> String {
    let stats = index.stats();
    match model {
        Model::Bm25(m) => {
            let n = stats.documents_with_terms;
            let avgdl = super::bm25::Bm25::avgdl(index);
            let idf = super::bm25::Bm25::idf(n, df);
            format!(
                "idf = ln(1 + ({n} - {df} + 0.5) / ({df} + 0.5)) = {idf:.6}; \
                 {q} * idf * {tf} / ({tf} + {k1} * (1 - {b} + {b} * {dl} / {avgdl:.6})) = {value:.6}",
                k1 = m.k1,
                b = m.b
            )
        }
        Model::Ql(m) => {
            let t = stats.tokens;
            let p = super::ql::Ql::collection_probability(cf, t);
            match m.smoothing {
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
        Model::Classic(c) => {
            let n = stats.documents as f64;
            let avgdl = if n > 0.0 {
                stats.tokens as f64 / n
            } else {
                0.0
            };
            let idf = c.formula.idf(n, df as f64);
            let k = |k1: f64, b: f64| format!("K = {k1} * (1 - {b} + {b} * {dl} / {avgdl:.6})");
            match c.formula {
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
        Model::Bm25Accurate(m) => {
            let n = stats.documents_with_terms;
            let idf = super::bm25::Bm25::idf(n, df);
            let avgdl = super::bm25::Bm25::avgdl(index);
            format!(
                "idf = ln(1 + ({n} - {df} + 0.5) / ({df} + 0.5)) = {idf:.6}; \
                 {q} * idf * {tf} / ({tf} + {k1} * (1 - {b}) + {k1} * {b} / {avgdl:.6} * {dl}) = {value:.6}",
                k1 = m.k1,
                b = m.b
            )
        }
        Model::LuceneTfIdf => {
            let n = stats.documents_with_terms;
            let idf = super::lucene_tfidf::idf(n, df);
            format!("idf = ln(({n} + 1) / ({df} + 1)) + 1 = {idf:.6}; sqrt({tf}) * {q} * idf / sqrt({dl}) = {value:.6}")
        }
        Model::Bm25Crate(m) => {
            let n = stats.documents_with_terms;
            let (idf, _) = crate_parts(m, index, df, tf, dl as u32);
            let avgdl = stats.avg_doc_len() as f32;
            format!(
                "idf = ln(1 + ({n} - {df} + 0.5) / ({df} + 0.5)) = {idf:.6}; \
                 {q} * idf * {tf} * ({k1} + 1) / ({tf} + {k1} * (1 - {b} + {b} * {dl} / {avgdl:.6})) = {value:.6}",
                k1 = m.k1,
                b = m.b
            )
        }
        Model::Rm3(r) => formula(&r.first_stage, index, df, cf, q, tf, dl, value),
    }
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
