//! Topics (queries) in the formats collections ship them in ([`TopicsFormat`]): TREC `<top>`,
//! TREC XML, CACM-style `<DOC><DOCNO>`, TSV, BEIR `queries.jsonl` and SMART `.I/.W`.
//!
//! Both TREC `<top>` layouts in common use are read:
//! - classic: `<top>`, `<num> Number: 301`, `<title> ...`, `<desc> Description: ...`,
//!   `<narr> Narrative: ...`, `</top>`, with fields running over several lines until the next
//!   tag;
//! - compact, as in Vaswani: `<num>1</num><title>\nTEXT\n</title>`.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};
use crate::input;

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

fn check_qid(qid: &str, location: &Location) -> Result<()> {
    if qid.is_empty() || qid.contains(char::is_whitespace) {
        return Err(Error::input(
            location.clone(),
            format!("topic id {qid:?} is empty or contains white space"),
        ));
    }
    Ok(())
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn query_topic(qid: String, text: &str, location: Location) -> Topic {
    Topic {
        qid,
        title: collapse(text),
        location: Some(location),
        ..Topic::default()
    }
}

/// CACM topics as Anserini's `CacmTopicReader` reads them: the id is the `<DOCNO>` value, the
/// query every line after `</DOCNO>` up to `</DOC>`.
pub fn parse_cacm(text: &str, path: &Path) -> Result<Vec<Topic>> {
    let mut topics = Vec::new();
    let mut current: Option<(String, String, usize)> = None;
    let mut in_doc: Option<usize> = None;
    for (i, raw) in input::lines(text).enumerate() {
        let lineno = i + 1;
        let line = raw.trim();
        if line.starts_with("<DOC>") {
            if in_doc.is_some() {
                return Err(Error::input(
                    Location::line(path, lineno),
                    "expected </DOC> before the next <DOC>",
                ));
            }
            in_doc = Some(lineno);
            continue;
        }
        if line.starts_with("</DOC>") {
            let Some(start) = in_doc.take() else {
                return Err(Error::input(
                    Location::line(path, lineno),
                    "</DOC> without <DOC>",
                ));
            };
            let Some((qid, query, _)) = current.take() else {
                return Err(Error::input(
                    Location::line(path, start),
                    "expected <DOCNO> n </DOCNO> in this <DOC>",
                ));
            };
            topics.push(query_topic(qid, &query, Location::line(path, start)));
            continue;
        }
        if in_doc.is_none() {
            if line.is_empty() {
                continue;
            }
            return Err(Error::input(
                Location::line(path, lineno),
                "expected <DOC>, found text outside any topic",
            ));
        }
        if let Some(rest) = line.strip_prefix("<DOCNO>") {
            let Some(end) = rest.find("</DOCNO>") else {
                return Err(Error::input(
                    Location::line(path, lineno),
                    "expected <DOCNO> n </DOCNO> on one line",
                ));
            };
            let qid = rest[..end].trim().to_string();
            check_qid(&qid, &Location::line(path, lineno))?;
            let after = rest[end + "</DOCNO>".len()..].to_string();
            current = Some((qid, after, lineno));
            continue;
        }
        match current.as_mut() {
            Some((_, query, _)) => {
                query.push(' ');
                query.push_str(line);
            }
            None if line.is_empty() => {}
            None => {
                return Err(Error::input(
                    Location::line(path, lineno),
                    "expected <DOCNO> before the query text",
                ))
            }
        }
    }
    if let Some(start) = in_doc {
        return Err(Error::input(
            Location::line(path, start),
            "<DOC> has no </DOC> before the end of the file",
        ));
    }
    Ok(topics)
}

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

/// BEIR `queries.jsonl`: `_id` (or `id`) and `text` per line; blank lines are allowed.
pub fn parse_jsonl(text: &str, path: &Path) -> Result<Vec<Topic>> {
    let mut topics = Vec::new();
    for (i, line) in input::lines(text).enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let location = Location::line(path, i + 1);
        let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line)
            .map_err(|e| {
                Error::input(
                    location.clone(),
                    format!("expected one JSON object per line: {e}"),
                )
            })?;
        let qid = match object.get("_id").or_else(|| object.get("id")) {
            Some(serde_json::Value::String(s)) => s.trim().to_string(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => {
                return Err(Error::input(
                    location,
                    "expected a string \"_id\" (or \"id\") field",
                ))
            }
        };
        check_qid(&qid, &location)?;
        let Some(serde_json::Value::String(query)) = object.get("text") else {
            return Err(Error::input(location, "expected a string \"text\" field"));
        };
        topics.push(query_topic(qid, query, location));
    }
    Ok(topics)
}

