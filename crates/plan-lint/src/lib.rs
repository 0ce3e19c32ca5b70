//! The `plan-lint` command line: finds plan files, runs the rules, and renders the findings.
//!
//! Exit statuses are decided here and only here: see [`ExitStatus`].

mod args;
mod changed;
mod commands;
mod config;
mod confine;
mod design_plan;
mod discover;
mod error;
mod in_memory;
mod load;
mod render;
mod report;
mod settings;
mod size;
mod write;

pub use args::Cli;
pub use error::RunError;
pub use in_memory::{
    Reports, hostile_portfolio, lint_in_memory, raw_control_character, split_into_plans,
};

use args::Command;
use std::io::IsTerminal;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// No finding at or above `--fail-on`.
    Success,
    /// Findings at or above `--fail-on`.
    Failure,
    /// The run itself went wrong: bad arguments or config, a path that does not exist or
    /// cannot be read.
    Error,
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        std::process::ExitCode::from(match status {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        })
    }
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<ExitStatus, RunError> {
    let cwd = std::env::current_dir().map_err(RunError::WorkingFolder)?;
    let print = |text: String| {
        write::write_stdout(&mut |out| out.write_all(text.as_bytes()))
            .map_err(|source| RunError::WriteReport {
                path: "<stdout>".into(),
                source,
            })
            .map(|()| ExitStatus::Success)
    };
    match cli.command {
        Some(Command::Rules { format }) => print(commands::rules::render(format)),
        Some(Command::Explain { rule }) => print(commands::explain::render(&rule)?),
        Some(Command::Schema) => print(commands::schema::render()),
        Some(Command::Init { file, today }) => commands::init::init(file.as_deref(), today, &cwd),
        Some(Command::Check(args)) => commands::check::check(&args, &cwd, use_color(args.no_color)),
        None => commands::check::check(&cli.check, &cwd, use_color(cli.check.no_color)),
    }
}

/// Colour only on a terminal, and never with `--no-color` or `NO_COLOR` (https://no-color.org).
fn use_color(no_color_flag: bool) -> bool {
    let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    !no_color_flag && !no_color_env && std::io::stdout().is_terminal()
}
