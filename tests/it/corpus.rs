//! The benchmark corpus generator (`bench/gen_corpus.py`) as an independent check of the four
//! readers: it writes the same generated plans as TOML, JSON, YAML and Markdown with emitters
//! of its own (not `plan_model::convert`), and computes the headline findings each plan must
//! give with a reference implementation of its own. plan-lint must give exactly those, at the
//! entry and key the generator names, and the same findings in every format.

use crate::support::{TODAY, json_report, plan_lint_in};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const FORMATS: [&str; 4] = ["toml", "json", "yaml", "md"];
const HEADLINE: [&str; 4] = [
    "accountable-owner",
    "raid-mitigation",
    "review-trigger",
    "red-health-action",
];

/// Plan id → sorted (rule, logical path) of its headline findings.
type Headline = BTreeMap<String, Vec<(String, String)>>;

/// (plan id, rule, message) of every finding of a run, sorted.
type Findings = Vec<(String, String, String)>;

#[test]
fn generated_plans_in_four_formats_give_the_generators_findings() {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("python3")
        .arg(crate::support::repo_root().join("bench/gen_corpus.py"))
        .args(["240", "--format", "all"])
        .arg(dir.path())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("python3 runs the corpus generator");
    assert!(status.success());
    std::fs::write(dir.path().join("plan-lint.toml"), "").unwrap();

    let expected = expected_findings(dir.path());
    assert!(
        expected.values().map(Vec::len).sum::<usize>() > 50,
        "the corpus carries headline violations"
    );
    let mut every_format: Vec<(&str, Findings)> = Vec::new();
    for format in FORMATS {
        let folder = dir.path().join(format);
        let output = plan_lint_in(
            &folder,
            &["check", "--format", "json", "--today", TODAY, "."],
        );
        let report = json_report(&output);
        assert_eq!(report["files_checked"], 240, "{format}");
        let mut headline = Headline::new();
        let mut all = Vec::new();
        for diagnostic in report["diagnostics"].as_array().unwrap() {
            let field = |key: &str| diagnostic[key].as_str().unwrap_or_default().to_owned();
            let file = field("file");
            let plan = file.split(".plan.").next().unwrap_or_default().to_owned();
            let rule = field("rule");
            // Messages name other plans' files, whose extension is the format's.
            let message = field("message").replace(&format!(".plan.{format}"), ".plan.*");
            if HEADLINE.contains(&rule.as_str()) {
                headline
                    .entry(plan.clone())
                    .or_default()
                    .push((rule.clone(), comparable_path(&rule, &field("path"))));
            }
            all.push((plan, rule, message));
        }
        for findings in headline.values_mut() {
            findings.sort();
        }
        assert_eq!(
            headline, expected,
            "{format}: the generator's headline findings"
        );
        all.sort();
        every_format.push((format, all));
    }
    let (_, toml) = &every_format[0];
    assert!(
        toml.len() > 1000,
        "every rule's findings, not only the headline ones"
    );
    for (format, findings) in &every_format[1..] {
        assert!(findings == toml, "{format} gives the TOML plans' findings");
    }
}

/// The generator's expectations, as plan-lint's logical paths: its JSON pointer to an entry
/// (`/raid/4`) becomes the entry by id (`raid[R-5]`), read from the JSON plan itself, then the
/// key it names (`raid[R-5].mitigation`).
fn expected_findings(corpus: &Path) -> Headline {
    let text = std::fs::read_to_string(corpus.join("json/expected.json")).unwrap();
    let expected: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut headline = Headline::new();
    for (file, entry) in expected["files"].as_object().unwrap() {
        let plan_text = std::fs::read_to_string(corpus.join("json").join(file)).unwrap();
        let plan: serde_json::Value = serde_json::from_str(&plan_text).unwrap();
        let id = file.trim_end_matches(".plan.json").to_owned();
        for finding in entry["findings"].as_array().unwrap() {
            let pointer = finding["pointer"].as_str().unwrap();
            let mut path = logical_path(&plan, pointer);
            if let Some(field) = finding["field"].as_str() {
                path = if path.is_empty() {
                    field.to_owned()
                } else {
                    format!("{path}.{field}")
                };
            }
            let rule = finding["rule"].as_str().unwrap().to_owned();
            headline.entry(id.clone()).or_default().push((rule, path));
        }
    }
    for findings in headline.values_mut() {
        findings.sort();
    }
    headline
}

/// `/raid/4` → `raid[R-5]` (an entry by its id, as plan-lint names entries, else by its
/// index: `raci[2]`), `/review` → `review`.
fn logical_path(plan: &serde_json::Value, pointer: &str) -> String {
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        [""] => String::new(),
        [table] => (*table).to_owned(),
        [collection, index] => {
            match plan[*collection][index.parse::<usize>().unwrap()]["id"].as_str() {
                Some(id) => format!("{collection}[{id}]"),
                None => format!("{collection}[{index}]"),
            }
        }
        _ => panic!("an unexpected pointer {pointer}"),
    }
}

/// The generator names the table for the review and health rules (`/review`, `/health`) where
/// plan-lint points at the key concerned (`review.triggers`, `health.rag`): their table.
fn comparable_path(rule: &str, path: &str) -> String {
    match rule {
        "review-trigger" | "red-health-action" => {
            path.split(['.', '[']).next().unwrap_or_default().to_owned()
        }
        _ => path.to_owned(),
    }
}