/// TREC XML topics: `<topic number="N">` or a `<number>` child; `<title>`, `<description>`
/// (or `<desc>`), `<narrative>` (or `<narr>`). XML comments are ignored; entities decoded.
pub fn parse_trecxml(text: &str, path: &Path) -> Result<Vec<Topic>> {
    let line_of = |byte: usize| text[..byte].bytes().filter(|&b| b == b'\n').count() + 1;
    let mut topics = Vec::new();
    let mut at = 0;
    while let Some(rel) = find_open_tag(&text[at..], "topic") {
        let start = at + rel;
        let location = Location::line(path, line_of(start));
        let Some(head_end) = text[start..].find('>').map(|e| start + e) else {
            return Err(Error::input(location, "unterminated <topic> tag"));
        };
        let head = &text[start..head_end];
        let Some(end_rel) = text[head_end..].find("</topic>") else {
            return Err(Error::input(location, "<topic> has no </topic>"));
        };
        let body = &text[head_end + 1..head_end + end_rel];
        let child = |names: &[&str]| -> String {
            for name in names {
                if let Some(s) = find_open_tag(body, name) {
                    let inner_start = match body[s..].find('>') {
                        Some(g) => s + g + 1,
                        None => continue,
                    };
                    let close = format!("</{name}>");
                    let end = body[inner_start..]
                        .find(&close)
                        .map_or(body.len(), |e| inner_start + e);
                    let mut out = String::new();
                    crate::corpus::text::html_to_text(&body[inner_start..end], &mut out);
                    return collapse(&out);
                }
            }
            String::new()
        };
        let qid = match attribute(head, "number") {
            Some(n) => n.trim().to_string(),
            None => child(&["number", "num"]),
        };
        if qid.is_empty() {
            return Err(Error::input(
                location,
                "expected a number=\"...\" attribute or a <number> child",
            ));
        }
        check_qid(&qid, &location)?;
        topics.push(Topic {
            qid,
            title: child(&["title", "query"]),
            desc: child(&["description", "desc", "question"]),
            narr: child(&["narrative", "narr"]),
            location: Some(location),
        });
        at = head_end + end_rel + "</topic>".len();
    }
    Ok(topics)
}

/// The byte offset of `<name>` or `<name attr...>` in `text`, skipping `<!-- -->` comments.
fn find_open_tag(text: &str, name: &str) -> Option<usize> {
    let mut at = 0;
    loop {
        let open = at + text[at..].find('<')?;
        let after = &text[open + 1..];
        if let Some(comment) = after.strip_prefix("!--") {
            at = open + 4 + comment.find("-->")? + 3;
            continue;
        }
        if after.starts_with(name)
            && after[name.len()..]
                .starts_with(|c: char| c == '>' || c.is_ascii_whitespace() || c == '/')
        {
            return Some(open);
        }
        at = open + 1;
    }
}

fn attribute<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    let at = head.find(&format!("{name}="))? + name.len() + 1;
    let rest = &head[at..];
    let quote = rest.chars().next()?;
    if quote == '"' || quote == '\'' {
        let end = rest[1..].find(quote)?;
        Some(&rest[1..1 + end])
    } else {
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '>')
            .unwrap_or(rest.len());
        Some(&rest[..end])
    }
}

