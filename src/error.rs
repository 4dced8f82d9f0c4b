//! Library errors. Every error that comes from user input names where it came from:
//! the file, the line when there is one, and what was expected.

use std::fmt;
use std::path::{Path, PathBuf};

/// Result alias used throughout the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in the user's input an error was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file that holds the bad input.
    pub path: PathBuf,
    /// 1-based line number, when the input is line-oriented.
    pub line: Option<usize>,
}

impl Location {
    /// A location in `path` at 1-based `line`.
    pub fn line(path: impl AsRef<Path>, line: usize) -> Self {
        Location {
            path: path.as_ref().to_path_buf(),
            line: Some(line),
        }
    }

    /// A location that names only a file.
    pub fn file(path: impl AsRef<Path>) -> Self {
        Location {
            path: path.as_ref().to_path_buf(),
            line: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.path.display(), line),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

/// Every error the library returns.
///
/// The binary maps [`Error::Input`] and [`Error::Config`] to exit code 2 (the user can fix the
/// input) and [`Error::Io`] to exit code 1 (the machine failed us).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Malformed or inconsistent input data: corpus, topics, qrels or run files.
    #[error("{location}: {message}")]
    Input {
        /// Where the bad input is.
        location: Location,
        /// What was wrong and what was expected.
        message: String,
    },
    /// A bad experiment configuration or command-line setting.
    #[error("{location}: {message}")]
    Config {
        /// The config file (and line), or `--set` for command-line overrides.
        location: Location,
        /// What was wrong and what was expected.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file being read or written.
        path: DisplayPath,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// An input error at `location`.
    pub fn input(location: Location, message: impl Into<String>) -> Self {
        Error::Input {
            location,
            message: message.into(),
        }
    }

    /// A configuration error at `location`.
    pub fn config(location: Location, message: impl Into<String>) -> Self {
        Error::Config {
            location,
            message: message.into(),
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: DisplayPath(path.as_ref().to_path_buf()),
            source,
        }
    }

    /// True when the user can fix this by changing their input or configuration.
    pub fn is_user_error(&self) -> bool {
        match self {
            Error::Input { .. } | Error::Config { .. } => true,
            // A file that does not exist was named by the user.
            Error::Io { source, .. } => matches!(
                source.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::InvalidData
            ),
        }
    }
}

/// A path that displays itself, for use inside error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayPath(pub PathBuf);

impl fmt::Display for DisplayPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.display())
    }
}
