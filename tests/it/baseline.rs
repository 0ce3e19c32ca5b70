//! The baseline: adopt on the examples, then edit the plans and check exactly what is
//! reported. A finding is known by rule, plan and logical path, never by its line.

use crate::support::{TODAY, git, isolated, json_report, plan_lint_in, stderr, stdout};
use std::path::Path;

const CLINIC: &str = "examples/clinic-scheduling.plan.toml";

fn lint(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--today", TODAY, "--format", "json"];
    args.extend_from_slice(extra);
    json_report(&plan_lint_in(dir, &args))
}

/// (file, rule, path) of every reported finding.
fn reported(report: &serde_json::Value) -> Vec<(String, String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let field = |key: &str| d[key].as_str().unwrap().to_owned();
            (field("file"), field("rule"), field("path"))
        })
        .collect()
}

fn edit(dir: &Path, file: &str, edit: impl FnOnce(String) -> String) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit changes {file}");
    std::fs::write(path, edited).unwrap();
}

/// The three commands of the README: write the baseline, commit it, lint.
fn adopted() -> tempfile::TempDir {
    let dir = isolated(&["examples"]);
    let before = lint(dir.path(), &[]);
    assert!(
        !reported(&before).is_empty(),
        "the examples have findings to adopt"
    );
    let written = plan_lint_in(dir.path(), &["--today", TODAY, "--write-baseline"]);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    let count = reported(&before).len();
    assert!(
        stderr(&written).contains(&format!(
            "wrote {count} findings to `plan-lint-baseline.json`"
        )),
        "{}",
        stderr(&written)
    );
    assert!(
        stdout(&written).contains(&format!("{count} known findings in the baseline")),
        "{}",
        stdout(&written)
    );
    git(dir.path(), &["add", "-A"]);
    dir
}

#[test]
fn adopting_reports_nothing_and_counts_what_is_known() {
    let dir = adopted();
    let report = lint(dir.path(), &[]);
    assert_eq!(reported(&report), Vec::new());
    let baseline: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("plan-lint-baseline.json")).unwrap())
            .unwrap();
    let entries = baseline["findings"].as_array().unwrap().len();
    assert_eq!(report["baseline"]["known"], entries);
    assert_eq!(report["baseline"]["stale"], 0);
    assert_eq!(report["summary"]["known"], entries);
    let plain = plan_lint_in(dir.path(), &["--today", TODAY]);
    assert_eq!(plain.status.code(), Some(0));
    assert!(
        stdout(&plain).contains(&format!("{entries} known findings in the baseline")),
        "{}",
        stdout(&plain)
    );
    // `--no-baseline` sees them all again.
    let all = lint(dir.path(), &["--no-baseline"]);
    assert_eq!(reported(&all).len(), entries);
}

#[test]
fn the_baseline_file_is_sorted_one_finding_per_line() {
    let dir = adopted();
    let text = std::fs::read_to_string(dir.path().join("plan-lint-baseline.json")).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| line.trim_start().starts_with("{\"file\""))
        .collect();
    let all = lint(dir.path(), &["--no-baseline"]);
    assert_eq!(lines.len(), reported(&all).len(), "{text}");
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
    assert!(text.contains(
        r#"{"file": "examples/clinic-scheduling.plan.toml", "code": "PL002", "rule": "raid-mitigation", "path": "raid[R-2].mitigation", "fingerprint": ""#
    ));
}

#[test]
fn moved_lines_stay_known() {
    let dir = adopted();
    edit(dir.path(), CLINIC, |text| {
        // Twenty lines of comment before everything: every finding moves down.
        format!("{}{text}", "# a note\n".repeat(20))
    });
    assert_eq!(reported(&lint(dir.path(), &[])), Vec::new());
}

#[test]
fn a_second_finding_of_the_same_rule_in_the_same_file_is_new() {
    let dir = adopted();
    edit(dir.path(), CLINIC, |text| {
        text.replace(
            "mitigation = \"Clinic leads agree a switch-over date per clinic\"\n",
            "",
        )
    });
    let report = lint(dir.path(), &[]);
    assert_eq!(
        reported(&report),
        [(
            CLINIC.to_owned(),
            "raid-mitigation".to_owned(),
            "raid[R-1].mitigation".to_owned()
        )]
    );
    assert_eq!(report["baseline"]["stale"], 0);
    let failed = plan_lint_in(dir.path(), &["--today", TODAY]);
    assert_eq!(failed.status.code(), Some(1), "a new error fails the run");
}

