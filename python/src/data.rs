//! Qrels and runs from files, from pytrec_eval's dicts of dicts and from columns (what the
//! Python layer takes out of a DataFrame). Qids and docnos stay strings as given.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use irexp_trec::qrels::Qrels;
use irexp_trec::run::{Run, RunDoc, RunTopic};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyMapping};

use crate::errors::{bad_value, IntoPy};

/// Judgments, read once and shared by evaluators and comparisons.
#[pyclass(frozen, name = "Qrels", module = "irexp")]
pub struct PyQrels {
    pub(crate) qrels: Arc<Qrels>,
    /// Where the judgments came from: a path, `<qrels DataFrame>` or `<qrels dict>`.
    #[pyo3(get)]
    pub(crate) source: String,
}

/// Ranked lists of one run.
#[pyclass(frozen, name = "Run", module = "irexp")]
pub struct PyRun {
    pub(crate) run: Arc<Run>,
    /// Where the run came from: a path, `<run DataFrame>` or `<run dict>`; errors name it.
    #[pyo3(get)]
    pub(crate) source: String,
}

impl PyRun {
    /// The path errors about this run name.
    pub(crate) fn source_path(&self) -> &Path {
        Path::new(&self.source)
    }

    pub(crate) fn new(run: Run, source: impl Into<String>) -> PyRun {
        PyRun {
            run: Arc::new(run),
            source: source.into(),
        }
    }
}

/// The items of a mapping: a dict's directly, any other mapping's through `items()`.
fn items<'py>(
    obj: &Bound<'py, PyAny>,
    what: &str,
) -> PyResult<Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>> {
    let py = obj.py();
    if let Ok(d) = obj.cast::<PyDict>() {
        return Ok(d.iter().collect());
    }
    let Ok(m) = obj.cast::<PyMapping>() else {
        return Err(bad_value(
            py,
            format!(
                "{what}: expected a mapping (a dict of dicts), not {}",
                obj.get_type().name()?
            ),
        ));
    };
    let list: Bound<'py, PyList> = m.items()?;
    list.iter()
        .map(|pair| pair.extract::<(Bound<'py, PyAny>, Bound<'py, PyAny>)>())
        .collect()
}

/// A qid or docno key of a dict: a string, as pytrec_eval requires.
fn key(k: &Bound<'_, PyAny>, what: &str, context: &str) -> PyResult<String> {
    k.extract::<String>().map_err(|_| {
        let ty = k
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_default();
        bad_value(
            k.py(),
            format!(
                "{context}: {what} {} is a {ty}, not a string (qids and docnos are strings)",
                k.repr().map(|r| r.to_string()).unwrap_or_default()
            ),
        )
    })
}

#[pymethods]
impl PyQrels {
    /// Reads a TREC qrels file (`qid iter docno rel`, plain or compressed).
    #[staticmethod]
    fn read(py: Python<'_>, path: PathBuf) -> PyResult<PyQrels> {
        let qrels = py.detach(|| Qrels::read(&path)).py(py)?;
        Ok(PyQrels {
            qrels: Arc::new(qrels),
            source: path.display().to_string(),
        })
    }

    /// Qrels from `{qid: {docno: relevance}}` (pytrec_eval's shape); relevance values are
    /// integers.
    #[staticmethod]
    fn from_dict(py: Python<'_>, mapping: &Bound<'_, PyAny>) -> PyResult<PyQrels> {
        let source = "<qrels dict>";
        let mut triples: Vec<(String, String, i64)> = Vec::new();
        for (q, docs) in items(mapping, source)? {
            let qid = key(&q, "query id", source)?;
            let context = format!("{source}, query {qid}");
            for (d, rel) in items(&docs, &context)? {
                let docno = key(&d, "document id", &context)?;
                let rel = int_relevance(&rel).ok_or_else(|| {
                    bad_value(
                        py,
                        format!(
                            "{context}, document {docno}: the relevance {} is not an integer",
                            rel.repr().map(|r| r.to_string()).unwrap_or_default()
                        ),
                    )
                })?;
                triples.push((qid.clone(), docno, rel));
            }
        }
        if triples.is_empty() {
            return Err(bad_value(
                py,
                format!("{source}: the qrels have no judgments"),
            ));
        }
        Ok(PyQrels {
            qrels: Arc::new(Qrels::from_triples(triples)),
            source: source.into(),
        })
    }

