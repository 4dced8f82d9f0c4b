//! `irexp eval [trec_eval flags] QRELS RUN...`: trec_eval's command line over
//! [`irexp::eval`].

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use irexp::error::{Error, EvalErrorKind, Location};
use irexp::eval::measure::{parse_trec_eval_selection_for, MeasureParseError};
use irexp::eval::{
    side_by_side_text, Compat, EvalOptions, Evaluation, Evaluator, TextOptions, ZScores, CSV_HEADER,
};
use irexp::qrels::Qrels;

/// Arguments of `irexp eval`: trec_eval's flags, plus `--compat` and `--format`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The qrels file (`qid iter docno rel`; gzip is read transparently).
    pub qrels: PathBuf,
    /// One or more run files (`qid Q0 docno rank score tag`); `-` reads a run from stdin.
    #[arg(required = true)]
    pub runs: Vec<PathBuf>,
    /// Also print one block per topic (trec_eval -q).
    #[arg(short = 'q')]
    pub per_topic: bool,
    /// A measure, with parameters after the first `.` (`P.5,10`, `ndcg.1=3,2=9`), or a
    /// nickname (`official`, `all_trec`, `set`), or an ir_measures name (`nDCG@10`,
    /// `P(rel=2)@10`, `Judged@10`). Repeatable; the first parameter list given for a measure
    /// wins. Default: official.
    #[arg(short = 'm', value_name = "MEASURE")]
    pub measures: Vec<String>,
    /// Average over every qrels topic; topics missing from the run count as 0 (trec_eval -c).
    #[arg(short = 'c')]
    pub complete: bool,
    /// Relevance level: a judged document is relevant when its value is at least N
    /// (trec_eval -l; default 1).
    #[arg(
        short = 'l',
        value_name = "N",
        default_value_t = 1,
        allow_negative_numbers = true
    )]
    pub level: i64,
    /// Keep only the first N documents of each topic after sorting (trec_eval -M).
    #[arg(short = 'M', value_name = "N")]
    pub max_docs: Option<usize>,
    /// Keep only judged documents (trec_eval -J).
    #[arg(short = 'J')]
    pub judged_only: bool,
    /// Print no summary (trec_eval -n).
    #[arg(short = 'n')]
    pub no_summary: bool,
    /// Number of documents in the collection, used by `utility` (trec_eval -N; default 0).
    #[arg(
        short = 'N',
        value_name = "N",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    pub num_docs: i64,
    /// Print z-scores instead of values, from a file of `qid measure mean sd` lines
    /// (trec_eval -Z); names get a `Z` prefix.
    #[arg(short = 'Z', value_name = "FILE")]
    pub zscores: Option<PathBuf>,
    /// Judgments format (trec_eval -R): only `qrels`; the preference and judgment-group
    /// formats are not supported.
    #[arg(short = 'R', value_name = "FORMAT", default_value = "qrels", value_parser = ["qrels"])]
    pub rel_format: String,
    /// Results format (trec_eval -T): only `trec_results`.
    #[arg(
        short = 'T',
        value_name = "FORMAT",
        default_value = "trec_results",
        value_parser = ["trec_results"]
    )]
    pub results_format: String,
    /// Obsolete, ignored (trec_eval -o).
    #[arg(short = 'o', hide = true)]
    pub old_output: bool,
    /// Which trec_eval to reproduce: 9.0.8 (float32 score sorting, trunc(x·R+0.9) recall
    /// cutoffs) or 10.0 (f64 sorting, lround cutoffs, `#` comments, missing topics printed
    /// under -c -q, unj/rbp in all_trec). 10.0's fatal error on a qrels topic missing from
    /// the run is a regression and is not reproduced: such topics are skipped.
    #[arg(long, value_name = "VERSION", default_value = "9.0.8", value_parser = parse_compat)]
    pub compat: Compat,
    /// Output format: trec_eval text (several runs: side by side), JSON or tidy CSV (per-topic
    /// values included with -q).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Output formats of `irexp eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// trec_eval's text; for several runs, one column per run.
    Text,
    /// A JSON array, one object per run: `file`, `runid`, `measures`, `summary`,
    /// `per_topic`.
    Json,
    /// Tidy CSV: `file,runid,qid,measure,value`.
    Csv,
}

fn parse_compat(s: &str) -> Result<Compat, String> {
    match s {
        "9.0.8" | "9" => Ok(Compat::V9_0_8),
        "10.0" | "10" => Ok(Compat::V10_0),
        _ => Err(format!("expected 9.0.8 or 10.0, not {s:?}")),
    }
}

