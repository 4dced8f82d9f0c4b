//! TREC SGML documents (`trec`) and TREC Web documents (`trecweb`): many `<DOC>` ... `</DOC>`
//! blocks per file.
//!
//! The reader streams: it holds one document at a time, and every step is linear in the input,
//! so a huge single-line document costs what its size costs. Files may be compressed (detected
//! from their bytes). A document that is not valid UTF-8 is decoded as Windows-1252 and
//! flagged, so the caller can count it.
//!
//! Structure, shared by both formats:
//! - A document starts at `<DOC>` or `<DOC attr="...">` and ends at the next `</DOC>`, wherever
//!   they are on their lines. Between documents only white space and `<!-- -->` comments may
//!   appear; other text is an error naming the line (Anserini ignores it silently).
//! - The id is the `id="..."` attribute of `<DOC>` (NTCIR-8 style) or else the `<DOCNO>`
//!   element.
//!
//! What is indexed, `trec` ([`Content`]):
//! - `tags` (the default) reproduces Anserini's `TrecCollection`: after the `<DOCNO>` line, the
//!   lines are trimmed; a line that starts with one of [`ANSERINI_TAGS`] (upper case, exactly)
//!   opens a region that runs to the line that starts or ends with its end tag, and the
//!   region's lines are kept whole (a `<BYLINE>` on the same line as `<HEADLINE>...</HEADLINE>`
//!   is kept; a `<TEXT>` in the middle of a line is not). The kept lines are then reduced to
//!   text as JSoup does ([`html_to_text`]).
//! - a list of tags does the same with those tags, matched ignoring case;
//! - `all` takes the whole document but the `<DOCNO>` element.
//!
//! `trecweb`, as Anserini's `TrecwebCollection`: the `<DOCHDR>` element is skipped and what
//! follows `</DOCHDR>` is reduced to text as JSoup does. A document without `<DOCNO>` or
//! without `<DOCHDR>` is malformed, as in Anserini.

use std::path::Path;

use super::text::{decode_cp1252, html_to_text};
use super::{Content, Document};
use crate::error::{Error, Location, Result};
use crate::input;

/// The tags whose text Anserini's `TrecCollection` indexes by default.
pub const ANSERINI_TAGS: [&str; 10] = [
    "TEXT", "HEADLINE", "TITLE", "HL", "HEAD", "TTL", "DD", "DATE", "LP", "LEADPARA",
];

/// Which of the two SGML layouts a file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// TREC ad hoc documents.
    Trec,
    /// TREC Web documents (`<DOCHDR>` then HTML).
    Trecweb,
}

