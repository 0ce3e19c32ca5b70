//! Suppressions end to end: comments and `lint.allow`, expiry by `--today`, and how they meet
//! the configuration.

use crate::support::{TODAY, json_report, plan_lint_in, repo_root, stdout};
use std::fs;

/// The failing plan with `edit` applied, alone in a temporary folder as `p.plan.toml`.
fn plan_with(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let text =
        fs::read_to_string(repo_root().join("fixtures/raid-mitigation/fail.plan.toml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("p.plan.toml"), edit(text)).unwrap();
    dir
}

fn findings(dir: &tempfile::TempDir, today: &str) -> (Vec<String>, serde_json::Value) {
    let report = json_report(&plan_lint_in(
        dir.path(),
        &["--today", today, "--format", "json"],
    ));
    let found = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["rule"].as_str().unwrap(),
                d["path"].as_str().unwrap()
            )
        })
        .collect();
    (found, report["summary"].clone())
}

#[test]
fn a_comment_silences_the_finding_on_its_line_or_the_next() {
    let dir = plan_with(|text| {
        text.replacen(
            "[[raid]]\nid = \"R-1\"",
            "# plan-lint: allow(raid-mitigation) -- agreed at steering\n[[raid]]\nid = \"R-1\"",
            1,
        )
        .replacen(
            "owner = \"\"\n",
            "owner = \"\" # plan-lint: allow(PL002) -- chased\n",
            1,
        )
    });
    let (found, summary) = findings(&dir, TODAY);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(summary["suppressed"], 2);
    let human = stdout(&plan_lint_in(dir.path(), &["--today", TODAY]));
    assert!(
        human.ends_with("no problems in 1 plan (2 suppressed)\n"),
        "{human}"
    );
}

#[test]
fn a_comment_with_a_blank_line_before_its_target_silences_nothing() {
    let dir = plan_with(|text| {
        text.replacen(
            "[[raid]]\nid = \"R-1\"",
            "# plan-lint: allow(raid-mitigation) -- agreed at steering\n\n[[raid]]\nid = \"R-1\"",
            1,
        )
    });
    let (found, _) = findings(&dir, TODAY);
    assert_eq!(
        found,
        [
            "unused-suppression ",
            "raid-mitigation raid[R-1].mitigation",
            "raid-mitigation raid[I-1].owner"
        ]
    );
}

#[test]
fn a_suppression_expires_after_its_until_date() {
    let dir = plan_with(|text| {
        text + "\n[[lint.allow]]\nrule = \"raid-mitigation\"\nat = \"/raid/0\"\nuntil = 2026-12-31\nreason = \"certification booked for January\"\n"
    });
    let (before, summary) = findings(&dir, "2026-12-31");
    let before: Vec<&String> = before
        .iter()
        .filter(|f| f.starts_with("raid-mitigation"))
        .collect();
    assert_eq!(before, ["raid-mitigation raid[I-1].owner"]);
    assert_eq!(summary["suppressed"], 1);

    let report = json_report(&plan_lint_in(
        dir.path(),
        &["--today", "2027-01-01", "--format", "json"],
    ));
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "raid-mitigation")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "open risk R-1 has no mitigation; its suppression expired on 2026-12-31",
            "open issue I-1 has no owner"
        ]
    );
}

#[test]
fn a_suppression_of_a_rule_that_is_off_is_not_reported_as_unused() {
    let dir = plan_with(|text| {
        text.replacen(
            "[timeline]",
            "# plan-lint: allow-file(backlog-priority) -- ranked in the team's tracker\n[timeline]",
            1,
        )
    });
    let (found, _) = findings(&dir, TODAY);
    assert!(
        found.contains(&"unused-suppression ".to_owned()),
        "{found:?}"
    );
    fs::write(
        dir.path().join("plan-lint.toml"),
        "[rules]\nbacklog-priority = \"off\"\n",
    )
    .unwrap();
    let (found, _) = findings(&dir, TODAY);
    assert!(
        !found.contains(&"unused-suppression ".to_owned()),
        "{found:?}"
    );
}

#[test]
fn a_json_pointer_that_points_at_nothing_is_an_invalid_value() {
    let dir = tempfile::tempdir().unwrap();
    let json =
        fs::read_to_string(repo_root().join("fixtures/raid-mitigation/fail.plan.json")).unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(&json).unwrap();
    plan["lint"] = serde_json::json!({"allow": [{"rule": "raid-mitigation", "at": "/raid/9", "reason": "gone"}]});
    fs::write(
        dir.path().join("p.plan.json"),
        serde_json::to_string_pretty(&plan).unwrap(),
    )
    .unwrap();
    let report = json_report(&plan_lint_in(
        dir.path(),
        &["--today", TODAY, "--format", "json"],
    ));
    let invalid: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "invalid-value")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        invalid,
        [
            "invalid `at`: `/raid/9` points at nothing in this plan: `9` is not an index of a list of 4"
        ]
    );
}

