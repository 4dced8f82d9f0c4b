//! Relevance judgments (qrels): the TREC four-column format `qid iter docno rel`, and BEIR's
//! TSV `query-id<TAB>corpus-id<TAB>score` with its header row ([`QrelsFormat`]).
//!
//! Graded and negative relevance values pass through untouched; what they mean is the
//! evaluator's business ([`crate::eval`]). Topics are kept in byte order of their qids, the
//! order trec_eval evaluates them in.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, EvalErrorKind, Location, Result};
use crate::hash::FastMap;
use crate::input;

/// Qrels file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QrelsFormat {
    /// `qid iter docno rel`, white-space separated.
    #[default]
    Trec,
    /// BEIR: a header row `query-id corpus-id score`, then `qid<TAB>docno<TAB>rel` rows.
    Beir,
}

/// The judgments of one topic: docno to relevance value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QrelsTopic {
    judgments: FastMap<String, i64>,
}

impl QrelsTopic {
    /// The relevance value of `docno`, or `None` when it was not judged.
    pub fn get(&self, docno: &str) -> Option<i64> {
        self.judgments.get(docno).copied()
    }

    /// Every (docno, relevance) pair, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, i64)> {
        self.judgments.iter().map(|(d, &r)| (d.as_str(), r))
    }

    /// Number of judged documents.
    pub fn len(&self) -> usize {
        self.judgments.len()
    }

    /// True when the topic has no judgments.
    pub fn is_empty(&self) -> bool {
        self.judgments.is_empty()
    }

    /// Adds a judgment; returns the previous value if `docno` was already judged.
    pub fn insert(&mut self, docno: String, rel: i64) -> Option<i64> {
        self.judgments.insert(docno, rel)
    }
}

/// All judgments of a test collection, keyed by qid in byte order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Qrels {
    topics: BTreeMap<String, QrelsTopic>,
}

impl Qrels {
    /// Reads a TREC qrels file (plain or gzip-compressed).
    ///
    /// Every line must have exactly four whitespace-separated fields and an integer relevance
    /// value. Blank lines, an empty file and a (qid, docno) pair judged twice are errors that
    /// name the file and line.
    pub fn read(path: &Path) -> Result<Qrels> {
        Qrels::read_format(path, QrelsFormat::Trec)
    }

    /// Reads a qrels file in `format` (plain or compressed).
    pub fn read_format(path: &Path, format: QrelsFormat) -> Result<Qrels> {
        let text = input::read_to_string(path)?;
        match format {
            QrelsFormat::Trec => Qrels::parse(&text, path),
            QrelsFormat::Beir => Qrels::parse_beir(&text, path),
        }
    }

    /// Parses BEIR qrels: the header `query-id<TAB>corpus-id<TAB>score`, then three
    /// tab-separated fields per line. Duplicates and bad values are errors as for TREC qrels.
    pub fn parse_beir(text: &str, path: &Path) -> Result<Qrels> {
        let mut lines = input::lines(text).enumerate();
        match lines.next() {
            Some((_, header))
                if header.split('\t').map(str::trim).collect::<Vec<_>>()
                    == ["query-id", "corpus-id", "score"] => {}
            Some((_, header)) => {
                return Err(Error::input(
                    Location::line(path, 1),
                    format!(
                        "expected the BEIR header `query-id<TAB>corpus-id<TAB>score`, found {:?}",
                        header.chars().take(60).collect::<String>()
                    ),
                ))
            }
            None => {
                return Err(Error::input(
                    Location::file(path),
                    "the qrels file has no judgments",
                ))
            }
        }
        let mut topics: BTreeMap<String, QrelsTopic> = BTreeMap::new();
        let mut first_line: FastMap<(String, String), usize> = FastMap::default();
        for (i, line) in lines {
            let lineno = i + 1;
            let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
            let [qid, docno, rel] = fields[..] else {
                return Err(Error::input(
                    Location::line(path, lineno),
                    format!(
                        "expected 3 tab-separated fields `query-id corpus-id score`, found {}",
                        fields.len()
                    ),
                ));
            };
            if qid.is_empty() || docno.is_empty() {
                return Err(Error::input(
                    Location::line(path, lineno),
                    "expected a topic id and a document id, found an empty field",
                ));
            }
            let rel: i64 = rel.parse().map_err(|_| {
                Error::input(
                    Location::line(path, lineno),
                    format!(
                        "field 3 (score) {rel:?} is not an integer; expected a relevance value"
                    ),
                )
            })?;
            if let Some(first) = first_line.insert((qid.to_string(), docno.to_string()), lineno) {
                return Err(Error::eval(
                    EvalErrorKind::DuplicateJudgment,
                    Location::line(path, lineno),
                    format!(
                        "document {docno} is judged twice for topic {qid} (first at line {first})"
                    ),
                ));
            }
            topics
                .entry(qid.to_string())
                .or_default()
                .insert(docno.to_string(), rel);
        }
        if topics.is_empty() {
            return Err(Error::input(
                Location::file(path),
                "the qrels file has no judgments",
            ));
        }
        Ok(Qrels { topics })
    }

