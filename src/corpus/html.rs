//! One document per HTML file, as Anserini's `HtmlCollection` reads it: from a folder of
//! files, or from the members of a `.tar` archive (plain or compressed), read directly
//! without unpacking.
//!
//! - The document id is the file (or member) name without its folders and its extension
//!   (`CACM-0001.html` → `CACM-0001`); for a compressed single file the compression
//!   extension goes first (`a.html.gz` → `a`).
//! - The text is the page text after tag stripping ([`html_to_text`]).
//! - A file is an archive when its (decompressed) bytes carry the tar header magic, whatever
//!   its name. Directories and links inside an archive are not documents; every regular
//!   member is, whatever its extension (as in Anserini). A member (or file) holding NUL bytes
//!   is not text: that is an error naming the archive, the member and the byte offset.
//! - A document that is not valid UTF-8 is decoded as Windows-1252 and flagged.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use super::text::{decode_cp1252, html_to_text};
use super::Document;
use crate::error::{Error, Location, Result};
use crate::input;

/// The largest single document read (1 GiB), so that a corrupt size field cannot ask for
/// unbounded memory.
const MAX_DOCUMENT_BYTES: u64 = 1 << 30;

/// Reads one file: a single HTML document, or every regular member of a tar archive.
pub fn read_file(path: &Path, mut sink: impl FnMut(Document) -> Result<()>) -> Result<()> {
    let mut reader = input::open(path)?;
    let mut head = Vec::with_capacity(512);
    (&mut reader)
        .take(512)
        .read_to_end(&mut head)
        .map_err(|e| input::read_error(path, 0, e))?;
    let is_tar = head.len() == 512 && &head[257..262] == b"ustar";
    let whole = Cursor::new(head).chain(reader);
    if is_tar {
        read_tar(path, whole, &mut sink)
    } else {
        let mut bytes = Vec::new();
        whole
            .take(MAX_DOCUMENT_BYTES)
            .read_to_end(&mut bytes)
            .map_err(|e| input::read_error(path, 0, e))?;
        let docid = docid_of(path);
        let location = Location::file(path);
        sink(document(docid, &bytes, location)?)
    }
}

fn read_tar(
    path: &Path,
    reader: impl Read,
    sink: &mut impl FnMut(Document) -> Result<()>,
) -> Result<()> {
    let mut archive = tar::Archive::new(reader);
    let entries = archive.entries().map_err(|e| tar_error(path, None, e))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| tar_error(path, None, e))?;
        let kind = entry.header().entry_type();
        let member = entry.path().map(|p| p.into_owned()).unwrap_or_else(|_| {
            PathBuf::from(String::from_utf8_lossy(&entry.path_bytes()).into_owned())
        });
        if !(kind.is_file() || kind == tar::EntryType::Continuous) {
            // Directories, links and tar metadata are not documents.
            continue;
        }
        let size = entry.size();
        if size > MAX_DOCUMENT_BYTES {
            return Err(Error::input(
                member_location(path, &member),
                format!("the member is {size} bytes; documents larger than 1 GiB are refused"),
            ));
        }
        let mut bytes = Vec::with_capacity(size as usize);
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| tar_error(path, Some(&member), e))?;
        let docid = docid_of(&member);
        sink(document(docid, &bytes, member_location(path, &member))?)?;
    }
    Ok(())
}

/// Where a member of an archive is, in messages: `archive.tar.gz(member.html)`.
fn member_location(archive: &Path, member: &Path) -> Location {
    let mut shown = archive.as_os_str().to_owned();
    shown.push(format!("({})", member.display()));
    Location::file(PathBuf::from(shown))
}

fn tar_error(path: &Path, member: Option<&Path>, e: std::io::Error) -> Error {
    let location = match member {
        Some(m) => member_location(path, m),
        None => Location::file(path),
    };
    Error::input(
        location,
        format!("not a readable tar archive ({e}); expected complete 512-byte tar records"),
    )
}

