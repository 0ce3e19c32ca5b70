//! One verdict wherever plan-lint runs: the portfolio rules see every plan of the project (the
//! config's folder, else the repository root), whatever folder plan-lint runs in and whatever
//! files it is given; findings are reported for what was asked.

use crate::support::{TODAY, git, json_report, oracles, plan_lint_in, repo_root, stdout};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// A repository whose two plans allocate `dan` 120% together: `plans/a.plan.toml` and
/// `plans/sub/b.plan.json`, which are fine one by one.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    std::fs::create_dir_all(root.join("plans/sub")).unwrap();
    let fixture = repo_root().join("fixtures/over-allocation/fail-across-plans");
    std::fs::copy(fixture.join("a.plan.toml"), root.join("plans/a.plan.toml")).unwrap();
    std::fs::copy(
        fixture.join("b.plan.json"),
        root.join("plans/sub/b.plan.json"),
    )
    .unwrap();
    dir
}

/// The findings of a run in `b.plan.json`, as (rule, logical path, line): the same finding
/// wherever the run is, though the file names it shows are relative to where it runs.
fn findings_in_b(cwd: &Path, args: &[&str]) -> BTreeSet<(String, String, u64)> {
    let mut all = vec!["--today", TODAY, "--format", "json"];
    all.extend_from_slice(args);
    let output = plan_lint_in(cwd, &all);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let report = json_report(&output);
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"].as_str().unwrap().ends_with("b.plan.json"))
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["path"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_root_a_subfolder_and_a_named_file_give_the_same_findings() {
    let dir = project();
    let root = dir.path();
    let at_root = findings_in_b(root, &[]);
    assert!(
        at_root
            .iter()
            .any(|(rule, path, _)| rule == "over-allocation" && path == "resources[1].allocation"),
        "{at_root:?}"
    );
    assert_eq!(findings_in_b(&root.join("plans/sub"), &[]), at_root);
    assert_eq!(findings_in_b(root, &["plans/sub/b.plan.json"]), at_root);
    assert_eq!(
        findings_in_b(&root.join("plans/sub"), &["b.plan.json"]),
        at_root
    );
    assert_eq!(
        findings_in_b(root, &["--only-files", "plans/sub/b.plan.json"]),
        at_root
    );
}

#[test]
fn a_subfolder_run_reports_its_own_plans_and_names_the_others() {
    let dir = project();
    let sub = dir.path().join("plans/sub");
    let concise = stdout(&plan_lint_in(
        &sub,
        &["--today", TODAY, "--format", "concise"],
    ));
    let human = stdout(&plan_lint_in(&sub, &["--today", TODAY]));
    assert!(
        concise.contains("with `payments-migration` (../a.plan.toml)"),
        "the other plan is named relative to the working folder:\n{concise}"
    );
    assert!(
        human.contains("2 errors in 2 of 2 plans, reporting on the 1 plan asked for"),
        "{human}"
    );
    // The other plan's half of the over-allocation concerns the plan asked for: it is reported
    // too, saying why.
    assert!(
        concise.contains("(reported here because `b.plan.json` was asked for)"),
        "{concise}"
    );
}

#[test]
fn the_project_is_the_config_folder_and_show_settings_says_so() {
    let dir = project();
    let root = dir.path();
    let show = |cwd: &Path| stdout(&plan_lint_in(cwd, &["--show-settings"]));
    assert!(
        show(&root.join("plans/sub")).contains("project: ../.. (the portfolio rules"),
        "without a config, the repository root"
    );
    // A config in `plans/` makes that folder the project: a plan beside it but outside is not
    // part of it.
    std::fs::write(root.join("plans/plan-lint.toml"), "").unwrap();
    assert!(show(&root.join("plans/sub")).contains("project: .. (the portfolio rules"));
    std::fs::copy(
        root.join("plans/a.plan.toml"),
        root.join("outside.plan.toml"),
    )
    .unwrap();
    let report = json_report(&plan_lint_in(
        &root.join("plans/sub"),
        &["--today", TODAY, "--format", "json"],
    ));
    assert_eq!(report["files_checked"], 2, "{report}");
}

#[test]
fn the_pre_commit_hook_given_one_staged_plan_sees_the_others() {
    let Some(oracles) = oracles() else { return };
    let dir = project();
    let root = dir.path();
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "plans"]);
    let target = repo_root().join("target/pre-commit-hook");
    // The real pre-commit, run in the user's repository on the one file a commit stages.
    let (passed, text) = oracles.run(
        Command::new(oracles.venv_bin("pre-commit"))
            .args(["try-repo"])
            .arg(repo_root())
            .args(["plan-lint", "--verbose", "--files", "plans/sub/b.plan.json"])
            .current_dir(root)
            .env("CARGO_TARGET_DIR", &target),
    );
    assert!(!passed, "the hook fails:\n{text}");
    assert!(
        text.contains("error[PL017/over-allocation]") && text.contains("[plans/a.plan.toml:120:1]"),
        "the over-allocation with the unstaged plan is shown:\n{text}"
    );
}
