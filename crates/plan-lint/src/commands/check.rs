//! `plan-lint check`: discover, read, check, render, and decide the exit status.

use crate::ExitStatus;
use crate::args::{CheckArgs, OutputFormat};
use crate::discover::discover;
use crate::error::RunError;
use crate::load::{design_plans_found, load};
use crate::render;
use crate::report::Report;
use crate::settings::Settings;
use crate::write::{write_atomically, write_stdout};
use plan_rules::Facts;
use std::path::Path;

pub fn check(args: &CheckArgs, cwd: &Path, color: bool) -> Result<ExitStatus, RunError> {
    let today = args.today.unwrap_or_else(today_utc);
    let settings = Settings::new(args, cwd, today)?;
    if args.show_settings {
        print(settings.describe().as_bytes(), None)?;
        return Ok(ExitStatus::Success);
    }
    let discovered = discover(&args.paths, cwd, |path, named| settings.takes(path, named));
    if args.show_files {
        let listing: String = discovered
            .files
            .iter()
            .map(|file| match settings.describe_config_for(&file.path) {
                Some(config) => format!("{}  ({config})\n", file.display),
                None => format!("{}\n", file.display),
            })
            .collect();
        print(listing.as_bytes(), None)?;
        report_path_errors(&discovered.errors);
        return Ok(if discovered.errors.is_empty() {
            ExitStatus::Success
        } else {
            ExitStatus::Error
        });
    }
    if discovered.files.is_empty() && discovered.errors.is_empty() && !args.allow_empty {
        let searched = if args.paths.is_empty() {
            "the working folder".to_owned()
        } else {
            args.paths
                .iter()
                .map(|p| format!("`{}`", p.display()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(RunError::NoPlanFiles { searched });
    }

    let (files, mut errors) = load(&discovered.files);
    errors.splice(0..0, discovered.errors);
    let facts = Facts {
        today: settings.today,
        design_plan_exists: design_plans_found(&files, cwd),
    };
    let paths: Vec<&Path> = files.iter().map(|f| Path::new(&f.source.path)).collect();
    let policy = settings.policy(&paths);
    let outcome = plan_rules::check(&files, &facts, &policy);
    let report = Report {
        files: &files,
        findings: &outcome.findings,
        suppressed: &outcome.suppressed,
        errors: &errors,
    };

    let rendered = match args.format {
        OutputFormat::Human => render::human::render(&report, color && args.output.is_none()),
        OutputFormat::Concise => render::concise::render(&report),
        OutputFormat::Json => render::json::render(&report),
    };
    print(rendered.as_bytes(), args.output.as_deref())?;
    if args.format != OutputFormat::Concise {
        report_path_errors(&errors);
    }

    Ok(if !errors.is_empty() {
        ExitStatus::Error
    } else if outcome
        .findings
        .iter()
        .any(|finding| settings.fails(finding.severity))
    {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn print(contents: &[u8], output: Option<&Path>) -> Result<(), RunError> {
    match output {
        Some(path) => write_atomically(path, contents),
        None => write_stdout(contents),
    }
    .map_err(|source| RunError::WriteReport {
        path: output.unwrap_or(Path::new("<stdout>")).to_owned(),
        source,
    })
}

/// Paths that could not be linted go to standard error, so they are seen even when the
/// report goes to a file or another program.
fn report_path_errors(errors: &[crate::error::FileError]) {
    for error in errors {
        eprintln!("{:?}", miette::Report::msg(error.describe()));
    }
}

fn today_utc() -> jiff::civil::Date {
    jiff::tz::Offset::UTC
        .to_datetime(jiff::Timestamp::now())
        .date()
}
