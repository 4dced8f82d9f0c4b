//! Library errors. Every error that comes from user input names where it came from:
//! the file, the line when there is one, and what was expected.

use std::fmt;
use std::path::{Path, PathBuf};

/// Result alias used throughout the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in the user's input an error was found: a file (and line), or a command-line
/// argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A file, and the 1-based line when the input is line-oriented.
    File {
        /// The file that holds the bad input.
        path: PathBuf,
        /// 1-based line number, when the input is line-oriented.
        line: Option<usize>,
    },
    /// A command-line argument, as typed: `-m`, `--qrels`, `--set corpus.path`.
    Argument(String),
}

impl Location {
    /// A location in `path` at 1-based `line`.
    pub fn line(path: impl AsRef<Path>, line: usize) -> Self {
        Location::File {
            path: path.as_ref().to_path_buf(),
            line: Some(line),
        }
    }

    /// A location that names only a file.
    pub fn file(path: impl AsRef<Path>) -> Self {
        Location::File {
            path: path.as_ref().to_path_buf(),
            line: None,
        }
    }

    /// A command-line argument.
    pub fn arg(name: impl Into<String>) -> Self {
        Location::Argument(name.into())
    }

    /// The line, for a location in a line-oriented file.
    pub fn line_number(&self) -> Option<usize> {
        match self {
            Location::File { line, .. } => *line,
            Location::Argument(_) => None,
        }
    }

    /// The file, unless this is a command-line argument.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Location::File { path, .. } => Some(path),
            Location::Argument(_) => None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File {
                path,
                line: Some(line),
            } => write!(f, "{}:{}", path.display(), line),
            Location::File { path, line: None } => write!(f, "{}", path.display()),
            Location::Argument(name) => write!(f, "{name}"),
        }
    }
}

