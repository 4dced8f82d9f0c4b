//! Ranking: scoring models, kept apart from the retrieval strategy that walks postings.
//!
//! A model (for example [`bm25::Bm25`]) turns a query term into a [`TermScorer`], a function
//! `(doc, tf) -> score` with all per-term constants precomputed. A retrieval strategy
//! ([`exhaustive`], the reference, or [`maxscore`]) receives one [`ScoredCursor`] per query
//! term (the term's posting cursor and its scorer) and a [`topk::TopK`] heap, walks the cursors,
//! adds up term scores and offers documents to the heap; it never sees the index. Scorers never
//! walk postings and retrieval never knows a formula.

pub mod bm25;
pub mod bm25_accurate;
pub mod bm25_crate;
pub mod classic;
pub mod cursor;
pub mod exhaustive;
pub mod explain;
pub mod lucene_tfidf;
pub mod maxscore;
pub mod ql;
pub mod registry;
pub mod rm3;
pub mod topk;

use serde::Serialize;

use crate::analysis::Analyzer;
use crate::index::{DocId, IndexReader, PostingCursor, TermInfo};
use crate::run::{RunDoc, TiePolicy};

pub use classic::Classic;
pub use cursor::ScoredCursor;
pub use topk::TieBreak;

/// Scores one query term in one document.
pub trait TermScorer: Sync {
    /// The term's contribution to `doc`'s score, given the term's frequency in `doc`. Models
    /// that compute in float32 (Lucene's) return a float32 value widened to f64.
    fn score(&self, doc: DocId, tf: u32) -> f64;

    /// A value no document's score for this term exceeds, given the term's largest frequency
    /// and the smallest length of a document containing it. Every model here scores higher
    /// with more occurrences and with shorter documents, and each step of its arithmetic is
    /// monotonic in IEEE floating point, so the score at (`max_tf`, `min_doc_len`) bounds every
    /// document's. Returns `None` when that does not hold (for example a negative idf).
    fn upper_bound(&self, max_tf: u32, min_doc_len: u32) -> Option<f64>;
}

/// A ranking model with its parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum Model {
    /// BM25 as Lucene's `BM25Similarity` computes it.
    Bm25(bm25::Bm25),
    /// Query likelihood as Lucene's language-model similarities compute it.
    Ql(ql::Ql),
    /// RM3 pseudo-relevance feedback on top of another model, as Anserini's `Rm3Reranker`.
    Rm3(rm3::Rm3),
    /// A textbook formula in f64: the other BM25 variants and TF-IDF ([`classic`]).
    Classic(Classic),
    /// The `bm25` crate over irexp's analysed terms, as a cross-check ([`bm25_crate`]).
    Bm25Crate(bm25_crate::Bm25Crate),
    /// TF-IDF as Lucene's `ClassicSimilarity` ([`lucene_tfidf`]).
    LuceneTfIdf,
    /// BM25 as Anserini's `AccurateBM25Similarity` ([`bm25_accurate`]).
    Bm25Accurate(bm25_accurate::Bm25Accurate),
}

/// The tie rule retrieval uses at the top-k cut under a run's tie policy.
pub fn tie_break(policy: TiePolicy) -> TieBreak {
    match policy {
        TiePolicy::TrecEval => TieBreak::DocnoDescending,
        TiePolicy::Anserini => TieBreak::DocnoAscending,
    }
}

/// What each model's parameter type provides, in its own file beside its formula; [`Model`]
/// delegates to it.
pub trait ModelImpl {
    /// The registry entry of this model and variant.
    fn entry(&self) -> &'static registry::ModelEntry;

    /// The value of each parameter, in the order of the entry's
    /// [`params`](registry::ModelEntry::params).
    fn values(&self) -> Vec<registry::Value>;

    /// The model and its parameters in words (the first line of `irexp explain`).
    fn describe(&self) -> String;

    /// The length of `doc` that the model sees.
    fn seen_doc_len<I: IndexReader>(&self, index: &I, doc: DocId) -> f64;

