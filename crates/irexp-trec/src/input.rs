//! Opening input files: gzip, bzip2 and zstd detected from the first bytes (whatever the file
//! is called), a UTF-8 byte-order mark ignored, CRLF accepted. Unix `compress` (`.Z`) files
//! are recognised and refused with a message that says how to convert them.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use crate::error::{Error, Location, Result};

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const BZIP2_MAGIC: [u8; 3] = *b"BZh";
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];
const COMPRESS_MAGIC: [u8; 2] = [0x1f, 0x9d];

/// How a file is compressed, as told by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip (also several concatenated members, and BGZF).
    Gzip,
    /// bzip2.
    Bzip2,
    /// Zstandard.
    Zstd,
}

impl Compression {
    /// Recognises the compression from the first bytes of a file.
    pub fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&GZIP_MAGIC) {
            Compression::Gzip
        } else if head.starts_with(&BZIP2_MAGIC)
            && head.get(3).is_some_and(|b| (b'1'..=b'9').contains(b))
        {
            Compression::Bzip2
        } else if head.starts_with(&ZSTD_MAGIC) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }
}

/// Opens `path` for buffered reading, decompressing gzip, bzip2 or zstd when the file starts
/// with their magic bytes (whatever its name). A Unix `compress` file is an error that says
/// how to convert it.
pub fn open(path: &Path) -> Result<Box<dyn BufRead + Send>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let head = reader.fill_buf().map_err(|e| Error::io(path, e))?;
    if head.starts_with(&COMPRESS_MAGIC) {
        return Err(Error::input(
            Location::file(path),
            "this is a Unix compress (.Z) file, which irexp does not read; convert it with \
             `uncompress -c FILE | gzip > FILE.gz` (or `gzip -dc FILE | gzip > FILE.gz`)",
        ));
    }
    let compression = Compression::sniff(head);
    Ok(match compression {
        Compression::None => Box::new(reader),
        Compression::Gzip => Box::new(BufReader::with_capacity(
            1 << 16,
            MultiGzDecoder::new(reader),
        )),
        #[cfg(feature = "bzip2")]
        Compression::Bzip2 => Box::new(BufReader::with_capacity(
            1 << 16,
            bzip2::bufread::MultiBzDecoder::new(reader),
        )),
        #[cfg(feature = "zstd")]
        Compression::Zstd => {
            let decoder = ruzstd::decoding::StreamingDecoder::new(reader).map_err(|e| {
                Error::input(
                    Location::file(path),
                    format!("the zstd header is not valid: {e}"),
                )
            })?;
            Box::new(BufReader::with_capacity(1 << 16, decoder))
        }
        #[allow(unreachable_patterns)]
        other => {
            return Err(Error::input(
                Location::file(path),
                format!(
                    "this file is {other:?}-compressed, and this build of irexp-trec was made without that feature; decompress it first"
                ),
            ))
        }
    })
}

/// Calls `f(line number, bytes)` for every line of `path` (plain or compressed), in order: the
/// bytes include the line's `\n`, and a UTF-8 byte-order mark is dropped from line 1. Read
/// errors name the file and line. Returns the number of lines.
pub fn for_each_line(path: &Path, mut f: impl FnMut(usize, &[u8]) -> Result<()>) -> Result<usize> {
    let mut reader = open(path)?;
    let mut line = Vec::new();
    let mut lineno = 0usize;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| read_error(path, lineno + 1, e))?;
        if n == 0 {
            return Ok(lineno);
        }
        lineno += 1;
        let mut bytes: &[u8] = &line;
        if lineno == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        f(lineno, bytes)?;
    }
}

