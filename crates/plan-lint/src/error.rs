//! What can go wrong with a command as a whole (exit status 2), as opposed to findings in
//! plans: the engine's errors, and the command line's own.

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

    #[error("`{path}` already exists; plan-lint init never overwrites a file")]
    #[diagnostic(help("name another file: `plan-lint init {free}`"))]
    WouldOverwrite { path: String, free: String },

    #[error("`{path}` is not named as `--format` asks: a plan of that format ends in `{format}`")]
    InitFormat { path: String, format: &'static str },

    #[error("cannot write the plan `{path}`")]
    WritePlan {
        path: String,
        #[source]
        source: std::io::Error,
    },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Engine(#[from] plan_engine::EngineError),

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

    #[error("--source-url: {0}")]
    #[diagnostic(help(
        "for GitHub: --source-url 'https://github.com/OWNER/REPO/blob/{{commit}}/{{path}}#L{{line}}'"
    ))]
    SourceUrl(plan_report::SourceUrlError),

    #[error("cannot determine the working folder")]
    WorkingFolder(#[source] std::io::Error),
}