    /// A query term's contribution to `doc`'s score (the term occurs in it), from the scorer
    /// retrieval uses.
    fn term_score<I: IndexReader>(&self, index: &I, term: &explain::TermInDoc, doc: DocId) -> f64;

    /// That contribution's formula with the constants filled in, for a document of length `dl`
    /// as the model sees it.
    fn formula<I: IndexReader>(
        &self,
        index: &I,
        term: &explain::TermInDoc,
        dl: f64,
        value: f64,
    ) -> String;

    /// What the model builds once per index to answer many queries ([`Searcher`]); most
    /// models build nothing.
    fn prepare<I: IndexReader>(&self, _index: &I) -> Option<Box<dyn Engine<I>>> {
        None
    }

    /// For a model that rewrites the query before scoring it (RM3): the model that scores the
    /// rewritten query, and that query.
    fn rewrite<I: IndexReader>(
        &self,
        _index: &I,
        _query: &Query,
        _tie_break: TieBreak,
    ) -> Option<(&Model, Query)> {
        None
    }
}

/// A model's answer to queries from state built once per index (the `bm25` crate's scorer).
pub trait Engine<I>: Send + Sync + std::fmt::Debug {
    /// The best `k` (document, score) pairs for `query`, ties decided by `tie_break`.
    fn top_k(&self, index: &I, query: &Query, k: usize, tie_break: TieBreak) -> Vec<(DocId, f32)>;
}

/// Evaluates `$call` with `$m` bound to the model's parameter type (a [`ModelImpl`]).
macro_rules! delegate {
    ($model:expr, $m:ident => $call:expr) => {
        match $model {
            Model::Bm25($m) => $call,
            Model::Ql($m) => $call,
            Model::Rm3($m) => $call,
            Model::Classic($m) => $call,
            Model::Bm25Crate($m) => $call,
            Model::LuceneTfIdf => {
                let $m = &lucene_tfidf::LuceneTfIdf;
                $call
            }
            Model::Bm25Accurate($m) => $call,
        }
    };
}

impl Model {
    /// The registry entry of the model and variant.
    pub fn entry(&self) -> &'static registry::ModelEntry {
        delegate!(self, m => m.entry())
    }

    /// The model's keys as a `[[ranker]]` section writes them (for `config.resolved.toml`).
    pub fn config_entries(&self) -> Vec<(&'static str, toml::Value)> {
        delegate!(self, m => m.entry().config_entries(m.values()))
    }

    /// The model and its parameters in words.
    pub fn describe(&self) -> String {
        delegate!(self, m => m.describe())
    }

    /// See [`ModelImpl::seen_doc_len`].
    pub fn seen_doc_len<I: IndexReader>(&self, index: &I, doc: DocId) -> f64 {
        delegate!(self, m => m.seen_doc_len(index, doc))
    }

    /// See [`ModelImpl::term_score`].
    pub fn term_score<I: IndexReader>(
        &self,
        index: &I,
        term: &explain::TermInDoc,
        doc: DocId,
    ) -> f64 {
        delegate!(self, m => m.term_score(index, term, doc))
    }

    /// See [`ModelImpl::formula`].
    pub fn formula<I: IndexReader>(
        &self,
        index: &I,
        term: &explain::TermInDoc,
        dl: f64,
        value: f64,
    ) -> String {
        delegate!(self, m => m.formula(index, term, dl, value))
    }

    /// See [`ModelImpl::prepare`].
    pub fn prepare<I: IndexReader>(&self, index: &I) -> Option<Box<dyn Engine<I>>> {
        delegate!(self, m => m.prepare(index))
    }

    /// See [`ModelImpl::rewrite`].
    pub fn rewrite<I: IndexReader>(
        &self,
        index: &I,
        query: &Query,
        tie_break: TieBreak,
    ) -> Option<(&Model, Query)> {
        delegate!(self, m => m.rewrite(index, query, tie_break))
    }
}