/// The file name without folders and without its extension (and without a compression
/// extension before that).
pub fn docid_of(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut stem = name.as_str();
    for ext in [".gz", ".bz2", ".zst"] {
        if let Some(s) = stem.strip_suffix(ext) {
            stem = s;
            break;
        }
    }
    match stem.rfind('.') {
        Some(dot) if dot > 0 => stem[..dot].to_string(),
        _ => stem.to_string(),
    }
}

fn document(docno: String, bytes: &[u8], location: Location) -> Result<Document> {
    if docno.is_empty() || docno.contains(char::is_whitespace) {
        return Err(Error::input(
            location,
            format!(
                "the document id {docno:?} (from the file name) is empty or contains white space"
            ),
        ));
    }
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::input(
            location,
            format!(
                "expected an HTML or text document, found binary data (a NUL byte at byte offset {nul})"
            ),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (body, decoded_as_cp1252) = match std::str::from_utf8(bytes) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), false),
        Err(_) => (std::borrow::Cow::Owned(decode_cp1252(bytes)), true),
    };
    let mut text = String::with_capacity(body.len());
    html_to_text(&body, &mut text);
    Ok(Document {
        docno,
        text,
        location,
        decoded_as_cp1252,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tar_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, data) in members {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder.append_data(&mut header, name, *data).unwrap();
        }
        builder.into_inner().unwrap()
    }

    fn read(path: &Path) -> Result<Vec<Document>> {
        let mut docs = Vec::new();
        read_file(path, |d| {
            docs.push(d);
            Ok(())
        })?;
        Ok(docs)
    }

    #[test]
    fn docids_drop_folders_and_extensions() {
        assert_eq!(docid_of(Path::new("a/b/CACM-0001.html")), "CACM-0001");
        assert_eq!(docid_of(Path::new("x.html.gz")), "x");
        assert_eq!(docid_of(Path::new("noext")), "noext");
        assert_eq!(docid_of(Path::new(".hidden")), ".hidden");
    }

    #[test]
    fn reads_a_single_file_and_a_gzipped_tar() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let one = dir.path().join("doc-7.html");
        std::fs::write(
            &one,
            "<html><pre>\nHello <b>wor</b>ld &amp; more\n</pre></html>",
        )
        .unwrap();
        let docs = read(&one).unwrap();
        assert_eq!(docs[0].docno, "doc-7");
        assert_eq!(
            docs[0].text.split_whitespace().collect::<Vec<_>>(),
            ["Hello", "world", "&", "more"]
        );

        let tar = tar_of(&[("d/A.html", b"<p>alpha</p>"), ("d/B.html", b"beta")]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&tar).unwrap();
        let archive = dir.path().join("pages.tgz");
        std::fs::write(&archive, gz.finish().unwrap()).unwrap();
        let docs = read(&archive).unwrap();
        let ids: Vec<&str> = docs.iter().map(|d| d.docno.as_str()).collect();
        assert_eq!(ids, ["A", "B"]);
        assert_eq!(docs[0].text.trim(), "alpha");
        assert!(docs[1]
            .location
            .to_string()
            .ends_with("pages.tgz(d/B.html)"));
    }

    #[test]
    fn a_binary_member_is_an_error_naming_archive_member_and_offset() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("pages.tar");
        std::fs::write(
            &archive,
            tar_of(&[("ok.html", b"fine"), ("img.png", b"\x89PNG\0\0")]),
        )
        .unwrap();
        let msg = read(&archive).unwrap_err().to_string();
        assert!(msg.contains("pages.tar(img.png)"), "{msg}");
        assert!(msg.contains("byte offset 4"), "{msg}");
    }

    #[test]
    fn a_text_member_with_another_extension_is_a_document() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("pages.tar");
        std::fs::write(&archive, tar_of(&[("README.txt", b"plain words")])).unwrap();
        let docs = read(&archive).unwrap();
        assert_eq!(docs[0].docno, "README");
        assert_eq!(docs[0].text, "plain words");
    }

    #[test]
    fn a_truncated_archive_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("cut.tar");
        let big = vec![b'x'; 5000];
        let tar = tar_of(&[("a.html", &big)]);
        std::fs::write(&archive, &tar[..2000]).unwrap();
        let msg = read(&archive).unwrap_err().to_string();
        assert!(msg.contains("cut.tar"), "{msg}");
    }
}
