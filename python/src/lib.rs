//! `irexp._irexp`, the native half of the Python package: qrels and runs read from files,
//! dicts and columns, the evaluator, comparisons and retrieval, over the workspace crates.
//!
//! The public API is the Python package (`python/irexp/`), which accepts pandas DataFrames and
//! other shapes and calls these functions. Everything here returns errors as Python
//! exceptions: [`errors::to_py`] turns the library's located errors into `irexp.InputError`,
//! and the long work runs with the GIL released (`Python::detach`).

mod compare;
mod data;
mod errors;
mod evaluate;
mod retrieval;

use pyo3::prelude::*;

/// The native module; see the `irexp` package for the documented API.
#[pymodule]
mod _irexp {
    #[pymodule_export]
    use crate::compare::{compare, PyReport};
    #[pymodule_export]
    use crate::data::{PyQrels, PyRun};
    #[pymodule_export]
    use crate::evaluate::measure_keys;
    #[pymodule_export]
    use crate::evaluate::{PyEvaluator, PyEvaluatorOutput};
    #[pymodule_export]
    use crate::retrieval::{run_experiment, PyExperiment, PyIndex, PyRanker};
}
