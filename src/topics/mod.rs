//! Topics (queries) in the formats collections ship them in ([`TopicsFormat`]): TREC `<top>`,
//! TREC XML, CACM-style `<DOC><DOCNO>`, TSV, BEIR `queries.jsonl` and SMART `.I/.W`.
//! One module per format, as `corpus/` has.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};
use crate::input;

mod cacm;
mod jsonl;
mod smart;
mod trec;
mod trecxml;
mod tsv;

pub use cacm::parse_cacm;
pub use jsonl::parse_jsonl;
pub use smart::parse_smart;
pub use trec::{parse_trec, read_trec};
pub use trecxml::parse_trecxml;
pub use tsv::{parse_singleline, parse_tsv};

/// Topic file formats. An unknown name in a config is an error that lists these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TopicsFormat {
    /// TREC `<top>` blocks with `<num>`, `<title>`, `<desc>`, `<narr>`.
    #[default]
    Trec,
    /// TREC XML: `<topics><topic number="N">` (or a `<number>` child) with `<title>`,
    /// `<description>` (or `<desc>`) and `<narrative>` (or `<narr>`).
    Trecxml,
    /// CACM as Anserini ships it: `<DOC><DOCNO> n </DOCNO>` then the query lines, `</DOC>`.
    Cacm,
    /// `qid<TAB>text` lines (plain or compressed).
    Tsv,
    /// BEIR `queries.jsonl`: `{"_id": ..., "text": ...}` per line.
    Jsonl,
    /// SMART `.I n` records with a `.W` query text.
    Smart,
    /// Terrier's single-line topics: `qid query words` (a `:` after the qid is dropped).
    Singleline,
}

impl TopicsFormat {
    /// The name used in configs.
    pub fn name(self) -> &'static str {
        match self {
            TopicsFormat::Trec => "trec",
            TopicsFormat::Trecxml => "trecxml",
            TopicsFormat::Cacm => "cacm",
            TopicsFormat::Tsv => "tsv",
            TopicsFormat::Jsonl => "jsonl",
            TopicsFormat::Smart => "smart",
            TopicsFormat::Singleline => "singleline",
        }
    }
}

/// How SMART queries get their ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Numbering {
    /// The number after `.I`.
    #[default]
    Id,
    /// The position in the file, from 1 (Cranfield's qrels number queries this way).
    Position,
}

/// Reads topics in `format`; SMART queries are numbered by `numbering`. Every topic has a
/// unique id; an empty file is an error.
pub fn read(path: &Path, format: TopicsFormat, numbering: Numbering) -> Result<Vec<Topic>> {
    let text = input::read_to_string(path)?;
    let topics = match format {
        TopicsFormat::Trec => return parse_trec(&text, path),
        TopicsFormat::Trecxml => parse_trecxml(&text, path)?,
        TopicsFormat::Cacm => parse_cacm(&text, path)?,
        TopicsFormat::Tsv => parse_tsv(&text, path)?,
        TopicsFormat::Jsonl => parse_jsonl(&text, path)?,
        TopicsFormat::Smart => parse_smart(&text, path, numbering)?,
        TopicsFormat::Singleline => parse_singleline(&text, path)?,
    };
    check_unique(topics, path, format)
}

fn check_unique(topics: Vec<Topic>, path: &Path, format: TopicsFormat) -> Result<Vec<Topic>> {
    if topics.is_empty() {
        return Err(Error::input(
            Location::file(path),
            format!("no topics found in {} format", format.name()),
        ));
    }
    let mut seen: HashMap<&str, &Topic> = HashMap::new();
    for t in &topics {
        if let Some(first) = seen.insert(&t.qid, t) {
            let at = first
                .location
                .as_ref()
                .map_or_else(String::new, |l| format!(" (first at {l})"));
            return Err(Error::input(
                t.location.clone().unwrap_or_else(|| Location::file(path)),
                format!("topic {} appears twice{at}", t.qid),
            ));
        }
    }
    Ok(topics)
}

