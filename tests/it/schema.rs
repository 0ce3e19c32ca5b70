//! `plan-lint schema` and `plan-lint init`.

use crate::support::{
    TODAY, json_report, oracles, plan_files, plan_lint, plan_lint_in, repo_root, stderr, stdout,
};
use std::collections::BTreeSet;
use std::fs;
use std::process::Command;

#[test]
fn the_committed_schema_is_the_generated_one() {
    let generated = stdout(&plan_lint(&["schema"]));
    let committed = fs::read_to_string(repo_root().join("docs/plan.schema.json")).unwrap();
    assert_eq!(
        committed, generated,
        "docs/plan.schema.json is stale: run `cargo run -q -- schema > docs/plan.schema.json`"
    );
    let schema: serde_json::Value = serde_json::from_str(&generated).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let top: Vec<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let declared: Vec<&str> = plan_model::format::PLAN_FILE.keys().collect();
    assert_eq!(top, declared);
    assert_eq!(
        schema["$defs"]["raid"]["required"],
        serde_json::json!(["id", "type", "title", "status"])
    );
}

/// The files (relative to `cwd`) that check-jsonschema rejects against `schema`, and its whole
/// verdict.
fn schema_rejects(
    oracles: &crate::support::Oracles,
    schema: &std::path::Path,
    files: &[String],
    cwd: &std::path::Path,
) -> (BTreeSet<String>, serde_json::Value) {
    let output = Command::new(oracles.venv_bin("check-jsonschema"))
        .arg("--schemafile")
        .arg(schema)
        .args(["-o", "json"])
        .args(files)
        .current_dir(cwd)
        .output()
        .unwrap();
    let verdict: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&output), stderr(&output)));
    let rejected = verdict["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["filename"].as_str().unwrap().to_owned())
        .collect();
    (rejected, verdict)
}