#[test]
fn a_renamed_place_is_new_and_its_old_entry_stale() {
    let dir = adopted();
    edit(dir.path(), CLINIC, |text| {
        text.replace("id = \"R-2\"", "id = \"R-4\"")
    });
    let report = lint(dir.path(), &[]);
    assert_eq!(
        reported(&report),
        [(
            CLINIC.to_owned(),
            "raid-mitigation".to_owned(),
            "raid[R-4].mitigation".to_owned()
        )]
    );
    assert_eq!(report["baseline"]["stale"], 1);
}

#[test]
fn a_fixed_finding_leaves_a_stale_entry_that_pruning_drops() {
    let dir = adopted();
    edit(dir.path(), CLINIC, |text| {
        text.replace(
            "severity = \"critical\"\ndue = 2026-12-04",
            "severity = \"critical\"\ndue = 2026-12-04\nmitigation = \"Queue bookings\"",
        )
    });
    let run = plan_lint_in(dir.path(), &["--today", TODAY]);
    assert_eq!(run.status.code(), Some(0), "a stale entry is a note");
    assert!(
        stderr(&run).contains(
            "note: 1 entry of `plan-lint-baseline.json` no longer matches any finding; `plan-lint --prune-baseline` drops it"
        ),
        "{}",
        stderr(&run)
    );
    let strict = plan_lint_in(dir.path(), &["--today", TODAY, "--fail-on", "note"]);
    assert_eq!(strict.status.code(), Some(1), "--fail-on note fails on it");

    let before = std::fs::read_to_string(dir.path().join("plan-lint-baseline.json")).unwrap();
    let pruned = plan_lint_in(dir.path(), &["--today", TODAY, "--prune-baseline"]);
    assert_eq!(pruned.status.code(), Some(0), "{}", stderr(&pruned));
    assert!(
        stderr(&pruned).contains("dropped 1 stale entry from `plan-lint-baseline.json`"),
        "{}",
        stderr(&pruned)
    );
    let after = std::fs::read_to_string(dir.path().join("plan-lint-baseline.json")).unwrap();
    let removed: Vec<&str> = before.lines().filter(|l| !after.contains(l)).collect();
    assert_eq!(removed.len(), 1);
    assert!(removed[0].contains("raid[R-2].mitigation"), "{removed:?}");
    assert_eq!(lint(dir.path(), &[])["baseline"]["stale"], 0);
}

#[test]
fn writing_keeps_the_entries_of_plans_the_run_did_not_check() {
    let dir = adopted();
    let before = std::fs::read_to_string(dir.path().join("plan-lint-baseline.json")).unwrap();
    // Only the clinic's rules run: the other entries stay, whatever the run saw.
    let written = plan_lint_in(
        dir.path(),
        &[
            "--today",
            TODAY,
            "--select",
            "raid-mitigation",
            "--write-baseline",
        ],
    );
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    let after = std::fs::read_to_string(dir.path().join("plan-lint-baseline.json")).unwrap();
    assert_eq!(before, after);
    // A plan moved out of the project keeps nothing: its file is gone, so its entries are
    // stale, and a rewrite drops them.
    std::fs::remove_file(dir.path().join(CLINIC)).unwrap();
    let report = lint(dir.path(), &[]);
    let clinic = before.lines().filter(|l| l.contains(CLINIC)).count();
    assert_eq!(report["baseline"]["stale"], clinic);
}

