//! Streaming index construction: documents in, an on-disk index out, in bounded memory.
//!
//! [`IndexWriter::index`] runs three stages at once: one thread reads the corpus into batches,
//! rayon analyses each batch in parallel, and one thread adds the analysed documents to the
//! index in corpus order (so ids, and every byte written, never depend on scheduling or the
//! thread count). Postings are buffered in memory already VByte-compressed; when the buffers
//! pass the memory budget they are flushed to a segment file, and [`IndexWriter::finish`]
//! merges the segments into the final postings. Forward vectors are written to disk as the
//! documents arrive.
//!
//! Everything is written into a temporary folder that is renamed into place at the end, so an
//! interrupted build leaves no index behind. The files are byte for byte those that
//! [`disk::write`] makes from an [`InMemoryIndex`](super::InMemoryIndex) (tested), whatever the
//! budget.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;

use memmap2::Mmap;
use rayon::prelude::*;

use super::disk::{self, FileSum, Header, Output};
use super::BLOCK;
use super::{norms, CollectionStats};
use crate::analysis::Analyzer;
use crate::corpus::Document;
use crate::error::{Error, Location, Result};
use crate::hash::FastMap;

/// The default memory budget for buffered postings, in MiB.
pub const DEFAULT_MEMORY_MB: usize = 512;

/// Documents per batch handed from the reader to the analysers.
const BATCH: usize = 4096;

/// Documents per unit of parallel analysis.
const CHUNK: usize = 256;

/// Writes an on-disk index from a stream of documents; see the module documentation.
#[derive(Debug)]
pub struct IndexWriter {
    dir: PathBuf,
    tmp: PathBuf,
    budget: usize,
    batch: usize,
    chunk: usize,
    lexicon: FastMap<Box<str>, u32>,
    terms: Vec<TermMeta>,
    /// Per term, this segment's postings: VByte (docid gap, tf) pairs, the gap taken from the
    /// term's previous document in the whole index, so the segments concatenate.
    segment: Vec<Vec<u8>>,
    /// Bytes allocated by `segment`'s buffers.
    segment_bytes: usize,
    segments: Vec<PathBuf>,
    docnos: Vec<String>,
    doc_lens: Vec<u32>,
    norms: Vec<u8>,
    /// `forward.bin`, until [`finish`](Self::finish) closes it.
    forward: Option<Output>,
    forward_offsets: Vec<u64>,
    doc_terms: Vec<(u32, u32)>,
    scratch: Vec<u8>,
    stats: CollectionStats,
    finished: bool,
}

#[derive(Debug)]
struct TermMeta {
    df: u32,
    cf: u64,
    max_tf: u32,
    min_doc_len: u32,
    last_doc: u32,
}

/// Term ids published by the adding thread once per batch, so that analysis can give most
/// terms their ids in parallel; only terms not yet published reach the adding thread as text.
type Published = std::sync::RwLock<FastMap<Box<str>, u32>>;

/// In [`Analysed::terms`], a term that had no published id.
const UNKNOWN: u32 = u32::MAX;

/// Analysed documents of one chunk, in corpus order.
struct Analysed {
    docnos: Vec<String>,
    /// Per document: its length in tokens and its number of distinct terms.
    docs: Vec<(u32, u32)>,
    /// Every document's distinct terms in byte order, documents one after another: the
    /// term's id (or [`UNKNOWN`]), the end of its text in `text` (only unknown terms' texts
    /// are kept), and its frequency in the document.
    terms: Vec<(u32, u32, u32)>,
    text: String,
}

