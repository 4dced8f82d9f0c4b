//! `irexp merge CONFIG`.

use std::io::Write;

use super::MergeArgs;
use irexp::config::Experiment;
use irexp::error::Error;
use irexp::progress::Progress;
use irexp::shard::{self, MergeOutcome};

pub(super) fn run(args: &MergeArgs, out: &mut dyn Write) -> irexp::Result<()> {
    let mut exp = Experiment::load(&args.config, &args.overrides)?;
    let progress = Progress::stderr(args.quiet);
    if !args.rankers.is_empty() {
        for note in exp.select_rankers(&args.rankers)? {
            progress.message(&note);
        }
    }
    let command: Vec<String> = std::env::args().collect();
    match shard::merge(&exp, args.shards, &progress, &command)? {
        MergeOutcome::Published(report) => super::run::write_report(&report, &progress, out),
        MergeOutcome::Expanded { rankers, dir } => out
            .write_all(
                format!(
                    "RM3 queries expanded from the merged first round ({}) in {}\nnext: run every shard again (irexp run CONFIG --shard I/N), then irexp merge CONFIG\n",
                    rankers.join(", "),
                    dir.display()
                )
                .as_bytes(),
            )
            .map_err(|e| Error::io("<stdout>", e)),
    }
}
