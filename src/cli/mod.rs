//! The command line: clap definitions and dispatch. Only this module and `main.rs` know about
//! argv and exit codes.

mod check;
mod compare;
mod corpus;
mod eval;
mod explain;
mod fuse;
mod index;
mod merge;
mod report;
mod run;
mod slurm;
mod verify;

pub use eval::EvalArgs;
pub use fuse::FuseArgs;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use irexp::config::Override;

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
    /// Build (or reuse) the on-disk index of a config's corpus, or show an index's statistics.
    #[command(args_conflicts_with_subcommands = true, after_help = EXIT_CODES)]
    Index(IndexArgs),
    /// Explain one document's score for one topic: each query term's tf, df, idf and length
    /// normalisation, its contribution, and the formula with the constants filled in.
    #[command(after_help = EXIT_CODES)]
    Explain(ExplainArgs),
    /// Evaluate runs as trec_eval does: same flags, same output byte for byte, same exit
    /// codes.
    #[command(after_help = EVAL_HELP)]
    Eval(EvalArgs),
    /// Compare runs against a baseline: paired significance tests by topic, corrections for
    /// multiple comparisons, effect sizes, and tables (terminal, Markdown, LaTeX, CSV, JSON)
    /// with SVG plots.
    #[command(after_help = COMPARE_HELP)]
    Compare(CompareArgs),
    /// Fuse runs into one: RRF, CombSUM, CombMNZ, weighted sum, Borda, ... with per-topic
    /// normalization, as ranx and Anserini compute them.
    #[command(after_help = fuse::FUSE_HELP)]
    Fuse(FuseArgs),
    /// Inspect the corpus of an experiment config: counts, or one document as indexed.
    #[command(subcommand)]
    Corpus(CorpusCommand),
    /// Verify an output folder against its manifest.json: every file it lists is there with
    /// its size and SHA-256, and nothing else is. Lists every missing, extra or changed file.
    #[command(after_help = CHECK_HELP)]
    Check(CheckArgs),
    /// Merge the shards' lists (`irexp run CONFIG --shard I/N`) into the runs one machine
    /// would rank, then evaluate, compare and write the output folder as `irexp run` does.
    #[command(after_help = MERGE_HELP)]
    Merge(MergeArgs),
    /// Write the sharded workflow as a chain of Slurm batch scripts (index array, search array
    /// afterok, merge; RM3's second round), and with --submit submit it.
    #[command(after_help = SLURM_HELP)]
    Slurm(SlurmArgs),
    /// Check regression files: run each one's experiment (reusing its index cache) and
    /// compare the index statistics and measures with the expected values.
    #[command(after_help = VERIFY_HELP)]
    Verify(VerifyArgs),
    /// Write an output folder's report.html again from its files (eval.json, compare/,
    /// manifest.json, config.resolved.toml): one self-contained page with the measure
    /// table, the comparisons, per-topic plots and tables, and the provenance.
    #[command(after_help = REPORT_HELP)]
    Report(ReportArgs),
}

const REPORT_HELP: &str = "\
`irexp run` writes report.html into every output folder; this writes it again (for example
after an irexp update), and updates its size and SHA-256 in manifest.json when its bytes
changed. For the same files the page is the same bytes. Open it in any browser: it needs no
network and prints.

Exit codes:
  0  success
  1  failure that is not the input's fault (for example a folder that cannot be written)
  2  not an output folder (no manifest.json), or a file of it that cannot be read";

/// Arguments of `irexp report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The output folder of `irexp run` (it holds manifest.json).
    pub dir: PathBuf,
}

const VERIFY_HELP: &str = "\
A regression file (TOML) names an experiment config relative to itself, or embeds one as
[config.SECTION] tables, and lists the expected values:

  config = \"../configs/parity/cacm.toml\"
  [index]
  documents = 3204
  [ranker.bm25]
  map = 0.3123                                    # exact to the digits written
  P_30 = { value = 0.1942, tolerance = 0.0005 }   # |got - value| <= tolerance

