//! `irexp check OUTPUT_DIR`.

use std::io::Write;

use super::CheckArgs;
use irexp::error::{DisplayPath, Error};
use irexp::outdir;

pub(super) fn run(args: &CheckArgs, out: &mut dyn Write) -> irexp::Result<()> {
    let report = outdir::check(&args.dir)?;
    let mut text = String::new();
    for (word, files) in [
        ("missing", &report.missing),
        ("extra", &report.extra),
        ("changed", &report.changed),
    ] {
        for f in files {
            text.push_str(&format!("{word}\t{f}\n"));
        }
    }
    if report.passed() {
        text.push_str(&format!(
            "ok: {} files match {}\n",
            report.ok,
            args.dir.join(outdir::MANIFEST).display()
        ));
    }
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))?;
    if report.passed() {
        return Ok(());
    }
    Err(Error::Mismatch {
        path: DisplayPath(args.dir.clone()),
        message: format!(
            "does not match its manifest: {} missing, {} extra, {} changed ({} match)",
            report.missing.len(),
            report.extra.len(),
            report.changed.len(),
            report.ok
        ),
    })
}
