//! `irexp run CONFIG`.

use std::io::Write;

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};

use super::RunArgs;
use crate::config::Experiment;
use crate::error::Error;
use crate::experiment::{self, Report};
use crate::progress::Progress;

pub(super) fn run(args: &RunArgs, out: &mut dyn Write) -> crate::Result<()> {
    let exp = Experiment::load(&args.config, &args.overrides)?;
    let progress = Progress::stderr(args.quiet);
    progress.message(&format!(
        "experiment {}: output in {}",
        exp.name,
        exp.output.display()
    ));
    let report = experiment::execute(&exp, &progress)?;
    if !report.topics_without_terms.is_empty() {
        progress.message(&format!(
            "{} topics have no query term in the index and get no results: {}",
            report.topics_without_terms.len(),
            report.topics_without_terms.join(" ")
        ));
    }
    let text = render_table(&report);
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))?;
    Ok(())
}

/// The summary table: one row per ranker, one column per measure.
fn render_table(report: &Report) -> String {
    let Some(first) = report.rankers.iter().find_map(|r| r.evaluation.as_ref()) else {
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
    let mut header = vec![Cell::new("ranker")];
    header.extend(first.measures.iter().map(|m| Cell::new(m.to_string())));
    table.set_header(header);
    for r in &report.rankers {
        let Some(ev) = &r.evaluation else { continue };
        let mut row = vec![Cell::new(&r.name)];
        for (m, v) in ev.measures.iter().zip(&ev.summary) {
            let text = if m.is_integer() {
                format!("{}", *v as i64)
            } else {
                format!("{v:.4}")
            };
            row.push(Cell::new(text).set_alignment(CellAlignment::Right));
        }
        table.add_row(row);
    }
    format!("{table}\n")
}