/// A named ranker: what a `[[ranker]]` section of a config describes.
#[derive(Debug, Clone, PartialEq)]
pub struct RankerSpec {
    /// The name, used for output files and as the run tag.
    pub name: String,
    /// The model and its parameters.
    pub model: Model,
}

/// A query term found in the index.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryTerm {
    /// The analysed term.
    pub term: String,
    /// Its lexicon entry (id, document and collection frequency).
    pub info: TermInfo,
    /// Its weight (Lucene's boost): how often it occurs in the query, or an RM3 weight.
    pub weight: f32,
}

/// A query: distinct terms found in the index, each with its weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Every analysed token of the query text, in order, including those not in the index
    /// (RM3 builds its query model from them, as Anserini does).
    pub tokens: Vec<String>,
    /// The distinct terms found in the index, in order of first occurrence.
    pub terms: Vec<QueryTerm>,
}

impl Query {
    /// Analyses `text` and looks its terms up. Terms not in the index are dropped; a term
    /// that occurs several times is kept once with its count (Anserini's bag-of-words query,
    /// which boosts a term by its count).
    pub fn parse(text: &str, analyzer: &Analyzer, index: &impl IndexReader) -> Query {
        let tokens = analyzer.analyze(text);
        let mut terms: Vec<QueryTerm> = Vec::new();
        for t in &tokens {
            if let Some(info) = index.term(t) {
                match terms.iter_mut().find(|q| q.info.id == info.id) {
                    Some(q) => q.weight += 1.0,
                    None => terms.push(QueryTerm {
                        term: t.clone(),
                        info,
                        weight: 1.0,
                    }),
                }
            }
        }
        Query { tokens, terms }
    }
}

/// Ranks with one model over one index, with whatever the model prepares once (the
/// `bm25` crate's scorer, [`ModelImpl::prepare`]) built up front, so that it can answer many
/// queries.
#[derive(Debug)]
pub struct Searcher<'a, I> {
    index: &'a I,
    model: &'a Model,
    retrieval: Retrieval,
    engine: Option<Box<dyn Engine<I>>>,
}

impl<'a, I: IndexReader> Searcher<'a, I> {
    /// Prepares `model` over `index`, retrieving with `retrieval`.
    pub fn new(index: &'a I, model: &'a Model, retrieval: Retrieval) -> Searcher<'a, I> {
        let engine = model.prepare(index);
        Searcher {
            index,
            model,
            retrieval,
            engine,
        }
    }

    /// The best `k` documents for `query`, ties decided by `ties`.
    pub fn search(&self, query: &Query, k: usize, ties: TiePolicy) -> Vec<RunDoc> {
        let tie_break = tie_break(ties);
        let hits = match &self.engine {
            Some(engine) => engine.top_k(self.index, query, k, tie_break),
            None => rank(self.index, self.model, query, k, tie_break, self.retrieval),
        };
        hits.into_iter()
            .map(|(doc, score)| RunDoc {
                docno: self.index.docno(doc).to_string(),
                score: score as f64,
            })
            .collect()
    }
}

/// Ranks the whole index for `query` with `model` and returns the best `k` documents, best
/// first, with ties at the cut and in the list decided by `ties`.
pub fn search(
    index: &impl IndexReader,
    model: &Model,
    query: &Query,
    k: usize,
    ties: TiePolicy,
) -> Vec<RunDoc> {
    Searcher::new(index, model, Retrieval::default()).search(query, k, ties)
}

/// How the top k is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Retrieval {
    /// Block-max dynamic pruning ([`maxscore`]), exactly equal to exhaustive, and the default:
    /// the fastest exact method measured (docs/PERFORMANCE.md). Queries whose lists are short
    /// are scored exhaustively (cheaper), and so are queries with a term whose score has no
    /// upper bound (a negative idf; the manifest counts them).
    #[default]
    Maxscore,
    /// Score every posting ([`exhaustive`]): the reference the pruned path is tested
    /// against.
    Exhaustive,
}

