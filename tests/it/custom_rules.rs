//! Custom rules (`[[custom_rules]]`, `rule_files`): the starter pack passes its own examples
//! and fires on the example plans; a custom rule is treated as a built-in is, in every output,
//! in configuration, suppressions and the baseline; a broken rule is a config error at its
//! place.

use crate::support::{TODAY, json_report, plan_lint, plan_lint_in, repo_root, stderr, stdout};
use std::fs;
use std::path::Path;

/// A repository with two starter-pack rules and two plans (TOML and JSON), each breaking both:
/// the problem owner is the Delivery Lead, and an open high risk has no due date.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::support::git(dir.path(), &["init", "-q"]);
    fs::create_dir(dir.path().join("rules")).unwrap();
    for rule in ["owner-is-not-lead", "high-risk-has-due-date"] {
        fs::copy(
            repo_root().join(format!("examples/rules/{rule}.toml")),
            dir.path().join(format!("rules/{rule}.toml")),
        )
        .unwrap();
    }
    fs::write(
        dir.path().join("plan-lint.toml"),
        "rule_files = [\"rules/*.toml\"]\n",
    )
    .unwrap();
    let toml = fs::read_to_string(repo_root().join("examples/payments-migration.plan.toml"))
        .unwrap()
        .replacen("problem_owner = \"bob\"", "problem_owner = \"alice\"", 1)
        .replacen("in parallel\"\ndue = 2026-12-15\n", "in parallel\"\n", 1);
    let json = fs::read_to_string(repo_root().join("examples/warehouse-robotics.plan.json"))
        .unwrap()
        .replacen(
            "\"problem_owner\": \"tom\"",
            "\"problem_owner\": \"priya\"",
            1,
        )
        .replacen(
            "in parallel\",\n      \"due\": \"2026-12-15\"\n",
            "in parallel\"\n",
            1,
        );
    fs::write(dir.path().join("payments.plan.toml"), toml).unwrap();
    fs::write(dir.path().join("warehouse.plan.json"), json).unwrap();
    dir
}

/// (file, code, path) of each finding of a JSON report.
fn findings(output: &std::process::Output) -> Vec<(String, String, String)> {
    json_report(output)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let field = |key: &str| d[key].as_str().unwrap().to_owned();
            (field("file"), field("code"), field("path"))
        })
        .collect()
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--today", TODAY];
    all.extend(args);
    plan_lint_in(dir, &all)
}

