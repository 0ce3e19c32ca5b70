//! Every fixture under `fixtures/<rule>/` is linted and snapshot-tested in human and JSON form.
//! `fail-*` fixtures must give at least one finding of their rule, `pass-*` fixtures none, and
//! a TOML fixture and its JSON twin must give the same findings. A folder case with a
//! `plan-lint.toml` is linted with that config (the custom rules `custom-rule-error` needs).

use crate::support::{TODAY, fixture_cases, json_report, plan_files, plan_lint_alone, stdout};
use std::collections::BTreeMap;

#[test]
fn fixtures_snapshot_and_behave_as_named() {
    let cases = fixture_cases();
    assert!(cases.len() >= 80, "fixtures are found ({})", cases.len());
    for case in &cases {
        let config = format!("{case}/plan-lint.toml");
        let mut args = vec!["--today", TODAY, case.as_str()];
        if crate::support::repo_root().join(&config).is_file() {
            args.extend(["--config", config.as_str()]);
        }
        let with_format = |format: &str| {
            let mut all = args.clone();
            all.extend(["--format", format]);
            plan_lint_alone(&all)
        };
        let (json, human) = (with_format("json"), with_format("human"));
        let report = json_report(&json);
        let diagnostics = report["diagnostics"].as_array().unwrap();

        let (rule, name) = case
            .strip_prefix("fixtures/")
            .unwrap()
            .split_once('/')
            .unwrap();
        let fired = diagnostics.iter().filter(|d| d["rule"] == rule).count();
        if name.starts_with("fail") {
            assert!(
                fired > 0,
                "{case} should give a `{rule}` finding:\n{}",
                stdout(&human)
            );
        } else {
            assert!(
                name.starts_with("pass"),
                "{case}: fixture names start with fail- or pass-"
            );
            assert_eq!(
                fired,
                0,
                "{case} should give no `{rule}` finding:\n{}",
                stdout(&human)
            );
        }

        let snapshot = format!("{}\n----- json -----\n{}", stdout(&human), stdout(&json));
        let snapshot_name = case.strip_prefix("fixtures/").unwrap().replace('/', "__");
        insta::with_settings!({ snapshot_path => "snapshots/fixtures", prepend_module_to_snapshot => false, description => case.as_str() }, {
            insta::assert_snapshot!(snapshot_name, snapshot);
        });
    }
}

#[test]
fn toml_and_json_twins_give_the_same_findings() {
    let files = plan_files("fixtures");
    let mut twins = 0;
    // Folder cases hold plans of both formats side by side, not twins.
    for toml in files
        .iter()
        .filter(|f| f.ends_with(".toml") && f.matches('/').count() == 2)
    {
        let json = toml.replace(".plan.toml", ".plan.json");
        if !files.contains(&json) {
            continue;
        }
        twins += 1;
        let findings = |file: &str| {
            let report = json_report(&plan_lint_alone(&[
                "--today", TODAY, "--format", "json", file,
            ]));
            let mut found: Vec<String> = report["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| format!("{} {} {}", d["code"], d["path"], d["message"]))
                .collect();
            found.sort();
            found
        };
        assert_eq!(
            findings(toml),
            findings(&json),
            "{toml} and its JSON twin disagree"
        );
    }
    assert!(twins >= 20, "twins are found ({twins})");
}

/// Each single-file TOML fixture that `convert` can write in another format: its JSON report,
/// its twin's text, and its twin's JSON report, each linted alone in a folder of its own as
/// `.plan.<extension>` in place of the TOML file. The number of fixtures converted.
fn each_converted_fixture(
    convert: fn(&str) -> Option<String>,
    extension: &str,
    mut check: impl FnMut(&str, &serde_json::Value, &str, &serde_json::Value),
) -> usize {
    let mut converted = 0;
    for toml in plan_files("fixtures")
        .iter()
        .filter(|f| f.ends_with(".toml") && f.matches('/').count() == 2)
    {
        let text = std::fs::read_to_string(crate::support::repo_root().join(toml)).unwrap();
        let Some(twin_text) = convert(&text) else {
            continue; // a syntax error, or a value the other format cannot hold as it is
        };
        let dir = crate::support::isolated(&[toml]);
        let twin = toml.replace(".plan.toml", &format!(".plan.{extension}"));
        let report = |file: &str| {
            json_report(&crate::support::plan_lint_in(
                dir.path(),
                &["--today", TODAY, "--format", "json", file],
            ))
        };
        let from_toml = report(toml);
        std::fs::remove_file(dir.path().join(toml)).unwrap();
        std::fs::write(dir.path().join(&twin), &twin_text).unwrap();
        check(toml, &from_toml, &twin_text, &report(&twin));
        converted += 1;
    }
    converted
}

/// A report's findings by these fields, sorted.
fn sorted_fields<const N: usize>(report: &serde_json::Value, keys: [&str; N]) -> Vec<[String; N]> {
    let mut found: Vec<[String; N]> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| keys.map(|key| d[key].to_string()))
        .collect();
    found.sort();
    found
}

