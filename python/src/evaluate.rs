//! The evaluator from Python: measure names (trec_eval's and ir_measures'), the keys results
//! are given under, and evaluations as dicts or tidy columns.
//!
//! Two selections of measures:
//! * `irexp.evaluate` (`pytrec_eval=False`): each name is read as `irexp eval -m` reads it
//!   ([`parse_measures`]), the union is taken, and a measure is keyed by the name the user wrote
//!   when it was spelt as ir_measures spells it (`nDCG@10`), else by trec_eval's printed name
//!   (`ndcg_cut.10` gives `ndcg_cut_10`).
//! * `irexp.RelevanceEvaluator` (`pytrec_eval=True`): pytrec_eval's rule. A bare parameterised
//!   name (`P`, or through a nickname) gives the default cutoffs unless the same measure is also
//!   named with parameters (`P.5`, `P_5`); parameter lists named several times are merged;
//!   `runid` and `relstring` are keyed with the value 0.0, as pytrec_eval gives them.
//!
//! Per-query values are what each summary aggregates, as pytrec_eval reports them: 1 for
//! `num_q`, and ln(max(value, 1e-5)) for `gm_map` and `gm_bpref`.

use std::path::PathBuf;
use std::sync::Arc;

use irexp_eval::eval::measure::{is_ir_measures_name, sort_trec_eval_order};
use irexp_eval::eval::{parse_measures, EvalOptions, Evaluation, Evaluator, Measure, MIN_GEO_MEAN};
use irexp_trec::error::{Error, EvalErrorKind};
use irexp_trec::qrels::Qrels;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::data::{PyQrels, PyRun};
use crate::errors::{bad_value, IntoPy};

/// trec_eval's nicknames: bare names for several measures.
const NICKNAMES: [&str; 3] = ["official", "all_trec", "set"];

/// The measures evaluated and the key of each.
#[derive(Debug, Clone)]
pub(crate) struct Selection {
    pub(crate) measures: Vec<Measure>,
    pub(crate) keys: Vec<String>,
    /// pytrec_eval's conventions: `runid` (when selected) and `relstring` as 0.0.
    pytrec_eval: bool,
    runid: bool,
}

impl Selection {
    pub(crate) fn new(specs: &[String], pytrec_eval: bool) -> Result<Selection, String> {
        if specs.is_empty() {
            return Err("no measure given; name at least one (e.g. \"map\" or \"nDCG@10\")".into());
        }
        let mut runid = false;
        // (measure, key, bare): bare names give defaults that pytrec_eval drops when the
        // measure is also named with parameters.
        let mut named: Vec<(Measure, String, bool)> = Vec::new();
        for spec in specs {
            let spec = spec.trim();
            if spec == "runid" || NICKNAMES.contains(&spec) {
                runid = true;
            }
            if spec == "runid" {
                if !pytrec_eval {
                    return Err(
                        "runid is the run's tag, not a measure (irexp.Run.tag gives it)".into(),
                    );
                }
                continue;
            }
            let measures = parse_measures(spec).map_err(|e| format!("measure {spec:?}: {e}"))?;
            let bare = NICKNAMES.contains(&spec) || measures.iter().all(|m| m.base_name() == spec);
            let alias = !pytrec_eval && measures.len() == 1 && is_ir_measures_name(spec);
            for m in measures {
                let key = if alias { spec.to_string() } else { m.name() };
                named.push((m, key, bare));
            }
        }
        if pytrec_eval {
            let explicit: Vec<&'static str> = named
                .iter()
                .filter(|(_, _, bare)| !bare)
                .map(|(m, _, _)| m.base_name())
                .collect();
            named.retain(|(m, _, bare)| !bare || !explicit.contains(&m.base_name()));
        }
        let mut measures: Vec<Measure> = named.iter().map(|(m, _, _)| m.clone()).collect();
        sort_trec_eval_order(&mut measures);
        let keys = measures
            .iter()
            .map(|m| {
                named
                    .iter()
                    .find(|(n, _, _)| n == m)
                    .map(|(_, k, _)| k.clone())
                    .unwrap_or_else(|| m.name())
            })
            .collect();
        Ok(Selection {
            measures,
            keys,
            pytrec_eval,
            runid: runid && pytrec_eval,
        })
    }