    /// Parses qrels text; `path` is used only in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Qrels> {
        Qrels::parse_impl(text, path, false)
    }

    /// Parses qrels text as trec_eval 10.0 reads it: a line starting with `#` (in column 0)
    /// is a comment, except right after another comment line, where 10.0 reads it as data
    /// (its comment skip is applied once per data line, spec §2).
    pub fn parse_with_comments(text: &str, path: &Path) -> Result<Qrels> {
        Qrels::parse_impl(text, path, true)
    }

    fn parse_impl(text: &str, path: &Path, comments: bool) -> Result<Qrels> {
        let mut topics: BTreeMap<String, QrelsTopic> = BTreeMap::new();
        // Lines come grouped by topic in practice: keep the current topic at hand.
        let mut current: Option<(String, QrelsTopic)> = None;
        let mut after_comment = false;
        for (i, line) in input::lines(text).enumerate() {
            let lineno = i + 1;
            if comments {
                if line.starts_with('#') && !after_comment {
                    after_comment = true;
                    continue;
                }
                after_comment = false;
            }
            let mut it = line.split_ascii_whitespace();
            let fields = [it.next(), it.next(), it.next(), it.next(), it.next()];
            let [Some(qid), Some(_), Some(docno), Some(rel), None] = fields else {
                return Err(Error::input(
                    Location::line(path, lineno),
                    format!(
                        "expected 4 fields `qid iter docno rel`, found {}",
                        line.split_ascii_whitespace().count()
                    ),
                ));
            };
            let rel: i64 = rel.parse().map_err(|_| {
                Error::input(
                    Location::line(path, lineno),
                    format!(
                        "field 4 (rel) {rel:?} is not an integer; expected a relevance value such as 0, 1, 2 or -1"
                    ),
                )
            })?;
            if current.as_ref().is_none_or(|(q, _)| q != qid) {
                if let Some((q, t)) = current.take() {
                    topics.insert(q, t);
                }
                let t = topics.remove(qid).unwrap_or_default();
                current = Some((qid.to_string(), t));
            }
            let Some((_, topic)) = current.as_mut() else {
                continue;
            };
            if topic.insert(docno.to_string(), rel).is_some() {
                // Rare: find the first line for the message.
                let first = input::lines(text)
                    .position(|l| {
                        let mut f = l.split_ascii_whitespace();
                        f.next() == Some(qid) && f.nth(1) == Some(docno)
                    })
                    .map_or(0, |p| p + 1);
                return Err(Error::eval(
                    EvalErrorKind::DuplicateJudgment,
                    Location::line(path, lineno),
                    format!(
                        "document {docno} is judged twice for topic {qid} (first at line {first})"
                    ),
                ));
            }
        }
        if let Some((q, t)) = current.take() {
            topics.insert(q, t);
        }
        if topics.is_empty() {
            return Err(Error::input(
                Location::file(path),
                "the qrels file has no judgments",
            ));
        }
        Ok(Qrels { topics })
    }

    /// The judgments of topic `qid`.
    pub fn topic(&self, qid: &str) -> Option<&QrelsTopic> {
        self.topics.get(qid)
    }

    /// Topics in byte order of qid (trec_eval's `strcmp` order).
    pub fn topics(&self) -> impl Iterator<Item = (&str, &QrelsTopic)> {
        self.topics.iter().map(|(q, t)| (q.as_str(), t))
    }

    /// Number of topics with at least one judgment line.
    pub fn num_topics(&self) -> usize {
        self.topics.len()
    }

    /// Builds qrels from `(qid, docno, rel)` triples; a later duplicate replaces an earlier one.
    pub fn from_triples<I, Q, D>(triples: I) -> Qrels
    where
        I: IntoIterator<Item = (Q, D, i64)>,
        Q: Into<String>,
        D: Into<String>,
    {
        let mut topics: BTreeMap<String, QrelsTopic> = BTreeMap::new();
        for (q, d, r) in triples {
            topics.entry(q.into()).or_default().insert(d.into(), r);
        }
        Qrels { topics }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_graded_and_negative_relevance() {
        let q = Qrels::parse("1 0 a 2\n1 0 b -1\n2 0 a 0\n", Path::new("q")).unwrap();
        assert_eq!(q.topic("1").unwrap().get("a"), Some(2));
        assert_eq!(q.topic("1").unwrap().get("b"), Some(-1));
        assert_eq!(q.topic("2").unwrap().get("a"), Some(0));
        assert_eq!(q.num_topics(), 2);
    }

    #[test]
    fn topics_come_in_byte_order() {
        let q = Qrels::parse("2 0 a 1\n10 0 a 1\n1 0 a 1\n", Path::new("q")).unwrap();
        let order: Vec<&str> = q.topics().map(|(qid, _)| qid).collect();
        assert_eq!(order, ["1", "10", "2"]);
    }

    #[test]
    fn three_fields_is_an_error_naming_the_line() {
        let err = Qrels::parse("1 0 a 1\n1 0 b\n", Path::new("qrels.txt")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("qrels.txt:2:"), "{msg}");
        assert!(msg.contains("expected 4 fields"), "{msg}");
    }

    #[test]
    fn duplicate_judgment_names_both_lines() {
        let err = Qrels::parse("1 0 a 1\n1 0 b 1\n1 0 a 0\n", Path::new("q")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("q:3:") && msg.contains("line 1"), "{msg}");
    }

    #[test]
    fn crlf_and_extra_spaces_are_accepted() {
        let q = Qrels::parse("1  0\ta 1\r\n", Path::new("q")).unwrap();
        assert_eq!(q.topic("1").unwrap().get("a"), Some(1));
    }

    #[test]
    fn trec_eval_10_comments_are_skipped_once() {
        let q = Qrels::parse_with_comments("# c\n1 0 a 1\n# c\n1 0 b 0\n", Path::new("q")).unwrap();
        assert_eq!(q.topic("1").unwrap().len(), 2);
        assert!(Qrels::parse("# c\n1 0 a 1\n", Path::new("q")).is_err());
        // A second comment line in a row is read as data, as 10.0 reads it.
        let err = Qrels::parse_with_comments("# a\n# b\n1 0 a 1\n", Path::new("q")).unwrap_err();
        assert!(err.to_string().starts_with("q:2:"), "{err}");
    }

    #[test]
    fn empty_file_is_an_error() {
        assert!(Qrels::parse("", Path::new("q")).is_err());
    }

    #[test]
    fn beir_qrels_need_their_header() {
        let q = Qrels::parse_beir(
            "query-id\tcorpus-id\tscore\n1\t31715818\t1\n1\tx\t-1\n",
            Path::new("q"),
        )
        .unwrap();
        assert_eq!(q.topic("1").unwrap().get("31715818"), Some(1));
        assert_eq!(q.topic("1").unwrap().get("x"), Some(-1));
        let msg = Qrels::parse_beir("1\t2\t1\n", Path::new("q"))
            .unwrap_err()
            .to_string();
        assert!(msg.starts_with("q:1:") && msg.contains("header"), "{msg}");
    }
}
