//! `irexp index CONFIG` and `irexp index stats INDEX`.

use std::io::Write;

use super::{IndexAction, IndexArgs};
use crate::analysis::Analyzer;
use crate::config::Experiment;
use crate::error::{Error, Location};
use crate::experiment;
use crate::index::disk::DiskIndex;
use crate::index::IndexReader;
use crate::progress::Progress;

pub(super) fn run(args: &IndexArgs, out: &mut dyn Write) -> crate::Result<()> {
    let text = match (&args.action, &args.config) {
        (Some(IndexAction::Stats { index }), _) => stats(&DiskIndex::open(index)?),
        (None, Some(config)) => {
            let exp = Experiment::load(config, &args.overrides)?;
            let progress = Progress::stderr(args.quiet);
            let analyzer = Analyzer::from_spec(&exp.analyzer)?;
            let opened = experiment::open_cached_index(&exp, &analyzer, args.reindex, &progress)?;
            format!(
                "{} {}\nkey {}\n{}",
                if opened.reused { "reused" } else { "built" },
                opened.index.dir().display(),
                opened.key,
                stats(&opened.index)
            )
        }
        (None, None) => return Err(Error::config(
            Location::file("command line"),
            "give a config to build its index (irexp index CONFIG) or `irexp index stats INDEX`",
        )),
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))
}

fn stats(index: &DiskIndex) -> String {
    let s = index.stats();
    let h = index.header();
    format!(
        "index         {}\nformat        {} (written by irexp {})\ndocuments     {}\nwith terms    {}\nterms         {}\ntokens        {}\nsize on disk  {} bytes\nsettings      {}\n",
        index.dir().display(),
        h.format_version,
        h.irexp_version,
        s.documents,
        s.documents_with_terms,
        s.terms,
        s.tokens,
        index.size_on_disk(),
        serde_json::to_string(&h.settings).unwrap_or_default()
    )
}
