//! Line formats: `qid<TAB>text` (TSV, as MS MARCO and Anserini's `TsvString`) and Terrier's
//! single-line topics.

use std::path::Path;

use super::{check_qid, query_topic, Topic};
use crate::error::{Error, Location, Result};
use crate::input;

/// `qid<TAB>text` lines; blank lines are allowed.
pub fn parse_tsv(text: &str, path: &Path) -> Result<Vec<Topic>> {
    let mut topics = Vec::new();
    for (i, line) in input::lines(text).enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let location = Location::line(path, i + 1);
        let Some((qid, query)) = line.split_once('\t') else {
            return Err(Error::input(
                location,
                "expected `qid<TAB>query`, found no tab",
            ));
        };
        let qid = qid.trim().to_string();
        check_qid(&qid, &location)?;
        topics.push(query_topic(qid, query, location));
    }
    Ok(topics)
}

/// Terrier's single-line topics: the first white-space-separated word is the id (a trailing
/// `:` dropped), the rest of the line the query. Blank lines are allowed.
pub fn parse_singleline(text: &str, path: &Path) -> Result<Vec<Topic>> {
    let mut topics = Vec::new();
    for (i, line) in input::lines(text).enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let location = Location::line(path, i + 1);
        let (qid, query) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let qid = qid.strip_suffix(':').unwrap_or(qid).to_string();
        check_qid(&qid, &location)?;
        topics.push(query_topic(qid, query, location));
    }
    Ok(topics)
}