#[test]
fn the_starter_pack_passes_its_own_examples() {
    let output = plan_lint(&["test", "examples/rules/"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}{}", stderr(&output));
    // Counted independently: every example table in the pack's files.
    let mut examples = 0;
    let mut rules = 0;
    for entry in fs::read_dir(repo_root().join("examples/rules")).unwrap() {
        let text = fs::read_to_string(entry.unwrap().path()).unwrap();
        examples += text.matches("[[custom_rules.examples]]").count();
        rules += text.matches("[[custom_rules]]").count();
    }
    assert!((6..=8).contains(&rules), "{rules} rules");
    assert!(
        out.starts_with(&format!(
            "running {examples} examples of {rules} custom rules\n"
        )),
        "{out}"
    );
    assert_eq!(out.matches(" ... ok\n").count(), examples, "{out}");
    assert!(
        out.ends_with(&format!("test result: ok. {examples} passed; 0 failed\n")),
        "{out}"
    );
    // The examples' config tests the same rules.
    let through_config = plan_lint(&["test", "--config", "examples/starter-pack.toml"]);
    assert_eq!(stdout(&through_config), out);
}

#[test]
fn the_starter_pack_fires_on_the_example_plans_where_it_should() {
    let output = plan_lint(&[
        "--today",
        TODAY,
        "--config",
        "examples/starter-pack.toml",
        "--format",
        "json",
        "examples",
    ]);
    let custom: Vec<(String, String, String)> = findings(&output)
        .into_iter()
        .filter(|(_, code, _)| code.starts_with("ORG"))
        .collect();
    let expected = [
        // A critical issue and a monthly review.
        (
            "examples/clinic-scheduling.plan.toml",
            "ORG001",
            "review.cadence",
        ),
        // Its status report informs clinical governance, not the steering group.
        (
            "examples/clinic-scheduling.plan.toml",
            "ORG004",
            "mechanisms[1].informed",
        ),
        (
            "examples/council-website.plan.toml",
            "ORG004",
            "mechanisms[0].informed",
        ),
        // M2 has no backlog item.
        (
            "examples/council-website.plan.toml",
            "ORG007",
            "milestones[M2]",
        ),
        (
            "examples/warehouse-robotics.plan.json",
            "ORG004",
            "mechanisms[1].informed",
        ),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(f, c, p)| ((*f).to_owned(), (*c).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(custom, expected);
}

/// One custom rule's findings in every output format, from a TOML and a JSON plan.
#[test]
fn a_custom_rule_appears_in_every_output_format() {
    let dir = project();
    for format in ["human", "concise", "json", "github", "markdown", "sarif"] {
        let output = run(dir.path(), &["--format", format]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{format}: {}",
            stderr(&output)
        );
        let mut out = stdout(&output);
        if format == "sarif" {
            // Only what a custom rule brings: its rule entry and its results.
            let log: serde_json::Value = serde_json::from_str(&out).unwrap();
            let run = &log["runs"][0];
            let custom = |items: &serde_json::Value, key: &str| -> Vec<serde_json::Value> {
                items
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|item| item[key].as_str().unwrap().starts_with("ORG"))
                    .cloned()
                    .collect()
            };
            let rules = custom(&run["tool"]["driver"]["rules"], "id");
            let results = custom(&run["results"], "ruleId");
            out = serde_json::to_string_pretty(&serde_json::json!({
                "rules": rules,
                "results": results,
            }))
            .unwrap();
        }
        insta::with_settings!({ snapshot_path => "snapshots/custom_rules", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("every_format__{format}"), out);
        });
    }
}

#[test]
fn the_sarif_of_a_custom_rule_passes_the_schema_and_githubs_rules() {
    let oracles = crate::support::oracles().expect("the checkers are installed");
    let dir = project();
    let output = run(dir.path(), &["--format", "sarif"]);
    let log = dir.path().join("custom.sarif");
    fs::write(&log, &output.stdout).unwrap();
    let (passed, text) = oracles.run(
        std::process::Command::new("bash")
            .arg(oracles.script("check-sarif.sh"))
            .arg("--strict")
            .arg(&log),
    );
    assert!(passed, "check-sarif.sh:\n{text}");
    assert!(text.contains("check-sarif: PASS (strict)"), "{text}");
}

#[test]
fn custom_rules_are_configured_selected_and_overridden_like_built_ins() {
    let dir = project();
    let codes = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--format", "json"];
        all.extend(args);
        let mut codes: Vec<String> = findings(&run(dir.path(), &all))
            .into_iter()
            .filter(|(_, code, _)| code.starts_with("ORG"))
            .map(|(file, code, _)| format!("{file} {code}"))
            .collect();
        codes.dedup();
        codes
    };
    let both = [
        "payments.plan.toml ORG003",
        "payments.plan.toml ORG005",
        "warehouse.plan.json ORG003",
        "warehouse.plan.json ORG005",
    ];
    assert_eq!(codes(&[]), both);
    assert_eq!(
        codes(&["--select", "owner-is-not-lead"]),
        ["payments.plan.toml ORG003", "warehouse.plan.json ORG003"]
    );
    assert_eq!(
        codes(&["--ignore", "ORG003"]),
        ["payments.plan.toml ORG005", "warehouse.plan.json ORG005"]
    );
    let unknown = run(dir.path(), &["--select", "owner-is-not-laed"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("did you mean `owner-is-not-lead`?"),
        "{}",
        stderr(&unknown)
    );

    // Severities in `[rules]` and per file in `[[overrides]]`.
    let config = "rule_files = [\"rules/*.toml\"]\n\n[rules]\nhigh-risk-has-due-date = \"error\"\n\n[[overrides]]\nfiles = [\"*.json\"]\nrules = { ORG003 = \"off\" }\n";
    fs::write(dir.path().join("plan-lint.toml"), config).unwrap();
    assert_eq!(
        codes(&[]),
        [
            "payments.plan.toml ORG003",
            "payments.plan.toml ORG005",
            "warehouse.plan.json ORG005"
        ]
    );
    let report = json_report(&run(dir.path(), &["--format", "json"]));
    let severity_of = |code: &str| {
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == code)
            .map(|d| d["severity"].as_str().unwrap().to_owned())
    };
    assert_eq!(severity_of("ORG005").as_deref(), Some("error"));
    assert_eq!(severity_of("ORG003").as_deref(), Some("error"));
}

