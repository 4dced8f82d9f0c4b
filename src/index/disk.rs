//! The on-disk index: a folder of little-endian files, memory-mapped for reading.
//!
//! | file | content |
//! |---|---|
//! | `header.json` | format version, irexp version, analyzer and corpus settings, statistics, and the size and SHA-256 of every other file |
//! | `lexicon.fst` | an fst map from term to term id |
//! | `terms.bin` | per term: df (u32), max tf (u32), min document length (u32), cf (u64) |
//! | `term_texts.bin` | (T + 1) u64 offsets, then the terms' UTF-8 bytes |
//! | `postings.bin`, `postings_offsets.bin` | per term, blocks of 128 postings: the block's last docid (u32), its byte length (u32), then VByte (docid gap, tf) pairs; (T + 1) u64 offsets |
//! | `docnos.bin` | (N + 1) u64 offsets, then the docnos' UTF-8 bytes |
//! | `doc_lens.bin`, `norms.bin`, `docno_ranks.bin` | per document: exact length (u32), Lucene one-byte length, rank of the docno in byte order (u32) |
//! | `forward.bin`, `forward_offsets.bin` | per document: VByte (term id gap, tf) pairs; (N + 1) u64 offsets |
//!
//! A block's header gives its last document and its length in bytes, so a [`DiskCursor`] skips
//! blocks by their headers alone and decodes only the blocks it enters. The format stores no
//! per-block bounds (largest tf, shortest document): block-max pruning would need them added.
//!
//! An index is written into a temporary folder beside its final place and renamed into place
//! when complete, so a half-built index is never visible. Opening one checks the format version,
//! every file's size and checksum, and the structure of every file: offsets in order and within
//! their files, every postings block and forward vector well-formed (documents and term ids in
//! order and in range, counts as `terms.bin` and `doc_lens.bin` give them), the string tables and
//! the lexicon. A damaged or stale file is therefore an error at open naming it, never zeros or
//! wrong results, and nothing read afterwards can fail.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use memmap2::Mmap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{
    BlockBound, CollectionStats, DocId, InMemoryIndex, IndexReader, PostingCursor, TermId,
    TermInfo, BLOCK, END,
};
use crate::error::{Error, Location, Result};
use crate::manifest::hex;

/// The on-disk format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// The header file: format version, settings, statistics and every other file's checksum.
/// An index folder is complete when it has one.
pub const HEADER_FILE: &str = "header.json";

/// The bytes of one `terms.bin` record: df, max_tf and min_doc_len (u32 each), cf (u64).
pub(super) const TERM_RECORD_BYTES: usize = 20;

/// Size and checksum of one index file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSum {
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256, hex.
    pub sha256: String,
}

/// `header.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// The on-disk format version.
    pub format_version: u32,
    /// The irexp version that wrote it.
    pub irexp_version: String,
    /// What the index was built from and how (analyzer and corpus settings, input checksums):
    /// the cache key.
    pub settings: serde_json::Value,
    /// Collection statistics.
    pub stats: CollectionStats,
    /// What reading the corpus counted (documents per file, empty documents, ...).
    pub corpus: serde_json::Value,
    /// Every other file's size and checksum.
    pub files: BTreeMap<String, FileSum>,
}

impl Header {
    /// The header of an index written by this build.
    pub(super) fn new(
        settings: serde_json::Value,
        stats: CollectionStats,
        corpus: serde_json::Value,
        files: BTreeMap<String, FileSum>,
    ) -> Header {
        Header {
            format_version: FORMAT_VERSION,
            irexp_version: env!("CARGO_PKG_VERSION").to_string(),
            settings,
            stats,
            corpus,
            files,
        }
    }
}

/// Appends a term's `terms.bin` record.
pub(super) fn term_record(df: u32, max_tf: u32, min_doc_len: u32, cf: u64, out: &mut Vec<u8>) {
    out.extend(df.to_le_bytes());
    out.extend(max_tf.to_le_bytes());
    out.extend(min_doc_len.to_le_bytes());
    out.extend(cf.to_le_bytes());
}