fn analyse(analyzer: &Analyzer, docs: &[Document], published: &Published) -> Analysed {
    let known = published.read().unwrap_or_else(|e| e.into_inner());
    let mut out = Analysed {
        docnos: Vec::with_capacity(docs.len()),
        docs: Vec::with_capacity(docs.len()),
        terms: Vec::new(),
        text: String::new(),
    };
    let mut arena = String::new();
    // (first 8 bytes big-endian, start, end): sorting on the prefix first settles most
    // comparisons without touching the text, and gives the same order as the bytes.
    let mut spans: Vec<(u64, u32, u32)> = Vec::new();
    for doc in docs {
        arena.clear();
        spans.clear();
        analyzer.for_each_term(&doc.text, |t| {
            let start = arena.len() as u32;
            arena.push_str(t);
            let mut prefix = [0u8; 8];
            let n = t.len().min(8);
            prefix[..n].copy_from_slice(&t.as_bytes()[..n]);
            spans.push((u64::from_be_bytes(prefix), start, arena.len() as u32));
        });
        let bytes = arena.as_bytes();
        let text = |&(_, a, b): &(u64, u32, u32)| &bytes[a as usize..b as usize];
        let same = |x: &(u64, u32, u32), y: &(u64, u32, u32)| {
            x.0 == y.0 && x.2 - x.1 == y.2 - y.1 && (x.2 - x.1 <= 8 || text(x) == text(y))
        };
        spans.sort_unstable_by(|x, y| x.0.cmp(&y.0).then_with(|| text(x).cmp(text(y))));
        let first = out.terms.len();
        let mut i = 0;
        while i < spans.len() {
            let mut j = i + 1;
            while j < spans.len() && same(&spans[j], &spans[i]) {
                j += 1;
            }
            let (_, a, b) = spans[i];
            let term = &arena[a as usize..b as usize];
            let id = match known.get(term) {
                Some(&id) => id,
                None => {
                    out.text.push_str(term);
                    UNKNOWN
                }
            };
            out.terms.push((id, out.text.len() as u32, (j - i) as u32));
            i = j;
        }
        out.docnos.push(doc.docno.clone());
        out.docs
            .push((spans.len() as u32, (out.terms.len() - first) as u32));
    }
    out
}

/// Reads a segment file: (term id u32, byte length u32, bytes) records in term id order.
struct SegmentReader {
    map: Mmap,
    path: PathBuf,
    pos: usize,
}

impl SegmentReader {
    fn open(path: &Path) -> Result<SegmentReader> {
        let file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
        // Safety: the segment is a private temporary file of this build.
        let map = unsafe { Mmap::map(&file) }.map_err(|e| Error::io(path, e))?;
        Ok(SegmentReader {
            map,
            path: path.to_path_buf(),
            pos: 0,
        })
    }

    /// Where the postings bytes of `term` are in this segment (empty if it has none).
    fn take(&mut self, term: u32) -> Result<std::ops::Range<usize>> {
        let at = |i: usize| {
            self.map
                .get(i..i + 4)
                .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
        };
        if self.pos >= self.map.len() || at(self.pos) != Some(term) {
            return Ok(0..0);
        }
        let len = at(self.pos + 4).ok_or_else(|| self.damaged())? as usize;
        let start = self.pos + 8;
        if start + len > self.map.len() {
            return Err(self.damaged());
        }
        self.pos = start + len;
        Ok(start..start + len)
    }

    fn damaged(&self) -> Error {
        Error::input(
            Location::file(&self.path),
            "temporary index segment is damaged",
        )
    }
}

/// Cuts a term's (gap, tf) stream into the final blocks of [`BLOCK`] postings, each with its
/// largest tf and shortest document in its header.
struct Blocks<'o> {
    out: &'o mut Output,
    block: Vec<u8>,
    in_block: usize,
    doc: u32,
    doc_lens: &'o [u32],
    max_tf: u32,
    min_len: u32,
    header: Vec<u8>,
}

