//! Experiments and retrieval from Python: `run_experiment` runs a config as `irexp run` does;
//! `Index` opens (or builds) an experiment's index, or opens an index folder, and ranks
//! queries with the config's rankers or any model of the registry, as `irexp run` ranks them
//! ([`experiment::rank_queries`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use irexp::analysis::{Analyzer, AnalyzerSpec, Stopwords};
use irexp::config::{Experiment, Override, RunOptions};
use irexp::experiment::{self, AnalyzerKey, Report};
use irexp::index::disk::DiskIndex;
use irexp::index::IndexReader;
use irexp::progress::Progress;
use irexp::rank::registry::{self, Kind, Value};
use irexp::rank::{Query, RankerSpec};
use irexp_trec::error::{Error, Location};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};

use crate::compare::PyReport;
use crate::data::PyRun;
use crate::errors::{bad_value, IntoPy};

fn overrides(pairs: Vec<(String, String)>) -> Vec<Override> {
    pairs
        .into_iter()
        .map(|(key, value)| Override { key, value })
        .collect()
}

/// Runs the experiment of `config` (with `--set`-style `overrides`) as `irexp run` does,
/// writing its output folder; returns what it produced.
#[pyfunction]
#[pyo3(signature = (config, overrides = Vec::new(), reindex = false))]
pub fn run_experiment(
    py: Python<'_>,
    config: PathBuf,
    overrides: Vec<(String, String)>,
    reindex: bool,
) -> PyResult<PyExperiment> {
    let sets = self::overrides(overrides);
    let mut command = vec![
        "python".to_string(),
        "irexp.run_experiment".to_string(),
        config.display().to_string(),
    ];
    command.extend(sets.iter().map(|o| format!("--set {}={}", o.key, o.value)));
    let report = py
        .detach(|| {
            let exp = Experiment::load(&config, &sets)?;
            experiment::execute(&exp, reindex, &Progress::silent(), &command)
        })
        .py(py)?;
    Ok(PyExperiment { report })
}

/// What an experiment produced.
#[pyclass(frozen, name = "Experiment", module = "irexp")]
pub struct PyExperiment {
    report: Report,
}

#[pymethods]
impl PyExperiment {
    /// The experiment's name.
    #[getter]
    fn name(&self) -> String {
        self.report.name.clone()
    }

    /// The output folder.
    #[getter]
    fn output(&self) -> PathBuf {
        self.report.output.clone()
    }

    /// `(ranker, run file)` for each ranker, in config order.
    fn run_files(&self) -> Vec<(String, PathBuf)> {
        self.report
            .rankers
            .iter()
            .map(|r| (r.name.clone(), r.run_path.clone()))
            .collect()
    }

    /// Each ranker's run.
    fn runs(&self) -> Vec<(String, PyRun)> {
        self.report
            .rankers
            .iter()
            .map(|r| {
                (
                    r.name.clone(),
                    PyRun::new(r.run.clone(), r.run_path.display().to_string()),
                )
            })
            .collect()
    }

    /// Tidy summary columns `(rankers, measures, values)` (empty without qrels).
    fn summary_columns(&self) -> (Vec<String>, Vec<String>, Vec<f64>) {
        let (mut r, mut m, mut v) = (Vec::new(), Vec::new(), Vec::new());
        for o in &self.report.rankers {
            let Some(e) = &o.evaluation else { continue };
            for (i, measure) in e.measures.iter().enumerate() {
                if !measure.is_text() {
                    r.push(o.name.clone());
                    m.push(measure.name());
                    v.push(e.summary[i]);
                }
            }
        }
        (r, m, v)
    }

    /// Tidy per-topic columns `(rankers, qids, measures, values)`; summary-only measures
    /// (num_q, gm_map, gm_bpref) and text ones are left out, as in `eval.json`.
    fn per_query_columns(&self) -> (Vec<String>, Vec<String>, Vec<String>, Vec<f64>) {
        let (mut r, mut q, mut m, mut v) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for o in &self.report.rankers {
            let Some(e) = &o.evaluation else { continue };
            for t in &e.per_topic {
                for (i, measure) in e.measures.iter().enumerate() {
                    if !measure.is_text() && !measure.is_summary_only() {
                        r.push(o.name.clone());
                        q.push(t.qid.clone());
                        m.push(measure.name());
                        v.push(t.values[i]);
                    }
                }
            }
        }
        (r, q, m, v)
    }

