//! TREC SGML documents: many `<DOC>` ... `</DOC>` blocks per file, each with a `<DOCNO>`.
//!
//! The reader streams: it holds one document at a time. Files may be gzip-compressed (detected
//! from their bytes). A document that is not valid UTF-8 is decoded as Windows-1252 and
//! flagged, so the caller can count it.

use std::io::BufRead;
use std::path::Path;

use super::text::{decode_cp1252, strip_tags};
use super::{Content, Document};
use crate::error::{Error, Location, Result};
use crate::input;

/// The tags whose text Anserini's `TrecCollection` indexes by default.
pub const ANSERINI_TAGS: [&str; 10] = [
    "TEXT", "HEADLINE", "TITLE", "HL", "HEAD", "TTL", "DD", "DATE", "LP", "LEADPARA",
];

const DOC_OPEN: &[u8] = b"<DOC>";
const DOC_CLOSE: &[u8] = b"</DOC>";

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads every document of one TREC file, calling `sink` for each in file order.
pub fn read_file(
    path: &Path,
    content: &Content,
    mut sink: impl FnMut(Document) -> Result<()>,
) -> Result<()> {
    let mut reader = input::open(path)?;
    let mut line = Vec::new();
    let mut lineno = 0usize;
    // The raw bytes of the document being read, and the line its <DOC> is on.
    let mut doc: Vec<u8> = Vec::new();
    let mut doc_line: Option<usize> = None;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| input::read_error(path, lineno + 1, e))?;
        if n == 0 {
            break;
        }
        lineno += 1;
        let mut rest: &[u8] = &line;
        while !rest.is_empty() {
            match doc_line {
                None => match find(rest, DOC_OPEN) {
                    Some(at) => {
                        if let Some(junk) = rest[..at].iter().position(|b| !b.is_ascii_whitespace())
                        {
                            return Err(outside_text(path, lineno, &rest[junk..at]));
                        }
                        doc_line = Some(lineno);
                        doc.clear();
                        rest = &rest[at + DOC_OPEN.len()..];
                    }
                    None => {
                        if let Some(junk) = rest.iter().position(|b| !b.is_ascii_whitespace()) {
                            return Err(outside_text(path, lineno, &rest[junk..]));
                        }
                        rest = &[];
                    }
                },
                Some(start) => {
                    let close = find(rest, DOC_CLOSE);
                    let reopen = find(rest, DOC_OPEN);
                    if let Some(r) = reopen {
                        if close.is_none_or(|c| r < c) {
                            return Err(Error::input(
                                Location::line(path, start),
                                format!(
                                    "<DOC> has no </DOC> before the next <DOC> at line {lineno}"
                                ),
                            ));
                        }
                    }
                    match close {
                        Some(c) => {
                            doc.extend_from_slice(&rest[..c]);
                            sink(parse_document(&doc, content, Location::line(path, start))?)?;
                            doc_line = None;
                            rest = &rest[c + DOC_CLOSE.len()..];
                        }
                        None => {
                            doc.extend_from_slice(rest);
                            rest = &[];
                        }
                    }
                }
            }
        }
    }
    if let Some(start) = doc_line {
        return Err(Error::input(
            Location::line(path, start),
            "<DOC> has no </DOC> before the end of the file",
        ));
    }
    Ok(())
}

fn outside_text(path: &Path, lineno: usize, junk: &[u8]) -> Error {
    let shown: String = String::from_utf8_lossy(junk).chars().take(40).collect();
    Error::input(
        Location::line(path, lineno),
        format!(
            "expected <DOC>, found text outside any document: {:?}",
            shown.trim_end()
        ),
    )
}

/// Parses the bytes between `<DOC>` and `</DOC>`.
fn parse_document(raw: &[u8], content: &Content, location: Location) -> Result<Document> {
    let (body, decoded_as_cp1252) = match std::str::from_utf8(raw) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), false),
        Err(_) => (std::borrow::Cow::Owned(decode_cp1252(raw)), true),
    };
    let body: &str = &body;
    let (docno, docno_span) = match element(body, "DOCNO", 0) {
        Some((inner, span)) => (inner.trim(), span),
        None => {
            return Err(Error::input(location, "document has no <DOCNO>...</DOCNO>"));
        }
    };
    if docno.is_empty() || docno.contains(char::is_whitespace) {
        return Err(Error::input(
            location,
            format!("DOCNO {docno:?} is empty or contains white space"),
        ));
    }
    let mut text = String::new();
    match content {
        Content::All => {
            let mut rest = String::with_capacity(body.len());
            rest.push_str(&body[..docno_span.0]);
            rest.push(' ');
            rest.push_str(&body[docno_span.1..]);
            strip_tags(&rest, &mut text);
        }
        // `Auto` and `Flat` are JSONL choices that config validation rejects for TREC; they
        // read as the default.
        Content::AnseriniTags | Content::Auto | Content::Flat => {
            collect_tags(body, ANSERINI_TAGS.iter().copied(), &mut text)
        }
        Content::Names(tags) => {
            let upper: Vec<String> = tags.iter().map(|t| t.to_ascii_uppercase()).collect();
            collect_tags(body, upper.iter().map(String::as_str), &mut text)
        }
    }
    Ok(Document {
        docno: docno.to_string(),
        text,
        location,
        decoded_as_cp1252,
    })
}