Each experiment is written to OUT/NAME (NAME: the file name without .toml; the index cache,
unless the config names one, is OUT/index-cache, reused by later runs). The table of
expected against got goes to stdout, each failing value to a FAIL line naming the file and
line, the ranker, the measure, both values and the tolerance; OUT/verify.json holds every
check; --report OUT.html writes a status page of them all. --update rewrites the expected values of existing files with the values got (and
lists each change); --update --config CONFIG NEW.toml writes a new file. Nothing is written
to a regression file without --update. See docs/regressions.md.

Exit codes:
  0  every value as expected (or, with --update, the files were written)
  1  some value differs (each is listed), or a failure that is not the input's fault
  2  a bad regression file or config (the message names the file and line)";

/// Arguments of `irexp verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Regression files (TOML), e.g. regressions/*.toml.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The folder that receives each experiment's output (OUT/NAME) and verify.json.
    #[arg(long, value_name = "DIR", default_value = "runs/verify")]
    pub out: PathBuf,
    /// Also write a status page (one self-contained HTML file): a row per experiment and
    /// ranker, a column per measure, each cell the expected value against the value got.
    #[arg(long, value_name = "OUT.html")]
    pub report: Option<PathBuf>,
    /// Write the values got into the regression files (only with this flag).
    #[arg(long)]
    pub update: bool,
    /// With --update: create FILE (which must not exist) for this experiment config.
    #[arg(long, value_name = "CONFIG", requires = "update")]
    pub config: Option<PathBuf>,
    /// Print nothing on stderr but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

const CHECK_HELP: &str = "\
Exit codes:
  0  the folder is exactly what its manifest lists
  1  some file is missing, extra or changed (each is listed)
  2  no readable manifest.json in the folder";

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

/// Arguments of `irexp index`.
#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// `stats INDEX`: print an index's documents, terms, tokens, size and settings.
    #[command(subcommand)]
    pub action: Option<IndexAction>,
    /// The experiment config whose corpus to index (into `[index] cache`).
    pub config: Option<PathBuf>,
    /// Rebuild even if a cached index matches.
    #[arg(long)]
    pub reindex: bool,
    /// Build shard I of N only (1 <= I <= N): its index and its statistics file, in the index
    /// cache's `shards/` folder. Shards are partitioned by corpus file when there are at
    /// least N files, else by ranges of documents in corpus order. See `irexp merge --help`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<irexp::shard::ShardId>,
    /// Override a config value: `section.key=value`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<Override>,
    /// Print nothing on stderr but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `irexp index` actions.
#[derive(Debug, Subcommand)]
pub enum IndexAction {
    /// Print an index's documents, terms, tokens, size on disk and settings.
    Stats {
        /// The index folder.
        index: PathBuf,
    },
    /// Check an index in full: every file's size and SHA-256 against header.json and the
    /// structure of every file, whatever its recorded stamps say (a normal open trusts an
    /// earlier full check while no file has changed; see `irexp index --help`).
    Check {
        /// The index folder.
        index: PathBuf,
    },
    /// List the entries of an index cache folder: each index with its documents, size and
    /// last use, builds under way, cached runs, and what `gc` would remove.
    List {
        /// The cache folder (`[index] cache`; by default `$XDG_CACHE_HOME/irexp`, else
        /// `~/.cache/irexp`).
        cache: PathBuf,
    },
    /// Remove what can never be used again from an index cache folder (builds whose process
    /// is gone, unfinished folders, indexes of another format version) and, with
    /// --unused-for, indexes not used for that many days. Builds under way are kept.
    Gc {
        /// The cache folder.
        cache: PathBuf,
        /// Also remove indexes not used for this many days.
        #[arg(long, value_name = "DAYS")]
        unused_for: Option<u64>,
    },
}

/// Arguments of `irexp check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The output folder of `irexp run` (it holds manifest.json).
    pub dir: PathBuf,
}

const COMPARE_HELP: &str = "\
Topics are paired by qid. Every run is evaluated against the qrels as trec_eval does; a topic
answered by one run and not another is an error unless --missing zero (trec_eval -c: every
qrels topic is compared, unanswered ones score 0; the choice is printed with the results).

