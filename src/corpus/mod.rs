//! Corpus readers: from files on disk to a stream of [`Document`]s.
//!
//! [`CorpusSpec`] names the files (a file, a folder walked in sorted order, or a glob) and the
//! format; [`CorpusSpec::for_each_document`] streams the documents in a deterministic order,
//! so the internal document ids never depend on the thread count.

mod entities;
mod files;
pub mod html;
pub mod jsonl;
pub mod smart;
pub mod text;
pub mod trec;
pub mod tsv;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};

pub use files::list_files;

/// One document as read from the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The external identifier (TREC `DOCNO`).
    pub docno: String,
    /// The text to index, with markup removed.
    pub text: String,
    /// Where the document starts, for error messages.
    pub location: Location,
    /// True when the bytes were not UTF-8 and were decoded as Windows-1252.
    pub decoded_as_cp1252: bool,
}

/// Corpus formats. An unknown name in a config is an error that lists these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// TREC SGML: `<DOC>`, `<DOCNO>`, content tags (Anserini's `TrecCollection`).
    #[default]
    Trec,
    /// TREC Web: `<DOC>`, `<DOCNO>`, `<DOCHDR>`, then HTML (Anserini's `TrecwebCollection`).
    Trecweb,
    /// One document per HTML file, in a folder or inside `.tar` / `.tar.gz` archives
    /// (Anserini's `HtmlCollection`).
    Html,
    /// One JSON object per line: Pyserini's `id`/`contents` or BEIR's `_id`/`title`/`text`.
    Jsonl,
    /// `docid<TAB>text` lines, as MS MARCO's `collection.tsv`.
    Tsv,
    /// SMART `.I n` records with `.T/.A/.B/.W/.X/...` fields.
    Smart,
}

impl Format {
    /// The name used in configs.
    pub fn name(self) -> &'static str {
        match self {
            Format::Trec => "trec",
            Format::Trecweb => "trecweb",
            Format::Html => "html",
            Format::Jsonl => "jsonl",
            Format::Tsv => "tsv",
            Format::Smart => "smart",
        }
    }

    /// The `content` choice used when a config names none.
    pub fn default_content(self) -> Content {
        match self {
            Format::Trec => Content::AnseriniTags,
            Format::Trecweb | Format::Html | Format::Tsv | Format::Smart => Content::All,
            Format::Jsonl => Content::Auto,
        }
    }

    /// Checks that `content` means something for this format.
    pub fn check_content(self, content: &Content) -> std::result::Result<(), String> {
        let ok = match self {
            Format::Trec => matches!(
                content,
                Content::AnseriniTags | Content::All | Content::Names(_)
            ),
            Format::Trecweb | Format::Html | Format::Tsv => matches!(content, Content::All),
            Format::Jsonl => matches!(content, Content::Auto | Content::Flat | Content::Names(_)),
            Format::Smart => matches!(content, Content::All | Content::Names(_)),
        };
        if ok {
            Ok(())
        } else {
            let allowed = match self {
                Format::Trec => "\"tags\", \"all\" or a list of tags",
                Format::Trecweb | Format::Html | Format::Tsv => "\"all\"",
                Format::Jsonl => "\"auto\", \"flat\" or a list of fields",
                Format::Smart => "\"all\" or a list of field letters such as [\"T\", \"W\"]",
            };
            Err(format!(
                "content {} does not apply to format {:?}; it takes {allowed}",
                content.describe(),
                self.name()
            ))
        }
    }
}

/// Which parts of a document are indexed. What applies depends on the format
/// ([`Format::check_content`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// TREC: the text of the tags Anserini's `TrecCollection` keeps (see
    /// [`trec::ANSERINI_TAGS`]).
    AnseriniTags,
    /// TREC: all text of the document apart from the `DOCNO` element; HTML and TSV: the whole
    /// text.
    All,
    /// JSONL: `contents` when the object has it, else BEIR's flat `title + "\n" + text`.
    Auto,
    /// JSONL: BEIR's flat `title + "\n" + text`, as Anserini indexes BEIR.
    Flat,
    /// TREC: the text of the listed tags only (matched case-insensitively); JSONL: the listed
    /// fields joined by `"\n"`.
    Names(Vec<String>),
}

impl Content {
    /// Parses the config value: `"tags"`, `"all"`, or a list of tag names.
    pub fn from_config(value: &ContentValue) -> std::result::Result<Content, String> {
        match value {
            ContentValue::Keyword(k) if k == "tags" => Ok(Content::AnseriniTags),
            ContentValue::Keyword(k) if k == "all" => Ok(Content::All),
            ContentValue::Keyword(k) if k == "auto" => Ok(Content::Auto),
            ContentValue::Keyword(k) if k == "flat" => Ok(Content::Flat),
            ContentValue::Keyword(k) => Err(format!(
                "content must be \"tags\", \"all\", \"auto\", \"flat\" or a list of names, not {k:?}"
            )),
            ContentValue::Tags(tags) => {
                if tags.is_empty() {
                    return Err("content lists no names".into());
                }
                for t in tags {
                    if t.is_empty()
                        || !t
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    {
                        return Err(format!("{t:?} is not a tag or field name"));
                    }
                }
                Ok(Content::Names(tags.clone()))
            }
        }
    }