    /// Qrels from three columns of equal length; `source` names them in errors. A
    /// (qid, docno) pair judged twice is an error naming both rows (1-based).
    #[staticmethod]
    fn from_columns(
        py: Python<'_>,
        qids: Vec<String>,
        docnos: Vec<String>,
        rels: Vec<i64>,
        source: String,
    ) -> PyResult<PyQrels> {
        if qids.len() != docnos.len() || qids.len() != rels.len() {
            return Err(bad_value(
                py,
                format!("{source}: the columns differ in length"),
            ));
        }
        if qids.is_empty() {
            return Err(bad_value(
                py,
                format!("{source}: the qrels have no judgments"),
            ));
        }
        let mut first: HashMap<(&str, &str), usize> = HashMap::with_capacity(qids.len());
        for (row, (q, d)) in qids.iter().zip(&docnos).enumerate() {
            if let Some(prev) = first.insert((q.as_str(), d.as_str()), row) {
                return Err(bad_value(
                    py,
                    format!(
                        "{source}, row {}: document {d} is judged twice for topic {q} (first at row {})",
                        row + 1,
                        prev + 1
                    ),
                ));
            }
        }
        drop(first);
        let qrels = Qrels::from_triples(
            qids.into_iter()
                .zip(docnos)
                .zip(rels)
                .map(|((q, d), r)| (q, d, r)),
        );
        Ok(PyQrels {
            qrels: Arc::new(qrels),
            source,
        })
    }

    /// The judgments as columns `(qids, docnos, relevance)`, topics in byte order.
    fn to_columns(&self) -> (Vec<String>, Vec<String>, Vec<i64>) {
        let mut q = Vec::new();
        let mut d = Vec::new();
        let mut r = Vec::new();
        for (qid, topic) in self.qrels.topics() {
            for (docno, rel) in topic.iter() {
                q.push(qid.to_string());
                d.push(docno.to_string());
                r.push(rel);
            }
        }
        (q, d, r)
    }

    /// The number of judged topics.
    #[getter]
    fn num_topics(&self) -> usize {
        self.qrels.num_topics()
    }

    /// The number of judgments.
    fn __len__(&self) -> usize {
        self.qrels.topics().map(|(_, t)| t.len()).sum()
    }

    fn __repr__(&self) -> String {
        format!(
            "<irexp.Qrels from {}: {} topics, {} judgments>",
            self.source,
            self.num_topics(),
            self.__len__()
        )
    }
}

/// An integer relevance value (a Python int, or a NumPy integer; not a bool or a float).
fn int_relevance(v: &Bound<'_, PyAny>) -> Option<i64> {
    if v.is_instance_of::<pyo3::types::PyBool>() || v.is_instance_of::<pyo3::types::PyFloat>() {
        return None;
    }
    v.extract::<i64>().ok()
}

#[pymethods]
impl PyRun {
    /// Reads a TREC run file (`qid Q0 docno rank score tag`, plain or compressed).
    #[staticmethod]
    fn read(py: Python<'_>, path: PathBuf) -> PyResult<PyRun> {
        let run = py.detach(|| Run::read(&path)).py(py)?;
        Ok(PyRun::new(run, path.display().to_string()))
    }

    /// A run from `{qid: {docno: score}}` (pytrec_eval's shape), tagged `tag`.
    #[staticmethod]
    #[pyo3(signature = (mapping, tag = "run".to_string()))]
    fn from_dict(py: Python<'_>, mapping: &Bound<'_, PyAny>, tag: String) -> PyResult<PyRun> {
        let source = "<run dict>";
        let mut run = Run {
            tag,
            topics: Vec::new(),
        };
        for (q, docs) in items(mapping, source)? {
            let qid = key(&q, "query id", source)?;
            let context = format!("{source}, query {qid}");
            let pairs = items(&docs, &context)?;
            let mut topic = RunTopic {
                qid,
                docs: Vec::with_capacity(pairs.len()),
            };
            for (d, s) in pairs {
                let docno = key(&d, "document id", &context)?;
                let score = score(&s).ok_or_else(|| {
                    bad_value(
                        py,
                        format!(
                            "{context}, document {docno}: the score {} is not a number",
                            s.repr().map(|r| r.to_string()).unwrap_or_default()
                        ),
                    )
                })?;
                topic.docs.push(RunDoc { docno, score });
            }
            run.topics.push(topic);
        }
        if run.topics.is_empty() {
            return Err(bad_value(py, format!("{source}: the run has no topics")));
        }
        Ok(PyRun::new(run, source))
    }

