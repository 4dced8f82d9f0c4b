//! Topics (queries) in TREC format.
//!
//! Both layouts in common use are read:
//! - classic: `<top>`, `<num> Number: 301`, `<title> ...`, `<desc> Description: ...`,
//!   `<narr> Narrative: ...`, `</top>`, with fields running over several lines until the next
//!   tag;
//! - compact, as in Vaswani: `<num>1</num><title>\nTEXT\n</title>`.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};
use crate::input;

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

fn parse_topic(body: &str, location: Location) -> Result<Topic> {
    let field = |tag: &str, labels: &[&str]| -> Option<String> {
        let open = format!("<{tag}>");
        let start = body.find(&open)? + open.len();
        // The field runs to the next tag (its closing tag or the next field's opening tag).
        let end = body[start..].find('<').map_or(body.len(), |i| start + i);
        let mut value = body[start..end].trim();
        for label in labels {
            if let Some(rest) = value.strip_prefix(label) {
                value = rest.trim_start();
                break;
            }
        }
        Some(value.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    let qid = field("num", &["Number:"]).unwrap_or_default();
    if qid.is_empty() {
        return Err(Error::input(location, "topic has no <num>"));
    }
    if qid.contains(char::is_whitespace) {
        return Err(Error::input(
            location,
            format!("topic number {qid:?} contains white space"),
        ));
    }
    Ok(Topic {
        qid,
        title: field("title", &["Topic:"]).unwrap_or_default(),
        desc: field("desc", &["Description:"]).unwrap_or_default(),
        narr: field("narr", &["Narrative:"]).unwrap_or_default(),
        location: Some(location),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(t[1].location.as_ref().unwrap().line, Some(6));
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
