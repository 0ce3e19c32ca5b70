//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The date every test treats as today, so time-based rules are reproducible.
pub const TODAY: &str = "2026-11-25";

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `plan-lint` with the given arguments, run in `cwd`, without colour.
pub fn plan_lint_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plan-lint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("the plan-lint binary runs")
}

/// `plan-lint` run from the repository root.
pub fn plan_lint(args: &[&str]) -> Output {
    plan_lint_in(&repo_root(), args)
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The JSON report of a run.
pub fn json_report(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is a JSON report ({e}):\n{}\n{}",
            stdout(output),
            stderr(output)
        )
    })
}

/// Every plan file under a folder of the repository, sorted, as `/`-separated relative paths.
pub fn plan_files(folder: &str) -> Vec<String> {
    let mut files = Vec::new();
    let mut pending = vec![repo_root().join(folder)];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .to_str()
                .is_some_and(|p| p.ends_with(".plan.toml") || p.ends_with(".plan.json"))
            {
                let relative = path.strip_prefix(repo_root()).unwrap();
                files.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files.sort();
    files
}

/// Lint texts in-process as the files of one run, each named `example-N.plan.<language>`:
/// (rule name, path) per finding.
pub fn lint_texts(examples: &[(&str, &str)]) -> Vec<(String, String)> {
    let parsed: Vec<_> = examples
        .iter()
        .enumerate()
        .map(|(i, (language, text))| {
            let name = format!("example-{i}.plan.{language}");
            plan_model::parse(&name, plan_model::Format::of_path(&name), text.as_bytes())
        })
        .collect();
    let facts = plan_rules::Facts::today(TODAY.parse().unwrap());
    plan_rules::check(&parsed, &facts, &plan_rules::Defaults)
        .findings
        .into_iter()
        .map(|f| (f.rule.name.to_owned(), f.path))
        .collect()
}
