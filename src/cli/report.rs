//! `irexp report OUTPUT_DIR`.

use std::io::Write;

use super::ReportArgs;
use irexp::error::{Error, Result};

pub(super) fn run(args: &ReportArgs, out: &mut dyn Write) -> Result<()> {
    let (path, changed) = irexp::report::rerender(&args.dir)?;
    let text = if changed {
        format!(
            "wrote {} (and its entry in manifest.json)\n",
            path.display()
        )
    } else {
        format!("{} is up to date\n", path.display())
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))
}
