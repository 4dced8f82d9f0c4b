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
//! An index is written into a temporary folder beside its final place and renamed into place
//! when complete, so a half-built index is never visible. Opening one checks the format version
//! and every file's size and checksum, so a damaged or stale file is an error naming it, never
//! wrong results.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use memmap2::Mmap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{CollectionStats, DocId, InMemoryIndex, IndexReader, Postings, TermId, TermInfo};
use crate::error::{Error, Location, Result};

/// The on-disk format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// Postings per compressed block.
pub(super) const BLOCK: usize = 128;

const FILES: [&str; 12] = [
    "lexicon.fst",
    "terms.bin",
    "term_texts.bin",
    "postings.bin",
    "postings_offsets.bin",
    "docnos.bin",
    "doc_lens.bin",
    "norms.bin",
    "docno_ranks.bin",
    "forward.bin",
    "forward_offsets.bin",
    "header.json",
];

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

/// Decodes one VByte integer at `*pos`; `None` on truncated or over-long input.
pub(super) fn read_vbyte(bytes: &[u8], pos: &mut usize) -> Option<u32> {
    let mut v: u32 = 0;
    for shift in (0..35).step_by(7) {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        v |= ((b & 0x7f) as u32).checked_shl(shift)?;
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

/// Lowercase hex of `bytes`.
pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
pub(super) fn temp_dir_beside(dir: &Path) -> Result<PathBuf> {
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
    if dir.join("header.json").is_file() {
        fs::remove_dir_all(tmp).map_err(|e| Error::io(tmp, e))?;
        return Ok(());
    }
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    match fs::rename(tmp, dir) {
        Ok(()) => Ok(()),
        // Published by another process between the check and the rename.
        Err(_) if dir.join("header.json").is_file() => {
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
    let path = dir.join("header.json");
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

    let mut terms = Vec::with_capacity(index.terms.len() * 20);
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
        let bad =
            |what: &str| Error::input(Location::file(path), format!("damaged index file: {what}"));
        let n = u64_at(&map, 0).ok_or_else(|| bad("too short"))? as usize;
        let data_start = 8 + n.checked_mul(8).ok_or_else(|| bad("bad count"))?;
        if n == 0 || data_start > map.len() {
            return Err(bad("bad count"));
        }
        let end = u64_at(&map, 8 + (n - 1) * 8).ok_or_else(|| bad("too short"))? as usize;
        let text = match std::str::from_utf8(&map[data_start..]) {
            Ok(text) if data_start + end == map.len() => text.to_owned(),
            _ => return Err(bad("offsets do not match the text")),
        };
        Ok(Strings {
            map,
            text,
            count: n - 1,
        })
    }

    fn get(&self, i: usize) -> &str {
        let (a, b) = (
            u64_at(&self.map, 8 + i * 8).unwrap_or(0) as usize,
            u64_at(&self.map, 16 + i * 8).unwrap_or(0) as usize,
        );
        self.text.get(a..b).unwrap_or("")
    }
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// Reads `dir/header.json` without opening the rest.
pub fn read_header(dir: &Path) -> Result<Header> {
    let path = dir.join("header.json");
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

impl DiskIndex {
    /// Opens the index in `dir`, checking its format version and every file's size and
    /// checksum.
    pub fn open(dir: &Path) -> Result<DiskIndex> {
        let header = read_header(dir)?;
        let mut maps: BTreeMap<&str, Mmap> = BTreeMap::new();
        for name in FILES.iter().filter(|n| **n != "header.json") {
            let path = dir.join(name);
            let sum = header.files.get(*name).ok_or_else(|| {
                Error::input(
                    Location::file(dir.join("header.json")),
                    format!("the header lists no {name}"),
                )
            })?;
            let mut file = fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
            // The checksum is taken by reading the file, not through the map, so that checking
            // does not make every page of the index resident in this process.
            let mut hasher = Sha256::new();
            let bytes = std::io::copy(&mut file, &mut hasher).map_err(|e| Error::io(&path, e))?;
            // Safety: the index is ours and read-only while open; a file changed underneath
            // is caught by the checksum only if it changed before the check.
            let map = unsafe { Mmap::map(&file) }.map_err(|e| Error::io(&path, e))?;
            if bytes != sum.bytes
                || map.len() as u64 != sum.bytes
                || hex(&hasher.finalize()) != sum.sha256
            {
                return Err(Error::input(
                    Location::file(&path),
                    "damaged index file (its size or checksum does not match header.json); rebuild with `irexp index CONFIG --reindex`",
                ));
            }
            maps.insert(name, map);
        }
        let mut take = |name: &str| maps.remove(name).expect("every file was mapped above");
        let lexicon_path = dir.join("lexicon.fst");
        let lexicon = fst::Map::new(take("lexicon.fst")).map_err(|e| {
            Error::input(
                Location::file(&lexicon_path),
                format!("damaged lexicon: {e}"),
            )
        })?;
        let term_texts = Strings::open(take("term_texts.bin"), &dir.join("term_texts.bin"))?;
        let docnos = Strings::open(take("docnos.bin"), &dir.join("docnos.bin"))?;
        let index = DiskIndex {
            dir: dir.to_path_buf(),
            lexicon,
            terms: take("terms.bin"),
            term_texts,
            postings: take("postings.bin"),
            postings_offsets: take("postings_offsets.bin"),
            docnos,
            doc_lens: take("doc_lens.bin"),
            norms: take("norms.bin"),
            docno_ranks: take("docno_ranks.bin"),
            forward: take("forward.bin"),
            forward_offsets: take("forward_offsets.bin"),
            header,
        };
        let (n, t) = (
            index.header.stats.documents as usize,
            index.header.stats.terms as usize,
        );
        let consistent = index.docnos.count == n
            && index.doc_lens.len() == n * 4
            && index.norms.len() == n
            && index.docno_ranks.len() == n * 4
            && index.forward_offsets.len() == (n + 1) * 8
            && index.term_texts.count == t
            && index.terms.len() == t * 20
            && index.postings_offsets.len() == (t + 1) * 8
            && index.lexicon.len() == t;
        if !consistent {
            return Err(Error::input(
                Location::file(dir),
                "index files disagree with the header's statistics",
            ));
        }
        Ok(index)
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

    fn term_record(&self, id: TermId) -> TermInfo {
        let at = id.0 as usize * 20;
        TermInfo {
            id,
            df: u32_at(&self.terms, at).unwrap_or(0),
            max_tf: u32_at(&self.terms, at + 4).unwrap_or(0),
            min_doc_len: u32_at(&self.terms, at + 8).unwrap_or(0),
            cf: u64_at(&self.terms, at + 12).unwrap_or(0),
        }
    }
}

impl IndexReader for DiskIndex {
    fn stats(&self) -> &CollectionStats {
        &self.header.stats
    }

    fn term(&self, term: &str) -> Option<TermInfo> {
        let id = self.lexicon.get(term)?;
        Some(self.term_record(TermId(id as u32)))
    }

    fn postings(&self, term: TermId) -> Postings<'_> {
        let t = term.0 as usize;
        let (start, end) = (
            u64_at(&self.postings_offsets, t * 8).unwrap_or(0) as usize,
            u64_at(&self.postings_offsets, t * 8 + 8).unwrap_or(0) as usize,
        );
        let bytes = self.postings.get(start..end).unwrap_or(&[]);
        let df = self.term_record(term).df as usize;
        let (mut docs, mut tfs) = (Vec::with_capacity(df), Vec::with_capacity(df));
        let mut pos = 0;
        let mut prev = 0u32;
        while pos + 8 <= bytes.len() {
            let len = u32_at(bytes, pos + 4).unwrap_or(0) as usize;
            pos += 8;
            let block_end = (pos + len).min(bytes.len());
            while pos < block_end {
                let (Some(gap), Some(tf)) =
                    (read_vbyte(bytes, &mut pos), read_vbyte(bytes, &mut pos))
                else {
                    break;
                };
                prev += gap;
                docs.push(prev);
                tfs.push(tf);
            }
            pos = block_end;
        }
        Postings {
            docs: Cow::Owned(docs),
            tfs: Cow::Owned(tfs),
        }
    }

    fn doc_len(&self, doc: DocId) -> u32 {
        u32_at(&self.doc_lens, doc as usize * 4).unwrap_or(0)
    }

    fn norm(&self, doc: DocId) -> u8 {
        self.norms.get(doc as usize).copied().unwrap_or(0)
    }

    fn docno(&self, doc: DocId) -> &str {
        self.docnos.get(doc as usize)
    }

    fn docno_rank(&self, doc: DocId) -> u32 {
        u32_at(&self.docno_ranks, doc as usize * 4).unwrap_or(0)
    }

    fn doc_terms(&self, doc: DocId) -> Cow<'_, [(TermId, u32)]> {
        let d = doc as usize;
        let (start, end) = (
            u64_at(&self.forward_offsets, d * 8).unwrap_or(0) as usize,
            u64_at(&self.forward_offsets, d * 8 + 8).unwrap_or(0) as usize,
        );
        let bytes = self.forward.get(start..end).unwrap_or(&[]);
        let mut out = Vec::new();
        let (mut pos, mut prev) = (0, 0u32);
        while pos < bytes.len() {
            let (Some(gap), Some(tf)) = (read_vbyte(bytes, &mut pos), read_vbyte(bytes, &mut pos))
            else {
                break;
            };
            prev += gap;
            out.push((TermId(prev), tf));
        }
        Cow::Owned(out)
    }

    fn term_text(&self, term: TermId) -> &str {
        self.term_texts.get(term.0 as usize)
    }

    fn term_info(&self, term: TermId) -> TermInfo {
        self.term_record(term)
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
            assert_eq!(disk.postings(id).docs, mem.postings(id).docs);
            assert_eq!(disk.postings(id).tfs, mem.postings(id).tfs);
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

    #[test]
    fn an_older_format_version_says_how_to_rebuild() {
        let (_dir, path, _) = written();
        let header = path.join("header.json");
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
    }
}
