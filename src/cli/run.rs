//! `irexp run CONFIG`.

use std::io::Write;

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};

use super::RunArgs;
use irexp::config::Experiment;
use irexp::error::Error;
use irexp::experiment::{self, Report};
use irexp::progress::Progress;

pub(super) fn run(args: &RunArgs, out: &mut dyn Write) -> irexp::Result<()> {
    let mut overrides = args.overrides.clone();
    if let Some(file) = &args.topics {
        overrides.push(irexp::config::Override {
            key: "topics.subset".into(),
            value: toml_string(&file.display().to_string()),
        });
    }
    let mut exp = Experiment::load(&args.config, &overrides)?;
    let progress = Progress::stderr(args.quiet);
    if !args.rankers.is_empty() {
        for note in exp.select_rankers(&args.rankers)? {
            progress.message(&note);
        }
    }
    if let Some(id) = args.shard {
        let done = irexp::shard::run_shard(&exp, id, &progress)?;
        let mut text = format!("shard {} in {}\n", done.shard, done.dir.display());
        for (name, step) in &done.steps {
            text.push_str(&format!("  {name}: {}\n", step.describe()));
        }
        return out
            .write_all(text.as_bytes())
            .map_err(|e| Error::io("<stdout>", e));
    }
    progress.message(&format!(
        "experiment {}: output in {}",
        exp.name,
        exp.output.display()
    ));
    let command: Vec<String> = std::env::args().collect();
    let report = experiment::execute(&exp, args.reindex, &progress, &command)?;
    write_report(&report, &progress, out)
}

/// Prints what an experiment gave: the summary table, comparisons and sweeps (for `irexp run`
/// and `irexp merge`).
pub(super) fn write_report(
    report: &Report,
    progress: &Progress,
    out: &mut dyn Write,
) -> irexp::Result<()> {
    if !report.topics_without_terms.is_empty() {
        progress.message(&format!(
            "{} topics have no query term in the index and get no results: {}",
            report.topics_without_terms.len(),
            report.topics_without_terms.join(" ")
        ));
    }
    let mut text = render_table(report);
    for (comparison, dir) in &report.comparisons {
        text.push_str(&format!(
            "\nComparison with {} (written to {}):\n",
            comparison.baseline,
            dir.display()
        ));
        text.push_str(&comparison.to_terminal());
    }
    for sweep in &report.sweeps {
        text.push_str(&format!(
            "\nSweep {} ({} points, {} from the run cache; written to {}):\n",
            sweep.name,
            sweep.points,
            sweep.reused,
            report.output.join(&sweep.dir).display()
        ));
        for (m, point, v) in &sweep.best {
            text.push_str(&format!("  best {m:<16} {v:.4}  {point}\n"));
        }
        for (fold, point) in &sweep.choices {
            text.push_str(&format!("  fold {fold}: {point}\n"));
        }
    }
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))?;
    Ok(())
}

/// `text` as a TOML string (so that `--topics` takes any path as it is).
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The summary table: one row per measure, one column per ranker (measure lists are long,
/// ranker lists short, so this stays readable in a terminal).
fn render_table(report: &Report) -> String {
    let evaluated: Vec<_> = report
        .rankers
        .iter()
        .filter_map(|r| r.evaluation.as_ref().map(|e| (r, e)))
        .collect();
    let Some((_, first)) = evaluated.first() else {
        let mut s = String::new();
        for r in &report.rankers {
            s.push_str(&format!(
                "{}: {} (no qrels, not evaluated)\n",
                r.name,
                r.run_path.display()
            ));
        }
        return s;
    };
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    let mut header = vec![Cell::new("measure")];
    header.extend(evaluated.iter().map(|(r, _)| Cell::new(&r.name)));
    table.set_header(header);
    for (i, m) in first.measures.iter().enumerate() {
        if m.is_text() {
            // relstring has per-topic values only (NAME.eval and eval.json hold them).
            continue;
        }
        let mut row = vec![Cell::new(m.to_string())];
        for (_, ev) in &evaluated {
            let v = ev.summary[i];
            let text = if m.is_integer() {
                format!("{}", v as i64)
            } else {
                format!("{v:.4}")
            };
            row.push(Cell::new(text).set_alignment(CellAlignment::Right));
        }
        table.add_row(row);
    }
    format!("{table}\n")
}