pub(super) fn vbyte(mut v: u32, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Decodes one VByte integer at `*pos`; `None` on truncated or over-long input (more than five
/// bytes, or a fifth byte with more than the four bits a u32 has left).
#[inline]
pub(super) fn read_vbyte(bytes: &[u8], pos: &mut usize) -> Option<u32> {
    let b = *bytes.get(*pos)?;
    if b < 0x80 {
        *pos += 1;
        return Some(u32::from(b));
    }
    read_long_vbyte(bytes, pos)
}

fn read_long_vbyte(bytes: &[u8], pos: &mut usize) -> Option<u32> {
    let mut v: u32 = 0;
    for shift in [0, 7, 14, 21, 28] {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        let bits = u32::from(b & 0x7f);
        if shift == 28 && bits > 0x0f {
            return None;
        }
        v |= bits << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

pub(super) fn u64s(values: &[u64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

pub(super) fn u32s(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Offsets + concatenated UTF-8 strings.
pub(super) fn strings<'s>(items: impl Iterator<Item = &'s str>) -> Vec<u8> {
    let mut offsets = vec![0u64];
    let mut bytes = Vec::new();
    for s in items {
        bytes.extend_from_slice(s.as_bytes());
        offsets.push(bytes.len() as u64);
    }
    let mut out = Vec::with_capacity(offsets.len() * 8 + bytes.len());
    out.extend(u64s(&[offsets.len() as u64]));
    out.extend(u64s(&offsets));
    out.extend(bytes);
    out
}

/// A file being written, with its running size and SHA-256.
pub(super) struct Output {
    pub(super) path: PathBuf,
    file: BufWriter<fs::File>,
    sha: Sha256,
    pub(super) bytes: u64,
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Output")
            .field("path", &self.path)
            .field("bytes", &self.bytes)
            .finish()
    }
}

impl Output {
    pub(super) fn create(dir: &Path, name: &str) -> Result<Output> {
        let path = dir.join(name);
        let file = fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
        Ok(Output {
            path,
            file: BufWriter::with_capacity(1 << 20, file),
            sha: Sha256::new(),
            bytes: 0,
        })
    }

    pub(super) fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.sha.update(bytes);
        self.bytes += bytes.len() as u64;
        self.file
            .write_all(bytes)
            .map_err(|e| Error::io(&self.path, e))
    }

    /// Flushes and syncs the file.
    pub(super) fn finish(self) -> Result<FileSum> {
        let path = self.path;
        let file = self
            .file
            .into_inner()
            .map_err(|e| Error::io(&path, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&path, e))?;
        Ok(FileSum {
            bytes: self.bytes,
            sha256: hex(&self.sha.finalize()),
        })
    }

    /// Writes the file `dir/name` holding `bytes`, synced, and returns its sum.
    pub(super) fn write_all(dir: &Path, name: &str, bytes: &[u8]) -> Result<FileSum> {
        let mut out = Output::create(dir, name)?;
        out.write(bytes)?;
        out.finish()
    }
}

/// Writes `index` to the folder `dir`, atomically: into a temporary folder beside it, renamed
/// into place once every file is written and synced (see [`publish`] for an index already
/// there).
///
/// This is the simple, whole-index-in-memory way to write the format; the streaming
/// [`IndexWriter`](super::IndexWriter) must produce the same bytes (tested).
pub fn write(
    index: &InMemoryIndex,
    dir: &Path,
    settings: serde_json::Value,
    corpus: serde_json::Value,
) -> Result<()> {
    let tmp = temp_dir_beside(dir)?;
    let result = write_files(index, &tmp, settings, corpus).and_then(|()| publish(&tmp, dir));
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

/// Creates the temporary folder an index for `dir` is built in: `.NAME.PID-N.building` beside
/// it (N counts the builds of this process). Folders of that pattern left by builds whose
/// process is gone (killed, say) are removed first.
pub(crate) fn temp_dir_beside(dir: &Path) -> Result<PathBuf> {
    static BUILDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".into());
    let prefix = format!(".{name}.");
    if let Ok(entries) = fs::read_dir(parent) {
        for entry in entries.flatten() {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let Some(pid) = file_name
                .strip_prefix(&prefix)
                .and_then(|rest| rest.strip_suffix(".building"))
                .and_then(|rest| rest.split('-').next())
                .and_then(|pid| pid.parse::<u32>().ok())
            else {
                continue;
            };
            if pid != std::process::id() && !process_alive(pid) {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
    let n = BUILDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = parent.join(format!("{prefix}{}-{n}.building", std::process::id()));
    fs::create_dir(&tmp).map_err(|e| Error::io(&tmp, e))?;
    Ok(tmp)
}

/// Whether process `pid` is running; where this cannot be told, true (leave its folder).
pub(crate) fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// Renames the finished temporary folder `tmp` to `dir`. If another process published a
/// complete index at `dir` meanwhile (the same cache key, so the same content), that one is
/// kept and `tmp` is removed, so readers of it are never disturbed; anything else at `dir` is
/// replaced. (To rebuild on purpose, remove the old index first, as `--reindex` does.)
pub(super) fn publish(tmp: &Path, dir: &Path) -> Result<()> {
    if dir.join(HEADER_FILE).is_file() {
        fs::remove_dir_all(tmp).map_err(|e| Error::io(tmp, e))?;
        return Ok(());
    }
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    match fs::rename(tmp, dir) {
        Ok(()) => Ok(()),
        // Published by another process between the check and the rename.
        Err(_) if dir.join(HEADER_FILE).is_file() => {
            fs::remove_dir_all(tmp).map_err(|e| Error::io(tmp, e))
        }
        Err(e) => Err(Error::io(dir, e)),
    }
}

/// The fst lexicon of `terms` (text and id, any order).
pub(super) fn lexicon_fst<'t>(
    terms: impl Iterator<Item = (&'t str, u64)>,
    dir: &Path,
) -> Result<Vec<u8>> {
    let mut sorted: Vec<(&str, u64)> = terms.collect();
    sorted.sort_unstable();
    let path = dir.join("lexicon.fst");
    let mut fst = fst::MapBuilder::memory();
    for (term, id) in &sorted {
        fst.insert(term, *id)
            .map_err(|e| Error::io(&path, std::io::Error::other(e)))?;
    }
    fst.into_inner()
        .map_err(|e| Error::io(&path, std::io::Error::other(e)))
}

/// Writes `header.json` into `dir`, synced.
pub(super) fn write_header(dir: &Path, header: &Header) -> Result<()> {
    let path = dir.join(HEADER_FILE);
    let mut text = serde_json::to_string_pretty(header).map_err(|e| Error::io(&path, e.into()))?;
    text.push('\n');
    let mut f = fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| Error::io(&path, e))
}

fn write_files(
    index: &InMemoryIndex,
    dir: &Path,
    settings: serde_json::Value,
    corpus: serde_json::Value,
) -> Result<()> {
    let mut files: BTreeMap<String, FileSum> = BTreeMap::new();
    let mut put = |name: &str, bytes: Vec<u8>| -> Result<()> {
        files.insert(name.to_string(), Output::write_all(dir, name, &bytes)?);
        Ok(())
    };

    put(
        "lexicon.fst",
        lexicon_fst(
            index
                .terms
                .iter()
                .enumerate()
                .map(|(i, t)| (t.text.as_str(), i as u64)),
            dir,
        )?,
    )?;

    let mut terms = Vec::with_capacity(index.terms.len() * TERM_RECORD_BYTES);
    let mut postings = Vec::new();
    let mut offsets = vec![0u64];
    for t in &index.terms {
        term_record(
            t.docs.len() as u32,
            t.max_tf,
            t.min_doc_len,
            t.cf,
            &mut terms,
        );
        let mut prev = 0u32;
        for (chunk_docs, chunk_tfs) in t.docs.chunks(BLOCK).zip(t.tfs.chunks(BLOCK)) {
            let mut block = Vec::with_capacity(chunk_docs.len() * 3);
            for (&d, &tf) in chunk_docs.iter().zip(chunk_tfs) {
                vbyte(d - prev, &mut block);
                vbyte(tf, &mut block);
                prev = d;
            }
            postings.extend(chunk_docs[chunk_docs.len() - 1].to_le_bytes());
            postings.extend((block.len() as u32).to_le_bytes());
            postings.extend(block);
        }
        offsets.push(postings.len() as u64);
    }
    put("terms.bin", terms)?;
    put(
        "term_texts.bin",
        strings(index.terms.iter().map(|t| t.text.as_str())),
    )?;
    put("postings.bin", postings)?;
    put("postings_offsets.bin", u64s(&offsets))?;

    put(
        "docnos.bin",
        strings(index.docnos.iter().map(String::as_str)),
    )?;
    put("doc_lens.bin", u32s(&index.doc_lens))?;
    put("norms.bin", index.norms.clone())?;
    put("docno_ranks.bin", u32s(&index.docno_ranks))?;
    let mut forward = Vec::new();
    let mut forward_offsets = vec![0u64];
    for d in 0..index.docnos.len() {
        let mut prev = 0u32;
        for &(id, tf) in index.doc_terms(d as DocId).iter() {
            vbyte(id.0 - prev, &mut forward);
            vbyte(tf, &mut forward);
            prev = id.0;
        }
        forward_offsets.push(forward.len() as u64);
    }
    put("forward.bin", forward)?;
    put("forward_offsets.bin", u64s(&forward_offsets))?;

    write_header(dir, &Header::new(settings, index.stats, corpus, files))
}

/// A memory-mapped on-disk index.
///
/// [`open`](Self::open) checks every file's checksum and the structure of every file (offsets,
/// postings blocks, forward vectors, string tables, lexicon), so that reading it afterwards
/// cannot fail: a damaged index is an error at open naming the file, never zeros or wrong
/// results.
#[derive(Debug)]
pub struct DiskIndex {
    dir: PathBuf,
    header: Header,
    lexicon: fst::Map<Mmap>,
    terms: Mmap,
    term_texts: Strings,
    postings: Mmap,
    postings_offsets: Mmap,
    docnos: Strings,
    doc_lens: Mmap,
    norms: Mmap,
    docno_ranks: Mmap,
    forward: Mmap,
    forward_offsets: Mmap,
}

/// Offsets (memory-mapped) + the UTF-8 text, checked once at open and copied out, so that
/// looking a string up costs no validation.
#[derive(Debug)]
struct Strings {
    map: Mmap,
    text: String,
    count: usize,
}

impl Strings {
    fn open(map: Mmap, path: &Path) -> Result<Strings> {
        let bad = |what: String| damaged(path, what);
        let n = read_u64(&map, 0).ok_or_else(|| bad("shorter than its count".into()))?;
        let data_start = usize::try_from(n)
            .ok()
            .and_then(|n| n.checked_mul(8)?.checked_add(8))
            .filter(|&start| n > 0 && start <= map.len())
            .ok_or_else(|| bad(format!("its count of offsets ({n}) does not fit the file")))?;
        let n = n as usize;
        let text = std::str::from_utf8(&map[data_start..])
            .map_err(|e| bad(format!("the text is not UTF-8 ({e})")))?;
        let mut prev = 0u64;
        for i in 0..n {
            let at = u64_at(&map, 8 + i * 8);
            let fits = usize::try_from(at)
                .ok()
                .is_some_and(|at| at <= text.len() && text.is_char_boundary(at));
            if (i == 0 && at != 0) || at < prev || !fits {
                return Err(bad(format!(
                    "offset {i} ({at}) is out of order or outside the text"
                )));
            }
            prev = at;
        }
        if prev as usize != text.len() {
            return Err(bad(format!(
                "the offsets end at {prev}, the text at {}",
                text.len()
            )));
        }
        Ok(Strings {
            text: text.to_owned(),
            map,
            count: n - 1,
        })
    }

    fn get(&self, i: usize) -> &str {
        assert!(i < self.count, "string {i} of {}", self.count);
        let (a, b) = (u64_at(&self.map, 8 + i * 8), u64_at(&self.map, 16 + i * 8));
        &self.text[a as usize..b as usize]
    }
}

/// The error for a file whose structure is damaged.
fn damaged(path: &Path, what: impl std::fmt::Display) -> Error {
    Error::input(
        Location::file(path),
        format!("damaged index file: {what}; rebuild with `irexp index CONFIG --reindex`"),
    )
}

/// The little-endian u64 at `at`, or `None` past the end (for checks at open).
fn read_u64(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        bytes.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// The little-endian u64 at `at`, which was checked at open to be in bounds.
#[inline]
fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(b)
}

/// The little-endian u32 at `at`, which was checked at open to be in bounds.
#[inline]
fn u32_at(bytes: &[u8], at: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(b)
}

/// Decodes one VByte integer at `*pos` of input checked at open ([`read_vbyte`] accepted it,
/// and this gives the same value).
#[inline(always)]
fn vbyte_at(bytes: &[u8], pos: &mut usize) -> u32 {
    let b = bytes[*pos];
    *pos += 1;
    if b < 0x80 {
        return u32::from(b);
    }
    let mut v = u32::from(b & 0x7f);
    let mut shift = 7u32;
    loop {
        let b = bytes[*pos];
        *pos += 1;
        v |= u32::from(b & 0x7f).wrapping_shl(shift);
        if b < 0x80 {
            return v;
        }
        shift += 7;
    }
}

/// Reads `dir/header.json` without opening the rest.
pub fn read_header(dir: &Path) -> Result<Header> {
    let path = dir.join(HEADER_FILE);
    let text = fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let header: Header = serde_json::from_str(&text).map_err(|e| {
        Error::input(
            Location::line(&path, e.line()),
            format!("damaged index header: {e}"),
        )
    })?;
    if header.format_version != FORMAT_VERSION {
        return Err(Error::input(
            Location::file(&path),
            format!(
                "index format version {} is not the version this irexp reads ({FORMAT_VERSION}); rebuild it with `irexp index CONFIG --reindex`",
                header.format_version
            ),
        ));
    }
    Ok(header)
}

/// What went wrong while a file was read and checked at open.
enum Problem {
    Io(std::io::Error),
    Damaged(String),
}

impl From<std::io::Error> for Problem {
    fn from(e: std::io::Error) -> Problem {
        Problem::Io(e)
    }
}

/// A reader that hashes and counts every byte read through it.
struct Hashing<R> {
    inner: R,
    sha: Sha256,
    bytes: u64,
}

impl<R: std::io::Read> std::io::Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.sha.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

/// Opens `dir/name`, reads it once, passing its bytes to `check` (which reads as much as it
/// needs and returns what is wrong with them) while their size and SHA-256 are compared with
/// the header's, and maps it. The file is read, not checked through the map, so that checking
/// does not make every page of the index resident in this process. A size or checksum that
/// does not match is reported before anything `check` found.
fn open_file(
    dir: &Path,
    header: &Header,
    name: &str,
    check: impl FnOnce(&mut dyn std::io::Read) -> std::result::Result<(), Problem>,
) -> Result<Mmap> {
    let path = dir.join(name);
    let sum = header.files.get(name).ok_or_else(|| {
        Error::input(
            Location::file(dir.join(HEADER_FILE)),
            format!("the header lists no {name}"),
        )
    })?;
    let file = fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
    let mut reader = Hashing {
        inner: std::io::BufReader::with_capacity(1 << 20, &file),
        sha: Sha256::new(),
        bytes: 0,
    };
    let checked = check(&mut reader);
    std::io::copy(&mut reader, &mut std::io::sink()).map_err(|e| Error::io(&path, e))?;
    // Safety: the index is ours and read-only while open; a file changed underneath is caught
    // by the checksum only if it changed before the check.
    let map = unsafe { Mmap::map(&file) }.map_err(|e| Error::io(&path, e))?;
    if reader.bytes != sum.bytes
        || map.len() as u64 != sum.bytes
        || hex(&reader.sha.finalize()) != sum.sha256
    {
        return Err(Error::input(
            Location::file(&path),
            "damaged index file (its size or checksum does not match header.json); rebuild with `irexp index CONFIG --reindex`",
        ));
    }
    match checked {
        Ok(()) => Ok(map),
        Err(Problem::Io(e)) => Err(Error::io(&path, e)),
        Err(Problem::Damaged(what)) => Err(damaged(&path, what)),
    }
}

/// Checks that `map` (the file `name`) holds `want` bytes, as the header's statistics say.
fn check_size(dir: &Path, name: &str, map: &Mmap, want: Option<usize>, what: &str) -> Result<()> {
    if Some(map.len()) != want {
        return Err(damaged(
            &dir.join(name),
            format!(
                "it holds {} bytes, but {what} in header.json need {}",
                map.len(),
                want.map_or("more than fit in memory".to_string(), |w| w.to_string())
            ),
        ));
    }
    Ok(())
}

/// Checks an offsets file: `count + 1` u64 offsets, from 0, never decreasing, ending at
/// `end` (the size of the file they point into, `target`).
fn check_offsets(dir: &Path, name: &str, map: &Mmap, target: &str, end: u64) -> Result<()> {
    let mut prev = 0u64;
    for (i, at) in map.chunks_exact(8).map(|b| u64_at(b, 0)).enumerate() {
        if (i == 0 && at != 0) || at < prev || at > end {
            return Err(damaged(
                &dir.join(name),
                format!(
                    "offset {i} ({at}) is out of order or past the end of {target} ({end} bytes)"
                ),
            ));
        }
        prev = at;
    }
    if prev != end {
        return Err(damaged(
            &dir.join(name),
            format!("the offsets end at {prev}, but {target} holds {end} bytes"),
        ));
    }
    Ok(())
}

/// A term's record in `terms.bin`.
fn term_at(terms: &[u8], id: TermId) -> TermInfo {
    let at = id.0 as usize * TERM_RECORD_BYTES;
    TermInfo {
        id,
        df: u32_at(terms, at),
        max_tf: u32_at(terms, at + 4),
        min_doc_len: u32_at(terms, at + 8),
        cf: u64_at(terms, at + 12),
    }
}

/// What [`check_pairs`] decoded.
struct Pairs {
    count: usize,
    sum: u64,
    max: u32,
    last: u64,
}

/// Decodes `bytes` as VByte (id gap, frequency) pairs, the ids counted from `base`, and checks
/// that the ids are at least `min`, strictly ascending and below `limit`, and every frequency
/// at least 1. This runs over every posting of the index at open, so one flag collects the
/// checks and the loop stays short.
fn check_pairs(
    bytes: &[u8],
    base: u64,
    min: u64,
    limit: u32,
) -> std::result::Result<Pairs, &'static str> {
    let (mut pos, mut prev, mut min, mut bad) = (0usize, base, min, false);
    let (mut count, mut sum, mut max) = (0usize, 0u64, 0u32);
    while pos < bytes.len() {
        let (Some(gap), Some(tf)) = (read_vbyte(bytes, &mut pos), read_vbyte(bytes, &mut pos))
        else {
            return Err("malformed VByte");
        };
        let id = prev + u64::from(gap);
        bad |= (id < min) | (id >= u64::from(limit)) | (tf == 0);
        prev = id;
        min = id + 1;
        count += 1;
        sum += u64::from(tf);
        max = max.max(tf);
    }
    if bad {
        return Err("ids out of order or out of range, or a frequency of 0");
    }
    Ok(Pairs {
        count,
        sum,
        max,
        last: prev,
    })
}

/// Checks one term's postings (`bytes`): whole blocks of [`BLOCK`] postings (the last may be
/// shorter), each a header (its last document, its byte length) and exactly that many bytes
/// of VByte (gap, tf) pairs; documents strictly ascending and below `documents`; frequencies at
/// least 1; and the count, sum and largest frequency that `terms.bin` gives.
fn check_postings(
    bytes: &[u8],
    info: &TermInfo,
    documents: u32,
) -> std::result::Result<(), String> {
    let (mut pos, mut count, mut cf, mut max_tf) = (0usize, 0u64, 0u64, 0u32);
    let mut prev: Option<u64> = None;
    while pos < bytes.len() {
        if count % BLOCK as u64 != 0 {
            return Err(format!(
                "a block of {} postings is followed by another",
                count % BLOCK as u64
            ));
        }
        let (Some(last), Some(len)) = (
            bytes.get(pos..pos + 4).map(|b| u32_at(b, 0)),
            bytes.get(pos + 4..pos + 8).map(|b| u32_at(b, 0)),
        ) else {
            return Err(format!("a block header at byte {pos} is cut off"));
        };
        let start = pos + 8;
        let end = start
            .checked_add(len as usize)
            .filter(|&end| end <= bytes.len())
            .ok_or_else(|| format!("the block at byte {pos} ({len} bytes) runs past the list"))?;
        let (base, min) = prev.map_or((0, 0), |p| (p, p + 1));
        let block = check_pairs(&bytes[start..end], base, min, documents).map_err(|e| {
            format!("the block at byte {pos}: document {e} (of {documents} documents)")
        })?;
        if block.count == 0 || block.count > BLOCK || block.last != u64::from(last) {
            return Err(format!(
                "the block at byte {pos} says it ends at document {last}, but its {} postings end at {}",
                block.count, block.last
            ));
        }
        prev = Some(block.last);
        count += block.count as u64;
        cf += block.sum;
        max_tf = max_tf.max(block.max);
        pos = end;
    }
    if (count, cf, max_tf) != (u64::from(info.df), info.cf, info.max_tf) {
        return Err(format!(
            "{count} postings, {cf} occurrences, largest frequency {max_tf}, but terms.bin says {}, {}, {}",
            info.df, info.cf, info.max_tf
        ));
    }
    Ok(())
}

/// Checks one document's forward vector (`bytes`): VByte (term id gap, tf) pairs, term ids
/// strictly ascending and below `terms`, frequencies at least 1 and adding up to the
/// document's length `len`.
fn check_forward(bytes: &[u8], terms: u32, len: u32) -> std::result::Result<(), String> {
    let pairs =
        check_pairs(bytes, 0, 0, terms).map_err(|e| format!("term {e} (of {terms} terms)"))?;
    if pairs.sum != u64::from(len) {
        return Err(format!(
            "its frequencies add up to {}, but doc_lens.bin gives {len}",
            pairs.sum
        ));
    }
    Ok(())
}

/// Reads the consecutive ranges of `offsets` (an offsets file, checked) from `reader` and checks
/// each with `check(i, bytes)`; `what(i)` names item i in a message.
fn check_ranges(
    reader: &mut dyn std::io::Read,
    offsets: &[u8],
    mut check: impl FnMut(usize, &[u8]) -> std::result::Result<(), String>,
    what: impl Fn(usize) -> String,
) -> std::result::Result<(), Problem> {
    // Read about a MiB of whole ranges at a time (or one larger range).
    const CHUNK: u64 = 1 << 20;
    let offset = |i: usize| u64_at(offsets, i * 8);
    let count = offsets.len() / 8 - 1;
    let mut buf = Vec::new();
    let mut i = 0;
    while i < count {
        let start = offset(i);
        let mut j = i + 1;
        while j < count && offset(j + 1) - start <= CHUNK {
            j += 1;
        }
        buf.resize((offset(j) - start) as usize, 0);
        reader.read_exact(&mut buf)?;
        for k in i..j {
            let range = (offset(k) - start) as usize..(offset(k + 1) - start) as usize;
            check(k, &buf[range]).map_err(|e| Problem::Damaged(format!("{}: {e}", what(k))))?;
        }
        i = j;
    }
    Ok(())
}

impl DiskIndex {
    /// Opens the index in `dir`, checking its format version, every file's size and checksum,
    /// and the structure of every file.
    pub fn open(dir: &Path) -> Result<DiskIndex> {
        let header = read_header(dir)?;
        let stats = header.stats;
        let (n, t) = (stats.documents as usize, stats.terms as usize);
        let plain = |name: &str| open_file(dir, &header, name, |_| Ok(()));
        let size = |name: &str, map: &Mmap, want: Option<usize>, what: &str| {
            check_size(dir, name, map, want, what)
        };
        let docs = format!("{n} documents");
        let term_count = format!("{t} terms");

        let terms = plain("terms.bin")?;
        size(
            "terms.bin",
            &terms,
            t.checked_mul(TERM_RECORD_BYTES),
            &term_count,
        )?;
        let doc_lens = plain("doc_lens.bin")?;
        size("doc_lens.bin", &doc_lens, n.checked_mul(4), &docs)?;
        let norms = plain("norms.bin")?;
        size("norms.bin", &norms, Some(n), &docs)?;
        let docno_ranks = plain("docno_ranks.bin")?;
        size("docno_ranks.bin", &docno_ranks, n.checked_mul(4), &docs)?;
        let file_size = |name: &str| {
            header.files.get(name).map(|f| f.bytes).ok_or_else(|| {
                Error::input(
                    Location::file(dir.join(HEADER_FILE)),
                    format!("the header lists no {name}"),
                )
            })
        };
        let postings_offsets = plain("postings_offsets.bin")?;
        size(
            "postings_offsets.bin",
            &postings_offsets,
            t.checked_add(1).and_then(|x| x.checked_mul(8)),
            &term_count,
        )?;
        check_offsets(
            dir,
            "postings_offsets.bin",
            &postings_offsets,
            "postings.bin",
            file_size("postings.bin")?,
        )?;
        let forward_offsets = plain("forward_offsets.bin")?;
        size(
            "forward_offsets.bin",
            &forward_offsets,
            n.checked_add(1).and_then(|x| x.checked_mul(8)),
            &docs,
        )?;
        check_offsets(
            dir,
            "forward_offsets.bin",
            &forward_offsets,
            "forward.bin",
            file_size("forward.bin")?,
        )?;

        let term_texts = Strings::open(plain("term_texts.bin")?, &dir.join("term_texts.bin"))?;
        if term_texts.count != t {
            return Err(damaged(
                &dir.join("term_texts.bin"),
                format!("it holds {} terms, header.json {t}", term_texts.count),
            ));
        }
        let docnos = Strings::open(plain("docnos.bin")?, &dir.join("docnos.bin"))?;
        if docnos.count != n {
            return Err(damaged(
                &dir.join("docnos.bin"),
                format!("it holds {} docnos, header.json {n}", docnos.count),
            ));
        }
        let lexicon_path = dir.join("lexicon.fst");
        let lexicon = fst::Map::new(plain("lexicon.fst")?)
            .map_err(|e| damaged(&lexicon_path, format!("not an fst map ({e})")))?;
        check_lexicon(&lexicon, &term_texts, t).map_err(|e| damaged(&lexicon_path, e))?;

        // Read and checked one after the other: checking them on two threads took about 40% off
        // the time of opening, but left the engine measurably slower afterwards in a
        // single-threaded process (docs/PERFORMANCE.md).
        let postings = open_file(dir, &header, "postings.bin", |reader| {
            check_ranges(
                reader,
                &postings_offsets,
                |i, bytes| {
                    let info = term_at(&terms, TermId(i as u32));
                    check_postings(bytes, &info, stats.documents)
                },
                |i| {
                    format!(
                        "the postings of term {i} ({:?}, as postings_offsets.bin and terms.bin give them)",
                        term_texts.get(i)
                    )
                },
            )
        })?;
        let forward = open_file(dir, &header, "forward.bin", |reader| {
            check_ranges(
                reader,
                &forward_offsets,
                |d, bytes| check_forward(bytes, stats.terms, u32_at(&doc_lens, d * 4)),
                |d| {
                    format!(
                        "the vector of document {d} ({:?}, as forward_offsets.bin gives it)",
                        docnos.get(d)
                    )
                },
            )
        })?;
        Ok(DiskIndex {
            dir: dir.to_path_buf(),
            lexicon,
            terms,
            term_texts,
            postings,
            postings_offsets,
            docnos,
            doc_lens,
            norms,
            docno_ranks,
            forward,
            forward_offsets,
            header,
        })
    }

    /// The header (settings, statistics, file sums).
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Total size of the index files in bytes.
    pub fn size_on_disk(&self) -> u64 {
        self.header.files.values().map(|f| f.bytes).sum()
    }
}

/// Checks that the lexicon maps each of the `terms` texts of `term_texts` to its id.
fn check_lexicon(
    lexicon: &fst::Map<Mmap>,
    term_texts: &Strings,
    terms: usize,
) -> std::result::Result<(), String> {
    use fst::Streamer;
    if lexicon.len() != terms {
        return Err(format!(
            "it holds {} terms, header.json {terms}",
            lexicon.len()
        ));
    }
    let mut stream = lexicon.stream();
    while let Some((key, id)) = stream.next() {
        if usize::try_from(id)
            .ok()
            .filter(|&i| i < terms)
            .map(|i| term_texts.get(i).as_bytes())
            != Some(key)
        {
            return Err(format!(
                "it maps {:?} to term {id}, which term_texts.bin does not give that text",
                String::from_utf8_lossy(key)
            ));
        }
    }
    Ok(())
}

impl IndexReader for DiskIndex {
    type Cursor<'a> = DiskCursor<'a>;

    fn stats(&self) -> &CollectionStats {
        &self.header.stats
    }

    fn term(&self, term: &str) -> Option<TermInfo> {
        let id = self.lexicon.get(term)?;
        Some(term_at(&self.terms, TermId(id as u32)))
    }

    fn cursor(&self, term: TermId) -> DiskCursor<'_> {
        let t = term.0 as usize;
        let (start, end) = (
            u64_at(&self.postings_offsets, t * 8) as usize,
            u64_at(&self.postings_offsets, t * 8 + 8) as usize,
        );
        DiskCursor::new(&self.postings[start..end], term_at(&self.terms, term).df)
    }

    fn doc_len(&self, doc: DocId) -> u32 {
        u32_at(&self.doc_lens, doc as usize * 4)
    }

    fn norm(&self, doc: DocId) -> u8 {
        self.norms[doc as usize]
    }

    fn docno(&self, doc: DocId) -> &str {
        self.docnos.get(doc as usize)
    }

    fn docno_rank(&self, doc: DocId) -> u32 {
        u32_at(&self.docno_ranks, doc as usize * 4)
    }

    fn doc_terms(&self, doc: DocId) -> Cow<'_, [(TermId, u32)]> {
        let d = doc as usize;
        let (start, end) = (
            u64_at(&self.forward_offsets, d * 8) as usize,
            u64_at(&self.forward_offsets, d * 8 + 8) as usize,
        );
        let bytes = &self.forward[start..end];
        let mut out = Vec::new();
        let (mut pos, mut prev) = (0, 0u32);
        while pos < bytes.len() {
            prev += vbyte_at(bytes, &mut pos);
            out.push((TermId(prev), vbyte_at(bytes, &mut pos)));
        }
        Cow::Owned(out)
    }

    fn term_text(&self, term: TermId) -> &str {
        self.term_texts.get(term.0 as usize)
    }

    fn term_info(&self, term: TermId) -> TermInfo {
        term_at(&self.terms, term)
    }
}

/// A cursor over one term's postings in `postings.bin`. It decodes one block at a time, when
/// it enters the block; [`advance`](PostingCursor::advance) reads only the headers (last
/// document, byte length) of the blocks it skips.
#[derive(Clone)]
pub struct DiskCursor<'a> {
    /// The term's blocks (checked at open).
    data: &'a [u8],
    /// Where the block after the current one starts in `data`.
    next_block: usize,
    /// The current block's last document (the gap base of the next block).
    block_last: DocId,
    /// The current block, decoded: `docs[pos]` is the current document. Past the end, the
    /// block is the single posting ([`END`], 0).
    docs: [DocId; BLOCK],
    tfs: [u32; BLOCK],
    pos: usize,
    len: usize,
    df: u32,
}

impl std::fmt::Debug for DiskCursor<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiskCursor")
            .field("doc", &self.doc())
            .field("block_last", &self.block_last)
            .field("df", &self.df)
            .finish()
    }
}

impl<'a> DiskCursor<'a> {
    fn new(data: &'a [u8], df: u32) -> DiskCursor<'a> {
        let mut cursor = DiskCursor {
            data,
            next_block: 0,
            block_last: 0,
            docs: [END; BLOCK],
            tfs: [0; BLOCK],
            pos: 0,
            len: 1,
            df,
        };
        cursor.enter_next_block();
        cursor
    }

    /// Decodes the block at `next_block` and moves to its first posting, or to [`END`] if
    /// there is none.
    #[inline(never)]
    fn enter_next_block(&mut self) {
        if self.next_block >= self.data.len() {
            self.block_last = END;
            self.docs[0] = END;
            self.tfs[0] = 0;
            self.pos = 0;
            self.len = 1;
            return;
        }
        let (docs, tfs) = (&mut self.docs, &mut self.tfs);
        self.len = decode_block(
            self.data,
            &mut self.next_block,
            &mut self.block_last,
            |i, doc, tf| (docs[i], tfs[i]) = (doc, tf),
        );
        self.pos = 0;
    }
}

/// Decodes the block at `*next` of a term's blocks `data` (there is one; the previous block
/// ended at document `*last`), passing each posting to `put` with its index in the block; sets
/// `*next` to the block after it and `*last` to its last document, and returns its number of
/// postings.
#[inline(always)]
fn decode_block(
    data: &[u8],
    next: &mut usize,
    last: &mut DocId,
    mut put: impl FnMut(usize, DocId, u32),
) -> usize {
    let start = *next;
    let end = start + 8 + u32_at(data, start + 4) as usize;
    let bytes = &data[..end];
    let (mut pos, mut doc, mut i) = (start + 8, *last, 0);
    while pos < end {
        doc = doc.wrapping_add(vbyte_at(bytes, &mut pos));
        put(i, doc, vbyte_at(bytes, &mut pos));
        i += 1;
    }
    *last = u32_at(data, start);
    *next = end;
    i
}

impl PostingCursor for DiskCursor<'_> {
    #[inline]
    fn doc(&self) -> DocId {
        self.docs[self.pos]
    }

    #[inline]
    fn tf(&self) -> u32 {
        self.tfs[self.pos]
    }

    #[inline]
    fn next(&mut self) {
        self.pos += 1;
        if self.pos == self.len {
            if self.block_last == END {
                self.pos = 0;
            } else {
                self.enter_next_block();
            }
        }
    }

    fn advance(&mut self, target: DocId) {
        if self.docs[self.pos] >= target {
            return;
        }
        if self.block_last < target {
            // Skip the blocks that end before `target` by their headers alone.
            loop {
                let at = self.next_block;
                if at >= self.data.len() || u32_at(self.data, at) >= target {
                    break;
                }
                self.block_last = u32_at(self.data, at);
                self.next_block = at + 8 + u32_at(self.data, at + 4) as usize;
            }
            self.enter_next_block();
            if self.block_last == END {
                return;
            }
        }
        // The current block ends at `target` or after, so it holds the posting.
        self.pos += self.docs[self.pos..self.len].partition_point(|&d| d < target);
    }

    /// The rest of the current block, then every following block decoded straight into the
    /// vectors.
    fn read_remaining(&mut self, docs: &mut Vec<DocId>, tfs: &mut Vec<u32>) {
        if self.block_last == END {
            return;
        }
        docs.reserve(self.df as usize);
        tfs.reserve(self.df as usize);
        docs.extend_from_slice(&self.docs[self.pos..self.len]);
        tfs.extend_from_slice(&self.tfs[self.pos..self.len]);
        while self.next_block < self.data.len() {
            decode_block(
                self.data,
                &mut self.next_block,
                &mut self.block_last,
                |_, doc, tf| {
                    docs.push(doc);
                    tfs.push(tf);
                },
            );
        }
        self.enter_next_block();
    }

    fn block_last_doc(&self) -> DocId {
        self.block_last
    }

    fn block_bound(&self) -> Option<BlockBound> {
        None
    }

    fn len(&self) -> u32 {
        self.df
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analyzer;
    use crate::corpus::Document;
    use crate::index::IndexBuilder;
    use crate::rank::{bm25::Bm25, rank, Model, Query, Retrieval, TieBreak};

    fn sample() -> InMemoryIndex {
        let mut b = IndexBuilder::new(Analyzer::anserini());
        let texts = [
            "river flood defences raised after the flood",
            "rail strike ends",
            "",
            "café owners count flood damage; river levels fall",
            &"flood ".repeat(300),
        ];
        for (i, t) in texts.iter().enumerate() {
            b.add(Document {
                docno: format!("doc-{}", 10 - i),
                text: t.to_string(),
                location: Location::file("t"),
                decoded_as_cp1252: false,
            });
        }
        b.build()
    }

    fn written() -> (tempfile::TempDir, PathBuf, InMemoryIndex) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("idx");
        let mem = sample();
        write(
            &mem,
            &path,
            serde_json::json!({"analyzer": "anserini"}),
            serde_json::json!({}),
        )
        .unwrap();
        (dir, path, mem)
    }

    #[test]
    fn round_trip_equals_the_in_memory_index() {
        let (_dir, path, mem) = written();
        let disk = DiskIndex::open(&path).unwrap();
        assert_eq!(disk.stats(), mem.stats());
        for d in 0..mem.stats().documents {
            assert_eq!(disk.docno(d), mem.docno(d));
            assert_eq!(disk.doc_len(d), mem.doc_len(d));
            assert_eq!(disk.norm(d), mem.norm(d));
            assert_eq!(disk.docno_rank(d), mem.docno_rank(d));
            assert_eq!(disk.doc_terms(d), mem.doc_terms(d));
        }
        for t in 0..mem.stats().terms {
            let id = TermId(t);
            let text = mem.term_text(id);
            assert_eq!(disk.term_text(id), text);
            assert_eq!(disk.term(text), mem.term(text));
            assert_eq!(
                crate::index::postings(disk.cursor(id)),
                crate::index::postings(mem.cursor(id))
            );
        }
        assert!(disk.term("zebra").is_none());
        let q = Query::parse("flood river", &Analyzer::anserini(), &mem);
        let model = Model::Bm25(Bm25::default());
        assert_eq!(
            rank(
                &disk,
                &model,
                &q,
                10,
                TieBreak::DocnoDescending,
                Retrieval::Exhaustive
            ),
            rank(
                &mem,
                &model,
                &q,
                10,
                TieBreak::DocnoDescending,
                Retrieval::Exhaustive
            )
        );
    }

    #[test]
    fn a_flipped_byte_is_an_error_naming_the_file() {
        let (_dir, path, _) = written();
        let file = path.join("postings.bin");
        let mut bytes = fs::read(&file).unwrap();
        bytes[3] ^= 0x20;
        fs::write(&file, bytes).unwrap();
        let err = DiskIndex::open(&path).unwrap_err().to_string();
        assert!(
            err.contains("postings.bin") && err.contains("damaged"),
            "{err}"
        );
    }

    /// Writes `bytes` at `at` in `dir/name` and records the file's new size and checksum in
    /// the header, as if the damage had been there when the index was written.
    fn damage_and_reseal(dir: &Path, name: &str, at: usize, bytes: &[u8]) {
        let file = dir.join(name);
        let mut content = fs::read(&file).unwrap();
        content[at..at + bytes.len()].copy_from_slice(bytes);
        fs::write(&file, &content).unwrap();
        let mut header = read_header(dir).unwrap();
        header.files.insert(
            name.to_string(),
            FileSum {
                bytes: content.len() as u64,
                sha256: hex(&Sha256::digest(&content)),
            },
        );
        write_header(dir, &header).unwrap();
    }

    #[test]
    fn a_structurally_damaged_file_with_a_valid_checksum_is_refused_at_open() {
        let (first_block_len, term0_end) = {
            let (_dir, path, _) = written();
            (
                u32_at(&fs::read(path.join("postings.bin")).unwrap(), 4),
                u64_at(&fs::read(path.join("postings_offsets.bin")).unwrap(), 8),
            )
        };
        // (file, byte, new bytes, the file the error names, words it says)
        let cases: [(&str, usize, Vec<u8>, &str, &str); 8] = [
            // Term 0's postings end past the end of postings.bin.
            (
                "postings_offsets.bin",
                8,
                u64::MAX.to_le_bytes().to_vec(),
                "postings_offsets.bin",
                "out of order",
            ),
            // Term 0's postings end before they start.
            (
                "postings_offsets.bin",
                16,
                0u64.to_le_bytes().to_vec(),
                "postings_offsets.bin",
                "out of order",
            ),
            // Term 0's postings end one byte late: in bounds and in order, but not whole blocks.
            (
                "postings_offsets.bin",
                8,
                (term0_end + 1).to_le_bytes().to_vec(),
                "postings.bin",
                "term 0",
            ),
            // The first block says it is longer than it is.
            (
                "postings.bin",
                4,
                (first_block_len + 1).to_le_bytes().to_vec(),
                "postings.bin",
                "block",
            ),
            // The first block says it ends at another document.
            (
                "postings.bin",
                0,
                4000u32.to_le_bytes().to_vec(),
                "postings.bin",
                "ends at document 4000",
            ),
            // Term 0's record disagrees with its postings.
            (
                "terms.bin",
                0,
                77u32.to_le_bytes().to_vec(),
                "postings.bin",
                "terms.bin says 77",
            ),
            (
                "forward_offsets.bin",
                8,
                1_000_000u64.to_le_bytes().to_vec(),
                "forward_offsets.bin",
                "past the end of forward.bin",
            ),
            (
                "docnos.bin",
                16,
                1_000_000u64.to_le_bytes().to_vec(),
                "docnos.bin",
                "outside the text",
            ),
        ];
        for (file, at, bytes, named, says) in cases {
            let (_dir, path, _) = written();
            damage_and_reseal(&path, file, at, &bytes);
            let err = DiskIndex::open(&path).unwrap_err().to_string();
            assert!(
                err.contains(&*path.join(named).to_string_lossy())
                    && err.contains("damaged index file")
                    && err.contains(says),
                "{file} at {at}: {err}"
            );
        }
    }

    #[test]
    fn an_older_format_version_says_how_to_rebuild() {
        let (_dir, path, _) = written();
        let header = path.join(HEADER_FILE);
        let text = fs::read_to_string(&header)
            .unwrap()
            .replace("\"format_version\": 1", "\"format_version\": 0");
        fs::write(&header, text).unwrap();
        let err = DiskIndex::open(&path).unwrap_err().to_string();
        assert!(
            err.contains("format version 0") && err.contains("--reindex"),
            "{err}"
        );
    }

    #[test]
    fn a_deleted_file_is_an_error_naming_it() {
        let (_dir, path, _) = written();
        fs::remove_file(path.join("forward.bin")).unwrap();
        let err = DiskIndex::open(&path).unwrap_err().to_string();
        assert!(err.contains("forward.bin"), "{err}");
    }

    #[test]
    fn a_build_that_fails_leaves_nothing_visible() {
        let dir = tempfile::tempdir().unwrap();
        // The parent "folder" is a file, so the build fails before anything is renamed.
        fs::write(dir.path().join("blocked"), "").unwrap();
        let target = dir.path().join("blocked").join("idx");
        assert!(write(
            &sample(),
            &target,
            serde_json::json!({}),
            serde_json::json!({})
        )
        .is_err());
        assert!(!target.exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["blocked"]);
    }

    #[test]
    fn check_pairs_refuses_over_long_values_at_any_position() {
        // Six bytes with no payload past the fourth (the value fits a u32, the encoding does
        // not), a fifth byte with more than four bits, nine bytes without an end.
        let bad: [&[u8]; 3] = [
            &[0x81, 0x80, 0x80, 0x80, 0x80, 0x00],
            &[0x81, 0x80, 0x80, 0x80, 0x10],
            &[0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
        ];
        for value in bad {
            for (before, after) in [(0, 0), (0, 20), (7, 20), (3, 1)] {
                // `before` and `after` pairs of (1, 1) around it, the bad value as a gap.
                let mut bytes = [1u8, 1].repeat(before);
                bytes.extend_from_slice(value);
                bytes.push(1);
                bytes.extend([1u8, 1].repeat(after));
                assert!(check_pairs(&bytes, 0, 0, u32::MAX).is_err(), "{bytes:?}");
            }
        }
    }

    #[test]
    fn vbyte_round_trips_and_rejects_truncation() {
        let mut buf = Vec::new();
        for v in [0u32, 1, 127, 128, 300, u32::MAX] {
            vbyte(v, &mut buf);
        }
        let mut pos = 0;
        for v in [0u32, 1, 127, 128, 300, u32::MAX] {
            assert_eq!(read_vbyte(&buf, &mut pos), Some(v));
        }
        assert_eq!(read_vbyte(&[0x80, 0x80], &mut 0), None);
        assert_eq!(read_vbyte(&[0xff, 0xff, 0xff, 0xff, 0x1f], &mut 0), None);
    }
}