/// The library error for a bad `-m` argument, with trec_eval's class.
fn measure_error(e: MeasureParseError) -> Error {
    let kind = match &e {
        MeasureParseError::Empty | MeasureParseError::Unknown { .. } => {
            EvalErrorKind::IllegalMeasure
        }
        MeasureParseError::ParameterCount { .. } => EvalErrorKind::ParameterCount,
        _ => EvalErrorKind::BadParameter,
    };
    Error::eval(kind, Location::arg("-m"), e.to_string())
}

/// A run file's text (read from a file, gzip or not, or from stdin) and the path errors name.
struct LoadedRun {
    name: String,
    path: PathBuf,
    text: String,
}

fn load_run(path: &Path) -> irexp::Result<LoadedRun> {
    let (text, shown) = if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("<stdin>", e))?;
        let shown = PathBuf::from("<stdin>");
        (irexp::input::decode_utf8(bytes, &shown)?, shown)
    } else {
        (irexp::input::read_to_string(path)?, path.to_path_buf())
    };
    Ok(LoadedRun {
        name: path.display().to_string(),
        path: shown,
        text,
    })
}

pub(super) fn eval(args: &EvalArgs, out: &mut dyn Write) -> irexp::Result<()> {
    let selection =
        parse_trec_eval_selection_for(args.measures.iter().map(String::as_str), args.compat)
            .map_err(measure_error)?;
    let options = EvalOptions {
        relevance_level: args.level,
        complete: args.complete,
        max_docs: args.max_docs,
        judged_only: args.judged_only,
        num_docs: args.num_docs,
        compat: args.compat,
    };
    let zscores = match &args.zscores {
        Some(path) => Some(ZScores::parse(&irexp::input::read_to_string(path)?, path)?),
        None => None,
    };
    let read_qrels = || -> irexp::Result<Qrels> {
        match args.compat {
            // trec_eval 10.0 skips `#` comment lines.
            Compat::V10_0 => {
                Qrels::parse_with_comments(&irexp::input::read_to_string(&args.qrels)?, &args.qrels)
            }
            Compat::V9_0_8 => Qrels::read(&args.qrels),
        }
    };
    // The qrels and the first run are read at the same time; a qrels error is reported
    // first, as trec_eval reads the qrels first.
    let Some((first, rest)) = args.runs.split_first() else {
        return Ok(());
    };
    let (qrels, first_run) = rayon::join(read_qrels, || load_run(first));
    let qrels = qrels?;
    let evaluator = Evaluator::new(&qrels, &selection.measures, options)?;

    // Each run is read, evaluated and dropped before the next one is read.
    let mut names: Vec<String> = Vec::with_capacity(args.runs.len());
    let mut evals: Vec<Evaluation> = Vec::with_capacity(args.runs.len());
    let mut pending = Some(first_run);
    let mut rest = rest.iter();
    loop {
        let l = match pending.take() {
            Some(loaded) => loaded?,
            None => match rest.next() {
                Some(path) => load_run(path)?,
                None => break,
            },
        };
        let mut e = evaluator.evaluate_text(&l.text, &l.path)?;
        if let Some(z) = &zscores {
            e = evaluator.z_scores(&e, z);
        }
        names.push(l.name);
        evals.push(e);
    }

    let text = match args.format {
        Format::Text if evals.len() == 1 => evals[0].trec_eval_text(&TextOptions {
            per_topic: args.per_topic,
            summary: !args.no_summary,
            runid: selection.runid,
            zscore: zscores.is_some(),
        }),
        Format::Text => {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let refs: Vec<&Evaluation> = evals.iter().collect();
            side_by_side_text(&names, &refs, args.per_topic, selection.runid)
        }
        Format::Json => {
            let arr: Vec<serde_json::Value> = names
                .iter()
                .zip(&evals)
                .map(|(name, e)| {
                    let mut v = e.to_json();
                    if let Some(obj) = v.as_object_mut() {
                        obj.insert("file".into(), serde_json::json!(name));
                        if !args.per_topic {
                            obj.remove("per_topic");
                        }
                    }
                    v
                })
                .collect();
            // serde_json::Value always serializes.
            let mut s = serde_json::to_string_pretty(&arr).expect("a JSON value serializes");
            s.push('\n');
            s
        }
        Format::Csv => {
            let mut s = String::from(CSV_HEADER);
            for (name, e) in names.iter().zip(&evals) {
                e.write_csv_rows(name, args.per_topic, &mut s);
            }
            s
        }
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))
}