#[test]
fn a_baseline_written_by_toml_plans_matches_their_json_twins() {
    let fixtures = [
        "fixtures/raid-mitigation/fail",
        "fixtures/mechanism-raci/fail",
        "fixtures/accountable-owner/fail-raci-and-mechanisms",
    ];
    let paths: Vec<String> = fixtures.iter().map(|f| format!("{f}.plan.toml")).collect();
    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    let dir = isolated(&paths);
    let written = plan_lint_in(dir.path(), &["--today", TODAY, "--write-baseline"]);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    let from_toml = lint(dir.path(), &["--no-baseline"]);
    assert!(reported(&from_toml).len() >= fixtures.len());
    for fixture in fixtures {
        std::fs::remove_file(dir.path().join(format!("{fixture}.plan.toml"))).unwrap();
        std::fs::copy(
            crate::support::repo_root().join(format!("{fixture}.plan.json")),
            dir.path().join(format!("{fixture}.plan.json")),
        )
        .unwrap();
    }
    let twins = lint(dir.path(), &[]);
    assert_eq!(reported(&twins), Vec::new());
    assert_eq!(
        twins["baseline"]["known"],
        reported(&from_toml).len(),
        "every finding of the twins is known"
    );
    assert_eq!(twins["baseline"]["stale"], 0);
}

#[test]
fn show_baseline_lists_the_known_findings_in_every_format() {
    let dir = adopted();
    let all = lint(dir.path(), &["--no-baseline"]);
    let json = lint(dir.path(), &["--show-baseline"]);
    assert_eq!(json["known"], all["diagnostics"]);
    let concise = plan_lint_in(
        dir.path(),
        &["--today", TODAY, "--format", "concise", "--show-baseline"],
    );
    let known = stdout(&concise)
        .lines()
        .filter(|line| line.ends_with("(known: in the baseline)"))
        .count();
    assert_eq!(known, reported(&all).len());
    let human = plan_lint_in(dir.path(), &["--today", TODAY, "--show-baseline"]);
    assert!(stdout(&human).contains("known findings in the baseline:\n"));
    let github = plan_lint_in(
        dir.path(),
        &["--today", TODAY, "--format", "github", "--show-baseline"],
    );
    assert_eq!(
        stdout(&github)
            .lines()
            .filter(|line| line.starts_with("::notice") && line.contains("(known"))
            .count(),
        reported(&all).len()
    );
    let markdown = plan_lint_in(
        dir.path(),
        &["--today", TODAY, "--format", "markdown", "--show-baseline"],
    );
    assert!(stdout(&markdown).contains("### Known findings, in the baseline"));
}

