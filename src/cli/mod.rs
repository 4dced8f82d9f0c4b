//! The command line: clap definitions and dispatch. Only this module and `main.rs` know about
//! argv and exit codes.

mod corpus;
mod run;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Override;

/// Exit codes, documented in `--help` and README.md.
pub mod exit {
    /// Success.
    pub const SUCCESS: u8 = 0;
    /// A failure that is not the input's fault (for example a disk that cannot be written).
    pub const FAILURE: u8 = 1;
    /// A usage, configuration or input error: the message names the file, line or key.
    pub const INPUT: u8 = 2;
}

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  failure that is not the input's fault (for example an output folder that cannot be written)
  2  usage, configuration or input error (the message names the file and line, or the key)";

/// irexp: TREC-style information-retrieval experiments.
#[derive(Debug, Parser)]
#[command(name = "irexp", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run an experiment: index the corpus, rank the topics with every ranker, write the TREC
    /// runs and evaluate them against the qrels.
    #[command(after_help = RUN_HELP)]
    Run(RunArgs),
    /// Inspect the corpus of an experiment config: counts, or one document as indexed.
    #[command(subcommand)]
    Corpus(CorpusCommand),
}

/// `irexp corpus ...`.
#[derive(Debug, Subcommand)]
pub enum CorpusCommand {
    /// Read and analyse the whole corpus and print documents, tokens, unique terms, empty
    /// documents, Windows-1252 fallbacks, duplicate ids and per-file counts.
    Stats(CorpusStatsArgs),
    /// Print one document as irexp indexes it: where it is, the extracted text and the
    /// analysed tokens.
    Show(CorpusShowArgs),
}

/// Arguments of `irexp corpus stats`.
#[derive(Debug, clap::Args)]
pub struct CorpusStatsArgs {
    /// The experiment config (TOML); only its [corpus] and [analyzer] are used.
    pub config: PathBuf,
    /// Override a config value: `section.key=value`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<Override>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Only read and parse the documents (no analysis, no index): counts documents, bytes of
    /// text and the time taken, to tell parsing speed from analysis speed.
    #[arg(long, conflicts_with = "analyze_only")]
    pub read_only: bool,
    /// Read and analyse the documents (in parallel, as indexing does) but build no index:
    /// counts documents and tokens and the time taken.
    #[arg(long)]
    pub analyze_only: bool,
    /// Print nothing on stderr but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `irexp corpus show`.
#[derive(Debug, clap::Args)]
pub struct CorpusShowArgs {
    /// The experiment config (TOML); only its [corpus] and [analyzer] are used.
    pub config: PathBuf,
    /// The document id.
    pub docno: String,
    /// Override a config value: `section.key=value`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<Override>,
}

const RUN_HELP: &str = "\
The output folder ([experiment] output) receives, for each ranker NAME:
  NAME.run              the TREC run (qid Q0 docno rank score tag)
  NAME.eval             trec_eval-style text (per topic, then the summary)
and once:
  eval.json             every measure, summary and per topic, for pandas
  config.resolved.toml  the configuration with every default made explicit
  manifest.json         irexp version, input sizes and SHA-256, counts, timings

Overrides address keys as section.key; rankers by name:
  irexp run configs/bm25.toml --set ranker.bm25.k1=1.2 --set run.depth=100

Exit codes:
  0  success
  1  failure that is not the input's fault (for example an output folder that cannot be written)
  2  usage, configuration or input error (the message names the file and line, or the key)";

/// Arguments of `irexp run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The experiment config (TOML).
    pub config: PathBuf,
    /// Override a config value: `section.key=value` (`ranker.NAME.key=value` for a ranker).
    /// Applied after the file, in order; may be repeated.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<Override>,
    /// Print nothing on stderr but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs the parsed command line, writing results to `out`.
pub fn dispatch(cli: Cli, out: &mut dyn std::io::Write) -> crate::Result<()> {
    match cli.command {
        Command::Run(args) => run::run(&args, out),
        Command::Corpus(CorpusCommand::Stats(args)) => corpus::stats(&args, out),
        Command::Corpus(CorpusCommand::Show(args)) => corpus::show(&args, out),
    }
}