impl Blocks<'_> {
    fn feed(&mut self, bytes: &[u8], path: &Path) -> Result<()> {
        let mut pos = 0;
        while pos < bytes.len() {
            let start = pos;
            let (Some(gap), Some(tf)) = (
                disk::read_vbyte(bytes, &mut pos),
                disk::read_vbyte(bytes, &mut pos),
            ) else {
                return Err(Error::input(
                    Location::file(path),
                    "temporary index segment is damaged",
                ));
            };
            self.doc += gap;
            self.max_tf = self.max_tf.max(tf);
            let len = self
                .doc_lens
                .get(self.doc as usize)
                .copied()
                .ok_or_else(|| {
                    Error::input(Location::file(path), "temporary index segment is damaged")
                })?;
            self.min_len = self.min_len.min(len);
            self.block.extend_from_slice(&bytes[start..pos]);
            self.in_block += 1;
            if self.in_block == BLOCK {
                self.flush()?;
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.in_block > 0 {
            self.header.clear();
            disk::block(
                self.doc,
                self.max_tf,
                self.min_len,
                &self.block,
                &mut self.header,
            );
            self.out.write(&self.header)?;
            self.block.clear();
            self.in_block = 0;
            self.max_tf = 0;
            self.min_len = u32::MAX;
        }
        Ok(())
    }
}

impl IndexWriter {
    /// Starts an index that will be published at `dir` by [`finish`](Self::finish), buffering
    /// up to about `memory_mb` MiB of postings before flushing a segment.
    pub fn create(dir: &Path, memory_mb: usize) -> Result<IndexWriter> {
        Self::with_budget(dir, memory_mb.saturating_mul(1 << 20))
    }

    fn with_budget(dir: &Path, budget: usize) -> Result<IndexWriter> {
        let tmp = disk::temp_dir_beside(dir)?;
        let forward = match Output::create(&tmp, "forward.bin") {
            Ok(f) => f,
            Err(e) => {
                let _ = fs::remove_dir_all(&tmp);
                return Err(e);
            }
        };
        Ok(IndexWriter {
            dir: dir.to_path_buf(),
            tmp,
            budget,
            batch: BATCH,
            chunk: CHUNK,
            lexicon: FastMap::default(),
            terms: Vec::new(),
            segment: Vec::new(),
            segment_bytes: 0,
            segments: Vec::new(),
            docnos: Vec::new(),
            doc_lens: Vec::new(),
            norms: Vec::new(),
            forward: Some(forward),
            forward_offsets: vec![0],
            doc_terms: Vec::new(),
            scratch: Vec::new(),
            stats: CollectionStats::default(),
            finished: false,
        })
    }

    /// Indexes every document `read` passes to its sink, in that order, analysed with
    /// `analyzer`; `indexed` is called with the number of documents added so far (for a
    /// progress bar). Returns what `read` returns. On error the build is abandoned.
    pub fn index<R: Send>(
        &mut self,
        analyzer: &Analyzer,
        read: impl FnOnce(&mut dyn FnMut(Document) -> Result<()>) -> Result<R> + Send,
        indexed: impl Fn(u64) + Sync,
    ) -> Result<R> {
        let tmp = self.tmp.clone();
        let (batch_size, chunk_size) = (self.batch, self.chunk);
        let published: Published = std::sync::RwLock::new(self.lexicon.clone());
        let published = &published;
        std::thread::scope(|scope| {
            let (docs_tx, docs_rx) = sync_channel::<Vec<Document>>(2);
            let reader = scope.spawn(move || {
                let mut batch = Vec::with_capacity(batch_size);
                let result = read(&mut |doc| {
                    batch.push(doc);
                    if batch.len() >= batch_size {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(batch_size));
                        // The indexing side has stopped with an error, which is reported.
                        docs_tx.send(full).map_err(|_| {
                            Error::io(&tmp, std::io::Error::other("indexing stopped"))
                        })?;
                    }
                    Ok(())
                });
                if result.is_ok() && !batch.is_empty() {
                    let _ = docs_tx.send(batch);
                }
                result
            });
            let (chunks_tx, chunks_rx) = sync_channel::<Vec<Analysed>>(1);
            let indexed = &indexed;
            let writer = &mut *self;
            let adder = scope.spawn(move || -> Result<()> {
                let mut fresh = Vec::new();
                for chunks in chunks_rx {
                    for chunk in chunks {
                        writer.add(chunk, &mut fresh)?;
                    }
                    if !fresh.is_empty() {
                        let mut map = published.write().unwrap_or_else(|e| e.into_inner());
                        map.extend(fresh.drain(..));
                    }
                    indexed(writer.doc_lens.len() as u64);
                }
                Ok(())
            });
            for batch in docs_rx {
                let analysed: Vec<Analysed> = batch
                    .par_chunks(chunk_size)
                    .map(|docs| analyse(analyzer, docs, published))
                    .collect();
                if chunks_tx.send(analysed).is_err() {
                    break;
                }
            }
            drop(chunks_tx);
            let added = adder
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            let read = reader
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            added?;
            read
        })
    }

    /// Adds the analysed documents of one chunk; new terms and their ids are appended to
    /// `fresh`.
    fn add(&mut self, chunk: Analysed, fresh: &mut Vec<(Box<str>, u32)>) -> Result<()> {
        let mut terms = chunk.terms.iter();
        let mut text_start = 0usize;
        for (docno, &(len, distinct)) in chunk.docnos.into_iter().zip(&chunk.docs) {
            let doc = self.doc_lens.len() as u32;
            self.docnos.push(docno);
            self.doc_lens.push(len);
            self.norms.push(norms::encode(len));
            self.stats.count_document(len);
            self.doc_terms.clear();
            for &(id, end, tf) in terms.by_ref().take(distinct as usize) {
                let term = &chunk.text[text_start..end as usize];
                text_start = end as usize;
                let id = if id != UNKNOWN {
                    id
                } else if let Some(&known) = self.lexicon.get(term) {
                    known
                } else {
                    let id = self.terms.len() as u32;
                    self.lexicon.insert(term.into(), id);
                    fresh.push((term.into(), id));
                    self.terms.push(TermMeta {
                        df: 0,
                        cf: 0,
                        max_tf: 0,
                        min_doc_len: len,
                        last_doc: 0,
                    });
                    self.segment.push(Vec::new());
                    id
                };
                let meta = &mut self.terms[id as usize];
                let buf = &mut self.segment[id as usize];
                let before = buf.capacity();
                disk::vbyte(doc - meta.last_doc, buf);
                disk::vbyte(tf, buf);
                self.segment_bytes += buf.capacity() - before;
                meta.last_doc = doc;
                meta.df += 1;
                meta.cf += u64::from(tf);
                meta.max_tf = meta.max_tf.max(tf);
                meta.min_doc_len = meta.min_doc_len.min(len);
                self.doc_terms.push((id, tf));
            }
            self.doc_terms.sort_unstable();
            self.scratch.clear();
            let mut prev = 0;
            for &(id, tf) in &self.doc_terms {
                disk::vbyte(id - prev, &mut self.scratch);
                disk::vbyte(tf, &mut self.scratch);
                prev = id;
            }
            let forward = self.forward.as_mut().expect("open until finish");
            forward.write(&self.scratch)?;
            self.forward_offsets.push(forward.bytes);
            if self.segment_bytes > self.budget {
                self.flush_segment()?;
            }
        }
        Ok(())
    }

    /// Writes the buffered postings to a segment file and frees the buffers.
    fn flush_segment(&mut self) -> Result<()> {
        let path = self
            .tmp
            .join(format!("segment-{}.tmp", self.segments.len()));
        let file = fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        for (id, buf) in self.segment.iter_mut().enumerate() {
            if buf.is_empty() {
                continue;
            }
            out.write_all(&(id as u32).to_le_bytes())
                .and_then(|()| out.write_all(&(buf.len() as u32).to_le_bytes()))
                .and_then(|()| out.write_all(buf))
                .map_err(|e| Error::io(&path, e))?;
            *buf = Vec::new();
        }
        out.flush().map_err(|e| Error::io(&path, e))?;
        self.segment_bytes = 0;
        self.segments.push(path);
        Ok(())
    }

    /// Number of segment files flushed so far.
    pub fn segments(&self) -> usize {
        self.segments.len()
    }

    /// Merges the segments, writes the remaining files and the header (with `settings` and
    /// `corpus`), and renames the index into place. Returns its statistics.
    pub fn finish(
        mut self,
        settings: serde_json::Value,
        corpus: serde_json::Value,
    ) -> Result<CollectionStats> {
        self.stats.terms = self.terms.len() as u32;
        let tmp = self.tmp.clone();
        let mut files: BTreeMap<String, FileSum> = BTreeMap::new();

        let mut postings = Output::create(&tmp, "postings.bin")?;
        let mut offsets = Vec::with_capacity(self.terms.len() + 1);
        offsets.push(0u64);
        let mut readers = self
            .segments
            .iter()
            .map(|p| SegmentReader::open(p))
            .collect::<Result<Vec<_>>>()?;
        let (mut block, mut header) = (Vec::new(), Vec::new());
        for id in 0..self.terms.len() {
            let mut blocks = Blocks {
                out: &mut postings,
                block: std::mem::take(&mut block),
                in_block: 0,
                doc: 0,
                doc_lens: &self.doc_lens,
                max_tf: 0,
                min_len: u32::MAX,
                header: std::mem::take(&mut header),
            };
            for reader in &mut readers {
                let range = reader.take(id as u32)?;
                blocks.feed(&reader.map[range], &reader.path)?;
            }
            let buf = std::mem::take(&mut self.segment[id]);
            blocks.feed(&buf, &tmp)?;
            blocks.flush()?;
            block = blocks.block;
            header = blocks.header;
            offsets.push(postings.bytes);
        }
        drop(readers);
        for path in &self.segments {
            fs::remove_file(path).map_err(|e| Error::io(path, e))?;
        }
        files.insert("postings.bin".into(), postings.finish()?);

        let mut put = |name: &str, bytes: Vec<u8>| -> Result<()> {
            files.insert(name.to_string(), Output::write_all(&tmp, name, &bytes)?);
            Ok(())
        };
        put("postings_offsets.bin", disk::u64s(&offsets))?;
        put(
            "lexicon.fst",
            disk::lexicon_fst(
                self.lexicon.iter().map(|(t, &id)| (&**t, u64::from(id))),
                &tmp,
            )?,
        )?;
        let mut terms = Vec::with_capacity(self.terms.len() * 20);
        for t in &self.terms {
            disk::term_record(t.df, t.max_tf, t.min_doc_len, t.cf, &mut terms);
        }
        put("terms.bin", terms)?;
        let mut texts = vec![""; self.terms.len()];
        for (text, &id) in &self.lexicon {
            texts[id as usize] = text;
        }
        put("term_texts.bin", disk::strings(texts.into_iter()))?;
        put(
            "docnos.bin",
            disk::strings(self.docnos.iter().map(String::as_str)),
        )?;
        put("doc_lens.bin", disk::u32s(&self.doc_lens))?;
        put("norms.bin", std::mem::take(&mut self.norms))?;
        let ranks = super::docno_ranks(&self.docnos);
        put("docno_ranks.bin", disk::u32s(&ranks))?;
        put("forward_offsets.bin", disk::u64s(&self.forward_offsets))?;
        let forward = self.forward.take().expect("open until finish");
        files.insert("forward.bin".into(), forward.finish()?);

        disk::write_header(&tmp, &Header::new(settings, self.stats, corpus, files))?;
        disk::publish(&tmp, &self.dir)?;
        self.finished = true;
        Ok(self.stats)
    }
}