    /// The per-query value of measure `i` of `e` on topic `t`.
    fn topic_value<'py>(
        &self,
        py: Python<'py>,
        e: &Evaluation,
        t: usize,
        i: usize,
    ) -> PyResult<Bound<'py, PyAny>> {
        let m = &e.measures[i];
        let topic = &e.per_topic[t];
        if m.is_text() {
            return if self.pytrec_eval {
                Ok(0.0f64.into_pyobject(py)?.into_any())
            } else {
                Ok(topic.text(i).unwrap_or("").into_pyobject(py)?.into_any())
            };
        }
        let v = topic.values[i];
        let v = if matches!(m, Measure::GmMap | Measure::GmBpref) {
            v.max(MIN_GEO_MEAN).ln()
        } else {
            v
        };
        Ok(v.into_pyobject(py)?.into_any())
    }
}

/// The keys results are given under for `measures`, as `irexp.evaluate` (or, with
/// `pytrec_eval`, `irexp.RelevanceEvaluator`) gives them.
#[pyfunction]
#[pyo3(signature = (measures, pytrec_eval = false))]
pub fn measure_keys(
    py: Python<'_>,
    measures: Vec<String>,
    pytrec_eval: bool,
) -> PyResult<Vec<String>> {
    let s = Selection::new(&measures, pytrec_eval).map_err(|e| bad_value(py, e))?;
    let mut keys = s.keys.clone();
    if s.runid {
        keys.push("runid".into());
    }
    Ok(keys)
}

/// Qrels prepared with measures and trec_eval's options, to evaluate runs.
#[pyclass(frozen, name = "Evaluator", module = "irexp")]
pub struct PyEvaluator {
    qrels: Arc<Qrels>,
    selection: Arc<Selection>,
    options: EvalOptions,
}

impl PyEvaluator {
    fn evaluator(&self, py: Python<'_>) -> PyResult<Evaluator<'_>> {
        Evaluator::new(&self.qrels, &self.selection.measures, self.options.clone()).py(py)
    }

    /// The output of an evaluation. pytrec_eval gives no topic, not an error, when the run
    /// and the qrels have no topic in common; so does the evaluator in its mode.
    fn finish(
        &self,
        py: Python<'_>,
        result: irexp_trec::error::Result<Evaluation>,
        tag: &str,
    ) -> PyResult<PyEvaluatorOutput> {
        let evaluation = match result {
            Err(Error::Eval {
                kind: EvalErrorKind::NoOverlap,
                ..
            }) if self.selection.pytrec_eval => Evaluation {
                measures: self.selection.measures.clone(),
                per_topic: Vec::new(),
                summary: vec![f64::NAN; self.selection.measures.len()],
                runid: tag.to_string(),
            },
            other => other.py(py)?,
        };
        Ok(PyEvaluatorOutput {
            evaluation,
            selection: self.selection.clone(),
        })
    }
}

#[pymethods]
impl PyEvaluator {
    // The Python keyword arguments, one parameter each.
    #[allow(clippy::too_many_arguments)]
    #[new]
    #[pyo3(signature = (qrels, measures, *, relevance_level = 1, complete = false, judged_only = false, cutoff = None, pytrec_eval = false))]
    fn new(
        py: Python<'_>,
        qrels: &PyQrels,
        measures: Vec<String>,
        relevance_level: i64,
        complete: bool,
        judged_only: bool,
        cutoff: Option<i64>,
        pytrec_eval: bool,
    ) -> PyResult<PyEvaluator> {
        let selection = Selection::new(&measures, pytrec_eval).map_err(|e| bad_value(py, e))?;
        if relevance_level < 0 {
            return Err(bad_value(
                py,
                format!("relevance_level must be 0 or more, not {relevance_level}"),
            ));
        }
        let max_docs = match cutoff {
            None => None,
            Some(k) if k >= 1 => Some(k as usize),
            Some(k) => return Err(bad_value(py, format!("cutoff must be 1 or more, not {k}"))),
        };
        Ok(PyEvaluator {
            qrels: qrels.qrels.clone(),
            selection: Arc::new(selection),
            options: EvalOptions {
                relevance_level,
                complete,
                max_docs,
                judged_only,
                ..EvalOptions::default()
            },
        })
    }

