//! Opening input files: transparent gzip, a UTF-8 byte-order mark ignored, CRLF accepted.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use crate::error::{Error, Location, Result};

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Opens `path` for buffered reading, decompressing gzip when the file starts with the gzip
/// magic bytes (whatever its name).
pub fn open(path: &Path) -> Result<Box<dyn BufRead + Send>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let head = reader.fill_buf().map_err(|e| Error::io(path, e))?;
    if head.starts_with(&GZIP_MAGIC) {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            MultiGzDecoder::new(reader),
        )))
    } else {
        Ok(Box::new(reader))
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
        .map_err(|e| Error::io(path, e))?;
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
