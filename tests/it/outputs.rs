//! The GitHub annotation and Markdown formats, and reporting on changed files only.

use crate::support::{TODAY, git, json_report, plan_lint, plan_lint_in, repo_root, stdout};
use std::fs;

#[test]
fn github_annotations_put_errors_first_and_escape_what_github_requires() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        fs::read_to_string(repo_root().join("fixtures/backlog-priority/fail.plan.toml")).unwrap();
    // A file name with `,` and `%`, and a finding of each level.
    let text = text.replacen(
        "[[raid]]",
        "# plan-lint: allow(raid-mitigaton) -- typo\n[[raid]]",
        1,
    );
    fs::write(dir.path().join("a,b 100%.plan.toml"), text).unwrap();
    let output = plan_lint_in(dir.path(), &["--today", TODAY, "--format", "github"]);
    let out = stdout(&output);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() >= 2, "{out}");
    let levels: Vec<&str> = lines.iter().map(|l| l.split_once(' ').unwrap().0).collect();
    let mut sorted = levels.clone();
    sorted.sort_by_key(|level| match *level {
        "::error" => 0,
        "::warning" => 1,
        _ => 2,
    });
    assert_eq!(levels, sorted, "most severe first:\n{out}");
    assert!(levels.contains(&"::warning"), "{out}");
    for line in &lines {
        assert!(
            line.contains("file=a%2Cb 100%25.plan.toml,line="),
            "the file property is escaped: {line}"
        );
        assert!(
            !line[2..].contains("::") || line.matches("::").count() == 2,
            "{line}"
        );
    }
    let help = lines.iter().find(|l| l.contains("%0Ahelp: ")).copied();
    assert!(
        help.is_some(),
        "help follows the message on its own line:\n{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains(",title=PL901 unused-suppression::")),
        "{out}"
    );
}

#[test]
fn markdown_has_a_row_per_plan_and_the_findings_grouped_by_plan() {
    let output = plan_lint(&["--today", TODAY, "--format", "markdown", "examples"]);
    let out = stdout(&output);
    assert!(
        out.starts_with(
            "## plan-lint: 6 errors in 2 of 6 plans (3 suppressed); 3 fixable with --unsafe-fixes\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("| plan | health | next review | errors | warnings |"),
        "{out}"
    );
    assert!(
        out.contains("| **clinic-scheduling** (`examples/clinic-scheduling.plan.toml`) | 🔴 red | — | 3 | 0 |"),
        "{out}"
    );
    assert!(
        out.contains("| **payments-migration** (`examples/payments-migration.plan.toml`) | 🟠 amber | 2026-11-30 | 0 | 0 |"),
        "{out}"
    );
    assert!(
        out.contains("\n### council-website (`examples/council-website.plan.toml`)\n"),
        "{out}"
    );
    assert!(
        out.contains("- **error** `PL101` [unknown-field](https://plan-lint.github.io/plan-lint/rules/unknown-field.html): unknown key \\`mitgation\\` in \\`raid\\[R-1\\]\\` (line 98, `raid[R-1].mitgation`)<br>help: did you mean \\`mitigation\\`?"),
        "{out}"
    );
}

#[test]
fn only_changed_files_are_reported_but_every_plan_is_linted() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    let failing = fs::read(repo_root().join("fixtures/raid-mitigation/fail.plan.toml")).unwrap();
    fs::create_dir(root.join("plans")).unwrap();
    fs::write(root.join("plans/a.plan.toml"), &failing).unwrap();
    fs::write(root.join("plans/b.plan.toml"), &failing).unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "plans"]);
    git(root, &["checkout", "-q", "-b", "change"]);
    let mut changed = failing.clone();
    changed.extend_from_slice(b"\n[[raid]]\nid = \"R-9\"\ntype = \"risk\"\ntitle = \"New\"\nowner = \"dan\"\nstatus = \"open\"\n");
    fs::write(root.join("plans/b.plan.toml"), &changed).unwrap();
    git(root, &["commit", "-q", "-am", "change b"]);

    let files_of = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--today", TODAY, "--format", "json"];
        all.extend_from_slice(args);
        let report = json_report(&plan_lint_in(root, &all));
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "{} {}",
                    d["file"].as_str().unwrap(),
                    d["rule"].as_str().unwrap()
                )
            })
            .collect()
    };
    let everything = files_of(&[]);
    assert!(
        everything
            .iter()
            .any(|f| f.starts_with("plans/a.plan.toml"))
    );

    let since_main = files_of(&["--changed-since", "main"]);
    assert!(!since_main.is_empty());
    // Findings in a are left out, but for the over-allocation that b's change takes part in
    // (issue 12: reported, with a note naming b).
    assert!(
        since_main
            .iter()
            .all(|f| f.starts_with("plans/b.plan.toml") || f == "plans/a.plan.toml over-allocation"),
        "{since_main:?}"
    );
    // Portfolio rules still see the unchanged plan: b shares a's plan id.
    assert!(
        since_main.contains(&"plans/b.plan.toml duplicate-plan-id".to_owned()),
        "{since_main:?}"
    );
    assert_eq!(since_main, files_of(&["--only-files", "plans/b.plan.toml"]));

    // A new file not yet committed counts as changed.
    fs::write(root.join("plans/c.plan.toml"), &failing).unwrap();
    let since_head = files_of(&["--changed-since", "HEAD"]);
    assert!(
        since_head
            .iter()
            .all(|f| f.starts_with("plans/c.plan.toml") || f.ends_with(" over-allocation")),
        "{since_head:?}"
    );

    let human = stdout(&plan_lint_in(
        root,
        &["--today", TODAY, "--changed-since", "main"],
    ));
    assert!(
        human.contains("reporting on the 2 changed plans"),
        "{human}"
    );

    let bad = plan_lint_in(root, &["--changed-since", "no-such-branch"]);
    assert_eq!(bad.status.code(), Some(2));
}
