//! `plan-lint check`: discover, read, check, render, and decide the exit status.

use crate::ExitStatus;
use crate::args::{CheckArgs, OutputFormat};
use crate::discover::discover;
use crate::error::RunError;
use crate::load::{Loaded, Stage, load};
use crate::render;
use crate::report::Report;
use crate::settings::Settings;
use crate::write::{write_atomically, write_stdout};
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

    let display_paths: Vec<&Path> = discovered
        .files
        .iter()
        .map(|file| Path::new(&file.display))
        .collect();
    let policy = settings.policy(&display_paths);
    let stage = Stage {
        today: settings.today,
        policy: &policy,
        cwd,
        keep_text: args.format == OutputFormat::Human,
    };
    let Loaded {
        files,
        reports,
        mut errors,
    } = load(&discovered.files, &stage);
    errors.splice(0..0, discovered.errors);
    let mut outcome = plan_rules::check_portfolio(reports, settings.today, &policy);
    let reported: Option<Vec<bool>> =
        crate::changed::files_to_report(&args.only_files, args.changed_since.as_deref(), cwd)?
            .map(|only| files.iter().map(|file| only.contains(&file.path)).collect());
    if let Some(reported) = &reported {
        outcome.findings.retain(|finding| reported[finding.file]);
        outcome.suppressed.retain(|s| reported[s.finding.file]);
    }
    let rules = policy.rules_on();
    let report = Report {
        files: &files,
        findings: &outcome.findings,
        suppressed: &outcome.suppressed,
        errors: &errors,
        rules: &rules,
        reported: reported.as_deref(),
    };
    let srcroot = repository_root(cwd);
    let roots = render::sarif::Roots {
        srcroot: &srcroot,
        cwd,
    };

    // Every report is rendered before any is written, and each is written atomically.
    let rendered = match args.format {
        OutputFormat::Human => render::human::render(&report, color && args.output.is_none()),
        OutputFormat::Concise => render::concise::render(&report),
        OutputFormat::Json => render::json::render(&report),
        OutputFormat::Sarif => render::sarif::render(&report, &roots),
        OutputFormat::Github => render::github::render(&report),
        OutputFormat::Markdown => render::markdown::render(&report),
    };
    if let Some(path) = &args.sarif {
        print(
            render::sarif::render(&report, &roots).as_bytes(),
            Some(path),
        )?;
    }
    if let Some(path) = &args.markdown {
        print(render::markdown::render(&report).as_bytes(), Some(path))?;
    }
    print(rendered.as_bytes(), args.output.as_deref())?;
    if !matches!(args.format, OutputFormat::Concise | OutputFormat::Github) {
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

/// The repository root (the nearest folder holding `.git`), else the working folder: SARIF
/// URIs are relative to it, as code scanning expects.
fn repository_root(cwd: &Path) -> std::path::PathBuf {
    cwd.ancestors()
        .find(|folder| folder.join(".git").exists())
        .unwrap_or(cwd)
        .to_owned()
}

pub fn today_utc() -> jiff::civil::Date {
    jiff::tz::Offset::UTC
        .to_datetime(jiff::Timestamp::now())
        .date()
}
