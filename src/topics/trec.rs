//! TREC `<top>` topics, read as Anserini 1.7.1's `TrecTopicReader` reads them.
//!
//! Both layouts in common use are read:
//! - classic: `<top>`, `<num> Number: 301`, `<title> ...`, `<desc> Description: ...`,
//!   `<narr> Narrative: ...`, `</top>`, with fields running over several lines until the next
//!   tag;
//! - compact, as in Vaswani: `<num>1</num><title>\nTEXT\n</title>`.

use std::collections::HashMap;
use std::path::Path;

use super::Topic;
use crate::error::{Error, Location, Result};
use crate::input;

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
    use crate::topics::TopicField;

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
