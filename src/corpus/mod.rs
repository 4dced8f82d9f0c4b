//! Corpus readers: from files on disk to a stream of [`Document`]s.
//!
//! [`CorpusSpec`] names the files (a file, a folder walked in sorted order, or a glob) and the
//! format; [`CorpusSpec::for_each_document`] streams the documents in a deterministic order,
//! so the internal document ids never depend on the thread count.

mod files;
pub mod text;
pub mod trec;

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

/// Corpus formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// TREC SGML: `<DOC>`, `<DOCNO>`, content tags.
    #[default]
    Trec,
}

/// Which parts of a TREC document are indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// The text of the tags Anserini's `TrecCollection` keeps (see [`trec::ANSERINI_TAGS`]).
    AnseriniTags,
    /// All text of the document apart from the `DOCNO` element.
    All,
    /// The text of the listed tags only (upper-case names).
    Tags(Vec<String>),
}

impl Content {
    /// Parses the config value: `"tags"`, `"all"`, or a list of tag names.
    pub fn from_config(value: &ContentValue) -> std::result::Result<Content, String> {
        match value {
            ContentValue::Keyword(k) if k == "tags" => Ok(Content::AnseriniTags),
            ContentValue::Keyword(k) if k == "all" => Ok(Content::All),
            ContentValue::Keyword(k) => Err(format!(
                "content must be \"tags\", \"all\" or a list of tags, not {k:?}"
            )),
            ContentValue::Tags(tags) => {
                if tags.is_empty() {
                    return Err("content lists no tags".into());
                }
                for t in tags {
                    if t.is_empty()
                        || !t
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    {
                        return Err(format!("{t:?} is not a tag name"));
                    }
                }
                Ok(Content::Tags(
                    tags.iter().map(|t| t.to_ascii_uppercase()).collect(),
                ))
            }
        }
    }

    /// The config value that names this choice.
    pub fn to_config(&self) -> ContentValue {
        match self {
            Content::AnseriniTags => ContentValue::Keyword("tags".into()),
            Content::All => ContentValue::Keyword("all".into()),
            Content::Tags(t) => ContentValue::Tags(t.clone()),
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
}

/// Counts gathered while reading a corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReadStats {
    /// Files read.
    pub files: usize,
    /// Documents read.
    pub documents: usize,
    /// Documents with no text left after markup removal.
    pub empty_documents: usize,
    /// Documents that were not valid UTF-8 and were decoded as Windows-1252.
    pub decoded_as_cp1252: usize,
}

impl CorpusSpec {
    /// The files of this corpus, in the order they are read.
    pub fn files(&self) -> Result<Vec<PathBuf>> {
        list_files(&self.path)
    }

    /// Streams every document to `sink`, file by file in sorted order. Duplicate docnos are an
    /// error naming both places. Stops at the first error from the reader or the sink.
    pub fn for_each_document(
        &self,
        mut sink: impl FnMut(Document) -> Result<()>,
    ) -> Result<ReadStats> {
        let files = self.files()?;
        let mut stats = ReadStats {
            files: files.len(),
            ..ReadStats::default()
        };
        // docno -> (file index, line), to name both places of a duplicate without keeping a
        // path per document.
        let mut seen: std::collections::HashMap<String, (u32, u32)> = Default::default();
        for (file_index, file) in files.iter().enumerate() {
            match self.format {
                Format::Trec => trec::read_file(file, &self.content, |doc| {
                    let here = (file_index as u32, doc.location.line.unwrap_or(0) as u32);
                    if let Some(&(f, line)) = seen.get(&doc.docno) {
                        let first = Location::line(&files[f as usize], line as usize);
                        return Err(Error::input(
                            doc.location.clone(),
                            format!("duplicate DOCNO {} (first seen at {first})", doc.docno),
                        ));
                    }
                    seen.insert(doc.docno.clone(), here);
                    stats.documents += 1;
                    if doc.text.trim().is_empty() {
                        stats.empty_documents += 1;
                    }
                    if doc.decoded_as_cp1252 {
                        stats.decoded_as_cp1252 += 1;
                    }
                    sink(doc)
                })?,
            }
        }
        if stats.documents == 0 {
            return Err(Error::input(
                Location::file(&self.path),
                "the corpus has no documents",
            ));
        }
        Ok(stats)
    }
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