    /// The config value that names this choice.
    pub fn to_config(&self) -> ContentValue {
        match self {
            Content::AnseriniTags => ContentValue::Keyword("tags".into()),
            Content::All => ContentValue::Keyword("all".into()),
            Content::Auto => ContentValue::Keyword("auto".into()),
            Content::Flat => ContentValue::Keyword("flat".into()),
            Content::Names(t) => ContentValue::Tags(t.clone()),
        }
    }

    /// How this choice reads in a message.
    pub fn describe(&self) -> String {
        match self.to_config() {
            ContentValue::Keyword(k) => format!("{k:?}"),
            ContentValue::Tags(t) => format!("{t:?}"),
        }
    }
}

/// The `content` value as written in a config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ContentValue {
    /// `"tags"` or `"all"`.
    Keyword(String),
    /// A list of tag names.
    Tags(Vec<String>),
}

/// What to read and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusSpec {
    /// The file format.
    pub format: Format,
    /// A file, a folder or a glob pattern.
    pub path: PathBuf,
    /// Which parts of each document are indexed.
    pub content: Content,
    /// Skip (and count) malformed TREC / TREC Web documents instead of stopping at the first.
    pub skip_malformed: bool,
    /// What to do with documents that have no text.
    pub empty_documents: EmptyDocuments,
}

/// What to do with a document whose extracted text is blank (see [`is_blank`]). The default
/// depends on the analyzer profile: `skip` for `anserini`, `index` for `terrier`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmptyDocuments {
    /// Index it: it counts in the number of documents (Terrier's N, and RM3's document
    /// count). Counted and reported.
    Index,
    /// Leave it out, counted and reported, as Anserini does (its `EmptyDocumentException`),
    /// so that it is not in Lucene's `numDocs`.
    Skip,
}

impl EmptyDocuments {
    /// The default for an analyzer profile: what that toolkit does.
    pub fn default_for(profile: crate::analysis::Profile) -> EmptyDocuments {
        match profile {
            crate::analysis::Profile::Anserini => EmptyDocuments::Skip,
            crate::analysis::Profile::Terrier => EmptyDocuments::Index,
        }
    }
}

/// Counts gathered while reading a corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadStats {
    /// Files read.
    pub files: usize,
    /// Documents read.
    pub documents: usize,
    /// Documents with no text left after markup removal (indexed or skipped, as configured).
    pub empty_documents: usize,
    /// Empty documents left out (`empty_documents = "skip"`).
    pub skipped_empty_documents: usize,
    /// Documents that were not valid UTF-8 and were decoded as Windows-1252.
    pub decoded_as_cp1252: usize,
    /// Documents read from each file, in reading order.
    pub per_file: Vec<FileCount>,
    /// Malformed documents skipped (only with `skip_malformed`).
    pub skipped_documents: usize,
    /// The first few skipped documents: where they are and why.
    pub skipped_examples: Vec<String>,
    /// Files left out by name, as Anserini's TrecCollection leaves them out (`readme*`, and
    /// files below folders named `cr`, `dtd` or `dtds`).
    pub skipped_files: Vec<String>,
}

/// How many documents one file gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCount {
    /// The file.
    pub path: String,
    /// Documents it gave.
    pub documents: usize,
}

impl CorpusSpec {
    /// The folder the corpus files are named relative to in the index key: the folder itself,
    /// a single file's folder, or a glob's folder before its first pattern character.
    pub fn root(&self) -> PathBuf {
        if self.path.is_dir() {
            return self.path.clone();
        }
        let text = self.path.to_string_lossy();
        if !text.contains(['*', '?', '[']) {
            return self
                .path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
        }
        self.path
            .components()
            .take_while(|c| !c.as_os_str().to_string_lossy().contains(['*', '?', '[']))
            .collect()
    }

    /// The files of this corpus, in the order they are read.
    pub fn files(&self) -> Result<Vec<PathBuf>> {
        Ok(self.split_files()?.0)
    }

