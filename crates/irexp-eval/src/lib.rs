//! # irexp-eval
//!
//! Scoring runs exactly as trec_eval 9.0.8 does ([`eval`]), and comparing runs for a paper
//! ([`compare`]: paired tests by topic, corrections for multiple comparisons, effect sizes,
//! tables and plots). It reads runs and qrels only ([`irexp_trec`]), never retrieval code,
//! so it scores runs from any system. [`tune`] cross-validates a parameter grid by topic.
//!
//! Features (both default): `table`, the terminal table of a comparison; `plots`, its SVG
//! plots. `cargo build -p irexp-eval --no-default-features` builds the evaluator and the
//! statistics alone.

#![warn(missing_docs)]

pub mod compare;
pub mod eval;
pub mod tune;

pub(crate) use irexp_trec::{atomic, error, hash, input, qrels, run};