    /// A run from three columns of equal length (one row per retrieved document), tagged
    /// `tag`; `source` names the columns in errors. Topics keep the order of their first row.
    #[staticmethod]
    fn from_columns(
        py: Python<'_>,
        qids: Vec<String>,
        docnos: Vec<String>,
        scores: Vec<f64>,
        tag: String,
        source: String,
    ) -> PyResult<PyRun> {
        if qids.len() != docnos.len() || qids.len() != scores.len() {
            return Err(bad_value(
                py,
                format!("{source}: the columns differ in length"),
            ));
        }
        if qids.is_empty() {
            return Err(bad_value(py, format!("{source}: the run has no rows")));
        }
        if let Some(row) = scores.iter().position(|s| s.is_nan()) {
            return Err(bad_value(
                py,
                format!(
                    "{source}, row {}: the score is NaN, which has no rank order",
                    row + 1
                ),
            ));
        }
        let run = py.detach(|| group_columns(qids, docnos, scores, tag));
        Ok(PyRun::new(run, source))
    }

    /// The run as columns `(qids, docnos, ranks, scores)`: topics in their order, each
    /// topic's documents in the order held (best first for runs irexp ranked), ranked 1, 2, ….
    fn to_columns(&self) -> (Vec<String>, Vec<String>, Vec<usize>, Vec<f64>) {
        run_columns(&self.run)
    }

    /// The run's tag.
    #[getter]
    fn tag(&self) -> String {
        self.run.tag.clone()
    }

    /// The number of topics.
    #[getter]
    fn num_topics(&self) -> usize {
        self.run.topics.len()
    }

    /// The number of retrieved documents (rows).
    fn __len__(&self) -> usize {
        self.run.topics.iter().map(|t| t.docs.len()).sum()
    }

    fn __repr__(&self) -> String {
        format!(
            "<irexp.Run {:?} from {}: {} topics, {} documents>",
            self.run.tag,
            self.source,
            self.num_topics(),
            self.__len__()
        )
    }
}

/// The columns of a run, as [`PyRun::to_columns`] gives them.
pub(crate) fn run_columns(run: &Run) -> (Vec<String>, Vec<String>, Vec<usize>, Vec<f64>) {
    let n: usize = run.topics.iter().map(|t| t.docs.len()).sum();
    let (mut q, mut d, mut r, mut s) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for t in &run.topics {
        for (i, doc) in t.docs.iter().enumerate() {
            q.push(t.qid.clone());
            d.push(doc.docno.clone());
            r.push(i + 1);
            s.push(doc.score);
        }
    }
    (q, d, r, s)
}

/// A score: a Python float or int (or a NumPy number), not a bool.
fn score(v: &Bound<'_, PyAny>) -> Option<f64> {
    if v.is_instance_of::<pyo3::types::PyBool>() {
        return None;
    }
    v.extract::<f64>().ok()
}

/// Rows grouped into topics in order of first appearance.
fn group_columns(qids: Vec<String>, docnos: Vec<String>, scores: Vec<f64>, tag: String) -> Run {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut topics: Vec<RunTopic> = Vec::new();
    let mut last: Option<(String, usize)> = None;
    for ((qid, docno), score) in qids.into_iter().zip(docnos).zip(scores) {
        let slot = match &last {
            Some((q, slot)) if *q == qid => *slot,
            _ => {
                let slot = *index.entry(qid.clone()).or_insert_with(|| {
                    topics.push(RunTopic {
                        qid: qid.clone(),
                        docs: Vec::new(),
                    });
                    topics.len() - 1
                });
                last = Some((qid, slot));
                slot
            }
        };
        topics[slot].docs.push(RunDoc { docno, score });
    }
    Run { tag, topics }
}