/// An unused suppression says it expired only once its date has passed.
#[test]
fn an_unused_suppression_mentions_its_expiry_only_when_it_has_passed() {
    let dir = plan_with(|text| {
        text.replacen(
            "[[milestones]]",
            "# plan-lint: allow(unknown-person) until 2027-01-31 -- contractor\n[[milestones]]",
            1,
        )
    });
    let message = |today: &str| {
        let report = json_report(&plan_lint_in(
            dir.path(),
            &["--today", today, "--format", "json"],
        ));
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == "unused-suppression")
            .map(|d| d["message"].as_str().unwrap().to_owned())
    };
    assert_eq!(
        message("2026-11-25").as_deref(),
        Some("the suppression of `unknown-person` silences nothing")
    );
    assert_eq!(
        message("2027-02-01").as_deref(),
        Some("the suppression of `unknown-person` silences nothing (it expired on 2027-01-31)")
    );
}

/// In YAML, suppressions are `#` comments as in TOML; in Markdown, HTML comments: in a row's
/// cell for that row, anywhere for the file (`allow-file`), and `#` comments in a YAML front
/// matter.
#[test]
fn yaml_and_markdown_plans_take_suppressions_as_their_comments() {
    let toml =
        fs::read_to_string(repo_root().join("fixtures/raid-mitigation/fail.plan.toml")).unwrap();
    let lint = |name: &str, text: &str| {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(name), text).unwrap();
        findings(&dir, TODAY)
    };
    let yaml = plan_model::convert::toml_to_yaml(&toml)
        .unwrap()
        .replacen(
            "  - id: \"R-1\"",
            "  # plan-lint: allow(raid-mitigation) -- agreed at steering\n  - id: \"R-1\"",
            1,
        )
        .replacen(
            "    owner: \"\"\n",
            "    owner: \"\"  # plan-lint: allow(PL002) -- chased\n",
            1,
        );
    let (found, summary) = lint("p.plan.yaml", &yaml);
    assert!(found.is_empty(), "{found:?}\n{yaml}");
    assert_eq!(summary["suppressed"], 2);

    let markdown = plan_model::convert::toml_to_markdown(&toml).unwrap();
    let (found, _) = lint("p.plan.md", &markdown);
    assert_eq!(
        found,
        [
            "raid-mitigation raid[R-1].mitigation",
            "raid-mitigation raid[I-1].owner"
        ]
    );
    // A comment in the row silences its row only.
    let row = markdown.lines().find(|l| l.starts_with("| R-1 |")).unwrap();
    let silenced = markdown.replacen(
        row,
        &format!(
            "{} <!-- plan-lint: allow(raid-mitigation) -- agreed at steering --> |",
            row.trim_end_matches('|').trim_end()
        ),
        1,
    );
    let (found, summary) = lint("p.plan.md", &silenced);
    assert_eq!(found, ["raid-mitigation raid[I-1].owner"], "{silenced}");
    assert_eq!(summary["suppressed"], 1);
    // `allow-file` anywhere in the body.
    let file_wide = format!(
        "{markdown}\n<!-- plan-lint: allow-file(raid-mitigation) -- tracked elsewhere -->\n"
    );
    let (found, summary) = lint("p.plan.md", &file_wide);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(summary["suppressed"], 2);
}

/// A collection's table that Markdown reads as text is reported at its first lines, and a
/// comment on the line above those silences it, as it does any finding on the next line.
#[test]
fn a_table_read_as_text_is_silenced_by_the_comment_above_it() {
    let toml =
        fs::read_to_string(repo_root().join("fixtures/raid-mitigation/fail.plan.toml")).unwrap();
    let markdown = plan_model::convert::toml_to_markdown(&toml).unwrap();
    let header = markdown
        .lines()
        .find(|l| l.starts_with("| ID | Type"))
        .unwrap();
    let lines: Vec<&str> = markdown.lines().collect();
    let at = lines.iter().position(|l| *l == header).unwrap();
    // One delimiter cell short of the header.
    let short = lines[at + 1].replacen("| --- ", "", 1);
    let broken = markdown.replacen(
        &format!("{header}\n{}", lines[at + 1]),
        &format!("{header}\n{short}"),
        1,
    );
    let lint = |text: &str| {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("p.plan.md"), text).unwrap();
        findings(&dir, TODAY)
    };
    let (found, _) = lint(&broken);
    assert!(
        found.contains(&"invalid-value raid".to_owned()),
        "{found:?}\n{broken}"
    );
    assert!(
        !found.iter().any(|f| f.starts_with("raid-mitigation")),
        "no rows are read: {found:?}"
    );

    let silenced = broken.replacen(
        header,
        &format!(
            "<!-- plan-lint: allow(invalid-value) -- the log moves to Jira this week -->\n{header}"
        ),
        1,
    );
    let (found, summary) = lint(&silenced);
    assert!(
        !found.contains(&"invalid-value raid".to_owned()),
        "{found:?}\n{silenced}"
    );
    assert_eq!(summary["suppressed"], 1);
}