impl Drop for IndexWriter {
    /// An index that was not finished is removed with its temporary folder.
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::IndexBuilder;
    use proptest::prelude::*;

    fn doc(i: usize, text: &str) -> Document {
        Document {
            docno: format!("d{}", (i * 7919) % 1000),
            text: text.to_string(),
            location: Location::file("t"),
            decoded_as_cp1252: false,
        }
    }

    /// Writes `docs` with the streaming writer and with `disk::write` from an in-memory index,
    /// and asserts that every file is the same; returns the number of segments flushed.
    fn assert_same_files(docs: &[Document], budget: usize, batch: usize, chunk: usize) -> usize {
        let tmp = tempfile::tempdir().unwrap();
        let (streamed, reference) = (tmp.path().join("streamed"), tmp.path().join("reference"));
        let analyzer = Analyzer::anserini();
        let settings = serde_json::json!({"analyzer": "anserini"});
        let corpus = serde_json::json!({"documents": docs.len()});

        let mut writer = IndexWriter::with_budget(&streamed, budget).unwrap();
        writer.batch = batch;
        writer.chunk = chunk;
        let count = writer
            .index(
                &analyzer,
                |sink| {
                    for d in docs {
                        sink(d.clone())?;
                    }
                    Ok(docs.len())
                },
                |_| {},
            )
            .unwrap();
        assert_eq!(count, docs.len());
        let segments = writer.segments();
        writer.finish(settings.clone(), corpus.clone()).unwrap();

        let mut builder = IndexBuilder::new(analyzer);
        for d in docs {
            builder.add(d.clone());
        }
        disk::write(&builder.build(), &reference, settings, corpus).unwrap();

        let names = |dir: &Path| {
            let mut v: Vec<String> = fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        assert_eq!(names(&streamed), names(&reference));
        for name in names(&reference) {
            assert!(
                fs::read(streamed.join(&name)).unwrap() == fs::read(reference.join(&name)).unwrap(),
                "{name} differs"
            );
        }
        let leftovers: Vec<String> = names(tmp.path());
        assert_eq!(leftovers, ["reference", "streamed"]);
        segments
    }

    #[test]
    fn segments_merge_into_the_same_files_as_the_in_memory_build() {
        let texts = [
            "river flood defences raised after the flood",
            "rail strike ends",
            "",
            "the of and",
            "café owners count flood damage; river levels fall",
        ];
        let mut docs: Vec<Document> = (0..400)
            .map(|i| doc(i, &texts[i % texts.len()].repeat(1 + i % 3)))
            .collect();
        docs.push(doc(400, &"flood ".repeat(1000)));
        // A segment per document with terms, a few segments, and none.
        let with_terms = docs
            .iter()
            .filter(|d| !Analyzer::anserini().analyze(&d.text).is_empty())
            .count();
        assert_eq!(assert_same_files(&docs, 0, 7, 3), with_terms);
        let few = assert_same_files(&docs, 2000, 64, 16);
        assert!(few > 1 && few < 50, "{few} segments");
        assert_eq!(assert_same_files(&docs, usize::MAX, 4096, 256), 0);
    }

    #[test]
    fn a_failed_read_leaves_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("idx");
        let mut writer = IndexWriter::with_budget(&dir, 0).unwrap();
        writer.batch = 2;
        let err = writer
            .index(
                &Analyzer::anserini(),
                |sink| {
                    for i in 0..10 {
                        sink(doc(i, "flood river"))?;
                    }
                    Err::<(), _>(Error::input(Location::line("corpus.jsonl", 11), "bad line"))
                },
                |_| {},
            )
            .unwrap_err();
        assert!(err.to_string().contains("corpus.jsonl:11"), "{err}");
        drop(writer);
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_killed_build_is_cleaned_up_by_the_next() {
        let tmp = tempfile::tempdir().unwrap();
        // What a build killed with SIGKILL leaves: a temporary folder of a process that is gone.
        let stale = tmp.path().join(".idx.4000000000-0.building");
        fs::create_dir(&stale).unwrap();
        fs::write(stale.join("forward.bin"), "partial").unwrap();
        let dir = tmp.path().join("idx");
        let writer = IndexWriter::with_budget(&dir, 0).unwrap();
        assert!(!stale.exists());
        writer
            .finish(serde_json::json!({}), serde_json::json!({}))
            .unwrap();
        assert!(disk::DiskIndex::open(&dir).is_ok());
    }

    #[test]
    fn an_index_published_meanwhile_is_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("idx");
        let build = |n: usize| {
            let mut writer = IndexWriter::with_budget(&dir, usize::MAX).unwrap();
            writer
                .index(
                    &Analyzer::anserini(),
                    |sink| (0..n).try_for_each(|i| sink(doc(i, "flood river"))),
                    |_| {},
                )
                .unwrap();
            writer
        };
        // Two builds of the same key race; the first to finish wins and stays readable.
        let (first, second) = (build(3), build(5));
        first
            .finish(serde_json::json!({}), serde_json::json!({}))
            .unwrap();
        let open = disk::DiskIndex::open(&dir).unwrap();
        second
            .finish(serde_json::json!({}), serde_json::json!({}))
            .unwrap();
        use crate::index::IndexReader;
        assert_eq!(open.stats().documents, 3);
        assert_eq!(disk::DiskIndex::open(&dir).unwrap().stats().documents, 3);
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "only idx is left"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn any_budget_gives_the_same_files(
            texts in proptest::collection::vec("[abc]{1,3}( [abc]{1,3}){0,12}|", 1..60),
            budget in prop_oneof![Just(0usize), 1usize..200, Just(usize::MAX)],
            batch in 1usize..9,
            chunk in 1usize..5,
        ) {
            let docs: Vec<Document> = texts.iter().enumerate().map(|(i, t)| doc(i, t)).collect();
            assert_same_files(&docs, budget, batch, chunk);
        }
    }
}
