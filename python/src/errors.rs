//! Library errors as Python exceptions.
//!
//! Errors the user can fix (bad input, bad settings, an unknown measure, a missing file) become
//! `irexp.InputError`, a `ValueError` defined in `irexp/_errors.py`, with the library's
//! located message and its `path` and `line` attributes; other failures (the machine's) become
//! `OSError`.

use irexp_trec::error::{Error, Location};
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;

/// `irexp.InputError(message, path, line)`.
pub fn input_error(
    py: Python<'_>,
    message: &str,
    path: Option<String>,
    line: Option<usize>,
) -> PyErr {
    let made = py
        .import("irexp._errors")
        .and_then(|m| m.getattr("InputError"))
        .and_then(|cls| cls.call1((message, path, line)));
    match made {
        Ok(value) => PyErr::from_value(value),
        // Only when the package is broken: the error is still raised, as a ValueError.
        Err(e) => e,
    }
}

/// An `InputError` about a setting or a value that is not in a file.
pub fn bad_value(py: Python<'_>, message: impl AsRef<str>) -> PyErr {
    input_error(py, message.as_ref(), None, None)
}

/// The innermost location of an error: for an error with context (a config key naming a
/// file), the file's own location when it has one.
fn location(e: &Error) -> Option<&Location> {
    match e {
        Error::Input { location, .. }
        | Error::Config { location, .. }
        | Error::Eval { location, .. } => Some(location),
        Error::Context {
            location, inner, ..
        } => location_of_inner(inner).or(Some(location)),
        Error::Io { .. } | Error::Mismatch { .. } => None,
    }
}

fn location_of_inner(e: &Error) -> Option<&Location> {
    match e {
        Error::Io { .. } | Error::Mismatch { .. } => None,
        other => location(other),
    }
}

/// The file an error is about, and its line.
fn path_and_line(e: &Error) -> (Option<String>, Option<usize>) {
    if let Some(loc) = location(e) {
        return (
            loc.path().map(|p| p.display().to_string()),
            loc.line_number(),
        );
    }
    match e {
        Error::Io { path, .. } | Error::Mismatch { path, .. } => (Some(path.to_string()), None),
        _ => (None, None),
    }
}

/// The Python exception for a library error.
pub fn to_py(py: Python<'_>, e: Error) -> PyErr {
    let message = e.to_string();
    if e.is_user_error() {
        let (path, line) = path_and_line(&e);
        input_error(py, &message, path, line)
    } else {
        PyOSError::new_err(message)
    }
}

/// Maps a library result to a Python one.
pub trait IntoPy<T> {
    /// The value, or the library error as a Python exception.
    fn py(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPy<T> for Result<T, Error> {
    fn py(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py(py, e))
    }
}
