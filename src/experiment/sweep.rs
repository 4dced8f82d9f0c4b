//! The sweep and cross-validation stage: every grid point of every swept ranker is ranked
//! (or taken from the run cache) and evaluated, its run written to `sweep/RANKER/POINT.run`;
//! `grid.csv`, `grid.topics.csv` and a plot summarize the grid. Each `[[tune]]` then picks
//! a point per fold on the training topics and assembles the run `RANKER.cv` from the points
//! chosen for each fold's test topics (see [`crate::tune`]).

use std::path::Path;

use super::{Inputs, Ranker, RankerOutcome, Ranking};
use crate::config::{FoldsSpec, SweepSpec, TuneSpec};
use crate::error::{Error, Location, Result};
use crate::eval::{Evaluation, Evaluator, Measure};
use crate::hash::FastSet;
use crate::progress::Progress;
use crate::run::{Run, RunTopic};
use crate::tune::{self, Averaging, Folds, GridRow};

/// What a sweep produced.
#[derive(Debug, Clone)]
pub struct SweepOutcome {
    /// The swept ranker's name.
    pub name: String,
    /// The folder its outputs were written to, relative to the output folder.
    pub dir: String,
    /// The number of points.
    pub points: usize,
    /// How many points' runs came from the run cache.
    pub reused: usize,
    /// For each measure averaged over topics: the best point's name and mean (the first
    /// point in grid order on a tie).
    pub best: Vec<(Measure, String, f64)>,
    /// For a tuned sweep, the point chosen for each fold.
    pub choices: Vec<(usize, String)>,
}

/// A sweep's points, evaluated.
pub(super) struct Swept<'a> {
    pub spec: &'a SweepSpec,
    /// Each point's evaluation with every measure, in grid order.
    pub evaluations: Vec<Evaluation>,
    /// Each point's run-cache entry.
    pub rankings: Vec<Ranking>,
}

/// The relative folder of a sweep's outputs.
pub fn sweep_dir(name: &str) -> String {
    format!("sweep/{name}")
}

/// The relative folder of a `[[tune]]`'s outputs.
pub fn tune_dir(name: &str) -> String {
    format!("tune/{name}")
}

/// Ranks and evaluates every point of `spec`, writing each point's run into the staging
/// folder `staging` as it goes (so only the evaluations are kept in memory).
pub(super) fn sweep<'a>(
    spec: &'a SweepSpec,
    ranker: &Ranker<'_>,
    evaluator: &Evaluator<'_>,
    staging: &Path,
    progress: &Progress,
) -> Result<Swept<'a>> {
    let dir = staging.join(sweep_dir(&spec.name));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let bar = progress.bar(
        &format!("sweeping {} ({} points)", spec.name, spec.points.len()),
        spec.points.len() as u64,
    );
    let mut evaluations = Vec::with_capacity(spec.points.len());
    let mut rankings = Vec::with_capacity(spec.points.len());
    for point in &spec.points {
        let (run, ranking) = ranker.obtain(&point.ranker, &Progress::silent())?;
        run.write_trec(
            &dir.join(format!("{}.run", point.name)),
            ranker.exp.run.ties.score_format(),
        )?;
        let evaluation = evaluator
            .evaluate(&run)
            .map_err(|e| super::qrels_context(e, &point.name, ranker.qrels_path()))?;
        evaluations.push(evaluation);
        rankings.push(ranking);
        bar.inc(1);
    }
    bar.finish();
    Ok(Swept {
        spec,
        evaluations,
        rankings,
    })
}

/// The measures a sweep's tables show: the experiment's, then the tune measure if not among
/// them.
fn shown(inputs: &Inputs, exp_measures: &[Measure], tune: Option<&TuneSpec>) -> Vec<Measure> {
    let mut m: Vec<Measure> = exp_measures.to_vec();
    if let Some(t) = tune {
        if !m.contains(&t.measure) {
            m.push(t.measure.clone());
        }
    }
    m.retain(|x| inputs.measures.contains(x));
    m
}

/// Each point's values of the swept parameters, as text.
fn point_values(spec: &SweepSpec) -> Vec<Vec<String>> {
    spec.points
        .iter()
        .map(|p| p.values.iter().map(|v| v.to_string()).collect())
        .collect()
}

/// The index of the best point for `m` (the first on a tie; NaN never wins).
fn best_point(evaluations: &[Evaluation], m: &Measure) -> Option<(usize, f64)> {
    let mut best: Option<(usize, f64)> = None;
    for (i, e) in evaluations.iter().enumerate() {
        if let Some(v) = e.get(m).filter(|v| !v.is_nan()) {
            if best.is_none_or(|(_, b)| v > b) {
                best = Some((i, v));
            }
        }
    }
    best
}