#[test]
fn sarif_marks_known_findings_unchanged_and_suppressed_externally() {
    let dir = adopted();
    edit(dir.path(), CLINIC, |text| {
        text.replace("id = \"R-2\"", "id = \"R-4\"")
    });
    let out = plan_lint_in(dir.path(), &["--today", TODAY, "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The log with baseline states and external suppressions passes the schema, the
    // multitool and GitHub's upload rules.
    if let Some(oracles) = crate::support::oracles() {
        let log = dir.path().join("baseline.sarif");
        std::fs::write(&log, &out.stdout).unwrap();
        let (passed, text) = oracles.run(
            std::process::Command::new("bash")
                .arg(oracles.script("check-sarif.sh"))
                .arg("--strict")
                .arg(&log),
        );
        assert!(
            passed && text.contains("check-sarif: PASS (strict)"),
            "{text}"
        );
    }
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let all = lint(dir.path(), &["--no-baseline"]);
    assert_eq!(
        results.len(),
        // The examples' suppressed findings: one each in TOML, YAML and Markdown.
        reported(&all).len() + 3,
        "suppressed included"
    );
    let state = |r: &serde_json::Value| r["baselineState"].as_str().map(str::to_owned);
    let new: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| state(r).as_deref() == Some("new"))
        .collect();
    assert_eq!(new.len(), 1);
    assert!(new[0]["suppressions"].is_null());
    let unchanged: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| state(r).as_deref() == Some("unchanged"))
        .collect();
    assert_eq!(unchanged.len(), reported(&all).len() - 1);
    for result in unchanged {
        assert_eq!(result["suppressions"][0]["kind"], "external");
    }
    // The fingerprint the baseline records is SARIF's line hash.
    let baseline = std::fs::read_to_string(dir.path().join("plan-lint-baseline.json")).unwrap();
    let hash = results
        .iter()
        .find(|r| state(r).as_deref() == Some("unchanged"))
        .unwrap()["partialFingerprints"]["primaryLocationLineHash"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(baseline.contains(&hash));
}

#[test]
fn a_config_names_the_baseline_and_a_broken_one_is_an_error_with_its_place() {
    let dir = adopted();
    std::fs::rename(
        dir.path().join("plan-lint-baseline.json"),
        dir.path().join("known.json"),
    )
    .unwrap();
    assert!(
        !reported(&lint(dir.path(), &[])).is_empty(),
        "not found by default"
    );
    std::fs::write(
        dir.path().join("plan-lint.toml"),
        "baseline = \"known.json\"\n",
    )
    .unwrap();
    assert_eq!(reported(&lint(dir.path(), &[])), Vec::new());
    let settings = plan_lint_in(dir.path(), &["--show-settings"]);
    assert!(stdout(&settings).contains("baseline: known.json\n"));

    std::fs::write(
        dir.path().join("known.json"),
        "{\"plan-lint-baseline\": 1,\n  \"findings\": [}",
    )
    .unwrap();
    let broken = plan_lint_in(dir.path(), &["--today", TODAY]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(
        stderr(&broken).contains("the baseline `known.json` is not a plan-lint baseline")
            && stderr(&broken).contains("(line 2, column"),
        "{}",
        stderr(&broken)
    );
    std::fs::remove_file(dir.path().join("known.json")).unwrap();
    let missing = plan_lint_in(dir.path(), &["--today", TODAY]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("the baseline `known.json` does not exist"));
}

#[test]
fn a_baseline_outside_the_repository_is_never_read() {
    let dir = adopted();
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::copy(dir.path().join("plan-lint-baseline.json"), outside.path()).unwrap();
    let path = outside.path().to_str().unwrap();
    let run = plan_lint_in(dir.path(), &["--today", TODAY, "--baseline", path]);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("was not read"), "{}", stderr(&run));
    std::fs::write(
        dir.path().join("plan-lint.toml"),
        format!(
            "baseline = \"../{}\"\n",
            outside.path().file_name().unwrap().to_str().unwrap()
        ),
    )
    .unwrap();
    let run = plan_lint_in(dir.path(), &["--today", TODAY, "--write-baseline"]);
    assert_eq!(run.status.code(), Some(2), "nor written");
}

/// The README's adoption story, command by command, on a copy of the examples: after it, a
/// clean run; a new finding fails it.
#[test]
fn the_readme_adoption_story_works_on_a_copy_of_the_examples() {
    let readme = std::fs::read_to_string(crate::support::repo_root().join("README.md")).unwrap();
    let section = readme
        .split("## Adopting plan-lint on plans that already have findings")
        .nth(1)
        .unwrap();
    let block = section
        .split("```sh\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let commands: Vec<&str> = block
        .lines()
        .map(|line| line.split(" # ").next().unwrap().trim())
        .collect();
    assert_eq!(commands.len(), 3, "{commands:?}");
    let dir = isolated(&["examples"]);
    let mut last = None;
    for command in commands {
        if let Some(args) = command.strip_prefix("plan-lint") {
            let args: Vec<&str> = args.split_whitespace().collect();
            last = Some(plan_lint_in(dir.path(), &args));
            let run = last.as_ref().unwrap();
            assert_eq!(run.status.code(), Some(0), "{command}: {}", stderr(run));
        } else {
            let status = std::process::Command::new("sh")
                .args(["-c", command])
                .current_dir(dir.path())
                .env("GIT_AUTHOR_NAME", "t")
                .env("GIT_AUTHOR_EMAIL", "t@localhost")
                .env("GIT_COMMITTER_NAME", "t")
                .env("GIT_COMMITTER_EMAIL", "t@localhost")
                .status()
                .unwrap();
            assert!(status.success(), "{command}");
        }
    }
    assert!(stdout(&last.unwrap()).contains("known findings in the baseline"));
    let log = std::process::Command::new("git")
        .args(["log", "--name-only", "--format="])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&log.stdout).trim(),
        "plan-lint-baseline.json"
    );
    edit(dir.path(), CLINIC, |text| {
        text.replace(
            "mitigation = \"Clinic leads agree a switch-over date per clinic\"\n",
            "",
        )
    });
    assert_eq!(plan_lint_in(dir.path(), &[]).status.code(), Some(1));
}