    /// Evaluates a run held in memory.
    fn evaluate(&self, py: Python<'_>, run: &PyRun) -> PyResult<PyEvaluatorOutput> {
        let evaluator = self.evaluator(py)?;
        let result = py.detach(|| evaluator.evaluate_file(&run.run, run.source_path()));
        self.finish(py, result, &run.run.tag)
    }

    /// Evaluates a run file (plain or compressed), parsing it in parallel as `irexp eval` does.
    fn evaluate_file(&self, py: Python<'_>, path: PathBuf) -> PyResult<PyEvaluatorOutput> {
        let evaluator = self.evaluator(py)?;
        let result = py.detach(|| {
            let text = irexp_trec::input::read_to_string(&path)?;
            evaluator.evaluate_text(&text, &path)
        });
        self.finish(py, result, "")
    }

    /// The keys of the results, in trec_eval's order.
    #[getter]
    fn keys(&self) -> Vec<String> {
        self.selection.keys.clone()
    }
}

/// One evaluation, converted on demand.
#[pyclass(frozen, name = "EvaluatorOutput", module = "irexp")]
pub struct PyEvaluatorOutput {
    evaluation: Evaluation,
    selection: Arc<Selection>,
}

#[pymethods]
impl PyEvaluatorOutput {
    /// `{measure: value}`: trec_eval's summary (`all`) values; text measures are left out.
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        let e = &self.evaluation;
        for (i, m) in e.measures.iter().enumerate() {
            if !m.is_text() {
                d.set_item(&self.selection.keys[i], e.summary[i])?;
            }
        }
        Ok(d)
    }

    /// `{qid: {measure: value}}` for every evaluated topic, in byte order of qid.
    fn per_query<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        let e = &self.evaluation;
        for (t, topic) in e.per_topic.iter().enumerate() {
            let d = PyDict::new(py);
            for i in 0..e.measures.len() {
                d.set_item(
                    &self.selection.keys[i],
                    self.selection.topic_value(py, e, t, i)?,
                )?;
            }
            if self.selection.runid {
                d.set_item("runid", 0.0)?;
            }
            out.set_item(&topic.qid, d)?;
        }
        Ok(out)
    }

    /// Tidy columns `(qids, measures, values)` of the per-query values (text measures left
    /// out), topic by topic.
    fn per_query_columns(&self, py: Python<'_>) -> PyResult<(Vec<String>, Vec<String>, Vec<f64>)> {
        let e = &self.evaluation;
        let numeric: Vec<usize> = (0..e.measures.len())
            .filter(|&i| !e.measures[i].is_text())
            .collect();
        let n = e.per_topic.len() * numeric.len();
        let (mut q, mut m, mut v) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for (t, topic) in e.per_topic.iter().enumerate() {
            for &i in &numeric {
                q.push(topic.qid.clone());
                m.push(self.selection.keys[i].clone());
                v.push(self.selection.topic_value(py, e, t, i)?.extract::<f64>()?);
            }
        }
        Ok((q, m, v))
    }

    /// The run's tag.
    #[getter]
    fn runid(&self) -> String {
        self.evaluation.runid.clone()
    }
}
