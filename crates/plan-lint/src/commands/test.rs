//! `plan-lint test [FILES]`: run the examples of custom rules (`[[custom_rules.examples]]`)
//! and report each, as a test runner does. The run fails (exit 1) when an example does not
//! give exactly the findings it expects.

use crate::ExitStatus;
use crate::error::RunError;
use jiff::civil::Date;
use plan_custom::{ExampleResult, Outcome};
use plan_engine::confine::ProjectRoot;
use plan_engine::custom::CustomRules;
use plan_engine::paths::display_path;
use plan_engine::text::{plural, visible};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The report, and how the run ended.
pub fn run(
    cwd: &Path,
    files: &[PathBuf],
    config: Option<PathBuf>,
    today: Date,
) -> Result<(String, ExitStatus), RunError> {
    let root = ProjectRoot::new(cwd);
    let rules = if files.is_empty() {
        let options = plan_engine::Options {
            config,
            ..plan_engine::Options::default()
        };
        let settings = plan_engine::settings::Settings::new(&options, &root, today)?;
        settings
            .config
            .map(|config| config.custom_rules)
            .unwrap_or_default()
    } else {
        plan_engine::config::read_rule_files(&root, files)
            .map_err(plan_engine::EngineError::from)?
    };
    Ok(report(&rules, root.cwd(), today))
}

fn report(rules: &Arc<CustomRules>, cwd: &Path, today: Date) -> (String, ExitStatus) {
    let mut out = String::new();
    if rules.is_empty() {
        out.push_str("no custom rules to test: add `[[custom_rules]]` to plan-lint.toml, or name rule files\n");
        return (out, ExitStatus::Success);
    }
    let examples: usize = rules.iter().map(|(_, rule, _)| rule.examples.len()).sum();
    let _ = writeln!(
        out,
        "running {} of {}\n",
        plural(examples, "example"),
        plural(rules.iter().count(), "custom rule")
    );
    let (mut passed, mut failures, mut untested) = (0, Vec::new(), Vec::new());
    for (rule, custom, origin) in rules.iter() {
        if custom.examples.is_empty() {
            untested.push(format!("{} ({})", rule.name, rule.code));
        }
        for (index, example) in custom.examples.iter().enumerate() {
            let title = match &example.name {
                Some(name) => format!("{} › {}", rule.name, visible(name)),
                None => format!("{} › example {}", rule.name, index + 1),
            };
            let place = format!(
                "{}:{}",
                visible(&display_path(&origin.path, cwd)),
                origin.line_of(example.span.start)
            );
            match plan_custom::run_example(custom, example, today) {
                Ok(result) if result.passed() => {
                    passed += 1;
                    let _ = writeln!(out, "test {title} ... ok");
                }
                outcome => {
                    let _ = writeln!(out, "test {title} ... FAILED");
                    failures.push((title, place, outcome));
                }
            }
        }
    }
    if !failures.is_empty() {
        out.push_str("\nfailures:\n");
        for (title, place, outcome) in &failures {
            let _ = writeln!(out, "\n---- {title} ({place}) ----");
            match outcome {
                Err(why) => {
                    let _ = writeln!(out, "{}", visible(why));
                }
                Ok(result) => describe(result, &mut out),
            }
        }
    }
    if !untested.is_empty() {
        let _ = writeln!(
            out,
            "\nwarning: no examples for {}: add `[[custom_rules.examples]]` with a failing and a passing plan",
            untested.join(", ")
        );
    }
    let failed = failures.len();
    let verdict = if failed == 0 { "ok" } else { "FAILED" };
    let _ = writeln!(
        out,
        "\ntest result: {verdict}. {passed} passed; {failed} failed"
    );
    let status = if failed == 0 {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    };
    (out, status)
}

fn describe(result: &ExampleResult, out: &mut String) {
    for expected in &result.missing {
        let message = expected
            .message
            .as_ref()
            .map(|message| format!(" saying \"{}\"", visible(message)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "expected a finding at `{}`{message}; the rule made none there",
            visible(&expected.path)
        );
    }
    for outcome in &result.unexpected {
        let (what, hit) = match outcome {
            Outcome::Failed(hit) => ("unexpected finding", hit),
            Outcome::Error(hit) => ("the rule could not be evaluated", hit),
        };
        let _ = writeln!(
            out,
            "{what} at `{}`: {}",
            visible(&hit.path),
            visible(&hit.message)
        );
    }
}