/// Every TOML fixture, converted to YAML key for key and comment for comment
/// (`plan_model::convert`), gives the same findings, with the same messages: the YAML reader
/// reads what the TOML one reads, and suppressions written as YAML comments hold.
#[test]
fn every_fixture_converted_to_yaml_gives_the_same_findings() {
    let converted = each_converted_fixture(
        plan_model::convert::toml_to_yaml,
        "yaml",
        |toml, from_toml, yaml, from_yaml| {
            let keys = ["code", "path", "message"];
            let yaml_findings: Vec<[String; 3]> = sorted_fields(from_yaml, keys)
                .into_iter()
                .map(|found| found.map(|field| field.replace(".plan.yaml", ".plan.toml")))
                .collect();
            assert_eq!(
                sorted_fields(from_toml, keys),
                yaml_findings,
                "{toml} and its YAML twin disagree; the twin:\n{yaml}"
            );
        },
    );
    assert!(converted >= 60, "fixtures are converted ({converted})");
}

/// Every TOML fixture, converted to JSON (`plan_model::convert::toml_to_json`: suppression
/// comments become `lint.allow` entries at the key of their line), gives the same findings, rule
/// by rule and path by path.
#[test]
fn every_fixture_converted_to_json_gives_the_same_findings() {
    let mut with_suppressions = 0;
    let converted = each_converted_fixture(
        plan_model::convert::toml_to_json,
        "json",
        |toml, from_toml, json, from_json| {
            with_suppressions += usize::from(json.contains("\"allow\""));
            // A suppression's own findings (PL900, PL901) are at its comment (no path) or at its
            // `lint.allow` entry, whose index differs once comments are entries too.
            let findings = |report| {
                let mut found = sorted_fields(report, ["code", "path"]);
                for [code, path] in &mut found {
                    if matches!(code.as_str(), "\"PL900\"" | "\"PL901\"") {
                        *path = "a suppression".to_owned();
                    }
                }
                found.sort();
                found
            };
            assert_eq!(
                findings(from_toml),
                findings(from_json),
                "{toml} and its JSON twin disagree; the twin:\n{json}"
            );
            assert_eq!(
                from_toml["summary"]["suppressed"], from_json["summary"]["suppressed"],
                "{toml}: as many findings suppressed; the twin:\n{json}"
            );
        },
    );
    assert!(converted >= 60, "fixtures are converted ({converted})");
    // Of the eight fixtures with suppressions, all but the one with a comment that cannot be
    // read (`alow(…)`), which no `lint.allow` entry can stand for.
    assert!(
        with_suppressions >= 7,
        "suppressions are converted ({with_suppressions})"
    );
}

