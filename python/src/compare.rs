//! Comparisons from Python: the runs are evaluated and compared exactly as `irexp compare`
//! evaluates and compares them ([`cmp::evaluator`], [`cmp::compare`]), from the same
//! settings ([`CompareSettings::resolve`]).

use std::path::PathBuf;

use irexp_eval::compare::{self as cmp, Baselines, CompareSettings, Report, System};
use irexp_trec::error::Location;
use pyo3::prelude::*;

use crate::data::{PyQrels, PyRun};
use crate::errors::{bad_value, IntoPy};

/// Compares named runs with the baseline (default: the first run).
#[pyfunction]
#[pyo3(signature = (runs, qrels, *, baseline = None, measures = None, test = None, correction = None, alpha = None, seed = None, permutations = None, bootstrap = None, missing = None, tie_margin = None, risk_alpha = None))]
// The Python keyword arguments, one parameter each.
#[allow(clippy::too_many_arguments)]
pub fn compare(
    py: Python<'_>,
    runs: Vec<(String, PyRef<'_, PyRun>)>,
    qrels: &PyQrels,
    baseline: Option<String>,
    measures: Option<Vec<String>>,
    test: Option<String>,
    correction: Option<String>,
    alpha: Option<f64>,
    seed: Option<u64>,
    permutations: Option<usize>,
    bootstrap: Option<usize>,
    missing: Option<String>,
    tie_margin: Option<f64>,
    risk_alpha: Option<f64>,
) -> PyResult<PyReport> {
    let settings = CompareSettings {
        baseline: baseline.clone().map(Baselines::One),
        measures,
        test,
        correction,
        alpha,
        seed,
        permutations,
        bootstrap,
        missing,
        tie_margin,
        risk_alpha,
    };
    let options = settings
        .resolve()
        .map_err(|e| bad_value(py, format!("{}: {}", e.key, e.message)))?;
    let Some((first, _)) = runs.first() else {
        return Err(bad_value(py, "runs: give at least two runs to compare"));
    };
    let baseline = baseline.unwrap_or_else(|| first.clone());
    let runs: Vec<(String, &PyRun)> = runs.iter().map(|(n, r)| (n.clone(), &**r)).collect();
    let qrels = qrels.qrels.clone();
    let report = py.detach(|| {
        let evaluator = cmp::evaluator(&qrels, &options)?;
        let mut systems = Vec::with_capacity(runs.len());
        for (name, run) in &runs {
            let evaluation = evaluator
                .evaluate_file(&run.run, run.source_path())
                .map_err(|e| e.within(Location::file(run.source_path()), "evaluating the run"))?;
            systems.push(System::new(name.clone(), evaluation));
        }
        cmp::compare(
            &systems,
            &baseline,
            &options,
            Some(&cmp::qrels_topics(&qrels)),
        )
    });
    Ok(PyReport {
        report: report.py(py)?,
    })
}

/// A comparison's results; every rendering is of this one report.
#[pyclass(frozen, name = "Report", module = "irexp")]
pub struct PyReport {
    report: Report,
}

impl PyReport {
    pub(crate) fn new(report: Report) -> PyReport {
        PyReport { report }
    }
}

#[pymethods]
impl PyReport {
    /// The report as `irexp compare --format json` prints it.
    fn to_json(&self) -> String {
        self.report.to_json()
    }

    /// The Markdown tables of `irexp compare --format markdown`.
    fn to_markdown(&self) -> String {
        self.report.to_markdown()
    }

    /// The LaTeX table of `irexp compare --format latex`.
    fn to_latex(&self) -> String {
        self.report.to_latex()
    }

    /// The CSV of `irexp compare --format csv`.
    fn to_csv(&self) -> String {
        self.report.to_csv()
    }

    /// The terminal table of `irexp compare`.
    fn to_terminal(&self) -> String {
        self.report.to_terminal()
    }

    /// Writes every output of `irexp compare --out DIR` (tables, JSON, CSV, SVG plots) into
    /// `dir`; returns the files written.
    fn save(&self, py: Python<'_>, dir: PathBuf) -> PyResult<Vec<PathBuf>> {
        py.detach(|| cmp::write_outputs(&self.report, &dir)).py(py)
    }
}
