//! The files shards and the merge exchange, per ranking (run key): each shard's top k per topic
//! (`I.list`), RM3's first round (`I.feedback`) and its expanded queries (`expansion`).
//!
//! Each starts with a line `irexp-KIND RUNKEY` ([`super::write_keyed`]), then tab-separated
//! lines. Scores and weights are float32 values written as the shortest decimal that reads
//! back to the same double (`{}` of the widened value), so they read back exactly.
//!
//! ```text
//! I.list       QID  DOCNO  SCORE                          best first, per topic in topic order
//! I.feedback   QID  DOCNO  SCORE  TERM  WEIGHT  TERM ...  the first stage's top fb_docs, best first
//! expansion    QID  TERM  WEIGHT  TERM  WEIGHT ...        one line per topic, in topic order
//! ```

use std::fmt::Write as _;
use std::path::Path;

use super::{check_field, damaged, read_keyed, write_keyed};
use crate::error::Result;
use crate::hash::FastMap;

/// The kind of a list file.
pub(super) const LIST: &str = "shard-list";
/// The kind of an RM3 first-round file.
pub(super) const FEEDBACK: &str = "shard-feedback";
/// The kind of an RM3 expansion file.
pub(super) const EXPANSION: &str = "shard-expansion";

/// A retrieved document: docno and float32 score.
pub(super) type Hit = (String, f32);

/// Terms with weights (a feedback vector, an expanded query).
pub(super) type Weighted = Vec<(String, f32)>;

/// A feedback document: docno, first-stage score, feedback vector.
pub(super) type Feedback = (String, f32, Weighted);

fn number(v: f32) -> String {
    format!("{}", v as f64)
}

fn parse_f32(text: &str) -> Option<f32> {
    let v: f64 = text.parse().ok()?;
    let f = v as f32;
    (f as f64 == v || v.is_nan()).then_some(f)
}

/// Writes one shard's lists: `(qid, hits)` in topic order.
pub(super) fn write_lists(path: &Path, key: &str, lists: &[(&str, Vec<Hit>)]) -> Result<()> {
    let mut body = String::new();
    for (qid, hits) in lists {
        check_field(qid, "qid", path)?;
        for (docno, score) in hits {
            check_field(docno, "docno", path)?;
            let _ = writeln!(body, "{qid}\t{docno}\t{}", number(*score));
        }
    }
    write_keyed(path, LIST, key, &body)
}

/// One shard's lists by qid, if the file is there for `key`.
pub(super) fn read_lists(path: &Path, key: &str) -> Result<Option<FastMap<String, Vec<Hit>>>> {
    let Some(body) = read_keyed(path, LIST, key)? else {
        return Ok(None);
    };
    let mut lists: FastMap<String, Vec<Hit>> = FastMap::default();
    for (i, line) in body.lines().enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        let score = (f.len() == 3).then(|| parse_f32(f[2])).flatten();
        let Some(score) = score else {
            return Err(damaged(path, i + 2, "not QID<TAB>DOCNO<TAB>SCORE"));
        };
        lists
            .entry(f[0].to_string())
            .or_default()
            .push((f[1].to_string(), score));
    }
    Ok(Some(lists))
}

fn push_vector(body: &mut String, vector: &[(String, f32)], path: &Path) -> Result<()> {
    for (term, w) in vector {
        check_field(term, "term", path)?;
        let _ = write!(body, "\t{term}\t{}", number(*w));
    }
    Ok(())
}

fn parse_vector(fields: &[&str]) -> Option<Vec<(String, f32)>> {
    if !fields.len().is_multiple_of(2) {
        return None;
    }
    fields
        .chunks(2)
        .map(|p| Some((p[0].to_string(), parse_f32(p[1])?)))
        .collect()
}

/// Writes one shard's RM3 first round: `(qid, feedback documents)` in topic order.
pub(super) fn write_feedback(
    path: &Path,
    key: &str,
    topics: &[(&str, Vec<Feedback>)],
) -> Result<()> {
    let mut body = String::new();
    for (qid, docs) in topics {
        check_field(qid, "qid", path)?;
        for (docno, score, vector) in docs {
            check_field(docno, "docno", path)?;
            let _ = write!(body, "{qid}\t{docno}\t{}", number(*score));
            push_vector(&mut body, vector, path)?;
            body.push('\n');
        }
    }
    write_keyed(path, FEEDBACK, key, &body)
}

/// One shard's RM3 first round by qid, if the file is there for `key`.
pub(super) fn read_feedback(
    path: &Path,
    key: &str,
) -> Result<Option<FastMap<String, Vec<Feedback>>>> {
    let Some(body) = read_keyed(path, FEEDBACK, key)? else {
        return Ok(None);
    };
    let mut topics: FastMap<String, Vec<Feedback>> = FastMap::default();
    for (i, line) in body.lines().enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        let doc = (f.len() >= 3)
            .then(|| Some((f[1].to_string(), parse_f32(f[2])?, parse_vector(&f[3..])?)))
            .flatten();
        let Some(doc) = doc else {
            return Err(damaged(
                path,
                i + 2,
                "not QID<TAB>DOCNO<TAB>SCORE followed by TERM<TAB>WEIGHT pairs",
            ));
        };
        topics.entry(f[0].to_string()).or_default().push(doc);
    }
    Ok(Some(topics))
}

/// Writes RM3's expanded queries: `(qid, terms and weights)` in topic order.
pub(super) fn write_expansion(
    path: &Path,
    key: &str,
    topics: &[(&str, Vec<(String, f32)>)],
) -> Result<()> {
    let mut body = String::new();
    for (qid, terms) in topics {
        check_field(qid, "qid", path)?;
        body.push_str(qid);
        push_vector(&mut body, terms, path)?;
        body.push('\n');
    }
    write_keyed(path, EXPANSION, key, &body)
}

/// RM3's expanded queries of the topics `qids` (in that order), if the file is there for
/// `key`; a topic missing from it is an error.
pub(super) fn read_expansion(
    path: &Path,
    key: &str,
    qids: &[&str],
) -> Result<Option<Vec<Weighted>>> {
    let Some(body) = read_keyed(path, EXPANSION, key)? else {
        return Ok(None);
    };
    let mut by_qid: FastMap<&str, Weighted> = FastMap::default();
    for (i, line) in body.lines().enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        let Some(terms) = parse_vector(&f[1..]) else {
            return Err(damaged(
                path,
                i + 2,
                "not QID followed by TERM<TAB>WEIGHT pairs",
            ));
        };
        by_qid.insert(f[0], terms);
    }
    qids.iter()
        .map(|q| {
            by_qid
                .remove(q)
                .ok_or_else(|| damaged(path, 0, format!("topic {q} has no expanded query")))
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}