/// Every TOML fixture, converted to a Markdown plan (`plan_model::convert`: the tables as YAML
/// front matter, the collections as Markdown tables), gives the same findings, rule by rule and
/// path by path; each finding in a collection starts on its row's line.
#[test]
fn every_fixture_converted_to_markdown_gives_the_same_findings() {
    let converted = each_converted_fixture(
        plan_model::convert::toml_to_markdown,
        "md",
        |toml, from_toml, markdown, from_markdown| {
            assert_eq!(
                sorted_fields(from_toml, ["code", "path"]),
                sorted_fields(from_markdown, ["code", "path"]),
                "{toml} and its Markdown twin disagree; the twin:\n{markdown}"
            );
            let lines: Vec<&str> = markdown.lines().collect();
            for d in from_markdown["diagnostics"].as_array().unwrap() {
                let (code, path) = (&d["code"], d["path"].as_str().unwrap());
                let line = d["line"].as_u64().unwrap();
                let in_collection = [
                    "raid[",
                    "raci[",
                    "milestones[",
                    "backlog[",
                    "resources[",
                    "mechanisms[",
                ]
                .iter()
                .any(|c| path.starts_with(c));
                if in_collection {
                    let shown = lines[line as usize - 1];
                    assert!(
                        shown.starts_with('|'),
                        "{toml} as Markdown, line {line}: {code} `{path}` is not on a row: {shown:?}"
                    );
                }
            }
        },
    );
    assert!(converted >= 60, "fixtures are converted ({converted})");
}

/// Every finding starts on the line of the key it is about: the key named last in its
/// logical path, or the entry's header when the key is missing.
#[test]
fn findings_start_on_the_line_of_their_key() {
    let mut checked = 0;
    for file in plan_files("fixtures").iter().chain(&plan_files("examples")) {
        let text = std::fs::read_to_string(crate::support::repo_root().join(file)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let report = json_report(&plan_lint_alone(&[
            "--today", TODAY, "--format", "json", file,
        ]));
        for d in report["diagnostics"].as_array().unwrap() {
            let path = d["path"].as_str().unwrap();
            let index = d["line"].as_u64().unwrap() as usize - 1;
            // A Markdown table's entry is its row: the finding is on the row, at its cell or
            // its header (checked by the Markdown conversion test).
            if file.ends_with(".md") && lines.get(index).is_some_and(|l| l.starts_with('|')) {
                checked += 1;
                continue;
            }
            // A finding on an item of a multi-line list is on the item's own line: the key it
            // belongs to is then on the nearest line above that holds a key.
            let line = lines[..=index.min(lines.len().saturating_sub(1))]
                .iter()
                .rev()
                .find(|l| {
                    l.contains('=')
                        || l.contains(':')
                        || l.trim_start().starts_with('[')
                        || l.trim() == "{"
                })
                .copied()
                .unwrap_or("");
            let Some(key) = path
                .rsplit('.')
                .next()
                .filter(|k| !k.is_empty() && !k.ends_with(']'))
            else {
                continue;
            };
            // A missing key's finding points at its table: the key or header naming the table.
            let table = path
                .rsplit('.')
                .nth(1)
                .map(|t| t.split('[').next().unwrap_or(t));
            let key_written =
                line.contains(key) || table.is_some_and(|t| line.contains(&format!("\"{t}\"")));
            let entry_header = line.trim_start().starts_with('[') || line.trim() == "{";
            let at_file_start = d["line"] == 1 && d["column"] == 1;
            assert!(
                key_written || entry_header || at_file_start,
                "{file}:{}: {} `{path}` starts on a line without `{key}`: {line:?}",
                d["line"],
                d["code"]
            );
            checked += 1;
        }
    }
    assert!(checked >= 40, "enough findings were checked ({checked})");
}

#[test]
fn every_rule_has_failing_and_passing_fixtures_in_both_formats() {
    let files = plan_files("fixtures");
    let mut by_rule: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for file in &files {
        let (rule, name) = file
            .strip_prefix("fixtures/")
            .unwrap()
            .split_once('/')
            .unwrap();
        by_rule.entry(rule).or_default().push(name);
    }
    for rule in plan_rules::RULES {
        let names = by_rule
            .get(rule.name)
            .unwrap_or_else(|| panic!("no fixtures/{}/ folder", rule.name));
        for (kind, ext) in [
            ("fail", ".toml"),
            ("fail", ".json"),
            ("pass", ".toml"),
            ("pass", ".json"),
        ] {
            assert!(
                names
                    .iter()
                    .any(|n| n.starts_with(kind) && n.ends_with(ext)),
                "fixtures/{}/ lacks a {kind}-*.plan{ext}",
                rule.name
            );
        }
    }
    for rule in by_rule.keys() {
        assert!(
            plan_rules::rule_by_name_or_code(rule).is_some(),
            "fixtures/{rule}/ names no rule"
        );
    }
}
