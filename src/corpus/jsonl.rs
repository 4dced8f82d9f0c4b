//! JSON lines: one JSON object per line, as Pyserini's `JsonCollection` (`{"id", "contents"}`)
//! and BEIR's `corpus.jsonl` (`{"_id", "title", "text"}`) write them.
//!
//! - The id is the `id` field, or `_id` when there is no `id`; a string or an integer.
//! - What is indexed ([`Content`]): `auto` takes `contents` when the object has it, else the
//!   BEIR flat text `title + "\n" + text` (Anserini's BEIR "flat" indexes); `flat` always
//!   takes the BEIR flat text; a list of field names joins those fields with `"\n"`. A named
//!   field that is missing is an error; `null` counts as empty.
//! - Blank lines are allowed. A line that is not a JSON object, or an object without an id,
//!   is an error naming the file, the line and the column.
//! - A line that is not valid UTF-8 is decoded as Windows-1252 and the document flagged.

use std::path::Path;

use serde_json::{Map, Value};

use super::{Content, Document};
use crate::error::{Error, Location, Result};
use crate::input;

/// Reads every document of one JSONL file (plain or compressed), in file order.
pub fn read_file(
    path: &Path,
    content: &Content,
    mut sink: impl FnMut(Document) -> Result<()>,
) -> Result<()> {
    input::for_each_line(path, |lineno, bytes| {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        sink(parse_line(bytes, content, Location::line(path, lineno))?)
    })?;
    Ok(())
}

/// The common shapes, read without building a map: string ids and string (or null) fields.
/// Anything else (numbers, other types, duplicate keys, errors) goes the general way, which
/// also words the errors.
#[derive(serde::Deserialize)]
struct Common<'a> {
    #[serde(borrow, default)]
    id: Option<Option<std::borrow::Cow<'a, str>>>,
    #[serde(borrow, default, rename = "_id")]
    beir_id: Option<Option<std::borrow::Cow<'a, str>>>,
    #[serde(borrow, default)]
    contents: Option<Option<std::borrow::Cow<'a, str>>>,
    #[serde(borrow, default)]
    title: Option<Option<std::borrow::Cow<'a, str>>>,
    #[serde(borrow, default)]
    text: Option<Option<std::borrow::Cow<'a, str>>>,
}

fn fast(bytes: &[u8], content: &Content, location: &Location) -> Option<Document> {
    // serde reads a null field as a missing one; lines that may hold a null go the general way.
    if bytes.windows(4).any(|w| w == b"null") {
        return None;
    }
    let c: Common = serde_json::from_slice(bytes).ok()?;
    // A null id is an error, worded by the general path.
    let docno = match (c.id, c.beir_id) {
        (Some(id), _) | (None, Some(id)) => id?.trim().to_string(),
        (None, None) => return None,
    };
    if docno.is_empty() || docno.contains(char::is_whitespace) {
        return None;
    }
    let flat = |title: &Option<Option<std::borrow::Cow<str>>>,
                text: &Option<Option<std::borrow::Cow<str>>>| {
        if title.is_none() && text.is_none() {
            return None;
        }
        let part = |f: &Option<Option<std::borrow::Cow<str>>>| {
            f.as_ref()
                .and_then(|v| v.as_deref())
                .unwrap_or("")
                .to_string()
        };
        Some(format!("{}\n{}", part(title), part(text)))
    };
    let text = match content {
        Content::Flat => flat(&c.title, &c.text)?,
        Content::Names(_) => return None,
        _ => match &c.contents {
            Some(v) => v.as_deref().unwrap_or("").to_string(),
            None => flat(&c.title, &c.text)?,
        },
    };
    Some(Document {
        docno,
        text,
        location: location.clone(),
        decoded_as_cp1252: false,
    })
}

/// Parses one line into a document. A line that is not valid UTF-8 is decoded as
/// Windows-1252 (and the document flagged) before it is parsed.
pub fn parse_line(bytes: &[u8], content: &Content, location: Location) -> Result<Document> {
    if std::str::from_utf8(bytes).is_err() {
        let decoded = super::text::decode_cp1252(bytes);
        let mut doc = parse_utf8(decoded.as_bytes(), content, location)?;
        doc.decoded_as_cp1252 = true;
        return Ok(doc);
    }
    parse_utf8(bytes, content, location)
}

fn parse_utf8(bytes: &[u8], content: &Content, location: Location) -> Result<Document> {
    match fast(bytes, content, &location) {
        Some(doc) => Ok(doc),
        None => general(bytes, content, location),
    }
}

