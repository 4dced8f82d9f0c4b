//! The integration tests, in one binary (as ripgrep keeps them) so that they link once.
//! Each file is a module; `common` holds the helpers they share.

mod common;

mod anserini_rules;
mod bad_input;
mod browser;
mod cacm;
mod cli;
mod cli_eval;
mod compare_cli;
mod compare_stats;
mod eval_golden;
mod eval_trec_eval;
mod fuse_cli;
mod fusion;
mod fusion_config;
mod output_folder;
mod parity;
mod paths_and_keys;
mod porter;
mod report;
mod rerank;
mod roundtrip;
mod samples;
mod scifact;
mod shard;
mod slurm;
mod tuning;
mod vaswani;
mod verify;