    /// `(baseline, report)` for each comparison of `[compare]`.
    fn comparisons(&self) -> Vec<(String, PyReport)> {
        self.report
            .comparisons
            .iter()
            .map(|(r, _)| (r.baseline.clone(), PyReport::new(r.clone())))
            .collect()
    }
}

/// An index ready for retrieval, with the analyzer it was built with.
struct Opened {
    index: DiskIndex,
    analyzer: Analyzer,
    /// The config's rankers (none for an index folder opened alone).
    rankers: Vec<RankerSpec>,
    run: RunOptions,
    source: String,
}

/// An on-disk index, and how queries are ranked over it.
#[pyclass(frozen, name = "Index", module = "irexp")]
pub struct PyIndex {
    inner: Arc<Opened>,
}

/// The analyzer recorded in an index folder's header, when it can be rebuilt from it.
fn analyzer_of(index: &DiskIndex) -> irexp::Result<Analyzer> {
    let header = index.dir().join(irexp::index::disk::HEADER_FILE);
    let key: AnalyzerKey = index
        .header()
        .settings
        .get("analyzer")
        .cloned()
        .and_then(|v| serde_json::from_value(v).ok())
        .ok_or_else(|| Error::input(Location::file(&header), "the header names no analyzer"))?;
    let stopwords = match key.stopwords.as_str() {
        "lucene" => Stopwords::Lucene,
        "none" => Stopwords::None,
        other => {
            return Err(Error::input(
                Location::file(&header),
                format!(
                    "the index was built with a stop list file ({other}), which the folder does \
                     not hold; open the index through its experiment config instead"
                ),
            ))
        }
    };
    Analyzer::from_spec(&AnalyzerSpec {
        profile: key.profile,
        stopwords,
        stemmer: key.stemmer,
    })
}

/// The run options of `irexp run` without a config: depth 1000, trec_eval's tie order.
fn default_run_options() -> RunOptions {
    RunOptions {
        depth: 1000,
        ties: Default::default(),
        remove_query: false,
        retrieval: Default::default(),
    }
}

fn open(path: &Path, sets: &[Override]) -> irexp::Result<Opened> {
    if path.is_dir() {
        let index = DiskIndex::open(path)?;
        let analyzer = analyzer_of(&index)?;
        return Ok(Opened {
            index,
            analyzer,
            rankers: Vec::new(),
            run: default_run_options(),
            source: path.display().to_string(),
        });
    }
    let exp = Experiment::load(path, sets)?;
    let analyzer = exp.at_key("analyzer.stopwords", Analyzer::from_spec(&exp.analyzer))?;
    let opened = experiment::open_cached_index(&exp, &analyzer, false, &Progress::silent())?;
    Ok(Opened {
        index: opened.index,
        analyzer,
        rankers: exp.rankers.clone(),
        run: exp.run,
        source: path.display().to_string(),
    })
}