Tests: randomization (default; exact when 2^topics <= --permutations, else sampled with
p = (b+1)/(B+1)), t (paired t-test), wilcoxon (signed-rank; zero differences dropped, ties
averaged, normal approximation beyond 50 topics), tukey (randomized Tukey HSD over all runs,
family-wise, so --correction none). Corrections apply per measure over the runs compared with
the baseline; the default is holm.

--out DIR receives compare.{txt,md,tex,csv,json}, compare.topics.csv (per topic, long form),
diff-MEASURE.svg (sorted per-topic differences), pr.svg (11-point precision-recall)
and report.html (all of it on one self-contained page).

Exit codes:
  0  success
  1  failure that is not the input's fault (for example an output folder that cannot be written)
  2  usage, configuration or input error (the message names the runs, topics, file or key)";

/// Output formats of `irexp compare` on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    /// The terminal table.
    Table,
    /// Markdown tables.
    Markdown,
    /// A LaTeX (booktabs) table.
    Latex,
    /// CSV, one row per measure and run.
    Csv,
    /// JSON with every value, per topic included.
    Json,
}

/// Arguments of `irexp compare`.
#[derive(Debug, Clone, clap::Args)]
pub struct CompareArgs {
    /// The qrels. Give it once for every run, or once per run in the order of the runs (runs
    /// judged by different qrels are refused).
    #[arg(long, required = true, value_name = "QRELS")]
    pub qrels: Vec<PathBuf>,
    /// The runs (TREC format); each is named by its file name without extension. At least
    /// two, counting a --baseline given as a path that is not among them.
    #[arg(required = true, num_args = 1.., value_name = "RUN")]
    pub runs: Vec<PathBuf>,
    /// The baseline (default: the first run): one of the runs, by path or name, or a run
    /// file of its own (`--baseline bm25.run qld.run rm3.run`, as ranx and PyTerrier put
    /// it), which is then compared with every run given.
    #[arg(long, value_name = "RUN")]
    pub baseline: Option<String>,
    /// A measure to compare (trec_eval names; repeatable). Default: map, P_10, ndcg_cut_10.
    #[arg(short, long = "measure", value_name = "MEASURE")]
    pub measures: Vec<String>,
    /// The significance test: randomization (default), t, wilcoxon or tukey.
    #[arg(long, value_name = "TEST")]
    pub test: Option<String>,
    /// The correction: none, bonferroni, holm or bh (default holm; none for tukey).
    #[arg(long, value_name = "CORRECTION")]
    pub correction: Option<String>,
    /// The significance level, strictly between 0 and 1 (default 0.05).
    #[arg(long, value_name = "ALPHA")]
    pub alpha: Option<f64>,
    /// The seed of the permutations and the bootstrap (default 42).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Permutations (randomization test) or trials (Tukey HSD) (default 10000).
    #[arg(long, value_name = "N")]
    pub permutations: Option<usize>,
    /// Bootstrap resamples for the interval of the mean difference (default 10000).
    #[arg(long, value_name = "N")]
    pub bootstrap: Option<usize>,
    /// Topics missing from a run: error (default), or zero (trec_eval -c).
    #[arg(long, value_name = "POLICY")]
    pub missing: Option<String>,
    /// A topic is a tie when |difference| <= this (default 0).
    #[arg(long, value_name = "X")]
    pub tie_margin: Option<f64>,
    /// Risk aversion alpha of URisk/TRisk: losses weigh 1 + alpha (default 1).
    #[arg(long, value_name = "X")]
    pub risk_alpha: Option<f64>,
    /// Write every table and plot into this folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// What to print on stdout (repeatable).
    #[arg(long, value_enum, default_values_t = [CompareFormat::Table])]
    pub format: Vec<CompareFormat>,
}

/// Arguments of `irexp explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The experiment config (TOML).
    pub config: PathBuf,
    /// The ranker to explain, by name.
    #[arg(long)]
    pub ranker: String,
    /// The topic.
    #[arg(long)]
    pub qid: String,
    /// The document.
    #[arg(long)]
    pub docno: String,
    /// Override a config value: `section.key=value`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<Override>,
}

const EVAL_HELP: &str = "\
For one run, the text output is trec_eval 9.0.8's byte for byte (runid is printed when it is
selected: by default, with all_trec or set, or with -m runid). Several runs give a side-by-side
table, one column per run.

