//! `irexp compare --qrels QRELS RUN... [--baseline RUN]`.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{CompareArgs, CompareFormat};
use irexp::compare::{self, CompareSettings, System};
use irexp::error::{Error, Location, Result};
use irexp::qrels::Qrels;
use irexp::run::Run;

/// The settings the flags give (one schema with `[compare]`, checked once by
/// [`CompareSettings::resolve`]); the baseline is handled apart.
impl From<&CompareArgs> for CompareSettings {
    fn from(args: &CompareArgs) -> CompareSettings {
        CompareSettings {
            baseline: None,
            measures: (!args.measures.is_empty()).then(|| args.measures.clone()),
            test: args.test.clone(),
            correction: args.correction.clone(),
            alpha: args.alpha,
            seed: args.seed,
            permutations: args.permutations,
            bootstrap: args.bootstrap,
            missing: args.missing.clone(),
            tie_margin: args.tie_margin,
            risk_alpha: args.risk_alpha,
        }
    }
}

/// The flag that sets a `[compare]` key.
fn flag(key: &str) -> String {
    match key {
        "measures" => "-m".to_string(),
        other => format!("--{}", other.replace('_', "-")),
    }
}

pub(super) fn run(args: &CompareArgs, out: &mut dyn Write) -> Result<()> {
    let options = CompareSettings::from(args)
        .resolve()
        .map_err(|e| Error::config(Location::arg(flag(e.key)), e.message))?;
    // `--baseline PATH RUN...` (as ranx and PyTerrier name the baseline, then the systems):
    // a baseline that is a file and not one of the runs comes first.
    let mut runs = args.runs.clone();
    if let Some(b) = &args.baseline {
        let path = Path::new(b);
        if !runs.iter().any(|r| r == path) && path.is_file() {
            runs.insert(0, path.to_path_buf());
        }
    }
    if runs.len() < 2 {
        let why = match &args.baseline {
            Some(b) if !Path::new(b).is_file() => format!(" (--baseline {b} is not a file)"),
            _ => String::new(),
        };
        return Err(Error::config(
            Location::arg("RUN"),
            format!("compare needs at least two runs: give the runs, or --baseline RUN and one or more runs{why}"),
        ));
    }
    let args = &CompareArgs {
        runs,
        ..args.clone()
    };
    if args.qrels.len() != 1 && args.qrels.len() != args.runs.len() {
        return Err(Error::config(
            Location::arg("--qrels"),
            format!(
                "give --qrels once, or once per run: {} qrels for {} runs",
                args.qrels.len(),
                args.runs.len()
            ),
        ));
    }
    let names = run_names(&args.runs)?;
    let baseline = match &args.baseline {
        None => names[0].clone(),
        Some(b) => names
            .iter()
            .zip(&args.runs)
            .find(|(n, p)| *n == b || Path::new(b) == p.as_path())
            .map(|(n, _)| n.clone())
            .ok_or_else(|| {
                Error::config(
                    Location::arg("--baseline"),
                    format!(
                        "the baseline {b:?} is not one of the runs ({})",
                        names.join(", ")
                    ),
                )
            })?,
    };
    let base_index = names.iter().position(|n| *n == baseline).unwrap_or(0);

    // Read the qrels once per distinct path.
    let mut qrels: Vec<(PathBuf, Qrels)> = Vec::new();
    for p in &args.qrels {
        if !qrels.iter().any(|(q, _)| q == p) {
            qrels.push((p.clone(), Qrels::read(p)?));
        }
    }
    let qrels_of = |i: usize| -> &(PathBuf, Qrels) {
        let path = if args.qrels.len() == 1 {
            &args.qrels[0]
        } else {
            &args.qrels[i]
        };
        qrels
            .iter()
            .find(|(q, _)| q == path)
            .expect("every qrels path was read")
    };
    let (base_qrels_path, base_qrels) = qrels_of(base_index);
    for (i, name) in names.iter().enumerate() {
        let (path, q) = qrels_of(i);
        if q != base_qrels {
            return Err(Error::input(
                Location::file(path),
                format!(
                    "runs {baseline} and {name} were evaluated with different qrels ({} and {}); \
                     judgments differ on topics {}",
                    base_qrels_path.display(),
                    path.display(),
                    differing_topics(base_qrels, q)
                ),
            ));
        }
    }

    let evaluator = compare::evaluator(base_qrels, &options)?;
    let mut systems = Vec::with_capacity(args.runs.len());
    for (path, name) in args.runs.iter().zip(&names) {
        let run = Run::read(path)?;
        let evaluation = evaluator
            .evaluate(&run)
            .map_err(|e| e.within(Location::file(path), "evaluating the run"))?;
        systems.push(System::new(name.clone(), evaluation));
    }
    let qrels_topics = compare::qrels_topics(base_qrels);
    let report = compare::compare(&systems, &baseline, &options, Some(&qrels_topics))?;

    let mut text = String::new();
    for f in &args.format {
        text.push_str(&match f {
            CompareFormat::Table => report.to_terminal(),
            CompareFormat::Markdown => report.to_markdown(),
            CompareFormat::Latex => report.to_latex(),
            CompareFormat::Csv => report.to_csv(),
            CompareFormat::Json => report.to_json(),
        });
    }
    let written = match &args.out {
        Some(dir) => {
            let mut written = compare::write_outputs(&report, dir)?;
            irexp::report::write_comparison_report(dir)?;
            written.push(dir.join(irexp::report::REPORT));
            written
        }
        None => Vec::new(),
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("<stdout>", e))?;
    if let Some(dir) = &args.out {
        eprintln!(
            "irexp compare: wrote {} files to {}",
            written.len(),
            dir.display()
        );
    }
    Ok(())
}

/// Each run's name: its file name without `.gz` and then without its extension.
fn run_names(runs: &[PathBuf]) -> Result<Vec<String>> {
    let mut names: Vec<String> = Vec::with_capacity(runs.len());
    for p in runs {
        let file = p
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string());
        let file = file.strip_suffix(".gz").unwrap_or(&file);
        let name = match file.rsplit_once('.') {
            Some((stem, _)) if !stem.is_empty() => stem.to_string(),
            _ => file.to_string(),
        };
        if let Some(i) = names.iter().position(|n| *n == name) {
            return Err(Error::config(
                Location::file(p),
                format!(
                    "runs {} and {} would both be named {name:?}; rename one",
                    runs[i].display(),
                    p.display()
                ),
            ));
        }
        names.push(name);
    }
    Ok(names)
}

/// The topics whose judgments differ between two qrels, for an error message.
fn differing_topics(a: &Qrels, b: &Qrels) -> String {
    let mut qids: Vec<&str> = a.topics().map(|(q, _)| q).collect();
    qids.extend(b.topics().map(|(q, _)| q));
    qids.sort_unstable();
    qids.dedup();
    let differ: Vec<&str> = qids
        .into_iter()
        .filter(|q| a.topic(q) != b.topic(q))
        .collect();
    let head = differ[..differ.len().min(20)].join(" ");
    if differ.len() > 20 {
        format!("{head} … ({} topics)", differ.len())
    } else {
        head
    }
}
