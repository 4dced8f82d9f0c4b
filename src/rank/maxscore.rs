//! Exact top-k by dynamic pruning: MaxScore (Turtle and Flood, 1995), in windows of documents
//! as Lucene's `MaxScoreBulkScorer` does it.
//!
//! Query terms are ordered by their score upper bound. Once the heap holds k documents with
//! lowest score θ, the terms whose bounds add up to less than θ are *non-essential*: a
//! document that contains only those cannot enter the top k, so only documents in the other
//! (*essential*) terms' postings are candidates. The collection is walked in windows of
//! document ids: in each, the essential terms' postings are scored term at a time into small
//! per-window arrays (a tight loop, like exhaustive retrieval); then each candidate, in
//! document order, looks up the non-essential terms from the largest bound down, and is
//! dropped as soon as its partial score plus the remaining bounds falls below θ. The essential
//! set is recomputed at each window, as θ rises.
//!
//! It sees only the query terms' [`ScoredCursor`]s: the essential terms' cursors are walked
//! with `next` through each window, the non-essential ones jump to each candidate with
//! `advance`, which skips whole blocks of postings without decoding them.
//!
//! With block bounds (every index here has them: [`crate::index::BlockBound`]), windows
//! follow block boundaries and each term is bounded per window by its current block, as in
//! Lucene's `MaxScoreBulkScorer` and PISA's `block_max_maxscore`: a window whose block
//! bounds cannot reach θ is skipped, and more terms are non-essential in most windows.
//!
//! The result is exactly [`super::exhaustive::top_k`]'s: a candidate's score is the same f64
//! sum in query-term order, rounded to f32 once; a document is skipped only when an upper bound
//! of its score (with a margin for rounding) is strictly below θ, so ties at θ are still decided
//! by the tie rule. The equality is tested with proptest and on Vaswani.

use super::cursor::ScoredCursor;
use super::topk::TopK;
use super::TermScorer;
use crate::index::{DocId, PostingCursor, END};

/// Relative margin added to bounds before comparing them with θ, so that rounding in a sum
/// taken in another order can never make pruning unsafe.
const MARGIN: f64 = 1e-9;

fn below(bound: f64, threshold: Option<f32>) -> bool {
    match threshold {
        Some(t) => ((bound.abs() * MARGIN + bound) as f32) < t,
        None => false,
    }
}

/// Documents per window: an eighth of the collection, between 16 and 4096.
fn window_size(documents: u32) -> u32 {
    (documents / 8).clamp(16, 4096)
}

