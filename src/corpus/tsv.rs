//! `docid<TAB>text` lines, as MS MARCO's `collection.tsv` (Anserini's `TsvCollection`).
//!
//! The id is everything before the first tab; the text is the rest of the line (further tabs
//! are part of the text). Blank lines are allowed; a line without a tab is an error naming
//! the file and line. A line that is not valid UTF-8 is decoded as Windows-1252 and flagged.

use std::path::Path;

use super::text::decode_cp1252;
use super::Document;
use crate::error::{Error, Location, Result};
use crate::input;

/// Reads every document of one TSV file (plain or compressed), in file order.
pub fn read_file(path: &Path, mut sink: impl FnMut(Document) -> Result<()>) -> Result<()> {
    input::for_each_line(path, |lineno, bytes| {
        let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        sink(parse_line(bytes, Location::line(path, lineno))?)
    })?;
    Ok(())
}

/// Parses one line (without its line ending).
pub fn parse_line(bytes: &[u8], location: Location) -> Result<Document> {
    let (line, decoded_as_cp1252) = match std::str::from_utf8(bytes) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), false),
        Err(_) => (std::borrow::Cow::Owned(decode_cp1252(bytes)), true),
    };
    let Some((id, text)) = line.split_once('\t') else {
        return Err(Error::input(
            location,
            "expected `docid<TAB>text`, found no tab",
        ));
    };
    let id = id.trim();
    if id.is_empty() || id.contains(char::is_whitespace) {
        return Err(Error::input(
            location,
            format!("the document id {id:?} is empty or contains white space"),
        ));
    }
    Ok(Document {
        docno: id.to_string(),
        text: text.to_string(),
        location,
        decoded_as_cp1252,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_first_tab() {
        let d = parse_line(b"0\tThe presence\tof tabs", Location::line("c.tsv", 1)).unwrap();
        assert_eq!(
            (d.docno.as_str(), d.text.as_str()),
            ("0", "The presence\tof tabs")
        );
    }

    #[test]
    fn a_line_without_a_tab_names_the_line() {
        let msg = parse_line(b"no tab here", Location::line("c.tsv", 9))
            .unwrap_err()
            .to_string();
        assert!(
            msg.starts_with("c.tsv:9:") && msg.contains("no tab"),
            "{msg}"
        );
    }
}