/// Writes a sweep's tables and plot into the staging folder and returns its outcome
/// (without fold choices).
pub(super) fn write_sweep(
    swept: &Swept<'_>,
    inputs: &Inputs,
    exp_measures: &[Measure],
    tune: Option<&TuneSpec>,
    staging: &Path,
) -> Result<SweepOutcome> {
    let spec = swept.spec;
    let dir = staging.join(sweep_dir(&spec.name));
    let params: Vec<&str> = spec.axes.iter().map(|a| a.key).collect();
    let values = point_values(spec);
    let rows: Vec<GridRow<'_>> = spec
        .points
        .iter()
        .zip(&values)
        .zip(&swept.evaluations)
        .map(|((p, v), e)| GridRow {
            name: &p.name,
            values: v,
            evaluation: e,
        })
        .collect();
    let measures = shown(inputs, exp_measures, tune);
    tune::write_grid(&dir, &params, &rows, &measures)?;
    let best: Vec<(Measure, String, f64)> = measures
        .iter()
        .filter(|m| crate::compare::check_measure(m).is_ok())
        .filter_map(|m| {
            best_point(&swept.evaluations, m)
                .map(|(i, v)| (m.clone(), spec.points[i].name.clone(), v))
        })
        .collect();
    // The plot shows the tuned measure, else the first measure averaged over topics.
    let plotted = tune
        .map(|t| t.measure.clone())
        .or_else(|| best.first().map(|(m, _, _)| m.clone()));
    if let Some(m) = plotted {
        let mark = best_point(&swept.evaluations, &m).map(|(i, _)| i);
        let (file, kind) = if params.len() == 1 {
            ("line.svg", "by")
        } else {
            ("heatmap.svg", "over")
        };
        let title = format!("{}: mean {m} {kind} {}", spec.name, params.join(" × "));
        if let Some(svg) = tune::plot::grid_svg(&title, &params, &rows, &m, mark) {
            let svg = svg.map_err(|e| Error::io(dir.join(file), std::io::Error::other(e)))?;
            crate::atomic::write(&dir.join(file), svg.as_bytes())?;
        }
    }
    Ok(SweepOutcome {
        name: spec.name.clone(),
        dir: sweep_dir(&spec.name),
        points: spec.points.len(),
        reused: swept.rankings.iter().filter(|r| r.reused).count(),
        best,
        choices: Vec::new(),
    })
}

/// The folds of `tune` over the experiment's topics.
fn folds(tune: &TuneSpec, inputs: &Inputs, config: &Path) -> Result<Folds> {
    let qids: Vec<String> = inputs.topics.iter().map(|t| t.qid.clone()).collect();
    match &tune.folds {
        FoldsSpec::Random { k, seed } => Folds::random(&qids, *k, *seed).map_err(|m| {
            Error::config(
                Location::file(config),
                format!("[[tune]] of ranker {}: folds = {k}: {m}", tune.ranker),
            )
        }),
        FoldsSpec::LeaveOneOut => Ok(Folds::leave_one_out(&qids)),
        FoldsSpec::File(path) => {
            let ignored: FastSet<String> = inputs.subset_excluded.iter().cloned().collect();
            Folds::read(path, &qids, &ignored)
        }
    }
}

/// Cross-validates `swept` as `tune` says: writes `tune/RANKER/folds.csv` and
/// `choices.csv`, and returns the assembled run `RANKER.cv`, evaluated, with the point
/// chosen for each fold.
pub(super) fn cross_validate(
    tune: &TuneSpec,
    swept: &Swept<'_>,
    ranker: &Ranker<'_>,
    inputs: &Inputs,
    evaluator: &Evaluator<'_>,
    staging: &Path,
) -> Result<(RankerOutcome, Vec<(usize, String)>)> {
    let spec = swept.spec;
    let folds = folds(tune, inputs, &ranker.exp.config_path)?;
    let qrels = inputs
        .qrels
        .as_ref()
        .expect("[[tune]] is validated to need qrels");
    let judged = |q: &str| qrels.topic(q).is_some();
    let avg = Averaging {
        complete: inputs.eval_options.complete,
        judged: &judged,
    };
    let evaluations: Vec<&Evaluation> = swept.evaluations.iter().collect();
    let choices = tune::choose(&evaluations, &tune.measure, &folds, avg);
    // The chosen points' runs, read back exactly from the run cache.
    let mut runs: Vec<Option<Run>> = vec![None; spec.points.len()];
    for c in &choices {
        if runs[c.point].is_none() {
            runs[c.point] = Some(ranker.reload(&swept.rankings[c.point], &spec.name)?);
        }
    }
    let fold_of: crate::hash::FastMap<&str, usize> = folds
        .assignment
        .iter()
        .map(|(q, f)| (q.as_str(), *f))
        .collect();
    let mut topics: Vec<RunTopic> = Vec::new();
    for t in &inputs.topics {
        let f = fold_of[t.qid.as_str()];
        let run = runs[choices[f].point].as_ref().expect("loaded above");
        if let Some(list) = run.topics.iter().find(|r| r.qid == t.qid) {
            topics.push(list.clone());
        }
    }
    let name = tune.run_name();
    let run = Run {
        tag: name.clone(),
        topics,
    };
    let evaluation = evaluator
        .evaluate(&run)
        .map_err(|e| super::qrels_context(e, &name, ranker.qrels_path()))?;

    let dir = staging.join(tune_dir(&spec.name));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let mut text = String::from("qid,fold\n");
    for (q, f) in &folds.assignment {
        text.push_str(&format!("{q},{}\n", f + 1));
    }
    crate::atomic::write(&dir.join("folds.csv"), text.as_bytes())?;
    let params: Vec<&str> = spec.axes.iter().map(|a| a.key).collect();
    let mut text = format!(
        "fold,point,{},measure,train_mean,test_mean\n",
        params.join(",")
    );
    let values = point_values(spec);
    for c in &choices {
        text.push_str(&format!(
            "{},\"{}\",{},{},{},{}\n",
            c.fold + 1,
            spec.points[c.point].name,
            values[c.point].join(","),
            tune.measure,
            c.train_mean,
            c.test_mean
        ));
    }
    crate::atomic::write(&dir.join("choices.csv"), text.as_bytes())?;
    let chosen = choices
        .iter()
        .map(|c| (c.fold + 1, spec.points[c.point].name.clone()))
        .collect();
    Ok((
        RankerOutcome {
            run_path: ranker.exp.output.join(format!("{name}.run")),
            name,
            run,
            evaluation: Some(evaluation),
            search_seconds: 0.0,
        },
        chosen,
    ))
}
