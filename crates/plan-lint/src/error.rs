//! What can go wrong with a run as a whole (exit status 2), as opposed to findings in plans.

use miette::Diagnostic;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum RunError {
    #[error("--statistics prints counts as text or JSON, not as `{format}`")]
    #[diagnostic(help("use it with --format human, concise or json"))]
    StatisticsFormat { format: &'static str },

    #[error("unrecognized subcommand or path '{name}'")]
    #[diagnostic(help("did you mean `{close}`? (`plan-lint --help` lists the commands)"))]
    UnrecognizedCommand { name: String, close: String },

    #[error("unknown rule `{name}` in {option}")]
    #[diagnostic(help("{help}"))]
    UnknownRule {
        name: String,
        option: &'static str,
        help: String,
    },

    #[error("no plan files found in {searched}")]
    #[diagnostic(help(
        "plan files are named *.plan.toml or *.plan.json; pass --allow-empty if an empty run is expected"
    ))]
    NoPlanFiles { searched: String },

    #[error("cannot write the report to `{}`", path.display())]
    WriteReport {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot tell which files changed since `{since}`: {message}")]
    #[diagnostic(help(
        "--changed-since needs a git repository that knows the revision; in a shallow clone, fetch it first"
    ))]
    ChangedSince { since: String, message: String },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] crate::config::ConfigError),

    #[error("`{path}` already exists; plan-lint init never overwrites a file")]
    #[diagnostic(help("name another file: `plan-lint init {free}`"))]
    WouldOverwrite { path: String, free: String },

    #[error("cannot write the plan `{path}`")]
    WritePlan {
        path: String,
        #[source]
        source: std::io::Error,
    },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Baseline(#[from] crate::baseline::BaselineError),

    #[error("no baseline is in use")]
    #[diagnostic(help(
        "name one with --baseline FILE or `baseline = \"…\"` in plan-lint.toml, or write one with --write-baseline"
    ))]
    NoBaseline,

    #[error("cannot write the baseline `{path}`")]
    WriteBaseline {
        path: String,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot determine the working folder")]
    WorkingFolder(#[source] std::io::Error),
}

/// A path that could not be linted. The run goes on with the other files and exits 2.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum FileError {
    #[error("`{path}` does not exist")]
    Missing { path: String },

    #[error("cannot read `{path}`")]
    Unreadable {
        path: String,
        #[source]
        source: std::io::Error,
    },

    /// A FIFO, socket or device: reading one could block forever or never end.
    #[error("`{path}` is not a regular file; it was not read")]
    NotAFile { path: String },

    /// A path whose real location is outside the project: it is never opened.
    #[error("`{path}` was not read: {why}")]
    #[diagnostic(help(
        "plan-lint reads only files inside the project (the repository, or the working folder outside git)"
    ))]
    Outside { path: String, why: String },

    /// A plan whose fixes could not be written: the file is as it was.
    #[error("cannot write the fixed `{path}`; it is unchanged")]
    Unwritable {
        path: String,
        #[source]
        source: std::io::Error,
    },

    /// A symbolic link to nothing.
    #[error("`{path}` is a symbolic link to nothing; it was not read")]
    BrokenLink { path: String },
}

impl FileError {
    pub fn path(&self) -> &str {
        match self {
            FileError::Missing { path }
            | FileError::Unreadable { path, .. }
            | FileError::NotAFile { path }
            | FileError::Outside { path, .. }
            | FileError::BrokenLink { path }
            | FileError::Unwritable { path, .. } => path,
        }
    }

    /// A path that leads out of the project.
    pub fn outside(
        path: String,
        escape: &crate::confine::Escape,
        cwd: &std::path::Path,
    ) -> FileError {
        FileError::Outside {
            path,
            why: escape.describe(cwd),
        }
    }

    /// The message with its cause, for one-line reports.
    pub fn describe(&self) -> String {
        match self {
            FileError::Unreadable { source, .. } | FileError::Unwritable { source, .. } => {
                format!("{self}: {source}")
            }
            _ => self.to_string(),
        }
    }
}