/// Finds the first `<NAME>` or `<NAME attr...>` at or after `from`, and its `</NAME>`. Returns
/// the inner text and the byte span of the whole element.
fn element<'a>(body: &'a str, name: &str, from: usize) -> Option<(&'a str, (usize, usize))> {
    let mut at = from;
    loop {
        let open = at + body[at..].find('<')?;
        let after = &body[open + 1..];
        if after.starts_with(name)
            && after[name.len()..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace())
        {
            let inner_start = open + 1 + after.find('>')? + 1;
            let close_tag = format!("</{name}>");
            let close = inner_start + body[inner_start..].find(&close_tag)?;
            return Some((&body[inner_start..close], (open, close + close_tag.len())));
        }
        at = open + 1;
    }
}

/// Appends the text of every element named in `tags`, in document order, markup removed.
fn collect_tags<'t>(body: &str, tags: impl Iterator<Item = &'t str> + Clone, out: &mut String) {
    let mut at = 0;
    while at < body.len() {
        let next = tags
            .clone()
            .filter_map(|t| element(body, t, at))
            .min_by_key(|(_, span)| span.0);
        match next {
            Some((inner, span)) => {
                strip_tags(inner, out);
                out.push('\n');
                at = span.1;
            }
            None => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &[u8], content: Content) -> Result<Vec<Document>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.trec");
        std::fs::write(&path, text).unwrap();
        let mut docs = Vec::new();
        read_file(&path, &content, |d| {
            docs.push(d);
            Ok(())
        })?;
        Ok(docs)
    }

    const TWO_DOCS: &[u8] = b"<DOC>\n<DOCNO> D-1 </DOCNO>\n<DATE><P>May 1</P></DATE>\n<HEADLINE>\n<P>Big &amp; news</P>\n</HEADLINE>\n<BYLINE>Someone</BYLINE>\n<TEXT>\n<P>\nFirst.\n</P>\n<P>Second</P>\n</TEXT>\n</DOC>\n<DOC><DOCNO>D-2</DOCNO><TEXT>one line</TEXT></DOC>\n";

    #[test]
    fn reads_many_docs_with_anserini_tags() {
        let docs = read(TWO_DOCS, Content::AnseriniTags).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].docno, "D-1");
        let words: Vec<&str> = docs[0].text.split_whitespace().collect();
        assert_eq!(words, ["May", "1", "Big", "&", "news", "First.", "Second"]);
        assert_eq!(docs[1].text.trim(), "one line");
        assert_eq!(docs[1].location.line, Some(15));
    }

    #[test]
    fn content_all_keeps_everything_but_the_docno() {
        let docs = read(TWO_DOCS, Content::All).unwrap();
        let words: Vec<&str> = docs[0].text.split_whitespace().collect();
        assert_eq!(
            words,
            ["May", "1", "Big", "&", "news", "Someone", "First.", "Second"]
        );
    }

    #[test]
    fn content_can_list_tags() {
        let docs = read(TWO_DOCS, Content::Names(vec!["byline".into()])).unwrap();
        assert_eq!(docs[0].text.trim(), "Someone");
        assert_eq!(docs[1].text.trim(), "");
    }

    #[test]
    fn unclosed_doc_names_its_line() {
        let err = read(
            b"<DOC>\n<DOCNO>a</DOCNO>\n</DOC>\n<DOC>\n<DOCNO>b</DOCNO>\n",
            Content::All,
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("f.trec:4:") && msg.contains("no </DOC>"),
            "{msg}"
        );
    }

    #[test]
    fn doc_opened_twice_names_both_lines() {
        let err = read(
            b"<DOC>\n<DOCNO>a</DOCNO>\n<DOC>\n<DOCNO>b</DOCNO></DOC>\n",
            Content::All,
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("f.trec:1:") && msg.contains("line 3"), "{msg}");
    }

    #[test]
    fn missing_docno_is_an_error() {
        let err = read(b"<DOC>\n<TEXT>x</TEXT>\n</DOC>\n", Content::All).unwrap_err();
        assert!(
            err.to_string()
                .contains("f.trec:1: document has no <DOCNO>"),
            "{err}"
        );
    }

    #[test]
    fn text_outside_documents_is_an_error() {
        let err = read(b"junk\n<DOC><DOCNO>a</DOCNO></DOC>\n", Content::All).unwrap_err();
        assert!(
            err.to_string().contains("f.trec:1: expected <DOC>"),
            "{err}"
        );
    }

    #[test]
    fn invalid_utf8_is_decoded_as_cp1252_and_flagged() {
        let docs = read(
            b"<DOC><DOCNO>a</DOCNO><TEXT>caf\xe9</TEXT></DOC>",
            Content::AnseriniTags,
        )
        .unwrap();
        assert_eq!(docs[0].text.trim(), "café");
        assert!(docs[0].decoded_as_cp1252);
    }

    #[test]
    fn gzip_files_are_read() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(TWO_DOCS).unwrap();
        let docs = read(&enc.finish().unwrap(), Content::AnseriniTags).unwrap();
        assert_eq!(docs.len(), 2);
    }
}