/// Turns a read error met at `line` (1-based, 0 when unknown) into an error that names the
/// place. Errors from a decompressor (corrupt or truncated data) are input errors.
pub fn read_error(path: &Path, line: usize, e: std::io::Error) -> Error {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::UnexpectedEof
        | ErrorKind::InvalidData
        | ErrorKind::InvalidInput
        | ErrorKind::Other => {
            let location = if line > 0 {
                Location::line(path, line)
            } else {
                Location::file(path)
            };
            Error::input(
                location,
                format!(
                    "the compressed data is corrupt or truncated ({e}); expected a complete \
                     gzip, bzip2 or zstd stream"
                ),
            )
        }
        _ => Error::io(path, e),
    }
}

/// Reads a whole (possibly gzipped) UTF-8 text file. A leading byte-order mark is dropped.
/// Invalid UTF-8 is an error naming the line it is on.
pub fn read_to_string(path: &Path) -> Result<String> {
    // The file size is the right capacity for plain files (a hint for gzip ones).
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    open(path)?
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(path, bytes.iter().filter(|&&b| b == b'\n').count() + 1, e))?;
    decode_utf8(bytes, path)
}

/// Turns bytes into a `String`, dropping a UTF-8 BOM; `path` names the file in errors.
pub fn decode_utf8(mut bytes: Vec<u8>, path: &Path) -> Result<String> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..valid]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        Error::input(Location::line(path, line), "the file is not valid UTF-8")
    })
}

/// The lines of `text` without their `\n` or `\r\n` endings. A final line ending does not
/// produce an extra empty line.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn gzip_is_detected_from_the_bytes_not_the_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plain-name.txt");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(b"hello\n").unwrap();
        std::fs::write(&path, enc.finish().unwrap()).unwrap();
        assert_eq!(read_to_string(&path).unwrap(), "hello\n");
    }

    #[test]
    #[cfg(all(feature = "bzip2", feature = "zstd"))]
    fn bzip2_and_zstd_are_detected_from_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let bz = dir.path().join("a.txt");
        let mut enc = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
        enc.write_all(b"hello bz\n").unwrap();
        std::fs::write(&bz, enc.finish().unwrap()).unwrap();
        assert_eq!(read_to_string(&bz).unwrap(), "hello bz\n");
        // A zstd frame made by `printf 'hello zstd\n' | zstd -c`.
        let zst = dir.path().join("b");
        std::fs::write(&zst, ZSTD_HELLO).unwrap();
        assert_eq!(read_to_string(&zst).unwrap(), "hello zstd\n");
    }

    const ZSTD_HELLO: &[u8] = &[
        0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x58, 0x59, 0x00, 0x00, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x20,
        0x7a, 0x73, 0x74, 0x64, 0x0a, 0x6c, 0x57, 0xf9, 0x51,
    ];

    #[test]
    fn unix_compress_is_refused_with_a_way_out() {
        let dir = tempfile::tempdir().unwrap();
        let z = dir.path().join("old.Z");
        std::fs::write(&z, [0x1f, 0x9d, 0x90, 0x41]).unwrap();
        let msg = read_to_string(&z).unwrap_err().to_string();
        assert!(msg.contains("old.Z") && msg.contains("gzip"), "{msg}");
    }

    #[test]
    fn truncated_gzip_is_an_input_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cut.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        for i in 0..2000 {
            writeln!(enc, "line {i} with some words").unwrap();
        }
        let bytes = enc.finish().unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let err = read_to_string(&path).unwrap_err();
        assert!(err.is_user_error());
        let msg = err.to_string();
        assert!(
            msg.contains("cut.gz:") && msg.contains("truncated"),
            "{msg}"
        );
    }

    #[test]
    fn bom_is_dropped_and_crlf_lines_are_split() {
        let text = decode_utf8(b"\xEF\xBB\xBFa\r\nb\n".to_vec(), Path::new("x")).unwrap();
        assert_eq!(lines(&text).collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let err = decode_utf8(b"ok\nbad \xff\n".to_vec(), Path::new("f")).unwrap_err();
        assert!(err.to_string().starts_with("f:2:"), "{err}");
    }
}