/// The schema accepts exactly the fixtures in which plan-lint finds no schema problem
/// (PL100–PL103), as an independent validator reads it.
#[test]
fn the_schema_accepts_exactly_the_plans_without_schema_findings() {
    let Some(oracles) = oracles() else { return };
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("plan.schema.json");
    fs::write(&schema, stdout(&plan_lint(&["schema"]))).unwrap();
    let (passed, text) = oracles.run(
        Command::new(oracles.venv_bin("check-jsonschema"))
            .arg("--check-metaschema")
            .arg(&schema),
    );
    assert!(
        passed,
        "the schema is a valid draft 2020-12 schema:\n{text}"
    );

    let files: Vec<String> = plan_files("fixtures")
        .into_iter()
        .chain(plan_files("examples"))
        .filter(|f| !f.starts_with("fixtures/syntax-error/"))
        // Python's TOML reader refuses a byte-order mark, which plan-lint reads (and keeps).
        .filter(|f| !(f.ends_with(".toml") && f.contains("bom")))
        // A Markdown plan is a page, not a document a JSON Schema validator reads.
        .filter(|f| !f.ends_with(".md"))
        .collect();
    let with_schema_findings: BTreeSet<String> = files
        .iter()
        .filter(|file| {
            let report = json_report(&plan_lint(&["--today", TODAY, "--format", "json", file]));
            report["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["code"].as_str().unwrap().starts_with("PL10"))
        })
        .cloned()
        .collect();
    assert!(with_schema_findings.len() >= 6, "{with_schema_findings:?}");
    let (rejected, verdict) = schema_rejects(&oracles, &schema, &files, &repo_root());
    assert_eq!(
        rejected, with_schema_findings,
        "check-jsonschema and plan-lint disagree: {verdict:#}"
    );
}

#[test]
fn init_writes_a_plan_that_lints_clean_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    for file in [
        "implementation.plan.toml",
        "plans/payments.plan.json",
        "plans/roadmap.plan.yaml",
    ] {
        let sub = tempfile::tempdir_in(dir.path()).unwrap();
        if let Some(parent) = std::path::Path::new(file).parent() {
            fs::create_dir_all(sub.path().join(parent)).unwrap();
        }
        let mut args = vec!["init", "--today", TODAY];
        if file != "implementation.plan.toml" {
            args.insert(1, file);
        }
        let output = plan_lint_in(sub.path(), &args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let written = fs::read_to_string(sub.path().join(file)).unwrap();
        let lint = plan_lint_in(sub.path(), &["--today", TODAY, "--fail-on", "note", file]);
        assert_eq!(lint.status.code(), Some(0), "{file}:\n{}", stdout(&lint));
        assert!(
            stdout(&lint).ends_with("no problems in 1 plan\n"),
            "{}",
            stdout(&lint)
        );

        let again = plan_lint_in(sub.path(), &args);
        assert_eq!(again.status.code(), Some(2));
        assert!(
            stderr(&again).contains("already exists"),
            "{}",
            stderr(&again)
        );
        assert_eq!(fs::read_to_string(sub.path().join(file)).unwrap(), written);

        if file.ends_with(".json") {
            let plan: serde_json::Value = serde_json::from_str(&written).unwrap();
            assert_eq!(
                plan["plan"]["id"], "payments",
                "the id comes from the file name"
            );
            assert_eq!(plan["health"]["as_of"], TODAY);
        }
        if file.ends_with(".yaml") {
            assert!(written.starts_with(
                "# yaml-language-server: $schema=https://github.com/plan-lint/plan-lint/raw/main/docs/plan.schema.json\n"
            ));
            assert!(written.contains("  id: \"roadmap\"  # unique in the repository"));
            assert!(written.contains(&format!("  as_of: {TODAY}\n")));
        }
    }
    // `--format` names the default file, and must agree with a file's name.
    let sub = tempfile::tempdir_in(dir.path()).unwrap();
    let output = plan_lint_in(sub.path(), &["init", "--format", "yaml", "--today", TODAY]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(sub.path().join("implementation.plan.yaml").exists());
    let clash = plan_lint_in(sub.path(), &["init", "a.plan.json", "--format", "yaml"]);
    assert_eq!(clash.status.code(), Some(2));
    assert!(
        stderr(&clash).contains("`a.plan.json` is not named as `--format` asks"),
        "{}",
        stderr(&clash)
    );
}

/// `init` makes missing folders, writes with the usual mode, suggests a free name when the file
/// exists, and plans made by it lint clean together (issue 13).
#[test]
fn init_makes_folders_and_its_plans_lint_clean_together() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    for file in [
        "plans/a/one.plan.toml",
        "plans/b/two.plan.toml",
        "plans/three.plan.json",
    ] {
        let output = plan_lint_in(dir.path(), &["init", file, "--today", TODAY]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    let lint = plan_lint_in(
        dir.path(),
        &["--today", TODAY, "--fail-on", "note", "plans"],
    );
    assert_eq!(lint.status.code(), Some(0), "{}", stdout(&lint));
    assert!(
        stdout(&lint).ends_with("no problems in 3 plans\n"),
        "{}",
        stdout(&lint)
    );

    let probe = dir.path().join("probe");
    fs::write(&probe, "").unwrap();
    let mode = |path: &std::path::Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        mode(&dir.path().join("plans/a/one.plan.toml")),
        mode(&probe)
    );

    fs::write(dir.path().join("plans/a/one-2.plan.toml"), "taken").unwrap();
    let again = plan_lint_in(dir.path(), &["init", "plans/a/one.plan.toml"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("name another file: `plan-lint init plans/a/one-3.plan.toml`"),
        "{}",
        stderr(&again)
    );
    assert!(
        !stderr(&again).contains(".plan-lint-"),
        "{}",
        stderr(&again)
    );

    // A folder that cannot be made: the error is about the plan, never a temporary file.
    fs::write(dir.path().join("blocker"), "a file").unwrap();
    let blocked = plan_lint_in(dir.path(), &["init", "blocker/x.plan.toml"]);
    assert_eq!(blocked.status.code(), Some(2));
    let err = stderr(&blocked);
    assert!(
        err.contains("cannot write the plan `blocker/x.plan.toml`"),
        "{err}"
    );
    assert!(
        !err.contains("report") && !err.contains(".plan-lint-"),
        "{err}"
    );
}

/// The schema and the reader agree on generated values of the keys whose forms the schema
/// spells out: allocations (numbers, and percentages as the issue's `"120%"`) and dates. One
/// minimal JSON plan per value, checked by check-jsonschema in one run.
#[test]
fn the_schema_and_the_reader_agree_on_generated_values() {
    use proptest::strategy::{Strategy, ValueTree};
    let Some(oracles) = oracles() else { return };
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("plan.schema.json");
    fs::write(&schema, stdout(&plan_lint(&["schema"]))).unwrap();

    let percentage =
        "( {0,2})(\\+|-)?[0-9]{0,3}(\\.[0-9]{0,4})?( ?)%?( ?)".prop_map(serde_json::Value::String);
    let number = (-2_000i64..=12_000, 0u32..=4).prop_map(|(units, places)| {
        // A number with `places` decimals around the range (0, 1].
        let value = units as f64 / 10_000.0;
        serde_json::from_str(&format!("{value:.*}", places as usize)).unwrap()
    });
    let date = (1990u32..2100, 0u32..14, 0u32..33)
        .prop_map(|(y, m, d)| serde_json::Value::String(format!("{y:04}-{m:02}-{d:02}")));
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut sample =
        |strategy: &dyn Fn(&mut proptest::test_runner::TestRunner) -> serde_json::Value,
         count: usize| {
            (0..count)
                .map(|_| strategy(&mut runner))
                .collect::<Vec<_>>()
        };
    let mut allocations = sample(&|r| percentage.new_tree(r).unwrap().current(), 300);
    allocations.extend(sample(&|r| number.new_tree(r).unwrap().current(), 200));
    allocations.extend(
        [
            "120%", "100%", "0%", "0.01%", "0.001%", "100.00%", "12.5 %", "50", "1e-1", "+50%",
        ]
        .map(|text| serde_json::Value::String(text.into())),
    );
    let dates = sample(&|r| date.new_tree(r).unwrap().current(), 300);

    let plan = |allocation: &serde_json::Value, date: &serde_json::Value| {
        serde_json::json!({
            "$schema": "../plan.schema.json",
            "plan": {"id": "p", "title": "t"},
            "resources": [{"person": "carol", "allocation": allocation, "from": date}],
        })
    };
    let instances: Vec<serde_json::Value> = allocations
        .iter()
        .map(|allocation| plan(allocation, &serde_json::json!("2026-11-02")))
        .chain(dates.iter().map(|date| plan(&serde_json::json!(0.5), date)))
        .collect();
    let mut files = Vec::new();
    let mut reader_rejects = BTreeSet::new();
    for (index, instance) in instances.iter().enumerate() {
        let name = format!("v{index:04}.plan.json");
        let text = serde_json::to_string(instance).unwrap();
        fs::write(dir.path().join(&name), &text).unwrap();
        let schema_findings = crate::support::lint_texts(&[("json", &text)])
            .into_iter()
            .any(|(rule, _)| {
                matches!(
                    rule.as_str(),
                    "unknown-field" | "invalid-value" | "missing-field"
                )
            });
        if schema_findings {
            reader_rejects.insert(name.clone());
        }
        files.push(name);
    }
    let (schema_rejects, _) = schema_rejects(&oracles, &schema, &files, dir.path());
    let disagreements: Vec<String> = schema_rejects
        .symmetric_difference(&reader_rejects)
        .map(|name| {
            let index: usize = name[1..5].parse().unwrap();
            let resource = &instances[index]["resources"][0];
            format!(
                "{name}: allocation {} from {}: schema {}, reader {}",
                resource["allocation"],
                resource["from"],
                if schema_rejects.contains(name) {
                    "rejects"
                } else {
                    "accepts"
                },
                if reader_rejects.contains(name) {
                    "rejects"
                } else {
                    "accepts"
                },
            )
        })
        .collect();
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    // Both verdicts occur, often.
    assert!(reader_rejects.len() > 100 && files.len() - reader_rejects.len() > 100);
}

#[test]
fn a_json_plan_may_name_its_schema() {
    let plan = r#"{"$schema": "./plan.schema.json", "plan": {"id": "p", "title": "t"}}"#;
    let found = crate::support::lint_texts(&[("json", plan)]);
    assert!(
        !found.iter().any(|(rule, _)| rule == "unknown-field"),
        "{found:?}"
    );
    let not_text = r#"{"$schema": 3, "plan": {"id": "p", "title": "t"}}"#;
    assert!(
        crate::support::lint_texts(&[("json", not_text)])
            .contains(&("invalid-value".to_owned(), "$schema".to_owned()))
    );
}