/// Offers `top` the documents of the exact top k ([`TopK`]'s k), exactly as exhaustive
/// retrieval would rank them; `documents` is the number of documents (every cursor's
/// documents are below it). Returns false, having moved no cursor, when a term has no valid
/// upper bound ([`ScoredCursor::max_score`]); the caller then uses exhaustive retrieval.
///
/// Block-max: each window of documents ends at the first block boundary among the terms'
/// current blocks (and at most [`window_size`] documents on), so within the window every
/// term's postings lie in one block, and the term is bounded by that block's bound
/// ([`ScoredCursor::block_max_score`]) rather than its list's. The essential and
/// non-essential terms are chosen per window from those bounds, and a window whose bounds
/// add up to less than θ is skipped without scoring anything.
#[must_use]
pub fn top_k<C: PostingCursor, S: TermScorer>(
    terms: &mut [ScoredCursor<C, S>],
    documents: u32,
    top: &mut TopK,
) -> bool {
    let n = terms.len();
    let Some(list_bounds) = terms
        .iter()
        .map(|t| t.max_score)
        .collect::<Option<Vec<f64>>>()
    else {
        return false;
    };
    if top.k() == 0 {
        return true;
    }
    let window = window_size(documents);
    let w = window as usize;
    // Per window position: the sum of the essential terms' scores (for the bound only), and
    // per position and query slot, the term's score if the document has the term.
    let mut essential_sum = vec![0f64; w];
    let mut hit = vec![false; w];
    let mut contribution = vec![None::<f64>; w * n];
    let mut candidates: Vec<u32> = Vec::new();
    // This window's bound per query slot; the slots by increasing bound (ties by slot);
    // cumulative[i] bounds the score from order[0..=i].
    let mut bounds = vec![0f64; n];
    let mut order: Vec<usize> = (0..n).collect();
    let mut cumulative = vec![0f64; n];

    let mut threshold = top.threshold();
    loop {
        let start = terms.iter().map(|t| t.cursor.doc()).min().unwrap_or(END);
        if start == END {
            break;
        }
        let mut end = start.saturating_add(window);
        for t in terms.iter() {
            if t.cursor.doc() != END {
                end = end.min(t.cursor.block_last_doc().saturating_add(1));
            }
        }
        for (slot, t) in terms.iter().enumerate() {
            bounds[slot] = if t.cursor.doc() < end {
                t.block_max_score()
                    .map_or(list_bounds[slot], |b| b.min(list_bounds[slot]))
            } else {
                0.0
            };
        }
        order.sort_by(|&a, &b| bounds[a].total_cmp(&bounds[b]).then(a.cmp(&b)));
        let mut sum = 0.0;
        for (i, &slot) in order.iter().enumerate() {
            sum += bounds[slot];
            cumulative[i] = sum;
        }
        let mut first_essential = 0;
        while first_essential < n && below(cumulative[first_essential], threshold) {
            first_essential += 1;
        }
        if first_essential < n {
            for &slot in &order[first_essential..] {
                let term = &mut terms[slot];
                loop {
                    let doc = term.cursor.doc();
                    if doc >= end {
                        break;
                    }
                    let at = (doc - start) as usize;
                    if !hit[at] {
                        hit[at] = true;
                        candidates.push(doc - start);
                    }
                    let s = term.scorer.score(doc, term.cursor.tf());
                    contribution[at * n + slot] = Some(s);
                    essential_sum[at] += s;
                    term.cursor.next();
                }
            }
            candidates.sort_unstable();
            for &offset in &candidates {
                let at = offset as usize;
                let doc = start + offset;
                let scores = &mut contribution[at * n..(at + 1) * n];
                let mut partial = essential_sum[at];
                let mut pruned = false;
                for i in (0..first_essential).rev() {
                    if below(partial + cumulative[i], threshold) {
                        pruned = true;
                        break;
                    }
                    let slot = order[i];
                    let term = &mut terms[slot];
                    term.cursor.advance(doc);
                    if term.cursor.doc() == doc {
                        let s = term.score();
                        scores[slot] = Some(s);
                        partial += s;
                    }
                }
                if !pruned {
                    // The same sum, in the same order, as exhaustive retrieval.
                    let score = scores.iter().flatten().fold(0.0f64, |acc, &s| acc + s) as f32;
                    top.push(doc, score);
                    threshold = top.threshold();
                }
                scores.iter_mut().for_each(|s| *s = None);
                essential_sum[at] = 0.0;
                hit[at] = false;
            }
            candidates.clear();
        }
        if end == DocId::MAX {
            break;
        }
        // Past the window: the essential cursors are there already; the others skip to it.
        for &slot in &order[..first_essential] {
            terms[slot].cursor.advance(end);
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::super::bm25::{Bm25, Norms};
    use super::super::bm25_accurate::{AccurateLengths, Bm25Accurate};
    use super::super::classic::Formula;
    use super::super::ql::{Ql, Smoothing};
    use super::super::{rank, Classic, Model, Query, Retrieval, TieBreak};
    use crate::analysis::Analyzer;
    use crate::corpus::Document;
    use crate::error::Location;
    use crate::index::{InMemoryIndex, IndexBuilder};
    use proptest::prelude::*;

    const WORDS: [&str; 12] = [
        "alpha", "bravo", "charli", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
        "kilo", "lima",
    ];

    fn index(docs: &[Vec<usize>]) -> InMemoryIndex {
        let mut b = IndexBuilder::new(Analyzer::anserini());
        for (i, words) in docs.iter().enumerate() {
            let text: Vec<&str> = words.iter().map(|&w| WORDS[w]).collect();
            b.add(Document {
                docno: format!("d{:06}", (i * 7919) % 100_003),
                text: text.join(" "),
                location: Location::file("generated"),
                decoded_as_cp1252: false,
            });
        }
        b.build()
    }

    fn models() -> Vec<Model> {
        let classic = |formula| {
            Model::Classic(Classic {
                formula,
                norms: Norms::Exact,
            })
        };
        vec![
            Model::Bm25(Bm25::default()),
            Model::Bm25(Bm25 {
                norms: Norms::Exact,
                ..Bm25::default()
            }),
            Model::Bm25Accurate(Bm25Accurate {
                k1: 0.9,
                b: 0.4,
                norms: AccurateLengths::Byte,
            }),
            Model::Bm25Accurate(Bm25Accurate {
                k1: 1.2,
                b: 0.75,
                norms: AccurateLengths::Exact,
            }),
            classic(Formula::Robertson { k1: 0.9, b: 0.4 }),
            classic(Formula::Terrier {
                k1: 1.2,
                b: 0.75,
                k3: 8.0,
            }),
            classic(Formula::Atire { k1: 0.9, b: 0.4 }),
            classic(Formula::Bm25l {
                k1: 0.9,
                b: 0.4,
                delta: 0.5,
            }),
            classic(Formula::Bm25plus {
                k1: 0.9,
                b: 0.4,
                delta: 1.0,
            }),
            classic(Formula::TerrierTfIdf { k1: 1.2, b: 0.75 }),
            Model::Classic(Classic {
                formula: Formula::Robertson { k1: 0.9, b: 0.4 },
                norms: Norms::Lucene,
            }),
            Model::LuceneTfIdf,
            Model::Ql(Ql {
                smoothing: Smoothing::Dirichlet { mu: 10.0 },
            }),
            Model::Ql(Ql {
                smoothing: Smoothing::JelinekMercer { lambda: 0.1 },
            }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Pruned retrieval returns exactly the exhaustive top k: same documents, same scores,
        /// same order, for every model and k in {1, 10, 1000}.
        #[test]
        fn maxscore_equals_exhaustive(
            docs in proptest::collection::vec(proptest::collection::vec(0usize..12, 1..40), 1..120),
            query in proptest::collection::vec(0usize..12, 1..6),
            ascending in any::<bool>(),
        ) {
            let idx = index(&docs);
            let text: Vec<&str> = query.iter().map(|&w| WORDS[w]).collect();
            let q = Query::parse(&text.join(" "), &Analyzer::anserini(), &idx);
            let tie = if ascending { TieBreak::DocnoAscending } else { TieBreak::DocnoDescending };
            for model in models() {
                for k in [1, 10, 1000] {
                    let fast = rank(&idx, &model, &q, k, tie, Retrieval::Maxscore);
                    let slow = rank(&idx, &model, &q, k, tie, Retrieval::Exhaustive);
                    prop_assert_eq!(&fast, &slow, "{:?} k={}", model, k);
                }
            }
        }

        /// Over collections of up to 3,000 documents, so that lists span many blocks of 128
        /// postings and block bounds decide windows: for every model, on the in-memory index
        /// and on its on-disk copy, k in {1, 10, 100, 1000}.
        #[test]
        fn block_max_equals_exhaustive_over_many_blocks(
            seed_docs in proptest::collection::vec(
                (proptest::collection::vec(0usize..12, 1..6), 1usize..30), 8..40),
            copies in 20usize..80,
            query in proptest::collection::vec(0usize..12, 1..6),
            ascending in any::<bool>(),
        ) {
            // Each seed document repeated with its own length padding (so lengths, and with
            // them block bounds, vary), `copies` times over.
            let mut docs = Vec::new();
            for c in 0..copies {
                for (i, (words, pad)) in seed_docs.iter().enumerate() {
                    let mut d = words.clone();
                    d.extend(std::iter::repeat_n(11 - (i + c) % 3, (pad * (c % 7 + 1)) % 31));
                    docs.push(d);
                }
            }
            let idx = index(&docs);
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("idx");
            crate::index::disk::write(&idx, &path, serde_json::json!({}), serde_json::json!({})).unwrap();
            let on_disk = crate::index::disk::DiskIndex::open(&path).unwrap();
            let text: Vec<&str> = query.iter().map(|&w| WORDS[w]).collect();
            let q = Query::parse(&text.join(" "), &Analyzer::anserini(), &idx);
            let tie = if ascending { TieBreak::DocnoAscending } else { TieBreak::DocnoDescending };
            for model in models() {
                for k in [1, 10, 100, 1000] {
                    let slow = rank(&idx, &model, &q, k, tie, Retrieval::Exhaustive);
                    let fast = rank(&idx, &model, &q, k, tie, Retrieval::Maxscore);
                    prop_assert_eq!(&fast, &slow, "{:?} k={}", model, k);
                    let disk = rank(&on_disk, &model, &q, k, tie, Retrieval::Maxscore);
                    prop_assert_eq!(&disk, &slow, "on disk: {:?} k={}", model, k);
                }
            }
        }

        /// The same with many exact ties: documents drawn from a few templates, so equal
        /// scores straddle the threshold and only the tie rule decides.
        #[test]
        fn maxscore_equals_exhaustive_with_ties(
            templates in proptest::collection::vec(proptest::collection::vec(0usize..6, 1..6), 1..5),
            picks in proptest::collection::vec(0usize..5, 1..80),
            query in proptest::collection::vec(0usize..6, 1..3),
            ascending in any::<bool>(),
        ) {
            let docs: Vec<Vec<usize>> = picks.iter().map(|&p| templates[p % templates.len()].clone()).collect();
            let idx = index(&docs);
            let text: Vec<&str> = query.iter().map(|&w| WORDS[w]).collect();
            let q = Query::parse(&text.join(" "), &Analyzer::anserini(), &idx);
            let tie = if ascending { TieBreak::DocnoAscending } else { TieBreak::DocnoDescending };
            for model in models() {
                for k in [1, 3, 10, 100] {
                    let fast = rank(&idx, &model, &q, k, tie, Retrieval::Maxscore);
                    let slow = rank(&idx, &model, &q, k, tie, Retrieval::Exhaustive);
                    prop_assert_eq!(&fast, &slow, "{:?} k={}", model, k);
                }
            }
        }
    }
}