impl Retrieval {
    /// The name used in configs.
    pub fn name(self) -> &'static str {
        match self {
            Retrieval::Maxscore => "maxscore",
            Retrieval::Exhaustive => "exhaustive",
        }
    }
}

/// Queries that [`Retrieval::Maxscore`] had to score exhaustively because a term's score had
/// no upper bound (a negative idf), counted over the process.
static FALLBACKS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many queries so far fell back from pruning to exhaustive retrieval because a term's
/// score had no upper bound (the results are the same; only the time differs). The
/// experiment reads it before and after each ranker, for the manifest.
pub fn pruning_fallbacks() -> u64 {
    FALLBACKS.load(std::sync::atomic::Ordering::Relaxed)
}

/// [`Retrieval::Maxscore`] prunes a query only when its lists hold at least one posting per
/// `PRUNE_BELOW` documents; shorter lists are scored exhaustively.
const PRUNE_BELOW: u64 = 8;

/// The best `k` documents for the query terms `terms` (in query order, each with its scorer):
/// pairs each term's posting cursor with its scorer and runs the algorithm on those alone; the
/// index is read again only for the docno ranks that break ties.
fn retrieve<I: IndexReader, S: TermScorer>(
    index: &I,
    terms: Vec<(TermInfo, S)>,
    k: usize,
    tie_break: TieBreak,
    retrieval: Retrieval,
) -> Vec<(DocId, f32)> {
    let mut cursors: Vec<ScoredCursor<I::Cursor<'_>, S>> = terms
        .into_iter()
        .map(|(info, scorer)| ScoredCursor::new(index.cursor(info.id), scorer, &info))
        .collect();
    let documents = index.doc_ids();
    let mut top = topk::TopK::new(k, tie_break);
    // Short lists cost exhaustive retrieval little, less than pruning's windows; both give the
    // same list, so the choice is only about time (measured in docs/PERFORMANCE.md).
    let postings: u64 = cursors
        .iter()
        .map(|c| u64::from(PostingCursor::len(&c.cursor)))
        .sum();
    let worth_pruning = postings >= u64::from(documents) / PRUNE_BELOW;
    let pruned = retrieval == Retrieval::Maxscore
        && worth_pruning
        && maxscore::top_k(&mut cursors, documents, &mut top);
    if retrieval == Retrieval::Maxscore && worth_pruning && !pruned {
        FALLBACKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    if !pruned {
        exhaustive::top_k(&mut cursors, documents, &mut top);
    }
    top.into_sorted(|doc| index.docno_rank(doc))
}

/// The best `k` (document, score) pairs for `query` under `model`.
pub fn rank(
    index: &impl IndexReader,
    model: &Model,
    query: &Query,
    k: usize,
    tie_break: TieBreak,
    retrieval: Retrieval,
) -> Vec<(DocId, f32)> {
    match model {
        Model::Bm25(bm25) => {
            let scorers: Vec<_> = query
                .terms
                .iter()
                .map(|q| (q.info, bm25.term_scorer(index, q.info.df, q.weight)))
                .collect();
            retrieve(index, scorers, k, tie_break, retrieval)
        }
        Model::Ql(ql) => {
            let scorers: Vec<_> = query
                .terms
                .iter()
                .map(|q| (q.info, ql.term_scorer(index, q.info.cf, q.weight)))
                .collect();
            retrieve(index, scorers, k, tie_break, retrieval)
        }
        Model::Classic(c) => {
            let scorers: Vec<_> = query
                .terms
                .iter()
                .map(|q| {
                    (
                        q.info,
                        c.formula.term_scorer(index, c.norms, q.info.df, q.weight),
                    )
                })
                .collect();
            retrieve(index, scorers, k, tie_break, retrieval)
        }
        Model::Bm25Accurate(m) => {
            let scorers: Vec<_> = query
                .terms
                .iter()
                .map(|q| (q.info, m.term_scorer(index, q.info.df, q.weight)))
                .collect();
            retrieve(index, scorers, k, tie_break, retrieval)
        }
        Model::LuceneTfIdf => {
            let scorers: Vec<_> = query
                .terms
                .iter()
                .map(|q| {
                    (
                        q.info,
                        lucene_tfidf::term_scorer(index, q.info.df, q.weight),
                    )
                })
                .collect();
            retrieve(index, scorers, k, tie_break, retrieval)
        }
        // Builds the crate's scorer for this one query; `Searcher` builds it once per run.
        Model::Bm25Crate(m) => {
            bm25_crate::CrateEngine::build(index, *m).top_k(index, query, k, tie_break)
        }
        Model::Rm3(rm3) => {
            let feedback_docs = rank(
                index,
                &rm3.first_stage,
                query,
                rm3.fb_docs,
                tie_break,
                retrieval,
            );
            let expanded = rm3.expand(index, query, &feedback_docs);
            rank(index, &rm3.first_stage, &expanded, k, tie_break, retrieval)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::bm25::Bm25;
    use super::*;
    use crate::corpus::Document;
    use crate::error::Location;
    use crate::index::IndexBuilder;

    fn index(docs: &[(&str, &str)]) -> crate::index::InMemoryIndex {
        let mut b = IndexBuilder::new(Analyzer::anserini());
        for (docno, text) in docs {
            b.add(Document {
                docno: docno.to_string(),
                text: text.to_string(),
                location: Location::file("t"),
                decoded_as_cp1252: false,
            });
        }
        b.build()
    }

    #[test]
    fn repeated_query_terms_are_counted_and_unknown_terms_dropped() {
        let idx = index(&[("a", "flood river"), ("b", "river")]);
        let q = Query::parse("Floods river FLOOD zebra", &Analyzer::anserini(), &idx);
        let flood = idx.term("flood").unwrap();
        let river = idx.term("river").unwrap();
        let got: Vec<(&str, _, f32)> = q
            .terms
            .iter()
            .map(|t| (t.term.as_str(), t.info, t.weight))
            .collect();
        assert_eq!(got, vec![("flood", flood, 2.0), ("river", river, 1.0)]);
        assert_eq!(q.tokens, ["flood", "river", "flood", "zebra"]);
    }

    #[test]
    fn scores_follow_lucene_bm25_by_hand() {
        // d1 = [flood, river], d2 = [river]; N = 2, avgdl = 1.5, Lucene norms exact below 40.
        let idx = index(&[("d1", "flood river"), ("d2", "river")]);
        let q = Query::parse("flood flood", &Analyzer::anserini(), &idx);
        let hits = search(
            &idx,
            &Model::Bm25(Bm25::default()),
            &q,
            10,
            TiePolicy::TrecEval,
        );
        assert_eq!(hits.len(), 1);
        let idf = (1.0f64 + (2.0 - 1.0 + 0.5) / (1.0 + 0.5)).ln() as f32;
        let weight = 2.0f32 * idf;
        let norm = 1.0f32 / (0.9f32 * ((1.0f32 - 0.4f32) + 0.4f32 * 2.0f32 / 1.5f32));
        let want = weight - weight / (1.0f32 + 1.0f32 * norm);
        assert_eq!(hits[0].score, want as f64);
    }

    #[test]
    fn ties_at_the_cut_follow_the_policy() {
        let idx = index(&[("b", "x"), ("c", "x"), ("a", "x")]);
        let q = Query::parse("x", &Analyzer::anserini(), &idx);
        let model = Model::Bm25(Bm25::default());
        let names = |ties| -> Vec<String> {
            search(&idx, &model, &q, 2, ties)
                .into_iter()
                .map(|d| d.docno)
                .collect()
        };
        assert_eq!(names(TiePolicy::TrecEval), ["c", "b"]);
        assert_eq!(names(TiePolicy::Anserini), ["a", "b"]);
    }
}
