//! What can stop a run as a whole (the command line exits 2), as opposed to findings in plans,
//! and what can go wrong with one path (the others are still checked).

use miette::Diagnostic;

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum EngineError {
    #[error("unknown rule `{name}` in {option}")]
    #[diagnostic(help("{help}"))]
    UnknownRule {
        name: String,
        option: &'static str,
        help: String,
    },

    #[error("cannot tell which files changed since `{since}`: {message}")]
    #[diagnostic(help(
        "--changed-since needs a git repository that knows the revision; in a shallow clone, fetch it first"
    ))]
    ChangedSince { since: String, message: String },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] crate::config::ConfigError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Baseline(#[from] crate::baseline::BaselineError),
}
