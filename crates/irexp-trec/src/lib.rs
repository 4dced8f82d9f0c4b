//! # irexp-trec
//!
//! The TREC files every part of irexp reads and writes, with nothing of retrieval or
//! evaluation: run files ([`run::Run`], with the tie policies that decide their order) and
//! qrels ([`qrels::Qrels`]), opened through [`input`] (gzip, bzip2 and zstd detected from the
//! bytes), written atomically ([`atomic`]), with the errors of the whole project ([`error`]:
//! every input error names its file and line) and the fast hash maps of the hot paths
//! ([`hash`]), and the fusion of runs ([`fuse`]).

#![warn(missing_docs)]

pub mod atomic;
pub mod error;
pub mod fuse;
pub mod hash;
pub mod input;
pub mod qrels;
pub mod run;

pub use error::{Error, Result};
