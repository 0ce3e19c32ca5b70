//! SARIF end to end: every fixture's log passes the official SARIF 2.1.0 schema and the
//! Microsoft SARIF multitool with GitHub's ingestion rules; fingerprints survive line moves.

use crate::support::{
    TODAY, fixture_cases, json_report, oracles, plan_lint_alone, plan_lint_in, repo_root, stderr,
    stdout,
};
use std::fs;
use std::process::Command;

fn sarif(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("SARIF is JSON ({e}): {}", stderr(output)))
}

#[test]
fn the_sarif_of_every_fixture_passes_the_schema_the_multitool_and_githubs_rules() {
    let Some(oracles) = oracles() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for case in fixture_cases() {
        let output = plan_lint_alone(&["--today", TODAY, "--format", "sarif", &case]);
        assert!(matches!(output.status.code(), Some(0 | 1)), "{case}");
        let name = case.replace('/', "__") + ".sarif";
        fs::write(dir.path().join(&name), &output.stdout).unwrap();
        files.push(dir.path().join(name));
    }
    assert!(files.len() > 80);

    // The whole pipeline (a canary first, so a silently broken multitool cannot pass) on one
    // log with findings of many rules...
    let all = plan_lint_alone(&[
        "--today", TODAY, "--format", "sarif", "fixtures", "examples",
    ]);
    let all_path = dir.path().join("all.sarif");
    fs::write(&all_path, &all.stdout).unwrap();
    let (passed, text) = oracles.run(
        Command::new("bash")
            .arg(oracles.script("check-sarif.sh"))
            .arg("--strict")
            .arg(&all_path),
    );
    assert!(passed, "check-sarif.sh:\n{text}");
    assert!(text.contains("check-sarif: PASS (strict)"), "{text}");
    files.push(all_path);

    // ...then each stage once over every fixture's log (the multitool starts slowly).
    let (passed, text) = oracles.run(
        Command::new(oracles.venv_bin("check-jsonschema"))
            .arg("--schemafile")
            .arg(oracles.home.join("schemas/sarif-schema-2.1.0.json"))
            .args(["--default-filetype", "json"])
            .args(&files),
    );
    assert!(passed, "official SARIF 2.1.0 schema:\n{text}");

    let home = dir.path().join("home");
    fs::create_dir(&home).unwrap();
    let validation = dir.path().join("validation.sarif.out");
    let multitool = oracles
        .home
        .join("npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");
    let (_, text) = oracles.run(
        Command::new(multitool)
            .arg("validate")
            .arg(dir.path().join("*.sarif"))
            .arg("-o")
            .arg(&validation)
            .args(["--log", "ForceOverwrite", "--level", "Error;Warning;Note"])
            .args(["--rule-kind", "Sarif;Ghas"])
            .env("HOME", &home),
    );
    let (passed, report) = oracles.run(
        Command::new(oracles.venv_bin("python"))
            .arg(oracles.script("lib/sarif_checks.py"))
            .arg("multitool-report")
            .arg(&validation)
            .arg("--strict"),
    );
    assert!(passed, "SARIF multitool (Sarif;Ghas):\n{report}\n{text}");
    let validated: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&validation).unwrap()).unwrap();
    // Every log gets at least a note (the multitool always has advice), so every log read
    // shows up as the location of some result.
    let analysed: std::collections::HashSet<&str> = validated["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert_eq!(
        analysed.len(),
        files.len(),
        "the multitool read every log: {text}"
    );

    // GitHub's checklist (the oracles' transcription of its docs) on every log, in one process.
    let (passed, text) = oracles.run(
        Command::new(oracles.venv_bin("python"))
            .arg("-c")
            .arg(
                "import sys; sys.path.insert(0, sys.argv[1]); import sarif_checks; \
                 sys.exit(max(sarif_checks.github_checks(f, True) for f in sys.argv[2:]))",
            )
            .arg(oracles.script("lib"))
            .args(&files),
    );
    assert!(passed, "GitHub's SARIF checklist:\n{text}");
}