pub(super) fn check_qid(qid: &str, location: &Location) -> Result<()> {
    if qid.is_empty() || qid.contains(char::is_whitespace) {
        return Err(Error::input(
            location.clone(),
            format!("topic id {qid:?} is empty or contains white space"),
        ));
    }
    Ok(())
}

pub(super) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn query_topic(qid: String, text: &str, location: Location) -> Topic {
    Topic {
        qid,
        title: collapse(text),
        location: Some(location),
        ..Topic::default()
    }
}

/// One topic.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Topic {
    /// The topic identifier, as written after `<num>` (without `Number:`).
    pub qid: String,
    /// The `<title>` text, white space collapsed.
    pub title: String,
    /// The `<desc>` text without its `Description:` label.
    pub desc: String,
    /// The `<narr>` text without its `Narrative:` label.
    pub narr: String,
    /// Where the topic starts.
    pub location: Option<Location>,
}

/// Which topic field(s) become the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum TopicField {
    /// The title.
    #[default]
    #[serde(rename = "title")]
    Title,
    /// The description.
    #[serde(rename = "desc")]
    Desc,
    /// The narrative.
    #[serde(rename = "narr")]
    Narr,
    /// Title and description, joined by a space.
    #[serde(rename = "title+desc")]
    TitleDesc,
}

impl TopicField {
    /// The name used in configs.
    pub fn name(self) -> &'static str {
        match self {
            TopicField::Title => "title",
            TopicField::Desc => "desc",
            TopicField::Narr => "narr",
            TopicField::TitleDesc => "title+desc",
        }
    }
}

impl Topic {
    /// The query text for `field`.
    pub fn query(&self, field: TopicField) -> String {
        match field {
            TopicField::Title => self.title.clone(),
            TopicField::Desc => self.desc.clone(),
            TopicField::Narr => self.narr.clone(),
            TopicField::TitleDesc => match (self.title.is_empty(), self.desc.is_empty()) {
                (false, false) => format!("{} {}", self.title, self.desc),
                (true, _) => self.desc.clone(),
                (_, true) => self.title.clone(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_jsonl_and_singleline_topics() {
        let t = parse_tsv("1\t0-dimensional biomaterials\n\n3\tx y\n", Path::new("t")).unwrap();
        assert_eq!((t[1].qid.as_str(), t[1].title.as_str()), ("3", "x y"));
        let err = parse_tsv("1 no tab\n", Path::new("t")).unwrap_err();
        assert!(err.to_string().starts_with("t:1:"), "{err}");
        let t = parse_jsonl(
            "{\"_id\": \"q1\", \"text\": \"a b\", \"metadata\": {}}\n",
            Path::new("t"),
        )
        .unwrap();
        assert_eq!((t[0].qid.as_str(), t[0].title.as_str()), ("q1", "a b"));
        let err = parse_jsonl("{\"_id\": \"q1\"}\n", Path::new("t")).unwrap_err();
        assert!(err.to_string().contains("\"text\""), "{err}");
        let t = parse_singleline("TEST40: {dramatis personae}\n1 one\n", Path::new("t")).unwrap();
        assert_eq!(
            (t[0].qid.as_str(), t[0].title.as_str()),
            ("TEST40", "{dramatis personae}")
        );
        assert_eq!(t[1].qid, "1");
    }

    #[test]
    fn repeated_ids_are_errors_in_every_format() {
        let err = read_str("1\ta\n1\tb\n", TopicsFormat::Tsv).unwrap_err();
        assert!(err.to_string().contains("appears twice"), "{err}");
    }

    fn read_str(text: &str, format: TopicsFormat) -> Result<Vec<Topic>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t");
        std::fs::write(&path, text).unwrap();
        read(&path, format, Numbering::Id)
    }

    #[test]
    fn empty_file_is_an_error() {
        let err = parse_trec("\n", Path::new("topics.txt")).unwrap_err();
        assert!(
            err.to_string().starts_with("topics.txt: no topics found"),
            "{err}"
        );
    }
}
