//! The `[[rerank]]` stage: re-scores the first candidates of each topic with a ranker's
//! model. Each candidate gets exactly the score that full retrieval with that model gives
//! it: the topic is ranked over the whole index (every document that contains a query
//! term) and the candidates' scores are taken from that list. A candidate that contains no
//! query term has no full-retrieval score and is left out (counted); a candidate whose docno
//! the index does not know is an error, or left out and counted with `on_unknown = "skip"`.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::{Inputs, RankerOutcome};
use crate::analysis::Analyzer;
use crate::config::{Experiment, FusionInput, OnUnknown, RerankSpec};
use crate::error::{Error, Location, Result};
use crate::index::disk::DiskIndex;
use crate::index::IndexReader;
use crate::progress::Progress;
use crate::rank::{Query, Searcher};
use crate::run::{Run, RunDoc, RunTopic};

/// Candidates left out of a re-ranked run, for the message.
#[derive(Debug, Default)]
struct LeftOut {
    /// Docnos the index does not have.
    unknown: usize,
    /// The first of them: (qid, docno).
    first_unknown: Option<(String, String)>,
    /// Candidates that contain no query term.
    unmatched: usize,
}

/// The re-ranked run of `spec`.
pub fn rerank(
    exp: &Experiment,
    spec: &RerankSpec,
    inputs: &Inputs,
    analyzer: &Analyzer,
    index: &DiskIndex,
    outcomes: &[RankerOutcome],
    progress: &Progress,
) -> Result<Run> {
    let (candidates, source) = match &spec.candidates {
        FusionInput::Run(name) => (
            outcomes
                .iter()
                .find(|o| &o.name == name)
                .expect("config validation checked that the candidates name an earlier run")
                .run
                .clone(),
            None,
        ),
        FusionInput::File(path) => (Run::read(path)?, Some(path.as_path())),
    };
    let position: HashMap<&str, usize> = inputs
        .topics
        .iter()
        .enumerate()
        .map(|(i, t)| (t.qid.as_str(), i))
        .collect();
    let mut lists: Vec<(usize, &RunTopic)> = Vec::new();
    let mut outside_subset = 0;
    for t in &candidates.topics {
        match position.get(t.qid.as_str()) {
            Some(&i) => lists.push((i, t)),
            None if inputs.subset_excluded.contains(&t.qid) => outside_subset += 1,
            None => {
                let location = source.map_or_else(
                    || Location::arg(format!("run {}", candidate_name(spec))),
                    Location::file,
                );
                return Err(Error::input(
                    location,
                    format!(
                        "candidate topic {} is not a topic of {}; the candidates must be for the experiment's topics",
                        t.qid,
                        exp.topics.path.display()
                    ),
                ));
            }
        }
    }
    if outside_subset > 0 {
        progress.message(&format!(
            "{}: {outside_subset} candidate topics are outside topics.subset and are left out",
            spec.name
        ));
    }
    lists.sort_by_key(|(i, _)| *i);
    let known: HashSet<&str> = (0..index.stats().documents)
        .map(|d| index.docno(d))
        .collect();
    let searcher = Searcher::new(index, &spec.ranker.model, exp.run.retrieval);
    let all = index.stats().documents as usize;
    let results: Vec<(RunTopic, LeftOut)> = lists
        .par_iter()
        .map(|&(i, list)| {
            let query = Query::parse(&inputs.queries_text[i], analyzer, index);
            let full: HashMap<String, f64> = searcher
                .search(&query, all, exp.run.ties)
                .into_iter()
                .map(|d| (d.docno, d.score))
                .collect();
            let mut ranked: Vec<&RunDoc> = list.docs.iter().collect();
            ranked.sort_by(|a, b| {
                b.score
                    .total_cmp(&a.score)
                    .then_with(|| b.docno.as_bytes().cmp(a.docno.as_bytes()))
            });
            ranked.truncate(spec.depth.unwrap_or(usize::MAX));
            let mut left = LeftOut::default();
            let mut docs = Vec::with_capacity(ranked.len());
            for d in ranked {
                if !known.contains(d.docno.as_str()) {
                    left.unknown += 1;
                    left.first_unknown
                        .get_or_insert_with(|| (list.qid.clone(), d.docno.clone()));
                } else if let Some(&score) = full.get(&d.docno) {
                    docs.push(RunDoc {
                        docno: d.docno.clone(),
                        score,
                    });
                } else {
                    left.unmatched += 1;
                }
            }
            if exp.run.remove_query {
                docs.retain(|d| d.docno != list.qid);
            }
            let mut topic = RunTopic {
                qid: list.qid.clone(),
                docs,
            };
            topic.apply(exp.run.ties);
            (topic, left)
        })
        .collect();
    let unknown: usize = results.iter().map(|(_, l)| l.unknown).sum();
    let unmatched: usize = results.iter().map(|(_, l)| l.unmatched).sum();
    if unknown > 0 {
        let (qid, docno) = results
            .iter()
            .find_map(|(_, l)| l.first_unknown.clone())
            .expect("a first unknown candidate");
        let what = format!(
            "{unknown} candidates have a docno the index does not have (the first: {docno}, topic {qid})"
        );
        match spec.on_unknown {
            OnUnknown::Error => {
                let location = source.map_or_else(|| spec.location.clone(), Location::file);
                return Err(Error::input(
                    location,
                    format!(
                        "{what}; are they from this corpus? on_unknown = \"skip\" leaves them out"
                    ),
                ));
            }
            OnUnknown::Skip => {
                progress.message(&format!("{}: {what}; they are left out", spec.name))
            }
        }
    }
    if unmatched > 0 {
        progress.message(&format!(
            "{}: {unmatched} candidates contain no query term, have no score under {} and are left out",
            spec.name, spec.ranker_name
        ));
    }
    Ok(Run {
        tag: spec.name.clone(),
        topics: results
            .into_iter()
            .map(|(t, _)| t)
            .filter(|t| !t.docs.is_empty())
            .collect(),
    })
}

fn candidate_name(spec: &RerankSpec) -> &str {
    match &spec.candidates {
        FusionInput::Run(n) => n,
        FusionInput::File(_) => "",
    }
}
