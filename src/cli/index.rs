//! `irexp index CONFIG` and `irexp index stats INDEX`.

use std::io::Write;

use super::{IndexAction, IndexArgs};
use irexp::analysis::Analyzer;
use irexp::config::Experiment;
use irexp::error::{Error, Location};
use irexp::experiment;
use irexp::index::cache::{self, Entry, EntryKind};
use irexp::index::disk::DiskIndex;
use irexp::index::IndexReader;
use irexp::progress::Progress;

pub(super) fn run(args: &IndexArgs, out: &mut dyn Write) -> irexp::Result<()> {
    let text = match (&args.action, &args.config) {
        (Some(IndexAction::Stats { index }), _) => stats(&DiskIndex::open(index)?),
        (Some(IndexAction::Check { index }), _) => {
            let index = DiskIndex::open_checked(index)?;
            format!(
                "{}: every file matches header.json and is well-formed ({} files, {} bytes)\n",
                index.dir().display(),
                index.header().files.len(),
                index.size_on_disk()
            )
        }
        (Some(IndexAction::List { cache: dir }), _) => list(&cache::list(dir)?),
        (
            Some(IndexAction::Gc {
                cache: dir,
                unused_for,
            }),
            _,
        ) => {
            let limit = unused_for.map(|d| std::time::Duration::from_secs(d * 86_400));
            let removed = cache::gc(dir, limit)?;
            let freed: u64 = removed.iter().map(|e| e.bytes).sum();
            let mut text = String::new();
            for e in &removed {
                text.push_str(&format!("removed {}  {}\n", e.path.display(), e.status()));
            }
            text.push_str(&format!(
                "{} entries removed, {} bytes freed\n",
                removed.len(),
                freed
            ));
            text
        }
        (None, Some(config)) if args.shard.is_some() => {
            let exp = Experiment::load(config, &args.overrides)?;
            let progress = Progress::stderr(args.quiet);
            let analyzer = Analyzer::from_spec(&exp.analyzer)?;
            let id = args.shard.expect("guarded");
            let built = irexp::shard::index_shard(&exp, &analyzer, id, args.reindex, &progress)?;
            format!(
                "{} shard {} ({}) {}\ndocuments {}\nterms {}\ntokens {}\n",
                if built.reused { "reused" } else { "built" },
                built.shard,
                irexp::shard::describe(&built.part),
                built.dir.display(),
                built.stats.documents,
                built.stats.terms,
                built.stats.tokens
            )
        }
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
            Location::arg("irexp index"),
            "give a config to build its index (irexp index CONFIG) or `irexp index stats INDEX`",
        )),
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))
}

/// One line per entry: name, status, documents, size, last use.
fn list(entries: &[Entry]) -> String {
    let mut text = String::from("entry\tstatus\tdocuments\tbytes\tlast_used_utc\n");
    for e in entries {
        let docs = match &e.kind {
            EntryKind::Index { documents, .. } => documents.to_string(),
            _ => "-".into(),
        };
        let used = e
            .last_used
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or("-".into(), |d| irexp::manifest::utc(d.as_secs()));
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\n",
            e.name,
            e.status(),
            docs,
            e.bytes,
            used
        ));
    }
    let garbage = entries.iter().filter(|e| e.is_garbage()).count();
    text.push_str(&format!(
        "{} entries; {} removable by `irexp index gc`\n",
        entries.len(),
        garbage
    ));
    text
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
        // A serde_json::Value always serializes.
        serde_json::to_string(&h.settings).expect("a JSON value serializes")
    )
}
