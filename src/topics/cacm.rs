//! CACM topics (`<DOC><DOCNO>` records), as Anserini's `CacmTopicReader`.

use std::path::Path;

use super::{check_qid, query_topic, Topic};
use crate::error::{Error, Location, Result};
use crate::input;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
