//! `irexp run CONFIG`.

use std::io::Write;

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};

use super::RunArgs;
use irexp::config::Experiment;
use irexp::error::Error;
use irexp::experiment::{self, Report};
use irexp::progress::Progress;

pub(super) fn run(args: &RunArgs, out: &mut dyn Write) -> irexp::Result<()> {
    let exp = Experiment::load(&args.config, &args.overrides)?;
    let progress = Progress::stderr(args.quiet);
    progress.message(&format!(
        "experiment {}: output in {}",
        exp.name,
        exp.output.display()
    ));
    let command: Vec<String> = std::env::args().collect();
    let report = experiment::execute(&exp, args.reindex, &progress, &command)?;
    if !report.topics_without_terms.is_empty() {
        progress.message(&format!(
            "{} topics have no query term in the index and get no results: {}",
            report.topics_without_terms.len(),
            report.topics_without_terms.join(" ")
        ));
    }
    let mut text = render_table(&report);
    for (comparison, dir) in &report.comparisons {
        text.push_str(&format!(
            "\nComparison with {} (written to {}):\n",
            comparison.baseline,
            dir.display()
        ));
        text.push_str(&comparison.to_terminal());
    }
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))?;
    Ok(())
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
