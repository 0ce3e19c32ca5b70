//! The `plan-lint` binary end to end: exit statuses, options, and files that cannot be read.

use crate::support::{
    TODAY, json_report, plan_lint, plan_lint_alone, plan_lint_in, stderr, stdout,
};
use std::fs;

/// A clean plan that shares no id or people with the failing fixture (which would be a
/// duplicate plan id and an over-allocation when both are linted together).
const CLEAN: &str = "examples/warehouse-robotics.plan.json";
const FAILING: &str = "fixtures/raid-mitigation/fail.plan.toml";

#[test]
fn exit_0_when_clean() {
    let output = plan_lint_alone(&["--today", TODAY, CLEAN]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output).ends_with("no problems in 1 plan\n"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn exit_1_on_errors_with_a_summary_line() {
    let output = plan_lint_alone(&["--today", TODAY, FAILING, CLEAN]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(out.contains("error[PL002/raid-mitigation]"), "{out}");
    assert!(out.contains("open risk R-1 has no mitigation"), "{out}");
    assert!(out.contains("help: add `mitigation"), "{out}");
    assert!(out.ends_with("2 errors in 1 of 2 plans\n"), "{out}");
    assert!(
        !out.contains('\u{1b}'),
        "NO_COLOR output has no escape codes"
    );
}

#[test]
fn check_subcommand_is_the_default() {
    let a = plan_lint_alone(&["check", "--today", TODAY, "--format", "json", FAILING]);
    let b = plan_lint_alone(&["--today", TODAY, "--format", "json", FAILING]);
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.status.code(), Some(1));
}

#[test]
fn fail_on_sets_the_threshold() {
    assert_eq!(
        plan_lint_alone(&["--today", TODAY, "--fail-on", "never", FAILING])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        plan_lint_alone(&["--today", TODAY, "--fail-on", "warning", FAILING])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn select_and_ignore_choose_rules_by_name_or_code() {
    let only = json_report(&plan_lint_alone(&[
        "--format",
        "json",
        "--select",
        "PL101",
        "fixtures/unknown-field/fail.plan.toml",
    ]));
    let rules: Vec<&str> = only["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(
        !rules.is_empty() && rules.iter().all(|r| *r == "unknown-field"),
        "{rules:?}"
    );

    let output = plan_lint_alone(&["--ignore", "raid-mitigation", FAILING]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));

    let unknown = plan_lint_alone(&["--select", "raid-mitigaton", FAILING]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("did you mean `raid-mitigation`?"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn json_report_has_the_documented_shape() {
    let report = json_report(&plan_lint_alone(&[
        "--today", TODAY, "--format", "json", FAILING,
    ]));
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "plan-lint");
    assert_eq!(report["files_checked"], 1);
    assert_eq!(report["summary"]["error"], 2);
    let first = &report["diagnostics"][0];
    for key in [
        "file",
        "rule",
        "code",
        "severity",
        "message",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
    ] {
        assert!(!first[key].is_null(), "diagnostics carry `{key}`");
    }
    assert_eq!(first["file"], FAILING);
    assert_eq!(first["path"], "raid[R-1].mitigation");
}

#[test]
fn concise_format_is_one_line_per_finding() {
    let output = plan_lint_alone(&["--today", TODAY, "--format", "concise", FAILING]);
    let out = stdout(&output);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with(&format!("{FAILING}:")), "{out}");
    assert_eq!(lines[2], "2 errors in 1 of 1 plan", "the closing summary");
    let clean = plan_lint_alone(&["--today", TODAY, "--format", "concise", CLEAN]);
    assert_eq!(
        stdout(&clean),
        "no problems in 1 plan\n",
        "a clean run says so"
    );
    let quiet = plan_lint_alone(&["--today", TODAY, "--format", "concise", "-q", FAILING]);
    assert_eq!(stdout(&quiet).lines().count(), 2, "--quiet: findings only");
    assert!(
        lines[0].contains(": error[PL002/raid-mitigation] open risk R-1 has no mitigation"),
        "{out}"
    );
}

#[test]
fn output_writes_the_report_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.json");
    let output = plan_lint_alone(&[
        "--today",
        TODAY,
        "--format",
        "json",
        "--output",
        target.to_str().unwrap(),
        FAILING,
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty());
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(written["summary"]["error"], 2);
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no temporary file is left behind: {leftovers:?}"
    );
}

#[test]
fn output_makes_the_report_folder() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("reports/today/report.json");
    let output = plan_lint_alone(&[
        "--format",
        "json",
        "--output",
        target.to_str().unwrap(),
        CLEAN,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(target.exists());
}

#[test]
fn a_report_that_cannot_be_written_is_exit_2() {
    let output = plan_lint_alone(&["--output", "/dev/null/report.txt", CLEAN]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot write the report"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_sarif_log_that_cannot_be_written_is_exit_2_and_no_report_is_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let main_report = dir.path().join("report.json");
    let output = plan_lint_alone(&[
        "--format",
        "json",
        "--output",
        main_report.to_str().unwrap(),
        "--sarif",
        "/dev/null/plan-lint.sarif",
        CLEAN,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot write the report"),
        "{}",
        stderr(&output)
    );
    assert!(
        !main_report.exists(),
        "the main report is written after the extra ones, so it is not written at all"
    );
}

#[test]
fn a_missing_path_is_exit_2_and_the_other_paths_are_still_linted() {
    let output = plan_lint_alone(&[
        "--today",
        TODAY,
        "--format",
        "json",
        "no/such/plan.plan.toml",
        FAILING,
    ]);
    assert_eq!(output.status.code(), Some(2));
    let report = json_report(&output);
    assert_eq!(
        report["summary"]["error"], 2,
        "the good file's findings are reported"
    );
    assert_eq!(report["errors"][0]["file"], "no/such/plan.plan.toml");
    assert!(
        stderr(&output).contains("does not exist"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_unreadable_file_next_to_good_ones_does_not_hide_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = crate::support::repo_root();
    fs::copy(root.join(FAILING), dir.path().join("a.plan.toml")).unwrap();
    fs::copy(root.join(CLEAN), dir.path().join("c.plan.json")).unwrap();
    // A dangling symlink cannot be read even by root, who can read any file.
    std::os::unix::fs::symlink("missing-target.plan.toml", dir.path().join("b.plan.toml")).unwrap();
    let output = plan_lint_in(dir.path(), &["--today", TODAY, "--format", "json"]);
    assert_eq!(output.status.code(), Some(2));
    let report = json_report(&output);
    assert_eq!(report["files_checked"], 2);
    assert_eq!(report["summary"]["error"], 2);
    assert_eq!(report["errors"][0]["file"], "b.plan.toml");
    assert!(
        stderr(&output).contains("`b.plan.toml` is a symbolic link to nothing"),
        "{}",
        stderr(&output)
    );

    let human = plan_lint_in(dir.path(), &["--today", TODAY]);
    assert_eq!(human.status.code(), Some(2));
    assert!(stdout(&human).contains("open risk R-1 has no mitigation"));
    assert!(
        stdout(&human).contains("2 errors in 1 of 2 plans; 1 path could not be read"),
        "{}",
        stdout(&human)
    );
}

#[test]
fn no_plan_found_is_exit_2_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.toml"), "x = 1").unwrap();
    let output = plan_lint_in(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no plan files found"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        plan_lint_in(dir.path(), &["--allow-empty"]).status.code(),
        Some(0)
    );
}

#[test]
fn folders_are_walked_honouring_gitignore_and_named_files_are_linted_whatever_their_name() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("plans/archive")).unwrap();
    fs::write(dir.path().join(".gitignore"), "archive/\n").unwrap();
    let clean = fs::read(crate::support::repo_root().join(CLEAN)).unwrap();
    fs::write(dir.path().join("plans/a.plan.toml"), &clean).unwrap();
    fs::write(dir.path().join("plans/archive/old.plan.toml"), &clean).unwrap();
    fs::write(dir.path().join("plans/readme.toml"), "not = 'a plan'").unwrap();
    let listed = stdout(&plan_lint_in(dir.path(), &["--show-files"]));
    assert_eq!(
        listed,
        "plans/a.plan.toml\n\nnot linted:\n\
         plans/archive/old.plan.toml  (ignored by `archive/` in `.gitignore`)\n"
    );
    let named = plan_lint_in(dir.path(), &["--show-files", "plans/readme.toml"]);
    assert_eq!(stdout(&named), "plans/readme.toml\n");
}

#[test]
fn show_settings_prints_rules_and_severities() {
    let output = plan_lint_alone(&["--show-settings", "--ignore", "PL003", "--today", TODAY]);
    assert_eq!(output.status.code(), Some(0));
    let out = stdout(&output);
    assert!(out.contains("PL002 raid-mitigation"), "{out}");
    let pl003: Vec<&str> = out
        .lines()
        .find(|l| l.trim_start().starts_with("PL003"))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(pl003, ["PL003", "review-trigger", "off"], "{out}");
    assert!(out.contains("today: 2026-11-25"), "{out}");
}

#[test]
fn bad_arguments_are_exit_2() {
    assert_eq!(
        plan_lint_alone(&["--today", "25/11/2026", CLEAN])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        plan_lint_alone(&["--format", "xml", CLEAN]).status.code(),
        Some(2)
    );
}

#[test]
fn rules_lists_every_rule() {
    let output = plan_lint(&["rules"]);
    assert_eq!(output.status.code(), Some(0));
    let out = stdout(&output);
    for rule in plan_rules::RULES {
        assert!(
            out.contains(rule.code) && out.contains(rule.name),
            "{} listed",
            rule.name
        );
    }
    let json: serde_json::Value =
        serde_json::from_slice(&plan_lint(&["rules", "--format", "json"]).stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), plan_rules::RULES.len());
    assert_eq!(json[1]["name"], "raid-mitigation");
    assert_eq!(
        json[1]["summary"],
        "Every open risk and open issue in the RAID log has a mitigation and an owner."
    );
}

#[test]
fn explain_accepts_a_name_or_a_code_in_any_case() {
    let by_code = plan_lint(&["explain", "pl002"]);
    assert_eq!(by_code.status.code(), Some(0));
    assert!(stdout(&by_code).starts_with("# raid-mitigation (PL002)"));
    assert!(stdout(&by_code).contains("## Why"));
    assert_eq!(
        by_code.stdout,
        plan_lint(&["explain", "Raid-Mitigation"]).stdout
    );
    let unknown = plan_lint(&["explain", "PL999"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("unknown rule `PL999`"));
}

#[test]
fn the_help_names_every_kind_of_plan_file_that_is_searched_for() {
    let output = plan_lint(&["--help"]);
    let help = stdout(&output);
    // The PATHS argument, with its wrapped lines joined.
    let at = help
        .find("Folders are searched for")
        .expect("the PATHS help");
    let paths: String = help[at..]
        .split("\n\n")
        .next()
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for suffix in plan_engine::discover::PLAN_SUFFIXES {
        assert!(paths.contains(&format!("*{suffix}")), "{suffix} in {paths}");
    }
    // And the description at the top names each format.
    let description = help.split("\n\n").next().unwrap();
    for suffix in [".plan.toml", ".plan.json", ".plan.yaml", ".plan.md"] {
        assert!(description.contains(suffix), "{suffix} in {description}");
    }
}