const DOC_CLOSE: &[u8] = b"</DOC>";
const COMMENT_OPEN: &[u8] = b"<!--";
const COMMENT_CLOSE: &[u8] = b"-->";

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    let mut at = 0;
    while at + needle.len() <= haystack.len() {
        let rel = haystack[at..].iter().position(|&b| b == first)?;
        at += rel;
        if haystack[at..].starts_with(needle) {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// Finds the next `<DOC>` or `<DOC ...>` open tag in `bytes`: (start, end after `>`).
/// `Err(start)` when a `<DOC ` tag has no `>` on this line.
fn find_doc_open(bytes: &[u8]) -> Option<std::result::Result<(usize, usize), usize>> {
    let mut at = 0;
    loop {
        let start = at + find(&bytes[at..], b"<DOC")?;
        match bytes.get(start + 4) {
            Some(b'>') => return Some(Ok((start, start + 5))),
            Some(c) if c.is_ascii_whitespace() => {
                return Some(match bytes[start..].iter().position(|&b| b == b'>') {
                    Some(g) => Ok((start, start + g + 1)),
                    None => Err(start),
                });
            }
            _ => at = start + 4,
        }
    }
}

/// The value of `id="..."` in a `<DOC ...>` tag.
fn id_attribute(tag: &str) -> Option<&str> {
    let at = tag.find("id=\"")? + 4;
    let end = tag[at..].find('"')?;
    Some(&tag[at..at + end])
}

enum State {
    Outside,
    Comment,
    /// Inside a document: the line it starts on and its `<DOC ...>` tag.
    Doc(usize, String),
}

/// Reads every document of one file, calling `sink` for each in file order. A malformed
/// document (no id, no `<DOCHDR>` in trecweb) reaches `sink` as an `Err`, so the caller can
/// stop or skip it; errors in the file's structure stop the reading.
pub fn read_file(
    path: &Path,
    layout: Layout,
    content: &Content,
    mut sink: impl FnMut(Result<Document>) -> Result<()>,
) -> Result<()> {
    let mut doc: Vec<u8> = Vec::new();
    let mut state = State::Outside;
    let lines = input::for_each_line(path, |lineno, line| {
        let mut rest: &[u8] = line;
        while !rest.is_empty() {
            match &state {
                State::Outside => {
                    let next_doc = find_doc_open(rest);
                    let next_comment = find(rest, COMMENT_OPEN);
                    let stop = match (&next_doc, next_comment) {
                        (Some(Ok((s, _)) | Err(s)), Some(c)) => (*s).min(c),
                        (Some(Ok((s, _)) | Err(s)), None) => *s,
                        (None, Some(c)) => c,
                        (None, None) => rest.len(),
                    };
                    if let Some(junk) = rest[..stop].iter().position(|b| !b.is_ascii_whitespace()) {
                        return Err(outside_text(path, lineno, &rest[junk..stop]));
                    }
                    if next_comment == Some(stop) {
                        state = State::Comment;
                        rest = &rest[stop + COMMENT_OPEN.len()..];
                        continue;
                    }
                    match next_doc {
                        Some(Ok((s, e))) => {
                            let tag = String::from_utf8_lossy(&rest[s..e]).into_owned();
                            state = State::Doc(lineno, tag);
                            doc.clear();
                            rest = &rest[e..];
                        }
                        Some(Err(_)) => {
                            return Err(Error::input(
                                Location::line(path, lineno),
                                "expected `<DOC ...>` to end with `>` on the same line",
                            ))
                        }
                        None => rest = &[],
                    }
                }
                State::Comment => match find(rest, COMMENT_CLOSE) {
                    Some(c) => {
                        state = State::Outside;
                        rest = &rest[c + COMMENT_CLOSE.len()..];
                    }
                    None => rest = &[],
                },
                State::Doc(start, tag) => {
                    let start = *start;
                    let close = find(rest, DOC_CLOSE);
                    let reopen = find_doc_open(rest).map(|r| match r {
                        Ok((s, _)) | Err(s) => s,
                    });
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
                            let location = Location::line(path, start);
                            sink(parse_document(&doc, tag, layout, content, location))?;
                            state = State::Outside;
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
        Ok(())
    })?;
    match state {
        State::Doc(start, _) => Err(Error::input(
            Location::line(path, start),
            "<DOC> has no </DOC> before the end of the file",
        )),
        State::Comment => Err(Error::input(
            Location::line(path, lines),
            "a <!-- comment has no --> before the end of the file",
        )),
        State::Outside => Ok(()),
    }
}

fn outside_text(path: &Path, lineno: usize, junk: &[u8]) -> Error {
    let shown: String = String::from_utf8_lossy(junk).chars().take(40).collect();
    Error::input(
        Location::line(path, lineno),
        format!(
            "expected <DOC> or a <!-- comment -->, found text outside any document: {:?}",
            shown.trim_end()
        ),
    )
}

/// Finds the first `<NAME>` or `<NAME attr...>` at or after `from` (case-sensitive), and its
/// `</NAME>`. Returns the inner text and the byte span of the whole element.
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

/// Parses the bytes between `<DOC ...>` and `</DOC>`.
fn parse_document(
    raw: &[u8],
    doc_tag: &str,
    layout: Layout,
    content: &Content,
    location: Location,
) -> Result<Document> {
    let (body, decoded_as_cp1252) = match std::str::from_utf8(raw) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), false),
        Err(_) => (std::borrow::Cow::Owned(decode_cp1252(raw)), true),
    };
    let body: &str = &body;
    let docno_element = element(body, "DOCNO", 0);
    let (docno, after_id, docno_span) = match (id_attribute(doc_tag), docno_element) {
        (Some(id), _) => (id.trim(), 0, None),
        (None, Some((inner, span))) => (inner.trim(), span.1, Some(span)),
        (None, None) => {
            return Err(Error::input(
                location,
                "expected <DOCNO>...</DOCNO> (or <DOC id=\"...\">) in this document",
            ));
        }
    };
    if docno.is_empty() || docno.contains(char::is_whitespace) {
        return Err(Error::input(
            location,
            format!("document id {docno:?} is empty or contains white space"),
        ));
    }
    let mut text = String::new();
    match layout {
        Layout::Trecweb => {
            let Some((_, hdr)) = element(body, "DOCHDR", after_id) else {
                return Err(Error::input(
                    location,
                    "expected <DOCHDR>...</DOCHDR> after the DOCNO (TREC Web documents have one)",
                ));
            };
            html_to_text(&body[hdr.1..], &mut text);
        }
        Layout::Trec => match content {
            Content::All => {
                let mut rest = String::with_capacity(body.len());
                match docno_span {
                    Some((s, e)) => {
                        rest.push_str(&body[..s]);
                        rest.push('\n');
                        rest.push_str(&body[e..]);
                    }
                    None => rest.push_str(body),
                }
                html_to_text(&rest, &mut text);
            }
            Content::Names(tags) => {
                let upper: Vec<String> = tags.iter().map(|t| t.to_ascii_uppercase()).collect();
                let kept = tag_lines(&body[after_id..], &upper, true);
                html_to_text(&kept, &mut text);
            }
            // `Auto` and `Flat` are JSONL choices that config validation rejects for TREC;
            // they read as the default.
            Content::AnseriniTags | Content::Auto | Content::Flat => {
                let kept = tag_lines(&body[after_id..], &ANSERINI_TAGS, false);
                html_to_text(&kept, &mut text);
            }
        },
    }
    Ok(Document {
        docno: docno.to_string(),
        text,
        location,
        decoded_as_cp1252,
    })
}

/// Anserini's line filter: the lines (trimmed) of the regions that start with a line
/// starting `<TAG>` and end with a line that starts or ends with `</TAG>`. `ignore_case`
/// matches the tags ignoring ASCII case (for user-chosen tags).
fn tag_lines<S: AsRef<str>>(text: &str, tags: &[S], ignore_case: bool) -> String {
    let starts = |line: &str, pat: &str| {
        line.len() >= pat.len()
            && line.is_char_boundary(pat.len())
            && if ignore_case {
                line[..pat.len()].eq_ignore_ascii_case(pat)
            } else {
                line.starts_with(pat)
            }
    };
    let ends = |line: &str, pat: &str| {
        line.len() >= pat.len()
            && line.is_char_boundary(line.len() - pat.len())
            && if ignore_case {
                line[line.len() - pat.len()..].eq_ignore_ascii_case(pat)
            } else {
                line.ends_with(pat)
            }
    };
    let open: Vec<String> = tags.iter().map(|t| format!("<{}>", t.as_ref())).collect();
    let close: Vec<String> = tags.iter().map(|t| format!("</{}>", t.as_ref())).collect();
    let mut kept = String::new();
    let mut in_tag: Option<usize> = None;
    for raw in text.split('\n') {
        let line = raw.trim();
        if line.starts_with('<') {
            match in_tag {
                Some(k) if starts(line, &close[k]) => {
                    kept.push_str(line);
                    kept.push('\n');
                    in_tag = None;
                    continue;
                }
                None => in_tag = open.iter().position(|o| starts(line, o)),
                _ => {}
            }
        }
        if let Some(k) = in_tag {
            kept.push_str(line);
            kept.push('\n');
            if ends(line, &close[k]) {
                in_tag = None;
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_layout(text: &[u8], layout: Layout, content: Content) -> Result<Vec<Document>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.trec");
        std::fs::write(&path, text).unwrap();
        let mut docs = Vec::new();
        read_file(&path, layout, &content, |d| {
            docs.push(d?);
            Ok(())
        })?;
        Ok(docs)
    }

    fn read(text: &[u8], content: Content) -> Result<Vec<Document>> {
        read_layout(text, Layout::Trec, content)
    }

    fn words(d: &Document) -> Vec<&str> {
        d.text.split_whitespace().collect()
    }

    const TWO_DOCS: &[u8] = b"<DOC>\n<DOCNO> D-1 </DOCNO>\n<DATE><P>May 1</P></DATE>\n<HEADLINE>\n<P>Big &amp; news</P>\n</HEADLINE>\n<BYLINE>Someone</BYLINE>\n<TEXT>\n<P>\nFirst.\n</P>\n<P>Second</P>\n</TEXT>\n</DOC>\n<DOC><DOCNO>D-2</DOCNO>\n<TEXT>one line</TEXT></DOC>\n";

    #[test]
    fn reads_many_docs_with_anserini_tags() {
        let docs = read(TWO_DOCS, Content::AnseriniTags).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].docno, "D-1");
        assert_eq!(
            words(&docs[0]),
            ["May", "1", "Big", "&", "news", "First.", "Second"]
        );
        assert_eq!(docs[1].text.trim(), "one line");
        assert_eq!(docs[1].location.line_number(), Some(15));
    }

    #[test]
    fn content_all_keeps_everything_but_the_docno() {
        let docs = read(TWO_DOCS, Content::All).unwrap();
        assert_eq!(
            words(&docs[0]),
            ["May", "1", "Big", "&", "news", "Someone", "First.", "Second"]
        );
    }

    #[test]
    fn content_can_list_tags_ignoring_case() {
        let docs = read(TWO_DOCS, Content::Names(vec!["byline".into()])).unwrap();
        assert_eq!(docs[0].text.trim(), "Someone");
        assert_eq!(docs[1].text.trim(), "");
    }

    /// The line rules of Anserini's TrecCollection, checked against Anserini 1.7.1.
    #[test]
    fn anserini_line_rules() {
        let case = |inner: &str| -> String {
            let doc = format!("<DOC>\n<DOCNO>X</DOCNO>\n{inner}\n</DOC>\n");
            let docs = read(doc.as_bytes(), Content::AnseriniTags).unwrap();
            words(&docs[0]).join(" ")
        };
        assert_eq!(case("<TEXT>\nt1\n</TEXT>\n<BYLINE>b1</BYLINE>"), "t1");
        assert_eq!(case("<TEXT>\nt1\n</TEXT>\nx <BYLINE>b1</BYLINE>"), "t1");
        assert_eq!(
            case("<TEXT>\nt1\n</TEXT>\n<text>lower</text>\n<BYLINE>b1</BYLINE>"),
            "t1"
        );
        assert_eq!(
            case("<TEXT>\nt1\n</TEXT>\nx <TEXT>mid</TEXT>\n<BYLINE>b1</BYLINE>"),
            "t1"
        );
        assert_eq!(case("<TEXT>\nt1\n   </TEXT>   \n<BYLINE>b1</BYLINE>"), "t1");
        assert_eq!(
            case("<TITLE>a title</TITLE><DATE>1 May</DATE>\n<BYLINE>b1</BYLINE>"),
            "a title 1 May b1"
        );
        assert_eq!(
            case("<HEADLINE>\nmulti\nline</HEADLINE>\n<TEXT>\na</TEXT> trailing\nafter text"),
            "multi line a trailing after text"
        );
        assert_eq!(
            case("<TEXT>\n&hyph; &blank; &amp &lt;p&gt;\n</TEXT>"),
            "&hyph; \u{2423} & <p>"
        );
    }

    #[test]
    fn ntcir_id_attribute_and_comments_between_documents() {
        let docs = read(
            b"<!-- NTCIR-8 variant\n below -->\n<DOC id=\"doc2\">\n<TEXT>\nhere is some text.\n</TEXT>\n</DOC>\n",
            Content::AnseriniTags,
        )
        .unwrap();
        assert_eq!(docs[0].docno, "doc2");
        assert_eq!(docs[0].text.trim(), "here is some text.");
    }

    #[test]
    fn trecweb_skips_the_header_and_reads_the_html() {
        let docs = read_layout(
            b"<DOC>\n<DOCNO> WEB-1 </DOCNO>\n<DOCHDR>http://x\nContent-type: text/html</DOCHDR>\n<html><title>T</title>Wh at <b>ev</b>er <br> asdf <div>\n</html>\n</DOC>\n",
            Layout::Trecweb,
            Content::All,
        )
        .unwrap();
        assert_eq!(docs[0].docno, "WEB-1");
        assert_eq!(words(&docs[0]), ["T", "Wh", "at", "ever", "asdf"]);
        let err = read_layout(
            b"<DOC>\n<DOCNO>W</DOCNO>\n<html>x</html>\n</DOC>\n",
            Layout::Trecweb,
            Content::All,
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("f.trec:1: expected <DOCHDR>"),
            "{err}"
        );
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
                .contains("f.trec:1: expected <DOCNO>...</DOCNO>"),
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
            b"<DOC><DOCNO>a</DOCNO>\n<TEXT>caf\xe9</TEXT></DOC>",
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

    #[test]
    fn a_huge_single_line_document_is_read() {
        // 50 MB on one line, mostly inline markup inside <TEXT>.
        let mut doc = b"<DOC><DOCNO>big</DOCNO>\n<TEXT>".to_vec();
        let unit = b"<b>w</b>ord &amp; <i>x</i> ";
        let mut units = 0;
        while doc.len() < 50 << 20 {
            doc.extend_from_slice(unit);
            units += 1;
        }
        doc.extend_from_slice(b"</TEXT></DOC>\n");
        let docs = read(&doc, Content::AnseriniTags).unwrap();
        assert_eq!(docs[0].text.matches("word & x").count(), units);
    }
}