/// Every error the library returns.
///
/// `irexp run` maps [`Error::Input`], [`Error::Config`] and [`Error::Eval`] to exit code 2
/// (the user can fix the input) and [`Error::Io`] to exit code 1 (the machine failed us);
/// `irexp eval` uses [`Error::trec_eval_exit_code`].
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
    /// An evaluation error of one of trec_eval's classes (see [`EvalErrorKind`]), so that
    /// `irexp eval` can exit as trec_eval does.
    #[error("{location}: {message}")]
    Eval {
        /// trec_eval's error class.
        kind: EvalErrorKind,
        /// Where the bad input is.
        location: Location,
        /// What was wrong and what was expected.
        message: String,
    },
    /// Reading or writing a file failed. The message includes the OS error once (it is not
    /// also exposed as the error's source, so an error chain never prints it twice).
    #[error("{path}: {error}")]
    Io {
        /// The file being read or written.
        path: DisplayPath,
        /// The underlying error.
        error: std::io::Error,
    },
    /// A check found differences (`irexp check`: a folder that does not match its manifest).
    /// Not an input error: exit code 1, as `cmp` and `sha256sum -c` exit.
    #[error("{path}: {message}")]
    Mismatch {
        /// What was checked.
        path: DisplayPath,
        /// What differs.
        message: String,
    },
    /// An error about a file that a config key or a command-line argument named: where the
    /// name came from, then the inner error (see [`Error::at`]).
    #[error("{}", context_message(location, what, inner))]
    Context {
        /// The config file and line of the key, or the command-line argument.
        location: Location,
        /// The key or argument, e.g. `topics.path`.
        what: String,
        /// The error itself, which decides the exit code.
        inner: Box<Error>,
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

    /// An evaluation error of class `kind` at `location`.
    pub fn eval(kind: EvalErrorKind, location: Location, message: impl Into<String>) -> Self {
        Error::Eval {
            kind,
            location,
            message: message.into(),
        }
    }

    /// The exit code trec_eval uses for this error (spec §9): 1 for an illegal measure, 2 for
    /// unreadable or malformed input and bad measure parameters, 4 for duplicate documents and
    /// bad parameter counts, 7 when no topic is in both files. Failures that are not the
    /// input's fault are 1.
    pub fn trec_eval_exit_code(&self) -> u8 {
        match self {
            Error::Eval { kind, .. } => kind.exit_code(),
            Error::Context { inner, .. } => inner.trec_eval_exit_code(),
            Error::Input { .. } | Error::Config { .. } => 2,
            Error::Io { .. } if self.is_user_error() => 2,
            Error::Io { .. } | Error::Mismatch { .. } => 1,
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: impl AsRef<Path>, error: std::io::Error) -> Self {
        Error::Io {
            path: DisplayPath(path.as_ref().to_path_buf()),
            error,
        }
    }

    /// Adds where a file's name came from (`location`, `what`: a config key's line and name)
    /// to an I/O error about that file. Other errors already name their file and line, and
    /// are returned as they are.
    pub fn at(self, location: &Location, what: &str) -> Self {
        match self {
            Error::Io { .. } => Error::Context {
                location: location.clone(),
                what: what.to_string(),
                inner: Box::new(self),
            },
            other => other,
        }
    }

    /// Wraps any error with where it happened (`location`) and what was being done
    /// (`what`), keeping the inner error, its message and its exit code whole.
    pub fn within(self, location: Location, what: impl Into<String>) -> Self {
        Error::Context {
            location,
            what: what.into(),
            inner: Box::new(self),
        }
    }

    /// The I/O error underneath, if this is one (possibly with context).
    pub fn io_error(&self) -> Option<&std::io::Error> {
        match self {
            Error::Io { error, .. } => Some(error),
            Error::Context { inner, .. } => inner.io_error(),
            _ => None,
        }
    }

    /// True when the user can fix this by changing their input or configuration.
    pub fn is_user_error(&self) -> bool {
        match self {
            Error::Input { .. } | Error::Config { .. } | Error::Eval { .. } => true,
            Error::Context { inner, .. } => inner.is_user_error(),
            Error::Mismatch { .. } => false,
            // A file that does not exist, a folder where a file is expected (or the reverse),
            // or a loop of symbolic links: the user named the wrong path.
            Error::Io { error, .. } => {
                use std::io::ErrorKind;
                matches!(
                    error.kind(),
                    ErrorKind::NotFound
                        | ErrorKind::InvalidData
                        | ErrorKind::IsADirectory
                        | ErrorKind::NotADirectory
                        | ErrorKind::InvalidFilename
                ) || error.raw_os_error() == Some(ELOOP)
            }
        }
    }
}

/// `LOCATION: KEY: INNER`, without the key when the location already names it (`--set KEY`).
fn context_message(location: &Location, what: &str, inner: &Error) -> String {
    if matches!(location, Location::Argument(arg) if arg.ends_with(what)) {
        format!("{location}: {inner}")
    } else {
        format!("{location}: {what}: {inner}")
    }
}

/// `ELOOP`: too many levels of symbolic links (a loop). `std::io::ErrorKind` has no stable
/// name for it yet.
#[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
const ELOOP: i32 = 62;
#[cfg(not(any(target_os = "macos", target_os = "ios", target_os = "freebsd")))]
const ELOOP: i32 = 40;

/// A path that displays itself, for use inside error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayPath(pub PathBuf);

impl fmt::Display for DisplayPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.display())
    }
}

/// trec_eval's classes of evaluation errors, each with its exit code (spec §9).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EvalErrorKind {
    /// A document retrieved twice within an evaluated topic (trec_eval: `duplicate docs`,
    /// exit 4).
    DuplicateDoc {
        /// The topic.
        qid: String,
        /// The document.
        docno: String,
    },
    /// A document judged twice within a topic (trec_eval: `duplicate docs`, exit 4).
    DuplicateJudgment,
    /// No topic has both results and judgments (exit 7).
    NoOverlap,
    /// An unknown measure name (trec_eval: `illegal measure`, exit 1).
    IllegalMeasure,
    /// Bad measure parameters, e.g. negative or duplicate cutoffs (exit 2).
    BadParameter,
    /// A parameter list with the wrong number of items, e.g. utility (exit 4).
    ParameterCount,
}

impl EvalErrorKind {
    /// trec_eval's exit code for this class.
    pub fn exit_code(&self) -> u8 {
        match self {
            EvalErrorKind::DuplicateDoc { .. }
            | EvalErrorKind::DuplicateJudgment
            | EvalErrorKind::ParameterCount => 4,
            EvalErrorKind::NoOverlap => 7,
            EvalErrorKind::IllegalMeasure => 1,
            EvalErrorKind::BadParameter => 2,
        }
    }
}
