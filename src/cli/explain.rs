//! `irexp explain CONFIG --ranker NAME --qid Q --docno D`.

use std::io::Write;

use super::ExplainArgs;
use irexp::analysis::Analyzer;
use irexp::config::Experiment;
use irexp::error::{Error, Location};
use irexp::experiment;
use irexp::index::IndexReader;
use irexp::progress::Progress;
use irexp::rank::{explain, Query};
use irexp::run::TiePolicy;
use irexp::topics;

pub(super) fn run(args: &ExplainArgs, out: &mut dyn Write) -> irexp::Result<()> {
    let exp = Experiment::load(&args.config, &args.overrides)?;
    let here = || Location::file(format!("{} (command line)", args.config.display()));
    let ranker = exp
        .rankers
        .iter()
        .find(|r| r.name == args.ranker)
        .ok_or_else(|| {
            let names: Vec<&str> = exp.rankers.iter().map(|r| r.name.as_str()).collect();
            Error::config(
                here(),
                format!(
                    "no ranker is named {:?}; the config has: {}",
                    args.ranker,
                    names.join(", ")
                ),
            )
        })?;
    let topics = topics::read(&exp.topics.path, exp.topics.format, exp.topics.numbering)?;
    let topic = topics.iter().find(|t| t.qid == args.qid).ok_or_else(|| {
        Error::input(
            Location::file(&exp.topics.path),
            format!("no topic {:?} in the topics file", args.qid),
        )
    })?;
    let analyzer = Analyzer::from_spec(&exp.analyzer)?;
    // The run's index: reused from the cache, or built into it.
    let index =
        experiment::open_cached_index(&exp, &analyzer, false, &Progress::stderr(true))?.index;
    let doc = (0..index.stats().documents)
        .find(|&d| index.docno(d) == args.docno)
        .ok_or_else(|| {
            Error::input(
                Location::file(&exp.corpus.path),
                format!("no document {:?} in the corpus", args.docno),
            )
        })?;
    let text = topic.query(exp.topics.field);
    let query = Query::parse(&text, &analyzer, &index);
    let explanation = explain::explain(
        &index,
        &ranker.model,
        &query,
        doc,
        irexp::rank::tie_break(exp.run.ties),
    );
    let mut s = format!(
        "ranker:   {}\ntopic:    {} ({}: {:?})\nquery:    {}\n",
        ranker.name,
        topic.qid,
        exp.topics.field.name(),
        text,
        query.tokens.join(" ")
    );
    s.push_str(&explanation.to_string());
    if exp.run.ties == TiePolicy::Anserini && explanation.rank.is_some() {
        s.push_str("(the run file shows this score after Anserini's rounding to 4 decimals and tie nudging)\n");
    }
    out.write_all(s.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))
}