#[test]
fn fingerprints_do_not_change_when_unrelated_lines_move() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        fs::read_to_string(repo_root().join("fixtures/unknown-person/fail.plan.toml")).unwrap();
    let fingerprints = |text: &str| -> Vec<(String, u64)> {
        fs::write(dir.path().join("p.plan.toml"), text).unwrap();
        let log = sarif(&plan_lint_in(
            dir.path(),
            &["--today", TODAY, "--format", "sarif", "p.plan.toml"],
        ));
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["primaryLocationLineHash"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect()
    };
    let before = fingerprints(&text);
    let after = fingerprints(&format!("# moved down\n\n\n{text}"));
    assert!(before.len() >= 2, "{before:?}");
    assert_eq!(before.len(), after.len());
    for ((hash_before, line_before), (hash_after, line_after)) in before.iter().zip(&after) {
        assert_eq!(hash_before, hash_after);
        assert_eq!(line_before + 3, *line_after);
    }
    let distinct: std::collections::HashSet<_> = before.iter().map(|(hash, _)| hash).collect();
    assert_eq!(
        distinct.len(),
        before.len(),
        "every finding has its own fingerprint"
    );
}

#[test]
fn the_log_describes_the_rules_that_ran_and_points_results_at_them() {
    let log = sarif(&plan_lint_alone(&[
        "--today",
        TODAY,
        "--format",
        "sarif",
        "--ignore",
        "backlog-priority",
        "fixtures/raid-mitigation/fail.plan.toml",
    ]));
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), plan_rules::RULES.len() - 1);
    assert!(rules.iter().all(|r| r["id"] != "PL016"));
    let raid = rules.iter().find(|r| r["id"] == "PL002").unwrap();
    assert_eq!(raid["name"], "raid-mitigation");
    assert_eq!(raid["defaultConfiguration"]["level"], "error");
    assert!(
        raid["help"]["markdown"]
            .as_str()
            .unwrap()
            .starts_with("# raid-mitigation (PL002)")
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(
            location["artifactLocation"]["uri"],
            "fixtures/raid-mitigation/fail.plan.toml"
        );
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    }
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
}

#[test]
fn uris_are_relative_to_the_repository_root_and_percent_encoded() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    let folder = dir.path().join("plans/Équipe A");
    fs::create_dir_all(&folder).unwrap();
    fs::copy(
        repo_root().join("fixtures/raid-mitigation/fail.plan.toml"),
        folder.join("q1 plan.plan.toml"),
    )
    .unwrap();
    // Run from a subfolder: URIs are still relative to the repository root.
    let log = sarif(&plan_lint_in(
        &dir.path().join("plans"),
        &["--today", TODAY, "--format", "sarif"],
    ));
    let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "plans/%C3%89quipe%20A/q1%20plan.plan.toml");
}

#[test]
fn suppressed_findings_are_in_the_log_as_suppressed() {
    let log = sarif(&plan_lint_alone(&[
        "--today",
        TODAY,
        "--format",
        "sarif",
        "fixtures/unjustified-suppression/pass.plan.toml",
    ]));
    let results = log["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 2);
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "inSource");
    assert!(
        suppressed[0]["suppressions"][0]["justification"]
            .as_str()
            .unwrap()
            .contains("agreed at steering")
    );
}

#[test]
fn sarif_file_is_written_from_the_same_run_alongside_another_format() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.sarif");
    let repo = crate::support::isolated(&["fixtures/raid-mitigation/fail.plan.toml"]);
    let output = plan_lint_in(
        repo.path(),
        &[
            "--today",
            TODAY,
            "--format",
            "json",
            "--sarif",
            target.to_str().unwrap(),
            "fixtures/raid-mitigation/fail.plan.toml",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(json_report(&output)["summary"]["error"], 2);
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&target).unwrap()).unwrap();
    let direct = sarif(&plan_lint_in(
        repo.path(),
        &[
            "--today",
            TODAY,
            "--format",
            "sarif",
            "fixtures/raid-mitigation/fail.plan.toml",
        ],
    ));
    assert_eq!(written, direct);

    let unwritable = plan_lint_in(
        repo.path(),
        &[
            "--sarif",
            "/dev/null/out.sarif",
            "fixtures/raid-mitigation/fail.plan.toml",
        ],
    );
    assert_eq!(unwritable.status.code(), Some(2));
    assert!(stderr(&unwritable).contains("cannot write the report to `/dev/null/out.sarif`"));
    assert!(
        stdout(&unwritable).is_empty(),
        "nothing is reported when a report cannot be written"
    );
}