/// A registry value from a Python keyword argument for `key`.
fn param_value(py: Python<'_>, key: &str, v: &Bound<'_, PyAny>) -> PyResult<Value> {
    let kind = registry::key_kind(key);
    let bad = |what: &str| {
        bad_value(
            py,
            format!(
                "{key}: expected {what}, not {}",
                v.repr().map(|r| r.to_string()).unwrap_or_default()
            ),
        )
    };
    match kind {
        Some(Kind::Float)
            if !v.is_instance_of::<PyBool>()
                && (v.is_instance_of::<PyFloat>() || v.is_instance_of::<PyInt>()) =>
        {
            Ok(Value::Float(v.extract::<f64>()?))
        }
        Some(Kind::Float) => Err(bad("a number")),
        Some(Kind::Count) if !v.is_instance_of::<PyBool>() && v.is_instance_of::<PyInt>() => v
            .extract::<usize>()
            .map(Value::Count)
            .map_err(|_| bad("a count (an integer 0 or more)")),
        Some(Kind::Count) => Err(bad("a count (an integer 0 or more)")),
        Some(Kind::Text) if v.is_instance_of::<PyString>() => {
            Ok(Value::Text(v.extract::<String>()?.into()))
        }
        Some(Kind::Text) => Err(bad("a string")),
        None => Err(bad_value(
            py,
            format!(
                "{key} is not a parameter of any model (parameters: {})",
                registry::ranker_keys()
                    .iter()
                    .filter(|k| !matches!(**k, "name" | "model"))
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

#[pymethods]
impl PyIndex {
    /// Opens the index of an experiment config (building it into the config's index cache
    /// when it is not there yet), or an index folder.
    #[new]
    #[pyo3(signature = (path, overrides = Vec::new()))]
    fn new(py: Python<'_>, path: PathBuf, overrides: Vec<(String, String)>) -> PyResult<PyIndex> {
        let sets = self::overrides(overrides);
        let opened = py.detach(|| open(&path, &sets)).py(py)?;
        Ok(PyIndex {
            inner: Arc::new(opened),
        })
    }

    /// The config's ranker names, in config order.
    fn ranker_names(&self) -> Vec<String> {
        self.inner.rankers.iter().map(|r| r.name.clone()).collect()
    }

    /// Every model name the registry knows.
    #[staticmethod]
    fn model_names() -> Vec<&'static str> {
        registry::model_names()
    }

    /// A ranker: the config's ranker `name`, or (with `model`) that model with `params`
    /// (defaults otherwise), named `model`.
    #[pyo3(signature = (name = None, model = None, params = None))]
    fn ranker(
        &self,
        py: Python<'_>,
        name: Option<String>,
        model: Option<String>,
        params: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyRanker> {
        let spec = match (name, model) {
            (Some(name), None) => self
                .inner
                .rankers
                .iter()
                .find(|r| r.name == name)
                .cloned()
                .ok_or_else(|| {
                    bad_value(
                        py,
                        format!(
                            "no ranker named {name:?} in {} (rankers: {})",
                            self.inner.source,
                            self.ranker_names().join(", ")
                        ),
                    )
                })?,
            (None, Some(model)) => {
                let mut given: Vec<(&'static str, Value)> = Vec::new();
                if let Some(params) = params {
                    for (k, v) in params.iter() {
                        let k: String = k.extract()?;
                        let value = param_value(py, &k, &v)?;
                        let Some(key) = registry::ranker_keys().iter().find(|s| **s == k) else {
                            return Err(bad_value(py, format!("{k} is not a model parameter")));
                        };
                        given.push((key, value));
                    }
                }
                let m = registry::resolve(&model, &given, &self.inner.rankers)
                    .map_err(|e| bad_value(py, format!("{model}: {}: {}", e.key, e.message)))?;
                RankerSpec {
                    name: model,
                    model: m,
                }
            }
            (None, None) => match self.inner.rankers.first() {
                Some(r) => r.clone(),
                None => RankerSpec {
                    name: "bm25".into(),
                    model: registry::resolve("bm25", &[], &[])
                        .map_err(|e| bad_value(py, e.message))?,
                },
            },
            (Some(_), Some(_)) => {
                return Err(bad_value(py, "give a ranker name or a model, not both"))
            }
        };
        Ok(PyRanker {
            index: self.inner.clone(),
            spec,
        })
    }

    /// Documents, terms and tokens of the index.
    fn stats(&self) -> (u64, u64, u64) {
        let s = self.inner.index.stats();
        (s.documents as u64, s.terms as u64, s.tokens)
    }

    /// The index folder.
    #[getter]
    fn dir(&self) -> PathBuf {
        self.inner.index.dir().to_path_buf()
    }
}

/// A model over an index.
#[pyclass(frozen, name = "Ranker", module = "irexp")]
pub struct PyRanker {
    index: Arc<Opened>,
    spec: RankerSpec,
}

#[pymethods]
impl PyRanker {
    /// The ranker's name (the run tag).
    #[getter]
    fn name(&self) -> String {
        self.spec.name.clone()
    }

    /// The top `k` (default: the config's `run.depth`, else 1000) documents for each query, as
    /// `irexp run` ranks them.
    #[pyo3(signature = (qids, queries, k = None))]
    fn rank(
        &self,
        py: Python<'_>,
        qids: Vec<String>,
        queries: Vec<String>,
        k: Option<usize>,
    ) -> PyResult<PyRun> {
        if qids.len() != queries.len() {
            return Err(bad_value(py, "one query per qid"));
        }
        if k == Some(0) {
            return Err(bad_value(py, "k must be 1 or more"));
        }
        let mut options = self.index.run;
        if let Some(k) = k {
            options.depth = k;
        }
        let run = py.detach(|| {
            let opened = &*self.index;
            let parsed: Vec<Query> = queries
                .iter()
                .map(|q| Query::parse(q, &opened.analyzer, &opened.index))
                .collect();
            let ids: Vec<&str> = qids.iter().map(String::as_str).collect();
            experiment::rank_queries(
                &opened.index,
                &self.spec,
                &options,
                &ids,
                &parsed,
                &Progress::silent(),
            )
        });
        Ok(PyRun::new(run, format!("<{} results>", self.spec.name)))
    }
}
