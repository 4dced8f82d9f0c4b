//! The stage of derived runs: after every ranker (and `[[tune]]`) has run, each `[[fusion]]`
//! fuses its inputs (runs of the config by name, external run files) with `irexp::fuse` and
//! each `[[rerank]]` re-scores its candidates ([`super::rerank`]), in the order of the file;
//! each run is evaluated and compared like a ranker's, so that it may be a `[compare]`
//! baseline and the input of a later derived run.

use std::collections::HashMap;
use std::time::Instant;

use super::{qrels_context, Inputs, Ranked, RankerOutcome};
use crate::analysis::Analyzer;
use crate::config::{Derived, Experiment, FusionInput, FusionSpec};
use crate::error::{Location, Result};
use crate::eval::Evaluator;
use crate::fuse::fuse_located;
use crate::index::disk::DiskIndex;
use crate::progress::Progress;
use crate::run::{Run, RunTopic};

/// Makes every `[[fusion]]` and `[[rerank]]` run in the order of the file, appending its
/// outcome (and evaluation) to `ranked`.
pub fn add_derived(
    exp: &Experiment,
    inputs: &Inputs,
    analyzer: &Analyzer,
    index: Option<&DiskIndex>,
    evaluator: Option<&Evaluator<'_>>,
    ranked: &mut Ranked,
    progress: &Progress,
) -> Result<()> {
    for derived in &exp.derived {
        let started = Instant::now();
        let (run, name) = match derived {
            Derived::Fusion(spec) => (
                fuse_spec(spec, inputs, &ranked.outcomes, progress).map_err(|e| {
                    e.within(spec.location.clone(), format!("fusion {}", spec.name))
                })?,
                &spec.name,
            ),
            Derived::Rerank(spec) => (
                super::rerank::rerank(
                    exp,
                    spec,
                    inputs,
                    analyzer,
                    index.ok_or_else(|| crate::shard::no_rerank(spec))?,
                    &ranked.outcomes,
                    progress,
                )
                .map_err(|e| e.within(spec.location.clone(), format!("rerank {}", spec.name)))?,
                &spec.name,
            ),
        };
        let all = match evaluator {
            Some(evaluator) => Some(evaluator.evaluate(&run).map_err(|e| {
                qrels_context(e, name, exp.qrels.as_ref().map(|q| q.path.as_path()))
            })?),
            None => None,
        };
        if let Some(all) = &all {
            ranked
                .systems
                .push(crate::compare::System::new(name.clone(), all.clone()));
        }
        ranked.outcomes.push(RankerOutcome {
            name: name.clone(),
            run_path: exp.output.join(format!("{name}.run")),
            run,
            evaluation: all.map(|a| a.select(&exp.measures)),
            search_seconds: started.elapsed().as_secs_f64(),
        });
    }
    Ok(())
}

/// The fused run of one `[[fusion]]`. Runs of the config list only the topics they have
/// results for, so each is given every topic of the experiment (an empty list where it has
/// none); a run file is read, and its topics outside the experiment's are left out (with a
/// message); a topic of the experiment that the file lacks is an error naming the file.
/// Topics that end up with no document are left out of the fused run, as rankers leave them.
fn fuse_spec(
    spec: &FusionSpec,
    inputs: &Inputs,
    outcomes: &[RankerOutcome],
    progress: &Progress,
) -> Result<Run> {
    let qids: Vec<&str> = inputs.topics.iter().map(|t| t.qid.as_str()).collect();
    let mut runs = Vec::with_capacity(spec.inputs.len());
    let mut sources = Vec::with_capacity(spec.inputs.len());
    for input in &spec.inputs {
        let (run, source) = match input {
            FusionInput::Run(name) => {
                let outcome = outcomes
                    .iter()
                    .find(|o| &o.name == name)
                    .expect("config validation checked that the input names an earlier run");
                (
                    with_topics(&outcome.run, &qids, true),
                    Location::arg(format!("run {name}")),
                )
            }
            FusionInput::File(path) => {
                let run = Run::read(path)?;
                let outside = run
                    .topics
                    .iter()
                    .filter(|t| !qids.contains(&t.qid.as_str()))
                    .count();
                if outside > 0 {
                    progress.message(&format!(
                        "fusion {}: {} topics of {} are not topics of this experiment and are left out",
                        spec.name,
                        outside,
                        path.display()
                    ));
                }
                (with_topics(&run, &qids, false), Location::file(path))
            }
        };
        runs.push(run);
        sources.push(source);
    }
    let mut fused = fuse_located(&runs, &sources, &spec.options)?;
    fused.topics.retain(|t| !t.docs.is_empty());
    Ok(fused)
}

/// `run` restricted to `qids`, in their order; with `pad`, a topic the run lacks gets an
/// empty list (else it stays missing, which fusion reports).
fn with_topics(run: &Run, qids: &[&str], pad: bool) -> Run {
    let by_qid: HashMap<&str, &RunTopic> = run.topics.iter().map(|t| (t.qid.as_str(), t)).collect();
    let topics = qids
        .iter()
        .filter_map(|q| match by_qid.get(q) {
            Some(t) => Some((*t).clone()),
            None if pad => Some(RunTopic {
                qid: q.to_string(),
                docs: Vec::new(),
            }),
            None => None,
        })
        .collect();
    Run {
        tag: run.tag.clone(),
        topics,
    }
}
