//! The `plan-lint` command line: finds plan files, runs the rules, and renders the findings.
//!
//! Exit statuses are decided here and only here: see [`ExitStatus`].

mod args;
mod commands;
mod error;
mod in_memory;
mod render;
mod write;

pub use args::Cli;
pub use error::RunError;
pub use in_memory::{
    Reports, fix_in_memory, hostile_portfolio, lint_in_memory, raw_control_character,
    split_into_plans,
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
        Some(Command::Rules { format, config }) => {
            let registry = commands::project_registry(&cwd, config)?;
            print(commands::rules::render(format, &registry))
        }
        Some(Command::Explain {
            rule,
            format,
            config,
        }) => {
            let registry = commands::project_registry(&cwd, config)?;
            print(commands::explain::render(&rule, format, &registry)?)
        }
        Some(Command::Test {
            files,
            config,
            today,
        }) => {
            let today = today.unwrap_or_else(plan_engine::today_utc);
            let (report, status) = commands::test::run(&cwd, &files, config, today)?;
            print(report)?;
            Ok(status)
        }
        Some(Command::Schema) => print(commands::schema::render()),
        Some(Command::Init {
            file,
            format,
            today,
        }) => commands::init::init(file.as_deref(), format, today, &cwd),
        Some(Command::Completions { shell }) => print(commands::generated::completions(shell)),
        Some(Command::Manpage) => print(commands::generated::manpage()),
        Some(Command::Server { today }) => match plan_server::run_stdio(today) {
            Ok(()) => Ok(ExitStatus::Success),
            Err(error) => {
                eprintln!("error: the language server stopped: {error}");
                Ok(ExitStatus::Error)
            }
        },
        Some(Command::Check(args)) => check(&args, &cwd),
        Some(Command::Report(args)) => commands::check::check(&args.check_args(), &cwd, false),
        None => {
            reject_misspelt_command(&cli.check.paths, &cwd)?;
            check(&cli.check, &cwd)
        }
    }
}

fn check(args: &args::CheckArgs, cwd: &std::path::Path) -> Result<ExitStatus, RunError> {
    let env = |name: &str| std::env::var_os(name);
    let color = color_wanted(
        args.color,
        args.no_color,
        env,
        std::io::stdout().is_terminal(),
    );
    commands::check::check(args, cwd, color)
}

/// `plan-lint rule`: a first argument that is not a path but is close to a command's name is
/// a mistyped command, not a missing plan.
fn reject_misspelt_command(
    paths: &[std::path::PathBuf],
    cwd: &std::path::Path,
) -> Result<(), RunError> {
    let Some(first) = paths.first().and_then(|path| path.to_str()) else {
        return Ok(());
    };
    let looks_like_a_word =
        !first.is_empty() && first.chars().all(|c| c.is_ascii_alphabetic() || c == '-');
    if !looks_like_a_word || cwd.join(first).exists() {
        return Ok(());
    }
    let names = args::command_names();
    match plan_model::did_you_mean(first, names.iter().map(String::as_str)) {
        Some(close) => Err(RunError::UnrecognizedCommand {
            name: first.to_owned(),
            close: close.to_owned(),
        }),
        None => Ok(()),
    }
}

/// Whether to colour a report, as the conventions say (in the order `anstream` applies them):
/// `--color always`/`never` (and `--no-color`) decide; otherwise `NO_COLOR` (https://no-color.org)
/// turns colour off, `CLICOLOR_FORCE` or `FORCE_COLOR` (https://force-color.org) turn it on,
/// `FORCE_COLOR=0` (as Node reads it), `CLICOLOR=0` and `TERM=dumb` off, and else it is on for
/// a terminal.
fn color_wanted(
    choice: args::ColorChoice,
    no_color_flag: bool,
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
    is_terminal: bool,
) -> bool {
    let set = |name: &str| env(name).is_some_and(|value| !value.is_empty());
    let is = |name: &str, wanted: &str| env(name).is_some_and(|value| value == wanted);
    match choice {
        _ if no_color_flag => false,
        args::ColorChoice::Always => true,
        args::ColorChoice::Never => false,
        args::ColorChoice::Auto => {
            let force_color_off = is("FORCE_COLOR", "0") || is("FORCE_COLOR", "false");
            let forced = (set("CLICOLOR_FORCE") && !is("CLICOLOR_FORCE", "0"))
                || (set("FORCE_COLOR") && !force_color_off);
            if set("NO_COLOR") {
                false
            } else if forced {
                true
            } else if force_color_off || is("CLICOLOR", "0") || is("TERM", "dumb") {
                false
            } else {
                is_terminal
            }
        }
    }
}

/// How a run error is shown on standard error: `error: …`, its causes, place and help.
pub fn error_text(error: &RunError) -> String {
    render::run_error::render(error, stderr_color())
}

/// Whether what goes to standard error is coloured: the same conventions as the report's, on
/// standard error's terminal.
pub fn stderr_color() -> bool {
    color_wanted(
        args::ColorChoice::Auto,
        false,
        |name| std::env::var_os(name),
        std::io::stderr().is_terminal(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use args::ColorChoice::{Always, Auto, Never};

    fn wanted(choice: args::ColorChoice, vars: &[(&str, &str)], terminal: bool) -> bool {
        let env = |name: &str| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| std::ffi::OsString::from(value))
        };
        color_wanted(choice, false, env, terminal)
    }

    #[test]
    fn colour_follows_the_flag_then_the_conventions() {
        assert!(wanted(Auto, &[], true));
        assert!(!wanted(Auto, &[], false));
        assert!(wanted(Always, &[("NO_COLOR", "1")], false), "the flag wins");
        assert!(!wanted(Never, &[("FORCE_COLOR", "1")], true));
        assert!(!wanted(Auto, &[("NO_COLOR", "1")], true));
        assert!(
            wanted(Auto, &[("NO_COLOR", "")], true),
            "an empty NO_COLOR is unset"
        );
        assert!(wanted(Auto, &[("FORCE_COLOR", "1")], false));
        assert!(wanted(Auto, &[("FORCE_COLOR", "3")], false));
        assert!(!wanted(Auto, &[("FORCE_COLOR", "0")], true));
        assert!(wanted(Auto, &[("CLICOLOR_FORCE", "1")], false));
        assert!(!wanted(Auto, &[("CLICOLOR_FORCE", "0")], false));
        assert!(
            !wanted(Auto, &[("NO_COLOR", "1"), ("FORCE_COLOR", "1")], false),
            "NO_COLOR wins"
        );
        assert!(!wanted(Auto, &[("CLICOLOR", "0")], true));
        assert!(!wanted(Auto, &[("TERM", "dumb")], true));
        assert!(
            !color_wanted(Always, true, |_| None, true),
            "--no-color is --color never"
        );
    }
}