Examples:
  irexp eval qrels.txt bm25.run
  irexp eval -q -m all_trec qrels.txt bm25.run
  irexp eval -m map -m P.10 -m 'P(rel=2)@10' -m Judged@10 qrels.txt a.run b.run
  zcat run.gz | irexp eval -m ndcg_cut.10 qrels.txt -

Exit codes (trec_eval's):
  0  success
  1  illegal measure, usage error, or a failure that is not the input's fault
  2  unreadable or malformed input (the message names the file, line and field); bad cutoffs
  4  a document retrieved twice in a topic, or judged twice; wrong parameter count (utility)
  7  no topic has both results and judgments";

const RUN_HELP: &str = "\
The output folder ([experiment] output) receives, for each ranker NAME:
  NAME.run              the TREC run (qid Q0 docno rank score tag)
  NAME.eval             trec_eval-style text (per topic, then the summary)
and once:
  eval.json             every measure, summary and per topic, for pandas
  config.resolved.toml  the configuration with every default explicit and every path
                        absolute: `irexp run OUT/config.resolved.toml` reruns it
  report.html           one self-contained page: measures, comparisons, per-topic
                        plots and tables, provenance (`irexp report OUT` rewrites it)
  manifest.json         the command line, irexp version and commit, inputs and every
                        output with sizes and SHA-256, counts, timings

The folder is published whole: outputs are written into a staging folder beside it and
renamed into place once complete, so after a failure or a kill it is still the previous
result. A second run into the same folder fails while the first holds it; a folder that
holds files irexp did not write is refused. `irexp check OUT` verifies a folder.

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
    /// Rebuild the index even if a cached one matches the corpus and analyzer settings.
    #[arg(long)]
    pub reindex: bool,
    /// Run only this ranker (a `[[ranker]]` name, or `RANKER.cv` for a `[[tune]]`, which
    /// brings its sweep). May be repeated. `[compare]` keeps the baselines still run.
    #[arg(long = "ranker", value_name = "NAME")]
    pub rankers: Vec<String>,
    /// Rank only the topics whose qids this file lists (whitespace-separated); the same as
    /// `--set topics.subset=FILE`.
    #[arg(long = "topics", value_name = "FILE")]
    pub topics: Option<PathBuf>,
    /// Rank shard I of N only (built by `irexp index CONFIG --shard I/N`), with the whole
    /// collection's statistics from every shard's statistics file, and write its top k per
    /// topic into the shards' folder for `irexp merge` (no output folder). With RM3, the
    /// first run writes the first round; after `irexp merge` has expanded the queries, the
    /// next run ranks them. Lists already written are kept.
    #[arg(long, value_name = "I/N", conflicts_with = "reindex")]
    pub shard: Option<irexp::shard::ShardId>,
}

const MERGE_HELP: &str = "\
The sharded workflow, on one machine in sequence or as cluster jobs (see `irexp slurm`):
  irexp index CONFIG --shard I/N    for I = 1..N: shard I's index and statistics file
  irexp run CONFIG --shard I/N      for I = 1..N: shard I's top k, collection-wide statistics
  irexp merge CONFIG                the merged runs, evaluated and written as `irexp run` writes them
With RM3 rankers, the first merge expands the queries from the merged first stage and says
so; run every shard again, then merge again.

Shards are partitioned by corpus file when there are at least N files, else by ranges of
documents in corpus order. The merged runs, .eval files, eval.json and comparisons are
byte-identical to one machine's `irexp run`. Missing shards are named and nothing is
written; running a command again does only what is missing.

