//! # irexp
//!
//! A harness for TREC-style information-retrieval experiments: read a test collection, index
//! it, rank topics with baseline models, write TREC runs and score them exactly as trec_eval
//! 9.0.8 does.
//!
//! How data flows, and which module owns each step:
//!
//! ```text
//! corpus::Document --analysis::Analyzer--> terms --index::IndexWriter--> on-disk index::disk::DiskIndex
//! topics::Topic --Analyzer + lexicon--> rank::Query --rank::Searcher (model + exhaustive or MaxScore top-k)--> run::Run
//! run::Run + qrels::Qrels --eval::Evaluator--> eval::Evaluation
//! eval::Evaluation (per run) --compare::compare--> compare::Report (tables, LaTeX, plots)
//! everything --outdir::Staging--> the output folder, published whole with its manifest
//! ```
//!
//! [`config::Experiment`] wires these together from a TOML file and
//! [`experiment::execute`] runs them in stages. The `irexp` binary (its CLI is private to it)
//! is a thin layer over this library. The evaluator and the comparison live in the
//! `irexp-eval` crate and the TREC files, errors and input in `irexp-trec`, which do not
//! depend on retrieval; they are re-exported here as [`eval`], [`compare`], [`run`],
//! [`qrels`], [`fuse`], [`input`], [`error`], [`atomic`] and [`hash`].
//!
//! ```
//! use irexp::analysis::Analyzer;
//! use irexp::corpus::Document;
//! use irexp::error::Location;
//! use irexp::index::IndexBuilder;
//! use irexp::rank::{bm25::Bm25, search, Model, Query};
//! use irexp::run::TiePolicy;
//!
//! let analyzer = Analyzer::anserini();
//! let mut builder = IndexBuilder::new(analyzer.clone());
//! for (docno, text) in [("d1", "river flood defences"), ("d2", "a rail strike"), ("d3", "flood insurance")] {
//!     builder.add(Document { docno: docno.into(), text: text.into(),
//!                            location: Location::file("example"), decoded_as_cp1252: false });
//! }
//! let index = builder.build();
//! let query = Query::parse("flood defences", &analyzer, &index);
//! let hits = search(&index, &Model::Bm25(Bm25::default()), &query, 10, TiePolicy::TrecEval);
//! assert_eq!(hits.iter().map(|h| h.docno.as_str()).collect::<Vec<_>>(), ["d1", "d3"]);
//! ```

#![warn(missing_docs)]

pub mod analysis;
pub mod config;
pub mod corpus;
pub mod experiment;
pub mod index;
pub mod manifest;
pub mod outdir;
pub mod progress;
pub mod rank;
pub mod regression;
pub mod report;
pub mod run_cache;
pub mod shard;
pub mod stamp;
pub mod topics;

pub use irexp_eval::{compare, eval, tune};
pub use irexp_trec::{atomic, error, fuse, hash, input, qrels, run};

pub use error::{Error, Result};
