//! `irexp verify FILE... [--out DIR] [--report OUT.html] [--update [--config CONFIG]]`.

use std::io::Write;
use std::path::Path;

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};

use super::VerifyArgs;
use irexp::config::Experiment;
use irexp::error::{DisplayPath, Error, Location, Result};
use irexp::experiment;
use irexp::progress::Progress;
use irexp::regression::{self, Regression, Verified};

/// The summary's name in the output folder.
pub const SUMMARY: &str = "verify.json";

pub(super) fn run(args: &VerifyArgs, out: &mut dyn Write) -> Result<()> {
    let progress = Progress::stderr(args.quiet);
    let command: Vec<String> = std::env::args().collect();
    if let Some(config) = &args.config {
        return create(args, config, &progress, &command, out);
    }
    // Every file is read and checked before anything runs.
    let regressions: Vec<Regression> = args
        .files
        .iter()
        .map(|f| Regression::read(f))
        .collect::<Result<_>>()?;
    let mut names = std::collections::HashSet::new();
    for r in &regressions {
        if !names.insert(r.name.as_str()) {
            return Err(Error::config(
                Location::file(&r.path),
                format!(
                    "two regression files are named {:?}; their outputs would share {}",
                    r.name,
                    args.out.join(&r.name).display()
                ),
            ));
        }
    }
    let mut verified = Vec::new();
    for r in &regressions {
        progress.message(&format!("verify {}", r.path.display()));
        verified.push(r.verify(&args.out.join(&r.name), &progress, &command)?);
    }
    let mut text = render_table(&verified);
    let summary = summary_json(&verified);
    std::fs::create_dir_all(&args.out).map_err(|e| Error::io(&args.out, e))?;
    let json_path = args.out.join(SUMMARY);
    write_json(&json_path, &summary)?;
    if let Some(page) = &args.report {
        irexp::report::write_status_page(page, &verified)?;
    }
    if args.update {
        for v in &verified {
            let (new, changes) = v.regression.update(&v.checks);
            if changes.is_empty() {
                text.push_str(&format!("{}: unchanged\n", v.regression.path.display()));
            } else {
                irexp::atomic::write(&v.regression.path, new.as_bytes())?;
                for c in &changes {
                    text.push_str(&format!("updated {c}\n"));
                }
            }
        }
    }
    let failed: Vec<String> = verified
        .iter()
        .flat_map(|v| {
            v.checks.iter().filter(|c| !c.passed).map(move |c| {
                format!(
                    "FAIL {}:{}: {}, {}: expected {}, got {} (tolerance: {})",
                    v.regression.path.display(),
                    c.line,
                    c.ranker
                        .as_ref()
                        .map_or("index".to_string(), |r| format!("ranker {r}")),
                    c.measure,
                    c.expected,
                    c.got_text,
                    c.tolerance.describe()
                )
            })
        })
        .collect();
    let total: usize = verified.iter().map(|v| v.checks.len()).sum();
    for f in &failed {
        text.push_str(f);
        text.push('\n');
    }
    text.push_str(&format!(
        "{} of {total} values as expected in {} files; summary in {}\n",
        total - failed.len(),
        verified.len(),
        json_path.display()
    ));
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))?;
    if failed.is_empty() || args.update {
        return Ok(());
    }
    Err(Error::Mismatch {
        path: DisplayPath(args.out.join(SUMMARY)),
        message: format!(
            "{} of {total} values differ from the regression files (listed above)",
            failed.len()
        ),
    })
}

/// `--update --config CONFIG NEW.toml`: runs the config and writes a new regression file
/// with every value got.
fn create(
    args: &VerifyArgs,
    config: &Path,
    progress: &Progress,
    command: &[String],
    out: &mut dyn Write,
) -> Result<()> {
    let [file] = args.files.as_slice() else {
        return Err(Error::config(
            Location::arg("--config"),
            "--config writes one new regression file: give exactly one FILE",
        ));
    };
    if file.exists() {
        return Err(Error::config(
            Location::file(file),
            "exists: --config only creates new regression files (to refresh an existing one, run --update without --config)",
        ));
    }
    let output = args.out.join(regression::name_of(file));
    let exp = Experiment::load(config, &[regression::output_override(&output)?])?;
    let report = experiment::execute(&exp, false, progress, command)?;
    let text = regression::new_file_text(file, config, &report);
    // The new file must read back as a regression (its measure names and values).
    Regression::parse(&text, file)?;
    irexp::atomic::write(file, text.as_bytes())?;
    out.write_all(
        format!(
            "wrote {} with the values irexp got from {} ({} rankers)\n",
            file.display(),
            config.display(),
            report.rankers.len()
        )
        .as_bytes(),
    )
    .map_err(|e| Error::io("<stdout>", e))
}

fn render_table(verified: &[Verified]) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(vec![
        "file",
        "ranker",
        "measure",
        "expected",
        "got",
        "tolerance",
        "result",
    ]);
    for v in verified {
        for c in &v.checks {
            table.add_row(vec![
                Cell::new(format!("{}:{}", v.regression.path.display(), c.line)),
                Cell::new(c.ranker.as_deref().unwrap_or("(index)")),
                Cell::new(&c.measure),
                Cell::new(&c.expected).set_alignment(CellAlignment::Right),
                Cell::new(&c.got_text).set_alignment(CellAlignment::Right),
                Cell::new(c.tolerance.describe()),
                Cell::new(if c.passed { "pass" } else { "FAIL" }),
            ]);
        }
    }
    format!("{table}\n")
}

/// `verify.json`: per file its output folder, whether it passed, and every check.
fn summary_json(verified: &[Verified]) -> serde_json::Value {
    serde_json::json!({
        "passed": verified.iter().all(Verified::passed),
        "files": verified.iter().map(|v| serde_json::json!({
            "file": v.regression.path.display().to_string(),
            "name": v.regression.name,
            "output": v.output.display().to_string(),
            "passed": v.passed(),
            "checks": v.checks,
        })).collect::<Vec<_>>(),
    })
}

fn write_json(path: &Path, value: &serde_json::Value) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| Error::io(path, e.into()))?;
    text.push('\n');
    irexp::atomic::write(path, text.as_bytes())
}