/// SMART queries: `.I n` starts a record, `.W` starts the query text, which runs to the next
/// `.X` field line (`.N`, `.A`, ...). Records are numbered by `.I` or by position.
pub fn parse_smart(text: &str, path: &Path, numbering: Numbering) -> Result<Vec<Topic>> {
    let records = crate::corpus::smart::records(text, path)?;
    let mut topics = Vec::new();
    for (position, record) in records.into_iter().enumerate() {
        let qid = match numbering {
            Numbering::Id => record.id.clone(),
            Numbering::Position => (position + 1).to_string(),
        };
        let query = record.field('W').unwrap_or_default();
        topics.push(query_topic(qid, &query, record.location.clone()));
    }
    Ok(topics)
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

/// Reads a TREC topics file. Topics keep file order. An empty file, a `<top>` without
/// `</top>` or `<num>`, and a repeated topic number are errors naming the file and line.
pub fn read_trec(path: &Path) -> Result<Vec<Topic>> {
    let text = input::read_to_string(path)?;
    parse_trec(&text, path)
}

/// Parses TREC topics text; `path` is used only in error messages.
pub fn parse_trec(text: &str, path: &Path) -> Result<Vec<Topic>> {
    let line_of = |byte: usize| text[..byte].bytes().filter(|&b| b == b'\n').count() + 1;
    let mut topics = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut at = 0;
    while let Some(rel) = text[at..].find("<top>") {
        let start = at + rel;
        let body_start = start + "<top>".len();
        let Some(end_rel) = text[body_start..].find("</top>") else {
            return Err(Error::input(
                Location::line(path, line_of(start)),
                "<top> has no </top>",
            ));
        };
        let body = &text[body_start..body_start + end_rel];
        if let Some(inner) = body.find("<top>") {
            return Err(Error::input(
                Location::line(path, line_of(start)),
                format!(
                    "<top> has no </top> before the next <top> at line {}",
                    line_of(body_start + inner)
                ),
            ));
        }
        let line = line_of(start);
        let topic = parse_topic(body, Location::line(path, line))?;
        if let Some(first) = seen.insert(topic.qid.clone(), line) {
            return Err(Error::input(
                Location::line(path, line),
                format!("topic {} appears twice (first at line {first})", topic.qid),
            ));
        }
        topics.push(topic);
        at = body_start + end_rel + "</top>".len();
    }
    if topics.is_empty() {
        return Err(Error::input(
            Location::file(path),
            "no topics found: expected <top> ... </top> blocks",
        ));
    }
    Ok(topics)
}

/// Anserini reads TREC topic numbers as integers, so `<num> Number: 051` is topic `51`, the id
/// the TREC qrels use. A number made only of digits loses its leading zeros; any other id is
/// kept as written.
fn numeric_qid(qid: String) -> String {
    if qid.len() > 1 && qid.starts_with('0') && qid.bytes().all(|b| b.is_ascii_digit()) {
        let trimmed = qid.trim_start_matches('0');
        if trimmed.is_empty() {
            "0".to_string()
        } else {
            trimmed.to_string()
        }
    } else {
        qid
    }
}

/// One `<top>` block, read as Anserini 1.7.1's `TrecTopicReader` reads it:
/// - `<title>`: the text after the first colon, if there is one (so `Topic: x` and
///   `Airbus Subsidies: x` both give `x`; `a: b: c` gives `b: c`); a title that is empty after
///   the colon is an empty topic.
/// - `<desc>`: the lines after the `<desc>` line (the `<desc>` line itself, with its
///   `Description:` label and anything else on it, is dropped).
/// - `<narr>`: the lines after the `<narr>` line; but when the `<narr>` line ends with
///   `</narr>`, that whole line, tag included (Anserini's quirk, kept for parity).
///
/// Each field runs to the next tag; white space is collapsed.
fn parse_topic(body: &str, location: Location) -> Result<Topic> {
    // The text from just after `<tag>` (at `from` bytes past it) to the next tag.
    let span = |tag: &str| -> Option<(usize, &str)> {
        let open = format!("<{tag}>");
        let start = body.find(&open)? + open.len();
        let end = body[start..].find('<').map_or(body.len(), |i| start + i);
        Some((start, &body[start..end]))
    };
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    // The lines after the line of `<tag>`, to the next tag.
    let after_line = |tag: &str| -> Option<String> {
        let (start, _) = span(tag)?;
        let next = body[start..]
            .find('\n')
            .map_or(body.len(), |i| start + i + 1);
        let end = body[next..].find('<').map_or(body.len(), |i| next + i);
        Some(collapse(&body[next..end]))
    };
    let qid = span("num")
        .map(|(_, v)| {
            let v = v.trim();
            collapse(v.strip_prefix("Number:").unwrap_or(v))
        })
        .unwrap_or_default();
    if qid.is_empty() {
        return Err(Error::input(location, "topic has no <num>"));
    }
    if qid.contains(char::is_whitespace) {
        return Err(Error::input(
            location,
            format!("topic number {qid:?} contains white space"),
        ));
    }
    let title = span("title")
        .map(|(_, v)| collapse(v.split_once(':').map_or(v, |(_, after)| after)))
        .unwrap_or_default();
    let narr = match body.find("<narr>") {
        Some(at) => {
            let line_end = body[at..].find('\n').map_or(body.len(), |i| at + i);
            let line = &body[at..line_end];
            match line.trim_end().strip_suffix("</narr>") {
                Some(whole) => collapse(whole),
                None => after_line("narr").unwrap_or_default(),
            }
        }
        None => String::new(),
    };
    Ok(Topic {
        qid: numeric_qid(qid),
        title,
        desc: after_line("desc").unwrap_or_default(),
        narr,
        location: Some(location),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trec_topic_numbers_lose_leading_zeros_as_in_anserini() {
        let t = parse_trec(
            "<top>\n<num> Number: 051\n<title> Topic: Airbus\n</top>\n<top><num>000</num><title>x</title></top>\n<top><num>07a</num><title>y</title></top>",
            Path::new("t"),
        )
        .unwrap();
        let ids: Vec<&str> = t.iter().map(|t| t.qid.as_str()).collect();
        assert_eq!(ids, ["51", "0", "07a"]);
    }

    #[test]
    fn cacm_topics_take_every_line_after_docno() {
        let t = parse_cacm(
            "<DOC>\n<DOCNO> 1 </DOCNO>\n\n What articles\nexist?\n \n</DOC>\n<DOC>\n<DOCNO> 2 </DOCNO>\nPrieve, B.\n</DOC>\n",
            Path::new("t"),
        )
        .unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(
            (t[0].qid.as_str(), t[0].title.as_str()),
            ("1", "What articles exist?")
        );
        assert_eq!(t[1].title, "Prieve, B.");
        let err = parse_cacm("1\tpreliminary\n", Path::new("t")).unwrap_err();
        assert!(err.to_string().starts_with("t:1: expected <DOC>"), "{err}");
    }

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
    fn trecxml_topics_with_attribute_or_child_numbers() {
        let text = "<topics>\n<topic><number>1</number><title>lights</title><description>D &amp; l</description><narrative>N</narrative></topic>\n<!-- <topic number=\"9\"> -->\n<topic number=\"3\" type=\"x\"><query>sounds</query><question>Q</question></topic></topics>";
        let t = parse_trecxml(text, Path::new("t")).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(
            (t[0].qid.as_str(), t[0].title.as_str(), t[0].desc.as_str()),
            ("1", "lights", "D & l")
        );
        assert_eq!(
            (t[1].qid.as_str(), t[1].title.as_str(), t[1].desc.as_str()),
            ("3", "sounds", "Q")
        );
    }

    #[test]
    fn smart_queries_by_id_or_position() {
        let text = ".I 001\n.W\nwhat similarity laws\nmust be obeyed\n.I 002\n.W\nwhat are the structural\n";
        let t = parse_smart(text, Path::new("q"), Numbering::Id).unwrap();
        assert_eq!(
            (t[0].qid.as_str(), t[0].title.as_str()),
            ("001", "what similarity laws must be obeyed")
        );
        let t = parse_smart(text, Path::new("q"), Numbering::Position).unwrap();
        assert_eq!(t[1].qid, "2");
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
    fn reads_classic_topics_with_multi_line_fields() {
        let text = "<top>\n<num> Number: 301\n<title> International Organized\nCrime\n\n<desc> Description:\nIdentify organizations\nthat participate.\n\n<narr> Narrative:\nA relevant document\nmust name one.\n</top>\n";
        let t = parse_trec(text, Path::new("t")).unwrap();
        assert_eq!(t[0].qid, "301");
        assert_eq!(t[0].title, "International Organized Crime");
        assert_eq!(t[0].desc, "Identify organizations that participate.");
        assert_eq!(t[0].narr, "A relevant document must name one.");
        assert_eq!(
            t[0].query(TopicField::TitleDesc),
            "International Organized Crime Identify organizations that participate."
        );
    }

    #[test]
    fn reads_compact_vaswani_topics() {
        let text = "<top>\n<num>1</num><title>\nMEASUREMENT OF DIELECTRIC\n</title>\n</top>\n<top>\n<num>2</num><title>\nX\n</title>\n</top>\n";
        let t = parse_trec(text, Path::new("t")).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(
            (t[0].qid.as_str(), t[0].title.as_str()),
            ("1", "MEASUREMENT OF DIELECTRIC")
        );
        assert_eq!(t[1].location.as_ref().unwrap().line_number(), Some(6));
    }

    #[test]
    fn empty_file_is_an_error() {
        let err = parse_trec("\n", Path::new("topics.txt")).unwrap_err();
        assert!(
            err.to_string().starts_with("topics.txt: no topics found"),
            "{err}"
        );
    }

    #[test]
    fn repeated_topic_names_both_lines() {
        let text =
            "<top><num>1</num><title>a</title></top>\n<top><num>1</num><title>b</title></top>\n";
        let err = parse_trec(text, Path::new("t")).unwrap_err();
        assert!(
            err.to_string()
                .contains("t:2: topic 1 appears twice (first at line 1)"),
            "{err}"
        );
    }

    #[test]
    fn unclosed_top_is_an_error() {
        let err =
            parse_trec("<top><num>1</num>\n<top><num>2</num></top>", Path::new("t")).unwrap_err();
        assert!(err.to_string().contains("t:1:"), "{err}");
    }
}