#[test]
fn custom_rules_are_suppressed_like_built_ins_in_both_formats() {
    let dir = project();
    let suppressed_before =
        json_report(&run(dir.path(), &["--format", "json"]))["summary"]["suppressed"]
            .as_u64()
            .unwrap();
    let toml = dir.path().join("payments.plan.toml");
    let text = fs::read_to_string(&toml).unwrap().replacen(
        "problem_owner = \"alice\"",
        "# plan-lint: allow(owner-is-not-lead) -- the sponsor is away until January\nproblem_owner = \"alice\"",
        1,
    );
    fs::write(&toml, text).unwrap();
    let json = dir.path().join("warehouse.plan.json");
    let text = fs::read_to_string(&json).unwrap().replacen(
        "\"version\": 1,",
        "\"version\": 1,\n  \"lint\": { \"allow\": [{ \"rule\": \"ORG005\", \"at\": \"raid[R-1]\", \"reason\": \"dated at the next review\" }, { \"rule\": \"owner-is-not-led\", \"reason\": \"a typo\" }] },",
        1,
    );
    fs::write(&json, text).unwrap();
    let output = run(dir.path(), &["--format", "json"]);
    let found: Vec<String> = findings(&output)
        .into_iter()
        .filter(|(_, code, _)| code.starts_with("ORG") || code == "PL901")
        .map(|(file, code, path)| format!("{file} {code} {path}"))
        .collect();
    assert_eq!(
        found,
        [
            "payments.plan.toml ORG005 raid[R-1]",
            // A misspelt custom rule is no rule: nothing is suppressed.
            "warehouse.plan.json PL901 lint.allow[1].rule",
            "warehouse.plan.json ORG003 people.problem_owner",
        ]
    );
    assert_eq!(
        json_report(&output)["summary"]["suppressed"].as_u64(),
        Some(suppressed_before + 2)
    );
}

