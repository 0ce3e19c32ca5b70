//! The config file end to end: discovery, include/exclude, severities, overrides, fail_on, and
//! errors that point into the file.

use crate::support::{
    TODAY, diagnostic_fields, json_report, plan_lint_in, repo_root, stderr, stdout,
};
use std::fs;
use std::path::Path;

/// A failing plan: two `raid-mitigation` errors.
const FAILING: &str = "fixtures/raid-mitigation/fail.plan.toml";

fn write(root: &Path, path: &str, contents: impl AsRef<[u8]>) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

fn failing_plan() -> Vec<u8> {
    fs::read(repo_root().join(FAILING)).unwrap()
}

/// A repository (`.git`) holding the failing plan at `plans/a.plan.toml`.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), "plans/a.plan.toml", failing_plan());
    dir
}

fn severities(report: &serde_json::Value) -> Vec<[String; 2]> {
    diagnostic_fields(report, ["rule", "severity"])
}

#[test]
fn the_nearest_config_up_to_the_repository_root_applies() {
    let repo = repository();
    write(
        repo.path(),
        "plan-lint.toml",
        "[rules]\nraid-mitigation = \"warning\"\n",
    );
    let output = plan_lint_in(
        &repo.path().join("plans"),
        &["--today", TODAY, "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        severities(&json_report(&output)),
        [
            ["raid-mitigation", "warning"],
            ["raid-mitigation", "warning"]
        ]
    );

    // A config above the repository root is not used.
    fs::remove_file(repo.path().join("plan-lint.toml")).unwrap();
    let outer = tempfile::tempdir().unwrap();
    write(
        outer.path(),
        ".plan-lint.toml",
        "[rules]\nPL002 = \"off\"\n",
    );
    fs::rename(repo.path(), outer.path().join("repo")).unwrap();
    let output = plan_lint_in(&outer.path().join("repo"), &["--today", TODAY]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
}

#[test]
fn include_and_exclude_choose_the_files_even_when_they_are_named() {
    let repo = repository();
    let plan = failing_plan();
    write(repo.path(), "plans/archive/old.plan.toml", &plan);
    write(repo.path(), "plans/extra.toml", &plan);
    write(repo.path(), "other/b.plan.toml", &plan);
    write(
        repo.path(),
        "plan-lint.toml",
        "include = [\"plans/**/*.toml\"]\nexclude = [\"plans/archive/**\"]\n",
    );
    let listed = plan_lint_in(repo.path(), &["--show-files"]);
    // What is left out is listed too, with the reason (issue 12).
    assert_eq!(
        stdout(&listed),
        "plans/a.plan.toml  (plan-lint.toml)\nplans/extra.toml  (plan-lint.toml)\n\n\
         not linted:\n\
         other/b.plan.toml  (not matched by the config's `include`)\n\
         plans/archive/old.plan.toml  (excluded by `plans/archive/**` in the config's `exclude`)\n"
    );
    // pre-commit and the GitHub Action name files: an excluded file stays excluded.
    let named = plan_lint_in(
        repo.path(),
        &[
            "--show-files",
            "plans/archive/old.plan.toml",
            "other/b.plan.toml",
        ],
    );
    assert_eq!(
        stdout(&named),
        "other/b.plan.toml  (plan-lint.toml)\n\n\
         not linted:\n\
         plans/archive/old.plan.toml  (excluded by `plans/archive/**` in the config's `exclude`)\n"
    );
    // A run names the excluded file it was asked for, in every output.
    let run = plan_lint_in(
        repo.path(),
        &[
            "--today",
            "2026-11-25",
            "--format",
            "json",
            "plans/archive/old.plan.toml",
            "other/b.plan.toml",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        report["skipped"],
        serde_json::json!([{
            "file": "plans/archive/old.plan.toml",
            "reason": "excluded by `plans/archive/**` in the config's `exclude`"
        }])
    );
    assert!(
        stderr(&run).contains("note: `plans/archive/old.plan.toml` was not linted: excluded by"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn overrides_change_severities_by_file_and_later_ones_win() {
    let repo = repository();
    write(repo.path(), "plans/drafts/d.plan.toml", failing_plan());
    write(
        repo.path(),
        "plan-lint.toml",
        r#"
[rules]
duplicate-plan-id = "off"
over-allocation = "off"

[[overrides]]
files = ["plans/drafts/**"]
rules = { raid-mitigation = "note" }

[[overrides]]
files = ["plans/drafts/d.plan.toml"]
rules = { PL002 = "warning" }
"#,
    );
    let report = json_report(&plan_lint_in(
        repo.path(),
        &["--today", TODAY, "--format", "json"],
    ));
    let by_file = diagnostic_fields(&report, ["file", "severity"]);
    assert_eq!(
        by_file,
        [
            ["plans/a.plan.toml", "error"],
            ["plans/a.plan.toml", "error"],
            ["plans/drafts/d.plan.toml", "warning"],
            ["plans/drafts/d.plan.toml", "warning"],
        ]
    );
    let listed = stdout(&plan_lint_in(repo.path(), &["--show-files"]));
    assert!(
        listed.contains("plans/drafts/d.plan.toml  (plan-lint.toml, overrides #1, #2)"),
        "{listed}"
    );
}

#[test]
fn fail_on_comes_from_the_config_unless_given_on_the_command_line() {
    let repo = repository();
    write(
        repo.path(),
        "plan-lint.toml",
        "fail_on = \"never\"\n[rules]\nPL002 = \"warning\"\n",
    );
    let code = |args: &[&str]| plan_lint_in(repo.path(), args).status.code();
    assert_eq!(code(&["--today", TODAY]), Some(0));
    assert_eq!(code(&["--today", TODAY, "--fail-on", "warning"]), Some(1));
}

#[test]
fn command_line_selection_applies_on_top_of_the_config() {
    let repo = repository();
    write(
        repo.path(),
        "plan-lint.toml",
        "[rules]\nPL002 = \"warning\"\n",
    );
    let report = json_report(&plan_lint_in(
        repo.path(),
        &[
            "--today",
            TODAY,
            "--format",
            "json",
            "--select",
            "raid-mitigation",
        ],
    ));
    assert_eq!(
        severities(&report),
        [
            ["raid-mitigation", "warning"],
            ["raid-mitigation", "warning"]
        ]
    );
}

#[test]
fn config_problems_are_all_shown_in_the_file_and_exit_2() {
    let repo = repository();
    write(
        repo.path(),
        "plan-lint.toml",
        "inclde = [\"plans/**\"]\nexclude = [\"plans/[x\"]\n\n[rules]\nraid-mitigaton = \"off\"\nbacklog-priority = \"loud\"\n",
    );
    let output = plan_lint_in(repo.path(), &["--today", TODAY]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).is_empty(), "no report: {}", stdout(&output));
    let err = stderr(&output);
    for expected in [
        "the config file `plan-lint.toml` has 4 problems",
        "unknown key `inclde` at the top level",
        "[plan-lint.toml:1:1]",
        "did you mean `include`?",
        "`plans/[x` is not a valid glob",
        "[plan-lint.toml:2:12]",
        "unknown rule `raid-mitigaton`",
        "did you mean `raid-mitigation`?",
        "[plan-lint.toml:5:1]",
        "`loud` is not a severity",
        "[plan-lint.toml:6:20]",
    ] {
        assert!(err.contains(expected), "stderr lacks {expected:?}:\n{err}");
    }
}

#[test]
fn a_config_that_is_not_toml_or_cannot_be_read_is_exit_2() {
    let repo = repository();
    write(repo.path(), "plan-lint.toml", "include = [\n");
    let output = plan_lint_in(repo.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("plan-lint.toml:"),
        "{}",
        stderr(&output)
    );

    let output = plan_lint_in(repo.path(), &["--config", "missing.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot read the config file `missing.toml`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_explicit_config_wins_and_show_settings_reports_it() {
    let repo = repository();
    write(repo.path(), "plan-lint.toml", "[rules]\nPL002 = \"off\"\n");
    write(
        repo.path(),
        "ci/strict.toml",
        "fail_on = \"warning\"\nexclude = [\"../plans/archive/**\"]\n[rules]\nbacklog-priority = \"error\"\n\n[[overrides]]\nfiles = [\"../plans/drafts/**\"]\nrules = { required-artefacts = \"off\" }\n",
    );
    let output = plan_lint_in(
        repo.path(),
        &["--config", "ci/strict.toml", "--today", TODAY],
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "PL002 is on with this config"
    );
    let settings = stdout(&plan_lint_in(
        repo.path(),
        &["--config", "ci/strict.toml", "--show-settings"],
    ));
    for expected in [
        "config file: ci/strict.toml",
        "fail-on: warning",
        "overrides #1: files ../plans/drafts/**",
    ] {
        assert!(settings.contains(expected), "{settings}");
    }
    let line = |rule: &str| -> Vec<String> {
        settings
            .lines()
            .find(|l| l.trim_start().starts_with(rule))
            .unwrap()
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(line("PL016"), ["PL016", "backlog-priority", "error"]);
    assert_eq!(line("PL005"), ["PL005", "required-artefacts", "error"]);
}
