//! `irexp fuse`: fuse TREC runs into one (irexp::fuse).

use std::io::Write;
use std::path::PathBuf;

use irexp::error::{Error, Location};
use irexp::fuse::{fuse_files, Compat, FuseOptions, Method, Missing, Norm};
use irexp::run::ScoreFormat;

/// Arguments of `irexp fuse`.
#[derive(Debug, clap::Args)]
pub struct FuseArgs {
    /// The runs to fuse (TREC format, plain or compressed); at least two, with the same
    /// topics.
    #[arg(required = true, num_args = 2.., value_name = "RUN")]
    pub runs: Vec<PathBuf>,
    /// How to combine: rrf, isr, borda, combsum, combmnz, combmax, combmin, combmed,
    /// combanz, wsum (weighted sum; linear interpolation with --alpha) or average. ranx's
    /// names (sum, mnz, max, min, med, anz, bordafuse) and Anserini's (interpolation,
    /// weighted) are accepted too.
    #[arg(long, value_name = "METHOD")]
    pub method: Method,
    /// How to normalize each run's scores per topic first (score-based methods): none
    /// (default), min-max, zscore, sum, max, rank or borda. ranx's zmuv and min_max too.
    #[arg(long, value_name = "NORM", default_value = "none")]
    pub norm: Norm,
    /// RRF's k.
    #[arg(long, value_name = "K", default_value_t = 60.0)]
    pub k: f64,
    /// One weight per run, comma-separated, in the order of the runs (rrf, isr, borda,
    /// combsum, combmnz, wsum).
    #[arg(
        long,
        value_name = "W1,W2,...",
        value_delimiter = ',',
        conflicts_with = "alpha"
    )]
    pub weights: Option<Vec<f64>>,
    /// For two runs: weights ALPHA and 1 − ALPHA (linear interpolation; Anserini's -alpha).
    #[arg(long, value_name = "ALPHA")]
    pub alpha: Option<f64>,
    /// Use only the first N documents of each run per topic (default: all).
    #[arg(long, value_name = "N")]
    pub depth: Option<usize>,
    /// Keep the first N documents of the fused run per topic (default: all).
    #[arg(long, value_name = "N")]
    pub hits: Option<usize>,
    /// What a document missing from a run contributes to a score-based method: zero (ranx
    /// and Anserini: nothing) or min (the run's lowest normalized score in that topic).
    #[arg(long, value_name = "RULE", default_value = "zero")]
    pub missing: Missing,
    /// Whose arithmetic and tie order to follow: irexp (ranx's formulas, trec_eval's tie
    /// order) or anserini (Anserini 1.7.1's FuseRuns, float32; rrf, average, wsum).
    #[arg(long, value_name = "MODE", default_value = "irexp")]
    pub compat: Compat,
    /// The run tag (sixth column). Default: the method's name.
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Write the fused run to FILE (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub const FUSE_HELP: &str = "\
Each run's list is ranked by score (descending, ties by docno descending) and cut at --depth;
scores are normalized per run and topic (--norm), combined (--method) with one weight per
run, and the fused list is written in trec_eval's order (score descending as float32, ties
by docno descending), cut at --hits. Formulas, ranx's names and the differences from
Anserini: docs/fusion.md.

Examples:
  irexp fuse --method rrf bm25.run dense.run > rrf.run
  irexp fuse --method combsum --norm min-max --hits 1000 -o fused.run bm25.run qld.run rm3.run
  irexp fuse --method wsum --alpha 0.3 --norm zscore bm25.run dense.run
  irexp fuse --method rrf --compat anserini --hits 1000 a.run b.run   # as FuseRuns

Exit codes:
  0  success
  1  failure that is not the input's fault (for example an output that cannot be written)
  2  usage or input error: unknown method, weights that do not match the runs, runs with
     different topics, a NaN score, a document twice in a topic (the message names the
     file and line, or the option)";

pub(super) fn run(args: &FuseArgs, out: &mut dyn Write) -> irexp::Result<()> {
    let mut options = FuseOptions::new(args.method);
    options.norm = args.norm;
    options.rrf_k = args.k;
    options.weights = args.weights.clone();
    if let Some(alpha) = args.alpha {
        if args.runs.len() != 2 {
            return Err(Error::config(
                Location::arg("--alpha"),
                format!(
                    "--alpha interpolates two runs, got {}; give --weights instead",
                    args.runs.len()
                ),
            ));
        }
        options = options.alpha(alpha);
    }
    options.depth = args.depth;
    options.hits = args.hits;
    options.missing = args.missing;
    options.compat = args.compat;
    if let Some(tag) = &args.tag {
        options.tag = tag.clone();
    }
    let fused = fuse_files(&args.runs, &options).map_err(as_flag)?;
    let format = match args.compat {
        Compat::Irexp => ScoreFormat::Shortest,
        // FuseRuns prints float32 scores with `%.6f`.
        Compat::Anserini => ScoreFormat::Fixed(6),
    };
    match &args.out {
        Some(path) => fused.write_trec(path, format),
        None => out
            .write_all(fused.to_trec(format).as_bytes())
            .map_err(|e| Error::io("<stdout>", e)),
    }
}

/// Names an option error by its flag (`weights` → `--weights`).
fn as_flag(err: Error) -> Error {
    match err {
        Error::Config {
            location: Location::Argument(name),
            message,
        } if !name.starts_with('-') => Error::config(Location::arg(format!("--{name}")), message),
        other => other,
    }
}