#[test]
fn custom_findings_are_adopted_by_the_baseline() {
    let dir = project();
    let write = run(dir.path(), &["--write-baseline"]);
    assert_eq!(write.status.code(), Some(0), "{}", stderr(&write));
    let baseline = fs::read_to_string(dir.path().join("plan-lint-baseline.json")).unwrap();
    assert_eq!(
        baseline.matches("\"code\": \"ORG003\"").count(),
        2,
        "{baseline}"
    );
    assert_eq!(
        baseline.matches("\"rule\": \"owner-is-not-lead\"").count(),
        2
    );
    let again = run(dir.path(), &["--format", "json"]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
    // A new finding of a custom rule is reported, the adopted ones are not.
    let toml = dir.path().join("payments.plan.toml");
    let text = fs::read_to_string(&toml).unwrap().replacen(
        "in parallel\"\n",
        "in parallel\"\n\n[[raid]]\nid = \"R-9\"\ntype = \"issue\"\ntitle = \"Card scheme fees rise\"\nowner = \"dan\"\nstatus = \"open\"\nseverity = \"critical\"\nmitigation = \"Negotiate\"\n",
        1,
    );
    fs::write(&toml, text).unwrap();
    let after = findings(&run(dir.path(), &["--format", "json"]));
    assert_eq!(
        after,
        [(
            "payments.plan.toml".to_owned(),
            "ORG005".to_owned(),
            "raid[R-9]".to_owned()
        )]
    );
}

#[test]
fn rules_and_explain_show_the_projects_custom_rules() {
    let dir = project();
    let rules = stdout(&plan_lint_in(dir.path(), &["rules"]));
    let line = rules
        .lines()
        .find(|line| line.starts_with("ORG003"))
        .unwrap_or_else(|| panic!("{rules}"));
    assert!(line.contains("owner-is-not-lead"), "{line}");
    assert!(line.contains("error"), "{line}");
    assert!(
        line.ends_with("The problem owner is never the Delivery Lead"),
        "{line}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&plan_lint_in(dir.path(), &["rules", "--format", "json"]).stdout)
            .unwrap();
    assert_eq!(
        json.as_array().unwrap().len(),
        plan_rules::RULES.len() + 2,
        "every built-in and both custom rules"
    );
    let page = stdout(&plan_lint_in(dir.path(), &["explain", "org005"]));
    let parsed = plan_rules::Page::parse(Box::leak(page.clone().into_boxed_str()));
    assert_eq!(parsed.title, "high-risk-has-due-date (ORG005)");
    assert_eq!(parsed.failing_examples.len(), 1, "{page}");
    assert_eq!(parsed.passing_examples.len(), 1, "{page}");
    // Its examples in each plan format, linted in the project, behave as the page says.
    for (format, extension) in [("json", "json"), ("yaml", "yaml"), ("markdown", "md")] {
        let page = stdout(&plan_lint_in(
            dir.path(),
            &["explain", "org005", "--format", format],
        ));
        let parsed = plan_rules::Page::parse(Box::leak(page.clone().into_boxed_str()));
        for (examples, fires) in [
            (&parsed.failing_examples, true),
            (&parsed.passing_examples, false),
        ] {
            assert_eq!(examples.len(), 1, "{page}");
            assert_eq!(examples[0].language, extension, "{page}");
            let file = format!("example.plan.{extension}");
            fs::write(dir.path().join(&file), &examples[0].code).unwrap();
            let report = crate::support::json_report(&plan_lint_in(
                dir.path(),
                &["--today", crate::support::TODAY, "--format", "json", &file],
            ));
            let fired = report["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["code"] == "ORG005");
            assert_eq!(fired, fires, "{format}: {}\n{report:#}", examples[0].code);
            fs::remove_file(dir.path().join(&file)).unwrap();
        }
    }
    // Outside the project the rule is unknown.
    let outside = plan_lint(&["explain", "ORG005"]);
    assert_eq!(outside.status.code(), Some(2));
}

#[test]
fn a_failing_example_fails_plan_lint_test() {
    let dir = project();
    let rule = dir.path().join("rules/owner-is-not-lead.toml");
    let text = fs::read_to_string(&rule).unwrap().replacen(
        "problem_owner = \"bob\"",
        "problem_owner = \"alice\"",
        1,
    );
    fs::write(&rule, text).unwrap();
    let output = plan_lint_in(dir.path(), &["test"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(
        out.contains("test owner-is-not-lead › two people ... FAILED\n"),
        "{out}"
    );
    // The example's place is its `[[custom_rules.examples]]` header, the line before its name
    // (a 0-based index of the name's line is the 1-based number of the header's).
    let line = fs::read_to_string(&rule)
        .unwrap()
        .lines()
        .position(|line| line == "name = \"two people\"")
        .unwrap();
    assert!(
        out.contains(&format!(
            "---- owner-is-not-lead › two people (rules/owner-is-not-lead.toml:{line}) ----\nunexpected finding at `people.problem_owner`: alice is both the problem owner and the Delivery Lead\n"
        )),
        "{out}"
    );
    assert!(
        out.ends_with("test result: FAILED. 3 passed; 1 failed\n"),
        "{out}"
    );
}

#[test]
fn a_rule_that_fails_on_odd_data_is_a_finding_and_the_run_goes_on() {
    let dir = project();
    let rule = "\n[[custom_rules]]\ncode = \"ORG010\"\nname = \"score\"\nsummary = \"Risk scores stay low\"\nfor_each = \"raid\"\nassert = \"entry.severity * 2 < 10\"\nmessage = \"too high\"\n";
    let config = fs::read_to_string(dir.path().join("plan-lint.toml")).unwrap() + rule;
    fs::write(dir.path().join("plan-lint.toml"), config).unwrap();
    let output = run(dir.path(), &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let found = findings(&output);
    let errors: Vec<&(String, String, String)> = found
        .iter()
        .filter(|(_, code, _)| code == "PL104")
        .collect();
    // One per RAID entry of both plans, at the entry; the other rules still ran.
    let read = |file: &str| fs::read_to_string(dir.path().join(file)).unwrap();
    let json: serde_json::Value = serde_json::from_str(&read("warehouse.plan.json")).unwrap();
    let entries = read("payments.plan.toml").matches("[[raid]]").count()
        + json["raid"].as_array().unwrap().len();
    assert_eq!(errors.len(), entries, "{found:#?}");
    assert!(found.iter().any(|(_, code, _)| code == "ORG003"));
    let report = json_report(&output);
    let message = &report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "PL104")
        .unwrap()["message"];
    assert!(
        message.as_str().unwrap().starts_with(
            "custom rule `score` could not be checked here: `entry.severity * 2 < 10` failed:"
        ),
        "{message}"
    );
}

/// A broken rule is a config error (exit 2) at the exact place: the expression's own column.
#[test]
fn a_broken_rule_is_a_config_error_at_its_place() {
    let cases: [(&str, &str, &str); 6] = [
        (
            "assert = \"entry.due < < today\"",
            "CEL syntax error",
            "< today",
        ),
        (
            "assert = \"entyr.due < today\"",
            "unknown variable `entyr`",
            "entyr",
        ),
        (
            "assert = \"days_betwen(today, entry.due) < 7\"",
            "unknown function `days_betwen`",
            "days_betwen",
        ),
        ("for_each = \"risks\"", "risks", "\"risks\""),
        ("code = \"PL050\"", "PL", "\"PL050\""),
        (
            "name = \"raid-mitigation\"",
            "already used",
            "\"raid-mitigation\"",
        ),
    ];
    for (line, message, at) in cases {
        let dir = project();
        let base = "[[custom_rules]]\ncode = \"ORG020\"\nname = \"due-soon\"\nsummary = \"Due soon\"\nfor_each = \"raid\"\nassert = \"entry.due < today\"\nmessage = \"late\"\n";
        let key = line.split(" = ").next().unwrap();
        let rule: String = base
            .lines()
            .map(|l| {
                if l.starts_with(&format!("{key} = ")) {
                    line
                } else {
                    l
                }
            })
            .map(|l| format!("{l}\n"))
            .collect();
        let config = format!("rule_files = [\"rules/*.toml\"]\n\n{rule}");
        fs::write(dir.path().join("plan-lint.toml"), &config).unwrap();
        let output = run(dir.path(), &["--color", "never"]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{line}: {err}");
        assert!(err.contains(message), "{line}: {err}");
        // The place, computed from the text: the line and the column of what is wrong.
        let start = config
            .find(line)
            .map(|l| l + line.find(at).unwrap())
            .unwrap();
        let line_number = config[..start].matches('\n').count() + 1;
        let column = start - config[..start].rfind('\n').map_or(0, |n| n + 1) + 1;
        assert!(
            err.contains(&format!("plan-lint.toml:{line_number}:{column}]")),
            "{line}: expected {line_number}:{column} in {err}"
        );
    }
}

/// A code used in the config and again in a rule file is reported at the later one.
#[test]
fn a_code_used_twice_is_reported_where_it_is_used_again() {
    let dir = project();
    let config = "rule_files = [\"rules/*.toml\"]\n\n[[custom_rules]]\ncode = \"ORG005\"\nname = \"due-soon\"\nsummary = \"Due soon\"\nfor_each = \"raid\"\nassert = \"true\"\nmessage = \"late\"\n";
    fs::write(dir.path().join("plan-lint.toml"), config).unwrap();
    let output = run(dir.path(), &["--color", "never"]);
    assert_eq!(output.status.code(), Some(2));
    let text = fs::read_to_string(dir.path().join("rules/high-risk-has-due-date.toml")).unwrap();
    let line = text.lines().position(|l| l == "code = \"ORG005\"").unwrap() + 1;
    let err = stderr(&output);
    assert!(
        err.contains("the rule code `ORG005` is already used"),
        "{err}"
    );
    assert!(
        err.contains(&format!("rules/high-risk-has-due-date.toml:{line}:8]")),
        "{err}"
    );
}

#[test]
fn a_rule_file_that_is_missing_or_outside_the_project_is_a_config_error() {
    let dir = project();
    for (rule_files, message) in [
        ("[\"rulez/*.toml\"]", "`rulez/*.toml` names no file"),
        ("[\"../*.toml\"]", "was not read"),
    ] {
        fs::write(
            dir.path().join("plan-lint.toml"),
            format!("rule_files = {rule_files}\n"),
        )
        .unwrap();
        let output = run(dir.path(), &[]);
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains(message), "{}", stderr(&output));
    }
    // A problem inside a rule file is shown in that file.
    fs::write(
        dir.path().join("plan-lint.toml"),
        "rule_files = [\"rules/*.toml\"]\n",
    )
    .unwrap();
    let rule = dir.path().join("rules/owner-is-not-lead.toml");
    let text = fs::read_to_string(&rule).unwrap().replacen(
        "for_each = \"plan\"",
        "for_each = \"plans\"",
        1,
    );
    fs::write(&rule, &text).unwrap();
    let output = run(dir.path(), &["--color", "never"]);
    let line = text
        .lines()
        .position(|l| l == "for_each = \"plans\"")
        .unwrap()
        + 1;
    assert!(
        stderr(&output).contains(&format!("rules/owner-is-not-lead.toml:{line}:12]")),
        "{}",
        stderr(&output)
    );
}

/// A custom rule's text is the config's: `explain` and `rules` show it with every control
/// character escaped.
#[test]
fn a_custom_rules_text_cannot_reach_the_terminal_as_control_characters() {
    let dir = project();
    let rule = "[[custom_rules]]\ncode = \"ORG030\"\nname = \"sneaky\"\nsummary = \"Looks fine\\u001b[2J\"\nwhy = \"\\u001b]0;owned\\u0007 because\"\nassert = \"true\"\nmessage = \"x\"\n";
    fs::write(dir.path().join("plan-lint.toml"), rule).unwrap();
    for args in [&["explain", "sneaky"][..], &["rules"][..]] {
        let output = plan_lint_in(dir.path(), args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let out = stdout(&output);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        assert!(out.contains("Looks fine\\u{1b}[2J"), "{out}");
    }
}

#[test]
fn a_changed_rule_file_reports_the_findings_of_every_plan() {
    let dir = project();
    let root = dir.path();
    crate::support::git(root, &["add", "."]);
    crate::support::git(root, &["commit", "-q", "-m", "plans and rules"]);
    let since_head = |extra: &[&str]| {
        let mut args = vec!["--today", TODAY, "--format", "json"];
        args.extend_from_slice(extra);
        plan_lint_in(root, &args)
    };
    // Nothing changed: nothing is reported.
    assert_eq!(findings(&since_head(&["--changed-since", "HEAD"])), vec![]);

    // Only a rule file changed: every plan is checked against the new rule, so every plan's
    // findings are reported, with a note saying why.
    let rule = root.join("rules/owner-is-not-lead.toml");
    let text = fs::read_to_string(&rule).unwrap();
    fs::write(
        &rule,
        text.replacen("severity = \"error\"", "severity = \"warning\"", 1),
    )
    .unwrap();
    let output = since_head(&["--changed-since", "HEAD"]);
    assert!(
        stderr(&output).contains(
            "note: the rules changed (rules/owner-is-not-lead.toml), so the findings in every plan are reported"
        ),
        "{}",
        stderr(&output)
    );
    let every = findings(&since_head(&[]));
    assert!(every.len() >= 4, "{every:?}");
    assert_eq!(findings(&output), every);
    // As with a changed config, and with `--only-files` naming one (pre-commit does).
    crate::support::git(root, &["checkout", "-q", "--", "rules"]);
    fs::write(
        root.join("plan-lint.toml"),
        "rule_files = [\"rules/*.toml\"]\n\n[rules]\n",
    )
    .unwrap();
    assert_eq!(findings(&since_head(&["--changed-since", "HEAD"])), every);
    assert_eq!(
        findings(&since_head(&[
            "--only-files",
            "rules/high-risk-has-due-date.toml"
        ])),
        every
    );
    assert_eq!(
        findings(&since_head(&["--only-files", "payments.plan.toml"]))
            .iter()
            .filter(|(file, ..)| file != "payments.plan.toml")
            .count(),
        0
    );
}