    /// The files to read and the files left out by name (TREC formats only, and only below a
    /// folder: a file named explicitly is always read).
    fn split_files(&self) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
        let all = list_files(&self.path)?;
        if !matches!(self.format, Format::Trec | Format::Trecweb) || !self.path.is_dir() {
            return Ok((all, Vec::new()));
        }
        let (skipped, kept): (Vec<PathBuf>, Vec<PathBuf>) = all.into_iter().partition(|f| {
            let rel = f.strip_prefix(&self.path).unwrap_or(f);
            let readme = rel.file_name().is_some_and(|n| {
                n.to_string_lossy()
                    .to_ascii_lowercase()
                    .starts_with("readme")
            });
            let in_skipped_dir = rel.parent().is_some_and(|p| {
                p.components().any(|c| {
                    let c = c.as_os_str().to_string_lossy().to_ascii_lowercase();
                    c == "cr" || c == "dtd" || c == "dtds"
                })
            });
            readme || in_skipped_dir
        });
        if kept.is_empty() {
            return Err(Error::input(
                Location::file(&self.path),
                "names no files once readme* files and cr/dtd/dtds folders are left out",
            ));
        }
        Ok((kept, skipped))
    }

    /// Streams every document to `sink`, file by file in sorted order. Duplicate docnos are an
    /// error naming both places. Stops at the first error from the reader or the sink.
    pub fn for_each_document(&self, sink: impl FnMut(Document) -> Result<()>) -> Result<ReadStats> {
        let stats = self.read_documents(None, sink)?;
        if stats.documents == 0 {
            return Err(Error::input(
                Location::file(&self.path),
                "the corpus has no documents",
            ));
        }
        Ok(stats)
    }

    /// Streams the documents of the files `files` (positions in [`files`](Self::files)) to
    /// `sink`, as [`for_each_document`](Self::for_each_document) streams every file's (a
    /// shard's part of the corpus, [`crate::shard`]). Docnos are checked for duplicates within
    /// these files only; none at all is not an error here. `files` and `skipped_files` of the
    /// counts are those of the whole corpus.
    pub fn for_each_document_in(
        &self,
        files: std::ops::Range<usize>,
        sink: impl FnMut(Document) -> Result<()>,
    ) -> Result<ReadStats> {
        self.read_documents(Some(files), sink)
    }

    fn read_documents(
        &self,
        range: Option<std::ops::Range<usize>>,
        mut sink: impl FnMut(Document) -> Result<()>,
    ) -> Result<ReadStats> {
        let (mut files, skipped_files) = self.split_files()?;
        let mut stats = ReadStats {
            files: files.len(),
            skipped_files: skipped_files
                .iter()
                .map(|f| f.display().to_string())
                .collect(),
            ..ReadStats::default()
        };
        if let Some(range) = range {
            files = files
                .get(range)
                .map(<[PathBuf]>::to_vec)
                .unwrap_or_default();
        }
        // docno -> (file index, line), to name both places of a duplicate without keeping a
        // path per document.
        let mut seen: crate::hash::FastMap<String, (u32, u32)> = Default::default();
        for (file_index, file) in files.iter().enumerate() {
            let before = stats.documents;
            let mut accept = |doc: Document| -> Result<()> {
                let here = (
                    file_index as u32,
                    doc.location.line_number().unwrap_or(0) as u32,
                );
                let slot = match seen.entry(doc.docno.clone()) {
                    std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(here);
                        None
                    }
                };
                if let Some((f, line)) = slot {
                    let first = if line == 0 {
                        Location::file(&files[f as usize])
                    } else {
                        Location::line(&files[f as usize], line as usize)
                    };
                    return Err(Error::input(
                        doc.location.clone(),
                        format!(
                            "duplicate document id {} (first seen at {first})",
                            doc.docno
                        ),
                    ));
                }
                if is_blank(&doc.text) {
                    stats.empty_documents += 1;
                    if self.empty_documents == EmptyDocuments::Skip {
                        stats.skipped_empty_documents += 1;
                        return Ok(());
                    }
                }
                stats.documents += 1;
                if doc.decoded_as_cp1252 {
                    stats.decoded_as_cp1252 += 1;
                }
                sink(doc)
            };
            let skip_malformed = self.skip_malformed;
            let mut skipped = 0usize;
            let mut examples: Vec<String> = Vec::new();
            let mut recover = |doc: Result<Document>| -> Result<()> {
                match doc {
                    Ok(doc) => accept(doc),
                    Err(e) if skip_malformed => {
                        skipped += 1;
                        if examples.len() < 10 {
                            examples.push(e.to_string());
                        }
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            };
            match self.format {
                Format::Trec => {
                    trec::read_file(file, trec::Layout::Trec, &self.content, &mut recover)?
                }
                Format::Trecweb => {
                    trec::read_file(file, trec::Layout::Trecweb, &self.content, &mut recover)?
                }
                Format::Html => html::read_file(file, |d| recover(Ok(d)))?,
                Format::Jsonl => jsonl::read_file(file, &self.content, |d| recover(Ok(d)))?,
                Format::Tsv => tsv::read_file(file, |d| recover(Ok(d)))?,
                Format::Smart => smart::read_file(file, &self.content, |d| recover(Ok(d)))?,
            }
            stats.skipped_documents += skipped;
            stats.skipped_examples.extend(examples);
            stats.per_file.push(FileCount {
                path: file.display().to_string(),
                documents: stats.documents - before,
            });
        }
        Ok(stats)
    }
}

/// True when `text` has nothing but characters up to U+0020 (spaces, tabs, line breaks and
/// other control characters): what Java's `String.trim()` removes, and so what Anserini's
/// document generator refuses as empty. A document of no-break spaces or of punctuation is
/// not blank; it is indexed with no terms.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c <= ' ')
}

/// Returns `path` if it exists, else an input error naming it.
pub(crate) fn must_exist(path: &Path) -> Result<()> {
    if path.exists() {
        Ok(())
    } else {
        Err(Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"),
        ))
    }
}
