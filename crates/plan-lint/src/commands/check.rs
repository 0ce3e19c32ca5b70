//! `plan-lint check`: discover, read, check, render, and decide the exit status.

use crate::ExitStatus;
use crate::args::{CheckArgs, OutputFormat, ReportFormat, StatusReportRequest};
use crate::error::RunError;
use crate::render;
use crate::write::{Writer, write_atomically, write_stdout};
use plan_engine::baseline::{self, Applied, Baseline};
use plan_engine::confine::ProjectRoot;
use plan_engine::discover::{Discovered, Listing, PlanPath, Skipped, discover};
use plan_engine::load::{CheckedFile, Loaded, Stage, load};
use plan_engine::report::{Report, Reporting};
use plan_engine::settings::Settings;
use plan_engine::text::visible;
use plan_rules::Severity;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub fn check(args: &CheckArgs, cwd: &Path, color: bool) -> Result<ExitStatus, RunError> {
    let today = args.project.today.unwrap_or_else(plan_engine::today_utc);
    let root = ProjectRoot::new(cwd);
    // The working folder as the root resolved it: every path is shown relative to it.
    let cwd = root.cwd();
    let settings = Settings::new(&args.options(), &root, today)?;
    if args.statistics
        && !matches!(
            args.format,
            OutputFormat::Human | OutputFormat::Concise | OutputFormat::Json
        )
    {
        return Err(RunError::StatisticsFormat {
            format: args.format.name(),
        });
    }
    if settings.command_line_turns_every_rule_off() {
        eprintln!("warning: no rule runs: --ignore turns off every rule that --select chooses");
    }
    if args.show_settings {
        print_text(&settings.describe(), None)?;
        return Ok(ExitStatus::Success);
    }
    let listing = if args.show_files {
        Listing::Everything
    } else {
        Listing::Run
    };
    let mut discovered = discover(&args.paths, &root, listing, |path, named| {
        settings.takes(path, named)
    });
    if args.show_files {
        let mut listing: String = discovered
            .files
            .iter()
            .map(|file| match settings.describe_config_for(&file.path) {
                Some(config) => format!("{}  ({config})\n", visible(&file.display)),
                None => format!("{}\n", visible(&file.display)),
            })
            .collect();
        if !discovered.skipped.is_empty() {
            listing.push_str("\nnot linted:\n");
            for skipped in &discovered.skipped {
                listing.push_str(&format!(
                    "{}  ({})\n",
                    visible(&skipped.display),
                    visible(&skipped.reason)
                ));
            }
        }
        print_text(&listing, None)?;
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
    let asked: HashSet<String> = discovered
        .files
        .iter()
        .map(|file| file.display.clone())
        .collect();
    add_rest_of_project(&mut discovered, &settings, &root, &args.paths);

    let only = plan_engine::changed::files_to_report(
        &args.only_files,
        args.changed_since.as_deref(),
        cwd,
    )?;
    // A changed config or rule file changes what every plan is checked against.
    let only = only.filter(|only| {
        let changed: Vec<String> = settings
            .rule_sources()
            .into_iter()
            .filter(|source| only.contains(source))
            .map(|source| visible(&source).into_owned())
            .collect();
        if !changed.is_empty() {
            eprintln!(
                "note: the rules changed ({}), so the findings in every plan are reported",
                changed.join(", ")
            );
        }
        changed.is_empty()
    });
    let is_reported = |display: &str| {
        asked.contains(display) && only.as_ref().is_none_or(|only| only.contains(display))
    };
    if args.fix || args.unsafe_fixes || args.diff || args.fix_only {
        let targets: Vec<&PlanPath> = discovered
            .files
            .iter()
            .filter(|file| is_reported(&file.display))
            .collect();
        if let Some(status) = apply_fixes(args, &settings, &targets)? {
            return Ok(status);
        }
    }

    let display_paths: Vec<&Path> = discovered
        .files
        .iter()
        .map(|file| Path::new(&file.display))
        .collect();
    let policy = settings.policy(&display_paths);
    let srcroot = root.path().to_owned();
    let stage = Stage {
        today: settings.today,
        policy: &policy,
        root: &root,
        max_file_size: settings.max_file_size,
        keep_text: args.format == OutputFormat::Human && args.status_report.is_none(),
        keep_facts: args.status_report.is_some(),
        overlay: &Default::default(),
    };
    let Loaded {
        files,
        reports,
        mut errors,
    } = load(&discovered.files, &stage);
    errors.extend(discovered.errors);
    errors.sort_by(|a, b| a.path().cmp(b.path()));
    let mut outcome = plan_rules::check_portfolio(reports, settings.today, &policy);
    let mut baseline = use_baseline(
        args,
        &settings,
        &root,
        &files,
        &srcroot,
        &policy,
        &mut outcome,
    )?;
    let reporting = match only {
        Some(_) => Reporting::Changed,
        None => Reporting::Asked,
    };
    let reported: Vec<bool> = files.iter().map(|file| is_reported(&file.path)).collect();
    let reported = if reported.iter().all(|&r| r) && only.is_none() {
        None
    } else {
        keep_reported(&mut outcome, &reported, &files, reporting);
        if let Some(baseline) = &mut baseline {
            baseline.known.retain(|finding| reported[finding.file]);
        }
        Some(reported)
    };
    let rules = policy.rules_on();
    let report = Report {
        files: &files,
        findings: &outcome.findings,
        suppressed: &outcome.suppressed,
        errors: &errors,
        skipped: &discovered.skipped,
        rules: &rules,
        reported: reported.as_deref(),
        reporting,
        quiet: args.quiet,
        baseline: baseline.as_ref(),
        show_baseline: args.show_baseline,
    };
    let roots = render::sarif::Roots {
        srcroot: &srcroot,
        cwd,
    };
    if let Some(request) = &args.status_report {
        let page = status_report(request, &report, settings.today, &srcroot)?;
        print_text(&page, args.output.as_deref())?;
        report_path_errors(&errors);
        report_skipped(&discovered.skipped);
        // The report is not a gate: findings do not fail it, paths it could not read do.
        return Ok(if errors.is_empty() {
            ExitStatus::Success
        } else {
            ExitStatus::Error
        });
    }

    // Each report is written atomically (or streamed to standard output); the extra reports
    // first, so that a failure writing one leaves the main report unwritten, not half-written.
    if let Some(path) = &args.sarif {
        print(Some(path), &mut |out| {
            render::sarif::write(&report, &roots, out)
        })?;
    }
    if let Some(path) = &args.markdown {
        print_text(&render::markdown::render(&report), Some(path))?;
    }
    let color = color && args.output.is_none();
    print(args.output.as_deref(), &mut |out| match args.format {
        OutputFormat::Human | OutputFormat::Concise if args.statistics => {
            out.write_all(render::statistics::text(&report).as_bytes())
        }
        OutputFormat::Json if args.statistics => {
            out.write_all(render::statistics::json(&report).as_bytes())
        }
        OutputFormat::Human => render::human::write(&report, color, out),
        OutputFormat::Concise => out.write_all(render::concise::render(&report).as_bytes()),
        OutputFormat::Json => render::json::write(&report, out),
        OutputFormat::Sarif => render::sarif::write(&report, &roots, out),
        OutputFormat::Github => out.write_all(render::github::render(&report).as_bytes()),
        OutputFormat::Markdown => out.write_all(render::markdown::render(&report).as_bytes()),
    })?;
    if !matches!(args.format, OutputFormat::Concise | OutputFormat::Github) {
        report_path_errors(&errors);
        if !args.quiet {
            report_skipped(&discovered.skipped);
            if let Some(baseline) = &baseline {
                report_stale(baseline);
            }
        }
    }

    let status = if !errors.is_empty() {
        ExitStatus::Error
    } else if outcome
        .findings
        .iter()
        .any(|finding| settings.fails(finding.severity))
        || baseline
            .as_ref()
            .is_some_and(|baseline| baseline.stale > 0 && settings.fails(Severity::Note))
    {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    };
    // A large run holds tens of thousands of findings (40 ms to free at 10,000 plans): that
    // is done on another thread, which an exiting process does not wait for.
    rayon::spawn(move || drop((outcome, files, baseline)));
    Ok(status)
}

/// `plan-lint report`: the status report of this run, in the format asked for.
fn status_report(
    request: &StatusReportRequest,
    report: &Report<'_>,
    today: jiff::civil::Date,
    srcroot: &Path,
) -> Result<String, RunError> {
    let commit = plan_engine::changed::head_commit(srcroot);
    let source_url = request
        .source_url
        .as_deref()
        .map(|template| {
            plan_report::SourceUrl::new(
                template,
                srcroot,
                commit.as_ref().map(|(commit, _)| commit.as_str()),
            )
        })
        .transpose()
        .map_err(RunError::SourceUrl)?;
    let context = plan_report::Context {
        today,
        generated_at: Some(generated_at()),
        commit,
        source_url,
    };
    let model = plan_report::build(report, &context);
    Ok(match request.format {
        ReportFormat::Html => plan_report::html::render(&model),
        ReportFormat::Markdown => plan_report::markdown::render(&model),
        ReportFormat::Json => plan_report::json::render(&model),
    })
}

/// When the report was generated, to the second, in UTC: `SOURCE_DATE_EPOCH` (the
/// reproducible-builds convention, seconds since 1970) when it is set, else now.
fn generated_at() -> String {
    let at = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|seconds| seconds.trim().parse::<i64>().ok())
        .and_then(|seconds| jiff::Timestamp::from_second(seconds).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    at.round(jiff::Unit::Second).unwrap_or(at).to_string()
}

/// Apply the fixes the arguments ask for to the files reported on. With `--diff` (print the
/// diff) and `--fix-only` (apply, report nothing else) the run ends here, with its status;
/// otherwise it goes on to check and report the fixed files.
fn apply_fixes(
    args: &CheckArgs,
    settings: &Settings,
    targets: &[&PlanPath],
) -> Result<Option<ExitStatus>, RunError> {
    let wanted = plan_engine::fixes::Wanted {
        unsafe_fixes: args.unsafe_fixes,
    };
    let mut errors = Vec::new();
    let (mut fixed, mut changed_files, mut diff) = (0, 0, String::new());
    for result in plan_engine::fixes::fix(targets, settings, wanted) {
        let result = match result {
            Ok(result) => result,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        let Some(bytes) = &result.bytes else {
            continue;
        };
        fixed += result.count;
        changed_files += 1;
        if args.diff {
            diff.push_str(&result.diff);
        } else if let Err(source) =
            write_atomically(&result.path.real, &mut |out| out.write_all(bytes))
        {
            errors.push(plan_engine::FileError::Unwritable {
                path: result.path.display.clone(),
                source,
            });
        }
    }
    report_path_errors(&errors);
    let plans = plan_engine::report::plural(changed_files, "plan");
    let findings = plan_engine::report::plural(fixed, "finding");
    if args.diff {
        print_text(&diff, args.output.as_deref())?;
        if !args.quiet {
            eprintln!("{findings} in {plans} would be fixed");
        }
        return Ok(Some(if !errors.is_empty() {
            ExitStatus::Error
        } else if diff.is_empty() {
            ExitStatus::Success
        } else {
            ExitStatus::Failure
        }));
    }
    if !args.quiet {
        eprintln!("fixed {findings} in {plans}");
    }
    if !errors.is_empty() {
        return Ok(Some(ExitStatus::Error));
    }
    Ok(args.fix_only.then_some(ExitStatus::Success))
}

/// The baseline in use, applied: its known findings taken out of the outcome. With
/// `--write-baseline` it is first written with every finding of the run, with
/// `--prune-baseline` rewritten without its stale entries.
fn use_baseline(
    args: &CheckArgs,
    settings: &Settings,
    root: &ProjectRoot,
    files: &[CheckedFile],
    srcroot: &Path,
    policy: &dyn plan_rules::Policy,
    outcome: &mut plan_rules::Outcome,
) -> Result<Option<Applied>, RunError> {
    let writing = args.write_baseline.as_ref();
    let path = match writing {
        Some(named) => settings.baseline_to_write(named.as_deref()),
        None => match &settings.baseline {
            Some(path) => path.clone(),
            None if args.prune_baseline || args.show_baseline => {
                return Err(RunError::NoBaseline);
            }
            None => return Ok(None),
        },
    };
    let mut baseline =
        Baseline::read(&path, root, writing.is_some()).map_err(plan_engine::EngineError::from)?;
    let file_names = baseline.file_names(files, root.cwd());
    let run = baseline::Run::new(files, &file_names, srcroot, root, policy);
    if writing.is_some() {
        let findings: Vec<&plan_rules::Finding> = outcome.findings.iter().collect();
        baseline.entries = baseline.rewritten(&run, &findings);
        write_baseline(&baseline)?;
        eprintln!(
            "wrote {} to `{}`",
            plan_engine::report::plural(baseline.entries.len(), "finding"),
            baseline.display
        );
    }
    let mut applied = baseline.apply(&run, std::mem::take(&mut outcome.findings));
    outcome.findings = std::mem::take(&mut applied.new);
    if args.prune_baseline {
        let kept = baseline.pruned(&run, &applied);
        let dropped = baseline.entries.len() - kept.len();
        baseline.entries = kept;
        write_baseline(&baseline)?;
        eprintln!(
            "dropped {} from `{}`",
            plan_engine::report::plural(dropped, "stale entry"),
            baseline.display
        );
        applied.stale = 0;
    }
    Ok(Some(applied))
}

fn write_baseline(baseline: &Baseline) -> Result<(), RunError> {
    let text = baseline::render(&baseline.entries);
    write_atomically(&baseline.path, &mut |out| out.write_all(text.as_bytes())).map_err(|source| {
        RunError::WriteBaseline {
            path: baseline.display.clone(),
            source,
        }
    })
}

/// Stale entries hide nothing today, but would hide the same finding if it came back.
fn report_stale(baseline: &Applied) {
    if baseline.stale > 0 {
        eprintln!(
            "note: {} of `{}` no longer {} any finding; `plan-lint --prune-baseline` drops {}",
            plan_engine::report::plural(baseline.stale, "entry"),
            baseline.display,
            if baseline.stale == 1 {
                "matches"
            } else {
                "match"
            },
            if baseline.stale == 1 { "it" } else { "them" },
        );
    }
}

/// The plans of the project that the paths asked for leave out: the portfolio rules must see
/// every plan of the project wherever plan-lint runs and whatever it is given (a subfolder, the
/// files pre-commit stages), or a run that CI fails would pass locally. The project is the
/// config's folder, else the repository root; its plans are walked as a run with no paths
/// would walk them there. Only what they add is kept: their findings are not reported (see
/// `keep_reported`), and nor are their errors and skipped notes, which concern files not asked
/// for.
fn add_rest_of_project(
    discovered: &mut Discovered,
    settings: &Settings,
    root: &ProjectRoot,
    paths: &[PathBuf],
) {
    let project = settings.project_folder();
    // A walk of the project folder, or of a folder around it, already holds every plan.
    let walked = |folder: &Path| project.starts_with(plan_engine::discover::normalize(folder));
    let covered = if paths.is_empty() {
        walked(root.cwd())
    } else {
        paths.iter().any(|path| walked(&root.cwd().join(path)))
    };
    if covered {
        return;
    }
    let whole = discover(
        &[project.to_owned()],
        root,
        Listing::FilesOnly,
        |path, named| settings.takes(path, named),
    );
    let known: HashSet<PathBuf> = discovered
        .files
        .iter()
        .map(|file| file.real.clone())
        .collect();
    discovered.files.extend(
        whole
            .files
            .into_iter()
            .filter(|file| !known.contains(&file.real)),
    );
    discovered.files.sort_by(|a, b| a.display.cmp(&b.display));
}

/// With `--only-files` or `--changed-since`: keep the findings in the files asked for, and the
/// findings elsewhere that those files take part in (a duplicate plan id, a reference to a
/// milestone that is gone, a cycle through them), each with a note naming them: a change must
/// not pass because the finding it causes lands in a file it did not touch.
fn keep_reported(
    outcome: &mut plan_rules::Outcome,
    reported: &[bool],
    files: &[CheckedFile],
    reporting: Reporting,
) {
    let caused_by = |finding: &plan_rules::Finding| -> Vec<usize> {
        let mut files: Vec<usize> = finding
            .related
            .iter()
            .map(|related| related.file)
            .filter(|&file| reported[file])
            .collect();
        files.sort_unstable();
        files.dedup();
        files
    };
    let keep = |finding: &mut plan_rules::Finding| {
        if reported[finding.file] {
            return true;
        }
        let causes = caused_by(finding);
        if causes.is_empty() {
            return false;
        }
        let named: Vec<String> = causes
            .iter()
            .map(|&file| format!("`{}`", files[file].path))
            .collect();
        let why = match (reporting, causes.len()) {
            (Reporting::Changed, _) => "changed",
            (Reporting::Asked, 1) => "was asked for",
            (Reporting::Asked, _) => "were asked for",
        };
        let named = plan_engine::report::list(&named);
        finding
            .message
            .push_str(&format!(" (reported here because {named} {why})"));
        true
    };
    outcome.findings.retain_mut(|finding| keep(finding));
    outcome.suppressed.retain_mut(|s| keep(&mut s.finding));
}

fn print(output: Option<&Path>, write: Writer<'_>) -> Result<(), RunError> {
    match output {
        Some(path) => write_atomically(path, write),
        None => write_stdout(write),
    }
    .map_err(|source| RunError::WriteReport {
        path: output.unwrap_or(Path::new("<stdout>")).to_owned(),
        source,
    })
}

fn print_text(text: &str, output: Option<&Path>) -> Result<(), RunError> {
    print(output, &mut |out| out.write_all(text.as_bytes()))
}

/// Paths that could not be linted go to standard error, so they are seen even when the
/// report goes to a file or another program.
fn report_path_errors(errors: &[plan_engine::FileError]) {
    for error in errors {
        eprint!(
            "{}",
            render::run_error::line(&error.describe(), crate::stderr_color())
        );
    }
}

/// Plans left out that the user would expect linted (named, or tracked by git), likewise.
fn report_skipped(skipped: &[Skipped]) {
    for skipped in skipped {
        eprintln!(
            "note: `{}` was not linted: {}",
            visible(&skipped.display),
            visible(&skipped.reason)
        );
    }
}
