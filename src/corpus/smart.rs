//! The classic SMART layout of Cranfield, CISI, MED, CACM, NPL...: records that start with a
//! line `.I n`, then fields each introduced by a line `.X` (one capital letter: `.T` title,
//! `.A` authors, `.B` source, `.W` text, `.X` citations, `.K` keywords, `.N` ...).
//!
//! The document id is the value after `.I`. What is indexed ([`Content`]): `all` (the
//! default) joins every field but `.I` in file order; a list of letters (`["T", "W"]`) joins
//! only those fields. Text before the first `.I` is an error naming the line. A file that is
//! not valid UTF-8 is decoded as Windows-1252 as a whole, and every document in it is flagged.

use std::path::Path;

use super::text::decode_cp1252;
use super::{Content, Document};
use crate::error::{Error, Location, Result};
use crate::input;

/// One `.I` record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The value after `.I`.
    pub id: String,
    /// Where `.I` is.
    pub location: Location,
    /// Fields in file order: (letter, text).
    pub fields: Vec<(char, String)>,
}

impl Record {
    /// The text of every field named `letter`, joined by newlines; `None` when there is none.
    pub fn field(&self, letter: char) -> Option<String> {
        let parts: Vec<&str> = self
            .fields
            .iter()
            .filter(|(l, _)| *l == letter)
            .map(|(_, t)| t.as_str())
            .collect();
        (!parts.is_empty()).then(|| parts.join("\n"))
    }
}

/// A field marker line: `.` then one ASCII capital letter, then nothing but white space (or,
/// for `.I`, the id).
fn marker(line: &str) -> Option<(char, &str)> {
    let rest = line.strip_prefix('.')?;
    let mut chars = rest.chars();
    let letter = chars.next().filter(|c| c.is_ascii_uppercase())?;
    let after = chars.as_str();
    if after.is_empty() || after.starts_with(char::is_whitespace) {
        Some((letter, after.trim()))
    } else {
        None
    }
}

/// Splits SMART text into records.
pub fn records(text: &str, path: &Path) -> Result<Vec<Record>> {
    let mut out: Vec<Record> = Vec::new();
    for (i, line) in input::lines(text).enumerate() {
        let lineno = i + 1;
        match marker(line) {
            Some(('I', id)) => {
                if id.is_empty() || id.contains(char::is_whitespace) {
                    return Err(Error::input(
                        Location::line(path, lineno),
                        format!("expected `.I id`, found {line:?}"),
                    ));
                }
                out.push(Record {
                    id: id.to_string(),
                    location: Location::line(path, lineno),
                    fields: Vec::new(),
                });
            }
            Some((letter, rest)) => {
                let Some(record) = out.last_mut() else {
                    return Err(Error::input(
                        Location::line(path, lineno),
                        format!("expected `.I id` before the first field, found {line:?}"),
                    ));
                };
                record.fields.push((letter, rest.to_string()));
            }
            None => {
                let Some(record) = out.last_mut() else {
                    if line.trim().is_empty() {
                        continue;
                    }
                    return Err(Error::input(
                        Location::line(path, lineno),
                        "expected `.I id`, found text before the first record",
                    ));
                };
                match record.fields.last_mut() {
                    Some((_, t)) => {
                        if !t.is_empty() {
                            t.push('\n');
                        }
                        t.push_str(line);
                    }
                    None if line.trim().is_empty() => {}
                    None => {
                        return Err(Error::input(
                            Location::line(path, lineno),
                            "expected a field marker such as .T or .W after .I",
                        ))
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Reads every record of one SMART file as a document.
pub fn read_file(
    path: &Path,
    content: &Content,
    mut sink: impl FnMut(Document) -> Result<()>,
) -> Result<()> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut input::open(path)?, &mut bytes)
        .map_err(|e| input::read_error(path, 0, e))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let (text, cp1252) = match std::str::from_utf8(bytes) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), false),
        Err(_) => (std::borrow::Cow::Owned(decode_cp1252(bytes)), true),
    };
    for record in records(&text, path)? {
        let parts: Vec<&str> = record
            .fields
            .iter()
            .filter(|(letter, _)| match content {
                Content::Names(names) => names
                    .iter()
                    .any(|n| n.eq_ignore_ascii_case(&letter.to_string())),
                _ => true,
            })
            .map(|(_, t)| t.as_str())
            .collect();
        sink(Document {
            docno: record.id,
            text: parts.join("\n"),
            location: record.location,
            decoded_as_cp1252: cp1252,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CRAN: &str = ".I 1\n.T\nexperimental investigation\nof the aerodynamics\n.A\nbrenckman,m.\n.B\nj. ae. scs. 25, 1958, 324.\n.W\nexperimental investigation of the\naerodynamics of a wing.\n.I 2\n.T\nsimple shear flow\n.W\nshear\n";

    #[test]
    fn records_and_fields() {
        let r = records(CRAN, Path::new("cran")).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].id, "1");
        assert_eq!(
            r[0].field('T').unwrap(),
            "experimental investigation\nof the aerodynamics"
        );
        assert_eq!(r[1].field('W').unwrap(), "shear");
        assert_eq!(r[1].field('A'), None);
        assert_eq!(r[1].location.line_number(), Some(12));
    }

    #[test]
    fn text_before_the_first_record_is_an_error() {
        let msg = records("hello\n.I 1\n", Path::new("q"))
            .unwrap_err()
            .to_string();
        assert!(msg.starts_with("q:1:") && msg.contains(".I"), "{msg}");
    }
}
