//! TREC XML topics (`<topics><topic number="N">`).

use std::path::Path;

use super::{check_qid, collapse, Topic};
use crate::error::{Error, Location, Result};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