Exit codes:
  0  success (the output folder is published, or RM3's queries are expanded)
  1  some shard has not been indexed or ranked yet (each is named), or another failure
  2  usage, configuration or input error, or a shard of another corpus version or settings";

const SLURM_HELP: &str = "\
The whole workflow on a Slurm cluster, from a login node (shared file system assumed):
  irexp slurm CONFIG --shards 16                 write DIR/index.sbatch, search.sbatch, merge.sbatch, submit.sh
  irexp slurm CONFIG --shards 16 --submit        submit the chain: index array -> search array -> merge
  irexp slurm CONFIG --shards 16 --submit --wait   ... and wait for it (exit 1 if a job failed)
  irexp check OUT                                the merged output folder, as `irexp run` writes it
  irexp slurm CONFIG --shards 16 --submit        after a failure: only the missing shards do work
With RM3 rankers the chain runs search and merge twice (the first merge expands the queries).
Jobs get --cpus-per-task, --mem and --time sized from measured per-document figures
(docs/SCALE.md) for --documents D (default: estimated from the corpus bytes); set them with
--cpus, --mem, --time, and --partition, --account. Logs go to DIR/logs/.

Exit codes:
  0  scripts written (and submitted; with --wait, the chain succeeded)
  1  sbatch failed, or with --wait a job of the chain failed or was cancelled
  2  usage, configuration or input error";

/// Arguments of `irexp slurm`.
#[derive(Debug, clap::Args)]
pub struct SlurmArgs {
    /// The experiment config (TOML).
    pub config: PathBuf,
    /// How many shards (array tasks).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub shards: u32,
    /// Where to write the scripts (default: the output folder's path with `.slurm` added).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// CPUs per task (--cpus-per-task; RAYON_NUM_THREADS follows it).
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..))]
    pub cpus: u32,
    /// Memory per task in MiB (default: sized per task kind from the documents per shard).
    #[arg(long, value_name = "MIB")]
    pub mem: Option<u64>,
    /// Time limit per task in minutes (default: sized from the documents per shard).
    #[arg(long, value_name = "MINUTES")]
    pub time: Option<u64>,
    /// Slurm partition.
    #[arg(long)]
    pub partition: Option<String>,
    /// Slurm account.
    #[arg(long)]
    pub account: Option<String>,
    /// The collection's documents, for sizing (default: corpus bytes / 3000).
    #[arg(long, value_name = "D")]
    pub documents: Option<u64>,
    /// Submit the chain with sbatch and print the job ids.
    #[arg(long)]
    pub submit: bool,
    /// With --submit: wait until the chain has ended.
    #[arg(long, requires = "submit")]
    pub wait: bool,
    /// Override a config value in every job: `section.key=value`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<Override>,
    /// Only these rankers, in every job (as `irexp run --ranker`).
    #[arg(long = "ranker", value_name = "NAME")]
    pub rankers: Vec<String>,
}

/// Arguments of `irexp merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The experiment config (TOML), as given to `irexp run --shard`.
    pub config: PathBuf,
    /// Override a config value: `section.key=value` (the same as for the shards).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<Override>,
    /// How many shards (needed only when the index cache holds shards of this collection in
    /// more than one count).
    #[arg(long, value_name = "N")]
    pub shards: Option<u32>,
    /// Merge only this ranker (as `irexp run --ranker`). May be repeated.
    #[arg(long = "ranker", value_name = "NAME")]
    pub rankers: Vec<String>,
    /// Print nothing on stderr but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The exit code for `err` under `command`: trec_eval's codes for `eval`, else 2 for errors
/// the user can fix and 1 for the others.
pub fn exit_code(command: &Command, err: &irexp::Error) -> u8 {
    match command {
        Command::Eval(_) => err.trec_eval_exit_code(),
        _ if err.is_user_error() => exit::INPUT,
        _ => exit::FAILURE,
    }
}

/// Runs the parsed command line, writing results to `out`.
pub fn dispatch(cli: &Cli, out: &mut dyn std::io::Write) -> irexp::Result<()> {
    match &cli.command {
        Command::Run(args) => run::run(args, out),
        Command::Eval(args) => eval::eval(args, out),
        Command::Explain(args) => explain::run(args, out),
        Command::Index(args) => index::run(args, out),
        Command::Compare(args) => compare::run(args, out),
        Command::Fuse(args) => fuse::run(args, out),
        Command::Corpus(CorpusCommand::Stats(args)) => corpus::stats(args, out),
        Command::Corpus(CorpusCommand::Show(args)) => corpus::show(args, out),
        Command::Check(args) => check::run(args, out),
        Command::Verify(args) => verify::run(args, out),
        Command::Merge(args) => merge::run(args, out),
        Command::Slurm(args) => slurm::run(args, out),
        Command::Report(args) => report::run(args, out),
    }
}