/// Parses one line through a JSON map: every shape, and the error messages.
fn general(bytes: &[u8], content: &Content, location: Location) -> Result<Document> {
    let object: Map<String, Value> = serde_json::from_slice(bytes).map_err(|e| {
        Error::input(
            location.clone(),
            format!("expected one JSON object per line: {e}"),
        )
    })?;
    let docno = match object.get("id").or_else(|| object.get("_id")) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        Some(other) => {
            return Err(Error::input(
                location,
                format!("the id must be a string or an integer, found {other}"),
            ))
        }
        None => {
            return Err(Error::input(
                location,
                "the object has no \"id\" (or BEIR \"_id\") field",
            ))
        }
    };
    if docno.is_empty() || docno.contains(char::is_whitespace) {
        return Err(Error::input(
            location,
            format!("the document id {docno:?} is empty or contains white space"),
        ));
    }
    let field = |name: &str, required: bool| -> Result<String> {
        match object.get(name) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(Value::Null) => Ok(String::new()),
            Some(Value::Number(n)) => Ok(n.to_string()),
            Some(other) => Err(Error::input(
                location.clone(),
                format!("field {name:?} must be a string, found {other}"),
            )),
            None if required => Err(Error::input(
                location.clone(),
                format!("the object has no {name:?} field"),
            )),
            None => Ok(String::new()),
        }
    };
    let flat = || -> Result<String> {
        if !object.contains_key("title") && !object.contains_key("text") {
            return Err(Error::input(
                location.clone(),
                "expected \"contents\" (Pyserini) or \"title\"/\"text\" (BEIR) fields",
            ));
        }
        Ok(format!(
            "{}\n{}",
            field("title", false)?,
            field("text", false)?
        ))
    };
    let text = match content {
        Content::Flat => flat()?,
        Content::Names(names) => {
            let parts: Vec<String> = names
                .iter()
                .map(|n| field(n, true))
                .collect::<Result<_>>()?;
            parts.join("\n")
        }
        // `auto` (and, should validation let them through, the TREC choices).
        _ => {
            if object.contains_key("contents") {
                field("contents", true)?
            } else {
                flat()?
            }
        }
    };
    Ok(Document {
        docno,
        text,
        location,
        decoded_as_cp1252: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str, content: &Content) -> Result<Document> {
        parse_line(line.as_bytes(), content, Location::line("c.jsonl", 3))
    }

    #[test]
    fn pyserini_and_beir_objects() {
        let d = parse(r#"{"id": "d1", "contents": "hello world"}"#, &Content::Auto).unwrap();
        assert_eq!((d.docno.as_str(), d.text.as_str()), ("d1", "hello world"));
        let d = parse(
            r#"{"_id": "42", "title": "T", "text": "body"}"#,
            &Content::Auto,
        )
        .unwrap();
        assert_eq!((d.docno.as_str(), d.text.as_str()), ("42", "T\nbody"));
        let d = parse(
            r#"{"_id": 7, "title": "", "text": "x", "metadata": {}}"#,
            &Content::Flat,
        )
        .unwrap();
        assert_eq!((d.docno.as_str(), d.text.as_str()), ("7", "\nx"));
        let names = Content::Names(vec!["text".into(), "title".into()]);
        let d = parse(r#"{"_id": "a", "title": "T", "text": "body"}"#, &names).unwrap();
        assert_eq!(d.text, "body\nT");
    }

    #[test]
    fn a_line_that_is_not_json_names_line_and_column() {
        let msg = parse(r#"{"id": "d1", "contents": "unterminated}"#, &Content::Auto)
            .unwrap_err()
            .to_string();
        assert!(
            msg.starts_with("c.jsonl:3:") && msg.contains("column"),
            "{msg}"
        );
    }

    #[test]
    fn the_fast_path_and_the_general_path_agree() {
        for line in [
            r#"{"id": "d1", "contents": "a \u00e9 \"q\""}"#,
            r#"{"_id": "d2", "title": null, "text": "x"}"#,
            r#"{"_id": "d3", "title": "T"}"#,
            r#"{"id": 5, "contents": "number id"}"#,
            r#"{"id": "d4", "id": "d5", "contents": "duplicate key"}"#,
            r#"{"id": "d6", "contents": null, "title": "t", "text": "u"}"#,
        ] {
            for c in [Content::Auto, Content::Flat] {
                let here = Location::line("c.jsonl", 3);
                if let Some(f) = fast(line.as_bytes(), &c, &here) {
                    let g = general(line.as_bytes(), &c, here).map_err(|e| e.to_string());
                    assert_eq!(Ok(f), g, "{line}");
                }
            }
        }
        assert_eq!(
            parse(
                r#"{"id": "d4", "id": "d5", "contents": "x"}"#,
                &Content::Auto
            )
            .unwrap()
            .docno,
            "d5"
        );
        let msg = parse(
            r#"{"id": null, "_id": "x", "contents": "x"}"#,
            &Content::Auto,
        )
        .unwrap_err()
        .to_string();
        assert!(msg.contains("the id must be"), "{msg}");
    }

    #[test]
    fn a_line_that_is_not_utf8_is_read_as_windows_1252_and_flagged() {
        let d = parse_line(
            b"{\"id\": \"d1\", \"contents\": \"caf\xe9 \x93q\x94\"}",
            &Content::Auto,
            Location::line("c.jsonl", 1),
        )
        .unwrap();
        assert_eq!(d.text, "café \u{201c}q\u{201d}");
        assert!(d.decoded_as_cp1252);
    }

    #[test]
    fn a_missing_id_is_an_error() {
        let msg = parse(r#"{"contents": "x"}"#, &Content::Auto)
            .unwrap_err()
            .to_string();
        assert!(
            msg.starts_with("c.jsonl:3:") && msg.contains("no \"id\""),
            "{msg}"
        );
    }

    #[test]
    fn a_missing_named_field_is_an_error() {
        let names = Content::Names(vec!["abstract".into()]);
        let msg = parse(r#"{"id": "a", "contents": "x"}"#, &names)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("no \"abstract\" field"), "{msg}");
    }
}
